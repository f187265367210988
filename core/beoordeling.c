/* beoordeling.c - see beoordeling.h */
#include "beoordeling.h"

#include <stdlib.h>
#include <string.h>

#include "handled_xml.h"
#include "value.h"

static const char *const besluit_names[BESLUIT_COUNT] = {"open", "acceptabel", "onterecht", "geregistreerd"};

bool fingerprint_well_formed(const char *s)
{
    const char *c1 = strchr(s, ':');
    if (!c1 || c1 == s)
        return false;
    for (const char *p = s; p < c1; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '.'))
            return false;
    const char *p = c1 + 1;
    const char *y = p;
    while (*p >= '0' && *p <= '9')
        p++;
    if (p == y || p - y > 4 || *p != ':')
        return false;
    p++;
    size_t n = 0;
    for (; p[n]; n++)
        if (!((p[n] >= '0' && p[n] <= '9') || (p[n] >= 'a' && p[n] <= 'f')))
            return false;
    return n == 12;
}

enum { A_FP, A_BESLUIT, A_REDEN, A_DOOR, A_DATUM, A_GELDIG, A_CAT, A_AFW, A_N };
static const char *const attr_names[A_N + 1] = {"fingerprint", "besluit", "reden", "door", "datum",
                                                "geldig_tot", "categorie", "afwijking", NULL};

typedef struct {
    rhv_beoordelingen *out;
} reading;

static bool date_ok(hx_reader *r, const xml_attr *attrs, int nattrs, const char *name, const char *v)
{
    value_status st = value_parse_date(v, strlen(v));
    if (st == VALUE_OK)
        return true;
    hx_err(r, hx_attr_line(r, attrs, nattrs, name), "<beoordeling> attribute %s=\"%s\" %s", name, v,
           value_why(st, NULL));
    return false;
}

/* The entry in vals is consistent; reports what is not. */
static bool entry_ok(hx_reader *r, rhv_beoordelingen *b, const xml_attr *attrs, int nattrs, char **vals,
                     besluit_kind *besluit)
{
    bool ok = true;
    if (vals[A_FP] && !fingerprint_well_formed(vals[A_FP])) {
        hx_err(r, hx_attr_line(r, attrs, nattrs, "fingerprint"),
               "<beoordeling> fingerprint \"%s\" is not RULE:YEAR:HASH (12 hex digits), as a report shows it",
               vals[A_FP]);
        ok = false;
    }
    int k = -1;
    for (int i = 0; vals[A_BESLUIT] && i < BESLUIT_COUNT; i++)
        if (strcmp(vals[A_BESLUIT], besluit_names[i]) == 0)
            k = i;
    if (vals[A_BESLUIT] && k < 0) {
        hx_err(r, hx_attr_line(r, attrs, nattrs, "besluit"),
               "<beoordeling> besluit=\"%s\" is not one of open, acceptabel, onterecht, geregistreerd",
               vals[A_BESLUIT]);
        ok = false;
    }
    if (vals[A_DATUM] && !date_ok(r, attrs, nattrs, "datum", vals[A_DATUM]))
        ok = false;
    if (vals[A_GELDIG] && !date_ok(r, attrs, nattrs, "geldig_tot", vals[A_GELDIG]))
        ok = false;
    if (k == BESLUIT_ACCEPTABEL && !vals[A_CAT]) {
        hx_err(r, hx_line(r), "<beoordeling besluit=\"acceptabel\"> needs categorie: the verordening's category "
                              "that makes it acceptabel");
        ok = false;
    }
    if (k >= 0 && k != BESLUIT_ACCEPTABEL && vals[A_CAT]) {
        hx_err(r, hx_attr_line(r, attrs, nattrs, "categorie"), "<beoordeling> categorie belongs to besluit acceptabel only");
        ok = false;
    }
    if (k == BESLUIT_GEREGISTREERD && !vals[A_AFW]) {
        hx_err(r, hx_line(r), "<beoordeling besluit=\"geregistreerd\"> needs afwijking: the id of the registered "
                              "afwijking in the dossier");
        ok = false;
    }
    if (k >= 0 && k != BESLUIT_GEREGISTREERD && vals[A_AFW]) {
        hx_err(r, hx_attr_line(r, attrs, nattrs, "afwijking"), "<beoordeling> afwijking belongs to besluit geregistreerd only");
        ok = false;
    }
    for (size_t i = 0; vals[A_FP] && i < b->n; i++)
        if (strcmp(b->v[i].fingerprint, vals[A_FP]) == 0) {
            hx_err(r, hx_attr_line(r, attrs, nattrs, "fingerprint"),
                   "<beoordeling> fingerprint %s is already judged at line %ld; one entry per finding", vals[A_FP],
                   b->v[i].line);
            ok = false;
        }
    *besluit = k >= 0 ? (besluit_kind)k : BESLUIT_OPEN;
    return ok;
}

static void entry(void *ud, hx_reader *r, int which, const xml_attr *attrs, int nattrs)
{
    reading *rd = ud;
    rhv_beoordelingen *b = rd->out;
    if (which < 0) {
        for (int i = 0; i < nattrs; i++)
            hx_err(r, hx_line(r), "<beoordelingen> has no attribute %s", attrs[i].name);
        return;
    }
    char *vals[A_N];
    unsigned required = 1u << A_FP | 1u << A_BESLUIT | 1u << A_REDEN | 1u << A_DOOR | 1u << A_DATUM;
    int rc = hx_take(r, "beoordeling", attrs, nattrs, attr_names, required, vals);
    besluit_kind besluit;
    if (!entry_ok(r, b, attrs, nattrs, vals, &besluit) || rc != 0) {
        hx_free_vals(vals, A_N);
        return;
    }
    if (b->n == b->cap) {
        size_t nc = b->cap ? b->cap * 2 : 16;
        rhv_beoordeling *nv = realloc(b->v, nc * sizeof *nv);
        if (!nv) {
            hx_err(r, hx_line(r), "out of memory");
            hx_free_vals(vals, A_N);
            return;
        }
        b->v = nv;
        b->cap = nc;
    }
    rhv_beoordeling *e = &b->v[b->n++];
    memset(e, 0, sizeof *e);
    e->fingerprint = vals[A_FP];
    e->besluit = besluit;
    e->reden = vals[A_REDEN];
    e->door = vals[A_DOOR];
    e->datum = vals[A_DATUM];
    e->geldig_tot = vals[A_GELDIG];
    e->categorie = vals[A_CAT];
    e->afwijking = vals[A_AFW];
    e->line = hx_line(r);
    free(vals[A_BESLUIT]); /* kept as besluit */
}

int beoordelingen_read(const char *path, rhv_beoordelingen *out, rhv_diag *d)
{
    memset(out, 0, sizeof *out);
    static const char *const children[] = {"beoordeling", NULL};
    static const hx_spec spec = {"beoordelingen", children, entry};
    reading rd = {out};
    return hx_read(path, &spec, &rd, d);
}

void beoordelingen_free(rhv_beoordelingen *b)
{
    for (size_t i = 0; i < b->n; i++) {
        rhv_beoordeling *e = &b->v[i];
        free(e->fingerprint);
        free(e->reden);
        free(e->door);
        free(e->datum);
        free(e->geldig_tot);
        free(e->categorie);
        free(e->afwijking);
    }
    free(b->v);
    memset(b, 0, sizeof *b);
}
