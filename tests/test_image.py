"""Every input kind load_image accepts, and every way it refuses one."""

from __future__ import annotations

import io
import pathlib

import numpy as np
import pytest
from PIL import Image

import ocr
from ocr.image import load

import pages

LINE = ("Sphinx of black quartz, judge my vow 42",)


@pytest.fixture(scope="module")
def line_image() -> Image.Image:
    return pages.render(LINE, size=30, mode="RGB", ink=(20, 20, 120), paper=(250, 245, 230))


@pytest.fixture(scope="module")
def expected_gray(line_image) -> np.ndarray:
    return np.asarray(line_image.convert("L"))


def encoded(image: Image.Image, fmt: str = "PNG", **params) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


# -- every input kind gives the same pixels -----------------------------------------

def test_path_str_and_pathlike(tmp_path, line_image, expected_gray):
    path = tmp_path / "line.png"
    line_image.save(path)
    for source in (str(path), path, pathlib.PurePath(path)):
        loaded = load(source)
        np.testing.assert_array_equal(loaded.pixels, expected_gray)
        assert loaded.size == line_image.size


@pytest.mark.parametrize("wrap", [bytes, bytearray, memoryview])
def test_encoded_bytes(line_image, expected_gray, wrap):
    np.testing.assert_array_equal(load(wrap(encoded(line_image))).pixels, expected_gray)


def test_binary_file_objects(tmp_path, line_image, expected_gray):
    data = encoded(line_image)
    np.testing.assert_array_equal(load(io.BytesIO(data)).pixels, expected_gray)
    path = tmp_path / "line.png"
    path.write_bytes(data)
    with open(path, "rb") as handle:
        np.testing.assert_array_equal(load(handle).pixels, expected_gray)


@pytest.mark.parametrize("mode", ["L", "RGB", "RGBA", "LA", "P", "CMYK", "YCbCr", "RGBX", "HSV", "LAB"])
def test_pil_modes_match_pillow_luma(line_image, mode):
    image = line_image.convert(mode)
    expected = np.asarray(image.convert("RGB").convert("L")) if mode not in ("L", "LA", "RGBA", "P") \
        else np.asarray(image.convert("L"))
    got = load(image).pixels
    assert got.shape == expected.shape and got.dtype == np.uint8
    assert np.abs(got.astype(int) - expected).max() <= 2  # colour-space round trips


def test_pil_bilevel_and_wide_modes():
    bits = Image.new("1", (8, 4), 1)
    bits.putpixel((2, 1), 0)
    got = load(bits).pixels
    assert got[1, 2] == 0 and got.sum() == 255 * 31
    wide = np.array([[0, 32768, 65535]], dtype=np.uint16)
    np.testing.assert_array_equal(load(Image.fromarray(wide)).pixels, [[0, 128, 255]])
    np.testing.assert_array_equal(load(Image.fromarray(wide.astype(np.int32))).pixels, [[0, 128, 255]])
    floats = np.array([[-5.0, 100.4, 300.0]], dtype=np.float32)
    np.testing.assert_array_equal(load(Image.fromarray(floats)).pixels, [[0, 100, 255]])


def test_transparent_areas_become_white_paper():
    rgba = Image.new("RGBA", (4, 2), (0, 0, 0, 0))
    rgba.putpixel((0, 0), (0, 0, 0, 255))
    np.testing.assert_array_equal(load(rgba).pixels, [[0, 255, 255, 255], [255, 255, 255, 255]])
    palette = Image.new("P", (3, 1))
    palette.putpalette([0, 0, 0, 255, 0, 0] + [255] * 762)
    palette.putdata([0, 1, 0])
    palette.info["transparency"] = 0
    np.testing.assert_array_equal(load(palette).pixels, [[255, 76, 255]])
    palette.info.pop("transparency")
    np.testing.assert_array_equal(load(palette).pixels, [[0, 76, 0]])


@pytest.mark.parametrize("channels", [None, 1, 2, 3, 4])
def test_numpy_layouts(channels):
    rng = np.random.default_rng(channels or 0)
    shape = (9, 13) if channels is None else (9, 13, channels)
    array = rng.integers(0, 256, shape, dtype=np.uint8)
    got = load(array).pixels
    assert got.shape == (9, 13)
    if channels in (None, 1):
        np.testing.assert_array_equal(got, array.reshape(9, 13))
    if channels == 3:
        np.testing.assert_array_equal(got, np.asarray(Image.fromarray(array).convert("L")))


def test_numpy_read_only_and_non_contiguous(line_image, expected_gray):
    rgb = np.asarray(line_image)  # read-only view of Pillow's buffer
    assert not rgb.flags.writeable
    np.testing.assert_array_equal(load(rgb).pixels, expected_gray)
    padded = np.zeros((rgb.shape[0], rgb.shape[1] + 3, 3), np.uint8)
    padded[:, :-3] = rgb
    view = padded[:, :-3]
    assert not view.flags.c_contiguous
    np.testing.assert_array_equal(load(view).pixels, expected_gray)
    np.testing.assert_array_equal(load(expected_gray.T).pixels, expected_gray.T)


def test_numpy_dtypes_by_their_scale():
    np.testing.assert_array_equal(load(np.array([[True, False]])).pixels, [[255, 0]])
    np.testing.assert_array_equal(load(np.array([[0, 65535]], np.uint16)).pixels, [[0, 255]])
    np.testing.assert_array_equal(load(np.array([[0.0, 0.5, 1.0]])).pixels, [[0, 128, 255]])
    np.testing.assert_array_equal(load(np.array([[0, 17, 255]])).pixels, [[0, 17, 255]])


def test_multi_frame_file_gives_first_frame(tmp_path):
    first = pages.render(("first frame",))
    second = pages.render(("second frame",)).resize(first.size)
    path = tmp_path / "frames.tif"
    first.save(path, save_all=True, append_images=[second])
    np.testing.assert_array_equal(load(path).pixels, np.asarray(first))


def test_exif_orientation_is_applied(line_image):
    rotated = line_image.rotate(90, expand=True)  # stored sideways...
    exif = Image.Exif()
    exif[0x0112] = 6  # ...with a tag saying "rotate 90 clockwise to display"
    loaded = load(encoded(rotated, "PNG", exif=exif))
    assert loaded.size == line_image.size
    np.testing.assert_array_equal(loaded.pixels, np.asarray(line_image.convert("L")))


def test_max_side_reduces_pixels_but_keeps_size(line_image):
    big = line_image.resize((line_image.width * 4, line_image.height * 4))
    for source in (encoded(big, "JPEG", quality=95), encoded(big), big, np.asarray(big)):
        loaded = load(source, max_side=500)
        assert max(loaded.pixels.shape) == 500
        assert loaded.size == big.size


def test_dpi_is_kept_when_credible(tmp_path, line_image):
    assert load(encoded(line_image, "PNG", dpi=(300, 300))).dpi == pytest.approx(300, abs=0.1)
    assert load(encoded(line_image, "PNG", dpi=(1, 1))).dpi is None
    assert load(np.asarray(line_image)).dpi is None


# -- refusals: the real error, from the real code path ---------------------------------

def test_missing_file_is_file_not_found_naming_the_path(tmp_path):
    missing = tmp_path / "no-such-scan.png"
    with pytest.raises(FileNotFoundError, match="no-such-scan.png") as caught:
        load(missing)
    assert isinstance(caught.value, ocr.ImageNotFoundError)
    assert isinstance(caught.value, ocr.OcrError)
    assert caught.value.filename == str(missing)


def test_directory_is_refused(tmp_path):
    with pytest.raises(ocr.ImageLoadError, match="is a directory"):
        load(tmp_path)


@pytest.mark.parametrize("data, reason", [
    (b"this is plain text, not an image", "not an image"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
    (b"", "empty"),
])
def test_non_image_data(data, reason):
    with pytest.raises(ocr.ImageLoadError, match=reason) as caught:
        load(data)
    assert isinstance(caught.value, ValueError)


def test_truncated_file(tmp_path, line_image):
    data = encoded(line_image)
    path = tmp_path / "cut.png"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ocr.ImageLoadError, match="cut.png.*could not be decoded.*truncated"):
        load(path)
    jpeg = encoded(line_image, "JPEG")
    with pytest.raises(ocr.ImageLoadError, match="could not be decoded"):
        load(jpeg[: len(jpeg) // 3])


def test_empty_file(tmp_path):
    path = tmp_path / "empty.png"
    path.write_bytes(b"")
    with pytest.raises(ocr.ImageLoadError, match="empty.png.*not an image"):
        load(path)


def test_decompression_bomb_is_refused(monkeypatch, line_image):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", line_image.width * line_image.height // 4)
    with pytest.raises(ocr.ImageLoadError, match="decompression bomb.*MAX_IMAGE_PIXELS"):
        load(encoded(line_image))


@pytest.mark.parametrize("source", [42, None, 3.5, ["a.png"], {"path": "a.png"}, object()])
def test_unsupported_types_are_type_errors(source):
    with pytest.raises(TypeError, match="cannot load an image from") as caught:
        load(source)
    assert isinstance(caught.value, ocr.UnsupportedImageTypeError)


def test_text_mode_file_is_a_type_error(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    with open(path) as handle, pytest.raises(TypeError, match="text mode.*'rb'"):
        load(handle)


@pytest.mark.parametrize("array, reason", [
    (np.zeros((0, 10), np.uint8), "empty"),
    (np.zeros((10, 0, 3), np.uint8), "empty"),
    (np.zeros((4, 4, 5), np.uint8), "not an image"),
    (np.zeros((2, 4, 4, 3), np.uint8), "not an image"),
    (np.zeros(16, np.uint8), "not an image"),
    (np.array([[0.0, 2.0]]), "0.0..1.0"),
    (np.array([[0.0, np.nan]]), "0.0..1.0"),
    (np.array([[-1, 3]]), "0..255"),
    (np.array([["a", "b"]]), "not images"),
])
def test_invalid_arrays(array, reason):
    with pytest.raises(ocr.ImageLoadError, match=reason):
        load(array)


def test_zero_size_pil_image():
    with pytest.raises(ocr.ImageLoadError, match="empty"):
        load(Image.new("L", (0, 5)))


@pytest.mark.parametrize("mode", ["L", "RGB", "P"])
def test_big_images_are_converted_in_strips_identically(mode, monkeypatch):
    import ocr.image

    rng = np.random.default_rng(5)
    image = Image.fromarray(rng.integers(0, 256, (301, 207, 3), dtype=np.uint8)).convert(mode)
    whole = load(image).pixels
    monkeypatch.setattr(ocr.image, "_STRIP_BYTES", 1000)  # strips of a few rows
    np.testing.assert_array_equal(load(image).pixels, whole)
