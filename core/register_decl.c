/* register_decl.c - see register_decl.h */
#include "register_decl.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "lua_fields.h"
#include "paths.h"
#include "sandbox.h"

#define DECL_MEM (4u * 1024u * 1024u)
#define DECL_BUDGET 1000000u
#define MAX_ENUM 200

/* ---- messages ---------------------------------------------------------- */

typedef struct {
    rhv_diag *d;
    const char *path;
} decl_ctx;

static void fail(decl_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(decl_ctx *c, const char *fmt, ...)
{
    char buf[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    diag_error(c->d, c->path, 0, "%s", buf);
}

/* ---- kinds ------------------------------------------------------------- */

typedef enum { K_STRING, K_ENUM, K_AMOUNT, K_DATE, K_INTEGER, K_BOOLEAN, K_PERCENTAGE, K_DECIMAL, K_N } decl_kind;
static const char *const kind_names[K_N + 1] = {"string", "enum", "amount", "date", "integer",
                                                "boolean", "percentage", "decimal", NULL};
static const char kinds_text[] = "string, enum, amount, date, integer, boolean, percentage, decimal";

/* A field or register name: ^[a-z][a-z0-9_]*$, at most 64 bytes. */
static bool valid_name(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64 || !(s[0] >= 'a' && s[0] <= 'z'))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
            return false;
    return true;
}

/* ---- one declaration --------------------------------------------------- */

void register_decl_free(struct register_decl *r)
{
    if (!r)
        return;
    for (int i = 0; r->fields && i < r->type.nfields; i++) {
        free((char *)r->fields[i].name);
        free((char *)r->fields[i].doc);
        if (r->enum_values && r->enum_values[i]) {
            for (char **v = r->enum_values[i]; *v; v++)
                free(*v);
            free(r->enum_values[i]);
        }
    }
    free(r->fields);
    free(r->domains);
    free(r->enum_values);
    free((char *)r->type.name);
    free((char *)r->type.doc);
    free(r->file);
    free(r->sha256);
    free(r);
}

enum { T_NAME, T_DESCRIPTION, T_KEY, T_FIELDS, T_N };
static const lf_field top_fmt[] = {
    [T_NAME] = {"name", LF_STRING, LF_REQUIRED | LF_NONEMPTY},
    [T_DESCRIPTION] = {"description", LF_STRING, LF_REQUIRED | LF_NONEMPTY | LF_TEXT},
    [T_KEY] = {"key", LF_STRING, LF_REQUIRED | LF_NONEMPTY},
    [T_FIELDS] = {"fields", LF_TABLE, LF_REQUIRED},
    [T_N] = {NULL, 0, 0},
};
enum { F_NAME, F_KIND, F_REQUIRED, F_DOC, F_VALUES, F_NONNEG, F_MIN, F_MAX, F_SCALE, F_N };
static const lf_field field_fmt[] = {
    [F_NAME] = {"name", LF_STRING, LF_REQUIRED | LF_NONEMPTY},
    [F_KIND] = {"kind", LF_STRING, LF_REQUIRED | LF_NONEMPTY},
    [F_REQUIRED] = {"required", LF_BOOLEAN, 0},
    [F_DOC] = {"doc", LF_STRING, LF_REQUIRED | LF_NONEMPTY | LF_TEXT},
    [F_VALUES] = {"values", LF_TABLE, 0},
    [F_NONNEG] = {"non_negative", LF_BOOLEAN, 0},
    [F_MIN] = {"min", LF_INTEGER, 0},
    [F_MAX] = {"max", LF_INTEGER, 0},
    [F_SCALE] = {"scale", LF_INTEGER, 0},
    [F_N] = {NULL, 0, 0},
};

/* The field name of lf's first problem, for "field 'x': ...". */
static const char *problem_text(lf_problem p)
{
    switch (p) {
    case LF_MISSING: return "missing";
    case LF_WRONG_TYPE: return "has the wrong type";
    case LF_EMPTY: return "is empty";
    case LF_LINE_BREAK: return "has a line break";
    case LF_CONTROL: return "has a control character";
    default: return "is not valid";
    }
}

/* Reports res of lf_check on `where` (a prefix like "fields[2]" or ""). 0 ok. */
static int report_check(decl_ctx *c, const char *where, const lf_field *fmt, const lf_result *res,
                        const lf_value *v, const char *allowed)
{
    const char *dot = where[0] ? "." : "";
    switch (res->problem) {
    case LF_OK:
        return 0;
    case LF_NOT_TABLE:
        fail(c, "%s%smust be a table", where, where[0] ? ": " : "a register declaration ");
        return -1;
    case LF_UNKNOWN_KEY:
    case LF_KEY_NOT_STRING:
        fail(c, "%s%sunknown field '%s' (allowed: %s)", where, where[0] ? ": " : "", res->key, allowed);
        return -1;
    case LF_TOO_MANY_KEYS:
        fail(c, "%s: more than %d fields", where[0] ? where : "declaration", LF_MAX_KEYS);
        return -1;
    case LF_NO_MEMORY:
        fail(c, "out of memory");
        return -1;
    default:
        if (res->field >= 0 && res->problem == LF_WRONG_TYPE)
            fail(c, "%s%s%s: must be a %s, not a %s", where, dot, fmt[res->field].name,
                 fmt[res->field].type == LF_STRING    ? "string"
                 : fmt[res->field].type == LF_BOOLEAN ? "boolean"
                 : fmt[res->field].type == LF_INTEGER ? "integer"
                                                      : "table",
                 lf_type_word(&v[res->field]));
        else if (res->field >= 0)
            fail(c, "%s%s%s: %s", where, dot, fmt[res->field].name, problem_text(res->problem));
        else
            fail(c, "%s: %s", where[0] ? where : "declaration", problem_text(res->problem));
        return -1;
    }
}

/* The list at idx as n strings (NULL-terminated, malloc'd); -1 reported. */
static int enum_values(lua_State *L, int idx, decl_ctx *c, const char *where, char ***out)
{
    lua_Integer n = lf_list_len(L, idx, MAX_ENUM);
    size_t keys = 0;
    int mark = lua_gettop(L);
    lua_pushnil(L);
    while (keys <= MAX_ENUM && lua_next(L, idx)) {
        lua_pop(L, 1);
        keys++;
    }
    lua_settop(L, mark);
    if (n <= 0 || (size_t)n != keys) {
        fail(c, "%s.values: must be a list of 1 to %d strings", where, MAX_ENUM);
        return -1;
    }
    char **v = calloc((size_t)n + 1, sizeof *v);
    if (!v) {
        fail(c, "out of memory");
        return -1;
    }
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, idx, i);
        size_t len = 0;
        const char *s = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &len) : NULL;
        size_t at;
        if (!s || len == 0 || lf_text_problem(s, len, false, &at) != LF_OK || strlen(s) != len) {
            fail(c, "%s.values[%lld]: must be a non-empty string on one line", where, (long long)i);
            lua_pop(L, 1);
            goto bad;
        }
        for (lua_Integer j = 1; j < i; j++)
            if (strcmp(v[j - 1], s) == 0) {
                fail(c, "%s.values[%lld]: \"%s\" is listed twice", where, (long long)i, s);
                lua_pop(L, 1);
                goto bad;
            }
        v[i - 1] = strdup(s);
        lua_pop(L, 1);
        if (!v[i - 1]) {
            fail(c, "out of memory");
            goto bad;
        }
    }
    *out = v;
    return 0;
bad:
    for (char **p = v; *p; p++)
        free(*p);
    free(v);
    return -1;
}

/* The kind named by v[F_KIND], with only the options of that kind set; -1
 * reported. */
static int field_kind(decl_ctx *c, const char *where, const lf_value *v)
{
    int k = 0;
    while (k < K_N && strcmp(kind_names[k], v[F_KIND].s) != 0)
        k++;
    if (k == K_N) {
        fail(c, "%s.kind: '%s' is not a kind (%s)", where, v[F_KIND].s, kinds_text);
        return -1;
    }
    /* Each option belongs to one kind: an option on another kind is a mistake. */
    static const struct {
        int f;
        decl_kind k;
    } owner[] = {{F_VALUES, K_ENUM}, {F_NONNEG, K_AMOUNT}, {F_MIN, K_INTEGER}, {F_MAX, K_INTEGER},
                 {F_SCALE, K_DECIMAL}};
    for (size_t o = 0; o < sizeof owner / sizeof owner[0]; o++)
        if (v[owner[o].f].type != LUA_TNIL && k != (int)owner[o].k) {
            fail(c, "%s.%s: only a field of kind %s has it", where, field_fmt[owner[o].f].name,
                 kind_names[owner[o].k]);
            return -1;
        }
    return k;
}

/* Field i's value kind and domain (r->fields[i], r->domains[i]) from kind k
 * and its options v; -1 reported. */
static int field_domain(lua_State *L, decl_ctx *c, const char *where, decl_kind k, const lf_value *v,
                        struct register_decl *r, int i)
{
    rhv_field_def *f = &r->fields[i];
    value_domain *d = &r->domains[i];
    switch (k) {
    case K_STRING:
        f->kind = VAL_STR;
        d->non_empty = f->required;
        return 0;
    case K_ENUM:
        f->kind = VAL_STR;
        if (!v[F_VALUES].idx) {
            fail(c, "%s.values: missing (an enum lists its values)", where);
            return -1;
        }
        if (enum_values(L, v[F_VALUES].idx, c, where, &r->enum_values[i]) != 0)
            return -1;
        d->values = (const char *const *)r->enum_values[i];
        return 0;
    case K_AMOUNT:
        f->kind = VAL_MONEY;
        d->non_negative = v[F_NONNEG].type != LUA_TNIL && v[F_NONNEG].i;
        return 0;
    case K_DATE:
        f->kind = VAL_DATE;
        return 0;
    case K_INTEGER:
        f->kind = VAL_INT;
        if (v[F_MIN].type != LUA_TNIL || v[F_MAX].type != LUA_TNIL) {
            d->bounded = true;
            d->min = v[F_MIN].type != LUA_TNIL ? v[F_MIN].i : INT64_MIN;
            d->max = v[F_MAX].type != LUA_TNIL ? v[F_MAX].i : INT64_MAX;
            if (d->min > d->max) {
                fail(c, "%s: min %lld is above max %lld", where, (long long)d->min, (long long)d->max);
                return -1;
            }
            d->range_why = "is outside the range its register declares";
        }
        return 0;
    case K_BOOLEAN:
        f->kind = VAL_BOOL;
        return 0;
    case K_PERCENTAGE:
        f->kind = VAL_SCALED;
        f->scale = 2;
        d->percentage = true;
        return 0;
    case K_DECIMAL:
        f->kind = VAL_SCALED;
        if (v[F_SCALE].type == LUA_TNIL || v[F_SCALE].i < 1 || v[F_SCALE].i > 4) {
            fail(c, "%s.scale: must be 1, 2, 3 or 4 (the decimals a value may have)", where);
            return -1;
        }
        f->scale = (int)v[F_SCALE].i;
        return 0;
    case K_N:
        break;
    }
    return -1;
}

/* Field i (the table at the top of the stack) into r; reports with file+field. */
static int check_field(lua_State *L, decl_ctx *c, int i, struct register_decl *r)
{
    char where[96];
    snprintf(where, sizeof where, "fields[%d]", i + 1);
    if (!lua_istable(L, -1)) {
        fail(c, "%s: must be a table { name = ..., kind = ..., doc = ... }", where);
        return -1;
    }
    lf_value v[F_N];
    lf_result res;
    int rc = -1;
    lf_check(L, -1, field_fmt, 0, v, &res);
    if (report_check(c, where, field_fmt, &res, v,
                     "name, kind, required, doc, values, non_negative, min, max, scale") != 0)
        goto out;
    if (!valid_name(v[F_NAME].s) ) {
        fail(c, "%s.name: '%s' is not a field name (^[a-z][a-z0-9_]*$)", where, v[F_NAME].s);
        goto out;
    }
    snprintf(where, sizeof where, "fields[%d] (%s)", i + 1, v[F_NAME].s);
    for (int j = 0; j < i; j++)
        if (strcmp(r->fields[j].name, v[F_NAME].s) == 0) {
            fail(c, "%s.name: declared twice (also fields[%d])", where, j + 1);
            goto out;
        }
    int k = field_kind(c, where, v);
    if (k < 0)
        goto out;
    rhv_field_def *f = &r->fields[i];
    f->name = v[F_NAME].s;
    f->doc = v[F_DOC].s;
    v[F_NAME].s = v[F_DOC].s = NULL;
    f->required = v[F_REQUIRED].type != LUA_TNIL && v[F_REQUIRED].i;
    rc = field_domain(L, c, where, (decl_kind)k, v, r, i);
out:
    lf_free(v, F_N);
    return rc;
}

/* The evaluated table at idx into r; reports in d. Raises nothing. */
static int check_decl(lua_State *L, int idx, decl_ctx *c, struct register_decl *r)
{
    lf_value v[T_N];
    lf_result res;
    int top = lua_gettop(L), rc = -1;
    char *want = NULL;
    lf_check(L, idx, top_fmt, 0, v, &res);
    if (report_check(c, "", top_fmt, &res, v, "name, description, key, fields") != 0)
        goto out;
    if (!(want = path_stem(c->path, ".lua"))) {
        fail(c, "out of memory");
        goto out;
    }
    if (strcmp(v[T_NAME].s, want) != 0) {
        fail(c, "name: must be the string \"%s\" (the file name)", want);
        goto out;
    }
    if (!valid_name(want)) {
        fail(c, "name: '%s' is not a register name (^[a-z][a-z0-9_]*$)", want);
        goto out;
    }
    if (record_type_find(want)) {
        fail(c, "name: '%s' is a record type already (docs/records.md); choose another name", want);
        goto out;
    }
    int fl = v[T_FIELDS].idx;
    lua_Integer n = lf_list_len(L, fl, REGISTER_MAX_FIELDS);
    size_t keys = 0;
    int mark = lua_gettop(L);
    lua_pushnil(L);
    while (keys <= REGISTER_MAX_FIELDS && lua_next(L, fl)) {
        lua_pop(L, 1);
        keys++;
    }
    lua_settop(L, mark);
    if (n <= 0 || (size_t)n != keys) {
        fail(c, "fields: must be a list of 1 to %d field tables { {...}, {...} }", REGISTER_MAX_FIELDS);
        goto out;
    }
    r->fields = calloc((size_t)n, sizeof *r->fields);
    r->domains = calloc((size_t)n, sizeof *r->domains);
    r->enum_values = calloc((size_t)n, sizeof *r->enum_values);
    if (!r->fields || !r->domains || !r->enum_values) {
        fail(c, "out of memory");
        goto out;
    }
    r->type.fields = r->fields;
    bool bad = false;
    for (int i = 0; i < (int)n && !bad; i++) {
        int at = lua_gettop(L);
        lua_rawgeti(L, fl, i + 1);
        r->type.nfields = i + 1;
        if (check_field(L, c, i, r) != 0)
            bad = true;
        lua_settop(L, at);
    }
    if (bad)
        goto out;
    r->key = record_field_index(&r->type, v[T_KEY].s);
    if (r->key < 0) {
        fail(c, "key: '%s' is not one of its fields", v[T_KEY].s);
        goto out;
    }
    const rhv_field_def *kf = &r->fields[r->key];
    if (!kf->required || !(kf->kind == VAL_STR || kf->kind == VAL_INT)) {
        fail(c, "key: field '%s' must be required and a string, enum or integer", kf->name);
        goto out;
    }
    r->type.name = want;
    want = NULL;
    r->type.doc = v[T_DESCRIPTION].s;
    v[T_DESCRIPTION].s = NULL;
    rc = 0;
out:
    free(want);
    lf_free(v, T_N);
    lua_settop(L, top);
    return rc;
}

struct register_decl *register_decl_load(const char *path, rhv_diag *d)
{
    decl_ctx cx = {d, path}, *c = &cx;
    struct register_decl *r = calloc(1, sizeof *r);
    sandbox *sb = sandbox_new(DECL_MEM, DECL_BUDGET);
    char hex[SHA256_HEX_LEN];
    char *err = NULL;
    if (!r || !sb) {
        fail(c, "out of memory");
        goto fail;
    }
    r->type.source = SRC_DOSSIER;
    r->type.decl = r;
    if (sha256_file(path, hex) != 0) {
        fail(c, "cannot read register declaration");
        goto fail;
    }
    r->file = strdup(path);
    r->sha256 = strdup(hex);
    if (!r->file || !r->sha256) {
        fail(c, "out of memory");
        goto fail;
    }
    lua_State *L = sandbox_state(sb);
    lua_pushcfunction(L, sandbox_eval_data);
    if (sandbox_load_file(sb, path, &err) != 0 || sandbox_pcall(sb, 1, 1, &err) != LUA_OK) {
        fail(c, "%s", err ? err : "out of memory");
        goto fail;
    }
    size_t before = d->errors;
    if (check_decl(L, -1, c, r) != 0) {
        if (d->errors == before)
            fail(c, "out of memory");
        goto fail;
    }
    sandbox_free(sb);
    return r;
fail:
    free(err);
    sandbox_free(sb);
    register_decl_free(r);
    return NULL;
}

/* ---- the registry ------------------------------------------------------ */

static struct register_decl *loaded[RHV_MAX_RECORD_TYPES];
static int nloaded;

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int registers_load_dir(const char *dir, rhv_diag *d)
{
    DIR *dp = opendir(dir);
    if (!dp)
        return 0; /* no registers folder: no registers */
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    struct dirent *de;
    while ((de = readdir(dp)) != NULL) {
        size_t len = strlen(de->d_name);
        if (len < 5 || de->d_name[0] == '.' || strcmp(de->d_name + len - 4, ".lua") != 0)
            continue;
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 8;
            char **nn = realloc(names, nc * sizeof *nn);
            if (!nn) {
                rc = -1;
                break;
            }
            names = nn;
            cap = nc;
        }
        if (!(names[n] = strdup(de->d_name))) {
            rc = -1;
            break;
        }
        n++;
    }
    closedir(dp);
    if (rc != 0)
        diag_error(d, dir, 0, "out of memory");
    if (n > 1)
        qsort(names, n, sizeof *names, name_cmp);
    for (size_t i = 0; i < n && rc == 0; i++) {
        char path[4096];
        if (snprintf(path, sizeof path, "%s/%s", dir, names[i]) >= (int)sizeof path) {
            diag_error(d, dir, 0, "path too long for '%s'", names[i]);
            rc = -1;
            continue;
        }
        struct register_decl *r = register_decl_load(path, d);
        if (!r) {
            rc = -1;
            continue;
        }
        if (record_types_add(&r->type) != 0) {
            diag_error(d, path, 0, "more than %d registers", RHV_MAX_RECORD_TYPES - rhv_record_type_builtin_count);
            register_decl_free(r);
            rc = -1;
            continue;
        }
        /* Kind bytes of the dossier's key set: the built-in keys use letters. */
        r->key_kind = (char)(0x80 + nloaded);
        loaded[nloaded++] = r;
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

int registers_load_default(rhv_diag *d)
{
    char dir[4096];
    return registers_load_dir(rhv_path(dir, sizeof dir, "registers"), d);
}

void registers_unload(void)
{
    record_types_reset();
    for (int i = 0; i < nloaded; i++)
        register_decl_free(loaded[i]);
    nloaded = 0;
}

const value_domain *register_domain_of(const rhv_record_type *t, const rhv_field_def *f)
{
    const struct register_decl *r = t->decl;
    return &r->domains[f - t->fields];
}
