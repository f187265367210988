/* previous.h - an earlier JSON report (docs/report-json.md), for --vorige.
 *
 * Contract: previous_read() takes what the comparison needs from a report of
 * report_format 1 with fingerprints: per finding its fingerprint, rule,
 * subject, kind and amount; the fiscal year, the totals, the headroom and the
 * verdict (those may be null in the report). A file that is not such a report
 * is an error in d naming the file (and the line jansson gives). 0 ok, -1 error.
 */
#ifndef RHV_PREVIOUS_H
#define RHV_PREVIOUS_H

#include "diag.h"
#include "handled.h"

typedef struct {
    int fiscal_year;
    bool have_totals;
    rhv_cents fouten, onzekerheden, total;
    bool have_headroom;
    rhv_cents headroom;
    char *verdict;
    rhv_prev_finding *f;
    size_t n;
} rhv_previous;

int previous_read(const char *path, rhv_previous *out, rhv_diag *d);
void previous_free(rhv_previous *p);

#endif
