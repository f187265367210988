/* xaf_drive.c - reads one XAF file with xaf_read and counts the records.
 *
 * A measuring and inspection aid, not part of rhv: it isolates the reader's
 * own cost (no rules, no Lua) for bench/run.sh, and `-v` prints every record
 * for eyeballing a mapping. Built by bench/run.sh, not by meson.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "record.h"
#include "xaf.h"

typedef struct {
    long count[64];
    int verbose;
} counts;

static int sink(void *ud, const rhv_record *rec)
{
    counts *c = ud;
    for (int i = 0; i < rhv_record_type_count; i++)
        if (rhv_record_types[i] == rec->type)
            c->count[i]++;
    if (!c->verbose)
        return 0;
    printf("%s:%ld %s", rec->file, rec->line, rec->type->name);
    for (int f = 0; f < rec->type->nfields; f++) {
        const rhv_value *v = &rec->v[f];
        switch (v->kind) {
        case VAL_NONE: break;
        case VAL_STR:
        case VAL_DATE: printf(" %s=\"%.*s\"", rec->type->fields[f].name, (int)v->len, v->s); break;
        default: printf(" %s=%lld", rec->type->fields[f].name, (long long)v->i); break;
        }
    }
    printf("\n");
    return 0;
}

int main(int argc, char **argv)
{
    int verbose = argc > 2 && strcmp(argv[2], "-v") == 0;
    if (argc < 2) {
        fprintf(stderr, "usage: xaf_drive FILE [-v]\n");
        return 2;
    }
    rhv_diag d;
    diag_init(&d, stderr);
    counts c = {.verbose = verbose};
    rhv_xaf_info info;
    int rc = xaf_read(argv[1], sink, &c, &d, &info);
    printf("rc=%d version=%s fiscalYear=%s fiscal_year=%d company=%s lines=%ld errors=%zu warnings=%zu\n", rc,
           info.version, info.fiscal_year_text, info.fiscal_year, info.company_name ? info.company_name : "-", info.lines,
           d.errors, d.warnings);
    for (int i = 0; i < rhv_record_type_count; i++)
        if (c.count[i])
            printf("  %s %ld\n", rhv_record_types[i]->name, c.count[i]);
    xaf_info_free(&info);
    diag_free(&d);
    return rc == 0 ? 0 : 1;
}
