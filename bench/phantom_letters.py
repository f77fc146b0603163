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

``--initials`` reads, for every capital of the stock alphabet, words of the stock
model's dictionary that start with it, capitalised (``Ёлка Ёмкость``, four to a line),
and reports each capital read under 95 % at the start of a word and what it was read as
(the bundled ``rus`` of 2026-11 read ``Ё`` as ``Ѐ`` there, which running text, with few
capital Ё, never showed).
"""

from __future__ import annotations

import argparse
import dataclasses
import re
from collections import Counter
from pathlib import Path

from ocr.training import evaluate
from ocr.training.text import ADDED_CHARACTERS, dictionary_words, new_characters

ALPHABETS = {"eng": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
             "rus": "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЭЮЯ"}  # no word starts with Ъ Ы Ь

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
    parser.add_argument("--initials", action="store_true",
                        help="dictionary words starting with each capital of the alphabet")
    args = parser.parse_args()
    sizes = tuple(int(size) for size in args.sizes.split(","))
    if args.initials:
        read_initials(args.lang, args.models, sizes, workers=args.workers)
        return

    added = set(new_characters(args.lang))  # ADDED_CHARACTERS less what stock reads (« £ é)
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


def initial_lines(lang: str, per_letter: int = 8) -> list[str]:
    """Lines of four capitalised dictionary words sharing their first letter, the first
    ``per_letter`` words of the dictionary (in its stored order) for each capital."""
    words = [w for w in dictionary_words(lang) if w.isalpha() and len(w) > 2]
    lines = []
    for capital in ALPHABETS[lang]:
        chosen = [capital + w[1:] for w in words if w[0] == capital.lower()][:per_letter]
        lines += [" ".join(chosen[i:i + 4]) for i in range(0, len(chosen), 4)]
    return lines


def read_initials(lang: str, models: list[Path], sizes: tuple[int, ...], *,
                  workers: int) -> None:
    lines = initial_lines(lang)
    fonts = evaluate.evaluation_fonts(lang)
    cases = [evaluate.Case(line, font.name, font.path, size) for font in fonts
             for size in sizes for line in lines if not font.missing(line)]
    print(f"{len(cases)} lines, {len(lines)} in each face and size, sizes {sizes} px")
    for model in models:
        outputs = evaluate.read_lines(cases, model, lang, workers=workers)
        seen: Counter[str] = Counter()
        misread: dict[str, Counter[str]] = {}
        for case, output in zip(cases, outputs):
            truth_words, read_words = case.text.split(), output.split()
            if len(truth_words) != len(read_words):
                read_words = [""] * len(truth_words)  # words split or joined: all missed
            for truth, read in zip(truth_words, read_words):
                seen[truth[0]] += 1
                if read[:1] != truth[0]:
                    misread.setdefault(truth[0], Counter())[read[:1] or "nothing"] += 1
        right = sum(seen.values()) - sum(sum(c.values()) for c in misread.values())
        weak = sorted((1 - sum(misread[c].values()) / seen[c], c) for c in misread)
        print(f"{model}: initials read {right / sum(seen.values()):.1%}; under 95 %: "
              + (", ".join(f"{c} {r:.0%} ({misread[c].most_common(1)[0][0]})"
                           for r, c in weak if r < 0.95) or "none"))


if __name__ == "__main__":
    main()
