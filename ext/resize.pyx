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


cdef inline float _cubic(float t) noexcept nogil:
    # Keys (1981) cubic convolution kernel, a = -0.5 (Catmull-Rom)
    t = -t if t < 0 else t
    if t < 1:
        return (1.5 * t - 2.5) * t * t + 1
    if t < 2:
        return ((-0.5 * t + 2.5) * t - 4) * t + 2
    return 0


cdef void _cubic_taps(Py_ssize_t n_src, Py_ssize_t n_out, Py_ssize_t* first, float* w) noexcept nogil:
    # Four taps per output pixel, sampling at pixel centres; edges are clamped.
    cdef double scale = <double>n_src / n_out, c
    cdef Py_ssize_t o, k
    cdef float total
    for o in range(n_out):
        c = (o + 0.5) * scale - 0.5
        first[o] = <Py_ssize_t>floor(c) - 1
        total = 0
        for k in range(4):
            w[4 * o + k] = _cubic(<float>(c - (first[o] + k)))
            total += w[4 * o + k]
        for k in range(4):
            w[4 * o + k] /= total


def cubic_resize(const uint8_t[:, ::1] src not None, uint8_t[:, ::1] out not None):
    """Resample src to out's shape by bicubic interpolation (for enlarging).

    Separable: each source row is resampled horizontally once, when first needed,
    into a ring of four rows; memory beyond src and out is O(output width).
    """
    cdef Py_ssize_t src_h = src.shape[0], src_w = src.shape[1]
    cdef Py_ssize_t out_h = out.shape[0], out_w = out.shape[1]
    cdef Py_ssize_t* xfirst = <Py_ssize_t*>malloc(out_w * sizeof(Py_ssize_t))
    cdef Py_ssize_t* yfirst = <Py_ssize_t*>malloc(out_h * sizeof(Py_ssize_t))
    cdef float* wx = <float*>malloc(out_w * 4 * sizeof(float))
    cdef float* wy = <float*>malloc(out_h * 4 * sizeof(float))
    cdef float* ring = <float*>malloc(out_w * 4 * sizeof(float))
    cdef Py_ssize_t ring_row[4]
    cdef Py_ssize_t oy, ox, k, sy, sx, slot
    cdef float v
    cdef float* hrow
    cdef const uint8_t* row
    if xfirst == NULL or yfirst == NULL or wx == NULL or wy == NULL or ring == NULL:
        free(xfirst); free(yfirst); free(wx); free(wy); free(ring)
        raise MemoryError()
    with nogil:
        _cubic_taps(src_w, out_w, xfirst, wx)
        _cubic_taps(src_h, out_h, yfirst, wy)
        for k in range(4):
            ring_row[k] = -1
        for oy in range(out_h):
            for ox in range(out_w):
                out[oy, ox] = 0
            for k in range(4):
                sy = min(max(yfirst[oy] + k, 0), src_h - 1)
                slot = sy % 4
                hrow = &ring[slot * out_w]
                if ring_row[slot] != sy:
                    row = &src[sy, 0]
                    for ox in range(out_w):
                        v = 0
                        for sx in range(4):
                            v += wx[4 * ox + sx] * row[min(max(xfirst[ox] + sx, 0), src_w - 1)]
                        hrow[ox] = v
                    ring_row[slot] = sy
            for ox in range(out_w):
                v = 0.5
                for k in range(4):
                    sy = min(max(yfirst[oy] + k, 0), src_h - 1)
                    v += wy[4 * oy + k] * ring[(sy % 4) * out_w + ox]
                out[oy, ox] = 0 if v <= 0 else (255 if v >= 255 else <uint8_t>v)
    free(xfirst); free(yfirst); free(wx); free(wy); free(ring)
