"""Rotation against a numpy reference of the same mapping, and against Pillow."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from ocr import preprocess
from ocr._kernels import rotate as _rotate


def rotate_reference(src: np.ndarray, degrees: float, fill: int = 255) -> np.ndarray:
    oh, ow = preprocess.rotated_shape(src.shape, degrees)
    c, s = np.cos(np.deg2rad(degrees)), np.sin(np.deg2rad(degrees))
    yy, xx = np.mgrid[:oh, :ow] + 0.5
    dx, dy = xx - ow / 2, yy - oh / 2
    sx = c * dx - s * dy + src.shape[1] / 2 - 0.5
    sy = s * dx + c * dy + src.shape[0] / 2 - 0.5
    padded = np.pad(src.astype(np.float64), 1, constant_values=fill)  # fill beyond the edges
    ix, iy = np.floor(sx).astype(int), np.floor(sy).astype(int)
    inside = (sx > -1) & (sy > -1) & (sx < src.shape[1]) & (sy < src.shape[0])
    ix, iy = np.clip(ix, -1, src.shape[1] - 1) + 1, np.clip(iy, -1, src.shape[0] - 1) + 1
    fx, fy = sx - np.floor(sx), sy - np.floor(sy)
    top = padded[iy, ix] + (padded[iy, ix + 1] - padded[iy, ix]) * fx
    bottom = padded[iy + 1, ix] + (padded[iy + 1, ix + 1] - padded[iy + 1, ix]) * fx
    value = np.floor(top + (bottom - top) * fy + 0.5).clip(0, 255)
    return np.where(inside, value, fill).astype(np.uint8)


@pytest.mark.parametrize("shape", [(1, 1), (1, 30), (30, 1), (37, 53), (64, 48)])
@pytest.mark.parametrize("degrees", [0.0, 0.7, -2.5, 10.0, 45.0, -90.0, 180.0])
def test_matches_reference(shape, degrees):
    src = np.random.default_rng(shape[0]).integers(0, 256, shape, dtype=np.uint8)
    got = preprocess.rotate(src, degrees)
    expected = rotate_reference(src, degrees)
    assert got.shape == expected.shape
    assert np.abs(got.astype(int) - expected).max() <= 1


def rotate_double(src: np.ndarray, degrees: float, fill: int = 255) -> np.ndarray:
    out = np.empty(preprocess.rotated_shape(src.shape, degrees), np.uint8)
    radians = np.deg2rad(degrees)
    _rotate.rotate_bilinear_double(src, out, float(np.cos(radians)), float(np.sin(radians)), fill)
    return out


@pytest.mark.parametrize("shape", [(2, 2), (3, 40), (40, 3), (61, 97), (200, 131)])
@pytest.mark.parametrize("degrees", [0.3, -2.5, 7.0, 45.0, 100.0, -170.0, 271.0])
@pytest.mark.parametrize("fill", [0, 255])
def test_fixed_point_path_agrees_with_double_path(shape, degrees, fill):
    """16.16 positions and Q14 weights (spans of fill, border, core: rows long enough for
    the 8-pixel vector loop and its tail) against positions and weights in double."""
    src = np.random.default_rng(shape[1]).integers(0, 256, shape, dtype=np.uint8)
    got = preprocess.rotate(src, degrees, fill=fill)
    expected = rotate_double(src, degrees, fill)
    assert np.abs(got.astype(int) - expected).max() <= 1
    assert (got != expected).sum() <= max(1, got.size // 100)  # one level off, near .5 ties
    assert np.abs(got.astype(int) - rotate_reference(src, degrees, fill)).max() <= 1


def test_sides_over_32000_take_the_double_path():
    src = np.random.default_rng(3).integers(0, 256, (2, 32100), dtype=np.uint8)
    got = preprocess.rotate(src, 0.1)
    np.testing.assert_array_equal(got, rotate_double(src, 0.1))
    assert np.abs(got.astype(int) - rotate_reference(src, 0.1)).max() <= 1


def test_read_only_input_and_out():
    src = np.random.default_rng(4).integers(0, 256, (50, 70), dtype=np.uint8)
    src.setflags(write=False)
    out = np.empty(preprocess.rotated_shape(src.shape, 3.0), np.uint8)
    assert preprocess.rotate(src, 3.0, out=out) is out
    np.testing.assert_array_equal(out, preprocess.rotate(src.copy(), 3.0))


@pytest.mark.parametrize("degrees", [90, -90, 180])
def test_right_angles_match_pillow_exactly(degrees):
    src = np.random.default_rng(7).integers(0, 256, (40, 60), dtype=np.uint8)
    pil = Image.fromarray(src).rotate(degrees, resample=Image.Resampling.BILINEAR, expand=True)
    np.testing.assert_array_equal(preprocess.rotate(src, degrees), np.asarray(pil))


def test_direction_is_counter_clockwise_as_displayed():
    src = np.full((21, 21), 255, np.uint8)
    src[10, 15:] = 0  # a bar pointing right from the centre
    turned = preprocess.rotate(src, 90)
    ys, xs = np.nonzero(turned < 128)
    assert ys.max() < 10 and abs(xs.mean() - 10) < 1  # now pointing up


def test_identity_fill_and_validation():
    src = np.random.default_rng(1).integers(0, 256, (9, 13), dtype=np.uint8)
    np.testing.assert_array_equal(preprocess.rotate(src, 0), src)
    corner = preprocess.rotate(np.zeros((20, 20), np.uint8), 45, fill=200)
    assert corner[0, 0] == 200
    with pytest.raises(ValueError, match="fill"):
        preprocess.rotate(src, 5, fill=300)
