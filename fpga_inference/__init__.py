"""Deployment layer: OpenVINO export and quantization (torch), runtime and service (no torch)."""
