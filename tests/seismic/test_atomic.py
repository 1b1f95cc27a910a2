"""Tests of the write-then-rename helpers."""

import os
import stat

import pytest

from seismic.atomic import atomic_directory, atomic_output


def test_atomic_output_renames_on_success(tmp_path):
    target = tmp_path / "out.txt"
    with atomic_output(target) as temporary:
        temporary.write_text("done")
        assert not target.exists()
    assert target.read_text() == "done"
    assert list(tmp_path.iterdir()) == [target]


def test_atomic_output_leaves_nothing_on_error(tmp_path):
    target = tmp_path / "out.txt"
    with pytest.raises(RuntimeError):
        with atomic_output(target) as temporary:
            temporary.write_text("partial")
            raise RuntimeError("failed")
    assert list(tmp_path.iterdir()) == []


def test_atomic_outputs_follow_umask(tmp_path):
    previous = os.umask(0o022)
    try:
        with atomic_output(tmp_path / "file") as temporary:
            temporary.write_text("x")
        with atomic_directory(tmp_path / "folder") as folder:
            (folder / "inner").write_text("y")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "file").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "folder").stat().st_mode) == 0o755


def test_atomic_directory_replaces_existing_only_on_success(tmp_path):
    target = tmp_path / "run"
    target.mkdir()
    (target / "old").write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_directory(target) as folder:
            (folder / "new").write_text("new")
            raise RuntimeError("failed")
    assert [path.name for path in target.iterdir()] == ["old"]

    with atomic_directory(target) as folder:
        (folder / "new").write_text("new")
    assert [path.name for path in target.iterdir()] == ["new"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["run"]
