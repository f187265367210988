/* engine_finding.c - rhv.finding, and the findings a run hands back.
 *
 * rhv.finding checks every field and copies the finding into the rule (a bad
 * one raises at the rule's line); at most MAX_FINDINGS_PER_RULE per rule.
 * At the end each rule's findings are sorted by content (engine.h: subject
 * with digit runs by value, kind, criterion, amount largest first, ...) and
 * collected in rule order; a rule in error contributes none.
 */
#include "engine_internal.h"

#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

void eng_drop_findings(rule *r)
{
    for (size_t i = 0; i < r->nf; i++)
        finding_free(&r->findings[i]);
    r->nf = 0;
}

static const char *const finding_keys[] = {"kind", "amount", "subject", "message", "toelichting",
                                           "counts", "criterion", "evidence", "evidence_omitted", NULL};

static void check_keys(lua_State *L, int t, const char *const *allowed, const char *what)
{
    lua_pushnil(L);
    while (lua_next(L, t)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) != LUA_TSTRING)
            luaL_error(L, "rhv.finding: %s has a non-string key", what);
        const char *k = lua_tostring(L, -1);
        bool ok = false;
        for (int i = 0; allowed[i]; i++)
            if (strcmp(k, allowed[i]) == 0)
                ok = true;
        if (!ok)
            luaL_error(L, "rhv.finding: unknown field '%s' in %s", k, what);
    }
}

static char *dup_or_raise(lua_State *L, const char *s)
{
    char *d = strdup(s);
    if (!d)
        luaL_error(L, "rhv.finding: out of memory");
    return d;
}

/* subject and message non-empty (message one line), toelichting absent or non-empty. */
static int check_texts(lua_State *L)
{
    static const char *const strs[] = {"subject", "message", "toelichting"};
    for (int i = 0; i < 3; i++) {
        lua_getfield(L, 1, strs[i]);
        int optional = i == 2;
        if (optional && lua_isnil(L, -1)) {
            lua_pop(L, 1);
            continue;
        }
        if (lua_type(L, -1) != LUA_TSTRING || lua_rawlen(L, -1) == 0)
            return luaL_error(L, "rhv.finding: %s must be a non-empty string", strs[i]);
        if (i == 1 && strchr(lua_tostring(L, -1), '\n'))
            return luaL_error(L, "rhv.finding: message must be one line (put details in toelichting)");
        lua_pop(L, 1);
    }
    return 0;
}

/* The evidence list at ev (not nil): its length, each entry checked. */
static lua_Integer check_evidence(lua_State *L, int ev)
{
    if (!lua_istable(L, ev))
        return luaL_error(L, "rhv.finding: evidence must be a list of rhv.evidence(...) tables");
    lua_Integer nev = luaL_len(L, ev);
    if (nev < 0 || nev > 10000)
        return luaL_error(L, "rhv.finding: evidence has %d entries (at most 10000)", (int)nev);
    static const char *const ev_keys[] = {"file", "line", "key", "amount", NULL};
    for (lua_Integer i = 1; i <= nev; i++) {
        if (lua_geti(L, ev, i) != LUA_TTABLE)
            return luaL_error(L, "rhv.finding: evidence[%d] is not a table", (int)i);
        check_keys(L, lua_gettop(L), ev_keys, "evidence");
        if (lua_getfield(L, -1, "file") != LUA_TSTRING)
            return luaL_error(L, "rhv.finding: evidence[%d].file must be a string", (int)i);
        lua_pop(L, 1);
        lua_getfield(L, -1, "line");
        if (!lua_isinteger(L, -1))
            return luaL_error(L, "rhv.finding: evidence[%d].line must be an integer", (int)i);
        lua_pop(L, 1);
        int kt = lua_getfield(L, -1, "key");
        if (kt != LUA_TNIL && kt != LUA_TSTRING)
            return luaL_error(L, "rhv.finding: evidence[%d].key must be a string", (int)i);
        lua_pop(L, 1);
        if (lua_getfield(L, -1, "amount") != LUA_TNIL && !lua_isinteger(L, -1))
            return luaL_error(L, "rhv.finding: evidence[%d].amount must be an integer number of cents", (int)i);
        lua_pop(L, 2);
    }
    return nev;
}

/* evidence_omitted = {count = N, amount = cents}: the records a rule left out
 * of a bounded evidence list (docs/rule-api.md). Into f; nil leaves 0. */
static void check_omitted(lua_State *L, rhv_finding *f)
{
    int t = lua_getfield(L, 1, "evidence_omitted");
    if (t == LUA_TNIL) {
        lua_pop(L, 1);
        return;
    }
    static const char *const keys[] = {"count", "amount", NULL};
    if (t != LUA_TTABLE)
        luaL_error(L, "rhv.finding: evidence_omitted must be a table {count = N, amount = cents}");
    check_keys(L, lua_gettop(L), keys, "evidence_omitted");
    lua_getfield(L, -1, "count");
    if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 0)
        luaL_error(L, "rhv.finding: evidence_omitted.count must be an integer >= 0");
    f->ev_omitted = (size_t)lua_tointeger(L, -1);
    if (lua_getfield(L, -2, "amount") != LUA_TNIL) {
        if (!lua_isinteger(L, -1))
            luaL_error(L, "rhv.finding: evidence_omitted.amount must be an integer number of cents");
        f->has_omitted_amount = true;
        f->omitted_amount = (rhv_cents)lua_tointeger(L, -1);
    }
    lua_pop(L, 3);
}

static int make_room(lua_State *L, rule *r)
{
    if (r->nf >= MAX_FINDINGS_PER_RULE)
        return luaL_error(L, "rhv.finding: more than %d findings from one rule", MAX_FINDINGS_PER_RULE);
    if (r->nf == r->capf) {
        size_t nc = r->capf ? r->capf * 2 : 16;
        rhv_finding *nf = realloc(r->findings, nc * sizeof *nf);
        if (!nf)
            return luaL_error(L, "rhv.finding: out of memory");
        r->findings = nf;
        r->capf = nc;
    }
    return 0;
}

static int copy_evidence(lua_State *L, rhv_finding *f, int ev, lua_Integer nev)
{
    f->ev = calloc((size_t)nev, sizeof *f->ev);
    if (!f->ev)
        return luaL_error(L, "rhv.finding: out of memory");
    for (lua_Integer i = 1; i <= nev; i++) {
        rhv_evidence *x = &f->ev[f->nev++];
        lua_geti(L, ev, i);
        lua_getfield(L, -1, "file");
        x->file = dup_or_raise(L, lua_tostring(L, -1));
        lua_getfield(L, -2, "line");
        x->line = (long)lua_tointeger(L, -1);
        if (lua_getfield(L, -3, "key") == LUA_TSTRING)
            x->key = dup_or_raise(L, lua_tostring(L, -1));
        if (lua_getfield(L, -4, "amount") == LUA_TNUMBER) {
            x->has_amount = true;
            x->amount = (rhv_cents)lua_tointeger(L, -1);
        }
        lua_pop(L, 5);
    }
    return 0;
}

/* Copy into r->pending first: if anything below raises, the next call or
 * eng_rule_free releases what was taken. */
int eng_c_finding(lua_State *L)
{
    rule *r = eng_up_rule(L);
    finding_free(&r->pending);
    luaL_checktype(L, 1, LUA_TTABLE);
    check_keys(L, 1, finding_keys, "the finding");

    finding_kind kind;
    lua_getfield(L, 1, "kind");
    if (lua_type(L, -1) != LUA_TSTRING || finding_kind_parse(lua_tostring(L, -1), &kind) != 0)
        return luaL_error(L, "rhv.finding: kind must be \"fout\", \"onzekerheid\" or \"signalering\"");
    lua_pop(L, 1);

    lua_getfield(L, 1, "amount");
    if (!lua_isinteger(L, -1))
        return luaL_error(L, "rhv.finding: amount must be an integer number of cents, got %s",
                          lua_type(L, -1) == LUA_TNUMBER ? "a float" : luaL_typename(L, -1));
    lua_Integer amount = lua_tointeger(L, -1);
    lua_pop(L, 1);
    if (amount < 0)
        return luaL_error(L, "rhv.finding: amount must not be negative");

    criterion crit = r->info.crit;
    lua_getfield(L, 1, "criterion");
    if (!lua_isnil(L, -1) &&
        (lua_type(L, -1) != LUA_TSTRING || criterion_parse(lua_tostring(L, -1), &crit) != 0))
        return luaL_error(L, "rhv.finding: criterion must be begrotingscriterium, voorwaardencriterium, "
                             "misbruik_oneigenlijk_gebruik or geen");
    lua_pop(L, 1);

    bool counts = true;
    lua_getfield(L, 1, "counts");
    if (!lua_isnil(L, -1)) {
        if (!lua_isboolean(L, -1))
            return luaL_error(L, "rhv.finding: counts must be a boolean");
        counts = lua_toboolean(L, -1);
    }
    lua_pop(L, 1);

    check_texts(L);
    rhv_finding omitted = {0};
    check_omitted(L, &omitted);

    lua_getfield(L, 1, "evidence");
    int ev = lua_gettop(L);
    lua_Integer nev = lua_isnil(L, ev) ? 0 : check_evidence(L, ev);
    make_room(L, r);

    /* Everything is valid: copy. */
    rhv_finding *f = &r->pending;
    f->crit = crit;
    f->kind = kind;
    f->amount = amount;
    /* A signalering is never an amount of afwijking: it never counts, whatever
     * the rule said, so tools reading the JSON need not know the kinds. */
    f->counts = kind == KIND_SIGNALERING ? false : counts;
    f->ev_omitted = omitted.ev_omitted;
    f->has_omitted_amount = omitted.has_omitted_amount;
    f->omitted_amount = omitted.omitted_amount;
    f->rule = dup_or_raise(L, r->info.id);
    lua_getfield(L, 1, "subject");
    f->subject = dup_or_raise(L, lua_tostring(L, -1));
    lua_getfield(L, 1, "message");
    f->message = dup_or_raise(L, lua_tostring(L, -1));
    if (lua_getfield(L, 1, "toelichting") == LUA_TSTRING)
        f->toelichting = dup_or_raise(L, lua_tostring(L, -1));
    lua_pop(L, 3);
    if (nev > 0)
        copy_evidence(L, f, ev, nev);
    r->findings[r->nf++] = *f;
    memset(f, 0, sizeof *f);
    return 0;
}

/* Text order with digit runs compared by value: "Programma 2" < "Programma 10". */
static int natural_cmp(const char *a, const char *b)
{
    while (*a && *b) {
        if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
            while (*a == '0')
                a++;
            while (*b == '0')
                b++;
            size_t la = 0, lb = 0;
            while (a[la] >= '0' && a[la] <= '9')
                la++;
            while (b[lb] >= '0' && b[lb] <= '9')
                lb++;
            if (la != lb)
                return la < lb ? -1 : 1;
            int c = strncmp(a, b, la);
            if (c)
                return c;
            a += la;
            b += lb;
            continue;
        }
        if (*a != *b)
            return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
        a++;
        b++;
    }
    return (unsigned char)*a - (unsigned char)*b;
}

static int nullable_cmp(const char *a, const char *b)
{
    if (!a || !b)
        return (a != NULL) - (b != NULL);
    return strcmp(a, b);
}

/* Within a rule findings are ordered by content, not emission: a rule that
 * loops with pairs() emits in an order that differs between runs. */
static int finding_cmp(const void *pa, const void *pb)
{
    const rhv_finding *a = pa, *b = pb;
    int c;
    if ((c = natural_cmp(a->subject, b->subject)))
        return c;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    if (a->crit != b->crit)
        return a->crit < b->crit ? -1 : 1;
    if (a->amount != b->amount)
        return a->amount > b->amount ? -1 : 1;
    if (a->counts != b->counts)
        return a->counts ? -1 : 1;
    if ((c = strcmp(a->message, b->message)))
        return c;
    if ((c = nullable_cmp(a->toelichting, b->toelichting)))
        return c;
    if (a->nev != b->nev)
        return a->nev < b->nev ? -1 : 1;
    for (size_t i = 0; i < a->nev; i++) {
        if ((c = strcmp(a->ev[i].file, b->ev[i].file)))
            return c;
        if (a->ev[i].line != b->ev[i].line)
            return a->ev[i].line < b->ev[i].line ? -1 : 1;
        if ((c = nullable_cmp(a->ev[i].key, b->ev[i].key)))
            return c;
        if (a->ev[i].has_amount != b->ev[i].has_amount)
            return a->ev[i].has_amount ? 1 : -1;
        if (a->ev[i].amount != b->ev[i].amount)
            return a->ev[i].amount < b->ev[i].amount ? -1 : 1;
    }
    if (a->ev_omitted != b->ev_omitted)
        return a->ev_omitted < b->ev_omitted ? -1 : 1;
    if (a->omitted_amount != b->omitted_amount)
        return a->omitted_amount < b->omitted_amount ? -1 : 1;
    return 0;
}

/* Move the findings of the rules that ended ok into e->findings, each rule's
 * sorted (engine.h), in rule order; total is their number. */
void eng_collect_findings(rhv_engine *e, size_t total)
{
    rhv_finding *all = total ? calloc(total, sizeof *all) : NULL;
    if (total && !all) {
        diag_error(e->diag, "rhv", 0, "out of memory collecting findings");
        return;
    }
    size_t n = 0;
    for (size_t k = 0; k < e->nrules; k++) {
        rule *r = e->rules[k];
        if (r->info.status != RULE_OK || r->nf == 0)
            continue;
        qsort(r->findings, r->nf, sizeof *r->findings, finding_cmp);
        memcpy(all + n, r->findings, r->nf * sizeof *all);
        n += r->nf;
        r->nf = 0; /* moved */
    }
    for (size_t i = 0; i < e->nfindings; i++)
        finding_free(&e->findings[i]);
    free(e->findings);
    e->findings = all;
    e->nfindings = n;
}
