"""Tests for the IR package folder format (package.json)."""

from __future__ import annotations

import json

import pytest

from fpga_inference.package import (
    FORMAT_VERSION,
    InvalidPackageError,
    PackageInfo,
    PackageNotFoundError,
    check_precision,
    read_package_info,
    write_package_info,
)
from seismic.errors import InputNotFoundError, InvalidInputError


def make_info(**changes) -> PackageInfo:
    values = dict(
        precision="int8",
        n_classes=4,
        class_table={"classes": [{"name": f"facies {index}"} for index in range(4)]},
        normalizer={"method": "robust_percentile", "center": 0.5, "scale": 12.0},
        pad_multiple=8,
        source_run="/runs/demo/run",
        openvino_version="2026.4.1",
        nncf_version="3.4.0",
        calibration={"n_sections": 120},
    )
    values.update(changes)
    return PackageInfo(**values)


def make_package(folder, info: PackageInfo | None = None):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "model.xml").write_text("<net/>")
    (folder / "model.bin").write_bytes(b"\0")
    write_package_info(folder, info or make_info())
    return folder


def test_round_trip_keeps_every_field(tmp_path):
    info = make_info()
    folder = make_package(tmp_path / "package", info)

    loaded = read_package_info(folder)

    assert loaded == info
    assert loaded.input_layout == "NCHW"
    assert loaded.format_version == FORMAT_VERSION


def test_json_has_contract_keys(tmp_path):
    folder = make_package(tmp_path / "package")

    values = json.loads((folder / "package.json").read_text())

    for key in ("precision", "n_classes", "class_table", "normalizer", "pad_multiple", "input_layout"):
        assert key in values
    for key in ("source_run", "openvino_version", "nncf_version"):
        assert key in values
    assert values["precision"] == "int8"
    assert values["input_layout"] == "NCHW"
    assert values["pad_multiple"] == 8


def test_unknown_keys_are_ignored(tmp_path):
    folder = make_package(tmp_path / "package")
    values = json.loads((folder / "package.json").read_text())
    values["written_by"] = "a later version"
    (folder / "package.json").write_text(json.dumps(values))

    assert read_package_info(folder).precision == "int8"


@pytest.mark.parametrize("text, expected", [("fp32", "fp32"), ("FP16", "fp16"), ("Int8", "int8")])
def test_check_precision_accepts_any_case(text, expected):
    assert check_precision(text) == expected


@pytest.mark.parametrize("text", ["int4", "float32", ""])
def test_check_precision_rejects_unknown(text):
    with pytest.raises(InvalidInputError, match="fp32, fp16, int8"):
        check_precision(text)


def test_missing_folder_raises_not_found(tmp_path):
    with pytest.raises(PackageNotFoundError, match="package folder not found"):
        read_package_info(tmp_path / "absent")


@pytest.mark.parametrize("name", ["package.json", "model.xml", "model.bin"])
def test_missing_file_raises_not_found(tmp_path, name):
    folder = make_package(tmp_path / "package")
    (folder / name).unlink()

    with pytest.raises(PackageNotFoundError, match=name) as caught:
        read_package_info(folder)
    assert isinstance(caught.value, InputNotFoundError)


def test_invalid_json_raises(tmp_path):
    folder = make_package(tmp_path / "package")
    (folder / "package.json").write_text("{not json")

    with pytest.raises(InvalidPackageError, match="cannot read"):
        read_package_info(folder)


def test_missing_field_is_named(tmp_path):
    folder = make_package(tmp_path / "package")
    values = json.loads((folder / "package.json").read_text())
    del values["normalizer"]
    (folder / "package.json").write_text(json.dumps(values))

    with pytest.raises(InvalidPackageError, match="normalizer"):
        read_package_info(folder)


def test_other_format_version_raises(tmp_path):
    folder = make_package(tmp_path / "package")
    values = json.loads((folder / "package.json").read_text())
    values["format_version"] = FORMAT_VERSION + 1
    (folder / "package.json").write_text(json.dumps(values))

    with pytest.raises(InvalidPackageError, match="format version"):
        read_package_info(folder)


def test_json_list_raises(tmp_path):
    folder = make_package(tmp_path / "package")
    (folder / "package.json").write_text("[1, 2]")

    with pytest.raises(InvalidPackageError, match="JSON object"):
        read_package_info(folder)


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"n_classes": 1}, "n_classes"),
        ({"pad_multiple": 0}, "pad_multiple"),
        ({"input_layout": "NHWC"}, "NHWC"),
        ({"precision": "int4"}, "int4"),
    ],
)
def test_invalid_values_raise(changes, message):
    with pytest.raises(InvalidInputError, match=message):
        make_info(**changes)
