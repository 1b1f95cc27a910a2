"""Write a synthetic survey to a folder: seismic and label SEG-Y, horizons CSV, class table JSON."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from seismic.atomic import atomic_directory
from seismic.errors import InvalidInputError
from seismic.labels import CLASS_TABLE_NAME
from seismic.segy.writer import build_text_header, write_segy

if TYPE_CHECKING:
    from seismic.synthetic.survey import SyntheticSurvey

__all__ = ["write_survey", "write_horizons_csv", "OUTPUT_NAMES"]

logger = logging.getLogger(__name__)

OUTPUT_NAMES = {
    "seismic": "seismic.sgy",
    "labels": "labels.sgy",
    "horizons": "horizons.csv",
    "classes": CLASS_TABLE_NAME,
}
"""Key and file name of each file :func:`write_survey` writes."""


def write_horizons_csv(survey: SyntheticSurvey, path: str | os.PathLike[str]) -> Path:
    """Write the survey's horizons as CSV with columns ``horizon,inline,crossline,time_ms``.

    Rows run horizon by horizon (top down), inline by inline and crossline by
    crossline. Traces where a horizon is undefined (NaN) have no row.
    """
    path = Path(path)
    inline_grid, crossline_grid = np.meshgrid(survey.inlines, survey.crosslines, indexing="ij")
    with open(path, "w", encoding="ascii", newline="\n") as stream:
        stream.write("horizon,inline,crossline,time_ms\n")
        for name, times in survey.horizons.items():
            defined = np.isfinite(times)
            rows = np.column_stack([inline_grid[defined], crossline_grid[defined]])
            values = times[defined]
            lines = [f"{name},{inline},{crossline},{time:.3f}\n" for (inline, crossline), time in zip(rows.tolist(), values.tolist())]
            stream.writelines(lines)
    return path


def _text_header(survey: SyntheticSurvey, content: str) -> str:
    n_inlines, n_crosslines, n_samples = survey.shape
    lines = [
        f"SYNTHETIC {content.upper()} FROM SEISMIC-FACIES, SEED {survey.seed}",
        f"INLINES {survey.inlines[0]}-{survey.inlines[-1]} ({n_inlines}) AT BYTE 189, "
        f"CROSSLINES {survey.crosslines[0]}-{survey.crosslines[-1]} ({n_crosslines}) AT BYTE 193",
        f"{n_samples} SAMPLES EVERY {survey.sample_interval_ms:g} MS FROM {survey.samples[0]:g} MS",
        f"RICKER WAVELET, MEAN PEAK {survey.peak_frequency_hz:g} HZ; NOISE RMS RATIO {survey.noise:g}",
        "",
        *survey.class_table.legend_lines(),
    ]
    return build_text_header(lines[:38])


def _write_all(survey: SyntheticSurvey, folder: Path, progress: bool) -> dict[str, Path]:
    paths = {key: folder / name for key, name in OUTPUT_NAMES.items()}
    axes = {"inlines": survey.inlines, "crosslines": survey.crosslines, "samples": survey.samples}
    write_segy(
        paths["seismic"],
        survey.seismic,
        **axes,
        sample_format="ieee",
        text_header=_text_header(survey, "seismic"),
        progress=progress,
    )
    write_segy(
        paths["labels"],
        survey.labels,
        **axes,
        sample_format="int16",
        text_header=_text_header(survey, "facies labels"),
        progress=progress,
    )
    write_horizons_csv(survey, paths["horizons"])
    survey.class_table.to_json(paths["classes"])
    return paths


def write_survey(survey: SyntheticSurvey, out_dir: str | os.PathLike[str], *, progress: bool = False) -> dict[str, Path]:
    """Write a survey's files into ``out_dir``, all or none of them.

    Files written: ``seismic.sgy`` (IEEE float), ``labels.sgy`` (16-bit
    integer classes, class legend in the textual header), ``horizons.csv``
    (``horizon,inline,crossline,time_ms``) and ``classes.json`` (the class
    table). Both SEG-Y files are big-endian revision 1 with inline and
    crossline numbers at bytes 189 and 193.

    Everything is first written into a temporary folder; the files are moved
    into ``out_dir`` only once all of them are complete. A new ``out_dir`` is
    created with them; in an existing one, other files are left alone and
    files of the same names are replaced.

    Parameters
    ----------
    survey : SyntheticSurvey
        The survey to write.
    out_dir : path-like
        Output folder.
    progress : bool, default=False
        Show SEG-Y writing progress bars on stderr.

    Returns
    -------
    dict of str to Path
        The written files under the keys ``"seismic"``, ``"labels"``,
        ``"horizons"`` and ``"classes"``.

    Raises
    ------
    InvalidInputError
        If ``out_dir`` exists and is not a folder.
    """
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise InvalidInputError(f"output folder {out_dir} is an existing file; give a folder path")

    if not out_dir.exists():
        with atomic_directory(out_dir) as staging:
            _write_all(survey, staging, progress)
    else:
        staging = Path(tempfile.mkdtemp(prefix=".synth-", suffix=".tmp", dir=out_dir))
        try:
            written = _write_all(survey, staging, progress)
            for key, path in written.items():
                os.replace(path, out_dir / OUTPUT_NAMES[key])
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    paths = {key: out_dir / name for key, name in OUTPUT_NAMES.items()}
    logger.info("wrote synthetic survey %s to %s", survey.shape, out_dir)
    return paths
