"""Image kernels against the nearest established equivalent, in one run.

Every group times `ocr` beside OpenCV (with its default thread pool and pinned to one
thread: our target is single-threaded parity, as the engine runs one kernel per worker
thread), Pillow and, where it has the operation, scikit-image or numpy. The group
"memory bandwidth" copies a buffer with numpy, the ceiling for the per-pixel kernels.
Each benchmark records the bytes it reads and writes (extra_info["bytes"]), so
bench/ratios.py can print GB/s beside the ratios.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from ocr import preprocess

A4 = (3508, 2480)  # 300 dpi
PIXELS = A4[0] * A4[1]


@pytest.fixture(scope="module")
def cv2():
    import cv2

    return cv2


@pytest.fixture
def cv2_one_thread(cv2):
    threads = cv2.getNumThreads()
    cv2.setNumThreads(1)
    yield cv2
    cv2.setNumThreads(threads)


def image(channels: int, seed: int) -> np.ndarray:
    shape = A4 if channels == 1 else A4 + (channels,)
    return np.random.default_rng(seed).integers(0, 256, shape, dtype=np.uint8)


@pytest.fixture(scope="module")
def gray():
    return image(1, 1)


@pytest.fixture(scope="module")
def rgb():
    return image(3, 0)


@pytest.fixture(scope="module")
def rgba():
    return image(4, 2)


@pytest.fixture(scope="module")
def gray_alpha():
    return image(2, 3)


@pytest.fixture(scope="module")
def lut():
    return (255 - np.arange(256)).astype(np.uint8)


def moves(benchmark, nbytes: int) -> None:
    benchmark.extra_info["bytes"] = nbytes


# -- memory bandwidth: the ceiling for per-pixel kernels -----------------------------

@pytest.mark.benchmark(group="memory bandwidth, A4 RGB-sized buffer")
def bench_copy_numpy(benchmark, rgb):
    out = np.empty_like(rgb)
    moves(benchmark, 2 * rgb.nbytes)
    benchmark(np.copyto, out, rgb)


# -- RGB -> gray -----------------------------------------------------------------------

RGB_GROUP = "rgb to gray, A4 300 dpi"


@pytest.mark.benchmark(group=RGB_GROUP)
def bench_gray_ocr(benchmark, rgb):
    out = np.empty(A4, np.uint8)
    moves(benchmark, rgb.nbytes + out.nbytes)
    benchmark(preprocess.to_gray, rgb, out=out)


@pytest.mark.benchmark(group=RGB_GROUP)
def bench_gray_cv2(benchmark, rgb, cv2):
    out = np.empty(A4, np.uint8)
    moves(benchmark, rgb.nbytes + out.nbytes)
    benchmark(cv2.cvtColor, rgb, cv2.COLOR_RGB2GRAY, dst=out)


@pytest.mark.benchmark(group=RGB_GROUP)
def bench_gray_cv2_1thread(benchmark, rgb, cv2_one_thread):
    cv2 = cv2_one_thread
    out = np.empty(A4, np.uint8)
    moves(benchmark, rgb.nbytes + out.nbytes)
    benchmark(cv2.cvtColor, rgb, cv2.COLOR_RGB2GRAY, dst=out)


@pytest.mark.benchmark(group=RGB_GROUP)
def bench_gray_pillow(benchmark, rgb):
    image = Image.fromarray(rgb)
    moves(benchmark, rgb.nbytes + PIXELS)
    benchmark(image.convert, "L")


@pytest.mark.benchmark(group=RGB_GROUP)
def bench_gray_numpy(benchmark, rgb):
    weights = np.array([0.299, 0.587, 0.114], np.float32)
    moves(benchmark, rgb.nbytes + PIXELS)
    benchmark(lambda: (rgb @ weights).astype(np.uint8))


# -- RGBA -> gray: ours composites over white; OpenCV and Pillow drop the alpha ---------

RGBA_GROUP = "rgba to gray, A4 300 dpi"


@pytest.mark.benchmark(group=RGBA_GROUP)
def bench_rgba_ocr(benchmark, rgba):
    out = np.empty(A4, np.uint8)
    moves(benchmark, rgba.nbytes + out.nbytes)
    benchmark(preprocess.to_gray, rgba, out=out)


@pytest.mark.benchmark(group=RGBA_GROUP)
def bench_rgba_cv2(benchmark, rgba, cv2):
    out = np.empty(A4, np.uint8)
    moves(benchmark, rgba.nbytes + out.nbytes)
    benchmark(cv2.cvtColor, rgba, cv2.COLOR_RGBA2GRAY, dst=out)


@pytest.mark.benchmark(group=RGBA_GROUP)
def bench_rgba_cv2_1thread(benchmark, rgba, cv2_one_thread):
    cv2 = cv2_one_thread
    out = np.empty(A4, np.uint8)
    moves(benchmark, rgba.nbytes + out.nbytes)
    benchmark(cv2.cvtColor, rgba, cv2.COLOR_RGBA2GRAY, dst=out)


@pytest.mark.benchmark(group=RGBA_GROUP)
def bench_rgba_pillow(benchmark, rgba):
    image = Image.fromarray(rgba)
    moves(benchmark, rgba.nbytes + PIXELS)
    benchmark(image.convert, "L")


# -- gray + alpha -> gray: no OpenCV equivalent; Pillow's LA -> L drops the alpha -------

LA_GROUP = "gray+alpha to gray, A4 300 dpi"


@pytest.mark.benchmark(group=LA_GROUP)
def bench_gray_alpha_ocr(benchmark, gray_alpha):
    out = np.empty(A4, np.uint8)
    moves(benchmark, gray_alpha.nbytes + out.nbytes)
    benchmark(preprocess.to_gray, gray_alpha, out=out)


@pytest.mark.benchmark(group=LA_GROUP)
def bench_gray_alpha_pillow(benchmark, gray_alpha):
    image = Image.fromarray(gray_alpha, "LA")
    moves(benchmark, gray_alpha.nbytes + PIXELS)
    benchmark(image.convert, "L")


# -- lookup table ----------------------------------------------------------------------

LUT_GROUP = "lookup table, A4 300 dpi"


@pytest.mark.benchmark(group=LUT_GROUP)
def bench_lut_ocr(benchmark, gray, lut):
    out = np.empty(A4, np.uint8)
    moves(benchmark, 2 * PIXELS)
    benchmark(preprocess.apply_lut, gray, lut, out=out)


@pytest.mark.benchmark(group=LUT_GROUP)
def bench_lut_cv2(benchmark, gray, lut, cv2):
    out = np.empty(A4, np.uint8)
    moves(benchmark, 2 * PIXELS)
    benchmark(cv2.LUT, gray, lut, dst=out)


@pytest.mark.benchmark(group=LUT_GROUP)
def bench_lut_cv2_1thread(benchmark, gray, lut, cv2_one_thread):
    cv2 = cv2_one_thread
    out = np.empty(A4, np.uint8)
    moves(benchmark, 2 * PIXELS)
    benchmark(cv2.LUT, gray, lut, dst=out)


@pytest.mark.benchmark(group=LUT_GROUP)
def bench_lut_pillow(benchmark, gray, lut):
    image = Image.fromarray(gray)
    table = lut.tolist()
    moves(benchmark, 2 * PIXELS)
    benchmark(image.point, table)


@pytest.mark.benchmark(group=LUT_GROUP)
def bench_lut_numpy(benchmark, gray, lut):
    out = np.empty(A4, np.uint8)
    moves(benchmark, 2 * PIXELS)
    benchmark(np.take, lut, gray, out=out)


# -- area downscale: integer factors (OpenCV's block-sum path) and non-integer ones -----

FACTORS = [2, 3, 2.5, 1.37]


def scaled(gray: np.ndarray, factor: float) -> tuple[np.ndarray, tuple[int, int]]:
    """The source and output shape for one factor. An integer factor gets the page cropped
    to a multiple of it (OpenCV takes its block-sum path only for exact factors)."""
    if float(factor).is_integer():
        f = int(factor)
        src = np.ascontiguousarray(gray[: A4[0] // f * f, : A4[1] // f * f])
        return src, (A4[0] // f, A4[1] // f)
    return gray, (round(A4[0] / factor), round(A4[1] / factor))


def area_group(benchmark, factor: float, src: np.ndarray, shape: tuple[int, int]) -> None:
    benchmark.group = f"area downscale {factor}x, A4 300 dpi"
    moves(benchmark, src.nbytes + shape[0] * shape[1])


@pytest.mark.parametrize("factor", FACTORS)
def bench_downscale_ocr(benchmark, gray, factor):
    src, shape = scaled(gray, factor)
    area_group(benchmark, factor, src, shape)
    out = np.empty(shape, np.uint8)
    benchmark(preprocess.resize_area, src, shape, out=out)


@pytest.mark.parametrize("factor", FACTORS)
def bench_downscale_cv2(benchmark, gray, factor, cv2):
    src, shape = scaled(gray, factor)
    area_group(benchmark, factor, src, shape)
    out = np.empty(shape, np.uint8)
    benchmark(cv2.resize, src, shape[::-1], dst=out, interpolation=cv2.INTER_AREA)


@pytest.mark.parametrize("factor", FACTORS)
def bench_downscale_cv2_1thread(benchmark, gray, factor, cv2_one_thread):
    cv2 = cv2_one_thread
    src, shape = scaled(gray, factor)
    area_group(benchmark, factor, src, shape)
    out = np.empty(shape, np.uint8)
    benchmark(cv2.resize, src, shape[::-1], dst=out, interpolation=cv2.INTER_AREA)


@pytest.mark.parametrize("factor", FACTORS)
def bench_downscale_pillow_box(benchmark, gray, factor):
    src, shape = scaled(gray, factor)
    area_group(benchmark, factor, src, shape)
    image = Image.fromarray(src)
    benchmark(image.resize, shape[::-1], Image.Resampling.BOX)


@pytest.mark.parametrize("factor", [f for f in FACTORS if float(f).is_integer()])
def bench_downscale_skimage(benchmark, gray, factor):
    from skimage import transform
    src, shape = scaled(gray, factor)
    area_group(benchmark, factor, src, shape)
    # block means, in float64
    benchmark(transform.downscale_local_mean, src, (factor, factor))
