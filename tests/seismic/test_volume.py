"""Tests of the HDF5 volume store and its xarray view."""

from __future__ import annotations

from pathlib import Path

import h5py
import numpy as np
import pytest

from seismic.errors import InputNotFoundError, InvalidInputError
from seismic.ingest import ingest_segy
from seismic.volume import VolumeStore, chunk_shape, open_volume, to_dataarray, write_axes

F3 = Path(__file__).resolve().parents[2] / "data" / "f3.sgy"


def write_store(path: Path, *, with_axes: bool = True) -> np.ndarray:
    """Write a 3 x 4 x 5 store whose samples are 100 x inline + crossline + sample index / 10."""
    inlines, crosslines = np.array([5, 6, 7]), np.array([20, 22, 24, 26])
    volume = (
        100 * inlines[:, None, None] + crosslines[None, :, None] + np.arange(5)[None, None, :] / 10
    ).astype(np.float32)
    with h5py.File(path, "w") as h5:
        h5.create_dataset("seismic", data=volume)
        if with_axes:
            live = np.ones((3, 4), dtype=bool)
            live[2, 0] = False
            write_axes(
                h5,
                inlines=inlines,
                crosslines=crosslines,
                samples=[200.0, 202.0, 204.0, 206.0, 208.0],
                live=live,
                attrs={"domain": "time", "unit": "ms"},
            )
    return volume


class TestChunkShape:
    @pytest.mark.parametrize(
        ("shape", "expected"),
        [
            ((651, 951, 462), (60, 64, 58)),
            ((200, 200, 500), (50, 50, 63)),
            ((64, 128, 65), (64, 64, 33)),
            ((3, 4, 5), (3, 4, 5)),
            ((100, 10, 10, 6), (50, 10, 10, 6)),
        ],
    )
    def test_even_split(self, shape, expected):
        assert chunk_shape(shape) == expected


class TestVolumeStore:
    def test_axes_and_sections(self, tmp_path):
        volume = write_store(tmp_path / "v.h5")
        with open_volume(tmp_path / "v.h5") as store:
            assert list(store.inlines) == [5, 6, 7]
            assert list(store.crosslines) == [20, 22, 24, 26]
            assert list(store.samples) == [200.0, 202.0, 204.0, 206.0, 208.0]
            assert store.live.sum() == 11
            assert store.domain == "time"
            assert store.unit == "ms"
            inline = store.read_inline(6)
            crossline = store.read_crossline(24)
            time_slice = store.read_slice(204.5)
        np.testing.assert_array_equal(inline, volume[1])
        assert inline[1, 2] == pytest.approx(622.2)
        assert crossline.shape == (3, 5)
        assert crossline[0, 0] == pytest.approx(524.0)
        assert time_slice.shape == (3, 4)
        assert time_slice[2, 3] == pytest.approx(726.2)

    def test_file_without_axes(self, tmp_path):
        write_store(tmp_path / "bare.h5", with_axes=False)
        with VolumeStore(tmp_path / "bare.h5") as store:
            assert list(store.inlines) == [0, 1, 2]
            assert list(store.samples) == [0.0, 1.0, 2.0, 3.0, 4.0]
            assert store.domain == "index"
            assert store.live.all()

    def test_unknown_inline(self, tmp_path):
        write_store(tmp_path / "v.h5")
        with open_volume(tmp_path / "v.h5") as store, pytest.raises(InvalidInputError, match="no inline 8"):
            store.read_inline(8)

    def test_missing_file(self, tmp_path):
        with pytest.raises(InputNotFoundError):
            open_volume(tmp_path / "absent.h5")

    def test_not_hdf5(self, tmp_path):
        path = tmp_path / "text.h5"
        path.write_text("inline,crossline\n")
        with pytest.raises(InvalidInputError, match="not an HDF5 file"):
            open_volume(path)

    def test_no_volume(self, tmp_path):
        with h5py.File(tmp_path / "flat.h5", "w") as h5:
            h5.create_dataset("table", data=np.zeros((4, 4)))
        with pytest.raises(InvalidInputError, match="has no 3D dataset"):
            open_volume(tmp_path / "flat.h5")


class TestXarray:
    def test_dims_coords_attrs(self, tmp_path):
        volume = write_store(tmp_path / "v.h5")
        with open_volume(tmp_path / "v.h5") as store:
            array = store.to_xarray()
        assert array.dims == ("iline", "xline", "samples")
        assert array.name == "seismic"
        assert list(array.coords["xline"].values) == [20, 22, 24, 26]
        assert array.coords["samples"].attrs["units"] == "ms"
        assert array.attrs["domain"] == "time"
        assert array.attrs["unit"] == "ms"
        assert float(array.sel(iline=7, xline=22, samples=206.0)) == pytest.approx(volume[2, 1, 3])

    def test_ingested_f3_has_coordinates(self, tmp_path):
        ingest_segy(F3, tmp_path / "f3.h5", progress=False)
        with open_volume(tmp_path / "f3.h5") as store:
            array = store.to_xarray()
        assert array.shape == (23, 18, 75)
        assert array.coords["cdp_x"].dims == ("iline", "xline")
        assert float(array.coords["samples"][0]) == 4.0

    def test_depth_volume(self):
        array = to_dataarray(
            np.zeros((2, 2, 3)), inlines=[1, 2], crosslines=[1, 2], samples=[1000, 1010, 1020], domain="depth", unit="m"
        )
        assert array.attrs["domain"] == "depth"
        assert array.coords["samples"].attrs["units"] == "m"

    def test_rejects_two_dimensions(self):
        with pytest.raises(InvalidInputError, match="3 dimensions"):
            to_dataarray(np.zeros((2, 2)), inlines=[1, 2], crosslines=[1, 2], samples=[0])
