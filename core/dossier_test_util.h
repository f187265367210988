/* dossier_test_util.h - what the dossier reader's unit tests share: a sink
 * that collects what it is handed (types, lines, the verdict's sums), the
 * checks on the messages, and a temporary folder with an empty ledger in it.
 *
 * Contract: make_tmpdir() makes tmpdir (under TMPDIR, else /tmp) with l.xaf
 * in it; remove_tmpdir() removes l.xaf, d.xml and the folder. */
#ifndef RHV_DOSSIER_TEST_UTIL_H
#define RHV_DOSSIER_TEST_UTIL_H

#include <check.h>
#include <stdint.h>

#include "dossier.h"
#include "dossier_internal.h"
#include "register_decl.h"
#include "verdict.h"


typedef struct {
    int n;
    int stop_after;                 /* 0: never stop */
    char types[64][24];
    long lines[64];
    int64_t ints[64];               /* first money/int field, for spot checks */
    verdict_basis basis;            /* the verdict's sums over the records handed on */
} collected;

extern char tmpdir[256];
int collect(void *ud, const rhv_record *r);
int has_error(const rhv_diag *d, const char *file, long line, const char *needle);
void dump(const rhv_diag *d);
const rhv_value *fv(const rhv_record *r, const char *name);
void make_tmpdir(void);
void remove_tmpdir(void);
/* Runs tc in the suite "dossier"; the exit status for main. */
int dossier_test_run(TCase *tc);

#endif
