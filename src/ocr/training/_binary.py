"""Tesseract's ``TFile`` serialization, little-endian, as a cursor over bytes.

The primitives every serializer in src/lstm and src/ccutil is built from (serialis.h,
matrix.h):

* scalars: their C type, little-endian, unaligned;
* a string: uint32 byte count, then the bytes (no terminator);
* a vector: uint32 element count, then the elements;
* a ``GENERIC_2D_ARRAY``: uint32 dim1, uint32 dim2, one ``empty_`` element (the value
  the array pads with, 0 in every model seen), then dim1 * dim2 elements, row-major.

Big-endian ("swapped") files are not supported: Tesseract has not written one since 4.0.
"""

from __future__ import annotations

import struct
from typing import Any

import numpy as np
import numpy.typing as npt

from ..errors import ModelFormatError

__all__ = ["Reader", "Writer"]

# Tesseract refuses dimensions above UINT16_MAX (GENERIC_2D_ARRAY::DeSerializeSize) and
# vectors or strings above 50M elements (TFile::DeSerialize): bad data, not a model.
_MAX_DIM = 0xFFFF
_MAX_VECTOR = 50_000_000


class Reader:
    """A read cursor over ``data``; every read past the end raises ModelFormatError.

    Parameters
    ----------
    data : bytes
        The serialized object.
    what : str
        What the bytes are, for error messages ("the lstm component of eng.traineddata").
    """

    def __init__(self, data: bytes, what: str) -> None:
        self.data = data
        self.pos = 0
        self.what = what

    def fail(self, message: str) -> ModelFormatError:
        """An error naming the input and the byte offset where reading went wrong."""
        return ModelFormatError(f"{self.what}: {message} (at byte {self.pos})")

    def remaining(self) -> int:
        """The number of bytes not read yet."""
        return len(self.data) - self.pos

    def take(self, n: int) -> bytes:
        """The next ``n`` raw bytes."""
        if n < 0 or self.pos + n > len(self.data):
            raise self.fail(f"truncated: {n} more bytes expected, {self.remaining()} left")
        chunk = self.data[self.pos:self.pos + n]
        self.pos += n
        return chunk

    def _unpack(self, fmt: str) -> Any:
        size = struct.calcsize(fmt)
        return struct.unpack("<" + fmt, self.take(size))[0]

    def i8(self) -> int:
        return int(self._unpack("b"))

    def u8(self) -> int:
        return int(self._unpack("B"))

    def i32(self) -> int:
        return int(self._unpack("i"))

    def u32(self) -> int:
        return int(self._unpack("I"))

    def f32(self) -> float:
        return float(self._unpack("f"))

    def string(self) -> str:
        """A uint32-counted string. Undecodable bytes survive a round trip
        (``surrogateescape``)."""
        n = self.u32()
        if n > _MAX_VECTOR:
            raise self.fail(f"string length {n} is not plausible")
        return self.take(n).decode("utf-8", "surrogateescape")

    def f32_vector(self) -> tuple[float, ...]:
        """A uint32-counted vector of float32, as Python floats (exact)."""
        n = self.u32()
        if n > _MAX_VECTOR:
            raise self.fail(f"vector length {n} is not plausible")
        return struct.unpack(f"<{n}f", self.take(4 * n))

    def f64_array(self) -> npt.NDArray[np.float64]:
        """A uint32-counted vector of float64, as a (writable) numpy array."""
        n = self.u32()
        if n > _MAX_VECTOR:
            raise self.fail(f"vector length {n} is not plausible")
        return np.frombuffer(self.take(8 * n), dtype="<f8").astype(np.float64)

    def array2d(self, dtype: str) -> tuple[npt.NDArray[Any], float]:
        """A GENERIC_2D_ARRAY of ``dtype`` ("<i1" or "<f8"): (array, empty element)."""
        dim1, dim2 = self.u32(), self.u32()
        if dim1 > _MAX_DIM or dim2 > _MAX_DIM:
            raise self.fail(f"2-D array of {dim1} x {dim2} is not plausible")
        item = np.dtype(dtype)
        empty = np.frombuffer(self.take(item.itemsize), dtype=item)[0].item()
        body = self.take(dim1 * dim2 * item.itemsize)
        array = np.frombuffer(body, dtype=item).reshape(dim1, dim2)
        return array.astype(item.newbyteorder("="), copy=True), empty


class Writer:
    """Collects serialized pieces; :meth:`getvalue` joins them."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def getvalue(self) -> bytes:
        return b"".join(self.parts)

    def raw(self, data: bytes) -> None:
        self.parts.append(data)

    def i8(self, value: int) -> None:
        self.parts.append(struct.pack("<b", value))

    def u8(self, value: int) -> None:
        self.parts.append(struct.pack("<B", value))

    def i32(self, value: int) -> None:
        self.parts.append(struct.pack("<i", value))

    def u32(self, value: int) -> None:
        self.parts.append(struct.pack("<I", value))

    def f32(self, value: float) -> None:
        self.parts.append(struct.pack("<f", value))

    def string(self, value: str) -> None:
        data = value.encode("utf-8", "surrogateescape")
        self.u32(len(data))
        self.parts.append(data)

    def f32_vector(self, values: tuple[float, ...]) -> None:
        self.u32(len(values))
        self.parts.append(struct.pack(f"<{len(values)}f", *values))

    def f64_array(self, values: npt.NDArray[np.float64]) -> None:
        self.u32(len(values))
        self.parts.append(np.ascontiguousarray(values, dtype="<f8").tobytes())

    def array2d(self, array: npt.NDArray[Any], dtype: str, empty: float) -> None:
        dim1, dim2 = array.shape
        self.u32(dim1)
        self.u32(dim2)
        self.parts.append(np.array([empty], dtype=dtype).tobytes())
        self.parts.append(np.ascontiguousarray(array, dtype=dtype).tobytes())
