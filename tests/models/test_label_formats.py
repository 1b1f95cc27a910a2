"""Label volumes in each supported format, laid out like the F3 Netherlands facies benchmark.

The benchmark ships seismic and labels as ``.npy`` arrays of shape
(inlines, crosslines, depth samples) with classes 0-5. The tests build tiny
volumes of that layout in each format, load them with
``seismic.io.load_volume`` and check them with ``check_label_volume``.
"""

import h5py
import numpy as np
import pytest
import segyio

from models.datasets import SectionDataset, check_label_volume, pad_collate
from models.normalization import RobustNormalizer
from models.splits import split_inline_blocks
from seismic.errors import InvalidInputError, ShapeMismatchError
from seismic.io import load_volume

SHAPE = (6, 5, 18)  # inlines x crosslines x depth samples
N_CLASSES = 6


@pytest.fixture
def labels():
    """Six facies stacked in depth, three samples each, as in the benchmark's layer cake."""
    facies = np.repeat(np.arange(N_CLASSES), 3).astype(np.int16)
    return np.broadcast_to(facies, SHAPE).copy()


@pytest.fixture
def seismic():
    return np.random.default_rng(0).normal(size=SHAPE).astype(np.float32)


def _write_segy(path, volume, sample_format):
    spec = segyio.spec()
    spec.ilines = list(range(100, 100 + SHAPE[0]))
    spec.xlines = list(range(300, 300 + SHAPE[1]))
    spec.samples = list(range(SHAPE[2]))
    spec.format = sample_format
    spec.sorting = segyio.TraceSortingFormat.INLINE_SORTING
    dtype = np.int32 if sample_format == 2 else np.float32
    with segyio.create(path, spec) as handle:
        trace = 0
        for il_index, inline in enumerate(spec.ilines):
            for xl_index, crossline in enumerate(spec.xlines):
                handle.header[trace] = {
                    segyio.TraceField.INLINE_3D: inline,
                    segyio.TraceField.CROSSLINE_3D: crossline,
                    segyio.TraceField.TRACE_SAMPLE_COUNT: SHAPE[2],
                    segyio.TraceField.TRACE_SAMPLE_INTERVAL: 4000,
                }
                handle.trace[trace] = volume[il_index, xl_index].astype(dtype)
                trace += 1
        handle.bin.update(hns=SHAPE[2], hdt=4000)


@pytest.mark.parametrize("sample_format", [2, 5], ids=["int32", "ieee-float"])
def test_segy_labels(tmp_path, seismic, labels, sample_format):
    labels[:, :, :2] = -1
    path = tmp_path / "labels.sgy"
    _write_segy(path, labels, sample_format)
    volume = load_volume(path)
    assert volume.shape == SHAPE
    np.testing.assert_array_equal(volume.data, labels)
    assert check_label_volume(seismic.shape, volume.data, N_CLASSES) == N_CLASSES


def test_hdf5_labels_with_axes(tmp_path, seismic, labels):
    path = tmp_path / "labels.h5"
    with h5py.File(path, "w") as handle:
        handle.create_dataset("labels", data=labels, chunks=(2, 2, SHAPE[2]))
        handle.create_dataset("inline", data=np.arange(100, 106))
        handle.create_dataset("crossline", data=np.arange(300, 305))
        handle.create_dataset("sample", data=np.arange(SHAPE[2]) * 4.0)
        handle.create_dataset("live", data=np.ones(SHAPE[:2], dtype=bool))
    volume = load_volume(path, dataset="labels")
    np.testing.assert_array_equal(volume.data, labels)
    assert volume.inlines.tolist() == list(range(100, 106))
    assert check_label_volume(seismic.shape, volume.data, N_CLASSES) == N_CLASSES


def test_hdf5_labels_bare(tmp_path, seismic, labels):
    path = tmp_path / "labels.h5"
    with h5py.File(path, "w") as handle:
        handle.create_dataset("labels", data=labels)
    volume = load_volume(path)
    assert check_label_volume(seismic.shape, volume.data, N_CLASSES) == N_CLASSES


def test_npy_benchmark_layout(tmp_path, seismic, labels):
    np.save(tmp_path / "train_seismic.npy", seismic)
    np.save(tmp_path / "train_labels.npy", labels.astype(np.uint8))
    seismic_volume = load_volume(tmp_path / "train_seismic.npy")
    label_volume = load_volume(tmp_path / "train_labels.npy")
    assert seismic_volume.shape == SHAPE
    assert check_label_volume(seismic_volume.shape, label_volume.data, N_CLASSES) == N_CLASSES

    # The same files serve sections for training straight from disk.
    normalizer = RobustNormalizer().fit(seismic_volume.data)
    sections = split_inline_blocks(SHAPE[0], SHAPE[1], test_fraction=0.2, val_fraction=0.0, gap=1).sections("train")
    dataset = SectionDataset(
        tmp_path / "train_seismic.npy", tmp_path / "train_labels.npy", sections, normalizer
    )
    x, y = pad_collate([dataset[0], dataset[len(dataset) - 1]])
    assert x.shape == (2, 1, 8, 24)
    assert y[0, 0, :SHAPE[2]].tolist() == np.repeat(np.arange(N_CLASSES), 3).tolist()


def test_labels_one_inline_short(tmp_path, seismic, labels):
    np.save(tmp_path / "labels.npy", labels[:-1])
    volume = load_volume(tmp_path / "labels.npy")
    with pytest.raises(ShapeMismatchError, match=r"\(5, 5, 18\).*\(6, 5, 18\)"):
        check_label_volume(seismic.shape, volume.data, N_CLASSES)


def test_labels_with_seventh_class(tmp_path, seismic, labels):
    labels[0, 0, 0] = 6
    path = tmp_path / "labels.sgy"
    _write_segy(path, labels, 2)
    with pytest.raises(InvalidInputError, match="7 classes.*model has 6"):
        check_label_volume(seismic.shape, load_volume(path).data, N_CLASSES)


def test_sparse_labels_in_every_format(tmp_path, seismic, labels):
    sparse = np.full(SHAPE, -1, dtype=np.int16)
    sparse[1] = labels[1]  # one annotated inline
    sparse[:, 3] = labels[:, 3]  # one annotated crossline
    sparse[:, :, 10] = labels[:, :, 10]  # one annotated depth slice
    np.save(tmp_path / "sparse.npy", sparse)
    with h5py.File(tmp_path / "sparse.h5", "w") as handle:
        handle.create_dataset("labels", data=sparse)
    _write_segy(tmp_path / "sparse.sgy", sparse, 2)

    for name in ("sparse.npy", "sparse.h5", "sparse.sgy"):
        volume = load_volume(tmp_path / name)
        np.testing.assert_array_equal(volume.data, sparse)
        assert check_label_volume(SHAPE, volume.data, N_CLASSES) == N_CLASSES
