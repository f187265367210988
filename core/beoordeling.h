/* beoordeling.h - reads a beoordelingen file: what the controller decided
 * about each finding, by fingerprint (docs/handled.md).
 *
 * Contract:
 * - Read like the dossier (handled_xml.h): <beoordelingen> in
 *   urn:rhv:dossier:1 holding <beoordeling> entries; errors with file:line.
 * - Each entry: fingerprint (RULE:YEAR:12 hex digits, fingerprint.h), besluit
 *   (open | acceptabel | onterecht | geregistreerd), reden, door, datum
 *   (YYYY-MM-DD), optional geldig_tot (YYYY-MM-DD); categorie exactly when
 *   acceptabel, afwijking exactly when geregistreerd. A fingerprint named twice
 *   is an error at the second entry.
 * - Entries stay in file order; only valid entries are kept. Whether an entry
 *   matches a finding, names an afwijking that exists or has expired is the
 *   run's business (cmd_check_handled.c), not the reader's.
 * - 0: read without errors; -1: errors in d (the valid entries are kept).
 */
#ifndef RHV_BEOORDELING_H
#define RHV_BEOORDELING_H

#include "diag.h"
#include "handled.h"

typedef struct {
    rhv_beoordeling *v;
    size_t n, cap;
} rhv_beoordelingen;

int beoordelingen_read(const char *path, rhv_beoordelingen *out, rhv_diag *d);
void beoordelingen_free(rhv_beoordelingen *b);
/* "RULE:YEAR:" and 12 lowercase hex digits. */
bool fingerprint_well_formed(const char *s);

#endif
