"""Seismic attributes: complex-trace attributes, RMS amplitude and semblance.

The complex-trace attributes come from the analytic signal ``z = x + i H[x]``,
where ``H`` is the Hilbert transform along the trace (computed by FFT over
the whole trace, as :func:`scipy.signal.hilbert` does, so the first and last
few samples carry edge effects):

- envelope (reflection strength) ``|z|``;
- instantaneous phase ``arg z`` in radians, in ``(-pi, pi]``;
- cosine of phase ``cos(arg z)``, an amplitude-free picture of reflector continuity;
- instantaneous frequency, the time derivative of the phase in Hz.

Every function takes an array whose trace axis is ``axis`` (the last axis of an
``(n_inlines, n_crosslines, n_samples)`` volume by default) and returns float32
of the same shape. Volumes are processed a block of inlines at a time, so the
float64 and complex128 temporaries stay at about ``BLOCK_VOXELS`` samples
whatever the volume size.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import numpy as np
from scipy import ndimage, signal

from seismic.errors import InvalidInputError

__all__ = [
    "envelope",
    "instantaneous_phase",
    "instantaneous_frequency",
    "cosine_of_phase",
    "rms_amplitude",
    "semblance",
    "BLOCK_VOXELS",
]

logger = logging.getLogger(__name__)

BLOCK_VOXELS = 1 << 22
"""Samples per processing block: about 100 MB of temporaries."""


def _as_real(data: np.ndarray) -> np.ndarray:
    data = np.asarray(data)
    if data.dtype.kind not in "iuf":
        raise InvalidInputError(f"attribute input of type {data.dtype} is not real numbers; give amplitudes")
    if data.ndim == 0:
        raise InvalidInputError("attribute input is a scalar; give at least one trace")
    return data


def _trace_axis(data: np.ndarray, axis: int) -> int:
    if not -data.ndim <= axis < data.ndim:
        raise InvalidInputError(f"trace axis {axis} is invalid for an array of {data.ndim} dimensions")
    return axis % data.ndim


def _blockwise(
    function: Callable[[np.ndarray], np.ndarray],
    data: np.ndarray,
    trace_axis: int,
    halo: int = 0,
) -> np.ndarray:
    """Apply ``function`` to blocks cut across the trace axis and return float32.

    The blocks are cut along axis 0 (axis 1 when the traces run along axis
    0). ``halo`` extra slices on each side of a block feed filters that reach
    across traces and are cropped from the result.
    """
    if data.ndim == 1:
        return np.asarray(function(data), dtype=np.float32)
    block_axis = 1 if trace_axis == 0 else 0
    length = data.shape[block_axis]
    slab = max(data.size // max(length, 1), 1)
    step = max(1, BLOCK_VOXELS // slab)

    out = np.empty(data.shape, dtype=np.float32)
    for start in range(0, length, step):
        stop = min(start + step, length)
        low, high = max(start - halo, 0), min(stop + halo, length)
        block = np.take(data, np.arange(low, high), axis=block_axis)
        result = function(block)
        keep = [slice(None)] * data.ndim
        keep[block_axis] = slice(start - low, start - low + stop - start)
        target = [slice(None)] * data.ndim
        target[block_axis] = slice(start, stop)
        out[tuple(target)] = result[tuple(keep)]
    return out


def _analytic(block: np.ndarray, axis: int) -> np.ndarray:
    return signal.hilbert(block.astype(np.float64, copy=False), axis=axis)


def envelope(data: np.ndarray, axis: int = -1) -> np.ndarray:
    """Compute the envelope (reflection strength) ``|x + i H[x]|`` of each trace.

    Parameters
    ----------
    data : ndarray of shape (..., n_samples)
        Amplitudes; the traces run along ``axis``.
    axis : int, default=-1
        Trace (sample) axis.

    Returns
    -------
    ndarray of the same shape, float32
        Non-negative, in the units of ``data``.

    Examples
    --------
    >>> t = np.arange(200) * 0.004
    >>> bool(abs(envelope(np.cos(2 * np.pi * 25 * t))[100] - 1) < 1e-3)
    True
    """
    data = _as_real(data)
    axis = _trace_axis(data, axis)
    return _blockwise(lambda block: np.abs(_analytic(block, axis)), data, axis)


def instantaneous_phase(data: np.ndarray, axis: int = -1) -> np.ndarray:
    """Compute the instantaneous phase ``arg(x + i H[x])`` of each trace.

    Parameters
    ----------
    data : ndarray of shape (..., n_samples)
        Amplitudes; the traces run along ``axis``.
    axis : int, default=-1
        Trace (sample) axis.

    Returns
    -------
    ndarray of the same shape, float32
        Radians in ``(-pi, pi]``; 0 where the trace is zero.
    """
    data = _as_real(data)
    axis = _trace_axis(data, axis)
    return _blockwise(lambda block: np.angle(_analytic(block, axis)), data, axis)


def cosine_of_phase(data: np.ndarray, axis: int = -1) -> np.ndarray:
    """Compute the cosine of the instantaneous phase, ``x / |x + i H[x]|``.

    Parameters
    ----------
    data : ndarray of shape (..., n_samples)
        Amplitudes; the traces run along ``axis``.
    axis : int, default=-1
        Trace (sample) axis.

    Returns
    -------
    ndarray of the same shape, float32
        Values in [-1, 1]; 1 where the envelope is zero (phase 0).
    """
    data = _as_real(data)
    axis = _trace_axis(data, axis)
    return _blockwise(lambda block: np.cos(np.angle(_analytic(block, axis))), data, axis)


def instantaneous_frequency(data: np.ndarray, sample_interval_ms: float, axis: int = -1) -> np.ndarray:
    """Compute the instantaneous frequency, the rate of change of the phase, in Hz.

    The phase step between neighbouring samples is taken as
    ``arg(z[n + 1] * conj(z[n]))``, which needs no phase unwrapping and is
    exact for a pure tone up to the Nyquist frequency. Each sample gets the
    mean of the steps on either side. Where the envelope is near zero the
    phase is ill-defined and the frequency can be erratic or negative.

    Parameters
    ----------
    data : ndarray of shape (..., n_samples)
        Amplitudes; the traces run along ``axis``.
    sample_interval_ms : float
        Sample interval in milliseconds (for depth data, metres give cycles per km).
    axis : int, default=-1
        Trace (sample) axis.

    Returns
    -------
    ndarray of the same shape, float32
        Hz, within plus or minus the Nyquist frequency ``500 / sample_interval_ms``.

    Raises
    ------
    InvalidInputError
        If ``sample_interval_ms`` is not a positive number.
    """
    data = _as_real(data)
    axis = _trace_axis(data, axis)
    if not np.isfinite(sample_interval_ms) or sample_interval_ms <= 0:
        raise InvalidInputError(f"invalid sample interval {sample_interval_ms} ms; give a positive number such as 4")
    scale = 1000.0 / (2.0 * np.pi * float(sample_interval_ms))

    def frequency(block: np.ndarray) -> np.ndarray:
        analytic = np.moveaxis(_analytic(block, axis), axis, -1)
        if analytic.shape[-1] < 2:
            return np.moveaxis(np.zeros(analytic.shape), -1, axis)
        steps = np.angle(analytic[..., 1:] * np.conj(analytic[..., :-1]))
        result = np.empty(analytic.shape)
        result[..., 0] = steps[..., 0]
        result[..., -1] = steps[..., -1]
        result[..., 1:-1] = 0.5 * (steps[..., :-1] + steps[..., 1:])
        return np.moveaxis(result * scale, -1, axis)

    return _blockwise(frequency, data, axis)


def _check_window(window: int, name: str) -> int:
    if isinstance(window, bool) or not isinstance(window, (int, np.integer)) or window < 1:
        raise InvalidInputError(f"invalid {name} {window!r}; give a whole number of samples of at least 1")
    return int(window)


def rms_amplitude(data: np.ndarray, window: int, axis: int = -1) -> np.ndarray:
    """Compute the root-mean-square amplitude in a sliding window along each trace.

    Parameters
    ----------
    data : ndarray of shape (..., n_samples)
        Amplitudes; the traces run along ``axis``.
    window : int
        Window length in samples, centred on each sample when odd (an even
        window reaches one sample further up than down). The trace is
        mirrored at its ends.
    axis : int, default=-1
        Trace (sample) axis.

    Returns
    -------
    ndarray of the same shape, float32
        Non-negative, in the units of ``data``.

    Raises
    ------
    InvalidInputError
        If ``window`` is not a positive integer.
    """
    data = _as_real(data)
    axis = _trace_axis(data, axis)
    window = _check_window(window, "RMS window")

    def rms(block: np.ndarray) -> np.ndarray:
        power = ndimage.uniform_filter1d(np.square(block, dtype=np.float64), window, axis=axis, mode="reflect")
        return np.sqrt(np.maximum(power, 0.0))

    return _blockwise(rms, data, axis)


def semblance(data: np.ndarray, window: int = 5, *, traces: int = 3) -> np.ndarray:
    """Compute semblance, a coherence measure, over neighbouring traces of a volume.

    For each sample, the ``traces`` by ``traces`` traces around it and the
    ``window`` samples around it give ``sum_t (sum_j x_j)^2 / (N * sum_t sum_j x_j^2)``
    with ``N = traces ** 2``: 1 where the neighbouring traces are identical
    (continuous flat reflectors), near ``1 / N`` for uncorrelated noise. The
    volume is mirrored at its edges. Dipping reflectors score lower than flat
    ones because no dip is scanned.

    Parameters
    ----------
    data : ndarray of shape (n_inlines, n_crosslines, n_samples)
        Amplitudes.
    window : int, default=5
        Vertical window in samples.
    traces : int, default=3
        Width of the trace neighbourhood along inlines and crosslines.

    Returns
    -------
    ndarray of shape (n_inlines, n_crosslines, n_samples), float32
        Values in [0, 1]; 0 where every amplitude in the neighbourhood is zero.

    Raises
    ------
    InvalidInputError
        If ``data`` is not 3-D or a window is not a positive integer.
    """
    data = _as_real(data)
    if data.ndim != 3:
        raise InvalidInputError(
            f"semblance input of shape {data.shape} is not a volume; give (n_inlines, n_crosslines, n_samples)"
        )
    window = _check_window(window, "semblance window")
    traces = _check_window(traces, "semblance trace count")

    def coherence(block: np.ndarray) -> np.ndarray:
        block = block.astype(np.float64, copy=False)
        size = (traces, traces, 1)
        mean = ndimage.uniform_filter(block, size=size, mode="reflect")
        power = ndimage.uniform_filter(np.square(block), size=size, mode="reflect")
        numerator = ndimage.uniform_filter1d(np.square(mean), window, axis=2, mode="reflect")
        denominator = ndimage.uniform_filter1d(power, window, axis=2, mode="reflect")
        tiny = np.finfo(np.float64).tiny
        ratio = np.divide(numerator, denominator, out=np.zeros_like(numerator), where=denominator > tiny)
        return np.clip(ratio, 0.0, 1.0)

    return _blockwise(coherence, data, trace_axis=2, halo=traces // 2)
