/* value.c - see value.h.
 *
 * Integers accumulate in the negative domain (as money.c does) so that
 * INT64_MIN is readable and overflow is caught before it happens.
 */
#include "value.h"

#include <string.h>

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_digit(s[i]))
            return false;
    return n > 0;
}

static int num2(const char *s)
{
    return (s[0] - '0') * 10 + (s[1] - '0');
}

int value_year_prefix(const char *s, size_t len)
{
    if (len < 4 || !all_digits(s, 4))
        return -1;
    return num2(s) * 100 + num2(s + 2);
}

value_status value_parse_int(const char *s, size_t len, int64_t *out)
{
    size_t i = 0;
    bool neg = false;
    if (len > 0 && (s[0] == '-' || s[0] == '+')) {
        neg = s[0] == '-';
        i = 1;
    }
    if (i == len)
        return VALUE_NOT_WHOLE;
    int64_t acc = 0;
    for (; i < len; i++) {
        if (!is_digit(s[i]))
            return VALUE_NOT_WHOLE;
        if (__builtin_mul_overflow(acc, 10, &acc) || __builtin_sub_overflow(acc, s[i] - '0', &acc))
            return VALUE_TOO_LARGE;
    }
    if (!neg) {
        if (acc == INT64_MIN)
            return VALUE_TOO_LARGE;
        acc = -acc;
    }
    *out = acc;
    return VALUE_OK;
}

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* The digit s[i] stands for; 10 or more when it is not a digit. */
static unsigned digit_at(const char *s, int i)
{
    return (unsigned)(unsigned char)s[i] - '0';
}

value_status value_parse_date(const char *s, size_t len)
{
    if (len != 10 || s[4] != '-' || s[7] != '-')
        return VALUE_NOT_DATE;
    /* All eight digits tested at once, then the calendar: a day up to the
     * 28th exists in every month, so only the later ones need the month's
     * length (and February's the leap year). */
    unsigned y1 = digit_at(s, 0), y2 = digit_at(s, 1), y3 = digit_at(s, 2), y4 = digit_at(s, 3);
    unsigned m1 = digit_at(s, 5), m2 = digit_at(s, 6), d1 = digit_at(s, 8), d2 = digit_at(s, 9);
    if ((y1 > 9) | (y2 > 9) | (y3 > 9) | (y4 > 9) | (m1 > 9) | (m2 > 9) | (d1 > 9) | (d2 > 9))
        return VALUE_NOT_DATE;
    int y = (int)(y1 * 1000 + y2 * 100 + y3 * 10 + y4), m = (int)(m1 * 10 + m2), d = (int)(d1 * 10 + d2);
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y == 0 || m < 1 || m > 12 || d < 1)
        return VALUE_NOT_CALENDAR;
    if (d <= 28)
        return VALUE_OK;
    return d > dim[m - 1] + (m == 2 && is_leap(y)) ? VALUE_NOT_CALENDAR : VALUE_OK;
}

value_status value_parse_xsd_date(const char *s, size_t len)
{
    if (len < 10)
        return VALUE_NOT_DATE;
    value_status st = value_parse_date(s, 10);
    if (st != VALUE_OK)
        return st;
    const char *z = s + 10;
    size_t zn = len - 10;
    if (zn == 0 || (zn == 1 && z[0] == 'Z'))
        return VALUE_OK;
    if (zn == 6 && (z[0] == '+' || z[0] == '-') && all_digits(z + 1, 2) && z[3] == ':' && all_digits(z + 4, 2) &&
        num2(z + 1) <= 14 && num2(z + 4) < 60)
        return VALUE_OK;
    return VALUE_NOT_DATE;
}

value_status value_parse_bool(const char *s, size_t len, bool *out)
{
    if (len == 4 && memcmp(s, "true", 4) == 0) {
        *out = true;
        return VALUE_OK;
    }
    if (len == 5 && memcmp(s, "false", 5) == 0) {
        *out = false;
        return VALUE_OK;
    }
    return VALUE_NOT_BOOL;
}

value_status value_parse_scaled(const char *s, size_t len, int scale, int64_t *out, money_status *why)
{
    if (len > 0 && s[0] == '-')
        return VALUE_NEGATIVE;
    /* decimal_parse also takes a comma; values are written with a point, like amounts. */
    if (memchr(s, ',', len))
        return VALUE_COMMA;
    money_status st = decimal_parse(s, len, scale, out);
    if (st != MONEY_OK) {
        *why = st;
        return VALUE_NOT_DECIMAL;
    }
    return VALUE_OK;
}

bool value_in_enum(const char *const *values, const char *s, size_t len)
{
    for (int i = 0; values[i]; i++) {
        const char *v = values[i];
        size_t j = 0;
        while (j < len && v[j] != '\0' && v[j] == s[j])
            j++;
        if (j == len && v[j] == '\0')
            return true;
    }
    return false;
}

/* XML's four white-space characters. */
static bool blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
            return false;
    return true;
}

value_status value_check(const rhv_field_def *f, const value_domain *d, const rhv_value *v)
{
    switch (f->kind) {
    case VAL_STR:
        if ((d->non_empty || d->values) && blank(v->s, v->len))
            return VALUE_EMPTY;
        if (d->values && !value_in_enum(d->values, v->s, v->len))
            return VALUE_NOT_IN_ENUM;
        return VALUE_OK;
    case VAL_DATE:
        return value_parse_date(v->s, v->len);
    case VAL_MONEY:
        return d->non_negative && v->i < 0 ? VALUE_NEGATIVE : VALUE_OK;
    case VAL_SCALED:
        if (v->i < 0)
            return VALUE_NEGATIVE;
        return d->percentage && f->scale == 2 && v->i > 10000 ? VALUE_ABOVE_100 : VALUE_OK;
    case VAL_INT:
        return d->bounded && (v->i < d->min || v->i > d->max) ? VALUE_OUT_OF_RANGE : VALUE_OK;
    case VAL_BOOL:
        return v->i == 0 || v->i == 1 ? VALUE_OK : VALUE_NOT_BOOL;
    case VAL_NONE:
        break;
    }
    return VALUE_OK;
}

const char *value_why(value_status st, const value_domain *d)
{
    switch (st) {
    case VALUE_OK: return "is valid";
    case VALUE_NOT_WHOLE: return "is not a whole number";
    case VALUE_TOO_LARGE: return "is too large for an integer";
    case VALUE_NOT_DATE: return "is not a date written YYYY-MM-DD";
    case VALUE_NOT_CALENDAR: return "is not a calendar date";
    case VALUE_NOT_BOOL: return "must be true or false";
    case VALUE_NEGATIVE: return "must not be negative";
    case VALUE_COMMA: return "has a comma: write decimals with a point";
    case VALUE_NOT_DECIMAL: return "is not a decimal number";
    case VALUE_EMPTY: return "is empty";
    case VALUE_NOT_IN_ENUM: return "is not one of the allowed values";
    case VALUE_ABOVE_100: return "is a percentage above 100";
    case VALUE_OUT_OF_RANGE: return d && d->range_why ? d->range_why : "is out of range";
    }
    return "?";
}
