/* sandbox_test.c - the sandbox holds: no escape, limits enforced, state usable after. */
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

#define MIB (1024u * 1024u)

static sandbox *sb;
static lua_State *L;

static void setup(void)
{
    sb = sandbox_new(16 * MIB, 5000000);
    ck_assert_ptr_nonnull(sb);
    sandbox_set_name(sb, "sandbox_test");
    /* Tests of other limits must not meet the wall-clock limit on a loaded
     * machine; time_limit_stops_work_inside_c sets its own. */
    sandbox_set_time_limit(sb, 20000);
    L = sandbox_state(sb);
    ck_assert_int_eq(sandbox_seal(sb), 0);
}

static void teardown(void)
{
    sandbox_free(sb);
    sb = NULL;
}

/* Runs a chunk; returns the status, *err gets the message (or NULL). The
 * stack is left as it was. */
static int run(const char *code, char **err)
{
    int top = lua_gettop(L);
    *err = NULL;
    if (sandbox_load_buffer(sb, code, strlen(code), "@rules/t.lua", err) != 0)
        return -1;
    int st = sandbox_pcall(sb, 0, 0, err);
    ck_assert_int_eq(lua_gettop(L), top);
    return st;
}

/* Runs a chunk that returns one value; returns it as a boolean. */
static int truthy(const char *code)
{
    char *err = NULL;
    ck_assert_int_eq(sandbox_load_buffer(sb, code, strlen(code), "@rules/t.lua", &err), 0);
    int st = sandbox_pcall(sb, 0, 1, &err);
    ck_assert_msg(st == LUA_OK, "chunk failed: %s", err ? err : "?");
    int r = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return r;
}

static void expect_error(const char *code, const char *needle)
{
    char *err = NULL;
    int st = run(code, &err);
    ck_assert_msg(st != LUA_OK, "expected an error from: %s", code);
    ck_assert_ptr_nonnull(err);
    ck_assert_msg(strstr(err, needle), "error '%s' lacks '%s'", err, needle);
    free(err);
}

START_TEST(libs_absent)
{
    ck_assert(truthy("return rawget(_G, 'io') == nil and rawget(_G, 'os') == nil "
                     "and rawget(_G, 'package') == nil and rawget(_G, 'debug') == nil "
                     "and rawget(_G, 'coroutine') == nil"));
    ck_assert(truthy("return rawget(_G, 'dofile') == nil and rawget(_G, 'loadfile') == nil "
                     "and rawget(_G, 'require') == nil and string.dump == nil"));
    /* What rules need is there. */
    ck_assert(truthy("return type(string.format) == 'function' and type(table.sort) == 'function' "
                     "and type(math.floor) == 'function' and type(utf8.char) == 'function' "
                     "and type(pairs) == 'function' and type(pcall) == 'function'"));
}
END_TEST

START_TEST(strict_globals)
{
    expect_error("local x = undefined_thing", "undeclared global 'undefined_thing'");
    expect_error("newglobal = 1", "undeclared global 'newglobal'");
    /* the message carries file:line */
    expect_error("\n\nlocal y = nope", "rules/t.lua:3:");
    ck_assert(truthy("return getmetatable(_G) == 'globals are locked'"));
    expect_error("setmetatable(_G, nil)", "protected metatable");
}
END_TEST

START_TEST(runaway_loop)
{
    expect_error("while true do end", "instruction budget of 5000000 exceeded");
    /* the rule's own pcall cannot swallow it */
    expect_error("local n = 0\n"
                 "for i = 1, 1000 do pcall(function() while true do end end) n = n + 1 end\n"
                 "return n",
                 "instruction budget of 5000000 exceeded");
    expect_error("while true do pcall(function() while true do end end) end",
                 "instruction budget");
    /* a Lua message handler in xpcall is interrupted too */
    expect_error("while true do xpcall(function() while true do end end, function(m) return m end) end",
                 "instruction budget");
    /* the budget is per call: afterwards the state runs normally */
    ck_assert(truthy("local s = 0 for i = 1, 1000 do s = s + i end return s == 500500"));
}
END_TEST

/* Seconds since t0 (CLOCK_MONOTONIC). */
static double since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

START_TEST(spent_budget_runs_no_more_rule_code)
{
    /* Lua runs an xpcall message handler with hooks off when the error comes
     * from a hook: a handler that loops would never end. It is skipped once
     * the call is stopped. */
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    expect_error("xpcall(function() while true do end end, function(m) while true do end end)",
                 "rules/t.lua:1: instruction budget of 5000000 exceeded");
    expect_error("while true do xpcall(function() while true do end end, function(m) while true do end end) end",
                 "instruction budget of 5000000 exceeded");
    /* a handler that errors again (called again for its own error) */
    expect_error("xpcall(function() while true do end end, function(m) error(m) end)", "instruction budget");
    /* __close and a __tostring of the error object run no further either */
    expect_error("do local x <close> = setmetatable({}, {__close = function() while true do end end})\n"
                 "while true do end end",
                 "instruction budget of 5000000 exceeded");
    expect_error("local ok = pcall(function() local x <close> = setmetatable({}, {__close = function() "
                 "while true do end end}) while true do end end) while true do end",
                 "instruction budget");
    ck_assert_msg(since(&t0) < 10.0, "took %.1f s", since(&t0));
    /* Before the budget is spent, xpcall is Lua's own. */
    ck_assert(truthy("local ok, m = xpcall(error, function(m) return 'h:' .. m end, 'x', 0) "
                     "return not ok and m == 'h:x'"));
    ck_assert(truthy("local ok, a, b = xpcall(function(x, y) return y, x end, print, 1, 2) "
                     "return ok and a == 2 and b == 1"));
    expect_error("xpcall(print)", "bad argument #2 to 'xpcall'");
    /* the state runs normally afterwards */
    ck_assert(truthy("local s = 0 for i = 1, 1000 do s = s + i end return s == 500500"));
}
END_TEST

START_TEST(time_limit_stops_work_inside_c)
{
    /* table.sort with a C comparator and a huge __len: no instruction runs
     * between comparisons, so only the wall-clock limit stops it. */
    sandbox *fresh = sandbox_new(MIB, 5000000);
    ck_assert_ptr_nonnull(fresh);
    ck_assert_uint_eq(sandbox_time_limit(fresh), 1000); /* 5 million * 100 ns, at least 1 s */
    sandbox_set_instr_budget(fresh, 50000000);
    ck_assert_uint_eq(sandbox_time_limit(fresh), 5000);
    sandbox_free(fresh);
    if (!sandbox_watchdog_signal())
        return; /* no watchdog thread, no time limit */
    sandbox_set_time_limit(sb, 300);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    expect_error("local t = setmetatable({}, {__len = function() return 2^31 - 2 end})\ntable.sort(t, rawequal)",
                 "rules/t.lua:2: time limit of 300 ms exceeded (in 'sort')");
    ck_assert_msg(since(&t0) < 3.0, "took %.1f s", since(&t0));
    /* per call: the next call has its own */
    ck_assert(truthy("return true"));
}
END_TEST

START_TEST(output_limit)
{
    /* print goes to stderr: keep the megabyte out of the test log. */
    fflush(stderr);
    int saved = dup(2);
    FILE *sink = tmpfile();
    ck_assert_ptr_nonnull(sink);
    dup2(fileno(sink), 2);
    char *err = NULL;
    int st = run("for i = 1, 1e6 do pcall(print, ('x'):rep(1000)) end", &err);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    long written = ftell(sink) >= 0 ? (fseek(sink, 0, SEEK_END), ftell(sink)) : -1;
    fclose(sink);
    ck_assert_int_ne(st, LUA_OK);
    ck_assert_msg(strstr(err, "output limit of 1048576 bytes exceeded"), "%s", err);
    free(err);
    ck_assert_msg(written > 1000000 && written < 1048576 + 200, "wrote %ld bytes", written);
    /* spent for the state's whole life: the next print stops the call again */
    expect_error("print('nog een')", "output limit of 1048576 bytes exceeded");
}
END_TEST

START_TEST(guarded_functions_are_lua_s_own)
{
    /* The replaced string and table functions give what Lua's own give. */
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/fixtures/sandbox/library_cases.lua", rhv_home());
    char *err = NULL;
    ck_assert_msg(sandbox_load_file(sb, path, &err) == 0, "%s", err ? err : "?");
    ck_assert_msg(sandbox_pcall(sb, 0, 1, &err) == LUA_OK, "%s", err ? err : "?");
    lua_State *P = luaL_newstate();
    ck_assert_ptr_nonnull(P);
    luaL_openlibs(P);
    ck_assert_int_eq(luaL_loadfile(P, path), LUA_OK);
    ck_assert_msg(lua_pcall(P, 0, 1, 0) == LUA_OK, "%s", lua_tostring(P, -1));
    ck_assert_str_eq(lua_tostring(L, -1), lua_tostring(P, -1));
    ck_assert_uint_gt(strlen(lua_tostring(P, -1)), 5000);
    lua_close(P);
    lua_pop(L, 1);
}
END_TEST

START_TEST(library_work_is_bounded)
{
    /* Each of these runs for hours in Lua's own library, inside one C call:
     * no instruction is counted and nothing is allocated. */
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    expect_error("return ('a'):rep(5000):find('.-.-.-.-b')",
                 "rules/t.lua:1: string.find: the pattern takes more than 5000000 steps on this subject");
    expect_error("return ('a'):rep(5000):match('(.-)(.-)(.-)b')", "string.match: the pattern takes more than");
    expect_error("for x in ('a'):rep(5000):gmatch('.-.-.-b') do end", "string.gmatch: the pattern takes more than");
    expect_error("return ('a'):rep(5000):gsub('.-.-.-b', '')", "string.gsub: the pattern takes more than");
    expect_error("return ('('):rep(100000):find('%b()')", "string.find: the pattern takes more than");
    expect_error("return ('a'):rep(100000):find('.-%f[x]')", "string.find: the pattern takes more than");
    /* plain search is linear: 2 MB needle over 4 MB */
    ck_assert(truthy("local s = ('a'):rep(4000000) local p = ('a'):rep(2000000) .. 'b' "
                     "return s:find(p, 1, true) == nil and s:find(p) == nil and s:find(('a'):rep(2000000)) == 1"));
    /* an empty string.rep does not loop */
    ck_assert(truthy("return ('') :rep(math.maxinteger) == '' and ('') :rep(math.maxinteger, '') == ''"));
    expect_error("return ('xx'):rep(math.maxinteger)", "resulting string too large");
    expect_error("return ('x'):rep(math.maxinteger)", "memory limit of 16777216 bytes exceeded");
    /* the table functions refuse a range of more elements than the budget */
    expect_error("table.move({}, 1, 1e15, 2)", "rules/t.lua:1: table.move: more than 5000000 elements in one call");
    expect_error("table.concat({}, '', 1, 1e15)", "table.concat: more than 5000000 elements");
    expect_error("local t = setmetatable({}, {__len = function() return 1e15 end}) table.insert(t, 1, 'x')",
                 "table.insert: more than 5000000 elements");
    expect_error("local t = setmetatable({}, {__len = function() return 1e15 end}) table.remove(t, 1)",
                 "table.remove: more than 5000000 elements");
    /* within the bound they work (the differential test above checks how) */
    ck_assert(truthy("local t = {} for i = 1, 1000 do t[i] = i end table.move(t, 1, 1000, 2) "
                     "table.insert(t, 1, 0) return #t == 1002 and table.remove(t, 1) == 0"));
    ck_assert_msg(since(&t0) < 10.0, "took %.1f s", since(&t0));
}
END_TEST

START_TEST(budget_is_per_call)
{
    /* 5 million instructions: a loop of 300k iterations (~4 instr each) fits
     * in one call, and fits again in the next call. */
    for (int i = 0; i < 3; i++)
        ck_assert(truthy("local s = 0 for i = 1, 300000 do s = s + i end return s > 0"));
}
END_TEST

START_TEST(memory_cap)
{
    char *err = NULL;
    int st = run("local s = string.rep('x', 100 * 1024 * 1024)", &err);
    ck_assert_int_eq(st, LUA_ERRMEM);
    ck_assert_str_eq(err, "memory limit of 16777216 bytes exceeded");
    free(err);
    st = run("local t = {} for i = 1, 1e9 do t[i] = {i} end", &err);
    ck_assert_int_eq(st, LUA_ERRMEM);
    ck_assert_ptr_nonnull(strstr(err, "memory limit"));
    free(err);
    /* never above the cap, and usable afterwards */
    ck_assert_uint_le(sandbox_mem_peak(sb), 16 * MIB);
    ck_assert(truthy("local t = {} for i = 1, 1000 do t[i] = tostring(i) end return #t == 1000"));
    lua_gc(L, LUA_GCCOLLECT, 0);
    ck_assert_uint_lt(sandbox_mem_used(sb), 1 * MIB);
}
END_TEST

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

START_TEST(bytecode_refused)
{
    /* A binary chunk starts with ESC "Lua". */
    static const char bin[] = "\x1bLua\x54\x00\x19\x93\r\n\x1a\n\x04\x08\x08";
    char *err = NULL;
    ck_assert_int_eq(sandbox_load_buffer(sb, bin, sizeof bin - 1, "=bin", &err), -1);
    ck_assert_ptr_nonnull(strstr(err, "binary"));
    free(err);
    /* and through load() from inside */
    ck_assert(truthy("local f, e = load('\\27Lua') return f == nil and e:find('binary') ~= nil"));
    expect_error("load('return 1', 'x', 'b')", "only text chunks");
    expect_error("load(function() return nil end)", "only a string chunk");
}
END_TEST

START_TEST(load_env_is_empty)
{
    ck_assert(truthy("local f = load('return string') return f() == nil"));
    ck_assert(truthy("local f = load('return x', 'c', 't', {x = 5}) return f() == 5"));
    ck_assert(truthy("local f = load('y = 1 return y') return f() == 1 and rawget(_G, 'y') == nil"));
}
END_TEST

START_TEST(string_metatable_locked)
{
    expect_error("setmetatable('', {})", "table expected");
    ck_assert(truthy("return getmetatable('') == false"));
    expect_error("getmetatable('').__index = {}", "index a boolean value");
}
END_TEST

START_TEST(collectgarbage_count_only)
{
    ck_assert(truthy("return type(collectgarbage('count')) == 'number' and collectgarbage() > 0"));
    expect_error("collectgarbage('collect')", "only \"count\"");
    expect_error("collectgarbage('stop')", "only \"count\"");
}
END_TEST

START_TEST(random_is_deterministic)
{
    char *err = NULL;
    const char *code = "return math.random(1, 1000000000)";
    ck_assert_int_eq(sandbox_load_buffer(sb, code, strlen(code), "=r", &err), 0);
    ck_assert_int_eq(sandbox_pcall(sb, 0, 1, &err), LUA_OK);
    lua_Integer a = lua_tointeger(L, -1);
    lua_pop(L, 1);
    sandbox *other = sandbox_new(16 * MIB, 1000000);
    ck_assert_ptr_nonnull(other);
    ck_assert_int_eq(sandbox_load_buffer(other, code, strlen(code), "=r", &err), 0);
    ck_assert_int_eq(sandbox_pcall(other, 0, 1, &err), LUA_OK);
    ck_assert_int_eq(lua_tointeger(sandbox_state(other), -1), a);
    sandbox_free(other);
    expect_error("math.randomseed()", "bad argument");
    ck_assert(truthy("math.randomseed(7) local a = math.random(1, 100) "
                     "math.randomseed(7) return a == math.random(1, 100)"));
}
END_TEST

START_TEST(errors_have_location_and_traceback)
{
    char *err = NULL;
    int st = run("local function inner() error('kapot') end\n"
                 "local function outer() inner() end\n"
                 "outer()\n",
                 &err);
    ck_assert_int_eq(st, LUA_ERRRUN);
    ck_assert_msg(strstr(err, "rules/t.lua:1: kapot"), "%s", err);
    ck_assert_msg(strstr(err, "stack traceback:"), "%s", err);
    ck_assert_msg(strstr(err, "rules/t.lua:2:"), "%s", err);
    free(err);
    /* non-string error values */
    expect_error("error({})", "(error object is a table value)");
    expect_error("error(setmetatable({}, {__tostring = function() return 'eigen fout' end}))",
                 "eigen fout");
    expect_error("error(nil)", "(error object is a nil value)");
    /* a syntax error names the line */
    int r = sandbox_load_buffer(sb, "x = = 1", 7, "@rules/s.lua", &err);
    ck_assert_int_eq(r, -1);
    ck_assert_msg(strstr(err, "rules/s.lua:1:"), "%s", err);
    free(err);
}
END_TEST

/* Runs code; the error in fields (caller frees). */
static sandbox_error run_fields(const char *code)
{
    sandbox_error e;
    if (sandbox_load_buffer_err(sb, code, strlen(code), "@rules/t.lua", &e) != 0)
        return e;
    ck_assert_int_ne(sandbox_pcall_err(sb, 0, 0, &e), LUA_OK);
    return e;
}

static void expect_fields(const char *code, const char *file, long line, const char *message)
{
    sandbox_error e = run_fields(code);
    if (file) {
        ck_assert_msg(e.file && strcmp(e.file, file) == 0, "%s: file %s", code, e.file ? e.file : "(none)");
    } else {
        ck_assert_msg(!e.file, "%s: file %s, expected none", code, e.file);
    }
    ck_assert_msg(e.line == line, "%s: line %ld, expected %ld", code, e.line, line);
    ck_assert_msg(strcmp(e.message, message) == 0, "%s: message '%s'", code, e.message);
    /* The text is the one Lua's own handler would have made. */
    char *text = sandbox_error_text(&e);
    char *err = NULL;
    run(code, &err);
    ck_assert_str_eq(text, err);
    free(text);
    free(err);
    sandbox_error_free(&e);
}

START_TEST(errors_come_as_fields)
{
    /* runtime error in the VM, error() at level 1 and 2, luaL_error from C */
    expect_fields("local x\nlocal y = x.z", "rules/t.lua", 2, "attempt to index a nil value (local 'x')");
    expect_fields("\nerror('eigen fout')", "rules/t.lua", 2, "eigen fout");
    expect_fields("local function f() error('door f', 2) end\n\nf()", "rules/t.lua", 3, "door f");
    expect_fields("\n\n('x'):rep(-1, {})", "rules/t.lua", 3, "bad argument #2 to 'rep' (string expected, got table)");
    /* a rethrown message keeps the position of its first raise */
    expect_fields("local ok, e = pcall(function()\nerror('binnen')\nend)\nerror(e, 0)", "rules/t.lua", 2, "binnen");
    /* no position: the message as it is, also when it names a chunk that is
     * not on the stack; a text in the form Lua writes, naming one that is,
     * is read as Lua would have written it */
    expect_fields("error('kaal', 0)", NULL, 0, "kaal");
    expect_fields("error('elders.lua:99: verzonnen', 0)", NULL, 0, "elders.lua:99: verzonnen");
    expect_fields("error('rules/t.lua:099: nul', 0)", NULL, 0, "rules/t.lua:099: nul");
    expect_fields("error('rules/t.lua:99: verzonnen', 0)", "rules/t.lua", 99, "verzonnen");
    expect_fields("error({})", NULL, 0, "(error object is a table value)");
    /* every runtime error has its traceback */
    sandbox_error e = run_fields("error('x')");
    ck_assert_ptr_nonnull(e.traceback);
    ck_assert_msg(strncmp(e.traceback, "stack traceback:\n", 17) == 0, "%s", e.traceback);
    sandbox_error_free(&e);
    /* a syntax error: the position taken off at load, no traceback */
    ck_assert_int_eq(sandbox_load_buffer_err(sb, "\nx = = 1", 8, "@rules/s.lua", &e), -1);
    ck_assert_str_eq(e.file, "rules/s.lua");
    ck_assert_int_eq(e.line, 2);
    ck_assert_str_eq(e.message, "unexpected symbol near '='");
    ck_assert_ptr_null(e.traceback);
    sandbox_error_free(&e);
    /* memory: a message of its own */
    e = run_fields("local t = {} for i = 1, 1e9 do t[i] = ('x'):rep(1 << 20) .. i end");
    ck_assert_ptr_null(e.file);
    ck_assert_str_eq(e.message, "memory limit of 16777216 bytes exceeded");
    sandbox_error_free(&e);
}
END_TEST

START_TEST(no_finalizers)
{
    /* Lua runs __gc with hooks off: a looping finalizer could not be stopped. */
    expect_error("setmetatable({}, {__gc = function() while true do end end})", "__gc finalizers are not allowed");
    expect_error("setmetatable({}, {__gc = false})", "__gc finalizers are not allowed");
    /* adding __gc later does not mark the object (Lua 5.4), so this is harmless */
    ck_assert(truthy("local mt = {} local t = setmetatable({}, mt) "
                     "mt.__gc = function() while true do end end return getmetatable(t) == mt"));
    ck_assert(truthy("local t = setmetatable({}, {__index = function() return 1 end}) return t.x == 1"));
    ck_assert(truthy("return setmetatable({}, nil) ~= nil"));
}
END_TEST

START_TEST(load_file_text_only)
{
    char path[] = "/tmp/rhv_sbtestXXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    FILE *f = fdopen(fd, "wb");
    fputs("\x1bLua\x54", f);
    fclose(f);
    char *err = NULL;
    ck_assert_int_eq(sandbox_load_file(sb, path, &err), -1);
    ck_assert_ptr_nonnull(strstr(err, "binary"));
    free(err);
    ck_assert_int_eq(sandbox_load_file(sb, "/nonexistent/x.lua", &err), -1);
    ck_assert_ptr_nonnull(strstr(err, "cannot open"));
    free(err);
    remove(path);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("sandbox");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, libs_absent);
    tcase_add_test(tc, strict_globals);
    tcase_add_test(tc, runaway_loop);
    tcase_add_test(tc, budget_is_per_call);
    tcase_add_test(tc, short_calls_run_without_hook);
    tcase_add_test(tc, long_call_is_armed_then_disarmed);
    tcase_add_test(tc, next_call_restarts_the_budget);
    tcase_add_test(tc, runaway_stopped_on_another_thread);
    tcase_add_test(tc, calls_do_not_nest_across_states);
    tcase_add_test(tc, memory_cap);
    tcase_add_test(tc, bytecode_refused);
    tcase_add_test(tc, load_env_is_empty);
    tcase_add_test(tc, string_metatable_locked);
    tcase_add_test(tc, collectgarbage_count_only);
    tcase_add_test(tc, random_is_deterministic);
    tcase_add_test(tc, errors_have_location_and_traceback);
    tcase_add_test(tc, errors_come_as_fields);
    tcase_add_test(tc, spent_budget_runs_no_more_rule_code);
    tcase_add_test(tc, time_limit_stops_work_inside_c);
    tcase_add_test(tc, output_limit);
    tcase_add_test(tc, guarded_functions_are_lua_s_own);
    tcase_add_test(tc, library_work_is_bounded);
    tcase_add_test(tc, no_finalizers);
    tcase_add_test(tc, load_file_text_only);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
