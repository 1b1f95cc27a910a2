"""Open SEG-Y and Seismic Unix files and read traces, sections and slices.

Traces are read through a read-only memory map, so opening a file reads only
its headers, and sections, slices and trace ranges read only the bytes they
need. Opening reads the needed trace-header words in one pass over the file
and caches them. That pass releases the mapped pages chunk by chunk, so
opening a file larger than memory does not grow the resident set by the
file's size. Nothing depends on segyio's geometry
inference, so files with missing or unordered traces open the same way as
regular ones.

Examples
--------
>>> from seismic.segy import open_segy
>>> with open_segy("data/f3.sgy") as segy:                    # doctest: +SKIP
...     segy.geometry.shape, segy.n_samples, segy.sample_format
((23, 18), 75, 'int16')
"""

from __future__ import annotations

import logging
import mmap
import os
from collections.abc import Iterable

import numpy as np

from seismic.errors import InvalidInputError, SegyFormatError
from seismic.segy.coordinates import BinGrid, fit_bin_grid, trace_coordinates
from seismic.segy.formats import decode_samples
from seismic.segy.geometry import (
    CROSSLINE_BYTES,
    INLINE_BYTES,
    SU_CROSSLINE_BYTES,
    SU_INLINE_BYTES,
    Geometry,
    detect_geometry,
)
from seismic.segy.headers import TRACE_HEADER_SIZE, TraceField
from seismic.segy.layout import FILE_HEADER_SIZE, FileLayout, check_path, resolve_layout
from seismic.segy.scan import ScanReport, scan_traces
from seismic.segy.textual import TEXT_HEADER_SIZE, decode_text_header
from seismic.segy.vertical import SampleAxis, sample_axis

__all__ = ["SegyFile", "open_segy"]

logger = logging.getLogger(__name__)

# Bytes of decoded samples per chunk when a method walks over all traces.
_CHUNK_BYTES = 64 * 2**20

# File bytes mapped per chunk of a trace-header pass. The pages of each chunk
# are released before the next one is read.
_HEADER_PASS_BYTES = 32 * 2**20

# Header words read along with the inline/crossline words in the first pass,
# because coordinates and the bin grid need them: (byte, size). The source
# X/Y words are kept only when the CDP X/Y words are all zero.
_COORDINATE_WORDS = ((TraceField.COORDINATE_SCALAR, 2), (TraceField.CDP_X, 4), (TraceField.CDP_Y, 4))
_SOURCE_WORDS = ((TraceField.SOURCE_X, 4), (TraceField.SOURCE_Y, 4))

_PAGE_SIZE = mmap.PAGESIZE


def _check_byte_option(value: int | None, option: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise InvalidInputError(f"invalid {option} {value!r}; give a trace-header byte position from 1 to 237")
    if not 1 <= int(value) <= TRACE_HEADER_SIZE - 3:
        raise InvalidInputError(f"invalid {option} {value}; give a trace-header byte position from 1 to 237")
    return int(value)


class SegyFile:
    """A SEG-Y or Seismic Unix file opened for reading.

    Use :func:`open_segy` to create one. The file stays memory-mapped until
    :meth:`close` (or the end of a ``with`` block).

    Attributes
    ----------
    path : Path
        The file.
    kind : str
        ``"segy"`` or ``"su"`` (Seismic Unix, no file header).
    geometry : Geometry
        The inline x crossline grid and where each trace sits on it.
    n_traces, n_samples : int
        Traces in the file and samples per trace.
    samples : np.ndarray of float64, shape (n_samples,)
        Sample times (ms) or depths (``unit``), starting at the first sample's
        value from the delay word.
    sample_interval : float
        Sample interval in ms or ``unit``.
    domain : str
        ``"time"`` or ``"depth"``.
    unit : str
        ``"ms"``, ``"m"`` or ``"ft"``.
    sample_format : str
        ``"ibm"``, ``"ieee"``, ``"ieee64"``, ``"int32"``, ``"int16"`` or ``"int8"``.
    format_code : int
        The SEG-Y format code (5 for Seismic Unix).
    endian : str
        ``"big"`` or ``"little"``.
    text_header : str
        The textual header as 40 lines of 80 characters joined with ``"\\n"``
        (empty for Seismic Unix).
    text_encoding : str
        ``"ebcdic"`` or ``"ascii"``.
    extended_text_headers : list of str
        Decoded extended textual headers, each 40 lines of 80 characters.
    binary_header : bytes
        The 400-byte binary header as stored (``b""`` for Seismic Unix).
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        iline_byte: int | None = None,
        xline_byte: int | None = None,
        endian: str | None = None,
        domain: str | None = None,
        keep_mapped_mb: float = 0.0,
    ) -> None:
        iline_byte = _check_byte_option(iline_byte, "--iline-byte")
        xline_byte = _check_byte_option(xline_byte, "--xline-byte")
        if iline_byte is not None and iline_byte == xline_byte:
            raise InvalidInputError(
                f"--iline-byte and --xline-byte are both {iline_byte}; give two different trace-header positions"
            )
        if endian not in (None, "big", "little"):
            raise InvalidInputError(f"invalid --endian {endian!r}; use 'big' or 'little', or leave it out to detect it")

        if not keep_mapped_mb >= 0:
            raise InvalidInputError(f"invalid keep_mapped_mb {keep_mapped_mb!r}; give 0 or more MiB")
        self._keep_mapped_bytes = int(keep_mapped_mb * 2**20)

        self.path = check_path(path)
        self._mapping = _map_file(self.path)
        try:
            self._open(iline_byte, xline_byte, endian, domain)
        except BaseException:
            self.close()
            raise

    def _open(self, iline_byte: int | None, xline_byte: int | None, endian: str | None, domain: str | None) -> None:
        """Read the file headers and detect the layout, sample axis and geometry."""
        whole = np.frombuffer(self._mapping, dtype=np.uint8) if self._mapping is not None else np.empty(0, np.uint8)
        self._layout: FileLayout = resolve_layout(self.path, whole, endian=endian)
        layout = self._layout

        self.kind = layout.kind
        self.endian = layout.endian
        self.n_samples = layout.n_samples
        self.n_traces = layout.n_traces
        self.format_code = layout.sample_format.code
        self.sample_format = layout.sample_format.name
        self._format = layout.sample_format
        self._trace_size = layout.trace_size

        self._read_file_headers(whole)
        del whole

        trace_dtype = np.dtype(
            [("header", np.uint8, (TRACE_HEADER_SIZE,)), ("data", layout.sample_format.dtype(layout.endian), (layout.n_samples,))]
        )
        self._traces: np.ndarray | None = np.ndarray(
            shape=(layout.n_traces,), dtype=trace_dtype, buffer=self._mapping, offset=layout.data_offset
        )
        self._chunk_traces = max(1, _CHUNK_BYTES // (4 * self.n_samples))
        self._header_pass_traces = max(1, _HEADER_PASS_BYTES // self._trace_size)
        self._words: dict[tuple[int, int], np.ndarray] = {}

        self._axis: SampleAxis = sample_axis(
            layout.binary,
            bytes(self._traces["header"][0]),
            self.n_samples,
            self.text_header + "\n".join(self.extended_text_headers),
            self.endian,
            domain=domain,
            source=str(self.path),
        )
        self.samples = self._axis.values
        self.sample_interval = self._axis.interval
        self.domain = self._axis.domain
        self.unit = self._axis.unit

        # One pass over the trace headers reads the first inline/crossline
        # candidates and the coordinate words. Other candidates are read in
        # one more pass only when the first pair does not form a grid.
        # Reading more words in a pass costs little, because the pass time
        # goes into mapping the file's pages.
        seismic_unix = self.kind == "su"
        first_inline_byte = SU_INLINE_BYTES[0] if seismic_unix else INLINE_BYTES[0]
        first_crossline_byte = SU_CROSSLINE_BYTES[0] if seismic_unix else CROSSLINE_BYTES[0]
        if iline_byte is not None:
            first_inline_byte = iline_byte
        if xline_byte is not None:
            first_crossline_byte = xline_byte
        self._read_words([(first_inline_byte, 4), (first_crossline_byte, 4), *_COORDINATE_WORDS, *_SOURCE_WORDS])
        if np.any(self._words[(TraceField.CDP_X, 4)]) or np.any(self._words[(TraceField.CDP_Y, 4)]):
            # Source X/Y are only a fallback for files without CDP X/Y.
            for word in _SOURCE_WORDS:
                del self._words[word]
        self.geometry: Geometry = detect_geometry(
            lambda byte: self.header_word(byte),
            self.n_traces,
            iline_byte=iline_byte,
            xline_byte=xline_byte,
            seismic_unix=seismic_unix,
            source=str(self.path),
            prefetch=lambda positions: self._read_words([(byte, 4) for byte in positions]),
        )
        self._cells: tuple[np.ndarray, np.ndarray] | None = None
        logger.debug(
            "%s: %s, %s-endian, %d traces of %d samples, %s samples",
            self.path, self.kind, self.endian, self.n_traces, self.n_samples, self.sample_format,
        )

    def _read_file_headers(self, whole: np.ndarray) -> None:
        if self.kind == "su":
            self.text_header, self.text_encoding = "", "ascii"
            self.extended_text_headers: list[str] = []
            self.binary_header = b""
            return
        self.text_header, self.text_encoding = decode_text_header(bytes(whole[:TEXT_HEADER_SIZE]))
        self.binary_header = bytes(whole[TEXT_HEADER_SIZE:FILE_HEADER_SIZE])
        self.extended_text_headers = []
        for number in range(self._layout.n_extended_headers):
            start = FILE_HEADER_SIZE + number * TEXT_HEADER_SIZE
            text, _ = decode_text_header(bytes(whole[start : start + TEXT_HEADER_SIZE]))
            self.extended_text_headers.append(text)

    # Context management ---------------------------------------------------

    def close(self) -> None:
        """Release the memory map. Arrays already returned stay valid."""
        self._traces = None
        self._words = {}
        mapping, self._mapping = getattr(self, "_mapping", None), None
        if mapping is not None:
            try:
                mapping.close()
            except BufferError:
                # A view of the map is still referenced, for example by a
                # caller's slice. The map closes when that view goes away.
                logger.debug("%s: memory map still in use; it closes when its last view is freed", self.path)

    def __enter__(self) -> SegyFile:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        n_inlines, n_crosslines = self.geometry.shape
        return (
            f"SegyFile({str(self.path)!r}, {n_inlines} inlines x {n_crosslines} crosslines x "
            f"{self.n_samples} samples, {self.sample_format}, {self.endian}-endian)"
        )

    @property
    def trace_size(self) -> int:
        """Bytes per trace in the file, the 240-byte header included."""
        return self._trace_size

    def release_pages(self, start: int = 0, stop: int | None = None) -> None:
        """Drop the resident memory-map pages of traces ``start:stop``.

        Pages of a memory-mapped file count as the process's resident memory
        once read, until they are unmapped or dropped. A caller that walks
        over a file larger than its memory budget calls this after each
        chunk of traces. The pages stay in the operating system's page cache,
        so reading them again costs no disk access. It does nothing on
        systems without ``madvise(MADV_DONTNEED)``.

        Parameters
        ----------
        start, stop : int
            Trace range (0-based, stop exclusive; None means the last trace).
            The default releases the whole file.
        """
        start, stop = self._check_range(start, stop)
        offset = self._layout.data_offset
        self._release_bytes(offset + start * self._trace_size, offset + stop * self._trace_size)

    def _release_bytes(self, start: int, stop: int | None) -> None:
        """Drop the resident pages of file bytes ``start:stop``, where a stop of None means the end of the file."""
        if self._mapping is None or not hasattr(mmap, "MADV_DONTNEED"):
            return
        first = start - start % _PAGE_SIZE
        stop = len(self._mapping) if stop is None else min(stop, len(self._mapping))
        if stop > first:
            self._mapping.madvise(mmap.MADV_DONTNEED, first, stop - first)

    @property
    def sample_axis(self) -> SampleAxis:
        """First sample, interval, domain and unit of the sample axis."""
        return self._axis

    @property
    def first_sample(self) -> float:
        """Time (ms) or depth of the first sample."""
        return self._axis.first

    def _open_traces(self) -> np.ndarray:
        if self._traces is None:
            raise ValueError(f"{self.path} is closed; open it again with open_segy")
        return self._traces

    def _check_range(self, start: int, stop: int | None) -> tuple[int, int]:
        stop = self.n_traces if stop is None else stop
        if not 0 <= start <= stop <= self.n_traces:
            raise InvalidInputError(
                f"invalid trace range {start}:{stop} for {self.path}; give 0 <= start <= stop <= {self.n_traces}"
            )
        return int(start), int(stop)

    # Raw reads ------------------------------------------------------------

    def read_traces(self, start: int = 0, stop: int | None = None, *, out: np.ndarray | None = None) -> np.ndarray:
        """Read consecutive traces in file order.

        Parameters
        ----------
        start, stop : int
            Trace range ``start:stop`` (0-based, stop exclusive; None means the last trace).
        out : np.ndarray of float32, shape (stop - start, n_samples), optional
            Where to decode the samples, for example rows of a caller's
            buffer, so no temporary array is made. A new array by default.
            An array of shape ``(..., n_samples)`` whose leading axes hold
            ``stop - start`` traces in C order (for example a transposed
            view holding whole crosslines) works too.

        Returns
        -------
        np.ndarray of float32, shape (stop - start, n_samples)
            ``out`` when given, in its shape.
        """
        start, stop = self._check_range(start, stop)
        raw = self._open_traces()["data"][start:stop]
        if out is not None and out.ndim > 2 and out.shape[-1] == self.n_samples and out[..., 0].size == stop - start:
            # Splitting the trace axis of the strided map is a view, not a copy.
            raw = raw.reshape(out.shape)
        return decode_samples(raw, self._format, out=out)

    def read_trace_headers(self, start: int = 0, stop: int | None = None) -> np.ndarray:
        """Read raw trace headers in file order.

        Returns
        -------
        np.ndarray of uint8, shape (stop - start, 240)
            The header bytes in the file's byte order.
        """
        start, stop = self._check_range(start, stop)
        return np.array(self._open_traces()["header"][start:stop])

    def _word_view(self, byte: int, size: int) -> np.ndarray:
        """Return a strided view of one header word of every trace, in the file's byte order."""
        if size not in (1, 2, 4, 8):
            raise InvalidInputError(f"invalid header word size {size}; use 1, 2, 4 or 8 bytes")
        if not 1 <= byte <= TRACE_HEADER_SIZE - size + 1:
            raise InvalidInputError(
                f"invalid trace-header byte {byte} for a {size}-byte word; "
                f"give a position from 1 to {TRACE_HEADER_SIZE - size + 1}"
            )
        self._open_traces()
        dtype = np.dtype(("<" if self.endian == "little" else ">") + f"i{size}")
        return np.ndarray(
            shape=(self.n_traces,),
            dtype=dtype,
            buffer=self._mapping,
            offset=self._layout.data_offset + byte - 1,
            strides=(self._trace_size,),
        )

    def _read_words(self, words: Iterable[tuple[int, int]]) -> None:
        """Read header words of every trace into the cache, all in one pass over the file.

        ``words`` lists ``(byte, size)`` pairs. Words already cached are
        skipped. The pass maps the file in chunks of about 32 MiB and releases
        each chunk's pages before the next, except the first
        ``keep_mapped_mb`` of the file.
        """
        missing = list(dict.fromkeys(word for word in words if word not in self._words))
        if not missing:
            return
        views = {word: self._word_view(*word) for word in missing}
        values = {word: np.empty(self.n_traces, dtype=f"i{word[1]}") for word in missing}
        offset = self._layout.data_offset
        for start in range(0, self.n_traces, self._header_pass_traces):
            stop = min(start + self._header_pass_traces, self.n_traces)
            for word in missing:
                np.copyto(values[word][start:stop], views[word][start:stop])
            # The first keep_mapped_mb of the file stay mapped for the caller.
            self._release_bytes(
                max(offset + start * self._trace_size, self._keep_mapped_bytes), offset + stop * self._trace_size
            )
        self._words.update(values)
        logger.debug("%s: read header words %s of %d traces", self.path, missing, self.n_traces)

    def header_word(self, byte: int, size: int = 4, start: int = 0, stop: int | None = None) -> np.ndarray:
        """Read one signed header word of each trace.

        The word of every trace is read once and cached, so later calls for
        the same word read no file bytes.

        Parameters
        ----------
        byte : int
            1-based position of the word in the 240-byte trace header; any position works.
        size : {1, 2, 4, 8}, default 4
            Word length in bytes.
        start, stop : int
            Trace range.

        Returns
        -------
        np.ndarray of int64, shape (stop - start,)

        Raises
        ------
        InvalidInputError
            If ``size`` is not 1, 2, 4 or 8, the word does not fit in the
            240-byte header, or the trace range is invalid.
        """
        start, stop = self._check_range(start, stop)
        self._read_words([(int(byte), int(size))])
        return self._words[(int(byte), int(size))][start:stop].astype(np.int64)

    def _read_indices(self, indices: np.ndarray) -> np.ndarray:
        """Read traces at arbitrary file positions, in the order given."""
        if len(indices) == 0:
            return np.zeros((0, self.n_samples), dtype=np.float32)
        first = int(indices[0])
        if np.array_equal(indices, np.arange(first, first + len(indices))):
            return self.read_traces(first, first + len(indices))
        return decode_samples(self._open_traces()["data"][indices], self._format)

    # Sections, slices, volume ---------------------------------------------

    def _section(self, trace_numbers: np.ndarray) -> np.ndarray:
        section = np.zeros((len(trace_numbers), self.n_samples), dtype=np.float32)
        live = trace_numbers >= 0
        section[live] = self._read_indices(trace_numbers[live])
        return section

    def read_inline(self, inline_number: int) -> np.ndarray:
        """Read one inline section.

        Parameters
        ----------
        inline_number : int
            The inline number (not its position).

        Returns
        -------
        np.ndarray of float32, shape (n_crosslines, n_samples)
            Zeros where the grid has no trace.

        Raises
        ------
        SegyFormatError
            If the number is not one of :attr:`Geometry.inlines`.
        """
        row = self.geometry.inline_position(inline_number)
        return self._section(self.geometry.trace_index[row])

    def read_crossline(self, crossline_number: int) -> np.ndarray:
        """Read one crossline section.

        Returns
        -------
        np.ndarray of float32, shape (n_inlines, n_samples)
            Zeros where the grid has no trace.
        """
        column = self.geometry.crossline_position(crossline_number)
        return self._section(self.geometry.trace_index[:, column])

    def _trace_cells(self) -> tuple[np.ndarray, np.ndarray]:
        if self._cells is None:
            self._cells = self.geometry.trace_cells()
        return self._cells

    def read_slice(self, sample_index: int) -> np.ndarray:
        """Read one time or depth slice.

        Parameters
        ----------
        sample_index : int
            0-based sample number (not a time).

        Returns
        -------
        np.ndarray of float32, shape (n_inlines, n_crosslines)
            Zeros where the grid has no trace.
        """
        if not 0 <= sample_index < self.n_samples:
            raise InvalidInputError(
                f"invalid sample index {sample_index} for {self.path}; give 0 to {self.n_samples - 1}"
            )
        rows, cols = self._trace_cells()
        data = self._open_traces()["data"]
        plane = np.zeros(self.geometry.shape, dtype=np.float32)
        for start in range(0, self.n_traces, self._chunk_traces):
            stop = min(start + self._chunk_traces, self.n_traces)
            values = decode_samples(np.asarray(data[start:stop, sample_index]), self._format)
            plane[rows[start:stop], cols[start:stop]] = values
            self.release_pages(start, stop)
        return plane

    def read_volume(self) -> np.ndarray:
        """Read every trace into memory on the inline x crossline grid.

        The file pages are released chunk by chunk, so memory use is the
        volume plus one chunk.

        Returns
        -------
        np.ndarray of float32, shape (n_inlines, n_crosslines, n_samples)
            Zeros where the grid has no trace.
        """
        rows, cols = self._trace_cells()
        volume = np.zeros((*self.geometry.shape, self.n_samples), dtype=np.float32)
        for start in range(0, self.n_traces, self._chunk_traces):
            stop = min(start + self._chunk_traces, self.n_traces)
            volume[rows[start:stop], cols[start:stop]] = self.read_traces(start, stop)
            self.release_pages(start, stop)
        return volume

    # Coordinates and values -----------------------------------------------

    def _trace_coordinates(self) -> tuple[np.ndarray, np.ndarray, str]:
        return trace_coordinates(lambda byte, size: self.header_word(byte, size), self.n_traces)

    def coordinates(self) -> tuple[np.ndarray, np.ndarray]:
        """Return the X/Y coordinate of every grid cell.

        CDP X/Y (bytes 181/185) scaled by the coordinate scalar (bytes 71-72),
        or source X/Y (bytes 73/77) when the CDP words are all zero.

        Returns
        -------
        x, y : np.ndarray of float64, shape (n_inlines, n_crosslines)
            NaN where the grid has no trace.
        """
        x_traces, y_traces, _ = self._trace_coordinates()
        rows, cols = self._trace_cells()
        x = np.full(self.geometry.shape, np.nan)
        y = np.full(self.geometry.shape, np.nan)
        x[rows, cols] = x_traces
        y[rows, cols] = y_traces
        return x, y

    def bin_grid(self) -> BinGrid | None:
        """Fit the bin grid (origin, azimuths, spacings) to the trace coordinates.

        Returns
        -------
        BinGrid or None
            Spacings are in coordinate units per grid step (one
            :attr:`Geometry.inline_step` or :attr:`Geometry.crossline_step`).
            None when the file has no coordinates (all CDP and source X/Y zero).
        """
        x, y, source = self._trace_coordinates()
        if source == "none" or not np.any(np.isfinite(x) & np.isfinite(y)):
            return None
        rows, cols = self._trace_cells()
        return fit_bin_grid(x, y, rows, cols, source)

    def _read_and_release(self, start: int, stop: int) -> np.ndarray:
        traces = self.read_traces(start, stop)
        self.release_pages(start, stop)
        return traces

    def scan(self, *, progress: bool = True) -> ScanReport:
        """Read every trace once and count non-finite samples and dead traces.

        Parameters
        ----------
        progress : bool, default True
            Show a tqdm bar on stderr.

        Returns
        -------
        ScanReport
        """
        report = scan_traces(
            self._read_and_release,
            self.n_traces,
            chunk_traces=self._chunk_traces,
            progress=progress,
            description=f"scanning {self.path.name}",
        )
        if report.n_nonfinite:
            logger.warning(
                "%s: %d NaN or infinite samples in %d traces", self.path, report.n_nonfinite, report.n_nonfinite_traces
            )
        if report.n_dead:
            logger.info("%s: %d dead (all-zero) traces of %d", self.path, report.n_dead, report.n_traces)
        return report


def _map_file(path: os.PathLike[str]) -> mmap.mmap | None:
    """Map a file read-only, or return None for an empty file (which cannot be mapped)."""
    with open(path, "rb") as stream:
        if os.fstat(stream.fileno()).st_size == 0:
            return None
        return mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ)


def open_segy(
    path: str | os.PathLike[str],
    *,
    iline_byte: int | None = None,
    xline_byte: int | None = None,
    endian: str | None = None,
    domain: str | None = None,
    keep_mapped_mb: float = 0.0,
) -> SegyFile:
    """Open a post-stack SEG-Y or Seismic Unix file.

    The byte order, textual-header encoding, sample format and
    inline/crossline header words are detected. Options override detection.

    Parameters
    ----------
    path : path-like
        The file. Files whose name ends in ``.su``, or whose first 3600 bytes
        are not a SEG-Y file header but whose size fits whole IEEE traces,
        are read as Seismic Unix.
    iline_byte, xline_byte : int or None, default None
        1-based trace-header byte of the 4-byte inline and crossline
        numbers, 1 to 237 (any position, not only standard fields). None
        tries 189, 9, 5, 221 for inlines and 193, 21, 17, 225 for crosslines
        and keeps the pair that forms a grid (189/193 when it does).
    endian : {"big", "little"} or None, default None
        Byte order. None reads the revision-2 byte-order word, then picks the
        order in which the binary header is plausible.
    domain : {"time", "depth"} or None, default None
        Vertical domain. None looks for "depth" and "time" in the textual
        header and falls back to time.
    keep_mapped_mb : float, default 0
        MiB at the start of the file whose pages stay mapped after the
        trace-header pass, so that reading those traces next costs no page
        faults. They count as resident memory until
        :meth:`SegyFile.release_pages`. The rest of the file is released
        during the pass.

    Returns
    -------
    SegyFile
        Use it as a context manager or call :meth:`SegyFile.close`.

    Raises
    ------
    InputNotFoundError
        If ``path`` does not exist or is not a file.
    SegyFormatError
        If the file is not SEG-Y or Seismic Unix, is truncated, uses an
        unsupported sample format (such as the 24-bit codes 7 and 15), contains
        pre-stack gathers, or has no inline/crossline geometry.
    InvalidInputError
        If an option value is invalid.
    """
    return SegyFile(
        path, iline_byte=iline_byte, xline_byte=xline_byte, endian=endian, domain=domain, keep_mapped_mb=keep_mapped_mb
    )
