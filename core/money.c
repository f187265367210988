/* money.c - see money.h
 *
 * Parsing accumulates the magnitude as a NEGATIVE number: the int64 range has
 * one more negative value than positive ones, so INT64_MIN cents can be read
 * back exactly; the sign is applied once at the end with an overflow check.
 */
#include "money.h"

#include <string.h>

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* acc = acc * 10 - digit, in the negative domain. */
static bool push_digit(int64_t *acc, char c)
{
    int64_t t;
    if (__builtin_mul_overflow(*acc, 10, &t))
        return false;
    if (__builtin_sub_overflow(t, (int64_t)(c - '0'), &t))
        return false;
    *acc = t;
    return true;
}

/* Turns the negative accumulator into the signed result. */
static money_status finish(int64_t neg_acc, bool negative, int64_t *out)
{
    if (negative) {
        *out = neg_acc;
        return MONEY_OK;
    }
    if (neg_acc == INT64_MIN)
        return MONEY_OVERFLOW;
    *out = -neg_acc;
    return MONEY_OK;
}

/* Scales the accumulator for the decimals that were not written ("1.5" -> 150). */
static bool pad_decimals(int64_t *acc, int written, int wanted)
{
    for (int i = written; i < wanted; i++)
        if (!push_digit(acc, '0'))
            return false;
    return true;
}

/* Reads the fraction after the separator at s[*i]: 1..max digits. The caller
 * has checked that s[*i] is the separator. */
static money_status read_fraction(const char *s, size_t len, size_t *i, int max, int64_t *acc)
{
    size_t start = ++*i;
    int nd = 0;
    bool overflow = false;
    while (*i < len && is_digit(s[*i])) {
        if (nd < max && !push_digit(acc, s[*i]))
            overflow = true;
        nd++;
        ++*i;
    }
    if (*i < len)
        return MONEY_SYNTAX;
    if (*i == start)
        return MONEY_SYNTAX; /* "1." or "1," */
    if (nd > max)
        return MONEY_PRECISION;
    if (overflow || !pad_decimals(acc, nd, max))
        return MONEY_OVERFLOW;
    return MONEY_OK;
}

/* Both forms start alike: something, then an optional sign. *i is set past
 * the sign; MONEY_EMPTY when nothing is left for digits. */
static money_status read_sign(const char *s, size_t len, size_t *i, bool *negative)
{
    if (!s || len == 0)
        return MONEY_EMPTY;
    *negative = false;
    *i = 0;
    if (s[0] == '+' || s[0] == '-') {
        *negative = s[0] == '-';
        *i = 1;
    }
    return *i == len ? MONEY_EMPTY : MONEY_OK;
}

/* Both forms end alike: s[i] is the decimal separator (already checked) or
 * the end. The fraction's syntax and precision are checked before an
 * overflow of the integer part is reported, so that junk is called junk. */
static money_status parse_cents_tail(const char *s, size_t len, size_t i, int64_t acc, bool overflow,
                                     bool negative, rhv_cents *out)
{
    if (i < len) {
        int64_t frac_acc = overflow ? 0 : acc;
        money_status st = read_fraction(s, len, &i, 2, &frac_acc);
        if (st != MONEY_OK)
            return st;
        if (overflow)
            return MONEY_OVERFLOW;
        acc = frac_acc;
    } else if (overflow || !pad_decimals(&acc, 0, 2)) {
        return MONEY_OVERFLOW;
    }
    return finish(acc, negative, out);
}

/* The full parse: every form, every status. */
static money_status parse_full(const char *s, size_t len, rhv_cents *out)
{
    bool negative;
    size_t i;
    if (read_sign(s, len, &i, &negative) != MONEY_OK)
        return MONEY_EMPTY;
    int64_t acc = 0;
    size_t start = i;
    bool overflow = false;
    while (i < len && is_digit(s[i])) {
        if (!overflow && !push_digit(&acc, s[i]))
            overflow = true;
        i++;
    }
    if (i == start)
        return MONEY_SYNTAX; /* ".5", "-x", " 1" */
    if (i < len && s[i] != '.')
        return MONEY_SYNTAX;
    return parse_cents_tail(s, len, i, acc, overflow, negative, out);
}

money_status money_parse(const char *s, size_t len, rhv_cents *out)
{
    /* The usual amount of a ledger first, without the overflow checks it
     * cannot need: an optional '-', digits, then nothing or '.' and one or
     * two digits, in at most 16 bytes (under 10^16 cents). Everything else,
     * and every error, is the full parse's to decide. */
    if (len > 0 && len <= 16) {
        bool negative = s[0] == '-';
        size_t i = negative;
        int64_t v = 0;
        while (i < len && is_digit(s[i]))
            v = v * 10 + (s[i++] - '0');
        if (i > (size_t)negative) {
            size_t rest = len - i;
            if (rest == 0) {
                *out = negative ? -v * 100 : v * 100;
                return MONEY_OK;
            }
            if (s[i] == '.' && (rest == 2 || rest == 3) && is_digit(s[i + 1]) && (rest == 2 || is_digit(s[i + 2]))) {
                int64_t c = v * 100 + (s[i + 1] - '0') * 10 + (rest == 3 ? s[i + 2] - '0' : 0);
                *out = negative ? -c : c;
                return MONEY_OK;
            }
        }
    }
    return parse_full(s, len, out);
}

money_status money_parse_nl(const char *s, size_t len, rhv_cents *out)
{
    bool negative;
    size_t i;
    if (read_sign(s, len, &i, &negative) != MONEY_OK)
        return MONEY_EMPTY;
    int64_t acc = 0;
    bool overflow = false;
    bool grouped = false;
    size_t group = 0; /* digits in the current group */
    size_t start = i;
    while (i < len && (is_digit(s[i]) || s[i] == '.')) {
        if (s[i] == '.') {
            /* The first group has 1-3 digits, every later one exactly 3. */
            if (group == 0 || (grouped ? group != 3 : group > 3))
                return MONEY_SYNTAX;
            grouped = true;
            group = 0;
        } else {
            if (!overflow && !push_digit(&acc, s[i]))
                overflow = true;
            group++;
        }
        i++;
    }
    if (i == start)
        return MONEY_SYNTAX;
    if (group == 0 || (grouped && group != 3))
        return MONEY_SYNTAX; /* "1.", "1.23,00", "1.2345" */
    if (i < len && s[i] != ',')
        return MONEY_SYNTAX;
    return parse_cents_tail(s, len, i, acc, overflow, negative, out);
}

const char *money_status_text(money_status st)
{
    switch (st) {
    case MONEY_OK: return "ok";
    case MONEY_EMPTY: return "no digits";
    case MONEY_SYNTAX: return "not a decimal number";
    case MONEY_PRECISION: return "too many decimals";
    case MONEY_OVERFLOW: return "number too large";
    }
    return "?";
}

money_status decimal_parse(const char *s, size_t len, int decimals, int64_t *out)
{
    if (!s || len == 0)
        return MONEY_EMPTY;
    if (decimals < 0 || decimals > 18)
        return MONEY_PRECISION;
    size_t i = 0;
    if (s[0] == '+')
        i = 1;
    if (i == len)
        return MONEY_EMPTY;
    int64_t acc = 0;
    bool overflow = false;
    size_t start = i;
    while (i < len && is_digit(s[i])) {
        if (!overflow && !push_digit(&acc, s[i]))
            overflow = true;
        i++;
    }
    if (i == start)
        return MONEY_SYNTAX; /* also "-1": the value is non-negative by contract */
    if (i < len && s[i] != '.' && s[i] != ',')
        return MONEY_SYNTAX;
    if (i < len) {
        int64_t frac_acc = overflow ? 0 : acc;
        money_status st = read_fraction(s, len, &i, decimals, &frac_acc);
        if (st != MONEY_OK)
            return st;
        if (overflow)
            return MONEY_OVERFLOW;
        acc = frac_acc;
    } else if (overflow || !pad_decimals(&acc, 0, decimals)) {
        return MONEY_OVERFLOW;
    }
    return finish(acc, false, out);
}

bool money_add(rhv_cents a, rhv_cents b, rhv_cents *out)
{
    return !__builtin_add_overflow(a, b, out);
}

bool money_sub(rhv_cents a, rhv_cents b, rhv_cents *out)
{
    return !__builtin_sub_overflow(a, b, out);
}

bool money_mul(rhv_cents a, int64_t factor, rhv_cents *out)
{
    return !__builtin_mul_overflow(a, factor, out);
}

/* Rounds the exact quotient n / d half away from zero; d != 0. */
static __int128 div128_half_away(__int128 n, __int128 d)
{
    __int128 q = n / d, r = n % d;
    __int128 ar = r < 0 ? -r : r, ad = d < 0 ? -d : d;
    if (2 * ar >= ad)
        q += ((n < 0) == (d < 0)) ? 1 : -1;
    return q;
}

bool money_pct_of(rhv_cents amount, int64_t bp, rhv_cents *out)
{
    /* |amount x bp| < 2^126: the product is exact in 128 bits. */
    __int128 q = div128_half_away((__int128)amount * bp, 10000);
    if (q > INT64_MAX || q < INT64_MIN)
        return false;
    *out = (rhv_cents)q;
    return true;
}

int64_t div_round_half_away(int64_t a, int64_t b)
{
    if (b == 0)
        return 0; /* contract violation; never trap on bad input */
    __int128 q = div128_half_away(a, b);
    /* Only INT64_MIN / -1 does not fit; it saturates rather than wraps. */
    if (q > INT64_MAX)
        return INT64_MAX;
    return (int64_t)q;
}

/* Writes the magnitude of c as "<int>" + sep + "<2 digits>", with `group`
 * as thousands separator (0: none), after the prefix. */
static char *format_cents(int64_t c, const char *prefix, char group, char sep, char buf[MONEY_FMT_MAX])
{
    /* uint64 magnitude: -INT64_MIN does not fit in int64. */
    uint64_t mag = c < 0 ? (uint64_t)0 - (uint64_t)c : (uint64_t)c;
    char tmp[MONEY_FMT_MAX];
    size_t n = 0;
    tmp[n++] = (char)('0' + mag % 10);
    mag /= 10;
    tmp[n++] = (char)('0' + mag % 10);
    mag /= 10;
    tmp[n++] = sep;
    int digits = 0;
    do {
        if (group && digits > 0 && digits % 3 == 0)
            tmp[n++] = group;
        tmp[n++] = (char)('0' + mag % 10);
        mag /= 10;
        digits++;
    } while (mag > 0);
    size_t o = 0;
    for (const char *p = prefix; *p; p++)
        buf[o++] = *p;
    if (c < 0)
        buf[o++] = '-';
    while (n > 0)
        buf[o++] = tmp[--n];
    buf[o] = '\0';
    return buf;
}

char *money_format(rhv_cents c, char buf[MONEY_FMT_MAX])
{
    return format_cents(c, "\xe2\x82\xac ", '.', ',', buf);
}

char *money_format_plain(rhv_cents c, char buf[MONEY_FMT_MAX])
{
    return format_cents(c, "", 0, '.', buf);
}

char *bp_format(int64_t bp, bool nl, char buf[MONEY_FMT_MAX])
{
    /* A basis point is a hundredth of a percent, exactly like a cent of a euro. */
    return format_cents(bp, "", 0, nl ? ',' : '.', buf);
}
