/* dossier_register.c - <register type="..."> and its rows (contract in
 * dossier_internal.h; the format in docs/dossier.md, declarations in
 * register_decl.h).
 *
 * Why it exists: a register's shape is declared in Lua, not in the C schema,
 * so what may stand in <register> depends on the type it names. Its rows are
 * then judged by ds_record exactly like built-in records: the same value
 * parsers and limits, the same messages, and a key that must be unique.
 */
#include "dossier_internal.h"

#include <stdlib.h>
#include <string.h>

#include "register_decl.h"

/* "a, b" of the declared registers into buf. */
static void declared_names(char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < rhv_record_type_count && used < n; i++)
        if (rhv_record_types[i]->decl)
            used += (size_t)snprintf(buf + used, n - used, "%s%s", used ? ", " : "", rhv_record_types[i]->name);
    if (!buf[0])
        snprintf(buf, n, "none; a register is declared in registers/<name>.lua");
}

const rhv_record_type *ds_register_open(ds_reader *r, const xml_attr *attrs, int nattrs)
{
    const xml_attr *ta = NULL;
    long tline = r->cur_line;
    for (int i = 0; i < nattrs; i++) {
        if (!attrs[i].ns && strcmp(attrs[i].name, "type") == 0) {
            ta = &attrs[i];
            tline = ds_attr_line(r, i);
        } else {
            ds_no_attr(r, "register", &attrs[i], i);
        }
    }
    if (!ta) {
        ds_err(r, r->cur_line, "<register> lacks required attribute type");
        return NULL;
    }
    const char *s = ta->value;
    size_t len = ta->len;
    ds_trim(&s, &len);
    char *name = ds_strndup(s, len);
    if (!name) {
        ds_oom(r, tline);
        return NULL;
    }
    const rhv_record_type *t = record_type_find(name);
    free(name);
    if (!t || !t->decl) {
        char known[512];
        declared_names(known, sizeof known);
        ds_err(r, tline, "<register> attribute type=\"%.*s%s\" is not a declared register (declared: %s)",
               DS_SHOW(s, len), known);
        return NULL;
    }
    return t;
}

void ds_register_row(ds_reader *r, const rhv_record_type *t, const char *local, const xml_attr *attrs, int nattrs)
{
    (void)local;
    ds_record(r, t, attrs, nattrs, r->org_emitted);
}

int ds_register_unique(ds_reader *r, const rhv_record_type *t, long line)
{
    const struct register_decl *d = t->decl;
    const rhv_value *k = &r->vals[d->key];
    if (k->kind == VAL_NONE)
        return 0;
    char num[32];
    const char *ks = k->s;
    size_t kn = k->len;
    if (k->kind == VAL_INT) { /* "007" and "7" are the same integer key */
        kn = (size_t)snprintf(num, sizeof num, "%lld", (long long)k->i);
        ks = num;
    }
    long first = ds_keys_check(&r->keys, d->key_kind, ks, kn, line, 1);
    if (first < 0) {
        ds_oom(r, line);
        return -1;
    }
    if (first > 0) {
        char at[128];
        ds_err(r, line, "<%s> %s=\"%.*s%s\" occurs twice (first at %s)", t->name, t->fields[d->key].name,
               DS_SHOW(ks, kn), ds_where(r, first, at, sizeof at));
        return -1;
    }
    return 0;
}
