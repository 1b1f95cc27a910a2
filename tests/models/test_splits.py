"""Tests of the spatial block split."""

import numpy as np
import pytest

from models.splits import BlockSplit, SectionRef, split_inline_blocks
from seismic.errors import InvalidInputError


def _reachable_traces(sections, grid):
    """Every (inline, crossline) cell that any of the sections shows."""
    cells = set()
    for ref in sections:
        for trace in range(ref.start, ref.stop):
            cells.add((ref.index, trace) if ref.axis == "inline" else (trace, ref.index))
    assert all(0 <= il < grid[0] and 0 <= xl < grid[1] for il, xl in cells)
    return cells


def test_default_layout_of_f3_cut():
    # 23 inlines: test round(4.6) = 5, validation round(2.3) = 2, two gaps of 2, train 12.
    split = split_inline_blocks(23, 18)
    assert split.train_inlines == range(0, 12)
    assert split.val_inlines == range(14, 16)
    assert split.test_inlines == range(18, 23)


def test_test_block_at_start_mirrors():
    split = split_inline_blocks(23, 18, test_position="start")
    assert split.test_inlines == range(0, 5)
    assert split.val_inlines == range(7, 9)
    assert split.train_inlines == range(11, 23)


def test_no_validation_block():
    split = split_inline_blocks(10, 4, test_fraction=0.3, val_fraction=0.0, gap=1)
    assert split.train_inlines == range(0, 6)
    assert len(split.val_inlines) == 0
    assert split.test_inlines == range(7, 10)
    assert split.sections("val") == []


@pytest.mark.parametrize("n_inlines, n_crosslines, gap", [(23, 18, 2), (30, 7, 0), (101, 13, 3), (9, 40, 1)])
@pytest.mark.parametrize("position", ["start", "end"])
def test_no_test_voxel_reachable_from_training(n_inlines, n_crosslines, gap, position):
    split = split_inline_blocks(n_inlines, n_crosslines, gap=gap, test_position=position)
    grid = (n_inlines, n_crosslines)
    train = _reachable_traces(split.sections("train"), grid)
    test = _reachable_traces(split.sections("test"), grid)
    val = _reachable_traces(split.sections("val"), grid)

    # A section contains every sample of its traces, so disjoint traces mean disjoint voxels.
    assert train.isdisjoint(test)
    assert train.isdisjoint(val)
    assert val.isdisjoint(test)
    test_inlines = set(split.test_inlines)
    assert not any(il in test_inlines for il, _ in train)


@pytest.mark.parametrize("position", ["start", "end"])
def test_gap_separates_blocks(position):
    split = split_inline_blocks(50, 5, gap=3, test_position=position)
    blocks = sorted([split.train_inlines, split.val_inlines, split.test_inlines], key=lambda block: block.start)
    for before, after in zip(blocks, blocks[1:]):
        assert after.start - before.stop == 3


def test_training_sections_cover_block():
    split = split_inline_blocks(23, 18)
    sections = split.sections("train")
    inlines = [ref for ref in sections if ref.axis == "inline"]
    crosslines = [ref for ref in sections if ref.axis == "crossline"]
    assert [ref.index for ref in inlines] == list(range(12))
    assert all((ref.start, ref.stop) == (0, 18) for ref in inlines)
    assert [ref.index for ref in crosslines] == list(range(18))
    assert all((ref.start, ref.stop) == (0, 12) for ref in crosslines)


def test_sections_for_one_axis():
    split = split_inline_blocks(23, 18)
    assert {ref.axis for ref in split.sections("test", axes=("crossline",))} == {"crossline"}


def test_live_mask_trims_and_drops_sections():
    split = split_inline_blocks(10, 6, test_fraction=0.2, val_fraction=0.0, gap=1)
    live = np.ones((10, 6), dtype=bool)
    live[:, 0] = False  # crossline 0 has no trace
    live[2, :] = False  # inline 2 has no trace
    live[0:3, 5] = False  # crossline 5 starts at inline 3
    sections = split.sections("train", live=live)
    assert SectionRef("inline", 2, 0, 6) not in sections
    assert SectionRef("inline", 0, 1, 5) in sections
    assert not any(ref.axis == "crossline" and ref.index == 0 for ref in sections)
    assert SectionRef("crossline", 5, 3, 7) in sections


def test_mask_marks_block():
    split = split_inline_blocks(10, 3, test_fraction=0.2, val_fraction=0.0, gap=1)
    mask = split.mask("test", (10, 3, 50))
    assert mask.shape == (10, 3)
    assert mask[8:].all()
    assert not mask[:8].any()


def test_mask_on_other_grid_rejected():
    split = split_inline_blocks(10, 3)
    with pytest.raises(InvalidInputError, match=r"\(10, 4\)"):
        split.mask("train", (10, 4, 5))


def test_dict_round_trip():
    split = split_inline_blocks(40, 9, gap=4, test_position="start")
    assert BlockSplit.from_dict(split.to_dict()) == split


def test_too_few_inlines_rejected():
    with pytest.raises(InvalidInputError, match="5 inlines"):
        split_inline_blocks(5, 10, gap=2)


@pytest.mark.parametrize(
    "options",
    [{"test_fraction": 1.0}, {"val_fraction": -0.1}, {"gap": -1}, {"test_position": "middle"}],
)
def test_invalid_options_rejected(options):
    with pytest.raises(InvalidInputError):
        split_inline_blocks(50, 10, **options)


def test_unknown_subset_rejected():
    with pytest.raises(InvalidInputError, match="holdout"):
        split_inline_blocks(50, 10).sections("holdout")


def test_section_ref_empty_range_rejected():
    with pytest.raises(InvalidInputError):
        SectionRef("inline", 0, 4, 4)
