"""Edit distance and character error rate, for tests and the accuracy harness."""

from __future__ import annotations


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (insertions, deletions, substitutions)."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def cer(got: str, truth: str) -> float:
    """Character error rate of ``got`` against ``truth`` (0.0 is perfect)."""
    return edit_distance(got, truth) / max(len(truth), 1)
