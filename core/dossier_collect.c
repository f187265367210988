/* dossier_collect.c - see dossier_collect.h. */
#include "dossier_collect.h"

#include <stdlib.h>
#include <string.h>

static int sink(void *ud, const rhv_record *rec)
{
    dc_dossier *c = ud;
    for (size_t i = 0; i < c->ds.nregisters; i++)
        if (strcmp(rec->file, c->ds.registers[i].path) == 0)
            return 0; /* a register's row: the register is written as a file, not as its rows */
    if (c->n == c->cap) {
        size_t nc = c->cap ? c->cap * 2 : 256;
        dc_record *p = realloc(c->recs, nc * sizeof *p);
        if (!p)
            return 1;
        c->recs = p;
        c->cap = nc;
    }
    int nf = rec->type->nfields;
    rhv_value *v = calloc((size_t)nf, sizeof *v);
    if (!v)
        return 1;
    for (int i = 0; i < nf; i++) {
        v[i] = rec->v[i];
        if (v[i].s) {
            char *s = malloc(v[i].len + 1);
            if (!s) {
                for (int k = 0; k < i; k++)
                    free((char *)v[k].s);
                free(v);
                return 1;
            }
            memcpy(s, v[i].s, v[i].len);
            s[v[i].len] = '\0';
            v[i].s = s;
        }
    }
    c->recs[c->n++] = (dc_record){rec->type, v};
    return 0;
}

/* The reader resolved each file against the dossier's folder; give back the path as written there. */
static char *as_named(const char *dossier, const char *full)
{
    const char *slash = strrchr(dossier, '/');
    size_t dl = slash ? (size_t)(slash - dossier) + 1 : 0;
    return strdup(dl && strncmp(full, dossier, dl) == 0 ? full + dl : full);
}

int dossier_collect(const char *path, dc_dossier *c, rhv_diag *d)
{
    memset(c, 0, sizeof *c);
    size_t before = d->errors;
    int rc = dossier_read(path, &c->ds, sink, c, d);
    if (rc != 0 && d->errors == before)
        diag_error(d, path, 0, "out of memory while holding the dossier");
    if (rc != 0)
        return -1;
    c->ledgers = calloc(c->ds.nledgers ? c->ds.nledgers : 1, sizeof *c->ledgers);
    c->registers = calloc(c->ds.nregisters ? c->ds.nregisters : 1, sizeof *c->registers);
    if (!c->ledgers || !c->registers) {
        diag_error(d, path, 0, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < c->ds.nledgers; i++)
        if (!(c->ledgers[i] = as_named(path, c->ds.ledgers[i]))) {
            diag_error(d, path, 0, "out of memory");
            return -1;
        }
    for (size_t i = 0; i < c->ds.nregisters; i++)
        if (!(c->registers[i] = as_named(path, c->ds.registers[i].path))) {
            diag_error(d, path, 0, "out of memory");
            return -1;
        }
    return 0;
}

void dossier_collect_free(dc_dossier *c)
{
    for (size_t i = 0; i < c->n; i++) {
        for (int k = 0; k < c->recs[i].type->nfields; k++)
            free((char *)c->recs[i].v[k].s);
        free(c->recs[i].v);
    }
    free(c->recs);
    for (size_t i = 0; c->ledgers && i < c->ds.nledgers; i++)
        free(c->ledgers[i]);
    free(c->ledgers);
    for (size_t i = 0; c->registers && i < c->ds.nregisters; i++)
        free(c->registers[i]);
    free(c->registers);
    dossier_free(&c->ds);
    memset(c, 0, sizeof *c);
}
