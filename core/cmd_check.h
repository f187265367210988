/* cmd_check.h - the steps of `rhv check`, shared by its files.
 *
 * Contract: cmd_check() runs the steps in this order, each once:
 *  1. plan   (cmd_check_plan.c): load and select the rules, sort the files
 *            into one dossier and its ledgers, learn the fiscal year, list
 *            the inputs (ledgers hashed as they are parsed); inputs with
 *            the same content are one input (cmd_check_same.c).
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

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "dossier.h"
#include "engine.h"
#include "reconcile.h"
#include "report.h"
#include "verdict.h"
#include "xaf.h"

#define CHECK_MAX_RULE_ARGS 64
#define CHECK_MAX_RULE_DIRS 16
#define CHECK_MAX_LEDGERS 256
#define CHECK_MAX_OUTPUTS 8

/* One report to write: the same report, in as many formats as asked. */
typedef struct {
    const char *path;            /* NULL: stdout */
    const report_format *format;
} check_output;

/* The command line, parsed. */
typedef struct {
    check_output outputs[CHECK_MAX_OUTPUTS]; /* at least one */
    int noutputs;
    const char *select;          /* rule selector, NULL: all */
    const char *rule_args[CHECK_MAX_RULE_ARGS];
    int nargs;
    const char *rule_dirs[CHECK_MAX_RULE_DIRS];
    int ndirs;
    bool default_rules, quiet;
    size_t mem_limit;            /* bytes; 0: the engine's default */
    int threads;
    bool threads_given;          /* --threads was on the command line */
    int readers;                 /* --read-ahead N; -1: the CPUs the rules leave free */
    const char *format;          /* the first output's format name, for the provenance */
    char **files;
    int nfiles;
    char **argv;                 /* the whole command line, from "rhv" on, for the report */
    int argc;
    const char *als, *vorige;    /* --als SCENARIO, --vorige REPORT.json (docs/handled.md) */
    const char *peildatum;       /* --peildatum YYYY-MM-DD, NULL: today */
} check_opts;

/* What the dossier says an input is; a command-line ledger (and the
 * dossier itself) says nothing, so a copy of it takes the other's role. */
typedef enum { CHECK_ROLE_FREE, CHECK_ROLE_WHOLE, CHECK_ROLE_EXTRACT } check_role;

/* 1. plan: what will be read, known before the first record. */
typedef struct {
    bool usage_err;              /* bad rule selection, argument or input: no report */
    const char *dossier;         /* NULL: ledgers only */
    const char *ledgers[CHECK_MAX_LEDGERS]; /* from the command line */
    size_t nledgers;
    int fiscal_year;             /* the dossier's (0: ledgers only, their header tells) */
    unsigned sources;            /* rhv_source_kind bits present in the run */
    rhv_input *inputs;           /* every file read, once, in reading order: the */
    check_role *roles;           /* dossier, its ledgers, the command line's ledgers */
    size_t ninputs;              /* (then the files of cmd_check_handled.h) */
    char *beoordelingen;         /* the dossier's <beoordelingen>, resolved; NULL: none */
} check_plan;

/* Loads and selects the rules into eng and fills the plan; problems go to d
 * and set usage_err. */
void check_plan_make(check_plan *p, const check_opts *o, rhv_engine *eng, rhv_diag *d);
void check_plan_free(check_plan *p);
/* Appends an input (role free) to be hashed with the others; -1 when out of
 * memory (reported in d). */
int check_plan_add_input(check_plan *p, const char *path, const char *kind, rhv_diag *d);
/* Drops an input whose content (sha256) an earlier one has, with a warning;
 * an error (usage_err) when the dossier gives the two conflicting roles.
 * Hashes only inputs of equal size; the others keep an empty sha256. */
void check_plan_same_inputs(check_plan *p, rhv_diag *d);

/* After the stream: the sha256 of every input that has none yet (the
 * dossier; a ledger whose read ended without one). A ledger's is made from
 * the reads of its parse (xaf_read_hashed), so it is read once. An input that
 * cannot be read is an error in d. */
void check_hash_rest(check_plan *p, rhv_diag *d);

/* 3. (cmd_check_overlap.c): different ledgers of one administration and
 * fiscal year must not share a transaction (journal and number). */
typedef struct {
    bool on;                     /* two ledgers or more, memory left */
    const char *paths[CHECK_MAX_LEDGERS + 1];
    size_t nledgers;             /* begun so far; the last is being read */
    bool reported;               /* the current ledger's overlap is told */
    bool skip;                   /* the current ledger is not checked */
    char fy[16];                 /* the current ledger's fiscalYear */
    size_t fy_len;
    char *admin, *key;           /* the current administration; a key */
    size_t admin_len, admin_cap, key_len, key_cap;
    uint64_t *fp;                /* transaction fingerprints (0: empty slot) */
    uint32_t *owner;             /* 1-based ledger of each */
    size_t cap, used;
} check_overlap;

void check_overlap_init(check_overlap *ov, size_t nledgers);
void check_overlap_free(check_overlap *ov);
/* Call before reading each ledger; path must outlive ov. check: false for
 * a ledger that cannot overlap another (cmd_check_stream.c): its
 * transactions are not kept. */
void check_overlap_begin(check_overlap *ov, const char *path, bool check);
/* Every record of the ledger being read; the first shared transaction is an
 * error in d naming both files. */
void check_overlap_record(check_overlap *ov, const rhv_record *rec, rhv_diag *d);

/* 3. and 4. (cmd_check_plausible.c): what the stream saw that confirms the
 * dossier's settings, and the warnings about settings that look mistyped. */
typedef struct {
    const char *file;            /* the dossier, and the line of its <organisation> */
    long org_line;
    int fiscal_year;
    bool fiscal_year_confirmed;  /* by a ledger's header or a dated record */
} check_plausible;

/* A dossier record: notes the organisation's line and dates in the year. */
void check_plausible_dossier(check_plausible *pl, const rhv_record *rec, int fiscal_year);
/* A ledger's header year, read beside the dossier. */
void check_plausible_ledger(check_plausible *pl, int ledger_fiscal_year);
/* Warnings in d (file:line of the <organisation>) about the grens settings,
 * the basis and the fiscal year of a dossier read without errors. */
void check_plausible_warn(const check_plausible *pl, const rhv_dossier *ds, const verdict_basis *b, rhv_diag *d);

/* 3. (cmd_check_handled.c): what a beoordeling is checked against, taken
 * from the dossier's records as they stream by (docs/handled.md). */
typedef struct {
    char *id;
    bool telt_mee;               /* begrotingscategorie only */
} check_name;

typedef struct {
    check_name *afw, *cat;       /* afwijking ids, begrotingscategorieen */
    size_t nafw, ncat;
    bool oom;                    /* a name could not be kept: reported later */
} check_names;

void check_names_record(check_names *nm, const rhv_record *rec);
void check_names_free(check_names *nm);

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
    reconcile recon;             /* the RHV table as typed (tabel rhv), for after the verdict */
    const rhv_xaf_info *header;  /* of the ledger being read */
    const char *first_ledger_path; /* without a dossier: the ledger the others */
    rhv_xaf_info first_ledger;   /* must agree with; it names the organisation */
    check_overlap overlap;
    check_plausible plausible;   /* what the dossier's settings are checked against */
    check_names names;           /* the dossier's afwijking ids and categories */
    int readers;                 /* ledgers read ahead on threads of their own at once (0: none) */
} check_run;

void check_run_init(check_run *run, rhv_engine *eng, rhv_diag *d, unsigned sources);
void check_run_free(check_run *run);
void check_start(check_run *run, int fiscal_year);
/* Reads the dossier, then the plan's ledgers (inputs of kind "ledger"), then
 * finishes the rules. A ledger without a sha256 gets it from its parse. */
void check_stream(check_run *run, check_plan *p);

#endif
