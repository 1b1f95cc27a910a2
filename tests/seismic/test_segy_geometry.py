"""Inline/crossline detection, holes, ragged edges, sorting, pre-stack and 2D files."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest
import segyio

from seismic.errors import SegyFormatError
from seismic.segy import build_geometry, open_segy

DATA = Path(__file__).resolve().parents[1] / "data" / "segy"
F3 = Path(__file__).resolve().parents[2] / "data" / "f3.sgy"


def expected_values(inlines: np.ndarray, crosslines: np.ndarray) -> np.ndarray:
    """The synthetic cases store 100 * inline + crossline in every sample."""
    return 100.0 * inlines[:, None] + crosslines[None, :]


class TestHandedCases:
    @pytest.mark.parametrize("options", [{}, {"iline_byte": 9, "xline_byte": 21}])
    def test_bytes_9_and_21(self, options: dict[str, int]) -> None:
        with open_segy(DATA / "case1_bytes_9_21.sgy", **options) as segy:
            volume = segy.read_volume()
            geometry = segy.geometry
        assert volume.shape == (3, 4, 5)
        assert (geometry.iline_byte, geometry.xline_byte) == (9, 21)
        np.testing.assert_array_equal(geometry.inlines, [1, 2, 3])
        np.testing.assert_array_equal(geometry.crosslines, [10, 11, 12, 13])
        assert volume[1, 1, 0] == 211.0
        np.testing.assert_array_equal(volume[:, :, 2], expected_values(geometry.inlines, geometry.crosslines))

    def test_missing_trace(self, caplog: pytest.LogCaptureFixture) -> None:
        with caplog.at_level(logging.INFO, logger="seismic.segy"):
            with open_segy(DATA / "case2_missing_trace.sgy") as segy:
                volume = segy.read_volume()
                geometry = segy.geometry
        assert volume.shape == (3, 4, 5)
        assert geometry.n_missing == 1
        assert segy.n_traces == 11
        expected_live = np.ones((3, 4), dtype=bool)
        expected_live[1, 1] = False
        np.testing.assert_array_equal(geometry.live, expected_live)
        assert geometry.trace_index[1, 1] == -1
        assert np.all(volume[1, 1] == 0)
        assert volume[2, 3, 0] == 313.0
        messages = " ".join(record.getMessage() for record in caplog.records)
        assert "3 inlines x 4 crosslines, 11 traces, 1 missing" in messages

    def test_ragged_survey(self) -> None:
        with open_segy(DATA / "case3_ragged.sgy") as segy:
            volume = segy.read_volume()
            geometry = segy.geometry
        assert geometry.shape == (3, 8)
        assert int(geometry.live.sum()) == 15
        np.testing.assert_array_equal(geometry.crosslines, np.arange(8))
        np.testing.assert_array_equal(np.flatnonzero(geometry.live[0]), [3, 4])
        np.testing.assert_array_equal(np.flatnonzero(geometry.live[1]), [1, 2, 3, 4, 5])
        np.testing.assert_array_equal(np.flatnonzero(geometry.live[2]), np.arange(8))
        expected = np.where(geometry.live, expected_values(geometry.inlines, geometry.crosslines), 0.0)
        np.testing.assert_array_equal(volume[:, :, 0], expected)

    def test_swapped_traces(self) -> None:
        with open_segy(DATA / "case4_swapped.sgy") as segy:
            volume = segy.read_volume()
            geometry = segy.geometry
            first_inline = segy.read_inline(1)
            second_crossline = segy.read_crossline(11)
        np.testing.assert_array_equal(volume[:, :, 4], expected_values(geometry.inlines, geometry.crosslines))
        assert geometry.trace_index[0, 0] == 5
        assert geometry.trace_index[1, 1] == 0
        np.testing.assert_array_equal(first_inline[:, 0], [110, 111, 112, 113])
        np.testing.assert_array_equal(second_crossline[:, 0], [111, 211, 311])

    def test_prestack_shots_rejected(self) -> None:
        with pytest.raises(SegyFormatError, match="pre-stack.*2 field records.*3 channels"):
            open_segy(DATA / "case5_prestack_shots.sgy")

    def test_withdead_masks_triangle(self) -> None:
        with open_segy(DATA / "segysak-f3" / "f3-withdead.sgy") as segy:
            volume = segy.read_volume()
            geometry = segy.geometry
        assert geometry.shape == (23, 18)
        assert geometry.n_missing == 414 - 239
        for row, inline in enumerate(geometry.inlines):
            with open_segy(DATA / "segysak-f3" / f"f3-iline-{inline}.sgy") as single:
                section = single.read_inline(inline)
            dead = ~np.any(section != 0, axis=1)
            np.testing.assert_array_equal(geometry.live[row], ~dead, err_msg=f"inline {inline}")
            np.testing.assert_array_equal(volume[row], section, err_msg=f"inline {inline}")


class TestRealGeometries:
    def test_f3_grid(self) -> None:
        with open_segy(F3) as segy:
            geometry = segy.geometry
        assert geometry.shape == (23, 18)
        assert (geometry.inlines[0], geometry.inlines[-1]) == (111, 133)
        assert (geometry.crosslines[0], geometry.crosslines[-1]) == (875, 892)
        assert geometry.sorting == "inline"
        assert geometry.n_missing == 0
        assert (geometry.iline_byte, geometry.xline_byte) == (189, 193)

    def test_steps_of_twenty(self) -> None:
        with open_segy(DATA / "pygeopressure-f3" / "f3_sparse.sgy") as segy:
            geometry = segy.geometry
        assert geometry.shape == (23, 26)
        assert (geometry.inline_step, geometry.crossline_step) == (20, 20)
        assert (geometry.inlines[0], geometry.inlines[-1]) == (200, 640)
        assert (geometry.crosslines[0], geometry.crosslines[-1]) == (700, 1200)

    def test_missing_traces_with_steps_of_two(self) -> None:
        path = DATA / "xtgeo" / "ex1_missing_traces_75x71x26.segy"
        with open_segy(path) as segy:
            geometry = segy.geometry
            volume = segy.read_volume()
        assert geometry.shape == (75, 71)
        assert (geometry.inline_step, geometry.crossline_step) == (2, 2)
        assert (geometry.inlines[0], geometry.inlines[-1]) == (11352, 11500)
        assert (geometry.crosslines[0], geometry.crosslines[-1]) == (2442, 2582)
        assert geometry.n_live == 4938
        assert geometry.n_missing == 5325 - 4938

        # Every trace is in the cell its own headers name, checked against segyio's raw reads.
        with segyio.open(str(path), ignore_geometry=True) as reference:
            inlines = reference.attributes(189)[:]
            crosslines = reference.attributes(193)[:]
            traces = reference.trace.raw[:]
        rows = (inlines - 11352) // 2
        cols = (crosslines - 2442) // 2
        np.testing.assert_array_equal(volume[rows, cols], traces)
        np.testing.assert_array_equal(geometry.trace_index[rows, cols], np.arange(len(traces)))

    def test_tiny_cube(self) -> None:
        with open_segy(DATA / "segyio" / "tiny.sgy") as segy:
            np.testing.assert_array_equal(segy.read_volume(), segyio.tools.cube(str(DATA / "segyio" / "tiny.sgy")))
            assert segy.geometry.shape == (3, 2)

    def test_single_inline_files_are_2d(self) -> None:
        with open_segy(DATA / "segysak-f3" / "f3-iline-120.sgy") as segy:
            assert segy.geometry.shape == (1, 18)
            np.testing.assert_array_equal(segy.geometry.inlines, [120])
            assert segy.read_volume().shape == (1, 18, 75)

    def test_prestack_gathers_rejected(self) -> None:
        with pytest.raises(SegyFormatError, match=r"pre-stack gathers.*4 inlines x 3 crosslines.*24 traces at 2 offsets"):
            open_segy(DATA / "segyio" / "small-ps.sgy")

    def test_prestack_line_rejected(self) -> None:
        with pytest.raises(SegyFormatError, match=r"pre-stack gathers.*1 inlines x 6 crosslines.*4 offsets"):
            open_segy(DATA / "segyio" / "1xN.sgy")

    def test_shot_gather_without_offsets_rejected(self) -> None:
        with pytest.raises(SegyFormatError, match="no 3D geometry found in 61 traces.*4 field records.*like shot gathers"):
            open_segy(DATA / "segyio" / "shot-gather.sgy")

    def test_garbage_headers_rejected(self) -> None:
        with pytest.raises(SegyFormatError, match="no 3D geometry found in 3 traces"):
            open_segy(DATA / "segyio" / "long.sgy")


class TestByteOptions:
    def test_word_inside_a_standard_field(self) -> None:
        # Bytes 191-194 hold the low half of the inline word (189-192) followed
        # by the high half of the crossline word (193-196, zero for F3), so the
        # word reads inline * 65536.
        with open_segy(F3, iline_byte=191, xline_byte=193) as segy:
            np.testing.assert_array_equal(segy.geometry.inlines, np.arange(111, 134) * 65536)
            assert segy.geometry.inline_step == 65536

    def test_one_byte_given_other_detected(self) -> None:
        with open_segy(DATA / "case1_bytes_9_21.sgy", iline_byte=9) as segy:
            assert segy.geometry.xline_byte == 21

    def test_wrong_bytes_report_repeats(self) -> None:
        with pytest.raises(SegyFormatError, match="11 of 12 traces repeat an inline/crossline pair at bytes 189/193"):
            open_segy(DATA / "case1_bytes_9_21.sgy", iline_byte=189, xline_byte=193)

    @pytest.mark.parametrize("byte", [0, 238, -5])
    def test_invalid_byte_rejected(self, byte: int) -> None:
        with pytest.raises(ValueError, match=f"invalid --iline-byte {byte}"):
            open_segy(F3, iline_byte=byte)


class TestBuildGeometry:
    def test_crossline_sorted(self) -> None:
        inlines = np.array([1, 2, 3, 1, 2, 3])
        crosslines = np.array([5, 5, 5, 6, 6, 6])
        geometry = build_geometry(inlines, crosslines, 189, 193)
        assert geometry.sorting == "crossline"
        np.testing.assert_array_equal(geometry.trace_index, [[0, 3], [1, 4], [2, 5]])

    def test_decreasing_numbers_ascend(self) -> None:
        geometry = build_geometry(np.array([9, 9, 7, 7]), np.array([4, 2, 4, 2]), 189, 193)
        np.testing.assert_array_equal(geometry.inlines, [7, 9])
        np.testing.assert_array_equal(geometry.crosslines, [2, 4])
        np.testing.assert_array_equal(geometry.trace_index, [[3, 2], [1, 0]])

    def test_trace_cells_in_file_order(self) -> None:
        geometry = build_geometry(np.array([2, 1, 2]), np.array([1, 1, 2]), 189, 193)
        rows, cols = geometry.trace_cells()
        np.testing.assert_array_equal(rows, [1, 0, 1])
        np.testing.assert_array_equal(cols, [0, 0, 1])

    def test_huge_span_rejected(self) -> None:
        with pytest.raises(SegyFormatError, match="not inline/crossline numbers"):
            build_geometry(np.array([0, 1, 10**9]), np.array([0, 1, 10**9]), 1, 5)
