"""Spatial block splits along the inline axis, with a gap between blocks.

Neighbouring sections of a survey are nearly identical, so a random split of
sections lets the network see the test data through its neighbours (and
through crossline sections, which cross every inline). A block split keeps
train, validation and test in separate runs of inlines separated by ``gap``
unused inlines, and cuts crossline sections to the inline range of their own
block. No voxel reachable from a training section then lies in the
validation or test block.

The layout with ``test_position="end"`` (inline indices increasing to the right)::

    | train | gap | validation | gap | test |

and with ``test_position="start"`` the mirror image. A block of zero size and
the gap after it are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from seismic.errors import InvalidInputError

__all__ = ["SectionRef", "BlockSplit", "split_inline_blocks", "SUBSETS", "AXES"]

AXES = ("inline", "crossline")
SUBSETS = ("train", "val", "test")

Axis = Literal["inline", "crossline"]
Subset = Literal["train", "val", "test"]


@dataclass(frozen=True)
class SectionRef:
    """A vertical section of a volume, at full depth.

    Parameters
    ----------
    axis : {"inline", "crossline"}
        ``"inline"``: the section at inline index ``index``, whose traces run
        along the crossline axis. ``"crossline"``: the section at crossline
        index ``index``, whose traces run along the inline axis.
    index : int
        Index (0-based array position, not the header number) along ``axis``.
    start, stop : int
        Trace range ``[start, stop)`` along the section: crossline indices for
        an inline section, inline indices for a crossline section.
    """

    axis: Axis
    index: int
    start: int
    stop: int

    def __post_init__(self) -> None:
        if self.axis not in AXES:
            raise InvalidInputError(f"invalid section axis {self.axis!r}; use one of {AXES}")
        if not 0 <= self.start < self.stop:
            raise InvalidInputError(
                f"invalid trace range [{self.start}, {self.stop}) of {self.axis} {self.index}; "
                "give 0 <= start < stop"
            )

    @property
    def n_traces(self) -> int:
        """Number of traces in the section."""
        return self.stop - self.start

    def volume_index(self) -> tuple[int | slice, int | slice]:
        """Return the (inline, crossline) index that selects this section from a volume."""
        if self.axis == "inline":
            return self.index, slice(self.start, self.stop)
        return slice(self.start, self.stop), self.index


@dataclass(frozen=True)
class BlockSplit:
    """Train, validation and test blocks of inlines.

    Build one with :func:`split_inline_blocks`.

    Parameters
    ----------
    n_inlines, n_crosslines : int
        Size of the survey grid.
    train_inlines, val_inlines, test_inlines : range
        Inline indices of each block; ``val_inlines`` or ``test_inlines`` may be empty.
    gap : int
        Number of unused inlines between neighbouring blocks.
    """

    n_inlines: int
    n_crosslines: int
    train_inlines: range
    val_inlines: range
    test_inlines: range
    gap: int

    def inlines(self, subset: Subset) -> range:
        """Return the inline indices of ``subset`` ("train", "val" or "test")."""
        if subset == "train":
            return self.train_inlines
        if subset == "val":
            return self.val_inlines
        if subset == "test":
            return self.test_inlines
        raise InvalidInputError(f"unknown subset {subset!r}; use one of {SUBSETS}")

    def sections(
        self,
        subset: Subset,
        *,
        axes: tuple[str, ...] = AXES,
        live: np.ndarray | None = None,
    ) -> list[SectionRef]:
        """List the sections that ``subset`` may use.

        Parameters
        ----------
        subset : {"train", "val", "test"}
            The block.
        axes : tuple of str, default=("inline", "crossline")
            Section directions to include.
        live : ndarray of bool, shape (n_inlines, n_crosslines), optional
            Live traces. Sections are trimmed to their first and last live
            trace, and sections without a live trace are left out.

        Returns
        -------
        list of SectionRef
            Every inline of the block at full width, then every crossline cut
            to the block's inline range. Empty for an empty block.
        """
        block = self.inlines(subset)
        for axis in axes:
            if axis not in AXES:
                raise InvalidInputError(f"invalid section axis {axis!r}; use one of {AXES}")
        if live is not None:
            live = np.asarray(live, dtype=bool)
            if live.shape != (self.n_inlines, self.n_crosslines):
                raise InvalidInputError(
                    f"live mask has shape {live.shape} but the split is for "
                    f"{(self.n_inlines, self.n_crosslines)} traces; give a mask of the survey grid"
                )
        if len(block) == 0:
            return []

        refs: list[SectionRef] = []
        if "inline" in axes:
            for inline in block:
                span = _live_span(None if live is None else live[inline, :], 0, self.n_crosslines)
                if span is not None:
                    refs.append(SectionRef("inline", inline, *span))
        if "crossline" in axes:
            for crossline in range(self.n_crosslines):
                column = None if live is None else live[block.start : block.stop, crossline]
                span = _live_span(column, block.start, block.stop)
                if span is not None:
                    refs.append(SectionRef("crossline", crossline, *span))
        return refs

    def mask(self, subset: Subset, shape: tuple[int, ...]) -> np.ndarray:
        """Return the traces of ``subset`` as a boolean mask.

        Parameters
        ----------
        subset : {"train", "val", "test"}
            The block.
        shape : tuple of int
            Volume shape; only the first two entries (inlines, crosslines) are used.

        Returns
        -------
        ndarray of bool, shape (n_inlines, n_crosslines)
            True on every trace of the block.
        """
        grid = tuple(shape[:2])
        if grid != (self.n_inlines, self.n_crosslines):
            raise InvalidInputError(
                f"volume grid {grid} differs from the split's grid {(self.n_inlines, self.n_crosslines)}; "
                "build the split for this volume"
            )
        block = self.inlines(subset)
        out = np.zeros(grid, dtype=bool)
        out[block.start : block.stop, :] = True
        return out

    def to_dict(self) -> dict[str, Any]:
        """Return the split as a JSON-ready dictionary of ``[start, stop)`` pairs."""
        return {
            "n_inlines": self.n_inlines,
            "n_crosslines": self.n_crosslines,
            "train_inlines": [self.train_inlines.start, self.train_inlines.stop],
            "val_inlines": [self.val_inlines.start, self.val_inlines.stop],
            "test_inlines": [self.test_inlines.start, self.test_inlines.stop],
            "gap": self.gap,
        }

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> BlockSplit:
        """Rebuild a split from :meth:`to_dict` output."""
        return cls(
            n_inlines=int(values["n_inlines"]),
            n_crosslines=int(values["n_crosslines"]),
            train_inlines=range(*values["train_inlines"]),
            val_inlines=range(*values["val_inlines"]),
            test_inlines=range(*values["test_inlines"]),
            gap=int(values["gap"]),
        )


def split_inline_blocks(
    n_inlines: int,
    n_crosslines: int,
    *,
    test_fraction: float = 0.2,
    val_fraction: float = 0.1,
    gap: int = 2,
    test_position: Literal["start", "end"] = "end",
) -> BlockSplit:
    """Split a survey into train, validation and test blocks of inlines.

    Parameters
    ----------
    n_inlines, n_crosslines : int
        Size of the survey grid.
    test_fraction : float, default=0.2
        Fraction of the inlines in the test block, rounded to a whole number
        of inlines and at least 1 when greater than 0.
    val_fraction : float, default=0.1
        Fraction of the inlines in the validation block, rounded the same way.
    gap : int, default=2
        Unused inlines between neighbouring blocks.
    test_position : {"start", "end"}, default="end"
        Where the test block lies: after the training block at the high
        inline indices, or mirrored to the low ones.

    Returns
    -------
    BlockSplit

    Raises
    ------
    InvalidInputError
        If a fraction is outside [0, 1), the gap is negative, the position is
        unknown, or no inline is left for training.

    Examples
    --------
    >>> split = split_inline_blocks(23, 18)
    >>> split.train_inlines, split.val_inlines, split.test_inlines
    (range(0, 12), range(14, 16), range(18, 23))
    """
    if n_inlines < 1 or n_crosslines < 1:
        raise InvalidInputError(f"invalid survey grid {n_inlines} x {n_crosslines}; both sizes must be at least 1")
    for name, fraction in (("test_fraction", test_fraction), ("val_fraction", val_fraction)):
        if not 0.0 <= fraction < 1.0:
            raise InvalidInputError(f"invalid {name} {fraction}; give a fraction in [0, 1), for example 0.2")
    if gap < 0:
        raise InvalidInputError(f"invalid gap {gap}; give a number of inlines of at least 0")
    if test_position not in ("start", "end"):
        raise InvalidInputError(f"invalid test_position {test_position!r}; use 'start' or 'end'")

    n_test = _block_size(n_inlines, test_fraction)
    n_val = _block_size(n_inlines, val_fraction)
    n_gaps = (n_val > 0) + (n_test > 0)
    n_train = n_inlines - n_test - n_val - gap * n_gaps
    if n_train < 1:
        raise InvalidInputError(
            f"{n_inlines} inlines leave no training inline after {n_test} test, {n_val} validation "
            f"and {n_gaps} gaps of {gap}; lower test_fraction, val_fraction or gap"
        )

    # Lay the blocks out from inline 0 as train, val, test, then mirror if the test block goes first.
    train = range(0, n_train)
    val_start = n_train + (gap if n_val else 0)
    val = range(val_start, val_start + n_val)
    test_start = val.stop + (gap if n_test else 0)
    test = range(test_start, test_start + n_test)
    if test_position == "start":
        train, val, test = (_mirror(block, n_inlines) for block in (train, val, test))

    return BlockSplit(n_inlines, n_crosslines, train, val, test, gap)


def _block_size(n_inlines: int, fraction: float) -> int:
    if fraction == 0:
        return 0
    return max(1, int(round(fraction * n_inlines)))


def _mirror(block: range, n_inlines: int) -> range:
    return range(n_inlines - block.stop, n_inlines - block.start)


def _live_span(live: np.ndarray | None, start: int, stop: int) -> tuple[int, int] | None:
    """Return the trace range from the first to the last live trace, offset by ``start``."""
    if live is None:
        return start, stop
    positions = np.flatnonzero(live)
    if positions.size == 0:
        return None
    return start + int(positions[0]), start + int(positions[-1]) + 1
