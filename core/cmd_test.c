/* cmd_test.c - `rhv test [--rules-dir DIR] [--params-dir DIR] [RULE...]`:
 * runs the cases in rules/<id>_test.lua (docs/rule-api.md, "Tests").
 *
 * The test file is read by test_suite.c (test_suite.h); this file runs it.
 * Each case runs in a fresh engine with only its rule loaded, so no state
 * carries over between cases. Findings are compared as a multiset on kind,
 * subject and amount (and counts when the case says so), never on message
 * text.
 *
 * Output: one line per case "id.case: PASS|FAIL" (failures followed by
 * indented detail), problems with a rule as a whole as "id: FAIL", and a last
 * line "N passed, N failed". Exit 0 when nothing failed, 1 otherwise, 2 on a
 * usage error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "engine.h"
#include "paths.h"
#include "test_suite.h"

/* ---- running -------------------------------------------------------------- */

typedef struct {
    const char *rules_dir, *params_dir, *plugins_dir;
    int passed, failed;
} runner;

static void print_indented(const char *text, const char *indent)
{
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        printf("%s%.*s\n", indent, (int)n, p);
        p += n;
        if (nl)
            p++;
    }
}

static void fail_line(runner *R, const char *what, const char *detail)
{
    printf("%s: FAIL\n", what);
    if (detail)
        print_indented(detail, "    ");
    R->failed++;
}

static void print_expect(const expect_t *x, const char *mark)
{
    printf("      %s%s \"%s\" %lld", mark, finding_kind_name(x->kind), x->subject ? x->subject : "",
           (long long)x->amount);
    if (x->counts >= 0)
        printf(" counts=%s", x->counts ? "true" : "false");
    printf("\n");
}

static void print_got(const rhv_finding *f, const char *mark)
{
    printf("      %s%s \"%s\" %lld%s\n", mark, finding_kind_name(f->kind), f->subject, (long long)f->amount,
           f->counts || f->kind == KIND_SIGNALERING ? "" : " counts=false"); /* a signalering never counts */
}

static bool matches(const expect_t *x, const rhv_finding *f)
{
    return x->kind == f->kind && strcmp(x->subject, f->subject) == 0 && x->amount == f->amount &&
           (x->counts < 0 || (x->counts != 0) == f->counts);
}

static const char *last_diag(const rhv_diag *d)
{
    return d->n ? d->msgs[d->n - 1].message : "see the messages above";
}

static void run_case(runner *R, const char *rule_file, const char *id, case_t *c)
{
    char label[512];
    snprintf(label, sizeof label, "%s.%s", id, c->name);
    if (c->error) {
        fail_line(R, label, c->error);
        return;
    }
    rhv_diag d;
    diag_init(&d, NULL);
    rhv_engine_opts o = {.plugins_dir = R->plugins_dir, .params_dir = R->params_dir, .diag = &d};
    rhv_engine *e = engine_new(&o);
    char msg[2048];
    if (!e) {
        fail_line(R, label, d.n ? last_diag(&d) : "out of memory");
        diag_free(&d);
        return;
    }
    if (engine_load_file(e, rule_file) != 0) {
        fail_line(R, label, engine_rule(e, 0) && engine_rule(e, 0)->message ? engine_rule(e, 0)->message
                                                                             : last_diag(&d));
        goto out;
    }
    for (size_t i = 0; i < c->nargs; i++) {
        snprintf(msg, sizeof msg, "%s.%s", id, c->args[i]);
        if (engine_set_rule_arg_cents(e, msg) != 0) {
            snprintf(msg, sizeof msg, "args: %s", last_diag(&d));
            fail_line(R, label, msg);
            goto out;
        }
    }
    for (size_t i = 0; i < c->nparams; i++)
        if (engine_set_param_value(e, c->pnames[i], &c->pvals[i]) != 0) {
            fail_line(R, label, "out of memory");
            goto out;
        }
    engine_start(e, c->fiscal_year, SRC_DOSSIER | SRC_LEDGER);
    const rhv_rule_info *info = engine_rule(e, 0);
    if (info->status == RULE_ERROR) {
        fail_line(R, label, info->message);
        goto out;
    }
    for (size_t i = 0; i < c->nrecs; i++) {
        rhv_record rec = {c->recs[i].type, c->recs[i].file, c->recs[i].line, c->recs[i].v};
        engine_dispatch(e, &rec);
    }
    engine_finish(e);
    info = engine_rule(e, 0);
    if (info->status == RULE_ERROR) {
        fail_line(R, label, info->message);
        goto out;
    }
    /* A skipped rule (year outside its years) emits nothing: compared as such. */
    size_t nf = engine_finding_count(e);
    bool *used = calloc(nf + 1, sizeof *used);
    bool *hit = calloc(c->nexp + 1, sizeof *hit);
    if (!used || !hit) {
        free(used);
        free(hit);
        fail_line(R, label, "out of memory");
        goto out;
    }
    size_t missing = 0;
    for (size_t i = 0; i < c->nexp; i++) {
        for (size_t j = 0; j < nf && !hit[i]; j++)
            if (!used[j] && matches(&c->exp[i], engine_finding(e, j)))
                used[j] = hit[i] = true;
        if (!hit[i])
            missing++;
    }
    size_t extra = 0;
    for (size_t j = 0; j < nf; j++)
        if (!used[j])
            extra++;
    if (missing == 0 && extra == 0) {
        printf("%s: PASS\n", label);
        R->passed++;
    } else {
        printf("%s: FAIL\n", label);
        R->failed++;
        if (info->status == RULE_SKIPPED)
            printf("    rule skipped: %s\n", info->message);
        printf("    expected (%zu):\n", c->nexp);
        for (size_t i = 0; i < c->nexp; i++)
            print_expect(&c->exp[i], hit[i] ? "  " : "- ");
        printf("    got (%zu):\n", nf);
        for (size_t j = 0; j < nf; j++)
            print_got(engine_finding(e, j), used[j] ? "  " : "+ ");
        printf("    (- expected but not found, + found but not expected)\n");
    }
    free(used);
    free(hit);
out:
    engine_free(e);
    diag_free(&d);
}

static void run_rule(runner *R, const char *file, const rhv_rule_info *info)
{
    if (info->status == RULE_ERROR) {
        fail_line(R, info->id, info->message);
        return;
    }
    /* rules/<name>.lua -> rules/<name>_test.lua */
    char testfile[4096];
    size_t fl = strlen(file);
    snprintf(testfile, sizeof testfile, "%.*s_test.lua", (int)(fl - 4), file);
    FILE *f = fopen(testfile, "rb");
    if (!f) {
        char msg[4200];
        snprintf(msg, sizeof msg, "no test file %s (docs/rule-api.md, Tests)", testfile);
        fail_line(R, info->id, msg);
        return;
    }
    fclose(f);
    suite_t s = {0};
    char *err = test_suite_load(testfile, R->plugins_dir, &s);
    if (err) {
        fail_line(R, info->id, err);
        free(err);
        test_suite_free(&s);
        return;
    }
    for (size_t i = 0; i < s.n; i++)
        run_case(R, file, info->id, &s.cases[i]);
    static const char *const classes[] = {"pass", "fail", "boundary"};
    for (int k = 0; k < 3; k++) {
        bool have = false;
        for (size_t i = 0; i < s.n; i++)
            if (s.cases[i].cls && strcmp(s.cases[i].cls, classes[k]) == 0)
                have = true;
        if (!have) {
            char msg[4400];
            snprintf(msg, sizeof msg, "no case of class '%s' in %s (each rule needs pass, fail and boundary)",
                     classes[k], strrchr(testfile, '/') ? strrchr(testfile, '/') + 1 : testfile);
            fail_line(R, info->id, msg);
        }
    }
    test_suite_free(&s);
}

static void usage(FILE *out)
{
    fprintf(out, "usage: rhv test [--rules-dir DIR] [--params-dir DIR] [RULE...]\n"
                 "Runs the cases in DIR/<rule>_test.lua; RULE is a rule id or file name.\n");
}

int cmd_test(int argc, char **argv)
{
    char rules_buf[4096], params_buf[4096], plugins_buf[4096];
    runner R = {0};
    R.rules_dir = rhv_path(rules_buf, sizeof rules_buf, "rules");
    R.params_dir = rhv_path(params_buf, sizeof params_buf, "params");
    R.plugins_dir = rhv_path(plugins_buf, sizeof plugins_buf, "plugins");
    char **wanted = calloc((size_t)argc + 1, sizeof *wanted);
    size_t nwanted = 0;
    if (!wanted) {
        fprintf(stderr, "rhv test: out of memory\n");
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--rules-dir") == 0 && i + 1 < argc) {
            R.rules_dir = argv[++i];
        } else if (strcmp(argv[i], "--params-dir") == 0 && i + 1 < argc) {
            R.params_dir = argv[++i];
        } else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            free(wanted);
            return 0;
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "rhv test: unknown option '%s'\n", argv[i]);
            usage(stderr);
            free(wanted);
            return 2;
        } else {
            wanted[nwanted++] = argv[i];
        }
    }

    /* Load every rule once to learn its id (and its load errors). */
    rhv_diag d;
    diag_init(&d, NULL);
    rhv_engine_opts o = {.plugins_dir = R.plugins_dir, .params_dir = R.params_dir, .diag = &d};
    rhv_engine *all = engine_new(&o);
    if (!all) {
        fprintf(stderr, "rhv test: %s\n", d.n ? d.msgs[0].message : "out of memory");
        diag_free(&d);
        free(wanted);
        return 2;
    }
    if (engine_load_dir(all, R.rules_dir) != 0 && engine_rule_count(all) == 0 && d.n &&
        strstr(d.msgs[0].message, "cannot open")) {
        fprintf(stderr, "rhv test: %s: %s\n", R.rules_dir, d.msgs[0].message);
        engine_free(all);
        diag_free(&d);
        free(wanted);
        return 2;
    }
    bool *seen = calloc(nwanted + 1, sizeof *seen);
    if (!seen) {
        engine_free(all);
        diag_free(&d);
        free(wanted);
        return 2;
    }
    for (size_t i = 0; i < engine_rule_count(all); i++) {
        const rhv_rule_info *info = engine_rule(all, i);
        const char *base = strrchr(info->file, '/') ? strrchr(info->file, '/') + 1 : info->file;
        bool take = nwanted == 0;
        for (size_t w = 0; w < nwanted; w++) {
            size_t wl = strlen(wanted[w]);
            if (strcmp(wanted[w], info->id) == 0 || strcmp(wanted[w], base) == 0 ||
                (strncmp(wanted[w], base, wl) == 0 && strcmp(base + wl, ".lua") == 0)) {
                take = true;
                seen[w] = true;
            }
        }
        if (take)
            run_rule(&R, info->file, info);
    }
    for (size_t w = 0; w < nwanted; w++)
        if (!seen[w]) {
            char msg[4200];
            snprintf(msg, sizeof msg, "no such rule in %s", R.rules_dir);
            fail_line(&R, wanted[w], msg);
        }
    printf("%d passed, %d failed\n", R.passed, R.failed);
    fflush(stdout);
    free(seen);
    free(wanted);
    engine_free(all);
    diag_free(&d);
    return R.failed ? 1 : 0;
}
