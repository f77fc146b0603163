"""Added letters a model reads where the text has none: plain lines, small print.

A model taught new letters can start to answer them for the letters they look like
(ґ for г, Ӡ for З, Қ for К). This reads the held-out plain lines of
``ocr.training.evaluate`` (no added letter in them) in small sizes with each model
given, and counts the added letters in what it read, with the CER of the lines::

    python bench/phantom_letters.py rus src/ocr/models/rus.traineddata \\
        /usr/share/tesseract-ocr/5/tessdata/rus.traineddata

``--capitalised`` starts every word with a capital first: capitals with an added
look-alike (К and Қ Ҟ Ќ, Г and Ґ Ғ) are rare in running text, so the plain lines alone
hardly show a model that reads ``Київ`` as ``Ҟиїв``.
"""

from __future__ import annotations

import argparse
import dataclasses
import re
from collections import Counter
from pathlib import Path

from ocr.training import evaluate
from ocr.training.text import ADDED_CHARACTERS, new_characters

_FIRST_LETTER = re.compile(r"^(\W*)([^\W\d_])")


def capitalised(line: str) -> str:
    """``line`` with the first letter of every space-separated word upper-cased."""
    return " ".join(_FIRST_LETTER.sub(lambda m: m[1] + m[2].upper(), word, count=1)
                    for word in line.split(" "))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lang", choices=sorted(ADDED_CHARACTERS))
    parser.add_argument("models", nargs="+", type=Path, help=".traineddata files")
    parser.add_argument("--lines", type=int, default=100, help="plain lines per face and size")
    parser.add_argument("--sizes", default="16,20,24", help="pixel sizes, comma-separated")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--capitalised", action="store_true",
                        help="start every word with a capital letter")
    args = parser.parse_args()

    added = set(new_characters(args.lang))  # ADDED_CHARACTERS less what stock reads (« £ é)
    sizes = tuple(int(size) for size in args.sizes.split(","))
    cases = evaluate.evaluation_cases(args.lang, "plain", lines=args.lines, sizes=sizes)
    if args.capitalised:
        cases = [dataclasses.replace(case, text=capitalised(case.text)) for case in cases]
    truths = [case.text for case in cases]
    assert not added.intersection("".join(truths))
    print(f"{len(cases)} lines, {sum(map(len, truths))} characters, sizes {sizes} px")
    for model in args.models:
        outputs = evaluate.read_lines(cases, model, args.lang, workers=args.workers)
        read = Counter(char for output in outputs for char in output if char in added)
        cer = evaluate.score(zip(truths, outputs)).cer
        common = " ".join(f"{char} {n}" for char, n in read.most_common(8))
        print(f"{model}: CER {cer:.3%}, added letters read: {sum(read.values())} ({common})")


if __name__ == "__main__":
    main()
