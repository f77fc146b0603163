"""Row and column profiles of edges, for cutting pages between text
(kernel contract: see ocr._kernels)."""
from libc.stdint cimport uint8_t, uint32_t


def edge_profiles(const uint8_t[:, ::1] src not None, int threshold,
                  uint32_t[::1] rows not None, uint32_t[::1] columns not None):
    """Count horizontal edges: pixels differing from their right neighbour by more than
    ``threshold``, per row (``rows``, H entries) and per column (``columns``, W).

    Text is dense in edges whatever its polarity or lighting; paper, a banner's
    background or a smooth shadow has almost none. Both outputs are zeroed here.
    """
    cdef Py_ssize_t y, x, height = src.shape[0], width = src.shape[1]
    cdef const uint8_t* row
    cdef uint32_t count
    cdef int d
    with nogil:
        for x in range(width):
            columns[x] = 0
        for y in range(height):
            row = &src[y, 0]
            count = 0
            for x in range(width - 1):
                d = <int>row[x + 1] - <int>row[x]
                if d > threshold or d < -threshold:
                    count += 1
                    columns[x] += 1
            rows[y] = count
