"""The models shipped in the package: what they hold, and how the engine picks them."""

from __future__ import annotations

from pathlib import Path

import babel
import pytest

import ocr
from ocr import _tesseract
from ocr.training import parse_model, read_traineddata
from ocr.training.charset import read_recoder, unicharset_entries
from ocr.training.evaluate import render_line
from ocr.training.finetune import SHIPPED as SHIPPED_SETTINGS
from ocr.training.finetune import AveragedSettings, FinetuneSettings
from ocr.training.text import ADDED_CHARACTERS

ROOT = Path(__file__).resolve().parents[1]

BUNDLED = _tesseract.BUNDLED_DIR
SYSTEM = _tesseract.find_tessdata()
DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
STOCK_VERSIONS = {"eng": "4.00.00alpha:eng:synth20170629",
                  "rus": "4.00.00alpha:rus:synth20170629"}
SHIPPED = ["eng", "rus"]


@pytest.fixture(params=SHIPPED)
def lang(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_the_shipped_models() -> None:
    assert _tesseract.bundled_languages() == ocr.bundled_languages() == SHIPPED
    assert sorted(SHIPPED_SETTINGS) == SHIPPED  # build-models rebuilds exactly these
    for path in BUNDLED.glob("*.traineddata"):
        assert 2_000_000 < path.stat().st_size < 8_000_000  # a few MB each


def test_unicharset_holds_the_stock_characters_then_every_target(lang: str) -> None:
    shipped = read_traineddata(BUNDLED / f"{lang}.traineddata")
    stock = read_traineddata(SYSTEM / f"{lang}.traineddata")
    unichars = unicharset_entries(shipped["lstm-unicharset"])
    stock_unichars = unicharset_entries(stock["lstm-unicharset"])
    assert unichars[:len(stock_unichars)] == stock_unichars  # stock ids unchanged
    missing = set(ADDED_CHARACTERS[lang]) - set(unichars)
    assert not missing
    model = parse_model(shipped["lstm"])
    assert model.is_int_mode  # a fast model, like the stock one
    # the network of the model its first run started from (eng: Latin's, rus: its own)
    settings = SHIPPED_SETTINGS[lang]
    first = settings.base if isinstance(settings, AveragedSettings) else settings
    while first.after is not None:
        first = first.after
    network = first.network or lang
    assert model.spec == parse_model(read_traineddata(SYSTEM / f"{network}.traineddata")["lstm"]).spec
    assert model.num_outputs == read_recoder(shipped["lstm-recoder"]).code_range
    # the dictionaries were rebuilt on the new unicharset
    assert {"lstm-word-dawg", "lstm-punc-dawg", "lstm-number-dawg"} <= set(shipped)


def _expected_version(settings: FinetuneSettings | AveragedSettings) -> str:
    """The version a run of ``settings`` writes (a run after another names that one's;
    averaged runs name the one they start from, then each run)."""
    stock = read_traineddata(SYSTEM / f"{settings.lang}.traineddata").version
    if isinstance(settings, AveragedSettings):
        runs = " | ".join(_expected_version(run).split(": ", 1)[1] for run in settings.runs)
        return (f"{stock} + ocr mean of {len(settings.runs)} fine-tunes from the network "
                f"of {_expected_version(settings.base)}: {runs}")
    lang = settings.lang
    added = len(set(ADDED_CHARACTERS[lang]) - set(unicharset_entries(
        read_traineddata(SYSTEM / f"{lang}.traineddata")["lstm-unicharset"])))
    rates = ("/".join(f"{r:g}" for r in settings.layer_learning_rates)
             if settings.layer_learning_rates else f"{settings.learning_rate:g}")
    if settings.after is not None:
        start = " from the network of " + _expected_version(settings.after)
    elif settings.network:
        start = " from the network of " + read_traineddata(
            SYSTEM / f"{settings.network}.traineddata").version
    else:
        start = ""
    focus = (f", {len(settings.focus)} characters x{settings.focus_factor}"
             if settings.focus else "")
    if settings.respelled:
        focus += f", {settings.respelled:.0%} respelled"
    if settings.cldr_words:
        focus += f", CLDR words of Babel {babel.__version__}"
    if settings.context_free:
        focus += f", {settings.context_free} context-free lines"
    if settings.capitalised:
        focus += f", {settings.capitalised:.0%} of plain lines capitalised"
    if settings.extra_fonts:
        focus += f", {len(settings.extra_fonts)} more faces"
    if settings.exposures != (0,):
        focus += ", exposures " + "/".join(map(str, settings.exposures))
    if settings.ptsizes != FinetuneSettings(lang=lang).ptsizes:
        focus += ", sizes " + "/".join(map(str, settings.ptsizes)) + " pt"
    return (f"{stock} + ocr fine-tune{start}: +{added} characters "
            f"(lstmtraining {settings.iterations} iterations, lr {rates}, "
            f"text seed {settings.seed}{focus})")


def test_version_says_what_the_model_is(lang: str) -> None:
    version = read_traineddata(BUNDLED / f"{lang}.traineddata").version
    assert version.startswith(STOCK_VERSIONS[lang])
    assert version == _expected_version(SHIPPED_SETTINGS[lang])


def test_available_languages_include_the_bundled_ones() -> None:
    assert set(SHIPPED) <= set(ocr.available_languages())
    assert ocr.available_languages() == ocr.available_languages(models="bundled")
    assert set(ocr.available_languages()) >= set(ocr.available_languages(models="stock"))


def read_line(engine: ocr.OcrEngine, text: str) -> str:
    return engine.recognize(render_line(text, DEJAVU, 36)).text


def test_engine_reads_the_new_characters_with_the_bundled_models() -> None:
    with ocr.OcrEngine(["rus"]) as engine:
        assert engine.models == "bundled"
        assert read_line(engine, "Їжак, Һава, Ґанок").startswith("Їжак, Һава, Ґанок")
    with ocr.OcrEngine(["eng"]) as engine:
        assert read_line(engine, "Łódź, Ærøskøbing, Ǣsc ǽfter, Šťastný") == "Łódź, Ærøskøbing, Ǣsc ǽfter, Šťastný"
    with ocr.OcrEngine(["eng", "rus"]) as engine:
        # the tutorial's sample, every line (the tutorial's own test runs its script)
        assert engine.recognize(ROOT / "examples" / "multilingual.png").text.splitlines() == [
            "Hello, world! Ŀ is a Latin-extended character.",
            "Привет, мир! Ҕ is a Cyrillic character.",
            "Special combo: Ǣ is a ligature."]


def test_stock_models_on_request() -> None:
    with ocr.OcrEngine(["rus"], models="stock") as engine:
        assert engine.models == "stock"
        assert not set(read_line(engine, "Їжак, Һава, Ґанок")) & set("ЇҺҐ")
    with ocr.OcrEngine(["eng"], models="stock") as engine:
        assert not set(read_line(engine, "Ŀa paŀla, Ǣsc ǽfter")) & set("ĿŀǢǽ")
    with pytest.raises(ValueError, match="'bundled'.*'stock'"):
        ocr.OcrEngine(models="fine")


def test_bundled_and_system_languages_in_one_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OCR_CACHE_DIR", str(tmp_path / "cache"))
    data = _tesseract.LanguageData()
    assert data.datapath(["rus"]) == data.datapath(["eng", "rus"]) == BUNDLED
    assert data.datapath(["fra"]) == data.datapath(["fra", "Latin"]) == SYSTEM
    mixed = data.datapath(["fra", "rus"])
    assert mixed.parent == tmp_path / "cache"
    assert (mixed / "rus.traineddata").resolve() == (BUNDLED / "rus.traineddata").resolve()
    assert (mixed / "fra.traineddata").resolve() == (SYSTEM / "fra.traineddata").resolve()
    assert data.datapath(["rus", "fra", "eng"]) == mixed  # the same folder, one more link
    assert (mixed / "eng.traineddata").resolve() == (BUNDLED / "eng.traineddata").resolve()
    with ocr.OcrEngine(["fra", "rus"]) as engine:
        assert read_line(engine, "Un café, un garçon") == "Un café, un garçon"
        assert read_line(engine, "Їжак, Һава, Ґанок") == "Їжак, Һава, Ґанок"


def test_bundled_models_work_without_any_language_data(monkeypatch: pytest.MonkeyPatch,
                                                       tmp_path: Path) -> None:
    monkeypatch.delenv("TESSDATA_PREFIX", raising=False)
    monkeypatch.setattr(_tesseract, "_system_tessdata_dirs", lambda: [tmp_path / "none"])
    assert ocr.available_languages() == SHIPPED
    with ocr.OcrEngine(["eng", "rus"]) as engine:
        assert read_line(engine, "Їжак, Һава, Ґанок") == "Їжак, Һава, Ґанок"
        assert read_line(engine, "Hello, Ŀ world") == "Hello, Ŀ world"
        with pytest.raises(ocr.LanguageNotAvailableError, match="tesseract-ocr-fra"):
            engine.set_languages(["rus", "fra"])
    with pytest.raises(ocr.TessdataNotFoundError):
        ocr.OcrEngine(["rus"], models="stock")  # the stock models need language data


def test_an_unwritable_cache_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("OCR_CACHE_DIR", str(blocker))
    with pytest.raises(ocr.LanguageNotAvailableError, match="fra\\+rus.*OCR_CACHE_DIR"):
        ocr.OcrEngine(["fra", "rus"])
    with ocr.OcrEngine(["eng", "rus"]) as engine:  # no links needed
        assert engine.languages == ("eng", "rus")
