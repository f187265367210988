/* report_xlsx_sheet.c - see report_xlsx_sheet.h */
#include "report_xlsx_sheet.h"

#include <stdio.h>
#include <stdlib.h>

/* Excel's limit on the text of one cell. */
#define CELL_MAX 32767

void sheet_check(book *b, lxw_error e)
{
    if (e != LXW_NO_ERROR)
        b->err = 1;
}

/* A text cell; NULL leaves it empty. Text longer than a cell holds is cut
 * on a character boundary. */
void sheet_text(sheet *s, lxw_col_t col, const char *text, lxw_format *f)
{
    if (!text)
        return;
    bool oom;
    char *v = report_utf8(text, &oom);
    if (!v) {
        s->b->err = 1;
        return;
    }
    size_t chars = 0, i = 0;
    for (; v[i]; i++)
        if (((unsigned char)v[i] & 0xC0) != 0x80 && ++chars > CELL_MAX)
            break;
    v[i] = '\0';
    sheet_check(s->b, worksheet_write_string(s->ws, s->row, col, v, f ? f : s->b->text));
    free(v);
}

void sheet_euro(sheet *s, lxw_col_t col, rhv_cents v, lxw_format *f)
{
    /* The one place an amount becomes a double: Excel stores no other kind
     * of number. Exact to the cent for |v| < 2^53 cents. */
    sheet_check(s->b, worksheet_write_number(s->ws, s->row, col, (double)v / 100.0, f ? f : s->b->euro));
}

void sheet_int(sheet *s, lxw_col_t col, long long v)
{
    sheet_check(s->b, worksheet_write_number(s->ws, s->row, col, (double)v, NULL));
}

void sheet_pct(sheet *s, lxw_col_t col, int64_t bp)
{
    sheet_check(s->b, worksheet_write_number(s->ws, s->row, col, (double)bp / 10000.0, s->b->pct));
}

/* Moves to the next row; false when the sheet is full (a note says so). */
bool sheet_next_row(sheet *s)
{
    if (s->full)
        return false;
    if (s->row + 2 >= LXW_ROW_MAX) {
        s->row++;
        sheet_text(s, 0, "Niet alles past op dit werkblad: de rest staat in het JSON-rapport.", s->b->bold);
        s->full = true;
        return false;
    }
    s->row++;
    return true;
}

/* The scenario banner in a printed page's header: Excel's header codes
 * (&C centre, &B bold) with every '&' of the text doubled, cut to the 255
 * characters Excel allows, never inside a UTF-8 sequence. */
static void print_banner(sheet *s, const char *banner)
{
    char h[256];
    size_t o = (size_t)snprintf(h, sizeof h, "&C&B");
    for (const char *p = banner; *p && o + 3 < sizeof h; p++) {
        if (*p == '&')
            h[o++] = '&';
        h[o++] = *p;
    }
    while (o > 0 && ((unsigned char)h[o - 1] & 0xC0) == 0x80)
        o--;
    if (o > 0 && ((unsigned char)h[o - 1] & 0xC0) == 0xC0)
        o--;
    h[o] = '\0';
    bool oom;
    char *v = report_utf8(h, &oom);
    if (!v)
        s->b->err = 1;
    else
        sheet_check(s->b, worksheet_set_header(s->ws, v));
    free(v);
}

bool sheet_open(book *b, sheet *s, const char *name)
{
    s->b = b;
    s->row = 0;
    s->top = 0;
    s->full = false;
    s->ws = workbook_add_worksheet(b->wb, name);
    if (!s->ws) {
        b->err = 1;
        return false;
    }
    char banner[512];
    if (b->r && report_scenario_banner_nl(b->r, banner, sizeof banner)) {
        sheet_text(s, 0, banner, b->banner);
        print_banner(s, banner);
        worksheet_freeze_panes(s->ws, 1, 0); /* a list sheet freezes its header row with it */
        s->row = s->top = 1;
    }
    return true;
}

/* A list sheet: header row frozen, widths set, the autofilter over every
 * column once the rows are written (list_end). */
void sheet_list_head(sheet *s, const char *const *names, const double *widths, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        sheet_text(s, (lxw_col_t)i, names[i], s->b->head);
        sheet_check(s->b, worksheet_set_column(s->ws, (lxw_col_t)i, (lxw_col_t)i, widths[i], NULL));
    }
    worksheet_freeze_panes(s->ws, s->top + 1, 0);
}

void sheet_list_end(sheet *s, size_t ncols)
{
    lxw_row_t last = s->full ? s->row - 1 : s->row;
    sheet_check(s->b,
                worksheet_autofilter(s->ws, s->top, 0, last > s->top ? last : s->top, (lxw_col_t)(ncols - 1)));
}


void sheet_label_text(sheet *s, const char *label, const char *value)
{
    sheet_next_row(s);
    sheet_text(s, 0, label, NULL);
    sheet_text(s, 1, value, NULL);
}

void sheet_label_euro(sheet *s, const char *label, rhv_cents v)
{
    sheet_next_row(s);
    sheet_text(s, 0, label, NULL);
    sheet_euro(s, 1, v, NULL);
}

void sheet_label_pct(sheet *s, const char *label, int64_t bp)
{
    sheet_next_row(s);
    sheet_text(s, 0, label, NULL);
    sheet_pct(s, 1, bp);
}
