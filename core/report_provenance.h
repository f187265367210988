/* report_provenance.h - what produced a report: the build, the command line,
 * the folders and every Lua file loaded into a rule.
 *
 * Contract:
 * - report_prov_make() fills b->prov (report.h) once, after engine_finish:
 *   the build (git commit of the checkout rhv was built from, sha256 of the
 *   running binary via /proc/self/exe), the command line and working folder,
 *   rhv's home and why it was chosen, the rule folders (absolute), the
 *   effective options, and the Lua files: the helper library (the digest of
 *   the bytes loaded), each rule file, each parameter table used.
 * - Paths are made absolute (realpath, else against the working folder).
 * - What it cannot learn (no /proc, no git) is NULL, never a guess.
 * - 0 ok; -1 out of memory, nothing held. report_prov_free() frees it all;
 *   the strings borrowed from o and the engine must outlive the report.
 */
#ifndef RHV_REPORT_PROVENANCE_H
#define RHV_REPORT_PROVENANCE_H

#include <stdbool.h>
#include <stddef.h>

#include "engine.h"
#include "hash.h"
#include "owned_strings.h"
#include "report.h"

typedef struct {
    const char *const *argv;
    size_t argc;
    const char *bundled_dir;      /* loaded when default_rules */
    bool default_rules;
    const char *const *rules_dirs; /* --rules-dir, as given */
    size_t nrules_dirs;
    const char *select;           /* --rules, NULL: none */
    const char *const *rule_args; /* --rule-arg as given */
    size_t nrule_args;
    int threads;                  /* -1: not given */
    int mem_limit_mib;
    const char *format;
    const char *const *files;
    size_t nfiles;
    const char *als, *vorige;     /* as given; NULL: not given */
    const char *peildatum;        /* used; NULL: it played no role (report.h) */
    bool peildatum_given;
    const char *const *rule_origins; /* per engine rule (report_scope.h) */
} report_prov_opts;

typedef struct {
    rhv_report_provenance prov;
    char binary_sha256[SHA256_HEX_LEN];
    const char **rule_dirs;
    const char **rule_dir_origins;
    rhv_report_lua_file *lua;
    owned_strings owned;
} report_prov_builder;

int report_prov_make(report_prov_builder *b, const rhv_engine *e, const report_prov_opts *o);
void report_prov_free(report_prov_builder *b);

/* The absolute form of path (realpath, else cwd + "/" + path), malloc'd. */
char *prov_absolute(const char *path);

#endif
