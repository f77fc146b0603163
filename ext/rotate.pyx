"""Rotation by an arbitrary angle (kernel contract: see ocr._kernels).

Positions in 16.16 fixed point and Q14 weights, row loops in rotate_rows.h; images
with a side or a source position beyond 32000 px take a double-precision path.
"""
from libc.math cimport floor, fabs
from libc.stdint cimport uint8_t, int32_t, int64_t
from libc.stdlib cimport malloc, free


cdef extern from "rotate_rows.h" nogil:
    int OCR_ROT_ONE
    void ocr_rotate_row(const uint8_t* src, Py_ssize_t h, Py_ssize_t w, Py_ssize_t stride,
                        const int32_t* ax, const int32_t* ay, int32_t bx, int32_t by,
                        uint8_t fill, uint8_t* dst, Py_ssize_t n)

# the fixed-point path: sides and source positions within this many pixels
cdef enum:
    MAX_FIXED = 32000


cdef inline int32_t _fixed(double v) noexcept nogil:
    return <int32_t>floor(v * OCR_ROT_ONE + 0.5)


cdef int _rotate_fixed(const uint8_t[:, ::1] src, uint8_t[:, ::1] out, double cos_a,
                       double sin_a, uint8_t fill) noexcept nogil:
    cdef Py_ssize_t sh = src.shape[0], sw = src.shape[1]
    cdef Py_ssize_t oh = out.shape[0], ow = out.shape[1]
    cdef Py_ssize_t x, y
    cdef double dx, dy
    cdef int32_t* ax = <int32_t*>malloc(ow * sizeof(int32_t))
    cdef int32_t* ay = <int32_t*>malloc(ow * sizeof(int32_t))
    if ax == NULL or ay == NULL:
        free(ax); free(ay)
        return -1
    for x in range(ow):
        dx = x + 0.5 - ow / 2.0
        ax[x] = _fixed(cos_a * dx)
        ay[x] = _fixed(sin_a * dx)
    for y in range(oh):
        dy = y + 0.5 - oh / 2.0
        ocr_rotate_row(&src[0, 0], sh, sw, sw, ax, ay, _fixed(-sin_a * dy + sw / 2.0 - 0.5),
                       _fixed(cos_a * dy + sh / 2.0 - 0.5), fill, &out[y, 0], ow)
    free(ax); free(ay)
    return 0


cdef void _rotate_double(const uint8_t[:, ::1] src, uint8_t[:, ::1] out, double cos_a,
                         double sin_a, uint8_t fill) noexcept nogil:
    cdef Py_ssize_t sh = src.shape[0], sw = src.shape[1]
    cdef Py_ssize_t oh = out.shape[0], ow = out.shape[1]
    cdef Py_ssize_t x, y, ix, iy
    cdef double dx, dy, sx, sy, fx, fy, top, bottom, v
    cdef double p00, p01, p10, p11
    for y in range(oh):
        dy = y + 0.5 - oh / 2.0
        for x in range(ow):
            dx = x + 0.5 - ow / 2.0
            sx = cos_a * dx - sin_a * dy + sw / 2.0 - 0.5
            sy = sin_a * dx + cos_a * dy + sh / 2.0 - 0.5
            if sx > -1 and sy > -1 and sx < sw and sy < sh:
                ix = <Py_ssize_t>floor(sx)
                iy = <Py_ssize_t>floor(sy)
                fx = sx - ix
                fy = sy - iy
                p00 = src[iy, ix] if ix >= 0 and iy >= 0 else fill
                p01 = src[iy, ix + 1] if ix + 1 < sw and iy >= 0 else fill
                p10 = src[iy + 1, ix] if ix >= 0 and iy + 1 < sh else fill
                p11 = src[iy + 1, ix + 1] if ix + 1 < sw and iy + 1 < sh else fill
                top = p00 + (p01 - p00) * fx
                bottom = p10 + (p11 - p10) * fx
                v = top + (bottom - top) * fy + 0.5
                out[y, x] = <uint8_t>(255 if v >= 255 else (0 if v <= 0 else v))
            else:
                out[y, x] = fill


cdef bint _fits_fixed(Py_ssize_t sh, Py_ssize_t sw, Py_ssize_t oh, Py_ssize_t ow, double cos_a,
                      double sin_a) noexcept nogil:
    # the source positions of the output's corners bound all others (the map is affine)
    cdef double dx, dy
    cdef int i
    if max(max(sh, sw), max(oh, ow)) > MAX_FIXED:
        return False
    for i in range(4):
        dx = (ow / 2.0) * (1 if i & 1 else -1)
        dy = (oh / 2.0) * (1 if i & 2 else -1)
        if (fabs(cos_a * dx - sin_a * dy + sw / 2.0) > MAX_FIXED
                or fabs(sin_a * dx + cos_a * dy + sh / 2.0) > MAX_FIXED):
            return False
    return True


def rotate_bilinear(const uint8_t[:, ::1] src not None, uint8_t[:, ::1] out not None,
                    double cos_a, double sin_a, uint8_t fill):
    """out = src turned counter-clockwise (as displayed) by the angle whose cosine and
    sine are given, about the centres of both images; bilinear; ``fill`` outside src.

    Output pixel centre (x + 0.5, y + 0.5), relative to the output's centre (dx, dy),
    samples src at (cos dx - sin dy, sin dx + cos dy) relative to src's centre.
    Positions are rounded to 1/65536 px and weights to 1/16384 (within 0.03 level of
    the exact bilinear value); sides or positions beyond 32000 px are computed in
    double, as rotate_bilinear_double does.
    """
    cdef int status = 0
    with nogil:
        if _fits_fixed(src.shape[0], src.shape[1], out.shape[0], out.shape[1], cos_a, sin_a):
            status = _rotate_fixed(src, out, cos_a, sin_a, fill)
        else:
            _rotate_double(src, out, cos_a, sin_a, fill)
    if status != 0:
        raise MemoryError("rotate_bilinear: cannot allocate its position tables")


def rotate_bilinear_double(const uint8_t[:, ::1] src not None, uint8_t[:, ::1] out not None,
                           double cos_a, double sin_a, uint8_t fill):
    """rotate_bilinear with positions and weights in double whatever the size (the path
    for images beyond 32000 px), so that tests can hold the fixed-point path to it."""
    with nogil:
        _rotate_double(src, out, cos_a, sin_a, fill)
