"""``facies ingest``: convert a SEG-Y file to an HDF5 volume file, out of core.

Usage::

    facies ingest SEGY OUT.h5 [--iline-byte N] [--xline-byte N]
                  [--endian big|little] [--memory-budget MB] [--json]

The HDF5 layout is described in :mod:`seismic.volume`. A summary goes to
stdout (one JSON object with ``--json``); logs and the progress bar go to stderr.
"""

from __future__ import annotations

import argparse
import json
import sys

from facies.commands._common import add_domain_option, existing_file, header_byte, positive_float
from seismic.ingest import DEFAULT_MEMORY_BUDGET_MB, ingest_segy

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``ingest`` subcommand."""
    parser = subparsers.add_parser(
        "ingest",
        help="convert SEG-Y to an HDF5 volume file",
        description=(
            "Convert a SEG-Y (or Seismic Unix) file to HDF5 with datasets seismic (float32, inlines x "
            "crosslines x samples), inline, crossline, sample, live and cdp_x/cdp_y, and the original "
            "headers as attributes. The volume is converted in blocks, so files larger than memory work. "
            "NaN and infinite samples are counted and stored as 0."
        ),
    )
    parser.add_argument("segy", help="input SEG-Y or Seismic Unix file")
    parser.add_argument("output", help="HDF5 file to write (.h5)")
    parser.add_argument(
        "--iline-byte",
        type=header_byte,
        default=None,
        metavar="N",
        help="trace-header byte of the inline number (default: detected; 189 in SEG-Y revision 1)",
    )
    parser.add_argument(
        "--xline-byte",
        type=header_byte,
        default=None,
        metavar="N",
        help="trace-header byte of the crossline number (default: detected; 193 in SEG-Y revision 1)",
    )
    parser.add_argument(
        "--endian",
        choices=("big", "little"),
        default=None,
        help="byte order of the file (default: detected)",
    )
    parser.add_argument(
        "--memory-budget",
        type=positive_float,
        default=DEFAULT_MEMORY_BUDGET_MB,
        metavar="MB",
        help=f"memory the conversion may use, in MiB (default: {DEFAULT_MEMORY_BUDGET_MB:g})",
    )
    add_domain_option(parser)
    parser.add_argument(
        "--crs",
        metavar="CRS",
        default=None,
        help="coordinate reference system of the CDP X/Y coordinates, e.g. EPSG:23031, stored with the volume",
    )
    parser.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Convert ``args.segy`` to ``args.output`` and print a summary; return the exit status."""
    source = existing_file(args.segy, "SEGY")
    report = ingest_segy(
        source,
        args.output,
        iline_byte=args.iline_byte,
        xline_byte=args.xline_byte,
        endian=args.endian,
        domain=args.domain,
        memory_budget_mb=args.memory_budget,
        crs=args.crs,
        progress=not args.no_progress,
    )

    if args.json:
        sys.stdout.write(json.dumps(report.to_dict()) + "\n")
        return 0
    n_inlines, n_crosslines, n_samples = report.shape
    lines = [
        f"wrote {report.output}",
        f"  volume        {n_inlines} inlines x {n_crosslines} crosslines x {n_samples} samples",
        f"  traces        {report.n_traces} ({report.n_missing} grid cells without a trace)",
        f"  dead traces   {report.n_dead}",
        f"  non-finite    {report.n_nonfinite} samples stored as 0",
        f"  format        {report.sample_format}, {report.endian}-endian, {report.sorting}-sorted",
        f"  header bytes  inline {report.iline_byte}, crossline {report.xline_byte}",
        f"  time          {report.seconds:.1f} s",
    ]
    sys.stdout.write("\n".join(lines) + "\n")
    return 0
