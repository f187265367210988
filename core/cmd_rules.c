/* cmd_rules.c - `rhv rules list | show ID [--year N] | new ID` [--rules-dir DIR].
 *
 * list and show load the rules exactly as `rhv check` does, so what they
 * print is what a run would use (and a rule that fails to load shows its
 * error). new writes a rule and its test file that load and whose cases run:
 * a worked example for the author to replace, never overwriting a file.
 * Exit codes: 0 ok; 2 usage error, unknown rule, or a rule that fails to load.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "engine.h"
#include "params.h"
#include "paths.h"

typedef struct {
    const char *rules_dir, *params_dir, *plugins_dir;
    int fiscal_year; /* --year; 0: all periods */
    const char *sub, *id;
} opts;

static void usage(FILE *out)
{
    fputs("usage: rhv rules list [--rules-dir DIR]\n"
          "       rhv rules show ID [--year N] [--rules-dir DIR]\n"
          "       rhv rules new ID [--rules-dir DIR]\n",
          out);
}

/* d set up (messages to stderr) and every rule of the rules folder loaded;
 * NULL (d freed) when no engine can be made. */
static rhv_engine *load(const opts *o, rhv_diag *d)
{
    diag_init(d, stderr);
    rhv_engine_opts eo = {.plugins_dir = o->plugins_dir, .params_dir = o->params_dir, .diag = d};
    rhv_engine *e = engine_new(&eo);
    if (!e) {
        diag_free(d);
        return NULL;
    }
    engine_load_dir(e, o->rules_dir);
    return e;
}

/* The end of a subcommand: what load() made freed, rc returned. */
static int done(rhv_engine *e, rhv_diag *d, int rc)
{
    engine_free(e);
    diag_free(d);
    return rc;
}

static void years_text(const rhv_rule_meta *m, char *buf, size_t n)
{
    if (m->year_open)
        snprintf(buf, n, "%d-", m->year_from);
    else if (m->year_from == m->year_to)
        snprintf(buf, n, "%d", m->year_from);
    else
        snprintf(buf, n, "%d-%d", m->year_from, m->year_to);
}

static int cmd_list(const opts *o)
{
    rhv_diag d;
    rhv_engine *e = load(o, &d);
    if (!e)
        return 2;
    size_t n = engine_rule_count(e);
    int wid = 2, wcrit = 9;
    for (size_t i = 0; i < n; i++) {
        const rhv_rule_info *r = engine_rule(e, i);
        if ((int)strlen(r->id) > wid)
            wid = (int)strlen(r->id);
        if ((int)strlen(criterion_name(r->crit)) > wcrit)
            wcrit = (int)strlen(criterion_name(r->crit));
    }
    printf("%-*s  %-*s  %-9s  %s\n", wid, "ID", wcrit, "CRITERION", "YEARS", "TITLE (FILE)");
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        const rhv_rule_info *r = engine_rule(e, i);
        rhv_rule_meta m;
        engine_rule_meta(e, i, &m);
        char yrs[32];
        if (r->status == RULE_ERROR) {
            printf("%-*s  %-*s  %-9s  ERROR: see the message above (%s)\n", wid, r->id, wcrit, "-", "-", path_display(r->file));
            rc = 2;
            continue;
        }
        years_text(&m, yrs, sizeof yrs);
        printf("%-*s  %-*s  %-9s  %s (%s)\n", wid, r->id, wcrit, criterion_name(r->crit), yrs, r->title, path_display(r->file));
    }
    return done(e, &d, rc);
}

/* A parameter value as Lua text. */
static void print_pvalue(const rhv_pvalue *v)
{
    switch (v->kind) {
    case PV_INT: printf("%lld", (long long)v->i); return;
    case PV_BOOL: printf("%s", v->i ? "true" : "false"); return;
    case PV_STR: printf("\"%s\"", v->s); return;
    case PV_TABLE: break;
    }
    printf("{ ");
    for (size_t i = 0; i < v->n; i++) {
        if (i)
            printf(", ");
        if (v->entries[i].key.kind == PV_STR)
            printf("%s = ", v->entries[i].key.s);
        else
            printf("[%lld] = ", (long long)v->entries[i].key.i);
        print_pvalue(&v->entries[i].val);
    }
    printf(" }");
}

static void print_period(const rhv_param_period *p)
{
    if (p->open)
        printf("      %d-     ", p->from);
    else
        printf("      %d-%d", p->from, p->to);
    printf(": ");
    print_pvalue(&p->value);
    printf("\n        source: %s; status: %s\n", p->source, p->status);
}

/* The parameter tables rule meta m uses, each with its periods (only the one
 * for --year when given); 2 when one does not load or has no such period. */
static int show_params(const opts *o, const rhv_rule_meta *m, rhv_diag *d)
{
    int rc = 0;
    for (size_t k = 0; k < m->nparams; k++) {
        rhv_param_table *t = params_load_named(o->params_dir, m->params[k], d, NULL);
        if (!t) {
            rc = 2;
            continue;
        }
        printf("  param %s (%s, %s): %s\n", t->name, t->unit, path_display(t->file), t->description);
        if (o->fiscal_year) {
            char *err = NULL;
            const rhv_param_period *p = params_resolve(t, o->fiscal_year, &err);
            if (p) {
                print_period(p);
            } else {
                printf("      %s\n", err);
                rc = 2;
            }
            free(err);
        } else {
            for (size_t q = 0; q < t->n; q++)
                print_period(&t->periods[q]);
        }
        params_free(t);
    }
    return rc;
}

static int cmd_show(const opts *o)
{
    rhv_diag d;
    rhv_engine *e = load(o, &d);
    if (!e)
        return 2;
    size_t i = 0, n = engine_rule_count(e);
    while (i < n && strcmp(engine_rule(e, i)->id, o->id) != 0)
        i++;
    if (i == n) {
        fprintf(stderr, "rhv rules show: no rule with id '%s' in %s\n", o->id, o->rules_dir);
        return done(e, &d, 2);
    }
    const rhv_rule_info *r = engine_rule(e, i);
    if (r->status == RULE_ERROR) {
        fprintf(stderr, "rhv rules show: %s does not load:\n%s\n", o->id, r->message);
        return done(e, &d, 2);
    }
    rhv_rule_meta m;
    engine_rule_meta(e, i, &m);
    char yrs[32];
    years_text(&m, yrs, sizeof yrs);
    printf("%s: %s\n", r->id, r->title);
    printf("  criterion:   %s\n", criterion_name(r->crit));
    printf("  years:       %s\n", yrs);
    printf("  file:        %s\n", path_display(r->file));
    printf("  sha256:      %s\n", r->sha256);
    printf("  legal basis: %s\n               %s\n", m.legal_text, m.legal_source);
    printf("  reads:      ");
    for (size_t k = 0; k < m.nreads; k++)
        printf(" %s", m.reads[k]);
    printf("\n");
    if (m.nrequires) {
        printf("  requires:   ");
        for (size_t k = 0; k < m.nrequires; k++)
            printf(" %s", m.requires[k]);
        printf("\n");
    }
    if (m.nargs) {
        printf("  args:       ");
        for (size_t k = 0; k < m.nargs; k++) {
            char buf[512];
            engine_rule_arg(e, i, k, buf, sizeof buf);
            printf(" %s", buf);
        }
        printf("\n");
    }
    int rc = show_params(o, &m, &d);
    if (m.description) {
        printf("\n");
        const char *p = m.description;
        while (*p == '\n')
            p++;
        while (*p) {
            const char *nl = strchr(p, '\n');
            size_t len = nl ? (size_t)(nl - p) : strlen(p);
            printf("  %.*s\n", (int)len, p);
            p += len;
            if (nl)
                p++;
        }
    }
    return done(e, &d, rc);
}

static const char rule_template[] =
    "-- %s: TODO one line on what this rule checks.\n"
    "-- Written by `rhv rules new` as a worked example (lasten boven de begroting per\n"
    "-- programma). Replace the metadata, the handler and the cases in %s_test.lua,\n"
    "-- then run `rhv test %s`. Reference: docs/rule-api.md; walk-through:\n"
    "-- docs/writing-rules.md.\n"
    "local rule = {\n"
    "  id = \"%s\",\n"
    "  title = \"TODO korte titel\",\n"
    "  description = [[TODO: what the rule checks and why, with the calculation.]],\n"
    "  criterion = \"begrotingscriterium\",\n"
    "  legal_basis = { text = \"TODO artikel\", source = \"TODO https://wetten.overheid.nl/...\" },\n"
    "  years = { from = 2023 },\n"
    "  reads = { \"programma\" },\n"
    "  args = { drempel = 0 }, -- cents; override with --rule-arg %s.drempel=N\n"
    "}\n"
    "\n"
    "-- One call per programma record. The table r is reused for the next record:\n"
    "-- copy what you keep.\n"
    "function rule.on_programma(r, ctx)\n"
    "  local over = r.lasten_realisatie - r.lasten_begroot\n"
    "  if over > ctx.args.drempel then\n"
    "    rhv.finding{\n"
    "      kind = \"fout\",\n"
    "      amount = over,\n"
    "      subject = \"Programma \" .. r.code .. \" \" .. r.naam,\n"
    "      message = \"Lasten \" .. rhv.format(over) .. \" boven de begroting na wijziging.\",\n"
    "      toelichting = \"realisatie \" .. rhv.format(r.lasten_realisatie) .. \" - begroot \"\n"
    "        .. rhv.format(r.lasten_begroot),\n"
    "      evidence = { rhv.evidence(r, \"programma \" .. r.code) },\n"
    "    }\n"
    "  end\n"
    "end\n"
    "\n"
    "return rule\n";

static const char test_template[] =
    "-- Cases for %s (docs/rule-api.md, Tests). Run: rhv test %s\n"
    "-- Each rule needs at least one case of each class: pass, fail, boundary.\n"
    "local function programma(code, begroot, realisatie)\n"
    "  return { _type = \"programma\", code = code, naam = \"Werk\",\n"
    "           lasten_primitief = begroot, lasten_begroot = begroot, lasten_realisatie = realisatie,\n"
    "           baten_primitief = 0, baten_begroot = 0, baten_realisatie = 0 }\n"
    "end\n"
    "\n"
    "return {\n"
    "  { name = \"binnen_begroting\", class = \"pass\",\n"
    "    records = { programma(\"1\", 100000, 99999) },\n"
    "    expect = {} },\n"
    "  { name = \"overschrijding\", class = \"fail\",\n"
    "    records = { programma(\"1\", 100000, 100001), programma(\"2\", 500, 400) },\n"
    "    expect = { { kind = \"fout\", subject = \"Programma 1 Werk\", amount = 1 } } },\n"
    "  { name = \"precies_begroot\", class = \"boundary\",\n"
    "    records = { programma(\"1\", 100000, 100000) },\n"
    "    expect = {} },\n"
    "}\n";

static int write_new(const char *path, const char *fmt, const char *id)
{
    FILE *f = fopen(path, "wx");
    if (!f) {
        fprintf(stderr, "rhv rules new: %s: %s\n", path,
                errno == EEXIST ? "exists already (not overwritten)" : strerror(errno));
        return -1;
    }
    int bad = fprintf(f, fmt, id, id, id, id, id) < 0;
    bad |= fclose(f) != 0;
    if (bad) {
        fprintf(stderr, "rhv rules new: cannot write %s\n", path);
        remove(path);
        return -1;
    }
    return 0;
}

static int cmd_new(const opts *o)
{
    if (!engine_valid_rule_id(o->id)) {
        fprintf(stderr, "rhv rules new: '%s' is not a rule id (lowercase, dotted: ^[a-z][a-z0-9_]*(\\.[a-z0-9_]+)*$)\n",
                o->id);
        return 2;
    }
    char rp[4096], tp[4096];
    snprintf(rp, sizeof rp, "%s/%s.lua", o->rules_dir, o->id);
    snprintf(tp, sizeof tp, "%s/%s_test.lua", o->rules_dir, o->id);
    FILE *probe = fopen(tp, "r");
    if (probe) {
        fclose(probe);
        fprintf(stderr, "rhv rules new: %s: exists already (not overwritten)\n", tp);
        return 2;
    }
    if (write_new(rp, rule_template, o->id) != 0)
        return 2;
    if (write_new(tp, test_template, o->id) != 0) {
        remove(rp);
        return 2;
    }
    printf("wrote %s\nwrote %s\nnext: edit both, then run: rhv test --rules-dir %s %s\n", rp, tp, o->rules_dir,
           o->id);
    return 0;
}

int cmd_rules(int argc, char **argv)
{
    char rb[4096], pb[4096], gb[4096];
    opts o = {rhv_path(rb, sizeof rb, "rules"), rhv_path(pb, sizeof pb, "params"),
              rhv_path(gb, sizeof gb, "plugins"), 0, NULL, NULL};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if ((strcmp(a, "--rules-dir") == 0 || strcmp(a, "-d") == 0) && i + 1 < argc) {
            o.rules_dir = argv[++i];
        } else if (strcmp(a, "--params-dir") == 0 && i + 1 < argc) {
            o.params_dir = argv[++i];
        } else if (strcmp(a, "--year") == 0 && i + 1 < argc) {
            char *end;
            long y = strtol(argv[++i], &end, 10);
            if (*end || y < 1900 || y > 2999) {
                fprintf(stderr, "rhv rules: --year '%s' is not a year\n", argv[i]);
                return 2;
            }
            o.fiscal_year = (int)y;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (a[0] == '-') {
            fprintf(stderr, "rhv rules: unknown option '%s'\n", a);
            usage(stderr);
            return 2;
        } else if (!o.sub) {
            o.sub = a;
        } else if (!o.id) {
            o.id = a;
        } else {
            fprintf(stderr, "rhv rules: unexpected argument '%s'\n", a);
            usage(stderr);
            return 2;
        }
    }
    if (o.sub && strcmp(o.sub, "list") == 0 && !o.id)
        return cmd_list(&o);
    if (o.sub && strcmp(o.sub, "show") == 0 && o.id)
        return cmd_show(&o);
    if (o.sub && strcmp(o.sub, "new") == 0 && o.id)
        return cmd_new(&o);
    usage(stderr);
    return 2;
}
