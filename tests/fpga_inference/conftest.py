"""Tiny run folders and IR packages shared by the deployment-layer tests."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from models.checkpoint import save_checkpoint
from models.networks import ModelConfig, build_model
from models.normalization import RobustNormalizer
from models.splits import split_inline_blocks
from seismic.labels import ClassTable

N_CLASSES = 3
TINY_CONFIG = ModelConfig(n_classes=N_CLASSES, base_channels=4, depth=2, dropout=0.0)


def layered_volume(n_inlines: int = 24, n_crosslines: int = 20, n_samples: int = 48, seed: int = 0):
    """Return ``(seismic, labels)`` of three dipping layers with distinct textures.

    Layer 0 is a slow sine, layer 1 a fast sine and layer 2 random noise, each
    in amplitude units of about 100 so the normaliser has work to do.
    """
    rng = np.random.default_rng(seed)
    inline, crossline, sample = np.meshgrid(
        np.arange(n_inlines), np.arange(n_crosslines), np.arange(n_samples), indexing="ij"
    )
    depth = sample + 0.2 * inline + 0.1 * crossline
    labels = np.clip((depth // (n_samples / 3)).astype(np.int64), 0, N_CLASSES - 1)
    periods = np.array([16.0, 4.0, 1.0])
    seismic = np.sin(2 * np.pi * depth / periods[labels])
    noise = labels == 2
    seismic[noise] = rng.standard_normal(int(noise.sum()))
    seismic += 0.1 * rng.standard_normal(seismic.shape)
    return (100.0 * seismic).astype(np.float32), labels


def save_run(folder: Path, model: torch.nn.Module, normalizer: RobustNormalizer, config: dict | None = None) -> Path:
    """Write a run folder with ``checkpoint.pt`` and, when given, ``config.json``."""
    folder.mkdir(parents=True, exist_ok=True)
    save_checkpoint(folder / "checkpoint.pt", model, TINY_CONFIG, normalizer, ClassTable.default(N_CLASSES))
    if config is not None:
        (folder / "config.json").write_text(json.dumps(config))
    return folder


@pytest.fixture(scope="session")
def random_run(tmp_path_factory) -> Path:
    """A run of the tiny network with random weights (BatchNorm statistics randomised too)."""
    torch.manual_seed(0)
    model = build_model(TINY_CONFIG)
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, torch.nn.BatchNorm2d):
                module.running_mean.uniform_(-0.2, 0.2)
                module.running_var.uniform_(0.5, 2.0)
                module.weight.uniform_(0.5, 1.5)
                module.bias.uniform_(-0.2, 0.2)
    model.eval()
    seismic, _ = layered_volume()
    normalizer = RobustNormalizer().fit(seismic)
    return save_run(tmp_path_factory.mktemp("random") / "run", model, normalizer)


@pytest.fixture(scope="session")
def trained_run(tmp_path_factory) -> Path:
    """A run of the tiny network trained on :func:`layered_volume`, with ``config.json``.

    ``config.json`` names the seismic (``.npy``) and the inline split, as
    ``facies train`` writes them. The test block is the last 5 inlines. The
    training inline sections are 20 x 48, both multiples of 2 ** depth = 4.
    """
    root = tmp_path_factory.mktemp("trained")
    seismic, labels = layered_volume()
    seismic_path = root / "seismic.npy"
    np.save(seismic_path, seismic)
    split = split_inline_blocks(seismic.shape[0], seismic.shape[1], test_fraction=0.2, val_fraction=0.0, gap=1)

    train_inlines = list(split.train_inlines)
    normalizer = RobustNormalizer().fit(seismic[train_inlines])
    inputs = torch.from_numpy(normalizer.transform(seismic[train_inlines])[:, None])
    targets = torch.from_numpy(labels[train_inlines])

    torch.manual_seed(0)
    model = build_model(TINY_CONFIG)
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-2)
    generator = torch.Generator().manual_seed(0)
    threads = torch.get_num_threads()
    # Steps this small run fastest on one thread; several threads spin against each other on a busy machine.
    torch.set_num_threads(1)
    try:
        for _ in range(100):
            batch = torch.randint(len(train_inlines), (4,), generator=generator)
            loss = torch.nn.functional.cross_entropy(model(inputs[batch]), targets[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    finally:
        torch.set_num_threads(threads)
    model.eval()

    config = {"seismic": str(seismic_path), "labels": "", "split": split.to_dict()}
    return save_run(root / "run", model, normalizer, config)


@pytest.fixture(scope="session")
def fp32_package(random_run, tmp_path_factory) -> Path:
    """The FP32 IR package of :func:`random_run`."""
    from fpga_inference.export import export_package

    return export_package(random_run, tmp_path_factory.mktemp("packages") / "fp32", precision="fp32")


@pytest.fixture(scope="session")
def int8_package(trained_run, tmp_path_factory) -> Path:
    """The INT8 IR package of :func:`trained_run`, calibrated on its training sections."""
    from fpga_inference.export import export_package

    return export_package(trained_run, tmp_path_factory.mktemp("packages") / "int8", precision="int8")
