"""Write outputs under a temporary name and rename them on success.

A crash or an invalid input then never leaves a partial file where the user
expects a finished one.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["atomic_output", "atomic_directory"]


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path`` and rename it to ``path`` on success.

    Parameters
    ----------
    path : path-like
        The final file name. Its parent folder is created if missing.

    Yields
    ------
    Path
        A hidden temporary file name in the same folder, so the final rename is
        atomic on the same file system. It is removed if the block raises.
    """
    final = Path(path)
    final.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".tmp", dir=final.parent)
    os.close(handle)
    temporary = Path(name)

    # mkstemp creates the file owner-only; give it the permissions a plain open() would.
    os.chmod(temporary, 0o666 & ~_current_umask())
    try:
        yield temporary
        os.replace(temporary, final)
    finally:
        temporary.unlink(missing_ok=True)


@contextlib.contextmanager
def atomic_directory(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary folder beside ``path`` and move it to ``path`` on success.

    An existing folder at ``path`` is replaced only after the block succeeds.

    Parameters
    ----------
    path : path-like
        The final folder name.

    Yields
    ------
    Path
        A hidden temporary folder in the same parent folder, removed with its
        contents if the block raises.
    """
    final = Path(path)
    final.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=f".{final.name}.", suffix=".tmp", dir=final.parent))

    # mkdtemp creates the folder owner-only; give it the permissions a plain mkdir() would.
    os.chmod(temporary, 0o777 & ~_current_umask())
    try:
        yield temporary
        if final.is_dir():
            backup = Path(tempfile.mkdtemp(prefix=f".{final.name}.", suffix=".old", dir=final.parent))
            os.replace(final, backup / final.name)
            os.replace(temporary, final)
            shutil.rmtree(backup, ignore_errors=True)
        else:
            os.replace(temporary, final)
    finally:
        if temporary.exists():
            shutil.rmtree(temporary, ignore_errors=True)


def _current_umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask
