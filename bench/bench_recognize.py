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
