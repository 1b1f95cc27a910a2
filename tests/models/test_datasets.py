"""Tests of the section, patch, cube and slice datasets, the collate function and class weights."""

import h5py
import numpy as np
import pytest
import torch
from torch.utils.data import DataLoader

from models.augment import FlipTraces, default_augmentation
from models.datasets import SectionDataset, check_label_volume, class_weights, pad_collate
from models.label_volumes import class_counts
from models.normalization import RobustNormalizer
from models.sampling import CubeRef, PatchRef, SliceRef, cube_refs, patch_refs
from models.splits import SectionRef, split_inline_blocks
from models.window_datasets import CubeDataset, PatchDataset, SliceDataset
from seismic.errors import InvalidInputError, ShapeMismatchError

SHAPE = (12, 9, 20)


@pytest.fixture
def seismic():
    """Amplitudes encoding position: 1000 * inline + 10 * crossline + sample / 100."""
    il, xl, sample = np.meshgrid(*(np.arange(size) for size in SHAPE), indexing="ij")
    return (1000.0 * il + 10.0 * xl + sample / 100.0).astype(np.float32)


@pytest.fixture
def labels():
    """Class = inline index modulo 3, with inline 5 unlabelled."""
    values = np.broadcast_to((np.arange(SHAPE[0]) % 3)[:, None, None], SHAPE).astype(np.int16).copy()
    values[5] = -1
    return values


@pytest.fixture
def identity():
    """A normaliser that leaves amplitudes unchanged (centre 0, scale 1, no clip)."""
    return RobustNormalizer.from_dict(
        {
            "method": "robust_percentile",
            "low_percentile": 1.0,
            "high_percentile": 99.0,
            "clip": False,
            "flip_polarity": False,
            "center": 0.0,
            "scale": 1.0,
        }
    )


@pytest.fixture
def h5_path(tmp_path, seismic, labels):
    path = tmp_path / "survey.h5"
    with h5py.File(path, "w") as handle:
        handle.create_dataset("seismic", data=seismic, chunks=(4, 4, 20))
        handle.create_dataset("labels", data=labels, chunks=(4, 4, 20))
    return path


class TestSectionDataset:
    def test_inline_item(self, seismic, labels, identity):
        dataset = SectionDataset(seismic, labels, [SectionRef("inline", 4, 2, 7)], identity)
        x, y = dataset[0]
        assert x.shape == (1, 5, 20)
        assert x.dtype == torch.float32
        assert y.dtype == torch.int64
        assert x[0, 0, 3].item() == pytest.approx(4020.03)
        assert y.unique().tolist() == [1]

    def test_crossline_item(self, seismic, labels, identity):
        dataset = SectionDataset(seismic, labels, [SectionRef("crossline", 6, 3, 9)], identity)
        x, y = dataset[0]
        assert x.shape == (1, 6, 20)
        assert x[0, 1, 0].item() == pytest.approx(4060.0)
        assert y[:, 0].tolist() == [0, 1, -1, 0, 1, 2]

    def test_normalizer_applied(self, seismic, labels):
        normalizer = RobustNormalizer(0.0, 100.0, clip=False).fit(seismic)
        dataset = SectionDataset(seismic, labels, [SectionRef("inline", 0, 0, 9)], normalizer)
        expected = normalizer.transform(seismic[0])
        np.testing.assert_allclose(dataset[0][0][0].numpy(), expected)

    def test_without_labels_all_ignored(self, seismic, identity):
        dataset = SectionDataset(seismic, None, [SectionRef("inline", 0, 0, 9)], identity)
        assert (dataset[0][1] == -1).all()

    def test_hdf5_matches_array(self, h5_path, seismic, labels, identity):
        sections = split_inline_blocks(12, 9, gap=1).sections("train")
        from_file = SectionDataset(str(h5_path), h5_path, sections, identity)
        from_array = SectionDataset(seismic, labels, sections, identity)
        for item in (0, len(sections) - 1):
            torch.testing.assert_close(from_file[item][0], from_array[item][0])
            torch.testing.assert_close(from_file[item][1], from_array[item][1])

    def test_npy_memory_map(self, tmp_path, seismic, labels, identity):
        np.save(tmp_path / "seismic.npy", seismic)
        np.save(tmp_path / "labels.npy", labels)
        dataset = SectionDataset(
            tmp_path / "seismic.npy", tmp_path / "labels.npy", [SectionRef("crossline", 2, 0, 12)], identity
        )
        torch.testing.assert_close(dataset[0][0][0], torch.from_numpy(seismic[:, 2, :]))

    @pytest.mark.slow
    def test_workers_read_hdf5(self, h5_path, seismic, labels, identity):
        sections = split_inline_blocks(12, 9, gap=1).sections("train")
        dataset = SectionDataset(h5_path, h5_path, sections, identity)
        loader = DataLoader(dataset, batch_size=4, num_workers=2, collate_fn=pad_collate)
        reference = DataLoader(SectionDataset(seismic, labels, sections, identity), batch_size=4,
                               collate_fn=pad_collate)
        n_batches = 0
        for (x, y), (x_ref, y_ref) in zip(loader, reference):
            torch.testing.assert_close(x, x_ref)
            torch.testing.assert_close(y, y_ref)
            n_batches += 1
        assert n_batches == -(-len(sections) // 4)

    def test_augmentation_repeats_under_seed(self, seismic, labels, identity):
        sections = [SectionRef("inline", 1, 0, 9), SectionRef("crossline", 3, 0, 12)]

        def run():
            torch.manual_seed(11)
            dataset = SectionDataset(seismic, labels, sections, identity, augment=default_augmentation())
            return [dataset[item] for item in range(2)] + [dataset[item] for item in range(2)]

        for (x1, y1), (x2, y2) in zip(run(), run()):
            torch.testing.assert_close(x1, x2)
            torch.testing.assert_close(y1, y2)

    def test_labels_follow_flip(self, seismic, labels, identity):
        dataset = SectionDataset(seismic, labels, [SectionRef("crossline", 0, 0, 12)], identity,
                                 augment=FlipTraces(p=1.0))
        x, y = dataset[0]
        assert x[0, 0, 0].item() == pytest.approx(11000.0)
        assert y[0, 0].item() == 2  # inline 11 % 3

    def test_label_shape_mismatch_rejected(self, seismic, labels, identity):
        with pytest.raises(ShapeMismatchError, match=r"\(11, 9, 20\).*\(12, 9, 20\)"):
            SectionDataset(seismic, labels[:-1], [], identity)

    def test_section_outside_volume_rejected(self, seismic, identity):
        with pytest.raises(InvalidInputError, match="outside"):
            SectionDataset(seismic, None, [SectionRef("crossline", 9, 0, 12)], identity)

    def test_unfitted_normalizer_rejected(self, seismic):
        with pytest.raises(InvalidInputError, match="not fitted"):
            SectionDataset(seismic, None, [], RobustNormalizer())

    def test_missing_hdf5_dataset_rejected(self, h5_path, identity):
        with pytest.raises(InvalidInputError, match="amplitude"):
            SectionDataset(h5_path, None, [], identity, seismic_dataset="amplitude")


class TestPadCollate:
    def test_pads_to_multiple(self):
        x1 = torch.arange(18 * 75, dtype=torch.float32).reshape(1, 18, 75)
        x2 = torch.arange(12 * 75, dtype=torch.float32).reshape(1, 12, 75)
        y1 = torch.zeros(18, 75, dtype=torch.int64)
        y2 = torch.ones(12, 75, dtype=torch.int64)
        x, y = pad_collate([(x1, y1), (x2, y2)])
        assert x.shape == (2, 1, 24, 80)
        assert y.shape == (2, 24, 80)
        torch.testing.assert_close(x[1, :, :12, :75], x2)
        assert (y[1, 12:, :] == -1).all()
        assert (y[1, :, 75:] == -1).all()
        assert (y[1, :12, :75] == 1).all()

    def test_amplitudes_mirrored(self):
        x = torch.tensor([[[1.0, 2.0, 3.0]]])  # one trace of three samples
        padded, _ = pad_collate([(x, torch.zeros(1, 3, dtype=torch.int64))], multiple=4)
        assert padded.shape == (1, 1, 4, 4)
        assert padded[0, 0, 0].tolist() == [1.0, 2.0, 3.0, 2.0]
        assert padded[0, 0, 1].tolist() == [1.0, 2.0, 3.0, 2.0]

    def test_no_padding_needed(self):
        x = torch.randn(1, 8, 16)
        out, _ = pad_collate([(x, torch.zeros(8, 16, dtype=torch.int64))])
        torch.testing.assert_close(out[0], x)


class TestClassWeights:
    def test_hand_computed(self):
        labels = np.array([0, 0, 0, 1, -1, -1], dtype=np.int16).reshape(1, 1, 6)
        weights = class_weights(labels, np.ones((1, 1), dtype=bool), 3)
        # 4 labelled samples, 2 present classes: 4 / (2 * 3) and 4 / (2 * 1); class 2 absent.
        np.testing.assert_allclose(weights, [2 / 3, 2.0, 0.0], rtol=1e-6)
        assert weights.dtype == np.float32

    def test_absent_class_finite(self, labels):
        weights = class_weights(labels, np.ones(SHAPE[:2], dtype=bool), 6)
        assert np.isfinite(weights).all()
        assert weights[3:].tolist() == [0.0, 0.0, 0.0]

    def test_training_split_only(self):
        values = np.zeros((10, 2, 4), dtype=np.int16)
        values[8:] = 1  # class 1 lies only in the test block
        split = split_inline_blocks(10, 2, test_fraction=0.2, val_fraction=0.0, gap=1)
        weights = class_weights(values, split.sections("train"), 2)
        assert weights.tolist() == [1.0, 0.0]

    def test_sections_and_mask_agree(self, labels):
        split = split_inline_blocks(12, 9, gap=1)
        from_sections = class_counts(labels, split.sections("train"), 3)
        from_mask = class_counts(labels, split.mask("train", SHAPE), 3)
        np.testing.assert_array_equal(from_sections, from_mask)

    def test_max_weight_caps(self):
        labels = np.array([0] * 99 + [1], dtype=np.int16).reshape(1, 1, 100)
        weights = class_weights(labels, np.ones((1, 1), dtype=bool), 2, max_weight=10.0)
        assert weights[1] == 10.0

    def test_hdf5_labels(self, h5_path, labels):
        mask = np.ones(SHAPE[:2], dtype=bool)
        with h5py.File(h5_path, "r") as handle:
            from_file = class_weights(handle["labels"], mask, 3)
        np.testing.assert_array_equal(from_file, class_weights(labels, mask, 3))

    def test_label_beyond_classes_rejected(self, labels):
        with pytest.raises(InvalidInputError, match="outside 0 to 1"):
            class_weights(labels, np.ones(SHAPE[:2], dtype=bool), 2)

    def test_no_labelled_sample_rejected(self):
        with pytest.raises(InvalidInputError, match="no labelled"):
            class_weights(np.full((2, 2, 3), -1), np.ones((2, 2), dtype=bool), 2)


class TestCheckLabelVolume:
    def test_valid_returns_class_count(self, labels):
        assert check_label_volume(SHAPE, labels, 6) == 3

    def test_one_inline_short_names_both_shapes(self, labels):
        with pytest.raises(ShapeMismatchError, match=r"\(11, 9, 20\).*\(12, 9, 20\)"):
            check_label_volume(SHAPE, labels[1:])

    def test_class_count_mismatch_names_both_counts(self, labels):
        with pytest.raises(InvalidInputError, match="3 classes.*model has 2"):
            check_label_volume(SHAPE, labels, 2)

    def test_below_minus_one_rejected(self, labels):
        labels[0, 0, 0] = -3
        with pytest.raises(InvalidInputError, match="-3"):
            check_label_volume(SHAPE, labels)

    def test_whole_floats_accepted(self, labels):
        assert check_label_volume(SHAPE, labels.astype(np.float32), 3) == 3

    def test_fractional_floats_rejected(self, labels):
        values = labels.astype(np.float32)
        values[2, 0, 0] = 0.5
        with pytest.raises(InvalidInputError, match="whole number"):
            check_label_volume(SHAPE, values)

    def test_all_unlabelled_rejected(self):
        with pytest.raises(InvalidInputError, match="no labelled"):
            check_label_volume((2, 2, 2), np.full((2, 2, 2), -1))


class TestSparseLabels:
    def test_loss_ignores_unlabelled(self, seismic, identity):
        sparse = np.full(SHAPE, -1, dtype=np.int16)
        sparse[3, :, :10] = 1  # one inline, upper half annotated
        dataset = SectionDataset(seismic, sparse, [SectionRef("inline", 3, 0, 9), SectionRef("inline", 4, 0, 9)],
                                 identity)
        _, y = pad_collate([dataset[0], dataset[1]])
        logits = torch.randn(2, 2, *y.shape[1:], requires_grad=True)
        loss = torch.nn.functional.cross_entropy(logits, y, ignore_index=-1)

        labelled = y != -1
        manual = -torch.log_softmax(logits, dim=1)[:, 1][labelled].mean()
        torch.testing.assert_close(loss, manual)

        loss.backward()
        assert (logits.grad[1] == 0).all()  # inline 4 has no label
        assert (logits.grad[0, :, :, 10:] == 0).all()

    def test_sparse_class_weights(self):
        sparse = np.full((4, 3, 5), -1, dtype=np.int16)
        sparse[:, 1, :] = 0
        sparse[:, 1, 4] = 2
        weights = class_weights(sparse, np.ones((4, 3), dtype=bool), 3)
        # 16 samples of class 0 and 4 of class 2: 20 / (2 * 16) and 20 / (2 * 4).
        np.testing.assert_allclose(weights, [0.625, 0.0, 2.5])


class TestWindowDatasets:
    def test_patch_inside_section(self, seismic, labels, identity):
        patch = PatchRef(SectionRef("inline", 2, 1, 9), trace_start=2, sample_start=5, n_traces=3, n_samples=4)
        x, y = PatchDataset(seismic, labels, [patch], identity)[0]
        assert x.shape == (1, 3, 4)
        assert x[0, 0, 0].item() == pytest.approx(2030.05)
        assert (y == 2).all()

    def test_patch_padded_at_block_end(self, seismic, labels, identity):
        # A crossline section cut to inlines 0-3: a 6-trace patch must not read inline 4.
        patch = PatchRef(SectionRef("crossline", 1, 0, 4), trace_start=0, sample_start=0, n_traces=6, n_samples=20)
        x, y = PatchDataset(seismic, labels, [patch], identity)[0]
        assert x.shape == (1, 6, 20)
        assert y[:, 0].tolist() == [0, 1, 2, 0, -1, -1]
        # Mirrored about inline 3: inline 2, then inline 1.
        assert x[0, 4, 0].item() == pytest.approx(2010.0)
        assert x[0, 5, 0].item() == pytest.approx(1010.0)

    def test_patches_cover_train_sections(self, seismic, labels, identity):
        sections = split_inline_blocks(12, 9, gap=1).sections("train")
        dataset = PatchDataset(seismic, labels, patch_refs(sections, 20, (8, 8), (8, 8)), identity)
        shapes = {tuple(dataset[item][0].shape) for item in range(len(dataset))}
        assert shapes == {(1, 8, 8)}

    def test_cube_padded_past_volume(self, seismic, labels, identity):
        cube = CubeRef((10, 7, 18), (4, 4, 4), inline_stop=12)
        x, y = CubeDataset(seismic, labels, [cube], identity)[0]
        assert x.shape == (1, 4, 4, 4)
        assert y.shape == (4, 4, 4)
        assert (y[2:] == -1).all()
        assert (y[:2, 2:] == -1).all()
        assert (y[:, :, 2:] == -1).all()
        assert x[0, 1, 1, 1].item() == pytest.approx(11080.19)

    def test_cubes_of_block(self, seismic, labels, identity):
        cubes = cube_refs(SHAPE, (4, 4, 8), inlines=range(0, 6))
        dataset = CubeDataset(seismic, None, cubes, identity)
        assert all(dataset[item][0].shape == (1, 4, 4, 8) for item in range(len(dataset)))

    def test_time_slice_of_block(self, seismic, labels, identity):
        dataset = SliceDataset(seismic, labels, [SliceRef(7.0)], identity, inlines=range(0, 4))
        x, y = dataset[0]
        assert x.shape == (1, 4, 9)
        assert x[0, 3, 2].item() == pytest.approx(3020.07)
        assert y[:, 0].tolist() == [0, 1, 2, 0]

    def test_horizon_slice(self, seismic, labels, identity):
        horizon = np.full(SHAPE[:2], 3.5)
        horizon[0, 0] = np.nan
        dataset = SliceDataset(seismic, labels, [SliceRef(1.0, horizon=0)], identity, horizons=[horizon])
        x, y = dataset[0]
        assert x[0, 1, 1].item() == pytest.approx(1010.045)
        assert x[0, 0, 0].item() == 0.0
        assert y[0, 0].item() == -1
        assert y[1, 1].item() == 1

    def test_slice_names_missing_horizon(self, seismic, identity):
        with pytest.raises(InvalidInputError, match="horizon 0"):
            SliceDataset(seismic, None, [SliceRef(0.0, horizon=0)], identity)
