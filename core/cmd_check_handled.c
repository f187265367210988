/* cmd_check_handled.c - see cmd_check_handled.h and docs/handled.md.
 *
 * The engine's findings are not changed: the report gets shallow copies, in
 * which a beoordeling acceptabel clears counts and a scenario's wordt_fout
 * makes an onzekerheid a fout. Dropped findings (onterecht, geregistreerd)
 * stay in the list and leave the totals: the verdict sums h->counted.
 */
#include "cmd_check_handled.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fingerprint.h"

/* ---- plan --------------------------------------------------------------- */

static int add_name(check_name **v, size_t *n, const rhv_value *s, bool telt_mee)
{
    char *id = malloc(s->len + 1);
    if (!id)
        return -1;
    memcpy(id, s->s, s->len);
    id[s->len] = '\0';
    check_name *nv = realloc(*v, (*n + 1) * sizeof *nv);
    if (!nv) {
        free(id);
        return -1;
    }
    *v = nv;
    nv[(*n)++] = (check_name){id, telt_mee};
    return 0;
}

void check_names_record(check_names *nm, const rhv_record *rec)
{
    const char *t = rec->type->name;
    int rc = 0;
    if (strcmp(t, "afwijking") == 0) {
        const rhv_value *id = &rec->v[record_field_index(rec->type, "id")];
        if (id->kind == VAL_STR)
            rc = add_name(&nm->afw, &nm->nafw, id, false);
    } else if (strcmp(t, "begrotingscategorie") == 0) {
        const rhv_value *c = &rec->v[record_field_index(rec->type, "categorie")];
        const rhv_value *tm = &rec->v[record_field_index(rec->type, "telt_mee")];
        if (c->kind == VAL_STR)
            rc = add_name(&nm->cat, &nm->ncat, c, tm->kind == VAL_BOOL && tm->i);
    }
    if (rc != 0)
        nm->oom = true;
}

void check_names_free(check_names *nm)
{
    for (size_t i = 0; i < nm->nafw; i++)
        free(nm->afw[i].id);
    for (size_t i = 0; i < nm->ncat; i++)
        free(nm->cat[i].id);
    free(nm->afw);
    free(nm->cat);
    memset(nm, 0, sizeof *nm);
}

void check_handled_plan(check_handled *h, check_plan *p, rhv_diag *d)
{
    h->beoordelingen = p->beoordelingen;
    if (h->beoordelingen) {
        check_plan_add_input(p, h->beoordelingen, "beoordelingen", d);
        beoordelingen_read(h->beoordelingen, &h->bo, d);
        h->have_bo = true;
    }
    if (h->als) {
        check_plan_add_input(p, h->als, "scenario", d);
        scenario_read(h->als, &h->sc, d);
        h->have_sc = true;
    }
    if (h->vorige) {
        check_plan_add_input(p, h->vorige, "vorige", d);
        h->have_prev = previous_read(h->vorige, &h->prev, d) == 0;
    }
}

/* ---- apply -------------------------------------------------------------- */

/* A lookup index by fingerprint, for this run's findings (key: the
 * fingerprint, h->fps' own; pos: the finding) and the earlier report's (key:
 * the fingerprint without its year, the index's own; pos: the position in that
 * report). Sorted by key, then by pos, so that of equal keys the first found
 * is the first given. */
typedef struct {
    char *key;
    size_t pos;
} key_pos;

static int key_pos_cmp(const void *a, const void *b)
{
    const key_pos *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->pos > y->pos) - (x->pos < y->pos);
}

static void key_pos_sort(key_pos *ix, size_t n)
{
    if (n) /* qsort takes no NULL, even for zero elements */
        qsort(ix, n, sizeof *ix, key_pos_cmp);
}

/* The index of the first entry with this key, or -1. */
static long key_pos_first(const key_pos *ix, size_t n, const char *key)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(ix[mid].key, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && strcmp(ix[lo].key, key) == 0 ? (long)lo : -1;
}

static const check_name *find_name(const check_name *v, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].id, id) == 0)
            return &v[i];
    return NULL;
}

/* Can entry e decide finding f? Reports why not (error). */
static bool besluit_holds(check_handled *h, const rhv_beoordeling *e, const rhv_finding *f, rhv_diag *d)
{
    const char *path = h->beoordelingen;
    if (e->besluit == BESLUIT_GEREGISTREERD) {
        if (!find_name(h->names->afw, h->names->nafw, e->afwijking)) {
            diag_error(d, path, e->line, "beoordeling of %s: besluit geregistreerd names afwijking %s, which the "
                       "dossier does not register", e->fingerprint, e->afwijking);
            return false;
        }
        if (strcmp(f->rule, "afwijkingen.geregistreerd") == 0) {
            diag_error(d, path, e->line, "beoordeling of %s: a registered afwijking cannot be registered again as "
                       "afwijking %s", e->fingerprint, e->afwijking);
            return false;
        }
    }
    if (e->besluit == BESLUIT_ACCEPTABEL) {
        const check_name *c = find_name(h->names->cat, h->names->ncat, e->categorie);
        if (!c) {
            diag_error(d, path, e->line, "beoordeling of %s: categorie %s is not a begrotingscategorie of the "
                       "dossier's verordening", e->fingerprint, e->categorie);
            return false;
        }
        if (c->telt_mee) {
            diag_error(d, path, e->line, "beoordeling of %s: categorie %s counts by the verordening (telt_mee "
                       "true); it cannot make a finding acceptabel", e->fingerprint, e->categorie);
            return false;
        }
    }
    return true;
}

static void apply_beoordelingen(check_handled *h, const key_pos *ix, size_t n, rhv_diag *d)
{
    h->boi.file = h->beoordelingen;
    h->boi.entries = h->bo.v;
    h->boi.n = h->bo.n;
    for (size_t k = 0; k < h->bo.n; k++) {
        rhv_beoordeling *e = &h->bo.v[k];
        long at = key_pos_first(ix, n, e->fingerprint);
        if (at < 0) {
            diag_warning(d, h->beoordelingen, e->line, "beoordeling of %s (besluit %s): no finding of this run has "
                         "this fingerprint; update or remove the entry", e->fingerprint, besluit_name(e->besluit));
            continue;
        }
        e->matched = true;
        if (e->geldig_tot && strcmp(e->geldig_tot, h->peildatum) < 0) {
            e->verlopen = true;
            diag_warning(d, h->beoordelingen, e->line, "beoordeling of %s: geldig_tot %s has passed (peildatum %s); "
                         "it no longer applies", e->fingerprint, e->geldig_tot, h->peildatum);
        }
        for (long j = at; j < (long)n && strcmp(ix[j].key, e->fingerprint) == 0; j++) {
            size_t i = ix[j].pos;
            if (!besluit_holds(h, e, &h->findings[i], d))
                break;
            h->notes[i].beoordeling = e;
            if (e->verlopen)
                continue;
            if (e->besluit == BESLUIT_ACCEPTABEL)
                h->findings[i].counts = false;
            else if (e->besluit == BESLUIT_ONTERECHT || e->besluit == BESLUIT_GEREGISTREERD)
                h->notes[i].dropped = true;
        }
        if (!e->verlopen && h->notes[ix[at].pos].beoordeling == e)
            h->boi.toegepast++;
    }
}

static void apply_wordt_fout(check_handled *h, const key_pos *ix, size_t n, rhv_diag *d)
{
    for (size_t k = 0; k < h->sc.nfout; k++) {
        const scenario_fout *w = &h->sc.fout[k];
        long at = key_pos_first(ix, n, w->fingerprint);
        rhv_finding *f = at < 0 ? NULL : &h->findings[ix[at].pos];
        if (!f) {
            diag_error(d, h->als, w->line, "wordt_fout %s: no finding of this run has this fingerprint", w->fingerprint);
        } else if (f->kind != KIND_ONZEKERHEID) {
            diag_error(d, h->als, w->line, "wordt_fout %s: the finding is a %s, not an onzekerheid", w->fingerprint,
                       finding_kind_name(f->kind));
        } else {
            f->kind = KIND_FOUT;
            h->notes[ix[at].pos].scenario = SCENARIO_WORDT_FOUT;
            h->sci.wordt_fout++;
        }
    }
}

/* The scenario's afwijkingen as findings of rule "scenario", key its id. */
static int scenario_findings(check_handled *h)
{
    for (size_t k = 0; k < h->sc.nafw; k++) {
        const scenario_afwijking *a = &h->sc.afw[k];
        rhv_finding *f = &h->findings[h->nengine + k];
        memset(f, 0, sizeof *f);
        f->kind = a->kind;
        f->crit = a->crit;
        f->amount = a->bedrag;
        f->counts = true;
        f->rule = strdup("scenario");
        f->subject = strdup(a->onderwerp);
        f->message = strdup(a->omschrijving);
        f->key = strdup(a->id);
        f->ev = calloc(1, sizeof *f->ev);
        size_t kn = strlen(a->id) + 16;
        if (f->ev) {
            f->nev = 1;
            f->ev->file = strdup(h->als);
            f->ev->line = a->line;
            if ((f->ev->key = malloc(kn)))
                snprintf(f->ev->key, kn, "afwijking %s", a->id);
        }
        h->nfindings++;
        h->notes[h->nengine + k].scenario = SCENARIO_TOEGEVOEGD;
        if (!f->rule || !f->subject || !f->message || !f->key || !f->ev || !f->ev->file || !f->ev->key)
            return -1;
    }
    h->sci.toegevoegd = h->sc.nafw;
    return 0;
}

/* "RULE:HASH": a fingerprint without its year, the same finding in any
 * fiscal year (fingerprint.h); NULL when fp is not RULE:YEAR:HASH or out of memory. */
static char *yearless(const char *fp)
{
    const char *c1 = strchr(fp, ':'), *c2 = strrchr(fp, ':');
    if (!c1 || c1 == c2)
        return NULL;
    size_t r = (size_t)(c1 - fp), n = r + strlen(c2) + 1;
    char *k = malloc(n);
    if (k)
        snprintf(k, n, "%.*s%s", (int)r, fp, c2);
    return k;
}

/* Each finding of this run against the earlier report's (pi, m entries);
 * seen[pos] marks the earlier ones compared. */
static int match_vorige(check_handled *h, const key_pos *pi, size_t m, bool *seen)
{
    for (size_t i = 0; i < h->nfindings; i++) {
        rhv_finding_note *n = &h->notes[i];
        char *key = yearless(h->fps[i]);
        if (!key)
            return -1;
        long at = key_pos_first(pi, m, key);
        free(key);
        n->have_vorige = true;
        if (at >= 0) {
            const rhv_prev_finding *p = &h->prev.f[pi[at].pos];
            seen[pi[at].pos] = true;
            n->vorige_amount = p->amount;
            n->vorige = p->amount == h->findings[i].amount ? VORIGE_ONGEWIJZIGD : VORIGE_GEWIJZIGD;
        } else {
            n->vorige = VORIGE_NIEUW;
        }
        h->vg.nieuw += n->vorige == VORIGE_NIEUW;
        h->vg.ongewijzigd += n->vorige == VORIGE_ONGEWIJZIGD;
        h->vg.gewijzigd += n->vorige == VORIGE_GEWIJZIGD;
    }
    return 0;
}

/* Vervallen: in the earlier report, not in this one; in the earlier report's
 * order. A fingerprint twice in the earlier report: the first is compared. */
static int collect_vervallen(check_handled *h, const key_pos *pi, size_t m, const bool *seen)
{
    bool *gone = h->prev.n ? calloc(h->prev.n, sizeof *gone) : NULL;
    if (h->prev.n && !gone)
        return -1;
    size_t nv = 0;
    for (size_t j = 0; j < m; j++)
        if (!seen[pi[j].pos] && !(j > 0 && strcmp(pi[j - 1].key, pi[j].key) == 0)) {
            gone[pi[j].pos] = true;
            nv++;
        }
    h->vervallen = nv ? calloc(nv, sizeof *h->vervallen) : NULL;
    if (nv && !h->vervallen) {
        free(gone);
        return -1;
    }
    for (size_t i = 0; i < h->prev.n; i++)
        if (gone[i])
            h->vervallen[h->vg.nvervallen++] = &h->prev.f[i];
    free(gone);
    return 0;
}

static int apply_vorige(check_handled *h, rhv_diag *d)
{
    rhv_previous *pv = &h->prev;
    size_t m = 0;
    int rc = -1;
    key_pos *pi = pv->n ? calloc(pv->n, sizeof *pi) : NULL;
    bool *seen = pv->n ? calloc(pv->n, sizeof *seen) : NULL;
    if (pv->n && (!pi || !seen)) {
        free(pi);
        free(seen);
        return -1;
    }
    for (size_t i = 0; i < pv->n; i++) {
        char *key = yearless(pv->f[i].fingerprint);
        if (key)
            pi[m++] = (key_pos){key, i};
        else
            diag_warning(d, h->vorige, 0, "findings[%zu]: fingerprint \"%s\" is not RULE:YEAR:HASH; not compared",
                         i, pv->f[i].fingerprint);
    }
    key_pos_sort(pi, m);
    if (match_vorige(h, pi, m, seen) == 0 && collect_vervallen(h, pi, m, seen) == 0)
        rc = 0;
    for (size_t j = 0; j < m; j++)
        free(pi[j].key);
    free(pi);
    free(seen);
    h->vg.file = h->vorige;
    h->vg.fiscal_year = pv->fiscal_year;
    h->vg.have_totals = pv->have_totals;
    h->vg.fouten = pv->fouten;
    h->vg.onzekerheden = pv->onzekerheden;
    h->vg.total = pv->total;
    h->vg.have_headroom = pv->have_headroom;
    h->vg.headroom = pv->headroom;
    h->vg.verdict = pv->verdict;
    h->vg.vervallen = h->vervallen;
    return rc;
}

/* What the verdict totals: not dropped; base: the engine's own, as without the scenario. */
static int counted_sets(check_handled *h)
{
    size_t n = h->nfindings;
    h->counted = n ? malloc(n * sizeof *h->counted) : NULL;
    h->base = n ? malloc(n * sizeof *h->base) : NULL;
    if (n && (!h->counted || !h->base))
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (h->notes[i].dropped)
            continue;
        h->counted[h->ncounted++] = h->findings[i];
        if (i < h->nengine) {
            rhv_finding b = h->findings[i];
            if (h->notes[i].scenario == SCENARIO_WORDT_FOUT)
                b.kind = KIND_ONZEKERHEID;
            h->base[h->nbase++] = b;
        }
    }
    return 0;
}

int check_handled_apply(check_handled *h, const check_run *run, rhv_diag *d)
{
    if (run->names.oom) {
        diag_error(d, NULL, 0, "out of memory while keeping the dossier's afwijking ids and categories");
        return -1;
    }
    h->names = &run->names;
    size_t ne = engine_finding_count(run->eng);
    size_t n = ne + (h->have_sc ? h->sc.nafw : 0);
    h->nengine = ne;
    h->findings = n ? calloc(n, sizeof *h->findings) : NULL;
    h->notes = n ? calloc(n, sizeof *h->notes) : NULL;
    h->fps = n ? calloc(n, sizeof *h->fps) : NULL;
    key_pos *ix = n ? malloc(n * sizeof *ix) : NULL;
    if (n && (!h->findings || !h->notes || !h->fps || !ix))
        goto oom;
    for (size_t i = 0; i < ne; i++)
        h->findings[i] = *engine_finding(run->eng, i);
    h->nfindings = ne;
    if (h->have_sc && scenario_findings(h) != 0)
        goto oom;
    for (size_t i = 0; i < h->nfindings; i++) {
        if (!(h->fps[i] = fingerprint_make(&h->findings[i], run->fiscal_year)))
            goto oom;
        h->notes[i].fingerprint = h->fps[i];
        ix[i] = (key_pos){h->fps[i], i};
    }
    key_pos_sort(ix, h->nfindings);
    if (h->have_bo)
        apply_beoordelingen(h, ix, h->nfindings, d);
    if (h->have_sc) {
        h->sci.file = h->als;
        h->sci.naam = h->sc.naam;
        apply_wordt_fout(h, ix, h->nfindings, d);
    }
    free(ix);
    ix = NULL;
    if (h->have_prev && apply_vorige(h, d) != 0)
        goto oom;
    if (counted_sets(h) != 0)
        goto oom;
    return 0;
oom:
    free(ix);
    diag_error(d, NULL, 0, "out of memory while matching the findings");
    return -1;
}

void check_handled_free(check_handled *h)
{
    for (size_t i = h->nengine; i < h->nfindings; i++)
        finding_free(&h->findings[i]);
    for (size_t i = 0; h->fps && i < h->nfindings; i++)
        free(h->fps[i]);
    free(h->fps);
    free(h->findings);
    free(h->notes);
    free(h->counted);
    free(h->base);
    free(h->vervallen);
    beoordelingen_free(&h->bo);
    scenario_free(&h->sc);
    previous_free(&h->prev);
    memset(h, 0, sizeof *h);
}

/* After findings joined the engine once the verdict was made (reconcile.c):
 * the engine's part of the list again, in the engine's order. A finding
 * already listed keeps its note (matched by its texts, which the list shares
 * with the engine); a new one gets a fingerprint and an empty note (with
 * --vorige it is nieuw). New findings are signaleringen: the counted sets
 * stay as they are. */
int check_handled_add(check_handled *h, const check_run *run, size_t added)
{
    if (added == 0)
        return 0;
    size_t ne = engine_finding_count(run->eng), extra = h->nfindings - h->nengine, n = ne + extra;
    rhv_finding *fs = calloc(n, sizeof *fs);
    rhv_finding_note *notes = calloc(n, sizeof *notes);
    char **fps = calloc(n, sizeof *fps);
    if (!fs || !notes || !fps)
        goto oom;
    bool *taken = calloc(h->nengine ? h->nengine : 1, sizeof *taken);
    if (!taken)
        goto oom;
    for (size_t i = 0; i < ne; i++) {
        fs[i] = *engine_finding(run->eng, i);
        size_t j = 0;
        while (j < h->nengine && (taken[j] || h->findings[j].subject != fs[i].subject))
            j++;
        if (j < h->nengine) {
            taken[j] = true;
            notes[i] = h->notes[j];
            fps[i] = h->fps[j];
            h->fps[j] = NULL;
            continue;
        }
        if (!(fps[i] = fingerprint_make(&fs[i], run->fiscal_year))) {
            free(taken);
            goto oom;
        }
        notes[i].fingerprint = fps[i];
        notes[i].have_vorige = h->have_prev;
        notes[i].vorige = VORIGE_NIEUW;
    }
    free(taken);
    for (size_t k = 0; k < extra; k++) {
        fs[ne + k] = h->findings[h->nengine + k];
        notes[ne + k] = h->notes[h->nengine + k];
        fps[ne + k] = h->fps[h->nengine + k];
        h->fps[h->nengine + k] = NULL;
    }
    for (size_t j = 0; j < h->nfindings; j++)
        free(h->fps[j]);
    free(h->findings);
    free(h->notes);
    free(h->fps);
    h->findings = fs;
    h->notes = notes;
    h->fps = fps;
    h->nengine = ne;
    h->nfindings = n;
    return 0;
oom:
    free(fs);
    free(notes);
    free(fps);
    return -1;
}
