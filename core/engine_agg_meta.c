/* engine_agg_meta.c - the record conditions of `where` and the `aggregate`
 * metadata of a rule (docs/rule-api.md, Aggregations).
 *
 * Contract:
 * - eng_meta_conditions reads one table { field = condition } for a record
 *   type: true (present), false (absent), "text" (exactly, text and date
 *   fields) or { prefix = "text" } (starts with). Both the rule's `where`
 *   and an aggregation's `where` and `minus` go through it, so a condition
 *   means the same everywhere.
 * - eng_meta_aggregate checks every aggregation and keeps its declaration in
 *   r->agg (malloc'd; its data is the state's, engine_aggregate.c). Problems go
 *   to r->meta_err like every other metadata problem, naming the field; only
 *   running out of memory raises.
 */
#include "engine_aggregate.h"
#include "lua_fields.h"

#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int field_of(const rhv_record_type *rt, const char *name)
{
    for (int k = 0; k < rt->nfields; k++)
        if (strcmp(rt->fields[k].name, name) == 0)
            return k;
    return -1;
}

static bool text_kind(val_kind k)
{
    return k == VAL_STR || k == VAL_DATE;
}

/* The condition at the top of the stack for field f; false with a problem. */
static bool one_condition(lua_State *L, rule *r, const rhv_record_type *rt, int f, const char *label,
                          const char *fname, rule_where *x)
{
    const bool text = text_kind(rt->fields[f].kind);
    size_t len = 0;
    const int top = lua_gettop(L);
    if (lua_type(L, top) == LUA_TBOOLEAN) {
        x->kind = lua_toboolean(L, top) ? W_ANY : W_ABSENT;
        return true;
    }
    if (lua_type(L, top) == LUA_TSTRING && text && (lua_tolstring(L, top, &len), len < WHERE_VALUE_MAX)) {
        x->kind = W_TEXT;
    } else if (lua_istable(L, top) && text) {
        lua_pushliteral(L, "prefix");
        const int tp = lua_rawget(L, top); /* at top + 1 */
        int keys = 0;
        lua_pushnil(L);
        while (lua_next(L, top)) {
            lua_pop(L, 1);
            if (++keys > 1) {
                lua_pop(L, 1);
                break;
            }
        }
        if (tp == LUA_TSTRING)
            lua_tolstring(L, top + 1, &len);
        if (tp != LUA_TSTRING || keys != 1 || len == 0 || len >= WHERE_VALUE_MAX) {
            lua_settop(L, top);
            eng_meta_fail(r, "field '%s.%s': a prefix condition is { prefix = \"text\" } (1 to %d bytes)", label,
                          fname, WHERE_VALUE_MAX - 1);
            return false;
        }
        x->kind = W_PREFIX;
    } else {
        eng_meta_fail(r, "field '%s.%s': must be true (present), false (absent) or, for a text field, a text of "
                         "at most %d bytes or { prefix = \"text\" }", label, fname, WHERE_VALUE_MAX - 1);
        return false;
    }
    x->len = len;
    memcpy(x->value, lua_tostring(L, -1), len);
    lua_settop(L, top);
    return true;
}

int eng_meta_conditions(lua_State *L, rule *r, int c, const rhv_record_type *rt, int ti, const char *label,
                        rule_where *out, int *n, int max)
{
    char fbuf[LF_KEY_MAX + 8];
    lua_pushnil(L);
    while (lua_next(L, c)) {
        lf_key_text(L, -2, fbuf, sizeof fbuf);
        int f = lua_type(L, -2) == LUA_TSTRING ? field_of(rt, lua_tostring(L, -2)) : -1;
        if (f < 0)
            eng_meta_fail(r, "field '%s': '%s' is not a field of %s (docs/records.md)", label, fbuf, rt->name);
        else if (*n == max)
            eng_meta_fail(r, "field '%s': more than %d conditions", label, max);
        else {
            rule_where x = {.ti = ti, .field = f};
            if (one_condition(L, r, rt, f, label, fbuf, &x))
                out[(*n)++] = x;
        }
        lua_pop(L, 1);
    }
    return 0;
}

/* ---- aggregate ----------------------------------------------------------- */

enum { A_RECORDS, A_WHERE, A_PER, A_RUNS, A_SUM, A_MINUS, A_LINES, A_NONZERO, A_COLLECT, A_SEEN, A_LARGEST,
       A_MATCH, A_SKIP, A_MAX, A_ON_READ, A_N };
static const lf_field agg_fmt[] = {
    [A_RECORDS] = {"records", LF_STRING, LF_REQUIRED | LF_NONEMPTY},
    [A_WHERE] = {"where", LF_TABLE, 0},
    [A_PER] = {"per", LF_TABLE, 0},
    [A_RUNS] = {"runs", LF_TABLE, 0},
    [A_SUM] = {"sum", LF_STRING, 0},
    [A_MINUS] = {"minus", LF_TABLE, 0},
    [A_LINES] = {"lines", LF_INTEGER, 0},
    [A_NONZERO] = {"nonzero", LF_BOOLEAN, 0},
    [A_COLLECT] = {"collect", LF_TABLE, 0},
    [A_SEEN] = {"seen", LF_TABLE, 0},
    [A_LARGEST] = {"largest", LF_STRING, 0},
    [A_MATCH] = {"match", LF_TABLE, 0},
    [A_SKIP] = {"skip", LF_STRING, 0},
    [A_MAX] = {"max", LF_STRING, 0},
    [A_ON_READ] = {"on_read", LF_TABLE, 0},
    [A_N] = {NULL, 0, 0},
};

static bool valid_agg_name(const char *s, size_t len)
{
    if (len == 0 || len >= AGG_NAME_MAX || !((*s >= 'a' && *s <= 'z') || *s == '_'))
        return false;
    for (size_t i = 0; i < len; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
            return false;
    return true;
}

/* per, runs or collect: a list of field names of rt or "_file" (into key, *nkey). */
static void agg_key(lua_State *L, rule *r, int *key, int *nkey, const rhv_record_type *rt, int l, const char *label)
{
    lua_Integer n = lf_list_len(L, l, AGG_MAX_KEY);
    if (n < 0) {
        eng_meta_fail(r, "field '%s': a list of at most %d field names", label, AGG_MAX_KEY);
        return;
    }
    for (lua_Integer i = 1; i <= n; i++) {
        int f = -2;
        if (lua_rawgeti(L, l, i) == LUA_TSTRING)
            f = strcmp(lua_tostring(L, -1), "_file") == 0 ? AGG_KEY_FILE : field_of(rt, lua_tostring(L, -1));
        if (f == -1 || f == -2) {
            char buf[LF_KEY_MAX + 8];
            if (f == -1)
                lf_key_text(L, -1, buf, sizeof buf);
            eng_meta_fail(r, f == -1 ? "field '%s[%d]': '%s' is not a field of %s (docs/records.md)"
                                     : "field '%s[%d]': must be a field name%s%s", label, (int)i,
                          f == -1 ? buf : "", f == -1 ? rt->name : "");
        } else {
            key[(*nkey)++] = f;
        }
        lua_pop(L, 1);
    }
}

/* on_read (list at l): fields of collect whose lists the handler's first
 * read makes (into a->on_read, bits of collect). */
static void agg_on_read(lua_State *L, rule *r, eng_agg *a, int l, const char *label)
{
    int f[AGG_MAX_KEY], nf = 0;
    char sub[AGG_NAME_MAX + 32];
    snprintf(sub, sizeof sub, "%s.on_read", label);
    agg_key(L, r, f, &nf, rhv_record_types[a->ti], l, sub);
    for (int i = 0; i < nf; i++) {
        int k = 0;
        while (k < a->ncollect && a->collect[k] != f[i])
            k++;
        if (k == a->ncollect)
            eng_meta_fail(r, "field '%s[%d]': only fields of collect", sub, i + 1);
        else
            a->on_read |= 1u << k;
    }
}

/* The entry's fields after lf_check; v[A_*] as it returned them. */
static void agg_fields(lua_State *L, rule *r, eng_agg *a, const lf_value *v, const char *label)
{
    const rhv_record_type *rt = record_type_find(v[A_RECORDS].s);
    char sub[AGG_NAME_MAX + 32];
    if (!rt || !r->reads[eng_type_index(rt)]) {
        eng_meta_fail(r, rt ? "field '%s.records': '%s' is not in reads"
                            : "field '%s.records': '%s' is not a record type (docs/records.md)", label,
                      v[A_RECORDS].s);
        return;
    }
    a->ti = eng_type_index(rt);
    if (v[A_PER].idx && v[A_RUNS].idx) {
        eng_meta_fail(r, "field '%s': per and runs exclude each other (groups by key, or runs of records in a row)",
                      label);
        return;
    }
    a->runs = v[A_RUNS].idx != 0;
    snprintf(sub, sizeof sub, "%s.%s", label, a->runs ? "runs" : "per");
    if (v[A_PER].idx || v[A_RUNS].idx)
        agg_key(L, r, a->key, &a->nkey, rt, a->runs ? v[A_RUNS].idx : v[A_PER].idx, sub);
    if (v[A_COLLECT].idx) {
        snprintf(sub, sizeof sub, "%s.collect", label);
        if (!a->runs || v[A_LINES].type != LUA_TNIL)
            eng_meta_fail(r, "field '%s': only for runs, and without lines (it keeps every line)", sub);
        agg_key(L, r, a->collect, &a->ncollect, rt, v[A_COLLECT].idx, sub);
        for (int k = 0; k < a->ncollect; k++)
            if (a->collect[k] == AGG_KEY_FILE)
                eng_meta_fail(r, "field '%s': _file is the same for a whole run: put it in runs", sub);
    }
    if (v[A_ON_READ].idx)
        agg_on_read(L, r, a, v[A_ON_READ].idx, label);
    a->sum = -1;
    if (v[A_SUM].s) {
        a->sum = field_of(rt, v[A_SUM].s);
        val_kind k = a->sum >= 0 ? rt->fields[a->sum].kind : VAL_NONE;
        if (k != VAL_INT && k != VAL_MONEY && k != VAL_SCALED)
            eng_meta_fail(r, "field '%s.sum': '%s' is not an integer field of %s (docs/records.md)", label,
                          v[A_SUM].s, rt->name);
    }
    if (v[A_WHERE].idx) {
        snprintf(sub, sizeof sub, "%s.where", label);
        eng_meta_conditions(L, r, v[A_WHERE].idx, rt, a->ti, sub, a->where, &a->nwhere, AGG_MAX_COND);
    }
    if (v[A_MINUS].idx) {
        snprintf(sub, sizeof sub, "%s.minus", label);
        if (a->sum < 0)
            eng_meta_fail(r, "field '%s': minus needs sum", sub);
        eng_meta_conditions(L, r, v[A_MINUS].idx, rt, a->ti, sub, a->minus, &a->nminus, AGG_MAX_COND);
    }
    if (v[A_LINES].type != LUA_TNIL && (v[A_LINES].i < 1 || v[A_LINES].i > AGG_MAX_LINES))
        eng_meta_fail(r, "field '%s.lines': the first 1 to %d lines of each group", label, AGG_MAX_LINES);
    a->lines = v[A_LINES].type == LUA_TNIL ? 0 : (int)v[A_LINES].i;
    a->nonzero = v[A_NONZERO].i != 0;
    if (a->nonzero && (!a->runs || a->sum < 0))
        eng_meta_fail(r, "field '%s.nonzero': only for runs with a sum", label);
    if (v[A_SEEN].idx)
        eng_seen_meta(L, r, a, v[A_SEEN].idx, v[A_LARGEST].s, v[A_MATCH].idx, v[A_SKIP].s, v[A_MAX].s, label);
    else if (v[A_LARGEST].type != LUA_TNIL || v[A_MATCH].idx || v[A_SKIP].s || v[A_MAX].s)
        eng_meta_fail(r, "field '%s': largest, match, skip and max only with seen", label);
}

static const char *lf_problem_word(lf_problem p)
{
    switch (p) {
    case LF_MISSING: return "missing";
    case LF_WRONG_TYPE: return "has the wrong type";
    case LF_EMPTY: return "is empty";
    default: return "is not valid";
    }
}

/* One entry: name at -2, table at -1. */
static int agg_entry(lua_State *L, rule *r)
{
    char name[LF_KEY_MAX + 8], label[AGG_NAME_MAX + 16];
    lf_key_text(L, -2, name, sizeof name);
    size_t nlen = 0;
    const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tolstring(L, -2, &nlen) : "";
    if (!valid_agg_name(k, nlen)) {
        eng_meta_fail(r, "field 'aggregate': '%s' is not an aggregation name (^[a-z_][a-z0-9_]*$, under %d bytes)",
                      name, AGG_NAME_MAX);
        return 0;
    }
    snprintf(label, sizeof label, "aggregate.%s", k);
    if (r->nagg == AGG_MAX) {
        eng_meta_fail(r, "field 'aggregate': more than %d aggregations", AGG_MAX);
        return 0;
    }
    eng_agg *na = realloc(r->agg, (size_t)(r->nagg + 1) * sizeof *na);
    if (!na)
        return luaL_error(L, "out of memory");
    r->agg = na;
    eng_agg *a = &na[r->nagg++];
    memset(a, 0, sizeof *a);
    memcpy(a->name, k, nlen + 1);
    a->ref_handler = a->ref_tbl = LUA_NOREF;
    if (!lua_istable(L, -1)) {
        eng_meta_fail(r, "field '%s': must be a table { records = \"type\", ... }", label);
        return 0;
    }
    lf_value v[A_N];
    lf_result res;
    const int top = lua_gettop(L);
    lf_problem p = lf_check(L, top, agg_fmt, 0, v, &res);
    if (p == LF_NO_MEMORY) {
        lf_free(v, A_N);
        return luaL_error(L, "out of memory");
    }
    if (p == LF_UNKNOWN_KEY || p == LF_KEY_NOT_STRING || p == LF_TOO_MANY_KEYS)
        eng_meta_fail(r, "field '%s': unknown field '%s' (records, where, per, runs, sum, minus, lines, nonzero, collect, "
                         "on_read, seen, largest, match, skip, max)",
                      label, res.key);
    else if (p != LF_OK)
        eng_meta_fail(r, "field '%s.%s': %s", label, agg_fmt[res.field].name, lf_problem_word(p));
    else
        agg_fields(L, r, a, v, label);
    lf_free(v, A_N);
    lua_settop(L, top);
    return 0;
}

void eng_meta_aggregate(lua_State *L, rule *r, int idx, bool present)
{
    if (!present)
        return;
    if (!idx) {
        eng_meta_fail(r, "field 'aggregate': must be a table { name = { records = \"type\", ... } }");
        return;
    }
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        agg_entry(L, r);
        lua_pop(L, 1);
    }
    /* Names in byte order: lua_next's order is not the same from run to run. */
    for (int i = 1; i < r->nagg; i++)
        for (int j = i; j > 0 && strcmp(r->agg[j - 1].name, r->agg[j].name) > 0; j--) {
            eng_agg t = r->agg[j];
            r->agg[j] = r->agg[j - 1];
            r->agg[j - 1] = t;
        }
    for (int i = 0; i < r->nagg; i++)
        r->agg_types |= (uint64_t)1 << r->agg[i].ti;
}

bool eng_agg_handler_key(const rule *r, const char *key)
{
    if (strncmp(key, "on_", 3) != 0)
        return false;
    for (int i = 0; i < r->nagg; i++)
        if (r->agg[i].runs && strcmp(r->agg[i].name, key + 3) == 0)
            return true;
    return false;
}

int eng_agg_keep_handlers(lua_State *L, rule *r, int t)
{
    for (int i = 0; i < r->nagg; i++) {
        eng_agg *a = &r->agg[i];
        if (!a->runs)
            continue;
        eng_seen_check_max(r, a);
        char hn[AGG_NAME_MAX + 4];
        snprintf(hn, sizeof hn, "on_%s", a->name);
        if (lua_getfield(L, t, hn) == LUA_TFUNCTION) {
            a->ref_handler = luaL_ref(L, LUA_REGISTRYINDEX);
        } else {
            lua_pop(L, 1);
            eng_meta_fail(r, "field 'aggregate.%s': runs go to the handler %s, which the rule table lacks", a->name,
                          hn);
        }
    }
    return 0;
}
