"""Render a block of inlines of a synthetic survey: labels, horizons and noise-free seismic.

Rendering works backwards from each observed sample. It undoes the faults to
get the sample's depositional time, finds its unit from the unit boundaries
and lets any body of that unit claim it. The facies' log-impedance recipe is
evaluated there. Finally the log-impedance is differenced into reflectivity
and convolved with the trace's wavelet.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from seismic.synthetic.classes import CHAOTIC, CHANNEL, FAN
from seismic.synthetic.column import Column
from seismic.synthetic.faults import Fault, restore_times
from seismic.synthetic.geobodies import TOP, Body
from seismic.synthetic.random_fields import smooth_noise_block
from seismic.synthetic.textures import CHAOTIC_DISPLACEMENT, CHAOTIC_NOISE, Texture, unit_coordinate
from seismic.synthetic.wavelet import convolve_wavelet

__all__ = ["SurveyModel", "RenderedBlock", "render_block", "crossing_times"]

# Smoothing (inline, crossline, sample) of the 3D noise behind chaotic bedding.
_DISPLACEMENT_SIGMA = (1.5, 1.5, 1.0)
_CHAOTIC_NOISE_SIGMA = (0.8, 0.8, 0.6)

# A depositional-time step above this many samples between neighbouring
# samples means the trace crosses a fault there.
_FAULT_STEP = 1.5


@dataclass(frozen=True)
class SurveyModel:
    """Everything drawn for a survey before rendering, in grid units (traces and samples).

    Attributes
    ----------
    shape : tuple of int
        ``(n_inlines, n_crosslines, n_samples)``.
    sample_interval_ms : float
        Sample interval in ms.
    column : Column
        Units and their boundaries in depositional time.
    faults : list of Fault
        Faults, oldest first.
    bodies : list of Body
        Geobodies in order of precedence (later ones win where they overlap).
    unit_textures, body_textures : list of Texture
        Log-impedance recipes, one per unit and one per body.
    peak_frequency_hz, phase_degrees, gain : ndarray of float64, shape (n_inlines, n_crosslines)
        Wavelet peak frequency, wavelet phase rotation and amplitude gain of each trace.
    noise_key : tuple of int
        Random-stream key of the 3D noise fields.
    """

    shape: tuple[int, int, int]
    sample_interval_ms: float
    column: Column
    faults: list[Fault]
    bodies: list[Body]
    unit_textures: list[Texture]
    body_textures: list[Texture]
    peak_frequency_hz: np.ndarray
    phase_degrees: np.ndarray
    gain: np.ndarray
    noise_key: tuple[int, ...]


@dataclass(frozen=True)
class RenderedBlock:
    """Inlines ``start .. stop - 1`` of a survey.

    Attributes
    ----------
    seismic : ndarray of float32, shape (n, n_crosslines, n_samples)
        Noise-free seismic.
    labels : ndarray of int16, shape (n, n_crosslines, n_samples)
        Class of every sample.
    horizons : ndarray of float64, shape (n_units - 1, n, n_crosslines)
        Time of each horizon in samples (fractional), NaN where the horizon
        lies outside the trace or in a fault gap.
    """

    seismic: np.ndarray
    labels: np.ndarray
    horizons: np.ndarray


def crossing_times(restored: np.ndarray, level: np.ndarray, above: np.ndarray | None = None) -> np.ndarray:
    """Find where each trace's depositional time reaches ``level``.

    Parameters
    ----------
    restored : ndarray of float32, shape (n_inlines, n_crosslines, n_samples)
        Depositional time of each sample, non-decreasing along each trace.
    level : ndarray, shape (n_inlines, n_crosslines)
        Depositional time of the surface (a horizon before faulting).
    above : ndarray of bool, optional
        ``restored < level[..., None]``, when the caller already has it.

    Returns
    -------
    ndarray of float64, shape (n_inlines, n_crosslines)
        Observed time in samples, interpolated linearly between the two samples
        that bracket the level, so every sample at or after it (and none
        before) has ``restored >= level``. NaN where the level is not crossed
        within the trace or falls in the gap that a fault cuts out of it.
    """
    if above is None:
        above = restored < level[..., None]
    n_samples = restored.shape[-1]
    first_below = above.sum(axis=-1)
    index = np.clip(first_below, 1, n_samples - 1)[..., None]
    before = np.take_along_axis(restored, index - 1, axis=-1)[..., 0].astype(np.float64)
    after = np.take_along_axis(restored, index, axis=-1)[..., 0].astype(np.float64)
    step = after - before
    inside = (first_below > 0) & (first_below < n_samples) & (step <= _FAULT_STEP)
    with np.errstate(invalid="ignore", divide="ignore"):
        time = index[..., 0] - 1 + (level - before) / step
    return np.where(inside, time, np.nan)


def _broadcast_index(values: np.ndarray, shape: tuple[int, ...], axis: int) -> np.ndarray:
    view_shape = [1] * len(shape)
    view_shape[axis] = values.size
    return np.broadcast_to(values.reshape(view_shape), shape)


class _ChaoticFields:
    """Lazily built 3D noise for the chaotic recipe of one block."""

    def __init__(self, model: SurveyModel, start: int, stop: int) -> None:
        self._args = (start, stop, model.shape[1:])
        self._key = model.noise_key
        self._displacement: np.ndarray | None = None
        self._noise: np.ndarray | None = None

    @property
    def displacement(self) -> np.ndarray:
        if self._displacement is None:
            self._displacement = smooth_noise_block((*self._key, 1), *self._args, _DISPLACEMENT_SIGMA)
        return self._displacement

    @property
    def noise(self) -> np.ndarray:
        if self._noise is None:
            self._noise = smooth_noise_block((*self._key, 2), *self._args, _CHAOTIC_NOISE_SIGMA)
        return self._noise


def render_block(model: SurveyModel, start: int, stop: int) -> RenderedBlock:
    """Render inlines ``start .. stop - 1`` (0-based grid indexes) of a survey."""
    n_crosslines, n_samples = model.shape[1:]
    column = model.column
    inline_index = np.arange(start, stop, dtype=np.float64)
    crossline_index = np.arange(n_crosslines, dtype=np.float64)
    restored = restore_times(model.faults, inline_index, crossline_index, n_samples)
    shape = restored.shape
    boundaries = column.boundaries[:, start:stop]

    # Unit of every sample, and the horizons where the unit changes.
    unit = np.zeros(shape, dtype=np.int8)
    horizons = np.empty((column.n_units - 1, stop - start, n_crosslines))
    for k in range(1, column.n_units):
        above = restored < boundaries[k][..., None]
        unit += ~above
        horizons[k - 1] = crossing_times(restored, boundaries[k], above)

    # Position of every sample within its unit: 0 at the top, 1 at the base.
    stacked = np.moveaxis(boundaries, 0, -1)
    top = np.take_along_axis(stacked, unit.astype(np.intp), axis=-1)
    base = np.take_along_axis(stacked, unit.astype(np.intp) + 1, axis=-1)
    relative = (restored - top) / (base - top)
    inline_grid = _broadcast_index(inline_index.astype(np.float32), shape, 0)
    crossline_grid = _broadcast_index(crossline_index.astype(np.float32), shape, 1)
    chaotic = _ChaoticFields(model, start, stop)

    labels = column.facies[unit].astype(np.int16)
    log_impedance = np.empty(shape, dtype=np.float32)
    for k, texture in enumerate(model.unit_textures):
        mask = unit == k
        if not mask.any():
            continue
        displacement = chaotic.displacement[mask] if texture.facies == CHAOTIC else None
        coordinate = unit_coordinate(texture, relative[mask], inline_grid[mask], crossline_grid[mask], displacement)
        values = np.float32(texture.mean) + texture.layers(coordinate)
        if texture.facies == CHAOTIC:
            values += np.float32(CHAOTIC_NOISE) * chaotic.noise[mask]
        log_impedance[mask] = values

    for body, texture in zip(model.bodies, model.body_textures):
        _render_body(body, texture, start, stop, boundaries, restored, unit, labels, log_impedance, chaotic)

    # Reflectivity, lateral gain and the trace-by-trace wavelet.
    reflectivity = np.zeros(shape, dtype=np.float32)
    reflectivity[..., :-1] = 0.5 * np.diff(log_impedance, axis=-1)
    reflectivity *= model.gain[start:stop, :, None].astype(np.float32)
    seismic = convolve_wavelet(
        reflectivity,
        model.sample_interval_ms,
        model.peak_frequency_hz[start:stop],
        model.phase_degrees[start:stop],
    )
    return RenderedBlock(seismic=seismic, labels=labels, horizons=horizons)


def _render_body(
    body: Body,
    texture: Texture,
    start: int,
    stop: int,
    boundaries: np.ndarray,
    restored: np.ndarray,
    unit: np.ndarray,
    labels: np.ndarray,
    log_impedance: np.ndarray,
    chaotic: _ChaoticFields,
) -> None:
    # Work on the traces under the body's footprint only.
    rows, columns = np.nonzero(body.fraction[start:stop] > 0)
    if rows.size == 0:
        return
    host_top = boundaries[body.unit][rows, columns]
    host_base = boundaries[body.unit + 1][rows, columns]
    height = body.fraction[start:stop][rows, columns] * (host_base - host_top)
    if body.anchor == TOP:
        body_top, body_base = host_top, host_top + height
    else:
        body_top, body_base = host_base - height, host_base

    times = restored[rows, columns]
    inside = (unit[rows, columns] == body.unit) & (times >= body_top[:, None]) & (times < body_base[:, None])
    if not inside.any():
        return
    trace = np.nonzero(inside)[0]
    times = times[inside]
    if body.label == CHANNEL:
        # Flat fill, onlapping the channel base.
        coordinate = times - body_top[trace]
    elif body.label == FAN:
        # Bedding parallel to the lobe's base and mounded top, so it converges to the edges.
        coordinate = (body_base[trace] - times) / height[trace] * np.float32(texture.nominal_thickness)
    else:
        relative = (times - body_top[trace]) / height[trace]
        displacement = chaotic.displacement[rows, columns][inside]
        coordinate = relative * np.float32(texture.nominal_thickness) + np.float32(CHAOTIC_DISPLACEMENT) * displacement
    values = texture.layers(coordinate)
    if texture.hummocks is not None:
        values = values * texture.hummocks[start:stop][rows, columns][trace]
    values = values + np.float32(texture.mean)
    if body.label == CHAOTIC:
        values = values + np.float32(CHAOTIC_NOISE) * chaotic.noise[rows, columns][inside]

    body_labels = labels[rows, columns]
    body_labels[inside] = body.label
    labels[rows, columns] = body_labels
    body_impedance = log_impedance[rows, columns]
    body_impedance[inside] = values
    log_impedance[rows, columns] = body_impedance
