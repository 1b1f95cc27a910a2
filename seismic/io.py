"""Load a volume from SEG-Y, HDF5 or ``.npy`` into memory, and save results as HDF5.

The file type is chosen by extension:

======================  =====================================================
``.sgy .segy .su``      SEG-Y or Seismic Unix, read with :func:`seismic.segy.open_segy`
``.h5 .hdf5``           HDF5 in the :mod:`seismic.volume` layout
``.npy``                a bare 3D numpy array; axes are sample indexes
======================  =====================================================
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import h5py
import numpy as np

from seismic.atomic import atomic_output
from seismic.errors import InputNotFoundError, InvalidInputError, ShapeMismatchError
from seismic.volume import VolumeStore, chunk_shape, to_dataarray, write_axes

__all__ = [
    "VolumeData",
    "UnknownFormatError",
    "DatasetNotFoundError",
    "SEGY_EXTENSIONS",
    "HDF5_EXTENSIONS",
    "NPY_EXTENSIONS",
    "load_volume",
    "save_volume_h5",
]

logger = logging.getLogger(__name__)

SEGY_EXTENSIONS = (".sgy", ".segy", ".su")
HDF5_EXTENSIONS = (".h5", ".hdf5")
NPY_EXTENSIONS = (".npy",)


class UnknownFormatError(InvalidInputError):
    """A volume path whose extension names no supported format."""


class DatasetNotFoundError(InvalidInputError, KeyError):
    """An HDF5 volume file without the requested dataset."""

    def __str__(self) -> str:
        # KeyError would quote the message.
        return str(self.args[0]) if self.args else ""


@dataclass
class VolumeData:
    """A volume loaded into memory with its axes.

    Attributes
    ----------
    data : ndarray of shape (n_inlines, n_crosslines, n_samples)
        Amplitudes (float32) or classes (integers). Cells without a trace hold 0.
    inlines : ndarray of int, shape (n_inlines,)
        Inline numbers (0..n-1 for ``.npy``).
    crosslines : ndarray of int, shape (n_crosslines,)
        Crossline numbers (0..n-1 for ``.npy``).
    samples : ndarray of float, shape (n_samples,)
        Sample times in ms or depths (sample indexes for ``.npy``).
    live : ndarray of bool, shape (n_inlines, n_crosslines)
        False where the survey has no trace.
    path : Path
        The file read.
    kind : str
        ``"segy"``, ``"hdf5"`` or ``"npy"``.
    domain : str
        ``"time"``, ``"depth"`` or ``"index"``.
    unit : str
        Unit of ``samples``: ``"ms"``, ``"m"``, ``"ft"`` or ``"index"``.
    attrs : dict
        Other metadata of the source (HDF5 attributes, SEG-Y header facts).
    """

    data: np.ndarray
    inlines: np.ndarray
    crosslines: np.ndarray
    samples: np.ndarray
    live: np.ndarray
    path: Path
    kind: str
    domain: str = "time"
    unit: str = "ms"
    attrs: dict[str, Any] = field(default_factory=dict)

    @property
    def shape(self) -> tuple[int, int, int]:
        """``(n_inlines, n_crosslines, n_samples)``."""
        return tuple(self.data.shape)  # type: ignore[return-value]

    def to_xarray(self, name: str | None = None) -> Any:
        """Wrap the volume in an ``xarray.DataArray`` with dims ``iline``, ``xline``, ``samples``."""
        return to_dataarray(
            self.data,
            inlines=self.inlines,
            crosslines=self.crosslines,
            samples=self.samples,
            domain=self.domain,
            unit=self.unit,
            name=name,
            attrs={"source": str(self.path)},
        )


def load_volume(
    path: str | os.PathLike[str],
    *,
    dataset: str | None = None,
    iline_byte: int | None = None,
    xline_byte: int | None = None,
) -> VolumeData:
    """Read a whole volume into memory, with its inline, crossline and sample axes.

    Parameters
    ----------
    path : path-like
        A ``.sgy``/``.segy``/``.su``, ``.h5``/``.hdf5`` or ``.npy`` file.
    dataset : str, optional
        HDF5 only: the dataset to read. By default ``seismic``, or ``labels``
        when there is no ``seismic``, or the file's only 3D dataset.
    iline_byte, xline_byte : int, optional
        SEG-Y only: 1-based trace-header byte positions of the inline and
        crossline numbers. By default the reader detects them.

    Returns
    -------
    VolumeData
        The volume and its axes. Non-finite SEG-Y samples and cells without a
        trace hold 0.

    Raises
    ------
    InputNotFoundError
        If ``path`` does not exist.
    UnknownFormatError
        If the extension is not one of the above.
    DatasetNotFoundError
        If the HDF5 file has no such dataset.
    InvalidInputError
        If the file contains something other than a 3D volume, or cannot be read.
    """
    path = Path(path)
    if not path.exists():
        raise InputNotFoundError(f"volume file not found: {path}; check the path")
    if path.is_dir():
        raise InvalidInputError(f"{path} is a folder; give a SEG-Y, HDF5 or .npy volume file")
    suffix = path.suffix.lower()
    if dataset is not None and suffix not in HDF5_EXTENSIONS:
        raise InvalidInputError(f"a dataset name ({dataset!r}) applies to HDF5 files only, not {path.name}")

    if suffix in SEGY_EXTENSIONS:
        return _load_segy(path, iline_byte, xline_byte)
    if suffix in HDF5_EXTENSIONS:
        return _load_hdf5(path, dataset)
    if suffix in NPY_EXTENSIONS:
        return _load_npy(path)
    known = ", ".join(SEGY_EXTENSIONS + HDF5_EXTENSIONS + NPY_EXTENSIONS)
    raise UnknownFormatError(
        f"unknown volume file type {suffix or '(no extension)'!r} of {path}; give a file ending in one of {known}"
    )


def save_volume_h5(
    path: str | os.PathLike[str],
    datasets: Mapping[str, np.ndarray],
    *,
    inlines: Any,
    crosslines: Any,
    samples: Any,
    live: Any = None,
    attrs: Mapping[str, Any] | None = None,
) -> Path:
    """Write volumes on one grid to an HDF5 file in the :mod:`seismic.volume` layout.

    Parameters
    ----------
    path : path-like
        Output file, written under a temporary name and renamed on success.
    datasets : mapping of str to ndarray
        Named volumes of shape ``(n_inlines, n_crosslines, n_samples, ...)``,
        for example ``{"labels": classes}`` or ``{"probabilities": p}`` with a
        trailing class axis. Names must differ from the axis datasets
        ``inline``, ``crossline``, ``sample``, ``live``, ``cdp_x``, ``cdp_y``.
    inlines, crosslines : array-like of int
        Grid axes.
    samples : array-like of float
        Sample times (ms) or depths.
    live : array-like of bool, shape (n_inlines, n_crosslines), optional
        Cells holding a trace; all True by default.
    attrs : mapping, optional
        File attributes such as ``domain`` and ``unit``.

    Returns
    -------
    Path
        The written file.

    Raises
    ------
    ShapeMismatchError
        If a volume's first three axes differ from the axis lengths.
    InvalidInputError
        If ``datasets`` is empty or a name is reserved.
    """
    if not datasets:
        raise InvalidInputError("no datasets to save; give at least one named volume")
    grid = (np.size(inlines), np.size(crosslines), np.size(samples))
    reserved = {"inline", "crossline", "sample", "live", "cdp_x", "cdp_y"}
    for name, values in datasets.items():
        if name in reserved:
            raise InvalidInputError(f"dataset name {name!r} is reserved for an axis; choose another name")
        shape = tuple(np.shape(values))
        if len(shape) < 3 or shape[:3] != grid:
            raise ShapeMismatchError(
                f"dataset {name!r} has shape {shape}; its first three axes must be (inlines, crosslines, "
                f"samples) = {grid}"
            )

    with atomic_output(path) as temporary:
        with h5py.File(temporary, "w") as h5:
            write_axes(h5, inlines=inlines, crosslines=crosslines, samples=samples, live=live, attrs=attrs)
            for name, values in datasets.items():
                values = np.asarray(values)
                h5.create_dataset(name, data=values, chunks=chunk_shape(values.shape))
        final = Path(path)
    logger.info("wrote %s (%s)", final, ", ".join(datasets))
    return final


def _load_segy(path: Path, iline_byte: int | None, xline_byte: int | None) -> VolumeData:
    from seismic.segy import open_segy

    with open_segy(path, iline_byte=iline_byte, xline_byte=xline_byte) as segy:
        geometry = segy.geometry
        data = np.asarray(segy.read_volume(), dtype=np.float32)
        live = np.asarray(geometry.live, dtype=bool)
        attrs = {
            "sample_format": segy.sample_format,
            "endian": segy.endian,
            "iline_byte": geometry.iline_byte,
            "xline_byte": geometry.xline_byte,
            "text_header": segy.text_header,
        }
        volume = VolumeData(
            data=data,
            inlines=np.asarray(geometry.inlines),
            crosslines=np.asarray(geometry.crosslines),
            samples=np.asarray(segy.samples, dtype=np.float64),
            live=live,
            path=path,
            kind="segy",
            domain=str(segy.domain),
            unit=str(segy.unit),
            attrs=attrs,
        )

    non_finite = ~np.isfinite(volume.data)
    n_non_finite = int(non_finite.sum())
    if n_non_finite:
        logger.warning("%s: %d non-finite samples (NaN or infinite) set to 0", path, n_non_finite)
        volume.data[non_finite] = 0
    volume.data[~live] = 0
    volume.attrs["n_nonfinite"] = n_non_finite
    return volume


def _load_hdf5(path: Path, dataset: str | None) -> VolumeData:
    with VolumeStore(path) as store:
        if dataset is not None and dataset not in store.volume_names:
            present = ", ".join(store.volume_names)
            raise DatasetNotFoundError(
                f"{path} has no volume dataset {dataset!r}; choose one of {present}"
            )
        name = store.default_name() if dataset is None else dataset
        values = store.dataset(name)
        if values.ndim != 3:
            raise InvalidInputError(
                f"dataset {name!r} of {path} has shape {values.shape}; a volume needs 3 dimensions "
                "(inlines, crosslines, samples)"
            )
        data = values[...]
        attrs = store.attrs
        attrs["dataset"] = name
        return VolumeData(
            data=data,
            inlines=store.inlines,
            crosslines=store.crosslines,
            samples=store.samples,
            live=store.live,
            path=path,
            kind="hdf5",
            domain=store.domain,
            unit=store.unit,
            attrs=attrs,
        )


def _load_npy(path: Path) -> VolumeData:
    try:
        data = np.load(path, allow_pickle=False)
    except (ValueError, OSError, EOFError) as error:
        logger.debug("numpy.load failed on %s: %s", path, error)
        raise InvalidInputError(f"cannot read {path} as a .npy array; save the volume with numpy.save") from None
    if not isinstance(data, np.ndarray) or data.ndim != 3:
        raise InvalidInputError(
            f"{path} contains an array of shape {np.shape(data)}; a volume needs 3 dimensions "
            "(inlines, crosslines, samples)"
        )
    n_inlines, n_crosslines, n_samples = data.shape
    return VolumeData(
        data=data,
        inlines=np.arange(n_inlines, dtype=np.int64),
        crosslines=np.arange(n_crosslines, dtype=np.int64),
        samples=np.arange(n_samples, dtype=np.float64),
        live=np.ones((n_inlines, n_crosslines), dtype=bool),
        path=path,
        kind="npy",
        domain="index",
        unit="index",
    )
