/* xlsx_part.c - one workbook part read and walked (xlsx_book_internal.h).
 *
 * Each part is read whole into memory (within xlsx_zip's limits) and walked
 * with an xmlTextReader; only element names, a few attributes and text are
 * looked at, so the unknown rest of SpreadsheetML passes by unread.
 */
#include "xlsx_book_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int xb_buf_add(xb_buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t nc = b->cap ? b->cap : 256;
        while (nc < b->len + n + 1)
            nc *= 2;
        char *p = realloc(b->s, nc);
        if (!p)
            return -1;
        b->s = p;
        b->cap = nc;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
    return 0;
}

static int read_part(xlsx_book *b, const char *part, char **buf, size_t *len, int required, char *err, size_t errn)
{
    int r = xlsx_zip_read(b->zip, part, buf, len, err, errn);
    if (r == 0 && required) {
        snprintf(err, errn, "the zip has no %s: it is not an .xlsx workbook", part);
        return -1;
    }
    return r < 0 ? -1 : r;
}

/* xmlReaderForMemory takes the length as an int. */
static xmlTextReaderPtr open_part(const char *buf, size_t len, const char *part)
{
    if (len > (size_t)0x7fffffff)
        return NULL;
    return xmlReaderForMemory(buf, (int)len, part, NULL, XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR);
}

int xb_part_open(xlsx_book *b, const char *part, int required, char **buf, xmlTextReaderPtr *rd, char *err,
                 size_t errn)
{
    size_t len;
    int have = read_part(b, part, buf, &len, required, err, errn);
    if (have <= 0)
        return have;
    if (!(*rd = open_part(*buf, len, part))) {
        snprintf(err, errn, "%s: cannot parse it", part);
        free(*buf);
        return -1;
    }
    return 1;
}

int xb_step(xmlTextReaderPtr rd, const char *part, char *err, size_t errn)
{
    int r = xmlTextReaderRead(rd);
    if (r < 0) {
        const xmlError *e = xmlGetLastError();
        snprintf(err, errn, "%s is not well-formed XML (line %d: %s); save the workbook again from the spreadsheet "
                 "program", part, e ? e->line : 0, e && e->message ? e->message : "parse error");
        if (e) {
            char *nl = strchr(err, '\n');
            if (nl)
                *nl = '\0';
        }
        return -1;
    }
    if (r == 1 && xmlTextReaderNodeType(rd) == XML_READER_TYPE_DOCUMENT_TYPE) {
        snprintf(err, errn, "%s has a DTD (<!DOCTYPE>), which a workbook never has; refused", part);
        return -1;
    }
    return r;
}

int xb_is_elem(xmlTextReaderPtr rd, const char *name)
{
    return xmlTextReaderNodeType(rd) == XML_READER_TYPE_ELEMENT &&
           strcmp((const char *)xmlTextReaderConstLocalName(rd), name) == 0;
}

int xb_is_end(xmlTextReaderPtr rd, const char *name)
{
    return xmlTextReaderNodeType(rd) == XML_READER_TYPE_END_ELEMENT &&
           strcmp((const char *)xmlTextReaderConstLocalName(rd), name) == 0;
}

int xb_is_text(xmlTextReaderPtr rd)
{
    int t = xmlTextReaderNodeType(rd);
    return t == XML_READER_TYPE_TEXT || t == XML_READER_TYPE_CDATA || t == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
           t == XML_READER_TYPE_WHITESPACE;
}
