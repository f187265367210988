/* dossier_template_test.c - every kind of bad input to the dossier reader is
 * reported with the right file and line, and the read fails.
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

#include "dossier_test_util.h"

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

int main(void)
{
    TCase *tc = tcase_create("dossier");
    tcase_add_test(tc, template_is_valid);
    tcase_add_loop_test(tc, bad_input, 0, NCASES);
    tcase_add_test(tc, missing_file);
    tcase_add_test(tc, error_cap);
    return dossier_test_run(tc);
}
