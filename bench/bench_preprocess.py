"""Preprocessing kernels against their nearest established equivalents, in one run.

All on one A4 page at 300 dpi (3508 x 2480 gray). OpenCV is timed single-threaded
(the engine runs one kernel per worker thread) and with its default threads.
"""

from __future__ import annotations

import numpy as np
import pytest

from ocr import pipeline, preprocess

import pages

import cv2
from scipy import ndimage
from skimage import filters as skimage_filters


@pytest.fixture(scope="module")
def page():
    """A rendered A4 page under a lighting gradient, with sensor noise."""
    gray = pages.gray(pages.a4_page(dpi=300)).astype(np.float32)
    h, w = gray.shape
    light = np.linspace(1.0, 0.45, w, dtype=np.float32)[None, :]
    noise = np.random.default_rng(0).normal(0, 6, gray.shape).astype(np.float32)
    return np.clip(gray * light + noise, 0, 255).astype(np.uint8)


@pytest.fixture(scope="module")
def binary(page):
    return preprocess.sauvola(page, window=31)


@pytest.fixture
def single_threaded_cv2():
    threads = cv2.getNumThreads()
    cv2.setNumThreads(1)
    yield
    cv2.setNumThreads(threads)


def tesseract_threshold(tessdata: str, method: int):
    import tesserocr

    api = tesserocr.PyTessBaseAPI(path=tessdata + "/", lang="eng",
                                  variables={"thresholding_method": str(method)})

    def run(image: np.ndarray):
        api.SetImageBytes(image.tobytes(), image.shape[1], image.shape[0], 1, image.shape[1])
        return api.GetThresholdedImage()

    return api, run


# -- Otsu -----------------------------------------------------------------------------------------

@pytest.mark.benchmark(group="otsu threshold, A4 300 dpi")
def bench_otsu_ocr(benchmark, page):
    out = np.empty_like(page)
    benchmark(lambda: preprocess.threshold(page, preprocess.otsu_level(page), out=out))


@pytest.mark.benchmark(group="otsu threshold, A4 300 dpi")
def bench_otsu_cv2_1thread(benchmark, page, single_threaded_cv2):
    benchmark(cv2.threshold, page, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)


@pytest.mark.benchmark(group="otsu threshold, A4 300 dpi")
def bench_otsu_cv2(benchmark, page):
    benchmark(cv2.threshold, page, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)


@pytest.mark.benchmark(group="otsu threshold, A4 300 dpi")
def bench_otsu_skimage(benchmark, page):
    benchmark(lambda: page > skimage_filters.threshold_otsu(page))


@pytest.mark.benchmark(group="otsu threshold, A4 300 dpi")
def bench_otsu_tesseract(benchmark, page, tessdata):
    api, run = tesseract_threshold(tessdata, 0)
    with api:
        benchmark(run, page)


def test_otsu_agrees_with_opencv(page):
    level, _ = cv2.threshold(page, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    assert abs(preprocess.otsu_level(page) - level) <= 1


# -- Sauvola and adaptive thresholds ------------------------------------------------------------------

@pytest.mark.benchmark(group="adaptive threshold (window 31), A4 300 dpi")
def bench_sauvola_ocr(benchmark, page):
    out = np.empty_like(page)
    benchmark(preprocess.sauvola, page, window=31, out=out)


@pytest.mark.benchmark(group="adaptive threshold (window 31), A4 300 dpi")
def bench_sauvola_skimage(benchmark, page):
    benchmark.pedantic(lambda: page > skimage_filters.threshold_sauvola(page, window_size=31),
                       rounds=3, iterations=1)


@pytest.mark.benchmark(group="adaptive threshold (window 31), A4 300 dpi")
def bench_sauvola_tesseract(benchmark, page, tessdata):
    api, run = tesseract_threshold(tessdata, 2)
    with api:
        benchmark.pedantic(run, args=(page,), rounds=3, iterations=1)


@pytest.mark.benchmark(group="adaptive threshold (window 31), A4 300 dpi")
def bench_adaptive_mean_cv2_1thread(benchmark, page, single_threaded_cv2):
    # not Sauvola (mean - C, no standard deviation): the nearest OpenCV has in its core
    benchmark(cv2.adaptiveThreshold, page, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, 31, 10)


@pytest.mark.benchmark(group="adaptive threshold (window 31), A4 300 dpi")
def bench_adaptive_mean_cv2(benchmark, page):
    benchmark(cv2.adaptiveThreshold, page, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, 31, 10)


# -- connected components ------------------------------------------------------------------------

@pytest.mark.benchmark(group="connected components with boxes, A4 300 dpi")
def bench_components_ocr(benchmark, binary):
    ink = np.equal(binary, 0).view(np.uint8)
    benchmark(preprocess.component_boxes, ink)


@pytest.mark.benchmark(group="connected components with boxes, A4 300 dpi")
def bench_components_cv2_1thread(benchmark, binary, single_threaded_cv2):
    ink = np.equal(binary, 0).view(np.uint8)
    benchmark(cv2.connectedComponentsWithStats, ink, connectivity=8)


@pytest.mark.benchmark(group="connected components with boxes, A4 300 dpi")
def bench_components_scipy(benchmark, binary):
    ink = binary == 0
    structure = np.ones((3, 3))
    benchmark(lambda: ndimage.find_objects(ndimage.label(ink, structure)[0]))


def test_components_agree_with_opencv(binary):
    ink = np.equal(binary, 0).view(np.uint8)
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    ours = preprocess.component_boxes(ink)
    assert len(ours) == count - 1  # OpenCV counts the background as a component
    assert sorted(ours[:, 4].tolist()) == sorted(stats[1:, cv2.CC_STAT_AREA].tolist())


# -- enlarging --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def small_page(page):
    return np.ascontiguousarray(page[:1200, :1000])


@pytest.mark.benchmark(group="bicubic 2x enlarge, 1000x1200")
def bench_cubic_ocr(benchmark, small_page):
    out = np.empty((2400, 2000), np.uint8)
    benchmark(preprocess.resize_cubic, small_page, (2400, 2000), out=out)


@pytest.mark.benchmark(group="bicubic 2x enlarge, 1000x1200")
def bench_cubic_cv2_1thread(benchmark, small_page, single_threaded_cv2):
    benchmark(cv2.resize, small_page, (2000, 2400), interpolation=cv2.INTER_CUBIC)


@pytest.mark.benchmark(group="bicubic 2x enlarge, 1000x1200")
def bench_cubic_pillow(benchmark, small_page):
    from PIL import Image

    image = Image.fromarray(small_page)
    benchmark(image.resize, (2000, 2400), Image.Resampling.BICUBIC)


# -- background flattening and polarity -------------------------------------------------------------

@pytest.mark.benchmark(group="flatten background (estimate + divide), A4 300 dpi")
def bench_flatten_ocr(benchmark, page):
    def flatten():
        background = preprocess.estimate_background(page, 64)
        return preprocess.divide_background(page, background, 64)
    benchmark(flatten)


@pytest.mark.benchmark(group="flatten background (estimate + divide), A4 300 dpi")
def bench_flatten_cv2_1thread(benchmark, page, single_threaded_cv2):
    # the usual OpenCV recipe: a large median blur of a shrunken page, scaled up, divided out
    def flatten():
        small = cv2.resize(page, (page.shape[1] // 8, page.shape[0] // 8), interpolation=cv2.INTER_AREA)
        background = cv2.resize(cv2.medianBlur(small, 9), (page.shape[1], page.shape[0]),
                                interpolation=cv2.INTER_LINEAR)
        return cv2.divide(page, background, scale=255)
    benchmark(flatten)


@pytest.mark.benchmark(group="histogram, A4 300 dpi")
def bench_histogram_ocr(benchmark, page):
    benchmark(preprocess.histogram, page)


@pytest.mark.benchmark(group="histogram, A4 300 dpi")
def bench_histogram_cv2_1thread(benchmark, page, single_threaded_cv2):
    benchmark(cv2.calcHist, [page], [0], None, [256], [0, 256])


@pytest.mark.benchmark(group="histogram, A4 300 dpi")
def bench_histogram_numpy(benchmark, page):
    benchmark(np.bincount, page.ravel(), minlength=256)


@pytest.mark.benchmark(group="auto preprocessing, whole A4 page")
def bench_auto_pipeline(benchmark, page):
    benchmark.pedantic(pipeline.run_auto, args=(page,), rounds=3, iterations=1)
