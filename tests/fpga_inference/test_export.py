"""Tests for exporting a run to an OpenVINO IR package."""

from __future__ import annotations

import json

import numpy as np
import openvino as ov
import pytest
import torch

from conftest import N_CLASSES, layered_volume
from fpga_inference.export import _calibration_batches, calibration_sections_from_volume, export_package
from models.checkpoint import load_run
from models.prediction import pad_sections
from seismic.errors import InputNotFoundError, InvalidInputError


def torch_probabilities(run_dir, sections: np.ndarray) -> np.ndarray:
    model = load_run(run_dir).model
    with torch.no_grad():
        return torch.softmax(model(torch.from_numpy(sections)), dim=1).numpy()


def compile_f32(package):
    return ov.Core().compile_model(str(package / "model.xml"), "CPU", {"INFERENCE_PRECISION_HINT": "f32"})


def leftovers(folder):
    return sorted(path.name for path in folder.iterdir() if path.name.startswith("."))


def test_fp32_package_files_and_fields(fp32_package, random_run):
    values = json.loads((fp32_package / "package.json").read_text())

    assert (fp32_package / "model.xml").is_file()
    assert (fp32_package / "model.bin").is_file()
    assert values["precision"] == "fp32"
    assert values["n_classes"] == N_CLASSES
    assert values["pad_multiple"] == 4
    assert values["input_layout"] == "NCHW"
    assert values["source_run"] == str(random_run.resolve())
    assert values["openvino_version"] == ov.get_version()
    assert values["nncf_version"] is None
    assert values["normalizer"]["method"] == "robust_percentile"
    assert [entry["name"] for entry in values["class_table"]["classes"]] == ["class 0", "class 1", "class 2"]


def test_fp32_ir_has_dynamic_shapes(fp32_package):
    model = ov.Core().read_model(fp32_package / "model.xml")

    assert len(model.inputs) == 1
    assert len(model.outputs) == 1
    assert str(model.inputs[0].partial_shape) == "[?,1,?,?]"
    assert model.inputs[0].get_any_name() == "sections"
    assert model.outputs[0].get_any_name() == "probabilities"
    assert model.outputs[0].partial_shape[1] == N_CLASSES


@pytest.mark.parametrize("shape", [(1, 1, 4, 4), (3, 1, 13, 27), (2, 1, 21, 75)])
def test_fp32_ir_matches_torch(fp32_package, random_run, shape):
    rng = np.random.default_rng(sum(shape))
    sections, _ = pad_sections(rng.standard_normal(shape).astype(np.float32), 4)

    expected = torch_probabilities(random_run, sections)
    actual = compile_f32(fp32_package)(sections)[0]

    assert actual.shape == expected.shape
    np.testing.assert_allclose(actual, expected, atol=1e-5)
    np.testing.assert_allclose(actual.sum(axis=1), 1.0, atol=1e-5)


def test_fp16_halves_weights(fp32_package, random_run, tmp_path):
    package = export_package(random_run, tmp_path / "fp16", precision="FP16")
    sections = np.random.default_rng(1).standard_normal((2, 1, 16, 32)).astype(np.float32)

    fp32_size = (fp32_package / "model.bin").stat().st_size
    fp16_size = (package / "model.bin").stat().st_size
    assert json.loads((package / "package.json").read_text())["precision"] == "fp16"
    assert fp16_size < 0.6 * fp32_size
    np.testing.assert_allclose(compile_f32(package)(sections)[0], torch_probabilities(random_run, sections), atol=1e-2)


def test_int8_agrees_with_torch_classes(trained_run, int8_package):
    package = int8_package
    run = load_run(trained_run)
    seismic, labels = layered_volume()
    held_out, _ = pad_sections(run.normalizer.transform(seismic[19:])[:, None], 4)

    expected = torch_probabilities(trained_run, held_out)
    actual = compile_f32(package)(held_out)[0]

    # The tiny network has learnt the layers, so the classes are not random.
    assert (expected.argmax(axis=1)[:, :20] == labels[19:]).mean() > 0.9
    assert (actual.argmax(axis=1) == expected.argmax(axis=1)).mean() >= 0.98
    ops = {op.get_type_name() for op in ov.Core().read_model(package / "model.xml").get_ops()}
    assert "FakeQuantize" in ops


def test_int8_calibrates_on_training_block(int8_package):
    values = json.loads((int8_package / "package.json").read_text())

    # 18 training inlines (24 minus 5 test inlines minus a gap of 1) plus 20 crosslines.
    assert values["calibration"]["n_sections"] == 18 + 20
    assert values["nncf_version"]
    assert values["precision"] == "int8"


def test_calibration_batches_pad_and_limit():
    sections = [np.full((10 + index, 30), index, dtype=np.float32) for index in range(4)]

    batches = _calibration_batches(iter(sections), 4, limit=3)

    assert [batch.shape for batch in batches] == [(1, 1, 12, 32), (1, 1, 12, 32), (1, 1, 12, 32)]
    assert [float(batch.mean()) for batch in batches] == [0.0, 1.0, 2.0]


def test_int8_without_training_seismic_raises(random_run, tmp_path):
    with pytest.raises(InvalidInputError, match="--calibration-seismic"):
        export_package(random_run, tmp_path / "int8", precision="int8")
    assert not (tmp_path / "int8").exists()
    assert leftovers(tmp_path) == []


def test_unknown_precision_raises(random_run, tmp_path):
    with pytest.raises(InvalidInputError, match="int4"):
        export_package(random_run, tmp_path / "package", precision="int4")
    assert not (tmp_path / "package").exists()


def test_missing_run_raises(tmp_path):
    with pytest.raises(InputNotFoundError, match="run folder not found"):
        export_package(tmp_path / "absent", tmp_path / "package")


def test_run_without_checkpoint_raises(tmp_path):
    (tmp_path / "run").mkdir()
    with pytest.raises(InputNotFoundError, match="checkpoint.pt"):
        export_package(tmp_path / "run", tmp_path / "package")
    assert not (tmp_path / "package").exists()


def test_bad_calibration_shape_leaves_old_package(random_run, tmp_path):
    out = tmp_path / "package"
    out.mkdir()
    (out / "keep.txt").write_text("previous export")

    with pytest.raises(InvalidInputError, match="calibration section"):
        export_package(random_run, out, precision="int8", calibration_sections=[np.zeros((2, 3, 4, 5))])

    assert (out / "keep.txt").read_text() == "previous export"
    assert leftovers(tmp_path) == []


def test_calibration_sections_from_volume_are_normalised():
    seismic, _ = layered_volume(6, 5, 16)
    run_normalizer = type("Half", (), {"transform": staticmethod(lambda values: values / 2)})()

    sections = calibration_sections_from_volume(seismic, run_normalizer, limit=4)

    # 6 inlines and 5 crosslines, evenly spaced: positions 0, 3, 7 and 10 of the 11.
    assert len(sections) == 4
    np.testing.assert_array_equal(sections[0], seismic[0] / 2)
    np.testing.assert_array_equal(sections[1], seismic[3] / 2)
    np.testing.assert_array_equal(sections[2], seismic[:, 1] / 2)
    np.testing.assert_array_equal(sections[3], seismic[:, 4] / 2)
