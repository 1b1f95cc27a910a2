"""The layered column: a stack of units, each filled with one stratigraphic facies.

Unit boundaries are built in depositional time (before faulting), in samples.
Each unit's thickness varies laterally around its own mean. A smooth
structural surface with a regional dip moves the whole stack up and down, so
horizons undulate and units thin and thicken across the survey.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from seismic.synthetic.classes import CHAOTIC, STRATIGRAPHIC_FACIES
from seismic.synthetic.random_fields import smooth_map

__all__ = ["Column", "build_column", "MIN_SAMPLES", "UNIT_SAMPLES"]

UNIT_SAMPLES = 25
"""Mean unit thickness aimed at, in samples; the column has ``max(4, round(n_samples / 25))`` units."""

MIN_UNIT_SAMPLES = 6
MIN_SAMPLES = 4 * MIN_UNIT_SAMPLES
"""Minimum samples per trace: four units (one per stratigraphic facies) of 6 samples each."""


@dataclass(frozen=True)
class Column:
    """Units of a synthetic survey, top to bottom.

    Attributes
    ----------
    facies : ndarray of int, shape (n_units,)
        Stratigraphic class of each unit. Neighbouring units never share one.
    boundaries : ndarray of float32, shape (n_units + 1, n_inlines, n_crosslines)
        Top of each unit and base of the last, in depositional time (samples).
        ``boundaries[1:-1]`` are the interpreted horizons. The first and last
        lie near or beyond the ends of the trace, and they only scale the
        layering of the top and bottom units.
    mean_thickness : ndarray of float64, shape (n_units,)
        Mean thickness of each unit in samples.
    """

    facies: np.ndarray
    boundaries: np.ndarray
    mean_thickness: np.ndarray

    @property
    def n_units(self) -> int:
        """Number of units."""
        return int(self.facies.size)


def _facies_sequence(rng: np.random.Generator, n_units: int) -> np.ndarray:
    # Every stratigraphic facies at least once, no facies twice in a row, and
    # no chaotic unit directly above another chaotic one through a
    # mass-transport deposit (that rule lives in the body placement).
    for _ in range(1000):
        sequence = list(rng.permutation(STRATIGRAPHIC_FACIES))
        while len(sequence) < n_units:
            choices = [facies for facies in STRATIGRAPHIC_FACIES if facies != sequence[-1]]
            sequence.append(int(rng.choice(choices)))
        order = rng.permutation(n_units)
        shuffled = np.asarray(sequence)[order]
        if np.all(shuffled[1:] != shuffled[:-1]):
            return shuffled.astype(np.int64)
    raise RuntimeError("could not draw a facies sequence without repeats")  # pragma: no cover


def build_column(rng: np.random.Generator, n_inlines: int, n_crosslines: int, n_samples: int) -> Column:
    """Draw the units and their boundary surfaces.

    Parameters
    ----------
    rng : numpy.random.Generator
        Random source.
    n_inlines, n_crosslines, n_samples : int
        Survey size; ``n_samples`` is at least :data:`MIN_SAMPLES`.

    Returns
    -------
    Column
    """
    n_units = max(len(STRATIGRAPHIC_FACIES), int(round(n_samples / UNIT_SAMPLES)))
    facies = _facies_sequence(rng, n_units)
    shape = (n_inlines, n_crosslines)

    # Mean thicknesses within +-20 % of each other, summing to the trace length.
    mean_thickness = rng.uniform(0.8, 1.2, n_units)
    mean_thickness *= n_samples / mean_thickness.sum()

    # Lateral thickness changes of +-25 % (one standard deviation) per unit,
    # rescaled so that every trace contains the whole stack.
    factors = np.stack([1.0 + 0.25 * smooth_map(rng, shape, rng.uniform(8.0, 16.0)) for _ in range(n_units)])
    thickness = mean_thickness[:, None, None] * np.clip(factors, 0.55, 1.45)
    thickness *= n_samples / thickness.sum(axis=0, keepdims=True)

    # Structure: a smooth undulation and a regional dip moving the whole stack,
    # bounded so the top and bottom units keep most of their thickness.
    unit = n_samples / n_units
    undulation = smooth_map(rng, shape, rng.uniform(12.0, 24.0))
    dip_inline, dip_crossline = rng.uniform(-1.0, 1.0, 2)
    inline_axis = np.linspace(-0.5, 0.5, n_inlines)[:, None]
    crossline_axis = np.linspace(-0.5, 0.5, n_crosslines)[None, :]
    regional = dip_inline * inline_axis + dip_crossline * crossline_axis
    structure = 0.3 * unit * np.tanh(0.7 * undulation + regional)

    tops = np.concatenate([np.zeros((1, *shape)), np.cumsum(thickness, axis=0)])
    boundaries = (tops + structure[None]).astype(np.float32)
    return Column(facies=facies, boundaries=boundaries, mean_thickness=mean_thickness)


def chaotic_neighbours(facies: np.ndarray) -> np.ndarray:
    """Return, per unit, whether the unit or the one above it is chaotic."""
    chaotic = facies == CHAOTIC
    above = np.concatenate([[False], chaotic[:-1]])
    return chaotic | above
