/* engine_rhvlib.c - the C half of the rhv library a rule sees.
 *
 * rhv.format, plain, cents, round_div, pct, scaled (exact integer
 * arithmetic, never a float) and log; rhv.finding is in engine_finding.c.
 * eng_init_state loads plugins/lib/rhv.lua with these as its C functions and
 * makes it the global `rhv`. Each C function has its rule as upvalue 1
 * (eng_up_rule).
 */
#include "engine_internal.h"

#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_aggregate.h"
#include "evidence_lists.h"
#include "keyset.h"
#include "money.h"

static lua_Integer check_int(lua_State *L, int arg, const char *fn)
{
    if (!lua_isinteger(L, arg))
        luaL_error(L, "%s: argument %d must be an integer, got %s", fn, arg,
                   lua_type(L, arg) == LUA_TNUMBER ? "a float" : luaL_typename(L, arg));
    return lua_tointeger(L, arg);
}

static int c_format(lua_State *L)
{
    char buf[MONEY_FMT_MAX];
    lua_pushstring(L, money_format(check_int(L, 1, "rhv.format"), buf));
    return 1;
}

static int c_plain(lua_State *L)
{
    char buf[MONEY_FMT_MAX];
    lua_pushstring(L, money_format_plain(check_int(L, 1, "rhv.plain"), buf));
    return 1;
}

static int c_cents(lua_State *L)
{
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    rhv_cents c;
    money_status st;
    /* A comma means the Dutch form; "1234.56" is a decimal point; "1.234"
     * (three digits after the dot) can only be Dutch thousands. */
    if (memchr(s, ',', len))
        st = money_parse_nl(s, len, &c);
    else if ((st = money_parse(s, len, &c)) == MONEY_PRECISION)
        st = money_parse_nl(s, len, &c);
    if (st != MONEY_OK)
        return luaL_error(L, "rhv.cents: '%s' is not an amount (%s)", s, money_status_text(st));
    lua_pushinteger(L, c);
    return 1;
}

static int c_round_div(lua_State *L)
{
    lua_Integer a = check_int(L, 1, "rhv.round_div"), b = check_int(L, 2, "rhv.round_div");
    if (b == 0)
        return luaL_error(L, "rhv.round_div: division by zero");
    lua_pushinteger(L, div_round_half_away(a, b));
    return 1;
}

/* v / 10^decimals as text with a decimal comma. */
static void push_fixed(lua_State *L, __int128 v, int decimals, const char *suffix)
{
    char buf[64];
    int neg = v < 0;
    unsigned __int128 u = neg ? (unsigned __int128)(-v) : (unsigned __int128)v;
    char digits[48];
    int n = 0;
    do {
        digits[n++] = (char)('0' + (int)(u % 10));
        u /= 10;
    } while (u && n < 47);
    while (n <= decimals)
        digits[n++] = '0';
    size_t o = 0;
    if (neg)
        buf[o++] = '-';
    for (int i = n - 1; i >= 0; i--) {
        buf[o++] = digits[i];
        if (i == decimals && decimals > 0)
            buf[o++] = ',';
    }
    buf[o] = '\0';
    lua_pushfstring(L, "%s%s", buf, suffix);
}

static __int128 pow10i(int n)
{
    __int128 p = 1;
    while (n-- > 0)
        p *= 10;
    return p;
}

static __int128 div_half_away128(__int128 a, __int128 b)
{
    __int128 q = a / b, r = a % b;
    if (r < 0)
        r = -r;
    __int128 ab = b < 0 ? -b : b;
    if (2 * r >= ab)
        q += ((a < 0) != (b < 0)) ? -1 : 1;
    return q;
}

static int c_pct(lua_State *L)
{
    lua_Integer part = check_int(L, 1, "rhv.pct"), whole = check_int(L, 2, "rhv.pct");
    lua_Integer dec = lua_isnoneornil(L, 3) ? 2 : check_int(L, 3, "rhv.pct");
    if (whole == 0)
        return luaL_error(L, "rhv.pct: whole is zero");
    if (dec < 0 || dec > 6)
        return luaL_error(L, "rhv.pct: decimals must be 0..6");
    __int128 v = div_half_away128((__int128)part * 100 * pow10i((int)dec), whole);
    push_fixed(L, v, (int)dec, "%");
    return 1;
}

static int c_scaled(lua_State *L)
{
    lua_Integer v = check_int(L, 1, "rhv.scaled"), scale = check_int(L, 2, "rhv.scaled");
    lua_Integer dec = lua_isnoneornil(L, 3) ? scale : check_int(L, 3, "rhv.scaled");
    if (scale < 0 || scale > 9 || dec < 0 || dec > 9)
        return luaL_error(L, "rhv.scaled: scale and decimals must be 0..9");
    __int128 x = v;
    if (dec >= scale)
        x *= pow10i((int)(dec - scale));
    else
        x = div_half_away128(x, pow10i((int)(scale - dec)));
    push_fixed(L, x, (int)dec, "");
    return 1;
}

static int c_log(lua_State *L)
{
    /* Within the rule's output limit, shared with print (sandbox.h); the
     * sandbox is named for the rule's id. */
    return sandbox_log_args(L, ' ');
}

static const luaL_Reg rhv_c_funcs[] = {
    {"finding", eng_c_finding}, {"groups", eng_c_groups}, {"skip", eng_c_skip}, {"format", c_format},       {"plain", c_plain}, {"cents", c_cents},
    {"round_div", c_round_div}, {"pct", c_pct}, {"scaled", c_scaled},  {"log", c_log},
    {NULL, NULL},
};

/* lua_dump's writer: into e->lib_bc (host memory); non-zero stops the dump. */
static int dump_lib(lua_State *L, const void *p, size_t n, void *ud)
{
    (void)L;
    rhv_engine *e = ud;
    if (e->lib_bc_len + n > e->lib_bc_cap) {
        size_t cap = e->lib_bc_cap ? e->lib_bc_cap : 16384;
        while (cap < e->lib_bc_len + n)
            cap *= 2;
        char *nb = realloc(e->lib_bc, cap);
        if (!nb)
            return 1;
        e->lib_bc = nb;
        e->lib_bc_cap = cap;
    }
    memcpy(e->lib_bc + e->lib_bc_len, p, n);
    e->lib_bc_len += n;
    return 0;
}

/* rhv.lua's main function pushed. Every rule state has its own copy; the
 * first compiles the text and keeps the result as lua_dump wrote it (with
 * the line information: errors and tracebacks read as from the text), the
 * others load that: a third of the cost of compiling (engine_load, 11 rule
 * states). The only binary chunk a state loads is this one, made by the
 * host from the text in this run; rules still load text only. */
static int load_lib(lua_State *L, rhv_engine *e)
{
    if (e->lib_bc)
        return luaL_loadbufferx(L, e->lib_bc, e->lib_bc_len, e->lib_chunk, "b");
    int st = luaL_loadbufferx(L, e->lib, e->lib_len, e->lib_chunk, "t");
    if (st == LUA_OK && lua_dump(L, dump_lib, e, 0) != 0) {
        free(e->lib_bc); /* not kept: the next state compiles the text */
        e->lib_bc = NULL;
        e->lib_bc_len = e->lib_bc_cap = 0;
    }
    return st;
}

/* Load plugins/lib/rhv.lua and make it the global `rhv`. */
int eng_init_state(lua_State *L)
{
    rule *r = lua_touserdata(L, 1);
    rhv_engine *e = r->e;
    if (load_lib(L, e) != LUA_OK)
        return lua_error(L);
    lua_newtable(L);
    lua_pushlightuserdata(L, r);
    luaL_setfuncs(L, rhv_c_funcs, 1);
    keyset_register(L); /* C.keyset: compact key sets (keyset.h) */
    evidence_lists_register(L); /* C.evidence_lists: capped evidence lists (evidence_lists.h) */
    lua_call(L, 1, 2);
    if (!lua_istable(L, -2) || !lua_istable(L, -1))
        return luaL_error(L, "%s must return the rhv table and the host table", e->lib_chunk + 1);
    lua_getfield(L, -1, "readonly");
    if (!lua_isfunction(L, -1))
        return luaL_error(L, "%s: host.readonly missing", e->lib_chunk + 1);
    r->ref_readonly = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_pop(L, 1);
    eng_push_lib_table(L, r);
    lua_setfield(L, -2, "lib");
    lua_setglobal(L, "rhv");
    return 0;
}
