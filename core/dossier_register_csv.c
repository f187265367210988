/* dossier_register_csv.c - the CSV files of a dossier's registers, read as
 * tables (contract in dossier_internal.h; the format is docs/workbook.md §5).
 *
 * Why it exists: registers of many rows (kredieten, contracts, subsidies)
 * often come out of another system as CSV. csv.c splits a file into cells;
 * here each line becomes a row of the table code shared with workbook sheets
 * (dossier_table.c), and so is judged by ds_record, so a CSV row meets
 * exactly the checks of an XML element. Duplicate keys and references are
 * looked up in the one key set of the whole dossier, which is why the files
 * are read after the rest of it.
 */
#include "dossier_internal.h"

#include <stdlib.h>

#include "csv.h"

typedef struct {
    ds_table *x;
    xlsx_cell *cells;
    int cap;
} reg_read;

static int on_row(void *ud, long line, const csv_cell *cells, int n)
{
    reg_read *g = ud;
    if (n > g->cap) {
        xlsx_cell *nc = realloc(g->cells, (size_t)n * sizeof *nc);
        if (!nc) {
            ds_oom(g->x->r, ds_table_loc(g->x, line, -1));
            return 1;
        }
        g->cells = nc;
        g->cap = n;
    }
    for (int i = 0; i < n; i++)
        g->cells[i] = (xlsx_cell){cells[i].col, 's', cells[i].text, cells[i].len, 0};
    return ds_table_row(g->x, line, g->cells, n);
}

static void on_err(void *ud, long line, int col, const char *msg)
{
    reg_read *g = ud;
    ds_err(g->x->r, ds_table_loc(g->x, line, col - 1), "%s", msg);
}

void ds_registers_read(ds_reader *r)
{
    rhv_dossier *o = r->out;
    for (size_t i = 0; i < o->nregisters && !r->too_many && !r->stopped_by_sink; i++) {
        const rhv_register *reg = &o->registers[i];
        ds_table x;
        ds_table_init(&x, r, record_type_find(reg->type), -1, (int)i, reg->path);
        x.nl_numbers = reg->nl_numbers;
        reg_read g = {&x, NULL, 0};
        r->in_register = (int)i + 1;
        csv_opts opts = {reg->sep, reg->cp1252};
        if (csv_read(reg->path, &opts, on_row, on_err, &g) == 0 && !x.header_seen && !r->too_many)
            ds_err(r, ds_table_loc(&x, 0, -1), "the register is empty; its first line names the columns");
        r->in_register = 0;
        free(g.cells);
        ds_table_free(&x);
    }
}
