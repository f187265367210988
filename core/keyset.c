/* keyset.c - see keyset.h */
#include "keyset.h"
#include "mem_huge.h"

#include <lauxlib.h>
#include <stdbool.h>
#include <string.h>

#define KEYSET_MT "rhv.keyset"
#define MIN_SLOTS 1024

typedef keyset_slot slot;
typedef keyset_c keyset;

/* A 64-bit multiply-mix hash (in the style of wyhash): fast on short keys and
 * well spread, which matters more here than resistance to crafted input,
 * since a collision only produces a signalering that names both records. */
static uint64_t mix(uint64_t a, uint64_t b)
{
    __uint128_t r = (__uint128_t)a * b;
    return (uint64_t)r ^ (uint64_t)(r >> 64);
}

uint64_t keyset_fingerprint(const char *s, size_t len)
{
    const uint64_t k0 = 0xa0761d6478bd642fULL, k1 = 0xe7037ed1a0b428dbULL, k2 = 0x8ebc6af09c88c6e3ULL;
    uint64_t h = mix((uint64_t)len ^ k0, k1);
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        h = mix(h ^ w, k1);
    }
    uint64_t tail = 0;
    for (size_t j = 0; i + j < len; j++)
        tail |= (uint64_t)(unsigned char)s[i + j] << (8 * j);
    h = mix(h ^ tail ^ k2, k1);
    h = mix(h, k0);
    return h ? h : 1;
}

/* The slot of fp in slots (cap of them, a power of two, never full): the
 * one that holds it, or the empty one it would take. Every lookup, insert
 * and rehash probes here. */
static size_t probe(const slot *slots, size_t cap, uint64_t fp)
{
    size_t i = (size_t)fp & (cap - 1);
    while (slots[i].fp && slots[i].fp != fp)
        i = (i + 1) & (cap - 1);
    return i;
}

/* grow()'s bitmap of the old slots whose key has not yet moved. */
static bool is_pending(const uint64_t *pending, size_t i)
{
    return pending[i / 64] >> (i % 64) & 1;
}

static void set_pending(uint64_t *pending, size_t i)
{
    pending[i / 64] |= (uint64_t)1 << (i % 64);
}

static void clear_pending(uint64_t *pending, size_t i)
{
    pending[i / 64] &= ~((uint64_t)1 << (i % 64));
}

/* Doubles the table in place. The block grows (realloc: a large block's
 * pages are remapped, not copied) and every key moves to its slot under the
 * new mask, so the peak is the new table, not the old one beside it (1M
 * ledger lines: 8 MiB instead of 12; 10M: 32 instead of 48). Every old key
 * starts out pending; a pending key is taken out and put at the first slot
 * from its new home that is empty or pending, and a pending key found there
 * is taken out in its turn. Each step settles one key, and a settled key
 * never moves again, so the slots between a key's home and its place stay
 * filled, which is all probe() needs. */
static int grow(keyset *ks, lua_Alloc f, void *ud)
{
    const size_t old = ks->cap, ncap = old ? old * 2 : MIN_SLOTS;
    if (ncap > SIZE_MAX / sizeof(slot))
        return 0;
    const size_t nwords = (old + 63) / 64;
    uint64_t *pending = NULL;
    if (old && !(pending = f(ud, NULL, 0, nwords * sizeof *pending)))
        return 0;
    slot *ns = f(ud, ks->slots, old * sizeof(slot), ncap * sizeof(slot));
    if (!ns) { /* the old table is as it was */
        if (pending)
            f(ud, pending, nwords * sizeof *pending, 0);
        return 0;
    }
    mem_advise_huge(ns, ncap * sizeof(slot));
    memset(ns + old, 0, (ncap - old) * sizeof(slot));
    for (size_t w = 0; w < nwords; w++)
        pending[w] = 0;
    for (size_t i = 0; i < old; i++)
        if (ns[i].fp)
            set_pending(pending, i);
    for (size_t i = 0; i < old; i++) {
        if (!is_pending(pending, i))
            continue;
        slot x = ns[i];
        ns[i].fp = 0;
        clear_pending(pending, i);
        for (;;) {
            size_t j = (size_t)x.fp & (ncap - 1);
            while (ns[j].fp && !(j < old && is_pending(pending, j)))
                j = (j + 1) & (ncap - 1);
            const slot y = ns[j];
            ns[j] = x;
            if (!y.fp)
                break;
            clear_pending(pending, j);
            x = y;
        }
    }
    if (pending)
        f(ud, pending, nwords * sizeof *pending, 0);
    ks->slots = ns;
    ks->cap = ncap;
    return 1;
}

int64_t *keyset_c_find(const keyset *ks, uint64_t fp)
{
    if (!ks->cap)
        return NULL;
    size_t i = probe(ks->slots, ks->cap, fp);
    return ks->slots[i].fp ? &ks->slots[i].value : NULL;
}

int64_t *keyset_c_slot(keyset *ks, lua_Alloc f, void *ud, uint64_t fp, int *added)
{
    *added = 0;
    /* One probe finds the key or the empty slot it would take. */
    size_t i = ks->cap ? probe(ks->slots, ks->cap, fp) : 0;
    if (ks->cap && ks->slots[i].fp)
        return &ks->slots[i].value;
    /* Grow before 85% full: linear probing slows sharply beyond that. */
    if ((ks->count + 1) * 100 > ks->cap * 85) {
        if (!grow(ks, f, ud))
            return NULL;
        i = probe(ks->slots, ks->cap, fp);
    }
    ks->slots[i] = (slot){.fp = fp, .value = 0};
    ks->count++;
    *added = 1;
    return &ks->slots[i].value;
}

size_t keyset_c_bytes(const keyset *ks)
{
    return ks->cap * sizeof(slot);
}

void keyset_c_free(keyset *ks, lua_Alloc f, void *ud)
{
    if (ks->slots)
        f(ud, ks->slots, ks->cap * sizeof(slot), 0);
    ks->slots = NULL;
    ks->cap = ks->count = 0;
}

static int ks_find(lua_State *L)
{
    keyset *ks = luaL_checkudata(L, 1, KEYSET_MT);
    size_t len;
    const char *key = luaL_checklstring(L, 2, &len);
    const int64_t *sl = keyset_c_find(ks, keyset_fingerprint(key, len));
    if (sl)
        lua_pushinteger(L, *sl);
    else
        lua_pushnil(L);
    return 1;
}

static int ks_add(lua_State *L)
{
    keyset *ks = luaL_checkudata(L, 1, KEYSET_MT);
    size_t len;
    const char *key = luaL_checklstring(L, 2, &len);
    lua_Integer value = luaL_checkinteger(L, 3);
    void *ud;
    lua_Alloc f = lua_getallocf(L, &ud);
    int added;
    int64_t *sl = keyset_c_slot(ks, f, ud, keyset_fingerprint(key, len), &added);
    if (!sl)
        return luaL_error(L, "keyset: not enough memory for %d keys", (int)(ks->count + 1));
    if (added) {
        *sl = value;
        lua_pushnil(L);
    } else {
        lua_pushinteger(L, *sl);
    }
    return 1;
}

static int ks_count(lua_State *L)
{
    keyset *ks = luaL_checkudata(L, 1, KEYSET_MT);
    lua_pushinteger(L, (lua_Integer)ks->count);
    return 1;
}

static int ks_gc(lua_State *L)
{
    keyset *ks = luaL_checkudata(L, 1, KEYSET_MT);
    void *ud;
    lua_Alloc f = lua_getallocf(L, &ud);
    keyset_c_free(ks, f, ud);
    return 0;
}

static int ks_new(lua_State *L)
{
    keyset *ks = lua_newuserdatauv(L, sizeof *ks, 0);
    memset(ks, 0, sizeof *ks);
    luaL_setmetatable(L, KEYSET_MT);
    return 1;
}

void keyset_register(lua_State *L)
{
    if (luaL_newmetatable(L, KEYSET_MT)) {
        static const luaL_Reg methods[] = {{"add", ks_add}, {"find", ks_find}, {"count", ks_count}, {NULL, NULL}};
        luaL_newlib(L, methods);
        lua_setfield(L, -2, "__index");
        lua_pushcfunction(L, ks_gc);
        lua_setfield(L, -2, "__gc");
        lua_pushboolean(L, 0);
        lua_setfield(L, -2, "__metatable"); /* rules cannot reach or change it */
    }
    lua_pop(L, 1);
    lua_pushcfunction(L, ks_new);
    lua_setfield(L, -2, "keyset");
}
