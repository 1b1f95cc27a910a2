"""Tests of the out-of-core SEG-Y to HDF5 conversion."""

from __future__ import annotations

from pathlib import Path

import h5py
import numpy as np
import pytest
import segyio

from seismic.errors import InputNotFoundError, InvalidInputError, SegyFormatError
from seismic.ingest import ingest_segy
from seismic.segy.writer import write_segy

F3 = Path(__file__).resolve().parents[2] / "data" / "f3.sgy"


def grid_volume(inlines, crosslines, n_samples: int) -> np.ndarray:
    """Volume whose every sample is 100 x inline + crossline + sample / 1000."""
    inlines = np.asarray(inlines)[:, None, None]
    crosslines = np.asarray(crosslines)[None, :, None]
    samples = np.arange(n_samples)[None, None, :] / 1000
    return (100 * inlines + crosslines + samples).astype(np.float32)


def write_traces(path: Path, cells: list[tuple[int, int]], n_samples: int) -> None:
    """Write a SEG-Y file holding one grid_volume trace per (inline, crossline) cell, in the order given."""
    spec = segyio.spec()
    spec.tracecount = len(cells)
    spec.samples = list(range(0, 4 * n_samples, 4))
    spec.format = 5
    with segyio.create(str(path), spec) as f:
        for index, (inline, crossline) in enumerate(cells):
            f.header[index] = {
                segyio.TraceField.INLINE_3D: inline,
                segyio.TraceField.CROSSLINE_3D: crossline,
                segyio.TraceField.TRACE_SAMPLE_COUNT: n_samples,
                segyio.TraceField.TRACE_SAMPLE_INTERVAL: 4000,
            }
            f.trace[index] = grid_volume([inline], [crossline], n_samples)[0, 0]
        f.bin.update(hns=n_samples, hdt=4000, format=5)


def folder_names(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


class TestIngestF3:
    def test_matches_segyio(self, tmp_path):
        output = tmp_path / "f3.h5"
        report = ingest_segy(F3, output, progress=False)

        with segyio.open(F3) as f:
            cube = segyio.tools.cube(f)
            scalar = f.header[0][segyio.TraceField.SourceGroupScalar]
            first_x = f.header[0][segyio.TraceField.CDP_X]
        with h5py.File(output, "r") as h5:
            np.testing.assert_array_equal(h5["seismic"][...], cube)
            assert h5["seismic"].dtype == np.float32
            assert list(h5["inline"][...]) == list(range(111, 134))
            assert list(h5["crossline"][...]) == list(range(875, 893))
            assert list(h5["sample"][:3]) == [4.0, 8.0, 12.0]
            assert h5["live"][...].all()
            assert h5["cdp_x"][0, 0] == pytest.approx(first_x / -scalar)
            assert h5.attrs["domain"] == "time"
            assert h5.attrs["unit"] == "ms"
            assert h5.attrs["iline_byte"] == 189
            assert bytes(h5.attrs["binary_header"]) == F3.read_bytes()[3200:3600]
            assert h5.attrs["text_header"].startswith("C 1")
            assert h5.attrs["n_nonfinite"] == 0
        assert report.shape == (23, 18, 75)
        assert report.n_traces == 414
        assert report.n_missing == 0
        assert folder_names(tmp_path) == ["f3.h5"]

    def test_bricks_for_sections_and_slices(self, tmp_path):
        ingest_segy(F3, tmp_path / "f3.h5", progress=False)
        with h5py.File(tmp_path / "f3.h5", "r") as h5:
            # 75 samples split evenly into two chunks of 38, 23 and 18 lines in one.
            assert h5["seismic"].chunks == (23, 18, 38)


class TestIngestValues:
    def test_missing_dead_and_nonfinite(self, tmp_path):
        inlines, crosslines = np.array([1, 2, 3]), np.array([10, 11, 12, 13])
        volume = grid_volume(inlines, crosslines, 5)
        volume[0, 0] = 0.0
        # Tiny and huge amplitudes whose squares underflow or overflow float32.
        volume[0, 2] = 1e-30
        volume[0, 3, 2] = 1e30
        volume[2, 2, 3] = np.nan
        volume[2, 3, 0] = np.inf
        live = np.ones((3, 4), dtype=bool)
        live[1, 1] = False
        source = write_segy(
            tmp_path / "holes.sgy",
            volume,
            inlines=inlines,
            crosslines=crosslines,
            samples=[0, 4, 8, 12, 16],
            live=live,
            progress=False,
        )
        report = ingest_segy(source, tmp_path / "holes.h5", progress=False)

        assert report.n_missing == 1
        assert report.n_dead == 1
        assert report.n_nonfinite == 2
        with h5py.File(tmp_path / "holes.h5", "r") as h5:
            stored = h5["seismic"][...]
            stored_live = h5["live"][...]
            assert h5.attrs["n_dead"] == 1
            assert h5.attrs["n_nonfinite"] == 2
        assert not stored_live[1, 1]
        assert stored_live.sum() == 11
        assert stored_live[0, 0]
        assert list(stored[1, 1]) == [0.0] * 5
        assert stored[2, 2, 3] == 0.0
        assert stored[2, 3, 0] == 0.0
        assert stored[2, 2, 0] == pytest.approx(312.0)
        assert stored[0, 1, 4] == pytest.approx(111.004)
        assert stored[0, 2, 0] == pytest.approx(1e-30)
        assert stored[0, 3, 2] == pytest.approx(1e30)


    def test_counts_in_ordered_file(self, tmp_path):
        # A full grid stored in order is decoded run by run, and the counts
        # must come out as for a file with holes.
        inlines, crosslines = np.arange(1, 5), np.arange(1, 7)
        volume = grid_volume(inlines, crosslines, 30)
        volume[0, 0] = 0.0
        volume[3, 5] = 0.0
        volume[1, 2, 7] = np.nan
        volume[1, 2, 8] = -np.inf
        volume[2, 4, 29] = np.nan
        source = write_segy(
            tmp_path / "full.sgy",
            volume,
            inlines=inlines,
            crosslines=crosslines,
            samples=np.arange(30.0),
            progress=False,
        )
        report = ingest_segy(source, tmp_path / "full.h5", progress=False)

        assert report.n_dead == 2
        assert report.n_nonfinite == 3
        assert report.n_missing == 0
        expected = np.nan_to_num(volume, nan=0.0, posinf=0.0, neginf=0.0)
        with h5py.File(tmp_path / "full.h5", "r") as h5:
            np.testing.assert_array_equal(h5["seismic"][...], expected)
            assert h5["live"][...].all()


class TestIngestPartialChunks:
    # 5 x 67 x 131: 67 crosslines make two chunks of 34 (the second one
    # short), 131 samples three chunks of 44 (the last one short).
    SHAPE = (5, 67, 131)

    @pytest.mark.parametrize(
        "sample_format", [segyio.SegySampleFormat.IBM_FLOAT_4_BYTE, segyio.SegySampleFormat.IEEE_FLOAT_4_BYTE]
    )
    @pytest.mark.parametrize("budget_mb", [256, 0.3, 0.05])
    def test_matches_segyio(self, tmp_path, sample_format, budget_mb):
        volume = np.random.default_rng(5).standard_normal(self.SHAPE, dtype=np.float32) * 1000
        source = tmp_path / "survey.sgy"
        segyio.tools.from_array(str(source), volume, format=sample_format, dt=4000)
        ingest_segy(source, tmp_path / "survey.h5", memory_budget_mb=budget_mb, progress=False)

        with h5py.File(tmp_path / "survey.h5", "r") as h5:
            stored = h5["seismic"][...]
            chunks = h5["seismic"].chunks
        np.testing.assert_array_equal(stored, segyio.tools.cube(str(source)))
        assert chunks[1:] == (34, 44)

    def test_crossline_sorted_partial_chunks(self, tmp_path):
        # 70 inlines (two chunks of 35) x 3 crosslines, crossline-sorted, 70 samples (two chunks of 35).
        cells = [(inline, crossline) for crossline in range(1, 4) for inline in range(1, 71)]
        write_traces(tmp_path / "xsorted.sgy", cells, 70)
        report = ingest_segy(tmp_path / "xsorted.sgy", tmp_path / "xsorted.h5", progress=False)

        assert report.sorting == "crossline"
        with h5py.File(tmp_path / "xsorted.h5", "r") as h5:
            np.testing.assert_array_equal(h5["seismic"][...], grid_volume(range(1, 71), range(1, 4), 70))
            assert h5["seismic"].chunks == (35, 3, 35)


class TestIngestBlocks:
    @pytest.mark.parametrize("budget_mb", [0.1, 0.02, 256])
    def test_budget_does_not_change_values(self, tmp_path, budget_mb):
        # 6 x 50 traces of 100 samples (400 bytes each): 0.1 MB holds two
        # inlines per block, 0.02 MB only part of one inline.
        inlines, crosslines = np.arange(1, 7), np.arange(1, 51)
        source = write_segy(
            tmp_path / "survey.sgy",
            grid_volume(inlines, crosslines, 100),
            inlines=inlines,
            crosslines=crosslines,
            samples=4.0 * np.arange(100),
            progress=False,
        )
        ingest_segy(source, tmp_path / "survey.h5", memory_budget_mb=budget_mb, progress=False)
        with h5py.File(tmp_path / "survey.h5", "r") as h5:
            np.testing.assert_array_equal(h5["seismic"][...], grid_volume(inlines, crosslines, 100))
            chunks = h5["seismic"].chunks
        assert chunks[0] == {0.1: 2, 0.02: 1, 256: 6}[budget_mb]

    def test_crossline_sorted(self, tmp_path):
        cells = [(inline, crossline) for crossline in range(20, 30) for inline in range(1, 5)]
        write_traces(tmp_path / "xsorted.sgy", cells, 50)
        report = ingest_segy(tmp_path / "xsorted.sgy", tmp_path / "xsorted.h5", memory_budget_mb=0.01, progress=False)

        assert report.sorting == "crossline"
        with h5py.File(tmp_path / "xsorted.h5", "r") as h5:
            np.testing.assert_array_equal(h5["seismic"][...], grid_volume(range(1, 5), range(20, 30), 50))
            assert h5["seismic"].chunks[1] < 10

    def test_traces_out_of_order(self, tmp_path):
        cells = [(inline, crossline) for inline in range(1, 6) for crossline in range(1, 9)]
        order = np.random.default_rng(3).permutation(len(cells))
        write_traces(tmp_path / "shuffled.sgy", [cells[i] for i in order], 20)
        ingest_segy(tmp_path / "shuffled.sgy", tmp_path / "shuffled.h5", memory_budget_mb=0.001, progress=False)

        with h5py.File(tmp_path / "shuffled.h5", "r") as h5:
            np.testing.assert_array_equal(h5["seismic"][...], grid_volume(range(1, 6), range(1, 9), 20))


class TestIngestErrors:
    def test_missing_file(self, tmp_path):
        with pytest.raises(InputNotFoundError):
            ingest_segy(tmp_path / "absent.sgy", tmp_path / "out.h5", progress=False)
        assert folder_names(tmp_path) == []

    def test_png_renamed(self, tmp_path):
        source = tmp_path / "image.sgy"
        source.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(5000))
        output_folder = tmp_path / "out"
        output_folder.mkdir()
        with pytest.raises(SegyFormatError):
            ingest_segy(source, output_folder / "out.h5", progress=False)
        assert folder_names(output_folder) == []

    def test_budget_too_small(self, tmp_path):
        with pytest.raises(InvalidInputError, match="too small for traces of 75 samples"):
            ingest_segy(F3, tmp_path / "out.h5", memory_budget_mb=0.0001, progress=False)
        assert folder_names(tmp_path) == []

    def test_output_is_folder(self, tmp_path):
        with pytest.raises(InvalidInputError, match="is a folder"):
            ingest_segy(F3, tmp_path, progress=False)

    def test_output_is_source(self, tmp_path):
        source = tmp_path / "f3.sgy"
        source.write_bytes(F3.read_bytes())
        with pytest.raises(InvalidInputError, match="being read"):
            ingest_segy(source, source, progress=False)
        assert source.read_bytes() == F3.read_bytes()
