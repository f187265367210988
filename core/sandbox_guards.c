/* sandbox_guards.c - string.rep and the table functions, bounded
 * (sandbox_guards.h). Each has the arguments, results and messages of Lua
 * 5.4's own; the bound is the only difference. */
#include "sandbox_guards.h"

#include <inttypes.h>
#include <lauxlib.h>
#include <string.h>

#include "sandbox_internal.h"

/* What a table argument must offer (as Lua's table library checks it). */
#define TAB_R 1
#define TAB_W 2
#define TAB_L 4

/* At most the call's budget of elements in one call: err names the function. */
static void check_count(lua_State *L, lua_Integer n, const char *fname)
{
    uint64_t budget = sb_of(L)->budget;
    if (n > 0 && (uint64_t)n > budget)
        luaL_error(L, "%s: more than %I elements in one call (docs/sandbox.md)", fname,
                   (lua_Integer)(budget > LUA_MAXINTEGER ? LUA_MAXINTEGER : budget));
}

static int str_rep(lua_State *L)
{
    size_t l, lsep;
    const char *s = luaL_checklstring(L, 1, &l);
    lua_Integer n = luaL_checkinteger(L, 2);
    const char *sep = luaL_optlstring(L, 3, "", &lsep);
    const size_t max = (size_t)LUA_MAXINTEGER < SIZE_MAX ? (size_t)LUA_MAXINTEGER : SIZE_MAX;
    if (n <= 0 || l + lsep == 0) { /* empty: Lua's own would still loop n times */
        lua_pushliteral(L, "");
        return 1;
    }
    if (l + lsep < l || l + lsep > max / (size_t)n)
        return luaL_error(L, "resulting string too large");
    size_t total = (size_t)n * l + (size_t)(n - 1) * lsep;
    luaL_Buffer b;
    char *p = luaL_buffinitsize(L, &b, total); /* the memory cap bounds the rest */
    while (n-- > 1) {
        memcpy(p, s, l);
        p += l;
        if (lsep > 0) {
            memcpy(p, sep, lsep);
            p += lsep;
        }
    }
    memcpy(p, s, l);
    luaL_pushresultsize(&b, total);
    return 1;
}

static int has_field(lua_State *L, const char *key, int n)
{
    lua_pushstring(L, key);
    return lua_rawget(L, -n) != LUA_TNIL;
}

/* A table, or a value whose metatable gives what `what` needs. */
static void check_tab(lua_State *L, int arg, int what)
{
    if (lua_type(L, arg) == LUA_TTABLE)
        return;
    int n = 1;
    if (lua_getmetatable(L, arg) && (!(what & TAB_R) || has_field(L, "__index", ++n)) &&
        (!(what & TAB_W) || has_field(L, "__newindex", ++n)) && (!(what & TAB_L) || has_field(L, "__len", ++n)))
        lua_pop(L, n);
    else
        luaL_checktype(L, arg, LUA_TTABLE); /* raises */
}

static lua_Integer length_of(lua_State *L, int arg, int what)
{
    check_tab(L, arg, what | TAB_L);
    return luaL_len(L, arg);
}

static int tab_insert(lua_State *L)
{
    lua_Integer e = length_of(L, 1, TAB_R | TAB_W);
    e = (lua_Integer)((lua_Unsigned)e + 1u); /* the first empty slot */
    lua_Integer pos;
    switch (lua_gettop(L)) {
    case 2:
        pos = e;
        break;
    case 3:
        pos = luaL_checkinteger(L, 2);
        luaL_argcheck(L, (lua_Unsigned)pos - 1u < (lua_Unsigned)e, 2, "position out of bounds");
        check_count(L, e - pos, "table.insert");
        for (lua_Integer i = e; i > pos; i--) {
            lua_geti(L, 1, i - 1);
            lua_seti(L, 1, i);
        }
        break;
    default:
        return luaL_error(L, "wrong number of arguments to 'insert'");
    }
    lua_seti(L, 1, pos);
    return 0;
}

static int tab_remove(lua_State *L)
{
    lua_Integer size = length_of(L, 1, TAB_R | TAB_W);
    lua_Integer pos = luaL_optinteger(L, 2, size);
    if (pos != size)
        luaL_argcheck(L, (lua_Unsigned)pos - 1u <= (lua_Unsigned)size, 2, "position out of bounds");
    if (pos < size)
        check_count(L, size - pos, "table.remove");
    lua_geti(L, 1, pos);
    for (; pos < size; pos++) {
        lua_geti(L, 1, pos + 1);
        lua_seti(L, 1, pos);
    }
    lua_pushnil(L);
    lua_seti(L, 1, pos);
    return 1;
}

static int tab_move(lua_State *L)
{
    lua_Integer f = luaL_checkinteger(L, 2);
    lua_Integer e = luaL_checkinteger(L, 3);
    lua_Integer t = luaL_checkinteger(L, 4);
    int tt = !lua_isnoneornil(L, 5) ? 5 : 1;
    check_tab(L, 1, TAB_R);
    check_tab(L, tt, TAB_W);
    if (e >= f) {
        luaL_argcheck(L, f > 0 || e < LUA_MAXINTEGER + f, 3, "too many elements to move");
        lua_Integer n = e - f + 1;
        luaL_argcheck(L, t <= LUA_MAXINTEGER - n + 1, 4, "destination wrap around");
        check_count(L, n, "table.move");
        if (t > e || t <= f || (tt != 1 && !lua_compare(L, 1, tt, LUA_OPEQ))) {
            for (lua_Integer i = 0; i < n; i++) {
                lua_geti(L, 1, f + i);
                lua_seti(L, tt, t + i);
            }
        } else {
            for (lua_Integer i = n - 1; i >= 0; i--) {
                lua_geti(L, 1, f + i);
                lua_seti(L, tt, t + i);
            }
        }
    }
    lua_pushvalue(L, tt);
    return 1;
}

static void add_field(lua_State *L, luaL_Buffer *b, lua_Integer i)
{
    lua_geti(L, 1, i);
    if (!lua_isstring(L, -1))
        luaL_error(L, "invalid value (at index %I) in table for 'concat'", (lua_Integer)i);
    luaL_addvalue(b);
}

static int tab_concat(lua_State *L)
{
    lua_Integer last = length_of(L, 1, TAB_R);
    size_t lsep;
    const char *sep = luaL_optlstring(L, 2, "", &lsep);
    lua_Integer i = luaL_optinteger(L, 3, 1);
    last = luaL_optinteger(L, 4, last);
    if (i <= last)
        check_count(L, (lua_Integer)((lua_Unsigned)last - (lua_Unsigned)i), "table.concat");
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (; i < last; i++) {
        add_field(L, &b, i);
        luaL_addlstring(&b, sep, lsep);
    }
    if (i == last)
        add_field(L, &b, i);
    luaL_pushresult(&b);
    return 1;
}

void sb_open_string_guards(lua_State *L)
{
    lua_pushcfunction(L, str_rep);
    lua_setfield(L, -2, "rep");
}

void sb_open_table_guards(lua_State *L)
{
    static const luaL_Reg fns[] = {
        {"insert", tab_insert}, {"remove", tab_remove}, {"move", tab_move}, {"concat", tab_concat}, {NULL, NULL},
    };
    luaL_setfuncs(L, fns, 0);
}
