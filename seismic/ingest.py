"""Convert SEG-Y to the HDF5 volume layout out of core, under a memory budget.

The converter walks the survey grid in blocks of whole lines along the file's
sorting axis, one row of HDF5 chunks at a time (for example 64 inlines of an
inline-sorted file). Each block's traces therefore sit next to each other in
the file. The block buffer holds the samples chunk by chunk, so every chunk is
written to the ``seismic`` dataset as it is (``write_direct_chunk``). When a
block's traces are stored in grid order, as in most files, runs of them are
decoded into a small staging buffer that stays in the processor's cache and
copied into the chunks. Otherwise they are read in runs of neighbouring file
positions and placed on the grid by their headers.

Peak memory is the block buffer, the file pages of one run of traces (the
reader's memory map, released after each run), the staging buffer the run is
decoded into, and HDF5's small working buffers, all sized from
``memory_budget_mb``. The reader's trace-header pass releases the pages it
maps as it goes, except the first quarter of the budget's worth of the file,
which the first blocks then read without page faults. The grid's index
arrays and the cached header words (a few tens of bytes per trace) come on
top.

Samples that are NaN or infinite are counted and stored as 0. A trace whose
samples are all 0 is counted as dead but stays live; only grid cells without
any trace are marked ``live = False`` (and hold 0).
"""

from __future__ import annotations

import dataclasses
import logging
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import h5py
import numpy as np
from tqdm import tqdm

from seismic.atomic import atomic_output
from seismic.errors import InvalidInputError
from seismic.volume import CDP_X, CDP_Y, SEISMIC, chunk_shape, create_volume_dataset, write_axes

__all__ = ["IngestReport", "ingest_segy", "DEFAULT_MEMORY_BUDGET_MB"]

logger = logging.getLogger(__name__)

DEFAULT_MEMORY_BUDGET_MB = 256.0

# Shares of the memory budget. The block buffer takes half. One run of traces
# while the reader decodes it (its mapped file pages and a float32 copy) takes
# _RUN_SHARE, and the file pages that the trace-header pass leaves mapped for
# the first blocks take _KEEP_MAPPED_SHARE. The rest covers the staging
# buffer and HDF5's working memory.
_BLOCK_SHARE = 0.5
_RUN_SHARE = 0.15
_KEEP_MAPPED_SHARE = 0.25

# Traces are decoded into a buffer of about this size (at least one line),
# small enough to stay in the processor's cache until they are copied into
# the chunks.
_STAGING_BYTES = 2 * 2**20

# Runs of traces to read are split where neighbouring needed positions are
# farther apart than this many traces, so few unneeded traces are read.
_MAX_GAP = 64


@dataclass(frozen=True)
class IngestReport:
    """Summary of one SEG-Y to HDF5 conversion.

    Attributes
    ----------
    source, output : Path
        The SEG-Y file read and the HDF5 file written.
    shape : tuple of int
        ``(n_inlines, n_crosslines, n_samples)``.
    n_traces : int
        Traces in the SEG-Y file.
    n_missing : int
        Grid cells without a trace (``live`` False).
    n_dead : int
        Traces present whose samples are all 0 (after non-finite samples become 0).
    n_nonfinite : int
        NaN or infinite samples, stored as 0.
    sample_format, endian, sorting, domain, unit : str
        What the reader found in the file.
    iline_byte, xline_byte : int
        Trace-header byte positions of the inline and crossline numbers used.
    chunks : tuple of int
        HDF5 chunk shape of the ``seismic`` dataset.
    memory_budget_mb : float
        The memory budget the conversion was sized for, in MiB.
    seconds : float
        Wall-clock time of the conversion.
    """

    source: Path
    output: Path
    shape: tuple[int, int, int]
    n_traces: int
    n_missing: int
    n_dead: int
    n_nonfinite: int
    sample_format: str
    endian: str
    sorting: str
    domain: str
    unit: str
    iline_byte: int
    xline_byte: int
    chunks: tuple[int, ...]
    memory_budget_mb: float
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        """Return the report as JSON-ready values (paths as strings, tuples as lists)."""
        values = dataclasses.asdict(self)
        values["source"] = str(self.source)
        values["output"] = str(self.output)
        values["shape"] = list(self.shape)
        values["chunks"] = list(self.chunks)
        return values


@dataclass
class _Counts:
    n_dead: int = 0
    n_nonfinite: int = 0


def ingest_segy(
    source: str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    iline_byte: int | None = None,
    xline_byte: int | None = None,
    endian: str | None = None,
    memory_budget_mb: float = DEFAULT_MEMORY_BUDGET_MB,
    domain: str | None = None,
    crs: str | None = None,
    progress: bool = True,
) -> IngestReport:
    """Convert a SEG-Y file to an HDF5 volume file without loading the whole volume.

    The output contains the datasets ``seismic`` (float32, inlines x
    crosslines x samples, in bricks of at most 64 samples a side),
    ``inline``, ``crossline``, ``sample`` (ms, or depth in the file's unit,
    from the first sample's time), ``live``, and ``cdp_x`` and ``cdp_y`` per
    cell. Its attributes record the textual headers, the raw binary header
    (400 bytes, the file's byte order), the bin grid, the domain and unit,
    the header byte positions and the counts in :class:`IngestReport`. See
    :mod:`seismic.volume` for the layout.

    Parameters
    ----------
    source : path-like
        SEG-Y or Seismic Unix file.
    output : path-like
        HDF5 file to write. It is written under a temporary name beside it and
        renamed on success, so a failed conversion leaves nothing behind.
    iline_byte, xline_byte : int, optional
        1-based trace-header byte positions of the inline and crossline
        numbers (189 and 193 in SEG-Y revision 1). By default the reader
        detects them.
    endian : {"big", "little"}, optional
        Byte order; detected by default.
    domain : {"time", "depth"}, optional
        Vertical domain; guessed from the textual header by default.
    memory_budget_mb : float, default=256
        Memory, in MiB, the conversion may use on top of the interpreter and
        the grid's index arrays.
    crs : str, optional
        Coordinate reference system of the CDP X/Y coordinates as the user
        knows it (for example ``"EPSG:23031"``); SEG-Y rev 1 files carry none.
        Stored as the ``crs`` attribute.
    progress : bool, default=True
        Show a progress bar (traces converted) on stderr.

    Returns
    -------
    IngestReport
        What was converted and what was found.

    Raises
    ------
    InputNotFoundError
        If ``source`` does not exist.
    SegyFormatError
        If ``source`` is not a SEG-Y file the reader can decode.
    InvalidInputError
        If the memory budget cannot hold even a few traces.
    """
    from seismic.segy import open_segy

    started = time.perf_counter()
    budget = float(memory_budget_mb) * 2**20
    if not budget > 0:
        raise InvalidInputError(f"invalid memory budget {memory_budget_mb} MB; give a number greater than 0")
    source = Path(source)
    output = Path(output)
    if output.is_dir():
        raise InvalidInputError(f"output {output} is a folder; give an HDF5 file path such as {output / 'survey.h5'}")
    if source.resolve() == output.resolve():
        raise InvalidInputError(f"output {output} is the SEG-Y file being read; choose another output path")

    keep_mapped_mb = float(memory_budget_mb) * _KEEP_MAPPED_SHARE
    with open_segy(
        source,
        iline_byte=iline_byte,
        xline_byte=xline_byte,
        endian=endian,
        domain=domain,
        keep_mapped_mb=keep_mapped_mb,
    ) as segy:
        geometry = segy.geometry
        n_inlines, n_crosslines = geometry.trace_index.shape
        n_samples = int(segy.n_samples)
        shape = (n_inlines, n_crosslines, n_samples)
        along_crosslines = str(geometry.sorting) == "crossline"
        plan = _plan_blocks(shape, along_crosslines, budget, int(segy.trace_size))
        if plan is None:
            minimum = _padded_samples(n_samples) * 4 / _BLOCK_SHARE / 2**20
            raise InvalidInputError(
                f"memory budget {memory_budget_mb:g} MB is too small for traces of {n_samples} samples; "
                f"give --memory-budget of at least {minimum:.2f}"
            )

        logger.info(
            "converting %s (%d inlines x %d crosslines x %d samples, %s, %s-endian, %s-sorted, "
            "inline at byte %d, crossline at byte %d) to %s under a %g MB memory budget",
            source,
            n_inlines,
            n_crosslines,
            n_samples,
            segy.sample_format,
            segy.endian,
            geometry.sorting,
            geometry.iline_byte,
            geometry.xline_byte,
            output,
            float(memory_budget_mb),
        )

        counts = _Counts()
        with atomic_output(output) as temporary:
            # Whole chunks are written with write_direct_chunk, so HDF5 needs
            # no chunk cache to merge partial writes.
            with h5py.File(temporary, "w", rdcc_nbytes=2**20) as h5:
                _write_metadata(h5, segy, source)
                dataset = create_volume_dataset(h5, SEISMIC, shape, np.float32, chunks=plan.chunks)
                _convert(segy, dataset, plan, counts, progress)
                if crs:
                    h5.attrs["crs"] = str(crs)
                h5.attrs["n_dead"] = counts.n_dead
                h5.attrs["n_nonfinite"] = counts.n_nonfinite

        report = IngestReport(
            source=source,
            output=output,
            shape=shape,
            n_traces=int(segy.n_traces),
            n_missing=int(geometry.n_missing),
            n_dead=counts.n_dead,
            n_nonfinite=counts.n_nonfinite,
            sample_format=str(segy.sample_format),
            endian=str(segy.endian),
            sorting=str(geometry.sorting),
            domain=str(segy.domain),
            unit=str(segy.unit),
            iline_byte=int(geometry.iline_byte),
            xline_byte=int(geometry.xline_byte),
            chunks=plan.chunks,
            memory_budget_mb=float(memory_budget_mb),
            seconds=time.perf_counter() - started,
        )

    if report.n_nonfinite:
        logger.warning(
            "%s: %d non-finite samples (NaN or infinite) were stored as 0 in %s",
            source,
            report.n_nonfinite,
            output,
        )
    if report.n_missing:
        logger.info("%d grid cells have no trace; they hold 0 and are False in 'live'", report.n_missing)
    if report.n_dead:
        logger.info("%d traces are dead (all samples 0); they stay live", report.n_dead)
    logger.info("wrote %s in %.1f s", output, report.seconds)
    return report


@dataclass(frozen=True)
class _BlockPlan:
    """Block layout of a conversion: the cut of the grid into blocks of whole HDF5 chunks.

    Lines run along the file's sorting axis (inlines of an inline-sorted
    file) and cells along the other axis. A block spans ``line_chunk``
    lines (fewer at the end) and ``block_cells`` cells (fewer at the end).
    """

    chunks: tuple[int, int, int]
    along_crosslines: bool
    line_chunk: int
    cell_chunk: int
    block_cells: int
    traces_per_read: int


def _padded_samples(n_samples: int) -> int:
    """Return the samples per trace rounded up to whole chunks along the sample axis."""
    sample_chunk = chunk_shape((1, 1, n_samples))[2]
    return -(-n_samples // sample_chunk) * sample_chunk


def _plan_blocks(
    shape: tuple[int, int, int], along_crosslines: bool, budget: float, file_trace_bytes: int
) -> _BlockPlan | None:
    """Size blocks and reads from the memory budget (bytes), or return None when not even one trace fits."""
    n_inlines, n_crosslines, n_samples = shape
    padded_trace_bytes = _padded_samples(n_samples) * 4
    cells_per_block = int(budget * _BLOCK_SHARE // padded_trace_bytes)
    if cells_per_block < 1:
        return None
    # One trace per read at the least: its file pages are mapped whatever the budget.
    traces_per_read = max(1, int(budget * _RUN_SHARE // (file_trace_bytes + n_samples * 4)))

    chunks = list(chunk_shape(shape))
    line_axis, cell_axis = (1, 0) if along_crosslines else (0, 1)
    line_length = shape[cell_axis]
    padded_line = -(-line_length // chunks[cell_axis]) * chunks[cell_axis]

    # A block is one row of chunks along the sorting axis, even when the
    # budget would hold more, so the buffer stays in the processor's caches
    # between decoding and writing.
    lines_per_block = min(cells_per_block // padded_line, chunks[line_axis])
    if lines_per_block >= 1:
        # Fewer lines than a chunk spans may fit the budget: the chunk then
        # shrinks along the sorting axis so that every block holds whole chunks.
        chunks[line_axis] = lines_per_block
        block_cells = line_length
    else:
        # Not even one line fits: blocks are pieces of one line, a whole
        # number of (smaller) chunks long.
        chunks[line_axis] = 1
        chunks[cell_axis] = min(chunks[cell_axis], cells_per_block)
        block_cells = cells_per_block // chunks[cell_axis] * chunks[cell_axis]
    return _BlockPlan(
        chunks=(chunks[0], chunks[1], chunks[2]),
        along_crosslines=along_crosslines,
        line_chunk=chunks[line_axis],
        cell_chunk=chunks[cell_axis],
        block_cells=block_cells,
        traces_per_read=traces_per_read,
    )


class _ChunkRow:
    """A block of the volume held chunk by chunk, so each HDF5 chunk is one contiguous array.

    ``buffer`` has shape (cell chunks, sample chunks, *chunk shape*), and
    ``grid`` views it as (line, cell chunk, cell within the chunk, sample
    chunk, sample within the chunk), the order in which a sorted file stores
    the samples. Parts of chunks past the volume's edge hold 0.
    """

    def __init__(self, plan: _BlockPlan, n_samples: int) -> None:
        self.plan = plan
        self.n_samples = n_samples
        self.sample_chunk = plan.chunks[2]
        self.n_cell_chunks = -(-plan.block_cells // plan.cell_chunk)
        self.n_sample_chunks = -(-n_samples // self.sample_chunk)
        self.buffer = np.zeros((self.n_cell_chunks, self.n_sample_chunks, *plan.chunks), dtype=np.float32)
        # Chunk axes 2, 3 and 4 of the buffer are inline, crossline and sample.
        self.grid = self.buffer.transpose((3, 0, 2, 1, 4) if plan.along_crosslines else (2, 0, 3, 1, 4))
        self._extent = (plan.line_chunk, plan.block_cells)
        self._staging_buffer = np.empty((0, n_samples), dtype=np.float32)

    def start(self, n_lines: int, n_cells: int) -> None:
        """Prepare for a block of ``n_lines`` x ``n_cells`` traces, zeroing what a smaller block leaves over."""
        if (n_lines, n_cells) != self._extent:
            self.buffer.fill(0)
            self._extent = (n_lines, n_cells)

    def fill_in_order(self, segy: Any, first: int, n_lines: int, n_cells: int, counts: _Counts) -> None:
        """Decode ``n_lines`` x ``n_cells`` traces stored consecutively from trace ``first``, in grid order.

        Each run of lines is decoded into a small buffer that stays in the
        processor's cache and copied from there into the chunks, which is
        faster than decoding straight into the chunks' short rows.
        """
        line_bytes = n_cells * self.n_samples * 4
        lines_per_read = max(1, min(self.plan.traces_per_read // n_cells, _STAGING_BYTES // line_bytes))
        staging = self._staging(lines_per_read * n_cells)
        full_cells, cells_left = divmod(n_cells, self.plan.cell_chunk)
        full_samples, samples_left = divmod(self.n_samples, self.sample_chunk)
        cell_split, sample_split = full_cells * self.plan.cell_chunk, full_samples * self.sample_chunk
        for line in range(0, n_lines, lines_per_read):
            stop = min(line + lines_per_read, n_lines)
            start_trace, stop_trace = first + line * n_cells, first + stop * n_cells
            traces = segy.read_traces(start_trace, stop_trace, out=staging[: stop_trace - start_trace])
            segy.release_pages(start_trace, stop_trace)
            _clean(traces, counts)
            traces = traces.reshape(stop - line, n_cells, self.n_samples)
            target = self.grid[line:stop]
            # Up to four pieces: whole chunks, and the partial chunks at the
            # end of the cell axis and of the sample axis.
            if full_cells and full_samples:
                target[:, :full_cells, :, :full_samples, :] = traces[:, :cell_split, :sample_split].reshape(
                    stop - line, full_cells, self.plan.cell_chunk, full_samples, self.sample_chunk
                )
            if cells_left and full_samples:
                target[:, full_cells, :cells_left, :full_samples, :] = traces[:, cell_split:, :sample_split].reshape(
                    stop - line, cells_left, full_samples, self.sample_chunk
                )
            if full_cells and samples_left:
                target[:, :full_cells, :, full_samples, :samples_left] = traces[:, :cell_split, sample_split:].reshape(
                    stop - line, full_cells, self.plan.cell_chunk, samples_left
                )
            if cells_left and samples_left:
                target[:, full_cells, :cells_left, full_samples, :samples_left] = traces[:, cell_split:, sample_split:]

    def _staging(self, n_traces: int) -> np.ndarray:
        """Return a reused float32 buffer of shape (n_traces, n_samples)."""
        if self._staging_buffer.shape[0] < n_traces:
            self._staging_buffer = np.empty((n_traces, self.n_samples), dtype=np.float32)
        return self._staging_buffer[:n_traces]

    def fill_scattered(self, segy: Any, index: np.ndarray, counts: _Counts) -> None:
        """Read the traces of the block in file order and place each on its cell.

        ``index`` (lines, cells) contains each cell's trace position in the file, -1 for none.
        """
        lines, cells = np.nonzero(index >= 0)
        positions = index[lines, cells]
        order = np.argsort(positions, kind="stable")
        lines, cells, positions = lines[order], cells[order], positions[order]
        cell_chunks, cells_within = np.divmod(cells, self.plan.cell_chunk)
        full_samples, samples_left = divmod(self.n_samples, self.sample_chunk)
        sample_split = full_samples * self.sample_chunk

        missing_lines, missing_cells = np.nonzero(index < 0)
        if missing_lines.size:
            chunk_numbers, within = np.divmod(missing_cells, self.plan.cell_chunk)
            self.grid[missing_lines, chunk_numbers, within] = 0

        for run in _runs(positions, self.plan.traces_per_read):
            first = int(positions[run.start])
            last = int(positions[run.stop - 1])
            traces = segy.read_traces(first, last + 1)
            if last + 1 - first != run.stop - run.start:
                traces = traces[positions[run] - first]
            segy.release_pages(first, last + 1)
            _clean(traces, counts)
            places = (lines[run], cell_chunks[run], cells_within[run])
            if full_samples:
                self.grid[places + (slice(0, full_samples),)] = traces[:, :sample_split].reshape(
                    -1, full_samples, self.sample_chunk
                )
            if samples_left:
                self.grid[places + (full_samples, slice(0, samples_left))] = traces[:, sample_split:]

    def write(self, dataset: h5py.Dataset, first_line: int, first_cell: int, n_cells: int) -> None:
        """Write the block's chunks. Its first line and cell are grid positions on chunk boundaries."""
        for cell_chunk in range(-(-n_cells // self.plan.cell_chunk)):
            cell = first_cell + cell_chunk * self.plan.cell_chunk
            inline, crossline = (cell, first_line) if self.plan.along_crosslines else (first_line, cell)
            for sample_chunk in range(self.n_sample_chunks):
                dataset.id.write_direct_chunk(
                    (inline, crossline, sample_chunk * self.sample_chunk), self.buffer[cell_chunk, sample_chunk]
                )


def _convert(segy: Any, dataset: h5py.Dataset, plan: _BlockPlan, counts: _Counts, progress: bool) -> None:
    """Convert every trace block by block into the chunked ``dataset``."""
    trace_index = segy.geometry.trace_index
    # (lines, cells): lines along the sorting axis.
    by_line = trace_index.T if plan.along_crosslines else trace_index
    n_lines, line_length = by_line.shape
    row = _ChunkRow(plan, int(segy.n_samples))
    bar = tqdm(total=int(segy.n_traces), unit="trace", desc="ingest", file=sys.stderr, disable=not progress)
    with bar:
        for first_line in range(0, n_lines, plan.line_chunk):
            for first_cell in range(0, line_length, plan.block_cells):
                index = by_line[first_line : first_line + plan.line_chunk, first_cell : first_cell + plan.block_cells]
                n_block_lines, n_cells = index.shape
                row.start(n_block_lines, n_cells)
                first = int(index[0, 0])
                if first >= 0 and np.array_equal(index.ravel(), np.arange(first, first + index.size)):
                    row.fill_in_order(segy, first, n_block_lines, n_cells, counts)
                else:
                    row.fill_scattered(segy, index, counts)
                row.write(dataset, first_line, first_cell, n_cells)
                bar.update(int(np.count_nonzero(index >= 0)))


def _runs(positions: np.ndarray, max_length: int) -> Iterator[slice]:
    """Split sorted file positions into runs spanning at most ``max_length`` traces with small gaps."""
    breaks = np.nonzero(np.diff(positions) > _MAX_GAP)[0] + 1
    bounds = np.concatenate(([0], breaks, [positions.size])).astype(np.int64)
    for segment_start, segment_stop in zip(bounds[:-1], bounds[1:]):
        start = int(segment_start)
        while start < segment_stop:
            limit = positions[start] + max_length
            stop = start + int(np.searchsorted(positions[start:segment_stop], limit))
            yield slice(start, stop)
            start = stop


def _clean(traces: np.ndarray, counts: _Counts) -> None:
    """Count and zero non-finite samples of decoded traces (n, n_samples) in place, then count all-zero traces."""
    # Each trace's energy (sum of squares) is non-finite when a sample is, and
    # zero when every sample is. It is one fast pass, so only traces with a
    # non-finite or zero energy are checked sample by sample. Overflow or
    # underflow of float32 squares only sends more traces to that check.
    energy = np.einsum("ij,ij->i", traces, traces)
    suspects = np.flatnonzero(~np.isfinite(energy) | (energy == 0))
    if suspects.size == 0:
        return
    part = traces[suspects]
    bad = ~np.isfinite(part)
    n_bad = int(np.count_nonzero(bad))
    if n_bad:
        counts.n_nonfinite += n_bad
        part[bad] = 0
        traces[suspects] = part
    counts.n_dead += int(part.shape[0] - np.count_nonzero(part.any(axis=1)))


def _write_metadata(h5: h5py.File, segy: Any, source: Path) -> None:
    """Write the axes, live mask, coordinates and header attributes of an open SEG-Y file."""
    geometry = segy.geometry
    attrs: dict[str, Any] = {
        "domain": str(segy.domain),
        "unit": str(segy.unit),
        "sample_interval": float(segy.sample_interval),
        "sample_format": str(segy.sample_format),
        "format_code": int(segy.format_code),
        "endian": str(segy.endian),
        "sorting": str(geometry.sorting),
        "iline_byte": int(geometry.iline_byte),
        "xline_byte": int(geometry.xline_byte),
        "n_traces": int(segy.n_traces),
        "n_missing": int(geometry.n_missing),
        "text_header": str(segy.text_header),
        "text_encoding": str(segy.text_encoding),
        "binary_header": np.frombuffer(bytes(segy.binary_header), dtype=np.uint8),
        "source": str(source.resolve()),
    }
    extended = list(getattr(segy, "extended_text_headers", []) or [])
    if extended:
        attrs["extended_text_headers"] = np.array(extended, dtype=h5py.string_dtype())
    write_axes(
        h5,
        inlines=geometry.inlines,
        crosslines=geometry.crosslines,
        samples=segy.samples,
        live=geometry.live,
        attrs=attrs,
    )

    x, y = segy.coordinates()
    h5.create_dataset(CDP_X, data=np.asarray(x, dtype=np.float64))
    h5.create_dataset(CDP_Y, data=np.asarray(y, dtype=np.float64))
    for key, value in _bin_grid_attrs(segy.bin_grid()).items():
        h5.attrs[key] = value


def _bin_grid_attrs(grid: Any) -> dict[str, Any]:
    """Flatten the reader's bin grid into ``bin_grid_*`` attributes, skipping unset values."""
    if grid is None:
        return {}
    if dataclasses.is_dataclass(grid):
        values = dataclasses.asdict(grid)
    elif isinstance(grid, dict):
        values = dict(grid)
    else:
        values = {key: value for key, value in vars(grid).items() if not key.startswith("_")}
    attrs = {}
    for key, value in values.items():
        if value is None:
            continue
        array = np.asarray(value)
        if array.dtype.kind in "biuf":
            attrs[f"bin_grid_{key}"] = array
        elif array.dtype.kind in "US":
            attrs[f"bin_grid_{key}"] = str(value)
    return attrs
