"""Normal faults that offset the layered model.

A fault is a plane that dips towards its hanging wall. At depositional time
``tau`` (samples) it passes through the map points where
``normal . (position - origin) = heave_per_sample * tau``; points on the
``normal`` side of it are in the hanging wall, which has moved down by the
fault's throw. The generator works backwards: for each observed sample it
undoes the faults from the youngest to the oldest, giving the depositional
time whose geology is seen there. Older faults are therefore cut and offset by
younger ones.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["Fault", "random_faults", "restore_times"]


@dataclass(frozen=True)
class Fault:
    """A planar normal fault.

    Attributes
    ----------
    origin : tuple of float
        ``(inline, crossline)`` grid position (0-based indexes) where the
        fault plane reaches time 0.
    azimuth_degrees : float
        Direction of the hanging wall from the fault trace, measured from the
        inline axis towards the crossline axis.
    heave_per_sample : float
        Horizontal distance in traces that the plane moves towards the
        hanging wall per sample of depth (0.1 is a dip of about 60 degrees at
        25 m traces, 4 ms samples and 2000 m/s).
    throw : float
        Largest vertical offset in samples, reached at the origin.
    half_length : float
        Distance along strike in traces at which the throw falls to zero
        (elliptical profile).
    """

    origin: tuple[float, float]
    azimuth_degrees: float
    heave_per_sample: float
    throw: float
    half_length: float

    def _axes(self) -> tuple[float, float]:
        angle = math.radians(self.azimuth_degrees)
        return math.cos(angle), math.sin(angle)

    def distance_map(self, inlines: np.ndarray, crosslines: np.ndarray) -> np.ndarray:
        """Return the signed map distance (traces) from the fault trace at time 0, positive on the hanging-wall side."""
        normal_inline, normal_crossline = self._axes()
        return (inlines[:, None] - self.origin[0]) * normal_inline + (crosslines[None, :] - self.origin[1]) * normal_crossline

    def throw_map(self, inlines: np.ndarray, crosslines: np.ndarray) -> np.ndarray:
        """Return the throw in samples at each map position, shape (n_inlines, n_crosslines)."""
        normal_inline, normal_crossline = self._axes()
        along = (inlines[:, None] - self.origin[0]) * -normal_crossline + (crosslines[None, :] - self.origin[1]) * normal_inline
        profile = np.clip(1.0 - (along / self.half_length) ** 2, 0.0, 1.0)
        return self.throw * np.sqrt(profile)


def random_faults(
    rng: np.random.Generator,
    n_inlines: int,
    n_crosslines: int,
    mean_unit_thickness: float,
) -> list[Fault]:
    """Draw the faults of a survey, oldest first.

    About 1.5 faults per 64 traces of survey width, each crossing the survey
    near its middle third, with a throw of 20-40 % of the mean unit thickness
    so that offsets are plain on a section but units stay recognisable.
    """
    width = math.sqrt(n_inlines * n_crosslines)
    count = max(1, int(rng.poisson(1.5 * width / 64.0)))
    diagonal = math.hypot(n_inlines, n_crosslines)
    faults = []
    for _ in range(count):
        origin = (
            float(rng.uniform(0.2, 0.8) * n_inlines),
            float(rng.uniform(0.2, 0.8) * n_crosslines),
        )
        faults.append(
            Fault(
                origin=origin,
                azimuth_degrees=float(rng.uniform(0.0, 360.0)),
                heave_per_sample=float(rng.uniform(0.04, 0.1)),
                throw=float(rng.uniform(0.2, 0.4) * mean_unit_thickness),
                half_length=float(rng.uniform(0.6, 1.2) * diagonal),
            )
        )
    return faults


def restore_times(
    faults: Sequence[Fault],
    inlines: np.ndarray,
    crosslines: np.ndarray,
    n_samples: int,
) -> np.ndarray:
    """Map observed sample times to depositional times by undoing the faults.

    Parameters
    ----------
    faults : sequence of Fault
        Faults from the oldest to the youngest.
    inlines, crosslines : ndarray of float
        0-based grid indexes of the block's inlines and crosslines.
    n_samples : int
        Samples per trace.

    Returns
    -------
    ndarray of float32, shape (n_inlines, n_crosslines, n_samples)
        Depositional time (samples) of every observed sample. Along each trace
        it never decreases, and jumps by the throw where the trace crosses
        a fault.
    """
    times = np.arange(n_samples, dtype=np.float32)
    restored = np.broadcast_to(times, (inlines.size, crosslines.size, n_samples)).copy()
    for fault in reversed(faults):
        distance = fault.distance_map(inlines, crosslines).astype(np.float32)
        throw = fault.throw_map(inlines, crosslines).astype(np.float32)
        hanging_wall = distance[..., None] > np.float32(fault.heave_per_sample) * restored
        restored -= throw[..., None] * hanging_wall
    return restored
