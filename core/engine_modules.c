/* engine_modules.c - library modules a rule declares in `uses`
 * (docs/rule-api.md, Library modules).
 *
 * Contract:
 * - A module is plugins/lib/<name>.lua, name ^[a-z_][a-z0-9_]*$ (at most
 *   MOD_NAME_MAX bytes, not "rhv" or "testlib"), returning one table. Its bytes
 *   are read once per engine (so every rule gets the same bytes and the
 *   report's digest is of the bytes loaded) and run once per rule state, in
 *   that state: the same sandbox, budget and strict globals as the rule; its
 *   errors carry the module's own file:line (chunk name "@path").
 * - The rule reaches it as rhv.lib.<name>. While the rule file's top level
 *   runs, the first access loads it (a rule may write
 *   `local x = rhv.lib.x` at its top). The rule table's `uses` must then list
 *   every module loaded (eng_meta_uses); the declared modules not yet loaded
 *   are loaded right after (eng_load_uses): one that does not load (missing
 *   file, syntax error, error while it runs) is the rule's load error
 *   "field 'uses[N]': " and the reason with the module's file (and line). From then on rhv.lib holds exactly the declared modules
 *   and any other name raises.
 * - Modules may use rhv and each other (a module used by a module must be
 *   declared by the rule as well); a cycle raises.
 */
#include "engine_internal.h"

#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_aggregate.h" /* eng_meta_fail */
#include "hash.h"

#define MOD_NAME_MAX 40

static bool valid_module_name(const char *s, size_t len)
{
    if (len == 0 || len > MOD_NAME_MAX || !((s[0] >= 'a' && s[0] <= 'z') || s[0] == '_'))
        return false;
    for (size_t i = 1; i < len; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
            return false;
    /* the helper library and the test library are loaded by the host */
    return strcmp(s, "rhv") != 0 && strcmp(s, "testlib") != 0;
}

void eng_modules_free(rhv_engine *e)
{
    for (size_t i = 0; i < e->nmods; i++) {
        free(e->mods[i].name);
        free(e->mods[i].chunk);
        free(e->mods[i].src);
    }
    free(e->mods);
    e->mods = NULL;
    e->nmods = 0;
}

/* Index of module `name` in the engine's cache, reading it on first use;
 * raises (in L) when the file cannot be read. */
static size_t module_index(lua_State *L, rhv_engine *e, const char *name)
{
    for (size_t i = 0; i < e->nmods; i++)
        if (strcmp(e->mods[i].name, name) == 0)
            return i;
    char path[4096];
    snprintf(path, sizeof path, "%s/lib/%s.lua", e->plugins_dir, name);
    eng_module *nm = realloc(e->mods, (e->nmods + 1) * sizeof *nm);
    if (!nm)
        luaL_error(L, "out of memory");
    e->mods = nm;
    eng_module m = {0};
    m.src = eng_read_all(path, &m.len);
    if (!m.src)
        luaL_error(L, "rhv.lib.%s: cannot read the module file %s (a module is plugins/lib/<name>.lua, "
                      "docs/rule-api.md)", name, path);
    size_t cl = strlen(path) + 2;
    m.name = strdup(name);
    m.chunk = malloc(cl);
    if (!m.name || !m.chunk) {
        free(m.name);
        free(m.chunk);
        free(m.src);
        luaL_error(L, "out of memory");
    }
    snprintf(m.chunk, cl, "@%s", path);
    sha256_buf(m.src, m.len, m.sha256);
    e->mods[e->nmods] = m;
    return e->nmods++;
}

static bool rule_has_module(const rule *r, size_t idx)
{
    for (size_t i = 0; i < r->nmods; i++)
        if (r->mods[i] == idx)
            return true;
    return false;
}

/* Runs module `name` in r's state and stores its table in lib (an absolute
 * index); leaves the table on the stack. */
static void load_module(lua_State *L, rule *r, int lib, const char *name)
{
    rhv_engine *e = r->e;
    size_t idx = module_index(L, e, name);
    for (int i = 0; i < r->nloading; i++)
        if (r->loading[i] == idx)
            luaL_error(L, "rhv.lib.%s: the modules use each other in a cycle", name);
    if (r->nloading >= MAX_USES)
        luaL_error(L, "rhv.lib.%s: modules nested more than %d deep", name, MAX_USES);
    size_t *nm = realloc(r->mods, (r->nmods + 1) * sizeof *nm);
    if (!nm)
        luaL_error(L, "out of memory");
    r->mods = nm;
    const eng_module *m = &e->mods[idx];
    if (luaL_loadbufferx(L, m->src, m->len, m->chunk, "t") != LUA_OK)
        lua_error(L); /* the message is "path:line: ..." */
    r->loading[r->nloading++] = idx;
    /* protected, so a rule that catches the error can ask again */
    int st = lua_pcall(L, 0, 1, 0);
    r->nloading--;
    if (st != LUA_OK)
        lua_error(L);
    m = &e->mods[idx]; /* a module it used may have moved the cache */
    if (!lua_istable(L, -1))
        luaL_error(L, "%s must return a table (got %s)", m->chunk + 1, luaL_typename(L, -1));
    r->mods[r->nmods++] = idx;
    lua_pushvalue(L, -1);
    lua_setfield(L, lib, name); /* lib has only __index: a raw set */
}

/* __index of rhv.lib: (lib, name). */
static int lib_index(lua_State *L)
{
    rule *r = eng_up_rule(L);
    size_t len;
    const char *name = lua_type(L, 2) == LUA_TSTRING ? lua_tolstring(L, 2, &len) : NULL;
    if (!name || !valid_module_name(name, len))
        return luaL_error(L, "rhv.lib: '%s' is not a module name (^[a-z_][a-z0-9_]*$, at most %d bytes)",
                          name ? name : luaL_typename(L, 2), MOD_NAME_MAX);
    if (r->uses_fixed)
        return luaL_error(L, "rhv.lib.%s: the rule does not list '%s' in its field 'uses'", name, name);
    load_module(L, r, 1, name);
    return 1;
}

void eng_push_lib_table(lua_State *L, rule *r)
{
    lua_newtable(L);
    lua_newtable(L);
    lua_pushlightuserdata(L, r);
    lua_pushcclosure(L, lib_index, 1);
    lua_setfield(L, -2, "__index");
    lua_pushliteral(L, "rhv.lib");
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
}

/* The names of `uses` (list at l) into r->uses; a problem to r->meta_err. */
static void take_uses(lua_State *L, rule *r, int l)
{
    lua_Integer n = lf_list_len(L, l, MAX_USES);
    if (n < 0) {
        eng_meta_fail(r, "field 'uses': must be a list of at most %d module names", MAX_USES);
        return;
    }
    for (lua_Integer i = 1; i <= n && !r->meta_err[0]; i++) {
        size_t len = 0;
        const char *s = lua_rawgeti(L, l, i) == LUA_TSTRING ? lua_tolstring(L, -1, &len) : NULL;
        char shown[LF_KEY_MAX + 8];
        if (s)
            lf_printable(s, len, shown, sizeof shown);
        if (!s || !valid_module_name(s, len)) {
            eng_meta_fail(r, "field 'uses[%d]': %s%s%s is not a module name (^[a-z_][a-z0-9_]*$, a file in %s/lib)",
                          (int)i, s ? "'" : "", s ? shown : luaL_typename(L, -1), s ? "'" : "", r->e->plugins_dir);
        } else {
            for (size_t k = 0; k < r->nuses; k++)
                if (strcmp(r->uses[k], s) == 0)
                    eng_meta_fail(r, "field 'uses[%d]': '%s' is listed twice", (int)i, shown);
            if (!r->meta_err[0] && !(r->uses[r->nuses] = strdup(s))) {
                lua_pop(L, 1);
                luaL_error(L, "out of memory");
            }
            if (!r->meta_err[0])
                r->nuses++;
        }
        lua_pop(L, 1);
    }
}

void eng_meta_uses(lua_State *L, rule *r, const lf_value *v)
{
    if (v->type != LUA_TNIL && !v->idx) {
        eng_meta_fail(r, "field 'uses': must be a list of module names");
        return;
    }
    if (v->type != LUA_TNIL)
        take_uses(L, r, v->idx);
    for (size_t i = 0; i < r->nmods && !r->meta_err[0]; i++) {
        const char *name = r->e->mods[r->mods[i]].name;
        bool listed = false;
        for (size_t k = 0; k < r->nuses; k++)
            listed = listed || strcmp(r->uses[k], name) == 0;
        if (!listed)
            eng_meta_fail(r, "field 'uses': the rule uses rhv.lib.%s but does not list '%s'", name, name);
    }
}

/* (lib, name): lib[name], which loads the module through lib_index. */
static int get_module(lua_State *L)
{
    lua_gettable(L, 1);
    return 0;
}

int eng_load_uses(lua_State *L)
{
    rule *r = lua_touserdata(L, 1);
    lua_getglobal(L, "rhv");
    lua_getfield(L, -1, "lib");
    int lib = lua_gettop(L);
    for (size_t k = 0; k < r->nuses && !r->meta_err[0]; k++) {
        lua_pushcfunction(L, get_module);
        lua_pushvalue(L, lib);
        lua_pushstring(L, r->uses[k]);
        /* A module that does not load is the rule's metadata problem, named
         * by its entry (the message has the module's file:line). */
        int st = lua_pcall(L, 2, 0, 0);
        if (st == LUA_ERRMEM)
            return lua_error(L);
        if (st != LUA_OK) {
            const char *msg = lua_tostring(L, -1);
            eng_meta_fail(r, "field 'uses[%d]': %s", (int)k + 1, msg ? msg : "the module raised a non-string error");
            lua_pop(L, 1);
        }
    }
    r->uses_fixed = true;
    lua_settop(L, lib - 2);
    return 0;
}

size_t engine_module_count(const rhv_engine *e)
{
    return e->nminfo;
}

/* Sorted by name; only modules some rule loaded (a file that could not be
 * read is not in the cache). */
const rhv_module_info *engine_module(const rhv_engine *e, size_t i)
{
    return i < e->nminfo ? &e->minfo[i] : NULL;
}

void eng_rebuild_minfo(rhv_engine *e)
{
    free(e->minfo);
    e->minfo = NULL;
    e->nminfo = 0;
    if (!e->nmods || !(e->minfo = calloc(e->nmods, sizeof *e->minfo)))
        return;
    for (size_t i = 0; i < e->nmods; i++) {
        bool used = false;
        for (size_t j = 0; j < e->nrules && !used; j++)
            used = rule_has_module(e->rules[j], i);
        if (!used)
            continue;
        size_t at = e->nminfo;
        while (at > 0 && strcmp(e->minfo[at - 1].name, e->mods[i].name) > 0) {
            e->minfo[at] = e->minfo[at - 1];
            at--;
        }
        e->minfo[at] = (rhv_module_info){e->mods[i].name, e->mods[i].chunk + 1, e->mods[i].sha256};
        e->nminfo++;
    }
}
