/* cmd_check_plan.c - step 1 of `rhv check` (cmd_check.h): the rules, the
 * inputs and the fiscal year, all known before the first record is read.
 *
 * Rules load first, so a broken rule is known before any input is read. The
 * dossier is read once quietly to learn its fiscal year, its ledgers and its
 * beoordelingen file (an input to hash like the others):
 * rules must know the fiscal year (and which sources exist) before the first
 * record reaches them. The dossier is small; the second pass (the stream)
 * reports its problems.
 */
#include "cmd_check.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "paths.h"
#include "xml_stream.h"

enum input_kind { IN_UNKNOWN, IN_DOSSIER, IN_LEDGER };

/* Sniff the root element: rhv dossier or auditfile. Cheap and independent of extension. */
static enum input_kind sniff(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return IN_UNKNOWN;
    char buf[4097];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    if (n >= 4 && memcmp(buf, "PK\3\4", 4) == 0)
        return IN_DOSSIER; /* a zip: the dossier as a workbook (docs/workbook.md) */
    for (size_t i = 0; i < n; i++)
        if (buf[i] == '\0')
            buf[i] = ' ';
    if (strstr(buf, "urn:rhv:dossier") || strstr(buf, "<dossier"))
        return IN_DOSSIER;
    if (strstr(buf, "auditfile") || strstr(buf, "Auditfile"))
        return IN_LEDGER;
    return IN_UNKNOWN;
}

static void not_an_input(const char *path, rhv_diag *d)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        diag_error(d, path, 0, "cannot open: %s", strerror(errno));
        return;
    }
    fclose(f);
    const char *enc = xml_file_encoding_unsupported(path); /* UTF-16 hides the root from the sniff */
    if (enc)
        diag_error(d, path, 0, "%s", enc);
    else
        diag_error(d, path, 0, "neither an rhv dossier (urn:rhv:dossier:1) nor an XML Auditfile");
}

/* Sort the command-line files into one dossier and any number of ledgers. */
static int classify_inputs(check_plan *p, char **paths, int n, rhv_diag *d)
{
    int bad = 0;
    for (int i = 0; i < n; i++) {
        enum input_kind k = sniff(paths[i]);
        if (k == IN_DOSSIER && p->dossier) {
            diag_error(d, paths[i], 0, "only one dossier per run (already have %s)", p->dossier);
            bad = 1;
        } else if (k == IN_DOSSIER) {
            p->dossier = paths[i];
        } else if (k == IN_LEDGER && p->nledgers == CHECK_MAX_LEDGERS) {
            diag_error(d, paths[i], 0, "too many ledgers (max %d)", CHECK_MAX_LEDGERS);
            bad = 1;
        } else if (k == IN_LEDGER) {
            p->ledgers[p->nledgers++] = paths[i];
        } else {
            not_an_input(paths[i], d);
            bad = 1;
        }
    }
    return bad ? -1 : 0;
}

/* The bundled rules and those of --rules-dir, then --rules and --rule-arg. */
static int plan_rules(rhv_engine *eng, const check_opts *o)
{
    char rules[4096];
    int bad = 0;
    if (o->default_rules)
        engine_load_dir(eng, rhv_path(rules, sizeof rules, "rules"));
    for (int i = 0; i < o->ndirs; i++)
        engine_load_dir(eng, o->rule_dirs[i]);
    if (o->select && engine_select(eng, o->select) != 0)
        bad = 1;
    return bad ? -1 : 0;
}

/* --rule-arg, after the dossier's <regelargument>s: the command line wins. */
static int plan_rule_args(rhv_engine *eng, const check_opts *o)
{
    int bad = 0;
    for (int i = 0; i < o->nargs; i++)
        if (engine_set_rule_arg(eng, o->rule_args[i]) != 0)
            bad = 1;
    return bad ? -1 : 0;
}

/* Note an input; its sha256 is computed later, by its parse or check_hash_rest. */
static int add_input(check_plan *p, const char *path, const char *kind, check_role role, rhv_diag *d)
{
    rhv_input *ni = realloc(p->inputs, (p->ninputs + 1) * sizeof *ni);
    if (!ni) {
        diag_error(d, path, 0, "out of memory");
        return -1;
    }
    p->inputs = ni;
    check_role *nr = realloc(p->roles, (p->ninputs + 1) * sizeof *nr);
    if (!nr) {
        diag_error(d, path, 0, "out of memory");
        return -1;
    }
    p->roles = nr;
    nr[p->ninputs] = role;
    rhv_input *in = &ni[p->ninputs];
    memset(in, 0, sizeof *in);
    in->path = strdup(path);
    in->kind = kind;
    if (!in->path) {
        diag_error(d, path, 0, "out of memory");
        return -1;
    }
    p->ninputs++;
    return 0;
}

/* The quiet first pass over the dossier: its fiscal year, its ledgers and
 * its beoordelingen file.
 * Its diagnostics are dropped; the stream reports them. */
static void probe_dossier(check_plan *p, rhv_engine *eng, rhv_diag *d)
{
    rhv_diag quiet;
    diag_init(&quiet, NULL);
    rhv_dossier probe;
    memset(&probe, 0, sizeof probe);
    dossier_read(p->dossier, &probe, NULL, NULL, &quiet);
    diag_free(&quiet);
    p->beoordelingen = probe.beoordelingen; /* the plan's now */
    probe.beoordelingen = NULL;
    p->sources = SRC_DOSSIER | ((probe.nledgers || p->nledgers) ? SRC_LEDGER : 0);
    p->fiscal_year = probe.fiscal_year;
    add_input(p, p->dossier, "dossier", CHECK_ROLE_FREE, d);
    /* Registers are read with the dossier, so they come next. */
    for (size_t i = 0; i < probe.nregisters; i++)
        add_input(p, probe.registers[i].path, "register", CHECK_ROLE_FREE, d);
    for (size_t i = 0; i < probe.nledgers; i++)
        add_input(p, probe.ledgers[i], "ledger", probe.ledger_extract[i] ? CHECK_ROLE_EXTRACT : CHECK_ROLE_WHOLE,
                  d);
    /* The organisation's rule arguments, known before the rules start. A bad
     * one is an error of the dossier (a report, exit 2), not of the usage. */
    for (size_t i = 0; i < probe.nrule_args; i++)
        engine_set_rule_arg_at(eng, probe.rule_args[i],
                               probe.rule_arg_file[i] ? probe.rule_arg_file[i] : p->dossier, probe.rule_arg_line[i]);
    dossier_free(&probe);
}

void check_plan_make(check_plan *p, const check_opts *o, rhv_engine *eng, rhv_diag *d)
{
    memset(p, 0, sizeof *p);
    if (plan_rules(eng, o) != 0)
        p->usage_err = true;
    if (classify_inputs(p, o->files, o->nfiles, d) != 0)
        p->usage_err = true;
    if (!p->usage_err && p->dossier)
        probe_dossier(p, eng, d);
    else if (!p->usage_err)
        p->sources = SRC_LEDGER;
    if (plan_rule_args(eng, o) != 0)
        p->usage_err = true;
    if (p->usage_err)
        return;
    for (size_t i = 0; i < p->nledgers; i++)
        add_input(p, p->ledgers[i], "ledger", CHECK_ROLE_FREE, d);
    check_plan_same_inputs(p, d);
}

int check_plan_add_input(check_plan *p, const char *path, const char *kind, rhv_diag *d)
{
    return add_input(p, path, kind, CHECK_ROLE_FREE, d);
}

void check_plan_free(check_plan *p)
{
    free(p->beoordelingen);
    p->beoordelingen = NULL;
    for (size_t i = 0; i < p->ninputs; i++)
        free(p->inputs[i].path);
    free(p->inputs);
    free(p->roles);
    p->inputs = NULL;
    p->roles = NULL;
    p->ninputs = 0;
}

void check_hash_rest(check_plan *p, rhv_diag *d)
{
    for (size_t i = 0; i < p->ninputs; i++) {
        rhv_input *in = &p->inputs[i];
        if (in->sha256[0])
            continue; /* hashed by its parse or by check_plan_same_inputs */
        errno = 0;
        if (sha256_file(in->path, in->sha256) != 0) {
            int err = errno ? errno : EIO;
            snprintf(in->sha256, sizeof in->sha256, "unreadable");
            diag_error(d, in->path, 0, "cannot read it to hash it: %s", strerror(err));
        }
    }
}
