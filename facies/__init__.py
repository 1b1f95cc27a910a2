"""Command-line app of the seismic facies pipeline (``facies``)."""

__version__ = "0.1.0"
