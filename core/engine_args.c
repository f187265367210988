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

/* Where an assignment comes from: its messages and the origin the report shows. */
typedef struct {
    const char *file;            /* NULL: the command line (or a test case) */
    long line;
    bool cents;                  /* amounts as integer cents (a test case's Lua value), not euros */
} arg_from;

#define ARG_DIAG(e, from, ...) diag_error((e)->diag, (from)->file ? (from)->file : "--rule-arg", (from)->line, __VA_ARGS__)

/* The new value of a, typed as its declaration. -1 with a diag when it does not parse. */
static int set_arg_value(rhv_engine *e, rule_arg *a, const char *assignment, const char *val, const arg_from *from)
{
    switch (a->type) {
    case ARG_INT: {
        int64_t v;
        if (parse_i64(val, &v) != 0) {
            ARG_DIAG(e, from, "'%s': '%s' is not an integer (amounts in cents)", assignment, val);
            return -1;
        }
        a->i = v;
        break;
    }
    case ARG_AMOUNT: {
        int64_t v;
        money_status st = from->cents ? (parse_i64(val, &v) == 0 ? MONEY_OK : MONEY_SYNTAX)
                                      : money_parse(val, strlen(val), &v);
        if (st != MONEY_OK) {
            ARG_DIAG(e, from, "'%s': '%s' is not an amount: write euros with a point and at most two decimals, "
                     "e.g. 125000.00", assignment, val);
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
            ARG_DIAG(e, from, "'%s': expected true or false", assignment);
            return -1;
        }
        break;
    case ARG_STR:
    case ARG_LIST: {
        char *s = strdup(val);
        if (!s) {
            ARG_DIAG(e, from, "out of memory");
            return -1;
        }
        free(a->s);
        a->s = s;
        break;
    }
    }
    return 0;
}

/* Remember the override for the report with its origin; a later override of
 * the same key replaces it, and says which value it replaced. */
static int remember_override(rhv_engine *e, const char *assignment, const char *eq, const arg_from *from)
{
    size_t prefix = (size_t)(eq - assignment) + 1;
    char *copy = strdup(assignment);
    char here[512];
    if (from->file)
        snprintf(here, sizeof here, "%s:%ld", from->file, from->line);
    else
        snprintf(here, sizeof here, "opdrachtregel");
    size_t i = 0;
    while (i < e->noverrides && strncmp(e->overrides[i], assignment, prefix) != 0)
        i++;
    char *origin;
    if (i < e->noverrides && strcmp(e->override_origins[i], "opdrachtregel") != 0) {
        size_t n = strlen(here) + strlen(e->override_origins[i]) + strlen(e->overrides[i]) + 32;
        origin = malloc(n);
        if (origin)
            snprintf(origin, n, "%s, vervangt %s uit %s", here, e->overrides[i] + prefix, e->override_origins[i]);
    } else {
        origin = strdup(here);
    }
    if (!copy || !origin) {
        free(copy);
        free(origin);
        ARG_DIAG(e, from, "out of memory");
        return -1;
    }
    if (i < e->noverrides) {
        free(e->overrides[i]);
        free(e->override_origins[i]);
        e->overrides[i] = copy;
        e->override_origins[i] = origin;
        return 0;
    }
    char **no = realloc(e->overrides, (e->noverrides + 1) * sizeof *no);
    if (no)
        e->overrides = no;
    char **nor = no ? realloc(e->override_origins, (e->noverrides + 1) * sizeof *nor) : NULL;
    if (nor)
        e->override_origins = nor;
    if (!no || !nor) {
        free(copy);
        free(origin);
        ARG_DIAG(e, from, "out of memory");
        return -1;
    }
    e->overrides[e->noverrides] = copy;
    e->override_origins[e->noverrides++] = origin;
    return 0;
}

static int set_rule_arg(rhv_engine *e, const char *assignment, const arg_from *from)
{
    const char *eq = strchr(assignment, '=');
    const char *dot = NULL;
    for (const char *p = assignment; eq && p < eq; p++)
        if (*p == '.')
            dot = p;
    if (!eq || !dot || dot == assignment || dot + 1 == eq) {
        ARG_DIAG(e, from, "'%s': expected ID.key=value", assignment);
        return -1;
    }
    char *id = strndup(assignment, (size_t)(dot - assignment));
    char *key = strndup(dot + 1, (size_t)(eq - dot - 1));
    const char *val = eq + 1;
    int rc = -1;
    if (!id || !key) {
        ARG_DIAG(e, from, "out of memory");
        goto out;
    }
    rule *r = find_rule(e, id);
    if (!r && from->file) {
        /* A dossier may set arguments of opt-in rules (registers/rules) that
         * this run does not load: told, not an error. */
        diag_warning(e->diag, from->file, from->line, "<regelargument> for rule '%s', which is not loaded in this "
                     "run: ignored", id);
        rc = 0;
        goto out;
    }
    if (!r) {
        ARG_DIAG(e, from, "'%s': no rule with id '%s'", assignment, id);
        goto out;
    }
    if (r->info.status == RULE_ERROR && r->nargs == 0) {
        ARG_DIAG(e, from, "'%s': rule '%s' did not load (see its error)", assignment, id);
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
        ARG_DIAG(e, from, "'%s': rule '%s' has no argument '%s' (it has: %s)", assignment, id, key,
                 r->nargs ? known : "none");
        goto out;
    }
    if (set_arg_value(e, a, assignment, val, from) == 0 && remember_override(e, assignment, eq, from) == 0)
        rc = 0;
out:
    free(id);
    free(key);
    return rc;
}

int engine_set_rule_arg(rhv_engine *e, const char *assignment)
{
    const arg_from cli = {0};
    return set_rule_arg(e, assignment, &cli);
}

int engine_set_rule_arg_at(rhv_engine *e, const char *assignment, const char *file, long line)
{
    const arg_from dossier = {.file = file, .line = line};
    return set_rule_arg(e, assignment, &dossier);
}

int engine_set_rule_arg_cents(rhv_engine *e, const char *assignment)
{
    const arg_from test = {.cents = true};
    return set_rule_arg(e, assignment, &test);
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
    eng_rebuild_minfo(e);
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
