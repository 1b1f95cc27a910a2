"""Entry point of the ``facies`` command.

Each subcommand lives in its own module under :mod:`facies.commands` and
exposes ``register(subparsers)``, which adds its parser and sets ``handler`` to
a function taking the parsed arguments and returning an exit status.

Invalid input of any kind ends with one ``error:`` line on stderr and exit
status 2. Logs and progress bars go to stderr so that stdout stays clean for
``--json`` output.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from seismic.errors import InvalidInputError

__all__ = ["main", "build_parser"]

COMMAND_MODULES = (
    "synth",
    "info",
    "ingest",
    "train",
    "evaluate",
    "predict",
    "cluster",
    "export",
    "infer",
    "demo",
)


class ArgumentParser(argparse.ArgumentParser):
    """Argument parser that reports usage errors as one ``error:`` line."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"error: {self.prog}: {message} (see '{self.prog} --help')\n")
        sys.exit(2)


def build_parser() -> ArgumentParser:
    """Build the ``facies`` parser with every subcommand registered."""
    parser = ArgumentParser(
        prog="facies",
        description="Seismic facies pipeline: SEG-Y in, facies volumes and OpenVINO models out.",
    )
    parser.add_argument(
        "-v", "--verbose", action="count", default=0, help="log progress messages (-v) or debug messages (-vv)"
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="log errors only and hide progress bars")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"facies.commands.{name}")
        module.register(subparsers)
    return parser


def _configure_logging(verbose: int, quiet: bool) -> None:
    # Warnings by default, so an invalid input ends with its one error line.
    if quiet:
        level = logging.ERROR
    elif verbose >= 2:
        level = logging.DEBUG
    elif verbose == 1:
        level = logging.INFO
    else:
        level = logging.WARNING
    logging.basicConfig(level=level, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")

    # OpenVINO's and NNCF's own info messages drown ours.
    logging.getLogger("nncf").setLevel(max(level, logging.WARNING))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``facies`` command and return its exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    _configure_logging(args.verbose, args.quiet)
    try:
        return int(args.handler(args) or 0)
    except (InvalidInputError, FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError) as error:
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        sys.stderr.write(f"error: {message}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("error: interrupted\n")
        return 130
