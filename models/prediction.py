"""Predict a facies volume section by section with any network backend.

The volume is cut into full-depth inline sections and full-depth crossline
sections; the network scores each, and the class probabilities of the two
passes are averaged per voxel. The backend (torch or OpenVINO) is a callable
that maps a batch of sections to probabilities, so this module needs numpy
only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from tqdm.auto import tqdm

__all__ = ["SectionPredictor", "FaciesPrediction", "predict_volume", "pad_sections", "AXES"]

logger = logging.getLogger(__name__)

SectionPredictor = Callable[[np.ndarray], np.ndarray]
"""Map sections ``(batch, 1, height, width)`` float32 to probabilities ``(batch, n_classes, height, width)``."""

AXES = ("inline", "crossline")


@dataclass
class FaciesPrediction:
    """Class probabilities of a volume and what follows from them.

    Attributes
    ----------
    probabilities : ndarray of shape (n_inlines, n_crosslines, n_samples, n_classes)
        Averaged class probabilities, float32; 0 where the grid has no trace.
    facies : ndarray of shape (n_inlines, n_crosslines, n_samples)
        Most probable class, int16; -1 where the grid has no trace.
    confidence : ndarray of shape (n_inlines, n_crosslines, n_samples)
        Probability of the most probable class, float32.
    margin : ndarray of shape (n_inlines, n_crosslines, n_samples)
        Top-1 minus top-2 probability, float32: small values mark voxels
        whose class a small perturbation could flip.
    """

    probabilities: np.ndarray
    facies: np.ndarray
    confidence: np.ndarray
    margin: np.ndarray


def pad_sections(sections: np.ndarray, multiple: int) -> tuple[np.ndarray, tuple[int, int]]:
    """Pad the last two axes of ``sections`` up to a multiple of ``multiple``.

    Parameters
    ----------
    sections : ndarray of shape (batch, channels, height, width)
        Sections to pad.
    multiple : int
        The network's size multiple (``2 ** depth`` for a U-Net).

    Returns
    -------
    padded : ndarray of shape (batch, channels, padded_height, padded_width)
        Padded by reflection where the section is long enough, else by
        repeating the edge.
    size : tuple of int
        The original ``(height, width)``, to crop the output back.
    """
    height, width = sections.shape[-2:]
    pad_height = -height % multiple
    pad_width = -width % multiple
    if pad_height == 0 and pad_width == 0:
        return sections, (height, width)
    mode = "reflect" if pad_height < height and pad_width < width else "edge"
    widths = [(0, 0)] * (sections.ndim - 2) + [(0, pad_height), (0, pad_width)]
    return np.pad(sections, widths, mode=mode), (height, width)


def _section(seismic: np.ndarray, axis: str, index: int) -> np.ndarray:
    return seismic[index] if axis == "inline" else seismic[:, index]


def _accumulate(total: np.ndarray, axis: str, index: int, probabilities: np.ndarray) -> None:
    # probabilities: (n_classes, n_traces, n_samples) -> voxel-last layout.
    values = np.moveaxis(probabilities, 0, -1)
    if axis == "inline":
        total[index] += values
    else:
        total[:, index] += values


def predict_volume(
    seismic: np.ndarray,
    predict_batch: SectionPredictor,
    n_classes: int,
    *,
    pad_multiple: int = 8,
    batch_size: int = 8,
    axes: Sequence[str] = AXES,
    live: np.ndarray | None = None,
    progress: bool = True,
) -> FaciesPrediction:
    """Predict every voxel of a normalised volume from its sections.

    Parameters
    ----------
    seismic : ndarray of shape (n_inlines, n_crosslines, n_samples)
        Amplitudes already scaled by the run's normaliser, float32.
    predict_batch : SectionPredictor
        Backend that scores a batch of padded sections.
    n_classes : int
        Number of classes the backend returns.
    pad_multiple : int, default=8
        Height and width multiple the backend needs.
    batch_size : int, default=8
        Sections per backend call.
    axes : sequence of {"inline", "crossline"}, default=("inline", "crossline")
        Section directions whose probabilities are averaged.
    live : ndarray of shape (n_inlines, n_crosslines), optional
        False where the grid has no trace; those voxels get class -1.
    progress : bool, default=True
        Show a progress bar on stderr.

    Returns
    -------
    FaciesPrediction
    """
    if seismic.ndim != 3:
        raise ValueError(f"seismic must be (n_inlines, n_crosslines, n_samples), got shape {seismic.shape}")
    unknown = [axis for axis in axes if axis not in AXES]
    if unknown or not axes:
        raise ValueError(f"axes {list(axes)} are invalid; choose from {list(AXES)}")

    seismic = np.asarray(seismic, dtype=np.float32)
    total = np.zeros(seismic.shape + (n_classes,), dtype=np.float32)
    jobs = [(axis, index) for axis in axes for index in range(seismic.shape[0 if axis == "inline" else 1])]

    with tqdm(total=len(jobs), desc="predict sections", unit="section", disable=not progress) as bar:
        for axis in axes:
            axis_jobs = [job for job in jobs if job[0] == axis]
            for start in range(0, len(axis_jobs), batch_size):
                batch_jobs = axis_jobs[start : start + batch_size]
                batch = np.stack([_section(seismic, axis, index) for _, index in batch_jobs])[:, None]
                padded, (height, width) = pad_sections(batch, pad_multiple)
                probabilities = predict_batch(padded)[..., :height, :width]
                if probabilities.shape[1] != n_classes:
                    raise ValueError(
                        f"the backend returned {probabilities.shape[1]} classes but the model has {n_classes}"
                    )
                for (_, index), section_probabilities in zip(batch_jobs, probabilities):
                    _accumulate(total, axis, index, section_probabilities)
                bar.update(len(batch_jobs))

    total /= len(axes)
    return _summarise(total, live)


def _summarise(probabilities: np.ndarray, live: np.ndarray | None) -> FaciesPrediction:
    order = np.argsort(probabilities, axis=-1)
    top1 = np.take_along_axis(probabilities, order[..., -1:], axis=-1)[..., 0]
    top2 = np.take_along_axis(probabilities, order[..., -2:-1], axis=-1)[..., 0]
    facies = order[..., -1].astype(np.int16)
    confidence = top1.astype(np.float32)
    margin = (top1 - top2).astype(np.float32)

    if live is not None:
        dead = ~np.asarray(live, dtype=bool)
        facies[dead] = -1
        confidence[dead] = 0.0
        margin[dead] = 0.0
        probabilities[dead] = 0.0
    return FaciesPrediction(probabilities=probabilities, facies=facies, confidence=confidence, margin=margin)
