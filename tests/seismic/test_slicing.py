"""Tests of section, slice and window extraction."""

import h5py
import numpy as np
import pytest

from seismic.errors import InvalidInputError
from seismic.slicing import (
    crossline_section,
    extract_window,
    horizon_slice,
    inline_section,
    pad_reflect,
    section,
    time_slice,
    time_to_index,
)


@pytest.fixture
def volume():
    """Volume whose value encodes its position: 10000 * inline + 100 * crossline + sample."""
    il, xl, sample = np.meshgrid(np.arange(4), np.arange(5), np.arange(6), indexing="ij")
    return (10000 * il + 100 * xl + sample).astype(np.float32)


@pytest.fixture
def h5_volume(volume, tmp_path):
    path = tmp_path / "volume.h5"
    with h5py.File(path, "w") as handle:
        handle.create_dataset("seismic", data=volume, chunks=(2, 2, 6))
    with h5py.File(path, "r") as handle:
        yield handle["seismic"]


def test_inline_section_values(volume):
    out = inline_section(volume, 2)
    assert out.shape == (5, 6)
    assert out[3, 4] == 20304


def test_inline_section_trace_range(volume):
    out = inline_section(volume, 1, 2, 4)
    assert out.shape == (2, 6)
    assert out[0, 0] == 10200


def test_crossline_section_values(volume):
    out = crossline_section(volume, 3, 1, 3)
    assert out.shape == (2, 6)
    assert out[0, 5] == 10305
    assert out[1, 0] == 20300


def test_section_reads_h5py(h5_volume, volume):
    np.testing.assert_array_equal(section(h5_volume, "crossline", 4), volume[:, 4, :])
    np.testing.assert_array_equal(section(h5_volume, "inline", 0, 1, 3), volume[0, 1:3, :])


@pytest.mark.parametrize(
    "call",
    [
        lambda v: inline_section(v, 4),
        lambda v: inline_section(v, -1),
        lambda v: crossline_section(v, 0, 3, 3),
        lambda v: crossline_section(v, 0, 0, 5),
        lambda v: section(v, "diagonal", 0),
        lambda v: time_slice(v, 6),
    ],
)
def test_out_of_range_index_rejected(volume, call):
    with pytest.raises(InvalidInputError):
        call(volume)


def test_time_slice_values(volume):
    out = time_slice(volume, 3)
    assert out.shape == (4, 5)
    assert out[1, 2] == 10203


def test_time_to_index_interpolates():
    samples = np.array([100.0, 104.0, 108.0, 112.0])
    out = time_to_index(samples, [106.0, 100.0, 99.0, np.nan, 112.0])
    np.testing.assert_allclose(out[[0, 1, 4]], [1.5, 0.0, 3.0])
    assert np.isnan(out[2])
    assert np.isnan(out[3])


def test_horizon_slice_linear(volume):
    horizon = np.full((4, 5), 2.25)
    horizon[0, 0] = np.nan
    out = horizon_slice(volume, horizon)
    assert out[1, 2] == pytest.approx(10202.25)
    assert np.isnan(out[0, 0])


def test_horizon_slice_offset_and_edge(volume):
    horizon = np.full((4, 5), 1.0)
    horizon[3, 4] = 4.5
    out = horizon_slice(volume, horizon, offset=1.0, fill_value=-7.0)
    assert out[2, 1] == pytest.approx(20102.0)
    assert out[3, 4] == -7.0


def test_horizon_slice_nearest_for_classes(h5_volume):
    horizon = np.full((4, 5), 2.75)
    out = horizon_slice(h5_volume, horizon, interpolation="nearest", fill_value=-1)
    assert out[3, 1] == 30103


def test_horizon_slice_shape_rejected(volume):
    with pytest.raises(InvalidInputError, match=r"\(3, 5\)"):
        horizon_slice(volume, np.zeros((3, 5)))


def test_extract_window_inside(volume):
    out = extract_window(volume, (1, 2, 3), (2, 2, 2))
    assert out.shape == (2, 2, 2)
    assert out[1, 1, 1] == 20304


def test_extract_window_reflects_past_end(volume):
    out = extract_window(volume, (0, 0, 4), (1, 1, 4))
    # Samples 4, 5, then mirrored about sample 5: 4, 3.
    np.testing.assert_array_equal(out.ravel(), [4, 5, 4, 3])


def test_extract_window_constant_fill(volume):
    out = extract_window(volume, (3, 0, 0), (2, 1, 1), pad_mode="constant", fill_value=-1)
    np.testing.assert_array_equal(out.ravel(), [30000, -1])


def test_extract_window_start_outside_rejected(volume):
    with pytest.raises(InvalidInputError):
        extract_window(volume, (4, 0, 0), (1, 1, 1))


def test_pad_reflect_longer_than_axis():
    out = pad_reflect(np.array([0.0, 1.0, 2.0]), [(0, 5)])
    np.testing.assert_array_equal(out, [0, 1, 2, 1, 0, 1, 2, 1])


def test_pad_reflect_single_value_repeats():
    out = pad_reflect(np.array([[5.0]]), [(0, 2), (0, 1)])
    np.testing.assert_array_equal(out, np.full((3, 2), 5.0))
