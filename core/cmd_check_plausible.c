/* cmd_check_plausible.c - settings of the dossier that read well but are
 * most likely mistyped (cmd_check.h, steps 3 and 4).
 *
 * Why: the reader accepts grens_percentage="0.01" (meant as 1%) as 0.01%,
 * a valid percentage; the grens then comes out a hundred times too low and
 * every verdict after it is wrong. Such settings are warnings, not errors:
 * the organisation may have chosen them, and rhv cannot know. Each names the
 * dossier's <organisation> line, on stderr and in the report. Checked:
 *  - a grens percentage in use outside 0.5%..3% (verdict_pct_plausible, the
 *    same range that sets the verdict's pct_warning);
 *  - a rapportagegrens above the grens (then no afwijking would ever be
 *    listed before the verdict is boven);
 *  - a basis (grens_basis="begroting") more than 1% away from the same
 *    totals on the realisatie: the grens then rests on figures the
 *    jaarrekening does not show;
 *  - a boekjaar no input confirms: no ledger for that year and no date in it
 *    on any record other than <organisation> (whose dates are about the
 *    settings themselves).
 */
#include "cmd_check.h"

#include <inttypes.h>
#include <string.h>

void check_plausible_dossier(check_plausible *pl, const rhv_record *rec, int fiscal_year)
{
    pl->fiscal_year = fiscal_year;
    if (strcmp(rec->type->name, "organisation") == 0) {
        pl->file = rec->file;
        pl->org_line = rec->line;
        return;
    }
    if (pl->fiscal_year_confirmed || fiscal_year <= 0)
        return;
    char fiscal_year_text[16];
    snprintf(fiscal_year_text, sizeof fiscal_year_text, "%04d", fiscal_year);
    for (int i = 0; i < rec->type->nfields; i++) {
        const rhv_value *v = &rec->v[i];
        if (v->kind == VAL_DATE && v->len >= 4 && memcmp(v->s, fiscal_year_text, 4) == 0) {
            pl->fiscal_year_confirmed = true;
            return;
        }
    }
}

void check_plausible_ledger(check_plausible *pl, int ledger_fiscal_year)
{
    if (ledger_fiscal_year && ledger_fiscal_year == pl->fiscal_year)
        pl->fiscal_year_confirmed = true;
}

/* "0.01%" for 1 bp: as written in the dossier, so the typo is recognisable. */
static const char *pct(int64_t bp, char buf[32])
{
    snprintf(buf, 32, "%" PRId64 ".%02" PRId64 "%%", bp / 100, bp % 100);
    return buf;
}

static void warn_pct(const check_plausible *pl, const char *attr, int64_t bp, rhv_diag *d)
{
    char b[32];
    int p = verdict_pct_plausible(bp);
    if (p < 0)
        diag_warning(d, pl->file, pl->org_line,
                     "<organisation> %s=\"%s\" is below 0.5%%: grenzen in practice are 1%% to 3%% (is a "
                     "fraction written for a percentage? 1%% is written \"1.00\")",
                     attr, pct(bp, b));
    else if (p > 0)
        diag_warning(d, pl->file, pl->org_line,
                     "<organisation> %s=\"%s\" is above 3%%: grenzen in practice are 1%% to 3%%; check the decision",
                     attr, pct(bp, b));
}

void check_plausible_warn(const check_plausible *pl, const rhv_dossier *ds, const verdict_basis *b, rhv_diag *d)
{
    if (!pl->file)
        return;
    if (ds->gescheiden) {
        warn_pct(pl, "grens_fouten_percentage", ds->grens_fouten_bp, d);
        warn_pct(pl, "grens_onzekerheden_percentage", ds->grens_onzekerheden_bp, d);
    } else {
        warn_pct(pl, "grens_percentage", ds->grens_bp, d);
    }

    rhv_cents basis, realisatie, grens, g2;
    char m1[MONEY_FMT_MAX], m2[MONEY_FMT_MAX];
    if (!verdict_basis_total(b, ds->basis_begroting, &basis) || !verdict_basis_total(b, false, &realisatie))
        return; /* the verdict reports the overflow */
    bool ok = ds->gescheiden ? money_pct_of(basis, ds->grens_fouten_bp, &grens) &&
                                   money_pct_of(basis, ds->grens_onzekerheden_bp, &g2)
                             : money_pct_of(basis, ds->grens_bp, &grens);
    if (ok && ds->gescheiden && g2 < grens)
        grens = g2;
    if (ok && ds->rapportagegrens > grens)
        diag_warning(d, pl->file, pl->org_line,
                     "<organisation> rapportagegrens %s is above the verantwoordingsgrens %s%s: no afwijking is "
                     "listed on its own before the grens is exceeded",
                     money_format(ds->rapportagegrens, m1), money_format(grens, m2),
                     ds->gescheiden ? " (the lower of the two)" : "");

    /* |basis - realisatie| > 1% of the realisatie, exactly: 100 x diff > realisatie. */
    rhv_cents diff;
    if (ds->basis_begroting && money_sub(basis, realisatie, &diff)) {
        if (diff < 0)
            diff = -diff;
        if (diff > INT64_MAX / 100 || diff * 100 > (realisatie < 0 ? -realisatie : realisatie))
            diag_warning(d, pl->file, pl->org_line,
                         "<organisation> grens_basis=\"begroting\": the basis %s differs by more than 1%% from "
                         "the realisatie %s (lasten of the programma's plus toevoegingen aan reserves)",
                         money_format(basis, m1), money_format(realisatie, m2));
    }

    if (!pl->fiscal_year_confirmed)
        diag_warning(d, pl->file, pl->org_line,
                     "<organisation> boekjaar=\"%d\": no input confirms it (no ledger for %d and no date in %d "
                     "on any record)",
                     ds->fiscal_year, ds->fiscal_year, ds->fiscal_year);
}
