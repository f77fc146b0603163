"""Pixel format conversions to 8-bit gray (kernel contract: see ocr._kernels).

The row loops are plain C in convert_rows.h (SSE2 on x86-64, scalar elsewhere), each
giving exactly the integers of its scalar formula.
"""
from libc.stdint cimport uint8_t, uint16_t
from libc.stdlib cimport malloc, free


cdef extern from "convert_rows.h" nogil:
    void ocr_rgb_row(const uint8_t* src, uint8_t* dst, Py_ssize_t n)
    void ocr_rgba_row(const uint8_t* src, uint8_t* dst, Py_ssize_t n)
    void ocr_gray_alpha_row(const uint8_t* src, uint8_t* dst, Py_ssize_t n)
    void ocr_lut_row(const uint8_t* src, const uint8_t* table, uint8_t* dst, Py_ssize_t n)
    void ocr_lut2_table(const uint8_t* table, uint16_t* pairs)
    void ocr_lut2_row(const uint8_t* src, const uint16_t* pairs, const uint8_t* table,
                      uint8_t* dst, Py_ssize_t n)

# From this many pixels on, apply_lut builds a two-pixel table (64 Ki entries) first.
cdef enum:
    LUT2_MIN_PIXELS = 1 << 19


def rgb_to_gray(const uint8_t[:, :, ::1] src not None, uint8_t[:, ::1] out not None):
    """(H, W, 3) RGB -> (H, W) luma, ITU-R 601-2 in Pillow's 16.16 fixed point."""
    cdef Py_ssize_t y
    with nogil:
        for y in range(src.shape[0]):
            ocr_rgb_row(&src[y, 0, 0], &out[y, 0], src.shape[1])


def rgba_to_gray(const uint8_t[:, :, ::1] src not None, uint8_t[:, ::1] out not None):
    """(H, W, 4) RGBA -> (H, W) luma composited over white."""
    cdef Py_ssize_t y
    with nogil:
        for y in range(src.shape[0]):
            ocr_rgba_row(&src[y, 0, 0], &out[y, 0], src.shape[1])


def gray_alpha_to_gray(const uint8_t[:, :, ::1] src not None, uint8_t[:, ::1] out not None):
    """(H, W, 2) gray + alpha -> (H, W) gray composited over white."""
    cdef Py_ssize_t y
    with nogil:
        for y in range(src.shape[0]):
            ocr_gray_alpha_row(&src[y, 0, 0], &out[y, 0], src.shape[1])


def apply_lut(const uint8_t[:, ::1] src not None, const uint8_t[::1] lut not None,
              uint8_t[:, ::1] out not None):
    """out[y, x] = lut[src[y, x]]; lut has 256 entries (palette index -> gray)."""
    cdef Py_ssize_t y, height = src.shape[0], width = src.shape[1]
    cdef uint16_t* pairs = NULL
    if height * width >= LUT2_MIN_PIXELS:
        pairs = <uint16_t*>malloc(65536 * sizeof(uint16_t))  # else one pixel at a time
    with nogil:
        if pairs != NULL:
            ocr_lut2_table(&lut[0], pairs)
            for y in range(height):
                ocr_lut2_row(&src[y, 0], pairs, &lut[0], &out[y, 0], width)
        else:
            for y in range(height):
                ocr_lut_row(&src[y, 0], &lut[0], &out[y, 0], width)
    free(pairs)
