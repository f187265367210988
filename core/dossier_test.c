/* dossier_test.c - the dossier reader on the fixtures: a valid dossier gives
 * the expected records and totals, every broken fixture fails, a read from
 * memory matches the file; docs/records.md and docs/dossier.md describe what
 * the reader does. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dossier_test_util.h"

/* ---- the valid fixture ------------------------------------------------------------ */

static char fixture_path[4096];

static void set_fixture(const char *name)
{
    const char *home = getenv("RHV_HOME");
    ck_assert_msg(home != NULL, "RHV_HOME not set (tests/meson.build sets it)");
    snprintf(fixture_path, sizeof fixture_path, "%s/tests/fixtures/dossiers/%s", home, name);
}

/* Spot checks of values in the one record each type gives first. */
typedef struct {
    int seen_programma1, seen_medewerker2, seen_topf, seen_cijfer, seen_contract;
    int order_ok;
    int n;
} spot;

static int spot_sink(void *ud, const rhv_record *r)
{
    spot *s = ud;
    if (s->n++ == 0)
        s->order_ok = strcmp(r->type->name, "organisation") == 0 && r->line == 5;
    const char *t = r->type->name;
    if (strcmp(t, "programma") == 0 && fv(r, "code")->len == 1 && fv(r, "code")->s[0] == '1') {
        ck_assert_int_eq(r->line, 13);
        ck_assert_int_eq(fv(r, "lasten_primitief")->kind, VAL_MONEY);
        ck_assert_int_eq(fv(r, "lasten_primitief")->i, 100000000);
        ck_assert_int_eq(fv(r, "lasten_begroot")->i, 110000050);
        ck_assert_int_eq(fv(r, "lasten_realisatie")->i, 115000025);
        ck_assert_int_eq(fv(r, "baten_realisatie")->i, 96000010);
        ck_assert_int_eq(fv(r, "categorie")->kind, VAL_STR);
        ck_assert_int_eq((int)fv(r, "categorie")->len, 10);
        ck_assert(memcmp(fv(r, "categorie")->s, "open_einde", 10) == 0);
        s->seen_programma1 = 1;
    }
    if (strcmp(t, "medewerker") == 0 && fv(r, "id")->len == 6 && memcmp(fv(r, "id")->s, "000124", 6) == 0) {
        ck_assert_int_eq(r->line, 26);
        ck_assert_int_eq(fv(r, "uren")->kind, VAL_SCALED);
        ck_assert_int_eq(fv(r, "uren")->i, 3600);
        ck_assert_int_eq(fv(r, "loonwaarde")->i, 6250);
        ck_assert_int_eq(fv(r, "einde")->kind, VAL_DATE);
        ck_assert(memcmp(fv(r, "einde")->s, "2023-06-30", 10) == 0 && fv(r, "einde")->len == 10);
        ck_assert(memcmp(fv(r, "begin")->s, "2020-02-29", 10) == 0);
        s->seen_medewerker2 = 1;
    }
    if (strcmp(t, "medewerker") == 0 && fv(r, "id")->len == 6 && memcmp(fv(r, "id")->s, "000123", 6) == 0) {
        ck_assert_int_eq(fv(r, "uren")->i, 3250);
        ck_assert_int_eq(fv(r, "einde")->kind, VAL_NONE);     /* absent optional: nil */
        ck_assert_int_eq(fv(r, "loonwaarde")->kind, VAL_NONE);
    }
    if (strcmp(t, "topfunctionaris") == 0) {
        ck_assert_int_eq(fv(r, "fte")->i, 10000);
        ck_assert_int_eq(fv(r, "dienstbetrekking")->kind, VAL_BOOL);
        ck_assert_int_eq(fv(r, "dienstbetrekking")->i, 1);
        ck_assert_int_eq(fv(r, "beloning")->i, 15000000);
        s->seen_topf = 1;
    }
    if (strcmp(t, "cijfer") == 0) {
        ck_assert_int_eq(fv(r, "waarde")->i, 27935);
        ck_assert_int_eq(fv(r, "decimalen")->kind, VAL_INT);
        ck_assert_int_eq(fv(r, "decimalen")->i, 2);
        s->seen_cijfer = 1;
    }
    if (strcmp(t, "begrotingscategorie") == 0 && fv(r, "telt_mee")->i == 0)
        ck_assert(memcmp(fv(r, "categorie")->s, "open_einde", 10) == 0);
    if (strcmp(t, "contract") == 0) {
        ck_assert_int_eq(fv(r, "waarde")->i, 4000000);
        ck_assert_int_eq(fv(r, "einde")->kind, VAL_NONE);
        s->seen_contract = 1;
    }
    return 0;
}

START_TEST(valid_fixture)
{
    set_fixture("valid.xml");
    rhv_diag d;
    diag_init(&d, NULL);
    rhv_dossier ds;
    collected c;
    memset(&c, 0, sizeof c);
    int rc = dossier_read(fixture_path, &ds, collect, &c, &d);
    if (rc != 0)
        dump(&d);
    ck_assert_int_eq(rc, 0);
    ck_assert_int_eq((int)d.errors, 0);
    ck_assert_int_eq((int)d.warnings, 0);

    static const char *const want[] = {
        "organisation", "begrotingscategorie", "begrotingscategorie", "programma", "programma", "reserve",
        "reserve", "krediet", "medewerker", "medewerker", "topfunctionaris", "cijfer", "afwijking",
        "contractregister", "contract", "ledger",
    };
    static const long want_line[] = {5, 9, 10, 13, 16, 18, 20, 22, 25, 26, 28, 33, 37, 40, 41, 44};
    ck_assert_int_eq(c.n, (int)(sizeof want / sizeof want[0]));
    for (int i = 0; i < c.n; i++) {
        ck_assert_str_eq(c.types[i], want[i]);
        ck_assert_int_eq(c.lines[i], want_line[i]);
    }

    ck_assert_str_eq(ds.path, fixture_path);
    ck_assert_str_eq(ds.naam, "GR Proef");
    ck_assert_str_eq(ds.soort, "gemeenschappelijke regeling");
    ck_assert_int_eq(ds.fiscal_year, 2023);
    ck_assert_int_eq(ds.grens_bp, 300);
    ck_assert(!ds.gescheiden);
    ck_assert(!ds.basis_begroting);
    ck_assert_str_eq(ds.grens_besluit, "2023-11-16");
    ck_assert_str_eq(ds.grens_bron, "Besluit algemeen bestuur 16 november 2023");
    ck_assert_str_eq(ds.normenkader_datum, "2023-12-14");
    ck_assert_int_eq(ds.rapportagegrens, 10000000);
    /* 1150000.25 + -0.05; 1100000.50 + 500000.00; 25000.50 + 0; 20000.00 + 1.01 */
    ck_assert_int_eq(c.basis.lasten_realisatie, 115000020);
    ck_assert_int_eq(c.basis.lasten_begroot, 160000050);
    ck_assert_int_eq(c.basis.toevoegingen_realisatie, 2500050);
    ck_assert_int_eq(c.basis.toevoegingen_begroot, 2000101);
    ck_assert_int_eq((int)ds.nledgers, 1);
    char want_ledger[4200];
    snprintf(want_ledger, sizeof want_ledger, "%s/tests/fixtures/dossiers/valid-ledger.xaf", getenv("RHV_HOME"));
    ck_assert_str_eq(ds.ledgers[0], want_ledger);
    ck_assert(!ds.ledger_extract[0]);
    ck_assert_int_eq(ds.ledger_line[0], 44);
    dossier_free(&ds);
    ck_assert_ptr_null(ds.naam);

    spot s;
    memset(&s, 0, sizeof s);
    ck_assert_int_eq(dossier_read(fixture_path, &ds, spot_sink, &s, &d), 0);
    ck_assert(s.order_ok && s.seen_programma1 && s.seen_medewerker2 && s.seen_topf && s.seen_cijfer &&
              s.seen_contract);
    dossier_free(&ds);
    diag_free(&d);
}
END_TEST

START_TEST(mini_fixtures_are_valid)
{
    static const char *const names[] = {"mini-boven.xml", "mini-binnen.xml"};
    for (int i = 0; i < 2; i++) {
        set_fixture(names[i]);
        rhv_diag d;
        diag_init(&d, NULL);
        rhv_dossier ds;
        collected c;
        memset(&c, 0, sizeof c);
        int rc = dossier_read(fixture_path, &ds, collect, &c, &d);
        if (rc != 0)
            dump(&d);
        ck_assert_int_eq(rc, 0);
        ck_assert_int_eq(ds.fiscal_year, 2023);
        ck_assert_int_gt(c.basis.lasten_realisatie, 0);
        dossier_free(&ds);
        diag_free(&d);
    }
}
END_TEST

/* Every file in broken/ must fail with at least one error naming that file and a line. */
START_TEST(broken_fixtures_fail)
{
    static const char *const names[] = {"broken/bad-amount.xml", "broken/wrong-namespace.xml", "broken/malformed.xml",
                                        "broken/missing-field.xml", "broken/missing-ledger.xml"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        set_fixture(names[i]);
        rhv_diag d;
        diag_init(&d, NULL);
        rhv_dossier ds;
        ck_assert_int_eq(dossier_read(fixture_path, &ds, NULL, NULL, &d), -1);
        ck_assert_int_gt((int)d.errors, 0);
        ck_assert_str_eq(d.msgs[0].file, fixture_path);
        ck_assert_int_gt(d.msgs[0].line, 0);
        dossier_free(&ds);
        diag_free(&d);
    }
}
END_TEST

/* dossier_read_mem is the same read as dossier_read: same records at the
 * same lines (the line scanner runs over the buffer too), same messages. */
START_TEST(mem_read_matches_file)
{
    static const char *const names[] = {"valid.xml", "mini-binnen.xml", "broken/bad-amount.xml",
                                        "broken/malformed.xml", "broken/missing-field.xml"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        set_fixture(names[i]);
        FILE *f = fopen(fixture_path, "rb");
        ck_assert_ptr_nonnull(f);
        static char buf[1 << 20];
        size_t len = fread(buf, 1, sizeof buf, f);
        ck_assert(feof(f));
        fclose(f);
        rhv_diag d1, d2;
        diag_init(&d1, NULL);
        diag_init(&d2, NULL);
        rhv_dossier ds1, ds2;
        collected c1, c2;
        memset(&c1, 0, sizeof c1);
        memset(&c2, 0, sizeof c2);
        int rc1 = dossier_read(fixture_path, &ds1, collect, &c1, &d1);
        int rc2 = dossier_read_mem(buf, len, fixture_path, &ds2, collect, &c2, &d2);
        ck_assert_int_eq(rc1, rc2);
        ck_assert_int_eq(c1.n, c2.n);
        ck_assert_int_gt(c1.n + (int)d1.n, 0);
        for (int k = 0; k < c1.n && k < 64; k++) {
            ck_assert_str_eq(c1.types[k], c2.types[k]);
            ck_assert_int_eq(c1.lines[k], c2.lines[k]);
        }
        ck_assert_uint_eq(d1.n, d2.n);
        for (size_t k = 0; k < d1.n; k++) {
            ck_assert_str_eq(d1.msgs[k].file, d2.msgs[k].file);
            ck_assert_int_eq(d1.msgs[k].line, d2.msgs[k].line);
            ck_assert_str_eq(d1.msgs[k].message, d2.msgs[k].message);
        }
        dossier_free(&ds1);
        dossier_free(&ds2);
        diag_free(&d1);
        diag_free(&d2);
    }
}
END_TEST

/* ---- docs/records.md must describe record_types.c exactly ------------------------- */

static const char *lua_type(const rhv_field_def *f, char *buf, size_t n)
{
    switch (f->kind) {
    case VAL_STR: return "string";
    case VAL_INT: return "integer";
    case VAL_MONEY: return "integer (cents)";
    case VAL_BOOL: return "boolean";
    case VAL_DATE: return "string (YYYY-MM-DD)";
    case VAL_SCALED: {
        long long m = 1;
        for (int i = 0; i < f->scale; i++)
            m *= 10;
        snprintf(buf, n, "integer (x%lld)", m);
        return buf;
    }
    case VAL_NONE: break;
    }
    return "?";
}

START_TEST(records_doc_matches_schema)
{
    const char *home = getenv("RHV_HOME");
    ck_assert_ptr_nonnull(home);
    char path[4096];
    snprintf(path, sizeof path, "%s/docs/records.md", home);
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    static char doc[1 << 17];
    size_t n = fread(doc, 1, sizeof doc - 1, f);
    fclose(f);
    doc[n] = '\0';
    ck_assert_uint_lt(n, sizeof doc - 1);
    /* The declared registers are in it too, as rhv loads them. */
    rhv_diag rd;
    diag_init(&rd, stderr);
    snprintf(path, sizeof path, "%s/registers", home);
    ck_assert_int_eq(registers_load_dir(path, &rd), 0);
    diag_free(&rd);
    ck_assert_int_gt(rhv_record_type_count, rhv_record_type_builtin_count);
    int headings = 0;
    for (const char *p = doc; (p = strstr(p, "\n## `")) != NULL; p++)
        headings++;
    ck_assert_int_eq(headings, rhv_record_type_count);
    for (int t = 0; t < rhv_record_type_count; t++) {
        const rhv_record_type *rt = rhv_record_types[t];
        char want[512], tb[32];
        snprintf(want, sizeof want, "\n## `%s`\n", rt->name);
        const char *p = strstr(doc, want);
        ck_assert_msg(p != NULL, "docs/records.md has no section for %s", rt->name);
        p = strstr(p, "|---|---|---|---|\n");
        ck_assert_ptr_nonnull(p);
        p += strlen("|---|---|---|---|\n");
        for (int i = 0; i < rt->nfields; i++) {
            const rhv_field_def *fd = &rt->fields[i];
            snprintf(want, sizeof want, "| `%s` | %s | %s | ", fd->name, lua_type(fd, tb, sizeof tb),
                     fd->required ? "yes" : "optional");
            ck_assert_msg(strncmp(p, want, strlen(want)) == 0, "docs/records.md, %s field %d: want '%s'", rt->name,
                          i + 1, want);
            p = strchr(p, '\n');
            ck_assert_ptr_nonnull(p);
            p++;
        }
        ck_assert_msg(*p == '\n' || *p == '\0', "docs/records.md, %s: more rows than fields", rt->name);
    }
    registers_unload();
}
END_TEST

/* docs/dossier.md: a row for every attribute of every dossier record, and its
 * complete example reads without errors. */
START_TEST(dossier_doc_matches_reader)
{
    const char *home = getenv("RHV_HOME");
    ck_assert_ptr_nonnull(home);
    char path[4096];
    snprintf(path, sizeof path, "%s/docs/dossier.md", home);
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    static char doc[1 << 17];
    size_t n = fread(doc, 1, sizeof doc - 1, f);
    fclose(f);
    doc[n] = '\0';
    ck_assert_uint_lt(n, sizeof doc - 1);
    for (int t = 0; t < rhv_record_type_count; t++) {
        const rhv_record_type *rt = rhv_record_types[t];
        if (rt->source != SRC_DOSSIER)
            continue;
        char want[256];
        snprintf(want, sizeof want, "`%s`\n", rt->name);
        const char *sec = strstr(doc, want);
        ck_assert_msg(sec != NULL, "docs/dossier.md has no heading for %s", rt->name);
        const char *next = strstr(sec + 1, "\n### ");
        for (int i = 0; i < rt->nfields; i++) {
            snprintf(want, sizeof want, "\n| `%s` | ", rt->fields[i].name);
            const char *row = strstr(sec, want);
            ck_assert_msg(row != NULL && (!next || row < next), "docs/dossier.md, %s: no row for %s", rt->name,
                          rt->fields[i].name);
            const char *req = rt->fields[i].required ? " | yes | " : " | no | ";
            const char *eol = strchr(row + 1, '\n');
            const char *hit = strstr(row, req);
            ck_assert_msg(hit && hit < eol, "docs/dossier.md, %s.%s: required column should say%s", rt->name,
                          rt->fields[i].name, req);
        }
    }

    const char *ex = strstr(doc, "```xml\n");
    ck_assert_ptr_nonnull(ex);
    ex += strlen("```xml\n");
    const char *end = strstr(ex, "\n```");
    ck_assert_ptr_nonnull(end);
    make_tmpdir();
    char xml[512], ledger[512];
    snprintf(xml, sizeof xml, "%s/d.xml", tmpdir);
    snprintf(ledger, sizeof ledger, "%s/grootboek-2023.xaf", tmpdir);
    FILE *o = fopen(xml, "w");
    ck_assert_ptr_nonnull(o);
    fwrite(ex, 1, (size_t)(end - ex) + 1, o);
    fclose(o);
    o = fopen(ledger, "w");
    ck_assert_ptr_nonnull(o);
    fclose(o);
    rhv_diag d;
    diag_init(&d, NULL);
    rhv_dossier ds;
    collected c;
    memset(&c, 0, sizeof c);
    int rc = dossier_read(xml, &ds, collect, &c, &d);
    if (rc != 0)
        dump(&d);
    ck_assert_int_eq(rc, 0);
    ck_assert_int_eq(c.n, 15);
    /* The text under the example: basis 410 000 + 560 000 + 60 000. */
    rhv_cents basis;
    ck_assert(verdict_basis_total(&c.basis, false, &basis));
    ck_assert_int_eq(basis, 103000000);
    dossier_free(&ds);
    diag_free(&d);
    unlink(ledger);
    remove_tmpdir();
}
END_TEST

/* A file full of mistakes stops at the cap instead of flooding the report. */

int main(void)
{
    TCase *tc = tcase_create("dossier");
    tcase_add_test(tc, valid_fixture);
    tcase_add_test(tc, mini_fixtures_are_valid);
    tcase_add_test(tc, broken_fixtures_fail);
    tcase_add_test(tc, mem_read_matches_file);
    tcase_add_test(tc, records_doc_matches_schema);
    tcase_add_test(tc, dossier_doc_matches_reader);
    return dossier_test_run(tc);
}
