"""Sections, time slices, horizon slices and windows cut from a volume.

Every function takes a volume of shape ``(n_inlines, n_crosslines,
n_samples)`` as a numpy array, a memory map or an h5py dataset, and reads only
the part it returns with basic slicing (h5py reads the chunks it needs). All
indices are 0-based array positions, not header numbers.

A section is ``(n_traces, n_samples)``: an inline section has a trace per
crossline, a crossline section a trace per inline. A plane slice is
``(n_inlines, n_crosslines)``.

This module imports numpy only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np

from seismic.errors import InvalidInputError

__all__ = [
    "inline_section",
    "crossline_section",
    "section",
    "time_slice",
    "horizon_slice",
    "time_to_index",
    "extract_window",
    "pad_reflect",
]


def _check_volume(volume: Any) -> tuple[int, int, int]:
    shape = tuple(int(size) for size in volume.shape)
    if len(shape) != 3:
        raise InvalidInputError(f"volume has shape {shape}; give a 3-D volume (inlines x crosslines x samples)")
    return shape  # type: ignore[return-value]


def _check_index(index: int, size: int, name: str) -> int:
    index = int(index)
    if not 0 <= index < size:
        raise InvalidInputError(f"{name} index {index} is outside 0 to {size - 1}; give an index inside the volume")
    return index


def _trace_range(start: int, stop: int | None, size: int, name: str) -> tuple[int, int]:
    stop = size if stop is None else int(stop)
    if not 0 <= start < stop <= size:
        raise InvalidInputError(
            f"trace range [{start}, {stop}) along the {name} axis is invalid for {size} {name}s; "
            f"give 0 <= start < stop <= {size}"
        )
    return int(start), stop


def inline_section(volume: Any, index: int, start: int = 0, stop: int | None = None) -> np.ndarray:
    """Return the inline section at inline ``index``, crosslines ``[start, stop)``.

    Returns
    -------
    ndarray of shape (stop - start, n_samples)
        One row per crossline, in the volume's dtype.
    """
    n_inlines, n_crosslines, _ = _check_volume(volume)
    index = _check_index(index, n_inlines, "inline")
    start, stop = _trace_range(start, stop, n_crosslines, "crossline")
    return np.asarray(volume[index, start:stop, :])


def crossline_section(volume: Any, index: int, start: int = 0, stop: int | None = None) -> np.ndarray:
    """Return the crossline section at crossline ``index``, inlines ``[start, stop)``.

    Returns
    -------
    ndarray of shape (stop - start, n_samples)
        One row per inline, in the volume's dtype.
    """
    n_inlines, n_crosslines, _ = _check_volume(volume)
    index = _check_index(index, n_crosslines, "crossline")
    start, stop = _trace_range(start, stop, n_inlines, "inline")
    return np.asarray(volume[start:stop, index, :])


def section(
    volume: Any,
    axis: Literal["inline", "crossline"],
    index: int,
    start: int = 0,
    stop: int | None = None,
) -> np.ndarray:
    """Return an inline or crossline section (see :func:`inline_section`, :func:`crossline_section`)."""
    if axis == "inline":
        return inline_section(volume, index, start, stop)
    if axis == "crossline":
        return crossline_section(volume, index, start, stop)
    raise InvalidInputError(f"invalid section axis {axis!r}; use 'inline' or 'crossline'")


def time_slice(volume: Any, sample: int) -> np.ndarray:
    """Return the plane at sample index ``sample`` (a time or depth slice).

    Returns
    -------
    ndarray of shape (n_inlines, n_crosslines)

    Notes
    -----
    A volume chunked along inlines and crosslines stores each trace whole, so
    reading one slice from HDF5 reads every chunk of the volume.
    """
    _, _, n_samples = _check_volume(volume)
    sample = _check_index(sample, n_samples, "sample")
    return np.asarray(volume[:, :, sample])


def time_to_index(samples: np.ndarray, values: Any) -> np.ndarray:
    """Convert times or depths to fractional sample indices.

    Parameters
    ----------
    samples : ndarray of shape (n_samples,)
        Time or depth of each sample, increasing (for example in ms).
    values : array-like
        Times or depths in the same unit; NaN stays NaN.

    Returns
    -------
    ndarray of float64, same shape as ``values``
        Fractional sample index; NaN outside ``[samples[0], samples[-1]]``.
    """
    samples = np.asarray(samples, dtype=np.float64)
    if samples.ndim != 1 or samples.size < 2 or np.any(np.diff(samples) <= 0):
        raise InvalidInputError("sample axis must hold at least 2 increasing values; check the volume's samples")
    values = np.asarray(values, dtype=np.float64)
    index = np.interp(values, samples, np.arange(samples.size, dtype=np.float64))
    outside = (values < samples[0]) | (values > samples[-1]) | ~np.isfinite(values)
    index[outside] = np.nan
    return index


def horizon_slice(
    volume: Any,
    horizon: np.ndarray,
    offset: float = 0.0,
    *,
    interpolation: Literal["linear", "nearest"] = "linear",
    fill_value: float = np.nan,
) -> np.ndarray:
    """Return the values along a horizon, shifted by ``offset`` samples.

    Parameters
    ----------
    volume : array-like of shape (n_inlines, n_crosslines, n_samples)
        Amplitudes or classes.
    horizon : ndarray of shape (n_inlines, n_crosslines)
        Fractional sample index of the horizon at each trace (see
        :func:`time_to_index`); NaN where it is not interpreted.
    offset : float, default=0.0
        Shift in samples, positive downwards, for a slice parallel to the horizon.
    interpolation : {"linear", "nearest"}, default="linear"
        Between samples: linear for amplitudes, nearest for classes.
    fill_value : float, default=NaN
        Value where the horizon is NaN or the shifted index leaves the trace.
        Use -1 for classes.

    Returns
    -------
    ndarray of shape (n_inlines, n_crosslines)
        float64 for linear interpolation, the volume's dtype promoted to hold
        ``fill_value`` for nearest.
    """
    n_inlines, n_crosslines, n_samples = _check_volume(volume)
    horizon = np.asarray(horizon, dtype=np.float64)
    if horizon.shape != (n_inlines, n_crosslines):
        raise InvalidInputError(
            f"horizon has shape {horizon.shape} but the volume has {(n_inlines, n_crosslines)} traces; "
            "give one sample index per trace"
        )
    if interpolation not in ("linear", "nearest"):
        raise InvalidInputError(f"invalid interpolation {interpolation!r}; use 'linear' or 'nearest'")

    position = horizon + offset
    if interpolation == "nearest":
        position = np.round(position)
    valid = np.isfinite(position) & (position >= 0) & (position <= n_samples - 1)

    if interpolation == "nearest":
        out_dtype = np.result_type(np.asarray(volume[0, 0, :1]).dtype, np.min_scalar_type(fill_value))
    else:
        out_dtype = np.float64
    out = np.full((n_inlines, n_crosslines), fill_value, dtype=out_dtype)

    # Read one inline at a time so an h5py volume is never loaded whole.
    for inline in np.flatnonzero(valid.any(axis=1)):
        columns = np.flatnonzero(valid[inline])
        traces = np.asarray(volume[int(inline)])[columns]
        where = position[inline, columns]
        lower = np.floor(where).astype(np.int64)
        rows = np.arange(columns.size)
        if interpolation == "nearest":
            out[inline, columns] = traces[rows, lower]
            continue
        upper = np.minimum(lower + 1, n_samples - 1)
        weight = where - lower
        out[inline, columns] = (1.0 - weight) * traces[rows, lower] + weight * traces[rows, upper]
    return out


def extract_window(
    volume: Any,
    starts: tuple[int, ...],
    size: tuple[int, ...],
    *,
    pad_mode: Literal["reflect", "constant"] = "reflect",
    fill_value: float = 0,
) -> np.ndarray:
    """Return a window of a volume or section, padded where it passes the end.

    Parameters
    ----------
    volume : array-like of any dimension
        The array to cut from (numpy array or h5py dataset).
    starts : tuple of int
        First index of the window on each axis, each at least 0 and below the axis size.
    size : tuple of int
        Window size on each axis. Where ``start + size`` passes the axis end,
        the missing part is padded.
    pad_mode : {"reflect", "constant"}, default="reflect"
        Mirror the data (amplitudes) or fill with ``fill_value`` (classes, with -1).
    fill_value : float, default=0
        Fill for ``pad_mode="constant"``.

    Returns
    -------
    ndarray of shape ``size``
    """
    shape = tuple(int(extent) for extent in volume.shape)
    if not len(starts) == len(size) == len(shape):
        raise InvalidInputError(
            f"window starts {tuple(starts)} and size {tuple(size)} must both have one entry per axis of {shape}"
        )
    for start, extent, axis_size in zip(starts, size, shape):
        if not 0 <= start < axis_size or extent < 1:
            raise InvalidInputError(
                f"window starts {tuple(starts)} with size {tuple(size)} do not fit volume shape {shape}; "
                "give starts inside the volume and sizes of at least 1"
            )
    if pad_mode == "reflect":
        # Mirror about the volume's edge, not the window's, so padded values are the volume's own neighbours.
        positions = [_mirror(np.arange(start, start + extent), axis_size) for start, extent, axis_size in zip(starts, size, shape)]
        bounds = tuple(slice(int(axis.min()), int(axis.max()) + 1) for axis in positions)
        block = np.asarray(volume[bounds])
        return block[np.ix_(*(axis - bound.start for axis, bound in zip(positions, bounds)))]
    if pad_mode != "constant":
        raise InvalidInputError(f"invalid pad_mode {pad_mode!r}; use 'reflect' or 'constant'")
    index = tuple(slice(start, min(start + extent, axis_size)) for start, extent, axis_size in zip(starts, size, shape))
    window = np.asarray(volume[index])
    padding = [(0, extent - got) for extent, got in zip(size, window.shape)]
    if not any(after for _, after in padding):
        return window
    return np.pad(window, padding, mode="constant", constant_values=fill_value)


def _mirror(positions: np.ndarray, size: int) -> np.ndarray:
    """Fold indices past either end of an axis of ``size`` back into it by mirroring about the end samples."""
    if size == 1:
        return np.zeros_like(positions)
    period = 2 * (size - 1)
    folded = np.mod(positions, period)
    return np.where(folded >= size, period - folded, folded)


def pad_reflect(array: np.ndarray, padding: Sequence[tuple[int, int]]) -> np.ndarray:
    """Pad an array by mirroring it about its edge samples.

    Unlike ``torch.nn.functional.pad``, the padding may exceed the axis size
    (the mirroring repeats), and an axis of size 1 is repeated instead.

    Parameters
    ----------
    array : ndarray
        The array.
    padding : sequence of (before, after)
        Number of values to add on each side of each axis.
    """
    for axis, (before, after) in enumerate(padding):
        if not before and not after:
            continue
        axis_padding = [(0, 0)] * array.ndim
        axis_padding[axis] = (before, after)
        mode = "reflect" if array.shape[axis] > 1 else "edge"
        array = np.pad(array, axis_padding, mode=mode)
    return array
