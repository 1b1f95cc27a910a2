"""Tests of window starts and section, patch, cube and slice references."""

import itertools

import numpy as np
import pytest

from models.sampling import (
    CubeRef,
    SliceRef,
    cube_refs,
    patch_refs,
    section_refs,
    slice_refs,
    window_starts,
)
from models.splits import SectionRef
from seismic.errors import InvalidInputError


@pytest.mark.parametrize(
    "size, window, stride, expected",
    [
        (10, 4, 3, [0, 3, 6]),
        (11, 4, 3, [0, 3, 6, 7]),
        (3, 8, 4, [0]),
        (8, 8, 8, [0]),
        (9, 8, 8, [0, 1]),
        (75, 32, 32, [0, 32, 43]),
        (7, 1, 3, [0, 3, 6]),
        (8, 1, 3, [0, 3, 6, 7]),
    ],
)
def test_window_starts_hand_cases(size, window, stride, expected):
    assert window_starts(size, window, stride).tolist() == expected


def test_window_starts_cover_every_index():
    for size, window, stride in itertools.product(range(1, 30), range(1, 13), range(1, 13)):
        starts = window_starts(size, window, stride)
        covered = np.zeros(size, dtype=bool)
        for start in starts:
            covered[start : start + window] = True
        # A stride longer than the window samples sparsely but still reaches the last index.
        assert covered[-1], (size, window, stride)
        if stride <= window:
            assert covered.all(), (size, window, stride)
        assert starts[0] == 0
        assert starts.max() <= max(0, size - window)
        assert np.all(np.diff(starts) > 0)
        if window <= size:
            assert starts[-1] + window == size


@pytest.mark.parametrize("size, window, stride", [(0, 1, 1), (5, 0, 1), (5, 2, 0), (5, 2.5, 1)])
def test_window_starts_invalid_rejected(size, window, stride):
    with pytest.raises(InvalidInputError):
        window_starts(size, window, stride)


def test_section_refs_all_and_block():
    refs = section_refs((4, 3, 10))
    assert len(refs) == 7
    block = section_refs((10, 3, 10), inlines=range(2, 5))
    assert [ref.index for ref in block if ref.axis == "inline"] == [2, 3, 4]
    assert {(ref.start, ref.stop) for ref in block if ref.axis == "crossline"} == {(2, 5)}


def test_section_refs_skip_dead_sections():
    live = np.ones((3, 3), dtype=bool)
    live[1, :] = False
    live[:, 2] = False
    refs = section_refs((3, 3, 5), live=live)
    assert SectionRef("inline", 1, 0, 3) not in refs
    assert SectionRef("crossline", 2, 0, 3) not in refs
    assert len(refs) == 4


def test_patch_refs_cover_odd_sections():
    sections = [SectionRef("inline", 0, 0, 13), SectionRef("crossline", 2, 3, 8)]
    patches = patch_refs(sections, n_samples=21, patch_shape=(4, 8), stride=(3, 5))
    for ref in sections:
        covered = np.zeros((ref.n_traces, 21), dtype=bool)
        for patch in patches:
            if patch.section == ref:
                covered[patch.trace_start : patch.trace_start + 4, patch.sample_start : patch.sample_start + 8] = True
        assert covered.all()


def test_patch_larger_than_section_starts_at_zero():
    patches = patch_refs([SectionRef("crossline", 0, 0, 3)], n_samples=5, patch_shape=(8, 8))
    assert len(patches) == 1
    assert (patches[0].trace_start, patches[0].sample_start) == (0, 0)


def test_cube_refs_cover_block_and_stay_inside():
    shape = (20, 7, 11)
    block = range(3, 12)
    cubes = cube_refs(shape, (4, 4, 4), (3, 3, 3), inlines=block)
    covered = np.zeros(shape, dtype=bool)
    for cube in cubes:
        il, xl, sample = cube.starts
        assert il >= block.start
        assert il + 4 <= block.stop
        assert cube.inline_stop == block.stop
        covered[il : il + 4, xl : xl + 4, sample : sample + 4] = True
    assert covered[3:12].all()
    assert not covered[:3].any()
    assert not covered[12:].any()


def test_cube_larger_than_block():
    cubes = cube_refs((10, 4, 4), (8, 8, 8), inlines=range(6, 10))
    assert cubes == [CubeRef((6, 0, 0), (8, 8, 8), 10)]


def test_cube_refs_skip_dead_columns():
    live = np.zeros((8, 8), dtype=bool)
    live[0, 0] = True
    cubes = cube_refs((8, 8, 4), (4, 4, 4), live=live)
    assert [cube.starts for cube in cubes] == [(0, 0, 0)]


def test_slice_refs_include_last_sample_and_horizons():
    refs = slice_refs(10, stride=4, n_horizons=1, offsets=(-1.0, 2.0))
    assert [ref.sample for ref in refs if ref.horizon is None] == [0.0, 4.0, 8.0, 9.0]
    assert [ref for ref in refs if ref.horizon is not None] == [SliceRef(-1.0, 0), SliceRef(2.0, 0)]
