/* report_csv.c - the findings as CSV for a Dutch Excel (docs/report-formats.md).
 *
 * What a Dutch Excel opens by double-click without an import dialog: ';'
 * between fields, a decimal comma, UTF-8 announced by a byte order mark,
 * CRLF after every record. Text fields are always quoted (RFC 4180, a quote
 * doubled), amounts and numbers never, so Excel reads them as numbers it
 * can sum. A text that starts like a formula (=, +, -, @) gets a leading
 * apostrophe: a toelichting from the input must never run as a formula.
 * One row per finding, numbered and ordered as in the workbook's
 * Bevindingen sheet. Findings handled across runs (docs/handled.md): each
 * row has the finding's fingerprint, its beoordeling, its state against an
 * earlier report (--vorige) and, with --als, the scenario's name, so a row
 * copied elsewhere still says it is a what-if.
 */
#include "report_cells.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    FILE *out;
    const rhv_report *r;
    int err;
} csv;

static void put(csv *c, const char *s)
{
    if (fputs(s, c->out) == EOF)
        c->err = 1;
}

static void text_field(csv *c, const char *s, bool last)
{
    bool oom;
    char *v = report_utf8(s ? s : "", &oom);
    if (!v) {
        c->err = 1;
        return;
    }
    put(c, "\"");
    if (v[0] != '\0' && strchr("=+-@\t\r", v[0]))
        put(c, "'");
    for (const char *p = v; *p; p++) {
        if (*p == '"')
            put(c, "\"\"");
        else if (fputc(*p, c->out) == EOF)
            c->err = 1;
    }
    put(c, last ? "\"\r\n" : "\";");
    free(v);
}

static void raw_field(csv *c, const char *s)
{
    put(c, s);
    put(c, ";");
}

/* The records the rule did not list: "en nog 7 boekingen: € 1.234,56"
 * (the amount when known). malloc'd; NULL when memory ran out. */
static char *omitted_line(const rhv_finding *f)
{
    char more[64], b[MONEY_FMT_MAX];
    report_more_nl(f->ev_omitted, more, sizeof more);
    size_t n = sizeof more + sizeof b + 4;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s%s%s", more, f->has_omitted_amount ? ": " : "",
                 f->has_omitted_amount ? money_format(f->omitted_amount, b) : "");
    return s;
}

/* Every "Bron" of a finding with its amount, one per line in one cell, then
 * the records the rule did not list. */
static char *sources(const rhv_finding *f)
{
    size_t len = 0, n = f->nev + (f->ev_omitted > 0);
    char **lines = n ? calloc(n, sizeof *lines) : NULL;
    if (n && !lines)
        return NULL;
    int fail = 0;
    for (size_t i = 0; i < n; i++) {
        lines[i] = i < f->nev ? report_evidence_nl(&f->ev[i]) : omitted_line(f);
        if (!lines[i])
            fail = 1;
        else
            len += strlen(lines[i]) + 1;
    }
    char *s = fail ? NULL : malloc(len + 1);
    if (s) {
        s[0] = '\0';
        for (size_t i = 0; i < n; i++) {
            if (i)
                strcat(s, "\n");
            strcat(s, lines[i]);
        }
    }
    for (size_t i = 0; i < n; i++)
        free(lines[i]);
    free(lines);
    return s;
}

static int row(void *vc, size_t no, report_list_kind k, const rhv_finding *f)
{
    csv *c = vc;
    char num[32], amount[MONEY_FMT_MAX];
    snprintf(num, sizeof num, "%zu", no);
    raw_field(c, num);
    text_field(c, report_list_name(k), false);
    text_field(c, f->rule, false);
    text_field(c, criterion_title_nl(f->crit), false);
    text_field(c, finding_kind_name(f->kind), false);
    raw_field(c, report_decimal(f->amount, ',', amount));
    text_field(c, report_counts(c->r, f) ? "ja" : "nee", false);
    text_field(c, f->subject, false);
    text_field(c, f->message, false);
    text_field(c, f->toelichting, false);
    char *src = sources(f);
    if (!src)
        c->err = 1;
    text_field(c, src, false);
    free(src);
    const rhv_finding_note *n = report_note(c->r, f);
    const rhv_beoordeling *e = n ? n->beoordeling : NULL;
    text_field(c, n ? n->fingerprint : NULL, false);
    char besluit[48] = "";
    if (e)
        snprintf(besluit, sizeof besluit, "%s%s", besluit_name(e->besluit), e->verlopen ? " (verlopen)" : "");
    text_field(c, besluit, false);
    text_field(c, e ? e->reden : NULL, false);
    text_field(c, n && n->have_vorige ? vorige_status_name(n->vorige) : NULL, false);
    if (n && n->have_vorige && n->vorige != VORIGE_NIEUW)
        raw_field(c, report_decimal(n->vorige_amount, ',', amount));
    else
        raw_field(c, "");
    text_field(c, c->r->scenario ? (c->r->scenario->naam ? c->r->scenario->naam : "?") : NULL, false);
    text_field(c, n ? report_scenario_change_nl(n->scenario) : NULL, true);
    return 0;
}

int report_csv(FILE *out, const rhv_report *r)
{
    csv c = {out, r, 0};
    put(&c, "\xEF\xBB\xBF");
    static const char *const head[] = {"Nummer", "Onderdeel", "Regel", "Criterium", "Soort", "Bedrag",
                                       "Telt mee", "Onderwerp", "Melding", "Toelichting", "Bron",
                                       "Vingerafdruk", "Beoordeling", "Reden", "Vorige", "Vorig bedrag",
                                       "Scenario", "Scenariowijziging"};
    size_t nh = sizeof head / sizeof head[0];
    for (size_t i = 0; i < nh; i++)
        text_field(&c, head[i], i + 1 == nh);
    if (report_each_finding(r, row, &c) != 0)
        c.err = 1;
    if (ferror(out))
        c.err = 1;
    return c.err ? -1 : 0;
}
