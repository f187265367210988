/* fuzz_xaf.c - libFuzzer target: any bytes through the XAF reader
 * (xaf_read_mem, the same path as a file). Every record must pass
 * fuzz_check.h; the reader must not crash, leak or read out of bounds. */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_check.h"
#include "xaf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rhv_diag d;
    diag_init(&d, NULL);
    rhv_xaf_info info;
    int rc = xaf_read_mem((const char *)data, size, "fuzz.xaf", fuzz_sink, NULL, &d, &info);
    fuzz_failed_says_why(rc, &d, "xaf_read_mem");
    xaf_info_free(&info);
    diag_free(&d);
    return 0;
}
