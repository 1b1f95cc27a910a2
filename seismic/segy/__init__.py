"""SEG-Y and Seismic Unix reading and writing."""
