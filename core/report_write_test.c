/* report_write_test.c - the atomic write of a report: the target is replaced
 * whole or not at all, and "-" writes to stdout. */
#include "report.h"
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "report_test_util.h"

/* ---- atomic write -------------------------------------------------------- */

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    int ch;
    while ((ch = fgetc(f)) != EOF)
        fputc(ch, m);
    fclose(m);
    fclose(f);
    return buf;
}

static size_t count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

static int failing_writer(FILE *out, const rhv_report *r)
{
    (void)r;
    fputs("half a report", out);
    return -1;
}

START_TEST(atomic_write_replaces_target)
{
    char dir[] = "/tmp/rhv-report-test-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char target[256];
    snprintf(target, sizeof target, "%s/rapport.json", dir);
    FILE *old = fopen(target, "w");
    ck_assert_ptr_nonnull(old);
    fputs("old content\n", old);
    fclose(old);

    fixture x;
    fixture_init(&x, "gemeenschappelijke regeling", 0, false);
    rhv_diag d;
    diag_init(&d, NULL);
    ck_assert_int_eq(report_write_atomic(target, report_json, &x.r, &d), 0);
    ck_assert_uint_eq(d.errors, 0);
    char *want = render(report_json, &x.r);
    char *got = slurp(target);
    ck_assert_ptr_nonnull(got);
    ck_assert_str_eq(got, want);
    free(got);
    ck_assert_uint_eq(count_entries(dir), 1); /* no temporary file left */
    struct stat st;
    ck_assert_int_eq(stat(target, &st), 0);
    ck_assert_int_eq(st.st_mode & 0777, 0644); /* like fopen under umask 022, not mkstemp's 0600 */

    /* A writer that fails leaves the old report as it was, and no temp file. */
    ck_assert_int_eq(report_write_atomic(target, failing_writer, &x.r, &d), -1);
    ck_assert_uint_eq(d.errors, 1);
    ck_assert(diag_contains(&d, "rapport.json"));
    got = slurp(target);
    ck_assert_str_eq(got, want);
    free(got);
    ck_assert_uint_eq(count_entries(dir), 1);

    /* Into a folder that does not exist: a clean error, nothing created. */
    char missing[300];
    snprintf(missing, sizeof missing, "%s/nope/rapport.txt", dir);
    ck_assert_int_eq(report_write_atomic(missing, report_text, &x.r, &d), -1);
    ck_assert_uint_eq(d.errors, 2);
    ck_assert(diag_contains(&d, "nope/rapport.txt"));
    ck_assert_uint_eq(count_entries(dir), 1);

    free(want);
    unlink(target);
    rmdir(dir);
    diag_free(&d);
    fixture_free(&x);
}
END_TEST

START_TEST(write_to_stdout)
{
    char dir[] = "/tmp/rhv-report-test-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/stdout.txt", dir);
    fixture x;
    fixture_init(&x, "gemeente", 0, false);
    rhv_diag d;
    diag_init(&d, NULL);

    /* "-" and NULL both mean stdout: point fd 1 at a file for the test. */
    fflush(stdout);
    int saved = dup(1);
    ck_assert_int_ge(saved, 0);
    ck_assert_ptr_nonnull(freopen(path, "w", stdout));
    int rc1 = report_write_atomic("-", report_text, &x.r, &d);
    int rc2 = report_write_atomic(NULL, report_text, &x.r, &d);
    fflush(stdout);
    ck_assert_int_ge(dup2(saved, 1), 0);
    close(saved);
    ck_assert_int_eq(rc1, 0);
    ck_assert_int_eq(rc2, 0);
    ck_assert_uint_eq(d.errors, 0);

    char *want = render(report_text, &x.r);
    char *got = slurp(path);
    ck_assert_ptr_nonnull(got);
    ck_assert_uint_eq(strlen(got), 2 * strlen(want));
    ck_assert(strncmp(got, want, strlen(want)) == 0);
    free(got);
    free(want);
    unlink(path);
    rmdir(dir);
    diag_free(&d);
    fixture_free(&x);
}
END_TEST

int main(void)
{
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, atomic_write_replaces_target);
    tcase_add_test(tc, write_to_stdout);
    return report_test_run(tc);
}
