"""``facies export``: a trained run to an OpenVINO IR package."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from facies.commands._common import (
    check_output_folder,
    existing_dir,
    existing_file,
    positive_int,
)
from seismic.errors import InvalidInputError

__all__ = ["register", "run"]

logger = logging.getLogger(__name__)

PRECISIONS = ("fp32", "fp16", "int8")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``export`` subcommand."""
    parser = subparsers.add_parser(
        "export",
        help="export a trained run to an OpenVINO IR package",
        description=(
            "Convert a run's network (with a final softmax) to an OpenVINO IR package folder: model.xml, "
            "model.bin and package.json with the class table and amplitude normalisation. int8 quantizes "
            "with NNCF post-training quantization, calibrated on normalised training sections of the "
            "seismic named in the run's config.json, or of --calibration-seismic."
        ),
    )
    parser.add_argument("run_dir", metavar="RUN_DIR", help="run folder written by 'facies train'")
    parser.add_argument("--out", required=True, metavar="PACKAGE_DIR", help="package folder to write")
    parser.add_argument(
        "--precision",
        type=str.lower,
        choices=PRECISIONS,
        default="fp32",
        help="weight precision; int8 also quantizes activations (default: fp32)",
    )
    parser.add_argument(
        "--calibration-sections",
        type=positive_int,
        default=300,
        metavar="N",
        help="int8: calibrate on at most N training sections (default: 300)",
    )
    parser.add_argument(
        "--calibration-seismic",
        metavar="PATH",
        default=None,
        help="int8: seismic to calibrate on (SEG-Y, HDF5 or .npy; default: the run's training seismic)",
    )
    parser.add_argument("--json", action="store_true", help="print the package paths as one JSON line on stdout")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Export the run and report the package."""
    from fpga_inference.export import calibration_sections_from_run, export_package
    from fpga_inference.package import MODEL_XML, read_package_info
    from models.checkpoint import load_run

    existing_dir(args.run_dir, "RUN_DIR")
    check_output_folder(args.out, "--out")
    if Path(args.out).resolve() == Path(args.run_dir).resolve():
        raise InvalidInputError(f"--out: {args.out} is the run folder; give a new folder for the package")
    if args.calibration_seismic is not None:
        existing_file(args.calibration_seismic, "--calibration-seismic")

    if args.precision != "int8" and args.calibration_seismic is not None:
        logger.warning("--calibration-seismic applies to --precision int8 only; ignoring it for %s", args.precision)

    sections = None
    if args.precision == "int8":
        sections = calibration_sections_from_run(
            load_run(args.run_dir), seismic_path=args.calibration_seismic, limit=args.calibration_sections
        )
    package = export_package(
        args.run_dir,
        args.out,
        precision=args.precision,
        calibration_sections=sections,
        subset_size=args.calibration_sections,
    )

    info = read_package_info(package)
    if args.json:
        summary = {
            "package": str(package),
            "model_xml": str(package / MODEL_XML),
            "precision": info.precision,
            "n_classes": info.n_classes,
            "calibration_sections": (info.calibration or {}).get("n_sections"),
        }
        sys.stdout.write(json.dumps(summary) + "\n")
    else:
        sys.stderr.write(f"wrote {info.precision} OpenVINO package {package} ({package / MODEL_XML})\n")
    return 0
