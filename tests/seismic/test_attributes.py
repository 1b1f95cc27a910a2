"""Tests of the seismic attributes against analytic signals."""

import numpy as np
import pytest

import seismic.attributes as attributes
from seismic.attributes import (
    cosine_of_phase,
    envelope,
    instantaneous_frequency,
    instantaneous_phase,
    rms_amplitude,
    semblance,
)
from seismic.errors import InvalidInputError

INTERVAL_MS = 4.0
# 201 samples of a 30 Hz cosine hold 24.12 cycles, so the trace is not
# periodic and the FFT-based Hilbert transform has edge effects to stay clear of.
TIME_S = np.arange(201) * INTERVAL_MS / 1000
PHASE = 2 * np.pi * 30 * TIME_S + 0.3
COSINE = np.cos(PHASE)
INTERIOR = slice(20, -20)


def test_envelope_of_cosine_is_one():
    result = envelope(COSINE)
    assert result.dtype == np.float32
    np.testing.assert_allclose(result[INTERIOR], 1.0, atol=0.02)


def test_envelope_follows_amplitude_modulation():
    # A slow Gaussian bell times a 40 Hz carrier: the envelope is the bell.
    bell = np.exp(-(((TIME_S - 0.4) / 0.1) ** 2))
    result = envelope(bell * np.cos(2 * np.pi * 40 * TIME_S))
    np.testing.assert_allclose(result[INTERIOR], bell[INTERIOR], atol=0.03)


def test_instantaneous_frequency_of_cosine():
    result = instantaneous_frequency(COSINE, INTERVAL_MS)
    assert result.dtype == np.float32
    np.testing.assert_allclose(result[INTERIOR], 30.0, atol=0.5)


def test_instantaneous_frequency_near_nyquist():
    # 100 Hz at 4 ms is 0.8 of the 125 Hz Nyquist frequency.
    result = instantaneous_frequency(np.cos(2 * np.pi * 100 * TIME_S), INTERVAL_MS)
    np.testing.assert_allclose(result[INTERIOR], 100.0, atol=1.0)


def test_instantaneous_phase_of_cosine():
    result = instantaneous_phase(COSINE)
    wrapped_error = np.angle(np.exp(1j * (result.astype(np.float64) - PHASE)))
    assert np.abs(wrapped_error[INTERIOR]).max() < 0.03
    assert result.min() >= -np.pi
    assert result.max() <= np.pi


def test_cosine_of_phase_of_cosine_is_itself():
    np.testing.assert_allclose(cosine_of_phase(COSINE)[INTERIOR], COSINE[INTERIOR], atol=0.01)


def test_cosine_of_phase_ignores_amplitude():
    np.testing.assert_allclose(cosine_of_phase(7.5 * COSINE), cosine_of_phase(COSINE), atol=1e-6)


def test_rms_by_hand():
    # Window 3 around a single spike of 3: sqrt(9 / 3) at the spike and its
    # neighbours; the mirrored ends stay 0.
    result = rms_amplitude(np.array([0.0, 0.0, 3.0, 0.0, 0.0]), 3)
    np.testing.assert_allclose(result, [0.0, np.sqrt(3), np.sqrt(3), np.sqrt(3), 0.0], atol=1e-6)


def test_rms_of_cosine_over_whole_periods():
    # 30 Hz at 4 ms: 25 samples span three periods.
    result = rms_amplitude(np.cos(2 * np.pi * 30 * TIME_S), 25)
    np.testing.assert_allclose(result[INTERIOR], 1 / np.sqrt(2), atol=0.01)


def test_volume_attributes_along_last_axis():
    volume = np.broadcast_to(COSINE.astype(np.float32), (3, 4, len(COSINE)))
    for result in (envelope(volume), instantaneous_frequency(volume, INTERVAL_MS)):
        assert result.shape == volume.shape
        assert result.dtype == np.float32
    np.testing.assert_allclose(envelope(volume)[:, :, INTERIOR], 1.0, atol=0.02)


def test_axis_argument_matches_transpose():
    rng = np.random.default_rng(0)
    volume = rng.normal(size=(50, 3, 4)).astype(np.float32)
    along_first = envelope(volume, axis=0)
    along_last = envelope(np.moveaxis(volume, 0, -1))
    np.testing.assert_allclose(along_first, np.moveaxis(along_last, -1, 0), rtol=1e-6)


def test_blocks_equal_whole_volume(monkeypatch):
    rng = np.random.default_rng(1)
    volume = rng.normal(size=(13, 7, 40)).astype(np.float32)
    whole = [
        envelope(volume),
        instantaneous_frequency(volume, INTERVAL_MS),
        rms_amplitude(volume, 5),
        semblance(volume, 5),
    ]
    monkeypatch.setattr(attributes, "BLOCK_VOXELS", 300)
    blocked = [
        envelope(volume),
        instantaneous_frequency(volume, INTERVAL_MS),
        rms_amplitude(volume, 5),
        semblance(volume, 5),
    ]
    for expected, result in zip(whole, blocked):
        np.testing.assert_allclose(result, expected, rtol=1e-6, atol=1e-6)


def test_semblance_of_identical_traces_is_one():
    volume = np.broadcast_to(COSINE.astype(np.float32), (5, 6, len(COSINE)))
    np.testing.assert_allclose(semblance(volume, 5), 1.0, atol=1e-6)


def test_semblance_of_noise_is_low():
    rng = np.random.default_rng(2)
    result = semblance(rng.normal(size=(20, 20, 100)).astype(np.float32), 5)
    # Uncorrelated traces give about 1 / 9 for a 3 x 3 neighbourhood.
    assert result.mean() == pytest.approx(1 / 9, abs=0.03)
    assert result.min() >= 0
    assert result.max() <= 1


def test_semblance_of_zeros_is_zero():
    np.testing.assert_array_equal(semblance(np.zeros((3, 3, 10), np.float32)), 0.0)


def test_invalid_arguments_rejected():
    with pytest.raises(InvalidInputError, match="RMS window 0"):
        rms_amplitude(COSINE, 0)
    with pytest.raises(InvalidInputError, match="sample interval 0"):
        instantaneous_frequency(COSINE, 0)
    with pytest.raises(InvalidInputError, match="not a volume"):
        semblance(np.zeros((4, 10)))
    with pytest.raises(InvalidInputError, match="trace axis 3"):
        envelope(np.zeros((2, 2, 2)), axis=3)
    with pytest.raises(InvalidInputError, match="not real numbers"):
        envelope(np.zeros(4, dtype=complex))
