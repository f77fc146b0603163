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
words (on a line with as many in each, the script of the language that reads the line
surer alone) takes the word from one that is not, unless that one is surer by the margin:
``eng`` reads Cyrillic words made of Latin-looking letters (``Ѕвер`` as ``Seep``,
``Ҡала`` as ``Kana``) about as surely as ``rus`` reads them right, and which language
Tesseract asked first is no evidence; the rest of the line is.

Then each word is chosen again in the light of its neighbours as chosen: where the
nearest words with letters on both sides are in one script (at either end of a line,
the one neighbour, when its script is that of most of the line), a reading in that
script keeps the word against one in the other unless the other is surer by the
margin, and always when it is a dictionary word and the other is not. ``eng``'s
dictionary holds many short words that Cyrillic words look like (``поље`` read as
``nome``, ``Ҡала`` as ``Kana``, ``моє`` as ``moe``), and ``rus``'s lacks the words of
the other Cyrillic languages, so among Cyrillic words the dictionary is no evidence
either; an English word among Russian ones (``RESET``, ``pelmeni``) is read surer by
far more than the margin. Where the neighbours' scripts differ, the line's decides
only when it is that of three quarters of its words (``eng`` misreads Cyrillic words in
a row, ``һеҙ Ҡала`` as ``neg Kana``); else the word is chosen as if the line had no
script: one line of a page can hold a Russian sentence and an English one (``...turns
green». В переводе``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from functools import partial

from ._tesseract import RawLine, RawWord
from .lookalikes import letter_script

__all__ = ["MARGIN", "mixes_scripts", "choose_words"]

#: Confidence points by which a reading must beat another of the same standing (both in
#: their dictionaries, or neither): ``Оп`` came within 1.5 of ``On``, ``pelmeni`` beat
#: ``реїтепі`` by 8 to 26 on the accuracy harness's pages, and every English word among
#: Russian ones there its Cyrillic reading by 7 or more (``RESET`` under blur).
MARGIN = 5.0

#: The share of a line's words (with letters) in one script that makes it the context
#: of a word whose neighbours disagree: ``eng`` misreads Cyrillic words in a row (``һеҙ
#: Ҡала`` as ``neg Kana``), so each has one neighbour of each script. The accuracy
#: harness's mixed pages hold lines of an English and a Russian sentence that are 2/3
#: and 5/7 Latin, whose first Russian words must not take the English context.
LINE_SHARE = 0.75

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


def _majority_script(words: Sequence[RawWord], share: float = 0.0) -> str | None:
    """The script of most of the words with letters (None on a tie, without letters, or
    when it holds less than ``share`` of them)."""
    counts = Counter(script for word in words if (script := _script(word.text)))
    ranked = counts.most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return None
    script, count = ranked[0]
    return script if count >= share * sum(counts.values()) else None


def _better(other: RawWord, word: RawWord, line_script: str | None) -> bool:
    """Whether ``other`` is a better reading of the same word than ``word``, in a line
    mostly of ``line_script``."""
    if other.in_dictionary != word.in_dictionary:
        return other.in_dictionary and other.confidence > word.confidence
    if (not other.in_dictionary and line_script and _script(other.text) == line_script
            and _script(word.text) not in (line_script, None)):
        return other.confidence > word.confidence - MARGIN
    return other.confidence > word.confidence + MARGIN


def _surer_alone(readings: Sequence[Sequence[RawWord]]) -> str | None:
    """The script of the one-language reading of a line (its words in each reading)
    whose words are surer on average."""
    means = [(sum(word.confidence for word in words) / len(words), script)
             for words in readings if words and (script := _majority_script(words))]
    return max(means)[1] if means else None


def _neighbour_scripts(words: Sequence[RawWord]) -> list[str | None]:
    """Each word's context: the script of the nearest words with letters on both sides
    when they agree, else the line's when :data:`LINE_SHARE` of its words are in it; at
    either end of the line, that of the one neighbour when it is the script of most of
    the line's words; else None."""
    scripts = [_script(word.text) for word in words]
    majority = _majority_script(words)
    line_script = _majority_script(words, LINE_SHARE)
    contexts = []
    for i in range(len(scripts)):
        before = next((s for s in reversed(scripts[:i]) if s), None)
        after = next((s for s in scripts[i + 1:] if s), None)
        if before and after:
            contexts.append(before if before == after else line_script)
        else:
            side = before or after
            contexts.append(side if side == majority else None)
    return contexts


def _better_in_context(other: RawWord, word: RawWord, context: str | None) -> bool:
    """Whether ``other`` is a better reading than ``word`` between neighbours of the
    script ``context``."""
    other_script, word_script = _script(other.text), _script(word.text)
    if (context is None or other_script is None or word_script is None
            or other_script == word_script or context not in (other_script, word_script)):
        return _better(other, word, None)
    inside, outside = (other, word) if other_script == context else (word, other)
    outside_wins = (not (inside.in_dictionary and not outside.in_dictionary)
                    and outside.confidence > inside.confidence + MARGIN)
    return outside_wins == (other is outside)


def _best(word: RawWord, others: Sequence[RawWord], better: Callable[[RawWord, RawWord], bool]) -> RawWord:
    best = word
    for other in others:
        if better(other, best):
            best = other
    return best


def choose_words(page: Sequence[RawLine], readings: Sequence[Sequence[RawLine]]) -> list[RawLine]:
    """``page``'s lines with each word replaced by the best reading of the same word
    (same box, see :data:`SAME_WORD_OVERLAP`) in ``readings``, where one is better (see
    the module's docstring): first by the script of the line, then by that of the
    word's neighbours as first chosen. A line with as many words in each script is first
    taken to be in the script of the language that reads it surer alone.

    A word that another reading splits or joins differently keeps its page reading."""
    other_lines = [[(_span(line), line.words) for line in reading] for reading in readings]
    chosen = []
    for line in page:
        top, bottom = _span(line)
        alone = [[word for (other_top, other_bottom), words in reading
                  if other_top < bottom and top < other_bottom for word in words]
                 for reading in other_lines]
        line_script = _majority_script(line.words) or _surer_alone(alone)
        same = [[other for others in alone for other in others
                 if _overlap(word.box, other.box) >= SAME_WORD_OVERLAP]
                for word in line.words]
        first = [_best(word, its, partial(_better, line_script=line_script))
                 for word, its in zip(line.words, same)]
        words = [_best(word, its, partial(_better_in_context, context=context))
                 for word, its, context in zip(line.words, same, _neighbour_scripts(first))]
        chosen.append(line._replace(words=words))
    return chosen
