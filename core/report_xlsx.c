/* report_xlsx.c - the report as an Excel workbook (docs/report-formats.md),
 * written by libxlsxwriter.
 *
 * Sheets: Samenvatting (grens, totals per criterion and kind, ruimte,
 * uitkomst, reikwijdte), Bevindingen (one row per finding), Boekingen (every
 * record behind every finding, with the finding's nummer and its amount, and
 * the records the rule did not list), Regels, Invoer (hashes), Herkomst
 * (build, command line, Lua files) and Meldingen when there are diagnostics.
 * One function per sheet. Findings handled across runs (docs/handled.md):
 * the Bevindingen rows carry each finding's fingerprint, beoordeling and
 * state against an earlier report; the Samenvatting has the scenario, the
 * beoordelingen and the Vergelijking; a sheet Vervallen lists the earlier
 * report's findings that are gone. A scenario (--als) is marked on every
 * sheet: its first row, and the header of every printed page.
 *
 * Amounts are numbers Excel can sum, in a euro format: cents / 100 as a
 * double, which libxlsxwriter writes with 16 significant digits: mostly the
 * exact decimal ("1234.56"), for some amounts the double's 16 digits
 * ("935411.1899999999"), which Excel (15 digits) shows as the cents. The workbook is deterministic: its creation time is fixed
 * (libxlsxwriter would write the current time) and the zip entries carry a
 * fixed date, so the same inputs give the same bytes.
 *
 * libxlsxwriter writes to a file name, not to a stream: the workbook is made
 * in a temporary file (TMPDIR, else /tmp) and copied to out, so it goes
 * through the same atomic write as every other format.
 */
#include "report_cells.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "paths.h"

/* 2000-01-01T00:00:00Z: a fixed, plainly artificial creation time. */
#define XLSX_CREATED ((time_t)946684800)
/* Excel's limit on the text of one cell. */
#define CELL_MAX 32767

typedef struct {
    lxw_workbook *wb;
    lxw_format *head, *euro, *text, *pct, *bold, *bold_euro, *banner;
    const rhv_report *r;
    int err;
} book;

typedef struct {
    book *b;
    lxw_worksheet *ws;
    lxw_row_t row;     /* next row to write */
    lxw_row_t top;     /* the first row after the scenario banner (0 without one) */
    bool full;         /* Excel's last row is reached: the rest is left off, said in the last row */
} sheet;

static void check(book *b, lxw_error e)
{
    if (e != LXW_NO_ERROR)
        b->err = 1;
}

/* A text cell; NULL leaves it empty. Text longer than a cell holds is cut
 * on a character boundary. */
static void cell_text(sheet *s, lxw_col_t col, const char *text, lxw_format *f)
{
    if (!text)
        return;
    bool oom;
    char *v = report_utf8(text, &oom);
    if (!v) {
        s->b->err = 1;
        return;
    }
    size_t chars = 0, i = 0;
    for (; v[i]; i++)
        if (((unsigned char)v[i] & 0xC0) != 0x80 && ++chars > CELL_MAX)
            break;
    v[i] = '\0';
    check(s->b, worksheet_write_string(s->ws, s->row, col, v, f ? f : s->b->text));
    free(v);
}

static void cell_euro(sheet *s, lxw_col_t col, rhv_cents v, lxw_format *f)
{
    /* The one place an amount becomes a double: Excel stores no other kind
     * of number. Exact to the cent for |v| < 2^53 cents. */
    check(s->b, worksheet_write_number(s->ws, s->row, col, (double)v / 100.0, f ? f : s->b->euro));
}

static void cell_int(sheet *s, lxw_col_t col, long long v)
{
    check(s->b, worksheet_write_number(s->ws, s->row, col, (double)v, NULL));
}

static void cell_pct(sheet *s, lxw_col_t col, int64_t bp)
{
    check(s->b, worksheet_write_number(s->ws, s->row, col, (double)bp / 10000.0, s->b->pct));
}

/* Moves to the next row; false when the sheet is full (a note says so). */
static bool next_row(sheet *s)
{
    if (s->full)
        return false;
    if (s->row + 2 >= LXW_ROW_MAX) {
        s->row++;
        cell_text(s, 0, "Niet alles past op dit werkblad: de rest staat in het JSON-rapport.", s->b->bold);
        s->full = true;
        return false;
    }
    s->row++;
    return true;
}

/* The scenario banner in a printed page's header: Excel's header codes
 * (&C centre, &B bold) with every '&' of the text doubled; Excel allows
 * 255 characters. */
static void print_banner(sheet *s, const char *banner)
{
    char h[256];
    size_t o = (size_t)snprintf(h, sizeof h, "&C&B");
    for (const char *p = banner; *p && o + 3 < sizeof h; p++) {
        if (*p == '&')
            h[o++] = '&';
        h[o++] = *p;
    }
    /* Not in the middle of a UTF-8 sequence. */
    while (o > 0 && ((unsigned char)h[o - 1] & 0xC0) == 0x80)
        o--;
    if (o > 0 && ((unsigned char)h[o - 1] & 0xC0) == 0xC0)
        o--;
    h[o] = '\0';
    bool oom;
    char *v = report_utf8(h, &oom);
    if (!v)
        s->b->err = 1;
    else
        check(s->b, worksheet_set_header(s->ws, v));
    free(v);
}

static bool open_sheet(book *b, sheet *s, const char *name)
{
    s->b = b;
    s->row = 0;
    s->top = 0;
    s->full = false;
    s->ws = workbook_add_worksheet(b->wb, name);
    if (!s->ws) {
        b->err = 1;
        return false;
    }
    /* A what-if is marked on every sheet, on screen and on paper. */
    char banner[512];
    if (report_scenario_banner_nl(b->r, banner, sizeof banner)) {
        cell_text(s, 0, banner, b->banner);
        print_banner(s, banner);
        s->row = s->top = 1;
    }
    return true;
}

/* A list sheet: header row frozen, widths set, the autofilter over every
 * column once the rows are written (list_end). */
static void list_head(sheet *s, const char *const *names, const double *widths, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        cell_text(s, (lxw_col_t)i, names[i], s->b->head);
        check(s->b, worksheet_set_column(s->ws, (lxw_col_t)i, (lxw_col_t)i, widths[i], NULL));
    }
    worksheet_freeze_panes(s->ws, s->top + 1, 0);
}

static void list_end(sheet *s, size_t ncols)
{
    lxw_row_t last = s->full ? s->row - 1 : s->row;
    check(s->b, worksheet_autofilter(s->ws, s->top, 0, last > s->top ? last : s->top, (lxw_col_t)(ncols - 1)));
}

/* --- Samenvatting ------------------------------------------------------ */

static void label_text(sheet *s, const char *label, const char *value)
{
    next_row(s);
    cell_text(s, 0, label, NULL);
    cell_text(s, 1, value, NULL);
}

static void label_euro(sheet *s, const char *label, rhv_cents v)
{
    next_row(s);
    cell_text(s, 0, label, NULL);
    cell_euro(s, 1, v, NULL);
}

static void label_pct(sheet *s, const char *label, int64_t bp)
{
    next_row(s);
    cell_text(s, 0, label, NULL);
    cell_pct(s, 1, bp);
}

static void summary_grens(sheet *s, const rhv_report *r)
{
    const verdict_input *in = &r->vin;
    const verdict_result *v = &r->vres;
    next_row(s);
    label_text(s, "Grenswijze", in->gescheiden ? "gescheiden" : "gecombineerd");
    label_text(s, "Basis", r->grens_basis);
    label_euro(s, "Totale lasten incl. toevoegingen reserves", in->basis);
    if (in->gescheiden) {
        label_pct(s, "Percentage verantwoordingsgrens fouten", in->fouten_bp);
        label_euro(s, "Verantwoordingsgrens fouten", v->grens_fouten);
        label_pct(s, "Percentage verantwoordingsgrens onzekerheden", in->onzekerheden_bp);
        label_euro(s, "Verantwoordingsgrens onzekerheden", v->grens_onzekerheden);
    } else {
        label_pct(s, "Percentage verantwoordingsgrens", in->grens_bp);
        label_euro(s, "Verantwoordingsgrens", v->grens);
    }
    label_euro(s, "Rapportagegrens", in->rapportagegrens);
    if (r->grens_besluit)
        label_text(s, "Besluit over de grens", r->grens_besluit);
    if (r->grens_bron)
        label_text(s, "Bron van het besluit", r->grens_bron);
}

/* The table of the text report: per criterion, fouten, onzekerheden, totaal. */
static void summary_table(sheet *s, const rhv_report *r, const verdict_result *t)
{
    book *b = s->b;
    next_row(s);
    next_row(s);
    static const char *const head[] = {"Criterium", "Fouten", "Onzekerheden", "Totaal"};
    for (lxw_col_t i = 0; i < 4; i++)
        cell_text(s, i, head[i], b->head);
    for (int cr = 0; cr < CRIT_COUNT; cr++) {
        const rhv_cents *cell = t->by[cr];
        if (cr == CRIT_NONE && cell[0] == 0 && cell[1] == 0)
            continue;
        rhv_cents sum;
        if (!money_add(cell[0], cell[1], &sum))
            sum = 0;
        char label[80];
        snprintf(label, sizeof label, "%s %s", report_crit_letter((criterion)cr), criterion_title_nl((criterion)cr));
        next_row(s);
        cell_text(s, 0, label, NULL);
        cell_euro(s, 1, cell[0], NULL);
        cell_euro(s, 2, cell[1], NULL);
        cell_euro(s, 3, sum, NULL);
    }
    next_row(s);
    cell_text(s, 0, "Totaal", b->bold);
    cell_euro(s, 1, t->fouten, b->bold_euro);
    cell_euro(s, 2, t->onzekerheden, b->bold_euro);
    cell_euro(s, 3, t->total, b->bold_euro);
    if (r->have_verdict) {
        const verdict_result *v = &r->vres;
        next_row(s);
        if (r->vin.gescheiden) {
            cell_text(s, 0, "Verantwoordingsgrenzen", NULL);
            cell_euro(s, 1, v->grens_fouten, NULL);
            cell_euro(s, 2, v->grens_onzekerheden, NULL);
            next_row(s);
            cell_text(s, 0, "Ruimte (negatief: boven de grens)", NULL);
            cell_euro(s, 1, v->ruimte_fouten, NULL);
            cell_euro(s, 2, v->ruimte_onzekerheden, NULL);
        } else {
            char label[80], p[MONEY_FMT_MAX];
            snprintf(label, sizeof label, "Verantwoordingsgrens (%s)", report_pct_nl(r->vin.grens_bp, p));
            cell_text(s, 0, label, NULL);
            cell_euro(s, 3, v->grens, NULL);
            next_row(s);
            cell_text(s, 0, "Ruimte (negatief: boven de grens)", NULL);
            cell_euro(s, 3, v->ruimte, NULL);
        }
    }
    if (t->acceptabel > 0) {
        next_row(s);
        cell_text(s, 0, "Acceptabel (telt niet mee)", NULL);
        cell_euro(s, 3, t->acceptabel, NULL);
    }
}

/* Reikwijdte: complete or not, the selection, each rule not run (with the
 * reason) and each rule that ran without data, one row each. */
static void summary_scope(sheet *s, const rhv_report *r)
{
    const rhv_report_scope *sc = &r->scope;
    if (!sc->known)
        return;
    next_row(s);
    label_text(s, "Reikwijdte", sc->complete ? "volledig" : "onvolledig");
    cell_text(s, 2,
              sc->complete ? "alle standaardregels zijn uitgevoerd en hebben gegevens ontvangen"
                           : "niet alle standaardregels zijn met gegevens uitgevoerd",
              NULL);
    if (sc->select)
        label_text(s, "Selectie (--rules)", sc->select);
    else
        label_text(s, "Selectie", "alle regels");
    if (!sc->default_rules)
        label_text(s, "Standaardregels", "niet geladen (--no-default-rules)");
    for (size_t i = 0; sc->rules_dirs && i < sc->nrules_dirs; i++)
        label_text(s, "Extra regelmap (--rules-dir)", sc->rules_dirs[i]);
    for (size_t i = 0; sc->not_run && i < sc->nnot_run; i++) {
        label_text(s, "Niet uitgevoerd", sc->not_run[i].id);
        cell_text(s, 2, sc->not_run[i].reason, NULL);
    }
    for (size_t i = 0; sc->no_data && i < sc->nno_data; i++) {
        label_text(s, "Uitgevoerd zonder gegevens", sc->no_data[i]);
        cell_text(s, 2, "geen enkel record van de soorten die de regel leest", NULL);
    }
}

/* --als: the scenario and the ruimte with and without it. */
static void summary_scenario(sheet *s, const rhv_report *r)
{
    const rhv_scenario_info *sc = r->scenario;
    if (!sc)
        return;
    next_row(s);
    label_text(s, "Scenario (--als)", sc->naam ? sc->naam : "?");
    cell_text(s, 2, "wat-als-berekening, geen rechtmatigheidsverantwoording", s->b->bold);
    label_text(s, "Scenariobestand", sc->file);
    if (sc->have_ruimte) {
        label_euro(s, "Ruimte in dit scenario", sc->ruimte);
        cell_text(s, 2, sc->boven ? "boven de grens" : "binnen de grens", NULL);
        label_euro(s, "Ruimte zonder scenario", sc->ruimte_zonder);
        cell_text(s, 2, sc->boven_zonder ? "boven de grens" : "binnen de grens", NULL);
    }
    next_row(s);
    cell_text(s, 0, "Toegevoegde afwijkingen", NULL);
    cell_int(s, 1, (long long)sc->toegevoegd);
    next_row(s);
    cell_text(s, 0, "Onzekerheden als fout gerekend", NULL);
    cell_int(s, 1, (long long)sc->wordt_fout);
}

/* The beoordelingen file, and what its entries took out of the totals. */
static void summary_beoordelingen(sheet *s, const rhv_report *r)
{
    const rhv_beoordelingen_info *bo = r->beoordelingen;
    if (!bo)
        return;
    size_t n = 0;
    rhv_cents sum = 0;
    for (size_t i = 0; r->notes && r->findings && i < r->nfindings; i++)
        if (r->notes[i].dropped && r->findings[i].kind != KIND_SIGNALERING &&
            money_add(sum, r->findings[i].amount, &sum))
            n++;
    next_row(s);
    label_text(s, "Beoordelingen", bo->file);
    next_row(s);
    cell_text(s, 0, "Beoordelingen in het bestand", NULL);
    cell_int(s, 1, (long long)bo->n);
    next_row(s);
    cell_text(s, 0, "Toegepast", NULL);
    cell_int(s, 1, (long long)bo->toegepast);
    next_row(s);
    cell_text(s, 0, "Afgehandeld (onterecht of al geregistreerd)", NULL);
    cell_int(s, 1, (long long)n);
    cell_euro(s, 2, sum, NULL);
    cell_text(s, 3, "telt niet mee", NULL);
}

/* --vorige: the totals then, now and the difference, and the counts of the
 * four states. */
static void summary_vergelijking(sheet *s, const rhv_report *r)
{
    const rhv_vergelijking *v = r->vergelijking;
    if (!v)
        return;
    book *b = s->b;
    next_row(s);
    label_text(s, "Vorige rapportage (--vorige)", v->file);
    if (v->fiscal_year)
        cell_int(s, 2, v->fiscal_year);
    const struct {
        const char *label;
        size_t n;
    } states[] = {{"Nieuw", v->nieuw}, {"Ongewijzigd", v->ongewijzigd}, {"Gewijzigd", v->gewijzigd},
                  {"Vervallen", v->nvervallen}};
    for (size_t i = 0; i < sizeof states / sizeof states[0]; i++) {
        next_row(s);
        cell_text(s, 0, states[i].label, NULL);
        cell_int(s, 1, (long long)states[i].n);
    }
    next_row(s);
    next_row(s);
    static const char *const head[] = {REPORT_NL_VERGELIJKING, "Vorige rapportage", "Nu", "Verschil"};
    for (lxw_col_t i = 0; i < 4; i++)
        cell_text(s, i, head[i], b->head);
    report_compare_row rows[REPORT_COMPARE_ROWS];
    report_compare_rows(r, rows);
    for (int i = 0; i < REPORT_COMPARE_ROWS; i++) {
        next_row(s);
        cell_text(s, 0, rows[i].label, NULL);
        if (!rows[i].have) {
            cell_text(s, 1, "niet te vergelijken", NULL);
            continue;
        }
        cell_euro(s, 1, rows[i].then, NULL);
        cell_euro(s, 2, rows[i].now, NULL);
        cell_euro(s, 3, rows[i].diff, NULL);
    }
}

static void summary_sheet(book *b, const rhv_report *r)
{
    sheet s;
    if (!open_sheet(b, &s, "Samenvatting"))
        return;
    char title[512];
    report_title_nl(r, title, sizeof title);
    cell_text(&s, 0, title, b->bold);
    check(b, worksheet_set_column(s.ws, 0, 0, 48, NULL));
    summary_scenario(&s, r);
    check(b, worksheet_set_column(s.ws, 1, 1, 26, NULL));
    check(b, worksheet_set_column(s.ws, 2, 3, 20, NULL));
    next_row(&s);
    label_text(&s, "Organisatie", r->org_naam ? r->org_naam : "(naam onbekend)");
    label_text(&s, "Soort", r->org_soort);
    next_row(&s);
    cell_text(&s, 0, "Boekjaar", NULL);
    if (r->fiscal_year)
        cell_int(&s, 1, r->fiscal_year);
    label_text(&s, "Normenkader vastgesteld", r->normenkader_datum);
    if (r->have_verdict)
        summary_grens(&s, r);

    verdict_result t;
    if (report_totals(r, &t) == 0)
        summary_table(&s, r, &t);
    else
        label_text(&s, "Totalen", "konden niet worden berekend (ongeldig of te groot bedrag in een bevinding)");

    next_row(&s);
    next_row(&s);
    cell_text(&s, 0, "Uitkomst", b->bold);
    if (r->have_verdict)
        cell_text(&s, 1,
                  r->vres.boven ? (r->vin.gescheiden ? "boven de verantwoordingsgrenzen" : "boven de verantwoordingsgrens")
                                : (r->vin.gescheiden ? "binnen de verantwoordingsgrenzen" : "binnen de verantwoordingsgrens"),
                  b->bold);
    else
        cell_text(&s, 1, "geen oordeel: geen verantwoordingsgrens bekend", b->bold);
    if (r->have_verdict && report_partial(r))
        cell_text(&s, 2, "alleen over het gecontroleerde deel", b->bold);
    if (report_partial(r)) {
        char note[160];
        snprintf(note, sizeof note,
                 "deze controle is onvolledig: %zu regel(s) niet uitgevoerd, %zu regel(s) zonder gegevens "
                 "(zie Reikwijdte)",
                 r->scope.nnot_run, r->scope.nno_data);
        label_text(&s, "LET OP", note);
    }
    if (r->exit_code == 2)
        label_text(&s, "LET OP", "er zijn fouten opgetreden bij de invoer of de regels; de rapportage is onvolledig");
    summary_beoordelingen(&s, r);
    summary_vergelijking(&s, r);
    summary_scope(&s, r);
}

/* --- Bevindingen -------------------------------------------------------- */

enum { F_NUMMER, F_ONDERDEEL, F_REGEL, F_CRITERIUM, F_SOORT, F_BEDRAG, F_TELT, F_ONDERWERP, F_MELDING,
       F_TOELICHTING, F_BRON, F_VINGERAFDRUK, F_BEOORDELING, F_REDEN, F_VORIGE, F_VORIG_BEDRAG, F_SCENARIO,
       F_COLS };

static int finding_row(void *vs, size_t no, report_list_kind k, const rhv_finding *f)
{
    sheet *s = vs;
    if (!next_row(s))
        return 0;
    cell_int(s, F_NUMMER, (long long)no);
    cell_text(s, F_ONDERDEEL, report_list_name(k), NULL);
    cell_text(s, F_REGEL, f->rule, NULL);
    cell_text(s, F_CRITERIUM, criterion_title_nl(f->crit), NULL);
    cell_text(s, F_SOORT, finding_kind_name(f->kind), NULL);
    cell_euro(s, F_BEDRAG, f->amount, NULL);
    cell_text(s, F_TELT, report_counts(s->b->r, f) ? "ja" : "nee", NULL);
    cell_text(s, F_ONDERWERP, f->subject, NULL);
    cell_text(s, F_MELDING, f->message, NULL);
    cell_text(s, F_TOELICHTING, f->toelichting, NULL);
    /* The first record; every one is on the Boekingen sheet. */
    if (f->nev > 0) {
        char *src = report_evidence_nl(&f->ev[0]);
        if (!src)
            s->b->err = 1;
        cell_text(s, F_BRON, src, NULL);
        free(src);
    }
    const rhv_finding_note *n = report_note(s->b->r, f);
    if (!n)
        return 0;
    cell_text(s, F_VINGERAFDRUK, n->fingerprint, NULL);
    if (n->beoordeling) {
        char besluit[48];
        snprintf(besluit, sizeof besluit, "%s%s", besluit_name(n->beoordeling->besluit),
                 n->beoordeling->verlopen ? " (verlopen)" : "");
        cell_text(s, F_BEOORDELING, besluit, NULL);
        cell_text(s, F_REDEN, n->beoordeling->reden, NULL);
    }
    if (n->have_vorige) {
        cell_text(s, F_VORIGE, vorige_status_name(n->vorige), NULL);
        if (n->vorige != VORIGE_NIEUW)
            cell_euro(s, F_VORIG_BEDRAG, n->vorige_amount, NULL);
    }
    cell_text(s, F_SCENARIO, report_scenario_change_nl(n->scenario), NULL);
    return 0;
}

static void findings_sheet(book *b, const rhv_report *r)
{
    sheet s;
    if (!open_sheet(b, &s, "Bevindingen"))
        return;
    static const char *const head[F_COLS] = {"Nummer", "Onderdeel", "Regel", "Criterium", "Soort", "Bedrag",
                                             "Telt mee", "Onderwerp", "Melding", "Toelichting", "Bron",
                                             "Vingerafdruk", "Beoordeling", "Reden", "Vorige", "Vorig bedrag",
                                             "Scenario"};
    static const double width[F_COLS] = {9, 13, 26, 22, 13, 17, 9, 36, 50, 60, 40, 40, 16, 40, 13, 17, 28};
    list_head(&s, head, width, F_COLS);
    if (report_each_finding(r, finding_row, &s) != 0)
        b->err = 1;
    list_end(&s, F_COLS);
}

/* --- Boekingen ---------------------------------------------------------- */

enum { B_NUMMER, B_REGEL, B_ONDERWERP, B_BESTAND, B_LIJN, B_SLEUTEL, B_BEDRAG, B_COLS };

static void evidence_row(sheet *s, size_t no, const rhv_finding *f, const rhv_evidence *e)
{
    if (!next_row(s))
        return;
    cell_int(s, B_NUMMER, (long long)no);
    cell_text(s, B_REGEL, f->rule, NULL);
    cell_text(s, B_ONDERWERP, f->subject, NULL);
    cell_text(s, B_BESTAND, e->file, NULL);
    cell_int(s, B_LIJN, e->line);
    cell_text(s, B_SLEUTEL, e->key, NULL);
    if (e->has_amount)
        cell_euro(s, B_BEDRAG, e->amount, NULL);
}

/* The records the rule counted but did not list: one row, so that the
 * Bedrag of a finding's rows adds up to the finding's amount. */
static void omitted_row(sheet *s, size_t no, const rhv_finding *f)
{
    if (!next_row(s))
        return;
    char more[64];
    report_more_nl(f->ev_omitted, more, sizeof more);
    cell_int(s, B_NUMMER, (long long)no);
    cell_text(s, B_REGEL, f->rule, NULL);
    cell_text(s, B_ONDERWERP, f->subject, NULL);
    cell_text(s, B_BESTAND, more, NULL);
    if (f->has_omitted_amount)
        cell_euro(s, B_BEDRAG, f->omitted_amount, NULL);
}

static int finding_evidence(void *vs, size_t no, report_list_kind k, const rhv_finding *f)
{
    (void)k;
    for (size_t i = 0; i < f->nev; i++)
        evidence_row(vs, no, f, &f->ev[i]);
    if (f->ev_omitted > 0)
        omitted_row(vs, no, f);
    return 0;
}

static void evidence_sheet(book *b, const rhv_report *r)
{
    sheet s;
    if (!open_sheet(b, &s, "Boekingen"))
        return;
    static const char *const head[B_COLS] = {"Nummer", "Regel", "Onderwerp", "Bestand", "Regel in bestand",
                                             "Sleutel", "Bedrag"};
    static const double width[B_COLS] = {9, 26, 36, 44, 15, 40, 17};
    list_head(&s, head, width, B_COLS);
    if (report_each_finding(r, finding_evidence, &s) != 0)
        b->err = 1;
    list_end(&s, B_COLS);
}

/* --- Vervallen (with --vorige) ------------------------------------------ */

/* The earlier report's findings that this run no longer has. */
static void gone_sheet(book *b, const rhv_report *r)
{
    const rhv_vergelijking *v = r->vergelijking;
    if (!v)
        return;
    sheet s;
    if (!open_sheet(b, &s, "Vervallen"))
        return;
    static const char *const head[] = {"Nummer", "Regel", "Soort", "Onderwerp", "Bedrag in de vorige rapportage",
                                       "Vingerafdruk"};
    static const double width[] = {9, 26, 13, 50, 20, 40};
    enum { N = sizeof head / sizeof head[0] };
    list_head(&s, head, width, N);
    for (size_t i = 0; i < v->nvervallen && next_row(&s); i++) {
        const rhv_prev_finding *p = v->vervallen[i];
        cell_int(&s, 0, (long long)(i + 1));
        cell_text(&s, 1, p->rule, NULL);
        cell_text(&s, 2, p->kind, NULL);
        cell_text(&s, 3, p->subject, NULL);
        cell_euro(&s, 4, p->amount, NULL);
        cell_text(&s, 5, p->fingerprint, NULL);
    }
    list_end(&s, N);
}

/* --- Regels ------------------------------------------------------------- */

static void rules_sheet(book *b, const rhv_report *r)
{
    sheet s;
    if (!open_sheet(b, &s, "Regels"))
        return;
    static const char *const head[] = {"Regel", "Titel", "Criterium", "Status", "Melding", "Bestand", "sha256",
                                       "Herkomst"};
    static const double width[] = {26, 50, 22, 13, 50, 34, 66, 12};
    enum { N = sizeof head / sizeof head[0] };
    list_head(&s, head, width, N);
    for (size_t i = 0; r->rules && i < r->nrules && next_row(&s); i++) {
        const rhv_rule_info *ri = &r->rules[i];
        cell_text(&s, 0, ri->id, NULL);
        cell_text(&s, 1, ri->title, NULL);
        cell_text(&s, 2, criterion_title_nl(ri->crit), NULL);
        cell_text(&s, 3, report_rule_status_nl(ri->status), NULL);
        cell_text(&s, 4, ri->message, NULL);
        cell_text(&s, 5, ri->file ? path_display(ri->file) : NULL, NULL);
        cell_text(&s, 6, ri->sha256, NULL);
        if (r->prov.known && r->prov.rule_origins)
            cell_text(&s, 7, r->prov.rule_origins[i], NULL);
    }
    list_end(&s, N);
}

/* --- Invoer ------------------------------------------------------------- */

static void input_row(sheet *s, const char *kind, const char *path, const char *sha)
{
    if (!next_row(s))
        return;
    cell_text(s, 0, kind, NULL);
    cell_text(s, 1, path, NULL);
    cell_text(s, 2, sha, NULL);
}

static void inputs_sheet(book *b, const rhv_report *r)
{
    sheet s;
    if (!open_sheet(b, &s, "Invoer"))
        return;
    static const char *const head[] = {"Soort", "Bestand of waarde", "sha256"};
    static const double width[] = {30, 60, 66};
    list_head(&s, head, width, 3);
    char ver[64];
    snprintf(ver, sizeof ver, "rhv %s", r->version ? r->version : "?");
    input_row(&s, "programma", ver, NULL);
    for (size_t i = 0; r->inputs && i < r->ninputs; i++)
        input_row(&s, r->inputs[i].kind, r->inputs[i].path, r->inputs[i].sha256);
    for (size_t i = 0; r->params && i < r->nparams; i++) {
        const rhv_report_param *p = &r->params[i];
        char kind[128];
        snprintf(kind, sizeof kind, "parametertabel %s", p->name ? p->name : "?");
        input_row(&s, kind, p->file ? path_display(p->file) : NULL, p->sha256);
    }
    for (size_t i = 0; r->overrides && i < r->noverrides; i++)
        input_row(&s, "regelargument (--rule-arg)", r->overrides[i], NULL);
    list_end(&s, 3);
}

/* --- Herkomst (when known) ---------------------------------------------- */

static void provenance_sheet(book *b, const rhv_report *r)
{
    const rhv_report_provenance *p = &r->prov;
    if (!p->known)
        return;
    sheet s;
    if (!open_sheet(b, &s, "Herkomst"))
        return;
    static const char *const head[] = {"Onderdeel", "Waarde", "sha256"};
    static const double width[] = {30, 80, 66};
    list_head(&s, head, width, 3);
    char ver[64];
    snprintf(ver, sizeof ver, "rhv %s", r->version ? r->version : "?");
    input_row(&s, "programma", ver, p->binary_sha256 ? p->binary_sha256 : "onbekend");
    input_row(&s, "commit", p->commit ? p->commit : "onbekend", NULL);
    size_t n = 1;
    for (size_t i = 0; p->argv && i < p->argc; i++)
        n += 1 + (p->argv[i] ? strlen(p->argv[i]) : 0);
    char *cmd = malloc(n);
    if (cmd) {
        cmd[0] = '\0';
        for (size_t i = 0; p->argv && i < p->argc; i++) {
            if (i)
                strcat(cmd, " ");
            strcat(cmd, p->argv[i] ? p->argv[i] : "");
        }
    } else {
        b->err = 1;
    }
    input_row(&s, "opdracht", cmd, NULL);
    free(cmd);
    input_row(&s, "map", p->cwd ? p->cwd : "?", NULL);
    char label[256];
    snprintf(label, sizeof label, "rhv-thuismap (%s)", p->home_origin ? p->home_origin : "?");
    input_row(&s, label, p->home ? p->home : "?", NULL);
    for (size_t i = 0; p->rule_dirs && i < p->nrule_dirs; i++) {
        snprintf(label, sizeof label, "regelmap (%s)", p->rule_dir_origins ? p->rule_dir_origins[i] : "?");
        input_row(&s, label, p->rule_dirs[i] ? p->rule_dirs[i] : "?", NULL);
    }
    char opts[96];
    if (p->threads >= 0)
        snprintf(opts, sizeof opts, "--threads %d, --mem-limit %d MiB", p->threads, p->mem_limit_mib);
    else
        snprintf(opts, sizeof opts, "--threads standaard, --mem-limit %d MiB", p->mem_limit_mib);
    input_row(&s, "opties", opts, NULL);
    for (size_t i = 0; p->lua_files && i < p->nlua_files; i++) {
        const rhv_report_lua_file *l = &p->lua_files[i];
        snprintf(label, sizeof label, "lua %s %s", l->role ? l->role : "?", l->name ? l->name : "?");
        input_row(&s, label, l->path ? l->path : "?", l->sha256 ? l->sha256 : "onbekend");
    }
    list_end(&s, 3);
}

/* --- Meldingen (only when there are any) -------------------------------- */

static void diags_sheet(book *b, const rhv_report *r)
{
    if (!r->diags || r->ndiags == 0)
        return;
    sheet s;
    if (!open_sheet(b, &s, "Meldingen"))
        return;
    static const char *const head[] = {"Niveau", "Bestand", "Regel in bestand", "Melding"};
    static const double width[] = {14, 44, 15, 80};
    list_head(&s, head, width, 4);
    for (size_t i = 0; i < r->ndiags && next_row(&s); i++) {
        const diag_msg *m = &r->diags[i];
        cell_text(&s, 0, m->level == DIAG_ERROR ? "fout" : "waarschuwing", NULL);
        cell_text(&s, 1, m->file, NULL);
        if (m->line > 0)
            cell_int(&s, 2, m->line);
        cell_text(&s, 3, m->message, NULL);
    }
    list_end(&s, 4);
}

/* --- The workbook ------------------------------------------------------- */

static lxw_format *fmt(book *b, bool bold, const char *num, bool wrap, bool head)
{
    lxw_format *f = workbook_add_format(b->wb);
    if (!f) {
        b->err = 1;
        return NULL;
    }
    if (bold)
        format_set_bold(f);
    if (num)
        format_set_num_format(f, num);
    if (wrap)
        format_set_text_wrap(f);
    format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    if (head) {
        format_set_bottom(f, LXW_BORDER_THIN);
        format_set_bg_color(f, 0xF2F4F7);
    }
    return f;
}

/* "€ 1.234,56" in a Dutch Excel: the format uses Excel's own separators,
 * which Excel shows in the reader's locale. */
#define EURO_FMT "\"\xe2\x82\xac \"#,##0.00;\"\xe2\x82\xac \"-#,##0.00"

static int build(const char *path, const rhv_report *r)
{
    char tmpdir[] = "/tmp";
    const char *env = getenv("TMPDIR");
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = env && *env ? (char *)env : tmpdir};
    book b = {0};
    b.r = r;
    b.wb = workbook_new_opt(path, &opt);
    if (!b.wb)
        return -1;
    b.head = fmt(&b, true, NULL, true, true);
    b.euro = fmt(&b, false, EURO_FMT, false, false);
    b.bold_euro = fmt(&b, true, EURO_FMT, false, false);
    b.text = fmt(&b, false, NULL, true, false);
    b.pct = fmt(&b, false, "0.00%", false, false);
    b.bold = fmt(&b, true, NULL, false, false);
    b.banner = fmt(&b, true, NULL, false, false);
    if (b.banner) {
        format_set_font_color(b.banner, 0x8A5A00);
        format_set_bg_color(b.banner, 0xFFF6E0);
    }

    char title[512];
    report_title_nl(r, title, sizeof title);
    bool oom;
    char *t = report_utf8(title, &oom);
    char generator[64];
    snprintf(generator, sizeof generator, "rhv %s", r->version ? r->version : "?");
    lxw_doc_properties props = {.title = t, .comments = generator, .created = XLSX_CREATED};
    if (!t || workbook_set_properties(b.wb, &props) != LXW_NO_ERROR)
        b.err = 1;

    summary_sheet(&b, r);
    findings_sheet(&b, r);
    evidence_sheet(&b, r);
    gone_sheet(&b, r);
    rules_sheet(&b, r);
    inputs_sheet(&b, r);
    provenance_sheet(&b, r);
    diags_sheet(&b, r);
    if (workbook_close(b.wb) != LXW_NO_ERROR)
        b.err = 1;
    free(t);
    return b.err ? -1 : 0;
}

static int copy(FILE *from, FILE *to)
{
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, from)) > 0)
        if (fwrite(buf, 1, n, to) != n)
            return -1;
    return ferror(from) ? -1 : 0;
}

int report_xlsx(FILE *out, const rhv_report *r)
{
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    size_t n = strlen(dir) + 32;
    char *path = malloc(n);
    if (!path) {
        errno = ENOMEM;
        return -1;
    }
    snprintf(path, n, "%s/rhv-xlsx-XXXXXX", dir);
    int fd = mkstemp(path);
    if (fd < 0) {
        free(path);
        return -1;
    }
    close(fd);
    int rc = build(path, r);
    if (rc == 0) {
        FILE *f = fopen(path, "rb");
        rc = f ? copy(f, out) : -1;
        if (f)
            fclose(f);
    }
    int e = errno;
    unlink(path);
    free(path);
    errno = e;
    return rc;
}
