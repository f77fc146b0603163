/* Row loops of the gray conversions (ext/convert.pyx), in plain C for SSE2 intrinsics.
 *
 * Every function gives exactly the integers of the scalar formulas below, which the
 * tests pin to Pillow's convert("L") and to compositing over white. The SSE2 paths
 * need nothing beyond the x86-64 baseline, so no runtime dispatch; other targets run
 * the scalar loops, which compilers vectorize where they can (NEON's ld3/ld4).
 */
#ifndef OCR_CONVERT_ROWS_H
#define OCR_CONVERT_ROWS_H

#include "ocr_simd.h"

/* ITU-R 601-2 luma in 16.16 fixed point, rounded: the integers of Pillow's convert("L"). */
static inline uint8_t ocr_luma(uint32_t r, uint32_t g, uint32_t b)
{
    return (uint8_t)((r * 19595u + g * 38470u + b * 7471u + 0x8000u) >> 16);
}

/* Over a white page, as Leptonica's pixRemoveAlpha does for Tesseract:
 * (v*a + 255*(255-a) + 127) / 255, rewritten as (65152 - a*(255-v)) / 255 so that
 * every intermediate fits 16 bits for the vector path. */
static inline uint8_t ocr_over_white(uint32_t v, uint32_t a)
{
    return (uint8_t)((65152u - a * (255u - v)) / 255u);
}

#ifdef OCR_SSE2
/* Luma of four pixels held as 32-bit words r | g<<8 | b<<16 | (anything)<<24.
 * pmaddwd works on signed 16-bit weights, and 38470 does not fit: g is doubled and
 * weighted 19235. */
static inline __m128i ocr_luma4(__m128i px)
{
    const __m128i low_bytes = _mm_set1_epi32(0x00ff00ff);
    const __m128i rb_weights = _mm_set1_epi32(19595 | (7471 << 16));
    const __m128i g_weight = _mm_set1_epi32(19235);
    __m128i rb = _mm_and_si128(px, low_bytes);                                    /* r, b */
    __m128i g2 = _mm_and_si128(_mm_srli_epi32(px, 7), _mm_set1_epi32(0x1fe));     /* 2g, 0 */
    __m128i sum = _mm_add_epi32(_mm_madd_epi16(rb, rb_weights), _mm_madd_epi16(g2, g_weight));
    return _mm_srli_epi32(_mm_add_epi32(sum, _mm_set1_epi32(0x8000)), 16);
}

/* ocr_over_white on eight 16-bit lanes; x / 255 == (x * 0x8081) >> 23 for every 16-bit x. */
static inline __m128i ocr_over_white8(__m128i v, __m128i a)
{
    __m128i t = _mm_mullo_epi16(a, _mm_xor_si128(v, _mm_set1_epi16(0xff)));
    __m128i x = _mm_sub_epi16(_mm_set1_epi16((short)65152), t);
    return _mm_srli_epi16(_mm_mulhi_epu16(x, _mm_set1_epi16((short)0x8081)), 7);
}

static inline __m128i ocr_load32(const uint8_t *p)
{
    int32_t word;
    memcpy(&word, p, 4);
    return _mm_cvtsi32_si128(word);
}

/* Four RGB pixels as words r | g<<8 | b<<16, from exactly p[0..12): four 4-byte loads,
 * as SSE2 has no byte shuffle; the last is taken one byte early and shifted down. */
static inline __m128i ocr_rgb_words4(const uint8_t *p)
{
    __m128i last = _mm_srli_epi32(ocr_load32(p + 8), 8);
    return _mm_unpacklo_epi64(_mm_unpacklo_epi32(ocr_load32(p), ocr_load32(p + 3)),
                              _mm_unpacklo_epi32(ocr_load32(p + 6), last));
}
#endif

static void ocr_rgb_row(const uint8_t *OCR_RESTRICT src, uint8_t *OCR_RESTRICT dst, ptrdiff_t n)
{
    ptrdiff_t x = 0;
#ifdef OCR_SSE2
    for (; x + 16 <= n; x += 16) {
        const uint8_t *p = src + 3 * x;
        __m128i l0 = ocr_luma4(ocr_rgb_words4(p)), l1 = ocr_luma4(ocr_rgb_words4(p + 12));
        __m128i l2 = ocr_luma4(ocr_rgb_words4(p + 24)), l3 = ocr_luma4(ocr_rgb_words4(p + 36));
        __m128i lo = _mm_packs_epi32(l0, l1), hi = _mm_packs_epi32(l2, l3);
        _mm_storeu_si128((__m128i *)(dst + x), _mm_packus_epi16(lo, hi));
    }
#endif
    for (; x < n; x++)
        dst[x] = ocr_luma(src[3 * x], src[3 * x + 1], src[3 * x + 2]);
}

static void ocr_rgba_row(const uint8_t *OCR_RESTRICT src, uint8_t *OCR_RESTRICT dst, ptrdiff_t n)
{
    ptrdiff_t x = 0;
#ifdef OCR_SSE2
    for (; x + 16 <= n; x += 16) {
        const __m128i *p = (const __m128i *)(src + 4 * x);
        __m128i px0 = _mm_loadu_si128(p), px1 = _mm_loadu_si128(p + 1);
        __m128i px2 = _mm_loadu_si128(p + 2), px3 = _mm_loadu_si128(p + 3);
        __m128i v_lo = _mm_packs_epi32(ocr_luma4(px0), ocr_luma4(px1));
        __m128i v_hi = _mm_packs_epi32(ocr_luma4(px2), ocr_luma4(px3));
        __m128i a_lo = _mm_packs_epi32(_mm_srli_epi32(px0, 24), _mm_srli_epi32(px1, 24));
        __m128i a_hi = _mm_packs_epi32(_mm_srli_epi32(px2, 24), _mm_srli_epi32(px3, 24));
        _mm_storeu_si128((__m128i *)(dst + x), _mm_packus_epi16(
            ocr_over_white8(v_lo, a_lo), ocr_over_white8(v_hi, a_hi)));
    }
#endif
    for (; x < n; x++)
        dst[x] = ocr_over_white(ocr_luma(src[4 * x], src[4 * x + 1], src[4 * x + 2]), src[4 * x + 3]);
}

static void ocr_gray_alpha_row(const uint8_t *OCR_RESTRICT src, uint8_t *OCR_RESTRICT dst, ptrdiff_t n)
{
    ptrdiff_t x = 0;
#ifdef OCR_SSE2
    const __m128i low_byte = _mm_set1_epi16(0xff);
    for (; x + 16 <= n; x += 16) {
        __m128i p0 = _mm_loadu_si128((const __m128i *)(src + 2 * x));
        __m128i p1 = _mm_loadu_si128((const __m128i *)(src + 2 * x + 16));
        __m128i g0 = ocr_over_white8(_mm_and_si128(p0, low_byte), _mm_srli_epi16(p0, 8));
        __m128i g1 = ocr_over_white8(_mm_and_si128(p1, low_byte), _mm_srli_epi16(p1, 8));
        _mm_storeu_si128((__m128i *)(dst + x), _mm_packus_epi16(g0, g1));
    }
#endif
    for (; x < n; x++)
        dst[x] = ocr_over_white(src[2 * x], src[2 * x + 1]);
}

/* Eight lookups gathered into one 64-bit store: the loop is bound by loads and stores,
 * and a byte-at-a-time loop spends one store per pixel. dst may be src (in place).
 * Shifting the same 64-bit word in and out keeps the byte order on any endianness. */
static void ocr_lut_row(const uint8_t *src, const uint8_t *table, uint8_t *dst, ptrdiff_t n)
{
    ptrdiff_t x = 0;
    for (; x + 8 <= n; x += 8) {
        uint64_t in, out = 0;
        memcpy(&in, src + x, 8);
        for (int k = 0; k < 8; k++)
            out |= (uint64_t)table[(in >> (8 * k)) & 0xff] << (8 * k);
        memcpy(dst + x, &out, 8);
    }
    for (; x < n; x++)
        dst[x] = table[src[x]];
}

/* The table for two pixels at once (65536 entries, 128 KiB), applying table to each
 * byte of a 16-bit value, which is the same on either byte order. */
static void ocr_lut2_table(const uint8_t *table, uint16_t *pairs)
{
    for (uint32_t hi = 0; hi < 256; hi++)
        for (uint32_t lo = 0; lo < 256; lo++)
            pairs[hi << 8 | lo] = (uint16_t)(table[lo] | table[hi] << 8);
}

/* ocr_lut_row with four two-pixel lookups per 64-bit word: half the loads, which pays
 * for building the table on large images. dst may be src (in place). */
static void ocr_lut2_row(const uint8_t *src, const uint16_t *pairs, const uint8_t *table,
                         uint8_t *dst, ptrdiff_t n)
{
    ptrdiff_t x = 0;
    for (; x + 8 <= n; x += 8) {
        uint64_t in, out = 0;
        memcpy(&in, src + x, 8);
        for (int k = 0; k < 4; k++)
            out |= (uint64_t)pairs[(in >> (16 * k)) & 0xffff] << (16 * k);
        memcpy(dst + x, &out, 8);
    }
    for (; x < n; x++)
        dst[x] = table[src[x]];
}

#endif
