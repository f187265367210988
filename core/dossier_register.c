/* dossier_register.c - a <register type="..." path="..."/> element and the
 * reading of its CSV file (contract in dossier_internal.h; the format is
 * docs/workbook.md §5 and docs/dossier.md).
 *
 * Why it exists: registers of many rows (kredieten, contracts, employees)
 * often come out of another system as CSV. Each row is judged by the same
 * table code as a workbook sheet (dossier_table.c), and so by ds_record, so
 * a CSV row meets exactly the checks of an XML element; duplicate keys and
 * references are looked up in the one key set of the whole dossier.
 *
 * The element names a record type and a file, so that a register whose rows
 * come from elsewhere (a type declared by a plugin, inline rows) can take
 * the same element later.
 */
#include "dossier_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "csv.h"
#include "paths.h"

#define DS_KEY_REGISTER 'G' /* a register's resolved path */
#define DS_MAX_REGISTERS 0x3FFF /* the register's index in a place (DS_LOC_REG) has 14 bits */

static const rhv_record_type *register_type(const char *s, size_t len)
{
    for (int i = 0; dossier_register_types[i]; i++)
        if (ds_equals(s, len, dossier_register_types[i]))
            return record_type_find(dossier_register_types[i]);
    return NULL;
}

static int keep(rhv_dossier *o, const rhv_register *g)
{
    rhv_register *n = realloc(o->registers, (o->nregisters + 1) * sizeof *n);
    if (!n)
        return -1;
    o->registers = n;
    o->registers[o->nregisters++] = *g;
    return 0;
}

/* One optional attribute from its list of allowed values; returns the index, -1 reported. */
static int choice(ds_reader *r, const xml_attr *a, long line, const char *const *values)
{
    const char *s = a->value;
    size_t len = a->len;
    for (int i = 0; values[i]; i++)
        if (ds_equals(s, len, values[i]))
            return i;
    char allowed[128];
    ds_list_values(allowed, sizeof allowed, values);
    ds_err(r, line, "<register> attribute %s=\"%.*s%s\" is not one of: %s", a->name, DS_SHOW(s, len), allowed);
    return -1;
}

void ds_register(ds_reader *r, const xml_attr *attrs, int nattrs)
{
    static const char *const seps[] = {";", ",", NULL};
    static const char *const encodings[] = {"utf-8", "windows-1252", NULL};
    static const char *const notations[] = {"punt", "nl", NULL};
    rhv_register g;
    memset(&g, 0, sizeof g);
    const xml_attr *p = NULL, *ty = NULL;
    long pline = r->cur_line, tline = r->cur_line;
    int bad = 0;
    for (int i = 0; i < nattrs; i++) {
        const xml_attr *a = &attrs[i];
        long line = ds_attr_line(r, i);
        int k = 0;
        if (a->ns) {
            ds_no_attr(r, "register", a, i);
            bad = 1;
        } else if (strcmp(a->name, "path") == 0) {
            p = a, pline = line;
        } else if (strcmp(a->name, "type") == 0) {
            ty = a, tline = line;
        } else if (strcmp(a->name, "scheiding") == 0) {
            if ((k = choice(r, a, line, seps)) < 0)
                bad = 1;
            else
                g.sep = seps[k][0];
        } else if (strcmp(a->name, "codering") == 0) {
            if ((k = choice(r, a, line, encodings)) < 0)
                bad = 1;
            else
                g.cp1252 = k == 1;
        } else if (strcmp(a->name, "getallen") == 0) {
            if ((k = choice(r, a, line, notations)) < 0)
                bad = 1;
            else
                g.nl_numbers = k == 1;
        } else {
            ds_no_attr(r, "register", a, i);
            bad = 1;
        }
    }
    if (!ty) {
        ds_err(r, r->cur_line, "<register> lacks required attribute type");
        bad = 1;
    } else if (!register_type(ty->value, ty->len)) {
        char allowed[256];
        ds_list_values(allowed, sizeof allowed, dossier_register_types);
        ds_err(r, tline, "<register> attribute type=\"%.*s%s\" is not a record type a register can hold: %s",
               DS_SHOW(ty->value, ty->len), allowed);
        bad = 1;
    }
    if (!p) {
        ds_err(r, r->cur_line, "<register> lacks required attribute path");
        return;
    }
    const char *s = p->value;
    size_t len = p->len;
    ds_trim(&s, &len);
    if (len == 0) {
        ds_err(r, pline, "<register> attribute path is empty");
        return;
    }
    char *rel = ds_strndup(s, len);
    char *full = rel ? path_relative_to(r->path, rel) : NULL;
    if (!full) {
        free(rel);
        ds_oom(r, pline);
        return;
    }
    struct stat st;
    if (stat(full, &st) != 0) {
        ds_err(r, pline, "<register path=\"%s\">: register file %s not found (%s)", rel, full, strerror(errno));
        goto done;
    }
    if (!S_ISREG(st.st_mode)) {
        ds_err(r, pline, "<register path=\"%s\">: %s is not a file", rel, full);
        goto done;
    }
    long first = ds_keys_check(&r->keys, DS_KEY_REGISTER, full, strlen(full), pline, 1);
    if (first < 0) {
        ds_oom(r, pline);
        goto done;
    }
    if (first > 0) {
        char at[128];
        ds_err(r, pline, "<register path=\"%s\">: the same register is already named at %s; its rows would count "
               "twice", rel, ds_where(r, first, at, sizeof at));
        goto done;
    }
    if (!bad && r->out->nregisters >= DS_MAX_REGISTERS) {
        ds_err(r, pline, "more than %d registers; join registers of one type into one file", DS_MAX_REGISTERS);
        bad = 1;
    }
    if (bad)
        goto done;
    g.path = full;
    g.type = ds_strndup(ty->value, ty->len);
    if (!g.type || keep(r->out, &g) != 0) {
        free(g.type);
        ds_oom(r, pline);
        goto done;
    }
    full = NULL;
done:
    free(full);
    free(rel);
}

/* ---- reading --------------------------------------------------------------- */

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
