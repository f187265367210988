/* xlsx_book.c - see xlsx_book.h; the reader's files are listed in xlsx_book_internal.h.
 *
 * Here: the book itself (open, close, its sheets) and the parts that say
 * which sheets there are, xl/workbook.xml and xl/_rels/workbook.xml.rels.
 */
#include "xlsx_book_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REL_NS "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define REL_NS_STRICT "http://purl.oclc.org/ooxml/officeDocument/relationships"

/* ---- workbook.xml and its relationships -------------------------------------- */

typedef struct {
    char *id, *target;
} rel_t;

static int read_rels(xlsx_book *b, rel_t **rels, int *nrels, char *err, size_t errn)
{
    char *buf;
    xmlTextReaderPtr rd;
    const char *part = "xl/_rels/workbook.xml.rels";
    if (xb_part_open(b, part, 1, &buf, &rd, err, errn) < 0)
        return -1;
    int rc = 0, r;
    while ((r = xb_step(rd, part, err, errn)) == 1) {
        if (!xb_is_elem(rd, "Relationship"))
            continue;
        char *id = (char *)xmlTextReaderGetAttribute(rd, BAD_CAST "Id");
        char *tg = (char *)xmlTextReaderGetAttribute(rd, BAD_CAST "Target");
        rel_t *nr = (id && tg) ? realloc(*rels, (size_t)(*nrels + 1) * sizeof *nr) : NULL;
        if (!nr) {
            xmlFree(id);
            xmlFree(tg);
            if (id && tg) {
                snprintf(err, errn, "out of memory");
                rc = -1;
                break;
            }
            continue;
        }
        *rels = nr;
        nr[(*nrels)++] = (rel_t){id, tg};
    }
    if (r < 0)
        rc = -1;
    xmlFreeTextReader(rd);
    free(buf);
    return rc;
}

static void rels_free(rel_t *rels, int nrels)
{
    for (int i = 0; i < nrels; i++) {
        xmlFree(rels[i].id);
        xmlFree(rels[i].target);
    }
    free(rels);
}

static char *sheet_part(const char *target)
{
    char *p;
    if (target[0] == '/')
        p = strdup(target + 1);
    else if ((p = malloc(strlen(target) + 4)))
        sprintf(p, "xl/%s", target);
    return p;
}

static int read_workbook(xlsx_book *b, char *err, size_t errn)
{
    rel_t *rels = NULL;
    int nrels = 0;
    char *buf;
    xmlTextReaderPtr rd;
    const char *part = "xl/workbook.xml";
    if (read_rels(b, &rels, &nrels, err, errn) < 0 || xb_part_open(b, part, 1, &buf, &rd, err, errn) < 0) {
        rels_free(rels, nrels);
        return -1;
    }
    int rc = 0, r = 0;
    while ((r = xb_step(rd, part, err, errn)) == 1) {
        if (xb_is_elem(rd, "workbookPr")) {
            char *d = (char *)xmlTextReaderGetAttribute(rd, BAD_CAST "date1904");
            b->date1904 = d && (strcmp(d, "1") == 0 || strcmp(d, "true") == 0);
            xmlFree(d);
        } else if (xb_is_elem(rd, "sheet")) {
            char *name = (char *)xmlTextReaderGetAttribute(rd, BAD_CAST "name");
            char *id = (char *)xmlTextReaderGetAttributeNs(rd, BAD_CAST "id", BAD_CAST REL_NS);
            if (!id)
                id = (char *)xmlTextReaderGetAttributeNs(rd, BAD_CAST "id", BAD_CAST REL_NS_STRICT);
            const char *target = NULL;
            for (int i = 0; id && i < nrels; i++)
                if (strcmp(rels[i].id, id) == 0)
                    target = rels[i].target;
            xmlFree(id);
            if (!name || !target) {
                snprintf(err, errn, "%s: sheet \"%s\" has no part in the workbook's relationships", part,
                         name ? name : "?");
                xmlFree(name);
                rc = -1;
                break;
            }
            xb_sheet *ns = realloc(b->sheets, (size_t)(b->nsheets + 1) * sizeof *ns);
            char *nm = strdup(name), *pt = sheet_part(target);
            xmlFree(name);
            if (!ns || !nm || !pt) {
                if (ns)
                    b->sheets = ns;
                free(nm);
                free(pt);
                snprintf(err, errn, "out of memory");
                rc = -1;
                break;
            }
            b->sheets = ns;
            ns[b->nsheets++] = (xb_sheet){nm, pt};
        }
    }
    if (r < 0)
        rc = -1;
    xmlFreeTextReader(rd);
    free(buf);
    rels_free(rels, nrels);
    return rc;
}

/* ---- the book ------------------------------------------------------------------ */

xlsx_book *xlsx_book_open(const char *path, char *err, size_t errn)
{
    xlsx_book *b = calloc(1, sizeof *b);
    if (!b) {
        snprintf(err, errn, "out of memory");
        return NULL;
    }
    b->zip = xlsx_zip_open(path, err, errn);
    if (!b->zip || read_workbook(b, err, errn) < 0 || xb_read_strings(b, err, errn) < 0 ||
        xb_read_styles(b, err, errn) < 0) {
        xlsx_book_close(b);
        return NULL;
    }
    return b;
}

void xlsx_book_close(xlsx_book *b)
{
    if (!b)
        return;
    xlsx_zip_close(b->zip);
    for (int i = 0; i < b->nsheets; i++) {
        free(b->sheets[i].name);
        free(b->sheets[i].part);
    }
    free(b->sheets);
    for (size_t i = 0; i < b->nsst; i++)
        free(b->sst[i]);
    free(b->sst);
    free(b->xfpct);
    free(b);
}

int xlsx_book_nsheets(const xlsx_book *b)
{
    return b->nsheets;
}

const char *xlsx_book_sheet(const xlsx_book *b, int i)
{
    return b->sheets[i].name;
}

int xlsx_book_date1904(const xlsx_book *b)
{
    return b->date1904;
}
