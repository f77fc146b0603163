/* Row loops of bilinear rotation (ext/rotate.pyx), in plain C for SSE2 intrinsics.
 *
 * Source positions are 16.16 fixed point, as OpenCV's warpAffine does it: the position
 * of output pixel x on row y is ax[x] + bx(y) (and ay[x] + by(y)), each term rounded
 * from the exact double once, so the position is within 2**-16 px of the exact mapping.
 * The interpolation weights are the fraction rounded to Q14 (OpenCV uses 1/32 px), and
 * the blend along x is rounded to Q7 before the blend along y: within 0.03 level of
 * the float bilinear value.
 *
 * A row splits into spans, found by binary search since positions are monotone in x:
 * fill | border | interior | border | fill, where the interior has all four neighbours
 * inside the source (the vector loop), the border some (scalar, `fill` for the others).
 */
#ifndef OCR_ROTATE_ROWS_H
#define OCR_ROTATE_ROWS_H

#include "ocr_simd.h"

#define OCR_ROT_BITS 16
#define OCR_ROT_ONE (1 << OCR_ROT_BITS)
#define OCR_ROT_WBITS 14
#define OCR_ROT_W (1 << OCR_ROT_WBITS)

/* The weight of the second neighbour along an axis, 0..16384: the fraction of the
 * 16.16 position, rounded to Q14. */
static inline int32_t ocr_rot_weight(int32_t pos)
{
    return ((pos & (OCR_ROT_ONE - 1)) + (1 << (OCR_ROT_BITS - OCR_ROT_WBITS - 1))) >> (OCR_ROT_BITS - OCR_ROT_WBITS);
}

/* Bilinear blend of the four neighbours at 16.16 position (X, Y): along x in Q14,
 * rounded to Q7 (at most 255 << 7, 16 bits, as the vector loop needs), then along y
 * (below 2**29). */
static inline uint8_t ocr_rot_blend(int32_t p00, int32_t p01, int32_t p10, int32_t p11,
                                    int32_t X, int32_t Y)
{
    const int down = OCR_ROT_WBITS + 7;
    int32_t wx = ocr_rot_weight(X), wy = ocr_rot_weight(Y);
    int32_t top = (p00 * (OCR_ROT_W - wx) + p01 * wx + (1 << (OCR_ROT_WBITS - 7 - 1))) >> (OCR_ROT_WBITS - 7);
    int32_t bottom = (p10 * (OCR_ROT_W - wx) + p11 * wx + (1 << (OCR_ROT_WBITS - 7 - 1))) >> (OCR_ROT_WBITS - 7);
    return (uint8_t)((top * (OCR_ROT_W - wy) + bottom * wy + (1 << (down - 1))) >> down);
}

/* [*start, *end): the x < n with lo <= a[x] + b < hi, an interval as a is monotone
 * (rounded values of a linear function). */
static void ocr_rot_span(const int32_t *a, ptrdiff_t n, int64_t b, int64_t lo, int64_t hi,
                         ptrdiff_t *start, ptrdiff_t *end)
{
    int rising = a[n - 1] >= a[0];
    ptrdiff_t bound[2];
    for (int k = 0; k < 2; k++) {
        /* the first x past the bound: a[x] + b >= (lo, hi) rising, < (hi, lo) falling */
        int64_t v = rising ? (k ? hi : lo) : (k ? lo : hi);
        ptrdiff_t first = 0, last = n;
        while (first < last) {
            ptrdiff_t mid = first + (last - first) / 2;
            int past = rising ? a[mid] + b >= v : a[mid] + b < v;
            if (past)
                last = mid;
            else
                first = mid + 1;
        }
        bound[k] = first;
    }
    *start = bound[0];
    *end = bound[1] > bound[0] ? bound[1] : bound[0];
}

/* One output row of n pixels from src (h x w, rows `stride` bytes apart, all below
 * 32768 for the vector loop's 16-bit lanes), positions ax[x] + bx, ay[x] + by. */
static void ocr_rotate_row(const uint8_t *src, ptrdiff_t h, ptrdiff_t w, ptrdiff_t stride,
                           const int32_t *ax, const int32_t *ay, int32_t bx, int32_t by,
                           uint8_t fill, uint8_t *OCR_RESTRICT dst, ptrdiff_t n)
{
    ptrdiff_t in[4], core[4], lo, hi, x;
    /* inside: -1 < position < size; core: all four neighbours inside */
    ocr_rot_span(ax, n, bx, 1 - OCR_ROT_ONE, (int64_t)w << OCR_ROT_BITS, &in[0], &in[1]);
    ocr_rot_span(ay, n, by, 1 - OCR_ROT_ONE, (int64_t)h << OCR_ROT_BITS, &in[2], &in[3]);
    ocr_rot_span(ax, n, bx, 0, (int64_t)(w - 1) << OCR_ROT_BITS, &core[0], &core[1]);
    ocr_rot_span(ay, n, by, 0, (int64_t)(h - 1) << OCR_ROT_BITS, &core[2], &core[3]);
    lo = in[0] > in[2] ? in[0] : in[2];
    hi = in[1] < in[3] ? in[1] : in[3];
    if (hi < lo)
        hi = lo;
    ptrdiff_t c0 = core[0] > core[2] ? core[0] : core[2];
    ptrdiff_t c1 = core[1] < core[3] ? core[1] : core[3];
    if (c1 <= c0)
        c0 = c1 = hi;  /* no core: all border */
    memset(dst, fill, (size_t)lo);
    memset(dst + hi, fill, (size_t)(n - hi));
    /* the border: neighbours outside the source are fill */
    for (x = lo; x < hi; x++) {
        if (x == c0)
            x = c1;
        if (x >= hi)
            break;
        int32_t X = ax[x] + bx, Y = ay[x] + by;
        ptrdiff_t ix = X >> OCR_ROT_BITS, iy = Y >> OCR_ROT_BITS;  /* floor: >> is arithmetic */
        int left = ix >= 0, right = ix + 1 < w, top = iy >= 0, bottom = iy + 1 < h;
        ptrdiff_t i = iy * stride + ix;
        dst[x] = ocr_rot_blend(left && top ? src[i] : fill, right && top ? src[i + 1] : fill,
                               left && bottom ? src[i + stride] : fill,
                               right && bottom ? src[i + stride + 1] : fill, X, Y);
    }
    /* the core */
    x = c0;
#ifdef OCR_SSE2
    {
        const __m128i vbx = _mm_set1_epi32(bx), vby = _mm_set1_epi32(by);
        const __m128i frac = _mm_set1_epi32(OCR_ROT_ONE - 1), high = _mm_set1_epi32((int32_t)0xffff0000u);
        const __m128i wround = _mm_set1_epi32(1 << (OCR_ROT_BITS - OCR_ROT_WBITS - 1));
        const __m128i one = _mm_set1_epi32(OCR_ROT_W), zero = _mm_setzero_si128();
        const __m128i rowstep = _mm_set1_epi32((int32_t)(1 | (uint32_t)stride << 16));
        const __m128i round7 = _mm_set1_epi32(1 << (OCR_ROT_WBITS - 7 - 1));
        const __m128i round = _mm_set1_epi32(1 << (OCR_ROT_WBITS + 7 - 1));
        for (; x + 8 <= c1; x += 8) {
            __m128i v[2];
            for (int k = 0; k < 2; k++) {
                __m128i X = _mm_add_epi32(_mm_loadu_si128((const __m128i *)(ax + x + 4 * k)), vbx);
                __m128i Y = _mm_add_epi32(_mm_loadu_si128((const __m128i *)(ay + x + 4 * k)), vby);
                /* offsets iy * stride + ix through pmaddwd on (ix, iy) pairs; both are
                 * non-negative in the core */
                __m128i pos = _mm_or_si128(_mm_srli_epi32(X, OCR_ROT_BITS), _mm_and_si128(Y, high));
                int32_t off[4];
                _mm_storeu_si128((__m128i *)off, _mm_madd_epi16(pos, rowstep));
                /* each pixel's four neighbours as bytes p00 p01 p10 p11 of one word:
                 * two 16-bit loads straight into the vector (pinsrw) */
                __m128i quad = _mm_setzero_si128();
                for (int i = 0; i < 4; i++) {
                    uint16_t t, b;
                    memcpy(&t, src + off[i], 2);
                    memcpy(&b, src + off[i] + stride, 2);
                    quad = _mm_insert_epi16(quad, t, 2 * i);
                    quad = _mm_insert_epi16(quad, b, 2 * i + 1);
                }
                /* weights (16384 - wx, wx) per pixel, twice: for its top and its bottom */
                __m128i wx = _mm_srli_epi32(_mm_add_epi32(_mm_and_si128(X, frac), wround), OCR_ROT_BITS - OCR_ROT_WBITS);
                __m128i wy = _mm_srli_epi32(_mm_add_epi32(_mm_and_si128(Y, frac), wround), OCR_ROT_BITS - OCR_ROT_WBITS);
                __m128i px = _mm_or_si128(_mm_sub_epi32(one, wx), _mm_slli_epi32(wx, 16));
                __m128i py = _mm_or_si128(_mm_sub_epi32(one, wy), _mm_slli_epi32(wy, 16));
                __m128i tb01 = _mm_madd_epi16(_mm_unpacklo_epi8(quad, zero), _mm_unpacklo_epi32(px, px));
                __m128i tb23 = _mm_madd_epi16(_mm_unpackhi_epi8(quad, zero), _mm_unpackhi_epi32(px, px));
                /* (top, bottom) in Q7 per pixel, then along y */
                __m128i tb = _mm_packs_epi32(_mm_srai_epi32(_mm_add_epi32(tb01, round7), OCR_ROT_WBITS - 7),
                                             _mm_srai_epi32(_mm_add_epi32(tb23, round7), OCR_ROT_WBITS - 7));
                v[k] = _mm_srai_epi32(_mm_add_epi32(_mm_madd_epi16(tb, py), round), OCR_ROT_WBITS + 7);
            }
            __m128i packed = _mm_packs_epi32(v[0], v[1]);
            _mm_storel_epi64((__m128i *)(dst + x), _mm_packus_epi16(packed, packed));
        }
    }
#endif
    for (; x < c1; x++) {
        int32_t X = ax[x] + bx, Y = ay[x] + by;
        const uint8_t *r0 = src + (Y >> OCR_ROT_BITS) * stride + (X >> OCR_ROT_BITS), *r1 = r0 + stride;
        dst[x] = ocr_rot_blend(r0[0], r0[1], r1[0], r1[1], X, Y);
    }
}

#endif
