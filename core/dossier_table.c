/* dossier_table.c - the rows of one table (a workbook sheet or a CSV
 * register) judged as records (contract in dossier_internal.h; the format is
 * docs/workbook.md).
 *
 * Why it exists: controllers keep their figures in spreadsheets and exports.
 * Rather than a reader per form with its own checks, each data row is turned
 * into the attributes the XML element would have (workbook.h gives each
 * cell's text) and judged by ds_record, so a value, a required field, a
 * duplicate key or a categorie that points nowhere is checked in one place
 * for every form. What only a table has is checked here: the header row,
 * cells in columns without a header, and the Controletotaal row.
 */
#include "dossier_internal.h"

#include <stdlib.h>
#include <string.h>

#include "money.h"
#include "workbook.h"

long ds_table_loc(const ds_table *x, long row, int col)
{
    return x->reg >= 0 ? DS_LOC_REG(x->reg, row, col) : DS_LOC_SHEET(x->sheet, row, col);
}

/* The dossier text of a cell: as workbook.h reads it, and for a register with
 * Dutch numbers, a text cell of a numeric field read in that notation. */
static int cell_text(const ds_table *x, const xlsx_cell *c, const rhv_field_def *f, char *buf, size_t n,
                     const char **out, size_t *outlen, char *why, size_t whyn)
{
    if (x->nl_numbers && c->type == 's' && (f->kind == VAL_MONEY || f->kind == VAL_SCALED || f->kind == VAL_INT)) {
        if (wb_nl_number(c->text, c->len, buf, n, why, whyn) != 0)
            return -1;
        *out = buf;
        *outlen = strlen(buf);
        return 0;
    }
    return wb_cell_text(c, x->t, f, x->date1904, buf, n, out, outlen, why, whyn);
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

static int header(ds_table *x, long row, const xlsx_cell *cells, int n)
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
        ds_oom(r, ds_table_loc(x, row, 0));
        return -1;
    }
    x->ncols = maxcol;
    for (int i = 0; i < maxcol; i++)
        x->colfield[i] = -1;
    int seen[DS_TABLE_MAX_FIELDS] = {0};
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
        long loc = ds_table_loc(x, row, c->col);
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
                   ds_where(r, ds_table_loc(x, row, seen[fi] - 1), at, sizeof at));
            continue;
        }
        seen[fi] = c->col + 1;
        x->colfield[c->col] = fi;
    }
    for (int k = 0; t && k < nf; k++)
        if (t->fields[k].required && !seen[k])
            ds_err(r, ds_table_loc(x, row, maxcol), "%s has no column %s, which %s requires; add it to the header row",
                   x->reg >= 0 ? "the register" : wb_sheet_name(t), t->fields[k].name, t->name);
    if (!t && !seen[0])
        ds_err(r, ds_table_loc(x, row, maxcol), "%s has no column element; add it to the header row", WB_SHEET_FILES);
    x->header_seen = 1;
    x->header_row = row;
    return 0;
}

/* The Controletotaal row: each amount in it must equal the sum of the rows above. */
static void total_row(ds_table *x, long row, const xlsx_cell *cells, int n)
{
    ds_reader *r = x->r;
    if (x->total_row) {
        char at[128];
        ds_err(r, ds_table_loc(x, row, 0), "a second total row (the first is at %s); keep one",
               ds_where(r, ds_table_loc(x, x->total_row, 0), at, sizeof at));
        return;
    }
    x->total_row = row;
    for (int i = 0; i < n; i++) {
        const xlsx_cell *c = &cells[i];
        int fi = c->col < x->ncols ? x->colfield[c->col] : -1;
        if (fi < 0 || x->t->fields[fi].kind != VAL_MONEY || blank(c))
            continue;
        long loc = ds_table_loc(x, row, c->col);
        char buf[64], why[512];
        const char *s;
        size_t len;
        rhv_cents v;
        if (cell_text(x, c, &x->t->fields[fi], buf, sizeof buf, &s, &len, why, sizeof why) != 0) {
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

/* A row of Bestanden: a ledger or a CSV register, by its element column. */
static void files_row(ds_reader *r, xml_attr *attrs, long *attr_loc, int na, long first_loc)
{
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
    else if (el && ds_equals(el, ell, "register")) {
        const rhv_record_type *rows; /* never set here: a register listed in Bestanden is a CSV file */
        ds_register(r, attrs, j, &rows);
    }
    else
        ds_err(r, first_loc, "element must be ledger (a ledger file) or register (a CSV register)");
}

/* A row of a section that is a record itself, without that record's row:
 * the section is there without attributes, as its bare XML element would be
 * (contracts without a Contractregister row: a register without peildatum or
 * bron; inkoop records without an Inkoop row: every setting its default). */
static void section_record(ds_reader *r, const rhv_record_type *t)
{
    const char *home = ds_home_of(t->name);
    if (!r->org_emitted || !home)
        return;
    if (strcmp(home, "contractregister") == 0 && !r->creg_seen)
        ds_record(r, record_type_find("contractregister"), NULL, 0, 1);
    else if (strcmp(home, "inkoop") == 0 && !r->inkoop_seen)
        ds_record(r, record_type_find("inkoop"), NULL, 0, 1);
}

static int data_row(ds_table *x, long row, const xlsx_cell *cells, int n)
{
    ds_reader *r = x->r;
    const rhv_record_type *t = x->t;
    if (x->total_row) {
        char at[128];
        ds_err(r, ds_table_loc(x, row, cells[0].col), "a row below the total row at %s; the total row comes last",
               ds_where(r, ds_table_loc(x, x->total_row, 0), at, sizeof at));
        return 0;
    }
    if (t && wb_single_row(t) && x->nrows > 0) {
        ds_err(r, ds_table_loc(x, row, cells[0].col), "a second row in %s; it holds one row (row %ld)", wb_sheet_name(t),
               x->header_row + 1);
        return 0;
    }
    x->nrows++;
    xml_attr attrs[DS_TABLE_MAX_FIELDS];
    long attr_loc[DS_TABLE_MAX_FIELDS];
    long field_loc[DS_TABLE_MAX_FIELDS];
    char text[DS_TABLE_MAX_FIELDS][64];
    int na = 0, bad = 0;
    int nf = t ? t->nfields : WB_FILES_MAX_COLS;
    for (int k = 0; k < nf; k++)
        field_loc[k] = ds_table_loc(x, row, 0);
    for (int c = 0; c < x->ncols; c++)
        if (x->colfield[c] >= 0)
            field_loc[x->colfield[c]] = ds_table_loc(x, row, c);
    const char *const *files_cols = wb_files_cols;
    const rhv_record_type *lt = record_type_find("ledger");
    for (int i = 0; i < n; i++) {
        const xlsx_cell *c = &cells[i];
        if (blank(c))
            continue;
        long loc = ds_table_loc(x, row, c->col);
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
            if (cell_text(x, c, &t->fields[fi], text[na], sizeof text[na], &s, &len, why, sizeof why) != 0) {
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
        } else if (strcmp(files_cols[fi], "extract") == 0 || strcmp(files_cols[fi], "boekjaar") == 0) {
            /* A ledger's own fields: a true/false or number cell as the ledger record's field. */
            char why[512];
            if (wb_cell_text(c, lt, &lt->fields[record_field_index(lt, files_cols[fi])], 0, text[na], sizeof text[na],
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
            ds_keep_keys(r, t, attrs, na, ds_table_loc(x, row, 0));
        return 0;
    }
    r->cur_line = ds_table_loc(x, row, 0);
    r->cur_attr_line = attr_loc;
    r->field_loc = field_loc;
    r->rec_line = row;
    if (!t) {
        files_row(r, attrs, attr_loc, na, field_loc[0]);
    } else if (strcmp(t->name, "organisation") == 0) {
        r->org_line = r->cur_line;
        if (ds_record(r, t, attrs, na, 1) == 0)
            r->org_emitted = 1;
    } else {
        section_record(r, t);
        ds_record(r, t, attrs, na, r->org_emitted);
    }
    r->field_loc = NULL;
    r->cur_attr_line = NULL;
    return 0;
}

int ds_table_row(ds_table *x, long row, const xlsx_cell *cells, int n)
{
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


void ds_table_init(ds_table *x, ds_reader *r, const rhv_record_type *t, int sheet, int reg, const char *rec_file)
{
    memset(x, 0, sizeof *x);
    x->r = r;
    x->t = t;
    x->sheet = sheet;
    x->reg = reg;
    x->rec_file = rec_file;
    r->rec_file = rec_file;
}

void ds_table_free(ds_table *x)
{
    free(x->colfield);
    x->colfield = NULL;
    x->r->rec_file = NULL;
}
