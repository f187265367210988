/* value_test.c - every kind of value through all three paths that make
 * records: the dossier reader, the XAF reader and `rhv test` case records.
 *
 * Each edge case is one field, the text a file writes, the same value as a
 * test case writes it in Lua, and the value a rule must see (NULL: no reader
 * accepts it). The reader of the field's record type reads a small file with
 * that text in place; `rhv test` runs one case per edge through a rule that
 * emits the field as its finding's subject. All three must agree with the
 * table, so they agree with each other: a test can feed a rule exactly what a
 * reader can produce.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_run.h"
#include "commands.h"
#include "diag.h"
#include "dossier.h"
#include "test_capture.h"
#include "value.h"
#include "xaf.h"

typedef struct {
    const char *type, *field;
    const char *text;  /* as written in the dossier attribute or the XAF element */
    const char *lua;   /* as a test case writes the value */
    const char *value; /* tostring() of what the rule sees; NULL: rejected */
} edge;

#define INT64_MIN_LUA "math.mininteger"

static const edge EDGES[] = {
    /* dates: a real calendar day, written YYYY-MM-DD */
    {"cijfer", "peildatum", "2023-02-28", "\"2023-02-28\"", "2023-02-28"},
    {"cijfer", "peildatum", "2024-02-29", "\"2024-02-29\"", "2024-02-29"},
    {"cijfer", "peildatum", "2000-02-29", "\"2000-02-29\"", "2000-02-29"},
    {"cijfer", "peildatum", "2023-02-29", "\"2023-02-29\"", NULL},
    {"cijfer", "peildatum", "1900-02-29", "\"1900-02-29\"", NULL},
    {"cijfer", "peildatum", "2023-02-31", "\"2023-02-31\"", NULL},
    {"cijfer", "peildatum", "2023-04-31", "\"2023-04-31\"", NULL},
    {"cijfer", "peildatum", "2023-13-01", "\"2023-13-01\"", NULL},
    {"cijfer", "peildatum", "2023-00-10", "\"2023-00-10\"", NULL},
    {"cijfer", "peildatum", "2023-01-00", "\"2023-01-00\"", NULL},
    {"cijfer", "peildatum", "0000-01-01", "\"0000-01-01\"", NULL},
    {"cijfer", "peildatum", "0001-01-01", "\"0001-01-01\"", "0001-01-01"},
    {"cijfer", "peildatum", "9999-12-31", "\"9999-12-31\"", "9999-12-31"},
    {"cijfer", "peildatum", "2023-1-01", "\"2023-1-01\"", NULL},
    {"cijfer", "peildatum", "2023/01/01", "\"2023/01/01\"", NULL},
    {"cijfer", "peildatum", "20230101", "20230101", NULL},
    {"cijfer", "peildatum", "2023-01-01Z", "\"2023-01-01Z\"", NULL},
    {"xaf.period", "startDatePeriod", "2023-02-28", "\"2023-02-28\"", "2023-02-28"},
    {"xaf.period", "startDatePeriod", "2024-02-29", "\"2024-02-29\"", "2024-02-29"},
    {"xaf.period", "startDatePeriod", "2023-02-29", "\"2023-02-29\"", NULL},
    {"xaf.period", "startDatePeriod", "2023-02-31", "\"2023-02-31\"", NULL},
    {"xaf.period", "startDatePeriod", "2100-02-29", "\"2100-02-29\"", NULL},
    {"xaf.period", "startDatePeriod", "2023-13-01", "\"2023-13-01\"", NULL},
    {"xaf.period", "startDatePeriod", "0000-01-01", "\"0000-01-01\"", NULL},
    {"xaf.period", "startDatePeriod", "2023-1-01", "\"2023-1-01\"", NULL},
    /* amounts: euros with a point, exact int64 cents */
    {"programma", "lasten_realisatie", "0", "0", "0"},
    {"programma", "lasten_realisatie", "1.5", "150", "150"},
    {"programma", "lasten_realisatie", "-1.25", "-125", "-125"},
    {"programma", "lasten_realisatie", "+0.05", "5", "5"},
    {"programma", "lasten_realisatie", "92233720368547758.07", "9223372036854775807", "9223372036854775807"},
    {"programma", "lasten_realisatie", "-92233720368547758.08", INT64_MIN_LUA, "-9223372036854775808"},
    {"programma", "lasten_realisatie", "92233720368547758.08", "9.2233720368547758e18", NULL},
    {"programma", "lasten_realisatie", "1.234", "123.4", NULL},
    {"programma", "lasten_realisatie", "1,5", "\"1,5\"", NULL},
    {"programma", "lasten_realisatie", "1.000", "\"1.000\"", NULL},
    {"programma", "lasten_realisatie", "1e3", "\"1e3\"", NULL},
    {"programma", "lasten_realisatie", "5.", "\"5.\"", NULL},
    {"afwijking", "bedrag", "0.01", "1", "1"},
    {"afwijking", "bedrag", "-0.01", "-1", NULL},
    {"xaf.trLine", "amnt", "0", "0", "0"},
    {"xaf.trLine", "amnt", "1.5", "150", "150"},
    {"xaf.trLine", "amnt", "-1.25", "-125", "-125"},
    {"xaf.trLine", "amnt", "-92233720368547758.08", INT64_MIN_LUA, "-9223372036854775808"},
    {"xaf.trLine", "amnt", "92233720368547758.08", "9.2233720368547758e18", NULL},
    {"xaf.trLine", "amnt", "1.234", "123.4", NULL},
    {"xaf.trLine", "amnt", "1,5", "\"1,5\"", NULL},
    /* integers: a sign and digits, and each field's range */
    {"organisation", "boekjaar", "2023", "2023", "2023"},
    {"organisation", "boekjaar", "+2023", "2023", "2023"},
    {"organisation", "boekjaar", "1900", "1900", "1900"},
    {"organisation", "boekjaar", "1899", "1899", NULL},
    {"organisation", "boekjaar", "2999", "2999", "2999"},
    {"organisation", "boekjaar", "3000", "3000", NULL},
    {"organisation", "boekjaar", "2023.0", "2023.0", NULL},
    {"organisation", "boekjaar", "20 23", "\"20 23\"", NULL},
    {"organisation", "boekjaar", "99999999999999999999", "\"99999999999999999999\"", NULL},
    {"cijfer", "decimalen", "0", "0", "0"},
    {"cijfer", "decimalen", "-0", "0", "0"},
    {"cijfer", "decimalen", "2", "2", "2"},
    {"cijfer", "decimalen", "3", "3", NULL},
    {"cijfer", "decimalen", "-1", "-1", NULL},
    {"xaf.period", "periodNumber", "1", "1", "1"},
    {"xaf.period", "periodNumber", "+1", "1", "1"},
    {"xaf.period", "periodNumber", "0", "0", "0"},
    {"xaf.period", "periodNumber", "007", "7", "7"},
    {"xaf.period", "periodNumber", "999999999999999999", "999999999999999999", "999999999999999999"},
    {"xaf.period", "periodNumber", "1000000000000000000", "1000000000000000000", NULL},
    {"xaf.period", "periodNumber", "-1", "-1", NULL},
    {"xaf.period", "periodNumber", "1.0", "1.0", NULL},
    {"xaf.period", "periodNumber", "x", "\"x\"", NULL},
    /* scaled decimals: non-negative, a point, at most `scale` decimals; percentages at most 100 */
    {"organisation", "grens_percentage", "3", "300", "300"},
    {"organisation", "grens_percentage", "3.5", "350", "350"},
    {"organisation", "grens_percentage", "100", "10000", "10000"},
    {"organisation", "grens_percentage", "100.01", "10001", NULL},
    {"organisation", "grens_percentage", "-1", "-100", NULL},
    {"organisation", "grens_percentage", "3,5", "\"3,5\"", NULL},
    {"organisation", "grens_percentage", "3.001", "\"3.001\"", NULL},
    {"cijfer", "waarde", "100.01", "10001", "10001"},
    {"cijfer", "waarde", "685", "68500", "68500"},
    {"cijfer", "waarde", "0.5", "50", "50"},
    {"cijfer", "waarde", "-0", "\"-0\"", NULL},
    {"cijfer", "waarde", "-0.01", "-1", NULL},
    {"cijfer", "waarde", ".5", "\".5\"", NULL},
    /* booleans */
    {"begrotingscategorie", "telt_mee", "true", "true", "true"},
    {"begrotingscategorie", "telt_mee", "false", "false", "false"},
    {"begrotingscategorie", "telt_mee", "True", "\"True\"", NULL},
    {"begrotingscategorie", "telt_mee", "1", "1", NULL},
    /* enums and strings that must have text */
    {"afwijking", "soort", "fout", "\"fout\"", "fout"},
    {"afwijking", "soort", "onzekerheid", "\"onzekerheid\"", "onzekerheid"},
    {"afwijking", "soort", "Fout", "\"Fout\"", NULL},
    {"afwijking", "soort", "vergissing", "\"vergissing\"", NULL},
    {"afwijking", "soort", "", "\"\"", NULL},
    {"afwijking", "onderwerp", "Inhuur", "\"Inhuur\"", "Inhuur"},
    {"afwijking", "onderwerp", " ", "\" \"", NULL},
    {"xaf.trLine", "amntTp", "C", "\"C\"", "C"},
    {"xaf.trLine", "amntTp", "D", "\"D\"", "D"},
    {"xaf.trLine", "amntTp", "c", "\"c\"", NULL},
    {"xaf.trLine", "amntTp", "CD", "\"CD\"", NULL},
};
#define NEDGES ((int)(sizeof EDGES / sizeof EDGES[0]))

/* One element per record type the edges use: (attribute, default) pairs. */
typedef struct {
    const char *type;
    const char *attrs[2 * 12];
} dossier_rec;

static const dossier_rec DREC[] = {
    {"organisation", {"naam", "GR Test", "soort", "gemeente", "boekjaar", "2023", "grens_percentage", "3.00",
                      "grens_wijze", "gecombineerd", "grens_basis", "realisatie", "grens_besluit", "2023-11-16",
                      "rapportagegrens", "100000.00", "normenkader_datum", "2023-12-14"}},
    {"begrotingscategorie", {"categorie", "open_einde", "telt_mee", "false"}},
    {"programma", {"code", "1", "naam", "Werk", "lasten_primitief", "100", "lasten_begroot", "100",
                   "lasten_realisatie", "120", "baten_primitief", "0", "baten_begroot", "0", "baten_realisatie",
                   "0"}},
    {"cijfer", {"tabel", "3.2", "rij", "Totaal", "kolom", "Totaal", "maat", "personen", "peildatum", "2023-12-31",
                "waarde", "12", "decimalen", "0", "afronding", "half_up"}},
    {"afwijking", {"id", "A1", "criterium", "voorwaardencriterium", "soort", "fout", "bedrag", "500", "onderwerp",
                   "x", "omschrijving", "y", "status", "open"}},
};
#define NDREC ((int)(sizeof DREC / sizeof DREC[0]))

static char tmpdir[] = "/tmp/rhv_valueXXXXXX";

/* ---- what a reader made of the text ---------------------------------------- */

typedef struct {
    const char *type, *field;
    int seen;
    char value[64];
} catch_t;

static void value_text(const rhv_value *v, char *out, size_t n)
{
    switch (v->kind) {
    case VAL_STR:
    case VAL_DATE: snprintf(out, n, "%.*s", (int)v->len, v->s); break;
    case VAL_BOOL: snprintf(out, n, "%s", v->i ? "true" : "false"); break;
    case VAL_NONE: snprintf(out, n, "nil"); break;
    default: snprintf(out, n, "%lld", (long long)v->i); break;
    }
}

static int catch_sink(void *ud, const rhv_record *rec)
{
    catch_t *c = ud;
    if (c->seen || strcmp(rec->type->name, c->type) != 0)
        return 0;
    c->seen = 1;
    value_text(&rec->v[record_field_index(rec->type, c->field)], c->value, sizeof c->value);
    return 0;
}

static void append(char **buf, size_t *len, size_t *cap, const char *s)
{
    size_t n = strlen(s);
    if (*len + n + 1 > *cap) {
        *cap = (*len + n + 1) * 2;
        *buf = realloc(*buf, *cap);
        ck_assert_ptr_nonnull(*buf);
    }
    memcpy(*buf + *len, s, n + 1);
    *len += n;
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

/* <type a="..." .../> with e's text in place of its field; open or self-closed. */
static void dossier_element(char **b, size_t *l, size_t *c, const dossier_rec *r, const edge *e, bool open)
{
    append(b, l, c, "<");
    append(b, l, c, r->type);
    for (int i = 0; i < 24 && r->attrs[i]; i += 2) {
        bool target = strcmp(e->type, r->type) == 0 && strcmp(e->field, r->attrs[i]) == 0;
        append(b, l, c, " ");
        append(b, l, c, r->attrs[i]);
        append(b, l, c, "=\"");
        append(b, l, c, target ? e->text : r->attrs[i + 1]);
        append(b, l, c, "\"");
    }
    append(b, l, c, open ? ">\n" : "/>\n");
}

static bool read_dossier(const edge *e, char *value, size_t n)
{
    char *b = NULL;
    size_t l = 0, c = 0;
    append(&b, &l, &c, "<?xml version=\"1.0\"?>\n<dossier xmlns=\"urn:rhv:dossier:1\">\n");
    dossier_element(&b, &l, &c, &DREC[0], e, true);
    dossier_element(&b, &l, &c, &DREC[1], e, false);
    append(&b, &l, &c, "</organisation>\n<exploitatie>");
    dossier_element(&b, &l, &c, &DREC[2], e, false);
    append(&b, &l, &c, "</exploitatie>\n<cijfers>");
    dossier_element(&b, &l, &c, &DREC[3], e, false);
    append(&b, &l, &c, "</cijfers>\n<afwijkingen>");
    dossier_element(&b, &l, &c, &DREC[4], e, false);
    append(&b, &l, &c, "</afwijkingen>\n</dossier>\n");
    char path[512];
    snprintf(path, sizeof path, "%s/d.xml", tmpdir);
    write_text(path, b);
    free(b);
    rhv_diag d;
    diag_init(&d, NULL);
    rhv_dossier dos;
    catch_t ct = {e->type, e->field, 0, ""};
    int rc = dossier_read(path, &dos, catch_sink, &ct, &d);
    dossier_free(&dos);
    diag_free(&d);
    snprintf(value, n, "%s", ct.value);
    return rc == 0 && ct.seen;
}

static bool read_xaf(const edge *e, char *value, size_t n)
{
    const char *period = strcmp(e->field, "periodNumber") == 0 ? e->text : "1";
    const char *start = strcmp(e->field, "startDatePeriod") == 0 ? e->text : "2023-01-01";
    const char *amnt = strcmp(e->field, "amnt") == 0 ? e->text : "100.00";
    const char *amnttp = strcmp(e->field, "amntTp") == 0 ? e->text : "D";
    char text[4096];
    snprintf(text, sizeof text,
             "<?xml version=\"1.0\"?>\n<auditfile xmlns=\"http://www.auditfiles.nl/XAF/3.2\">\n"
             "<header><fiscalYear>2023</fiscalYear><startDate>2023-01-01</startDate>"
             "<endDate>2023-12-31</endDate><curCode>EUR</curCode><dateCreated>2024-02-01</dateCreated>"
             "<softwareDesc>t</softwareDesc></header>\n"
             "<company><companyName>GR</companyName><taxRegistrationCountry>NL</taxRegistrationCountry>"
             "<taxRegIdent>NL1</taxRegIdent><streetAddress><city>R</city></streetAddress>\n"
             "<periods><period><periodNumber>%s</periodNumber><startDatePeriod>%s</startDatePeriod>"
             "<endDatePeriod>2023-01-31</endDatePeriod></period></periods>\n"
             "<transactions><linesCount>1</linesCount><totalDebit>0</totalDebit><totalCredit>0</totalCredit>"
             "<journal><jrnID>70</jrnID><desc>Inkoop</desc><transaction><nr>1</nr><periodNumber>1</periodNumber>"
             "<trDt>2023-01-15</trDt><trLine><nr>1</nr><accID>4400</accID><effDate>2023-01-15</effDate>"
             "<amnt>%s</amnt><amntTp>%s</amntTp></trLine></transaction></journal></transactions>\n"
             "</company></auditfile>\n",
             period, start, amnt, amnttp);
    char path[512];
    snprintf(path, sizeof path, "%s/l.xaf", tmpdir);
    write_text(path, text);
    rhv_diag d;
    diag_init(&d, NULL);
    catch_t ct = {e->type, e->field, 0, ""};
    int rc = xaf_read(path, catch_sink, &ct, &d, NULL);
    diag_free(&d);
    snprintf(value, n, "%s", ct.value);
    return rc == 0 && ct.seen;
}

/* ---- what `rhv test` makes of the Lua value -------------------------------- */

static const char RULE[] =
    "local rule = { id = \"vt\", title = \"value test\", criterion = \"geen\",\n"
    "  legal_basis = { text = \"x\", source = \"y\" }, years = { from = 2023 },\n"
    "  reads = { \"organisation\", \"begrotingscategorie\", \"programma\", \"cijfer\", \"afwijking\",\n"
    "            \"xaf.period\", \"xaf.trLine\" },\n"
    "  args = { field = \"\" } }\n"
    "local function seen(r, ctx)\n"
    "  rhv.finding{ kind = \"signalering\", amount = 0, subject = tostring(r[ctx.args.field]), message = \"v\" }\n"
    "end\n"
    "for _, t in ipairs(rule.reads) do rule[\"on_\" .. t:gsub(\"%.\", \"_\")] = seen end\n"
    "return rule\n";

/* The Lua records: every required field, in the same defaults as the files. */
static const char BASES[] =
    "local base = {\n"
    "  organisation = { naam = \"GR\", soort = \"gemeente\", boekjaar = 2023, grens_percentage = 300,\n"
    "    grens_wijze = \"gecombineerd\", grens_basis = \"realisatie\", grens_besluit = \"2023-11-16\",\n"
    "    rapportagegrens = 10000000, normenkader_datum = \"2023-12-14\" },\n"
    "  begrotingscategorie = { categorie = \"open_einde\", telt_mee = false },\n"
    "  programma = { code = \"1\", naam = \"Werk\", lasten_primitief = 10000, lasten_begroot = 10000,\n"
    "    lasten_realisatie = 12000, baten_primitief = 0, baten_begroot = 0, baten_realisatie = 0 },\n"
    "  cijfer = { tabel = \"3.2\", rij = \"Totaal\", kolom = \"Totaal\", maat = \"personen\",\n"
    "    peildatum = \"2023-12-31\", waarde = 1200, decimalen = 0, afronding = \"half_up\" },\n"
    "  afwijking = { id = \"A1\", criterium = \"voorwaardencriterium\", soort = \"fout\", bedrag = 50000,\n"
    "    onderwerp = \"x\", omschrijving = \"y\", status = \"open\" },\n"
    "  [\"xaf.period\"] = { periodNumber = 1, startDatePeriod = \"2023-01-01\", endDatePeriod = \"2023-01-31\" },\n"
    "  [\"xaf.trLine\"] = { jrnID = \"70\", trNr = \"1\", trDt = \"2023-01-15\", periodNumber = 1, nr = \"1\",\n"
    "    accID = \"4400\", effDate = \"2023-01-15\", amnt = 10000, amntTp = \"D\" },\n"
    "}\n"
    "local function rec(t, field, v)\n"
    "  local r = { _type = t }\n"
    "  for k, x in pairs(base[t]) do r[k] = x end\n"
    "  r[field] = v\n"
    "  return r\n"
    "end\n"
    "local function case(n, t, field, v, want)\n"
    "  return { name = \"e\" .. n, class = want and \"pass\" or \"fail\", args = { field = field },\n"
    "           records = { rec(t, field, v) },\n"
    "           expect = want and { { kind = \"signalering\", subject = want, amount = 0 } } or {} }\n"
    "end\n"
    "return {\n"
    "  { name = \"grens\", class = \"boundary\", expect = {} },\n";

static char out[1 << 17];

static void run_rhv_test(void)
{
    char *b = NULL;
    size_t l = 0, c = 0;
    append(&b, &l, &c, BASES);
    for (int i = 0; i < NEDGES; i++) {
        const edge *e = &EDGES[i];
        char line[512];
        snprintf(line, sizeof line, "  case(%d, \"%s\", \"%s\", %s, %s%s%s),\n", i, e->type, e->field, e->lua,
                 e->value ? "\"" : "", e->value ? e->value : "nil", e->value ? "\"" : "");
        append(&b, &l, &c, line);
    }
    append(&b, &l, &c, "}\n");
    char path[512];
    snprintf(path, sizeof path, "%s/vt_test.lua", tmpdir);
    write_text(path, b);
    free(b);
    snprintf(path, sizeof path, "%s/vt.lua", tmpdir);
    write_text(path, RULE);
    char *argv[] = {"test", "--rules-dir", tmpdir, "--params-dir", tmpdir, "vt", NULL};
    capture_stdout(cmd_test, 6, argv, out, sizeof out);
}

/* 1 PASS, 0 FAIL because the record was refused (a message naming the
 * field), -1 anything else. */
static int rhv_test_result(int i)
{
    const edge *e = &EDGES[i];
    char want[256];
    snprintf(want, sizeof want, "vt.e%d: PASS\n", i);
    if (strstr(out, want))
        return 1;
    snprintf(want, sizeof want, "vt.e%d: FAIL\n    records[1] (%s): field '%s' ", i, e->type, e->field);
    return strstr(out, want) ? 0 : -1;
}

/* The output from case i's line on, for a message. */
static const char *case_output(int i)
{
    char head[32];
    snprintf(head, sizeof head, "vt.e%d: ", i);
    const char *p = strstr(out, head);
    return p ? p : out;
}

/* ---- the tests ------------------------------------------------------------- */

static void setup(void)
{
    strcpy(tmpdir, "/tmp/rhv_valueXXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void teardown(void)
{
    const char *files[] = {"d.xml", "l.xaf", "vt.lua", "vt_test.lua"};
    char path[512];
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", tmpdir, files[i]);
        unlink(path);
    }
    rmdir(tmpdir);
}

START_TEST(three_paths_agree)
{
    run_rhv_test();
    for (int i = 0; i < NEDGES; i++) {
        const edge *e = &EDGES[i];
        char got[64] = "";
        bool xaf = strncmp(e->type, "xaf.", 4) == 0;
        bool ok = xaf ? read_xaf(e, got, sizeof got) : read_dossier(e, got, sizeof got);
        ck_assert_msg(ok == (e->value != NULL), "%s reader %s %s=\"%s\"", xaf ? "XAF" : "dossier",
                      ok ? "accepts" : "rejects", e->field, e->text);
        if (ok)
            ck_assert_msg(strcmp(got, e->value) == 0, "%s=\"%s\" read as %s, not %s", e->field, e->text, got,
                          e->value);
        int t = rhv_test_result(i);
        ck_assert_msg(t == (e->value != NULL), "rhv test case e%d (%s %s = %s): %s; output:\n%.*s", i, e->type,
                      e->field, e->lua, t < 0 ? "no PASS, no FAIL naming the field" : t ? "accepted" : "rejected",
                      500, case_output(i));
    }
}
END_TEST

/* The message a test author sees for the day that does not exist. */
START_TEST(rhv_test_names_case_and_field)
{
    run_rhv_test();
    int i = 0;
    while (strcmp(EDGES[i].text, "2023-02-31") != 0)
        i++;
    char want[256];
    snprintf(want, sizeof want,
             "vt.e%d: FAIL\n    records[1] (cijfer): field 'peildatum' is not a calendar date, "
             "got \"2023-02-31\"", i);
    ck_assert_msg(strstr(out, want), "no '%s' in:\n%.*s", want, 500, case_output(i));
    ck_assert(strstr(out, "field 'soort' is not one of: fout, onzekerheid, got \"vergissing\""));
    ck_assert(strstr(out, "field 'boekjaar' is not a plausible fiscal year, got 1899"));
}
END_TEST

/* The xsd:date zone is the XAF's alone: read, and not kept in the record. */
START_TEST(xaf_date_zone_is_dropped)
{
    const char *zoned[] = {"2023-02-28Z", "2023-02-28+01:00", "2023-02-28-14:00"};
    for (size_t i = 0; i < 3; i++) {
        edge e = {"xaf.period", "startDatePeriod", zoned[i], NULL, NULL};
        char got[64];
        ck_assert_msg(read_xaf(&e, got, sizeof got), "%s", zoned[i]);
        ck_assert_str_eq(got, "2023-02-28");
        ck_assert_int_eq(value_parse_date(zoned[i], strlen(zoned[i])), VALUE_NOT_DATE);
    }
    const char *bad[] = {"2023-02-29Z", "2023-02-28+15:00", "2023-02-28+01:60", "2023-02-28+0100", "2023-02-28z"};
    for (size_t i = 0; i < 5; i++) {
        edge e = {"xaf.period", "startDatePeriod", bad[i], NULL, NULL};
        char got[64];
        ck_assert_msg(!read_xaf(&e, got, sizeof got), "%s", bad[i]);
    }
}
END_TEST

START_TEST(parsers_give_reasons)
{
    int64_t x = 0;
    ck_assert_int_eq(value_parse_int("-9223372036854775808", 20, &x), VALUE_OK);
    ck_assert(x == INT64_MIN);
    ck_assert_int_eq(value_parse_int("9223372036854775808", 19, &x), VALUE_TOO_LARGE);
    ck_assert_int_eq(value_parse_int("-", 1, &x), VALUE_NOT_WHOLE);
    ck_assert_int_eq(value_parse_int("", 0, &x), VALUE_NOT_WHOLE);
    ck_assert_int_eq(value_parse_date("2023-02-31", 10), VALUE_NOT_CALENDAR);
    ck_assert_int_eq(value_parse_date("2023-2-3", 8), VALUE_NOT_DATE);
    /* every one of the eight digits is checked, and each month's last day */
    static const char *const not_dates[] = {"a023-01-01", "2/23-01-01", "20:3-01-01", "202 -01-01",
                                            "2023-x1-01", "2023-0.-01", "2023-01-+1", "2023-01-0\xff"};
    for (size_t i = 0; i < sizeof not_dates / sizeof not_dates[0]; i++)
        ck_assert_msg(value_parse_date(not_dates[i], 10) == VALUE_NOT_DATE, "%s", not_dates[i]);
    static const int last[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    for (int m = 1; m <= 12; m++) {
        char d[32];
        snprintf(d, sizeof d, "2023-%02d-%02d", m, last[m - 1]);
        ck_assert_msg(value_parse_date(d, 10) == VALUE_OK, "%s", d);
        snprintf(d, sizeof d, "2023-%02d-%02d", m, last[m - 1] + 1);
        ck_assert_msg(value_parse_date(d, 10) == VALUE_NOT_CALENDAR, "%s", d);
    }
    /* an enum value matches whole: no prefix, no longer text, no empty text */
    static const char *const cd[] = {"C", "D", NULL};
    static const char *const soort[] = {"gemeente", "provincie", NULL};
    ck_assert(value_in_enum(cd, "D", 1));
    ck_assert(!value_in_enum(cd, "DC", 2));
    ck_assert(!value_in_enum(cd, "", 0));
    ck_assert(value_in_enum(soort, "provincie", 9));
    ck_assert(!value_in_enum(soort, "gemeen", 6));
    ck_assert(!value_in_enum(soort, "gemeentes", 9));
    ck_assert(!value_in_enum(soort, "provincie", 8)); /* a prefix of the value, by length */
    /* a year is four leading digits, whatever follows (the XAF header's fiscalYear) */
    ck_assert_int_eq(value_year_prefix("2023", 4), 2023);
    ck_assert_int_eq(value_year_prefix("2023/2024", 9), 2023);
    ck_assert_int_eq(value_year_prefix("0999-01-01", 10), 999);
    ck_assert_int_eq(value_year_prefix("202", 3), -1);
    ck_assert_int_eq(value_year_prefix("2023", 3), -1); /* by length, not by the terminator */
    ck_assert_int_eq(value_year_prefix("20x3", 4), -1);
    ck_assert_int_eq(value_year_prefix("FY23", 4), -1);
    bool b;
    ck_assert_int_eq(value_parse_bool("false", 5, &b), VALUE_OK);
    ck_assert(!b);
    money_status ms = MONEY_OK;
    ck_assert_int_eq(value_parse_scaled("1.234", 5, 2, &x, &ms), VALUE_NOT_DECIMAL);
    ck_assert_int_eq(ms, MONEY_PRECISION);
    ck_assert_int_eq(value_parse_scaled("-1", 2, 2, &x, &ms), VALUE_NEGATIVE);
    ck_assert_str_eq(value_why(VALUE_OUT_OF_RANGE, &value_xaf_integer),
                     "is not a non-negative integer of at most 18 digits");
    ck_assert_str_eq(value_why(VALUE_OUT_OF_RANGE, NULL), "is out of range");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("value");
    TCase *tc = tcase_create("value");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, three_paths_agree);
    tcase_add_test(tc, rhv_test_names_case_and_field);
    tcase_add_test(tc, xaf_date_zone_is_dropped);
    tcase_add_test(tc, parsers_give_reasons);
    suite_add_tcase(s, tc);
    return check_run(s);
}
