/* report_build_test.c - the builder copies what the run holds into one plain
 * report: engine order, borrowed strings, organisation from the dossier or
 * the ledgers, a verdict only when one was given, diagnostics as of building. */
#include "report_build.h"
#include "report_scope.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"

static char fixdir[2048], plugdir[2048], pardir[2048];

static rhv_value pv[16];

static void programma(rhv_engine *e, const char *code, int64_t begroot, int64_t real)
{
    const rhv_record_type *t = record_type_find("programma");
    ck_assert_int_le(t->nfields, 16);
    for (int i = 0; i < t->nfields; i++)
        val_int(&pv[i], VAL_MONEY, 0);
    val_str(&pv[record_field_index(t, "code")], code, strlen(code));
    val_str(&pv[record_field_index(t, "naam")], "N", 1);
    val_none(&pv[record_field_index(t, "toelichting")]);
    val_none(&pv[record_field_index(t, "categorie")]);
    val_int(&pv[record_field_index(t, "lasten_begroot")], VAL_MONEY, begroot);
    val_int(&pv[record_field_index(t, "lasten_realisatie")], VAL_MONEY, real);
    rhv_record rec = {t, "dossier.xml", 10, pv};
    ck_assert_int_eq(engine_dispatch(e, &rec), 0);
}

/* fx.alpha, fx.beta, fx.gamma; two programma's over the begroting. */
static rhv_engine *run_engine(rhv_diag *d)
{
    rhv_engine_opts o = {.plugins_dir = plugdir, .params_dir = pardir, .diag = d};
    rhv_engine *e = engine_new(&o);
    ck_assert_ptr_nonnull(e);
    char dir[2100];
    snprintf(dir, sizeof dir, "%s/ok", fixdir);
    ck_assert_int_eq(engine_load_dir(e, dir), 0);
    ck_assert_int_eq(engine_set_rule_arg(e, "fx.alpha.label=Prog"), 0);
    ck_assert_int_eq(engine_start(e, 2023, SRC_DOSSIER), 0);
    programma(e, "2", 100, 300);
    programma(e, "1", 100, 250);
    engine_finish(e);
    return e;
}

START_TEST(copies_the_engine_in_order)
{
    rhv_diag d;
    diag_init(&d, NULL);
    rhv_engine *e = run_engine(&d);
    ck_assert_uint_ge(engine_finding_count(e), 2);

    rhv_dossier ds;
    memset(&ds, 0, sizeof ds);
    ds.naam = (char *)"GR Proef";
    ds.soort = (char *)"gemeente";
    ds.fiscal_year = 2023;
    ds.basis_begroting = true;
    ds.grens_besluit = (char *)"2023-11-16";
    ds.normenkader_datum = (char *)"2023-12-14";
    rhv_input in = {(char *)"dossier.xml", "abc", "dossier"};
    verdict_input vin = {.basis = 100000, .grens_bp = 300, .rapportagegrens = 1};
    verdict_result vres = {.grens = 3000, .boven = true};
    diag_warning(&d, "dossier.xml", 3, "een waarschuwing");
    report_sources src = {.version = "1.2.3", .engine = e, .dossier = &ds, .org_naam = "not used",
                          .fiscal_year = 1999, .vin = &vin, .vres = &vres, .inputs = &in, .ninputs = 1,
                          .diag = &d, .exit_code = 1};
    report_builder b;
    ck_assert_int_eq(report_build(&b, &src), 0);
    const rhv_report *r = &b.report;
    diag_error(&d, "later.xml", 0, "after building"); /* not in the report */

    ck_assert_str_eq(r->version, "1.2.3");
    ck_assert_int_eq(r->exit_code, 1);
    ck_assert_ptr_eq(r->org_naam, ds.naam);
    ck_assert_str_eq(r->org_soort, "gemeente");
    ck_assert_int_eq(r->fiscal_year, 2023);
    ck_assert(r->have_dossier);
    ck_assert_str_eq(r->grens_basis, "begroting");
    ck_assert_ptr_eq(r->grens_besluit, ds.grens_besluit);
    ck_assert_ptr_null(r->grens_bron);
    ck_assert_ptr_eq(r->normenkader_datum, ds.normenkader_datum);
    ck_assert(r->have_verdict);
    ck_assert_int_eq(r->vin.basis, 100000);
    ck_assert(r->vres.boven);

    ck_assert_uint_eq(r->nfindings, engine_finding_count(e));
    for (size_t i = 0; i < r->nfindings; i++) {
        ck_assert_ptr_eq(r->findings[i].subject, engine_finding(e, i)->subject); /* borrowed */
        ck_assert_int_eq(r->findings[i].amount, engine_finding(e, i)->amount);
    }
    ck_assert_str_eq(r->findings[0].subject, "Prog 1 N"); /* the engine's order, by subject */
    ck_assert_uint_eq(r->nrules, 3);
    ck_assert_str_eq(r->rules[0].id, "fx.alpha");
    ck_assert_uint_eq(r->nparams, engine_param_count(e));
    ck_assert_uint_eq(r->nparams, 1);
    ck_assert_str_eq(r->params[0].name, "fx_drempel");
    ck_assert_ptr_eq(r->params[0].sha256, engine_param(e, 0)->sha256);
    ck_assert_uint_eq(r->noverrides, 1);
    ck_assert_str_eq(r->overrides[0], "fx.alpha.label=Prog");
    ck_assert_uint_eq(r->ninputs, 1);
    ck_assert_str_eq(r->inputs[0].sha256, "abc");
    ck_assert_uint_eq(r->ndiags, 1);
    ck_assert_str_eq(r->diags[0].message, "een waarschuwing");

    report_build_free(&b);
    ck_assert_ptr_null(b.findings);
    engine_free(e);
    diag_free(&d);
}
END_TEST

START_TEST(ledgers_only_no_verdict)
{
    report_sources src = {.version = "1.2.3", .org_naam = "Toro Rosso BV", .fiscal_year = 2016, .exit_code = 2};
    report_builder b;
    ck_assert_int_eq(report_build(&b, &src), 0);
    const rhv_report *r = &b.report;
    ck_assert_str_eq(r->org_naam, "Toro Rosso BV");
    ck_assert_int_eq(r->fiscal_year, 2016);
    ck_assert_ptr_null(r->org_soort);
    ck_assert(!r->have_dossier);
    ck_assert_ptr_null(r->grens_basis);
    ck_assert(!r->have_verdict);
    ck_assert_uint_eq(r->nfindings + r->nrules + r->nparams + r->noverrides + r->ninputs + r->ndiags, 0);
    report_build_free(&b);
}
END_TEST

static const rhv_rule_info *rule_by_id(const rhv_report *r, const char *id)
{
    for (size_t i = 0; i < r->nrules; i++)
        if (strcmp(r->rules[i].id, id) == 0)
            return &r->rules[i];
    return NULL;
}

/* fx.alpha gets programma's; fx.beta reads only the ledger (skipped with a
 * dossier alone); fx.gamma reads organisation, which never comes: no_data. */
START_TEST(scope_and_no_data)
{
    rhv_diag d;
    diag_init(&d, NULL);
    rhv_engine *e = run_engine(&d);
    char dir[2100];
    snprintf(dir, sizeof dir, "%s/ok", fixdir);
    report_scope_opts so = {.bundled_dir = dir, .default_rules = true};
    report_scope_builder sb;
    ck_assert_int_eq(report_scope_make(&sb, e, &so), 0);
    ck_assert(sb.scope.known);
    ck_assert(!sb.scope.complete);
    ck_assert_uint_eq(sb.scope.nnot_run, 1);
    ck_assert_str_eq(sb.scope.not_run[0].id, "fx.beta");
    ck_assert_ptr_nonnull(strstr(sb.scope.not_run[0].reason, "overgeslagen"));
    ck_assert_uint_eq(sb.scope.nno_data, 1);
    ck_assert_str_eq(sb.scope.no_data[0], "fx.gamma");

    report_sources src = {.version = "1", .engine = e, .diag = &d, .scope = &sb.scope};
    report_builder b;
    ck_assert_int_eq(report_build(&b, &src), 0);
    ck_assert_int_eq(rule_by_id(&b.report, "fx.alpha")->status, RULE_OK);
    ck_assert_int_eq(rule_by_id(&b.report, "fx.gamma")->status, RULE_NO_DATA);
    ck_assert_str_eq(rule_status_name(RULE_NO_DATA), "no_data");
    ck_assert(!b.report.scope.complete);
    report_build_free(&b);
    report_scope_free(&sb);
    engine_free(e);

    /* Deselected standard rules are named by their file, with the selection. */
    rhv_engine_opts o = {.plugins_dir = plugdir, .params_dir = pardir, .diag = &d};
    e = engine_new(&o);
    ck_assert_int_eq(engine_load_dir(e, dir), 0);
    ck_assert_int_eq(engine_select(e, "fx.alpha"), 0);
    ck_assert_int_eq(engine_start(e, 2023, SRC_DOSSIER), 0);
    programma(e, "1", 100, 50);
    engine_finish(e);
    so.select = "fx.alpha";
    ck_assert_int_eq(report_scope_make(&sb, e, &so), 0);
    ck_assert(!sb.scope.complete);
    ck_assert_uint_eq(sb.scope.nnot_run, 2);
    ck_assert_str_eq(sb.scope.not_run[0].id, "beta");
    ck_assert_str_eq(sb.scope.not_run[0].reason, "niet geselecteerd (--rules 'fx.alpha')");
    ck_assert_uint_eq(sb.scope.nno_data, 0);
    report_scope_free(&sb);

    /* Only the selected rule counted as standard: with every file loaded and
     * fed, the scope is complete. */
    so.bundled_dir = "/nonexistent";
    so.default_rules = false;
    ck_assert_int_eq(report_scope_make(&sb, e, &so), 0);
    ck_assert(!sb.scope.complete); /* no default rules: never complete */
    report_scope_free(&sb);
    engine_free(e);
    diag_free(&d);
}
END_TEST

int main(void)
{
    const char *home = getenv("RHV_HOME");
    if (!home) {
        fputs("RHV_HOME not set (tests/meson.build sets it)\n", stderr);
        return EXIT_FAILURE;
    }
    snprintf(fixdir, sizeof fixdir, "%s/tests/fixtures/rules", home);
    snprintf(plugdir, sizeof plugdir, "%s/plugins", home);
    snprintf(pardir, sizeof pardir, "%s/tests/fixtures/rules/params", home);
    Suite *s = suite_create("report_build");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, copies_the_engine_in_order);
    tcase_add_test(tc, ledgers_only_no_verdict);
    tcase_add_test(tc, scope_and_no_data);
    suite_add_tcase(s, tc);
    return check_run(s);
}
