"""Locate the sample surveys shipped in the project's ``data/`` folder."""

from __future__ import annotations

import sys
import sysconfig
from pathlib import Path

from seismic.errors import InputNotFoundError

__all__ = ["shipped_file"]


def _candidate_folders() -> list[Path]:
    # A source checkout or an editable install keeps data/ beside the packages.
    folders = [Path(__file__).resolve().parents[1] / "data"]

    # A regular install puts it under the environment's share/ folder.
    for prefix in (sys.prefix, sysconfig.get_path("data")):
        folders.append(Path(prefix) / "share" / "seismic-facies" / "data")
    return folders


def shipped_file(name: str) -> Path:
    """Return the path of a shipped data file such as ``"f3.sgy"``.

    Raises
    ------
    InputNotFoundError
        If no installed or source copy of ``name`` exists.
    """
    for folder in _candidate_folders():
        path = folder / name
        if path.is_file():
            return path
    searched = ", ".join(str(folder) for folder in _candidate_folders())
    raise InputNotFoundError(
        f"shipped data file {name!r} not found in {searched}; reinstall seismic-facies from its source tree"
    )
