/* engine_finding.c - rhv.finding, and the findings a run hands back.
 *
 * rhv.finding checks every field and copies the finding into the rule (a bad
 * one raises at the rule's line); the table is read raw and once
 * (lua_fields.h). At most MAX_FINDINGS_PER_RULE per rule, holding at most the
 * rule's memory limit in bytes: past either the rule fails, caught or not.
 * At the end each rule's findings are sorted by content (engine.h: subject
 * with digit runs by value, kind, criterion, amount largest first, ...) and
 * collected in rule order; a rule in error contributes none.
 */
#include "engine_internal.h"
#include "lua_fields.h"

#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void eng_drop_findings(rule *r)
{
    for (size_t i = 0; i < r->nf; i++)
        finding_free(&r->findings[i]);
    r->nf = 0;
    r->findings_bytes = 0;
}

/* The formats of a finding and of an evidence entry (docs/rule-api.md). The
 * order is the order problems are reported in. */
enum { F_KIND, F_AMOUNT, F_CRITERION, F_COUNTS, F_SUBJECT, F_MESSAGE, F_TOELICHTING, F_EVIDENCE, F_OMITTED, F_KEY,
       F_N };
static const lf_field finding_fmt[] = {
    [F_KIND] = {"kind", LF_STRING, LF_REQUIRED},
    [F_AMOUNT] = {"amount", LF_INTEGER, LF_REQUIRED},
    [F_CRITERION] = {"criterion", LF_STRING, 0},
    [F_COUNTS] = {"counts", LF_BOOLEAN, 0},
    [F_SUBJECT] = {"subject", LF_STRING, LF_REQUIRED | LF_NONEMPTY | LF_TEXT},
    [F_MESSAGE] = {"message", LF_STRING, LF_REQUIRED | LF_NONEMPTY | LF_TEXT},
    [F_TOELICHTING] = {"toelichting", LF_STRING, LF_NONEMPTY | LF_TEXT | LF_MULTILINE},
    [F_EVIDENCE] = {"evidence", LF_TABLE, 0},
    [F_OMITTED] = {"evidence_omitted", LF_TABLE, 0},
    [F_KEY] = {"key", LF_STRING, LF_NONEMPTY | LF_TEXT},
    [F_N] = {NULL, 0, 0},
};
enum { E_FILE, E_LINE, E_KEY, E_AMOUNT, E_N };
static const lf_field evidence_fmt[] = {
    [E_FILE] = {"file", LF_STRING, LF_REQUIRED | LF_TEXT},
    [E_LINE] = {"line", LF_INTEGER, LF_REQUIRED},
    [E_KEY] = {"key", LF_STRING, LF_TEXT},
    [E_AMOUNT] = {"amount", LF_INTEGER, 0},
    [E_N] = {NULL, 0, 0},
};
#define MAX_EVIDENCE 10000

/* Key problems of the finding or an evidence entry (what names which). */
static void raise_key_problem(lua_State *L, const lf_result *res, const char *what)
{
    if (res->problem == LF_KEY_NOT_STRING)
        luaL_error(L, "rhv.finding: %s has a non-string key", what);
    if (res->problem == LF_UNKNOWN_KEY)
        luaL_error(L, "rhv.finding: unknown field '%s' in %s", res->key, what);
    if (res->problem == LF_TOO_MANY_KEYS)
        luaL_error(L, "rhv.finding: %s has more than %d fields", what, LF_MAX_KEYS);
    if (res->problem == LF_NO_MEMORY)
        luaL_error(L, "rhv.finding: out of memory");
}

/* A report text with a control character or a line break where none may be
 * (rejected, not cleaned: the rule's author should see it). */
static void raise_text_problem(lua_State *L, const lf_value *v, const char *name)
{
    if (v->problem == LF_LINE_BREAK)
        luaL_error(L, "rhv.finding: %s must be one line", name);
    if (v->problem == LF_CONTROL)
        luaL_error(L, "rhv.finding: %s has a control character (byte %d at offset %d): report text "
                      "takes no escape sequences, tabs or carriage returns",
                   name, v->ch, (int)v->at);
}
/* A limit passed: the rule fails, also when it catches this error with
 * pcall (eng_protected looks at r->limit after every call). The position is
 * kept as fields, like every rule error (sandbox.h). */
static void raise_limit(lua_State *L, rule *r, const char *msg)
{
    if (!r->limit.message) {
        lua_Debug ar;
        if (lua_getstack(L, 1, &ar) && lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) {
            r->limit.file = strdup(ar.short_src);
            r->limit.line = ar.currentline;
        }
        r->limit.message = strdup(msg);
    }
    luaL_error(L, "%s", msg);
}

static size_t text_bytes(const char *s)
{
    return s ? strlen(s) + 1 : 0;
}

/* What a finding holds in the host's memory: counted against the rule's
 * memory limit together with the findings before it. */
static size_t finding_bytes(const rhv_finding *f)
{
    size_t n = sizeof *f + text_bytes(f->rule) + text_bytes(f->subject) + text_bytes(f->message) +
               text_bytes(f->toelichting) + text_bytes(f->key) + f->nev * sizeof *f->ev;
    for (size_t i = 0; i < f->nev; i++)
        n += text_bytes(f->ev[i].file) + text_bytes(f->ev[i].key);
    return n;
}

static void make_room(lua_State *L, rule *r)
{
    if (r->nf >= MAX_FINDINGS_PER_RULE) {
        char msg[128];
        snprintf(msg, sizeof msg, "rhv.finding: more than %d findings from one rule", MAX_FINDINGS_PER_RULE);
        raise_limit(L, r, msg);
    }
    if (r->nf == r->capf) {
        size_t nc = r->capf ? r->capf * 2 : 16;
        rhv_finding *nf = realloc(r->findings, nc * sizeof *nf);
        if (!nf)
            luaL_error(L, "rhv.finding: out of memory");
        r->findings = nf;
        r->capf = nc;
    }
}

/* The evidence list at ev into f, each entry checked as it is copied. */
static void take_evidence(lua_State *L, rhv_finding *f, int ev)
{
    lua_Unsigned nev = lua_rawlen(L, ev);
    if (nev > MAX_EVIDENCE)
        luaL_error(L, "rhv.finding: evidence has %lld entries (at most %d)", (long long)nev, MAX_EVIDENCE);
    if (nev == 0)
        return;
    f->ev = calloc((size_t)nev, sizeof *f->ev);
    if (!f->ev)
        luaL_error(L, "rhv.finding: out of memory");
    for (lua_Unsigned i = 1; i <= nev; i++) {
        int top = lua_gettop(L);
        if (lua_rawgeti(L, ev, (lua_Integer)i) != LUA_TTABLE)
            luaL_error(L, "rhv.finding: evidence[%d] is not a table", (int)i);
        lf_value v[E_N];
        lf_result res;
        lf_check(L, -1, evidence_fmt, 0, v, &res);
        rhv_evidence *x = &f->ev[f->nev++];
        x->file = v[E_FILE].s; /* owned by f from here: freed with it on any error below */
        x->key = v[E_KEY].s;
        x->line = (long)v[E_LINE].i;
        x->has_amount = v[E_AMOUNT].type == LUA_TNUMBER;
        x->amount = (rhv_cents)v[E_AMOUNT].i;
        if (res.problem != LF_OK) {
            char what[64];
            snprintf(what, sizeof what, "evidence[%d].%s", (int)i, res.field >= 0 ? evidence_fmt[res.field].name : "");
            raise_key_problem(L, &res, "evidence");
            raise_text_problem(L, &v[res.field], what);
            if (res.field == E_FILE)
                luaL_error(L, "rhv.finding: %s must be a string", what);
            if (res.field == E_LINE)
                luaL_error(L, "rhv.finding: %s must be an integer", what);
            if (res.field == E_AMOUNT)
                luaL_error(L, "rhv.finding: %s must be an integer number of cents", what);
            luaL_error(L, "rhv.finding: %s must be a string", what);
        }
        lua_settop(L, top);
    }
}

/* evidence_omitted = {count = N, amount = cents}: the records a rule left out
 * of a bounded evidence list (docs/rule-api.md). */
enum { O_COUNT, O_AMOUNT, O_N };
static const lf_field omitted_fmt[] = {
    [O_COUNT] = {"count", LF_INTEGER, LF_REQUIRED},
    [O_AMOUNT] = {"amount", LF_INTEGER, 0},
    [O_N] = {NULL, 0, 0},
};

static void take_omitted(lua_State *L, rhv_finding *f, int t)
{
    lf_value v[O_N];
    lf_result res;
    lf_check(L, t, omitted_fmt, 0, v, &res);
    if (res.problem != LF_OK) {
        raise_key_problem(L, &res, "evidence_omitted");
        if (res.field == O_AMOUNT)
            luaL_error(L, "rhv.finding: evidence_omitted.amount must be an integer number of cents");
        luaL_error(L, "rhv.finding: evidence_omitted.count must be an integer >= 0");
    }
    if (v[O_COUNT].i < 0)
        luaL_error(L, "rhv.finding: evidence_omitted.count must be an integer >= 0");
    f->ev_omitted = (size_t)v[O_COUNT].i;
    f->has_omitted_amount = v[O_AMOUNT].type == LUA_TNUMBER;
    f->omitted_amount = (rhv_cents)v[O_AMOUNT].i;
}

/* Raises the first problem of the finding's fields, in the order of
 * finding_fmt; returns when there is none. */
static void raise_field_problem(lua_State *L, const lf_value *v, bool kind_ok, bool crit_ok)
{
    for (int i = 0; i < F_N; i++) {
        const lf_value *x = &v[i];
        if (x->problem == LF_NO_MEMORY)
            luaL_error(L, "rhv.finding: out of memory");
        bool bad = x->problem != LF_OK;
        switch (i) {
        case F_KIND:
            if (bad || !kind_ok)
                luaL_error(L, "rhv.finding: kind must be \"fout\", \"onzekerheid\" or \"signalering\"");
            break;
        case F_AMOUNT:
            if (bad)
                luaL_error(L, "rhv.finding: amount must be an integer number of cents, got %s",
                                  x->type == LUA_TNUMBER ? "a float" : lua_typename(L, x->type));
            if (x->i < 0)
                luaL_error(L, "rhv.finding: amount must not be negative");
            break;
        case F_CRITERION:
            if (bad || !crit_ok)
                luaL_error(L, "rhv.finding: criterion must be begrotingscriterium, voorwaardencriterium, "
                                     "misbruik_oneigenlijk_gebruik or geen");
            break;
        case F_COUNTS:
            if (bad)
                luaL_error(L, "rhv.finding: counts must be a boolean");
            break;
        case F_SUBJECT:
        case F_MESSAGE:
        case F_TOELICHTING:
            if (bad) {
                if (i == F_MESSAGE && x->problem == LF_LINE_BREAK)
                    luaL_error(L, "rhv.finding: message must be one line (put details in toelichting)");
                raise_text_problem(L, x, finding_fmt[i].name);
                luaL_error(L, "rhv.finding: %s must be a non-empty string", finding_fmt[i].name);
            }
            break;
        case F_EVIDENCE:
            if (bad)
                luaL_error(L, "rhv.finding: evidence must be a list of rhv.evidence(...) tables");
            break;
        case F_OMITTED:
            if (bad)
                luaL_error(L, "rhv.finding: evidence_omitted must be a table {count = N, amount = cents}");
            break;
        case F_KEY:
            if (bad) {
                raise_text_problem(L, x, "key");
                luaL_error(L, "rhv.finding: key must be a non-empty string");
            }
            break;
        }
    }
}

/* Read the finding into r->pending (freed there if anything below raises),
 * then move it into the rule's findings. */
int eng_c_finding(lua_State *L)
{
    rule *r = eng_up_rule(L);
    finding_free(&r->pending);
    if (r->limit.message) /* past a limit already: nothing more is taken */
        return luaL_error(L, "%s", r->limit.message);
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);

    rhv_finding *f = &r->pending;
    lf_value v[F_N];
    lf_result res;
    lf_check(L, 1, finding_fmt, 0, v, &res);
    /* Take the copies before anything can raise: the texts are the finding's
     * (freed with r->pending), kind and criterion are parsed. */
    f->subject = v[F_SUBJECT].s;
    f->message = v[F_MESSAGE].s;
    f->toelichting = v[F_TOELICHTING].s;
    f->key = v[F_KEY].s;
    v[F_SUBJECT].s = v[F_MESSAGE].s = v[F_TOELICHTING].s = v[F_KEY].s = NULL;
    finding_kind kind = KIND_FOUT;
    criterion crit = r->info.crit;
    bool kind_ok = v[F_KIND].s && finding_kind_parse(v[F_KIND].s, &kind) == 0;
    bool crit_ok = !v[F_CRITERION].s || criterion_parse(v[F_CRITERION].s, &crit) == 0;
    lf_free(v, F_N);
    raise_key_problem(L, &res, "the finding");

    raise_field_problem(L, v, kind_ok, crit_ok);
    f->kind = kind;
    f->crit = crit;
    f->amount = v[F_AMOUNT].i;
    /* A signalering is never an amount of afwijking: it never counts, whatever
     * the rule said, so tools reading the JSON need not know the kinds. */
    f->counts = kind == KIND_SIGNALERING ? false : v[F_COUNTS].type == LUA_TNIL || v[F_COUNTS].i;
    if (v[F_EVIDENCE].idx)
        take_evidence(L, f, v[F_EVIDENCE].idx);
    if (v[F_OMITTED].idx)
        take_omitted(L, f, v[F_OMITTED].idx);
    make_room(L, r);
    if (!(f->rule = strdup(r->info.id)))
        return luaL_error(L, "rhv.finding: out of memory");

    size_t bytes = finding_bytes(f), limit = sandbox_mem_limit(r->sb);
    if (bytes > limit || r->findings_bytes > limit - bytes) {
        char msg[160];
        snprintf(msg, sizeof msg, "rhv.finding: the findings of this rule take more than %zu bytes (its memory limit)",
                 limit);
        raise_limit(L, r, msg);
    }
    r->findings_bytes += bytes;
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
    if ((c = nullable_cmp(a->key, b->key)))
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

int engine_add_findings(rhv_engine *e, const char *id, rhv_finding *fs, size_t n)
{
    size_t k = 0;
    while (k < e->nrules && strcmp(e->rules[k]->info.id, id) != 0)
        k++;
    if (n == 0)
        return 0;
    rhv_finding *all = k < e->nrules && e->rules[k]->info.status == RULE_OK
                           ? realloc(e->findings, (e->nfindings + n) * sizeof *all)
                           : NULL;
    if (!all) {
        for (size_t i = 0; i < n; i++)
            finding_free(&fs[i]);
        return k < e->nrules && e->rules[k]->info.status == RULE_OK ? -1 : 0;
    }
    e->findings = all;
    /* The findings are in rule order: the rule's own run from its first to
     * the first finding of a later rule. */
    size_t at = 0, end;
    for (size_t j = 0; j < k; j++)
        while (at < e->nfindings && strcmp(all[at].rule, e->rules[j]->info.id) == 0)
            at++;
    for (end = at; end < e->nfindings && strcmp(all[end].rule, id) == 0;)
        end++;
    memmove(all + end + n, all + end, (e->nfindings - end) * sizeof *all);
    memcpy(all + end, fs, n * sizeof *all);
    e->nfindings += n;
    qsort(all + at, end + n - at, sizeof *all, finding_cmp);
    return 0;
}
