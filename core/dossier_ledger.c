/* dossier_ledger.c - a <ledger path="..."/> or <beoordelingen path="..."/>
 * element (contract in dossier_internal.h).
 *
 * Why it exists: a ledger is not a record but a file the dossier names; it
 * is checked here, while the dossier's line is at hand, so a wrong path is a
 * message at that line rather than a failure later when the ledger is read.
 * Paths are resolved against the dossier's folder (paths.h); the resolved
 * path counts for "named twice".
 */
#include "dossier_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "paths.h"

/* The path attribute of <elem>, resolved and an existing regular file;
 * NULL when reported. *pline is the attribute's line; *rel the path as written. */
static char *named_file(ds_reader *r, const char *elem, const xml_attr *attrs, int nattrs, long *pline, char **rel)
{
    const xml_attr *p = NULL;
    *pline = r->cur_line;
    *rel = NULL;
    for (int i = 0; i < nattrs; i++) {
        if (!attrs[i].ns && strcmp(attrs[i].name, "path") == 0) {
            p = &attrs[i];
            *pline = ds_attr_line(r, i);
        } else {
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
    long pline;
    char *rel;
    char *full = named_file(r, "ledger", attrs, nattrs, &pline, &rel);
    if (!full)
        goto done;
    long first = ds_keys_check(&r->keys, DS_KEY_LEDGER, full, strlen(full), pline, 1);
    if (first < 0) {
        ds_oom(r, pline);
        goto done;
    }
    if (first > 0) {
        ds_err(r, pline, "<ledger path=\"%s\">: the same ledger is already named at line %ld", rel, first);
        goto done;
    }
    rhv_dossier *o = r->out;
    char **nl = realloc(o->ledgers, (o->nledgers + 1) * sizeof *nl);
    if (!nl) {
        ds_oom(r, pline);
        goto done;
    }
    o->ledgers = nl;
    o->ledgers[o->nledgers++] = full;
    full = NULL;
done:
    free(full);
    free(rel);
}

void ds_beoordelingen(ds_reader *r, const xml_attr *attrs, int nattrs)
{
    long pline;
    char *rel;
    char *full = named_file(r, "beoordelingen", attrs, nattrs, &pline, &rel);
    if (full && r->out->beoordelingen) {
        ds_err(r, pline, "a second <beoordelingen>; a dossier names at most one beoordelingen file");
    } else if (full) {
        r->out->beoordelingen = full;
        full = NULL;
    }
    free(full);
    free(rel);
}
