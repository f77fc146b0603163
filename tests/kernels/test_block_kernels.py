"""Block statistics, block inversion and background division against numpy."""

from __future__ import annotations

import numpy as np
import pytest

from ocr import preprocess

SHAPES = [(1, 1), (1, 40), (40, 1), (33, 47), (64, 64), (100, 37)]


def tiles(image, block):
    for by in range(-(-image.shape[0] // block)):
        for bx in range(-(-image.shape[1] // block)):
            yield by, bx, image[by * block:(by + 1) * block, bx * block:(bx + 1) * block]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("block", [1, 7, 16, 64])
def test_block_percentiles_match_numpy(shape, block):
    image = np.random.default_rng(block).integers(0, 256, shape, dtype=np.uint8)
    fractions = [0.0, 0.05, 0.5, 0.9, 1.0]
    grid = preprocess.block_percentiles(image, block, fractions)
    assert grid.shape == (-(-shape[0] // block), -(-shape[1] // block), len(fractions))
    for by, bx, tile in tiles(image, block):
        expected = np.percentile(tile, [100 * f for f in fractions], method="lower")
        np.testing.assert_array_equal(grid[by, bx], expected)


@pytest.mark.parametrize("shape", SHAPES)
def test_invert_blocks(shape):
    image = np.random.default_rng(1).integers(0, 256, shape, dtype=np.uint8)
    block = 8
    mask = np.random.default_rng(2).random((-(-shape[0] // block), -(-shape[1] // block))) < 0.5
    expected = image.copy()
    for by, bx, tile in tiles(image, block):
        if mask[by, bx]:
            expected[by * block:(by + 1) * block, bx * block:(bx + 1) * block] = 255 - tile
    np.testing.assert_array_equal(preprocess.invert_blocks(image, mask, block), expected)


def bilinear_reference(grid, block, shape):
    def axis(n, cells):
        c = (np.arange(n) + 0.5) / block - 0.5
        if cells == 1:
            return np.zeros(n, int), np.zeros(n)
        lo = np.clip(np.floor(c).astype(int), 0, cells - 2)
        return lo, c - lo  # beyond the outer centres: extrapolated
    ylo, fy = axis(shape[0], grid.shape[0])
    xlo, fx = axis(shape[1], grid.shape[1])
    g = np.pad(grid.astype(np.float64), ((0, 1), (0, 1)), mode="edge")
    top = g[ylo][:, xlo] * (1 - fx) + g[ylo][:, xlo + 1] * fx
    bottom = g[ylo + 1][:, xlo] * (1 - fx) + g[ylo + 1][:, xlo + 1] * fx
    return top * (1 - fy[:, None]) + bottom * fy[:, None]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("block", [4, 16])
def test_divide_background_matches_reference(shape, block):
    rng = np.random.default_rng(3)
    image = rng.integers(0, 256, shape, dtype=np.uint8)
    grid = rng.uniform(20, 255, (-(-shape[0] // block), -(-shape[1] // block))).astype(np.float32)
    gain = bilinear_reference(255.0 / np.maximum(grid, 1), block, shape)  # the gain is interpolated
    expected = np.floor(np.clip(image * gain + 0.5, 0, 255))
    got = preprocess.divide_background(image, grid, block)
    assert np.abs(got.astype(int) - expected).max() <= 1  # float32 in the kernel


def test_flattening_removes_a_lighting_gradient():
    paper = np.full((120, 300), 230.0)
    paper[50:60, 30:270:10] = 40.0  # ink strokes
    light = np.linspace(1.0, 0.3, 300)[None, :] * np.linspace(1.0, 0.8, 120)[:, None]
    shaded = (paper * light).astype(np.uint8)
    block = 16
    flat = preprocess.divide_background(shaded, preprocess.estimate_background(shaded, block), block)
    before = np.delete(shaded, np.s_[45:65], axis=0)
    paper_levels = np.delete(flat, np.s_[45:65], axis=0)
    assert before.max() - before.min() > 140  # paper went from 230 down to 55
    assert paper_levels.min() >= 225 and paper_levels.std() < 6  # now near white and even
    ink = flat[50:60, 30:270:10]
    assert ink.max() <= 60 and ink.std() < 8  # ink is dark and even across the page


def test_validation():
    image = np.zeros((10, 10), np.uint8)
    with pytest.raises(ValueError, match="mask must have shape"):
        preprocess.invert_blocks(image, np.zeros((1, 1), bool), 4)
    with pytest.raises(ValueError, match="background must have shape"):
        preprocess.divide_background(image, np.zeros((2, 2), np.float32), 4)
    with pytest.raises(ValueError, match="block"):
        preprocess.block_percentiles(image, 0, [0.5])
    with pytest.raises(ValueError, match="fractions"):
        preprocess.block_percentiles(image, 4, [1.5])
