/* xaf_slot_test.c - the XAF reader's record slots (xaf_internal.h): a
 * slot holds its values from each end tag on and its text arena grows as a
 * line needs; values stored before the arena moved must still be the line's
 * own, and the next record (line or transaction) has nil where it has no
 * element, whatever the record before it held. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "check_run.h"
#include "xaf.h"

/* A XAF 3.2 file up to its transactions: header, company, two lines' totals. */
#define XAF_HEAD                                                                                          \
    "<auditfile xmlns=\"http://www.auditfiles.nl/XAF/3.2\"><header><fiscalYear>2023</fiscalYear>"             \
    "<startDate>2023-01-01</startDate><endDate>2023-12-31</endDate><curCode>EUR</curCode>"                 \
    "<dateCreated>2024-01-01</dateCreated><softwareDesc>t</softwareDesc></header>"                         \
    "<company><companyName>C</companyName><taxRegistrationCountry>NL</taxRegistrationCountry>"             \
    "<taxRegIdent>X</taxRegIdent>"                                                                         \
    "<transactions><linesCount>2</linesCount><totalDebit>1</totalDebit><totalCredit>1</totalCredit>"

#define LINES 2
typedef struct {
    const char *type; /* the record type kept */
    int n;
    char line[LINES][512]; /* its first records, rendered "field=value;" */
} seen;

static int sink(void *ud, const rhv_record *rec)
{
    seen *s = ud;
    if (strcmp(rec->type->name, s->type ? s->type : "xaf.trLine") != 0 || s->n == LINES)
        return 0;
    char *out = s->line[s->n++];
    size_t o = 0, cap = sizeof s->line[0];
    for (int f = 0; f < rec->type->nfields && o < cap; f++) {
        const rhv_value *v = &rec->v[f];
        const char *name = rec->type->fields[f].name;
        int w = v->kind == VAL_NONE ? snprintf(out + o, cap - o, "%s=nil;", name)
                : v->kind == VAL_STR || v->kind == VAL_DATE
                    ? snprintf(out + o, cap - o, "%s=%.*s;", name, (int)v->len, v->s)
                    : snprintf(out + o, cap - o, "%s=%lld;", name, (long long)v->i);
        if (w < 0)
            break;
        o += (size_t)w;
    }
    return 0;
}

/* A line whose text outgrows the slot's first arena (1 KiB) twice after
 * other fields were stored (desc 3000 bytes, custSupID 1000). */
START_TEST(arena_grows_mid_record)
{
    static char doc[16384];
    char big[3001];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    int n = snprintf(doc, sizeof doc,
        XAF_HEAD
        "<journal><jrnID>J</jrnID><desc>d</desc><transaction><nr>T1</nr><periodNumber>1</periodNumber>"
        "<trDt>2023-01-02</trDt>"
        "<trLine><nr>1</nr><accID>A1</accID><docRef>R1</docRef><effDate>2023-01-03</effDate>"
        "<desc>%s</desc><amnt>1.00</amnt><amntTp>D</amntTp><custSupID>%.1000s</custSupID></trLine>"
        "<trLine><nr>2</nr><accID>A2</accID><effDate>2023-01-04</effDate><amnt>1.00</amnt>"
        "<amntTp>C</amntTp></trLine>"
        "</transaction></journal></transactions></company></auditfile>",
        big, big);
    ck_assert_int_lt(n, (int)sizeof doc);
    seen s = {0};
    rhv_diag d;
    diag_init(&d, NULL);
    int rc = xaf_read_mem(doc, (size_t)n, "grow.xaf", sink, &s, &d, NULL);
    ck_assert_msg(rc == 0, "%s", d.n ? d.msgs[0].message : "");
    ck_assert_int_eq(s.n, 2);
    const char *want = "jrnID=J;trNr=T1;trDt=2023-01-02;periodNumber=1;nr=1;accID=A1;docRef=R1;"
                       "effDate=2023-01-03;desc=xxx";
    ck_assert_msg(strncmp(s.line[0], want, strlen(want)) == 0, "first line: %.120s", s.line[0]);
    ck_assert_str_eq(s.line[1], "jrnID=J;trNr=T1;trDt=2023-01-02;periodNumber=1;nr=2;accID=A2;docRef=nil;"
                                "effDate=2023-01-04;desc=nil;amnt=100;amntTp=C;custSupID=nil;invRef=nil;"
                                "costID=nil;projID=nil;qntity=nil;");
    diag_free(&d);
}
END_TEST

/* The second transaction has no <desc>: its record says nil, not the first one's. */
START_TEST(next_transaction_without_desc)
{
    static const char doc[] =
        XAF_HEAD
        "<journal><jrnID>J</jrnID><desc>d</desc>"
        "<transaction><nr>T1</nr><desc>first</desc><periodNumber>1</periodNumber><trDt>2023-01-02</trDt>"
        "<trLine><nr>1</nr><accID>A1</accID><effDate>2023-01-03</effDate><amnt>1.00</amnt><amntTp>D</amntTp>"
        "</trLine></transaction>"
        "<transaction><nr>T2</nr><periodNumber>2</periodNumber><trDt>2023-02-02</trDt>"
        "<trLine><nr>1</nr><accID>A1</accID><effDate>2023-02-03</effDate><amnt>1.00</amnt><amntTp>C</amntTp>"
        "</trLine></transaction>"
        "</journal></transactions></company></auditfile>";
    seen s = {.type = "xaf.transaction"};
    rhv_diag d;
    diag_init(&d, NULL);
    int rc = xaf_read_mem(doc, sizeof doc - 1, "tx.xaf", sink, &s, &d, NULL);
    ck_assert_msg(rc == 0, "%s", d.n ? d.msgs[0].message : "");
    ck_assert_int_eq(s.n, 2);
    ck_assert_str_eq(s.line[0], "jrnID=J;nr=T1;desc=first;periodNumber=1;trDt=2023-01-02;lines=1;");
    ck_assert_str_eq(s.line[1], "jrnID=J;nr=T2;desc=nil;periodNumber=2;trDt=2023-02-02;lines=1;");
    diag_free(&d);
}
END_TEST

int main(void)
{
    Suite *su = suite_create("xaf_slot");
    TCase *tc = tcase_create("slot");
    tcase_add_test(tc, arena_grows_mid_record);
    tcase_add_test(tc, next_transaction_without_desc);
    suite_add_tcase(su, tc);
    return check_run(su);
}
