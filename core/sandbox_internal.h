/* sandbox_internal.h - what the sandbox's files share; not for other modules.
 *
 * The sandbox (sandbox.h) is split by what each part guards:
 *   sandbox.c           the public API: making and freeing a state, loading
 *                       chunks, the protected call and its error fields
 *   sandbox_alloc.c     the memory cap (sandbox_alloc.h)
 *   sandbox_watchdog.c  the instruction budget and the watchdog thread that
 *                       arms it (sandbox_watchdog.h)
 *   sandbox_libs.c      the library policy: which libraries and functions a
 *                       rule gets, and how the replaced ones behave
 *                       (sandbox_libs.h)
 */
#ifndef RHV_SANDBOX_INTERNAL_H
#define RHV_SANDBOX_INTERNAL_H

#include <lua.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

#include "sandbox.h"
#include "sandbox_alloc.h"

/* What a pattern's first single-character item (sandbox_match.c,
 * first_item) says about each byte value, kept across calls: a rule scans
 * with the same few patterns. The first SB_ITEMS items of a state are kept
 * for its life, never replaced (a nested call in gsub's replacement cannot
 * change the entry a running call reads); only a speed-up, never a result. */
#define SB_ITEMS 16
#define SB_ITEM_TEXT 24
typedef struct {
    unsigned char len;          /* of the item's text; 0: free */
    char text[SB_ITEM_TEXT];
    signed char has[256];       /* -1 not asked yet, else whether the item holds the byte */
} sb_item_memo;

struct sandbox {
    lua_State *L;
    sb_item_memo items[SB_ITEMS]; /* sandbox_match.c */
    sb_heap heap;
    uint64_t budget;  /* instructions per sandbox_pcall, counted once armed */
    uint64_t spent;   /* instructions counted in the current call */
    volatile sig_atomic_t stop; /* SB_STOP_*: the call is stopped, no rule code runs */
    _Atomic uint64_t time_limit_ns; /* wall-clock time per call */
    size_t out_used;  /* bytes the rule wrote to the host log */
    int in_call;      /* sandbox_pcall is active (the hook counts only then) */
    char *name;
    sandbox_error pending;      /* fields kept by the message handler */
    /* Watchdog protocol (sandbox_watchdog.c). */
    _Atomic uint64_t call;      /* 0, or (seq << 2) | 1 [| 2 while signalled] */
    _Atomic uint64_t arm_seq;   /* the call the watchdog wants armed */
    _Atomic int arm_time;       /* ... for its time limit (else the budget) */
    uint64_t seq;               /* calls started; owner thread only */
    uint64_t tag;               /* sb->call of the current call */
    pthread_t thread;           /* owner of the current call */
    volatile sig_atomic_t hooked; /* the count hook is set in this call */
    sandbox *wd_next, *wd_prev; /* registry, under the watchdog's lock */
    uint64_t wd_seen;           /* watchdog only: sb->call at the last look */
    struct timespec wd_since;   /* ... first seen then */
    uint64_t wd_signalled;      /* ... the call it already signalled */
    uint64_t wd_timed;          /* ... the call it stopped for time */
};

/* Why a call is stopped (sb->stop). */
enum { SB_STOP_BUDGET = 1, SB_STOP_TIME, SB_STOP_OUTPUT };

static inline sandbox *sb_of(lua_State *L)
{
    return *(sandbox **)lua_getextraspace(L);
}

#endif
