"""Tests of ``facies synth``."""

import json
import logging

import numpy as np
import pytest
import segyio

from facies.cli import main


def _run(argv, capsys):
    """Run the CLI; return (exit status, stdout, stderr)."""
    try:
        status = main(argv)
    except SystemExit as exit_:
        status = exit_.code
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_synth_writes_tiny_survey(tmp_path, capsys):
    out = tmp_path / "survey"
    argv = ["synth", str(out), "--inlines", "8", "--crosslines", "6", "--samples", "32", "--seed", "1", "--json"]
    status, stdout, _ = _run(argv, capsys)
    assert status == 0
    assert sorted(path.name for path in out.iterdir()) == ["classes.json", "horizons.csv", "labels.sgy", "seismic.sgy"]

    record = json.loads(stdout)
    assert stdout.count("\n") == 1
    assert record["shape"] == [8, 6, 32]
    assert sum(record["class_fractions"].values()) == pytest.approx(1.0, abs=1e-5)

    with segyio.open(out / "labels.sgy") as segy:
        assert list(segy.ilines) == list(range(1, 9))
        assert list(segy.xlines) == list(range(1, 7))
        labels = segyio.tools.cube(segy)
    assert labels.shape == (8, 6, 32)
    assert labels.min() >= 0
    assert labels.max() <= 5
    with segyio.open(out / "seismic.sgy") as segy:
        assert len(segy.samples) == 32
        assert np.isfinite(segyio.tools.cube(segy)).all()


def test_synth_same_seed_same_files(tmp_path, capsys):
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        status, _, _ = _run(["-q", "synth", str(out), "--inlines", "6", "--crosslines", "5", "--samples", "30"], capsys)
        assert status == 0
    for name in ("seismic.sgy", "labels.sgy", "horizons.csv", "classes.json"):
        assert (first / name).read_bytes() == (second / name).read_bytes()


def test_synth_logs_class_fractions(tmp_path, capsys, caplog):
    caplog.set_level(logging.INFO, logger="facies.commands.synth")
    status, _, _ = _run(["synth", str(tmp_path / "s"), "--inlines", "6", "--crosslines", "6", "--samples", "32"], capsys)
    assert status == 0
    assert "parallel " in caplog.text
    assert "fan " in caplog.text


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--inlines", "0"], "--inlines"),
        (["--crosslines", "-2"], "--crosslines"),
        (["--samples", "10"], "--samples 10 is too few"),
        (["--samples", "many"], "--samples"),
        (["--seed", "-1"], "--seed"),
        (["--noise", "-0.5"], "--noise"),
        (["--sample-interval", "0"], "--sample-interval"),
        (["--sample-interval", "70"], "--sample-interval 70 ms cannot be stored"),
        (["--samples", "40000"], "--samples 40000 is too many"),
    ],
)
def test_synth_rejects_bad_values(tmp_path, capsys, options, message):
    out = tmp_path / "survey"
    status, stdout, stderr = _run(["synth", str(out), "--inlines", "4", "--samples", "32", *options], capsys)
    assert status == 2
    assert stdout == ""
    lines = stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error:")
    assert message in lines[0]
    assert list(tmp_path.iterdir()) == []


def test_synth_rejects_existing_file(tmp_path, capsys):
    target = tmp_path / "taken"
    target.write_text("not a folder")
    status, _, stderr = _run(["synth", str(target), "--inlines", "4", "--crosslines", "4", "--samples", "32"], capsys)
    assert status == 2
    assert stderr.strip().splitlines() == [f"error: OUT_DIR {target} is an existing file; give a folder path"]
    assert target.read_text() == "not a folder"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["taken"]
