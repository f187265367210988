/* report_json_test.c - the JSON report on hand-made reports: its contract
 * (docs/report-formats.md) within and above the grens, without a verdict,
 * with invalid UTF-8 and without rules. */
#include "report.h"
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "report_test_util.h"

static json_t *parse(const char *text)
{
    json_error_t e;
    json_t *j = json_loads(text, 0, &e);
    ck_assert_msg(j != NULL, "JSON does not parse: %s at line %d", e.text, e.line);
    return j;
}

static json_int_t jint_at(json_t *root, const char *path)
{
    /* path "a.b.c" through objects */
    char buf[128];
    snprintf(buf, sizeof buf, "%s", path);
    json_t *cur = root;
    for (char *tok = strtok(buf, "."); tok; tok = strtok(NULL, ".")) {
        cur = json_object_get(cur, tok);
        ck_assert_msg(cur != NULL, "missing key %s in %s", tok, path);
    }
    ck_assert_msg(json_is_integer(cur), "%s is not an integer", path);
    return json_integer_value(cur);
}

static const char *jstr_at(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    ck_assert_msg(v && json_is_string(v), "%s is not a string", key);
    return json_string_value(v);
}

/* ---- JSON ---------------------------------------------------------------- */

/* The lists of the binnen fixture: rules, parameters, overrides, inputs, diagnostics. */
static void check_lists(json_t *j)
{
    json_t *rs = json_object_get(j, "rules");
    ck_assert_uint_eq(json_array_size(rs), 3);
    ck_assert_str_eq(jstr_at(json_array_get(rs, 0), "status"), "ok");
    ck_assert(json_is_null(json_object_get(json_array_get(rs, 0), "message")));
    ck_assert_str_eq(jstr_at(json_array_get(rs, 1), "status"), "error");
    ck_assert_str_eq(jstr_at(json_array_get(rs, 1), "message"), "rules/begroting.lasten.lua:17: attempt to index nil");
    ck_assert_str_eq(jstr_at(json_array_get(rs, 2), "status"), "skipped");
    ck_assert_str_eq(jstr_at(json_array_get(rs, 2), "sha256"), "cc33");
    ck_assert_str_eq(jstr_at(json_array_get(rs, 2), "file"), "rules/wnt.bezoldiging.lua");

    ck_assert_uint_eq(json_array_size(json_object_get(j, "parameters")), 0);
    ck_assert_uint_eq(json_array_size(json_object_get(j, "overrides")), 0);
    json_t *ins = json_object_get(j, "inputs");
    ck_assert_uint_eq(json_array_size(ins), 2);
    ck_assert_str_eq(jstr_at(json_array_get(ins, 1), "kind"), "ledger");
    ck_assert_str_eq(jstr_at(json_array_get(ins, 0), "sha256"),
                     "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    json_t *dg = json_array_get(json_object_get(j, "diagnostics"), 0);
    ck_assert_str_eq(jstr_at(dg, "level"), "warning");
    ck_assert_str_eq(jstr_at(dg, "file"), "grootboek.xaf");
    ck_assert_int_eq(json_integer_value(json_object_get(dg, "line")), 88);
    ck_assert_str_eq(jstr_at(j, "rhv_version"), "9.9.9");
    ck_assert_int_eq(jint_at(j, "exit_code"), 0);
}

START_TEST(json_contract_binnen)
{
    fixture x;
    fixture_init(&x, "gemeenschappelijke regeling", 1000000, false);
    char *out = render(report_json, &x.r);
    ck_assert_int_eq(out[strlen(out) - 1], '\n');
    json_t *j = parse(out);

    json_t *org = json_object_get(j, "organisation");
    ck_assert_str_eq(jstr_at(org, "name"), "GR Westrom");
    ck_assert_int_eq(jint_at(j, "organisation.fiscal_year"), 2023);

    json_t *g = json_object_get(j, "verantwoordingsgrens");
    ck_assert_str_eq(jstr_at(g, "percentage"), "3.00");
    ck_assert_int_eq(jint_at(j, "verantwoordingsgrens.basis_points"), 300);
    ck_assert_str_eq(jstr_at(g, "basis"), "realisatie");
    ck_assert_str_eq(jstr_at(g, "mode"), "gecombineerd");
    ck_assert_int_eq(jint_at(j, "verantwoordingsgrens.basis_cents"), 6000000000LL);
    ck_assert_int_eq(jint_at(j, "verantwoordingsgrens.amount_cents"), 180000000LL);
    ck_assert_ptr_null(json_object_get(g, "fouten_amount_cents"));
    ck_assert_int_eq(jint_at(j, "rapportagegrens_cents"), 10000000);

    ck_assert_int_eq(jint_at(j, "totals.fouten_cents"), 12345678);
    ck_assert_int_eq(jint_at(j, "totals.onzekerheden_cents"), 1000500);
    ck_assert_int_eq(jint_at(j, "totals.total_cents"), 13346178);
    ck_assert_int_eq(jint_at(j, "totals.acceptabel_cents"), 77777700);
    ck_assert_int_eq(jint_at(j, "totals.by_criterion.begrotingscriterium.fouten_cents"), 12345678);
    ck_assert_int_eq(jint_at(j, "totals.by_criterion.voorwaardencriterium.onzekerheden_cents"), 500);
    ck_assert_int_eq(jint_at(j, "totals.by_criterion.misbruik_oneigenlijk_gebruik.onzekerheden_cents"),
                     1000000);
    ck_assert_int_eq(jint_at(j, "headroom_cents"), 180000000LL - 13346178);
    ck_assert_str_eq(jstr_at(j, "verdict"), "binnen");

    json_t *fs = json_object_get(j, "findings");
    ck_assert_uint_eq(json_array_size(fs), 5);
    json_t *f0 = json_array_get(fs, 0);
    ck_assert_str_eq(jstr_at(f0, "rule"), "begroting.lasten");
    ck_assert_str_eq(jstr_at(f0, "criterion"), "begrotingscriterium");
    ck_assert_str_eq(jstr_at(f0, "kind"), "fout");
    ck_assert_int_eq(json_integer_value(json_object_get(f0, "amount_cents")), 12345678);
    ck_assert(json_is_true(json_object_get(f0, "counts")));
    ck_assert(json_is_true(json_object_get(f0, "reportable")));
    ck_assert_str_eq(jstr_at(f0, "subject"), "Programma 2 Werk");
    ck_assert_str_eq(jstr_at(f0, "toelichting"), "Realisatie € 1.123.456,78 min begroot € 1.000.000,00.");
    json_t *ev = json_array_get(json_object_get(f0, "evidence"), 0);
    ck_assert_str_eq(jstr_at(ev, "file"), "dossier.xml");
    ck_assert_int_eq(json_integer_value(json_object_get(ev, "line")), 12);
    ck_assert_str_eq(jstr_at(ev, "key"), "programma 2");
    json_t *f1 = json_array_get(fs, 1);
    ck_assert(json_is_false(json_object_get(f1, "reportable")));
    ck_assert(json_is_null(json_object_get(f1, "toelichting")));
    ck_assert(json_is_null(json_object_get(json_array_get(json_object_get(f1, "evidence"), 0), "key")));
    json_t *f2 = json_array_get(fs, 2);
    ck_assert(json_is_false(json_object_get(f2, "counts")));
    ck_assert(json_is_false(json_object_get(f2, "reportable")));
    ck_assert_str_eq(jstr_at(json_array_get(fs, 3), "kind"), "signalering");
    ck_assert_str_eq(jstr_at(json_array_get(fs, 3), "criterion"), "geen");

    check_lists(j);

    /* Fixed key order at the top level. */
    static const char *const order[] = {"\"report_format\"", "\"organisation\"", "\"verantwoordingsgrens\"",
                                        "\"rapportagegrens_cents\"", "\"totals\"", "\"headroom_cents\"",
                                        "\"verdict\"", "\"findings\"", "\"rules\"", "\"parameters\"",
                                        "\"overrides\"", "\"inputs\"", "\"diagnostics\"", "\"rhv_version\"",
                                        "\"exit_code\""};
    const char *prev = out;
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        const char *p = strstr(out, order[i]);
        ck_assert_msg(p != NULL && p > prev, "key %s missing or out of order", order[i]);
        prev = p;
    }
    /* Amounts are integers, never floats. */
    ck_assert_ptr_null(strstr(out, "123456.78"));

    /* Byte-identical on a second run. */
    char *again = render(report_json, &x.r);
    ck_assert_str_eq(out, again);
    free(again);
    json_decref(j);
    free(out);
    fixture_free(&x);
}
END_TEST

START_TEST(json_boven_gescheiden)
{
    fixture x;
    /* fouten 1% = € 600.000,00; onzekerheden 3% = € 1.800.000,00; onzekerheden
     * € 1.800.000,01 in total: one cent over the onzekerheden grens. */
    fixture_init(&x, "gemeente", 180000001 - 500, true);
    ck_assert(x.r.vres.boven);
    char *out = render(report_json, &x.r);
    json_t *j = parse(out);
    json_t *g = json_object_get(j, "verantwoordingsgrens");
    ck_assert_str_eq(jstr_at(g, "mode"), "gescheiden");
    ck_assert_str_eq(jstr_at(g, "fouten_percentage"), "1.00");
    ck_assert_int_eq(jint_at(j, "verantwoordingsgrens.fouten_amount_cents"), 60000000);
    ck_assert_int_eq(jint_at(j, "verantwoordingsgrens.onzekerheden_amount_cents"), 180000000);
    ck_assert_int_eq(jint_at(j, "headroom_onzekerheden_cents"), -1);
    ck_assert_int_eq(jint_at(j, "headroom_fouten_cents"), 60000000 - 12345678);
    ck_assert_int_eq(jint_at(j, "headroom_cents"), -1);
    ck_assert_str_eq(jstr_at(j, "verdict"), "boven");
    ck_assert_int_eq(jint_at(j, "exit_code"), 1);
    json_decref(j);
    free(out);
    fixture_free(&x);
}
END_TEST

START_TEST(json_without_verdict)
{
    fixture x;
    fixture_init(&x, NULL, 3, false);
    x.r.have_verdict = false;
    x.r.have_dossier = false;
    x.r.grens_basis = x.r.grens_besluit = x.r.grens_bron = x.r.normenkader_datum = NULL;
    x.r.org_soort = NULL;
    memset(&x.r.vin, 0, sizeof x.r.vin);
    memset(&x.r.vres, 0, sizeof x.r.vres);
    char *out = render(report_json, &x.r);
    json_t *j = parse(out);
    ck_assert(json_is_null(json_object_get(j, "verantwoordingsgrens")));
    ck_assert(json_is_null(json_object_get(j, "verdict")));
    ck_assert(json_is_null(json_object_get(j, "headroom_cents")));
    ck_assert(json_is_null(json_object_get(j, "rapportagegrens_cents")));
    /* The totals are still known from the findings. */
    ck_assert_int_eq(jint_at(j, "totals.fouten_cents"), 12345678);
    ck_assert_int_eq(jint_at(j, "totals.onzekerheden_cents"), 503);
    /* Without a rapportagegrens every counted afwijking is reportable. */
    json_t *fs = json_object_get(j, "findings");
    ck_assert(json_is_true(json_object_get(json_array_get(fs, 1), "reportable")));
    ck_assert(json_is_false(json_object_get(json_array_get(fs, 2), "reportable")));
    ck_assert(json_is_false(json_object_get(json_array_get(fs, 3), "reportable")));
    json_decref(j);
    free(out);
    fixture_free(&x);
}
END_TEST

START_TEST(json_invalid_utf8_and_no_rules)
{
    fixture x;
    fixture_init(&x, "waterschap", 0, false);
    x.f[0].subject = (char *)"Caf\xe9 de Kroon";    /* latin-1 leftover */
    x.r.rules = NULL;
    x.r.nrules = 0;
    char *out = render(report_json, &x.r);
    json_t *j = parse(out);
    json_t *f0 = json_array_get(json_object_get(j, "findings"), 0);
    ck_assert_str_eq(jstr_at(f0, "subject"), "Caf\xef\xbf\xbd de Kroon");
    ck_assert_uint_eq(json_array_size(json_object_get(j, "rules")), 0);
    json_decref(j);
    free(out);

    /* A diagnostic about a file as a whole has line null. */
    diag_error(&x.diag, "kapot.xml", 0, "cannot open: No such file or directory");
    x.r.diags = x.diag.msgs;
    x.r.ndiags = x.diag.n;
    out = render(report_json, &x.r);
    j = parse(out);
    json_t *dg = json_array_get(json_object_get(j, "diagnostics"), 1);
    ck_assert_str_eq(jstr_at(dg, "level"), "error");
    ck_assert(json_is_null(json_object_get(dg, "line")));
    json_decref(j);
    free(out);

    /* An empty report (nothing at all) is still a valid document. */
    rhv_report empty;
    memset(&empty, 0, sizeof empty);
    out = render(report_json, &empty);
    j = parse(out);
    ck_assert(json_is_null(json_object_get(json_object_get(j, "organisation"), "name")));
    ck_assert_uint_eq(json_array_size(json_object_get(j, "findings")), 0);
    json_decref(j);
    free(out);
    fixture_free(&x);
}
END_TEST

int main(void)
{
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, json_contract_binnen);
    tcase_add_test(tc, json_boven_gescheiden);
    tcase_add_test(tc, json_without_verdict);
    tcase_add_test(tc, json_invalid_utf8_and_no_rules);
    return report_test_run(tc);
}
