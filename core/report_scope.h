/* report_scope.h - what a run of `rhv check` did and did not check.
 *
 * Contract:
 * - report_scope_make() compares the standard rules (every rule file in the
 *   bundled rules folder, as engine_load_dir would load it) with the rules in
 *   the engine after the run, and fills b->scope (report.h):
 *     not_run: each standard rule that is not in the engine (deselected with
 *              --rules, or not loaded: --no-default-rules), and each rule in
 *              the engine with status error or skipped, with the reason;
 *              sorted by id.
 *     no_data: each rule with status ok that received no record of the
 *              types it reads (engine_rule_records() == 0), in rule order.
 *     complete: no standard rule in not_run or no_data, and no rule in error.
 *   A standard rule that is not loaded is named by its file name (the rule
 *   id, by the bundled rules' convention).
 * - b->origins gets, per engine rule, "bundled" or "rules_dir".
 * - Call after engine_finish. Strings are the builder's own or the engine's
 *   (which must outlive the scope). 0 ok; -1 out of memory, nothing held.
 */
#ifndef RHV_REPORT_SCOPE_H
#define RHV_REPORT_SCOPE_H

#include <stdbool.h>
#include <stddef.h>

#include "engine.h"
#include "owned_strings.h"
#include "report.h"

typedef struct {
    const char *bundled_dir;      /* the bundled rules folder (rhv_path "rules") */
    bool default_rules;           /* it was loaded */
    const char *select;           /* --rules, NULL: none */
    const char *const *rules_dirs; /* --rules-dir as given */
    size_t nrules_dirs;
} report_scope_opts;

typedef struct {
    rhv_report_scope scope;
    const char **origins;         /* per engine rule */
    rhv_report_not_run *not_run;
    const char **no_data;
    owned_strings owned;          /* ids and reasons made here */
} report_scope_builder;

int report_scope_make(report_scope_builder *b, const rhv_engine *e, const report_scope_opts *o);
void report_scope_free(report_scope_builder *b);

#endif
