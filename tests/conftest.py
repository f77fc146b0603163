from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # pages, textmetrics, shared_data

import ocr  # noqa: E402
from shared_data import ROOT  # noqa: E402


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
