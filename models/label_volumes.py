"""Checks and class statistics of label volumes.

A label volume has the seismic's shape ``(n_inlines, n_crosslines,
n_samples)`` and contains a class index from 0 to ``n_classes - 1`` per sample,
or -1 where the sample is unlabelled. Sparse labels (only some inlines,
crosslines or slices annotated) are label volumes that are mostly -1; the
loss ignores -1, so they need no other handling.

This module imports numpy only.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import numpy as np

from models.splits import SectionRef
from seismic.errors import InvalidInputError, ShapeMismatchError

__all__ = ["UNLABELLED", "check_label_volume", "class_counts", "class_weights", "sections_mask"]

logger = logging.getLogger(__name__)

UNLABELLED = -1


def check_label_volume(seismic_shape: Sequence[int], labels: Any, n_classes: int | None = None) -> int:
    """Check that a label volume fits the seismic and the model.

    Parameters
    ----------
    seismic_shape : sequence of int
        Shape of the seismic volume, ``(n_inlines, n_crosslines, n_samples)``.
    labels : array-like of shape (n_inlines, n_crosslines, n_samples)
        Class per sample, -1 for unlabelled: a numpy array, a memory map or an
        h5py dataset (read one inline at a time). Floating-point values are
        accepted when they are whole numbers, as SEG-Y label volumes are often
        stored as floats.
    n_classes : int, optional
        Number of classes the model scores. When given, a class index of
        ``n_classes`` or more is an error.

    Returns
    -------
    int
        Number of classes the labels imply: the largest class index plus one.

    Raises
    ------
    ShapeMismatchError
        If the shapes differ; the message names both.
    InvalidInputError
        If a value is not a whole number, is below -1, or reaches
        ``n_classes`` (the message names both class counts), or if every
        sample is unlabelled.
    """
    seismic_shape = tuple(int(size) for size in seismic_shape)
    label_shape = tuple(int(size) for size in labels.shape)
    if label_shape != seismic_shape:
        raise ShapeMismatchError(
            f"label volume shape {label_shape} differs from seismic shape {seismic_shape} "
            "(inlines x crosslines x samples); give labels on the seismic's grid"
        )
    if n_classes is not None and n_classes < 1:
        raise InvalidInputError(f"invalid n_classes {n_classes}; give at least 1")

    low, high, n_labelled = np.inf, -np.inf, 0
    for inline in range(label_shape[0]):
        row = np.asarray(labels[inline])
        if row.dtype.kind == "f":
            finite = np.isfinite(row)
            if not finite.all() or np.any(row != np.round(row)):
                raise InvalidInputError(
                    f"invalid label value at inline index {inline}: not a whole number; "
                    "labels must be integer class indices, with -1 for unlabelled"
                )
        elif row.dtype.kind not in "iub":
            raise InvalidInputError(f"label volume has dtype {row.dtype}; give integer class indices")
        if row.size:
            low = min(low, row.min())
            high = max(high, row.max())
            n_labelled += int(np.count_nonzero(row != UNLABELLED))

    if low < UNLABELLED:
        raise InvalidInputError(
            f"invalid label value {int(low)}; class indices start at 0 and -1 marks unlabelled samples"
        )
    if n_labelled == 0:
        raise InvalidInputError("label volume contains no labelled sample (all -1); annotate at least one section")
    found = int(high) + 1
    if n_classes is not None and found > n_classes:
        raise InvalidInputError(
            f"labels hold {found} classes (0 to {found - 1}) but the model has {n_classes}; "
            f"set the number of classes to at least {found} or fix the labels"
        )
    return found


def sections_mask(sections: Sequence[SectionRef], grid: tuple[int, int]) -> np.ndarray:
    """Return the traces that any of ``sections`` covers.

    Parameters
    ----------
    sections : sequence of SectionRef
        The sections.
    grid : tuple of int
        ``(n_inlines, n_crosslines)``.

    Returns
    -------
    ndarray of bool, shape (n_inlines, n_crosslines)
    """
    mask = np.zeros(grid, dtype=bool)
    for ref in sections:
        mask[ref.volume_index()] = True
    return mask


def class_counts(labels: Any, mask_or_sections: np.ndarray | Sequence[SectionRef], n_classes: int) -> np.ndarray:
    """Count the labelled samples of each class in the selected traces.

    Parameters
    ----------
    labels : array-like of shape (n_inlines, n_crosslines, n_samples)
        Class per sample, -1 for unlabelled (numpy array or h5py dataset).
    mask_or_sections : ndarray of bool, shape (n_inlines, n_crosslines), or sequence of SectionRef
        The traces to count, for example ``split.mask("train", shape)`` or
        ``split.sections("train")``. A sample covered by two sections counts once.
    n_classes : int
        Number of classes.

    Returns
    -------
    ndarray of int64, shape (n_classes,)

    Raises
    ------
    InvalidInputError
        If a label in the selection is outside -1 to ``n_classes - 1``.
    """
    grid = tuple(int(size) for size in labels.shape[:2])
    if isinstance(mask_or_sections, np.ndarray):
        mask = np.asarray(mask_or_sections, dtype=bool)
        if mask.shape != grid:
            raise InvalidInputError(
                f"trace mask has shape {mask.shape} but the labels have {grid} traces; "
                "give a mask of shape (n_inlines, n_crosslines)"
            )
    else:
        mask = sections_mask(mask_or_sections, grid)

    counts = np.zeros(n_classes, dtype=np.int64)
    for inline in np.flatnonzero(mask.any(axis=1)):
        values = np.asarray(labels[int(inline)])[mask[inline]].astype(np.int64).ravel()
        values = values[values != UNLABELLED]
        if values.size and (values.min() < 0 or values.max() >= n_classes):
            bad = values.min() if values.min() < 0 else values.max()
            raise InvalidInputError(
                f"label value {bad} at inline index {inline} is outside 0 to {n_classes - 1}; "
                "check the labels against the number of classes"
            )
        counts += np.bincount(values, minlength=n_classes)
    return counts


def class_weights(
    labels: Any,
    mask_or_sections: np.ndarray | Sequence[SectionRef],
    n_classes: int,
    *,
    max_weight: float | None = None,
) -> np.ndarray:
    """Compute loss weights that balance the classes of the training split.

    The weight of class ``c`` is ``n_labelled / (n_present * count_c)``, so a
    class holding its fair share of the samples gets 1 and the weights of the
    present classes, multiplied by their counts, sum to the number of
    labelled samples. A class absent from the selection gets 0, never inf or NaN.

    Parameters
    ----------
    labels : array-like of shape (n_inlines, n_crosslines, n_samples)
        Class per sample, -1 for unlabelled.
    mask_or_sections : ndarray of bool or sequence of SectionRef
        The training traces, as in :func:`class_counts`.
    n_classes : int
        Number of classes the model scores.
    max_weight : float, optional
        Upper bound on any weight, for a class so rare that its weight would
        dominate the loss.

    Returns
    -------
    ndarray of float32, shape (n_classes,)

    Raises
    ------
    InvalidInputError
        If the selection contains no labelled sample or a label outside the classes.

    Examples
    --------
    >>> labels = np.array([0, 0, 0, 1, -1, -1], dtype=np.int16).reshape(1, 1, 6)
    >>> class_weights(labels, np.ones((1, 1), dtype=bool), 3).tolist()
    [0.6666666865348816, 2.0, 0.0]
    """
    counts = class_counts(labels, mask_or_sections, n_classes)
    total = int(counts.sum())
    if total == 0:
        raise InvalidInputError(
            "the training traces hold no labelled sample; annotate part of the training block or change the split"
        )
    present = counts > 0
    weights = np.zeros(n_classes, dtype=np.float64)
    weights[present] = total / (present.sum() * counts[present])
    if max_weight is not None:
        np.minimum(weights, max_weight, out=weights)

    absent = np.flatnonzero(~present)
    if absent.size:
        logger.warning(
            "Classes %s are absent from the training traces; they get loss weight 0",
            absent.tolist(),
        )
    return weights.astype(np.float32)
