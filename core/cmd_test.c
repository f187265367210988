/* cmd_test.c - `rhv test [--rules-dir DIR] [--params-dir DIR] [RULE...]`:
 * runs the cases in rules/<id>_test.lua (docs/rule-api.md, "Tests").
 *
 * Each case runs in a fresh engine with only its rule loaded, so no state
 * carries over between cases. Case records are checked against the record
 * schema and value.h exactly as a reader would produce them: a test must not
 * feed a rule something the readers never could. Findings are compared as a
 * multiset on kind, subject and amount (and counts when the case says so),
 * never on message text.
 *
 * Output: one line per case "id.case: PASS|FAIL" (failures followed by
 * indented detail), problems with a rule as a whole as "id: FAIL", and a last
 * line "N passed, N failed". Exit 0 when nothing failed, 1 otherwise, 2 on a
 * usage error.
 */
#include <dirent.h>
#include <lauxlib.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "engine.h"
#include "lua_fields.h"
#include "params.h"
#include "paths.h"
#include "sandbox.h"
#include "value.h"

#define TEST_MEM (64u * 1024u * 1024u)
#define TEST_BUDGET 50000000u
#define DEFAULT_YEAR 2023

typedef struct {
    finding_kind kind;
    char *subject;
    int64_t amount;
    int counts; /* -1: not checked */
} expect_t;

typedef struct {
    const rhv_record_type *type;
    rhv_value *v;
    char *file;
    long line;
} rec_t;

typedef struct {
    char *name, *cls;
    int year;
    char **args; /* "key=value" */
    size_t nargs;
    char **pnames;
    rhv_pvalue *pvals;
    size_t nparams;
    rec_t *recs;
    size_t nrecs;
    expect_t *exp;
    size_t nexp;
    char *error; /* the case itself is malformed */
} case_t;

typedef struct {
    const char *testfile;
    case_t *cases;
    size_t n;
} suite_t;

/* ---- owning helpers ------------------------------------------------------ */

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

static void suite_free(suite_t *s)
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

/* Record at the top of the stack into c->recs[idx - 1]. */
static void read_record(lua_State *L, case_t *c, lua_Integer idx, const char *testfile)
{
    int t = lua_gettop(L);
    if (!lua_istable(L, t)) {
        case_fail(L, c, "records[%d]: not a table", (int)idx);
        return;
    }
    lua_getfield(L, t, "_type");
    const rhv_record_type *type = lua_type(L, -1) == LUA_TSTRING ? record_type_find(lua_tostring(L, -1)) : NULL;
    if (!type) {
        case_fail(L, c, "records[%d]: _type %s%s%s is not a record type (docs/records.md)", (int)idx,
                  lua_type(L, -1) == LUA_TSTRING ? "'" : "", lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "missing",
                  lua_type(L, -1) == LUA_TSTRING ? "'" : "");
        lua_pop(L, 1);
        return;
    }
    lua_pop(L, 1);
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
        if (lua_type(L, -2) != LUA_TSTRING) {
            case_fail(L, c, "records[%d] (%s): a key that is not a field name", (int)idx, type->name);
            lua_pop(L, 1);
            continue;
        }
        const char *k = lua_tostring(L, -2);
        if (strcmp(k, "_type") == 0) {
        } else if (strcmp(k, "_file") == 0) {
            if (lua_type(L, -1) != LUA_TSTRING)
                case_fail(L, c, "records[%d]: _file must be a string", (int)idx);
            else if (!r->file)
                r->file = xstrdup(L, lua_tostring(L, -1));
        } else if (strcmp(k, "_line") == 0) {
            if (!lua_isinteger(L, -1))
                case_fail(L, c, "records[%d]: _line must be an integer", (int)idx);
            else
                r->line = (long)lua_tointeger(L, -1);
        } else {
            int fi = record_field_index(type, k);
            if (fi < 0) {
                case_fail(L, c, "records[%d] (%s): unknown field '%s'", (int)idx, type->name, k);
                lua_pop(L, 1);
                continue;
            }
            const rhv_field_def *fd = &type->fields[fi];
            rhv_value *v = &r->v[fi];
            bool ok = false;
            switch (fd->kind) {
            case VAL_STR:
            case VAL_DATE:
                if (lua_type(L, -1) == LUA_TSTRING) {
                    size_t len;
                    const char *s = lua_tolstring(L, -1, &len);
                    if (fd->kind == VAL_DATE && value_parse_date(s, len) == VALUE_NOT_DATE)
                        break;
                    char *copy = malloc(len + 1);
                    if (!copy)
                        luaL_error(L, "out of memory");
                    memcpy(copy, s, len + 1);
                    v->kind = fd->kind;
                    v->s = copy;
                    v->len = len;
                    ok = true;
                }
                break;
            case VAL_INT:
            case VAL_MONEY:
            case VAL_SCALED:
                if (lua_isinteger(L, -1)) {
                    val_int(v, fd->kind, lua_tointeger(L, -1));
                    ok = true;
                }
                break;
            case VAL_BOOL:
                if (lua_isboolean(L, -1)) {
                    val_int(v, VAL_BOOL, lua_toboolean(L, -1));
                    ok = true;
                }
                break;
            case VAL_NONE:
                break;
            }
            if (!ok)
                case_fail(L, c, "records[%d] (%s): field '%s' must be %s, got %s", (int)idx, type->name, k,
                          kind_word(fd->kind), lua_kind(L, -1));
            else
                check_value(L, c, idx, type, fd, v);
        }
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

static void read_case(lua_State *L, case_t *c, lua_Integer idx, const char *testfile)
{
    int t = lua_gettop(L);
    c->year = DEFAULT_YEAR;
    if (!lua_istable(L, t)) {
        c->name = xstrdup(L, "?");
        case_fail(L, c, "case %d is not a table", (int)idx);
        return;
    }
    lf_value v[C_N];
    lf_result res;
    lf_check(L, t, case_fmt, 0, v, &res);
    /* Taken before anything can raise: the case owns them now. */
    c->name = v[C_NAME].s;
    c->cls = v[C_CLASS].s;
    v[C_NAME].s = v[C_CLASS].s = NULL;
    lf_free(v, C_N);
    if (res.problem == LF_NO_MEMORY)
        luaL_error(L, "out of memory");
    if (!c->name) {
        char buf[32];
        snprintf(buf, sizeof buf, "case%d", (int)idx);
        c->name = xstrdup(L, buf);
        case_fail(L, c, "case %d: name missing (a non-empty string)", (int)idx);
    }
    key_fail(L, c, &res, "", "name, class, year, args, records, expect, params");
    if (!c->cls || (strcmp(c->cls, "pass") != 0 && strcmp(c->cls, "fail") != 0 && strcmp(c->cls, "boundary") != 0)) {
        free(c->cls);
        c->cls = NULL;
        case_fail(L, c, "class must be \"pass\", \"fail\" or \"boundary\"");
    }
    if (v[C_YEAR].problem != LF_OK)
        case_fail(L, c, "year must be an integer");
    else if (v[C_YEAR].type != LUA_TNIL)
        c->year = (int)v[C_YEAR].i;

    /* Each table stays on the stack where lf_check left it: pushed here in
     * order so the code below finds it at the top. */
    int base = lua_gettop(L);
    if (v[C_ARGS].idx)
        lua_pushvalue(L, v[C_ARGS].idx);
    else
        lua_pushnil(L);
    if (lua_type(L, -1) == LUA_TTABLE) {
        lua_pushnil(L);
        while (lua_next(L, -2)) {
            char buf[1024];
            const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
            if (!k) {
                case_fail(L, c, "args: keys must be names");
            } else if (lua_isinteger(L, -1)) {
                snprintf(buf, sizeof buf, "%s=%lld", k, (long long)lua_tointeger(L, -1));
            } else if (lua_isboolean(L, -1)) {
                snprintf(buf, sizeof buf, "%s=%s", k, lua_toboolean(L, -1) ? "true" : "false");
            } else if (lua_type(L, -1) == LUA_TSTRING) {
                snprintf(buf, sizeof buf, "%s=%s", k, lua_tostring(L, -1));
            } else {
                case_fail(L, c, "args.%s: must be an integer, a boolean or a string, got %s", k, lua_kind(L, -1));
                k = NULL;
            }
            if (k) {
                c->args = grow(L, c->args, c->nargs, sizeof *c->args);
                c->args[c->nargs++] = xstrdup(L, buf);
            }
            lua_pop(L, 1);
        }
    } else if (v[C_ARGS].type != LUA_TNIL) {
        case_fail(L, c, "args must be a table");
    }
    lua_settop(L, base);

    if (v[C_PARAMS].idx)
        lua_pushvalue(L, v[C_PARAMS].idx);
    else
        lua_pushnil(L);
    if (lua_type(L, -1) == LUA_TTABLE) {
        lua_pushnil(L);
        while (lua_next(L, -2)) {
            if (lua_type(L, -2) != LUA_TSTRING) {
                case_fail(L, c, "params: keys must be parameter table names");
            } else {
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
                } else {
                    c->pvals[c->nparams] = v;
                    c->pnames[c->nparams] = strdup(lua_tostring(L, -2));
                    if (!c->pnames[c->nparams]) {
                        pvalue_free(&v);
                        luaL_error(L, "out of memory");
                    }
                    c->nparams++;
                }
            }
            lua_pop(L, 1);
        }
    } else if (v[C_PARAMS].type != LUA_TNIL) {
        case_fail(L, c, "params must be a table");
    }
    lua_settop(L, base);

    if (v[C_RECORDS].idx) {
        lua_Integer n = lf_list_len(L, v[C_RECORDS].idx, MAX_TEST_LIST);
        if (n < 0)
            case_fail(L, c, "records has more than %d entries", MAX_TEST_LIST);
        for (lua_Integer i = 1; i <= n; i++) {
            lua_rawgeti(L, v[C_RECORDS].idx, i);
            read_record(L, c, i, testfile);
            lua_settop(L, base);
        }
    } else if (v[C_RECORDS].type != LUA_TNIL) {
        case_fail(L, c, "records must be a list");
    }

    if (v[C_EXPECT].idx) {
        lua_Integer n = lf_list_len(L, v[C_EXPECT].idx, MAX_TEST_LIST);
        if (n < 0)
            case_fail(L, c, "expect has more than %d entries", MAX_TEST_LIST);
        for (lua_Integer i = 1; i <= n; i++) {
            lua_rawgeti(L, v[C_EXPECT].idx, i);
            read_expect(L, c, i);
            lua_settop(L, base);
        }
    } else {
        case_fail(L, c, "expect missing (a list of findings; { } for none)");
    }
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

/* Load the test file and fill s; NULL or a malloc'd error. The file sees the
 * shared record builders as the global `rhvtest` (plugins/lib/testlib.lua),
 * set before the globals are sealed. */
static char *load_suite(const char *testfile, const char *plugins_dir, suite_t *s)
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

/* ---- running -------------------------------------------------------------- */

typedef struct {
    const char *rules_dir, *params_dir, *plugins_dir;
    int passed, failed;
} runner;

static void print_indented(const char *text, const char *indent)
{
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        printf("%s%.*s\n", indent, (int)n, p);
        p += n;
        if (nl)
            p++;
    }
}

static void fail_line(runner *R, const char *what, const char *detail)
{
    printf("%s: FAIL\n", what);
    if (detail)
        print_indented(detail, "    ");
    R->failed++;
}

static void print_expect(const expect_t *x, const char *mark)
{
    printf("      %s%s \"%s\" %lld", mark, finding_kind_name(x->kind), x->subject ? x->subject : "",
           (long long)x->amount);
    if (x->counts >= 0)
        printf(" counts=%s", x->counts ? "true" : "false");
    printf("\n");
}

static void print_got(const rhv_finding *f, const char *mark)
{
    printf("      %s%s \"%s\" %lld%s\n", mark, finding_kind_name(f->kind), f->subject, (long long)f->amount,
           f->counts || f->kind == KIND_SIGNALERING ? "" : " counts=false"); /* a signalering never counts */
}

static bool matches(const expect_t *x, const rhv_finding *f)
{
    return x->kind == f->kind && strcmp(x->subject, f->subject) == 0 && x->amount == f->amount &&
           (x->counts < 0 || (x->counts != 0) == f->counts);
}

static const char *last_diag(const rhv_diag *d)
{
    return d->n ? d->msgs[d->n - 1].message : "see the messages above";
}

static void run_case(runner *R, const char *rule_file, const char *id, case_t *c)
{
    char label[512];
    snprintf(label, sizeof label, "%s.%s", id, c->name);
    if (c->error) {
        fail_line(R, label, c->error);
        return;
    }
    rhv_diag d;
    diag_init(&d, NULL);
    rhv_engine_opts o = {.plugins_dir = R->plugins_dir, .params_dir = R->params_dir, .diag = &d};
    rhv_engine *e = engine_new(&o);
    char msg[2048];
    if (!e) {
        fail_line(R, label, d.n ? last_diag(&d) : "out of memory");
        diag_free(&d);
        return;
    }
    if (engine_load_file(e, rule_file) != 0) {
        fail_line(R, label, engine_rule(e, 0) && engine_rule(e, 0)->message ? engine_rule(e, 0)->message
                                                                             : last_diag(&d));
        goto out;
    }
    for (size_t i = 0; i < c->nargs; i++) {
        snprintf(msg, sizeof msg, "%s.%s", id, c->args[i]);
        if (engine_set_rule_arg_cents(e, msg) != 0) {
            snprintf(msg, sizeof msg, "args: %s", last_diag(&d));
            fail_line(R, label, msg);
            goto out;
        }
    }
    for (size_t i = 0; i < c->nparams; i++)
        if (engine_set_param_value(e, c->pnames[i], &c->pvals[i]) != 0) {
            fail_line(R, label, "out of memory");
            goto out;
        }
    engine_start(e, c->year, SRC_DOSSIER | SRC_LEDGER);
    const rhv_rule_info *info = engine_rule(e, 0);
    if (info->status == RULE_ERROR) {
        fail_line(R, label, info->message);
        goto out;
    }
    for (size_t i = 0; i < c->nrecs; i++) {
        rhv_record rec = {c->recs[i].type, c->recs[i].file, c->recs[i].line, c->recs[i].v};
        engine_dispatch(e, &rec);
    }
    engine_finish(e);
    info = engine_rule(e, 0);
    if (info->status == RULE_ERROR) {
        fail_line(R, label, info->message);
        goto out;
    }
    /* A skipped rule (year outside its years) emits nothing: compared as such. */
    size_t nf = engine_finding_count(e);
    bool *used = calloc(nf + 1, sizeof *used);
    bool *hit = calloc(c->nexp + 1, sizeof *hit);
    if (!used || !hit) {
        free(used);
        free(hit);
        fail_line(R, label, "out of memory");
        goto out;
    }
    size_t missing = 0;
    for (size_t i = 0; i < c->nexp; i++) {
        for (size_t j = 0; j < nf && !hit[i]; j++)
            if (!used[j] && matches(&c->exp[i], engine_finding(e, j)))
                used[j] = hit[i] = true;
        if (!hit[i])
            missing++;
    }
    size_t extra = 0;
    for (size_t j = 0; j < nf; j++)
        if (!used[j])
            extra++;
    if (missing == 0 && extra == 0) {
        printf("%s: PASS\n", label);
        R->passed++;
    } else {
        printf("%s: FAIL\n", label);
        R->failed++;
        if (info->status == RULE_SKIPPED)
            printf("    rule skipped: %s\n", info->message);
        printf("    expected (%zu):\n", c->nexp);
        for (size_t i = 0; i < c->nexp; i++)
            print_expect(&c->exp[i], hit[i] ? "  " : "- ");
        printf("    got (%zu):\n", nf);
        for (size_t j = 0; j < nf; j++)
            print_got(engine_finding(e, j), used[j] ? "  " : "+ ");
        printf("    (- expected but not found, + found but not expected)\n");
    }
    free(used);
    free(hit);
out:
    engine_free(e);
    diag_free(&d);
}

static void run_rule(runner *R, const char *file, const rhv_rule_info *info)
{
    if (info->status == RULE_ERROR) {
        fail_line(R, info->id, info->message);
        return;
    }
    /* rules/<name>.lua -> rules/<name>_test.lua */
    char testfile[4096];
    size_t fl = strlen(file);
    snprintf(testfile, sizeof testfile, "%.*s_test.lua", (int)(fl - 4), file);
    FILE *f = fopen(testfile, "rb");
    if (!f) {
        char msg[4200];
        snprintf(msg, sizeof msg, "no test file %s (docs/rule-api.md, Tests)", testfile);
        fail_line(R, info->id, msg);
        return;
    }
    fclose(f);
    suite_t s = {0};
    char *err = load_suite(testfile, R->plugins_dir, &s);
    if (err) {
        fail_line(R, info->id, err);
        free(err);
        suite_free(&s);
        return;
    }
    for (size_t i = 0; i < s.n; i++)
        run_case(R, file, info->id, &s.cases[i]);
    static const char *const classes[] = {"pass", "fail", "boundary"};
    for (int k = 0; k < 3; k++) {
        bool have = false;
        for (size_t i = 0; i < s.n; i++)
            if (s.cases[i].cls && strcmp(s.cases[i].cls, classes[k]) == 0)
                have = true;
        if (!have) {
            char msg[4400];
            snprintf(msg, sizeof msg, "no case of class '%s' in %s (each rule needs pass, fail and boundary)",
                     classes[k], strrchr(testfile, '/') ? strrchr(testfile, '/') + 1 : testfile);
            fail_line(R, info->id, msg);
        }
    }
    suite_free(&s);
}

static void usage(FILE *out)
{
    fprintf(out, "usage: rhv test [--rules-dir DIR] [--params-dir DIR] [RULE...]\n"
                 "Runs the cases in DIR/<rule>_test.lua; RULE is a rule id or file name.\n");
}

int cmd_test(int argc, char **argv)
{
    char rules_buf[4096], params_buf[4096], plugins_buf[4096];
    runner R = {0};
    R.rules_dir = rhv_path(rules_buf, sizeof rules_buf, "rules");
    R.params_dir = rhv_path(params_buf, sizeof params_buf, "params");
    R.plugins_dir = rhv_path(plugins_buf, sizeof plugins_buf, "plugins");
    char **wanted = calloc((size_t)argc + 1, sizeof *wanted);
    size_t nwanted = 0;
    if (!wanted) {
        fprintf(stderr, "rhv test: out of memory\n");
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--rules-dir") == 0 && i + 1 < argc) {
            R.rules_dir = argv[++i];
        } else if (strcmp(argv[i], "--params-dir") == 0 && i + 1 < argc) {
            R.params_dir = argv[++i];
        } else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            free(wanted);
            return 0;
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "rhv test: unknown option '%s'\n", argv[i]);
            usage(stderr);
            free(wanted);
            return 2;
        } else {
            wanted[nwanted++] = argv[i];
        }
    }

    /* Load every rule once to learn its id (and its load errors). */
    rhv_diag d;
    diag_init(&d, NULL);
    rhv_engine_opts o = {.plugins_dir = R.plugins_dir, .params_dir = R.params_dir, .diag = &d};
    rhv_engine *all = engine_new(&o);
    if (!all) {
        fprintf(stderr, "rhv test: %s\n", d.n ? d.msgs[0].message : "out of memory");
        diag_free(&d);
        free(wanted);
        return 2;
    }
    if (engine_load_dir(all, R.rules_dir) != 0 && engine_rule_count(all) == 0 && d.n &&
        strstr(d.msgs[0].message, "cannot open")) {
        fprintf(stderr, "rhv test: %s: %s\n", R.rules_dir, d.msgs[0].message);
        engine_free(all);
        diag_free(&d);
        free(wanted);
        return 2;
    }
    bool *seen = calloc(nwanted + 1, sizeof *seen);
    if (!seen) {
        engine_free(all);
        diag_free(&d);
        free(wanted);
        return 2;
    }
    for (size_t i = 0; i < engine_rule_count(all); i++) {
        const rhv_rule_info *info = engine_rule(all, i);
        const char *base = strrchr(info->file, '/') ? strrchr(info->file, '/') + 1 : info->file;
        bool take = nwanted == 0;
        for (size_t w = 0; w < nwanted; w++) {
            size_t wl = strlen(wanted[w]);
            if (strcmp(wanted[w], info->id) == 0 || strcmp(wanted[w], base) == 0 ||
                (strncmp(wanted[w], base, wl) == 0 && strcmp(base + wl, ".lua") == 0)) {
                take = true;
                seen[w] = true;
            }
        }
        if (take)
            run_rule(&R, info->file, info);
    }
    for (size_t w = 0; w < nwanted; w++)
        if (!seen[w]) {
            char msg[4200];
            snprintf(msg, sizeof msg, "no such rule in %s", R.rules_dir);
            fail_line(&R, wanted[w], msg);
        }
    printf("%d passed, %d failed\n", R.passed, R.failed);
    fflush(stdout);
    free(seen);
    free(wanted);
    engine_free(all);
    diag_free(&d);
    return R.failed ? 1 : 0;
}
