/* workbook.h - the dossier as a workbook: its sheets and how a cell becomes
 * a dossier value (docs/workbook.md).
 *
 * Why it exists: `rhv template` writes the workbook, the dossier reader reads
 * it back and `rhv convert` turns one form into the other; all three must
 * agree on which sheet holds which record type and what a cell means. The
 * fields themselves come from record_types.c (one source of truth); this
 * module adds only what a workbook needs beyond them: a sheet name per record
 * type and the reading of a stored cell.
 *
 * Contract:
 * - wb_sheet_name() gives every dossier record type a sheet; a record type
 *   added to record_types.c without an entry here gets its own name as sheet.
 * - wb_number() turns the decimal text a number cell stores into an integer at
 *   a scale, exactly: no float. Excel stores binary doubles and writes up to 17
 *   significant digits, so 1234.56 may be stored as 1234.5600000000002; digits
 *   beyond the 15th significant one are that noise and are rounded away, but a
 *   value with more decimals than the scale within 15 significant digits
 *   (1234.567 for cents) is refused. `shift` multiplies by 10^shift first (a
 *   percentage stored as a fraction: 0.03 is 3%).
 * - wb_cell_text() gives the text the XML dossier would hold for the cell
 *   (amounts "1234.56", dates "2023-12-31", booleans "true"), which the
 *   dossier reader then checks as it checks an attribute; or a message that
 *   says what is wrong with the cell and how to fix it.
 */
#ifndef RHV_WORKBOOK_H
#define RHV_WORKBOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "record.h"
#include "xlsx_book.h"

#define WB_SHEET_HELP "Uitleg"
#define WB_SHEET_FILES "Bestanden"
#define WB_TOTAL_MARK "Controletotaal"

/* The columns of the Bestanden sheet (NULL-terminated): "element" says what
 * a row is (ledger or register), the others are that element's attributes. */
extern const char *const wb_files_cols[];
#define WB_FILES_MAX_COLS 8

#define WB_SHEET_NAME_MAX 31 /* Excel's limit */

/* Dossier record types with a sheet of their own: all but ledger, whose
 * rows stand in the Bestanden sheet with the other files a dossier names,
 * and a declared register whose name is longer than a sheet's may be. A
 * declared register's sheet is its name. */
bool wb_has_sheet(const rhv_record_type *t);
/* The sheet of a dossier record type. */
const char *wb_sheet_name(const rhv_record_type *t);
/* The dossier record type whose sheet is `name`, or NULL. */
const rhv_record_type *wb_sheet_type(const char *name);
/* Record types of which a dossier has at most one (organisation, contractregister). */
bool wb_single_row(const rhv_record_type *t);
/* One line about the sheet for the Uitleg sheet. */
const char *wb_sheet_doc(const rhv_record_type *t);

typedef enum {
    WB_OK = 0,
    WB_NOT_NUMBER,  /* not a decimal number as a cell stores it */
    WB_TOO_PRECISE, /* more decimals than the scale allows */
    WB_TOO_LARGE    /* does not fit an int64 at the scale */
} wb_status;

wb_status wb_number(const char *s, size_t len, int scale, int shift, int64_t *out);

/* An Excel serial day number as "YYYY-MM-DD" (buf >= 11 bytes); -1 when out of range. */
int wb_serial_date(int64_t serial, bool date1904, char *buf);

/* 0: out and outlen hold the dossier text (in buf or in the cell); -1: why says what to fix. */
int wb_cell_text(const xlsx_cell *c, const rhv_record_type *t, const rhv_field_def *f, bool date1904, char *buf,
                 size_t n, const char **out, size_t *outlen, char *why, size_t whyn);

/* A number in Dutch notation (1.234,56: points between groups of three
 * digits, a comma before the decimals), as a CSV register with getallen="nl"
 * holds it, into the dossier's text (1234.56) in buf (n >= len + 2).
 * 0 ok; -1 with why: not such a number, a point in the wrong place, English
 * notation, or ambiguous: 1.234 and 1,234 (a non-zero first group, one
 * separator, three digits after it) read as another number in English. */
int wb_nl_number(const char *s, size_t len, char *buf, size_t n, char *why, size_t whyn);

#endif
