/* fuzz_file.h - for the fuzz targets whose reader takes a path (the workbook,
 * a CSV register, the --vorige report): a private folder made once per
 * process, and the input written to a file in it, so the bytes go through
 * exactly the code `rhv check` runs on a file. */
#ifndef RHV_FUZZ_FILE_H
#define RHV_FUZZ_FILE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The folder (made on the first call in $TMPDIR, removed at exit with what it
 * holds; a crash leaves it, which is why tools/fuzz.sh points TMPDIR into the build). */
static char fuzz_dir_buf[256];
static const char *fuzz_file_names[4];
static int fuzz_nfile_names;

static void fuzz_dir_cleanup(void)
{
    char p[512];
    for (int i = 0; i < fuzz_nfile_names; i++) {
        snprintf(p, sizeof p, "%s/%s", fuzz_dir_buf, fuzz_file_names[i]);
        unlink(p);
    }
    rmdir(fuzz_dir_buf);
}

static const char *fuzz_dir(void)
{
    if (!fuzz_dir_buf[0]) {
        const char *t = getenv("TMPDIR");
        snprintf(fuzz_dir_buf, sizeof fuzz_dir_buf, "%s/rhv-fuzz-XXXXXX", t && *t && strlen(t) < 200 ? t : "/tmp");
        if (!mkdtemp(fuzz_dir_buf)) {
            perror("fuzz: mkdtemp");
            abort();
        }
        atexit(fuzz_dir_cleanup);
    }
    return fuzz_dir_buf;
}

/* Writes len bytes at data to fuzz_dir()/name (name a literal, at most 4
 * distinct ones); returns the path in buf. */
static const char *fuzz_write(const char *name, const void *data, size_t len, char *buf, size_t n)
{
    int known = 0;
    for (int i = 0; i < fuzz_nfile_names; i++)
        known |= fuzz_file_names[i] == name;
    if (!known && fuzz_nfile_names < 4)
        fuzz_file_names[fuzz_nfile_names++] = name;
    snprintf(buf, n, "%s/%s", fuzz_dir(), name);
    FILE *f = fopen(buf, "wb");
    if (!f || (len && fwrite(data, 1, len, f) != len) || fclose(f) != 0) {
        perror("fuzz: writing the input file");
        abort();
    }
    return buf;
}

#endif
