"""Ricker wavelet and trace-by-trace convolution with a laterally varying wavelet.

The Ricker (Mexican-hat) wavelet of peak frequency ``f_p`` is

    w(t) = (1 - 2 pi^2 f_p^2 t^2) exp(-pi^2 f_p^2 t^2)

with amplitude 1 at ``t = 0``, and its Fourier transform is

    W(f) = 2 / sqrt(pi) * f^2 / f_p^3 * exp(-f^2 / f_p^2),

real and largest at ``f = f_p``. The convolution here multiplies each trace's
spectrum by ``W`` at that trace's own peak frequency (and a constant phase
rotation), so every trace can have its own wavelet at the cost of one FFT.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import fft

__all__ = ["ricker", "ricker_spectrum", "convolve_wavelet", "wavelet_half_length"]


def wavelet_half_length(peak_frequency_hz: float, sample_interval_ms: float) -> int:
    """Return the half length in samples beyond which a Ricker wavelet is below 1e-4 of its peak."""
    # exp(-x^2) (2x^2 - 1) < 1e-4 for x = pi f t > 3.3.
    seconds = 3.3 / (math.pi * peak_frequency_hz)
    return int(math.ceil(seconds * 1000.0 / sample_interval_ms))


def ricker(
    peak_frequency_hz: float,
    sample_interval_ms: float,
    half_length: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Sample a zero-phase Ricker wavelet.

    Parameters
    ----------
    peak_frequency_hz : float
        Frequency of the amplitude-spectrum peak, in Hz.
    sample_interval_ms : float
        Sample interval in ms.
    half_length : int, optional
        Samples on each side of the centre. By default the wavelet runs until
        it is below 1e-4 of its peak.

    Returns
    -------
    times_ms : ndarray of float64, shape (2 * half_length + 1,)
        Sample times relative to the centre, in ms.
    amplitudes : ndarray of float64, shape (2 * half_length + 1,)
        Wavelet values, 1 at the centre.

    Raises
    ------
    ValueError
        If the frequency or interval is not positive.
    """
    if not peak_frequency_hz > 0 or not sample_interval_ms > 0:
        raise ValueError(
            f"peak frequency {peak_frequency_hz} Hz and sample interval {sample_interval_ms} ms must be positive"
        )
    if half_length is None:
        half_length = wavelet_half_length(peak_frequency_hz, sample_interval_ms)
    times_ms = np.arange(-half_length, half_length + 1) * sample_interval_ms
    argument = (math.pi * peak_frequency_hz * times_ms / 1000.0) ** 2
    return times_ms, (1.0 - 2.0 * argument) * np.exp(-argument)


def ricker_spectrum(frequencies_hz: np.ndarray, peak_frequency_hz: np.ndarray | float) -> np.ndarray:
    """Evaluate the Fourier transform of the Ricker wavelet (real, in amplitude x seconds).

    Parameters
    ----------
    frequencies_hz : ndarray
        Frequencies in Hz.
    peak_frequency_hz : float or ndarray
        Peak frequency in Hz, broadcast against ``frequencies_hz``.

    Returns
    -------
    ndarray
        ``2 / sqrt(pi) * f^2 / f_p^3 * exp(-f^2 / f_p^2)``.
    """
    ratio = np.asarray(frequencies_hz) / peak_frequency_hz
    squared = ratio * ratio
    return np.float32(2.0 / math.sqrt(math.pi)) * squared / peak_frequency_hz * np.exp(-squared)


def convolve_wavelet(
    reflectivity: np.ndarray,
    sample_interval_ms: float,
    peak_frequency_hz: np.ndarray | float,
    phase_degrees: np.ndarray | float = 0.0,
) -> np.ndarray:
    """Convolve each trace with a Ricker wavelet of its own peak frequency and phase.

    Parameters
    ----------
    reflectivity : ndarray of shape (..., n_samples)
        Reflection coefficients, time along the last axis.
    sample_interval_ms : float
        Sample interval in ms.
    peak_frequency_hz : float or ndarray of shape (...)
        Peak frequency of each trace's wavelet, in Hz.
    phase_degrees : float or ndarray of shape (...), default=0
        Constant phase rotation of each trace's wavelet, in degrees; 0 keeps
        the zero-phase Ricker.

    Returns
    -------
    ndarray of float32, shape (..., n_samples)
        The same result as ``numpy.convolve(trace, ricker(...)[1], mode="same")``
        for a zero-phase wavelet, up to the wavelet's truncation: the trace is
        zero-padded by the wavelet's length, so nothing wraps around.
    """
    n_samples = reflectivity.shape[-1]
    peak = np.asarray(peak_frequency_hz, dtype=np.float64)
    pad = wavelet_half_length(float(np.min(peak)), sample_interval_ms)
    n_fft = fft.next_fast_len(n_samples + 2 * pad, real=True)
    dt = sample_interval_ms / 1000.0
    frequencies = np.fft.rfftfreq(n_fft, d=dt)

    spectrum = fft.rfft(reflectivity.astype(np.float32, copy=False), n=n_fft, axis=-1, workers=-1)
    response = ricker_spectrum(frequencies.astype(np.float32), peak[..., None].astype(np.float32))
    response /= np.float32(dt)
    phase = np.deg2rad(np.asarray(phase_degrees, dtype=np.float64))
    if np.any(phase != 0):
        rotation = np.exp(1j * phase).astype(np.complex64)
        spectrum *= rotation[..., None]
    spectrum *= response
    return fft.irfft(spectrum, n=n_fft, axis=-1, workers=-1)[..., :n_samples].astype(np.float32, copy=False)
