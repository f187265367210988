/* copy_small.h - memcpy for the short strings of the XML readers' hot path.
 *
 * Contract: copy_small(dst, src, n) is memcpy(dst, src, n) (the ranges must
 * not overlap). Up to 16 bytes it is a few moves in line, with no call: most
 * element texts (codes, amounts, dates, names) are that short, and a call to
 * the C library's memcpy costs more than the copy. It reads and writes only
 * the n bytes, never past them.
 */
#ifndef RHV_COPY_SMALL_H
#define RHV_COPY_SMALL_H

#include <stdint.h>
#include <string.h>

static inline void copy_small(char *dst, const char *src, size_t n)
{
    if (n > 16) {
        memcpy(dst, src, n);
    } else if (n >= 8) { /* two 8-byte moves that may overlap */
        uint64_t a, b;
        memcpy(&a, src, 8);
        memcpy(&b, src + n - 8, 8);
        memcpy(dst, &a, 8);
        memcpy(dst + n - 8, &b, 8);
    } else if (n >= 4) {
        uint32_t a, b;
        memcpy(&a, src, 4);
        memcpy(&b, src + n - 4, 4);
        memcpy(dst, &a, 4);
        memcpy(dst + n - 4, &b, 4);
    } else if (n > 0) { /* 1 to 3 bytes: first, middle, last */
        char a = src[0], b = src[n / 2], c = src[n - 1];
        dst[0] = a;
        dst[n / 2] = b;
        dst[n - 1] = c;
    }
}

#endif
