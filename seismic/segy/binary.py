"""The 400-byte binary file header: its fields and its byte order.

Byte positions below are 1-based file offsets as in the SEG-Y standard
(the binary header occupies bytes 3201-3600).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from seismic.segy.formats import SAMPLE_FORMATS, UNSUPPORTED_FORMATS

__all__ = ["BINARY_HEADER_SIZE", "BinaryHeader", "parse_binary_header", "detect_endian", "BYTE_ORDER_CONSTANT"]

BINARY_HEADER_SIZE = 400

# Revision 2 stores 16909060 (0x01020304) at bytes 3297-3300 in the file's
# byte order, so reading it big-endian gives this value only in a big-endian file.
BYTE_ORDER_CONSTANT = 0x01020304


@dataclass(frozen=True)
class BinaryHeader:
    """Fields of the binary file header that the reader uses.

    Attributes
    ----------
    endian : str
        Byte order the fields were read in, ``"big"`` or ``"little"``.
    sample_interval : int
        Bytes 3217-3218, microseconds (or millimetres, or
        thousandths of a foot, for depth data). Signed, so garbage shows as negative.
    n_samples : int
        Bytes 3221-3222, samples per trace (unsigned).
    format_code : int
        Bytes 3225-3226, the sample format code.
    sorting_code : int
        Bytes 3229-3230, the trace sorting code (4 = horizontally stacked).
    measurement_system : int
        Bytes 3255-3256: 1 for metres, 2 for feet, other values unknown.
    revision : int
        Major revision: 0, 1 or 2 (bytes 3501-3502; see :func:`_revision`).
    n_extended_headers : int
        Bytes 3505-3506, extended textual headers (-1 for a variable number).
    extended_n_samples : int
        Bytes 3269-3272 (revision 2), samples per trace beyond the 16-bit limit.
    extended_sample_interval : float
        Bytes 3273-3280 (revision 2), IEEE double sample interval.
    byte_order_word : int
        Bytes 3297-3300 read in ``endian``.
    first_trace_offset : int
        Bytes 3521-3528 (revision 2), byte offset of the first trace, 0 if unset.
    """

    endian: str
    sample_interval: int
    n_samples: int
    format_code: int
    sorting_code: int
    measurement_system: int
    revision: int
    n_extended_headers: int
    extended_n_samples: int
    extended_sample_interval: float
    byte_order_word: int
    first_trace_offset: int


def _revision(raw: bytes, endian: str) -> int:
    # The standard puts the major revision in byte 3501 and the minor one in
    # 3502, but little-endian writers often store 0x0100 ("1.0") as a 16-bit
    # word, which puts the 1 in byte 3502.
    major, minor = raw[300], raw[301]
    if endian == "little" and major == 0:
        major = minor
    return major if major <= 2 else 0


def parse_binary_header(raw: bytes, endian: str) -> BinaryHeader:
    """Parse the fields of a 400-byte binary header in the given byte order.

    Parameters
    ----------
    raw : bytes
        The binary header (file bytes 3201-3600).
    endian : {"big", "little"}
        The byte order to read it in.

    Returns
    -------
    BinaryHeader
    """
    prefix = ">" if endian == "big" else "<"

    def field(offset: int, code: str) -> int | float:
        return struct.unpack_from(prefix + code, raw, offset)[0]

    return BinaryHeader(
        endian=endian,
        sample_interval=field(16, "h"),
        n_samples=field(20, "H"),
        format_code=field(24, "h"),
        sorting_code=field(28, "h"),
        measurement_system=field(54, "h"),
        revision=_revision(raw, endian),
        n_extended_headers=field(304, "h"),
        extended_n_samples=field(68, "I"),
        extended_sample_interval=field(72, "d"),
        byte_order_word=field(96, "I"),
        first_trace_offset=field(320, "Q"),
    )


def _plausibility(header: BinaryHeader) -> int:
    """Score how sensible the fields look; higher is more plausible."""
    score = 0
    if header.format_code in SAMPLE_FORMATS or header.format_code in UNSUPPORTED_FORMATS:
        score += 4
    if 0 < header.n_samples < 32768:
        score += 2
    if 0 < header.sample_interval < 32768:
        score += 1
    if 0 <= header.n_extended_headers < 256 or header.n_extended_headers == -1:
        score += 1
    if header.measurement_system in (0, 1, 2):
        score += 1
    return score


def detect_endian(raw: bytes) -> tuple[str, str]:
    """Detect the byte order of a binary header.

    Parameters
    ----------
    raw : bytes
        The 400-byte binary header.

    Returns
    -------
    endian : str
        ``"big"`` or ``"little"``.
    reason : str
        How it was chosen, for the log.
    """
    # First choice: the revision-2 byte-order constant, which is exact.
    big = parse_binary_header(raw, "big")
    if big.byte_order_word == BYTE_ORDER_CONSTANT:
        return "big", "byte-order word 0x01020304 at bytes 3297-3300"
    if big.byte_order_word == 0x04030201:
        return "little", "byte-order word 0x04030201 at bytes 3297-3300"

    # Second choice: the order in which the fields make more sense. A tie
    # (for example an all-zero header) goes to big-endian, the standard's order.
    little = parse_binary_header(raw, "little")
    big_score, little_score = _plausibility(big), _plausibility(little)
    if little_score > big_score:
        return "little", f"binary header fields are plausible only little-endian (format code {little.format_code})"
    return "big", f"binary header fields read big-endian (format code {big.format_code})"
