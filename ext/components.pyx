"""Connected components of a binary image (kernel contract: see ocr._kernels)."""
import numpy as np

from libc.stdint cimport uint8_t, int64_t
from libc.stdlib cimport malloc, realloc, free


cdef struct Stats:
    Py_ssize_t parent
    Py_ssize_t x0, y0, x1, y1
    int64_t area


cdef Py_ssize_t _find(Stats* s, Py_ssize_t a) noexcept nogil:
    while s[a].parent != a:
        s[a].parent = s[s[a].parent].parent  # path halving
        a = s[a].parent
    return a


cdef Py_ssize_t _union(Stats* s, Py_ssize_t a, Py_ssize_t b) noexcept nogil:
    a = _find(s, a)
    b = _find(s, b)
    if a == b:
        return a
    if b < a:
        a, b = b, a
    s[b].parent = a
    s[a].x0 = min(s[a].x0, s[b].x0)
    s[a].y0 = min(s[a].y0, s[b].y0)
    s[a].x1 = max(s[a].x1, s[b].x1)
    s[a].y1 = max(s[a].y1, s[b].y1)
    s[a].area += s[b].area
    return a


def component_boxes(const uint8_t[:, ::1] src not None):
    """Bounding boxes of the 8-connected components of the non-zero pixels.

    Returns an int64 array of shape (n, 5): x0, y0, x1, y1 (exclusive), pixel count,
    in the order of each component's first pixel in raster order. Works on runs of
    pixels: one pass, union-find over runs.
    """
    cdef Py_ssize_t height = src.shape[0], width = src.shape[1]
    cdef Py_ssize_t cap = 1024, count = 0
    cdef Stats* stats = <Stats*>malloc(cap * sizeof(Stats))
    # runs of the previous and current row: start, end (exclusive), label
    cdef Py_ssize_t* prev = <Py_ssize_t*>malloc((width + 1) * 3 * sizeof(Py_ssize_t))
    cdef Py_ssize_t* cur = <Py_ssize_t*>malloc((width + 1) * 3 * sizeof(Py_ssize_t))
    cdef Py_ssize_t* swap
    cdef Py_ssize_t n_prev = 0, n_cur, y, x, start, label, j, j0 = 0
    cdef const uint8_t* row
    cdef Stats* grown
    cdef bint failed = False
    if stats == NULL or prev == NULL or cur == NULL:
        free(stats); free(prev); free(cur)
        raise MemoryError()
    with nogil:
        for y in range(height):
            row = &src[y, 0]
            n_cur = 0
            j0 = 0
            x = 0
            while x < width:
                if not row[x]:
                    x += 1
                    continue
                start = x
                while x < width and row[x]:
                    x += 1
                label = -1
                # previous-row runs touching [start - 1, x] (8-connectivity)
                while j0 < n_prev and prev[3 * j0 + 1] < start:
                    j0 += 1
                j = j0
                while j < n_prev and prev[3 * j] <= x:
                    label = prev[3 * j + 2] if label < 0 else _union(stats, label, prev[3 * j + 2])
                    j += 1
                if label < 0:
                    if count == cap:
                        cap *= 2
                        grown = <Stats*>realloc(stats, cap * sizeof(Stats))
                        if grown == NULL:
                            failed = True
                            break
                        stats = grown
                    label = count
                    count += 1
                    stats[label].parent = label
                    stats[label].x0 = start
                    stats[label].y0 = y
                    stats[label].x1 = x
                    stats[label].y1 = y + 1
                    stats[label].area = 0
                else:
                    label = _find(stats, label)
                    stats[label].x0 = min(stats[label].x0, start)
                    stats[label].x1 = max(stats[label].x1, x)
                    stats[label].y1 = y + 1
                stats[label].area += x - start
                cur[3 * n_cur] = start
                cur[3 * n_cur + 1] = x
                cur[3 * n_cur + 2] = label
                n_cur += 1
            if failed:
                break
            swap = prev
            prev = cur
            cur = swap
            n_prev = n_cur
    free(prev)
    free(cur)
    if failed:
        free(stats)
        raise MemoryError()
    roots = 0
    for j in range(count):
        if stats[j].parent == j:
            roots += 1
    boxes = np.empty((roots, 5), dtype=np.int64)
    cdef int64_t[:, ::1] view = boxes
    cdef Py_ssize_t k = 0
    for j in range(count):
        if stats[j].parent == j:
            view[k, 0] = stats[j].x0
            view[k, 1] = stats[j].y0
            view[k, 2] = stats[j].x1
            view[k, 3] = stats[j].y1
            view[k, 4] = stats[j].area
            k += 1
    free(stats)
    return boxes
