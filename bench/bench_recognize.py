"""End to end, from an image file to text: ocr against tesserocr and pytesseract.

Every contender starts from the same PNG path, uses the same language data (for ocr:
``models="stock"``) and its stock settings, and has its Tesseract already initialised
where it can keep one (pytesseract cannot: it starts the tesseract program per call).
``ocr-bundled`` is the engine's default, the bundled ``eng`` (Latin's larger network,
more characters): what reading them costs. Quote the ratios (python bench/ratios.py),
not the times.
"""

from __future__ import annotations

import pytest
from PIL import Image

import ocr

ROUNDS = dict(rounds=5, iterations=1, warmup_rounds=1)


@pytest.fixture(scope="module")
def engine():
    with ocr.OcrEngine(["eng"], models="stock") as engine:
        yield engine


@pytest.fixture(scope="module")
def bundled_engine():
    with ocr.OcrEngine(["eng"]) as engine:
        yield engine


@pytest.fixture(scope="module")
def tesserocr_api(tessdata):
    import tesserocr

    with tesserocr.PyTessBaseAPI(path=tessdata + "/", lang="eng") as api:
        yield api


def run_ocr(engine, path):
    return engine.recognize(path).text


def run_tesserocr(api, path):
    with Image.open(path) as image:
        api.SetImage(image)
        return api.GetUTF8Text()


def run_pytesseract(path):
    import pytesseract

    return pytesseract.image_to_string(str(path), lang="eng")


CONTENDERS = {
    "ocr": lambda engines, api, path: run_ocr(engines[0], path),
    "ocr-bundled": lambda engines, api, path: run_ocr(engines[1], path),
    "tesserocr": lambda engines, api, path: run_tesserocr(api, path),
    "pytesseract": lambda engines, api, path: run_pytesseract(path),
}


@pytest.mark.benchmark(group="page: A4 300 dpi PNG, eng")
@pytest.mark.parametrize("contender", list(CONTENDERS))
def bench_page(benchmark, engine, bundled_engine, tesserocr_api, a4_png, contender):
    run = CONTENDERS[contender]
    engines = (engine, bundled_engine)
    text = benchmark.pedantic(run, args=(engines, tesserocr_api, a4_png), **ROUNDS)
    assert "quick brown fox jumps over the lazy dog" in text


@pytest.mark.benchmark(group="line: 1 line ~1000x60 PNG, eng")
@pytest.mark.parametrize("contender", list(CONTENDERS))
def bench_line(benchmark, engine, bundled_engine, tesserocr_api, line_png, contender):
    run = CONTENDERS[contender]
    engines = (engine, bundled_engine)
    text = benchmark.pedantic(run, args=(engines, tesserocr_api, line_png),
                              rounds=20, iterations=1, warmup_rounds=2)
    assert "quick brown fox" in text


@pytest.fixture(scope="module")
def mixed_png(tmp_path_factory):
    """The accuracy harness's clean mixed English/Russian page (bench/accuracy.py)."""
    import accuracy

    path = tmp_path_factory.mktemp("bench") / "mixed.png"
    accuracy.page("clean", "mixed-liberation-serif").image.save(path)
    return path


MIXED_CONTENDERS = {
    "ocr": {},  # the defaults: bundled models, languages compared word by word
    "ocr-uncompared": {"compare_languages": False},
}


@pytest.mark.benchmark(group="page: mixed English/Russian PNG, eng+rus")
@pytest.mark.parametrize("contender", [*MIXED_CONTENDERS, "tesserocr"])
def bench_mixed_page(benchmark, tessdata, mixed_png, contender):
    """What comparing the languages (ocr.word_choice) costs on a page of both scripts;
    tesserocr with the stock eng+rus as the anchor."""
    if contender == "tesserocr":
        import tesserocr

        with tesserocr.PyTessBaseAPI(path=tessdata + "/", lang="eng+rus") as api:
            text = benchmark.pedantic(run_tesserocr, args=(api, mixed_png), **ROUNDS)
    else:
        with ocr.OcrEngine(["eng", "rus"], **MIXED_CONTENDERS[contender]) as engine:
            text = benchmark.pedantic(run_ocr, args=(engine, mixed_png), **ROUNDS)
    assert "POWER" in text and "Компания" in text
