"""Tests of the robust amplitude normaliser."""

import json

import h5py
import numpy as np
import pytest

from models.normalization import RobustNormalizer
from seismic.errors import InvalidInputError


def _volume(values):
    return np.asarray(values, dtype=np.float32).reshape(1, 1, -1)


def test_percentile_range_maps_to_unit():
    normalizer = RobustNormalizer(low_percentile=0.0, high_percentile=100.0).fit(_volume(np.linspace(-100, 100, 201)))
    np.testing.assert_allclose(normalizer.transform([-100.0, 0.0, 50.0, 100.0]), [-1.0, 0.0, 0.5, 1.0])


def test_scale_is_symmetric_about_median():
    # Median 0, p0 = -10, p100 = 30: the scale is the wider side, 30.
    normalizer = RobustNormalizer(low_percentile=0.0, high_percentile=100.0).fit(_volume([-10, 0, 0, 0, 30]))
    assert normalizer.center == 0.0
    assert normalizer.scale == 30.0
    np.testing.assert_allclose(normalizer.transform([30.0, -10.0]), [1.0, -1.0 / 3.0])


def test_default_percentiles_of_uniform_data():
    # Values 0..1000: p1 = 10, median 500, p99 = 990, so the scale is 490.
    normalizer = RobustNormalizer().fit(_volume(np.arange(1001)), max_samples=10_000)
    assert normalizer.center == pytest.approx(500.0)
    assert normalizer.scale == pytest.approx(490.0)


def test_clip_bounds_output():
    normalizer = RobustNormalizer(0.0, 100.0, clip_value=3.0).fit(_volume([-10, 0, 10]))
    np.testing.assert_allclose(normalizer.transform([100.0, -100.0]), [3.0, -3.0])


def test_no_clip_keeps_outliers():
    normalizer = RobustNormalizer(0.0, 100.0, clip=False).fit(_volume([-10, 0, 10]))
    np.testing.assert_allclose(normalizer.transform([100.0]), [10.0])


def test_flip_polarity_negates():
    normalizer = RobustNormalizer(0.0, 100.0, flip_polarity=True).fit(_volume([-10, 0, 10]))
    np.testing.assert_allclose(normalizer.transform([5.0, -10.0]), [-0.5, 1.0])


def test_transform_returns_float32_and_zeroes_nan():
    normalizer = RobustNormalizer(0.0, 100.0).fit(_volume([-10, 0, 10]))
    out = normalizer.transform(np.array([np.nan, 10.0]))
    assert out.dtype == np.float32
    assert out[0] == 0.0


def test_live_mask_excludes_dead_traces():
    data = np.zeros((2, 2, 5), dtype=np.float32)
    data[0, 0] = [-2, -1, 0, 1, 2]
    data[1, 1] = 1e6  # a dead trace full of garbage
    live = np.array([[True, False], [False, False]])
    normalizer = RobustNormalizer(0.0, 100.0).fit(data, live=live)
    assert normalizer.scale == 2.0


def test_fit_on_h5py_matches_array(tmp_path):
    data = np.random.default_rng(3).normal(scale=50.0, size=(6, 5, 40)).astype(np.float32)
    path = tmp_path / "volume.h5"
    with h5py.File(path, "w") as handle:
        handle.create_dataset("seismic", data=data, chunks=(2, 2, 40))
    from_array = RobustNormalizer().fit(data)
    with h5py.File(path, "r") as handle:
        from_file = RobustNormalizer().fit(handle["seismic"])
    assert from_file.center == pytest.approx(from_array.center)
    assert from_file.scale == pytest.approx(from_array.scale)


def test_subsample_is_seeded():
    data = np.random.default_rng(0).normal(size=(20, 20, 100)).astype(np.float32)
    first = RobustNormalizer().fit(data, max_samples=5_000, seed=7)
    second = RobustNormalizer().fit(data, max_samples=5_000, seed=7)
    assert first.scale == second.scale
    # 5000 draws from a unit Gaussian: the 99th percentile is 2.33 within a few hundredths.
    assert first.scale == pytest.approx(2.33, abs=0.15)


def test_dict_round_trip_applies_same_rule():
    normalizer = RobustNormalizer(2.0, 98.0, flip_polarity=True, clip_value=2.5).fit(
        np.random.default_rng(1).normal(size=(4, 4, 50)).astype(np.float32)
    )
    stored = json.loads(json.dumps(normalizer.to_dict()))
    restored = RobustNormalizer.from_dict(stored)
    other_survey = np.random.default_rng(2).normal(scale=3.0, size=(3, 3, 10))
    np.testing.assert_array_equal(restored.transform(other_survey), normalizer.transform(other_survey))
    assert restored.flip_polarity


def test_from_dict_unknown_method_rejected():
    with pytest.raises(InvalidInputError, match="zscore"):
        RobustNormalizer.from_dict({"method": "zscore"})


def test_from_dict_missing_key_rejected():
    with pytest.raises(InvalidInputError, match="clip"):
        RobustNormalizer.from_dict({"method": "robust_percentile", "low_percentile": 1, "high_percentile": 99})


def test_constant_data_rejected():
    with pytest.raises(InvalidInputError, match="constant"):
        RobustNormalizer().fit(np.full((2, 2, 10), 5.0, dtype=np.float32))


def test_empty_live_mask_rejected():
    with pytest.raises(InvalidInputError, match="no trace"):
        RobustNormalizer().fit(np.ones((2, 2, 3)), live=np.zeros((2, 2), dtype=bool))


def test_live_mask_shape_rejected():
    with pytest.raises(InvalidInputError, match=r"\(3, 2\)"):
        RobustNormalizer().fit(np.ones((2, 2, 3)), live=np.ones((3, 2), dtype=bool))


@pytest.mark.parametrize("low, high", [(50.0, 50.0), (-1.0, 99.0), (1.0, 101.0)])
def test_invalid_percentiles_rejected(low, high):
    with pytest.raises(InvalidInputError):
        RobustNormalizer(low, high)


def test_transform_before_fit_raises():
    with pytest.raises(RuntimeError, match="fit"):
        RobustNormalizer().transform(np.zeros(3))


def test_refit_carries_rule_to_survey_of_other_gain():
    rng = np.random.default_rng(11)
    training = rng.normal(size=(6, 5, 40)).astype(np.float32)
    counts = (training * 3000.0).round()
    normalizer = RobustNormalizer(low_percentile=2.0, high_percentile=98.0, clip_value=2.5).fit(training)
    refitted = normalizer.refit(counts)

    assert refitted.low_percentile == 2.0
    assert refitted.clip_value == 2.5
    assert refitted.scale == pytest.approx(3000.0 * normalizer.scale, rel=1e-3)
    np.testing.assert_allclose(refitted.transform(counts), normalizer.transform(training), atol=1e-3)
    # The stored statistics are left as they were.
    assert normalizer.scale == pytest.approx(RobustNormalizer(2.0, 98.0).fit(training).scale)
