"""Latin and Cyrillic letters that look alike, and putting each word in one script.

A Latin ``a`` and a Cyrillic ``а`` are the same shape. With several languages
(``eng+rus``) Tesseract reads each word with every model and keeps the likelier reading,
so a Russian ``а`` sometimes comes out as ``eng``'s Latin ``a``. The output looks right
and is wrong: search, spell-checking and comparisons miss it.

:func:`fix_line` puts runs of letters in one script, within a line:

- a run with letters only one script has (``ж``, ``w``) takes that script for its
  look-alike letters too (``Пpивeт`` with Latin p and e becomes ``Привет``);
- a run with letters only Latin has and letters only Cyrillic has is left alone;
- a run made only of look-alikes takes the script of the nearest runs with letters of
  their own before and after it in the line, when they agree (one of them, at either end
  of the line), if it mixes the scripts or is in lower case (the Russian ``а``, ``с``,
  ``о`` read as Latin); in capitals it is left alone, since Latin capitals are often
  meant in Cyrillic text (``IBM``, the Roman ``XIV``).

>>> fix_line(["Пpивeт,", "Maшa!"])
['Привет,', 'Маша!']
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from typing import Literal

__all__ = ["LATIN_TO_CYRILLIC", "CYRILLIC_TO_LATIN", "fix_line", "letter_script"]

Script = Literal["latin", "cyrillic"]

#: Latin letters and the Cyrillic letter of the same shape; where several Cyrillic
#: letters share a shape (Y: У, Ү), the one a Latin letter in a Cyrillic word most
#: often stands for.
LATIN_TO_CYRILLIC: Mapping[str, str] = {
    "A": "А", "B": "В", "C": "С", "E": "Е", "H": "Н", "I": "І", "J": "Ј", "K": "К",
    "M": "М", "O": "О", "P": "Р", "S": "Ѕ", "T": "Т", "X": "Х", "Y": "У",
    "a": "а", "c": "с", "e": "е", "h": "һ", "i": "і", "j": "ј", "o": "о", "p": "р",
    "s": "ѕ", "x": "х", "y": "у",
    "Ä": "Ӓ", "Ë": "Ё", "Ï": "Ї", "Ö": "Ӧ", "ä": "ӓ", "ë": "ё", "ï": "ї", "ö": "ӧ",
}

#: Cyrillic letters and the Latin letter of the same shape.
CYRILLIC_TO_LATIN: Mapping[str, str] = {
    **{cyr: lat for lat, cyr in LATIN_TO_CYRILLIC.items()},
    "Ү": "Y", "ү": "y",
}

_CYRILLIC_BLOCKS = re.compile("[\u0400-\u052f\u1c80-\u1c8f\u2de0-\u2dff\ua640-\ua69f]")

_TO: Mapping[Script, Mapping[str, str]] = {"cyrillic": LATIN_TO_CYRILLIC,
                                           "latin": CYRILLIC_TO_LATIN}


@functools.cache
def letter_script(char: str) -> Script | None:
    """The script of a letter, when it is Latin or Cyrillic."""
    name = unicodedata.name(char, "")
    if name.startswith("LATIN "):
        return "latin"
    if name.startswith("CYRILLIC "):
        return "cyrillic"
    return None


@functools.cache
def _distinct_script(char: str) -> Script | None:
    """The script of a letter that only that script draws this way."""
    if char in LATIN_TO_CYRILLIC or char in CYRILLIC_TO_LATIN:
        return None
    return letter_script(char)


_LETTER_RUN = re.compile(r"[^\W\d_]+")  # letters; Tesseract's text is NFC


def _runs(word: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each run of letters in ``word``."""
    for match in _LETTER_RUN.finditer(word):
        yield match.span()


def _own_script(run: str) -> Script | Literal["both"] | None:
    """The script of the letters only one script has in ``run``: None when it has none,
    ``"both"`` when it has letters only Latin has and letters only Cyrillic has."""
    distinct = {s for s in map(_distinct_script, run) if s is not None}
    if len(distinct) > 1:
        return "both"
    return distinct.pop() if distinct else None


def _decided(own: Script | Literal["both"] | None) -> Script | None:
    if own == "latin" or own == "cyrillic":
        return own
    return None


def _lookalike_target(run: str, context: set[Script]) -> Script | None:
    """The script for a run made only of look-alikes, given the scripts of the nearest
    runs that have a script of their own, on either side; None to leave it."""
    if len(context) != 1:
        return None  # nothing around it, or Latin on one side and Cyrillic on the other
    mixed = len({s for s in map(letter_script, run) if s is not None}) > 1
    # in one script, lower case is a word misread (Russian а, с, о read as Latin),
    # capitals may be meant (IBM, the Roman XIV in Russian text)
    if mixed or not any(c.isupper() for c in run):
        return next(iter(context))
    return None


def fix_line(words: Sequence[str]) -> list[str]:
    """The words of one line with every run of letters in one script (see the module
    docstring); words with nothing to change are returned as they are."""
    if not any(_CYRILLIC_BLOCKS.search(word) for word in words):
        return list(words)  # nothing to decide: only Cyrillic letters change a line
    runs = [(i, start, end) for i, word in enumerate(words) for start, end in _runs(word)]
    own = [_own_script(words[i][start:end]) for i, start, end in runs]
    # the nearest run with a script of its own before and after each run
    before: list[Script | None] = []
    last: Script | None = None
    for script in own:
        before.append(last)
        last = _decided(script) or last
    after: list[Script | None] = []
    last = None
    for script in reversed(own):
        after.append(last)
        last = _decided(script) or last
    after.reverse()
    changed: dict[int, list[tuple[int, int, str]]] = {}
    for (i, start, end), script, left, right in zip(runs, own, before, after):
        run = words[i][start:end]
        target = _decided(script)
        if script is None:
            target = _lookalike_target(run, {s for s in (left, right) if s is not None})
        if target is not None:
            fixed = "".join(_TO[target].get(c, c) for c in run)
            if fixed != run:
                changed.setdefault(i, []).append((start, end, fixed))
    out = list(words)
    for i, edits in changed.items():
        word = words[i]
        for start, end, fixed in reversed(edits):
            word = word[:start] + fixed + word[end:]
        out[i] = word
    return out
