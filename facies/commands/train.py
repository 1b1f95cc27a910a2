"""``facies train``: train a section segmentation network on a labelled survey."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys

from facies.commands._common import (
    check_output_folder,
    existing_file,
    positive_float,
    positive_int,
)

__all__ = ["register", "run"]

logger = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``train`` subcommand."""
    parser = subparsers.add_parser(
        "train",
        help="train a section U-Net on seismic and labels",
        description=(
            "Train a section segmentation network (U-Net) on full-depth inline and crossline sections. "
            "The last inlines are held out as a test block, separated from training by a gap, and scored "
            "at the end. Runs on all CPU cores or a GPU; start it with torchrun to train on several processes."
        ),
    )
    parser.add_argument("--seismic", required=True, metavar="PATH", help="seismic volume: SEG-Y, HDF5 or .npy")
    parser.add_argument("--labels", required=True, metavar="PATH", help="label volume of the same shape; -1 = unlabelled")
    parser.add_argument("--out", required=True, metavar="RUN_DIR", help="run folder to write")
    parser.add_argument("--epochs", type=positive_int, default=40, help="passes over the training sections (default: 40)")
    parser.add_argument("--batch-size", type=positive_int, default=8, help="sections per step (default: 8)")
    parser.add_argument("--learning-rate", type=positive_float, default=2e-3, help="peak learning rate (default: 2e-3)")
    parser.add_argument("--base-channels", type=positive_int, default=16, help="U-Net width (default: 16)")
    parser.add_argument("--depth", type=positive_int, default=3, help="U-Net down-sampling stages (default: 3)")
    parser.add_argument(
        "--test-fraction", type=positive_float, default=0.2, help="share of inlines held out for testing (default: 0.2)"
    )
    parser.add_argument(
        "--val-fraction", type=positive_float, default=0.1, help="share of inlines used for validation (default: 0.1)"
    )
    parser.add_argument("--gap", type=int, default=2, help="inlines left out between blocks (default: 2)")
    parser.add_argument("--n-classes", type=positive_int, default=None, help="number of classes (default: from labels)")
    parser.add_argument(
        "--augmentation",
        choices=("light", "full", "none"),
        default="light",
        help="light: flips and gain; full: also rotations, noise and wavelet changes (default: light)",
    )
    parser.add_argument(
        "--no-class-weights",
        action="store_true",
        help="plain cross-entropy instead of weighting classes by inverse square-root frequency",
    )
    parser.add_argument("--workers", type=int, default=0, help="data-loader worker processes (default: 0)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    parser.add_argument(
        "--device", choices=("auto", "cpu", "cuda"), default="auto", help="auto picks a GPU when one is attached"
    )
    parser.add_argument("--json", action="store_true", help="print the test scores as one JSON line on stdout")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Train and report the held-out scores."""
    from models.training import TrainingConfig, train

    existing_file(args.seismic, "--seismic")
    existing_file(args.labels, "--labels")
    check_output_folder(args.out, "--out")
    config = TrainingConfig(
        seismic=str(args.seismic),
        labels=str(args.labels),
        out=str(args.out),
        epochs=args.epochs,
        batch_size=args.batch_size,
        learning_rate=args.learning_rate,
        base_channels=args.base_channels,
        depth=args.depth,
        test_fraction=args.test_fraction,
        val_fraction=args.val_fraction,
        gap=args.gap,
        augmentation=args.augmentation,
        class_weighting=not args.no_class_weights,
        seed=args.seed,
        device=args.device,
        num_workers=args.workers,
        n_classes=args.n_classes,
    )
    result = train(config, progress=not args.quiet)
    if int(os.environ.get("RANK", "0")) != 0:
        # Under torchrun only the first process reports.
        return 0
    scores = result.test_scores
    if args.json:
        sys.stdout.write(json.dumps({"run_dir": str(result.run_dir), "test": scores}) + "\n")
    elif scores:
        sys.stderr.write(
            f"test block mIoU {scores['miou']:.3f}, pixel accuracy {scores['pixel_accuracy']:.3f}; run folder {result.run_dir}\n"
        )
    return 0
