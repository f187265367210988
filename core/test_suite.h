/* test_suite.h - a rule's test file (rules/<id>_test.lua, docs/rule-api.md,
 * "Tests") read into plain C data for `rhv test` (cmd_test.c).
 *
 * Contract:
 * - test_suite_load() runs the test file in its own sandbox, with the shared
 *   record builders of plugins/lib/testlib.lua as the global `rhvtest`, and
 *   copies every case out of Lua: nothing in a suite_t points into a Lua state.
 * - A malformed case does not stop the reading: it gets case_t.error (the
 *   first problem found, one line) and the other cases are still read. Only a
 *   file that cannot be run or does not return a list of cases fails as a
 *   whole (the returned error).
 * - Case records are checked against the record schema and value.h exactly as
 *   a reader would produce them: a test must not feed a rule something the
 *   readers never could. Unknown keys in a case or an expectation are errors,
 *   so a typo cannot silently turn off a check.
 * - The suite owns everything in it; test_suite_free() frees it all, also
 *   after a failed load.
 */
#ifndef RHV_TEST_SUITE_H
#define RHV_TEST_SUITE_H

#include <stddef.h>
#include <stdint.h>

#include "finding.h"
#include "params.h"
#include "record.h"
#include "value.h"

typedef struct {
    finding_kind kind;
    char *subject;
    int64_t amount;
    int counts; /* -1: not checked */
} expect_t;

typedef struct {
    const rhv_record_type *type;
    rhv_value *v;
    char *file;
    long line;
} rec_t;

typedef struct {
    char *name, *cls;
    int fiscal_year; /* the case's `year` */
    char **args;     /* "key=value" */
    size_t nargs;
    char **pnames;
    rhv_pvalue *pvals;
    size_t nparams;
    rec_t *recs;
    size_t nrecs;
    expect_t *exp;
    size_t nexp;
    char *error; /* the case itself is malformed */
} case_t;

typedef struct {
    const char *testfile;
    case_t *cases;
    size_t n;
} suite_t;

/* Load testfile into s (s zeroed by the caller); NULL or a malloc'd error. */
char *test_suite_load(const char *testfile, const char *plugins_dir, suite_t *s);
void test_suite_free(suite_t *s);

#endif
