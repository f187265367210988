/* dossier_values.c - one attribute's text parsed and checked according to its
 * field's kind (contract in dossier_internal.h).
 *
 * Why it exists: every value in a dossier is an attribute, and each kind has
 * one way to be written: amounts as euros with a point and at most two
 * decimals (money.h, exact int64 cents), scaled decimals likewise with the
 * field's scale, whole numbers, real calendar dates YYYY-MM-DD, true/false,
 * and enums. The parsing and the field's limits are value.h's, shared with
 * the XAF reader and `rhv test`; this file says it the dossier's way: one
 * message at the attribute's own line, quoting at most DS_SHOW_MAX bytes.
 */
#include "dossier_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "money.h"
#include "value.h"

void ds_trim(const char **s, size_t *len)
{
    while (*len > 0 && ds_is_space((unsigned char)**s)) {
        (*s)++;
        (*len)--;
    }
    while (*len > 0 && ds_is_space((unsigned char)(*s)[*len - 1]))
        (*len)--;
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
    const value_domain *d = value_domain_of(t, f);
    if (f->kind != VAL_STR)
        ds_trim(&s, &len);
    /* Parsed into x and copied to v only when valid: a bad value stays absent. */
    rhv_value x;
    value_status st = VALUE_OK;
    switch (f->kind) {
    case VAL_STR:
        val_str(&x, s, len);
        break;
    case VAL_MONEY: {
        rhv_cents c;
        money_status ms = money_parse(s, len, &c);
        if (ms != MONEY_OK)
            return bad_value(r, line, tn, fn, s, len,
                             "is not an amount (%s): write euros with a point and at most two decimals, "
                             "no thousands separators, e.g. 1234567.89",
                             money_status_text(ms));
        val_int(&x, VAL_MONEY, c);
        break;
    }
    case VAL_SCALED: {
        int64_t i = 0;
        money_status ms = MONEY_OK;
        st = value_parse_scaled(s, len, f->scale, &i, &ms);
        if (st == VALUE_NOT_DECIMAL)
            return bad_value(r, line, tn, fn, s, len, "is not a decimal number with at most %d decimals (%s)",
                             f->scale, money_status_text(ms));
        val_int(&x, VAL_SCALED, i);
        break;
    }
    case VAL_INT: {
        int64_t i = 0;
        st = value_parse_int(s, len, &i);
        val_int(&x, VAL_INT, i);
        break;
    }
    case VAL_DATE:
        st = value_parse_date(s, len);
        x.kind = VAL_DATE;
        x.s = s;
        x.len = len;
        x.i = 0;
        break;
    case VAL_BOOL: {
        bool b = false;
        st = value_parse_bool(s, len, &b);
        val_int(&x, VAL_BOOL, b);
        break;
    }
    case VAL_NONE:
        ds_err(r, line, "<%s> attribute %s: internal error: field kind %d", tn, fn, (int)f->kind);
        return -1;
    }
    if (st == VALUE_OK)
        st = value_check(f, d, &x);
    if (st == VALUE_EMPTY) {
        ds_err(r, line, "<%s> attribute %s %s", tn, fn, value_why(st, d));
        return -1;
    }
    if (st == VALUE_NOT_IN_ENUM) {
        char allowed[256];
        ds_list_values(allowed, sizeof allowed, d->values);
        return bad_value(r, line, tn, fn, s, len, "is not one of: %s", allowed);
    }
    if (st != VALUE_OK)
        return bad_value(r, line, tn, fn, s, len, "%s", value_why(st, d));
    *v = x;
    return 0;
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
