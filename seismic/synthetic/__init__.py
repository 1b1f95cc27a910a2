"""Labelled synthetic seismic surveys from a convolutional earth model.

>>> from seismic.synthetic import generate_survey, write_survey
>>> survey = generate_survey(16, 16, 64, seed=3)
>>> survey.seismic.shape, survey.labels.dtype.name
((16, 16, 64), 'int16')

See ``docs/synthetic.md`` for each facies and how it is made.
"""

from seismic.synthetic.classes import (
    CHANNEL,
    CHAOTIC,
    CLINOFORM,
    FAN,
    N_CLASSES,
    PARALLEL,
    TRANSPARENT,
    synthetic_class_table,
)
from seismic.synthetic.column import MIN_SAMPLES
from seismic.synthetic.survey import DEFAULT_NOISE, DEFAULT_PEAK_FREQUENCY_HZ, SyntheticSurvey, generate_survey
from seismic.synthetic.wavelet import ricker, ricker_spectrum
from seismic.synthetic.writing import OUTPUT_NAMES, write_survey

__all__ = [
    "SyntheticSurvey",
    "generate_survey",
    "write_survey",
    "synthetic_class_table",
    "ricker",
    "ricker_spectrum",
    "MIN_SAMPLES",
    "N_CLASSES",
    "DEFAULT_NOISE",
    "DEFAULT_PEAK_FREQUENCY_HZ",
    "OUTPUT_NAMES",
    "PARALLEL",
    "CHAOTIC",
    "CLINOFORM",
    "TRANSPARENT",
    "CHANNEL",
    "FAN",
]
