/* dossier_collect.h - a whole dossier (XML or workbook) held in memory, for
 * the commands that write it in another form (rhv template --from, rhv convert).
 *
 * Contract: dossier_collect() reads `path` with dossier_read() (all its checks)
 * and keeps a copy of every record, in the order read, with its own strings.
 * It returns 0 only when the dossier has no errors; a dossier with errors is
 * never converted, so a conversion never silently drops a bad value.
 * The rows of CSV registers are not kept: the register stays a file the
 * dossier names (c->registers, as named), in whichever form it is written.
 */
#ifndef RHV_DOSSIER_COLLECT_H
#define RHV_DOSSIER_COLLECT_H

#include <stddef.h>

#include "diag.h"
#include "dossier.h"
#include "record.h"

typedef struct {
    const rhv_record_type *type;
    rhv_value *v; /* type->nfields values; strings malloc'd */
} dc_record;

typedef struct {
    rhv_dossier ds;
    dc_record *recs;
    size_t n, cap;
    char **ledgers; /* as the dossier names them: relative to its folder when inside it */
    char **registers; /* ds.registers' paths, likewise */
} dc_dossier;

int dossier_collect(const char *path, dc_dossier *out, rhv_diag *d);
void dossier_collect_free(dc_dossier *c);

#endif
