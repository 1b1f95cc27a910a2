"""``facies infer``: run an OpenVINO IR package on a survey."""

from __future__ import annotations

import argparse
import json
import logging
import sys

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
    """Add the ``infer`` subcommand."""
    parser = subparsers.add_parser(
        "infer",
        help="predict a facies volume with an OpenVINO IR package (no torch needed)",
        description=(
            "Predict every voxel with an IR package written by 'facies export', from inline and crossline "
            "sections (probabilities averaged), and write OUT.sgy (facies classes carrying the input's trace "
            "headers, legend in the textual header, -1 where the input has no trace), OUT.h5 (facies, "
            "probabilities, confidence, margin) and PNG views."
        ),
    )
    parser.add_argument("package_dir", metavar="PACKAGE_DIR", help="package folder written by 'facies export'")
    parser.add_argument("--seismic", required=True, metavar="PATH", help="seismic volume: SEG-Y, HDF5 or .npy")
    parser.add_argument("--out", required=True, metavar="OUT.sgy", help="facies SEG-Y to write")
    parser.add_argument(
        "--device",
        default="AUTO",
        help="OpenVINO device: CPU, GPU, AUTO, or an FPGA plugin such as HETERO:FPGA,CPU (default: AUTO)",
    )
    parser.add_argument(
        "--precision-hint",
        choices=("f32", "f16", "bf16"),
        default=None,
        help="OpenVINO INFERENCE_PRECISION_HINT (default: f32 for fp32 and int8 packages, the device's own for fp16)",
    )
    parser.add_argument("--batch-size", type=positive_int, default=8, help="sections per OpenVINO call (default: 8)")
    add_normalization_option(parser)
    parser.add_argument("--json", action="store_true", help="print the output paths as one JSON line on stdout")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Predict with the package and write the outputs."""
    from facies.commands._outputs import write_prediction
    from fpga_inference.package import read_package_info
    from fpga_inference.runtime import OpenVINOModel, check_device
    from seismic.io import load_volume

    existing_dir(args.package_dir, "PACKAGE_DIR")
    read_package_info(args.package_dir)
    existing_file(args.seismic, "--seismic")
    check_segy_output(args.out, args.seismic)
    check_device(args.device)

    volume = load_volume(args.seismic)
    model = OpenVINOModel(args.package_dir, device=args.device, precision_hint=args.precision_hint)
    normalizer = survey_normalizer(model.normalizer, volume, args.normalization)
    prediction = model.predict_volume(
        volume.data, live=volume.live, batch_size=args.batch_size, progress=not args.quiet, normalizer=normalizer
    )
    outputs = write_prediction(
        prediction, volume, model.class_table, args.out, producer=f"OpenVINO {model.precision} {args.package_dir}"
    )
    logger.info("wrote %s, %s and %d PNG views", outputs.facies_segy, outputs.probabilities_h5, len(outputs.pngs))

    if args.json:
        summary = {
            "facies_segy": str(outputs.facies_segy),
            "probabilities_h5": str(outputs.probabilities_h5),
            "pngs": [str(path) for path in outputs.pngs],
            "precision": model.precision,
            "device": model.device,
            "execution_devices": model.execution_devices,
        }
        sys.stdout.write(json.dumps(summary) + "\n")
    return 0
