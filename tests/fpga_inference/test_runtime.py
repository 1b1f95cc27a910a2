"""Tests for running IR packages with OpenVINO (no torch)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from conftest import N_CLASSES, layered_volume
from fpga_inference.runtime import DeviceNotAvailableError, OpenVINOModel, available_devices, check_device
from seismic.errors import InvalidInputError, ShapeMismatchError


@pytest.fixture(scope="module")
def cpu_model(fp32_package) -> OpenVINOModel:
    return OpenVINOModel(fp32_package, device="CPU", precision_hint="f32")


def torch_volume_prediction(run_dir, seismic, live=None, normalizer=None):
    import torch

    from models.checkpoint import load_run
    from models.prediction import predict_volume
    from models.training import torch_predictor

    run = load_run(run_dir)
    return predict_volume(
        (normalizer or run.normalizer).transform(seismic),
        torch_predictor(run.model, torch.device("cpu")),
        run.model_config.n_classes,
        pad_multiple=4,
        live=live,
        progress=False,
    )


def test_runtime_never_imports_torch(fp32_package):
    script = textwrap.dedent(
        f"""
        import json, sys
        import numpy as np
        from fpga_inference.runtime import OpenVINOModel
        model = OpenVINOModel({str(fp32_package)!r}, device="CPU")
        prediction = model.predict_volume(np.ones((5, 6, 7), dtype=np.float32), progress=False)
        heavy = sorted(name for name in sys.modules if name.split(".")[0] in ("torch", "nncf"))
        print(json.dumps({{"heavy": heavy, "shape": list(prediction.facies.shape)}}))
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)

    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["heavy"] == []
    assert values["shape"] == [5, 6, 7]


def test_model_properties(cpu_model):
    assert cpu_model.n_classes == N_CLASSES
    assert cpu_model.precision == "fp32"
    assert cpu_model.pad_multiple == 4
    assert cpu_model.class_table.names == ("class 0", "class 1", "class 2")
    assert cpu_model.execution_devices == ["CPU"]


def test_predict_batch_returns_probabilities(cpu_model):
    sections = np.random.default_rng(0).standard_normal((2, 1, 8, 12)).astype(np.float32)

    probabilities = cpu_model.predict_batch(sections)

    assert probabilities.shape == (2, N_CLASSES, 8, 12)
    assert probabilities.dtype == np.float32
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, atol=1e-5)


@pytest.mark.parametrize("shape", [(2, 1, 9, 12), (2, 1, 8, 10), (2, 2, 8, 12), (8, 12)])
def test_predict_batch_rejects_bad_shapes(cpu_model, shape):
    with pytest.raises(ShapeMismatchError):
        cpu_model.predict_batch(np.zeros(shape, dtype=np.float32))


def test_predict_volume_matches_torch(cpu_model, random_run):
    seismic, _ = layered_volume(7, 9, 21)
    live = np.ones((7, 9), dtype=bool)
    live[0, :3] = False

    expected = torch_volume_prediction(random_run, seismic, live)
    actual = cpu_model.predict_volume(seismic, live=live, batch_size=3, progress=False)

    np.testing.assert_allclose(actual.probabilities, expected.probabilities, atol=1e-5)
    assert (actual.facies == expected.facies).mean() >= 0.999
    assert (actual.facies[0, :3] == -1).all()
    assert (actual.facies[live] >= 0).all()


def test_predict_volume_with_other_normalizer(cpu_model, random_run):
    from models.normalization import RobustNormalizer

    seismic = 40 * layered_volume(7, 9, 21)[0]
    refitted = RobustNormalizer().fit(seismic)

    actual = cpu_model.predict_volume(seismic, progress=False, normalizer=refitted)
    stored = cpu_model.predict_volume(seismic, progress=False)
    expected = torch_volume_prediction(random_run, seismic, normalizer=refitted)

    np.testing.assert_allclose(actual.probabilities, expected.probabilities, atol=1e-5)
    assert np.abs(stored.probabilities - expected.probabilities).max() > 1e-3


def test_int8_volume_agrees_with_torch(int8_package, trained_run):
    seismic, _ = layered_volume()
    model = OpenVINOModel(int8_package, device="CPU")

    expected = torch_volume_prediction(trained_run, seismic)
    actual = model.predict_volume(seismic, progress=False)

    assert model.precision == "int8"
    assert (actual.facies == expected.facies).mean() >= 0.98


def test_predict_volume_rejects_2d(cpu_model):
    with pytest.raises(ShapeMismatchError, match="n_inlines"):
        cpu_model.predict_volume(np.zeros((4, 8), dtype=np.float32))


def test_default_hint_is_f32_for_fp32(fp32_package):
    assert OpenVINOModel(fp32_package, device="CPU").precision_hint == "f32"


def test_unknown_precision_hint_raises(fp32_package):
    with pytest.raises(InvalidInputError, match="f32, f16, bf16"):
        OpenVINOModel(fp32_package, device="CPU", precision_hint="int4")


def test_unavailable_device_lists_available(fp32_package):
    with pytest.raises(DeviceNotAvailableError, match="FPGA") as caught:
        OpenVINOModel(fp32_package, device="HETERO:FPGA,CPU")
    for device in available_devices():
        assert device in str(caught.value)


def test_missing_package_raises(tmp_path):
    with pytest.raises(FileNotFoundError, match="package folder not found"):
        OpenVINOModel(tmp_path / "absent")


@pytest.mark.parametrize(
    "device, expected",
    [
        ("CPU", ["CPU"]),
        ("GPU", ["GPU"]),
        ("GPU.1", ["GPU.1"]),
        ("HETERO:FPGA,CPU", ["FPGA", "CPU"]),
        ("AUTO:GPU,CPU", ["GPU", "CPU"]),
        ("BATCH:GPU(4)", ["GPU"]),
        ("AUTO", ["CPU", "GPU.0", "GPU.1", "FPGA"]),
    ],
)
def test_check_device_accepts_installed(device, expected):
    assert check_device(device, ["CPU", "GPU.0", "GPU.1", "FPGA"]) == expected


@pytest.mark.parametrize(
    "device, message",
    [
        ("GPU", "device GPU is not available"),
        ("HETERO:FPGA,CPU", "device FPGA is not available"),
        ("GPU.0", "device GPU.0 is not available"),
        ("HETERO:", "lists no devices"),
        ("", "empty device name"),
    ],
)
def test_check_device_rejects_missing(device, message):
    with pytest.raises(DeviceNotAvailableError, match=message) as caught:
        check_device(device, ["CPU"])
    assert "CPU" in str(caught.value)
