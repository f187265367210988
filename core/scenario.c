/* scenario.c - see scenario.h */
#include "scenario.h"

#include <stdlib.h>
#include <string.h>

#include "beoordeling.h"
#include "handled_xml.h"
#include "value.h"

enum { S_ID, S_CRIT, S_SOORT, S_BEDRAG, S_ONDERWERP, S_OMSCHRIJVING, S_N };
static const char *const afw_names[S_N + 1] = {"id", "criterium", "soort", "bedrag", "onderwerp",
                                               "omschrijving", NULL};
enum { W_FP, W_REDEN, W_N };
static const char *const fout_names[W_N + 1] = {"fingerprint", "reden", NULL};
static const char *const root_names[] = {"naam", NULL};

/* criterium and soort as the dossier's <afwijking> allows them. */
static bool in_domain(hx_reader *r, const xml_attr *attrs, int nattrs, const char *field, const char *v)
{
    const rhv_record_type *t = record_type_find("afwijking");
    int i = record_field_index(t, field);
    const value_domain *d = value_domain_of(t, &t->fields[i]);
    if (value_in_enum(d->values, v, strlen(v)))
        return true;
    hx_err(r, hx_attr_line(r, attrs, nattrs, field), "<afwijking> attribute %s=\"%s\" %s", field, v,
           value_why(VALUE_NOT_IN_ENUM, d));
    return false;
}

static void afwijking(hx_reader *r, rhv_scenario *s, const xml_attr *attrs, int nattrs)
{
    char *v[S_N];
    bool ok = hx_take(r, "afwijking", attrs, nattrs, afw_names, (1u << S_N) - 1, v) == 0;
    rhv_cents bedrag = 0;
    if (v[S_CRIT] && !in_domain(r, attrs, nattrs, "criterium", v[S_CRIT]))
        ok = false;
    if (v[S_SOORT] && !in_domain(r, attrs, nattrs, "soort", v[S_SOORT]))
        ok = false;
    if (v[S_BEDRAG]) {
        money_status st = money_parse(v[S_BEDRAG], strlen(v[S_BEDRAG]), &bedrag);
        if (st != MONEY_OK || bedrag <= 0) {
            hx_err(r, hx_attr_line(r, attrs, nattrs, "bedrag"), "<afwijking> attribute bedrag=\"%s\" %s", v[S_BEDRAG],
                   st != MONEY_OK ? money_status_text(st) : "must be more than zero");
            ok = false;
        }
    }
    for (size_t i = 0; v[S_ID] && i < s->nafw; i++)
        if (strcmp(s->afw[i].id, v[S_ID]) == 0) {
            hx_err(r, hx_attr_line(r, attrs, nattrs, "id"), "<afwijking> id %s is already used at line %ld",
                   v[S_ID], s->afw[i].line);
            ok = false;
        }
    scenario_afwijking *na = ok ? realloc(s->afw, (s->nafw + 1) * sizeof *na) : NULL;
    if (ok && !na)
        hx_err(r, hx_line(r), "out of memory");
    if (!na) {
        hx_free_vals(v, S_N);
        return;
    }
    s->afw = na;
    scenario_afwijking *a = &na[s->nafw++];
    a->id = v[S_ID];
    a->onderwerp = v[S_ONDERWERP];
    a->omschrijving = v[S_OMSCHRIJVING];
    criterion_parse(v[S_CRIT], &a->crit);
    finding_kind_parse(v[S_SOORT], &a->kind);
    a->bedrag = bedrag;
    a->line = hx_line(r);
    free(v[S_CRIT]);
    free(v[S_SOORT]);
    free(v[S_BEDRAG]);
}

static void wordt_fout(hx_reader *r, rhv_scenario *s, const xml_attr *attrs, int nattrs)
{
    char *v[W_N];
    bool ok = hx_take(r, "wordt_fout", attrs, nattrs, fout_names, 1u << W_FP, v) == 0;
    if (v[W_FP] && !fingerprint_well_formed(v[W_FP])) {
        hx_err(r, hx_attr_line(r, attrs, nattrs, "fingerprint"),
               "<wordt_fout> fingerprint \"%s\" is not RULE:YEAR:HASH (12 hex digits), as a report shows it", v[W_FP]);
        ok = false;
    }
    for (size_t i = 0; ok && i < s->nfout; i++)
        if (strcmp(s->fout[i].fingerprint, v[W_FP]) == 0) {
            hx_err(r, hx_attr_line(r, attrs, nattrs, "fingerprint"), "<wordt_fout> %s is already named at line %ld",
                   v[W_FP], s->fout[i].line);
            ok = false;
        }
    scenario_fout *nf = ok ? realloc(s->fout, (s->nfout + 1) * sizeof *nf) : NULL;
    if (ok && !nf)
        hx_err(r, hx_line(r), "out of memory");
    if (!nf) {
        hx_free_vals(v, W_N);
        return;
    }
    s->fout = nf;
    nf[s->nfout++] = (scenario_fout){v[W_FP], v[W_REDEN], hx_line(r)};
}

static void entry(void *ud, hx_reader *r, int which, const xml_attr *attrs, int nattrs)
{
    rhv_scenario *s = ud;
    if (which < 0) {
        char *v[1];
        if (hx_take(r, "scenario", attrs, nattrs, root_names, 1u, v) == 0)
            s->naam = v[0];
        else
            hx_free_vals(v, 1);
    } else if (which == 0) {
        afwijking(r, s, attrs, nattrs);
    } else {
        wordt_fout(r, s, attrs, nattrs);
    }
}

int scenario_read(const char *path, rhv_scenario *out, rhv_diag *d)
{
    memset(out, 0, sizeof *out);
    static const char *const children[] = {"afwijking", "wordt_fout", NULL};
    static const hx_spec spec = {"scenario", children, entry};
    return hx_read(path, &spec, out, d);
}

void scenario_free(rhv_scenario *s)
{
    free(s->naam);
    for (size_t i = 0; i < s->nafw; i++) {
        free(s->afw[i].id);
        free(s->afw[i].onderwerp);
        free(s->afw[i].omschrijving);
    }
    free(s->afw);
    for (size_t i = 0; i < s->nfout; i++) {
        free(s->fout[i].fingerprint);
        free(s->fout[i].reden);
    }
    free(s->fout);
    memset(s, 0, sizeof *s);
}
