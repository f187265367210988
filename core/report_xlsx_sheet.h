/* report_xlsx_sheet.h - writing the cells of the Excel report
 * (report_xlsx.c) with libxlsxwriter: one book with its formats, a sheet
 * written row by row.
 *
 * Contract: a failed write sets book.err and writing carries on, so the
 * caller checks it once when the workbook is closed. Rows only go forward
 * (sheet_next_row); when Excel's last row is near, the sheet says in its last
 * row that the rest is in the JSON report and every later row is left off.
 * Text is written as UTF-8, cut to what one cell holds; an amount is a number
 * in euro (cents / 100), the one place an amount becomes a double.
 */
#ifndef RHV_REPORT_XLSX_SHEET_H
#define RHV_REPORT_XLSX_SHEET_H

#include <stdbool.h>
#include <xlsxwriter.h>

#include "report_cells.h"

typedef struct {
    lxw_workbook *wb;
    lxw_format *head, *euro, *text, *pct, *bold, *bold_euro, *banner;
    const rhv_report *r;
    int err;
} book;

typedef struct {
    book *b;
    lxw_worksheet *ws;
    lxw_row_t row;     /* next row to write */
    lxw_row_t top;     /* the first row under the scenario banner (0 without one) */
    bool full;         /* Excel's last row is reached: the rest is left off, said in the last row */
} sheet;
void sheet_check(book *b, lxw_error e);
/* A text cell; NULL leaves it empty; f NULL: the book's text format. */
void sheet_text(sheet *s, lxw_col_t col, const char *text, lxw_format *f);
/* An amount in euro; f NULL: the book's euro format. */
void sheet_euro(sheet *s, lxw_col_t col, rhv_cents v, lxw_format *f);
void sheet_int(sheet *s, lxw_col_t col, long long v);
/* bp hundredths of a percent, as a percentage. */
void sheet_pct(sheet *s, lxw_col_t col, int64_t bp);
/* Moves to the next row; false when the sheet is full (a note says so). */
bool sheet_next_row(sheet *s);
/* A new sheet. With a scenario (--als) its first row is the banner and
 * every printed page has it in its header: a what-if is marked on screen
 * and on paper; the sheet's own rows start under it. */
bool sheet_open(book *b, sheet *s, const char *name);
/* A list sheet: header row (under the banner) frozen with the banner, widths
 * set, the autofilter over every column once the rows are written
 * (sheet_list_end). */
void sheet_list_head(sheet *s, const char *const *names, const double *widths, size_t n);
void sheet_list_end(sheet *s, size_t ncols);
/* A new row: label in column A, the value in column B. */
void sheet_label_text(sheet *s, const char *label, const char *value);
void sheet_label_euro(sheet *s, const char *label, rhv_cents v);
void sheet_label_pct(sheet *s, const char *label, int64_t bp);

/* report_xlsx_summary.c: the sheet Samenvatting. */
void report_xlsx_summary(book *b, const rhv_report *r);

/* report_xlsx_handled.c: findings handled across runs (docs/handled.md). */
/* The columns Vingerafdruk, Beoordeling, Reden, Vorige, Vorig bedrag and
 * Scenario of a finding's row, from column first on. */
#define XLSX_HANDLED_HEAD "Vingerafdruk", "Beoordeling", "Reden", "Vorige", "Vorig bedrag", "Scenario"
#define XLSX_HANDLED_WIDTH 40, 16, 40, 13, 17, 28
enum { XLSX_HANDLED_COLS = 6 };
void report_xlsx_handled_cols(sheet *s, lxw_col_t first, const rhv_finding *f);
/* On the Samenvatting: the scenario (--als) under the title; the
 * beoordelingen and the Vergelijking (--vorige) after the uitkomst. Nothing
 * when the report has none. */
void report_xlsx_summary_scenario(sheet *s, const rhv_report *r);
void report_xlsx_summary_beoordelingen(sheet *s, const rhv_report *r);
void report_xlsx_summary_vergelijking(sheet *s, const rhv_report *r);
/* The sheet Vervallen (--vorige): the earlier report's findings that are gone. */
void report_xlsx_vervallen(book *b, const rhv_report *r);

#endif
