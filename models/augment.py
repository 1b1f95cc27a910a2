"""Augmentations of one seismic section and its labels.

Each transform is called as ``transform(section, labels, rng)`` on numpy
arrays of shape ``(n_traces, n_samples)`` (axis 0 along the section, axis 1
down the trace) and returns the new pair. ``section`` is float32 normalised
amplitude, and ``labels`` is int64 with -1 for unlabelled. Geometric
transforms move the labels with the section, by nearest neighbour and with -1
where a pixel comes from outside the section. Amplitude and frequency
transforms leave the labels as they are. Every random choice is drawn from ``rng``, so a seeded generator
repeats the output exactly.

Transforms suited to seismic, and why:

- :class:`FlipTraces`: reverses the trace order. Geology has no preferred
  lateral direction, but it has a vertical one, so samples are never flipped.
- :class:`RandomRotation`: a few degrees, like a change of regional dip.
- :class:`AmplitudeScale`: a gain change between surveys or processing flows.
- :class:`AdditiveNoise`: random noise of varying strength.
- :class:`FrequencyPerturbation`: a random zero-phase band-pass and a small
  constant phase rotation along the sample axis, like a different source
  wavelet or processing.

This module imports numpy and scipy only.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy import ndimage

from seismic.errors import InvalidInputError

__all__ = [
    "light_augmentation",
    "AUGMENTATIONS",
    "Compose",
    "FlipTraces",
    "RandomRotation",
    "AmplitudeScale",
    "AdditiveNoise",
    "FrequencyPerturbation",
    "default_augmentation",
]

Pair = tuple[np.ndarray, np.ndarray]


def _check_probability(p: float) -> float:
    if not 0.0 <= p <= 1.0:
        raise InvalidInputError(f"invalid probability {p}; give a number from 0 to 1")
    return float(p)


class Compose:
    """Apply transforms in order.

    Parameters
    ----------
    transforms : sequence of callable
        Each called as ``transform(section, labels, rng)``.
    """

    def __init__(self, transforms: Sequence) -> None:
        self.transforms = list(transforms)

    def __call__(self, section: np.ndarray, labels: np.ndarray, rng: np.random.Generator) -> Pair:
        if section.shape != labels.shape:
            raise InvalidInputError(
                f"section shape {section.shape} differs from labels shape {labels.shape}; give matching arrays"
            )
        for transform in self.transforms:
            section, labels = transform(section, labels, rng)
        return section, labels

    def __repr__(self) -> str:
        return f"Compose({self.transforms!r})"


class FlipTraces:
    """Reverse the trace order (axis 0) with probability ``p``.

    Parameters
    ----------
    p : float, default=0.5
        Probability of the flip.
    """

    def __init__(self, p: float = 0.5) -> None:
        self.p = _check_probability(p)

    def __call__(self, section: np.ndarray, labels: np.ndarray, rng: np.random.Generator) -> Pair:
        if rng.random() >= self.p:
            return section, labels
        return section[::-1].copy(), labels[::-1].copy()

    def __repr__(self) -> str:
        return f"FlipTraces(p={self.p})"


class RandomRotation:
    """Rotate the section about its centre by a small random angle.

    The angle is in pixel space: one trace across equals one sample down.

    Parameters
    ----------
    max_degrees : float, default=5.0
        The angle is drawn uniformly from ``[-max_degrees, max_degrees]``.
    p : float, default=0.5
        Probability of a rotation.

    Notes
    -----
    Amplitudes are interpolated linearly and mirrored at the edges, so no
    artificial boundary appears. Labels take the nearest pixel, and pixels
    that come from outside the section get -1 so the loss ignores them.
    """

    def __init__(self, max_degrees: float = 5.0, p: float = 0.5) -> None:
        if not 0.0 <= max_degrees <= 45.0:
            raise InvalidInputError(f"invalid max_degrees {max_degrees}; give an angle from 0 to 45")
        self.max_degrees = float(max_degrees)
        self.p = _check_probability(p)

    def __call__(self, section: np.ndarray, labels: np.ndarray, rng: np.random.Generator) -> Pair:
        if rng.random() >= self.p:
            return section, labels
        angle = math.radians(rng.uniform(-self.max_degrees, self.max_degrees))
        cos, sin = math.cos(angle), math.sin(angle)
        matrix = np.array([[cos, -sin], [sin, cos]])
        center = (np.array(section.shape, dtype=np.float64) - 1.0) / 2.0
        offset = center - matrix @ center

        rotated = ndimage.affine_transform(section, matrix, offset=offset, order=1, mode="mirror")
        rotated_labels = ndimage.affine_transform(
            labels, matrix, offset=offset, order=0, mode="constant", cval=-1
        )
        return rotated.astype(section.dtype, copy=False), rotated_labels

    def __repr__(self) -> str:
        return f"RandomRotation(max_degrees={self.max_degrees}, p={self.p})"


class AmplitudeScale:
    """Multiply the amplitudes by a random factor.

    Parameters
    ----------
    low, high : float, default=0.8, 1.25
        The factor is drawn log-uniformly from ``[low, high]``, so a gain and
        its inverse are equally likely with the defaults.
    p : float, default=1.0
        Probability of a scaling.
    """

    def __init__(self, low: float = 0.8, high: float = 1.25, p: float = 1.0) -> None:
        if not 0.0 < low <= high:
            raise InvalidInputError(f"invalid scale range [{low}, {high}]; give 0 < low <= high")
        self.low, self.high = float(low), float(high)
        self.p = _check_probability(p)

    def __call__(self, section: np.ndarray, labels: np.ndarray, rng: np.random.Generator) -> Pair:
        if rng.random() >= self.p:
            return section, labels
        factor = math.exp(rng.uniform(math.log(self.low), math.log(self.high)))
        return section * np.float32(factor), labels

    def __repr__(self) -> str:
        return f"AmplitudeScale(low={self.low}, high={self.high}, p={self.p})"


class AdditiveNoise:
    """Add Gaussian noise of random strength.

    Parameters
    ----------
    max_std : float, default=0.1
        The noise standard deviation, in normalised amplitude units, is drawn
        uniformly from ``[0, max_std]``.
    p : float, default=0.5
        Probability of adding noise.
    """

    def __init__(self, max_std: float = 0.1, p: float = 0.5) -> None:
        if max_std < 0:
            raise InvalidInputError(f"invalid max_std {max_std}; give a number of at least 0")
        self.max_std = float(max_std)
        self.p = _check_probability(p)

    def __call__(self, section: np.ndarray, labels: np.ndarray, rng: np.random.Generator) -> Pair:
        if rng.random() >= self.p:
            return section, labels
        std = rng.uniform(0.0, self.max_std)
        noise = rng.standard_normal(section.shape, dtype=np.float32) * np.float32(std)
        return section + noise, labels

    def __repr__(self) -> str:
        return f"AdditiveNoise(max_std={self.max_std}, p={self.p})"


class FrequencyPerturbation:
    """Filter every trace with a random zero-phase band-pass and a phase rotation.

    The filter acts in the frequency domain along the sample axis. Its gain is
    1 between a random low cut and a random high cut, and it falls to 0 over a
    cosine taper of width ``taper`` (a fraction of the Nyquist frequency)
    outside them. The phase of every frequency is then rotated by one random angle.
    The section's RMS amplitude is restored afterwards, so the transform
    changes the wavelet, not the gain.

    Parameters
    ----------
    max_low_cut : float, default=0.1
        The low cut is drawn from ``[0, max_low_cut]``, in fractions of Nyquist.
    min_high_cut : float, default=0.4
        The high cut is drawn from ``[min_high_cut, 1]``, in fractions of Nyquist.
    taper : float, default=0.1
        Width of the cosine tapers, in fractions of Nyquist.
    max_phase_degrees : float, default=20.0
        The phase rotation is drawn from ``[-max_phase_degrees, max_phase_degrees]``.
    p : float, default=0.5
        Probability of filtering.
    """

    def __init__(
        self,
        max_low_cut: float = 0.1,
        min_high_cut: float = 0.4,
        taper: float = 0.1,
        max_phase_degrees: float = 20.0,
        p: float = 0.5,
    ) -> None:
        if not 0.0 <= max_low_cut < min_high_cut <= 1.0:
            raise InvalidInputError(
                f"invalid cuts max_low_cut={max_low_cut}, min_high_cut={min_high_cut}; "
                "give 0 <= max_low_cut < min_high_cut <= 1 (fractions of Nyquist)"
            )
        if not 0.0 < taper <= 1.0:
            raise InvalidInputError(f"invalid taper {taper}; give a fraction of Nyquist in (0, 1]")
        if not 0.0 <= max_phase_degrees <= 180.0:
            raise InvalidInputError(f"invalid max_phase_degrees {max_phase_degrees}; give an angle from 0 to 180")
        self.max_low_cut = float(max_low_cut)
        self.min_high_cut = float(min_high_cut)
        self.taper = float(taper)
        self.max_phase_degrees = float(max_phase_degrees)
        self.p = _check_probability(p)

    def gain(self, n_samples: int, low_cut: float, high_cut: float) -> np.ndarray:
        """Return the filter gain at each ``numpy.fft.rfftfreq`` frequency of an ``n_samples`` trace.

        Parameters
        ----------
        n_samples : int
            Trace length.
        low_cut, high_cut : float
            Pass band edges, in fractions of Nyquist.

        Returns
        -------
        ndarray of float64, shape (n_samples // 2 + 1,)
        """
        frequency = np.fft.rfftfreq(n_samples) * 2.0  # fractions of Nyquist, 0 to 1
        gain = np.ones_like(frequency)
        below = frequency < low_cut
        gain[below] = _cosine_taper((low_cut - frequency[below]) / self.taper)
        above = frequency > high_cut
        gain[above] = _cosine_taper((frequency[above] - high_cut) / self.taper)
        return gain

    def __call__(self, section: np.ndarray, labels: np.ndarray, rng: np.random.Generator) -> Pair:
        if rng.random() >= self.p:
            return section, labels
        low_cut = rng.uniform(0.0, self.max_low_cut)
        high_cut = rng.uniform(self.min_high_cut, 1.0)
        phase = math.radians(rng.uniform(-self.max_phase_degrees, self.max_phase_degrees))

        n_samples = section.shape[-1]
        response = self.gain(n_samples, low_cut, high_cut) * np.exp(1j * phase)
        # The zero and Nyquist frequencies stay real, or the inverse transform would drop their imaginary part.
        response[0] = response[0].real
        if n_samples % 2 == 0:
            response[-1] = response[-1].real
        filtered = np.fft.irfft(np.fft.rfft(section, axis=-1) * response, n=n_samples, axis=-1)

        before = float(np.sqrt(np.mean(np.square(section, dtype=np.float64))))
        after = float(np.sqrt(np.mean(np.square(filtered))))
        if after > 0:
            filtered *= before / after
        return filtered.astype(np.float32), labels

    def __repr__(self) -> str:
        return (
            f"FrequencyPerturbation(max_low_cut={self.max_low_cut}, min_high_cut={self.min_high_cut}, "
            f"taper={self.taper}, max_phase_degrees={self.max_phase_degrees}, p={self.p})"
        )


def _cosine_taper(distance: np.ndarray) -> np.ndarray:
    """Return a gain falling from 1 at distance 0 to 0 at distance 1 and beyond."""
    distance = np.clip(distance, 0.0, 1.0)
    return 0.5 * (1.0 + np.cos(np.pi * distance))


def default_augmentation() -> Compose:
    """Return the augmentation used by ``facies train``: flips, rotations, gain, noise and wavelet changes."""
    return Compose(
        [
            FlipTraces(p=0.5),
            RandomRotation(max_degrees=5.0, p=0.3),
            AmplitudeScale(low=0.8, high=1.25, p=1.0),
            FrequencyPerturbation(p=0.3),
            AdditiveNoise(max_std=0.1, p=0.3),
        ]
    )


def light_augmentation() -> Compose:
    """Return flips along the trace axis and gain changes only.

    Neither moves a reflector in time nor changes the wavelet, so the facies
    textures stay as recorded; suited to short training runs on small surveys.
    """
    return Compose([FlipTraces(p=0.5), AmplitudeScale(low=0.8, high=1.25, p=1.0)])


AUGMENTATIONS = {"full": default_augmentation, "light": light_augmentation}
"""Augmentation presets by name, as ``facies train --augmentation`` accepts them (besides ``none``)."""
