"""``facies predict``: apply a trained run to a survey."""

from __future__ import annotations

import argparse
import logging

from facies.commands._common import (
    add_normalization_option,
    check_segy_output,
    existing_dir,
    existing_file,
    positive_int,
    survey_normalizer,
)

__all__ = ["register", "run"]

logger = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``predict`` subcommand."""
    parser = subparsers.add_parser(
        "predict",
        help="predict a facies volume with a trained run",
        description=(
            "Predict every voxel from inline and crossline sections (probabilities averaged) and write "
            "OUT.sgy (facies classes carrying the input's trace headers, legend in the textual header, "
            "-1 where the input has no trace), OUT.h5 (facies, probabilities, confidence, margin) and "
            "PNG views of an inline, a crossline and a time slice."
        ),
    )
    parser.add_argument("run_dir", metavar="RUN_DIR", help="run folder written by 'facies train'")
    parser.add_argument("--seismic", required=True, metavar="PATH", help="seismic volume: SEG-Y, HDF5 or .npy")
    parser.add_argument("--out", required=True, metavar="OUT.sgy", help="facies SEG-Y to write")
    parser.add_argument("--batch-size", type=positive_int, default=8, help="sections per forward pass (default: 8)")
    parser.add_argument(
        "--device", choices=("auto", "cpu", "cuda"), default="auto", help="auto picks a GPU when one is attached"
    )
    add_normalization_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Predict and write the outputs."""
    from facies.commands._outputs import write_prediction
    from models.checkpoint import load_run
    from models.networks import pad_multiple
    from models.prediction import predict_volume
    from models.training import resolve_device, torch_predictor
    from seismic.io import load_volume

    existing_dir(args.run_dir, "RUN_DIR")
    existing_file(args.seismic, "--seismic")
    check_segy_output(args.out, args.seismic)
    device = resolve_device(args.device)
    loaded = load_run(args.run_dir)
    volume = load_volume(args.seismic)

    model = loaded.model.to(device)
    prediction = predict_volume(
        survey_normalizer(loaded.normalizer, volume, args.normalization).transform(volume.data),
        torch_predictor(model, device),
        loaded.model_config.n_classes,
        pad_multiple=pad_multiple(loaded.model_config),
        batch_size=args.batch_size,
        live=volume.live,
        progress=not args.quiet,
    )
    outputs = write_prediction(prediction, volume, loaded.class_table, args.out, producer=str(args.run_dir))
    logger.info("wrote %s, %s and %d PNG views", outputs.facies_segy, outputs.probabilities_h5, len(outputs.pngs))
    return 0
