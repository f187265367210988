/* report_html_out.h - writing the HTML report (report_html.c): the page's
 * output with the first write error kept, and every value from the input
 * escaped on its way out. Shared by report_html.c, report_html_figure.c and
 * report_html_handled.c.
 *
 * Contract: every function writes to c->out and sets c->err on a failed
 * write (or out of memory) and carries on, so the caller checks c->err once
 * at the end. html_esc() and html_elem() escape their text (also safe inside
 * a quoted attribute); html_put() and html_putf() write markup as given.
 */
#ifndef RHV_REPORT_HTML_OUT_H
#define RHV_REPORT_HTML_OUT_H

#include <stdio.h>

#include "report_cells.h"

typedef struct {
    FILE *out;
    int err;
} html_ctx;

void html_put(html_ctx *c, const char *s);
void html_putf(html_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* s as HTML text; NULL writes nothing. The space after a euro sign does not
 * break, as in the text report. */
void html_esc(html_ctx *c, const char *s);
/* <tag class="cls">escaped text</tag>; cls may be NULL. */
void html_elem(html_ctx *c, const char *tag, const char *cls, const char *text);
/* An amount as the text report writes it ("€ 1.234,56"). */
void html_amount(html_ctx *c, rhv_cents v);

/* report_html_figure.c: the bar (inline SVG) of how much of the
 * verantwoordingsgrens is used, one bar per kind when the grenzen are
 * gescheiden, with its caption. */
void html_usage_figure(html_ctx *c, const rhv_report *r);

/* report_html_handled.c: findings handled across runs (docs/handled.md).
 * With a scenario, a <style> that prints its banner in the top margin of
 * every page (in <head>); nothing without one. */
void html_scenario_page_style(html_ctx *c, const rhv_report *r);
/* A finding's <section> start tag: class "bevinding" ("bevinding
 * afgehandeld" when a beoordeling dropped it) and data-vingerafdruk; n may
 * be NULL (a report made by hand). */
void html_finding_open(html_ctx *c, const rhv_finding_note *n);
/* What the report says beside a finding, as the text says it: fingerprint,
 * beoordeling, earlier state, scenario change; nothing when n is NULL. */
void html_finding_notes(html_ctx *c, const rhv_finding_note *n);
/* --vorige: the section Vergelijking (paragraph, totals table, vervallen
 * table); nothing without r->vergelijking. */
void html_vergelijking(html_ctx *c, const rhv_report *r);

#endif
