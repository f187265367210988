/* sandbox_match.c - the step-counting pattern matcher (sandbox_match.h)
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
 * wall-clock limit).
 *
 * It is a port of lstrlib.c's matcher (match_state, match and its pieces)
 * and follows that file's order, to be read side by side with it; the
 * library functions on top, as in lstrlib.c after the matcher, are
 * sandbox_pattern.c's.
 */
#include "sandbox_match.h"

#include <ctype.h>
#include <inttypes.h>
#include <lauxlib.h>
#include <string.h>

#include "sandbox_watchdog.h"

#define MAX_DEPTH 200 /* recursion, as Lua's MAXCCALLS */
/* Steps between two looks at the limits. */
#define CHECK_EVERY 4096

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
void pm_first_init(mstate *ms, first_item *fi, const char *p)
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

/* ---- a call and its attempts ------------------------------------------- */

const char *pm_attempt(mstate *ms, first_item *fi, const char *s, const char *p)
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

void pm_prepare(mstate *ms, lua_State *L, const char *fname, const char *s, size_t ls, const char *p, size_t lp)
{
    ms->sb = sb_of(L);
    ms->fname = fname;
    ms->src_init = s;
    ms->src_end = s + ls;
    ms->p_end = p + lp;
    pm_count_anew(ms, L);
}

void pm_count_anew(mstate *ms, lua_State *L)
{
    ms->L = L;
    ms->tick = CHECK_EVERY;
    ms->steps = 0;
}

void pm_restart(mstate *ms)
{
    ms->level = 0;
    ms->depth = MAX_DEPTH;
}

const char *pm_match(mstate *ms, const char *s, const char *p)
{
    return match(ms, s, p);
}
