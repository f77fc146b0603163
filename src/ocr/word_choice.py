"""Each word's reading chosen among the languages of a set, when they are in two scripts.

With several languages (``eng+rus``) Tesseract reads each word first with the language
that won the previous word, and asks the others only when that reading fails its
acceptance test. After Russian words, ``rus`` reads ``POWER`` as ``РОМЕК`` or
``pelmeni`` as ``реїтепі`` surely enough to pass, and ``eng`` is never asked, although
``eng`` alone reads those words with a higher confidence.

So when a page's reading has both Latin and Cyrillic words, it is read again with each
language alone, and each word keeps the reading, among the three, of the highest
confidence. Pages in one script (the common case) cost nothing more.

Confidence alone is not enough: ``eng`` reads a blurred ``кафе`` as ``ĸaġe`` (the
bundled models read rare letters) surer than ``rus`` reads it right, and ``rus`` alone
reads ``On`` among English words as the Russian ``Оп`` a point surer than ``eng``. So a
word in its language's dictionary (``кафе``) gives way only to another dictionary word;
a dictionary word (``POWER``) takes the place of one that is not (``РОМЕК``) when it is
surer; between two of the same standing the other must be surer by :data:`MARGIN`.
But of two readings neither in a dictionary, one in the script of most of its line's
words takes the word from one that is not, unless that one is surer by the margin:
``eng`` reads Cyrillic words made of Latin-looking letters (``Ѕвер`` as ``Seep``,
``Ҡала`` as ``Kana``) about as surely as ``rus`` reads them right, and which language
Tesseract asked first is no evidence; the rest of the line is.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from ._tesseract import RawLine, RawWord
from .lookalikes import letter_script

__all__ = ["MARGIN", "mixes_scripts", "choose_words"]

#: Confidence points by which a reading must beat another of the same standing (both in
#: their dictionaries, or neither): ``Оп`` came within 1.5 of ``On``, ``pelmeni`` beat
#: ``реїтепі`` by 8 to 26 on the accuracy harness's pages.
MARGIN = 5.0

#: A word of another reading stands for a word of the page when their boxes overlap by
#: this much of their union: the same word, maybe a pixel or two wider.
SAME_WORD_OVERLAP = 0.6


def _scripts(text: str) -> set[str]:
    return {script for script in map(letter_script, text) if script is not None}


def mixes_scripts(lines: Sequence[RawLine]) -> bool:
    """Whether some word has Latin letters and some other word Cyrillic ones."""
    seen: set[str] = set()
    for line in lines:
        for word in line.words:
            seen.update(_scripts(word.text))
            if "latin" in seen and "cyrillic" in seen:
                return True
    return False


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    if width <= 0 or height <= 0:
        return 0.0
    inter = width * height
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union


def _span(line: RawLine) -> tuple[int, int]:
    return min(w.box[1] for w in line.words), max(w.box[3] for w in line.words)


def _script(text: str) -> str | None:
    """The one script of a word's letters, if it has letters of one script only."""
    scripts = _scripts(text)
    return next(iter(scripts)) if len(scripts) == 1 else None


def _line_script(line: RawLine) -> str | None:
    """The script of most of the line's words (None on a tie or without letters)."""
    counts = Counter(script for word in line.words if (script := _script(word.text)))
    ranked = counts.most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


def _better(other: RawWord, word: RawWord, line_script: str | None) -> bool:
    """Whether ``other`` is a better reading of the same word than ``word``, in a line
    mostly of ``line_script``."""
    if other.in_dictionary != word.in_dictionary:
        return other.in_dictionary and other.confidence > word.confidence
    if (not other.in_dictionary and line_script and _script(other.text) == line_script
            and _script(word.text) not in (line_script, None)):
        return other.confidence > word.confidence - MARGIN
    return other.confidence > word.confidence + MARGIN


def choose_words(page: Sequence[RawLine], readings: Sequence[Sequence[RawLine]]) -> list[RawLine]:
    """``page``'s lines with each word replaced by the best reading of the same word
    (same box, see :data:`SAME_WORD_OVERLAP`) in ``readings``, where one is better (see
    the module's docstring).

    A word that another reading splits or joins differently keeps its page reading."""
    other_lines = [(_span(line), line.words) for reading in readings for line in reading]
    chosen = []
    for line in page:
        top, bottom = _span(line)
        line_script = _line_script(line)
        others = [word for (other_top, other_bottom), words in other_lines
                  if other_top < bottom and top < other_bottom for word in words]
        words = []
        for word in line.words:
            best = word
            for other in others:
                if (_better(other, best, line_script)
                        and _overlap(word.box, other.box) >= SAME_WORD_OVERLAP):
                    best = other
            words.append(best)
        chosen.append(line._replace(words=words))
    return chosen
