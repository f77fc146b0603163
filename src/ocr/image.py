"""Decoding every input ``load_image`` accepts into one 8-bit gray numpy array.

Accepted: a path (``str`` or ``os.PathLike``), encoded bytes (``bytes``, ``bytearray``,
``memoryview``), a binary file object, a PIL image of any mode, a numpy array. All
user-facing input errors are raised here.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from typing import Any, BinaryIO, Union

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageOps, UnidentifiedImageError

from . import preprocess
from .errors import ImageLoadError, ImageNotFoundError, UnsupportedImageTypeError

__all__ = ["ImageSource", "LoadedImage", "load", "open_color"]

ImageSource = Union[
    str, "os.PathLike[str]", bytes, bytearray, memoryview, BinaryIO, Image.Image,
    npt.NDArray[Any],
]

_EXIF_ORIENTATION = 0x0112
# Tesseract discards resolutions outside this range and estimates one from the text.
_CREDIBLE_DPI = (70, 2400)


@dataclass(frozen=True, slots=True)
class LoadedImage:
    """A decoded image, ready for preprocessing."""

    pixels: npt.NDArray[np.uint8]
    """Gray pixels, C-contiguous, possibly reduced by ``max_side``."""
    size: tuple[int, int]
    """``(width, height)`` of the image as the caller passed it."""
    dpi: float | None
    """Horizontal resolution of ``size`` when the file declares a credible one."""

    def fit_within(self, max_side: int | None) -> LoadedImage:
        """The same image with its pixels shrunk to ``max_side`` (size and dpi kept)."""
        pixels = preprocess.fit_within(self.pixels, max_side)
        if pixels is self.pixels:
            return self
        return LoadedImage(pixels, self.size, self.dpi)


def load(source: object, *, max_side: int | None = None) -> LoadedImage:
    """Decode ``source`` to gray; reduce it so its longer side is at most ``max_side``.

    Files and encoded bytes are oriented by their EXIF tag; multi-frame files give their
    first frame. JPEGs are decoded straight to gray and, when ``max_side`` asks for it,
    at a reduced DCT scale, so the full-size pixels never exist in memory.
    """
    if isinstance(source, Image.Image):
        return _from_pil(source, "the PIL image", max_side, decoded=True)
    if isinstance(source, np.ndarray):
        pixels = _array_to_gray(source)
        return LoadedImage(pixels, (pixels.shape[1], pixels.shape[0]), None).fit_within(max_side)
    if isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        if not isinstance(path, str):
            raise UnsupportedImageTypeError("bytes paths are not supported; pass a str path or the file's contents")
        return _from_path(path, max_side)
    if isinstance(source, (bytes, bytearray, memoryview)):
        if len(source) == 0:
            raise ImageLoadError("the image data is empty (0 bytes)")
        return _decode(io.BytesIO(source), f"the {len(source)}-byte image data", max_side)
    if hasattr(source, "read"):
        if isinstance(source, io.TextIOBase):
            raise UnsupportedImageTypeError(
                "the file object is open in text mode; open the image with mode 'rb'")
        name = getattr(source, "name", None)
        return _decode(source, f"file object {name!r}" if name else "the file object", max_side)
    raise UnsupportedImageTypeError(
        f"cannot load an image from {type(source).__name__}; pass a path (str or "
        "os.PathLike), encoded bytes, a binary file object, a PIL.Image.Image or a "
        "numpy array")


def open_color(source: object) -> Image.Image:
    """The image as a viewer shows it, in RGB (upright by its EXIF tag, first frame):
    for drawing results on. Accepts what :func:`load` accepts, raises what it raises."""
    if isinstance(source, Image.Image):
        return source.convert("RGB")
    if isinstance(source, np.ndarray):
        gray_or_color = _as_uint8_values(source)
        if gray_or_color.ndim == 3 and gray_or_color.shape[2] in (1, 2):
            gray_or_color = preprocess.to_gray(gray_or_color)
        return Image.fromarray(gray_or_color).convert("RGB")
    if isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        load(path, max_side=1)  # the same errors as load_image, for a missing or bad file
        stream: Any = path
    elif isinstance(source, (bytes, bytearray, memoryview)):
        stream = io.BytesIO(source)
    elif hasattr(source, "read"):
        stream = source
    else:
        return Image.fromarray(load(source).pixels).convert("RGB")  # raises the type error
    try:
        with Image.open(stream) as image:
            image.load()
            return ImageOps.exif_transpose(image).convert("RGB")
    except Exception as exc:
        raise ImageLoadError(f"the image could not be decoded: {exc}") from exc


def _from_path(path: str, max_side: int | None) -> LoadedImage:
    if os.path.isdir(path):
        raise ImageLoadError(f"{path!r} is a directory, not an image file")
    try:
        handle = open(path, "rb")
    except FileNotFoundError as exc:
        raise ImageNotFoundError(exc.errno, "No such image file", path) from exc
    except OSError as exc:
        raise ImageLoadError(f"cannot read image file {path!r}: {exc.strerror or exc}") from exc
    with handle:
        return _decode(handle, repr(path), max_side)


def _decode(stream: Any, what: str, max_side: int | None) -> LoadedImage:
    try:
        image = Image.open(stream)
    except Image.DecompressionBombError as exc:
        raise ImageLoadError(
            f"{what} is refused as a possible decompression bomb: {exc} "
            "Raise PIL.Image.MAX_IMAGE_PIXELS if you trust it.") from exc
    except UnidentifiedImageError as exc:
        raise ImageLoadError(f"{what} is not an image in a format Pillow can read{_format_hint(stream)}") from exc
    with image:
        return _from_pil(image, what, max_side, decoded=False)


def _format_hint(stream: Any) -> str:
    """A hint for data that is not an image but is often mistaken for one."""
    try:
        stream.seek(0)
        head = stream.read(8)
    except Exception:
        return ""
    if isinstance(head, bytes) and head.startswith(b"%PDF"):
        return " (it is a PDF: render its pages to images first, e.g. with pdftoppm)"
    if isinstance(head, bytes) and not head:
        return " (it is empty)"
    return ""


def _from_pil(image: Image.Image, what: str, max_side: int | None, *, decoded: bool) -> LoadedImage:
    size = image.size
    if size[0] == 0 or size[1] == 0:
        raise ImageLoadError(f"{what} is empty ({size[0]}x{size[1]} pixels)")
    dpi = _dpi(image)
    try:
        if not decoded:
            if image.format == "JPEG" and image.mode in ("L", "RGB"):
                target = None
                if max_side is not None and max(size) > max_side:
                    factor = max_side / max(size)
                    target = (max(1, int(size[0] * factor)), max(1, int(size[1] * factor)))
                image.draft("L", target)
            image.load()
            orientation = image.getexif().get(_EXIF_ORIENTATION, 1)
            if orientation not in (1, None):
                image = ImageOps.exif_transpose(image)
                if orientation in (5, 6, 7, 8):
                    size = (size[1], size[0])
        pixels = _pil_to_gray(image)
    except (ImageLoadError, MemoryError):
        raise
    except Exception as exc:  # Pillow's plugins raise OSError, SyntaxError, ValueError, EOFError...
        raise ImageLoadError(f"{what} could not be decoded: {exc}") from exc
    return LoadedImage(pixels, size, dpi).fit_within(max_side)


def _dpi(image: Image.Image) -> float | None:
    dpi = image.info.get("dpi")
    try:
        value = float(dpi[0]) if dpi else None
    except (TypeError, ValueError, IndexError):
        return None
    if value is None or not _CREDIBLE_DPI[0] <= value <= _CREDIBLE_DPI[1]:
        return None
    return value


# Pillow hands pixels to numpy through tobytes(), which joins its output in chunks: a
# whole image would exist three times over. Big images are converted a strip at a time.
_STRIP_BYTES = 1 << 24


def _pil_to_gray(image: Image.Image) -> npt.NDArray[np.uint8]:
    width, height = image.size
    rows = max(1, _STRIP_BYTES // max(1, width * len(image.getbands())))
    if rows >= height:
        return _pil_strip_to_gray(image)
    gray = np.empty((height, width), np.uint8)
    for top in range(0, height, rows):
        bottom = min(height, top + rows)
        gray[top:bottom] = _pil_strip_to_gray(image.crop((0, top, width, bottom)))
    return gray


def _pil_strip_to_gray(image: Image.Image) -> npt.NDArray[np.uint8]:
    mode = image.mode
    if mode == "P":
        return _palette_to_gray(image)
    if mode in ("L", "RGB", "RGBA", "LA"):
        return preprocess.to_gray(np.asarray(image))
    if mode == "1":
        return preprocess.to_gray(np.asarray(image.convert("L")))
    if mode == "F":  # Pillow's float images use the 0..255 scale of its 8-bit modes
        clipped: npt.NDArray[np.float32] = np.clip(np.asarray(image), 0, 255)
        return np.rint(clipped).astype(np.uint8)
    if mode.startswith("I"):
        return _array_to_gray(np.asarray(image))
    if mode in ("PA", "RGBa", "La"):
        return preprocess.to_gray(np.asarray(image.convert("RGBA" if mode != "La" else "LA")))
    # CMYK, YCbCr, LAB, HSV, RGBX: Pillow knows how to get RGB from them.
    return preprocess.to_gray(np.asarray(image.convert("RGB")))


def _palette_to_gray(image: Image.Image) -> npt.NDArray[np.uint8]:
    if "transparency" in image.info:  # tRNS: let Pillow resolve it, then composite
        return preprocess.to_gray(np.asarray(image.convert("RGBA")))
    colors = np.zeros((1, 256, 3), dtype=np.uint8)
    entries = np.asarray(image.getpalette("RGB") or [], dtype=np.uint8).reshape(-1, 3)[:256]
    colors[0, : len(entries)] = entries
    lut = preprocess.to_gray(colors)[0]
    return preprocess.apply_lut(np.asarray(image), lut)


def _array_to_gray(array: npt.NDArray[Any]) -> npt.NDArray[np.uint8]:
    if array.size == 0:
        raise ImageLoadError(f"the array is empty (shape {array.shape})")
    if array.ndim not in (2, 3) or (array.ndim == 3 and array.shape[2] not in (1, 2, 3, 4)):
        raise ImageLoadError(
            f"an array of shape {array.shape} is not an image: expected (H, W) gray, "
            "(H, W, 3) RGB, (H, W, 4) RGBA, (H, W, 2) gray+alpha or (H, W, 1)")
    return preprocess.to_gray(_as_uint8_values(array))


def _as_uint8_values(array: npt.NDArray[Any]) -> npt.NDArray[np.uint8]:
    """8-bit pixel values from any numeric dtype, by the usual convention of each.

    bool: True is white (as PIL mode "1"); uint16: the high byte; other integers:
    taken as is when within 0..255, else as 16-bit when within 0..65535; floats: the
    0.0..1.0 scale of scikit-image.
    """
    kind, itemsize = array.dtype.kind, array.dtype.itemsize
    if kind == "u" and itemsize == 1:
        return array
    if kind == "b":
        return array.astype(np.uint8) * np.uint8(255)
    if kind == "u" and itemsize == 2:
        return (array >> 8).astype(np.uint8)
    if kind in "iu":
        low, high = int(array.min()), int(array.max())
        if low >= 0 and high <= 255:
            return array.astype(np.uint8)
        if low >= 0 and high <= 65535:
            return (array >> 8).astype(np.uint8)
        raise ImageLoadError(
            f"integer pixel values must lie in 0..255 (or 0..65535 for 16-bit), got {low}..{high}")
    if kind == "f":
        lowest, highest = float(np.min(array)), float(np.max(array))
        if not (0.0 <= lowest and highest <= 1.0):  # also rejects NaN
            raise ImageLoadError(f"float pixel values must lie in 0.0..1.0, got {lowest}..{highest}")
        return np.rint(array * 255.0).astype(np.uint8)
    raise ImageLoadError(f"arrays of dtype {array.dtype} are not images")
