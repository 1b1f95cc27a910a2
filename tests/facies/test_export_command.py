"""Tests of ``facies export``: packages, exit status and error lines."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from facies.cli import main
from models.checkpoint import save_checkpoint
from models.networks import ModelConfig, build_model
from models.normalization import RobustNormalizer
from seismic.labels import ClassTable

CONFIG = ModelConfig(n_classes=3, base_channels=4, depth=2, dropout=0.0)


def run_cli(arguments: list[str]) -> int:
    """Run ``facies`` in-process and return its exit status, including argparse's exits."""
    try:
        return main(arguments)
    except SystemExit as exit_:
        return int(exit_.code)


def error_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("error:")]


def hidden_entries(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.name.startswith("."))


@pytest.fixture(scope="module")
def survey_and_run(tmp_path_factory) -> tuple[Path, Path]:
    """A random seismic ``.npy`` and a run of the tiny network without ``config.json``."""
    root = tmp_path_factory.mktemp("export_command")
    seismic = np.random.default_rng(0).standard_normal((6, 5, 16)).astype(np.float32) * 50
    seismic_path = root / "seismic.npy"
    np.save(seismic_path, seismic)

    torch.manual_seed(0)
    model = build_model(CONFIG).eval()
    run_dir = root / "run"
    run_dir.mkdir()
    save_checkpoint(
        run_dir / "checkpoint.pt", model, CONFIG, RobustNormalizer().fit(seismic), ClassTable.default(3)
    )
    return seismic_path, run_dir


def test_export_fp32_json(survey_and_run, tmp_path, capsys):
    _, run_dir = survey_and_run
    out = tmp_path / "package"

    status = run_cli(["export", str(run_dir), "--out", str(out), "--json"])
    captured = capsys.readouterr()

    assert status == 0
    lines = captured.out.splitlines()
    assert len(lines) == 1
    summary = json.loads(lines[0])
    assert summary["precision"] == "fp32"
    assert summary["model_xml"] == str(out / "model.xml")
    assert summary["calibration_sections"] is None
    assert (out / "model.bin").is_file()
    assert json.loads((out / "package.json").read_text())["n_classes"] == 3


def test_export_int8_with_calibration_seismic(survey_and_run, tmp_path, capsys):
    seismic_path, run_dir = survey_and_run
    out = tmp_path / "package"

    status = run_cli(
        [
            "export", str(run_dir), "--out", str(out), "--precision", "INT8",
            "--calibration-seismic", str(seismic_path), "--calibration-sections", "3", "--json",
        ]
    )
    captured = capsys.readouterr()

    assert status == 0, captured.err
    # NNCF's own log lines and progress bars must not reach stdout.
    lines = captured.out.splitlines()
    assert len(lines) == 1
    assert json.loads(lines[0])["calibration_sections"] == 3
    values = json.loads((out / "package.json").read_text())
    assert values["precision"] == "int8"
    assert values["calibration"]["n_sections"] == 3


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--precision", "int4"], "invalid choice: 'int4'"),
        (["--calibration-sections", "0"], "invalid value 0"),
        (["--precision", "int8"], "--calibration-seismic"),
        (["--precision", "int8", "--calibration-seismic", "absent.npy"], "file not found: absent.npy"),
    ],
)
def test_export_rejects_bad_options(survey_and_run, tmp_path, capsys, arguments, message):
    _, run_dir = survey_and_run
    out = tmp_path / "package"

    status = run_cli(["export", str(run_dir), "--out", str(out), *arguments])
    errors = error_lines(capsys.readouterr().err)

    assert status == 2
    assert len(errors) == 1
    assert message in errors[0]
    assert not out.exists()
    assert hidden_entries(tmp_path) == []


def test_export_missing_run(tmp_path, capsys):
    status = run_cli(["export", str(tmp_path / "absent"), "--out", str(tmp_path / "package")])
    errors = error_lines(capsys.readouterr().err)

    assert status == 2
    assert len(errors) == 1
    assert "absent" in errors[0]
    assert not (tmp_path / "package").exists()


def test_export_run_without_checkpoint(tmp_path, capsys):
    (tmp_path / "run").mkdir()

    status = run_cli(["export", str(tmp_path / "run"), "--out", str(tmp_path / "package")])
    errors = error_lines(capsys.readouterr().err)

    assert status == 2
    assert len(errors) == 1
    assert "checkpoint.pt" in errors[0]
    assert not (tmp_path / "package").exists()
