/* dossier_register.c - the <register> element (contract in
 * dossier_internal.h; the format in docs/dossier.md §4 and docs/registers.md,
 * its CSV files in docs/workbook.md §5).
 *
 * Why it exists: one element for every register, whatever its type and
 * wherever its rows are. `type` names a register declared in Lua
 * (register_decl.h) or one of the built-in record types a register may hold
 * (dossier_register_builtin_types); its rows are either a CSV file (`path`,
 * read after the rest of the dossier by dossier_register_csv.c) or, for a
 * declared register only, its own child elements. A built-in type already
 * has its section in the dossier for rows written out, so a register of it
 * adds only the CSV file. Every row, from either source, is judged by
 * ds_record like any record element.
 */
#include "dossier_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "paths.h"

#define DS_KEY_REGISTER 'G' /* a register's resolved path */
#define DS_MAX_REGISTERS 0x3FFF /* the register's index in a place (DS_LOC_REG) has 14 bits */

const rhv_record_type *dossier_register_type(const char *s, size_t len)
{
    for (int i = 0; i < rhv_record_type_count; i++) {
        const rhv_record_type *t = rhv_record_types[i];
        if (t->decl && ds_equals(s, len, t->name))
            return t;
    }
    for (int i = 0; dossier_register_builtin_types[i]; i++)
        if (ds_equals(s, len, dossier_register_builtin_types[i]))
            return record_type_find(dossier_register_builtin_types[i]);
    return NULL;
}

/* "a, b" of the declared registers into buf. */
static void declared_names(char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < rhv_record_type_count && used < n; i++)
        if (rhv_record_types[i]->decl)
            used += (size_t)snprintf(buf + used, n - used, "%s%s", used ? ", " : "", rhv_record_types[i]->name);
    if (!buf[0])
        snprintf(buf, n, "none");
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

/* The CSV file of a register: resolved against the dossier's folder, a
 * regular file, named once in the dossier; kept in r->out->registers unless
 * bad (an attribute was wrong: reported, but the file is still checked). */
static int csv_file(ds_reader *r, const rhv_record_type *t, const xml_attr *p, long pline, int bad, rhv_register *g)
{
    const char *s = p->value;
    size_t len = p->len;
    ds_trim(&s, &len);
    if (len == 0) {
        ds_err(r, pline, "<register> attribute path is empty");
        return -1;
    }
    char *rel = ds_strndup(s, len);
    char *full = rel ? path_relative_to(r->path, rel) : NULL;
    int rc = -1;
    if (!full) {
        ds_oom(r, pline);
        goto done;
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
    if (bad)
        goto done;
    if (r->out->nregisters >= DS_MAX_REGISTERS) {
        ds_err(r, pline, "more than %d registers; join registers of one type into one file", DS_MAX_REGISTERS);
        goto done;
    }
    g->path = full;
    g->type = strdup(t->name);
    if (!g->type || keep(r->out, g) != 0) {
        free(g->type);
        ds_oom(r, pline);
        goto done;
    }
    full = NULL;
    rc = 0;
done:
    free(full);
    free(rel);
    return rc;
}

int ds_register(ds_reader *r, const xml_attr *attrs, int nattrs, const rhv_record_type **rows)
{
    static const char *const seps[] = {";", ",", NULL};
    static const char *const encodings[] = {"utf-8", "windows-1252", NULL};
    static const char *const notations[] = {"punt", "nl", NULL};
    rhv_register g;
    memset(&g, 0, sizeof g);
    const xml_attr *p = NULL, *ty = NULL, *csv_only = NULL;
    long pline = r->cur_line, tline = r->cur_line, csv_line = r->cur_line;
    int bad = 0;
    *rows = NULL;
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
        } else if (strcmp(a->name, "scheiding") == 0 || strcmp(a->name, "codering") == 0 ||
                   strcmp(a->name, "getallen") == 0) {
            if (!csv_only)
                csv_only = a, csv_line = line;
            if (strcmp(a->name, "scheiding") == 0 && (k = choice(r, a, line, seps)) >= 0)
                g.sep = seps[k][0];
            else if (strcmp(a->name, "codering") == 0 && (k = choice(r, a, line, encodings)) >= 0)
                g.cp1252 = k == 1;
            else if (strcmp(a->name, "getallen") == 0 && (k = choice(r, a, line, notations)) >= 0)
                g.nl_numbers = k == 1;
            if (k < 0)
                bad = 1;
        } else {
            ds_no_attr(r, "register", a, i);
            bad = 1;
        }
    }
    const rhv_record_type *t = NULL;
    if (!ty) {
        ds_err(r, r->cur_line, "<register> lacks required attribute type");
        return -1;
    }
    const char *s = ty->value;
    size_t len = ty->len;
    ds_trim(&s, &len);
    if (!(t = dossier_register_type(s, len))) {
        char declared[512], builtin[256];
        declared_names(declared, sizeof declared);
        ds_list_values(builtin, sizeof builtin, dossier_register_builtin_types);
        ds_err(r, tline, "<register> attribute type=\"%.*s%s\" is neither a declared register (declared: %s) nor a "
               "record type a register can hold (%s)", DS_SHOW(s, len), declared, builtin);
        return -1;
    }
    if (!p) {
        if (r->rec_file) {
            ds_err(r, r->cur_line, "a register listed here is a CSV file; fill in its path (the rows of %s "
                   "themselves go in a sheet of their own)", t->name);
            return -1;
        }
        if (!t->decl) {
            const char *home = ds_home_of(t->name);
            ds_err(r, r->cur_line, "<register type=\"%s\"> lacks required attribute path: a register of a "
                   "built-in type is a CSV file; %s rows written out stand in <%s>", t->name, t->name,
                   home ? home : "dossier");
            return -1;
        }
        if (csv_only) {
            ds_err(r, csv_line, "<register> attribute %s is for a CSV file; without path the rows are the "
                   "element's children", csv_only->name);
            return -1;
        }
        if (bad)
            return -1;
        *rows = t;
        return 0;
    }
    return csv_file(r, t, p, pline, bad, &g);
}
