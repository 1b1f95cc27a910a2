"""``facies cluster``: unsupervised facies by mini-batch k-means.

Writes the cluster volume as SEG-Y (int16 cluster numbers, -1 where there is
no trace). Beside it, a PNG named like the SEG-Y with the suffix ``.png``
shows the clusters over the seismic on an inline, a crossline and a time slice. A
SEG-Y input lends its trace headers to the output, so viewers line the
clusters up with the seismic.
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path
from typing import Any

import numpy as np

from facies.commands._common import check_segy_output, existing_file, positive_int
from models.clustering import FEATURE_NAMES, ClusterResult, cluster_volume
from models.plotting import plot_facies_sections
from seismic.atomic import atomic_output
from seismic.errors import InvalidInputError
from seismic.io import VolumeData, load_volume
from seismic.labels import ClassTable
from seismic.segy.writer import build_text_header, write_like, write_segy

__all__ = ["register", "run"]

logger = logging.getLogger(__name__)


def cluster_count(text: str) -> int:
    """Parse a cluster count of at least 2 (an argparse ``type``)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid integer {text!r}; give a whole number such as 6") from None
    if value < 2:
        raise argparse.ArgumentTypeError(f"invalid value {value}; give at least 2 clusters")
    return value


def register(subparsers: Any) -> None:
    """Add the ``cluster`` subcommand."""
    parser = subparsers.add_parser(
        "cluster",
        help="unsupervised facies by k-means on attribute features",
        description=(
            "Cluster the voxels of a seismic volume with mini-batch k-means on windowed RMS amplitude, "
            "envelope, instantaneous frequency, phase coherence and semblance. Writes OUT (SEG-Y of cluster "
            "numbers, -1 where there is no trace) and OUT with the suffix .png."
        ),
    )
    parser.add_argument("--seismic", required=True, metavar="PATH", help="seismic volume: SEG-Y, HDF5 or .npy")
    parser.add_argument("--out", required=True, metavar="OUT.sgy", help="cluster SEG-Y to write")
    parser.add_argument(
        "--k", type=cluster_count, default=6, metavar="K", help="number of clusters, at least 2 (default: 6)"
    )
    parser.add_argument(
        "--window",
        type=positive_int,
        default=5,
        metavar="N",
        help="odd neighbourhood size in samples and traces for the features (default: 5)",
    )
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (default: 0)")
    parser.add_argument(
        "--max-samples",
        type=positive_int,
        default=200_000,
        metavar="N",
        help="voxels drawn at random to fit k-means (default: 200000)",
    )
    parser.add_argument("--dataset", metavar="NAME", help="HDF5 dataset of the seismic (default: seismic)")
    parser.set_defaults(handler=run)


def _sample_interval_ms(volume: VolumeData) -> float:
    """Return the sample interval in ms, or 4 ms when the axis is not time in ms.

    Only the unit of the frequency feature depends on it: the features are
    standardised before clustering.
    """
    if volume.unit == "ms" and len(volume.samples) > 1:
        interval = float(np.median(np.diff(volume.samples)))
        if interval > 0:
            return interval
    return 4.0


def _cluster_table(k: int) -> ClassTable:
    default = ClassTable.default(k)
    return ClassTable(names=[f"cluster {index}" for index in range(k)], colours=default.colours, kinds=default.kinds)


def _text_header(result: ClusterResult, source: Path, k: int, window: int, seed: int) -> str:
    envelope_column = result.feature_names.index("envelope")
    lines = [
        "SEISMIC-FACIES CLUSTER VOLUME (UNSUPERVISED)",
        f"SOURCE: {source.name}"[:76],
        f"MINI-BATCH K-MEANS: K={k} WINDOW={window} SAMPLES SEED={seed}",
        ("FEATURES: " + " ".join(FEATURE_NAMES).upper())[:76],
        "SAMPLE VALUE = CLUSTER INDEX (INT16), -1 = NO TRACE",
        "CLUSTERS NUMBERED BY INCREASING MEAN ENVELOPE:",
    ]
    for index, center in enumerate(result.centers[:30]):
        lines.append(f"{index} CLUSTER {index}: MEAN ENVELOPE {center[envelope_column]:.4g}")
    return build_text_header(lines)


def run(args: argparse.Namespace) -> int:
    """Cluster the seismic and write the cluster SEG-Y and PNG."""
    seismic_path = existing_file(args.seismic, "--seismic")
    out = Path(args.out)
    check_segy_output(out, seismic_path)
    if args.window % 2 == 0:
        raise InvalidInputError(f"--window {args.window} is even; give an odd number of samples such as 5")

    volume = load_volume(seismic_path, dataset=args.dataset)
    logger.info("read %s: %d x %d x %d (%s)", seismic_path, *volume.shape, volume.kind)
    n_live_voxels = int(np.count_nonzero(volume.live)) * volume.shape[2]
    if args.k > n_live_voxels:
        raise InvalidInputError(
            f"--k {args.k} exceeds the {n_live_voxels} live voxels of {seismic_path}; give a smaller --k"
        )

    result = cluster_volume(
        volume.data,
        args.k,
        window=args.window,
        live=volume.live,
        seed=args.seed,
        max_training_samples=max(args.max_samples, args.k),
        sample_interval_ms=_sample_interval_ms(volume),
    )

    # The PNG is rendered first under a temporary name and renamed only after
    # the SEG-Y is written, so a failure leaves neither file.
    png = out.with_suffix(".png")
    table = _cluster_table(args.k)
    header = _text_header(result, seismic_path, args.k, args.window, args.seed)
    with atomic_output(png) as png_temporary:
        plot_facies_sections(
            volume.data,
            result.labels,
            table,
            png_temporary,
            inlines=volume.inlines,
            crosslines=volume.crosslines,
            samples=volume.samples,
            sample_label="sample" if volume.unit == "index" else f"{volume.domain} ({volume.unit})",
            title=f"{args.k} clusters of {seismic_path.name}",
        )
        if volume.kind == "segy":
            write_like(seismic_path, result.labels, out, sample_format="int16", text_header=header, fill_value=-1)
        else:
            write_segy(
                out,
                result.labels,
                inlines=volume.inlines,
                crosslines=volume.crosslines,
                samples=volume.samples,
                sample_format="int16",
                text_header=header,
                live=volume.live,
            )
    logger.info("wrote cluster SEG-Y %s and %s", out, png)
    return 0
