/* report_build.h - fills the rhv_report of an `rhv check` run, once.
 *
 * Contract:
 * - report_build() reads the engine, the dossier, the verdict, the inputs and
 *   the diagnostics once and fills b->report, the one value every writer
 *   reads (report.h). Nothing is judged here: the verdict comes in decided.
 * - The arrays the report points to (findings, rules, parameter tables,
 *   overrides, inputs, diagnostics) are the builder's own shallow copies, in
 *   the engine's order. Their strings stay borrowed: the engine, the dossier,
 *   the organisation name, the input paths and the diag messages must outlive
 *   the report. A message added to the diag afterwards is not in the report.
 * - A rule with status ok that received no record (engine_rule_records)
 *   gets status no_data in the report: it ran on nothing, which is not the
 *   same as finding nothing.
 * - scope and prov are copied by value; what they point to stays borrowed.
 * - 0 ok; -1 when memory runs out, with nothing left allocated.
 * - report_build_free() frees the copies, never what they borrow.
 */
#ifndef RHV_REPORT_BUILD_H
#define RHV_REPORT_BUILD_H

#include "diag.h"
#include "dossier.h"
#include "engine.h"
#include "report.h"
#include "verdict.h"

typedef struct {
    const char *version;
    const rhv_engine *engine;
    const rhv_dossier *dossier;    /* NULL: no dossier was given */
    const char *org_naam;          /* without a dossier: the organisation as the */
    int fiscal_year;               /* ledgers name it (0: unknown) */
    const verdict_input *vin;      /* both NULL: no verdict */
    const verdict_result *vres;
    const rhv_input *inputs;
    size_t ninputs;
    const rhv_diag *diag;
    int exit_code;
    const rhv_report_scope *scope; /* NULL: none (report_scope.h) */
    const rhv_report_provenance *prov; /* NULL: none (report_provenance.h) */
    /* Findings handled across runs (handled.h): when findings is set, the
     * report lists these (with their notes) instead of the engine's. */
    const rhv_finding *findings;
    size_t nfindings;
    const rhv_finding_note *notes;
    const rhv_beoordelingen_info *beoordelingen;
    const rhv_scenario_info *scenario;
    const rhv_vergelijking *vergelijking;
} report_sources;

typedef struct {
    rhv_report report;
    /* The copies report points into, owned here. */
    rhv_finding *findings;
    rhv_rule_info *rules;
    rhv_report_param *params;
    const char **overrides;
    const char **override_origins;
    rhv_input *inputs;
    diag_msg *diags;
} report_builder;

int report_build(report_builder *b, const report_sources *src);
void report_build_free(report_builder *b);

#endif
