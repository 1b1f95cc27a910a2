"""Measure whether the section loader keeps up with training.

Writes a random volume and label volume to a temporary HDF5 file in the
ingest layout (uncompressed float32 in 64 x 64 x 64 bricks by default), then measures,
each alone:

- ``loader_sections_s``: full-depth training sections per second, with
  normalisation, the default augmentation and padding, delivered by a
  ``torch.utils.data.DataLoader`` with ``--workers`` worker processes;
- ``train_sections_s``: sections per second that training steps of the
  default network (``build_model(ModelConfig(n_classes=6))``, AdamW,
  cross-entropy with ignore index -1) consume, timed after warm-up steps on
  batches already in memory;

and prints one JSON line with both and their ratio (goal: at least 5) on
stdout. Logs go to stderr.

Usage::

    python bench/loader.py [--inlines 300 --crosslines 300 --samples 400] [--device cpu]
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import time
from pathlib import Path

import h5py
import numpy as np
import torch
from torch.utils.data import DataLoader

from models.augment import default_augmentation
from models.datasets import SectionDataset, class_weights, pad_collate
from models.networks import ModelConfig, build_model, pad_multiple
from models.normalization import RobustNormalizer
from models.splits import split_inline_blocks
from seismic.volume import chunk_shape

logger = logging.getLogger("bench.loader")

N_CLASSES = 6


def write_volume(path: Path, shape: tuple[int, int, int], chunks: tuple[int, int, int], seed: int) -> None:
    """Write random amplitudes and layered labels, uncompressed and chunked as ``chunks``."""
    rng = np.random.default_rng(seed)
    n_inlines, n_crosslines, n_samples = shape
    chunks = tuple(min(size, extent) for size, extent in zip(chunks, shape))
    with h5py.File(path, "w") as handle:
        seismic = handle.create_dataset("seismic", shape=shape, dtype=np.float32, chunks=chunks)
        labels = handle.create_dataset("labels", shape=shape, dtype=np.int16, chunks=chunks)
        layer_of_sample = (np.arange(n_samples) * N_CLASSES // n_samples).astype(np.int16)
        for start in range(0, n_inlines, chunks[0]):
            stop = min(start + chunks[0], n_inlines)
            block = rng.standard_normal((stop - start, n_crosslines, n_samples), dtype=np.float32)
            seismic[start:stop] = block * 1000.0
            labels[start:stop] = np.broadcast_to(layer_of_sample, (stop - start, n_crosslines, n_samples))
        handle.create_dataset("live", data=np.ones(shape[:2], dtype=bool))


def measure_loader(dataset: SectionDataset, batch_size: int, workers: int, n_batches: int, seed: int) -> float:
    """Return sections per second delivered by a DataLoader, after its first batch."""
    generator = torch.Generator().manual_seed(seed)
    loader = DataLoader(
        dataset,
        batch_size=batch_size,
        shuffle=True,
        num_workers=workers,
        collate_fn=pad_collate,
        generator=generator,
        drop_last=True,
        persistent_workers=workers > 0,
    )
    n_sections = 0
    started = None
    while True:
        for x, _ in loader:
            # The first batch includes worker start-up and is left out of the rate.
            if started is None:
                started = time.perf_counter()
                continue
            n_sections += x.shape[0]
            if n_sections >= n_batches * batch_size:
                return n_sections / (time.perf_counter() - started)


def measure_training(
    batches: list[tuple[torch.Tensor, torch.Tensor]],
    weights: np.ndarray,
    device: torch.device,
    warmup: int,
) -> float:
    """Return sections per second consumed by training steps on batches already in memory."""
    model = build_model(ModelConfig(n_classes=N_CLASSES)).to(device)
    model.train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss(weight=torch.from_numpy(weights).to(device), ignore_index=-1)
    batches = [(x.to(device), y.to(device)) for x, y in batches]

    def step(x: torch.Tensor, y: torch.Tensor) -> None:
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()

    for x, y in batches[:warmup]:
        step(x, y)
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    started = time.perf_counter()
    n_sections = 0
    for x, y in batches[warmup:]:
        step(x, y)
        n_sections += x.shape[0]
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    return n_sections / (time.perf_counter() - started)


def _chunks(text: str) -> tuple[int, int, int]:
    try:
        values = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid chunk shape {text!r}; give three integers such as 16,16,400") from None
    if len(values) != 3 or min(values) < 1:
        raise argparse.ArgumentTypeError(f"invalid chunk shape {text!r}; give three integers of at least 1")
    return values  # type: ignore[return-value]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inlines", type=int, default=300, help="inlines in the volume (default 300)")
    parser.add_argument("--crosslines", type=int, default=300, help="crosslines in the volume (default 300)")
    parser.add_argument("--samples", type=int, default=400, help="samples per trace (default 400)")
    parser.add_argument(
        "--chunks",
        type=_chunks,
        default=None,
        help="HDF5 chunk shape as IL,XL,NS (default: the ingest layout, seismic.volume.chunk_shape)",
    )
    parser.add_argument("--batch-size", type=int, default=4, help="sections per batch (default 4)")
    parser.add_argument("--workers", type=int, default=2, help="DataLoader worker processes (default 2)")
    parser.add_argument("--loader-batches", type=int, default=60, help="batches timed for the loader")
    parser.add_argument("--train-steps", type=int, default=3, help="training steps timed after the warm-up")
    parser.add_argument("--warmup", type=int, default=1, help="training steps before timing")
    parser.add_argument("--device", default="cpu", help="torch device for training: cpu, cuda or auto")
    parser.add_argument("--seed", type=int, default=0, help="seed of the data and the shuffling")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(name)s: %(message)s")
    args = parse_args(argv)
    device_name = args.device
    if device_name == "auto":
        device_name = "cuda" if torch.cuda.is_available() else "cpu"
    device = torch.device(device_name)
    shape = (args.inlines, args.crosslines, args.samples)
    chunks = chunk_shape(shape) if args.chunks is None else args.chunks
    torch.manual_seed(args.seed)

    with tempfile.TemporaryDirectory(prefix="facies-bench-") as folder:
        path = Path(folder) / "volume.h5"
        started = time.perf_counter()
        write_volume(path, shape, chunks, args.seed)
        logger.info("Wrote %s volume in chunks %s to %s in %.1f s", shape, chunks, path, time.perf_counter() - started)

        split = split_inline_blocks(args.inlines, args.crosslines)
        with h5py.File(path, "r") as handle:
            normalizer = RobustNormalizer().fit(handle["seismic"], live=split.mask("train", shape))
            weights = class_weights(handle["labels"], split.mask("train", shape), N_CLASSES)
        sections = split.sections("train")
        dataset = SectionDataset(path, path, sections, normalizer, augment=default_augmentation())
        logger.info("%d training sections (%d inline, %d crossline)", len(sections),
                    len(split.train_inlines), args.crosslines)

        loader_rate = measure_loader(dataset, args.batch_size, args.workers, args.loader_batches, args.seed)
        logger.info("Loader: %.1f sections/s with %d workers", loader_rate, args.workers)

        # Training batches mix inline and crossline sections as the shuffled loader does.
        order = np.random.default_rng(args.seed).permutation(len(dataset))
        n_train_batches = args.warmup + args.train_steps
        batches = [
            pad_collate([dataset[int(i)] for i in order[b * args.batch_size : (b + 1) * args.batch_size]],
                        pad_multiple(ModelConfig(n_classes=N_CLASSES)))
            for b in range(n_train_batches)
        ]
        train_rate = measure_training(batches, weights, device, args.warmup)
        logger.info("Training on %s: %.2f sections/s", device, train_rate)

    result = {
        "loader_sections_s": round(loader_rate, 2),
        "train_sections_s": round(train_rate, 3),
        "ratio": round(loader_rate / train_rate, 1),
        "volume_shape": list(shape),
        "chunks": list(chunks),
        "batch_size": args.batch_size,
        "workers": args.workers,
        "device": str(device),
        "torch_threads": torch.get_num_threads(),
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
