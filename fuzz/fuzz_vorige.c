/* fuzz_vorige.c - libFuzzer target: any bytes as the earlier JSON report of
 * `rhv check --vorige` (previous_read). What it keeps must be whole: every
 * finding has a fingerprint; a failed read must say why. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "fuzz_file.h"
#include "previous.h"

static volatile size_t fuzz_hole;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[512];
    fuzz_write("vorige.json", data, size, path, sizeof path);
    rhv_diag d;
    diag_init(&d, NULL);
    rhv_previous p;
    int rc = previous_read(path, &p, &d);
    fuzz_failed_says_why(rc, &d, "previous_read");
    if (rc == 0)
        for (size_t i = 0; i < p.n; i++) {
            if (!p.f[i].fingerprint) {
                fprintf(stderr, "fuzz check: finding %zu kept without a fingerprint\n", i);
                abort();
            }
            fuzz_hole += strlen(p.f[i].fingerprint) + (p.f[i].rule ? strlen(p.f[i].rule) : 0) +
                         (p.f[i].subject ? strlen(p.f[i].subject) : 0) + (p.f[i].kind ? strlen(p.f[i].kind) : 0);
        }
    fuzz_hole += p.verdict ? strlen(p.verdict) : 0;
    previous_free(&p);
    diag_free(&d);
    return 0;
}
