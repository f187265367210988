/* xlsx_book.c - see xlsx_book.h.
 *
 * Each part is read whole into memory (within xlsx_zip's limits) and walked
 * with an xmlTextReader; only element names, a few attributes and text are
 * looked at, so the unknown rest of SpreadsheetML passes by unread.
 */
#include "xlsx_book.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/xmlreader.h>

#include "xlsx_zip.h"

#define REL_NS "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define REL_NS_STRICT "http://purl.oclc.org/ooxml/officeDocument/relationships"

typedef struct {
    char *name;
    char *part; /* "xl/worksheets/sheet1.xml" */
} book_sheet;

struct xlsx_book {
    xlsx_zip *zip;
    book_sheet *sheets;
    int nsheets;
    int date1904;
    char **sst;          /* shared strings */
    size_t nsst;
    unsigned char *xfpct; /* per cellXfs index: percentage format */
    size_t nxf;
};

/* A growing text buffer. */
typedef struct {
    char *s;
    size_t len, cap;
} buf_t;

static int buf_add(buf_t *b, const char *s, size_t n)
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

char *xlsx_cell_name(char *buf, size_t n, int col, long row)
{
    char letters[8];
    int k = 0;
    int c = col + 1;
    while (c > 0 && k < 7) {
        letters[k++] = (char)('A' + (c - 1) % 26);
        c = (c - 1) / 26;
    }
    char out[8];
    for (int i = 0; i < k; i++)
        out[i] = letters[k - 1 - i];
    out[k] = '\0';
    snprintf(buf, n, "%s%ld", out, row);
    return buf;
}

/* "D14" -> col 3, row 14. -1 when it is not a cell reference. */
static int parse_ref(const char *s, int *col, long *row)
{
    int c = 0, nl = 0;
    while (*s >= 'A' && *s <= 'Z' && nl < 4) {
        c = c * 26 + (*s - 'A' + 1);
        s++;
        nl++;
    }
    if (nl == 0 || c > XLSX_MAX_COLS)
        return -1;
    long r = 0;
    int nd = 0;
    while (*s >= '0' && *s <= '9' && nd < 8) {
        r = r * 10 + (*s - '0');
        s++;
        nd++;
    }
    if (nd == 0 || *s || r < 1 || r > XLSX_MAX_ROWS)
        return -1;
    *col = c - 1;
    *row = r;
    return 0;
}

/* An xmlReader over a part in memory; no network, no entities, no DTD. */
static xmlTextReaderPtr open_part(const char *buf, size_t len, const char *part)
{
    if (len > (size_t)0x7fffffff)
        return NULL;
    return xmlReaderForMemory(buf, (int)len, part, NULL, XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR);
}

/* Steps the reader; 1 at a node, 0 at the end, -1 malformed or a DTD. */
static int step(xmlTextReaderPtr rd, const char *part, char *err, size_t errn)
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

static int is_elem(xmlTextReaderPtr rd, const char *name)
{
    return xmlTextReaderNodeType(rd) == XML_READER_TYPE_ELEMENT &&
           strcmp((const char *)xmlTextReaderConstLocalName(rd), name) == 0;
}

static int is_end(xmlTextReaderPtr rd, const char *name)
{
    return xmlTextReaderNodeType(rd) == XML_READER_TYPE_END_ELEMENT &&
           strcmp((const char *)xmlTextReaderConstLocalName(rd), name) == 0;
}

static int is_text(xmlTextReaderPtr rd)
{
    int t = xmlTextReaderNodeType(rd);
    return t == XML_READER_TYPE_TEXT || t == XML_READER_TYPE_CDATA || t == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
           t == XML_READER_TYPE_WHITESPACE;
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

/* ---- workbook.xml and its relationships -------------------------------------- */

typedef struct {
    char *id, *target;
} rel_t;

static int read_rels(xlsx_book *b, rel_t **rels, int *nrels, char *err, size_t errn)
{
    char *buf;
    size_t len;
    const char *part = "xl/_rels/workbook.xml.rels";
    if (read_part(b, part, &buf, &len, 1, err, errn) < 0)
        return -1;
    xmlTextReaderPtr rd = open_part(buf, len, part);
    int rc = rd ? 0 : -1;
    if (!rd)
        snprintf(err, errn, "%s: cannot parse it", part);
    int r;
    while (rd && (r = step(rd, part, err, errn)) == 1) {
        if (!is_elem(rd, "Relationship"))
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
    if (rd && r < 0)
        rc = -1;
    xmlFreeTextReader(rd);
    free(buf);
    return rc;
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
    if (read_rels(b, &rels, &nrels, err, errn) < 0)
        goto fail_rels;
    char *buf;
    size_t len;
    const char *part = "xl/workbook.xml";
    if (read_part(b, part, &buf, &len, 1, err, errn) < 0)
        goto fail_rels;
    xmlTextReaderPtr rd = open_part(buf, len, part);
    int rc = 0, r = 0;
    if (!rd) {
        snprintf(err, errn, "%s: cannot parse it", part);
        rc = -1;
    }
    while (rd && (r = step(rd, part, err, errn)) == 1) {
        if (is_elem(rd, "workbookPr")) {
            char *d = (char *)xmlTextReaderGetAttribute(rd, BAD_CAST "date1904");
            b->date1904 = d && (strcmp(d, "1") == 0 || strcmp(d, "true") == 0);
            xmlFree(d);
        } else if (is_elem(rd, "sheet")) {
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
            book_sheet *ns = realloc(b->sheets, (size_t)(b->nsheets + 1) * sizeof *ns);
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
            ns[b->nsheets++] = (book_sheet){nm, pt};
        }
    }
    if (rd && r < 0)
        rc = -1;
    xmlFreeTextReader(rd);
    free(buf);
    for (int i = 0; i < nrels; i++) {
        xmlFree(rels[i].id);
        xmlFree(rels[i].target);
    }
    free(rels);
    return rc;
fail_rels:
    for (int i = 0; i < nrels; i++) {
        xmlFree(rels[i].id);
        xmlFree(rels[i].target);
    }
    free(rels);
    return -1;
}

/* ---- sharedStrings.xml --------------------------------------------------------- */

static int read_sst(xlsx_book *b, char *err, size_t errn)
{
    char *buf;
    size_t len;
    const char *part = "xl/sharedStrings.xml";
    int have = read_part(b, part, &buf, &len, 0, err, errn);
    if (have <= 0)
        return have;
    xmlTextReaderPtr rd = open_part(buf, len, part);
    int rc = rd ? 0 : -1, r = 0;
    buf_t t = {0};
    int in_si = 0, in_t = 0, in_rph = 0;
    size_t cap = 0;
    while (rd && (r = step(rd, part, err, errn)) == 1) {
        if (is_elem(rd, "si") && !xmlTextReaderIsEmptyElement(rd)) {
            in_si = 1;
            t.len = 0;
            if (buf_add(&t, "", 0) < 0)
                goto oom;
        } else if (is_elem(rd, "si")) {
            t.len = 0;
            if (buf_add(&t, "", 0) < 0)
                goto oom;
            goto push;
        } else if (in_si && is_elem(rd, "rPh")) {
            in_rph = !xmlTextReaderIsEmptyElement(rd);
        } else if (in_si && is_end(rd, "rPh")) {
            in_rph = 0;
        } else if (in_si && !in_rph && is_elem(rd, "t")) {
            in_t = !xmlTextReaderIsEmptyElement(rd);
        } else if (is_end(rd, "t")) {
            in_t = 0;
        } else if (in_t && is_text(rd)) {
            const char *v = (const char *)xmlTextReaderConstValue(rd);
            if (v && buf_add(&t, v, strlen(v)) < 0)
                goto oom;
        } else if (is_end(rd, "si")) {
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
    if (rd && r < 0)
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

/* ---- styles.xml: which cell formats show a percentage ---------------------------- */

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

static int read_styles(xlsx_book *b, char *err, size_t errn)
{
    char *buf;
    size_t len;
    const char *part = "xl/styles.xml";
    int have = read_part(b, part, &buf, &len, 0, err, errn);
    if (have <= 0)
        return have;
    xmlTextReaderPtr rd = open_part(buf, len, part);
    int rc = rd ? 0 : -1, r = 0;
    /* Custom formats (id >= 164) that are percentages; ids are at most a few hundred. */
    unsigned char pctfmt[1024] = {0};
    pctfmt[9] = pctfmt[10] = 1; /* built in: 0% and 0.00% */
    int in_xfs = 0;
    size_t cap = 0;
    while (rd && (r = step(rd, part, err, errn)) == 1) {
        if (is_elem(rd, "numFmt")) {
            char *id = (char *)xmlTextReaderGetAttribute(rd, BAD_CAST "numFmtId");
            char *code = (char *)xmlTextReaderGetAttribute(rd, BAD_CAST "formatCode");
            long n = id ? strtol(id, NULL, 10) : -1;
            if (n >= 0 && n < 1024 && code)
                pctfmt[n] = (unsigned char)code_is_pct(code);
            xmlFree(id);
            xmlFree(code);
        } else if (is_elem(rd, "cellXfs")) {
            in_xfs = !xmlTextReaderIsEmptyElement(rd);
        } else if (is_end(rd, "cellXfs")) {
            in_xfs = 0;
        } else if (in_xfs && is_elem(rd, "xf")) {
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
    if (rd && r < 0)
        rc = -1;
    xmlFreeTextReader(rd);
    free(buf);
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
    if (!b->zip || read_workbook(b, err, errn) < 0 || read_sst(b, err, errn) < 0 || read_styles(b, err, errn) < 0) {
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

/* ---- a sheet's rows ---------------------------------------------------------------- */

typedef struct {
    int col;
    char type;
    int pct;
    size_t off; /* of the text in the row's buffer */
    size_t len;
} pending_cell;

typedef struct {
    pending_cell *c;
    int n, cap;
    buf_t text;
    xlsx_cell *out;
    int outcap;
} row_t;

static int row_emit(xlsx_book *b, row_t *rw, long row, xlsx_row_fn fn, void *ud, char *err, size_t errn)
{
    (void)b;
    if (rw->n == 0)
        return 0;
    if (rw->n > rw->outcap) {
        xlsx_cell *p = realloc(rw->out, (size_t)rw->n * sizeof *p);
        if (!p) {
            snprintf(err, errn, "out of memory");
            return -1;
        }
        rw->out = p;
        rw->outcap = rw->n;
    }
    for (int i = 0; i < rw->n; i++) {
        pending_cell *p = &rw->c[i];
        rw->out[i] = (xlsx_cell){p->col, p->type, rw->text.s + p->off, p->len, p->pct};
    }
    return fn(ud, row, rw->out, rw->n) ? 1 : 0;
}

/* The number of a <row> (its r, else the next one); -1 with err when it is
 * not after last_row or beyond the limit. */
static long row_number(xmlTextReaderPtr rd, long last_row, const char *sname, char *err, size_t errn)
{
    char *rr = (char *)xmlTextReaderGetAttribute(rd, BAD_CAST "r");
    long n = rr ? strtol(rr, NULL, 10) : last_row + 1;
    xmlFree(rr);
    if (n <= last_row || n > XLSX_MAX_ROWS) {
        snprintf(err, errn, "%s: row %ld is out of order in the sheet's XML; save the workbook again", sname, n);
        return -1;
    }
    return n;
}

/* A <c>'s reference (into *col and cname), type (cur_t, "n" when absent) and
 * style index (*si). Nonzero when the reference is bad or not in row. */
static int cell_attrs(xmlTextReaderPtr rd, long row, int *col, char *cname, size_t cname_n, char *cur_t,
                      size_t cur_t_n, long *si)
{
    char *ref = (char *)xmlTextReaderGetAttribute(rd, BAD_CAST "r");
    char *t = (char *)xmlTextReaderGetAttribute(rd, BAD_CAST "t");
    char *s = (char *)xmlTextReaderGetAttribute(rd, BAD_CAST "s");
    long rr = row;
    int bad = ref && (parse_ref(ref, col, &rr) < 0 || rr != row);
    snprintf(cname, cname_n, "%s", ref ? ref : "");
    snprintf(cur_t, cur_t_n, "%s", t ? t : "n");
    *si = s ? strtol(s, NULL, 10) : 0;
    xmlFree(ref);
    xmlFree(t);
    xmlFree(s);
    return bad;
}

/* A cell ended (</c>): its text, from the shared strings for t="s", and its
 * type kept for the row. 0, or -1 with err. */
static int cell_end(xlsx_book *b, row_t *rw, const char *cur_t, size_t cur_off, int cur_col, int cur_pct, long row,
                    const char *sname, char *cname, size_t cname_n, char *err, size_t errn)
{
    if (buf_add(&rw->text, "", 0) < 0) {
        snprintf(err, errn, "out of memory");
        return -1;
    }
    char type;
    size_t off = cur_off, tl = rw->text.len - cur_off;
    if (strcmp(cur_t, "s") == 0) {
        char *end;
        long idx = strtol(rw->text.s + cur_off, &end, 10);
        if (*end || idx < 0 || (size_t)idx >= b->nsst) {
            snprintf(err, errn, "%s!%s: shared string %s does not exist; save the workbook again", sname,
                     xlsx_cell_name(cname, cname_n, cur_col, row), rw->text.s + cur_off);
            return -1;
        }
        rw->text.len = cur_off;
        off = rw->text.len;
        if (buf_add(&rw->text, b->sst[idx], strlen(b->sst[idx])) < 0) {
            snprintf(err, errn, "out of memory");
            return -1;
        }
        tl = rw->text.len - off;
        type = 's';
    } else if (strcmp(cur_t, "inlineStr") == 0 || strcmp(cur_t, "str") == 0) {
        type = 's';
    } else if (strcmp(cur_t, "b") == 0 || strcmp(cur_t, "e") == 0 || strcmp(cur_t, "d") == 0) {
        type = cur_t[0];
    } else {
        type = 'n';
    }
    rw->text.len++; /* keep the NUL between cells */
    if (rw->n == rw->cap) {
        int nc = rw->cap ? rw->cap * 2 : 16;
        pending_cell *p = realloc(rw->c, (size_t)nc * sizeof *p);
        if (!p) {
            snprintf(err, errn, "out of memory");
            return -1;
        }
        rw->c = p;
        rw->cap = nc;
    }
    rw->c[rw->n++] = (pending_cell){cur_col, type, cur_pct, off, tl};
    return 0;
}

int xlsx_book_rows(xlsx_book *b, int sheet, xlsx_row_fn fn, void *ud, char *err, size_t errn)
{
    char *buf;
    size_t len;
    const char *part = b->sheets[sheet].part;
    const char *sname = b->sheets[sheet].name;
    if (read_part(b, part, &buf, &len, 1, err, errn) < 0)
        return -1;
    xmlTextReaderPtr rd = open_part(buf, len, part);
    if (!rd) {
        snprintf(err, errn, "%s: cannot parse it", part);
        free(buf);
        return -1;
    }
    row_t rw = {0};
    int rc = 0, r = 0;
    long row = 0, last_row = 0;
    int next_col = 0, last_col = -1;
    /* The cell being read. */
    int in_c = 0, cur_col = 0, cur_pct = 0, capture = 0, in_rph = 0;
    char cur_t[16] = "";
    size_t cur_off = 0;
    int has_v = 0;
    char cname[32];

    while ((r = step(rd, part, err, errn)) == 1) {
        if (is_elem(rd, "row")) {
            long n = row_number(rd, last_row, sname, err, errn);
            if (n < 0) {
                rc = -1;
                break;
            }
            row = last_row = n;
            rw.n = 0;
            rw.text.len = 0;
            next_col = 0;
            last_col = -1;
            if (xmlTextReaderIsEmptyElement(rd))
                continue;
        } else if (is_end(rd, "row")) {
            int e = row_emit(b, &rw, row, fn, ud, err, errn);
            if (e) {
                rc = e < 0 ? -1 : 0;
                break;
            }
            rw.n = 0;
        } else if (is_elem(rd, "c") && row > 0) {
            int col = next_col;
            long si;
            int bad = cell_attrs(rd, row, &col, cname, sizeof cname, cur_t, sizeof cur_t, &si);
            if (bad || col <= last_col || col >= XLSX_MAX_COLS) {
                snprintf(err, errn, "%s!%s: the cell reference is not in row %ld or out of order; save the workbook "
                         "again", sname, cname, row);
                rc = -1;
                break;
            }
            last_col = col;
            next_col = col + 1;
            cur_col = col;
            cur_pct = si >= 0 && (size_t)si < b->nxf && b->xfpct[si];
            cur_off = rw.text.len;
            has_v = 0;
            in_c = !xmlTextReaderIsEmptyElement(rd);
        } else if (in_c && (is_elem(rd, "v") || (is_elem(rd, "t") && !in_rph))) {
            /* <v> holds the value; an inline string's text is in <is><t> or <is><r><t>. */
            capture = !xmlTextReaderIsEmptyElement(rd);
            has_v = 1;
        } else if (in_c && is_elem(rd, "rPh")) {
            in_rph = !xmlTextReaderIsEmptyElement(rd);
        } else if (in_c && is_end(rd, "rPh")) {
            in_rph = 0;
        } else if (is_end(rd, "v") || is_end(rd, "t")) {
            capture = 0;
        } else if (capture && is_text(rd)) {
            const char *v = (const char *)xmlTextReaderConstValue(rd);
            if (v && buf_add(&rw.text, v, strlen(v)) < 0) {
                snprintf(err, errn, "out of memory");
                rc = -1;
                break;
            }
        } else if (in_c && is_end(rd, "c")) {
            in_c = 0;
            if (has_v && cell_end(b, &rw, cur_t, cur_off, cur_col, cur_pct, row, sname, cname, sizeof cname, err, errn) < 0) {
                rc = -1;
                break;
            }
        }
    }
    if (r < 0)
        rc = -1;
    xmlFreeTextReader(rd);
    free(buf);
    free(rw.c);
    free(rw.out);
    free(rw.text.s);
    return rc;
}
