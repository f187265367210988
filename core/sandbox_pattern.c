/* sandbox_pattern.c - the guarded pattern functions (sandbox_guards.h)
 *
 * Lua's own matcher backtracks without bound and runs no VM instruction
 * while it does: ("a"):rep(5000):find(".-.-.-.-b") takes hours inside one C
 * call, out of reach of the instruction budget. This is a matcher for the
 * same patterns (Lua 5.4 manual, section 6.4.1), with the same results and
 * error messages, that counts its steps: every attempt to match at a
 * position, every subject character a repetition or %b scans, every
 * character compared with a back-reference. One library call may take as many
 * steps as the state's instruction budget; past that it raises, naming the
 * function. It also gives up at once when the call has been stopped (the
 * wall-clock limit). Plain searches use memmem, which is linear, where Lua's
 * is quadratic in the worst case (a short needle in a short subject excepted:
 * find_plain). A pattern's first single-character item is asked once per
 * byte value (first_item), so most positions cost no attempt through
 * match(); they count as the attempt would.
 *
 * Kept as one file above the 600 lines the other modules keep to: it is a
 * port of Lua's lstrlib matcher (match, the captures, the four library
 * functions on top), and it is read and checked side by side with lstrlib.c,
 * whose order it follows. Split, the matcher's state (match_state), its step
 * counting and the library functions that drive it would need a header of
 * their own for what is one algorithm, and the comparison with lstrlib.c
 * would no longer be one file against one file.
 */
#define _GNU_SOURCE /* memmem */
#include "sandbox_guards.h"

#include <ctype.h>
#include <inttypes.h>
#include <lauxlib.h>
#include <string.h>

#include "sandbox_internal.h"
#include "sandbox_watchdog.h"

#define ESC '%'
#define SPECIALS "^$*+?.([%-"
#define MAX_CAPTURES 32
#define MAX_DEPTH 200 /* recursion, as Lua's MAXCCALLS */
#define CAP_UNFINISHED (-1)
#define CAP_POSITION (-2)
/* Steps between two looks at the limits. */
#define CHECK_EVERY 4096

typedef struct {
    const char *src_init, *src_end, *p_end;
    lua_State *L;
    sandbox *sb;
    const char *fname; /* "string.find", for messages */
    int depth;         /* recursion left */
    int level;         /* captures, finished or not */
    struct {
        const char *init;
        ptrdiff_t len;
    } capture[MAX_CAPTURES];
    int tick;          /* steps until the next look */
    uint64_t steps;    /* steps counted at the looks */
} mstate;

/* ---- the step count -------------------------------------------------- */

static void over(mstate *ms)
{
    ms->steps += (uint64_t)(CHECK_EVERY - ms->tick);
    ms->tick = CHECK_EVERY;
    if (ms->sb->stop) {
        char text[128];
        sb_stop_text(ms->sb, text, sizeof text);
        luaL_error(ms->L, "%s (in '%s')", text, ms->fname);
    }
    if (ms->steps > ms->sb->budget)
        luaL_error(ms->L, "%s: the pattern takes more than %I steps on this subject (docs/sandbox.md)",
                   ms->fname, (lua_Integer)(ms->sb->budget > LUA_MAXINTEGER ? LUA_MAXINTEGER : ms->sb->budget));
}

static inline void step(mstate *ms, int n)
{
    ms->tick -= n;
    if (ms->tick <= 0)
        over(ms);
}

/* ---- pieces of a pattern ---------------------------------------------- */

static int check_capture(mstate *ms, int l)
{
    l -= '1';
    if (l < 0 || l >= ms->level || ms->capture[l].len == CAP_UNFINISHED)
        return luaL_error(ms->L, "invalid capture index %%%d", l + 1);
    return l;
}

static int capture_to_close(mstate *ms)
{
    for (int level = ms->level - 1; level >= 0; level--)
        if (ms->capture[level].len == CAP_UNFINISHED)
            return level;
    return luaL_error(ms->L, "invalid pattern capture");
}

/* The end of the single-character class at p. */
static const char *class_end(mstate *ms, const char *p)
{
    switch (*p++) {
    case ESC:
        if (p == ms->p_end)
            luaL_error(ms->L, "malformed pattern (ends with '%%')");
        return p + 1;
    case '[':
        if (*p == '^')
            p++;
        do { /* the first ']' after '[' or '[^' is a member */
            if (p == ms->p_end)
                luaL_error(ms->L, "malformed pattern (missing ']')");
            if (*(p++) == ESC && p < ms->p_end)
                p++;
        } while (*p != ']');
        return p + 1;
    default:
        return p;
    }
}

static int class_has(int c, int cl)
{
    int res;
    switch (tolower(cl)) {
    case 'a': res = isalpha(c); break;
    case 'c': res = iscntrl(c); break;
    case 'd': res = isdigit(c); break;
    case 'g': res = isgraph(c); break;
    case 'l': res = islower(c); break;
    case 'p': res = ispunct(c); break;
    case 's': res = isspace(c); break;
    case 'u': res = isupper(c); break;
    case 'w': res = isalnum(c); break;
    case 'x': res = isxdigit(c); break;
    default: return cl == c;
    }
    if (isupper(cl))
        res = !res;
    return res;
}

/* c in the set [p .. ec] (p at '[', ec at its ']'). */
static int set_has(int c, const char *p, const char *ec)
{
    int sig = 1;
    if (*(p + 1) == '^') {
        sig = 0;
        p++;
    }
    while (++p < ec) {
        if (*p == ESC) {
            p++;
            if (class_has(c, (unsigned char)*p))
                return sig;
        } else if (*(p + 1) == '-' && p + 2 < ec) {
            p += 2;
            if ((unsigned char)*(p - 2) <= c && c <= (unsigned char)*p)
                return sig;
        } else if ((unsigned char)*p == c) {
            return sig;
        }
    }
    return !sig;
}

/* Whether the single-character class p .. ep holds c. */
static int item_has(int c, const char *p, const char *ep)
{
    switch (*p) {
    case '.':
        return 1;
    case ESC:
        return class_has(c, (unsigned char)*(p + 1));
    case '[':
        return set_has(c, p, ep - 1);
    default:
        return (unsigned char)*p == c;
    }
}

static int single(mstate *ms, const char *s, const char *p, const char *ep)
{
    if (s >= ms->src_end)
        return 0;
    if (*p == '[')
        step(ms, (int)((ep - p) >> 4)); /* a long set costs its length */
    return item_has((unsigned char)*s, p, ep);
}

/* ---- matching ---------------------------------------------------------- */

static const char *match(mstate *ms, const char *s, const char *p);

static const char *balance(mstate *ms, const char *s, const char *p)
{
    if (p >= ms->p_end - 1)
        luaL_error(ms->L, "malformed pattern (missing arguments to '%%b')");
    if (*s != *p)
        return NULL;
    int b = *p, e = *(p + 1), open = 1;
    while (++s < ms->src_end) {
        step(ms, 1);
        if (*s == e) {
            if (--open == 0)
                return s + 1;
        } else if (*s == b) {
            open++;
        }
    }
    return NULL;
}

static const char *max_expand(mstate *ms, const char *s, const char *p, const char *ep)
{
    ptrdiff_t i = 0;
    while (single(ms, s + i, p, ep)) {
        step(ms, 1);
        i++;
    }
    for (; i >= 0; i--) { /* the longest repetition that lets the rest match */
        const char *res = match(ms, s + i, ep + 1);
        if (res)
            return res;
    }
    return NULL;
}

static const char *min_expand(mstate *ms, const char *s, const char *p, const char *ep)
{
    for (;;) {
        const char *res = match(ms, s, ep + 1);
        if (res)
            return res;
        if (!single(ms, s, p, ep))
            return NULL;
        s++;
    }
}

static const char *start_capture(mstate *ms, const char *s, const char *p, ptrdiff_t what)
{
    int level = ms->level;
    if (level >= MAX_CAPTURES)
        luaL_error(ms->L, "too many captures");
    ms->capture[level].init = s;
    ms->capture[level].len = what;
    ms->level = level + 1;
    const char *res = match(ms, s, p);
    if (!res)
        ms->level--;
    return res;
}

static const char *end_capture(mstate *ms, const char *s, const char *p)
{
    int l = capture_to_close(ms);
    ms->capture[l].len = s - ms->capture[l].init;
    const char *res = match(ms, s, p);
    if (!res)
        ms->capture[l].len = CAP_UNFINISHED;
    return res;
}

static const char *match_capture(mstate *ms, const char *s, int l)
{
    l = check_capture(ms, l);
    size_t len = (size_t)ms->capture[l].len;
    step(ms, (int)(len >> 4));
    if ((size_t)(ms->src_end - s) >= len && memcmp(ms->capture[l].init, s, len) == 0)
        return s + len;
    return NULL;
}

static const char *match(mstate *ms, const char *s, const char *p)
{
    if (ms->depth-- == 0)
        luaL_error(ms->L, "pattern too complex");
    step(ms, 1);
again:
    if (p != ms->p_end) {
        switch (*p) {
        case '(':
            if (*(p + 1) == ')')
                s = start_capture(ms, s, p + 2, CAP_POSITION);
            else
                s = start_capture(ms, s, p + 1, CAP_UNFINISHED);
            break;
        case ')':
            s = end_capture(ms, s, p + 1);
            break;
        case '$':
            if (p + 1 != ms->p_end)
                goto item;
            s = s == ms->src_end ? s : NULL;
            break;
        case ESC:
            switch (*(p + 1)) {
            case 'b':
                s = balance(ms, s, p + 2);
                if (s) {
                    p += 4;
                    goto again;
                }
                break;
            case 'f': {
                p += 2;
                if (*p != '[')
                    luaL_error(ms->L, "missing '[' after '%%f' in pattern");
                const char *ep = class_end(ms, p);
                int prev = s == ms->src_init ? '\0' : (unsigned char)*(s - 1);
                if (!set_has(prev, p, ep - 1) && set_has((unsigned char)*s, p, ep - 1)) {
                    p = ep;
                    goto again;
                }
                s = NULL;
                break;
            }
            case '0': case '1': case '2': case '3': case '4':
            case '5': case '6': case '7': case '8': case '9':
                s = match_capture(ms, s, (unsigned char)*(p + 1));
                if (s) {
                    p += 2;
                    goto again;
                }
                break;
            default:
                goto item;
            }
            break;
        default:
        item: {
            const char *ep = class_end(ms, p);
            if (!single(ms, s, p, ep)) {
                if (*ep == '*' || *ep == '?' || *ep == '-') { /* zero repetitions are fine */
                    p = ep + 1;
                    goto again;
                }
                s = NULL;
            } else {
                switch (*ep) {
                case '?': {
                    const char *res = match(ms, s + 1, ep + 1);
                    if (res) {
                        s = res;
                    } else {
                        p = ep + 1;
                        goto again;
                    }
                    break;
                }
                case '+':
                    s = max_expand(ms, s + 1, p, ep);
                    break;
                case '*':
                    s = max_expand(ms, s, p, ep);
                    break;
                case '-':
                    s = min_expand(ms, s, p, ep);
                    break;
                default:
                    s++;
                    p = ep;
                    goto again;
                }
            }
            break;
        }
        }
    }
    ms->depth++;
    return s;
}

/* ---- the first item ------------------------------------------------------ */

/* Most patterns a rule scans a subject with begin with one single-character
 * class that must match once or more ("%s", "[%c%p]", "x+"): at most
 * positions of the subject that class already fails, and asking it through
 * match() costs a few hundred instructions a position. first_item keeps
 * what the class says about each byte value (asked once a call), so a
 * position where it fails is passed over in a few instructions (and the
 * state keeps what it learnt for the next call: sb_item_memo). The steps
 * stay those match() would have counted: a failed attempt is one step, and
 * a set's length as single() counts it; where the class holds, match() runs
 * as before, or, when the class is the whole pattern, the match is that one
 * character (the same steps again). */
typedef struct {
    const char *p, *ep; /* the item; p NULL: no filter (captures, %b, %f, a back-reference, '*', '?', '-') */
    int cost;           /* the steps of one attempt at a position */
    int whole;          /* the item is the whole pattern */
    signed char *has;   /* per byte value: -1 not asked yet, else item_has(); the state's memo or own */
    signed char own[256];
} first_item;

/* The state's memo of the item p .. ep (sb_item_memo), made if there is
 * room; NULL: the item is too long or the memo full. */
static signed char *item_memo(sandbox *sb, const char *p, const char *ep)
{
    size_t len = (size_t)(ep - p);
    if (len > SB_ITEM_TEXT)
        return NULL;
    for (int i = 0; i < SB_ITEMS; i++) {
        sb_item_memo *m = &sb->items[i];
        if (m->len == 0) {
            m->len = (unsigned char)len;
            memcpy(m->text, p, len);
            memset(m->has, -1, sizeof m->has);
            return m->has;
        }
        if (m->len == len && memcmp(m->text, p, len) == 0)
            return m->has;
    }
    return NULL;
}

/* Set fi up for the pattern p (after its anchor). Raises what the first
 * attempt to match would raise for a malformed first item, so call it where
 * that attempt would be made. */
static void first_item_init(mstate *ms, first_item *fi, const char *p)
{
    fi->p = NULL;
    if (p == ms->p_end || *p == '(' || *p == ')' || (*p == '$' && p + 1 == ms->p_end))
        return;
    if (*p == ESC && (p[1] == 'b' || p[1] == 'f' || isdigit((unsigned char)p[1])))
        return;
    const char *ep = class_end(ms, p);
    if (*ep == '*' || *ep == '?' || *ep == '-')
        return; /* zero repetitions match anywhere */
    fi->p = p;
    fi->ep = ep;
    fi->cost = 1 + (*p == '[' ? (int)((ep - p) >> 4) : 0);
    fi->whole = ep == ms->p_end;
    fi->has = item_memo(ms->sb, p, ep);
    if (!fi->has) {
        fi->has = fi->own;
        memset(fi->own, -1, sizeof fi->own);
    }
}

/* One attempt to match p at s (after restart()), as match(ms, s, p). */
static const char *attempt(mstate *ms, first_item *fi, const char *s, const char *p)
{
    if (!fi->p || s >= ms->src_end)
        return match(ms, s, p);
    unsigned char c = (unsigned char)*s;
    if (fi->has[c] < 0)
        fi->has[c] = (signed char)(item_has(c, fi->p, fi->ep) != 0);
    if (!fi->has[c]) {
        step(ms, fi->cost);
        return NULL;
    }
    if (fi->whole) {
        step(ms, fi->cost);
        return s + 1;
    }
    return match(ms, s, p);
}

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

static void prepare(mstate *ms, lua_State *L, const char *fname, const char *s, size_t ls, const char *p, size_t lp)
{
    ms->L = L;
    ms->sb = sb_of(L);
    ms->fname = fname;
    ms->src_init = s;
    ms->src_end = s + ls;
    ms->p_end = p + lp;
    ms->tick = CHECK_EVERY;
    ms->steps = 0;
}

static void restart(mstate *ms)
{
    ms->level = 0;
    ms->depth = MAX_DEPTH;
}

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
        prepare(&ms, L, find ? "string.find" : "string.match", s, ls, p, lp);
        first_item fi;
        first_item_init(&ms, &fi, p);
        do {
            restart(&ms);
            const char *e = attempt(&ms, &fi, s1, p);
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
    gm->ms.L = L;
    gm->ms.tick = CHECK_EVERY; /* each call of the iterator is a call of its own */
    gm->ms.steps = 0;
    for (const char *src = gm->src; src <= gm->ms.src_end; src++) {
        restart(&gm->ms);
        const char *e = match(&gm->ms, src, gm->p);
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
    prepare(&gm->ms, L, "string.gmatch", s, ls, p, lp);
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
    prepare(&ms, L, "string.gsub", src, srcl, p, lp);
    first_item fi = {.p = NULL};
    if (n < max_s) /* no attempt, no error for a malformed pattern */
        first_item_init(&ms, &fi, p);
    while (n < max_s) {
        restart(&ms);
        const char *e = attempt(&ms, &fi, src, p);
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
