/* money_test.c - exact amounts: parsing, overflow, rounding, formatting. */
#include "money.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"

static money_status P(const char *s, rhv_cents *v)
{
    return money_parse(s, strlen(s), v);
}

static money_status N(const char *s, rhv_cents *v)
{
    return money_parse_nl(s, strlen(s), v);
}

#define PARSES(fn, text, want)                                                          \
    do {                                                                                \
        rhv_cents v_ = 12345;                                                           \
        money_status st_ = fn(text, &v_);                                               \
        ck_assert_msg(st_ == MONEY_OK, "%s: status %d for \"%s\"", #fn, st_, text);     \
        ck_assert_msg(v_ == (want), "%s(\"%s\") = %lld, want %lld", #fn, text,          \
                      (long long)v_, (long long)(want));                                \
    } while (0)

#define REJECTS(fn, text, want_st)                                                      \
    do {                                                                                \
        rhv_cents v_ = 777;                                                             \
        money_status st_ = fn(text, &v_);                                               \
        ck_assert_msg(st_ == (want_st), "%s(\"%s\"): status %d, want %d", #fn, text,    \
                      st_, want_st);                                                    \
        ck_assert_msg(v_ == 777, "%s(\"%s\") wrote the output on error", #fn, text);    \
    } while (0)

START_TEST(plain_signs_and_decimals)
{
    PARSES(P, "0", 0);
    PARSES(P, "123", 12300);
    PARSES(P, "-123.4", -12340);
    PARSES(P, "+0.05", 5);
    PARSES(P, "-0.05", -5);
    PARSES(P, "1.5", 150);
    PARSES(P, "1234567.89", 123456789);
    PARSES(P, "007.10", 710);
    PARSES(P, "-0", 0);
}
END_TEST

START_TEST(plain_junk)
{
    REJECTS(P, "", MONEY_EMPTY);
    REJECTS(P, "-", MONEY_EMPTY);
    REJECTS(P, "+", MONEY_EMPTY);
    REJECTS(P, "1e5", MONEY_SYNTAX);
    REJECTS(P, "1,2.3", MONEY_SYNTAX);
    REJECTS(P, " 1", MONEY_SYNTAX);
    REJECTS(P, "1 ", MONEY_SYNTAX);
    REJECTS(P, "1,00", MONEY_SYNTAX);
    REJECTS(P, ".5", MONEY_SYNTAX);
    REJECTS(P, "1.", MONEY_SYNTAX);
    REJECTS(P, "--1", MONEY_SYNTAX);
    REJECTS(P, "1.2.3", MONEY_SYNTAX);
    REJECTS(P, "1.234", MONEY_PRECISION);
    REJECTS(P, "0.001", MONEY_PRECISION);
    REJECTS(P, "1.2x", MONEY_SYNTAX);
    /* Length is honoured: a NUL inside the range is junk, text after it is ignored. */
    rhv_cents v = 1;
    ck_assert_int_eq(money_parse("12\0" "3", 4, &v), MONEY_SYNTAX);
    ck_assert_int_eq(money_parse("123", 2, &v), MONEY_OK);
    ck_assert_int_eq(v, 1200);
}
END_TEST

START_TEST(plain_int64_limits)
{
    PARSES(P, "92233720368547758.07", INT64_MAX);
    PARSES(P, "-92233720368547758.08", INT64_MIN);
    REJECTS(P, "92233720368547758.08", MONEY_OVERFLOW);
    REJECTS(P, "-92233720368547758.09", MONEY_OVERFLOW);
    REJECTS(P, "92233720368547759", MONEY_OVERFLOW);
    REJECTS(P, "99999999999999999999999999", MONEY_OVERFLOW);
    /* Junk after a huge integer part is still junk, not an overflow. */
    REJECTS(P, "99999999999999999999999999x", MONEY_SYNTAX);
    REJECTS(P, "99999999999999999999999999.123", MONEY_PRECISION);
}
END_TEST

/* money.h's grammar written out plainly, for short strings (no overflow). */
static bool plain_oracle(const char *s, size_t n, rhv_cents *v)
{
    size_t i = 0;
    bool neg = false;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        neg = s[i++] == '-';
    size_t d0 = i;
    int64_t a = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        a = a * 10 + (s[i++] - '0');
    if (i == d0)
        return false;
    int64_t c = a * 100;
    if (i < n) {
        if (s[i++] != '.')
            return false;
        size_t f0 = i;
        int64_t f = 0;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            f = f * 10 + (s[i++] - '0');
        if (i < n || i == f0 || i - f0 > 2)
            return false;
        c += i - f0 == 1 ? f * 10 : f;
    }
    *v = neg ? -c : c;
    return true;
}

/* Every string of up to six characters from signs, a point, digits and
 * junk: money_parse accepts exactly what the grammar does, with its value
 * (the short form has a path of its own in money.c). */
START_TEST(plain_all_short_strings)
{
    static const char alpha[] = "-+.019x";
    enum { NA = sizeof alpha - 1 };
    char s[8];
    for (size_t n = 0; n <= 6; n++) {
        size_t total = 1;
        for (size_t i = 0; i < n; i++)
            total *= NA;
        for (size_t code = 0; code < total; code++) {
            size_t c = code;
            for (size_t i = 0; i < n; i++, c /= NA)
                s[i] = alpha[c % NA];
            s[n] = '\0';
            rhv_cents want = 0, got = 777;
            bool ok = plain_oracle(s, n, &want);
            money_status st = money_parse(s, n, &got);
            ck_assert_msg((st == MONEY_OK) == ok, "\"%s\": status %d, grammar says %s", s, st, ok ? "ok" : "bad");
            if (ok)
                ck_assert_msg(got == want, "\"%s\" = %lld, want %lld", s, (long long)got, (long long)want);
        }
    }
}
END_TEST

/* Around the 16 bytes below which money.c skips the overflow checks. */
START_TEST(plain_short_path_edge)
{
    PARSES(P, "9999999999999999", 999999999999999900);
    PARSES(P, "9999999999999999.9", 999999999999999990);
    PARSES(P, "-99999999999999.99", -9999999999999999);
    PARSES(P, "9999999999999.99", 999999999999999);
    PARSES(P, "-999999999999.99", -99999999999999);
    PARSES(P, "-999999999999999", -99999999999999900);
    PARSES(P, "99999999999999.9", 9999999999999990);
    REJECTS(P, "99999999999999999", MONEY_OVERFLOW);
    REJECTS(P, "99999999999999.999", MONEY_PRECISION);
}
END_TEST

START_TEST(nl_form)
{
    PARSES(N, "1.234.567,89", 123456789);
    PARSES(N, "1234,5", 123450);
    PARSES(N, "1234,56", 123456);
    PARSES(N, "-12,5", -1250);
    PARSES(N, "100", 10000);
    PARSES(N, "1.234", 123400); /* Dutch form: the dot groups thousands */
    PARSES(N, "+999.999,99", 99999999);
    PARSES(N, "-92.233.720.368.547.758,08", INT64_MIN);
    REJECTS(N, "92.233.720.368.547.758,08", MONEY_OVERFLOW);
    REJECTS(N, "1.23,00", MONEY_SYNTAX);
    REJECTS(N, "12.34", MONEY_SYNTAX);
    REJECTS(N, "1234.567", MONEY_SYNTAX);
    REJECTS(N, "1.2345", MONEY_SYNTAX);
    REJECTS(N, ".123", MONEY_SYNTAX);
    REJECTS(N, "1..234", MONEY_SYNTAX);
    REJECTS(N, "1.", MONEY_SYNTAX);
    REJECTS(N, "1,", MONEY_SYNTAX);
    REJECTS(N, "1,234", MONEY_PRECISION);
    REJECTS(N, "1.234,5x", MONEY_SYNTAX);
    REJECTS(N, "€ 12", MONEY_SYNTAX);
    REJECTS(N, "", MONEY_EMPTY);
    REJECTS(N, "-", MONEY_EMPTY);
}
END_TEST

START_TEST(decimal_scales)
{
    int64_t v = 0;
    ck_assert_int_eq(decimal_parse("84.62", 5, 2, &v), MONEY_OK);
    ck_assert_int_eq(v, 8462);
    ck_assert_int_eq(decimal_parse("3", 1, 2, &v), MONEY_OK);
    ck_assert_int_eq(v, 300);
    ck_assert_int_eq(decimal_parse("279,35", 6, 2, &v), MONEY_OK);
    ck_assert_int_eq(v, 27935);
    ck_assert_int_eq(decimal_parse("0.5", 3, 4, &v), MONEY_OK);
    ck_assert_int_eq(v, 5000);
    ck_assert_int_eq(decimal_parse("32", 2, 0, &v), MONEY_OK);
    ck_assert_int_eq(v, 32);
    ck_assert_int_eq(decimal_parse("32.0", 4, 0, &v), MONEY_PRECISION);
    ck_assert_int_eq(decimal_parse("1.234", 5, 2, &v), MONEY_PRECISION);
    ck_assert_int_eq(decimal_parse("-1", 2, 2, &v), MONEY_SYNTAX);
    ck_assert_int_eq(decimal_parse("1.2.3", 5, 2, &v), MONEY_SYNTAX);
    ck_assert_int_eq(decimal_parse("", 0, 2, &v), MONEY_EMPTY);
    ck_assert_int_eq(decimal_parse("9223372036854775807", 19, 0, &v), MONEY_OK);
    ck_assert_int_eq(v, INT64_MAX);
    ck_assert_int_eq(decimal_parse("9223372036854775807", 19, 1, &v), MONEY_OVERFLOW);
    ck_assert_int_eq(decimal_parse("9223372036854775808", 19, 0, &v), MONEY_OVERFLOW);
}
END_TEST

START_TEST(arithmetic_overflow)
{
    rhv_cents r = 0;
    ck_assert(money_add(1, 2, &r) && r == 3);
    ck_assert(!money_add(INT64_MAX, 1, &r));
    ck_assert(!money_add(INT64_MIN, -1, &r));
    ck_assert(money_add(INT64_MAX, INT64_MIN, &r) && r == -1);
    ck_assert(money_sub(5, 7, &r) && r == -2);
    ck_assert(!money_sub(INT64_MIN, 1, &r));
    ck_assert(!money_sub(0, INT64_MIN, &r));
    ck_assert(money_mul(-250, 4, &r) && r == -1000);
    ck_assert(!money_mul(INT64_MAX / 2 + 1, 2, &r));
    ck_assert(!money_mul(INT64_MIN, -1, &r));
}
END_TEST

START_TEST(pct_of_rounding)
{
    rhv_cents r = 0;
    /* 3% of 33.333.333 cents = 999.999,99 cents exactly -> 1.000.000 (.99 up) */
    ck_assert(money_pct_of(33333333, 300, &r));
    ck_assert_int_eq(r, 1000000);
    /* 1% of 50 cents = 0,5 cent -> 1 (half away from zero) and -1 for -50 */
    ck_assert(money_pct_of(50, 100, &r) && r == 1);
    ck_assert(money_pct_of(-50, 100, &r) && r == -1);
    /* 1% of 49 cents = 0,49 -> 0; of 149 = 1,49 -> 1; of 150 = 1,5 -> 2 */
    ck_assert(money_pct_of(49, 100, &r) && r == 0);
    ck_assert(money_pct_of(149, 100, &r) && r == 1);
    ck_assert(money_pct_of(150, 100, &r) && r == 2);
    ck_assert(money_pct_of(-150, 100, &r) && r == -2);
    /* The product overflows int64 but the result fits: exact via 128 bits. */
    ck_assert(money_pct_of(INT64_MAX, 10000, &r) && r == INT64_MAX);
    ck_assert(money_pct_of(INT64_MAX, 300, &r));
    ck_assert_int_eq(r, 276701161105643274); /* 9223372036854775807 * 3 / 100 = ...274,21 */
    ck_assert(!money_pct_of(INT64_MAX, 10001, &r));
    ck_assert(!money_pct_of(INT64_MIN, 20000, &r));
}
END_TEST

START_TEST(div_half_away)
{
    ck_assert_int_eq(div_round_half_away(5, 2), 3);
    ck_assert_int_eq(div_round_half_away(-5, 2), -3);
    ck_assert_int_eq(div_round_half_away(5, -2), -3);
    ck_assert_int_eq(div_round_half_away(-5, -2), 3);
    ck_assert_int_eq(div_round_half_away(7, 3), 2);
    ck_assert_int_eq(div_round_half_away(-7, 3), -2);
    ck_assert_int_eq(div_round_half_away(-8, 3), -3);
    ck_assert_int_eq(div_round_half_away(8, -3), -3);
    ck_assert_int_eq(div_round_half_away(0, -3), 0);
    ck_assert_int_eq(div_round_half_away(INT64_MAX, 1), INT64_MAX);
    ck_assert_int_eq(div_round_half_away(INT64_MIN, 1), INT64_MIN);
    ck_assert_int_eq(div_round_half_away(INT64_MIN, 2), INT64_MIN / 2);
    ck_assert_int_eq(div_round_half_away(INT64_MAX, 2), INT64_MAX / 2 + 1);
    ck_assert_int_eq(div_round_half_away(INT64_MIN, INT64_MAX), -1);
    ck_assert_int_eq(div_round_half_away(INT64_MAX, INT64_MIN), -1);
    ck_assert_int_eq(div_round_half_away(INT64_MIN, -1), INT64_MAX); /* saturates */
}
END_TEST

START_TEST(formatting)
{
    char b[MONEY_FMT_MAX];
    ck_assert_str_eq(money_format(0, b), "€ 0,00");
    ck_assert_str_eq(money_format(5, b), "€ 0,05");
    ck_assert_str_eq(money_format(-5, b), "€ -0,05");
    ck_assert_str_eq(money_format(99999, b), "€ 999,99");
    ck_assert_str_eq(money_format(100000, b), "€ 1.000,00");
    ck_assert_str_eq(money_format(123456789, b), "€ 1.234.567,89");
    ck_assert_str_eq(money_format(-123456, b), "€ -1.234,56");
    ck_assert_str_eq(money_format(INT64_MAX, b), "€ 92.233.720.368.547.758,07");
    ck_assert_str_eq(money_format(INT64_MIN, b), "€ -92.233.720.368.547.758,08");
    ck_assert_uint_lt(strlen(b), MONEY_FMT_MAX);
    ck_assert_str_eq(money_format_plain(123456789, b), "1234567.89");
    ck_assert_str_eq(money_format_plain(-5, b), "-0.05");
    ck_assert_str_eq(money_format_plain(0, b), "0.00");
    ck_assert_str_eq(money_format_plain(INT64_MIN, b), "-92233720368547758.08");
    ck_assert_str_eq(bp_format(300, true, b), "3,00");
    ck_assert_str_eq(bp_format(301, false, b), "3.01");
    ck_assert_str_eq(bp_format(5, false, b), "0.05");
    ck_assert_str_eq(bp_format(12345, true, b), "123,45");
}
END_TEST

START_TEST(round_trip)
{
    /* Whatever money_format_plain writes, money_parse reads back exactly. */
    const rhv_cents vals[] = {0, 1, -1, 99, 100, -100, 123456789, INT64_MAX, INT64_MIN, INT64_MIN + 1};
    char b[MONEY_FMT_MAX];
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        rhv_cents v = 0;
        money_format_plain(vals[i], b);
        ck_assert_int_eq(money_parse(b, strlen(b), &v), MONEY_OK);
        ck_assert_int_eq(v, vals[i]);
        /* And the Dutch form, minus its euro sign, through money_parse_nl. */
        money_format(vals[i], b);
        const char *num = b + strlen("€ ");
        ck_assert_int_eq(money_parse_nl(num, strlen(num), &v), MONEY_OK);
        ck_assert_int_eq(v, vals[i]);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("money");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, plain_signs_and_decimals);
    tcase_add_test(tc, plain_junk);
    tcase_add_test(tc, plain_int64_limits);
    tcase_add_test(tc, plain_all_short_strings);
    tcase_add_test(tc, plain_short_path_edge);
    tcase_add_test(tc, nl_form);
    tcase_add_test(tc, decimal_scales);
    tcase_add_test(tc, arithmetic_overflow);
    tcase_add_test(tc, pct_of_rounding);
    tcase_add_test(tc, div_half_away);
    tcase_add_test(tc, formatting);
    tcase_add_test(tc, round_trip);
    suite_add_tcase(s, tc);
    return check_run(s);
}
