"""Textual file headers: EBCDIC or ASCII detection, decoding and extended headers.

The 3200-byte textual header is 40 card images of 80 characters. Its encoding
flag is unreliable in practice, so the encoding is chosen by looking at the
bytes: EBCDIC text is full of 0x40 (space) and 0xC1-0xF9 (letters and digits),
ASCII text of 0x20-0x7E.
"""

from __future__ import annotations

import logging
import re

import numpy as np

__all__ = [
    "TEXT_HEADER_SIZE",
    "detect_text_encoding",
    "decode_text_header",
    "encode_text_header",
    "END_TEXT_STANZA",
    "count_extended_headers",
]

logger = logging.getLogger(__name__)

TEXT_HEADER_SIZE = 3200
END_TEXT_STANZA = "((SEG: EndText))"

# Code page 037 is the EBCDIC variant SEG-Y writers use in practice.
_EBCDIC_CODEC = "cp037"


# Characters other than printable ASCII and line breaks, for _share_in.
_NOT_ASCII_TEXT = re.compile(r"[^ -~\r\n]")

# Both codecs decode every byte to a character below U+0100. Those that are
# not printable (controls, NUL, soft hyphen) are replaced by spaces.
_UNPRINTABLE_TO_SPACE = {code: " " for code in range(256) if not chr(code).isprintable()}


def _share_in(text: str) -> float:
    """Return the share of characters of ``text`` that are printable ASCII or line breaks."""
    return len(_NOT_ASCII_TEXT.sub("", text)) / len(text)


def detect_text_encoding(raw: bytes) -> str:
    """Guess whether a textual header is EBCDIC or ASCII from its bytes.

    Each byte is decoded both ways. Text in the other encoding decodes
    mostly to control or accented characters (ASCII digits and spaces are
    controls in EBCDIC, EBCDIC letters lie above 0x7F), so the encoding under
    which more bytes read as printable ASCII characters wins.

    Parameters
    ----------
    raw : bytes
        The textual header, 3200 bytes (any length works). NUL bytes are ignored.

    Returns
    -------
    str
        ``"ascii"`` or ``"ebcdic"``. A header of NUL bytes only is reported
        as ``"ebcdic"``, the encoding the standard prescribes.
    """
    data = bytes(raw).replace(b"\x00", b"")
    if not data:
        return "ebcdic"
    ascii_share = _share_in(data.decode("latin-1"))
    ebcdic_share = _share_in(data.decode(_EBCDIC_CODEC))
    return "ascii" if ascii_share > ebcdic_share else "ebcdic"


def decode_text_header(raw: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Decode a 3200-byte textual header to 40 lines of 80 characters.

    Parameters
    ----------
    raw : bytes
        The header bytes.
    encoding : {"ascii", "ebcdic"} or None, default None
        The encoding; None detects it with :func:`detect_text_encoding`.

    Returns
    -------
    text : str
        The lines joined with ``"\\n"``. NUL bytes and other control
        characters become spaces, so each line keeps its 80 columns.
    encoding : str
        The encoding used, ``"ascii"`` or ``"ebcdic"``.
    """
    if encoding is None:
        encoding = detect_text_encoding(raw)
    codec = "latin-1" if encoding == "ascii" else _EBCDIC_CODEC
    text = bytes(raw).decode(codec)
    text = text.translate(_UNPRINTABLE_TO_SPACE)
    lines = [text[start : start + 80] for start in range(0, len(text), 80)]
    return "\n".join(lines), encoding


def encode_text_header(text: str, encoding: str = "ebcdic") -> bytes:
    """Encode text as a 3200-byte textual header.

    Parameters
    ----------
    text : str
        Up to 40 lines. Each line is cut or padded with spaces to 80
        characters, and missing lines are blank. Characters the codec
        lacks become ``?``.
    encoding : {"ebcdic", "ascii"}, default "ebcdic"
        The encoding to write.

    Returns
    -------
    bytes
        Exactly 3200 bytes.
    """
    lines = text.splitlines()[:40]
    lines += [""] * (40 - len(lines))
    card_images = "".join(line[:80].ljust(80) for line in lines)
    codec = "ascii" if encoding == "ascii" else _EBCDIC_CODEC
    return card_images.encode(codec, errors="replace")


def count_extended_headers(raw_file: np.ndarray | bytes, start: int, declared: int) -> int:
    """Count the extended textual headers that follow the binary header.

    Parameters
    ----------
    raw_file : bytes-like
        The file contents, or a memory map of them.
    start : int
        Byte offset of the first extended header (3600).
    declared : int
        The binary header's count (bytes 3505-3506). -1 means a variable
        number ended by a ``((SEG: EndText))`` stanza.

    Returns
    -------
    int
        The number of 3200-byte extended headers. For a count of -1 the
        headers are scanned up to and including the end stanza.
    """
    if declared >= 0:
        return declared

    count = 0
    size = len(raw_file)
    while start + (count + 1) * TEXT_HEADER_SIZE <= size:
        block = bytes(raw_file[start + count * TEXT_HEADER_SIZE : start + (count + 1) * TEXT_HEADER_SIZE])
        count += 1
        decoded = {block.decode("latin-1"), block.decode(_EBCDIC_CODEC)}
        if any(END_TEXT_STANZA.lower() in text.lower() for text in decoded):
            return count
    logger.warning("no %s stanza found after %d extended textual headers", END_TEXT_STANZA, count)
    return count
