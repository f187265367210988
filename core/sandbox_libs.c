/* sandbox_libs.c - see sandbox_libs.h */
#include "sandbox_libs.h"

#include <lauxlib.h>
#include <limits.h>
#include <lualib.h>
#include <stdio.h>
#include <string.h>

#include "sandbox_guards.h"
#include "sandbox_internal.h"
#include "sandbox_watchdog.h"

/* ---- replaced base functions ----------------------------------------- */

void sandbox_log(lua_State *L, const char *text, size_t len)
{
    sandbox *sb = sb_of(L);
    const char *name = sb->name ? sb->name : "lua";
    size_t line = strlen(name) + len + 4; /* "[name] text\n" */
    if (!sb->stop && sb->out_used <= SANDBOX_OUTPUT_LIMIT && line <= SANDBOX_OUTPUT_LIMIT - sb->out_used) {
        sb->out_used += line;
        fprintf(stderr, "[%s] %.*s\n", name, (int)(len > INT_MAX ? INT_MAX : len), text);
        return;
    }
    if (sb->out_used <= SANDBOX_OUTPUT_LIMIT) {
        sb->out_used = SANDBOX_OUTPUT_LIMIT + 1; /* spent: the notice is written once */
        fprintf(stderr, "[%s] output limit of %u bytes reached: the rest of this rule's output is dropped\n", name,
                SANDBOX_OUTPUT_LIMIT);
    }
    sb_stop(sb, SB_STOP_OUTPUT);
    char msg[128];
    sb_stop_text(sb, msg, sizeof msg);
    luaL_error(L, "%s", msg);
}

int sandbox_log_args(lua_State *L, char sep)
{
    int n = lua_gettop(L);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (int i = 1; i <= n; i++) {
        if (i > 1)
            luaL_addchar(&b, sep);
        luaL_tolstring(L, i, NULL);
        luaL_addvalue(&b);
    }
    luaL_pushresult(&b);
    size_t len;
    const char *s = lua_tolstring(L, -1, &len);
    sandbox_log(L, s, len);
    return 0;
}

static int sb_print(lua_State *L)
{
    return sandbox_log_args(L, '\t');
}

/* xpcall whose message handler is run through a gate: Lua runs a message
 * handler with hooks off when the error comes from a hook, which is how the
 * budget, the time limit and the output limit stop a call; a handler that
 * loops there could not be stopped. Once the call is stopped the gate passes
 * the error on without running the rule's handler. */
int sb_xpcall_gate(lua_State *L)
{
    if (sb_of(L)->stop) {
        lua_settop(L, 1);
        return 1;
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

static int xpcall_done(lua_State *L, int status, lua_KContext extra)
{
    if (status != LUA_OK && status != LUA_YIELD) {
        lua_pushboolean(L, 0);
        lua_pushvalue(L, -2);
        return 2;
    }
    return lua_gettop(L) - (int)extra;
}

static int sb_xpcall(lua_State *L)
{
    int n = lua_gettop(L);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_pushvalue(L, 2);
    lua_pushcclosure(L, sb_xpcall_gate, 1);
    lua_replace(L, 2);
    /* Stack: f, gate, args...; results go above `true`, as in Lua's own. */
    lua_pushboolean(L, 1);
    lua_pushvalue(L, 1);
    lua_rotate(L, 3, 2);
    int st = lua_pcallk(L, n - 2, LUA_MULTRET, 2, 2, xpcall_done);
    return xpcall_done(L, st, 2);
}

static int sb_collectgarbage(lua_State *L)
{
    const char *opt = luaL_optstring(L, 1, "count");
    if (strcmp(opt, "count") != 0)
        return luaL_error(L, "collectgarbage: only \"count\" is allowed in a rule");
    int kb = lua_gc(L, LUA_GCCOUNT, 0);
    int rem = lua_gc(L, LUA_GCCOUNTB, 0);
    lua_pushnumber(L, (lua_Number)kb + (lua_Number)rem / 1024.0);
    return 1;
}

/* load(chunk [, chunkname [, mode [, env]]]): text only; without env the
 * chunk sees a fresh empty table, not the rule's globals. */
static int sb_load(lua_State *L)
{
    size_t len;
    const char *s = lua_tolstring(L, 1, &len);
    if (!s || lua_type(L, 1) != LUA_TSTRING)
        return luaL_error(L, "load: only a string chunk is allowed in a rule");
    const char *name = luaL_optstring(L, 2, "=(load)");
    const char *mode = luaL_optstring(L, 3, "t");
    if (strcmp(mode, "t") != 0)
        return luaL_error(L, "load: only text chunks (mode \"t\") are allowed in a rule");
    int has_env = lua_gettop(L) >= 4 && !lua_isnone(L, 4);
    if (luaL_loadbufferx(L, s, len, name, "t") != LUA_OK) {
        luaL_pushfail(L);
        lua_insert(L, -2);
        return 2;
    }
    if (has_env)
        lua_pushvalue(L, 4);
    else
        lua_newtable(L);
    if (!lua_setupvalue(L, -2, 1))
        lua_pop(L, 1);
    return 1;
}

static int sb_randomseed(lua_State *L)
{
    /* Without an argument math.randomseed would seed from the clock. */
    luaL_checkinteger(L, 1);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 0);
    return 0;
}

/* setmetatable without finalizers: Lua runs __gc with hooks switched off, so a
 * finalizer that loops could not be stopped by the budget (not even at
 * lua_close). Lua marks an object for finalization only when its metatable
 * has __gc at the moment it is set, so checking here is enough. */
static int sb_setmetatable(lua_State *L)
{
    if (lua_type(L, 2) == LUA_TTABLE) {
        lua_pushliteral(L, "__gc");
        int t = lua_rawget(L, 2);
        lua_pop(L, 1);
        if (t != LUA_TNIL)
            return luaL_error(L, "setmetatable: __gc finalizers are not allowed in a rule");
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

static int strict_index(lua_State *L)
{
    const char *k = luaL_tolstring(L, 2, NULL);
    return luaL_error(L, "undeclared global '%s'", k);
}

static int strict_newindex(lua_State *L)
{
    const char *k = luaL_tolstring(L, 2, NULL);
    return luaL_error(L, "assignment to undeclared global '%s'", k);
}

int sb_open_libs(lua_State *L)
{
    static const luaL_Reg libs[] = {
        {LUA_GNAME, luaopen_base},       {LUA_STRLIBNAME, luaopen_string},
        {LUA_TABLIBNAME, luaopen_table}, {LUA_MATHLIBNAME, luaopen_math},
        {LUA_UTF8LIBNAME, luaopen_utf8}, {NULL, NULL},
    };
    for (const luaL_Reg *l = libs; l->name; l++) {
        luaL_requiref(L, l->name, l->func, 1);
        lua_pop(L, 1);
    }
    /* package.loaded from luaL_requiref: no require to reach it, drop it anyway. */
    lua_pushnil(L);
    lua_setfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);

    lua_pushglobaltable(L);
    static const char *const removed[] = {"dofile", "loadfile", "require", NULL};
    for (int i = 0; removed[i]; i++) {
        lua_pushnil(L);
        lua_setfield(L, -2, removed[i]);
    }
    lua_pushcfunction(L, sb_load);
    lua_setfield(L, -2, "load");
    lua_pushcfunction(L, sb_collectgarbage);
    lua_setfield(L, -2, "collectgarbage");
    lua_pushcfunction(L, sb_print);
    lua_setfield(L, -2, "print");
    lua_pushcfunction(L, sb_xpcall);
    lua_setfield(L, -2, "xpcall");
    lua_getfield(L, -1, "setmetatable");
    lua_pushcclosure(L, sb_setmetatable, 1);
    lua_setfield(L, -2, "setmetatable");

    /* string.dump makes bytecode; nothing in a rule needs it. The functions
     * that could work without bound are replaced (sandbox_guards.h). */
    lua_getfield(L, -1, "string");
    lua_pushnil(L);
    lua_setfield(L, -2, "dump");
    sb_open_patterns(L);
    sb_open_string_guards(L);
    lua_pop(L, 1);
    lua_getfield(L, -1, "table");
    sb_open_table_guards(L);
    lua_pop(L, 1);

    /* Fixed seed: the same input gives the same report. */
    lua_getfield(L, -1, "math");
    lua_getfield(L, -1, "randomseed");
    lua_pushvalue(L, -1);
    lua_pushinteger(L, 20230101);
    lua_call(L, 1, 0);
    lua_pushcclosure(L, sb_randomseed, 1);
    lua_setfield(L, -2, "randomseed");
    lua_pop(L, 1);
    lua_pop(L, 1); /* globals */

    /* Lock the string metatable: it is shared by every string in the state. */
    lua_pushliteral(L, "");
    if (lua_getmetatable(L, -1)) {
        lua_pushboolean(L, 0);
        lua_setfield(L, -2, "__metatable");
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return 0;
}

int sb_seal(lua_State *L)
{
    lua_pushglobaltable(L);
    lua_createtable(L, 0, 3);
    lua_pushcfunction(L, strict_index);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, strict_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushliteral(L, "globals are locked");
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
    return 0;
}
