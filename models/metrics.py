"""Confusion matrix and segmentation scores for facies volumes.

Scores follow the usual semantic-segmentation definitions. With ``C[i, j]`` the
number of samples of true class ``i`` predicted as ``j``, ``t_i`` the row sums
(label counts) and ``p_j`` the column sums (prediction counts):

- pixel accuracy: ``sum_i C[i, i] / sum C``;
- class accuracy of class ``i``: ``C[i, i] / t_i``;
- IoU of class ``i``: ``C[i, i] / (t_i + p_i - C[i, i])``;
- mean IoU and mean class accuracy: averages over the classes present in the
  labels (``t_i > 0``), so a class that the held-out block lacks neither helps
  nor hurts;
- frequency-weighted IoU: ``sum_i (t_i / sum C) * IoU_i``.

numpy only, so the OpenVINO runtime can score without torch.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np

from seismic.errors import InvalidInputError, ShapeMismatchError

__all__ = ["confusion_matrix", "segmentation_scores", "DEFAULT_CHUNK_SIZE"]

logger = logging.getLogger(__name__)

DEFAULT_CHUNK_SIZE = 1 << 22
"""Samples counted per step: about 100 MB of temporaries for int64 inputs."""


def confusion_matrix(
    pred: np.ndarray,
    labels: np.ndarray,
    n_classes: int,
    ignore_index: int = -1,
    *,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> np.ndarray:
    """Count true against predicted classes, skipping unlabelled samples.

    The arrays are read ``chunk_size`` samples at a time, so a volume of 1e8
    voxels needs only the two inputs plus a few chunk-sized temporaries.

    Parameters
    ----------
    pred : ndarray of any shape
        Predicted classes, integers in ``[0, n_classes)`` or ``ignore_index``
        (no trace). Floats are accepted when every value is a whole number.
    labels : ndarray of the same shape as ``pred``
        True classes, integers in ``[0, n_classes)`` or ``ignore_index``
        (unlabelled).
    n_classes : int
        Number of classes, at least 1.
    ignore_index : int, default=-1
        Value marking a sample to skip, in either array.
    chunk_size : int, default=DEFAULT_CHUNK_SIZE
        Samples per step.

    Returns
    -------
    ndarray of shape (n_classes, n_classes), int64
        Rows are true classes and columns predicted classes.

    Raises
    ------
    ShapeMismatchError
        If ``pred`` and ``labels`` differ in shape.
    InvalidInputError
        If ``n_classes`` is below 1 or a value other than ``ignore_index`` lies
        outside ``[0, n_classes)`` or is not a whole number.

    Examples
    --------
    >>> confusion_matrix(np.array([0, 1, 1, -1]), np.array([0, 1, 0, 1]), 2).tolist()
    [[1, 1], [0, 1]]
    """
    pred = np.asarray(pred)
    labels = np.asarray(labels)
    if pred.shape != labels.shape:
        raise ShapeMismatchError(
            f"predictions of shape {pred.shape} and labels of shape {labels.shape} differ; "
            "give a prediction and labels of the same survey"
        )
    if int(n_classes) < 1:
        raise InvalidInputError(f"invalid number of classes {n_classes}; give at least 1")
    if chunk_size < 1:
        raise InvalidInputError(f"invalid chunk size {chunk_size}; give at least 1")
    n_classes = int(n_classes)

    counts = np.zeros(n_classes * n_classes, dtype=np.int64)
    if pred.size == 0:
        return counts.reshape(n_classes, n_classes)

    # nditer walks both arrays in the same order whatever their memory layout,
    # handing out aligned chunks without copying the whole volume.
    iterator = np.nditer(
        [pred, labels],
        flags=["external_loop", "buffered", "zerosize_ok"],
        op_flags=[["readonly"], ["readonly"]],
        buffersize=chunk_size,
        order="C",
    )
    for pred_chunk, label_chunk in iterator:
        pred_chunk = _as_class_ids(pred_chunk, "prediction")
        label_chunk = _as_class_ids(label_chunk, "label")
        keep = (pred_chunk != ignore_index) & (label_chunk != ignore_index)
        pred_chunk = pred_chunk[keep]
        label_chunk = label_chunk[keep]
        _check_range(pred_chunk, n_classes, "prediction")
        _check_range(label_chunk, n_classes, "label")
        counts += np.bincount(label_chunk * n_classes + pred_chunk, minlength=n_classes * n_classes)
    return counts.reshape(n_classes, n_classes)


def _as_class_ids(values: np.ndarray, kind: str) -> np.ndarray:
    if values.dtype.kind in "iub":
        return values.astype(np.int64, copy=False)
    if values.dtype.kind != "f":
        raise InvalidInputError(f"{kind} values of type {values.dtype} are not class numbers; give integer classes")
    whole = np.rint(values)
    bad = ~np.isfinite(values) | (whole != values)
    if bad.any():
        raise InvalidInputError(
            f"{kind} value {values[bad][0]} is not a class number; give whole-number classes (-1 for none)"
        )
    return whole.astype(np.int64)


def _check_range(values: np.ndarray, n_classes: int, kind: str) -> None:
    if values.size == 0:
        return
    low, high = int(values.min()), int(values.max())
    if low < 0 or high >= n_classes:
        bad = low if low < 0 else high
        raise InvalidInputError(
            f"{kind} class {bad} is outside 0..{n_classes - 1}; "
            f"give the number of classes that covers it, or mark unlabelled samples with -1"
        )


def segmentation_scores(confusion: np.ndarray) -> dict[str, Any]:
    """Compute accuracy and IoU scores from a confusion matrix.

    Parameters
    ----------
    confusion : ndarray of shape (n_classes, n_classes)
        Counts with rows as true classes and columns as predicted classes, as
        returned by :func:`confusion_matrix`.

    Returns
    -------
    dict
        Plain Python values, ready for JSON:

        - ``pixel_accuracy`` (float): fraction of labelled samples predicted right;
        - ``mean_class_accuracy`` (float): mean recall over the classes present
          in the labels;
        - ``fwiu`` (float): IoU weighted by each class's share of the labels;
        - ``miou`` (float): mean IoU over the classes present in the labels;
        - ``per_class_iou`` (list of float or None, indexed by class): None for a
          class absent from both labels and predictions, 0.0 for a class that
          is predicted but absent from the labels;
        - ``per_class_accuracy`` (list of float or None, indexed by class):
          None for a class absent from the labels;
        - ``support`` (list of int, indexed by class): labelled samples per class.

    Raises
    ------
    InvalidInputError
        If ``confusion`` is not square, has negative counts or counts nothing.
    """
    confusion = np.asarray(confusion)
    if confusion.ndim != 2 or confusion.shape[0] != confusion.shape[1]:
        raise InvalidInputError(
            f"confusion matrix of shape {confusion.shape} is not square; give (n_classes, n_classes)"
        )
    if (confusion < 0).any():
        raise InvalidInputError("confusion matrix has negative counts; give counts from confusion_matrix")
    confusion = confusion.astype(np.float64)
    total = confusion.sum()
    if total == 0:
        raise InvalidInputError("no labelled samples to score; check that the labels are not all -1")

    true_counts = confusion.sum(axis=1)
    predicted_counts = confusion.sum(axis=0)
    hits = np.diag(confusion)
    union = true_counts + predicted_counts - hits
    present = true_counts > 0

    with np.errstate(divide="ignore", invalid="ignore"):
        iou = np.where(union > 0, hits / union, np.nan)
        recall = np.where(present, hits / true_counts, np.nan)

    return {
        "pixel_accuracy": float(hits.sum() / total),
        "mean_class_accuracy": float(recall[present].mean()),
        "fwiu": float((true_counts[present] / total * iou[present]).sum()),
        "miou": float(iou[present].mean()),
        "per_class_iou": [None if np.isnan(value) else float(value) for value in iou],
        "per_class_accuracy": [None if np.isnan(value) else float(value) for value in recall],
        "support": [int(value) for value in true_counts],
    }
