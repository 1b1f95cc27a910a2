"""Sample formats of SEG-Y data and their decoding to float32.

The binary header's format code (bytes 3225-3226) names how each sample is
stored. Decoding is vectorised with numpy, including IBM System/360 floats,
which numpy has no dtype for.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "SampleFormat",
    "SAMPLE_FORMATS",
    "UNSUPPORTED_FORMATS",
    "sample_format",
    "ibm_to_float32",
    "float32_to_ibm",
    "decode_samples",
]


@dataclass(frozen=True)
class SampleFormat:
    """One supported sample encoding.

    Attributes
    ----------
    code : int
        The SEG-Y format code (binary-header bytes 3225-3226).
    name : str
        Short name: ``"ibm"``, ``"ieee"``, ``"ieee64"``, ``"int32"``, ``"int16"`` or ``"int8"``.
    itemsize : int
        Bytes per sample.
    kind : str
        numpy kind and size of the stored word without byte order, for example
        ``"i2"``. IBM floats are read as ``"u4"`` words and converted.
    """

    code: int
    name: str
    itemsize: int
    kind: str

    def dtype(self, endian: str) -> np.dtype:
        """Return the numpy dtype of one stored sample in byte order ``endian`` ("big" or "little")."""
        prefix = ">" if endian == "big" else "<"
        return np.dtype(prefix + self.kind)


SAMPLE_FORMATS: dict[int, SampleFormat] = {
    1: SampleFormat(1, "ibm", 4, "u4"),
    2: SampleFormat(2, "int32", 4, "i4"),
    3: SampleFormat(3, "int16", 2, "i2"),
    5: SampleFormat(5, "ieee", 4, "f4"),
    6: SampleFormat(6, "ieee64", 8, "f8"),
    8: SampleFormat(8, "int8", 1, "i1"),
}

# Codes that the SEG-Y standard defines but this reader does not decode. They
# are rejected by name rather than decoded as something else.
UNSUPPORTED_FORMATS: dict[int, str] = {
    4: "32-bit fixed point with gain",
    7: "24-bit signed integer",
    9: "64-bit signed integer",
    10: "32-bit unsigned integer",
    11: "16-bit unsigned integer",
    12: "64-bit unsigned integer",
    15: "24-bit unsigned integer",
    16: "8-bit unsigned integer",
}


def sample_format(code: int) -> SampleFormat | None:
    """Return the supported format for ``code``, or None when this reader cannot decode it."""
    return SAMPLE_FORMATS.get(int(code))


# Words decoded per step of ibm_to_float32. Its scratch arrays of this length
# (256 KiB each) stay in a core's L2 cache, so the several passes over each
# step cost little memory traffic.
_IBM_BLOCK_WORDS = 1 << 16

# The fast path multiplies the fraction, as a float32 integer below 2**24, by
# 2**(4 * exponent - 280), built from its bits as a normal float32. That is
# exact for exponents 39 to 101: the scale is a normal float32 and the
# product is normal or overflows to +-inf. Zero words (a zero magnitude, with
# either sign) decode to +-0 on that path too. A step with any other word
# takes the slower path.
_FAST_LOWEST = 39 << 24
_FAST_END = 102 << 24


def _ibm_rare_exponents(words: np.ndarray) -> np.ndarray:
    """Decode IBM words of any exponent with float32 np.ldexp, slower than the fast path but exact everywhere."""
    fraction = (words & np.uint32(0x00FFFFFF)).astype(np.float32)
    exponent = ((words >> np.uint32(24)) & np.uint32(0x7F)).astype(np.int32)
    # ldexp rounds once, also to subnormals and to +-inf.
    values = np.ldexp(fraction, 4 * exponent - 280)
    return np.where(words >= np.uint32(0x80000000), -values, values)


def _decode_ibm_block(words: np.ndarray, out: np.ndarray, scratch: np.ndarray) -> None:
    """Decode native uint32 IBM words into float32 ``out`` (1-D, same length) with a uint32 scratch array."""
    # Every magnitude (word without its sign) must be below exponent 102, and
    # every non-zero one at least exponent 39. Subtracting 1 wraps a zero
    # magnitude to the largest uint32, so one minimum skips zero words.
    np.bitwise_and(words, 0x7FFFFFFF, out=scratch)
    highest = int(scratch.max())
    np.subtract(scratch, 1, out=scratch)
    if highest >= _FAST_END or int(scratch.min()) < _FAST_LOWEST - 1:
        out[...] = _ibm_rare_exponents(words)
        return

    # The signed scale: the IBM sign bit (bit 31, where float32 keeps its
    # sign too) and the biased float32 exponent 4 * exponent - 280 + 127 in
    # bits 23-30. The subtraction wraps for a zero word, so bit 31 is cleared
    # before the sign goes in, and the finite scale leaves the word's +-0.
    # The output's memory serves as a second uint32 scratch array.
    bits = out.view(np.uint32)
    np.bitwise_and(words, 0x7F000000, out=scratch)
    np.left_shift(scratch, 1, out=scratch)
    np.subtract(scratch, 153 << 23, out=scratch)
    np.bitwise_and(scratch, 0x7FFFFFFF, out=scratch)
    np.bitwise_and(words, 0x80000000, out=bits)
    np.bitwise_or(scratch, bits, out=scratch)

    # The fraction is an integer below 2**24, so its float32 is exact. It is
    # converted in place, from int32 because numpy vectorises that
    # conversion and not the one from uint32.
    np.bitwise_and(words, 0x00FFFFFF, out=bits)
    np.copyto(out, bits.view(np.int32), casting="unsafe")
    np.multiply(out, scratch.view(np.float32), out=out)


def ibm_to_float32(words: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Convert IBM System/360 single-precision floats to IEEE float32.

    The words are decoded in cache-sized steps with uint32 and float32
    integer and bit operations only, so no float64 copy of the input is made.

    Parameters
    ----------
    words : np.ndarray of uint32, any shape
        The raw 32-bit words, in native byte order or as a big- or
        little-endian uint32 view of the file (byte swapping happens per step).
        Strided views, such as the sample field of a memory-mapped file, work.
    out : np.ndarray of float32, same shape, optional
        Where to write the values. A new array by default.

    Returns
    -------
    np.ndarray of float32, same shape
        The values (``out`` when given). IBM magnitudes beyond the float32
        range become +-inf, and those below it become +-0 or a subnormal.
        Every value is the correctly rounded float32 of the IBM number, and a
        zero fraction keeps its sign (-0.0 for a set sign bit).
    """
    words = np.asarray(words)
    if words.dtype.kind != "u" or words.dtype.itemsize != 4:
        words = words.astype(np.uint32)
    if out is None:
        out = np.empty(words.shape, dtype=np.float32)
    elif out.shape != words.shape or out.dtype != np.float32:
        raise ValueError(f"out has shape {out.shape} and dtype {out.dtype}; expected float32 of shape {words.shape}")
    if words.size == 0:
        return out

    length = min(_IBM_BLOCK_WORDS, words.size)
    scratch = np.empty(length, dtype=np.uint32)
    # Buffered iteration hands over 1-D steps of native uint32 words and
    # float32 output, whatever the strides and byte order of the arrays.
    steps = np.nditer(
        [words, out],
        flags=["external_loop", "buffered", "zerosize_ok"],
        op_flags=[["readonly"], ["writeonly"]],
        op_dtypes=[np.uint32, np.float32],
        casting="unsafe",
        buffersize=length,
    )
    with steps, np.errstate(over="ignore"):
        for step_words, step_out in steps:
            n = step_words.shape[0]
            _decode_ibm_block(step_words, step_out, scratch[:n])
    return out


def float32_to_ibm(values: np.ndarray) -> np.ndarray:
    """Convert float values to IBM System/360 single-precision words.

    Parameters
    ----------
    values : np.ndarray of float, any shape
        Finite values. NaN is written as 0, and magnitudes beyond the IBM range
        are clipped to the largest IBM number.

    Returns
    -------
    np.ndarray of uint32, same shape
        The words in native byte order, truncated (not rounded) to 24 fraction bits.
    """
    values = np.nan_to_num(np.asarray(values, dtype=np.float64), nan=0.0)
    sign = np.where(values < 0, np.uint32(0x80000000), np.uint32(0))
    magnitude = np.minimum(np.abs(values), 16.0**63 * (1 - 2.0**-24))

    # Base-16 exponent e with 16**(e - 1) <= magnitude < 16**e, so the
    # fraction magnitude / 16**e lies in [1/16, 1).
    _, binary_exponent = np.frexp(magnitude)
    exponent = np.ceil(binary_exponent / 4.0).astype(np.int64)
    fraction = np.ldexp(magnitude, -4 * exponent)
    mantissa = np.floor(fraction * 2.0**24).astype(np.int64)

    # Rounding of a value just under a power of 16 can fill all 24 bits plus one.
    overflow = mantissa >= 2**24
    mantissa = np.where(overflow, mantissa >> 4, mantissa)
    exponent = np.where(overflow, exponent + 1, exponent)

    biased = np.clip(exponent + 64, 0, 127)
    zero = (magnitude == 0) | (exponent + 64 < 0)
    words = sign | (biased.astype(np.uint32) << np.uint32(24)) | mantissa.astype(np.uint32)
    return np.where(zero, np.uint32(0), words).astype(np.uint32)


def decode_samples(raw: np.ndarray, fmt: SampleFormat, out: np.ndarray | None = None) -> np.ndarray:
    """Decode stored samples to float32.

    Parameters
    ----------
    raw : np.ndarray
        Samples as stored, with the dtype from ``fmt.dtype(endian)``, any shape.
    fmt : SampleFormat
        Their format.
    out : np.ndarray of float32, same shape, optional
        Where to write the values, for example a slice of a larger buffer.
        A new array by default.

    Returns
    -------
    np.ndarray of float32, same shape
        ``out``, or a new array. int32 and float64 samples are rounded to float32.
    """
    if fmt.name == "ibm":
        return ibm_to_float32(raw, out=out)
    if out is None:
        return raw.astype(np.float32)
    if out.shape != raw.shape or out.dtype != np.float32:
        raise ValueError(f"out has shape {out.shape} and dtype {out.dtype}; expected float32 of shape {raw.shape}")
    np.copyto(out, raw, casting="unsafe")
    return out
