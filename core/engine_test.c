/* engine_test.c - rules run isolated and hand back owned findings: errors
 * stay in their rule, budgets and memory are per rule, rules are skipped by
 * year, source and requires, params reach ctx, findings are checked. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_test_util.h"

/* ---- running ------------------------------------------------------------ */

START_TEST(findings_copied)
{
    rhv_engine *e = mk_engine();
    ck_assert_int_eq(engine_load_file(e, fx("ok/alpha.lua")), 0);
    ck_assert_int_eq(engine_start(e, 2023, SRC_DOSSIER), 0);
    programma(e, "1", "Bestuur", 100000, 100000, 10);
    programma(e, "10", "Werk", 100000, 123456, 11);
    programma(e, "2", "Zorg", 500, 600, 12);
    engine_finish(e);
    ck_assert_int_eq(engine_rule(e, 0)->status, RULE_OK);
    ck_assert_ptr_null(engine_rule(e, 0)->message);
    ck_assert_uint_eq(engine_finding_count(e), 2);
    /* sorted by subject with numbers by value: 2 before 10 */
    const rhv_finding *f = engine_finding(e, 0);
    ck_assert_str_eq(f->subject, "Programma 2 Zorg");
    ck_assert_int_eq(f->amount, 100);
    f = engine_finding(e, 1);
    ck_assert_str_eq(f->rule, "fx.alpha");
    ck_assert_int_eq(f->crit, CRIT_BEGROTING);
    ck_assert_int_eq(f->kind, KIND_FOUT);
    ck_assert_int_eq(f->amount, 23456);
    ck_assert(f->counts);
    ck_assert_str_eq(f->subject, "Programma 10 Werk");
    ck_assert_str_eq(f->message, "Lasten € 234,56 boven de begroting.");
    ck_assert_str_eq(f->toelichting, "realisatie 1234.56 - begroot 1000.00");
    ck_assert_uint_eq(f->nev, 1);
    ck_assert_str_eq(f->ev[0].file, "dossier.xml");
    ck_assert_int_eq(f->ev[0].line, 11);
    ck_assert_str_eq(f->ev[0].key, "programma 10");
    engine_free(e);
}
END_TEST

START_TEST(error_isolated_with_traceback)
{
    rhv_engine *e = mk_engine();
    ck_assert_int_eq(engine_load_file(e, fx("bad/raises.lua")), 0);
    ck_assert_int_eq(engine_load_file(e, fx("ok/alpha.lua")), 0);
    ck_assert_int_eq(engine_start(e, 2023, SRC_DOSSIER), 0);
    for (int i = 1; i <= 3; i++) {
        char code[4];
        snprintf(code, sizeof code, "%d", i);
        programma(e, code, "P", 10, 20, i);
    }
    engine_finish(e);
    const rhv_rule_info *bad = rule_by_id(e, "bad.raises");
    ck_assert_int_eq(bad->status, RULE_ERROR);
    ck_assert_msg(strstr(bad->message, "raises.lua:11: kapot bij programma 2"), "%s", bad->message);
    ck_assert_msg(strstr(bad->message, "stack traceback:"), "%s", bad->message);
    ck_assert_int_eq(rule_by_id(e, "fx.alpha")->status, RULE_OK);
    ck_assert_uint_eq(engine_finding_count(e), 3);
    for (size_t i = 0; i < 3; i++)
        ck_assert_str_eq(engine_finding(e, i)->rule, "fx.alpha");
    ck_assert(diag_contains(&diag, "kapot bij programma 2"));
    engine_free(e);
}
END_TEST

START_TEST(optional_fields_reset_between_records)
{
    rhv_engine *e = mk_engine();
    ck_assert_int_eq(engine_load_file(e, fx("bad/optional_reset.lua")), 0);
    ck_assert_int_eq(engine_start(e, 2023, SRC_DOSSIER), 0);
    programma_cat(e, "1", "open_einde");
    programma_cat(e, "2", NULL);
    engine_finish(e);
    ck_assert_msg(engine_rule(e, 0)->status == RULE_OK, "%s", engine_rule(e, 0)->message);
    ck_assert_uint_eq(engine_finding_count(e), 2);
    ck_assert_str_eq(engine_finding(e, 0)->subject, "1:open_einde");
    ck_assert_str_eq(engine_finding(e, 1)->subject, "2:nil");
    engine_free(e);

    e = mk_engine();
    ck_assert_int_eq(engine_load_file(e, fx("bad/optional_reset.lua")), 0);
    ck_assert_int_eq(engine_start(e, 2023, SRC_DOSSIER), 0);
    programma_cat(e, "3", NULL);
    engine_finish(e);
    ck_assert_int_eq(engine_rule(e, 0)->status, RULE_ERROR);
    ck_assert_msg(strstr(engine_rule(e, 0)->message, "optional_reset.lua:14: a programma record is read-only"), "%s",
                  engine_rule(e, 0)->message);
    engine_free(e);
}
END_TEST

START_TEST(where_filters_records)
{
    /* Records failing a `where` condition never reach the handler, in-line
     * and through the worker queue, yet count as received. */
    for (int threads = 0; threads <= 2; threads += 2) {
        rhv_engine *e = mk_engine_threads(threads);
        ck_assert_int_eq(engine_load_file(e, fx("lazy/where.lua")), 0);
        ck_assert_int_eq(engine_start(e, 2023, SRC_LEDGER), 0);
        trline(e, "S1", 1, "D");
        trline(e, "S2", 2, "C");
        trline(e, NULL, 3, "D");
        trline(e, "S4", 4, "D");
        engine_finish(e);
        ck_assert_msg(engine_rule(e, 0)->status == RULE_OK, "%s", engine_rule(e, 0)->message);
        ck_assert_uint_eq(engine_finding_count(e), 2);
        ck_assert_str_eq(engine_finding(e, 0)->subject, "S1:D");
        ck_assert_str_eq(engine_finding(e, 1)->subject, "S4:D");
        ck_assert_uint_eq(engine_rule_records(e, 0), 4);
        engine_free(e);
    }
}
END_TEST

START_TEST(record_fields_learnt)
{
    /* Only fields a rule has read are set per record; every read sees the
     * current record all the same (tests/fixtures/rules/lazy/fields.lua). */
    for (int threads = 0; threads <= 1; threads++) {
        rhv_engine *e = mk_engine_threads(threads);
        ck_assert_int_eq(engine_load_file(e, fx("lazy/fields.lua")), 0);
        ck_assert_int_eq(engine_start(e, 2023, SRC_LEDGER), 0);
        trline(e, "S1", 1, "D");
        trline(e, "S2", 2, "D");
        trline(e, NULL, 3, "D");
        trline(e, "S4", 4, "C");
        trline(e, "S5", 5, "D");
        engine_finish(e);
        ck_assert_msg(engine_rule(e, 0)->status == RULE_OK, "%s", engine_rule(e, 0)->message);
        ck_assert_uint_eq(engine_finding_count(e), 5);
        ck_assert_str_eq(engine_finding(e, 0)->subject, "a:1");
        ck_assert_str_eq(engine_finding(e, 1)->subject, "b:S2:100:xaf.trLine");
        ck_assert_str_eq(engine_finding(e, 2)->subject, "c:nil:nil:nil:3");
        ck_assert_str_eq(engine_finding(e, 3)->subject,
                         "d:_type=xaf.trLine,jrnID=70,amnt=4,amntTp=C,custSupID=S4,_file=ledger.xaf,_line=100");
        ck_assert_str_eq(engine_finding(e, 4)->subject, "e:ledger.xaf:S5:ledger.xaf");
        engine_free(e);
    }
    /* A record kept past its call: what was read keeps its last value, what
     * was not cannot be read any more, and says so. */
    rhv_engine *e = mk_engine();
    ck_assert_int_eq(engine_load_file(e, fx("lazy/fields.lua")), 0);
    ck_assert_int_eq(engine_set_rule_arg(e, "lazy.fields.keep=true"), 0);
    ck_assert_int_eq(engine_start(e, 2023, SRC_LEDGER), 0);
    trline(e, "S5", 5, "D");
    engine_finish(e);
    ck_assert_int_eq(engine_rule(e, 0)->status, RULE_ERROR);
    ck_assert_msg(strstr(engine_rule(e, 0)->message, "fields.lua:43: a xaf.trLine record can be read only in the "
                                                     "handler call it was passed to"),
                  "%s", engine_rule(e, 0)->message);
    engine_free(e);
}
END_TEST

START_TEST(budget_and_memory_per_rule)
{
    rhv_engine *e = mk_engine();
    ck_assert_int_eq(engine_load_file(e, fx("bad/runaway.lua")), 0);
    ck_assert_int_eq(engine_load_file(e, fx("bad/memhog.lua")), 0);
    ck_assert_int_eq(engine_load_file(e, fx("ok/alpha.lua")), 0);
    ck_assert_int_eq(engine_start(e, 2023, SRC_DOSSIER), 0);
    programma(e, "1", "P", 10, 20, 1);
    programma(e, "2", "Q", 10, 30, 2);
    engine_finish(e);
    const rhv_rule_info *r = rule_by_id(e, "bad.runaway");
    ck_assert_int_eq(r->status, RULE_ERROR);
    ck_assert_msg(strstr(r->message, "instruction budget of 2000000 exceeded"), "%s", r->message);
    ck_assert_msg(strstr(r->message, "runaway.lua:"), "%s", r->message);
    r = rule_by_id(e, "bad.memhog");
    ck_assert_int_eq(r->status, RULE_ERROR);
    ck_assert_msg(strstr(r->message, "memory limit of 8388608 bytes exceeded"), "%s", r->message);
    for (size_t i = 0; i < engine_rule_count(e); i++)
        ck_assert_uint_le(engine_rule_mem_peak(e, i), 8u * 1024 * 1024);
    ck_assert_str_eq(engine_rule(e, 0)->id, "bad.memhog");
    ck_assert_uint_gt(engine_rule_mem_peak(e, 0), 7u * 1024 * 1024); /* memhog, kept after its state went */
    ck_assert_int_eq(rule_by_id(e, "fx.alpha")->status, RULE_OK);
    ck_assert_uint_eq(engine_finding_count(e), 2);
    engine_free(e);
}
END_TEST

START_TEST(finish_gets_a_larger_budget)
{
    rhv_engine *e = mk_engine();
    ck_assert_int_eq(engine_load_file(e, fx("bad/long_finish.lua")), 0);
    ck_assert_int_eq(engine_load_file(e, fx("bad/endless_finish.lua")), 0);
    ck_assert_int_eq(engine_start(e, 2023, SRC_DOSSIER), 0);
    engine_finish(e);
    const rhv_rule_info *r = rule_by_id(e, "bad.long_finish"); /* ~12M instructions > 2M per record */
    ck_assert_msg(r->status == RULE_OK, "%s", r->message);
    r = rule_by_id(e, "bad.endless_finish");
    ck_assert_int_eq(r->status, RULE_ERROR);
    ck_assert_msg(strstr(r->message, "instruction budget of 40000000 exceeded"), "%s", r->message);
    ck_assert_uint_eq(engine_finding_count(e), 1);
    ck_assert_str_eq(engine_finding(e, 0)->subject, "som 4500001500000");
    engine_free(e);
}
END_TEST

START_TEST(skipped_by_year_and_source)
{
    rhv_engine *e = mk_engine();
    ck_assert_int_eq(engine_load_file(e, fx("ok/alpha.lua")), 0);
    ck_assert_int_eq(engine_load_file(e, fx("bad/ledger_only.lua")), 0);
    ck_assert_int_eq(engine_start(e, 2022, SRC_DOSSIER | SRC_LEDGER), 0);
    ck_assert_int_eq(rule_by_id(e, "fx.alpha")->status, RULE_SKIPPED);
    ck_assert_str_eq(rule_by_id(e, "fx.alpha")->message, "niet van toepassing op boekjaar 2022");
    ck_assert_int_eq(rule_by_id(e, "bad.ledger_only")->status, RULE_SKIPPED);
    engine_free(e);

    e = mk_engine();
    ck_assert_int_eq(engine_load_file(e, fx("ok/alpha.lua")), 0);
    ck_assert_int_eq(engine_load_file(e, fx("bad/ledger_only.lua")), 0);
    ck_assert_int_eq(engine_load_file(e, fx("ok/gamma.lua")), 0);
    ck_assert_int_eq(engine_start(e, 2023, SRC_DOSSIER), 0);
    ck_assert_int_eq(rule_by_id(e, "fx.alpha")->status, RULE_OK);
    ck_assert_int_eq(rule_by_id(e, "bad.ledger_only")->status, RULE_SKIPPED);
    ck_assert_str_eq(rule_by_id(e, "bad.ledger_only")->message, "geen grootboek: leest alleen grootboekgegevens (XAF)");
    ck_assert_int_eq(rule_by_id(e, "fx.gamma")->status, RULE_OK); /* reads both: dossier present */
    engine_free(e);

    e = mk_engine();
    ck_assert_int_eq(engine_load_file(e, fx("ok/alpha.lua")), 0);
    ck_assert_int_eq(engine_start(e, 2023, SRC_LEDGER), 0);
    ck_assert_str_eq(rule_by_id(e, "fx.alpha")->message, "geen dossier: leest alleen dossiergegevens");
    programma(e, "1", "P", 10, 20, 1); /* not handed to a skipped rule */
    engine_finish(e);
    ck_assert_uint_eq(engine_finding_count(e), 0);
    engine_free(e);
}
END_TEST

static void contract(rhv_engine *e, const char *sup)
{
    const rhv_record_type *t = record_type_find("contract");
    for (int i = 0; i < t->nfields; i++)
        val_none(&pv[i]);
    val_str(&pv[record_field_index(t, "leverancier")], sup, strlen(sup));
    val_str(&pv[record_field_index(t, "contract_id")], "C1", 2);
    val_str(&pv[record_field_index(t, "procedure")], "europees", 8);
    val_str(&pv[record_field_index(t, "soort")], "werken", 6);
    val_str(&pv[record_field_index(t, "begin")], "2023-01-01", 10);
    val_int(&pv[record_field_index(t, "waarde")], VAL_MONEY, 100);
    rhv_record rec = {t, "dossier.xml", 40, pv};
    ck_assert_int_eq(engine_dispatch(e, &rec), 0);
}

static rhv_engine *requires_engine(void)
{
    rhv_engine *e = mk_engine();
    ck_assert_int_eq(engine_load_dir(e, fx("requires")), 0);
    ck_assert_int_eq(engine_load_file(e, fx("ok/alpha.lua")), 0);
    return e;
}

START_TEST(requires_skips_without_source)
{
    /* Dossier only: the contract records are there, but a rule that needs
     * the ledger lines must say so instead of passing on nothing. */
    rhv_engine *e = requires_engine();
    ck_assert_int_eq(engine_start(e, 2023, SRC_DOSSIER), 0);
    ck_assert_int_eq(rule_by_id(e, "fx.needs_ledger")->status, RULE_SKIPPED);
    ck_assert_str_eq(rule_by_id(e, "fx.needs_ledger")->message, "geen grootboek: vereist xaf.trLine");
    ck_assert_str_eq(rule_by_id(e, "fx.needs_both")->message, "geen grootboek: vereist xaf.trLine");
    ck_assert_int_eq(rule_by_id(e, "fx.alpha")->status, RULE_OK);
    contract(e, "S1");
    engine_finish(e);
    for (size_t i = 0; i < engine_finding_count(e); i++)
        ck_assert_str_ne(engine_finding(e, i)->rule, "fx.needs_ledger");
    engine_free(e);

    /* Ledger only: the dossier types are named in declaration order. */
    e = requires_engine();
    ck_assert_int_eq(engine_start(e, 2023, SRC_LEDGER), 0);
    ck_assert_int_eq(rule_by_id(e, "fx.needs_ledger")->status, RULE_OK);
    ck_assert_str_eq(rule_by_id(e, "fx.needs_both")->message, "geen dossier: vereist programma, contract");
    trline(e, "S1", 500, "D");
    engine_finish(e);
    ck_assert_uint_eq(engine_finding_count(e), 1);
    ck_assert_str_eq(engine_finding(e, 0)->message, "Contracten 0, regels 1.");
    engine_free(e);

    /* Before the year: without its data the rule runs in no year. */
    e = requires_engine();
    ck_assert_int_eq(engine_start(e, 2019, SRC_DOSSIER), 0);
    ck_assert_str_eq(rule_by_id(e, "fx.needs_ledger")->message, "geen grootboek: vereist xaf.trLine");
    engine_free(e);

    /* Both sources: both run and see their records. */
    e = requires_engine();
    ck_assert_int_eq(engine_start(e, 2023, SRC_DOSSIER | SRC_LEDGER), 0);
    ck_assert_int_eq(rule_by_id(e, "fx.needs_ledger")->status, RULE_OK);
    ck_assert_int_eq(rule_by_id(e, "fx.needs_both")->status, RULE_OK);
    contract(e, "S1");
    trline(e, "S1", 500, "D");
    engine_finish(e);
    ck_assert_uint_eq(engine_finding_count(e), 2);
    ck_assert_str_eq(engine_finding(e, 0)->rule, "fx.needs_both");
    ck_assert_str_eq(engine_finding(e, 1)->message, "Contracten 1, regels 1.");

    /* rhv rules show lists them. */
    size_t k = 0;
    while (strcmp(engine_rule(e, k)->id, "fx.needs_both") != 0)
        k++;
    rhv_rule_meta m;
    ck_assert_int_eq(engine_rule_meta(e, k, &m), 0);
    ck_assert_uint_eq(m.nrequires, 3);
    ck_assert_str_eq(m.requires[0], "programma");
    ck_assert_str_eq(m.requires[2], "xaf.trLine");
    engine_free(e);
}
END_TEST

START_TEST(aanbesteding_needs_the_ledger)
{
    /* The real rule: with a dossier alone (contract register, no ledger) it
     * would find nothing, which a controller reads as a pass. */
    char rules[4096], params[4096];
    snprintf(rules, sizeof rules, "%s/rules/aanbesteding.eu.lua", homedir);
    snprintf(params, sizeof params, "%s/params", homedir);
    diag_free(&diag);
    diag_init(&diag, NULL);
    rhv_engine_opts o = {.plugins_dir = plugdir, .params_dir = params, .diag = &diag};
    rhv_engine *e = engine_new(&o);
    ck_assert_ptr_nonnull(e);
    ck_assert_int_eq(engine_load_file(e, rules), 0);
    ck_assert_int_eq(engine_start(e, 2023, SRC_DOSSIER), 0);
    ck_assert_int_eq(engine_rule(e, 0)->status, RULE_SKIPPED);
    ck_assert_str_eq(engine_rule(e, 0)->message, "geen grootboek: vereist xaf.trLine");
    engine_free(e);

    e = engine_new(&o);
    ck_assert_int_eq(engine_load_file(e, rules), 0);
    ck_assert_int_eq(engine_start(e, 2023, SRC_LEDGER), 0);
    ck_assert_int_eq(engine_rule(e, 0)->status, RULE_OK);
    engine_finish(e);
    engine_free(e);
}
END_TEST

START_TEST(param_without_value_for_year)
{
    rhv_engine *e = mk_engine();
    ck_assert_int_eq(engine_load_file(e, fx("bad/needs_param.lua")), 0);
    ck_assert_int_eq(engine_start(e, 2030, SRC_DOSSIER), -1);
    const rhv_rule_info *r = engine_rule(e, 0);
    ck_assert_int_eq(r->status, RULE_ERROR);
    ck_assert_msg(strstr(r->message, "'fx_scalar'") && strstr(r->message, "2030"), "%s", r->message);
    engine_free(e);
}
END_TEST

START_TEST(params_in_ctx)
{
    rhv_engine *e = mk_engine();
    ck_assert_int_eq(engine_load_file(e, fx("ok/beta.lua")), 0);
    ck_assert_int_eq(engine_start(e, 2023, SRC_LEDGER), 0);
    trline(e, "S9", 20000000, "D");
    trline(e, "S1", 20000000, "D");
    trline(e, "S1", 2000000, "D");
    trline(e, "S9", 5000000, "D");
    trline(e, "S10", 99999999, "C");
    trline(e, NULL, 99999999, "D");
    trline(e, "S2", 21500000, "D"); /* exactly the drempel: not above */
    engine_finish(e);
    ck_assert_int_eq(engine_rule(e, 0)->status, RULE_OK);
    ck_assert_uint_eq(engine_finding_count(e), 2);
    ck_assert_str_eq(engine_finding(e, 0)->subject, "Leverancier S1");
    ck_assert_int_eq(engine_finding(e, 0)->amount, 22000000);
    ck_assert_str_eq(engine_finding(e, 1)->subject, "Leverancier S9");
    ck_assert_int_eq(engine_finding(e, 1)->kind, KIND_ONZEKERHEID);
    ck_assert_int_eq(engine_finding(e, 1)->crit, CRIT_VOORWAARDEN);
    engine_free(e);

    /* 2024: the open period's value */
    e = mk_engine();
    ck_assert_int_eq(engine_load_file(e, fx("ok/beta.lua")), 0);
    ck_assert_int_eq(engine_start(e, 2024, SRC_LEDGER), 0);
    trline(e, "S1", 25000000, "D");
    engine_finish(e);
    ck_assert_uint_eq(engine_finding_count(e), 0);
    engine_free(e);

    /* a scalar value arrives as .value with its source */
    e = mk_engine();
    ck_assert_int_eq(engine_load_file(e, fx("bad/scalar_param.lua")), 0);
    ck_assert_int_eq(engine_start(e, 2023, SRC_DOSSIER), 0);
    programma(e, "1", "P", 1, 1, 1);
    engine_finish(e);
    ck_assert_msg(engine_rule(e, 0)->status == RULE_OK, "%s", engine_rule(e, 0)->message);
    ck_assert_uint_eq(engine_finding_count(e), 1);
    ck_assert_int_eq(engine_finding(e, 0)->amount, 22300000);
    ck_assert_str_eq(engine_finding(e, 0)->subject, "fixture V 2023-2023");
    engine_free(e);
}
END_TEST

START_TEST(param_override_for_tests)
{
    rhv_engine *e = mk_engine();
    ck_assert_int_eq(engine_load_file(e, fx("ok/beta.lua")), 0);
    rhv_pentry ent = {{.kind = PV_STR, .s = "leveringen", .len = 10}, {.kind = PV_INT, .i = 100}};
    rhv_pvalue v = {.kind = PV_TABLE, .entries = &ent, .n = 1};
    ck_assert_int_eq(engine_set_param_value(e, "fx_drempel", &v), 0);
    ck_assert_int_eq(engine_start(e, 2023, SRC_LEDGER), 0);
    trline(e, "S1", 101, "D");
    engine_finish(e);
    ck_assert_uint_eq(engine_finding_count(e), 1);
    engine_free(e);
}
END_TEST

START_TEST(bad_findings)
{
    static const struct {
        const char *file, *needle;
    } cases[] = {
        {"bad/float_amount.lua", "float_amount.lua:11: rhv.finding: amount must be an integer number of cents"},
        {"bad/bad_kind.lua", "bad_kind.lua:11: rhv.finding: kind must be"},
        {"bad/empty_subject.lua", "empty_subject.lua:11: rhv.finding: subject must be a non-empty string"},
        {"bad/typo_field.lua", "typo_field.lua:12: record type 'programma' has no field 'lasten_begrooot'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rhv_engine *e = mk_engine();
        ck_assert_int_eq(engine_load_file(e, fx(cases[i].file)), 0);
        ck_assert_int_eq(engine_start(e, 2023, SRC_DOSSIER), 0);
        programma(e, "1", "P", 3, 5, 1);
        engine_finish(e);
        const rhv_rule_info *r = engine_rule(e, 0);
        ck_assert_int_eq(r->status, RULE_ERROR);
        ck_assert_msg(strstr(r->message, cases[i].needle), "'%s' lacks '%s'", r->message, cases[i].needle);
        ck_assert_uint_eq(engine_finding_count(e), 0);
        engine_free(e);
    }
}
END_TEST

START_TEST(criterion_override_and_readonly_ctx)
{
    rhv_engine *e = mk_engine();
    ck_assert_int_eq(engine_load_file(e, fx("ok/gamma.lua")), 0);
    ck_assert_int_eq(engine_start(e, 2023, SRC_DOSSIER), 0);
    organisation(e, "GR Westrom");
    engine_finish(e);
    ck_assert_msg(engine_rule(e, 0)->status == RULE_OK, "%s", engine_rule(e, 0)->message);
    ck_assert_uint_eq(engine_finding_count(e), 1);
    const rhv_finding *f = engine_finding(e, 0);
    ck_assert_int_eq(f->kind, KIND_SIGNALERING);
    ck_assert_int_eq(f->crit, CRIT_BEGROTING);
    ck_assert_int_eq(f->amount, 0);
    ck_assert_str_eq(f->message, "Organisatie GR Westrom boekjaar 2023.");
    ck_assert_uint_eq(f->nev, 0);
    engine_free(e);
}
END_TEST

START_TEST(helpers_exact)
{
    rhv_engine *e = mk_engine();
    ck_assert_int_eq(engine_load_file(e, fx("bad/helpers.lua")), 0);
    ck_assert_int_eq(engine_start(e, 2023, SRC_DOSSIER), 0);
    engine_finish(e);
    ck_assert_msg(engine_rule(e, 0)->status == RULE_OK, "%s", engine_rule(e, 0)->message);
    ck_assert_uint_eq(engine_finding_count(e), 1); /* the refused findings left nothing behind */
    engine_free(e);
}
END_TEST

int main(void)
{
    engine_test_setup();
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, findings_copied);
    tcase_add_test(tc, error_isolated_with_traceback);
    tcase_add_test(tc, optional_fields_reset_between_records);
    tcase_add_test(tc, where_filters_records);
    tcase_add_test(tc, record_fields_learnt);
    if (!UNDER_TSAN) { /* runaway rules: see engine_test_util.h */
        tcase_add_test(tc, budget_and_memory_per_rule);
        tcase_add_test(tc, finish_gets_a_larger_budget);
    }
    tcase_add_test(tc, skipped_by_year_and_source);
    tcase_add_test(tc, requires_skips_without_source);
    tcase_add_test(tc, aanbesteding_needs_the_ledger);
    tcase_add_test(tc, param_without_value_for_year);
    tcase_add_test(tc, params_in_ctx);
    tcase_add_test(tc, param_override_for_tests);
    tcase_add_test(tc, bad_findings);
    tcase_add_test(tc, criterion_override_and_readonly_ctx);
    tcase_add_test(tc, helpers_exact);
    return engine_test_run(tc);
}
