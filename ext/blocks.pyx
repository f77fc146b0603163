"""Block statistics and block-wise corrections: polarity and background
(kernel contract: see ocr._kernels)."""
from libc.math cimport floor
from libc.stdint cimport uint8_t, uint32_t
from libc.stdlib cimport malloc, calloc, free
from libc.string cimport memset


cdef extern from "blocks_rows.h" nogil:
    void ocr_block_histogram(const uint8_t* src, Py_ssize_t stride, Py_ssize_t rows,
                             Py_ssize_t cols, uint32_t* sub, uint32_t* counts)
    void ocr_gain_row(const float* cells, Py_ssize_t count, const Py_ssize_t* lo,
                      const float* frac, float* h, Py_ssize_t n)
    void ocr_gain_slope(const float* h0, float* h1, Py_ssize_t n)
    void ocr_divide_row(const uint8_t* src, const float* h0, const float* dh, float fy,
                        uint8_t* dst, Py_ssize_t n)


def block_percentiles(const uint8_t[:, ::1] src not None, Py_ssize_t block,
                      const double[::1] fractions not None, uint8_t[:, :, ::1] out not None):
    """out[by, bx, i] = the fractions[i] quantile of block (by, bx), block x block pixels
    (smaller at the right and bottom edges); quantile q is the value of rank
    floor(q * (n - 1)) in sorted order (numpy's method="lower"). A block at a time,
    its histogram in four interleaved parts (blocks_rows.h)."""
    cdef Py_ssize_t height = src.shape[0], width = src.shape[1]
    cdef Py_ssize_t nq = fractions.shape[0]
    cdef Py_ssize_t by, bx, y0, y1, x0, x1, i, n, rank, seen
    cdef uint32_t* sub = <uint32_t*>malloc(5 * 256 * sizeof(uint32_t))
    cdef uint32_t* h
    cdef int v
    if sub == NULL:
        raise MemoryError()
    h = sub + 4 * 256
    with nogil:
        for by in range(out.shape[0]):
            y0 = by * block
            y1 = min(y0 + block, height)
            for bx in range(out.shape[1]):
                x0 = bx * block
                x1 = min(x0 + block, width)
                ocr_block_histogram(&src[y0, x0], width, y1 - y0, x1 - x0, sub, h)
                n = (y1 - y0) * (x1 - x0)
                for i in range(nq):
                    rank = <Py_ssize_t>floor(fractions[i] * (n - 1))
                    seen = 0
                    v = 0
                    while v < 255 and seen + h[v] <= rank:
                        seen += h[v]
                        v += 1
                    out[by, bx, i] = <uint8_t>v
    free(sub)


def invert_blocks(const uint8_t[:, ::1] src not None, const uint8_t[:, ::1] mask not None,
                  Py_ssize_t block, uint8_t[:, ::1] out not None):
    """out = 255 - src inside the blocks where mask is non-zero, src elsewhere."""
    cdef Py_ssize_t height = src.shape[0], width = src.shape[1]
    cdef Py_ssize_t y, x, x0, x1, bx
    cdef const uint8_t* row
    cdef const uint8_t* flags
    cdef uint8_t* dst
    with nogil:
        for y in range(height):
            row = &src[y, 0]
            dst = &out[y, 0]
            flags = &mask[y // block, 0]
            for bx in range(mask.shape[1]):
                x0 = bx * block
                x1 = min(x0 + block, width)
                if flags[bx]:
                    for x in range(x0, x1):
                        dst[x] = 255 - row[x]
                else:
                    for x in range(x0, x1):
                        dst[x] = row[x]


cdef inline void _interpolate_axis(Py_ssize_t n, Py_ssize_t cells, Py_ssize_t block,
                                   Py_ssize_t* lo, float* frac) noexcept nogil:
    # Position of each pixel between the centres of the two cells around it. Beyond the
    # outer centres (half a cell at each border) the line through the last two cells is
    # extended: lighting keeps falling off towards a page edge, it does not level out.
    cdef Py_ssize_t p
    cdef double c
    for p in range(n):
        c = (p + 0.5) / block - 0.5
        if cells == 1:
            lo[p] = 0
            frac[p] = 0
        else:
            lo[p] = 0 if c < 0 else (cells - 2 if c >= cells - 1 else <Py_ssize_t>c)
            frac[p] = <float>(c - lo[p])


def divide_background(const uint8_t[:, ::1] src not None, const float[:, ::1] background not None,
                      Py_ssize_t block, uint8_t[:, ::1] out not None):
    """out = src * G, clipped to 0..255, where the gain G = 255 / B per block x block
    cell of ``background`` (B at least 1) is bilinearly interpolated between cell
    centres (extrapolated over the outer half cells). Row loops in blocks_rows.h."""
    cdef Py_ssize_t height = src.shape[0], width = src.shape[1]
    cdef Py_ssize_t gh = background.shape[0], gw = background.shape[1]
    cdef Py_ssize_t y, gx, gy, ylo, row_lo = -1
    cdef float b
    cdef Py_ssize_t* xlo = <Py_ssize_t*>malloc(width * sizeof(Py_ssize_t))
    cdef float* xfrac = <float*>malloc(width * sizeof(float))
    cdef Py_ssize_t* ylos = <Py_ssize_t*>malloc(height * sizeof(Py_ssize_t))
    cdef float* yfracs = <float*>malloc(height * sizeof(float))
    cdef float* recip = <float*>malloc(gh * gw * sizeof(float))
    # the gain interpolated along x on the row of cells above the output row, and its
    # slope to the row below
    cdef float* h0 = <float*>malloc(width * sizeof(float))
    cdef float* h1 = <float*>malloc(width * sizeof(float))
    if (xlo == NULL or xfrac == NULL or ylos == NULL or yfracs == NULL or recip == NULL
            or h0 == NULL or h1 == NULL):
        free(xlo); free(xfrac); free(ylos); free(yfracs); free(recip); free(h0); free(h1)
        raise MemoryError()
    with nogil:
        _interpolate_axis(width, gw, block, xlo, xfrac)
        _interpolate_axis(height, gh, block, ylos, yfracs)
        # the gain 255 / B is interpolated instead of B: one division per cell, not per pixel
        for gy in range(gh):
            for gx in range(gw):
                b = background[gy, gx]
                recip[gy * gw + gx] = 255.0 / (b if b >= 1 else 1)
        for y in range(height):
            ylo = ylos[y]
            if ylo != row_lo:
                ocr_gain_row(&recip[ylo * gw], gw, xlo, xfrac, h0, width)
                ocr_gain_row(&recip[min(ylo + 1, gh - 1) * gw], gw, xlo, xfrac, h1, width)
                ocr_gain_slope(h0, h1, width)
                row_lo = ylo
            ocr_divide_row(&src[y, 0], h0, h1, yfracs[y], &out[y, 0], width)
    free(xlo); free(xfrac); free(ylos); free(yfracs); free(recip); free(h0); free(h1)
