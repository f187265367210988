/* cmd_template.c - `rhv template [--from DOSSIER] OUT.xlsx` (docs/cli.md):
 * the dossier workbook, empty or filled from an existing dossier. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "diag.h"
#include "dossier_collect.h"
#include "workbook_write.h"

static int usage(FILE *out, int rc)
{
    fputs("Usage: rhv template [--from DOSSIER] OUT.xlsx\n"
          "Writes the dossier as a workbook: one sheet per kind of record, the field names in row 1,\n"
          "lists for every choice, formats for amounts, percentages and dates, and a sheet Uitleg.\n"
          "With --from, the sheets hold the records of DOSSIER (XML or workbook).\n",
          out);
    return rc;
}

int cmd_template(int argc, char **argv)
{
    const char *from = NULL, *out = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
            return usage(stdout, 0);
        if (strcmp(argv[i], "--from") == 0 && i + 1 < argc)
            from = argv[++i];
        else if (argv[i][0] == '-' || out)
            return usage(stderr, 2);
        else
            out = argv[i];
    }
    if (!out)
        return usage(stderr, 2);
    rhv_diag d;
    diag_init(&d, stderr);
    dc_dossier c;
    memset(&c, 0, sizeof c);
    int rc = 0;
    if (from && dossier_collect(from, &c, &d) != 0)
        rc = 2;
    if (rc == 0 && workbook_write(out, from ? &c : NULL, &d) != 0)
        rc = 2;
    dossier_collect_free(&c);
    diag_free(&d);
    return rc;
}
