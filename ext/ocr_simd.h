/* What the row-loop headers (ext/*_rows.h) share: SSE2 detection and restrict.
 *
 * SSE2 is the x86-64 baseline, so its intrinsics need no runtime dispatch; every SSE2
 * loop has a plain-C twin (its tail, and the whole row elsewhere) written so that
 * compilers vectorize it for other targets. Build with -U__SSE2__ to test the twins.
 */
#ifndef OCR_SIMD_H
#define OCR_SIMD_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__SSE2__) || defined(_M_X64) || (defined(_M_IX86_FP) && _M_IX86_FP >= 2)
#include <emmintrin.h>
#define OCR_SSE2 1
#endif

#ifdef _MSC_VER
#define OCR_RESTRICT __restrict
#else
#define OCR_RESTRICT restrict
#endif

#endif
