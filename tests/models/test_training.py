"""Tests of the training loop and the run folder it writes."""

import json
import subprocess
import sys

import numpy as np
import pytest
import torch

from models.checkpoint import load_run
from models.networks import pad_multiple
from models.prediction import predict_volume
from models.splits import BlockSplit
from models.training import TrainingConfig, resolve_device, torch_predictor, train
from seismic.errors import InvalidInputError, ShapeMismatchError


@pytest.fixture
def sign_survey(tmp_path):
    """Labels are 1 where the amplitude is positive: learnable in a few epochs."""
    rng = np.random.default_rng(7)
    seismic = rng.normal(size=(20, 12, 32)).astype(np.float32)
    labels = (seismic > 0).astype(np.int16)
    np.save(tmp_path / "seismic.npy", seismic)
    np.save(tmp_path / "labels.npy", labels)
    return tmp_path


def tiny_config(folder, **changes):
    values = dict(
        seismic=str(folder / "seismic.npy"),
        labels=str(folder / "labels.npy"),
        out=str(folder / "run"),
        epochs=6,
        batch_size=4,
        learning_rate=1e-2,
        base_channels=4,
        depth=2,
        augmentation="none",
        device="cpu",
    )
    values.update(changes)
    return TrainingConfig(**values)


def test_train_writes_run_folder(sign_survey):
    result = train(tiny_config(sign_survey), progress=False)
    run = sign_survey / "run"
    assert sorted(path.name for path in run.iterdir()) == [
        "checkpoint.pt",
        "config.json",
        "metrics.json",
        "training_curve.png",
    ]
    metrics = json.loads((run / "metrics.json").read_text())
    assert len(metrics["history"]["train_loss"]) == 6
    assert metrics["test"]["miou"] == pytest.approx(result.test_scores["miou"])
    config = json.loads((run / "config.json").read_text())
    assert config["model"]["n_classes"] == 2
    assert config["split"]["test_inlines"] == [result.split.test_inlines.start, result.split.test_inlines.stop]
    # No resumable state is left behind after a finished run.
    assert not list(sign_survey.glob(".run.*"))


def test_train_learns_sign_of_amplitude(sign_survey):
    result = train(tiny_config(sign_survey, epochs=24), progress=False)
    assert result.history["train_loss"][-1] < result.history["train_loss"][0]
    assert result.test_scores["pixel_accuracy"] > 0.9


def test_test_block_is_never_in_training_sections(sign_survey):
    result = train(tiny_config(sign_survey, epochs=1), progress=False)
    split = BlockSplit.from_dict(json.loads((sign_survey / "run" / "config.json").read_text())["split"])
    seen = np.zeros((20, 12), dtype=bool)
    for section in split.sections("train"):
        seen[section.volume_index()] = True
    assert not (seen & split.mask("test", (20, 12))).any()
    assert result.split.test_inlines == split.test_inlines


def test_loaded_run_reproduces_test_scores(sign_survey):
    result = train(tiny_config(sign_survey), progress=False)
    loaded = load_run(sign_survey / "run")
    seismic = np.load(sign_survey / "seismic.npy")
    labels = np.load(sign_survey / "labels.npy")
    prediction = predict_volume(
        loaded.normalizer.transform(seismic),
        torch_predictor(loaded.model, torch.device("cpu")),
        2,
        pad_multiple=pad_multiple(loaded.model_config),
        progress=False,
    )
    block = result.split.test_inlines
    accuracy = np.mean(prediction.facies[block.start : block.stop] == labels[block.start : block.stop])
    assert accuracy == pytest.approx(result.test_scores["pixel_accuracy"], abs=1e-9)


def test_train_rejects_label_shape_mismatch(sign_survey):
    np.save(sign_survey / "short.npy", np.zeros((19, 12, 32), dtype=np.int16))
    with pytest.raises(ShapeMismatchError, match=r"\(19, 12, 32\).*\(20, 12, 32\)|\(20, 12, 32\).*\(19, 12, 32\)"):
        train(tiny_config(sign_survey, labels=str(sign_survey / "short.npy")), progress=False)
    assert not (sign_survey / "run").exists()


def test_training_config_rejects_invalid_values(sign_survey):
    with pytest.raises(InvalidInputError, match="epochs=0"):
        tiny_config(sign_survey, epochs=0)
    with pytest.raises(InvalidInputError, match="'tpu'"):
        tiny_config(sign_survey, device="tpu")


def test_resolve_device():
    assert resolve_device("cpu").type == "cpu"
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert resolve_device("auto").type == expected
    if not torch.cuda.is_available():
        with pytest.raises(InvalidInputError, match="no GPU"):
            resolve_device("cuda")


@pytest.mark.fork_early
def test_torchrun_trains_on_two_processes(sign_survey):
    # Two CPU processes with gloo: one run folder, one JSON line.
    command = [
        sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2",
        "-m", "facies", "-q", "train",
        "--seismic", str(sign_survey / "seismic.npy"), "--labels", str(sign_survey / "labels.npy"),
        "--out", str(sign_survey / "ddp"), "--epochs", "2", "--base-channels", "4", "--depth", "2",
        "--device", "cpu", "--json",
    ]  # fmt: skip
    completed = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert completed.returncode == 0, completed.stderr[-2000:]
    lines = completed.stdout.strip().splitlines()
    assert len(lines) == 1
    assert json.loads(lines[0])["test"]["pixel_accuracy"] > 0
    metrics = json.loads((sign_survey / "ddp" / "metrics.json").read_text())
    assert len(metrics["history"]["train_loss"]) == 2
    assert load_run(sign_survey / "ddp").model_config.n_classes == 2
