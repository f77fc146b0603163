"""Putting each run of letters in one script where Latin and Cyrillic look alike."""

from __future__ import annotations

import unicodedata

import pytest

import ocr
from ocr.lookalikes import CYRILLIC_TO_LATIN, LATIN_TO_CYRILLIC, fix_line
from ocr.training.evaluate import render_line

DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def scripts(text: str) -> set[str]:
    return {unicodedata.name(c).split()[0] for c in text if c.isalpha()}


def test_the_tables_pair_letters_of_the_two_scripts() -> None:
    for table, source, target in ((LATIN_TO_CYRILLIC, "LATIN", "CYRILLIC"),
                                  (CYRILLIC_TO_LATIN, "CYRILLIC", "LATIN")):
        for a, b in table.items():
            assert scripts(a) == {source} and scripts(b) == {target}, (a, b)
            assert a.isupper() == b.isupper()
    # every Latin letter maps back to itself through its Cyrillic twin
    assert all(CYRILLIC_TO_LATIN[c] == lat for lat, c in LATIN_TO_CYRILLIC.items())


@pytest.mark.parametrize(("words", "expected"), [
    # a letter only one script has decides the run
    (["Пpивeт,", "Maшa!"], ["Привет,", "Маша!"]),
    (["Jугославија"], ["Југославија"]),
    (["hава"], ["һава"]),
    (["Ѕwеet"], ["Sweet"]),  # w is only Latin: Cyrillic Ѕ and е become Latin
    # each run of a word on its own
    (["Windows-пpиложение"], ["Windows-приложение"]),
    # a lower-case run of look-alikes follows the line, capitals are left alone
    (["мама", "a", "папа"], ["мама", "а", "папа"]),
    (["Пётр", "I", "и", "IBM"], ["Пётр", "I", "и", "IBM"]),
    (["XIV", "век"], ["XIV", "век"]),
    (["CСCP", "и", "мир"], ["СССР", "и", "мир"]),  # capitals mixing the scripts
    # in a line of both scripts, the nearest runs with letters of their own decide
    (["I", "saw", "a", "cat", "in", "Москва"], ["I", "saw", "a", "cat", "in", "Москва"]),
    (["секунд,", "a", "затем", "POWER"], ["секунд,", "а", "затем", "POWER"]),
    (["Ҕ", "іѕ", "a", "Cyrillic"], ["Ҕ", "іѕ", "a", "Cyrillic"]),  # they disagree
    # letters of both scripts in one run: left as read
    (["wж"], ["wж"]),
    # digits and punctuation are not letters
    (["1984,", "—", "«ок»"], ["1984,", "—", "«ок»"]),
])
def test_fix_line(words: list[str], expected: list[str]) -> None:
    assert fix_line(words) == expected


def test_a_line_without_cyrillic_is_never_changed() -> None:
    words = ["Ŀ", "is", "a", "Latin-extended", "character", "Ǣ", "café", "IBM", "x"]
    assert fix_line(words) == words
    assert fix_line([]) == []


def test_the_engine_puts_words_in_one_script() -> None:
    """eng+rus reads the Russian word а of a rendered line; with the fix it is Cyrillic
    whatever the model picked, and the fix is what makes the difference."""
    image = render_line("мама а папа, дом и сад", DEJAVU, 36)
    with ocr.OcrEngine(["eng", "rus"]) as engine:
        assert engine.fix_lookalikes
        fixed = engine.recognize(image)
        engine.set_fix_lookalikes(False)
        raw = engine.recognize(image)
    assert fixed.text == "мама а папа, дом и сад"
    assert scripts(fixed.text) == {"CYRILLIC"}
    assert [w.text for w in fixed.words] == fix_line([w.text for w in raw.words])
    assert [w.bbox for w in fixed.words] == [w.bbox for w in raw.words]
