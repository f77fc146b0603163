"""Where the repository and ../shared are, and how tests reach ../shared."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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
