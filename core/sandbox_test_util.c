/* sandbox_test_util.c - see sandbox_test_util.h */
#include "sandbox_test_util.h"

#include <lua.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"

sandbox *sb;
lua_State *L;

void setup(void)
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

void teardown(void)
{
    sandbox_free(sb);
    sb = NULL;
}

/* Runs a chunk; returns the status, *err gets the message (or NULL). The
 * stack is left as it was. */
int run(const char *code, char **err)
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
int truthy(const char *code)
{
    char *err = NULL;
    ck_assert_int_eq(sandbox_load_buffer(sb, code, strlen(code), "@rules/t.lua", &err), 0);
    int st = sandbox_pcall(sb, 0, 1, &err);
    ck_assert_msg(st == LUA_OK, "chunk failed: %s", err ? err : "?");
    int r = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return r;
}

void expect_error(const char *code, const char *needle)
{
    char *err = NULL;
    int st = run(code, &err);
    ck_assert_msg(st != LUA_OK, "expected an error from: %s", code);
    ck_assert_ptr_nonnull(err);
    ck_assert_msg(strstr(err, needle), "error '%s' lacks '%s'", err, needle);
    free(err);
}

int sandbox_test_run(TCase *tc)
{
    Suite *s = suite_create("sandbox");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    return check_run(s);
}
