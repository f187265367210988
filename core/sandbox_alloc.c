/* sandbox_alloc.c - see sandbox_alloc.h
 *
 * The allocator is the only hard memory bound Lua offers: a NULL return
 * becomes LUA_ERRMEM and the state stays usable.
 *
 * Why slabs: Lua states are mostly small blocks (strings, table headers,
 * closures): a rule that remembers 333,333 invoice keys holds that many
 * 56-byte strings. Against malloc, carving them from slabs saves the 8-16
 * bytes of header and rounding per block (several MiB for such a rule) and
 * the time of malloc's bookkeeping. A block's current size alone says where
 * it lives (<= SB_SMALL_MAX: a slab).
 */
#include "sandbox_alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SLAB_BYTES (64 * 1024)

static size_t small_size(size_t n)
{
    return (n + SB_SMALL_STEP - 1) & ~(size_t)(SB_SMALL_STEP - 1);
}

static void *small_alloc(sb_heap *h, size_t n)
{
    size_t c = small_size(n) / SB_SMALL_STEP;
    void *p = h->free_small[c];
    if (p) {
        h->free_small[c] = *(void **)p;
        return p;
    }
    size_t sz = c * SB_SMALL_STEP;
    if ((size_t)(h->bump_end - h->bump) < sz) {
        char *slab = malloc(SLAB_BYTES);
        if (!slab)
            return NULL;
        *(void **)slab = h->slabs;
        h->slabs = slab;
        h->bump = slab + SB_SMALL_STEP; /* keeps 8-byte alignment, as Lua needs */
        h->bump_end = slab + SLAB_BYTES;
    }
    p = h->bump;
    h->bump += sz;
    return p;
}

static void small_free(sb_heap *h, void *p, size_t n)
{
    size_t c = small_size(n) / SB_SMALL_STEP;
    *(void **)p = h->free_small[c];
    h->free_small[c] = p;
}

void *sb_heap_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    sb_heap *h = ud;
    /* With ptr == NULL, osize is a type tag, not a size. */
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        if (ptr) {
            if (old <= SB_SMALL_MAX)
                small_free(h, ptr, old);
            else
                free(ptr);
        }
        h->used -= old;
        return NULL;
    }
    if (nsize > old && h->used - old + nsize > h->limit)
        return NULL;
    void *p;
    if (ptr && old > SB_SMALL_MAX && nsize > SB_SMALL_MAX) {
        p = realloc(ptr, nsize);
        if (!p)
            return NULL;
    } else if (ptr && old <= SB_SMALL_MAX && nsize <= SB_SMALL_MAX && small_size(old) == small_size(nsize)) {
        p = ptr;
    } else {
        p = nsize <= SB_SMALL_MAX ? small_alloc(h, nsize) : malloc(nsize);
        if (!p)
            return NULL;
        if (ptr) {
            memcpy(p, ptr, old < nsize ? old : nsize);
            if (old <= SB_SMALL_MAX)
                small_free(h, ptr, old);
            else
                free(ptr);
        }
    }
    h->used = h->used - old + nsize;
    if (h->used > h->peak)
        h->peak = h->used;
    return p;
}

void sb_heap_release(sb_heap *h)
{
    while (h->slabs) {
        void *next = *(void **)h->slabs;
        free(h->slabs);
        h->slabs = next;
    }
    memset(h->free_small, 0, sizeof h->free_small);
    h->bump = h->bump_end = NULL;
}

int sb_grow(lua_Alloc f, void *ud, void **p, size_t *cap, size_t elem, size_t need, size_t first)
{
    if (need <= *cap)
        return 1;
    size_t ncap = *cap ? *cap : (first ? first : 1);
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2 / elem)
            return 0;
        ncap *= 2;
    }
    void *np = f(ud, *p, *p ? *cap * elem : 0, ncap * elem);
    if (!np)
        return 0;
    *p = np;
    *cap = ncap;
    return 1;
}
