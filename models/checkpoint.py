"""Run folders: what a training run writes and how it is loaded back.

A run folder contains

- ``checkpoint.pt``: the network weights, its :class:`~models.networks.ModelConfig`,
  the amplitude normaliser and the class table, so prediction on another
  survey applies the same scaling and names the same classes;
- ``config.json``: the resolved training configuration;
- ``metrics.json``: the per-epoch history and the final scores;
- ``training_curve.png``: loss and validation scores per epoch.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from models.networks import ModelConfig, SectionUNet, build_model
from models.normalization import RobustNormalizer
from seismic.errors import InputNotFoundError, InvalidInputError
from seismic.labels import ClassTable

__all__ = ["CHECKPOINT_NAME", "LoadedRun", "save_checkpoint", "load_run"]

logger = logging.getLogger(__name__)

CHECKPOINT_NAME = "checkpoint.pt"
FORMAT_VERSION = 1


@dataclass
class LoadedRun:
    """A trained network with everything needed to apply it.

    Attributes
    ----------
    model : SectionUNet
        The network in evaluation mode, on the CPU.
    model_config : ModelConfig
        Its architecture.
    normalizer : RobustNormalizer
        The amplitude scaling fitted on the training split.
    class_table : ClassTable
        Class names, colours and kinds.
    path : Path
        The run folder.
    """

    model: SectionUNet
    model_config: ModelConfig
    normalizer: RobustNormalizer
    class_table: ClassTable
    path: Path


def save_checkpoint(
    path: str | Path,
    model: torch.nn.Module,
    model_config: ModelConfig,
    normalizer: RobustNormalizer,
    class_table: ClassTable,
    extra: dict[str, Any] | None = None,
) -> None:
    """Save the weights and what is needed to apply them to ``path``."""
    state = {
        "format_version": FORMAT_VERSION,
        "model_config": model_config.to_dict(),
        "state_dict": {name: tensor.detach().cpu() for name, tensor in model.state_dict().items()},
        "normalizer": normalizer.to_dict(),
        "class_table": class_table.to_dict(),
        "extra": extra or {},
    }
    torch.save(state, path)


def load_run(run_dir: str | Path) -> LoadedRun:
    """Load the network of a run folder written by ``facies train``.

    Raises
    ------
    InputNotFoundError
        If ``run_dir`` or its checkpoint does not exist.
    InvalidInputError
        If the checkpoint cannot be read or was written by another format version.
    """
    run_dir = Path(run_dir)
    path = run_dir / CHECKPOINT_NAME
    if not run_dir.is_dir():
        raise InputNotFoundError(f"run folder not found: {run_dir}; give a folder written by 'facies train'")
    if not path.is_file():
        raise InputNotFoundError(f"{run_dir} has no {CHECKPOINT_NAME}; give a folder written by 'facies train'")

    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except (RuntimeError, OSError, EOFError, ValueError) as error:
        raise InvalidInputError(f"cannot read checkpoint {path} ({error}); train the run again") from error
    if not isinstance(state, dict) or state.get("format_version") != FORMAT_VERSION:
        raise InvalidInputError(
            f"{path} is not a checkpoint of format version {FORMAT_VERSION}; train the run again with this version"
        )

    model_config = ModelConfig.from_dict(state["model_config"])
    model = build_model(model_config)
    model.load_state_dict(state["state_dict"])
    model.eval()
    logger.info("loaded %s (%s, %d classes)", path, model_config.name, model_config.n_classes)
    return LoadedRun(
        model=model,
        model_config=model_config,
        normalizer=RobustNormalizer.from_dict(state["normalizer"]),
        class_table=ClassTable.from_dict(state["class_table"]),
        path=run_dir,
    )


def write_json(path: str | Path, values: dict[str, Any]) -> None:
    """Write ``values`` as indented JSON, replacing NaN by null."""
    Path(path).write_text(json.dumps(_finite(values), indent=2) + "\n")


def _finite(value: Any) -> Any:
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(item) for item in value]
    return value
