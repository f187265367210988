/* sandbox.c - see sandbox.h
 *
 * Why each piece exists (shared/design/anchors.md section 7 has the measured
 * pitfalls):
 * - The allocator is the only hard memory bound Lua offers: a NULL return
 *   becomes LUA_ERRMEM and the state stays usable.
 * - The count hook bounds VM instructions, not time spent inside C functions
 *   (string.find with a bad pattern); docs/sandbox.md says so.
 * - Once the budget is spent the hook is re-armed to fire on every line and
 *   every instruction, so a rule that catches the error with its own pcall is
 *   interrupted again at once and the error reaches the host.
 * - Setup runs inside a protected call: an allocation failure while opening the
 *   libraries must not reach the panic function.
 */
#include "sandbox.h"

#include <inttypes.h>
#include <lauxlib.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HOOK_EVERY 1000

struct sandbox {
    lua_State *L;
    size_t limit, used, peak;
    uint64_t budget;  /* instructions per sandbox_pcall */
    uint64_t spent;   /* instructions counted in the current call */
    int exceeded;     /* budget ran out in the current call */
    int in_call;      /* sandbox_pcall is active (the hook counts only then) */
    char *name;
};

static sandbox *from_state(lua_State *L)
{
    return *(sandbox **)lua_getextraspace(L);
}

static void *capalloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    sandbox *sb = ud;
    /* With ptr == NULL, osize is a type tag, not a size. */
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        free(ptr);
        sb->used -= old;
        return NULL;
    }
    if (nsize > old && sb->used - old + nsize > sb->limit)
        return NULL;
    void *p = realloc(ptr, nsize);
    if (!p)
        return NULL;
    sb->used = sb->used - old + nsize;
    if (sb->used > sb->peak)
        sb->peak = sb->used;
    return p;
}

static int on_panic(lua_State *L)
{
    const char *msg = lua_tostring(L, -1);
    fprintf(stderr, "rhv: unprotected Lua error: %s\n", msg ? msg : "(not a string)");
    abort();
}

static void budget_hook(lua_State *L, lua_Debug *ar)
{
    sandbox *sb = from_state(L);
    if (!sb->in_call)
        return;
    if (!sb->exceeded) {
        if (ar->event != LUA_HOOKCOUNT)
            return;
        sb->spent += HOOK_EVERY;
        if (sb->spent <= sb->budget)
            return;
        sb->exceeded = 1;
        lua_sethook(L, budget_hook, LUA_MASKLINE | LUA_MASKCOUNT, 1);
    }
    lua_getinfo(L, "Sl", ar);
    if (ar->currentline > 0)
        lua_pushfstring(L, "%s:%d: ", ar->short_src, ar->currentline);
    else
        lua_pushliteral(L, "");
    lua_pushfstring(L, "instruction budget of %I exceeded", (lua_Integer)sb->budget);
    lua_concat(L, 2);
    lua_error(L);
}

/* Message handler: a traceback for every error, whatever its value. */
static int msgh(lua_State *L)
{
    const char *msg = lua_tostring(L, 1);
    if (!msg) {
        if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
            msg = lua_tostring(L, -1);
        else
            msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    }
    luaL_traceback(L, L, msg, 1);
    return 1;
}

/* ---- replaced base functions ----------------------------------------- */

static int sb_print(lua_State *L)
{
    sandbox *sb = from_state(L);
    int n = lua_gettop(L);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (int i = 1; i <= n; i++) {
        if (i > 1)
            luaL_addchar(&b, '\t');
        luaL_tolstring(L, i, NULL);
        luaL_addvalue(&b);
    }
    luaL_pushresult(&b);
    fprintf(stderr, "[%s] %s\n", sb->name ? sb->name : "lua", lua_tostring(L, -1));
    return 0;
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

static int setup(lua_State *L)
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
    lua_getfield(L, -1, "setmetatable");
    lua_pushcclosure(L, sb_setmetatable, 1);
    lua_setfield(L, -2, "setmetatable");

    /* string.dump makes bytecode; nothing in a rule needs it. */
    lua_getfield(L, -1, "string");
    lua_pushnil(L);
    lua_setfield(L, -2, "dump");
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

sandbox *sandbox_new(size_t mem_limit, uint64_t instr_budget)
{
    sandbox *sb = calloc(1, sizeof *sb);
    if (!sb)
        return NULL;
    sb->limit = mem_limit;
    sb->budget = instr_budget;
    sb->L = lua_newstate(capalloc, sb);
    if (!sb->L) {
        free(sb);
        return NULL;
    }
    *(sandbox **)lua_getextraspace(sb->L) = sb;
    lua_atpanic(sb->L, on_panic);
    lua_pushcfunction(sb->L, setup);
    if (lua_pcall(sb->L, 0, 0, 0) != LUA_OK) {
        lua_close(sb->L);
        free(sb);
        return NULL;
    }
    return sb;
}

void sandbox_free(sandbox *sb)
{
    if (!sb)
        return;
    lua_close(sb->L);
    free(sb->name);
    free(sb);
}

lua_State *sandbox_state(sandbox *sb)
{
    return sb->L;
}

size_t sandbox_mem_used(const sandbox *sb)
{
    return sb->used;
}

size_t sandbox_mem_peak(const sandbox *sb)
{
    return sb->peak;
}

size_t sandbox_mem_limit(const sandbox *sb)
{
    return sb->limit;
}

uint64_t sandbox_instr_budget(const sandbox *sb)
{
    return sb->budget;
}

void sandbox_set_instr_budget(sandbox *sb, uint64_t instr_budget)
{
    sb->budget = instr_budget;
}

void sandbox_set_name(sandbox *sb, const char *name)
{
    char *n = name ? strdup(name) : NULL;
    if (name && !n)
        return; /* keep the old name: print only loses its label */
    free(sb->name);
    sb->name = n;
}

static char *dupstr(const char *s)
{
    char *d = strdup(s ? s : "(no message)");
    return d;
}

/* Turn a failed status plus the error object on top into *err, pop it. */
static int report(sandbox *sb, int st, char **err)
{
    lua_State *L = sb->L;
    char buf[160];
    const char *msg = NULL;
    if (st == LUA_ERRMEM) {
        snprintf(buf, sizeof buf, "memory limit of %zu bytes exceeded", sb->limit);
        msg = buf;
    } else if (st == LUA_ERRERR && sb->exceeded) {
        snprintf(buf, sizeof buf, "instruction budget of %" PRIu64 " exceeded", sb->budget);
        msg = buf;
    } else {
        msg = lua_tostring(L, -1);
        if (!msg) {
            snprintf(buf, sizeof buf, "(error object is a %s value)", luaL_typename(L, -1));
            msg = buf;
        }
    }
    if (err)
        *err = dupstr(msg);
    lua_pop(L, 1);
    return st;
}

static int load_status(sandbox *sb, int st, char **err)
{
    if (st == LUA_OK)
        return 0;
    report(sb, st, err);
    return -1;
}

int sandbox_load_buffer(sandbox *sb, const char *buf, size_t len, const char *chunkname, char **err)
{
    if (err)
        *err = NULL;
    int st = luaL_loadbufferx(sb->L, buf, len, chunkname, "t");
    return load_status(sb, st, err);
}

int sandbox_load_file(sandbox *sb, const char *path, char **err)
{
    if (err)
        *err = NULL;
    int st = luaL_loadfilex(sb->L, path, "t");
    return load_status(sb, st, err);
}

int sandbox_pcall(sandbox *sb, int nargs, int nresults, char **err)
{
    lua_State *L = sb->L;
    if (err)
        *err = NULL;
    int base = lua_gettop(L) - nargs;
    lua_pushcfunction(L, msgh);
    lua_insert(L, base);
    sb->spent = 0;
    sb->exceeded = 0;
    sb->in_call = 1;
    lua_sethook(L, budget_hook, LUA_MASKCOUNT, HOOK_EVERY);
    int st = lua_pcall(L, nargs, nresults, base);
    lua_sethook(L, NULL, 0, 0);
    sb->in_call = 0;
    if (st != LUA_OK) {
        report(sb, st, err);
        lua_remove(L, base);
        return st;
    }
    lua_remove(L, base);
    return LUA_OK;
}

static int seal_fn(lua_State *L)
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

int sandbox_seal(sandbox *sb)
{
    /* Protected: the few allocations here must not reach the panic function. */
    lua_pushcfunction(sb->L, seal_fn);
    if (lua_pcall(sb->L, 0, 0, 0) != LUA_OK) {
        lua_pop(sb->L, 1);
        return -1;
    }
    return 0;
}
