"""Inline/crossline geometry: header-word detection and the trace grid.

Post-stack files number their traces by inline and crossline, but not always
at the standard trace-header bytes 189 and 193. This module tries the
locations that writers use in practice and picks the pair that forms a grid.
Every trace is then placed on a full inline x crossline grid with a
live-trace mask, so holes, ragged edges and out-of-order traces need no
special case.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np

from seismic.errors import SegyFormatError

__all__ = [
    "Geometry",
    "INLINE_BYTES",
    "CROSSLINE_BYTES",
    "SU_INLINE_BYTES",
    "SU_CROSSLINE_BYTES",
    "OFFSET_BYTE",
    "build_geometry",
    "detect_geometry",
]

logger = logging.getLogger(__name__)

# Post-stack header locations, in order of preference. 189/193 is the SEG-Y
# revision-1 standard. Petrel and OpendTect exports also write the numbers at
# 9/21 (field record and CDP) or 5/21, and 17 (energy source point) often
# repeats the crossline. 221/225 are tried last.
INLINE_BYTES = (189, 9, 5, 221)
CROSSLINE_BYTES = (193, 21, 17, 225)

# Seismic Unix keeps its own fields (d1, f1, d2, f2, ...) from byte 181 on,
# so only the lower candidates apply there.
SU_INLINE_BYTES = (9, 5)
SU_CROSSLINE_BYTES = (21, 17)

OFFSET_BYTE = 37
FIELD_RECORD_BYTE = 9
CHANNEL_BYTE = 13

# An automatically detected grid must have at least this share of live
# cells, because sparser "grids" come from header words that are not inline
# and crossline numbers (for example a trace counter).
MIN_DETECTED_FILL = 0.1

# Grids with more cells than this many times the trace count (and more than
# MAX_CELLS_FLOOR cells) are rejected, because the words cannot be line numbers.
MAX_CELLS_PER_TRACE = 1000
MAX_CELLS_FLOOR = 1_000_000


@dataclass(frozen=True, eq=False)
class Geometry:
    """Inline x crossline grid of a post-stack file.

    Attributes
    ----------
    inlines : np.ndarray of int64, shape (n_inlines,)
        Inline numbers, ascending, with a constant step. Numbers without any
        trace inside the range are included.
    crosslines : np.ndarray of int64, shape (n_crosslines,)
        Crossline numbers, ascending, with a constant step.
    trace_index : np.ndarray of int64, shape (n_inlines, n_crosslines)
        The file's trace number (0-based) at each grid cell, -1 where the file
        has no trace.
    iline_byte, xline_byte : int
        1-based trace-header byte positions of the 4-byte inline and crossline numbers.
    sorting : str
        ``"inline"`` when the crossline number changes fastest in the file,
        ``"crossline"`` when the inline number does.
    """

    inlines: np.ndarray
    crosslines: np.ndarray
    trace_index: np.ndarray
    iline_byte: int
    xline_byte: int
    sorting: str
    _live: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_live", self.trace_index >= 0)

    @property
    def live(self) -> np.ndarray:
        """Bool mask of shape (n_inlines, n_crosslines), True where the file has a trace."""
        return self._live

    @property
    def shape(self) -> tuple[int, int]:
        """Grid shape ``(n_inlines, n_crosslines)``."""
        return self.trace_index.shape

    @property
    def n_live(self) -> int:
        """Number of grid cells with a trace."""
        return int(self._live.sum())

    @property
    def n_missing(self) -> int:
        """Number of grid cells without a trace."""
        return int(self.trace_index.size - self.n_live)

    @property
    def inline_step(self) -> int:
        """Increment between neighbouring inline numbers (1 for a single inline)."""
        return int(self.inlines[1] - self.inlines[0]) if len(self.inlines) > 1 else 1

    @property
    def crossline_step(self) -> int:
        """Increment between neighbouring crossline numbers (1 for a single crossline)."""
        return int(self.crosslines[1] - self.crosslines[0]) if len(self.crosslines) > 1 else 1

    def trace_cells(self) -> tuple[np.ndarray, np.ndarray]:
        """Return the grid cell of every trace in file order.

        Returns
        -------
        inline_index, crossline_index : np.ndarray of int64, shape (n_traces,)
            Row and column in :attr:`trace_index` of trace 0, 1, ...
        """
        rows, cols = np.nonzero(self._live)
        order = np.argsort(self.trace_index[rows, cols])
        return rows[order], cols[order]

    def inline_position(self, inline: int) -> int:
        """Return the row of ``inline`` in the grid, raising SegyFormatError if it is not an inline number."""
        return _position(self.inlines, inline, "inline")

    def crossline_position(self, crossline: int) -> int:
        """Return the column of ``crossline`` in the grid, raising SegyFormatError if it is not a crossline number."""
        return _position(self.crosslines, crossline, "crossline")


def _position(axis: np.ndarray, number: int, name: str) -> int:
    matches = np.flatnonzero(axis == number)
    if len(matches) == 0:
        step = int(axis[1] - axis[0]) if len(axis) > 1 else 1
        raise SegyFormatError(
            f"{name} {number} is not in the file; give a {name} number from {int(axis[0])} to {int(axis[-1])} in steps of {step}"
        )
    return int(matches[0])


# A value range up to this many times the number of values (plus a floor)
# is deduplicated with a mask over the range instead of a sort.
_MASK_RANGE_PER_VALUE = 4
_MASK_RANGE_FLOOR = 1 << 16


def _unique(values: np.ndarray) -> np.ndarray:
    """Return the sorted distinct values of an int64 array.

    Inline and crossline numbers span a range close to their count, so a
    mask over the range finds them in linear time. Wide ranges fall back to
    ``np.unique``.
    """
    if values.size == 0:
        return values[:0]
    low, high = int(values.min()), int(values.max())
    span = high - low + 1
    if span > _MASK_RANGE_PER_VALUE * values.size + _MASK_RANGE_FLOOR:
        return np.unique(values)
    seen = np.zeros(span, dtype=bool)
    seen[values - low] = True
    return np.flatnonzero(seen) + low


def _axis_count(unique: np.ndarray) -> tuple[int, int]:
    """Return the step (gcd of the gaps) and the length of the full axis spanning sorted distinct values."""
    step = int(np.gcd.reduce(np.diff(unique))) if len(unique) > 1 else 1
    return step, int((unique[-1] - unique[0]) // step) + 1


def _axis(values: np.ndarray, unique: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Return the full numbered axis spanning ``values`` and each value's position on it."""
    unique = _unique(values) if unique is None else unique
    step, count = _axis_count(unique)
    axis = unique[0] + step * np.arange(count, dtype=np.int64)
    positions = values - unique[0]
    if step != 1:
        positions //= step
    return axis, positions


def _sorting(inlines: np.ndarray, crosslines: np.ndarray) -> str:
    inline_changes = int(np.count_nonzero(np.diff(inlines)))
    crossline_changes = int(np.count_nonzero(np.diff(crosslines)))
    return "inline" if inline_changes <= crossline_changes else "crossline"


def _grid_cells(unique_inlines: np.ndarray, unique_crosslines: np.ndarray) -> int:
    """Return the cell count of the grid that sorted distinct inline and crossline numbers span."""
    return _axis_count(unique_inlines)[1] * _axis_count(unique_crosslines)[1]


def build_geometry(
    inlines: np.ndarray,
    crosslines: np.ndarray,
    iline_byte: int,
    xline_byte: int,
    *,
    source: str = "file",
    unique_inlines: np.ndarray | None = None,
    unique_crosslines: np.ndarray | None = None,
) -> Geometry:
    """Place traces on the inline x crossline grid their numbers span.

    Parameters
    ----------
    inlines, crosslines : np.ndarray of int, shape (n_traces,)
        Each trace's inline and crossline number, in file order.
    iline_byte, xline_byte : int
        Where the numbers were read, recorded in the result and quoted in messages.
    source : str, default "file"
        The file name, quoted in messages.
    unique_inlines, unique_crosslines : np.ndarray of int64, optional
        The sorted distinct values of ``inlines`` and ``crosslines`` when the
        caller has them already; computed by default.

    Returns
    -------
    Geometry

    Raises
    ------
    SegyFormatError
        If two traces share an inline/crossline pair, or the numbers span a
        grid far larger than the trace count.
    """
    inlines = np.asarray(inlines, dtype=np.int64)
    crosslines = np.asarray(crosslines, dtype=np.int64)
    n_traces = len(inlines)
    unique_inlines = _unique(inlines) if unique_inlines is None else unique_inlines
    unique_crosslines = _unique(crosslines) if unique_crosslines is None else unique_crosslines

    n_cells = _grid_cells(unique_inlines, unique_crosslines)
    if n_cells > max(MAX_CELLS_PER_TRACE * n_traces, MAX_CELLS_FLOOR):
        raise SegyFormatError(
            f"{source}: the words at bytes {iline_byte}/{xline_byte} span a grid of {n_cells} cells "
            f"for {n_traces} traces, so they are not inline/crossline numbers; "
            "give other --iline-byte/--xline-byte positions"
        )

    inline_axis, rows = _axis(inlines, unique_inlines)
    crossline_axis, cols = _axis(crosslines, unique_crosslines)
    trace_index = np.full((len(inline_axis), len(crossline_axis)), -1, dtype=np.int64)
    flat = rows * len(crossline_axis) + cols
    trace_index.reshape(-1)[flat] = np.arange(n_traces, dtype=np.int64)

    # A repeated pair writes its cell twice, so fewer cells than traces are filled.
    n_filled = int(np.count_nonzero(trace_index >= 0))
    if n_filled != n_traces:
        raise SegyFormatError(
            f"{source}: {n_traces - n_filled} of {n_traces} traces repeat an inline/crossline pair "
            f"at bytes {iline_byte}/{xline_byte} (pre-stack gathers or the wrong header words); "
            "stack the gathers first or give other --iline-byte/--xline-byte positions"
        )

    return Geometry(
        inlines=inline_axis,
        crosslines=crossline_axis,
        trace_index=trace_index,
        iline_byte=int(iline_byte),
        xline_byte=int(xline_byte),
        sorting=_sorting(inlines, crosslines),
    )


@dataclass(frozen=True)
class _PairReport:
    """Counts of the values and pairs that two header words take over all traces."""

    iline_byte: int
    xline_byte: int
    n_inlines: int
    n_crosslines: int
    n_pairs: int
    n_cells: int

    @property
    def fill(self) -> float:
        return self.n_pairs / self.n_cells


class _HeaderWords(dict):
    """Header words of every trace by byte position, read on first use, with their distinct values."""

    def __init__(self, read_word: Callable[[int], np.ndarray]) -> None:
        super().__init__()
        self._read_word = read_word
        self._unique: dict[int, np.ndarray] = {}

    def __missing__(self, byte: int) -> np.ndarray:
        values = np.asarray(self._read_word(byte), dtype=np.int64)
        self[byte] = values
        return values

    def unique(self, byte: int) -> np.ndarray:
        if byte not in self._unique:
            self._unique[byte] = _unique(self[byte])
        return self._unique[byte]

    def n_unique(self, byte: int) -> int:
        return len(self.unique(byte))

    def build(self, iline_byte: int, xline_byte: int, source: str) -> Geometry:
        return build_geometry(
            self[iline_byte],
            self[xline_byte],
            iline_byte,
            xline_byte,
            source=source,
            unique_inlines=self.unique(iline_byte),
            unique_crosslines=self.unique(xline_byte),
        )


def _count_pairs(inlines: np.ndarray, crosslines: np.ndarray, n_cells: int) -> int:
    """Return the number of distinct (inline, crossline) pairs; ``n_cells`` is the size of the grid they span."""
    low_inline, low_crossline = int(inlines.min()), int(crosslines.min())
    width = int(crosslines.max()) - low_crossline + 1
    n_keys = (int(inlines.max()) - low_inline + 1) * width
    if n_keys >= 2**62:
        return np.unique(np.stack([inlines, crosslines], axis=1), axis=0).shape[0]
    # One int64 key per pair: a mask over the keys when the grid is not much
    # larger than the trace count, else a sort of the keys.
    keys = (inlines - low_inline) * width + (crosslines - low_crossline)
    if n_keys <= _MASK_RANGE_PER_VALUE * inlines.size + _MASK_RANGE_FLOOR:
        seen = np.zeros(n_keys, dtype=bool)
        seen[keys] = True
        return int(np.count_nonzero(seen))
    return len(np.unique(keys))


def _describe_pair(iline_byte: int, xline_byte: int, words: _HeaderWords) -> _PairReport:
    inlines, crosslines = words[iline_byte], words[xline_byte]
    n_cells = _grid_cells(words.unique(iline_byte), words.unique(xline_byte))
    return _PairReport(
        iline_byte=iline_byte,
        xline_byte=xline_byte,
        n_inlines=words.n_unique(iline_byte),
        n_crosslines=words.n_unique(xline_byte),
        n_pairs=_count_pairs(inlines, crosslines, n_cells),
        n_cells=n_cells,
    )


def _is_grid(report: _PairReport, n_traces: int) -> bool:
    """Tell whether the pair numbers a 3D grid with one trace per cell."""
    return (
        report.n_pairs == n_traces
        and 1 < report.n_inlines < n_traces
        and 1 < report.n_crosslines < n_traces
        and report.fill >= MIN_DETECTED_FILL
    )


def _is_line(report: _PairReport, n_traces: int) -> bool:
    """Tell whether the pair numbers a 2D line: one inline number, a distinct crossline per trace."""
    return report.n_inlines == 1 and report.n_crosslines == n_traces


def _varies_within_pairs(words: _HeaderWords, iline_byte: int, xline_byte: int) -> bool:
    """Tell whether the offset word takes several values among traces that share a pair."""
    keys = np.stack([words[iline_byte], words[xline_byte]], axis=1)
    _, group = np.unique(keys, axis=0, return_inverse=True)
    offsets = words[OFFSET_BYTE]
    return len(np.unique(np.stack([group.ravel(), offsets]), axis=1)[0]) > len(np.unique(group))


def _shot_gathers(words: _HeaderWords, n_traces: int) -> str | None:
    """Describe the file as shot gathers when the field record and channel words both vary, else None."""
    n_records, n_channels = words.n_unique(FIELD_RECORD_BYTE), words.n_unique(CHANNEL_BYTE)
    if n_records < 2 or n_channels < 2 or n_channels >= n_traces:
        return None
    return (
        f"{n_records} field records (byte {FIELD_RECORD_BYTE}) of up to {n_channels} channels (byte {CHANNEL_BYTE})"
    )


def _constant_summary(words: _HeaderWords, positions: tuple[int, ...]) -> str:
    parts = []
    for byte in positions:
        values = words.unique(byte)
        parts.append(f"{byte}: {values[0]}" if len(values) == 1 else f"{byte}: {len(values)} values")
    return ", ".join(parts)


def detect_geometry(
    read_word: Callable[[int], np.ndarray],
    n_traces: int,
    *,
    iline_byte: int | None = None,
    xline_byte: int | None = None,
    seismic_unix: bool = False,
    source: str = "file",
    prefetch: Callable[[Iterable[int]], None] | None = None,
) -> Geometry:
    """Find the inline/crossline header words and build the grid.

    Parameters
    ----------
    read_word : callable
        ``read_word(byte)`` returns the signed 4-byte word at 1-based trace-header
        byte ``byte`` of every trace, shape (n_traces,), int64.
    n_traces : int
        Number of traces in the file (at least 1).
    iline_byte, xline_byte : int or None, default None
        Positions given by the user. A given position is used as is, and a
        missing one is detected among :data:`INLINE_BYTES` or :data:`CROSSLINE_BYTES`.
    seismic_unix : bool, default False
        Search :data:`SU_INLINE_BYTES` and :data:`SU_CROSSLINE_BYTES` instead,
        for Seismic Unix files.
    source : str, default "file"
        The file name, quoted in messages.
    prefetch : callable, optional
        ``prefetch(bytes)`` reads several 4-byte words of every trace in one
        pass, so that ``read_word`` then returns them without another pass.
        It is called once with all remaining candidates (and the offset,
        field-record and channel words) when the first pair does not form a grid.

    Returns
    -------
    Geometry

    Raises
    ------
    SegyFormatError
        For pre-stack gathers (several traces per inline/crossline pair at
        varying offsets, or shot gathers keyed by field record and channel)
        and for files without any inline/crossline numbering.
    """
    inline_bytes, crossline_bytes = (
        (SU_INLINE_BYTES, SU_CROSSLINE_BYTES) if seismic_unix else (INLINE_BYTES, CROSSLINE_BYTES)
    )
    inline_choices = (iline_byte,) if iline_byte is not None else inline_bytes
    crossline_choices = (xline_byte,) if xline_byte is not None else crossline_bytes
    words = _HeaderWords(read_word)
    user_given = iline_byte is not None and xline_byte is not None

    # Rank 1: positions given by the user are trusted as they are.
    if user_given:
        geometry = words.build(iline_byte, xline_byte, source)
        _log_choice(geometry, n_traces, "given by the user", source)
        return geometry

    # A single trace is a one-cell grid, whatever its header words hold.
    if n_traces == 1:
        chosen_inline, chosen_crossline = inline_choices[0], crossline_choices[0]
        return words.build(chosen_inline, chosen_crossline, source)

    # Rank 2: the first candidate pair (189/193 unless the user fixed one of
    # them) whenever it forms a grid.
    pairs = [(il, xl) for il in inline_choices for xl in crossline_choices if il != xl]
    first = _describe_pair(*pairs[0], words)
    if _is_grid(first, n_traces):
        geometry = words.build(first.iline_byte, first.xline_byte, source)
        _log_choice(geometry, n_traces, "the first candidate pair forms a grid", source)
        return geometry

    if prefetch is not None:
        prefetch(sorted(set(inline_choices) | set(crossline_choices) | {OFFSET_BYTE, FIELD_RECORD_BYTE, CHANNEL_BYTE}))

    offsets_vary = words.n_unique(OFFSET_BYTE) > 1
    shots = _shot_gathers(words, n_traces)
    if shots is not None and offsets_vary and iline_byte is None and xline_byte is None:
        raise SegyFormatError(
            f"{source}: pre-stack shot gathers, not a post-stack volume: {shots} at varying offsets "
            f"(byte {OFFSET_BYTE}); stack and bin the data first, or give --iline-byte/--xline-byte "
            "if the file does hold inline/crossline numbers"
        )

    # Rank 3: the densest grid among the other pairs, ties going to the earlier candidate.
    reports = [first] + [_describe_pair(il, xl, words) for il, xl in pairs[1:]]
    grids = [report for report in reports if _is_grid(report, n_traces)]
    if grids:
        best = max(grids, key=lambda report: report.fill)
        reason = f"bytes {first.iline_byte}/{first.xline_byte} do not form a grid"
        geometry = words.build(best.iline_byte, best.xline_byte, source)
        _log_choice(geometry, n_traces, reason, source)
        return geometry

    # Rank 4: a 2D line, numbered by one constant inline word and a distinct
    # crossline word per trace. A non-zero inline number wins over zero.
    lines = [report for report in reports if _is_line(report, n_traces)]
    if lines:
        nonzero = [report for report in lines if words[report.iline_byte][0] != 0]
        best = (nonzero or lines)[0]
        geometry = words.build(best.iline_byte, best.xline_byte, source)
        _log_choice(geometry, n_traces, "the file is a 2D line (one inline number)", source)
        return geometry

    # Nothing forms a grid, so the message describes what the file looks like.
    for report in reports:
        if report.n_pairs < n_traces and offsets_vary and _varies_within_pairs(
            words, report.iline_byte, report.xline_byte
        ):
            n_offsets = words.n_unique(OFFSET_BYTE)
            raise SegyFormatError(
                f"{source}: pre-stack gathers, not a post-stack volume: {report.n_inlines} inlines x "
                f"{report.n_crosslines} crosslines (bytes {report.iline_byte}/{report.xline_byte}) with "
                f"{n_traces} traces at {n_offsets} offsets (byte {OFFSET_BYTE}); stack the gathers first"
            )

    looks_like = f"; {shots}, like shot gathers" if shots is not None else ""
    raise SegyFormatError(
        f"{source}: no 3D geometry found in {n_traces} traces: no pair of inline bytes "
        f"({', '.join(map(str, inline_choices))}) and crossline bytes ({', '.join(map(str, crossline_choices))}) "
        f"gives one trace per grid cell ({_constant_summary(words, tuple(sorted(set(inline_choices) | set(crossline_choices))))})"
        f"{looks_like}; give --iline-byte and --xline-byte if the numbers are elsewhere"
    )


def _log_choice(geometry: Geometry, n_traces: int, reason: str, source: str) -> None:
    n_inlines, n_crosslines = geometry.shape
    logger.info(
        "%s: inline/crossline numbers at bytes %d/%d (%s): %d inlines x %d crosslines, %d traces, %d missing",
        source,
        geometry.iline_byte,
        geometry.xline_byte,
        reason,
        n_inlines,
        n_crosslines,
        n_traces,
        geometry.n_missing,
    )
