"""Tests of the section segmentation network."""

import pytest
import torch

from models.networks import ModelConfig, build_model, pad_multiple


@pytest.mark.parametrize("depth", [1, 2, 3])
def test_section_unet_keeps_section_size(depth):
    config = ModelConfig(n_classes=5, base_channels=4, depth=depth)
    model = build_model(config).eval()
    multiple = pad_multiple(config)
    inputs = torch.randn(2, 1, 3 * multiple, 5 * multiple)
    with torch.no_grad():
        outputs = model(inputs)
    assert outputs.shape == (2, 5, 3 * multiple, 5 * multiple)


def test_pad_multiple_is_two_to_depth():
    assert pad_multiple(ModelConfig(n_classes=2, depth=3)) == 8
    assert pad_multiple(ModelConfig(n_classes=2, depth=4)) == 16


def test_model_config_round_trip():
    config = ModelConfig(n_classes=6, base_channels=8, depth=2, dropout=0.0)
    assert ModelConfig.from_dict(config.to_dict()) == config


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"n_classes": 1}, "at least 2 classes"),
        ({"n_classes": 3, "depth": 0}, "depth=0"),
        ({"n_classes": 3, "name": "resnet"}, "unknown architecture 'resnet'"),
    ],
)
def test_model_config_rejects_invalid_values(values, message):
    with pytest.raises(ValueError, match=message):
        ModelConfig(**values)


def test_section_unet_learns_a_threshold():
    # Two steps of training on a trivially separable case must lower the loss.
    torch.manual_seed(0)
    model = build_model(ModelConfig(n_classes=2, base_channels=4, depth=1, dropout=0.0))
    inputs = torch.randn(4, 1, 8, 16)
    targets = (inputs[:, 0] > 0).long()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    losses = []
    for _ in range(20):
        loss = torch.nn.functional.cross_entropy(model(inputs), targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert losses[-1] < 0.5 * losses[0]
