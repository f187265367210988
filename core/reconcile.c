/* reconcile.c - the RHV table as typed, against the verdict (see reconcile.h). */
#include "reconcile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "money.h"

static const char *str_of(const rhv_record *rec, const char *name, size_t *len)
{
    int i = record_field_index(rec->type, name);
    if (i < 0 || rec->v[i].kind == VAL_NONE)
        return NULL;
    *len = rec->v[i].len;
    return rec->v[i].s;
}

static int64_t int_of(const rhv_record *rec, const char *name)
{
    int i = record_field_index(rec->type, name);
    return i < 0 ? 0 : rec->v[i].i;
}

static bool is(const char *s, size_t len, const char *word)
{
    return s && strlen(word) == len && memcmp(s, word, len) == 0;
}

int reconcile_note(reconcile *rc, const rhv_record *rec)
{
    size_t lt = 0, lm = 0, lr = 0, lk = 0, la = 0;
    if (strcmp(rec->type->name, "cijfer") != 0)
        return 0;
    const char *tabel = str_of(rec, "tabel", &lt), *maat = str_of(rec, "maat", &lm);
    if (!is(tabel, lt, "rhv") || !is(maat, lm, "bedrag"))
        return 0;
    const char *rij = str_of(rec, "rij", &lr), *kolom = str_of(rec, "kolom", &lk);
    const char *afr = str_of(rec, "afronding", &la);
    if (!rij || !kolom)
        return 0; /* not a valid record: the reader has said so */
    if (rc->n == rc->cap) {
        size_t nc = rc->cap ? rc->cap * 2 : 16;
        reconcile_cell *ncells = realloc(rc->cells, nc * sizeof *ncells);
        if (!ncells)
            return -1;
        rc->cells = ncells;
        rc->cap = nc;
    }
    reconcile_cell *c = &rc->cells[rc->n];
    c->rij = strndup(rij, lr);
    c->kolom = strndup(kolom, lk);
    c->file = strdup(rec->file);
    if (!c->rij || !c->kolom || !c->file) {
        free(c->rij);
        free(c->kolom);
        free(c->file);
        return -1;
    }
    c->line = rec->line;
    c->waarde = int_of(rec, "waarde"); /* x100: a bedrag in cents */
    c->decimalen = (int)int_of(rec, "decimalen");
    c->down = is(afr, la, "down");
    rc->n++;
    return 0;
}

void reconcile_free(reconcile *rc)
{
    for (size_t i = 0; i < rc->n; i++) {
        free(rc->cells[i].rij);
        free(rc->cells[i].kolom);
        free(rc->cells[i].file);
    }
    free(rc->cells);
    memset(rc, 0, sizeof *rc);
}

/* The figure a cell names, or NULL with the reason in *why. */
static const rhv_cents *figure(const reconcile_cell *c, const verdict_input *in, const verdict_result *res,
                               rhv_cents *scratch, const char **why)
{
    static const char *const crit[] = {"begrotingscriterium", "voorwaardencriterium", "misbruik_oneigenlijk_gebruik"};
    int k = strcmp(c->kolom, "fouten") == 0 ? 0 : strcmp(c->kolom, "onzekerheden") == 0 ? 1
            : strcmp(c->kolom, "totaal") == 0 ? 2 : -1;
    if (k < 0) {
        *why = "kolom is geen fouten, onzekerheden of totaal";
        return NULL;
    }
    for (int i = 0; i < 3; i++)
        if (strcmp(c->rij, crit[i]) == 0) {
            if (k < 2)
                return &res->by[i][k];
            *scratch = res->by[i][0] + res->by[i][1]; /* each at most the total, which did not overflow */
            return scratch;
        }
    if (strcmp(c->rij, "Totaal") == 0)
        return k == 0 ? &res->fouten : k == 1 ? &res->onzekerheden : &res->total;
    if (strcmp(c->rij, "verantwoordingsgrens") == 0) {
        if (!in->gescheiden && k == 2)
            return &res->grens;
        if (in->gescheiden && k < 2)
            return k == 0 ? &res->grens_fouten : &res->grens_onzekerheden;
        *why = in->gescheiden ? "met gescheiden grenzen is er een grens voor fouten en een voor onzekerheden"
                              : "met een gecombineerde grens is er alleen de kolom totaal";
        return NULL;
    }
    *why = "rij is geen criterium, Totaal of verantwoordingsgrens";
    return NULL;
}

static rhv_cents rounded(rhv_cents v, int decimalen, bool down)
{
    if (decimalen >= 2)
        return v;
    int64_t unit = decimalen == 1 ? 10 : 100;
    int64_t q = v / unit, rest = v % unit;
    if (rest < 0) { /* floor, like the rule's // */
        q--;
        rest += unit;
    }
    if (!down && rest * 2 >= unit)
        q++;
    return q * unit;
}

static int make(rhv_finding *f, const reconcile_cell *c, rhv_cents amount, const char *message)
{
    char subject[512], key[512];
    snprintf(subject, sizeof subject, "Tabel rhv, %s, %s", c->rij, c->kolom);
    snprintf(key, sizeof key, "cijfer rhv/%s/%s", c->rij, c->kolom);
    memset(f, 0, sizeof *f);
    f->rule = strdup(RECONCILE_RULE);
    f->crit = CRIT_NONE;
    f->kind = KIND_SIGNALERING;
    f->amount = amount;
    f->counts = true;
    f->subject = strdup(subject);
    f->message = strdup(message);
    f->ev = calloc(1, sizeof *f->ev);
    if (f->ev) {
        f->nev = 1;
        f->ev[0].file = strdup(c->file);
        f->ev[0].line = c->line;
        f->ev[0].key = strdup(key);
    }
    if (!f->rule || !f->subject || !f->message || !f->ev || !f->ev[0].file || !f->ev[0].key) {
        finding_free(f);
        return -1;
    }
    return 0;
}

int reconcile_findings(const reconcile *rc, const verdict_input *in, const verdict_result *res, rhv_finding **out,
                       size_t *n)
{
    *out = NULL;
    *n = 0;
    rhv_finding *fs = rc->n ? calloc(rc->n, sizeof *fs) : NULL;
    if (rc->n && !fs)
        return -1;
    size_t k = 0;
    for (size_t i = 0; i < rc->n; i++) {
        const reconcile_cell *c = &rc->cells[i];
        rhv_cents scratch;
        const char *why = NULL;
        const rhv_cents *v = figure(c, in, res, &scratch, &why);
        char msg[512], a[MONEY_FMT_MAX], b[MONEY_FMT_MAX], d[MONEY_FMT_MAX];
        rhv_cents diff = 0;
        if (!v) {
            snprintf(msg, sizeof msg, "Gepubliceerd bedrag niet aan te sluiten: %s.", why);
        } else {
            if (rounded(*v, c->decimalen, c->down) == c->waarde)
                continue;
            diff = c->waarde > *v ? c->waarde - *v : *v - c->waarde; /* both non-negative */
            snprintf(msg, sizeof msg, "Gepubliceerd %s, berekend %s: verschil %s.", money_format(c->waarde, a),
                     money_format(*v, b), money_format(diff, d));
        }
        if (make(&fs[k], c, diff, msg) != 0) {
            for (size_t j = 0; j < k; j++)
                finding_free(&fs[j]);
            free(fs);
            return -1;
        }
        k++;
    }
    if (k == 0) {
        free(fs);
        fs = NULL;
    }
    *out = fs;
    *n = k;
    return 0;
}
