"""Pixel format conversions to 8-bit gray (kernel contract: see ocr._kernels)."""
from libc.stdint cimport uint8_t, uint32_t
from libc.stddef cimport size_t


cdef inline uint8_t _luma(uint32_t r, uint32_t g, uint32_t b) noexcept nogil:
    # ITU-R 601-2 luma in 16.16 fixed point, rounded: the integers Pillow's convert("L") gives.
    return <uint8_t>((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16)


cdef inline uint8_t _over_white(uint32_t value, uint32_t alpha) noexcept nogil:
    # Composite over a white page, as Leptonica's pixRemoveAlpha does for Tesseract.
    return <uint8_t>((value * alpha + 255 * (255 - alpha) + 127) // 255)


def rgb_to_gray(const uint8_t[:, :, ::1] src not None, uint8_t[:, ::1] out not None):
    """(H, W, 3) RGB -> (H, W) luma."""
    cdef Py_ssize_t y, x, height = src.shape[0], width = src.shape[1]
    cdef const uint8_t* row
    with nogil:
        for y in range(height):
            row = &src[y, 0, 0]
            for x in range(width):
                out[y, x] = _luma(row[3 * x], row[3 * x + 1], row[3 * x + 2])


def rgba_to_gray(const uint8_t[:, :, ::1] src not None, uint8_t[:, ::1] out not None):
    """(H, W, 4) RGBA -> (H, W) luma composited over white."""
    cdef Py_ssize_t y, x, height = src.shape[0], width = src.shape[1]
    cdef const uint8_t* row
    with nogil:
        for y in range(height):
            row = &src[y, 0, 0]
            for x in range(width):
                out[y, x] = _over_white(
                    _luma(row[4 * x], row[4 * x + 1], row[4 * x + 2]), row[4 * x + 3])


def gray_alpha_to_gray(const uint8_t[:, :, ::1] src not None, uint8_t[:, ::1] out not None):
    """(H, W, 2) gray + alpha -> (H, W) gray composited over white."""
    cdef Py_ssize_t y, x, height = src.shape[0], width = src.shape[1]
    cdef const uint8_t* row
    with nogil:
        for y in range(height):
            row = &src[y, 0, 0]
            for x in range(width):
                out[y, x] = _over_white(row[2 * x], row[2 * x + 1])


def apply_lut(const uint8_t[:, ::1] src not None, const uint8_t[::1] lut not None,
              uint8_t[:, ::1] out not None):
    """out[y, x] = lut[src[y, x]]; lut has 256 entries (palette index -> gray)."""
    cdef Py_ssize_t y, x, height = src.shape[0], width = src.shape[1]
    cdef const uint8_t* row
    cdef uint8_t table[256]
    for x in range(256):
        table[x] = lut[x]
    with nogil:
        for y in range(height):
            row = &src[y, 0]
            for x in range(width):
                out[y, x] = table[row[x]]
