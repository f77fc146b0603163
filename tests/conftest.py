from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # `import pages` from tests and bench

import ocr  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("OCR_SHARED_DIR", ROOT.parent / "shared"))
# CI sets this so that tests needing ../shared fail instead of skipping.
REQUIRE_SHARED = os.environ.get("OCR_REQUIRE_SHARED_DATA") == "1"


def shared_path(relative: str) -> Path:
    """A path under ../shared; skips (fails on CI) when it is absent."""
    path = SHARED / relative
    if not path.exists():
        message = f"{path} is absent: it is provided beside the clone in CI"
        if REQUIRE_SHARED:
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def sample_png() -> Path:
    return ROOT / "examples" / "multilingual.png"


@pytest.fixture
def engine() -> ocr.OcrEngine:
    with ocr.OcrEngine() as engine:
        yield engine


@pytest.fixture(scope="session")
def shared_engine() -> ocr.OcrEngine:
    """One engine reused across tests that only read from it."""
    with ocr.OcrEngine() as engine:
        yield engine
