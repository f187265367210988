/* verdict_test.c - the verantwoordingsgrens and the verdict at their edges. */
#include "verdict.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"

static rhv_finding mk(finding_kind k, criterion c, rhv_cents amount, bool counts)
{
    rhv_finding f;
    memset(&f, 0, sizeof f);
    f.rule = (char *)"test.rule";
    f.kind = k;
    f.crit = c;
    f.amount = amount;
    f.counts = counts;
    f.subject = (char *)"onderwerp";
    f.message = (char *)"bericht";
    return f;
}

static verdict_input combined(rhv_cents basis, int64_t bp)
{
    verdict_input in;
    memset(&in, 0, sizeof in);
    in.basis = basis;
    in.grens_bp = bp;
    in.rapportagegrens = 10000000; /* € 100.000 */
    return in;
}

static verdict_input separate(rhv_cents basis, int64_t fouten_bp, int64_t onz_bp)
{
    verdict_input in = combined(basis, 300);
    in.gescheiden = true;
    in.fouten_bp = fouten_bp;
    in.onzekerheden_bp = onz_bp;
    return in;
}

static verdict_result run(const verdict_input *in, const rhv_finding *f, size_t n)
{
    verdict_result r;
    const char *err = "unset";
    int rc = verdict_compute(in, f, n, &r, &err);
    ck_assert_msg(rc == 0, "verdict_compute failed: %s", err ? err : "(no message)");
    ck_assert_ptr_null(err);
    return r;
}

/* € 100 mln basis, 3%: grens € 3.000.000,00 = 300.000.000 cents. */
#define BASIS 10000000000LL
#define GRENS 300000000LL

START_TEST(combined_exactly_at_grens_is_binnen)
{
    verdict_input in = combined(BASIS, 300);
    /* The total is split over a fout and an onzekerheid: they add up. */
    rhv_finding f[] = {mk(KIND_FOUT, CRIT_BEGROTING, GRENS - 100000000, true),
                       mk(KIND_ONZEKERHEID, CRIT_VOORWAARDEN, 100000000, true)};
    verdict_result r = run(&in, f, 2);
    ck_assert_int_eq(r.grens, GRENS);
    ck_assert_int_eq(r.total, GRENS);
    ck_assert(!r.boven);
    ck_assert_int_eq(r.ruimte, 0);
}
END_TEST

START_TEST(combined_one_cent_under_and_over)
{
    verdict_input in = combined(BASIS, 300);
    rhv_finding under[] = {mk(KIND_FOUT, CRIT_BEGROTING, GRENS - 1 - 5, true),
                           mk(KIND_ONZEKERHEID, CRIT_MO, 5, true)};
    verdict_result r = run(&in, under, 2);
    ck_assert(!r.boven);
    ck_assert_int_eq(r.ruimte, 1);

    rhv_finding over[] = {mk(KIND_FOUT, CRIT_BEGROTING, GRENS + 1 - 5, true),
                          mk(KIND_ONZEKERHEID, CRIT_MO, 5, true)};
    r = run(&in, over, 2);
    ck_assert(r.boven);
    ck_assert_int_eq(r.ruimte, -1);
    ck_assert_int_eq(r.fouten, GRENS - 4);
    ck_assert_int_eq(r.onzekerheden, 5);
}
END_TEST

START_TEST(separate_limits)
{
    /* Wageningen-style: fouten 1%, onzekerheden 3%. */
    verdict_input in = separate(BASIS, 100, 300);
    rhv_finding at[] = {mk(KIND_FOUT, CRIT_BEGROTING, 100000000, true),
                        mk(KIND_ONZEKERHEID, CRIT_VOORWAARDEN, 300000000, true)};
    verdict_result r = run(&in, at, 2);
    ck_assert_int_eq(r.grens_fouten, 100000000);
    ck_assert_int_eq(r.grens_onzekerheden, 300000000);
    /* Both exactly at their grens: binnen, although the sum (4%) is above the
     * combined 3% - gescheiden compares each kind on its own. */
    ck_assert(!r.boven);
    ck_assert_int_eq(r.ruimte_fouten, 0);
    ck_assert_int_eq(r.ruimte_onzekerheden, 0);
    ck_assert_int_eq(r.grens, GRENS);
    ck_assert_int_eq(r.ruimte, GRENS - 400000000);

    rhv_finding fout_over[] = {mk(KIND_FOUT, CRIT_BEGROTING, 100000001, true),
                               mk(KIND_ONZEKERHEID, CRIT_VOORWAARDEN, 0, true)};
    r = run(&in, fout_over, 2);
    ck_assert(r.boven);
    ck_assert_int_eq(r.ruimte_fouten, -1);
    ck_assert_int_eq(r.ruimte_onzekerheden, 300000000);

    rhv_finding onz_over[] = {mk(KIND_FOUT, CRIT_BEGROTING, 99999999, true),
                              mk(KIND_ONZEKERHEID, CRIT_VOORWAARDEN, 300000001, true)};
    r = run(&in, onz_over, 2);
    ck_assert(r.boven);
    ck_assert_int_eq(r.ruimte_fouten, 1);
    ck_assert_int_eq(r.ruimte_onzekerheden, -1);

    /* An onzekerheid never uses the room of the fouten grens. */
    rhv_finding onz_under[] = {mk(KIND_ONZEKERHEID, CRIT_VOORWAARDEN, 299999999, true)};
    r = run(&in, onz_under, 1);
    ck_assert(!r.boven);
}
END_TEST

START_TEST(grens_rounding)
{
    /* 333.333,33 x 3% = 9.999,9999 -> € 10.000,00 (cents: 999.999,99 -> 1.000.000). */
    verdict_input in = combined(33333333, 300);
    verdict_result r = run(&in, NULL, 0);
    ck_assert_int_eq(r.grens, 1000000);

    /* 166.666,50 x 3% = 4.999,995 -> exactly half a cent: rounds up to 500.000. */
    in = combined(16666650, 300);
    rhv_finding at[] = {mk(KIND_FOUT, CRIT_BEGROTING, 500000, true)};
    r = run(&in, at, 1);
    ck_assert_int_eq(r.grens, 500000);
    ck_assert(!r.boven); /* truncation would have said boven */
    rhv_finding over[] = {mk(KIND_FOUT, CRIT_BEGROTING, 500001, true)};
    r = run(&in, over, 1);
    ck_assert(r.boven);

    /* 166.666,49 x 3% = 4.999,9947 -> 499.999 (below half: down). */
    in = combined(16666649, 300);
    r = run(&in, NULL, 0);
    ck_assert_int_eq(r.grens, 499999);
}
END_TEST

START_TEST(basis_is_the_callers_choice)
{
    /* Same findings, two bases (realisatie vs begroting): the grens follows
     * exactly the basis given and nothing else. */
    rhv_finding f[] = {mk(KIND_FOUT, CRIT_BEGROTING, 3000000, true)};
    verdict_input realisatie = combined(100000000, 300);
    verdict_input begroting = combined(99990000, 300);
    verdict_result r1 = run(&realisatie, f, 1);
    verdict_result r2 = run(&begroting, f, 1);
    ck_assert_int_eq(r1.grens, 3000000);
    ck_assert(!r1.boven);
    ck_assert_int_eq(r2.grens, 2999700);
    ck_assert(r2.boven);
    ck_assert_int_eq(r2.ruimte, -300);
}
END_TEST

START_TEST(acceptabel_and_signalering_not_counted)
{
    verdict_input in = combined(BASIS, 100);
    rhv_finding f[] = {mk(KIND_FOUT, CRIT_BEGROTING, 5000000000LL, false), /* acceptabel, 50x the grens */
                       mk(KIND_ONZEKERHEID, CRIT_VOORWAARDEN, 7, false),
                       mk(KIND_SIGNALERING, CRIT_NONE, 9000000000LL, true),
                       mk(KIND_SIGNALERING, CRIT_BEGROTING, 0, true),
                       mk(KIND_FOUT, CRIT_MO, 42, true)};
    verdict_result r = run(&in, f, 5);
    ck_assert(!r.boven);
    ck_assert_int_eq(r.acceptabel, 5000000007LL);
    ck_assert_int_eq(r.fouten, 42);
    ck_assert_int_eq(r.onzekerheden, 0);
    ck_assert_int_eq(r.total, 42);
    ck_assert_int_eq(r.by[CRIT_BEGROTING][0], 0);
    ck_assert_int_eq(r.by[CRIT_NONE][0], 0);
    ck_assert_int_eq(r.by[CRIT_MO][0], 42);
    ck_assert_int_eq(r.above_rapportagegrens, 0);
    ck_assert(!verdict_is_reportable(&in, &f[0]));
    ck_assert(!verdict_is_reportable(&in, &f[2]));
}
END_TEST

START_TEST(by_criterion_and_rapportagegrens)
{
    verdict_input in = combined(BASIS, 300);
    in.rapportagegrens = 10000000;
    rhv_finding f[] = {mk(KIND_FOUT, CRIT_BEGROTING, 10000000, true),       /* exactly: reportable */
                       mk(KIND_FOUT, CRIT_BEGROTING, 9999999, true),        /* one cent under */
                       mk(KIND_ONZEKERHEID, CRIT_BEGROTING, 20000000, true),
                       mk(KIND_FOUT, CRIT_VOORWAARDEN, 30000000, true),
                       mk(KIND_ONZEKERHEID, CRIT_MO, 1, true),
                       mk(KIND_FOUT, CRIT_VOORWAARDEN, 50000000, false)};   /* acceptabel */
    verdict_result r = run(&in, f, 6);
    ck_assert_int_eq(r.by[CRIT_BEGROTING][0], 19999999);
    ck_assert_int_eq(r.by[CRIT_BEGROTING][1], 20000000);
    ck_assert_int_eq(r.by[CRIT_VOORWAARDEN][0], 30000000);
    ck_assert_int_eq(r.by[CRIT_VOORWAARDEN][1], 0);
    ck_assert_int_eq(r.by[CRIT_MO][1], 1);
    ck_assert_int_eq(r.fouten, 49999999);
    ck_assert_int_eq(r.onzekerheden, 20000001);
    ck_assert_int_eq(r.total, 70000000);
    ck_assert_int_eq(r.acceptabel, 50000000);
    ck_assert_uint_eq(r.above_rapportagegrens, 3);
    ck_assert(verdict_is_reportable(&in, &f[0]));
    ck_assert(!verdict_is_reportable(&in, &f[1]));
    ck_assert(!verdict_is_reportable(&in, &f[5]));
}
END_TEST

START_TEST(pct_warning_above_300)
{
    verdict_result r;
    verdict_input in = combined(BASIS, 300);
    r = run(&in, NULL, 0);
    ck_assert(!r.pct_warning);
    in = combined(BASIS, 301);
    r = run(&in, NULL, 0);
    ck_assert(r.pct_warning);
    in = separate(BASIS, 100, 300);
    r = run(&in, NULL, 0);
    ck_assert(!r.pct_warning);
    in = separate(BASIS, 100, 301);
    r = run(&in, NULL, 0);
    ck_assert(r.pct_warning);
    in = separate(BASIS, 301, 100);
    r = run(&in, NULL, 0);
    ck_assert(r.pct_warning);
}
END_TEST

/* "0.01" typed for 1%: below 0.5% warns too, by the same range. */
START_TEST(pct_warning_below_50)
{
    verdict_result r;
    verdict_input in = combined(BASIS, 50);
    r = run(&in, NULL, 0);
    ck_assert(!r.pct_warning);
    in = combined(BASIS, 49);
    r = run(&in, NULL, 0);
    ck_assert(r.pct_warning);
    in = combined(BASIS, 1);
    r = run(&in, NULL, 0);
    ck_assert(r.pct_warning);
    in = separate(BASIS, 49, 300);
    r = run(&in, NULL, 0);
    ck_assert(r.pct_warning);
    ck_assert_int_eq(verdict_pct_plausible(49), -1);
    ck_assert_int_eq(verdict_pct_plausible(50), 0);
    ck_assert_int_eq(verdict_pct_plausible(300), 0);
    ck_assert_int_eq(verdict_pct_plausible(301), 1);
}
END_TEST

START_TEST(overflow_and_bad_input)
{
    verdict_result r;
    memset(&r, 0x5a, sizeof r);
    verdict_result before = r;
    const char *err = NULL;
    verdict_input in = combined(BASIS, 300);

    rhv_finding big[] = {mk(KIND_FOUT, CRIT_BEGROTING, INT64_MAX, true),
                         mk(KIND_FOUT, CRIT_VOORWAARDEN, 1, true)};
    ck_assert_int_eq(verdict_compute(&in, big, 2, &r, &err), -1);
    ck_assert_ptr_nonnull(err);
    ck_assert(memcmp(&r, &before, sizeof r) == 0); /* untouched on failure */

    rhv_finding split[] = {mk(KIND_FOUT, CRIT_BEGROTING, INT64_MAX, true),
                           mk(KIND_ONZEKERHEID, CRIT_VOORWAARDEN, 1, true)};
    err = NULL;
    ck_assert_int_eq(verdict_compute(&in, split, 2, &r, &err), -1);
    ck_assert_ptr_nonnull(err);

    verdict_input huge = combined(INT64_MAX, 20000);
    err = NULL;
    ck_assert_int_eq(verdict_compute(&huge, NULL, 0, &r, &err), -1);
    ck_assert_ptr_nonnull(err);

    rhv_finding neg[] = {mk(KIND_FOUT, CRIT_BEGROTING, -1, true)};
    err = NULL;
    ck_assert_int_eq(verdict_compute(&in, neg, 1, &r, &err), -1);
    ck_assert_ptr_nonnull(err);

    verdict_input negbasis = combined(-1, 300);
    ck_assert_int_eq(verdict_compute(&negbasis, NULL, 0, &r, NULL), -1);

    /* A grens of 0 (basis 0) with nothing found is binnen; one cent is boven. */
    verdict_input zero = combined(0, 300);
    r = run(&zero, NULL, 0);
    ck_assert(!r.boven);
    rhv_finding cent[] = {mk(KIND_ONZEKERHEID, CRIT_MO, 1, true)};
    r = run(&zero, cent, 1);
    ck_assert(r.boven);
}
END_TEST

/* The worked example of docs/verdict.md, both modes. */
START_TEST(worked_example)
{
    verdict_input in = combined(5873421937LL + 126578050LL, 300);
    rhv_finding f[] = {mk(KIND_FOUT, CRIT_BEGROTING, 123456789, true),
                       mk(KIND_ONZEKERHEID, CRIT_VOORWAARDEN, 56543211, true),
                       mk(KIND_FOUT, CRIT_BEGROTING, 25000000, false),
                       mk(KIND_SIGNALERING, CRIT_NONE, 0, true)};
    verdict_result r = run(&in, f, 4);
    ck_assert_int_eq(in.basis, 5999999987LL);
    ck_assert_int_eq(r.grens, 180000000);
    ck_assert_int_eq(r.fouten, 123456789);
    ck_assert_int_eq(r.onzekerheden, 56543211);
    ck_assert_int_eq(r.total, 180000000);
    ck_assert_int_eq(r.acceptabel, 25000000);
    ck_assert_int_eq(r.ruimte, 0);
    ck_assert(!r.boven);
    ck_assert_uint_eq(r.above_rapportagegrens, 2);
    f[0].amount++;
    r = run(&in, f, 4);
    ck_assert(r.boven);
    ck_assert_int_eq(r.ruimte, -1);
    f[0].amount--;

    verdict_input sep = separate(in.basis, 100, 300);
    r = run(&sep, f, 4);
    ck_assert_int_eq(r.grens_fouten, 60000000);
    ck_assert_int_eq(r.grens_onzekerheden, 180000000);
    ck_assert_int_eq(r.ruimte_fouten, -63456789);
    ck_assert_int_eq(r.ruimte_onzekerheden, 123456789);
    ck_assert(r.boven);
}
END_TEST

/* ---- the basis, summed from the dossier's records ------------------------ */

/* A record of `type` with money field `a` = va and `b` = vb (others absent). */
typedef struct {
    rhv_value v[32];
    rhv_record rec;
} mkrec;

static const rhv_record *money_rec(mkrec *m, const char *type, const char *a, rhv_cents va, const char *b,
                                   rhv_cents vb)
{
    memset(m, 0, sizeof *m);
    m->rec.type = record_type_find(type);
    ck_assert_ptr_nonnull(m->rec.type);
    ck_assert_int_le(m->rec.type->nfields, 32);
    m->rec.file = "dossier.xml";
    m->rec.line = 7;
    m->rec.v = m->v;
    int ia = record_field_index(m->rec.type, a), ib = record_field_index(m->rec.type, b);
    ck_assert_int_ge(ia, 0);
    ck_assert_int_ge(ib, 0);
    val_int(&m->v[ia], VAL_MONEY, va);
    val_int(&m->v[ib], VAL_MONEY, vb);
    return &m->rec;
}

START_TEST(basis_sums_programmas_and_reserves)
{
    verdict_basis b;
    memset(&b, 0, sizeof b);
    mkrec m;
    const char *field = "unset";
    ck_assert_int_eq(verdict_basis_add(&b, money_rec(&m, "programma", "lasten_realisatie", 115000025,
                                                     "lasten_begroot", 110000050), &field), 0);
    ck_assert_int_eq(verdict_basis_add(&b, money_rec(&m, "programma", "lasten_realisatie", -5,
                                                     "lasten_begroot", 50000000), &field), 0);
    ck_assert_int_eq(verdict_basis_add(&b, money_rec(&m, "reserve", "toevoeging_realisatie", 2500050,
                                                     "toevoeging_begroot", 2000101), &field), 0);
    /* A krediet has money too, but it is not part of the basis. */
    ck_assert_int_eq(verdict_basis_add(&b, money_rec(&m, "krediet", "budget", 999, "realisatie", 999), &field), 0);
    ck_assert_str_eq(field, "unset");
    ck_assert_int_eq(b.lasten_realisatie, 115000020);
    ck_assert_int_eq(b.lasten_begroot, 160000050);
    ck_assert_int_eq(b.toevoegingen_realisatie, 2500050);
    ck_assert_int_eq(b.toevoegingen_begroot, 2000101);

    rhv_cents total;
    ck_assert(verdict_basis_total(&b, false, &total));
    ck_assert_int_eq(total, 115000020 + 2500050);
    ck_assert(verdict_basis_total(&b, true, &total));
    ck_assert_int_eq(total, 160000050 + 2000101);
}
END_TEST

START_TEST(basis_overflow_adds_nothing)
{
    verdict_basis b;
    memset(&b, 0, sizeof b);
    mkrec m;
    const char *field = NULL;
    ck_assert_int_eq(verdict_basis_add(&b, money_rec(&m, "programma", "lasten_realisatie", 1, "lasten_begroot",
                                                     INT64_MAX), &field), 0);
    /* The realisatie still fits, the begroting does not: neither is added. */
    ck_assert_int_eq(verdict_basis_add(&b, money_rec(&m, "programma", "lasten_realisatie", 1, "lasten_begroot", 1),
                                       &field), -1);
    ck_assert_str_eq(field, "lasten_begroot");
    ck_assert_int_eq(b.lasten_realisatie, 1);
    ck_assert_int_eq(b.lasten_begroot, INT64_MAX);
    ck_assert_int_eq(verdict_basis_add(&b, money_rec(&m, "reserve", "toevoeging_realisatie", INT64_MAX,
                                                     "toevoeging_begroot", 0), &field), 0);
    ck_assert_int_eq(verdict_basis_add(&b, money_rec(&m, "reserve", "toevoeging_realisatie", 1,
                                                     "toevoeging_begroot", 0), &field), -1);
    ck_assert_str_eq(field, "toevoeging_realisatie");

    /* lasten + toevoegingen may overflow on one basis and not the other. */
    rhv_cents total;
    ck_assert(verdict_basis_total(&b, false, &total) == false);
    b.lasten_realisatie = 0;
    ck_assert(verdict_basis_total(&b, false, &total));
    ck_assert_int_eq(total, INT64_MAX);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("verdict");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, combined_exactly_at_grens_is_binnen);
    tcase_add_test(tc, combined_one_cent_under_and_over);
    tcase_add_test(tc, separate_limits);
    tcase_add_test(tc, grens_rounding);
    tcase_add_test(tc, basis_is_the_callers_choice);
    tcase_add_test(tc, acceptabel_and_signalering_not_counted);
    tcase_add_test(tc, by_criterion_and_rapportagegrens);
    tcase_add_test(tc, pct_warning_above_300);
    tcase_add_test(tc, pct_warning_below_50);
    tcase_add_test(tc, overflow_and_bad_input);
    tcase_add_test(tc, worked_example);
    tcase_add_test(tc, basis_sums_programmas_and_reserves);
    tcase_add_test(tc, basis_overflow_adds_nothing);
    suite_add_tcase(s, tc);
    return check_run(s);
}
