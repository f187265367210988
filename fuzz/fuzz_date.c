/* fuzz_date.c - libFuzzer target: date parsing in both readers.
 *
 * The date parsers are private to the readers (dossier_values.c, xaf.c), so
 * the input is put where a date belongs, XML-escaped, in a small valid
 * dossier (grens_besluit, a medewerker's begin) and a small valid auditfile
 * (startDate, trDt), and read through dossier_read_mem and xaf_read_mem.
 * fuzz_check.h then holds the readers to their promise: every date a rule
 * gets is a real calendar day written YYYY-MM-DD.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dossier.h"
#include "fuzz_check.h"
#include "xaf.h"

static const char DOSSIER[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<dossier xmlns=\"urn:rhv:dossier:1\">\n"
    "  <organisation naam=\"F\" soort=\"gemeente\" boekjaar=\"2023\" grens_percentage=\"3.00\"\n"
    "      grens_wijze=\"gecombineerd\" grens_basis=\"realisatie\" grens_besluit=\"@\"\n"
    "      rapportagegrens=\"100.00\" normenkader_datum=\"2023-12-14\"/>\n"
    "  <exploitatie>\n"
    "    <programma code=\"1\" naam=\"W\" lasten_primitief=\"1\" lasten_begroot=\"1\" lasten_realisatie=\"1\"\n"
    "        baten_primitief=\"0\" baten_begroot=\"0\" baten_realisatie=\"0\"/>\n"
    "  </exploitatie>\n"
    "  <personeel>\n"
    "    <medewerker id=\"1\" categorie=\"Wsw\" woongemeente=\"R\" uren=\"36\" begin=\"@\"/>\n"
    "  </personeel>\n"
    "</dossier>\n";

static const char XAF[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<auditfile xmlns=\"http://www.auditfiles.nl/XAF/3.2\"><header><fiscalYear>2023</fiscalYear>"
    "<startDate>@</startDate><endDate>2023-12-31</endDate><curCode>EUR</curCode>"
    "<dateCreated>2024-01-01</dateCreated><softwareDesc>f</softwareDesc></header>"
    "<company><companyName>F</companyName><taxRegistrationCountry>NL</taxRegistrationCountry>"
    "<taxRegIdent>x</taxRegIdent><streetAddress><city>R</city></streetAddress>"
    "<transactions><linesCount>1</linesCount><totalDebit>1</totalDebit><totalCredit>0</totalCredit>"
    "<journal><jrnID>1</jrnID><desc>d</desc><jrnTp>P</jrnTp><transaction><nr>1</nr><desc>d</desc>"
    "<periodNumber>1</periodNumber><trDt>@</trDt><trLine><nr>1</nr><accID>1</accID><docRef>d</docRef>"
    "<effDate>@</effDate><amnt>1</amnt><amntTp>D</amntTp></trLine></transaction></journal>"
    "</transactions></company></auditfile>\n";

#define MAX_IN 64

/* The template with every '@' replaced by the escaped input; NULL if too long. */
static char *fill(const char *tpl, const uint8_t *data, size_t size, size_t *len)
{
    static char out[8192];
    size_t o = 0;
    for (const char *t = tpl; *t; t++) {
        if (*t != '@') {
            out[o++] = *t;
            continue;
        }
        for (size_t i = 0; i < size; i++) {
            const char *esc = NULL;
            switch (data[i]) {
            case '&': esc = "&amp;"; break;
            case '<': esc = "&lt;"; break;
            case '"': esc = "&quot;"; break;
            default: break;
            }
            if (esc) {
                memcpy(out + o, esc, strlen(esc));
                o += strlen(esc);
            } else {
                out[o++] = (char)data[i];
            }
        }
    }
    *len = o;
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > MAX_IN)
        return 0; /* a date is short; longer input only slows the search */
    size_t len;
    char *doc = fill(DOSSIER, data, size, &len);
    rhv_diag d;
    diag_init(&d, NULL);
    rhv_dossier ds;
    (void)dossier_read_mem(doc, len, "fuzz/dossier.xml", &ds, fuzz_sink, NULL, &d);
    dossier_free(&ds);
    diag_free(&d);

    doc = fill(XAF, data, size, &len);
    diag_init(&d, NULL);
    rhv_xaf_info info;
    (void)xaf_read_mem(doc, len, "fuzz.xaf", fuzz_sink, NULL, &d, &info);
    xaf_info_free(&info);
    diag_free(&d);
    return 0;
}
