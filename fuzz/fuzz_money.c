/* fuzz_money.c - libFuzzer target: the amount parsers (money.h).
 *
 * Checks what the contract promises, not just "no crash":
 * - what money_parse accepts, money_format_plain writes back so that it
 *   parses to the same cents (and money_format never overruns its buffer);
 * - money_parse accepts only [+-]digits[.d[d]]: a check written here from
 *   the contract, independent of money.c;
 * - decimal_parse agrees with money_parse on non-negative input at 2 decimals.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "money.h"

static void fail(const char *why, const uint8_t *s, size_t n)
{
    fprintf(stderr, "fuzz check: %s: '%.*s'\n", why, (int)n, (const char *)s);
    abort();
}

static int plain_form(const char *s, size_t n)
{
    size_t i = 0;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        i++;
    size_t d0 = i;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    if (i == d0)
        return 0;
    if (i == n)
        return 1;
    if (s[i] != '.')
        return 0;
    i++;
    size_t f0 = i;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    return i == n && i - f0 >= 1 && i - f0 <= 2;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    char buf[MONEY_FMT_MAX];
    rhv_cents c = 0;
    money_status st = money_parse(s, size, &c);
    if (st == MONEY_OK) {
        if (!plain_form(s, size))
            fail("money_parse accepted a non-plain amount", data, size);
        money_format_plain(c, buf);
        rhv_cents back = 0;
        if (money_parse(buf, strlen(buf), &back) != MONEY_OK || back != c)
            fail("money_format_plain does not parse back", data, size);
        money_format(c, buf);
        if (memchr(buf, '\0', sizeof buf) == NULL)
            fail("money_format overran", data, size);
        if (s[0] != '-') {
            int64_t dec = 0;
            const char *p = s[0] == '+' ? s + 1 : s;
            size_t pn = s[0] == '+' ? size - 1 : size;
            if (decimal_parse(p, pn, 2, &dec) != MONEY_OK || dec != c)
                fail("decimal_parse disagrees with money_parse", data, size);
        }
    } else if (st == MONEY_SYNTAX || st == MONEY_EMPTY) {
        if (plain_form(s, size))
            fail("money_parse refused a plain amount as syntax", data, size);
    }
    (void)money_status_text(st);
    rhv_cents nl = 0;
    if (money_parse_nl(s, size, &nl) == MONEY_OK) {
        money_format(nl, buf);
        money_format_plain(nl, buf);
    }
    int64_t scaled = 0;
    for (int dec = 0; dec <= 4; dec++)
        (void)decimal_parse(s, size, dec, &scaled);
    if (size >= 16) {
        /* arithmetic on two int64 from the bytes: overflow is reported, never wrapped */
        int64_t a, b;
        memcpy(&a, data, 8);
        memcpy(&b, data + 8, 8);
        rhv_cents r;
        if (money_add(a, b, &r) && (__int128)a + b != r)
            fail("money_add wrong", data, size);
        if (money_sub(a, b, &r) && (__int128)a - b != r)
            fail("money_sub wrong", data, size);
        if (money_mul(a, b, &r) && (__int128)a * b != r)
            fail("money_mul wrong", data, size);
        (void)money_pct_of(a, b % 1000000, &r);
        if (b != 0)
            (void)div_round_half_away(a, b);
        bp_format(b, true, buf);
        bp_format(b, false, buf);
    }
    return 0;
}
