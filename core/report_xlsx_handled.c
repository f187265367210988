/* report_xlsx_handled.c - findings handled across runs (docs/handled.md) in
 * the Excel report (report_xlsx_sheet.h): beside each finding its
 * fingerprint, beoordeling, state against an earlier report and scenario
 * change; on the Samenvatting the scenario, the beoordelingen and the
 * Vergelijking; the sheet Vervallen. The words are the text report's
 * (report_nl.h); amounts are euro numbers like every other amount. */
#include "report_xlsx_sheet.h"

#include <stdio.h>

enum { H_VINGERAFDRUK, H_BEOORDELING, H_REDEN, H_VORIGE, H_VORIG_BEDRAG, H_SCENARIO };

void report_xlsx_handled_cols(sheet *s, lxw_col_t first, const rhv_finding *f)
{
    const rhv_finding_note *n = report_note(s->b->r, f);
    if (!n) /* a report made by hand */
        return;
    sheet_text(s, first + H_VINGERAFDRUK, n->fingerprint, NULL);
    const rhv_beoordeling *e = n->beoordeling;
    if (e) {
        char besluit[48];
        snprintf(besluit, sizeof besluit, "%s%s", besluit_name(e->besluit), e->verlopen ? " (verlopen)" : "");
        sheet_text(s, first + H_BEOORDELING, besluit, NULL);
        sheet_text(s, first + H_REDEN, e->reden, NULL);
    }
    if (n->have_vorige) {
        sheet_text(s, first + H_VORIGE, vorige_status_name(n->vorige), NULL);
        if (n->vorige != VORIGE_NIEUW)
            sheet_euro(s, first + H_VORIG_BEDRAG, n->vorige_amount, NULL);
    }
    sheet_text(s, first + H_SCENARIO, report_scenario_change_nl(n->scenario), NULL);
}

static const char *grens_side(bool boven)
{
    return boven ? "boven de grens" : "binnen de grens";
}

void report_xlsx_summary_scenario(sheet *s, const rhv_report *r)
{
    const rhv_scenario_info *sc = r->scenario;
    if (!sc)
        return;
    sheet_next_row(s);
    sheet_label_text(s, "Scenario (--als)", sc->naam ? sc->naam : "?");
    sheet_text(s, 2, "wat-als-berekening, geen rechtmatigheidsverantwoording", s->b->bold);
    sheet_label_text(s, "Scenariobestand", sc->file);
    if (sc->have_ruimte) {
        sheet_label_euro(s, "Ruimte in dit scenario", sc->ruimte);
        sheet_text(s, 2, grens_side(sc->boven), NULL);
        sheet_label_euro(s, "Ruimte zonder scenario", sc->ruimte_zonder);
        sheet_text(s, 2, grens_side(sc->boven_zonder), NULL);
    }
    sheet_next_row(s);
    sheet_text(s, 0, "Toegevoegde afwijkingen", NULL);
    sheet_int(s, 1, (long long)sc->toegevoegd);
    sheet_next_row(s);
    sheet_text(s, 0, "Onzekerheden als fout gerekend", NULL);
    sheet_int(s, 1, (long long)sc->wordt_fout);
}

static void label_int(sheet *s, const char *label, size_t v)
{
    sheet_next_row(s);
    sheet_text(s, 0, label, NULL);
    sheet_int(s, 1, (long long)v);
}

/* The file, its entries, those applied, and what they took out of the totals. */
void report_xlsx_summary_beoordelingen(sheet *s, const rhv_report *r)
{
    const rhv_beoordelingen_info *bo = r->beoordelingen;
    if (!bo)
        return;
    rhv_cents sum;
    size_t n = report_afgehandeld(r, &sum);
    sheet_next_row(s);
    sheet_label_text(s, "Beoordelingen", bo->file);
    label_int(s, "Beoordelingen in het bestand", bo->n);
    label_int(s, "Toegepast", bo->toegepast);
    label_int(s, "Afgehandeld (onterecht of al geregistreerd)", n);
    sheet_euro(s, 2, sum, NULL);
    sheet_text(s, 3, "telt niet mee", NULL);
}

/* The counts of the four states, then the totals then, now and the difference. */
void report_xlsx_summary_vergelijking(sheet *s, const rhv_report *r)
{
    const rhv_vergelijking *v = r->vergelijking;
    if (!v)
        return;
    sheet_next_row(s);
    sheet_label_text(s, "Vorige rapportage (--vorige)", v->file);
    if (v->fiscal_year)
        sheet_int(s, 2, v->fiscal_year);
    label_int(s, "Nieuw", v->nieuw);
    label_int(s, "Ongewijzigd", v->ongewijzigd);
    label_int(s, "Gewijzigd", v->gewijzigd);
    label_int(s, "Vervallen", v->nvervallen);
    sheet_next_row(s);
    sheet_next_row(s);
    static const char *const head[] = {REPORT_NL_VERGELIJKING, "Vorige rapportage", "Nu", "Verschil"};
    for (lxw_col_t i = 0; i < 4; i++)
        sheet_text(s, i, head[i], s->b->head);
    report_compare_row rows[REPORT_COMPARE_ROWS];
    report_compare_rows(r, rows);
    for (int i = 0; i < REPORT_COMPARE_ROWS; i++) {
        sheet_next_row(s);
        sheet_text(s, 0, rows[i].label, NULL);
        if (!rows[i].have) {
            sheet_text(s, 1, "niet te vergelijken", NULL);
            continue;
        }
        sheet_euro(s, 1, rows[i].then, NULL);
        sheet_euro(s, 2, rows[i].now, NULL);
        sheet_euro(s, 3, rows[i].diff, NULL);
    }
}

void report_xlsx_vervallen(book *b, const rhv_report *r)
{
    const rhv_vergelijking *v = r->vergelijking;
    if (!v)
        return;
    sheet s;
    if (!sheet_open(b, &s, "Vervallen"))
        return;
    static const char *const head[] = {"Nummer", "Regel", "Soort", "Onderwerp", "Bedrag in de vorige rapportage",
                                       "Vingerafdruk"};
    static const double width[] = {9, 26, 13, 50, 20, 40};
    enum { N = sizeof head / sizeof head[0] };
    sheet_list_head(&s, head, width, N);
    for (size_t i = 0; v->vervallen && i < v->nvervallen && sheet_next_row(&s); i++) {
        const rhv_prev_finding *p = v->vervallen[i];
        sheet_int(&s, 0, (long long)(i + 1));
        sheet_text(&s, 1, p->rule, NULL);
        sheet_text(&s, 2, p->kind, NULL);
        sheet_text(&s, 3, p->subject, NULL);
        sheet_euro(&s, 4, p->amount, NULL);
        sheet_text(&s, 5, p->fingerprint, NULL);
    }
    sheet_list_end(&s, N);
}
