/* engine_test_util.h - what the engine's unit tests share: the fixture
 * folders (tests/fixtures/rules: ok/ good rules, bad/ one defect each,
 * params/), an engine made for a test (small limits, its messages in diag),
 * and records handed to it as a reader would.
 *
 * Contract: engine_test_setup() fills the folder names from rhv_home() and
 * readies diag before any test runs; mk_engine*() fail the running test when
 * no engine can be made; the record builders share one value array (pv), so
 * a record lives until the next one is built.
 *
 * UNDER_TSAN is 1 in a ThreadSanitizer build (`./dev tsan`): a test leaves out
 * its runaway rule there, because the watchdog stops one with a signal and
 * ThreadSanitizer delivers a signal only when the thread calls a function it
 * intercepts, which a rule spinning inside liblua never does (docs/testing.md). */
#ifndef RHV_ENGINE_TEST_UTIL_H
#define RHV_ENGINE_TEST_UTIL_H

#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#include "engine.h"
#include "params.h"

#if defined(__SANITIZE_THREAD__)
#define UNDER_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define UNDER_TSAN 1
#endif
#endif
#ifndef UNDER_TSAN
#define UNDER_TSAN 0
#endif

extern char fixdir[2048], plugdir[2048], pardir[2048], homedir[2048];
extern rhv_diag diag;
const char *fx(const char *rel);
rhv_engine *mk_engine_threads(int threads);
const rhv_rule_info *rule_by_id(rhv_engine *e, const char *id);
rhv_engine *mk_engine(void);
extern rhv_value pv[16];
void programma(rhv_engine *e, const char *code, const char *naam, int64_t begroot, int64_t real, long line);
void programma_cat(rhv_engine *e, const char *code, const char *cat);
void trline(rhv_engine *e, const char *sup, int64_t amnt, const char *tp);
void organisation(rhv_engine *e, const char *naam);
/* The folders from rhv_home() and diag ready; first thing in main. */
void engine_test_setup(void);
/* Runs tc in the suite "engine"; the exit status for main. */
int engine_test_run(TCase *tc);

#endif
