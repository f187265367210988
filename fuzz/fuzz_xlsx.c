/* fuzz_xlsx.c - libFuzzer target: any bytes as a dossier workbook (.xlsx)
 * read by dossier_read, the entry point of `rhv check` and `rhv convert`:
 * the zip reader, the SpreadsheetML parts, the sheets' rows judged as
 * records (and the CSV registers a Bestanden sheet names, which here do not
 * exist). Every record must pass fuzz_check.h; a failed read must say why.
 *
 * Two forms of input, so that mutations reach the XML parts too (inside a
 * zip they are deflated and CRC-checked, so nearly every mutation there only
 * tests the zip reader):
 * - bytes starting with "PK\3\4": the .xlsx file as it is;
 * - else a list of parts, each "\n@@ NAME\n" followed by its bytes, zipped
 *   here (stored, with the right CRCs) into the .xlsx that is read.
 * tools/fuzz.sh writes every seed workbook in both forms. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <zip.h>

#include "dossier.h"
#include "fuzz_check.h"
#include "fuzz_file.h"

#define PART_MARK "\n@@ "
#define PART_MARK_LEN 4

/* The first PART_MARK in [p, end), or NULL (memmem is not C11). */
static const char *find_mark(const char *p, const char *end)
{
    for (; end - p >= PART_MARK_LEN; p++) {
        p = memchr(p, '\n', (size_t)(end - p));
        if (!p || end - p < PART_MARK_LEN)
            return NULL;
        if (memcmp(p, PART_MARK, PART_MARK_LEN) == 0)
            return p;
    }
    return NULL;
}

/* Zips the parts of data into path; 0 when at least one part was added. */
static int zip_parts(const char *path, const uint8_t *data, size_t size)
{
    int ze = 0;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &ze);
    if (!z)
        abort();
    const char *p = (const char *)data, *end = p + size;
    int parts = 0;
    const char *m = find_mark(p, end);
    while (m) {
        const char *name = m + PART_MARK_LEN;
        const char *nl = memchr(name, '\n', (size_t)(end - name));
        if (!nl)
            break;
        const char *body = nl + 1;
        const char *next = find_mark(body, end);
        size_t blen = (size_t)((next ? next : end) - body);
        char nm[256];
        size_t nlen = (size_t)(nl - name);
        if (nlen > 0 && nlen < sizeof nm && !memchr(name, '\0', nlen)) {
            memcpy(nm, name, nlen);
            nm[nlen] = '\0';
            zip_source_t *s = zip_source_buffer(z, body, blen, 0);
            zip_int64_t i = s ? zip_file_add(z, nm, s, ZIP_FL_OVERWRITE | ZIP_FL_ENC_UTF_8) : -1;
            if (i < 0)
                zip_source_free(s);
            else if (zip_set_file_compression(z, (zip_uint64_t)i, ZIP_CM_STORE, 0) == 0)
                parts++;
        }
        m = next;
    }
    if (zip_close(z) != 0) {
        zip_discard(z);
        return -1;
    }
    return parts ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[512];
    if (size >= 4 && memcmp(data, "PK\3\4", 4) == 0)
        fuzz_write("dossier.xlsx", data, size, path, sizeof path);
    else {
        fuzz_write("dossier.xlsx", "", 0, path, sizeof path);
        if (zip_parts(path, data, size) != 0)
            return 0;
    }
    rhv_diag d;
    diag_init(&d, NULL);
    rhv_dossier ds;
    int rc = dossier_read(path, &ds, fuzz_sink, NULL, &d);
    fuzz_failed_says_why(rc, &d, "dossier_read");
    dossier_free(&ds);
    diag_free(&d);
    return 0;
}
