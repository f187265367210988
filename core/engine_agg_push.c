/* engine_agg_push.c - what a runs aggregation hands its handler, into the
 * reused run table: the key fields and the collected lists (contract:
 * engine_aggregate.h).
 *
 * Why this way: a run is handed over per transaction, a third of the lines
 * of a ledger, and every Lua API call costs tens of instructions. The run
 * table and its lists are made once and kept by registry references; a key
 * field the table already holds (the file, the journal) is not set again; a
 * text equal to the one above it in its list is not interned again.
 */
#include "engine_aggregate.h"

#include <lauxlib.h>
#include <string.h>

/* List k (collect's fields, then _lines at ncollect) of the run table at
 * the top, named name, pushed: made and put in the table once, then taken
 * by its registry reference (the run table and its lists are reused: a rule
 * reads them and copies what it keeps, as of a record). */
static void get_list(lua_State *L, eng_agg *a, int k, const char *name, int n)
{
    if (a->ref_list[k] > 0) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, a->ref_list[k]);
        return;
    }
    if (lua_getfield(L, -1, name) != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_createtable(L, n, 0);
        lua_pushvalue(L, -1);
        lua_setfield(L, -3, name);
    }
    lua_pushvalue(L, -1);
    const int ref = luaL_ref(L, LUA_REGISTRYINDEX);
    a->ref_list[k] = ref > 0 ? ref : 0;
}

/* Into the run table at the top: each collected field as a list (nil where
 * a record lacks it: iterate 1.._n) and _lines, every record's line. A text
 * equal to the one above it in its list is not interned again. */
void eng_agg_push_columns(lua_State *L, eng_agg *a, const agg_cols *c)
{
    const rhv_record_type *t = rhv_record_types[a->ti];
    const int n = (int)c->nln;
    for (int k = 0; k < a->ncollect; k++) {
        get_list(L, a, k, t->fields[a->collect[k]].name, n);
        const rhv_value *prev = NULL;
        for (int i = 0; i < n; i++) {
            const rhv_value *v = &c->v[(size_t)i * (size_t)a->ncollect + (size_t)k];
            switch (v->kind) {
            case VAL_NONE: lua_pushnil(L); break;
            case VAL_STR:
            case VAL_DATE:
                if (prev && prev->kind == v->kind && prev->len == v->len &&
                    memcmp(c->s + prev->i, c->s + v->i, v->len) == 0)
                    lua_rawgeti(L, -1, i);
                else
                    lua_pushlstring(L, c->s + v->i, v->len);
                break;
            case VAL_BOOL: lua_pushboolean(L, v->i != 0); break;
            default: lua_pushinteger(L, v->i); break;
            }
            prev = v;
            lua_rawseti(L, -2, i + 1);
        }
        for (int i = n; i < a->prev_n; i++) {
            lua_pushnil(L);
            lua_rawseti(L, -2, i + 1);
        }
        lua_pop(L, 1);
    }
    get_list(L, a, a->ncollect, "_lines", n);
    for (int i = 0; i < n; i++) {
        lua_pushinteger(L, c->ln[i]);
        lua_rawseti(L, -2, i + 1);
    }
    for (int i = n; i < a->prev_n; i++) {
        lua_pushnil(L);
        lua_rawseti(L, -2, i + 1);
    }
    lua_pop(L, 1);
    a->prev_n = n;
}

/* Key part k at p as its field of the table at the top; the part's end. */
static const char *push_part(lua_State *L, const rule *r, const eng_agg *a, int k, const char *p)
{
    const rhv_record_type *t = rhv_record_types[a->ti];
    const char *name = a->key[k] == AGG_KEY_FILE ? "_file" : t->fields[a->key[k]].name;
    switch (*p++) {
    case TAG_NONE: lua_pushnil(L); break;
    case TAG_FILE: {
        uint32_t id;
        memcpy(&id, p, 4);
        lua_pushstring(L, r->agg_file[id - 1]);
        p += 4;
        break;
    }
    case TAG_STR: {
        uint32_t len;
        memcpy(&len, p, 4);
        lua_pushlstring(L, p + 4, len);
        p += 4 + len;
        break;
    }
    case TAG_INT: {
        int64_t v;
        memcpy(&v, p, 8);
        lua_pushinteger(L, v);
        p += 8;
        break;
    }
    default: lua_pushboolean(L, *p++); break;
    }
    lua_setfield(L, -2, name);
    return p;
}

const char *eng_agg_push_key(lua_State *L, const rule *r, const eng_agg *a, const char *p)
{
    for (int k = 0; k < a->nkey; k++)
        p = push_part(L, r, a, k, p);
    return p;
}

/* The bytes of the key part at p (build_key's encoding). */
static size_t part_len(const char *p)
{
    uint32_t len;
    switch (*p) {
    case TAG_NONE: return 1;
    case TAG_FILE: return 5;
    case TAG_STR: memcpy(&len, p + 1, 4); return 5 + (size_t)len;
    case TAG_INT: return 9;
    default: return 2;
    }
}

/* runs: the ended run's key into the reused run table at the top. A part
 * the table holds already, byte for byte the one set for the run before
 * (the file and journal, most runs), is not set again: pushing a string
 * costs more than comparing its bytes. */
void eng_agg_push_run_key(lua_State *L, rule *r, eng_agg *a, const char *key)
{
    const char *p = key, *q = a->nshown ? a->shown : NULL;
    for (int k = 0; k < a->nkey; k++) {
        const size_t l = part_len(p);
        const bool same = q && part_len(q) == l && memcmp(p, q, l) == 0;
        if (q)
            q += part_len(q);
        p = same ? p + l : push_part(L, r, a, k, p);
    }
    const size_t n = (size_t)(p - key);
    a->nshown = 0;
    if (eng_agg_grow(r, (void **)&a->shown, &a->capshown, n, 1, 64)) {
        memcpy(a->shown, key, n);
        a->nshown = n;
    }
}
