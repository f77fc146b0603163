"""Finding language data: explicit path, TESSDATA_PREFIX, system folders; never the cwd."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import ocr
from ocr import _tesseract

SYSTEM = _tesseract.find_tessdata()


def model_dir(root: Path, *codes: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for code in codes:
        (root / f"{code}.traineddata").symlink_to(SYSTEM / f"{code}.traineddata")
    return root


@pytest.fixture
def no_prefix(monkeypatch):
    monkeypatch.delenv("TESSDATA_PREFIX", raising=False)


def test_system_folder_found_without_configuration(no_prefix):
    found = _tesseract.find_tessdata()
    assert (found / "eng.traineddata").is_file()
    assert found in [d.resolve() for d in _tesseract._system_tessdata_dirs() if d.exists()]


def test_explicit_folder_wins(tmp_path, monkeypatch):
    explicit = model_dir(tmp_path / "mine", "eng")
    monkeypatch.setenv("TESSDATA_PREFIX", str(SYSTEM))
    assert _tesseract.find_tessdata(explicit) == explicit.resolve()
    with ocr.OcrEngine(tessdata=explicit, models="stock") as engine:
        assert engine.tessdata == explicit.resolve()
        assert ocr.available_languages(explicit, models="stock") == ["eng"]
        # by default the bundled eng and rus stand for the folder's
        assert ocr.available_languages(explicit) == ["eng", "rus"]
        with pytest.raises(ocr.LanguageNotAvailableError, match="Installed: eng\\. .*tesseract-ocr-rus"):
            engine.set_languages(["rus"])


def test_missing_explicit_folder(tmp_path):
    with pytest.raises(ocr.TessdataNotFoundError, match="does not exist") as caught:
        ocr.OcrEngine(tessdata=tmp_path / "nowhere").set_languages(["eng"])
    assert isinstance(caught.value, FileNotFoundError)


@pytest.mark.parametrize("layout", ["folder itself", "parent"])
def test_tessdata_prefix_both_conventions(tmp_path, monkeypatch, layout):
    folder = model_dir(tmp_path / "tessdata", "eng", "rus")
    monkeypatch.setenv("TESSDATA_PREFIX", str(folder if layout == "folder itself" else tmp_path))
    assert _tesseract.find_tessdata() == folder.resolve()
    assert ocr.available_languages(models="stock") == ["eng", "rus"]


def test_tessdata_prefix_without_models_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path))
    with pytest.raises(ocr.TessdataNotFoundError, match="TESSDATA_PREFIX"):
        ocr.available_languages()


def test_working_directory_is_never_used(tmp_path, monkeypatch, no_prefix):
    model_dir(tmp_path, "eng")
    model_dir(tmp_path / "tessdata", "eng")
    monkeypatch.chdir(tmp_path)
    found = _tesseract.find_tessdata()
    assert found != tmp_path.resolve() and found != (tmp_path / "tessdata").resolve()


def test_no_language_data_anywhere(monkeypatch, no_prefix, tmp_path):
    monkeypatch.setattr(_tesseract, "_system_tessdata_dirs", lambda: [tmp_path / "a", tmp_path / "b"])
    with pytest.raises(ocr.TessdataNotFoundError, match="apt-get install tesseract-ocr-eng"):
        ocr.OcrEngine(models="stock").recognize(np.full((10, 10), 255, np.uint8))
    # the bundled rus needs no language data (tests/test_models.py); others do
    with pytest.raises(ocr.LanguageNotAvailableError, match="apt-get install tesseract-ocr-fra"):
        ocr.OcrEngine(["fra"], models="bundled")


def test_corrupt_model_is_reported_and_not_silently_dropped(tmp_path):
    folder = model_dir(tmp_path, "eng")
    (folder / "bad.traineddata").write_bytes((SYSTEM / "rus.traineddata").read_bytes()[:5000])
    with ocr.OcrEngine(tessdata=folder, models="stock") as engine:
        for languages in (["bad"], ["eng", "bad"]):  # Tesseract drops a bad second language quietly
            with pytest.raises(ocr.RecognitionError, match="'bad'.*corrupt"):
                engine.set_languages(languages)
        assert engine.languages == ("eng",)
        assert engine.recognize(np.full((10, 10), 255, np.uint8)).text == ""


def test_script_subfolder_models(tmp_path):
    folder = model_dir(tmp_path, "eng")
    (folder / "script").mkdir()
    (folder / "script" / "Latin.traineddata").symlink_to(SYSTEM / "Latin.traineddata")
    assert ocr.available_languages(folder, models="stock") == ["eng", "script/Latin"]



