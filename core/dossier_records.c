/* dossier_records.c - one record element, from its attributes to the sink
 * (contract in dossier_internal.h).
 *
 * Why it exists: a record is judged in a fixed order that the messages
 * depend on: unknown and bad attributes at their own lines, then missing
 * required ones, then unique keys (even when other fields are bad, so a later
 * duplicate is judged right), and only for an otherwise valid record the
 * checks across fields and against <organisation>. The organisation fields
 * are kept before the sink sees the record; the totals the verdict needs
 * (lasten, toevoegingen) are summed by the verdict (verdict_basis), not here.
 */
#include "dossier_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "register_decl.h"

static const rhv_value *field(const ds_reader *r, const rhv_record_type *t, const char *name)
{
    int i = record_field_index(t, name);
    if (i < 0 || r->vals[i].kind == VAL_NONE)
        return NULL;
    return &r->vals[i];
}

static int is_type(const rhv_record_type *t, const char *name)
{
    return strcmp(t->name, name) == 0;
}

static char *dup_val(const rhv_value *v)
{
    return v ? ds_strndup(v->s, v->len) : NULL;
}

/* Organisation fields rhv needs itself, kept before the sink sees the record
 * so a sink can already read out->fiscal_year. */
static int keep_organisation(ds_reader *r, const rhv_record_type *t)
{
    rhv_dossier *o = r->out;
    o->naam = dup_val(field(r, t, "naam"));
    o->soort = dup_val(field(r, t, "soort"));
    o->grens_besluit = dup_val(field(r, t, "grens_besluit"));
    o->normenkader_datum = dup_val(field(r, t, "normenkader_datum"));
    const rhv_value *b = field(r, t, "grens_bron");
    o->grens_bron = dup_val(b);
    if (!o->naam || !o->soort || !o->grens_besluit || !o->normenkader_datum || (b && !o->grens_bron))
        return -1;
    o->fiscal_year = (int)field(r, t, "boekjaar")->i;
    const rhv_value *gp = field(r, t, "grens_percentage");
    o->grens_bp = gp ? gp->i : 0; /* absent only with gescheiden grenzen */
    const rhv_value *gf = field(r, t, "grens_fouten_percentage");
    const rhv_value *go = field(r, t, "grens_onzekerheden_percentage");
    o->grens_fouten_bp = gf ? gf->i : 0;
    o->grens_onzekerheden_bp = go ? go->i : 0;
    const rhv_value *w = field(r, t, "grens_wijze");
    o->gescheiden = ds_equals(w->s, w->len, "gescheiden");
    const rhv_value *bs = field(r, t, "grens_basis");
    o->basis_begroting = ds_equals(bs->s, bs->len, "begroting");
    o->rapportagegrens = field(r, t, "rapportagegrens")->i;
    return 0;
}

/* A <regelargument>, kept as "regel.naam=waarde" for the engine, which
 * types it by the rule's declaration before the rules start (cmd_check_plan.c),
 * with the place its messages name: the line in the XML, or the place a
 * record of a sheet or CSV register cites (its rec_file and row). */
static int keep_rule_arg(ds_reader *r, const rhv_record_type *t, long line)
{
    rhv_dossier *o = r->out;
    const rhv_value *g = field(r, t, "regel"), *n = field(r, t, "naam"), *w = field(r, t, "waarde");
    size_t len = g->len + n->len + w->len + 3;
    char *s = malloc(len);
    char *file = r->rec_file ? strdup(r->rec_file) : NULL;
    char **na = realloc(o->rule_args, (o->nrule_args + 1) * sizeof *na);
    if (na)
        o->rule_args = na;
    long *nl = na ? realloc(o->rule_arg_line, (o->nrule_args + 1) * sizeof *nl) : NULL;
    if (nl)
        o->rule_arg_line = nl;
    char **nf = nl ? realloc(o->rule_arg_file, (o->nrule_args + 1) * sizeof *nf) : NULL;
    if (nf)
        o->rule_arg_file = nf;
    if (!s || !na || !nl || !nf || (r->rec_file && !file)) {
        free(s);
        free(file);
        return -1;
    }
    snprintf(s, len, "%.*s.%.*s=%.*s", (int)g->len, g->s, (int)n->len, n->s, (int)w->len, w->s);
    o->rule_args[o->nrule_args] = s;
    o->rule_arg_file[o->nrule_args] = file;
    o->rule_arg_line[o->nrule_args++] = r->rec_file ? r->rec_line : line;
    return 0;
}

/* The key of a declared register's row as the key set holds it: an integer
 * key by its value, so "007" and "7" are the same key. */
static void decl_key(const rhv_value *k, char *num, size_t n, const char **s, size_t *len)
{
    *s = k->s;
    *len = k->len;
    if (k->kind == VAL_INT) {
        *len = (size_t)snprintf(num, n, "%lld", (long long)k->i);
        *s = num;
    }
}

/* The declared key of a register's row is unique (register_decl.h). */
static int check_decl_key(ds_reader *r, const rhv_record_type *t, long line)
{
    const struct register_decl *d = t->decl;
    const rhv_value *k = &r->vals[d->key];
    if (k->kind == VAL_NONE)
        return 0;
    char num[32];
    const char *ks;
    size_t kn;
    decl_key(k, num, sizeof num, &ks, &kn);
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

void ds_keep_keys(ds_reader *r, const rhv_record_type *t, const xml_attr *attrs, int na, long loc)
{
    if (t->decl) {
        const struct register_decl *d = t->decl;
        const rhv_field_def *kf = &t->fields[d->key];
        for (int i = 0; i < na; i++) {
            if (strcmp(attrs[i].name, kf->name) != 0)
                continue;
            rhv_value v = {.kind = VAL_STR, .s = attrs[i].value, .len = attrs[i].len};
            if (kf->kind == VAL_INT) {
                const char *s = v.s;
                size_t len = v.len;
                ds_trim(&s, &len);
                if (value_parse_int(s, len, &v.i) != VALUE_OK)
                    return; /* not an integer: no valid row can have it as its key */
                v.kind = VAL_INT;
            }
            char num[32];
            const char *ks;
            size_t kn;
            decl_key(&v, num, sizeof num, &ks, &kn);
            if (ds_keys_check(&r->keys, d->key_kind, ks, kn, loc, 1) < 0)
                ds_oom(r, loc);
        }
        return;
    }
    for (size_t u = 0; u < ds_nfield_rules; u++) {
        if (strcmp(ds_field_rules[u].type, t->name) != 0)
            continue;
        for (int i = 0; i < na; i++)
            if (strcmp(attrs[i].name, ds_field_rules[u].field) == 0 &&
                ds_keys_check(&r->keys, ds_field_rules[u].unique, attrs[i].value, attrs[i].len, loc, 1) < 0)
                ds_oom(r, loc);
    }
}

/* Keys that must be unique. Run even when other fields of the record are bad,
 * so a later duplicate (or a programma naming this categorie) is judged right. */
static int check_unique(ds_reader *r, const rhv_record_type *t, long line)
{
    int bad = 0;
    const char *tn = t->name;
    if (t->decl)
        return check_decl_key(r, t, line);
    for (size_t i = 0; i < ds_nfield_rules; i++) {
        const ds_field_rule *u = &ds_field_rules[i];
        if (!u->unique || strcmp(u->type, tn) != 0)
            continue;
        const rhv_value *k = field(r, t, u->field);
        if (!k)
            continue;
        long first = ds_keys_check(&r->keys, u->unique, k->s, k->len, line, 1);
        if (first < 0) {
            ds_oom(r, line);
            return -1;
        }
        if (first > 0) {
            char at[128];
            ds_err(r, line, "<%s> %s=\"%.*s%s\" occurs twice (first at %s)", tn, u->field,
                DS_SHOW(k->s, k->len), ds_where(r, first, at, sizeof at));
            bad = 1;
        }
    }

    return bad ? -1 : 0;
}

/* Checks across fields and records. 0 ok, -1 reported. */
static int check_record(ds_reader *r, const rhv_record_type *t, long line)
{
    int bad = 0;
    const char *tn = t->name;

    if (is_type(t, "organisation")) {
        const rhv_value *w = field(r, t, "grens_wijze");
        if (w && ds_equals(w->s, w->len, "gescheiden")) {
            static const char *const need[] = {"grens_fouten_percentage", "grens_onzekerheden_percentage"};
            for (int i = 0; i < 2; i++)
                if (!field(r, t, need[i])) {
                    ds_err(r, line, "<organisation> with grens_wijze=\"gescheiden\" needs attribute %s", need[i]);
                    bad = 1;
                }
        } else if (w && !field(r, t, "grens_percentage")) {
            ds_err(r, line, "<organisation> with grens_wijze=\"gecombineerd\" needs attribute grens_percentage");
            bad = 1;
        } else if (w && (field(r, t, "grens_fouten_percentage") || field(r, t, "grens_onzekerheden_percentage"))) {
            diag_warning(r->d, r->path, line,
                         "<organisation> grens_fouten_percentage/grens_onzekerheden_percentage are ignored "
                         "with grens_wijze=\"gecombineerd\"");
        }
    }

    if (is_type(t, "cijfer")) {
        /* Largest remainder rounds a column of shares so that it sums to 100; an amount or a count has no such
         * column, and the readers of amounts would take the cell as rounded half up. */
        const rhv_value *a = field(r, t, "afronding"), *m = field(r, t, "maat");
        if (a && m && ds_equals(a->s, a->len, "grootste_rest") && !ds_equals(m->s, m->len, "percentage")) {
            ds_err(r, line, "<cijfer> afronding=\"grootste_rest\" is for a column of percentages (maat=\"percentage\"), "
                   "not maat=\"%.*s%s\"; say how the cell was rounded: half_up or down", DS_SHOW(m->s, m->len));
            bad = 1;
        }
    }

    const rhv_value *b = field(r, t, "begin"), *e = field(r, t, "einde");
    if (b && e && memcmp(e->s, b->s, 10) < 0) {
        ds_err(r, line, "<%s> einde %.10s is before begin %.10s", tn, e->s, b->s);
        bad = 1;
    }

    if ((is_type(t, "programma") || is_type(t, "reserve") || is_type(t, "krediet") || is_type(t, "afwijking")) &&
        r->org_line) {
        const rhv_value *c = field(r, t, "categorie");
        if (c) {
            long first = ds_keys_check(&r->keys, DS_KEY_CATEGORIE, c->s, c->len, 0, 0);
            if (first < 0) {
                ds_oom(r, line);
                return -1;
            }
            if (first == 0) {
                int ci = record_field_index(t, "categorie");
                ds_err(r, r->field_loc ? r->field_loc[ci] : line,
                       "<%s> categorie=\"%.*s%s\" is not declared as a <begrotingscategorie> in <organisation>", tn,
                       DS_SHOW(c->s, c->len));
                bad = 1;
            }
        }
    }
    return bad ? -1 : 0;
}

/* Validates a record element; hands it on when valid and `emit`. 0 valid. */
int ds_record(ds_reader *r, const rhv_record_type *t, const xml_attr *attrs, int nattrs, int emit)
{
    long line = r->cur_line;
    int bad = 0;
    if (is_type(t, "contractregister"))
        r->creg_seen = 1;
    if (is_type(t, "inkoop"))
        r->inkoop_seen = 1;
    for (int i = 0; i < t->nfields; i++) {
        val_none(&r->vals[i]);
        r->present[i] = 0;
    }
    for (int i = 0; i < nattrs; i++) {
        const xml_attr *a = &attrs[i];
        int fi = a->ns ? -1 : record_field_index(t, a->name);
        if (fi < 0) {
            ds_no_attr(r, t->name, a, i);
            bad = 1;
            continue;
        }
        r->present[fi] = 1;
        if (ds_parse_value(r, t, &t->fields[fi], a, ds_attr_line(r, i), &r->vals[fi]) != 0)
            bad = 1;
    }
    for (int i = 0; i < t->nfields; i++)
        if (t->fields[i].required && !r->present[i]) {
            ds_err(r, r->field_loc ? r->field_loc[i] : line, "<%s> lacks required attribute %s", t->name,
                   t->fields[i].name);
            bad = 1;
        }
    if (check_unique(r, t, line) != 0)
        bad = 1;
    if (bad)
        return -1;
    if (check_record(r, t, line) != 0)
        return -1;

    if (is_type(t, "regelargument")) {
        const rhv_value *g = field(r, t, "regel"), *n = field(r, t, "naam");
        char key[1024];
        int kl = snprintf(key, sizeof key, "%.*s.%.*s", (int)g->len, g->s, (int)n->len, n->s);
        long first = ds_keys_check(&r->keys, 'g', key, (size_t)kl < sizeof key ? (size_t)kl : sizeof key - 1, line, 1);
        if (first > 0) {
            char at[128];
            ds_err(r, line, "<regelargument> %s occurs twice (first at %s)", key, ds_where(r, first, at, sizeof at));
            return -1;
        }
        if (first < 0 || keep_rule_arg(r, t, line) != 0) {
            ds_oom(r, line);
            return -1;
        }
    }

    if (is_type(t, "organisation") && keep_organisation(r, t) != 0) {
        ds_oom(r, line);
        return -1;
    }

    if (!emit || !r->sink || r->stopped_by_sink)
        return 0;
    rhv_record rec = {.type = t, .file = r->rec_file ? r->rec_file : r->path, .line = r->rec_file ? r->rec_line : line,
                      .v = r->vals};
    if (r->sink(r->ud, &rec) != 0) {
        r->stopped_by_sink = 1;
        r->want_stop = 1;
    }
    return 0;
}
