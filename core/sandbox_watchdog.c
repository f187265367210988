/* sandbox_watchdog.c - see sandbox_watchdog.h
 *
 * Why the hook is not always set: in Lua 5.4 any count hook makes every VM
 * instruction of the state go through luaG_traceexec, which cost about 45 %
 * of the time of a typical rule (bench/README.md). Almost every call into a
 * rule takes microseconds, so calls run without a hook, and a watchdog thread
 * arms the hook only on a call that is still running after SLICE_NS: it sends
 * a dedicated signal to the thread running that call, whose handler calls
 * lua_sethook (the one Lua API function documented as safe in a signal
 * handler; lua.c stops a script on Ctrl-C the same way). From then on the
 * budget is counted. Once the budget is spent the hook is re-armed to fire on
 * every line and every instruction, so a rule that catches the error with its
 * own pcall is interrupted again at once and the error reaches the host.
 *
 * The watchdog protocol (nothing may arm the wrong call, or a call that has
 * ended):
 * - sb->call is 0 between calls and (seq << 2) | 1 during one, seq counting
 *   the state's calls. The owner thread writes it at the start and clears it
 *   at the end of a call; the running thread needs no clock and no lock.
 * - The watchdog (one thread per process, ticking every TICK_NS while
 *   sandboxes exist) remembers the value it saw and since when; once the same
 *   call has run SLICE_NS it claims it by a compare-and-swap that sets bit 1,
 *   stores the call's seq in sb->arm_seq, sends the signal and clears bit 1.
 *   The owner clears sb->call with a compare-and-swap from the exact value
 *   it set, so it cannot leave the call (and its thread cannot end) while the
 *   watchdog is sending: pthread_kill never targets a dead thread.
 * - The handler runs in the owner thread and arms a state only when that
 *   state's current call is the one the watchdog asked for (seq == arm_seq).
 *   A signal that arrives late finds sb->call at 0 or at a later seq and does
 *   nothing. The hook is removed after sb->call is cleared, so a hook armed
 *   just before the end cannot survive into the next call.
 * - Calls do not nest across states: a thread runs at most one call, so the
 *   handler has one state to look at (a thread-local pointer).
 */
#include "sandbox_watchdog.h"

#include "sandbox_error.h"
#include "sandbox_libs.h"

#include <errno.h>
#include <inttypes.h>
#include <lauxlib.h>
#include <stdio.h>
#include <stdbool.h>
#include <string.h>
#include <sched.h>

#define HOOK_EVERY 1000
/* A call that runs this long gets the counting hook. */
#define SLICE_NS (50 * 1000000L)
/* How often the watchdog looks: a call is armed after SLICE_NS to
 * SLICE_NS + TICK_NS (plus scheduling delay). */
#define TICK_NS (10 * 1000000L)

/* Enter stop mode: from now on the hook fires on every call, line and
 * instruction of this state and raises. Owner thread (or its signal handler). */
static void stop_hook_on(sandbox *sb);

size_t sb_stop_text(const sandbox *sb, char *buf, size_t n)
{
    switch (sb->stop) {
    case SB_STOP_BUDGET:
        return (size_t)snprintf(buf, n, "instruction budget of %" PRIu64 " exceeded", sb->budget);
    case SB_STOP_TIME:
        return (size_t)snprintf(buf, n, "time limit of %" PRIu64 " ms exceeded",
                                atomic_load_explicit(&sb->time_limit_ns, memory_order_relaxed) / 1000000);
    case SB_STOP_OUTPUT:
        return (size_t)snprintf(buf, n, "output limit of %zu bytes exceeded", (size_t)SANDBOX_OUTPUT_LIMIT);
    }
    return (size_t)snprintf(buf, n, "stopped");
}

/* The host's own functions that run while a stopped call unwinds: the
 * message handler, and the gate in front of a rule's xpcall handler (which
 * skips the rule's handler once the call is stopped). */
static bool host_function(lua_State *L, lua_Debug *ar)
{
    if (!lua_getinfo(L, "f", ar))
        return false;
    lua_CFunction f = lua_tocfunction(L, -1);
    lua_pop(L, 1);
    return f && (f == sb_msgh || f == sb_xpcall_gate);
}

static void budget_hook(lua_State *L, lua_Debug *ar)
{
    sandbox *sb = sb_of(L);
    if (!sb->in_call)
        return;
    if (!sb->stop) {
        if (ar->event != LUA_HOOKCOUNT)
            return;
        sb->spent += HOOK_EVERY;
        if (sb->spent <= sb->budget)
            return;
        sb->stop = SB_STOP_BUDGET;
        stop_hook_on(sb);
    }
    if (ar->event == LUA_HOOKCALL && host_function(L, ar))
        return;
    /* The position: the innermost Lua function (at a call event the callee
     * may be a C function; for the time limit the message names the C
     * function the rule called, the one that can spend time without
     * instructions). */
    lua_Debug fr;
    const char *in = NULL;
    bool found = false;
    for (int lv = 0; !found && lua_getstack(L, lv, &fr); lv++) {
        lua_getinfo(L, "Sln", &fr);
        if (fr.currentline > 0)
            found = true;
        else if (fr.what[0] == 'C' && fr.name)
            in = lua_pushstring(L, fr.name);
    }
    char text[128];
    sb_stop_text(sb, text, sizeof text);
    if (found)
        lua_pushfstring(L, "%s:%d: %s", fr.short_src, fr.currentline, text);
    else
        lua_pushstring(L, text);
    if (in && sb->stop == SB_STOP_TIME)
        lua_pushfstring(L, "%s (in '%s')", lua_tostring(L, -1), in);
    lua_error(L);
}

static void stop_hook_on(sandbox *sb)
{
    sb->hooked = 1;
    lua_sethook(sb->L, budget_hook, LUA_MASKCALL | LUA_MASKLINE | LUA_MASKCOUNT, 1);
}

void sb_stop(sandbox *sb, int reason)
{
    if (!sb->stop)
        sb->stop = reason;
    if (sb->in_call)
        stop_hook_on(sb);
}

/* ---- watchdog ------------------------------------------------------------ */

/* The state whose call runs on this thread (calls never nest across
 * states: sb_call_begin refuses). Read by the signal handler: initial-exec TLS is a plain
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
    sandbox *sb = tl_active;
    if (sb) {
        uint64_t c = atomic_load_explicit(&sb->call, memory_order_relaxed);
        if (c != 0 && (c >> 2) == atomic_load_explicit(&sb->arm_seq, memory_order_relaxed)) {
            if (atomic_load_explicit(&sb->arm_time, memory_order_relaxed)) {
                if (!sb->stop)
                    sb->stop = SB_STOP_TIME;
                stop_hook_on(sb);
            } else if (!sb->hooked) {
                sb->hooked = 1;
                lua_sethook(sb->L, budget_hook, LUA_MASKCOUNT, HOOK_EVERY);
            }
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
        if (c == 0)
            continue;
        int64_t ran = ns_between(&sb->wd_since, now);
        bool arm = c != sb->wd_signalled && ran >= SLICE_NS;
        bool timeout = c != sb->wd_timed &&
                       (uint64_t)ran >= atomic_load_explicit(&sb->time_limit_ns, memory_order_relaxed);
        if (!arm && !timeout)
            continue;
        uint64_t expected = c;
        if (!atomic_compare_exchange_strong_explicit(&sb->call, &expected, c | 2, memory_order_acq_rel,
                                                     memory_order_relaxed))
            continue; /* the call just ended */
        /* Claimed: the owner cannot leave the call until bit 1 is cleared,
         * so sb->thread is the live thread running call c. */
        atomic_store_explicit(&sb->arm_time, timeout, memory_order_seq_cst);
        atomic_store_explicit(&sb->arm_seq, c >> 2, memory_order_seq_cst);
        pthread_kill(sb->thread, wd_signo);
        atomic_store_explicit(&sb->call, c, memory_order_release);
        sb->wd_signalled = c;
        if (timeout)
            sb->wd_timed = c;
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

void sb_wd_register(sandbox *sb)
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

void sb_wd_unregister(sandbox *sb)
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

/* End the call for the watchdog: clear sb->call from exactly the value this
 * call set. It fails only while the watchdog is signalling this thread (bit
 * 1), a matter of microseconds: wait for it to finish. */
static void clear_call(sandbox *sb, uint64_t tag)
{
    for (;;) {
        uint64_t expected = tag;
        if (atomic_compare_exchange_strong_explicit(&sb->call, &expected, 0, memory_order_acq_rel,
                                                    memory_order_relaxed))
            return;
        sched_yield();
    }
}

static void start_count(sandbox *sb)
{
    sb->spent = 0;
    sb->tag = (++sb->seq << 2) | 1;
    atomic_store_explicit(&sb->call, sb->tag, memory_order_release);
    if (!wd_ok) {
        sb->hooked = 1;
        lua_sethook(sb->L, budget_hook, LUA_MASKCOUNT, HOOK_EVERY);
    }
}

int sb_call_begin(sandbox *sb)
{
    if (tl_active)
        return -1;
    /* A spent output limit stays spent: it is the state's, not the call's. */
    sb->stop = sb->out_used > SANDBOX_OUTPUT_LIMIT ? SB_STOP_OUTPUT : 0;
    sb->in_call = 1;
    sb->hooked = 0;
    sb->thread = pthread_self();
    tl_active = sb;
    start_count(sb);
    if (sb->stop)
        stop_hook_on(sb);
    return 0;
}

void sb_call_end(sandbox *sb)
{
    clear_call(sb, sb->tag); /* sb_call_restart may have moved it on */
    /* After clear_call no signal arms this state any more; remove what one
     * armed before. */
    if (sb->hooked)
        lua_sethook(sb->L, NULL, 0, 0);
    sb->hooked = 0;
    tl_active = NULL;
    sb->in_call = 0;
}

void sb_call_restart(sandbox *sb)
{
    clear_call(sb, sb->tag);
    if (sb->hooked) {
        lua_sethook(sb->L, NULL, 0, 0);
        sb->hooked = 0;
    }
    start_count(sb);
}
