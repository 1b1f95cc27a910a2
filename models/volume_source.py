"""Read access to a volume held in memory, in a ``.npy`` file or in HDF5.

A :class:`VolumeSource` stores a path rather than an open file, and opens it on
first use in each process. DataLoader workers therefore each hold their own
HDF5 handle (h5py handles must not cross a fork) and read only the sections
they need, so the volume is never loaded whole.

This module imports numpy and h5py only.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import numpy as np

from seismic.errors import InputNotFoundError, InvalidInputError

__all__ = ["VolumeSource", "HDF5_SUFFIXES", "CHUNK_CACHE_BYTES"]

logger = logging.getLogger(__name__)

HDF5_SUFFIXES = (".h5", ".hdf5", ".hdf")

# Chunk cache per open HDF5 file. One section read touches each chunk of its
# row once whatever the cache size, so the cache only saves re-reading chunks
# shared with the sections read just before. With 64 x 64 x 64 float32 bricks
# (1 MB each), 64 MB fits the 35 bricks of a 300 x 400 section's row.
CHUNK_CACHE_BYTES = 64 * 1024**2


class VolumeSource:
    """A 3-D volume that opens lazily, once per process.

    Parameters
    ----------
    source : ndarray, h5py.Dataset, str or Path
        The volume ``(n_inlines, n_crosslines, n_samples)``: an array in
        memory, an open h5py dataset (reopened by file name in each process),
        a ``.npy`` file (memory-mapped) or an HDF5 file (``.h5``, ``.hdf5``,
        ``.hdf``).
    dataset : str, default="seismic"
        Dataset name inside an HDF5 file.

    Raises
    ------
    InputNotFoundError
        If the file does not exist.
    InvalidInputError
        If the file type is not supported, the HDF5 file lacks ``dataset``,
        or the volume is not 3-D.
    """

    def __init__(self, source: Any, dataset: str = "seismic") -> None:
        self.dataset = dataset
        self._array: Any = None
        self._file: Any = None
        self._pid: int | None = None
        self.path: Path | None = None

        if isinstance(source, np.ndarray):
            self._array = source
            self.kind = "array"
            self.shape = tuple(source.shape)
            self.dtype = source.dtype
        elif _is_h5py_dataset(source):
            self.path = Path(source.file.filename)
            self.dataset = source.name
            self.kind = "hdf5"
            self.shape = tuple(source.shape)
            self.dtype = source.dtype
        elif isinstance(source, (str, os.PathLike)):
            self.path = Path(source)
            if not self.path.is_file():
                raise InputNotFoundError(f"volume file not found: {self.path}; check the path")
            suffix = self.path.suffix.lower()
            if suffix == ".npy":
                self.kind = "npy"
            elif suffix in HDF5_SUFFIXES:
                self.kind = "hdf5"
            else:
                raise InvalidInputError(
                    f"cannot read {self.path} lazily: the suffix {suffix!r} is neither .npy nor HDF5; "
                    "load SEG-Y with seismic.io.load_volume and pass the array"
                )
            array = self.array
            self.shape = tuple(array.shape)
            self.dtype = array.dtype
            # Close again so a forked DataLoader worker inherits no open HDF5 handle.
            self.close()
        else:
            raise InvalidInputError(
                f"unsupported volume source of type {type(source).__name__}; give an array, an h5py dataset or a path"
            )

        if len(self.shape) != 3:
            raise InvalidInputError(
                f"volume {self.describe()} has shape {self.shape}; give a 3-D volume (inlines x crosslines x samples)"
            )

    def describe(self) -> str:
        """Return a short name for messages: the path and dataset, or "array"."""
        if self.path is None:
            return "array"
        if self.kind == "hdf5":
            return f"{self.path}:{self.dataset}"
        return str(self.path)

    @property
    def array(self) -> Any:
        """The volume as an indexable array, opened in this process on first access."""
        if self.kind == "array":
            return self._array
        if self._pid != os.getpid() or self._array is None:
            self._open()
        return self._array

    def __getitem__(self, index: Any) -> np.ndarray:
        return np.asarray(self.array[index])

    def close(self) -> None:
        """Close the file handle of this process, if any."""
        if self._file is not None and self._pid == os.getpid():
            self._file.close()
        if self.kind != "array":
            self._file = None
            self._array = None
            self._pid = None

    def _open(self) -> None:
        if self.kind == "npy":
            self._array = np.load(self.path, mmap_mode="r")
            self._file = None
        else:
            import h5py

            handle = h5py.File(self.path, "r", rdcc_nbytes=CHUNK_CACHE_BYTES, rdcc_nslots=10007)
            if self.dataset not in handle:
                names = sorted(handle.keys())
                handle.close()
                raise InvalidInputError(
                    f"HDF5 file {self.path} has no dataset {self.dataset!r} (it contains {names}); "
                    "give the dataset name or a file written by facies ingest"
                )
            self._file = handle
            self._array = handle[self.dataset]
        self._pid = os.getpid()
        logger.debug("Opened %s in process %d", self.describe(), self._pid)

    def __getstate__(self) -> dict[str, Any]:
        # A worker process reopens the file; an open handle or a memory map
        # would otherwise be pickled (a memory map as a full copy).
        state = self.__dict__.copy()
        if self.kind != "array":
            state.update(_array=None, _file=None, _pid=None)
        return state


def _is_h5py_dataset(value: Any) -> bool:
    try:
        import h5py
    except ImportError:
        return False
    return isinstance(value, h5py.Dataset)
