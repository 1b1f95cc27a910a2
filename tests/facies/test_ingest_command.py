"""Tests of ``facies ingest``: output, exit status and error lines."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import h5py
import numpy as np
import pytest
import segyio

from facies.cli import main
from facies.commands import info, ingest
from facies.commands._common import header_byte

F3 = Path(__file__).resolve().parents[2] / "data" / "f3.sgy"


def error_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("error:")]


def run_cli(arguments: list[str]) -> int:
    """Run ``facies`` in-process and return its exit status, including argparse's exits."""
    try:
        return main(arguments)
    except SystemExit as exit_:
        return int(exit_.code)


def test_ingest_f3_json(tmp_path, capsys):
    output = tmp_path / "f3.h5"
    status = run_cli(["ingest", str(F3), str(output), "--json"])
    captured = capsys.readouterr()

    assert status == 0
    lines = captured.out.splitlines()
    assert len(lines) == 1
    summary = json.loads(lines[0])
    assert summary["shape"] == [23, 18, 75]
    assert summary["n_traces"] == 414
    assert summary["iline_byte"] == 189
    assert "ingest" in captured.err
    with segyio.open(F3) as f, h5py.File(output, "r") as h5:
        np.testing.assert_array_equal(h5["seismic"][...], segyio.tools.cube(f))


def test_ingest_options_and_text_summary(tmp_path, capsys):
    output = tmp_path / "f3.h5"
    status = run_cli(
        [
            "ingest", str(F3), str(output), "--iline-byte", "9", "--xline-byte", "21",
            "--endian", "big", "--memory-budget", "0.05", "--no-progress",
        ]
    )
    captured = capsys.readouterr()

    assert status == 0
    assert "23 inlines x 18 crosslines x 75 samples" in captured.out
    assert "inline 9, crossline 21" in captured.out
    with h5py.File(output, "r") as h5:
        assert h5.attrs["iline_byte"] == 9
        assert list(h5["inline"][[0, -1]]) == [111, 133]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--iline-byte", "0"], "invalid byte position 0"),
        (["--iline-byte", "abc"], "invalid byte position 'abc'"),
        (["--xline-byte", "239"], "invalid byte position 239"),
        (["--memory-budget", "-1"], "invalid value -1.0"),
        (["--memory-budget", "lots"], "invalid number 'lots'"),
        (["--endian", "middle"], "invalid choice: 'middle'"),
    ],
)
def test_invalid_option_values(tmp_path, capsys, options, message):
    status = run_cli(["ingest", str(F3), str(tmp_path / "out.h5"), *options])
    captured = capsys.readouterr()

    assert status == 2
    errors = error_lines(captured.err)
    assert len(errors) == 1
    assert message in errors[0]
    assert "Traceback" not in captured.err
    assert list(tmp_path.iterdir()) == []


def test_missing_file(tmp_path, capsys):
    status = run_cli(["ingest", str(tmp_path / "absent.sgy"), str(tmp_path / "out.h5")])
    captured = capsys.readouterr()

    assert status == 2
    errors = error_lines(captured.err)
    assert len(errors) == 1
    assert "absent.sgy" in errors[0]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "content",
    [b"", b"\x89PNG\r\n\x1a\n" + bytes(5000), F3.read_bytes()[:5000]],
    ids=["empty", "png", "truncated"],
)
def test_not_segy(tmp_path, capsys, content):
    source = tmp_path / "input.sgy"
    source.write_bytes(content)
    output_folder = tmp_path / "out"
    output_folder.mkdir()
    status = run_cli(["ingest", str(source), str(output_folder / "out.h5")])
    captured = capsys.readouterr()

    assert status == 2
    assert len(error_lines(captured.err)) == 1
    assert "Traceback" not in captured.err
    assert list(output_folder.iterdir()) == []


def test_budget_too_small(tmp_path, capsys):
    status = run_cli(["ingest", str(F3), str(tmp_path / "out.h5"), "--memory-budget", "0.0001"])
    captured = capsys.readouterr()

    assert status == 2
    errors = error_lines(captured.err)
    assert len(errors) == 1
    assert "--memory-budget" in errors[0]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("text", "value"), [("1", 1), ("189", 189), ("237", 237)])
def test_header_byte_accepts(text, value):
    assert header_byte(text) == value


@pytest.mark.parametrize("text", ["0", "238", "-5", "18.5", ""])
def test_header_byte_rejects(text):
    with pytest.raises(argparse.ArgumentTypeError, match="invalid byte position"):
        header_byte(text)


def test_info_and_ingest_share_header_byte():
    parser = argparse.ArgumentParser()
    subparsers = parser.add_subparsers()
    info.register(subparsers)
    ingest.register(subparsers)
    for command in ("info", "ingest"):
        options = {action.dest: action for action in subparsers.choices[command]._actions}
        assert options["iline_byte"].type is header_byte
        assert options["xline_byte"].type is header_byte


def test_ingest_stores_user_crs(tmp_path):
    from facies.cli import main
    from seismic.volume import open_volume

    out = tmp_path / "f3.h5"
    assert main(["-q", "ingest", str(F3), str(out), "--crs", "EPSG:23031", "--no-progress"]) == 0
    with open_volume(out) as store:
        assert store.attrs["crs"] == "EPSG:23031"
        assert store.to_xarray().attrs["crs"] == "EPSG:23031"
