"""Tests of the confusion matrix and the segmentation scores."""

import tracemalloc

import numpy as np
import pytest

from models.metrics import confusion_matrix, segmentation_scores
from seismic.errors import InvalidInputError, ShapeMismatchError

# Ten samples: one unlabelled (label -1), one without a prediction (pred -1),
# and class 3 predicted once but never labelled.
LABELS = np.array([0, 0, 0, 1, 1, 2, 2, 2, -1, 0])
PRED = np.array([0, 0, 1, 1, 3, 2, 2, 0, 2, -1])

# Rows true class, columns predicted class, counted by hand from the pairs above.
EXPECTED_CONFUSION = [
    [2, 1, 0, 0],
    [0, 1, 0, 1],
    [1, 0, 2, 0],
    [0, 0, 0, 0],
]


def test_confusion_counts_by_hand():
    confusion = confusion_matrix(PRED, LABELS, 4)
    assert confusion.dtype == np.int64
    assert confusion.tolist() == EXPECTED_CONFUSION


def test_confusion_ignores_minus_one_in_either():
    confusion = confusion_matrix(PRED, LABELS, 4)
    assert confusion.sum() == 8


def test_confusion_custom_ignore_index():
    labels = np.where(LABELS == -1, 255, LABELS)
    pred = np.where(PRED == -1, 255, PRED)
    confusion = confusion_matrix(pred, labels, 4, ignore_index=255)
    assert confusion.tolist() == EXPECTED_CONFUSION


def test_scores_by_hand():
    scores = segmentation_scores(np.array(EXPECTED_CONFUSION))
    assert scores["pixel_accuracy"] == pytest.approx(5 / 8)
    # Recall 2/3, 1/2, 2/3 over the three labelled classes.
    assert scores["mean_class_accuracy"] == pytest.approx(11 / 18)
    # IoU 2/4, 1/3, 2/3; class 3 is absent from the labels, so left out of the mean.
    assert scores["miou"] == pytest.approx(0.5)
    # Weights 3/8, 2/8, 3/8.
    assert scores["fwiu"] == pytest.approx(3 / 8 * 0.5 + 2 / 8 / 3 + 3 / 8 * 2 / 3)
    assert scores["fwiu"] == pytest.approx(25 / 48)


def test_scores_per_class_lists():
    scores = segmentation_scores(np.array(EXPECTED_CONFUSION))
    assert scores["per_class_iou"] == pytest.approx([0.5, 1 / 3, 2 / 3, 0.0])
    assert scores["per_class_accuracy"][:3] == pytest.approx([2 / 3, 1 / 2, 2 / 3])
    assert scores["per_class_accuracy"][3] is None
    assert scores["support"] == [3, 2, 3, 0]


def test_scores_class_absent_everywhere_is_none():
    confusion = confusion_matrix(PRED, LABELS, 5)
    scores = segmentation_scores(confusion)
    assert scores["per_class_iou"][4] is None
    assert scores["per_class_iou"][3] == 0.0
    assert scores["miou"] == pytest.approx(0.5)


def test_scores_are_plain_python():
    scores = segmentation_scores(np.array(EXPECTED_CONFUSION))
    assert type(scores["miou"]) is float
    assert all(value is None or type(value) is float for value in scores["per_class_iou"])
    assert all(type(value) is int for value in scores["support"])


def test_perfect_prediction_scores_one():
    labels = np.array([[0, 1], [2, 2]])
    scores = segmentation_scores(confusion_matrix(labels, labels, 3))
    for key in ("pixel_accuracy", "mean_class_accuracy", "fwiu", "miou"):
        assert scores[key] == 1.0


@pytest.mark.parametrize("chunk_size", [1, 7, 1000, 1 << 22])
def test_chunked_equals_unchunked(chunk_size):
    rng = np.random.default_rng(0)
    labels = rng.integers(-1, 5, size=(9, 11, 13)).astype(np.int16)
    pred = rng.integers(-1, 5, size=labels.shape).astype(np.int64)
    expected = np.zeros((5, 5), dtype=np.int64)
    for true_class, predicted in zip(labels.ravel(), pred.ravel()):
        if true_class >= 0 and predicted >= 0:
            expected[true_class, predicted] += 1
    np.testing.assert_array_equal(confusion_matrix(pred, labels, 5, chunk_size=chunk_size), expected)


def test_non_contiguous_inputs():
    rng = np.random.default_rng(1)
    labels = rng.integers(-1, 3, size=(6, 7, 8))
    pred = rng.integers(-1, 3, size=(6, 7, 8))
    expected = confusion_matrix(pred, labels, 3)
    transposed = confusion_matrix(pred.transpose(2, 0, 1), labels.transpose(2, 0, 1), 3, chunk_size=5)
    strided = confusion_matrix(np.asfortranarray(pred), labels, 3, chunk_size=5)
    np.testing.assert_array_equal(transposed, expected)
    np.testing.assert_array_equal(strided, expected)


def test_memory_stays_bounded():
    labels = np.zeros(4_000_000, dtype=np.int8)
    pred = np.ones(4_000_000, dtype=np.int8)
    tracemalloc.start()
    try:
        confusion = confusion_matrix(pred, labels, 2, chunk_size=100_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert confusion[0, 1] == 4_000_000
    # An int64 copy of the whole input alone would take 32 MB.
    assert peak < 8_000_000


def test_whole_number_floats_accepted():
    confusion = confusion_matrix(PRED.astype(np.float32), LABELS.astype(np.float64), 4)
    assert confusion.tolist() == EXPECTED_CONFUSION


def test_fractional_float_rejected():
    with pytest.raises(InvalidInputError, match="0.5"):
        confusion_matrix(np.array([0.5, 1.0]), np.array([0, 1]), 2)


def test_nan_label_rejected():
    with pytest.raises(InvalidInputError, match="not a class number"):
        confusion_matrix(np.array([0, 1]), np.array([np.nan, 1.0]), 2)


def test_shape_mismatch_rejected():
    with pytest.raises(ShapeMismatchError, match=r"\(3,\).*\(4,\)"):
        confusion_matrix(np.zeros(3, int), np.zeros(4, int), 2)


def test_class_out_of_range_rejected():
    with pytest.raises(InvalidInputError, match="label class 4 is outside 0..3"):
        confusion_matrix(np.array([0, 1]), np.array([0, 4]), 4)
    with pytest.raises(InvalidInputError, match="prediction class -2"):
        confusion_matrix(np.array([0, -2]), np.array([0, 1]), 4)


def test_no_labelled_samples_rejected():
    confusion = confusion_matrix(np.array([0, 1]), np.array([-1, -1]), 2)
    assert confusion.sum() == 0
    with pytest.raises(InvalidInputError, match="no labelled samples"):
        segmentation_scores(confusion)


def test_non_square_confusion_rejected():
    with pytest.raises(InvalidInputError, match="not square"):
        segmentation_scores(np.zeros((2, 3)))
