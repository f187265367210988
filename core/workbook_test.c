/* workbook_test.c - a stored cell as a dossier value: exact cents from the
 * stored decimal text, the 15-digit noise rule, percentages stored as
 * fractions, Excel serial dates (1900 and 1904) and the cell-type messages. */
#include "workbook.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "record.h"

static wb_status num(const char *s, int scale, int shift, int64_t *v)
{
    return wb_number(s, strlen(s), scale, shift, v);
}

#define NUM_OK(text, scale, shift, want)                                                        \
    do {                                                                                        \
        int64_t v_ = -777;                                                                      \
        wb_status st_ = num(text, scale, shift, &v_);                                           \
        ck_assert_msg(st_ == WB_OK, "\"%s\": status %d", text, st_);                            \
        ck_assert_msg(v_ == (want), "\"%s\" = %lld, want %lld", text, (long long)v_, (long long)(want)); \
    } while (0)

#define NUM_BAD(text, scale, shift, want_st)                                                    \
    do {                                                                                        \
        int64_t v_ = 0;                                                                         \
        wb_status st_ = num(text, scale, shift, &v_);                                           \
        ck_assert_msg(st_ == (want_st), "\"%s\": status %d, want %d", text, st_, want_st);      \
    } while (0)

START_TEST(cents_exact_from_text)
{
    NUM_OK("1234.56", 2, 0, 123456);
    NUM_OK("1234.5600000000002", 2, 0, 123456);  /* double noise beyond 15 digits */
    NUM_OK("1234.5599999999999", 2, 0, 123456);
    NUM_OK("0.30000000000000004", 2, 0, 30);
    NUM_OK("-5", 2, 0, -500);
    NUM_OK("31952480.15", 2, 0, 3195248015);
    NUM_OK("1.5E+3", 2, 0, 150000);
    NUM_OK("1E-2", 2, 0, 1);
    NUM_OK("0", 2, 0, 0);
    NUM_OK("0.000", 2, 0, 0);
    NUM_OK("8.199999999999999", 2, 0, 820);
    NUM_OK("9999999999999.99", 2, 0, 999999999999999);
}
END_TEST

START_TEST(cents_refused)
{
    NUM_BAD("1234.567", 2, 0, WB_TOO_PRECISE);
    NUM_BAD("0.001", 2, 0, WB_TOO_PRECISE);
    NUM_BAD("1234.5650000001", 2, 0, WB_TOO_PRECISE); /* 14 digits: not noise */
    NUM_BAD("1E+20", 2, 0, WB_TOO_LARGE);
    NUM_BAD("", 2, 0, WB_NOT_NUMBER);
    NUM_BAD("1,5", 2, 0, WB_NOT_NUMBER);
    NUM_BAD("12a", 2, 0, WB_NOT_NUMBER);
    NUM_BAD("1e", 2, 0, WB_NOT_NUMBER);
    NUM_BAD(".", 2, 0, WB_NOT_NUMBER);
}
END_TEST

START_TEST(percentages_and_scales)
{
    NUM_OK("0.03", 2, 2, 300);      /* 3% stored as a fraction */
    NUM_OK("0.625", 2, 2, 6250);
    NUM_OK("3", 2, 0, 300);
    NUM_OK("0.030000000000000002", 2, 2, 300);
    NUM_BAD("0.03125", 2, 2, WB_TOO_PRECISE);
    NUM_OK("0.8889", 4, 0, 8889);
    NUM_OK("32.5", 2, 0, 3250);
    NUM_OK("2023", 0, 0, 2023);
    NUM_BAD("2023.5", 0, 0, WB_TOO_PRECISE);
}
END_TEST

START_TEST(serial_dates)
{
    char b[11];
    ck_assert_int_eq(wb_serial_date(45291, false, b), 0);
    ck_assert_str_eq(b, "2023-12-31");
    ck_assert_int_eq(wb_serial_date(1, false, b), 0);
    ck_assert_str_eq(b, "1900-01-01");
    ck_assert_int_eq(wb_serial_date(59, false, b), 0);
    ck_assert_str_eq(b, "1900-02-28");
    ck_assert_int_eq(wb_serial_date(60, false, b), -1); /* Lotus' 1900-02-29 */
    ck_assert_int_eq(wb_serial_date(61, false, b), 0);
    ck_assert_str_eq(b, "1900-03-01");
    ck_assert_int_eq(wb_serial_date(43829, true, b), 0); /* 1904 system: 1462 days less */
    ck_assert_str_eq(b, "2023-12-31");
    ck_assert_int_eq(wb_serial_date(0, false, b), -1);
    ck_assert_int_eq(wb_serial_date(2958466, false, b), -1);
}
END_TEST

static int cell(const char *type, const char *field, char ctype, const char *text, int pct, const char **out,
                char *why)
{
    static char buf[64];
    const rhv_record_type *t = record_type_find(type);
    int fi = record_field_index(t, field);
    ck_assert_int_ge(fi, 0);
    xlsx_cell c = {3, ctype, text, strlen(text), pct};
    size_t len = 0;
    int rc = wb_cell_text(&c, t, &t->fields[fi], false, buf, sizeof buf, out, &len, why, 512);
    if (rc == 0) {
        static char copy[128];
        snprintf(copy, sizeof copy, "%.*s", (int)len, *out);
        *out = copy;
    }
    return rc;
}

START_TEST(cells_by_kind)
{
    const char *o;
    char why[512];
    ck_assert_int_eq(cell("krediet", "budget", 'n', "850000", 0, &o, why), 0);
    ck_assert_str_eq(o, "850000.00");
    ck_assert_int_eq(cell("krediet", "budget", 'n', "1234.567", 0, &o, why), -1);
    ck_assert_ptr_nonnull(strstr(why, "whole number of cents"));
    ck_assert_int_eq(cell("organisation", "grens_percentage", 'n', "0.03", 1, &o, why), 0);
    ck_assert_str_eq(o, "3.00");
    ck_assert_int_eq(cell("organisation", "grens_percentage", 'n', "3", 0, &o, why), 0);
    ck_assert_str_eq(o, "3.00");
    ck_assert_int_eq(cell("medewerker", "uren", 'n', "0.5", 1, &o, why), -1); /* % format on hours */
    ck_assert_ptr_nonnull(strstr(why, "not a percentage"));
    ck_assert_int_eq(cell("topfunctionaris", "fte", 'n', "1", 0, &o, why), 0);
    ck_assert_str_eq(o, "1.0000");
    ck_assert_int_eq(cell("contract", "begin", 'n', "45291", 0, &o, why), 0);
    ck_assert_str_eq(o, "2023-12-31");
    ck_assert_int_eq(cell("contract", "begin", 'n', "45291.5", 0, &o, why), -1);
    ck_assert_int_eq(cell("contract", "begin", 's', "2023-12-31", 0, &o, why), 0);
    ck_assert_str_eq(o, "2023-12-31");
    ck_assert_int_eq(cell("contract", "begin", 'd', "2023-12-31T00:00:00", 0, &o, why), 0);
    ck_assert_str_eq(o, "2023-12-31");
    ck_assert_int_eq(cell("topfunctionaris", "dienstbetrekking", 'b', "1", 0, &o, why), 0);
    ck_assert_str_eq(o, "true");
    ck_assert_int_eq(cell("krediet", "budget", 'b', "0", 0, &o, why), -1);
    ck_assert_int_eq(cell("krediet", "budget", 'e', "#DIV/0!", 0, &o, why), -1);
    ck_assert_ptr_nonnull(strstr(why, "#DIV/0!"));
    ck_assert_int_eq(cell("programma", "code", 'n', "1", 0, &o, why), 0);
    ck_assert_str_eq(o, "1");
    ck_assert_int_eq(cell("medewerker", "id", 'n', "1.5E+3", 0, &o, why), -1);
    ck_assert_int_eq(cell("organisation", "boekjaar", 'n', "2023", 0, &o, why), 0);
    ck_assert_str_eq(o, "2023");
}
END_TEST

START_TEST(sheets_from_the_record_types)
{
    ck_assert_str_eq(wb_sheet_name(record_type_find("krediet")), "Kredieten");
    ck_assert_ptr_eq(wb_sheet_type("Kredieten"), record_type_find("krediet"));
    ck_assert_ptr_null(wb_sheet_type("Blad1"));
    ck_assert_ptr_null(wb_sheet_type("xaf.trLine")); /* ledger types have no sheet */
    ck_assert_ptr_null(wb_sheet_type("ledger"));     /* a ledger is a row of Bestanden */
    ck_assert_str_eq(wb_sheet_name(record_type_find("rekening")), "Rekeningen");
    for (int i = 0; i < rhv_record_type_count; i++)
        if (wb_has_sheet(rhv_record_types[i])) {
            const char *n = wb_sheet_name(rhv_record_types[i]);
            ck_assert_msg(strlen(n) <= 31, "sheet %s longer than Excel allows", n);
            ck_assert_ptr_eq(wb_sheet_type(n), rhv_record_types[i]);
        }
    char b[16];
    ck_assert_str_eq(xlsx_cell_name(b, sizeof b, 3, 14), "D14");
    ck_assert_str_eq(xlsx_cell_name(b, sizeof b, 26, 1), "AA1");
    ck_assert_str_eq(xlsx_cell_name(b, sizeof b, 16383, 2), "XFD2");
}
END_TEST

/* Dutch notation (a CSV register with getallen="nl"): what it reads, and what it refuses. */
static const char *nl(const char *in, char *buf, char *why)
{
    return wb_nl_number(in, strlen(in), buf, 64, why, 256) == 0 ? buf : NULL;
}

START_TEST(dutch_numbers)
{
    char b[64], why[256];
    ck_assert_str_eq(nl("1.234,56", b, why), "1234.56");
    ck_assert_str_eq(nl(" -1.234.567,8 ", b, why), "-1234567.8");
    ck_assert_str_eq(nl("1234,5", b, why), "1234.5");
    ck_assert_str_eq(nl("0,125", b, why), "0.125"); /* no English reading: not ambiguous */
    ck_assert_str_eq(nl("1.234.567", b, why), "1234567");
    ck_assert_str_eq(nl("1234,567", b, why), "1234.567");
    ck_assert_str_eq(nl("42", b, why), "42");
    ck_assert_ptr_null(nl("1.234", b, why));
    ck_assert_ptr_nonnull(strstr(why, "ambiguous"));
    ck_assert_ptr_null(nl("12,345", b, why));
    ck_assert_ptr_nonnull(strstr(why, "ambiguous"));
    ck_assert_ptr_null(nl("12.34,00", b, why));
    ck_assert_ptr_nonnull(strstr(why, "wrong place"));
    ck_assert_ptr_null(nl("1234.567,00", b, why));
    ck_assert_ptr_null(nl("0.123,00", b, why));
    ck_assert_ptr_null(nl("1,234.56", b, why));
    ck_assert_ptr_nonnull(strstr(why, "English"));
    ck_assert_ptr_null(nl("", b, why));
    ck_assert_ptr_null(nl("12,", b, why));
    ck_assert_ptr_null(nl("€ 12", b, why));
    ck_assert_ptr_null(nl("1e3", b, why));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("workbook");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, cents_exact_from_text);
    tcase_add_test(tc, cents_refused);
    tcase_add_test(tc, percentages_and_scales);
    tcase_add_test(tc, serial_dates);
    tcase_add_test(tc, cells_by_kind);
    tcase_add_test(tc, sheets_from_the_record_types);
    tcase_add_test(tc, dutch_numbers);
    suite_add_tcase(s, tc);
    return check_run(s);
}
