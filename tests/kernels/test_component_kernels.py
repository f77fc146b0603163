"""Connected components against scipy.ndimage."""

from __future__ import annotations

import numpy as np
import pytest

from ocr import preprocess

from scipy import ndimage


def reference_boxes(binary):
    labels, n = ndimage.label(binary, structure=np.ones((3, 3)))
    boxes = []
    for index, (ys, xs) in enumerate(ndimage.find_objects(labels), start=1):
        boxes.append((xs.start, ys.start, xs.stop, ys.stop, int((labels[ys, xs] == index).sum())))
    return sorted(boxes, key=lambda b: (b[1], b[0]))


@pytest.mark.parametrize("shape, density", [((1, 1), 1.0), ((1, 50), 0.5), ((50, 1), 0.5),
                                            ((37, 53), 0.3), ((64, 64), 0.55), ((200, 150), 0.45)])
def test_matches_scipy(shape, density):
    binary = (np.random.default_rng(shape[0]).random(shape) < density).astype(np.uint8) * 255
    got = preprocess.component_boxes(binary)
    assert got.dtype == np.int64 and got.shape[1] == 5
    assert sorted(map(tuple, got.tolist()), key=lambda b: (b[1], b[0])) == reference_boxes(binary)


def test_shapes_that_merge_late():
    binary = np.zeros((7, 9), np.uint8)
    binary[1:6, 1] = binary[1:6, 7] = binary[5, 1:8] = 1  # a U: two stems joined at the bottom
    binary[0, 4] = 1  # a dot touching nothing
    binary[3, 3] = binary[2, 4] = 1  # a diagonal pair: 8-connected
    got = preprocess.component_boxes(binary).tolist()
    assert got == [[4, 0, 5, 1, 1], [1, 1, 8, 6, 15], [3, 2, 5, 4, 2]]


def test_empty_and_full():
    assert preprocess.component_boxes(np.zeros((5, 5), np.uint8)).shape == (0, 5)
    assert preprocess.component_boxes(np.ones((5, 5), np.uint8)).tolist() == [[0, 0, 5, 5, 25]]
