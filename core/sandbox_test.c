/* sandbox_test.c - the sandbox holds: no escape, limits enforced (instruction
 * budget, wall-clock time, output, memory), state usable after. */
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
    /* a position the first item fails at is passed over, and still a step */
    expect_error("return ('a'):rep(5010000):find('[b]')", "string.find: the pattern takes more than");
    expect_error("return ('a'):rep(5010000):gsub('[%c%p]', {})", "string.gsub: the pattern takes more than");
    ck_assert(truthy("return ('a'):rep(4999999):find('[b]') == nil"));
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


int main(void)
{
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, libs_absent);
    tcase_add_test(tc, strict_globals);
    tcase_add_test(tc, runaway_loop);
    tcase_add_test(tc, budget_is_per_call);
    tcase_add_test(tc, memory_cap);
    tcase_add_test(tc, spent_budget_runs_no_more_rule_code);
    tcase_add_test(tc, time_limit_stops_work_inside_c);
    tcase_add_test(tc, output_limit);
    tcase_add_test(tc, guarded_functions_are_lua_s_own);
    tcase_add_test(tc, library_work_is_bounded);
    return sandbox_test_run(tc);
}
