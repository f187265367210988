/* fuzz_csv.c - libFuzzer target: any bytes as the CSV file of a dossier
 * register (<register path>), read with dossier_read_mem as `rhv check`
 * reads a dossier that names one: csv.c splits it, dossier_table.c judges
 * each row as the record element it stands for.
 *
 * Input: the first byte chooses the register (low nibble: its record type,
 * dossier_register_builtin_types; bits 4-5: scheiding detected / ';' / ',';
 * bit 6: codering windows-1252; bit 7: getallen nl); the rest is the CSV
 * file. Every record must pass fuzz_check.h; a failed read must say why. */
#include <stddef.h>
#include <stdint.h>

#include "dossier.h"
#include "fuzz_check.h"
#include "fuzz_file.h"

/* An organisation and one programma, so that a row may refer to both. */
static const char head[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<dossier xmlns=\"urn:rhv:dossier:1\">\n"
    "  <organisation naam=\"Fuzz\" soort=\"gemeente\" boekjaar=\"2023\" grens_percentage=\"3.00\"\n"
    "    grens_wijze=\"gecombineerd\" grens_basis=\"realisatie\" grens_besluit=\"2023-11-16\"\n"
    "    rapportagegrens=\"10000.00\" normenkader_datum=\"2023-12-14\">\n"
    "    <begrotingscategorie categorie=\"open_einde\" telt_mee=\"false\"/>\n"
    "  </organisation>\n"
    "  <exploitatie>\n"
    "    <programma code=\"1\" naam=\"Bestuur\" lasten_primitief=\"1.00\" lasten_begroot=\"1.00\"\n"
    "      lasten_realisatie=\"1.00\" baten_primitief=\"0.00\" baten_begroot=\"0.00\" baten_realisatie=\"0.00\"/>\n"
    "  </exploitatie>\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    int ntypes = 0;
    while (dossier_register_builtin_types[ntypes])
        ntypes++;
    unsigned opt = data[0];
    const char *type = dossier_register_builtin_types[(opt & 0x0F) % (unsigned)ntypes];
    static const char *const seps[] = {"", " scheiding=\";\"", " scheiding=\",\"", ""};
    char csv[512], xml[2048], name[512];
    fuzz_write("register.csv", data + 1, size - 1, csv, sizeof csv);
    int n = snprintf(xml, sizeof xml, "%s  <register type=\"%s\" path=\"register.csv\"%s%s%s/>\n</dossier>\n", head,
                     type, seps[(opt >> 4) & 3], opt & 0x40 ? " codering=\"windows-1252\"" : "",
                     opt & 0x80 ? " getallen=\"nl\"" : "");
    if (n < 0 || (size_t)n >= sizeof xml)
        abort();
    snprintf(name, sizeof name, "%s/dossier.xml", fuzz_dir());
    rhv_diag d;
    diag_init(&d, NULL);
    rhv_dossier ds;
    int rc = dossier_read_mem(xml, (size_t)n, name, &ds, fuzz_sink, NULL, &d);
    fuzz_failed_says_why(rc, &d, "dossier_read_mem");
    dossier_free(&ds);
    diag_free(&d);
    return 0;
}
