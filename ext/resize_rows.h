/* Row loops of area resampling (ext/resize.pyx), in plain C so that they vectorize.
 *
 * Both paths run a vertical pass first (whole source rows, contiguous: the loops
 * compilers vectorize), then a horizontal pass over one row of column sums, which is
 * 1/fy of the data:
 * - integer factors: exact block sums in 16 bits, then the rounded mean;
 * - any factor: coverage weights in Q15 (each output's weights sum to exactly 1 << 15),
 *   column sums in 32 bits, the horizontal sum in 64.
 */
#ifndef OCR_RESIZE_ROWS_H
#define OCR_RESIZE_ROWS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__SSE2__) || defined(_M_X64) || (defined(_M_IX86_FP) && _M_IX86_FP >= 2)
#include <emmintrin.h>
#define OCR_SSE2 1
#endif

#define OCR_AREA_BITS 15

/* sums[x] = rows[0][x] + ... + rows[count - 1][x]; count * 255 must fit 16 bits.
 * Two rows a pass, so the sums row is read and written half as often. */
static void ocr_sum_rows(const uint8_t *const *rows, ptrdiff_t count, uint16_t *sums, ptrdiff_t n)
{
    ptrdiff_t j = count % 2;
    if (j == 1) {
        const uint8_t *r = rows[0];
        for (ptrdiff_t x = 0; x < n; x++)
            sums[x] = r[x];
    } else {
        const uint8_t *r0 = rows[0], *r1 = rows[1];
        for (ptrdiff_t x = 0; x < n; x++)
            sums[x] = (uint16_t)(r0[x] + r1[x]);
        j = 2;
    }
    for (; j < count; j += 2) {
        const uint8_t *r0 = rows[j], *r1 = rows[j + 1];
        for (ptrdiff_t x = 0; x < n; x++)
            sums[x] += (uint16_t)(r0[x] + r1[x]);
    }
}

/* Rounded division of a block sum by the block size (2 to 256 pixels), for sums + size / 2
 * below 1 << 16, without a division instruction: q0 = (y * floor(2**16 / size)) >> 16 is
 * y / size or one less (its error is below y / 2**16 < 1), and one comparison corrects it.
 * A power-of-two size is a shift. */
typedef struct {
    uint16_t size, half, magic;
    int shift;        /* log2(size) for a power of two, else -1 */
} ocr_divisor;

static inline ocr_divisor ocr_make_divisor(uint32_t size)
{
    ocr_divisor d;
    d.size = (uint16_t)size;
    d.half = (uint16_t)(size / 2);
    d.magic = size > 1 ? (uint16_t)(65536u / size) : 0;
    d.shift = -1;
    for (int k = 0; k <= 8; k++)
        if (size == 1u << k)
            d.shift = k;
    return d;
}

static inline uint8_t ocr_divide(uint16_t total, ocr_divisor d)
{
    uint16_t y = (uint16_t)(total + d.half), q, r;
    if (d.shift >= 0)
        return (uint8_t)(y >> d.shift);
    q = (uint16_t)(((uint32_t)y * d.magic) >> 16);
    r = (uint16_t)(y - q * d.size);
    return (uint8_t)(q + (r >= d.size));
}

/* dst[i] = (totals[i] + half) / size, totals[i] + half below 1 << 16. */
static void ocr_divide_row(const uint16_t *totals, ocr_divisor d, uint8_t *dst, ptrdiff_t n)
{
    ptrdiff_t i = 0;
#ifdef OCR_SSE2
    const __m128i half = _mm_set1_epi16((short)d.half), magic = _mm_set1_epi16((short)d.magic);
    const __m128i size = _mm_set1_epi16((short)d.size), below = _mm_set1_epi16((short)(d.size - 1));
    const __m128i shift = _mm_cvtsi32_si128(d.shift);
    for (; i + 16 <= n; i += 16) {
        __m128i q[2];
        for (int k = 0; k < 2; k++) {
            __m128i y = _mm_add_epi16(_mm_loadu_si128((const __m128i *)(totals + i + 8 * k)), half);
            if (d.shift >= 0) {
                q[k] = _mm_srl_epi16(y, shift);
            } else {
                /* remainders are below 2 * size <= 512: a signed comparison will do */
                __m128i q0 = _mm_mulhi_epu16(y, magic);
                __m128i r = _mm_sub_epi16(y, _mm_mullo_epi16(q0, size));
                q[k] = _mm_sub_epi16(q0, _mm_cmpgt_epi16(r, below));
            }
        }
        _mm_storeu_si128((__m128i *)(dst + i), _mm_packus_epi16(q[0], q[1]));
    }
#endif
    for (; i < n; i++)
        dst[i] = ocr_divide(totals[i], d);
}

/* The 2x2 block means straight from two source rows of 2 * n_out pixels. */
static void ocr_halve_rows(const uint8_t *r0, const uint8_t *r1, uint8_t *dst, ptrdiff_t n_out)
{
    ptrdiff_t ox = 0;
#ifdef OCR_SSE2
    const __m128i low = _mm_set1_epi16(0xff), two = _mm_set1_epi16(2);
    for (; ox + 16 <= n_out; ox += 16) {
        __m128i q[2];
        for (int k = 0; k < 2; k++) {
            __m128i a = _mm_loadu_si128((const __m128i *)(r0 + 2 * ox + 16 * k));
            __m128i b = _mm_loadu_si128((const __m128i *)(r1 + 2 * ox + 16 * k));
            __m128i s = _mm_add_epi16(_mm_add_epi16(_mm_and_si128(a, low), _mm_srli_epi16(a, 8)),
                                      _mm_add_epi16(_mm_and_si128(b, low), _mm_srli_epi16(b, 8)));
            q[k] = _mm_srli_epi16(_mm_add_epi16(s, two), 2);
        }
        _mm_storeu_si128((__m128i *)(dst + ox), _mm_packus_epi16(q[0], q[1]));
    }
#endif
    for (; ox < n_out; ox++)
        dst[ox] = (uint8_t)((r0[2 * ox] + r0[2 * ox + 1] + r1[2 * ox] + r1[2 * ox + 1] + 2) >> 2);
}

/* totals[ox] = sums[fx * ox] + ... + sums[fx * ox + fx - 1]. */
static void ocr_sum_blocks(const uint16_t *sums, ptrdiff_t fx, uint16_t *totals, ptrdiff_t n_out)
{
    ptrdiff_t ox = 0;
    switch (fx) {
    case 1:
        memcpy(totals, sums, n_out * sizeof(uint16_t));
        return;
    case 2:
#ifdef OCR_SSE2
        /* pmaddwd by ones adds neighbours (sums of at most 128 rows fit its signed
         * lanes); the totals, up to 65280, are packed to 16 bits biased by -32768 */
        for (; ox + 8 <= n_out; ox += 8) {
            const __m128i ones = _mm_set1_epi16(1), bias = _mm_set1_epi32(32768);
            __m128i a = _mm_madd_epi16(_mm_loadu_si128((const __m128i *)(sums + 2 * ox)), ones);
            __m128i b = _mm_madd_epi16(_mm_loadu_si128((const __m128i *)(sums + 2 * ox + 8)), ones);
            __m128i packed = _mm_packs_epi32(_mm_sub_epi32(a, bias), _mm_sub_epi32(b, bias));
            _mm_storeu_si128((__m128i *)(totals + ox), _mm_xor_si128(packed, _mm_set1_epi16(-32768)));
        }
#endif
        for (; ox < n_out; ox++)
            totals[ox] = (uint16_t)(sums[2 * ox] + sums[2 * ox + 1]);
        return;
    case 3:
        for (; ox < n_out; ox++)
            totals[ox] = (uint16_t)(sums[3 * ox] + sums[3 * ox + 1] + sums[3 * ox + 2]);
        return;
    case 4:
        for (; ox < n_out; ox++)
            totals[ox] = (uint16_t)(sums[4 * ox] + sums[4 * ox + 1] + sums[4 * ox + 2] + sums[4 * ox + 3]);
        return;
    default:
        for (; ox < n_out; ox++) {
            uint16_t t = 0;
            for (ptrdiff_t i = 0; i < fx; i++)
                t += sums[fx * ox + i];
            totals[ox] = t;
        }
    }
}

/* acc[x] = sum over j of weights[j] * rows[j][x], weights in Q15. */
static void ocr_weigh_rows(const uint8_t *const *rows, const uint16_t *weights, ptrdiff_t count,
                           uint32_t *acc, ptrdiff_t n)
{
    const uint8_t *row = rows[0];
    uint32_t w = weights[0];
    for (ptrdiff_t x = 0; x < n; x++)
        acc[x] = w * row[x];
    for (ptrdiff_t j = 1; j < count; j++) {
        row = rows[j];
        w = weights[j];
        for (ptrdiff_t x = 0; x < n; x++)
            acc[x] += w * row[x];
    }
}

/* The source pixels an output pixel covers, and where their weights start. */
typedef struct {
    ptrdiff_t first, count, offset;
} ocr_span;

/* dst[o] = sum over i of weights[offset + i] * acc[first + i], rounded from Q30. */
static void ocr_weigh_cols(const uint32_t *acc, const ocr_span *spans, const uint16_t *weights,
                           uint8_t *dst, ptrdiff_t n_out)
{
    for (ptrdiff_t o = 0; o < n_out; o++) {
        const uint32_t *a = acc + spans[o].first;
        const uint16_t *w = weights + spans[o].offset;
        uint64_t s = 1ull << (2 * OCR_AREA_BITS - 1);
        for (ptrdiff_t i = 0; i < spans[o].count; i++)
            s += (uint64_t)w[i] * a[i];
        dst[o] = (uint8_t)(s >> (2 * OCR_AREA_BITS));
    }
}

#endif
