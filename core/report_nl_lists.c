/* report_nl_lists.c - the lists of findings (declared in report_nl.h):
 * which list of the report each finding is in, the order within a list,
 * each list's heading and the line for an empty one, and how a record
 * behind a finding is named ("Bron:"). Every finding is in exactly one
 * list, so none is shown twice or left out.
 */
#include "report_nl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *report_evidence_nl(const rhv_evidence *e)
{
    const char *file = e->file ? e->file : "?";
    char amt[MONEY_FMT_MAX + 4] = "", b[MONEY_FMT_MAX];
    if (e->has_amount)
        snprintf(amt, sizeof amt, ": %s", money_format(e->amount, b));
    size_t n = strlen(file) + (e->key ? strlen(e->key) : 0) + strlen(amt) + 32;
    char *s = malloc(n);
    if (!s)
        return NULL;
    if (e->key)
        snprintf(s, n, "%s:%ld (%s)%s", file, e->line, e->key, amt);
    else
        snprintf(s, n, "%s:%ld%s", file, e->line, amt);
    return s;
}

void report_more_nl(size_t n, char *buf, size_t len)
{
    snprintf(buf, len, "en nog %zu %s", n, n == 1 ? "boeking" : "boekingen");
}

void report_list_heading_nl(const rhv_report *r, report_list_kind k, char *buf, size_t n)
{
    char b1[MONEY_FMT_MAX];
    switch (k) {
    case REPORT_LIST_REPORTABLE:
        if (r->have_verdict)
            snprintf(buf, n, "Toelichting (afwijkingen vanaf de rapportagegrens van %s)",
                     money_format(r->vin.rapportagegrens, b1));
        else
            snprintf(buf, n, "Toelichting");
        return;
    case REPORT_LIST_ACCEPTABEL: snprintf(buf, n, "Acceptabel volgens verordening (telt niet mee)"); return;
    case REPORT_LIST_SIGNALERING: snprintf(buf, n, "Signaleringen"); return;
    case REPORT_LIST_SMALL: snprintf(buf, n, "Bijlage: afwijkingen onder de rapportagegrens"); return;
    case REPORT_LIST_AFGEHANDELD:
        snprintf(buf, n, "Afgehandeld: onterecht of al geregistreerd (telt niet mee)");
        return;
    }
    snprintf(buf, n, "?");
}

const char *report_list_none_nl(const rhv_report *r, report_list_kind k)
{
    if (k == REPORT_LIST_REPORTABLE)
        return r->have_verdict ? "Geen afwijkingen vanaf de rapportagegrens." : "Geen fouten of onzekerheden gevonden.";
    return "Geen.";
}

bool report_list_shown(const rhv_report *r, report_list_kind k)
{
    if (k == REPORT_LIST_SMALL)
        return r->have_verdict;
    if (k == REPORT_LIST_AFGEHANDELD)
        return r->beoordelingen != NULL;
    return true;
}

bool report_in_list(const rhv_report *r, const rhv_finding *f, report_list_kind k)
{
    bool afw = f->kind == KIND_FOUT || f->kind == KIND_ONZEKERHEID;
    const rhv_finding_note *n = report_note(r, f);
    if (n && n->dropped) /* listed once, among the afgehandelde */
        return k == REPORT_LIST_AFGEHANDELD;
    switch (k) {
    case REPORT_LIST_AFGEHANDELD: return false;
    case REPORT_LIST_REPORTABLE: return afw && f->counts && report_is_reportable(r, f);
    case REPORT_LIST_ACCEPTABEL: return afw && !f->counts;
    case REPORT_LIST_SIGNALERING: return f->kind == KIND_SIGNALERING;
    case REPORT_LIST_SMALL: return afw && f->counts && !report_is_reportable(r, f);
    }
    return false;
}

/* A reader of the paragraaf bedrijfsvoering looks for the big items per
 * criterion: list in table order (criterion A, B, C), largest amount first;
 * ties keep the engine's order (rule id, then subject), so the list is stable. */
typedef struct {
    const rhv_finding *f;
    size_t pos;
} ordered;

static int ordered_cmp(const void *a, const void *b)
{
    const ordered *x = a, *y = b;
    if (x->f->crit != y->f->crit)
        return x->f->crit < y->f->crit ? -1 : 1;
    if (x->f->amount != y->f->amount)
        return x->f->amount > y->f->amount ? -1 : 1;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

int report_list(const rhv_report *r, report_list_kind k, const rhv_finding ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    size_t total = r->findings ? r->nfindings : 0, m = 0;
    for (size_t i = 0; i < total; i++)
        if (report_in_list(r, &r->findings[i], k))
            m++;
    if (m == 0)
        return 0;
    ordered *list = malloc(m * sizeof *list);
    const rhv_finding **res = malloc(m * sizeof *res);
    if (!list || !res) {
        free(list);
        free(res);
        return -1;
    }
    m = 0;
    for (size_t i = 0; i < total; i++)
        if (report_in_list(r, &r->findings[i], k))
            list[m++] = (ordered){&r->findings[i], i};
    qsort(list, m, sizeof *list, ordered_cmp);
    for (size_t i = 0; i < m; i++)
        res[i] = list[i].f;
    free(list);
    *out = res;
    *n = m;
    return 0;
}
