/* report_nl_handled.c - the Dutch wording of the findings handled across
 * runs (docs/handled.md; declared in report_nl.h): the scenario (--als)
 * paragraph and banner, what the report says beside one finding
 * (fingerprint, beoordeling, earlier state, scenario change) and the
 * comparison with an earlier report (--vorige). Only words: the states are
 * decided by handled.c and its modules; this reads the rhv_report as it is.
 */
#include "report_nl.h"
#include "report_nl_para.h"

#include <stdio.h>

int report_scenario_paras(const rhv_report *r, report_emit emit, void *ctx)
{
    const rhv_scenario_info *s = r->scenario;
    if (!s)
        return 0;
    char b1[MONEY_FMT_MAX], b2[MONEY_FMT_MAX];
    const char *naam = s->naam ? s->naam : "?", *file = s->file ? s->file : "?";
    if (s->have_ruimte)
        return para(emit, ctx,
                    "SCENARIO \"%s\" (%s): dit is een wat-als-berekening, geen rechtmatigheidsverantwoording. "
                    "Ruimte in dit scenario: %s (%s de grens); zonder scenario: %s (%s de grens). Toegevoegde "
                    "afwijkingen: %zu; onzekerheden als fout gerekend: %zu.",
                    naam, file, money_format(s->ruimte, b1), s->boven ? "boven" : "binnen",
                    money_format(s->ruimte_zonder, b2), s->boven_zonder ? "boven" : "binnen", s->toegevoegd,
                    s->wordt_fout);
    return para(emit, ctx,
                "SCENARIO \"%s\" (%s): dit is een wat-als-berekening, geen rechtmatigheidsverantwoording. "
                "Zonder verantwoordingsgrens is geen ruimte bekend. Toegevoegde afwijkingen: %zu; onzekerheden "
                "als fout gerekend: %zu.",
                naam, file, s->toegevoegd, s->wordt_fout);
}

bool report_scenario_banner_nl(const rhv_report *r, char *buf, size_t n)
{
    if (n)
        buf[0] = '\0';
    if (!r->scenario)
        return false;
    snprintf(buf, n, "SCENARIO \"%s\": wat-als-berekening, geen rechtmatigheidsverantwoording",
             r->scenario->naam ? r->scenario->naam : "?");
    return true;
}

void report_vorige_nl(const rhv_finding_note *n, char *buf, size_t len)
{
    char b1[MONEY_FMT_MAX];
    if (!n || !n->have_vorige)
        snprintf(buf, len, "%s", "");
    else if (n->vorige == VORIGE_GEWIJZIGD)
        snprintf(buf, len, "gewijzigd, was %s", money_format(n->vorige_amount, b1));
    else
        snprintf(buf, len, "%s", vorige_status_name(n->vorige));
}

const char *report_scenario_change_nl(scenario_change s)
{
    switch (s) {
    case SCENARIO_GEEN: return NULL;
    case SCENARIO_TOEGEVOEGD: return "hypothetische afwijking";
    case SCENARIO_WORDT_FOUT: return "onzekerheid als fout gerekend";
    }
    return NULL;
}

int report_note_lines(const rhv_finding_note *n, report_emit emit, void *ctx)
{
    if (!n)
        return 0;
    int rc = para(emit, ctx, "Vingerafdruk: %s", n->fingerprint ? n->fingerprint : "?");
    const rhv_beoordeling *e = n->beoordeling;
    if (e) {
        char d1[40], d2[40];
        rc |= para(emit, ctx, "Beoordeling: %s%s%s%s%s (%s, %s)%s%s%s: %s", besluit_name(e->besluit),
                   e->categorie ? ", categorie " : "", e->categorie ? e->categorie : "",
                   e->afwijking ? " als afwijking " : "", e->afwijking ? e->afwijking : "", e->door,
                   report_date_nl(e->datum, d1),
                   e->geldig_tot ? (e->verlopen ? ", VERLOPEN op " : ", geldig tot ") : "",
                   e->geldig_tot ? report_date_nl(e->geldig_tot, d2) : "", e->verlopen ? ", geldt niet meer" : "",
                   e->reden);
    }
    if (n->have_vorige) {
        char v[MONEY_FMT_MAX + 32];
        report_vorige_nl(n, v, sizeof v);
        rc |= para(emit, ctx, "Vorige rapportage: %s", v);
    }
    const char *sc = report_scenario_change_nl(n->scenario);
    if (sc)
        rc |= para(emit, ctx, "SCENARIO: %s", sc);
    return rc ? -1 : 0;
}

int report_vergelijking_paras(const rhv_report *r, report_emit emit, void *ctx)
{
    const rhv_vergelijking *v = r->vergelijking;
    if (!v)
        return 0;
    return para(emit, ctx,
                "Vorige rapportage: %s%s%d%s. Bevindingen: %zu nieuw, %zu ongewijzigd, %zu gewijzigd, %zu vervallen.",
                v->file ? v->file : "?", v->fiscal_year ? " (boekjaar " : "", v->fiscal_year,
                v->fiscal_year ? ")" : "", v->nieuw, v->ongewijzigd, v->gewijzigd, v->nvervallen);
}

void report_compare_rows(const rhv_report *r, report_compare_row rows[REPORT_COMPARE_ROWS])
{
    const rhv_vergelijking *v = r->vergelijking;
    verdict_result t;
    bool now = v && report_totals(r, &t) == 0 && v->have_totals;
    rhv_cents head = r->vres.ruimte;
    if (r->vin.gescheiden)
        head = r->vres.ruimte_fouten < r->vres.ruimte_onzekerheden ? r->vres.ruimte_fouten
                                                                  : r->vres.ruimte_onzekerheden;
    rows[0] = (report_compare_row){"Fouten", now, now ? t.fouten : 0, v ? v->fouten : 0, 0};
    rows[1] = (report_compare_row){"Onzekerheden", now, now ? t.onzekerheden : 0, v ? v->onzekerheden : 0, 0};
    rows[2] = (report_compare_row){"Totaal dat meetelt", now, now ? t.total : 0, v ? v->total : 0, 0};
    rows[3] = (report_compare_row){"Ruimte", v && r->have_verdict && v->have_headroom, head,
                                   v ? v->headroom : 0, 0};
    for (int i = 0; i < REPORT_COMPARE_ROWS; i++)
        if (rows[i].have && !money_sub(rows[i].now, rows[i].then, &rows[i].diff))
            rows[i].have = false;
}

int report_vergelijking_lines(const rhv_report *r, report_emit emit, void *ctx)
{
    if (!r->vergelijking)
        return 0;
    report_compare_row rows[REPORT_COMPARE_ROWS];
    report_compare_rows(r, rows);
    int rc = 0;
    for (int i = 0; i < REPORT_COMPARE_ROWS; i++) {
        char b1[MONEY_FMT_MAX], b2[MONEY_FMT_MAX], b3[MONEY_FMT_MAX];
        if (!rows[i].have)
            rc |= para(emit, ctx, "%s: " REPORT_NL_NOT_COMPARABLE, rows[i].label);
        else
            rc |= para(emit, ctx, "%s: was %s, nu %s (verschil %s)", rows[i].label, money_format(rows[i].then, b1),
                       money_format(rows[i].now, b2), money_format(rows[i].diff, b3));
    }
    return rc ? -1 : 0;
}
