"""SEG-Y and Seismic Unix reading and writing.

:func:`open_segy` opens a post-stack file and detects its byte order, sample
format, textual-header encoding and inline/crossline header words. The
returned :class:`SegyFile` reads traces, sections, slices and the whole
volume on an inline x crossline grid with a live-trace mask.
"""

from seismic.segy.coordinates import BinGrid
from seismic.segy.formats import float32_to_ibm, ibm_to_float32
from seismic.segy.geometry import CROSSLINE_BYTES, INLINE_BYTES, Geometry, build_geometry
from seismic.segy.reader import SegyFile, open_segy
from seismic.segy.scan import ScanReport
from seismic.segy.textual import decode_text_header, detect_text_encoding, encode_text_header
from seismic.segy.vertical import SampleAxis

__all__ = [
    "open_segy",
    "SegyFile",
    "Geometry",
    "BinGrid",
    "ScanReport",
    "SampleAxis",
    "INLINE_BYTES",
    "CROSSLINE_BYTES",
    "build_geometry",
    "ibm_to_float32",
    "float32_to_ibm",
    "decode_text_header",
    "detect_text_encoding",
    "encode_text_header",
]

from seismic.segy.writer import build_text_header, write_like, write_segy  # noqa: E402

__all__ += ["write_like", "write_segy", "build_text_header"]
