/* cmd_test_test.c - `rhv test` against tests/fixtures/rules/ruletest: the
 * output lines, the summary and the exit code. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_run.h"
#include "commands.h"
#include "paths.h"
#include "test_capture.h"

static char dir[2048], pdir[2048];
static char out[65536];

/* Run cmd_test with stdout captured into out; returns its exit code. */
static int run(int n, const char **args)
{
    char *argv[16];
    argv[0] = "test";
    argv[1] = "--rules-dir";
    argv[2] = dir;
    argv[3] = "--params-dir";
    argv[4] = pdir;
    for (int i = 0; i < n; i++)
        argv[5 + i] = (char *)args[i];
    return capture_stdout(cmd_test, 5 + n, argv, out, sizeof out);
}

static void has(const char *needle)
{
    ck_assert_msg(strstr(out, needle), "output lacks '%s':\n%s", needle, out);
}

START_TEST(good_rule_passes)
{
    const char *a[] = {"rt.good"};
    ck_assert_int_eq(run(1, a), 0);
    has("rt.good.binnen: PASS\n");
    has("rt.good.twee_over: PASS\n");
    has("rt.good.precies: PASS\n");
    has("rt.good.param_vervangen: PASS\n");
    has("rt.good.ander_jaar: PASS\n");
    /* the summary is the last line */
    size_t l = strlen(out);
    ck_assert(l > 20);
    ck_assert_str_eq(out + l - strlen("5 passed, 0 failed\n"), "5 passed, 0 failed\n");
}
END_TEST

START_TEST(failures_reported)
{
    ck_assert_int_eq(run(0, NULL), 1);
    has("rt.wrong.klopt: PASS\n");
    has("rt.wrong.verwacht_anders: FAIL\n");
    has("    expected (2):\n");
    has("      - fout \"3\" 5\n");
    has("      + signalering \"2\" 0\n");
    has("rt.wrong.onbekend_veld: FAIL\n    records[1] (medewerker): unknown field 'uur'\n");
    has("rt.wrong.float_uren: FAIL\n    records[1] (medewerker): field 'uren' must be an integer (scaled decimal), got float\n");
    has("rt.wrong.datum: FAIL\n    records[1] (medewerker): field 'begin' must be a date string YYYY-MM-DD");
    has("rt.wrong.ontbreekt: FAIL\n    records[1] (medewerker): required field 'categorie' missing\n");
    has("rt.wrong.fout_in_regel: FAIL\n");
    has("wrong.lua:13: ontploft");
    has("rt.wrong.vreemd: FAIL\n    unknown field 'recordz'");
    has("rt.wrong: FAIL\n    no case of class 'boundary' in wrong_test.lua");
    has("rt.notest: FAIL\n    no test file ");
    has("rt.noclass: FAIL\n    no case of class 'boundary'");
    has("rt.good.binnen: PASS\n");
    /* 5 good + 1 klopt; 7 wrong cases + wrong/noclass classes + notest */
    has("\n8 passed, 10 failed\n");
}
END_TEST

START_TEST(unknown_rule_named)
{
    const char *a[] = {"rt.bestaat_niet"};
    ck_assert_int_eq(run(1, a), 1);
    has("rt.bestaat_niet: FAIL\n    no such rule in ");
    has("0 passed, 1 failed\n");
    const char *b[] = {"good"};
    ck_assert_int_eq(run(1, b), 0); /* by file name */
    has("5 passed, 0 failed\n");
}
END_TEST

int main(void)
{
    const char *home = rhv_home();
    snprintf(dir, sizeof dir, "%s/tests/fixtures/rules/ruletest", home);
    snprintf(pdir, sizeof pdir, "%s/tests/fixtures/rules/params", home);
    Suite *s = suite_create("cmd_test");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, good_rule_passes);
    tcase_add_test(tc, failures_reported);
    tcase_add_test(tc, unknown_rule_named);
    suite_add_tcase(s, tc);
    return check_run(s);
}
