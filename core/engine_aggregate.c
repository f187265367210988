/* engine_aggregate.c - the groups of a rule's declared aggregations, per
 * record in C (contract: engine_aggregate.h).
 *
 * Why: handing a record to a Lua handler costs thousands of instructions
 * (the protected call, setting the fields, the VM); counting or summing it
 * here costs a key, a hash and a compare (the keys: engine_agg_key.h). The
 * last record's group is tried first, by comparing the record's fields with
 * its key in place: ledger lines repeat their file, journal and transaction.
 * Then, where it lately paid, the group before that one (other_group).
 */
#include "engine_agg_key.h"

#include <lauxlib.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox_alloc.h"
#include "slot_index.h"

struct agg_group {
    uint64_t hash;
    uint32_t key_off, key_len;
    int64_t n, sum, line;
};

void *eng_agg_alloc(rule *r, void *p, size_t osize, size_t nsize)
{
    void *ud;
    lua_Alloc f = lua_getallocf(sandbox_state(r->sb), &ud);
    return f(ud, p, p ? osize : 0, nsize);
}

#define state_alloc eng_agg_alloc

bool eng_agg_grow(rule *r, void **p, size_t *cap, size_t need, size_t elem, size_t first)
{
    void *ud;
    lua_Alloc f = lua_getallocf(sandbox_state(r->sb), &ud);
    return sb_grow(f, ud, p, cap, elem, need, first);
}

/* The index + 1 of the record's file among those r's aggregations met (a
 * key holds 4 bytes, not the name): the last one is tried first. 0: no
 * file; UINT32_MAX: out of memory. Host memory, bounded by the input files. */
static uint32_t file_id(rule *r, const char *file)
{
    if (!file)
        return 0;
    uint32_t i = r->agg_last_file;
    if (i && strcmp(r->agg_file[i - 1], file) == 0)
        return i;
    for (i = 0; i < r->nagg_file; i++)
        if (strcmp(r->agg_file[i], file) == 0)
            return r->agg_last_file = i + 1;
    char **nf = realloc(r->agg_file, (r->nagg_file + 1) * sizeof *nf);
    if (!nf)
        return UINT32_MAX;
    r->agg_file = nf;
    if (!(nf[r->nagg_file] = strdup(file)))
        return UINT32_MAX;
    return r->agg_last_file = ++r->nagg_file;
}

/* A new group at index gi with the key in kb; false over the cap. */
static bool new_group(rule *r, eng_agg *a, size_t gi, size_t klen, uint64_t h, long line)
{
    if (!reserve(r, (void **)&a->g, &a->capg, gi + 1, sizeof *a->g, 16) ||
        (a->lines && !reserve(r, (void **)&a->lv, &a->caplv, (gi + 1) * (size_t)a->lines, sizeof *a->lv, 16)) ||
        !reserve(r, (void **)&a->arena, &a->capa, a->na + klen, 1, 1024))
        return false;
    key_copy(a->arena + a->na, a->kb, klen);
    a->g[gi] = (agg_group){.hash = h, .key_off = (uint32_t)a->na, .key_len = (uint32_t)klen, .line = line};
    a->na += klen;
    return true;
}

static bool rehash(rule *r, eng_agg *a)
{
    size_t ns = a->nslot ? a->nslot * 2 : 64;
    uint32_t *s = state_alloc(r, NULL, 0, ns * sizeof *s);
    if (!s)
        return false;
    memset(s, 0, ns * sizeof *s);
    slot_index_fill(s, ns, a->g, a->ng, sizeof *a->g, offsetof(agg_group, hash));
    state_alloc(r, a->slot, a->nslot * sizeof *s, 0);
    a->slot = s;
    a->nslot = ns;
    return true;
}

/* The group of rec's key (fid: its file_id), found or new (its key built
 * then); not the last record's: eng_agg_record tried that. (size_t)-1 over
 * the cap. */
static size_t find_group(rule *r, eng_agg *a, const rhv_record *rec, uint32_t fid)
{
    if ((a->ng + 1) * 4 > a->nslot * 3 && !rehash(r, a))
        return (size_t)-1;
    const uint64_t h = hash_fields(a, rec, fid);
    size_t j = h & (a->nslot - 1);
    for (; a->slot[j]; j = (j + 1) & (a->nslot - 1)) {
        const agg_group *g = &a->g[a->slot[j] - 1];
        if (g->hash == h && key_matches(a, rec, fid, a->arena + g->key_off, g->key_len))
            return a->slot[j] - 1;
    }
    const size_t klen = build_key(r, a, rec, fid);
    if (klen == (size_t)-1 || a->ng >= UINT32_MAX - 1 || a->na + klen > UINT32_MAX ||
        !new_group(r, a, a->ng, klen, h, rec->line))
        return (size_t)-1;
    a->slot[j] = (uint32_t)(a->ng + 1);
    return a->ng++;
}

/* Not runs: the group of rec's key when it is not the last record's. The
 * group the last record's group followed (`before`) is tried next while it
 * was lately the answer (before_score): a key that alternates (xaf.integriteit's
 * totalen per amntTp: D, D, C on 100,000 ledger lines; 66,664 of 66,666
 * lookups) then skips the hash lookup, and one that does not (rekeningen per
 * accID: none) costs an integer compare. The compare is key_matches, exact,
 * so the group is the one find_group gives. `before` is only read with a
 * score, and a score is only given when find_group returned that index: the
 * group exists (eng_agg_release clears the score with the groups). (size_t)-1
 * over the cap. */
static size_t other_group(rule *r, eng_agg *a, const rhv_record *rec, uint32_t fid)
{
    size_t gi;
    if (a->before_score && key_matches(a, rec, fid, a->arena + a->g[a->before].key_off, a->g[a->before].key_len)) {
        gi = a->before;
    } else {
        gi = find_group(r, a, rec, fid);
        if (gi == a->before)
            a->before_score = a->before_score < 3 ? a->before_score + 1 : 3;
        else if (a->before_score)
            a->before_score--;
    }
    a->before = a->last; /* the first record: 0, read only with a score as above */
    return gi;
}

/* runs: the open run [0] ended. When it counts (not a zero sum with
 * `nonzero`) it waits as [1], its key in pk, for its handler: *kept. False
 * over the cap. */
static bool end_run(rule *r, eng_agg *a, bool *kept)
{
    const agg_group *g = &a->g[0];
    a->has_last = false;
    a->ng = 0;
    *kept = false;
    a->col[1].nv = a->col[1].ns = a->col[1].nln = 0; /* delivered before: free to reuse */
    if (a->nonzero && g->sum == 0)
        return true;
    if (!reserve(r, (void **)&a->pk, &a->cappk, g->key_len, 1, 64))
        return false;
    if (a->ncollect) {
        agg_cols t = a->col[1];
        a->col[1] = a->col[0];
        a->col[0] = t;
    }
    key_copy(a->pk, a->arena, g->key_len);
    a->g[1] = *g;
    a->fid[1] = a->fid[0];
    if (a->lines)
        memcpy(a->lv + a->lines, a->lv, (size_t)a->lines * sizeof *a->lv);
    if (a->seen)
        return eng_seen_run(r, a, kept);
    a->pending = *kept = true;
    return true;
}

/* A new open run of a for the key in kb (index 0; eng_agg_record found the
 * key is not the open run's); (size_t)-1 over the cap.
 * *ended = 1 when the run before ended and waits for its handler. */
static size_t run_group(rule *r, eng_agg *a, size_t klen, long line, uint32_t fid, int *ended)
{
    bool kept = false;
    if (a->has_last && !end_run(r, a, &kept))
        return (size_t)-1;
    if (kept)
        *ended = 1;
    if (!reserve(r, (void **)&a->g, &a->capg, 2, sizeof *a->g, 2) ||
        (a->lines && !reserve(r, (void **)&a->lv, &a->caplv, 2 * (size_t)a->lines, sizeof *a->lv, 2)) ||
        !reserve(r, (void **)&a->arena, &a->capa, klen, 1, 256))
        return (size_t)-1;
    key_copy(a->arena, a->kb, klen);
    a->col[0].nv = a->col[0].ns = a->col[0].nln = 0;
    a->g[0] = (agg_group){.key_off = 0, .key_len = (uint32_t)klen, .line = line};
    a->fid[0] = fid;
    a->na = klen;
    a->ng = 1;
    return 0;
}

static int fail(char *msg, size_t n, const rule *r, const eng_agg *a, const char *why)
{
    snprintf(msg, n, "aggregate '%s': %s", a->name, why);
    (void)r;
    return -1;
}

/* runs with collect: the record's collected values and line into the open
 * run; false over the cap. */
static bool collect(rule *r, eng_agg *a, const rhv_record *rec)
{
    agg_cols *c = &a->col[0];
    if (!reserve(r, (void **)&c->v, &c->capv, c->nv + (size_t)a->ncollect, sizeof *c->v, 64) ||
        !reserve(r, (void **)&c->ln, &c->capln, c->nln + 1, sizeof *c->ln, 16))
        return false;
    rhv_value *o = c->v + c->nv;
    for (int k = 0; k < a->ncollect; k++, o++) {
        const rhv_value *v = &rec->v[a->collect[k]];
        if (v->kind == VAL_STR || v->kind == VAL_DATE) {
            if (!reserve(r, (void **)&c->s, &c->caps, c->ns + v->len, 1, 256))
                return false; /* nv and nln not moved: the record is not in the run */
            copy_small(c->s + c->ns, v->s, v->len);
            *o = (rhv_value){.kind = v->kind, .s = NULL, .len = v->len, .i = (int64_t)c->ns};
            c->ns += v->len;
        } else {
            *o = *v;
        }
    }
    c->nv += (size_t)a->ncollect;
    c->ln[c->nln++] = rec->line;
    return true;
}

/* Count rec into group gi of a. -1 with msg when the sum leaves int64. */
static int add_to(const rule *r, eng_agg *a, size_t gi, const rhv_record *rec, char *msg, size_t n)
{
    agg_group *g = &a->g[gi];
    if (a->lines && g->n < a->lines)
        a->lv[gi * (size_t)a->lines + (size_t)g->n] = rec->line;
    g->n++;
    if (a->sum >= 0 && rec->v[a->sum].kind != VAL_NONE) {
        int64_t x = rec->v[a->sum].i;
        bool neg = false;
        for (int k = 0; k < a->nminus && !neg; k++)
            neg = eng_cond_pass(&a->minus[k], &rec->v[a->minus[k].field]);
        if (neg ? __builtin_sub_overflow(g->sum, x, &g->sum) : __builtin_add_overflow(g->sum, x, &g->sum)) {
            char why[256];
            snprintf(why, sizeof why, "the sum of %s leaves the integer range at %s:%ld",
                     rec->type->fields[a->sum].name, rec->file ? rec->file : "?", rec->line);
            return fail(msg, n, r, a, why);
        }
    }
    return 0;
}

int eng_agg_record(rule *r, const rhv_record *rec, int ti, char *msg, size_t n)
{
    int ended = 0;
    uint32_t fid = UINT32_MAX - 1; /* not looked up yet */
    for (eng_agg *a = r->agg, *aend = r->agg + r->nagg; a < aend; a++) {
        if (a->ti != ti)
            continue;
        bool pass = true;
        for (int k = 0; k < a->nwhere && pass; k++)
            pass = eng_cond_pass(&a->where[k], &rec->v[a->where[k].field]);
        if (!pass)
            continue;
        if (fid == UINT32_MAX - 1)
            fid = file_id(r, rec->file);
        size_t gi = (size_t)-1;
        const agg_group *lg = a->has_last ? &a->g[a->last] : NULL;
        if (fid == UINT32_MAX) {
            /* out of memory for the file name: fails below */
        } else if (lg && key_matches(a, rec, fid, a->arena + lg->key_off, lg->key_len)) {
            gi = a->last;
        } else if (!a->runs) {
            gi = other_group(r, a, rec, fid);
        } else {
            size_t klen = build_key(r, a, rec, fid);
            if (klen != (size_t)-1)
                gi = run_group(r, a, klen, rec->line, fid, &ended);
        }
        if (gi == (size_t)-1) {
            char why[256];
            snprintf(why, sizeof why, "the rule's memory limit (%zu MiB) is reached with %zu groups; raise it "
                                      "with --mem-limit", sandbox_mem_limit(r->sb) >> 20, a->ng);
            return fail(msg, n, r, a, why);
        }
        a->last = gi;
        a->has_last = true;
        if (a->ncollect && !collect(r, a, rec)) {
            char why[256];
            snprintf(why, sizeof why, "the rule's memory limit (%zu MiB) is reached in a run of %zu records; "
                                      "raise it with --mem-limit", sandbox_mem_limit(r->sb) >> 20,
                     a->col[0].nln);
            return fail(msg, n, r, a, why);
        }
        if (add_to(r, a, gi, rec, msg, n) != 0)
            return -1;
    }
    return ended;
}

/* ---- to Lua ---------------------------------------------------------------- */

/* Group gi of a as a table: its key fields by name, _n, _sum, _line, _lines. */
static void push_group(lua_State *L, rule *r, eng_agg *a, size_t gi)
{
    const agg_group *g = &a->g[gi];
    const bool reused = a->runs && a->ref_tbl != LUA_NOREF;
    if (reused) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, a->ref_tbl);
    } else {
        lua_createtable(L, 0, a->nkey + a->ncollect + 5);
        if (a->runs) {
            lua_pushvalue(L, -1);
            a->ref_tbl = luaL_ref(L, LUA_REGISTRYINDEX);
        }
    }
    if (a->runs && a->ref_tbl != LUA_NOREF)
        eng_agg_push_run_key(L, r, a, gi == 1 ? a->pk : a->arena + g->key_off);
    else
        eng_agg_push_key(L, r, a, a->runs && gi == 1 ? a->pk : a->arena + g->key_off);
    /* The reused run table keeps _n and _sum while they repeat (runs of as
     * many lines, sums of 0). */
    const bool same = reused && a->shown_nsum && a->shown_n == g->n && (a->sum < 0 || a->shown_sum == g->sum);
    if (!same) {
        lua_pushinteger(L, g->n);
        lua_setfield(L, -2, "_n");
        if (a->sum >= 0) {
            lua_pushinteger(L, g->sum);
            lua_setfield(L, -2, "_sum");
        }
        a->shown_nsum = reused;
        a->shown_n = g->n;
        a->shown_sum = g->sum;
    }
    lua_pushinteger(L, g->line);
    lua_setfield(L, -2, "_line");
    if (a->ncollect && gi == 1)
        eng_agg_push_columns(L, r, (int)(a - r->agg));
    if (a->lines) {
        const int64_t m = g->n < a->lines ? g->n : a->lines;
        lua_createtable(L, (int)m, 0);
        for (int64_t i = 0; i < m; i++) {
            lua_pushinteger(L, a->lv[gi * (size_t)a->lines + (size_t)i]);
            lua_rawseti(L, -2, i + 1);
        }
        lua_setfield(L, -2, "_lines");
    }
}

void eng_agg_deliver(lua_State *L, rule *r)
{
    for (int i = 0; i < r->nagg; i++) {
        eng_agg *a = &r->agg[i];
        if (!a->pending)
            continue;
        a->pending = false;
        if (a->seen) {
            eng_seen_deliver(L, r, a);
            continue;
        }
        push_group(L, r, a, 1);
        lua_rawgeti(L, LUA_REGISTRYINDEX, a->ref_handler);
        lua_pushvalue(L, -2);
        lua_rawgeti(L, LUA_REGISTRYINDEX, r->ref_ctx);
        sandbox_next_call(r->sb);
        lua_call(L, 2, 0);
        if (a->ncollect)
            eng_agg_after_call(L, a);
        lua_pop(L, 1);
    }
}

int eng_agg_deliver_call(lua_State *L)
{
    eng_agg_deliver(L, lua_touserdata(L, 1));
    return 0;
}

void eng_agg_end_runs(lua_State *L, rule *r)
{
    for (int i = 0; i < r->nagg; i++) {
        eng_agg *a = &r->agg[i];
        bool kept;
        if (a->runs && a->has_last && !end_run(r, a, &kept))
            luaL_error(L, "aggregate '%s': the rule's memory limit is reached", a->name);
    }
    eng_agg_deliver(L, r);
}

void eng_agg_release(rule *r)
{
    for (int i = 0; i < r->nagg && r->sb; i++) {
        eng_agg *a = &r->agg[i];
        state_alloc(r, a->g, a->capg * sizeof *a->g, 0);
        state_alloc(r, a->lv, a->caplv * sizeof *a->lv, 0);
        state_alloc(r, a->slot, a->nslot * sizeof *a->slot, 0);
        state_alloc(r, a->arena, a->capa, 0);
        state_alloc(r, a->kb, a->capkb, 0);
        state_alloc(r, a->pk, a->cappk, 0);
        state_alloc(r, a->shown, a->capshown, 0);
        a->shown = NULL;
        a->nshown = a->capshown = 0;
        for (int c = 0; c < 3; c++) {
            agg_cols *k = &a->col[c];
            state_alloc(r, k->v, k->capv * sizeof *k->v, 0);
            state_alloc(r, k->s, k->caps, 0);
            state_alloc(r, k->ln, k->capln * sizeof *k->ln, 0);
            *k = (agg_cols){0};
        }
        a->g = NULL, a->lv = NULL, a->slot = NULL, a->arena = a->kb = a->pk = NULL;
        a->ng = a->capg = a->caplv = a->nslot = a->na = a->capa = a->capkb = a->cappk = 0;
        a->has_last = a->pending = false;
        a->before_score = 0;
        a->filled = a->shown_ok = a->in_tbl = 0; /* the lists keep list_n: cleared when filled next */
        a->live = a->shown_nsum = false;
        if (a->seen)
            eng_seen_release(r, a);
    }
    for (uint32_t i = 0; i < r->nagg_file; i++)
        free(r->agg_file[i]);
    free(r->agg_file);
    r->agg_file = NULL;
    r->nagg_file = r->agg_last_file = 0;
}

int eng_c_groups(lua_State *L)
{
    rule *r = eng_up_rule(L);
    const char *name = luaL_checkstring(L, 1);
    for (int i = 0; i < r->nagg; i++) {
        eng_agg *a = &r->agg[i];
        if (strcmp(a->name, name) != 0)
            continue;
        if (a->seen) {
            eng_seen_summary(L, r, a);
            return 1;
        }
        if (a->runs)
            return luaL_error(L, "rhv.groups: '%s' is a runs aggregation: its runs go to on_%s", name, name);
        if (a->ng > (size_t)INT32_MAX)
            return luaL_error(L, "rhv.groups: '%s' has too many groups for one list", name);
        lua_createtable(L, (int)a->ng, 0);
        for (size_t gi = 0; gi < a->ng; gi++) {
            push_group(L, r, a, gi);
            lua_rawseti(L, -2, (lua_Integer)gi + 1);
        }
        return 1;
    }
    return luaL_error(L, "rhv.groups: the rule declares no aggregation '%s' (aggregate = { %s = {...} })", name,
                      name);
}
