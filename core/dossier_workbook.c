/* dossier_workbook.c - the dossier as an .xlsx workbook (contract in
 * dossier_internal.h; the format is docs/workbook.md).
 *
 * Why it exists: controllers keep their figures in spreadsheets. Rather than
 * a second dossier reader with its own checks, each data row is turned into
 * the attributes the XML element would have (workbook.h gives each cell's
 * text) and judged by ds_record, so a value, a required field, a duplicate
 * key or a categorie that points nowhere is checked in one place for both
 * forms. What only a workbook has is checked here: the sheets, the header
 * row, cells in columns without a header, and the Controletotaal row.
 *
 * Places: a loc packs sheet, row and column into a long, so ds_err, the key
 * set ("first at ...") and the messages name cells as Kredieten!D14.
 */
#include "dossier_internal.h"

#include <stdlib.h>
#include <string.h>

#include "money.h"
#include "workbook.h"
#include "xlsx_book.h"

#define LOC(sheet, row, col) ((((long)(sheet) + 1) << 40) | ((long)(row) << 16) | ((long)(col) + 1))
#define MAX_FIELDS 64

typedef struct {
    ds_reader *r;
    xlsx_book *book;
    int sheet;
    const rhv_record_type *t; /* NULL: the Bestanden sheet */
    char rec_file[1024];
    int header_seen;
    long header_row;
    int *colfield; /* per column: field index, -1 none */
    int ncols;
    int nrows;     /* data rows */
    long total_row;
    rhv_cents sum[MAX_FIELDS];
    unsigned char sum_bad[MAX_FIELDS]; /* overflowed, or a cell not read */
    int contractregister_done;
} sheet_ctx;

static int place(const ds_reader *r, long loc, char *buf, size_t n)
{
    xlsx_book *b = r->place_ud;
    int sheet = (int)(loc >> 40) - 1;
    long row = (loc >> 16) & 0xFFFFFF;
    int col = (int)(loc & 0xFFFF) - 1;
    if (sheet < 0 || sheet >= xlsx_book_nsheets(b)) {
        buf[0] = '\0';
        return 0;
    }
    char cell[32] = "";
    if (row > 0)
        xlsx_cell_name(cell, sizeof cell, col < 0 ? 0 : col, row);
    return snprintf(buf, n, "%s%s%s", xlsx_book_sheet(b, sheet), row > 0 ? "!" : "", cell);
}

static int is_mark(const xlsx_cell *c)
{
    if (c->type != 's')
        return 0;
    const char *s = c->text;
    size_t n = c->len;
    ds_trim(&s, &n);
    return ds_equals(s, n, WB_TOTAL_MARK) || ds_equals(s, n, "Totaal");
}

static int blank(const xlsx_cell *c)
{
    const char *s = c->text;
    size_t n = c->len;
    ds_trim(&s, &n);
    return n == 0;
}

static int header(sheet_ctx *x, long row, const xlsx_cell *cells, int n)
{
    ds_reader *r = x->r;
    const rhv_record_type *t = x->t;
    const char *const *files_cols = wb_files_cols;
    int nf = t ? t->nfields : 0;
    while (!t && files_cols[nf])
        nf++;
    int maxcol = cells[n - 1].col + 1;
    x->colfield = malloc((size_t)maxcol * sizeof *x->colfield);
    if (!x->colfield) {
        ds_oom(r, LOC(x->sheet, row, 0));
        return -1;
    }
    x->ncols = maxcol;
    for (int i = 0; i < maxcol; i++)
        x->colfield[i] = -1;
    int seen[MAX_FIELDS] = {0};
    for (int i = 0; i < n; i++) {
        const xlsx_cell *c = &cells[i];
        const char *s = c->text;
        size_t len = c->len;
        ds_trim(&s, &len);
        if (len == 0)
            continue;
        int fi = -1;
        for (int k = 0; k < nf && fi < 0; k++)
            if (ds_equals(s, len, t ? t->fields[k].name : files_cols[k]))
                fi = k;
        long loc = LOC(x->sheet, row, c->col);
        if (fi < 0) {
            char names[512] = "";
            size_t u = 0;
            for (int k = 0; k < nf && u < sizeof names; k++)
                u += (size_t)snprintf(names + u, sizeof names - u, "%s%s", k ? ", " : "",
                                      t ? t->fields[k].name : files_cols[k]);
            ds_err(r, loc, "column \"%.*s%s\" is not a field of %s; the header row names fields: %s", DS_SHOW(s, len),
                   t ? t->name : WB_SHEET_FILES, names);
            continue;
        }
        if (seen[fi]) {
            char at[128];
            ds_err(r, loc, "column %s appears twice (first at %s); delete one", t ? t->fields[fi].name : files_cols[fi],
                   ds_where(r, LOC(x->sheet, row, seen[fi] - 1), at, sizeof at));
            continue;
        }
        seen[fi] = c->col + 1;
        x->colfield[c->col] = fi;
    }
    for (int k = 0; t && k < nf; k++)
        if (t->fields[k].required && !seen[k])
            ds_err(r, LOC(x->sheet, row, maxcol), "%s has no column %s, which %s requires; add it to the header row",
                   wb_sheet_name(t), t->fields[k].name, t->name);
    if (!t && !seen[0])
        ds_err(r, LOC(x->sheet, row, maxcol), "%s has no column element; add it to the header row", WB_SHEET_FILES);
    x->header_seen = 1;
    x->header_row = row;
    return 0;
}

/* The Controletotaal row: each amount in it must equal the sum of the rows above. */
static void total_row(sheet_ctx *x, long row, const xlsx_cell *cells, int n)
{
    ds_reader *r = x->r;
    if (x->total_row) {
        char at[128];
        ds_err(r, LOC(x->sheet, row, 0), "a second total row (the first is at %s); keep one",
               ds_where(r, LOC(x->sheet, x->total_row, 0), at, sizeof at));
        return;
    }
    x->total_row = row;
    for (int i = 0; i < n; i++) {
        const xlsx_cell *c = &cells[i];
        int fi = c->col < x->ncols ? x->colfield[c->col] : -1;
        if (fi < 0 || x->t->fields[fi].kind != VAL_MONEY || blank(c))
            continue;
        long loc = LOC(x->sheet, row, c->col);
        char buf[64], why[512];
        const char *s;
        size_t len;
        rhv_cents v;
        if (wb_cell_text(c, x->t, &x->t->fields[fi], xlsx_book_date1904(x->book), buf, sizeof buf, &s, &len, why,
                         sizeof why) != 0) {
            ds_err(r, loc, "%s total: %s", x->t->fields[fi].name, why);
            continue;
        }
        if (money_parse(s, len, &v) != MONEY_OK) {
            ds_err(r, loc, "%s total \"%.*s%s\" is not an amount; type it as a number", x->t->fields[fi].name,
                   DS_SHOW(s, len));
            continue;
        }
        if (x->sum_bad[fi])
            continue; /* a row above is wrong and reported; its sum means nothing */
        if (v != x->sum[fi]) {
            char a[MONEY_FMT_MAX], b[MONEY_FMT_MAX], d[MONEY_FMT_MAX];
            rhv_cents diff = 0;
            money_sub(v, x->sum[fi], &diff);
            ds_err(r, loc,
                   "the total of %s is %s but the rows above add up to %s (difference %s); correct the rows or the "
                   "total",
                   x->t->fields[fi].name, money_format_plain(v, a), money_format_plain(x->sum[fi], b),
                   money_format_plain(diff, d));
        }
    }
}

/* A row with a cell that could not be read is not judged further, but its
 * unique keys still count, so a later row with the same key is reported. */
static void keep_keys(ds_reader *r, const rhv_record_type *t, const xml_attr *attrs, int na, long loc)
{
    for (size_t u = 0; u < ds_nfield_rules; u++) {
        if (strcmp(ds_field_rules[u].type, t->name) != 0)
            continue;
        for (int i = 0; i < na; i++)
            if (strcmp(attrs[i].name, ds_field_rules[u].field) == 0 &&
                ds_keys_check(&r->keys, ds_field_rules[u].unique, attrs[i].value, attrs[i].len, loc, 1) < 0)
                ds_oom(r, loc);
    }
}

static int data_row(sheet_ctx *x, long row, const xlsx_cell *cells, int n)
{
    ds_reader *r = x->r;
    const rhv_record_type *t = x->t;
    if (x->total_row) {
        char at[128];
        ds_err(r, LOC(x->sheet, row, cells[0].col), "a row below the total row at %s; the total row comes last",
               ds_where(r, LOC(x->sheet, x->total_row, 0), at, sizeof at));
        return 0;
    }
    if (t && wb_single_row(t) && x->nrows > 0) {
        ds_err(r, LOC(x->sheet, row, cells[0].col), "a second row in %s; it holds one row (row %ld)", wb_sheet_name(t),
               x->header_row + 1);
        return 0;
    }
    x->nrows++;
    xml_attr attrs[MAX_FIELDS];
    long attr_loc[MAX_FIELDS];
    long field_loc[MAX_FIELDS];
    char text[MAX_FIELDS][64];
    int na = 0, bad = 0;
    int nf = t ? t->nfields : WB_FILES_MAX_COLS;
    for (int k = 0; k < nf; k++)
        field_loc[k] = LOC(x->sheet, row, 0);
    for (int c = 0; c < x->ncols; c++)
        if (x->colfield[c] >= 0)
            field_loc[x->colfield[c]] = LOC(x->sheet, row, c);
    const char *const *files_cols = wb_files_cols;
    const rhv_record_type *lt = record_type_find("ledger");
    for (int i = 0; i < n; i++) {
        const xlsx_cell *c = &cells[i];
        if (blank(c))
            continue;
        long loc = LOC(x->sheet, row, c->col);
        int fi = c->col < x->ncols ? x->colfield[c->col] : -1;
        if (fi < 0) {
            ds_err(r, loc, "a value in a column without a field name in the header row; delete it or name the column");
            bad = 1;
            continue;
        }
        const char *s = c->text;
        size_t len = c->len;
        if (t) {
            char why[512];
            if (wb_cell_text(c, t, &t->fields[fi], xlsx_book_date1904(x->book), text[na], sizeof text[na], &s, &len,
                             why, sizeof why) != 0) {
                ds_err(r, loc, "%s: %s", t->fields[fi].name, why);
                x->sum_bad[fi] = 1;
                bad = 1;
                continue;
            }
            if (t->fields[fi].kind == VAL_MONEY) {
                rhv_cents v;
                if (money_parse(s, len, &v) != MONEY_OK || !money_add(x->sum[fi], v, &x->sum[fi]))
                    x->sum_bad[fi] = 1;
            }
        } else if (strcmp(files_cols[fi], "extract") == 0) {
            char why[512];
            if (wb_cell_text(c, lt, &lt->fields[record_field_index(lt, "extract")], 0, text[na], sizeof text[na],
                             &s, &len, why, sizeof why) != 0) {
                ds_err(r, loc, "%s: %s", files_cols[fi], why);
                bad = 1;
                continue;
            }
        } else if (c->type != 's') {
            ds_err(r, loc, "%s must be text; format the cell as text", files_cols[fi]);
            bad = 1;
            continue;
        }
        attrs[na] = (xml_attr){t ? t->fields[fi].name : files_cols[fi], NULL, s, len};
        attr_loc[na] = loc;
        na++;
    }
    if (bad) {
        if (t)
            keep_keys(r, t, attrs, na, LOC(x->sheet, row, 0));
        return 0;
    }
    r->cur_line = LOC(x->sheet, row, 0);
    r->cur_attr_line = attr_loc;
    r->field_loc = field_loc;
    r->rec_line = row;
    if (!t) {
        const char *el = NULL;
        size_t ell = 0;
        int j = 0;
        for (int i = 0; i < na; i++)
            if (strcmp(attrs[i].name, "element") == 0) {
                el = attrs[i].value;
                ell = attrs[i].len;
            } else {
                attrs[j] = attrs[i];
                attr_loc[j++] = attr_loc[i];
            }
        if (el && ds_equals(el, ell, "ledger"))
            ds_ledger(r, attrs, j);
        else
            ds_err(r, field_loc[0], "element must be ledger (a ledger file the dossier names)");
    } else if (strcmp(t->name, "organisation") == 0) {
        r->org_line = r->cur_line;
        if (ds_record(r, t, attrs, na, 1) == 0)
            r->org_emitted = 1;
    } else {
        if (strcmp(t->name, "contract") == 0 && !x->contractregister_done && r->org_emitted) {
            /* Contracts without a Contractregister row: the register is there, without peildatum or bron. */
            ds_record(r, record_type_find("contractregister"), NULL, 0, 1);
            x->contractregister_done = 1;
        }
        ds_record(r, t, attrs, na, r->org_emitted);
    }
    r->field_loc = NULL;
    r->cur_attr_line = NULL;
    return 0;
}

static int on_row(void *ud, long row, const xlsx_cell *cells, int n)
{
    sheet_ctx *x = ud;
    ds_reader *r = x->r;
    int any = 0;
    for (int i = 0; i < n && !any; i++)
        any = !blank(&cells[i]);
    if (!any)
        return 0;
    if (!x->header_seen) {
        if (header(x, row, cells, n) != 0)
            return 1;
    } else if (x->t && is_mark(&cells[0]) && cells[0].col == 0) {
        total_row(x, row, cells, n);
    } else {
        data_row(x, row, cells, n);
    }
    return r->too_many || r->want_stop || r->stopped_by_sink;
}

static int read_sheet(ds_reader *r, xlsx_book *b, int si, const rhv_record_type *t, int contractregister_done)
{
    sheet_ctx x;
    memset(&x, 0, sizeof x);
    x.r = r;
    x.book = b;
    x.sheet = si;
    x.t = t;
    x.contractregister_done = contractregister_done;
    snprintf(x.rec_file, sizeof x.rec_file, "%s#%s", r->path, xlsx_book_sheet(b, si));
    r->rec_file = x.rec_file;
    char err[768];
    int rc = xlsx_book_rows(b, si, on_row, &x, err, sizeof err);
    if (rc != 0)
        ds_err(r, LOC(si, 0, 0), "%s", err);
    else if (t && !x.header_seen && strcmp(t->name, "organisation") == 0)
        ds_err(r, LOC(si, 0, 0), "the sheet is empty; row 1 names the fields and row 2 holds the organisation");
    else if (t && strcmp(t->name, "organisation") == 0 && x.nrows == 0)
        ds_err(r, LOC(si, 0, 0), "the sheet has no row for the organisation; fill in row %ld", x.header_row + 1);
    free(x.colfield);
    r->rec_file = NULL;
    return x.nrows;
}

int ds_workbook_read(ds_reader *r)
{
    char err[768];
    xlsx_book *b = xlsx_book_open(r->path, err, sizeof err);
    if (!b) {
        diag_error(r->d, r->path, 0, "%s", err);
        return -1;
    }
    r->place = place;
    r->place_ud = b;
    int n = xlsx_book_nsheets(b);
    int files = -1;
    int *of_type = calloc((size_t)rhv_record_type_count, sizeof *of_type);
    if (!of_type) {
        diag_error(r->d, r->path, 0, "out of memory");
        xlsx_book_close(b);
        return -1;
    }
    for (int i = 0; i < rhv_record_type_count; i++)
        of_type[i] = -1;
    for (int si = 0; si < n; si++) {
        const char *name = xlsx_book_sheet(b, si);
        const rhv_record_type *t = wb_sheet_type(name);
        if (t) {
            for (int i = 0; i < rhv_record_type_count; i++)
                if (rhv_record_types[i] == t)
                    of_type[i] = si;
        } else if (strcmp(name, WB_SHEET_FILES) == 0) {
            files = si;
        } else if (strcmp(name, WB_SHEET_HELP) != 0) {
            char names[768] = "";
            size_t u = 0;
            for (int i = 0; i < rhv_record_type_count && u < sizeof names; i++)
                if (wb_has_sheet(rhv_record_types[i]))
                    u += (size_t)snprintf(names + u, sizeof names - u, "%s, ", wb_sheet_name(rhv_record_types[i]));
            ds_err(r, LOC(si, 0, 0), "not a sheet of a dossier workbook; rename it to one of %s%s or %s, or delete it",
                   names, WB_SHEET_FILES, WB_SHEET_HELP);
        }
    }
    int creg = 0;
    for (int i = 0; i < rhv_record_type_count && !r->too_many && !r->stopped_by_sink; i++) {
        const rhv_record_type *t = rhv_record_types[i];
        if (!wb_has_sheet(t))
            continue;
        if (of_type[i] < 0) {
            if (strcmp(t->name, "organisation") == 0)
                ds_err(r, 0, "the workbook has no sheet %s; it is the one a dossier cannot do without "
                       "(rhv template writes an empty workbook with every sheet)", wb_sheet_name(t));
            continue;
        }
        int rows = read_sheet(r, b, of_type[i], t, creg);
        if (strcmp(t->name, "contractregister") == 0 && rows > 0)
            creg = 1;
    }
    if (files >= 0 && !r->too_many && !r->stopped_by_sink)
        read_sheet(r, b, files, NULL, 1);
    free(of_type);
    xlsx_book_close(b);
    r->place = NULL;
    r->place_ud = NULL;
    return 0;
}
