"""Throughput and latency: one page on all cores, a batch, start-up, and a huge page.

Ratios against tesserocr used directly (stock settings, same language data: the engine
with ``models="stock"``, one
instance already initialised) and pytesseract, from one run. Each page benchmark also
checks accuracy, so speed is never bought with errors.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PIL import Image

import ocr

import pages
from textmetrics import cer

CORES = os.cpu_count() or 1


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def a4_truth() -> str:
    return words(" ".join(pages.a4_page_text()))


@pytest.fixture(scope="module")
def tesserocr_api(tessdata):
    import tesserocr

    with tesserocr.PyTessBaseAPI(path=tessdata + "/", lang="eng") as api:
        yield api


def stock_text(api, path) -> str:
    with Image.open(path) as image:
        api.SetImage(image)
        return api.GetUTF8Text()


# -- one page, end to end --------------------------------------------------------------------------

ENGINES = {
    f"ocr ({CORES} workers, defaults)": dict(),
    "ocr (1 worker, stock settings)": dict(workers=1, preprocessing=None, split_pages=False),
}


@pytest.fixture(scope="module")
def engines():
    made = {name: ocr.OcrEngine(["eng"], models="stock", **kwargs) for name, kwargs in ENGINES.items()}
    yield made
    for engine in made.values():
        engine.close()


@pytest.mark.benchmark(group="page: A4 300 dpi PNG to text, against tesserocr")
@pytest.mark.parametrize("contender", [*ENGINES, "tesserocr"])
def bench_page_latency(benchmark, engines, tesserocr_api, a4_png, a4_truth, contender):
    if contender == "tesserocr":
        run = lambda: stock_text(tesserocr_api, a4_png)  # noqa: E731
    else:
        run = lambda: engines[contender].recognize(a4_png).text  # noqa: E731
    text = benchmark.pedantic(run, rounds=5, iterations=1, warmup_rounds=1)
    stock = stock_text(tesserocr_api, a4_png)
    assert cer(words(text), a4_truth) <= cer(words(stock), a4_truth)


# -- a batch ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def batch_paths(tmp_path_factory) -> list[Path]:
    """40 pages of about 15 lines (too few to split: this measures batch parallelism)."""
    folder = tmp_path_factory.mktemp("batch")
    paragraphs = [" ".join(pages.ENGLISH * 3)] * 2
    paths = []
    for i in range(40):
        path = folder / f"page{i:02d}.png"
        pages.document(paragraphs, font_name=("serif", "sans")[i % 2], size=30, width=1200).save(path)
        paths.append(path)
    return paths


@pytest.mark.benchmark(group="batch: 40 pages, workers")
@pytest.mark.parametrize("workers", sorted({1, CORES}))
def bench_batch(benchmark, batch_paths, workers):
    with ocr.OcrEngine(["eng"], workers=workers, models="stock") as engine:
        engine.recognize(batch_paths[0])  # the pool's first instance is ready; more are made as needed
        results = benchmark.pedantic(lambda: list(engine.recognize_many(batch_paths)),
                                     rounds=2, iterations=1)
    assert len(results) == 40 and all(isinstance(r, ocr.OcrResult) for r in results)
    assert all("quick brown fox" in r.text for r in results)


# -- start-up ----------------------------------------------------------------------------------------

@pytest.mark.benchmark(group="start-up: ready for eng+rus")
def bench_startup_ocr(benchmark, tessdata):
    def ready():
        engine = ocr.OcrEngine(tessdata=tessdata, models="stock")
        engine.set_languages(["eng", "rus"])
        return engine
    engine = benchmark.pedantic(ready, rounds=5, iterations=1, warmup_rounds=1)
    engine.close()


@pytest.mark.benchmark(group="start-up: ready for eng+rus")
def bench_startup_tesserocr(benchmark, tessdata):
    import tesserocr

    api = benchmark.pedantic(lambda: tesserocr.PyTessBaseAPI(path=tessdata + "/", lang="eng+rus"),
                             rounds=5, iterations=1, warmup_rounds=1)
    api.End()


def bench_import_does_not_start_tesseract():
    code = "import sys, ocr; print('tesserocr' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# -- a huge page, memory --------------------------------------------------------------------------------

HUGE = 20000
# The peak is VmHWM, this address space's high-water mark: getrusage's ru_maxrss is kept
# across exec on Linux, so a child of a big process (pytest) would report its parent's.
HUGE_SCRIPT = textwrap.dedent("""
    import json, sys
    import PIL.Image
    import ocr
    PIL.Image.MAX_IMAGE_PIXELS = None  # a trusted scan, larger than Pillow's bomb limit
    with ocr.OcrEngine(["eng"]) as engine:
        result = engine.recognize(sys.argv[1])
    status = dict(line.split(":", 1) for line in open("/proc/self/status"))
    peak = int(status["VmHWM"].split()[0]) * 1024
    print(json.dumps({"peak": peak, "text": result.text, "tiles": result.tiles,
                      "size": result.image_size}))
""")


@pytest.fixture(scope="module")
def huge_page(tmp_path_factory):
    """A 20000 x 20000 gray page: blocks of prose scattered over it, the rest paper."""
    path = tmp_path_factory.mktemp("huge") / "huge.png"
    page = Image.new("L", (HUGE, HUGE), 255)
    block = pages.document([" ".join(pages.ENGLISH)], font_name="serif", size=40, width=1600)
    placed = []
    for row in range(4):
        for column in range(3):
            x, y = 1000 + column * 6500, 1500 + row * 4800
            page.paste(block, (x, y))
            placed.append((x, y))
    page.save(path, compress_level=1)
    return path, len(placed)


def bench_huge_page_in_bounded_memory(huge_page):
    path, blocks = huge_page
    run = subprocess.run([sys.executable, "-c", HUGE_SCRIPT, str(path)], capture_output=True,
                         text=True, check=True, timeout=1800)
    report = json.loads(run.stdout)
    decoded = HUGE * HUGE  # one byte a pixel, gray
    print(f"\npeak RSS {report['peak'] / 2**20:.0f} MiB = {report['peak'] / decoded:.2f}x the "
          f"decoded page ({decoded / 2**20:.0f} MiB), {report['tiles']} tiles")
    assert report["size"] == [HUGE, HUGE] and report["tiles"] > 1
    assert words(report["text"]) == " ".join([" ".join(pages.ENGLISH)] * blocks)
    assert report["peak"] <= 3 * decoded
