/* report_test_util.c - see report_test_util.h */
#include "report_test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check_run.h"

/* ---- a hand-made report -------------------------------------------------- */

rhv_evidence ev_prog = {(char *)"dossier.xml", 12, (char *)"programma 2", false, 0};
rhv_evidence ev_ledger = {(char *)"grootboek.xaf", 4711, NULL, false, 0};


rhv_finding mkf(const char *rule, criterion c, finding_kind k, rhv_cents amount, bool counts,
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
void fixture_init(fixture *x, const char *soort, rhv_cents extra_onz, bool gescheiden)
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

void fixture_free(fixture *x)
{
    diag_free(&x->diag);
}

/* Runs a writer into memory; the caller frees. */
char *render(report_writer w, const rhv_report *r)
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

int report_test_run(TCase *tc)
{
    umask(022);
    Suite *s = suite_create("report");
    suite_add_tcase(s, tc);
    return check_run(s);
}
