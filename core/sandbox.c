/* sandbox.c - see sandbox.h
 *
 * Why each piece exists (shared/design/anchors.md section 7 has the measured
 * pitfalls):
 * - The allocator is the only hard memory bound Lua offers: a NULL return
 *   becomes LUA_ERRMEM and the state stays usable.
 * - The instruction budget is a count hook, but not one that is always set:
 *   in Lua 5.4 any count hook makes every VM instruction of the state go
 *   through luaG_traceexec, which cost about 45 % of the time of a typical
 *   rule (bench/README.md). Almost every call into a rule takes micro-
 *   seconds, so calls run without a hook, and a watchdog thread arms the hook
 *   only on a call that is still running after SLICE_NS: it sends a dedicated
 *   signal to the thread running that call, whose handler calls lua_sethook
 *   (the one Lua API function documented as safe in a signal handler; lua.c
 *   stops a script on Ctrl-C the same way). From then on the budget is
 *   counted as before. The hook counts VM instructions, not time spent inside
 *   C functions (string.find with a bad pattern); docs/sandbox.md says so.
 * - Once the budget is spent the hook is re-armed to fire on every line and
 *   every instruction, so a rule that catches the error with its own pcall is
 *   interrupted again at once and the error reaches the host.
 * - Setup runs inside a protected call: an allocation failure while opening the
 *   libraries must not reach the panic function.
 *
 * The watchdog protocol (nothing may arm the wrong call, or a call that has
 * ended):
 * - sb->call is 0 between calls and (seq << 2) | 1 during one, seq counting
 *   the state's calls. The owner thread writes it at the start and clears it
 *   at the end of sandbox_pcall; the running thread needs no clock and no lock.
 * - The watchdog (one thread per process, ticking every TICK_NS while
 *   sandboxes exist) remembers the value it saw and since when; once the same
 *   call has run SLICE_NS it claims it by a compare-and-swap that sets bit 1,
 *   stores the call's seq in sb->arm_seq, sends the signal and clears bit 1.
 *   The owner clears sb->call with a compare-and-swap from the exact value
 *   it set, so it cannot leave sandbox_pcall (and its thread cannot end)
 *   while the watchdog is sending: pthread_kill never targets a dead thread.
 * - The handler runs in the owner thread and arms a state only when that
 *   state's current call is the one the watchdog asked for (seq == arm_seq).
 *   A signal that arrives late finds sb->call at 0 or at a later seq and does
 *   nothing. The hook is removed after sb->call is cleared, so a hook armed
 *   just before the end cannot survive into the next call.
 * - Calls may nest on one thread (a rule's state loading a params file in a
 *   state of its own): the thread keeps a list of its active states and the
 *   handler checks each.
 */
#include "sandbox.h"

#include <errno.h>
#include <inttypes.h>
#include <lauxlib.h>
#include <lualib.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HOOK_EVERY 1000
/* A call that runs this long gets the counting hook. */
#define SLICE_NS (50 * 1000000L)
/* How often the watchdog looks: a call is armed after SLICE_NS to
 * SLICE_NS + TICK_NS (plus scheduling delay). */
#define TICK_NS (10 * 1000000L)
/* Blocks up to SMALL_MAX bytes come from per-state slabs in SMALL_STEP
 * classes (allocator below). */
#define SMALL_MAX 256
#define SMALL_STEP 8
#define SLAB_BYTES (64 * 1024)

struct sandbox {
    lua_State *L;
    size_t limit, used, peak;
    uint64_t budget;  /* instructions per sandbox_pcall, counted once armed */
    uint64_t spent;   /* instructions counted in the current call */
    int exceeded;     /* budget ran out in the current call */
    int in_call;      /* sandbox_pcall is active (the hook counts only then) */
    char *name;
    /* Watchdog protocol (top of file). */
    _Atomic uint64_t call;      /* 0, or (seq << 2) | 1 [| 2 while signalled] */
    _Atomic uint64_t arm_seq;   /* the call the watchdog wants armed */
    uint64_t seq;               /* calls started; owner thread only */
    uint64_t tag;               /* sb->call of the current call */
    pthread_t thread;           /* owner of the current call */
    volatile sig_atomic_t hooked; /* the count hook is set in this call */
    sandbox *outer;             /* enclosing active call on the same thread */
    sandbox *wd_next, *wd_prev; /* registry, under wd_mu */
    uint64_t wd_seen;           /* watchdog only: sb->call at the last look */
    struct timespec wd_since;   /* ... first seen then */
    uint64_t wd_signalled;      /* ... the call it already signalled */
    /* Small blocks (allocator below). */
    void *free_small[SMALL_MAX / SMALL_STEP + 1]; /* free lists per size class */
    char *bump, *bump_end;      /* unused rest of the newest slab */
    void *slabs;                /* every slab, linked through its first word */
};

static sandbox *from_state(lua_State *L)
{
    return *(sandbox **)lua_getextraspace(L);
}

/* The allocator. Lua states are mostly small blocks (strings, table headers,
 * closures): a rule that remembers 333,333 invoice keys holds that many
 * 56-byte strings. Lua tells the allocator each block's size when it frees or
 * resizes it, so small blocks need no header: they are carved from 64 KiB
 * slabs per state and recycled through a free list per 8-byte size class.
 * Against malloc that saves the 8-16 bytes of header and rounding per block
 * (several MiB for such a rule) and the time of malloc's bookkeeping; the
 * state is only ever used by one thread at a time, so no lock. A block's
 * current size alone says where it lives (<= SMALL_MAX: a slab). Freed small
 * blocks stay with the state until sandbox_free. The cap counts the sizes Lua
 * asks for, as before. */
static size_t small_size(size_t n)
{
    return (n + SMALL_STEP - 1) & ~(size_t)(SMALL_STEP - 1);
}

static void *small_alloc(sandbox *sb, size_t n)
{
    size_t c = small_size(n) / SMALL_STEP;
    void *p = sb->free_small[c];
    if (p) {
        sb->free_small[c] = *(void **)p;
        return p;
    }
    size_t sz = c * SMALL_STEP;
    if ((size_t)(sb->bump_end - sb->bump) < sz) {
        char *slab = malloc(SLAB_BYTES);
        if (!slab)
            return NULL;
        *(void **)slab = sb->slabs;
        sb->slabs = slab;
        sb->bump = slab + SMALL_STEP; /* keeps 8-byte alignment, as Lua needs */
        sb->bump_end = slab + SLAB_BYTES;
    }
    p = sb->bump;
    sb->bump += sz;
    return p;
}

static void small_free(sandbox *sb, void *p, size_t n)
{
    size_t c = small_size(n) / SMALL_STEP;
    *(void **)p = sb->free_small[c];
    sb->free_small[c] = p;
}

static void *capalloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    sandbox *sb = ud;
    /* With ptr == NULL, osize is a type tag, not a size. */
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        if (ptr) {
            if (old <= SMALL_MAX)
                small_free(sb, ptr, old);
            else
                free(ptr);
        }
        sb->used -= old;
        return NULL;
    }
    if (nsize > old && sb->used - old + nsize > sb->limit)
        return NULL;
    void *p;
    if (ptr && old > SMALL_MAX && nsize > SMALL_MAX) {
        p = realloc(ptr, nsize);
        if (!p)
            return NULL;
    } else if (ptr && old <= SMALL_MAX && nsize <= SMALL_MAX && small_size(old) == small_size(nsize)) {
        p = ptr;
    } else {
        p = nsize <= SMALL_MAX ? small_alloc(sb, nsize) : malloc(nsize);
        if (!p)
            return NULL;
        if (ptr) {
            memcpy(p, ptr, old < nsize ? old : nsize);
            if (old <= SMALL_MAX)
                small_free(sb, ptr, old);
            else
                free(ptr);
        }
    }
    sb->used = sb->used - old + nsize;
    if (sb->used > sb->peak)
        sb->peak = sb->used;
    return p;
}

static void free_slabs(sandbox *sb)
{
    while (sb->slabs) {
        void *next = *(void **)sb->slabs;
        free(sb->slabs);
        sb->slabs = next;
    }
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

/* ---- watchdog ------------------------------------------------------------ */

/* Innermost sandbox_pcall on this thread (its state's `outer` links the
 * enclosing ones). Read by the signal handler: initial-exec TLS is a plain
 * load from the thread pointer, safe there (the general model may call
 * __tls_get_addr, which may allocate). rhvcore is linked into executables. */
static _Thread_local sandbox *tl_active __attribute__((tls_model("initial-exec")));

static pthread_mutex_t wd_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wd_cv;
static sandbox *wd_list;     /* registered sandboxes */
static bool wd_tried;        /* start attempted (once per process) */
static bool wd_ok;           /* the watchdog runs: calls start without a hook */
static int wd_signo;

static void arm_signal(int sig)
{
    (void)sig;
    int saved = errno;
    for (sandbox *sb = tl_active; sb; sb = sb->outer) {
        uint64_t c = atomic_load_explicit(&sb->call, memory_order_relaxed);
        if (c != 0 && (c >> 2) == atomic_load_explicit(&sb->arm_seq, memory_order_relaxed) && !sb->hooked) {
            sb->hooked = 1;
            lua_sethook(sb->L, budget_hook, LUA_MASKCOUNT, HOOK_EVERY);
        }
    }
    errno = saved;
}

static int64_t ns_between(const struct timespec *a, const struct timespec *b)
{
    return (int64_t)(b->tv_sec - a->tv_sec) * 1000000000 + (b->tv_nsec - a->tv_nsec);
}

/* One look at every registered state; wd_mu held (sandbox_free waits for it,
 * so no state goes away during the look). */
static void wd_scan(const struct timespec *now)
{
    for (sandbox *sb = wd_list; sb; sb = sb->wd_next) {
        uint64_t c = atomic_load_explicit(&sb->call, memory_order_acquire);
        if (c != sb->wd_seen) {
            sb->wd_seen = c;
            sb->wd_since = *now;
            continue;
        }
        if (c == 0 || c == sb->wd_signalled || ns_between(&sb->wd_since, now) < SLICE_NS)
            continue;
        uint64_t expected = c;
        if (!atomic_compare_exchange_strong_explicit(&sb->call, &expected, c | 2, memory_order_acq_rel,
                                                     memory_order_relaxed))
            continue; /* the call just ended */
        /* Claimed: the owner cannot leave the call until bit 1 is cleared,
         * so sb->thread is the live thread running call c. */
        atomic_store_explicit(&sb->arm_seq, c >> 2, memory_order_seq_cst);
        pthread_kill(sb->thread, wd_signo);
        atomic_store_explicit(&sb->call, c, memory_order_release);
        sb->wd_signalled = c;
    }
}

static void *wd_main(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&wd_mu);
    for (;;) {
        if (!wd_list) {
            pthread_cond_wait(&wd_cv, &wd_mu);
            continue;
        }
        struct timespec t;
        clock_gettime(CLOCK_MONOTONIC, &t);
        t.tv_nsec += TICK_NS;
        if (t.tv_nsec >= 1000000000) {
            t.tv_nsec -= 1000000000;
            t.tv_sec++;
        }
        int rc;
        do
            rc = pthread_cond_timedwait(&wd_cv, &wd_mu, &t);
        while (rc == 0 && wd_list); /* woken by a registration: keep the tick */
        clock_gettime(CLOCK_MONOTONIC, &t);
        wd_scan(&t);
    }
    return NULL;
}

/* A forked child has no watchdog thread: its calls count from their start
 * until a sandbox_new there starts a watchdog of its own. */
static void wd_after_fork(void)
{
    pthread_mutex_init(&wd_mu, NULL);
    wd_tried = false;
    wd_ok = false;
}

/* Start the watchdog once per process; wd_mu held. On failure calls count
 * from their start, as if the watchdog armed them at once. */
static void wd_start(void)
{
    static bool atfork_set;
    if (wd_tried)
        return;
    wd_tried = true;
    if (!atfork_set) {
        if (pthread_atfork(NULL, NULL, wd_after_fork) != 0)
            return;
        atfork_set = true;
    }
    pthread_condattr_t ca;
    if (pthread_condattr_init(&ca) != 0)
        return;
    int ok = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) == 0 && pthread_cond_init(&wd_cv, &ca) == 0;
    pthread_condattr_destroy(&ca);
    if (!ok)
        return;
    /* A real-time signal nobody else in rhv uses; SA_RESTART so that a rule
     * in the middle of print() (a write) is not disturbed. */
    wd_signo = SIGRTMIN + 5;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = arm_signal;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    if (sigaction(wd_signo, &sa, NULL) != 0)
        return;
    /* The watchdog itself takes no signals: process-directed ones go to the
     * threads that expect them. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pthread_attr_t at;
    pthread_t th;
    if (pthread_attr_init(&at) == 0) {
        pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
        pthread_attr_setstacksize(&at, 64 * 1024);
        wd_ok = pthread_create(&th, &at, wd_main, NULL) == 0;
        pthread_attr_destroy(&at);
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

int sandbox_watchdog_signal(void)
{
    pthread_mutex_lock(&wd_mu);
    int sig = wd_ok ? wd_signo : 0;
    pthread_mutex_unlock(&wd_mu);
    return sig;
}

static void wd_register(sandbox *sb)
{
    pthread_mutex_lock(&wd_mu);
    wd_start();
    sb->wd_next = wd_list;
    if (wd_list)
        wd_list->wd_prev = sb;
    wd_list = sb;
    if (wd_ok)
        pthread_cond_signal(&wd_cv);
    pthread_mutex_unlock(&wd_mu);
}

static void wd_unregister(sandbox *sb)
{
    pthread_mutex_lock(&wd_mu);
    if (sb->wd_prev)
        sb->wd_prev->wd_next = sb->wd_next;
    else
        wd_list = sb->wd_next;
    if (sb->wd_next)
        sb->wd_next->wd_prev = sb->wd_prev;
    pthread_mutex_unlock(&wd_mu);
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
        free_slabs(sb);
        free(sb);
        return NULL;
    }
    *(sandbox **)lua_getextraspace(sb->L) = sb;
    /* Rules keep tables that grow with the ledger (invoices, suppliers) while
     * every record makes short-lived strings. The default pause (200: collect
     * when memory doubles) lets garbage take as much room as the live data;
     * 120 keeps the peak near the live size, which is what the memory cap is
     * meant to bound (bench/README.md). */
    lua_gc(sb->L, LUA_GCINC, 120, 300, 0);
    lua_atpanic(sb->L, on_panic);
    lua_pushcfunction(sb->L, setup);
    if (lua_pcall(sb->L, 0, 0, 0) != LUA_OK) {
        lua_close(sb->L);
        free_slabs(sb);
        free(sb);
        return NULL;
    }
    atomic_init(&sb->call, 0);
    atomic_init(&sb->arm_seq, 0);
    wd_register(sb);
    return sb;
}

void sandbox_free(sandbox *sb)
{
    if (!sb)
        return;
    wd_unregister(sb);
    lua_close(sb->L);
    free_slabs(sb);
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

/* End the call for the watchdog: clear sb->call from exactly the value this
 * call set. It fails only while the watchdog is signalling this thread (bit
 * 1), a matter of microseconds: wait for it to finish. */
static void call_end(sandbox *sb, uint64_t tag)
{
    for (;;) {
        uint64_t expected = tag;
        if (atomic_compare_exchange_strong_explicit(&sb->call, &expected, 0, memory_order_acq_rel,
                                                    memory_order_relaxed))
            return;
        sched_yield();
    }
}

int sandbox_pcall(sandbox *sb, int nargs, int nresults, char **err)
{
    lua_State *L = sb->L;
    if (err)
        *err = NULL;
    int base = lua_gettop(L) - nargs;
    lua_pushcfunction(L, msgh);
    lua_insert(L, base);
    if (sb->in_call) {
        /* Re-entered from a C function of the same state: the enclosing call
         * keeps its budget, watchdog entry and hook. */
        int st = lua_pcall(L, nargs, nresults, base);
        if (st != LUA_OK)
            report(sb, st, err);
        lua_remove(L, base);
        return st;
    }
    sb->spent = 0;
    sb->exceeded = 0;
    sb->in_call = 1;
    sb->hooked = 0;
    sb->thread = pthread_self();
    sb->outer = tl_active;
    tl_active = sb;
    sb->tag = (++sb->seq << 2) | 1;
    atomic_store_explicit(&sb->call, sb->tag, memory_order_release);
    if (!wd_ok) {
        sb->hooked = 1;
        lua_sethook(L, budget_hook, LUA_MASKCOUNT, HOOK_EVERY);
    }
    int st = lua_pcall(L, nargs, nresults, base);
    call_end(sb, sb->tag); /* sandbox_next_call may have moved it on */
    /* After call_end no signal arms this state any more; remove what one
     * armed before. */
    if (sb->hooked)
        lua_sethook(L, NULL, 0, 0);
    tl_active = sb->outer;
    sb->outer = NULL;
    sb->in_call = 0;
    if (st != LUA_OK) {
        report(sb, st, err);
        lua_remove(L, base);
        return st;
    }
    lua_remove(L, base);
    return LUA_OK;
}

void sandbox_next_call(sandbox *sb)
{
    if (!sb->in_call || sb->exceeded) /* a spent budget keeps raising */
        return;
    call_end(sb, sb->tag);
    if (sb->hooked) {
        lua_sethook(sb->L, NULL, 0, 0);
        sb->hooked = 0;
    }
    sb->spent = 0;
    sb->tag = (++sb->seq << 2) | 1;
    atomic_store_explicit(&sb->call, sb->tag, memory_order_release);
    if (!wd_ok) {
        sb->hooked = 1;
        lua_sethook(sb->L, budget_hook, LUA_MASKCOUNT, HOOK_EVERY);
    }
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
