/* workbook_write.c - the dossier workbook written with libxlsxwriter
 * (contract in workbook_write.h; the layout is docs/workbook.md).
 *
 * Everything about the columns comes from record_types.c (fields, kinds,
 * docs, required) and value_fields.c (enums, percentages), so the template
 * and docs/records.md cannot drift apart. The workbook is deterministic: a
 * fixed creation time in its properties, and libxlsxwriter's fixed zip times.
 *
 * Amounts are written as numbers; libxlsxwriter takes a double, which holds
 * every amount below 10^13 euros exactly enough for the reader's 15-digit
 * rule (workbook.h) to give back the same cents. A larger amount is written
 * as text, which the reader takes exactly too.
 */
#include "workbook_write.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "money.h"
#include "value.h"
#include "workbook.h"

#define LAST_ROW 1048575
#define FIXED_CREATED 1704067200 /* 2024-01-01T00:00:00Z: the same bytes on every run */

typedef struct {
    lxw_workbook *wb;
    lxw_format *head, *text, *euro, *date, *pct, *dec[5], *integer, *wrap;
} fmts;

static const char *kind_word(const rhv_record_type *t, const rhv_field_def *f)
{
    const value_domain *d = value_domain_of(t, f);
    switch (f->kind) {
    case VAL_STR:
        return d->values ? "keuzelijst" : "tekst";
    case VAL_MONEY:
        return "bedrag in euro's";
    case VAL_SCALED:
        return d->percentage ? "percentage" : "getal";
    case VAL_INT:
        return "geheel getal";
    case VAL_DATE:
        return "datum";
    case VAL_BOOL:
        return "true of false";
    case VAL_NONE:
        break;
    }
    return "";
}

static lxw_format *col_format(fmts *F, const rhv_record_type *t, const rhv_field_def *f)
{
    switch (f->kind) {
    case VAL_MONEY:
        return F->euro;
    case VAL_DATE:
        return F->date;
    case VAL_INT:
        return F->integer;
    case VAL_SCALED:
        if (value_domain_of(t, f)->percentage)
            return F->pct;
        return F->dec[f->scale > 4 ? 4 : f->scale];
    default:
        return F->text;
    }
}

/* The text of a column's comment: what the field means, its kind, required or not, and its values. */
static void column_note(const rhv_record_type *t, const rhv_field_def *f, char *buf, size_t n)
{
    const value_domain *d = value_domain_of(t, f);
    size_t u = (size_t)snprintf(buf, n, "%s\n(%s, %s)", f->doc, kind_word(t, f), f->required ? "verplicht" : "mag leeg");
    if (d->values && u < n) {
        u += (size_t)snprintf(buf + u, n - u, "\nWaarden: ");
        for (int i = 0; d->values[i] && u < n; i++)
            u += (size_t)snprintf(buf + u, n - u, "%s%s", i ? ", " : "", d->values[i]);
    }
}

static int validation(lxw_worksheet *ws, int col, const char *const *values)
{
    char *list[64];
    int n = 0;
    for (; values[n] && n < 63; n++)
        list[n] = (char *)values[n];
    list[n] = NULL;
    lxw_data_validation dv;
    memset(&dv, 0, sizeof dv);
    dv.validate = LXW_VALIDATION_TYPE_LIST;
    dv.value_list = list;
    dv.error_title = "Ongeldige waarde";
    dv.error_message = "Kies een waarde uit de lijst.";
    return worksheet_data_validation_range(ws, 1, (lxw_col_t)col, LAST_ROW, (lxw_col_t)col, &dv) == LXW_NO_ERROR
               ? 0
               : -1;
}

static const char *const bool_values[] = {"true", "false", NULL};

static int write_value(lxw_worksheet *ws, fmts *F, int row, int col, const rhv_record_type *t,
                       const rhv_field_def *f, const rhv_value *v)
{
    lxw_format *fm = col_format(F, t, f);
    char buf[64];
    lxw_error e = LXW_NO_ERROR;
    switch (v->kind) {
    case VAL_NONE:
        return 0;
    case VAL_STR:
        e = worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)col, v->s, fm);
        break;
    case VAL_BOOL:
        e = worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)col, v->i ? "true" : "false", fm);
        break;
    case VAL_MONEY:
        if (v->i > -100000000000000LL && v->i < 100000000000000LL)
            e = worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)col, (double)v->i / 100.0, fm);
        else
            e = worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)col, money_format_plain(v->i, buf), fm);
        break;
    case VAL_INT:
        e = worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)col, (double)v->i, fm);
        break;
    case VAL_SCALED: {
        double div = 1;
        for (int k = 0; k < f->scale; k++)
            div *= 10;
        if (value_domain_of(t, f)->percentage)
            div *= 100; /* 3% is stored as 0.03 and shown with a percent format */
        e = worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)col, (double)v->i / div, fm);
        break;
    }
    case VAL_DATE: {
        int y = 0, m = 0, d = 0;
        sscanf(v->s, "%4d-%2d-%2d", &y, &m, &d);
        if (y >= 1900) {
            lxw_datetime dt = {y, m, d, 0, 0, 0};
            e = worksheet_write_datetime(ws, (lxw_row_t)row, (lxw_col_t)col, &dt, fm);
        } else {
            e = worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)col, v->s, fm);
        }
        break;
    }
    }
    return e == LXW_NO_ERROR ? 0 : -1;
}

static int record_sheet(fmts *F, const rhv_record_type *t, const dc_dossier *c)
{
    lxw_worksheet *ws = workbook_add_worksheet(F->wb, wb_sheet_name(t));
    if (!ws)
        return -1;
    worksheet_freeze_panes(ws, 1, 0);
    for (int k = 0; k < t->nfields; k++) {
        const rhv_field_def *f = &t->fields[k];
        char note[1024];
        column_note(t, f, note, sizeof note);
        double width = f->kind == VAL_STR && value_domain_of(t, f)->values == NULL ? 24 : 16;
        if (worksheet_set_column(ws, (lxw_col_t)k, (lxw_col_t)k, width, col_format(F, t, f)) != LXW_NO_ERROR ||
            worksheet_write_string(ws, 0, (lxw_col_t)k, f->name, F->head) != LXW_NO_ERROR ||
            worksheet_write_comment(ws, 0, (lxw_col_t)k, note) != LXW_NO_ERROR)
            return -1;
        const value_domain *d = value_domain_of(t, f);
        if (d->values && validation(ws, k, d->values) != 0)
            return -1;
        if (f->kind == VAL_BOOL && validation(ws, k, bool_values) != 0)
            return -1;
    }
    int row = 1;
    for (size_t i = 0; c && i < c->n; i++) {
        if (c->recs[i].type != t)
            continue;
        for (int k = 0; k < t->nfields; k++)
            if (write_value(ws, F, row, k, t, &t->fields[k], &c->recs[i].v[k]) != 0)
                return -1;
        row++;
    }
    return 0;
}

static int files_sheet(fmts *F, const dc_dossier *c)
{
    lxw_worksheet *ws = workbook_add_worksheet(F->wb, WB_SHEET_FILES);
    if (!ws)
        return -1;
    static const char *const element_values[] = {"ledger", "register", NULL};
    static const char *const sep_values[] = {";", ",", NULL};
    static const char *const enc_values[] = {"utf-8", "windows-1252", NULL};
    static const char *const num_values[] = {"punt", "nl", NULL};
    static const char *const notes[] = {
        "ledger: een grootboek (XML Auditfile Financieel); register: een CSV-bestand met rijen van een soort gegeven",
        "pad van het bestand, ten opzichte van de map van de werkmap",
        "ledger: true als het bestand een extract van het grootboek is, niet het hele grootboek (mag leeg)",
        "register: het soort gegeven van de rijen (krediet, contract, ...)",
        "register: het scheidingsteken, ; of , (leeg: uit de eerste regel)",
        "register: utf-8 (standaard) of windows-1252",
        "register: nl voor bedragen als 1.234,56; punt (standaard) voor 1234.56",
        "ledger: het boekjaar van een grootboek van een eerder jaar (leeg: het boekjaar van het dossier)",
    };
    for (int k = 0; wb_files_cols[k]; k++)
        if (worksheet_set_column(ws, (lxw_col_t)k, (lxw_col_t)k, k == 1 ? 48 : 12, F->text) != LXW_NO_ERROR ||
            worksheet_write_string(ws, 0, (lxw_col_t)k, wb_files_cols[k], F->head) != LXW_NO_ERROR ||
            worksheet_write_comment(ws, 0, (lxw_col_t)k, notes[k]) != LXW_NO_ERROR)
            return -1;
    /* The types a register may hold: the built-in ones, then the declared
     * registers, as far as Excel's 255 characters for a list allow. */
    const char *reg_types[RHV_MAX_RECORD_TYPES + 1];
    int nt = 0;
    size_t chars = 0;
    for (int i = 0; i < rhv_record_type_count; i++) {
        const char *name = rhv_record_types[i]->name;
        if (dossier_register_type(name, strlen(name)) && chars + strlen(name) + (nt > 0) <= 255) {
            chars += strlen(name) + (nt > 0);
            reg_types[nt++] = name;
        }
    }
    reg_types[nt] = NULL;
    if (validation(ws, 0, element_values) != 0 || validation(ws, 2, bool_values) != 0 ||
        validation(ws, 3, reg_types) != 0 || validation(ws, 4, sep_values) != 0 ||
        validation(ws, 5, enc_values) != 0 || validation(ws, 6, num_values) != 0)
        return -1;
    lxw_row_t row = 1;
    for (size_t i = 0; c && i < c->ds.nledgers; i++, row++)
        if (worksheet_write_string(ws, row, 0, "ledger", NULL) != LXW_NO_ERROR ||
            worksheet_write_string(ws, row, 1, c->ledgers[i], NULL) != LXW_NO_ERROR ||
            (c->ds.ledger_extract[i] && worksheet_write_string(ws, row, 2, "true", NULL) != LXW_NO_ERROR) ||
            (c->ds.ledger_fiscal_year[i] && worksheet_write_number(ws, row, 7, c->ds.ledger_fiscal_year[i], F->integer) != LXW_NO_ERROR))
            return -1;
    for (size_t i = 0; c && i < c->ds.nregisters; i++, row++) {
        const rhv_register *g = &c->ds.registers[i];
        char sep[2] = {g->sep, '\0'};
        if (worksheet_write_string(ws, row, 0, "register", NULL) != LXW_NO_ERROR ||
            worksheet_write_string(ws, row, 1, c->registers[i], NULL) != LXW_NO_ERROR ||
            worksheet_write_string(ws, row, 3, g->type, NULL) != LXW_NO_ERROR ||
            (g->sep && worksheet_write_string(ws, row, 4, sep, NULL) != LXW_NO_ERROR) ||
            (g->cp1252 && worksheet_write_string(ws, row, 5, "windows-1252", NULL) != LXW_NO_ERROR) ||
            (g->nl_numbers && worksheet_write_string(ws, row, 6, "nl", NULL) != LXW_NO_ERROR))
            return -1;
    }
    return 0;
}

static int help_sheet(fmts *F)
{
    lxw_worksheet *ws = workbook_add_worksheet(F->wb, WB_SHEET_HELP);
    if (!ws)
        return -1;
    static const char *const intro[] = {
        "Dit is een rhv-dossier als werkmap. Controleer het met: rhv check dossier.xlsx",
        "Elk tabblad hoort bij een soort gegeven; rij 1 noemt de velden, elke volgende rij is een gegeven.",
        "Lege rijen tellen niet. Een rij met Controletotaal in kolom A wordt vergeleken met de som van de bedragen "
        "erboven.",
        "Bedragen in euro's met hoogstens twee decimalen; percentages als percentage (3%); datums als datum.",
        "Zie docs/workbook.md voor alle regels.",
        NULL};
    int row = 0;
    for (int i = 0; intro[i]; i++)
        if (worksheet_write_string(ws, (lxw_row_t)row++, 0, intro[i], NULL) != LXW_NO_ERROR)
            return -1;
    row++;
    static const char *const head[] = {"tabblad", "veld", "soort", "verplicht", "betekenis"};
    for (int k = 0; k < 5; k++)
        if (worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)k, head[k], F->head) != LXW_NO_ERROR)
            return -1;
    row++;
    worksheet_set_column(ws, 0, 1, 22, NULL);
    worksheet_set_column(ws, 2, 3, 16, NULL);
    worksheet_set_column(ws, 4, 4, 90, NULL);
    for (int i = 0; i < rhv_record_type_count; i++) {
        const rhv_record_type *t = rhv_record_types[i];
        if (!wb_has_sheet(t))
            continue;
        if (worksheet_write_string(ws, (lxw_row_t)row, 0, wb_sheet_name(t), F->head) != LXW_NO_ERROR ||
            worksheet_write_string(ws, (lxw_row_t)row, 4, wb_sheet_doc(t), NULL) != LXW_NO_ERROR)
            return -1;
        row++;
        for (int k = 0; k < t->nfields; k++) {
            const rhv_field_def *f = &t->fields[k];
            char note[1024];
            column_note(t, f, note, sizeof note);
            char *nl = strchr(note, '\n');
            if (nl)
                *nl = '\0';
            if (worksheet_write_string(ws, (lxw_row_t)row, 1, f->name, NULL) != LXW_NO_ERROR ||
                worksheet_write_string(ws, (lxw_row_t)row, 2, kind_word(t, f), NULL) != LXW_NO_ERROR ||
                worksheet_write_string(ws, (lxw_row_t)row, 3, f->required ? "ja" : "nee", NULL) != LXW_NO_ERROR ||
                worksheet_write_string(ws, (lxw_row_t)row, 4, note, NULL) != LXW_NO_ERROR)
                return -1;
            row++;
        }
    }
    return 0;
}

int workbook_write(const char *path, const dc_dossier *c, rhv_diag *d)
{
    for (size_t i = 0; c && i < c->n; i++)
        if (c->recs[i].type->decl && !wb_has_sheet(c->recs[i].type)) {
            diag_error(d, path, 0, "register %s has no sheet: its name is longer than the %d characters Excel allows "
                       "a sheet; keep its rows in a CSV file (<register type=\"%s\" path=\"...\"/>)",
                       c->recs[i].type->name, WB_SHEET_NAME_MAX, c->recs[i].type->name);
            return -1;
        }
    lxw_workbook_options opt = {.constant_memory = 0, .tmpdir = NULL, .use_zip64 = 0};
    fmts F;
    memset(&F, 0, sizeof F);
    F.wb = workbook_new_opt(path, &opt);
    if (!F.wb) {
        diag_error(d, path, 0, "cannot create the workbook");
        return -1;
    }
    lxw_doc_properties props;
    memset(&props, 0, sizeof props);
    props.title = "rhv dossier";
    props.comments = "Gemaakt door rhv template; zie het tabblad Uitleg";
    props.created = FIXED_CREATED;
    workbook_set_properties(F.wb, &props);
    F.head = workbook_add_format(F.wb);
    format_set_bold(F.head);
    F.text = workbook_add_format(F.wb);
    format_set_num_format(F.text, "@");
    F.euro = workbook_add_format(F.wb);
    format_set_num_format(F.euro, "#,##0.00");
    F.date = workbook_add_format(F.wb);
    format_set_num_format(F.date, "dd-mm-yyyy");
    F.pct = workbook_add_format(F.wb);
    format_set_num_format(F.pct, "0.00%");
    F.integer = workbook_add_format(F.wb);
    format_set_num_format(F.integer, "0");
    static const char *const decs[] = {"0", "0.0", "0.00", "0.000", "0.0000"};
    for (int i = 0; i < 5; i++) {
        F.dec[i] = workbook_add_format(F.wb);
        format_set_num_format(F.dec[i], decs[i]);
    }
    int bad = 0;
    for (int i = 0; i < rhv_record_type_count && !bad; i++)
        if (wb_has_sheet(rhv_record_types[i]) && record_sheet(&F, rhv_record_types[i], c) != 0)
            bad = 1;
    if (!bad && files_sheet(&F, c) != 0)
        bad = 1;
    if (!bad && help_sheet(&F) != 0)
        bad = 1;
    lxw_error e = workbook_close(F.wb);
    if (bad || e != LXW_NO_ERROR) {
        diag_error(d, path, 0, "cannot write the workbook: %s", e != LXW_NO_ERROR ? lxw_strerror(e) : "a cell was refused");
        return -1;
    }
    return 0;
}
