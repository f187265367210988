/* evidence_lists_test.c - rhv.evidence_lists: entries kept in order, a
 * transaction's lines summed, the cap counted, bad calls and the memory cap
 * raised as errors. */
#include <check.h>
#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#include "capped_state_test_util.h"
#include "check_run.h"
#include "evidence_lists.h"

static lua_State *new_state(cap *c)
{
    lua_State *L = capped_state_new(c, evidence_lists_register);
    /* dump(ls, id): the list as text, "line amount text a b c;" per entry
     * (nil: -), then "kept/omitted" */
    ck_assert(luaL_dostring(L, "function dump(ls, id)\n"
                     "  local t = {}\n"
                     "  for line, amount, text, a, b, c in ls.entries(id) do\n"
                     "    t[#t + 1] = line .. ' ' .. amount .. ' ' .. text .. ' ' .. (a or '-') .. ' ' .. (b or '-')\n"
                     "      .. ' ' .. (c or '-') .. ';'\n"
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
    cap c = {.limit = (size_t)1 << 30};
    lua_State *L = new_state(&c);
    EXPECT(L,
           "ls = rhv.evidence_lists(3); a, b = ls.new(), ls.new()\n"
           "ls.add(a, 7, 10, 100, 'T1', 'f', 'j', 'S1'); ls.add(a, 7, 11, 5, 'ignored', 'g')\n" /* same tx: 105 */
           "ls.add(b, 7, 12, -30, 'T1', 'f', 'j')\n"                                      /* another list */
           "ls.add(a, 8, 20, 0, '', 'f', 'j', 'S1'); ls.add(a, 8, 21, 4, '')\n"          /* the second grows */
           "ls.add(a, 7, 30, 1, 'T1b', 'f', 'j2', 'S1')\n"                               /* tx 7 again, not last */
           "return a .. b .. ':' .. dump(ls, a) .. '|' .. dump(ls, b)",
           "12:10 105 T1 f j S1;20 4  f j S1;30 1 T1b f j2 S1;3/0|12 -30 T1 f j -;1/0");
    /* full: tx 9 is omitted, its further lines change nothing (its text and place are not read); tx 10
     * counts again */
    EXPECT(L,
           "ls.add(a, 9, 40, 50, 'T9'); ls.add(a, 9, 41, 50, {}); ls.add(a, 10, 42, 1, 'T10')\n"
           "ls.add(a, 10, 43, 1, 'T10'); return dump(ls, a)",
           "10 105 T1 f j S1;20 4  f j S1;30 1 T1b f j2 S1;3/2");
    /* the last kept entry still grows while its transaction books */
    EXPECT(L, "ls.add(b, 7, 13, -1, 'T1'); return dump(ls, b)", "12 -31 T1 f j -;1/0");
    lua_close(L);
    ck_assert_int_eq((long long)c.used, 0);
}
END_TEST

START_TEST(values_come_back_as_given)
{
    cap c = {.limit = (size_t)1 << 30};
    lua_State *L = new_state(&c);
    EXPECT(L,
           "local ls = rhv.evidence_lists(10); local a = ls.new()\n"
           "local long = string.rep('x', 300) .. '\\0y'\n"
           "ls.add(a, -1, -5, math.mininteger, long, long, nil, 'z')\n"
           "ls.add(a, 2, math.maxinteger, math.maxinteger, 'e')\n"
           "local t = {}\n"
           "for line, amount, text, p, q, r in ls.entries(a) do t[#t + 1] = {line, amount, text, p, q, r} end\n"
           "return (#t == 2 and t[1][1] == -5 and t[1][2] == math.mininteger and t[1][3] == long\n"
           "  and t[1][4] == long and t[1][5] == nil and t[1][6] == 'z'\n"
           "  and t[2][1] == math.maxinteger and t[2][2] == math.maxinteger and t[2][3] == 'e'\n"
           "  and t[2][4] == nil and t[2][5] == nil and t[2][6] == nil)\n"
           "  and 'ok' or 'wrong'",
           "ok");
    /* places that join to the same bytes stay apart; nil is not '' */
    EXPECT(L,
           "local ls = rhv.evidence_lists(10); local a = ls.new()\n"
           "ls.add(a, 1, 1, 1, 't', 'ab', 'c'); ls.add(a, 2, 2, 2, 't', 'a', 'bc'); ls.add(a, 3, 3, 3, 't', '', 'abc')\n"
           "ls.add(a, 4, 4, 4, 't', nil, 'abc'); ls.add(a, 5, 5, 5, 't', 'ab', 'c'); ls.add(a, 6, 6, 6, 't', '', '', '')\n"
           "ls.add(a, 7, 7, 7, 't')\n"
           "return dump(ls, a)",
           "1 1 t ab c -;2 2 t a bc -;3 3 t  abc -;4 4 t - abc -;5 5 t ab c -;6 6 t   ;7 7 t - - -;7/0");
    /* max 0 keeps nothing and counts every transaction */
    EXPECT(L,
           "local ls = rhv.evidence_lists(0); local a = ls.new()\n"
           "ls.add(a, 1, 1, 1, 'a'); ls.add(a, 1, 2, 1, 'a'); ls.add(a, 2, 3, 1, 'b')\n"
           "return dump(ls, a)",
           "0/2");
    lua_close(L);
    ck_assert_int_eq((long long)c.used, 0);
}
END_TEST

START_TEST(many_lists_stay_apart)
{
    cap c = {.limit = (size_t)1 << 30};
    lua_State *L = new_state(&c);
    /* 3,000 lists, 300,000 transactions booked round-robin over 21,000 places; every list keeps its
     * first 100 */
    EXPECT(L,
           "local ls = rhv.evidence_lists(100); local ids = {}\n"
           "for i = 1, 3000 do ids[i] = ls.new() end\n"
           "for tx = 1, 300000 do\n"
           "  local i = tx % 3000 + 1\n"
           "  ls.add(ids[i], tx, tx, tx, 'N' .. tx, 'F', 'J' .. (tx % 7), 'S' .. i)\n"
           "end\n"
           "local bad = 0\n"
           "for i = 1, 3000, 7 do\n"
           "  local n, prev = 0, 0\n"
           "  for line, amount, text, f, j, s in ls.entries(ids[i]) do\n"
           "    n = n + 1\n"
           "    if line <= prev or amount ~= line or text ~= 'N' .. line or line % 3000 + 1 ~= i\n"
           "       or f ~= 'F' or j ~= 'J' .. (line % 7) or s ~= 'S' .. i then\n"
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
    cap c = {.limit = (size_t)1 << 30};
    lua_State *L = new_state(&c);
    EXPECT(L, "ls = rhv.evidence_lists(5); a = ls.new(); return tostring(a)", "1");
    EXPECT_ERROR(L, "ls.add(2, 1, 1, 1, 'x')", "no list 2");
    EXPECT_ERROR(L, "ls.add(0, 1, 1, 1, 'x')", "no list 0");
    EXPECT_ERROR(L, "ls.add(a, 1, 1, 1.5, 'x')", "amount must be an integer, got a float");
    EXPECT_ERROR(L, "ls.add(a, 1, 1, 1, {})", "text must be a string");
    EXPECT_ERROR(L, "ls.add(a, 1, 1, 1, 'x', 'f', true)", "place text 2 must be a string or nil, got boolean");
    EXPECT_ERROR(L, "ls.add(a, 1, 'l1', 1, 'x')", "line must be an integer, got string");
    EXPECT_ERROR(L, "ls.add({}, 1, 1, 1, 'x')", "the list must be an integer, got table");
    EXPECT_ERROR(L, "ls.add(a, 1, 1.5, 1, 'x')", "line must be an integer, got a float");
    EXPECT_ERROR(L, "ls.add(a, 1, 1, 2.0, 'x')", "amount must be an integer, got a float");
    EXPECT_ERROR(L, "ls.count(a + 1)", "no list");
    EXPECT_ERROR(L, "rhv.evidence_lists(-1)", "max must be 0 ..");
    EXPECT_ERROR(L, "rhv.evidence_lists(1 << 31)", "max must be 0 ..");
    EXPECT_ERROR(L, "ls.add(a, 1, 1, math.maxinteger, 'x'); ls.add(a, 1, 2, 1, 'x')", "overflows");
    /* the functions keep their set when the table is gone */
    EXPECT(L, "local add, entries, count = ls.add, ls.entries, ls.count; ls = nil; collectgarbage()\n"
              "add(a, 2, 5, 6, 'y', 'f'); ls = { entries = entries, count = count }; return 'ok'", "ok");
    EXPECT(L, "return dump(ls, a)", "1 9223372036854775807 x - - -;5 6 y f - -;2/0");
    lua_close(L);
    ck_assert_int_eq((long long)c.used, 0);
}
END_TEST

START_TEST(memory_cap_is_an_error_not_a_crash)
{
    cap c = {.limit = (size_t)1 << 30};
    lua_State *L = new_state(&c);
    c.limit = c.used + 600 * 1024; /* room for the state, not for 1,000 lists of 1,000 entries */
    EXPECT_ERROR(L,
                 "ls = rhv.evidence_lists(1000); ids = {}\n"
                 "for i = 1, 1000 do ids[i] = ls.new() end\n"
                 "for tx = 1, 1000000 do ls.add(ids[tx % 1000 + 1], tx, tx, 1, 'trNr', 'file', 'J' .. tx % 50) end",
                 "evidence_lists: not enough memory");
    /* the lists are as they were before the failed add: every entry whole
     * (read with room to compile the check) */
    c.limit += 256 * 1024;
    EXPECT(L,
           "local n, bad = 0, 0\n"
           "for i = 1, 1000 do for line, amount, text, f, j in ls.entries(ids[i]) do\n"
           "  n = n + 1\n"
           "  if amount ~= 1 or text ~= 'trNr' or f ~= 'file' or j ~= 'J' .. line % 50 or line % 1000 + 1 ~= i then\n"
           "    bad = bad + 1 end\n"
           "end end\n"
           "return (n > 1000 and bad == 0) and 'ok' or ('n ' .. n .. ' bad ' .. bad)",
           "ok");
    /* the state is still usable once the lists are gone */
    EXPECT(L,
           "ls, ids = nil, nil; collectgarbage(); local s = rhv.evidence_lists(1); local a = s.new()\n"
           "s.add(a, 1, 2, 3, 'z', 'p'); return dump(s, a)",
           "2 3 z p - -;1/0");
    /* places past the cap: the same error, the lists usable */
    c.limit = c.used + 400 * 1024;
    EXPECT_ERROR(L,
                 "ls = rhv.evidence_lists(1000000); a = ls.new()\n" /* long places: they, not the entries, fill up */
                 "for tx = 1, 1000000 do ls.add(a, tx, tx, 1, 't', ('place ' .. tx):rep(50)) end",
                 "evidence_lists: not enough memory for place");
    c.limit += 256 * 1024;
    EXPECT(L, "ls.add(ls.new(), 1, 2, 3, 'u', 'p5'); return dump(ls, 2) .. (ls.count(a) > 100 and ' ok' or '')",
           "2 3 u p5 - -;1/0 ok");
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
    return check_run(s);
}
