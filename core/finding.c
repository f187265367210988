/* finding.c - see finding.h */
#include "finding.h"

#include <stdlib.h>
#include <string.h>

static const char *const kind_names[KIND_COUNT] = {"fout", "onzekerheid", "signalering"};
static const char *const crit_names[CRIT_COUNT] = {
    "begrotingscriterium", "voorwaardencriterium", "misbruik_oneigenlijk_gebruik", "geen"};
static const char *const crit_titles[CRIT_COUNT] = {
    "Begrotingscriterium", "Voorwaardencriterium", "Misbruik en oneigenlijk gebruik", "Geen criterium"};

const char *finding_kind_name(finding_kind k)
{
    return (unsigned)k < KIND_COUNT ? kind_names[k] : "?";
}

const char *criterion_name(criterion c)
{
    return (unsigned)c < CRIT_COUNT ? crit_names[c] : "?";
}

const char *criterion_title_nl(criterion c)
{
    return (unsigned)c < CRIT_COUNT ? crit_titles[c] : "?";
}

int finding_kind_parse(const char *s, finding_kind *out)
{
    for (int i = 0; i < KIND_COUNT; i++)
        if (strcmp(s, kind_names[i]) == 0) {
            *out = (finding_kind)i;
            return 0;
        }
    return -1;
}

int criterion_parse(const char *s, criterion *out)
{
    for (int i = 0; i < CRIT_COUNT; i++)
        if (strcmp(s, crit_names[i]) == 0) {
            *out = (criterion)i;
            return 0;
        }
    return -1;
}

const char *rule_status_name(rule_status s)
{
    switch (s) {
    case RULE_OK: return "ok";
    case RULE_ERROR: return "error";
    case RULE_SKIPPED: return "skipped";
    case RULE_NO_DATA: return "no_data";
    }
    return "?";
}

void finding_free(rhv_finding *f)
{
    if (!f)
        return;
    free(f->rule);
    free(f->subject);
    free(f->message);
    free(f->toelichting);
    free(f->key);
    for (size_t i = 0; i < f->nev; i++) {
        free(f->ev[i].file);
        free(f->ev[i].key);
    }
    free(f->ev);
    memset(f, 0, sizeof *f);
}

void rule_info_free(rhv_rule_info *r)
{
    if (!r)
        return;
    free(r->id);
    free(r->title);
    free(r->file);
    free(r->sha256);
    free(r->message);
    memset(r, 0, sizeof *r);
}
