/* Row loops of area resampling (ext/resize.pyx), in plain C so that they vectorize;
 * bicubic's are at the end.
 *
 * Both paths run a vertical pass first (whole source rows, contiguous: the loops
 * compilers vectorize), then a horizontal pass over one row of column sums, which is
 * 1/fy of the data:
 * - integer factors: exact block sums in 16 bits, then the rounded mean;
 * - any factor: coverage weights in Q14 (each output's weights sum to exactly 1 << 14),
 *   column sums rounded to 16 bits (Q7), so that both passes can use pmaddwd.
 */
#ifndef OCR_RESIZE_ROWS_H
#define OCR_RESIZE_ROWS_H

#include "ocr_simd.h"

#define OCR_AREA_BITS 14   /* weights; the column sums keep 7 fractional bits */
#define OCR_SUM_BITS 7

/* sums[x] = rows[0][x] + ... + rows[count - 1][x]; count * 255 must fit 16 bits.
 * Two rows a pass, so the sums row is read and written half as often. */
static void ocr_sum_rows(const uint8_t *const *rows, ptrdiff_t count, uint16_t *OCR_RESTRICT sums,
                         ptrdiff_t n)
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

/* totals[ox] = sums[fx * ox] + ... + sums[fx * ox + fx - 1], sums below 1 << 15 (blocks
 * of at most 256 pixels) and readable up to sums[fx * n_out]. */
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
    case 4:
#ifdef OCR_SSE2
        /* four sums from each block start (the fourth weighted 0 for triples: sums must
         * be readable one past the row), two blocks per pmaddwd, then the pairs added */
        for (; ox + 8 <= n_out; ox += 8) {
            const __m128i ones = _mm_set_epi16(fx == 4, 1, 1, 1, fx == 4, 1, 1, 1);
            const __m128i bias = _mm_set1_epi32(32768);
            __m128i t[2];
            for (int k = 0; k < 2; k++) {
                const uint16_t *p = sums + fx * (ox + 4 * k);
                __m128i x01 = _mm_unpacklo_epi64(_mm_loadl_epi64((const __m128i *)p),
                                                 _mm_loadl_epi64((const __m128i *)(p + fx)));
                __m128i x23 = _mm_unpacklo_epi64(_mm_loadl_epi64((const __m128i *)(p + 2 * fx)),
                                                 _mm_loadl_epi64((const __m128i *)(p + 3 * fx)));
                __m128 p01 = _mm_castsi128_ps(_mm_madd_epi16(x01, ones));
                __m128 p23 = _mm_castsi128_ps(_mm_madd_epi16(x23, ones));
                __m128i lo = _mm_castps_si128(_mm_shuffle_ps(p01, p23, _MM_SHUFFLE(2, 0, 2, 0)));
                __m128i hi = _mm_castps_si128(_mm_shuffle_ps(p01, p23, _MM_SHUFFLE(3, 1, 3, 1)));
                t[k] = _mm_sub_epi32(_mm_add_epi32(lo, hi), bias);
            }
            __m128i packed = _mm_packs_epi32(t[0], t[1]);
            _mm_storeu_si128((__m128i *)(totals + ox), _mm_xor_si128(packed, _mm_set1_epi16(-32768)));
        }
#endif
        for (; ox < n_out; ox++)
            totals[ox] = (uint16_t)(sums[fx * ox] + sums[fx * ox + 1] + sums[fx * ox + 2]
                                    + (fx == 4 ? sums[fx * ox + 3] : 0));
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

/* sums[x] = sum over j < count of weights[j] * rows[j][x], from Q14 weights rounded to Q7
 * (at most 255 << 7, which pmaddwd's signed lanes hold). 16 columns at a time through
 * all the rows, two rows per pmaddwd, so the running sums stay in registers. */
static void ocr_weigh_rows(const uint8_t *const *rows, const uint16_t *weights, ptrdiff_t count,
                           uint16_t *OCR_RESTRICT sums, ptrdiff_t n)
{
    const uint32_t half = 1u << (OCR_AREA_BITS - OCR_SUM_BITS - 1);
    ptrdiff_t x = 0;
#ifdef OCR_SSE2
    const __m128i zero = _mm_setzero_si128(), round = _mm_set1_epi32((int)half);
    for (; x + 16 <= n; x += 16) {
        __m128i acc[4] = {round, round, round, round};
        for (ptrdiff_t j = 0; j < count; j += 2) {
            /* an odd last row is paired with itself, weighted 0 */
            ptrdiff_t k = j + 1 < count ? j + 1 : j;
            uint32_t w1 = j + 1 < count ? weights[j + 1] : 0;
            __m128i w = _mm_set1_epi32((int)(weights[j] | (w1 << 16)));
            __m128i a = _mm_loadu_si128((const __m128i *)(rows[j] + x));
            __m128i b = _mm_loadu_si128((const __m128i *)(rows[k] + x));
            __m128i ab_lo = _mm_unpacklo_epi8(a, zero), ab_hi = _mm_unpackhi_epi8(a, zero);
            __m128i b_lo = _mm_unpacklo_epi8(b, zero), b_hi = _mm_unpackhi_epi8(b, zero);
            acc[0] = _mm_add_epi32(acc[0], _mm_madd_epi16(_mm_unpacklo_epi16(ab_lo, b_lo), w));
            acc[1] = _mm_add_epi32(acc[1], _mm_madd_epi16(_mm_unpackhi_epi16(ab_lo, b_lo), w));
            acc[2] = _mm_add_epi32(acc[2], _mm_madd_epi16(_mm_unpacklo_epi16(ab_hi, b_hi), w));
            acc[3] = _mm_add_epi32(acc[3], _mm_madd_epi16(_mm_unpackhi_epi16(ab_hi, b_hi), w));
        }
        for (int i = 0; i < 4; i += 2) {
            __m128i lo = _mm_srli_epi32(acc[i], OCR_AREA_BITS - OCR_SUM_BITS);
            __m128i hi = _mm_srli_epi32(acc[i + 1], OCR_AREA_BITS - OCR_SUM_BITS);
            _mm_storeu_si128((__m128i *)(sums + x + 4 * i), _mm_packs_epi32(lo, hi));
        }
    }
#endif
    /* the rest (all of it without SSE2) a row at a time through 64 columns, a loop
     * compilers vectorize for other targets */
    while (x < n) {
        uint32_t acc[64];
        ptrdiff_t m = n - x < 64 ? n - x : 64;
        for (ptrdiff_t i = 0; i < m; i++)
            acc[i] = half;
        for (ptrdiff_t j = 0; j < count; j++) {
            const uint8_t *row = rows[j] + x;
            uint32_t w = weights[j];
            for (ptrdiff_t i = 0; i < m; i++)
                acc[i] += w * row[i];
        }
        for (ptrdiff_t i = 0; i < m; i++)
            sums[x + i] = (uint16_t)(acc[i] >> (OCR_AREA_BITS - OCR_SUM_BITS));
        x += m;
    }
}

/* The source pixels an output pixel covers, and where their weights start. */
typedef struct {
    ptrdiff_t first, count, offset;
} ocr_span;

#define OCR_ROUND_SHIFT (OCR_AREA_BITS + OCR_SUM_BITS)

/* dst[o] = sum over i < taps of weights[taps * o + i] * sums[spans[o].first + i], rounded.
 * Every output has `taps` weights (zero past its span) and sums is readable (zeros) up to
 * spans[o].first + taps. Four taps, the most for factors up to 3, go four outputs at a
 * time through pmaddwd; the sums stay below 255 << 21, in int32. */
static void ocr_weigh_cols(const uint16_t *sums, const ocr_span *spans, const int16_t *weights,
                           ptrdiff_t taps, uint8_t *dst, ptrdiff_t n_out)
{
    ptrdiff_t o = 0;
#ifdef OCR_SSE2
    if (taps == 4) {
        const __m128i half = _mm_set1_epi32(1 << (OCR_ROUND_SHIFT - 1));
        for (; o + 8 <= n_out; o += 8) {
            __m128i means[2];
            for (int k = 0; k < 2; k++) {
                const ocr_span *sp = spans + o + 4 * k;
                const __m128i *w = (const __m128i *)(weights + 4 * (o + 4 * k));
                __m128i x01 = _mm_unpacklo_epi64(_mm_loadl_epi64((const __m128i *)(sums + sp[0].first)),
                                                 _mm_loadl_epi64((const __m128i *)(sums + sp[1].first)));
                __m128i x23 = _mm_unpacklo_epi64(_mm_loadl_epi64((const __m128i *)(sums + sp[2].first)),
                                                 _mm_loadl_epi64((const __m128i *)(sums + sp[3].first)));
                /* pair sums (taps 0+1, 2+3) of outputs 0, 1 and 2, 3; then add the pairs */
                __m128 p01 = _mm_castsi128_ps(_mm_madd_epi16(x01, _mm_loadu_si128(w)));
                __m128 p23 = _mm_castsi128_ps(_mm_madd_epi16(x23, _mm_loadu_si128(w + 1)));
                __m128i lo = _mm_castps_si128(_mm_shuffle_ps(p01, p23, _MM_SHUFFLE(2, 0, 2, 0)));
                __m128i hi = _mm_castps_si128(_mm_shuffle_ps(p01, p23, _MM_SHUFFLE(3, 1, 3, 1)));
                means[k] = _mm_srli_epi32(_mm_add_epi32(_mm_add_epi32(lo, hi), half), OCR_ROUND_SHIFT);
            }
            __m128i packed = _mm_packs_epi32(means[0], means[1]);
            _mm_storel_epi64((__m128i *)(dst + o), _mm_packus_epi16(packed, packed));
        }
    }
#endif
    for (; o < n_out; o++) {
        const uint16_t *a = sums + spans[o].first;
        const int16_t *w = weights + taps * o;
        int32_t s = 1 << (OCR_ROUND_SHIFT - 1);
        if (taps == 4) {
            s += w[0] * a[0] + w[1] * a[1] + w[2] * a[2] + w[3] * a[3];
        } else {
            for (ptrdiff_t i = 0; i < taps; i++)
                s += w[i] * a[i];
        }
        dst[o] = (uint8_t)(s >> OCR_ROUND_SHIFT);
    }
}

/* Bicubic enlarging (cubic_resize), separable in fixed point like OpenCV's INTER_CUBIC:
 * each source row is resampled horizontally once into a row of int16, and each output
 * row is four of those rows weighed together, both passes through pmaddwd.
 * - Tap weights are Q14 (Keys' weights lie in -0.075..1); each output's four sum to
 *   exactly 1 << 14, so constant images stay constant and the identity is exact.
 * - Resampled rows are Q7 biased by -128 (v * 128 - 16384): bicubic overshoot keeps v
 *   within -32..287, which Q7 alone would not fit in 16 bits; the vertical pass adds
 *   the bias back, exact since its weights sum to 1 << 14.
 * Within 0.1 level of the float computation. */
#define OCR_CUBIC_BITS 14
#define OCR_CUBIC_ROW_BITS 7
#define OCR_CUBIC_BIAS (128 << OCR_CUBIC_ROW_BITS)
#define OCR_CUBIC_PAD 2   /* taps reach two pixels beyond either end of a row */

/* pad[i] = row[clamp(i - 2, 0, n - 1)] for i < n + 4: the row widened to 16 bits with
 * its edge pixels repeated, so the taps need no clamping. */
static void ocr_cubic_pad_row(const uint8_t *OCR_RESTRICT row, ptrdiff_t n, int16_t *OCR_RESTRICT pad)
{
    pad[0] = pad[1] = row[0];
    for (ptrdiff_t i = 0; i < n; i++)
        pad[i + OCR_CUBIC_PAD] = row[i];
    pad[n + 2] = pad[n + 3] = row[n - 1];
}

#ifdef OCR_SSE2
/* Four outputs from the padded row: pair sums (taps 0+1, 2+3) of outputs 0, 1 and 2, 3
 * through pmaddwd, then the pairs added. w01, w23: their weights. */
static inline __m128i ocr_cubic4(const int16_t *pad, const ptrdiff_t *f, __m128i w01, __m128i w23,
                                 __m128i round)
{
    __m128i x01 = _mm_unpacklo_epi64(_mm_loadl_epi64((const __m128i *)(pad + f[0])),
                                     _mm_loadl_epi64((const __m128i *)(pad + f[1])));
    __m128i x23 = _mm_unpacklo_epi64(_mm_loadl_epi64((const __m128i *)(pad + f[2])),
                                     _mm_loadl_epi64((const __m128i *)(pad + f[3])));
    __m128 p01 = _mm_castsi128_ps(_mm_madd_epi16(x01, w01));
    __m128 p23 = _mm_castsi128_ps(_mm_madd_epi16(x23, w23));
    __m128i lo = _mm_castps_si128(_mm_shuffle_ps(p01, p23, _MM_SHUFFLE(2, 0, 2, 0)));
    __m128i hi = _mm_castps_si128(_mm_shuffle_ps(p01, p23, _MM_SHUFFLE(3, 1, 3, 1)));
    return _mm_srai_epi32(_mm_add_epi32(_mm_add_epi32(lo, hi), round),
                          OCR_CUBIC_BITS - OCR_CUBIC_ROW_BITS);
}
#endif

/* One output of ocr_cubic_rows, in scalar. >> of a negative int is arithmetic on every
 * compiler we build with (as psrad). */
static inline int16_t ocr_cubic1(const int16_t *a, const int16_t *w)
{
    const int shift = OCR_CUBIC_BITS - OCR_CUBIC_ROW_BITS;
    int32_t s = w[0] * a[0] + w[1] * a[1] + w[2] * a[2] + w[3] * a[3];
    return (int16_t)((s + (1 << (shift - 1)) - (OCR_CUBIC_BIAS << shift)) >> shift);
}

/* dst[o] = sum over k < 4 of weights[4o + k] * pad[first[o] + k], rounded to biased Q7,
 * with first[] indexing the padded row, for one row (pad1 == NULL) or two (pad1, dst1):
 * two rows share the loads of first[] and of the weights. The sums stay within +-2**23. */
static void ocr_cubic_rows(const int16_t *pad0, const int16_t *pad1, const ptrdiff_t *first,
                           const int16_t *weights, int16_t *OCR_RESTRICT dst0,
                           int16_t *OCR_RESTRICT dst1, ptrdiff_t n_out)
{
    ptrdiff_t o = 0;
#ifdef OCR_SSE2
    const int shift = OCR_CUBIC_BITS - OCR_CUBIC_ROW_BITS;
    const __m128i round = _mm_set1_epi32((1 << (shift - 1)) - (OCR_CUBIC_BIAS << shift));
    for (; o + 8 <= n_out; o += 8) {
        const __m128i *w = (const __m128i *)(weights + 4 * o);
        __m128i w0 = _mm_loadu_si128(w), w1 = _mm_loadu_si128(w + 1);
        __m128i w2 = _mm_loadu_si128(w + 2), w3 = _mm_loadu_si128(w + 3);
        __m128i a = ocr_cubic4(pad0, first + o, w0, w1, round);
        __m128i b = ocr_cubic4(pad0, first + o + 4, w2, w3, round);
        _mm_storeu_si128((__m128i *)(dst0 + o), _mm_packs_epi32(a, b));
        if (pad1) {
            a = ocr_cubic4(pad1, first + o, w0, w1, round);
            b = ocr_cubic4(pad1, first + o + 4, w2, w3, round);
            _mm_storeu_si128((__m128i *)(dst1 + o), _mm_packs_epi32(a, b));
        }
    }
#endif
    for (; o < n_out; o++) {
        dst0[o] = ocr_cubic1(pad0 + first[o], weights + 4 * o);
        if (pad1)
            dst1[o] = ocr_cubic1(pad1 + first[o], weights + 4 * o);
    }
}

#ifdef OCR_SSE2
static inline __m128i ocr_cubic_weights(const int16_t *w)
{
    return _mm_set1_epi32((int32_t)((uint16_t)w[0] | (uint32_t)(uint16_t)w[1] << 16));
}

/* Eight outputs from rows interleaved in pairs (ab: rows 0 and 1, cd: rows 2 and 3). */
static inline __m128i ocr_cubic8(__m128i ab_lo, __m128i ab_hi, __m128i cd_lo, __m128i cd_hi,
                                 __m128i w01, __m128i w23, __m128i round)
{
    const int shift = OCR_CUBIC_BITS + OCR_CUBIC_ROW_BITS;
    __m128i lo = _mm_add_epi32(_mm_madd_epi16(ab_lo, w01), _mm_madd_epi16(cd_lo, w23));
    __m128i hi = _mm_add_epi32(_mm_madd_epi16(ab_hi, w01), _mm_madd_epi16(cd_hi, w23));
    return _mm_packs_epi32(_mm_srai_epi32(_mm_add_epi32(lo, round), shift),
                           _mm_srai_epi32(_mm_add_epi32(hi, round), shift));
}

/* Sixteen outputs at x, and sixteen more by the second weights when `both`. */
static inline void ocr_cubic16(const int16_t *r0, const int16_t *r1, const int16_t *r2,
                               const int16_t *r3, ptrdiff_t x, __m128i w01, __m128i w23,
                               __m128i v01, __m128i v23, __m128i round, uint8_t *dst,
                               uint8_t *dst1, int both)
{
    __m128i out[2], out1[2];
    for (int k = 0; k < 2; k++) {
        __m128i a = _mm_loadu_si128((const __m128i *)(r0 + x + 8 * k));
        __m128i b = _mm_loadu_si128((const __m128i *)(r1 + x + 8 * k));
        __m128i c = _mm_loadu_si128((const __m128i *)(r2 + x + 8 * k));
        __m128i d = _mm_loadu_si128((const __m128i *)(r3 + x + 8 * k));
        __m128i ab_lo = _mm_unpacklo_epi16(a, b), ab_hi = _mm_unpackhi_epi16(a, b);
        __m128i cd_lo = _mm_unpacklo_epi16(c, d), cd_hi = _mm_unpackhi_epi16(c, d);
        out[k] = ocr_cubic8(ab_lo, ab_hi, cd_lo, cd_hi, w01, w23, round);
        if (both)
            out1[k] = ocr_cubic8(ab_lo, ab_hi, cd_lo, cd_hi, v01, v23, round);
    }
    _mm_storeu_si128((__m128i *)(dst + x), _mm_packus_epi16(out[0], out[1]));
    if (both)
        _mm_storeu_si128((__m128i *)(dst1 + x), _mm_packus_epi16(out1[0], out1[1]));
}
#endif

/* dst[x] = the four biased Q7 rows weighed by w (Q14), unbiased, rounded and clamped
 * to 0..255; and dst1 from the same rows by w1 when dst1 is not NULL (enlarging, an
 * output row often shares its source rows with the next: one load and interleave of
 * the rows for both). The sums stay within +-2**30. */
static void ocr_cubic_cols(const int16_t *r0, const int16_t *r1, const int16_t *r2,
                           const int16_t *r3, const int16_t *w, uint8_t *OCR_RESTRICT dst,
                           const int16_t *w1, uint8_t *OCR_RESTRICT dst1, ptrdiff_t n)
{
    const int shift = OCR_CUBIC_BITS + OCR_CUBIC_ROW_BITS;
    const int32_t offset = (1 << (shift - 1)) + (OCR_CUBIC_BIAS << OCR_CUBIC_BITS);
    ptrdiff_t x = 0;
#ifdef OCR_SSE2
    const __m128i round = _mm_set1_epi32(offset);
    const __m128i w01 = ocr_cubic_weights(w), w23 = ocr_cubic_weights(w + 2);
    const __m128i v01 = dst1 ? ocr_cubic_weights(w1) : w01, v23 = dst1 ? ocr_cubic_weights(w1 + 2) : w23;
    if (dst1) {
        for (; x + 16 <= n; x += 16)
            ocr_cubic16(r0, r1, r2, r3, x, w01, w23, v01, v23, round, dst, dst1, 1);
    } else {
        for (; x + 16 <= n; x += 16)
            ocr_cubic16(r0, r1, r2, r3, x, w01, w23, w01, w23, round, dst, NULL, 0);
    }
#endif
    /* the rest (all of it without SSE2), loops compilers vectorize */
    for (int j = 0; j < 2; j++) {
        const int16_t *v = j ? w1 : w;
        uint8_t *OCR_RESTRICT o = j ? dst1 : dst;
        if (o == NULL)
            break;
        for (ptrdiff_t i = x; i < n; i++) {
            int32_t s = v[0] * r0[i] + v[1] * r1[i] + v[2] * r2[i] + v[3] * r3[i];
            s = (s + offset) >> shift;
            o[i] = (uint8_t)(s < 0 ? 0 : (s > 255 ? 255 : s));
        }
    }
}

#endif
