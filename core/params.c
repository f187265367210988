/* params.c - see params.h */
#include "params.h"

#include <lauxlib.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "lua_fields.h"
#include "paths.h"
#include "sandbox.h"

#define PARAMS_MEM (16u * 1024u * 1024u)
#define PARAMS_BUDGET 10000000u
#define PV_MAX_DEPTH 16

/* ---- values ------------------------------------------------------------ */

void pvalue_free(rhv_pvalue *v)
{
    if (!v)
        return;
    free(v->s);
    for (size_t i = 0; i < v->n; i++) {
        pvalue_free(&v->entries[i].key);
        pvalue_free(&v->entries[i].val);
    }
    free(v->entries);
    memset(v, 0, sizeof *v);
}

int pvalue_copy(rhv_pvalue *dst, const rhv_pvalue *src)
{
    memset(dst, 0, sizeof *dst);
    dst->kind = src->kind;
    dst->i = src->i;
    if (src->kind == PV_STR) {
        dst->s = malloc(src->len + 1);
        if (!dst->s)
            return -1;
        memcpy(dst->s, src->s, src->len + 1);
        dst->len = src->len;
    }
    if (src->kind == PV_TABLE && src->n) {
        dst->entries = calloc(src->n, sizeof *dst->entries);
        if (!dst->entries)
            return -1;
        for (size_t i = 0; i < src->n; i++) {
            dst->n = i + 1;
            if (pvalue_copy(&dst->entries[i].key, &src->entries[i].key) ||
                pvalue_copy(&dst->entries[i].val, &src->entries[i].val)) {
                pvalue_free(dst);
                return -1;
            }
        }
    }
    return 0;
}

static char *xprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *xprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char buf[1024];
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return strdup(buf);
}

/* One reason a params file does not load: reported in d (file `path`, no
 * line) and, the first time, kept in *why for the caller. */
typedef struct {
    rhv_diag *d;
    const char *path;
    char **why;
} load_ctx;

static void load_fail(load_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void load_fail(load_ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *msg = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (msg) {
        va_start(ap, fmt);
        vsnprintf(msg, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    diag_error(c->d, c->path, 0, "%s", msg ? msg : "out of memory");
    if (c->why && !*c->why)
        *c->why = msg;
    else
        free(msg);
}

static int entry_cmp(const void *a, const void *b)
{
    const rhv_pvalue *x = &((const rhv_pentry *)a)->key, *y = &((const rhv_pentry *)b)->key;
    if (x->kind != y->kind)
        return x->kind == PV_INT ? -1 : 1;
    if (x->kind == PV_INT)
        return (x->i > y->i) - (x->i < y->i);
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->s, y->s, n);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

static int set_str(rhv_pvalue *v, const char *s, size_t len)
{
    v->kind = PV_STR;
    v->s = malloc(len + 1);
    if (!v->s)
        return -1;
    memcpy(v->s, s, len);
    v->s[len] = '\0';
    v->len = len;
    return 0;
}

/* A key's path (for messages only) longer than its buffer ends in "..."
 * rather than stopping mid-name without a sign. */
static void truncated_path(char *buf, size_t n)
{
    memcpy(buf + n - 4, "...", 4);
}

static int from_lua(lua_State *L, int idx, const char *path, int depth, rhv_pvalue *out, char **err)
{
    memset(out, 0, sizeof *out);
    idx = lua_absindex(L, idx);
    switch (lua_type(L, idx)) {
    case LUA_TNUMBER:
        if (!lua_isinteger(L, idx)) {
            *err = xprintf("%s: %s is not an integer (amounts are integer cents, no floats)", path,
                           lua_tostring(L, idx));
            return -1;
        }
        out->kind = PV_INT;
        out->i = lua_tointeger(L, idx);
        return 0;
    case LUA_TBOOLEAN:
        out->kind = PV_BOOL;
        out->i = lua_toboolean(L, idx);
        return 0;
    case LUA_TSTRING: {
        size_t len;
        const char *s = lua_tolstring(L, idx, &len);
        if (set_str(out, s, len)) {
            *err = xprintf("%s: out of memory", path);
            return -1;
        }
        return 0;
    }
    case LUA_TTABLE:
        break;
    default:
        *err = xprintf("%s: a %s is not allowed (integer, string, boolean or table)", path,
                       luaL_typename(L, idx));
        return -1;
    }
    if (depth >= PV_MAX_DEPTH) {
        *err = xprintf("%s: nested deeper than %d levels", path, PV_MAX_DEPTH);
        return -1;
    }
    if (!lua_checkstack(L, 4)) {
        *err = xprintf("%s: out of stack", path);
        return -1;
    }
    out->kind = PV_TABLE;
    size_t cap = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        char kpath[512];
        rhv_pentry e;
        memset(&e, 0, sizeof e);
        if (lua_type(L, -2) == LUA_TSTRING) {
            size_t kl;
            const char *k = lua_tolstring(L, -2, &kl);
            if (snprintf(kpath, sizeof kpath, "%s.%s", path, k) >= (int)sizeof kpath)
                truncated_path(kpath, sizeof kpath);
            if (set_str(&e.key, k, kl)) {
                *err = xprintf("%s: out of memory", path);
                goto fail;
            }
        } else if (lua_isinteger(L, -2)) {
            e.key.kind = PV_INT;
            e.key.i = lua_tointeger(L, -2);
            if (snprintf(kpath, sizeof kpath, "%s[%lld]", path, (long long)e.key.i) >= (int)sizeof kpath)
                truncated_path(kpath, sizeof kpath);
        } else {
            *err = xprintf("%s: a key of type %s is not allowed (string or integer)", path,
                           lua_type(L, -2) == LUA_TNUMBER ? "float" : luaL_typename(L, -2));
            goto fail;
        }
        if (from_lua(L, -1, kpath, depth + 1, &e.val, err)) {
            pvalue_free(&e.key);
            goto fail;
        }
        if (out->n == cap) {
            size_t nc = cap ? cap * 2 : 8;
            rhv_pentry *ne = realloc(out->entries, nc * sizeof *ne);
            if (!ne) {
                pvalue_free(&e.key);
                pvalue_free(&e.val);
                *err = xprintf("%s: out of memory", path);
                goto fail;
            }
            out->entries = ne;
            cap = nc;
        }
        out->entries[out->n++] = e;
        lua_pop(L, 1);
    }
    /* Sorted keys: Lua's own traversal order differs between runs. */
    if (out->n > 1)
        qsort(out->entries, out->n, sizeof *out->entries, entry_cmp);
    return 0;
fail:
    lua_pop(L, 2);
    pvalue_free(out);
    return -1;
}

int pvalue_from_lua(lua_State *L, int idx, const char *what, rhv_pvalue *out, char **err)
{
    *err = NULL;
    return from_lua(L, idx, what, 0, out, err);
}

void pvalue_push(lua_State *L, const rhv_pvalue *v)
{
    switch (v->kind) {
    case PV_INT:
        lua_pushinteger(L, v->i);
        return;
    case PV_BOOL:
        lua_pushboolean(L, (int)v->i);
        return;
    case PV_STR:
        lua_pushlstring(L, v->s, v->len);
        return;
    case PV_TABLE:
        break;
    }
    luaL_checkstack(L, 3, "parameter value");
    lua_createtable(L, 0, (int)v->n);
    for (size_t i = 0; i < v->n; i++) {
        pvalue_push(L, &v->entries[i].key);
        pvalue_push(L, &v->entries[i].val);
        lua_rawset(L, -3);
    }
}

/* ---- tables ------------------------------------------------------------ */

void params_free(rhv_param_table *t)
{
    if (!t)
        return;
    free(t->name);
    free(t->description);
    free(t->unit);
    free(t->file);
    free(t->sha256);
    for (size_t i = 0; i < t->n; i++) {
        pvalue_free(&t->periods[i].value);
        free(t->periods[i].source);
        free(t->periods[i].status);
    }
    free(t->periods);
    free(t);
}

static int period_cmp(const void *a, const void *b)
{
    const rhv_param_period *x = a, *y = b;
    return (x->from > y->from) - (x->from < y->from);
}

/* The formats of a params file and of one period (params.h). */
enum { T_NAME, T_DESCRIPTION, T_UNIT, T_VALUES, T_N };
static const lf_field top_fmt[] = {
    [T_NAME] = {"name", LF_STRING, LF_REQUIRED | LF_NONEMPTY},
    [T_DESCRIPTION] = {"description", LF_STRING, LF_REQUIRED | LF_NONEMPTY},
    [T_UNIT] = {"unit", LF_STRING, LF_REQUIRED | LF_NONEMPTY},
    [T_VALUES] = {"values", LF_TABLE, LF_REQUIRED},
    [T_N] = {NULL, 0, 0},
};
enum { P_FROM, P_TO, P_VALUE, P_SOURCE, P_STATUS, P_N };
static const lf_field period_fmt[] = {
    [P_FROM] = {"from", LF_INTEGER, LF_REQUIRED},
    [P_TO] = {"to", LF_INTEGER, 0},
    [P_VALUE] = {"value", LF_ANY, LF_REQUIRED},
    [P_SOURCE] = {"source", LF_STRING, LF_REQUIRED | LF_NONEMPTY},
    [P_STATUS] = {"status", LF_STRING, LF_REQUIRED | LF_NONEMPTY},
    [P_N] = {NULL, 0, 0},
};
#define MAX_PERIODS 1000

static int year_of(const lf_value *v, int *out)
{
    if (v->problem != LF_OK || v->type != LUA_TNUMBER || v->i < 0 || v->i > 9999)
        return -1;
    *out = (int)v->i;
    return 0;
}

/* The list at l has exactly the keys 1..n (n > 0)? n, else 0. */
static size_t list_count(lua_State *L, int l)
{
    lua_Integer n = lf_list_len(L, l, MAX_PERIODS);
    size_t keys = 0;
    lua_pushnil(L);
    while (lua_next(L, l)) {
        lua_pop(L, 1);
        if (++keys > MAX_PERIODS || !lua_isinteger(L, -1) || lua_tointeger(L, -1) < 1 ||
            lua_tointeger(L, -1) > n) {
            lua_pop(L, 1);
            return 0;
        }
    }
    return n > 0 && (size_t)n == keys ? (size_t)n : 0;
}

/* One period, the table at the top of the stack, into pp; reports in d. */
static int check_period(lua_State *L, load_ctx *c, size_t i, rhv_param_period *pp)
{
    if (!lua_istable(L, -1)) {
        load_fail(c, "values[%zu]: must be a table", i);
        return -1;
    }
    lf_value v[P_N];
    lf_result res;
    int rc = -1;
    char *err = NULL;
    lf_check(L, -1, period_fmt, 0, v, &res);
    if (res.problem == LF_UNKNOWN_KEY || res.problem == LF_KEY_NOT_STRING) {
        load_fail(c, "values[%zu]: unknown field '%s' (allowed: from, to, value, source, status)", i,
                   res.key);
        goto out;
    }
    if (res.problem == LF_TOO_MANY_KEYS)
        load_fail(c, "values[%zu]: more than %d fields", i, LF_MAX_KEYS);
    if (res.problem == LF_NO_MEMORY || res.problem == LF_TOO_MANY_KEYS)
        goto out;
    if (year_of(&v[P_FROM], &pp->from)) {
        load_fail(c, "values[%zu].from: missing (an integer year)", i);
        goto out;
    }
    if (v[P_TO].type == LUA_TNIL) {
        pp->open = true;
        pp->to = INT_MAX;
    } else if (year_of(&v[P_TO], &pp->to) || pp->to < pp->from) {
        load_fail(c, "values[%zu].to: must be an integer year >= from (%d)", i, pp->from);
        goto out;
    }
    if (!v[P_VALUE].idx) {
        load_fail(c, "values[%zu].value: missing", i);
        goto out;
    }
    if (pvalue_from_lua(L, v[P_VALUE].idx, "value", &pp->value, &err) != 0) {
        load_fail(c, "values[%zu].%s", i, err ? err : "value: out of memory");
        free(err);
        goto out;
    }
    if (v[P_SOURCE].problem != LF_OK) {
        load_fail(c, "values[%zu].source: missing (publication and address)", i);
        goto out;
    }
    if (v[P_STATUS].problem != LF_OK) {
        load_fail(c, "values[%zu].status: missing (a non-empty string, e.g. \"V\")", i);
        goto out;
    }
    pp->source = v[P_SOURCE].s;
    pp->status = v[P_STATUS].s;
    v[P_SOURCE].s = v[P_STATUS].s = NULL;
    rc = 0;
out:
    lf_free(v, P_N);
    return rc;
}

/* Checks the evaluated table at idx (already known to be plain data) and
 * fills t; reports in d. Runs no metamethod and raises nothing. */
static int check_table(lua_State *L, int idx, load_ctx *c, rhv_param_table *t)
{
    lf_value v[T_N];
    lf_result res;
    int top = lua_gettop(L), rc = -1;
    char *want = NULL;
    lf_check(L, idx, top_fmt, 0, v, &res);
    if (res.problem == LF_NOT_TABLE) {
        load_fail(c, "a params file must return a table");
        goto out;
    }
    if (res.problem == LF_UNKNOWN_KEY || res.problem == LF_KEY_NOT_STRING) {
        load_fail(c, "unknown field '%s' (allowed: name, description, unit, values)", res.key);
        goto out;
    }
    if (res.problem == LF_TOO_MANY_KEYS)
        load_fail(c, "more than %d fields", LF_MAX_KEYS);
    if (res.problem == LF_NO_MEMORY || res.problem == LF_TOO_MANY_KEYS || !(want = path_stem(c->path, ".lua")))
        goto out;
    if (v[T_NAME].problem != LF_OK || strcmp(v[T_NAME].s, want) != 0) {
        load_fail(c, "field 'name': must be the string \"%s\" (the file name)", want);
        goto out;
    }
    t->name = want;
    want = NULL;
    if (v[T_DESCRIPTION].problem != LF_OK) {
        load_fail(c, "field 'description': missing (a non-empty string)");
        goto out;
    }
    if (v[T_UNIT].problem != LF_OK) {
        load_fail(c, "field 'unit': missing (a non-empty string, e.g. \"cents\")");
        goto out;
    }
    t->description = v[T_DESCRIPTION].s;
    t->unit = v[T_UNIT].s;
    v[T_DESCRIPTION].s = v[T_UNIT].s = NULL;
    int vl = v[T_VALUES].idx;
    if (!vl || (lua_pushnil(L), lua_next(L, vl) == 0)) {
        load_fail(c, "field 'values': missing (a non-empty list of periods)");
        goto out;
    }
    lua_pop(L, 2); /* the first key and value */
    size_t n = list_count(L, vl);
    if (n == 0) {
        load_fail(c, "field 'values': must be a list { {...}, {...} }");
        goto out;
    }
    t->periods = calloc(n, sizeof *t->periods);
    if (!t->periods)
        goto out;
    for (size_t i = 0; i < n; i++) {
        t->n = i + 1;
        int mark = lua_gettop(L);
        lua_rawgeti(L, vl, (lua_Integer)i + 1);
        int prc = check_period(L, c, i + 1, &t->periods[i]);
        lua_settop(L, mark);
        if (prc != 0)
            goto out;
    }
    qsort(t->periods, t->n, sizeof *t->periods, period_cmp);
    for (size_t i = 0; i + 1 < t->n; i++) {
        const rhv_param_period *a = &t->periods[i], *b = &t->periods[i + 1];
        if (a->open || a->to >= b->from) {
            char at[16];
            if (a->open)
                snprintf(at, sizeof at, "open");
            else
                snprintf(at, sizeof at, "%d", a->to);
            load_fail(c, "values: period %d-%s overlaps period starting %d", a->from, at, b->from);
            goto out;
        }
    }
    rc = 0;
out:
    free(want);
    lf_free(v, T_N);
    lua_settop(L, top);
    return rc;
}

rhv_param_table *params_load(const char *path, rhv_diag *d, char **why)
{
    if (why)
        *why = NULL;
    load_ctx lc = {d, path, why}, *c = &lc;
    rhv_param_table *t = calloc(1, sizeof *t);
    sandbox *sb = sandbox_new(PARAMS_MEM, PARAMS_BUDGET);
    char hex[SHA256_HEX_LEN];
    char *err = NULL;
    rhv_pvalue root = {0};
    if (!t || !sb) {
        load_fail(c, "out of memory");
        goto fail;
    }
    if (sha256_file(path, hex) != 0) {
        load_fail(c, "cannot read params file");
        goto fail;
    }
    t->file = strdup(path);
    t->sha256 = strdup(hex);
    if (!t->file || !t->sha256) {
        load_fail(c, "out of memory");
        goto fail;
    }
    lua_State *L = sandbox_state(sb);
    lua_pushcfunction(L, sandbox_eval_data);
    if (sandbox_load_file(sb, path, &err) != 0) {
        load_fail(c, "%s", err);
        goto fail;
    }
    if (sandbox_pcall(sb, 1, 1, &err) != LUA_OK) {
        load_fail(c, "%s", err);
        goto fail;
    }
    if (pvalue_from_lua(L, -1, "return", &root, &err) != 0) {
        load_fail(c, "%s", err);
        goto fail;
    }
    size_t before = d->errors;
    /* The whole tree first: a float or a function anywhere is named by its path. */
    pvalue_free(&root);
    if (check_table(L, -1, c, t) != 0) {
        if (d->errors == before)
            load_fail(c, "out of memory");
        goto fail;
    }
    pvalue_free(&root);
    sandbox_free(sb);
    return t;
fail:
    free(err);
    pvalue_free(&root);
    sandbox_free(sb);
    params_free(t);
    return NULL;
}

bool params_valid_name(const char *s, size_t len)
{
    if (len == 0 || len > 64)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
            return false;
    return true;
}

rhv_param_table *params_load_named(const char *dir, const char *name, rhv_diag *d, char **why)
{
    if (why)
        *why = NULL;
    load_ctx dc = {d, dir, why};
    if (!params_valid_name(name, strlen(name))) {
        char shown[80];
        lf_printable(name, strlen(name), shown, sizeof shown);
        load_fail(&dc, "'%s' is not a parameter table name (^[a-z0-9_]+$)", shown);
        return NULL;
    }
    char path[4096];
    int n = snprintf(path, sizeof path, "%s/%s.lua", dir, name);
    if (n < 0 || (size_t)n >= sizeof path) {
        load_fail(&dc, "params path too long for '%s'", name);
        return NULL;
    }
    return params_load(path, d, why);
}

const rhv_param_period *params_resolve(const rhv_param_table *t, int fiscal_year, char **err)
{
    *err = NULL;
    for (size_t i = 0; i < t->n; i++) {
        const rhv_param_period *p = &t->periods[i];
        if (p->from <= fiscal_year && (p->open || fiscal_year <= p->to))
            return p;
    }
    *err = xprintf("parameter '%s' heeft geen waarde voor boekjaar %d (%s)", t->name, fiscal_year, t->file);
    return NULL;
}
