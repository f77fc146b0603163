"""Edge profiles against a numpy reference."""

from __future__ import annotations

import numpy as np
import pytest

from ocr import preprocess


def edges_reference(image: np.ndarray, threshold: int) -> tuple[np.ndarray, np.ndarray]:
    edges = np.abs(np.diff(image.astype(np.int16), axis=1)) > threshold
    columns = np.zeros(image.shape[1], np.uint32)
    columns[:-1] = edges.sum(axis=0)
    return edges.sum(axis=1).astype(np.uint32), columns


# rows through the 16-pixel vector loop and its tail; over 255 rows, where the 8-bit
# column counts are flushed
SHAPES = [(1, 1), (1, 2), (1, 17), (17, 1), (5, 16), (9, 18), (33, 47), (300, 33), (520, 100)]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("threshold", [0, 1, 24, 128, 254])
def test_matches_reference(shape, threshold):
    image = np.random.default_rng(shape[0] + threshold).integers(0, 256, shape, dtype=np.uint8)
    rows, columns = preprocess.edge_profiles(image, threshold=threshold)
    expected_rows, expected_columns = edges_reference(image, threshold)
    np.testing.assert_array_equal(rows, expected_rows)
    np.testing.assert_array_equal(columns, expected_columns)


def test_every_pixel_an_edge_for_many_rows():
    """Columns reaching 700 edges: counts beyond one 8-bit flush."""
    image = np.tile(np.array([0, 255], np.uint8), (700, 21))
    rows, columns = preprocess.edge_profiles(image, threshold=254)
    assert (rows == 41).all()
    assert (columns[:-1] == 700).all() and columns[-1] == 0


def test_threshold_is_exclusive_both_ways():
    image = np.array([[100, 124, 100, 125, 100, 76, 100, 75] * 3], np.uint8)
    rows, columns = preprocess.edge_profiles(image, threshold=24)
    expected_rows, expected_columns = edges_reference(image, 24)
    np.testing.assert_array_equal(rows, expected_rows)
    np.testing.assert_array_equal(columns, expected_columns)


def test_read_only_and_non_contiguous():
    image = np.random.default_rng(1).integers(0, 256, (60, 90), dtype=np.uint8)
    view = image[::2, ::3]
    view.setflags(write=False)
    rows, columns = preprocess.edge_profiles(view)
    expected_rows, expected_columns = edges_reference(np.ascontiguousarray(view), 24)
    np.testing.assert_array_equal(rows, expected_rows)
    np.testing.assert_array_equal(columns, expected_columns)


def test_validation():
    with pytest.raises(ValueError, match="threshold"):
        preprocess.edge_profiles(np.zeros((3, 3), np.uint8), threshold=255)
