/* report.h - the RHV deviation report: Dutch text and HTML for people, an
 * Excel workbook and CSV for people who go on calculating, JSON for tools.
 *
 * Contract:
 * - A writer reads one rhv_report and nothing else: plain data, filled once
 *   by whoever ran the check (report_build.h for `rhv check`, or a test by
 *   hand). No engine, no dossier behind it, so a new writer (HTML, xlsx, CSV)
 *   needs only this header.
 * - Writers never decide anything the verdict or the engine did not already
 *   decide: they only present. report_is_reportable() and report_totals()
 *   are the verdict's own rules applied to the report's data, shared so that
 *   every writer lists and totals alike.
 * - Output is deterministic: no time stamps, no addresses, fixed order. The
 *   provenance records --threads as given, so runs that differ only in
 *   --threads differ only there (docs/report-json.md, Determinism).
 * - report_json() writes the documented, stable format of docs/report-json.md;
 *   docs/report-formats.md describes the others.
 * - report_write_atomic() writes to FILE.tmp.XXXXXX in the same folder and
 *   renames it over FILE, so an existing report is never left half-written.
 */
#ifndef RHV_REPORT_H
#define RHV_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "diag.h"
#include "finding.h"
#include "handled.h"
#include "verdict.h"

typedef struct {
    char *path;
    char sha256[65];
    const char *kind;   /* "dossier", "register", "ledger" */
} rhv_input;

/* A legal parameter table the rules read. */
typedef struct {
    const char *name;   /* e.g. "eu_drempels" */
    const char *file;
    const char *sha256;
} rhv_report_param;

/* What was and was not checked (docs/report-json.md, `scope`). */
typedef struct {
    const char *id;
    const char *reason;           /* Dutch, as the rule status message or the selection */
} rhv_report_not_run;

typedef struct {
    bool known;                   /* false: no scope (a report made by hand); writers then
                                   * present the report as before, without a scope */
    bool complete;                /* every standard (bundled) rule ran with data, none in error */
    bool scenario;                /* --als: the verdict is a what-if's, not the jaarrekening's
                                   * (whatever complete says about the rules) */
    /* The selection as given on the command line. */
    const char *select;           /* --rules, NULL: none */
    bool default_rules;           /* false: --no-default-rules */
    const char *const *rules_dirs; /* --rules-dir, as given */
    size_t nrules_dirs;
    const rhv_report_not_run *not_run; /* standard rules not run, and any rule in error */
    size_t nnot_run;
    const char *const *no_data;   /* rules that ran without any record of the types they read */
    size_t nno_data;
} rhv_report_scope;

/* A Lua file loaded into a rule: the rule itself, the helper library, a
 * parameter table. */
typedef struct {
    const char *role;             /* "library", "rule", "parameters", "register" */
    const char *name;             /* "rhv", the rule id, the table name */
    const char *path;             /* absolute when it could be resolved */
    const char *sha256;           /* NULL: not read */
} rhv_report_lua_file;

/* What produced the report, enough for `rhv verify` to run it again. */
typedef struct {
    bool known;                   /* false: none (a report made by hand) */
    const char *commit;           /* git describe of the build's checkout; NULL: unknown */
    const char *binary_sha256;    /* of /proc/self/exe; NULL: unknown */
    const char *const *argv;      /* the full command line */
    size_t argc;
    const char *cwd;              /* working directory, absolute; relative paths are from here */
    const char *home, *home_origin; /* rhv_home() absolute, and why it was chosen (paths.h) */
    const char *const *rule_dirs; /* every rules folder used, absolute, in load order */
    const char *const *rule_dir_origins; /* "bundled" or "rules_dir", parallel */
    size_t nrule_dirs;
    const char *const *rule_origins; /* per rule (parallel to rules): "bundled", "rules_dir" */
    const char *select;           /* --rules as given; NULL: none */
    bool default_rules;           /* false: --no-default-rules */
    const char *const *rules_dirs_given; /* --rules-dir as given */
    size_t nrules_dirs_given;
    const char *const *rule_args; /* --rule-arg as given */
    size_t nrule_args;
    int threads;                  /* --threads as given; -1: not given (the default) */
    int mem_limit_mib;            /* effective cap per rule */
    const char *format;           /* "text", "json" */
    const char *const *files;     /* the input files as given */
    size_t nfiles;
    const char *als, *vorige;     /* --als, --vorige as given; NULL: not given */
    /* The date a beoordeling's geldig_tot was judged against: given, or the
     * day of the run; NULL when it played no role (no beoordelingen file and
     * no --peildatum), so such a report does not depend on the date. */
    const char *peildatum;
    bool peildatum_given;         /* --peildatum was on the command line */
    const rhv_report_lua_file *lua_files;
    size_t nlua_files;
} rhv_report_provenance;

typedef struct {
    const char *version;          /* rhv version */

    /* The organisation, from the dossier, else from the first ledger's header. */
    const char *org_naam;         /* NULL: unknown */
    const char *org_soort;        /* NULL without a dossier */
    int fiscal_year;              /* 0: unknown */
    const char *normenkader_datum; /* YYYY-MM-DD; NULL without a dossier */

    /* The grens settings of the dossier, as far as the verdict does not hold them. */
    bool have_dossier;            /* a dossier was read, with or without errors */
    const char *grens_basis;      /* "realisatie" or "begroting"; NULL without a dossier */
    const char *grens_besluit;    /* YYYY-MM-DD; may be NULL */
    const char *grens_bron;       /* may be NULL */

    /* The verdict: only for a dossier read without errors (a grens known). */
    bool have_verdict;
    verdict_input vin;
    verdict_result vres;

    /* What the rules found, in the engine's order, and every rule with its status. */
    const rhv_finding *findings;
    size_t nfindings;
    const rhv_rule_info *rules;
    size_t nrules;
    const rhv_report_param *params;
    size_t nparams;
    const char *const *overrides; /* rule arguments set by --rule-arg or the dossier, "ID.key=value" */
    size_t noverrides;
    /* Parallel to overrides, engine_override_origin(): "opdrachtregel",
     * "FILE:LINE" (a <regelargument>), "opdrachtregel, vervangt V uit FILE:LINE".
     * NULL: all from the command line (a report made by hand). */
    const char *const *override_origins;

    /* Findings handled across runs (handled.h, docs/handled.md). notes is
     * parallel to findings (NULL: none, e.g. a report made by hand); the
     * other three are NULL when their file was not given. */
    const rhv_finding_note *notes;
    const rhv_beoordelingen_info *beoordelingen;
    const rhv_scenario_info *scenario;
    const rhv_vergelijking *vergelijking;

    const rhv_input *inputs;
    size_t ninputs;
    const diag_msg *diags;        /* input errors and warnings, in order */
    size_t ndiags;
    int exit_code;                /* 0 binnen, 1 boven, 2 errors */

    rhv_report_scope scope;
    rhv_report_provenance prov;
} rhv_report;

/* The note of a finding of r->findings; NULL when r has none. */
const rhv_finding_note *report_note(const rhv_report *r, const rhv_finding *f);
/* Counted in the totals: a counted fout or onzekerheid that no beoordeling dropped. */
bool report_counts(const rhv_report *r, const rhv_finding *f);
/* The findings a beoordeling took out of the totals (onterecht,
 * geregistreerd; signaleringen aside, they never count): how many, and
 * their sum in *sum. */
size_t report_afgehandeld(const rhv_report *r, rhv_cents *sum);
/* Listed one by one: verdict_is_reportable(), or every counted fout and
 * onzekerheid when there is no verdict (no rapportagegrens known); never a
 * dropped finding. */
bool report_is_reportable(const rhv_report *r, const rhv_finding *f);
/* true when an override came from the dossier (its origin is not
 * "opdrachtregel"): then the writers name every override's origin. */
bool report_overrides_from_dossier(const rhv_report *r);
/* Totals of the counted findings: r->vres when have_verdict, else computed
 * by verdict_compute() without a grens (ledger-only run). -1 if they cannot
 * be computed (bad finding, overflow). */
int report_totals(const rhv_report *r, verdict_result *out);

int report_text(FILE *out, const rhv_report *r);
int report_json(FILE *out, const rhv_report *r);
int report_html(FILE *out, const rhv_report *r);
int report_xlsx(FILE *out, const rhv_report *r); /* binary: a zip file */
int report_csv(FILE *out, const rhv_report *r);
typedef int (*report_writer)(FILE *out, const rhv_report *r);

/* The output formats by name and by file extension (report_formats.c). */
typedef struct {
    const char *name;        /* "text", "json", "html", "xlsx", "csv" */
    report_writer write;
    bool binary;             /* not for a terminal: never written to stdout */
} report_format;
/* NULL when unknown. */
const report_format *report_format_named(const char *name);
/* By the extension of path (.txt, .json, .html/.htm, .xlsx, .csv; any case);
 * NULL when it has none of those. */
const report_format *report_format_of_path(const char *path);
/* "text, json, html, xlsx or csv", for messages. */
const char *report_format_names(void);
/* Writes with `w` to path atomically; "-" or NULL means stdout. 0 ok, -1 error (diag). */
int report_write_atomic(const char *path, report_writer w, const rhv_report *r, rhv_diag *d);

#endif
