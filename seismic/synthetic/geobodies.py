"""Geomorphologic bodies: meandering channels, fan lobes and mass-transport deposits.

Each body lives in one host unit and is described by a map of its thickness
as a fraction of the host unit's local thickness (0 outside the body):

- a channel is cut down from the top of its host, with a U-shaped
  cross-section (depth proportional to ``1 - (r / half_width)^4``, a flat
  base and steep banks) around a meandering centreline;
- a fan lobe lies on the base of its host and is mounded (convex up),
  teardrop-shaped in plane view, widening away from its apex;
- a mass-transport deposit is cut down from the top of its host as a lobate
  lens with an irregular outline.

Fans and deposits also thin as ``1 - r^4`` towards their edges, so their
margins are steep and few samples lie in slivers too thin to resolve.

Channels and fans run roughly along the inline axis, so in a survey of the
default size each inline section crosses every channel and most fans.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import ndimage
from scipy.spatial import cKDTree

from seismic.synthetic.classes import CHANNEL, CHAOTIC, FAN
from seismic.synthetic.column import chaotic_neighbours

__all__ = ["Body", "channel_body", "fan_body", "mtd_body", "place_bodies", "TOP", "BASE"]

TOP = "top"
BASE = "base"


@dataclass(frozen=True)
class Body:
    """A geobody inside one unit.

    Attributes
    ----------
    label : int
        Class of the body's samples (channel, fan, or chaotic for a
        mass-transport deposit).
    kind : str
        ``"channel"``, ``"fan"`` or ``"mtd"``.
    unit : int
        Host unit index (0 at the top).
    anchor : str
        ``"top"`` when the body hangs from the host's top, ``"base"`` when it
        rests on the host's base.
    fraction : ndarray of float32, shape (n_inlines, n_crosslines)
        Body thickness as a fraction of the host's local thickness, 0 outside.
    """

    label: int
    kind: str
    unit: int
    anchor: str
    fraction: np.ndarray


def _grid(n_inlines: int, n_crosslines: int) -> tuple[np.ndarray, np.ndarray]:
    return np.meshgrid(np.arange(n_inlines, dtype=np.float64), np.arange(n_crosslines, dtype=np.float64), indexing="ij")


def _centreline(
    rng: np.random.Generator,
    n_inlines: int,
    n_crosslines: int,
    half_width: float,
    start_range: tuple[float, float],
) -> np.ndarray:
    # A sine-generated curve: the flow direction swings by up to `swing` around
    # the mean azimuth with wavelength `wavelength`, plus a slow random drift,
    # and always advances along the inline axis.
    wavelength = rng.uniform(22.0, 36.0)
    swing = rng.uniform(0.6, 1.0)
    azimuth = rng.uniform(-0.25, 0.25)
    step = 0.25
    margin = 2.0 * half_width + wavelength
    length = (n_inlines + 2.0 * margin) * 2.0
    distance = np.arange(0.0, length, step)
    drift = ndimage.gaussian_filter1d(rng.standard_normal(distance.size), 40.0 / step)
    drift *= 0.25 / max(float(np.std(drift)), 1e-9)
    angle = azimuth + swing * np.sin(2.0 * math.pi * distance / wavelength + rng.uniform(0, 2 * math.pi)) + drift
    angle = np.clip(angle, -1.45, 1.45)
    inline = -margin + np.cumsum(np.cos(angle) * step)
    crossline = np.cumsum(np.sin(angle) * step)
    # Place the curve so that it crosses the middle inline at the drawn crossline.
    middle = int(np.argmin(np.abs(inline - 0.5 * n_inlines)))
    crossline += rng.uniform(*start_range) * n_crosslines - crossline[middle]
    keep = inline <= n_inlines + margin
    points = np.column_stack([inline[keep], crossline[keep]])
    if rng.random() < 0.5:
        points[:, 0] = n_inlines - 1 - points[:, 0]
    return points


def channel_body(
    rng: np.random.Generator,
    unit: int,
    n_inlines: int,
    n_crosslines: int,
    start_range: tuple[float, float] = (0.15, 0.85),
) -> Body:
    """Draw a meandering channel hanging from the top of ``unit``.

    The channel is 9-13 traces wide and cuts 50-75 % of the host thickness
    deep at its axis. It enters the survey at a crossline drawn from
    ``start_range`` (fractions of the survey width).
    """
    half_width = rng.uniform(4.5, 6.5)
    depth = rng.uniform(0.5, 0.75)
    points = _centreline(rng, n_inlines, n_crosslines, half_width, start_range)
    inline, crossline = _grid(n_inlines, n_crosslines)
    grid_points = np.column_stack([inline.ravel(), crossline.ravel()])
    distance, _ = cKDTree(points).query(grid_points, distance_upper_bound=half_width)
    distance = np.minimum(distance, half_width).reshape(inline.shape)
    fraction = depth * np.clip(1.0 - (distance / half_width) ** 4, 0.0, None)
    return Body(label=CHANNEL, kind="channel", unit=unit, anchor=TOP, fraction=fraction.astype(np.float32))


def fan_body(rng: np.random.Generator, unit: int, n_inlines: int, n_crosslines: int) -> Body:
    """Draw a fan lobe resting on the base of ``unit``.

    The lobe is up to 1.3 survey lengths (30-160 traces) long, 45-70 % of its
    length wide at its distal end, and 45-65 % of the host thickness high at
    its crest.
    """
    length = float(np.clip(1.3 * n_inlines, 30.0, 160.0)) * rng.uniform(0.9, 1.1)
    half_width = rng.uniform(0.22, 0.35) * length
    height = rng.uniform(0.45, 0.65)
    azimuth = rng.uniform(-0.35, 0.35)
    if length >= n_inlines:
        # A long lobe starts just before the first inline so it spans the survey.
        apex_inline = -rng.uniform(0.05, 0.15) * length
    else:
        apex_inline = rng.uniform(-0.2, 0.8) * n_inlines
    apex = (apex_inline, rng.uniform(0.2, 0.8) * n_crosslines)

    inline, crossline = _grid(n_inlines, n_crosslines)
    if rng.random() < 0.5:
        inline = n_inlines - 1 - inline
    along = (inline - apex[0]) * math.cos(azimuth) + (crossline - apex[1]) * math.sin(azimuth)
    across = -(inline - apex[0]) * math.sin(azimuth) + (crossline - apex[1]) * math.cos(azimuth)
    widening = half_width * (0.35 + 0.65 * np.clip(along / length, 0.0, 1.0))
    radius2 = ((along - 0.5 * length) / (0.5 * length)) ** 2 + (across / widening) ** 2
    fraction = height * np.clip(1.0 - radius2**2, 0.0, None)
    return Body(label=FAN, kind="fan", unit=unit, anchor=BASE, fraction=fraction.astype(np.float32))


def mtd_body(rng: np.random.Generator, unit: int, n_inlines: int, n_crosslines: int) -> Body:
    """Draw a mass-transport deposit cut into the top of ``unit`` (labelled chaotic).

    The lens is 24-48 by 16-32 traces with a lobate outline and reaches
    35-55 % of the host thickness deep.
    """
    semi_major = rng.uniform(12.0, 24.0)
    semi_minor = rng.uniform(8.0, 16.0)
    depth = rng.uniform(0.35, 0.55)
    angle = rng.uniform(0.0, math.pi)
    centre = (rng.uniform(0.1, 0.9) * n_inlines, rng.uniform(0.1, 0.9) * n_crosslines)
    lobes = int(rng.integers(2, 5))
    lobe_phase = rng.uniform(0.0, 2.0 * math.pi)

    inline, crossline = _grid(n_inlines, n_crosslines)
    along = (inline - centre[0]) * math.cos(angle) + (crossline - centre[1]) * math.sin(angle)
    across = -(inline - centre[0]) * math.sin(angle) + (crossline - centre[1]) * math.cos(angle)
    bearing = np.arctan2(across, along)
    radius = np.hypot(along / semi_major, across / semi_minor) / (1.0 + 0.2 * np.sin(lobes * bearing + lobe_phase))
    fraction = depth * np.clip(1.0 - radius**4, 0.0, None)
    return Body(label=CHAOTIC, kind="mtd", unit=unit, anchor=TOP, fraction=fraction.astype(np.float32))


def _pick_hosts(rng: np.random.Generator, candidates: list[int], count: int, avoid: set[int]) -> list[int]:
    preferred = [unit for unit in candidates if unit not in avoid]
    pool = preferred if len(preferred) >= count else candidates
    if not pool:
        return []
    return [int(unit) for unit in rng.choice(pool, size=min(count, len(pool)), replace=False)]


def place_bodies(
    rng: np.random.Generator,
    facies: np.ndarray,
    n_inlines: int,
    n_crosslines: int,
) -> list[Body]:
    """Draw every body of a survey: mass-transport deposits, then fans, then channels.

    Later bodies take precedence where bodies overlap. Channels and
    mass-transport deposits hang from a unit top, so they avoid the top unit
    because its top lies above the first sample. Fans rest on a unit base, so
    they avoid the bottom unit. A mass-transport deposit is never placed in a
    chaotic unit or below one, so a label change marks every horizon.

    Parameters
    ----------
    rng : numpy.random.Generator
        Random source.
    facies : ndarray of int, shape (n_units,)
        Stratigraphic class of each unit, top to bottom.
    n_inlines, n_crosslines : int
        Survey size in traces.

    Returns
    -------
    list of Body
    """
    n_units = facies.size
    area = n_inlines * n_crosslines / 4096.0
    bodies: list[Body] = []

    mtd_hosts = [unit for unit in range(1, n_units) if not chaotic_neighbours(facies)[unit]]
    if mtd_hosts:
        for _ in range(max(1, int(round(area)))):
            bodies.append(mtd_body(rng, int(rng.choice(mtd_hosts)), n_inlines, n_crosslines))

    channel_hosts = _pick_hosts(rng, list(range(1, n_units)), max(1, int(round(0.35 * n_units))), set())
    fan_hosts = _pick_hosts(rng, list(range(0, n_units - 1)), max(1, int(round(0.3 * n_units))), set(channel_hosts))

    length = float(np.clip(1.3 * n_inlines, 30.0, 160.0))
    fans_per_host = max(1, int(round(0.7 * n_inlines * n_crosslines / (length * 0.57 * length))))
    for unit in fan_hosts:
        for _ in range(fans_per_host):
            bodies.append(fan_body(rng, unit, n_inlines, n_crosslines))

    # Channels of one host cross the middle inline in separate crossline bands, so they rarely merge.
    channels_per_host = max(1, int(round(1.5 * n_crosslines / 64.0)))
    bands = np.linspace(0.1, 0.9, channels_per_host + 1)
    for unit in channel_hosts:
        for low, high in zip(bands[:-1], bands[1:]):
            bodies.append(channel_body(rng, unit, n_inlines, n_crosslines, (float(low), float(high))))
    return bodies
