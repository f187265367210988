/* dossier_ledger.c - a <ledger path="..." [extract="true"] [boekjaar="2022"]/>
 * or a <beoordelingen path="..."/> element (contract in dossier_internal.h).
 *
 * Why it exists: a ledger is not a record but a file the dossier names; it
 * is checked here, while the dossier's line is at hand, so a wrong path is a
 * message at that line rather than a failure later when the ledger is read.
 * Paths are resolved against the dossier's folder (paths.h); the resolved
 * path counts for "named twice". A valid <ledger> is also a record (type
 * "ledger", path resolved as its ledger's records' _file), so a rule can tell
 * an extract from a whole ledger. The beoordelingen file (docs/handled.md)
 * is named and checked the same way, but is no record: rules never see it.
 */
#include "dossier_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "paths.h"

/* Hands the ledger to the sink as a record, like ds_record does. */
static void emit(ds_reader *r, const rhv_record_type *t, const char *full, int extract, int fiscal_year)
{
    if (!r->org_emitted || !r->sink || r->stopped_by_sink)
        return;
    for (int i = 0; i < t->nfields; i++)
        val_none(&r->vals[i]);
    val_str(&r->vals[record_field_index(t, "path")], full, strlen(full));
    val_int(&r->vals[record_field_index(t, "extract")], VAL_BOOL, extract);
    if (fiscal_year)
        val_int(&r->vals[record_field_index(t, "boekjaar")], VAL_INT, fiscal_year);
    /* A workbook's row names its sheet and row, as ds_record does. */
    rhv_record rec = {.type = t, .file = r->rec_file ? r->rec_file : r->path,
                      .line = r->rec_file ? r->rec_line : r->cur_line, .v = r->vals};
    if (r->sink(r->ud, &rec) != 0) {
        r->stopped_by_sink = 1;
        r->want_stop = 1;
    }
}

/* Appends one ledger to r->out; -1 when out of memory (nothing changed). */
static int keep(rhv_dossier *o, char *full, int extract, int fiscal_year, long line)
{
    char **nl = realloc(o->ledgers, (o->nledgers + 1) * sizeof *nl);
    if (!nl)
        return -1;
    o->ledgers = nl;
    bool *ne = realloc(o->ledger_extract, (o->nledgers + 1) * sizeof *ne);
    if (!ne)
        return -1;
    o->ledger_extract = ne;
    long *nli = realloc(o->ledger_line, (o->nledgers + 1) * sizeof *nli);
    if (!nli)
        return -1;
    o->ledger_line = nli;
    int *ny = realloc(o->ledger_fiscal_year, (o->nledgers + 1) * sizeof *ny);
    if (!ny)
        return -1;
    o->ledger_fiscal_year = ny;
    o->ledger_fiscal_year[o->nledgers] = fiscal_year;
    o->ledgers[o->nledgers] = full;
    o->ledger_extract[o->nledgers] = extract != 0;
    o->ledger_line[o->nledgers] = line;
    o->nledgers++;
    return 0;
}

/* The attributes of a <ledger> besides path. */
typedef struct {
    const rhv_record_type *t;
    int extract, year, bad;
} ledger_attrs;

/* Takes extract="..." or boekjaar="..." into la; 0 when attrs[i] is neither. */
static int ledger_attr(ds_reader *r, const xml_attr *attrs, int i, ledger_attrs *la)
{
    const rhv_record_type *t = la->t;
    if (attrs[i].ns)
        return 0;
    if (strcmp(attrs[i].name, "extract") == 0) {
        rhv_value v;
        int fi = record_field_index(t, "extract");
        if (ds_parse_value(r, t, &t->fields[fi], &attrs[i], ds_attr_line(r, i), &v) != 0)
            la->bad = 1;
        else
            la->extract = (int)v.i;
        return 1;
    }
    if (strcmp(attrs[i].name, "boekjaar") == 0) {
        /* A prior ledger: its year must come before the dossier's, so
         * that its spend is history and never the fiscal year's own. */
        rhv_value v;
        int fi = record_field_index(t, "boekjaar");
        if (ds_parse_value(r, t, &t->fields[fi], &attrs[i], ds_attr_line(r, i), &v) != 0) {
            la->bad = 1;
        } else if (v.i < 1900 || v.i > 2999 || (r->out->fiscal_year && v.i > r->out->fiscal_year)) {
            ds_err(r, ds_attr_line(r, i), "<ledger> boekjaar=\"%lld\": a ledger is for the dossier's boekjaar "
                   "(%d) or an earlier one", (long long)v.i, r->out->fiscal_year);
            la->bad = 1;
        } else {
            la->year = (int)v.i;
        }
        return 1;
    }
    return 0;
}

/* The path attribute of <elem>, resolved and an existing regular file; NULL
 * when reported. *pline is the attribute's line; *rel the path as written
 * (the caller frees it, also on NULL). With la (a <ledger>) its other
 * attributes are taken too; any other attribute is an error. */
static char *named_file(ds_reader *r, const char *elem, const xml_attr *attrs, int nattrs, long *pline, char **rel,
                        ledger_attrs *la)
{
    const xml_attr *p = NULL;
    *pline = r->cur_line;
    *rel = NULL;
    for (int i = 0; i < nattrs; i++) {
        if (!attrs[i].ns && strcmp(attrs[i].name, "path") == 0) {
            p = &attrs[i];
            *pline = ds_attr_line(r, i);
        } else if (!la || !ledger_attr(r, attrs, i, la)) {
            ds_no_attr(r, elem, &attrs[i], i);
        }
    }
    if (!p) {
        ds_err(r, r->cur_line, "<%s> lacks required attribute path", elem);
        return NULL;
    }
    const char *s = p->value;
    size_t len = p->len;
    ds_trim(&s, &len);
    if (len == 0) {
        ds_err(r, *pline, "<%s> attribute path is empty", elem);
        return NULL;
    }
    if (!(*rel = ds_strndup(s, len))) {
        ds_oom(r, *pline);
        return NULL;
    }
    char *full = path_relative_to(r->path, *rel);
    if (!full) {
        ds_oom(r, *pline);
        return NULL;
    }
    struct stat st;
    if (stat(full, &st) != 0) {
        ds_err(r, *pline, "<%s path=\"%s\">: %s file %s not found (%s)", elem, *rel, elem, full, strerror(errno));
        free(full);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        ds_err(r, *pline, "<%s path=\"%s\">: %s is not a file", elem, *rel, full);
        free(full);
        return NULL;
    }
    return full;
}

void ds_ledger(ds_reader *r, const xml_attr *attrs, int nattrs)
{
    ledger_attrs la = {.t = record_type_find("ledger")};
    long pline;
    char *rel;
    char *full = named_file(r, "ledger", attrs, nattrs, &pline, &rel, &la);
    if (!full)
        goto done;
    long first = ds_keys_check(&r->keys, DS_KEY_LEDGER, full, strlen(full), pline, 1);
    if (first < 0) {
        ds_oom(r, pline);
        goto done;
    }
    if (first > 0) {
        char at[128];
        ds_err(r, pline, "<ledger path=\"%s\">: the same ledger is already named at %s", rel,
               ds_where(r, first, at, sizeof at));
        goto done;
    }
    if (la.bad)
        goto done;
    if (keep(r->out, full, la.extract, la.year, r->rec_file ? r->rec_line : r->cur_line) != 0) {
        ds_oom(r, pline);
        goto done;
    }
    emit(r, la.t, full, la.extract, la.year);
    full = NULL;
done:
    free(full);
    free(rel);
}

void ds_beoordelingen(ds_reader *r, const xml_attr *attrs, int nattrs)
{
    long pline;
    char *rel;
    char *full = named_file(r, "beoordelingen", attrs, nattrs, &pline, &rel, NULL);
    if (full && r->out->beoordelingen) {
        ds_err(r, pline, "a second <beoordelingen>; a dossier names at most one beoordelingen file");
    } else if (full) {
        r->out->beoordelingen = full;
        full = NULL;
    }
    free(full);
    free(rel);
}
