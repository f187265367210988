/* report_build.c - the run's results into one plain rhv_report (see report_build.h). */
#include "report_build.h"

#include <stdlib.h>
#include <string.h>

/* calloc for n items, NULL also meaning "none" when n is 0; *fail on OOM. */
static void *items(size_t n, size_t size, int *fail)
{
    if (n == 0)
        return NULL;
    void *p = calloc(n, size);
    if (!p)
        *fail = 1;
    return p;
}

/* Copies of what the engine holds: findings, rules, parameter tables, overrides. */
static int copy_engine(report_builder *b, const rhv_engine *e)
{
    rhv_report *r = &b->report;
    int fail = 0;
    r->nfindings = engine_finding_count(e);
    r->nrules = engine_rule_count(e);
    r->nparams = engine_param_count(e);
    r->noverrides = engine_override_count(e);
    b->findings = items(r->nfindings, sizeof *b->findings, &fail);
    b->rules = items(r->nrules, sizeof *b->rules, &fail);
    b->params = items(r->nparams, sizeof *b->params, &fail);
    b->overrides = items(r->noverrides, sizeof *b->overrides, &fail);
    b->override_origins = items(r->noverrides, sizeof *b->override_origins, &fail);
    if (fail)
        return -1;
    for (size_t i = 0; i < r->nfindings; i++)
        b->findings[i] = *engine_finding(e, i);
    for (size_t i = 0; i < r->nrules; i++) {
        b->rules[i] = *engine_rule(e, i);
        if (b->rules[i].status == RULE_OK && engine_rule_records(e, i) == 0)
            b->rules[i].status = RULE_NO_DATA;
    }
    for (size_t i = 0; i < r->nparams; i++) {
        const rhv_param_info *p = engine_param(e, i);
        b->params[i] = (rhv_report_param){p->name, p->file, p->sha256};
    }
    for (size_t i = 0; i < r->noverrides; i++) {
        b->overrides[i] = engine_override(e, i);
        b->override_origins[i] = engine_override_origin(e, i);
    }
    r->findings = b->findings;
    r->rules = b->rules;
    r->params = b->params;
    r->overrides = b->overrides;
    r->override_origins = b->override_origins;
    return 0;
}

static int copy_inputs_and_diags(report_builder *b, const report_sources *src)
{
    rhv_report *r = &b->report;
    int fail = 0;
    r->ninputs = src->inputs ? src->ninputs : 0;
    r->ndiags = src->diag ? src->diag->n : 0;
    b->inputs = items(r->ninputs, sizeof *b->inputs, &fail);
    b->diags = items(r->ndiags, sizeof *b->diags, &fail);
    if (fail)
        return -1;
    if (r->ninputs)
        memcpy(b->inputs, src->inputs, r->ninputs * sizeof *b->inputs);
    if (r->ndiags)
        memcpy(b->diags, src->diag->msgs, r->ndiags * sizeof *b->diags);
    r->inputs = b->inputs;
    r->diags = b->diags;
    return 0;
}

/* The organisation and the grens settings: from the dossier when there is one. */
static void organisation(rhv_report *r, const report_sources *src)
{
    const rhv_dossier *ds = src->dossier;
    if (!ds) {
        r->org_naam = src->org_naam;
        r->fiscal_year = src->fiscal_year;
        return;
    }
    r->have_dossier = true;
    r->org_naam = ds->naam;
    r->org_soort = ds->soort;
    r->fiscal_year = ds->fiscal_year;
    r->normenkader_datum = ds->normenkader_datum;
    r->grens_basis = ds->basis_begroting ? "begroting" : "realisatie";
    r->grens_besluit = ds->grens_besluit;
    r->grens_bron = ds->grens_bron;
}

int report_build(report_builder *b, const report_sources *src)
{
    memset(b, 0, sizeof *b);
    rhv_report *r = &b->report;
    r->version = src->version;
    r->exit_code = src->exit_code;
    organisation(r, src);
    if (src->scope)
        r->scope = *src->scope;
    if (src->prov)
        r->prov = *src->prov;
    if (src->vin && src->vres) {
        r->have_verdict = true;
        r->vin = *src->vin;
        r->vres = *src->vres;
    }
    if ((src->engine && copy_engine(b, src->engine) != 0) || copy_inputs_and_diags(b, src) != 0) {
        report_build_free(b);
        return -1;
    }
    if (src->findings) {
        r->findings = src->findings;
        r->nfindings = src->nfindings;
        r->notes = src->notes;
    }
    r->beoordelingen = src->beoordelingen;
    r->scenario = src->scenario;
    if (r->scope.known && src->scenario)
        r->scope.scenario = true;
    r->vergelijking = src->vergelijking;
    return 0;
}

void report_build_free(report_builder *b)
{
    free(b->findings);
    free(b->rules);
    free(b->params);
    free(b->overrides);
    free(b->override_origins);
    free(b->inputs);
    free(b->diags);
    memset(b, 0, sizeof *b);
}
