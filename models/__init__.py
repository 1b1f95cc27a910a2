"""Learning layer: networks, samplers, training, metrics, clustering and interpreter feedback.

Importing this package does not import torch; only the modules that need it do.
"""
