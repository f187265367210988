/* report.h - the RHV deviation report: Dutch text for people, JSON for tools.
 *
 * Contract:
 * - Both writers take the same rhv_report and never compute anything that the
 *   verdict or the engine did not already decide: they only present.
 * - Output is deterministic: no time stamps, no addresses, fixed order.
 * - report_json() writes the documented, stable format of docs/report-json.md.
 * - report_write_atomic() writes to FILE.tmp.XXXXXX in the same folder and
 *   renames it over FILE, so an existing report is never left half-written.
 */
#ifndef RHV_REPORT_H
#define RHV_REPORT_H

#include <stdio.h>

#include "diag.h"
#include "dossier.h"
#include "engine.h"
#include "verdict.h"

typedef struct {
    char *path;
    char sha256[65];
    const char *kind;   /* "dossier", "ledger" */
} rhv_input;

typedef struct {
    const char *version;          /* rhv version */
    const char *org_naam;
    const char *org_soort;
    int fiscal_year;
    const rhv_dossier *dossier;   /* NULL when a ledger was checked on its own */
    bool have_verdict;            /* false without a dossier (no grens known) */
    verdict_input vin;
    verdict_result vres;
    const rhv_engine *engine;
    const rhv_input *inputs;
    size_t ninputs;
    const rhv_diag *diag;         /* input errors and warnings */
    int exit_code;                /* 0 binnen, 1 boven, 2 errors */
    /* Used instead of the engine's lists when engine is NULL (tests, tools
     * that hold their findings themselves). Ignored when engine is set. */
    const rhv_finding *findings;
    size_t nfindings;
    const rhv_rule_info *rules;
    size_t nrules;
} rhv_report;

/* The report's findings and rules: from the engine when set, else from the
 * arrays above. Both writers read through these, so they agree. */
size_t report_finding_count(const rhv_report *r);
const rhv_finding *report_finding(const rhv_report *r, size_t i);
size_t report_rule_count(const rhv_report *r);
const rhv_rule_info *report_rule(const rhv_report *r, size_t i);
/* Parameter tables and rule-argument overrides: only an engine has them. */
size_t report_param_count(const rhv_report *r);
const rhv_param_info *report_param(const rhv_report *r, size_t i);
size_t report_override_count(const rhv_report *r);
const char *report_override(const rhv_report *r, size_t i);
/* Listed one by one: verdict_is_reportable(), or every counted fout and
 * onzekerheid when there is no verdict (no rapportagegrens known). */
bool report_is_reportable(const rhv_report *r, const rhv_finding *f);
/* Totals of the counted findings: r->vres when have_verdict, else computed
 * by verdict_compute() without a grens (ledger-only run). -1 if they cannot
 * be computed (bad finding, overflow). */
int report_totals(const rhv_report *r, verdict_result *out);

int report_text(FILE *out, const rhv_report *r);
int report_json(FILE *out, const rhv_report *r);
typedef int (*report_writer)(FILE *out, const rhv_report *r);
/* Writes with `w` to path atomically; "-" or NULL means stdout. 0 ok, -1 error (diag). */
int report_write_atomic(const char *path, report_writer w, const rhv_report *r, rhv_diag *d);

#endif
