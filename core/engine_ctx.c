/* engine_ctx.c - the ctx a running rule's handlers get.
 *
 * ctx.year, ctx.args (after overrides) and ctx.params (each table's value for
 * the fiscal year with _source, _status and _valid, and _periods: every
 * period of the table, for a rule that needs the value of another date, such
 * as the EU threshold on the date of a raming), all read-only through
 * the rhv library's host.readonly. Built once per engine_start, inside the
 * rule's protected call, from the parameter tables loaded with the rule (no
 * params file is loaded here: that would nest a sandbox call).
 */
#include "engine_internal.h"

#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

static void push_arg(lua_State *L, const rule_arg *a)
{
    switch (a->type) {
    case ARG_INT: lua_pushinteger(L, a->i); break;
    case ARG_BOOL: lua_pushboolean(L, (int)a->i); break;
    case ARG_STR: lua_pushstring(L, a->s); break;
    }
}

const param_override *eng_find_povr(rhv_engine *e, const char *name)
{
    /* The last one given wins. */
    for (size_t i = e->npovr; i-- > 0;)
        if (strcmp(e->povr[i].name, name) == 0)
            return &e->povr[i];
    return NULL;
}

/* Push one parameter's value for ctx.params: always a table, with _source,
 * _status and _valid saying where it comes from. */
static void push_period(lua_State *L, int i, const rhv_pvalue *v, int from, int to, bool open, const char *source,
                        const char *status)
{
    lua_createtable(L, 0, 5);
    lua_pushinteger(L, from);
    lua_setfield(L, -2, "from");
    if (!open) {
        lua_pushinteger(L, to);
        lua_setfield(L, -2, "to");
    }
    pvalue_push(L, v);
    lua_setfield(L, -2, "value");
    lua_pushstring(L, source);
    lua_setfield(L, -2, "source");
    lua_pushstring(L, status);
    lua_setfield(L, -2, "status");
    lua_rawseti(L, -2, i);
}

static void push_param(lua_State *L, rhv_engine *e, const char *name, int year)
{
    const param_override *o = eng_find_povr(e, name);
    rhv_param_table *t = NULL;
    const rhv_pvalue *v;
    const char *source, *status;
    int from = year, to = year;
    bool open = false;
    if (o) {
        v = &o->value;
        source = "test case";
        status = "test";
    } else {
        t = eng_table_cached(e, name); /* loaded with the rule */
        char *err = NULL;
        const rhv_param_period *p = t ? params_resolve(t, year, &err) : NULL;
        free(err);
        if (!p)
            luaL_error(L, "parameter '%s' unavailable", name); /* checked before: not reached */
        v = &p->value;
        source = p->source;
        status = p->status;
        from = p->from;
        to = p->to;
        open = p->open;
    }
    if (v->kind == PV_TABLE) {
        pvalue_push(L, v);
    } else {
        lua_createtable(L, 0, 4);
        pvalue_push(L, v);
        lua_setfield(L, -2, "value");
    }
    lua_pushstring(L, source);
    lua_setfield(L, -2, "_source");
    lua_pushstring(L, status);
    lua_setfield(L, -2, "_status");
    lua_createtable(L, 0, 2);
    lua_pushinteger(L, from);
    lua_setfield(L, -2, "from");
    if (!open) {
        lua_pushinteger(L, to);
        lua_setfield(L, -2, "to");
    }
    lua_setfield(L, -2, "_valid");
    /* A test case's value stands for its year only. */
    lua_createtable(L, t ? (int)t->n : 1, 0);
    if (t)
        for (size_t i = 0; i < t->n; i++)
            push_period(L, (int)i + 1, &t->periods[i].value, t->periods[i].from, t->periods[i].to,
                        t->periods[i].open, t->periods[i].source, t->periods[i].status);
    else
        push_period(L, 1, v, year, year, false, source, status);
    lua_setfield(L, -2, "_periods");
}

int eng_start_state(lua_State *L)
{
    start_ctx *sc = lua_touserdata(L, 1);
    rule *r = sc->r;
    lua_rawgeti(L, LUA_REGISTRYINDEX, r->ref_readonly);
    int ro = lua_gettop(L);

    lua_pushvalue(L, ro);
    lua_createtable(L, 0, 3);
    lua_pushinteger(L, sc->year);
    lua_setfield(L, -2, "year");

    lua_pushvalue(L, ro);
    lua_createtable(L, 0, (int)r->nargs);
    for (size_t i = 0; i < r->nargs; i++) {
        push_arg(L, &r->args[i]);
        lua_setfield(L, -2, r->args[i].key);
    }
    lua_pushliteral(L, "ctx.args");
    lua_call(L, 2, 1);
    lua_setfield(L, -2, "args");

    lua_pushvalue(L, ro);
    lua_createtable(L, 0, (int)r->nparams);
    for (size_t i = 0; i < r->nparams; i++) {
        push_param(L, r->e, r->params[i], sc->year);
        lua_setfield(L, -2, r->params[i]);
    }
    lua_pushliteral(L, "ctx.params");
    lua_call(L, 2, 1);
    lua_setfield(L, -2, "params");

    lua_pushliteral(L, "ctx");
    lua_call(L, 2, 1);
    r->ref_ctx = luaL_ref(L, LUA_REGISTRYINDEX);

    eng_record_tables(L, r);
    return 0;
}
