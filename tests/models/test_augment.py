"""Tests of the seismic section augmentations."""

import numpy as np
import pytest

from models.augment import (
    AdditiveNoise,
    AmplitudeScale,
    Compose,
    FlipTraces,
    FrequencyPerturbation,
    RandomRotation,
    default_augmentation,
)
from seismic.errors import InvalidInputError


@pytest.fixture
def pair():
    rng = np.random.default_rng(0)
    section = rng.normal(size=(41, 61)).astype(np.float32)
    labels = np.broadcast_to((np.arange(61) // 16)[None, :], (41, 61)).astype(np.int64).copy()
    return section, labels


def test_flip_reverses_traces(pair):
    section, labels = pair
    labels[0, 0] = 5
    out, out_labels = FlipTraces(p=1.0)(section, labels, np.random.default_rng(0))
    np.testing.assert_array_equal(out, section[::-1])
    assert out_labels[-1, 0] == 5


def test_flip_never_with_zero_probability(pair):
    section, labels = pair
    out, _ = FlipTraces(p=0.0)(section, labels, np.random.default_rng(0))
    np.testing.assert_array_equal(out, section)


def test_rotation_by_zero_is_identity(pair):
    section, labels = pair
    out, out_labels = RandomRotation(max_degrees=0.0, p=1.0)(section, labels, np.random.default_rng(0))
    np.testing.assert_allclose(out, section, atol=1e-5)
    np.testing.assert_array_equal(out_labels, labels)


def test_rotation_tilts_a_line():
    # A horizontal line of class 1 through the centre (sample 30) of a 61 x 61 section.
    labels = np.zeros((61, 61), dtype=np.int64)
    labels[:, 30] = 1
    section = labels.astype(np.float32)
    rotation = RandomRotation(max_degrees=5.0, p=1.0)
    largest_shift = 0
    for seed in range(10):
        _, rotated = rotation(section, labels, np.random.default_rng(seed))
        assert rotated[30, 30] == 1
        # 20 traces from the centre the line moves by 20 * tan(angle), at most 1.75 samples,
        # by the same amount in opposite directions on either side.
        right = np.flatnonzero(rotated[50] == 1) - 30
        left = np.flatnonzero(rotated[10] == 1) - 30
        assert right.size
        assert np.abs(right).max() <= 2
        assert sorted(-left) == sorted(right)
        largest_shift = max(largest_shift, int(np.abs(right).max()))
    assert largest_shift >= 1


def test_rotation_fills_outside_with_ignore(pair):
    section, labels = pair
    _, out_labels = RandomRotation(max_degrees=5.0, p=1.0)(section, labels, np.random.default_rng(2))
    assert set(np.unique(out_labels)) <= {-1, 0, 1, 2, 3}
    corners = [out_labels[0, 0], out_labels[0, -1], out_labels[-1, 0], out_labels[-1, -1]]
    assert corners.count(-1) >= 2
    assert out_labels.shape == labels.shape


def test_amplitude_scale_within_range(pair):
    section, labels = pair
    out, out_labels = AmplitudeScale(0.5, 2.0)(section, labels, np.random.default_rng(3))
    ratio = out / section
    assert 0.5 <= ratio[0, 0] <= 2.0
    np.testing.assert_allclose(ratio, ratio[0, 0], rtol=1e-5)
    assert out_labels is labels


def test_noise_strength_bounded(pair):
    section, labels = pair
    out, out_labels = AdditiveNoise(max_std=0.1, p=1.0)(section, labels, np.random.default_rng(5))
    assert 0 < np.std(out - section) < 0.12
    np.testing.assert_array_equal(out_labels, labels)


def test_band_gain_hand_values():
    transform = FrequencyPerturbation(taper=0.1)
    # 20 samples: rfft frequencies 0, 0.1, ..., 1.0 of Nyquist.
    gain = transform.gain(20, low_cut=0.15, high_cut=0.75)
    # 0.1 lies 0.05 below the low cut, half the taper: gain 0.5. 0.0 is a full taper away: gain 0.
    assert gain[0] == pytest.approx(0.0)
    assert gain[1] == pytest.approx(0.5)
    np.testing.assert_allclose(gain[2:8], 1.0)
    # 0.8 lies 0.05 above the high cut: 0.5; 0.9 and 1.0 lie past the taper: 0.
    assert gain[8] == pytest.approx(0.5)
    np.testing.assert_allclose(gain[9:], 0.0, atol=1e-12)


def test_zero_phase_filter_keeps_symmetric_pulse():
    section = np.zeros((2, 65), dtype=np.float32)
    section[:, 32] = 1.0
    section[:, 31] = section[:, 33] = -0.5
    labels = np.zeros(section.shape, dtype=np.int64)
    out, _ = FrequencyPerturbation(max_phase_degrees=0.0, p=1.0)(section, labels, np.random.default_rng(6))
    np.testing.assert_allclose(out[:, 32 - 10 : 32], out[:, 33 : 33 + 10][:, ::-1], atol=1e-5)
    assert not np.allclose(out, section)


def test_phase_rotation_breaks_symmetry():
    section = np.zeros((1, 65), dtype=np.float32)
    section[:, 32] = 1.0
    labels = np.zeros(section.shape, dtype=np.int64)
    transform = FrequencyPerturbation(max_low_cut=0.0, min_high_cut=1.0, max_phase_degrees=90.0, p=1.0)
    out, _ = transform(section, labels, np.random.default_rng(1))
    assert not np.allclose(out[0, 22:32], out[0, 33:43][::-1], atol=1e-3)


def test_frequency_perturbation_keeps_rms(pair):
    section, labels = pair
    out, out_labels = FrequencyPerturbation(p=1.0)(section, labels, np.random.default_rng(8))
    assert np.sqrt(np.mean(out**2)) == pytest.approx(np.sqrt(np.mean(section**2)), rel=1e-4)
    assert out.dtype == np.float32
    assert out_labels is labels


def test_default_augmentation_seeded(pair):
    section, labels = pair
    augment = default_augmentation()
    first = augment(section, labels, np.random.default_rng(42))
    second = augment(section, labels, np.random.default_rng(42))
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])
    other = augment(section, labels, np.random.default_rng(43))
    assert not np.array_equal(first[0], other[0])


def test_default_augmentation_keeps_shapes_and_classes(pair):
    section, labels = pair
    augment = default_augmentation()
    rng = np.random.default_rng(0)
    for _ in range(20):
        out, out_labels = augment(section, labels, rng)
        assert out.shape == section.shape
        assert out.dtype == np.float32
        assert set(np.unique(out_labels)) <= {-1, 0, 1, 2, 3}


def test_compose_shape_mismatch_rejected(pair):
    section, labels = pair
    with pytest.raises(InvalidInputError, match="differs"):
        Compose([FlipTraces()])(section, labels[:-1], np.random.default_rng(0))


@pytest.mark.parametrize(
    "build",
    [
        lambda: FlipTraces(p=1.5),
        lambda: RandomRotation(max_degrees=60.0),
        lambda: AmplitudeScale(2.0, 1.0),
        lambda: AdditiveNoise(max_std=-1.0),
        lambda: FrequencyPerturbation(max_low_cut=0.5, min_high_cut=0.4),
    ],
)
def test_invalid_settings_rejected(build):
    with pytest.raises(InvalidInputError):
        build()
