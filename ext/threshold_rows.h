/* Row loops of Sauvola's threshold (ext/threshold.pyx), in plain C for SSE2 intrinsics.
 *
 * Window sums are running sums of whole columns, updated a row at a time, then slid
 * along the row; both are exact integers in uint32, modulo 2**32 while they run, so
 * exact whenever the true sums fit: sums of squares over window * window pixels fit
 * for windows up to 257, and the vector decision converts them as int32, which holds
 * windows up to OCR_SAUVOLA_MAX_WINDOW. Larger windows take the 64-bit path.
 *
 * The decision must be scikit-image's: threshold_sauvola computes, in float64,
 *     m = S1 / n, s = sqrt(max(S2 / n - m * m, 0)), t = m * (1 + k * (s / r - 1))
 * and a pixel is paper where p > t. Two divisions and a square root in double, per
 * pixel, are most of the cost; so the row loop first computes, in float32 (four lanes)
 * and without divisions,
 *     t' = m' * ((1 - k) + (k / (r * n)) * sqrt(max(n * S2 - S1 * S1, 0)))
 * and takes the sign of p - t' wherever |p - t'| exceeds a bound on |t' - t| (see
 * ocr_sauvola_setup). The few pixels within the bound (two in 100,000 on the bench
 * page) get the formula above, in double, op for op. So the result is scikit-image's,
 * bit for bit, at float32 speed.
 */
#ifndef OCR_THRESHOLD_ROWS_H
#define OCR_THRESHOLD_ROWS_H

#include <math.h>

#include "ocr_simd.h"

#define OCR_SAUVOLA_MAX_WINDOW 181   /* 181**2 * 255**2 < 2**31 */

/* cols[x] += a[x] - b[x] and squares[x] += a[x]**2 - b[x]**2, modulo 2**32: a row
 * enters the window, another leaves it. */
static void ocr_window_cols(const uint8_t *a, const uint8_t *b, uint32_t *OCR_RESTRICT cols,
                            uint32_t *OCR_RESTRICT squares, ptrdiff_t n)
{
    ptrdiff_t x = 0;
#ifdef OCR_SSE2
    const __m128i zero = _mm_setzero_si128();
    for (; x + 16 <= n; x += 16) {
        __m128i va = _mm_loadu_si128((const __m128i *)(a + x));
        __m128i vb = _mm_loadu_si128((const __m128i *)(b + x));
        for (int k = 0; k < 2; k++) {
            __m128i a16 = k ? _mm_unpackhi_epi8(va, zero) : _mm_unpacklo_epi8(va, zero);
            __m128i b16 = k ? _mm_unpackhi_epi8(vb, zero) : _mm_unpacklo_epi8(vb, zero);
            /* a - b, sign-extended; a**2 - b**2 = (a - b)(a + b) as the two halves of
             * 16 x 16-bit products */
            __m128i d = _mm_sub_epi16(a16, b16), s = _mm_add_epi16(a16, b16);
            __m128i sign = _mm_srai_epi16(d, 15);
            __m128i lo = _mm_mullo_epi16(d, s), hi = _mm_mulhi_epi16(d, s);
            __m128i *c = (__m128i *)(cols + x + 8 * k), *q = (__m128i *)(squares + x + 8 * k);
            _mm_storeu_si128(c, _mm_add_epi32(_mm_loadu_si128(c), _mm_unpacklo_epi16(d, sign)));
            _mm_storeu_si128(c + 1, _mm_add_epi32(_mm_loadu_si128(c + 1), _mm_unpackhi_epi16(d, sign)));
            _mm_storeu_si128(q, _mm_add_epi32(_mm_loadu_si128(q), _mm_unpacklo_epi16(lo, hi)));
            _mm_storeu_si128(q + 1, _mm_add_epi32(_mm_loadu_si128(q + 1), _mm_unpackhi_epi16(lo, hi)));
        }
    }
#endif
    for (; x < n; x++) {
        int32_t va = a[x], vb = b[x];
        cols[x] += (uint32_t)(va - vb);
        squares[x] += (uint32_t)(va * va - vb * vb);
    }
}

typedef struct {
    double n, k, r;            /* scikit-image's formula, n = window**2 */
    float inv_n, k1, krn;      /* 1 / n, 1 - k, k / (r * n) */
    float tol;                 /* the bound on |t' - t| */
} ocr_sauvola;

/* The bound, for windows up to OCR_SAUVOLA_MAX_WINDOW (u = 2**-24, float32's unit
 * roundoff; S1 < 2**24 converts exactly, S2 does not):
 * - the variance n * S2 - S1 * S1 errs by at most 4u * n * S2 before the scaling by
 *   1 / n**2 (S1**2 and |V| are at most n * S2), and by 2u of the variance after it,
 *   so by at most 6u * 65025 = 0.0233 in all; whence s errs by at most
 *   sqrt(0.0233) < 0.153 (|sqrt(a) - sqrt(b)| <= sqrt(|a - b|)), which t scales by m k / r;
 * - the other roundings are under 8u of t, and t <= m (1 + 127.5 k / r) since s <= 127.5:
 *   under 5e-7 m + 7e-5 m k / r;
 * - scikit-image's own t errs from the exact one by under 1e-8 m k / r + 1e-12
 *   (its variance by a few ulps of 65025; an exact variance is 0, which it gets
 *   exactly, or at least (n - 1) / n**2).
 * So |t' - t| < 0.154 m k / r + 1.3e-4 <= 0.16 * 255 k / r + 1e-3, taken as is for
 * every pixel. A non-finite bound (r tiny) leaves every pixel to the exact formula. */
static void ocr_sauvola_setup(ocr_sauvola *c, ptrdiff_t window, double k, double r)
{
    c->n = (double)window * (double)window;
    c->k = k;
    c->r = r;
    c->inv_n = (float)(1.0 / c->n);
    c->k1 = (float)(1.0 - k);
    c->krn = (float)(k / r / c->n);
    c->tol = (float)(0.16 * 255.0 * k / r + 1e-3);
}

/* scikit-image's decision, op for op (the 64-bit path uses it for every pixel). */
static inline uint8_t ocr_sauvola_exact(uint8_t p, double s1, double s2, const ocr_sauvola *c)
{
    double mean = s1 / c->n;
    double var = s2 / c->n - mean * mean;
    double t = mean * (1.0 + c->k * ((var > 0 ? sqrt(var) : 0.0) / c->r - 1.0));
    return p > t ? 255 : 0;
}

/* The fast decision for one pixel: 255 or 0, or 1 where p lies within the bound of t'. */
static inline uint8_t ocr_sauvola_fast(uint8_t p, uint32_t s1, uint32_t s2, const ocr_sauvola *c)
{
    /* the sums are below 2**31 (the window limit): signed conversions, which vectorize;
     * the result in arithmetic rather than branches, which would not */
    float a = (float)(int32_t)s1, b = (float)(int32_t)s2;
    float v = (float)c->n * b - a * a;
    float t = a * c->inv_n * (c->k1 + c->krn * sqrtf(v > 0.0f ? v : 0.0f));
    float d = (float)p - t;
    int32_t sure = fabsf(d) > c->tol, paper = d > 0;
    return (uint8_t)(255 * (paper & sure) + 1 - sure);
}

#ifdef OCR_SSE2
/* Inclusive prefix sums of four 32-bit lanes. */
static inline __m128i ocr_prefix4(__m128i d)
{
    d = _mm_add_epi32(d, _mm_slli_si128(d, 4));
    return _mm_add_epi32(d, _mm_slli_si128(d, 8));
}

/* Sixteen window sums from x on, given carry = the sum at x - 1 in every lane: the
 * differences cols[x + w - 1] - cols[x - 1], summed up. Returns the new carry. */
static inline __m128i ocr_slide16(const uint32_t *cols, ptrdiff_t w, ptrdiff_t x, __m128i carry,
                                  __m128i box[4])
{
    for (int q = 0; q < 4; q++) {
        const uint32_t *c = cols + x + 4 * q;
        __m128i d = _mm_sub_epi32(_mm_loadu_si128((const __m128i *)(c + w - 1)),
                                  _mm_loadu_si128((const __m128i *)(c - 1)));
        box[q] = _mm_add_epi32(ocr_prefix4(d), carry);
        carry = _mm_shuffle_epi32(box[q], _MM_SHUFFLE(3, 3, 3, 3));
    }
    return carry;
}
#endif

/* dst[x] = 255 where p[x] > t, else 0, for x < n, from the column sums and sums of
 * squares (each n + w - 1 long: the window's columns, reflected ones included), slid
 * along the row into window sums as the decision goes. box: scratch for 2n sums. */
static void ocr_sauvola_row(const uint8_t *p, const uint32_t *cols, const uint32_t *squares,
                            ptrdiff_t w, const ocr_sauvola *c, uint32_t *OCR_RESTRICT box,
                            uint8_t *OCR_RESTRICT dst, ptrdiff_t n)
{
    uint32_t s1 = 0, s2 = 0;
    ptrdiff_t x = 0;
    for (ptrdiff_t j = 0; j < w; j++) {
        s1 += cols[j];
        s2 += squares[j];
    }
#ifdef OCR_SSE2
    const __m128 inv_n = _mm_set1_ps(c->inv_n), nn = _mm_set1_ps((float)c->n);
    const __m128 k1 = _mm_set1_ps(c->k1), krn = _mm_set1_ps(c->krn), tol = _mm_set1_ps(c->tol);
    const __m128 abs_mask = _mm_castsi128_ps(_mm_set1_epi32(0x7fffffff));
    const __m128i zero = _mm_setzero_si128();
    __m128i carry1 = _mm_set1_epi32((int32_t)s1), carry2 = _mm_set1_epi32((int32_t)s2);
    uint8_t v0 = ocr_sauvola_fast(p[0], s1, s2, c);
    dst[0] = v0 == 1 ? ocr_sauvola_exact(p[0], s1, s2, c) : v0;
    for (x = 1; x + 16 <= n; x += 16) {
        __m128i px = _mm_loadu_si128((const __m128i *)(p + x));
        __m128i box1[4], box2[4], d[4];
        __m128 sure = _mm_castsi128_ps(_mm_set1_epi32(-1));
        carry1 = ocr_slide16(cols, w, x, carry1, box1);
        carry2 = ocr_slide16(squares, w, x, carry2, box2);
        for (int q = 0; q < 4; q++) {
            /* the sums are below 2**31 (the window limit): signed conversions will do */
            __m128i p16 = q < 2 ? _mm_unpacklo_epi8(px, zero) : _mm_unpackhi_epi8(px, zero);
            __m128i p32 = q % 2 ? _mm_unpackhi_epi16(p16, zero) : _mm_unpacklo_epi16(p16, zero);
            __m128 a = _mm_cvtepi32_ps(box1[q]), b = _mm_cvtepi32_ps(box2[q]);
            __m128 v = _mm_max_ps(_mm_sub_ps(_mm_mul_ps(nn, b), _mm_mul_ps(a, a)), _mm_setzero_ps());
            __m128 t = _mm_mul_ps(_mm_mul_ps(a, inv_n), _mm_add_ps(k1, _mm_mul_ps(krn, _mm_sqrt_ps(v))));
            __m128 diff = _mm_sub_ps(_mm_cvtepi32_ps(p32), t);
            sure = _mm_and_ps(sure, _mm_cmpgt_ps(_mm_and_ps(diff, abs_mask), tol));
            d[q] = _mm_castps_si128(diff);
        }
        /* paper where p - t' > 0: the float's bits, packed with signed saturation, stay
         * positive (+0 gives 0, ink; it is never sure) */
        __m128i packed = _mm_packs_epi16(_mm_packs_epi32(d[0], d[1]), _mm_packs_epi32(d[2], d[3]));
        _mm_storeu_si128((__m128i *)(dst + x), _mm_cmpgt_epi8(packed, zero));
        if (_mm_movemask_ps(sure) != 0xf) {
            for (int q = 0; q < 4; q++) {
                _mm_storeu_si128((__m128i *)(box + 4 * q), box1[q]);
                _mm_storeu_si128((__m128i *)(box + 16 + 4 * q), box2[q]);
            }
            for (int i = 0; i < 16; i++) {
                uint8_t v = ocr_sauvola_fast(p[x + i], box[i], box[16 + i], c);
                dst[x + i] = v == 1 ? ocr_sauvola_exact(p[x + i], box[i], box[16 + i], c) : v;
            }
        }
    }
    s1 = (uint32_t)_mm_cvtsi128_si32(carry1);
    s2 = (uint32_t)_mm_cvtsi128_si32(carry2);
    for (; x < n; x++) {
        s1 += cols[x + w - 1] - cols[x - 1];
        s2 += squares[x + w - 1] - squares[x - 1];
        uint8_t v = ocr_sauvola_fast(p[x], s1, s2, c);
        dst[x] = v == 1 ? ocr_sauvola_exact(p[x], s1, s2, c) : v;
    }
#else
    /* the window sums a pixel at a time (a scan), then the decision in a loop that
     * compilers vectorize (the sqrt needs -fno-math-errno), then the undecided pixels */
    uint32_t *box2 = box + n;
    uint8_t undecided = 0;
    box[0] = s1;
    box2[0] = s2;
    for (x = 1; x < n; x++) {
        box[x] = box[x - 1] + cols[x + w - 1] - cols[x - 1];
        box2[x] = box2[x - 1] + squares[x + w - 1] - squares[x - 1];
    }
    for (x = 0; x < n; x++) {
        dst[x] = ocr_sauvola_fast(p[x], box[x], box2[x], c);
        undecided |= dst[x] == 1;
    }
    if (undecided) {
        for (x = 0; x < n; x++)
            if (dst[x] == 1)
                dst[x] = ocr_sauvola_exact(p[x], box[x], box2[x], c);
    }
#endif
}

#endif
