/* dossier_test.c - the dossier reader: a valid dossier gives the expected
 * records and totals; every kind of bad input is reported with the right file
 * and line, and the read fails.
 *
 * The error cases are one small valid dossier (TEMPLATE) with one to three
 * lines replaced, written to a temporary folder. Replacing whole lines keeps
 * every other line number fixed, so each case can say exactly where its error
 * must be reported.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dossier.h"
#include "dossier_internal.h"
#include "register_decl.h"
#include "verdict.h"

static char tmpdir[256];

static const char *const TEMPLATE[] = {
    /* 1 */ "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
    /* 2 */ "<!-- rhv unit test -->",
    /* 3 */ "<dossier xmlns=\"urn:rhv:dossier:1\">",
    /* 4 */ "  <organisation naam=\"GR Test\" soort=\"gemeente\" boekjaar=\"2023\"",
    /* 5 */ "      grens_percentage=\"3.00\" grens_wijze=\"gecombineerd\" grens_basis=\"realisatie\"",
    /* 6 */ "      grens_besluit=\"2023-11-16\" rapportagegrens=\"100000.00\" normenkader_datum=\"2023-12-14\">",
    /* 7 */ "    <begrotingscategorie categorie=\"open_einde\" telt_mee=\"false\"/>",
    /* 8 */ "  </organisation>",
    /* 9 */ "  <!-- slot -->",
    /* 10 */ "  <exploitatie>",
    /* 11 */ "    <programma code=\"1\" naam=\"Werk\" lasten_primitief=\"100\" lasten_begroot=\"100\" "
             "lasten_realisatie=\"120\" baten_primitief=\"0\" baten_begroot=\"0\" baten_realisatie=\"0\"/>",
    /* 12 */ "    <programma code=\"2\" naam=\"Zorg\" lasten_primitief=\"100\" lasten_begroot=\"100\" "
             "lasten_realisatie=\"90.01\" baten_primitief=\"0\" baten_begroot=\"0\" baten_realisatie=\"0\" "
             "categorie=\"open_einde\"/>",
    /* 13 */ "    <reserve code=\"R1\" naam=\"Alg\" toevoeging_begroot=\"10\" toevoeging_realisatie=\"10.5\" "
             "onttrekking_begroot=\"0\" onttrekking_realisatie=\"0\"/>",
    /* 14 */ "  </exploitatie>",
    /* 15 */ "  <personeel>",
    /* 16 */ "    <medewerker id=\"1\" categorie=\"Wsw\" woongemeente=\"Roermond\" uren=\"36\" begin=\"2001-03-01\"/>",
    /* 17 */ "    <medewerker id=\"2\" categorie=\"PW\" woongemeente=\"Leudal\" uren=\"32.5\" begin=\"2020-01-01\" "
             "einde=\"2023-06-30\"/>",
    /* 18 */ "  </personeel>",
    /* 19 */ "  <afwijkingen>",
    /* 20 */ "    <afwijking id=\"A1\" criterium=\"voorwaardencriterium\" soort=\"fout\" bedrag=\"500\" "
             "onderwerp=\"x\" omschrijving=\"y\" status=\"open\"/>",
    /* 21 */ "  </afwijkingen>",
    /* 22 */ "  <ledger path=\"l.xaf\"/>",
    /* 23 */ "</dossier>",
};
#define NLINES ((int)(sizeof TEMPLATE / sizeof TEMPLATE[0]))

#define PROG(code, attrs)                                                                                     \
    "    <programma code=\"" code "\" naam=\"Werk\" lasten_primitief=\"100\" lasten_begroot=\"100\" "          \
    "baten_primitief=\"0\" baten_begroot=\"0\" baten_realisatie=\"0\" " attrs "/>"
#define MW(attrs) "    <medewerker categorie=\"Wsw\" woongemeente=\"Roermond\" uren=\"36\" " attrs "/>"

typedef struct {
    int line;
    const char *text;
} repl;

typedef struct {
    const char *name;
    repl r[5];
    int line;         /* where the error must be reported */
    const char *msg;  /* and a part of its message */
    int line2;        /* optional second error that must also be reported */
    const char *msg2;
} bad_case;

static const bad_case CASES[] = {
    {"malformed: mismatched end tag", {{14, "  </exploitatie2>"}}, 14, "malformed XML", 0, NULL},
    {"malformed: unclosed attribute", {{16, "    <medewerker id=\"1 categorie=\"Wsw\"/>"}}, 16, "malformed XML", 0, NULL},
    {"undeclared entity", {{20, "    <afwijking id=\"&geheim;\"/>"}}, 20, "malformed XML", 0, NULL},
    {"wrong namespace", {{3, "<dossier xmlns=\"urn:rhv:dossier:2\">"}}, 3, "urn:rhv:dossier:2", 0, NULL},
    {"missing namespace", {{3, "<dossier>"}}, 3, "no namespace", 0, NULL},
    {"child in another namespace",
     {{9, "  <x:exploitatie xmlns:x=\"urn:elders\"/>"}}, 9, "namespace \"urn:elders\"", 0, NULL},
    {"root not dossier", {{3, "<auditfile xmlns=\"urn:rhv:dossier:1\">"}, {23, "</auditfile>"}}, 3, "root element", 0, NULL},
    {"DOCTYPE with internal entity", {{2, "<!DOCTYPE dossier [<!ENTITY x \"boom\">]>"}}, 2, "DTD", 0, NULL},
    {"DOCTYPE with external entity", {{2, "<!DOCTYPE dossier SYSTEM \"file:///etc/passwd\">"}}, 2, "DTD", 0, NULL},
    {"missing organisation", {{4, ""}, {5, ""}, {6, ""}, {7, ""}, {8, ""}}, 3, "has no <organisation>", 0, NULL},
    {"misspelt organisation", {{4, "  <organisatie naam=\"GR Test\" soort=\"gemeente\" boekjaar=\"2023\""}, {8, "  </organisatie>"}},
     4, "unknown element <organisatie>", 3, "has no <organisation>"},
    {"organisation twice",
     {{9, "  <organisation naam=\"B\" soort=\"gemeente\" boekjaar=\"2023\"/>"}}, 9, "second <organisation>", 0, NULL},
    {"organisation not first",
     {{2, "<dossier xmlns=\"urn:rhv:dossier:1\"><cijfers/>"}, {3, "<!-- was dossier -->"}}, 4,
     "must be the first element", 0, NULL},
    {"unknown element at top", {{9, "  <bijlage/>"}}, 9, "unknown element <bijlage>", 0, NULL},
    {"unknown element in section", {{11, "    <programa code=\"1\"/>"}}, 11, "unknown element <programa>", 0, NULL},
    {"record in the wrong section", {{11, MW("id=\"9\" begin=\"2001-01-01\"")}}, 11, "belongs inside <personeel>", 0,
     NULL},
    {"child inside a record", {{7, "    <begrotingscategorie categorie=\"open_einde\" telt_mee=\"true\"><programma/></begrotingscategorie>"}},
     7, "may not contain elements", 0, NULL},
    {"section twice", {{9, "  <personeel/>"}}, 15, "appears twice", 0, NULL},
    {"unknown attribute", {{11, PROG("1", "lasten_realisatie=\"1\" kleur=\"rood\"")}}, 11, "no attribute kleur", 0, NULL},
    {"missing required attribute", {{11, PROG("1", "")}}, 11, "lacks required attribute lasten_realisatie", 0, NULL},
    {"amount with comma", {{11, PROG("1", "lasten_realisatie=\"12,50\"")}}, 11, "lasten_realisatie=\"12,50\"", 0, NULL},
    {"amount with thousands dot", {{11, PROG("1", "lasten_realisatie=\"1.234\"")}}, 11, "lasten_realisatie=\"1.234\"", 0,
     NULL},
    {"amount not a number", {{11, PROG("1", "lasten_realisatie=\"abc\"")}}, 11, "lasten_realisatie=\"abc\"", 0, NULL},
    {"amount overflow", {{11, PROG("1", "lasten_realisatie=\"92233720368547758.08\"")}}, 11, "number too large", 0, NULL},
    {"amount empty", {{11, PROG("1", "lasten_realisatie=\"\"")}}, 11, "no digits", 0, NULL},
    {"negative afwijking bedrag",
     {{20, "    <afwijking id=\"A1\" criterium=\"voorwaardencriterium\" soort=\"fout\" bedrag=\"-5\" "
           "onderwerp=\"x\" omschrijving=\"y\" status=\"open\"/>"}}, 20, "must not be negative", 0, NULL},
    {"scaled negative", {{16, "    <medewerker id=\"1\" categorie=\"Wsw\" woongemeente=\"R\" uren=\"-1\" begin=\"2001-03-01\"/>"}},
     16, "uren=\"-1\" must not be negative", 0, NULL},
    {"scaled too many decimals", {{16, "    <medewerker id=\"1\" categorie=\"Wsw\" woongemeente=\"R\" uren=\"36.125\" begin=\"2001-03-01\"/>"}},
     16, "at most 2 decimals", 0, NULL},
    {"scaled with a comma", {{16, "    <medewerker id=\"1\" categorie=\"Wsw\" woongemeente=\"R\" uren=\"32,5\" begin=\"2001-03-01\"/>"}},
     16, "uren=\"32,5\" has a comma", 0, NULL},
    {"percentage above 100", {{5, "      grens_percentage=\"300\" grens_wijze=\"gecombineerd\" grens_basis=\"realisatie\""}},
     5, "above 100", 0, NULL},
    {"date 30 February", {{16, MW("id=\"1\" begin=\"2023-02-30\"")}}, 16, "begin=\"2023-02-30\" is not a calendar date", 0,
     NULL},
    {"date 29 February outside a leap year", {{16, MW("id=\"1\" begin=\"2023-02-29\"")}}, 16, "not a calendar date", 0,
     NULL},
    {"date 29 February 1900", {{16, MW("id=\"1\" begin=\"1900-02-29\"")}}, 16, "not a calendar date", 0, NULL},
    {"date in Dutch form", {{16, MW("id=\"1\" begin=\"01-03-2001\"")}}, 16, "YYYY-MM-DD", 0, NULL},
    {"date with time", {{16, MW("id=\"1\" begin=\"2001-03-01T00:00:00\"")}}, 16, "YYYY-MM-DD", 0, NULL},
    {"date month 13", {{16, MW("id=\"1\" begin=\"2001-13-01\"")}}, 16, "not a calendar date", 0, NULL},
    {"bad date on a continuation line",
     {{6, "      grens_besluit=\"2023-11-31\" rapportagegrens=\"100000.00\" normenkader_datum=\"2023-12-14\">"}}, 6,
     "grens_besluit", 0, NULL},
    {"bad enum medewerker", {{16, "    <medewerker id=\"1\" categorie=\"WSW\" woongemeente=\"R\" uren=\"36\" begin=\"2001-03-01\"/>"}},
     16, "categorie=\"WSW\" is not one of: Wsw, PW, Beschut, Regulier", 0, NULL},
    {"bad enum organisation soort", {{4, "  <organisation naam=\"GR Test\" soort=\"stad\" boekjaar=\"2023\""}}, 4,
     "soort=\"stad\"", 0, NULL},
    {"bad enum afwijking status",
     {{20, "    <afwijking id=\"A1\" criterium=\"voorwaardencriterium\" soort=\"fout\" bedrag=\"500\" "
           "onderwerp=\"x\" omschrijving=\"y\" status=\"dicht\"/>"}}, 20, "status=\"dicht\"", 0, NULL},
    {"bad bool", {{7, "    <begrotingscategorie categorie=\"open_einde\" telt_mee=\"ja\"/>"}}, 7, "true or false", 0, NULL},
    {"bad int", {{4, "  <organisation naam=\"GR Test\" soort=\"gemeente\" boekjaar=\"2023a\""}}, 4, "boekjaar", 0, NULL},
    {"int overflow", {{4, "  <organisation naam=\"GR Test\" soort=\"gemeente\" boekjaar=\"99999999999999999999\""}}, 4,
     "too large", 0, NULL},
    {"gescheiden without its grenzen",
     {{5, "      grens_percentage=\"3.00\" grens_wijze=\"gescheiden\" grens_fouten_percentage=\"1\" grens_basis=\"realisatie\""}},
     4, "needs attribute grens_onzekerheden_percentage", 0, NULL},
    {"duplicate medewerker id", {{17, MW("id=\"1\" begin=\"2001-03-01\"")}}, 17, "id=\"1\" occurs twice (first at line 16)",
     0, NULL},
    {"duplicate programma code", {{12, PROG("1", "lasten_realisatie=\"1\"")}}, 12, "code=\"1\" occurs twice", 0, NULL},
    {"duplicate begrotingscategorie",
     {{8, "    <begrotingscategorie categorie=\"open_einde\" telt_mee=\"true\"/></organisation>"}}, 8, "occurs twice",
     0, NULL},
    {"einde before begin", {{17, MW("id=\"2\" begin=\"2020-01-01\" einde=\"2019-12-31\"")}}, 17,
     "einde 2019-12-31 is before begin 2020-01-01", 0, NULL},
    {"undeclared categorie", {{12, PROG("2", "lasten_realisatie=\"1\" categorie=\"onbekend\"")}}, 12,
     "categorie=\"onbekend\" is not declared", 0, NULL},
    {"missing ledger file", {{22, "  <ledger path=\"grootboek-weg.xaf\"/>"}}, 22, "grootboek-weg.xaf", 0, NULL},
    {"ledger without path", {{22, "  <ledger/>"}}, 22, "lacks required attribute path", 0, NULL},
    {"ledger twice", {{9, "  <ledger path=\"l.xaf\"/>"}}, 22, "already named at line 9", 0, NULL},
    {"ledger extract not a boolean", {{22, "  <ledger path=\"l.xaf\" extract=\"ja\"/>"}}, 22, "true or false", 0, NULL},
    {"text inside a record",
     {{20, "    <afwijking id=\"A1\" criterium=\"voorwaardencriterium\" soort=\"fout\" bedrag=\"500\" "
           "onderwerp=\"x\" omschrijving=\"y\" status=\"open\">tekst</afwijking>"}}, 20, "contains text \"tekst\"", 0, NULL},
    {"empty required string", {{11, "    <programma code=\"\" naam=\"Werk\" lasten_primitief=\"100\" lasten_begroot=\"100\" "
                                   "lasten_realisatie=\"1\" baten_primitief=\"0\" baten_begroot=\"0\" baten_realisatie=\"0\"/>"}},
     11, "attribute code is empty", 0, NULL},
    {"two errors, both reported", {{11, PROG("1", "lasten_realisatie=\"12,50\"")}, {16, MW("id=\"1\" begin=\"2023-02-30\"")}},
     11, "12,50", 16, "2023-02-30"},
};
#define NCASES ((int)(sizeof CASES / sizeof CASES[0]))

/* ---- helpers ------------------------------------------------------------------ */

typedef struct {
    int n;
    int stop_after;                 /* 0: never stop */
    char types[64][24];
    long lines[64];
    int64_t ints[64];               /* first money/int field, for spot checks */
    verdict_basis basis;            /* the verdict's sums over the records handed on */
} collected;

static int collect(void *ud, const rhv_record *r)
{
    collected *c = ud;
    ck_assert_int_eq(verdict_basis_add(&c->basis, r, NULL), 0);
    if (c->n < 64) {
        snprintf(c->types[c->n], sizeof c->types[0], "%s", r->type->name);
        c->lines[c->n] = r->line;
    }
    c->n++;
    return c->stop_after && c->n >= c->stop_after;
}

static void write_dossier(const char *path, const bad_case *bc)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    for (int i = 1; i <= NLINES; i++) {
        const char *text = TEMPLATE[i - 1];
        for (int k = 0; bc && k < 5; k++)
            if (bc->r[k].line == i)
                text = bc->r[k].text;
        fprintf(f, "%s\n", text);
    }
    fclose(f);
}

static int has_error(const rhv_diag *d, const char *file, long line, const char *needle)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->msgs[i].level == DIAG_ERROR && strcmp(d->msgs[i].file, file) == 0 && d->msgs[i].line == line &&
            strstr(d->msgs[i].message, needle))
            return 1;
    return 0;
}

static void dump(const rhv_diag *d)
{
    for (size_t i = 0; i < d->n; i++)
        fprintf(stderr, "    %s:%ld: %s\n", d->msgs[i].file, d->msgs[i].line, d->msgs[i].message);
}

static const rhv_value *fv(const rhv_record *r, const char *name)
{
    int i = record_field_index(r->type, name);
    ck_assert_int_ge(i, 0);
    return &r->v[i];
}

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

/* ---- the template and its broken variants ------------------------------------------ */

static void make_tmpdir(void)
{
    snprintf(tmpdir, sizeof tmpdir, "%s/rhv-dossier-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    char p[512];
    snprintf(p, sizeof p, "%s/l.xaf", tmpdir);
    FILE *f = fopen(p, "w");
    ck_assert_ptr_nonnull(f);
    fputs("<auditfile/>\n", f);
    fclose(f);
}

static void remove_tmpdir(void)
{
    char p[512];
    snprintf(p, sizeof p, "%s/l.xaf", tmpdir);
    unlink(p);
    snprintf(p, sizeof p, "%s/d.xml", tmpdir);
    unlink(p);
    rmdir(tmpdir);
}

START_TEST(template_is_valid)
{
    make_tmpdir();
    char path[512];
    snprintf(path, sizeof path, "%s/d.xml", tmpdir);
    write_dossier(path, NULL);
    rhv_diag d;
    diag_init(&d, NULL);
    rhv_dossier ds;
    collected c;
    memset(&c, 0, sizeof c);
    int rc = dossier_read(path, &ds, collect, &c, &d);
    if (rc != 0)
        dump(&d);
    ck_assert_int_eq(rc, 0);
    ck_assert_int_eq(c.n, 9); /* the <ledger> is a record too */
    ck_assert_str_eq(c.types[0], "organisation");
    ck_assert_int_eq(c.lines[0], 4);
    ck_assert_int_eq(c.basis.lasten_realisatie, 12000 + 9001);
    ck_assert_int_eq(c.basis.toevoegingen_realisatie, 1050);
    dossier_free(&ds);

    /* A sink that says stop ends the read at once, and the read is not complete. */
    memset(&c, 0, sizeof c);
    c.stop_after = 3;
    ck_assert_int_eq(dossier_read(path, &ds, collect, &c, &d), -1);
    ck_assert_int_eq(c.n, 3);
    dossier_free(&ds);
    diag_free(&d);
    remove_tmpdir();
}
END_TEST

START_TEST(bad_input)
{
    const bad_case *bc = &CASES[_i];
    make_tmpdir();
    char path[512];
    snprintf(path, sizeof path, "%s/d.xml", tmpdir);
    write_dossier(path, bc);
    rhv_diag d;
    diag_init(&d, NULL);
    rhv_dossier ds;
    collected c;
    memset(&c, 0, sizeof c);
    int rc = dossier_read(path, &ds, collect, &c, &d);
    int ok = rc == -1 && has_error(&d, path, bc->line, bc->msg) &&
             (!bc->msg2 || has_error(&d, path, bc->line2, bc->msg2));
    if (getenv("RHV_TEST_VERBOSE")) {
        fprintf(stderr, "case '%s':\n", bc->name);
        dump(&d);
    }
    if (!ok) {
        fprintf(stderr, "case '%s': rc=%d, want error at line %d containing '%s'; got:\n", bc->name, rc, bc->line,
                bc->msg);
        dump(&d);
    }
    ck_assert_msg(ok, "case '%s'", bc->name);
    /* Nothing reaches a sink before the organisation record. */
    if (c.n > 0)
        ck_assert_str_eq(c.types[0], "organisation");
    dossier_free(&ds);
    diag_free(&d);
    remove_tmpdir();
}
END_TEST

START_TEST(missing_file)
{
    rhv_diag d;
    diag_init(&d, NULL);
    rhv_dossier ds;
    ck_assert_int_eq(dossier_read("/nonexistent/rhv/d.xml", &ds, NULL, NULL, &d), -1);
    ck_assert_int_eq((int)d.errors, 1);
    ck_assert(diag_contains(&d, "/nonexistent/rhv/d.xml"));
    dossier_free(&ds);
    diag_free(&d);
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
START_TEST(error_cap)
{
    make_tmpdir();
    char path[512];
    snprintf(path, sizeof path, "%s/d.xml", tmpdir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    for (int i = 1; i <= 15; i++)
        fprintf(f, "%s\n", TEMPLATE[i - 1]);
    for (int i = 0; i < 500; i++)
        fprintf(f, "    <medewerker id=\"x%d\" categorie=\"?\" woongemeente=\"R\" uren=\"1\" begin=\"2001-03-01\"/>\n", i);
    fputs("  </personeel>\n</dossier>\n", f);
    fclose(f);
    rhv_diag d;
    diag_init(&d, NULL);
    rhv_dossier ds;
    ck_assert_int_eq(dossier_read(path, &ds, NULL, NULL, &d), -1);
    ck_assert_uint_le(d.errors, 201);
    ck_assert_uint_ge(d.errors, 200);
    ck_assert(diag_contains(&d, "too many errors"));
    ck_assert(has_error(&d, path, 16, "categorie=\"?\""));
    dossier_free(&ds);
    diag_free(&d);
    remove_tmpdir();
}
END_TEST

/* ---- the parts behind dossier_read (dossier_internal.h) ------------------- */

/* Keys are exact and kept per kind; growing the table keeps each key's first line. */
START_TEST(keys_exact_per_kind)
{
    ds_keyset k;
    memset(&k, 0, sizeof k);
    char key[32];
    for (int i = 0; i < 5000; i++) {
        int n = snprintf(key, sizeof key, "k%d", i);
        ck_assert_int_eq(ds_keys_check(&k, 'p', key, (size_t)n, 10 + i, 1), 0);
    }
    for (int i = 0; i < 5000; i++) {
        int n = snprintf(key, sizeof key, "k%d", i);
        ck_assert_int_eq(ds_keys_check(&k, 'p', key, (size_t)n, 99999, 1), 10 + i);
        ck_assert_int_eq(ds_keys_check(&k, 'r', key, (size_t)n, 0, 0), 0);
    }
    ck_assert_int_eq(ds_keys_check(&k, 'r', "k1", 2, 0, 0), 0); /* a lookup without insert adds nothing */
    ck_assert_int_eq(ds_keys_check(&k, 'p', "k", 1, 0, 0), 0);   /* a prefix is another key */
    /* An earlier entry is reported with a line > 0 even when it was kept without one. */
    ck_assert_int_eq(ds_keys_check(&k, 'L', "x", 1, 0, 1), 0);
    ck_assert_int_eq(ds_keys_check(&k, 'L', "x", 1, 5, 1), 1);
    ck_assert_uint_eq(k.used, 5001);
    ds_keys_free(&k);
}
END_TEST

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

/* The scanner gives the '<' line and each attribute's line through comments,
 * CDATA, namespace declarations and prefixes; the first disagreement with
 * libxml2 switches it off for good. */
START_TEST(lines_follow_and_give_up)
{
    make_tmpdir();
    char path[512];
    snprintf(path, sizeof path, "%s/d.xml", tmpdir);
    write_file(path, "<?xml version=\"1.0\"?>\n"
                     "<!-- <fake attr=\"1\"> -->\n"
                     "<dossier xmlns=\"urn:rhv:dossier:1\"\n"
                     "         xmlns:x=\"urn:x\">\n"
                     "  <a\n"
                     "     one=\"1\"\n"
                     "     two='2>'\n"
                     "  /><![CDATA[ <c d=\"e\"> ]]>\n"
                     "  <x:b x:y=\"3\" z=\"4\"></x:b>\n"
                     "</dossier>\n");
    ds_lines ts;
    long line;
    const long *al;
    ds_lines_open(&ts, path);
    ds_lines_follow(&ts, "dossier", 0, 4, &line, &al);
    ck_assert_int_eq(line, 3);
    ck_assert_ptr_nonnull(al);
    ds_lines_follow(&ts, "a", 2, 8, &line, &al);
    ck_assert_int_eq(line, 5);
    ck_assert_ptr_nonnull(al);
    ck_assert_int_eq(al[0], 6);
    ck_assert_int_eq(al[1], 7);
    ds_lines_follow(&ts, "b", 2, 9, &line, &al);
    ck_assert_int_eq(line, 9);
    ck_assert_ptr_nonnull(al);
    ck_assert_int_eq(al[1], 9);
    ds_lines_close(&ts);

    ds_lines_open(&ts, path);
    ds_lines_follow(&ts, "dossier", 0, 3, &line, &al); /* libxml2 says another '>' line */
    ck_assert_int_eq(line, 3);
    ck_assert_ptr_null(al);
    ds_lines_follow(&ts, "a", 2, 8, &line, &al); /* off: libxml2's line from now on */
    ck_assert_int_eq(line, 8);
    ck_assert_ptr_null(al);
    ds_lines_close(&ts);

    ds_lines_open(&ts, "/nonexistent/rhv/d.xml");
    ds_lines_follow(&ts, "dossier", 0, 7, &line, &al);
    ck_assert_int_eq(line, 7);
    ck_assert_ptr_null(al);
    ds_lines_close(&ts);
    remove_tmpdir();
}
END_TEST

/* A quoted value is cut at DS_SHOW_MAX bytes, never inside a UTF-8 character. */
START_TEST(show_len_cuts_on_character)
{
    char s[128] = "a";
    for (int i = 0; i < 40; i++)
        strcat(s, "\xc3\xa9");
    ck_assert_int_eq(ds_show_len(s, strlen(s)), DS_SHOW_MAX - 1);
    ck_assert_int_eq(ds_show_len(s + 1, strlen(s + 1)), DS_SHOW_MAX);
    ck_assert_int_eq(ds_show_len(s, 7), 7);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("dossier");
    TCase *tc = tcase_create("dossier");
    tcase_add_test(tc, valid_fixture);
    tcase_add_test(tc, mini_fixtures_are_valid);
    tcase_add_test(tc, broken_fixtures_fail);
    tcase_add_test(tc, mem_read_matches_file);
    tcase_add_test(tc, template_is_valid);
    tcase_add_loop_test(tc, bad_input, 0, NCASES);
    tcase_add_test(tc, missing_file);
    tcase_add_test(tc, error_cap);
    tcase_add_test(tc, records_doc_matches_schema);
    tcase_add_test(tc, dossier_doc_matches_reader);
    tcase_add_test(tc, keys_exact_per_kind);
    tcase_add_test(tc, lines_follow_and_give_up);
    tcase_add_test(tc, show_len_cuts_on_character);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
