/* capped_state_test_util.h - a Lua state with a memory cap, for the tests of
 * the rule library's C structures (keyset, evidence_lists): their memory must
 * come from the state's allocator and stop at its cap like the sandbox's.
 *
 * Contract:
 * - capped_alloc is the allocator (a lua_Alloc, ud a cap): every allocation
 *   counts in c->used (its highest value in c->peak) and fails (NULL) when it
 *   would take c->used over c->limit; shrinking and freeing always succeed.
 *   Tests of the C API (keyset_c_*) pass it directly.
 * - capped_state_new(c, reg): a state on capped_alloc with Lua's standard
 *   libraries and a global table `rhv` that reg fills (keyset_register, ...);
 *   a failed allocation is an error in Lua. A test may move c->limit at any
 *   time; after lua_close c->used is 0 unless something leaked.
 */
#ifndef RHV_CAPPED_STATE_TEST_UTIL_H
#define RHV_CAPPED_STATE_TEST_UTIL_H

#include <lua.h>
#include <stddef.h>

typedef struct {
    size_t used, limit, peak;
} cap;

void *capped_alloc(void *ud, void *p, size_t osize, size_t nsize);
lua_State *capped_state_new(cap *c, void (*reg)(lua_State *L));

#endif
