/* cmd_convert.c - `rhv convert IN -o OUT` (docs/cli.md): a dossier from XML
 * to a workbook or back, by the suffix of OUT. The input is read with all
 * the dossier's checks; a dossier with errors is not converted (exit 2). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "diag.h"
#include "dossier_collect.h"
#include "dossier_xml_write.h"
#include "workbook_write.h"

static int usage(FILE *out, int rc)
{
    fputs("Usage: rhv convert DOSSIER -o OUT.xml|OUT.xlsx\n"
          "Converts a dossier between XML and workbook form; the records stay the same.\n",
          out);
    return rc;
}

static int ends_with(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && strcmp(s + n - m, suf) == 0;
}

int cmd_convert(int argc, char **argv)
{
    const char *in = NULL, *out = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
            return usage(stdout, 0);
        if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
            out = argv[++i];
        else if (argv[i][0] == '-' || in)
            return usage(stderr, 2);
        else
            in = argv[i];
    }
    if (!in || !out)
        return usage(stderr, 2);
    int to_xlsx = ends_with(out, ".xlsx"), to_xml = ends_with(out, ".xml");
    if (!to_xlsx && !to_xml) {
        fprintf(stderr, "rhv convert: %s: the output must end in .xml or .xlsx\n", out);
        return 2;
    }
    rhv_diag d;
    diag_init(&d, stderr);
    dc_dossier c;
    int rc = 0;
    if (dossier_collect(in, &c, &d) != 0) {
        rc = 2;
    } else if (to_xlsx) {
        if (workbook_write(out, &c, &d) != 0)
            rc = 2;
    } else {
        FILE *f = fopen(out, "w");
        if (!f) {
            diag_error(&d, out, 0, "cannot write: %s", strerror(errno));
            rc = 2;
        } else {
            int w = dossier_xml_write(f, &c);
            if (fclose(f) != 0 || w != 0) {
                diag_error(&d, out, 0, "cannot write: %s", strerror(errno));
                rc = 2;
            }
        }
    }
    dossier_collect_free(&c);
    diag_free(&d);
    return rc;
}
