/* cmd_check.h - the steps of `rhv check`, shared by its files.
 *
 * Contract: cmd_check() runs the steps in this order, each once:
 *  1. plan   (cmd_check_plan.c): load and select the rules, sort the files
 *            into one dossier and its ledgers, learn the fiscal year, list
 *            the inputs (hashed on a thread beside the parse).
 *  2. start  (cmd_check_stream.c): check_start() is the one way the engine
 *            starts: before the dossier, or on a lone ledger's header, or at
 *            the end when no header was read; only the first call counts.
 *  3. stream (cmd_check_stream.c): the readers hand records to the engine,
 *            the dossier's also to the verdict's basis.
 *  4. judge  (cmd_check.c): the verdict, then the exit code.
 *  5. report (cmd_check.c): the report is built once (report_build.h) and
 *            written.
 * Internal to the rhv executable.
 */
#ifndef RHV_CMD_CHECK_H
#define RHV_CMD_CHECK_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "dossier.h"
#include "engine.h"
#include "report.h"
#include "verdict.h"
#include "xaf.h"

#define CHECK_MAX_RULE_ARGS 64
#define CHECK_MAX_RULE_DIRS 16
#define CHECK_MAX_LEDGERS 256

/* The command line, parsed. */
typedef struct {
    report_writer writer;
    const char *output;          /* NULL: stdout */
    const char *select;          /* rule selector, NULL: all */
    const char *rule_args[CHECK_MAX_RULE_ARGS];
    int nargs;
    const char *rule_dirs[CHECK_MAX_RULE_DIRS];
    int ndirs;
    bool default_rules, quiet;
    size_t mem_limit;            /* bytes; 0: the engine's default */
    int threads;
    char **files;
    int nfiles;
    const char *als, *vorige;    /* --als SCENARIO, --vorige REPORT.json (docs/handled.md) */
    const char *peildatum;       /* --peildatum YYYY-MM-DD, NULL: today */
} check_opts;

/* 1. plan: what will be read, known before the first record. */
typedef struct {
    bool usage_err;              /* bad rule selection, argument or input: no report */
    const char *dossier;         /* NULL: ledgers only */
    const char *ledgers[CHECK_MAX_LEDGERS]; /* from the command line */
    size_t nledgers;
    int fiscal_year;             /* the dossier's (0: ledgers only, their header tells) */
    unsigned sources;            /* rhv_source_kind bits present in the run */
    rhv_input *inputs;           /* every file read, for the report */
    size_t ninputs;
} check_plan;

/* Loads and selects the rules into eng and fills the plan; problems go to d
 * and set usage_err. */
void check_plan_make(check_plan *p, const check_opts *o, rhv_engine *eng, rhv_diag *d);
void check_plan_free(check_plan *p);

/* Hashing a large ledger costs about a tenth of the whole run; on its own
 * thread it overlaps the parse instead of delaying it (bench/README.md). */
typedef struct {
    rhv_input *inputs;
    size_t n;
    int *err;                    /* errno per input, 0 when hashed */
    pthread_t tid;
    int running;
} check_hashing;

void check_hash_start(check_hashing *h, rhv_input *inputs, size_t n);
/* Waits for the hashes; an input that could not be read is an error in d. */
void check_hash_finish(check_hashing *h, size_t n, rhv_diag *d);

/* 2. and 3.: the run of the rules over the inputs. */
typedef struct {
    rhv_engine *eng;
    rhv_diag *diag;
    unsigned sources;
    bool started;
    int fiscal_year;             /* the one the engine started with */
    bool have_dossier;           /* a dossier was read ... */
    bool dossier_ok;             /* ... without errors */
    rhv_dossier ds;
    verdict_basis basis;         /* summed from the dossier's records */
    const rhv_xaf_info *header;  /* of the ledger being read */
    const char *first_ledger_path; /* without a dossier: the ledger the others */
    rhv_xaf_info first_ledger;   /* must agree with; it names the organisation */
} check_run;

void check_run_init(check_run *run, rhv_engine *eng, rhv_diag *d, unsigned sources);
void check_run_free(check_run *run);
void check_start(check_run *run, int fiscal_year);
/* Reads the dossier, its ledgers and the plan's ledgers, then finishes the rules. */
void check_stream(check_run *run, const check_plan *p);

#endif
