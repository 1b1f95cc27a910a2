"""Torch datasets of full-depth sections, and the padding collate function.

:class:`SectionDataset` reads one inline or crossline section per item from a
numpy array, a ``.npy`` memory map or an HDF5 volume, normalises it, applies
the augmentation and returns it with its labels. A DataLoader worker opens the
HDF5 file once, on its first item, and reads each section with one slice.

Sections differ in length (a crossline section cut to a block is shorter than
an inline section), so batches go through :func:`pad_collate`, which pads to a
common size the network accepts.

:func:`class_weights` and :func:`check_label_volume` live in the numpy-only
module :mod:`models.label_volumes` and are re-exported here.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import torch
from torch.utils.data import Dataset

from models.label_volumes import UNLABELLED, check_label_volume, class_weights
from models.normalization import RobustNormalizer
from models.splits import SectionRef
from models.volume_source import VolumeSource
from seismic.errors import InvalidInputError, ShapeMismatchError
from seismic.slicing import pad_reflect

__all__ = [
    "Augmentation",
    "SectionDataset",
    "WorkerRandomDataset",
    "pad_collate",
    "class_weights",
    "check_label_volume",
    "open_label_source",
    "worker_generator",
]

logger = logging.getLogger(__name__)

Augmentation = Callable[[np.ndarray, np.ndarray, np.random.Generator], tuple[np.ndarray, np.ndarray]]
"""An augmentation: ``(section, labels, rng) -> (section, labels)``, both ``(n_traces, n_samples)``."""


class WorkerRandomDataset(Dataset):
    """A dataset whose augmentation generator is seeded once per process.

    A forked DataLoader worker inherits the parent's generator, so each
    process replaces it by :func:`worker_generator` on first use, and pickling
    (for spawned workers) drops it.
    """

    _rng: np.random.Generator | None = None
    _rng_pid: int | None = None

    def generator(self) -> np.random.Generator:
        """Return this process's augmentation generator, seeded from ``torch.initial_seed()``."""
        if self._rng is None or self._rng_pid != os.getpid():
            self._rng = worker_generator()
            self._rng_pid = os.getpid()
        return self._rng

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state.update(_rng=None, _rng_pid=None)
        return state


class SectionDataset(WorkerRandomDataset):
    """Full-depth inline and crossline sections with their labels.

    Parameters
    ----------
    seismic : ndarray, h5py.Dataset, str or Path
        Amplitudes ``(n_inlines, n_crosslines, n_samples)``, or a ``.npy`` or
        HDF5 file opened lazily in each worker (see :class:`VolumeSource`).
    labels : ndarray, h5py.Dataset, str, Path or None
        Classes of the same shape, -1 for unlabelled, or None for unlabelled
        data (every label is then -1).
    sections : sequence of SectionRef
        The sections to serve, for example ``split.sections("train")``.
    normalizer : RobustNormalizer
        A fitted normaliser, applied to each section.
    augment : callable, optional
        ``augment(section, labels, rng) -> (section, labels)`` on numpy arrays
        of shape ``(n_traces, n_samples)``, for example
        :func:`models.augment.default_augmentation`.
    seismic_dataset : str, default="seismic"
        Dataset name when ``seismic`` is an HDF5 file.
    labels_dataset : str, default="labels"
        Dataset name when ``labels`` is an HDF5 file.

    Raises
    ------
    ShapeMismatchError
        If the label volume's shape differs from the seismic's.
    InvalidInputError
        If a section lies outside the volume or the normaliser is not fitted.

    Notes
    -----
    Item ``i`` is ``(x, y)``: ``x`` float32 of shape ``(1, n_traces,
    n_samples)``, ``y`` int64 of shape ``(n_traces, n_samples)`` with -1 for
    samples the loss ignores. Augmentations draw from a numpy generator that
    each process seeds once from ``torch.initial_seed()``. They repeat exactly
    when torch is seeded and the DataLoader gets the same generator.
    """

    def __init__(
        self,
        seismic: Any,
        labels: Any,
        sections: Sequence[SectionRef],
        normalizer: RobustNormalizer,
        augment: Augmentation | None = None,
        seismic_dataset: str = "seismic",
        labels_dataset: str = "labels",
    ) -> None:
        self.seismic = VolumeSource(seismic, seismic_dataset)
        self.labels = open_label_source(labels, labels_dataset, self.seismic)
        if not normalizer.is_fitted:
            raise InvalidInputError("the normaliser is not fitted; call RobustNormalizer.fit() on the training traces")
        self.normalizer = normalizer
        self.augment = augment
        self.sections = list(sections)
        _check_sections(self.sections, self.seismic.shape)

    def __len__(self) -> int:
        return len(self.sections)

    def __getitem__(self, item: int) -> tuple[torch.Tensor, torch.Tensor]:
        ref = self.sections[item]
        index = ref.volume_index()
        section = self.normalizer.transform(self.seismic[index])
        if self.labels is None:
            labels = np.full(section.shape, UNLABELLED, dtype=np.int64)
        else:
            labels = self.labels[index].astype(np.int64)

        if self.augment is not None:
            section, labels = self.augment(section, labels, self.generator())

        x = torch.from_numpy(np.ascontiguousarray(section, dtype=np.float32)[None])
        y = torch.from_numpy(np.ascontiguousarray(labels, dtype=np.int64))
        return x, y

def worker_generator() -> np.random.Generator:
    """Return a numpy generator seeded from torch's seed in this process.

    In a DataLoader worker, torch seeds each worker differently and from the
    loader's generator, so workers draw different but reproducible augmentations.
    """
    return np.random.default_rng(torch.initial_seed())


def open_label_source(labels: Any, dataset: str, seismic: VolumeSource) -> VolumeSource | None:
    """Open a label volume lazily and check its shape against the seismic.

    Returns None when ``labels`` is None.

    Raises
    ------
    ShapeMismatchError
        If the shapes differ; the message names both.
    """
    if labels is None:
        return None
    source = VolumeSource(labels, dataset)
    if source.shape != seismic.shape:
        raise ShapeMismatchError(
            f"label volume {source.describe()} has shape {source.shape} but seismic {seismic.describe()} "
            f"has {seismic.shape} (inlines x crosslines x samples); give labels on the seismic's grid"
        )
    return source


def _check_sections(sections: Sequence[SectionRef], shape: tuple[int, ...]) -> None:
    n_inlines, n_crosslines = shape[0], shape[1]
    for ref in sections:
        axis_size, trace_count = (n_inlines, n_crosslines) if ref.axis == "inline" else (n_crosslines, n_inlines)
        if not (0 <= ref.index < axis_size and ref.stop <= trace_count):
            raise InvalidInputError(
                f"section {ref} lies outside the volume of shape {shape}; build the sections for this volume"
            )


def pad_collate(
    batch: Sequence[tuple[torch.Tensor, torch.Tensor]],
    multiple: int = 8,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Stack sections of different sizes into one padded batch.

    Each section is padded at its end (last traces, last samples) to the
    batch's largest height and width, rounded up to ``multiple``: amplitudes
    by mirroring about the edge, labels with -1 so the loss ignores the padding.

    Parameters
    ----------
    batch : sequence of (x, y)
        ``x`` of shape ``(channels, height, width)``, ``y`` of shape ``(height, width)``.
    multiple : int, default=8
        The network's size multiple (``models.networks.pad_multiple``).

    Returns
    -------
    x : Tensor of shape (batch, channels, H, W)
    y : Tensor of int64, shape (batch, H, W)
        The original section ``i`` is ``x[i, :, :h_i, :w_i]``.
    """
    if multiple < 1:
        raise InvalidInputError(f"invalid multiple {multiple}; give an integer of at least 1")
    if len(batch) == 0:
        raise InvalidInputError("cannot collate an empty batch")
    height = _round_up(max(x.shape[-2] for x, _ in batch), multiple)
    width = _round_up(max(x.shape[-1] for x, _ in batch), multiple)

    xs, ys = [], []
    for x, y in batch:
        pad_h, pad_w = height - x.shape[-2], width - x.shape[-1]
        if pad_h or pad_w:
            x = torch.from_numpy(pad_reflect(x.numpy(), [(0, 0), (0, pad_h), (0, pad_w)]))
            y = torch.nn.functional.pad(y, (0, pad_w, 0, pad_h), value=UNLABELLED)
        xs.append(x)
        ys.append(y)
    return torch.stack(xs), torch.stack(ys)


def _round_up(value: int, multiple: int) -> int:
    return -(-value // multiple) * multiple
