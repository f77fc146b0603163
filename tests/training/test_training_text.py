"""The training-text generator: balance, character sets, partitions, fonts."""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from ocr.training import cldr, text



def _have_model(lang: str) -> bool:
    try:
        text.base_characters(lang)
    except (LookupError, OSError, ValueError):
        return False
    return True


@pytest.fixture(scope="module", params=text.LANGUAGES)
def lang(request: pytest.FixtureRequest) -> str:
    return str(request.param)


_DEFAULT_RUNS: dict[str, list[str]] = {}


def _default_run(lang: str) -> list[str]:
    if lang not in _DEFAULT_RUNS:
        _DEFAULT_RUNS[lang] = text.training_lines(lang)
    return _DEFAULT_RUNS[lang]


# ---- character sets


def test_new_characters_are_the_issue_sets_minus_the_stock_unicharsets() -> None:
    eng = text.new_characters("eng")
    assert len(eng) == 216
    assert {"Ǣ", "ǣ", "Ǽ", "ǽ", "ŀ", "Ŀ", "ſ", "¡", "¿", "½", "µ"} <= set(eng)
    assert not {"é", "£", "«", "»", "°", "©", "\u00ad"} & set(eng)  # stock eng has these
    assert all(0xA1 <= ord(c) <= 0x17F or c in "ǢǣǼǽ" for c in eng)
    rus = text.new_characters("rus")
    assert len(rus) == 80
    assert set("ҔҕӘәҮүҢңӨөҺһҒғҚқҰұҘҙҪҫЇїЄєҐґЎўЂђЈјЉљЊњЋћЏџѓѕќԥ") <= set(rus)
    assert not set("ЁёЙйЪъ") & set(rus)
    assert all(unicodedata.name(c).startswith("CYRILLIC") for c in rus)


# ---- training text


def test_same_seed_same_lines_other_seed_other_lines(lang: str) -> None:
    first = text.training_lines(lang, lines=300, seed=7, min_count=0)
    assert first == text.training_lines(lang, lines=300, seed=7, min_count=0)
    assert first != text.training_lines(lang, lines=300, seed=8, min_count=0)
    assert len(first) == 300


def test_every_new_character_reaches_min_count_in_both_cases(lang: str) -> None:
    lines = _default_run(lang)
    assert len(lines) == text.DEFAULT_LINES[lang]
    new = text.new_characters(lang)
    counts = text.character_counts(lines, new)
    short = {c: n for c, n in counts.items() if n < 60}
    assert not short
    pairs = [c for c in new if c.isupper() and c.lower() in new]
    assert len(pairs) >= 30  # capitals are trained, not only small letters
    assert all(counts[c] >= 60 and counts[c.lower()] >= 60 for c in pairs)


def test_new_letters_also_stand_alone_as_words(lang: str) -> None:
    """A letter read on its own (``Ҕ is a Cyrillic character.``) has no word around it
    to help: the training text shows every new letter that way too."""
    alone: set[str] = set()
    for line in _default_run(lang):
        for token in line.split():
            core = token.strip(".,;:!?…«»“”„\"'()—")
            if len(core) == 1:
                alone.add(core)
    letters = {c for c in text.new_characters(lang) if c.isalpha()}
    assert letters <= alone, sorted(letters - alone)


def test_no_character_outside_the_target_set(lang: str) -> None:
    allowed = text.target_characters(lang) | {" "}
    for line in _default_run(lang):
        assert line == unicodedata.normalize("NFC", line)
        assert line == line.strip() and "\n" not in line and "\t" not in line
        stray = set(line) - allowed
        assert not stray, (line, stray)


def test_about_half_the_lines_are_general_text(lang: str) -> None:
    lines = _default_run(lang)
    share = text.general_share(lines, text.new_characters(lang))
    assert 0.48 <= share <= 0.52


def test_general_text_looks_like_text(lang: str) -> None:
    lines = _default_run(lang)
    new = frozenset(text.new_characters(lang))
    general = [line for line in lines if not new & set(line)]
    starts = sum(1 for line in general if line[:1].isupper() or line[:1] in "«“\"—")
    assert starts / len(general) > 0.8  # capitals at the start of lines
    assert sum(1 for line in general if any(c.isdigit() for c in line)) / len(general) > 0.1
    assert len({line for line in lines}) > 0.97 * len(lines)  # hardly any repeats
    if lang == "rus":
        assert sum(line.count("ё") + line.count("Ё") for line in general) > 100
    assert all(len(line) <= 120 for line in lines)


def test_too_few_lines_is_an_error_that_says_what_to_do(lang: str) -> None:
    with pytest.raises(ValueError, match="more lines"):
        text.training_lines(lang, lines=100, min_count=60)


def test_focus_characters_come_focus_factor_times_as_often(lang: str) -> None:
    new = text.new_characters(lang)
    hard = text.HARD_CHARACTERS[lang]
    assert len(set(hard)) == len(hard) and set(hard) <= set(new)
    lines = text.training_lines(lang, min_count=30, focus=hard, focus_factor=3)
    counts = text.character_counts(lines, new)
    assert min(counts[c] for c in hard) >= 90
    assert min(counts[c] for c in new if c not in hard) >= 30
    plain = text.character_counts(text.training_lines(lang, min_count=30), new)

    def hard_over_others(counts: dict[str, int]) -> float:
        others = [counts[c] for c in new if c not in hard]
        return (sum(counts[c] for c in hard) / len(hard)) / (sum(others) / len(others))

    # in as many lines, the focus characters get the room the others give up (lines
    # made for a focus character carry others too, so the ratio is under 3)
    assert hard_over_others(counts) > 1.6
    assert hard_over_others(plain) < 1.2
    assert text.training_lines(lang, min_count=30, focus="", focus_factor=3) == \
        text.training_lines(lang, min_count=30)


def test_focus_hard_names_the_measured_characters(lang: str) -> None:
    assert text.focus_characters(lang, "hard") == text.HARD_CHARACTERS[lang]
    assert text.focus_characters(lang, "ŀĿ") == "ŀĿ"
    with pytest.raises(ValueError, match="no measured hard characters for 'fra'"):
        text.focus_characters("fra", "hard")


def test_focus_outside_the_new_characters_or_too_much_is_refused(lang: str) -> None:
    with pytest.raises(ValueError, match="not new: a"):
        text.training_lines(lang, lines=300, min_count=0, focus="a")
    with pytest.raises(ValueError, match="focus_factor must be at least 1"):
        text.training_lines(lang, lines=300, min_count=0, focus=text.HARD_CHARACTERS[lang],
                            focus_factor=0)
    with pytest.raises(ValueError, match="focus factor 1000"):
        text.training_lines(lang, min_count=40, focus=text.HARD_CHARACTERS[lang][:1],
                            focus_factor=1000)


def _words_with(lines: list[str], letters: str) -> set[str]:
    return {w.strip(".,;:!?…«»“”„\"'()—") for line in lines for w in line.split()
            if set(letters) & set(w)}


def test_respelled_words_show_a_rare_letter_in_many_words(lang: str) -> None:
    """Ҟ and Ŧ are in a handful of corpus words; respelled dictionary words (ТАҞСИ) put
    them in many more, in capitals and in small letters, and the other letters still reach their
    counts. Without respelling the text is what it was."""
    rare = {"eng": "Ŧŧ", "rus": "Ҟҟ"}[lang]
    plain = text.training_lines(lang, lines=3000, min_count=20)
    assert text.training_lines(lang, lines=3000, min_count=20, respelled=0.0) == plain
    respelled = text.training_lines(lang, lines=3000, min_count=20, respelled=0.5)
    before, after = _words_with(plain, rare), _words_with(respelled, rare)
    assert len(before) < 15 and len(after) > 3 * len(before)
    assert any(w.isupper() and len(w) > 3 for w in after - before)
    assert any(w.islower() and len(w) > 3 for w in after - before)
    counts = text.character_counts(respelled, text.new_characters(lang))
    assert min(counts.values()) >= 20
    allowed = text.target_characters(lang) | {" "}
    assert all(not set(line) - allowed for line in respelled)
    with pytest.raises(ValueError, match=r"respelled must be in \[0, 1\)"):
        text.training_lines(lang, lines=3000, min_count=20, respelled=1.0)


def _capitalised_words(lines: list[str]) -> int:
    """Words of lines whose every word of letters starts with a capital, the rest small."""
    count = 0
    for line in lines:
        words = [w.strip(".,;:!?…«»“”„\"'()—") for w in line.split()]
        words = [w for w in words if w.isalpha()]
        if len(words) >= 4 and all(w[0].isupper() and w[1:].islower() for w in words
                                   if len(w) > 1):
            count += len(words)
    return count


def test_capitalised_plain_lines_start_every_word_with_a_capital(lang: str) -> None:
    """A share of the plain lines are dictionary words each with a capital first (Красный
    Кот), of the model's own letters only; the new letters still reach their counts, and
    without the option the text is what it was."""
    plain = text.training_lines(lang, lines=3000, min_count=20)
    assert text.training_lines(lang, lines=3000, min_count=20, capitalised=0.0) == plain
    capitalised = text.training_lines(lang, lines=3000, min_count=20, capitalised=0.3)
    assert _capitalised_words(capitalised) > 5 * max(_capitalised_words(plain), 100)
    base = text.base_characters(lang) | {" "}
    new = set(text.new_characters(lang))
    added = [line for line in capitalised if line not in set(plain)]
    assert any(not set(line) - base for line in added)
    assert min(text.character_counts(capitalised, new).values()) >= 20
    with pytest.raises(ValueError, match=r"capitalised must be in \[0, 1\)"):
        text.training_lines(lang, lines=3000, min_count=20, capitalised=1.0)


def test_lookalike_capitals_are_the_bases_of_added_capitals_and_their_kin() -> None:
    assert text.lookalike_capitals("rus") == "ЁГЕЖЗИЙКЛНОПСТУХЦЧЭ"
    assert {"A", "E", "L", "O"} <= set(text.lookalike_capitals("eng"))
    assert not {"B", "F", "M"} & set(text.lookalike_capitals("eng"))  # no added Ḃ, Ḟ, Ṁ


def test_lookalike_initials_start_capitalised_words_with_those_capitals() -> None:
    """Half the words of the capitalised lines start with a capital an added one looks
    like: capital Ё and Й, rare at the start of a word in running text, are there by
    the dozen; the option needs capitalised lines, and 0 changes nothing."""
    def initials(lines: list[str]) -> Counter[str]:
        return Counter(w[0] for line in lines for w in line.split() if w[:1].isupper())

    capitalised = text.training_lines("rus", lines=3000, min_count=20, capitalised=0.3)
    assert text.training_lines("rus", lines=3000, min_count=20, capitalised=0.3,
                               lookalike_initials=0.0) == capitalised
    swapped = text.training_lines("rus", lines=3000, min_count=20, capitalised=0.3,
                                  lookalike_initials=0.5)
    before, after = initials(capitalised), initials(swapped)
    assert before["Ё"] < 10 and after["Ё"] > 50
    assert before["Й"] < 10 and after["Й"] > 50
    assert min(after[c] for c in text.lookalike_capitals("rus")) >= 40
    with pytest.raises(ValueError, match="give capitalised too"):
        text.training_lines("rus", lines=3000, min_count=20, lookalike_initials=0.5)


def test_context_free_lines_hold_the_letters_in_made_up_words(lang: str) -> None:
    """Made-up words: every one holds a focus letter (or is a focus symbol), none is a
    word of the evaluation text or of the model's dictionary, all three cases occur, and
    some double a focus letter (ЇЇ); the same seed gives the same lines."""
    focus = {"eng": "ĔſŀĳŊ½¶", "rus": "ҞҚЇЈІһ"}[lang]
    lines = text.context_free_lines(lang, 300, seed=5, letters=focus)
    assert len(lines) == 300
    assert lines == text.context_free_lines(lang, 300, seed=5, letters=focus)
    assert lines != text.context_free_lines(lang, 300, seed=6, letters=focus)
    allowed = text.target_characters(lang) | {" "}
    assert all(not set(line) - allowed for line in lines)
    words = [w.rstrip(".,;:!?") for line in lines for w in line.split()]
    folded = {c.lower() for c in focus} | {c.upper() for c in focus} | set(focus)
    assert all(set(w) & folded for w in words)
    forbidden = text._evaluation_words(lang) | {w.lower() for w in text.dictionary_words(lang)}
    made_up = [w for w in words if any(c.isalpha() for c in w)]
    assert not {w.lower() for w in made_up} & forbidden
    assert any(w.isupper() and len(w) > 2 for w in words)
    assert any(w.islower() and len(w) > 2 for w in words)
    assert any(w[:1].isupper() and w[1:].islower() for w in words)
    assert any(a == b and a.lower() in folded for w in words for a, b in zip(w, w[1:]))
    if lang == "eng":
        assert {"½", "¶"} <= set(words)  # symbols stand alone
    assert len(set(made_up)) > 0.9 * len(made_up)
    with pytest.raises(ValueError, match="outside"):
        text.context_free_lines(lang, 3, letters="Ω")


def test_training_text_mixes_in_context_free_lines(lang: str) -> None:
    """``context_free`` adds that many made-up lines to the generated ones and shuffles
    them in; 0 gives the text of earlier versions."""
    focus = {"eng": "Ŀŀ", "rus": "Ҟҟ"}[lang]
    plain = text.training_lines(lang, lines=3000, min_count=20, focus=focus)
    assert text.training_lines(lang, lines=3000, min_count=20, focus=focus,
                               context_free=0) == plain
    mixed = text.training_lines(lang, lines=3000, min_count=20, focus=focus,
                                context_free=400)
    made_up = text.context_free_lines(lang, 400, seed=1, letters=focus)
    assert sorted(mixed) == sorted(plain + made_up)
    assert mixed[-400:] != made_up


def test_cldr_words_add_real_words_the_evaluation_never_shows(lang: str) -> None:
    """Babel's CLDR data spells hundreds of names and words with the added letters (Ґ
    in Ґренландія's kin, ħ in Maltese month names); the training text gains them, but no
    word of the evaluation partition, in any case. Without them the text is unchanged."""
    from ocr.training.text import _SCRIPT, _cldr_words, _corpora, _evaluation_words

    plain = text.training_lines(lang, lines=3000, min_count=20)
    assert text.training_lines(lang, lines=3000, min_count=20, cldr_words=False) == plain
    with_cldr = text.training_lines(lang, lines=3000, min_count=20, cldr_words=True)
    assert with_cldr != plain
    folder = text._tessdata(None)
    extra = {w for c in _corpora(_SCRIPT[lang], "train") for w in _cldr_words(lang, folder, c)}
    assert len(extra) > 1000
    assert not {w.lower() for w in extra} & _evaluation_words(lang)
    new = set(text.new_characters(lang))
    allowed = text.target_characters(lang)
    assert all(set(w) & new and set(w) <= allowed for w in extra)
    shown = _words_with(with_cldr, "".join(new)) & extra
    assert len(shown - _words_with(plain, "".join(new))) > 300
    evaluation = {w.lower() for line in text.evaluation_lines(lang, "new")
                  for w in cldr.WORD.findall(line)}
    assert not {w.lower() for w in shown} & evaluation
    counts = text.character_counts(with_cldr, text.new_characters(lang))
    assert min(counts.values()) >= 20


def test_cldr_locale_words_are_the_locales_own() -> None:
    uk, sr = cldr.locale_words("uk"), cldr.locale_words("sr")
    assert {"Україна", "Київ", "січня"} <= uk and "Србија" in sr
    assert "January" not in uk  # nothing inherited from the root locale's English
    assert cldr.locale_words("xx") == frozenset()
    assert cldr.babel_version() == "2.19.0"  # the pin in pyproject.toml: the words depend on it


def test_cldr_words_without_babel_say_how_to_get_it(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from ocr.training.cli import main

    monkeypatch.setitem(sys.modules, "babel", None)  # as if not installed
    monkeypatch.setattr(cldr, "locale_words", cldr.locale_words.__wrapped__)
    with pytest.raises(ImportError, match=r"pip install 'ocr\[training\]'"):
        cldr.locale_words("uk")
    status = main(["finetune", "--lang", "rus", "--cldr-words", "--work", str(tmp_path),
                   "--output", str(tmp_path / "rus.traineddata")])
    assert status != 0
    assert "CLDR words need Babel: pip install 'ocr[training]'" in capsys.readouterr().err


def test_a_respelled_word_takes_the_letter_for_its_base_letter() -> None:
    from random import Random

    from ocr.training.text import _respell

    rng = Random(1)
    assert _respell("такси", "ҟ", rng, at_start=False) == "таҟси"
    assert _respell("ТАКСИ", "Ҟ", rng, at_start=False) == "ТАҞСИ"
    assert _respell("такси", "Ҟ", rng, at_start=True) == "Ҟакси"
    assert _respell("college", "ŀ", rng, at_start=False) in ("coŀlege", "colŀege")
    word = _respell("дом", "ҕ", rng, at_start=False)  # no г: any one letter
    assert len(word) == 3 and word.count("ҕ") == 1


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown language"):
        text.training_lines("deu")


# ---- evaluation text


def test_evaluation_text_is_disjoint_from_training_text(lang: str) -> None:
    train = set(_default_run(lang))
    new_lines = text.evaluation_lines(lang, "new", lines=300, seed=1)
    plain = text.evaluation_lines(lang, "plain", lines=200, seed=1)
    assert len(plain) == 200 and len(new_lines) == 300
    assert not train & set(new_lines) and not train & set(plain)
    new = text.new_characters(lang)
    counts = text.character_counts(new_lines, new)
    assert min(counts.values()) >= 5
    assert text.general_share(plain, new) == 1.0
    assert text.evaluation_lines(lang, "plain", lines=50, seed=4) == \
        text.evaluation_lines(lang, "plain", lines=50, seed=4)


@pytest.mark.parametrize("script,lang", [("latin", "eng"), ("cyrillic", "rus")])
def test_corpus_partitions_share_no_item(script: str, lang: str) -> None:
    train = text._corpora(script, "train")
    held = text._corpora(script, "eval")
    for a, b in zip(train, held):
        assert a.tag == b.tag
        assert not set(a.items) & set(b.items)
        assert not set(a.sentences) & set(b.sentences)
    added = text.new_characters(lang)
    symbols = {part: text._general("symbols", part).templates["templates"]
               for part in ("train", "eval")} if script == "latin" else {"train": (), "eval": ()}
    for part, corpora in (("train", train), ("eval", held)):
        carried: set[str] = set()
        for corpus in corpora:
            for item in corpus.items:
                carried |= text._carried(item, corpus.tag)
            for sentence in corpus.sentences:
                carried |= text._placeholder_chars(sentence)
        for template in symbols[part]:
            carried |= text._placeholder_chars(template)
        assert not set(added) - carried, (part, set(added) - carried)


def test_dictionary_partitions_share_no_word() -> None:
    folder = text._tessdata(None)
    train_words, train_names = text._dictionary("eng", folder, "train")
    eval_words, eval_names = text._dictionary("eng", folder, "eval")
    assert not set(train_words) & set(eval_words)
    assert not set(train_names) & set(eval_names)
    assert len(eval_words) > 0.1 * len(train_words)


@pytest.mark.parametrize("script,lang", [("latin", "eng"), ("cyrillic", "rus")])
def test_corpus_files_hold_only_target_characters(script: str, lang: str) -> None:
    """Catches typos such as a Latin e in a Cyrillic word, or a decomposed accent."""
    allowed = text.target_characters(lang) | {" "}
    for path in sorted((text.CORPUS_DIR / script).glob("*.txt")):
        for section, items in text._raw_items(path).items():
            for item in items:
                bare = text._PLACEHOLDER.sub("", item)
                assert bare == unicodedata.normalize("NFC", bare)
                assert not set(bare) - allowed, (path.name, section, item, set(bare) - allowed)


def test_capitals_follow_the_language() -> None:
    assert text._upper("istanbul", "tr") == "İSTANBUL"
    assert text._upper("straße", "de") is None  # no ẞ in the target set
    assert text._upper("ŀl", "ca") == "ĿL"
    assert text._capitalise("ŉ mens leer", "af") == "ŉ Mens leer"
    assert text._capitalise("izmir", "tr") == "İzmir"
    assert text._capitalise("«ёлка»", "ru") == "«Ёлка»"


# ---- command line


def test_cli_writes_lines_and_stats(lang: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert text.main([lang, "--lines", "200", "--min-count", "0", "--seed", "2"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == text.training_lines(lang, lines=200, min_count=0, seed=2)
    assert text.main([lang, "--stats", "--lines", "200", "--min-count", "0"]) == 0
    stats = capsys.readouterr().out.splitlines()
    assert stats[0].startswith("# 200 lines")
    assert len(stats) == 1 + len(text.new_characters(lang))
    assert text.main([lang, "--lines", "50"]) == 1
    assert "more lines" in capsys.readouterr().err


# ---- fonts

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
LIBERATION = Path("/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf")


def test_font_coverage_agrees_with_rendering() -> None:
    fonts = {f.path: f for f in text.installed_fonts()}
    dejavu, liberation = fonts[DEJAVU], fonts[LIBERATION]
    assert dejavu.name == "DejaVu Sans" and liberation.name == "Liberation Sans"
    probe = "ҔҕԤԥӘŀĿǢǣ"
    assert dejavu.missing(probe) == frozenset() == text.glyph_missing(DEJAVU, probe)
    # Liberation Sans has Ҕ and Ǣ but no Abkhaz Ԥ (U+0524, Unicode 5.2)
    assert liberation.missing(probe) == {"Ԥ", "ԥ"} == text.glyph_missing(LIBERATION, probe)
    assert text.fonts_covering("Ԥ", [dejavu, liberation]) == [dejavu]
    assert text.fonts_covering("Ԥ", [dejavu, liberation], max_missing=1) == [dejavu, liberation]


def test_font_names_are_the_ones_text2image_takes(tmp_path: Path) -> None:
    listed = subprocess.run(  # text2image leaves a fonts.conf in its working folder
        ["text2image", "--list_available_fonts", "--fonts_dir", "/usr/share/fonts"],
        capture_output=True, text=True, check=False, cwd=tmp_path).stdout
    names = {line.split(": ", 1)[1] for line in listed.splitlines() if ": " in line}
    ours = [f for f in text.installed_fonts() if f.family in ("DejaVu Sans", "DejaVu Serif",
                                                            "Liberation Mono")]
    assert ours and all(f.name in names for f in ours)
    assert "DejaVu Sans Bold Oblique Semi-Condensed" in {f.name for f in ours}


def test_training_and_held_out_fonts_do_not_share_a_family(lang: str) -> None:
    train, held = text.recommended_fonts(lang, max_missing=4)
    assert train and held
    assert not {f.family for f in train} & {f.family for f in held}
    chars = text.target_characters(lang)
    assert all(not f.missing(chars) for f in train)
    assert any(f.monospace for f in train)
