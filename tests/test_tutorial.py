"""The tutorial's full script, unmodified, run as a user runs it."""

from __future__ import annotations

import re
import subprocess
import sys

from shared_data import REQUIRE_SHARED, ROOT, SHARED, shared_path

# The tutorial's "Expected Output", exactly, but for the non-breaking hyphen (U+2011),
# which may come out as any hyphen or minus. Ŀ, Ҕ and Ǣ are read by the bundled eng and
# rus models, the default (tests/test_models.py).
EXPECTED = (
    "Hello, world! \u013f is a Latin\u2011extended character.",
    "\u041f\u0440\u0438\u0432\u0435\u0442, \u043c\u0438\u0440! \u0494 is a Cyrillic character.",
    "Special combo: \u01e2 is a ligature.",
)
HYPHENS = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2212"})


def demo_script():
    seed = SHARED / "seed" / "ocr_demo.py"
    if seed.exists() or REQUIRE_SHARED:
        return shared_path("seed/ocr_demo.py")
    return ROOT / "examples" / "ocr_demo.py"  # a verbatim copy, for machines without ../shared


def test_bundled_copy_is_the_tutorial_script():
    seed = shared_path("seed/ocr_demo.py")
    assert (ROOT / "examples" / "ocr_demo.py").read_bytes() == seed.read_bytes()


def test_expected_lines_are_the_tutorials():
    tutorial = shared_path("seed/tutorial.md").read_text(encoding="utf-8")
    block = tutorial.split("### Expected Output", 1)[1].split("```", 2)[1]
    assert tuple(block.strip().splitlines()[1:]) == EXPECTED


def test_tutorial_script_prints_the_expected_output(tmp_path, sample_png):
    # cwd outside the checkout: `import ocr` must find the installed package
    run = subprocess.run([sys.executable, str(demo_script()), str(sample_png)],
                         capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    start = lines.index("=== OCR Result ===")
    text = lines[start + 1: start + 4]
    for got, expected in zip(text, EXPECTED, strict=True):
        assert got.translate(HYPHENS) == expected.translate(HYPHENS)
    assert lines[start + 4] == ""
    confidence = re.fullmatch(r"Average confidence: (\d+\.\d)%", lines[start + 5])
    assert confidence and 80.0 <= float(confidence.group(1)) <= 100.0
    assert len(lines) == start + 6
