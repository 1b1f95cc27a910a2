"""Sample formats, byte order and the IBM float conversion."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest
import segyio

from seismic.errors import SegyFormatError
from seismic.segy import float32_to_ibm, ibm_to_float32, open_segy
from seismic.segy.binary import detect_endian

DATA = Path(__file__).resolve().parents[1] / "data" / "segy"
F3 = Path(__file__).resolve().parents[2] / "data" / "f3.sgy"
MULTIFORMATS = DATA / "segyio" / "multiformats"


@pytest.fixture(scope="module")
def f3_cube() -> np.ndarray:
    """The F3 cut as segyio reads it, the reference for every re-encoded copy."""
    return segyio.tools.cube(str(F3))


class TestIbmConversion:
    # Words and values worked out by hand: sign bit, 7-bit exponent (base 16,
    # bias 64) and a 24-bit fraction.
    @pytest.mark.parametrize(
        ("word", "value"),
        [
            (0x00000000, 0.0),
            (0x41100000, 1.0),  # 16**1 * 1/16
            (0x42640000, 100.0),  # 16**2 * 0x64/256
            (0xC276A000, -118.625),  # -(16**2 * 0x76A/4096)
            (0x40800000, 0.5),  # 16**0 * 8/16
            (0x3F100000, 1.0 / 256),  # 16**-1 * 1/16
        ],
    )
    def test_known_words(self, word: int, value: float) -> None:
        assert ibm_to_float32(np.array([word], dtype=np.uint32))[0] == np.float32(value)

    def test_big_endian_words(self) -> None:
        words = np.frombuffer(bytes.fromhex("42640000c276a000"), dtype=">u4")
        np.testing.assert_array_equal(ibm_to_float32(words), np.array([100.0, -118.625], dtype=np.float32))

    def test_overflow_becomes_infinite(self) -> None:
        # 16**63 * (1 - 2**-24) is far beyond the float32 range.
        assert np.isposinf(ibm_to_float32(np.array([0x7FFFFFFF], dtype=np.uint32))[0])

    def test_round_trip_of_exact_values(self) -> None:
        values = np.array([0.0, 1.0, -1.0, 100.0, -118.625, 0.5, 3.0e5, -7.25e-3], dtype=np.float32)
        words = float32_to_ibm(values)
        np.testing.assert_array_equal(words[:5], np.array([0, 0x41100000, 0xC1100000, 0x42640000, 0xC276A000], dtype=np.uint32))
        np.testing.assert_allclose(ibm_to_float32(words), values, rtol=2.0**-20)

    def test_round_trip_random_values(self) -> None:
        values = np.random.default_rng(0).normal(scale=1e3, size=1000).astype(np.float32)
        np.testing.assert_allclose(ibm_to_float32(float32_to_ibm(values)), values, rtol=2.0**-20)


def ibm_reference(words: np.ndarray) -> np.ndarray:
    """Decode IBM words through float64, where fraction * 2**(4 * exponent - 280) is exact, then round once."""
    words = np.asarray(words, dtype=np.uint32).astype(np.int64)
    sign = np.where(words >> 31, -1.0, 1.0)
    exponent = (words >> 24) & 0x7F
    fraction = (words & 0xFFFFFF).astype(np.float64)
    with np.errstate(over="ignore"):
        return (sign * np.ldexp(fraction, 4 * exponent - 280)).astype(np.float32)


def ibm_files() -> list[Path]:
    """Every test SEG-Y file whose binary header declares IBM floats (format code 1)."""
    found = []
    for path in sorted(DATA.rglob("*")):
        if path.suffix in (".npy", ".md", ".py", ".txt") or not path.is_file():
            continue
        if path.stat().st_size < 3600:
            continue
        header = path.read_bytes()[3224:3226]
        if struct.unpack(">h", header)[0] == 1 or struct.unpack("<h", header)[0] == 1:
            found.append(path)
    return found


class TestIbmDecoderExact:
    # Fractions with one bit set, all bits set, and a few in between, so
    # every exponent meets normal, subnormal, underflowing and overflowing
    # results and unnormalised fractions.
    FRACTIONS = np.array(
        [0, 1, 2, 3, 0x0FFFFF, 0x100000, 0x7FFFFF, 0x800000, 0xFFFFFE, 0xFFFFFF, 0x123456, 0xABCDEF]
        + [1 << bit for bit in range(24)],
        dtype=np.uint32,
    )

    def test_every_sign_and_exponent(self) -> None:
        top = np.arange(256, dtype=np.uint32)[:, None] << np.uint32(24)
        words = (top | self.FRACTIONS[None, :]).ravel()
        decoded = ibm_to_float32(words)
        np.testing.assert_array_equal(decoded.view(np.uint32), ibm_reference(words).view(np.uint32))

    def test_random_words(self) -> None:
        words = np.random.default_rng(7).integers(0, 2**32, 300_000, dtype=np.uint64).astype(np.uint32)
        np.testing.assert_array_equal(ibm_to_float32(words).view(np.uint32), ibm_reference(words).view(np.uint32))

    def test_zeros_among_ordinary_values(self) -> None:
        # Seismic-range values with +0, -0 and zero fractions: the fast path.
        words = float32_to_ibm(np.linspace(-5000, 5000, 200_000))
        words[::7] = 0x00000000
        words[3::11] = 0x80000000
        words[5::13] = 0x42000000  # exponent 66, fraction 0
        words[9::17] = 0xC2000000
        decoded = ibm_to_float32(words)
        np.testing.assert_array_equal(decoded.view(np.uint32), ibm_reference(words).view(np.uint32))
        assert np.signbit(decoded[3])
        assert not np.signbit(decoded[0])

    def test_strided_output_and_untouched_input(self) -> None:
        words = float32_to_ibm(np.arange(-600, 600, dtype=np.float64).reshape(40, 30)).astype(">u4")
        original = words.copy()
        out = np.full((40, 60), -1.0, dtype=np.float32)
        result = ibm_to_float32(words, out=out[:, ::2])
        np.testing.assert_array_equal(out[:, ::2], np.arange(-600, 600, dtype=np.float32).reshape(40, 30))
        np.testing.assert_array_equal(out[:, 1::2], -1.0)
        np.testing.assert_array_equal(words, original)
        assert result.base is out

    def test_output_shape_checked(self) -> None:
        with pytest.raises(ValueError, match="expected float32 of shape"):
            ibm_to_float32(np.zeros(4, dtype=np.uint32), out=np.zeros(5, dtype=np.float32))

    @pytest.mark.parametrize("path", ibm_files(), ids=lambda path: path.name)
    def test_ibm_files_decode_exactly(self, path: Path) -> None:
        # Every 4-byte word after the file header, in both byte orders:
        # the samples, and the trace headers as arbitrary words.
        raw = path.read_bytes()[3600:]
        for order in (">u4", "<u4"):
            words = np.frombuffer(raw[: len(raw) // 4 * 4], dtype=order)
            decoded = ibm_to_float32(words)
            np.testing.assert_array_equal(decoded.view(np.uint32), ibm_reference(words).view(np.uint32))

    @pytest.mark.parametrize("name", ["Format1msb.sgy", "Format1lsb.sgy"])
    def test_reader_decodes_ibm_file_exactly(self, name: str) -> None:
        path = MULTIFORMATS / name
        with open_segy(path) as segy:
            decoded = segy.read_traces()
            order = ">u4" if segy.endian == "big" else "<u4"
            size = segy.n_traces * segy.trace_size
            records = np.frombuffer(path.read_bytes()[-size:], dtype=np.uint8).reshape(segy.n_traces, -1)
        stored = np.ascontiguousarray(records[:, 240:]).view(order)
        np.testing.assert_array_equal(decoded.view(np.uint32), ibm_reference(stored).view(np.uint32))


class TestFormats:
    def test_f3_matches_segyio(self, f3_cube: np.ndarray) -> None:
        with open_segy(F3) as segy:
            assert segy.sample_format == "int16"
            assert segy.format_code == 3
            assert segy.endian == "big"
            np.testing.assert_array_equal(segy.read_volume(), f3_cube)

    def test_little_endian_f3_equals_f3(self, f3_cube: np.ndarray) -> None:
        with open_segy(DATA / "segyio" / "f3-lsb.sgy") as segy:
            assert segy.endian == "little"
            np.testing.assert_array_equal(segy.read_volume(), f3_cube)

    @pytest.mark.parametrize(
        ("code", "name"), [(1, "ibm"), (2, "int32"), (3, "int16"), (5, "ieee"), (6, "ieee64")]
    )
    @pytest.mark.parametrize("order", ["msb", "lsb"])
    def test_format_decodes_like_f3(self, f3_cube: np.ndarray, code: int, name: str, order: str) -> None:
        path = MULTIFORMATS / f"Format{code}{order}.sgy"
        if code == 3 and order == "msb":
            path = F3  # Format3msb.sgy is byte-identical to f3.sgy
        with open_segy(path) as segy:
            assert segy.format_code == code
            assert segy.sample_format == name
            assert segy.endian == ("big" if order == "msb" else "little")
            np.testing.assert_array_equal(segy.read_volume(), f3_cube)

    def test_int8_byte_orders_agree(self) -> None:
        with open_segy(MULTIFORMATS / "Format8msb.sgy") as big, open_segy(MULTIFORMATS / "Format8lsb.sgy") as little:
            assert big.sample_format == little.sample_format == "int8"
            volume = big.read_volume()
            np.testing.assert_array_equal(volume, little.read_volume())
        assert volume.min() >= -128
        assert volume.max() <= 127
        assert np.count_nonzero(volume) > volume.size // 2

    def test_int8_matches_raw_bytes(self) -> None:
        raw = (MULTIFORMATS / "Format8msb.sgy").read_bytes()
        first_trace = np.frombuffer(raw, dtype=np.int8, count=75, offset=3600 + 240)
        with open_segy(MULTIFORMATS / "Format8msb.sgy") as segy:
            np.testing.assert_array_equal(segy.read_traces(0, 1)[0], first_trace.astype(np.float32))

    @pytest.mark.parametrize(("code", "word"), [(7, "24-bit signed"), (15, "24-bit unsigned")])
    def test_24_bit_formats_rejected(self, code: int, word: str) -> None:
        with pytest.raises(SegyFormatError, match=rf"unsupported sample format code {code} \({word}"):
            open_segy(MULTIFORMATS / f"Format{code}msb.sgy")

    @pytest.mark.parametrize(
        "name",
        [
            "00001034.sgy_first_trace",  # IBM, little-endian, ASCII header
            "1.sgy_first_trace",  # int32, big-endian
            "example.y_first_trace",  # int16, big-endian
            "planes.segy_first_trace",  # IBM, little-endian, EBCDIC header
        ],
    )
    def test_field_traces_match_obspy(self, name: str) -> None:
        expected = np.load(DATA / "obspy" / f"{name}.npy").astype(np.float32)
        with open_segy(DATA / "obspy" / name) as segy:
            np.testing.assert_array_equal(segy.read_traces(0, 1), expected)


class TestByteOrder:
    def test_byte_order_word_wins(self) -> None:
        header = bytearray(400)
        struct.pack_into("<h", header, 24, 5)  # a little-endian format code
        struct.pack_into(">I", header, 96, 0x01020304)  # but the byte-order word is big-endian
        assert detect_endian(bytes(header))[0] == "big"

    def test_plausible_fields_decide(self) -> None:
        header = bytearray(400)
        struct.pack_into("<h", header, 24, 1)
        struct.pack_into("<H", header, 20, 1000)
        struct.pack_into("<h", header, 16, 2000)
        assert detect_endian(bytes(header))[0] == "little"

    def test_wrong_endian_option_is_reported(self) -> None:
        with pytest.raises(SegyFormatError, match="invalid sample format code 768.*--endian big"):
            open_segy(F3, endian="little")
