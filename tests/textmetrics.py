"""Edit distance and character error rate, for tests and the accuracy harness."""

from __future__ import annotations

import numpy as np


def _codepoints(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (insertions, deletions, substitutions).

    Wagner-Fischer, one row of the table at a time, each row in a few numpy operations:
    deletions and substitutions come from the previous row, and insertions, which chain
    along the row, are a running minimum of ``row[k] - k`` (plus ``j``). Pages of a few
    thousand characters take milliseconds rather than seconds.

    Examples
    --------
    >>> edit_distance("kitten", "sitting")
    3
    """
    if len(a) < len(b):
        a, b = b, a
    if not b:
        return len(a)
    columns = _codepoints(b)
    offsets = np.arange(len(b) + 1)
    previous = offsets.copy()
    current = np.empty_like(previous)
    for i, char in enumerate(_codepoints(a), 1):
        current[0] = i
        np.minimum(previous[1:] + 1, previous[:-1] + (columns != char), out=current[1:])
        current -= offsets
        np.minimum.accumulate(current, out=current)
        current += offsets
        previous, current = current, previous
    return int(previous[-1])


def cer(got: str, truth: str) -> float:
    """Character error rate of ``got`` against ``truth`` (0.0 is perfect)."""
    return edit_distance(got, truth) / max(len(truth), 1)
