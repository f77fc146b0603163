"""Public image preprocessing functions.

Each function validates its input, raises a user-facing error, and hands C-contiguous
uint8 buffers to a compiled kernel in :mod:`ocr._kernels`, which runs without the GIL.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from ._kernels import blocks as _blocks
from ._kernels import components as _components
from ._kernels import convert as _convert
from ._kernels import profiles as _profiles
from ._kernels import resize as _resize
from ._kernels import rotate as _rotate
from ._kernels import threshold as _threshold

__all__ = [
    "to_gray",
    "apply_lut",
    "resize_area",
    "resize_cubic",
    "resize",
    "fit_within",
    "histogram",
    "otsu_level",
    "threshold",
    "sauvola",
    "block_percentiles",
    "invert_blocks",
    "estimate_background",
    "divide_background",
    "component_boxes",
    "rotate",
    "rotated_shape",
    "edge_profiles",
]

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


def _as_gray(image: object, name: str = "image") -> GrayImage:
    src = _as_uint8(image, name)
    if src.ndim != 2:
        raise ValueError(f"{name} must be a 2-D gray image, got shape {src.shape}")
    return src


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


def resize_cubic(image: npt.NDArray[np.uint8], shape: tuple[int, int], *,
                 out: GrayImage | None = None) -> GrayImage:
    """Resample a gray image to ``shape`` by bicubic interpolation (Keys 1981, a = -0.5).

    The filter for enlarging: smooth edges without the blockiness of nearest-neighbour
    or the blur of bilinear. For shrinking use :func:`resize_area`.

    Examples
    --------
    >>> resize_cubic(np.array([[0, 255]], dtype=np.uint8), (1, 4))
    array([[  0,  52, 203, 255]], dtype=uint8)
    """
    src = _as_gray(image)
    height, width = (int(v) for v in shape)
    if height < 1 or width < 1:
        raise ValueError(f"output shape must be positive, got {shape}")
    dst = _output(out, (height, width))
    _resize.cubic_resize(src, dst)
    return dst


def resize(image: npt.NDArray[np.uint8], shape: tuple[int, int]) -> GrayImage:
    """Resample to ``shape``: area averaging when shrinking, bicubic when enlarging."""
    src = _as_gray(image)
    if tuple(shape) == src.shape:
        return src
    if shape[0] <= src.shape[0] and shape[1] <= src.shape[1]:
        return resize_area(src, shape)
    return resize_cubic(src, shape)


def histogram(image: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint64]:
    """Counts of each gray level, shape (256,)."""
    counts = np.empty(256, dtype=np.uint64)
    _threshold.histogram(_as_gray(image), counts)
    return counts


def otsu_level(image: npt.NDArray[np.uint8]) -> int:
    """Otsu's (1979) global threshold: the level t that maximises the between-class
    variance of {v <= t} and {v > t}. Ink is ``image <= t``, paper ``image > t``
    (the convention of ``skimage.filters.threshold_otsu``).

    Examples
    --------
    >>> otsu_level(np.array([[10, 10, 200, 200]], dtype=np.uint8))
    10
    """
    counts = histogram(image).astype(np.float64)
    present = np.flatnonzero(counts)
    low, high = int(present[0]), int(present[-1])
    if low == high:
        return low
    counts = counts[low: high + 1]
    levels = np.arange(low, high + 1, dtype=np.float64)
    weight_low = np.cumsum(counts)
    weight_high = np.cumsum(counts[::-1])[::-1]
    mean_low = np.cumsum(counts * levels) / weight_low
    mean_high = (np.cumsum((counts * levels)[::-1]) / weight_high[::-1])[::-1]
    between = weight_low[:-1] * weight_high[1:] * (mean_low[:-1] - mean_high[1:]) ** 2
    return low + int(np.argmax(between))


def threshold(image: npt.NDArray[np.uint8], level: int, *,
              out: GrayImage | None = None) -> GrayImage:
    """Binarize at a fixed level: 255 (paper) where ``image > level``, else 0 (ink).

    Examples
    --------
    >>> threshold(np.array([[0, 100, 101, 255]], dtype=np.uint8), 100)
    array([[  0,   0, 255, 255]], dtype=uint8)
    """
    src = _as_gray(image)
    if isinstance(level, bool) or not isinstance(level, (int, np.integer)):
        raise TypeError(f"level must be an int, got {level!r}")
    if not -1 <= level <= 255:
        raise ValueError(f"level must lie in -1..255, got {level}")
    dst = _output(out, src.shape)
    _threshold.threshold(src, int(level), dst)
    return dst


def sauvola(image: npt.NDArray[np.uint8], *, window: int = 25, k: float = 0.2,
            r: float = 128.0, out: GrayImage | None = None) -> GrayImage:
    """Sauvola & Pietikäinen (2000) adaptive binarization.

    A pixel is paper (255) where ``image > m * (1 + k * (s / r - 1))``, with ``m`` and
    ``s`` the mean and standard deviation of a ``window`` x ``window`` neighbourhood
    (the image reflected at its edges, as ``skimage.filters.threshold_sauvola`` does),
    else ink (0). Copes with uneven lighting that defeats a global threshold.
    Window sums are running sums over columns, updated row by row: the arithmetic of an
    integral image with O(width) memory instead of 12 bytes per pixel. The result is
    ``image > skimage.filters.threshold_sauvola(image, window, k, r)``, bit for bit.

    Parameters
    ----------
    window : odd int >= 3
        About twice the height of the text's strokes to a text-line height.
    k : float
        Sensitivity in 0..1; higher keeps less ink.
    r : float
        The dynamic range of the standard deviation (128 for 8-bit images).

    Examples
    --------
    >>> page = np.full((40, 40), 200, np.uint8); page[18:22, 5:35] = 40
    >>> int((sauvola(page, window=15) == 0).sum())
    120
    """
    src = _as_gray(image)
    if isinstance(window, bool) or not isinstance(window, (int, np.integer)) or window < 3 or window % 2 == 0:
        raise ValueError(f"window must be an odd int >= 3, got {window!r}")
    if not 0.0 <= k <= 1.0 or r <= 0:
        raise ValueError(f"need 0 <= k <= 1 and r > 0, got k={k}, r={r}")
    dst = _output(out, src.shape)
    _threshold.sauvola(src, int(window), float(k), float(r), dst)
    return dst


def block_percentiles(image: npt.NDArray[np.uint8], block: int,
                      fractions: tuple[float, ...] | list[float]) -> npt.NDArray[np.uint8]:
    """Quantiles of each ``block`` x ``block`` tile (edge tiles smaller).

    Returns shape ``(ceil(H / block), ceil(W / block), len(fractions))``; quantile ``q``
    is the value of rank ``floor(q * (n - 1))`` (numpy's ``method="lower"``).
    """
    src = _as_gray(image)
    block = _block_size(block)
    qs = np.ascontiguousarray(fractions, dtype=np.float64)
    if qs.ndim != 1 or qs.size == 0 or qs.min() < 0 or qs.max() > 1:
        raise ValueError(f"fractions must be a non-empty list of numbers in 0..1, got {fractions!r}")
    grid = np.empty((-(-src.shape[0] // block), -(-src.shape[1] // block), qs.size), np.uint8)
    _blocks.block_percentiles(src, block, qs, grid)
    return grid


def invert_blocks(image: npt.NDArray[np.uint8], mask: npt.NDArray[np.bool_], block: int, *,
                  out: GrayImage | None = None) -> GrayImage:
    """Invert (255 - v) the ``block`` x ``block`` tiles where ``mask`` is true."""
    src = _as_gray(image)
    block = _block_size(block)
    grid = _tile_grid(mask, np.uint8, src, block, "mask")
    dst = _output(out, src.shape)
    _blocks.invert_blocks(src, grid, block, dst)
    return dst


def estimate_background(image: npt.NDArray[np.uint8], block: int, *,
                        quantile: float = 0.9) -> npt.NDArray[np.float32]:
    """The paper's brightness per ``block`` x ``block`` tile, for dark text on light paper.

    Each tile's ``quantile`` (its light pixels: paper, since ink covers a minority of
    any tile larger than the strokes), then a 3x3 median over tiles, which drops tiles
    dominated by ink or pictures.
    """
    return median3(block_percentiles(image, block, [quantile])[:, :, 0].astype(np.float32))


def median3(grid: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """3x3 median of a small grid (edges repeated): drops isolated outlier tiles."""
    padded = np.pad(grid, 1, mode="edge")
    h, w = grid.shape
    neighbours = np.stack([padded[dy: dy + h, dx: dx + w] for dy in range(3) for dx in range(3)])
    return np.ascontiguousarray(np.median(neighbours, axis=0), dtype=np.float32)


def divide_background(image: npt.NDArray[np.uint8], background: npt.NDArray[np.float32],
                      block: int, *, out: GrayImage | None = None) -> GrayImage:
    """Divide out the background: ``image * 255 / B`` clipped to 255, B interpolated
    bilinearly from ``background`` (one level per tile, as :func:`estimate_background`
    gives). Paper becomes white everywhere; ink keeps its gray levels relative to the
    paper around it, which is what the recognizer reads."""
    src = _as_gray(image)
    block = _block_size(block)
    grid = _tile_grid(background, np.float32, src, block, "background")
    dst = _output(out, src.shape)
    _blocks.divide_background(src, grid, block, dst)
    return dst


def component_boxes(binary: npt.NDArray[np.uint8]) -> npt.NDArray[np.int64]:
    """Bounding boxes of the 8-connected components of the non-zero pixels.

    Returns an int64 array of shape ``(n, 5)``: ``x0, y0, x1, y1`` (exclusive) and the
    pixel count, in the raster order of each component's first pixel.
    """
    boxes: npt.NDArray[np.int64] = _components.component_boxes(_as_gray(binary, "binary"))
    return boxes


def _tile_grid(values: npt.ArrayLike, dtype: type, image: GrayImage, block: int, name: str) -> Any:
    """``values`` as a C-contiguous grid with one entry per ``block`` tile of ``image``."""
    grid: Any = np.ascontiguousarray(values, dtype=dtype)
    expected = (-(-image.shape[0] // block), -(-image.shape[1] // block))
    if grid.shape != expected:
        raise ValueError(f"{name} must have shape {expected} for block {block}, got {grid.shape}")
    return grid


def _block_size(block: int) -> int:
    if isinstance(block, bool) or not isinstance(block, (int, np.integer)) or block < 1:
        raise ValueError(f"block must be a positive int, got {block!r}")
    return int(block)


def rotated_shape(shape: tuple[int, int], degrees: float) -> tuple[int, int]:
    """The ``(height, width)`` that holds an image of ``shape`` turned by ``degrees``."""
    radians = np.deg2rad(degrees)
    c, s = abs(np.cos(radians)), abs(np.sin(radians))
    height, width = shape
    return (max(1, int(np.ceil(height * c + width * s - 1e-9))),
            max(1, int(np.ceil(width * c + height * s - 1e-9))))


def rotate(image: npt.NDArray[np.uint8], degrees: float, *, fill: int = 255,
           out: GrayImage | None = None) -> GrayImage:
    """Turn a gray image counter-clockwise (as displayed) by ``degrees``, about its centre.

    The result is just big enough to hold the whole turned image (see
    :func:`rotated_shape`), or the shape of ``out``; uncovered corners get ``fill``
    (paper white by default). Bilinear interpolation. For the angle of a page, see
    :func:`ocr.pipeline.skew_angle`.

    Examples
    --------
    >>> rotate(np.array([[0, 255]], dtype=np.uint8), 90)
    array([[255],
           [  0]], dtype=uint8)
    """
    src = _as_gray(image)
    if not 0 <= fill <= 255:
        raise ValueError(f"fill must be a gray level in 0..255, got {fill}")
    radians = float(np.deg2rad(degrees))
    dst = _output(out, rotated_shape(src.shape, degrees)) if out is None else _output(out, out.shape)
    _rotate.rotate_bilinear(src, dst, float(np.cos(radians)), float(np.sin(radians)), int(fill))
    return dst


def edge_profiles(image: npt.NDArray[np.uint8], *, threshold: int = 24
                  ) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.uint32]]:
    """Per row and per column, how many pixels differ from their right neighbour by more
    than ``threshold``: dense in text whatever its polarity or lighting, near zero on
    paper, backgrounds and shadows. Returns ``(rows, columns)``.

    Examples
    --------
    >>> rows, columns = edge_profiles(np.array([[0, 255, 255], [9, 9, 9]], np.uint8))
    >>> rows.tolist(), columns.tolist()
    ([1, 0], [1, 0, 0])
    """
    src = _as_gray(image)
    if not 0 <= threshold <= 254:
        raise ValueError(f"threshold must lie in 0..254, got {threshold}")
    rows = np.empty(src.shape[0], np.uint32)
    columns = np.empty(src.shape[1], np.uint32)
    _profiles.edge_profiles(src, int(threshold), rows, columns)
    return rows, columns
