"""Write volumes to SEG-Y: new files, or files that reuse a source survey's trace headers.

Every file written here is big-endian SEG-Y revision 1 with no extended
textual headers and a fixed trace length. Its textual header is EBCDIC, or
ASCII when a source's ASCII header is kept. With the inline and crossline
numbers at bytes 189 and 193, ``segyio.open(path)`` opens it with its default
options.

Byte positions are 1-based, as in the SEG-Y standard: byte 189 is the first
byte of the 4-byte inline word of the 240-byte trace header.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from seismic.atomic import atomic_output
from seismic.errors import InvalidInputError, ShapeMismatchError

__all__ = ["write_segy", "write_like", "build_text_header", "SAMPLE_FORMATS"]

logger = logging.getLogger(__name__)

# Sample format name -> (binary-header format code, big-endian numpy dtype).
SAMPLE_FORMATS: dict[str, tuple[int, str]] = {
    "ieee": (5, ">f4"),
    "int32": (2, ">i4"),
    "int16": (3, ">i2"),
}

TEXT_HEADER_BYTES = 3200
BINARY_HEADER_BYTES = 400
TRACE_HEADER_BYTES = 240
_TEXT_LINES = 40
_TEXT_COLUMNS = 80

# Trace-header words (1-based first byte, size in bytes) of SEG-Y revision 1.
# Bytes 233-240 are unassigned and treated as two 4-byte words.
_TRACE_WORDS: tuple[tuple[int, int], ...] = (
    *((byte, 4) for byte in range(1, 29, 4)),
    *((byte, 2) for byte in range(29, 37, 2)),
    *((byte, 4) for byte in range(37, 69, 4)),
    (69, 2), (71, 2),
    *((byte, 4) for byte in range(73, 89, 4)),
    *((byte, 2) for byte in range(89, 181, 2)),
    *((byte, 4) for byte in range(181, 201, 4)),
    (201, 2), (203, 2), (205, 4), (209, 2), (211, 2), (213, 2), (215, 2), (217, 2),
    (219, 4), (223, 2), (225, 4), (229, 2), (231, 2), (233, 4), (237, 4),
)

# Binary-header words of revision 1 that carry values (bytes 3201-3260).
_BINARY_WORDS: tuple[tuple[int, int], ...] = (
    (3201, 4), (3205, 4), (3209, 4),
    *((byte, 2) for byte in range(3213, 3261, 2)),
)

# Trace-header bytes the writer itself fills in.
_DELAY_BYTE = 109
_TRACE_ID_BYTE = 29
_NS_BYTE = 115
_DT_BYTE = 117
_RESERVED_BYTES = frozenset(range(_DELAY_BYTE, _DELAY_BYTE + 2)) | frozenset(range(_NS_BYTE, _DT_BYTE + 2))

# Blocks are sized to hold about this many bytes of trace data.
_BLOCK_BYTES = 32 * 1024 * 1024


def build_text_header(lines: Sequence[str]) -> str:
    """Build a 40-line textual header with ``C01 `` ... ``C40 `` prefixes.

    Parameters
    ----------
    lines : sequence of str
        At most 40 lines of free text. Each is prefixed with ``C`` and its
        two-digit line number and cut to 80 characters. When fewer than 39
        lines are given, lines 39 and 40 read ``SEG Y REV1`` and
        ``END TEXTUAL HEADER`` as revision 1 recommends.

    Returns
    -------
    str
        40 lines of exactly 80 characters joined by newlines.

    Raises
    ------
    InvalidInputError
        If more than 40 lines are given.
    """
    if len(lines) > _TEXT_LINES:
        raise InvalidInputError(
            f"textual header has {len(lines)} lines; a SEG-Y textual header has at most {_TEXT_LINES}"
        )
    body = [str(line).replace("\n", " ") for line in lines]
    if len(body) < _TEXT_LINES - 1:
        body += [""] * (_TEXT_LINES - 2 - len(body)) + ["SEG Y REV1", "END TEXTUAL HEADER"]
    else:
        body += [""] * (_TEXT_LINES - len(body))
    rows = [f"C{number:02d} {text}"[:_TEXT_COLUMNS].ljust(_TEXT_COLUMNS) for number, text in enumerate(body, 1)]
    return "\n".join(rows)


def write_segy(
    path: str | os.PathLike[str],
    volume: Any,
    *,
    inlines: Sequence[int] | np.ndarray,
    crosslines: Sequence[int] | np.ndarray,
    samples: Sequence[float] | np.ndarray,
    sample_format: str = "ieee",
    text_header: str | None = None,
    iline_byte: int = 189,
    xline_byte: int = 193,
    live: np.ndarray | None = None,
    progress: bool = True,
) -> Path:
    """Write a volume to a new big-endian SEG-Y revision 1 file.

    Traces are written inline by inline, crossline by crossline within an
    inline. Each trace header contains these words, and every other word is zero:

    - the inline and crossline numbers, 4-byte integers at ``iline_byte`` and ``xline_byte``;
    - the 1-based trace position within the inline (bytes 1-4) and within the file (bytes 5-8);
    - trace identification code 1 (bytes 29-30);
    - the delay in whole ms (bytes 109-110);
    - the sample count (bytes 115-116) and the sample interval in microseconds (bytes 117-118).

    Parameters
    ----------
    path : path-like
        Output file, written under a temporary name and renamed on success.
    volume : array-like of shape (n_inlines, n_crosslines, n_samples)
        Amplitudes or class numbers. A numpy array or anything sliceable along
        the inline axis (an ``h5py.Dataset`` works, and is read inline block by
        inline block).
    inlines : array-like of int, shape (n_inlines,)
        Inline numbers.
    crosslines : array-like of int, shape (n_crosslines,)
        Crossline numbers.
    samples : array-like of float, shape (n_samples,)
        Sample times in ms, evenly spaced. The first value must be a whole
        number of ms because it goes to the delay word.
    sample_format : {"ieee", "int32", "int16"}, default="ieee"
        Sample encoding (format codes 5, 2 and 3). The integer formats reject
        values that are not whole numbers or do not fit.
    text_header : str, optional
        Textual header, up to 40 lines of up to 80 characters (see
        :func:`build_text_header`), written as EBCDIC. By default a header
        naming the axes is written.
    iline_byte, xline_byte : int, default=189 and 193
        1-based trace-header byte positions of the inline and crossline words.
    live : ndarray of bool, shape (n_inlines, n_crosslines), optional
        Grid cells to write; cells where it is False get no trace. By default
        every cell is written.
    progress : bool, default=True
        Show a progress bar on stderr.

    Returns
    -------
    Path
        The written file.

    Raises
    ------
    InvalidInputError
        If the format, byte positions, sample axis or values cannot be written.
    ShapeMismatchError
        If the volume's shape does not match the axes or the live mask.
    """
    format_code, dtype = _sample_dtype(sample_format)
    _check_header_bytes(iline_byte, xline_byte)
    shape = tuple(int(size) for size in np.shape(volume))
    inlines = _integer_axis(inlines, "inlines")
    crosslines = _integer_axis(crosslines, "crosslines")
    samples = np.asarray(samples, dtype=np.float64).reshape(-1)
    if len(shape) != 3:
        raise ShapeMismatchError(
            f"volume has shape {shape}; write_segy needs a 3D (inlines, crosslines, samples) array"
        )
    expected = (inlines.size, crosslines.size, samples.size)
    if shape != expected:
        raise ShapeMismatchError(
            f"volume shape {shape} does not match the axes (inlines, crosslines, samples) = {expected}"
        )
    if live is None:
        live = np.ones(shape[:2], dtype=bool)
    live = np.asarray(live, dtype=bool)
    if live.shape != shape[:2]:
        raise ShapeMismatchError(f"live mask shape {live.shape} does not match the grid {shape[:2]}")
    n_traces = int(live.sum())
    if n_traces == 0:
        raise InvalidInputError("the live mask is False everywhere; a SEG-Y file needs at least one trace")

    delay_ms, interval_us = _sample_axis_words(samples)
    if text_header is None:
        text_header = build_text_header(
            [
                "Written by seismic-facies",
                f"Inlines {inlines[0]}-{inlines[-1]} ({inlines.size}), crosslines "
                f"{crosslines[0]}-{crosslines[-1]} ({crosslines.size})",
                f"{samples.size} samples from {samples[0]:g} ms every {interval_us / 1000:g} ms",
                f"Inline at byte {iline_byte}, crossline at byte {xline_byte}, format {sample_format}",
            ]
        )
    text_bytes = _encode_text_header(text_header, "ebcdic")

    binary = np.zeros(BINARY_HEADER_BYTES, dtype=np.uint8)
    _put_binary(binary, 3217, 2, interval_us)
    _put_binary(binary, 3221, 2, samples.size)
    _put_binary(binary, 3225, 2, format_code)
    _put_binary(binary, 3229, 2, 4)  # Sorting code 4: horizontally stacked.
    _put_binary(binary, 3255, 2, 1)  # Measurement system 1: metres.
    _set_revision_one(binary)

    n_samples = samples.size
    record = np.dtype([("header", np.uint8, (TRACE_HEADER_BYTES,)), ("data", dtype, (n_samples,))])
    block = max(1, _BLOCK_BYTES // max(1, record.itemsize * crosslines.size))

    with atomic_output(path) as temporary, open(temporary, "wb") as stream:
        stream.write(text_bytes)
        stream.write(binary.tobytes())
        sequence = 0
        bar = tqdm(total=n_traces, unit="trace", desc="writing SEG-Y", file=sys.stderr, disable=not progress)
        with bar:
            for start in range(0, inlines.size, block):
                stop = min(start + block, inlines.size)
                rows, columns = np.nonzero(live[start:stop])
                if rows.size == 0:
                    continue
                values = _encode_samples(np.asarray(volume[start:stop])[rows, columns], sample_format)
                traces = np.zeros(rows.size, dtype=record)
                headers = traces["header"]
                within_line = np.cumsum(live[start:stop], axis=1)[rows, columns]
                _put_words(headers, 1, 4, within_line)
                _put_words(headers, 5, 4, np.arange(sequence + 1, sequence + rows.size + 1))
                _put_words(headers, _TRACE_ID_BYTE, 2, 1)
                _put_words(headers, _DELAY_BYTE, 2, delay_ms)
                _put_words(headers, _NS_BYTE, 2, n_samples)
                _put_words(headers, _DT_BYTE, 2, interval_us)
                _put_words(headers, iline_byte, 4, inlines[start:stop][rows])
                _put_words(headers, xline_byte, 4, crosslines[columns])
                traces["data"] = values
                traces.tofile(stream)
                sequence += rows.size
                bar.update(rows.size)
        final = Path(path)
    logger.info("wrote %s: %d traces of %d samples (%s)", final, n_traces, n_samples, sample_format)
    return final


def write_like(
    source: Any,
    volume: Any,
    path: str | os.PathLike[str],
    *,
    sample_format: str = "ieee",
    text_header: str | None = None,
    fill_value: float = -1,
    progress: bool = True,
) -> Path:
    """Write a volume on a source survey's grid to SEG-Y with the source's trace headers.

    The output is a full grid, written inline by inline. A grid cell that has
    a trace in the source gets a copy of that trace header with the sample
    count updated. A cell without one (a hole or a ragged edge) gets a
    synthesized header with its inline and crossline numbers, the source's
    delay and sample interval and trace identification code 2 (dead), and
    ``fill_value`` in every sample. Every output trace carries its inline and
    crossline numbers at bytes 189 and 193 as well as at the source's byte
    positions, so ``segyio.open(path)`` reads the same inlines, crosslines and
    samples as the source. The binary header is the source's with the format
    code, sample count and revision 1 words updated. A little-endian source
    is written big-endian, word by word.

    Parameters
    ----------
    source : path-like or SegyFile
        The SEG-Y file whose grid ``volume`` is on. An open
        :class:`~seismic.segy.SegyFile` is used as is and left open.
    volume : array-like of shape (n_inlines, n_crosslines, n_samples_out)
        Values on the source's grid (``geometry.inlines`` by
        ``geometry.crosslines``). ``n_samples_out`` may differ from the
        source's sample count, and the samples keep the source's first time
        and interval.
    path : path-like
        Output file, written under a temporary name and renamed on success.
    sample_format : {"ieee", "int32", "int16"}, default="ieee"
        Sample encoding.
    text_header : str, optional
        Textual header replacing the source's, up to 40 lines of 80
        characters, written as EBCDIC. By default the source's is kept in its
        own encoding.
    fill_value : float, default=-1
        Sample value of the cells where the source has no trace.
    progress : bool, default=True
        Show a progress bar on stderr.

    Returns
    -------
    Path
        The written file.

    Raises
    ------
    ShapeMismatchError
        If the volume's grid differs from the source's.
    InvalidInputError
        If the format or values cannot be written, or the source cannot be read.
    """
    format_code, dtype = _sample_dtype(sample_format)
    if isinstance(source, (str, os.PathLike)):
        from seismic.segy import open_segy

        with open_segy(source) as opened:
            return write_like(
                opened,
                volume,
                path,
                sample_format=sample_format,
                text_header=text_header,
                fill_value=fill_value,
                progress=progress,
            )

    geometry = source.geometry
    n_inlines, n_crosslines = geometry.trace_index.shape
    shape = tuple(int(size) for size in np.shape(volume))
    if len(shape) != 3 or shape[:2] != (n_inlines, n_crosslines):
        raise ShapeMismatchError(
            f"volume shape {shape} does not match the source grid of {n_inlines} inlines x "
            f"{n_crosslines} crosslines; give a (inlines, crosslines, samples) volume on that grid"
        )
    n_samples = int(shape[2])
    if not 1 <= n_samples <= 32767:
        raise InvalidInputError(f"volume has {n_samples} samples per trace; SEG-Y revision 1 allows 1 to 32767")
    little = source.endian == "little"

    if text_header is None and not source.text_header.strip():
        # A Seismic Unix source has no textual header to keep.
        text_header = build_text_header([f"Written by seismic-facies on the grid of {Path(str(source.path)).name}"])
    if text_header is None:
        encoding = "ascii" if source.text_encoding == "ascii" else "ebcdic"
        text_bytes = _encode_text_header(source.text_header, encoding)
    else:
        text_bytes = _encode_text_header(text_header, "ebcdic")

    if len(source.binary_header) == BINARY_HEADER_BYTES:
        binary = np.frombuffer(bytes(source.binary_header), dtype=np.uint8).copy()
        if little:
            _swap_words(binary[None, :], _BINARY_WORDS, offset=3201)
    else:
        # A Seismic Unix source has no binary header either.
        binary = np.zeros(BINARY_HEADER_BYTES, dtype=np.uint8)
    interval_us = int(round(float(source.sample_interval) * 1000))
    if _get_binary(binary, 3217, 2) <= 0 and 0 < interval_us <= 65535:
        _put_binary(binary, 3217, 2, interval_us)
    _put_binary(binary, 3221, 2, n_samples)
    _put_binary(binary, 3225, 2, format_code)
    binary[3261 - 3201 :] = 0
    _set_revision_one(binary)

    template = _dead_trace_template(source, n_samples)
    trace_index = geometry.trace_index
    inlines = np.asarray(geometry.inlines, dtype=np.int64)
    crosslines = np.asarray(geometry.crosslines, dtype=np.int64)
    record = np.dtype([("header", np.uint8, (TRACE_HEADER_BYTES,)), ("data", dtype, (n_samples,))])
    block = max(1, _BLOCK_BYTES // max(1, record.itemsize * n_crosslines))
    n_cells = n_inlines * n_crosslines

    with atomic_output(path) as temporary, open(temporary, "wb") as stream:
        stream.write(text_bytes)
        stream.write(binary.tobytes())
        bar = tqdm(total=n_cells, unit="trace", desc="writing SEG-Y", file=sys.stderr, disable=not progress)
        with bar:
            for start in range(0, n_inlines, block):
                stop = min(start + block, n_inlines)
                index = trace_index[start:stop].reshape(-1)
                present = index >= 0
                traces = np.zeros(index.size, dtype=record)
                headers = traces["header"]

                headers[:] = template
                if present.any():
                    copied = _read_headers(source, index[present])
                    if little:
                        # NOTE: words are swapped by the revision 1 field table, so a
                        # custom word that straddles two standard fields comes out garbled.
                        _swap_words(copied, _TRACE_WORDS)
                    headers[present] = copied
                _put_words(headers, _NS_BYTE, 2, n_samples)

                line_numbers = np.repeat(inlines[start:stop], n_crosslines)
                crossline_numbers = np.tile(crosslines, stop - start)
                _put_words_where(headers, ~present, geometry.iline_byte, line_numbers)
                _put_words_where(headers, ~present, geometry.xline_byte, crossline_numbers)
                _put_words(headers, 189, 4, line_numbers)
                _put_words(headers, 193, 4, crossline_numbers)

                values = np.asarray(volume[start:stop]).reshape(index.size, n_samples)
                encoded = _encode_samples(values, sample_format, mask=present)
                traces["data"] = encoded
                if not present.all():
                    traces["data"][~present] = _encode_samples(
                        np.full((1, n_samples), fill_value), sample_format
                    )
                traces.tofile(stream)
                bar.update(index.size)
        final = Path(path)
    n_missing = int((trace_index < 0).sum())
    logger.info(
        "wrote %s: %d traces of %d samples (%s), %d of them filled with %g where the source has no trace",
        final,
        n_cells,
        n_samples,
        sample_format,
        n_missing,
        fill_value,
    )
    return final


def _sample_dtype(sample_format: str) -> tuple[int, str]:
    try:
        return SAMPLE_FORMATS[sample_format]
    except KeyError:
        raise InvalidInputError(
            f"invalid sample format {sample_format!r}; choose one of {', '.join(SAMPLE_FORMATS)}"
        ) from None


def _check_header_bytes(iline_byte: int, xline_byte: int) -> None:
    for name, byte in (("iline_byte", iline_byte), ("xline_byte", xline_byte)):
        if not isinstance(byte, (int, np.integer)) or not 1 <= byte <= TRACE_HEADER_BYTES - 3:
            raise InvalidInputError(
                f"invalid {name} {byte!r}; give a 1-based trace-header byte from 1 to {TRACE_HEADER_BYTES - 3}"
            )
        if _RESERVED_BYTES & set(range(byte, byte + 4)):
            raise InvalidInputError(
                f"invalid {name} {byte}: its 4-byte word overlaps the delay, sample count or sample "
                "interval words (bytes 109-110, 115-118); choose another byte such as 189 or 193"
            )
    if abs(int(iline_byte) - int(xline_byte)) < 4:
        raise InvalidInputError(
            f"iline_byte {iline_byte} and xline_byte {xline_byte} overlap; their 4-byte words need "
            "at least 4 bytes between their first bytes"
        )


def _integer_axis(values: Any, name: str) -> np.ndarray:
    axis = np.asarray(values).reshape(-1)
    if axis.size == 0:
        raise InvalidInputError(f"{name} is empty; give at least one {name[:-1]} number")
    if not np.issubdtype(axis.dtype, np.integer):
        rounded = np.rint(axis.astype(np.float64))
        if not np.array_equal(rounded, axis):
            raise InvalidInputError(f"{name} contains non-integer numbers; give whole numbers, as SEG-Y header words are integers")
        axis = rounded
    axis = axis.astype(np.int64)
    if np.unique(axis).size != axis.size:
        raise InvalidInputError(f"{name} contains repeated numbers; give each {name[:-1]} once")
    return axis


def _sample_axis_words(samples: np.ndarray) -> tuple[int, int]:
    """Return the delay (whole ms) and the sample interval (microseconds) of a sample axis."""
    if samples.size == 0 or samples.size > 32767:
        raise InvalidInputError(f"sample axis has {samples.size} values; SEG-Y revision 1 allows 1 to 32767")
    first = float(samples[0])
    if first != round(first) or not -32768 <= first <= 32767:
        raise InvalidInputError(
            f"first sample {first:g} ms is not a whole number of ms from -32768 to 32767, which the "
            "delay word (bytes 109-110) requires; shift the sample axis"
        )
    if samples.size == 1:
        return int(first), 1000
    steps = np.diff(samples)
    interval_ms = float(steps[0])
    if not np.allclose(steps, interval_ms, rtol=1e-6, atol=1e-9):
        raise InvalidInputError("sample axis is not evenly spaced; SEG-Y needs one sample interval")
    interval_us = int(round(interval_ms * 1000))
    if not 1 <= interval_us <= 65535:
        raise InvalidInputError(
            f"sample interval {interval_ms:g} ms is outside the 0.001-65.535 ms a SEG-Y header can hold"
        )
    return int(first), interval_us


def _encode_text_header(text: str, encoding: str) -> bytes:
    """Encode a textual header as 3200 bytes of EBCDIC (code page 37) or ASCII."""
    if "\n" in text:
        lines = text.split("\n")
    else:
        lines = [text[start : start + _TEXT_COLUMNS] for start in range(0, len(text), _TEXT_COLUMNS)]
    while len(lines) > _TEXT_LINES and lines[-1].strip() == "":
        lines.pop()
    if len(lines) > _TEXT_LINES:
        raise InvalidInputError(
            f"textual header has {len(lines)} lines; a SEG-Y textual header has at most {_TEXT_LINES}"
        )
    too_long = [number for number, line in enumerate(lines, 1) if len(line.rstrip()) > _TEXT_COLUMNS]
    if too_long:
        raise InvalidInputError(
            f"textual header line {too_long[0]} is longer than {_TEXT_COLUMNS} characters; wrap it"
        )
    block = "".join(line.rstrip("\r")[:_TEXT_COLUMNS].ljust(_TEXT_COLUMNS) for line in lines)
    block = block.ljust(TEXT_HEADER_BYTES)
    block = "".join(character if character.isprintable() else " " for character in block)
    if encoding == "ascii":
        return block.encode("ascii", errors="replace")
    return block.encode("cp037", errors="replace")


def _put_binary(binary: np.ndarray, byte: int, size: int, value: int) -> None:
    offset = byte - 3201
    binary[offset : offset + size] = np.frombuffer(int(value).to_bytes(size, "big", signed=value < 0), np.uint8)


def _get_binary(binary: np.ndarray, byte: int, size: int) -> int:
    offset = byte - 3201
    return int.from_bytes(binary[offset : offset + size].tobytes(), "big", signed=True)


def _set_revision_one(binary: np.ndarray) -> None:
    _put_binary(binary, 3501, 2, 0x0100)  # Revision 1.0.
    _put_binary(binary, 3503, 2, 1)  # Every trace has the same length.
    _put_binary(binary, 3505, 2, 0)  # No extended textual headers.


def _put_words(headers: np.ndarray, byte: int, size: int, values: Any) -> None:
    """Store big-endian integers at a 1-based byte position of each header row."""
    dtype = ">i4" if size == 4 else ">i2"
    if size == 2:
        values = np.asarray(values, dtype=np.int64)
        values = np.where(values > 32767, values - 65536, values)
    words = np.broadcast_to(np.asarray(values).astype(dtype), (headers.shape[0],))
    headers[:, byte - 1 : byte - 1 + size] = np.ascontiguousarray(words).view(np.uint8).reshape(-1, size)


def _put_words_where(headers: np.ndarray, rows: np.ndarray, byte: int, values: np.ndarray) -> None:
    if rows.any():
        selected = headers[rows]
        _put_words(selected, byte, 4, values[rows])
        headers[rows] = selected


def _swap_words(headers: np.ndarray, words: tuple[tuple[int, int], ...], offset: int = 1) -> None:
    """Reverse the bytes of each word in place, turning little-endian headers big-endian."""
    for byte, size in words:
        start = byte - offset
        headers[:, start : start + size] = headers[:, start : start + size][:, ::-1].copy()


def _encode_samples(values: np.ndarray, sample_format: str, mask: np.ndarray | None = None) -> np.ndarray:
    """Convert sample values to the on-disk type, rejecting integers that do not fit.

    ``mask`` selects the rows whose values are checked; the others are
    overwritten by the caller.
    """
    _, dtype = SAMPLE_FORMATS[sample_format]
    if sample_format == "ieee":
        return values.astype(dtype)
    checked = values if mask is None else values[mask]
    info = np.iinfo(np.dtype(dtype).newbyteorder("="))
    if checked.size:
        if np.issubdtype(checked.dtype, np.floating):
            if not np.all(np.isfinite(checked)) or not np.array_equal(np.rint(checked), checked):
                raise InvalidInputError(
                    f"volume contains values that are not whole numbers; sample format {sample_format!r} "
                    "stores integers, so use sample_format='ieee' or round the values"
                )
        low, high = checked.min(), checked.max()
        if low < info.min or high > info.max:
            raise InvalidInputError(
                f"volume values {low}..{high} do not fit sample format {sample_format!r} "
                f"({info.min}..{info.max}); choose a wider format"
            )
    if mask is not None:
        values = np.where(mask[:, None], values, 0)
    return values.astype(dtype)


def _read_headers(source: Any, indexes: np.ndarray) -> np.ndarray:
    """Read raw trace headers of the given file positions, in that order.

    Positions are read as runs of neighbouring traces so that inline-sorted
    files take one read per block.
    """
    order = np.argsort(indexes, kind="stable")
    ordered = indexes[order]
    headers = np.empty((indexes.size, TRACE_HEADER_BYTES), dtype=np.uint8)
    breaks = np.nonzero(np.diff(ordered) > 64)[0] + 1
    for run in np.split(np.arange(ordered.size), breaks):
        first, last = int(ordered[run[0]]), int(ordered[run[-1]])
        chunk = np.asarray(source.read_trace_headers(first, last + 1))
        headers[order[run]] = chunk[ordered[run] - first]
    return headers


def _dead_trace_template(source: Any, n_samples: int) -> np.ndarray:
    """Header for a cell without a source trace: source delay and interval, identification code 2."""
    template = np.zeros((1, TRACE_HEADER_BYTES), dtype=np.uint8)
    delay = int(round(float(source.samples[0]))) if len(source.samples) else 0
    interval_us = int(round(float(source.sample_interval) * 1000))
    _put_words(template, _TRACE_ID_BYTE, 2, 2)
    if -32768 <= delay <= 32767:
        _put_words(template, _DELAY_BYTE, 2, delay)
    _put_words(template, _NS_BYTE, 2, n_samples)
    if 0 <= interval_us <= 65535:
        _put_words(template, _DT_BYTE, 2, interval_us)
    return template[0]
