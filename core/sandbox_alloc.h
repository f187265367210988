/* sandbox_alloc.h - the memory cap of one rule state (part of the sandbox).
 *
 * Contract:
 * - sb_heap_alloc is a lua_Alloc whose ud is a sb_heap. It refuses (returns
 *   NULL) any allocation or growth that would take `used` over `limit`; Lua
 *   turns that into LUA_ERRMEM and the state stays usable. Shrinking and
 *   freeing always succeed. The cap counts the sizes Lua asks for.
 * - Blocks up to SB_SMALL_MAX bytes come from the heap's own 64 KiB slabs,
 *   recycled through a free list per 8-byte size class (Lua passes every
 *   block's size back, so they need no header). They stay with the heap until
 *   sb_heap_release, which frees every slab: call it after lua_close.
 * - A heap is used by one thread at a time (its state's), so no lock.
 */
#ifndef RHV_SANDBOX_ALLOC_H
#define RHV_SANDBOX_ALLOC_H

#include <stddef.h>

#include <lua.h>

#define SB_SMALL_MAX 256
#define SB_SMALL_STEP 8

typedef struct {
    size_t limit, used, peak;
    void *free_small[SB_SMALL_MAX / SB_SMALL_STEP + 1]; /* free lists per size class */
    char *bump, *bump_end; /* unused rest of the newest slab */
    void *slabs;           /* every slab, linked through its first word */
} sb_heap;

void *sb_heap_alloc(void *ud, void *ptr, size_t osize, size_t nsize);
void sb_heap_release(sb_heap *h);

/* Grows *p, an array of *cap elements of elem bytes allocated through f/ud
 * (a rule state's lua_Alloc, so that its cap holds), to hold at least need:
 * from first elements, doubling. Returns 0, *p and *cap unchanged, when f
 * refuses or the size would overflow; 1 otherwise (also when it fits). For
 * the C structures a rule's state owns (aggregations, evidence lists). */
int sb_grow(lua_Alloc f, void *ud, void **p, size_t *cap, size_t elem, size_t need, size_t first);

#endif
