/* engine_modules_test.c - library modules (field `uses`, rhv.lib): a declared
 * module loads once per rule and is listed with its digest; a missing one, a
 * bad name, a syntax error, an error while loading, an undeclared use, too
 * many or a twice-listed module make the rule an error that says which and
 * where. Fixtures: tests/fixtures/rules/modules (its plugins/lib holds the
 * modules). */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "engine_test_util.h"

static char modplug[4096];

static rhv_engine *mk_mod_engine(void)
{
    snprintf(modplug, sizeof modplug, "%s/modules/plugins", fixdir);
    rhv_engine_opts o = {.mem_limit = 16u << 20, .instr_budget = 2000000, .plugins_dir = modplug,
                         .params_dir = pardir, .diag = &diag};
    rhv_engine *e = engine_new(&o);
    ck_assert_ptr_nonnull(e);
    return e;
}

START_TEST(declared_module_loads_and_is_listed)
{
    static const char *const files[] = {"modules/uses_ok.lua", "modules/uses_late.lua"};
    rhv_engine *e = mk_mod_engine();
    for (size_t i = 0; i < 2; i++) {
        ck_assert_int_eq(engine_load_file(e, fx(files[i])), 0);
        ck_assert_int_eq(engine_rule(e, i)->status, RULE_OK);
    }
    /* one entry for the two rules: the bytes were read once */
    ck_assert_uint_eq(engine_module_count(e), 1);
    const rhv_module_info *m = engine_module(e, 0);
    ck_assert_str_eq(m->name, "fx_som");
    ck_assert_ptr_nonnull(strstr(m->file, "modules/plugins/lib/fx_som.lua"));
    ck_assert_uint_eq(strlen(m->sha256), 64);
    ck_assert_int_eq(engine_start(e, 2024, 0xffffffffu), 0);
    programma(e, "P1", "Veiligheid", 100, 250, 3);
    engine_finish(e);
    ck_assert_uint_eq(engine_finding_count(e), 2);
    for (size_t i = 0; i < 2; i++) {
        ck_assert_int_eq(engine_rule(e, i)->status, RULE_OK);
        ck_assert_int_eq(engine_finding(e, i)->amount, 500);
        ck_assert_str_eq(engine_finding(e, i)->subject, "Programma € 1,00 P1");
    }
    engine_free(e);
}
END_TEST

START_TEST(module_errors_say_which_and_where)
{
    static const struct {
        const char *file, *needle;
    } cases[] = {
        {"modules/uses_missing.lua", "field 'uses[2]': rhv.lib.fx_bestaat_niet: cannot read the module file"},
        {"modules/uses_missing.lua", "modules/plugins/lib/fx_bestaat_niet.lua"},
        {"modules/uses_bad_name.lua", "field 'uses[1]': 'Fx-som' is not a module name"},
        {"modules/uses_syntax.lua", "field 'uses[2]': "},
        {"modules/uses_syntax.lua", "fx_kapot.lua:4:"},
        {"modules/uses_raises.lua", "fx_fout.lua:3: fx_fout gaat mis"},
        {"modules/uses_undeclared.lua", "field 'uses': the rule uses rhv.lib.fx_som but does not list 'fx_som'"},
        {"modules/uses_too_many.lua", "field 'uses': must be a list of at most 8 module names"},
        {"modules/uses_twice.lua", "field 'uses[2]': 'fx_som' is listed twice"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rhv_engine *e = mk_mod_engine();
        ck_assert_int_eq(engine_load_file(e, fx(cases[i].file)), -1);
        const rhv_rule_info *r = engine_rule(e, 0);
        ck_assert_int_eq(r->status, RULE_ERROR);
        ck_assert_msg(strstr(r->message, cases[i].needle), "%s: '%s' lacks '%s'", cases[i].file, r->message,
                      cases[i].needle);
        /* the message names the rule's file too */
        ck_assert_msg(strstr(r->message, strrchr(cases[i].file, '/') + 1), "%s", r->message);
        engine_free(e);
    }
}
END_TEST

/* A module not declared and first touched in a handler: the rule's error,
 * at the line that touched it. */
START_TEST(undeclared_in_handler_is_a_rule_error)
{
    rhv_engine *e = mk_mod_engine();
    ck_assert_int_eq(engine_load_file(e, fx("modules/uses_handler_undeclared.lua")), 0);
    ck_assert_uint_eq(engine_module_count(e), 0);
    ck_assert_int_eq(engine_start(e, 2024, 0xffffffffu), 0);
    programma(e, "P1", "Veiligheid", 100, 250, 3);
    engine_finish(e);
    const rhv_rule_info *r = engine_rule(e, 0);
    ck_assert_int_eq(r->status, RULE_ERROR);
    ck_assert_msg(strstr(r->message, "uses_handler_undeclared.lua:14: rhv.lib.fx_som: the rule does not list "
                                     "'fx_som' in its field 'uses'"), "%s", r->message);
    engine_free(e);
}
END_TEST

int main(void)
{
    engine_test_setup();
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, declared_module_loads_and_is_listed);
    tcase_add_test(tc, module_errors_say_which_and_where);
    tcase_add_test(tc, undeclared_in_handler_is_a_rule_error);
    return engine_test_run(tc);
}
