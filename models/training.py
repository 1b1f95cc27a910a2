"""Train a section segmentation network on a labelled survey.

The survey is split into inline blocks (train, validation, test) separated by
a gap, so no voxel of the test block is seen through any training section. The
network learns from full-depth inline sections and crossline sections cut to
the training block. Normalisation statistics and class weights come from the
training block only.

Training runs on one CPU or GPU, or on several processes under ``torchrun``
(DistributedDataParallel, gloo on CPUs, NCCL on GPUs). Each epoch ends with a
resumable checkpoint, so an elastic ``torchrun`` restart carries on from the
last finished epoch.
"""

from __future__ import annotations

import logging
import math
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, DistributedSampler
from tqdm.auto import tqdm

from models.checkpoint import CHECKPOINT_NAME, save_checkpoint, write_json
from models.datasets import SectionDataset, pad_collate
from models.label_volumes import check_label_volume, class_weights
from models.metrics import confusion_matrix, segmentation_scores
from models.networks import ModelConfig, build_model, pad_multiple
from models.normalization import RobustNormalizer
from models.plotting import plot_training_curve
from models.prediction import predict_volume
from models.splits import BlockSplit, split_inline_blocks
from seismic.atomic import atomic_directory
from seismic.errors import InvalidInputError
from seismic.io import VolumeData, load_volume
from seismic.labels import ClassTable, find_class_table, has_class_table

__all__ = ["TrainingConfig", "TrainingResult", "train", "resolve_device", "torch_predictor"]

logger = logging.getLogger(__name__)

RESUME_NAME = "resume.pt"


@dataclass
class TrainingConfig:
    """Everything that defines a training run; stored as the run's ``config.json``.

    Parameters
    ----------
    seismic, labels : str
        Paths of the seismic and label volumes (SEG-Y, HDF5 or ``.npy``).
    out : str
        Run folder to write.
    epochs : int, default=40
        Passes over the training sections.
    batch_size : int, default=8
        Sections per optimiser step.
    learning_rate : float, default=2e-3
        Peak learning rate of the one-cycle schedule (AdamW).
    weight_decay : float, default=1e-4
        AdamW weight decay.
    base_channels, depth : int
        Width and depth of the U-Net (see :class:`~models.networks.ModelConfig`).
    test_fraction, val_fraction : float
        Shares of the inlines held out for testing and validation.
    gap : int, default=2
        Inlines left out between neighbouring blocks.
    augmentation : {"light", "full", "none"}, default="light"
        Augmentation of training sections: flips and gain ("light"), also
        rotations, noise and wavelet changes ("full"), or none.
    class_weighting : bool, default=True
        Weight the loss by inverse square-root class frequency of the training block.
    seed : int, default=0
        Seed of weights, sampling and augmentation.
    device : str, default="auto"
        "auto" (a GPU when one is attached), "cpu" or "cuda".
    num_workers : int, default=0
        Data-loader worker processes.
    n_classes : int or None
        Number of classes; by default the class table's or the largest label plus one.
    """

    seismic: str
    labels: str
    out: str
    epochs: int = 40
    batch_size: int = 8
    learning_rate: float = 2e-3
    weight_decay: float = 1e-4
    base_channels: int = 16
    depth: int = 3
    test_fraction: float = 0.2
    val_fraction: float = 0.1
    gap: int = 2
    augmentation: str = "light"
    class_weighting: bool = True
    seed: int = 0
    device: str = "auto"
    num_workers: int = 0
    n_classes: int | None = None
    split: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.epochs < 1:
            raise InvalidInputError(f"epochs={self.epochs} is invalid; train for at least 1 epoch")
        if self.batch_size < 1:
            raise InvalidInputError(f"batch_size={self.batch_size} is invalid; use at least 1")
        if not self.learning_rate > 0:
            raise InvalidInputError(f"learning_rate={self.learning_rate} is invalid; use a positive number")
        if self.augmentation not in ("light", "full", "none"):
            raise InvalidInputError(
                f"augmentation {self.augmentation!r} is invalid; choose light, full or none"
            )
        if self.device not in ("auto", "cpu", "cuda"):
            raise InvalidInputError(f"device {self.device!r} is invalid; choose auto, cpu or cuda")


@dataclass
class TrainingResult:
    """Summary of a finished training run.

    Attributes
    ----------
    run_dir : Path
        The run folder.
    history : dict of str to list of float
        Per-epoch ``train_loss``, ``val_loss`` and ``val_miou``.
    test_scores : dict
        Scores on the held-out test block (see :func:`models.metrics.segmentation_scores`).
    split : BlockSplit
        The inline blocks used.
    """

    run_dir: Path
    history: dict[str, list[float]]
    test_scores: dict[str, Any]
    split: BlockSplit


def resolve_device(name: str) -> torch.device:
    """Return the torch device for ``"auto"``, ``"cpu"`` or ``"cuda"``.

    Raises
    ------
    InvalidInputError
        If ``"cuda"`` is requested and no GPU is attached.
    """
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name == "cuda" and not torch.cuda.is_available():
        raise InvalidInputError("--device cuda was requested but no GPU is available; use --device cpu or auto")
    if name not in ("cpu", "cuda"):
        raise InvalidInputError(f"device {name!r} is invalid; choose auto, cpu or cuda")
    return torch.device(name)


def torch_predictor(model: torch.nn.Module, device: torch.device):
    """Wrap a network as a :data:`~models.prediction.SectionPredictor` returning probabilities."""

    @torch.no_grad()
    def predict(sections: np.ndarray) -> np.ndarray:
        inputs = torch.from_numpy(np.ascontiguousarray(sections, dtype=np.float32)).to(device)
        return torch.softmax(model(inputs), dim=1).float().cpu().numpy()

    return predict


def _load_pair(config: TrainingConfig) -> tuple[VolumeData, VolumeData]:
    seismic = load_volume(config.seismic, dataset="seismic" if _is_hdf5(config.seismic) else None)
    labels = load_volume(config.labels, dataset="labels" if _is_hdf5(config.labels) else None)
    return seismic, labels


def _is_hdf5(path: str) -> bool:
    return Path(path).suffix.lower() in (".h5", ".hdf5")


def _resolve_classes(config: TrainingConfig, labels: np.ndarray) -> ClassTable:
    """Return the class table: the one beside the labels, else defaults.

    The class count is ``config.n_classes`` when given, else the table's, else
    the largest label plus one. A table or a count smaller than the labels
    need is an error naming both numbers.
    """
    n_found = int(labels.max()) + 1 if labels.size else 0
    has_table = has_class_table(config.labels)
    n_classes = config.n_classes if config.n_classes is not None or has_table else max(n_found, 2)
    table = find_class_table(config.labels, n_classes=n_classes)
    if n_found > len(table):
        raise InvalidInputError(
            f"labels {config.labels} contain class {n_found - 1} but the model has {len(table)} classes; "
            f"pass --n-classes {n_found} or fix the class table"
        )
    return table


class _Distributed:
    """Process-group state under ``torchrun``; a single process otherwise."""

    def __init__(self, device_name: str) -> None:
        self.world_size = int(os.environ.get("WORLD_SIZE", "1"))
        self.rank = int(os.environ.get("RANK", "0"))
        self.local_rank = int(os.environ.get("LOCAL_RANK", "0"))
        self.device = resolve_device(device_name)
        if self.device.type == "cuda":
            self.device = torch.device("cuda", self.local_rank % torch.cuda.device_count())
            torch.cuda.set_device(self.device)
        if self.world_size > 1 and not dist.is_initialized():
            dist.init_process_group(backend="nccl" if self.device.type == "cuda" else "gloo")
            logger.info("process %d of %d on %s", self.rank, self.world_size, self.device)

    @property
    def is_main(self) -> bool:
        return self.rank == 0

    def all_reduce(self, values: torch.Tensor) -> torch.Tensor:
        if self.world_size > 1:
            dist.all_reduce(values)
        return values

    def barrier(self) -> None:
        if self.world_size > 1:
            dist.barrier()

    def close(self) -> None:
        if self.world_size > 1 and dist.is_initialized():
            dist.destroy_process_group()


def train(config: TrainingConfig, *, progress: bool = True) -> TrainingResult:
    """Train a section U-Net and write its run folder.

    Parameters
    ----------
    config : TrainingConfig
        The run's settings.
    progress : bool, default=True
        Show progress bars on stderr.

    Returns
    -------
    TrainingResult

    Raises
    ------
    InvalidInputError
        If the inputs cannot be read, their shapes differ, or the survey is too
        small to split.
    """
    torch.manual_seed(config.seed)
    seismic, labels = _load_pair(config)
    check_label_volume(seismic.data.shape, labels.data)
    class_table = _resolve_classes(config, labels.data)
    n_classes = len(class_table)
    check_label_volume(seismic.data.shape, labels.data, n_classes=n_classes)

    n_inlines, n_crosslines, _ = seismic.data.shape
    split = split_inline_blocks(
        n_inlines,
        n_crosslines,
        test_fraction=config.test_fraction,
        val_fraction=config.val_fraction,
        gap=config.gap,
    )
    config.split = split.to_dict()
    config.n_classes = n_classes

    train_mask = split.mask("train", (n_inlines, n_crosslines))
    normalizer = RobustNormalizer().fit(seismic.data, live=train_mask & seismic.live, seed=config.seed)
    label_values = np.asarray(labels.data)
    weights = None
    if config.class_weighting:
        # Square-root damping keeps rare classes from dominating the loss.
        weights = np.sqrt(class_weights(label_values, train_mask, n_classes)).astype(np.float32)
    logger.info(
        "survey %s: %d inlines train, %d validation, %d test; %d classes",
        seismic.data.shape,
        len(split.train_inlines),
        len(split.val_inlines),
        len(split.test_inlines),
        n_classes,
    )

    runtime = _Distributed(config.device)
    try:
        return _fit(config, runtime, seismic, label_values, split, normalizer, weights, class_table, progress)
    finally:
        runtime.close()


def _fit(
    config: TrainingConfig,
    runtime: _Distributed,
    seismic: VolumeData,
    labels: np.ndarray,
    split: BlockSplit,
    normalizer: RobustNormalizer,
    weights: np.ndarray | None,
    class_table: ClassTable,
    progress: bool,
) -> TrainingResult:
    n_classes = len(class_table)
    device = runtime.device
    model_config = ModelConfig(n_classes=n_classes, base_channels=config.base_channels, depth=config.depth)
    model = build_model(model_config).to(device)
    multiple = pad_multiple(model_config)

    augment = None
    if config.augmentation != "none":
        from models.augment import AUGMENTATIONS

        augment = AUGMENTATIONS[config.augmentation]()
    train_set = SectionDataset(seismic.data, labels, split.sections("train"), normalizer, augment=augment)
    val_set = SectionDataset(seismic.data, labels, split.sections("val"), normalizer)
    if len(train_set) == 0:
        raise InvalidInputError(
            f"the survey {seismic.data.shape} leaves no training sections; use a larger survey or a smaller test_fraction"
        )

    sampler = DistributedSampler(train_set, shuffle=True, seed=config.seed) if runtime.world_size > 1 else None
    collate = _Collate(multiple)
    train_loader = DataLoader(
        train_set,
        batch_size=config.batch_size,
        shuffle=sampler is None,
        sampler=sampler,
        collate_fn=collate,
        num_workers=config.num_workers,
        generator=torch.Generator().manual_seed(config.seed),
        drop_last=False,
    )
    val_loader = DataLoader(val_set, batch_size=config.batch_size, collate_fn=collate)

    network: torch.nn.Module = model
    if runtime.world_size > 1:
        network = DistributedDataParallel(model, device_ids=[device.index] if device.type == "cuda" else None)

    optimizer = torch.optim.AdamW(network.parameters(), lr=config.learning_rate, weight_decay=config.weight_decay)
    steps_per_epoch = max(1, len(train_loader))
    scheduler = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=config.learning_rate, total_steps=config.epochs * steps_per_epoch, pct_start=0.15
    )
    loss_weights = torch.from_numpy(weights).to(device) if weights is not None else None
    criterion = torch.nn.CrossEntropyLoss(weight=loss_weights, ignore_index=-1)

    out = Path(config.out)
    history: dict[str, list[float]] = {"train_loss": [], "val_loss": [], "val_miou": []}
    start_epoch = 0
    resume_path = out.parent / f".{out.name}.{RESUME_NAME}"
    if resume_path.is_file():
        state = torch.load(resume_path, map_location=device, weights_only=False)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        history = state["history"]
        start_epoch = state["epoch"] + 1
        logger.info("resuming from %s at epoch %d", resume_path, start_epoch + 1)

    best_miou = max(history["val_miou"], default=-math.inf)
    best_state = {name: tensor.detach().clone() for name, tensor in model.state_dict().items()}
    started = time.perf_counter()
    epochs = tqdm(
        range(start_epoch, config.epochs), desc="train", unit="epoch", disable=not (progress and runtime.is_main)
    )
    for epoch in epochs:
        if sampler is not None:
            sampler.set_epoch(epoch)
        train_loss = _train_epoch(network, train_loader, optimizer, scheduler, criterion, device, runtime)
        val_loss, val_scores = _validate(model, val_loader, criterion, n_classes, device)
        history["train_loss"].append(train_loss)
        history["val_loss"].append(val_loss)
        history["val_miou"].append(float(val_scores["miou"]))
        epochs.set_postfix(loss=f"{train_loss:.3f}", val_miou=f"{val_scores['miou']:.3f}")
        logger.debug("epoch %d: train loss %.4f, val loss %.4f, val mIoU %.4f", epoch + 1, train_loss, val_loss, val_scores["miou"])

        if val_scores["miou"] >= best_miou:
            best_miou = val_scores["miou"]
            best_state = {name: tensor.detach().clone() for name, tensor in model.state_dict().items()}
        if runtime.is_main:
            torch.save(
                {
                    "model": model.state_dict(),
                    "optimizer": optimizer.state_dict(),
                    "scheduler": scheduler.state_dict(),
                    "history": history,
                    "epoch": epoch,
                },
                resume_path,
            )
    elapsed = time.perf_counter() - started

    model.load_state_dict(best_state)
    model.eval()
    result_scores: dict[str, Any] = {}
    if runtime.is_main:
        result_scores = _write_run(
            config, model, model_config, normalizer, class_table, seismic, labels, split, history, elapsed, device
        )
        resume_path.unlink(missing_ok=True)
    runtime.barrier()
    return TrainingResult(run_dir=out, history=history, test_scores=result_scores, split=split)


class _Collate:
    """Picklable collate function that pads sections to the network's multiple."""

    def __init__(self, multiple: int) -> None:
        self.multiple = multiple

    def __call__(self, batch):
        return pad_collate(batch, multiple=self.multiple)


def _train_epoch(network, loader, optimizer, scheduler, criterion, device, runtime: _Distributed) -> float:
    network.train()
    totals = torch.zeros(2, dtype=torch.float64, device=device)
    for inputs, targets in loader:
        inputs = inputs.to(device, non_blocking=True)
        targets = targets.to(device, non_blocking=True)
        loss = criterion(network(inputs), targets)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        scheduler.step()
        totals += torch.stack([loss.detach().double() * len(inputs), torch.tensor(len(inputs), device=device)])
    runtime.all_reduce(totals)
    return float(totals[0] / max(totals[1], 1))


@torch.no_grad()
def _validate(model, loader, criterion, n_classes: int, device) -> tuple[float, dict[str, Any]]:
    model.eval()
    confusion = np.zeros((n_classes, n_classes), dtype=np.int64)
    total_loss, count = 0.0, 0
    for inputs, targets in loader:
        inputs, targets = inputs.to(device), targets.to(device)
        logits = model(inputs)
        loss = criterion(logits, targets)
        if torch.isfinite(loss):
            total_loss += float(loss) * len(inputs)
            count += len(inputs)
        predicted = logits.argmax(dim=1).cpu().numpy()
        confusion += confusion_matrix(predicted, targets.cpu().numpy(), n_classes)
    if confusion.sum() == 0:
        return math.nan, {"miou": math.nan}
    return total_loss / max(count, 1), segmentation_scores(confusion)


def _write_run(
    config: TrainingConfig,
    model: torch.nn.Module,
    model_config: ModelConfig,
    normalizer: RobustNormalizer,
    class_table: ClassTable,
    seismic: VolumeData,
    labels: np.ndarray,
    split: BlockSplit,
    history: dict[str, list[float]],
    elapsed: float,
    device: torch.device,
) -> dict[str, Any]:
    # Score the held-out block with the same two-pass prediction users get.
    prediction = predict_volume(
        normalizer.transform(seismic.data),
        torch_predictor(model, device),
        model_config.n_classes,
        pad_multiple=pad_multiple(model_config),
        live=seismic.live,
        progress=False,
    )
    test_cells = split.mask("test", seismic.data.shape[:2])
    test_scores = segmentation_scores(
        confusion_matrix(prediction.facies[test_cells], labels[test_cells], model_config.n_classes)
    )
    logger.info("held-out test block: mIoU %.3f, pixel accuracy %.3f", test_scores["miou"], test_scores["pixel_accuracy"])

    with atomic_directory(config.out) as folder:
        model.cpu()
        save_checkpoint(
            folder / CHECKPOINT_NAME,
            model,
            model_config,
            normalizer,
            class_table,
            extra={"split": split.to_dict()},
        )
        model.to(device)
        write_json(folder / "config.json", {**asdict(config), "model": model_config.to_dict()})
        write_json(
            folder / "metrics.json",
            {
                "history": history,
                "best_val_miou": max(history["val_miou"], default=None),
                "test": test_scores,
                "train_seconds": elapsed,
                "device": str(device),
            },
        )
        plot_training_curve(history, folder / "training_curve.png")
    logger.info("wrote run folder %s", config.out)
    return test_scores
