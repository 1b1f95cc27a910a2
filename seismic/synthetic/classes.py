"""Facies classes of the synthetic surveys.

Four stratigraphic facies fill the layered units; two geomorphologic bodies
(channels and fans) are cut into or laid on them. Mass-transport deposits are
labelled with the chaotic class because their reflector pattern is the same.
"""

from __future__ import annotations

from seismic.labels import ClassTable

__all__ = [
    "PARALLEL",
    "CHAOTIC",
    "CLINOFORM",
    "TRANSPARENT",
    "CHANNEL",
    "FAN",
    "STRATIGRAPHIC_FACIES",
    "N_CLASSES",
    "synthetic_class_table",
]

PARALLEL = 0
CHAOTIC = 1
CLINOFORM = 2
TRANSPARENT = 3
CHANNEL = 4
FAN = 5

STRATIGRAPHIC_FACIES = (PARALLEL, CHAOTIC, CLINOFORM, TRANSPARENT)
N_CLASSES = 6


def synthetic_class_table() -> ClassTable:
    """Return the class table of every synthetic survey (6 classes)."""
    return ClassTable(
        names=["parallel", "chaotic", "clinoform", "transparent", "channel", "fan"],
        colours=["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#e6c800"],
        kinds=["stratigraphic"] * 4 + ["geomorphologic"] * 2,
    )
