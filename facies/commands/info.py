"""`facies info`: print the geometry, format and value counts of a SEG-Y file."""

from __future__ import annotations

import argparse
import json
import math
import sys
from typing import Any

from facies.commands._common import add_domain_option, existing_file, header_byte
from seismic.segy import SegyFile, open_segy

__all__ = ["register", "run", "describe"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``info`` subcommand."""
    parser = subparsers.add_parser(
        "info",
        help="print the geometry, sample format and value counts of a SEG-Y file",
        description=(
            "Print the inline/crossline geometry, sample axis, format, byte order and counts of "
            "missing traces, dead traces and NaN/infinite samples of a SEG-Y or Seismic Unix file."
        ),
    )
    parser.add_argument("segy", metavar="SEGY", help="SEG-Y (or Seismic Unix) file")
    parser.add_argument(
        "--iline-byte", type=header_byte, metavar="N",
        help="trace-header byte of the 4-byte inline number (default: detected, 189 when it forms a grid)",
    )
    parser.add_argument(
        "--xline-byte", type=header_byte, metavar="N",
        help="trace-header byte of the 4-byte crossline number (default: detected, 193 when it forms a grid)",
    )
    parser.add_argument(
        "--endian", choices=("big", "little"),
        help="byte order of the file (default: detected from the binary header)",
    )
    add_domain_option(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON object on stdout instead of text")
    parser.set_defaults(handler=run)


def _finite_or_none(value: float) -> float | None:
    return None if value is None or not math.isfinite(value) else value


def describe(segy: SegyFile, *, progress: bool = True) -> dict[str, Any]:
    """Collect the facts ``facies info`` prints, reading every trace once.

    Parameters
    ----------
    segy : SegyFile
        The open file.
    progress : bool, default True
        Show a progress bar on stderr while the traces are scanned.

    Returns
    -------
    dict
        JSON-ready values; NaN becomes None.
    """
    geometry = segy.geometry
    report = segy.scan(progress=progress)
    n_inlines, n_crosslines = geometry.shape
    bin_grid = segy.bin_grid()
    return {
        "path": str(segy.path),
        "kind": segy.kind,
        "shape": [n_inlines, n_crosslines, segy.n_samples],
        "inline_range": [int(geometry.inlines[0]), int(geometry.inlines[-1]), geometry.inline_step],
        "crossline_range": [int(geometry.crosslines[0]), int(geometry.crosslines[-1]), geometry.crossline_step],
        "n_traces": segy.n_traces,
        "n_missing": geometry.n_missing,
        "sample_interval_ms": segy.sample_interval if segy.domain == "time" else None,
        "sample_interval": segy.sample_interval,
        "first_sample": segy.first_sample,
        "domain": segy.domain,
        "unit": segy.unit,
        "sample_format": segy.sample_format,
        "format_code": segy.format_code,
        "endian": segy.endian,
        "sorting": geometry.sorting,
        "iline_byte": geometry.iline_byte,
        "xline_byte": geometry.xline_byte,
        "text_encoding": segy.text_encoding,
        "n_extended_text_headers": len(segy.extended_text_headers),
        "n_nonfinite": report.n_nonfinite,
        "n_nonfinite_traces": report.n_nonfinite_traces,
        "n_dead": report.n_dead,
        "amplitude_range": [_finite_or_none(report.minimum), _finite_or_none(report.maximum)],
        "bin_grid": None if bin_grid is None else {
            key: _finite_or_none(value) if isinstance(value, float) else value
            for key, value in bin_grid.to_dict().items()
        },
    }


def _format_number(value: float | None, decimals: int | None = None) -> str:
    if value is None:
        return "n/a"
    if decimals is None:
        return f"{value:g}"
    return f"{value + 0.0:.{decimals}f}"


def _format_bin_grid(grid: dict[str, Any] | None) -> str:
    if grid is None:
        return "no coordinates (CDP and source X/Y are zero)"
    return (
        f"origin ({_format_number(grid['origin_x'], 2)}, {_format_number(grid['origin_y'], 2)}) "
        f"from {grid['coordinate_source']} X/Y; inlines run at {_format_number(grid['inline_azimuth'], 2)} deg "
        f"with crosslines every {_format_number(grid['crossline_spacing'], 2)}; crosslines run at "
        f"{_format_number(grid['crossline_azimuth'], 2)} deg with inlines every {_format_number(grid['inline_spacing'], 2)}"
    )


def _format_text(info: dict[str, Any]) -> str:
    first_il, last_il, step_il = info["inline_range"]
    first_xl, last_xl, step_xl = info["crossline_range"]
    n_inlines, n_crosslines, n_samples = info["shape"]
    grid = info["bin_grid"]
    low, high = info["amplitude_range"]
    kind = "Seismic Unix" if info["kind"] == "su" else "SEG-Y"
    last_sample = info["first_sample"] + (n_samples - 1) * info["sample_interval"]
    lines = [
        f"file         {info['path']}",
        f"format       {kind}, {info['endian']}-endian, {info['sample_format']} samples (code {info['format_code']}), "
        f"{info['text_encoding'].upper()} textual header, {info['n_extended_text_headers']} extended",
        f"inlines      {first_il}-{last_il} step {step_il}: {n_inlines} (header byte {info['iline_byte']})",
        f"crosslines   {first_xl}-{last_xl} step {step_xl}: {n_crosslines} (header byte {info['xline_byte']})",
        f"samples      {n_samples}, {info['domain']} {info['first_sample']:g}-{last_sample:g} {info['unit']} "
        f"every {info['sample_interval']:g} {info['unit']}",
        f"traces       {info['n_traces']} in {n_inlines * n_crosslines} grid cells, {info['n_missing']} missing, "
        f"{info['sorting']}-sorted",
        f"values       {info['n_nonfinite']} NaN or infinite samples, {info['n_dead']} dead (all-zero) traces, "
        f"range {_format_number(low)} to {_format_number(high)}",
        f"bin grid     {_format_bin_grid(grid)}",
    ]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Print the summary of ``args.segy`` and return 0."""
    path = existing_file(args.segy, "SEGY")
    with open_segy(
        path, iline_byte=args.iline_byte, xline_byte=args.xline_byte, endian=args.endian, domain=args.domain
    ) as segy:
        info = describe(segy, progress=sys.stderr.isatty())
    if args.json:
        sys.stdout.write(json.dumps(info) + "\n")
    else:
        sys.stdout.write(_format_text(info) + "\n")
    return 0
