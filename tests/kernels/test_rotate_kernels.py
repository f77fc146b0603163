"""Rotation against a numpy reference of the same mapping, and against Pillow."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from ocr import preprocess


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
