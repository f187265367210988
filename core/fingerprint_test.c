/* fingerprint_test.c - a finding's fingerprint: its format, what it depends on
 * and what not, and matching across fiscal years; the beoordelingen reader's
 * check of a written fingerprint. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "beoordeling.h"
#include "check_run.h"
#include "fingerprint.h"

static rhv_finding finding(const char *rule, const char *subject, const char *key, rhv_cents amount, long line)
{
    static rhv_evidence ev;
    ev = (rhv_evidence){.file = "dossier.xml", .line = line};
    return (rhv_finding){.rule = (char *)rule, .subject = (char *)subject, .key = (char *)key,
                         .message = "m", .amount = amount, .kind = KIND_FOUT, .ev = &ev, .nev = 1};
}

START_TEST(format_is_rule_year_twelve_hex)
{
    rhv_finding f = finding("begroting.lasten", "Programma 1", NULL, 100, 22);
    char *fp = fingerprint_make(&f, 2023);
    ck_assert_ptr_nonnull(fp);
    ck_assert_uint_eq(strlen(fp), strlen("begroting.lasten:2023:") + 12);
    ck_assert(strncmp(fp, "begroting.lasten:2023:", 22) == 0);
    ck_assert(fingerprint_well_formed(fp));
    free(fp);
}
END_TEST

START_TEST(amount_and_line_do_not_matter_subject_and_key_do)
{
    rhv_finding a = finding("r.x", "Programma 1", NULL, 100, 22);
    rhv_finding b = finding("r.x", "Programma 1", NULL, 999, 40);
    rhv_finding c = finding("r.x", "Programma 2", NULL, 100, 22);
    rhv_finding d = finding("r.x", "Programma 1 hernoemd", "programma 1", 100, 22);
    rhv_finding e = finding("r.x", "Programma 1", "programma 1", 100, 22);
    rhv_finding g = finding("r.y", "Programma 1", NULL, 100, 22);
    char *fa = fingerprint_make(&a, 2023), *fb = fingerprint_make(&b, 2023), *fc = fingerprint_make(&c, 2023);
    char *fd = fingerprint_make(&d, 2023), *fe = fingerprint_make(&e, 2023), *fg = fingerprint_make(&g, 2023);
    ck_assert_str_eq(fa, fb);
    ck_assert_str_ne(fa, fc);
    ck_assert_str_eq(fd, fe);   /* with a key, the subject may change */
    ck_assert_str_ne(fa, fe);   /* a key is another name than the subject */
    ck_assert(!fingerprint_same_finding(fa, fg));
    free(fa), free(fb), free(fc), free(fd), free(fe), free(fg);
}
END_TEST

START_TEST(same_finding_in_another_year)
{
    rhv_finding a = finding("r.x", "Programma 1", NULL, 100, 22);
    char *f23 = fingerprint_make(&a, 2023), *f24 = fingerprint_make(&a, 2024);
    ck_assert_str_ne(f23, f24);
    ck_assert(fingerprint_same_finding(f23, f24));
    ck_assert(!fingerprint_same_finding("r.x:2023:aaaaaaaaaaaa", "r.xy:2023:aaaaaaaaaaaa"));
    ck_assert(!fingerprint_same_finding("r.x:2023:aaaaaaaaaaaa", "r.x:2023:aaaaaaaaaaab"));
    free(f23), free(f24);
}
END_TEST

START_TEST(well_formed_as_written)
{
    ck_assert(fingerprint_well_formed("a.b_c:2023:0123456789ab"));
    ck_assert(fingerprint_well_formed("a:0:0123456789ab"));
    ck_assert(!fingerprint_well_formed("a:2023:0123456789AB"));  /* lowercase only */
    ck_assert(!fingerprint_well_formed("a:2023:0123456789a"));   /* 11 digits */
    ck_assert(!fingerprint_well_formed(":2023:0123456789ab"));
    ck_assert(!fingerprint_well_formed("A:2023:0123456789ab"));
    ck_assert(!fingerprint_well_formed("a:20233:0123456789ab"));
    ck_assert(!fingerprint_well_formed("a::0123456789ab"));
    ck_assert(!fingerprint_well_formed("a:2023"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("fingerprint");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, format_is_rule_year_twelve_hex);
    tcase_add_test(tc, amount_and_line_do_not_matter_subject_and_key_do);
    tcase_add_test(tc, same_finding_in_another_year);
    tcase_add_test(tc, well_formed_as_written);
    suite_add_tcase(s, tc);
    return check_run(s);
}
