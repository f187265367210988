/* cmd_check_overlap.c - part of step 3 of `rhv check` (cmd_check.h): two
 * different ledgers must not hold the same transaction.
 *
 * Why: two files of one administration and fiscal year with the same
 * journal and transaction numbers are two exports of (part of) the same
 * ledger; read both and every shared transaction counts twice. Equal files
 * are caught by the plan (cmd_check_same.c); this catches the overlap of
 * files that differ. The first shared transaction is an error naming both
 * files; a ledger is reported once.
 *
 * Split files (one ledger exported in parts, with disjoint transactions) pass
 * this check as they are. Parts that repeat each other's transactions are not
 * supported: that needs the dossier to say the files are parts of one ledger.
 *
 * Memory: one 64-bit fingerprint and one 32-bit owner a transaction (not a
 * line), in an open-addressing table at most 75% full, and only when the run
 * has two ledgers or more. Fingerprints are those of rhv.keyset (keyset.h):
 * two different transactions match with probability about n^2 / 2^65.
 */
#include "cmd_check.h"

#include <stdlib.h>
#include <string.h>

#include "keyset.h"

void check_overlap_init(check_overlap *ov, size_t nledgers)
{
    memset(ov, 0, sizeof *ov);
    ov->on = nledgers >= 2;
}

void check_overlap_free(check_overlap *ov)
{
    free(ov->fp);
    free(ov->owner);
    free(ov->admin);
    free(ov->key);
    memset(ov, 0, sizeof *ov);
}

void check_overlap_begin(check_overlap *ov, const char *path, bool check)
{
    if (!ov->on)
        return;
    if (ov->nledgers == CHECK_MAX_LEDGERS + 1) {
        ov->on = false; /* cannot happen: the plan caps the ledgers */
        return;
    }
    ov->paths[ov->nledgers++] = path;
    ov->reported = false;
    ov->skip = !check;
    ov->admin_len = 0;
    ov->fy_len = 0;
}

/* Appends s (len n) and a separator to buf; false when out of memory. */
static bool append(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
    if (*len + n + 1 > *cap) {
        size_t nc = (*len + n + 1) * 2;
        char *nb = realloc(*buf, nc);
        if (!nb)
            return false;
        *buf = nb;
        *cap = nc;
    }
    if (n)
        memcpy(*buf + *len, s, n);
    *len += n;
    (*buf)[(*len)++] = '\x1f';
    return true;
}

static const rhv_value *value(const rhv_record *rec, const char *name)
{
    int i = record_field_index(rec->type, name);
    return i < 0 ? NULL : &rec->v[i];
}

/* A string field's text ("" when absent). */
static void text_of(const rhv_record *rec, const char *name, const char **s, size_t *n)
{
    const rhv_value *v = value(rec, name);
    *s = v && v->kind == VAL_STR ? v->s : "";
    *n = v && v->kind == VAL_STR ? v->len : 0;
}

static bool grow(check_overlap *ov)
{
    size_t nc = ov->cap ? ov->cap * 2 : 1024;
    uint64_t *fp = calloc(nc, sizeof *fp);
    uint32_t *owner = calloc(nc, sizeof *owner);
    if (!fp || !owner) {
        free(fp);
        free(owner);
        return false;
    }
    for (size_t i = 0; i < ov->cap; i++) {
        if (!ov->fp[i])
            continue;
        size_t j = (size_t)ov->fp[i] & (nc - 1);
        while (fp[j])
            j = (j + 1) & (nc - 1);
        fp[j] = ov->fp[i];
        owner[j] = ov->owner[i];
    }
    free(ov->fp);
    free(ov->owner);
    ov->fp = fp;
    ov->owner = owner;
    ov->cap = nc;
    return true;
}

/* The owner (1-based ledger) of key h, after adding it for the current
 * ledger when new; 0 when out of memory. */
static uint32_t add(check_overlap *ov, uint64_t h)
{
    if ((ov->used + 1) * 4 > ov->cap * 3 && !grow(ov))
        return 0;
    size_t j = (size_t)h & (ov->cap - 1);
    while (ov->fp[j]) {
        if (ov->fp[j] == h)
            return ov->owner[j];
        j = (j + 1) & (ov->cap - 1);
    }
    ov->fp[j] = h;
    ov->owner[j] = (uint32_t)ov->nledgers;
    ov->used++;
    return (uint32_t)ov->nledgers;
}

static void out_of_memory(check_overlap *ov, rhv_diag *d)
{
    diag_error(d, ov->paths[ov->nledgers - 1], 0, "out of memory while checking the ledgers for overlap");
    ov->on = false;
}

void check_overlap_record(check_overlap *ov, const rhv_record *rec, rhv_diag *d)
{
    if (!ov->on || ov->skip || ov->reported || ov->nledgers == 0)
        return;
    const char *t = rec->type->name, *s;
    size_t n;
    if (strcmp(t, "xaf.header") == 0) {
        text_of(rec, "fiscalYear", &s, &n);
        ov->fy_len = n < sizeof ov->fy - 1 ? n : sizeof ov->fy - 1;
        memcpy(ov->fy, s, ov->fy_len);
        ov->fy[ov->fy_len] = '\0';
        return;
    }
    if (strcmp(t, "xaf.company") == 0) {
        /* The administration: the fiscal year and who the company is. */
        ov->admin_len = 0;
        static const char *const who[] = {"companyIdent", "companyName", "taxRegIdent"};
        if (!append(&ov->admin, &ov->admin_len, &ov->admin_cap, ov->fy, ov->fy_len))
            return out_of_memory(ov, d);
        for (int i = 0; i < 3; i++) {
            text_of(rec, who[i], &s, &n);
            if (!append(&ov->admin, &ov->admin_len, &ov->admin_cap, s, n))
                return out_of_memory(ov, d);
        }
        return;
    }
    if (strcmp(t, "xaf.transaction") != 0)
        return;
    const char *jrn, *nr;
    size_t njrn, nnr;
    text_of(rec, "jrnID", &jrn, &njrn);
    text_of(rec, "nr", &nr, &nnr);
    ov->key_len = 0;
    if ((ov->admin_len && !append(&ov->key, &ov->key_len, &ov->key_cap, ov->admin, ov->admin_len)) ||
        !append(&ov->key, &ov->key_len, &ov->key_cap, jrn, njrn) ||
        !append(&ov->key, &ov->key_len, &ov->key_cap, nr, nnr))
        return out_of_memory(ov, d);
    uint32_t owner = add(ov, keyset_fingerprint(ov->key, ov->key_len));
    if (owner == 0)
        return out_of_memory(ov, d);
    if (owner == ov->nledgers)
        return;
    diag_error(d, rec->file, rec->line,
               "this ledger overlaps %s: transaction %.*s of journal %.*s is in both (same administration and "
               "fiscal year %s); give each transaction in one file only",
               ov->paths[owner - 1], (int)nnr, nr, (int)njrn, jrn, ov->fy);
    ov->reported = true;
}
