/* sandbox_state_test.c - what a rule's Lua state refuses (bytecode, a global
 * load environment, the string metatable, finalizers, collectgarbage beyond
 * count), that math.random is deterministic, and how errors come back
 * (location, traceback, fields). */
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
#include "sandbox_alloc.h"
#include "sandbox_test_util.h"

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


/* sb_grow, the growth of the C structures a state owns: from first,
 * doubling, through the state's allocator and within its cap; a refusal or
 * an overflowing size leaves the array as it was. */
START_TEST(grow_within_the_cap)
{
    sb_heap h = {.limit = 4096};
    int *a = NULL;
    size_t cap = 0;
    ck_assert(sb_grow(sb_heap_alloc, &h, (void **)&a, &cap, sizeof *a, 3, 16));
    ck_assert_uint_eq(cap, 16);
    a[15] = 7;
    ck_assert(sb_grow(sb_heap_alloc, &h, (void **)&a, &cap, sizeof *a, 16, 16)); /* fits: unchanged */
    ck_assert_uint_eq(cap, 16);
    ck_assert(sb_grow(sb_heap_alloc, &h, (void **)&a, &cap, sizeof *a, 100, 16));
    ck_assert_uint_eq(cap, 128);
    ck_assert_int_eq(a[15], 7);
    int *before = a;
    ck_assert(!sb_grow(sb_heap_alloc, &h, (void **)&a, &cap, sizeof *a, 2000, 16)); /* over the 4096-byte cap */
    ck_assert_ptr_eq(a, before);
    ck_assert_uint_eq(cap, 128);
    ck_assert(!sb_grow(sb_heap_alloc, &h, (void **)&a, &cap, ((size_t)1 << 57) + 1, 129, 16)); /* 256 of them overflow */
    ck_assert_uint_eq(cap, 128);
    ck_assert_int_eq(a[15], 7);
    sb_heap_alloc(&h, a, cap * sizeof *a, 0);
    ck_assert_uint_eq(h.used, 0);
    sb_heap_release(&h);
}
END_TEST

int main(void)
{
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, bytecode_refused);
    tcase_add_test(tc, load_env_is_empty);
    tcase_add_test(tc, string_metatable_locked);
    tcase_add_test(tc, collectgarbage_count_only);
    tcase_add_test(tc, random_is_deterministic);
    tcase_add_test(tc, errors_have_location_and_traceback);
    tcase_add_test(tc, errors_come_as_fields);
    tcase_add_test(tc, no_finalizers);
    tcase_add_test(tc, load_file_text_only);
    tcase_add_test(tc, grow_within_the_cap);
    return sandbox_test_run(tc);
}
