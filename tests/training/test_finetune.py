"""The fine-tuning pipeline: charset remap, warm start, and a tiny run end to end."""

from __future__ import annotations

import io
import re
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import numpy.typing as npt
import pytest
from PIL import Image

import ocr
from ocr import _tesseract
from ocr.training import LSTMModel, dequantize, parse_model, read_traineddata
from ocr.training.cli import _font_names, main
from ocr.training.lstm import layer_learning_rates, with_part_learning_rates
from ocr.training.charset import (
    Recoder,
    base_letters,
    code_map,
    read_recoder,
    remap_outputs,
    unicharset_entries,
)
from ocr.training.evaluate import (Case, ModelReport, align, by_font, combined, drawn_alike,
                                   evaluation_cases, evaluation_fonts, format_report,
                                   read_as, render_line, score)
from ocr.training.finetune import (
    AveragedSettings,
    FinetuneSettings,
    Starter,
    Stock,
    TrainingError,
    default_version,
    extract_stock,
    finetune,
    finetune_averaged,
    finish,
    initial_model,
    new_characters,
    render,
    train,
    training_fonts,
    write_training_text,
)

SYSTEM = _tesseract.find_tessdata()
TOOLS = ("lstmtraining", "text2image", "combine_lang_model", "unicharset_extractor",
         "merge_unicharsets", "dawg2wordlist", "tesseract")


def stock(lang: str) -> ocr.training.TrainedData:
    return read_traineddata(SYSTEM / f"{lang}.traineddata")


# ---- the charset ----------------------------------------------------------------------

@pytest.mark.parametrize("lang,size,code_range", [("eng", 112, 111), ("rus", 125, 124)])
def test_recoder_of_the_stock_models(lang: str, size: int, code_range: int) -> None:
    td = stock(lang)
    unichars = unicharset_entries(td["lstm-unicharset"])
    recoder = read_recoder(td["lstm-recoder"])
    assert len(unichars) == len(recoder.codes) == size
    assert unichars[0] == " " and recoder.codes[0] == (0,)
    assert recoder.code_range == code_range == parse_model(td["lstm"]).num_outputs
    assert recoder.null_code(size) == parse_model(td["lstm"]).null_char
    # unchanged charset: every code maps onto itself
    assert code_map(unichars, recoder, unichars, recoder) == list(range(code_range))


def test_base_letters() -> None:
    assert base_letters("Ŀ")[0] == "L"
    assert base_letters("ŀ")[0] == "l"
    assert base_letters("ǣ")[:2] == "æa"
    assert base_letters("Ǣ")[:2] == "ÆA"
    assert base_letters("Ҕ")[0] == "Г"
    assert base_letters("ҕ")[0] == "г"
    assert base_letters("Ѓ")[0] == "Г"
    assert base_letters("Ї")[0] == "І"
    assert base_letters("½")[0] == "1"
    assert base_letters("ß")[0] == "B"


def test_remap_copies_old_rows_and_warm_starts_new_ones() -> None:
    td = stock("eng")
    model = dequantize(parse_model(td["lstm"]))
    unichars = unicharset_entries(td["lstm-unicharset"])
    recoder = read_recoder(td["lstm-recoder"])
    # a new charset: one more unichar, coded just before the null char
    new_unichars = [*unichars, "Ŀ"]
    null = recoder.null_code(len(unichars))
    codes = [tuple(c if c[0] != null else (null + 1,)) for c in recoder.codes]
    new_recoder = type(recoder)((*codes, (null,)))
    mapping = code_map(new_unichars, new_recoder, unichars, recoder)
    assert mapping[null] == -1 and mapping[null + 1] == null
    l_code = recoder.codes[unichars.index("L")][0]
    remapped = remap_outputs(model, mapping, null_char=null + 1, warm={null: l_code},
                             bias_offset=2.0)
    old = model.network.children_layers()[-1].weight_matrices()[0].weights
    new = remapped.network.children_layers()[-1].weight_matrices()[0].weights
    assert new.shape == (old.shape[0] + 1, old.shape[1])
    assert np.array_equal(new[:null], old[:null]) and np.array_equal(new[null + 1], old[null])
    assert np.array_equal(new[null, :-1], old[l_code, :-1])
    assert new[null, -1] == old[l_code, -1] - 2.0
    assert remapped.num_outputs == old.shape[0] + 1 and remapped.null_char == null + 1
    assert parse_model(remapped.to_bytes()).to_bytes() == remapped.to_bytes()
    cold = remap_outputs(model, mapping, null_char=null + 1)
    cold_new = cold.network.children_layers()[-1].weight_matrices()[0].weights
    assert np.allclose(cold_new[null], old.mean(axis=0))


@pytest.mark.parametrize("lang,last_lstm", [("eng", "Lfx192"), ("rus", "Lfx128")])
def test_learning_rates_by_part_of_the_network(lang: str, last_lstm: str) -> None:
    model = dequantize(parse_model(stock(lang)["lstm"]))
    tuned = with_part_learning_rates(model, lower=2e-5, last_lstm=3e-4, output=1e-3)
    rates = {layer.name: rate for _, layer, rate in
             layer_learning_rates(parse_model(tuned.to_bytes()))}
    assert rates.pop("Output") == pytest.approx(1e-3)
    assert rates.pop(last_lstm) == pytest.approx(3e-4)
    assert rates and all(rate == pytest.approx(2e-5) for rate in rates.values())
    # the weights are untouched
    before = [w.weights for layer in model.network.children_layers() for w in layer.weight_matrices()]
    after = [w.weights for layer in tuned.network.children_layers() for w in layer.weight_matrices()]
    assert all(np.array_equal(a, b) for a, b in zip(before, after))


# ---- evaluation helpers ---------------------------------------------------------------

def test_alignment_counts_characters_where_they_are() -> None:
    assert align("Ŀa", "La") == (1, [1])
    assert align("abc", "abc") == (0, [0, 1, 2])
    assert align("", "xy") == (2, [])
    # an Ŀ read elsewhere in the line is not credited to the one that was missed
    distance, matched = align("Ŀx yŀ", "Lx yĿŀ")
    assert distance == 2 and 0 not in matched
    s = score([("ĿĿ", "ĿL"), ("ab", "ab")])
    assert s.cer == 1 / 4 and s.recall("Ŀ") == 0.5 and s.recall("a") == 1.0
    assert s.recall("z") is None


def test_what_a_character_was_read_as_is_counted() -> None:
    assert read_as("Ŀab", "Lab") == (1, ["L", "a", "b"])
    assert read_as("aĿb", "ab") == (1, ["a", "", "b"])
    assert read_as("ab", "axb") == (1, ["a", "b"])
    s = score([("ĿĿ Ŀa", "LĿ ĸa"), ("Ŀ.", "L."), ("ab", "ab")])
    assert s.misreadings("Ŀ") == [("L", 0.5), ("ĸ", 0.25)]
    assert s.misreadings("Ŀ", 1) == [("L", 0.5)] and s.misreadings("a") == []
    assert score([("aĿb", "ab")]).misreadings("Ŀ") == [("", 1.0)]
    # words are told apart by the spaces around them, punctuation and all
    assert s.words == {"ĿĿ", "Ŀa", "Ŀ.", "ab"} and s.words_with("Ŀ") == 3
    assert s.words_with("z") == 0


def test_report_names_the_faces_a_character_fails_in() -> None:
    cases = [Case("Ŀa", "Face A", Path("a.ttf"), 24), Case("Ŀb", "Face B", Path("b.ttf"), 24),
             Case("Ŀc", "Face B", Path("b.ttf"), 36), Case("ŀd", "Face A", Path("a.ttf"), 24)]
    outputs = ["Ŀa", "Lb", "Ŀc", " d"]
    faces = by_font(cases, outputs)
    assert set(faces) == {"Face A", "Face B"}
    assert faces["Face A"].recall("Ŀ") == 1.0 and faces["Face B"].recall("Ŀ") == 0.5
    total, whole = combined(faces.values()), score(zip((c.text for c in cases), outputs))
    assert (total.errors, total.chars, total.lines) == (whole.errors, whole.chars, whole.lines)
    assert total.truth_counts == whole.truth_counts and total.recalled == whole.recalled
    assert total.misread == whole.misread and total.words == whole.words
    tuned = ModelReport("tuned", score((c.text, o) for c, o in zip(cases, outputs)),
                        score([("ab", "ab")]), faces)
    assert tuned.weakest_faces("Ŀ") == [("Face B", 0.5), ("Face A", 1.0)]
    assert tuned.weakest_faces("ŀ", 1) == [("Face A", 0.0)]
    stock = ModelReport("stock", score((c.text, "") for c in cases), score([("ab", "ab")]))
    report = format_report("eng", stock, tuned, "Ŀŀ", recall_below=0.95)
    assert "| Ŀ U+013F | 3 | 3 | 0.0% | 66.7% | L 33% | Face B 50%, Face A 100% |" in report
    assert "| ŀ U+0140 | 1 | 1 | 0.0% | 0.0% | a space 100% | Face A 0% |" in report
    assert "Weakest face of the characters above: Face A (1), Face B (1)" in report
    assert "Not scored" not in report
    report = format_report("eng", stock, tuned, "Ŀŀ", not_scored={"Face B": {"Ŀ": "L"}})
    assert report.endswith("the training fonts draw the two apart): Face B: Ŀ as L\n")


def test_faces_that_draw_a_letter_like_another_are_not_scored_on_it() -> None:
    fonts = {f.name: f for f in evaluation_fonts("eng")}
    quirks = drawn_alike("eng", list(fonts.values()))
    # Debian's Carlito has no Ĥ of its own (its H), EB Garamond draws ŋ as n
    assert quirks["Carlito"]["Ĥ"] == "H" and quirks["EB Garamond"]["ŋ"] == "n"
    # and its Ð as D, but for antialiasing
    assert quirks["EB Garamond"]["Ð"] == "D"
    # Ð and Đ are alike by design (in the training fonts too): scored, by their words
    assert not any({"Ð", "Đ"} & set(q) for name, q in quirks.items() if name != "EB Garamond")
    assert "Roboto" not in quirks and "Caladea" not in quirks
    # alike in the reference fonts as well, a pair is a design and stays scored
    garamond = fonts["EB Garamond"]
    assert "ŋ" not in drawn_alike("eng", [garamond], reference=[garamond]).get(garamond.name, {})
    # the lines of a face holding such a letter are left out for that face alone
    faces = [fonts["Carlito"], fonts["Caladea"]]
    cases = evaluation_cases("eng", "new", lines=300, fonts=faces, sizes=(24,),
                             not_scored={"Carlito": {"Ĥ": "H"}})
    every = evaluation_cases("eng", "new", lines=300, fonts=faces, sizes=(24,), not_scored={})
    assert [c for c in cases if c.font == "Caladea"] == [c for c in every if c.font == "Caladea"]
    assert any("Ĥ" in c.text for c in cases if c.font == "Caladea")
    assert [c for c in cases if c.font == "Carlito"] == [
        c for c in every if c.font == "Carlito" and "Ĥ" not in c.text]
    # by default the quirks found are left out
    assert evaluation_cases("eng", "new", lines=300, fonts=faces, sizes=(24,)) == cases


# ---- a tiny run, end to end -----------------------------------------------------------

LINES = [
    "Ŀ and ŀ: the Catalan col·lecció is written coŀlecció, PARAŀLEL in capitals.",
    "Hello, world! Ŀ is a Latin-extended character.",
    "Il·lustració, ŀ, Ŀ, paraŀlel, coŀlegi, Coŀlecció 1984.",
    "A plain English line, with digits 12 and 345.",
] * 4


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[FinetuneSettings, Path, Path]:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"training tools missing: {missing} (quickstart.sh installs them)")
    root = tmp_path_factory.mktemp("finetune")
    text = root / "lines.txt"
    text.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    settings = FinetuneSettings(lang="eng", text=text, add_chars="Ŀŀ",
                                fonts=("DejaVu Sans",), renders_per_line=1, iterations=30,
                                jobs=1, version="tiny test model")
    out = root / "out" / "eng.traineddata"
    finetune(settings, root / "work", out, log=lambda message: None)
    return settings, root / "work", out


def run_files(work: Path) -> tuple[Stock, Starter]:
    """The stock model's files and the starter of the tiny run in ``work``."""
    stock_files = Stock(work / "stock" / "eng.traineddata", work / "stock" / "eng.",
                        work / "stock" / "eng.float.lstm", stock("eng").version)
    added = tuple(new_characters(stock_files, work / "merged.unicharset"))
    return stock_files, Starter(work / "starter" / "eng" / "eng.traineddata", added)


def test_tiny_run_makes_a_loadable_model_with_the_new_characters(
        tiny_run: tuple[FinetuneSettings, Path, Path]) -> None:
    _, work, out = tiny_run
    td = read_traineddata(out)
    assert td.version == "tiny test model"
    unichars = unicharset_entries(td["lstm-unicharset"])
    stock_unichars = unicharset_entries(stock("eng")["lstm-unicharset"])
    assert unichars[:len(stock_unichars)] == stock_unichars  # old ids kept
    added = set(unichars[len(stock_unichars):])
    assert {"Ŀ", "ŀ"} <= added and added == set("".join(LINES)) - set(stock_unichars)
    model = parse_model(td["lstm"])
    assert model.is_int_mode
    assert model.num_outputs == read_recoder(td["lstm-recoder"]).code_range
    assert "coŀlecció" in (work / "words").read_text(encoding="utf-8").split()
    # Tesseract loads it and reads with it
    folder = out.parent
    with ocr.OcrEngine(["eng"], tessdata=folder, models="stock", psm=7,
                       preprocessing=None) as engine:
        text = engine.recognize(render_line("Hello, world", "/usr/share/fonts/truetype/"
                                            "dejavu/DejaVuSans.ttf", 36)).text
    assert text.startswith("Hello")


def test_training_is_deterministic(tiny_run: tuple[FinetuneSettings, Path, Path],
                                   tmp_path: Path) -> None:
    """lstmtraining from the same inputs gives the same model, byte for byte."""
    settings, work, out = tiny_run
    listfile = work / "train.list"
    stock_files, starter = run_files(work)
    again = tmp_path / "again"
    again.mkdir()
    checkpoint = train(replace(settings, iterations=30), work / "initial.lstm", starter,
                       listfile, again, log=lambda message: None)
    second = finish(settings, checkpoint, stock_files, starter, again,
                    tmp_path / "eng.traineddata")
    assert second.read_bytes() == out.read_bytes()


def test_an_interrupted_run_resumes_to_the_same_model(
        tiny_run: tuple[FinetuneSettings, Path, Path], tmp_path: Path) -> None:
    """Stopped at iteration 15 and run again to 30, training ends with the bytes of the
    uninterrupted 30-iteration run: lstmtraining restores its checkpoint, and the
    pipeline keeps the checkpoints of a run with the same inputs."""
    settings, work, out = tiny_run
    stock_files, starter = run_files(work)
    again = tmp_path / "again"
    again.mkdir()
    messages: list[str] = []
    for iterations in (15, 30):
        checkpoint = train(replace(settings, iterations=iterations), work / "initial.lstm",
                           starter, work / "train.list", again, log=messages.append)
    assert any("resuming" in m for m in messages)
    assert "Successfully restored trainer" in (again / "lstmtraining.log").read_text()
    resumed = finish(settings, checkpoint, stock_files, starter, again,
                     tmp_path / "eng.traineddata")
    assert resumed.read_bytes() == out.read_bytes()
    # fewer iterations than the checkpoints may hold: afresh, to the uninterrupted bytes
    messages.clear()
    checkpoint = train(replace(settings, iterations=15), work / "initial.lstm", starter,
                       work / "train.list", again, log=messages.append)
    assert not any("resuming" in m for m in messages)
    shorter = finish(settings, checkpoint, stock_files, starter, again, tmp_path / "15.traineddata")
    assert shorter.read_bytes() != out.read_bytes()
    # another learning rate is another run: its checkpoints start afresh
    messages.clear()
    train(replace(settings, iterations=15, learning_rate=2e-3), work / "initial.lstm",
          starter, work / "train.list", again, log=messages.append)
    assert not any("resuming" in m for m in messages)


def test_a_snapshot_is_the_model_of_the_latest_checkpoint(
        tiny_run: tuple[FinetuneSettings, Path, Path], tmp_path: Path) -> None:
    settings, work, out = tiny_run
    copy = tmp_path / "work"
    shutil.copytree(work, copy)
    messages: list[str] = []
    snap = finetune(settings, copy, tmp_path / "30.traineddata", snapshot=True,
                    log=messages.append)
    assert snap.read_bytes() == out.read_bytes()  # the run ended on its last checkpoint
    assert any("checkpoint at iteration 30" in m for m in messages)
    # mid-run: the model a run to that iteration makes, and its version says so
    stock_files, starter = run_files(copy)
    checkpoint = train(replace(settings, iterations=15), copy / "initial.lstm", starter,
                       copy / "train.list", copy, log=lambda message: None)
    at_15 = finish(replace(settings, version=None, iterations=15), checkpoint, stock_files,
                   starter, tmp_path, tmp_path / "15.traineddata")
    snap = finetune(replace(settings, version=None), copy, tmp_path / "snap.traineddata",
                    snapshot=True, log=lambda message: None)
    assert snap.read_bytes() == at_15.read_bytes()
    assert "(lstmtraining 15 iterations, lr 0.001," in read_traineddata(snap).version
    with pytest.raises(TrainingError, match="other settings"):
        finetune(replace(settings, learning_rate=2e-3), copy, tmp_path / "x.traineddata",
                 snapshot=True, log=lambda message: None)
    shutil.rmtree(copy / "checkpoints")
    with pytest.raises(TrainingError, match="no checkpoint"):
        finetune(settings, copy, tmp_path / "x.traineddata", snapshot=True,
                 log=lambda message: None)


def test_layer_learning_rates_are_the_ones_lstmtraining_uses(
        tiny_run: tuple[FinetuneSettings, Path, Path], tmp_path: Path) -> None:
    settings, work, _ = tiny_run
    assert "Set learning rate to" in (work / "lstmtraining.log").read_text()  # the reset
    stock_files, starter = run_files(work)
    rates = (2e-5, 3e-4, 1e-3)
    initial = initial_model(stock_files, starter, tmp_path, layer_rates=rates)
    stored = {layer.name: rate for _, layer, rate in
              layer_learning_rates(parse_model(initial.read_bytes()))}
    assert stored["Output"] == pytest.approx(1e-3) and stored["Lfx192"] == pytest.approx(3e-4)
    tuned = replace(settings, iterations=10, layer_learning_rates=rates)
    train(tuned, initial, starter, work / "train.list", tmp_path, log=lambda message: None)
    assert "Set learning rate to" not in (tmp_path / "lstmtraining.log").read_text()


def test_rendered_lines_are_reused_for_the_same_text_and_fonts(
        tiny_run: tuple[FinetuneSettings, Path, Path]) -> None:
    settings, work, _ = tiny_run
    text = work / "eng.training_text"
    before = {p: p.stat().st_mtime_ns for p in (work / "ground").glob("*.lstmf")}
    messages: list[str] = []
    listfile = render(settings, text, settings.fonts or (), work, log=messages.append)
    assert messages == ["  rendered lines of an earlier run reused"]
    assert {p: p.stat().st_mtime_ns for p in (work / "ground").glob("*.lstmf")} == before
    assert {Path(p) for p in listfile.read_text().split()} == set(before)


def test_missing_character_in_the_text_is_refused(tmp_path: Path) -> None:
    text = tmp_path / "t.txt"
    text.write_text("no such letter here\n", encoding="utf-8")
    settings = FinetuneSettings(lang="eng", text=text, add_chars="Ŀ")
    stock_files = extract_stock("eng", tmp_path)
    with pytest.raises(ValueError, match="never has Ŀ"):
        write_training_text(settings, tmp_path, stock_files)


def test_focus_needs_the_generated_text_and_is_named_in_the_version(tmp_path: Path) -> None:
    text = tmp_path / "t.txt"
    text.write_text("Ŀ and ŀ\n", encoding="utf-8")
    stock_files = extract_stock("eng", tmp_path)
    for shaped in ({"focus": "Ŀ"}, {"respelled": 0.3}, {"cldr_words": True},
                   {"context_free": 100}, {"capitalised": 0.2}):
        with pytest.raises(ValueError, match="shape the generated text"):
            write_training_text(FinetuneSettings(lang="eng", text=text, **shaped), tmp_path,
                                stock_files)
    starter = Starter(tmp_path / "unused", ("Ŀ", "ŀ"))
    focused = FinetuneSettings(lang="eng", focus="ĔĕſŀŊ", focus_factor=3)
    assert default_version(focused, stock_files, starter).endswith(
        "text seed 1, 5 characters x3)")
    assert default_version(FinetuneSettings(lang="eng"), stock_files, starter).endswith(
        "text seed 1)")
    assert default_version(replace(focused, respelled=0.5), stock_files, starter).endswith(
        "text seed 1, 5 characters x3, 50% respelled)")
    assert default_version(replace(focused, cldr_words=True), stock_files, starter).endswith(
        "text seed 1, 5 characters x3, CLDR words of Babel 2.19.0)")
    assert default_version(replace(focused, capitalised=0.2), stock_files, starter).endswith(
        "text seed 1, 5 characters x3, 20% of plain lines capitalised)")


def test_extra_fonts_are_rendered_in_too_and_named_in_the_version(tmp_path: Path) -> None:
    """Faces the default choice leaves out (monospace ones lacking Abkhaz Ԥ ԥ) can be
    added; each must be installed, and the version counts them."""
    extra = ("Liberation Mono", "DejaVu Sans Mono")  # fonts-liberation2, fonts-dejavu-core
    default = training_fonts(FinetuneSettings(lang="rus"), "")
    assert not set(extra) & set(default)
    assert training_fonts(FinetuneSettings(lang="rus", extra_fonts=extra), "") == [
        *default, *extra]
    assert training_fonts(FinetuneSettings(lang="rus", fonts=("FreeMono",),
                                           extra_fonts=("FreeMono", *extra)), "") == [
        "FreeMono", *extra]
    with pytest.raises(TrainingError, match="not installed.*No Such Face"):
        training_fonts(FinetuneSettings(lang="rus", extra_fonts=("No Such Face",)), "")
    stock_files = extract_stock("eng", tmp_path)
    starter = Starter(tmp_path / "unused", ("Ŀ", "ŀ"))
    assert default_version(FinetuneSettings(lang="eng", extra_fonts=extra), stock_files,
                           starter).endswith("text seed 1, 2 more faces)")
    assert _font_names("Fira Code,Roboto Condensed, Bold,FreeMono") == (
        "Fira Code", "Roboto Condensed, Bold", "FreeMono")


def test_rendered_lines_do_not_depend_on_the_work_folder(
        tiny_run: tuple[FinetuneSettings, Path, Path], tmp_path: Path) -> None:
    """The same lines in another folder are the same bytes, in the same order, so a
    rebuild elsewhere trains the same model."""
    settings, work, _ = tiny_run
    elsewhere = tmp_path / "some" / "other" / "folder"
    shutil.copytree(work / "stock", elsewhere / "stock")
    listfile = render(settings, work / "eng.training_text", settings.fonts or (), elsewhere,
                      log=lambda message: None)
    made = [Path(p) for p in listfile.read_text().split()]
    assert made and all(p.is_relative_to(elsewhere) for p in made)
    for path in made:
        assert path.read_bytes() == (work / "ground" / path.name).read_bytes()


def line_images(lstmf: Path) -> list[npt.NDArray[np.uint8]]:
    """The line images of a ``.lstmf`` file (Tesseract keeps each as a PNG)."""
    data = lstmf.read_bytes()
    return [np.asarray(Image.open(io.BytesIO(data[m.start():])).convert("L"))
            for m in re.finditer(re.escape(b"\x89PNG\r\n\x1a\n"), data)]


def render_one_line(tiny_run: tuple[FinetuneSettings, Path, Path], folder: Path, times: int,
                    fonts: Sequence[str], **settings: Any) -> list[Path]:
    """The ``.lstmf`` files of one line rendered ``times`` times with the tiny run's
    settings changed by ``settings``."""
    tiny, work, _ = tiny_run
    shutil.copytree(work / "stock", folder / "stock")
    text = folder / "same.txt"
    text.write_text("Ŀ and ŀ: the Catalan coŀlecció, PARAŀLEL in capitals.\n" * times,
                    encoding="utf-8")
    listfile = render(replace(tiny, **settings), text, fonts, folder, log=lambda message: None)
    return [Path(p) for p in listfile.read_text().split()]


def test_exposures_draw_each_fonts_lines_lighter_and_darker(
        tiny_run: tuple[FinetuneSettings, Path, Path], tmp_path: Path) -> None:
    made = [p.name for p in render_one_line(tiny_run, tmp_path, 6, ("DejaVu Sans",),
                                            exposures=(-2, 0, 2))]
    assert made == [f"eng.DejaVu_Sans.exp{e}.lstmf" for e in (-2, 0, 2)]
    images = {name: line_images(tmp_path / "ground" / name) for name in made}
    assert [len(lines) for lines in images.values()] == [2, 2, 2]
    # the same line each time: lighter exposures leave less ink
    ink = [np.mean([(line < 128).mean() for line in lines]) for lines in images.values()]
    assert ink[0] < ink[1] < ink[2]


def test_ptsizes_draw_the_fonts_lines_small_or_large(
        tiny_run: tuple[FinetuneSettings, Path, Path], tmp_path: Path) -> None:
    made = render_one_line(tiny_run, tmp_path, 4, ("DejaVu Sans", "DejaVu Serif"),
                           ptsizes=(12, 4))
    assert [p.name for p in made] == ["eng.DejaVu_Sans.exp0.lstmf", "eng.DejaVu_Serif.exp0.lstmf"]
    heights = [np.mean([line.shape[0] for line in line_images(p)]) for p in made]
    # 12 pt against 4 pt at 300 dpi: over twice the height (the line boxes have margins)
    assert 2 < heights[0] / heights[1] < 3.5


@pytest.mark.parametrize("option, wrong, right, named, bad_cli", [
    ("exposures", [(), (0, 4)], (-1, 0, 1), "exposures -1/0/1", ["-1,5", "-1,bold"]),
    ("ptsizes", [(), (12, 0), (100,)], (12, 5), "sizes 12/5 pt", ["12,1", "12,small"]),
])
def test_drawing_options_are_checked_and_named_in_the_version(
        option: str, wrong: list[tuple[int, ...]], right: tuple[int, ...], named: str,
        bad_cli: list[str], tmp_path: Path) -> None:
    for value in wrong:
        with pytest.raises(ValueError, match=option):
            FinetuneSettings(lang="eng", **{option: value})
    stock_files = extract_stock("eng", tmp_path)
    starter = Starter(tmp_path / "unused", ("Ŀ", "ŀ"))
    default = default_version(FinetuneSettings(lang="eng"), stock_files, starter)
    assert default.endswith("text seed 1)")
    assert default_version(FinetuneSettings(lang="eng", **{option: right}), stock_files,
                           starter) == default[:-1] + f", {named})"
    out_of_range, not_numbers = bad_cli
    assert main(["finetune", "--lang", "eng", f"--{option}={out_of_range}", "--work",
                 str(tmp_path / "work")]) == 1
    assert not (tmp_path / "work").exists()
    with pytest.raises(SystemExit):
        main(["finetune", "--lang", "eng", f"--{option}={not_numbers}"])


def test_a_run_after_another_starts_from_the_model_it_made(
        tiny_run: tuple[FinetuneSettings, Path, Path], tmp_path: Path) -> None:
    """A second stage: the first run is made again (the same bytes) and the second
    starts from its network, its version naming the first."""
    settings, _, first = tiny_run
    second = replace(settings, iterations=10, version=None, after=settings)
    out = finetune(second, tmp_path / "work", tmp_path / "eng.traineddata",
                   log=lambda message: None)
    before = tmp_path / "work" / "before"
    assert (before / "model" / "eng.traineddata").read_bytes() == first.read_bytes()
    assert (tmp_path / "work" / "network" / "eng-before.traineddata").read_bytes() == \
        first.read_bytes()
    assert (before / "tessdata" / "eng.traineddata").resolve() == SYSTEM / "eng.traineddata"
    added = len(run_files(tmp_path / "work")[1].added)  # what the text adds, as in the first
    assert added == len(run_files(tiny_run[1])[1].added)
    assert read_traineddata(out).version.endswith(
        f"+ ocr fine-tune from the network of tiny test model: +{added} characters "
        "(lstmtraining 10 iterations, lr 0.001, text seed 1)")
    with pytest.raises(ValueError, match="cannot start after a rus run"):
        finetune(replace(second, after=replace(settings, lang="rus")), tmp_path / "x",
                 tmp_path / "x.traineddata", log=lambda message: None)
    with pytest.raises(ValueError, match="give network='Latin' to the first run"):
        finetune(replace(second, network="Latin"), tmp_path / "x",
                 tmp_path / "x.traineddata", log=lambda message: None)


def test_averaged_runs_start_from_one_base_and_make_its_mean(
        tiny_run: tuple[FinetuneSettings, Path, Path], tmp_path: Path) -> None:
    """The base is made once (the same bytes as alone); each run starts from its network;
    the model written is the base with the mean of the runs' float weights."""
    settings, _, first = tiny_run
    runs = (replace(settings, iterations=10, version=None),
            replace(settings, iterations=20, version=None))
    averaged = AveragedSettings(lang="eng", base=settings, runs=runs)
    work = tmp_path / "work"
    out = finetune_averaged(averaged, work, tmp_path / "eng.traineddata",
                            log=lambda message: None)
    assert (work / "before" / "model" / "eng.traineddata").read_bytes() == first.read_bytes()
    base, result = read_traineddata(first), read_traineddata(out)
    floats = []
    for number, run in enumerate(runs, start=1):
        made = read_traineddata(work / f"run-{number}" / "eng.traineddata")
        added = len(run_files(work / f"run-{number}")[1].added)
        assert made.version.endswith(f"from the network of tiny test model: +{added} "
                                     f"characters (lstmtraining {run.iterations} iterations, "
                                     "lr 0.001, text seed 1)")
        floats.append(parse_model(read_traineddata(
            work / f"run-{number}" / "eng.float.traineddata")["lstm"]))
    assert {n: result[n] for n in result if n not in ("lstm", "version")} == \
        {n: base[n] for n in base if n not in ("lstm", "version")}
    model = parse_model(result["lstm"])
    assert model.is_int_mode
    # each weight within half a quantization step of the runs' mean
    for got, a, b in zip(model.network.children_layers()[-1].weight_matrices(),
                         floats[0].network.children_layers()[-1].weight_matrices(),
                         floats[1].network.children_layers()[-1].weight_matrices()):
        mean = (a.float_weights() + b.float_weights()) / 2
        assert got.scales is not None
        step = got.scales[:got.num_outputs, None]
        assert np.all(np.abs(got.float_weights() - mean) <= step / 2 + 1e-9)
        assert not np.array_equal(a.float_weights(), b.float_weights())
    added = len(run_files(work / "run-1")[1].added)
    stock_version = stock("eng").version
    assert result.version == (
        f"{stock_version} + ocr mean of 2 fine-tunes from the network of tiny test model: "
        f"+{added} characters (lstmtraining 10 iterations, lr 0.001, text seed 1) | "
        f"+{added} characters (lstmtraining 20 iterations, lr 0.001, text seed 1)")


def test_a_run_after_an_average_at_another_input_height(
        tiny_run: tuple[FinetuneSettings, Path, Path], tmp_path: Path) -> None:
    """A run can start from an averaged model, and read its lines at another height: the
    model it makes scales lines to that height and says so, after the average's version."""
    settings, _, _ = tiny_run
    averaged = AveragedSettings(lang="eng", base=settings, runs=(
        replace(settings, iterations=10, version=None),
        replace(settings, iterations=20, version=None)))
    taller = replace(settings, iterations=10, version=None, after=averaged, input_height=48)
    work = tmp_path / "work"
    made = read_traineddata(finetune(taller, work, tmp_path / "eng.traineddata",
                                     log=lambda message: None))
    mean = read_traineddata(work / "before" / "model" / "eng.traineddata")
    assert mean.version.startswith(f"{stock('eng').version} + ocr mean of 2 fine-tunes")
    start = parse_model(mean["lstm"]).spec
    assert not start.startswith("[1,48,")
    assert parse_model(made["lstm"]).spec == re.sub(r"^\[1,\d+,", "[1,48,", start)
    assert made.version.startswith(f"{stock('eng').version} + ocr fine-tune from the "
                                   f"network of {mean.version}: ")
    assert made.version.endswith(", input 48 px high)")
    with pytest.raises(ValueError, match="input_height"):
        replace(settings, input_height=2)


def test_starting_from_another_models_network(tiny_run: tuple[FinetuneSettings, Path, Path],
                                              tmp_path: Path) -> None:
    """eng's charset on the Latin script model's network: the rows of letters Latin
    reads are Latin's, a letter it lacks starts from its base letter's row."""
    _, work, _ = tiny_run
    latin = extract_stock("Latin", tmp_path, folder_name="network")
    _, starter = run_files(work)
    initial = parse_model(initial_model(latin, starter, tmp_path).read_bytes())
    latin_model = parse_model(latin.float_lstm.read_bytes())
    assert initial.spec == latin_model.spec
    new_unichars = unicharset_entries(read_traineddata(starter.traineddata)["lstm-unicharset"])
    new_recoder = read_recoder(read_traineddata(starter.traineddata)["lstm-recoder"])
    latin_unichars = unicharset_entries(latin.component("lstm-unicharset").read_bytes())
    latin_recoder = read_recoder(latin.component("lstm-recoder").read_bytes())
    assert initial.num_outputs == new_recoder.code_range

    def row(model: LSTMModel, recoder: Recoder, unichars: list[str], char: str) -> np.ndarray:
        code = recoder.codes[unichars.index(char)][0]
        return np.asarray(model.network.children_layers()[-1].weight_matrices()[0].weights[code])

    for char in "eL":
        assert (row(initial, new_recoder, new_unichars, char)
                == row(latin_model, latin_recoder, latin_unichars, char)).all()
    warm = row(initial, new_recoder, new_unichars, "Ŀ")
    base = row(latin_model, latin_recoder, latin_unichars, "L")
    assert (warm[:-1] == base[:-1]).all() and warm[-1] == base[-1] - 1.0
