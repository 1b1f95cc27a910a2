"""Benchmark SEG-Y to HDF5 conversion: throughput against segyio, and peak memory.

Usage::

    python bench/ingest.py [--shape 200 200 500] [--repeat 7] [--budget-mb 256] [--workdir DIR]

For each sample format (IEEE float and IBM float) a random volume of
``--shape`` is written with ``segyio.tools.from_array`` and converted twice:

* ours: :func:`seismic.ingest.ingest_segy` (geometry detection, coordinates,
  out-of-core conversion into 64-sample bricks);
* baseline: ``segyio.tools.cube`` (the whole volume in memory), then one
  ``h5py`` write of a contiguous dataset.

Each conversion runs ``--repeat`` times, alternating with the other, after
one untimed run of each, and the median time of each counts, so that other
work on a busy machine slows both about equally. Throughput is the float32
volume size (MB = 10**6 bytes) over that time. One JSON line per format:
``{"format", "ours_mb_s", "baseline_mb_s", "ratio"}``.

The last line reports memory: a volume of four times ``--budget-mb`` (float32)
is written as IEEE SEG-Y and converted by ``python -m facies ingest
--memory-budget BUDGET`` in a child process. Its peak resident set size
(``ru_maxrss`` of ``RUSAGE_CHILDREN``) is reported with the peak of a child
that only imports the command-line app: ``{"budget_mb", "volume_mb",
"peak_rss_mb", "import_rss_mb"}``, in MiB as the budget is.
"""

from __future__ import annotations

import argparse
import json
import logging
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import h5py
import numpy as np
import segyio

from seismic.ingest import ingest_segy
from seismic.segy.writer import write_segy

FORMATS = {"ieee": segyio.SegySampleFormat.IEEE_FLOAT_4_BYTE, "ibm": segyio.SegySampleFormat.IBM_FLOAT_4_BYTE}

IMPORT_ONLY = (
    "import resource; from facies.cli import build_parser; build_parser(); import seismic.ingest; "
    "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
)


def convert_baseline(source: Path, output: Path) -> None:
    """Read the whole volume with segyio and write it with one h5py call."""
    with segyio.open(source) as f:
        cube = segyio.tools.cube(f)
    with h5py.File(output, "w") as h5:
        h5.create_dataset("seismic", data=cube)


def convert_ours(source: Path, output: Path) -> None:
    ingest_segy(source, output, progress=False)


def time_once(function, source: Path, output: Path) -> float:
    output.unlink(missing_ok=True)
    started = time.perf_counter()
    function(source, output)
    return time.perf_counter() - started


def throughput(workdir: Path, shape: tuple[int, int, int], repeat: int) -> list[dict]:
    rng = np.random.default_rng(0)
    volume = rng.standard_normal(shape, dtype=np.float32)
    megabytes = volume.nbytes / 1e6
    results = []
    for name, code in FORMATS.items():
        source = workdir / f"bench-{name}.sgy"
        segyio.tools.from_array(str(source), volume, format=code, dt=4000)
        # The untimed first runs fill the page cache and import lazily loaded modules.
        time_once(convert_ours, source, workdir / "ours.h5")
        time_once(convert_baseline, source, workdir / "baseline.h5")
        ours, baseline = [], []
        for _ in range(repeat):
            ours.append(time_once(convert_ours, source, workdir / "ours.h5"))
            baseline.append(time_once(convert_baseline, source, workdir / "baseline.h5"))
        with h5py.File(workdir / "ours.h5", "r") as h5:
            if not np.array_equal(h5["seismic"][...], segyio.tools.cube(str(source))):
                raise SystemExit(f"ingest of {source} does not match segyio's reading")
        ours_rate = megabytes / statistics.median(ours)
        baseline_rate = megabytes / statistics.median(baseline)
        results.append(
            {
                "format": name,
                "ours_mb_s": round(ours_rate, 1),
                "baseline_mb_s": round(baseline_rate, 1),
                "ratio": round(ours_rate / baseline_rate, 3),
            }
        )
        source.unlink()
    return results


class RandomVolume:
    """A volume-shaped object that generates random inline blocks on request, so nothing large is held."""

    def __init__(self, shape: tuple[int, int, int]) -> None:
        self.shape = shape

    def __getitem__(self, lines: slice) -> np.ndarray:
        rng = np.random.default_rng(lines.start)
        return rng.standard_normal((lines.stop - lines.start, *self.shape[1:]), dtype=np.float32)


def peak_memory(workdir: Path, budget_mb: int) -> dict:
    # Four times the budget: 512 x 512 x 1024 float32 samples for 256 MiB.
    # The SEG-Y file is removed before the throughput runs to free the disk.
    n_samples = 1024
    n_lines = int(round(np.sqrt(4 * budget_mb * 2**20 / 4 / n_samples)))
    shape = (n_lines, n_lines, n_samples)
    source = workdir / "large.sgy"
    write_segy(
        source,
        RandomVolume(shape),
        inlines=np.arange(1, n_lines + 1),
        crosslines=np.arange(1, n_lines + 1),
        samples=4.0 * np.arange(n_samples),
        progress=False,
    )

    imported = subprocess.run([sys.executable, "-c", IMPORT_ONLY], check=True, capture_output=True, text=True)
    import_rss_mb = int(imported.stdout.strip()) / 1024
    command = [
        sys.executable, "-m", "facies", "-q", "ingest", str(source), str(workdir / "large.h5"),
        "--memory-budget", str(budget_mb), "--no-progress",
    ]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak_rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    source.unlink()
    (workdir / "large.h5").unlink()
    return {
        "budget_mb": budget_mb,
        "volume_mb": round(np.prod(shape) * 4 / 2**20, 1),
        "peak_rss_mb": round(peak_rss_mb, 1),
        "import_rss_mb": round(import_rss_mb, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shape", type=int, nargs=3, default=(200, 200, 500), metavar=("IL", "XL", "NS"))
    parser.add_argument("--repeat", type=int, default=7, help="timed runs of each conversion (default: 7)")
    parser.add_argument("--budget-mb", type=int, default=256, help="memory budget of the memory run, MiB")
    parser.add_argument("--workdir", type=Path, default=None, help="folder for the generated files")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)

    workdir = Path(tempfile.mkdtemp(prefix="bench-ingest-", dir=args.workdir))
    try:
        # A child's ru_maxrss starts at its parent's resident set at fork time
        # (Linux), so the memory run goes first, while this process is small.
        memory = peak_memory(workdir, args.budget_mb)
        for line in throughput(workdir, tuple(args.shape), args.repeat):
            print(json.dumps(line), flush=True)
        print(json.dumps(memory), flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
