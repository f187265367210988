/* engine_load_test.c - rules load with checked metadata: every metadata error
 * names its field, a duplicate id is refused, a folder loads sorted with the
 * hash of each file. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_test_util.h"

/* ---- metadata ----------------------------------------------------------- */

START_TEST(metadata_errors_name_the_field)
{
    static const struct {
        const char *file, *needle;
    } cases[] = {
        {"bad/no_title.lua", "field 'title'"},
        {"bad/bad_id.lua", "field 'id': 'Bad.ID'"},
        {"bad/bad_criterion.lua", "field 'criterion'"},
        {"bad/no_source.lua", "field 'legal_basis.source'"},
        {"bad/bad_reads.lua", "field 'reads[2]': 'programmas'"},
        {"bad/handler_not_read.lua", "field 'on_krediet': handler for 'krediet', which is not in reads"},
        {"bad/bad_years.lua", "field 'years.to'"},
        {"bad/float_arg.lua", "field 'args.drempel'"},
        {"bad/unknown_field.lua", "unknown field 'param'"},
        {"bad/missing_param.lua", "field 'params[1]': parameter table 'bestaat_niet'"},
        {"bad/returns_nil.lua", "must return the rule table"},
        {"bad/syntax_error.lua", "syntax_error.lua:3:"},
        {"bad/undeclared.lua", "undeclared.lua:3: undeclared global 'titel'"},
        {"bad/requires_unread.lua", "field 'requires[2]': 'xaf.trLine' is not in reads"},
        {"bad/requires_unknown.lua", "field 'requires[1]': 'xaf.trline' is not a record type"},
        {"bad/requires_string.lua", "field 'requires': must be a list of record types"},
        {"bad/where_unread.lua", "field 'where': 'xaf.trLine' is not in reads"},
        {"bad/where_amount.lua", "field 'where[\"xaf.trLine\"].amnt': must be true"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rhv_engine *e = mk_engine();
        ck_assert_int_eq(engine_load_file(e, fx(cases[i].file)), -1);
        ck_assert_uint_eq(engine_rule_count(e), 1);
        const rhv_rule_info *r = engine_rule(e, 0);
        ck_assert_int_eq(r->status, RULE_ERROR);
        ck_assert_msg(strstr(r->message, cases[i].needle), "%s: '%s' lacks '%s'", cases[i].file, r->message,
                      cases[i].needle);
        /* the message names the file too */
        ck_assert_msg(strstr(r->message, strrchr(cases[i].file, '/') + 1), "%s", r->message);
        ck_assert_uint_ge(diag.errors, 1);
        engine_free(e);
    }
}
END_TEST

START_TEST(duplicate_id)
{
    rhv_engine *e = mk_engine();
    ck_assert_int_eq(engine_load_file(e, fx("bad/dup_a.lua")), 0);
    ck_assert_int_eq(engine_load_file(e, fx("bad/dup_b.lua")), -1);
    ck_assert_uint_eq(engine_rule_count(e), 2);
    int errors = 0;
    for (size_t i = 0; i < 2; i++)
        if (engine_rule(e, i)->status == RULE_ERROR) {
            errors++;
            ck_assert_ptr_nonnull(strstr(engine_rule(e, i)->message, "duplicate rule id 'bad.dup'"));
            ck_assert_ptr_nonnull(strstr(engine_rule(e, i)->message, "dup_a.lua"));
        }
    ck_assert_int_eq(errors, 1);
    engine_free(e);
}
END_TEST

START_TEST(load_dir_sorted_with_hashes)
{
    rhv_engine *e = mk_engine();
    ck_assert_int_eq(engine_load_dir(e, fx("ok")), 0);
    ck_assert_uint_eq(engine_rule_count(e), 3);
    ck_assert_str_eq(engine_rule(e, 0)->id, "fx.alpha");
    ck_assert_str_eq(engine_rule(e, 1)->id, "fx.beta");
    ck_assert_str_eq(engine_rule(e, 2)->id, "fx.gamma");
    ck_assert_int_eq(engine_rule(e, 1)->crit, CRIT_VOORWAARDEN);
    ck_assert_str_eq(engine_rule(e, 0)->title, "Fixture: lasten boven begroting");
    for (size_t i = 0; i < 3; i++) {
        ck_assert_int_eq(engine_rule(e, i)->status, RULE_OK);
        ck_assert_uint_eq(strlen(engine_rule(e, i)->sha256), 64);
    }
    /* params used by the rules, hashed */
    ck_assert_uint_eq(engine_param_count(e), 1);
    ck_assert_str_eq(engine_param(e, 0)->name, "fx_drempel");
    ck_assert_uint_eq(strlen(engine_param(e, 0)->sha256), 64);
    ck_assert_int_eq(engine_load_dir(e, fx("nope")), -1);
    engine_free(e);
}
END_TEST

int main(void)
{
    engine_test_setup();
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, metadata_errors_name_the_field);
    tcase_add_test(tc, duplicate_id);
    tcase_add_test(tc, load_dir_sorted_with_hashes);
    return engine_test_run(tc);
}
