"""Argument types and checks shared by the subcommands."""

from __future__ import annotations

import argparse
from pathlib import Path

from seismic.errors import InputNotFoundError, InvalidInputError

__all__ = ["positive_int", "non_negative_int", "positive_float", "header_byte", "existing_file", "existing_dir"]

# A 4-byte header word must end inside the 240-byte trace header.
_LAST_WORD_BYTE = 237


def positive_int(text: str) -> int:
    """Parse an integer of at least 1 (an argparse ``type``)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid integer {text!r}; give a whole number such as 8") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"invalid value {value}; give an integer of at least 1")
    return value


def non_negative_int(text: str) -> int:
    """Parse an integer of at least 0 (an argparse ``type``)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid integer {text!r}; give a whole number such as 0") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"invalid value {value}; give an integer of at least 0")
    return value


def positive_float(text: str) -> float:
    """Parse a number greater than 0 (an argparse ``type``)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid number {text!r}; give a number such as 256") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"invalid value {value}; give a number greater than 0")
    return value


def header_byte(text: str) -> int:
    """Parse a 1-based trace-header byte position of a 4-byte word, 1 to 237 (an argparse ``type``)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid byte position {text!r}; give a whole number such as 189") from None
    if not 1 <= value <= _LAST_WORD_BYTE:
        raise argparse.ArgumentTypeError(
            f"invalid byte position {value}; give a trace-header byte from 1 to {_LAST_WORD_BYTE} "
            "(a 4-byte word must fit in the 240-byte header), such as 189"
        )
    return value


def existing_file(path: str | Path, option: str) -> Path:
    """Return ``path`` as a Path, raising InputNotFoundError unless it is a file.

    Parameters
    ----------
    path : str or Path
        The path the user gave.
    option : str
        The option or argument name, quoted in the message (for example ``--seismic``).
    """
    path = Path(path)
    if not path.exists():
        raise InputNotFoundError(f"{option}: file not found: {path}; check the path")
    if not path.is_file():
        raise InputNotFoundError(f"{option}: {path} is not a file; give a file path")
    return path


def existing_dir(path: str | Path, option: str) -> Path:
    """Return ``path`` as a Path, raising InputNotFoundError unless it is a folder."""
    path = Path(path)
    if not path.is_dir():
        raise InputNotFoundError(f"{option}: folder not found: {path}; check the path")
    return path


NORMALIZATION_CHOICES = ("survey", "stored")


def add_normalization_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--normalization``, shared by the commands that apply a trained network."""
    parser.add_argument(
        "--normalization",
        choices=NORMALIZATION_CHOICES,
        default="survey",
        help=(
            "survey: apply the run's percentile rule with statistics of this survey, so a network trained on "
            "one survey applies to another of other gain or units (default); stored: reuse the training "
            "survey's statistics unchanged"
        ),
    )


def survey_normalizer(normalizer, volume, mode: str):
    """Return the normaliser to apply to ``volume`` under ``--normalization`` ``mode``.

    Parameters
    ----------
    normalizer : RobustNormalizer
        The run's or package's stored normaliser.
    volume : VolumeData
        The survey to predict.
    mode : {"survey", "stored"}
        See :func:`add_normalization_option`.
    """
    if mode == "stored":
        return normalizer
    return normalizer.refit(volume.data, live=volume.live)


def check_segy_output(out: str | Path, seismic: str | Path) -> Path:
    """Return ``out`` as a Path, raising InvalidInputError unless it is a new SEG-Y name.

    The name must end in ``.sgy`` or ``.segy`` (companion files such as
    ``OUT.h5`` and ``OUT.png`` are named from it, so another suffix would let
    them overwrite the SEG-Y), must not be a folder, and must not be the input.
    """
    out = Path(out)
    if out.suffix.lower() not in (".sgy", ".segy"):
        raise InvalidInputError(f"--out: {out} does not end in .sgy or .segy; give a SEG-Y file name")
    if out.is_dir():
        raise InvalidInputError(f"--out: {out} is a folder; give a SEG-Y file name")
    if out.resolve() == Path(seismic).resolve():
        raise InvalidInputError(f"--out: {out} is the input seismic; give a new file name")
    return out


def check_output_folder(path: str | Path, option: str) -> Path:
    """Return ``path`` as a Path, raising InvalidInputError if it exists and is not a folder."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise InvalidInputError(f"{option}: {path} is an existing file; give a folder path")
    return path


def add_domain_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--domain``, which overrides the time/depth guess from the textual header."""
    parser.add_argument(
        "--domain",
        choices=("time", "depth"),
        default=None,
        help="vertical domain of the samples (default: guessed from the textual header, else time)",
    )
