"""Rotation by an arbitrary angle (kernel contract: see ocr._kernels)."""
from libc.math cimport floor
from libc.stdint cimport uint8_t


def rotate_bilinear(const uint8_t[:, ::1] src not None, uint8_t[:, ::1] out not None,
                    double cos_a, double sin_a, uint8_t fill):
    """out = src turned counter-clockwise (as displayed) by the angle whose cosine and
    sine are given, about the centres of both images; bilinear; ``fill`` outside src.

    Output pixel centre (x + 0.5, y + 0.5), relative to the output's centre (dx, dy),
    samples src at (cos dx - sin dy, sin dx + cos dy) relative to src's centre.
    """
    cdef Py_ssize_t sh = src.shape[0], sw = src.shape[1]
    cdef Py_ssize_t oh = out.shape[0], ow = out.shape[1]
    cdef Py_ssize_t x, y, ix, iy
    cdef double dx, dy, sx, sy, fx, fy, top, bottom, v
    cdef double p00, p01, p10, p11
    with nogil:
        for y in range(oh):
            dy = y + 0.5 - oh / 2.0
            # source position of this row's first pixel (minus half a pixel: sample grid)
            sx = cos_a * (0.5 - ow / 2.0) - sin_a * dy + sw / 2.0 - 0.5
            sy = sin_a * (0.5 - ow / 2.0) + cos_a * dy + sh / 2.0 - 0.5
            for x in range(ow):
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
                sx += cos_a
                sy += sin_a
