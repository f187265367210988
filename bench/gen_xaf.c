/* gen_xaf.c - writes a deterministic, consistent XAF 3.2 ledger for benchmarks.
 *
 * usage: gen_xaf LINES [SUPPLIERS] [short|long] [YEAR] > file.xaf  (short: one trLine per text line,
 *        ~240 bytes; YEAR: the fiscal year, default 2023)
 * LINES is rounded down to a multiple of 3: every transaction is a purchase
 * invoice of three lines (expense account debit, VAT debit, creditor credit),
 * so each transaction balances, the stated totals agree with the lines and
 * every reference (account, supplier, period) is defined. Same arguments, same
 * bytes: a fixed linear congruential generator, no clock, no locale.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng = 0x2545F4914F6CDD1DULL;
static uint32_t next(void)
{
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(rng >> 33);
}

static void amount(char *buf, size_t n, int64_t c)
{
    snprintf(buf, n, "%" PRId64 ".%02" PRId64, c / 100, c % 100);
}

/* One purchase transaction of EUR 10 to 500 net. Supplier k is drawn with a
 * probability falling as 1/sqrt(k) (the square of a uniform draw), so a few
 * suppliers get much of the spend, as in a real ledger: at 1M lines about a
 * dozen pass the EU threshold. Every DUP_EVERY-th transaction books the previous invoice again
 * (same supplier, number and amounts): a few duplicates for facturen.dubbel,
 * while every transaction still balances. */
#define DUP_EVERY 100000
typedef struct {
    int64_t net, vat;
    long sup, inv;
    int acc, day;
} tx;

static void next_tx(long t, long nsup, int nacc, const int *dim, long ntx, tx *x)
{
    int month = 1 + (int)(t * 12 / ntx);
    if (t % DUP_EVERY == DUP_EVERY - 1 && t > 0) {
        x->day = 1 + (int)(next() % (uint32_t)dim[month - 1]);
        return; /* keep net, vat, sup, inv, acc of the previous one */
    }
    x->net = 1000 + (int64_t)(next() % 49000);
    x->vat = (x->net * 21 + 50) / 100;
    uint64_t u = next() % (uint32_t)nsup;
    x->sup = 1 + (long)(u * u / (uint64_t)nsup);
    x->acc = 4000 + (int)(next() % (uint32_t)nacc);
    x->day = 1 + (int)(next() % (uint32_t)dim[month - 1]);
    x->inv = t + 1;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: gen_xaf LINES [SUPPLIERS] [short|long] [YEAR]\n");
        return 2;
    }
    long lines = strtol(argv[1], NULL, 10);
    long nsup = argc > 2 ? strtol(argv[2], NULL, 10) : 3000;
    /* "short": the same ledger with each trLine on one line, unindented (about
     * 240 bytes a line instead of 350): more lines per byte parsed, so the
     * per-line work of the rules weighs more against the parse. */
    int brief = argc > 3 && strcmp(argv[3], "short") == 0;
    /* YEAR: ledgers of several fiscal years for one dossier (bench/years.sh);
     * the same transactions, dated in that year. */
    int year = argc > 4 ? (int)strtol(argv[4], NULL, 10) : 2023;
    if (lines < 3 || nsup < 1 || year < 1900 || year > 9998) {
        fprintf(stderr, "gen_xaf: LINES >= 3, SUPPLIERS >= 1, 1900 <= YEAR <= 9998\n");
        return 2;
    }
    long ntx = lines / 3;
    const int nacc = 100;
    /* First pass: amounts are a function of the transaction number, so totals
     * can be written before the lines without holding them in memory. */
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int64_t total = 0;
    tx x = {0};
    for (long t = 0; t < ntx; t++) {
        next_tx(t, nsup, nacc, dim, ntx, &x);
        total += x.net + x.vat;
    }
    rng = 0x2545F4914F6CDD1DULL;
    FILE *o = stdout;
    char a[32], b[32], c[32];
    fprintf(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<auditfile xmlns=\"http://www.auditfiles.nl/XAF/3.2\">\n"
               "  <header>\n    <fiscalYear>%d</fiscalYear>\n    <startDate>%d-01-01</startDate>\n"
               "    <endDate>%d-12-31</endDate>\n    <curCode>EUR</curCode>\n"
               "    <dateCreated>%d-02-15</dateCreated>\n    <softwareDesc>rhv bench/gen_xaf</softwareDesc>\n"
               "    <softwareVersion>1</softwareVersion>\n  </header>\n"
               "  <company>\n    <companyName>GR Benchmark</companyName>\n"
               "    <taxRegistrationCountry>NL</taxRegistrationCountry>\n"
               "    <taxRegIdent>NL000000000B01</taxRegIdent>\n    <customersSuppliers>\n", year, year, year, year + 1);
    for (long s = 1; s <= nsup; s++)
        fprintf(o, "      <customerSupplier>\n        <custSupID>S%05ld</custSupID>\n"
                   "        <custSupName>Leverancier %ld B.V.</custSupName>\n        <custSupTp>S</custSupTp>\n"
                   "      </customerSupplier>\n", s, s);
    fprintf(o, "    </customersSuppliers>\n    <generalLedger>\n"
               "      <ledgerAccount><accID>1520</accID><accDesc>Te vorderen btw</accDesc><accTp>B</accTp></ledgerAccount>\n"
               "      <ledgerAccount><accID>1600</accID><accDesc>Crediteuren</accDesc><accTp>B</accTp></ledgerAccount>\n");
    for (int k = 0; k < nacc; k++)
        fprintf(o, "      <ledgerAccount><accID>%d</accID><accDesc>Kosten %d</accDesc><accTp>P</accTp></ledgerAccount>\n",
                4000 + k, k);
    fprintf(o, "    </generalLedger>\n    <vatCodes>\n      <vatCode><vatID>H</vatID><vatDesc>Hoog 21%%</vatDesc></vatCode>\n"
               "    </vatCodes>\n    <periods>\n");
    for (int p = 1; p <= 12; p++)
        fprintf(o, "      <period><periodNumber>%d</periodNumber><startDatePeriod>%d-%02d-01</startDatePeriod>"
                   "<endDatePeriod>%d-%02d-%02d</endDatePeriod></period>\n", p, year, p, year, p, dim[p - 1]);
    amount(a, sizeof a, total);
    fprintf(o, "    </periods>\n    <transactions>\n      <linesCount>%ld</linesCount>\n"
               "      <totalDebit>%s</totalDebit>\n      <totalCredit>%s</totalCredit>\n"
               "      <journal>\n        <jrnID>70</jrnID>\n        <desc>Inkoopboek</desc>\n        <jrnTp>P</jrnTp>\n",
            ntx * 3, a, a);
    memset(&x, 0, sizeof x);
    for (long t = 0; t < ntx; t++) {
        next_tx(t, nsup, nacc, dim, ntx, &x);
        int64_t net = x.net, vat = x.vat;
        long sup = x.sup, inv = x.inv;
        int acc = x.acc, month = 1 + (int)(t * 12 / ntx);
        char date[32];
        snprintf(date, sizeof date, "%d-%02d-%02d", year, month, x.day);
        amount(a, sizeof a, net);
        amount(b, sizeof b, vat);
        amount(c, sizeof c, net + vat);
        if (brief) {
            fprintf(o, "<transaction><nr>%ld</nr><desc>Inkoopfactuur %ld</desc><periodNumber>%d</periodNumber>"
                       "<trDt>%s</trDt>\n", t + 1, t + 1, month, date);
            fprintf(o, "<trLine><nr>1</nr><accID>%d</accID><docRef>I%07ld</docRef><effDate>%s</effDate>"
                       "<amnt>%s</amnt><amntTp>D</amntTp><custSupID>S%05ld</custSupID><invRef>F%07ld</invRef>"
                       "</trLine>\n", acc, t + 1, date, a, sup, inv);
            fprintf(o, "<trLine><nr>2</nr><accID>1520</accID><docRef>I%07ld</docRef><effDate>%s</effDate>"
                       "<amnt>%s</amnt><amntTp>D</amntTp><custSupID>S%05ld</custSupID></trLine>\n",
                    t + 1, date, b, sup);
            fprintf(o, "<trLine><nr>3</nr><accID>1600</accID><docRef>I%07ld</docRef><effDate>%s</effDate>"
                       "<amnt>%s</amnt><amntTp>C</amntTp><custSupID>S%05ld</custSupID><invRef>F%07ld</invRef>"
                       "</trLine></transaction>\n", t + 1, date, c, sup, inv);
            continue;
        }
        fprintf(o, "        <transaction>\n          <nr>%ld</nr>\n          <desc>Inkoopfactuur %ld</desc>\n"
                   "          <periodNumber>%d</periodNumber>\n          <trDt>%s</trDt>\n", t + 1, t + 1, month, date);
        fprintf(o, "          <trLine>\n            <nr>1</nr>\n            <accID>%d</accID>\n"
                   "            <docRef>I%07ld</docRef>\n            <effDate>%s</effDate>\n"
                   "            <amnt>%s</amnt>\n            <amntTp>D</amntTp>\n            <custSupID>S%05ld</custSupID>\n"
                   "            <invRef>F%07ld</invRef>\n          </trLine>\n", acc, t + 1, date, a, sup, inv);
        fprintf(o, "          <trLine>\n            <nr>2</nr>\n            <accID>1520</accID>\n"
                   "            <docRef>I%07ld</docRef>\n            <effDate>%s</effDate>\n"
                   "            <amnt>%s</amnt>\n            <amntTp>D</amntTp>\n            <custSupID>S%05ld</custSupID>\n"
                   "          </trLine>\n", t + 1, date, b, sup);
        fprintf(o, "          <trLine>\n            <nr>3</nr>\n            <accID>1600</accID>\n"
                   "            <docRef>I%07ld</docRef>\n            <effDate>%s</effDate>\n"
                   "            <amnt>%s</amnt>\n            <amntTp>C</amntTp>\n            <custSupID>S%05ld</custSupID>\n"
                   "            <invRef>F%07ld</invRef>\n          </trLine>\n        </transaction>\n",
                t + 1, date, c, sup, inv);
    }
    fprintf(o, "      </journal>\n    </transactions>\n  </company>\n</auditfile>\n");
    return ferror(o) ? 1 : 0;
}
