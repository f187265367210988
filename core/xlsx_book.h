/* xlsx_book.h - the cells of an .xlsx workbook, sheet by sheet, row by row.
 *
 * Why it exists: the dossier may be kept as a workbook (docs/workbook.md).
 * This module knows the SpreadsheetML parts (workbook.xml and its rels,
 * sharedStrings.xml, styles.xml, the sheets) and nothing of the dossier: it
 * hands each row's cells, with their stored text, to a callback.
 *
 * Contract:
 * - The parts are read through xlsx_zip.h (limits, nothing written to disk)
 *   and parsed from memory with libxml2's xmlReader: no network, no entity
 *   substitution, and a part with a DTD is refused.
 * - A cell is given as stored: its text (a shared or inline string, or the
 *   number exactly as written in the sheet's XML: no float in between), its
 *   type, and whether its number format shows a percentage. A formula cell
 *   gives its cached value. Cells without a value are left out; a row without
 *   any is not reported at all.
 * - Errors (damaged parts, a bad cell reference) are set in *err with the
 *   part or cell they concern; the reading then stops (-1).
 */
#ifndef RHV_XLSX_BOOK_H
#define RHV_XLSX_BOOK_H

#include <stddef.h>

#define XLSX_MAX_COLS 16384 /* XFD */
#define XLSX_MAX_ROWS 1048576

typedef struct {
    int col;          /* 0-based: A = 0 */
    char type;        /* 's' text, 'n' number, 'b' boolean ("0"/"1"), 'e' error (#N/A...), 'd' ISO 8601 text */
    const char *text; /* NUL-terminated; valid during the callback */
    size_t len;
    int pct;          /* the cell's number format shows a percentage */
} xlsx_cell;

/* One row (1-based number) with its cells in column order. Non-zero stops the read. */
typedef int (*xlsx_row_fn)(void *ud, long row, const xlsx_cell *cells, int ncells);

typedef struct xlsx_book xlsx_book;

xlsx_book *xlsx_book_open(const char *path, char *err, size_t errn);
void xlsx_book_close(xlsx_book *b);
int xlsx_book_nsheets(const xlsx_book *b);
const char *xlsx_book_sheet(const xlsx_book *b, int i);
/* workbook.xml says date1904: serial numbers count from 1904-01-01. */
int xlsx_book_date1904(const xlsx_book *b);
/* 0 read to the end (or stopped by fn), -1 error in *err. */
int xlsx_book_rows(xlsx_book *b, int sheet, xlsx_row_fn fn, void *ud, char *err, size_t errn);

/* "D14" from a 0-based column and a row; buf of at least 16 bytes. */
char *xlsx_cell_name(char *buf, size_t n, int col, long row);

#endif
