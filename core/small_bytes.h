/* small_bytes.h - memcpy and memcmp for the short strings of the hot paths
 * (the XML readers' element texts, the engine's keys and queued values).
 *
 * Contract:
 * - copy_small(dst, src, n) is memcpy(dst, src, n) (the ranges must not
 *   overlap).
 * - same_small(x, y, n) is memcmp(x, y, n) == 0.
 * - hash_small(h, s, n) mixes n and the n bytes at s into h (mix_small a
 *   word): for the hash tables of short texts (the engine's aggregation
 *   keys, evidence places), where only the slot depends on it and the bytes
 *   decide a match; the same bytes give the same hash.
 * Up to 16 bytes each is a few loads in line, with no call: most texts here
 * (codes, amounts, dates, names) are that short, and a call to the C
 * library costs more than the work. Both read and write only the n bytes,
 * never past them: two loads that may overlap cover 4 to 16 bytes, the
 * first, middle and last byte cover 1 to 3.
 */
#ifndef RHV_SMALL_BYTES_H
#define RHV_SMALL_BYTES_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

static inline __attribute__((always_inline)) void copy_small(char *dst, const char *src, size_t n)
{
    if (n > 16) {
        memcpy(dst, src, n);
    } else if (n >= 8) {
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
    } else if (n > 0) {
        char a = src[0], b = src[n / 2], c = src[n - 1];
        dst[0] = a;
        dst[n / 2] = b;
        dst[n - 1] = c;
    }
}

static inline __attribute__((always_inline)) bool same_small(const char *x, const char *y, size_t n)
{
    if (n >= 8 && n <= 16) {
        uint64_t x0, x1, y0, y1;
        memcpy(&x0, x, 8);
        memcpy(&y0, y, 8);
        memcpy(&x1, x + n - 8, 8);
        memcpy(&y1, y + n - 8, 8);
        return ((x0 ^ y0) | (x1 ^ y1)) == 0;
    }
    if (n >= 4 && n < 8) {
        uint32_t x0, x1, y0, y1;
        memcpy(&x0, x, 4);
        memcpy(&y0, y, 4);
        memcpy(&x1, x + n - 4, 4);
        memcpy(&y1, y + n - 4, 4);
        return ((x0 ^ y0) | (x1 ^ y1)) == 0;
    }
    if (n < 4)
        return n == 0 || (x[0] == y[0] && x[n / 2] == y[n / 2] && x[n - 1] == y[n - 1]);
    return memcmp(x, y, n) == 0;
}

static inline __attribute__((always_inline)) uint64_t mix_small(uint64_t h, uint64_t w)
{
    h = (h ^ w) * 0xFF51AFD7ED558CCDu;
    return h ^ (h >> 32);
}

/* In words, as the loads above read: two overlapping loads inside
 * [s, s + n) for up to 16 bytes. */
static inline __attribute__((always_inline)) uint64_t hash_small(uint64_t h, const char *s, size_t n)
{
    uint64_t w;
    h = mix_small(h, n); /* the length first: the overlapping loads below are then unambiguous */
    if (n >= 8) {
        for (size_t i = 0; i + 8 < n; i += 8) {
            memcpy(&w, s + i, 8);
            h = mix_small(h, w);
        }
        memcpy(&w, s + n - 8, 8);
        h = mix_small(h, w);
    } else if (n >= 4) {
        uint32_t x, z;
        memcpy(&x, s, 4);
        memcpy(&z, s + n - 4, 4);
        h = mix_small(h, (uint64_t)x << 32 | z);
    } else if (n) {
        h = mix_small(h, (uint64_t)(uint8_t)s[0] << 16 | (uint64_t)(uint8_t)s[n / 2] << 8 | (uint8_t)s[n - 1]);
    }
    return h;
}

#endif
