"""Tests of unsupervised clustering on volumes with known textures."""

import numpy as np
import pytest
from scipy.signal import fftconvolve
from sklearn.metrics import adjusted_rand_score

import models.clustering as clustering
from models.clustering import FEATURE_NAMES, cluster_volume, volume_features
from seismic.errors import InvalidInputError, ShapeMismatchError


def ricker(peak_hz, interval_s=0.004, length=41):
    time = (np.arange(length) - length // 2) * interval_s
    argument = (np.pi * peak_hz * time) ** 2
    return (1 - 2 * argument) * np.exp(-argument)


def two_textures(shape=(24, 16, 100), seed=0):
    """Flat continuous reflectors in the first half of the inlines, chaotic ones in the second.

    Both halves convolve white reflectivity with the same 30 Hz Ricker
    wavelet, so they share amplitude and frequency and differ in continuity.
    """
    rng = np.random.default_rng(seed)
    wavelet = ricker(30)
    layered = np.convolve(rng.normal(size=shape[2]), wavelet, mode="same")
    chaotic = fftconvolve(rng.normal(size=shape), wavelet[None, None], mode="same", axes=2)
    volume = np.broadcast_to(layered, shape).copy()
    truth = np.zeros(shape, dtype=int)
    half = shape[0] // 2
    volume[half:] = chaotic[half:]
    truth[half:] = 1
    volume += 0.05 * rng.normal(size=shape)
    return volume.astype(np.float32), truth


@pytest.fixture(scope="module")
def textures():
    return two_textures()


@pytest.fixture(scope="module")
def textures_result(textures):
    volume, _ = textures
    return cluster_volume(volume, 2, max_training_samples=20_000, progress=False)


def test_two_textures_separated(textures, textures_result):
    _, truth = textures
    labels = textures_result.labels
    assert labels.shape == truth.shape
    assert labels.dtype == np.int16
    assert adjusted_rand_score(truth.ravel(), labels.ravel()) > 0.8


def test_two_textures_separated_away_from_boundary(textures, textures_result):
    _, truth = textures
    # The 5-trace features blur two inlines either side of the boundary at 12.
    away = np.r_[0:9, 15:24]
    score = adjusted_rand_score(truth[away].ravel(), textures_result.labels[away].ravel())
    assert score > 0.95


def test_result_fields(textures_result):
    assert textures_result.feature_names == FEATURE_NAMES
    assert textures_result.centers.shape == (2, len(FEATURE_NAMES))
    assert textures_result.inertia > 0
    assert textures_result.n_training_samples == 20_000
    semblance_column = FEATURE_NAMES.index("semblance")
    # One centre is the continuous texture (semblance near 1), the other the chaotic one.
    assert textures_result.centers[:, semblance_column].max() > 0.9
    assert textures_result.centers[:, semblance_column].min() < 0.4


def test_same_seed_same_labels(textures, textures_result):
    volume, _ = textures
    again = cluster_volume(volume, 2, max_training_samples=20_000, progress=False)
    np.testing.assert_array_equal(again.labels, textures_result.labels)
    np.testing.assert_array_equal(again.centers, textures_result.centers)


def test_clusters_numbered_by_envelope():
    # The same chaotic texture, ten times louder in the second half: whatever
    # the seed, the quiet half is cluster 0.
    rng = np.random.default_rng(5)
    volume = fftconvolve(rng.normal(size=(16, 8, 60)), ricker(30)[None, None], mode="same", axes=2)
    volume[8:] *= 10
    for seed in (0, 1, 2):
        labels = cluster_volume(volume.astype(np.float32), 2, seed=seed, progress=False).labels
        assert np.bincount(labels[:6].ravel()).argmax() == 0
        assert np.bincount(labels[10:].ravel()).argmax() == 1


def test_dead_traces_get_minus_one(textures):
    volume, _ = textures
    live = np.ones(volume.shape[:2], dtype=bool)
    live[0, :3] = False
    live[-1, -1] = False
    result = cluster_volume(volume, 3, live=live, max_training_samples=5_000, progress=False)
    assert (result.labels[~live] == -1).all()
    assert (result.labels[live] >= 0).all()
    assert set(np.unique(result.labels[live])) == {0, 1, 2}


def test_blocks_match_whole_volume(monkeypatch, textures):
    volume, _ = textures
    small = volume[:, :, :60]
    whole = cluster_volume(small, 3, max_training_samples=5_000, progress=False)
    # About two inlines per block, so the halo is exercised on every side.
    monkeypatch.setattr(clustering, "BLOCK_VOXELS", 2 * 16 * 60)
    blocked = cluster_volume(small, 3, max_training_samples=5_000, progress=False)
    assert (blocked.labels == whole.labels).mean() > 0.999


def test_features_of_flat_reflectors():
    trace = np.convolve(np.random.default_rng(3).normal(size=80), ricker(30), mode="same")
    volume = np.broadcast_to(trace.astype(np.float32), (6, 6, 80))
    features = volume_features(volume, window=5)
    assert features.shape == (6, 6, 80, len(FEATURE_NAMES))
    interior = features[:, :, 20:-20]
    np.testing.assert_allclose(interior[..., FEATURE_NAMES.index("semblance")], 1.0, atol=1e-5)
    np.testing.assert_allclose(interior[..., FEATURE_NAMES.index("phase_coherence")], 1.0, atol=1e-5)
    envelope_column = interior[..., FEATURE_NAMES.index("envelope")]
    assert envelope_column.min() > 0
    # The Ricker wavelet peaks at 30 Hz; white reflectivity keeps the mean near it.
    frequency = interior[..., FEATURE_NAMES.index("instantaneous_frequency")]
    assert 20 < np.median(frequency) < 40


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"k": 1}, "number of clusters k 1"),
        ({"k": 2, "window": 4}, "window 4"),
        ({"k": 2, "window": 0}, "window 0"),
        ({"k": 2, "max_training_samples": 0}, "maximum training samples 0"),
        ({"k": 200}, "k = 200 clusters exceeds the 120 live voxels"),
        ({"k": 2, "sample_interval_ms": -4.0}, "sample interval -4.0"),
    ],
)
def test_invalid_arguments_rejected(arguments, message):
    volume = np.random.default_rng(0).normal(size=(2, 3, 20)).astype(np.float32)
    with pytest.raises(InvalidInputError, match=message):
        cluster_volume(volume, progress=False, **arguments)


def test_live_mask_shape_rejected():
    volume = np.zeros((2, 3, 20), np.float32)
    with pytest.raises(ShapeMismatchError, match=r"\(3, 2\)"):
        cluster_volume(volume, 2, live=np.ones((3, 2), bool), progress=False)


def test_nan_rejected():
    volume = np.random.default_rng(0).normal(size=(4, 3, 20)).astype(np.float32)
    volume[1, 1, 5] = np.nan
    with pytest.raises(InvalidInputError, match="NaN"):
        cluster_volume(volume, 2, progress=False)


def test_constant_volume_rejected():
    with pytest.raises(InvalidInputError, match="distinct values"):
        cluster_volume(np.ones((4, 4, 20), np.float32), 3, progress=False)


def test_k_beyond_live_voxels_rejected():
    volume = np.random.default_rng(0).normal(size=(2, 2, 5)).astype(np.float32)
    live = np.zeros((2, 2), bool)
    live[0, 0] = True
    with pytest.raises(InvalidInputError, match="exceeds the 5 live voxels"):
        cluster_volume(volume, 6, live=live, progress=False)
