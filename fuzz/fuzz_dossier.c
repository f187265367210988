/* fuzz_dossier.c - libFuzzer target: any bytes through the dossier reader
 * (dossier_read_mem, the same path as a file, line scanner included). Every
 * record must pass fuzz_check.h; a failed read must say why. */
#include <stddef.h>
#include <stdint.h>

#include "dossier.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rhv_diag d;
    diag_init(&d, NULL);
    rhv_dossier ds;
    int rc = dossier_read_mem((const char *)data, size, "fuzz/dossier.xml", &ds, fuzz_sink, NULL, &d);
    fuzz_failed_says_why(rc, &d, "dossier_read_mem");
    dossier_free(&ds);
    diag_free(&d);
    return 0;
}
