/* Row loop of edge profiles (ext/profiles.pyx), in plain C for SSE2 intrinsics.
 *
 * An edge is a pixel whose right neighbour differs from it by more than t. Each row
 * adds its edges (0 or 1 per pixel) to a row of 8-bit column counts, which the caller
 * flushes into the 32-bit totals every 255 rows, and returns its own count: one pass
 * over the image, 16 pixels at a time, nothing wider than the pixels per column.
 */
#ifndef OCR_PROFILES_ROWS_H
#define OCR_PROFILES_ROWS_H

#include "ocr_simd.h"

/* counts[x] += (|row[x + 1] - row[x]| > t) for x < n - 1; returns the row's total. */
static uint32_t ocr_edge_row(const uint8_t *row, ptrdiff_t n, uint8_t t, uint8_t *OCR_RESTRICT counts)
{
    ptrdiff_t x = 0;
    uint32_t total = 0;
#ifdef OCR_SSE2
    const __m128i vt = _mm_set1_epi8((char)t), one = _mm_set1_epi8(1), zero = _mm_setzero_si128();
    __m128i sums = zero;
    for (; x + 17 <= n; x += 16) {
        __m128i a = _mm_loadu_si128((const __m128i *)(row + x));
        __m128i b = _mm_loadu_si128((const __m128i *)(row + x + 1));
        __m128i diff = _mm_or_si128(_mm_subs_epu8(a, b), _mm_subs_epu8(b, a));
        /* |a - b| - t, saturated, is non-zero exactly at edges: at most 1 is the count */
        __m128i edge = _mm_min_epu8(_mm_subs_epu8(diff, vt), one);
        __m128i *c = (__m128i *)(counts + x);
        _mm_storeu_si128(c, _mm_add_epi8(_mm_loadu_si128(c), edge));
        sums = _mm_add_epi64(sums, _mm_sad_epu8(edge, zero));
    }
    total = (uint32_t)(_mm_cvtsi128_si32(sums) + _mm_cvtsi128_si32(_mm_unpackhi_epi64(sums, sums)));
#endif
    /* the rest (all of it without SSE2), a loop compilers vectorize */
    for (; x < n - 1; x++) {
        int d = (int)row[x + 1] - (int)row[x];
        uint8_t edge = d > t || d < -(int)t;
        counts[x] += edge;
        total += edge;
    }
    return total;
}

/* columns[x] += counts[x], and counts back to 0. */
static void ocr_edge_flush(uint8_t *OCR_RESTRICT counts, uint32_t *OCR_RESTRICT columns, ptrdiff_t n)
{
    for (ptrdiff_t x = 0; x < n; x++) {
        columns[x] += counts[x];
        counts[x] = 0;
    }
}

#endif
