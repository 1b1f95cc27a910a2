"""Tests of ``facies cluster``: the cluster SEG-Y and PNG, and error lines."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import segyio
from matplotlib.image import imread

from facies.cli import main
from seismic.io import save_volume_h5

F3 = Path(__file__).resolve().parents[2] / "data" / "f3.sgy"


def error_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("error:")]


def run_cli(arguments: list[str]) -> int:
    """Run ``facies`` in-process and return its exit status, including argparse's exits."""
    try:
        return main(arguments)
    except SystemExit as exit_:
        return int(exit_.code)


def test_f3_clusters_keep_the_grid(tmp_path, capsys):
    out = tmp_path / "clusters.sgy"
    status = run_cli(["cluster", "--seismic", str(F3), "--out", str(out), "--k", "4"])
    captured = capsys.readouterr()

    assert status == 0
    assert "cluster" in captured.err
    with segyio.open(F3) as source, segyio.open(out) as result:
        np.testing.assert_array_equal(result.ilines, source.ilines)
        np.testing.assert_array_equal(result.xlines, source.xlines)
        np.testing.assert_array_equal(result.samples, source.samples)
        # Trace headers come from the source: the CDP coordinates survive.
        for field in (segyio.TraceField.CDP_X, segyio.TraceField.CDP_Y):
            np.testing.assert_array_equal(result.attributes(field)[:], source.attributes(field)[:])
        clusters = segyio.tools.cube(result)
        text = segyio.tools.wrap(result.text[0])
    assert set(np.unique(clusters)) == {0, 1, 2, 3}
    assert "K=4" in text

    png = out.with_suffix(".png")
    image = imread(png)
    assert image.shape[:2] == (550, 1500)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["clusters.png", "clusters.sgy"]


def test_same_seed_same_clusters(tmp_path, capsys):
    first = tmp_path / "first.sgy"
    second = tmp_path / "second.sgy"
    assert run_cli(["cluster", "--seismic", str(F3), "--out", str(first), "--k", "3", "--seed", "7"]) == 0
    assert run_cli(["cluster", "--seismic", str(F3), "--out", str(second), "--k", "3", "--seed", "7"]) == 0
    with segyio.open(first) as a, segyio.open(second) as b:
        np.testing.assert_array_equal(segyio.tools.cube(a), segyio.tools.cube(b))


def test_hdf5_input_with_dead_traces(tmp_path, capsys):
    rng = np.random.default_rng(0)
    seismic = rng.normal(size=(4, 5, 30)).astype(np.float32)
    live = np.ones((4, 5), dtype=bool)
    live[0, 0] = False
    seismic[0, 0] = 0
    source = tmp_path / "survey.h5"
    save_volume_h5(source, {"seismic": seismic}, inlines=[5, 6, 7, 8], crosslines=[1, 2, 3, 4, 5],
                   samples=np.arange(30) * 2.0, live=live)
    out = tmp_path / "clusters.sgy"
    status = run_cli(["cluster", "--seismic", str(source), "--out", str(out), "--k", "2", "--window", "3"])

    assert status == 0
    with segyio.open(out, ignore_geometry=True) as result:
        assert result.tracecount == 19
        values = np.stack([result.trace[index] for index in range(result.tracecount)])
        inlines = result.attributes(segyio.TraceField.INLINE_3D)[:]
        np.testing.assert_array_equal(result.samples, np.arange(30) * 2.0)
    assert set(np.unique(values)) == {0, 1}
    assert inlines.min() == 5
    assert out.with_suffix(".png").is_file()


def test_npy_input(tmp_path, capsys):
    source = tmp_path / "survey.npy"
    np.save(source, np.random.default_rng(1).normal(size=(3, 4, 20)).astype(np.float32))
    out = tmp_path / "out" / "clusters.segy"
    assert run_cli(["cluster", "--seismic", str(source), "--out", str(out), "--k", "2"]) == 0
    with segyio.open(out) as result:
        assert segyio.tools.cube(result).shape == (3, 4, 20)
    assert (tmp_path / "out" / "clusters.png").is_file()


def check_rejected(arguments, tmp_path, capsys, *fragments):
    before = sorted(tmp_path.rglob("*"))
    status = run_cli(arguments)
    captured = capsys.readouterr()
    assert status == 2
    lines = error_lines(captured.err)
    assert len(lines) == 1
    for fragment in fragments:
        assert fragment in lines[0]
    assert "Traceback" not in captured.err
    assert sorted(tmp_path.rglob("*")) == before


@pytest.mark.parametrize(
    ("options", "fragments"),
    [
        (["--k", "1"], ["--k", "invalid value 1", "at least 2"]),
        (["--k", "0"], ["invalid value 0", "at least 2"]),
        (["--k", "two"], ["'two'"]),
        (["--window", "4"], ["--window 4", "odd"]),
        (["--k", "99999"], ["--k 99999", "31050 live voxels"]),
    ],
)
def test_bad_options(tmp_path, capsys, options, fragments):
    out = tmp_path / "clusters.sgy"
    check_rejected(["cluster", "--seismic", str(F3), "--out", str(out), *options], tmp_path, capsys, *fragments)


def test_missing_seismic(tmp_path, capsys):
    missing = tmp_path / "missing.sgy"
    check_rejected(
        ["cluster", "--seismic", str(missing), "--out", str(tmp_path / "c.sgy")], tmp_path, capsys, "missing.sgy"
    )


def test_out_must_be_segy(tmp_path, capsys):
    check_rejected(
        ["cluster", "--seismic", str(F3), "--out", str(tmp_path / "clusters.h5")], tmp_path, capsys, ".sgy or .segy"
    )


def test_out_must_not_be_input(tmp_path, capsys):
    source = tmp_path / "f3.sgy"
    source.write_bytes(F3.read_bytes())
    check_rejected(["cluster", "--seismic", str(source), "--out", str(source)], tmp_path, capsys, "input seismic")


def test_not_segy(tmp_path, capsys):
    fake = tmp_path / "fake.sgy"
    fake.write_bytes(b"not a seismic file" * 10)
    check_rejected(["cluster", "--seismic", str(fake), "--out", str(tmp_path / "c.sgy")], tmp_path, capsys, "fake.sgy")


def test_constant_volume(tmp_path, capsys):
    source = tmp_path / "flat.npy"
    np.save(source, np.ones((3, 3, 20), dtype=np.float32))
    check_rejected(
        ["cluster", "--seismic", str(source), "--out", str(tmp_path / "c.sgy"), "--k", "3"],
        tmp_path,
        capsys,
        "distinct values",
    )
