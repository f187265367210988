/* dossier_workbook.c - the dossier as an .xlsx workbook (contract in
 * dossier_internal.h; the format is docs/workbook.md).
 *
 * Why it exists: controllers keep their figures in spreadsheets. This file
 * knows which sheet holds which record type and names the places of a
 * workbook (Kredieten!D14); each sheet's rows are judged by dossier_table.c,
 * the same code that judges a CSV register's rows.
 *
 * Places: a loc packs sheet, row and column into a long (DS_LOC_SHEET), so
 * ds_err, the key set ("first at ...") and the messages name cells.
 */
#include "dossier_internal.h"

#include <stdlib.h>
#include <string.h>

#include "money.h"
#include "workbook.h"
#include "xlsx_book.h"

static int on_row(void *ud, long row, const xlsx_cell *cells, int n)
{
    return ds_table_row(ud, row, cells, n);
}

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

/* "dossier.xlsx#Sheet", the file the sheet's records cite, kept in the
 * dossier so that it outlives the read (dossier.h); NULL when out of memory. */
static const char *sheet_file(ds_reader *r, xlsx_book *b, int si)
{
    rhv_dossier *o = r->out;
    const char *sheet = xlsx_book_sheet(b, si);
    size_t n = strlen(r->path) + 1 + strlen(sheet) + 1;
    char *f = malloc(n);
    char **nf = f ? realloc(o->sheet_files, (o->nsheet_files + 1) * sizeof *nf) : NULL;
    if (!nf) {
        free(f);
        ds_oom(r, DS_LOC_SHEET(si, 0, 0));
        return NULL;
    }
    snprintf(f, n, "%s#%s", r->path, sheet);
    o->sheet_files = nf;
    o->sheet_files[o->nsheet_files++] = f;
    return f;
}

/* Reads one sheet; returns its number of data rows. */
static int read_sheet(ds_reader *r, xlsx_book *b, int si, const rhv_record_type *t)
{
    const char *rec_file = sheet_file(r, b, si);
    if (!rec_file)
        return 0;
    ds_table x;
    ds_table_init(&x, r, t, si, -1, rec_file);
    x.date1904 = xlsx_book_date1904(b);
    char err[768];
    int rc = xlsx_book_rows(b, si, on_row, &x, err, sizeof err);
    if (rc != 0)
        ds_err(r, DS_LOC_SHEET(si, 0, 0), "%s", err);
    else if (t && !x.header_seen && strcmp(t->name, "organisation") == 0)
        ds_err(r, DS_LOC_SHEET(si, 0, 0), "the sheet is empty; row 1 names the fields and row 2 holds the organisation");
    else if (t && strcmp(t->name, "organisation") == 0 && x.nrows == 0)
        ds_err(r, DS_LOC_SHEET(si, 0, 0), "the sheet has no row for the organisation; fill in row %ld", x.header_row + 1);
    ds_table_free(&x);
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
            ds_err(r, DS_LOC_SHEET(si, 0, 0), "not a sheet of a dossier workbook; rename it to one of %s%s or %s, or delete it",
                   names, WB_SHEET_FILES, WB_SHEET_HELP);
        }
    }
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
        read_sheet(r, b, of_type[i], t);
    }
    if (files >= 0 && !r->too_many && !r->stopped_by_sink)
        read_sheet(r, b, files, NULL);
    /* The registers the Bestanden sheet names, while the sheets can still be named in messages. */
    ds_registers_read(r);
    free(of_type);
    xlsx_book_close(b);
    r->place = NULL;
    r->place_ud = NULL;
    return 0;
}
