"""Section, slice, patch and cube windows that cover the whole volume.

Window starts come from :func:`window_starts`: a regular stride from 0, plus
one last window shifted back to end exactly at the edge. The last rows and
columns are therefore never dropped, whatever the extent, window and stride,
and a stride no longer than the window covers every index. A window larger
than the extent starts at 0 and is padded by the dataset that reads it.

The references here are plain frozen dataclasses holding array indices; the
datasets in :mod:`models.datasets` and :mod:`models.window_datasets` read them.
This module imports numpy only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from models.splits import AXES, SectionRef
from seismic.errors import InvalidInputError

__all__ = [
    "window_starts",
    "section_refs",
    "PatchRef",
    "patch_refs",
    "CubeRef",
    "cube_refs",
    "SliceRef",
    "slice_refs",
]


def window_starts(size: int, window: int, stride: int) -> np.ndarray:
    """Return the start of each window along an axis so the windows cover it.

    Parameters
    ----------
    size : int
        Extent of the axis (samples or traces).
    window : int
        Window length.
    stride : int
        Step between window starts. A stride longer than the window skips
        the indices between windows (sparse sampling) but still ends at the edge.

    Returns
    -------
    ndarray of int64
        ``0, stride, 2 * stride, ...`` while the window fits, then
        ``size - window`` if the last regular window ends before the edge.
        ``[0]`` when ``window >= size`` (the window is padded).

    Examples
    --------
    >>> window_starts(10, 4, 3).tolist()
    [0, 3, 6]
    >>> window_starts(11, 4, 3).tolist()
    [0, 3, 6, 7]
    >>> window_starts(3, 8, 4).tolist()
    [0]
    """
    for name, value in (("size", size), ("window", window), ("stride", stride)):
        if int(value) != value or value < 1:
            raise InvalidInputError(f"invalid {name} {value}; give an integer of at least 1")
    if window >= size:
        return np.zeros(1, dtype=np.int64)
    starts = np.arange(0, size - window + 1, stride, dtype=np.int64)
    if starts[-1] + window < size:
        starts = np.append(starts, size - window)
    return starts


def section_refs(
    shape: Sequence[int],
    *,
    axes: Iterable[str] = AXES,
    inlines: range | None = None,
    live: np.ndarray | None = None,
) -> list[SectionRef]:
    """List full-depth sections along inlines and crosslines.

    Parameters
    ----------
    shape : sequence of int
        Volume shape; the first two entries (inlines, crosslines) are used.
    axes : iterable of str, default=("inline", "crossline")
        Section directions.
    inlines : range, optional
        Restrict to these inline indices; crossline sections are cut to the
        range. Default: every inline.
    live : ndarray of bool, shape (n_inlines, n_crosslines), optional
        Sections without a live trace are left out.

    Returns
    -------
    list of SectionRef
    """
    n_inlines, n_crosslines = int(shape[0]), int(shape[1])
    block = range(n_inlines) if inlines is None else inlines
    if block.step != 1 or not 0 <= block.start <= block.stop <= n_inlines:
        raise InvalidInputError(f"inline range {block} is invalid for {n_inlines} inlines; give a contiguous range")
    if live is not None and np.shape(live) != (n_inlines, n_crosslines):
        raise InvalidInputError(
            f"live mask has shape {np.shape(live)} but the volume has {(n_inlines, n_crosslines)} traces"
        )
    axes = tuple(axes)
    refs: list[SectionRef] = []
    if len(block) == 0:
        return refs
    if "inline" in axes:
        for inline in block:
            if live is None or np.any(live[inline]):
                refs.append(SectionRef("inline", inline, 0, n_crosslines))
    if "crossline" in axes:
        for crossline in range(n_crosslines):
            if live is None or np.any(live[block.start : block.stop, crossline]):
                refs.append(SectionRef("crossline", crossline, block.start, block.stop))
    return refs


@dataclass(frozen=True)
class PatchRef:
    """A 2-D window of a section.

    Parameters
    ----------
    section : SectionRef
        The section; trace positions are relative to ``section.start``.
    trace_start : int
        First trace of the window, counted from the section's first trace.
    sample_start : int
        First sample of the window.
    n_traces, n_samples : int
        Window size. The reader pads where the window passes the section's end.
    """

    section: SectionRef
    trace_start: int
    sample_start: int
    n_traces: int
    n_samples: int


def patch_refs(
    sections: Sequence[SectionRef],
    n_samples: int,
    patch_shape: tuple[int, int],
    stride: tuple[int, int] | None = None,
) -> list[PatchRef]:
    """Cover each section with 2-D patches.

    Parameters
    ----------
    sections : sequence of SectionRef
        The sections, for example ``split.sections("train")``.
    n_samples : int
        Number of samples per trace in the volume.
    patch_shape : tuple of int
        ``(n_traces, n_samples)`` of each patch.
    stride : tuple of int, optional
        Step between patch starts along traces and samples. Default:
        ``patch_shape`` (no overlap).

    Returns
    -------
    list of PatchRef
        Every sample of every section lies in at least one patch.
    """
    stride = patch_shape if stride is None else stride
    refs = []
    sample_starts = window_starts(n_samples, patch_shape[1], stride[1])
    for ref in sections:
        for trace_start in window_starts(ref.n_traces, patch_shape[0], stride[0]):
            for sample_start in sample_starts:
                refs.append(PatchRef(ref, int(trace_start), int(sample_start), *patch_shape))
    return refs


@dataclass(frozen=True)
class CubeRef:
    """A 3-D window of a volume.

    Parameters
    ----------
    starts : tuple of int
        ``(inline, crossline, sample)`` index of the first voxel.
    size : tuple of int
        ``(n_inlines, n_crosslines, n_samples)`` of the window. The reader
        pads where the window passes the volume's (or block's) end.
    inline_stop : int
        Inline index the window must not reach: the end of its block, so a
        cube drawn for training never reads test inlines. The reader pads past it.
    """

    starts: tuple[int, int, int]
    size: tuple[int, int, int]
    inline_stop: int


def cube_refs(
    shape: Sequence[int],
    cube_shape: tuple[int, int, int],
    stride: tuple[int, int, int] | None = None,
    *,
    inlines: range | None = None,
    live: np.ndarray | None = None,
) -> list[CubeRef]:
    """Cover a volume, or a block of its inlines, with 3-D cubes.

    Parameters
    ----------
    shape : sequence of int
        ``(n_inlines, n_crosslines, n_samples)``.
    cube_shape : tuple of int
        Cube size along inlines, crosslines and samples.
    stride : tuple of int, optional
        Step between cube starts. Default: ``cube_shape`` (no overlap).
    inlines : range, optional
        Inline block to cover (for example ``split.train_inlines``); cubes
        stay inside it. Default: every inline.
    live : ndarray of bool, shape (n_inlines, n_crosslines), optional
        Cubes whose columns hold no live trace are left out.

    Returns
    -------
    list of CubeRef
    """
    n_inlines, n_crosslines, n_samples = (int(size) for size in shape)
    block = range(n_inlines) if inlines is None else inlines
    if len(block) == 0:
        return []
    stride = cube_shape if stride is None else stride
    refs = []
    for inline_start in window_starts(len(block), cube_shape[0], stride[0]):
        inline = block.start + int(inline_start)
        for crossline in window_starts(n_crosslines, cube_shape[1], stride[1]):
            crossline = int(crossline)
            if live is not None:
                columns = live[inline : min(inline + cube_shape[0], block.stop), crossline : crossline + cube_shape[1]]
                if not np.any(columns):
                    continue
            for sample in window_starts(n_samples, cube_shape[2], stride[2]):
                refs.append(CubeRef((inline, crossline, int(sample)), tuple(cube_shape), block.stop))
    return refs


@dataclass(frozen=True)
class SliceRef:
    """A plane-view slice: a time/depth slice, or a slice following a horizon.

    Parameters
    ----------
    sample : float
        Sample index of a time/depth slice, or the shift in samples from the
        horizon (positive downwards) for a horizon slice.
    horizon : int or None
        Index of the horizon in the dataset's horizon list; None for a time/depth slice.
    """

    sample: float
    horizon: int | None = None


def slice_refs(
    n_samples: int,
    *,
    stride: int = 1,
    n_horizons: int = 0,
    offsets: Sequence[float] = (0.0,),
) -> list[SliceRef]:
    """List time/depth slices every ``stride`` samples, then slices along each horizon.

    Parameters
    ----------
    n_samples : int
        Samples per trace.
    stride : int, default=1
        Step between time/depth slices; the last sample is always included.
    n_horizons : int, default=0
        Number of horizons to slice along.
    offsets : sequence of float, default=(0.0,)
        Shifts in samples from each horizon.

    Returns
    -------
    list of SliceRef
    """
    refs = [SliceRef(float(sample)) for sample in window_starts(n_samples, 1, stride)]
    for horizon in range(n_horizons):
        refs.extend(SliceRef(float(offset), horizon) for offset in offsets)
    return refs
