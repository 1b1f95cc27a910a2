"""Tests of the backend-independent volume prediction."""

import numpy as np
import pytest

from models.prediction import pad_sections, predict_volume


def threshold_predictor(sections: np.ndarray) -> np.ndarray:
    """Class 1 where the amplitude is positive, with probability 0.9."""
    positive = sections[:, 0] > 0
    probabilities = np.where(positive[:, None], [[[0.1]], [[0.9]]], [[[0.9]], [[0.1]]])
    return probabilities.astype(np.float32)


def test_pad_sections_reflects_to_multiple():
    sections = np.arange(2 * 1 * 5 * 6, dtype=np.float32).reshape(2, 1, 5, 6)
    padded, size = pad_sections(sections, 4)
    assert padded.shape == (2, 1, 8, 8)
    assert size == (5, 6)
    np.testing.assert_array_equal(padded[..., :5, :6], sections)
    # Reflection: row 5 mirrors row 3, column 6 mirrors column 4.
    np.testing.assert_array_equal(padded[..., 5, :6], sections[..., 3, :])
    np.testing.assert_array_equal(padded[..., :5, 6], sections[..., :, 4])


def test_pad_sections_repeats_edge_of_short_section():
    sections = np.array([[[[1.0, 2.0]]]], dtype=np.float32)
    padded, size = pad_sections(sections, 8)
    assert padded.shape == (1, 1, 8, 8)
    assert size == (1, 2)
    assert padded[0, 0, 7, 7] == 2.0


def test_predict_volume_recovers_thresholded_classes():
    rng = np.random.default_rng(3)
    seismic = rng.normal(size=(5, 7, 11)).astype(np.float32)
    prediction = predict_volume(seismic, threshold_predictor, 2, pad_multiple=4, batch_size=3, progress=False)
    np.testing.assert_array_equal(prediction.facies, (seismic > 0).astype(np.int16))
    np.testing.assert_allclose(prediction.confidence, 0.9, rtol=1e-6)
    np.testing.assert_allclose(prediction.margin, 0.8, rtol=1e-6)
    assert prediction.probabilities.shape == (5, 7, 11, 2)


def test_predict_volume_averages_inline_and_crossline_passes():
    seismic = np.zeros((3, 4, 8), dtype=np.float32)
    calls = []

    def axis_predictor(sections):
        # Inline sections have 4 traces, crossline sections 3; the padded
        # height is 4 for both, so tell them apart by call order instead.
        calls.append(sections.shape)
        first_pass = len(calls) == 1
        probabilities = np.zeros((len(sections), 2) + sections.shape[2:], dtype=np.float32)
        probabilities[:, 0 if first_pass else 1] = 0.7
        probabilities[:, 1 if first_pass else 0] = 0.3
        return probabilities

    prediction = predict_volume(seismic, axis_predictor, 2, pad_multiple=4, batch_size=8, progress=False)
    assert len(calls) == 2
    np.testing.assert_allclose(prediction.probabilities, 0.5)


def test_predict_volume_marks_dead_traces():
    seismic = np.ones((2, 3, 4), dtype=np.float32)
    live = np.array([[True, False, True], [True, True, True]])
    prediction = predict_volume(seismic, threshold_predictor, 2, pad_multiple=2, live=live, progress=False)
    assert prediction.facies[0, 1].tolist() == [-1] * 4
    assert (prediction.facies[live] == 1).all()
    assert (prediction.probabilities[0, 1] == 0).all()


def test_predict_volume_rejects_wrong_class_count():
    seismic = np.ones((2, 2, 4), dtype=np.float32)
    with pytest.raises(ValueError, match="returned 2 classes but the model has 3"):
        predict_volume(seismic, threshold_predictor, 3, pad_multiple=2, progress=False)


def test_predict_volume_rejects_unknown_axis():
    with pytest.raises(ValueError, match="axes"):
        predict_volume(np.ones((2, 2, 2), np.float32), threshold_predictor, 2, axes=("depth",), progress=False)
