/* cmd_check.c - `rhv check`: from input files to report, in named steps.
 *
 * The steps and their order are in cmd_check.h: plan (cmd_check_plan.c),
 * start and stream (cmd_check_stream.c), then judge and report here. This
 * file also reads the command line.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd_check.h"
#include "cmd_check_handled.h"
#include "commands.h"
#include "paths.h"
#include "report_build.h"
#include "report_provenance.h"
#include "report_scope.h"
#include "rhv_config.h"
#include "value.h"

static void check_usage(FILE *out)
{
    fputs("Usage: rhv check [OPTIONS] FILE...\n"
          "\n"
          "Check a dossier (rhv's XML format, docs/dossier.md) and/or XML Auditfile Financieel\n"
          "ledgers (XAF 3.1/3.2) and write the rechtmatigheidsverantwoording report.\n"
          "A dossier may name its own ledgers; a ledger given alone is checked with the\n"
          "ledger rules only (organisation and year from its header).\n"
          "\n"
          "Options:\n"
          "  -f, --format FMT       text (default), json, html, xlsx or csv: the format for\n"
          "                         stdout, and for a single -o FILE whatever its extension\n"
          "  -o, --output FILE      write the report to FILE atomically (default: stdout);\n"
          "                         repeatable: each FILE in the format of its extension\n"
          "                         (.txt .json .html .xlsx .csv)\n"
          "  -r, --rules EXPR       select rules: ids, globs (begroting.*), criteria, and/or/not\n"
          "  -a, --rule-arg ID.KEY=VALUE  override a rule argument (repeatable; shown in the report)\n"
          "  -d, --rules-dir DIR    also load the rules in DIR (repeatable)\n"
          "      --no-default-rules do not load the bundled rules\n"
          "      --mem-limit MIB    memory cap per rule in MiB (default 64)\n"
          "  -q, --quiet            do not print diagnostics on stderr (they stay in the report)\n"
          "      --threads N        threads that run the rules, the reading thread included\n"
          "                         (default: number of CPUs, at most 8; 0: all in the reading\n"
          "                         thread); findings and totals are the same for every N, the\n"
          "                         report records N only as given\n"
          "      --read-ahead N     ledgers of a year of their own parsed ahead on threads of\n"
          "                         their own, N at a time (default: the CPUs the rules leave\n"
          "                         free; none with --threads 0); the report is the same\n"
          "      --als SCENARIO     what-if: add the scenario's afwijkingen, count its onzekerheden\n"
          "                         as fouten; the report is marked as a scenario (docs/handled.md)\n"
          "      --vorige REPORT    compare with an earlier JSON report: each finding nieuw,\n"
          "                         ongewijzigd, gewijzigd or vervallen, and the totals' change\n"
          "      --peildatum DATE   judge a beoordeling's geldig_tot against DATE (YYYY-MM-DD;\n"
          "                         default: today)\n"
          "  -h, --help             show this help\n"
          "\n"
          "Exit codes: 0 report made, within the verantwoordingsgrens; 1 report made, grens\n"
          "exceeded; 2 input or rule errors (the report, if made, lists them). With --als the\n"
          "codes judge the scenario.\n",
          out);
}

/* A whole number from lo to hi, or -1. */
static long opt_number(const char *s, long lo, long hi)
{
    char *end;
    long v = strtol(s, &end, 10);
    return *end || v < lo || v > hi ? -1 : v;
}

/* Room for one more value of a repeatable option that holds at most max?
 * Says so on stderr when not, with the limit from the one place it is set. */
static bool room_for(int n, int max, const char *opt)
{
    if (n < max)
        return true;
    fprintf(stderr, "rhv check: too many %s (max %d)\n", opt, max);
    return false;
}

/* One option into o. -1 to go on, else the exit code. */
static int take_option(int c, check_opts *o, const char **format)
{
    long v;
    switch (c) {
    case 'f': *format = optarg; break;
    case 'o':
        if (!room_for(o->noutputs, CHECK_MAX_OUTPUTS, "--output"))
            return 2;
        o->outputs[o->noutputs++].path = optarg;
        break;
    case 'r': o->select = optarg; break;
    case 'a':
        if (!room_for(o->nargs, CHECK_MAX_RULE_ARGS, "--rule-arg"))
            return 2;
        o->rule_args[o->nargs++] = optarg;
        break;
    case 'd':
        if (!room_for(o->ndirs, CHECK_MAX_RULE_DIRS, "--rules-dir"))
            return 2;
        o->rule_dirs[o->ndirs++] = optarg;
        break;
    case 'N': o->default_rules = false; break;
    case 'M':
        if ((v = opt_number(optarg, 1, 4096)) < 0) {
            fprintf(stderr, "rhv check: --mem-limit takes MiB from 1 to 4096, not '%s'\n", optarg);
            return 2;
        }
        o->mem_limit = (size_t)v << 20;
        break;
    case 'q': o->quiet = true; break;
    case 'T':
        if ((v = opt_number(optarg, 0, 64)) < 0) {
            fprintf(stderr, "rhv check: --threads takes 0 to 64, not '%s'\n", optarg);
            return 2;
        }
        o->threads = (int)v;
        o->threads_given = true;
        break;
    case 'R':
        if ((v = opt_number(optarg, 0, 64)) < 0) {
            fprintf(stderr, "rhv check: --read-ahead takes 0 to 64, not '%s'\n", optarg);
            return 2;
        }
        o->readers = (int)v;
        break;
    case 'S': o->als = optarg; break;
    case 'V': o->vorige = optarg; break;
    case 'P':
        if (value_parse_date(optarg, strlen(optarg)) != VALUE_OK) {
            fprintf(stderr, "rhv check: --peildatum takes a date YYYY-MM-DD, not '%s'\n", optarg);
            return 2;
        }
        o->peildatum = optarg;
        break;
    case 'h': check_usage(stdout); return 0;
    default: check_usage(stderr); return 2;
    }
    return -1;
}

/* The format of each output: a single -o takes -f when given (as it always
 * did), else its extension, else text; of several, each takes its extension,
 * and -f serves the ones without (and stdout, "-"). -1 to go on, else the
 * exit code. */
static int choose_formats(check_opts *o, const char *format)
{
    const report_format *f = NULL;
    if (format && !(f = report_format_named(format))) {
        fprintf(stderr, "rhv check: unknown format '%s' (%s)\n", format, report_format_names());
        return 2;
    }
    if (o->noutputs == 0)
        o->outputs[o->noutputs++].path = NULL;
    for (int i = 0; i < o->noutputs; i++) {
        check_output *out = &o->outputs[i];
        if (out->path && strcmp(out->path, "-") == 0)
            out->path = NULL;
        const report_format *by_ext = report_format_of_path(out->path);
        if (f && (o->noutputs == 1 || !by_ext))
            out->format = f;
        else if (by_ext)
            out->format = by_ext;
        else if (o->noutputs == 1 || !out->path)
            out->format = report_format_named("text");
        else {
            fprintf(stderr,
                    "rhv check: cannot tell the format of '%s' from its extension "
                    "(.txt .json .html .xlsx .csv); give one, or --format for it\n",
                    out->path);
            return 2;
        }
        if (!out->path && out->format->binary) {
            fprintf(stderr,
                    "rhv check: an %s workbook is not written to stdout; write it to a file: "
                    "-o FILE.%s\n",
                    out->format->name, out->format->name);
            return 2;
        }
        for (int j = 0; j < i; j++) {
            const char *p = o->outputs[j].path;
            if ((!p && !out->path) || (p && out->path && strcmp(p, out->path) == 0)) {
                fprintf(stderr, "rhv check: '%s' is given twice as output\n", p ? p : "-");
                return 2;
            }
        }
    }
    return -1;
}

/* The command line into o. -1 to go on, else the exit code. */
static int parse_options(int argc, char **argv, check_opts *o)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {"rules", required_argument, NULL, 'r'},
        {"rule-arg", required_argument, NULL, 'a'},
        {"rules-dir", required_argument, NULL, 'd'},
        {"no-default-rules", no_argument, NULL, 'N'},
        {"mem-limit", required_argument, NULL, 'M'},
        {"quiet", no_argument, NULL, 'q'},
        {"threads", required_argument, NULL, 'T'},
        {"read-ahead", required_argument, NULL, 'R'},
        {"als", required_argument, NULL, 'S'},
        {"vorige", required_argument, NULL, 'V'},
        {"peildatum", required_argument, NULL, 'P'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    memset(o, 0, sizeof *o);
    o->default_rules = true;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    o->threads = ncpu > 1 ? (int)(ncpu > 8 ? 8 : ncpu) : 0;
    o->readers = -1;
    const char *format = NULL;
    int c, rc;
    optind = 1;
    while ((c = getopt_long(argc, argv, "f:o:r:a:d:qh", opts, NULL)) != -1)
        if ((rc = take_option(c, o, &format)) >= 0)
            return rc;
    if ((rc = choose_formats(o, format)) >= 0)
        return rc;
    if (optind >= argc) {
        fputs("rhv check: no input file given\n", stderr);
        check_usage(stderr);
        return 2;
    }
    /* The format in effect, for the provenance: of the only output, or the first. */
    o->format = o->outputs[0].format->name;
    o->files = argv + optind;
    o->nfiles = argc - optind;
    return -1;
}

/* Ledgers parsed ahead on threads of their own (cmd_check_stream.c): as
 * --read-ahead says, else as many as there are CPUs the rules leave free.
 * With N threads the engine keeps max(N, 2) busy (its workers and the
 * reading thread, which runs rule work when they fall behind), so on two
 * CPUs none: a reader there competes with the rules and made four years
 * slower (bench/README.md, issue 12). None with --threads 0: rules that run
 * inside the reading thread report their errors as they happen, which a
 * ledger read ahead would put before the reader's own messages. */
static int read_ahead(const check_opts *o)
{
    if (o->threads == 0)
        return 0;
    if (o->readers >= 0)
        return o->readers;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    long busy = o->threads > 2 ? o->threads : 2;
    return ncpu > busy ? (int)(ncpu - busy) : 0;
}

static rhv_engine *new_engine(const check_opts *o, rhv_diag *d)
{
    char plugins[4096], params[4096];
    rhv_engine_opts eo = {
        .mem_limit = o->mem_limit,
        .plugins_dir = rhv_path(plugins, sizeof plugins, "plugins"),
        .params_dir = rhv_path(params, sizeof params, "params"),
        .diag = d,
        /* Rules run on worker threads while this thread parses: on two cores the
         * parse and the rules overlap (bench/README.md). */
        .threads = o->threads,
    };
    return engine_new(&eo);
}

/* 4. judge: the verdict, for a dossier that was read without errors: the
 * basis it chose (realisatie or begroting), its grenzen, the engine's findings. */
typedef struct {
    bool have;
    verdict_input in;
    verdict_result res;
} check_verdict;

/* The deciding headroom: the smaller one when gescheiden (as headroom_cents in the JSON). */
static rhv_cents deciding_ruimte(const verdict_input *in, const verdict_result *r)
{
    if (!in->gescheiden)
        return r->ruimte;
    return r->ruimte_fouten < r->ruimte_onzekerheden ? r->ruimte_fouten : r->ruimte_onzekerheden;
}

/* With --als: the verdict without the scenario, for the ruimte it changes. */
static void judge_scenario(check_verdict *v, check_handled *h)
{
    verdict_result base;
    if (!v->have || !h->have_sc || verdict_compute(&v->in, h->base, h->nbase, &base, NULL) != 0)
        return;
    h->sci.have_ruimte = true;
    h->sci.ruimte = deciding_ruimte(&v->in, &v->res);
    h->sci.boven = v->res.boven;
    h->sci.ruimte_zonder = deciding_ruimte(&v->in, &base);
    h->sci.boven_zonder = base.boven;
}

static void judge_dossier(check_verdict *v, const check_run *run, const check_handled *h)
{
    const rhv_dossier *ds = &run->ds;
    rhv_diag *d = run->diag;
    verdict_input *vi = &v->in;
    if (!verdict_basis_total(&run->basis, ds->basis_begroting, &vi->basis)) {
        diag_error(d, ds->path, 0, "totale lasten overflow");
        return;
    }
    vi->grens_bp = ds->grens_bp;
    vi->fouten_bp = ds->grens_fouten_bp;
    vi->onzekerheden_bp = ds->grens_onzekerheden_bp;
    vi->gescheiden = ds->gescheiden;
    vi->rapportagegrens = ds->rapportagegrens;
    /* The findings as decided: without the dropped ones, with the scenario's. */
    const char *err = NULL;
    if (verdict_compute(vi, h->counted, h->ncounted, &v->res, &err) == 0)
        v->have = true;
    else
        diag_error(d, ds->path, 0, "verdict: %s", err ? err : "cannot compute");
}

/* The exit code: 2 for any error (input, rule, usage), else 1 when boven. */
static int judge(check_verdict *v, const check_run *run, check_handled *h, bool usage_err)
{
    memset(v, 0, sizeof *v);
    if (run->have_dossier && run->dossier_ok && !usage_err) {
        check_plausible_warn(&run->plausible, &run->ds, &run->basis, run->diag);
        judge_dossier(v, run, h);
    }
    judge_scenario(v, h);
    bool rule_errors = false;
    for (size_t i = 0; i < engine_rule_count(run->eng); i++)
        if (engine_rule(run->eng, i)->status == RULE_ERROR)
            rule_errors = true;
    if (run->diag->errors || rule_errors || usage_err)
        return 2;
    return v->have && v->res.boven ? 1 : 0;
}

/* What was checked and what produced the report (report_scope.h,
 * report_provenance.h). -1 when memory runs out. */
static int scope_and_provenance(const check_opts *o, const check_handled *h, const rhv_engine *eng,
                                report_scope_builder *sb, report_prov_builder *pb)
{
    char bundled[4096];
    rhv_path(bundled, sizeof bundled, "rules");
    report_scope_opts so = {
        .bundled_dir = bundled,
        .default_rules = o->default_rules,
        .select = o->select,
        .rules_dirs = o->rule_dirs,
        .nrules_dirs = (size_t)o->ndirs,
    };
    if (report_scope_make(sb, eng, &so) != 0)
        return -1;
    report_prov_opts po = {
        .argv = (const char *const *)o->argv,
        .argc = (size_t)o->argc,
        .bundled_dir = bundled,
        .default_rules = o->default_rules,
        .rules_dirs = o->rule_dirs,
        .nrules_dirs = (size_t)o->ndirs,
        .select = o->select,
        .rule_args = o->rule_args,
        .nrule_args = (size_t)o->nargs,
        .threads = o->threads_given ? o->threads : -1,
        .mem_limit_mib = (int)((o->mem_limit ? o->mem_limit : (size_t)64 << 20) >> 20),
        .format = o->format,
        .files = (const char *const *)o->files,
        .nfiles = (size_t)o->nfiles,
        .als = o->als,
        .vorige = o->vorige,
        /* Recorded when it can matter, so `rhv verify` judges with the same
         * date; without a beoordelingen file the report stays date-free. */
        .peildatum = h->have_bo || o->peildatum ? h->peildatum : NULL,
        .peildatum_given = o->peildatum != NULL,
        .rule_origins = sb->origins,
    };
    if (report_prov_make(pb, eng, &po) != 0) {
        report_scope_free(sb);
        return -1;
    }
    return 0;
}

/* 4b. The RHV table as typed, against the verdict just made (reconcile.h):
 * signaleringen only, so the verdict stands. They join the engine's
 * findings and the handled list the report reads. */
static void reconcile_step(const check_verdict *v, check_run *run, check_handled *h)
{
    rhv_finding *rf = NULL;
    size_t nrf = 0;
    if (!v->have || !run->have_dossier)
        return;
    if (reconcile_findings(&run->recon, &v->in, &v->res, &rf, &nrf) != 0 ||
        engine_add_findings(run->eng, RECONCILE_RULE, rf, nrf) != 0 ||
        check_handled_add(h, run, nrf) != 0)
        diag_error(run->diag, NULL, 0, "out of memory");
    free(rf);
}

/* 5. report: built once from the run, then written in every format asked;
 * one output that fails does not stop the others. Returns the exit code. */
static int report(const check_opts *o, const check_plan *p, const check_run *run, const check_verdict *v,
                  const check_handled *h, int code)
{
    report_scope_builder sb;
    report_prov_builder pb;
    if (scope_and_provenance(o, h, run->eng, &sb, &pb) != 0) {
        diag_error(run->diag, NULL, 0, "out of memory while making the report");
        return 2;
    }
    report_sources src = {
        .version = RHV_VERSION,
        .engine = run->eng,
        .dossier = run->have_dossier ? &run->ds : NULL,
        .org_naam = run->first_ledger.company_name,
        .fiscal_year = run->fiscal_year,
        .vin = v->have ? &v->in : NULL,
        .vres = v->have ? &v->res : NULL,
        .inputs = p->inputs,
        .ninputs = p->ninputs,
        .diag = run->diag,
        .exit_code = code,
        .scope = &sb.scope,
        .prov = &pb.prov,
        .findings = h->findings,
        .nfindings = h->nfindings,
        .notes = h->notes,
        .beoordelingen = h->have_bo ? &h->boi : NULL,
        .scenario = h->have_sc ? &h->sci : NULL,
        .vergelijking = h->have_prev ? &h->vg : NULL,
    };
    report_builder rb;
    if (report_build(&rb, &src) != 0) {
        diag_error(run->diag, NULL, 0, "out of memory while making the report");
        code = 2;
    } else {
        /* One output that fails does not stop the others. */
        for (int i = 0; i < o->noutputs; i++)
            if (report_write_atomic(o->outputs[i].path, o->outputs[i].format->write, &rb.report, run->diag) != 0)
                code = 2;
        report_build_free(&rb);
    }
    report_prov_free(&pb);
    report_scope_free(&sb);
    return code;
}

/* The peildatum: given, else today in local time. */
static void today(char out[11], const char *given)
{
    if (given) {
        snprintf(out, 11, "%s", given);
        return;
    }
    time_t now = time(NULL);
    struct tm tm;
    if (localtime_r(&now, &tm) && strftime(out, 11, "%Y-%m-%d", &tm) == 10)
        return;
    snprintf(out, 11, "9999-12-31"); /* no clock: nothing has expired */
}

int cmd_check(int argc, char **argv)
{
    check_opts o;
    int code = parse_options(argc, argv, &o);
    if (code >= 0)
        return code;
    /* argv[0] is "check": the command line starts one before it, at the
     * program's own name (main passes argv + 1). */
    o.argv = argv - 1;
    o.argc = argc + 1;
    rhv_diag diag;
    diag_init(&diag, o.quiet ? NULL : stderr);
    rhv_engine *eng = new_engine(&o, &diag);
    if (!eng) {
        fputs("rhv check: cannot start the rule engine\n", stderr);
        diag_free(&diag);
        return 2;
    }

    check_plan plan;
    check_plan_make(&plan, &o, eng, &diag);
    check_handled handled;
    memset(&handled, 0, sizeof handled);
    handled.als = o.als;
    handled.vorige = o.vorige;
    today(handled.peildatum, o.peildatum);
    if (!plan.usage_err)
        check_handled_plan(&handled, &plan, &diag);
    check_run run;
    check_run_init(&run, eng, &diag, plan.sources);
    run.readers = read_ahead(&o);
    /* A ledger's SHA-256 on a thread of its own beside its parse (hash.h);
     * with --threads 0 everything stays on this thread. */
    sha256_reader_threads(o.threads != 0);
    if (!plan.usage_err)
        check_stream(&run, &plan);
    if (!plan.usage_err)
        check_hash_rest(&plan, &diag);
    if (!plan.usage_err)
        check_handled_apply(&handled, &run, &diag);

    check_verdict verdict;
    code = judge(&verdict, &run, &handled, plan.usage_err);
    if (!plan.usage_err)
        reconcile_step(&verdict, &run, &handled);
    /* A usage error is told on stderr; it makes no report. */
    if (!plan.usage_err)
        code = report(&o, &plan, &run, &verdict, &handled, code);

    check_handled_free(&handled);
    check_run_free(&run);
    check_plan_free(&plan);
    engine_free(eng);
    diag_free(&diag);
    return code;
}
