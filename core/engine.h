/* engine.h - loads Lua rules, hands them records, collects their findings.
 *
 * Contract:
 * - Every rule file gets its own sandboxed lua_State (sandbox.h). Loading
 *   checks the rule's metadata (docs/writing-rules.md) and reports any problem
 *   naming the file and the field; such a rule gets status error and the others
 *   still load.
 * - engine_start() decides per rule: skipped when none of the sources it
 *   reads is present, else when the source of a type in its `requires` is
 *   absent, else when the fiscal year is not among its years (reason given,
 *   in that order); error when a legal parameter it needs has no value for
 *   the year (the error names parameter and year).
 * - engine_dispatch() has the rhv_sink signature. It hands the record to every
 *   running rule that declared the record type in `reads`. A rule that raises,
 *   exceeds its instruction budget or its memory cap becomes status error (with
 *   file:line and traceback) and receives nothing more; the others go on.
 * - engine_finish() calls each running rule's finish() and collects findings.
 *   Findings are kept in rule order (rules sorted by id); within a rule they
 *   are sorted by subject (digit runs by value), kind, criterion, amount
 *   (largest first), message: deterministic even when a rule emits from a
 *   pairs() loop, whose order differs between runs. A rule that ends in error
 *   contributes no findings (a partial result would understate).
 */
#ifndef RHV_ENGINE_H
#define RHV_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "finding.h"
#include "record.h"

typedef struct rhv_engine rhv_engine;

typedef struct {
    size_t mem_limit;          /* bytes per rule state; 0 = default (64 MiB) */
    uint64_t instr_budget;     /* VM instructions per call into a rule; 0 = default */
    const char *plugins_dir;   /* folder with lib/ helpers (plugins/) */
    const char *params_dir;    /* folder with legal parameter tables (params/) */
    rhv_diag *diag;            /* where load errors go (also kept per rule) */
    int threads;               /* 0: rules run in the caller's thread, inside
                                * engine_dispatch. N > 0: N threads share the
                                * rules: N - 1 workers (at least 1) run them
                                * while engine_dispatch queues a copy of the
                                * record, and runs queued rule work itself when
                                * the queue is full; engine_finish waits for
                                * them. A rule runs on one thread at a time.
                                * Statuses and findings are the same either
                                * way; rule errors then reach diag at
                                * engine_finish, in rule order. */
} rhv_engine_opts;

typedef struct {
    char *name;     /* parameter table name, e.g. "eu_drempels" */
    char *file;     /* its file */
    char *sha256;   /* digest of the file */
} rhv_param_info;

typedef struct {
    const char *name;   /* module name, e.g. "inkoop_leverancier" */
    const char *file;   /* plugins/lib/<name>.lua */
    const char *sha256; /* digest of the bytes loaded */
} rhv_module_info;

rhv_engine *engine_new(const rhv_engine_opts *opts);
void engine_free(rhv_engine *e);

/* Load every "*.lua" in dir that is not "*_test.lua", in name order. */
int engine_load_dir(rhv_engine *e, const char *dir);
int engine_load_file(rhv_engine *e, const char *path);

/* "ID.key=value": override a rule argument; an unknown rule or key is an error (-1).
 * The value is typed by the rule's declaration (docs/rule-api.md, Arguments):
 * an rhv.arg.amount in euros ("125000.00"), an rhv.arg.list as "a,b". */
int engine_set_rule_arg(rhv_engine *e, const char *assignment);
/* The same from a dossier's <regelargument> at file:line (messages there): a
 * rule not loaded in this run is a warning and the value is ignored (0). A
 * later call for the same key (the command line) replaces it, and the
 * report's origin says so. */
int engine_set_rule_arg_at(rhv_engine *e, const char *assignment, const char *file, long line);
/* The same with an amount as integer cents: a `rhv test` case's Lua value. */
int engine_set_rule_arg_cents(rhv_engine *e, const char *assignment);
/* Selector expression (ids, globs, criteria with and/or/not): rules not
 * selected are dropped. Returns -1 with a message in diag if it matches nothing
 * or does not parse. */
int engine_select(rhv_engine *e, const char *expr);

/* sources: bit set of rhv_source_kind present in this run. */
int engine_start(rhv_engine *e, int fiscal_year, unsigned sources);
int engine_dispatch(void *engine, const rhv_record *rec);
void engine_finish(rhv_engine *e);

size_t engine_rule_count(const rhv_engine *e);
const rhv_rule_info *engine_rule(const rhv_engine *e, size_t i);
size_t engine_finding_count(const rhv_engine *e);
const rhv_finding *engine_finding(const rhv_engine *e, size_t i);
/* After engine_finish: findings the host made for rule `id` (the figures
 * known only after the verdict, core/reconcile.h) join that rule's, sorted
 * with them; the engine takes ownership of fs[0..n) (their strings are
 * freed with the engine, the array itself stays the caller's). Dropped
 * (freed) when the rule is not loaded or did not end ok: a rule in error
 * contributes no findings. 0 ok (also when dropped), -1 out of memory
 * (the findings freed). */
int engine_add_findings(rhv_engine *e, const char *id, rhv_finding *fs, size_t n);
/* Library modules (field `uses`) loaded into the rules now in the engine, by name. */
size_t engine_module_count(const rhv_engine *e);
const rhv_module_info *engine_module(const rhv_engine *e, size_t i);
size_t engine_param_count(const rhv_engine *e);
const rhv_param_info *engine_param(const rhv_engine *e, size_t i);
/* Rule arguments overridden with engine_set_rule_arg, as "ID.key=value". */
size_t engine_override_count(const rhv_engine *e);
const char *engine_override(const rhv_engine *e, size_t i);
/* Where override i came from: "opdrachtregel", "FILE:LINE" (a dossier's
 * <regelargument>), or "opdrachtregel, vervangt VALUE uit FILE:LINE". */
const char *engine_override_origin(const rhv_engine *e, size_t i);

/* For the report (engine_report.c): records handed to rule i's handlers
 * (valid after engine_finish; 0 for a rule that did not run), and the
 * helper library loaded into every rule: its path and the sha256 of the
 * bytes loaded. */
uint64_t engine_rule_records(const rhv_engine *e, size_t i);
const char *engine_lib_path(const rhv_engine *e);
const char *engine_lib_sha256(const rhv_engine *e);

/* What a rule declares (for `rhv rules`). Valid while the engine lives;
 * fields a rule with a load error did not get are 0/NULL. */
typedef struct {
    int year_from, year_to;
    bool year_open;                /* no years.to */
    const char *description;       /* may be NULL */
    const char *legal_text, *legal_source;
    const char *const *reads;      /* record type names, as declared */
    size_t nreads;
    const char *const *params;     /* parameter table names */
    size_t nparams;
    size_t nargs;                  /* see engine_rule_arg */
    const char *const *requires;   /* subset of reads the rule cannot do without */
    size_t nrequires;
} rhv_rule_meta;
int engine_rule_meta(const rhv_engine *e, size_t i, rhv_rule_meta *out);
/* Argument k of rule i as "key=value" (current value, after overrides). */
int engine_rule_arg(const rhv_engine *e, size_t i, size_t k, char *buf, size_t n);

/* Peak bytes of rule i's Lua state (0 when it has none, e.g. a load error). */
size_t engine_rule_mem_peak(const rhv_engine *e, size_t i);

/* For `rhv test`: replace parameter table `name`'s value for this run (copied;
 * the last call for a name wins). Returns 0, or -1 when memory runs out. */
struct rhv_pvalue;
int engine_set_param_value(rhv_engine *e, const char *name, const struct rhv_pvalue *v);

/* Is s a well-formed rule id: ^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$ (also used by `rhv rules new`). */
bool engine_valid_rule_id(const char *s);

#endif
