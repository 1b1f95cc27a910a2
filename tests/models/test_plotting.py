"""Tests of the PNG figures."""

import numpy as np
import pytest
from matplotlib.image import imread

from models.plotting import (
    class_colours,
    plot_confusion_matrix,
    plot_facies_sections,
    plot_section_overlay,
    plot_training_curve,
)
from seismic.errors import InvalidInputError, ShapeMismatchError
from seismic.labels import ClassTable

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# Pure colours that the seismic grey and matplotlib's decorations never produce.
TABLE = ClassTable(
    names=["red sand", "green shale", "blue salt"],
    colours=["#ff0000", "#00ff00", "#0000ff"],
    kinds=["stratigraphic", "stratigraphic", "geomorphologic"],
)


def read_png(path):
    assert path.read_bytes()[:8] == PNG_SIGNATURE
    return imread(path)


def has_colour(image, rgb, tolerance=0.02):
    return bool((np.abs(image[..., :3] - np.asarray(rgb)) < tolerance).all(axis=-1).any())


def layered_volume(shape=(12, 10, 30)):
    rng = np.random.default_rng(0)
    seismic = rng.normal(size=shape).astype(np.float32)
    facies = np.zeros(shape, dtype=np.int16)
    facies[..., 10:20] = 1
    facies[..., 20:] = 2
    return seismic, facies


def test_confusion_png_size_and_content(tmp_path):
    path = tmp_path / "confusion.png"
    plot_confusion_matrix(np.array([[8, 2], [1, 9]]), ["a", "b"], path)
    image = read_png(path)
    assert image.shape[:2] == (600, 700)
    assert image[..., :3].std() > 0.05


def test_confusion_png_counts_and_custom_size(tmp_path):
    path = tmp_path / "counts.png"
    plot_confusion_matrix(np.array([[0, 0], [3, 0]]), None, path, normalize=False, figsize=(4, 3), dpi=50)
    assert read_png(path).shape[:2] == (150, 200)


def test_confusion_rejects_non_square(tmp_path):
    with pytest.raises(InvalidInputError, match="not square"):
        plot_confusion_matrix(np.zeros((2, 3)), None, tmp_path / "bad.png")
    assert list(tmp_path.iterdir()) == []


def test_training_curve_png(tmp_path):
    path = tmp_path / "curve.png"
    history = {"train_loss": [1.0, 0.6, 0.4], "val_loss": [1.1, 0.7, float("nan")], "val_miou": [0.2, 0.5, 0.7]}
    plot_training_curve(history, path)
    image = read_png(path)
    assert image.shape[:2] == (400, 1000)
    # The first two series take matplotlib's first two cycle colours.
    assert has_colour(image, (0x1F / 255, 0x77 / 255, 0xB4 / 255))
    assert has_colour(image, (0xFF / 255, 0x7F / 255, 0x0E / 255))


def test_training_curve_rejects_empty_history(tmp_path):
    with pytest.raises(InvalidInputError, match="no values"):
        plot_training_curve({"train_loss": []}, tmp_path / "curve.png")
    assert list(tmp_path.iterdir()) == []


def test_facies_sections_show_each_class_colour(tmp_path):
    seismic, facies = layered_volume()
    path = tmp_path / "sections.png"
    plot_facies_sections(None, facies, TABLE, path, title="layers")
    image = read_png(path)
    assert image.shape[:2] == (550, 1500)
    for rgb in ((1, 0, 0), (0, 1, 0), (0, 0, 1)):
        assert has_colour(image, rgb)


def test_facies_sections_overlay_on_seismic(tmp_path):
    seismic, facies = layered_volume()
    path = tmp_path / "overlay.png"
    plot_facies_sections(
        seismic,
        facies,
        TABLE,
        path,
        inlines=np.arange(100, 112),
        crosslines=np.arange(200, 210),
        samples=np.arange(30) * 4.0,
        figsize=(9, 3),
        dpi=80,
    )
    image = read_png(path)
    assert image.shape[:2] == (240, 720)
    # Blended with grey, so no pure class colour, but reddish pixels exist.
    reddish = (image[..., 0] > image[..., 1] + 0.2) & (image[..., 0] > image[..., 2] + 0.2)
    assert reddish.sum() > 100


def test_unlabelled_cells_are_transparent(tmp_path):
    seismic, facies = layered_volume()
    facies[:] = -1
    path = tmp_path / "unlabelled.png"
    plot_facies_sections(seismic, facies, TABLE, path)
    image = read_png(path)
    saturation = image[..., :3].max(axis=-1) - image[..., :3].min(axis=-1)
    assert saturation.max() < 0.05


def test_facies_sections_rejects_mismatched_shapes(tmp_path):
    seismic, facies = layered_volume()
    with pytest.raises(ShapeMismatchError, match=r"\(12, 10, 30\).*\(12, 10, 29\)"):
        plot_facies_sections(seismic, facies[..., :29], TABLE, tmp_path / "bad.png")
    assert list(tmp_path.iterdir()) == []


def test_facies_sections_rejects_index_outside(tmp_path):
    seismic, facies = layered_volume()
    with pytest.raises(InvalidInputError, match="inline index 12"):
        plot_facies_sections(seismic, facies, TABLE, tmp_path / "bad.png", inline_index=12)


def test_section_overlay_vertical_and_plane_view(tmp_path):
    seismic, facies = layered_volume()
    section_path = tmp_path / "inline.png"
    slice_path = tmp_path / "slice.png"
    plot_section_overlay(None, facies[3], TABLE, section_path, title="inline 3")
    plot_section_overlay(seismic[:, :, 25], facies[:, :, 25], TABLE, slice_path, plane_view=True, alpha=1.0)
    section = read_png(section_path)
    plane = read_png(slice_path)
    assert section.shape[:2] == (600, 800)
    assert plane.shape[:2] == (600, 800)
    assert has_colour(section, (0, 1, 0))
    assert has_colour(plane, (0, 0, 1))
    assert not has_colour(plane, (1, 0, 0))


def test_section_overlay_rejects_volume(tmp_path):
    seismic, facies = layered_volume()
    with pytest.raises(InvalidInputError, match="not 2-dimensional"):
        plot_section_overlay(seismic, facies, TABLE, tmp_path / "bad.png")


def test_class_colours_extends_short_table():
    names, colours = class_colours(TABLE, 5)
    assert names == ["red sand", "green shale", "blue salt", "class 3", "class 4"]
    assert colours.shape == (5, 4)
    np.testing.assert_allclose(colours[0], (1, 0, 0, 1))


def test_class_colours_accepts_byte_triples():
    class Table:
        names = ["a"]
        colours = [(255, 128, 0)]

    _, colours = class_colours(Table(), 1)
    np.testing.assert_allclose(colours[0], (1, 128 / 255, 0, 1))
