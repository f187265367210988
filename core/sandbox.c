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
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox_internal.h"
#include "sandbox_libs.h"
#include "sandbox_watchdog.h"

static int on_panic(lua_State *L)
{
    const char *msg = lua_tostring(L, -1);
    fprintf(stderr, "rhv: unprotected Lua error: %s\n", msg ? msg : "(not a string)");
    abort();
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
        snprintf(buf, sizeof buf, "memory limit of %zu bytes exceeded", sb->heap.limit);
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
    if (sb_call_begin(sb) != 0) {
        /* Another state's call runs on this thread: refused, so that one
         * thread always has one budget to count (sandbox.h). */
        lua_settop(L, base - 1);
        if (err)
            *err = strdup("sandbox calls may not nest across states");
        return LUA_ERRRUN;
    }
    int st = lua_pcall(L, nargs, nresults, base);
    sb_call_end(sb);
    if (st != LUA_OK)
        report(sb, st, err);
    lua_remove(L, base);
    return st;
}

void sandbox_next_call(sandbox *sb)
{
    if (!sb->in_call || sb->exceeded) /* a spent budget keeps raising */
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

