/* lua_fields_test.c - the one table checker: keys, types, text, raw reads,
 * copies that outlive the table, bounded walks and lists. */
#include "lua_fields.h"

#include <check.h>
#include <lauxlib.h>
#include <lualib.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"

enum { A_NAME, A_N, A_ON, A_SUB, A_NOTE, A_COUNT };
static const lf_field fmt[] = {
    [A_NAME] = {"name", LF_STRING, LF_REQUIRED | LF_NONEMPTY | LF_TEXT},
    [A_N] = {"n", LF_INTEGER, LF_REQUIRED},
    [A_ON] = {"on", LF_BOOLEAN, 0},
    [A_SUB] = {"sub", LF_TABLE, 0},
    [A_NOTE] = {"note", LF_STRING, LF_TEXT | LF_MULTILINE},
    [A_COUNT] = {NULL, 0, 0},
};

static lua_State *L;

/* Evaluates `return <expr>` and leaves the value at the top. */
static void push(const char *expr)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "return %s", expr);
    ck_assert_int_eq(luaL_dostring(L, buf), LUA_OK);
}

static lf_problem check_expr(const char *expr, lf_value *v, lf_result *res, unsigned opts)
{
    lua_settop(L, 0);
    push(expr);
    return lf_check(L, 1, fmt, opts, v, res);
}

static void setup(void)
{
    L = luaL_newstate();
    luaL_openlibs(L);
}

static void teardown(void)
{
    lua_close(L);
}

START_TEST(good_table_values_taken)
{
    lf_value v[A_COUNT];
    lf_result res;
    ck_assert_int_eq(check_expr("{ name = 'x', n = 3, on = true, sub = { 1 }, note = 'a\\nb' }", v, &res, 0), LF_OK);
    ck_assert_int_eq(res.field, -1);
    ck_assert_str_eq(v[A_NAME].s, "x");
    ck_assert_int_eq(v[A_N].i, 3);
    ck_assert_int_eq(v[A_ON].i, 1);
    ck_assert_str_eq(v[A_NOTE].s, "a\nb");
    /* the table value stays on the stack, found without a second lookup */
    ck_assert_int_gt(v[A_SUB].idx, 1);
    ck_assert_int_eq(lua_type(L, v[A_SUB].idx), LUA_TTABLE);
    ck_assert_int_eq(lua_rawlen(L, v[A_SUB].idx), 1);
    lf_free(v, A_COUNT);
    ck_assert_ptr_null(v[A_NAME].s);
}
END_TEST

START_TEST(problems_in_order)
{
    lf_value v[A_COUNT];
    lf_result res;
    /* key problems first, the least unknown key named: integers, then strings */
    ck_assert_int_eq(check_expr("{ zeta = 1, alpha = 2, n = 1.5 }", v, &res, 0), LF_UNKNOWN_KEY);
    ck_assert_str_eq(res.key, "alpha");
    lf_free(v, A_COUNT);
    ck_assert_int_eq(check_expr("{ zeta = 1, [7] = 2, [3] = 1 }", v, &res, 0), LF_KEY_NOT_STRING);
    ck_assert_str_eq(res.key, "[3]");
    lf_free(v, A_COUNT);
    /* LF_OPEN: other keys are the caller's; then fields in format order */
    ck_assert_int_eq(check_expr("{ zeta = 1, n = 1.5 }", v, &res, LF_OPEN), LF_MISSING);
    ck_assert_int_eq(res.field, A_NAME);
    ck_assert_int_eq(v[A_N].problem, LF_WRONG_TYPE);
    ck_assert_str_eq(lf_type_word(&v[A_N]), "float");
    lf_free(v, A_COUNT);
    ck_assert_int_eq(check_expr("{ name = '', n = 1 }", v, &res, 0), LF_EMPTY);
    lf_free(v, A_COUNT);
    ck_assert_int_eq(check_expr("{ name = 'a', n = 1, on = 'yes' }", v, &res, 0), LF_WRONG_TYPE);
    ck_assert_int_eq(res.field, A_ON);
    lf_free(v, A_COUNT);
    ck_assert_int_eq(check_expr("42", v, &res, 0), LF_NOT_TABLE);
    lf_free(v, A_COUNT);
}
END_TEST

START_TEST(text_checks)
{
    lf_value v[A_COUNT];
    lf_result res;
    ck_assert_int_eq(check_expr("{ name = 'a\\nUitkomst: binnen', n = 1 }", v, &res, 0), LF_LINE_BREAK);
    ck_assert_int_eq(v[A_NAME].at, 1);
    lf_free(v, A_COUNT);
    ck_assert_int_eq(check_expr("{ name = 'ab\\27[2J', n = 1 }", v, &res, 0), LF_CONTROL);
    ck_assert_int_eq(v[A_NAME].at, 2);
    ck_assert_int_eq(v[A_NAME].ch, 27);
    lf_free(v, A_COUNT);
    ck_assert_int_eq(check_expr("{ name = 'a', n = 1, note = 'x\\ry' }", v, &res, 0), LF_CONTROL);
    lf_free(v, A_COUNT);
    /* C1 CSI as UTF-8, a tab, DEL */
    size_t at;
    ck_assert_int_eq(lf_text_problem("a\xc2\x9b" "2J", 5, true, &at), LF_CONTROL);
    ck_assert_int_eq(at, 1);
    ck_assert_int_eq(lf_text_problem("a\tb", 3, true, &at), LF_CONTROL);
    ck_assert_int_eq(lf_text_problem("a\x7f", 2, true, &at), LF_CONTROL);
    ck_assert_int_eq(lf_text_problem("\xe2\x82\xac 5", 5, false, &at), LF_OK); /* UTF-8 text is fine */
    ck_assert_int_eq(lf_text_problem("a\0b", 3, true, &at), LF_CONTROL);
    char buf[16];
    lf_printable("a\nb\x1b", 4, buf, sizeof buf);
    ck_assert_str_eq(buf, "a?b?");
}
END_TEST

/* __index and __len never run: a field only there is missing. */
START_TEST(raw_reads_only)
{
    lf_value v[A_COUNT];
    lf_result res;
    lua_settop(L, 0);
    push("setmetatable({ n = 1 }, { __index = function(_, k) error('ran __index for ' .. k) end })");
    ck_assert_int_eq(lf_check(L, 1, fmt, 0, v, &res), LF_MISSING);
    ck_assert_int_eq(res.field, A_NAME);
    lf_free(v, A_COUNT);
    lua_settop(L, 0);
    push("setmetatable({ 1, 2 }, { __len = function() return math.maxinteger end })");
    ck_assert_int_eq(lf_list_len(L, 1, 1000), 2);
    lua_settop(L, 0);
    push("(function() local t = {} for i = 1, 1001 do t[i] = i end return t end)()");
    ck_assert_int_eq(lf_list_len(L, 1, 1000), -1);
    ck_assert_int_eq(lf_list_len(L, 1, 1001), 1001);
}
END_TEST

/* The copy outlives the string: the table and the string are collected. */
START_TEST(copies_outlive_the_table)
{
    lf_value v[A_COUNT];
    lf_result res;
    lua_settop(L, 0);
    push("{ name = ('wet '):rep(100), n = 1 }");
    ck_assert_int_eq(lf_check(L, 1, fmt, 0, v, &res), LF_OK);
    lua_settop(L, 0);
    lua_gc(L, LUA_GCCOLLECT);
    push("('x'):rep(400)"); /* reuse the freed memory */
    ck_assert_uint_eq(v[A_NAME].len, 400);
    ck_assert_int_eq(strncmp(v[A_NAME].s, "wet wet ", 8), 0);
    lf_free(v, A_COUNT);
}
END_TEST

START_TEST(walk_is_bounded)
{
    lf_value v[A_COUNT];
    lf_result res;
    lua_settop(L, 0);
    push("(function() local t = { name = 'a', n = 1 } for i = 1, 20000 do t['k' .. i] = i end return t end)()");
    ck_assert_int_eq(lf_check(L, 1, fmt, LF_OPEN, v, &res), LF_TOO_MANY_KEYS);
    lf_free(v, A_COUNT);
    ck_assert_int_eq(lua_gettop(L), 1); /* the walk left nothing behind */
}
END_TEST

int main(void)
{
    Suite *s = suite_create("lua_fields");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, good_table_values_taken);
    tcase_add_test(tc, problems_in_order);
    tcase_add_test(tc, text_checks);
    tcase_add_test(tc, raw_reads_only);
    tcase_add_test(tc, copies_outlive_the_table);
    tcase_add_test(tc, walk_is_bounded);
    suite_add_tcase(s, tc);
    return check_run(s);
}
