"""Row and column profiles of edges, for cutting pages between text
(kernel contract: see ocr._kernels)."""
from libc.stdint cimport uint8_t, uint32_t
from libc.stdlib cimport calloc, free


cdef extern from "profiles_rows.h" nogil:
    uint32_t ocr_edge_row(const uint8_t* row, Py_ssize_t n, uint8_t t, uint8_t* counts)
    void ocr_edge_flush(uint8_t* counts, uint32_t* columns, Py_ssize_t n)


def edge_profiles(const uint8_t[:, ::1] src not None, int threshold,
                  uint32_t[::1] rows not None, uint32_t[::1] columns not None):
    """Count horizontal edges: pixels differing from their right neighbour by more than
    ``threshold`` (0..254), per row (``rows``, H entries) and per column (``columns``, W).

    Text is dense in edges whatever its polarity or lighting; paper, a banner's
    background or a smooth shadow has almost none. Both outputs are zeroed here.
    Columns count in 8 bits for up to 255 rows at a time (profiles_rows.h).
    """
    cdef Py_ssize_t y, x, height = src.shape[0], width = src.shape[1]
    cdef uint8_t* counts = <uint8_t*>calloc(width, 1)
    if counts == NULL:
        raise MemoryError()
    with nogil:
        for x in range(width):
            columns[x] = 0
        for y in range(height):
            rows[y] = ocr_edge_row(&src[y, 0], width, <uint8_t>threshold, &counts[0])
            if y % 255 == 254 or y == height - 1:
                ocr_edge_flush(counts, &columns[0], width)
    free(counts)
