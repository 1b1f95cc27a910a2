"""Tests of ``facies infer``: facies SEG-Y and HDF5 outputs, exit status and error lines."""

from __future__ import annotations

import json
from pathlib import Path

import h5py
import numpy as np
import pytest
import segyio
import torch

from facies.cli import main
from fpga_inference.export import export_package
from models.checkpoint import load_run, save_checkpoint
from models.networks import ModelConfig, build_model
from models.normalization import RobustNormalizer
from models.prediction import predict_volume
from models.training import torch_predictor
from seismic.io import load_volume
from seismic.labels import ClassTable

F3 = Path(__file__).resolve().parents[2] / "data" / "f3.sgy"
CONFIG = ModelConfig(n_classes=3, base_channels=4, depth=2, dropout=0.0)
CLASSES = ClassTable(
    names=["parallel", "chaotic", "channel"],
    colours=["#1f77b4", "#ff7f0e", "#2ca02c"],
    kinds=["stratigraphic", "stratigraphic", "geomorphologic"],
)


def run_cli(arguments: list[str]) -> int:
    """Run ``facies`` in-process and return its exit status, including argparse's exits."""
    try:
        return main(arguments)
    except SystemExit as exit_:
        return int(exit_.code)


def error_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("error:")]


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    """An FP32 package of a random tiny network whose normaliser was fitted on the F3 cut."""
    root = tmp_path_factory.mktemp("infer_command")
    torch.manual_seed(1)
    model = build_model(CONFIG).eval()
    normalizer = RobustNormalizer().fit(load_volume(F3).data)
    save_checkpoint(root / "checkpoint.pt", model, CONFIG, normalizer, CLASSES)
    return export_package(root, root / "package", precision="fp32")


def test_infer_f3_segy_and_h5(package, tmp_path, capsys):
    out = tmp_path / "facies.sgy"

    status = run_cli(["infer", str(package), "--seismic", str(F3), "--out", str(out), "--device", "CPU", "--json"])
    captured = capsys.readouterr()

    assert status == 0, captured.err
    summary = json.loads(captured.out.strip())
    assert summary["facies_segy"] == str(out)
    assert summary["probabilities_h5"] == str(tmp_path / "facies.h5")
    assert summary["precision"] == "fp32"
    assert summary["execution_devices"] == ["CPU"]

    with segyio.open(F3) as source, segyio.open(out) as facies:
        np.testing.assert_array_equal(facies.ilines, source.ilines)
        np.testing.assert_array_equal(facies.xlines, source.xlines)
        np.testing.assert_array_equal(facies.samples, source.samples)
        classes = segyio.tools.cube(facies)
        text_header = segyio.tools.wrap(facies.text[0])
    assert classes.min() >= 0
    assert classes.max() <= 2
    for name in CLASSES.names:
        assert name in text_header

    # Torch is the reference backend: same normalisation, same two-pass averaging.
    run = load_run(package.parent)
    volume = load_volume(F3)
    expected = predict_volume(
        run.normalizer.transform(volume.data), torch_predictor(run.model, torch.device("cpu")), 3,
        pad_multiple=4, progress=False,
    )
    with h5py.File(tmp_path / "facies.h5", "r") as h5:
        assert h5["probabilities"].shape == (23, 18, 75, 3)
        np.testing.assert_allclose(h5["probabilities"][...], expected.probabilities, atol=1e-5)
        np.testing.assert_array_equal(h5["facies"][...], classes)
        np.testing.assert_allclose(h5["confidence"][...], expected.confidence, atol=1e-5)
    assert (classes == expected.facies).mean() >= 0.999


def test_infer_npy_input(package, tmp_path, capsys):
    seismic = load_volume(F3).data[:5, :6]
    np.save(tmp_path / "cut.npy", seismic)
    out = tmp_path / "facies.sgy"

    status = run_cli(["infer", str(package), "--seismic", str(tmp_path / "cut.npy"), "--out", str(out)])

    assert status == 0, capsys.readouterr().err
    with segyio.open(out) as facies:
        assert segyio.tools.cube(facies).shape == (5, 6, 75)


def outputs_left(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.name != "bad.txt")


def test_infer_package_without_json(package, tmp_path, capsys):
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "model.xml").write_bytes((package / "model.xml").read_bytes())

    status = run_cli(["infer", str(broken), "--seismic", str(F3), "--out", str(tmp_path / "facies.sgy")])
    errors = error_lines(capsys.readouterr().err)

    assert status == 2
    assert len(errors) == 1
    assert "package.json" in errors[0]
    assert outputs_left(tmp_path) == ["broken"]


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--device", "GPU"], "device GPU is not available"),
        (["--device", "HETERO:FPGA,CPU"], "device FPGA is not available"),
        (["--seismic", "absent.sgy"], "file not found: absent.sgy"),
        (["--precision-hint", "int4"], "invalid choice: 'int4'"),
        (["--batch-size", "0"], "invalid value 0"),
    ],
)
def test_infer_rejects_bad_options(package, tmp_path, capsys, arguments, message):
    base = ["infer", str(package), "--seismic", str(F3), "--out", str(tmp_path / "facies.sgy")]

    status = run_cli(base + arguments)
    errors = error_lines(capsys.readouterr().err)

    assert status == 2
    assert len(errors) == 1
    assert message in errors[0]
    assert outputs_left(tmp_path) == []


def test_infer_unavailable_device_lists_cpu(package, tmp_path, capsys):
    status = run_cli(
        ["infer", str(package), "--seismic", str(F3), "--out", str(tmp_path / "facies.sgy"), "--device", "GPU"]
    )
    errors = error_lines(capsys.readouterr().err)

    assert status == 2
    assert "available devices: CPU" in errors[0]


def test_infer_rejects_text_file(package, tmp_path, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_text("not a survey")

    status = run_cli(["infer", str(package), "--seismic", str(bad), "--out", str(tmp_path / "facies.sgy")])
    errors = error_lines(capsys.readouterr().err)

    assert status == 2
    assert len(errors) == 1
    assert outputs_left(tmp_path) == []
