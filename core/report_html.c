/* report_html.c - the report as one self-contained HTML page (docs/report-formats.md).
 *
 * The page says what the text report says, in the same order and with the
 * same words (report_nl.c): the warnings (a partial check, errors), statement,
 * grens, bevinding, the table of afwijkingen, the lists with every record
 * behind each finding and its amount, the scope (Reikwijdte), the rules, the
 * inputs, the provenance (Herkomst), the diagnostics. On top, a
 * bar drawn in inline SVG shows how much of the verantwoordingsgrens is used
 * (one bar per kind when the grenzen are gescheiden). Findings handled
 * across runs (docs/handled.md) as in the text: each finding's fingerprint,
 * beoordeling, earlier state and scenario change, the Afgehandeld list, the
 * Vergelijking with an earlier report as tables; a scenario (--als) is a
 * banner on top and, printed, in the top margin of every page.
 *
 * Self-contained: one file, the style inline, no script, no font, no image
 * or link to fetch; a Content-Security-Policy forbids every fetch, so a
 * browser opening the file from a mail or a share makes no request. Tables
 * are real <table>s, so they paste into Word as tables; a print style gives
 * a clean A4 document. Every value from the input is escaped: a toelichting
 * with markup shows as text.
 */
#include "paths.h"
#include "report_cells.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    FILE *out;
    int err;
} ctx;

static void put(ctx *c, const char *s)
{
    if (fputs(s, c->out) == EOF)
        c->err = 1;
}

static void putf(ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (vfprintf(c->out, fmt, ap) < 0)
        c->err = 1;
    va_end(ap);
}

/* s as HTML text (also safe inside a quoted attribute); NULL writes nothing.
 * The space after a euro sign does not break, as in the text report. */
static void esc(ctx *c, const char *s)
{
    bool oom;
    char *v = report_utf8(s, &oom);
    if (!v) {
        if (oom)
            c->err = 1;
        return;
    }
    for (const char *p = v; *p; p++) {
        switch (*p) {
        case '&': put(c, "&amp;"); break;
        case '<': put(c, "&lt;"); break;
        case '>': put(c, "&gt;"); break;
        case '"': put(c, "&quot;"); break;
        case '\'': put(c, "&#39;"); break;
        case ' ':
            if (p - v >= 3 && memcmp(p - 3, "\xe2\x82\xac", 3) == 0)
                put(c, "&nbsp;");
            else
                put(c, " ");
            break;
        default:
            if (fputc(*p, c->out) == EOF)
                c->err = 1;
        }
    }
    free(v);
}

/* <tag class="cls">escaped text</tag>; cls may be NULL. */
static void elem(ctx *c, const char *tag, const char *cls, const char *text)
{
    if (cls)
        putf(c, "<%s class=\"%s\">", tag, cls);
    else
        putf(c, "<%s>", tag);
    esc(c, text);
    putf(c, "</%s>\n", tag);
}

static void amount(ctx *c, rhv_cents v)
{
    char b[MONEY_FMT_MAX];
    esc(c, money_format(v, b));
}

static const char style[] =
    "<style>\n"
    ":root{--ink:#1b1b1b;--muted:#5a5a5a;--line:#c8c8c8;--fout:#1f4e79;--onz:#7fa7d1;--over:#b3261e;"
    "--ok:#2e7d32}\n"
    "body{font-family:\"Segoe UI\",Calibri,\"Liberation Sans\",Arial,sans-serif;color:var(--ink);"
    "line-height:1.45;margin:0;background:#fff}\n"
    "main{max-width:60rem;margin:0 auto;padding:1.5rem 1.5rem 3rem}\n"
    "h1{font-size:1.6rem;margin:.2rem 0 1rem}h2{font-size:1.2rem;margin:2rem 0 .6rem;"
    "border-bottom:1px solid var(--line);padding-bottom:.2rem}h3{font-size:1rem;margin:0 0 .3rem}\n"
    "p{margin:.4rem 0 .8rem}.warn{border-left:4px solid var(--over);padding:.3rem .8rem;background:#fdf1f0}\n"
    "table{border-collapse:collapse;margin:.4rem 0 1rem}th,td{border:1px solid var(--line);"
    "padding:.25rem .6rem;text-align:left;vertical-align:top}th{background:#f2f4f7}\n"
    ".num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}\n"
    "th[scope=row]{font-weight:normal;background:none}tr.totaal td,tr.totaal th{font-weight:bold;"
    "border-top:2px solid var(--ink)}tr.negatief .num{color:var(--over)}\n"
    ".gebruik{margin:0 0 1.5rem}.gebruik svg{display:block;width:100%;max-width:40rem;height:auto}\n"
    ".gebruik figcaption{font-weight:bold;margin-top:.3rem}\n"
    ".bevinding{border:1px solid var(--line);border-radius:4px;padding:.6rem .9rem;margin:0 0 .8rem;"
    "break-inside:avoid}\n"
    ".bevinding .meta{color:var(--muted);margin:.1rem 0 .4rem}.pre{white-space:pre-wrap}\n"
    "details{margin:.3rem 0 0}summary{cursor:pointer;color:var(--muted)}details table{margin:.3rem 0 0}\n"
    ".sleutel{color:var(--muted)}\n"
    ".hash{font-family:\"DejaVu Sans Mono\",Consolas,monospace;font-size:.85em;word-break:break-all}\n"
    ".status-mislukt{color:var(--over);font-weight:bold}.status-overgeslagen{color:var(--muted)}\n"
    ".status-geen-gegevens{color:#8a5a00;font-weight:bold}.regels-lijst li,.herkomst li{overflow-wrap:anywhere}\n"
    ".scenario{border:2px solid #8a5a00;background:#fff6e0;padding:.4rem .8rem;font-weight:bold}\n"
    ".notitie{color:var(--muted);margin:.1rem 0}.notitie.beoordeling{color:var(--ink)}\n"
    ".bevinding.afgehandeld{border-style:dashed}\n"
    "@media print{@page{size:A4;margin:18mm 16mm}\n"
    " body{font-size:10pt}main{max-width:none;padding:0}\n"
    " h2{break-after:avoid}h3{break-after:avoid}tr,.gebruik{break-inside:avoid}\n"
    " thead{display:table-header-group}\n"
    " *{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
    " summary{display:none}details::details-content{content-visibility:visible;display:block}}\n"
    "</style>\n";

/* s as the text of a CSS string: every character but a letter or a digit
 * as a six-digit hex escape, so nothing in it can end the string or the
 * <style> element. (A space too: one right after an escape would be taken
 * as the escape's end.) */
static void css_string(ctx *c, const char *s)
{
    bool oom;
    char *v = report_utf8(s, &oom);
    if (!v) {
        c->err = 1;
        return;
    }
    put(c, "\"");
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
        putf(c, "\\%06lx", cp);
    }
    put(c, "\"");
    free(v);
}

/* A scenario is marked on every printed page: the banner in the top margin
 * (a CSS page-margin box; a browser without them still shows the banner on
 * top of the first page). */
static void scenario_page_style(ctx *c, const rhv_report *r)
{
    char banner[512];
    if (!report_scenario_banner_nl(r, banner, sizeof banner))
        return;
    put(c, "<style>\n@media print{@page{@top-center{content:");
    css_string(c, banner);
    put(c, ";font-family:\"Segoe UI\",Calibri,\"Liberation Sans\",Arial,sans-serif;font-size:9pt;"
           "font-weight:bold;color:#8a5a00}}}\n</style>\n");
}

static void head(ctx *c, const rhv_report *r, const char *title)
{
    put(c, "<!DOCTYPE html>\n<html lang=\"nl\">\n<head>\n<meta charset=\"utf-8\">\n");
    /* Nothing to fetch, and the browser is told so: an injected reference
     * would be blocked too. */
    put(c, "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
           "style-src 'unsafe-inline'\">\n");
    put(c, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    put(c, "<meta name=\"generator\" content=\"rhv ");
    esc(c, r->version ? r->version : "?");
    put(c, "\">\n<title>");
    esc(c, title);
    put(c, "</title>\n");
    put(c, style);
    scenario_page_style(c, r);
    put(c, "</head>\n<body>\n<main>\n");
}

/* A paragraph of report_nl; its warnings ("LET OP: ...") and the scenario
 * ("SCENARIO ...") stand out. */
static void emit_para(void *vc, const char *text)
{
    const char *cls = NULL;
    if (strncmp(text, "LET OP:", 7) == 0)
        cls = "warn";
    else if (strncmp(text, "SCENARIO ", 9) == 0)
        cls = "scenario";
    elem(vc, "p", cls, text);
}

/* A paragraph that is a warning by what it says ("Onvolledig: ..."). */
static void emit_warn(void *vc, const char *text)
{
    elem(vc, "p", "warn", text);
}

static void paras(ctx *c, const rhv_report *r, int (*words)(const rhv_report *, report_emit, void *))
{
    if (words(r, emit_para, c) != 0)
        c->err = 1;
}

/* part / whole in hundredths of a percent (10000 = 100%), for drawing and
 * the caption; whole > 0. Exact for amounts below 9e14 cents, near enough
 * (a drawing) above. */
static int64_t ratio_bp(rhv_cents part, rhv_cents whole)
{
    if (part <= 0)
        return 0;
    if (part > INT64_MAX / 10000)
        return whole / 10000 > 0 ? part / (whole / 10000) : INT64_MAX;
    return div_round_half_away(part * 10000, whole);
}

#define BAR_W 600  /* SVG user units; the bar scales with the page */
#define BAR_X 0

/* x in the bar for a ratio of the scale (bp of the scale). */
static int64_t bar_x(int64_t bp)
{
    return BAR_X + (bp > 10000 ? 10000 : bp) * BAR_W / 10000;
}

/* One bar: the counted amounts (one or two segments) against one grens. The
 * scale is the larger of grens and total, so a total above the grens shows
 * how far above. */
static void bar(ctx *c, int y, const char *label, rhv_cents fouten, rhv_cents onz, rhv_cents grens)
{
    rhv_cents total;
    if (!money_add(fouten, onz, &total))
        total = INT64_MAX;
    rhv_cents scale = total > grens ? total : grens;
    if (scale <= 0)
        scale = 1;
    int64_t xf = bar_x(ratio_bp(fouten, scale));
    int64_t xt = bar_x(ratio_bp(total, scale));
    int64_t xg = bar_x(ratio_bp(grens, scale));
    putf(c, "<text x=\"0\" y=\"%d\" font-size=\"13\" fill=\"#1b1b1b\">", y);
    esc(c, label);
    put(c, "</text>\n");
    int by = y + 6;
    putf(c, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"22\" fill=\"#eef1f5\" stroke=\"#c8c8c8\"/>\n", BAR_X, by,
         BAR_W);
    if (xf > BAR_X)
        putf(c, "<rect x=\"%d\" y=\"%d\" width=\"%lld\" height=\"22\" fill=\"#1f4e79\"/>\n", BAR_X, by,
             (long long)(xf - BAR_X));
    if (xt > xf)
        putf(c, "<rect x=\"%lld\" y=\"%d\" width=\"%lld\" height=\"22\" fill=\"#7fa7d1\"/>\n", (long long)xf, by,
             (long long)(xt - xf));
    if (xt > xg)
        putf(c, "<rect x=\"%lld\" y=\"%d\" width=\"%lld\" height=\"22\" fill=\"#b3261e\"/>\n",
             (long long)xg, by, (long long)(xt - xg));
    putf(c, "<line x1=\"%lld\" y1=\"%d\" x2=\"%lld\" y2=\"%d\" stroke=\"#1b1b1b\" stroke-width=\"2\"/>\n",
         (long long)(xg > BAR_X + BAR_W - 1 ? BAR_X + BAR_W - 1 : xg), by - 4,
         (long long)(xg > BAR_X + BAR_W - 1 ? BAR_X + BAR_W - 1 : xg), by + 26);
}

/* "72,8%" of a ratio in bp, to one decimal. */
static void pct1(char buf[32], int64_t bp)
{
    int64_t pm = div_round_half_away(bp, 10);
    snprintf(buf, 32, "%lld,%lld%%", (long long)(pm / 10), (long long)(pm % 10));
}

static void usage_caption(ctx *c, const char *what, rhv_cents used, rhv_cents grens)
{
    char b1[MONEY_FMT_MAX], b2[MONEY_FMT_MAX], p[32];
    if (grens > 0)
        pct1(p, ratio_bp(used, grens));
    else
        snprintf(p, sizeof p, "-");
    char line[200];
    snprintf(line, sizeof line, "%s: %s van %s gebruikt (%s)", what, money_format(used, b1),
             money_format(grens, b2), p);
    esc(c, line);
}

static void legend(ctx *c, int y, bool over)
{
    putf(c, "<rect x=\"0\" y=\"%d\" width=\"12\" height=\"12\" fill=\"#1f4e79\"/>"
            "<text x=\"18\" y=\"%d\" font-size=\"12\" fill=\"#1b1b1b\">fouten</text>\n", y, y + 11);
    putf(c, "<rect x=\"90\" y=\"%d\" width=\"12\" height=\"12\" fill=\"#7fa7d1\"/>"
            "<text x=\"108\" y=\"%d\" font-size=\"12\" fill=\"#1b1b1b\">onzekerheden</text>\n", y, y + 11);
    putf(c, "<line x1=\"216\" y1=\"%d\" x2=\"216\" y2=\"%d\" stroke=\"#1b1b1b\" stroke-width=\"2\"/>"
            "<text x=\"224\" y=\"%d\" font-size=\"12\" fill=\"#1b1b1b\">grens</text>\n", y - 1, y + 13, y + 11);
    if (over)
        putf(c, "<rect x=\"280\" y=\"%d\" width=\"12\" height=\"12\" fill=\"#b3261e\"/>"
                "<text x=\"298\" y=\"%d\" font-size=\"12\" fill=\"#1b1b1b\">boven de grens</text>\n", y, y + 11);
}

/* The figure on top: how much of the grens (or of each grens) is used. */
static void usage_figure(ctx *c, const rhv_report *r)
{
    if (!r->have_verdict)
        return;
    const verdict_result *v = &r->vres;
    bool sep = r->vin.gescheiden;
    int h = sep ? 112 : 64;
    put(c, "<figure class=\"gebruik\">\n");
    putf(c, "<svg viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"", BAR_W, h);
    if (sep)
        put(c, "Gebruik van de verantwoordingsgrenzen");
    else
        put(c, "Gebruik van de verantwoordingsgrens");
    put(c, "\">\n");
    if (sep) {
        bar(c, 14, "Fouten", v->fouten, 0, v->grens_fouten);
        bar(c, 62, "Onzekerheden", 0, v->onzekerheden, v->grens_onzekerheden);
        legend(c, 98, v->boven);
    } else {
        bar(c, 14, "Fouten en onzekerheden die meetellen", v->fouten, v->onzekerheden, v->grens);
        legend(c, 50, v->boven);
    }
    put(c, "</svg>\n<figcaption>");
    if (sep) {
        usage_caption(c, "Fouten", v->fouten, v->grens_fouten);
        put(c, "<br>\n");
        usage_caption(c, "Onzekerheden", v->onzekerheden, v->grens_onzekerheden);
    } else {
        usage_caption(c, "Verantwoordingsgrens", v->total, v->grens);
    }
    /* As the Uitkomst says: a partial check measures only what it checked. */
    if (report_partial(r))
        put(c, "<br>\nAlleen het gecontroleerde deel (zie Reikwijdte).");
    /* As the Uitkomst says: the figures are the scenario's. */
    if (r->scenario)
        put(c, "<br>\nIn dit scenario (zie boven).");
    put(c, "</figcaption>\n</figure>\n");
}

static void statement(ctx *c, const rhv_report *r)
{
    char t[160];
    report_statement_heading_nl(r, t, sizeof t);
    elem(c, "h2", NULL, t);
    paras(c, r, report_statement_paras);
    elem(c, "h2", NULL, "Verantwoordingsgrens");
    paras(c, r, report_grens_paras);
    elem(c, "h2", NULL, "Bevinding");
    paras(c, r, report_bevinding_paras);
}

static void no_verdict(ctx *c, const rhv_report *r)
{
    elem(c, "h2", NULL, "Zonder verantwoordingsgrens");
    paras(c, r, report_no_verdict_paras);
}

/* One row; NULL for an empty amount cell. */
static void row(ctx *c, const char *cls, const char *label, const rhv_cents *f, const rhv_cents *o,
                const rhv_cents *t)
{
    if (cls)
        putf(c, "<tr class=\"%s\"><th scope=\"row\">", cls);
    else
        put(c, "<tr><th scope=\"row\">");
    esc(c, label);
    put(c, "</th>");
    const rhv_cents *cells[3] = {f, o, t};
    for (int i = 0; i < 3; i++) {
        put(c, "<td class=\"num\">");
        if (cells[i])
            amount(c, *cells[i]);
        put(c, "</td>");
    }
    put(c, "</tr>\n");
}

static void table(ctx *c, const rhv_report *r, const verdict_result *t)
{
    elem(c, "h2", NULL, "Geconstateerde afwijkingen (tellen mee)");
    put(c, "<table class=\"afwijkingen\">\n<thead><tr><th scope=\"col\">Criterium</th>"
           "<th scope=\"col\" class=\"num\">Fouten</th><th scope=\"col\" class=\"num\">Onzekerheden</th>"
           "<th scope=\"col\" class=\"num\">Totaal</th></tr></thead>\n<tbody>\n");
    for (int cr = 0; cr < CRIT_COUNT; cr++) {
        const rhv_cents *cell = t->by[cr];
        /* "Geen criterium" only appears when a rule put an amount there. */
        if (cr == CRIT_NONE && cell[0] == 0 && cell[1] == 0)
            continue;
        rhv_cents sum;
        char label[80];
        snprintf(label, sizeof label, "%s %s", report_crit_letter((criterion)cr),
                 criterion_title_nl((criterion)cr));
        /* The cells were summed without overflow, so their sum fits in the total. */
        if (!money_add(cell[0], cell[1], &sum))
            sum = 0;
        row(c, NULL, label, &cell[0], &cell[1], &sum);
    }
    put(c, "</tbody>\n<tfoot>\n");
    row(c, "totaal", "Totaal", &t->fouten, &t->onzekerheden, &t->total);
    if (r->have_verdict) {
        const verdict_result *v = &r->vres;
        char label[80], p1[MONEY_FMT_MAX];
        if (r->vin.gescheiden) {
            row(c, NULL, "Verantwoordingsgrenzen", &v->grens_fouten, &v->grens_onzekerheden, NULL);
            row(c, v->ruimte_fouten < 0 || v->ruimte_onzekerheden < 0 ? "negatief" : NULL,
                "Ruimte (negatief: boven de grens)", &v->ruimte_fouten, &v->ruimte_onzekerheden, NULL);
        } else {
            snprintf(label, sizeof label, "Verantwoordingsgrens (%s)", report_pct_nl(r->vin.grens_bp, p1));
            row(c, NULL, label, NULL, NULL, &v->grens);
            row(c, v->ruimte < 0 ? "negatief" : NULL, "Ruimte (negatief: boven de grens)", NULL, NULL,
                &v->ruimte);
        }
    }
    if (t->acceptabel > 0)
        row(c, NULL, "Acceptabel (telt niet mee)", NULL, NULL, &t->acceptabel);
    put(c, "</tfoot>\n</table>\n");
}

/* A <tr> of the sources table: "file:line" with the key under it (a path
 * has the cell's width, so it does not break at its hyphens), the amount
 * (NULL: empty). */
static void source_row(ctx *c, const char *where, const char *key, const rhv_cents *amt)
{
    put(c, "<tr><td>");
    esc(c, where);
    if (key) {
        put(c, "<br><span class=\"sleutel\">");
        esc(c, key);
        put(c, "</span>");
    }
    put(c, "</td><td class=\"num\">");
    if (amt)
        amount(c, *amt);
    put(c, "</td></tr>\n");
}

/* The records behind a finding, folded: the text report's "Bron:" lines,
 * all of them (the text shows five), each with its amount when the rule
 * gave one, and the records the rule did not list ("en nog N boekingen",
 * with their amount when known), so the amounts add up to the finding's. */
static void evidence(ctx *c, const rhv_finding *f)
{
    if (f->nev == 0 && f->ev_omitted == 0)
        return;
    putf(c, "<details><summary>Bron (%zu)</summary>\n<table class=\"bron\">\n"
            "<thead><tr><th scope=\"col\">Bron</th><th scope=\"col\" class=\"num\">Bedrag</th></tr></thead>\n"
            "<tbody>\n",
         f->nev + f->ev_omitted);
    for (size_t i = 0; i < f->nev; i++) {
        const rhv_evidence *e = &f->ev[i];
        const char *file = e->file ? e->file : "?";
        size_t n = strlen(file) + 24;
        char *where = malloc(n);
        if (!where) {
            c->err = 1;
            break;
        }
        snprintf(where, n, "%s:%ld", file, e->line);
        source_row(c, where, e->key, e->has_amount ? &e->amount : NULL);
        free(where);
    }
    if (f->ev_omitted > 0) {
        char more[64];
        report_more_nl(f->ev_omitted, more, sizeof more);
        put(c, "</tbody>\n<tfoot>\n");
        source_row(c, more, NULL, f->has_omitted_amount ? &f->omitted_amount : NULL);
        put(c, "</tfoot>\n</table>\n</details>\n");
        return;
    }
    put(c, "</tbody>\n</table>\n</details>\n");
}

/* A line of report_nl beside a finding: its fingerprint in the hash face. */
static void emit_note(void *vc, const char *text)
{
    ctx *c = vc;
    static const char fp[] = "Vingerafdruk: ";
    if (strncmp(text, fp, sizeof fp - 1) == 0) {
        put(c, "<p class=\"notitie vingerafdruk\">Vingerafdruk: <span class=\"hash\">");
        esc(c, text + sizeof fp - 1);
        put(c, "</span></p>\n");
        return;
    }
    elem(c, "p", strncmp(text, "Beoordeling: ", 13) == 0 ? "notitie beoordeling" : "notitie", text);
}

static void finding_block(ctx *c, size_t no, const rhv_finding *f, const rhv_finding_note *n)
{
    char b1[MONEY_FMT_MAX];
    const char *subj = f->subject ? f->subject : "(geen onderwerp)";
    put(c, n && n->dropped ? "<section class=\"bevinding afgehandeld\"" : "<section class=\"bevinding\"");
    if (n && n->fingerprint) {
        put(c, " data-vingerafdruk=\"");
        esc(c, n->fingerprint);
        put(c, "\"");
    }
    put(c, ">\n");
    putf(c, "<h3>%zu. ", no);
    esc(c, subj);
    if (!(f->kind == KIND_SIGNALERING && f->amount == 0)) {
        put(c, ": <span class=\"num\">");
        esc(c, money_format(f->amount, b1));
        put(c, "</span>");
    }
    put(c, "</h3>\n<p class=\"meta\">");
    esc(c, finding_kind_name(f->kind));
    put(c, ", ");
    esc(c, criterion_title_nl(f->crit));
    put(c, ", regel ");
    esc(c, f->rule ? f->rule : "?");
    put(c, "</p>\n");
    if (f->message)
        elem(c, "p", "pre", f->message);
    if (f->toelichting)
        elem(c, "p", "pre", f->toelichting);
    evidence(c, f);
    if (report_note_lines(n, emit_note, c) != 0)
        c->err = 1;
    put(c, "</section>\n");
}

static void finding_list(ctx *c, const rhv_report *r, report_list_kind k)
{
    char title[160];
    report_list_heading_nl(r, k, title, sizeof title);
    elem(c, "h2", NULL, title);
    const rhv_finding **list;
    size_t m;
    if (report_list(r, k, &list, &m) != 0) {
        c->err = 1;
        return;
    }
    for (size_t i = 0; i < m; i++)
        finding_block(c, i + 1, list[i], report_note(r, list[i]));
    free(list);
    if (m == 0)
        elem(c, "p", NULL, report_list_none_nl(r, k));
}

static void rules_section(ctx *c, const rhv_report *r)
{
    elem(c, "h2", NULL, "Regels");
    size_t n = r->rules ? r->nrules : 0;
    if (n == 0) {
        elem(c, "p", NULL, "Er zijn geen regels uitgevoerd.");
        return;
    }
    put(c, "<table class=\"regels\">\n<thead><tr><th scope=\"col\">Status</th><th scope=\"col\">Regel</th>"
           "<th scope=\"col\">Titel</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < n; i++) {
        const rhv_rule_info *ri = &r->rules[i];
        const char *st = report_rule_status_nl(ri->status);
        char cls[32]; /* "geen gegevens" as one class name */
        snprintf(cls, sizeof cls, "%s", st);
        for (char *p = cls; *p; p++)
            if (*p == ' ')
                *p = '-';
        putf(c, "<tr><td class=\"status-%s\">%s</td><td>", cls, st);
        esc(c, ri->id ? ri->id : "?");
        put(c, "</td><td>");
        esc(c, ri->title ? ri->title : "");
        if (ri->status != RULE_OK && ri->message) {
            put(c, "<div class=\"pre\">");
            esc(c, ri->message);
            put(c, "</div>");
        }
        put(c, "</td></tr>\n");
    }
    put(c, "</tbody>\n</table>\n");
}

static void hash_row(ctx *c, const char *kind, const char *path, const char *sha)
{
    put(c, "<tr><td>");
    esc(c, kind);
    put(c, "</td><td>");
    esc(c, path);
    put(c, "</td><td class=\"hash\">");
    esc(c, sha);
    put(c, "</td></tr>\n");
}

static void inputs_section(ctx *c, const rhv_report *r)
{
    elem(c, "h2", NULL, "Invoer");
    put(c, "<p>rhv ");
    esc(c, r->version ? r->version : "?");
    put(c, "</p>\n<table class=\"invoer\">\n<thead><tr><th scope=\"col\">Soort</th><th scope=\"col\">Bestand</th>"
           "<th scope=\"col\">sha256</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; r->inputs && i < r->ninputs; i++)
        hash_row(c, r->inputs[i].kind ? r->inputs[i].kind : "?", r->inputs[i].path ? r->inputs[i].path : "?",
                 r->inputs[i].sha256);
    for (size_t i = 0; r->params && i < r->nparams; i++) {
        const rhv_report_param *p = &r->params[i];
        char kind[128];
        snprintf(kind, sizeof kind, "parametertabel %s", p->name ? p->name : "?");
        hash_row(c, kind, p->file ? path_display(p->file) : "?", p->sha256 ? p->sha256 : "?");
    }
    put(c, "</tbody>\n</table>\n");
    size_t no = r->overrides ? r->noverrides : 0;
    if (no == 0) {
        elem(c, "p", NULL, "Geen aangepaste regelargumenten.");
        return;
    }
    elem(c, "p", NULL, "Aangepaste regelargumenten (--rule-arg):");
    put(c, "<ul>\n");
    for (size_t i = 0; i < no; i++)
        elem(c, "li", NULL, r->overrides[i] ? r->overrides[i] : "?");
    put(c, "</ul>\n");
}

/* One <li> per line of report_nl. */
static void emit_li(void *vc, const char *text)
{
    elem(vc, "li", NULL, text);
}

static void list(ctx *c, const rhv_report *r, const char *cls,
                 int (*words)(const rhv_report *, report_emit, void *))
{
    putf(c, "<ul class=\"%s\">\n", cls);
    if (words(r, emit_li, c) != 0)
        c->err = 1;
    put(c, "</ul>\n");
}

/* --vorige: the totals then, now and the difference; the findings that are gone. */
static void vergelijking_section(ctx *c, const rhv_report *r)
{
    const rhv_vergelijking *v = r->vergelijking;
    if (!v)
        return;
    elem(c, "h2", NULL, REPORT_NL_VERGELIJKING);
    paras(c, r, report_vergelijking_paras);
    report_compare_row rows[REPORT_COMPARE_ROWS];
    report_compare_rows(r, rows);
    put(c, "<table class=\"vergelijking\">\n<thead><tr><th scope=\"col\"></th>"
           "<th scope=\"col\" class=\"num\">Vorige rapportage</th><th scope=\"col\" class=\"num\">Nu</th>"
           "<th scope=\"col\" class=\"num\">Verschil</th></tr></thead>\n<tbody>\n");
    for (int i = 0; i < REPORT_COMPARE_ROWS; i++) {
        put(c, "<tr><th scope=\"row\">");
        esc(c, rows[i].label);
        put(c, "</th>");
        if (rows[i].have) {
            const rhv_cents cells[3] = {rows[i].then, rows[i].now, rows[i].diff};
            for (int j = 0; j < 3; j++) {
                put(c, "<td class=\"num\">");
                amount(c, cells[j]);
                put(c, "</td>");
            }
        } else {
            put(c, "<td colspan=\"3\">niet te vergelijken</td>");
        }
        put(c, "</tr>\n");
    }
    put(c, "</tbody>\n</table>\n");
    if (v->nvervallen == 0)
        return;
    elem(c, "p", NULL, REPORT_NL_VERVALLEN);
    put(c, "<table class=\"vervallen\">\n<thead><tr><th scope=\"col\">Nr.</th><th scope=\"col\">Onderwerp</th>"
           "<th scope=\"col\">Soort</th><th scope=\"col\">Regel</th><th scope=\"col\" class=\"num\">Bedrag</th>"
           "<th scope=\"col\">Vingerafdruk</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < v->nvervallen; i++) {
        const rhv_prev_finding *p = v->vervallen[i];
        putf(c, "<tr><td class=\"num\">%zu</td><td>", i + 1);
        esc(c, p->subject ? p->subject : "(geen onderwerp)");
        put(c, "</td><td>");
        esc(c, p->kind ? p->kind : "?");
        put(c, "</td><td>");
        esc(c, p->rule ? p->rule : "?");
        put(c, "</td><td class=\"num\">");
        amount(c, p->amount);
        put(c, "</td><td class=\"hash\">");
        esc(c, p->fingerprint ? p->fingerprint : "?");
        put(c, "</td></tr>\n");
    }
    put(c, "</tbody>\n</table>\n");
}

/* Reikwijdte: whether every standard rule ran with data, the selection, the
 * rules not run and the rules that ran without data. */
static void scope_section(ctx *c, const rhv_report *r)
{
    const rhv_report_scope *s = &r->scope;
    if (!s->known)
        return;
    elem(c, "h2", NULL, "Reikwijdte");
    if (report_scope_paras(r, s->complete ? emit_para : emit_warn, c) != 0)
        c->err = 1;
    list(c, r, "reikwijdte", report_scope_lines);
    if (s->nnot_run > 0) {
        elem(c, "p", NULL, REPORT_NL_NOT_RUN);
        list(c, r, "regels-lijst niet-uitgevoerd", report_not_run_lines);
    }
    if (s->nno_data > 0) {
        elem(c, "p", NULL, REPORT_NL_NO_DATA);
        put(c, "<ul class=\"regels-lijst geen-gegevens\">\n");
        for (size_t i = 0; i < s->nno_data; i++)
            elem(c, "li", NULL, s->no_data[i]);
        put(c, "</ul>\n");
    }
}

/* Herkomst: what produced the report, and every Lua file with its digest. */
static void provenance_section(ctx *c, const rhv_report *r)
{
    const rhv_report_provenance *p = &r->prov;
    if (!p->known)
        return;
    elem(c, "h2", NULL, "Herkomst");
    list(c, r, "herkomst", report_prov_lines);
    elem(c, "p", NULL, REPORT_NL_LUA_FILES);
    put(c, "<table class=\"lua\">\n<thead><tr><th scope=\"col\">Soort</th><th scope=\"col\">Naam</th>"
           "<th scope=\"col\">Bestand</th><th scope=\"col\">sha256</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; p->lua_files && i < p->nlua_files; i++) {
        const rhv_report_lua_file *l = &p->lua_files[i];
        put(c, "<tr><td>");
        esc(c, l->role ? l->role : "?");
        put(c, "</td><td>");
        esc(c, l->name ? l->name : "?");
        put(c, "</td><td>");
        esc(c, l->path ? l->path : "?");
        put(c, "</td><td class=\"hash\">");
        esc(c, l->sha256 ? l->sha256 : "onbekend");
        put(c, "</td></tr>\n");
    }
    put(c, "</tbody>\n</table>\n");
}

static void diag_section(ctx *c, const rhv_report *r)
{
    if (!r->diags || r->ndiags == 0)
        return;
    elem(c, "h2", NULL, "Meldingen bij de invoer");
    put(c, "<ul class=\"meldingen\">\n");
    for (size_t i = 0; i < r->ndiags; i++) {
        const diag_msg *m = &r->diags[i];
        char pos[48] = "";
        if (m->line > 0)
            snprintf(pos, sizeof pos, ":%ld", m->line);
        put(c, "<li>");
        esc(c, m->file);
        esc(c, pos);
        put(c, ": ");
        esc(c, m->level == DIAG_ERROR ? "fout" : "waarschuwing");
        put(c, ": ");
        esc(c, m->message);
        put(c, "</li>\n");
    }
    put(c, "</ul>\n");
}

int report_html(FILE *out, const rhv_report *r)
{
    ctx c = {out, 0};
    char title[512];
    report_title_nl(r, title, sizeof title);
    head(&c, r, title);
    elem(&c, "h1", NULL, title);
    if (report_scenario_paras(r, emit_para, &c) != 0)
        c.err = 1;
    if (report_incomplete_paras(r, emit_para, &c) != 0)
        c.err = 1;
    usage_figure(&c, r);

    verdict_result t;
    if (r->have_verdict)
        statement(&c, r);
    else
        no_verdict(&c, r);
    if (report_totals(r, &t) == 0)
        table(&c, r, &t);
    else
        elem(&c, "p", NULL, "De totalen konden niet worden berekend (ongeldig of te groot bedrag in een bevinding).");

    static const report_list_kind lists[] = {REPORT_LIST_REPORTABLE, REPORT_LIST_ACCEPTABEL,
                                             REPORT_LIST_SIGNALERING, REPORT_LIST_SMALL, REPORT_LIST_AFGEHANDELD};
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
        if (report_list_shown(r, lists[i]))
            finding_list(&c, r, lists[i]);
    vergelijking_section(&c, r);
    scope_section(&c, r);
    rules_section(&c, r);
    inputs_section(&c, r);
    provenance_section(&c, r);
    diag_section(&c, r);
    put(&c, "</main>\n</body>\n</html>\n");
    if (ferror(out))
        c.err = 1;
    return c.err ? -1 : 0;
}
