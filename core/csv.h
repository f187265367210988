/* csv.h - the rows of a CSV file, cell by cell, as UTF-8 text.
 *
 * Why it exists: a dossier may keep a register (kredieten, contracts, ...) in
 * a CSV file that a spreadsheet or another system exported (docs/workbook.md
 * §5). This module knows CSV and text encodings and nothing of the dossier:
 * it hands each row's cells to a callback, as xlsx_book.h does for a sheet.
 *
 * Contract:
 * - The file is read into memory whole (at most CSV_MAX_BYTES) and never
 *   written. Rows are separated by LF or CRLF; a cell in double quotes may
 *   hold the separator, a line break and "" for one quote (RFC 4180).
 * - The separator is ';' or ',' as opts->sep says, or, when 0, the one of the
 *   two that occurs (outside quotes) in the first line; both or neither is an
 *   error, since guessing would split every row wrongly.
 * - Text is UTF-8 (a leading byte order mark is dropped) or, when
 *   opts->cp1252, Windows-1252, converted to UTF-8. A byte that is not valid
 *   in the encoding is an error naming its line and cell; so is a UTF-16
 *   file, a NUL byte, and a UTF-8 byte order mark in a Windows-1252 file.
 * - The callback gets each row with the line it starts on and its cells in
 *   order (col 0-based), each NUL-terminated and valid during the call. Its
 *   non-zero return stops the read.
 * - Errors go to err_fn with a line and a 1-based cell number (0: the line as
 *   a whole, or the file when line is 0). A row with a bad cell is reported
 *   and not handed on; the reading goes on with the next row when it can.
 *   csv_read returns 0 when read to the end (errors or not), -1 when it
 *   could not read on (unreadable, too large, a quote never closed).
 */
#ifndef RHV_CSV_H
#define RHV_CSV_H

#include <stddef.h>

#define CSV_MAX_BYTES (256L << 20)

typedef struct {
    char sep;    /* ';' or ','; 0: detect from the first line */
    int cp1252;  /* the file is Windows-1252, not UTF-8 */
} csv_opts;

typedef struct {
    int col;          /* 0-based */
    const char *text; /* UTF-8, NUL-terminated */
    size_t len;
} csv_cell;

typedef int (*csv_row_fn)(void *ud, long line, const csv_cell *cells, int ncells);
typedef void (*csv_err_fn)(void *ud, long line, int col, const char *msg);

int csv_read(const char *path, const csv_opts *opts, csv_row_fn row, csv_err_fn err, void *ud);

#endif
