"""Global and adaptive thresholds (kernel contract: see ocr._kernels)."""
from libc.math cimport sqrt
from libc.stdint cimport uint8_t, uint64_t, int64_t
from libc.stdlib cimport malloc, free


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


def sauvola(const uint8_t[:, ::1] src not None, Py_ssize_t window, double k, double r,
            uint8_t[:, ::1] out not None):
    """Sauvola & Pietikäinen (2000): out = 255 where src > m * (1 + k * (s / r - 1)).

    m and s are the mean and standard deviation over a window x window square
    (window odd), the image reflected at its edges. Window sums are kept as running
    sums of whole columns, updated one row at a time: exact integers, O(width) memory.
    """
    cdef Py_ssize_t height = src.shape[0], width = src.shape[1]
    cdef Py_ssize_t half = window // 2, y, x, i, ry
    cdef double n = <double>window * window, mean, var, t
    cdef int64_t* col_sum = <int64_t*>malloc((width + 2 * half) * sizeof(int64_t))
    cdef int64_t* col_sq = <int64_t*>malloc((width + 2 * half) * sizeof(int64_t))
    cdef Py_ssize_t* xmap = <Py_ssize_t*>malloc((width + 2 * half) * sizeof(Py_ssize_t))
    cdef int64_t s1, s2, v
    cdef const uint8_t* add_row
    cdef const uint8_t* sub_row
    cdef const uint8_t* row
    if col_sum == NULL or col_sq == NULL or xmap == NULL:
        free(col_sum); free(col_sq); free(xmap)
        raise MemoryError()
    with nogil:
        for i in range(width + 2 * half):
            xmap[i] = _reflect(i - half, width)
            col_sum[i] = 0
            col_sq[i] = 0
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
                mean = s1 / n
                var = s2 / n - mean * mean
                t = mean * (1.0 + k * ((sqrt(var) if var > 0 else 0.0) / r - 1.0))
                out[y, x] = 255 if row[x] > t else 0
    free(col_sum)
    free(col_sq)
    free(xmap)
