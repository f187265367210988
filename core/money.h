/* money.h - exact amounts: int64 cents, basis points, strict decimal text.
 *
 * Contract:
 * - An amount is an int64_t number of euro cents. No float ever holds an amount.
 * - money_parse() accepts exactly: optional sign (+/-), one or more digits, and
 *   optionally '.' followed by one or two digits. Nothing else: no spaces, no
 *   thousands separators, no exponent, no empty string. Surrounding whitespace is
 *   the caller's business (XML readers trim before calling).
 *   money_parse_nl() accepts the Dutch form used in reports and dossiers written
 *   by people: "1.234.567,89", "-12,5", "100" (dots only as thousands groups).
 * - All arithmetic that could overflow goes through money_add/money_sub/money_mul
 *   which return false on overflow instead of wrapping.
 * - Percentages are basis points (1% = 100 bp). money_pct_of() rounds half away
 *   from zero to the cent: this is the rounding of the verantwoordingsgrens
 *   (docs/verdict.md).
 * - money_format() writes "€ 1.234.567,89" (Dutch grouping, comma decimals,
 *   minus sign before the euro sign: "-€ 12,00" is written "€ -12,00").
 */
#ifndef RHV_MONEY_H
#define RHV_MONEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef int64_t rhv_cents;

typedef enum {
    MONEY_OK = 0,
    MONEY_EMPTY,       /* no digits at all */
    MONEY_SYNTAX,      /* a character that does not belong */
    MONEY_PRECISION,   /* more than two decimals */
    MONEY_OVERFLOW     /* does not fit in int64 cents */
} money_status;

/* Parse "123", "-123.4", "+0.05" (the XAF/xsd:decimal form). */
money_status money_parse(const char *s, size_t len, rhv_cents *out);
/* Parse the Dutch human form "1.234,56" (also "1234,56" and "1234"). */
money_status money_parse_nl(const char *s, size_t len, rhv_cents *out);
const char *money_status_text(money_status st);

/* Parse a non-negative decimal with at most `decimals` digits after '.' or ','
 * into a scaled integer: "84.62" with decimals 2 -> 8462, "3" -> 300.
 * Used for hours, fte, percentages. Same strictness as money_parse. */
money_status decimal_parse(const char *s, size_t len, int decimals, int64_t *out);

bool money_add(rhv_cents a, rhv_cents b, rhv_cents *out);
bool money_sub(rhv_cents a, rhv_cents b, rhv_cents *out);
bool money_mul(rhv_cents a, int64_t factor, rhv_cents *out);

/* amount * bp / 10000, rounded half away from zero. false on overflow. */
bool money_pct_of(rhv_cents amount, int64_t bp, rhv_cents *out);

/* a / b rounded half away from zero; b != 0. Exact for all int64 inputs. */
int64_t div_round_half_away(int64_t a, int64_t b);

/* "€ 1.234.567,89" into buf; returns buf. A buffer of 32 bytes always fits. */
#define MONEY_FMT_MAX 32
char *money_format(rhv_cents c, char buf[MONEY_FMT_MAX]);
/* "1234567.89" (plain, for JSON strings and machine text). */
char *money_format_plain(rhv_cents c, char buf[MONEY_FMT_MAX]);
/* Basis points as a percentage "3,00" (nl) or "3.00" (plain). */
char *bp_format(int64_t bp, bool nl, char buf[MONEY_FMT_MAX]);

#endif
