/* dossier_ledger.c - a <ledger path="..."/> element (contract in
 * dossier_internal.h).
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

void ds_ledger(ds_reader *r, const xml_attr *attrs, int nattrs)
{
    const xml_attr *p = NULL;
    long pline = r->cur_line;
    for (int i = 0; i < nattrs; i++) {
        if (!attrs[i].ns && strcmp(attrs[i].name, "path") == 0) {
            p = &attrs[i];
            pline = ds_attr_line(r, i);
        } else {
            ds_no_attr(r, "ledger", &attrs[i], i);
        }
    }
    if (!p) {
        ds_err(r, r->cur_line, "<ledger> lacks required attribute path");
        return;
    }
    const char *s = p->value;
    size_t len = p->len;
    ds_trim(&s, &len);
    if (len == 0) {
        ds_err(r, pline, "<ledger> attribute path is empty");
        return;
    }
    char *rel = ds_strndup(s, len);
    if (!rel) {
        ds_oom(r, pline);
        return;
    }
    char *full = path_relative_to(r->path, rel);
    if (!full) {
        free(rel);
        ds_oom(r, pline);
        return;
    }
    struct stat st;
    if (stat(full, &st) != 0) {
        ds_err(r, pline, "<ledger path=\"%s\">: ledger file %s not found (%s)", rel, full, strerror(errno));
        goto done;
    }
    if (!S_ISREG(st.st_mode)) {
        ds_err(r, pline, "<ledger path=\"%s\">: %s is not a file", rel, full);
        goto done;
    }
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
