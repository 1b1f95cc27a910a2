"""Tests of ``facies evaluate``: scores, the confusion PNG and error lines."""

from __future__ import annotations

import json

import numpy as np
import pytest
from matplotlib.image import imread

from facies.cli import main
from seismic.io import save_volume_h5
from seismic.labels import ClassTable
from seismic.segy.writer import write_segy

# The hand-worked case of the metrics tests on a (2, 5, 1) grid: class 3 is
# predicted once and never labelled, one sample is unlabelled and one has no
# prediction. Pixel accuracy 5/8, class accuracy 11/18, mIoU 1/2, fwIoU 25/48.
LABELS = np.array([0, 0, 0, 1, 1, 2, 2, 2, -1, 0], dtype=np.int16).reshape(2, 5, 1)
PRED = np.array([0, 0, 1, 1, 3, 2, 2, 0, 2, -1], dtype=np.int16).reshape(2, 5, 1)
EXPECTED = {
    "pixel_accuracy": 5 / 8,
    "mean_class_accuracy": 11 / 18,
    "fwiu": 25 / 48,
    "miou": 0.5,
    "per_class_iou": [0.5, 1 / 3, 2 / 3, 0.0],
}


def error_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("error:")]


def run_cli(arguments: list[str]) -> int:
    """Run ``facies`` in-process and return its exit status, including argparse's exits."""
    try:
        return main(arguments)
    except SystemExit as exit_:
        return int(exit_.code)


@pytest.fixture
def npy_pair(tmp_path):
    pred = tmp_path / "pred.npy"
    labels = tmp_path / "labels.npy"
    np.save(pred, PRED)
    np.save(labels, LABELS)
    return pred, labels


def test_json_scores_by_hand(npy_pair, capsys):
    pred, labels = npy_pair
    status = run_cli(["evaluate", str(pred), str(labels), "--json"])
    captured = capsys.readouterr()

    assert status == 0
    lines = captured.out.splitlines()
    assert len(lines) == 1
    scores = json.loads(lines[0])
    assert set(scores) == set(EXPECTED)
    for key in ("pixel_accuracy", "mean_class_accuracy", "fwiu", "miou"):
        assert scores[key] == pytest.approx(EXPECTED[key])
    assert scores["per_class_iou"] == pytest.approx(EXPECTED["per_class_iou"])


def test_confusion_png_beside_pred(npy_pair, capsys):
    pred, labels = npy_pair
    assert run_cli(["evaluate", str(pred), str(labels), "--json"]) == 0
    png = pred.parent / "pred_confusion.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert imread(png).shape[:2] == (600, 700)
    assert sorted(path.name for path in pred.parent.iterdir()) == ["labels.npy", "pred.npy", "pred_confusion.png"]


def test_out_dir_and_table(npy_pair, tmp_path, capsys):
    pred, labels = npy_pair
    out_dir = tmp_path / "report"
    status = run_cli(["evaluate", str(pred), str(labels), "--out-dir", str(out_dir)])
    captured = capsys.readouterr()

    assert status == 0
    assert (out_dir / "pred_confusion.png").is_file()
    assert not (pred.parent / "pred_confusion.png").exists()
    assert "pixel accuracy            0.6250" in captured.out
    assert "mean IoU                  0.5000  (over 3 classes present in the labels)" in captured.out
    # Class 3: IoU 0, no class accuracy, no labelled samples.
    class_rows = [line.split() for line in captured.out.splitlines() if line.split()[:1] == ["3"]]
    assert class_rows == [["3", "class", "3", "0.0000", "-", "0"]]


def test_class_names_from_table(npy_pair, capsys):
    pred, labels = npy_pair
    ClassTable(
        names=["parallel", "chaotic", "clinoform", "channel"],
        colours=["#1f77b4", "#d62728", "#2ca02c", "#9467bd"],
        kinds=["stratigraphic", "stratigraphic", "stratigraphic", "geomorphologic"],
    ).to_json(labels.parent / "classes.json")
    status = run_cli(["evaluate", str(pred), str(labels)])
    captured = capsys.readouterr()

    assert status == 0
    assert "clinoform" in captured.out
    assert "channel" in captured.out


def test_extra_class_from_n_classes(npy_pair, capsys):
    pred, labels = npy_pair
    status = run_cli(["evaluate", str(pred), str(labels), "--json", "--n-classes", "6"])
    scores = json.loads(capsys.readouterr().out)

    assert status == 0
    assert scores["per_class_iou"][4:] == [None, None]
    assert scores["miou"] == pytest.approx(0.5)


def test_segy_inputs(tmp_path, capsys):
    axes = {"inlines": [10, 11], "crosslines": [20, 21, 22, 23, 24], "samples": [0.0]}
    pred = tmp_path / "pred.sgy"
    labels = tmp_path / "labels.sgy"
    write_segy(pred, PRED, sample_format="int16", progress=False, **axes)
    write_segy(labels, LABELS, sample_format="int16", progress=False, **axes)
    status = run_cli(["evaluate", str(pred), str(labels), "--json"])
    scores = json.loads(capsys.readouterr().out)

    assert status == 0
    assert scores["miou"] == pytest.approx(0.5)
    assert scores["fwiu"] == pytest.approx(25 / 48)


def test_hdf5_prediction_reads_facies_dataset(tmp_path, capsys):
    pred = tmp_path / "pred.h5"
    labels = tmp_path / "labels.h5"
    axes = {"inlines": [1, 2], "crosslines": [1, 2, 3, 4, 5], "samples": [0.0]}
    # A prediction file as predict writes it: facies beside other 3-D volumes.
    save_volume_h5(pred, {"confidence": np.ones(PRED.shape, np.float32), "facies": PRED}, **axes)
    save_volume_h5(labels, {"seismic": np.zeros(LABELS.shape, np.float32), "labels": LABELS}, **axes)
    status = run_cli(["evaluate", str(pred), str(labels), "--json"])
    scores = json.loads(capsys.readouterr().out)

    assert status == 0
    assert scores["pixel_accuracy"] == pytest.approx(5 / 8)


def test_dead_traces_ignored(tmp_path, capsys):
    pred = tmp_path / "pred.h5"
    labels = tmp_path / "labels.npy"
    live = np.ones((2, 5), dtype=bool)
    live[1, 2] = False  # The wrong prediction 0 for label 2.
    axes = {"inlines": [1, 2], "crosslines": [1, 2, 3, 4, 5], "samples": [0.0]}
    save_volume_h5(pred, {"facies": PRED}, live=live, **axes)
    np.save(labels, LABELS)
    status = run_cli(["evaluate", str(pred), str(labels), "--json"])
    scores = json.loads(capsys.readouterr().out)

    assert status == 0
    assert scores["pixel_accuracy"] == pytest.approx(5 / 7)


def check_rejected(arguments, capsys, *fragments):
    status = run_cli(arguments)
    captured = capsys.readouterr()
    assert status == 2
    lines = error_lines(captured.err)
    assert len(lines) == 1
    for fragment in fragments:
        assert fragment in lines[0]
    assert "Traceback" not in captured.err
    assert captured.out == ""


def test_shape_mismatch_names_both_shapes(npy_pair, capsys):
    pred, labels = npy_pair
    np.save(labels, np.zeros((2, 4, 1), dtype=np.int16))
    check_rejected(["evaluate", str(pred), str(labels)], capsys, "(2, 5, 1)", "(2, 4, 1)")
    assert sorted(path.name for path in pred.parent.iterdir()) == ["labels.npy", "pred.npy"]


def test_missing_file(npy_pair, capsys):
    pred, _ = npy_pair
    missing = pred.parent / "missing.npy"
    check_rejected(["evaluate", str(pred), str(missing)], capsys, "LABELS", "missing.npy")


def test_fractional_labels(npy_pair, capsys):
    pred, labels = npy_pair
    np.save(labels, LABELS.astype(np.float32) + 0.25)
    check_rejected(["evaluate", str(pred), str(labels)], capsys, "not a class number")
    assert not (pred.parent / "pred_confusion.png").exists()


def test_n_classes_too_small(npy_pair, capsys):
    pred, labels = npy_pair
    check_rejected(["evaluate", str(pred), str(labels), "--n-classes", "3"], capsys, "--n-classes 4")


def test_n_classes_not_a_number(npy_pair, capsys):
    pred, labels = npy_pair
    check_rejected(["evaluate", str(pred), str(labels), "--n-classes", "many"], capsys, "many")


def test_all_unlabelled(npy_pair, capsys):
    pred, labels = npy_pair
    np.save(labels, np.full(LABELS.shape, -1, dtype=np.int16))
    check_rejected(["evaluate", str(pred), str(labels)], capsys, "no labelled samples")
    assert not (pred.parent / "pred_confusion.png").exists()


def test_unknown_file_type(npy_pair, capsys):
    pred, _ = npy_pair
    text = pred.parent / "labels.txt"
    text.write_text("0 1 2\n")
    check_rejected(["evaluate", str(pred), str(text)], capsys, "labels.txt")
