/* sandbox_test_util.h - what the sandbox's unit tests share: one sealed
 * sandbox per test (setup/teardown as the test case's checked fixture) and
 * ways to run a chunk in it.
 *
 * Contract: setup() makes sb (16 MiB, 5e6 instructions, a 20 s wall-clock
 * limit so a loaded machine does not trip other limits) and L, its state;
 * run() and expect_error() leave the stack as it was. */
#ifndef RHV_SANDBOX_TEST_UTIL_H
#define RHV_SANDBOX_TEST_UTIL_H

#include <check.h>
#include <lua.h>

#include "sandbox.h"


#define MIB (1024u * 1024u)

extern sandbox *sb;
extern lua_State *L;
void setup(void);
void teardown(void);
/* Runs a chunk; returns the status, *err gets the message (or NULL). */
int run(const char *code, char **err);
/* Runs a chunk that returns one value; returns it as a boolean. */
int truthy(const char *code);
/* The chunk fails with a message that holds needle. */
void expect_error(const char *code, const char *needle);
/* Runs tc (with setup/teardown, 60 s) in the suite "sandbox"; the exit
 * status for main. */
int sandbox_test_run(TCase *tc);

#endif
