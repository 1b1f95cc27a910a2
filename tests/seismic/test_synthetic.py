"""Tests of the synthetic survey generator."""

import csv
import math

import numpy as np
import pytest
import segyio
from scipy import ndimage

from seismic.errors import InvalidInputError
from seismic.labels import ClassTable
from seismic.synthetic import (
    CHANNEL,
    CHAOTIC,
    FAN,
    N_CLASSES,
    generate_survey,
    ricker,
    ricker_spectrum,
    synthetic_class_table,
    write_survey,
)
from seismic.synthetic.faults import Fault, restore_times
from seismic.synthetic.render import crossing_times
from seismic.synthetic.survey import build_model
from seismic.synthetic.wavelet import convolve_wavelet

DT = 4.0


@pytest.fixture(scope="module")
def survey():
    return generate_survey(64, 64, 128, seed=0)


@pytest.fixture(scope="module")
def tiny():
    return generate_survey(8, 8, 32, seed=5)


class TestShapes:
    def test_volume_shapes_and_dtypes(self, survey):
        assert survey.seismic.shape == (64, 64, 128)
        assert survey.seismic.dtype == np.float32
        assert survey.labels.shape == (64, 64, 128)
        assert survey.labels.dtype == np.int16

    def test_axes(self, survey):
        np.testing.assert_array_equal(survey.inlines, np.arange(1, 65))
        np.testing.assert_array_equal(survey.crosslines, np.arange(1, 65))
        assert survey.samples[0] == 0.0
        assert survey.samples[-1] == 127 * DT
        assert survey.sample_interval_ms == DT

    def test_horizon_maps(self, survey):
        # One horizon per boundary between the units of 128 samples / 25 = 5 units.
        assert list(survey.horizons) == ["H1", "H2", "H3", "H4"]
        for times in survey.horizons.values():
            assert times.shape == (64, 64)
            defined = times[np.isfinite(times)]
            assert defined.size > 0.9 * times.size
            assert defined.min() >= 0.0
            assert defined.max() <= 127 * DT

    def test_labels_within_class_range(self, survey):
        assert survey.labels.min() >= 0
        assert survey.labels.max() <= N_CLASSES - 1

    def test_class_table_is_synthetic_table(self, survey):
        assert survey.class_table == synthetic_class_table()
        assert len(survey.class_table) == N_CLASSES

    def test_seismic_finite_and_scaled(self, survey):
        assert np.isfinite(survey.seismic).all()
        # Unit RMS before 10 % noise is added: RMS sqrt(1 + 0.1^2).
        assert float(np.sqrt(np.mean(survey.seismic.astype(np.float64) ** 2))) == pytest.approx(1.005, abs=0.02)

    def test_tiny_survey(self, tiny):
        assert tiny.seismic.shape == (8, 8, 32)
        assert list(tiny.horizons) == ["H1", "H2", "H3"]

    def test_odd_shape(self):
        odd = generate_survey(3, 17, 45, seed=2)
        assert odd.seismic.shape == (3, 17, 45)
        assert odd.labels.shape == (3, 17, 45)


class TestDeterminism:
    def test_same_seed_same_survey(self, survey):
        again = generate_survey(64, 64, 128, seed=0)
        np.testing.assert_array_equal(again.seismic, survey.seismic)
        np.testing.assert_array_equal(again.labels, survey.labels)
        for name in survey.horizons:
            np.testing.assert_array_equal(again.horizons[name], survey.horizons[name])

    def test_block_size_does_not_change_survey(self):
        whole = generate_survey(12, 10, 40, seed=4)
        blocks = generate_survey(12, 10, 40, seed=4, block_inlines=5)
        np.testing.assert_array_equal(blocks.labels, whole.labels)
        np.testing.assert_allclose(blocks.seismic, whole.seismic, rtol=0, atol=1e-5)

    def test_different_seeds_differ(self, survey):
        other = generate_survey(64, 64, 128, seed=1)
        assert np.mean(other.labels != survey.labels) > 0.2
        assert not np.allclose(other.seismic, survey.seismic)
        assert not np.allclose(other.horizons["H2"], survey.horizons["H2"], equal_nan=True)


class TestClasses:
    @pytest.mark.parametrize("seed", [0, 1, 2])
    def test_every_class_has_a_share(self, seed):
        fractions = generate_survey(64, 64, 128, seed=seed).class_fractions()
        assert fractions.shape == (N_CLASSES,)
        for index, share in enumerate(fractions):
            assert share >= 0.02, f"class {index} holds {share:.3f} of the samples"

    def test_every_class_in_every_ten_inline_block(self, survey):
        for start in range(0, 64, 10):
            present = np.unique(survey.labels[start : start + 10])
            assert present.tolist() == list(range(N_CLASSES)), f"inlines {start}-{start + 9} lack a class"

    def test_stratigraphic_units_all_four_facies(self, survey):
        assert set(survey.unit_facies) >= {0, 1, 2, 3}
        assert all(a != b for a, b in zip(survey.unit_facies, survey.unit_facies[1:]))


class TestHorizonsAndLabels:
    def test_label_changes_at_every_horizon(self, survey):
        for name, times in survey.horizons.items():
            inline, crossline = np.nonzero(np.isfinite(times) & (times > DT) & (times < 126 * DT))
            first_below = np.ceil(times[inline, crossline] / DT).astype(int)
            above = survey.labels[inline, crossline, first_below - 1]
            below = survey.labels[inline, crossline, first_below]
            assert np.all(above != below), f"{name}: label unchanged across the horizon"

    def test_units_between_horizons(self, survey):
        names = list(survey.horizons)
        times = np.arange(128) * DT
        for unit, facies in enumerate(survey.unit_facies):
            allowed = {facies, CHANNEL, FAN, CHAOTIC}
            top = survey.horizons[names[unit - 1]] if unit > 0 else np.full((64, 64), -np.inf)
            base = survey.horizons[names[unit]] if unit < len(names) else np.full((64, 64), np.inf)
            defined = np.isfinite(top) | (unit == 0)
            defined &= np.isfinite(base) | (unit == len(names))
            inside = (times >= top[..., None]) & (times < base[..., None]) & defined[..., None]
            found = set(np.unique(survey.labels[inside]).tolist())
            assert found <= allowed, f"unit {unit} holds classes {found - allowed}"
            assert facies in found


class TestFaults:
    def test_fault_offsets_flat_horizon(self):
        # A fault striking along the inline axis with its hanging wall towards
        # higher crosslines; vertical, so the offset equals the throw.
        fault = Fault(origin=(0.0, 4.5), azimuth_degrees=90.0, heave_per_sample=0.0, throw=6.0, half_length=1e6)
        restored = restore_times([fault], np.arange(3.0), np.arange(10.0), 40)
        level = np.full((3, 10), 20.0)
        horizon = crossing_times(restored, level)
        np.testing.assert_allclose(horizon[:, :5], 20.0)
        np.testing.assert_allclose(horizon[:, 5:], 26.0)

    def test_dipping_fault_leaves_gap(self):
        # The plane moves one trace per 5 samples, so at the level of 20
        # samples a horizon misses the traces the plane crosses within the throw.
        fault = Fault(origin=(0.0, 2.0), azimuth_degrees=90.0, heave_per_sample=0.2, throw=10.0, half_length=1e6)
        restored = restore_times([fault], np.arange(1.0), np.arange(12.0), 60)
        horizon = crossing_times(restored, np.full((1, 12), 20.0))[0]
        # Footwall: the plane reaches crossline 6 at time 20 (2 + 0.2 * 20).
        np.testing.assert_allclose(horizon[:6], 20.0)
        # Hanging wall: the moved horizon at 30 lies above the plane from crossline 9 on (2 + 0.2 * 30 = 8).
        np.testing.assert_allclose(horizon[9:], 30.0)
        assert np.isnan(horizon[7])

    def test_restored_times_never_decrease(self, survey):
        model = build_model(16, 16, 64, 3, DT, 30.0)
        restored = restore_times(model.faults, np.arange(16.0), np.arange(16.0), 64)
        assert np.all(np.diff(restored, axis=-1) >= 0)

    def test_faults_offset_survey_horizons(self, survey):
        # Before faulting no boundary steps by more than 2 samples between
        # neighbouring traces; after it some step by at least the smallest throw.
        model = build_model(64, 64, 128, 0, DT, 30.0)
        smallest_throw = min(fault.throw for fault in model.faults)
        boundaries = model.column.boundaries[1:-1]
        assert np.nanmax(np.abs(np.diff(boundaries, axis=2))) < 2.0
        steps = [np.nanmax(np.abs(np.diff(times, axis=axis))) / DT for times in survey.horizons.values() for axis in (0, 1)]
        assert max(steps) >= 0.6 * smallest_throw


class TestChannels:
    def test_channel_meanders_in_plane_view(self, survey):
        channel = next(body for body in survey.bodies if body.kind == "channel")
        # The channel hangs from the top of its host unit, which is horizon H<unit>.
        top = survey.horizons[f"H{channel.unit}"]
        index = np.clip(np.nan_to_num(top / DT, nan=0.0).astype(int) + 1, 0, 127)
        plane = np.take_along_axis(survey.labels, index[..., None], axis=-1)[..., 0] == CHANNEL
        footprint = channel.fraction > 0.5 * channel.fraction.max()
        assert footprint.sum() > 0
        assert plane[footprint & np.isfinite(top)].mean() > 0.9, "the channel footprint is not labelled channel"

        rows = np.nonzero((plane & footprint).any(axis=1))[0]
        assert rows.size >= 0.8 * 64, "the channel does not run across the survey"
        centres = [np.mean(np.nonzero(plane[row] & footprint[row])[0]) for row in rows]
        assert np.ptp(centres) >= 6.0, "the channel is straight"
        assert plane.mean() < 0.5, "the channel label covers half the map"


class TestWavelet:
    @pytest.mark.parametrize("peak", [10.0, 25.0, 40.0])
    def test_ricker_spectrum_peaks_at_peak_frequency(self, peak):
        _, wavelet = ricker(peak, 1.0)
        spectrum = np.abs(np.fft.rfft(wavelet, n=1 << 16))
        frequencies = np.fft.rfftfreq(1 << 16, d=0.001)
        assert frequencies[np.argmax(spectrum)] == pytest.approx(peak, abs=0.05)

    def test_ricker_centre_and_zero_crossings(self):
        times, wavelet = ricker(25.0, 1.0)
        assert wavelet[times == 0][0] == 1.0
        np.testing.assert_allclose(wavelet, wavelet[::-1])
        # Zero crossings at t = +-1 / (pi f sqrt(2)) = +-9.003 ms for 25 Hz.
        assert wavelet[times == 9.0][0] > 0
        assert wavelet[times == 10.0][0] < 0
        assert np.all(wavelet[np.abs(times) >= 10.0] < 0)

    def test_analytic_spectrum_matches_fft(self):
        _, wavelet = ricker(30.0, 2.0)
        frequencies = np.fft.rfftfreq(4096, d=0.002)
        numeric = np.abs(np.fft.rfft(wavelet, n=4096)) * 0.002
        np.testing.assert_allclose(numeric, ricker_spectrum(frequencies, 30.0), atol=1e-4)

    def test_convolution_matches_numpy(self):
        rng = np.random.default_rng(0)
        reflectivity = rng.standard_normal((3, 100)).astype(np.float32)
        _, wavelet = ricker(30.0, DT)
        expected = np.stack([np.convolve(trace, wavelet, mode="same") for trace in reflectivity])
        np.testing.assert_allclose(convolve_wavelet(reflectivity, DT, 30.0), expected, atol=1e-4)


class TestNoise:
    def test_noise_level_sets_rms_ratio(self):
        clean = generate_survey(24, 24, 64, seed=3, noise=0.0)
        noisy = generate_survey(24, 24, 64, seed=3, noise=0.5)
        difference = (noisy.seismic - clean.seismic).astype(np.float64)
        assert np.sqrt(np.mean(difference**2)) == pytest.approx(0.5, rel=0.05)
        np.testing.assert_array_equal(noisy.labels, clean.labels)


class TestValidation:
    @pytest.mark.parametrize(
        ("kwargs", "match"),
        [
            ({"n_inlines": 0}, "n_inlines=0"),
            ({"n_crosslines": -3}, "n_crosslines=-3"),
            ({"n_samples": 10}, "at least 24 samples"),
            ({"seed": -1}, "seed=-1"),
            ({"n_inlines": 2.5}, "whole number"),
            ({"noise": -0.1}, "noise=-0.1"),
            ({"noise": float("nan")}, "noise=nan"),
            ({"sample_interval_ms": 0.0}, "sample_interval_ms=0.0"),
            ({"peak_frequency_hz": 80.0}, "at most 62.5 Hz"),
        ],
    )
    def test_invalid_arguments_rejected(self, kwargs, match):
        with pytest.raises(InvalidInputError, match=match):
            generate_survey(**{"n_inlines": 8, "n_crosslines": 8, "n_samples": 32, **kwargs})


class TestWriteSurvey:
    def test_round_trip_through_segyio(self, tiny, tmp_path):
        paths = write_survey(tiny, tmp_path / "out")
        assert sorted(path.name for path in (tmp_path / "out").iterdir()) == [
            "classes.json",
            "horizons.csv",
            "labels.sgy",
            "seismic.sgy",
        ]
        with segyio.open(paths["seismic"]) as segy:
            np.testing.assert_array_equal(segy.ilines, tiny.inlines)
            np.testing.assert_array_equal(segy.xlines, tiny.crosslines)
            np.testing.assert_array_equal(segy.samples, tiny.samples)
            np.testing.assert_array_equal(segyio.tools.cube(segy), tiny.seismic)
        with segyio.open(paths["labels"]) as segy:
            assert segy.bin[segyio.BinField.Format] == 3
            np.testing.assert_array_equal(segyio.tools.cube(segy), tiny.labels)
            text = segy.text[0].decode("ascii", errors="replace")
            assert "FACIES LEGEND: -1 no trace/unlabelled" in text
            assert "4 channel (geomorphologic)" in text

    def test_horizons_csv(self, tiny, tmp_path):
        paths = write_survey(tiny, tmp_path)
        with open(paths["horizons"], newline="") as stream:
            rows = list(csv.DictReader(stream))
        assert list(rows[0]) == ["horizon", "inline", "crossline", "time_ms"]
        defined = sum(int(np.isfinite(times).sum()) for times in tiny.horizons.values())
        assert len(rows) == defined
        for row in rows[:: max(1, len(rows) // 20)]:
            times = tiny.horizons[row["horizon"]]
            expected = times[int(row["inline"]) - tiny.inlines[0], int(row["crossline"]) - tiny.crosslines[0]]
            assert float(row["time_ms"]) == pytest.approx(expected, abs=1e-3)

    def test_class_table_json(self, tiny, tmp_path):
        paths = write_survey(tiny, tmp_path)
        assert ClassTable.from_json(paths["classes"]) == tiny.class_table

    def test_existing_folder_keeps_other_files(self, tiny, tmp_path):
        (tmp_path / "notes.txt").write_text("keep")
        (tmp_path / "seismic.sgy").write_text("old")
        write_survey(tiny, tmp_path)
        assert (tmp_path / "notes.txt").read_text() == "keep"
        assert (tmp_path / "seismic.sgy").stat().st_size > 3600
        assert sorted(path.name for path in tmp_path.iterdir()) == [
            "classes.json",
            "horizons.csv",
            "labels.sgy",
            "notes.txt",
            "seismic.sgy",
        ]

    def test_existing_file_rejected(self, tiny, tmp_path):
        target = tmp_path / "out"
        target.write_text("")
        with pytest.raises(InvalidInputError, match="existing file"):
            write_survey(tiny, target)
        assert sorted(path.name for path in tmp_path.iterdir()) == ["out"]
