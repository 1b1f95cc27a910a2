"""Torch datasets of 2-D patches, 3-D cubes and plane-view slices.

The windows come from :mod:`models.sampling`. A window that passes the end of
its section, block or volume is padded: amplitudes by mirroring, and labels
with -1 so the loss ignores the padding. Like
:class:`models.datasets.SectionDataset`, each dataset opens ``.npy`` and HDF5
volumes lazily in each worker.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import torch

from models.datasets import Augmentation, WorkerRandomDataset, open_label_source
from models.label_volumes import UNLABELLED
from models.normalization import RobustNormalizer
from models.sampling import CubeRef, PatchRef, SliceRef
from models.volume_source import VolumeSource
from seismic.errors import InvalidInputError
from seismic.slicing import extract_window, horizon_slice, pad_reflect, time_slice

__all__ = ["PatchDataset", "CubeDataset", "SliceDataset"]


class _WindowDataset(WorkerRandomDataset):
    """Shared set-up: lazy volumes, the normaliser and a per-process generator."""

    def __init__(
        self,
        seismic: Any,
        labels: Any,
        normalizer: RobustNormalizer,
        seismic_dataset: str,
        labels_dataset: str,
    ) -> None:
        self.seismic = VolumeSource(seismic, seismic_dataset)
        self.labels = open_label_source(labels, labels_dataset, self.seismic)
        if not normalizer.is_fitted:
            raise InvalidInputError("the normaliser is not fitted; call RobustNormalizer.fit() on the training traces")
        self.normalizer = normalizer

    def _read(self, starts: tuple[int, ...], size: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
        section = extract_window(self.seismic.array, starts, size, pad_mode="reflect")
        if self.labels is None:
            labels = np.full(size, UNLABELLED, dtype=np.int64)
        else:
            labels = extract_window(self.labels.array, starts, size, pad_mode="constant", fill_value=UNLABELLED)
        return self.normalizer.transform(section), labels.astype(np.int64)


class PatchDataset(_WindowDataset):
    """2-D patches of sections.

    Parameters
    ----------
    seismic, labels : ndarray, h5py.Dataset, str, Path (labels also None)
        As for :class:`models.datasets.SectionDataset`.
    patches : sequence of PatchRef
        From :func:`models.sampling.patch_refs`.
    normalizer : RobustNormalizer
        A fitted normaliser.
    augment : callable, optional
        ``augment(patch, labels, rng) -> (patch, labels)``.
    seismic_dataset, labels_dataset : str
        HDF5 dataset names.

    Notes
    -----
    Item ``i`` is ``(x, y)``: ``x`` float32 ``(1, n_traces, n_samples)`` and
    ``y`` int64 ``(n_traces, n_samples)``, always at the patch size. A patch
    that passes the section's end is padded. Reads stop at the section's
    ``stop``, so a training patch never reads traces of another block.
    """

    def __init__(
        self,
        seismic: Any,
        labels: Any,
        patches: Sequence[PatchRef],
        normalizer: RobustNormalizer,
        augment: Augmentation | None = None,
        seismic_dataset: str = "seismic",
        labels_dataset: str = "labels",
    ) -> None:
        super().__init__(seismic, labels, normalizer, seismic_dataset, labels_dataset)
        self.patches = list(patches)
        self.augment = augment

    def __len__(self) -> int:
        return len(self.patches)

    def __getitem__(self, item: int) -> tuple[torch.Tensor, torch.Tensor]:
        patch = self.patches[item]
        ref = patch.section
        # Read only up to the section's own stop, then pad, so the patch stays inside its block.
        n_traces = min(patch.n_traces, ref.n_traces - patch.trace_start)
        first = ref.start + patch.trace_start
        if ref.axis == "inline":
            starts, size = (ref.index, first, patch.sample_start), (1, n_traces, patch.n_samples)
        else:
            starts, size = (first, ref.index, patch.sample_start), (n_traces, 1, patch.n_samples)
        section, labels = self._read(starts, size)
        section = section.reshape(n_traces, patch.n_samples)
        labels = labels.reshape(n_traces, patch.n_samples)
        if n_traces < patch.n_traces:
            extra = patch.n_traces - n_traces
            section = pad_reflect(section, [(0, extra), (0, 0)])
            labels = np.pad(labels, [(0, extra), (0, 0)], constant_values=UNLABELLED)

        if self.augment is not None:
            section, labels = self.augment(section, labels, self.generator())
        x = torch.from_numpy(np.ascontiguousarray(section, dtype=np.float32)[None])
        y = torch.from_numpy(np.ascontiguousarray(labels, dtype=np.int64))
        return x, y


class CubeDataset(_WindowDataset):
    """3-D cubes of the volume.

    Parameters
    ----------
    seismic, labels : ndarray, h5py.Dataset, str, Path (labels also None)
        As for :class:`models.datasets.SectionDataset`.
    cubes : sequence of CubeRef
        From :func:`models.sampling.cube_refs`.
    normalizer : RobustNormalizer
        A fitted normaliser.
    seismic_dataset, labels_dataset : str
        HDF5 dataset names.

    Notes
    -----
    Item ``i`` is ``(x, y)``: ``x`` float32 ``(1, n_inlines, n_crosslines,
    n_samples)`` of the cube size, ``y`` int64 of the same size without the
    channel. Inlines at or past ``CubeRef.inline_stop`` are padded, not read.
    """

    def __init__(
        self,
        seismic: Any,
        labels: Any,
        cubes: Sequence[CubeRef],
        normalizer: RobustNormalizer,
        seismic_dataset: str = "seismic",
        labels_dataset: str = "labels",
    ) -> None:
        super().__init__(seismic, labels, normalizer, seismic_dataset, labels_dataset)
        self.cubes = list(cubes)

    def __len__(self) -> int:
        return len(self.cubes)

    def __getitem__(self, item: int) -> tuple[torch.Tensor, torch.Tensor]:
        cube = self.cubes[item]
        inline, crossline, sample = cube.starts
        n_inlines = min(cube.size[0], cube.inline_stop - inline)
        cube_data, labels = self._read(cube.starts, (n_inlines, cube.size[1], cube.size[2]))
        if n_inlines < cube.size[0]:
            extra = [(0, cube.size[0] - n_inlines), (0, 0), (0, 0)]
            cube_data = pad_reflect(cube_data, extra)
            labels = np.pad(labels, extra, constant_values=UNLABELLED)
        x = torch.from_numpy(np.ascontiguousarray(cube_data, dtype=np.float32)[None])
        y = torch.from_numpy(np.ascontiguousarray(labels, dtype=np.int64))
        return x, y


class SliceDataset(_WindowDataset):
    """Plane-view slices: time/depth slices and slices along horizons.

    Parameters
    ----------
    seismic, labels : ndarray, h5py.Dataset, str, Path (labels also None)
        As for :class:`models.datasets.SectionDataset`.
    slices : sequence of SliceRef
        From :func:`models.sampling.slice_refs`.
    normalizer : RobustNormalizer
        A fitted normaliser.
    horizons : sequence of ndarray, optional
        Each of shape ``(n_inlines, n_crosslines)``: the horizon's fractional
        sample index per trace, NaN where it is not interpreted (see
        :func:`seismic.slicing.time_to_index`). Needed by horizon slices.
    inlines : range, optional
        Inline block to return (for example ``split.train_inlines``), so a
        training slice never shows test inlines. Default: every inline.
    seismic_dataset, labels_dataset : str
        HDF5 dataset names.

    Notes
    -----
    Item ``i`` is ``(x, y)``: ``x`` float32 ``(1, n_block_inlines,
    n_crosslines)``, ``y`` int64 ``(n_block_inlines, n_crosslines)``. Along a
    horizon, amplitudes are interpolated linearly and classes take the
    nearest sample; traces without the horizon get amplitude 0 and class -1.
    A time slice of an HDF5 volume chunked by traces reads the whole volume,
    so plane-view training is meant for in-memory or ``.npy`` volumes.
    """

    def __init__(
        self,
        seismic: Any,
        labels: Any,
        slices: Sequence[SliceRef],
        normalizer: RobustNormalizer,
        horizons: Sequence[np.ndarray] = (),
        inlines: range | None = None,
        seismic_dataset: str = "seismic",
        labels_dataset: str = "labels",
    ) -> None:
        super().__init__(seismic, labels, normalizer, seismic_dataset, labels_dataset)
        self.slices = list(slices)
        self.horizons = [np.asarray(horizon, dtype=np.float64) for horizon in horizons]
        self.inlines = range(self.seismic.shape[0]) if inlines is None else inlines
        grid = self.seismic.shape[:2]
        for ref in self.slices:
            if ref.horizon is not None and not 0 <= ref.horizon < len(self.horizons):
                raise InvalidInputError(
                    f"slice {ref} names horizon {ref.horizon} but {len(self.horizons)} horizons were given"
                )
        for number, horizon in enumerate(self.horizons):
            if horizon.shape != grid:
                raise InvalidInputError(
                    f"horizon {number} has shape {horizon.shape} but the volume has {grid} traces"
                )

    def __len__(self) -> int:
        return len(self.slices)

    def __getitem__(self, item: int) -> tuple[torch.Tensor, torch.Tensor]:
        ref = self.slices[item]
        rows = slice(self.inlines.start, self.inlines.stop)
        if ref.horizon is None:
            plane = time_slice(self.seismic.array, int(ref.sample))[rows]
            labels = (
                np.full(plane.shape, UNLABELLED, dtype=np.int64)
                if self.labels is None
                else time_slice(self.labels.array, int(ref.sample))[rows]
            )
            plane = self.normalizer.transform(plane)
        else:
            horizon = np.full(self.horizons[ref.horizon].shape, np.nan)
            horizon[rows] = self.horizons[ref.horizon][rows]
            plane = horizon_slice(self.seismic.array, horizon, ref.sample, interpolation="linear")[rows]
            missing = ~np.isfinite(plane)
            plane = self.normalizer.transform(plane)
            plane[missing] = 0.0
            if self.labels is None:
                labels = np.full(plane.shape, UNLABELLED, dtype=np.int64)
            else:
                labels = horizon_slice(
                    self.labels.array, horizon, ref.sample, interpolation="nearest", fill_value=UNLABELLED
                )[rows]
        x = torch.from_numpy(np.ascontiguousarray(plane, dtype=np.float32)[None])
        y = torch.from_numpy(np.ascontiguousarray(labels, dtype=np.int64))
        return x, y
