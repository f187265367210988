/* report_test_util.h - a hand-made report for the writers' unit tests: the
 * report is plain data (report.h), so the tests fill it by hand, with no
 * engine and no dossier.
 *
 * Contract: fixture_init() fills x->r for an organisation of kind soort (GR:
 * 3% of EUR 60.000.000,00 realisatie, rapportagegrens EUR 100.000,00; counted
 * a fout of EUR 123.456,78, an onzekerheid of EUR 5,00 and extra_onz on M&O)
 * with its verdict computed; fixture_free() frees what it took. render() runs
 * a writer into memory (the caller frees the text). */
#ifndef RHV_REPORT_TEST_UTIL_H
#define RHV_REPORT_TEST_UTIL_H

#include <check.h>
#include <stdbool.h>
#include <stddef.h>

#include "report.h"


typedef struct {
    rhv_finding f[5];
    rhv_rule_info rules[3];
    rhv_input in[2];
    rhv_diag diag;
    rhv_report r;
} fixture;

extern rhv_evidence ev_prog;
extern rhv_evidence ev_ledger;
/* A finding that points at its arguments (nothing copied). */
rhv_finding mkf(const char *rule, criterion c, finding_kind k, rhv_cents amount, bool counts,
                const char *subject, const char *msg, const char *toel, rhv_evidence *ev, size_t nev);
void fixture_init(fixture *x, const char *soort, rhv_cents extra_onz, bool gescheiden);
void fixture_free(fixture *x);
char *render(report_writer w, const rhv_report *r);
/* Runs tc in the suite "report" (umask 022 first); the exit status for main. */
int report_test_run(TCase *tc);

#endif
