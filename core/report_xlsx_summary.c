/* report_xlsx_summary.c - the sheet Samenvatting of the Excel report
 * (report_xlsx_sheet.h): grens, totals per criterion and kind, ruimte,
 * uitkomst, reikwijdte, in the words of the text report; the scenario, the
 * beoordelingen and the Vergelijking come from report_xlsx_handled.c. */
#include "report_xlsx_sheet.h"

#include <stdio.h>

static void summary_grens(sheet *s, const rhv_report *r)
{
    const verdict_input *in = &r->vin;
    const verdict_result *v = &r->vres;
    sheet_next_row(s);
    sheet_label_text(s, "Grenswijze", in->gescheiden ? "gescheiden" : "gecombineerd");
    sheet_label_text(s, "Basis", r->grens_basis);
    sheet_label_euro(s, "Totale lasten incl. toevoegingen reserves", in->basis);
    if (in->gescheiden) {
        sheet_label_pct(s, "Percentage verantwoordingsgrens fouten", in->fouten_bp);
        sheet_label_euro(s, "Verantwoordingsgrens fouten", v->grens_fouten);
        sheet_label_pct(s, "Percentage verantwoordingsgrens onzekerheden", in->onzekerheden_bp);
        sheet_label_euro(s, "Verantwoordingsgrens onzekerheden", v->grens_onzekerheden);
    } else {
        sheet_label_pct(s, "Percentage verantwoordingsgrens", in->grens_bp);
        sheet_label_euro(s, "Verantwoordingsgrens", v->grens);
    }
    sheet_label_euro(s, "Rapportagegrens", in->rapportagegrens);
    if (r->grens_besluit)
        sheet_label_text(s, "Besluit over de grens", r->grens_besluit);
    if (r->grens_bron)
        sheet_label_text(s, "Bron van het besluit", r->grens_bron);
}

/* The table of the text report: per criterion, fouten, onzekerheden, totaal. */
static void summary_table(sheet *s, const rhv_report *r, const verdict_result *t)
{
    book *b = s->b;
    sheet_next_row(s);
    sheet_next_row(s);
    static const char *const head[] = {"Criterium", "Fouten", "Onzekerheden", "Totaal"};
    for (lxw_col_t i = 0; i < 4; i++)
        sheet_text(s, i, head[i], b->head);
    for (int cr = 0; cr < CRIT_COUNT; cr++) {
        const rhv_cents *cell = t->by[cr];
        if (cr == CRIT_NONE && cell[0] == 0 && cell[1] == 0)
            continue;
        rhv_cents sum;
        if (!money_add(cell[0], cell[1], &sum))
            sum = 0;
        char label[80];
        snprintf(label, sizeof label, "%s %s", report_crit_letter((criterion)cr), criterion_title_nl((criterion)cr));
        sheet_next_row(s);
        sheet_text(s, 0, label, NULL);
        sheet_euro(s, 1, cell[0], NULL);
        sheet_euro(s, 2, cell[1], NULL);
        sheet_euro(s, 3, sum, NULL);
    }
    sheet_next_row(s);
    sheet_text(s, 0, "Totaal", b->bold);
    sheet_euro(s, 1, t->fouten, b->bold_euro);
    sheet_euro(s, 2, t->onzekerheden, b->bold_euro);
    sheet_euro(s, 3, t->total, b->bold_euro);
    if (r->have_verdict) {
        const verdict_result *v = &r->vres;
        sheet_next_row(s);
        if (r->vin.gescheiden) {
            sheet_text(s, 0, "Verantwoordingsgrenzen", NULL);
            sheet_euro(s, 1, v->grens_fouten, NULL);
            sheet_euro(s, 2, v->grens_onzekerheden, NULL);
            sheet_next_row(s);
            sheet_text(s, 0, "Ruimte (negatief: boven de grens)", NULL);
            sheet_euro(s, 1, v->ruimte_fouten, NULL);
            sheet_euro(s, 2, v->ruimte_onzekerheden, NULL);
        } else {
            char label[80], p[MONEY_FMT_MAX];
            snprintf(label, sizeof label, "Verantwoordingsgrens (%s)", report_pct_nl(r->vin.grens_bp, p));
            sheet_text(s, 0, label, NULL);
            sheet_euro(s, 3, v->grens, NULL);
            sheet_next_row(s);
            sheet_text(s, 0, "Ruimte (negatief: boven de grens)", NULL);
            sheet_euro(s, 3, v->ruimte, NULL);
        }
    }
    if (t->acceptabel > 0) {
        sheet_next_row(s);
        sheet_text(s, 0, "Acceptabel (telt niet mee)", NULL);
        sheet_euro(s, 3, t->acceptabel, NULL);
    }
}

/* Reikwijdte: complete or not, the selection, each rule not run (with the
 * reason) and each rule that ran without data, one row each. */
static void summary_scope(sheet *s, const rhv_report *r)
{
    const rhv_report_scope *sc = &r->scope;
    if (!sc->known)
        return;
    sheet_next_row(s);
    sheet_label_text(s, "Reikwijdte", sc->complete ? "volledig" : "onvolledig");
    sheet_text(s, 2,
              sc->complete ? "alle standaardregels zijn uitgevoerd en hebben gegevens ontvangen"
                           : "niet alle standaardregels zijn met gegevens uitgevoerd",
              NULL);
    if (sc->select)
        sheet_label_text(s, "Selectie (--rules)", sc->select);
    else
        sheet_label_text(s, "Selectie", "alle regels");
    if (!sc->default_rules)
        sheet_label_text(s, "Standaardregels", "niet geladen (--no-default-rules)");
    for (size_t i = 0; sc->rules_dirs && i < sc->nrules_dirs; i++)
        sheet_label_text(s, "Extra regelmap (--rules-dir)", sc->rules_dirs[i]);
    for (size_t i = 0; sc->not_run && i < sc->nnot_run; i++) {
        sheet_label_text(s, "Niet uitgevoerd", sc->not_run[i].id);
        sheet_text(s, 2, sc->not_run[i].reason, NULL);
    }
    for (size_t i = 0; sc->no_data && i < sc->nno_data; i++) {
        sheet_label_text(s, "Uitgevoerd zonder gegevens", sc->no_data[i]);
        sheet_text(s, 2, "geen enkel record van de soorten die de regel leest", NULL);
    }
}

void report_xlsx_summary(book *b, const rhv_report *r)
{
    sheet s;
    if (!sheet_open(b, &s, "Samenvatting"))
        return;
    char title[512];
    report_title_nl(r, title, sizeof title);
    sheet_text(&s, 0, title, b->bold);
    sheet_check(b, worksheet_set_column(s.ws, 0, 0, 48, NULL));
    report_xlsx_summary_scenario(&s, r);
    sheet_check(b, worksheet_set_column(s.ws, 1, 1, 26, NULL));
    sheet_check(b, worksheet_set_column(s.ws, 2, 3, 20, NULL));
    sheet_next_row(&s);
    sheet_label_text(&s, "Organisatie", r->org_naam ? r->org_naam : "(naam onbekend)");
    sheet_label_text(&s, "Soort", r->org_soort);
    sheet_next_row(&s);
    sheet_text(&s, 0, "Boekjaar", NULL);
    if (r->fiscal_year)
        sheet_int(&s, 1, r->fiscal_year);
    sheet_label_text(&s, "Normenkader vastgesteld", r->normenkader_datum);
    if (r->have_verdict)
        summary_grens(&s, r);

    verdict_result t;
    if (report_totals(r, &t) == 0)
        summary_table(&s, r, &t);
    else
        sheet_label_text(&s, "Totalen", "konden niet worden berekend (ongeldig of te groot bedrag in een bevinding)");

    sheet_next_row(&s);
    sheet_next_row(&s);
    sheet_text(&s, 0, "Uitkomst", b->bold);
    if (r->have_verdict)
        sheet_text(&s, 1,
                  r->vres.boven ? (r->vin.gescheiden ? "boven de verantwoordingsgrenzen" : "boven de verantwoordingsgrens")
                                : (r->vin.gescheiden ? "binnen de verantwoordingsgrenzen" : "binnen de verantwoordingsgrens"),
                  b->bold);
    else
        sheet_text(&s, 1, "geen oordeel: geen verantwoordingsgrens bekend", b->bold);
    if (r->have_verdict && report_partial(r))
        sheet_text(&s, 2, "alleen over het gecontroleerde deel", b->bold);
    if (report_partial(r)) {
        char note[160];
        snprintf(note, sizeof note,
                 "deze controle is onvolledig: %zu regel(s) niet uitgevoerd, %zu regel(s) zonder gegevens "
                 "(zie Reikwijdte)",
                 r->scope.nnot_run, r->scope.nno_data);
        sheet_label_text(&s, "LET OP", note);
    }
    if (r->exit_code == 2)
        sheet_label_text(&s, "LET OP", "er zijn fouten opgetreden bij de invoer of de regels; de rapportage is onvolledig");
    report_xlsx_summary_beoordelingen(&s, r);
    report_xlsx_summary_vergelijking(&s, r);
    summary_scope(&s, r);
}
