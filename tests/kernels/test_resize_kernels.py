"""Area resampling against a plain numpy reference (the coverage-matrix form)."""

from __future__ import annotations

import numpy as np
import pytest

from ocr import preprocess
from ocr._kernels import resize as _resize


def coverage(n_src: int, n_out: int) -> np.ndarray:
    """Matrix M (n_out x n_src): M[o, i] = share of source pixel i in output pixel o."""
    scale = n_src / n_out
    m = np.zeros((n_out, n_src))
    for o in range(n_out):
        lo, hi = o * scale, min((o + 1) * scale, n_src)
        for i in range(int(np.floor(lo)), min(int(np.ceil(hi)), n_src)):
            m[o, i] = (min(hi, i + 1) - max(lo, i)) / (hi - lo)
    return m


def area_reference(src: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    out = coverage(src.shape[0], shape[0]) @ src.astype(np.float64) @ coverage(src.shape[1], shape[1]).T
    return np.floor(out + 0.5).clip(0, 255).astype(np.uint8)


CASES = [
    ((4, 4), (2, 2)), ((10, 10), (3, 7)), ((1, 50), (1, 7)), ((50, 1), (7, 1)),
    ((33, 47), (11, 13)), ((100, 80), (99, 79)), ((7, 9), (1, 1)), ((64, 64), (64, 64)),
    ((5, 5), (12, 9)),  # growing: each output pixel takes the source pixel(s) under it
    ((5, 20), (12, 50)),
    # rows wide enough for the vector loops of both passes, plus their scalar tails
    ((40, 333), (13, 129)), ((3, 1000), (2, 999)), ((61, 250), (25, 100)),
    ((300, 500), (7, 37)),  # long spans: many rows per output row, over four taps a column
]


@pytest.mark.parametrize("src_shape, out_shape", CASES)
def test_matches_reference(src_shape, out_shape):
    src = np.random.default_rng(sum(src_shape)).integers(0, 256, src_shape, dtype=np.uint8)
    got = preprocess.resize_area(src, out_shape)
    assert got.shape == out_shape
    # fixed-point weights: at most one level off the exact mean, at .5 ties
    assert np.abs(got.astype(int) - area_reference(src, out_shape)).max() <= 1


def test_integer_factor_is_block_mean():
    src = np.random.default_rng(5).integers(0, 256, (60, 90), dtype=np.uint8)
    blocks = src.reshape(20, 3, 30, 3).astype(np.float64).mean(axis=(1, 3))
    np.testing.assert_array_equal(preprocess.resize_area(src, (20, 30)), np.floor(blocks + 0.5))


def test_constant_image_stays_constant():
    for value in (0, 1, 128, 254, 255):
        src = np.full((37, 53), value, dtype=np.uint8)
        assert set(np.unique(preprocess.resize_area(src, (10, 17)))) == {value}


def test_read_only_and_non_contiguous():
    src = np.random.default_rng(6).integers(0, 256, (40, 60), dtype=np.uint8)
    view = src[::2, 1::2]
    view.setflags(write=False)
    np.testing.assert_array_equal(preprocess.resize_area(view, (7, 9)),
                                  preprocess.resize_area(np.ascontiguousarray(view), (7, 9)))


def test_fit_within_keeps_aspect_and_passes_small_images_through():
    src = np.zeros((300, 1000), dtype=np.uint8)
    assert preprocess.fit_within(src, None) is src
    assert preprocess.fit_within(src, 1000) is src
    assert preprocess.fit_within(src, 500).shape == (150, 500)
    assert preprocess.fit_within(np.zeros((3, 1000), np.uint8), 10).shape == (1, 10)


@pytest.mark.parametrize("shape", [(0, 5), (5, 0), (-1, 3)])
def test_invalid_output_shape(shape):
    with pytest.raises(ValueError):
        preprocess.resize_area(np.zeros((4, 4), np.uint8), shape)


def block_means(src: np.ndarray, fy: int, fx: int) -> np.ndarray:
    """Exact floor(mean + 0.5) of each fy x fx block, in integers."""
    h, w = src.shape[0] // fy, src.shape[1] // fx
    totals = src.reshape(h, fy, w, fx).astype(np.int64).sum(axis=(1, 3))
    return ((2 * totals + fy * fx) // (2 * fy * fx)).astype(np.uint8)


# (fy, fx): the 2x2 row kernel, pairs, triples, the generic block sum, powers of two
# (a shift) and other sizes (multiply and correct), up to the 256-pixel block limit
BLOCKS = [(1, 1), (1, 2), (2, 1), (2, 2), (3, 3), (4, 4), (2, 3), (3, 2), (5, 7), (1, 9),
          (16, 16), (127, 2), (15, 17), (6, 31)]


@pytest.mark.parametrize("fy, fx", BLOCKS)
def test_integer_factors_give_exact_block_means(fy, fx):
    rng = np.random.default_rng(fy * 100 + fx)
    for out_shape in [(1, 1), (3, 17), (5, 37)]:  # widths around the 16-pixel vector step
        src = rng.integers(0, 256, (out_shape[0] * fy, out_shape[1] * fx), dtype=np.uint8)
        got = preprocess.resize_area(src, out_shape)
        np.testing.assert_array_equal(got, block_means(src, fy, fx))
        src[...] = 255  # the largest block sums
        np.testing.assert_array_equal(preprocess.resize_area(src, out_shape), 255)


@pytest.mark.parametrize("fy, fx", [(3, 1), (7, 1), (3, 3), (2, 127), (6, 31), (15, 17), (16, 16)])
def test_block_division_is_exact_for_every_block_sum(fy, fx):
    """Blocks whose sums run through 0 .. 255 * size, each exactly once."""
    size = fy * fx
    totals = np.arange(255 * size + 1)
    blocks = np.clip(totals[:, None] - 255 * np.arange(size), 0, 255).astype(np.uint8)
    src = blocks.reshape(-1, fy, fx).transpose(1, 0, 2).reshape(fy, -1)
    got = preprocess.resize_area(src, (1, len(totals)))
    np.testing.assert_array_equal(got[0], (2 * totals + size) // (2 * size))


@pytest.mark.parametrize("fy, fx", BLOCKS + [(17, 17), (1, 300)])
def test_block_path_agrees_with_weighted_path(fy, fx):
    src = np.random.default_rng(fy + fx).integers(0, 256, (4 * fy, 21 * fx), dtype=np.uint8)
    block = preprocess.resize_area(src, (4, 21))
    weighted = np.empty_like(block)
    _resize.area_resize_weighted(src, weighted)
    assert np.abs(block.astype(int) - weighted).max() <= 1
    # blocks over 256 pixels take the weighted path: still within one level of exact
    assert np.abs(block.astype(int) - block_means(src, fy, fx)).max() <= 1
