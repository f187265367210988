/* capped_state_test_util.c - see capped_state_test_util.h */
#include "capped_state_test_util.h"

#include <check.h>
#include <lauxlib.h>
#include <lualib.h>
#include <stdlib.h>

void *capped_alloc(void *ud, void *p, size_t osize, size_t nsize)
{
    cap *c = ud;
    size_t old = p ? osize : 0;
    if (nsize == 0) {
        c->used -= old;
        free(p);
        return NULL;
    }
    if (nsize > old && c->used + (nsize - old) > c->limit)
        return NULL;
    void *n = realloc(p, nsize);
    if (n) {
        c->used = c->used - old + nsize;
        if (c->used > c->peak)
            c->peak = c->used;
    }
    return n;
}

lua_State *capped_state_new(cap *c, void (*reg)(lua_State *L))
{
    lua_State *L = lua_newstate(capped_alloc, c);
    ck_assert_ptr_nonnull(L);
    luaL_openlibs(L);
    lua_newtable(L);
    reg(L);
    lua_setglobal(L, "rhv");
    return L;
}
