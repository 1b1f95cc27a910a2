"""Trace-header words read with numpy at any byte position.

A trace header is 240 bytes. Byte positions here are 1-based, as in the
SEG-Y standard and in the ``--iline-byte``/``--xline-byte`` options, and any
position works, including ones that do not start a standard field.
"""

from __future__ import annotations

import numpy as np

from seismic.errors import InvalidInputError

__all__ = [
    "TRACE_HEADER_SIZE",
    "TraceField",
    "header_word",
    "apply_scalar",
]

TRACE_HEADER_SIZE = 240


class TraceField:
    """1-based byte positions of the standard trace-header fields used here."""

    TRACE_SEQUENCE_LINE = 1
    TRACE_SEQUENCE_FILE = 5
    FIELD_RECORD = 9
    CHANNEL = 13
    ENERGY_SOURCE_POINT = 17
    CDP = 21
    OFFSET = 37
    COORDINATE_SCALAR = 71  # 2 bytes
    SOURCE_X = 73
    SOURCE_Y = 77
    COORDINATE_UNITS = 89  # 2 bytes
    DELAY_TIME = 109  # 2 bytes, ms (or depth units)
    N_SAMPLES = 115  # 2 bytes
    SAMPLE_INTERVAL = 117  # 2 bytes, microseconds
    CDP_X = 181
    CDP_Y = 185
    INLINE = 189
    CROSSLINE = 193
    TIME_SCALAR = 215  # 2 bytes, applies to bytes 95-114


_WORD_SIZES = (1, 2, 4, 8)


def header_word(headers: np.ndarray, byte: int, size: int = 4, endian: str = "big") -> np.ndarray:
    """Read one signed integer word from each trace header.

    Parameters
    ----------
    headers : np.ndarray of uint8, shape (n_traces, 240)
        Raw trace headers as stored (a memory-map view works).
    byte : int
        1-based position of the word's first byte, 1 to 241 - ``size``.
    size : {1, 2, 4, 8}, default 4
        Word length in bytes.
    endian : {"big", "little"}, default "big"
        Byte order of the file.

    Returns
    -------
    np.ndarray of int64, shape (n_traces,)

    Raises
    ------
    InvalidInputError
        If ``size`` is not 1, 2, 4 or 8, or the word does not fit in the header.
    """
    if size not in _WORD_SIZES:
        raise InvalidInputError(f"invalid header word size {size}; use 1, 2, 4 or 8 bytes")
    if not 1 <= byte <= TRACE_HEADER_SIZE - size + 1:
        raise InvalidInputError(
            f"invalid trace-header byte {byte} for a {size}-byte word; give a position from 1 to {TRACE_HEADER_SIZE - size + 1}"
        )
    columns = np.ascontiguousarray(headers[:, byte - 1 : byte - 1 + size])
    dtype = np.dtype(("<" if endian == "little" else ">") + f"i{size}")
    return columns.view(dtype).reshape(-1).astype(np.int64)


def apply_scalar(values: np.ndarray, scalar: np.ndarray) -> np.ndarray:
    """Apply a SEG-Y scalar word to header values.

    A positive scalar multiplies, a negative one divides by its absolute
    value, and 0 means 1 (no scaling).

    Parameters
    ----------
    values : np.ndarray of int, shape (n,)
        The raw header values.
    scalar : np.ndarray of int, shape (n,) or ()
        The scalar word of each trace.

    Returns
    -------
    np.ndarray of float64, shape (n,)
    """
    scalar = np.asarray(scalar, dtype=np.float64)
    magnitude = np.where(scalar == 0, 1.0, np.abs(scalar))
    factor = np.where(scalar < 0, 1.0 / magnitude, magnitude)
    return np.asarray(values, dtype=np.float64) * factor
