/* keyset_test.c - rhv.keyset: duplicates found, values kept, growth, memory cap. */
#include <check.h>
#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#include "capped_state_test_util.h"
#include "check_run.h"
#include "keyset.h"

/* Runs a chunk that returns one value; returns it as an integer, or -1 on error. */
static long long run(lua_State *L, const char *code, char *err, size_t n)
{
    if (luaL_dostring(L, code) != LUA_OK) {
        snprintf(err, n, "%s", lua_tostring(L, -1));
        lua_settop(L, 0);
        return -1;
    }
    long long v = lua_isinteger(L, -1) ? (long long)lua_tointeger(L, -1) : -2;
    lua_settop(L, 0);
    return v;
}

START_TEST(finds_duplicates_and_keeps_first_value)
{
    cap c = {.limit = (size_t)1 << 30};
    lua_State *L = capped_state_new(&c, keyset_register);
    char err[256] = "";
    ck_assert_int_eq(run(L, "s = rhv.keyset(); return s:add('S1|F7|100', 11) == nil and 1 or 0", err, sizeof err), 1);
    ck_assert_int_eq(run(L, "return s:add('S1|F8|100', 12) == nil and 1 or 0", err, sizeof err), 1);
    ck_assert_int_eq(run(L, "return s:add('S1|F7|100', 99)", err, sizeof err), 11);
    ck_assert_int_eq(run(L, "return s:count()", err, sizeof err), 2);
    ck_assert_int_eq(run(L, "return s:find('S1|F8|100')", err, sizeof err), 12);
    ck_assert_int_eq(run(L, "return s:find('S1|F9|100') == nil and s:count() == 2 and 1 or 0", err, sizeof err), 1);
    /* a key that differs in one byte, and the empty key, are distinct */
    ck_assert_int_eq(run(L, "return s:add('S1|F7|101', 1) == nil and s:add('', 2) == nil and 1 or 0", err,
                         sizeof err), 1);
    ck_assert_int_eq(run(L, "return s:add('', 3)", err, sizeof err), 2);
    lua_close(L);
    ck_assert_int_eq((long long)c.used, 0);
}
END_TEST

START_TEST(grows_to_many_keys_without_false_matches)
{
    cap c = {.limit = (size_t)1 << 30};
    lua_State *L = capped_state_new(&c, keyset_register);
    char err[256] = "";
    long long dups = run(L,
                         "local s, d = rhv.keyset(), 0\n"
                         "for i = 1, 300000 do if s:add('S' .. (i % 3000) .. '|INV' .. i .. '|' .. (i * 7), i) then d = d + 1 end end\n"
                         "for i = 1, 300000, 1000 do if s:add('S' .. (i % 3000) .. '|INV' .. i .. '|' .. (i * 7), 0) ~= i then d = d + 1000000 end end\n"
                         "return d + s:count() * 0 + (s:count() == 300000 and 0 or 1e9 // 1)",
                         err, sizeof err);
    ck_assert_msg(dups == 0, "unexpected matches or lost keys: %lld %s", dups, err);
    lua_close(L);
}
END_TEST

START_TEST(memory_cap_is_an_error_not_a_crash)
{
    cap c = {.limit = (size_t)1 << 30};
    lua_State *L = capped_state_new(&c, keyset_register);
    c.limit = c.used + 600 * 1024; /* room for the state, not for a large set */
    char err[256] = "";
    long long r = run(L, "local s = rhv.keyset(); for i = 1, 1e6 // 1 do s:add('k' .. i, i) end; return 1", err,
                      sizeof err);
    ck_assert_int_eq(r, -1);
    ck_assert_msg(strstr(err, "keyset") || strstr(err, "memory"), "message: %s", err);
    /* the state is still usable */
    ck_assert_int_eq(run(L, "collectgarbage(); local s = rhv.keyset(); return s:add('a', 1) == nil and 7 or 0", err,
                         sizeof err), 7);
    lua_close(L);
    ck_assert_int_eq((long long)c.used, 0);
}
END_TEST

START_TEST(fingerprint_never_zero_and_depends_on_every_byte)
{
    ck_assert(keyset_fingerprint("", 0) != 0);
    char a[40], b[40];
    memset(a, 'x', sizeof a);
    for (size_t i = 0; i < sizeof a; i++) {
        memcpy(b, a, sizeof a);
        b[i] = 'y';
        ck_assert(keyset_fingerprint(a, sizeof a) != keyset_fingerprint(b, sizeof b));
    }
    ck_assert(keyset_fingerprint(a, 9) != keyset_fingerprint(a, 10));
}
END_TEST

/* Key k's fingerprint: spread, but every 512th key has its home among the
 * last 256 slots of any table, so that a cluster runs over the table's end. */
static uint64_t fp_of(uint64_t k)
{
    return k % 512 ? k * 0x9e3779b97f4a7c15ULL : (k << 32) | (0xffffffffu - (uint32_t)(k / 512 % 256));
}

/* Clusters that run over the end of the table and keys that move to both
 * halves when it doubles: every key is found again with its value after
 * each growth. */
START_TEST(growth_in_place_keeps_every_key_also_across_the_end)
{
    cap c = {.limit = (size_t)1 << 30};
    keyset_c ks = {0};
    enum { N = 200000 };
    for (uint64_t k = 1; k <= N; k++) {
        uint64_t fp = fp_of(k);
        int added;
        int64_t *v = keyset_c_slot(&ks, capped_alloc, &c, fp, &added);
        ck_assert_ptr_nonnull(v);
        ck_assert_int_eq(added, 1);
        *v = (int64_t)k;
        if ((k & (k - 1)) == 0 || k == N) { /* at powers of two and at the end: all still there */
            for (uint64_t j = 1; j <= k; j++) {
                const int64_t *f = keyset_c_find(&ks, fp_of(j));
                ck_assert_msg(f && *f == (int64_t)j, "key %llu lost after %llu adds", (unsigned long long)j,
                              (unsigned long long)k);
            }
        }
    }
    ck_assert_uint_eq(ks.count, N);
    ck_assert_ptr_null(keyset_c_find(&ks, 0x1234567ULL << 8));
    keyset_c_free(&ks, capped_alloc, &c);
    ck_assert_uint_eq(c.used, 0);
}
END_TEST

/* Growing never holds the old table beside the new one: the peak is the
 * last table and its bitmap of pending keys (1 bit a slot), not 1.5 times
 * the last table as with a copy. */
START_TEST(growth_peak_is_the_new_table)
{
    cap c = {.limit = (size_t)1 << 30};
    keyset_c ks = {0};
    for (uint64_t k = 1; k <= 300000; k++) {
        int added;
        ck_assert_ptr_nonnull(keyset_c_slot(&ks, capped_alloc, &c, k * 0x9e3779b97f4a7c15ULL, &added));
    }
    const size_t table = keyset_c_bytes(&ks);
    ck_assert_uint_eq(table, (size_t)524288 * sizeof(keyset_slot));
    ck_assert_msg(c.peak <= table + table / 2 / 64, "peak %zu for a table of %zu", c.peak, table);
    /* a refused growth leaves the set as it was */
    c.limit = c.used + 1000;
    size_t n = ks.count;
    int added = 0;
    uint64_t k = 300001;
    while (keyset_c_slot(&ks, capped_alloc, &c, k * 0x9e3779b97f4a7c15ULL, &added))
        k++;
    ck_assert_uint_eq(ks.count, n + (k - 300001));
    for (uint64_t j = 1; j < k; j += 997)
        ck_assert_ptr_nonnull(keyset_c_find(&ks, j * 0x9e3779b97f4a7c15ULL));
    keyset_c_free(&ks, capped_alloc, &c);
    ck_assert_uint_eq(c.used, 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("keyset");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, finds_duplicates_and_keeps_first_value);
    tcase_add_test(tc, grows_to_many_keys_without_false_matches);
    tcase_add_test(tc, memory_cap_is_an_error_not_a_crash);
    tcase_add_test(tc, fingerprint_never_zero_and_depends_on_every_byte);
    tcase_add_test(tc, growth_in_place_keeps_every_key_also_across_the_end);
    tcase_add_test(tc, growth_peak_is_the_new_table);
    suite_add_tcase(s, tc);
    return check_run(s);
}
