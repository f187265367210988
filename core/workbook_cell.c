/* workbook_cell.c - a stored cell as a dossier value's text (contract in workbook.h).
 *
 * Numbers are handled as the decimal text the sheet stores, digit by digit:
 * an amount never passes through a double here. Whether the value is then
 * allowed (an enum, a negative size, a percentage above 100) is not decided
 * here but by the dossier reader, with value.h, as for an XML attribute.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "money.h"
#include "value.h"
#include "workbook.h"

#define SIG_DIGITS 15 /* a double holds 15 significant decimal digits exactly */
#define MAX_DIGITS 40

wb_status wb_number(const char *s, size_t len, int scale, int shift, int64_t *out)
{
    size_t i = 0;
    int neg = 0;
    if (i < len && (s[i] == '-' || s[i] == '+'))
        neg = s[i++] == '-';
    char d[MAX_DIGITS];
    int nd = 0, seen = 0;
    long exp10 = 0; /* value = d * 10^exp10 */
    int dropped_nonzero = 0;
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
        seen = 1;
        if (nd == 0 && s[i] == '0')
            continue;
        if (nd < MAX_DIGITS)
            d[nd++] = s[i];
        else
            exp10++, dropped_nonzero |= s[i] != '0';
    }
    if (i < len && s[i] == '.') {
        for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
            seen = 1;
            if (nd == 0 && s[i] == '0') {
                exp10--;
                continue;
            }
            if (nd < MAX_DIGITS) {
                d[nd++] = s[i];
                exp10--;
            } else {
                dropped_nonzero |= s[i] != '0';
            }
        }
    }
    if (!seen)
        return WB_NOT_NUMBER;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        int eneg = 0;
        if (i < len && (s[i] == '-' || s[i] == '+'))
            eneg = s[i++] == '-';
        long e = 0;
        int ed = 0;
        for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, ed++)
            if (e < 100000)
                e = e * 10 + (s[i] - '0');
        if (ed == 0)
            return WB_NOT_NUMBER;
        exp10 += eneg ? -e : e;
    }
    if (i != len)
        return WB_NOT_NUMBER;
    /* Trailing zeros of the digits only move the exponent. */
    while (nd > 0 && d[nd - 1] == '0') {
        nd--;
        exp10++;
    }
    if (nd > SIG_DIGITS || dropped_nonzero) {
        /* Round to 15 significant digits, half up, on the digits themselves. */
        int cut = nd > SIG_DIGITS ? nd - SIG_DIGITS : 0;
        int up = cut > 0 && d[SIG_DIGITS] >= '5';
        nd -= cut;
        exp10 += cut;
        for (int k = nd - 1; up && k >= 0; k--) {
            if (d[k] == '9') {
                d[k] = '0';
            } else {
                d[k]++;
                up = 0;
            }
        }
        if (up) { /* 999... became 1000... */
            memmove(d + 1, d, (size_t)nd);
            d[0] = '1';
            nd++;
        }
        while (nd > 0 && d[nd - 1] == '0') {
            nd--;
            exp10++;
        }
    }
    long p = exp10 + scale + shift; /* integer = d * 10^p */
    if (nd > 0 && p < 0)
        return WB_TOO_PRECISE;
    if (nd > 0 && nd + p > 18)
        return WB_TOO_LARGE;
    int64_t v = 0;
    for (int k = 0; k < nd; k++)
        v = v * 10 + (d[k] - '0');
    for (long k = 0; nd > 0 && k < p; k++)
        v *= 10;
    *out = neg ? -v : v;
    return WB_OK;
}

/* Days since 1970-01-01 to a civil date (H. Hinnant's algorithm). */
static void civil(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}

int wb_serial_date(int64_t serial, bool date1904, char *buf)
{
    int64_t days; /* since 1970-01-01 */
    if (date1904) {
        days = serial - 24107; /* 1904-01-01 is serial 0 */
    } else {
        /* Lotus' 1900-02-29 (serial 60) does not exist; serials after it are one day late. */
        if (serial == 60)
            return -1;
        days = serial < 60 ? serial - 25568 : serial - 25569;
    }
    if (serial < 1 || serial > 2958465)
        return -1;
    int y, m, d;
    civil(days, &y, &m, &d);
    if (y < 1 || y > 9999)
        return -1;
    snprintf(buf, 11, "%04d-%02d-%02d", y, m, d);
    return 0;
}

static int fail(char *why, size_t whyn, const char *fmt, const char *a, const char *b)
{
    snprintf(why, whyn, fmt, a, b);
    return -1;
}

/* A number cell in a column of a numeric kind. */
static int number_text(const xlsx_cell *c, const rhv_record_type *t, const rhv_field_def *f, char *buf, size_t n,
                       char *why, size_t whyn)
{
    const value_domain *dom = value_domain_of(t, f);
    int scale = f->kind == VAL_MONEY ? 2 : f->kind == VAL_SCALED ? f->scale : 0;
    int shift = 0;
    if (c->pct) {
        if (!(f->kind == VAL_SCALED && dom->percentage))
            return fail(why, whyn, "%s is formatted as a percentage, but %s is not a percentage; give the cell the "
                        "number format of its column", c->text, f->name);
        shift = 2; /* 0.03 shown as 3% is 3 percent */
    }
    int64_t v = 0;
    wb_status st = wb_number(c->text, c->len, scale, shift, &v);
    if (st == WB_TOO_PRECISE) {
        if (f->kind == VAL_MONEY)
            return fail(why, whyn, "%s is not a whole number of cents; round the amount to two decimals%s", c->text,
                        "");
        snprintf(why, whyn, "%s has more than %d decimals, which %s cannot hold; round it", c->text, scale, f->name);
        return -1;
    }
    if (st == WB_TOO_LARGE)
        return fail(why, whyn, "%s is too large for %s", c->text, f->name);
    if (st != WB_OK)
        return fail(why, whyn, "the cell's stored number \"%s\" is not a number; %s", c->text,
                    "save the workbook again from the spreadsheet program");
    if (f->kind == VAL_MONEY) {
        money_format_plain(v, buf);
        return 0;
    }
    if (f->kind == VAL_INT || scale == 0) {
        snprintf(buf, n, "%" PRId64, v);
        return 0;
    }
    /* Scaled: digits with `scale` decimals; the reader refuses a negative one itself. */
    int64_t a = v < 0 ? -v : v, pw = 1;
    for (int k = 0; k < scale; k++)
        pw *= 10;
    snprintf(buf, n, "%s%" PRId64 ".%0*" PRId64, v < 0 ? "-" : "", a / pw, scale, a % pw);
    return 0;
}

int wb_cell_text(const xlsx_cell *c, const rhv_record_type *t, const rhv_field_def *f, bool date1904, char *buf,
                 size_t n, const char **out, size_t *outlen, char *why, size_t whyn)
{
    *out = c->text;
    *outlen = c->len;
    if (c->type == 'e')
        return fail(why, whyn, "the cell shows the error %s; correct the formula or type the value%s", c->text, "");
    if (c->type == 'b') {
        if (f->kind != VAL_BOOL)
            return fail(why, whyn, "the cell holds a logical value (%s) but %s is not true/false; type the value",
                        strcmp(c->text, "1") == 0 ? "TRUE" : "FALSE", f->name);
        *out = strcmp(c->text, "1") == 0 ? "true" : "false";
        *outlen = strlen(*out);
        return 0;
    }
    if (c->type == 'd') {
        /* ISO 8601 date cell: a date, or midnight of one. */
        if (f->kind == VAL_DATE && c->len >= 10 &&
            (c->len == 10 || strncmp(c->text + 10, "T00:00:00", 9) == 0)) {
            *outlen = 10;
            return 0;
        }
        return fail(why, whyn, "the date cell %s does not fit %s; type a date without a time", c->text, f->name);
    }
    if (c->type == 's') {
        /* Text goes to the reader as written: it judges it as it judges an attribute. */
        return 0;
    }
    /* A number. */
    switch (f->kind) {
    case VAL_STR:
        /* A code or id typed as a number: its stored digits, if they are plain digits. */
        for (size_t i = 0; i < c->len; i++)
            if (!(c->text[i] >= '0' && c->text[i] <= '9'))
                return fail(why, whyn, "%s is stored as a number (%s); format the column as text and type it again "
                            "so that it is kept as written",
                            f->name, c->text);
        return 0;
    case VAL_DATE: {
        int64_t serial = 0;
        if (wb_number(c->text, c->len, 0, 0, &serial) != WB_OK)
            return fail(why, whyn, "%s is a number with a time of day, not a date; type a date (%s)", c->text,
                        "e.g. 31-12-2023 in a date cell");
        if (wb_serial_date(serial, date1904, buf) != 0)
            return fail(why, whyn, "%s is not a date Excel can show; type a date (%s)", c->text,
                        "e.g. 31-12-2023 in a date cell");
        *out = buf;
        *outlen = 10;
        return 0;
    }
    case VAL_BOOL:
        return fail(why, whyn, "%s is a number but %s is true or false; choose true or false from the list",
                    c->text, f->name);
    case VAL_MONEY:
    case VAL_SCALED:
    case VAL_INT:
        if (number_text(c, t, f, buf, n, why, whyn) != 0)
            return -1;
        *out = buf;
        *outlen = strlen(buf);
        return 0;
    case VAL_NONE:
        break;
    }
    return fail(why, whyn, "internal error: field %s has no kind%s", f->name, "");
}

/* ---- Dutch notation (a CSV register with getallen="nl") ---------------------- */

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

int wb_nl_number(const char *s, size_t len, char *buf, size_t n, char *why, size_t whyn)
{
    while (len > 0 && (*s == ' ' || *s == '\t'))
        s++, len--;
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    char v[64];
    snprintf(v, sizeof v, "%.*s%s", len > 40 ? 40 : (int)len, s, len > 40 ? "..." : "");
    if (len == 0 || len + 2 > n)
        return fail(why, whyn, "\"%s\" is not a number in Dutch notation (1.234,56)%s", v, "");
    size_t i = 0, w = 0;
    if (s[i] == '-' || s[i] == '+') {
        if (s[i] == '-')
            buf[w++] = '-';
        i++;
    }
    size_t int_from = w;
    int points = 0, group = 0, bad_group = 0, first_group = -1;
    for (; i < len && (is_digit(s[i]) || s[i] == '.'); i++) {
        if (s[i] == '.') {
            if (points == 0)
                first_group = group;
            if (group == 0 || (points == 0 ? group > 3 || buf[int_from] == '0' : group != 3))
                bad_group = 1;
            points++;
            group = 0;
        } else {
            buf[w++] = s[i];
            group++;
        }
    }
    size_t int_digits = w - int_from;
    if (points && group != 3)
        bad_group = 1;
    int comma = 0;
    size_t decimals = 0;
    if (i < len && s[i] == ',') {
        comma = 1;
        buf[w++] = '.';
        for (i++; i < len && is_digit(s[i]); i++, decimals++)
            buf[w++] = s[i];
    }
    buf[w] = '\0';
    if (i < len && s[i] == '.' && comma)
        return fail(why, whyn, "\"%s\" has a point after the decimal comma: English notation (1,234.56)? The "
                    "register says getallen=\"nl\": write 1.234,56%s", v, "");
    if (i < len || int_digits == 0 || (comma && decimals == 0))
        return fail(why, whyn, "\"%s\" is not a number in Dutch notation (1.234,56: points between thousands, a "
                    "comma before the decimals)%s", v, "");
    if (bad_group)
        return fail(why, whyn, "\"%s\" has a thousands point in the wrong place; points stand between groups of "
                    "three digits (1.234.567,89), or leave them out%s", v, "");
    int zero_lead = buf[int_from] == '0';
    if (!comma && points == 1 && !zero_lead && first_group >= 1)
        return fail(why, whyn, "\"%s\" is ambiguous: with getallen=\"nl\" the point separates thousands, but in "
                    "English notation it is a decimal point; write the number without the point, or with its "
                    "decimals (%s,00)", v, v);
    if (comma && points == 0 && decimals == 3 && int_digits <= 3 && !zero_lead)
        return fail(why, whyn, "\"%s\" is ambiguous: with getallen=\"nl\" the comma is the decimal comma, but in "
                    "English notation it separates thousands; write a whole number without the comma, or the "
                    "decimal with a fourth decimal (%s0)", v, v);
    return 0;
}
