/* cmd_check_handled.h - findings handled across runs, inside `rhv check`
 * (docs/handled.md): fingerprints, the dossier's beoordelingen file, a
 * scenario (--als) and an earlier report (--vorige).
 *
 * Contract: two steps beside cmd_check.h's.
 *  - check_handled_plan(), after the plan and before the inputs are hashed:
 *    reads the beoordelingen file the plan found in the dossier, the scenario
 *    and the earlier report, and lists them as inputs (kinds
 *    "beoordelingen", "scenario", "vorige"), so they are hashed and
 *    `rhv verify` checks them.
 *  - check_handled_apply(), after the stream: the beoordelingen are checked
 *    against the dossier's afwijking ids and categories the stream kept
 *    (run->names; the dossier is read no extra time). Every finding gets its
 *    fingerprint and note; the beoordelingen, the scenario and the earlier
 *    report are matched against the findings. Problems go to the diag with
 *    the file and line of the entry: an entry that matches nothing or has
 *    expired is a warning; a besluit that cannot hold (unknown afwijking or
 *    category, a wordt_fout that names no onzekerheid) is an error.
 *  - Afterwards h->findings is what the report lists (the engine's findings
 *    as decided, then the scenario's), h->counted what the verdict totals,
 *    h->base what it totals without the scenario (only with --als).
 * Internal to the rhv executable.
 */
#ifndef RHV_CMD_CHECK_HANDLED_H
#define RHV_CMD_CHECK_HANDLED_H

#include "beoordeling.h"
#include "cmd_check.h"
#include "previous.h"
#include "scenario.h"

typedef struct {
    const char *als, *vorige;       /* from the command line, NULL: not given */
    char peildatum[11];             /* YYYY-MM-DD: geldig_tot is judged against it */
    const char *beoordelingen;      /* the dossier's (the plan's), NULL: none */
    const check_names *names;       /* the dossier's afwijking ids and categories (the run's) */
    bool have_bo, have_sc, have_prev;
    rhv_beoordelingen bo;
    rhv_scenario sc;
    rhv_previous prev;

    rhv_finding *findings;          /* shallow copies, then the scenario's own */
    size_t nfindings, nengine;
    rhv_finding_note *notes;
    char **fps;
    rhv_finding *counted, *base;
    size_t ncounted, nbase;
    rhv_beoordelingen_info boi;
    rhv_scenario_info sci;
    rhv_vergelijking vg;
    const rhv_prev_finding **vervallen;
} check_handled;

void check_handled_plan(check_handled *h, check_plan *p, rhv_diag *d);
/* 0 ok, -1 out of memory (reported). */
int check_handled_apply(check_handled *h, const check_run *run, rhv_diag *d);
/* After `added` findings joined the engine (reconcile.c): the list again, notes kept. 0, or -1 out of memory. */
int check_handled_add(check_handled *h, const check_run *run, size_t added);
void check_handled_free(check_handled *h);

#endif
