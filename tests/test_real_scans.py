"""The public test images in ../shared/data (see its README and manifest.json)."""

from __future__ import annotations

import json

import pytest

import ocr

from textmetrics import edit_distance

from shared_data import shared_path as _shared_path


def shared_path(relative: str):
    return _shared_path("data/" + relative)


TESSERACT = "tesseract-ocr_test/testing/"
PYTESSERACT = "pytesseract/tests/data/"


def ground_truth(relative: str) -> str:
    return shared_path(relative).read_text(encoding="utf-8").rstrip("\n")


@pytest.fixture(scope="module")
def manifest() -> dict[str, dict]:
    entries = json.loads(shared_path("manifest.json").read_text(encoding="utf-8"))
    return {entry["image"]: entry for entry in entries}


@pytest.fixture(scope="module")
def eng():
    with ocr.OcrEngine(["eng"]) as engine:
        yield engine


def test_phototest_exact(eng):
    result = eng.recognize(shared_path(TESSERACT + "phototest.tif"))
    assert result.text == ground_truth(TESSERACT + "phototest.txt")


@pytest.mark.parametrize("image", [TESSERACT + "eurotext.tif", "tesserocr/tests/eurotext.png"])
def test_eurotext_exact(image, manifest):
    # Six Latin-script languages, diacritics and „“ «» quotes: the Latin script model
    # reads them all; the truth file is the same for both copies of the page.
    assert manifest[image]["text"] == TESSERACT + "eurotext.txt"
    with ocr.OcrEngine(["Latin"]) as engine:
        result = engine.recognize(shared_path(image))
    assert result.text == ground_truth(TESSERACT + "eurotext.txt")


@pytest.mark.parametrize("extension", ["jpg", "jpeg2000", "pgm", "png", "ppm", "tiff", "gif", "webp", "bmp"])
def test_pytesseract_formats(eng, manifest, extension):
    image = f"{PYTESSERACT}test.{extension}"
    expected = manifest[image]["expected"]
    result = eng.recognize(shared_path(image))
    assert expected in result.text  # pytesseract: 'The quick brown dog' in image_to_string(...)
    assert result.text == ground_truth(TESSERACT + "phototest.txt")  # and we do better: all of it


def test_pytesseract_european_in_french():
    with ocr.OcrEngine(["fra"]) as engine:
        result = engine.recognize(shared_path(PYTESSERACT + "test-european.jpg"))
    assert "La volpe marrone" in result.text


def test_pytesseract_gray_alpha_png(eng):
    assert eng.recognize(shared_path(PYTESSERACT + "test_la.png")).text == "This is test message"


def test_pytesseract_small_word_box(eng):
    # pytesseract's image_to_data test: one word 'This' at left=11 top=11 width=60 height=24
    result = eng.recognize(shared_path(PYTESSERACT + "test-small.jpg"))
    assert [(w.text, w.x0, w.y0, w.x1 - w.x0, w.y1 - w.y0) for w in result.boxes] == [("This", 11, 11, 60, 24)]
    assert result.image_size == (79, 47)


def test_hello_google(eng, manifest):
    image = TESSERACT + "HelloGoogle.tif"
    assert eng.recognize(shared_path(image)).text == manifest[image]["expected"]


@pytest.mark.parametrize("image", ["trainingtimes.tif", "trainingital.tif"])
def test_tesseract_unittest_lines(eng, manifest, image):
    """3600x4800 pages with one small, slightly skewed line: libtesseract 5.5 misreads one
    letter of each (latcly, Yo), through tesserocr too. With the same (stock) model and
    without preprocessing we must read exactly what it reads; with it (the line is
    levelled), no worse. The bundled eng, the default, reads the upright line's small
    "simple" as "simplc": one letter more than stock there (src/ocr/models/MODELS.md)."""
    import tesserocr
    from PIL import Image

    path = shared_path(TESSERACT + image)
    with tesserocr.PyTessBaseAPI(path=str(eng.tessdata), lang="eng") as api:
        api.SetImage(Image.open(path))
        stock = api.GetUTF8Text().strip()
    with ocr.OcrEngine(["eng"], preprocessing=None, models="stock") as plain:
        assert plain.recognize(path).text == stock
    expected = manifest[TESSERACT + image]["expected"]
    with ocr.OcrEngine(["eng"], models="stock") as levelled:
        assert edit_distance(levelled.recognize(path).text, expected) <= edit_distance(stock, expected) <= 1
    assert edit_distance(eng.recognize(path).text, expected) <= edit_distance(stock, expected) + 1
