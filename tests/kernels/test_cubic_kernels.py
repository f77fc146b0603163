"""Bicubic enlarging against a plain numpy reference."""

from __future__ import annotations

import numpy as np
import pytest

from ocr import preprocess


def keys(t):
    t = np.abs(t)
    return np.where(t < 1, (1.5 * t - 2.5) * t * t + 1, np.where(t < 2, ((-0.5 * t + 2.5) * t - 4) * t + 2, 0))


def taps(n_src, n_out):
    m = np.zeros((n_out, n_src))
    for o in range(n_out):
        c = (o + 0.5) * n_src / n_out - 0.5
        first = int(np.floor(c)) - 1
        w = keys(c - (first + np.arange(4)))
        for k in range(4):
            m[o, min(max(first + k, 0), n_src - 1)] += w[k] / w.sum()
    return m


def cubic_reference(src, shape):
    out = taps(src.shape[0], shape[0]) @ src.astype(np.float64) @ taps(src.shape[1], shape[1]).T
    return np.floor(out + 0.5).clip(0, 255)


CASES = [((1, 1), (3, 3)), ((1, 5), (1, 11)), ((5, 1), (9, 2)), ((10, 13), (20, 26)),
         ((17, 9), (40, 31)), ((8, 8), (8, 8)),
         # rows wide enough for the 8- and 16-pixel vector loops, plus their tails
         ((3, 40), (7, 97)), ((20, 33), (41, 67)), ((9, 100), (18, 200)),
         ((40, 50), (13, 17)), ((30, 70), (30, 23))]  # shrinking: four taps all the same


@pytest.mark.parametrize("src_shape, out_shape", CASES)
def test_matches_reference(src_shape, out_shape):
    src = np.random.default_rng(sum(src_shape)).integers(0, 256, src_shape, dtype=np.uint8)
    got = preprocess.resize_cubic(src, out_shape)
    # fixed-point weights: at most one level off the float64 result, at .5 ties
    assert np.abs(got.astype(int) - cubic_reference(src, out_shape)).max() <= 1


@pytest.mark.parametrize("pattern", [[0, 255], [0, 0, 255, 255], [255, 0, 0, 255]])
@pytest.mark.parametrize("out_shape", [(50, 50), (37, 61), (100, 100)])
def test_overshoot_is_clamped(pattern, out_shape):
    """Hard edges overshoot the most (bicubic rings below 0 and above 255 in both
    passes): the fixed-point rows must hold it, and the output clamps it."""
    row = np.resize(np.array(pattern, np.uint8), 25)
    src = np.bitwise_xor.outer(row, row)  # 0 and 255 in checks
    got = preprocess.resize_cubic(src, out_shape)
    assert np.abs(got.astype(int) - cubic_reference(src, out_shape)).max() <= 1


def test_exact_on_a_2x_enlarge():
    """At 2x the Keys weights are dyadic (multiples of 2**-7): Q14 holds them exactly."""
    src = np.random.default_rng(9).integers(0, 256, (30, 45), dtype=np.uint8)
    np.testing.assert_array_equal(preprocess.resize_cubic(src, (60, 90)), cubic_reference(src, (60, 90)))


def test_constant_stays_constant_and_identity():
    assert set(np.unique(preprocess.resize_cubic(np.full((5, 7), 90, np.uint8), (13, 20)))) == {90}
    src = np.random.default_rng(0).integers(0, 256, (6, 9), dtype=np.uint8)
    np.testing.assert_array_equal(preprocess.resize_cubic(src, src.shape), src)


def test_resize_picks_the_filter():
    src = np.random.default_rng(1).integers(0, 256, (20, 30), dtype=np.uint8)
    np.testing.assert_array_equal(preprocess.resize(src, (10, 15)), preprocess.resize_area(src, (10, 15)))
    np.testing.assert_array_equal(preprocess.resize(src, (40, 60)), preprocess.resize_cubic(src, (40, 60)))
    assert preprocess.resize(src, (20, 30)) is src
