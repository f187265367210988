/* cmd_rules_test.c - `rhv rules new` writes a rule whose cases pass; list and
 * show print what the engine loaded; bad ids and existing files are refused. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_run.h"
#include "commands.h"
#include "paths.h"
#include "test_capture.h"

static char tmp[64];
static char out[65536];
static char pdir[2048];

/* Run f(argc, argv) with stdout captured into out. */
static int capture(int (*f)(int, char **), int argc, const char **argv)
{
    return capture_stdout(f, argc, (char **)argv, out, sizeof out);
}

static void setup(void)
{
    snprintf(tmp, sizeof tmp, "/tmp/rhv_rulesXXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmp));
}

static void teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    ck_assert_int_eq(system(cmd), 0);
}

START_TEST(new_rule_passes_its_tests)
{
    const char *nw[] = {"rules", "new", "demo.lasten", "--rules-dir", tmp};
    ck_assert_int_eq(capture(cmd_rules, 5, nw), 0);
    ck_assert_ptr_nonnull(strstr(out, "demo.lasten.lua"));
    const char *t[] = {"test", "--rules-dir", tmp, "--params-dir", pdir};
    ck_assert_int_eq(capture(cmd_test, 5, t), 0);
    ck_assert_msg(strstr(out, "demo.lasten.binnen_begroting: PASS\n") &&
                      strstr(out, "demo.lasten.overschrijding: PASS\n") &&
                      strstr(out, "demo.lasten.precies_begroot: PASS\n") && strstr(out, "3 passed, 0 failed\n"),
                  "%s", out);
    /* never overwrites */
    ck_assert_int_eq(capture(cmd_rules, 5, nw), 2);
    const char *bad[] = {"rules", "new", "Demo-X", "--rules-dir", tmp};
    ck_assert_int_eq(capture(cmd_rules, 5, bad), 2);

    const char *ls[] = {"rules", "list", "--rules-dir", tmp, "--params-dir", pdir};
    ck_assert_int_eq(capture(cmd_rules, 6, ls), 0);
    ck_assert_msg(strstr(out, "demo.lasten") && strstr(out, "begrotingscriterium") && strstr(out, "2023-"), "%s",
                  out);
    const char *sh[] = {"rules", "show", "demo.lasten", "--rules-dir", tmp, "--params-dir", pdir};
    ck_assert_int_eq(capture(cmd_rules, 7, sh), 0);
    ck_assert_msg(strstr(out, "reads:       programma") && strstr(out, "args:        drempel=0"), "%s", out);
    const char *none[] = {"rules", "show", "demo.nope", "--rules-dir", tmp, "--params-dir", pdir};
    ck_assert_int_eq(capture(cmd_rules, 7, none), 2);
    const char *usage[] = {"rules", "frobnicate"};
    ck_assert_int_eq(capture(cmd_rules, 2, usage), 2);
}
END_TEST

START_TEST(show_params_for_a_year)
{
    char dir[2100];
    snprintf(dir, sizeof dir, "%s/tests/fixtures/rules/ok", rhv_home());
    const char *sh[] = {"rules", "show", "fx.beta", "--rules-dir", dir, "--params-dir", pdir, "--year", "2024"};
    ck_assert_int_eq(capture(cmd_rules, 9, sh), 0);
    ck_assert_msg(strstr(out, "param fx_drempel") && strstr(out, "{ leveringen = 30000000 }") &&
                      !strstr(out, "21500000"),
                  "%s", out);
    const char *sh2[] = {"rules", "show", "fx.beta", "--rules-dir", dir, "--params-dir", pdir, "--year", "2019"};
    ck_assert_int_eq(capture(cmd_rules, 9, sh2), 2); /* no value for 2019 */
    ck_assert_ptr_nonnull(strstr(out, "geen waarde voor boekjaar 2019"));
}
END_TEST

int main(void)
{
    snprintf(pdir, sizeof pdir, "%s/tests/fixtures/rules/params", rhv_home());
    Suite *s = suite_create("cmd_rules");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, new_rule_passes_its_tests);
    tcase_add_test(tc, show_params_for_a_year);
    suite_add_tcase(s, tc);
    return check_run(s);
}
