"""Public image preprocessing functions.

Each function validates its input, raises a user-facing error, and hands C-contiguous
uint8 buffers to a compiled kernel in :mod:`ocr._kernels`, which runs without the GIL.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ._kernels import convert as _convert
from ._kernels import resize as _resize

__all__ = ["to_gray", "apply_lut", "resize_area", "fit_within"]

GrayImage = npt.NDArray[np.uint8]

_CHANNEL_KERNELS = {
    2: _convert.gray_alpha_to_gray,
    3: _convert.rgb_to_gray,
    4: _convert.rgba_to_gray,
}


def _as_uint8(image: object, name: str = "image") -> GrayImage:
    if not isinstance(image, np.ndarray):
        raise TypeError(f"{name} must be a numpy array, got {type(image).__name__}")
    if image.dtype != np.uint8:
        raise TypeError(f"{name} must have dtype uint8, got {image.dtype}")
    if image.size == 0:
        raise ValueError(f"{name} is empty (shape {image.shape})")
    return np.ascontiguousarray(image)


def _output(out: GrayImage | None, shape: tuple[int, int]) -> GrayImage:
    if out is None:
        return np.empty(shape, dtype=np.uint8)
    if not isinstance(out, np.ndarray) or out.dtype != np.uint8 or out.shape != shape:
        raise ValueError(f"out must be a uint8 array of shape {shape}")
    if not out.flags.c_contiguous or not out.flags.writeable:
        raise ValueError("out must be C-contiguous and writeable")
    return out


def to_gray(image: npt.NDArray[np.uint8], *, out: GrayImage | None = None) -> GrayImage:
    """Convert an 8-bit image to 8-bit gray.

    Parameters
    ----------
    image : ndarray of uint8
        ``(H, W)`` gray, ``(H, W, 1)`` gray, ``(H, W, 2)`` gray + alpha, ``(H, W, 3)`` RGB
        or ``(H, W, 4)`` RGBA. Read-only and non-contiguous arrays are accepted.
    out : ndarray of uint8, shape (H, W), optional
        Where to write the result.

    Returns
    -------
    ndarray of uint8, shape (H, W)
        Luma by ITU-R BT.601 weights (0.299 R + 0.587 G + 0.114 B, in the same
        fixed-point arithmetic as Pillow's ``convert("L")``). Transparent pixels are
        composited over white, as Tesseract's own loader does. A gray input without
        ``out`` is returned as is (no copy) when it is already C-contiguous.

    Examples
    --------
    >>> rgb = np.zeros((2, 3, 3), dtype=np.uint8); rgb[..., 0] = 255
    >>> to_gray(rgb)
    array([[76, 76, 76],
           [76, 76, 76]], dtype=uint8)
    """
    src = _as_uint8(image)
    if src.ndim == 3 and src.shape[2] == 1:
        src = src[:, :, 0]
    if src.ndim == 2:
        if out is None:
            return np.ascontiguousarray(src)
        dst = _output(out, src.shape)
        dst[...] = src
        return dst
    if src.ndim != 3 or src.shape[2] not in _CHANNEL_KERNELS:
        raise ValueError(
            f"expected an image of shape (H, W) or (H, W, C) with C in 1..4, got {src.shape}")
    dst = _output(out, src.shape[:2])
    _CHANNEL_KERNELS[src.shape[2]](src, dst)
    return dst


def apply_lut(image: npt.NDArray[np.uint8], lut: npt.NDArray[np.uint8], *,
              out: GrayImage | None = None) -> GrayImage:
    """Map every pixel through a 256-entry table: ``out = lut[image]``."""
    src = _as_uint8(image)
    table = _as_uint8(lut, "lut")
    if src.ndim != 2:
        raise ValueError(f"expected a 2-D image, got shape {src.shape}")
    if table.shape != (256,):
        raise ValueError(f"lut must have shape (256,), got {table.shape}")
    dst = _output(out, src.shape)
    _convert.apply_lut(src, table, dst)
    return dst


def resize_area(image: npt.NDArray[np.uint8], shape: tuple[int, int], *,
                out: GrayImage | None = None) -> GrayImage:
    """Resample a gray image to ``shape`` by area averaging.

    Each output pixel is the mean of the source area it covers, with fractional
    coverage at the edges (the same model as OpenCV's ``INTER_AREA`` when shrinking).
    This is the right filter for shrinking text: no aliasing, no ringing. Memory beyond
    the input and output is proportional to the output width.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W)
    shape : (int, int)
        Output ``(height, width)``, each at least 1.
    out : ndarray of uint8, optional

    Examples
    --------
    >>> resize_area(np.array([[0, 255], [255, 0]], dtype=np.uint8), (1, 1))
    array([[128]], dtype=uint8)
    """
    src = _as_uint8(image)
    if src.ndim != 2:
        raise ValueError(f"expected a 2-D gray image, got shape {src.shape}")
    height, width = (int(v) for v in shape)
    if height < 1 or width < 1:
        raise ValueError(f"output shape must be positive, got {shape}")
    dst = _output(out, (height, width))
    _resize.area_resize(src, dst)
    return dst


def fit_within(image: npt.NDArray[np.uint8], max_side: int | None) -> GrayImage:
    """Shrink a gray image so that its longer side is at most ``max_side`` pixels.

    The aspect ratio is kept (each side rounded, at least 1 px); an image that already
    fits, or ``max_side=None``, is returned unchanged.
    """
    if max_side is None or max(image.shape[:2]) <= max_side:
        return image
    height, width = image.shape[:2]
    factor = max_side / max(height, width)
    return resize_area(image, (max(1, round(height * factor)), max(1, round(width * factor))))
