/* keyset.c - see keyset.h */
#include "keyset.h"

#include <lauxlib.h>
#include <string.h>

#define KEYSET_MT "rhv.keyset"
#define MIN_SLOTS 1024

typedef struct {
    uint64_t fp;   /* 0: empty */
    int64_t value;
} slot;

typedef struct {
    slot *slots;
    size_t cap;    /* power of two */
    size_t count;
} keyset;

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

static void *state_alloc(lua_State *L, void *p, size_t osize, size_t nsize)
{
    void *ud;
    lua_Alloc f = lua_getallocf(L, &ud);
    return f(ud, p, osize, nsize);
}

static void put(slot *slots, size_t cap, uint64_t fp, int64_t value)
{
    size_t i = (size_t)fp & (cap - 1);
    while (slots[i].fp)
        i = (i + 1) & (cap - 1);
    slots[i].fp = fp;
    slots[i].value = value;
}

static int grow(lua_State *L, keyset *ks)
{
    size_t ncap = ks->cap ? ks->cap * 2 : MIN_SLOTS;
    if (ncap > SIZE_MAX / sizeof(slot))
        return 0;
    slot *ns = state_alloc(L, NULL, 0, ncap * sizeof(slot));
    if (!ns)
        return 0;
    memset(ns, 0, ncap * sizeof(slot));
    for (size_t i = 0; i < ks->cap; i++)
        if (ks->slots[i].fp)
            put(ns, ncap, ks->slots[i].fp, ks->slots[i].value);
    if (ks->slots)
        state_alloc(L, ks->slots, ks->cap * sizeof(slot), 0);
    ks->slots = ns;
    ks->cap = ncap;
    return 1;
}

static const slot *lookup(const keyset *ks, uint64_t fp)
{
    if (!ks->cap)
        return NULL;
    size_t i = (size_t)fp & (ks->cap - 1);
    while (ks->slots[i].fp) {
        if (ks->slots[i].fp == fp)
            return &ks->slots[i];
        i = (i + 1) & (ks->cap - 1);
    }
    return NULL;
}

static int ks_find(lua_State *L)
{
    keyset *ks = luaL_checkudata(L, 1, KEYSET_MT);
    size_t len;
    const char *key = luaL_checklstring(L, 2, &len);
    const slot *sl = lookup(ks, keyset_fingerprint(key, len));
    if (sl)
        lua_pushinteger(L, sl->value);
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
    uint64_t fp = keyset_fingerprint(key, len);
    const slot *sl = lookup(ks, fp);
    if (sl) {
        lua_pushinteger(L, sl->value);
        return 1;
    }
    /* Grow before 85% full: linear probing slows sharply beyond that. */
    if ((ks->count + 1) * 100 > ks->cap * 85 && !grow(L, ks))
        return luaL_error(L, "keyset: not enough memory for %d keys", (int)(ks->count + 1));
    put(ks->slots, ks->cap, fp, value);
    ks->count++;
    lua_pushnil(L);
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
    if (ks->slots)
        state_alloc(L, ks->slots, ks->cap * sizeof(slot), 0);
    ks->slots = NULL;
    ks->cap = ks->count = 0;
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
