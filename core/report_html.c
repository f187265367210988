/* report_html.c - the report as one self-contained HTML page (docs/report-formats.md).
 *
 * The page says what the text report says, in the same order and with the
 * same words (report_nl.c): the warnings (a partial check, errors), statement,
 * grens, bevinding, the table of afwijkingen, the lists with every record
 * behind each finding and its amount, the scope (Reikwijdte), the rules, the
 * inputs, the provenance (Herkomst), the diagnostics. On top, a
 * bar drawn in inline SVG shows how much of the verantwoordingsgrens is used
 * (one bar per kind when the grenzen are gescheiden). Findings handled
 * across runs (docs/handled.md) as in the text (report_html_handled.c): each
 * finding's fingerprint, beoordeling, earlier state and scenario change, the
 * Afgehandeld list, the Vergelijking with an earlier report as tables; a
 * scenario (--als) is a banner on top and, printed, in the top margin of
 * every page.
 *
 * Self-contained: one file, the style inline, no script, no font, no image
 * or link to fetch; a Content-Security-Policy forbids every fetch, so a
 * browser opening the file from a mail or a share makes no request. Tables
 * are real <table>s, so they paste into Word as tables; a print style gives
 * a clean A4 document. Every value from the input is escaped: a toelichting
 * with markup shows as text.
 */
#include "paths.h"
#include "report_html_out.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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
    ".notitie.scenario-wijziging{color:#8a5a00;font-weight:bold}.bevinding.afgehandeld{border-style:dashed}\n"
    "@media print{@page{size:A4;margin:18mm 16mm}\n"
    " body{font-size:10pt}main{max-width:none;padding:0}\n"
    " h2{break-after:avoid}h3{break-after:avoid}tr,.gebruik{break-inside:avoid}\n"
    " thead{display:table-header-group}\n"
    " *{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
    " summary{display:none}details::details-content{content-visibility:visible;display:block}}\n"
    "</style>\n";

static void head(html_ctx *c, const rhv_report *r, const char *title)
{
    html_put(c, "<!DOCTYPE html>\n<html lang=\"nl\">\n<head>\n<meta charset=\"utf-8\">\n");
    /* Nothing to fetch, and the browser is told so: an injected reference
     * would be blocked too. */
    html_put(c, "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
           "style-src 'unsafe-inline'\">\n");
    html_put(c, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    html_put(c, "<meta name=\"generator\" content=\"rhv ");
    html_esc(c, r->version ? r->version : "?");
    html_put(c, "\">\n<title>");
    html_esc(c, title);
    html_put(c, "</title>\n");
    html_put(c, style);
    html_scenario_page_style(c, r);
    html_put(c, "</head>\n<body>\n<main>\n");
}

/* A paragraph of report_nl; its warnings ("LET OP: ...") and the scenario
 * ("SCENARIO ...", a banner) stand out. */
static void emit_para(void *vc, const char *text)
{
    const char *cls = NULL;
    if (strncmp(text, "LET OP:", 7) == 0)
        cls = "warn";
    else if (strncmp(text, "SCENARIO ", 9) == 0)
        cls = "scenario";
    html_elem(vc, "p", cls, text);
}

/* A paragraph that is a warning by what it says ("Onvolledig: ..."). */
static void emit_warn(void *vc, const char *text)
{
    html_elem(vc, "p", "warn", text);
}

static void paras(html_ctx *c, const rhv_report *r, int (*words)(const rhv_report *, report_emit, void *))
{
    if (words(r, emit_para, c) != 0)
        c->err = 1;
}

static void statement(html_ctx *c, const rhv_report *r)
{
    char t[160];
    report_statement_heading_nl(r, t, sizeof t);
    html_elem(c, "h2", NULL, t);
    paras(c, r, report_statement_paras);
    html_elem(c, "h2", NULL, "Verantwoordingsgrens");
    paras(c, r, report_grens_paras);
    html_elem(c, "h2", NULL, "Bevinding");
    paras(c, r, report_bevinding_paras);
}

static void no_verdict(html_ctx *c, const rhv_report *r)
{
    html_elem(c, "h2", NULL, "Zonder verantwoordingsgrens");
    paras(c, r, report_no_verdict_paras);
}

/* One row; NULL for an empty amount cell. */
static void row(html_ctx *c, const char *cls, const char *label, const rhv_cents *f, const rhv_cents *o,
                const rhv_cents *t)
{
    if (cls)
        html_putf(c, "<tr class=\"%s\"><th scope=\"row\">", cls);
    else
        html_put(c, "<tr><th scope=\"row\">");
    html_esc(c, label);
    html_put(c, "</th>");
    const rhv_cents *cells[3] = {f, o, t};
    for (int i = 0; i < 3; i++) {
        html_put(c, "<td class=\"num\">");
        if (cells[i])
            html_amount(c, *cells[i]);
        html_put(c, "</td>");
    }
    html_put(c, "</tr>\n");
}

static void table(html_ctx *c, const rhv_report *r, const verdict_result *t)
{
    html_elem(c, "h2", NULL, "Geconstateerde afwijkingen (tellen mee)");
    html_put(c, "<table class=\"afwijkingen\">\n<thead><tr><th scope=\"col\">Criterium</th>"
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
    html_put(c, "</tbody>\n<tfoot>\n");
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
    html_put(c, "</tfoot>\n</table>\n");
}

/* A <tr> of the sources table: "file:line" with the key under it (a path
 * has the cell's width, so it does not break at its hyphens), the amount
 * (NULL: empty). */
static void source_row(html_ctx *c, const char *where, const char *key, const rhv_cents *amt)
{
    html_put(c, "<tr><td>");
    html_esc(c, where);
    if (key) {
        html_put(c, "<br><span class=\"sleutel\">");
        html_esc(c, key);
        html_put(c, "</span>");
    }
    html_put(c, "</td><td class=\"num\">");
    if (amt)
        html_amount(c, *amt);
    html_put(c, "</td></tr>\n");
}

/* The records behind a finding, folded: the text report's "Bron:" lines,
 * all of them (the text shows five), each with its amount when the rule
 * gave one, and the records the rule did not list ("en nog N boekingen",
 * with their amount when known), so the amounts add up to the finding's. */
static void evidence(html_ctx *c, const rhv_finding *f)
{
    if (f->nev == 0 && f->ev_omitted == 0)
        return;
    html_putf(c, "<details><summary>Bron (%zu)</summary>\n<table class=\"bron\">\n"
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
        html_put(c, "</tbody>\n<tfoot>\n");
        source_row(c, more, NULL, f->has_omitted_amount ? &f->omitted_amount : NULL);
        html_put(c, "</tfoot>\n</table>\n</details>\n");
        return;
    }
    html_put(c, "</tbody>\n</table>\n</details>\n");
}

static void finding_block(html_ctx *c, size_t no, const rhv_finding *f, const rhv_finding_note *n)
{
    char b1[MONEY_FMT_MAX];
    const char *subj = f->subject ? f->subject : "(geen onderwerp)";
    html_finding_open(c, n);
    html_putf(c, "<h3>%zu. ", no);
    html_esc(c, subj);
    if (!(f->kind == KIND_SIGNALERING && f->amount == 0)) {
        html_put(c, ": <span class=\"num\">");
        html_esc(c, money_format(f->amount, b1));
        html_put(c, "</span>");
    }
    html_put(c, "</h3>\n<p class=\"meta\">");
    html_esc(c, finding_kind_name(f->kind));
    html_put(c, ", ");
    html_esc(c, criterion_title_nl(f->crit));
    html_put(c, ", regel ");
    html_esc(c, f->rule ? f->rule : "?");
    html_put(c, "</p>\n");
    if (f->message)
        html_elem(c, "p", "pre", f->message);
    if (f->toelichting)
        html_elem(c, "p", "pre", f->toelichting);
    evidence(c, f);
    html_finding_notes(c, n);
    html_put(c, "</section>\n");
}

static void finding_list(html_ctx *c, const rhv_report *r, report_list_kind k)
{
    char title[160];
    report_list_heading_nl(r, k, title, sizeof title);
    html_elem(c, "h2", NULL, title);
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
        html_elem(c, "p", NULL, report_list_none_nl(r, k));
}

static void rules_section(html_ctx *c, const rhv_report *r)
{
    html_elem(c, "h2", NULL, "Regels");
    size_t n = r->rules ? r->nrules : 0;
    if (n == 0) {
        html_elem(c, "p", NULL, "Er zijn geen regels uitgevoerd.");
        return;
    }
    html_put(c, "<table class=\"regels\">\n<thead><tr><th scope=\"col\">Status</th><th scope=\"col\">Regel</th>"
           "<th scope=\"col\">Titel</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < n; i++) {
        const rhv_rule_info *ri = &r->rules[i];
        const char *st = report_rule_status_nl(ri->status);
        char cls[32]; /* "geen gegevens" as one class name */
        snprintf(cls, sizeof cls, "%s", st);
        for (char *p = cls; *p; p++)
            if (*p == ' ')
                *p = '-';
        html_putf(c, "<tr><td class=\"status-%s\">%s</td><td>", cls, st);
        html_esc(c, ri->id ? ri->id : "?");
        html_put(c, "</td><td>");
        html_esc(c, ri->title ? ri->title : "");
        if (ri->status != RULE_OK && ri->message) {
            html_put(c, "<div class=\"pre\">");
            html_esc(c, ri->message);
            html_put(c, "</div>");
        }
        html_put(c, "</td></tr>\n");
    }
    html_put(c, "</tbody>\n</table>\n");
}

static void hash_row(html_ctx *c, const char *kind, const char *path, const char *sha)
{
    html_put(c, "<tr><td>");
    html_esc(c, kind);
    html_put(c, "</td><td>");
    html_esc(c, path);
    html_put(c, "</td><td class=\"hash\">");
    html_esc(c, sha);
    html_put(c, "</td></tr>\n");
}

static void inputs_section(html_ctx *c, const rhv_report *r)
{
    html_elem(c, "h2", NULL, "Invoer");
    html_put(c, "<p>rhv ");
    html_esc(c, r->version ? r->version : "?");
    html_put(c, "</p>\n<table class=\"invoer\">\n<thead><tr><th scope=\"col\">Soort</th><th scope=\"col\">Bestand</th>"
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
    html_put(c, "</tbody>\n</table>\n");
    size_t no = r->overrides ? r->noverrides : 0;
    if (no == 0) {
        html_elem(c, "p", NULL, "Geen aangepaste regelargumenten.");
        return;
    }
    html_elem(c, "p", NULL, "Aangepaste regelargumenten (--rule-arg):");
    html_put(c, "<ul>\n");
    for (size_t i = 0; i < no; i++)
        html_elem(c, "li", NULL, r->overrides[i] ? r->overrides[i] : "?");
    html_put(c, "</ul>\n");
}

/* One <li> per line of report_nl. */
static void emit_li(void *vc, const char *text)
{
    html_elem(vc, "li", NULL, text);
}

static void list(html_ctx *c, const rhv_report *r, const char *cls,
                 int (*words)(const rhv_report *, report_emit, void *))
{
    html_putf(c, "<ul class=\"%s\">\n", cls);
    if (words(r, emit_li, c) != 0)
        c->err = 1;
    html_put(c, "</ul>\n");
}

/* Reikwijdte: whether every standard rule ran with data, the selection, the
 * rules not run and the rules that ran without data. */
static void scope_section(html_ctx *c, const rhv_report *r)
{
    const rhv_report_scope *s = &r->scope;
    if (!s->known)
        return;
    html_elem(c, "h2", NULL, "Reikwijdte");
    if (report_scope_paras(r, s->complete ? emit_para : emit_warn, c) != 0)
        c->err = 1;
    list(c, r, "reikwijdte", report_scope_lines);
    if (s->nnot_run > 0) {
        html_elem(c, "p", NULL, REPORT_NL_NOT_RUN);
        list(c, r, "regels-lijst niet-uitgevoerd", report_not_run_lines);
    }
    if (s->nno_data > 0) {
        html_elem(c, "p", NULL, REPORT_NL_NO_DATA);
        html_put(c, "<ul class=\"regels-lijst geen-gegevens\">\n");
        for (size_t i = 0; i < s->nno_data; i++)
            html_elem(c, "li", NULL, s->no_data[i]);
        html_put(c, "</ul>\n");
    }
}

/* Herkomst: what produced the report, and every Lua file with its digest. */
static void provenance_section(html_ctx *c, const rhv_report *r)
{
    const rhv_report_provenance *p = &r->prov;
    if (!p->known)
        return;
    html_elem(c, "h2", NULL, "Herkomst");
    list(c, r, "herkomst", report_prov_lines);
    html_elem(c, "p", NULL, REPORT_NL_LUA_FILES);
    html_put(c, "<table class=\"lua\">\n<thead><tr><th scope=\"col\">Soort</th><th scope=\"col\">Naam</th>"
           "<th scope=\"col\">Bestand</th><th scope=\"col\">sha256</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; p->lua_files && i < p->nlua_files; i++) {
        const rhv_report_lua_file *l = &p->lua_files[i];
        html_put(c, "<tr><td>");
        html_esc(c, l->role ? l->role : "?");
        html_put(c, "</td><td>");
        html_esc(c, l->name ? l->name : "?");
        html_put(c, "</td><td>");
        html_esc(c, l->path ? l->path : "?");
        html_put(c, "</td><td class=\"hash\">");
        html_esc(c, l->sha256 ? l->sha256 : "onbekend");
        html_put(c, "</td></tr>\n");
    }
    html_put(c, "</tbody>\n</table>\n");
}

static void diag_section(html_ctx *c, const rhv_report *r)
{
    if (!r->diags || r->ndiags == 0)
        return;
    html_elem(c, "h2", NULL, "Meldingen bij de invoer");
    html_put(c, "<ul class=\"meldingen\">\n");
    for (size_t i = 0; i < r->ndiags; i++) {
        const diag_msg *m = &r->diags[i];
        char pos[48] = "";
        if (m->line > 0)
            snprintf(pos, sizeof pos, ":%ld", m->line);
        html_put(c, "<li>");
        html_esc(c, m->file);
        html_esc(c, pos);
        html_put(c, ": ");
        html_esc(c, m->level == DIAG_ERROR ? "fout" : "waarschuwing");
        html_put(c, ": ");
        html_esc(c, m->message);
        html_put(c, "</li>\n");
    }
    html_put(c, "</ul>\n");
}

int report_html(FILE *out, const rhv_report *r)
{
    html_ctx c = {out, 0};
    char title[512];
    report_title_nl(r, title, sizeof title);
    head(&c, r, title);
    html_elem(&c, "h1", NULL, title);
    if (report_scenario_paras(r, emit_para, &c) != 0)
        c.err = 1;
    if (report_incomplete_paras(r, emit_para, &c) != 0)
        c.err = 1;
    html_usage_figure(&c, r);

    verdict_result t;
    if (r->have_verdict)
        statement(&c, r);
    else
        no_verdict(&c, r);
    if (report_totals(r, &t) == 0)
        table(&c, r, &t);
    else
        html_elem(&c, "p", NULL, REPORT_NL_NO_TOTALS);

    for (int k = 0; k < REPORT_LIST_COUNT; k++)
        if (report_list_shown(r, (report_list_kind)k))
            finding_list(&c, r, (report_list_kind)k);
    html_vergelijking(&c, r);
    scope_section(&c, r);
    rules_section(&c, r);
    inputs_section(&c, r);
    provenance_section(&c, r);
    diag_section(&c, r);
    html_put(&c, "</main>\n</body>\n</html>\n");
    if (ferror(out))
        c.err = 1;
    return c.err ? -1 : 0;
}
