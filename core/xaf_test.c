/* xaf_test.c - the XAF reader on small fixtures that each break one thing
 * (tests/fixtures/ledgers/) and, as the separate test unit.xaf_reference, on
 * the public reference ledgers in ../shared/reference. */
#include <check.h>
#include <glob.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_run.h"
#include "rhv_config.h"
#include "xaf.h"

/* What a test sink saw: counts per type, plus a copy of selected records. */
#define KEEP 64
typedef struct {
    long n_trline, n_tx, n_journal, n_header, n_custsup, n_ledger, n_total;
    char seq[KEEP][32];    /* type names of the first KEEP records */
    long seq_line[KEEP];
    int stop_at_trline;    /* non-zero: ask the reader to stop at the first line */
    int utf8_name_found;   /* the Multivers supplier with an o-umlaut */
    long sum_debit, sum_credit;
    char first_line[512];  /* first trLine rendered as text */
    char header[512];
} seen;

static void render(const rhv_record *rec, char *out, size_t cap)
{
    size_t o = 0;
    for (int f = 0; f < rec->type->nfields && o < cap; f++) {
        const rhv_value *v = &rec->v[f];
        int w = 0;
        if (v->kind == VAL_NONE)
            w = snprintf(out + o, cap - o, "%s=nil;", rec->type->fields[f].name);
        else if (v->kind == VAL_STR || v->kind == VAL_DATE)
            w = snprintf(out + o, cap - o, "%s=%.*s;", rec->type->fields[f].name, (int)v->len, v->s);
        else
            w = snprintf(out + o, cap - o, "%s=%lld;", rec->type->fields[f].name, (long long)v->i);
        if (w < 0)
            break;
        o += (size_t)w;
    }
}

static int sink(void *ud, const rhv_record *rec)
{
    seen *s = ud;
    if (s->n_total < KEEP) {
        snprintf(s->seq[s->n_total], sizeof s->seq[0], "%s", rec->type->name);
        s->seq_line[s->n_total] = rec->line;
    }
    s->n_total++;
    const char *t = rec->type->name;
    if (strcmp(t, "xaf.trLine") == 0) {
        if (s->n_trline == 0)
            render(rec, s->first_line, sizeof s->first_line);
        s->n_trline++;
        int a = record_field_index(rec->type, "amnt"), tp = record_field_index(rec->type, "amntTp");
        if (rec->v[a].kind == VAL_MONEY && rec->v[tp].kind == VAL_STR) {
            if (rec->v[tp].s[0] == 'D')
                s->sum_debit += rec->v[a].i;
            else
                s->sum_credit += rec->v[a].i;
        }
        if (s->stop_at_trline)
            return 1;
    } else if (strcmp(t, "xaf.transaction") == 0) {
        s->n_tx++;
    } else if (strcmp(t, "xaf.journal") == 0) {
        s->n_journal++;
    } else if (strcmp(t, "xaf.header") == 0) {
        s->n_header++;
        render(rec, s->header, sizeof s->header);
    } else if (strcmp(t, "xaf.ledgerAccount") == 0) {
        s->n_ledger++;
    } else if (strcmp(t, "xaf.customerSupplier") == 0) {
        s->n_custsup++;
        int f = record_field_index(rec->type, "custSupName");
        const rhv_value *v = &rec->v[f];
        const char *want = "Gartencenter L\xc3\xb6wenbrau";
        if (v->kind == VAL_STR && v->len == strlen(want) && memcmp(v->s, want, v->len) == 0)
            s->utf8_name_found = 1;
    }
    return 0;
}

/* RHV_SHARED from the caller's environment, else the ../shared meson found. */
static const char *shared_root(void)
{
    const char *sh = getenv("RHV_SHARED");
    return sh && *sh ? sh : getenv("RHV_SHARED_DEFAULT");
}

/* The reference files are only read by `unit_xaf reference`, which main()
 * runs only when RHV_SHARED/reference exists: here a missing file fails. */
static char *shared_ref(const char *name)
{
    const char *sh = shared_root();
    ck_assert_msg(sh && *sh, "RHV_SHARED (../shared) not set");
    size_t n = strlen(sh) + strlen(name) + 16;
    char *p = malloc(n);
    ck_assert_ptr_nonnull(p);
    snprintf(p, n, "%s/reference/%s", sh, name);
    FILE *f = fopen(p, "rb");
    ck_assert_msg(f != NULL, "reference file missing: %s", p);
    fclose(f);
    return p;
}

static char *fixture(const char *name)
{
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s/tests/fixtures/ledgers/%s", RHV_SOURCE_ROOT, name);
    return buf;
}

typedef struct {
    int rc;
    rhv_xaf_info info;
    rhv_diag d;
    seen s;
} run;

static void read_file(const char *path, run *r)
{
    memset(r, 0, sizeof *r);
    diag_init(&r->d, NULL);
    r->rc = xaf_read(path, sink, &r->s, &r->d, &r->info);
}

static void run_free(run *r)
{
    xaf_info_free(&r->info);
    diag_free(&r->d);
}

/* A message at `line` containing `needle`. */
static int has_msg(const rhv_diag *d, diag_level lv, long line, const char *needle)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->msgs[i].level == lv && (line < 0 || d->msgs[i].line == line) && strstr(d->msgs[i].message, needle))
            return 1;
    return 0;
}

/* ---- reference ledgers -------------------------------------------------- */

static void check_ref(const char *name, const char *version, long lines, long tx, long warnings)
{
    char *p = shared_ref(name);
    run r;
    read_file(p, &r);
    ck_assert_msg(r.rc == 0, "%s: rc %d, first message: %s", name, r.rc, r.d.n ? r.d.msgs[0].message : "-");
    ck_assert_uint_eq(r.d.errors, 0);
    ck_assert_uint_eq(r.d.warnings, (size_t)warnings);
    ck_assert_str_eq(r.info.version, version);
    ck_assert_int_eq(r.info.lines, lines);
    ck_assert_int_eq(r.s.n_trline, lines);
    ck_assert_int_eq(r.s.n_tx, tx);
    ck_assert_int_eq(r.s.n_header, 1);
    ck_assert_ptr_nonnull(r.info.company_name);
    ck_assert_str_eq(r.s.seq[0], "xaf.header");
    ck_assert_str_eq(r.s.seq[1], "xaf.company");
    run_free(&r);
    free(p);
}

START_TEST(ref_banana) { check_ref("xaf32_banana_2018.xaf", "3.2", 121, 44, 0); }
END_TEST

START_TEST(ref_twinfield_31) { check_ref("xaf31_twinfield_2016.xaf", "3.1", 181, 43, 0); }
END_TEST

START_TEST(ref_official) { check_ref("xaf32_official_test.xml", "3.2", 1, 1, 0); }
END_TEST

/* UTF-8 with BOM, empty <docRef/>, an empty <taxRegIdent/> (required: a
 * warning) and seven negative quantities (warnings, never errors). */
START_TEST(ref_exact)
{
    char *p = shared_ref("xaf32_exactonline_2016.xaf");
    check_ref("xaf32_exactonline_2016.xaf", "3.2", 167, 57, 8);
    run r;
    read_file(p, &r);
    size_t neg = 0;
    for (size_t i = 0; i < r.d.n; i++)
        if (strstr(r.d.msgs[i].message, "negative qntity")) {
            ck_assert_int_eq(r.d.msgs[i].level, DIAG_WARNING);
            ck_assert_int_gt(r.d.msgs[i].line, 0);
            neg++;
        }
    ck_assert_uint_eq(neg, 7);
    ck_assert(has_msg(&r.d, DIAG_WARNING, 3179, "'-3'"));
    ck_assert(has_msg(&r.d, DIAG_WARNING, -1, "taxRegIdent"));
    ck_assert_str_eq(r.info.company_name, "Toro Rosso BV");
    ck_assert_int_eq(r.info.fiscal_year, 2016);
    /* Exact's line numbers look like "1:1"; its docRef is empty: nil. */
    ck_assert_msg(strstr(r.s.first_line, "nr=1:1;") && strstr(r.s.first_line, "docRef=nil;") &&
                  strstr(r.s.first_line, "accID=0300;"), "%s", r.s.first_line);
    run_free(&r);
    free(p);
}
END_TEST

/* ISO-8859-1 declared and used: names arrive as UTF-8. */
START_TEST(ref_multivers_latin1)
{
    char *p = shared_ref("xaf32_multivers_2017_latin1.xaf");
    run r;
    read_file(p, &r);
    ck_assert_int_eq(r.rc, 0);
    ck_assert_str_eq(r.info.version, "3.2");
    ck_assert_int_eq(r.s.n_trline, 371);
    ck_assert_int_eq(r.s.n_tx, 69);
    ck_assert(r.s.utf8_name_found);
    /* One <vatDesc/> is empty although required. */
    ck_assert_uint_eq(r.d.warnings, 1);
    ck_assert(has_msg(&r.d, DIAG_WARNING, -1, "vatDesc"));
    run_free(&r);
    free(p);
}
END_TEST

/* Every reference ledger loads, and its lines balance overall (the files are
 * real exports, so debit = credit is a property of the data read correctly). */
START_TEST(ref_all_load)
{
    const char *sh = shared_root();
    ck_assert_msg(sh && *sh, "RHV_SHARED (../shared) not set");
    char pat[4096];
    snprintf(pat, sizeof pat, "%s/reference/*.xaf", sh);
    glob_t g;
    ck_assert_msg(glob(pat, 0, NULL, &g) == 0, "no *.xaf under %s/reference", sh);
    ck_assert_uint_ge(g.gl_pathc, 4);
    for (size_t i = 0; i < g.gl_pathc; i++) {
        run r;
        read_file(g.gl_pathv[i], &r);
        ck_assert_msg(r.rc == 0 && r.d.errors == 0, "%s did not load", g.gl_pathv[i]);
        ck_assert_msg(r.s.n_trline > 0 && r.s.n_trline == r.info.lines, "%s: no lines", g.gl_pathv[i]);
        ck_assert_msg(r.s.sum_debit == r.s.sum_credit, "%s: debit %ld != credit %ld", g.gl_pathv[i],
                      r.s.sum_debit, r.s.sum_credit);
        run_free(&r);
    }
    globfree(&g);
}
END_TEST

START_TEST(ref_xas_is_not_xaf)
{
    char *p = shared_ref("xas7_unit4_demo_2017.xas");
    run r;
    read_file(p, &r);
    ck_assert_int_eq(r.rc, -1);
    ck_assert(has_msg(&r.d, DIAG_ERROR, -1, "<Message>"));
    ck_assert_int_eq(r.s.n_total, 0);
    run_free(&r);
    free(p);
}
END_TEST

/* ---- own fixtures ------------------------------------------------------- */

START_TEST(fix_mini_ok)
{
    run r;
    read_file(fixture("mini_ok.xaf"), &r);
    ck_assert_int_eq(r.rc, 0);
    ck_assert_uint_eq(r.d.errors + r.d.warnings, 0);
    static const char *const want[] = {
        "xaf.header", "xaf.company", "xaf.customerSupplier", "xaf.ledgerAccount", "xaf.ledgerAccount",
        "xaf.ledgerAccount", "xaf.ledgerAccount", "xaf.vatCode", "xaf.period", "xaf.transactions", "xaf.journal",
        "xaf.trLine", "xaf.trLine", "xaf.trLine", "xaf.transaction", "xaf.journal",
    };
    static const long want_line[] = {3, 11, 17, 24, 25, 26, 27, 29, 31, 36, 40, 49, 54, 58, 44, 64};
    size_t n = sizeof want / sizeof want[0];
    ck_assert_int_eq(r.s.n_total, (long)n);
    for (size_t i = 0; i < n; i++) {
        ck_assert_str_eq(r.s.seq[i], want[i]);
        ck_assert_int_eq(r.s.seq_line[i], want_line[i]);
    }
    ck_assert_str_eq(r.s.first_line,
                     "jrnID=70;trNr=2023001;trDt=2023-01-15;periodNumber=1;nr=1;accID=4400;docRef=nil;"
                     "effDate=2023-01-15;desc=nil;amnt=10000;amntTp=D;custSupID=S001;invRef=F-1;costID=nil;"
                     "projID=nil;qntity=nil;");
    /* The zone of endDate is dropped. */
    ck_assert_msg(strstr(r.s.header, "version=3.2;fiscalYear=2023;startDate=2023-01-01;endDate=2023-12-31;"),
                  "%s", r.s.header);
    ck_assert_int_eq(r.s.sum_debit, 12100);
    ck_assert_int_eq(r.s.sum_credit, 12100);
    ck_assert_str_eq(r.info.fiscal_year_text, "2023");
    ck_assert_int_eq(r.info.fiscal_year, 2023);
    ck_assert_str_eq(r.info.company_name, "GR Voorbeeld");
    run_free(&r);
}
END_TEST

START_TEST(fix_xaf31)
{
    run r;
    read_file(fixture("xaf31.xaf"), &r);
    ck_assert_int_eq(r.rc, 0);
    ck_assert_str_eq(r.info.version, "3.1");
    ck_assert_int_eq(r.s.n_trline, 3);
    ck_assert_msg(strstr(r.s.header, "version=3.1;"), "%s", r.s.header);
    run_free(&r);
}
END_TEST

/* Elements are matched on namespace and local name: an <accID> from another
 * namespace, or inside a foreign element, is not the line's account. */
START_TEST(fix_foreign_namespace)
{
    run r;
    read_file(fixture("foreign_ns.xaf"), &r);
    ck_assert_int_eq(r.rc, 0);
    ck_assert_uint_eq(r.d.errors + r.d.warnings, 0);
    ck_assert_int_eq(r.s.n_trline, 3);
    ck_assert_msg(strstr(r.s.first_line, "accID=4400;"), "%s", r.s.first_line);
    run_free(&r);
}
END_TEST

START_TEST(fix_wrong_namespace)
{
    run r;
    read_file(fixture("wrong_namespace.xaf"), &r);
    ck_assert_int_eq(r.rc, -1);
    ck_assert(has_msg(&r.d, DIAG_ERROR, 2, "http://example.org/XAF/9.9"));
    ck_assert_int_eq(r.s.n_total, 0);
    run_free(&r);
}
END_TEST

START_TEST(fix_xaf40)
{
    run r;
    read_file(fixture("xaf40.xaf"), &r);
    ck_assert_int_eq(r.rc, -1);
    ck_assert(has_msg(&r.d, DIAG_ERROR, 2, "XAF 4.0"));
    ck_assert(has_msg(&r.d, DIAG_ERROR, 2, "not supported yet"));
    ck_assert_int_eq(r.s.n_total, 0);
    run_free(&r);
}
END_TEST

START_TEST(fix_bad_amount)
{
    run r;
    read_file(fixture("bad_amount.xaf"), &r);
    ck_assert_int_eq(r.rc, -1);
    ck_assert_uint_eq(r.d.errors, 1);
    ck_assert(has_msg(&r.d, DIAG_ERROR, 56, "'21,00'"));
    ck_assert_str_eq(r.d.msgs[0].file, fixture("bad_amount.xaf"));
    /* The bad line is not handed on; the others are. */
    ck_assert_int_eq(r.s.n_trline, 2);
    run_free(&r);
}
END_TEST

START_TEST(fix_bad_date)
{
    run r;
    read_file(fixture("bad_date.xaf"), &r);
    ck_assert_int_eq(r.rc, -1);
    ck_assert(has_msg(&r.d, DIAG_ERROR, 48, "'2023-02-30'"));
    run_free(&r);
}
END_TEST

START_TEST(fix_missing_required)
{
    run r;
    read_file(fixture("missing_accid.xaf"), &r);
    ck_assert_int_eq(r.rc, -1);
    ck_assert(has_msg(&r.d, DIAG_ERROR, 54, "<accID>"));
    run_free(&r);
}
END_TEST

/* An empty amount cannot be read (error, line dropped); an empty required
 * text element can (warning, passed on as nil). */
START_TEST(fix_empty_required)
{
    run r;
    read_file(fixture("empty_required.xaf"), &r);
    ck_assert_int_eq(r.rc, -1);
    ck_assert_uint_eq(r.d.errors, 1);
    ck_assert(has_msg(&r.d, DIAG_ERROR, 54, "empty required element <amnt>"));
    ck_assert(has_msg(&r.d, DIAG_WARNING, 58, "empty required element <accID> (passed on as nil)"));
    ck_assert_int_eq(r.s.n_trline, 2);
    ck_assert_int_eq(r.s.sum_credit, 12100);
    run_free(&r);
}
END_TEST

/* An empty amntTp is text, but a line without its side has no meaning: an
 * error like the empty amount (xaf_fields.c, empty_is_unreadable). The
 * fixture above with the amount given and the side left empty instead. */
START_TEST(empty_amnttp_is_an_error)
{
    static char buf[1 << 16];
    FILE *f = fopen(fixture("empty_required.xaf"), "rb");
    ck_assert_ptr_nonnull(f);
    size_t len = fread(buf, 1, sizeof buf - 1, f);
    ck_assert(feof(f));
    fclose(f);
    buf[len] = '\0';
    static const char from[] = "<amnt> </amnt><amntTp>D</amntTp>", to[] = "<amnt>1.00</amnt><amntTp/>    ";
    char *at = strstr(buf, from);
    ck_assert_ptr_nonnull(at);
    memcpy(at, to, sizeof to - 1); /* the same length: lines and offsets stay */
    run r;
    memset(&r, 0, sizeof r);
    diag_init(&r.d, NULL);
    r.rc = xaf_read_mem(buf, len, "empty_amnttp.xaf", sink, &r.s, &r.d, &r.info);
    ck_assert_int_eq(r.rc, -1);
    ck_assert_uint_eq(r.d.errors, 1);
    ck_assert(has_msg(&r.d, DIAG_ERROR, 54, "empty required element <amntTp>"));
    ck_assert_int_eq(r.s.n_trline, 2);
    run_free(&r);
}
END_TEST

START_TEST(fix_malformed)
{
    run r;
    read_file(fixture("malformed.xaf"), &r);
    ck_assert_int_eq(r.rc, -1);
    ck_assert(has_msg(&r.d, DIAG_ERROR, 51, "malformed XML"));
    run_free(&r);
}
END_TEST

/* xaf_read_mem is the same read as xaf_read: same records, same messages. */
START_TEST(mem_read_matches_file)
{
    static const char *const names[] = {"mini_ok.xaf", "bad_amount.xaf", "malformed.xaf", "xaf31.xaf"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *path = fixture(names[i]);
        FILE *f = fopen(path, "rb");
        ck_assert_ptr_nonnull(f);
        static char buf[1 << 20];
        size_t len = fread(buf, 1, sizeof buf, f);
        ck_assert(feof(f));
        fclose(f);
        run a, b;
        read_file(path, &a);
        memset(&b, 0, sizeof b);
        diag_init(&b.d, NULL);
        b.rc = xaf_read_mem(buf, len, path, sink, &b.s, &b.d, &b.info);
        ck_assert_int_eq(a.rc, b.rc);
        ck_assert_int_eq(a.s.n_total, b.s.n_total);
        ck_assert_int_gt(a.s.n_total + (long)a.d.n, 0);
        for (long k = 0; k < a.s.n_total && k < KEEP; k++) {
            ck_assert_str_eq(a.s.seq[k], b.s.seq[k]);
            ck_assert_int_eq(a.s.seq_line[k], b.s.seq_line[k]);
        }
        ck_assert_str_eq(a.s.first_line, b.s.first_line);
        ck_assert_uint_eq(a.d.n, b.d.n);
        for (size_t k = 0; k < a.d.n; k++) {
            ck_assert_str_eq(a.d.msgs[k].file, b.d.msgs[k].file);
            ck_assert_int_eq(a.d.msgs[k].line, b.d.msgs[k].line);
            ck_assert_str_eq(a.d.msgs[k].message, b.d.msgs[k].message);
        }
        run_free(&a);
        run_free(&b);
    }
}
END_TEST

START_TEST(fix_missing_file)
{
    run r;
    read_file(fixture("does_not_exist.xaf"), &r);
    ck_assert_int_eq(r.rc, -1);
    ck_assert(has_msg(&r.d, DIAG_ERROR, 0, "cannot open"));
    run_free(&r);
}
END_TEST

/* The sink may stop the read; that is not an error. */
START_TEST(sink_stops)
{
    run r;
    memset(&r, 0, sizeof r);
    diag_init(&r.d, NULL);
    r.s.stop_at_trline = 1;
    r.rc = xaf_read(fixture("mini_ok.xaf"), sink, &r.s, &r.d, &r.info);
    ck_assert_int_eq(r.rc, 0);
    ck_assert_int_eq(r.s.n_trline, 1);
    ck_assert_int_eq(r.s.n_tx, 0);
    ck_assert_uint_eq(r.d.errors, 0);
    run_free(&r);
}
END_TEST

/* The header part of the info is there when the sink gets the header
 * record, so a caller can start its work for the fiscal year right there. */
typedef struct {
    const rhv_xaf_info *info;
    int header_year;
    char header_text[16];
    int saw_header;
} header_probe;

static int header_sink(void *ud, const rhv_record *rec)
{
    header_probe *p = ud;
    if (strcmp(rec->type->name, "xaf.header") == 0) {
        p->saw_header++;
        p->header_year = p->info->fiscal_year;
        snprintf(p->header_text, sizeof p->header_text, "%s", p->info->fiscal_year_text);
    }
    return 0;
}

START_TEST(header_info_before_sink)
{
    rhv_xaf_info info;
    rhv_diag d;
    diag_init(&d, NULL);
    header_probe p = {.info = &info};
    ck_assert_int_eq(xaf_read(fixture("mini_ok.xaf"), header_sink, &p, &d, &info), 0);
    ck_assert_int_eq(p.saw_header, 1);
    ck_assert_int_eq(p.header_year, 2023);
    ck_assert_str_eq(p.header_text, "2023");
    xaf_info_free(&info);
    diag_free(&d);
}
END_TEST

/* A ledger with many bad lines lists a bounded number of messages and
 * summarises the rest, so the diag does not grow with the file. */
START_TEST(messages_capped)
{
    char path[] = "/tmp/rhv_xaf_testXXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    FILE *f = fdopen(fd, "w");
    ck_assert_ptr_nonnull(f);
    fputs("<auditfile xmlns=\"http://www.auditfiles.nl/XAF/3.2\"><header><fiscalYear>2023</fiscalYear>"
          "<startDate>2023-01-01</startDate><endDate>2023-12-31</endDate><curCode>EUR</curCode>"
          "<dateCreated>2024-01-01</dateCreated></header><company><companyName>X</companyName>"
          "<taxRegistrationCountry>NL</taxRegistrationCountry><taxRegIdent>1</taxRegIdent><transactions>"
          "<linesCount>500</linesCount><totalDebit>0</totalDebit><totalCredit>0</totalCredit>"
          "<journal><jrnID>1</jrnID><desc>d</desc><transaction><nr>1</nr><periodNumber>1</periodNumber>"
          "<trDt>2023-01-01</trDt>\n", f);
    for (int i = 0; i < 500; i++)
        fprintf(f, "<trLine><nr>%d</nr><accID>1</accID><docRef/><effDate>2023-01-01</effDate>"
                   "<amnt>%s</amnt><amntTp>D</amntTp><qntity>-1</qntity></trLine>\n", i, i % 2 ? "1.005" : "1");
    fputs("</transaction></journal></transactions></company></auditfile>\n", f);
    fclose(f);
    run r;
    read_file(path, &r);
    unlink(path);
    ck_assert_int_eq(r.rc, -1);
    ck_assert_int_eq(r.info.lines, 500);
    ck_assert_int_eq(r.s.n_trline, 250);
    ck_assert_uint_le(r.d.n, 50);
    ck_assert(has_msg(&r.d, DIAG_ERROR, 0, "230 more bad amounts not listed"));
    ck_assert(has_msg(&r.d, DIAG_WARNING, 0, "480 more negative qntity values not listed"));
    ck_assert(has_msg(&r.d, DIAG_ERROR, 3, "'1.005'"));
    run_free(&r);
}
END_TEST

static Suite *suite(bool reference)
{
    Suite *s = suite_create("xaf");
    if (reference) {
        TCase *ref = tcase_create("reference");
        tcase_add_test(ref, ref_banana);
        tcase_add_test(ref, ref_twinfield_31);
        tcase_add_test(ref, ref_official);
        tcase_add_test(ref, ref_exact);
        tcase_add_test(ref, ref_multivers_latin1);
        tcase_add_test(ref, ref_all_load);
        tcase_add_test(ref, ref_xas_is_not_xaf);
        suite_add_tcase(s, ref);
        return s;
    }
    TCase *fx = tcase_create("fixtures");
    tcase_add_test(fx, fix_mini_ok);
    tcase_add_test(fx, fix_xaf31);
    tcase_add_test(fx, fix_foreign_namespace);
    tcase_add_test(fx, fix_wrong_namespace);
    tcase_add_test(fx, fix_xaf40);
    tcase_add_test(fx, fix_bad_amount);
    tcase_add_test(fx, fix_bad_date);
    tcase_add_test(fx, fix_missing_required);
    tcase_add_test(fx, fix_empty_required);
    tcase_add_test(fx, empty_amnttp_is_an_error);
    tcase_add_test(fx, fix_malformed);
    tcase_add_test(fx, fix_missing_file);
    tcase_add_test(fx, mem_read_matches_file);
    tcase_add_test(fx, sink_stops);
    tcase_add_test(fx, header_info_before_sink);
    tcase_add_test(fx, messages_capped);
    suite_add_tcase(s, fx);
    return s;
}

/* `unit_xaf` runs the fixture tests; `unit_xaf reference` the tests on the
 * real exports in RHV_SHARED/reference, and exits 77 (meson: skipped) with
 * the reason when that folder is absent (docs/testing.md). */
int main(int argc, char **argv)
{
    bool reference = argc > 1 && strcmp(argv[1], "reference") == 0;
    if (reference) {
        const char *sh = shared_root();
        char dir[4096];
        snprintf(dir, sizeof dir, "%s/reference", sh ? sh : "");
        struct stat st;
        if (!sh || !*sh || stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
            printf("SKIP: %s not found (a clone without ../shared): the reference ledgers are not read\n",
                   sh && *sh ? dir : "RHV_SHARED (../shared)");
            return 77;
        }
    }
    return check_run(suite(reference));
}
