/* engine_aggregate_test.c - a rule's declared aggregations (`aggregate`):
 * groups per key with counts, sums, minus and first lines, conditions, runs
 * handed to on_<name> (collected lists, on_read's made when read), the same
 * with worker threads, the metadata checks, and
 * the memory cap and the int64 range as clear rule errors. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine_test_util.h"

static char dir[64];

/* The rule file `name`.lua in dir: a rule reading xaf.trLine with body. */
static const char *rule_file(const char *name, const char *meta, const char *body)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s.lua", dir, name);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f,
            "local rule = { id = 'agg.%s', title = 'T', criterion = 'geen',\n"
            "  legal_basis = { text = 't', source = 's' }, years = { from = 2000 },\n"
            "  reads = { 'xaf.trLine' },\n%s }\n%s\nreturn rule\n",
            name, meta, body);
    fclose(f);
    return path;
}

static void line(rhv_engine *e, const char *file, long ln, const char *tr, const char *sup, int64_t amnt,
                 const char *tp, const char *qty)
{
    const rhv_record_type *t = record_type_find("xaf.trLine");
    for (int i = 0; i < t->nfields; i++)
        val_none(&pv[i]);
    val_str(&pv[record_field_index(t, "jrnID")], "70", 2);
    val_str(&pv[record_field_index(t, "trNr")], tr, strlen(tr));
    if (sup)
        val_str(&pv[record_field_index(t, "custSupID")], sup, strlen(sup));
    if (qty)
        val_str(&pv[record_field_index(t, "qntity")], qty, strlen(qty));
    val_int(&pv[record_field_index(t, "amnt")], VAL_MONEY, amnt);
    val_str(&pv[record_field_index(t, "amntTp")], tp, 1);
    rhv_record rec = {t, file, ln, pv};
    ck_assert_int_eq(engine_dispatch(e, &rec), 0);
}

/* Five lines in two files: transactions 1 (balanced), 2 (not), 3 (not, last). */
static void five_lines(rhv_engine *e)
{
    line(e, "a.xaf", 10, "1", "S2", 500, "D", NULL);
    line(e, "a.xaf", 11, "1", NULL, 500, "C", "-1");
    line(e, "a.xaf", 12, "2", "S1", 300, "D", "2");
    line(e, "a.xaf", 13, "2", "S2", 100, "C", "-3");
    line(e, "b.xaf", 20, "3", "S1", 7, "D", "-4");
}

/* Lua for a rule's finish: its list `out` as the message of one finding. */
#define REPORT_OUT                                                                                        \
    "  rhv.finding{ kind = 'signalering', amount = 0, subject = 's', message = table.concat(out, ' '),\n" \
    "               evidence = { { file = 'x', line = 1 } } }\n"

/* The one finding's message of the rule (status OK). */
static void expect_message(rhv_engine *e, const char *want)
{
    const rhv_rule_info *ri = engine_rule(e, 0);
    ck_assert_msg(ri->status == RULE_OK, "%s", ri->message ? ri->message : "");
    ck_assert_uint_eq(engine_finding_count(e), 1);
    ck_assert_str_eq(engine_finding(e, 0)->message, want);
}

static const char *groups_rule(void)
{
    return rule_file("groups",
                     "  aggregate = {\n"
                     "    sup = { records = 'xaf.trLine', per = { 'custSupID' }, sum = 'amnt',\n"
                     "            minus = { amntTp = 'C' }, lines = 2 },\n"
                     "    neg = { records = 'xaf.trLine', per = { '_file' }, where = { qntity = { prefix = '-' } } },\n"
                     "    zonder = { records = 'xaf.trLine', where = { custSupID = false } },\n"
                     "  },\n",
                     "function rule.finish()\n"
                     "  local out = {}\n"
                     "  for _, g in ipairs(rhv.groups('sup')) do\n"
                     "    out[#out + 1] = tostring(g.custSupID) .. ':' .. g._n .. ':' .. g._sum .. ':' .. g._line\n"
                     "                    .. ':' .. table.concat(g._lines, ',')\n"
                     "  end\n"
                     "  for _, g in ipairs(rhv.groups('neg')) do out[#out + 1] = g._file .. '=' .. g._n end\n"
                     "  local z = rhv.groups('zonder')\n"
                     "  out[#out + 1] = 'zonder=' .. #z .. '/' .. z[1]._n .. '@' .. z[1]._line\n"
                     REPORT_OUT "end\n");
}

/* The groups of groups_rule() after five_lines() (or the same lines another
 * way): first-seen order; C lines subtracted; a line without custSupID is the
 * group with custSupID nil; at most 2 lines kept. */
#define FIVE_LINE_GROUPS "S2:2:400:10:10,13 nil:1:-500:11:11 S1:2:307:12:12,20 a.xaf=2 b.xaf=1 zonder=1/1@11"

/* five_lines() through the rule at path (and the rule at also, when not
 * NULL; the first rule's finding is checked), in line and with two worker
 * threads: the first rule's one finding says want. */
static void expect_on_five_lines(const char *path, const char *also, const char *want)
{
    for (int threads = 0; threads <= 2; threads += 2) {
        rhv_engine *e = mk_engine_threads(threads);
        ck_assert_int_eq(engine_load_file(e, path), 0);
        if (also)
            ck_assert_int_eq(engine_load_file(e, also), 0);
        ck_assert_int_eq(engine_start(e, 2023, SRC_LEDGER), 0);
        five_lines(e);
        engine_finish(e);
        expect_message(e, want);
        engine_free(e);
    }
}

START_TEST(groups_per_key)
{
    expect_on_five_lines(groups_rule(), NULL, FIVE_LINE_GROUPS);
}
END_TEST

/* A reader may keep a record's file name in a buffer it rewrites: the same
 * pointer with another name is another file. */
START_TEST(file_name_rewritten_in_place)
{
    for (int threads = 0; threads <= 2; threads += 2) {
        rhv_engine *e = mk_engine_threads(threads);
        ck_assert_int_eq(engine_load_file(e, groups_rule()), 0);
        ck_assert_int_eq(engine_start(e, 2023, SRC_LEDGER), 0);
        char file[8] = "a.xaf";
        line(e, file, 10, "1", "S2", 500, "D", NULL);
        line(e, file, 11, "1", NULL, 500, "C", "-1");
        line(e, file, 12, "2", "S1", 300, "D", "2");
        line(e, file, 13, "2", "S2", 100, "C", "-3");
        file[0] = 'b';
        line(e, file, 20, "3", "S1", 7, "D", "-4");
        engine_finish(e);
        expect_message(e, FIVE_LINE_GROUPS);
        engine_free(e);
    }
}
END_TEST

/* Keys that alternate (A B A B A C A C B C): the group before the last one
 * is tried second (engine_aggregate.c, other_group), hit or not, with new
 * groups between; the groups are those of a plain lookup. */
START_TEST(groups_of_alternating_keys)
{
    const char *path = rule_file("alternating",
                                 "  aggregate = { sup = { records = 'xaf.trLine', per = { 'custSupID' }, sum = 'amnt',"
                                 " lines = 3 } },\n",
                                 "function rule.finish()\n"
                                 "  local out = {}\n"
                                 "  for _, g in ipairs(rhv.groups('sup')) do\n"
                                 "    out[#out + 1] = g.custSupID .. ':' .. g._n .. ':' .. g._sum .. ':' .. g._line\n"
                                 "                    .. ':' .. table.concat(g._lines, ',')\n"
                                 "  end\n" REPORT_OUT "end\n");
    const char *keys = "ABABACACBC";
    for (int threads = 0; threads <= 2; threads += 2) {
        rhv_engine *e = mk_engine_threads(threads);
        ck_assert_int_eq(engine_load_file(e, path), 0);
        ck_assert_int_eq(engine_start(e, 2023, SRC_LEDGER), 0);
        for (int i = 0; keys[i]; i++) {
            char sup[2] = {keys[i], 0};
            line(e, "a.xaf", i + 1, "1", sup, (int64_t)1 << i, "D", NULL);
        }
        engine_finish(e);
        expect_message(e, "A:4:85:1:1,3,5 B:3:266:2:2,4,9 C:3:672:6:6,8,10");
        engine_free(e);
    }
}
END_TEST

/* Keys of _file and one field, text (custSupID) or integer (amnt), compared
 * in their own short way (engine_agg_key.h, key_matches): the same text or
 * amount in another file, another text of the same length, a longer one, a
 * missing one and a line without a file are all other groups. */
START_TEST(groups_per_file_and_field)
{
    const char *path = rule_file("perfile",
                                 "  aggregate = {\n"
                                 "    sup = { records = 'xaf.trLine', per = { '_file', 'custSupID' } },\n"
                                 "    amt = { records = 'xaf.trLine', per = { '_file', 'amnt' } },\n"
                                 "  },\n",
                                 "function rule.finish()\n"
                                 "  local out = {}\n"
                                 "  for _, g in ipairs(rhv.groups('sup')) do\n"
                                 "    out[#out + 1] = tostring(g._file) .. '/' .. tostring(g.custSupID) .. '=' .. g._n\n"
                                 "                    .. '@' .. g._line\n"
                                 "  end\n"
                                 "  for _, g in ipairs(rhv.groups('amt')) do\n"
                                 "    out[#out + 1] = tostring(g._file) .. '/' .. g.amnt .. '=' .. g._n .. '@' .. g._line\n"
                                 "  end\n" REPORT_OUT "end\n");
    static const struct {
        const char *file, *sup;
        int64_t amnt;
    } in[] = {{"a.xaf", "S1", 100}, {"a.xaf", "S1", 100}, {"b.xaf", "S1", 100}, {"b.xaf", "S2", 200},
              {"a.xaf", "S1", 200}, {"a.xaf", NULL, 300},  {"a.xaf", "S10", 300}, {"a.xaf", "S1", 300},
              {NULL, "S1", 100}};
    for (int threads = 0; threads <= 2; threads += 2) {
        rhv_engine *e = mk_engine_threads(threads);
        ck_assert_int_eq(engine_load_file(e, path), 0);
        ck_assert_int_eq(engine_start(e, 2023, SRC_LEDGER), 0);
        for (size_t i = 0; i < sizeof in / sizeof in[0]; i++)
            line(e, in[i].file, (long)i + 1, "1", in[i].sup, in[i].amnt, "D", NULL);
        engine_finish(e);
        expect_message(e, "a.xaf/S1=4@1 b.xaf/S1=1@3 b.xaf/S2=1@4 a.xaf/nil=1@6 a.xaf/S10=1@7 nil/S1=1@9 "
                          "a.xaf/100=2@1 b.xaf/100=1@3 b.xaf/200=1@4 a.xaf/200=1@5 a.xaf/300=3@6 nil/100=1@9");
        engine_free(e);
    }
}
END_TEST

/* A rule whose only work on xaf.trLine is an aggregation gets the records
 * with worker threads too, beside a rule with a handler for them (which
 * starts the pool). */
START_TEST(groups_beside_a_handler)
{
    const char *other = rule_file("reader", "", "function rule.on_xaf_trLine(r) local _ = r.accID end\n");
    char path[128];
    snprintf(path, sizeof path, "%s", other); /* rule_file's buffer is reused by groups_rule() */
    expect_on_five_lines(groups_rule(), path, FIVE_LINE_GROUPS);
}
END_TEST

START_TEST(runs_to_handler)
{
    const char *path = rule_file("runs",
                                 "  aggregate = { tx = { records = 'xaf.trLine', runs = { '_file', 'trNr' },\n"
                                 "    sum = 'amnt', minus = { amntTp = 'C' }, nonzero = true } },\n",
                                 "local out = {}\n"
                                 "function rule.on_tx(t, ctx)\n"
                                 "  assert(ctx.args)\n"
                                 "  out[#out + 1] = t._file .. '/' .. t.trNr .. ':' .. t._n .. ':' .. t._sum .. '@' .. t._line\n"
                                 "end\n"
                                 "function rule.finish()\n" REPORT_OUT "end\n");
    /* transaction 1 balances: not handed over; 3 ends before finish */
    expect_on_five_lines(path, NULL, "a.xaf/2:2:200@12 b.xaf/3:1:7@20");
}
END_TEST

START_TEST(runs_collect_fields)
{
    const char *path = rule_file("coll",
                                 "  aggregate = { tx = { records = 'xaf.trLine', runs = { 'trNr' },\n"
                                 "    collect = { 'custSupID', 'amnt' } } },\n",
                                 "local out = {}\n"
                                 "function rule.on_tx(t)\n"
                                 "  for i = 1, t._n do\n"
                                 "    out[#out + 1] = t.trNr .. ':' .. tostring(t.custSupID[i]) .. ':' .. t.amnt[i] .. '@' .. t._lines[i]\n"
                                 "  end\n"
                                 "  out[#out + 1] = tostring(t.amnt[t._n + 1])\n"
                                 "end\n"
                                 "function rule.finish()\n" REPORT_OUT "end\n");
    /* every value in record order, nil where absent; the reused lists hold
     * nothing past _n (transaction 3 after two-line runs) */
    expect_on_five_lines(path, NULL, "1:S2:500@10 1:nil:500@11 nil 2:S1:300@12 2:S2:100@13 nil 3:S1:7@20 nil");
}
END_TEST

/* on_read: a list is made on its first read in the handler's call (not
 * before: rawget and pairs do not see it), in full also when the run before
 * did not read it, and refused after the call; the others as collect. */
START_TEST(runs_on_read_lists)
{
    const char *path = rule_file("onread",
                                 "  aggregate = { tx = { records = 'xaf.trLine', runs = { 'trNr' },\n"
                                 "    collect = { 'custSupID', 'amnt', 'qntity' }, on_read = { 'custSupID', 'qntity' } } },\n",
                                 "local out, kept, n = {}, nil, 0\n"
                                 "function rule.on_tx(t)\n"
                                 "  n = n + 1\n"
                                 "  local before, s = rawget(t, 'custSupID'), {}\n"
                                 "  if n ~= 2 then -- the second run does not read custSupID\n"
                                 "    for i = 1, t._n + 1 do s[#s + 1] = tostring(t.custSupID[i]) end\n"
                                 "  end\n"
                                 "  local q = t.qntity[1]\n"
                                 "  local keys = 0\n"
                                 "  for k in pairs(t) do if k == 'custSupID' or k == 'qntity' then keys = keys + 1 end end\n"
                                 "  out[#out + 1] = t.trNr .. ':' .. tostring(before) .. ':' .. table.concat(s, ',') .. ':'\n"
                                 "    .. tostring(q) .. ':' .. t.amnt[1] .. ':' .. keys .. ':' .. tostring(t.nope)\n"
                                 "  kept = t\n"
                                 "end\n"
                                 "function rule.finish()\n"
                                 "  local ok, err = pcall(function() return kept.qntity end)\n"
                                 "  out[#out + 1] = tostring(ok) .. ':' .. (string.find(err,\n"
                                 "    \"aggregate 'tx': a run's qntity can be read only in the on_tx call\", 1, true) and 'refused' or err)\n"
                                 REPORT_OUT "end\n");
    expect_on_five_lines(path, NULL, "1:nil:S2,nil,nil:nil:500:2:nil 2:nil::2:300:1:nil 3:nil:S1,nil:-4:7:2:nil "
                                     "false:refused");
}
END_TEST

/* Load body as rule `name` and expect a load error containing want. */
static void meta_error(const char *name, const char *meta, const char *body, const char *want)
{
    rhv_engine *e = mk_engine();
    engine_load_file(e, rule_file(name, meta, body));
    const rhv_rule_info *ri = engine_rule(e, 0);
    ck_assert_ptr_nonnull(ri);
    ck_assert_int_eq(ri->status, RULE_ERROR);
    ck_assert_msg(strstr(ri->message, want), "%s: %s", name, ri->message);
    engine_free(e);
}

START_TEST(metadata_checked)
{
    meta_error("m1", "aggregate = { x = { records = 'xaf.trLine', per = { 'nope' } } },", "",
               "field 'aggregate.x.per[1]': 'nope' is not a field of xaf.trLine");
    meta_error("m2", "aggregate = { x = { records = 'programma' } },", "", "'programma' is not in reads");
    meta_error("m3", "aggregate = { x = { records = 'xaf.trLine', per = {}, runs = {} } },", "",
               "per and runs exclude each other");
    meta_error("m4", "aggregate = { x = { records = 'xaf.trLine', sum = 'desc' } },", "",
               "'desc' is not an integer field");
    meta_error("m5", "aggregate = { x = { records = 'xaf.trLine', runs = { 'trNr' } } },", "",
               "runs go to the handler on_x, which the rule table lacks");
    meta_error("m6", "aggregate = { x = { records = 'xaf.trLine', sum = 'amnt', nonzero = true } },", "",
               "only for runs with a sum");
    meta_error("m7", "aggregate = { X = { records = 'xaf.trLine' } },", "", "'X' is not an aggregation name");
    meta_error("m8", "aggregate = { x = { records = 'xaf.trLine', lines = 0 } },", "", "first 1 to 100 lines");
    meta_error("m9", "aggregate = { x = { records = 'xaf.trLine', where = { amnt = { prefix = '1' } } } },", "",
               "field 'aggregate.x.where.amnt': must be true (present), false (absent)");
    meta_error("m10", "aggregate = { x = { records = 'xaf.trLine', minus = { amntTp = 'C' } } },", "",
               "minus needs sum");
    meta_error("m11", "aggregate = { x = { records = 'xaf.trLine', perr = {} } },", "", "unknown field 'perr'");
    meta_error("m12", "aggregate = { x = { records = 'xaf.trLine' } },", "function rule.on_y() end",
               "no record type has this handler name");
    meta_error("m16", "aggregate = { x = { records = 'xaf.trLine', runs = { 'trNr' }, collect = { 'amnt' },\n"
               "  on_read = { 'desc' } } },", "function rule.on_x() end",
               "field 'aggregate.x.on_read[1]': only fields of collect");
}
END_TEST

START_TEST(memory_cap_is_a_clear_error)
{
    rhv_engine *e = mk_engine(); /* 8 MiB per rule */
    const char *path = rule_file("mem", "  aggregate = { x = { records = 'xaf.trLine', per = { 'custSupID' } } },\n",
                                 "function rule.finish() error('not reached') end\n");
    ck_assert_int_eq(engine_load_file(e, path), 0);
    ck_assert_int_eq(engine_start(e, 2023, SRC_LEDGER), 0);
    char sup[256];
    memset(sup, 'x', sizeof sup - 1);
    sup[sizeof sup - 1] = 0;
    for (int i = 0; i < 40000; i++) {
        snprintf(sup, 16, "%015d", i);
        sup[15] = 'x';
        line(e, "a.xaf", i + 1, "1", sup, 1, "D", NULL);
    }
    engine_finish(e);
    const rhv_rule_info *ri = engine_rule(e, 0);
    ck_assert_int_eq(ri->status, RULE_ERROR);
    ck_assert_msg(strstr(ri->message, "aggregate 'x': the rule's memory limit (8 MiB) is reached with"), "%s",
                  ri->message);
    ck_assert_uint_le(engine_rule_mem_peak(e, 0), 8u * 1024 * 1024);
    engine_free(e);
}
END_TEST

START_TEST(sum_out_of_range)
{
    rhv_engine *e = mk_engine();
    const char *path = rule_file("ovf", "  aggregate = { x = { records = 'xaf.trLine', sum = 'amnt' } },\n", "");
    ck_assert_int_eq(engine_load_file(e, path), 0);
    ck_assert_int_eq(engine_start(e, 2023, SRC_LEDGER), 0);
    line(e, "a.xaf", 1, "1", NULL, INT64_MAX - 1, "D", NULL);
    line(e, "a.xaf", 2, "1", NULL, 2, "D", NULL);
    engine_finish(e);
    const rhv_rule_info *ri = engine_rule(e, 0);
    ck_assert_int_eq(ri->status, RULE_ERROR);
    ck_assert_msg(strstr(ri->message, "aggregate 'x': the sum of amnt leaves the integer range at a.xaf:2"), "%s",
                  ri->message);
    engine_free(e);
}
END_TEST


/* A line with jrnID, invRef and docRef (NULL: absent). */
static void inv_line(rhv_engine *e, const char *file, long ln, const char *jrn, const char *tr, const char *inv,
                     const char *doc, int64_t amnt, const char *tp)
{
    const rhv_record_type *t = record_type_find("xaf.trLine");
    for (int i = 0; i < t->nfields; i++)
        val_none(&pv[i]);
    val_str(&pv[record_field_index(t, "jrnID")], jrn, strlen(jrn));
    val_str(&pv[record_field_index(t, "trNr")], tr, strlen(tr));
    val_str(&pv[record_field_index(t, "custSupID")], "S1", 2);
    if (inv)
        val_str(&pv[record_field_index(t, "invRef")], inv, strlen(inv));
    if (doc)
        val_str(&pv[record_field_index(t, "docRef")], doc, strlen(doc));
    val_int(&pv[record_field_index(t, "amnt")], VAL_MONEY, amnt);
    val_str(&pv[record_field_index(t, "amntTp")], tp, 1);
    rhv_record rec = {t, file, ln, pv};
    ck_assert_int_eq(engine_dispatch(e, &rec), 0);
}

START_TEST(seen_hands_over_repeats_only)
{
    const char *path = rule_file("seen",
                                 "  args = { max = 3 },\n"
                                 "  aggregate = { s = { records = 'xaf.trLine', runs = { '_file', 'jrnID', 'trNr' },\n"
                                 "    seen = { 'custSupID', { 'invRef', 'docRef' } }, largest = 'amnt',\n"
                                 "    match = { 'amntTp', 'amnt' }, skip = 'jrnID', max = 'max' } },\n",
                                 "local out = {}\n"
                                 "function rule.on_s(d, first, ctx)\n"
                                 "  assert(ctx.args)\n"
                                 "  rhv.skip('s', '60', true)\n"
                                 "  out[#out + 1] = d._file .. ':' .. d._line .. '<' .. first._file .. ':' .. first._line\n"
                                 "    .. '/' .. d.trNr .. (d.invRef or d.docRef) .. d.amntTp .. d.amnt\n"
                                 "end\n"
                                 "function rule.finish()\n"
                                 "  local g = rhv.groups('s')\n"
                                 "  out[#out + 1] = 'n=' .. g._n .. ' r=' .. g._repeats .. ' nk=' .. g._not_kept\n"
                                 "    .. '@' .. g._not_kept_file .. ':' .. g._not_kept_line\n"
                                 REPORT_OUT "end\n");
    for (int threads = 0; threads <= 2; threads += 2) {
        rhv_engine *e = mk_engine_threads(threads);
        ck_assert_int_eq(engine_load_file(e, path), 0);
        ck_assert_int_eq(engine_start(e, 2023, SRC_LEDGER), 0);
        inv_line(e, "a.xaf", 1, "70", "1", "F1", NULL, -121, "C"); /* one invoice: the larger line */
        inv_line(e, "a.xaf", 2, "70", "1", "F1", NULL, 21, "D");
        inv_line(e, "a.xaf", 3, "70", "2", "F1", NULL, -121, "C"); /* repeat of line 1 */
        inv_line(e, "a.xaf", 4, "70", "3", NULL, "F1", -121, "C"); /* docRef, same key: repeat */
        inv_line(e, "a.xaf", 5, "70", "4", "F2", NULL, 50, "C");
        inv_line(e, "a.xaf", 6, "70", "4", NULL, "D9", 50, "C");   /* dropped: S1 has an invRef here */
        inv_line(e, "a.xaf", 7, "70", "5", NULL, "D9", 50, "C");   /* new: the third kept */
        inv_line(e, "a.xaf", 8, "60", "6", "F2", NULL, 50, "C");   /* skipped journal */
        inv_line(e, "a.xaf", 9, "70", "7", "F1", NULL, -121, "D"); /* other side: new, over max */
        inv_line(e, "b.xaf", 10, "70", "8", "F2", NULL, 50, "C");  /* repeat of line 5 */
        inv_line(e, "b.xaf", 11, "70", "9", "F1", NULL, -121, "D"); /* line 9 was not kept */
        engine_finish(e);
        expect_message(e, "a.xaf:3<a.xaf:1/2F1C-121 a.xaf:4<a.xaf:1/3F1C-121 b.xaf:10<a.xaf:5/8F2C50 "
                          "n=3 r=3 nk=2@a.xaf:9");
        engine_free(e);
    }
    meta_error("m13", "aggregate = { x = { records = 'xaf.trLine', per = { 'trNr' }, seen = { 'invRef' } } },", "",
               "only with runs");
    meta_error("m14", "aggregate = { x = { records = 'xaf.trLine', runs = { 'trNr' }, seen = { 'invRef' },\n"
               "  max = 'nope' } },", "function rule.on_x() end", "'nope' is not an integer argument of the rule");
    meta_error("m15", "aggregate = { x = { records = 'xaf.trLine', runs = { 'trNr' }, seen = { 'invRef' },\n"
               "  skip = 'jrnID' } },", "function rule.on_x() end", "'jrnID' must be one of the runs fields");
}
END_TEST

int main(void)
{
    engine_test_setup();
    snprintf(dir, sizeof dir, "/tmp/rhv-agg-XXXXXX");
    if (!mkdtemp(dir))
        return EXIT_FAILURE;
    TCase *tc = tcase_create("aggregate");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, groups_per_key);
    tcase_add_test(tc, groups_beside_a_handler);
    tcase_add_test(tc, file_name_rewritten_in_place);
    tcase_add_test(tc, groups_of_alternating_keys);
    tcase_add_test(tc, groups_per_file_and_field);
    tcase_add_test(tc, runs_to_handler);
    tcase_add_test(tc, runs_collect_fields);
    tcase_add_test(tc, runs_on_read_lists);
    tcase_add_test(tc, metadata_checked);
    tcase_add_test(tc, memory_cap_is_a_clear_error);
    tcase_add_test(tc, sum_out_of_range);
    tcase_add_test(tc, seen_hands_over_repeats_only);
    int rc = engine_test_run(tc);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        rc = EXIT_FAILURE;
    return rc;
}
