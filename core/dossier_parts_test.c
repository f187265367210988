/* dossier_parts_test.c - the parts behind dossier_read (dossier_internal.h):
 * keys per kind, the line reader, cutting a shown value. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dossier_test_util.h"

/* ---- the parts behind dossier_read (dossier_internal.h) ------------------- */

/* Keys are exact and kept per kind; growing the table keeps each key's first line. */
START_TEST(keys_exact_per_kind)
{
    ds_keyset k;
    memset(&k, 0, sizeof k);
    char key[32];
    for (int i = 0; i < 5000; i++) {
        int n = snprintf(key, sizeof key, "k%d", i);
        ck_assert_int_eq(ds_keys_check(&k, 'p', key, (size_t)n, 10 + i, 1), 0);
    }
    for (int i = 0; i < 5000; i++) {
        int n = snprintf(key, sizeof key, "k%d", i);
        ck_assert_int_eq(ds_keys_check(&k, 'p', key, (size_t)n, 99999, 1), 10 + i);
        ck_assert_int_eq(ds_keys_check(&k, 'r', key, (size_t)n, 0, 0), 0);
    }
    ck_assert_int_eq(ds_keys_check(&k, 'r', "k1", 2, 0, 0), 0); /* a lookup without insert adds nothing */
    ck_assert_int_eq(ds_keys_check(&k, 'p', "k", 1, 0, 0), 0);   /* a prefix is another key */
    /* An earlier entry is reported with a line > 0 even when it was kept without one. */
    ck_assert_int_eq(ds_keys_check(&k, 'L', "x", 1, 0, 1), 0);
    ck_assert_int_eq(ds_keys_check(&k, 'L', "x", 1, 5, 1), 1);
    ck_assert_uint_eq(k.used, 5001);
    ds_keys_free(&k);
}
END_TEST

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

/* The scanner gives the '<' line and each attribute's line through comments,
 * CDATA, namespace declarations and prefixes; the first disagreement with
 * libxml2 switches it off for good. */
START_TEST(lines_follow_and_give_up)
{
    make_tmpdir();
    char path[512];
    snprintf(path, sizeof path, "%s/d.xml", tmpdir);
    write_file(path, "<?xml version=\"1.0\"?>\n"
                     "<!-- <fake attr=\"1\"> -->\n"
                     "<dossier xmlns=\"urn:rhv:dossier:1\"\n"
                     "         xmlns:x=\"urn:x\">\n"
                     "  <a\n"
                     "     one=\"1\"\n"
                     "     two='2>'\n"
                     "  /><![CDATA[ <c d=\"e\"> ]]>\n"
                     "  <x:b x:y=\"3\" z=\"4\"></x:b>\n"
                     "</dossier>\n");
    ds_lines ts;
    long line;
    const long *al;
    ds_lines_open(&ts, path);
    ds_lines_follow(&ts, "dossier", 0, 4, &line, &al);
    ck_assert_int_eq(line, 3);
    ck_assert_ptr_nonnull(al);
    ds_lines_follow(&ts, "a", 2, 8, &line, &al);
    ck_assert_int_eq(line, 5);
    ck_assert_ptr_nonnull(al);
    ck_assert_int_eq(al[0], 6);
    ck_assert_int_eq(al[1], 7);
    ds_lines_follow(&ts, "b", 2, 9, &line, &al);
    ck_assert_int_eq(line, 9);
    ck_assert_ptr_nonnull(al);
    ck_assert_int_eq(al[1], 9);
    ds_lines_close(&ts);

    ds_lines_open(&ts, path);
    ds_lines_follow(&ts, "dossier", 0, 3, &line, &al); /* libxml2 says another '>' line */
    ck_assert_int_eq(line, 3);
    ck_assert_ptr_null(al);
    ds_lines_follow(&ts, "a", 2, 8, &line, &al); /* off: libxml2's line from now on */
    ck_assert_int_eq(line, 8);
    ck_assert_ptr_null(al);
    ds_lines_close(&ts);

    ds_lines_open(&ts, "/nonexistent/rhv/d.xml");
    ds_lines_follow(&ts, "dossier", 0, 7, &line, &al);
    ck_assert_int_eq(line, 7);
    ck_assert_ptr_null(al);
    ds_lines_close(&ts);
    remove_tmpdir();
}
END_TEST

/* A quoted value is cut at DS_SHOW_MAX bytes, never inside a UTF-8 character. */
START_TEST(show_len_cuts_on_character)
{
    char s[128] = "a";
    for (int i = 0; i < 40; i++)
        strcat(s, "\xc3\xa9");
    ck_assert_int_eq(ds_show_len(s, strlen(s)), DS_SHOW_MAX - 1);
    ck_assert_int_eq(ds_show_len(s + 1, strlen(s + 1)), DS_SHOW_MAX);
    ck_assert_int_eq(ds_show_len(s, 7), 7);
}
END_TEST

int main(void)
{
    TCase *tc = tcase_create("dossier");
    tcase_add_test(tc, keys_exact_per_kind);
    tcase_add_test(tc, lines_follow_and_give_up);
    tcase_add_test(tc, show_len_cuts_on_character);
    return dossier_test_run(tc);
}
