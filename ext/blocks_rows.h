/* Loops of block statistics and background division (ext/blocks.pyx), in plain C,
 * SSE2 intrinsics where the compiler does not vectorize.
 *
 * Block histograms count into four sub-histograms in turn, as threshold.histogram does:
 * paper is long runs of the same few levels, and one histogram would make each count
 * wait for the previous increment of the same entry to be stored.
 *
 * The gain is bilinear between cell centres: interpolated along x once per row of
 * cells (ocr_gain_row, when the output rows move on to the next pair of cell rows),
 * then along y per pixel, fused with the multiply (ocr_divide_row): 16 pixels at a
 * time, all in float32.
 */
#ifndef OCR_BLOCKS_ROWS_H
#define OCR_BLOCKS_ROWS_H

#include "ocr_simd.h"

/* counts[v] = how many of the rows x cols pixels from src (rows stride bytes apart)
 * equal v. sub: scratch for 4 x 256 counts. */
static void ocr_block_histogram(const uint8_t *src, ptrdiff_t stride, ptrdiff_t rows,
                                ptrdiff_t cols, uint32_t *OCR_RESTRICT sub,
                                uint32_t *OCR_RESTRICT counts)
{
    memset(sub, 0, 4 * 256 * sizeof(uint32_t));
    for (ptrdiff_t y = 0; y < rows; y++) {
        const uint8_t *row = src + y * stride;
        ptrdiff_t x = 0;
        for (; x + 4 <= cols; x += 4) {
            sub[row[x]]++;
            sub[256 + row[x + 1]]++;
            sub[512 + row[x + 2]]++;
            sub[768 + row[x + 3]]++;
        }
        for (; x < cols; x++)
            sub[row[x]]++;
    }
    for (int v = 0; v < 256; v++)
        counts[v] = sub[v] + sub[256 + v] + sub[512 + v] + sub[768 + v];
}

/* h[x] = cells[lo[x]] + (cells[lo[x] + 1] - cells[lo[x]]) * frac[x], or cells[0]
 * everywhere for a single cell. */
static void ocr_gain_row(const float *cells, ptrdiff_t count, const ptrdiff_t *lo,
                         const float *frac, float *OCR_RESTRICT h, ptrdiff_t n)
{
    if (count == 1) {
        for (ptrdiff_t x = 0; x < n; x++)
            h[x] = cells[0];
        return;
    }
    for (ptrdiff_t x = 0; x < n; x++)
        h[x] = cells[lo[x]] + (cells[lo[x] + 1] - cells[lo[x]]) * frac[x];
}

/* h1[x] -= h0[x]: the slope along y between two rows of cells. */
static void ocr_gain_slope(const float *h0, float *OCR_RESTRICT h1, ptrdiff_t n)
{
    for (ptrdiff_t x = 0; x < n; x++)
        h1[x] -= h0[x];
}

/* dst[x] = src[x] * g + 0.5 truncated and clamped to 0..255, where
 * g = h0[x] + dh[x] * fy. The gains are bounded (|g| < 2000: 255 / B with B >= 1,
 * extrapolated by at most 1.5 cells each way), so src * g converts to int32 as is. */
static void ocr_divide_row(const uint8_t *src, const float *h0, const float *dh, float fy,
                           uint8_t *OCR_RESTRICT dst, ptrdiff_t n)
{
    ptrdiff_t x = 0;
#ifdef OCR_SSE2
    const __m128 vfy = _mm_set1_ps(fy), half = _mm_set1_ps(0.5f);
    const __m128i zero = _mm_setzero_si128();
    for (; x + 16 <= n; x += 16) {
        __m128i px = _mm_loadu_si128((const __m128i *)(src + x));
        __m128i p16[2] = {_mm_unpacklo_epi8(px, zero), _mm_unpackhi_epi8(px, zero)};
        __m128i v[4];
        for (int q = 0; q < 4; q++) {
            __m128i p32 = q % 2 ? _mm_unpackhi_epi16(p16[q / 2], zero) : _mm_unpacklo_epi16(p16[q / 2], zero);
            __m128 g = _mm_add_ps(_mm_loadu_ps(h0 + x + 4 * q), _mm_mul_ps(_mm_loadu_ps(dh + x + 4 * q), vfy));
            /* truncated toward zero, then saturated by the packs: negative gains
             * (extrapolated at the borders) give 0 */
            v[q] = _mm_cvttps_epi32(_mm_add_ps(_mm_mul_ps(_mm_cvtepi32_ps(p32), g), half));
        }
        __m128i out = _mm_packus_epi16(_mm_packs_epi32(v[0], v[1]), _mm_packs_epi32(v[2], v[3]));
        _mm_storeu_si128((__m128i *)(dst + x), out);
    }
#endif
    /* the rest (all of it without SSE2), a loop compilers vectorize */
    for (; x < n; x++) {
        float f = src[x] * (h0[x] + dh[x] * fy) + 0.5f;
        f = f < 0.0f ? 0.0f : (f > 255.0f ? 255.0f : f);
        dst[x] = (uint8_t)f;
    }
}

#endif
