"""Area resampling against a plain numpy reference (the coverage-matrix form)."""

from __future__ import annotations

import numpy as np
import pytest

from ocr import preprocess


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
]


@pytest.mark.parametrize("src_shape, out_shape", CASES)
def test_matches_reference(src_shape, out_shape):
    src = np.random.default_rng(sum(src_shape)).integers(0, 256, src_shape, dtype=np.uint8)
    got = preprocess.resize_area(src, out_shape)
    assert got.shape == out_shape
    # float32 accumulation in the kernel: at most one level off at exact .5 ties
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
