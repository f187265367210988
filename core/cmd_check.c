/* cmd_check.c - `rhv check`: the whole pipeline, from input files to report.
 *
 * Order of work, and why:
 *  1. Load the rules first, so a broken rule is known before any input is read.
 *  2. Read the dossier once quietly to learn the fiscal year and its ledgers:
 *     rules must know the year (and which sources exist) before the first
 *     record reaches them. The dossier is small; the second pass dispatches.
 *     A ledger given on its own starts the rules on its header record instead.
 *  3. Stream the dossier, then each ledger, into the engine.
 *  4. Verdict (core/verdict.c), then the report (core/report_*.c).
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "diag.h"
#include "dossier.h"
#include "engine.h"
#include "hash.h"
#include "paths.h"
#include "report.h"
#include "rhv_config.h"
#include "verdict.h"
#include "xaf.h"
#include "xml_stream.h"

enum input_kind { IN_UNKNOWN, IN_DOSSIER, IN_LEDGER };

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
          "  -f, --format FMT       text (default) or json\n"
          "  -o, --output FILE      write the report to FILE atomically (default: stdout)\n"
          "  -r, --rules EXPR       select rules: ids, globs (begroting.*), criteria, and/or/not\n"
          "  -a, --rule-arg ID.KEY=VALUE  override a rule argument (repeatable; shown in the report)\n"
          "  -d, --rules-dir DIR    also load the rules in DIR (repeatable)\n"
          "      --no-default-rules do not load the bundled rules\n"
          "      --mem-limit MIB    memory cap per rule in MiB (default 64)\n"
          "  -q, --quiet            do not print diagnostics on stderr (they stay in the report)\n"
          "      --threads N        threads that run the rules, the reading thread included\n"
          "                         (default: number of CPUs, at most 8; 0: all in the reading\n"
          "                         thread); the report is byte-identical for every N\n"
          "  -h, --help             show this help\n"
          "\n"
          "Exit codes: 0 report made, within the verantwoordingsgrens; 1 report made, grens\n"
          "exceeded; 2 input or rule errors (the report, if made, lists them).\n",
          out);
}

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
    for (size_t i = 0; i < n; i++)
        if (buf[i] == '\0')
            buf[i] = ' ';
    if (strstr(buf, "urn:rhv:dossier") || strstr(buf, "<dossier"))
        return IN_DOSSIER;
    if (strstr(buf, "auditfile") || strstr(buf, "Auditfile"))
        return IN_LEDGER;
    return IN_UNKNOWN;
}

typedef struct {
    rhv_engine *eng;
    int started;        /* engine_start called */
    unsigned sources;
    int year;
} run_ctx;

static int noop_sink(void *ud, const rhv_record *rec)
{
    (void)ud; (void)rec;
    return 0;
}

/* For a ledger checked on its own: the header gives the year. */
static int ledger_only_sink(void *ud, const rhv_record *rec)
{
    run_ctx *rc = ud;
    if (!rc->started && strcmp(rec->type->name, "xaf.header") == 0) {
        int fy = record_field_index(rec->type, "fiscalYear");
        int sd = record_field_index(rec->type, "startDate");
        int year = 0;
        const rhv_value *v = fy >= 0 ? &rec->v[fy] : NULL;
        if (v && v->kind == VAL_STR && v->len >= 4)
            year = atoi((char[5]){v->s[0], v->s[1], v->s[2], v->s[3], 0});
        if (year == 0 && sd >= 0 && rec->v[sd].kind == VAL_DATE && rec->v[sd].len >= 4)
            year = atoi((char[5]){rec->v[sd].s[0], rec->v[sd].s[1], rec->v[sd].s[2], rec->v[sd].s[3], 0});
        rc->year = year;
        engine_start(rc->eng, year, rc->sources);
        rc->started = 1;
    }
    if (!rc->started)
        return 0;
    return engine_dispatch(rc->eng, rec);
}

/* Note an input; its sha256 is computed later, beside the parse (hash_start). */
static int add_input(rhv_input **inputs, size_t *n, const char *path, const char *kind, rhv_diag *d)
{
    rhv_input *ni = realloc(*inputs, (*n + 1) * sizeof **inputs);
    if (!ni) {
        diag_error(d, path, 0, "out of memory");
        return -1;
    }
    *inputs = ni;
    rhv_input *in = &ni[*n];
    memset(in, 0, sizeof *in);
    in->path = strdup(path);
    in->kind = kind;
    if (!in->path) {
        diag_error(d, path, 0, "out of memory");
        return -1;
    }
    (*n)++;
    return 0;
}

/* Hashing a large ledger costs about a tenth of the whole run; on its own
 * thread it overlaps the parse instead of delaying it (bench/README.md). */
typedef struct {
    rhv_input *inputs;
    size_t n;
    int *err;        /* errno per input, 0 when hashed */
    pthread_t tid;
    int running;
} hash_job;

static void *hash_all(void *arg)
{
    hash_job *j = arg;
    for (size_t i = 0; i < j->n; i++) {
        errno = 0;
        if (sha256_file(j->inputs[i].path, j->inputs[i].sha256) != 0) {
            j->err[i] = errno ? errno : EIO;
            snprintf(j->inputs[i].sha256, sizeof j->inputs[i].sha256, "unreadable");
        }
    }
    return NULL;
}

static void hash_start(hash_job *j, rhv_input *inputs, size_t n)
{
    memset(j, 0, sizeof *j);
    j->inputs = inputs;
    j->n = n;
    j->err = n ? calloc(n, sizeof *j->err) : NULL;
    if (n && !j->err) {
        j->n = 0; /* reported in hash_finish */
        return;
    }
    if (pthread_create(&j->tid, NULL, hash_all, j) == 0)
        j->running = 1;
    else
        hash_all(j);
}

static void hash_finish(hash_job *j, size_t n, rhv_diag *d)
{
    if (j->running)
        pthread_join(j->tid, NULL);
    if (n && !j->err) {
        diag_error(d, NULL, 0, "out of memory while hashing the inputs");
        return;
    }
    for (size_t i = 0; i < j->n; i++)
        if (j->err[i])
            diag_error(d, j->inputs[i].path, 0, "cannot read it to hash it: %s", strerror(j->err[i]));
    free(j->err);
    j->err = NULL;
}

/* A ledger next to a dossier: its records go to the running engine, and its
 * fiscal year must be the dossier's. */
static void read_ledger(const char *path, rhv_engine *eng, int boekjaar, rhv_diag *d)
{
    rhv_xaf_info info;
    memset(&info, 0, sizeof info);
    xaf_read(path, engine_dispatch, eng, d, &info);
    if (info.year && boekjaar && info.year != boekjaar)
        diag_error(d, path, 0, "ledger is for fiscal year %d, the dossier for %d", info.year, boekjaar);
    xaf_info_free(&info);
}

#define MAX_LEDGERS 256

/* Sort the command-line files into one dossier and any number of ledgers. */
static int classify_inputs(int n, char **paths, const char **dossier, const char **ledgers, size_t *nledgers,
                           rhv_diag *d)
{
    int bad = 0;
    for (int i = 0; i < n; i++) {
        enum input_kind k = sniff(paths[i]);
        if (k == IN_DOSSIER && *dossier) {
            diag_error(d, paths[i], 0, "only one dossier per run (already have %s)", *dossier);
            bad = 1;
        } else if (k == IN_DOSSIER) {
            *dossier = paths[i];
        } else if (k == IN_LEDGER && *nledgers == MAX_LEDGERS) {
            diag_error(d, paths[i], 0, "too many ledgers (max %d)", MAX_LEDGERS);
            bad = 1;
        } else if (k == IN_LEDGER) {
            ledgers[(*nledgers)++] = paths[i];
        } else {
            FILE *f = fopen(paths[i], "rb");
            if (!f) {
                diag_error(d, paths[i], 0, "cannot open: %s", strerror(errno));
            } else {
                fclose(f);
                const char *enc = xml_file_encoding_unsupported(paths[i]);
                if (enc)
                    diag_error(d, paths[i], 0, "%s", enc);
                else
                    diag_error(d, paths[i], 0, "neither an rhv dossier (urn:rhv:dossier:1) nor an XML Auditfile");
            }
            bad = 1;
        }
    }
    return bad ? -1 : 0;
}

/* The verdict for a dossier that was read without errors: the basis it
 * chose (realisatie or begroting), its grenzen, the engine's findings. */
static void compute_verdict(rhv_report *rep, const rhv_dossier *ds, const rhv_engine *eng, rhv_diag *d)
{
    verdict_input *vi = &rep->vin;
    rhv_cents lasten = ds->basis_begroting ? ds->lasten_begroot : ds->lasten_realisatie;
    rhv_cents toev = ds->basis_begroting ? ds->toevoegingen_begroot : ds->toevoegingen_realisatie;
    if (!money_add(lasten, toev, &vi->basis)) {
        diag_error(d, ds->path, 0, "totale lasten overflow");
        return;
    }
    vi->grens_bp = ds->grens_bp;
    vi->fouten_bp = ds->grens_fouten_bp;
    vi->onzekerheden_bp = ds->grens_onzekerheden_bp;
    vi->gescheiden = ds->gescheiden;
    vi->rapportagegrens = ds->rapportagegrens;
    size_t nf = engine_finding_count(eng);
    rhv_finding *fs = nf ? malloc(nf * sizeof *fs) : NULL;
    if (nf && !fs) {
        diag_error(d, NULL, 0, "out of memory");
        return;
    }
    for (size_t i = 0; i < nf; i++)
        fs[i] = *engine_finding(eng, i); /* shallow: verdict only reads */
    const char *err = NULL;
    if (verdict_compute(vi, fs, nf, &rep->vres, &err) == 0)
        rep->have_verdict = true;
    else
        diag_error(d, ds->path, 0, "verdict: %s", err ? err : "cannot compute");
    free(fs);
}

int cmd_check(int argc, char **argv)
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
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *format = "text", *output = NULL, *select = NULL;
    const char *rule_args[64], *rule_dirs[16];
    int nargs = 0, ndirs = 0, default_rules = 1, quiet = 0;
    size_t mem_limit = 0;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    int threads = ncpu > 1 ? (int)(ncpu > 8 ? 8 : ncpu) : 0;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "f:o:r:a:d:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'f': format = optarg; break;
        case 'o': output = optarg; break;
        case 'r': select = optarg; break;
        case 'a':
            if (nargs == 64) {
                fputs("rhv check: too many --rule-arg (max 64)\n", stderr);
                return 2;
            }
            rule_args[nargs++] = optarg;
            break;
        case 'd':
            if (ndirs == 16) {
                fputs("rhv check: too many --rules-dir (max 16)\n", stderr);
                return 2;
            }
            rule_dirs[ndirs++] = optarg;
            break;
        case 'N': default_rules = 0; break;
        case 'M': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || v <= 0 || v > 4096) {
                fprintf(stderr, "rhv check: --mem-limit takes MiB from 1 to 4096, not '%s'\n", optarg);
                return 2;
            }
            mem_limit = (size_t)v << 20;
            break;
        }
        case 'q': quiet = 1; break;
        case 'T': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || v < 0 || v > 64) {
                fprintf(stderr, "rhv check: --threads takes 0 to 64, not '%s'\n", optarg);
                return 2;
            }
            threads = (int)v;
            break;
        }
        case 'h': check_usage(stdout); return 0;
        default: check_usage(stderr); return 2;
        }
    }
    report_writer writer;
    if (strcmp(format, "text") == 0)
        writer = report_text;
    else if (strcmp(format, "json") == 0)
        writer = report_json;
    else {
        fprintf(stderr, "rhv check: unknown format '%s' (text or json)\n", format);
        return 2;
    }
    if (optind >= argc) {
        fputs("rhv check: no input file given\n", stderr);
        check_usage(stderr);
        return 2;
    }

    rhv_diag diag;
    diag_init(&diag, quiet ? NULL : stderr);
    char plugins[4096], params[4096], rules[4096];
    rhv_engine_opts eo = {
        .mem_limit = mem_limit,
        .plugins_dir = rhv_path(plugins, sizeof plugins, "plugins"),
        .params_dir = rhv_path(params, sizeof params, "params"),
        .diag = &diag,
        /* Rules run on worker threads while this thread parses: on two cores the
         * parse and the rules overlap (bench/README.md). */
        .threads = threads,
    };
    rhv_engine *eng = engine_new(&eo);
    if (!eng) {
        fputs("rhv check: cannot start the rule engine\n", stderr);
        diag_free(&diag);
        return 2;
    }
    int usage_err = 0;
    if (default_rules)
        engine_load_dir(eng, rhv_path(rules, sizeof rules, "rules"));
    for (int i = 0; i < ndirs; i++)
        engine_load_dir(eng, rule_dirs[i]);
    if (select && engine_select(eng, select) != 0)
        usage_err = 1;
    for (int i = 0; i < nargs; i++)
        if (engine_set_rule_arg(eng, rule_args[i]) != 0)
            usage_err = 1;

    const char *dossier_path = NULL;
    const char *ledgers[MAX_LEDGERS];
    size_t nledgers = 0;
    if (classify_inputs(argc - optind, argv + optind, &dossier_path, ledgers, &nledgers, &diag) != 0)
        usage_err = 1;

    rhv_input *inputs = NULL;
    size_t ninputs = 0;
    rhv_dossier ds;
    memset(&ds, 0, sizeof ds);
    int have_dossier = 0, dossier_ok = 0;
    rhv_xaf_info first_info;
    memset(&first_info, 0, sizeof first_info);
    run_ctx rc = {.eng = eng};

    /* Pass 1 over the dossier, quiet: the year and its ledgers. Its
     * diagnostics are dropped; pass 2 reports them. */
    if (!usage_err && dossier_path) {
        rhv_diag quiet_diag;
        diag_init(&quiet_diag, NULL);
        rhv_dossier probe;
        memset(&probe, 0, sizeof probe);
        dossier_read(dossier_path, &probe, noop_sink, NULL, &quiet_diag);
        diag_free(&quiet_diag);
        rc.sources = SRC_DOSSIER | ((probe.nledgers || nledgers) ? SRC_LEDGER : 0);
        rc.year = probe.boekjaar;
        add_input(&inputs, &ninputs, dossier_path, "dossier", &diag);
        for (size_t i = 0; i < probe.nledgers; i++)
            add_input(&inputs, &ninputs, probe.ledgers[i], "ledger", &diag);
        dossier_free(&probe);
    } else if (!usage_err) {
        rc.sources = SRC_LEDGER;
    }
    if (!usage_err)
        for (size_t i = 0; i < nledgers; i++)
            add_input(&inputs, &ninputs, ledgers[i], "ledger", &diag);
    hash_job hashing;
    hash_start(&hashing, inputs, ninputs);

    if (!usage_err && dossier_path) {
        engine_start(eng, rc.year, rc.sources);
        rc.started = 1;
        dossier_ok = dossier_read(dossier_path, &ds, engine_dispatch, eng, &diag) == 0;
        have_dossier = 1;
        for (size_t i = 0; i < ds.nledgers; i++)
            read_ledger(ds.ledgers[i], eng, ds.boekjaar, &diag);
    }
    if (!usage_err) {
        for (size_t i = 0; i < nledgers; i++) {
            if (have_dossier) {
                read_ledger(ledgers[i], eng, ds.boekjaar, &diag);
                continue;
            }
            rhv_xaf_info info;
            memset(&info, 0, sizeof info);
            xaf_read(ledgers[i], ledger_only_sink, &rc, &diag, &info);
            if (i == 0) {
                first_info = info;
                continue;
            }
            if (info.year && first_info.year && info.year != first_info.year)
                diag_error(&diag, ledgers[i], 0, "ledger is for fiscal year %d, %s for %d", info.year, ledgers[0],
                           first_info.year);
            xaf_info_free(&info);
        }
    }
    if (!rc.started && !usage_err) {
        /* No header was read (broken ledger): start anyway so every rule gets a status. */
        engine_start(eng, rc.year, rc.sources);
        rc.started = 1;
    }
    if (rc.started)
        engine_finish(eng);
    hash_finish(&hashing, ninputs, &diag);

    /* Verdict. */
    rhv_report rep;
    memset(&rep, 0, sizeof rep);
    rep.version = RHV_VERSION;
    rep.engine = eng;
    rep.inputs = inputs;
    rep.ninputs = ninputs;
    rep.diag = &diag;
    if (have_dossier) {
        rep.dossier = &ds;
        rep.org_naam = ds.naam;
        rep.org_soort = ds.soort;
        rep.boekjaar = ds.boekjaar;
    } else {
        rep.org_naam = first_info.company_name;
        rep.org_soort = NULL;
        rep.boekjaar = rc.year;
    }
    if (have_dossier && dossier_ok)
        compute_verdict(&rep, &ds, eng, &diag);

    int rule_errors = 0;
    for (size_t i = 0; i < engine_rule_count(eng); i++)
        if (engine_rule(eng, i)->status == RULE_ERROR)
            rule_errors = 1;
    int code;
    if (diag.errors || rule_errors || usage_err)
        code = 2;
    else if (rep.have_verdict && rep.vres.boven)
        code = 1;
    else
        code = 0;
    rep.exit_code = code;

    if (!usage_err || ninputs) {
        if (report_write_atomic(output, writer, &rep, &diag) != 0)
            code = 2;
    }

    for (size_t i = 0; i < ninputs; i++)
        free(inputs[i].path);
    free(inputs);
    if (have_dossier)
        dossier_free(&ds);
    xaf_info_free(&first_info);
    engine_free(eng);
    diag_free(&diag);
    return code;
}
