/* evidence_lists_test.c - rhv.evidence_lists: entries kept in order, a
 * transaction's lines summed, the cap counted, bad calls and the memory cap
 * raised as errors. */
#include <check.h>
#include <lauxlib.h>
#include <lualib.h>
#include <stdlib.h>
#include <string.h>

#include "evidence_lists.h"

typedef struct {
    size_t used, limit;
} cap;

static void *capped(void *ud, void *p, size_t osize, size_t nsize)
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
    if (n)
        c->used = c->used - old + nsize;
    return n;
}

static lua_State *new_state(cap *c)
{
    lua_State *L = lua_newstate(capped, c);
    luaL_openlibs(L);
    lua_newtable(L);
    evidence_lists_register(L);
    lua_setglobal(L, "rhv");
    /* dump(ls, id): the list as text, "line amount where text;" per entry,
     * then "kept/omitted" */
    ck_assert(luaL_dostring(L, "function dump(ls, id)\n"
                     "  local t = {}\n"
                     "  for line, amount, where, text in ls.entries(id) do\n"
                     "    t[#t + 1] = line .. ' ' .. amount .. ' ' .. where .. ' ' .. text .. ';'\n"
                     "  end\n"
                     "  local kept, omitted = ls.count(id)\n"
                     "  return table.concat(t) .. kept .. '/' .. omitted\n"
                     "end") == LUA_OK);
    return L;
}

/* Runs a chunk that returns a string into out; 0 on success, else the error in out. */
static int run(lua_State *L, const char *code, char *out, size_t n)
{
    int st = luaL_dostring(L, code);
    snprintf(out, n, "%s", lua_tostring(L, -1) ? lua_tostring(L, -1) : "(not a string)");
    lua_settop(L, 0);
    return st == LUA_OK ? 0 : -1;
}

#define EXPECT(L, code, want)                                                                                       \
    do {                                                                                                            \
        char out_[512];                                                                                             \
        ck_assert_msg(run(L, code, out_, sizeof out_) == 0, "error: %s", out_);                                     \
        ck_assert_str_eq(out_, want);                                                                               \
    } while (0)

#define EXPECT_ERROR(L, code, part)                                                                                 \
    do {                                                                                                            \
        char out_[512];                                                                                             \
        ck_assert_msg(run(L, code, out_, sizeof out_) == -1, "no error: %s", out_);                                 \
        ck_assert_msg(strstr(out_, part), "message: %s", out_);                                                     \
    } while (0)

START_TEST(keeps_entries_in_order_and_sums_a_transaction)
{
    cap c = {0, (size_t)1 << 30};
    lua_State *L = new_state(&c);
    EXPECT(L,
           "ls = rhv.evidence_lists(3); a, b = ls.new(), ls.new()\n"
           "ls.add(a, 7, 10, 100, 1, 'T1'); ls.add(a, 7, 11, 5, 2, 'ignored')\n" /* same tx: 105 */
           "ls.add(b, 7, 12, -30, 3, 'T1')\n"                                    /* another list */
           "ls.add(a, 8, 20, 0, 1, ''); ls.add(a, 8, 21, 4, 1, '')\n"          /* the second entry grows */
           "ls.add(a, 7, 30, 1, 1, 'T1b')\n"                                    /* tx 7 again, not last */
           "return a .. b .. ':' .. dump(ls, a) .. '|' .. dump(ls, b)",
           "12:10 105 1 T1;20 4 1 ;30 1 1 T1b;3/0|12 -30 3 T1;1/0");
    /* full: tx 9 is omitted, its further lines change nothing; tx 10 counts again */
    EXPECT(L,
           "ls.add(a, 9, 40, 50, 1, 'T9'); ls.add(a, 9, 41, 50, 1, 'T9'); ls.add(a, 10, 42, 1, 1, 'T10')\n"
           "ls.add(a, 10, 43, 1, 1, 'T10'); return dump(ls, a)",
           "10 105 1 T1;20 4 1 ;30 1 1 T1b;3/2");
    /* the last kept entry still grows while its transaction books... but not after another one */
    EXPECT(L, "ls.add(b, 7, 13, -1, 3, 'T1'); return dump(ls, b)", "12 -31 3 T1;1/0");
    lua_close(L);
    ck_assert_int_eq((long long)c.used, 0);
}
END_TEST

START_TEST(values_come_back_as_given)
{
    cap c = {0, (size_t)1 << 30};
    lua_State *L = new_state(&c);
    EXPECT(L,
           "local ls = rhv.evidence_lists(10); local a = ls.new()\n"
           "local long = string.rep('x', 300) .. '\\0y'\n"
           "ls.add(a, -1, -5, math.mininteger, math.maxinteger, long)\n"
           "ls.add(a, 2, math.maxinteger, math.maxinteger, 0, 'e')\n"
           "local t = {}\n"
           "for line, amount, where, text in ls.entries(a) do t[#t + 1] = {line, amount, where, text} end\n"
           "return (#t == 2 and t[1][1] == -5 and t[1][2] == math.mininteger and t[1][3] == math.maxinteger\n"
           "  and t[1][4] == long and t[2][1] == math.maxinteger and t[2][2] == math.maxinteger and t[2][4] == 'e')\n"
           "  and 'ok' or 'wrong'",
           "ok");
    /* max 0 keeps nothing and counts every transaction */
    EXPECT(L,
           "local ls = rhv.evidence_lists(0); local a = ls.new()\n"
           "ls.add(a, 1, 1, 1, 1, 'a'); ls.add(a, 1, 2, 1, 1, 'a'); ls.add(a, 2, 3, 1, 1, 'b')\n"
           "return dump(ls, a)",
           "0/2");
    lua_close(L);
    ck_assert_int_eq((long long)c.used, 0);
}
END_TEST

START_TEST(many_lists_stay_apart)
{
    cap c = {0, (size_t)1 << 30};
    lua_State *L = new_state(&c);
    /* 3,000 lists, 300,000 transactions booked round-robin; every list keeps its first 100 */
    EXPECT(L,
           "local ls = rhv.evidence_lists(100); local ids = {}\n"
           "for i = 1, 3000 do ids[i] = ls.new() end\n"
           "for tx = 1, 300000 do local i = tx % 3000 + 1; ls.add(ids[i], tx, tx, tx, i, 'N' .. tx) end\n"
           "local bad = 0\n"
           "for i = 1, 3000, 7 do\n"
           "  local n, prev = 0, 0\n"
           "  for line, amount, where, text in ls.entries(ids[i]) do\n"
           "    n = n + 1\n"
           "    if line <= prev or amount ~= line or where ~= i or text ~= 'N' .. line or line % 3000 + 1 ~= i then\n"
           "      bad = bad + 1 end\n"
           "    prev = line\n"
           "  end\n"
           "  local kept, omitted = ls.count(ids[i])\n"
           "  if n ~= 100 or kept ~= 100 or omitted ~= 0 or prev ~= 3000 * 99 + i - 1 + (i == 1 and 3000 or 0) then\n"
           "    bad = bad + 1 end\n"
           "end\n"
           "return tostring(bad)",
           "0");
    lua_close(L);
    ck_assert_int_eq((long long)c.used, 0);
}
END_TEST

START_TEST(bad_calls_are_errors)
{
    cap c = {0, (size_t)1 << 30};
    lua_State *L = new_state(&c);
    EXPECT(L, "ls = rhv.evidence_lists(5); a = ls.new(); return tostring(a)", "1");
    EXPECT_ERROR(L, "ls.add(2, 1, 1, 1, 1, 'x')", "no list 2");
    EXPECT_ERROR(L, "ls.add(0, 1, 1, 1, 1, 'x')", "no list 0");
    EXPECT_ERROR(L, "ls.add(a, 1, 1, 1.5, 1, 'x')", "amount must be an integer, got a float");
    EXPECT_ERROR(L, "ls.add(a, 1, 1, 1, 1, 5)", "text must be a string");
    EXPECT_ERROR(L, "ls.add(a, 1, 'l1', 1, 1, 'x')", "line must be an integer, got string");
    EXPECT_ERROR(L, "ls.add({}, 1, 1, 1, 1, 'x')", "the list must be an integer, got table");
    EXPECT_ERROR(L, "ls.add(a, 1, 1.5, 1, 1, 'x')", "line must be an integer, got a float");
    EXPECT_ERROR(L, "ls.add(a, 1, 1, 2.0, 1, 'x')", "amount must be an integer, got a float");
    EXPECT_ERROR(L, "ls.count(a + 1)", "no list");
    EXPECT_ERROR(L, "rhv.evidence_lists(-1)", "max must be 0 ..");
    EXPECT_ERROR(L, "rhv.evidence_lists(1 << 31)", "max must be 0 ..");
    EXPECT_ERROR(L, "ls.add(a, 1, 1, math.maxinteger, 1, 'x'); ls.add(a, 1, 2, 1, 1, 'x')", "overflows");
    /* the functions keep their set when the table is gone */
    EXPECT(L, "local add, entries, count = ls.add, ls.entries, ls.count; ls = nil; collectgarbage()\n"
              "add(a, 2, 5, 6, 7, 'y'); ls = { entries = entries, count = count }; return 'ok'", "ok");
    EXPECT(L, "return dump(ls, a)", "1 9223372036854775807 1 x;5 6 7 y;2/0");
    lua_close(L);
    ck_assert_int_eq((long long)c.used, 0);
}
END_TEST

START_TEST(memory_cap_is_an_error_not_a_crash)
{
    cap c = {0, (size_t)1 << 30};
    lua_State *L = new_state(&c);
    c.limit = c.used + 600 * 1024; /* room for the state, not for 1,000 lists of 1,000 entries */
    EXPECT_ERROR(L,
                 "ls = rhv.evidence_lists(1000); ids = {}\n"
                 "for i = 1, 1000 do ids[i] = ls.new() end\n"
                 "for tx = 1, 1000000 do ls.add(ids[tx % 1000 + 1], tx, tx, 1, 1, 'trNr') end",
                 "evidence_lists: not enough memory");
    /* the lists are as they were before the failed add: every entry whole
     * (read with room to compile the check) */
    c.limit += 256 * 1024;
    EXPECT(L,
           "local n, bad = 0, 0\n"
           "for i = 1, 1000 do for line, amount, where, text in ls.entries(ids[i]) do\n"
           "  n = n + 1; if amount ~= 1 or where ~= 1 or text ~= 'trNr' or line % 1000 + 1 ~= i then bad = bad + 1 end\n"
           "end end\n"
           "return (n > 1000 and bad == 0) and 'ok' or ('n ' .. n .. ' bad ' .. bad)",
           "ok");
    /* the state is still usable once the lists are gone */
    EXPECT(L,
           "ls, ids = nil, nil; collectgarbage(); local s = rhv.evidence_lists(1); local a = s.new()\n"
           "s.add(a, 1, 2, 3, 4, 'z'); return dump(s, a)",
           "2 3 4 z;1/0");
    lua_close(L);
    ck_assert_int_eq((long long)c.used, 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("evidence_lists");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, keeps_entries_in_order_and_sums_a_transaction);
    tcase_add_test(tc, values_come_back_as_given);
    tcase_add_test(tc, many_lists_stay_apart);
    tcase_add_test(tc, bad_calls_are_errors);
    tcase_add_test(tc, memory_cap_is_an_error_not_a_crash);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
