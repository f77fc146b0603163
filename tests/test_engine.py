"""OcrEngine end to end on pages the tests render."""

from __future__ import annotations

import dataclasses
import threading

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageOps

import ocr

import pages


@pytest.fixture(scope="module")
def english_page() -> Image.Image:
    return pages.render(pages.ENGLISH, size=32)


@pytest.fixture(scope="module")
def russian_page() -> Image.Image:
    return pages.render(pages.RUSSIAN, size=32)


def assert_boxes_sane(result: ocr.OcrResult) -> None:
    assert result.boxes, "no words found"
    for word in result.boxes:
        assert 0 <= word.x0 < word.x1 <= result.width, word
        assert 0 <= word.y0 < word.y1 <= result.height, word
        assert 0.0 <= word.confidence <= 1.0
    for line in result.lines:
        for word in line.words:  # a line's box encloses its words
            assert line.x0 <= word.x0 < word.x1 <= line.x1
            assert line.y0 <= word.y0 < word.y1 <= line.y1


# -- the tutorial's API ---------------------------------------------------------------

def test_tutorial_flow(sample_png):
    engine = ocr.OcrEngine()
    engine.set_languages(["eng", "rus"])
    engine.load_image(str(sample_png))
    result = engine.recognize()
    assert isinstance(result, ocr.OcrResult)
    assert result.languages == ("eng", "rus")
    assert result.image_size == Image.open(sample_png).size
    assert result.text.splitlines()[1].startswith("Привет, мир!")
    assert len(result.confidence) == len(result.boxes) == len(result.text.split())
    assert all(isinstance(c, float) and 0.5 < c <= 1.0 for c in result.confidence)
    assert [b.text for b in result.boxes] == result.text.split()
    assert not result.text.endswith(("\n", "\f", " "))
    assert_boxes_sane(result)


def test_english_page_exact(shared_engine, english_page):
    result = shared_engine.recognize(english_page)
    assert result.text == "\n".join(pages.ENGLISH)
    assert [line.text for line in result.lines] == list(pages.ENGLISH)
    assert_boxes_sane(result)


def test_russian_page_exact(engine, russian_page):
    engine.set_languages(["rus"])
    assert engine.recognize(russian_page).text == "\n".join(pages.RUSSIAN)


def test_words_are_where_they_were_drawn(shared_engine):
    placed = {"alpha": (100, 50), "omega": (500, 180)}
    image = Image.new("L", (900, 300), 255)
    face = pages.font("sans", 40)
    draw = ImageDraw.Draw(image)
    for word, position in placed.items():
        draw.text(position, word, font=face, fill=0)
    found = {w.text: w.bbox for w in shared_engine.recognize(image).boxes}
    assert set(found) == set(placed)
    for word, (x, y) in placed.items():
        alone = Image.new("L", image.size, 255)
        ImageDraw.Draw(alone).text((x, y), word, font=face, fill=0)
        ink = ImageOps.invert(alone).getbbox()  # the drawn word's ink, x1/y1 exclusive
        assert np.abs(np.subtract(found[word], ink)).max() <= 2, (word, found[word], ink)


def test_results_are_frozen_plain_data(shared_engine, english_page):
    result = shared_engine.recognize(english_page)
    for obj, field in ((result, "lines"), (result.lines[0], "words"), (result.boxes[0], "x0")):
        assert dataclasses.is_dataclass(obj)
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(obj, field, None)
    assert result == shared_engine.recognize(english_page)


# -- languages --------------------------------------------------------------------------

def test_languages_accept_list_or_plus_string(engine):
    engine.set_languages("eng+rus")
    assert engine.languages == ("eng", "rus")
    engine.set_languages(["rus", "eng", "rus"])
    assert engine.languages == ("rus", "eng")
    assert ocr.OcrEngine().languages == ("eng",)


def test_unknown_language_names_code_installed_and_package(engine, english_page):
    with pytest.raises(ocr.LanguageNotAvailableError) as caught:
        engine.set_languages(["eng", "klingon"])
    message = str(caught.value)
    assert "'klingon'" in message
    assert "apt-get install tesseract-ocr-klingon" in message
    assert "eng" in message and "rus" in message  # the installed ones are listed
    assert isinstance(caught.value, LookupError)
    # the engine keeps its previous languages and keeps working
    assert engine.languages == ("eng",)
    assert engine.recognize(english_page).text.startswith("The quick brown fox")


def test_script_model_hint():
    from ocr._tesseract import package_hint
    assert package_hint("Latin") == "apt-get install tesseract-ocr-script-latn"
    assert package_hint("chi_sim") == "apt-get install tesseract-ocr-chi-sim"


@pytest.mark.parametrize("bad, error", [
    ([], ValueError), ([""], ValueError), ("", ValueError), (["eng", 3], TypeError),
    (None, TypeError), (["../eng"], LookupError), (["eng rus"], LookupError),
])
def test_invalid_language_arguments(engine, bad, error):
    with pytest.raises(error):
        engine.set_languages(bad)


def test_available_languages():
    languages = ocr.available_languages()
    assert {"eng", "rus"} <= set(languages)
    assert "osd" not in languages


# -- errors and recovery ------------------------------------------------------------------

def test_recognize_before_load(engine, english_page):
    with pytest.raises(ocr.OcrError, match="load_image"):
        engine.recognize()
    engine.load_image(english_page)
    assert engine.recognize().text


def test_failed_load_keeps_previous_image_and_engine_works(engine, english_page, tmp_path):
    engine.load_image(english_page)
    with pytest.raises(ocr.ImageNotFoundError):
        engine.load_image(tmp_path / "missing.png")
    with pytest.raises(ocr.ImageLoadError):
        engine.load_image(b"garbage")
    with pytest.raises(TypeError):
        engine.load_image(12345)
    assert engine.recognize().text.startswith("The quick brown fox")


@pytest.mark.parametrize("size", [(1, 1), (2, 3), (640, 480)])
def test_blank_and_tiny_images_give_nothing(shared_engine, size):
    result = shared_engine.recognize(np.full(size[::-1], 255, np.uint8))
    assert result.text == "" and result.boxes == () and result.confidence == []
    assert result.image_size == size
    assert result.mean_confidence == 0.0


def test_black_1x1(shared_engine):
    assert shared_engine.recognize(np.zeros((1, 1), np.uint8)).boxes == ()


@pytest.mark.parametrize("setter", ["set_max_resolution", "set_max_image_size"])
@pytest.mark.parametrize("value, error", [(0, ValueError), (-5, ValueError), (2.5, TypeError),
                                          ("100", TypeError), (True, TypeError)])
def test_size_caps_are_validated(engine, setter, value, error):
    with pytest.raises(error):
        getattr(engine, setter)(value)


# -- scaling: boxes stay in the coordinates of the image passed in -----------------------------

@pytest.fixture(scope="module")
def big_page() -> Image.Image:
    return pages.render(pages.ENGLISH, size=96, margin=120)


def word_boxes(result: ocr.OcrResult) -> dict[str, np.ndarray]:
    return {w.text: np.array(w.bbox) for w in result.boxes}


@pytest.mark.parametrize("setter", ["set_max_resolution", "set_max_image_size"])
def test_downscaled_boxes_are_in_original_coordinates(big_page, setter):
    with ocr.OcrEngine(preprocessing=None) as engine:
        full = engine.recognize(big_page)
        getattr(engine, setter)(big_page.width // 3)
        small = engine.recognize(big_page)
    assert small.image_size == full.image_size == big_page.size
    assert small.text == full.text
    full_boxes, small_boxes = word_boxes(full), word_boxes(small)
    for word, box in full_boxes.items():
        # one recognised pixel is three original ones, and Tesseract's word edges move
        # by a few pixels with the scale (the bundled eng: up to 5, at a descender):
        # allow 6 of them (unmapped boxes would be 3x off)
        assert np.abs(small_boxes[word] - box).max() <= 18, (word, small_boxes[word], box)
    assert_boxes_sane(small)


def test_max_image_size_applies_to_the_loaded_image(big_page):
    with ocr.OcrEngine() as engine:
        engine.load_image(big_page)
        engine.set_max_image_size(500)
        assert max(engine._image.pixels.shape) == 500
        assert engine.recognize().image_size == big_page.size


def test_dpi_from_file_reaches_tesseract(shared_engine, english_page, tmp_path):
    path = tmp_path / "page.png"
    english_page.save(path, dpi=(300, 300))
    assert shared_engine.recognize(path).text == "\n".join(pages.ENGLISH)


# -- reuse across images, language sets and threads ----------------------------------------------

def test_engine_reuse_across_images_and_language_sets(english_page, russian_page):
    with ocr.OcrEngine() as engine:
        first = engine.recognize(english_page)
        engine.set_languages(["rus"])
        russian = engine.recognize(russian_page)
        engine.set_languages(["eng"])
        again = engine.recognize(english_page)
        engine.set_languages(["eng", "rus"])
        both = engine.recognize(russian_page)
        assert len(engine._pools) == 3  # Tesseract instances per language set, reused
    assert first == again
    assert russian.text == "\n".join(pages.RUSSIAN)
    assert both.text == "\n".join(pages.RUSSIAN)


def test_fresh_engine_gives_identical_results(english_page):
    results = []
    for _ in range(2):
        with ocr.OcrEngine() as engine:
            results.append(engine.recognize(english_page))
    assert results[0] == results[1]


def test_threads_share_one_engine(english_page, russian_page):
    with ocr.OcrEngine(["eng", "rus"], split_pages=False) as engine:
        images = [english_page, russian_page] * 4
        expected = [engine.recognize(image) for image in images]
        got: list = [None] * len(images)
        errors = []

        def work(i):
            try:
                got[i] = engine.recognize(images[i])
            except Exception as exc:  # reported below
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(i,)) for i in range(len(images))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors
        assert got == expected
        assert engine._pools[(("eng", "rus"), False, 3)].size >= 2  # one instance per thread


def test_recognize_releases_the_gil(english_page):
    with ocr.OcrEngine() as engine:
        page = pages.a4_page(dpi=200, paragraphs=2)
        engine.recognize(english_page)  # warm up
        done = threading.Event()
        ticks = 0

        def run():
            engine.recognize(page)
            done.set()

        worker = threading.Thread(target=run)
        worker.start()
        while not done.is_set():  # pure-Python loop: only runs while the GIL is free
            ticks += 1
        worker.join()
    # with the GIL held through recognition this loop would barely run at all
    assert ticks > 10_000


def test_import_does_not_initialise_tesseract():
    import subprocess
    import sys
    code = "import sys, ocr; e = ocr.OcrEngine(); print('tesserocr' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
