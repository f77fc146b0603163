"""Cutting pages into tiles, reading them in parallel, and merging the words back."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

import ocr
from ocr import tiling

import pages
from ocr.training.evaluate import render_line

PROSE = (
    "The survey of the northern coast began in the spring, when the ice had gone from the "
    "harbours and the roads were dry enough for the carts. Each team carried a theodolite, "
    "two chains, a tent and food for ten days.",
    "By midsummer they had mapped forty miles of shore, three river mouths and a chain of "
    "islands that no chart had shown before. The islands were named after the months in "
    "which they were first seen.",
    "In the autumn the maps were engraved in the capital, printed on linen paper and sold "
    "to shipowners for four shillings a sheet. The first edition of two hundred copies was "
    "gone by Christmas.",
) * 3


def normalised(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def long_page() -> np.ndarray:
    return np.asarray(pages.document(PROSE, font_name="serif", size=30, width=1300))


@pytest.fixture(scope="module")
def two_columns() -> np.ndarray:
    left = np.asarray(pages.document(PROSE[:4], font_name="sans", size=26, width=800))
    right = np.asarray(pages.document(PROSE[4:8], font_name="sans", size=26, width=800))
    height = max(left.shape[0], right.shape[0])
    page = np.full((height, 1700), 255, np.uint8)
    page[:left.shape[0], :800] = left
    page[:right.shape[0], 900:] = right
    return page


def test_cuts_fall_between_lines(long_page):
    tiles = tiling.plan_tiles(long_page, parts=2)
    assert len(tiles) == 2
    cut = tiles[0].y1
    assert tiles[0].y1 == tiles[1].y0 and tiles[0].own_y1 == tiles[1].own_y0 == cut
    assert long_page[cut].min() > 200  # a blank row: no text line is cut


def test_small_pages_are_not_cut():
    page = np.asarray(pages.render(pages.ENGLISH))
    assert len(tiling.plan_tiles(page, parts=4)) == 1


def test_columns_split_at_the_gutter_and_read_in_order(two_columns):
    tiles = tiling.plan_tiles(two_columns, parts=2)
    assert len({t.group for t in tiles}) == 2
    assert all(t.x1 <= 900 or t.x0 >= 800 for t in tiles)
    with ocr.OcrEngine(workers=2) as engine:
        result = engine.recognize(two_columns)
    assert result.tiles >= 2
    assert normalised(result.text) == normalised(" ".join(PROSE[:8]))


def test_split_page_reads_like_the_whole_page(long_page):
    with ocr.OcrEngine(workers=2) as split, ocr.OcrEngine(workers=2, split_pages=False) as whole:
        parts, once = split.recognize(long_page), whole.recognize(long_page)
        again = split.recognize(long_page)
    assert parts.tiles == 2 and once.tiles == 1
    assert normalised(parts.text) == normalised(once.text) == normalised(" ".join(PROSE))
    assert [w.text for w in parts.boxes] == [w.text for w in once.boxes]
    for a, b in zip(parts.boxes, once.boxes):
        assert np.abs(np.subtract(a.bbox, b.bbox)).max() <= 2
    assert again == parts  # the same every time: the cut depends on the image alone
    assert parts.text.count("\n\n") == once.text.count("\n\n")  # paragraphs joined across the cut


def test_overlapping_tiles_keep_every_word_once(monkeypatch):
    # a skewed scan of solid text: every row crosses some, so a cut forced by size must overlap
    solid = np.asarray(pages.document(PROSE, font_name="serif", size=30, width=1300, paragraph_gap=0))
    skewed = ocr.preprocess.rotate(solid, 1.5)
    limit = skewed.size * 2 // 3
    tiles = tiling.plan_tiles(skewed, max_pixels=limit)
    assert len(tiles) == 2 and tiles[0].y1 > tiles[1].y0  # overlapping
    as_scanned = dict(preprocessing=None, split_pages=False)
    with ocr.OcrEngine(**as_scanned) as whole:
        once = whole.recognize(skewed)
    monkeypatch.setattr(ocr.engine, "TILE_PIXELS", limit)
    with ocr.OcrEngine(**as_scanned) as tiled:
        parts = tiled.recognize(skewed)
    assert parts.tiles == 2 and once.tiles == 1
    assert sorted(w.text for w in parts.boxes) == sorted(w.text for w in once.boxes)


def test_page_taller_than_tesseract_allows():
    band = np.asarray(pages.document(PROSE[:2], font_name="serif", size=30, width=900))
    page = np.full((34000, 900), 255, np.uint8)
    for top in (0, 16500, 34000 - band.shape[0]):
        page[top:top + band.shape[0]] = band
    with ocr.OcrEngine(workers=2) as engine:
        result = engine.recognize(page)
    assert result.tiles >= 2
    assert normalised(result.text) == normalised(" ".join(PROSE[:2] * 3))
    assert result.boxes[-1].y1 > 33000 and result.boxes[-1].y1 <= 34000  # page coordinates


def test_page_wider_than_tesseract_allows():
    line = "Along the shore the survey found harbours, islands and river mouths. " * 40
    image = pages.render((line, line), font_name="sans", size=32, margin=30)
    page = np.asarray(image)
    assert page.shape[1] > 32767
    with ocr.OcrEngine(workers=2) as engine:
        result = engine.recognize(page)
    assert result.tiles >= 2
    assert [normalised(line.text) for line in result.lines] == [normalised(line)] * 2


# -- batches and threads ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    folder = tmp_path_factory.mktemp("batch")
    paths = []
    for i, text in enumerate(pages.ENGLISH + pages.ENGLISH):
        path = folder / f"page{i}.png"
        pages.render((text,), size=30).save(path)
        paths.append(path)
    return paths


def test_batch_yields_in_order(batch):
    with ocr.OcrEngine(workers=2) as engine:
        results = list(engine.recognize_many(batch))
        one_by_one = [engine.recognize(path) for path in batch]
    assert results == one_by_one
    assert [r.text for r in results] == list(pages.ENGLISH + pages.ENGLISH)


def test_batch_goes_on_past_a_corrupt_file(batch, tmp_path):
    corrupt = tmp_path / "corrupt.png"
    corrupt.write_bytes(batch[0].read_bytes()[:200])
    inputs = batch[:3] + [corrupt] + batch[3:]
    with ocr.OcrEngine(workers=2) as engine:
        results = list(engine.recognize_many(inputs))
        assert len(results) == len(inputs)
        assert isinstance(results[3], ocr.ImageLoadError) and "corrupt.png" in str(results[3])
        good = [r for i, r in enumerate(results) if i != 3]
        assert [r.text for r in good] == list(pages.ENGLISH + pages.ENGLISH)
        with pytest.raises(ocr.ImageLoadError):
            list(engine.recognize_many(inputs, return_exceptions=False))


def test_batch_stops_cleanly_when_abandoned(batch):
    with ocr.OcrEngine(workers=2) as engine:
        for result in engine.recognize_many(batch * 5):
            break  # the generator is closed: pending work is cancelled, no thread lingers
        assert engine.recognize(batch[0]).text == pages.ENGLISH[0]


def test_eight_threads_give_the_sequential_results(long_page, two_columns):
    images = [long_page, two_columns, np.asarray(pages.render(pages.RUSSIAN))] * 3
    with ocr.OcrEngine(["eng", "rus"], workers=2) as engine:
        expected = [engine.recognize(image) for image in images]
        from concurrent.futures import ThreadPoolExecutor
        with ThreadPoolExecutor(8) as pool:
            got = list(pool.map(engine.recognize, images))
    assert got == expected


def test_workers_are_validated():
    with pytest.raises(ValueError):
        ocr.OcrEngine(workers=0)
    with pytest.raises(TypeError):
        ocr.OcrEngine(workers=1.5)
    with pytest.raises(ValueError, match="psm"):
        ocr.OcrEngine(psm=2)


def test_a_cropped_line_is_read_as_a_raw_line():
    line = np.asarray(pages.render((pages.ENGLISH[0],), size=36, margin=12, leading=1.0))
    assert tiling.single_line_box(line) is not None
    assert tiling.single_line_box(np.asarray(pages.render(pages.ENGLISH, size=36))) is None
    assert tiling.single_line_box(np.asarray(pages.render((pages.ENGLISH[0],), size=36, margin=100))) is None
    with ocr.OcrEngine() as engine:
        result = engine.recognize(line)
        assert (("eng",), False, 13) in engine._pools  # psm 13
    assert result.text == pages.ENGLISH[0]
    ink = Image.fromarray(255 - line).getbbox()
    assert abs(result.lines[0].x0 - ink[0]) <= 2 and abs(result.lines[0].x1 - ink[2]) <= 2


DEJAVU = "/usr/share/fonts/truetype/dejavu/"
PANGRAM = "Съешь же ещё этих мягких французских булок."


def test_a_line_is_cut_to_its_ink_with_a_small_margin():
    line = render_line("Її Ёлка Ґанок Й", DEJAVU + "DejaVuSans.ttf", 36)  # marks over capitals
    ink = Image.fromarray(255 - line).getbbox()
    margin = round(tiling.LINE_MARGIN * (ink[3] - ink[1]))
    box = tiling.single_line_box(line)
    assert box is not None
    expected = (ink[0] - margin, ink[1] - margin, ink[2] + margin, ink[3] + margin)
    assert all(abs(got - want) <= 2 for got, want in zip(box, expected)), (box, expected)


def test_a_line_of_even_texture_is_read_across_its_whole_width():
    # vertical stripes across the width: every column has as many edges, none stands out
    stripes = np.full((60, 400), 255, np.uint8)
    stripes[15:45, ::2] = 0
    box = tiling.single_line_box(stripes)
    assert box is not None and (box[0], box[2]) == (0, 400) and box[1] <= 15 and box[3] >= 45
    with ocr.OcrEngine() as engine:
        engine.recognize(stripes)  # read, whatever it makes of it


@pytest.mark.parametrize("face", ["DejaVuSans.ttf", "DejaVuSerif.ttf"])
@pytest.mark.parametrize("size", [24, 36])
def test_a_line_with_wide_margins_is_read_without_marks_from_them(face, size):
    # margins of half the text size: read whole as a raw line, this gave 'булок..'
    line = render_line(PANGRAM, DEJAVU + face, size)
    with ocr.OcrEngine(["rus"]) as engine:
        result = engine.recognize(line)
        assert (("rus",), False, 13) in engine._pools  # psm 13
    assert result.text == PANGRAM
    # in the input's coordinates: starting at the ink, within the margin kept around it
    ink = Image.fromarray(255 - line).getbbox()
    x0, y0, x1, y1 = tiling.single_line_box(line)
    assert abs(result.lines[0].x0 - ink[0]) <= 2
    assert y0 - 1 <= result.lines[0].y0 <= ink[1] and ink[3] <= result.lines[0].y1 <= y1 + 1


def test_a_line_is_one_text_run_however_many_slivers_stand_above_it():
    # rows of edges of a bold line (Roboto Condensed Bold, 36 px): the tops of the capitals
    # and of б, д, ё make two one-row runs over the body's 28; with the plain median of
    # the runs' heights (1) every run passed for a line
    rows = np.array([0] * 18 + [9, 11, 12, 4, 4, 13, 6, 3] + [190] * 28 + [0] * 18, np.uint32)
    assert tiling.text_runs(rows) == [(26, 54)]
    line = render_line("Ёлку на площади", DEJAVU + "DejaVuSerif.ttf", 36)
    assert tiling.single_line_box(line) is not None
