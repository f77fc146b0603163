"""Measure a model on held-out lines: CER, and recall per character.

Lines come from :func:`ocr.training.text.evaluation_lines` (words and sentences the
training text never uses), rendered with Pillow in the held-out font families
(:data:`~ocr.training.text.HELD_OUT_FAMILIES`: designs the models never saw in
training) at a few sizes, black on white, each line its own image, read as one line
(``psm=7``) with no preprocessing and no look-alike fixing (:mod:`ocr.lookalikes`), so
what is measured is the model.

- **CER**: the edit distance between truth and output, summed over lines, over the
  characters of the truth.
- **Recall of a character**: of its occurrences in the truth, the share that the
  edit-distance alignment (Levenshtein backtrace) pairs with the same character in the
  output. Substring counting would credit a Ŀ read in the wrong place.
- **Recall by face**: the same, on the lines of one held-out face; the report names the
  faces that read each weak character worst (one unusual design can hold a character
  under 95 % by itself).
- **Read as**: what the alignment pairs a missed character with (another character, or
  nothing), and **words**: how many distinct words of the truth hold it. A recall
  measured on two words says how the model reads those two words.
- **Not scored**: a face's lines with a character it cannot draw, as with a missing
  glyph, or draws like another character of the language (the same ink at 64 px but
  for antialiasing) where the training fonts draw the two apart (:func:`drawn_alike`:
  Debian's EB Garamond draws ŋ as n and Ð as D, Carlito Ĥ as H). Look-alikes by design,
  the same in the training fonts too (Ð and Đ), are scored: only the words around them
  tell them apart; so is Linux Biolinum's spacing cedilla ¸, drawn with no width under
  the next character: the mark is there to see.

``python -m ocr.training evaluate eng --model src/ocr/models/eng.traineddata`` compares a
model with the stock one and prints the tables.
"""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt

from . import text as training_text

__all__ = [
    "Case",
    "Score",
    "align",
    "read_as",
    "score",
    "evaluation_fonts",
    "drawn_alike",
    "evaluation_cases",
    "render_line",
    "read_lines",
    "by_font",
    "combined",
    "evaluate_model",
    "format_report",
    "ModelReport",
]

SIZES = (24, 36)
"""Text sizes in pixels (the em) the lines are rendered at."""


@dataclass(frozen=True, slots=True)
class Case:
    """One line to read: its text, the font file and the size it is drawn in."""

    text: str
    font: str
    path: Path
    size: int


@dataclass(slots=True)
class Score:
    """Edit distances and aligned character counts, added up over lines."""

    errors: int = 0
    chars: int = 0
    lines: int = 0
    truth_counts: Counter[str] = field(default_factory=Counter)
    recalled: Counter[str] = field(default_factory=Counter)
    misread: Counter[tuple[str, str]] = field(default_factory=Counter)
    """(character of the truth, what it was read as: ``""`` dropped) for each misreading."""
    words: set[str] = field(default_factory=set)
    """The distinct words of the truth (split at spaces)."""

    @property
    def cer(self) -> float:
        return self.errors / self.chars if self.chars else 0.0

    def recall(self, char: str) -> float | None:
        n = self.truth_counts[char]
        return self.recalled[char] / n if n else None

    def misreadings(self, char: str, count: int = 2) -> list[tuple[str, float]]:
        """The ``count`` commonest things ``char`` was read as instead, each with its share
        of the occurrences of ``char`` (``""``: dropped)."""
        n = self.truth_counts[char]
        wrong = Counter({o: k for (t, o), k in self.misread.items() if t == char})
        return [(o, k / n) for o, k in wrong.most_common(count)]

    def words_with(self, char: str) -> int:
        """How many distinct words of the truth hold ``char``: a recall measured on two
        words says more about those words than about the character."""
        return sum(char in w for w in self.words)

    def add(self, truth: str, output: str) -> None:
        distance, read = read_as(truth, output)
        self.errors += distance
        self.chars += len(truth)
        self.lines += 1
        self.truth_counts.update(truth)
        self.recalled.update(t for t, o in zip(truth, read) if t == o)
        self.misread.update((t, o) for t, o in zip(truth, read) if t != o)
        self.words.update(truth.split())


def align(truth: str, output: str) -> tuple[int, list[int]]:
    """The edit distance and the positions of ``truth`` aligned to an equal character.

    Levenshtein (unit costs), backtracking from the end preferring matches, then
    substitutions, then deletions and insertions, so each character of the truth is
    paired with at most one character of the output.

    >>> align("Ŀa", "La")
    (1, [1])
    """
    distance, read = read_as(truth, output)
    return distance, [i for i, (t, o) in enumerate(zip(truth, read)) if t == o]


def read_as(truth: str, output: str) -> tuple[int, list[str]]:
    """The edit distance and, for each character of ``truth``, the character of ``output``
    the alignment of :func:`align` pairs it with (``""`` where it was dropped).

    >>> read_as("Ŀab", "Lab")
    (1, ['L', 'a', 'b'])
    """
    n, m = len(truth), len(output)
    d = [list(range(m + 1))]
    for i in range(1, n + 1):
        t = truth[i - 1]
        prev = d[i - 1]
        row = [i] + [0] * m
        for j in range(1, m + 1):
            row[j] = min(prev[j - 1] + (t != output[j - 1]), prev[j] + 1, row[j - 1] + 1)
        d.append(row)
    read = [""] * n
    i, j = n, m
    while i > 0 and j > 0:
        here = d[i][j]
        if truth[i - 1] == output[j - 1] and here == d[i - 1][j - 1]:
            read[i - 1] = output[j - 1]
            i, j = i - 1, j - 1
        elif here == d[i - 1][j - 1] + 1:
            read[i - 1] = output[j - 1]
            i, j = i - 1, j - 1
        elif here == d[i - 1][j] + 1:
            i -= 1
        else:
            j -= 1
    return d[n][m], read


def score(pairs: Iterable[tuple[str, str]]) -> Score:
    """A :class:`Score` over (truth, output) pairs."""
    result = Score()
    for truth, output in pairs:
        result.add(truth, output)
    return result


def evaluation_fonts(lang: str, *, per_family: int = 2) -> list[training_text.Font]:
    """Held-out fonts: up to ``per_family`` faces of each held-out family (regular first),
    allowing a few missing characters (lines a font cannot draw are skipped for it)."""
    _, held = training_text.recommended_fonts(lang, max_missing=4)
    chosen: list[training_text.Font] = []
    by_family: dict[str, list[training_text.Font]] = {}
    for font in held:
        by_family.setdefault(font.family, []).append(font)
    for family in sorted(by_family):
        faces = sorted(by_family[family], key=lambda f: (f.name != f.family, f.name))
        chosen.extend(faces[:per_family])
    return chosen


_ALIKE_PIXELS = 16
"""Glyphs drawn at 64 px whose ink (darker than mid-grey) differs in at most this many
pixels are drawn alike: a difference of antialiasing, or of a mark under 4 by 4 pixels
there, under 1.5 at the 24 px of the evaluation."""


class _Glyphs:
    """Each character of a font drawn alone (64 px), by its ink."""

    def __init__(self, font: training_text.Font) -> None:
        from PIL import ImageFont

        self.font = font
        self._pil = ImageFont.truetype(os.fspath(font.path), 64)
        self._ink: dict[str, tuple[npt.NDArray[np.bool_], int]] = {}

    def ink(self, char: str) -> tuple[npt.NDArray[np.bool_], int]:
        """The pixels darker than mid-grey, and how many."""
        if char not in self._ink:
            from PIL import Image, ImageDraw

            image = Image.new("L", (192, 160), 255)
            ImageDraw.Draw(image).text((48, 32), char, font=self._pil, fill=0)
            dark = np.asarray(image) < 128
            self._ink[char] = dark, int(np.count_nonzero(dark))
        return self._ink[char]

    def has(self, char: str) -> bool:
        return ord(char) in self.font.charset

    def alike(self, a: str, b: str) -> bool:
        (ink_a, count_a), (ink_b, count_b) = self.ink(a), self.ink(b)
        return (abs(count_a - count_b) <= _ALIKE_PIXELS
                and int(np.count_nonzero(ink_a != ink_b)) <= _ALIKE_PIXELS)


def drawn_alike(lang: str, fonts: Sequence[training_text.Font], *,
                reference: Sequence[training_text.Font] | None = None,
                ) -> dict[str, dict[str, str]]:
    """For each of ``fonts`` (by name), the added characters of ``lang`` it draws like
    another character of ``lang``'s character set (the same ink but for antialiasing or a
    speck), each with that other character, where the ``reference`` fonts (default: the
    training fonts) draw the two apart in at least half of those that have both: a quirk
    of the face (EB Garamond's ŋ drawn as n, its Ð as D), not a look-alike by design (Ð
    and Đ, alike in the training fonts too)."""
    charset = sorted(c for c in training_text.target_characters(lang) if not c.isspace())
    added = training_text.new_characters(lang)
    refs = [_Glyphs(f) for f in (reference if reference is not None
                                 else training_text.recommended_fonts(lang)[0])]

    def apart_by_design(a: str, b: str) -> bool:
        both = [g for g in refs if g.has(a) and g.has(b)]
        return bool(both) and 2 * sum(g.alike(a, b) for g in both) < len(both)

    result: dict[str, dict[str, str]] = {}
    for font in fonts:
        glyphs = _Glyphs(font)
        drawn = [c for c in charset if glyphs.has(c)]
        quirks = {}
        for c in added:
            if not glyphs.has(c):
                continue
            for other in drawn:
                if other != c and glyphs.alike(c, other) and apart_by_design(c, other):
                    quirks[c] = other
                    break
        if quirks:
            result[font.name] = quirks
    return result


def evaluation_cases(lang: str, kind: Literal["new", "plain"], *, lines: int = 300,
                     seed: int = 1, fonts: Sequence[training_text.Font] | None = None,
                     sizes: Sequence[int] = SIZES,
                     not_scored: Mapping[str, Mapping[str, str]] | None = None) -> list[Case]:
    """Every evaluation line in every held-out font that can draw it, at every size.

    ``not_scored`` (default: :func:`drawn_alike` of the fonts) names characters per font
    whose lines that font skips, as if it had no glyph for them."""
    texts = training_text.evaluation_lines(lang, kind, lines=lines, seed=seed)
    fonts = fonts if fonts is not None else evaluation_fonts(lang)
    skipped = not_scored if not_scored is not None else drawn_alike(lang, fonts)
    cases = []
    for font in fonts:
        unreadable = set(skipped.get(font.name, ()))
        for size in sizes:
            for line in texts:
                if not font.missing(line) and not unreadable.intersection(line):
                    cases.append(Case(" ".join(line.split()), font.name, font.path, size))
    return cases


def render_line(text: str, font_path: str | os.PathLike[str], size: int) -> npt.NDArray[np.uint8]:
    """``text`` in black on white, one line, with a margin of half the size."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(os.fspath(font_path), size)
    left, top, right, bottom = (int(v) for v in font.getbbox(text))
    margin = size // 2
    image = Image.new("L", (right - left + 2 * margin, bottom - top + 2 * margin), 255)
    ImageDraw.Draw(image).text((margin - left, margin - top), text, font=font, fill=0)
    return np.asarray(image)


def read_lines(cases: Sequence[Case], model: str | os.PathLike[str], lang: str, *,
               workers: int = 2) -> list[str]:
    """Read every case with the model file ``model`` (as ``lang``), one line each."""
    import ocr

    with tempfile.TemporaryDirectory(prefix="ocr-eval-") as folder:
        (Path(folder) / f"{lang}.traineddata").symlink_to(Path(model).resolve())
        with ocr.OcrEngine([lang], tessdata=folder, preprocessing=None, psm=7,
                           workers=workers, models="stock", fix_lookalikes=False) as engine:
            images = (render_line(c.text, c.path, c.size) for c in cases)
            outputs = []
            for result in engine.recognize_many(images, return_exceptions=False):
                assert isinstance(result, ocr.OcrResult)
                outputs.append(" ".join(result.text.split()))
    return outputs


@dataclass(frozen=True, slots=True)
class ModelReport:
    """A model's scores on the new-character lines and on plain lines, and on the
    new-character lines of each held-out face (by font name)."""

    model: str
    new: Score
    plain: Score
    new_by_font: dict[str, Score] = field(default_factory=dict)

    def weakest_faces(self, char: str, count: int = 2) -> list[tuple[str, float]]:
        """The ``count`` faces reading ``char`` worst, with their recall, worst first."""
        recalls = [(r, font) for font, s in self.new_by_font.items()
                   if (r := s.recall(char)) is not None]
        return [(font, r) for r, font in sorted(recalls)[:count]]


def by_font(cases: Sequence[Case], outputs: Sequence[str]) -> dict[str, Score]:
    """A :class:`Score` per font over the cases and what was read for them."""
    scores: dict[str, Score] = {}
    for case, output in zip(cases, outputs):
        scores.setdefault(case.font, Score()).add(case.text, output)
    return scores


def combined(scores: Iterable[Score]) -> Score:
    """One :class:`Score` adding up ``scores`` (each line aligned once, in its own)."""
    total = Score()
    for s in scores:
        total.errors += s.errors
        total.chars += s.chars
        total.lines += s.lines
        total.truth_counts.update(s.truth_counts)
        total.recalled.update(s.recalled)
        total.misread.update(s.misread)
        total.words |= s.words
    return total


def evaluate_model(lang: str, model: str | os.PathLike[str], *, new_lines: int = 300,
                   plain_lines: int = 100, seed: int = 1, workers: int = 2,
                   sizes: Sequence[int] = SIZES,
                   not_scored: Mapping[str, Mapping[str, str]] | None = None) -> ModelReport:
    """Score ``model`` on held-out new-character lines and plain lines of ``lang``
    (``not_scored``: as :func:`evaluation_cases` takes it)."""
    fonts = evaluation_fonts(lang)
    if not_scored is None:
        not_scored = drawn_alike(lang, fonts)
    faces = {}
    kinds: tuple[tuple[Literal["new", "plain"], int], ...] = (("new", new_lines),
                                                               ("plain", plain_lines))
    for kind, count in kinds:
        cases = evaluation_cases(lang, kind, lines=count, seed=seed, fonts=fonts, sizes=sizes,
                                 not_scored=not_scored)
        faces[kind] = by_font(cases, read_lines(cases, model, lang, workers=workers))
    return ModelReport(os.fspath(model), combined(faces["new"].values()),
                       combined(faces["plain"].values()), faces["new"])


_MISREAD_NAMES = {"": "nothing", " ": "a space"}


def format_report(lang: str, stock: ModelReport, tuned: ModelReport,
                  added: Sequence[str], *, recall_below: float = 0.99,
                  not_scored: Mapping[str, Mapping[str, str]] | None = None) -> str:
    """The comparison as Markdown tables: CER, then every added character's recall
    under ``recall_below``, then a summary of all recalls; and ``not_scored``
    (:func:`drawn_alike`), the characters some faces were not scored on."""
    lines = [f"### {lang}", "",
             "| lines | characters | CER stock | CER fine-tuned |", "|---|---:|---:|---:|",
             f"| dense with new characters ({stock.new.lines} lines) | {stock.new.chars} "
             f"| {stock.new.cer:.2%} | {tuned.new.cer:.2%} |",
             f"| plain ({stock.plain.lines} lines) | {stock.plain.chars} "
             f"| {stock.plain.cer:.2%} | {tuned.plain.cer:.2%} |", ""]
    recalls = []
    for c in added:
        r = tuned.new.recall(c)
        if r is not None:
            recalls.append((r, c))
    below = sorted((r, c) for r, c in recalls if r < recall_below)
    lines.append(f"Added characters: {len(added)}, seen in the truth: {len(recalls)}; "
                 f"recall ≥ 99 %: {sum(1 for r, _ in recalls if r >= 0.99)}, "
                 f"≥ 95 %: {sum(1 for r, _ in recalls if r >= 0.95)}, "
                 f"lowest: {min(recalls)[0]:.1%}" if recalls else "no added character seen")
    lines.append("")
    if below:
        lines += ["| character | occurrences | words | recall stock | recall fine-tuned "
                  "| read as | weakest faces |", "|---|---:|---:|---:|---:|---|---|"]
        weakest: Counter[str] = Counter()
        for r, c in below:
            stock_r = stock.new.recall(c) or 0.0
            faces = tuned.weakest_faces(c)
            if faces:
                weakest[faces[0][0]] += 1
            read = ", ".join(f"{_MISREAD_NAMES.get(o, o)} {share:.0%}"
                             for o, share in tuned.new.misreadings(c))
            lines.append(f"| {c} U+{ord(c):04X} | {tuned.new.truth_counts[c]} "
                         f"| {tuned.new.words_with(c)} | {stock_r:.1%} | {r:.1%} | {read} | "
                         + ", ".join(f"{font} {fr:.0%}" for font, fr in faces) + " |")
        lines.append("")
        if weakest:
            lines.append("Weakest face of the characters above: " + ", ".join(
                f"{font} ({n})" for font, n in weakest.most_common()))
            lines.append("")
    if not_scored:
        lines.append("Not scored in these faces, which draw them like another character "
                     "(the training fonts draw the two apart): " + "; ".join(
                         f"{font}: " + ", ".join(f"{c} as {o}" for c, o in quirks.items())
                         for font, quirks in not_scored.items()))
        lines.append("")
    return "\n".join(lines)
