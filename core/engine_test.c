/* engine_test.c - rules load with checked metadata, run isolated, and hand
 * back owned findings; params tables and selectors behave. Fixtures live in
 * tests/fixtures/rules/ (ok/: good rules, bad/: one defect each, params/). */
#include "engine.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "params.h"
#include "paths.h"

static char fixdir[2048], plugdir[2048], pardir[2048], homedir[2048];
static rhv_diag diag;

static const char *fx(const char *rel)
{
    static char buf[8][4096];
    static int k;
    char *b = buf[k++ % 8];
    snprintf(b, 4096, "%s/%s", fixdir, rel);
    return b;
}

static rhv_engine *mk_engine_threads(int threads)
{
    diag_free(&diag);
    diag_init(&diag, NULL);
    rhv_engine_opts o = {.mem_limit = 8u * 1024 * 1024, .instr_budget = 2000000,
                         .plugins_dir = plugdir, .params_dir = pardir, .diag = &diag, .threads = threads};
    rhv_engine *e = engine_new(&o);
    ck_assert_ptr_nonnull(e);
    return e;
}

static const rhv_rule_info *rule_by_id(rhv_engine *e, const char *id)
{
    for (size_t i = 0; i < engine_rule_count(e); i++)
        if (strcmp(engine_rule(e, i)->id, id) == 0)
            return engine_rule(e, i);
    return NULL;
}

static rhv_engine *mk_engine(void)
{
    return mk_engine_threads(0);
}

/* ---- records ------------------------------------------------------------ */

static rhv_value pv[16];

static void programma(rhv_engine *e, const char *code, const char *naam, int64_t begroot, int64_t real,
                      long line)
{
    const rhv_record_type *t = record_type_find("programma");
    for (int i = 0; i < t->nfields; i++)
        val_none(&pv[i]);
    val_str(&pv[record_field_index(t, "code")], code, strlen(code));
    val_str(&pv[record_field_index(t, "naam")], naam, strlen(naam));
    val_int(&pv[record_field_index(t, "lasten_primitief")], VAL_MONEY, begroot);
    val_int(&pv[record_field_index(t, "lasten_begroot")], VAL_MONEY, begroot);
    val_int(&pv[record_field_index(t, "lasten_realisatie")], VAL_MONEY, real);
    val_int(&pv[record_field_index(t, "baten_primitief")], VAL_MONEY, 0);
    val_int(&pv[record_field_index(t, "baten_begroot")], VAL_MONEY, 0);
    val_int(&pv[record_field_index(t, "baten_realisatie")], VAL_MONEY, 0);
    rhv_record rec = {t, "dossier.xml", line, pv};
    ck_assert_int_eq(engine_dispatch(e, &rec), 0);
}

static void programma_cat(rhv_engine *e, const char *code, const char *cat)
{
    const rhv_record_type *t = record_type_find("programma");
    for (int i = 0; i < t->nfields; i++)
        val_int(&pv[i], VAL_MONEY, 0);
    val_str(&pv[record_field_index(t, "code")], code, strlen(code));
    val_str(&pv[record_field_index(t, "naam")], "N", 1);
    val_none(&pv[record_field_index(t, "toelichting")]);
    if (cat)
        val_str(&pv[record_field_index(t, "categorie")], cat, strlen(cat));
    else
        val_none(&pv[record_field_index(t, "categorie")]);
    rhv_record rec = {t, "dossier.xml", 1, pv};
    ck_assert_int_eq(engine_dispatch(e, &rec), 0);
}

static void trline(rhv_engine *e, const char *sup, int64_t amnt, const char *tp)
{
    const rhv_record_type *t = record_type_find("xaf.trLine");
    for (int i = 0; i < t->nfields; i++)
        val_none(&pv[i]);
    if (sup)
        val_str(&pv[record_field_index(t, "custSupID")], sup, strlen(sup));
    val_int(&pv[record_field_index(t, "amnt")], VAL_MONEY, amnt);
    val_str(&pv[record_field_index(t, "amntTp")], tp, 1);
    val_str(&pv[record_field_index(t, "jrnID")], "70", 2);
    rhv_record rec = {t, "ledger.xaf", 100, pv};
    ck_assert_int_eq(engine_dispatch(e, &rec), 0);
}

static void organisation(rhv_engine *e, const char *naam)
{
    const rhv_record_type *t = record_type_find("organisation");
    for (int i = 0; i < t->nfields; i++)
        val_none(&pv[i]);
    val_str(&pv[record_field_index(t, "naam")], naam, strlen(naam));
    rhv_record rec = {t, "dossier.xml", 3, pv};
    ck_assert_int_eq(engine_dispatch(e, &rec), 0);
}

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

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Everything a run reports, as text, to compare runs. */
static char *results(rhv_engine *e)
{
    size_t cap = 1 << 20, o = 0;
    char *buf = malloc(cap);
    ck_assert_ptr_nonnull(buf);
    for (size_t i = 0; i < engine_rule_count(e); i++) {
        const rhv_rule_info *r = engine_rule(e, i);
        o += (size_t)snprintf(buf + o, cap - o, "%s %s %s\n", r->id, rule_status_name(r->status),
                              r->message ? r->message : "-");
    }
    for (size_t i = 0; i < engine_finding_count(e) && o < cap - 512; i++) {
        const rhv_finding *f = engine_finding(e, i);
        o += (size_t)snprintf(buf + o, cap - o, "%s|%s|%s|%lld|%d|%s|%zu|%s:%ld\n", f->rule, finding_kind_name(f->kind),
                              f->subject, (long long)f->amount, f->counts, f->message, f->nev,
                              f->nev ? f->ev[0].file : "", f->nev ? f->ev[0].line : 0);
    }
    /* Diagnostics as a set: with worker threads, rule errors reach diag at
     * engine_finish in rule order rather than when they happened. */
    char **lines = calloc(diag.n + 1, sizeof *lines);
    ck_assert_ptr_nonnull(lines);
    for (size_t i = 0; i < diag.n; i++) {
        char l[1024];
        snprintf(l, sizeof l, "diag %s:%ld %s\n", diag.msgs[i].file, diag.msgs[i].line, diag.msgs[i].message);
        lines[i] = strdup(l);
    }
    qsort(lines, diag.n, sizeof *lines, cmp_str);
    for (size_t i = 0; i < diag.n; i++) {
        if (o < cap - 1100)
            o += (size_t)snprintf(buf + o, cap - o, "%s", lines[i]);
        free(lines[i]);
    }
    free(lines);
    return buf;
}

static char *threaded_run_n(int threads, int nrec)
{
    rhv_engine *e = mk_engine_threads(threads);
    static const char *files[] = {"ok/alpha.lua", "ok/beta.lua", "ok/gamma.lua", "bad/raises.lua",
                                  "bad/optional_reset.lua", "bad/runaway.lua"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        ck_assert_int_eq(engine_load_file(e, fx(files[i])), 0);
    ck_assert_int_eq(engine_start(e, 2023, SRC_DOSSIER | SRC_LEDGER), 0);
    organisation(e, "GR Westrom");
    char code[16], sup[16];
    for (int i = 0; i < nrec; i++) {
        snprintf(code, sizeof code, "%d", i + 3); /* "2" would stop bad.raises at once */
        if (i % 7 == 0)
            programma_cat(e, code, i % 2 ? "open_einde" : NULL);
        else
            programma(e, code, "P", 1000, 1000 + i % 5, i);
        snprintf(sup, sizeof sup, "S%d", i % 37);
        trline(e, sup, 1000000 + i, i % 3 ? "D" : "C");
    }
    programma(e, "2", "P", 1, 1, 99999); /* now bad.raises fails, late */
    engine_finish(e);
    char *r = results(e);
    engine_free(e);
    return r;
}

static char *threaded_run(int threads)
{
    return threaded_run_n(threads, 3000);
}

START_TEST(threads_same_results)
{
    char *inline_run = threaded_run(0);
    ck_assert_ptr_nonnull(strstr(inline_run, "bad.raises error"));
    ck_assert_ptr_nonnull(strstr(inline_run, "bad.runaway error"));
    ck_assert_ptr_nonnull(strstr(inline_run, "fx.alpha|fout|Programma 4 P|1|1|"));
    ck_assert_ptr_nonnull(strstr(inline_run, "fx.beta|onzekerheid|Leverancier S"));
    for (int threads = 1; threads <= 4; threads++) {
        char *t = threaded_run(threads);
        if (strcmp(t, inline_run) != 0) {
            FILE *f = fopen("/tmp/rhv_threads_inline.txt", "w");
            if (f) {
                fputs(inline_run, f);
                fclose(f);
            }
            f = fopen("/tmp/rhv_threads_threaded.txt", "w");
            if (f) {
                fputs(t, f);
                fclose(f);
            }
        }
        ck_assert_msg(strcmp(t, inline_run) == 0,
                      "threads=%d: results differ (diff /tmp/rhv_threads_inline.txt /tmp/rhv_threads_threaded.txt)",
                      threads);
        free(t);
    }
    free(inline_run);
}
END_TEST

START_TEST(threads_queue_full)
{
    /* 60,000 records: far more than the queue holds (32 batches of 256), so
     * the reading thread also runs rule batches while it waits for room. */
    char *inline_run = threaded_run_n(0, 30000);
    for (int threads = 1; threads <= 3; threads++) {
        char *t = threaded_run_n(threads, 30000);
        ck_assert_msg(strcmp(t, inline_run) == 0, "threads=%d: results differ", threads);
        free(t);
    }
    free(inline_run);
}
END_TEST

START_TEST(threads_stop_without_finish)
{
    rhv_engine *e = mk_engine_threads(2);
    ck_assert_int_eq(engine_load_file(e, fx("ok/alpha.lua")), 0);
    ck_assert_int_eq(engine_load_file(e, fx("ok/beta.lua")), 0);
    ck_assert_int_eq(engine_start(e, 2023, SRC_DOSSIER | SRC_LEDGER), 0);
    for (int i = 0; i < 1000; i++)
        trline(e, "S1", 1, "D");
    engine_free(e); /* joins the workers */
}
END_TEST

START_TEST(rule_args)
{
    rhv_engine *e = mk_engine();
    ck_assert_int_eq(engine_load_dir(e, fx("ok")), 0);
    ck_assert_int_eq(engine_set_rule_arg(e, "fx.alpha.drempel=500"), 0);
    ck_assert_int_eq(engine_set_rule_arg(e, "fx.alpha.telt=false"), 0);
    ck_assert_int_eq(engine_set_rule_arg(e, "fx.alpha.label=Prog"), 0);
    ck_assert_int_eq(engine_set_rule_arg(e, "fx.alpha.drempel=499"), 0); /* replaces 500 */
    ck_assert_int_eq(engine_set_rule_arg(e, "fx.alpha.nope=1"), -1);
    ck_assert(diag_contains(&diag, "has no argument 'nope' (it has: drempel, telt, label)") ||
              diag_contains(&diag, "has no argument 'nope'"));
    ck_assert_int_eq(engine_set_rule_arg(e, "fx.nope.drempel=1"), -1);
    ck_assert(diag_contains(&diag, "no rule with id 'fx.nope'"));
    ck_assert_int_eq(engine_set_rule_arg(e, "fx.alpha.drempel=1.5"), -1);
    ck_assert_int_eq(engine_set_rule_arg(e, "fx.alpha.telt=ja"), -1);
    ck_assert_int_eq(engine_set_rule_arg(e, "fx.alpha.drempel"), -1);
    ck_assert_int_eq(engine_set_rule_arg(e, "fx.alpha.drempel=99999999999999999999"), -1);
    ck_assert_uint_eq(engine_override_count(e), 3);
    ck_assert_str_eq(engine_override(e, 0), "fx.alpha.drempel=499");
    ck_assert_str_eq(engine_override(e, 1), "fx.alpha.telt=false");
    ck_assert_str_eq(engine_override(e, 2), "fx.alpha.label=Prog");
    ck_assert_int_eq(engine_start(e, 2023, SRC_DOSSIER), 0);
    programma(e, "1", "A", 1000, 1499, 1); /* 499: not above */
    programma(e, "2", "B", 1000, 1500, 2);
    engine_finish(e);
    ck_assert_uint_eq(engine_finding_count(e), 1);
    ck_assert_str_eq(engine_finding(e, 0)->subject, "Prog 2 B");
    ck_assert(!engine_finding(e, 0)->counts);
    engine_free(e);
}
END_TEST

START_TEST(selectors)
{
    static const struct {
        const char *expr;
        const char *ids; /* space separated, or NULL for an error */
    } cases[] = {
        {"fx.alpha", "fx.alpha"},
        {"fx.*", "fx.alpha fx.beta fx.gamma"},
        {"fx.* and not fx.beta", "fx.alpha fx.gamma"},
        {"voorwaardencriterium", "fx.beta"},
        {"begrotingscriterium or geen", "fx.alpha fx.gamma"},
        {"not (fx.alpha or fx.gamma)", "fx.beta"},
        {"fx.alpha, fx.beta", "fx.alpha fx.beta"},
        {"all and not geen", "fx.alpha fx.beta"},
        {"fx.nope", NULL},
        {"fx.alpha or zz.*", NULL},
        {"fx.alpha or (", NULL},
        {"fx.alpha fx.beta", NULL},
        {"fx.alpha and not fx.alpha", NULL},
        {"misbruik_oneigenlijk_gebruik", NULL},
        {"fx.alpha $", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rhv_engine *e = mk_engine();
        ck_assert_int_eq(engine_load_dir(e, fx("ok")), 0);
        int rc = engine_select(e, cases[i].expr);
        if (!cases[i].ids) {
            ck_assert_msg(rc == -1, "'%s' should fail", cases[i].expr);
            ck_assert_uint_ge(diag.errors, 1);
            ck_assert_uint_eq(engine_rule_count(e), 3);
        } else {
            ck_assert_msg(rc == 0, "'%s' failed", cases[i].expr);
            char got[256] = "";
            for (size_t k = 0; k < engine_rule_count(e); k++) {
                if (k)
                    strcat(got, " ");
                strcat(got, engine_rule(e, k)->id);
            }
            ck_assert_msg(strcmp(got, cases[i].ids) == 0, "'%s' selected '%s'", cases[i].expr, got);
        }
        engine_free(e);
    }
    rhv_engine *e = mk_engine();
    ck_assert_int_eq(engine_load_dir(e, fx("ok")), 0);
    ck_assert_int_eq(engine_select(e, "fx.zz*"), -1);
    ck_assert(diag_contains(&diag, "'fx.zz*' matches no rule"));
    ck_assert_int_eq(engine_select(e, "fx.alpha"), 0);
    ck_assert_uint_eq(engine_param_count(e), 0); /* beta's table no longer used */
    engine_free(e);
}
END_TEST

/* ---- params ------------------------------------------------------------- */

START_TEST(params_tables)
{
    diag_free(&diag);
    diag_init(&diag, NULL);
    rhv_param_table *t = params_load_named(pardir, "fx_drempel", &diag, NULL);
    ck_assert_ptr_nonnull(t);
    ck_assert_str_eq(t->name, "fx_drempel");
    ck_assert_str_eq(t->unit, "cents");
    ck_assert_uint_eq(strlen(t->sha256), 64);
    ck_assert_uint_eq(t->n, 2);
    ck_assert_int_eq(t->periods[0].from, 2022); /* sorted */
    char *err = NULL;
    const rhv_param_period *p = params_resolve(t, 2023, &err);
    ck_assert_ptr_nonnull(p);
    ck_assert_str_eq(p->source, "fixture 2022");
    ck_assert_int_eq(p->value.kind, PV_TABLE);
    ck_assert_int_eq(p->value.entries[0].val.i, 21500000);
    p = params_resolve(t, 2099, &err);
    ck_assert_ptr_nonnull(p);
    ck_assert(p->open);
    ck_assert_ptr_null(params_resolve(t, 2021, &err));
    ck_assert_msg(strstr(err, "'fx_drempel'") && strstr(err, "2021"), "%s", err);
    free(err);
    params_free(t);

    static const struct {
        const char *name, *needle;
    } bad[] = {
        {"fx_overlap", "overlaps"},
        {"fx_float", "value.x: 1.5 is not an integer"},
        {"fx_wrongname", "field 'name'"},
        {"fx_unknown", "values[1]: unknown field 'note'"},
        {"fx_code", "global 'string'"},
        {"fx_missing", "cannot read"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *why = NULL;
        ck_assert_ptr_null(params_load_named(pardir, bad[i].name, &diag, &why));
        ck_assert_msg(diag_contains(&diag, bad[i].needle), "%s: no '%s' in diag", bad[i].name, bad[i].needle);
        /* The reason comes back to the caller too, the same text as the diag's. */
        ck_assert_msg(why && strstr(why, bad[i].needle), "%s: reason '%s'", bad[i].name, why ? why : "(none)");
        ck_assert_str_eq(why, diag.msgs[diag.n - 1].message);
        free(why);
        ck_assert_msg(diag_contains(&diag, bad[i].name), "%s not named", bad[i].name);
    }
}
END_TEST

int main(void)
{
    const char *home = rhv_home();
    snprintf(homedir, sizeof homedir, "%s", home);
    snprintf(fixdir, sizeof fixdir, "%s/tests/fixtures/rules", home);
    snprintf(plugdir, sizeof plugdir, "%s/plugins", home);
    snprintf(pardir, sizeof pardir, "%s/tests/fixtures/rules/params", home);
    diag_init(&diag, NULL);

    Suite *s = suite_create("engine");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, metadata_errors_name_the_field);
    tcase_add_test(tc, duplicate_id);
    tcase_add_test(tc, where_filters_records);
    tcase_add_test(tc, load_dir_sorted_with_hashes);
    tcase_add_test(tc, findings_copied);
    tcase_add_test(tc, error_isolated_with_traceback);
    tcase_add_test(tc, optional_fields_reset_between_records);
    tcase_add_test(tc, record_fields_learnt);
    tcase_add_test(tc, budget_and_memory_per_rule);
    tcase_add_test(tc, finish_gets_a_larger_budget);
    tcase_add_test(tc, skipped_by_year_and_source);
    tcase_add_test(tc, requires_skips_without_source);
    tcase_add_test(tc, aanbesteding_needs_the_ledger);
    tcase_add_test(tc, param_without_value_for_year);
    tcase_add_test(tc, params_in_ctx);
    tcase_add_test(tc, param_override_for_tests);
    tcase_add_test(tc, bad_findings);
    tcase_add_test(tc, criterion_override_and_readonly_ctx);
    tcase_add_test(tc, helpers_exact);
    tcase_add_test(tc, rule_args);
    tcase_add_test(tc, threads_same_results);
    tcase_add_test(tc, threads_queue_full);
    tcase_add_test(tc, threads_stop_without_finish);
    tcase_add_test(tc, selectors);
    tcase_add_test(tc, params_tables);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    diag_free(&diag);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
