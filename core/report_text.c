/* report_text.c - the report as Dutch text for a terminal.
 *
 * The statement (its wording in report_nl.c, shared with the HTML writer),
 * the table of afwijkingen; then rhv's own parts: the toelichting per
 * afwijking from the rapportagegrens, acceptabel items, signaleringen, the
 * small afwijkingen, the findings handled by a beoordeling (Afgehandeld),
 * the comparison with an earlier report (Vergelijking), the scope
 * (Reikwijdte), the rules, the inputs, the provenance (Herkomst) and the
 * diagnostics. A scenario (--als) is said on top and in the Bevinding.
 */
#include "paths.h"
#include "report.h"
#include "report_nl.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define WIDTH 92       /* wrap column: fits a terminal and a printed page */
#define LABEL_W 36     /* first column of the table */
#define AMOUNT_W 19    /* each amount column */
#define TEXT_EVIDENCE 5 /* evidence lines per finding; the JSON has every one */

typedef struct {
    FILE *out;
    int err;
} ctx;

/* Display width of UTF-8 text: one column per code point. */
static size_t cols(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            n++;
    return n;
}

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

/* A space right after a euro sign does not break: "€ 1.234,56" stays whole. */
static bool breakable(const char *line, size_t i)
{
    return line[i] == ' ' && !(i >= 3 && memcmp(line + i - 3, "\xe2\x82\xac", 3) == 0);
}

/* Prints one line of text wrapped at WIDTH, every output line starting with
 * indent. A line that already fits is printed as it is, so a toelichting
 * keeps its own layout (aligned calculations). */
static void wrap_line(ctx *c, const char *indent, const char *line, size_t len)
{
    size_t iw = cols(indent, strlen(indent));
    size_t room = WIDTH > iw + 20 ? WIDTH - iw : 20;
    while (len > 0) {
        if (cols(line, len) <= room) {
            putf(c, "%s%.*s\n", indent, (int)len, line);
            return;
        }
        /* Last breakable space within room; else the first one after it. */
        size_t cut = 0, w = 0;
        for (size_t i = 0; i < len; i++) {
            if (((unsigned char)line[i] & 0xC0) != 0x80)
                w++;
            if (w > room + 1 && cut)
                break;
            if (breakable(line, i))
                cut = i;
        }
        if (cut == 0) {
            putf(c, "%s%.*s\n", indent, (int)len, line);
            return;
        }
        putf(c, "%s%.*s\n", indent, (int)cut, line);
        line += cut;
        len -= cut;
        while (len > 0 && *line == ' ') {
            line++;
            len--;
        }
    }
}

static void wrap(ctx *c, const char *indent, const char *text)
{
    if (!text)
        return;
    for (;;) {
        const char *nl = strchr(text, '\n');
        size_t len = nl ? (size_t)(nl - text) : strlen(text);
        if (len == 0)
            put(c, "\n");
        else
            wrap_line(c, indent, text, len);
        if (!nl)
            break;
        text = nl + 1;
    }
}

static void heading(ctx *c, const char *title, char underline)
{
    size_t n = cols(title, strlen(title));
    putf(c, "%s\n", title);
    for (size_t i = 0; i < n; i++)
        if (fputc(underline, c->out) == EOF)
            c->err = 1;
    put(c, "\n\n");
}

static void cell_left(ctx *c, const char *s, size_t width)
{
    put(c, s);
    for (size_t n = cols(s, strlen(s)); n < width; n++)
        put(c, " ");
}

static void cell_right(ctx *c, const char *s, size_t width)
{
    for (size_t n = cols(s, strlen(s)); n < width; n++)
        put(c, " ");
    put(c, s);
}

/* "€ 1.234,56" as a table cell; NULL text for an empty cell. */
static void amount_cell(ctx *c, const rhv_cents *v)
{
    char buf[MONEY_FMT_MAX];
    cell_right(c, v ? money_format(*v, buf) : "", AMOUNT_W);
}

static void row(ctx *c, const char *label, const rhv_cents *f, const rhv_cents *o, const rhv_cents *t)
{
    put(c, "  ");
    cell_left(c, label, LABEL_W);
    amount_cell(c, f);
    amount_cell(c, o);
    if (t) /* no padding after the last filled cell: no trailing blanks */
        amount_cell(c, t);
    put(c, "\n");
}

static void rule_line(ctx *c)
{
    put(c, "  ");
    for (size_t i = 0; i < LABEL_W + 3 * AMOUNT_W; i++)
        put(c, "-");
    put(c, "\n");
}

/* A paragraph of report_nl, wrapped; an empty line after it. */
static void emit_para(void *vc, const char *text)
{
    ctx *c = vc;
    wrap(c, "", text);
    put(c, "\n");
}

static void paras(ctx *c, const rhv_report *r, int (*words)(const rhv_report *, report_emit, void *))
{
    if (words(r, emit_para, c) != 0)
        c->err = 1;
}

static void statement(ctx *c, const rhv_report *r)
{
    char t[160];
    report_statement_heading_nl(r, t, sizeof t);
    heading(c, t, '-');
    paras(c, r, report_statement_paras);
}

static void grens_section(ctx *c, const rhv_report *r)
{
    heading(c, "Verantwoordingsgrens", '-');
    paras(c, r, report_grens_paras);
}

static void bevinding(ctx *c, const rhv_report *r)
{
    heading(c, "Bevinding", '-');
    paras(c, r, report_bevinding_paras);
}

static void table(ctx *c, const rhv_report *r, const verdict_result *t)
{
    heading(c, "Geconstateerde afwijkingen (tellen mee)", '-');
    put(c, "  ");
    cell_left(c, "Criterium", LABEL_W);
    cell_right(c, "Fouten", AMOUNT_W);
    cell_right(c, "Onzekerheden", AMOUNT_W);
    cell_right(c, "Totaal", AMOUNT_W);
    put(c, "\n");
    rule_line(c);
    for (int cr = 0; cr < CRIT_COUNT; cr++) {
        const rhv_cents *cell = t->by[cr];
        /* "Geen criterium" only appears when a rule put an amount there. */
        if (cr == CRIT_NONE && cell[0] == 0 && cell[1] == 0)
            continue;
        rhv_cents sum;
        char label[80];
        snprintf(label, sizeof label, "%s %s", report_crit_letter((criterion)cr), criterion_title_nl((criterion)cr));
        /* The cells were summed without overflow, so their sum fits in the total. */
        if (!money_add(cell[0], cell[1], &sum))
            sum = 0;
        row(c, label, &cell[0], &cell[1], &sum);
    }
    rule_line(c);
    row(c, "Totaal", &t->fouten, &t->onzekerheden, &t->total);
    if (r->have_verdict) {
        const verdict_result *v = &r->vres;
        char label[80], p1[MONEY_FMT_MAX];
        if (r->vin.gescheiden) {
            row(c, "Verantwoordingsgrenzen", &v->grens_fouten, &v->grens_onzekerheden, NULL);
            row(c, "Ruimte (negatief: boven de grens)", &v->ruimte_fouten, &v->ruimte_onzekerheden, NULL);
        } else {
            snprintf(label, sizeof label, "Verantwoordingsgrens (%s)", report_pct_nl(r->vin.grens_bp, p1));
            row(c, label, NULL, NULL, &v->grens);
            row(c, "Ruimte (negatief: boven de grens)", NULL, NULL, &v->ruimte);
        }
    }
    if (t->acceptabel > 0) {
        put(c, "\n");
        row(c, "Acceptabel (telt niet mee)", NULL, NULL, &t->acceptabel);
    }
    put(c, "\n");
}

/* A line of report_nl, wrapped under an indent. */
typedef struct {
    ctx *c;
    const char *indent;
    bool wrap;
} line_ctx;

static void emit_line(void *vl, const char *text)
{
    line_ctx *l = vl;
    if (l->wrap)
        wrap(l->c, l->indent, text);
    else
        putf(l->c, "%s%s\n", l->indent, text);
}

static void finding_block(ctx *c, size_t no, const rhv_finding *f, const rhv_finding_note *n)
{
    char b1[MONEY_FMT_MAX];
    const char *subj = f->subject ? f->subject : "(geen onderwerp)";
    if (f->kind == KIND_SIGNALERING && f->amount == 0)
        putf(c, "%3zu. %s\n", no, subj);
    else
        putf(c, "%3zu. %s: %s\n", no, subj, money_format(f->amount, b1));
    const char *ind = "       ";
    putf(c, "%s%s, %s, regel %s\n", ind, finding_kind_name(f->kind), criterion_title_nl(f->crit),
         f->rule ? f->rule : "?");
    if (f->message)
        wrap(c, ind, f->message);
    if (f->toelichting)
        wrap(c, ind, f->toelichting);
    for (size_t i = 0; i < f->nev && i < TEXT_EVIDENCE; i++) {
        char *line = report_evidence_nl(&f->ev[i]);
        if (!line) {
            c->err = 1;
            return;
        }
        putf(c, "%sBron: %s\n", ind, line);
        free(line);
    }
    /* The JSON lists them all; the text names the rest by number. */
    size_t rest = (f->nev > TEXT_EVIDENCE ? f->nev - TEXT_EVIDENCE : 0) + f->ev_omitted;
    if (rest > 0) {
        char more[64];
        report_more_nl(rest, more, sizeof more);
        putf(c, "%s%s\n", ind, more);
    }
    line_ctx l = {c, ind, true};
    if (report_note_lines(n, emit_line, &l) != 0)
        c->err = 1;
    put(c, "\n");
}

static void finding_list(ctx *c, const rhv_report *r, report_list_kind k)
{
    char title[160];
    report_list_heading_nl(r, k, title, sizeof title);
    heading(c, title, '-');
    const rhv_finding **list;
    size_t m;
    if (report_list(r, k, &list, &m) == 0) {
        for (size_t i = 0; i < m; i++)
            finding_block(c, i + 1, list[i], report_note(r, list[i]));
        free(list);
    } else {
        /* out of memory: engine order, still complete */
        m = 0;
        for (size_t i = 0; r->findings && i < r->nfindings; i++)
            if (report_in_list(r, &r->findings[i], k))
                finding_block(c, ++m, &r->findings[i], report_note(r, &r->findings[i]));
    }
    if (m == 0)
        emit_para(c, report_list_none_nl(r, k));
}

static void rules_section(ctx *c, const rhv_report *r)
{
    heading(c, "Regels", '-');
    size_t n = r->rules ? r->nrules : 0;
    if (n == 0) {
        emit_para(c, "Er zijn geen regels uitgevoerd.");
        return;
    }
    size_t idw = 0;
    for (size_t i = 0; i < n; i++) {
        const rhv_rule_info *ri = &r->rules[i];
        size_t w = ri->id ? cols(ri->id, strlen(ri->id)) : 1;
        if (w > idw)
            idw = w;
    }
    for (size_t i = 0; i < n; i++) {
        const rhv_rule_info *ri = &r->rules[i];
        put(c, "  ");
        cell_left(c, report_rule_status_nl(ri->status), 14);
        cell_left(c, ri->id ? ri->id : "?", idw + 2);
        putf(c, "%s\n", ri->title ? ri->title : "");
        if (ri->status != RULE_OK && ri->message)
            wrap(c, "                ", ri->message);
    }
    put(c, "\n");
}

/* Lines of report_nl, indented, as they are (a path or a command line is
 * not wrapped); or wrapped at WIDTH under the indent. */
static void lines(ctx *c, const rhv_report *r, const char *indent, bool wrapped,
                  int (*words)(const rhv_report *, report_emit, void *))
{
    line_ctx l = {c, indent, wrapped};
    if (words(r, emit_line, &l) != 0)
        c->err = 1;
}

/* --vorige: the totals now against then, and the findings that are gone. */
static void vergelijking_section(ctx *c, const rhv_report *r)
{
    const rhv_vergelijking *v = r->vergelijking;
    char b1[MONEY_FMT_MAX];
    if (!v)
        return;
    heading(c, REPORT_NL_VERGELIJKING, '-');
    paras(c, r, report_vergelijking_paras);
    lines(c, r, "  ", false, report_vergelijking_lines);
    put(c, "\n");
    if (v->nvervallen == 0)
        return;
    put(c, "  " REPORT_NL_VERVALLEN "\n");
    for (size_t i = 0; i < v->nvervallen; i++) {
        const rhv_prev_finding *p = v->vervallen[i];
        putf(c, "  %3zu. %s: %s\n", i + 1, p->subject ? p->subject : "(geen onderwerp)", money_format(p->amount, b1));
        putf(c, "       %s, regel %s\n       Vingerafdruk: %s\n", p->kind ? p->kind : "?", p->rule ? p->rule : "?",
             p->fingerprint);
    }
    put(c, "\n");
}

/* What was and was not checked: always shown, so a reader sees the scope
 * of a complete check as well as of a partial one. */
static void scope_section(ctx *c, const rhv_report *r)
{
    const rhv_report_scope *s = &r->scope;
    if (!s->known)
        return;
    heading(c, "Reikwijdte", '-');
    paras(c, r, report_scope_paras);
    lines(c, r, "  ", false, report_scope_lines);
    if (s->nnot_run > 0) {
        put(c, "  " REPORT_NL_NOT_RUN "\n");
        lines(c, r, "    ", true, report_not_run_lines);
    }
    if (s->nno_data > 0) {
        put(c, "  " REPORT_NL_NO_DATA "\n");
        for (size_t i = 0; i < s->nno_data; i++)
            putf(c, "    %s\n", s->no_data[i]);
    }
    put(c, "\n");
}

/* What produced the report: build, command line, folders, options, and every
 * Lua file loaded into a rule with its digest. */
static void provenance_section(ctx *c, const rhv_report *r)
{
    const rhv_report_provenance *p = &r->prov;
    if (!p->known)
        return;
    heading(c, "Herkomst", '-');
    lines(c, r, "  ", false, report_prov_lines);
    put(c, "  " REPORT_NL_LUA_FILES "\n");
    for (size_t i = 0; p->lua_files && i < p->nlua_files; i++) {
        const rhv_report_lua_file *l = &p->lua_files[i];
        putf(c, "    %s %s: %s\n           sha256 %s\n", l->role ? l->role : "?", l->name ? l->name : "?",
             l->path ? l->path : "?", l->sha256 ? l->sha256 : "onbekend");
    }
    put(c, "\n");
}

static void inputs_section(ctx *c, const rhv_report *r)
{
    heading(c, "Invoer", '-');
    putf(c, "  rhv %s\n", r->version ? r->version : "?");
    for (size_t i = 0; r->inputs && i < r->ninputs; i++)
        putf(c, "  %-8s %s\n           sha256 %s\n", r->inputs[i].kind ? r->inputs[i].kind : "?",
             r->inputs[i].path ? r->inputs[i].path : "?", r->inputs[i].sha256);
    size_t np = r->params ? r->nparams : 0;
    if (np > 0) {
        put(c, "  Parametertabellen:\n");
        for (size_t i = 0; i < np; i++) {
            const rhv_report_param *p = &r->params[i];
            putf(c, "    %s  %s\n           sha256 %s\n", p->name ? p->name : "?",
                 p->file ? path_display(p->file) : "?", p->sha256 ? p->sha256 : "?");
        }
    }
    size_t no = r->overrides ? r->noverrides : 0;
    if (no == 0) {
        put(c, "  Geen aangepaste regelargumenten.\n");
    } else if (!report_overrides_from_dossier(r)) {
        put(c, "  Aangepaste regelargumenten (--rule-arg):\n");
        for (size_t i = 0; i < no; i++) {
            const char *s = r->overrides[i];
            putf(c, "    %s\n", s ? s : "?");
        }
    } else {
        put(c, "  Aangepaste regelargumenten (dossier en --rule-arg):\n");
        for (size_t i = 0; i < no; i++)
            putf(c, "    %s  (%s)\n", r->overrides[i] ? r->overrides[i] : "?", r->override_origins[i]);
    }
    put(c, "\n");
}

static void diag_section(ctx *c, const rhv_report *r)
{
    if (!r->diags || r->ndiags == 0)
        return;
    heading(c, "Meldingen bij de invoer", '-');
    for (size_t i = 0; i < r->ndiags; i++) {
        const diag_msg *m = &r->diags[i];
        const char *lv = m->level == DIAG_ERROR ? "fout" : "waarschuwing";
        char *s;
        size_t n = strlen(m->file) + strlen(m->message) + 64;
        s = malloc(n);
        if (!s) {
            c->err = 1;
            return;
        }
        if (m->line > 0)
            snprintf(s, n, "%s:%ld: %s: %s", m->file, m->line, lv, m->message);
        else
            snprintf(s, n, "%s: %s: %s", m->file, lv, m->message);
        wrap(c, "  ", s);
        free(s);
    }
    put(c, "\n");
}

int report_text(FILE *out, const rhv_report *r)
{
    ctx c = {out, 0};
    char title[512];
    report_title_nl(r, title, sizeof title);
    heading(&c, title, '=');
    paras(&c, r, report_scenario_paras);
    paras(&c, r, report_incomplete_paras);

    verdict_result t;
    bool have_totals = report_totals(r, &t) == 0;
    if (r->have_verdict) {
        statement(&c, r);
        grens_section(&c, r);
        bevinding(&c, r);
    } else {
        heading(&c, "Zonder verantwoordingsgrens", '-');
        paras(&c, r, report_no_verdict_paras);
    }
    if (have_totals)
        table(&c, r, &t);
    else
        emit_para(&c, REPORT_NL_NO_TOTALS);

    for (int k = 0; k < REPORT_LIST_COUNT; k++)
        if (report_list_shown(r, (report_list_kind)k))
            finding_list(&c, r, (report_list_kind)k);
    vergelijking_section(&c, r);
    scope_section(&c, r);
    rules_section(&c, r);
    inputs_section(&c, r);
    provenance_section(&c, r);
    diag_section(&c, r);
    if (ferror(out))
        c.err = 1;
    return c.err ? -1 : 0;
}
