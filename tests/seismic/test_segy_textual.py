"""Textual headers: EBCDIC/ASCII detection, extended headers, round trips."""

from __future__ import annotations

from pathlib import Path

import pytest

from seismic.segy import decode_text_header, detect_text_encoding, encode_text_header, open_segy

DATA = Path(__file__).resolve().parents[1] / "data" / "segy"
F3 = Path(__file__).resolve().parents[2] / "data" / "f3.sgy"


@pytest.mark.parametrize(
    ("path", "encoding", "phrase"),
    [
        (F3, "ebcdic", "Cropped F3 2-byte integer data set"),
        (DATA / "pygeopressure-f3" / "f3_sparse.sgy", "ascii", "F3 Demo"),
        (DATA / "segyio" / "delay-scalar.sgy", "ascii", "C 1"),
        (DATA / "xtgeo" / "cube_w_deadtraces.segy", "ascii", "OUTPUT FROM XTGEO"),
        (DATA / "obspy" / "00001034.sgy_first_trace", "ascii", "C"),
        (DATA / "obspy" / "planes.segy_first_trace", "ebcdic", "C"),
    ],
)
def test_header_reads_as_text(path: Path, encoding: str, phrase: str) -> None:
    with open_segy(path) as segy:
        text = segy.text_header
        assert segy.text_encoding == encoding
    lines = text.split("\n")
    assert len(lines) == 40
    assert all(len(line) == 80 for line in lines)
    assert phrase in text
    assert text.startswith("C")


def test_ascii_headers_are_plain_text() -> None:
    with open_segy(DATA / "pygeopressure-f3" / "f3_sparse.sgy") as segy:
        text = segy.text_header
    printable = sum(1 for char in text if char == "\n" or " " <= char <= "~")
    assert printable == len(text)


def test_embedded_nul_becomes_space() -> None:
    with open_segy(DATA / "segyio" / "text-embed-null.sgy") as segy:
        assert "\x00" not in segy.text_header
        assert len(segy.text_header) == 40 * 81 - 1


def test_extended_headers_skipped() -> None:
    # The binary header declares 4 extended textual headers before the one trace.
    with open_segy(DATA / "segyio" / "multi-text.sgy") as segy:
        assert len(segy.extended_text_headers) == 4
        assert segy.n_traces == 1
        assert segy.n_samples == 1
        assert all(len(header.split("\n")) == 40 for header in segy.extended_text_headers)


def test_all_nul_header_defaults_to_ebcdic() -> None:
    assert detect_text_encoding(bytes(3200)) == "ebcdic"


@pytest.mark.parametrize("encoding", ["ebcdic", "ascii"])
def test_encode_decode_round_trip(encoding: str) -> None:
    raw = encode_text_header("C 1 FIRST LINE\nC 2 second line, lower case", encoding)
    assert len(raw) == 3200
    assert detect_text_encoding(raw) == encoding
    text, detected = decode_text_header(raw)
    assert detected == encoding
    assert text.split("\n")[1] == "C 2 second line, lower case".ljust(80)
