"""The ocr command, run as a user runs it: a subprocess of the installed console script."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

import ocr
from ocr import cli

import pages

LINES = {
    "a.png": pages.ENGLISH[0],
    "sub/b.jpg": pages.ENGLISH[1],
    "sub/deeper/c.tif": pages.ENGLISH[2],
}


def ocr_script() -> str:
    """The console script of the environment running the tests, not another one on PATH
    (``.venv/bin/python -m pytest`` runs with ``.venv/bin`` off PATH)."""
    beside = Path(sys.executable).with_name("ocr")
    return str(beside) if beside.is_file() else shutil.which("ocr") or "ocr"


def run(*args: str, stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ocr_script(), *args], capture_output=True, text=stdin is None,
                          input=stdin, cwd=cwd, timeout=300)


@pytest.fixture
def tree(tmp_path) -> Path:
    """A folder of images in nested folders, one corrupt, one that is not an image."""
    root = tmp_path / "scans"
    for name, text in LINES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        pages.render((text,), size=30).convert("RGB").save(path)
    (root / "sub" / "broken.png").write_bytes((root / "a.png").read_bytes()[:300])
    (root / "notes.txt").write_text("not an image, and not looked at")
    return root


def test_folder_to_mirrored_outputs_with_one_bad_file(tree, tmp_path):
    out = tmp_path / "out"
    done = run(str(tree), "-o", str(out))
    assert done.returncode == cli.EXIT_SOME_FAILED
    assert "broken.png" in done.stderr and done.stderr.count("ocr:") == 1
    for name, text in LINES.items():
        assert (out / name).with_suffix(".txt").read_text(encoding="utf-8") == text + "\n"
    assert not (out / "sub" / "broken.txt").exists() and not (out / "notes.txt").exists()


def test_python_dash_m_is_the_same_command(tree):
    single = str(tree / "a.png")
    assert subprocess.run([sys.executable, "-m", "ocr", single], capture_output=True, text=True,
                          check=True).stdout == run(single).stdout == LINES["a.png"] + "\n"


def test_several_files_to_stdout_with_headers(tree):
    done = run(str(tree / "a.png"), str(tree / "sub" / "b.jpg"))
    assert done.returncode == 0
    assert done.stdout == (f"==> {tree / 'a.png'} <==\n{LINES['a.png']}\n\n"
                           f"==> {tree / 'sub' / 'b.jpg'} <==\n{LINES['sub/b.jpg']}\n")


def test_standard_input(tree):
    done = run("-", stdin=(tree / "a.png").read_bytes())
    assert done.returncode == 0 and done.stdout.decode() == LINES["a.png"] + "\n"


def test_all_failed(tree, tmp_path):
    done = run(str(tree / "sub" / "broken.png"), str(tmp_path / "missing.png"))
    assert done.returncode == cli.EXIT_ALL_FAILED
    assert "missing.png" in done.stderr and "broken.png" in done.stderr


@pytest.mark.parametrize("args, message", [
    ((), "at least one image"),
    (("x.png", "--format", "pdf"), "invalid choice"),
    (("a.png", "b.png", "--format", "hocr"), "-o"),
    (("a.png", "--overlay"), "-o"),
    (("a.png", "--preprocess", "sharpen"), "sharpen"),
])
def test_usage_errors(args, message):
    done = run(*args)
    assert done.returncode == cli.EXIT_USAGE
    assert message in done.stderr


def test_unknown_language_is_a_usage_error(tree):
    done = run(str(tree / "a.png"), "-l", "eng+klingon")
    assert done.returncode == cli.EXIT_USAGE and "klingon" in done.stderr


def test_list_languages_and_version():
    listed = run("--list-languages")
    assert listed.returncode == 0 and listed.stdout.split() == ocr.available_languages()
    stock = run("--list-languages", "--models", "stock")
    assert stock.stdout.split() == ocr.available_languages(models="stock")
    version = run("--version")
    assert version.stdout.startswith(f"ocr {ocr.__version__} (tesseract 5.")


def test_overlay_images(tree, tmp_path):
    out = tmp_path / "out"
    assert run(str(tree / "a.png"), "-o", str(out), "--overlay").returncode == 0
    overlay = Image.open(out / "a.overlay.png")
    assert overlay.size == Image.open(tree / "a.png").size and overlay.mode == "RGB"
    colours = {c for _, c in overlay.getcolors(1 << 20)}
    assert any(g > 150 and r < 120 for r, g, b in colours)  # green boxes: confident words


def test_preprocess_steps_are_parsed():
    steps = cli._preprocessing("invert, flatten,deskew,sauvola=31,rescale=1.5,threshold=120,otsu")
    assert steps == [ocr.Invert(), ocr.Flatten(), ocr.Deskew(), ocr.Binarize("sauvola", window=31),
                     ocr.Rescale(factor=1.5), ocr.Binarize("fixed", level=120), ocr.Binarize("otsu")]
    assert cli._preprocessing("none") is None and cli._preprocessing("auto") == "auto"
    for bad in ("rescale=big", "threshold", "", "flatten=3"):
        with pytest.raises(ValueError):
            cli._preprocessing(bad)


def test_no_progress_bar_when_piped(tree, tmp_path):
    done = run(str(tree), "-o", str(tmp_path / "out"))
    assert "image/s" not in done.stderr and "%|" not in done.stderr


def test_jsonl_streams_one_result_per_line_while_running(tree, tmp_path):
    many = tmp_path / "many"
    many.mkdir()
    for i in range(12):
        shutil.copy(tree / "a.png", many / f"page{i:02d}.png")
    process = subprocess.Popen([ocr_script(), str(many), "--format", "jsonl", "-j", "1"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = json.loads(process.stdout.readline())
        still_running = process.poll() is None  # the first result arrived before the last was read
        rest = [json.loads(line) for line in process.stdout]
    finally:
        process.wait(timeout=300)
    assert still_running
    assert process.returncode == 0
    results = [first, *rest]
    assert [Path(r["path"]).name for r in results] == [f"page{i:02d}.png" for i in range(12)]
    assert all(ocr.OcrResult.from_dict({k: v for k, v in r.items() if k != "path"}).text
               == LINES["a.png"] for r in results)


@pytest.mark.parametrize("format, suffix", [("json", ".json"), ("hocr", ".hocr"), ("tsv", ".tsv"),
                                            ("alto", ".xml")])
def test_formats_written_under_the_output_folder(tree, tmp_path, format, suffix):
    out = tmp_path / "out"
    done = run(str(tree / "a.png"), str(tree / "sub" / "b.jpg"), "-o", str(out), "--format", format)
    assert done.returncode == 0, done.stderr
    document = (out / "a").with_suffix(suffix).read_text(encoding="utf-8")
    if format == "json":
        assert ocr.OcrResult.from_json(document).text == LINES["a.png"]
    elif format == "tsv":
        words = [row.split("\t")[-1] for row in document.splitlines()[1:] if row.startswith("5\t")]
        assert " ".join(words) == LINES["a.png"]
    else:
        from lxml import etree
        root = etree.fromstring(document.encode("utf-8"))
        text = " ".join(root.xpath("//*[@class='ocrx_word']//text()") if format == "hocr" else
                        root.xpath("//*[local-name()='String']/@CONTENT"))
        assert text == LINES["a.png"]
    assert (out / "b").with_suffix(suffix).exists()


def test_json_to_stdout_for_several_inputs_is_one_array(tree):
    done = run(str(tree / "a.png"), str(tree / "sub" / "b.jpg"), "--format", "json")
    documents = json.loads(done.stdout)
    assert [d["text"] for d in documents] == [LINES["a.png"], LINES["sub/b.jpg"]]
    assert documents[0]["path"].endswith("a.png")


def test_progress_bar_on_a_terminal(tree, tmp_path):
    import fcntl
    import os
    import pty
    import struct
    import termios

    primary, terminal = pty.openpty()  # stderr is a terminal (24 x 80), stdout a file
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    with open(tmp_path / "stdout.txt", "wb") as stdout:
        process = subprocess.Popen([ocr_script(), str(tree), "-o", str(tmp_path / "out")],
                                   stdout=stdout, stderr=terminal)
        os.close(terminal)
        seen = b""
        while True:
            try:
                chunk = os.read(primary, 4096)
            except OSError:  # the terminal closed: the process is done
                break
            if not chunk:
                break
            seen += chunk
        process.wait(timeout=300)
    os.close(primary)
    shown = seen.decode("utf-8", "replace")
    assert "4/4" in shown and "image" in shown  # tqdm's bar over the 4 image files
    assert "broken.png" in shown  # messages go around the bar


def test_lookalikes_are_fixed_unless_kept(tmp_path, monkeypatch, capsys):
    from ocr.training.evaluate import render_line

    path = tmp_path / "line.png"
    Image.fromarray(render_line("хор поёт, а мы слушаем", "/usr/share/fonts/truetype/dejavu/"
                                "DejaVuSansMono.ttf", 36)).save(path)
    # in-process, to see whether the look-alike fix runs (today's models read this line
    # right either way; tests/test_lookalikes.py has what the fix does)
    fixed = []
    real = ocr.result.fix_line
    monkeypatch.setattr("ocr.result.fix_line", lambda words: fixed.append(words) or real(words))
    assert cli.main(["-l", "eng+rus", str(path)]) == 0
    assert len(fixed) == 1 and capsys.readouterr().out.strip() == "хор поёт, а мы слушаем"
    assert cli.main(["-l", "eng+rus", "--keep-lookalikes", str(path)]) == 0
    assert len(fixed) == 1 and "мы слушаем" in capsys.readouterr().out


def test_languages_are_compared_on_mixed_pages_unless_told_not_to(tmp_path, monkeypatch,
                                                                   capsys):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    import accuracy

    page = accuracy.page("large", "mixed-liberation-serif")
    path = tmp_path / "mixed.png"
    page.image.save(path)
    # in-process, to see whether the page is read again with each language alone (the
    # bundled models read this page right either way; tests/test_word_choice.py has
    # what the comparison decides)
    compared = []
    real = ocr.word_choice.choose_words
    monkeypatch.setattr("ocr.word_choice.choose_words",
                        lambda page, readings: compared.append(page) or real(page, readings))
    assert cli.main(["-l", "eng+rus", str(path)]) == 0
    assert len(compared) == 1 and "индикатор POWER" in capsys.readouterr().out
    assert cli.main(["-l", "eng+rus", "--no-compare-languages", str(path)]) == 0
    assert len(compared) == 1 and "индикатор POWER" in capsys.readouterr().out
