"""`facies info`: text and JSON summaries, and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from facies.cli import main

DATA = Path(__file__).resolve().parents[1] / "data" / "segy"
F3 = Path(__file__).resolve().parents[2] / "data" / "f3.sgy"


def run_json(capsys: pytest.CaptureFixture[str], *arguments: str) -> dict:
    status = main(["info", "--json", *arguments])
    captured = capsys.readouterr()
    assert status == 0
    lines = captured.out.splitlines()
    assert len(lines) == 1
    return json.loads(lines[0])


def test_f3_json(capsys: pytest.CaptureFixture[str]) -> None:
    info = run_json(capsys, str(F3))
    assert info["shape"] == [23, 18, 75]
    assert info["inline_range"] == [111, 133, 1]
    assert info["crossline_range"] == [875, 892, 1]
    assert info["n_traces"] == 414
    assert info["n_missing"] == 0
    assert info["sample_interval_ms"] == 4.0
    assert info["first_sample"] == 4.0
    assert info["sample_format"] == "int16"
    assert info["endian"] == "big"
    assert info["sorting"] == "inline"
    assert (info["iline_byte"], info["xline_byte"]) == (189, 193)
    assert info["text_encoding"] == "ebcdic"
    assert info["n_nonfinite"] == 0
    assert info["n_dead"] == 0
    assert (info["domain"], info["unit"]) == ("time", "ms")
    assert info["amplitude_range"] == [-10239.0, 10827.0]


def test_missing_trace_json(capsys: pytest.CaptureFixture[str]) -> None:
    info = run_json(capsys, str(DATA / "case2_missing_trace.sgy"))
    assert info["shape"] == [3, 4, 5]
    assert info["n_traces"] == 11
    assert info["n_missing"] == 1
    assert (info["iline_byte"], info["xline_byte"]) == (9, 21)
    assert info["bin_grid"] is None


def test_options_passed_through(capsys: pytest.CaptureFixture[str]) -> None:
    info = run_json(capsys, str(DATA / "segyio" / "f3-lsb.sgy"), "--endian", "little", "--iline-byte", "9", "--xline-byte", "21")
    assert info["endian"] == "little"
    assert (info["iline_byte"], info["xline_byte"]) == (9, 21)
    assert info["shape"] == [23, 18, 75]


def test_dead_traces_and_ascii(capsys: pytest.CaptureFixture[str]) -> None:
    info = run_json(capsys, str(DATA / "xtgeo" / "cube_w_deadtraces.segy"))
    assert info["n_dead"] == 656
    assert info["text_encoding"] == "ascii"
    assert info["sample_format"] == "ieee"
    assert info["first_sample"] == 1000.0


def test_text_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["info", str(DATA / "pygeopressure-f3" / "f3_sparse.sgy")]) == 0
    out = capsys.readouterr().out
    assert "200-640 step 20: 23 (header byte 189)" in out
    assert "700-1200 step 20: 26 (header byte 193)" in out
    assert "time 400-1100 ms every 20 ms" in out


def run_status(arguments: list[str]) -> int:
    """Run the CLI and return its exit status, also when argparse exits."""
    try:
        return main(arguments)
    except SystemExit as exit_:
        return int(exit_.code)


@pytest.mark.parametrize(
    ("arguments", "phrase"),
    [
        ([str(DATA / "case9_truncated.sgy")], "does not fit whole traces"),
        ([str(DATA / "case9_empty.sgy")], "empty"),
        ([str(DATA / "case9_image.sgy")], "PNG image"),
        (["does-not-exist.sgy"], "not found"),
        ([str(DATA / "case5_prestack_shots.sgy")], "pre-stack"),
        ([str(DATA / "segyio" / "multiformats" / "Format7msb.sgy")], "unsupported sample format code 7"),
        ([str(F3), "--iline-byte", "0"], "invalid byte position 0"),
        ([str(F3), "--iline-byte", "x"], "invalid byte position 'x'"),
        ([str(F3), "--endian", "middle"], "invalid choice"),
    ],
)
def test_invalid_input_one_error_line(capsys: pytest.CaptureFixture[str], arguments: list[str], phrase: str) -> None:
    assert run_status(["info", "--json", *arguments]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    error_lines = [line for line in captured.err.splitlines() if line.startswith("error:")]
    assert len(error_lines) == 1
    assert phrase in error_lines[0]
    assert "Traceback" not in captured.err


def test_info_domain_option_overrides_guess(capsys):
    from facies.cli import main

    f3 = Path(__file__).resolve().parents[2] / "data" / "f3.sgy"
    assert main(["-q", "info", str(f3), "--json", "--domain", "depth"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["domain"] == "depth"
    assert report["unit"] == "m"
    assert report["sample_interval_ms"] is None
    assert report["sample_interval"] == 4.0
