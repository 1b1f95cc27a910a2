"""Generate a labelled synthetic survey from a seed.

The recipe, in grid units (traces and samples):

1. a column of units, each one stratigraphic facies, with undulating
   boundaries and laterally varying thickness (:mod:`.column`);
2. channels, fan lobes and mass-transport deposits inside chosen units
   (:mod:`.geobodies`);
3. normal faults that offset everything (:mod:`.faults`);
4. a log-impedance recipe per facies (:mod:`.textures`), differenced into
   reflectivity, scaled by a lateral gain and convolved with a Ricker wavelet
   whose peak frequency and phase vary across the survey (:mod:`.wavelet`);
5. band-limited random noise.

The survey is rendered in blocks of inlines (:mod:`.render`), so memory stays
near the size of the output volumes whatever the survey size.
"""

from __future__ import annotations

import logging
import math
import sys
from dataclasses import dataclass, field

import numpy as np
from scipy import ndimage
from tqdm import tqdm

from seismic.errors import InvalidInputError
from seismic.labels import ClassTable
from seismic.synthetic.classes import synthetic_class_table
from seismic.synthetic.column import MIN_SAMPLES, Column, build_column
from seismic.synthetic.faults import Fault, random_faults
from seismic.synthetic.geobodies import Body, place_bodies
from seismic.synthetic.random_fields import smooth_map
from seismic.synthetic.render import SurveyModel, render_block
from seismic.synthetic.textures import draw_body_texture, draw_unit_texture
from seismic.synthetic.wavelet import ricker

__all__ = ["SyntheticSurvey", "generate_survey", "build_model", "DEFAULT_PEAK_FREQUENCY_HZ", "DEFAULT_NOISE"]

logger = logging.getLogger(__name__)

DEFAULT_PEAK_FREQUENCY_HZ = 30.0
"""Mean wavelet peak frequency at a 4 ms sample interval; it scales inversely with the interval."""

DEFAULT_NOISE = 0.1
"""Default noise level: RMS of the added noise over the RMS of the noise-free seismic."""

# Samples rendered per block, about 16 MB per float32 block volume.
_BLOCK_SAMPLES = 4_000_000


@dataclass(frozen=True)
class SyntheticSurvey:
    """A synthetic seismic volume with its labels, horizons and class table.

    Attributes
    ----------
    seismic : ndarray of float32, shape (n_inlines, n_crosslines, n_samples)
        Amplitudes, scaled so the noise-free seismic has an RMS of 1.
    labels : ndarray of int16, shape (n_inlines, n_crosslines, n_samples)
        Class of every sample, ``0 .. n_classes - 1`` (no sample is unlabelled).
    horizons : dict of str to ndarray of float64, shape (n_inlines, n_crosslines)
        Interpreted horizons ``"H1"``, ``"H2"``, ... from the top down, in ms.
        ``"Hk"`` is the base of unit ``k - 1`` and the top of unit ``k``. NaN
        where the horizon lies outside the trace or in the gap a fault cuts.
    class_table : ClassTable
        Names, colours and kinds of the classes.
    inlines, crosslines : ndarray of int64
        Inline and crossline numbers.
    samples : ndarray of float64
        Sample times in ms.
    seed : int
        Seed the survey was generated from.
    unit_facies : tuple of int
        Stratigraphic class of each unit, top to bottom.
    faults : tuple of Fault
        Faults, oldest first, in grid units.
    bodies : tuple of Body
        Channels, fan lobes and mass-transport deposits.
    peak_frequency_hz : float
        Mean wavelet peak frequency.
    noise : float
        Noise level used (RMS ratio).
    """

    seismic: np.ndarray
    labels: np.ndarray
    horizons: dict[str, np.ndarray]
    class_table: ClassTable
    inlines: np.ndarray
    crosslines: np.ndarray
    samples: np.ndarray
    seed: int
    unit_facies: tuple[int, ...] = ()
    faults: tuple[Fault, ...] = ()
    bodies: tuple[Body, ...] = field(default=(), repr=False)
    peak_frequency_hz: float = DEFAULT_PEAK_FREQUENCY_HZ
    noise: float = DEFAULT_NOISE

    @property
    def shape(self) -> tuple[int, int, int]:
        """``(n_inlines, n_crosslines, n_samples)``."""
        return tuple(int(size) for size in self.seismic.shape)  # type: ignore[return-value]

    @property
    def sample_interval_ms(self) -> float:
        """Sample interval in ms."""
        return float(self.samples[1] - self.samples[0]) if self.samples.size > 1 else 0.0

    def class_fractions(self) -> np.ndarray:
        """Return the share of samples in each class, shape (n_classes,)."""
        # Counted inline by inline, because bincount converts its input to 8-byte integers.
        counts = np.zeros(len(self.class_table), dtype=np.int64)
        for section in self.labels:
            counts += np.bincount(section.ravel(), minlength=len(self.class_table))[: counts.size]
        return counts / max(1, self.labels.size)


def _check_count(name: str, value: int, minimum: int, remedy: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise InvalidInputError(f"{name}={value!r} is invalid; give a whole number of at least {minimum}")
    if value < minimum:
        raise InvalidInputError(f"{name}={value} is invalid; {remedy}")
    return int(value)


def _validate(
    n_inlines: int,
    n_crosslines: int,
    n_samples: int,
    seed: int,
    sample_interval_ms: float,
    noise: float,
    peak_frequency_hz: float | None,
) -> None:
    _check_count("n_inlines", n_inlines, 1, "give at least 1 inline")
    _check_count("n_crosslines", n_crosslines, 1, "give at least 1 crossline")
    _check_count(
        "n_samples",
        n_samples,
        MIN_SAMPLES,
        f"the layering needs at least {MIN_SAMPLES} samples per trace (four units of 6 samples)",
    )
    _check_count("seed", seed, 0, "give a seed of 0 or more")
    if not (math.isfinite(sample_interval_ms) and sample_interval_ms > 0):
        raise InvalidInputError(
            f"sample_interval_ms={sample_interval_ms} is invalid; give a positive interval such as 4.0"
        )
    if not (math.isfinite(noise) and noise >= 0):
        raise InvalidInputError(f"noise={noise} is invalid; give a noise-to-signal RMS ratio of 0 or more, such as 0.1")
    nyquist = 500.0 / sample_interval_ms
    if peak_frequency_hz is not None and not (0 < peak_frequency_hz <= 0.5 * nyquist):
        raise InvalidInputError(
            f"peak_frequency_hz={peak_frequency_hz} is invalid; give a frequency above 0 and at most "
            f"{0.5 * nyquist:g} Hz (half the Nyquist frequency at {sample_interval_ms:g} ms)"
        )


def build_model(
    n_inlines: int,
    n_crosslines: int,
    n_samples: int,
    seed: int,
    sample_interval_ms: float,
    peak_frequency_hz: float,
) -> SurveyModel:
    """Draw the geology, faults and wavelet variation of a survey (no rendering).

    The arguments are those of :func:`generate_survey`, already validated.
    """
    rng = np.random.default_rng([seed, 0])
    shape = (n_inlines, n_crosslines)
    column: Column = build_column(rng, n_inlines, n_crosslines, n_samples)
    faults = random_faults(rng, n_inlines, n_crosslines, float(np.mean(column.mean_thickness)))
    bodies = place_bodies(rng, column.facies, n_inlines, n_crosslines)

    # Unit means random-walk in log-impedance with steps larger than the
    # bedding contrasts, so every unit boundary is a strong reflector.
    steps = rng.choice([-1.0, 1.0], column.n_units) * rng.uniform(0.1, 0.18, column.n_units)
    means = np.cumsum(steps)
    unit_textures = [
        draw_unit_texture(rng, int(facies), float(mean), float(thickness), n_inlines, n_crosslines)
        for facies, mean, thickness in zip(column.facies, means, column.mean_thickness)
    ]
    body_textures = [
        draw_body_texture(
            rng,
            body.label,
            float(means[body.unit]),
            float(column.mean_thickness[body.unit] * body.fraction.max()),
            n_inlines,
            n_crosslines,
        )
        for body in bodies
    ]

    # Lateral wavelet and amplitude variation: +-10 % peak frequency,
    # +-15 degrees phase and +-20 % gain (one standard deviation).
    peak = peak_frequency_hz * (1.0 + 0.1 * np.clip(smooth_map(rng, shape, 20.0), -2.5, 2.5))
    phase = 15.0 * np.clip(smooth_map(rng, shape, 20.0), -2.5, 2.5)
    gain = np.exp(0.2 * np.clip(smooth_map(rng, shape, 15.0), -2.5, 2.5))
    return SurveyModel(
        shape=(n_inlines, n_crosslines, n_samples),
        sample_interval_ms=sample_interval_ms,
        column=column,
        faults=faults,
        bodies=bodies,
        unit_textures=unit_textures,
        body_textures=body_textures,
        peak_frequency_hz=peak,
        phase_degrees=phase,
        gain=gain,
        noise_key=(seed, 1),
    )


def generate_survey(
    n_inlines: int = 64,
    n_crosslines: int = 64,
    n_samples: int = 128,
    seed: int = 0,
    *,
    sample_interval_ms: float = 4.0,
    noise: float = DEFAULT_NOISE,
    peak_frequency_hz: float | None = None,
    first_inline: int = 1,
    first_crossline: int = 1,
    progress: bool = False,
    block_inlines: int | None = None,
) -> SyntheticSurvey:
    """Generate a labelled synthetic survey with a convolutional model.

    The same arguments always give the same survey, whatever ``block_inlines``.

    Parameters
    ----------
    n_inlines, n_crosslines : int, default=64
        Survey size in traces, at least 1 each.
    n_samples : int, default=128
        Samples per trace, at least 24. The column has one unit per
        25 samples, and at least four.
    seed : int, default=0
        Random seed, 0 or more.
    sample_interval_ms : float, default=4.0
        Sample interval in ms. The geology is built in samples, so this only
        sets the time axis and the default wavelet frequency.
    noise : float, default=0.1
        RMS of the added band-limited noise over the RMS of the noise-free
        seismic; 0 gives noise-free data.
    peak_frequency_hz : float, optional
        Mean wavelet peak frequency in Hz. By default 30 Hz at 4 ms, scaled
        inversely with the sample interval, so the wavelet spans the same
        number of samples.
    first_inline, first_crossline : int, default=1
        Numbers of the first inline and crossline.
    progress : bool, default=False
        Show a progress bar on stderr.
    block_inlines : int, optional
        Inlines rendered at a time (by default about 4 million samples per
        block); it changes memory use only.

    Returns
    -------
    SyntheticSurvey

    Raises
    ------
    InvalidInputError
        If a size, the seed, the interval, the noise level or the frequency
        is invalid.
    """
    _validate(n_inlines, n_crosslines, n_samples, seed, sample_interval_ms, noise, peak_frequency_hz)
    if peak_frequency_hz is None:
        peak_frequency_hz = DEFAULT_PEAK_FREQUENCY_HZ * 4.0 / sample_interval_ms
    model = build_model(n_inlines, n_crosslines, n_samples, seed, sample_interval_ms, peak_frequency_hz)
    if block_inlines is None:
        block_inlines = max(1, _BLOCK_SAMPLES // (n_crosslines * n_samples))
    block_inlines = max(1, int(block_inlines))

    seismic = np.empty((n_inlines, n_crosslines, n_samples), dtype=np.float32)
    labels = np.empty((n_inlines, n_crosslines, n_samples), dtype=np.int16)
    horizon_samples = np.empty((model.column.n_units - 1, n_inlines, n_crosslines))
    starts = range(0, n_inlines, block_inlines)
    bar = tqdm(total=n_inlines, unit="inline", desc="synthetic survey", file=sys.stderr, disable=not progress)
    with bar:
        for start in starts:
            stop = min(start + block_inlines, n_inlines)
            block = render_block(model, start, stop)
            seismic[start:stop] = block.seismic
            labels[start:stop] = block.labels
            horizon_samples[:, start:stop] = block.horizons
            bar.update(stop - start)

    _scale_and_add_noise(seismic, model, seed, noise, peak_frequency_hz, block_inlines)

    samples = np.arange(n_samples) * float(sample_interval_ms)
    horizons = {f"H{k + 1}": horizon_samples[k] * sample_interval_ms for k in range(horizon_samples.shape[0])}
    survey = SyntheticSurvey(
        seismic=seismic,
        labels=labels,
        horizons=horizons,
        class_table=synthetic_class_table(),
        inlines=np.arange(first_inline, first_inline + n_inlines, dtype=np.int64),
        crosslines=np.arange(first_crossline, first_crossline + n_crosslines, dtype=np.int64),
        samples=samples,
        seed=int(seed),
        unit_facies=tuple(int(facies) for facies in model.column.facies),
        faults=tuple(model.faults),
        bodies=tuple(model.bodies),
        peak_frequency_hz=float(peak_frequency_hz),
        noise=float(noise),
    )
    fractions = survey.class_fractions()
    logger.debug(
        "synthetic survey %s, seed %d: %d units, %d faults, %d bodies; class fractions %s",
        survey.shape,
        seed,
        model.column.n_units,
        len(model.faults),
        len(model.bodies),
        np.round(fractions, 3).tolist(),
    )
    return survey


def _scale_and_add_noise(
    seismic: np.ndarray,
    model: SurveyModel,
    seed: int,
    noise: float,
    peak_frequency_hz: float,
    block_inlines: int,
) -> None:
    # Scale to unit RMS, then add white noise filtered by the mean wavelet so
    # that it shares the seismic band. Each inline has its own random stream.
    energy = 0.0
    for start in range(0, seismic.shape[0], block_inlines):
        energy += float(np.sum(np.square(seismic[start : start + block_inlines], dtype=np.float64)))
    rms = math.sqrt(energy / max(1, seismic.size))
    scale = np.float32(1.0 / rms) if rms > 0 else np.float32(1.0)
    _, wavelet = ricker(peak_frequency_hz, model.sample_interval_ms)
    wavelet = (wavelet / np.sqrt(np.sum(wavelet**2))).astype(np.float32)
    for start in range(0, seismic.shape[0], block_inlines):
        stop = min(start + block_inlines, seismic.shape[0])
        seismic[start:stop] *= scale
        if noise == 0:
            continue
        for index in range(start, stop):
            rng = np.random.default_rng([seed, 3, index])
            white = rng.standard_normal(seismic.shape[1:], dtype=np.float32)
            seismic[index] += np.float32(noise) * ndimage.convolve1d(white, wavelet, axis=-1, mode="constant")
