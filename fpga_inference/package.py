"""IR package folders: an OpenVINO network plus what is needed to apply it.

A package is a folder holding

- ``model.xml`` and ``model.bin``: the OpenVINO IR of the section network.
  It takes normalised amplitude sections ``(batch, 1, height, width)``
  (layout NCHW, height = traces, width = samples) with dynamic batch, height
  and width, where height and width must be multiples of ``pad_multiple``, and
  returns class probabilities ``(batch, n_classes, height, width)`` because
  the network ends with a softmax over the class axis;
- ``package.json``: the :class:`PackageInfo` fields (precision, class table,
  amplitude normaliser, padding multiple, source run, library versions).

This module reads and writes ``package.json`` with numpy and json only, so the
runtime and the inference service can use it without torch or NNCF.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from seismic.errors import InputNotFoundError, InvalidInputError

__all__ = [
    "FORMAT_VERSION",
    "INPUT_NAME",
    "MODEL_BIN",
    "MODEL_XML",
    "OUTPUT_NAME",
    "PACKAGE_FILE",
    "PRECISIONS",
    "InvalidPackageError",
    "PackageInfo",
    "PackageNotFoundError",
    "check_precision",
    "read_package_info",
    "write_package_info",
]

logger = logging.getLogger(__name__)

PACKAGE_FILE = "package.json"
MODEL_XML = "model.xml"
MODEL_BIN = "model.bin"
INPUT_NAME = "sections"
OUTPUT_NAME = "probabilities"
PRECISIONS = ("fp32", "fp16", "int8")
FORMAT_VERSION = 1


class PackageNotFoundError(InputNotFoundError):
    """A package folder, or one of its files, that does not exist."""


class InvalidPackageError(InvalidInputError):
    """A ``package.json`` that cannot be read or lacks a required field."""


def check_precision(precision: str) -> str:
    """Return ``precision`` in lower case, raising InvalidInputError unless it is a known precision.

    Raises
    ------
    InvalidInputError
        If ``precision`` is not one of ``"fp32"``, ``"fp16"`` or ``"int8"``.
    """
    value = str(precision).lower()
    if value not in PRECISIONS:
        raise InvalidInputError(f"unknown precision {precision!r}; choose one of {', '.join(PRECISIONS)}")
    return value


@dataclass
class PackageInfo:
    """Contents of ``package.json``.

    Attributes
    ----------
    precision : {"fp32", "fp16", "int8"}
        Numeric precision of the IR weights (int8: weights and activations
        quantized by NNCF).
    n_classes : int
        Number of facies classes, the size of the output's class axis.
    class_table : dict
        The run's class table as ``ClassTable.to_dict()`` returns it.
    normalizer : dict
        The run's amplitude scaling as ``RobustNormalizer.to_dict()`` returns it.
        Raw amplitudes go through it before they reach the network.
    pad_multiple : int
        Input heights and widths must be multiples of this number.
    source_run : str
        The run folder the package was exported from, as an absolute path.
    openvino_version : str
        Version of the OpenVINO that wrote the IR.
    nncf_version : str or None
        Version of NNCF that quantized the network (int8 only).
    input_layout : str, default="NCHW"
        Layout of the single input: batch, channel, traces, samples.
    input_name, output_name : str
        Tensor names of the IR's input and output.
    model_config : dict
        The architecture (``ModelConfig.to_dict()``), for reference.
    calibration : dict or None
        For int8, how many sections calibrated the quantization and where
        they came from.
    format_version : int
        Version of this folder format.
    """

    precision: str
    n_classes: int
    class_table: dict[str, Any]
    normalizer: dict[str, Any]
    pad_multiple: int
    source_run: str
    openvino_version: str
    nncf_version: str | None = None
    input_layout: str = "NCHW"
    input_name: str = INPUT_NAME
    output_name: str = OUTPUT_NAME
    model_config: dict[str, Any] = field(default_factory=dict)
    calibration: dict[str, Any] | None = None
    format_version: int = FORMAT_VERSION

    def __post_init__(self) -> None:
        self.precision = check_precision(self.precision)
        if int(self.n_classes) < 2:
            raise InvalidPackageError(f"n_classes={self.n_classes} is invalid; a package needs at least 2 classes")
        if int(self.pad_multiple) < 1:
            raise InvalidPackageError(f"pad_multiple={self.pad_multiple} is invalid; it must be at least 1")
        if self.input_layout != "NCHW":
            raise InvalidPackageError(f"input_layout {self.input_layout!r} is not supported; export with layout NCHW")
        self.n_classes = int(self.n_classes)
        self.pad_multiple = int(self.pad_multiple)

    def to_dict(self) -> dict[str, Any]:
        """Return the fields as a JSON-ready dictionary."""
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> PackageInfo:
        """Build the record from :meth:`to_dict` output, ignoring unknown keys.

        Raises
        ------
        InvalidPackageError
            If a required field is missing or the format version is unknown.
        """
        version = values.get("format_version", FORMAT_VERSION)
        if version != FORMAT_VERSION:
            raise InvalidPackageError(
                f"package format version {version} is not supported (expected {FORMAT_VERSION}); "
                "export the run again with this version"
            )
        required = ("precision", "n_classes", "class_table", "normalizer", "pad_multiple", "source_run")
        missing = [name for name in required if name not in values]
        if missing:
            raise InvalidPackageError(
                f"{PACKAGE_FILE} lacks {', '.join(missing)}; export the run again with 'facies export'"
            )
        known = {name for name in cls.__dataclass_fields__}
        unknown = sorted(set(values) - known)
        if unknown:
            logger.debug("ignoring unknown package fields %s", unknown)
        fields = {name: value for name, value in values.items() if name in known}
        fields.setdefault("openvino_version", "unknown")
        return cls(**fields)


def write_package_info(package_dir: str | Path, info: PackageInfo) -> Path:
    """Write ``info`` as ``package.json`` in ``package_dir`` and return its path."""
    path = Path(package_dir) / PACKAGE_FILE
    path.write_text(json.dumps(info.to_dict(), indent=2) + "\n")
    return path


def read_package_info(package_dir: str | Path) -> PackageInfo:
    """Read ``package.json`` of a package folder and check that its IR files exist.

    Parameters
    ----------
    package_dir : str or Path
        A folder written by ``facies export``.

    Returns
    -------
    PackageInfo

    Raises
    ------
    PackageNotFoundError
        If the folder, its ``package.json``, ``model.xml`` or ``model.bin`` is missing.
    InvalidPackageError
        If ``package.json`` is not valid JSON or lacks a required field.
    """
    package_dir = Path(package_dir)
    remedy = "give a folder written by 'facies export'"
    if not package_dir.is_dir():
        raise PackageNotFoundError(f"package folder not found: {package_dir}; {remedy}")
    for name in (PACKAGE_FILE, MODEL_XML, MODEL_BIN):
        if not (package_dir / name).is_file():
            raise PackageNotFoundError(f"{package_dir} has no {name}; {remedy}")

    path = package_dir / PACKAGE_FILE
    try:
        values = json.loads(path.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise InvalidPackageError(f"cannot read {path} ({error}); export the run again") from error
    if not isinstance(values, dict):
        raise InvalidPackageError(f"{path} does not contain a JSON object; export the run again")
    try:
        return PackageInfo.from_dict(values)
    except TypeError as error:
        raise InvalidPackageError(f"{path} has invalid fields ({error}); export the run again") from error
