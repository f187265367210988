/* engine_agg_seen.c - the seen-before aggregation (`seen`, docs/rule-api.md):
 * per run, its items; each against the items of earlier runs, in C.
 *
 * Contract:
 * - A run's records make items: records with equal `seen` values are one
 *   item (a part written as a list of alternatives takes the first present
 *   one; a record with none is left out, and an item from a later
 *   alternative is left out when the run has one from an earlier alternative
 *   with the same other parts). Of an item's records the one with the largest
 *   absolute `largest` (the first on a tie; without largest the first)
 *   stands for it; the item's key is its seen values and that record's
 *   `match` fields.
 * - Each item, in the order of its first record, is looked up in a keyset
 *   (keyset.h: 64-bit fingerprints) holding the location (file, line) of the
 *   first item with that key. A new key is remembered while fewer than
 *   `max` (an integer argument of the rule) are; later new keys are only
 *   counted (not_kept, and the first one's location). A key seen before is a
 *   repeat: only repeats reach Lua, as on_<name>(dup, first, ctx).
 * - A run whose `skip` field holds a value the rule marked with
 *   rhv.skip(name, value, true) when the run ends is left out whole.
 * - The set and the per-run lists come from the rule state's allocator, so
 *   they count against the rule's memory cap.
 */
#include "engine_agg_key.h"

#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_BITS 40 /* a location is file id << LINE_BITS | line */

typedef struct {
    uint32_t rep;   /* the record that stands for the item */
    int alt;        /* which alternative gave the alternatives part */
    bool dropped;
} seen_item;

typedef struct {
    uint32_t rec;
    int64_t first;
} seen_rep;

struct agg_seen {
    int part[AGG_MAX_KEY]; /* collect column, or AGG_KEY_ALT */
    int npart;
    int alt[AGG_MAX_KEY];  /* collect columns of the alternatives */
    int nalt;
    int largest;           /* collect column, -1: none */
    int match[AGG_MAX_KEY];
    int nmatch;
    int skip;              /* position in the runs key, -1: none */
    char maxarg[AGG_NAME_MAX];
    int64_t max;
    bool max_known;
    keyset_c set, skipset;
    int64_t kept, repeats, not_kept, first_not_kept;
    seen_item *it;
    size_t capit;
    seen_rep *rep;
    size_t nrep, caprep;
    char *kb;
    size_t capkb;
    int ref_dup, ref_first;
};

static int field_index(const rhv_record_type *rt, const char *name)
{
    for (int k = 0; k < rt->nfields; k++)
        if (strcmp(rt->fields[k].name, name) == 0)
            return k;
    return -1;
}

/* The collect column of field `name` (added when new); -1 with a problem. */
static int column(rule *r, eng_agg *a, const char *name, const char *label)
{
    const rhv_record_type *rt = rhv_record_types[a->ti];
    int f = field_index(rt, name);
    if (f < 0) {
        eng_meta_fail(r, "field '%s': '%s' is not a field of %s (docs/records.md)", label, name, rt->name);
        return -1;
    }
    for (int k = 0; k < a->ncollect; k++)
        if (a->collect[k] == f)
            return k;
    if (a->ncollect == AGG_MAX_KEY) {
        eng_meta_fail(r, "field '%s': seen, largest and match name more than %d fields", label, AGG_MAX_KEY);
        return -1;
    }
    a->collect[a->ncollect] = f;
    return a->ncollect++;
}

/* The list at stack index l: names (and, with alts, one list of names) into out. */
static int name_list(lua_State *L, rule *r, eng_agg *a, int l, int *out, bool alts, const char *label)
{
    struct agg_seen *s = a->seen;
    int n = 0;
    const lua_Integer len = (lua_Integer)lua_rawlen(L, l);
    if (len < 1 || len > AGG_MAX_KEY) {
        eng_meta_fail(r, "field '%s': a list of 1 to %d field names", label, AGG_MAX_KEY);
        return 0;
    }
    for (lua_Integer i = 1; i <= len; i++) {
        const int t = lua_rawgeti(L, l, i);
        if (t == LUA_TSTRING) {
            out[n++] = column(r, a, lua_tostring(L, -1), label);
        } else if (t == LUA_TTABLE && alts && s->nalt == 0) {
            const lua_Integer m = (lua_Integer)lua_rawlen(L, -1);
            for (lua_Integer j = 1; j <= m && j <= AGG_MAX_KEY; j++) {
                if (lua_rawgeti(L, -1, j) == LUA_TSTRING)
                    s->alt[s->nalt++] = column(r, a, lua_tostring(L, -1), label);
                else
                    eng_meta_fail(r, "field '%s[%d][%d]': must be a field name", label, (int)i, (int)j);
                lua_pop(L, 1);
            }
            if (m < 2 || m > AGG_MAX_KEY)
                eng_meta_fail(r, "field '%s[%d]': alternatives are a list of 2 to %d field names", label, (int)i,
                              AGG_MAX_KEY);
            out[n++] = AGG_KEY_ALT;
        } else {
            eng_meta_fail(r, alts ? "field '%s[%d]': must be a field name or (once) a list of alternatives"
                                  : "field '%s[%d]': must be a field name", label, (int)i);
        }
        lua_pop(L, 1);
    }
    return n;
}

void eng_seen_meta(lua_State *L, rule *r, eng_agg *a, int seen, const char *largest, int match, const char *skip,
                   const char *max, const char *label)
{
    char sub[AGG_NAME_MAX + 32];
    if (!a->runs || a->ncollect || a->sum >= 0 || a->lines || a->nonzero) {
        eng_meta_fail(r, "field '%s.seen': only with runs, and without collect, sum, lines and nonzero", label);
        return;
    }
    struct agg_seen *s = calloc(1, sizeof *s);
    if (!s) {
        luaL_error(L, "out of memory");
        return;
    }
    a->seen = s;
    s->largest = s->skip = -1;
    s->ref_dup = s->ref_first = LUA_NOREF;
    s->first_not_kept = -1;
    snprintf(sub, sizeof sub, "%s.seen", label);
    s->npart = name_list(L, r, a, seen, s->part, true, sub);
    if (largest) {
        snprintf(sub, sizeof sub, "%s.largest", label);
        s->largest = column(r, a, largest, sub);
        val_kind k = s->largest >= 0 ? rhv_record_types[a->ti]->fields[a->collect[s->largest]].kind : VAL_INT;
        if (k != VAL_INT && k != VAL_MONEY && k != VAL_SCALED)
            eng_meta_fail(r, "field '%s': '%s' is not an integer field", sub, largest);
    }
    if (match) {
        snprintf(sub, sizeof sub, "%s.match", label);
        s->nmatch = name_list(L, r, a, match, s->match, false, sub);
    }
    if (skip) {
        const int f = field_index(rhv_record_types[a->ti], skip);
        for (int k = 0; k < a->nkey && f >= 0; k++)
            if (a->key[k] == f)
                s->skip = k;
        if (s->skip < 0)
            eng_meta_fail(r, "field '%s.skip': '%s' must be one of the runs fields", label, skip);
    }
    if (max && strlen(max) >= sizeof s->maxarg)
        eng_meta_fail(r, "field '%s.max': '%s' is not an argument of the rule", label, max);
    else if (max)
        strcpy(s->maxarg, max);
}

void eng_seen_check_max(rule *r, eng_agg *a)
{
    if (!a->seen || !a->seen->maxarg[0])
        return;
    for (size_t i = 0; i < r->nargs; i++)
        if (strcmp(r->args[i].key, a->seen->maxarg) == 0 && r->args[i].type == ARG_INT)
            return;
    eng_meta_fail(r, "field 'aggregate.%s.max': '%s' is not an integer argument of the rule (args)", a->name,
                  a->seen->maxarg);
}

static int64_t max_keys(const rule *r, struct agg_seen *s)
{
    if (!s->max_known) {
        s->max = INT64_MAX;
        for (size_t i = 0; i < r->nargs && s->maxarg[0]; i++)
            if (strcmp(r->args[i].key, s->maxarg) == 0)
                s->max = r->args[i].i;
        s->max_known = true;
    }
    return s->max;
}

AGG_INLINE const rhv_value *val(const agg_cols *c, const eng_agg *a, size_t rec, int col)
{
    return &c->v[rec * (size_t)a->ncollect + (size_t)col];
}

AGG_INLINE bool val_eq(const agg_cols *c, const rhv_value *x, const rhv_value *y)
{
    if (x->kind != y->kind)
        return false;
    if (x->kind == VAL_STR || x->kind == VAL_DATE)
        return x->len == y->len && same_small(c->s + x->i, c->s + y->i, x->len);
    return x->kind == VAL_NONE || x->i == y->i;
}

/* The alternatives part of record i: its value, *alt its index; NULL: none present. */
AGG_INLINE const rhv_value *alt_value(const agg_cols *c, const eng_agg *a, size_t i, int *alt)
{
    for (int k = 0; k < a->seen->nalt; k++) {
        const rhv_value *v = val(c, a, i, a->seen->alt[k]);
        if (v->kind != VAL_NONE) {
            *alt = k;
            return v;
        }
    }
    return NULL;
}

/* Do records i and j agree on the plain parts (and, with alt, on the alternatives part)? */
AGG_INLINE bool same_parts(const agg_cols *c, const eng_agg *a, size_t i, size_t j, bool alt)
{
    const struct agg_seen *s = a->seen;
    for (int k = 0; k < s->npart; k++) {
        if (s->part[k] == AGG_KEY_ALT) {
            int ai = 0, aj = 0;
            const rhv_value *x = alt ? alt_value(c, a, i, &ai) : NULL, *y = alt ? alt_value(c, a, j, &aj) : NULL;
            if (alt && (ai != aj || !val_eq(c, x, y)))
                return false;
        } else if (!val_eq(c, val(c, a, i, s->part[k]), val(c, a, j, s->part[k]))) {
            return false;
        }
    }
    return true;
}

/* Lua's absolute value: -minint stays minint (so the compare is as in a rule). */
static int64_t abs_wrap(int64_t x)
{
    return x < 0 ? (int64_t)(0 - (uint64_t)x) : x;
}

/* The run's items into s->it; their number, or (size_t)-1 over the cap. */
static size_t make_items(rule *r, eng_agg *a, const agg_cols *c)
{
    struct agg_seen *s = a->seen;
    size_t nit = 0;
    for (size_t i = 0; i < c->nln; i++) {
        int alt = 0;
        if (s->nalt && !alt_value(c, a, i, &alt))
            continue;
        size_t k = 0;
        while (k < nit && !same_parts(c, a, s->it[k].rep, i, true))
            k++;
        if (k < nit) {
            if (s->largest >= 0) {
                const rhv_value *now = val(c, a, s->it[k].rep, s->largest), *x = val(c, a, i, s->largest);
                if (x->kind != VAL_NONE && (now->kind == VAL_NONE || abs_wrap(x->i) > abs_wrap(now->i)))
                    s->it[k].rep = (uint32_t)i;
            }
            continue;
        }
        if (!reserve(r, (void **)&s->it, &s->capit, nit + 1, sizeof *s->it, 16))
            return (size_t)-1;
        s->it[nit++] = (seen_item){.rep = (uint32_t)i, .alt = alt};
    }
    for (size_t k = 0; k < nit && s->nalt; k++)
        for (size_t j = 0; j < nit && !s->it[k].dropped; j++)
            s->it[k].dropped = s->it[j].alt < s->it[k].alt && same_parts(c, a, s->it[j].rep, s->it[k].rep, false);
    return nit;
}

/* Append value v (tag, length, bytes) to the key at s->kb + *n; false over the cap. */
AGG_INLINE bool put_value(rule *r, struct agg_seen *s, const agg_cols *c, const rhv_value *v, size_t *n)
{
    const bool text = v->kind == VAL_STR || v->kind == VAL_DATE;
    const size_t len = text ? v->len : 8;
    if (!reserve(r, (void **)&s->kb, &s->capkb, *n + 5 + len, 1, 64))
        return false;
    char *o = s->kb + *n;
    *o++ = v->kind == VAL_NONE ? TAG_NONE : text ? TAG_STR : TAG_INT;
    const uint32_t l32 = v->kind == VAL_NONE ? 0 : (uint32_t)len;
    memcpy(o, &l32, 4);
    copy_small(o + 4, text ? c->s + v->i : (const char *)&v->i, l32);
    *n += 5 + l32;
    return true;
}

/* The fingerprint of item it's key; 0 over the cap. */
static uint64_t item_key(rule *r, eng_agg *a, const agg_cols *c, const seen_item *it)
{
    struct agg_seen *s = a->seen;
    size_t n = 0;
    int alt;
    for (int k = 0; k < s->npart; k++)
        if (!put_value(r, s, c, s->part[k] == AGG_KEY_ALT ? alt_value(c, a, it->rep, &alt)
                                                          : val(c, a, it->rep, s->part[k]), &n))
            return 0;
    for (int k = 0; k < s->nmatch; k++)
        if (!put_value(r, s, c, val(c, a, it->rep, s->match[k]), &n))
            return 0;
    return keyset_fingerprint(s->kb, n);
}

static void *set_alloc(void *ud, void *p, size_t osize, size_t nsize)
{
    return eng_agg_alloc(ud, p, osize, nsize);
}

/* Is the ended run's skip field a value the rule marked? */
static bool skipped(const eng_agg *a)
{
    const struct agg_seen *s = a->seen;
    if (s->skip < 0 || !s->skipset.count)
        return false;
    const char *p = a->pk;
    for (int k = 0; k <= s->skip; k++) {
        uint32_t len = 0;
        const char tag = *p++;
        if (tag == TAG_STR)
            memcpy(&len, p, 4);
        if (k == s->skip) {
            const int64_t *on = tag == TAG_STR ? keyset_c_find(&s->skipset, keyset_fingerprint(p + 4, len)) : NULL;
            return on && *on;
        }
        p += tag == TAG_NONE ? 0 : tag == TAG_FILE ? 4 : tag == TAG_STR ? 4 + len : tag == TAG_INT ? 8 : 1;
    }
    return false;
}

bool eng_seen_run(rule *r, eng_agg *a, bool *kept)
{
    struct agg_seen *s = a->seen;
    const agg_cols *c = &a->col[1];
    s->nrep = 0;
    *kept = a->pending = false;
    if (skipped(a))
        return true;
    const size_t nit = make_items(r, a, c);
    if (nit == (size_t)-1)
        return false;
    const int64_t max = max_keys(r, s);
    for (size_t k = 0; k < nit; k++) {
        if (s->it[k].dropped)
            continue;
        const uint64_t fp = item_key(r, a, c, &s->it[k]);
        const int64_t here = (int64_t)a->fid[1] << LINE_BITS | c->ln[s->it[k].rep];
        int added = 0;
        int64_t *first = !fp ? NULL
                         : s->kept < max ? keyset_c_slot(&s->set, set_alloc, r, fp, &added)
                                         : keyset_c_find(&s->set, fp);
        if (!fp || (!first && s->kept < max))
            return false;
        if (added) {
            *first = here;
            s->kept++;
        } else if (!first) {
            if (s->not_kept++ == 0)
                s->first_not_kept = here;
        } else {
            if (!reserve(r, (void **)&s->rep, &s->caprep, s->nrep + 1, sizeof *s->rep, 4))
                return false;
            s->rep[s->nrep++] = (seen_rep){.rec = s->it[k].rep, .first = *first};
            s->repeats++;
        }
    }
    a->pending = *kept = s->nrep > 0;
    return true;
}

/* A table kept in the registry at *ref, reused call after call; pushed. */
static void reused_table(lua_State *L, int *ref)
{
    if (*ref != LUA_NOREF) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, *ref);
        return;
    }
    lua_createtable(L, 0, 8);
    lua_pushvalue(L, -1);
    *ref = luaL_ref(L, LUA_REGISTRYINDEX);
}

static void push_location(lua_State *L, const rule *r, int64_t loc, const char *file_key, const char *line_key)
{
    const uint32_t fid = (uint32_t)(loc >> LINE_BITS);
    if (fid)
        lua_pushstring(L, r->agg_file[fid - 1]);
    else
        lua_pushnil(L);
    lua_setfield(L, -2, file_key);
    lua_pushinteger(L, loc & (((int64_t)1 << LINE_BITS) - 1));
    lua_setfield(L, -2, line_key);
}

void eng_seen_deliver(lua_State *L, rule *r, eng_agg *a)
{
    struct agg_seen *s = a->seen;
    const agg_cols *c = &a->col[1];
    const rhv_record_type *t = rhv_record_types[a->ti];
    for (size_t k = 0; k < s->nrep; k++) {
        const size_t i = s->rep[k].rec;
        lua_rawgeti(L, LUA_REGISTRYINDEX, a->ref_handler);
        reused_table(L, &s->ref_dup);
        eng_agg_push_key(L, r, a, a->pk);
        for (int f = 0; f < a->ncollect; f++) {
            const rhv_value *v = val(c, a, i, f);
            if (v->kind == VAL_NONE)
                lua_pushnil(L);
            else if (v->kind == VAL_STR || v->kind == VAL_DATE)
                lua_pushlstring(L, c->s + v->i, v->len);
            else if (v->kind == VAL_BOOL)
                lua_pushboolean(L, v->i != 0);
            else
                lua_pushinteger(L, v->i);
            lua_setfield(L, -2, t->fields[a->collect[f]].name);
        }
        lua_pushinteger(L, c->ln[i]);
        lua_setfield(L, -2, "_line");
        reused_table(L, &s->ref_first);
        push_location(L, r, s->rep[k].first, "_file", "_line");
        lua_rawgeti(L, LUA_REGISTRYINDEX, r->ref_ctx);
        sandbox_next_call(r->sb);
        lua_call(L, 3, 0);
    }
    s->nrep = 0;
}

void eng_seen_summary(lua_State *L, rule *r, eng_agg *a)
{
    const struct agg_seen *s = a->seen;
    lua_createtable(L, 0, 5);
    lua_pushinteger(L, s->kept);
    lua_setfield(L, -2, "_n");
    lua_pushinteger(L, s->repeats);
    lua_setfield(L, -2, "_repeats");
    lua_pushinteger(L, s->not_kept);
    lua_setfield(L, -2, "_not_kept");
    if (s->not_kept)
        push_location(L, r, s->first_not_kept, "_not_kept_file", "_not_kept_line");
}

void eng_seen_release(rule *r, eng_agg *a)
{
    struct agg_seen *s = a->seen;
    keyset_c_free(&s->set, set_alloc, r);
    keyset_c_free(&s->skipset, set_alloc, r);
    eng_agg_alloc(r, s->it, s->capit * sizeof *s->it, 0);
    eng_agg_alloc(r, s->rep, s->caprep * sizeof *s->rep, 0);
    eng_agg_alloc(r, s->kb, s->capkb, 0);
    s->it = NULL, s->rep = NULL, s->kb = NULL;
    s->capit = s->nrep = s->caprep = s->capkb = 0;
    s->kept = s->repeats = s->not_kept = 0;
    s->first_not_kept = -1;
    s->max_known = false;
}

void eng_seen_free(eng_agg *a)
{
    free(a->seen);
    a->seen = NULL;
}

int eng_c_skip(lua_State *L)
{
    rule *r = eng_up_rule(L);
    const char *name = luaL_checkstring(L, 1);
    size_t len;
    const char *value = luaL_checklstring(L, 2, &len);
    luaL_checktype(L, 3, LUA_TBOOLEAN);
    for (int i = 0; i < r->nagg; i++) {
        eng_agg *a = &r->agg[i];
        if (strcmp(a->name, name) != 0 || !a->seen || a->seen->skip < 0)
            continue;
        int added;
        int64_t *on = keyset_c_slot(&a->seen->skipset, set_alloc, r, keyset_fingerprint(value, len), &added);
        if (!on)
            return luaL_error(L, "rhv.skip: the rule's memory limit is reached");
        *on = lua_toboolean(L, 3);
        return 0;
    }
    return luaL_error(L, "rhv.skip: the rule declares no seen aggregation '%s' with skip", name);
}
