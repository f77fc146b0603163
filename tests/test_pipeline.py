"""Preprocessing: what "auto" decides for each kind of page, and what it buys."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageFilter

import ocr
from ocr import pipeline

import pages
from textmetrics import cer

TEXT = (
    "In the spring of 1887 the railway reached the valley, and with it came",
    "surveyors, merchants and a printing press. The first newspaper, four pages",
    "of advertisements and court notices, sold for two cents a copy; by 1890 it",
    "had grown to twelve pages and carried telegraph reports from the capital.",
    "Farmers complained that freight rates rose faster than the price of wheat,",
)
TRUTH = " ".join(TEXT)
SIZE, MARGIN, STEP = 32, 60, round(32 * 1.6)


def page(size: int = SIZE, font: str = "serif") -> np.ndarray:
    return np.asarray(pages.render(TEXT, font_name=font, size=size, margin=MARGIN)).astype(np.float64)


def shaded(p: np.ndarray) -> np.ndarray:
    """Light falling from the right, plus a round shadow: paper from 255 down to ~20."""
    h, w = p.shape
    yy, xx = np.mgrid[:h, :w]
    light = (0.12 + 0.88 * xx / w) * (1 - 0.5 * np.exp(-((xx - 0.6 * w) ** 2 + (yy - 0.5 * h) ** 2)
                                                        / (2 * (0.15 * w) ** 2)))
    return (p * light).clip(0, 255).astype(np.uint8)


def with_banner(p: np.ndarray, first: int, last: int) -> np.ndarray:
    """Lines first..last set light-on-dark in a padded band across the page."""
    out = p.copy()
    top, bottom = MARGIN + first * STEP - 10, MARGIN + (last + 1) * STEP - 12
    out[top:bottom] = 255 - out[top:bottom] * 0.9
    return out.astype(np.uint8)


def read(image, **engine_args) -> ocr.OcrResult:
    with ocr.OcrEngine(**engine_args) as engine:
        return engine.recognize(image)


def words(result: ocr.OcrResult) -> str:
    return " ".join(result.text.split())


def stock(image) -> str:
    import tesserocr

    with tesserocr.PyTessBaseAPI(path=str(ocr.OcrEngine().tessdata) + "/", lang="eng") as api:
        api.SetImage(Image.fromarray(np.asarray(image)))
        return " ".join(api.GetUTF8Text().split())


def steps_of(result: ocr.OcrResult, kind: type) -> list:
    return [s for s in result.preprocessing if isinstance(s, kind)]


# -- auto ----------------------------------------------------------------------------------------

def test_clean_page_is_left_alone():
    result = read(page().astype(np.uint8))
    assert result.preprocessing == ()
    assert words(result) == TRUTH


def test_uneven_lighting_is_flattened_and_read():
    image = shaded(page())
    assert cer(stock(image), TRUTH) > 0.3  # Tesseract alone loses most of the page
    result = read(image)
    (flatten,) = steps_of(result, ocr.Flatten)
    assert flatten.variation > 0.5 and flatten.block >= 16
    assert not steps_of(result, ocr.Invert)  # a shadow is not a dark background
    assert cer(words(result), TRUTH) < 0.01


def test_light_on_dark_page_is_inverted():
    image = (255 - page() * 0.85).astype(np.uint8)
    result = read(image)
    (invert,) = steps_of(result, ocr.Invert)
    assert invert.fraction == 1.0
    assert words(result) == TRUTH


def test_light_on_dark_banner_is_inverted_exactly():
    image = with_banner(page(), 2, 3)
    inverted, (step,), _ = pipeline.run_steps([ocr.Invert()], image)
    band = slice(MARGIN + 2 * STEP - 10, MARGIN + 4 * STEP - 12)
    expected = image.copy()
    expected[band] = 255 - image[band]
    np.testing.assert_array_equal(inverted, expected)  # edges at the band's rows, not the tiles'
    assert step.fraction == pytest.approx((band.stop - band.start) / image.shape[0], abs=1e-3)
    assert words(read(image)) == TRUTH


@pytest.mark.parametrize("face, text, size", [
    ("DejaVuSans-Bold", "ИНТЕЛЛИГЕНЦИЯ ПРИМКНУЛ ЛИТОВСКОМУ ЗАМЕНОЙ ДОРОЖКОЙ", 36),
    ("DejaVuSans-Bold", "WHAT WE MEASURED: 1,250.00 EUR", 48),
    # the tops of the capitals and of d, h, l: more slivers of rows than the line itself,
    # whose median once made the text 1 px tall and the tiles 24 px again
    ("DejaVuSans-Bold", "Chapter 24: How the River Changed Its Course", 36),
    ("DejaVuSansMono-Bold", "ВИЛКИ РЕВОЛЬВЕРНЫЙ УНИТАЗ", 48),
    ("DejaVuSerif-Bold", "Мотоциклиста прош опущенной требующим культовыми репрессии.", 36)])
def test_bold_large_print_is_not_taken_for_light_on_dark(face, text, size):
    # with tiles of 24 px (a thirtieth of a short image, at least 24) tiles on the bold
    # capitals were mostly ink and were inverted, and the line read as garbage
    from ocr.training.evaluate import render_line

    line = render_line(text, f"/usr/share/fonts/truetype/dejavu/{face}.ttf", size)
    _, applied, _ = pipeline.run_auto(line)
    assert not [step for step in applied if isinstance(step, ocr.Invert)]
    with ocr.OcrEngine(["eng" if text.isascii() else "rus"]) as engine:
        assert engine.recognize(line).text.strip() == text


def test_polarity_ignores_shadows_and_paper_colour():
    for image in (shaded(page()), (page() * 0.5 + 40).astype(np.uint8)):
        mask = pipeline.polarity_mask(image, 32)
        assert not mask.any()


@pytest.mark.parametrize("size, direction", [(13, "up"), (90, "down")])
def test_text_size_is_normalised_and_boxes_mapped_back(size, direction):
    image = page(size=size, font="sans").astype(np.uint8)
    result = read(image)
    (rescale,) = steps_of(result, ocr.Rescale)
    assert (rescale.factor > 1) == (direction == "up")
    assert rescale.text_height * rescale.factor == pytest.approx(pipeline.TARGET_TEXT, rel=0.05)
    assert words(result) == TRUTH


@pytest.mark.parametrize("size", [10, 100])
def test_rescaled_boxes_are_where_the_words_were_drawn(size):
    from PIL import ImageDraw, ImageOps

    face = pages.font("sans", size)
    placed = {"north": (2 * size, size), "south": (9 * size, 4 * size), "west": (size, 7 * size)}
    canvas = Image.new("L", (16 * size, 9 * size), 255)
    for word, position in placed.items():
        ImageDraw.Draw(canvas).text(position, word, font=face, fill=0)
    result = read(np.asarray(canvas))
    assert steps_of(result, ocr.Rescale)
    found = {w.text: w.bbox for w in result.boxes}
    assert set(found) == set(placed)
    for word, position in placed.items():
        alone = Image.new("L", canvas.size, 255)
        ImageDraw.Draw(alone).text(position, word, font=face, fill=0)
        ink = ImageOps.invert(alone).getbbox()
        tolerance = max(2, 0.15 * (ink[3] - ink[1]))  # a recognised pixel is 1/factor of these
        assert np.abs(np.subtract(found[word], ink)).max() <= tolerance, (word, found[word], ink)


def test_text_height_measures_glyphs():
    for size in (16, 32, 64):
        height = pipeline.text_height(page(size=size, font="sans").astype(np.uint8))
        assert 0.45 * size <= height <= 0.7 * size  # about the x-height to cap height
    assert pipeline.text_height(np.full((200, 300), 255, np.uint8)) is None


def test_auto_turns_off_the_inversion_retry():
    with ocr.OcrEngine(["eng", "rus"]) as engine:
        engine.recognize(page().astype(np.uint8))
        api = engine._pools[(("eng", "rus"), False, 3)]._idle[0]._api
        assert api.GetVariableAsString("invert_threshold") == "0"
        engine.set_preprocessing(None)
        engine.recognize(page().astype(np.uint8))
        retry = engine._pools[(("eng", "rus"), True, 3)]._idle[0]._api
        assert retry.GetVariableAsString("invert_threshold") != "0"


# -- explicit steps --------------------------------------------------------------------------------

def test_explicit_steps_run_in_order_and_report_their_values():
    image = shaded(page())
    result = read(image, preprocessing=[ocr.Flatten(), ocr.Binarize("otsu"), ocr.Rescale(factor=0.75)])
    flatten, binarize, rescale = result.preprocessing
    assert isinstance(flatten, ocr.Flatten) and flatten.block is not None
    assert isinstance(binarize, ocr.Binarize) and 0 < binarize.level < 255
    assert isinstance(rescale, ocr.Rescale) and rescale.factor == 0.75
    assert cer(words(result), TRUTH) < 0.02
    assert result.image_size == (image.shape[1], image.shape[0])


def test_binarized_sauvola_also_reads_uneven_lighting():
    result = read(shaded(page()), preprocessing=[ocr.Binarize("sauvola")])
    (step,) = result.preprocessing
    assert step.window is not None and step.window % 2 == 1
    assert cer(words(result), TRUTH) < 0.02


def test_none_hands_over_the_gray_image():
    result = read(with_banner(page(), 2, 3), preprocessing=None)
    assert result.preprocessing == ()


@pytest.mark.parametrize("bad, error", [("sometimes", ValueError), ([ocr.Flatten(), "invert"], TypeError),
                                        (42, ValueError)])
def test_invalid_preprocessing(bad, error):
    with pytest.raises(error):
        ocr.OcrEngine(preprocessing=bad)
    engine = ocr.OcrEngine()
    with pytest.raises(error):
        engine.set_preprocessing(bad)
    assert engine.preprocessing == "auto"


def test_fixed_binarize_needs_a_level():
    with pytest.raises(ValueError, match="level"):
        read(page().astype(np.uint8), preprocessing=[ocr.Binarize("fixed")])
    result = read(page().astype(np.uint8), preprocessing=[ocr.Binarize("fixed", level=128)])
    assert words(result) == TRUTH


def test_blurred_page_unchanged_by_auto():
    image = np.asarray(Image.fromarray(page().astype(np.uint8)).filter(ImageFilter.GaussianBlur(1.5)))
    assert words(read(image)) == TRUTH


# -- skew ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("degrees", [-4.0, -1.3, 0.0, 0.8, 2.5, 6.0])
def test_skew_is_measured(degrees):
    image = preprocess_rotate(page().astype(np.uint8), degrees)
    glyphs = pipeline.glyph_boxes(image, even_lighting=True)
    assert pipeline.skew_angle(glyphs) == pytest.approx(degrees, abs=0.1)


def preprocess_rotate(image, degrees):
    from ocr import preprocess
    return preprocess.rotate(image, degrees)


def test_skewed_page_is_levelled_and_read():
    image = preprocess_rotate(page().astype(np.uint8), 2.5)
    result = read(image)
    (deskew,) = steps_of(result, ocr.Deskew)
    assert deskew.skew == pytest.approx(2.5, abs=0.1) and deskew.angle == -deskew.skew
    assert words(result) == TRUTH


def test_level_page_is_not_turned():
    result = read(page().astype(np.uint8))
    assert not steps_of(result, ocr.Deskew)


def test_deskewed_boxes_are_in_the_callers_coordinates():
    from PIL import ImageDraw, ImageOps

    size, angle = 40, 3.0
    face = pages.font("sans", size)
    text = "Level the lines before reading them"
    canvas = Image.new("L", (1500, 400), 255)
    for row in range(3):
        ImageDraw.Draw(canvas).text((60, 60 + row * 100), text, font=face, fill=0)
    turned = preprocess_rotate(np.asarray(canvas), angle)
    result = read(turned)
    assert steps_of(result, ocr.Deskew)
    assert words(result) == " ".join([text] * 3)
    # each word box must enclose that word's ink in the turned image, give or take
    first_line = result.lines[0]
    alone = Image.new("L", canvas.size, 255)
    ImageDraw.Draw(alone).text((60, 60), text, font=face, fill=0)
    ink = np.asarray(ImageOps.invert(Image.fromarray(preprocess_rotate(np.asarray(alone), angle))))
    ys, xs = np.nonzero(ink > 128)
    x0, y0, x1, y1 = first_line.bbox
    assert abs(x0 - xs.min()) <= 6 and abs(x1 - (xs.max() + 1)) <= 6
    assert abs(y0 - ys.min()) <= 8 and abs(y1 - (ys.max() + 1)) <= 8


def test_affine_composition_and_rotation_round_trip():
    a = pipeline.Affine.scale(2.0, 3.0)
    b = pipeline.Affine(c=5.0, f=-1.0)
    assert a.then(b).box((1, 1, 2, 2)) == (7.0, 2.0, 9.0, 5.0)
    forward = pipeline.Affine.rotation(-30.0, (120, 200), (100, 300))  # 300x100 turned back...
    back = pipeline.Affine.rotation(30.0, (100, 300), (120, 200))
    for x, y in ((0, 0), (150, 50), (299, 99)):
        mx, my, _, _ = forward.then(back).box((x, y, x, y))
        assert (mx, my) == pytest.approx((x, y), abs=1e-9)
