/* engine_threads_test.c - a run on worker threads gives the same findings as
 * one without; a full queue and a stop without finish behave.
 * Under ThreadSanitizer (UNDER_TSAN, engine_test_util.h) the runaway rule is
 * left out, and only it: every other rule and every comparison stays. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_test_util.h"

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Everything a run reports, as text, to compare runs. */
static char *results(rhv_engine *e)
{
    size_t cap = 1 << 20, o = 0;
    char *buf = malloc(cap);
    ck_assert_ptr_nonnull(buf);
    for (size_t i = 0; i < engine_rule_count(e); i++) {
        const rhv_rule_info *r = engine_rule(e, i);
        o += (size_t)snprintf(buf + o, cap - o, "%s %s %s\n", r->id, rule_status_name(r->status),
                              r->message ? r->message : "-");
    }
    for (size_t i = 0; i < engine_finding_count(e) && o < cap - 512; i++) {
        const rhv_finding *f = engine_finding(e, i);
        o += (size_t)snprintf(buf + o, cap - o, "%s|%s|%s|%lld|%d|%s|%zu|%s:%ld\n", f->rule, finding_kind_name(f->kind),
                              f->subject, (long long)f->amount, f->counts, f->message, f->nev,
                              f->nev ? f->ev[0].file : "", f->nev ? f->ev[0].line : 0);
    }
    /* Diagnostics as a set: with worker threads, rule errors reach diag at
     * engine_finish in rule order rather than when they happened. */
    char **lines = calloc(diag.n + 1, sizeof *lines);
    ck_assert_ptr_nonnull(lines);
    for (size_t i = 0; i < diag.n; i++) {
        char l[1024];
        snprintf(l, sizeof l, "diag %s:%ld %s\n", diag.msgs[i].file, diag.msgs[i].line, diag.msgs[i].message);
        lines[i] = strdup(l);
    }
    qsort(lines, diag.n, sizeof *lines, cmp_str);
    for (size_t i = 0; i < diag.n; i++) {
        if (o < cap - 1100)
            o += (size_t)snprintf(buf + o, cap - o, "%s", lines[i]);
        free(lines[i]);
    }
    free(lines);
    return buf;
}

static char *threaded_run_n(int threads, int nrec)
{
    rhv_engine *e = mk_engine_threads(threads);
    static const char *files[] = {"ok/alpha.lua", "ok/beta.lua", "ok/gamma.lua", "bad/raises.lua",
                                  "bad/optional_reset.lua",
#if !UNDER_TSAN
                                  "bad/runaway.lua"
#endif
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        ck_assert_int_eq(engine_load_file(e, fx(files[i])), 0);
    ck_assert_int_eq(engine_start(e, 2023, SRC_DOSSIER | SRC_LEDGER), 0);
    organisation(e, "GR Westrom");
    char code[16], sup[16];
    for (int i = 0; i < nrec; i++) {
        snprintf(code, sizeof code, "%d", i + 3); /* "2" would stop bad.raises at once */
        if (i % 7 == 0)
            programma_cat(e, code, i % 2 ? "open_einde" : NULL);
        else
            programma(e, code, "P", 1000, 1000 + i % 5, i);
        snprintf(sup, sizeof sup, "S%d", i % 37);
        trline(e, sup, 1000000 + i, i % 3 ? "D" : "C");
    }
    programma(e, "2", "P", 1, 1, 99999); /* now bad.raises fails, late */
    engine_finish(e);
    char *r = results(e);
    engine_free(e);
    return r;
}

static char *threaded_run(int threads)
{
    return threaded_run_n(threads, 3000);
}

START_TEST(threads_same_results)
{
    char *inline_run = threaded_run(0);
    ck_assert_ptr_nonnull(strstr(inline_run, "bad.raises error"));
    if (!UNDER_TSAN)
        ck_assert_ptr_nonnull(strstr(inline_run, "bad.runaway error"));
    ck_assert_ptr_nonnull(strstr(inline_run, "fx.alpha|fout|Programma 4 P|1|1|"));
    ck_assert_ptr_nonnull(strstr(inline_run, "fx.beta|onzekerheid|Leverancier S"));
    for (int threads = 1; threads <= 4; threads++) {
        char *t = threaded_run(threads);
        if (strcmp(t, inline_run) != 0) {
            FILE *f = fopen("/tmp/rhv_threads_inline.txt", "w");
            if (f) {
                fputs(inline_run, f);
                fclose(f);
            }
            f = fopen("/tmp/rhv_threads_threaded.txt", "w");
            if (f) {
                fputs(t, f);
                fclose(f);
            }
        }
        ck_assert_msg(strcmp(t, inline_run) == 0,
                      "threads=%d: results differ (diff /tmp/rhv_threads_inline.txt /tmp/rhv_threads_threaded.txt)",
                      threads);
        free(t);
    }
    free(inline_run);
}
END_TEST

START_TEST(threads_queue_full)
{
    /* 60,000 records (30,000 of each kind): far more than the ring holds (16
     * batches of 1,024, engine_queue.c), so the reading thread also runs rule
     * batches while it waits for room. */
    char *inline_run = threaded_run_n(0, 30000);
    for (int threads = 1; threads <= 3; threads++) {
        char *t = threaded_run_n(threads, 30000);
        ck_assert_msg(strcmp(t, inline_run) == 0, "threads=%d: results differ", threads);
        free(t);
    }
    free(inline_run);
}
END_TEST

START_TEST(threads_stop_without_finish)
{
    rhv_engine *e = mk_engine_threads(2);
    ck_assert_int_eq(engine_load_file(e, fx("ok/alpha.lua")), 0);
    ck_assert_int_eq(engine_load_file(e, fx("ok/beta.lua")), 0);
    ck_assert_int_eq(engine_start(e, 2023, SRC_DOSSIER | SRC_LEDGER), 0);
    for (int i = 0; i < 1000; i++)
        trline(e, "S1", 1, "D");
    engine_free(e); /* joins the workers */
}
END_TEST

int main(void)
{
    engine_test_setup();
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, threads_same_results);
    tcase_add_test(tc, threads_queue_full);
    tcase_add_test(tc, threads_stop_without_finish);
    return engine_test_run(tc);
}
