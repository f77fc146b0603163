"""Area-average resampling (kernel contract: see ocr._kernels).

Separable, vertical pass first: each output row sums the source rows it covers into a
row of column sums (contiguous loops that vectorize), then sums those along the row.
The row loops are in resize_rows.h.
"""
from libc.math cimport floor, ceil
from libc.stdlib cimport malloc, free
from libc.stdint cimport uint8_t, uint16_t, uint32_t


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
                        uint32_t* acc, Py_ssize_t n)
    void ocr_weigh_cols(const uint32_t* acc, const ocr_span* spans, const uint16_t* weights,
                        uint8_t* dst, Py_ssize_t n_out)

# Integer factors whose blocks hold at most this many pixels take the exact block path:
# block sums fit 16 bits and ocr_make_divisor is exact for them.
cdef enum:
    MAX_BLOCK = 256


cdef uint16_t* _spans(Py_ssize_t n_src, Py_ssize_t n_out, ocr_span* spans) noexcept nogil:
    """Coverage of each output pixel over the source axis, as Q15 weights summing to
    exactly 1 << 15 (rounded running totals), so a constant image stays constant."""
    cdef double scale = <double>n_src / n_out
    cdef Py_ssize_t one = 1 << OCR_AREA_BITS
    cdef Py_ssize_t o, i, i0, i1, total, previous, k = 0
    cdef double lo, hi, end
    cdef uint16_t* weights = <uint16_t*>malloc(n_out * (<Py_ssize_t>ceil(scale) + 1) * sizeof(uint16_t))
    if weights == NULL:
        return NULL
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
        previous = 0
        for i in range(i0, i1):
            end = hi if hi < i + 1 else i + 1
            total = one if i == i1 - 1 else <Py_ssize_t>floor((end - lo) / (hi - lo) * one + 0.5)
            weights[k] = <uint16_t>(total - previous)
            previous = total
            k += 1
    return weights


cdef int _block_means(const uint8_t[:, ::1] src, uint8_t[:, ::1] out) noexcept nogil:
    """Integer factors: exact block sums, rounded means (floor(mean + 0.5))."""
    cdef Py_ssize_t fy = src.shape[0] // out.shape[0], fx = src.shape[1] // out.shape[1]
    cdef Py_ssize_t oy, j
    cdef ocr_divisor divisor = ocr_make_divisor(<uint32_t>(fx * fy))
    cdef uint16_t* sums = <uint16_t*>malloc(src.shape[1] * sizeof(uint16_t))
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
    """Any factor: Q15 coverage weights per axis."""
    cdef Py_ssize_t src_w = src.shape[1], out_h = out.shape[0], out_w = out.shape[1]
    cdef Py_ssize_t oy, j, max_count = 0
    cdef ocr_span* xs = <ocr_span*>malloc(out_w * sizeof(ocr_span))
    cdef ocr_span* ys = <ocr_span*>malloc(out_h * sizeof(ocr_span))
    cdef uint16_t* wx = NULL
    cdef uint16_t* wy = NULL
    cdef uint32_t* acc = <uint32_t*>malloc(src_w * sizeof(uint32_t))
    cdef const uint8_t** rows = NULL
    cdef int failed = 1
    if xs != NULL and ys != NULL and acc != NULL:
        wx = _spans(src_w, out_w, xs)
        wy = _spans(src.shape[0], out_h, ys)
        for oy in range(out_h):
            max_count = max(max_count, ys[oy].count)
        rows = <const uint8_t**>malloc(max_count * sizeof(uint8_t*))
    if wx != NULL and wy != NULL and rows != NULL:
        failed = 0
        for oy in range(out_h):
            for j in range(ys[oy].count):
                rows[j] = &src[ys[oy].first + j, 0]
            ocr_weigh_rows(rows, wy + ys[oy].offset, ys[oy].count, acc, src_w)
            ocr_weigh_cols(acc, xs, wx, &out[oy, 0], out_w)
    free(rows)
    free(xs)
    free(ys)
    free(wx)
    free(wy)
    free(acc)
    return -failed


def area_resize(const uint8_t[:, ::1] src not None, uint8_t[:, ::1] out not None):
    """Resample src to out's shape, each output pixel the mean of the source area it covers.

    Integer factors (blocks of up to 256 pixels) give the exact rounded block means; any
    other factor uses Q15 weights (within one level of the exact mean). Memory beyond
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
