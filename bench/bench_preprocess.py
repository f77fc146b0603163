"""Preprocessing kernels against their nearest established equivalents, in one run.

All on one A4 page at 300 dpi (3508 x 2480 gray). OpenCV is timed single-threaded
(the engine runs one kernel per worker thread) and with its default threads.
Benchmarks of per-pixel kernels record the bytes they read and write
(extra_info["bytes"]), so bench/ratios.py prints GB/s beside the group "memory
bandwidth", numpy copies timed in the same run.
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


def moves(benchmark, nbytes: int) -> None:
    benchmark.extra_info["bytes"] = nbytes


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


# -- memory bandwidth: the ceiling for per-pixel kernels -----------------------------------------

@pytest.mark.benchmark(group="memory bandwidth")
def bench_copy_page_numpy(benchmark, page):
    # the page the kernels below read (8.7 MB: it stays in this machine's L3 between rounds)
    out = np.empty_like(page)
    moves(benchmark, 2 * page.nbytes)
    benchmark(np.copyto, out, page)


@pytest.mark.benchmark(group="memory bandwidth")
def bench_copy_64mib_numpy(benchmark):
    # a buffer larger than any cache: main memory
    src = np.ones(64 << 20, np.uint8)
    out = np.empty_like(src)
    moves(benchmark, 2 * src.nbytes)
    benchmark(np.copyto, out, src)


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
    moves(benchmark, 2 * page.nbytes)
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
    moves(benchmark, 2 * page.nbytes)
    benchmark(cv2.adaptiveThreshold, page, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, 31, 10)


@pytest.mark.benchmark(group="adaptive threshold (window 31), A4 300 dpi")
def bench_adaptive_mean_cv2(benchmark, page):
    moves(benchmark, 2 * page.nbytes)
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
    moves(benchmark, small_page.nbytes + out.nbytes)
    benchmark(preprocess.resize_cubic, small_page, (2400, 2000), out=out)


@pytest.mark.benchmark(group="bicubic 2x enlarge, 1000x1200")
def bench_cubic_cv2_1thread(benchmark, small_page, single_threaded_cv2):
    out = np.empty((2400, 2000), np.uint8)
    moves(benchmark, small_page.nbytes + out.nbytes)
    benchmark(cv2.resize, small_page, (2000, 2400), dst=out, interpolation=cv2.INTER_CUBIC)


@pytest.mark.benchmark(group="bicubic 2x enlarge, 1000x1200")
def bench_cubic_cv2(benchmark, small_page):
    out = np.empty((2400, 2000), np.uint8)
    moves(benchmark, small_page.nbytes + out.nbytes)
    benchmark(cv2.resize, small_page, (2000, 2400), dst=out, interpolation=cv2.INTER_CUBIC)


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


DIVIDE_GROUP = "divide background (interpolated gain), A4 300 dpi"


@pytest.fixture(scope="module")
def background(page):
    return preprocess.estimate_background(page, 64)


@pytest.mark.benchmark(group=DIVIDE_GROUP)
def bench_divide_ocr(benchmark, page, background):
    out = np.empty_like(page)
    moves(benchmark, 2 * page.nbytes)
    benchmark(preprocess.divide_background, page, background, 64, out=out)


def cv2_divide(page, background):
    # the same operation in OpenCV: the background (one level per tile) enlarged
    # bilinearly to the page, then page * 255 / background
    full = cv2.resize(background, (page.shape[1], page.shape[0]), interpolation=cv2.INTER_LINEAR)
    return cv2.divide(page.astype(np.float32), full, scale=255, dtype=cv2.CV_8U)


@pytest.mark.benchmark(group=DIVIDE_GROUP)
def bench_divide_cv2_1thread(benchmark, page, background, single_threaded_cv2):
    moves(benchmark, 2 * page.nbytes)
    benchmark(cv2_divide, page, background)


@pytest.mark.benchmark(group=DIVIDE_GROUP)
def bench_divide_cv2(benchmark, page, background):
    moves(benchmark, 2 * page.nbytes)
    benchmark(cv2_divide, page, background)


# -- deskew: rotation by a small angle --------------------------------------------------------------

ROTATE_GROUP = "rotate 2.5 degrees (bilinear), A4 300 dpi"
DEGREES = 2.5


def warp_matrix(src_shape, out_shape, degrees):
    """preprocess.rotate's mapping as the inverse map of cv2.warpAffine."""
    (sh, sw), (oh, ow) = src_shape, out_shape
    c, s = np.cos(np.deg2rad(degrees)), np.sin(np.deg2rad(degrees))
    return np.array([[c, -s, c * (0.5 - ow / 2) - s * (0.5 - oh / 2) + sw / 2 - 0.5],
                     [s, c, s * (0.5 - ow / 2) + c * (0.5 - oh / 2) + sh / 2 - 0.5]])


def cv2_rotate(page, out):
    matrix = warp_matrix(page.shape, out.shape, DEGREES)
    return cv2.warpAffine(page, matrix, out.shape[::-1], dst=out, borderValue=255,
                          flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP, borderMode=cv2.BORDER_CONSTANT)


@pytest.fixture(scope="module")
def rotated_shape(page):
    return preprocess.rotated_shape(page.shape, DEGREES)


@pytest.mark.benchmark(group=ROTATE_GROUP)
def bench_rotate_ocr(benchmark, page, rotated_shape):
    out = np.empty(rotated_shape, np.uint8)
    moves(benchmark, page.nbytes + out.nbytes)
    benchmark(preprocess.rotate, page, DEGREES, out=out)


@pytest.mark.benchmark(group=ROTATE_GROUP)
def bench_rotate_cv2_1thread(benchmark, page, rotated_shape, single_threaded_cv2):
    out = np.empty(rotated_shape, np.uint8)
    moves(benchmark, page.nbytes + out.nbytes)
    benchmark(cv2_rotate, page, out)


@pytest.mark.benchmark(group=ROTATE_GROUP)
def bench_rotate_cv2(benchmark, page, rotated_shape):
    out = np.empty(rotated_shape, np.uint8)
    moves(benchmark, page.nbytes + out.nbytes)
    benchmark(cv2_rotate, page, out)


@pytest.mark.benchmark(group=ROTATE_GROUP)
def bench_rotate_pillow(benchmark, page, rotated_shape):
    from PIL import Image

    image = Image.fromarray(page)
    moves(benchmark, page.nbytes + rotated_shape[0] * rotated_shape[1])
    benchmark(image.rotate, DEGREES, Image.Resampling.BILINEAR, expand=True, fillcolor=255)


def test_rotate_agrees_with_opencv(page, rotated_shape):
    ours = preprocess.rotate(page, DEGREES)
    theirs = cv2_rotate(page, np.empty(rotated_shape, np.uint8))
    difference = np.abs(ours.astype(int) - theirs)
    # OpenCV rounds positions to 1/32 px (INTER_BITS), we to 1/16384: a few levels apart
    # on the steepest edges, the same almost everywhere
    assert difference.max() <= 8 and difference.mean() < 0.05


# -- edge profiles (tiling: where to cut a page) ------------------------------------------------------

EDGES_GROUP = "edge profiles (horizontal edges per row and column), A4 300 dpi"


@pytest.mark.benchmark(group=EDGES_GROUP)
def bench_edges_ocr(benchmark, page):
    moves(benchmark, page.nbytes)
    benchmark(preprocess.edge_profiles, page, threshold=24)


def numpy_edges(page):
    edges = np.abs(np.diff(page.astype(np.int16), axis=1)) > 24
    return edges.sum(axis=1), edges.sum(axis=0)


def cv2_edges(page):
    # a horizontal Sobel (a smoothed difference, not the same count), its magnitude
    # thresholded to 0/1, reduced to its row and column sums
    magnitude = cv2.convertScaleAbs(cv2.Sobel(page, cv2.CV_16S, 1, 0))
    _, edges = cv2.threshold(magnitude, 4 * 24, 1, cv2.THRESH_BINARY)
    return (cv2.reduce(edges, 1, cv2.REDUCE_SUM, dtype=cv2.CV_32S),
            cv2.reduce(edges, 0, cv2.REDUCE_SUM, dtype=cv2.CV_32S))


@pytest.mark.benchmark(group=EDGES_GROUP)
def bench_edges_numpy(benchmark, page):
    moves(benchmark, page.nbytes)
    benchmark(numpy_edges, page)


@pytest.mark.benchmark(group=EDGES_GROUP)
def bench_edges_cv2_sobel_1thread(benchmark, page, single_threaded_cv2):
    moves(benchmark, page.nbytes)
    benchmark(cv2_edges, page)


@pytest.mark.benchmark(group=EDGES_GROUP)
def bench_edges_cv2_sobel(benchmark, page):
    moves(benchmark, page.nbytes)
    benchmark(cv2_edges, page)


def test_edges_agree_with_numpy(page):
    rows, columns = preprocess.edge_profiles(page, threshold=24)
    expected_rows, expected_columns = numpy_edges(page)
    np.testing.assert_array_equal(rows, expected_rows)
    np.testing.assert_array_equal(columns[:-1], expected_columns)


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
