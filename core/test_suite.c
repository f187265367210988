/* test_suite.c - reading a rule's test file into a suite_t (test_suite.h).
 *
 * Everything here runs protected, in the test file's own sandbox: a Lua error
 * (out of memory) unwinds to test_suite_load, and whatever was copied so far
 * is already owned by the suite, so test_suite_free frees it.
 */
#include <lauxlib.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lua_fields.h"
#include "params.h"
#include "sandbox.h"
#include "test_suite.h"
#include "value.h"

#define TEST_MEM (64u * 1024u * 1024u)
#define TEST_BUDGET 50000000u
#define DEFAULT_FISCAL_YEAR 2023


static void case_free(case_t *c)
{
    free(c->name);
    free(c->cls);
    for (size_t i = 0; i < c->nargs; i++)
        free(c->args[i]);
    free(c->args);
    for (size_t i = 0; i < c->nparams; i++) {
        free(c->pnames[i]);
        pvalue_free(&c->pvals[i]);
    }
    free(c->pnames);
    free(c->pvals);
    for (size_t i = 0; i < c->nrecs; i++) {
        rec_t *r = &c->recs[i];
        if (r->v)
            for (int k = 0; k < r->type->nfields; k++)
                free((void *)r->v[k].s);
        free(r->v);
        free(r->file);
    }
    free(c->recs);
    for (size_t i = 0; i < c->nexp; i++)
        free(c->exp[i].subject);
    free(c->exp);
    free(c->error);
}

void test_suite_free(suite_t *s)
{
    for (size_t i = 0; i < s->n; i++)
        case_free(&s->cases[i]);
    free(s->cases);
    s->cases = NULL;
    s->n = 0;
}

static void *grow(lua_State *L, void *p, size_t n, size_t size)
{
    void *q = realloc(p, (n + 1) * size);
    if (!q)
        luaL_error(L, "out of memory");
    return q;
}

static char *xstrdup(lua_State *L, const char *s)
{
    char *d = strdup(s);
    if (!d)
        luaL_error(L, "out of memory");
    return d;
}

static void case_fail(lua_State *L, case_t *c, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void case_fail(lua_State *L, case_t *c, const char *fmt, ...)
{
    if (c->error)
        return;
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    c->error = xstrdup(L, buf);
}

/* A case or an expectation with a key the format does not know fails, so a
 * typo ("ammount") cannot silently turn off a check. */
static void key_fail(lua_State *L, case_t *c, const lf_result *res, const char *where, const char *known)
{
    if (res->problem == LF_UNKNOWN_KEY || res->problem == LF_KEY_NOT_STRING)
        case_fail(L, c, "%sunknown field '%s' (%s)", where, res->problem == LF_UNKNOWN_KEY ? res->key : "?", known);
    else if (res->problem == LF_TOO_MANY_KEYS)
        case_fail(L, c, "%smore than %d fields", where, LF_MAX_KEYS);
}

/* Longest list a test file may give (cases, records, expectations). */
#define MAX_TEST_LIST 100000

static const char *lua_kind(lua_State *L, int idx)
{
    if (lua_type(L, idx) == LUA_TNUMBER)
        return lua_isinteger(L, idx) ? "integer" : "float";
    return luaL_typename(L, idx);
}

static const char *kind_word(val_kind k)
{
    switch (k) {
    case VAL_STR: return "a string";
    case VAL_DATE: return "a date string YYYY-MM-DD";
    case VAL_INT: return "an integer";
    case VAL_MONEY: return "an integer (cents)";
    case VAL_SCALED: return "an integer (scaled decimal)";
    case VAL_BOOL: return "a boolean";
    case VAL_NONE: break;
    }
    return "?";
}

/* ---- reading the test file (runs protected, in the test file's state) ---- */

/* A value of the right Lua type must also be one a reader could produce
 * (value.h): a calendar date, a value of the field's enum, within its limits. */
static void check_value(lua_State *L, case_t *c, lua_Integer idx, const rhv_record_type *type,
                        const rhv_field_def *fd, const rhv_value *v)
{
    const value_domain *d = value_domain_of(type, fd);
    value_status st = value_check(fd, d, v);
    if (st == VALUE_OK)
        return;
    char got[160], allowed[256] = "";
    if (fd->kind == VAL_STR || fd->kind == VAL_DATE)
        snprintf(got, sizeof got, "\"%.*s%s\"", v->len > 60 ? 60 : (int)v->len, v->s, v->len > 60 ? "..." : "");
    else
        snprintf(got, sizeof got, "%lld", (long long)v->i);
    if (st == VALUE_NOT_IN_ENUM) {
        size_t used = 0;
        for (int i = 0; d->values[i] && used < sizeof allowed; i++)
            used += (size_t)snprintf(allowed + used, sizeof allowed - used, "%s%s", i ? ", " : ": ",
                                     d->values[i]);
    }
    case_fail(L, c, "records[%d] (%s): field '%s' %s%s, got %s (no reader produces it)", (int)idx, type->name,
              fd->name, st == VALUE_NOT_IN_ENUM ? "is not one of" : value_why(st, d), allowed, got);
}

/* The record type named by the table's _type, or NULL (the case fails). */
static const rhv_record_type *record_type_of(lua_State *L, case_t *c, lua_Integer idx, int t)
{
    lua_getfield(L, t, "_type");
    const rhv_record_type *type = lua_type(L, -1) == LUA_TSTRING ? record_type_find(lua_tostring(L, -1)) : NULL;
    if (!type)
        case_fail(L, c, "records[%d]: _type %s%s%s is not a record type (docs/records.md)", (int)idx,
                  lua_type(L, -1) == LUA_TSTRING ? "'" : "", lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "missing",
                  lua_type(L, -1) == LUA_TSTRING ? "'" : "");
    lua_pop(L, 1);
    return type;
}

/* The Lua value at the top of the stack into v, as field fd; false when it is
 * not of the field's kind (or not a date). */
static bool take_field_value(lua_State *L, const rhv_field_def *fd, rhv_value *v)
{
    switch (fd->kind) {
    case VAL_STR:
    case VAL_DATE:
        if (lua_type(L, -1) == LUA_TSTRING) {
            size_t len;
            const char *s = lua_tolstring(L, -1, &len);
            if (fd->kind == VAL_DATE && value_parse_date(s, len) == VALUE_NOT_DATE)
                return false;
            char *copy = malloc(len + 1);
            if (!copy)
                luaL_error(L, "out of memory");
            memcpy(copy, s, len + 1);
            v->kind = fd->kind;
            v->s = copy;
            v->len = len;
            return true;
        }
        return false;
    case VAL_INT:
    case VAL_MONEY:
    case VAL_SCALED:
        if (lua_isinteger(L, -1)) {
            val_int(v, fd->kind, lua_tointeger(L, -1));
            return true;
        }
        return false;
    case VAL_BOOL:
        if (lua_isboolean(L, -1)) {
            val_int(v, VAL_BOOL, lua_toboolean(L, -1));
            return true;
        }
        return false;
    case VAL_NONE:
        break;
    }
    return false;
}

/* One key k of a record table (its value at the top of the stack) into r. */
static void read_record_key(lua_State *L, case_t *c, lua_Integer idx, rec_t *r, const char *k)
{
    const rhv_record_type *type = r->type;
    if (strcmp(k, "_type") == 0)
        return;
    if (strcmp(k, "_file") == 0) {
        if (lua_type(L, -1) != LUA_TSTRING)
            case_fail(L, c, "records[%d]: _file must be a string", (int)idx);
        else if (!r->file)
            r->file = xstrdup(L, lua_tostring(L, -1));
        return;
    }
    if (strcmp(k, "_line") == 0) {
        if (!lua_isinteger(L, -1))
            case_fail(L, c, "records[%d]: _line must be an integer", (int)idx);
        else
            r->line = (long)lua_tointeger(L, -1);
        return;
    }
    int fi = record_field_index(type, k);
    if (fi < 0) {
        case_fail(L, c, "records[%d] (%s): unknown field '%s'", (int)idx, type->name, k);
        return;
    }
    const rhv_field_def *fd = &type->fields[fi];
    if (!take_field_value(L, fd, &r->v[fi]))
        case_fail(L, c, "records[%d] (%s): field '%s' must be %s, got %s", (int)idx, type->name, k,
                  kind_word(fd->kind), lua_kind(L, -1));
    else
        check_value(L, c, idx, type, fd, &r->v[fi]);
}

/* Record at the top of the stack into c->recs[idx - 1]. */
static void read_record(lua_State *L, case_t *c, lua_Integer idx, const char *testfile)
{
    int t = lua_gettop(L);
    if (!lua_istable(L, t)) {
        case_fail(L, c, "records[%d]: not a table", (int)idx);
        return;
    }
    const rhv_record_type *type = record_type_of(L, c, idx, t);
    if (!type)
        return;
    c->recs = grow(L, c->recs, c->nrecs, sizeof *c->recs);
    rec_t *r = &c->recs[c->nrecs++];
    memset(r, 0, sizeof *r);
    r->type = type;
    r->line = (long)idx;
    r->v = calloc((size_t)type->nfields, sizeof *r->v);
    if (!r->v)
        luaL_error(L, "out of memory");
    lua_pushnil(L);
    while (lua_next(L, t)) {
        if (lua_type(L, -2) != LUA_TSTRING)
            case_fail(L, c, "records[%d] (%s): a key that is not a field name", (int)idx, type->name);
        else
            read_record_key(L, c, idx, r, lua_tostring(L, -2));
        lua_pop(L, 1);
    }
    if (!r->file)
        r->file = xstrdup(L, testfile);
    for (int i = 0; i < type->nfields; i++)
        if (type->fields[i].required && r->v[i].kind == VAL_NONE && !c->error)
            case_fail(L, c, "records[%d] (%s): required field '%s' missing", (int)idx, type->name,
                      type->fields[i].name);
}

enum { X_KIND, X_SUBJECT, X_AMOUNT, X_COUNTS, X_N };
static const lf_field expect_fmt[] = {
    [X_KIND] = {"kind", LF_STRING, LF_REQUIRED},
    [X_SUBJECT] = {"subject", LF_STRING, LF_REQUIRED},
    [X_AMOUNT] = {"amount", LF_INTEGER, LF_REQUIRED},
    [X_COUNTS] = {"counts", LF_BOOLEAN, 0},
    [X_N] = {NULL, 0, 0},
};

static void read_expect(lua_State *L, case_t *c, lua_Integer idx)
{
    int t = lua_gettop(L);
    if (!lua_istable(L, t)) {
        case_fail(L, c, "expect[%d]: not a table", (int)idx);
        return;
    }
    char where[32];
    snprintf(where, sizeof where, "expect[%d]: ", (int)idx);
    lf_value v[X_N];
    lf_result res;
    lf_check(L, t, expect_fmt, 0, v, &res);
    expect_t *ne = res.problem == LF_NO_MEMORY ? NULL : realloc(c->exp, (c->nexp + 1) * sizeof *c->exp);
    if (!ne) {
        lf_free(v, X_N);
        luaL_error(L, "out of memory");
    }
    c->exp = ne;
    expect_t *x = &c->exp[c->nexp++];
    memset(x, 0, sizeof *x);
    x->counts = -1;
    x->subject = v[X_SUBJECT].s; /* the case owns it now */
    v[X_SUBJECT].s = NULL;
    bool kind_ok = v[X_KIND].s && finding_kind_parse(v[X_KIND].s, &x->kind) == 0;
    lf_free(v, X_N);
    key_fail(L, c, &res, where, "kind, subject, amount, counts");
    if (!kind_ok)
        case_fail(L, c, "expect[%d]: kind must be fout, onzekerheid or signalering", (int)idx);
    if (v[X_SUBJECT].problem != LF_OK)
        case_fail(L, c, "expect[%d]: subject must be a string", (int)idx);
    if (v[X_AMOUNT].problem != LF_OK)
        case_fail(L, c, "expect[%d]: amount must be an integer (cents), got %s", (int)idx, lf_type_word(&v[X_AMOUNT]));
    else
        x->amount = v[X_AMOUNT].i;
    if (v[X_COUNTS].problem != LF_OK)
        case_fail(L, c, "expect[%d]: counts must be a boolean", (int)idx);
    else if (v[X_COUNTS].type != LUA_TNIL)
        x->counts = (int)v[X_COUNTS].i;
}

enum { C_NAME, C_CLASS, C_YEAR, C_ARGS, C_RECORDS, C_EXPECT, C_PARAMS, C_N };
static const lf_field case_fmt[] = {
    [C_NAME] = {"name", LF_STRING, LF_REQUIRED | LF_NONEMPTY},
    [C_CLASS] = {"class", LF_STRING, LF_REQUIRED},
    [C_YEAR] = {"year", LF_INTEGER, 0},
    [C_ARGS] = {"args", LF_TABLE, 0},
    [C_RECORDS] = {"records", LF_TABLE, 0},
    [C_EXPECT] = {"expect", LF_TABLE, LF_REQUIRED},
    [C_PARAMS] = {"params", LF_TABLE, 0},
    [C_N] = {NULL, 0, 0},
};

/* name, class and year of case idx from the checked fields v. */
static void read_case_header(lua_State *L, case_t *c, lua_Integer idx, lf_value *v, const lf_result *res)
{
    /* Taken before anything can raise: the case owns them now. */
    c->name = v[C_NAME].s;
    c->cls = v[C_CLASS].s;
    v[C_NAME].s = v[C_CLASS].s = NULL;
    lf_free(v, C_N);
    if (res->problem == LF_NO_MEMORY)
        luaL_error(L, "out of memory");
    if (!c->name) {
        char buf[32];
        snprintf(buf, sizeof buf, "case%d", (int)idx);
        c->name = xstrdup(L, buf);
        case_fail(L, c, "case %d: name missing (a non-empty string)", (int)idx);
    }
    key_fail(L, c, res, "", "name, class, year, args, records, expect, params");
    if (!c->cls || (strcmp(c->cls, "pass") != 0 && strcmp(c->cls, "fail") != 0 && strcmp(c->cls, "boundary") != 0)) {
        free(c->cls);
        c->cls = NULL;
        case_fail(L, c, "class must be \"pass\", \"fail\" or \"boundary\"");
    }
    if (v[C_YEAR].problem != LF_OK)
        case_fail(L, c, "year must be an integer");
    else if (v[C_YEAR].type != LUA_TNIL)
        c->fiscal_year = (int)v[C_YEAR].i;
}

/* One rule argument (key at -2, value at -1) as "key=value" into c->args. */
static void read_arg(lua_State *L, case_t *c)
{
    char buf[1024];
    const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
    if (!k) {
        case_fail(L, c, "args: keys must be names");
        return;
    }
    if (lua_isinteger(L, -1)) {
        snprintf(buf, sizeof buf, "%s=%lld", k, (long long)lua_tointeger(L, -1));
    } else if (lua_isboolean(L, -1)) {
        snprintf(buf, sizeof buf, "%s=%s", k, lua_toboolean(L, -1) ? "true" : "false");
    } else if (lua_type(L, -1) == LUA_TSTRING) {
        snprintf(buf, sizeof buf, "%s=%s", k, lua_tostring(L, -1));
    } else {
        case_fail(L, c, "args.%s: must be an integer, a boolean or a string, got %s", k, lua_kind(L, -1));
        return;
    }
    c->args = grow(L, c->args, c->nargs, sizeof *c->args);
    c->args[c->nargs++] = xstrdup(L, buf);
}

/* One parameter table (name at -2, value at -1) into c->pnames/c->pvals. */
static void read_param(lua_State *L, case_t *c)
{
    if (lua_type(L, -2) != LUA_TSTRING) {
        case_fail(L, c, "params: keys must be parameter table names");
        return;
    }
    c->pnames = grow(L, c->pnames, c->nparams, sizeof *c->pnames);
    c->pvals = grow(L, c->pvals, c->nparams, sizeof *c->pvals);
    char what[256];
    snprintf(what, sizeof what, "params.%s", lua_tostring(L, -2));
    char *err = NULL;
    rhv_pvalue v;
    if (pvalue_from_lua(L, -1, what, &v, &err) != 0) {
        lua_pushstring(L, err ? err : "out of memory");
        free(err);
        case_fail(L, c, "%s", lua_tostring(L, -1));
        lua_pop(L, 1);
        return;
    }
    c->pvals[c->nparams] = v;
    c->pnames[c->nparams] = strdup(lua_tostring(L, -2));
    if (!c->pnames[c->nparams]) {
        pvalue_free(&v);
        luaL_error(L, "out of memory");
    }
    c->nparams++;
}

/* Each key/value pair of the optional table field f through read_pair; a
 * field that is there but not a table fails the case with not_table. */
static void read_pairs(lua_State *L, case_t *c, const lf_value *f, void (*read_pair)(lua_State *, case_t *),
                       const char *not_table)
{
    int base = lua_gettop(L);
    if (f->idx) {
        lua_pushvalue(L, f->idx);
        lua_pushnil(L);
        while (lua_next(L, -2)) {
            read_pair(L, c);
            lua_pop(L, 1);
        }
    } else if (f->type != LUA_TNIL) {
        case_fail(L, c, "%s", not_table);
    }
    lua_settop(L, base);
}

/* Each entry of the list field f (present: f->idx) through read_item. */
static void read_list(lua_State *L, case_t *c, const lf_value *f, const char *what,
                      void (*read_item)(lua_State *, case_t *, lua_Integer, const char *), const char *testfile)
{
    int base = lua_gettop(L);
    lua_Integer n = lf_list_len(L, f->idx, MAX_TEST_LIST);
    if (n < 0)
        case_fail(L, c, "%s has more than %d entries", what, MAX_TEST_LIST);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, f->idx, i);
        read_item(L, c, i, testfile);
        lua_settop(L, base);
    }
}

static void read_expect_item(lua_State *L, case_t *c, lua_Integer idx, const char *testfile)
{
    (void)testfile;
    read_expect(L, c, idx);
}

static void read_case(lua_State *L, case_t *c, lua_Integer idx, const char *testfile)
{
    int t = lua_gettop(L);
    c->fiscal_year = DEFAULT_FISCAL_YEAR;
    if (!lua_istable(L, t)) {
        c->name = xstrdup(L, "?");
        case_fail(L, c, "case %d is not a table", (int)idx);
        return;
    }
    lf_value v[C_N];
    lf_result res;
    lf_check(L, t, case_fmt, 0, v, &res);
    read_case_header(L, c, idx, v, &res);
    /* The tables stay on the stack where lf_check left them (v[].idx). */
    read_pairs(L, c, &v[C_ARGS], read_arg, "args must be a table");
    read_pairs(L, c, &v[C_PARAMS], read_param, "params must be a table");
    if (v[C_RECORDS].idx)
        read_list(L, c, &v[C_RECORDS], "records", read_record, testfile);
    else if (v[C_RECORDS].type != LUA_TNIL)
        case_fail(L, c, "records must be a list");
    if (v[C_EXPECT].idx)
        read_list(L, c, &v[C_EXPECT], "expect", read_expect_item, testfile);
    else
        case_fail(L, c, "expect missing (a list of findings; { } for none)");
    lua_settop(L, t);
}

/* Argument 1: suite_t; argument 2: the value the test file returned. */
static int read_suite(lua_State *L)
{
    suite_t *s = lua_touserdata(L, 1);
    if (!lua_istable(L, 2))
        return luaL_error(L, "%s must return a list of cases, got %s", s->testfile, luaL_typename(L, 2));
    lua_Integer n = lf_list_len(L, 2, MAX_TEST_LIST);
    if (n < 0)
        return luaL_error(L, "%s has more than %d cases", s->testfile, MAX_TEST_LIST);
    for (lua_Integer i = 1; i <= n; i++) {
        s->cases = grow(L, s->cases, s->n, sizeof *s->cases);
        case_t *c = &s->cases[s->n++];
        memset(c, 0, sizeof *c);
        lua_rawgeti(L, 2, i);
        read_case(L, c, i, s->testfile);
        lua_settop(L, 2);
    }
    return 0;
}

/* Argument 1: what plugins/lib/testlib.lua returned. */
static int set_testlib(lua_State *L)
{
    lua_setglobal(L, "rhvtest");
    return 0;
}

/* The file sees the shared record builders as the global `rhvtest`
 * (plugins/lib/testlib.lua), set before the globals are sealed. */
char *test_suite_load(const char *testfile, const char *plugins_dir, suite_t *s)
{
    s->testfile = testfile;
    sandbox *sb = sandbox_new(TEST_MEM, TEST_BUDGET);
    if (!sb)
        return strdup("out of memory");
    sandbox_set_name(sb, testfile);
    char *err = NULL;
    lua_State *L = sandbox_state(sb);
    char lib[4096];
    snprintf(lib, sizeof lib, "%s/lib/testlib.lua", plugins_dir);
    lua_pushcfunction(L, set_testlib);
    if (sandbox_load_file(sb, lib, &err) != 0 || sandbox_pcall(sb, 0, 1, &err) != LUA_OK ||
        sandbox_pcall(sb, 1, 0, &err) != LUA_OK) {
        sandbox_free(sb);
        return err;
    }
    if (sandbox_seal(sb) != 0) {
        sandbox_free(sb);
        return strdup("out of memory");
    }
    lua_pushcfunction(L, read_suite);
    lua_pushlightuserdata(L, s);
    if (sandbox_load_file(sb, testfile, &err) == 0 && sandbox_pcall(sb, 0, 1, &err) == LUA_OK)
        sandbox_pcall(sb, 2, 0, &err);
    sandbox_free(sb);
    return err;
}
