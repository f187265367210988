/* xlsx_strings.c - xl/sharedStrings.xml into the book's sst (xlsx_book_internal.h).
 *
 * A shared string is the text of its <t> elements, rich-text runs (<r><t>)
 * joined; phonetic readings (<rPh>) are not part of the text.
 */
#include "xlsx_book_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int xb_read_strings(xlsx_book *b, char *err, size_t errn)
{
    char *buf;
    xmlTextReaderPtr rd;
    const char *part = "xl/sharedStrings.xml";
    int have = xb_part_open(b, part, 0, &buf, &rd, err, errn);
    if (have <= 0)
        return have;
    int rc = 0, r = 0;
    xb_buf t = {0};
    int in_si = 0, in_t = 0, in_rph = 0;
    size_t cap = 0;
    while ((r = xb_step(rd, part, err, errn)) == 1) {
        if (xb_is_elem(rd, "si") && !xmlTextReaderIsEmptyElement(rd)) {
            in_si = 1;
            t.len = 0;
            if (xb_buf_add(&t, "", 0) < 0)
                goto oom;
        } else if (xb_is_elem(rd, "si")) {
            t.len = 0;
            if (xb_buf_add(&t, "", 0) < 0)
                goto oom;
            goto push;
        } else if (in_si && xb_is_elem(rd, "rPh")) {
            in_rph = !xmlTextReaderIsEmptyElement(rd);
        } else if (in_si && xb_is_end(rd, "rPh")) {
            in_rph = 0;
        } else if (in_si && !in_rph && xb_is_elem(rd, "t")) {
            in_t = !xmlTextReaderIsEmptyElement(rd);
        } else if (xb_is_end(rd, "t")) {
            in_t = 0;
        } else if (in_t && xb_is_text(rd)) {
            const char *v = (const char *)xmlTextReaderConstValue(rd);
            if (v && xb_buf_add(&t, v, strlen(v)) < 0)
                goto oom;
        } else if (xb_is_end(rd, "si")) {
            in_si = 0;
        push:
            if (b->nsst == cap) {
                size_t nc = cap ? cap * 2 : 256;
                char **p = realloc(b->sst, nc * sizeof *p);
                if (!p)
                    goto oom;
                b->sst = p;
                cap = nc;
            }
            if (!(b->sst[b->nsst] = strdup(t.s)))
                goto oom;
            b->nsst++;
        }
    }
    if (r < 0)
        rc = -1;
    goto done;
oom:
    snprintf(err, errn, "out of memory");
    rc = -1;
done:
    free(t.s);
    xmlFreeTextReader(rd);
    free(buf);
    return rc;
}
