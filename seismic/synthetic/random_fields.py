"""Smooth random fields: 2D maps for lateral variation and 3D noise for chaotic textures.

The 3D fields are built inline by inline from random streams keyed by the
inline index, so any block of inlines can be rebuilt on its own, with the same
values whatever block size the generator works in.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import ndimage

__all__ = ["smooth_map", "smooth_noise_block", "gaussian_noise_gain"]

# Filters reach this many standard deviations, as scipy.ndimage does by default.
_TRUNCATE = 4.0

# Offset added to inline indexes in random-stream keys, so that the halo
# inlines before the first one (negative indexes) get keys of their own.
_INLINE_KEY_OFFSET = 1 << 20


def gaussian_noise_gain(sigma: float) -> float:
    """Return the standard deviation of unit white noise after a 1D Gaussian filter.

    Parameters
    ----------
    sigma : float
        Filter standard deviation in samples; 0 means no filtering.

    Returns
    -------
    float
        The square root of the sum of the squared filter weights, so that
        dividing the filtered noise by it restores unit variance.
    """
    if sigma <= 0:
        return 1.0
    radius = int(_TRUNCATE * sigma + 0.5)
    impulse = np.zeros(2 * radius + 1)
    impulse[radius] = 1.0
    weights = ndimage.gaussian_filter1d(impulse, sigma, truncate=_TRUNCATE, mode="constant")
    return float(np.sqrt(np.sum(weights**2)))


def smooth_map(rng: np.random.Generator, shape: tuple[int, int], correlation: float) -> np.ndarray:
    """Draw a smooth random map of zero mean and unit variance.

    Parameters
    ----------
    rng : numpy.random.Generator
        Random source.
    shape : tuple of int
        ``(n_inlines, n_crosslines)``.
    correlation : float
        Standard deviation of the Gaussian smoothing filter, in traces. The
        map varies over a few times this distance.

    Returns
    -------
    ndarray of float64, shape (n_inlines, n_crosslines)
        White noise smoothed and divided by the filter's noise gain, so its
        variance is 1 in expectation even on grids smaller than the
        correlation length (where the map is nearly constant).
    """
    pad = int(math.ceil(_TRUNCATE * correlation)) + 1
    noise = rng.standard_normal((shape[0] + 2 * pad, shape[1] + 2 * pad))
    field = ndimage.gaussian_filter(noise, correlation, truncate=_TRUNCATE, mode="wrap")
    field = field[pad : pad + shape[0], pad : pad + shape[1]]
    return field / gaussian_noise_gain(correlation) ** 2


def _inline_noise(key: tuple[int, ...], inline_index: int, shape: tuple[int, int]) -> np.ndarray:
    rng = np.random.default_rng([*key, inline_index + _INLINE_KEY_OFFSET])
    return rng.standard_normal(shape, dtype=np.float32)


def smooth_noise_block(
    key: tuple[int, ...],
    start: int,
    stop: int,
    shape: tuple[int, int],
    sigma: tuple[float, float, float],
) -> np.ndarray:
    """Build inlines ``start .. stop - 1`` of a smooth 3D noise volume.

    Parameters
    ----------
    key : tuple of int
        Non-negative integers naming the volume (survey seed and field number).
        Equal keys give equal volumes.
    start, stop : int
        Inline index range of the block.
    shape : tuple of int
        ``(n_crosslines, n_samples)`` of each inline.
    sigma : tuple of float
        Gaussian filter standard deviations along (inline, crossline, sample),
        in traces and samples.

    Returns
    -------
    ndarray of float32, shape (stop - start, n_crosslines, n_samples)
        Noise of zero mean and unit variance in expectation. Each inline is
        drawn from its own random stream and the block carries a halo of
        neighbouring inlines through the filter, so the values do not depend
        on how the volume is split into blocks.
    """
    halo = int(_TRUNCATE * sigma[0] + 0.5)
    inlines = [_inline_noise(key, index, shape) for index in range(start - halo, stop + halo)]
    block = np.stack(inlines)
    block = ndimage.gaussian_filter(block, sigma, truncate=_TRUNCATE, mode="reflect")
    gain = gaussian_noise_gain(sigma[0]) * gaussian_noise_gain(sigma[1]) * gaussian_noise_gain(sigma[2])
    block = block[halo : halo + stop - start]
    block /= np.float32(gain)
    return block
