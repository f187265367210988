/* value.h - one parser per kind of value, and what each field allows.
 *
 * Why it exists: the dossier reader, the XAF reader and `rhv test` (which
 * turns a test case's fields into records) must agree on what a value is. A
 * test that feeds a rule a value no reader could produce tests nothing, so
 * all three go through the functions here.
 *
 * Contract:
 * - Parsers take text without surrounding white space (the readers trim XML
 *   white space first) and return VALUE_OK or the reason the text is not a
 *   value of the kind. They never print: each caller wraps value_why() (or its
 *   own wording) in its own message format.
 * - Kinds and their one parser:
 *     amount (VAL_MONEY)   money_parse() in money.h: euros with a point, exact cents
 *     scaled (VAL_SCALED)  value_parse_scaled(): non-negative, a point, <= scale decimals
 *     integer (VAL_INT)    value_parse_int(): optional sign, digits, int64
 *     date (VAL_DATE)      value_parse_date(): a real calendar date YYYY-MM-DD;
 *                          value_parse_xsd_date() also takes an xsd:date zone
 *                          (the XAF form), which the record does not keep
 *     boolean (VAL_BOOL)   value_parse_bool(): true or false
 *     enum (VAL_STR)       value_in_enum(): exactly one of the listed values
 * - A field may allow less than its kind: an enum, no negative amounts, a
 *   percentage at most 100, an integer range. That is its domain
 *   (value_domain_of(), facts in value_fields.c). value_check() checks a
 *   parsed value, or a value built by `rhv test`, against its kind and domain.
 */
#ifndef RHV_VALUE_H
#define RHV_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "money.h"
#include "record.h"

typedef enum {
    VALUE_OK = 0,
    VALUE_NOT_WHOLE,    /* integer: not a whole number */
    VALUE_TOO_LARGE,    /* integer: outside int64 */
    VALUE_NOT_DATE,     /* date: not written YYYY-MM-DD */
    VALUE_NOT_CALENDAR, /* date: no such day */
    VALUE_NOT_BOOL,     /* boolean: not true or false */
    VALUE_NEGATIVE,     /* scaled, or an amount that is a size: below zero */
    VALUE_COMMA,        /* scaled: a decimal comma */
    VALUE_NOT_DECIMAL,  /* scaled: see the money_status beside it */
    VALUE_EMPTY,        /* a string that must have text is blank */
    VALUE_NOT_IN_ENUM,  /* a string that is none of the allowed values */
    VALUE_ABOVE_100,    /* a percentage above 100 */
    VALUE_OUT_OF_RANGE  /* an integer outside its field's range */
} value_status;

/* What a field allows beyond its kind. The zero domain allows the whole kind. */
typedef struct {
    const char *const *values; /* VAL_STR: an enum, NULL-terminated */
    bool non_empty;            /* VAL_STR: not blank */
    bool non_negative;         /* VAL_MONEY: a size, never a correction */
    bool percentage;           /* VAL_SCALED, scale 2: at most 100.00 */
    bool bounded;              /* VAL_INT: min <= value <= max */
    int64_t min, max;
    const char *range_why;     /* VAL_INT: value_why() for VALUE_OUT_OF_RANGE */
} value_domain;

value_status value_parse_int(const char *s, size_t len, int64_t *out);
/* Exactly YYYY-MM-DD, year 0001-9999, a day that exists in that month. */
value_status value_parse_date(const char *s, size_t len);
/* xsd:date: a date as above, then optionally Z, +hh:mm or -hh:mm; the date
 * is the first 10 bytes. */
value_status value_parse_xsd_date(const char *s, size_t len);
value_status value_parse_bool(const char *s, size_t len, bool *out);
/* The year in the first four bytes of s when they are digits ("2023",
 * "2023-01-01", "2023/2024"), else -1. For a checked date, its year. */
int value_year_prefix(const char *s, size_t len);
/* On VALUE_NOT_DECIMAL, *why says what decimal_parse() found. */
value_status value_parse_scaled(const char *s, size_t len, int scale, int64_t *out, money_status *why);
bool value_in_enum(const char *const *values, const char *s, size_t len);

/* The domain of field f of type t; never NULL (the zero domain when the field
 * has none). */
const value_domain *value_domain_of(const rhv_record_type *t, const rhv_field_def *f);
/* The integer fields of the XAF reader: xsd:nonNegativeInteger, at most 18
 * digits so that it surely fits an int64; and trLine's amntTp. */
extern const value_domain value_xaf_integer;
extern const value_domain value_xaf_amnttp;

/* v (of f's kind) against f's kind and domain d. */
value_status value_check(const rhv_field_def *f, const value_domain *d, const rhv_value *v);

/* The reason as a predicate for "<field> %s": "is not a calendar date",
 * "must not be negative", d's range_why, ... (d may be NULL). */
const char *value_why(value_status st, const value_domain *d);

#endif
