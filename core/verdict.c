/* verdict.c - see verdict.h and docs/verdict.md */
#include "verdict.h"

#include <string.h>

static int fail(const char **err, const char *msg)
{
    if (err)
        *err = msg;
    return -1;
}

static bool counted(const rhv_finding *f)
{
    return (f->kind == KIND_FOUT || f->kind == KIND_ONZEKERHEID) && f->counts;
}

int verdict_compute(const verdict_input *in, const rhv_finding *f, size_t n, verdict_result *out,
                    const char **err)
{
    if (err)
        *err = NULL;
    if (!in || !out || (n > 0 && !f))
        return fail(err, "missing input");
    if (in->basis < 0)
        return fail(err, "negative basis (totale lasten)");
    if (in->grens_bp < 0 || in->fouten_bp < 0 || in->onzekerheden_bp < 0)
        return fail(err, "negative percentage");
    if (in->rapportagegrens < 0)
        return fail(err, "negative rapportagegrens");

    /* Work on a copy so a failure never leaves a half-filled result behind. */
    verdict_result r;
    memset(&r, 0, sizeof r);

    for (size_t i = 0; i < n; i++) {
        const rhv_finding *x = &f[i];
        if ((unsigned)x->kind >= KIND_COUNT || (unsigned)x->crit >= CRIT_COUNT)
            return fail(err, "finding with unknown kind or criterion");
        if (x->kind == KIND_SIGNALERING)
            continue;
        /* A negative afwijking would silently lower the total. */
        if (x->amount < 0)
            return fail(err, "fout or onzekerheid with a negative amount");
        if (!x->counts) {
            if (!money_add(r.acceptabel, x->amount, &r.acceptabel))
                return fail(err, "overflow in the acceptabel total");
            continue;
        }
        rhv_cents *cell = &r.by[x->crit][x->kind == KIND_FOUT ? 0 : 1];
        rhv_cents *sum = x->kind == KIND_FOUT ? &r.fouten : &r.onzekerheden;
        if (!money_add(*cell, x->amount, cell) || !money_add(*sum, x->amount, sum))
            return fail(err, "overflow in the totals");
        if (x->amount >= in->rapportagegrens)
            r.above_rapportagegrens++;
    }
    if (!money_add(r.fouten, r.onzekerheden, &r.total))
        return fail(err, "overflow in the total");

    if (!money_pct_of(in->basis, in->grens_bp, &r.grens))
        return fail(err, "overflow computing the verantwoordingsgrens");
    if (!money_sub(r.grens, r.total, &r.ruimte))
        return fail(err, "overflow computing the ruimte");

    if (in->gescheiden) {
        if (!money_pct_of(in->basis, in->fouten_bp, &r.grens_fouten) ||
            !money_pct_of(in->basis, in->onzekerheden_bp, &r.grens_onzekerheden))
            return fail(err, "overflow computing the verantwoordingsgrenzen");
        if (!money_sub(r.grens_fouten, r.fouten, &r.ruimte_fouten) ||
            !money_sub(r.grens_onzekerheden, r.onzekerheden, &r.ruimte_onzekerheden))
            return fail(err, "overflow computing the ruimte");
        /* Exactly at a grens is still binnen. */
        r.boven = r.fouten > r.grens_fouten || r.onzekerheden > r.grens_onzekerheden;
        r.pct_warning = verdict_pct_plausible(in->fouten_bp) != 0 || verdict_pct_plausible(in->onzekerheden_bp) != 0;
    } else {
        r.boven = r.total > r.grens;
        r.pct_warning = verdict_pct_plausible(in->grens_bp) != 0;
    }
    *out = r;
    return 0;
}

int verdict_pct_plausible(int64_t bp)
{
    return bp < VERDICT_PCT_LOW_BP ? -1 : bp > VERDICT_PCT_HIGH_BP ? 1 : 0;
}

bool verdict_is_reportable(const verdict_input *in, const rhv_finding *f)
{
    return in && f && counted(f) && f->amount >= in->rapportagegrens;
}

/* Adds the money field `name` of rec to *sum (a copy: the caller commits). */
static int add_field(const rhv_record *rec, const char *name, rhv_cents *sum, const char **field)
{
    int i = record_field_index(rec->type, name);
    /* The dossier reader hands on only valid records, where these amounts
     * are required; an absent one adds nothing. */
    if (i < 0 || rec->v[i].kind != VAL_MONEY)
        return 0;
    if (!money_add(*sum, rec->v[i].i, sum)) {
        if (field)
            *field = name;
        return -1;
    }
    return 0;
}

int verdict_basis_add(verdict_basis *b, const rhv_record *rec, const char **field)
{
    verdict_basis next = *b;
    const char *t = rec->type->name;
    if (strcmp(t, "programma") == 0) {
        if (add_field(rec, "lasten_realisatie", &next.lasten_realisatie, field) != 0 ||
            add_field(rec, "lasten_begroot", &next.lasten_begroot, field) != 0)
            return -1;
    } else if (strcmp(t, "reserve") == 0) {
        if (add_field(rec, "toevoeging_realisatie", &next.toevoegingen_realisatie, field) != 0 ||
            add_field(rec, "toevoeging_begroot", &next.toevoegingen_begroot, field) != 0)
            return -1;
    }
    *b = next;
    return 0;
}

bool verdict_basis_total(const verdict_basis *b, bool begroting, rhv_cents *out)
{
    rhv_cents lasten = begroting ? b->lasten_begroot : b->lasten_realisatie;
    rhv_cents toevoegingen = begroting ? b->toevoegingen_begroot : b->toevoegingen_realisatie;
    return money_add(lasten, toevoegingen, out);
}
