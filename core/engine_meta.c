/* engine_meta.c - checking a rule table's metadata (docs/rule-api.md).
 *
 * Every field is checked and the first problem is kept, naming the field;
 * only running out of memory raises. What the engine needs to run the rule
 * (id, years, reads, requires, params, args, handler and finish refs) is
 * taken from the table here.
 */
#include "engine_internal.h"

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

static void meta_fail(rule *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void meta_fail(rule *r, const char *fmt, ...)
{
    if (r->meta_err[0])
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->meta_err, sizeof r->meta_err, fmt, ap);
    va_end(ap);
}

/* Field `name` of the table at t as a non-empty string, or NULL (pops). */
static const char *get_str(lua_State *L, int t, const char *name)
{
    lua_getfield(L, t, name);
    const char *s = lua_type(L, -1) == LUA_TSTRING && lua_rawlen(L, -1) > 0 ? lua_tostring(L, -1) : NULL;
    lua_pop(L, 1); /* the string stays alive: the table holds it */
    return s;
}

static bool is_year(lua_State *L, int idx)
{
    return lua_isinteger(L, idx) && lua_tointeger(L, idx) >= 1900 && lua_tointeger(L, idx) <= 2999;
}

/* The id, which later messages and the sandbox go by. 0 when it is bad:
 * the other checks would only repeat that. */
static int meta_id(lua_State *L, rule *r, int t)
{
    const char *id = get_str(L, t, "id");
    if (!id) {
        meta_fail(r, "field 'id': missing (a non-empty string)");
        return 0;
    }
    if (!engine_valid_rule_id(id)) {
        meta_fail(r, "field 'id': '%s' is not lowercase dotted (^[a-z][a-z0-9_]*(\\.[a-z0-9_]+)*$)", id);
        return 0;
    }
    char *nid = strdup(id);
    if (!nid)
        return luaL_error(L, "out of memory");
    free(r->info.id);
    r->info.id = nid;
    sandbox_set_name(r->sb, id);
    return 1;
}

/* title, description, criterion and legal_basis. */
static int meta_texts(lua_State *L, rule *r, int t)
{
    const char *title = get_str(L, t, "title");
    if (!title)
        meta_fail(r, "field 'title': missing (a non-empty string)");
    else if (!(r->info.title = strdup(title)))
        return luaL_error(L, "out of memory");

    lua_getfield(L, t, "description");
    if (!lua_isnil(L, -1) && lua_type(L, -1) != LUA_TSTRING)
        meta_fail(r, "field 'description': must be a string");
    else if (lua_type(L, -1) == LUA_TSTRING && !(r->description = strdup(lua_tostring(L, -1))))
        return luaL_error(L, "out of memory");
    lua_pop(L, 1);

    const char *crit = get_str(L, t, "criterion");
    if (!crit || criterion_parse(crit, &r->info.crit) != 0)
        meta_fail(r, "field 'criterion': must be \"begrotingscriterium\", \"voorwaardencriterium\", "
                     "\"misbruik_oneigenlijk_gebruik\" or \"geen\"");

    if (lua_getfield(L, t, "legal_basis") != LUA_TTABLE) {
        meta_fail(r, "field 'legal_basis': missing (a table { text = ..., source = ... })");
    } else {
        const char *lt = get_str(L, -1, "text"), *ls = get_str(L, -1, "source");
        if (!lt)
            meta_fail(r, "field 'legal_basis.text': missing (a non-empty string)");
        else if (!(r->legal_text = strdup(lt)))
            return luaL_error(L, "out of memory");
        if (!ls)
            meta_fail(r, "field 'legal_basis.source': missing (a non-empty string: where the text is)");
        else if (!(r->legal_source = strdup(ls)))
            return luaL_error(L, "out of memory");
    }
    lua_pop(L, 1);
    return 0;
}

static int meta_years(lua_State *L, rule *r, int t)
{
    if (lua_getfield(L, t, "years") != LUA_TTABLE) {
        meta_fail(r, "field 'years': missing (a table { from = 2023 [, to = 2024] })");
    } else {
        lua_getfield(L, -1, "from");
        if (!is_year(L, -1))
            meta_fail(r, "field 'years.from': missing (an integer year)");
        else
            r->year_from = (int)lua_tointeger(L, -1);
        lua_getfield(L, -2, "to");
        if (lua_isnil(L, -1)) {
            r->year_open = true;
        } else if (!is_year(L, -1) || lua_tointeger(L, -1) < r->year_from) {
            meta_fail(r, "field 'years.to': must be an integer year >= years.from");
        } else {
            r->year_to = (int)lua_tointeger(L, -1);
        }
        lua_pop(L, 2);
    }
    lua_pop(L, 1);
    return 0;
}

static int meta_reads(lua_State *L, rule *r, int t)
{
    if (lua_getfield(L, t, "reads") != LUA_TTABLE || luaL_len(L, -1) == 0) {
        meta_fail(r, "field 'reads': missing (a non-empty list of record types, docs/records.md)");
    } else {
        lua_Integer n = luaL_len(L, -1);
        for (lua_Integer i = 1; i <= n; i++) {
            lua_geti(L, -1, i);
            const rhv_record_type *rt = lua_type(L, -1) == LUA_TSTRING ? record_type_find(lua_tostring(L, -1)) : NULL;
            if (!rt)
                meta_fail(r, "field 'reads[%d]': '%s' is not a record type (docs/records.md)", (int)i,
                          lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : luaL_typename(L, -1));
            else if (!r->reads[eng_type_index(rt)]) {
                r->reads[eng_type_index(rt)] = true;
                r->read_names[r->nread_names++] = rt->name;
            }
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
    return 0;
}

static int meta_requires(lua_State *L, rule *r, int t)
{
    int qt = lua_getfield(L, t, "requires");
    if (qt == LUA_TTABLE) {
        lua_Integer n = luaL_len(L, -1);
        for (lua_Integer i = 1; i <= n; i++) {
            lua_geti(L, -1, i);
            const rhv_record_type *rt = lua_type(L, -1) == LUA_TSTRING ? record_type_find(lua_tostring(L, -1)) : NULL;
            if (!rt)
                meta_fail(r, "field 'requires[%d]': '%s' is not a record type (docs/records.md)", (int)i,
                          lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : luaL_typename(L, -1));
            else if (!r->reads[eng_type_index(rt)])
                meta_fail(r, "field 'requires[%d]': '%s' is not in reads", (int)i, rt->name);
            else if (!r->requires[eng_type_index(rt)]) {
                r->requires[eng_type_index(rt)] = true;
                r->require_names[r->nrequire_names++] = rt->name;
            }
            lua_pop(L, 1);
        }
    } else if (qt != LUA_TNIL) {
        meta_fail(r, "field 'requires': must be a list of record types (docs/records.md)");
    }
    lua_pop(L, 1);
    return 0;
}

/* The names only: engine_load.c loads each table right after this protected
 * call (a rule that cannot get its parameters is an error at load, not at its
 * first record). */
static int meta_params(lua_State *L, rule *r, int t)
{
    int pt = lua_getfield(L, t, "params");
    if (pt == LUA_TTABLE) {
        lua_Integer n = luaL_len(L, -1);
        for (lua_Integer i = 1; i <= n && !r->meta_err[0]; i++) {
            lua_geti(L, -1, i);
            if (lua_type(L, -1) != LUA_TSTRING) {
                meta_fail(r, "field 'params[%d]': must be a parameter table name", (int)i);
            } else {
                const char *pn = lua_tostring(L, -1);
                char **np = realloc(r->params, (r->nparams + 1) * sizeof *np);
                if (!np)
                    return luaL_error(L, "out of memory");
                r->params = np;
                if (!(r->params[r->nparams] = strdup(pn)))
                    return luaL_error(L, "out of memory");
                r->nparams++;
            }
            lua_pop(L, 1);
        }
    } else if (pt != LUA_TNIL) {
        meta_fail(r, "field 'params': must be a list of parameter table names");
    }
    lua_pop(L, 1);
    return 0;
}

static int meta_args(lua_State *L, rule *r, int t)
{
    int at = lua_getfield(L, t, "args");
    if (at == LUA_TTABLE) {
        lua_pushnil(L);
        while (lua_next(L, -2)) {
            if (lua_type(L, -2) != LUA_TSTRING) {
                meta_fail(r, "field 'args': keys must be names");
                lua_pop(L, 2);
                break;
            }
            const char *k = lua_tostring(L, -2);
            rule_arg a = {0};
            if (lua_isinteger(L, -1)) {
                a.type = ARG_INT;
                a.i = lua_tointeger(L, -1);
            } else if (lua_isboolean(L, -1)) {
                a.type = ARG_BOOL;
                a.i = lua_toboolean(L, -1);
            } else if (lua_type(L, -1) == LUA_TSTRING) {
                a.type = ARG_STR;
            } else {
                meta_fail(r, "field 'args.%s': must be an integer, a boolean or a string (amounts in cents), got %s",
                          k, lua_type(L, -1) == LUA_TNUMBER ? "a float" : luaL_typename(L, -1));
                lua_pop(L, 1);
                continue;
            }
            rule_arg *na = realloc(r->args, (r->nargs + 1) * sizeof *na);
            if (!na)
                return luaL_error(L, "out of memory");
            r->args = na;
            a.key = strdup(k);
            if (a.type == ARG_STR)
                a.s = strdup(lua_tostring(L, -1));
            if (!a.key || (a.type == ARG_STR && !a.s)) {
                free(a.key);
                free(a.s);
                return luaL_error(L, "out of memory");
            }
            r->args[r->nargs++] = a;
            lua_pop(L, 1);
        }
    } else if (at != LUA_TNIL) {
        meta_fail(r, "field 'args': must be a table of name = default");
    }
    lua_pop(L, 1);
    return 0;
}

static int meta_other_keys(lua_State *L, rule *r, int t)
{
    /* Every other key: a handler for a read type, finish, or a helper function. */
    static const char *const known[] = {"id", "title", "description", "criterion", "legal_basis", "years",
                                        "reads", "requires", "params", "args", NULL};
    lua_pushnil(L);
    while (lua_next(L, t)) {
        if (lua_type(L, -2) != LUA_TSTRING) {
            meta_fail(r, "the rule table has a non-string key");
            lua_pop(L, 1);
            continue;
        }
        const char *k = lua_tostring(L, -2);
        bool is_known = false;
        for (int i = 0; known[i]; i++)
            if (strcmp(k, known[i]) == 0)
                is_known = true;
        if (!is_known) {
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
                    meta_fail(r, "field '%s': no record type has this handler name", k);
                else if (!r->reads[found])
                    meta_fail(r, "field '%s': handler for '%s', which is not in reads", k,
                              rhv_record_types[found]->name);
                else if (!lua_isfunction(L, -1))
                    meta_fail(r, "field '%s': must be a function", k);
            } else if (!lua_isfunction(L, -1)) {
                meta_fail(r, "unknown field '%s' (see docs/rule-api.md)", k);
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
    return 0;
}

/* Checks the rule table (argument 2) and takes what the engine needs. Problems
 * go to r->meta_err (first one wins); only memory errors raise. */
int eng_check_meta(lua_State *L)
{
    rule *r = lua_touserdata(L, 1);
    const int t = 2;
    if (!lua_istable(L, t)) {
        meta_fail(r, "the file must return the rule table, got %s", luaL_typename(L, t));
        return 0;
    }
    if (!meta_id(L, r, t))
        return 0;
    meta_texts(L, r, t);
    meta_years(L, r, t);
    meta_reads(L, r, t);
    meta_requires(L, r, t); /* after reads: every entry must be one of them */
    meta_params(L, r, t);
    meta_args(L, r, t);
    meta_other_keys(L, r, t);
    if (r->meta_err[0])
        return 0;
    return meta_keep_functions(L, r, t);
}
