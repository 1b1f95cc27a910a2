"""Segmentation networks for seismic sections and plane-view slices.

A section model takes a whole section at full depth, shaped
``(batch, channels, n_traces, n_samples)``, and returns class scores of the
same height and width. The encoder halves both axes ``depth`` times, so inputs
must be a multiple of ``2 ** depth`` in each; :func:`pad_multiple` gives that
number and the prediction code pads by reflection.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import torch
from torch import nn

__all__ = ["ModelConfig", "SectionUNet", "build_model", "pad_multiple"]


@dataclass(frozen=True)
class ModelConfig:
    """Architecture of a section segmentation network.

    Parameters
    ----------
    n_classes : int
        Number of facies classes the network scores.
    in_channels : int, default=1
        Input channels (1 for amplitude alone).
    base_channels : int, default=16
        Feature channels of the first encoder stage; each deeper stage doubles them.
    depth : int, default=3
        Number of down-sampling stages.
    dropout : float, default=0.1
        Dropout probability in the bottleneck.
    name : str, default="section_unet"
        Architecture name, stored in checkpoints.
    """

    n_classes: int
    in_channels: int = 1
    base_channels: int = 16
    depth: int = 3
    dropout: float = 0.1
    name: str = "section_unet"

    def __post_init__(self) -> None:
        if self.n_classes < 2:
            raise ValueError(f"n_classes={self.n_classes} is invalid; a segmentation network needs at least 2 classes")
        if self.depth < 1:
            raise ValueError(f"depth={self.depth} is invalid; use at least 1 down-sampling stage")
        if self.base_channels < 1 or self.in_channels < 1:
            raise ValueError(
                f"base_channels={self.base_channels} and in_channels={self.in_channels} must both be at least 1"
            )
        if self.name != "section_unet":
            raise ValueError(f"unknown architecture {self.name!r}; the available one is 'section_unet'")

    def to_dict(self) -> dict[str, Any]:
        """Return the configuration as a JSON-ready dictionary."""
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> ModelConfig:
        """Build a configuration from :meth:`to_dict` output."""
        return cls(**values)


class _DoubleConv(nn.Sequential):
    """Two 3 x 3 convolutions, each followed by batch normalisation and ReLU."""

    def __init__(self, in_channels: int, out_channels: int) -> None:
        super().__init__(
            nn.Conv2d(in_channels, out_channels, kernel_size=3, padding=1, bias=False),
            nn.BatchNorm2d(out_channels),
            nn.ReLU(inplace=True),
            nn.Conv2d(out_channels, out_channels, kernel_size=3, padding=1, bias=False),
            nn.BatchNorm2d(out_channels),
            nn.ReLU(inplace=True),
        )


class SectionUNet(nn.Module):
    """Encoder-decoder with skip connections (U-Net) for full-depth sections.

    Parameters
    ----------
    config : ModelConfig
        The architecture.

    Notes
    -----
    Input ``(batch, in_channels, height, width)`` with height and width
    multiples of ``2 ** config.depth``; output ``(batch, n_classes, height,
    width)`` contains unnormalised class scores (logits).
    """

    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        self.config = config
        widths = [config.base_channels * 2**stage for stage in range(config.depth + 1)]

        self.encoders = nn.ModuleList()
        in_channels = config.in_channels
        for width in widths[:-1]:
            self.encoders.append(_DoubleConv(in_channels, width))
            in_channels = width
        self.pool = nn.MaxPool2d(2)
        self.bottleneck = nn.Sequential(_DoubleConv(widths[-2], widths[-1]), nn.Dropout2d(config.dropout))

        self.upsamplers = nn.ModuleList()
        self.decoders = nn.ModuleList()
        for width_below, width in zip(reversed(widths[1:]), reversed(widths[:-1])):
            self.upsamplers.append(nn.ConvTranspose2d(width_below, width, kernel_size=2, stride=2))
            self.decoders.append(_DoubleConv(2 * width, width))
        self.head = nn.Conv2d(widths[0], config.n_classes, kernel_size=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Score every pixel of a batch of sections."""
        skips = []
        for encoder in self.encoders:
            x = encoder(x)
            skips.append(x)
            x = self.pool(x)
        x = self.bottleneck(x)

        for upsample, decoder, skip in zip(self.upsamplers, self.decoders, reversed(skips)):
            x = upsample(x)
            x = decoder(torch.cat([x, skip], dim=1))
        return self.head(x)


def build_model(config: ModelConfig) -> SectionUNet:
    """Create the network that ``config`` describes, with fresh weights."""
    return SectionUNet(config)


def pad_multiple(config: ModelConfig) -> int:
    """Return the number that input heights and widths must be a multiple of."""
    return 2**config.depth
