"""Each word's reading chosen among the languages of a set (ocr.word_choice)."""

from __future__ import annotations

import sys
from pathlib import Path

import ocr
from ocr._tesseract import RawLine, RawWord
from ocr.training.evaluate import render_line
from ocr.word_choice import MARGIN, choose_words, mixes_scripts

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import accuracy  # noqa: E402


def line(*words: tuple[str, tuple[int, int, int, int], float, bool]) -> RawLine:
    return RawLine(0, 0, 90.0, [RawWord(*word) for word in words])


PAGE = [line(("Включите", (10, 10, 120, 40), 95.0, True), ("РОМЕК", (130, 10, 210, 40), 91.2, False)),
        line(("рублей;", (10, 60, 100, 90), 96.0, True), ("реїтепі", (110, 60, 200, 90), 66.5, False))]


def test_a_page_mixes_scripts_when_words_of_both_are_on_it() -> None:
    assert mixes_scripts(PAGE + [line(("borscht", (0, 0, 9, 9), 90.0, False))])
    assert not mixes_scripts(PAGE)  # Cyrillic only
    assert not mixes_scripts([line(("POWER", (0, 0, 9, 9), 90.0, True), ("42", (0, 0, 9, 9), 90.0, True))])
    assert not mixes_scripts([])


def test_each_word_takes_the_best_reading_of_the_same_box() -> None:
    eng = [line(("Bkmiouute", (10, 10, 120, 40), 40.0, False), ("POWER", (131, 11, 210, 40), 93.3, True)),
           line(("py6nen;", (10, 60, 100, 90), 50.0, False), ("pelmeni", (110, 60, 201, 90), 92.3, False))]
    rus = PAGE
    chosen = choose_words(PAGE, [eng, rus])
    assert [[w.text for w in ln.words] for ln in chosen] == [["Включите", "POWER"],
                                                              ["рублей;", "pelmeni"]]
    assert chosen[0].words[1] == RawWord("POWER", (131, 11, 210, 40), 93.3, True)
    assert [ln.confidence for ln in chosen] == [ln.confidence for ln in PAGE]


def test_a_dictionary_word_gives_way_only_to_a_dictionary_word() -> None:
    page = [line(("склад", (10, 10, 80, 40), 80.0, True), ("кафе", (110, 10, 190, 40), 70.9, True))]
    eng = [line(("cknap", (10, 10, 80, 40), 50.0, False), ("ĸaġe", (110, 10, 190, 40), 99.0, False))]
    assert choose_words(page, [eng]) == page
    cafe = [line(("cknap", (10, 10, 80, 40), 50.0, False), ("cafe", (110, 10, 190, 40), 70.9 + MARGIN + 1, True))]
    assert choose_words(page, [cafe])[0].words[1].text == "cafe"


def test_a_dictionary_word_replaces_one_that_is_not_only_when_surer() -> None:
    eng = [line(("POWER", (130, 10, 210, 40), 91.0, True))]
    assert choose_words(PAGE, [eng]) == PAGE


def test_between_words_of_the_same_standing_the_margin_decides() -> None:
    page = [line(("On", (10, 10, 40, 40), 95.0, True), ("Friday", (50, 10, 120, 40), 96.0, True))]
    rus = [line(("Оп", (10, 10, 40, 40), 95.0 + MARGIN - 0.1, True), ("Егідау", (50, 10, 120, 40), 60.0, False))]
    assert choose_words(page, [rus]) == page
    rus[0].words[0] = rus[0].words[0]._replace(confidence=95.0 + MARGIN + 0.1)
    assert choose_words(page, [rus])[0].words[0].text == "Оп"


def test_a_reading_in_the_script_of_its_line_wins_unless_the_other_is_surer_by_the_margin() -> None:
    # eng+rus read the Macedonian Ѕвер as eng's Seep among Cyrillic words
    page = [line(("Ѕвончето", (10, 10, 120, 40), 90.0, False), ("Seep", (130, 10, 190, 40), 80.0, False),
                 ("ѕвони.", (200, 10, 280, 40), 92.0, True))]
    rus = [line(("Ѕвер", (130, 10, 190, 40), 80.0 - MARGIN + 0.1, False))]
    assert choose_words(page, [rus])[0].words[1].text == "Ѕвер"
    rus[0].words[0] = rus[0].words[0]._replace(confidence=80.0 - MARGIN - 0.1)
    assert choose_words(page, [rus]) == page
    # among Latin words the page's reading keeps the word unless the other is surer by the margin
    latin = [line(("The", (10, 10, 120, 40), 90.0, True), ("Seep", (130, 10, 190, 40), 80.0, False),
                  ("rang", (200, 10, 280, 40), 92.0, True))]
    rus[0].words[0] = rus[0].words[0]._replace(confidence=80.0 + MARGIN - 0.1)
    assert choose_words(latin, [rus]) == latin
    # between Cyrillic words eng's dictionary is no evidence: Seep gives way all the same
    seep = [line(*page[0].words[:1], ("Seep", (130, 10, 190, 40), 80.0, True), *page[0].words[2:])]
    assert choose_words(seep, [rus])[0].words[1].text == "Ѕвер"


def cyrillic_line(middle: tuple[str, float, bool]) -> list[RawLine]:
    """A word between two Cyrillic ones."""
    return [line(("Њива", (10, 10, 70, 40), 93.0, True), (middle[0], (80, 10, 140, 40), *middle[1:]),
                 ("ћирилица", (150, 10, 260, 40), 93.0, False))]


def reading_of_the_middle_word(text: str, confidence: float, in_dictionary: bool) -> list[RawLine]:
    return [line((text, (80, 10, 140, 40), confidence, in_dictionary))]


def test_between_words_of_one_script_a_reading_in_it_wins_unless_the_other_is_surer_by_the_margin() -> None:
    # eng's dictionary has short words Cyrillic ones look like: поље read as nome
    page = cyrillic_line(("nome", 93.3, True))
    assert choose_words(page, [reading_of_the_middle_word("поље", 92.9, False)])[0].words[1].text == "поље"
    assert choose_words(page, [reading_of_the_middle_word("поље", 93.3 - MARGIN - 0.1, False)]) == page
    # an English word among Russian ones is read surer by more than the margin
    reset = cyrillic_line(("RESET", 97.0, True))
    assert choose_words(reset, [reading_of_the_middle_word("ҚЕЅЕТ", 97.0 - MARGIN - 0.1, False)]) == reset
    # and a dictionary word of the neighbours' script gives way only to a dictionary word
    cafe = cyrillic_line(("кафе", 70.9, True))
    assert choose_words(cafe, [reading_of_the_middle_word("ĸaġe", 99.0, False)]) == cafe
    assert choose_words(cafe, [reading_of_the_middle_word("cafe", 70.9 + MARGIN + 0.1, True)])[0].words[1].text == "cafe"


def test_neighbours_of_two_scripts_leave_the_word_to_the_rules_of_its_line() -> None:
    # "...turns green». В переводе": the dictionary's В for eng's B, although the line is
    # mostly Latin
    page = [line(("the", (10, 10, 40, 40), 96.0, True), ("POWER", (50, 10, 120, 40), 93.0, True),
                 ("green».", (130, 10, 200, 40), 93.0, True), ("B", (210, 10, 225, 40), 93.0, False),
                 ("переводе", (235, 10, 330, 40), 96.0, True))]
    rus = [line(("В", (210, 10, 225, 40), 97.0, True))]
    assert choose_words(page, [rus])[0].words[3].text == "В"


def test_words_misread_in_a_row_take_the_script_of_three_quarters_of_their_line() -> None:
    # eng read "йәй һеҙ Ҡала; ҡырмыҫҡа" (Linux Biolinum O Italic, 24 px) as "йәй neg Kana;
    # ҡырмыҫҡа": each of the two has one neighbour of each script
    def page_of(*cyrillic_after: str) -> list[RawLine]:
        texts = ["йәй", "neg", "Kana;", "ҡырмыҫҡа", *cyrillic_after]
        confidences = {"neg": 77.3, "Kana;": 93.3}
        return [line(*((text, (100 * i, 10, 100 * i + 90, 40), confidences.get(text, 90.0), True)
                       for i, text in enumerate(texts)))]
    rus = [line(("һеҙ", (100, 10, 190, 40), 74.9, False), ("Ҡала;", (200, 10, 290, 40), 91.2, False))]
    six_of_eight = page_of("Беҙ", "уҡыусы", "ҺЕҘ", "Ҡала")
    assert [w.text for w in choose_words(six_of_eight, [rus])[0].words[1:3]] == ["һеҙ", "Ҡала;"]
    # two thirds Cyrillic is not enough: a line can hold an English and a Russian sentence
    four_of_six = page_of("Беҙ", "уҡыусы")
    assert choose_words(four_of_six, [rus]) == four_of_six


def test_a_line_of_as_many_words_in_each_script_takes_that_of_the_language_surer_alone() -> None:
    # "АҬАҲМАДА ҚАРҬ:" (PT Serif, 24 px), its second word read by eng as "KAPŢ:"
    page = [line(("АҬАҲМАДА", (10, 10, 150, 40), 90.0, False), ("KAPŢ:", (160, 10, 240, 40), 92.2, False))]
    rus = [line(("АҬАҲМАДА", (10, 10, 150, 40), 90.0, False), ("ҚАРҬ:", (160, 10, 240, 40), 89.7, False))]
    eng = [line(("AIAXMAAA", (10, 10, 150, 40), 40.0, False), ("KAPŢ:", (160, 10, 240, 40), 92.2, False))]
    assert [w.text for w in choose_words(page, [eng, rus])[0].words] == ["АҬАҲМАДА", "ҚАРҬ:"]
    # were eng surer of the line alone, its script would be the line's
    sure_eng = [line(("AIAXMAAA", (10, 10, 150, 40), 95.0, False), ("KAPŢ:", (160, 10, 240, 40), 92.2, False))]
    assert choose_words(page, [sure_eng, rus])[0].words[1].text == "KAPŢ:"


def test_at_the_end_of_a_line_the_one_neighbour_counts_when_its_script_is_the_lines() -> None:
    words = [("Њива", (10, 10, 70, 40), 93.0, True), ("ћирилица", (80, 10, 190, 40), 93.0, False),
             ("nome", (200, 10, 260, 40), 93.3, True)]
    rus = [line(("поље", (200, 10, 260, 40), 92.9, False))]
    assert choose_words([line(*words)], [rus])[0].words[2].text == "поље"
    # its neighbour Cyrillic but the line mostly Latin: no context, the dictionary rule
    mostly_latin = [line(("The", (10, 10, 50, 40), 96.0, True), ("Warehouse", (60, 10, 160, 40), 96.0, True),
                         ("Manager", (170, 10, 250, 40), 96.0, True), ("ћирилица", (260, 10, 370, 40), 93.0, False),
                         ("nome", (380, 10, 440, 40), 93.3, True))]
    assert choose_words(mostly_latin, [[line(("поље", (380, 10, 440, 40), 92.9, False))]]) == mostly_latin


def test_engine_reads_cyrillic_words_that_look_like_english_ones() -> None:
    # DejaVu Serif, 24 px: with the line's script alone eng's dictionary words kept
    # "moe" for моє, "up" for Җир and "haga" for Һава
    serif = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
    lines = ["Її моє Київ село ґедзь „Їх“ Миколаїв поїзд європейський вибачте, Є?",
             "Җир йолдыз Җиңү Сәлам авыл, җомга Һава Шәһәр 20:00 җир;"]
    with ocr.OcrEngine(["eng", "rus"]) as engine:
        for text in lines:
            assert " ".join(engine.recognize(render_line(text, serif, 24)).text.split()) == text


def test_a_word_split_or_on_another_line_elsewhere_keeps_its_page_reading() -> None:
    split = [line(("PO", (130, 10, 165, 40), 99.0, True), ("WER", (170, 10, 210, 40), 99.0, True))]
    below = [line(("POWER", (130, 110, 210, 140), 99.0, True))]
    assert choose_words(PAGE, [split, below]) == PAGE


def test_engine_reads_a_latin_word_among_russian_ones_with_eng() -> None:
    # the accuracy harness's large-print mixed page: Tesseract's eng+rus keeps rus's
    # reading of "POWER" after a Russian word (РОҮҮЕВ) without asking eng, which reads
    # it right and surer
    page = accuracy.page("large", "mixed-liberation-serif")
    with ocr.OcrEngine(["eng", "rus"]) as engine:
        text = " ".join(engine.recognize(page.image).text.split())
    assert "индикатор POWER загорится" in text
    assert "«Press and hold the RESET button" in text
    assert "склад в Казани площадью" in text  # and Russian words stay Russian


def test_pages_in_one_script_are_read_once(monkeypatch) -> None:
    page = accuracy.page("clean", "russian-noto-serif")
    calls = []
    monkeypatch.setattr("ocr.word_choice.choose_words",
                        lambda *args: calls.append(args) or args[0])
    with ocr.OcrEngine(["eng", "rus"]) as engine:
        engine.recognize(page.image)
    assert calls == []


def test_the_comparison_can_be_turned_off(monkeypatch) -> None:
    page = accuracy.page("large", "mixed-liberation-serif")
    readings = []
    real = ocr.word_choice.choose_words
    monkeypatch.setattr("ocr.word_choice.choose_words",
                        lambda page, others: readings.append(others) or real(page, others))
    with ocr.OcrEngine(["eng", "rus"], compare_languages=False) as engine:
        assert not engine.compare_languages
        engine.recognize(page.image)
        assert readings == []  # Tesseract's own choice, read once
        engine.set_compare_languages(True)
        compared = engine.recognize(page.image).text
    assert len(readings) == 1 and len(readings[0]) == 2  # read again with eng, with rus
    assert "индикатор POWER" in compared


def test_a_mixed_page_read_in_pieces_compares_each_piece(monkeypatch) -> None:
    spec = accuracy.PageSpec("long-mixed", accuracy.MIXED * 3, ("eng", "rus"), "liberation-serif")
    image = accuracy.render(spec)
    pieces = []
    real = ocr.word_choice.choose_words
    monkeypatch.setattr("ocr.word_choice.choose_words",
                        lambda page, readings: pieces.append(page) or real(page, readings))
    with ocr.OcrEngine(["eng", "rus"], workers=2) as engine:
        result = engine.recognize(image)
    assert result.tiles == 2 and len(pieces) == 2  # each piece, with its two readings side by side
    assert result.text.count("POWER") == 6 and "РОМЕК" not in result.text
