/* engine_meta.c - checking a rule table's metadata (docs/rule-api.md).
 *
 * Every field is checked and the first problem is kept, naming the field;
 * only running out of memory raises. What the engine needs to run the rule
 * (id, years, reads, requires, params, args, handler and finish refs) is
 * taken from the table here. Fields are read raw and once (lua_fields.h),
 * lists are bounded.
 */
#include "engine_aggregate.h"
#include "lua_fields.h"

#include <lauxlib.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool engine_valid_rule_id(const char *s)
{
    /* ^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$ */
    if (!(*s >= 'a' && *s <= 'z'))
        return false;
    bool after_dot = false;
    for (s++; *s; s++) {
        if (*s == '.') {
            if (after_dot)
                return false;
            after_dot = true;
        } else if ((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_') {
            after_dot = false;
        } else {
            return false;
        }
    }
    return !after_dot;
}

/* "on_" + type name with '.' as '_' */
static void handler_name(const char *type, char *buf, size_t n)
{
    snprintf(buf, n, "on_%s", type);
    for (char *p = buf; *p; p++)
        if (*p == '.')
            *p = '_';
}

#define meta_fail eng_meta_fail
void eng_meta_fail(rule *r, const char *fmt, ...)
{
    if (r->meta_err[0])
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->meta_err, sizeof r->meta_err, fmt, ap);
    va_end(ap);
}

/* The rule table's own fields (docs/rule-api.md); every other key is a
 * handler, finish or a helper (meta_other_keys). Read raw and once. */
enum { M_ID, M_TITLE, M_DESCRIPTION, M_CRITERION, M_LEGAL, M_YEARS, M_READS, M_REQUIRES, M_WHERE, M_AGGREGATE,
       M_PARAMS, M_ARGS, M_USES, M_N };
static const lf_field rule_fmt[] = {
    [M_ID] = {"id", LF_STRING, LF_REQUIRED | LF_NONEMPTY},
    [M_TITLE] = {"title", LF_STRING, LF_REQUIRED | LF_NONEMPTY | LF_TEXT},
    [M_DESCRIPTION] = {"description", LF_STRING, LF_TEXT | LF_MULTILINE},
    [M_CRITERION] = {"criterion", LF_STRING, LF_REQUIRED | LF_NONEMPTY},
    [M_LEGAL] = {"legal_basis", LF_TABLE, LF_REQUIRED},
    [M_YEARS] = {"years", LF_TABLE, LF_REQUIRED},
    [M_READS] = {"reads", LF_TABLE, LF_REQUIRED},
    [M_REQUIRES] = {"requires", LF_TABLE, 0},
    [M_WHERE] = {"where", LF_TABLE, 0},
    [M_AGGREGATE] = {"aggregate", LF_TABLE, 0},
    [M_PARAMS] = {"params", LF_TABLE, 0},
    [M_ARGS] = {"args", LF_TABLE, 0},
    [M_USES] = {"uses", LF_TABLE, 0},
    [M_N] = {NULL, 0, 0},
};
enum { LB_TEXT, LB_SOURCE, LB_N };
static const lf_field legal_fmt[] = {
    [LB_TEXT] = {"text", LF_STRING, LF_REQUIRED | LF_NONEMPTY | LF_TEXT | LF_MULTILINE},
    [LB_SOURCE] = {"source", LF_STRING, LF_REQUIRED | LF_NONEMPTY | LF_TEXT | LF_MULTILINE},
    [LB_N] = {NULL, 0, 0},
};
enum { Y_FROM, Y_TO, Y_N };
static const lf_field years_fmt[] = {
    [Y_FROM] = {"from", LF_INTEGER, LF_REQUIRED},
    [Y_TO] = {"to", LF_INTEGER, 0},
    [Y_N] = {NULL, 0, 0},
};
/* Lists longer than this are refused: a border from lua_rawlen can be huge
 * for a sparse table, and every entry is looked at. */
#define MAX_META_LIST 1000
#define MAX_ARGS 1000

/* A text field with a control character or a line break: the message names it. */
static bool text_fail(rule *r, const char *field, const lf_value *v)
{
    if (v->problem == LF_LINE_BREAK)
        meta_fail(r, "field '%s': must be one line", field);
    else if (v->problem == LF_CONTROL)
        meta_fail(r, "field '%s': has a control character (byte %d at offset %d): rule texts reach the report, "
                     "they take no escape sequences, tabs or carriage returns", field, v->ch, (int)v->at);
    else
        return false;
    return true;
}

static bool is_year_value(const lf_value *v)
{
    return v->problem == LF_OK && v->type == LUA_TNUMBER && v->i >= 1900 && v->i <= 2999;
}

/* The entry at the top of the stack for messages: the string (printable) or its type. */
static const char *entry_word(lua_State *L, char *buf, size_t n)
{
    if (lua_type(L, -1) != LUA_TSTRING)
        return luaL_typename(L, -1);
    size_t len;
    const char *s = lua_tolstring(L, -1, &len);
    lf_printable(s, len, buf, n);
    return buf;
}

/* Moves the copy out of v (the rule owns it from here). */
static char *take_str(lf_value *v)
{
    char *s = v->s;
    v->s = NULL;
    return s;
}

/* The id, which later messages and the sandbox go by. 0 when it is bad:
 * the other checks would only repeat that. */
static int meta_id(rule *r, lf_value *v)
{
    if (v->problem != LF_OK) {
        meta_fail(r, "field 'id': missing (a non-empty string)");
        return 0;
    }
    if (!engine_valid_rule_id(v->s)) {
        char shown[LF_KEY_MAX + 8];
        lf_printable(v->s, v->len, shown, sizeof shown);
        meta_fail(r, "field 'id': '%s' is not lowercase dotted (^[a-z][a-z0-9_]*(\\.[a-z0-9_]+)*$)", shown);
        return 0;
    }
    free(r->info.id);
    r->info.id = take_str(v);
    sandbox_set_name(r->sb, r->info.id);
    return 1;
}

/* title, description, criterion and legal_basis. */
static void meta_texts(lua_State *L, rule *r, lf_value *v)
{
    if (!text_fail(r, "title", &v[M_TITLE])) {
        if (v[M_TITLE].problem != LF_OK)
            meta_fail(r, "field 'title': missing (a non-empty string)");
        else
            r->info.title = take_str(&v[M_TITLE]);
    }

    if (!text_fail(r, "description", &v[M_DESCRIPTION])) {
        if (v[M_DESCRIPTION].problem != LF_OK)
            meta_fail(r, "field 'description': must be a string");
        else
            r->description = take_str(&v[M_DESCRIPTION]);
    }

    if (v[M_CRITERION].problem != LF_OK || criterion_parse(v[M_CRITERION].s, &r->info.crit) != 0)
        meta_fail(r, "field 'criterion': must be \"begrotingscriterium\", \"voorwaardencriterium\", "
                     "\"misbruik_oneigenlijk_gebruik\" or \"geen\"");

    lf_free(v, M_N); /* the texts are taken: what follows may raise */
    if (v[M_LEGAL].problem != LF_OK) {
        meta_fail(r, "field 'legal_basis': missing (a table { text = ..., source = ... })");
        return;
    }
    int top = lua_gettop(L);
    lf_value lb[LB_N];
    lf_result res;
    if (lf_check(L, v[M_LEGAL].idx, legal_fmt, LF_OPEN, lb, &res) == LF_NO_MEMORY) {
        lf_free(lb, LB_N);
        luaL_error(L, "out of memory");
    }
    if (!text_fail(r, "legal_basis.text", &lb[LB_TEXT])) {
        if (lb[LB_TEXT].problem != LF_OK)
            meta_fail(r, "field 'legal_basis.text': missing (a non-empty string)");
        else
            r->legal_text = take_str(&lb[LB_TEXT]);
    }
    if (!text_fail(r, "legal_basis.source", &lb[LB_SOURCE])) {
        if (lb[LB_SOURCE].problem != LF_OK)
            meta_fail(r, "field 'legal_basis.source': missing (a non-empty string: where the text is)");
        else
            r->legal_source = take_str(&lb[LB_SOURCE]);
    }
    lf_free(lb, LB_N);
    lua_settop(L, top);
}

static void meta_years(lua_State *L, rule *r, const lf_value *v)
{
    if (v[M_YEARS].problem != LF_OK) {
        meta_fail(r, "field 'years': missing (a table { from = 2023 [, to = 2024] })");
        return;
    }
    lf_value y[Y_N];
    lf_result res;
    lf_check(L, v[M_YEARS].idx, years_fmt, LF_OPEN, y, &res); /* integers only: nothing to free */
    if (!is_year_value(&y[Y_FROM]))
        meta_fail(r, "field 'years.from': missing (an integer year)");
    else
        r->year_from = (int)y[Y_FROM].i;
    if (y[Y_TO].type == LUA_TNIL)
        r->year_open = true;
    else if (!is_year_value(&y[Y_TO]) || y[Y_TO].i < r->year_from)
        meta_fail(r, "field 'years.to': must be an integer year >= years.from");
    else
        r->year_to = (int)y[Y_TO].i;
}

/* Entry i of the list at l as a record type, or NULL with the problem kept. */
static const rhv_record_type *list_type(lua_State *L, rule *r, int l, lua_Integer i, const char *field)
{
    lua_rawgeti(L, l, i);
    const rhv_record_type *rt = lua_type(L, -1) == LUA_TSTRING ? record_type_find(lua_tostring(L, -1)) : NULL;
    if (!rt) {
        char buf[LF_KEY_MAX + 8];
        meta_fail(r, "field '%s[%d]': '%s' is not a record type (docs/records.md)", field, (int)i,
                  entry_word(L, buf, sizeof buf));
    }
    lua_pop(L, 1);
    return rt;
}

static void meta_reads(lua_State *L, rule *r, const lf_value *v)
{
    int l = v[M_READS].idx;
    lua_Integer n = l ? lf_list_len(L, l, MAX_META_LIST) : 0;
    if (n < 0) {
        meta_fail(r, "field 'reads': more than %d entries", MAX_META_LIST);
        return;
    }
    if (n == 0) {
        meta_fail(r, "field 'reads': missing (a non-empty list of record types, docs/records.md)");
        return;
    }
    for (lua_Integer i = 1; i <= n; i++) {
        const rhv_record_type *rt = list_type(L, r, l, i, "reads");
        if (rt && !r->reads[eng_type_index(rt)]) {
            r->reads[eng_type_index(rt)] = true;
            r->read_names[r->nread_names++] = rt->name;
        }
    }
}

static void meta_requires(lua_State *L, rule *r, const lf_value *v)
{
    if (v[M_REQUIRES].type == LUA_TNIL)
        return;
    int l = v[M_REQUIRES].idx;
    if (!l) {
        meta_fail(r, "field 'requires': must be a list of record types (docs/records.md)");
        return;
    }
    lua_Integer n = lf_list_len(L, l, MAX_META_LIST);
    if (n < 0) {
        meta_fail(r, "field 'requires': more than %d entries", MAX_META_LIST);
        return;
    }
    for (lua_Integer i = 1; i <= n; i++) {
        const rhv_record_type *rt = list_type(L, r, l, i, "requires");
        if (!rt)
            continue;
        if (!r->reads[eng_type_index(rt)])
            meta_fail(r, "field 'requires[%d]': '%s' is not in reads", (int)i, rt->name);
        else if (!r->requires[eng_type_index(rt)]) {
            r->requires[eng_type_index(rt)] = true;
            r->require_names[r->nrequire_names++] = rt->name;
        }
    }
}

/* where = { ["type"] = { field = condition, ... }, ... }: the records of
 * a type the rule reads reach its handler only when every condition holds
 * (eng_meta_conditions: present, absent, a text or a prefix). */
static void meta_where(lua_State *L, rule *r, const lf_value *v)
{
    if (v[M_WHERE].type == LUA_TNIL)
        return;
    int w = v[M_WHERE].idx;
    if (!w) {
        meta_fail(r, "field 'where': must be a table { [\"record type\"] = { field = true or \"text\" } }");
        return;
    }
    char buf[LF_KEY_MAX + 8], label[LF_KEY_MAX + 24];
    lua_pushnil(L);
    while (lua_next(L, w)) {
        const rhv_record_type *rt = NULL;
        if (lua_type(L, -2) == LUA_TSTRING)
            rt = record_type_find(lua_tostring(L, -2));
        lf_key_text(L, -2, buf, sizeof buf);
        if (!rt || !r->reads[eng_type_index(rt)]) {
            meta_fail(r, rt ? "field 'where': '%s' is not in reads" : "field 'where': '%s' is not a record type "
                                                                      "(docs/records.md)", buf);
        } else if (!lua_istable(L, -1)) {
            meta_fail(r, "field 'where[\"%s\"]': must be a table { field = true or \"text\" }", buf);
        } else {
            const int ti = eng_type_index(rt);
            snprintf(label, sizeof label, "where[\"%s\"]", buf);
            eng_meta_conditions(L, r, lua_gettop(L), rt, ti, label, r->where, &r->nwhere, MAX_WHERE);
            r->where_types |= (uint64_t)1 << ti;
        }
        lua_pop(L, 1);
    }
}

/* The names only: engine_load.c loads each table right after this protected
 * call (a rule that cannot get its parameters is an error at load, not at its
 * first record). */
static int meta_params(lua_State *L, rule *r, const lf_value *v)
{
    if (v[M_PARAMS].type == LUA_TNIL)
        return 0;
    int l = v[M_PARAMS].idx;
    if (!l) {
        meta_fail(r, "field 'params': must be a list of parameter table names");
        return 0;
    }
    lua_Integer n = lf_list_len(L, l, MAX_META_LIST);
    if (n < 0) {
        meta_fail(r, "field 'params': more than %d entries", MAX_META_LIST);
        return 0;
    }
    for (lua_Integer i = 1; i <= n && !r->meta_err[0]; i++) {
        if (lua_rawgeti(L, l, i) != LUA_TSTRING) {
            meta_fail(r, "field 'params[%d]': must be a parameter table name", (int)i);
            lua_pop(L, 1);
            continue;
        }
        size_t len;
        const char *pn = lua_tolstring(L, -1, &len);
        if (!params_valid_name(pn, len)) {
            char buf[LF_KEY_MAX + 8];
            meta_fail(r, "field 'params[%d]': '%s' is not a parameter table name (^[a-z0-9_]+$, a file in %s)",
                      (int)i, entry_word(L, buf, sizeof buf), r->e->params_dir);
            lua_pop(L, 1);
            continue;
        }
        char **np = realloc(r->params, (r->nparams + 1) * sizeof *np);
        if (!np)
            return luaL_error(L, "out of memory");
        r->params = np;
        /* copied while the list still holds the string */
        if (!(r->params[r->nparams] = strdup(pn)))
            return luaL_error(L, "out of memory");
        r->nparams++;
        lua_pop(L, 1);
    }
    return 0;
}

/* A table made by rhv.arg.amount or rhv.arg.list (plugins/lib/rhv.lua),
 * read raw: { _arg = "amount" | "list", default = cents | "a,b" }. 0 and a
 * typed, -1 when the value is not one. */
static int typed_arg(lua_State *L, rule_arg *a)
{
    if (!lua_istable(L, -1))
        return -1;
    lua_pushliteral(L, "_arg");
    lua_rawget(L, -2);
    lua_pushliteral(L, "default");
    lua_rawget(L, -3);
    int rc = -1;
    const char *kind = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "";
    if (strcmp(kind, "amount") == 0 && lua_isinteger(L, -1)) {
        a->type = ARG_AMOUNT;
        a->i = lua_tointeger(L, -1);
        rc = 0;
    } else if (strcmp(kind, "list") == 0 && lua_type(L, -1) == LUA_TSTRING) {
        a->type = ARG_LIST;
        a->s = strdup(lua_tostring(L, -1)); /* NULL: out of memory, told by the caller */
        rc = 0;
    }
    lua_pop(L, 2);
    return rc;
}

static int meta_args(lua_State *L, rule *r, const lf_value *v)
{
    if (v[M_ARGS].type == LUA_TNIL)
        return 0;
    int at = v[M_ARGS].idx;
    if (!at) {
        meta_fail(r, "field 'args': must be a table of name = default");
        return 0;
    }
    size_t seen = 0;
    lua_pushnil(L);
    while (lua_next(L, at)) {
        if (++seen > MAX_ARGS) {
            meta_fail(r, "field 'args': more than %d entries", MAX_ARGS);
            lua_pop(L, 2);
            break;
        }
        if (lua_type(L, -2) != LUA_TSTRING) {
            meta_fail(r, "field 'args': keys must be names");
            lua_pop(L, 2);
            break;
        }
        char k[LF_KEY_MAX + 8];
        lf_key_text(L, -2, k, sizeof k);
        rule_arg a = {0};
        if (lua_isinteger(L, -1)) {
            a.type = ARG_INT;
            a.i = lua_tointeger(L, -1);
        } else if (lua_isboolean(L, -1)) {
            a.type = ARG_BOOL;
            a.i = lua_toboolean(L, -1);
        } else if (lua_type(L, -1) == LUA_TSTRING) {
            a.type = ARG_STR;
        } else if (typed_arg(L, &a) == 0) {
            /* rhv.arg.amount or rhv.arg.list: the default is at the top now */
        } else {
            meta_fail(r, "field 'args.%s': must be an integer, a boolean, a string, rhv.arg.amount(cents) or "
                      "rhv.arg.list{...}, got %s",
                      k, lua_type(L, -1) == LUA_TNUMBER ? "a float" : luaL_typename(L, -1));
            lua_pop(L, 1);
            continue;
        }
        rule_arg *na = realloc(r->args, (r->nargs + 1) * sizeof *na);
        if (!na)
            return luaL_error(L, "out of memory");
        r->args = na;
        a.key = strdup(lua_tostring(L, -2));
        if (a.type == ARG_STR)
            a.s = strdup(lua_tostring(L, -1));
        if (!a.key || ((a.type == ARG_STR || a.type == ARG_LIST) && !a.s)) {
            free(a.key);
            free(a.s);
            return luaL_error(L, "out of memory");
        }
        r->args[r->nargs++] = a;
        lua_pop(L, 1);
    }
    return 0;
}

static int meta_other_keys(lua_State *L, rule *r, int t)
{
    /* Every other key: a handler for a read type, finish, or a helper function. */
    static const char *const known[] = {"id", "title", "description", "criterion", "legal_basis", "years",
                                        "reads", "requires", "where", "aggregate", "params", "args", "uses", NULL};
    lua_pushnil(L);
    while (lua_next(L, t)) {
        if (lua_type(L, -2) != LUA_TSTRING) {
            meta_fail(r, "the rule table has a non-string key");
            lua_pop(L, 1);
            continue;
        }
        const char *k = lua_tostring(L, -2);
        char shown[LF_KEY_MAX + 8];
        lf_key_text(L, -2, shown, sizeof shown);
        bool is_known = false;
        for (int i = 0; known[i]; i++)
            if (strcmp(k, known[i]) == 0)
                is_known = true;
        if (!is_known && eng_agg_handler_key(r, k)) {
            if (!lua_isfunction(L, -1))
                meta_fail(r, "field '%s': must be a function", shown);
        } else if (!is_known) {
            if (strcmp(k, "finish") == 0) {
                if (!lua_isfunction(L, -1))
                    meta_fail(r, "field 'finish': must be a function");
            } else if (strncmp(k, "on_", 3) == 0) {
                int found = -1;
                for (int i = 0; i < rhv_record_type_count; i++) {
                    char hn[128];
                    handler_name(rhv_record_types[i]->name, hn, sizeof hn);
                    if (strcmp(hn, k) == 0)
                        found = i;
                }
                if (found < 0)
                    meta_fail(r, "field '%s': no record type has this handler name", shown);
                else if (!r->reads[found])
                    meta_fail(r, "field '%s': handler for '%s', which is not in reads", k,
                              rhv_record_types[found]->name);
                else if (!lua_isfunction(L, -1))
                    meta_fail(r, "field '%s': must be a function", shown);
            } else if (!lua_isfunction(L, -1)) {
                meta_fail(r, "unknown field '%s' (see docs/rule-api.md)", shown);
            }
        }
        lua_pop(L, 1);
    }
    return 0;
}

/* Registry refs to the handlers and finish, once the table is known good. */
static int meta_keep_functions(lua_State *L, rule *r, int t)
{
    for (int i = 0; i < rhv_record_type_count; i++) {
        if (!r->reads[i])
            continue;
        char hn[128];
        handler_name(rhv_record_types[i]->name, hn, sizeof hn);
        if (lua_getfield(L, t, hn) == LUA_TFUNCTION)
            r->ref_handler[i] = luaL_ref(L, LUA_REGISTRYINDEX);
        else
            lua_pop(L, 1);
    }
    if (lua_getfield(L, t, "finish") == LUA_TFUNCTION)
        r->ref_finish = luaL_ref(L, LUA_REGISTRYINDEX);
    else
        lua_pop(L, 1);
    return eng_agg_keep_handlers(L, r, t);
}

/* Checks the rule table (argument 2) and takes what the engine needs. Problems
 * go to r->meta_err (first one wins); only memory errors raise. */
int eng_check_meta(lua_State *L)
{
    rule *r = lua_touserdata(L, 1);
    const int t = 2;
    lua_settop(L, t);
    if (!lua_istable(L, t)) {
        meta_fail(r, "the file must return the rule table, got %s", luaL_typename(L, t));
        return 0;
    }
    lf_value v[M_N];
    lf_result res;
    lf_problem p = lf_check(L, t, rule_fmt, LF_OPEN, v, &res);
    if (p == LF_NO_MEMORY || p == LF_TOO_MANY_KEYS) {
        lf_free(v, M_N);
        if (p == LF_NO_MEMORY)
            return luaL_error(L, "out of memory");
        meta_fail(r, "the rule table has more than %d fields", LF_MAX_KEYS);
        return 0;
    }
    if (meta_id(r, &v[M_ID])) {
        meta_texts(L, r, v);
        meta_years(L, r, v);
        meta_reads(L, r, v);
        meta_requires(L, r, v); /* after reads: every entry must be one of them */
        meta_where(L, r, v);    /* after reads, likewise */
        eng_meta_aggregate(L, r, v[M_AGGREGATE].idx, v[M_AGGREGATE].type != LUA_TNIL);
        meta_params(L, r, v);
        meta_args(L, r, v);
        eng_meta_uses(L, r, &v[M_USES]);
        meta_other_keys(L, r, t);
    }
    lf_free(v, M_N);
    lua_settop(L, t);
    if (r->meta_err[0])
        return 0;
    return meta_keep_functions(L, r, t);
}
