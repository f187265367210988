/* slot_index.h - the index of a hash table whose entries live in an array of
 * their own: open addressing, a slot holds an entry's number + 1 (0: empty),
 * a power-of-two count of slots, linear probing.
 *
 * Contract:
 * - slot_index_empty(sl, ns, h) is the first empty slot on h's probe path;
 *   the index must have one (callers keep it at most 3/4 full).
 * - slot_index_fill(sl, ns, items, n, stride, hash_off) puts entries 0..n-1
 *   into sl (ns slots, all empty): entry k's uint64_t hash is at
 *   items + k * stride + hash_off. Done when the index is rebuilt larger; the
 *   entries keep their numbers.
 * Lookups compare entries in their own way (the engine's aggregation keys,
 * the evidence places): they walk the probe path themselves.
 */
#ifndef RHV_SLOT_INDEX_H
#define RHV_SLOT_INDEX_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline size_t slot_index_empty(const uint32_t *sl, size_t ns, uint64_t h)
{
    size_t i = (size_t)h & (ns - 1);
    while (sl[i])
        i = (i + 1) & (ns - 1);
    return i;
}

static inline void slot_index_fill(uint32_t *sl, size_t ns, const void *items, size_t n, size_t stride,
                                   size_t hash_off)
{
    const char *at = (const char *)items + hash_off;
    for (size_t k = 0; k < n; k++, at += stride) {
        uint64_t h;
        memcpy(&h, at, sizeof h);
        sl[slot_index_empty(sl, ns, h)] = (uint32_t)(k + 1);
    }
}

#endif
