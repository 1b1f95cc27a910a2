"""The sample axis: interval, first sample, time or depth domain, unit.

SEG-Y stores the sample interval in microseconds for time data; depth
writers put the depth step times 1000 in the same field. Dividing by 1000
gives milliseconds or metres/feet. The first sample's time or depth is the
trace header's delay recording time (bytes 109-110), scaled by the time
scalar at bytes 215-216 when that scalar is a power of ten.
"""

from __future__ import annotations

import logging
import math
import re
import struct
from dataclasses import dataclass

import numpy as np

from seismic.errors import InvalidInputError
from seismic.segy.binary import BinaryHeader

__all__ = ["SampleAxis", "sample_axis", "DOMAINS", "DEFAULT_INTERVAL_MS"]

logger = logging.getLogger(__name__)

DOMAINS = ("time", "depth")

# The interval assumed when no header contains a positive one.
DEFAULT_INTERVAL_MS = 4.0

_TIME_SCALARS = {1, 10, 100, 1000, 10000}

# Phrases that name both domains ("trace start time/depth") are not evidence for either.
_BOTH_DOMAINS = re.compile(r"time\s*(/|or)\s*depth|depth\s*(/|or)\s*time", re.IGNORECASE)
_DEPTH_WORDS = re.compile(r"\bdepth\b|\bpsdm\b|\bz\s*\((m|ft)\)", re.IGNORECASE)
_TIME_WORDS = re.compile(r"\btime\b|\btwt\b|\bpstm\b", re.IGNORECASE)


@dataclass(frozen=True)
class SampleAxis:
    """Vertical axis of the traces.

    Attributes
    ----------
    first : float
        Time (ms) or depth (``unit``) of the first sample.
    interval : float
        Sample interval in ms or in ``unit``.
    n_samples : int
        Samples per trace.
    domain : str
        ``"time"`` or ``"depth"``.
    unit : str
        ``"ms"`` for time, ``"m"`` or ``"ft"`` for depth.
    """

    first: float
    interval: float
    n_samples: int
    domain: str
    unit: str

    @property
    def values(self) -> np.ndarray:
        """Sample times or depths, shape (n_samples,), float64."""
        return self.first + self.interval * np.arange(self.n_samples, dtype=np.float64)


def _interval(binary: BinaryHeader | None, trace_interval: int, source: str) -> float:
    """Return the sample interval in ms (or depth units), from the first header field that is valid."""
    # Rank 1: the binary header's interval, the one the standard makes authoritative.
    if binary is not None and binary.sample_interval > 0:
        return binary.sample_interval / 1000.0

    # Rank 2: the revision-2 IEEE double interval, for intervals that are not whole microseconds.
    if binary is not None and binary.revision >= 2:
        extended = binary.extended_sample_interval
        if math.isfinite(extended) and 0 < extended < 1e7:
            return extended / 1000.0

    # Rank 3: the first trace header's interval (the only one in Seismic Unix files).
    if trace_interval > 0:
        if binary is not None:
            logger.warning(
                "%s: binary header sample interval %d is invalid; using the trace header's %d microseconds",
                source,
                binary.sample_interval,
                trace_interval,
            )
        return trace_interval / 1000.0

    logger.warning(
        "%s: no header contains a positive sample interval (binary %s, trace %d); assuming %g ms",
        source,
        binary.sample_interval if binary is not None else "none",
        trace_interval,
        DEFAULT_INTERVAL_MS,
    )
    return DEFAULT_INTERVAL_MS


def _detect_domain(text: str) -> str:
    """Guess time or depth from the textual header; time unless depth words dominate."""
    text = _BOTH_DOMAINS.sub(" ", text)
    depth_hits = len(_DEPTH_WORDS.findall(text))
    time_hits = len(_TIME_WORDS.findall(text))
    return "depth" if depth_hits > time_hits else "time"


def _first_sample(header: bytes, endian: str, source: str) -> float:
    prefix = ">" if endian == "big" else "<"
    delay = struct.unpack_from(prefix + "h", header, 108)[0]
    scalar = struct.unpack_from(prefix + "h", header, 214)[0]
    if delay == 0 or scalar == 0:
        return float(delay)
    if abs(scalar) not in _TIME_SCALARS:
        logger.debug("%s: ignoring time scalar %d at byte 215 (not a power of ten)", source, scalar)
        return float(delay)
    return float(delay) * scalar if scalar > 0 else float(delay) / -scalar


def sample_axis(
    binary: BinaryHeader | None,
    first_header: bytes,
    n_samples: int,
    text: str,
    endian: str,
    *,
    domain: str | None = None,
    source: str = "file",
) -> SampleAxis:
    """Work out the sample axis from the binary header, first trace header and textual header.

    Parameters
    ----------
    binary : BinaryHeader or None
        The binary header (None for Seismic Unix).
    first_header : bytes
        The first trace's 240-byte header.
    n_samples : int
        Samples per trace.
    text : str
        The decoded textual header, searched for "depth" and "time" when
        ``domain`` is None.
    endian : {"big", "little"}
        Byte order of the file.
    domain : {"time", "depth"} or None, default None
        The domain, when known; None guesses it from the textual header and
        falls back to time.
    source : str, default "file"
        The file name, quoted in log messages.

    Returns
    -------
    SampleAxis

    Raises
    ------
    InvalidInputError
        If ``domain`` is not "time", "depth" or None.
    """
    if domain is not None and domain not in DOMAINS:
        raise InvalidInputError(f"invalid domain {domain!r}; use 'time' or 'depth'")

    prefix = ">" if endian == "big" else "<"
    trace_interval = struct.unpack_from(prefix + "h", first_header, 116)[0]
    interval = _interval(binary, trace_interval, source)

    if domain is None:
        domain = _detect_domain(text)
    if domain == "time":
        unit = "ms"
    else:
        unit = "ft" if binary is not None and binary.measurement_system == 2 else "m"

    first = _first_sample(first_header, endian, source)
    return SampleAxis(first=first, interval=interval, n_samples=n_samples, domain=domain, unit=unit)
