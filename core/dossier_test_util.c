/* dossier_test_util.c - see dossier_test_util.h */
#include "dossier_test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_run.h"

char tmpdir[256];
/* ---- helpers ------------------------------------------------------------------ */


int collect(void *ud, const rhv_record *r)
{
    collected *c = ud;
    ck_assert_int_eq(verdict_basis_add(&c->basis, r, NULL), 0);
    if (c->n < 64) {
        snprintf(c->types[c->n], sizeof c->types[0], "%s", r->type->name);
        c->lines[c->n] = r->line;
    }
    c->n++;
    return c->stop_after && c->n >= c->stop_after;
}

int has_error(const rhv_diag *d, const char *file, long line, const char *needle)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->msgs[i].level == DIAG_ERROR && strcmp(d->msgs[i].file, file) == 0 && d->msgs[i].line == line &&
            strstr(d->msgs[i].message, needle))
            return 1;
    return 0;
}

void dump(const rhv_diag *d)
{
    for (size_t i = 0; i < d->n; i++)
        fprintf(stderr, "    %s:%ld: %s\n", d->msgs[i].file, d->msgs[i].line, d->msgs[i].message);
}

const rhv_value *fv(const rhv_record *r, const char *name)
{
    int i = record_field_index(r->type, name);
    ck_assert_int_ge(i, 0);
    return &r->v[i];
}

void make_tmpdir(void)
{
    snprintf(tmpdir, sizeof tmpdir, "%s/rhv-dossier-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    char p[512];
    snprintf(p, sizeof p, "%s/l.xaf", tmpdir);
    FILE *f = fopen(p, "w");
    ck_assert_ptr_nonnull(f);
    fputs("<auditfile/>\n", f);
    fclose(f);
}

void remove_tmpdir(void)
{
    char p[512];
    snprintf(p, sizeof p, "%s/l.xaf", tmpdir);
    unlink(p);
    snprintf(p, sizeof p, "%s/d.xml", tmpdir);
    unlink(p);
    rmdir(tmpdir);
}

int dossier_test_run(TCase *tc)
{
    Suite *s = suite_create("dossier");
    suite_add_tcase(s, tc);
    return check_run(s);
}
