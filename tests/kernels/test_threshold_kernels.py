"""Thresholds against scikit-image and numpy references."""

from __future__ import annotations

import numpy as np
import pytest

from ocr import preprocess

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
