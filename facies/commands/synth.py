"""``facies synth``: generate a labelled synthetic survey.

Usage::

    facies synth OUT_DIR [--inlines N] [--crosslines N] [--samples N] [--seed S]

Writes ``OUT_DIR/seismic.sgy`` (IEEE float amplitudes), ``OUT_DIR/labels.sgy``
(16-bit integer classes with the class legend in the textual header),
``OUT_DIR/horizons.csv`` (``horizon,inline,crossline,time_ms``) and
``OUT_DIR/classes.json`` (the class table). The same options and seed always
give the same files.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from facies.commands._common import non_negative_int, positive_float, positive_int
from seismic.errors import InvalidInputError
from seismic.synthetic import DEFAULT_NOISE, MIN_SAMPLES, generate_survey, write_survey

__all__ = ["register", "run", "non_negative_float"]

logger = logging.getLogger(__name__)

# SEG-Y revision 1 limits: a 2-byte sample count and an interval in whole
# microseconds stored in 2 bytes.
MAX_SEGY_SAMPLES = 32767
MIN_INTERVAL_MS = 0.001
MAX_INTERVAL_MS = 65.535


def non_negative_float(text: str) -> float:
    """Parse a finite number of at least 0 (an argparse ``type``)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid number {text!r}; give a number such as 0.1") from None
    if not 0 <= value < float("inf"):
        raise argparse.ArgumentTypeError(f"invalid value {value}; give a finite number of at least 0")
    return value


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``synth`` subcommand."""
    parser = subparsers.add_parser(
        "synth",
        help="generate a labelled synthetic survey (seismic and label SEG-Y, horizons, class table)",
        description=(
            "Generate a synthetic survey from a convolutional earth model: layered units of four stratigraphic "
            "facies, meandering channels, fan lobes, mass-transport deposits and normal faults, convolved with "
            "a laterally varying Ricker wavelet, plus noise. Writes seismic.sgy, labels.sgy, horizons.csv and "
            "classes.json into OUT_DIR."
        ),
    )
    parser.add_argument("out_dir", metavar="OUT_DIR", help="output folder (created if missing)")
    parser.add_argument("--inlines", type=positive_int, default=64, metavar="N", help="number of inlines (default: 64)")
    parser.add_argument(
        "--crosslines", type=positive_int, default=64, metavar="N", help="number of crosslines (default: 64)"
    )
    parser.add_argument(
        "--samples",
        type=positive_int,
        default=128,
        metavar="N",
        help=f"samples per trace, at least {MIN_SAMPLES} (default: 128)",
    )
    parser.add_argument("--seed", type=non_negative_int, default=0, metavar="S", help="random seed (default: 0)")
    parser.add_argument(
        "--sample-interval",
        type=positive_float,
        default=4.0,
        metavar="MS",
        help="sample interval in ms (default: 4)",
    )
    parser.add_argument(
        "--noise",
        type=non_negative_float,
        default=DEFAULT_NOISE,
        metavar="RATIO",
        help=f"noise RMS over signal RMS, 0 for noise-free data (default: {DEFAULT_NOISE})",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON line with the paths and class fractions")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Generate and write the survey; return the exit status."""
    out_dir = Path(args.out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise InvalidInputError(f"OUT_DIR {out_dir} is an existing file; give a folder path")
    if args.samples < MIN_SAMPLES:
        raise InvalidInputError(
            f"--samples {args.samples} is too few for the layering; give at least {MIN_SAMPLES} "
            "(four units of 6 samples)"
        )
    # Checked here as well as by the SEG-Y writer, so a bad value fails before the survey is generated.
    if args.samples > MAX_SEGY_SAMPLES:
        raise InvalidInputError(
            f"--samples {args.samples} is too many for SEG-Y revision 1; give at most {MAX_SEGY_SAMPLES}"
        )
    if not MIN_INTERVAL_MS <= args.sample_interval <= MAX_INTERVAL_MS:
        raise InvalidInputError(
            f"--sample-interval {args.sample_interval:g} ms cannot be stored in a SEG-Y header; "
            f"give {MIN_INTERVAL_MS:g} to {MAX_INTERVAL_MS:g} ms"
        )

    show_progress = not getattr(args, "quiet", False)
    survey = generate_survey(
        args.inlines,
        args.crosslines,
        args.samples,
        args.seed,
        sample_interval_ms=args.sample_interval,
        noise=args.noise,
        progress=show_progress,
    )
    paths = write_survey(survey, out_dir, progress=show_progress)

    fractions = survey.class_fractions()
    summary = ", ".join(f"{name} {share:.1%}" for name, share in zip(survey.class_table.names, fractions))
    logger.info("synthetic survey %s, seed %d: %s", "x".join(map(str, survey.shape)), survey.seed, summary)
    if args.json:
        record = {
            "paths": {key: str(path) for key, path in paths.items()},
            "shape": list(survey.shape),
            "seed": survey.seed,
            "class_fractions": {name: round(float(share), 6) for name, share in zip(survey.class_table.names, fractions)},
        }
        sys.stdout.write(json.dumps(record) + "\n")
    return 0
