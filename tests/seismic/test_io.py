"""Tests of loading volumes from SEG-Y, HDF5 and .npy, and of saving results as HDF5."""

from __future__ import annotations

from pathlib import Path

import h5py
import numpy as np
import pytest
import segyio

from seismic.errors import InputNotFoundError, InvalidInputError, ShapeMismatchError
from seismic.io import DatasetNotFoundError, UnknownFormatError, load_volume, save_volume_h5
from seismic.segy.writer import write_segy

F3 = Path(__file__).resolve().parents[2] / "data" / "f3.sgy"


class TestLoadSegy:
    def test_f3(self):
        volume = load_volume(F3)
        with segyio.open(F3) as f:
            cube = segyio.tools.cube(f)
        assert volume.kind == "segy"
        assert volume.shape == (23, 18, 75)
        assert volume.data.dtype == np.float32
        np.testing.assert_array_equal(volume.data, cube)
        assert volume.inlines[0] == 111
        assert volume.crosslines[-1] == 892
        assert volume.samples[0] == 4.0
        assert volume.live.all()
        assert volume.domain == "time"
        assert volume.unit == "ms"

    def test_hole_and_nan_hold_zero(self, tmp_path):
        volume = np.full((2, 3, 4), 7.0, dtype=np.float32)
        volume[0, 0, 1] = np.nan
        live = np.array([[True, True, True], [True, False, True]])
        path = write_segy(
            tmp_path / "hole.sgy", volume, inlines=[1, 2], crosslines=[1, 2, 3], samples=[0, 4, 8, 12], live=live
        )
        loaded = load_volume(path)
        assert loaded.live.tolist() == live.tolist()
        assert list(loaded.data[1, 1]) == [0.0] * 4
        assert list(loaded.data[0, 0]) == [7.0, 0.0, 7.0, 7.0]
        assert loaded.attrs["n_nonfinite"] == 1

    def test_header_bytes(self, tmp_path):
        volume = np.arange(2 * 3 * 2, dtype=np.float32).reshape(2, 3, 2)
        path = write_segy(
            tmp_path / "bytes.sgy",
            volume,
            inlines=[3, 4],
            crosslines=[7, 8, 9],
            samples=[0, 4],
            iline_byte=9,
            xline_byte=21,
        )
        loaded = load_volume(path, iline_byte=9, xline_byte=21)
        assert list(loaded.inlines) == [3, 4]
        np.testing.assert_array_equal(loaded.data, volume)


class TestLoadHdf5:
    def test_labels_by_default(self, tmp_path):
        labels = np.arange(24, dtype=np.int16).reshape(2, 3, 4) % 3 - 1
        save_volume_h5(
            tmp_path / "labels.h5",
            {"labels": labels},
            inlines=[10, 11],
            crosslines=[1, 2, 3],
            samples=[0.0, 2.0, 4.0, 6.0],
            attrs={"domain": "time", "unit": "ms"},
        )
        loaded = load_volume(tmp_path / "labels.h5")
        assert loaded.kind == "hdf5"
        assert loaded.data.dtype == np.int16
        np.testing.assert_array_equal(loaded.data, labels)
        assert list(loaded.inlines) == [10, 11]
        assert list(loaded.samples) == [0.0, 2.0, 4.0, 6.0]
        assert loaded.attrs["dataset"] == "labels"

    def test_seismic_preferred_and_named(self, tmp_path):
        seismic = np.ones((2, 2, 2), dtype=np.float32)
        labels = np.zeros((2, 2, 2), dtype=np.int16)
        save_volume_h5(
            tmp_path / "both.h5", {"labels": labels, "seismic": seismic}, inlines=[1, 2], crosslines=[1, 2], samples=[0, 1]
        )
        assert load_volume(tmp_path / "both.h5").data.dtype == np.float32
        assert load_volume(tmp_path / "both.h5", dataset="labels").data.dtype == np.int16

    def test_absent_dataset(self, tmp_path):
        save_volume_h5(
            tmp_path / "labels.h5", {"labels": np.zeros((1, 1, 2))}, inlines=[1], crosslines=[1], samples=[0, 1]
        )
        with pytest.raises(DatasetNotFoundError, match="no volume dataset 'seismic'; choose one of labels"):
            load_volume(tmp_path / "labels.h5", dataset="seismic")

    def test_four_dimensional_dataset_rejected(self, tmp_path):
        save_volume_h5(
            tmp_path / "p.h5",
            {"probabilities": np.full((2, 2, 3, 4), 0.25)},
            inlines=[1, 2],
            crosslines=[1, 2],
            samples=[0, 1, 2],
        )
        with pytest.raises(InvalidInputError, match=r"shape \(2, 2, 3, 4\)"):
            load_volume(tmp_path / "p.h5", dataset="probabilities")


class TestLoadNpy:
    def test_index_axes(self, tmp_path):
        data = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
        np.save(tmp_path / "v.npy", data)
        loaded = load_volume(tmp_path / "v.npy")
        assert loaded.kind == "npy"
        np.testing.assert_array_equal(loaded.data, data)
        assert list(loaded.inlines) == [0, 1]
        assert list(loaded.samples) == [0.0, 1.0, 2.0, 3.0]
        assert loaded.live.shape == (2, 3)
        assert loaded.domain == "index"

    def test_two_dimensions_rejected(self, tmp_path):
        np.save(tmp_path / "section.npy", np.zeros((3, 4)))
        with pytest.raises(InvalidInputError, match=r"shape \(3, 4\); a volume needs 3 dimensions"):
            load_volume(tmp_path / "section.npy")

    def test_not_numpy(self, tmp_path):
        path = tmp_path / "fake.npy"
        path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
        with pytest.raises(InvalidInputError, match="cannot read"):
            load_volume(path)

    def test_xarray_view(self, tmp_path):
        np.save(tmp_path / "v.npy", np.zeros((2, 3, 4), dtype=np.float32))
        array = load_volume(tmp_path / "v.npy").to_xarray()
        assert array.dims == ("iline", "xline", "samples")
        assert array.attrs["unit"] == "index"


class TestLoadErrors:
    def test_missing_file(self, tmp_path):
        with pytest.raises(InputNotFoundError, match="not found"):
            load_volume(tmp_path / "absent.sgy")

    def test_unknown_extension(self, tmp_path):
        path = tmp_path / "volume.zgy"
        path.write_bytes(bytes(10))
        with pytest.raises(UnknownFormatError, match=r"'\.zgy'.*\.sgy"):
            load_volume(path)

    def test_folder(self, tmp_path):
        with pytest.raises(InvalidInputError, match="is a folder"):
            load_volume(tmp_path)

    def test_dataset_for_segy(self):
        with pytest.raises(InvalidInputError, match="HDF5 files only"):
            load_volume(F3, dataset="seismic")

    def test_png_as_segy(self, tmp_path):
        path = tmp_path / "image.sgy"
        path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(4000))
        with pytest.raises(InvalidInputError):
            load_volume(path)


class TestSaveVolumeH5:
    def test_layout(self, tmp_path):
        confidence = np.linspace(0, 1, 12, dtype=np.float32).reshape(1, 3, 4)
        live = np.array([[True, False, True]])
        path = save_volume_h5(
            tmp_path / "confidence.h5",
            {"confidence": confidence},
            inlines=[7],
            crosslines=[1, 2, 3],
            samples=[100.0, 104.0, 108.0, 112.0],
            live=live,
            attrs={"domain": "time", "unit": "ms"},
        )
        with h5py.File(path, "r") as h5:
            assert sorted(h5) == ["confidence", "crossline", "inline", "live", "sample"]
            np.testing.assert_array_equal(h5["confidence"][...], confidence)
            assert h5["live"][...].tolist() == live.tolist()
            assert h5.attrs["unit"] == "ms"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["confidence.h5"]

    def test_shape_mismatch(self, tmp_path):
        with pytest.raises(ShapeMismatchError, match=r"\(1, 2, 3\)"):
            save_volume_h5(tmp_path / "x.h5", {"labels": np.zeros((1, 3, 3))}, inlines=[1], crosslines=[1, 2], samples=[0, 1, 2])
        assert list(tmp_path.iterdir()) == []

    def test_reserved_name(self, tmp_path):
        with pytest.raises(InvalidInputError, match="reserved"):
            save_volume_h5(tmp_path / "x.h5", {"live": np.zeros((1, 1, 1))}, inlines=[1], crosslines=[1], samples=[0])
