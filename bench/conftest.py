from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # pages, textmetrics

import pages  # noqa: E402



@pytest.fixture(scope="session")
def tessdata() -> str:
    import ocr._tesseract

    return str(ocr._tesseract.find_tessdata())


@pytest.fixture(scope="session")
def a4_png(tmp_path_factory) -> Path:
    """An A4 page of English prose at 300 dpi, saved as PNG (with its dpi)."""
    path = tmp_path_factory.mktemp("bench") / "a4-300dpi.png"
    pages.a4_page(dpi=300).save(path, dpi=(300, 300))
    return path


@pytest.fixture(scope="session")
def line_png(tmp_path_factory) -> Path:
    """One text line, about 1000x60 px."""
    path = tmp_path_factory.mktemp("bench") / "line.png"
    pages.render((pages.ENGLISH[0],), size=36, margin=12, leading=1.0).save(path)
    return path
