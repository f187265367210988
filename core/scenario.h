/* scenario.h - reads a scenario file for `rhv check --als` (docs/handled.md).
 *
 * Why it exists: before closing, a controller asks "what if": what if this
 * tender turns out to be a fout, what if the accountant turns this
 * onzekerheid into a fout. A scenario answers it without touching the
 * dossier, and the report says on its face that it is a scenario.
 *
 * Contract:
 * - Read like the dossier (handled_xml.h): <scenario naam="..."> in
 *   urn:rhv:dossier:1 holding <afwijking> (a hypothetical afwijking: id,
 *   criterium, soort, bedrag, onderwerp, omschrijving, with the values the
 *   dossier's <afwijking> allows) and <wordt_fout> (fingerprint, optional
 *   reden: that onzekerheid counted as a fout). Errors with file:line.
 * - Whether a fingerprint names an onzekerheid of the run is the run's check.
 * - 0: read without errors; -1: errors in d.
 */
#ifndef RHV_SCENARIO_H
#define RHV_SCENARIO_H

#include "diag.h"
#include "finding.h"
#include "money.h"

typedef struct {
    char *id, *onderwerp, *omschrijving;
    criterion crit;
    finding_kind kind;
    rhv_cents bedrag;
    long line;
} scenario_afwijking;

typedef struct {
    char *fingerprint, *reden;
    long line;
} scenario_fout;

typedef struct {
    char *naam;
    scenario_afwijking *afw;
    size_t nafw;
    scenario_fout *fout;
    size_t nfout;
} rhv_scenario;

int scenario_read(const char *path, rhv_scenario *out, rhv_diag *d);
void scenario_free(rhv_scenario *s);

#endif
