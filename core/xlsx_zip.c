/* xlsx_zip.c - see xlsx_zip.h. */
#include "xlsx_zip.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

struct xlsx_zip {
    zip_t *z;
    uint64_t total; /* uncompressed bytes read so far */
};

int xlsx_is_zip(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    unsigned char b[4] = {0};
    size_t n = fread(b, 1, 4, f);
    fclose(f);
    return n == 4 && b[0] == 'P' && b[1] == 'K' && b[2] == 3 && b[3] == 4;
}

xlsx_zip *xlsx_zip_open(const char *path, char *err, size_t errn)
{
    int ze = 0;
    zip_t *z = zip_open(path, ZIP_RDONLY, &ze);
    if (!z) {
        zip_error_t e;
        zip_error_init_with_code(&e, ze);
        snprintf(err, errn, "not a readable zip file (%s); an .xlsx workbook is a zip, save it again from the "
                 "spreadsheet program", zip_error_strerror(&e));
        zip_error_fini(&e);
        return NULL;
    }
    zip_int64_t n = zip_get_num_entries(z, 0);
    if (n < 0 || n > XLSX_MAX_ENTRIES) {
        snprintf(err, errn, "the zip has %lld members, more than the %d a workbook may have", (long long)n,
                 XLSX_MAX_ENTRIES);
        zip_discard(z);
        return NULL;
    }
    xlsx_zip *x = calloc(1, sizeof *x);
    if (!x) {
        snprintf(err, errn, "out of memory");
        zip_discard(z);
        return NULL;
    }
    x->z = z;
    return x;
}

int xlsx_zip_read(xlsx_zip *x, const char *name, char **buf, size_t *len, char *err, size_t errn)
{
    *buf = NULL;
    *len = 0;
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat(x->z, name, 0, &st) != 0)
        return 0;
    if (!(st.valid & ZIP_STAT_SIZE) || !(st.valid & ZIP_STAT_COMP_SIZE)) {
        snprintf(err, errn, "%s: the zip does not state its size", name);
        return -1;
    }
    if (st.size > XLSX_MAX_ENTRY) {
        snprintf(err, errn, "%s is %llu bytes uncompressed, more than the %llu MiB rhv reads from one workbook "
                 "part; split the sheet or use a CSV register", name, (unsigned long long)st.size,
                 (unsigned long long)(XLSX_MAX_ENTRY >> 20));
        return -1;
    }
    if (x->total + st.size > XLSX_MAX_TOTAL) {
        snprintf(err, errn, "%s: the workbook's parts exceed %llu MiB uncompressed in total", name,
                 (unsigned long long)(XLSX_MAX_TOTAL >> 20));
        return -1;
    }
    if (st.size > ((uint64_t)1 << 20) && st.size / (st.comp_size ? st.comp_size : 1) > XLSX_MAX_RATIO) {
        snprintf(err, errn, "%s expands %llu times (more than %d): refused as a possible zip bomb", name,
                 (unsigned long long)(st.size / (st.comp_size ? st.comp_size : 1)), XLSX_MAX_RATIO);
        return -1;
    }
    zip_file_t *f = zip_fopen(x->z, name, 0);
    if (!f) {
        snprintf(err, errn, "%s: cannot open it in the zip (%s)", name, zip_strerror(x->z));
        return -1;
    }
    size_t cap = (size_t)st.size;
    char *b = malloc(cap + 1);
    if (!b) {
        zip_fclose(f);
        snprintf(err, errn, "%s: out of memory", name);
        return -1;
    }
    size_t got = 0;
    for (;;) {
        /* Read one byte past the declared size: more data means the header lied. */
        char extra;
        char *dst = got < cap ? b + got : &extra;
        zip_int64_t r = zip_fread(f, dst, got < cap ? cap - got : 1);
        if (r < 0) {
            snprintf(err, errn, "%s: damaged in the zip (%s)", name, zip_file_strerror(f));
            zip_fclose(f);
            free(b);
            return -1;
        }
        if (r == 0)
            break;
        if (got >= cap) {
            snprintf(err, errn, "%s holds more than the %llu bytes its zip header states", name,
                     (unsigned long long)st.size);
            zip_fclose(f);
            free(b);
            return -1;
        }
        got += (size_t)r;
    }
    zip_fclose(f);
    b[got] = '\0';
    x->total += got;
    *buf = b;
    *len = got;
    return 1;
}

void xlsx_zip_close(xlsx_zip *x)
{
    if (!x)
        return;
    zip_discard(x->z);
    free(x);
}
