/* engine_agg_push.c - what a runs aggregation hands its handler, into the
 * reused run table: the key fields and the collected lists (contract:
 * engine_aggregate.h).
 *
 * Why this way: a run is handed over per transaction, a third of the lines
 * of a ledger, and every Lua API call costs tens of instructions. The run
 * table and its lists are made once and kept by registry references; a key
 * field or list entry the table already holds (the file, the journal; the
 * run before's account, side or absent field at that place) is not set
 * again; a text equal to an earlier one in its list is not interned again;
 * an on_read list is made only when the handler reads it (measured:
 * docs/rule-api.md, Aggregations).
 */
#include "engine_agg_key.h"

#include <lauxlib.h>
#include <string.h>

/* List k (collect's fields, then _lines at ncollect) pushed: made once and
 * then taken by its registry reference (the run table and its lists are
 * reused: a rule reads them and copies what it keeps, as of a record).
 * True when it was made now. */
static bool get_list(lua_State *L, eng_agg *a, int k, int n)
{
    if (a->ref_list[k] > 0) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, a->ref_list[k]);
        return false;
    }
    lua_createtable(L, n, 0);
    lua_pushvalue(L, -1);
    const int ref = luaL_ref(L, LUA_REGISTRYINDEX);
    a->ref_list[k] = ref > 0 ? ref : 0;
    a->list_n[k] = 0;
    return true;
}

/* Is v (strings in vs) the value h (strings in hs; NULL: nil) already? */
static inline bool same_value(const rhv_value *v, const char *vs, const rhv_value *h, const char *hs)
{
    if (!h)
        return v->kind == VAL_NONE;
    if (v->kind != h->kind)
        return false;
    switch (v->kind) {
    case VAL_NONE: return true;
    case VAL_STR:
    case VAL_DATE: return v->len == h->len && same_small(vs + v->i, hs + h->i, v->len);
    default: return v->i == h->i;
    }
}

/* Fill collected list k (at the top) from the ended run c. A value the
 * list holds already at its place (the run before's, col[2], when the list
 * was filled for it: shown_ok) is not set again: ledger runs repeat their
 * accounts, sides and absent fields line by line. A text equal to an
 * earlier one of the list is taken from the list, not interned again. */
static void fill_list(lua_State *L, eng_agg *a, int k, const agg_cols *c)
{
    const agg_cols *s = &a->col[2];
    const size_t nc = (size_t)a->ncollect;
    const bool ok = a->shown_ok >> k & 1;
    const int n = (int)c->nln, sn = ok ? (int)s->nln : 0;
    const rhv_value *prev = NULL;
    int prev_i = 0;
    for (int i = 0; i < n; i++) {
        const rhv_value *v = &c->v[(size_t)i * nc + (size_t)k];
        const bool str = v->kind == VAL_STR || v->kind == VAL_DATE;
        if (ok && same_value(v, c->s, i < sn ? &s->v[(size_t)i * nc + (size_t)k] : NULL, s->s)) {
            if (str)
                prev = v, prev_i = i;
            continue;
        }
        switch (v->kind) {
        case VAL_NONE: lua_pushnil(L); break;
        case VAL_STR:
        case VAL_DATE:
            if (prev && prev->kind == v->kind && prev->len == v->len &&
                same_small(c->s + prev->i, c->s + v->i, v->len))
                lua_rawgeti(L, -1, prev_i + 1);
            else
                lua_pushlstring(L, c->s + v->i, v->len);
            prev = v, prev_i = i;
            break;
        case VAL_BOOL: lua_pushboolean(L, v->i != 0); break;
        default: lua_pushinteger(L, v->i); break;
        }
        lua_rawseti(L, -2, i + 1);
    }
    for (int i = n; i < a->list_n[k]; i++) {
        if (ok && (i >= sn || s->v[(size_t)i * nc + (size_t)k].kind == VAL_NONE))
            continue; /* nil there already */
        lua_pushnil(L);
        lua_rawseti(L, -2, i + 1);
    }
    a->list_n[k] = n;
    a->filled |= 1u << k;
}

/* _lines (at the top) from c, likewise. */
static void fill_lines(lua_State *L, eng_agg *a, const agg_cols *c)
{
    const int k = a->ncollect;
    const agg_cols *s = &a->col[2];
    const int n = (int)c->nln, sn = a->shown_ok >> k & 1 ? (int)s->nln : 0;
    for (int i = 0; i < n; i++) {
        if (i < sn && s->ln[i] == c->ln[i])
            continue;
        lua_pushinteger(L, c->ln[i]);
        lua_rawseti(L, -2, i + 1);
    }
    for (int i = n; i < a->list_n[k]; i++) {
        lua_pushnil(L);
        lua_rawseti(L, -2, i + 1);
    }
    a->list_n[k] = n;
    a->filled |= 1u << k;
}

/* __index of a run table with on_read lists (upvalues: the rule, the
 * aggregation's index): the first read of such a list in the handler's call
 * makes it from the run the host still holds and sets it in the table, so
 * that later reads in the call find it there; eng_agg_after_call takes it
 * out again. Any other name is nil, as in a table without a metatable. */
static int run_index(lua_State *L)
{
    rule *r = lua_touserdata(L, lua_upvalueindex(1));
    eng_agg *a = &r->agg[lua_tointeger(L, lua_upvalueindex(2))];
    const char *key = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : NULL;
    const rhv_record_type *t = rhv_record_types[a->ti];
    for (unsigned m = key ? a->on_read : 0; m; m &= m - 1) {
        const int k = __builtin_ctz(m);
        if (strcmp(t->fields[a->collect[k]].name, key) != 0)
            continue;
        if (!a->live)
            return luaL_error(L, "aggregate '%s': a run's %s can be read only in the on_%s call it was "
                                 "passed to (copy the values you keep)", a->name, key, a->name);
        get_list(L, a, k, (int)a->col[1].nln);
        fill_list(L, a, k, &a->col[1]);
        lua_pushvalue(L, 2);
        lua_pushvalue(L, -2);
        lua_rawset(L, 1);
        a->in_tbl |= 1u << k;
        return 1;
    }
    lua_pushnil(L);
    return 1;
}

/* The metatable of the run table at the top, when a has on_read lists. */
static void set_run_meta(lua_State *L, rule *r, int ai)
{
    lua_createtable(L, 0, 2);
    lua_pushlightuserdata(L, r);
    lua_pushinteger(L, ai);
    lua_pushcclosure(L, run_index, 2);
    lua_setfield(L, -2, "__index");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
}

/* Into the run table at the top: each collected field as a list (nil where
 * a record lacks it: iterate 1.._n), but for on_read's, and _lines, every
 * record's line. */
void eng_agg_push_columns(lua_State *L, rule *r, int ai)
{
    eng_agg *a = &r->agg[ai];
    const rhv_record_type *t = rhv_record_types[a->ti];
    const agg_cols *c = &a->col[1];
    const int n = (int)c->nln;
    if (a->on_read && a->ref_list[a->ncollect] <= 0) /* the table's first run */
        set_run_meta(L, r, ai);
    for (int k = 0; k < a->ncollect; k++) {
        if (a->on_read >> k & 1)
            continue;
        const bool made = get_list(L, a, k, n);
        fill_list(L, a, k, c);
        if (made)
            lua_setfield(L, -2, t->fields[a->collect[k]].name);
        else
            lua_pop(L, 1);
    }
    const bool made = get_list(L, a, a->ncollect, n);
    fill_lines(L, a, c);
    if (made)
        lua_setfield(L, -2, "_lines");
    else
        lua_pop(L, 1);
    a->live = true;
}

void eng_agg_after_call(lua_State *L, eng_agg *a)
{
    a->live = false;
    const rhv_record_type *t = rhv_record_types[a->ti];
    for (unsigned m = a->in_tbl; m; m &= m - 1) {
        lua_pushnil(L);
        lua_setfield(L, -2, t->fields[a->collect[__builtin_ctz(m)]].name);
    }
    a->in_tbl = 0;
    a->shown_ok = a->filled;
    a->filled = 0;
    agg_cols x = a->col[2];
    a->col[2] = a->col[1];
    a->col[1] = x;
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
        const bool same = q && part_len(q) == l && same_small(p, q, l);
        if (q)
            q += part_len(q);
        p = same ? p + l : push_part(L, r, a, k, p);
    }
    const size_t n = (size_t)(p - key);
    a->nshown = 0;
    if (reserve(r, (void **)&a->shown, &a->capshown, n, 1, 64)) {
        copy_small(a->shown, key, n);
        a->nshown = n;
    }
}
