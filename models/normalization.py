"""Amplitude normalisation that carries from one survey to another.

Surveys differ in gain, units and sample format (int16 counts, float32 after
processing), so a network trained on one only applies to another after both
are brought to a common scale. :class:`RobustNormalizer` uses percentiles,
which a few spikes or dead traces do not move, and stores its statistics in a
JSON-ready dictionary so a run applies exactly the same rule at prediction.

The rule: ``center`` is the median of the fitted amplitudes and ``scale`` is
the larger of ``p_high - center`` and ``center - p_low``, so the whole
percentile range ``[p_low, p_high]`` lands inside ``[-1, 1]`` and its wider side
ends exactly on -1 or 1. The scaling is symmetric about the median, so zero
crossings stay zero crossings for the usual zero-median seismic trace and a
polarity flip is a plain sign change.

This module imports numpy only, so the OpenVINO runtime can use it without torch.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np

from seismic.errors import InvalidInputError

__all__ = ["RobustNormalizer"]

logger = logging.getLogger(__name__)

_METHOD = "robust_percentile"


class RobustNormalizer:
    """Percentile scaling with clipping and an optional polarity flip.

    Parameters
    ----------
    low_percentile : float, default=1.0
        Lower percentile (0-100) of the fitted amplitudes, mapped to -1 or above.
    high_percentile : float, default=99.0
        Upper percentile (0-100), mapped to 1 or below.
    clip : bool, default=True
        Whether :meth:`transform` clips its output to ``[-clip_value, clip_value]``.
    flip_polarity : bool, default=False
        Whether :meth:`transform` negates the amplitudes (for a survey recorded
        in the opposite polarity convention to the training survey).
    clip_value : float, default=3.0
        Clipping bound in normalised units. With the default percentiles a
        Gaussian amplitude distribution has its 99th percentile at 1, so 3
        keeps bright spots up to about 7 standard deviations and cuts spikes.

    Attributes
    ----------
    center : float or None
        Median of the fitted amplitudes, in input units; None before fitting.
    scale : float or None
        Amplitude, in input units, that maps to 1; None before fitting.
    p_low, p_high : float or None
        The fitted percentiles, in input units.

    Examples
    --------
    >>> data = np.linspace(-100.0, 100.0, 201, dtype=np.float32).reshape(1, 1, 201)
    >>> normalizer = RobustNormalizer(low_percentile=0.0, high_percentile=100.0).fit(data)
    >>> normalizer.transform(np.array([-100.0, 0.0, 50.0])).tolist()
    [-1.0, 0.0, 0.5]
    """

    def __init__(
        self,
        low_percentile: float = 1.0,
        high_percentile: float = 99.0,
        clip: bool = True,
        flip_polarity: bool = False,
        clip_value: float = 3.0,
    ) -> None:
        if not 0.0 <= low_percentile < high_percentile <= 100.0:
            raise InvalidInputError(
                f"invalid percentiles low={low_percentile}, high={high_percentile}; "
                "give 0 <= low < high <= 100, for example 1 and 99"
            )
        if not clip_value > 0:
            raise InvalidInputError(f"invalid clip_value {clip_value}; give a number greater than 0, for example 3")
        self.low_percentile = float(low_percentile)
        self.high_percentile = float(high_percentile)
        self.clip = bool(clip)
        self.flip_polarity = bool(flip_polarity)
        self.clip_value = float(clip_value)
        self.center: float | None = None
        self.scale: float | None = None
        self.p_low: float | None = None
        self.p_high: float | None = None

    @property
    def is_fitted(self) -> bool:
        """Whether the statistics are set, by :meth:`fit` or :meth:`from_dict`."""
        return self.scale is not None

    def fit(
        self,
        data: Any,
        live: np.ndarray | None = None,
        max_samples: int = 2_000_000,
        seed: int = 0,
    ) -> RobustNormalizer:
        """Compute the percentiles from a random subset of the live samples.

        Parameters
        ----------
        data : array-like of shape (n_inlines, n_crosslines, n_samples)
            Amplitudes: a numpy array, a memory map or an h5py dataset. An h5py
            dataset is read one inline at a time, never whole.
        live : ndarray of bool, shape (n_inlines, n_crosslines), optional
            Traces to draw from, for example the live traces of the training
            block (``live & split.mask("train", shape)``). Default: all traces.
        max_samples : int, default=2_000_000
            Upper bound on the number of amplitudes drawn; the percentiles of
            two million samples are within about 0.01 percentile points of the
            whole volume's.
        seed : int, default=0
            Seed of the random draw, so a fit is reproducible.

        Returns
        -------
        RobustNormalizer
            ``self``, fitted.

        Raises
        ------
        InvalidInputError
            If ``data`` is not 3-D, ``live`` has another shape, no trace is
            selected, or the selected amplitudes are constant or not finite.
        """
        shape = tuple(data.shape)
        if len(shape) != 3:
            raise InvalidInputError(
                f"amplitude volume has shape {shape}; give a 3-D volume (inlines x crosslines x samples)"
            )
        if max_samples < 1:
            raise InvalidInputError(f"invalid max_samples {max_samples}; give an integer of at least 1")
        mask = np.ones(shape[:2], dtype=bool) if live is None else np.asarray(live, dtype=bool)
        if mask.shape != shape[:2]:
            raise InvalidInputError(
                f"live mask has shape {mask.shape} but the volume has {shape[:2]} traces; "
                "give a mask of shape (n_inlines, n_crosslines)"
            )

        values = _draw_samples(data, mask, max_samples, np.random.default_rng(seed))
        values = values[np.isfinite(values)]
        if values.size == 0:
            raise InvalidInputError(
                "no finite amplitude in the selected traces; check the live mask and the input volume"
            )

        p_low, center, p_high = np.percentile(values, [self.low_percentile, 50.0, self.high_percentile])
        scale = max(p_high - center, center - p_low)
        if not scale > 0:
            raise InvalidInputError(
                f"amplitudes between the {self.low_percentile} and {self.high_percentile} percentiles "
                f"are constant ({center}); check that the selected traces hold seismic data"
            )
        self.p_low, self.center, self.p_high = float(p_low), float(center), float(p_high)
        self.scale = float(scale)
        logger.info(
            "Fitted amplitude normalisation on %d samples: median %.4g, scale %.4g (percentiles %.4g, %.4g)",
            values.size,
            self.center,
            self.scale,
            self.p_low,
            self.p_high,
        )
        return self

    def refit(
        self, data: Any, live: np.ndarray | None = None, max_samples: int = 2_000_000, seed: int = 0
    ) -> RobustNormalizer:
        """Return a new normaliser with this rule, fitted on another survey.

        The percentiles, clipping and polarity stay; the centre and scale come
        from ``data``. This is how a run trained on one survey is applied to
        another recorded with other gain or units (int16 counts against float
        amplitudes, say): the same percentile of each survey lands on the same
        normalised value.

        Parameters
        ----------
        data, live, max_samples, seed
            As for :meth:`fit`.

        Returns
        -------
        RobustNormalizer
            A fitted copy; ``self`` is unchanged.
        """
        settings = self.to_dict()
        settings.update(center=None, scale=None, p_low=None, p_high=None)
        return RobustNormalizer.from_dict(settings).fit(data, live=live, max_samples=max_samples, seed=seed)

    def transform(self, data: Any) -> np.ndarray:
        """Scale amplitudes by the fitted rule.

        Parameters
        ----------
        data : array-like of any shape
            Amplitudes in the units the normaliser was fitted on.

        Returns
        -------
        ndarray of float32, same shape as ``data``
            ``(data - center) / scale``, negated if ``flip_polarity``, clipped to
            ``[-clip_value, clip_value]`` if ``clip``. NaN becomes 0.

        Raises
        ------
        RuntimeError
            If the normaliser has not been fitted.
        """
        if self.scale is None or self.center is None:
            raise RuntimeError("RobustNormalizer is not fitted; call fit() or build it with from_dict()")
        factor = (-1.0 if self.flip_polarity else 1.0) / self.scale
        out = np.asarray(data, dtype=np.float32) - np.float32(self.center)
        out *= np.float32(factor)
        np.nan_to_num(out, copy=False, nan=0.0)
        if self.clip:
            np.clip(out, -self.clip_value, self.clip_value, out=out)
        return out

    def to_dict(self) -> dict[str, Any]:
        """Return the settings and statistics as a JSON-ready dictionary."""
        return {
            "method": _METHOD,
            "low_percentile": self.low_percentile,
            "high_percentile": self.high_percentile,
            "clip": self.clip,
            "clip_value": self.clip_value,
            "flip_polarity": self.flip_polarity,
            "center": self.center,
            "scale": self.scale,
            "p_low": self.p_low,
            "p_high": self.p_high,
        }

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> RobustNormalizer:
        """Rebuild a normaliser from :meth:`to_dict` output.

        Raises
        ------
        InvalidInputError
            If the dictionary names another method or lacks a setting.
        """
        method = values.get("method", _METHOD)
        if method != _METHOD:
            raise InvalidInputError(
                f"unknown normalisation method {method!r}; this version applies {_METHOD!r} only"
            )
        try:
            normalizer = cls(
                low_percentile=values["low_percentile"],
                high_percentile=values["high_percentile"],
                clip=values["clip"],
                flip_polarity=values["flip_polarity"],
                clip_value=values.get("clip_value", 3.0),
            )
        except KeyError as missing:
            raise InvalidInputError(
                f"normalisation settings lack the key {missing}; store them with RobustNormalizer.to_dict()"
            ) from None
        if values.get("scale") is not None:
            normalizer.center = float(values["center"])
            normalizer.scale = float(values["scale"])
            normalizer.p_low = None if values.get("p_low") is None else float(values["p_low"])
            normalizer.p_high = None if values.get("p_high") is None else float(values["p_high"])
        return normalizer

    def __repr__(self) -> str:
        return (
            f"RobustNormalizer(low_percentile={self.low_percentile}, high_percentile={self.high_percentile}, "
            f"clip={self.clip}, flip_polarity={self.flip_polarity}, clip_value={self.clip_value}, "
            f"center={self.center}, scale={self.scale})"
        )


def _draw_samples(data: Any, mask: np.ndarray, max_samples: int, rng: np.random.Generator) -> np.ndarray:
    """Return up to ``max_samples`` amplitudes drawn at random from the masked traces.

    Whole traces are drawn (each trace is one contiguous read in the HDF5
    layout), and the amplitudes of the drawn traces are then subsampled.
    """
    n_samples = data.shape[2]
    inline_idx, crossline_idx = np.nonzero(mask)
    if inline_idx.size == 0:
        raise InvalidInputError("the live mask selects no trace; give a mask with at least one True trace")

    n_traces = min(inline_idx.size, max(1, -(-max_samples // n_samples)))
    chosen = np.sort(rng.choice(inline_idx.size, size=n_traces, replace=False))
    inline_idx, crossline_idx = inline_idx[chosen], crossline_idx[chosen]

    if isinstance(data, np.ndarray):
        values = np.asarray(data[inline_idx, crossline_idx, :], dtype=np.float32).ravel()
    else:
        # h5py datasets take one fancy index per read, so read the drawn traces inline by inline.
        parts = []
        for inline in np.unique(inline_idx):
            row = np.asarray(data[int(inline)], dtype=np.float32)
            parts.append(row[crossline_idx[inline_idx == inline]].ravel())
        values = np.concatenate(parts)

    if values.size > max_samples:
        values = rng.choice(values, size=max_samples, replace=False)
    return values
