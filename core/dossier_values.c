/* dossier_values.c - one attribute's text parsed and checked according to its
 * field's kind (contract in dossier_internal.h).
 *
 * Why it exists: every value in a dossier is an attribute, and each kind has
 * one way to be written: amounts as euros with a point and at most two
 * decimals (money.h, exact int64 cents), scaled decimals likewise with the
 * field's scale, whole numbers, real calendar dates YYYY-MM-DD, true/false,
 * and enums from dossier_schema.c. A bad value is one message at the
 * attribute's own line, quoting at most DS_SHOW_MAX bytes of it.
 */
#include "dossier_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "money.h"

void ds_trim(const char **s, size_t *len)
{
    while (*len > 0 && ds_is_space((unsigned char)**s)) {
        (*s)++;
        (*len)--;
    }
    while (*len > 0 && ds_is_space((unsigned char)(*s)[*len - 1]))
        (*len)--;
}

static int parse_int(const char *s, size_t len, int64_t *out)
{
    size_t i = 0;
    int neg = 0;
    if (len > 0 && (s[0] == '-' || s[0] == '+')) {
        neg = s[0] == '-';
        i = 1;
    }
    if (i == len)
        return -1;
    int64_t acc = 0; /* negative domain: INT64_MIN is representable */
    for (; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        if (__builtin_mul_overflow(acc, 10, &acc) || __builtin_sub_overflow(acc, s[i] - '0', &acc))
            return -2;
    }
    if (!neg) {
        if (acc == INT64_MIN)
            return -2;
        acc = -acc;
    }
    *out = acc;
    return 0;
}

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* 0: a real calendar date written YYYY-MM-DD; -1 wrong form; -2 no such day. */
static int parse_date(const char *s, size_t len)
{
    if (len != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return -1;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int day = (s[8] - '0') * 10 + (s[9] - '0');
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y == 0 || m < 1 || m > 12 || day < 1)
        return -2;
    int maxd = dim[m - 1] + (m == 2 && is_leap(y));
    return day > maxd ? -2 : 0;
}

/* "<type> attribute field="value" <why>" at the attribute's line: every
 * message about a value names it the same way. Returns -1 (reported). */
static int bad_value(ds_reader *r, long line, const char *tn, const char *fn, const char *s, size_t len,
                     const char *why_fmt, ...) __attribute__((format(printf, 7, 8)));
static int bad_value(ds_reader *r, long line, const char *tn, const char *fn, const char *s, size_t len,
                     const char *why_fmt, ...)
{
    char why[512];
    va_list ap;
    va_start(ap, why_fmt);
    vsnprintf(why, sizeof why, why_fmt, ap);
    va_end(ap);
    ds_err(r, line, "<%s> attribute %s=\"%.*s%s\" %s", tn, fn, DS_SHOW(s, len), why);
    return -1;
}

int ds_parse_value(ds_reader *r, const rhv_record_type *t, const rhv_field_def *f, const xml_attr *a, long line,
                   rhv_value *v)
{
    const char *s = a->value;
    size_t len = a->len;
    const char *tn = t->name, *fn = f->name;
    if (f->kind != VAL_STR)
        ds_trim(&s, &len);
    switch (f->kind) {
    case VAL_STR: {
        const char *ts = s;
        size_t tl = len;
        ds_trim(&ts, &tl);
        const char *const *allowed_values = ds_field_enum(tn, fn);
        if (tl == 0 && (f->required || allowed_values)) {
            ds_err(r, line, "<%s> attribute %s is empty", tn, fn);
            return -1;
        }
        if (allowed_values) {
            int ok = 0;
            for (int i = 0; allowed_values[i]; i++)
                if (ds_equals(s, len, allowed_values[i]))
                    ok = 1;
            if (!ok) {
                char allowed[256];
                ds_list_values(allowed, sizeof allowed, allowed_values);
                return bad_value(r, line, tn, fn, s, len, "is not one of: %s", allowed);
            }
        }
        val_str(v, s, len);
        return 0;
    }
    case VAL_MONEY: {
        rhv_cents c;
        money_status st = money_parse(s, len, &c);
        if (st != MONEY_OK)
            return bad_value(r, line, tn, fn, s, len,
                             "is not an amount (%s): write euros with a point and at most two decimals, "
                             "no thousands separators, e.g. 1234567.89",
                             money_status_text(st));
        if (c < 0 && ds_field_non_negative(tn, fn))
            return bad_value(r, line, tn, fn, s, len, "must not be negative");
        val_int(v, VAL_MONEY, c);
        return 0;
    }
    case VAL_SCALED: {
        int64_t x;
        if (len > 0 && s[0] == '-')
            return bad_value(r, line, tn, fn, s, len, "must not be negative");
        /* decimal_parse also takes a comma; the dossier writes every decimal with a point, like amounts. */
        if (memchr(s, ',', len))
            return bad_value(r, line, tn, fn, s, len, "has a comma: write decimals with a point");
        money_status st = decimal_parse(s, len, f->scale, &x);
        if (st != MONEY_OK)
            return bad_value(r, line, tn, fn, s, len, "is not a decimal number with at most %d decimals (%s)",
                             f->scale, money_status_text(st));
        if (f->scale == 2 && x > 10000 && ds_field_percentage(tn, fn))
            return bad_value(r, line, tn, fn, s, len, "is a percentage above 100");
        val_int(v, VAL_SCALED, x);
        return 0;
    }
    case VAL_INT: {
        int64_t x;
        int rc = parse_int(s, len, &x);
        if (rc != 0)
            return bad_value(r, line, tn, fn, s, len, "is %s",
                             rc == -2 ? "too large for an integer" : "not a whole number");
        if (strcmp(tn, "organisation") == 0 && strcmp(fn, "boekjaar") == 0 && (x < 1900 || x > 2999))
            return bad_value(r, line, tn, fn, s, len, "is not a plausible fiscal year");
        if (strcmp(tn, "cijfer") == 0 && strcmp(fn, "decimalen") == 0 && (x < 0 || x > 2))
            return bad_value(r, line, tn, fn, s, len, "must be 0, 1 or 2 (waarde has two decimals at most)");
        val_int(v, VAL_INT, x);
        return 0;
    }
    case VAL_DATE: {
        int rc = parse_date(s, len);
        if (rc != 0)
            return bad_value(r, line, tn, fn, s, len, "is %s",
                             rc == -1 ? "not a date written YYYY-MM-DD" : "not a calendar date");
        v->kind = VAL_DATE;
        v->s = s;
        v->len = len;
        v->i = 0;
        return 0;
    }
    case VAL_BOOL:
        if (ds_equals(s, len, "true")) {
            val_int(v, VAL_BOOL, 1);
            return 0;
        }
        if (ds_equals(s, len, "false")) {
            val_int(v, VAL_BOOL, 0);
            return 0;
        }
        return bad_value(r, line, tn, fn, s, len, "must be true or false");
    case VAL_NONE:
        break;
    }
    ds_err(r, line, "<%s> attribute %s: internal error: field kind %d", tn, fn, (int)f->kind);
    return -1;
}

char *ds_strndup(const char *s, size_t len)
{
    char *c = malloc(len + 1);
    if (c) {
        memcpy(c, s, len);
        c[len] = '\0';
    }
    return c;
}
