/* xlsx_rows.c - a sheet's rows and cells, as xlsx_book_rows() hands them out (xlsx_book.h).
 *
 * The cells of one row are collected into one text buffer (each cell's text
 * NUL-terminated, found by its offset, since the buffer moves as it grows) and
 * handed to the callback at </row>. Rows and cells must come in order, as
 * every spreadsheet program writes them; a cell without a reference takes the
 * next column.
 */
#include "xlsx_book_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    xb_buf text;
    xlsx_cell *out;
    int outcap;
} row_t;

/* Hands the row's cells to fn, pointing into the row's text: 0 on, 1 when fn
 * stops the read, -1 with err. A row without cells is not handed out. */
static int row_emit(row_t *rw, long row, xlsx_row_fn fn, void *ud, char *err, size_t errn)
{
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
    if (xb_buf_add(&rw->text, "", 0) < 0) {
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
        if (xb_buf_add(&rw->text, b->sst[idx], strlen(b->sst[idx])) < 0) {
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
    xmlTextReaderPtr rd;
    const char *part = b->sheets[sheet].part;
    const char *sname = b->sheets[sheet].name;
    if (xb_part_open(b, part, 1, &buf, &rd, err, errn) < 0)
        return -1;
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

    while ((r = xb_step(rd, part, err, errn)) == 1) {
        if (xb_is_elem(rd, "row")) {
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
        } else if (xb_is_end(rd, "row")) {
            int e = row_emit(&rw, row, fn, ud, err, errn);
            if (e) {
                rc = e < 0 ? -1 : 0;
                break;
            }
            rw.n = 0;
        } else if (xb_is_elem(rd, "c") && row > 0) {
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
        } else if (in_c && (xb_is_elem(rd, "v") || (xb_is_elem(rd, "t") && !in_rph))) {
            /* <v> holds the value; an inline string's text is in <is><t> or <is><r><t>. */
            capture = !xmlTextReaderIsEmptyElement(rd);
            has_v = 1;
        } else if (in_c && xb_is_elem(rd, "rPh")) {
            in_rph = !xmlTextReaderIsEmptyElement(rd);
        } else if (in_c && xb_is_end(rd, "rPh")) {
            in_rph = 0;
        } else if (xb_is_end(rd, "v") || xb_is_end(rd, "t")) {
            capture = 0;
        } else if (capture && xb_is_text(rd)) {
            const char *v = (const char *)xmlTextReaderConstValue(rd);
            if (v && xb_buf_add(&rw.text, v, strlen(v)) < 0) {
                snprintf(err, errn, "out of memory");
                rc = -1;
                break;
            }
        } else if (in_c && xb_is_end(rd, "c")) {
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
