/* sandbox_match.h - the step-counting pattern matcher behind the guarded
 * string functions (sandbox_pattern.c); internal to those two files.
 *
 * Contract:
 * - pm_prepare sets a match state up for one library call on subject s
 *   (ls bytes) and pattern p (lp bytes, after its anchor); the call's steps
 *   are counted from there against the state's instruction budget, and the
 *   matcher raises a Lua error naming fname when they run out or the call
 *   is stopped (docs/sandbox.md).
 * - pm_count_anew starts the count again for a new library call on the same
 *   state (string.gmatch's iterator: each call counts on its own), in L.
 * - pm_restart before each attempt at a new subject position.
 * - pm_match(ms, s, p): the end of a match of p at s, or NULL (lstrlib's
 *   match()); it raises lstrlib's messages for a malformed pattern.
 * - pm_first_init once a call, where the first attempt would be made (it
 *   raises what that attempt would for a malformed first item); then
 *   pm_attempt(ms, fi, s, p) is pm_match(ms, s, p) with the same result and
 *   the same steps, for less work where the first item fails.
 * - After a match, ms->level captures are in ms->capture (init, len;
 *   len CAP_POSITION for a position capture, CAP_UNFINISHED for an open one).
 */
#ifndef RHV_SANDBOX_MATCH_H
#define RHV_SANDBOX_MATCH_H

#include <stddef.h>
#include <stdint.h>

#include <lua.h>

#include "sandbox_internal.h"

#define ESC '%'
#define MAX_CAPTURES 32
#define CAP_UNFINISHED (-1)
#define CAP_POSITION (-2)

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

void pm_prepare(mstate *ms, lua_State *L, const char *fname, const char *s, size_t ls, const char *p, size_t lp);
void pm_count_anew(mstate *ms, lua_State *L);
void pm_restart(mstate *ms);
const char *pm_match(mstate *ms, const char *s, const char *p);
void pm_first_init(mstate *ms, first_item *fi, const char *p);
const char *pm_attempt(mstate *ms, first_item *fi, const char *s, const char *p);

#endif
