"""The traineddata container: byte-exact round trips on every installed model, and
agreement with Tesseract's own ``combine_tessdata`` (an independent implementation)."""

from __future__ import annotations

import shutil
import struct
import subprocess

import pytest

from ocr import _tesseract
from ocr.errors import ModelFormatError, OcrError
from ocr.training import COMPONENT_NAMES, TrainedData, component_for_path, read_traineddata
from ocr.training.cli import main

SYSTEM = _tesseract.find_tessdata()
MODELS = sorted(SYSTEM.glob("*.traineddata"))
COMBINE = shutil.which("combine_tessdata") or "combine_tessdata"  # quickstart.sh installs it


def test_the_installed_models_are_there():
    names = {path.stem for path in MODELS}
    assert {"eng", "rus", "osd"} <= names


@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.stem)
def test_read_then_write_gives_the_same_bytes(path):
    raw = path.read_bytes()
    td = read_traineddata(path)
    assert td.to_bytes() == raw
    assert sum(size for _, _, size in td.directory()) + 4 + 8 * td.num_entries == len(raw)


@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.stem)
def test_components_are_what_combine_tessdata_unpacks(path, tmp_path):
    prefix = tmp_path / "x."
    subprocess.run([COMBINE, "-u", str(path), str(prefix)], check=True,
                   capture_output=True)
    unpacked = {p.name[len("x."):]: p.read_bytes() for p in tmp_path.iterdir()}
    td = read_traineddata(path)
    if "version" not in td:  # Tesseract makes one up (osd)
        assert unpacked.pop("version") == b"Pre-4.0.0"
    assert dict(td.components) == unpacked


@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.stem)
def test_directory_and_version_agree_with_combine_tessdata(path):
    # Tesseract 5.3 prints the directory on stderr (tprintf), newer ones on stdout
    run = subprocess.run([COMBINE, "-d", str(path)], check=True, capture_output=True,
                         text=True)
    listing = (run.stdout + run.stderr).splitlines()
    td = read_traineddata(path)
    assert listing[0] == f"Version:{td.version}"
    # "17:lstm:size=401636, offset=192"
    theirs = [tuple(line.split(",")[0].split(":")) for line in listing[1:] if ":size=" in line]
    ours = [(str(number), name, f"size={size}") for number, name, size in td.directory()]
    if "version" not in td:  # the one Tesseract makes up (osd)
        ours.append(("23", "version", f"size={len('Pre-4.0.0')}"))
    assert theirs == ours


def test_replacing_a_component_matches_combine_tessdata_o(tmp_path):
    theirs = tmp_path / "eng.traineddata"
    shutil.copyfile(SYSTEM / "eng.traineddata", theirs)
    component = tmp_path / "eng.version"
    component.write_bytes(b"4.00.00alpha:eng:ocr-test")
    subprocess.run([COMBINE, "-o", str(theirs), str(component)], check=True,
                   capture_output=True)
    ours = read_traineddata(SYSTEM / "eng.traineddata").with_component(
        "version", component.read_bytes())
    assert ours.to_bytes() == theirs.read_bytes()
    assert read_traineddata(theirs).version == "4.00.00alpha:eng:ocr-test"


def test_versions():
    assert read_traineddata(SYSTEM / "eng.traineddata").version.startswith(
        "4.00.00alpha:eng:")
    osd = read_traineddata(SYSTEM / "osd.traineddata")
    assert osd.version == "Pre-4.0.0"  # no version component: what Tesseract reports
    assert osd.num_entries == 11
    assert list(osd) == ["unicharset", "inttemp", "pffmtable", "normproto"]


def test_component_names_follow_tessdata_types():
    assert len(COMPONENT_NAMES) == 24
    assert COMPONENT_NAMES.index("lstm") == 17
    assert COMPONENT_NAMES.index("version") == 23
    assert component_for_path("out/eng.lstm-unicharset") == "lstm-unicharset"
    assert component_for_path("eng.lstm") == "lstm"
    with pytest.raises(KeyError, match="not a traineddata component"):
        component_for_path("eng.png")


def test_editing_returns_new_containers():
    td = read_traineddata(SYSTEM / "eng.traineddata")
    smaller = td.without_component("lstm-word-dawg")
    assert "lstm-word-dawg" in td and "lstm-word-dawg" not in smaller
    assert len(smaller.to_bytes()) == len(td.to_bytes()) - len(td["lstm-word-dawg"])
    assert TrainedData.from_bytes(smaller.to_bytes()).components == smaller.components
    # an empty component is an absent one, as for Tesseract
    assert "version" not in td.with_component("version", b"")
    with pytest.raises(KeyError, match="no 'config' component"):
        td["config"]
    with pytest.raises(KeyError, match="not a traineddata component"):
        td.with_component("lstm-model", b"x")


def test_a_short_table_grows_when_a_later_component_is_added():
    osd = read_traineddata(SYSTEM / "osd.traineddata")
    grown = osd.with_component("version", b"x")
    assert grown.num_entries == 24
    data = grown.to_bytes()
    assert struct.unpack_from("<I", data)[0] == 24
    assert read_traineddata_bytes(data).version == "x"


def read_traineddata_bytes(data: bytes) -> TrainedData:
    return TrainedData.from_bytes(data, source="test")


@pytest.mark.parametrize("data, message", [
    (b"\x18\x00", "too short"),
    (struct.pack("<I", 24) + b"\x00" * 20, "truncated table"),
    (struct.pack(">I", 24) + b"\x00" * 200, "big-endian"),
    (b"PK\x03\x04" + b"\x00" * 100, "zip archive"),
    (struct.pack("<Iq", 1, 100) + b"abc", "does not follow"),
    (struct.pack("<I", 0), "empty"),
    (struct.pack("<Iq", 1, -1), "no component has any data"),
    (struct.pack("<I", 30) + struct.pack("<30q", *([-1] * 29 + [244])) + b"x",
     "unknown"),
])
def test_malformed_files_raise_model_format_error(data, message):
    with pytest.raises(ModelFormatError, match=message) as info:
        TrainedData.from_bytes(data, source="bad.traineddata")
    assert isinstance(info.value, OcrError) and isinstance(info.value, ValueError)
    assert "bad.traineddata" in str(info.value)


def test_cli_extract_unpack_replace(tmp_path, capsys):
    source = SYSTEM / "eng.traineddata"
    td = read_traineddata(source)
    assert main(["extract", str(source), str(tmp_path / "eng.lstm-unicharset")]) == 0
    assert (tmp_path / "eng.lstm-unicharset").read_bytes() == td["lstm-unicharset"]
    assert main(["extract", str(source), str(tmp_path / "v.txt"),
                 "--component", "version"]) == 0
    assert (tmp_path / "v.txt").read_bytes() == td["version"]

    assert main(["unpack", str(source), str(tmp_path / "u.")]) == 0
    assert {p.name for p in tmp_path.glob("u.*")} == {f"u.{name}" for name in td}

    (tmp_path / "new.version").write_bytes(b"mine")
    out = tmp_path / "out.traineddata"
    assert main(["replace", str(source), str(tmp_path / "new.version"), "-o", str(out)]) == 0
    assert out.read_bytes() == td.with_component("version", b"mine").to_bytes()

    assert main(["extract", str(source), str(tmp_path / "eng.config")]) == 1
    assert "no 'config' component" in capsys.readouterr().err
    (tmp_path / "broken.traineddata").write_bytes(b"\x01\x00")
    assert main(["info", str(tmp_path / "broken.traineddata")]) == 1
    assert "too short" in capsys.readouterr().err
