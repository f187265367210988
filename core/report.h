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
    int boekjaar;
    const rhv_dossier *dossier;   /* NULL when a ledger was checked on its own */
    bool have_verdict;            /* false without a dossier (no grens known) */
    verdict_input vin;
    verdict_result vres;
    const rhv_engine *engine;
    const rhv_input *inputs;
    size_t ninputs;
    const rhv_diag *diag;         /* input errors and warnings */
    int exit_code;                /* 0 binnen, 1 boven, 2 errors */
} rhv_report;

int report_text(FILE *out, const rhv_report *r);
int report_json(FILE *out, const rhv_report *r);
typedef int (*report_writer)(FILE *out, const rhv_report *r);
/* Writes with `w` to path atomically; "-" or NULL means stdout. 0 ok, -1 error (diag). */
int report_write_atomic(const char *path, report_writer w, const rhv_report *r, rhv_diag *d);

#endif
