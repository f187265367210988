/* fuzz_handled.c - libFuzzer target: any bytes as the files beside a
 * dossier (docs/handled.md): read as a beoordelingen file
 * (beoordelingen_read, for <beoordelingen path>) and as a scenario
 * (scenario_read, for --als); both go through handled_xml.c. What a reader
 * keeps must be whole (every entry has its required texts); a failed read
 * must say why. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "beoordeling.h"
#include "fuzz_check.h"
#include "fuzz_file.h"
#include "scenario.h"

static volatile size_t fuzz_hole;

static void need(const char *s, const char *what)
{
    if (!s) {
        fprintf(stderr, "fuzz check: an entry was kept without its %s\n", what);
        abort();
    }
    fuzz_hole += strlen(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[512];
    fuzz_write("handled.xml", data, size, path, sizeof path);

    rhv_diag d;
    diag_init(&d, NULL);
    rhv_beoordelingen b;
    fuzz_failed_says_why(beoordelingen_read(path, &b, &d), &d, "beoordelingen_read");
    for (size_t i = 0; i < b.n; i++)
        need(b.v[i].fingerprint, "fingerprint");
    beoordelingen_free(&b);
    diag_free(&d);

    diag_init(&d, NULL);
    rhv_scenario s;
    int rc = scenario_read(path, &s, &d);
    fuzz_failed_says_why(rc, &d, "scenario_read");
    if (rc == 0) {
        need(s.naam, "naam");
        for (size_t i = 0; i < s.nafw; i++)
            need(s.afw[i].id, "id");
        for (size_t i = 0; i < s.nfout; i++)
            need(s.fout[i].fingerprint, "fingerprint");
    }
    scenario_free(&s);
    diag_free(&d);
    return 0;
}
