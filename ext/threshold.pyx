"""Global and adaptive thresholds (kernel contract: see ocr._kernels)."""
from libc.stdint cimport uint8_t, uint32_t, uint64_t, int64_t
from libc.stdlib cimport malloc, calloc, free


cdef extern from "threshold_rows.h" nogil:
    int OCR_SAUVOLA_MAX_WINDOW
    ctypedef struct ocr_sauvola:
        pass
    void ocr_sauvola_setup(ocr_sauvola* c, Py_ssize_t window, double k, double r)
    uint8_t ocr_sauvola_exact(uint8_t p, double s1, double s2, const ocr_sauvola* c)
    void ocr_window_cols(const uint8_t* a, const uint8_t* b, uint32_t* cols, uint32_t* squares,
                         Py_ssize_t n)
    void ocr_sauvola_row(const uint8_t* p, const uint32_t* cols, const uint32_t* squares,
                         Py_ssize_t w, const ocr_sauvola* c, uint32_t* box, uint8_t* dst,
                         Py_ssize_t n)


def histogram(const uint8_t[:, ::1] src not None, uint64_t[::1] out not None):
    """out[v] = number of pixels equal to v (out has 256 entries, zeroed here)."""
    cdef Py_ssize_t y, x, height = src.shape[0], width = src.shape[1]
    cdef const uint8_t* row
    # four sub-histograms break the store-to-load dependency on runs of equal pixels
    cdef uint64_t counts[4][256]
    cdef int v
    with nogil:
        for v in range(256):
            counts[0][v] = counts[1][v] = counts[2][v] = counts[3][v] = 0
        for y in range(height):
            row = &src[y, 0]
            x = 0
            while x + 4 <= width:
                counts[0][row[x]] += 1
                counts[1][row[x + 1]] += 1
                counts[2][row[x + 2]] += 1
                counts[3][row[x + 3]] += 1
                x += 4
            while x < width:
                counts[0][row[x]] += 1
                x += 1
        for v in range(256):
            out[v] = counts[0][v] + counts[1][v] + counts[2][v] + counts[3][v]


def threshold(const uint8_t[:, ::1] src not None, int level, uint8_t[:, ::1] out not None):
    """out = 255 where src > level, else 0."""
    cdef Py_ssize_t y, x, height = src.shape[0], width = src.shape[1]
    cdef const uint8_t* row
    cdef uint8_t* dst
    cdef uint8_t cut
    if level < 0 or level > 255:  # everything paper, or everything ink
        out[:, :] = 255 if level < 0 else 0
        return
    cut = <uint8_t>level
    with nogil:
        for y in range(height):
            row = &src[y, 0]
            dst = &out[y, 0]
            for x in range(width):  # a compare and a mask: vectorised by the compiler
                dst[x] = -(row[x] > cut)


cdef inline Py_ssize_t _reflect(Py_ssize_t i, Py_ssize_t n) noexcept nogil:
    # numpy.pad(mode="reflect"): -1 -> 1, n -> n - 2 (the edge pixel is not repeated)
    if n == 1:
        return 0
    while i < 0 or i >= n:
        if i < 0:
            i = -i
        if i >= n:
            i = 2 * (n - 1) - i
    return i


cdef int _sauvola_int64(const uint8_t[:, ::1] src, Py_ssize_t window, const ocr_sauvola* c,
                        uint8_t[:, ::1] out) noexcept nogil:
    """Any window: 64-bit running sums over the reflected columns, and scikit-image's
    formula for every pixel."""
    cdef Py_ssize_t height = src.shape[0], width = src.shape[1]
    cdef Py_ssize_t half = window // 2, y, x, i, ry
    cdef int64_t* col_sum = <int64_t*>calloc(width + 2 * half, sizeof(int64_t))
    cdef int64_t* col_sq = <int64_t*>calloc(width + 2 * half, sizeof(int64_t))
    cdef Py_ssize_t* xmap = <Py_ssize_t*>malloc((width + 2 * half) * sizeof(Py_ssize_t))
    cdef int64_t s1, s2, v
    cdef const uint8_t* add_row
    cdef const uint8_t* sub_row
    cdef const uint8_t* row
    if col_sum == NULL or col_sq == NULL or xmap == NULL:
        free(col_sum); free(col_sq); free(xmap)
        return -1
    for i in range(width + 2 * half):
        xmap[i] = _reflect(i - half, width)
    # column sums over the window rows of output row 0
    for ry in range(-half, half + 1):
        row = &src[_reflect(ry, height), 0]
        for i in range(width + 2 * half):
            v = row[xmap[i]]
            col_sum[i] += v
            col_sq[i] += v * v
    for y in range(height):
        if y > 0:
            add_row = &src[_reflect(y + half, height), 0]
            sub_row = &src[_reflect(y - half - 1, height), 0]
            for i in range(width + 2 * half):
                v = add_row[xmap[i]]
                col_sum[i] += v
                col_sq[i] += v * v
                v = sub_row[xmap[i]]
                col_sum[i] -= v
                col_sq[i] -= v * v
        s1 = 0
        s2 = 0
        for i in range(window):
            s1 += col_sum[i]
            s2 += col_sq[i]
        row = &src[y, 0]
        for x in range(width):
            if x > 0:
                s1 += col_sum[x + window - 1] - col_sum[x - 1]
                s2 += col_sq[x + window - 1] - col_sq[x - 1]
            out[y, x] = ocr_sauvola_exact(row[x], <double>s1, <double>s2, c)
    free(col_sum)
    free(col_sq)
    free(xmap)
    return 0


cdef int _sauvola_rows(const uint8_t[:, ::1] src, Py_ssize_t window, const ocr_sauvola* c,
                       uint8_t[:, ::1] out) noexcept nogil:
    """Windows up to OCR_SAUVOLA_MAX_WINDOW: 32-bit sums, row loops in threshold_rows.h.
    The column sums are kept for the image's columns only; the reflected columns
    beyond either edge are copied in before each row is slid."""
    cdef Py_ssize_t height = src.shape[0], width = src.shape[1]
    cdef Py_ssize_t half = window // 2, padded = width + 2 * half, y, i
    cdef uint32_t* cols = <uint32_t*>calloc(padded, sizeof(uint32_t))
    cdef uint32_t* squares = <uint32_t*>calloc(padded, sizeof(uint32_t))
    cdef uint32_t* box = <uint32_t*>malloc(2 * max(width, 16) * sizeof(uint32_t))
    cdef uint8_t* zeros = <uint8_t*>calloc(width, 1)
    cdef Py_ssize_t* xmap = <Py_ssize_t*>malloc((2 * half + 1) * sizeof(Py_ssize_t))
    if cols == NULL or squares == NULL or box == NULL or zeros == NULL or xmap == NULL:
        free(cols); free(squares); free(box); free(zeros); free(xmap)
        return -1
    # where each padding column reflects from, left pads then right pads
    for i in range(half):
        xmap[i] = half + _reflect(i - half, width)
        xmap[half + i] = half + _reflect(width + i, width)
    for i in range(-half, half + 1):
        ocr_window_cols(&src[_reflect(i, height), 0], zeros, cols + half, squares + half, width)
    for y in range(height):
        if y > 0:
            ocr_window_cols(&src[_reflect(y + half, height), 0], &src[_reflect(y - half - 1, height), 0],
                            cols + half, squares + half, width)
        for i in range(half):
            cols[i] = cols[xmap[i]]
            squares[i] = squares[xmap[i]]
            cols[half + width + i] = cols[xmap[half + i]]
            squares[half + width + i] = squares[xmap[half + i]]
        ocr_sauvola_row(&src[y, 0], cols, squares, window, c, box, &out[y, 0], width)
    free(cols); free(squares); free(box); free(zeros); free(xmap)
    return 0


def sauvola(const uint8_t[:, ::1] src not None, Py_ssize_t window, double k, double r,
            uint8_t[:, ::1] out not None):
    """Sauvola & Pietikäinen (2000): out = 255 where src > m * (1 + k * (s / r - 1)).

    m and s are the mean and standard deviation over a window x window square
    (window odd), the image reflected at its edges, computed as scikit-image's
    threshold_sauvola does, to the bit. Window sums are kept as running sums of whole
    columns, updated one row at a time: exact integers, O(width) memory. Windows up to
    181 use 32-bit sums and decide most pixels without a division (threshold_rows.h);
    larger ones take sauvola_int64's path.
    """
    cdef ocr_sauvola c
    cdef int status
    ocr_sauvola_setup(&c, window, k, r)
    with nogil:
        if window <= OCR_SAUVOLA_MAX_WINDOW:
            status = _sauvola_rows(src, window, &c, out)
        else:
            status = _sauvola_int64(src, window, &c, out)
    if status != 0:
        raise MemoryError("sauvola: cannot allocate its row buffers")


def sauvola_int64(const uint8_t[:, ::1] src not None, Py_ssize_t window, double k, double r,
                  uint8_t[:, ::1] out not None):
    """sauvola by 64-bit sums and scikit-image's formula for every pixel, whatever the
    window (the path for windows over 181), so that tests can hold the fast path to it."""
    cdef ocr_sauvola c
    cdef int status
    ocr_sauvola_setup(&c, window, k, r)
    with nogil:
        status = _sauvola_int64(src, window, &c, out)
    if status != 0:
        raise MemoryError("sauvola: cannot allocate its row buffers")
