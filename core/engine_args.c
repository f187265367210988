/* engine_args.c - what the caller changes after loading.
 *
 * `--rule-arg ID.key=value` overrides (typed as the default, remembered for
 * the report), selection of rules by a selector expression, and the values a
 * `rhv test` case gives parameter tables. Each is an error, never a silent
 * no-op, when it names nothing.
 */
#include "engine_internal.h"

#include <stdlib.h>
#include <string.h>

#include "selector.h"

static rule *find_rule(rhv_engine *e, const char *id)
{
    for (size_t i = 0; i < e->nrules; i++)
        if (strcmp(e->rules[i]->info.id, id) == 0)
            return e->rules[i];
    return NULL;
}

static int parse_i64(const char *s, int64_t *out)
{
    const char *p = s;
    bool neg = false;
    if (*p == '-' || *p == '+')
        neg = *p++ == '-';
    if (!*p)
        return -1;
    int64_t v = 0;
    for (; *p; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        if (__builtin_mul_overflow(v, 10, &v) || __builtin_sub_overflow(v, *p - '0', &v))
            return -1;
    }
    if (!neg && __builtin_mul_overflow(v, -1, &v))
        return -1;
    *out = v;
    return 0;
}

/* The new value of a, typed as its default. -1 with a diag when it does not parse. */
static int set_arg_value(rhv_engine *e, rule_arg *a, const char *assignment, const char *val)
{
    switch (a->type) {
    case ARG_INT: {
        int64_t v;
        if (parse_i64(val, &v) != 0) {
            diag_error(e->diag, "--rule-arg", 0, "'%s': '%s' is not an integer (amounts in cents)", assignment,
                       val);
            return -1;
        }
        a->i = v;
        break;
    }
    case ARG_BOOL:
        if (strcmp(val, "true") == 0)
            a->i = 1;
        else if (strcmp(val, "false") == 0)
            a->i = 0;
        else {
            diag_error(e->diag, "--rule-arg", 0, "'%s': expected true or false", assignment);
            return -1;
        }
        break;
    case ARG_STR: {
        char *s = strdup(val);
        if (!s) {
            diag_error(e->diag, "--rule-arg", 0, "out of memory");
            return -1;
        }
        free(a->s);
        a->s = s;
        break;
    }
    }
    return 0;
}

/* Remember the override for the report; a later override of the same key replaces it. */
static int remember_override(rhv_engine *e, const char *assignment, const char *eq)
{
    size_t prefix = (size_t)(eq - assignment) + 1;
    char *copy = strdup(assignment);
    if (!copy) {
        diag_error(e->diag, "--rule-arg", 0, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < e->noverrides; i++)
        if (strncmp(e->overrides[i], assignment, prefix) == 0) {
            free(e->overrides[i]);
            e->overrides[i] = copy;
            return 0;
        }
    char **no = realloc(e->overrides, (e->noverrides + 1) * sizeof *no);
    if (!no) {
        free(copy);
        diag_error(e->diag, "--rule-arg", 0, "out of memory");
        return -1;
    }
    e->overrides = no;
    e->overrides[e->noverrides++] = copy;
    return 0;
}

int engine_set_rule_arg(rhv_engine *e, const char *assignment)
{
    const char *eq = strchr(assignment, '=');
    const char *dot = NULL;
    for (const char *p = assignment; eq && p < eq; p++)
        if (*p == '.')
            dot = p;
    if (!eq || !dot || dot == assignment || dot + 1 == eq) {
        diag_error(e->diag, "--rule-arg", 0, "'%s': expected ID.key=value", assignment);
        return -1;
    }
    char *id = strndup(assignment, (size_t)(dot - assignment));
    char *key = strndup(dot + 1, (size_t)(eq - dot - 1));
    const char *val = eq + 1;
    int rc = -1;
    if (!id || !key) {
        diag_error(e->diag, "--rule-arg", 0, "out of memory");
        goto out;
    }
    rule *r = find_rule(e, id);
    if (!r) {
        diag_error(e->diag, "--rule-arg", 0, "'%s': no rule with id '%s'", assignment, id);
        goto out;
    }
    if (r->info.status == RULE_ERROR && r->nargs == 0) {
        diag_error(e->diag, "--rule-arg", 0, "'%s': rule '%s' did not load (see its error)", assignment, id);
        goto out;
    }
    rule_arg *a = NULL;
    for (size_t i = 0; i < r->nargs; i++)
        if (strcmp(r->args[i].key, key) == 0)
            a = &r->args[i];
    if (!a) {
        char known[512] = "";
        size_t o = 0;
        for (size_t i = 0; i < r->nargs && o < sizeof known; i++)
            o += (size_t)snprintf(known + o, sizeof known - o, "%s%s", i ? ", " : "", r->args[i].key);
        diag_error(e->diag, "--rule-arg", 0, "'%s': rule '%s' has no argument '%s' (it has: %s)", assignment, id,
                   key, r->nargs ? known : "none");
        goto out;
    }
    if (set_arg_value(e, a, assignment, val) == 0 && remember_override(e, assignment, eq) == 0)
        rc = 0;
out:
    free(id);
    free(key);
    return rc;
}

int engine_select(rhv_engine *e, const char *expr)
{
    char *err = NULL;
    sel_node *n = selector_parse(expr, &err);
    if (!n) {
        diag_error(e->diag, "--rules", 0, "'%s': %s", expr, err ? err : "out of memory");
        free(err);
        return -1;
    }
    const char **ids = calloc(e->nrules + 1, sizeof *ids);
    criterion *crits = calloc(e->nrules + 1, sizeof *crits);
    int rc = -1;
    if (!ids || !crits) {
        diag_error(e->diag, "--rules", 0, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < e->nrules; i++) {
        ids[i] = e->rules[i]->info.id;
        crits[i] = e->rules[i]->info.crit;
    }
    const char *bad = selector_unmatched(n, ids, crits, e->nrules);
    if (bad) {
        diag_error(e->diag, "--rules", 0, "'%s': '%s' matches no rule", expr, bad);
        goto out;
    }
    size_t kept = 0;
    for (size_t i = 0; i < e->nrules; i++)
        if (selector_match(n, e->rules[i]->info.id, e->rules[i]->info.crit))
            kept++;
    if (kept == 0) {
        diag_error(e->diag, "--rules", 0, "'%s' selects no rule", expr);
        goto out;
    }
    size_t o = 0;
    for (size_t i = 0; i < e->nrules; i++) {
        if (selector_match(n, e->rules[i]->info.id, e->rules[i]->info.crit))
            e->rules[o++] = e->rules[i];
        else
            eng_rule_free(e->rules[i]);
    }
    e->nrules = o;
    eng_rebuild_pinfo(e);
    rc = 0;
out:
    free(ids);
    free(crits);
    selector_free(n);
    return rc;
}

int engine_set_param_value(rhv_engine *e, const char *name, const rhv_pvalue *v)
{
    param_override *np = realloc(e->povr, (e->npovr + 1) * sizeof *np);
    if (!np)
        return -1;
    e->povr = np;
    param_override *p = &e->povr[e->npovr];
    p->name = strdup(name);
    if (!p->name || pvalue_copy(&p->value, v) != 0) {
        free(p->name);
        return -1;
    }
    e->npovr++;
    return 0;
}
