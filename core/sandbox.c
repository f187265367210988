/* sandbox.c - see sandbox.h
 *
 * The public face of the sandbox: making and freeing a state, loading chunks,
 * the protected call and how its errors come back. What each guard does lives
 * in its own file (sandbox_internal.h lists them; shared/design/anchors.md
 * section 7 has the measured pitfalls). Setup runs inside a protected call:
 * an allocation failure while opening the libraries must not reach the panic
 * function.
 */
#include "sandbox.h"

#include <inttypes.h>
#include <stdbool.h>
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox_error.h"
#include "sandbox_internal.h"
#include "sandbox_libs.h"
#include "sandbox_watchdog.h"

static int on_panic(lua_State *L)
{
    const char *msg = lua_tostring(L, -1);
    fprintf(stderr, "rhv: unprotected Lua error: %s\n", msg ? msg : "(not a string)");
    abort();
}

/* The default time limit: 100 ns per instruction of the budget (5 s for the
 * default 50 million), at least 1 s. A call that is within its budget runs
 * 10 to 25 million instructions in 50 ms, so this leaves it 20 times the time
 * its budget can take; the limit is for time spent where no instruction is
 * counted (inside C functions). */
static uint64_t default_time_limit(uint64_t budget)
{
    uint64_t ns = budget > UINT64_MAX / 100 ? UINT64_MAX : budget * 100;
    return ns < 1000000000u ? 1000000000u : ns;
}

sandbox *sandbox_new(size_t mem_limit, uint64_t instr_budget)
{
    sandbox *sb = calloc(1, sizeof *sb);
    if (!sb)
        return NULL;
    sb->heap.limit = mem_limit;
    sb->budget = instr_budget;
    sb->L = lua_newstate(sb_heap_alloc, &sb->heap);
    if (!sb->L) {
        sb_heap_release(&sb->heap);
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
    lua_pushcfunction(sb->L, sb_open_libs);
    if (lua_pcall(sb->L, 0, 0, 0) != LUA_OK) {
        lua_close(sb->L);
        sb_heap_release(&sb->heap);
        free(sb);
        return NULL;
    }
    atomic_init(&sb->call, 0);
    atomic_init(&sb->arm_seq, 0);
    atomic_init(&sb->arm_time, 0);
    atomic_init(&sb->time_limit_ns, default_time_limit(instr_budget));
    sb_wd_register(sb);
    return sb;
}

void sandbox_free(sandbox *sb)
{
    if (!sb)
        return;
    sb_wd_unregister(sb);
    lua_close(sb->L);
    sb_heap_release(&sb->heap);
    free(sb->name);
    sandbox_error_free(&sb->pending);
    free(sb);
}

lua_State *sandbox_state(sandbox *sb)
{
    return sb->L;
}

size_t sandbox_mem_used(const sandbox *sb)
{
    return sb->heap.used;
}

size_t sandbox_mem_peak(const sandbox *sb)
{
    return sb->heap.peak;
}

size_t sandbox_mem_limit(const sandbox *sb)
{
    return sb->heap.limit;
}

uint64_t sandbox_instr_budget(const sandbox *sb)
{
    return sb->budget;
}

void sandbox_set_instr_budget(sandbox *sb, uint64_t instr_budget)
{
    sb->budget = instr_budget;
    atomic_store_explicit(&sb->time_limit_ns, default_time_limit(instr_budget), memory_order_relaxed);
}

void sandbox_set_time_limit(sandbox *sb, uint64_t ms)
{
    atomic_store_explicit(&sb->time_limit_ns, ms > UINT64_MAX / 1000000 ? UINT64_MAX : ms * 1000000,
                          memory_order_relaxed);
}

uint64_t sandbox_time_limit(const sandbox *sb)
{
    return atomic_load_explicit(&sb->time_limit_ns, memory_order_relaxed) / 1000000;
}

void sandbox_set_name(sandbox *sb, const char *name)
{
    char *n = name ? strdup(name) : NULL;
    if (name && !n)
        return; /* keep the old name: print only loses its label */
    free(sb->name);
    sb->name = n;
}

/* The error as text for the callers that want one string; frees e. */
static void as_text(sandbox_error *e, char **err)
{
    if (err)
        *err = sandbox_error_text(e);
    sandbox_error_free(e);
}

int sandbox_load_buffer_err(sandbox *sb, const char *buf, size_t len, const char *chunkname, sandbox_error *err)
{
    memset(err, 0, sizeof *err);
    if (luaL_loadbufferx(sb->L, buf, len, chunkname, "t") == LUA_OK)
        return 0;
    sb_load_error(sb, chunkname, err);
    return -1;
}

int sandbox_load_file_err(sandbox *sb, const char *path, sandbox_error *err)
{
    memset(err, 0, sizeof *err);
    if (luaL_loadfilex(sb->L, path, "t") == LUA_OK)
        return 0;
    /* luaL_loadfilex names the chunk "@path". */
    size_t n = strlen(path) + 2;
    char *name = malloc(n);
    if (name)
        snprintf(name, n, "@%s", path);
    sb_load_error(sb, name ? name : "=?", err);
    free(name);
    return -1;
}

int sandbox_load_buffer(sandbox *sb, const char *buf, size_t len, const char *chunkname, char **err)
{
    sandbox_error e;
    int rc = sandbox_load_buffer_err(sb, buf, len, chunkname, &e);
    as_text(&e, rc ? err : NULL);
    if (!rc && err)
        *err = NULL;
    return rc;
}

int sandbox_load_file(sandbox *sb, const char *path, char **err)
{
    sandbox_error e;
    int rc = sandbox_load_file_err(sb, path, &e);
    as_text(&e, rc ? err : NULL);
    if (!rc && err)
        *err = NULL;
    return rc;
}

/* The protected call of the function above nargs arguments, with the
 * message handler at base (below the function). *refused: not run, the
 * stack cut to below base. */
static int pcall_at(sandbox *sb, int nargs, int nresults, int base, sandbox_error *err, bool *refused)
{
    lua_State *L = sb->L;
    memset(err, 0, sizeof *err);
    if (sb->pending.message || sb->pending.file || sb->pending.traceback)
        sandbox_error_free(&sb->pending);
    *refused = false;
    if (sb->in_call) {
        /* Re-entered from a C function of the same state: the enclosing call
         * keeps its budget, watchdog entry and hook. */
        int st = lua_pcall(L, nargs, nresults, base);
        if (st != LUA_OK)
            sb_report(sb, st, err);
        return st;
    }
    if (sb_call_begin(sb) != 0) {
        /* Another state's call runs on this thread: refused, so that one
         * thread always has one budget to count (sandbox.h). */
        lua_settop(L, base - 1);
        err->message = strdup("sandbox calls may not nest across states");
        *refused = true;
        return LUA_ERRRUN;
    }
    int st = lua_pcall(L, nargs, nresults, base);
    sb_call_end(sb);
    if (st != LUA_OK)
        sb_report(sb, st, err);
    return st;
}

int sandbox_pcall_err(sandbox *sb, int nargs, int nresults, sandbox_error *err)
{
    lua_State *L = sb->L;
    int base = lua_gettop(L) - nargs;
    lua_pushcfunction(L, sb_msgh);
    lua_insert(L, base);
    bool refused;
    int st = pcall_at(sb, nargs, nresults, base, err, &refused);
    if (!refused)
        lua_remove(L, base);
    return st;
}

int sandbox_cpcall_err(sandbox *sb, lua_CFunction f, void *ud, sandbox_error *err)
{
    lua_State *L = sb->L;
    int base = lua_gettop(L) + 1;
    /* The handler first: no moving it below the function and out again. */
    lua_pushcfunction(L, sb_msgh);
    lua_pushcfunction(L, f);
    lua_pushlightuserdata(L, ud);
    bool refused;
    int st = pcall_at(sb, 1, 0, base, err, &refused);
    lua_settop(L, base - 1);
    return st;
}

int sandbox_pcall(sandbox *sb, int nargs, int nresults, char **err)
{
    sandbox_error e;
    int st = sandbox_pcall_err(sb, nargs, nresults, &e);
    as_text(&e, st != LUA_OK ? err : NULL);
    if (st == LUA_OK && err)
        *err = NULL;
    return st;
}

void sandbox_next_call(sandbox *sb)
{
    if (!sb->in_call || sb->stop) /* a stopped call keeps raising */
        return;
    sb_call_restart(sb);
}

int sandbox_seal(sandbox *sb)
{
    /* Protected: the few allocations here must not reach the panic function. */
    lua_pushcfunction(sb->L, sb_seal);
    if (lua_pcall(sb->L, 0, 0, 0) != LUA_OK) {
        lua_pop(sb->L, 1);
        return -1;
    }
    return 0;
}


int sandbox_eval_data(lua_State *L)
{
    lua_newtable(L);
    if (!lua_setupvalue(L, 1, 1))
        lua_pop(L, 1);
    lua_call(L, 0, 1);
    return 1;
}
