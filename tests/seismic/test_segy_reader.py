"""Sections, slices, sample axes, coordinates, value scans and invalid files."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import numpy as np
import pytest
import segyio

from seismic.errors import InputNotFoundError, InvalidInputError, SegyFormatError
from seismic.segy import open_segy, write_segy

DATA = Path(__file__).resolve().parents[1] / "data" / "segy"
F3 = Path(__file__).resolve().parents[2] / "data" / "f3.sgy"


@pytest.fixture(scope="module")
def f3_cube() -> np.ndarray:
    return segyio.tools.cube(str(F3))


class TestSections:
    def test_inline(self, f3_cube: np.ndarray) -> None:
        with open_segy(F3) as segy:
            np.testing.assert_array_equal(segy.read_inline(120), f3_cube[120 - 111])

    def test_crossline(self, f3_cube: np.ndarray) -> None:
        with open_segy(F3) as segy:
            np.testing.assert_array_equal(segy.read_crossline(880), f3_cube[:, 880 - 875])

    def test_slice(self, f3_cube: np.ndarray) -> None:
        with open_segy(F3) as segy:
            np.testing.assert_array_equal(segy.read_slice(40), f3_cube[:, :, 40])

    def test_traces_in_file_order(self, f3_cube: np.ndarray) -> None:
        with open_segy(F3) as segy:
            traces = segy.read_traces(18, 21)
        np.testing.assert_array_equal(traces, f3_cube[1, 0:3])
        assert traces.dtype == np.float32

    def test_sections_of_missing_traces_are_zero(self) -> None:
        with open_segy(DATA / "case3_ragged.sgy") as segy:
            inline = segy.read_inline(1)
            crossline = segy.read_crossline(0)
            plane = segy.read_slice(0)
        np.testing.assert_array_equal(inline[:, 0], [0, 0, 0, 103, 104, 0, 0, 0])
        np.testing.assert_array_equal(crossline[:, 0], [0, 0, 300])
        assert plane[1, 5] == 205.0

    def test_unknown_line_rejected(self) -> None:
        with open_segy(F3) as segy:
            with pytest.raises(SegyFormatError, match="inline 110 is not in the file.*111 to 133 in steps of 1"):
                segy.read_inline(110)

    def test_invalid_ranges_rejected(self) -> None:
        with open_segy(F3) as segy:
            with pytest.raises(InvalidInputError, match="invalid trace range 0:415"):
                segy.read_traces(0, 415)
            with pytest.raises(InvalidInputError, match="invalid sample index 75"):
                segy.read_slice(75)

    def test_closed_file_rejected(self) -> None:
        segy = open_segy(F3)
        segy.close()
        with pytest.raises(ValueError, match="is closed"):
            segy.read_traces(0, 1)


class TestHeaders:
    def test_header_words(self) -> None:
        with open_segy(F3) as segy:
            inlines = segy.header_word(189)
            scalars = segy.header_word(71, size=2, start=0, stop=3)
        assert inlines.shape == (414,)
        np.testing.assert_array_equal(inlines[:19], [111] * 18 + [112])
        np.testing.assert_array_equal(scalars, [-10, -10, -10])

    def test_raw_headers_little_endian(self) -> None:
        with open_segy(DATA / "segyio" / "f3-lsb.sgy") as segy:
            headers = segy.read_trace_headers(0, 2)
        assert headers.shape == (2, 240)
        assert headers.dtype == np.uint8
        assert int.from_bytes(headers[0, 188:192].tobytes(), "little") == 111

    def test_binary_header_is_raw(self) -> None:
        with open_segy(F3) as segy:
            assert segy.binary_header == F3.read_bytes()[3200:3600]


    def test_header_word_range(self) -> None:
        with open_segy(F3) as segy:
            whole = segy.header_word(193)
            part = segy.header_word(193, start=18, stop=21)
        np.testing.assert_array_equal(part, whole[18:21])
        np.testing.assert_array_equal(part, [875, 876, 877])

    def test_header_word_outside_header(self) -> None:
        with open_segy(F3) as segy:
            with pytest.raises(InvalidInputError, match="give a position from 1 to 237"):
                segy.header_word(238)


def mapped_kib(path: Path) -> int:
    """Resident kiB of every memory mapping of ``path`` in this process (Linux /proc)."""
    total, inside = 0, False
    for line in Path("/proc/self/smaps").read_text().splitlines():
        fields = line.split()
        if "-" in fields[0] and len(fields) >= 5 and not fields[0].endswith(":"):
            inside = len(fields) >= 6 and fields[5] == str(path)
        elif inside and fields[0] == "Rss:":
            total += int(fields[1])
    return total


@pytest.mark.skipif(not Path("/proc/self/smaps").exists(), reason="needs Linux /proc/self/smaps")
class TestMappedPages:
    @pytest.fixture(scope="class")
    @classmethod
    def survey(cls, tmp_path_factory) -> Path:
        # 40 x 50 traces of 1000 float32 samples: 8.5 MB, about 2070 pages.
        path = tmp_path_factory.mktemp("mapped") / "survey.sgy"
        volume = np.ones((40, 50, 1000), dtype=np.float32)
        return write_segy(
            path, volume, inlines=np.arange(40), crosslines=np.arange(50), samples=np.arange(1000.0), progress=False
        ).resolve()

    def test_opening_releases_header_pages(self, survey: Path) -> None:
        with open_segy(survey) as segy:
            assert segy.geometry.shape == (40, 50)
            assert mapped_kib(survey) < 256

    def test_release_pages_after_reading(self, survey: Path) -> None:
        with open_segy(survey) as segy:
            segy.read_traces()
            assert mapped_kib(survey) > 6000
            segy.release_pages()
            assert mapped_kib(survey) < 256

    def test_release_part_of_file(self, survey: Path) -> None:
        # The kernel may map file pages in larger folios and drop a whole
        # folio, so only the direction of the change is checked.
        with open_segy(survey) as segy:
            segy.read_traces()
            everything = mapped_kib(survey)
            segy.release_pages(0, 1000)
            resident = mapped_kib(survey)
        assert 0 < resident < everything

    def test_keep_mapped_pages(self, survey: Path) -> None:
        with open_segy(survey, keep_mapped_mb=4) as segy:
            resident = mapped_kib(survey)
        assert 2000 < resident < 6500

    def test_invalid_release_range(self, survey: Path) -> None:
        with open_segy(survey) as segy:
            with pytest.raises(InvalidInputError, match="invalid trace range"):
                segy.release_pages(10, 5000)


class TestReadInto:
    def test_read_traces_into_buffer(self) -> None:
        with open_segy(F3) as segy:
            expected = segy.read_traces(18, 54)
            buffer = np.full((40, 75), np.nan, dtype=np.float32)
            result = segy.read_traces(18, 54, out=buffer[2:38])
        np.testing.assert_array_equal(buffer[2:38], expected)
        assert np.isnan(buffer[:2]).all()
        assert result.base is buffer

    def test_read_traces_into_lines(self) -> None:
        # Traces 0-35 are inlines 111 and 112, 18 crosslines each.
        with open_segy(F3) as segy:
            expected = segy.read_traces(0, 36)
            block = np.zeros((18, 2, 75), dtype=np.float32)
            segy.read_traces(0, 36, out=block.transpose(1, 0, 2))
            first_inline = segy.read_inline(111)
        np.testing.assert_array_equal(block.transpose(1, 0, 2).reshape(36, 75), expected)
        np.testing.assert_array_equal(block[:, 0], first_inline)


class TestSampleAxis:
    def test_f3_axis(self) -> None:
        with open_segy(F3) as segy:
            assert segy.sample_interval == 4.0
            assert segy.samples[0] == 4.0
            assert segy.samples[-1] == 300.0
            assert (segy.domain, segy.unit) == ("time", "ms")

    def test_delay_with_scalar(self) -> None:
        # Delay word 10000 at byte 109, time scalar -10 at byte 215.
        with open_segy(DATA / "segyio" / "delay-scalar.sgy") as segy:
            assert segy.samples[0] == 1000.0
            assert segy.samples[-1] == 2000.0

    def test_sparse_axis(self) -> None:
        with open_segy(DATA / "pygeopressure-f3" / "f3_sparse.sgy") as segy:
            assert segy.sample_interval == 20.0
            assert segy.samples[0] == 400.0
            assert segy.samples[-1] == 1100.0

    def test_negative_start_time(self) -> None:
        with open_segy(DATA / "obspy" / "1.sgy_first_trace") as segy:
            assert segy.sample_interval == 0.25
            assert segy.samples[0] == -100.0

    @pytest.mark.parametrize(
        ("name", "interval"),
        [
            ("interval-pos-bin-neg-trace.sgy", 2.0),  # binary 2000 us is valid
            ("interval-neg-bin-pos-trace.sgy", 4.0),  # binary -2 invalid, trace 4000 us
            ("interval-neg-bin-neg-trace.sgy", 4.0),  # both invalid: the 4 ms default
        ],
    )
    def test_invalid_intervals(self, name: str, interval: float) -> None:
        with open_segy(DATA / "segyio" / name) as segy:
            assert segy.sample_interval == interval

    def test_depth_from_text_header(self, tmp_path: Path) -> None:
        path = tmp_path / "depth.sgy"
        raw = bytearray((DATA / "case1_bytes_9_21.sgy").read_bytes())
        raw[80:160] = "C 2 DEPTH MIGRATED (PSDM), Z IN METRES".ljust(80).encode("cp037")
        path.write_bytes(bytes(raw))
        with open_segy(path) as segy:
            assert (segy.domain, segy.unit) == ("depth", "m")
        with open_segy(path, domain="time") as segy:
            assert (segy.domain, segy.unit) == ("time", "ms")

    def test_long_trace_count(self) -> None:
        # 60,000 samples per trace need the unsigned reading of bytes 3221-3222.
        raw = (DATA / "segyio" / "long.sgy").read_bytes()
        assert (len(raw) - 3600) % (240 + 60000 * 4) == 0


class TestSeismicUnix:
    @pytest.mark.parametrize(("name", "endian"), [("small.su", "big"), ("small-lsb.su", "little")])
    def test_su_matches_segyio(self, name: str, endian: str) -> None:
        path = DATA / "segyio" / name
        with segyio.su.open(str(path), iline=5, xline=21, endian=endian) as reference:
            expected = segyio.tools.cube(reference)
        with open_segy(path) as segy:
            assert segy.kind == "su"
            assert segy.endian == endian
            assert (segy.geometry.iline_byte, segy.geometry.xline_byte) == (5, 21)
            assert segy.binary_header == b""
            np.testing.assert_array_equal(segy.read_volume(), expected)

    def test_su_field_trace(self) -> None:
        expected = np.load(DATA / "obspy" / "1.sgy_first_trace.npy").astype(np.float32)
        with open_segy(DATA / "obspy" / "1.su_first_trace") as segy:
            assert segy.kind == "su"
            assert segy.samples[0] == -100.0
            np.testing.assert_array_equal(segy.read_traces(0, 1), expected)


class TestCoordinates:
    def test_f3_cdp_coordinates(self) -> None:
        # The first trace stores CDP X 6201972 and Y 60742329 with scalar -10.
        with open_segy(F3) as segy:
            x, y = segy.coordinates()
            grid = segy.bin_grid()
        assert x[0, 0] == pytest.approx(620197.2)
        assert y[0, 0] == pytest.approx(6074232.9)
        assert grid.coordinate_source == "cdp"
        assert grid.inline_spacing == pytest.approx(25.0, abs=0.01)
        assert grid.crossline_spacing == pytest.approx(25.0, abs=0.01)
        assert (grid.crossline_azimuth - grid.inline_azimuth) % 360 == pytest.approx(270.0, abs=0.01)

    @pytest.mark.parametrize(
        ("name", "azimuth"), [("normal", 0.0), ("acute", 45.0), ("right", 90.0), ("reflex", 225.0)]
    )
    def test_rotated_grids(self, name: str, azimuth: float) -> None:
        with open_segy(DATA / "segyio" / f"{name}-small.sgy") as segy:
            grid = segy.bin_grid()
        assert grid.inline_azimuth == pytest.approx(azimuth, abs=1e-6)
        assert grid.crossline_azimuth == pytest.approx((azimuth + 90.0) % 360.0, abs=1e-6)

    def test_missing_cells_are_nan(self) -> None:
        with open_segy(DATA / "segysak-f3" / "f3-withdead.sgy") as segy:
            x, _ = segy.coordinates()
            live = segy.geometry.live
        assert np.all(np.isnan(x[~live]))
        assert np.all(np.isfinite(x[live]))

    def test_2d_line_grid(self) -> None:
        with open_segy(DATA / "segysak-f3" / "f3-iline-111.sgy") as segy:
            grid = segy.bin_grid()
        assert math.isnan(grid.crossline_azimuth)
        assert math.isnan(grid.inline_spacing)
        assert grid.crossline_spacing > 0

    def test_no_coordinates(self) -> None:
        with open_segy(DATA / "case1_bytes_9_21.sgy") as segy:
            assert segy.bin_grid() is None


class TestScan:
    def test_dead_traces_counted(self) -> None:
        with open_segy(DATA / "xtgeo" / "cube_w_deadtraces.segy") as segy:
            report = segy.scan(progress=False)
        assert report.n_dead == 656
        assert report.n_traces == 1230
        assert report.n_nonfinite == 0

    def test_nonfinite_samples_counted(self, tmp_path: Path) -> None:
        # Case 1 has 260-byte traces (240 header + 5 IEEE samples) after a
        # 3600-byte file header. Trace 3 gets a NaN and an infinity, trace 7
        # becomes all zero.
        raw = bytearray((DATA / "case1_bytes_9_21.sgy").read_bytes())
        sample = lambda trace, index: 3600 + 260 * trace + 240 + 4 * index  # noqa: E731
        raw[sample(3, 1) : sample(3, 2)] = bytes.fromhex("7fc00000")
        raw[sample(3, 4) : sample(3, 5)] = bytes.fromhex("ff800000")
        raw[sample(7, 0) : sample(7, 5)] = bytes(20)
        path = tmp_path / "values.sgy"
        path.write_bytes(bytes(raw))
        with open_segy(path) as segy:
            report = segy.scan(progress=False)
        assert report.n_nonfinite == 2
        assert report.n_nonfinite_traces == 1
        assert report.n_dead == 1
        assert (report.minimum, report.maximum) == (0.0, 313.0)

    def test_f3_amplitude_range(self) -> None:
        with open_segy(F3) as segy:
            report = segy.scan(progress=False)
        assert (report.minimum, report.maximum) == (-10239.0, 10827.0)


class TestInvalidFiles:
    def test_truncated(self) -> None:
        with pytest.raises(SegyFormatError, match="file size 6713 bytes does not fit whole traces.*truncated"):
            open_segy(DATA / "case9_truncated.sgy")

    def test_truncated_segyio_file(self) -> None:
        with pytest.raises(SegyFormatError, match="does not fit whole traces"):
            open_segy(DATA / "segyio" / "broken.sgy")

    def test_empty(self) -> None:
        with pytest.raises(SegyFormatError, match="empty"):
            open_segy(DATA / "case9_empty.sgy")

    def test_png(self) -> None:
        with pytest.raises(SegyFormatError, match="not a SEG-Y file, it is a PNG image"):
            open_segy(DATA / "case9_image.sgy")

    def test_missing_path(self, tmp_path: Path) -> None:
        with pytest.raises(InputNotFoundError, match="not found.*nothing.sgy"):
            open_segy(tmp_path / "nothing.sgy")

    def test_folder(self, tmp_path: Path) -> None:
        with pytest.raises(InputNotFoundError, match="is not a file"):
            open_segy(tmp_path)

    def test_headers_without_traces(self) -> None:
        with pytest.raises(SegyFormatError, match="no traces"):
            open_segy(DATA / "segyio" / "text.sgy")

    def test_invalid_endian_option(self) -> None:
        with pytest.raises(InvalidInputError, match="invalid --endian 'middle'"):
            open_segy(F3, endian="middle")

    def test_file_left_readable(self, tmp_path: Path) -> None:
        copy = tmp_path / "f3.sgy"
        shutil.copy(F3, copy)
        with open_segy(copy) as segy:
            segy.read_volume()
        assert copy.read_bytes() == F3.read_bytes()


def test_bin_grid_skips_unset_coordinates():
    # Inline 120 of the F3 cut: its 6 dead traces carry X/Y = -2**31.
    path = Path(__file__).resolve().parents[1] / "data" / "segy" / "segysak-f3" / "f3-iline-120.sgy"
    with open_segy(path) as segy:
        x, _ = segy.coordinates()
        grid = segy.bin_grid()
    assert np.isnan(x[0, -6:]).all()
    assert np.isfinite(x[0, :-6]).all()
    # segysak stored F3's 25 m bins multiplied by 10 with a scalar of 0.
    assert grid.crossline_spacing == pytest.approx(250.0, abs=0.5)
    assert grid.rms_residual < 10.0
