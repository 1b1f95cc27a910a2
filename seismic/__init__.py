"""Data layer: SEG-Y reading and writing, HDF5 volumes, slicing, attributes and synthetic surveys."""
