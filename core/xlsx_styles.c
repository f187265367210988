/* xlsx_styles.c - which cell formats of xl/styles.xml show a percentage (xlsx_book_internal.h).
 *
 * A cell's s attribute indexes cellXfs; each xf names a number format, built
 * in (9 and 10 are the percentages) or a custom <numFmt> whose format code is
 * judged here. Only that one bit per xf is kept.
 */
#include "xlsx_book_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A format code shows a percentage when it has '%' outside quotes and brackets. */
static int code_is_pct(const char *c)
{
    int q = 0, br = 0;
    for (; *c; c++) {
        if (*c == '\\' && c[1]) {
            c++;
            continue;
        }
        if (*c == '"')
            q = !q;
        else if (!q && *c == '[')
            br = 1;
        else if (!q && *c == ']')
            br = 0;
        else if (!q && !br && *c == '%')
            return 1;
    }
    return 0;
}

int xb_read_styles(xlsx_book *b, char *err, size_t errn)
{
    char *buf;
    xmlTextReaderPtr rd;
    const char *part = "xl/styles.xml";
    int have = xb_part_open(b, part, 0, &buf, &rd, err, errn);
    if (have <= 0)
        return have;
    int rc = 0, r = 0;
    /* Custom formats (id >= 164) that are percentages; ids are at most a few hundred. */
    unsigned char pctfmt[1024] = {0};
    pctfmt[9] = pctfmt[10] = 1; /* built in: 0% and 0.00% */
    int in_xfs = 0;
    size_t cap = 0;
    while ((r = xb_step(rd, part, err, errn)) == 1) {
        if (xb_is_elem(rd, "numFmt")) {
            char *id = (char *)xmlTextReaderGetAttribute(rd, BAD_CAST "numFmtId");
            char *code = (char *)xmlTextReaderGetAttribute(rd, BAD_CAST "formatCode");
            long n = id ? strtol(id, NULL, 10) : -1;
            if (n >= 0 && n < 1024 && code)
                pctfmt[n] = (unsigned char)code_is_pct(code);
            xmlFree(id);
            xmlFree(code);
        } else if (xb_is_elem(rd, "cellXfs")) {
            in_xfs = !xmlTextReaderIsEmptyElement(rd);
        } else if (xb_is_end(rd, "cellXfs")) {
            in_xfs = 0;
        } else if (in_xfs && xb_is_elem(rd, "xf")) {
            char *id = (char *)xmlTextReaderGetAttribute(rd, BAD_CAST "numFmtId");
            long n = id ? strtol(id, NULL, 10) : 0;
            xmlFree(id);
            if (b->nxf == cap) {
                size_t nc = cap ? cap * 2 : 64;
                unsigned char *p = realloc(b->xfpct, nc);
                if (!p) {
                    snprintf(err, errn, "out of memory");
                    rc = -1;
                    break;
                }
                b->xfpct = p;
                cap = nc;
            }
            b->xfpct[b->nxf++] = n >= 0 && n < 1024 && pctfmt[n];
        }
    }
    if (r < 0)
        rc = -1;
    xmlFreeTextReader(rd);
    free(buf);
    return rc;
}
