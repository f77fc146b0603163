"""Smoke tests of the accuracy harness (bench/accuracy.py): its pages are what they claim
to be, and a quick run gives a sane table. The figures themselves come from running
``python bench/accuracy.py``."""

from __future__ import annotations

import numpy as np
import pytest

import ocr

import accuracy


def bench_pages_are_deterministic():
    first, second = accuracy.pages("noise", quick=True), accuracy.pages("noise", quick=True)
    assert [p.name for p in first] == [p.name for p in second]
    for a, b in zip(first, second):
        assert a.image.tobytes() == b.image.tobytes()
        assert a.truth == b.truth


def bench_quick_pages_are_a_subset():
    full = {page.name: page for page in accuracy.pages("rotated")}
    quick = accuracy.pages("rotated", quick=True)
    assert 2 <= len(quick) < len(full)
    for page in quick:
        assert page.image.tobytes() == full[page.name].image.tobytes()
    assert {page.languages for page in quick} == {("eng",), ("rus",), ("eng", "rus")}


def bench_one_page_alone_is_the_page_of_its_condition():
    full = {page.name: page for page in accuracy.pages("noise")}
    for name, page in full.items():
        alone = accuracy.page("noise", name)
        assert alone.image.tobytes() == page.image.tobytes()
        assert (alone.truth, alone.languages, alone.name) == (page.truth, page.languages, name)
    with pytest.raises(ValueError, match="unknown page"):
        accuracy.page("noise", "no-such-page")
    with pytest.raises(ValueError, match="unknown condition"):
        accuracy.page("no-such-condition", "mixed-liberation-mono")


def bench_uneven_defeats_any_global_threshold():
    # The darkest paper is darker than the brightest ink, on every page.
    for n, spec in enumerate(accuracy.PAGE_SPECS):
        clean = np.asarray(accuracy.render(spec))
        shaded = np.asarray(accuracy.CONDITIONS["uneven"].degrade(accuracy.render(spec), n))
        assert shaded[clean == 255].min() < shaded[clean == 0].max(), spec.name


def bench_small_is_rerendered_smaller():
    small, clean = accuracy.pages("small", quick=True)[0], accuracy.pages("clean", quick=True)[0]
    assert small.truth == clean.truth
    assert small.image.width == round(clean.image.width * accuracy.SMALL_EM / accuracy.EM)


def bench_quick_evaluation():
    made = []

    def engine_factory(languages):
        made.append(languages)
        return ocr.OcrEngine(languages)

    conditions = ["clean", "small", "uneven"]
    rows = accuracy.evaluate(conditions, quick=True, engine_factory=engine_factory)
    assert [row.condition for row in rows] == conditions
    assert made == [["eng"], ["rus"], ["eng", "rus"]]  # one engine per language set
    for row in rows:
        assert row.pages == 3 and row.chars > 1500
        assert all(r.ocr.seconds > 0 and r.tesserocr.seconds > 0 for r in row.results)
    clean = rows[0]
    assert clean.cer_ocr < 0.02 and clean.cer_tesserocr < 0.02
    assert rows[2].cer_tesserocr > 0.3  # calibrated so that a global threshold fails
    table = accuracy.format_table(rows).splitlines()
    assert len(table) == 2 + len(conditions) + 1
    assert table[0].split("|")[1].strip() == "condition" and table[-1].startswith("| total")


def bench_evaluate_rejects_unknown_conditions():
    with pytest.raises(ValueError, match="'sepia'.*clean"):
        accuracy.evaluate(["sepia"], quick=True)


def bench_scans_skip_without_shared_data(monkeypatch, tmp_path):
    monkeypatch.setattr(accuracy, "SHARED", tmp_path)
    assert accuracy.pages("scans") == []
    [row] = accuracy.evaluate(["scans"])
    assert row.pages == 0 and str(tmp_path) in row.note
    assert row.note in accuracy.format_table([row])
