"""Gray conversion kernels against plain numpy references."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from ocr import preprocess

SHAPES = [(1, 1), (1, 17), (17, 1), (3, 5), (31, 47), (64, 64)]


def luma_reference(rgb: np.ndarray) -> np.ndarray:
    r, g, b = (rgb[..., i].astype(np.uint32) for i in range(3))
    return ((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16).astype(np.uint8)


def over_white_reference(value: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    v, a = value.astype(np.float64), alpha.astype(np.float64)
    return np.floor((v * a + 255.0 * (255.0 - a)) / 255.0 + 0.5).astype(np.uint8)


def random_image(shape: tuple[int, ...], seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, size=shape, dtype=np.uint8)


@pytest.mark.parametrize("shape", SHAPES)
def test_rgb_matches_reference_and_pillow(shape):
    rgb = random_image(shape + (3,))
    gray = preprocess.to_gray(rgb)
    np.testing.assert_array_equal(gray, luma_reference(rgb))
    np.testing.assert_array_equal(gray, np.asarray(Image.fromarray(rgb, "RGB").convert("L")))


@pytest.mark.parametrize("shape", SHAPES)
def test_rgba_composites_over_white(shape):
    rgba = random_image(shape + (4,), seed=1)
    expected = over_white_reference(luma_reference(rgba[..., :3]), rgba[..., 3])
    np.testing.assert_array_equal(preprocess.to_gray(rgba), expected)


def test_alpha_extremes():
    rgba = np.zeros((2, 2, 4), dtype=np.uint8)  # black ink...
    rgba[0, :, 3] = 255  # ...opaque on the first row, fully transparent on the second
    np.testing.assert_array_equal(preprocess.to_gray(rgba), [[0, 0], [255, 255]])


@pytest.mark.parametrize("shape", SHAPES)
def test_gray_alpha(shape):
    la = random_image(shape + (2,), seed=2)
    np.testing.assert_array_equal(preprocess.to_gray(la), over_white_reference(la[..., 0], la[..., 1]))


def test_gray_input_is_returned_without_copy_and_single_channel_squeezed():
    gray = random_image((5, 7))
    assert preprocess.to_gray(gray) is gray
    np.testing.assert_array_equal(preprocess.to_gray(gray[:, :, None]), gray)


def test_read_only_and_non_contiguous_inputs():
    rgb = random_image((20, 30, 3), seed=3)
    rgb.setflags(write=False)
    np.testing.assert_array_equal(preprocess.to_gray(rgb), luma_reference(rgb))
    strided = rgb[::2, ::3]
    assert not strided.flags.c_contiguous
    np.testing.assert_array_equal(preprocess.to_gray(strided), luma_reference(strided))
    bgr_view = rgb[..., ::-1]
    np.testing.assert_array_equal(preprocess.to_gray(bgr_view), luma_reference(bgr_view))
    transposed = rgb.transpose(1, 0, 2)
    np.testing.assert_array_equal(preprocess.to_gray(transposed), luma_reference(transposed))


def test_out_buffer_is_filled_and_returned():
    rgb = random_image((4, 6, 3), seed=4)
    out = np.empty((4, 6), dtype=np.uint8)
    assert preprocess.to_gray(rgb, out=out) is out
    np.testing.assert_array_equal(out, luma_reference(rgb))


@pytest.mark.parametrize("out", [np.empty((4, 5), np.uint8), np.empty((4, 6), np.float32),
                                 np.empty((6, 4), np.uint8).T])
def test_bad_out_buffer_is_refused(out):
    with pytest.raises(ValueError, match="out must"):
        preprocess.to_gray(random_image((4, 6, 3)), out=out)


@pytest.mark.parametrize("bad, error", [
    (np.zeros((4, 4, 5), np.uint8), ValueError),
    (np.zeros((4,), np.uint8), ValueError),
    (np.zeros((0, 4, 3), np.uint8), ValueError),
    (np.zeros((4, 4, 3), np.float32), TypeError),
    ([[0, 1]], TypeError),
])
def test_invalid_inputs(bad, error):
    with pytest.raises(error):
        preprocess.to_gray(bad)


def test_lut_maps_every_value():
    src = np.arange(256, dtype=np.uint8).reshape(16, 16)
    lut = (255 - np.arange(256)).astype(np.uint8)
    np.testing.assert_array_equal(preprocess.apply_lut(src, lut), lut[src])
    with pytest.raises(ValueError, match="256"):
        preprocess.apply_lut(src, lut[:10])


@pytest.mark.parametrize("shape", SHAPES)
def test_lut_matches_indexing_at_every_width(shape):
    src = random_image(shape, seed=5)
    lut = random_image((256,), seed=6)
    np.testing.assert_array_equal(preprocess.apply_lut(src, lut), lut[src])


def test_lut_in_place():
    src = random_image((13, 29), seed=7)
    lut = random_image((256,), seed=8)
    expected = lut[src]
    assert preprocess.apply_lut(src, lut, out=src) is src
    np.testing.assert_array_equal(src, expected)


def test_every_rgb_value():
    """All 2**24 colours, in rows whose width is not a multiple of the vector step."""
    colours = np.arange(1 << 24, dtype="<u4").view(np.uint8).reshape(-1, 4)[:, :3]
    width = 4099
    rgb = np.zeros((-(-len(colours) // width) * width, 3), np.uint8)
    rgb[: len(colours)] = colours
    rgb = rgb.reshape(-1, width, 3)
    np.testing.assert_array_equal(preprocess.to_gray(rgb), luma_reference(rgb))


def test_every_value_alpha_pair():
    """Compositing over white for all (value, alpha); r = g = b = v has luma v."""
    v, a = (x.ravel().astype(np.uint8) for x in np.meshgrid(np.arange(256), np.arange(256)))
    expected = over_white_reference(v, a).reshape(256, 256)
    la = np.stack([v, a], axis=-1).reshape(256, 256, 2)
    np.testing.assert_array_equal(preprocess.to_gray(la), expected)
    rgba = np.stack([v, v, v, a], axis=-1).reshape(256, 256, 4)
    np.testing.assert_array_equal(preprocess.to_gray(rgba), expected)


def test_lut_on_a_large_image():
    """Large images go through a two-pixel table: odd width, in place too."""
    src = random_image((731, 727), seed=9)  # over LUT2_MIN_PIXELS (1 << 19)
    lut = random_image((256,), seed=10)
    expected = lut[src]
    np.testing.assert_array_equal(preprocess.apply_lut(src, lut), expected)
    assert preprocess.apply_lut(src, lut, out=src) is src
    np.testing.assert_array_equal(src, expected)
