"""Where the traces lie in a file: SEG-Y or Seismic Unix, byte order, trace size.

The binary header's sample count and format code decide the trace size, and
the file size must then hold a whole number of traces. Every value the
header offers (the revision-2 extended sample count, the 16-bit count, the
first trace header's count) is tried in turn, and the first that fits the
file size is used, so a garbage field is never trusted blindly.
"""

from __future__ import annotations

import logging
import os
import struct
from dataclasses import dataclass
from pathlib import Path

from seismic.errors import InputNotFoundError, SegyFormatError
from seismic.segy.binary import BINARY_HEADER_SIZE, BinaryHeader, detect_endian, parse_binary_header
from seismic.segy.formats import SAMPLE_FORMATS, UNSUPPORTED_FORMATS, SampleFormat
from seismic.segy.headers import TRACE_HEADER_SIZE
from seismic.segy.textual import TEXT_HEADER_SIZE, count_extended_headers

__all__ = ["FileLayout", "resolve_layout", "check_path", "FILE_HEADER_SIZE"]

logger = logging.getLogger(__name__)

FILE_HEADER_SIZE = TEXT_HEADER_SIZE + BINARY_HEADER_SIZE

# Signatures of files that are sometimes renamed to .sgy by mistake.
_MAGIC = {
    b"\x89PNG\r\n\x1a\n": "a PNG image",
    b"\x89HDF\r\n\x1a\n": "an HDF5 file",
    b"\x93NUMPY": "a numpy .npy file",
    b"PK\x03\x04": "a ZIP archive",
    b"\x1f\x8b": "a gzip archive",
    b"%PDF": "a PDF document",
    b"\xff\xd8\xff": "a JPEG image",
}


class _NotSegyError(SegyFormatError):
    """A binary header without a SEG-Y format code, so the file may be Seismic Unix."""


@dataclass(frozen=True)
class FileLayout:
    """Byte layout of the traces in a SEG-Y or Seismic Unix file.

    Attributes
    ----------
    kind : str
        ``"segy"`` (3600-byte file header) or ``"su"`` (traces only).
    endian : str
        ``"big"`` or ``"little"``.
    sample_format : SampleFormat
        How samples are stored.
    n_samples : int
        Samples per trace.
    data_offset : int
        Byte offset of the first trace header.
    n_traces : int
        Number of traces.
    n_extended_headers : int
        Extended textual headers between the binary header and the traces.
    binary : BinaryHeader or None
        The parsed binary header (None for Seismic Unix).
    """

    kind: str
    endian: str
    sample_format: SampleFormat
    n_samples: int
    data_offset: int
    n_traces: int
    n_extended_headers: int
    binary: BinaryHeader | None

    @property
    def trace_size(self) -> int:
        """Bytes per trace, header included."""
        return TRACE_HEADER_SIZE + self.n_samples * self.sample_format.itemsize


def _fits(size: int, offset: int, n_samples: int, itemsize: int) -> bool:
    trace_size = TRACE_HEADER_SIZE + n_samples * itemsize
    return n_samples > 0 and size >= offset and (size - offset) % trace_size == 0


def _unsupported_format(path: Path, code: int) -> SegyFormatError:
    name = UNSUPPORTED_FORMATS[code]
    return SegyFormatError(
        f"{path}: unsupported sample format code {code} ({name}); "
        "convert the file to IBM float (1), IEEE float (5) or a 8/16/32-bit integer format (8, 3, 2) first"
    )


def _segy_layout(path: Path, size: int, head: bytes, endian: str | None, mapped) -> FileLayout:
    """Resolve the layout of a file with a 3600-byte file header."""
    raw_binary = head[TEXT_HEADER_SIZE:FILE_HEADER_SIZE]
    if endian is None:
        endian, reason = detect_endian(raw_binary)
        logger.debug("%s: %s-endian: %s", path, endian, reason)
    binary = parse_binary_header(raw_binary, endian)

    code = binary.format_code
    if code in UNSUPPORTED_FORMATS:
        raise _unsupported_format(path, code)
    fmt = SAMPLE_FORMATS.get(code)
    if fmt is None:
        other = "little" if endian == "big" else "big"
        other_code = parse_binary_header(raw_binary, other).format_code
        raise _NotSegyError(
            f"{path}: invalid sample format code {code} in the binary header read {endian}-endian "
            f"({other_code} read {other}-endian); this is not a SEG-Y file, or it needs --endian {other}"
        )

    declared = binary.n_extended_headers
    if declared < -1 or declared > (size - FILE_HEADER_SIZE) // TEXT_HEADER_SIZE:
        logger.warning("%s: ignoring implausible extended textual header count %d", path, declared)
        declared = 0
    n_extended = count_extended_headers(mapped, FILE_HEADER_SIZE, declared)

    # Candidate (samples, offset) pairs in order of trust. The revision-2
    # extended count comes first because it exists for counts above 65535.
    first_header_at = FILE_HEADER_SIZE + n_extended * TEXT_HEADER_SIZE
    offsets = [first_header_at]
    if binary.revision >= 2 and binary.first_trace_offset >= FILE_HEADER_SIZE and binary.first_trace_offset != first_header_at:
        offsets.append(binary.first_trace_offset)
    if n_extended:
        offsets.append(FILE_HEADER_SIZE)
    sample_counts = []
    if binary.revision >= 2 and binary.extended_n_samples > 0:
        sample_counts.append(("extended sample count (bytes 3269-3272)", binary.extended_n_samples))
    sample_counts.append(("sample count (bytes 3221-3222)", binary.n_samples))
    for offset in offsets:
        if size >= offset + TRACE_HEADER_SIZE:
            prefix = ">" if endian == "big" else "<"
            trace_count = struct.unpack_from(prefix + "H", bytes(mapped[offset + 114 : offset + 116]))[0]
            sample_counts.append((f"first trace header's sample count (byte 115) at offset {offset}", trace_count))
            break

    for offset in offsets:
        for label, n_samples in sample_counts:
            if _fits(size, offset, n_samples, fmt.itemsize):
                if label != sample_counts[0][0] or offset != first_header_at:
                    logger.warning("%s: using the %s, %d, with traces from byte %d", path, label, n_samples, offset)
                n_traces = (size - offset) // (TRACE_HEADER_SIZE + n_samples * fmt.itemsize)
                return FileLayout("segy", endian, fmt, n_samples, offset, n_traces, (offset - FILE_HEADER_SIZE) // TEXT_HEADER_SIZE, binary)

    trace_size = TRACE_HEADER_SIZE + binary.n_samples * fmt.itemsize
    remainder = (size - first_header_at) % trace_size if size >= first_header_at else size - first_header_at
    raise SegyFormatError(
        f"{path}: file size {size} bytes does not fit whole traces: after {first_header_at} header bytes, "
        f"traces of {trace_size} bytes ({binary.n_samples} samples of format {code}) leave {remainder} bytes over; "
        "the file is truncated or its binary header is wrong"
    )


def _su_layout(path: Path, size: int, head: bytes, endian: str | None) -> FileLayout | None:
    """Resolve the layout of a Seismic Unix file (IEEE float traces, no file header), or None."""
    if size < TRACE_HEADER_SIZE:
        return None
    for order in (endian,) if endian else ("little", "big"):
        prefix = ">" if order == "big" else "<"
        n_samples = struct.unpack_from(prefix + "H", head, 114)[0]
        if _fits(size, 0, n_samples, 4):
            n_traces = size // (TRACE_HEADER_SIZE + 4 * n_samples)
            return FileLayout("su", order, SAMPLE_FORMATS[5], n_samples, 0, n_traces, 0, None)
    return None


def resolve_layout(path: str | os.PathLike[str], mapped, *, endian: str | None = None) -> FileLayout:
    """Work out the file kind, byte order and trace layout.

    Parameters
    ----------
    path : path-like
        The file, quoted in messages.
    mapped : bytes-like
        The file contents (a read-only memory map).
    endian : {"big", "little"} or None, default None
        Byte order given by the user; None detects it.

    Returns
    -------
    FileLayout

    Raises
    ------
    SegyFormatError
        If the file is empty, is another kind of file, is truncated, has
        no traces, or uses an unsupported sample format.
    """
    path = Path(path)
    size = len(mapped)
    if size == 0:
        raise SegyFormatError(f"{path}: the file is empty (0 bytes); give a SEG-Y file")
    head = bytes(mapped[:FILE_HEADER_SIZE])
    for magic, kind in _MAGIC.items():
        if head.startswith(magic):
            raise SegyFormatError(f"{path}: not a SEG-Y file, it is {kind}; give a SEG-Y file")

    segy_error: _NotSegyError | None = None
    prefer_su = path.suffix.lower() == ".su"
    if prefer_su:
        layout = _su_layout(path, size, head, endian)
        if layout is not None:
            return layout
    if size >= FILE_HEADER_SIZE:
        try:
            layout = _segy_layout(path, size, head, endian, mapped)
        except _NotSegyError as error:
            segy_error = error
        else:
            if layout.n_traces == 0:
                raise SegyFormatError(f"{path}: the file has headers but no traces; give a file with traces")
            return layout

    layout = None if prefer_su else _su_layout(path, size, head, endian)
    if layout is not None:
        logger.info("%s: no SEG-Y file header, reading it as Seismic Unix (%s-endian)", path, layout.endian)
        return layout
    if segy_error is not None:
        raise segy_error
    raise SegyFormatError(
        f"{path}: not a SEG-Y file: {size} bytes is smaller than the 3600-byte file header, "
        "and the size does not fit Seismic Unix traces either"
    )


def check_path(path: str | os.PathLike[str]) -> Path:
    """Return ``path`` as a Path, raising InputNotFoundError unless it is an existing file."""
    path = Path(path)
    if not path.exists():
        raise InputNotFoundError(f"SEG-Y file not found: {path}; check the path")
    if not path.is_file():
        raise InputNotFoundError(f"{path} is not a file; give the path of a SEG-Y file")
    return path
