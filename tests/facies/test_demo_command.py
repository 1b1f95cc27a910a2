"""Tests of ``facies demo`` on a tiny synthetic survey."""

import json
from pathlib import Path

import segyio

from facies.cli import main
from facies.shipped_data import shipped_file


def test_demo_writes_summary_and_outputs(tmp_path, capsys):
    out = tmp_path / "demo"
    argv = ["-q", "demo", "--out", str(out), "--epochs", "2", "--inlines", "24", "--crosslines", "16"]
    assert main(argv + ["--samples", "64", "--base-channels", "4"]) == 0

    summary = json.loads((out / "summary.json").read_text())
    assert set(summary["synthetic_test"]) == {"pixel_accuracy", "mean_class_accuracy", "fwiu", "miou"}
    assert set(summary["openvino"]) >= {
        "fp32_agreement",
        "int8_agreement",
        "int8_agreement_confident",
        "int8_agreement_synthetic",
    }
    for key, value in summary["openvino"].items():
        if key == "int8_agreement_confident" and summary["openvino"]["confident_fraction"] == 0:
            assert value is None  # two epochs leave no voxel with a clear top class
        else:
            assert 0.0 <= value <= 1.0, key
    # FP32 OpenVINO runs the same network as torch: only near-ties may differ.
    assert summary["openvino"]["fp32_agreement"] >= 0.99

    outputs = summary["outputs"]
    for key in ("facies_segy", "probabilities_h5", "cluster_segy", "ir_fp32", "ir_int8"):
        assert Path(outputs[key]).is_file(), key
    with segyio.open(shipped_file("f3.sgy")) as source, segyio.open(outputs["facies_segy"]) as facies:
        assert list(facies.ilines) == list(source.ilines)
        assert list(facies.xlines) == list(source.xlines)
        assert list(facies.samples) == list(source.samples)
    stdout = capsys.readouterr().out.strip().splitlines()
    assert len(stdout) == 4
    assert stdout[0].startswith("synthetic held-out block: mIoU")


def test_demo_rejects_file_as_output_folder(tmp_path, capsys):
    target = tmp_path / "taken"
    target.write_text("not a folder")
    assert main(["demo", "--out", str(target)]) == 2
    error = capsys.readouterr().err.strip().splitlines()
    assert len(error) == 1
    assert error[0].startswith("error:")
    assert str(target) in error[0]
    assert target.read_text() == "not a folder"
