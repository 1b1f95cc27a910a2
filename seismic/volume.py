"""HDF5 volume store: the file layout, its chunking, and reading it back.

A volume file contains one or more 3D datasets on one survey grid together with
the grid's axes::

    seismic     float32 (n_inlines, n_crosslines, n_samples), amplitudes
    labels      int16   (n_inlines, n_crosslines, n_samples), classes, -1 unlabelled
    inline      int64   (n_inlines,), inline numbers
    crossline   int64   (n_crosslines,), crossline numbers
    sample      float64 (n_samples,), time in ms or depth in the file's unit
                of each sample, starting at the first sample's value
    live        bool    (n_inlines, n_crosslines), False where the survey has
                no trace (such cells hold 0)
    cdp_x/cdp_y float64 (n_inlines, n_crosslines), optional cell coordinates

File attributes record where the volume came from: ``domain`` ("time",
"depth" or "index"), ``unit`` ("ms", "m", "ft" or "index"), and for an
ingested SEG-Y file its textual header, raw binary header, header byte
positions and counts of missing traces, dead traces and non-finite samples.

Volume datasets are stored in bricks of at most 64 x 64 x 64 samples, so an
inline, a crossline and a time slice each read a comparable share of the file.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import h5py
import numpy as np

from seismic.errors import InputNotFoundError, InvalidInputError

__all__ = [
    "SEISMIC",
    "LABELS",
    "INLINE",
    "CROSSLINE",
    "SAMPLE",
    "LIVE",
    "CDP_X",
    "CDP_Y",
    "chunk_shape",
    "write_axes",
    "create_volume_dataset",
    "VolumeStore",
    "open_volume",
    "to_dataarray",
]

logger = logging.getLogger(__name__)

SEISMIC = "seismic"
LABELS = "labels"
INLINE = "inline"
CROSSLINE = "crossline"
SAMPLE = "sample"
LIVE = "live"
CDP_X = "cdp_x"
CDP_Y = "cdp_y"
_AXIS_DATASETS = frozenset({INLINE, CROSSLINE, SAMPLE, LIVE, CDP_X, CDP_Y})

# Edge of the cubic brick each volume dataset is stored in, in samples.
BRICK = 64

# HDF5 file signature (first 8 bytes of a file without a user block).
_HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"


def chunk_shape(shape: tuple[int, ...]) -> tuple[int, ...]:
    """Choose the HDF5 chunk shape of a volume dataset.

    Parameters
    ----------
    shape : tuple of int
        Dataset shape, ``(n_inlines, n_crosslines, n_samples, ...)``. Axes
        after the third (for example classes) are kept whole in each chunk.

    Returns
    -------
    tuple of int
        Along each of the first three axes, the most even split of the axis
        into pieces of at most 64, and the full length along the rest. An
        axis of 200 gets chunks of 50, not 64, so the last chunk is not
        mostly padding.
    """
    chunks = []
    for size in shape[:3]:
        size = max(1, int(size))
        n_pieces = -(-size // BRICK)
        chunks.append(-(-size // n_pieces))
    return tuple(chunks) + tuple(max(1, int(size)) for size in shape[3:])


def write_axes(
    h5: h5py.File,
    *,
    inlines: Any,
    crosslines: Any,
    samples: Any,
    live: Any = None,
    attrs: Mapping[str, Any] | None = None,
) -> None:
    """Write the axis datasets, the live mask and file attributes.

    Parameters
    ----------
    h5 : h5py.File
        A file open for writing.
    inlines : array-like of int, shape (n_inlines,)
        Inline numbers.
    crosslines : array-like of int, shape (n_crosslines,)
        Crossline numbers.
    samples : array-like of float, shape (n_samples,)
        Sample times (ms) or depths.
    live : array-like of bool, shape (n_inlines, n_crosslines), optional
        Grid cells that hold a trace. All True by default.
    attrs : mapping, optional
        File attributes (for example ``domain`` and ``unit``). None values are skipped.
    """
    inlines = np.asarray(inlines, dtype=np.int64).reshape(-1)
    crosslines = np.asarray(crosslines, dtype=np.int64).reshape(-1)
    samples = np.asarray(samples, dtype=np.float64).reshape(-1)
    if live is None:
        live = np.ones((inlines.size, crosslines.size), dtype=bool)
    live = np.asarray(live, dtype=bool)
    if live.shape != (inlines.size, crosslines.size):
        raise InvalidInputError(
            f"live mask shape {live.shape} does not match {inlines.size} inlines x {crosslines.size} crosslines"
        )

    h5.create_dataset(INLINE, data=inlines)
    h5.create_dataset(CROSSLINE, data=crosslines)
    h5.create_dataset(SAMPLE, data=samples)
    h5.create_dataset(LIVE, data=live)
    for key, value in (attrs or {}).items():
        if value is not None:
            h5.attrs[key] = value


def create_volume_dataset(
    h5: h5py.File,
    name: str,
    shape: tuple[int, ...],
    dtype: Any = np.float32,
    *,
    chunks: tuple[int, ...] | None = None,
) -> h5py.Dataset:
    """Create an empty chunked volume dataset filled with 0.

    ``chunks`` defaults to :func:`chunk_shape`. A writer that keeps fewer
    lines in memory than a chunk spans passes a smaller shape, so it writes
    whole chunks.
    """
    return h5.create_dataset(
        name,
        shape=tuple(int(size) for size in shape),
        dtype=dtype,
        chunks=chunks or chunk_shape(shape),
        fillvalue=0,
    )


class VolumeStore:
    """A volume HDF5 file opened for reading, with its axes loaded.

    Parameters
    ----------
    path : path-like
        An HDF5 file in the layout described in :mod:`seismic.volume`. Files
        without axis datasets are accepted, and their axes are sample indexes.

    Raises
    ------
    InputNotFoundError
        If ``path`` does not exist.
    InvalidInputError
        If the file is not HDF5 or has no 3D dataset.

    Examples
    --------
    >>> with VolumeStore("survey.h5") as store:  # doctest: +SKIP
    ...     section = store.read_inline(store.inlines[0])
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        if not self.path.exists():
            raise InputNotFoundError(f"HDF5 file not found: {self.path}; check the path")
        if not self.path.is_file():
            raise InvalidInputError(f"{self.path} is not a file; give an HDF5 volume file")
        with open(self.path, "rb") as stream:
            signature = stream.read(len(_HDF5_SIGNATURE))
        if signature != _HDF5_SIGNATURE:
            raise InvalidInputError(
                f"{self.path} is not an HDF5 file (no HDF5 signature); give a file written by 'facies ingest'"
            )
        try:
            self.file = h5py.File(self.path, "r")
        except OSError as error:
            raise InvalidInputError(f"cannot open HDF5 file {self.path}: {error}; the file may be damaged") from None

        self.volume_names = [
            name
            for name, item in self.file.items()
            if isinstance(item, h5py.Dataset) and item.ndim >= 3 and name not in _AXIS_DATASETS
        ]
        if not self.volume_names:
            self.file.close()
            raise InvalidInputError(
                f"{self.path} has no 3D dataset; give an HDF5 file with a '{SEISMIC}' or '{LABELS}' dataset"
            )
        shape = self.file[self.volume_names[0]].shape
        self.inlines = self._axis(INLINE, shape[0], np.int64)
        self.crosslines = self._axis(CROSSLINE, shape[1], np.int64)
        self.samples = self._axis(SAMPLE, shape[2], np.float64)
        if LIVE in self.file:
            self.live = np.asarray(self.file[LIVE][...], dtype=bool)
        else:
            self.live = np.ones(shape[:2], dtype=bool)

    def _axis(self, name: str, size: int, dtype: Any) -> np.ndarray:
        if name not in self.file:
            return np.arange(size, dtype=dtype)
        axis = np.asarray(self.file[name][...], dtype=dtype).reshape(-1)
        if axis.size != size:
            raise InvalidInputError(
                f"{self.path}: dataset '{name}' has {axis.size} values but the volume has {size} along "
                "that axis; rewrite the file"
            )
        return axis

    def __enter__(self) -> VolumeStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the HDF5 file."""
        self.file.close()

    @property
    def attrs(self) -> dict[str, Any]:
        """File attributes (domain, unit, headers, counts)."""
        return {key: _plain(value) for key, value in self.file.attrs.items()}

    @property
    def domain(self) -> str:
        """Vertical domain: ``"time"``, ``"depth"`` or ``"index"`` when unknown."""
        return str(self.file.attrs.get("domain", "time" if SAMPLE in self.file else "index"))

    @property
    def unit(self) -> str:
        """Unit of the sample axis: ``"ms"``, ``"m"``, ``"ft"`` or ``"index"``."""
        return str(self.file.attrs.get("unit", "ms" if SAMPLE in self.file else "index"))

    def default_name(self) -> str:
        """Return ``"seismic"`` if present, else ``"labels"``, else the first 3D dataset."""
        for name in (SEISMIC, LABELS):
            if name in self.volume_names:
                return name
        return self.volume_names[0]

    def dataset(self, name: str | None = None) -> h5py.Dataset:
        """Return a volume dataset (lazy, read on slicing).

        Raises
        ------
        InvalidInputError
            If ``name`` is not a 3D dataset of the file.
        """
        name = self.default_name() if name is None else name
        if name not in self.volume_names:
            raise InvalidInputError(
                f"{self.path} has no volume dataset {name!r}; choose one of {', '.join(self.volume_names)}"
            )
        return self.file[name]

    def read_inline(self, number: int, name: str | None = None) -> np.ndarray:
        """Read the inline section with inline number ``number``, shape (n_crosslines, n_samples)."""
        return self.dataset(name)[_position(self.inlines, number, "inline", self.path)]

    def read_crossline(self, number: int, name: str | None = None) -> np.ndarray:
        """Read the crossline section with crossline number ``number``, shape (n_inlines, n_samples)."""
        return self.dataset(name)[:, _position(self.crosslines, number, "crossline", self.path)]

    def read_slice(self, sample: float, name: str | None = None) -> np.ndarray:
        """Read the slice at the sample nearest to ``sample`` (ms or depth), shape (n_inlines, n_crosslines)."""
        index = int(np.argmin(np.abs(self.samples - float(sample))))
        return self.dataset(name)[:, :, index]

    def coordinates(self) -> tuple[np.ndarray, np.ndarray] | None:
        """Return the CDP X and Y of each cell, shape (n_inlines, n_crosslines), or None if not stored."""
        if CDP_X in self.file and CDP_Y in self.file:
            return np.asarray(self.file[CDP_X][...]), np.asarray(self.file[CDP_Y][...])
        return None

    def to_xarray(self, name: str | None = None) -> Any:
        """Load a volume dataset into an ``xarray.DataArray`` (see :func:`to_dataarray`)."""
        name = self.default_name() if name is None else name
        coordinates = self.coordinates()
        attrs = {"source": str(self.path)}
        if "crs" in self.file.attrs:
            attrs["crs"] = str(self.file.attrs["crs"])
        return to_dataarray(
            self.dataset(name)[...],
            inlines=self.inlines,
            crosslines=self.crosslines,
            samples=self.samples,
            domain=self.domain,
            unit=self.unit,
            name=name,
            cdp_xy=coordinates,
            attrs=attrs,
        )


def open_volume(path: str | os.PathLike[str]) -> VolumeStore:
    """Open a volume HDF5 file for reading (see :class:`VolumeStore`)."""
    return VolumeStore(path)


def to_dataarray(
    data: np.ndarray,
    *,
    inlines: Any,
    crosslines: Any,
    samples: Any,
    domain: str = "time",
    unit: str = "ms",
    name: str | None = None,
    cdp_xy: tuple[np.ndarray, np.ndarray] | None = None,
    attrs: Mapping[str, Any] | None = None,
) -> Any:
    """Wrap a volume in an ``xarray.DataArray`` with segysak's dimension names.

    Parameters
    ----------
    data : ndarray of shape (n_inlines, n_crosslines, n_samples)
        The volume.
    inlines, crosslines : array-like of int
        Coordinates of the ``iline`` and ``xline`` dimensions.
    samples : array-like of float
        Coordinates of the ``samples`` dimension, in ``unit``.
    domain : str, default="time"
        ``"time"``, ``"depth"`` or ``"index"``, stored in ``attrs["domain"]``.
    unit : str, default="ms"
        Sample unit, stored in ``attrs["unit"]`` and in the ``samples``
        coordinate's ``units`` attribute.
    name : str, optional
        Name of the array (for example ``"seismic"``).
    cdp_xy : tuple of two ndarrays of shape (n_inlines, n_crosslines), optional
        CDP X and Y, added as the 2D coordinates ``cdp_x`` and ``cdp_y``.
    attrs : mapping, optional
        More attributes.

    Returns
    -------
    xarray.DataArray
        Dims ``("iline", "xline", "samples")``.
    """
    import xarray as xr

    data = np.asarray(data)
    if data.ndim != 3:
        raise InvalidInputError(f"volume has shape {data.shape}; an xarray volume needs 3 dimensions")
    coords: dict[str, Any] = {
        "iline": np.asarray(inlines),
        "xline": np.asarray(crosslines),
        "samples": ("samples", np.asarray(samples, dtype=np.float64), {"units": unit}),
    }
    if cdp_xy is not None:
        coords["cdp_x"] = (("iline", "xline"), np.asarray(cdp_xy[0]))
        coords["cdp_y"] = (("iline", "xline"), np.asarray(cdp_xy[1]))
    all_attrs = {"domain": domain, "unit": unit, **dict(attrs or {})}
    return xr.DataArray(data, dims=("iline", "xline", "samples"), coords=coords, name=name, attrs=all_attrs)


def _position(axis: np.ndarray, number: int, label: str, path: Path) -> int:
    matches = np.nonzero(axis == number)[0]
    if matches.size == 0:
        raise InvalidInputError(f"{path} has no {label} {number}; {label}s run from {axis.min()} to {axis.max()}")
    return int(matches[0])


def _plain(value: Any) -> Any:
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, np.generic):
        return value.item()
    return value
