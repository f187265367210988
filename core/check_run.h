/* check_run.h - how every unit test (core/..._test.c) runs its Check suite.
 *
 * Contract:
 * - check_run(s) runs suite s (and frees it) with the output Check's
 *   CK_VERBOSITY environment variable asks for (default: normal), and
 *   returns the test program's exit status: EXIT_SUCCESS when every test
 *   passed, else EXIT_FAILURE.
 */
#ifndef RHV_CHECK_RUN_H
#define RHV_CHECK_RUN_H

#include <check.h>

int check_run(Suite *s);

#endif
