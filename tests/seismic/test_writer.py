"""Tests of the SEG-Y writer, checked by reading its files back with segyio."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
import segyio

from seismic.errors import InvalidInputError, ShapeMismatchError
from seismic.segy.writer import build_text_header, write_like, write_segy

F3 = Path(__file__).resolve().parents[2] / "data" / "f3.sgy"


def grid_volume(inlines: np.ndarray, crosslines: np.ndarray, n_samples: int) -> np.ndarray:
    """Volume whose every sample is 100 x inline + crossline, so misplaced traces show."""
    values = 100 * inlines[:, None] + crosslines[None, :]
    return np.repeat(values[:, :, None], n_samples, axis=2).astype(np.float32)


def write_lsb_segy(path: Path) -> Path:
    """Write a little-endian 2 x 3 x 4 SEG-Y file with segyio.

    Inlines 1-2 and crosslines 5-7 sit at bytes 189/193 and 9/21, samples are
    2 ms apart, and CDP X is 1000 plus the trace number.
    """
    spec = segyio.spec()
    spec.ilines = [1, 2]
    spec.xlines = [5, 6, 7]
    spec.samples = [0.0, 2.0, 4.0, 6.0]
    spec.format = 5
    spec.sorting = segyio.TraceSortingFormat.INLINE_SORTING
    spec.endian = "little"
    with segyio.create(path, spec) as f:
        for index, (inline, crossline) in enumerate((il, xl) for il in spec.ilines for xl in spec.xlines):
            f.header[index] = {
                segyio.TraceField.INLINE_3D: inline,
                segyio.TraceField.CROSSLINE_3D: crossline,
                segyio.TraceField.FieldRecord: inline,
                segyio.TraceField.CDP: crossline,
                segyio.TraceField.CDP_X: 1000 + index,
                segyio.TraceField.TRACE_SAMPLE_COUNT: 4,
                segyio.TraceField.TRACE_SAMPLE_INTERVAL: 2000,
            }
            f.trace[index] = np.full(4, 100 * inline + crossline, dtype=np.float32)
        f.bin.update(hns=4, hdt=2000, format=5)
    return path


def leftover_files(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


class TestBuildTextHeader:
    def test_forty_lines_of_eighty(self):
        text = build_text_header(["Facies classes", "0 sand"])
        lines = text.split("\n")
        assert len(lines) == 40
        assert all(len(line) == 80 for line in lines)
        assert lines[0].rstrip() == "C01 Facies classes"
        assert lines[1].rstrip() == "C02 0 sand"
        assert lines[38].rstrip() == "C39 SEG Y REV1"
        assert lines[39].rstrip() == "C40 END TEXTUAL HEADER"

    def test_long_line_is_cut(self):
        lines = build_text_header(["x" * 100]).split("\n")
        assert lines[0] == "C01 " + "x" * 76

    def test_too_many_lines_rejected(self):
        with pytest.raises(InvalidInputError, match="41 lines"):
            build_text_header(["line"] * 41)


class TestWriteSegy:
    def test_float_round_trip(self, tmp_path):
        inlines = np.array([1, 2, 3])
        crosslines = np.array([10, 11, 12, 13])
        samples = 100.0 + 4.0 * np.arange(5)
        volume = grid_volume(inlines, crosslines, 5)
        path = write_segy(tmp_path / "out.sgy", volume, inlines=inlines, crosslines=crosslines, samples=samples)

        with segyio.open(path) as f:
            assert list(f.ilines) == [1, 2, 3]
            assert list(f.xlines) == [10, 11, 12, 13]
            assert list(f.samples) == [100.0, 104.0, 108.0, 112.0, 116.0]
            assert f.bin[segyio.BinField.Format] == 5
            assert f.bin[segyio.BinField.Interval] == 4000
            assert f.header[0][segyio.TraceField.DelayRecordingTime] == 100
            cube = segyio.tools.cube(f)
        assert cube[1, 1, 0] == 211.0
        np.testing.assert_array_equal(cube, volume)
        assert leftover_files(tmp_path) == ["out.sgy"]

    def test_int16_classes_with_missing_cell(self, tmp_path):
        inlines = np.array([1, 2, 3])
        crosslines = np.array([10, 11, 12, 13])
        classes = np.arange(3 * 4 * 2, dtype=np.int16).reshape(3, 4, 2) - 1
        live = np.ones((3, 4), dtype=bool)
        live[1, 1] = False
        path = write_segy(
            tmp_path / "labels.sgy",
            classes,
            inlines=inlines,
            crosslines=crosslines,
            samples=[0.0, 4.0],
            sample_format="int16",
            iline_byte=9,
            xline_byte=21,
            live=live,
        )

        with segyio.open(path, ignore_geometry=True) as f:
            assert f.tracecount == 11
            assert f.bin[segyio.BinField.Format] == 3
            assert list(f.attributes(9)[:]) == [1, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3]
            assert list(f.attributes(21)[:]) == [10, 11, 12, 13, 10, 12, 13, 10, 11, 12, 13]
            assert list(f.attributes(189)[:]) == [0] * 11
            # The fifth trace is inline 2, crossline 10, so it contains classes[1, 0] = [7, 8].
            assert list(f.trace[4]) == [7, 8]
            assert f.trace[0][0] == -1

    def test_more_than_32767_traces(self, tmp_path):
        inlines = np.arange(1, 201)
        crosslines = np.arange(1001, 1171)
        volume = grid_volume(inlines, crosslines, 2)
        path = write_segy(
            tmp_path / "big.sgy", volume, inlines=inlines, crosslines=crosslines, samples=[0, 2], progress=False
        )

        with segyio.open(path) as f:
            assert f.tracecount == 34000
            assert len(f.ilines) == 200
            assert f.header[33999][segyio.TraceField.TRACE_SEQUENCE_FILE] == 34000
            assert f.iline[200][169][0] == 200 * 100 + 1170

    def test_int32_format(self, tmp_path):
        volume = np.full((1, 2, 3), 70000, dtype=np.int64)
        path = write_segy(
            tmp_path / "wide.sgy", volume, inlines=[5], crosslines=[1, 2], samples=[0, 1, 2], sample_format="int32"
        )

        with segyio.open(path) as f:
            assert f.bin[segyio.BinField.Format] == 2
            assert list(f.trace[1]) == [70000] * 3

    @pytest.mark.parametrize(
        ("options", "message"),
        [
            ({"sample_format": "ibm"}, "invalid sample format 'ibm'"),
            ({"samples": [0.0, 4.0, 9.0]}, "not evenly spaced"),
            ({"samples": [0.5, 4.5, 8.5]}, "first sample 0.5 ms"),
            ({"iline_byte": 115}, "invalid iline_byte 115"),
            ({"iline_byte": 189, "xline_byte": 191}, "overlap"),
            ({"inlines": [1, 1]}, "repeated"),
            ({"live": np.zeros((2, 2), dtype=bool)}, "at least one trace"),
        ],
    )
    def test_invalid_options(self, tmp_path, options, message):
        arguments = {"inlines": [1, 2], "crosslines": [1, 2], "samples": [0.0, 4.0, 8.0]}
        arguments.update(options)
        with pytest.raises(InvalidInputError, match=message):
            write_segy(tmp_path / "out.sgy", np.zeros((2, 2, 3), np.float32), **arguments)
        assert leftover_files(tmp_path) == []

    def test_shape_mismatch(self, tmp_path):
        with pytest.raises(ShapeMismatchError, match=r"\(2, 2, 3\)"):
            write_segy(tmp_path / "out.sgy", np.zeros((2, 2, 4)), inlines=[1, 2], crosslines=[1, 2], samples=[0, 1, 2])

    def test_values_not_fitting_int16_leave_nothing(self, tmp_path):
        volume = np.zeros((40, 2, 3), dtype=np.float32)
        volume[-1, -1, -1] = 40000
        with pytest.raises(InvalidInputError, match="do not fit sample format 'int16'"):
            write_segy(
                tmp_path / "out.sgy",
                volume,
                inlines=np.arange(40),
                crosslines=[1, 2],
                samples=[0, 1, 2],
                sample_format="int16",
            )
        assert leftover_files(tmp_path) == []

    def test_fractional_values_rejected_for_integers(self, tmp_path):
        with pytest.raises(InvalidInputError, match="not whole numbers"):
            write_segy(
                tmp_path / "out.sgy",
                np.full((1, 1, 2), 0.5),
                inlines=[1],
                crosslines=[1],
                samples=[0, 1],
                sample_format="int16",
            )


class TestWriteLike:
    def test_f3_keeps_trace_headers(self, tmp_path):
        with segyio.open(F3) as f:
            cube = segyio.tools.cube(f)
            source_headers = [dict(f.header[i]) for i in range(f.tracecount)]
            source_text = f.text[0]
        path = write_like(F3, cube.astype(np.float32) * 0.5, tmp_path / "half.sgy")

        with segyio.open(path) as f:
            assert list(f.ilines) == list(range(111, 134))
            assert list(f.xlines) == list(range(875, 893))
            assert list(f.samples) == [4.0 * (i + 1) for i in range(75)]
            assert f.bin[segyio.BinField.Format] == 5
            np.testing.assert_allclose(segyio.tools.cube(f), cube * 0.5)
            headers = [dict(f.header[i]) for i in range(f.tracecount)]
            text = f.text[0]
        # The f3 cut keeps the sample count of the full survey (462) in its
        # trace headers; the writer stores the true count.
        for header in source_headers:
            header[segyio.TraceField.TRACE_SAMPLE_COUNT] = 75
        assert headers == source_headers
        assert text == source_text

    def test_holes_are_filled(self, tmp_path):
        inlines = np.array([1, 2, 3])
        crosslines = np.array([10, 11, 12, 13])
        live = np.ones((3, 4), dtype=bool)
        live[1, 1] = False
        live[2, 3] = False
        source = write_segy(
            tmp_path / "holes.sgy",
            grid_volume(inlines, crosslines, 3),
            inlines=inlines,
            crosslines=crosslines,
            samples=[8, 12, 16],
            iline_byte=9,
            xline_byte=21,
            live=live,
        )
        classes = np.ones((3, 4, 3), dtype=np.int16)
        path = write_like(source, classes, tmp_path / "classes.sgy", sample_format="int16")

        with segyio.open(path) as f:
            assert f.tracecount == 12
            assert list(f.ilines) == [1, 2, 3]
            assert list(f.xlines) == [10, 11, 12, 13]
            assert list(f.samples) == [8.0, 12.0, 16.0]
            cube = segyio.tools.cube(f)
            hole = f.header[5]
        assert list(cube[1, 1]) == [-1, -1, -1]
        assert list(cube[2, 3]) == [-1, -1, -1]
        assert list(cube[0, 0]) == [1, 1, 1]
        assert hole[segyio.TraceField.FieldRecord] == 2
        assert hole[segyio.TraceField.CDP] == 11
        assert hole[segyio.TraceField.TraceIdentificationCode] == 2

    def test_new_sample_count_and_text(self, tmp_path):
        legend = build_text_header(["Facies volume", "0 shale", "1 sand"])
        path = write_like(
            F3, np.zeros((23, 18, 10), dtype=np.int16), tmp_path / "short.sgy", sample_format="int16", text_header=legend
        )

        with segyio.open(path) as f:
            assert len(f.samples) == 10
            assert f.samples[0] == 4.0
            assert f.header[0][segyio.TraceField.TRACE_SAMPLE_COUNT] == 10
            assert f.bin[segyio.BinField.Samples] == 10
            text = segyio.tools.wrap(f.text[0].decode("ascii"))
        assert text.startswith("C01 Facies volume")

    def test_little_endian_source(self, tmp_path):
        source = write_lsb_segy(tmp_path / "lsb.sgy")
        path = write_like(source, np.full((2, 3, 4), 3.0, dtype=np.float32), tmp_path / "msb.sgy")

        with segyio.open(path) as f:
            assert list(f.ilines) == [1, 2]
            assert list(f.xlines) == [5, 6, 7]
            assert list(f.samples) == [0.0, 2.0, 4.0, 6.0]
            assert [f.header[i][segyio.TraceField.CDP_X] for i in range(6)] == [1000, 1001, 1002, 1003, 1004, 1005]
            assert list(f.trace[5]) == [3.0] * 4

    def test_seismic_unix_source(self, tmp_path):
        # Seismic Unix is little-endian SEG-Y traces without the 3600-byte file header.
        segy = write_lsb_segy(tmp_path / "lsb.sgy")
        source = tmp_path / "lsb.su"
        source.write_bytes(segy.read_bytes()[3600:])
        path = write_like(source, np.full((2, 3, 4), 5, dtype=np.int16), tmp_path / "out.sgy", sample_format="int16")

        with segyio.open(path) as f:
            assert list(f.ilines) == [1, 2]
            assert list(f.xlines) == [5, 6, 7]
            assert list(f.samples) == [0.0, 2.0, 4.0, 6.0]
            assert f.bin[segyio.BinField.Interval] == 2000
            assert list(f.trace[0]) == [5] * 4
            assert segyio.tools.wrap(f.text[0].decode("ascii")).startswith("C01 Written by seismic-facies")

    def test_more_than_32767_traces(self, tmp_path):
        inlines = np.arange(1, 201)
        crosslines = np.arange(1, 171)
        live = np.ones((200, 170), dtype=bool)
        live[0, 0] = False
        source = write_segy(
            tmp_path / "big.sgy",
            grid_volume(inlines, crosslines, 1),
            inlines=inlines,
            crosslines=crosslines,
            samples=[0],
            live=live,
            progress=False,
        )
        path = write_like(source, np.zeros((200, 170, 1), dtype=np.int16), tmp_path / "out.sgy", progress=False)

        with segyio.open(path) as f:
            assert f.tracecount == 34000
            assert f.trace[0][0] == -1.0
            assert f.trace[33999][0] == 0.0

    def test_grid_mismatch(self, tmp_path):
        with pytest.raises(ShapeMismatchError, match="23 inlines x 18 crosslines"):
            write_like(F3, np.zeros((18, 23, 75)), tmp_path / "out.sgy")
        assert leftover_files(tmp_path) == []

    def test_source_copy_untouched(self, tmp_path):
        source = tmp_path / "f3.sgy"
        shutil.copyfile(F3, source)
        before = source.read_bytes()
        write_like(source, np.zeros((23, 18, 75)), tmp_path / "out.sgy")
        assert source.read_bytes() == before
