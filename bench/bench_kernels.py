"""Image kernels against the nearest established equivalent, in one run."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from ocr import preprocess

A4 = (3508, 2480)  # 300 dpi


@pytest.fixture(scope="module")
def rgb():
    return np.random.default_rng(0).integers(0, 256, A4 + (3,), dtype=np.uint8)


@pytest.fixture(scope="module")
def gray():
    return np.random.default_rng(1).integers(0, 256, A4, dtype=np.uint8)


@pytest.mark.benchmark(group="rgb to gray, A4 300 dpi")
def bench_gray_ocr(benchmark, rgb):
    out = np.empty(A4, np.uint8)
    benchmark(preprocess.to_gray, rgb, out=out)


@pytest.mark.benchmark(group="rgb to gray, A4 300 dpi")
def bench_gray_pillow(benchmark, rgb):
    image = Image.fromarray(rgb)
    benchmark(image.convert, "L")


@pytest.mark.benchmark(group="rgb to gray, A4 300 dpi")
def bench_gray_numpy(benchmark, rgb):
    weights = np.array([0.299, 0.587, 0.114], np.float32)
    benchmark(lambda: (rgb @ weights).astype(np.uint8))


@pytest.mark.benchmark(group="area downscale 2.5x, A4 300 dpi")
def bench_downscale_ocr(benchmark, gray):
    shape = (round(A4[0] / 2.5), round(A4[1] / 2.5))
    out = np.empty(shape, np.uint8)
    benchmark(preprocess.resize_area, gray, shape, out=out)


@pytest.mark.benchmark(group="area downscale 2.5x, A4 300 dpi")
def bench_downscale_pillow_box(benchmark, gray):
    image = Image.fromarray(gray)
    size = (round(A4[1] / 2.5), round(A4[0] / 2.5))
    benchmark(image.resize, size, Image.Resampling.BOX)
