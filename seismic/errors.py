"""Exceptions raised for invalid user input.

The command-line app turns every :class:`InvalidInputError` into a one-line
``error:`` message and exit status 2, so each message names the offending value
and tells the user how to fix it.
"""

__all__ = ["InvalidInputError", "InputNotFoundError", "SegyFormatError", "ShapeMismatchError"]


class InvalidInputError(ValueError):
    """An input file or option value that the pipeline cannot use."""


class InputNotFoundError(InvalidInputError, FileNotFoundError):
    """An input path that does not exist."""


class SegyFormatError(InvalidInputError):
    """A file that is not SEG-Y, or a SEG-Y flavour that cannot be decoded safely."""


class ShapeMismatchError(InvalidInputError):
    """Two volumes (for example seismic and labels) whose shapes or axes differ."""
