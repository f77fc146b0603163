"""Area-average resampling (kernel contract: see ocr._kernels)."""
from libc.math cimport floor, ceil
from libc.stdlib cimport malloc, free
from libc.stdint cimport uint8_t


cdef struct Span:
    Py_ssize_t first   # first source index the output pixel covers
    Py_ssize_t count   # how many source pixels it covers
    Py_ssize_t offset  # where its weights start in the weight table


cdef int _spans(Py_ssize_t n_src, Py_ssize_t n_out, Span* spans, float** weights) noexcept nogil:
    """Coverage of each output pixel over the source axis, weights summing to 1."""
    cdef double scale = <double>n_src / n_out
    cdef Py_ssize_t max_count = <Py_ssize_t>ceil(scale) + 1
    cdef Py_ssize_t o, i, i0, i1, k = 0
    cdef double lo, hi, a, b
    weights[0] = <float*>malloc(n_out * max_count * sizeof(float))
    if weights[0] == NULL:
        return -1
    for o in range(n_out):
        lo = o * scale
        hi = lo + scale
        if hi > n_src:
            hi = n_src
        i0 = <Py_ssize_t>floor(lo)
        i1 = <Py_ssize_t>ceil(hi)
        if i1 > n_src:
            i1 = n_src
        if i1 <= i0:
            i1 = i0 + 1
        spans[o].first = i0
        spans[o].count = i1 - i0
        spans[o].offset = k
        for i in range(i0, i1):
            a = lo if lo > i else i
            b = hi if hi < i + 1 else i + 1
            weights[0][k] = <float>((b - a) / (hi - lo))
            k += 1
    return 0


def area_resize(const uint8_t[:, ::1] src not None, uint8_t[:, ::1] out not None):
    """Resample src to out's shape, each output pixel the mean of the source area it covers.

    Rows are streamed: memory beyond src and out is O(output width).
    """
    cdef Py_ssize_t src_h = src.shape[0], src_w = src.shape[1]
    cdef Py_ssize_t out_h = out.shape[0], out_w = out.shape[1]
    cdef Span* xs = <Span*>malloc(out_w * sizeof(Span))
    cdef Span* ys = <Span*>malloc(out_h * sizeof(Span))
    cdef float* wx = NULL
    cdef float* wy = NULL
    cdef float* acc = <float*>malloc(out_w * sizeof(float))
    cdef Py_ssize_t ox, oy, j, i
    cdef float w_row, s, v
    cdef const uint8_t* row
    cdef int failed = 0
    with nogil:
        if xs == NULL or ys == NULL or acc == NULL:
            failed = 1
        elif _spans(src_w, out_w, xs, &wx) != 0 or _spans(src_h, out_h, ys, &wy) != 0:
            failed = 1
        else:
            for oy in range(out_h):
                for ox in range(out_w):
                    acc[ox] = 0
                for j in range(ys[oy].count):
                    w_row = wy[ys[oy].offset + j]
                    row = &src[ys[oy].first + j, 0]
                    for ox in range(out_w):
                        s = 0
                        for i in range(xs[ox].count):
                            s = s + wx[xs[ox].offset + i] * row[xs[ox].first + i]
                        acc[ox] += w_row * s
                for ox in range(out_w):
                    v = acc[ox] + 0.5
                    out[oy, ox] = 255 if v >= 255 else <uint8_t>v
    free(xs)
    free(ys)
    free(wx)
    free(wy)
    free(acc)
    if failed:
        raise MemoryError("area_resize: cannot allocate its coverage tables")
