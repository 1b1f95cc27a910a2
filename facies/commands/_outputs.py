"""Write a facies prediction: SEG-Y, HDF5 with probabilities, and PNG views.

Shared by ``facies predict`` (torch) and ``facies infer`` (OpenVINO).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from models.plotting import plot_section_overlay
from models.prediction import FaciesPrediction
from seismic.atomic import atomic_output
from seismic.io import VolumeData, save_volume_h5
from seismic.labels import ClassTable
from seismic.segy.writer import build_text_header, write_like, write_segy

__all__ = ["PredictionOutputs", "write_prediction"]

logger = logging.getLogger(__name__)


@dataclass
class PredictionOutputs:
    """Paths written for one prediction."""

    facies_segy: Path
    probabilities_h5: Path
    pngs: list[Path]


def legend_header(class_table: ClassTable, source: Path, producer: str) -> str:
    """Build the textual header of a facies SEG-Y: provenance and class legend."""
    lines = [
        "SEISMIC-FACIES FACIES VOLUME",
        f"PRODUCED BY: {producer}"[:76],
        f"SOURCE: {source.name}"[:76],
        "SAMPLE VALUE = FACIES CLASS INDEX (INT16), -1 = NO TRACE",
        *class_table.legend_lines(),
    ]
    return build_text_header(lines[:40])


def write_prediction(
    prediction: FaciesPrediction,
    volume: VolumeData,
    class_table: ClassTable,
    out: str | Path,
    *,
    producer: str,
) -> PredictionOutputs:
    """Write the facies SEG-Y at ``out``, ``out`` with suffix ``.h5`` and three PNGs.

    Parameters
    ----------
    prediction : FaciesPrediction
        The predicted volume.
    volume : VolumeData
        The seismic it was predicted from; a SEG-Y source lends its trace headers.
    class_table : ClassTable
        Class names and colours for the legend and the overlays.
    out : path-like
        The facies SEG-Y path.
    producer : str
        What made the prediction (run or package folder), for the textual header.
    """
    out = Path(out)
    header = legend_header(class_table, Path(volume.path), producer)
    if volume.kind == "segy":
        write_like(volume.path, prediction.facies, out, sample_format="int16", text_header=header, fill_value=-1)
    else:
        with atomic_output(out) as temporary:
            write_segy(
                temporary,
                prediction.facies,
                inlines=volume.inlines,
                crosslines=volume.crosslines,
                samples=volume.samples,
                sample_format="int16",
                text_header=header,
            )
    logger.info("wrote facies SEG-Y %s", out)

    h5_path = out.with_suffix(".h5")
    save_volume_h5(
        h5_path,
        {
            "facies": prediction.facies,
            "probabilities": prediction.probabilities,
            "confidence": prediction.confidence,
            "margin": prediction.margin,
        },
        inlines=volume.inlines,
        crosslines=volume.crosslines,
        samples=volume.samples,
        live=volume.live,
        attrs={"class_table": json.dumps(class_table.to_dict()), "producer": producer},
    )
    logger.info("wrote probabilities and confidence to %s", h5_path)

    pngs = _write_views(prediction.facies, volume, class_table, out)
    return PredictionOutputs(facies_segy=out, probabilities_h5=h5_path, pngs=pngs)


def _write_views(facies: np.ndarray, volume: VolumeData, class_table: ClassTable, out: Path) -> list[Path]:
    n_inlines, n_crosslines, n_samples = facies.shape
    inline_index, crossline_index, sample_index = n_inlines // 2, n_crosslines // 2, n_samples // 2
    sample_label = f"{volume.domain} ({volume.unit})"
    views = [
        (
            "inline",
            volume.data[inline_index],
            facies[inline_index],
            f"inline {volume.inlines[inline_index]}",
            volume.crosslines,
            "crossline",
        ),
        (
            "crossline",
            volume.data[:, crossline_index],
            facies[:, crossline_index],
            f"crossline {volume.crosslines[crossline_index]}",
            volume.inlines,
            "inline",
        ),
        (
            "slice",
            volume.data[:, :, sample_index],
            facies[:, :, sample_index],
            f"{volume.domain} slice at {volume.samples[sample_index]:g} {volume.unit}",
            None,
            "crossline",
        ),
    ]
    paths = []
    for name, section, labels, title, traces, trace_label in views:
        path = out.with_name(f"{out.stem}_{name}.png")
        if name == "slice":
            plot_section_overlay(section, labels, class_table, path, title=title, plane_view=True)
        else:
            plot_section_overlay(
                section,
                labels,
                class_table,
                path,
                title=title,
                traces=traces,
                samples=volume.samples,
                trace_label=trace_label,
                sample_label=sample_label,
            )
        paths.append(path)
    return paths
