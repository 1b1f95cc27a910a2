"""``facies evaluate``: score a facies prediction against labels.

Prints pixel accuracy, mean class accuracy, frequency-weighted IoU, mean IoU
(over the classes present in the labels) and per-class IoU, and writes a
row-normalised confusion-matrix PNG. Samples labelled -1 and cells without a
trace in either file are left out.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any

import numpy as np

from facies.commands._common import existing_file, positive_int
from models.metrics import confusion_matrix, segmentation_scores
from models.plotting import plot_confusion_matrix
from seismic.errors import InvalidInputError, ShapeMismatchError
from seismic.io import HDF5_EXTENSIONS, VolumeData, load_volume
from seismic.labels import ClassTable, find_class_table
from seismic.volume import VolumeStore

__all__ = ["register", "run", "load_classes"]

logger = logging.getLogger(__name__)

# HDF5 datasets tried in order when none is named: predict writes "facies",
# label files contain "labels".
_PREDICTION_DATASETS = ("facies", "labels")
_LABEL_DATASETS = ("labels", "facies")

JSON_KEYS = ("pixel_accuracy", "mean_class_accuracy", "fwiu", "miou", "per_class_iou")


def register(subparsers: Any) -> None:
    """Add the ``evaluate`` subcommand."""
    parser = subparsers.add_parser(
        "evaluate",
        help="score a facies volume against labels",
        description=(
            "Score a predicted facies volume against a label volume of the same shape: pixel accuracy, "
            "mean class accuracy, frequency-weighted IoU, mean IoU over the classes present in the labels "
            "and per-class IoU. Samples labelled -1 are ignored. Writes a confusion-matrix PNG."
        ),
    )
    parser.add_argument("pred", metavar="PRED", help="predicted classes: SEG-Y, HDF5 or .npy")
    parser.add_argument("labels", metavar="LABELS", help="true classes (-1 = unlabelled): SEG-Y, HDF5 or .npy")
    parser.add_argument("--json", action="store_true", help="print the scores as one JSON line on stdout")
    parser.add_argument(
        "--out-dir",
        metavar="DIR",
        help="folder for the confusion-matrix PNG (default: beside PRED, named <PRED stem>_confusion.png)",
    )
    parser.add_argument(
        "--n-classes",
        type=positive_int,
        metavar="N",
        help="number of classes (default: from the class table beside LABELS, else the largest class + 1)",
    )
    parser.add_argument("--pred-dataset", metavar="NAME", help="HDF5 dataset of PRED (default: facies, else labels)")
    parser.add_argument(
        "--labels-dataset", metavar="NAME", help="HDF5 dataset of LABELS (default: labels, else facies)"
    )
    parser.set_defaults(handler=run)


def _dataset_name(path: Path, requested: str | None, preferred: tuple[str, ...]) -> str | None:
    """Pick the HDF5 dataset to read: the requested one, else the first preferred one present."""
    if requested is not None or path.suffix.lower() not in HDF5_EXTENSIONS:
        return requested
    with VolumeStore(path) as store:
        for name in preferred:
            if name in store.volume_names:
                return name
    return None


def load_classes(path: Path, role: str, dataset: str | None = None) -> tuple[VolumeData, np.ndarray]:
    """Read a class volume and return it with its classes as int32, -1 where there is no trace.

    Parameters
    ----------
    path : Path
        SEG-Y, HDF5 or ``.npy`` file.
    role : str
        ``"PRED"`` or ``"LABELS"``, quoted in messages.
    dataset : str, optional
        HDF5 dataset name.

    Raises
    ------
    InvalidInputError
        If the file cannot be read or contains values that are not whole numbers.
    """
    preferred = _PREDICTION_DATASETS if role == "PRED" else _LABEL_DATASETS
    volume = load_volume(path, dataset=_dataset_name(path, dataset, preferred))
    values = np.asarray(volume.data)
    if values.dtype.kind == "f":
        whole = np.rint(values)
        bad = whole != values
        if bad.any():
            raise InvalidInputError(
                f"{role} {path} contains value {values[bad][0]:g}, which is not a class number; "
                "give a volume of whole-number classes (-1 for none)"
            )
        values = whole
    elif values.dtype.kind not in "iub":
        raise InvalidInputError(f"{role} {path} contains values of type {values.dtype}; give a volume of class numbers")
    classes = values.astype(np.int32)
    classes[~np.asarray(volume.live, dtype=bool)] = -1
    if classes.size and classes.min() < -1:
        raise InvalidInputError(
            f"{role} {path} contains invalid class {int(classes.min())}; "
            "give classes of 0 or more, and -1 for unlabelled samples"
        )
    return volume, classes


def _class_table(pred_path: Path, labels_path: Path, n_classes: int | None) -> ClassTable | None:
    """Find the class table beside LABELS, else beside PRED; None when there is none."""
    for path in (labels_path, pred_path):
        try:
            return find_class_table(path, n_classes)
        except InvalidInputError as error:
            logger.debug("no usable class table for %s: %s", path, error)
    return None


def _format_table(scores: dict[str, Any], names: list[str]) -> str:
    present = sum(count > 0 for count in scores["support"])
    lines = [
        f"pixel accuracy            {scores['pixel_accuracy']:.4f}",
        f"mean class accuracy       {scores['mean_class_accuracy']:.4f}",
        f"frequency-weighted IoU    {scores['fwiu']:.4f}",
        f"mean IoU                  {scores['miou']:.4f}  (over {present} classes present in the labels)",
        "",
        f"{'class':>5}  {'name':<24} {'IoU':>7} {'accuracy':>9} {'labelled':>12}",
    ]
    for index, name in enumerate(names):
        iou = scores["per_class_iou"][index]
        accuracy = scores["per_class_accuracy"][index]
        iou_text = "-" if iou is None else f"{iou:.4f}"
        accuracy_text = "-" if accuracy is None else f"{accuracy:.4f}"
        lines.append(f"{index:>5}  {name[:24]:<24} {iou_text:>7} {accuracy_text:>9} {scores['support'][index]:>12}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Score PRED against LABELS, write the confusion PNG and print the scores."""
    pred_path = existing_file(args.pred, "PRED")
    labels_path = existing_file(args.labels, "LABELS")
    out_dir = Path(args.out_dir) if args.out_dir else pred_path.parent
    if out_dir.exists() and not out_dir.is_dir():
        raise InvalidInputError(f"--out-dir: {out_dir} is a file; give a folder for the confusion-matrix PNG")

    pred_volume, pred = load_classes(pred_path, "PRED", args.pred_dataset)
    labels_volume, labels = load_classes(labels_path, "LABELS", args.labels_dataset)
    if pred.shape != labels.shape:
        raise ShapeMismatchError(
            f"PRED {pred_path} has shape {pred.shape} but LABELS {labels_path} has shape {labels.shape}; "
            "give a prediction and labels on the same grid"
        )
    for axis in ("inlines", "crosslines"):
        if "npy" not in (pred_volume.kind, labels_volume.kind) and not np.array_equal(
            getattr(pred_volume, axis), getattr(labels_volume, axis)
        ):
            logger.warning("PRED and LABELS have the same shape but different %s numbers; scoring cell by cell", axis)

    largest = int(max(pred.max(initial=-1), labels.max(initial=-1)))
    if args.n_classes is not None and largest >= args.n_classes:
        raise InvalidInputError(
            f"--n-classes {args.n_classes} is too small: the volumes contain class {largest}; "
            f"give --n-classes {largest + 1} or more"
        )
    table = _class_table(pred_path, labels_path, args.n_classes)
    n_classes = args.n_classes or (len(table) if table is not None else largest + 1)
    if n_classes < 1:
        raise InvalidInputError(
            f"PRED {pred_path} and LABELS {labels_path} contain no classes (every sample is -1); give labelled volumes"
        )
    if table is not None and len(table) < largest + 1 and args.n_classes is None:
        raise InvalidInputError(
            f"the class table lists {len(table)} classes but the volumes contain class {largest}; "
            "fix the class table or pass --n-classes"
        )

    confusion = confusion_matrix(pred, labels, n_classes)
    scores = segmentation_scores(confusion)
    names = list(table.names) if table is not None else [f"class {index}" for index in range(n_classes)]

    png = out_dir / f"{pred_path.stem}_confusion.png"
    plot_confusion_matrix(confusion, names, png, title=f"{pred_path.name} against {labels_path.name}")
    logger.info("wrote confusion matrix %s", png)

    if args.json:
        sys.stdout.write(json.dumps({key: scores[key] for key in JSON_KEYS}) + "\n")
    else:
        sys.stdout.write(_format_table(scores, names) + "\n")
        sys.stdout.write(f"confusion matrix: {png}\n")
    return 0
