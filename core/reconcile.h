/* reconcile.h - the RHV table as the controller typed it, against the verdict.
 *
 * Why it exists: the draft jaarrekening states the RHV table (fouten and
 * onzekerheden per criterion, their totals, the verantwoordingsgrens) as
 * <cijfer tabel="rhv" maat="bedrag"> cells (docs/aansluiting.md). Those
 * figures are only known after the verdict, which sums every rule's
 * findings; a rule cannot see the others' findings. So the host compares
 * them here, after the verdict, and data still flows one way: records ->
 * rules -> findings -> verdict -> these signaleringen -> report. The
 * signaleringen belong to rule verantwoording.aansluiting (which compares
 * the figures that follow from records), so they are listed with it, and
 * only when it runs (engine_add_findings).
 *
 * Contract:
 * - reconcile_note() keeps a copy of each cijfer record with maat "bedrag"
 *   and tabel "rhv"; every other record is left alone.
 * - reconcile_findings() gives one signalering (criterion geen, amount the
 *   difference) per kept cell whose published waarde differs from what rhv
 *   computed, rounded as the cell says (decimalen, afronding), and one
 *   (amount 0) per cell that names no figure of the table. Equal cells give
 *   nothing. Signaleringen never count, so the verdict is unchanged.
 */
#ifndef RHV_RECONCILE_H
#define RHV_RECONCILE_H

#include <stdbool.h>
#include <stddef.h>

#include "finding.h"
#include "record.h"
#include "verdict.h"

#define RECONCILE_RULE "verantwoording.aansluiting"

typedef struct {
    char *rij, *kolom, *file;
    long line;
    rhv_cents waarde;
    int decimalen;
    bool down;                   /* afronding "down", else half_up */
} reconcile_cell;

typedef struct {
    reconcile_cell *cells;
    size_t n, cap;
} reconcile;

/* 0 ok (kept or not a cell of the table), -1 out of memory. */
int reconcile_note(reconcile *rc, const rhv_record *rec);
/* The signaleringen into *out (malloc'd, *n of them; NULL when none). The
 * gescheiden setting of in decides which grens cells exist. 0 ok, -1 out of
 * memory (nothing allocated). */
int reconcile_findings(const reconcile *rc, const verdict_input *in, const verdict_result *res, rhv_finding **out,
                       size_t *n);
void reconcile_free(reconcile *rc);

#endif
