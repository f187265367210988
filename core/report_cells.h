/* report_cells.h - values as the HTML, workbook and CSV writers put them in
 * cells: valid UTF-8, plain decimals, and the findings numbered once in the
 * order the report lists them. (A record behind a finding is worded by
 * report_evidence_nl(), report_nl.h, as in the text report.)
 *
 * Contract:
 * - report_utf8() returns a malloc'd copy of s in which every byte that is
 *   not part of valid UTF-8 is U+FFFD (a ledger text in another encoding
 *   must not break an XML or HTML file); NULL for NULL or out of memory
 *   (*oom tells which).
 * - report_decimal() writes cents as "1234.56" (sep '.') or "1234,56"
 *   (sep ','): no grouping, no euro sign, a minus sign when negative; the
 *   exact decimal of the amount, never rounded through a float.
 * - report_each_finding() calls fn for every finding once, numbered 1..n in
 *   the order of the report's lists (toelichting, acceptabel, signaleringen,
 *   bijlage, afgehandeld), each list in report order; -1 when memory ran out (nothing
 *   called), else what the last fn returned that was not 0, or 0.
 */
#ifndef RHV_REPORT_CELLS_H
#define RHV_REPORT_CELLS_H

#include <stdbool.h>
#include <stddef.h>

#include "report.h"
#include "report_nl.h"

char *report_utf8(const char *s, bool *oom);
char *report_decimal(rhv_cents c, char sep, char buf[MONEY_FMT_MAX]);

/* "toelichting", "acceptabel", "signalering", "bijlage", "afgehandeld": the
 * list a finding is in. */
const char *report_list_name(report_list_kind k);

typedef int (*report_finding_fn)(void *ctx, size_t no, report_list_kind k, const rhv_finding *f);
int report_each_finding(const rhv_report *r, report_finding_fn fn, void *ctx);

#endif
