/* capped_state_test_util.h - a Lua state with a memory cap, for the tests of
 * the rule library's C structures (keyset, evidence_lists): their memory must
 * come from the state's allocator and stop at its cap like the sandbox's.
 *
 * Contract:
 * - capped_state_new(c, reg): a state with Lua's standard libraries and a
 *   global table `rhv` that reg fills (keyset_register, ...); every
 *   allocation of the state counts in c->used and fails (NULL, an error in
 *   Lua) when it would take c->used over c->limit. A test may move c->limit
 *   at any time; after lua_close c->used is 0 unless something leaked.
 */
#ifndef RHV_CAPPED_STATE_TEST_UTIL_H
#define RHV_CAPPED_STATE_TEST_UTIL_H

#include <lua.h>
#include <stddef.h>

typedef struct {
    size_t used, limit;
} cap;

lua_State *capped_state_new(cap *c, void (*reg)(lua_State *L));

#endif
