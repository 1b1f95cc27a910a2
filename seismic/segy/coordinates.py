"""Trace coordinates and the bin grid they define.

Coordinates come from the CDP X/Y words (trace-header bytes 181 and 185)
scaled by the coordinate scalar at bytes 71-72. Files that leave the CDP
words empty fall back to the source X/Y words at bytes 73 and 77.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

import numpy as np

from seismic.segy.headers import TraceField, apply_scalar

__all__ = ["BinGrid", "trace_coordinates", "fit_bin_grid"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BinGrid:
    """Position and orientation of the inline x crossline grid.

    Fitted by least squares to the coordinates of every live trace, so a
    few rounded or missing coordinates do not bias it.

    Attributes
    ----------
    origin_x, origin_y : float
        Coordinates of the first inline's first crossline, ``(inlines[0],
        crosslines[0])``, even when that cell has no trace.
    inline_azimuth : float
        Direction in which an inline runs (increasing crossline number), degrees
        clockwise from grid north (+y), in [0, 360). NaN for a single crossline.
    crossline_azimuth : float
        Direction in which a crossline runs (increasing inline number),
        degrees clockwise from grid north. NaN for a single inline.
    inline_spacing : float
        Distance between neighbouring inlines of the grid, in coordinate
        units. NaN for a single inline.
    crossline_spacing : float
        Distance between neighbouring crosslines, in coordinate units. NaN for a single crossline.
    coordinate_source : str
        ``"cdp"`` (bytes 181/185) or ``"source"`` (bytes 73/77).
    rms_residual : float
        Root-mean-square distance between the stored coordinates and the fitted grid.
    """

    origin_x: float
    origin_y: float
    inline_azimuth: float
    crossline_azimuth: float
    inline_spacing: float
    crossline_spacing: float
    coordinate_source: str
    rms_residual: float

    def to_dict(self) -> dict[str, float | str]:
        """Return the fields as a JSON-ready dict."""
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


_UNSET_WORD = -(2**31)


def trace_coordinates(headers_word, n_traces: int) -> tuple[np.ndarray, np.ndarray, str]:
    """Read each trace's X/Y coordinate.

    Parameters
    ----------
    headers_word : callable
        ``headers_word(byte, size)`` returns that signed word of every trace,
        shape (n_traces,), int64.
    n_traces : int
        Number of traces.

    Returns
    -------
    x, y : np.ndarray of float64, shape (n_traces,)
        Scaled coordinates; NaN where a word contains -2**31, the value some
        writers give dead traces.
    source : str
        ``"cdp"`` or ``"source"``: the header words they came from, or
        ``"none"`` when both pairs are all zero (the zeros are returned).
    """
    scalar = headers_word(TraceField.COORDINATE_SCALAR, 2)
    for name, x_byte, y_byte in (
        ("cdp", TraceField.CDP_X, TraceField.CDP_Y),
        ("source", TraceField.SOURCE_X, TraceField.SOURCE_Y),
    ):
        x, y = headers_word(x_byte, 4), headers_word(y_byte, 4)
        if np.any(x != 0) or np.any(y != 0):
            x_scaled, y_scaled = apply_scalar(x, scalar), apply_scalar(y, scalar)

            # Some writers fill the words of dead traces with the smallest int32.
            unset = (x == _UNSET_WORD) | (y == _UNSET_WORD)
            x_scaled[unset] = np.nan
            y_scaled[unset] = np.nan
            return x_scaled, y_scaled, name
    logger.info("no trace coordinates: CDP X/Y (bytes 181/185) and source X/Y (bytes 73/77) are all zero")
    zeros = np.zeros(n_traces, dtype=np.float64)
    return zeros, zeros.copy(), "none"


def _azimuth(dx: float, dy: float) -> float:
    # Rounding first keeps a direction of -1e-15 degrees from becoming 360.
    return round(math.degrees(math.atan2(dx, dy)), 9) % 360.0


def fit_bin_grid(
    x: np.ndarray, y: np.ndarray, inline_index: np.ndarray, crossline_index: np.ndarray, coordinate_source: str
) -> BinGrid:
    """Fit an affine grid ``x = x0 + i * a + j * b`` to trace coordinates.

    Parameters
    ----------
    x, y : np.ndarray of float64, shape (n_traces,)
        Trace coordinates.
    inline_index, crossline_index : np.ndarray of int, shape (n_traces,)
        Each trace's row and column on the grid (0-based positions, not line numbers).
    coordinate_source : str
        Recorded in the result.

    Returns
    -------
    BinGrid

    Notes
    -----
    Traces with NaN coordinates (unset header words) are left out of the fit.
    """
    known = np.isfinite(x) & np.isfinite(y)
    x, y = x[known], y[known]
    inline_index, crossline_index = inline_index[known], crossline_index[known]
    single_inline = np.all(inline_index == inline_index[0])
    single_crossline = np.all(crossline_index == crossline_index[0])
    columns = [np.ones_like(x)]
    if not single_inline:
        columns.append(inline_index.astype(np.float64))
    if not single_crossline:
        columns.append(crossline_index.astype(np.float64))
    design = np.stack(columns, axis=1)
    solution, _, _, _ = np.linalg.lstsq(design, np.stack([x, y], axis=1), rcond=None)
    residual = np.stack([x, y], axis=1) - design @ solution
    rms = float(np.sqrt(np.mean(np.sum(residual**2, axis=1))))

    origin = solution[0]
    row = 1
    inline_vector = crossline_vector = (math.nan, math.nan)
    if not single_inline:
        # Moving one inline along the grid is moving along a crossline.
        crossline_vector = tuple(solution[row])
        row += 1
    if not single_crossline:
        inline_vector = tuple(solution[row])

    def spacing(vector: tuple[float, float]) -> float:
        return math.hypot(*vector)

    return BinGrid(
        origin_x=float(origin[0]),
        origin_y=float(origin[1]),
        inline_azimuth=_azimuth(*inline_vector) if not single_crossline else math.nan,
        crossline_azimuth=_azimuth(*crossline_vector) if not single_inline else math.nan,
        inline_spacing=spacing(crossline_vector),
        crossline_spacing=spacing(inline_vector),
        coordinate_source=coordinate_source,
        rms_residual=rms,
    )
