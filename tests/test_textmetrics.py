"""The edit distance the accuracy harness scores with, against the textbook recurrence."""

from __future__ import annotations

import random

import pytest

from textmetrics import cer, edit_distance


def reference_distance(a: str, b: str) -> int:
    """Levenshtein distance by the plain Wagner-Fischer table, cell by cell."""
    table = [[i + j if i * j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1,
                              table[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
    return table[-1][-1]


@pytest.mark.parametrize("a, b, expected", [
    ("", "", 0), ("", "abc", 3), ("abc", "", 3), ("kitten", "sitting", 3),
    ("flaw", "lawn", 2), ("ёжик", "ежик", 1), ("Привет, world", "Привет, world", 0),
    ("𝔘nicode", "Unicode", 1),  # outside the BMP: one code point, one edit
])
def test_known_distances(a, b, expected):
    assert edit_distance(a, b) == expected
    assert edit_distance(b, a) == expected


def test_matches_reference_on_random_strings():
    rng = random.Random(7)
    for _ in range(300):
        a = "".join(rng.choice("ab ёЖ") for _ in range(rng.randrange(0, 25)))
        b = "".join(rng.choice("ab ёЖ") for _ in range(rng.randrange(0, 25)))
        assert edit_distance(a, b) == reference_distance(a, b), (a, b)


def test_cer():
    assert cer("hello", "hello") == 0.0
    assert cer("hallo", "hello") == pytest.approx(0.2)
    assert cer("anything", "") == 8.0  # an empty truth counts as one character
