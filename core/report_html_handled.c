/* report_html_handled.c - findings handled across runs in the HTML report
 * (docs/handled.md, docs/report-formats.md; report_html_out.h): what the
 * text report says of them, with the same words (report_nl_handled.c), laid out for
 * the page. Beside each finding its fingerprint (also as data-vingerafdruk
 * on its <section>), beoordeling, earlier state and scenario change; the
 * Vergelijking with an earlier report as tables; with a scenario, its
 * banner in the top margin of every printed page.
 */
#include "report_html_out.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* s as the text of a CSS string: every character but a letter or a digit as
 * a six-digit hex escape, so nothing in it can end the string or the <style>
 * element (a space too: one right after an escape would be taken as the
 * escape's end; six digits need none). */
static void css_string(html_ctx *c, const char *s)
{
    bool oom;
    char *v = report_utf8(s, &oom);
    if (!v) {
        c->err = 1;
        return;
    }
    html_put(c, "\"");
    for (const unsigned char *p = (const unsigned char *)v; *p;) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')) {
            if (fputc(*p++, c->out) == EOF)
                c->err = 1;
            continue;
        }
        /* One code point of valid UTF-8 (report_utf8 made it so). */
        unsigned long cp = *p;
        int more = cp >= 0xF0 ? 3 : cp >= 0xE0 ? 2 : cp >= 0xC0 ? 1 : 0;
        cp &= more == 3 ? 0x07 : more == 2 ? 0x0F : more == 1 ? 0x1F : 0x7F;
        p++;
        for (int i = 0; i < more && *p; i++)
            cp = (cp << 6) | (*p++ & 0x3F);
        html_putf(c, "\\%06lx", cp);
    }
    html_put(c, "\"");
    free(v);
}

void html_scenario_page_style(html_ctx *c, const rhv_report *r)
{
    if (!r->scenario)
        return;
    /* The banner holds the scenario's name whole, however long. */
    size_t n = (r->scenario->naam ? strlen(r->scenario->naam) : 1) + 128;
    char *banner = malloc(n);
    if (!banner) {
        c->err = 1;
        return;
    }
    report_scenario_banner_nl(r, banner, n);
    html_put(c, "<style>\n@media print{@page{@top-center{content:");
    css_string(c, banner);
    html_put(c, ";font-family:\"Segoe UI\",Calibri,\"Liberation Sans\",Arial,sans-serif;font-size:9pt;"
                "font-weight:bold;color:#8a5a00}}}\n</style>\n");
    free(banner);
}

void html_finding_open(html_ctx *c, const rhv_finding_note *n)
{
    html_put(c, n && n->dropped ? "<section class=\"bevinding afgehandeld\"" : "<section class=\"bevinding\"");
    if (n && n->fingerprint) {
        html_put(c, " data-vingerafdruk=\"");
        html_esc(c, n->fingerprint);
        html_put(c, "\"");
    }
    html_put(c, ">\n");
}

/* A line of report_nl beside a finding, as a paragraph whose class says
 * which it is; the fingerprint in the face of the other digests. */
static void emit_note(void *vc, const char *text)
{
    html_ctx *c = vc;
    static const char fp[] = "Vingerafdruk: ";
    static const struct {
        const char *prefix, *cls;
    } kinds[] = {{"Beoordeling: ", "notitie beoordeling"},
                 {"Vorige rapportage: ", "notitie vorige"},
                 {"SCENARIO: ", "notitie scenario-wijziging"}};
    if (strncmp(text, fp, sizeof fp - 1) == 0) {
        html_put(c, "<p class=\"notitie vingerafdruk\">Vingerafdruk: <span class=\"hash\">");
        html_esc(c, text + sizeof fp - 1);
        html_put(c, "</span></p>\n");
        return;
    }
    const char *cls = "notitie";
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strncmp(text, kinds[i].prefix, strlen(kinds[i].prefix)) == 0)
            cls = kinds[i].cls;
    html_elem(c, "p", cls, text);
}

void html_finding_notes(html_ctx *c, const rhv_finding_note *n)
{
    if (report_note_lines(n, emit_note, c) != 0)
        c->err = 1;
}

static void emit_para(void *vc, const char *text)
{
    html_elem(vc, "p", NULL, text);
}

/* The totals then, now and the difference. */
static void compare_table(html_ctx *c, const rhv_report *r)
{
    report_compare_row rows[REPORT_COMPARE_ROWS];
    report_compare_rows(r, rows);
    html_put(c, "<table class=\"vergelijking\">\n<thead><tr><th scope=\"col\"></th>"
                "<th scope=\"col\" class=\"num\">Vorige rapportage</th><th scope=\"col\" class=\"num\">Nu</th>"
                "<th scope=\"col\" class=\"num\">Verschil</th></tr></thead>\n<tbody>\n");
    for (int i = 0; i < REPORT_COMPARE_ROWS; i++) {
        html_put(c, "<tr><th scope=\"row\">");
        html_esc(c, rows[i].label);
        html_put(c, "</th>");
        if (rows[i].have) {
            const rhv_cents cells[3] = {rows[i].then, rows[i].now, rows[i].diff};
            for (int j = 0; j < 3; j++) {
                html_put(c, "<td class=\"num\">");
                html_amount(c, cells[j]);
                html_put(c, "</td>");
            }
        } else {
            html_put(c, "<td colspan=\"3\">" REPORT_NL_NOT_COMPARABLE "</td>");
        }
        html_put(c, "</tr>\n");
    }
    html_put(c, "</tbody>\n</table>\n");
}

/* The findings of the earlier report that are gone, with their fingerprints. */
static void vervallen_table(html_ctx *c, const rhv_vergelijking *v)
{
    html_elem(c, "p", NULL, REPORT_NL_VERVALLEN);
    html_put(c, "<table class=\"vervallen\">\n<thead><tr><th scope=\"col\">Nr.</th><th scope=\"col\">Onderwerp</th>"
                "<th scope=\"col\">Soort</th><th scope=\"col\">Regel</th>"
                "<th scope=\"col\" class=\"num\">Bedrag in de vorige rapportage</th>"
                "<th scope=\"col\">Vingerafdruk</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < v->nvervallen; i++) {
        const rhv_prev_finding *p = v->vervallen[i];
        html_putf(c, "<tr><td class=\"num\">%zu</td><td>", i + 1);
        html_esc(c, p->subject ? p->subject : "(geen onderwerp)");
        html_put(c, "</td><td>");
        html_esc(c, p->kind ? p->kind : "?");
        html_put(c, "</td><td>");
        html_esc(c, p->rule ? p->rule : "?");
        html_put(c, "</td><td class=\"num\">");
        html_amount(c, p->amount);
        html_put(c, "</td><td class=\"hash\">");
        html_esc(c, p->fingerprint ? p->fingerprint : "?");
        html_put(c, "</td></tr>\n");
    }
    html_put(c, "</tbody>\n</table>\n");
}

void html_vergelijking(html_ctx *c, const rhv_report *r)
{
    const rhv_vergelijking *v = r->vergelijking;
    if (!v)
        return;
    html_elem(c, "h2", NULL, REPORT_NL_VERGELIJKING);
    if (report_vergelijking_paras(r, emit_para, c) != 0)
        c->err = 1;
    compare_table(c, r);
    if (v->nvervallen > 0)
        vervallen_table(c, v);
}
