"""A pass over every sample: non-finite values, dead traces, amplitude range."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from tqdm import tqdm

__all__ = ["ScanReport", "scan_traces"]


@dataclass(frozen=True)
class ScanReport:
    """Counts from reading every trace.

    Attributes
    ----------
    n_traces : int
        Traces read.
    n_nonfinite : int
        NaN or infinite samples.
    n_nonfinite_traces : int
        Traces with at least one NaN or infinite sample.
    n_dead : int
        Traces whose samples are all zero.
    minimum, maximum : float
        Range of the finite samples (NaN when there are none).
    """

    n_traces: int
    n_nonfinite: int
    n_nonfinite_traces: int
    n_dead: int
    minimum: float
    maximum: float

    def to_dict(self) -> dict[str, int | float]:
        """Return the fields as a JSON-ready dict."""
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def scan_traces(
    read_traces: Callable[[int, int], np.ndarray],
    n_traces: int,
    *,
    chunk_traces: int,
    progress: bool = True,
    description: str = "scanning traces",
) -> ScanReport:
    """Read traces in chunks and count non-finite samples and dead traces.

    Parameters
    ----------
    read_traces : callable
        ``read_traces(start, stop)`` returns traces ``start:stop`` as float32,
        shape (stop - start, n_samples).
    n_traces : int
        Number of traces.
    chunk_traces : int
        Traces per read, which bounds the memory used.
    progress : bool, default True
        Show a tqdm bar on stderr.
    description : str, default "scanning traces"
        Label of the bar.

    Returns
    -------
    ScanReport
    """
    n_nonfinite = n_nonfinite_traces = n_dead = 0
    minimum, maximum = math.inf, -math.inf
    with tqdm(total=n_traces, desc=description, unit="trace", disable=not progress, leave=False) as bar:
        for start in range(0, n_traces, chunk_traces):
            stop = min(start + chunk_traces, n_traces)
            traces = read_traces(start, stop)

            finite = np.isfinite(traces)
            bad_per_trace = traces.shape[1] - np.count_nonzero(finite, axis=1)
            n_nonfinite += int(bad_per_trace.sum())
            n_nonfinite_traces += int(np.count_nonzero(bad_per_trace))
            n_dead += int(np.count_nonzero(~np.any(traces != 0, axis=1)))

            values = traces[finite] if bad_per_trace.any() else traces
            if values.size:
                minimum = min(minimum, float(values.min()))
                maximum = max(maximum, float(values.max()))
            bar.update(stop - start)

    if minimum > maximum:
        minimum = maximum = math.nan
    return ScanReport(n_traces, n_nonfinite, n_nonfinite_traces, n_dead, minimum, maximum)
