/* sandbox_watchdog_test.c - the watchdog: the count hook only on calls that
 * run long, the budget restarted per call, a runaway stopped from another
 * thread, calls that do not nest across states. */
#include "sandbox.h"
#include "paths.h"
#include <check.h>
#include <errno.h>
#include <lauxlib.h>
#include <lualib.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "sandbox_test_util.h"

/* ---- the watchdog: the count hook only on calls that run long ------------ */

static int c_hookmask(lua_State *Ls)
{
    lua_pushinteger(Ls, lua_gethookmask(Ls));
    return 1;
}

/* Sleeps n ms inside the call without running VM instructions (the
 * watchdog's signal interrupts nanosleep: sleep the rest). */
static int c_nap(lua_State *Ls)
{
    long ms = (long)luaL_checkinteger(Ls, 1);
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&t, &t) != 0 && errno == EINTR)
        ;
    return 0;
}

/* The watchdog's signal, sent to this thread now, as a late one would. */
static int c_poke(lua_State *Ls)
{
    (void)Ls;
    pthread_kill(pthread_self(), sandbox_watchdog_signal());
    return 0;
}

/* Runs code with (hookmask, nap, poke) as its arguments; returns the integer it returns. */
static lua_Integer run_probe(sandbox *s, const char *code)
{
    char *err = NULL;
    lua_State *Ls = sandbox_state(s);
    ck_assert_int_eq(sandbox_load_buffer(s, code, strlen(code), "@rules/p.lua", &err), 0);
    lua_pushcfunction(Ls, c_hookmask);
    lua_pushcfunction(Ls, c_nap);
    lua_pushcfunction(Ls, c_poke);
    int st = sandbox_pcall(s, 3, 1, &err);
    ck_assert_msg(st == LUA_OK, "probe failed: %s", err ? err : "?");
    lua_Integer v = lua_tointeger(Ls, -1);
    lua_pop(Ls, 1);
    return v;
}

START_TEST(short_calls_run_without_hook)
{
    ck_assert_int_ne(sandbox_watchdog_signal(), 0);
    for (int i = 0; i < 100; i++)
        ck_assert_int_eq(run_probe(sb, "local mask = ... return mask()"), 0);
    ck_assert_int_eq(lua_gethookmask(L), 0);
}
END_TEST

START_TEST(long_call_is_armed_then_disarmed)
{
    /* 150 ms without a VM instruction: the watchdog arms the count hook
     * (from 50 ms on); the budget then counts, and the call stays within it. */
    ck_assert_int_eq(run_probe(sb, "local mask, nap = ... nap(150) local m = mask() "
                                   "local s = 0 for i = 1, 300000 do s = s + i end return m"),
                     LUA_MASKCOUNT);
    ck_assert_int_eq(lua_gethookmask(L), 0);
    ck_assert_int_eq(run_probe(sb, "local mask = ... return mask()"), 0);
    /* The signal of that call arriving during a later one arms nothing. */
    ck_assert_int_eq(run_probe(sb, "local mask, nap, poke = ... poke() return mask()"), 0);
    ck_assert_int_eq(lua_gethookmask(L), 0);
    /* Nor outside any call. */
    pthread_kill(pthread_self(), sandbox_watchdog_signal());
    ck_assert_int_eq(lua_gethookmask(L), 0);
    /* After the slice, a loop is stopped by the budget as before. */
    expect_error("local n = 0 while true do n = n + 1 end", "instruction budget of 5000000 exceeded");
}
END_TEST

/* calls f (argument 1) n times (argument 2) as separate calls for the budget */
static int c_multi(lua_State *Ls)
{
    lua_Integer n = luaL_checkinteger(Ls, 2);
    for (lua_Integer i = 0; i < n; i++) {
        if (i > 0)
            sandbox_next_call(sb);
        lua_pushvalue(Ls, 1);
        lua_call(Ls, 0, 0);
    }
    return 0;
}

START_TEST(next_call_restarts_the_budget)
{
    /* Three handler-like calls inside one protected call, each armed after
     * its nap and then running ~3M instructions: within the 5M budget each,
     * not together. Each starts without the hook of the one before. */
    char *err = NULL;
    const char *code = "local mask, nap, multi = ...\n"
                       "local masks = {}\n"
                       "multi(function()\n"
                       "  masks[#masks + 1] = mask()\n"
                       "  nap(70)\n"
                       "  local s = 0 for i = 1, 1200000 do s = s + i end\n"
                       "end, 3)\n"
                       "return masks[1] + masks[2] + masks[3]";
    ck_assert_int_eq(sandbox_load_buffer(sb, code, strlen(code), "@rules/m.lua", &err), 0);
    lua_pushcfunction(L, c_hookmask);
    lua_pushcfunction(L, c_nap);
    lua_pushcfunction(L, c_multi);
    int st = sandbox_pcall(sb, 3, 1, &err);
    ck_assert_msg(st == LUA_OK, "%s", err ? err : "?");
    ck_assert_int_eq(lua_tointeger(L, -1), 0);
    lua_pop(L, 1);
    /* The same work as one call is stopped. */
    code = "local nap = ... nap(70) local s = 0 for i = 1, 3600000 do s = s + i end";
    ck_assert_int_eq(sandbox_load_buffer(sb, code, strlen(code), "@rules/m.lua", &err), 0);
    lua_pushcfunction(L, c_nap);
    ck_assert_int_ne(sandbox_pcall(sb, 1, 0, &err), LUA_OK);
    ck_assert_msg(strstr(err, "instruction budget of 5000000 exceeded"), "%s", err);
    free(err);
}
END_TEST

static void *runaway_thread(void *arg)
{
    sandbox *s = arg;
    char *err = NULL;
    const char *code = "while true do end";
    if (sandbox_load_buffer(s, code, strlen(code), "@rules/w.lua", &err) != 0)
        return err;
    sandbox_pcall(s, 0, 0, &err);
    return err;
}

START_TEST(runaway_stopped_on_another_thread)
{
    sandbox *other = sandbox_new(16 * MIB, 1000000);
    ck_assert_ptr_nonnull(other);
    pthread_t th;
    ck_assert_int_eq(pthread_create(&th, NULL, runaway_thread, other), 0);
    /* meanwhile this thread's own calls stay unhooked */
    for (int i = 0; i < 50; i++)
        ck_assert_int_eq(run_probe(sb, "local mask, nap = ... nap(2) return mask()"), 0);
    void *res = NULL;
    pthread_join(th, &res);
    ck_assert_ptr_nonnull(res);
    ck_assert_msg(strstr(res, "instruction budget of 1000000 exceeded"), "%s", (char *)res);
    free(res);
    sandbox_free(other);
}
END_TEST

static sandbox *inner_sb;

static int c_inner(lua_State *Ls)
{
    char *err = NULL;
    const char *code = "return 1";
    sandbox_load_buffer(inner_sb, code, strlen(code), "@params/x.lua", &err);
    int st = sandbox_pcall(inner_sb, 0, 0, &err);
    lua_pushstring(Ls, st != LUA_OK && err ? err : "ran");
    free(err);
    /* The refused call left the inner state's stack as it was. */
    lua_pushinteger(Ls, lua_gettop(sandbox_state(inner_sb)));
    return 2;
}

START_TEST(calls_do_not_nest_across_states)
{
    /* One thread, one running call: a host loads what a rule needs from other
     * states outside the rule's call (a params file: engine_load.c). */
    inner_sb = sandbox_new(16 * MIB, 1000000);
    ck_assert_ptr_nonnull(inner_sb);
    const char *code = "local inner = ... local m, top = inner() "
                       "return m == 'sandbox calls may not nest across states' and top == 0";
    char *err = NULL;
    ck_assert_int_eq(sandbox_load_buffer(sb, code, strlen(code), "@rules/n.lua", &err), 0);
    lua_pushcfunction(L, c_inner);
    ck_assert_int_eq(sandbox_pcall(sb, 1, 1, &err), LUA_OK);
    ck_assert(lua_toboolean(L, -1));
    lua_pop(L, 1);
    /* Outside the rule's call the same state runs. */
    ck_assert(lua_gettop(sandbox_state(inner_sb)) == 0);
    ck_assert_int_eq(sandbox_load_buffer(inner_sb, "return 7", 8, "=x", &err), 0);
    ck_assert_int_eq(sandbox_pcall(inner_sb, 0, 1, &err), LUA_OK);
    ck_assert_int_eq(lua_tointeger(sandbox_state(inner_sb), -1), 7);
    sandbox_free(inner_sb);
    inner_sb = NULL;
}
END_TEST


int main(void)
{
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, short_calls_run_without_hook);
    tcase_add_test(tc, long_call_is_armed_then_disarmed);
    tcase_add_test(tc, next_call_restarts_the_budget);
    tcase_add_test(tc, runaway_stopped_on_another_thread);
    tcase_add_test(tc, calls_do_not_nest_across_states);
    return sandbox_test_run(tc);
}
