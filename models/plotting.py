"""PNG figures: facies over seismic sections, confusion matrices and training curves.

Figures are built on :class:`matplotlib.figure.Figure` objects rendered by the
Agg backend, never through ``pyplot``, so plotting touches no global state and
works without a display and from any thread. A PNG is ``figsize * dpi`` pixels
(no tight cropping), and every file is written through
:func:`seismic.atomic.atomic_output`.

Vertical sections are drawn with the samples (time or depth) running down and
the traces across. A time slice is drawn in plane view with crosslines across
and inlines down. Facies colours come from a class table (any object with
``names`` and ``colours``, such as :class:`seismic.labels.ClassTable`), and
class -1 (unlabelled or no trace) is transparent.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from seismic.atomic import atomic_output
from seismic.errors import InvalidInputError, ShapeMismatchError

__all__ = [
    "plot_confusion_matrix",
    "plot_training_curve",
    "plot_facies_sections",
    "plot_section_overlay",
    "class_colours",
]

logger = logging.getLogger(__name__)

PathLike = str | os.PathLike[str]

# Colours for classes beyond the class table (matplotlib's "tab10" cycle).
_FALLBACK_COLOURS = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
)

# Amplitudes are clipped at this percentile of |amplitude| so a few spikes do
# not wash out the section.
_CLIP_PERCENTILE = 99.0


def class_colours(class_table: Any, n_classes: int) -> tuple[list[str], np.ndarray]:
    """Return names and RGBA colours for classes ``0 .. n_classes - 1``.

    Parameters
    ----------
    class_table : ClassTable or None
        Any object with ``names`` and ``colours`` sequences. A colour may be a
        matplotlib colour (``"#1f77b4"``, ``"tab:blue"``, RGB in 0-1) or an RGB
        triple in 0-255. Classes beyond the table get ``"class N"`` and a
        colour from the tab10 cycle.
    n_classes : int
        Number of classes needed.

    Returns
    -------
    names : list of str
        One name per class.
    colours : ndarray of shape (n_classes, 4)
        RGBA in 0-1, float64.
    """
    names = list(getattr(class_table, "names", None) or [])
    colours = list(getattr(class_table, "colours", None) or [])
    result_names = []
    result_colours = np.zeros((n_classes, 4))
    for index in range(n_classes):
        result_names.append(str(names[index]) if index < len(names) else f"class {index}")
        colour = colours[index] if index < len(colours) else _FALLBACK_COLOURS[index % len(_FALLBACK_COLOURS)]
        result_colours[index] = _to_rgba(colour)
    return result_names, result_colours


def _to_rgba(colour: Any) -> tuple[float, float, float, float]:
    if not isinstance(colour, str) and np.ndim(colour) == 1 and np.max(colour) > 1:
        colour = tuple(float(c) / 255.0 for c in colour)
    try:
        return to_rgba(colour)
    except ValueError:
        raise InvalidInputError(f"invalid class colour {colour!r}; give a colour such as '#1f77b4'") from None


def _save(figure: Figure, path: PathLike, dpi: int) -> None:
    FigureCanvasAgg(figure)
    with atomic_output(path) as temporary:
        figure.savefig(temporary, format="png", dpi=dpi)
    logger.debug("wrote %s", path)


def plot_confusion_matrix(
    confusion: np.ndarray,
    class_names: Sequence[str] | None,
    path: PathLike,
    normalize: bool = True,
    *,
    title: str | None = None,
    figsize: tuple[float, float] = (7.0, 6.0),
    dpi: int = 100,
) -> None:
    """Draw a confusion matrix as a heat map with the counts or fractions written in.

    Parameters
    ----------
    confusion : ndarray of shape (n_classes, n_classes)
        Counts, rows true classes and columns predicted classes.
    class_names : sequence of str, optional
        Tick labels; ``"class N"`` for the classes it does not cover.
    path : path-like
        Output PNG.
    normalize : bool, default=True
        Divide each row by its total, so a cell is the fraction of a true class
        predicted as each class (the diagonal is the class accuracy). A row
        without labelled samples stays 0.
    title : str, optional
        Figure title.
    figsize : tuple of float, default=(7.0, 6.0)
        Figure size in inches.
    dpi : int, default=100
        Pixels per inch.

    Raises
    ------
    InvalidInputError
        If ``confusion`` is not a square matrix.
    """
    confusion = np.asarray(confusion)
    if confusion.ndim != 2 or confusion.shape[0] != confusion.shape[1] or confusion.shape[0] == 0:
        raise InvalidInputError(
            f"confusion matrix of shape {confusion.shape} is not square; give (n_classes, n_classes)"
        )
    n_classes = confusion.shape[0]
    names = [
        str(class_names[index]) if class_names is not None and index < len(class_names) else f"class {index}"
        for index in range(n_classes)
    ]

    values = confusion.astype(np.float64)
    if normalize:
        totals = values.sum(axis=1, keepdims=True)
        values = np.divide(values, totals, out=np.zeros_like(values), where=totals > 0)

    figure = Figure(figsize=figsize, layout="constrained")
    axes = figure.add_subplot()
    image = axes.imshow(values, cmap="Blues", vmin=0.0, vmax=1.0 if normalize else max(values.max(), 1.0))
    figure.colorbar(image, ax=axes, label="fraction of true class" if normalize else "samples")
    axes.set_xticks(range(n_classes), names, rotation=45, ha="right")
    axes.set_yticks(range(n_classes), names)
    axes.set_xlabel("predicted class")
    axes.set_ylabel("true class")
    axes.set_title(title or ("confusion matrix (row-normalised)" if normalize else "confusion matrix"))

    # Cell text stays readable up to about 20 classes at the default size.
    if n_classes <= 20:
        threshold = 0.5 * (values.max() if values.max() > 0 else 1.0)
        font_size = 9 if n_classes <= 10 else 6
        for row in range(n_classes):
            for column in range(n_classes):
                value = values[row, column]
                text = f"{value:.2f}" if normalize else f"{int(confusion[row, column])}"
                colour = "white" if value > threshold else "black"
                axes.text(column, row, text, ha="center", va="center", color=colour, fontsize=font_size)

    _save(figure, path, dpi)


def plot_training_curve(
    history: Mapping[str, Sequence[float]],
    path: PathLike,
    *,
    title: str | None = None,
    figsize: tuple[float, float] = (10.0, 4.0),
    dpi: int = 100,
) -> None:
    """Draw per-epoch losses and scores.

    Series whose name contains ``loss`` go in the left panel; every other
    series (for example ``val_miou``) goes in the right panel. A NaN value
    leaves a gap.

    Parameters
    ----------
    history : mapping of str to sequence of float
        One value per epoch for each series, for example
        ``{"train_loss": [...], "val_loss": [...], "val_miou": [...]}``.
    path : path-like
        Output PNG.
    title : str, optional
        Figure title.
    figsize : tuple of float, default=(10.0, 4.0)
        Figure size in inches.
    dpi : int, default=100
        Pixels per inch.

    Raises
    ------
    InvalidInputError
        If no series has a value.
    """
    series = {name: np.asarray(values, dtype=np.float64) for name, values in history.items() if len(values) > 0}
    if not series:
        raise InvalidInputError("training history has no values to plot; train for at least one epoch")
    losses = {name: values for name, values in series.items() if "loss" in name}
    scores = {name: values for name, values in series.items() if "loss" not in name}
    groups = [(group, label) for group, label in ((losses, "loss"), (scores, "score")) if group]

    figure = Figure(figsize=figsize, layout="constrained")
    for position, (group, label) in enumerate(groups, 1):
        axes = figure.add_subplot(1, len(groups), position)
        for name, values in group.items():
            epochs = np.arange(1, len(values) + 1)
            axes.plot(epochs, values, marker="o" if len(values) < 30 else None, markersize=3, label=name)
        axes.set_xlabel("epoch")
        axes.set_ylabel(label)
        axes.grid(True, alpha=0.3)
        axes.legend()
    if title:
        figure.suptitle(title)

    _save(figure, path, dpi)


def _clip_value(values: np.ndarray) -> float:
    finite = np.abs(values[np.isfinite(values)])
    if finite.size == 0:
        return 1.0
    clip = float(np.percentile(finite, _CLIP_PERCENTILE))
    return clip if clip > 0 else float(finite.max()) or 1.0


def _facies_rgba(facies: np.ndarray, colours: np.ndarray, alpha: float) -> np.ndarray:
    # Row 0 of the lookup table is class -1: fully transparent.
    table = np.zeros((len(colours) + 1, 4))
    table[1:] = colours
    table[1:, 3] = alpha
    indexes = np.clip(facies.astype(np.int64) + 1, 0, len(colours))
    indexes[facies < 0] = 0
    return table[indexes]


def _edges(coordinates: np.ndarray | None, size: int) -> tuple[float, float]:
    """Return the outer edges of ``size`` cells centred on ``coordinates``."""
    if coordinates is None or len(coordinates) != size:
        return -0.5, size - 0.5
    coordinates = np.asarray(coordinates, dtype=np.float64)
    step = (coordinates[-1] - coordinates[0]) / (size - 1) if size > 1 else 1.0
    return coordinates[0] - step / 2, coordinates[-1] + step / 2


def _draw_panel(
    axes: Axes,
    seismic: np.ndarray | None,
    facies: np.ndarray | None,
    colours: np.ndarray,
    *,
    clip: float,
    alpha: float,
    across: np.ndarray | None,
    down: np.ndarray | None,
) -> None:
    """Draw an image whose rows run down the axes and columns across.

    ``seismic`` and ``facies`` are ``(n_down, n_across)``; ``across`` and
    ``down`` are their axis coordinates.
    """
    shape = seismic.shape if seismic is not None else facies.shape
    left, right = _edges(across, shape[1])
    top, bottom = _edges(down, shape[0])
    extent = (left, right, bottom, top)
    if seismic is not None:
        axes.imshow(seismic, cmap="gray", vmin=-clip, vmax=clip, extent=extent, aspect="auto", interpolation="nearest")
    if facies is not None:
        axes.imshow(
            _facies_rgba(facies, colours, alpha if seismic is not None else 1.0),
            extent=extent,
            aspect="auto",
            interpolation="nearest",
        )

    # Trace, inline and crossline numbers are whole numbers.
    for axis, coordinates in ((axes.xaxis, across), (axes.yaxis, down)):
        if coordinates is None or np.asarray(coordinates).dtype.kind in "iu":
            axis.set_major_locator(MaxNLocator(integer=True))


def _legend_handles(facies_panels: Sequence[np.ndarray | None], names: list[str], colours: np.ndarray) -> list[Patch]:
    present: set[int] = set()
    for panel in facies_panels:
        if panel is not None:
            present.update(int(value) for value in np.unique(panel) if value >= 0)
    return [Patch(facecolor=colours[index], edgecolor="black", label=names[index]) for index in sorted(present)]


def _check_pair(seismic: np.ndarray | None, facies: np.ndarray | None, ndim: int, what: str) -> None:
    if seismic is None and facies is None:
        raise InvalidInputError(f"nothing to plot: give the {what} seismic, facies or both")
    for name, array in (("seismic", seismic), ("facies", facies)):
        if array is not None and array.ndim != ndim:
            raise InvalidInputError(f"{name} {what} of shape {array.shape} is not {ndim}-dimensional")
    if seismic is not None and facies is not None and seismic.shape != facies.shape:
        raise ShapeMismatchError(
            f"seismic {what} of shape {seismic.shape} and facies of shape {facies.shape} differ; "
            "give both on the same grid"
        )


def _n_classes(facies: np.ndarray | None, class_table: Any) -> int:
    table_size = len(getattr(class_table, "names", None) or [])
    top = int(facies.max()) + 1 if facies is not None and facies.size else 0
    return max(table_size, top, 1)


def _middle(index: int | None, size: int, name: str) -> int:
    if index is None:
        return size // 2
    if not -size <= index < size:
        raise InvalidInputError(f"{name} {index} is outside the volume's 0..{size - 1}; give an index inside it")
    return index % size


def plot_facies_sections(
    seismic: np.ndarray | None,
    facies: np.ndarray | None,
    class_table: Any,
    path: PathLike,
    *,
    inline_index: int | None = None,
    crossline_index: int | None = None,
    sample_index: int | None = None,
    inlines: np.ndarray | None = None,
    crosslines: np.ndarray | None = None,
    samples: np.ndarray | None = None,
    title: str | None = None,
    sample_label: str = "time (ms)",
    alpha: float = 0.5,
    figsize: tuple[float, float] = (15.0, 5.5),
    dpi: int = 100,
) -> None:
    """Draw an inline, a crossline and a time slice with the facies over the seismic.

    Parameters
    ----------
    seismic : ndarray of shape (n_inlines, n_crosslines, n_samples), optional
        Amplitudes, drawn in gray clipped at the 99th percentile of the
        absolute amplitude of each panel. Without it the facies are drawn
        opaque.
    facies : ndarray of shape (n_inlines, n_crosslines, n_samples), optional
        Classes, -1 drawn transparent.
    class_table : ClassTable or None
        Class names and colours (see :func:`class_colours`).
    path : path-like
        Output PNG.
    inline_index, crossline_index, sample_index : int, optional
        Array indexes (not survey numbers) of the three panels; the middle of
        each axis by default.
    inlines, crosslines : ndarray of int, optional
        Survey inline and crossline numbers for the axes; array indexes by
        default.
    samples : ndarray of float, optional
        Sample times or depths for the vertical axes; sample indexes by default.
    title : str, optional
        Figure title.
    sample_label : str, default="time (ms)"
        Vertical-axis label when ``samples`` is given.
    alpha : float, default=0.5
        Opacity of the facies over the seismic.
    figsize : tuple of float, default=(15.0, 5.5)
        Figure size in inches.
    dpi : int, default=100
        Pixels per inch.

    Raises
    ------
    InvalidInputError
        If neither volume is given, a volume is not 3-D or an index lies outside it.
    ShapeMismatchError
        If the seismic and facies shapes differ.
    """
    seismic = None if seismic is None else np.asarray(seismic)
    facies = None if facies is None else np.asarray(facies)
    _check_pair(seismic, facies, 3, "volume")
    shape = seismic.shape if seismic is not None else facies.shape
    inline_index = _middle(inline_index, shape[0], "inline index")
    crossline_index = _middle(crossline_index, shape[1], "crossline index")
    sample_index = _middle(sample_index, shape[2], "sample index")
    names, colours = class_colours(class_table, _n_classes(facies, class_table))

    inline_name = f"inline {inlines[inline_index]}" if inlines is not None else f"inline index {inline_index}"
    crossline_name = (
        f"crossline {crosslines[crossline_index]}" if crosslines is not None else f"crossline index {crossline_index}"
    )
    slice_name = f"slice at {samples[sample_index]:g}" if samples is not None else f"sample index {sample_index}"
    vertical_label = sample_label if samples is not None else "sample"

    def take(volume: np.ndarray | None, key: tuple) -> np.ndarray | None:
        return None if volume is None else volume[key]

    # Each panel as (rows down, columns across): sections are transposed so
    # samples run down; the slice keeps inlines down and crosslines across.
    panels = [
        (inline_name, (inline_index, slice(None), slice(None)), True, crosslines, samples, "crossline", vertical_label),
        (crossline_name, (slice(None), crossline_index, slice(None)), True, inlines, samples, "inline", vertical_label),
        (slice_name, (slice(None), slice(None), sample_index), False, crosslines, inlines, "crossline", "inline"),
    ]

    figure = Figure(figsize=figsize, layout="constrained")
    facies_panels = []
    for position, (name, key, transpose, across, down, across_label, down_label) in enumerate(panels, 1):
        seismic_panel = take(seismic, key)
        facies_panel = take(facies, key)
        if transpose:
            seismic_panel = None if seismic_panel is None else seismic_panel.T
            facies_panel = None if facies_panel is None else facies_panel.T
        facies_panels.append(facies_panel)
        axes = figure.add_subplot(1, 3, position)
        clip = _clip_value(seismic_panel) if seismic_panel is not None else 1.0
        _draw_panel(axes, seismic_panel, facies_panel, colours, clip=clip, alpha=alpha, across=across, down=down)
        axes.set_title(name)
        axes.set_xlabel(across_label)
        axes.set_ylabel(down_label)

    handles = _legend_handles(facies_panels, names, colours)
    if handles:
        figure.legend(handles=handles, loc="outside lower center", ncol=min(len(handles), 8), frameon=False)
    if title:
        figure.suptitle(title)

    _save(figure, path, dpi)


def plot_section_overlay(
    section: np.ndarray | None,
    facies: np.ndarray | None,
    class_table: Any,
    path: PathLike,
    *,
    title: str | None = None,
    plane_view: bool = False,
    traces: np.ndarray | None = None,
    samples: np.ndarray | None = None,
    trace_label: str = "trace",
    sample_label: str = "time (ms)",
    alpha: float = 0.5,
    figsize: tuple[float, float] = (8.0, 6.0),
    dpi: int = 100,
) -> None:
    """Draw one section or slice with the facies over the seismic.

    Parameters
    ----------
    section : ndarray of shape (n_traces, n_samples), optional
        Amplitudes of a vertical section, drawn with samples running down. With
        ``plane_view`` it is a time slice of shape (n_inlines, n_crosslines),
        drawn with crosslines across and inlines down.
    facies : ndarray of the same shape as ``section``, optional
        Classes, -1 drawn transparent.
    class_table : ClassTable or None
        Class names and colours (see :func:`class_colours`).
    path : path-like
        Output PNG.
    title : str, optional
        Panel title.
    plane_view : bool, default=False
        Draw a time slice instead of a vertical section.
    traces : ndarray, optional
        Coordinates of the first axis (trace numbers, or inline numbers in plane view).
    samples : ndarray, optional
        Coordinates of the second axis (sample times, or crossline numbers in plane view).
    trace_label, sample_label : str
        Axis labels of a vertical section; plane view uses "inline" and "crossline".
    alpha : float, default=0.5
        Opacity of the facies over the seismic.
    figsize : tuple of float, default=(8.0, 6.0)
        Figure size in inches.
    dpi : int, default=100
        Pixels per inch.

    Raises
    ------
    InvalidInputError
        If neither array is given or an array is not 2-D.
    ShapeMismatchError
        If the two shapes differ.
    """
    section = None if section is None else np.asarray(section)
    facies = None if facies is None else np.asarray(facies)
    _check_pair(section, facies, 2, "section")
    names, colours = class_colours(class_table, _n_classes(facies, class_table))

    if plane_view:
        seismic_panel, facies_panel = section, facies
        across, down, across_label, down_label = samples, traces, "crossline", "inline"
    else:
        seismic_panel = None if section is None else section.T
        facies_panel = None if facies is None else facies.T
        across, down, across_label = traces, samples, trace_label
        down_label = sample_label if samples is not None else "sample"

    figure = Figure(figsize=figsize, layout="constrained")
    axes = figure.add_subplot()
    clip = _clip_value(seismic_panel) if seismic_panel is not None else 1.0
    _draw_panel(axes, seismic_panel, facies_panel, colours, clip=clip, alpha=alpha, across=across, down=down)
    axes.set_xlabel(across_label)
    axes.set_ylabel(down_label)
    if title:
        axes.set_title(title)
    handles = _legend_handles([facies_panel], names, colours)
    if handles:
        figure.legend(handles=handles, loc="outside right upper", frameon=False)

    _save(figure, path, dpi)
