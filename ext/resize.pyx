"""Resampling: area averaging for shrinking, bicubic for enlarging (kernel contract: see ocr._kernels).

Area: separable, vertical pass first: each output row sums the source rows it covers into a
row of column sums (contiguous loops that vectorize), then sums those along the row.
Bicubic: separable too, horizontal pass first (each source row once), in fixed point.
The row loops of both are in resize_rows.h.
"""
from libc.math cimport floor, ceil
from libc.stdlib cimport malloc, calloc, free
from libc.stdint cimport uint8_t, int16_t, uint16_t, uint32_t


cdef extern from "resize_rows.h" nogil:
    int OCR_AREA_BITS
    ctypedef struct ocr_span:
        Py_ssize_t first
        Py_ssize_t count
        Py_ssize_t offset
    ctypedef struct ocr_divisor:
        pass
    ocr_divisor ocr_make_divisor(uint32_t size)
    void ocr_sum_rows(const uint8_t** rows, Py_ssize_t count, uint16_t* sums, Py_ssize_t n)
    void ocr_sum_blocks(const uint16_t* sums, Py_ssize_t fx, uint16_t* totals, Py_ssize_t n_out)
    void ocr_divide_row(const uint16_t* totals, ocr_divisor d, uint8_t* dst, Py_ssize_t n)
    void ocr_halve_rows(const uint8_t* r0, const uint8_t* r1, uint8_t* dst, Py_ssize_t n_out)
    void ocr_weigh_rows(const uint8_t** rows, const uint16_t* weights, Py_ssize_t count,
                        uint16_t* sums, Py_ssize_t n)
    void ocr_weigh_cols(const uint16_t* sums, const ocr_span* spans, const int16_t* weights,
                        Py_ssize_t taps, uint8_t* dst, Py_ssize_t n_out)
    int OCR_CUBIC_BITS
    int OCR_CUBIC_PAD
    void ocr_cubic_pad_row(const uint8_t* row, Py_ssize_t n, int16_t* pad)
    void ocr_cubic_rows(const int16_t* pad0, const int16_t* pad1, const Py_ssize_t* first,
                        const int16_t* weights, int16_t* dst0, int16_t* dst1, Py_ssize_t n_out)
    void ocr_cubic_cols(const int16_t* r0, const int16_t* r1, const int16_t* r2,
                        const int16_t* r3, const int16_t* w, uint8_t* dst, const int16_t* w1,
                        uint8_t* dst1, Py_ssize_t n)

# Integer factors whose blocks hold at most this many pixels take the exact block path:
# block sums fit 16 bits and ocr_make_divisor is exact for them.
cdef enum:
    MAX_BLOCK = 256


cdef uint16_t* _spans(Py_ssize_t n_src, Py_ssize_t n_out, ocr_span* spans,
                      Py_ssize_t* taps) noexcept nogil:
    """Coverage of each output pixel over the source axis, as Q14 weights summing to
    exactly 1 << 14 (rounded running totals), so a constant image stays constant.
    Each output gets `taps` weights, zero past its own span: at least the longest span,
    and 4 if that is shorter (the vector path of ocr_weigh_cols)."""
    cdef double scale = <double>n_src / n_out
    cdef Py_ssize_t one = 1 << OCR_AREA_BITS
    cdef Py_ssize_t o, i, i1, k, total, previous
    cdef double lo, hi, end
    cdef uint16_t* weights
    taps[0] = 1
    for o in range(n_out):
        lo = o * scale
        hi = min(lo + scale, <double>n_src)
        spans[o].first = <Py_ssize_t>floor(lo)
        i1 = min(<Py_ssize_t>ceil(hi), n_src)
        spans[o].count = max(i1 - spans[o].first, 1)
        taps[0] = max(taps[0], spans[o].count)
    if taps[0] < 4:
        taps[0] = 4
    weights = <uint16_t*>calloc(n_out * taps[0], sizeof(uint16_t))
    if weights == NULL:
        return NULL
    for o in range(n_out):
        lo = o * scale
        hi = min(lo + scale, <double>n_src)
        spans[o].offset = k = o * taps[0]
        previous = 0
        for i in range(spans[o].first, spans[o].first + spans[o].count):
            end = min(hi, <double>(i + 1))
            if i == spans[o].first + spans[o].count - 1:
                total = one
            else:
                total = <Py_ssize_t>floor((end - lo) / (hi - lo) * one + 0.5)
            weights[k] = <uint16_t>(total - previous)
            previous = total
            k += 1
    return weights


cdef int _block_means(const uint8_t[:, ::1] src, uint8_t[:, ::1] out) noexcept nogil:
    """Integer factors: exact block sums, rounded means (floor(mean + 0.5))."""
    cdef Py_ssize_t fy = src.shape[0] // out.shape[0], fx = src.shape[1] // out.shape[1]
    cdef Py_ssize_t oy, j
    cdef ocr_divisor divisor = ocr_make_divisor(<uint32_t>(fx * fy))
    # one zero past the row, read (weighted 0) by the vector loop for triples
    cdef uint16_t* sums = <uint16_t*>calloc(src.shape[1] + 1, sizeof(uint16_t))
    cdef uint16_t* totals = <uint16_t*>malloc(out.shape[1] * sizeof(uint16_t))
    cdef const uint8_t** rows = <const uint8_t**>malloc(fy * sizeof(uint8_t*))
    cdef int failed = sums == NULL or totals == NULL or rows == NULL
    if not failed and fx == 2 and fy == 2:
        for oy in range(out.shape[0]):
            ocr_halve_rows(&src[2 * oy, 0], &src[2 * oy + 1, 0], &out[oy, 0], out.shape[1])
    elif not failed:
        for oy in range(out.shape[0]):
            for j in range(fy):
                rows[j] = &src[oy * fy + j, 0]
            ocr_sum_rows(rows, fy, sums, src.shape[1])
            ocr_sum_blocks(sums, fx, totals, out.shape[1])
            ocr_divide_row(totals, divisor, &out[oy, 0], out.shape[1])
    free(rows)
    free(totals)
    free(sums)
    return -failed


cdef int _weighted(const uint8_t[:, ::1] src, uint8_t[:, ::1] out) noexcept nogil:
    """Any factor: Q14 coverage weights per axis."""
    cdef Py_ssize_t src_w = src.shape[1], out_h = out.shape[0], out_w = out.shape[1]
    cdef Py_ssize_t oy, j, taps_x = 0, taps_y = 0
    cdef ocr_span* xs = <ocr_span*>malloc(out_w * sizeof(ocr_span))
    cdef ocr_span* ys = <ocr_span*>malloc(out_h * sizeof(ocr_span))
    cdef uint16_t* wx = NULL
    cdef uint16_t* wy = NULL
    cdef uint16_t* sums = NULL
    cdef const uint8_t** rows = NULL
    cdef int failed = 1
    if xs != NULL and ys != NULL:
        wx = _spans(src_w, out_w, xs, &taps_x)
        wy = _spans(src.shape[0], out_h, ys, &taps_y)
        # zeros past the row, for the fixed-length weight loops of ocr_weigh_cols
        sums = <uint16_t*>calloc(src_w + taps_x, sizeof(uint16_t))
        rows = <const uint8_t**>malloc(taps_y * sizeof(uint8_t*))
    if wx != NULL and wy != NULL and sums != NULL and rows != NULL:
        failed = 0
        for oy in range(out_h):
            for j in range(ys[oy].count):
                rows[j] = &src[ys[oy].first + j, 0]
            ocr_weigh_rows(rows, wy + ys[oy].offset, ys[oy].count, sums, src_w)
            ocr_weigh_cols(sums, xs, <int16_t*>wx, taps_x, &out[oy, 0], out_w)
    free(rows)
    free(xs)
    free(ys)
    free(wx)
    free(wy)
    free(sums)
    return -failed


def area_resize(const uint8_t[:, ::1] src not None, uint8_t[:, ::1] out not None):
    """Resample src to out's shape, each output pixel the mean of the source area it covers.

    Integer factors (blocks of up to 256 pixels) give the exact rounded block means; any
    other factor uses Q14 weights (within one level of the exact mean). Memory beyond
    src and out is O(source width).
    """
    cdef Py_ssize_t fy = src.shape[0] // out.shape[0], fx = src.shape[1] // out.shape[1]
    cdef bint blocks = (fy * out.shape[0] == src.shape[0] and fx * out.shape[1] == src.shape[1]
                        and 1 <= fx * fy <= MAX_BLOCK)
    cdef int status
    with nogil:
        status = _block_means(src, out) if blocks else _weighted(src, out)
    if status != 0:
        raise MemoryError("area_resize: cannot allocate its row buffers")


def area_resize_weighted(const uint8_t[:, ::1] src not None, uint8_t[:, ::1] out not None):
    """area_resize by coverage weights whatever the factor (the path for non-integer
    factors), so that tests can hold the block path to it."""
    cdef int status
    with nogil:
        status = _weighted(src, out)
    if status != 0:
        raise MemoryError("area_resize: cannot allocate its row buffers")


cdef inline double _keys(double t) noexcept nogil:
    # Keys (1981) cubic convolution kernel, a = -0.5 (Catmull-Rom)
    t = -t if t < 0 else t
    if t < 1:
        return (1.5 * t - 2.5) * t * t + 1
    if t < 2:
        return ((-0.5 * t + 2.5) * t - 4) * t + 2
    return 0


cdef void _cubic_taps(Py_ssize_t n_src, Py_ssize_t n_out, Py_ssize_t* first,
                      int16_t* w) noexcept nogil:
    """Four taps per output pixel, sampling at pixel centres, as Q14 weights summing to
    exactly 1 << 14 (the largest absorbs the rounding). first[o] indexes a row padded by
    OCR_CUBIC_PAD pixels each side (edges repeated): centres lie in -0.5 .. n_src - 0.5,
    so the taps stay within the padding whatever the factor."""
    cdef double scale = <double>n_src / n_out, c, total
    cdef Py_ssize_t o, k, largest
    cdef double f[4]
    cdef int sum_q
    for o in range(n_out):
        c = (o + 0.5) * scale - 0.5
        first[o] = <Py_ssize_t>floor(c) - 1
        total = 0
        for k in range(4):
            f[k] = _keys(c - (first[o] + k))
            total += f[k]
        sum_q = 0
        largest = 0
        for k in range(4):
            w[4 * o + k] = <int16_t>floor(f[k] / total * (1 << OCR_CUBIC_BITS) + 0.5)
            sum_q += w[4 * o + k]
            if f[k] > f[largest]:
                largest = k
        w[4 * o + largest] += (1 << OCR_CUBIC_BITS) - sum_q
        first[o] += OCR_CUBIC_PAD


# resampled source rows kept: the four an output row needs, and room to resample the
# next source row along with the current one when enlarging
cdef enum:
    RING = 8


def cubic_resize(const uint8_t[:, ::1] src not None, uint8_t[:, ::1] out not None):
    """Resample src to out's shape by bicubic interpolation (for enlarging).

    Separable, in fixed point (resize_rows.h): each source row is resampled horizontally
    once, when first needed, into a ring of rows (two at a time when enlarging, as every
    row will be needed); memory beyond src and out is O(source width + output width).
    """
    cdef Py_ssize_t src_h = src.shape[0], src_w = src.shape[1]
    cdef Py_ssize_t out_h = out.shape[0], out_w = out.shape[1]
    cdef Py_ssize_t* xfirst = <Py_ssize_t*>malloc(out_w * sizeof(Py_ssize_t))
    cdef Py_ssize_t* yfirst = <Py_ssize_t*>malloc(out_h * sizeof(Py_ssize_t))
    cdef int16_t* wx = <int16_t*>malloc(out_w * 4 * sizeof(int16_t))
    cdef int16_t* wy = <int16_t*>malloc(out_h * 4 * sizeof(int16_t))
    cdef int16_t* ring = <int16_t*>malloc(out_w * RING * sizeof(int16_t))
    cdef int16_t* pad = <int16_t*>malloc(2 * (src_w + 2 * OCR_CUBIC_PAD) * sizeof(int16_t))
    cdef int16_t* pad1 = pad + src_w + 2 * OCR_CUBIC_PAD
    cdef Py_ssize_t ring_row[RING]
    cdef const int16_t* rows[4]
    cdef Py_ssize_t oy, k, sy, slot, slot1
    cdef bint pairs = out_h >= src_h
    if (xfirst == NULL or yfirst == NULL or wx == NULL or wy == NULL or ring == NULL
            or pad == NULL):
        free(xfirst); free(yfirst); free(wx); free(wy); free(ring); free(pad)
        raise MemoryError()
    with nogil:
        _cubic_taps(src_w, out_w, xfirst, wx)
        _cubic_taps(src_h, out_h, yfirst, wy)
        for k in range(RING):
            ring_row[k] = -1
        oy = 0
        while oy < out_h:
            for k in range(4):
                sy = min(max(yfirst[oy] - OCR_CUBIC_PAD + k, 0), src_h - 1)
                slot = sy % RING
                if ring_row[slot] != sy:
                    ocr_cubic_pad_row(&src[sy, 0], src_w, pad)
                    # the next row too: rows sy - 3 .. sy + 1 have distinct slots, so it
                    # evicts none of this output row's
                    slot1 = (sy + 1) % RING
                    if pairs and sy + 1 < src_h and ring_row[slot1] != sy + 1:
                        ocr_cubic_pad_row(&src[sy + 1, 0], src_w, pad1)
                        ocr_cubic_rows(pad, pad1, xfirst, wx, &ring[slot * out_w],
                                       &ring[slot1 * out_w], out_w)
                        ring_row[slot1] = sy + 1
                    else:
                        ocr_cubic_rows(pad, NULL, xfirst, wx, &ring[slot * out_w], NULL, out_w)
                    ring_row[slot] = sy
                rows[k] = &ring[slot * out_w]
            # the next output row too when it takes the same source rows
            if oy + 1 < out_h and yfirst[oy + 1] == yfirst[oy]:
                ocr_cubic_cols(rows[0], rows[1], rows[2], rows[3], &wy[4 * oy], &out[oy, 0],
                               &wy[4 * oy + 4], &out[oy + 1, 0], out_w)
                oy += 2
            else:
                ocr_cubic_cols(rows[0], rows[1], rows[2], rows[3], &wy[4 * oy], &out[oy, 0],
                               NULL, NULL, out_w)
                oy += 1
    free(xfirst); free(yfirst); free(wx); free(wy); free(ring); free(pad)
