"""Facies textures: the log-impedance recipe of each facies.

Every unit and body has a mean log-impedance (so each unit boundary and body
outline reflects) and a layer series: thin layers of random log-impedance
along a *layer coordinate* whose level surfaces are the bedding. The facies
differ in that coordinate and in the layer contrast:

=========== ============================================= ==========================
facies      layer coordinate (bedding)                    contrast, layer spacing
=========== ============================================= ==========================
parallel    relative position in the unit (conformable)   strong, 2-5 samples
chaotic     relative position plus a smooth 3D random     strong, 1.5-3.5 samples,
            displacement (contorted, broken reflectors)   plus 3D impedance noise
clinoform   oblique sigmoid surfaces dipping along a      strong, 2-4 traces apart
            progradation azimuth, truncated at the top    along the azimuth
            and base (toplap and downlap)
transparent relative position in the unit                 very weak, 2-5 samples
channel     time below the channel top (flat fill         strong, 2.5-4.5 samples,
            onlapping the U-shaped base)                  low-impedance fill
fan         relative height in the lobe (mounded,         strongest, 3.5-6 samples,
            converging to the edges)                      laterally hummocky
=========== ============================================= ==========================

Reflection coefficients are the vertical differences of half the log-impedance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from seismic.synthetic.classes import CHANNEL, CHAOTIC, CLINOFORM, FAN, PARALLEL, TRANSPARENT
from seismic.synthetic.random_fields import smooth_map

__all__ = ["LayerSeries", "Texture", "draw_unit_texture", "draw_body_texture", "CHAOTIC_DISPLACEMENT"]

# Log-impedance contrast (standard deviation of layer values) per facies.
_CONTRAST = {
    PARALLEL: 0.06,
    CHAOTIC: 0.06,
    CLINOFORM: 0.06,
    TRANSPARENT: 0.006,
    CHANNEL: 0.1,
    FAN: 0.11,
}

# Layer thickness range per facies, in units of its layer coordinate
# (samples, or traces along the progradation azimuth for clinoforms).
_SPACING = {
    PARALLEL: (2.0, 5.0),
    CHAOTIC: (1.5, 3.5),
    CLINOFORM: (2.0, 4.0),
    TRANSPARENT: (2.0, 5.0),
    CHANNEL: (2.5, 4.5),
    FAN: (3.5, 6.0),
}

CHAOTIC_DISPLACEMENT = 3.5
"""Standard deviation of the random vertical displacement of chaotic bedding, in samples."""

CHAOTIC_NOISE = 0.03
"""Standard deviation of the 3D log-impedance noise added to chaotic facies."""


@dataclass(frozen=True)
class LayerSeries:
    """Piecewise-constant log-impedance along a layer coordinate.

    Attributes
    ----------
    edges : ndarray of float64, shape (n_layers - 1,)
        Increasing layer boundaries in layer-coordinate units.
    values : ndarray of float32, shape (n_layers,)
        Log-impedance offset of each layer.
    """

    edges: np.ndarray
    values: np.ndarray

    def __call__(self, coordinate: np.ndarray) -> np.ndarray:
        """Return the log-impedance offset at each layer coordinate (coordinates outside the series take the end layers)."""
        return self.values[np.searchsorted(self.edges, coordinate)]


def _random_layers(
    rng: np.random.Generator,
    start: float,
    stop: float,
    spacing: tuple[float, float],
    contrast: float,
) -> LayerSeries:
    count = int((stop - start) / spacing[0]) + 2
    edges = start + np.cumsum(rng.uniform(*spacing, count))
    edges = edges[edges < stop]
    # Alternating signs keep neighbouring layers apart, so every layer
    # boundary reflects; the magnitudes vary so the reflectors differ.
    signs = np.where(np.arange(edges.size + 1) % 2 == 0, 1.0, -1.0) * rng.choice([-1.0, 1.0])
    values = contrast * signs * rng.uniform(0.4, 1.4, edges.size + 1)
    return LayerSeries(edges=edges, values=values.astype(np.float32))


@dataclass(frozen=True)
class Texture:
    """Log-impedance recipe of one unit or body.

    Attributes
    ----------
    facies : int
        Class whose recipe applies.
    mean : float
        Mean log-impedance.
    layers : LayerSeries
        Bedding along the facies' layer coordinate.
    nominal_thickness : float
        Samples that the relative position 0..1 spans in the layer
        coordinate (the mean unit or body thickness).
    azimuth : float
        Progradation direction of clinoforms, radians from the inline axis.
    slope_width : float
        Width of the clinoform slope in traces. The bedding dips most steeply
        (about ``nominal_thickness / (3 * slope_width)`` samples per trace)
        at mid-height.
    hummocks : ndarray of float32, shape (n_inlines, n_crosslines), optional
        Lateral amplitude modulation of fan bedding (1 +- 0.6, one standard deviation).
    """

    facies: int
    mean: float
    layers: LayerSeries
    nominal_thickness: float
    azimuth: float = 0.0
    slope_width: float = 1.0
    hummocks: np.ndarray | None = None


def draw_unit_texture(
    rng: np.random.Generator,
    facies: int,
    mean: float,
    nominal_thickness: float,
    n_inlines: int,
    n_crosslines: int,
) -> Texture:
    """Draw the recipe of a layered unit of the given stratigraphic facies."""
    contrast = _CONTRAST[facies] * rng.uniform(0.85, 1.15)
    if facies == CLINOFORM:
        slope_width = rng.uniform(2.5, 5.0)
        extent = math.hypot(n_inlines, n_crosslines) + 8.0 * slope_width
        layers = _random_layers(rng, -extent, extent, _SPACING[facies], contrast)
        # Oblique to both grid axes, so inline and crossline sections both show the dip.
        azimuth = rng.uniform(math.radians(25), math.radians(65)) + rng.integers(0, 4) * math.pi / 2
        return Texture(facies, mean, layers, nominal_thickness, azimuth=azimuth, slope_width=slope_width)

    margin = 2.0 * nominal_thickness + 4.0 * CHAOTIC_DISPLACEMENT
    layers = _random_layers(rng, -margin, nominal_thickness + margin, _SPACING[facies], contrast)
    return Texture(facies, mean, layers, nominal_thickness)


def draw_body_texture(
    rng: np.random.Generator,
    label: int,
    host_mean: float,
    nominal_thickness: float,
    n_inlines: int,
    n_crosslines: int,
) -> Texture:
    """Draw the recipe of a body: channel fill, fan lobe or mass-transport deposit (chaotic)."""
    contrast = _CONTRAST[label] * rng.uniform(0.85, 1.15)
    margin = nominal_thickness + 4.0 * CHAOTIC_DISPLACEMENT
    layers = _random_layers(rng, -margin, nominal_thickness + margin, _SPACING[label], contrast)
    if label == CHANNEL:
        mean = host_mean - rng.uniform(0.15, 0.22)
    elif label == FAN:
        mean = host_mean + rng.uniform(0.08, 0.15)
    else:
        mean = host_mean + rng.choice([-1.0, 1.0]) * rng.uniform(0.06, 0.12)
    hummocks = None
    if label == FAN:
        hummocks = (1.0 + 0.6 * smooth_map(rng, (n_inlines, n_crosslines), 1.5)).astype(np.float32)
    return Texture(label, mean, layers, nominal_thickness, hummocks=hummocks)


def unit_coordinate(
    texture: Texture,
    relative: np.ndarray,
    inline: np.ndarray,
    crossline: np.ndarray,
    displacement: np.ndarray | None,
) -> np.ndarray:
    """Return the layer coordinate of samples in a unit.

    Parameters
    ----------
    texture : Texture
        The unit's recipe.
    relative : ndarray of float32, shape (n,)
        Relative position in the unit, 0 at its top and 1 at its base.
    inline, crossline : ndarray, shape (n,)
        Grid indexes of the samples.
    displacement : ndarray of float32, shape (n,), optional
        Unit-variance 3D noise at the samples, needed for chaotic facies.
    """
    if texture.facies == CLINOFORM:
        along = inline * math.cos(texture.azimuth) + crossline * math.sin(texture.azimuth)
        # Only the middle of the sigmoid is used, so the bedding dips at least
        # 40 % of its steepest everywhere and never flattens into parallel layers.
        squeezed = np.float32(0.12) + np.float32(0.76) * np.clip(relative, 0.0, 1.0)
        return along - texture.slope_width * np.log(squeezed / (1.0 - squeezed))
    coordinate = relative * np.float32(texture.nominal_thickness)
    if texture.facies == CHAOTIC and displacement is not None:
        coordinate = coordinate + np.float32(CHAOTIC_DISPLACEMENT) * displacement
    return coordinate
