"""Run an IR package with OpenVINO on CPU, GPU or an FPGA plugin.

This module needs OpenVINO and numpy only: it never imports torch or NNCF, so
a deployment machine installs neither. The package's normaliser scales raw
amplitudes exactly as training did, and :func:`models.prediction.predict_volume`
combines the inline and crossline passes.

Examples
--------
>>> model = OpenVINOModel("runs/demo/ir_fp32", device="CPU")  # doctest: +SKIP
>>> prediction = model.predict_volume(seismic, live=live)  # doctest: +SKIP
>>> prediction.facies.shape  # doctest: +SKIP
(23, 18, 75)
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import openvino as ov

from fpga_inference.package import MODEL_XML, PackageInfo, read_package_info
from models.normalization import RobustNormalizer
from models.prediction import AXES, FaciesPrediction, predict_volume
from seismic.errors import InvalidInputError, ShapeMismatchError
from seismic.labels import ClassTable

__all__ = ["PRECISION_HINTS", "DeviceNotAvailableError", "OpenVINOModel", "available_devices", "check_device"]

logger = logging.getLogger(__name__)

PRECISION_HINTS = ("f32", "f16", "bf16")
"""Values of OpenVINO's ``INFERENCE_PRECISION_HINT`` that :class:`OpenVINOModel` accepts."""

# Devices that schedule work on other devices; a spec such as
# "HETERO:FPGA,CPU" names the physical devices after the colon.
_VIRTUAL_DEVICES = ("AUTO", "HETERO", "MULTI", "BATCH")


class DeviceNotAvailableError(InvalidInputError):
    """An OpenVINO device that is not installed or not attached to this machine."""


def available_devices(core: ov.Core | None = None) -> list[str]:
    """Return the physical OpenVINO devices of this machine, for example ``["CPU", "GPU.0"]``."""
    core = core or ov.Core()
    return list(core.available_devices)


def _physical_devices(device: str) -> list[str]:
    """Return the physical device names in an OpenVINO device spec.

    ``"CPU"`` gives ``["CPU"]``, ``"HETERO:FPGA,CPU"`` gives ``["FPGA", "CPU"]``,
    ``"BATCH:GPU(4)"`` gives ``["GPU"]`` and a bare ``"AUTO"`` gives ``[]``.
    """
    name, _, members = device.partition(":")
    if name not in _VIRTUAL_DEVICES:
        return [device]
    return [re.sub(r"\(.*\)$", "", member.strip()) for member in members.split(",") if member.strip()]


def _is_available(device: str, available: Sequence[str]) -> bool:
    # "GPU" matches "GPU.0" and "GPU.1"; "GPU.1" matches only itself.
    return any(candidate == device or candidate.split(".")[0] == device for candidate in available)


def check_device(device: str, available: Sequence[str] | None = None) -> list[str]:
    """Check an OpenVINO device spec and return the physical devices it uses.

    Parameters
    ----------
    device : str
        ``"CPU"``, ``"GPU"``, ``"GPU.1"``, ``"AUTO"`` (OpenVINO picks), or a
        virtual device with a list, such as ``"HETERO:FPGA,CPU"`` (layers the
        FPGA plugin cannot run fall back to the CPU) or ``"AUTO:GPU,CPU"``.
    available : sequence of str, optional
        The physical devices to check against; default :func:`available_devices`.

    Returns
    -------
    list of str
        The physical devices named in ``device``; for a bare ``"AUTO"``, all
        available devices.

    Raises
    ------
    DeviceNotAvailableError
        If ``device`` is empty or names a device that is not available.
    """
    available = list(available) if available is not None else available_devices()
    choices = ", ".join(["AUTO", *available, "HETERO:<devices>"])
    if not device or not device.strip():
        raise DeviceNotAvailableError(f"empty device name; choose one of {choices}")

    device = device.strip()
    physical = _physical_devices(device)
    if not physical and device.partition(":")[0] == "AUTO":
        return list(available)
    if not physical:
        raise DeviceNotAvailableError(
            f"device {device!r} lists no devices after the colon; write for example 'HETERO:FPGA,CPU' ({choices})"
        )
    missing = [name for name in physical if not _is_available(name, available)]
    if missing:
        raise DeviceNotAvailableError(
            f"device {', '.join(missing)} is not available on this machine; "
            f"available devices: {', '.join(available) or 'none'} (choose one of {choices})"
        )
    return physical


class OpenVINOModel:
    """An IR package compiled for one OpenVINO device.

    Parameters
    ----------
    package_dir : str or Path
        A folder written by ``facies export``.
    device : str, default="AUTO"
        OpenVINO device spec: ``"CPU"``, ``"GPU"``, ``"AUTO"``, or an FPGA
        plugin through a virtual device such as ``"HETERO:FPGA,CPU"``. See
        :func:`check_device`.
    precision_hint : {"f32", "f16", "bf16"}, optional
        ``INFERENCE_PRECISION_HINT`` for every physical device that supports
        it. The CPU plugin computes in bf16 by default on processors with
        bf16 instructions, which moves probabilities by about 1e-2. Default:
        ``"f32"`` for fp32 and int8 packages (int8 for the quantized layers,
        float32 for the rest), so they agree with torch as exported, and the
        device's own default for fp16 packages.

    Raises
    ------
    PackageNotFoundError
        If the folder or one of its files is missing.
    InvalidPackageError
        If ``package.json`` is invalid.
    DeviceNotAvailableError
        If ``device`` is not available.
    InvalidInputError
        If ``precision_hint`` is unknown or OpenVINO cannot compile the network
        for ``device``.
    """

    def __init__(self, package_dir: str | Path, *, device: str = "AUTO", precision_hint: str | None = None) -> None:
        self.path = Path(package_dir)
        self.info: PackageInfo = read_package_info(self.path)
        if precision_hint is not None and precision_hint not in PRECISION_HINTS:
            raise InvalidInputError(
                f"unknown precision hint {precision_hint!r}; choose one of {', '.join(PRECISION_HINTS)}"
            )

        if precision_hint is None and self.info.precision in ("fp32", "int8"):
            precision_hint = "f32"

        core = ov.Core()
        physical = check_device(device, available_devices(core))
        if precision_hint is not None:
            for name in physical:
                supported = core.get_property(name, "SUPPORTED_PROPERTIES")
                if "INFERENCE_PRECISION_HINT" in supported:
                    core.set_property(name, {"INFERENCE_PRECISION_HINT": precision_hint})
                else:
                    logger.warning("device %s has no INFERENCE_PRECISION_HINT; ignoring %s", name, precision_hint)

        try:
            self._compiled = core.compile_model(str(self.path / MODEL_XML), device.strip())
        except RuntimeError as error:
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            raise InvalidInputError(
                f"OpenVINO failed to compile {self.path / MODEL_XML} for device {device!r} ({first_line}); "
                "try --device CPU"
            ) from error
        self._request = self._compiled.create_infer_request()
        self._lock = threading.Lock()
        self.device = device.strip()
        self.precision_hint = precision_hint
        self.normalizer = RobustNormalizer.from_dict(self.info.normalizer)
        self.class_table = ClassTable.from_dict(self.info.class_table)
        logger.info(
            "compiled %s (%s, %d classes) for %s", self.path, self.info.precision, self.info.n_classes, self.device
        )

    @property
    def n_classes(self) -> int:
        """Number of facies classes the network scores."""
        return self.info.n_classes

    @property
    def precision(self) -> str:
        """Precision of the IR: ``"fp32"``, ``"fp16"`` or ``"int8"``."""
        return self.info.precision

    @property
    def pad_multiple(self) -> int:
        """Number that section heights and widths must be a multiple of."""
        return self.info.pad_multiple

    @property
    def execution_devices(self) -> list[str]:
        """Devices OpenVINO actually runs the network on (for ``AUTO``, the one it picked)."""
        return list(self._compiled.get_property("EXECUTION_DEVICES"))

    def predict_batch(self, sections: np.ndarray) -> np.ndarray:
        """Score a batch of normalised sections (a :data:`~models.prediction.SectionPredictor`).

        Parameters
        ----------
        sections : ndarray of shape (batch, 1, height, width)
            Normalised amplitudes; height (traces) and width (samples) must be
            multiples of :attr:`pad_multiple`.

        Returns
        -------
        ndarray of shape (batch, n_classes, height, width)
            Class probabilities, float32, summing to 1 over the class axis.

        Raises
        ------
        ShapeMismatchError
            If ``sections`` is not 4-D with one channel, or its height or width
            is not a multiple of :attr:`pad_multiple`.
        """
        sections = np.ascontiguousarray(sections, dtype=np.float32)
        if sections.ndim != 4 or sections.shape[1] != 1:
            raise ShapeMismatchError(
                f"sections of shape {sections.shape} are invalid; give (batch, 1, height, width)"
            )
        multiple = self.pad_multiple
        if sections.shape[2] % multiple or sections.shape[3] % multiple:
            raise ShapeMismatchError(
                f"section size {sections.shape[2]} x {sections.shape[3]} is not a multiple of {multiple}; "
                "pad with models.prediction.pad_sections"
            )

        # One infer request is shared, so calls from several threads take turns.
        with self._lock:
            self._request.infer({0: sections})
            return self._request.get_output_tensor(0).data.copy()

    def predict_volume(
        self,
        seismic: np.ndarray,
        live: np.ndarray | None = None,
        batch_size: int = 8,
        progress: bool = True,
        axes: Sequence[str] = AXES,
        normalizer: RobustNormalizer | None = None,
    ) -> FaciesPrediction:
        """Predict the facies of every voxel of a survey.

        Parameters
        ----------
        seismic : ndarray of shape (n_inlines, n_crosslines, n_samples)
            Raw amplitudes; the package's normaliser scales them.
        live : ndarray of shape (n_inlines, n_crosslines), optional
            False where the grid has no trace; those voxels get class -1.
        batch_size : int, default=8
            Sections per OpenVINO call.
        progress : bool, default=True
            Show a progress bar on stderr.
        axes : sequence of {"inline", "crossline"}, default=("inline", "crossline")
            Section directions whose probabilities are averaged.
        normalizer : RobustNormalizer, optional
            Amplitude scaling to apply in place of the package's (for example
            the package's rule refitted on this survey). Default: the
            package's, with the statistics of the training survey.

        Returns
        -------
        FaciesPrediction
        """
        seismic = np.asarray(seismic)
        if seismic.ndim != 3:
            raise ShapeMismatchError(
                f"seismic of shape {seismic.shape} is invalid; give (n_inlines, n_crosslines, n_samples)"
            )
        scaling = normalizer if normalizer is not None else self.normalizer
        normalised = np.asarray(scaling.transform(seismic), dtype=np.float32)
        return predict_volume(
            normalised,
            self.predict_batch,
            self.n_classes,
            pad_multiple=self.pad_multiple,
            batch_size=batch_size,
            axes=axes,
            live=live,
            progress=progress,
        )
