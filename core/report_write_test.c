/* report_write_test.c - the report writers (text, JSON) on hand-made
 * reports, and the atomic write. The report is plain data (report.h): the
 * tests fill it by hand, with no engine and no dossier. */
#include "report.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- a hand-made report -------------------------------------------------- */

static rhv_evidence ev_prog = {(char *)"dossier.xml", 12, (char *)"programma 2", false, 0};
static rhv_evidence ev_ledger = {(char *)"grootboek.xaf", 4711, NULL, false, 0};

typedef struct {
    rhv_finding f[5];
    rhv_rule_info rules[3];
    rhv_input in[2];
    rhv_diag diag;
    rhv_report r;
} fixture;

static rhv_finding mkf(const char *rule, criterion c, finding_kind k, rhv_cents amount, bool counts,
                       const char *subject, const char *msg, const char *toel, rhv_evidence *ev, size_t nev)
{
    rhv_finding f;
    memset(&f, 0, sizeof f);
    f.rule = (char *)rule;
    f.crit = c;
    f.kind = k;
    f.amount = amount;
    f.counts = counts;
    f.subject = (char *)subject;
    f.message = (char *)msg;
    f.toelichting = (char *)toel;
    f.ev = ev;
    f.nev = nev;
    return f;
}

/* GR, 3% of € 60.000.000,00 realisatie = € 1.800.000,00; rapportagegrens € 100.000,00.
 * Counted: fout € 123.456,78 (reportable) + onzekerheid € 5,00 (under the
 * rapportagegrens) + onzekerheid `extra_onz` on M&O. */
static void fixture_init(fixture *x, const char *soort, rhv_cents extra_onz, bool gescheiden)
{
    memset(x, 0, sizeof *x);
    x->f[0] = mkf("begroting.lasten", CRIT_BEGROTING, KIND_FOUT, 12345678, true, "Programma 2 Werk",
                  "Lasten € 123.456,78 boven de begroting na wijziging.",
                  "Realisatie € 1.123.456,78 min begroot € 1.000.000,00.", &ev_prog, 1);
    x->f[1] = mkf("aanbesteding.drempel", CRIT_VOORWAARDEN, KIND_ONZEKERHEID, 500, true, "Leverancier Klein BV",
                  "Geen contract gevonden.", NULL, &ev_ledger, 1);
    x->f[2] = mkf("begroting.lasten", CRIT_BEGROTING, KIND_FOUT, 77777700, false, "Programma 3 Inkomen",
                  "Overschrijding gedekt door direct gerelateerde baten.", NULL, NULL, 0);
    x->f[3] = mkf("data.aansluiting", CRIT_NONE, KIND_SIGNALERING, 0, true, "Grootboek 4000",
                  "Saldo sluit niet aan op de exploitatie.", NULL, &ev_ledger, 1);
    x->f[4] = mkf("mo.subsidies", CRIT_MO, KIND_ONZEKERHEID, extra_onz, true, "Subsidies sport",
                  "Verantwoording ontbreekt.", NULL, NULL, 0);

    x->rules[0] = (rhv_rule_info){(char *)"aanbesteding.drempel", (char *)"Europese aanbestedingsdrempel",
                                  CRIT_VOORWAARDEN, (char *)"rules/aanbesteding.drempel.lua",
                                  (char *)"aa11", RULE_OK, NULL};
    x->rules[1] = (rhv_rule_info){(char *)"begroting.lasten", (char *)"Lastenoverschrijding per programma",
                                  CRIT_BEGROTING, (char *)"rules/begroting.lasten.lua", (char *)"bb22",
                                  RULE_ERROR, (char *)"rules/begroting.lasten.lua:17: attempt to index nil"};
    x->rules[2] = (rhv_rule_info){(char *)"wnt.bezoldiging", (char *)"WNT-bezoldigingsmaximum",
                                  CRIT_VOORWAARDEN, (char *)"rules/wnt.bezoldiging.lua", (char *)"cc33",
                                  RULE_SKIPPED, (char *)"geen topfunctionaris in de invoer"};

    x->in[0].path = (char *)"dossier.xml";
    x->in[0].kind = "dossier";
    strcpy(x->in[0].sha256, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    x->in[1].path = (char *)"grootboek.xaf";
    x->in[1].kind = "ledger";
    strcpy(x->in[1].sha256, "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210");

    diag_init(&x->diag, NULL);
    diag_warning(&x->diag, "grootboek.xaf", 88, "onbekend dagboek 70");

    rhv_report *r = &x->r;
    r->version = "9.9.9";
    r->org_naam = "GR Westrom";
    r->org_soort = soort;
    r->fiscal_year = 2023;
    r->normenkader_datum = "2023-11-16";
    r->have_dossier = true;
    r->grens_basis = "realisatie";
    r->grens_besluit = "2023-11-16";
    r->grens_bron = "Besluit algemeen bestuur 16 november 2023";
    r->inputs = x->in;
    r->ninputs = 2;
    r->diags = x->diag.msgs;
    r->ndiags = x->diag.n;
    r->findings = x->f;
    r->nfindings = 5;
    r->rules = x->rules;
    r->nrules = 3;

    r->vin.basis = 5900000000LL + 100000000LL; /* lasten + toevoegingen, realisatie */
    r->vin.grens_bp = 300;
    r->vin.fouten_bp = gescheiden ? 100 : 0;
    r->vin.onzekerheden_bp = gescheiden ? 300 : 0;
    r->vin.gescheiden = gescheiden;
    r->vin.rapportagegrens = 10000000;
    const char *err = NULL;
    ck_assert_int_eq(verdict_compute(&r->vin, x->f, 5, &r->vres, &err), 0);
    r->have_verdict = true;
    r->exit_code = r->vres.boven ? 1 : 0;
}

static void fixture_free(fixture *x)
{
    diag_free(&x->diag);
}

/* Runs a writer into memory; the caller frees. */
static char *render(report_writer w, const rhv_report *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(m);
    ck_assert_int_eq(w(m, r), 0);
    ck_assert_int_eq(fclose(m), 0);
    ck_assert_ptr_nonnull(buf);
    ck_assert_uint_eq(strlen(buf), len);
    return buf;
}

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

/* ---- text ---------------------------------------------------------------- */

/* The text report wraps its paragraphs; phrases are matched with every run
 * of white space turned into one space. */
static char *flat(char *t)
{
    char *o = t;
    for (const char *p = t; *p; p++) {
        if (*p == ' ' || *p == '\n') {
            if (o > t && o[-1] == ' ')
                continue;
            *o++ = ' ';
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
    return t;
}

static char *render_flat(const rhv_report *r)
{
    return flat(render(report_text, r));
}

#define HAS(text, needle) ck_assert_msg(strstr(text, needle) != NULL, "missing in text: %s", needle)
#define HASNT(text, needle) ck_assert_msg(strstr(text, needle) == NULL, "unexpected in text: %s", needle)

START_TEST(text_binnen_gr)
{
    fixture x;
    fixture_init(&x, "gemeenschappelijke regeling", 0, false);
    char *t = render(report_text, &x.r);
    HAS(t, "Rechtmatigheidsverantwoording 2023 — GR Westrom\n====");
    char *again = render(report_text, &x.r);
    ck_assert_str_eq(t, again); /* deterministic */
    free(again);
    flat(t);
    HAS(t, "Verantwoordelijkheid dagelijks bestuur");
    HAS(t, "Het dagelijks bestuur is verantwoordelijk");
    HAS(t, "begrotingscriterium");
    HAS(t, "voorwaardencriterium");
    HAS(t, "misbruik en oneigenlijk gebruik");
    HAS(t, "16 november 2023");
    HAS(t, "door het algemeen bestuur bepaald op 3% van de totale lasten inclusief toevoegingen aan de");
    HAS(t, "(basis: realisatie € 60.000.000,00)");
    HAS(t, "vastgesteld op € 1.800.000,00");
    HAS(t, "rechtmatig tot stand zijn gekomen binnen de door het algemeen bestuur gestelde");
    HASNT(t, "niet rechtmatig");
    HAS(t, "Uitkomst: binnen de verantwoordingsgrens.");
    HAS(t, "€ 123.456,78");
    HAS(t, "€ 1.676.538,22");      /* ruimte = 1.800.000,00 - 123.461,78 */
    HAS(t, "A Begrotingscriterium");
    HAS(t, "B Voorwaardencriterium");
    HAS(t, "C Misbruik en oneigenlijk gebruik");
    HASNT(t, "D Geen criterium");
    HAS(t, "Toelichting (afwijkingen vanaf de rapportagegrens van € 100.000,00)");
    HAS(t, "Realisatie € 1.123.456,78 min begroot € 1.000.000,00.");
    HAS(t, "Bron: dossier.xml:12 (programma 2)");
    HAS(t, "Acceptabel volgens verordening (telt niet mee)");
    HAS(t, "Programma 3 Inkomen: € 777.777,00");
    HAS(t, "Signaleringen");
    HAS(t, "Grootboek 4000");
    HAS(t, "Bijlage: afwijkingen onder de rapportagegrens");
    HAS(t, "Leverancier Klein BV: € 5,00");
    HAS(t, "rules/begroting.lasten.lua:17: attempt to index nil");
    HAS(t, "geen topfunctionaris in de invoer");
    HAS(t, "overgeslagen");
    HAS(t, "mislukt");
    HAS(t, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    HAS(t, "rhv 9.9.9");
    HAS(t, "grootboek.xaf:88: waarschuwing: onbekend dagboek 70");
    HASNT(t, "LET OP");
    /* The reportable afwijking comes before the small one, in its own section. */
    const char *toel = strstr(t, "Toelichting (");
    const char *bijl = strstr(t, "Bijlage:");
    ck_assert(strstr(toel, "Programma 2 Werk") < bijl);
    ck_assert(strstr(bijl, "Leverancier Klein BV") != NULL);
    ck_assert(strstr(toel, "Leverancier Klein BV") > bijl);
    free(t);
    fixture_free(&x);
}
END_TEST

START_TEST(text_boven_and_roles)
{
    fixture x;
    /* € 1.800.000,00 grens; total = 123.456,78 + 5,00 + extra: 1 cent over. */
    fixture_init(&x, "gemeente", 180000001 - 12345678 - 500, false);
    ck_assert(x.r.vres.boven);
    char *t = render_flat(&x.r);
    HAS(t, "Verantwoordelijkheid college");
    HAS(t, "door de raad bepaald op 3%");
    HAS(t, "Het college verklaart dat de in de jaarrekening 2023 verantwoorde baten, lasten en");
    HAS(t, "niet rechtmatig");
    HAS(t, "dat is € 0,01 boven de verantwoordingsgrens van € 1.800.000,00");
    HAS(t, "Uitkomst: boven de verantwoordingsgrens.");
    HAS(t, "€ -0,01");
    free(t);
    fixture_free(&x);

    fixture_init(&x, "provincie", 0, false);
    x.r.vin.grens_bp = 350;
    ck_assert_int_eq(verdict_compute(&x.r.vin, x.f, 5, &x.r.vres, NULL), 0);
    ck_assert(x.r.vres.pct_warning);
    t = render_flat(&x.r);
    HAS(t, "Verantwoordelijkheid Gedeputeerde Staten");
    HAS(t, "Gedeputeerde Staten zijn verantwoordelijk");
    HAS(t, "Gedeputeerde Staten verklaren");
    HAS(t, "door Provinciale Staten bepaald op 3,50%");
    HAS(t, "LET OP: een percentage van de verantwoordingsgrens ligt buiten 0,5% tot 3%");
    free(t);
    fixture_free(&x);
}
END_TEST

START_TEST(text_gescheiden_and_without_verdict)
{
    fixture x;
    fixture_init(&x, "waterschap", 0, true);
    char *t = render_flat(&x.r);
    HAS(t, "bepaald op 1% (fouten) en 3% (onzekerheden)");
    HAS(t, "vastgesteld op € 600.000,00 voor fouten en € 1.800.000,00 voor onzekerheden");
    HAS(t, "Verantwoordingsgrenzen");
    HAS(t, "De fouten bedragen € 123.456,78; dat is € 476.543,22 binnen de grens van € 600.000,00.");
    HAS(t, "Uitkomst: binnen de verantwoordingsgrenzen.");
    free(t);
    fixture_free(&x);

    fixture_init(&x, NULL, 0, false);
    x.r.have_verdict = false;
    x.r.have_dossier = false;
    x.r.grens_basis = x.r.grens_besluit = x.r.grens_bron = x.r.normenkader_datum = NULL;
    x.r.exit_code = 2;
    t = render_flat(&x.r);
    HAS(t, "geen verantwoordingsgrens");
    HAS(t, "LET OP: bij het lezen van de invoer");
    HASNT(t, "Uitkomst:");
    HASNT(t, "Bijlage:");
    HAS(t, "€ 123.456,78");
    HAS(t, "Leverancier Klein BV: € 5,00"); /* listed one by one: no rapportagegrens known */
    free(t);
    fixture_free(&x);
}
END_TEST

/* ---- atomic write -------------------------------------------------------- */

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    int ch;
    while ((ch = fgetc(f)) != EOF)
        fputc(ch, m);
    fclose(m);
    fclose(f);
    return buf;
}

static size_t count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

static int failing_writer(FILE *out, const rhv_report *r)
{
    (void)r;
    fputs("half a report", out);
    return -1;
}

START_TEST(atomic_write_replaces_target)
{
    char dir[] = "/tmp/rhv-report-test-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char target[256];
    snprintf(target, sizeof target, "%s/rapport.json", dir);
    FILE *old = fopen(target, "w");
    ck_assert_ptr_nonnull(old);
    fputs("old content\n", old);
    fclose(old);

    fixture x;
    fixture_init(&x, "gemeenschappelijke regeling", 0, false);
    rhv_diag d;
    diag_init(&d, NULL);
    ck_assert_int_eq(report_write_atomic(target, report_json, &x.r, &d), 0);
    ck_assert_uint_eq(d.errors, 0);
    char *want = render(report_json, &x.r);
    char *got = slurp(target);
    ck_assert_ptr_nonnull(got);
    ck_assert_str_eq(got, want);
    free(got);
    ck_assert_uint_eq(count_entries(dir), 1); /* no temporary file left */
    struct stat st;
    ck_assert_int_eq(stat(target, &st), 0);
    ck_assert_int_eq(st.st_mode & 0777, 0644); /* like fopen under umask 022, not mkstemp's 0600 */

    /* A writer that fails leaves the old report as it was, and no temp file. */
    ck_assert_int_eq(report_write_atomic(target, failing_writer, &x.r, &d), -1);
    ck_assert_uint_eq(d.errors, 1);
    ck_assert(diag_contains(&d, "rapport.json"));
    got = slurp(target);
    ck_assert_str_eq(got, want);
    free(got);
    ck_assert_uint_eq(count_entries(dir), 1);

    /* Into a folder that does not exist: a clean error, nothing created. */
    char missing[300];
    snprintf(missing, sizeof missing, "%s/nope/rapport.txt", dir);
    ck_assert_int_eq(report_write_atomic(missing, report_text, &x.r, &d), -1);
    ck_assert_uint_eq(d.errors, 2);
    ck_assert(diag_contains(&d, "nope/rapport.txt"));
    ck_assert_uint_eq(count_entries(dir), 1);

    free(want);
    unlink(target);
    rmdir(dir);
    diag_free(&d);
    fixture_free(&x);
}
END_TEST

START_TEST(write_to_stdout)
{
    char dir[] = "/tmp/rhv-report-test-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/stdout.txt", dir);
    fixture x;
    fixture_init(&x, "gemeente", 0, false);
    rhv_diag d;
    diag_init(&d, NULL);

    /* "-" and NULL both mean stdout: point fd 1 at a file for the test. */
    fflush(stdout);
    int saved = dup(1);
    ck_assert_int_ge(saved, 0);
    ck_assert_ptr_nonnull(freopen(path, "w", stdout));
    int rc1 = report_write_atomic("-", report_text, &x.r, &d);
    int rc2 = report_write_atomic(NULL, report_text, &x.r, &d);
    fflush(stdout);
    ck_assert_int_ge(dup2(saved, 1), 0);
    close(saved);
    ck_assert_int_eq(rc1, 0);
    ck_assert_int_eq(rc2, 0);
    ck_assert_uint_eq(d.errors, 0);

    char *want = render(report_text, &x.r);
    char *got = slurp(path);
    ck_assert_ptr_nonnull(got);
    ck_assert_uint_eq(strlen(got), 2 * strlen(want));
    ck_assert(strncmp(got, want, strlen(want)) == 0);
    free(got);
    free(want);
    unlink(path);
    rmdir(dir);
    diag_free(&d);
    fixture_free(&x);
}
END_TEST

int main(void)
{
    umask(022);
    Suite *s = suite_create("report");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, json_contract_binnen);
    tcase_add_test(tc, json_boven_gescheiden);
    tcase_add_test(tc, json_without_verdict);
    tcase_add_test(tc, json_invalid_utf8_and_no_rules);
    tcase_add_test(tc, text_binnen_gr);
    tcase_add_test(tc, text_boven_and_roles);
    tcase_add_test(tc, text_gescheiden_and_without_verdict);
    tcase_add_test(tc, atomic_write_replaces_target);
    tcase_add_test(tc, write_to_stdout);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
