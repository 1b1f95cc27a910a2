"""Write the synthetic SEG-Y test cases in this folder.

Every sample of the trace at inline ``il`` and crossline ``xl`` is
``100 * il + xl``, so a trace placed in the wrong grid cell shows up as a wrong
value. The files are IEEE float (format 5), big-endian, with an EBCDIC
textual header, 5 samples at 4 ms. Inline numbers sit at trace-header byte 9
and crossline numbers at byte 21; bytes 189-196 are zero, and bytes 1 and 5
count the traces, so a reader must look beyond the standard positions.

Run ``python tests/data/segy/make_cases.py`` to rewrite them. The script uses
only the standard library and numpy, not the code under test.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
N_SAMPLES = 5
INTERVAL_US = 4000


def _text_header(title: str) -> bytes:
    lines = [f"C{number:2d} {text}" for number, text in enumerate([title, "SYNTHETIC TEST CASE", "VALUE = 100 * INLINE + CROSSLINE"], 1)]
    lines += [f"C{number:2d}" for number in range(len(lines) + 1, 41)]
    return "".join(line.ljust(80) for line in lines).encode("cp037")


def _binary_header() -> bytes:
    header = bytearray(400)
    struct.pack_into(">h", header, 16, INTERVAL_US)  # bytes 3217-3218
    struct.pack_into(">H", header, 20, N_SAMPLES)  # bytes 3221-3222
    struct.pack_into(">h", header, 24, 5)  # bytes 3225-3226: IEEE float
    struct.pack_into(">h", header, 28, 4)  # bytes 3229-3230: stacked
    struct.pack_into(">h", header, 54, 1)  # bytes 3255-3256: metres
    return bytes(header)


def _trace(sequence: int, words: dict[int, int], value: float) -> bytes:
    header = bytearray(240)
    struct.pack_into(">i", header, 0, sequence)  # byte 1
    struct.pack_into(">i", header, 4, sequence)  # byte 5
    for byte, word in words.items():
        struct.pack_into(">i", header, byte - 1, word)
    struct.pack_into(">H", header, 114, N_SAMPLES)  # byte 115
    struct.pack_into(">h", header, 116, INTERVAL_US)  # byte 117
    samples = np.full(N_SAMPLES, value, dtype=">f4")
    return bytes(header) + samples.tobytes()


def write_post_stack(path: Path, cells: list[tuple[int, int]], title: str) -> None:
    """Write one trace per (inline, crossline) cell, in the order given."""
    traces = [
        _trace(sequence, {9: inline, 21: crossline}, 100 * inline + crossline)
        for sequence, (inline, crossline) in enumerate(cells, 1)
    ]
    path.write_bytes(_text_header(title) + _binary_header() + b"".join(traces))


def base_cells() -> list[tuple[int, int]]:
    """3 inlines (1-3) x 4 crosslines (10-13), inline-sorted."""
    return [(inline, crossline) for inline in (1, 2, 3) for crossline in (10, 11, 12, 13)]


def _png() -> bytes:
    """A valid 1 x 1 grey PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x80")) + chunk(b"IEND", b"")


def main() -> None:
    # Case 1: inline at byte 9, crossline at byte 21, nothing at 189/193.
    write_post_stack(HERE / "case1_bytes_9_21.sgy", base_cells(), "CASE 1: INLINE BYTE 9, CROSSLINE BYTE 21")

    # Case 2: the trace at inline 2, crossline 11 removed.
    cells = [cell for cell in base_cells() if cell != (2, 11)]
    write_post_stack(HERE / "case2_missing_trace.sgy", cells, "CASE 2: TRACE (2, 11) MISSING")

    # Case 3: ragged edges; inline 1 has crosslines 3-4, inline 2 has 1-5, inline 3 has 0-7.
    cells = [(1, xl) for xl in (3, 4)] + [(2, xl) for xl in range(1, 6)] + [(3, xl) for xl in range(0, 8)]
    write_post_stack(HERE / "case3_ragged.sgy", cells, "CASE 3: RAGGED SURVEY, 15 TRACES")

    # Case 4: the base file with traces 0 and 5 swapped.
    cells = base_cells()
    cells[0], cells[5] = cells[5], cells[0]
    write_post_stack(HERE / "case4_swapped.sgy", cells, "CASE 4: TRACES 0 AND 5 SWAPPED")

    # Case 5: two shots of three channels; field record at byte 9, channel at
    # byte 13, offsets 100/200/300 at byte 37, inline/crossline words zero.
    traces = []
    for shot in (1, 2):
        for channel, offset in zip((1, 2, 3), (100, 200, 300)):
            sequence = (shot - 1) * 3 + channel
            traces.append(_trace(sequence, {9: shot, 13: channel, 37: offset}, float(offset)))
    (HERE / "case5_prestack_shots.sgy").write_bytes(
        _text_header("CASE 5: TWO SHOTS OF THREE CHANNELS") + _binary_header() + b"".join(traces)
    )

    # Case 9: a truncated copy of case 1 (the last trace cut short), an empty
    # file, and a PNG image named .sgy.
    whole = (HERE / "case1_bytes_9_21.sgy").read_bytes()
    (HERE / "case9_truncated.sgy").write_bytes(whole[:-7])
    (HERE / "case9_empty.sgy").write_bytes(b"")
    (HERE / "case9_image.sgy").write_bytes(_png())


if __name__ == "__main__":
    main()
