#!/usr/bin/env python3
"""The headline ratios, measured by alternating the contenders round by round.

pytest-benchmark times all rounds of one contender, then the next: on a shared machine
a change of load between them skews the ratio. Here each round runs every contender
once, in turn, so load changes hit them alike; the ratio of medians and of minima are
both printed.

    python bench/interleave.py [--rounds 7] [--only page,line,batch,startup,mixed]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import pages  # noqa: E402

import ocr  # noqa: E402


def alternate(contenders: dict[str, Callable[[], object]], rounds: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for run in contenders.values():
        run()  # warm up
    for _ in range(rounds):
        for name, run in contenders.items():
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
    return times


def report(title: str, times: dict[str, list[float]], anchor: str) -> None:
    print(f"\n{title}")
    median = {name: statistics.median(t) for name, t in times.items()}
    best = {name: min(t) for name, t in times.items()}
    for name in times:
        print(f"  {name:34s} median {median[name] * 1e3:9.1f} ms  min {best[name] * 1e3:9.1f} ms"
              + ("" if name == anchor else
                 f"   / {anchor}: {median[name] / median[anchor]:.3f} (medians), "
                 f"{best[name] / best[anchor]:.3f} (minima)"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--only", default="page,line,batch,startup")
    args = parser.parse_args()
    wanted = set(args.only.split(","))
    import pytesseract
    import tesserocr
    from PIL import Image

    tessdata = str(ocr.OcrEngine().tessdata)
    folder = Path(tempfile.mkdtemp(prefix="ocr-bench-"))
    api = tesserocr.PyTessBaseAPI(path=tessdata + "/", lang="eng")

    def stock(path: Path) -> str:
        with Image.open(path) as image:
            api.SetImage(image)
            return api.GetUTF8Text()

    if "page" in wanted:
        page = folder / "a4.png"
        pages.a4_page(dpi=300).save(page, dpi=(300, 300))
        fast = ocr.OcrEngine(["eng"], models="stock")
        plain = ocr.OcrEngine(["eng"], workers=1, preprocessing=None, split_pages=False,
                              models="stock")
        bundled = ocr.OcrEngine(["eng"])
        report("A4 page at 300 dpi, PNG to text", alternate({
            "tesserocr": lambda: stock(page),
            f"ocr (defaults, {fast.workers} workers)": lambda: fast.recognize(page),
            "ocr (1 worker, stock settings)": lambda: plain.recognize(page),
            f"ocr (defaults, bundled eng, {bundled.workers} workers)":
                lambda: bundled.recognize(page),
        }, args.rounds), "tesserocr")
    if "line" in wanted:
        line = folder / "line.png"
        pages.render((pages.ENGLISH[0],), size=36, margin=12, leading=1.0).save(line)
        engine = ocr.OcrEngine(["eng"], models="stock")
        bundled_line = ocr.OcrEngine(["eng"])
        report("one line, ~1000x60 PNG", alternate({
            "pytesseract": lambda: pytesseract.image_to_string(str(line), lang="eng"),
            "tesserocr": lambda: stock(line),
            "ocr": lambda: engine.recognize(line),
            "ocr (bundled eng)": lambda: bundled_line.recognize(line),
        }, args.rounds * 3), "pytesseract")
    if "batch" in wanted:
        paths = []
        for i in range(40):
            path = folder / f"batch{i:02d}.png"
            pages.document([" ".join(pages.ENGLISH * 3)] * 2, font_name=("serif", "sans")[i % 2],
                           size=30, width=1200).save(path)
            paths.append(path)
        one = ocr.OcrEngine(["eng"], workers=1, models="stock")
        many = ocr.OcrEngine(["eng"], models="stock")
        report(f"batch of 40 pages (1 worker, then {many.workers})", alternate({
            "1 worker": lambda: list(one.recognize_many(paths)),
            f"{many.workers} workers": lambda: list(many.recognize_many(paths)),
        }, max(2, args.rounds // 3)), "1 worker")
    if "mixed" in wanted:
        # the accuracy harness's mixed English/Russian page: what comparing the
        # languages word by word (ocr.word_choice) costs
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import accuracy

        mixed = folder / "mixed.png"
        accuracy.page("clean", "mixed-liberation-serif").image.save(mixed)
        api_mixed = tesserocr.PyTessBaseAPI(path=str(ocr.OcrEngine(["eng", "rus"]).tessdata) + "/",
                                            lang="eng+rus")
        compared = ocr.OcrEngine(["eng", "rus"])
        kept = ocr.OcrEngine(["eng", "rus"], compare_languages=False)

        def stock_mixed() -> str:
            with Image.open(mixed) as image:
                api_mixed.SetImage(image)
                return api_mixed.GetUTF8Text()

        report("mixed English/Russian page (stock eng+rus for tesserocr, bundled for ocr)", alternate({
            "tesserocr": stock_mixed,
            f"ocr (defaults, {compared.workers} workers)": lambda: compared.recognize(mixed),
            "ocr (compare_languages=False)": lambda: kept.recognize(mixed),
        }, args.rounds), "tesserocr")
    if "startup" in wanted:
        def ready() -> None:
            engine = ocr.OcrEngine(tessdata=tessdata, models="stock")
            engine.set_languages(["eng", "rus"])
            engine.close()

        def bare() -> None:
            tesserocr.PyTessBaseAPI(path=tessdata + "/", lang="eng+rus").End()

        report("start-up, ready for eng+rus", alternate({"tesserocr Init": bare, "ocr set_languages": ready},
                                                        args.rounds * 2), "tesserocr Init")


if __name__ == "__main__":
    main()
