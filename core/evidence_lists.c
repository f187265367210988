/* evidence_lists.c - see evidence_lists.h
 *
 * A list is one byte buffer of entries in booking order: the amount (8
 * bytes, first, so that a further line of the transaction adds to it in
 * place), then line, the place's number (evidence_places.h) and the text's
 * length as LEB128 varints (of the integers as unsigned: a negative line
 * takes 10 bytes, and comes back the same), then the text. Entries are
 * read only from the start, at finish, so nothing more is needed: a bucket
 * of 100 entries of a 6-byte trNr takes about 2 KB, its buffer doubled
 * from 64 bytes (sb_grow; fewer reallocations than growing by half from 32).
 */
#include "evidence_lists.h"

#include "evidence_places.h"
#include "sandbox_alloc.h"

#include <lauxlib.h>
#include <stdint.h>
#include <string.h>

#define EVL_MT "rhv.evidence_lists"
#define EVL_MAX_MAX 0x7fffffff
#define VARINT_MAX 10 /* bytes of a 64-bit LEB128 */

typedef struct {
    unsigned char *buf;
    size_t len, cap;
    size_t last;      /* offset of the last entry kept */
    int64_t tx;       /* the last add's transaction */
    int64_t omitted;  /* transactions not kept */
    uint32_t kept;
    unsigned char at; /* the last add: 0 none, 1 its entry kept, 2 not kept */
} evl_list;

typedef struct {
    evl_list *lists;
    size_t n, cap;
    uint32_t max;
    evp_set places;
} evl;

/* The set: upvalue 1 of every function of it (no self to check). */
static evl *self(lua_State *L)
{
    return lua_touserdata(L, lua_upvalueindex(1));
}

static int64_t int_arg(lua_State *L, int i, const char *what)
{
    int ok;
    lua_Integer v = lua_tointegerx(L, i, &ok);
    if (!ok)
        luaL_error(L, "evidence_lists: %s must be an integer, got %s", what,
                   lua_type(L, i) == LUA_TNUMBER ? "a float" : luaL_typename(L, i));
    return (int64_t)v;
}

/* An amount: an integer value, never a float (however whole). */
static int64_t amount_arg(lua_State *L, int i)
{
    if (!lua_isinteger(L, i))
        luaL_error(L, "evidence_lists: amount must be an integer, got %s",
                   lua_type(L, i) == LUA_TNUMBER ? "a float" : luaL_typename(L, i));
    return (int64_t)lua_tointeger(L, i);
}

static evl_list *list_arg(lua_State *L, evl *ls)
{
    int64_t id = int_arg(L, 1, "the list");
    if (id < 1 || (uint64_t)id > ls->n)
        luaL_error(L, "evidence_lists: no list %I (ls.new() returns a list's number)", (lua_Integer)id);
    return &ls->lists[id - 1];
}

static size_t put_varint(unsigned char *p, uint64_t v)
{
    size_t n = 0;
    while (v >= 0x80) {
        p[n++] = (unsigned char)(v | 0x80);
        v >>= 7;
    }
    p[n++] = (unsigned char)v;
    return n;
}

static uint64_t get_varint(const unsigned char *p, size_t *at)
{
    uint64_t v = 0;
    for (unsigned shift = 0;; shift += 7) {
        unsigned char b = p[(*at)++];
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            return v;
    }
}

/* Room for need more bytes in l; 0 when memory ran out (l unchanged). */
static int reserve(lua_State *L, evl_list *l, size_t need)
{
    if (l->cap - l->len >= need)
        return 1;
    if (need > SIZE_MAX - l->len)
        return 0;
    void *ud;
    lua_Alloc f = lua_getallocf(L, &ud);
    return sb_grow(f, ud, (void **)&l->buf, &l->cap, 1, l->len + need, 64);
}

/* The number of the place in arguments first .. first + EVP_TEXTS - 1. */
static int64_t place_arg(lua_State *L, evl *ls, int first)
{
    const char *s[EVP_TEXTS];
    size_t n[EVP_TEXTS];
    for (int i = 0; i < EVP_TEXTS; i++) {
        s[i] = lua_tolstring(L, first + i, &n[i]);
        if (!s[i]) {
            if (!lua_isnoneornil(L, first + i))
                luaL_error(L, "evidence_lists: place text %d must be a string or nil, got %s", i + 1,
                           luaL_typename(L, first + i));
            n[i] = 0;
        }
    }
    void *ud;
    lua_Alloc f = lua_getallocf(L, &ud);
    int64_t k = evp_intern(&ls->places, f, ud, s, n);
    if (k < 0)
        luaL_error(L, "evidence_lists: not enough memory for place %d", (int)ls->places.n + 1);
    return k;
}

static int evl_add(lua_State *L)
{
    evl *ls = self(L);
    evl_list *l = list_arg(L, ls);
    int64_t tx = int_arg(L, 2, "tx"), line = int_arg(L, 3, "line"), amount = amount_arg(L, 4);
    if (l->at && l->tx == tx) { /* a further line of the last transaction */
        if (l->at == 1) {
            int64_t a;
            memcpy(&a, l->buf + l->last, sizeof a);
            if (__builtin_add_overflow(a, amount, &a))
                return luaL_error(L, "evidence_lists: the amount of an entry overflows");
            memcpy(l->buf + l->last, &a, sizeof a);
        }
        return 0;
    }
    if (l->kept >= ls->max) {
        l->tx = tx;
        l->at = 2;
        l->omitted++;
        return 0;
    }
    /* The text and place only for a new entry, the only add that keeps them. */
    size_t tlen;
    const char *text = lua_type(L, 5) == LUA_TSTRING ? lua_tolstring(L, 5, &tlen) : NULL;
    if (!text)
        return luaL_error(L, "evidence_lists: text must be a string, got %s", luaL_typename(L, 5));
    int64_t place = place_arg(L, ls, 6);
    unsigned char head[sizeof amount + 3 * VARINT_MAX];
    memcpy(head, &amount, sizeof amount);
    size_t h = sizeof amount;
    h += put_varint(head + h, (uint64_t)line);
    h += put_varint(head + h, (uint64_t)place);
    h += put_varint(head + h, (uint64_t)tlen);
    if (tlen > SIZE_MAX - h || !reserve(L, l, h + tlen))
        return luaL_error(L, "evidence_lists: not enough memory for entry %d of a list", (int)l->kept + 1);
    memcpy(l->buf + l->len, head, h);
    memcpy(l->buf + l->len + h, text, tlen);
    l->last = l->len;
    l->len += h + tlen;
    l->kept++;
    l->tx = tx;
    l->at = 1;
    return 0;
}

static int evl_new_list(lua_State *L)
{
    evl *ls = self(L);
    if (ls->n >= (size_t)LUA_MAXINTEGER)
        return luaL_error(L, "evidence_lists: too many lists");
    void *ud;
    lua_Alloc f = lua_getallocf(L, &ud);
    if (!sb_grow(f, ud, (void **)&ls->lists, &ls->cap, sizeof(evl_list), ls->n + 1, 16))
        return luaL_error(L, "evidence_lists: not enough memory for list %d", (int)(ls->n + 1));
    memset(&ls->lists[ls->n], 0, sizeof(evl_list));
    ls->n++;
    lua_pushinteger(L, (lua_Integer)ls->n);
    return 1;
}

/* The iterator of ls.entries(id): upvalues the set, the list's index and
 * the offset of the next entry. */
static int evl_next(lua_State *L)
{
    evl *ls = lua_touserdata(L, lua_upvalueindex(1));
    const evl_list *l = &ls->lists[lua_tointeger(L, lua_upvalueindex(2))];
    size_t at = (size_t)lua_tointeger(L, lua_upvalueindex(3));
    if (at >= l->len)
        return 0;
    int64_t amount;
    memcpy(&amount, l->buf + at, sizeof amount);
    at += sizeof amount;
    int64_t line = (int64_t)get_varint(l->buf, &at);
    size_t place = (size_t)get_varint(l->buf, &at);
    size_t tlen = (size_t)get_varint(l->buf, &at);
    lua_pushinteger(L, (lua_Integer)line);
    lua_pushinteger(L, (lua_Integer)amount);
    lua_pushlstring(L, (const char *)l->buf + at, tlen);
    for (int i = 0; i < EVP_TEXTS; i++) {
        size_t n;
        const char *s = evp_text(&ls->places, place, i, &n);
        if (s)
            lua_pushlstring(L, s, n);
        else
            lua_pushnil(L);
    }
    lua_pushinteger(L, (lua_Integer)(at + tlen));
    lua_replace(L, lua_upvalueindex(3));
    return 3 + EVP_TEXTS;
}

static int evl_entries(lua_State *L)
{
    evl *ls = self(L);
    evl_list *l = list_arg(L, ls);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_pushinteger(L, (lua_Integer)(l - ls->lists));
    lua_pushinteger(L, 0);
    lua_pushcclosure(L, evl_next, 3);
    return 1;
}

static int evl_count(lua_State *L)
{
    evl *ls = self(L);
    const evl_list *l = list_arg(L, ls);
    lua_pushinteger(L, (lua_Integer)l->kept);
    lua_pushinteger(L, (lua_Integer)l->omitted);
    return 2;
}

static int evl_gc(lua_State *L)
{
    evl *ls = lua_touserdata(L, 1);
    void *ud;
    lua_Alloc f = lua_getallocf(L, &ud);
    for (size_t i = 0; i < ls->n; i++)
        if (ls->lists[i].buf)
            f(ud, ls->lists[i].buf, ls->lists[i].cap, 0);
    if (ls->lists)
        f(ud, ls->lists, ls->cap * sizeof(evl_list), 0);
    evp_free(&ls->places, f, ud);
    ls->lists = NULL;
    ls->n = ls->cap = 0;
    return 0;
}

/* rhv.evidence_lists(max): a table of the set's functions, each with the set
 * (a userdata no rule can reach, freed by its __gc) as upvalue 1. */
static int evl_make(lua_State *L)
{
    static const luaL_Reg funcs[] = {
        {"new", evl_new_list}, {"add", evl_add}, {"entries", evl_entries}, {"count", evl_count}, {NULL, NULL}};
    int64_t max = int_arg(L, 1, "max");
    if (max < 0 || max > EVL_MAX_MAX)
        return luaL_error(L, "rhv.evidence_lists: max must be 0 .. %d, got %I", EVL_MAX_MAX, (lua_Integer)max);
    luaL_newlibtable(L, funcs);
    evl *ls = lua_newuserdatauv(L, sizeof *ls, 0);
    memset(ls, 0, sizeof *ls);
    ls->max = (uint32_t)max;
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_setmetatable(L, -2);
    luaL_setfuncs(L, funcs, 1);
    return 1;
}

void evidence_lists_register(lua_State *L)
{
    if (luaL_newmetatable(L, EVL_MT)) {
        lua_pushcfunction(L, evl_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_pushcclosure(L, evl_make, 1);
    lua_setfield(L, -2, "evidence_lists");
}
