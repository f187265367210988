/* engine_record.c - records as Lua tables, and handing one to a handler.
 *
 * One reused table per (rule, record type) whose fields are learnt: only the
 * fields a rule has read are set per record. Records are read-only, a name
 * that is no field raises, and a record can be read only in the handler call
 * it was passed to (docs/rule-api.md, Records).
 */
#include "engine_internal.h"

#include <lauxlib.h>
#include <string.h>

int eng_type_index(const rhv_record_type *t)
{
    for (int i = 0; i < rhv_record_type_count; i++)
        if (rhv_record_types[i] == t)
            return i;
    return -1;
}

/* What a field of a reused record table holds now, so that a value equal to
 * the last record's is not pushed and set again: a ledger line repeats most
 * of its transaction's fields (journal, number, dates, supplier), and
 * interning a string and setting it is most of the cost of handing a record
 * over. s points into the Lua string the table holds (Lua does not move
 * strings; the table keeps it alive until the field is set again). */
struct field_cache {
    const char *s;  /* NULL: an integer or boolean in i */
    size_t len;
    int64_t i;
    bool valid;
};

/* ---- record tables ---------------------------------------------------------
 *
 * Each (rule, record type) has one reused table. It starts with only _type;
 * every other field is learnt: the first read of a name reaches __index, which
 * marks the field as used by this rule for this type and answers from the
 * record of the running call. From the next record on, dispatch sets exactly
 * the used fields (nil when absent), so a rule pays only for what it reads
 * (a ledger line has 16 fields; a rule reads 3 to 8 of them). A field that
 * is absent in a record stays nil in the table and keeps reaching __index,
 * which answers nil from the record. Upvalues of the metamethods: 1 the rule
 * (light userdata), 2 the type index, 3 a table from field name to its
 * position (1..nfields, nfields + 1 for _file, nfields + 2 for _line, 0 for
 * _type). */

static const rhv_record_type *rec_type_up(lua_State *L)
{
    return rhv_record_types[lua_tointeger(L, lua_upvalueindex(2))];
}

/* Push position pos (as in upvalue 3) of the running record; raises when the
 * table's record is not the running one: its strings are gone. */
static void push_rec_value(lua_State *L, int pos)
{
    rule *r = lua_touserdata(L, lua_upvalueindex(1));
    int ti = (int)lua_tointeger(L, lua_upvalueindex(2));
    const rhv_record_type *t = rhv_record_types[ti];
    if (pos == 0) {
        lua_pushstring(L, t->name);
        return;
    }
    const rhv_record *rec = r->cur_rec;
    if (!rec || r->cur_ti != ti)
        luaL_error(L, "a %s record can be read only in the handler call it was passed to "
                      "(copy the values you keep)", t->name);
    if (pos == t->nfields + 1) {
        if (rec->file)
            lua_pushstring(L, rec->file);
        else
            lua_pushnil(L);
        return;
    }
    if (pos == t->nfields + 2) {
        lua_pushinteger(L, rec->line);
        return;
    }
    const rhv_value *v = &rec->v[pos - 1];
    switch (v->kind) {
    case VAL_STR:
    case VAL_DATE: lua_pushlstring(L, v->s, v->len); break;
    case VAL_INT:
    case VAL_MONEY:
    case VAL_SCALED: lua_pushinteger(L, v->i); break;
    case VAL_BOOL: lua_pushboolean(L, v->i != 0); break;
    case VAL_NONE: lua_pushnil(L); break;
    }
}

/* Position of key k in the type's schema (upvalue 3), or -1. */
static int rec_pos(lua_State *L, int k)
{
    lua_pushvalue(L, k);
    int pos = lua_rawget(L, lua_upvalueindex(3)) == LUA_TNUMBER ? (int)lua_tointeger(L, -1) : -1;
    lua_pop(L, 1);
    return pos;
}

/* __index: a name this rule has not read before, or an absent field. A name
 * that is no field of the type is a typo and raises, naming it (instead of a
 * nil that fails lines later). */
static int record_index(lua_State *L)
{
    const rhv_record_type *t = rec_type_up(L);
    int pos = lua_type(L, 2) == LUA_TSTRING ? rec_pos(L, 2) : -1;
    if (pos < 0) {
        if (lua_type(L, 2) == LUA_TSTRING)
            return luaL_error(L, "record type '%s' has no field '%s' (docs/records.md)", t->name,
                              lua_tostring(L, 2));
        return luaL_error(L, "record type '%s' has no field %s", t->name, luaL_tolstring(L, 2, NULL));
    }
    push_rec_value(L, pos);
    if (pos > 0) {
        rule *r = lua_touserdata(L, lua_upvalueindex(1));
        int ti = (int)lua_tointeger(L, lua_upvalueindex(2));
        const uint64_t bit = (uint64_t)1 << (pos - 1);
        r->used[ti] |= bit;
        if (!lua_isnil(L, -1)) {
            /* Later reads in this call hit the table directly. */
            lua_pushvalue(L, 2);
            lua_pushvalue(L, -2);
            lua_rawset(L, 1);
            r->present[ti] |= bit;
            r->fcache[ti][pos - 1].valid = false; /* the next record sets it */
        }
    }
    return 1;
}

/* Iterator for __pairs: _type, the fields in schema order, _file, _line,
 * skipping nil; values from the running record, whatever the rule has read. */
static int record_next(lua_State *L)
{
    const rhv_record_type *t = rec_type_up(L);
    int pos;
    if (lua_isnil(L, 2))
        pos = -1;
    else if ((pos = lua_type(L, 2) == LUA_TSTRING ? rec_pos(L, 2) : -1) < 0)
        return luaL_error(L, "invalid key to 'next' over a %s record", t->name);
    for (pos++; pos <= t->nfields + 2; pos++) {
        push_rec_value(L, pos);
        if (lua_isnil(L, -1)) {
            lua_pop(L, 1);
            continue;
        }
        if (pos == 0)
            lua_pushliteral(L, "_type");
        else if (pos <= t->nfields)
            lua_pushstring(L, t->fields[pos - 1].name);
        else
            lua_pushstring(L, pos == t->nfields + 1 ? "_file" : "_line");
        lua_insert(L, -2);
        return 2;
    }
    lua_pushnil(L);
    return 1;
}

static int record_pairs(lua_State *L)
{
    lua_pushvalue(L, lua_upvalueindex(4));
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    return 3;
}

/* Setting an absent field would survive into the next record (the host does
 * not clear fields that stay absent), so records are read-only there. */
static int record_newindex(lua_State *L)
{
    const rhv_record_type *t = rec_type_up(L);
    return luaL_error(L, "a %s record is read-only: copy the values into a table of your own", t->name);
}

/* The reused record table of each type r handles, its metatable and the
 * field names as Lua strings; registry refs in r. Runs inside the rule's
 * protected call. */
void eng_record_tables(lua_State *L, rule *r)
{
    for (int i = 0; i < rhv_record_type_count; i++) {
        if (!r->reads[i] || r->ref_handler[i] == LUA_NOREF)
            continue;
        const rhv_record_type *t = rhv_record_types[i];
        r->used[i] = r->present[i] = 0;
        size_t csize = (size_t)(t->nfields + 2) * sizeof(struct field_cache);
        r->fcache[i] = lua_newuserdatauv(L, csize, 0);
        memset(r->fcache[i], 0, csize);
        r->ref_fcache[i] = luaL_ref(L, LUA_REGISTRYINDEX);
        lua_createtable(L, t->nfields + 2, 0);
        for (int f = 0; f < t->nfields; f++) {
            lua_pushstring(L, t->fields[f].name);
            lua_rawseti(L, -2, f + 1);
        }
        lua_pushliteral(L, "_file");
        lua_rawseti(L, -2, t->nfields + 1);
        lua_pushliteral(L, "_line");
        lua_rawseti(L, -2, t->nfields + 2);
        int keys = lua_gettop(L);
        lua_createtable(L, 0, t->nfields + 3); /* name -> position */
        for (int f = 1; f <= t->nfields + 2; f++) {
            lua_rawgeti(L, keys, f);
            lua_pushinteger(L, f);
            lua_rawset(L, -3);
        }
        lua_pushinteger(L, 0);
        lua_setfield(L, -2, "_type");
        int pos = lua_gettop(L);

        lua_createtable(L, 0, t->nfields + 3);
        lua_pushstring(L, t->name);
        lua_setfield(L, -2, "_type");
        lua_createtable(L, 0, 4);
        /* the upvalues every metamethod gets: rule, type index, positions */
#define PUSH_UPS()                                 \
    do {                                           \
        lua_pushlightuserdata(L, r);               \
        lua_pushinteger(L, i);                     \
        lua_pushvalue(L, pos);                     \
    } while (0)
        PUSH_UPS();
        lua_pushcclosure(L, record_index, 3);
        lua_setfield(L, -2, "__index");
        PUSH_UPS();
        lua_pushcclosure(L, record_newindex, 3);
        lua_setfield(L, -2, "__newindex");
        PUSH_UPS();
        PUSH_UPS();
        lua_pushcclosure(L, record_next, 3);
        lua_pushcclosure(L, record_pairs, 4);
        lua_setfield(L, -2, "__pairs");
#undef PUSH_UPS
        lua_pushboolean(L, 0);
        lua_setfield(L, -2, "__metatable");
        lua_setmetatable(L, -2);
        r->ref_rec[i] = luaL_ref(L, LUA_REGISTRYINDEX);
        lua_pop(L, 1); /* positions */
        r->ref_keys[i] = luaL_ref(L, LUA_REGISTRYINDEX);
    }
}

/* Set field position f (0-based, as bits in used/present) of the record
 * table at tbl from v, or nil; keys at keys; c caches what the table holds. */
static inline void set_field(lua_State *L, int keys, int tbl, uint64_t *present, struct field_cache *c, int f,
                             const rhv_value *v)
{
    const uint64_t bit = (uint64_t)1 << f;
    if (v->kind == VAL_NONE) {
        /* Ledger lines leave most optional fields out: skip nil over nil. */
        if (!(*present & bit))
            return;
        lua_rawgeti(L, keys, f + 1);
        lua_pushnil(L);
        lua_rawset(L, tbl);
        *present &= ~bit;
        c->valid = false;
        return;
    }
    const bool str = v->kind == VAL_STR || v->kind == VAL_DATE;
    if ((*present & bit) && c->valid) {
        if (str ? c->s && c->len == v->len && memcmp(c->s, v->s, v->len) == 0
                : !c->s && c->i == (v->kind == VAL_BOOL ? v->i != 0 : v->i))
            return; /* the table holds this value already */
    }
    lua_rawgeti(L, keys, f + 1);
    switch (v->kind) {
    case VAL_STR:
    case VAL_DATE: c->s = lua_pushlstring(L, v->s, v->len); c->len = v->len; break;
    case VAL_INT:
    case VAL_MONEY:
    case VAL_SCALED: lua_pushinteger(L, v->i); c->s = NULL; c->i = v->i; break;
    case VAL_BOOL: lua_pushboolean(L, v->i != 0); c->s = NULL; c->i = v->i != 0; break;
    case VAL_NONE: break;
    }
    lua_rawset(L, tbl);
    *present |= bit;
    c->valid = true;
}

/* Hand rec to r's handler for type ti: set the used fields of the reused
 * table, call. Runs inside the rule's protected call; leaves the stack as
 * it found it. */
void eng_run_handler(lua_State *L, rule *r, const rhv_record *rec, int ti)
{
    const rhv_record_type *t = rec->type;
    const int nf = t->nfields;
    lua_rawgeti(L, LUA_REGISTRYINDEX, r->ref_keys[ti]);
    const int keys = lua_gettop(L);
    lua_rawgeti(L, LUA_REGISTRYINDEX, r->ref_handler[ti]);
    lua_rawgeti(L, LUA_REGISTRYINDEX, r->ref_rec[ti]);
    const int tbl = keys + 2;
    uint64_t *present = &r->present[ti];
    struct field_cache *fc = r->fcache[ti];
    uint64_t used = r->used[ti];
    const uint64_t fields = used & (((uint64_t)1 << nf) - 1);
    for (uint64_t m = fields; m; m &= m - 1) {
        const int f = __builtin_ctzll(m);
        set_field(L, keys, tbl, present, &fc[f], f, &rec->v[f]);
    }
    if (used >> nf) {
        rhv_value v;
        if (used & ((uint64_t)1 << nf)) {
            if (rec->file)
                val_str(&v, rec->file, strlen(rec->file));
            else
                val_none(&v);
            set_field(L, keys, tbl, present, &fc[nf], nf, &v);
        }
        if (used & ((uint64_t)1 << (nf + 1))) {
            val_int(&v, VAL_INT, rec->line);
            set_field(L, keys, tbl, present, &fc[nf + 1], nf + 1, &v);
        }
    }
    lua_rawgeti(L, LUA_REGISTRYINDEX, r->ref_ctx);
    r->cur_rec = rec;
    r->cur_ti = ti;
    r->nrecs++;
    lua_call(L, 2, 0);
    r->cur_rec = NULL;
    lua_settop(L, keys - 1);
}

int eng_call_handler(lua_State *L)
{
    call_ctx *cc = lua_touserdata(L, 1);
    eng_run_handler(L, cc->r, cc->rec, cc->ti);
    return 0;
}
