/* workbook_write.h - writes the dossier workbook (docs/workbook.md): one
 * sheet per dossier record type with the fields as header row, column
 * formats, enum lists and a comment per column, a Bestanden sheet for the
 * ledgers and an Uitleg sheet. With c, the sheets hold c's records (rhv
 * template --from, rhv convert); without, the workbook is empty.
 * 0 written; -1 reported in d (the file may then be incomplete). */
#ifndef RHV_WORKBOOK_WRITE_H
#define RHV_WORKBOOK_WRITE_H

#include "diag.h"
#include "dossier_collect.h"

int workbook_write(const char *path, const dc_dossier *c, rhv_diag *d);

#endif
