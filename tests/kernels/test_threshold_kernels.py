"""Thresholds against scikit-image and numpy references."""

from __future__ import annotations

import numpy as np
import pytest

from ocr import preprocess
from ocr._kernels import threshold as _threshold

from skimage import filters

SHAPES = [(1, 1), (1, 29), (29, 1), (5, 7), (64, 48), (101, 77)]


def noisy_page(shape, seed=0):
    rng = np.random.default_rng(seed)
    page = np.full(shape, 200.0) + rng.normal(0, 20, shape)
    page[:, : shape[1] // 3] -= 120  # a dark region, so there are two classes
    yy, xx = np.mgrid[: shape[0], : shape[1]]
    page *= 0.5 + 0.5 * xx / max(shape[1], 1)  # and a lighting gradient
    return page.clip(0, 255).astype(np.uint8)


@pytest.mark.parametrize("shape", SHAPES)
def test_histogram(shape):
    image = noisy_page(shape)
    np.testing.assert_array_equal(preprocess.histogram(image), np.bincount(image.ravel(), minlength=256))


@pytest.mark.parametrize("shape", SHAPES)
def test_otsu_matches_skimage(shape):
    image = noisy_page(shape, seed=1)
    if image.min() == image.max():
        assert preprocess.otsu_level(image) == image.min()
    else:
        assert preprocess.otsu_level(image) == filters.threshold_otsu(image)


def test_otsu_constant_and_two_level_images():
    assert preprocess.otsu_level(np.full((3, 3), 77, np.uint8)) == 77
    two = np.array([[10, 10, 200, 200, 200]], np.uint8)
    assert preprocess.otsu_level(two) == filters.threshold_otsu(two) == 10


@pytest.mark.parametrize("level", [-1, 0, 100, 254, 255])
def test_fixed_threshold(level):
    image = noisy_page((31, 41), seed=2)
    expected = np.where(image > level, 255, 0).astype(np.uint8)
    np.testing.assert_array_equal(preprocess.threshold(image, level), expected)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("window, k", [(3, 0.2), (15, 0.2), (25, 0.34), (51, 0.1)])
def test_sauvola_matches_skimage(shape, window, k):
    image = noisy_page(shape, seed=3)
    expected = image > filters.threshold_sauvola(image, window_size=window, k=k, r=128)
    got = preprocess.sauvola(image, window=window, k=k, r=128) == 255
    # identical arithmetic on exact integer sums; allow float ties only
    assert (got != expected).sum() <= max(1, image.size // 10000)


def sauvola_int64(image, window, k=0.2, r=128.0):
    out = np.empty_like(image)
    _threshold.sauvola_int64(image, window, k, r, out)
    return out


@pytest.mark.parametrize("shape", SHAPES + [(40, 333), (17, 1000)])
@pytest.mark.parametrize("window, k, r", [(3, 0.2, 128), (31, 0.2, 128), (25, 0.5, 128),
                                          (15, 0.0, 128), (15, 1.0, 128), (21, 0.2, 3.0),
                                          (181, 0.3, 128)])
def test_sauvola_fast_path_is_the_int64_path_to_the_bit(shape, window, k, r):
    """Windows up to 181: 32-bit sums and a float32 decision with an error bound, the
    pixels within it decided by scikit-image's formula; the int64 path (every pixel by
    that formula) must give the same bits, for rows through the 16-pixel vector loop
    and its tail, and for large k / r (a wide bound)."""
    image = noisy_page(shape, seed=5)
    got = preprocess.sauvola(image, window=window, k=k, r=r)
    np.testing.assert_array_equal(got, sauvola_int64(image, window, k, r))


@pytest.mark.parametrize("window", [11, 31])
def test_sauvola_exact_ties_on_flat_windows(window):
    """k = 0 puts t at m exactly, and a flat window at p: ink (p > t is false). In float32,
    m' is one ulp below p for 151 of the 256 levels under an 11 x 11 window (and one
    above for 200 under 31 x 31): the error bound must send these to the exact formula."""
    image = np.repeat(np.arange(256, dtype=np.uint8), 3 * window)[None, :].repeat(window, 0)
    expected = image > filters.threshold_sauvola(image, window_size=window, k=0.0, r=128)
    got = preprocess.sauvola(image, window=window, k=0.0)
    np.testing.assert_array_equal(got == 255, expected)
    np.testing.assert_array_equal(got, sauvola_int64(image, window, 0.0))


@pytest.mark.parametrize("k", [0.0, 0.2])
def test_sauvola_ties_are_scikit_images(k):
    """Flat windows put t exactly at m (k = 0) or at m (1 - k): the pixels within the
    float32 bound are decided in float64, as scikit-image does (p > t is false at a tie)."""
    image = np.full((40, 50), 77, np.uint8)
    image[10:30, 20:35] = 200
    image[5, 5] = 78  # a window with the smallest non-zero variance
    expected = image > filters.threshold_sauvola(image, window_size=9, k=k, r=128)
    np.testing.assert_array_equal(preprocess.sauvola(image, window=9, k=k) == 255, expected)


@pytest.mark.parametrize("window", [183, 251])
def test_sauvola_windows_over_181_take_the_int64_path(window):
    image = noisy_page((60, 300), seed=6)
    expected = image > filters.threshold_sauvola(image, window_size=window, k=0.2, r=128)
    got = preprocess.sauvola(image, window=window) == 255
    assert (got != expected).sum() <= 1
    np.testing.assert_array_equal(preprocess.sauvola(image, window=window), sauvola_int64(image, window))


def test_sauvola_largest_sums_of_squares():
    """All-white pixels: the window sums of squares reach 181**2 * 255**2, under 2**31."""
    image = np.full((200, 190), 255, np.uint8)
    image[100, 100] = 0
    np.testing.assert_array_equal(preprocess.sauvola(image, window=181), sauvola_int64(image, 181))


def test_sauvola_reads_text_under_a_shadow():
    page = np.full((60, 200), 220, np.uint8)
    page[25:35, 20:180:6] = 40  # strokes
    shadow = np.linspace(1.0, 0.2, 200)[None, :]
    shaded = (page * shadow).astype(np.uint8)
    binary = preprocess.sauvola(shaded, window=21)
    np.testing.assert_array_equal(binary[25:35, 20:180:6], 0)  # every stroke is ink
    assert (binary[:15] == 255).all() and (binary[45:] == 255).all()  # paper stays paper
    assert (preprocess.threshold(shaded, preprocess.otsu_level(shaded))[:15] == 0).any()  # Otsu fails


def test_read_only_non_contiguous_and_out():
    image = noisy_page((40, 60), seed=4)
    view = image[::2, ::3]
    view.setflags(write=False)
    out = np.empty(view.shape, np.uint8)
    assert preprocess.sauvola(view, window=5, out=out) is out
    np.testing.assert_array_equal(out, preprocess.sauvola(np.ascontiguousarray(view), window=5))
    assert preprocess.otsu_level(view) == filters.threshold_otsu(np.ascontiguousarray(view))


@pytest.mark.parametrize("kwargs", [dict(window=4), dict(window=1), dict(window=3.0), dict(k=-0.1), dict(r=0)])
def test_sauvola_validates(kwargs):
    with pytest.raises(ValueError):
        preprocess.sauvola(np.zeros((5, 5), np.uint8), **kwargs)


@pytest.mark.parametrize("level, error", [(256, ValueError), (-2, ValueError), (1.5, TypeError)])
def test_threshold_validates(level, error):
    with pytest.raises(error):
        preprocess.threshold(np.zeros((5, 5), np.uint8), level)
