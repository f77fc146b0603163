"""Real words from the Unicode CLDR, as Babel ships it: the names of countries, cities,
languages, months and units that each language's locale data spells in its own letters.

The project's own corpus holds a few dozen words per language; a letter like Ґ or Җ is in
a handful of them, and a model trained on those learns the handful of words, not the
letter. Babel's locale data has hundreds to thousands of words for most of the languages
that the added letters come from (Ukrainian 1,666 words with them, Serbian 776, Kazakh
300, Abkhaz 249), in the languages' own spelling. Babel is an optional dependency
(``pip install 'ocr[training]'``) pinned to one version, because a newer CLDR changes the
words and so the training text.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

__all__ = ["WORD", "babel_version", "locale_words"]

WORD = re.compile(r"[^\W\d_]+")
"""A word: a run of letters."""


def _require_babel() -> None:
    try:
        import babel  # noqa: F401
    except ImportError as exc:
        raise ImportError("CLDR words need Babel: pip install 'ocr[training]'") from exc


def babel_version() -> str:
    """The installed Babel's version, which fixes the CLDR data and so the words."""
    _require_babel()
    import babel

    return str(babel.__version__)


@functools.lru_cache(maxsize=None)
def locale_words(tag: str) -> frozenset[str]:
    """Every word (a run of letters, NFC) in the locale data of ``tag`` itself, not
    inherited from its parent locales; empty when CLDR has no such locale."""
    _require_babel()
    from babel import localedata

    if not localedata.exists(tag):
        return frozenset()
    data = localedata.load(tag, merge_inherited=False)
    return frozenset(w for s in _strings(data)
                     for w in WORD.findall(unicodedata.normalize("NFC", s)))


def _strings(value: object) -> Iterable[str]:
    """The strings anywhere in Babel's nested locale data: keys too (some are names),
    and the attributes of its objects (number formats hold words like мільярди)."""
    if isinstance(value, str):
        yield value
    elif hasattr(value, "items"):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            yield from _strings(item)
    elif hasattr(value, "__dict__"):
        yield from _strings(vars(value))
