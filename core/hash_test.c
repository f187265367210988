/* hash_test.c - sha256_reader: whatever the caller reads of a file (all of
 * it, a part, nothing), in whatever pieces, the digest is the file's
 * (sha256_file), with the hashing thread and without; and the bytes read are
 * the file's. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_run.h"
#include "hash.h"

#define BLOCK (32 * 1024) /* hash.c's block: sizes around its multiples are the edges */

static const size_t sizes[] = {0, 1, 4, BLOCK - 1, BLOCK, BLOCK + 1, 4 * BLOCK, 9 * BLOCK + 7};

/* A file of n pseudo-random bytes; its path in path (caller unlinks). */
static unsigned char *make_file(size_t n, char path[64])
{
    snprintf(path, 64, "/tmp/rhv_hash_test_XXXXXX");
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    unsigned char *b = malloc(n ? n : 1);
    ck_assert_ptr_nonnull(b);
    unsigned x = 12345u + (unsigned)n;
    for (size_t i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        b[i] = (unsigned char)(x >> 16);
    }
    ck_assert_int_eq(write(fd, b, n), (ssize_t)n);
    close(fd);
    return b;
}

/* Reads `upto` bytes in pieces of `piece`, checks them, ends the reader. */
static void read_and_check(const char *path, const unsigned char *want, size_t n, size_t upto, size_t piece,
                           bool hash)
{
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    sha256_reader *r = sha256_reader_new(f, hash);
    ck_assert_ptr_nonnull(r);
    unsigned char *buf = malloc(piece);
    ck_assert_ptr_nonnull(buf);
    size_t at = 0;
    while (at < upto) {
        size_t ask = upto - at < piece ? upto - at : piece;
        size_t got = sha256_reader_read(r, buf, ask);
        ck_assert_uint_eq(got, ask < n - at ? ask : n - at);
        ck_assert_int_eq(memcmp(buf, want + at, got), 0);
        at += got;
        if (got < ask)
            break;
    }
    if (upto >= n)
        ck_assert_uint_eq(sha256_reader_read(r, buf, piece), 0);
    ck_assert(!sha256_reader_error(r));
    char hex[SHA256_HEX_LEN], ref[SHA256_HEX_LEN];
    int rc = sha256_reader_end(r, hex);
    fclose(f);
    free(buf);
    if (!hash) {
        ck_assert_int_eq(rc, -1);
        ck_assert_str_eq(hex, "");
        return;
    }
    ck_assert_int_eq(rc, 0);
    ck_assert_int_eq(sha256_file(path, ref), 0);
    ck_assert_str_eq(hex, ref);
}

static void all_reads(bool threads)
{
    sha256_reader_threads(threads);
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        char path[64];
        size_t n = sizes[i];
        unsigned char *b = make_file(n, path);
        read_and_check(path, b, n, n + 1, 4000, true);      /* all of it, as libxml2 pulls */
        read_and_check(path, b, n, n, BLOCK * 3 + 5, true); /* pieces larger than a block */
        read_and_check(path, b, n, n / 3, 1, true);         /* a third, byte by byte (a stopped parse) */
        read_and_check(path, b, n, 0, 16, true);            /* nothing */
        read_and_check(path, b, n, n, 777, false);          /* not hashing */
        unlink(path);
        free(b);
    }
    sha256_reader_threads(false);
}

START_TEST(reader_inline) { all_reads(false); }
END_TEST

START_TEST(reader_thread) { all_reads(true); }
END_TEST

int main(void)
{
    Suite *s = suite_create("hash");
    TCase *tc = tcase_create("reader");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, reader_inline);
    tcase_add_test(tc, reader_thread);
    suite_add_tcase(s, tc);
    return check_run(s);
}
