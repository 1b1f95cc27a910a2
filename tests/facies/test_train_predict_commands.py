"""Tests of ``facies train`` and ``facies predict`` on tiny inputs."""

import json
from pathlib import Path

import h5py
import numpy as np
import pytest
import segyio

from facies.cli import main
from seismic.synthetic import generate_survey, write_survey

DATA = Path(__file__).resolve().parents[1] / "data" / "segy"
TINY_TRAINING = ["--epochs", "1", "--base-channels", "4", "--depth", "2", "--batch-size", "4", "--device", "cpu"]


@pytest.fixture(scope="module")
def survey(tmp_path_factory):
    folder = tmp_path_factory.mktemp("survey")
    write_survey(generate_survey(16, 12, 64, seed=1), folder)
    return folder


@pytest.fixture(scope="module")
def run_dir(survey, tmp_path_factory):
    run = tmp_path_factory.mktemp("runs") / "run"
    status = main(
        ["-q", "train", "--seismic", str(survey / "seismic.sgy"), "--labels", str(survey / "labels.sgy"), "--out", str(run)]
        + TINY_TRAINING
    )
    assert status == 0
    return run


def test_train_command_writes_run(run_dir):
    assert (run_dir / "checkpoint.pt").is_file()
    assert (run_dir / "training_curve.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    config = json.loads((run_dir / "config.json").read_text())
    assert config["epochs"] == 1
    assert config["model"]["n_classes"] == 6


def test_train_command_json_line(survey, tmp_path, capsys):
    status = main(
        [
            "-q",
            "train",
            "--seismic",
            str(survey / "seismic.sgy"),
            "--labels",
            str(survey / "labels.sgy"),
            "--out",
            str(tmp_path / "run"),
            "--json",
        ]
        + TINY_TRAINING
    )
    assert status == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1
    assert set(json.loads(lines[0])["test"]) >= {"pixel_accuracy", "miou", "per_class_iou"}


def test_predict_command_writes_facies_segy_like_input(run_dir, survey, tmp_path):
    source = survey / "seismic.sgy"
    out = tmp_path / "facies.sgy"
    assert main(["-q", "predict", str(run_dir), "--seismic", str(source), "--out", str(out)]) == 0

    with segyio.open(source) as original, segyio.open(out) as facies:
        np.testing.assert_array_equal(facies.ilines, original.ilines)
        np.testing.assert_array_equal(facies.xlines, original.xlines)
        np.testing.assert_array_equal(facies.samples, original.samples)
        classes = segyio.tools.cube(facies)
        text = facies.text[0].decode("ascii", "replace")  # segyio returns EBCDIC as ASCII
    assert "FACIES" in text
    assert classes.min() >= 0
    assert classes.max() <= 5

    with h5py.File(tmp_path / "facies.h5", "r") as handle:
        probabilities = handle["probabilities"][...]
        np.testing.assert_allclose(probabilities.sum(axis=-1), 1.0, rtol=1e-5)
        np.testing.assert_array_equal(handle["facies"][...], classes.astype(np.int16))
        np.testing.assert_allclose(handle["confidence"][...], probabilities.max(axis=-1), rtol=1e-6)
    for view in ("inline", "crossline", "slice"):
        assert (tmp_path / f"facies_{view}.png").read_bytes()[:4] == b"\x89PNG"


def test_predict_command_fills_missing_traces(run_dir, tmp_path):
    # 239 of the 23 x 18 traces of the F3 cut: a triangle of traces is missing.
    source = DATA / "segysak-f3" / "f3-withdead.sgy"
    out = tmp_path / "withdead.sgy"
    assert main(["-q", "predict", str(run_dir), "--seismic", str(source), "--out", str(out)]) == 0

    with segyio.open(out) as facies:
        assert len(facies.ilines) == 23
        assert len(facies.xlines) == 18
        assert len(facies.samples) == 75
        classes = segyio.tools.cube(facies)
    dead = (classes == -1).all(axis=-1)
    assert dead.sum() == 23 * 18 - 239
    assert (classes[~dead] >= 0).all()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["train", "--seismic", "{tmp}/missing.sgy", "--labels", "{tmp}/missing.sgy", "--out", "{tmp}/run"], "--seismic: file not found"),
        (["train", "--seismic", "{survey}/seismic.sgy", "--labels", "{tmp}/none.npy", "--out", "{tmp}/run"], "--labels: file not found"),
        (["predict", "{tmp}/no-run", "--seismic", "{survey}/seismic.sgy", "--out", "{tmp}/p.sgy"], "RUN_DIR: folder not found"),
        (["predict", "{tmp}", "--seismic", "{survey}/seismic.sgy", "--out", "{tmp}/p.sgy"], "has no checkpoint.pt"),
        (["predict", "{run}", "--seismic", "{survey}/seismic.sgy", "--out", "{survey}/seismic.sgy"], "is the input seismic"),
        (["predict", "{run}", "--seismic", "{survey}/seismic.sgy", "--out", "{tmp}/p.h5"], "does not end in .sgy"),
        (["train", "--seismic", "{survey}/seismic.sgy", "--labels", "{survey}/labels.sgy", "--out", "{survey}/seismic.sgy"], "is an existing file"),
        (["export", "{run}", "--out", "{run}"], "is the run folder"),
    ],
)
def test_commands_reject_bad_input(argv, message, survey, run_dir, tmp_path, capsys):
    argv = [part.format(survey=survey, tmp=tmp_path, run=run_dir) for part in argv]
    before = set(tmp_path.iterdir())
    survey_before = {path: path.stat().st_mtime_ns for path in survey.iterdir()}
    assert main(argv) == 2
    error = capsys.readouterr().err.strip().splitlines()
    assert len(error) == 1
    assert error[0].startswith("error:")
    assert message in error[0]
    assert set(tmp_path.iterdir()) == before
    assert {path: path.stat().st_mtime_ns for path in survey.iterdir()} == survey_before


@pytest.mark.parametrize(("option", "value"), [("--epochs", "0"), ("--device", "tpu"), ("--batch-size", "x")])
def test_train_rejects_bad_option_values(option, value, survey, tmp_path, capsys):
    argv = ["train", "--seismic", str(survey / "seismic.sgy"), "--labels", str(survey / "labels.sgy")]
    with pytest.raises(SystemExit) as exit_info:
        main(argv + ["--out", str(tmp_path / "run"), option, value])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err.strip().splitlines()
    assert len(error) == 1
    assert error[0].startswith("error:")
    assert option in error[0]
    assert not (tmp_path / "run").exists()


def test_train_rejects_labels_of_other_shape(survey, tmp_path, capsys):
    np.save(tmp_path / "labels.npy", np.zeros((15, 12, 64), dtype=np.int16))
    argv = ["train", "--seismic", str(survey / "seismic.sgy"), "--labels", str(tmp_path / "labels.npy")]
    status = main(argv + ["--out", str(tmp_path / "run")] + TINY_TRAINING)
    assert status == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith("error:")
    assert "(15, 12, 64)" in error
    assert "(16, 12, 64)" in error
    assert not (tmp_path / "run").exists()
