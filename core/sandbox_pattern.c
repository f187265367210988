/* sandbox_pattern.c - the guarded pattern functions (sandbox_guards.h)
 *
 * string.find, match, gmatch and gsub on the step-counting matcher of
 * sandbox_match.c (lstrlib.c's library functions and captures, in its
 * order): the same results and error messages as Lua's own, but a call that
 * takes more steps than the state's instruction budget raises, naming the
 * function, and a stopped call (the wall-clock limit) gives up at once.
 * Plain searches use memmem, which is linear, where Lua's is quadratic in
 * the worst case (a short needle in a short subject excepted: find_plain).
 * A pattern's first single-character item is asked once per byte value
 * (pm_attempt), so most positions cost no attempt through the matcher; they
 * count as the attempt would.
 */
#define _GNU_SOURCE /* memmem */
#include "sandbox_guards.h"

#include <ctype.h>
#include <lauxlib.h>
#include <string.h>

#include "sandbox_match.h"

#define SPECIALS "^$*+?.([%-"

/* ---- captures ----------------------------------------------------------- */

/* Capture i as a string (*cap, its length returned) or, for a position
 * capture, pushed as an integer (CAP_POSITION returned). i == 0 with no
 * captures is the whole match s..e. */
static ptrdiff_t get_capture(mstate *ms, int i, const char *s, const char *e, const char **cap)
{
    if (i >= ms->level) {
        if (i != 0)
            luaL_error(ms->L, "invalid capture index %%%d", i + 1);
        *cap = s;
        return e - s;
    }
    ptrdiff_t len = ms->capture[i].len;
    *cap = ms->capture[i].init;
    if (len == CAP_UNFINISHED)
        luaL_error(ms->L, "unfinished capture");
    else if (len == CAP_POSITION)
        lua_pushinteger(ms->L, (ms->capture[i].init - ms->src_init) + 1);
    return len;
}

static void push_capture(mstate *ms, int i, const char *s, const char *e)
{
    const char *cap;
    ptrdiff_t len = get_capture(ms, i, s, e, &cap);
    if (len != CAP_POSITION)
        lua_pushlstring(ms->L, cap, (size_t)len);
}

static int push_captures(mstate *ms, const char *s, const char *e)
{
    int n = ms->level == 0 && s ? 1 : ms->level;
    luaL_checkstack(ms->L, n, "too many captures");
    for (int i = 0; i < n; i++)
        push_capture(ms, i, s, e);
    return n;
}

/* ---- the library functions ---------------------------------------------- */
/* Lua's relative start position (1-based, negative from the end). */
static size_t start_at(lua_Integer pos, size_t len)
{
    if (pos > 0)
        return (size_t)pos;
    if (pos == 0)
        return 1;
    if (pos < -(lua_Integer)len)
        return 1;
    return len + (size_t)pos + 1;
}

static int no_specials(const char *p, size_t l)
{
    size_t upto = 0;
    do { /* the pattern may hold zeros: look at each piece */
        if (strpbrk(p + upto, SPECIALS))
            return 0;
        upto += strlen(p + upto) + 1;
    } while (upto <= l);
    return 1;
}

/* The first p in s (lp bytes in ls), as memmem. A short needle in a short
 * subject (most finds of a rule: a word in a name) is looked for by its
 * first byte: memmem's set-up costs more than the whole search there, and
 * the quadratic worst case stays within 256 x 16 bytes; longer ones keep
 * memmem's linear search. */
static const char *find_plain(const char *s, size_t ls, const char *p, size_t lp)
{
    if (ls > 256 || lp > 16 || lp == 0)
        return memmem(s, ls, p, lp);
    if (lp > ls)
        return NULL;
    const char *last = s + (ls - lp); /* the last place p can start */
    for (const char *q = s; q <= last; q++) {
        q = memchr(q, (unsigned char)p[0], (size_t)(last - q) + 1);
        if (!q)
            return NULL;
        if (memcmp(q + 1, p + 1, lp - 1) == 0)
            return q;
    }
    return NULL;
}

static int find_aux(lua_State *L, int find)
{
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    int isnum; /* the common integer start without luaL_optinteger's detour */
    lua_Integer from = lua_tointegerx(L, 3, &isnum);
    size_t init = start_at(isnum ? from : luaL_optinteger(L, 3, 1), ls) - 1;
    if (init > ls) {
        luaL_pushfail(L);
        return 1;
    }
    if (find && (lua_toboolean(L, 4) || no_specials(p, lp))) {
        const char *hit = find_plain(s + init, ls - init, p, lp);
        if (hit) {
            lua_pushinteger(L, (hit - s) + 1);
            lua_pushinteger(L, (lua_Integer)((size_t)(hit - s) + lp));
            return 2;
        }
    } else {
        mstate ms;
        const char *s1 = s + init;
        int anchor = *p == '^';
        if (anchor) {
            p++;
            lp--;
        }
        pm_prepare(&ms, L, find ? "string.find" : "string.match", s, ls, p, lp);
        first_item fi;
        pm_first_init(&ms, &fi, p);
        do {
            pm_restart(&ms);
            const char *e = pm_attempt(&ms, &fi, s1, p);
            if (e) {
                if (find) {
                    lua_pushinteger(L, (s1 - s) + 1);
                    lua_pushinteger(L, e - s);
                    return push_captures(&ms, NULL, NULL) + 2;
                }
                return push_captures(&ms, s1, e);
            }
        } while (s1++ < ms.src_end && !anchor);
    }
    luaL_pushfail(L);
    return 1;
}

static int sb_find(lua_State *L)
{
    return find_aux(L, 1);
}

static int sb_match(lua_State *L)
{
    return find_aux(L, 0);
}

typedef struct {
    const char *src, *p, *lastmatch;
    mstate ms;
} gmatch_state;

static int gmatch_next(lua_State *L)
{
    gmatch_state *gm = lua_touserdata(L, lua_upvalueindex(3));
    pm_count_anew(&gm->ms, L); /* each call of the iterator is a call of its own */
    for (const char *src = gm->src; src <= gm->ms.src_end; src++) {
        pm_restart(&gm->ms);
        const char *e = pm_match(&gm->ms, src, gm->p);
        if (e && e != gm->lastmatch) {
            gm->src = gm->lastmatch = e;
            return push_captures(&gm->ms, src, e);
        }
    }
    return 0;
}

static int sb_gmatch(lua_State *L)
{
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    size_t init = start_at(luaL_optinteger(L, 3, 1), ls) - 1;
    lua_settop(L, 2);
    gmatch_state *gm = lua_newuserdatauv(L, sizeof *gm, 0);
    if (init > ls)
        init = ls + 1; /* past the end: no match */
    pm_prepare(&gm->ms, L, "string.gmatch", s, ls, p, lp);
    gm->src = s + init;
    gm->p = p;
    gm->lastmatch = NULL;
    lua_pushcclosure(L, gmatch_next, 3); /* s and p stay alive with it */
    return 1;
}

static void add_s(mstate *ms, luaL_Buffer *b, const char *s, const char *e)
{
    size_t l;
    lua_State *L = ms->L;
    const char *news = lua_tolstring(L, 3, &l);
    const char *p;
    while ((p = memchr(news, ESC, l)) != NULL) {
        luaL_addlstring(b, news, (size_t)(p - news));
        p++;
        if (*p == ESC) {
            luaL_addchar(b, *p);
        } else if (*p == '0') {
            luaL_addlstring(b, s, (size_t)(e - s));
        } else if (isdigit((unsigned char)*p)) {
            const char *cap;
            ptrdiff_t len = get_capture(ms, *p - '1', s, e, &cap);
            if (len == CAP_POSITION)
                luaL_addvalue(b);
            else
                luaL_addlstring(b, cap, (size_t)len);
        } else {
            luaL_error(L, "invalid use of '%c' in replacement string", ESC);
        }
        l -= (size_t)(p + 1 - news);
        news = p + 1;
    }
    luaL_addlstring(b, news, l);
}

/* The replacement for the match s..e; whether it changed anything. */
static int add_value(mstate *ms, luaL_Buffer *b, const char *s, const char *e, int tr)
{
    lua_State *L = ms->L;
    switch (tr) {
    case LUA_TFUNCTION: {
        lua_pushvalue(L, 3);
        int n = push_captures(ms, s, e);
        lua_call(L, n, 1);
        break;
    }
    case LUA_TTABLE:
        push_capture(ms, 0, s, e);
        lua_gettable(L, 3);
        break;
    default:
        add_s(ms, b, s, e);
        return 1;
    }
    if (!lua_toboolean(L, -1)) { /* nil or false: keep the original text */
        lua_pop(L, 1);
        luaL_addlstring(b, s, (size_t)(e - s));
        return 0;
    }
    if (!lua_isstring(L, -1))
        return luaL_error(L, "invalid replacement value (a %s)", luaL_typename(L, -1));
    luaL_addvalue(b);
    return 1;
}

static int sb_gsub(lua_State *L)
{
    size_t srcl, lp;
    const char *src = luaL_checklstring(L, 1, &srcl);
    const char *p = luaL_checklstring(L, 2, &lp);
    const char *lastmatch = NULL;
    int tr = lua_type(L, 3);
    lua_Integer max_s = luaL_optinteger(L, 4, (lua_Integer)srcl + 1);
    int anchor = *p == '^';
    lua_Integer n = 0;
    int changed = 0;
    mstate ms;
    luaL_Buffer b;
    luaL_argexpected(L, tr == LUA_TNUMBER || tr == LUA_TSTRING || tr == LUA_TFUNCTION || tr == LUA_TTABLE, 3,
                     "string/function/table");
    luaL_buffinit(L, &b);
    if (anchor) {
        p++;
        lp--;
    }
    pm_prepare(&ms, L, "string.gsub", src, srcl, p, lp);
    first_item fi;
    fi.p = NULL; /* (not the whole struct: its 256-byte own table is set only when used) */
    if (n < max_s) /* no attempt, no error for a malformed pattern */
        pm_first_init(&ms, &fi, p);
    while (n < max_s) {
        pm_restart(&ms);
        const char *e = pm_attempt(&ms, &fi, src, p);
        if (e && e != lastmatch) {
            n++;
            changed = add_value(&ms, &b, src, e, tr) | changed;
            src = lastmatch = e;
        } else if (src < ms.src_end) {
            luaL_addchar(&b, *src++);
        } else {
            break;
        }
        if (anchor)
            break;
    }
    if (!changed) {
        lua_pushvalue(L, 1);
    } else {
        luaL_addlstring(&b, src, (size_t)(ms.src_end - src));
        luaL_pushresult(&b);
    }
    lua_pushinteger(L, n);
    return 2;
}

void sb_open_patterns(lua_State *L)
{
    static const luaL_Reg fns[] = {
        {"find", sb_find}, {"match", sb_match}, {"gmatch", sb_gmatch}, {"gsub", sb_gsub}, {NULL, NULL},
    };
    luaL_setfuncs(L, fns, 0);
}
