/* engine.c - see engine.h and docs/rule-api.md
 *
 * Every touch of a rule's lua_State that can allocate runs inside
 * sandbox_pcall (through a small C trampoline): a memory error or a rule's
 * error must come back as a status, never reach the panic function.
 */
#include "engine.h"

#include <dirent.h>
#include <inttypes.h>
#include <lauxlib.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "params.h"
#include "paths.h"
#include "sandbox.h"
#include "selector.h"

#define DEFAULT_MEM (64u * 1024u * 1024u)
#define DEFAULT_BUDGET 50000000u
/* finish() sees the whole run at once (sorting every invoice, every
 * supplier): it gets this many times the per-record budget. */
#define FINISH_BUDGET_FACTOR 20u
#define MAX_TYPES 64
#define MAX_FINDINGS_PER_RULE 100000
#define ERRBUF 1024

typedef enum { ARG_INT, ARG_BOOL, ARG_STR } arg_type;

typedef struct {
    char *key;
    arg_type type;
    int64_t i;
    char *s;
} rule_arg;

typedef struct rule rule;
struct rule {
    rhv_rule_info info;
    rhv_engine *e;
    sandbox *sb;
    bool running;
    int ref_ctx, ref_finish, ref_readonly;
    int ref_handler[MAX_TYPES];
    int ref_rec[MAX_TYPES];
    int ref_keys[MAX_TYPES]; /* field names as Lua strings: no lookup per record */
    uint64_t present[MAX_TYPES]; /* fields now non-nil in the reused record table */
    uint64_t used[MAX_TYPES];    /* fields this rule has read (bit nfields: _file,
                                  * nfields + 1: _line): the only ones set per record */
    const rhv_record *cur_rec;   /* the record of the running handler call */
    int cur_ti;                  /* its type index */
    size_t mem_peak;         /* kept when the state is freed early */
    bool diag_deferred;      /* error met on a worker thread: reported at join */
    bool reads[MAX_TYPES];
    int year_from, year_to;
    bool year_open;
    char **params;
    size_t nparams;
    rule_arg *args;
    size_t nargs;
    rhv_finding *findings;
    size_t nf, capf;
    rhv_finding pending;     /* being copied: freed if a Lua error cuts it short */
    char meta_err[ERRBUF];   /* first metadata problem, set by check_meta */
    char *description, *legal_text, *legal_source;
    const char *read_names[MAX_TYPES];
    size_t nread_names;
    bool requires[MAX_TYPES]; /* types without which the rule concludes nothing */
    const char *require_names[MAX_TYPES];
    size_t nrequire_names;
};

typedef struct {
    char *name;
    rhv_pvalue value;
} param_override;

struct rhv_engine {
    size_t mem_limit;
    uint64_t budget;
    char *plugins_dir, *params_dir;
    rhv_diag *diag;
    rhv_diag own_diag;
    char *lib, *lib_chunk;   /* plugins/lib/rhv.lua, read once */
    size_t lib_len;
    rule **rules;
    size_t nrules;
    rhv_param_table **tables; /* loaded params files (cache) */
    size_t ntables;
    rhv_param_info *pinfo;    /* those used by the loaded rules, by name */
    size_t npinfo;
    param_override *povr;
    size_t npovr;
    char **overrides;
    size_t noverrides;
    rule **by_type[MAX_TYPES];
    size_t nby_type[MAX_TYPES];
    rhv_finding *findings;
    size_t nfindings;
    int year;
    bool started;
    const rhv_record_type *last_type;
    int last_index;
    int threads;              /* opts.threads */
    struct pool *pool;        /* worker threads between engine_start and engine_finish */
    bool defer_diag;          /* workers running: rule errors reach diag at join */
};

/* ---- small helpers ------------------------------------------------------ */

static int type_index(const rhv_record_type *t)
{
    for (int i = 0; i < rhv_record_type_count; i++)
        if (rhv_record_types[i] == t)
            return i;
    return -1;
}

static char *base_name(const char *path)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    size_t n = strlen(b);
    if (n > 4 && strcmp(b + n - 4, ".lua") == 0)
        n -= 4;
    return strndup(b, n);
}

static bool valid_id(const char *s)
{
    /* ^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$ */
    if (!(*s >= 'a' && *s <= 'z'))
        return false;
    bool after_dot = false;
    for (s++; *s; s++) {
        if (*s == '.') {
            if (after_dot)
                return false;
            after_dot = true;
        } else if ((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_') {
            after_dot = false;
        } else {
            return false;
        }
    }
    return !after_dot;
}

/* "on_" + type name with '.' as '_' */
static void handler_name(const char *type, char *buf, size_t n)
{
    snprintf(buf, n, "on_%s", type);
    for (char *p = buf; *p; p++)
        if (*p == '.')
            *p = '_';
}

static char *first_line(const char *s)
{
    const char *nl = strchr(s, '\n');
    return strndup(s, nl ? (size_t)(nl - s) : strlen(s));
}

static void rule_error_diag(rule *r, const char *msg)
{
    /* "file:line: text" from Lua or "file: text" from the checks: give the
     * diag its own file and line instead of repeating them in the text. */
    char *fl = first_line(msg);
    const char *text = fl ? fl : msg;
    long line = 0;
    size_t flen = strlen(r->info.file);
    if (strncmp(text, r->info.file, flen) == 0 && text[flen] == ':') {
        char *end;
        long l = strtol(text + flen + 1, &end, 10);
        if (end != text + flen + 1 && *end == ':') {
            line = l;
            text = end + 1;
        } else {
            text += flen + 1;
        }
        while (*text == ' ')
            text++;
    }
    diag_error(r->e->diag, r->info.file, line, "rule %s: %s", r->info.id, text);
    free(fl);
}

static void rule_set_error(rule *r, const char *msg)
{
    char *m = strdup(msg);
    free(r->info.message);
    r->info.message = m;
    r->info.status = RULE_ERROR;
    r->running = false;
    /* The diag is shared: worker threads leave it to the join, which also
     * keeps the order of the messages independent of thread timing. */
    if (r->e->defer_diag)
        r->diag_deferred = true;
    else
        rule_error_diag(r, m ? m : msg);
}

static void rule_set_skipped(rule *r, const char *reason)
{
    free(r->info.message);
    r->info.message = strdup(reason);
    r->info.status = RULE_SKIPPED;
    r->running = false;
}

static void drop_findings(rule *r)
{
    for (size_t i = 0; i < r->nf; i++)
        finding_free(&r->findings[i]);
    r->nf = 0;
}

static void rule_free(rule *r)
{
    if (!r)
        return;
    rule_info_free(&r->info);
    sandbox_free(r->sb);
    for (size_t i = 0; i < r->nparams; i++)
        free(r->params[i]);
    free(r->params);
    for (size_t i = 0; i < r->nargs; i++) {
        free(r->args[i].key);
        free(r->args[i].s);
    }
    free(r->args);
    drop_findings(r);
    free(r->findings);
    finding_free(&r->pending);
    free(r->description);
    free(r->legal_text);
    free(r->legal_source);
    free(r);
}

/* Keep the rule list sorted by id (stable: equal ids keep load order). */
static void insert_sorted(rhv_engine *e, rule *r)
{
    size_t i = e->nrules;
    while (i > 0 && strcmp(e->rules[i - 1]->info.id, r->info.id) > 0) {
        e->rules[i] = e->rules[i - 1];
        i--;
    }
    e->rules[i] = r;
    e->nrules++;
}

/* ---- rhv C functions (upvalue 1: the rule) ------------------------------ */

static rule *up_rule(lua_State *L)
{
    return lua_touserdata(L, lua_upvalueindex(1));
}

static lua_Integer check_int(lua_State *L, int arg, const char *fn)
{
    if (!lua_isinteger(L, arg))
        luaL_error(L, "%s: argument %d must be an integer, got %s", fn, arg,
                   lua_type(L, arg) == LUA_TNUMBER ? "a float" : luaL_typename(L, arg));
    return lua_tointeger(L, arg);
}

static int c_format(lua_State *L)
{
    char buf[MONEY_FMT_MAX];
    lua_pushstring(L, money_format(check_int(L, 1, "rhv.format"), buf));
    return 1;
}

static int c_plain(lua_State *L)
{
    char buf[MONEY_FMT_MAX];
    lua_pushstring(L, money_format_plain(check_int(L, 1, "rhv.plain"), buf));
    return 1;
}

static int c_cents(lua_State *L)
{
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    rhv_cents c;
    money_status st;
    /* A comma means the Dutch form; "1234.56" is a decimal point; "1.234"
     * (three digits after the dot) can only be Dutch thousands. */
    if (memchr(s, ',', len))
        st = money_parse_nl(s, len, &c);
    else if ((st = money_parse(s, len, &c)) == MONEY_PRECISION)
        st = money_parse_nl(s, len, &c);
    if (st != MONEY_OK)
        return luaL_error(L, "rhv.cents: '%s' is not an amount (%s)", s, money_status_text(st));
    lua_pushinteger(L, c);
    return 1;
}

static int c_round_div(lua_State *L)
{
    lua_Integer a = check_int(L, 1, "rhv.round_div"), b = check_int(L, 2, "rhv.round_div");
    if (b == 0)
        return luaL_error(L, "rhv.round_div: division by zero");
    lua_pushinteger(L, div_round_half_away(a, b));
    return 1;
}

/* v / 10^decimals as text with a decimal comma. */
static void push_fixed(lua_State *L, __int128 v, int decimals, const char *suffix)
{
    char buf[64];
    int neg = v < 0;
    unsigned __int128 u = neg ? (unsigned __int128)(-v) : (unsigned __int128)v;
    char digits[48];
    int n = 0;
    do {
        digits[n++] = (char)('0' + (int)(u % 10));
        u /= 10;
    } while (u && n < 47);
    while (n <= decimals)
        digits[n++] = '0';
    size_t o = 0;
    if (neg)
        buf[o++] = '-';
    for (int i = n - 1; i >= 0; i--) {
        buf[o++] = digits[i];
        if (i == decimals && decimals > 0)
            buf[o++] = ',';
    }
    buf[o] = '\0';
    lua_pushfstring(L, "%s%s", buf, suffix);
}

static __int128 pow10i(int n)
{
    __int128 p = 1;
    while (n-- > 0)
        p *= 10;
    return p;
}

static __int128 div_half_away128(__int128 a, __int128 b)
{
    __int128 q = a / b, r = a % b;
    if (r < 0)
        r = -r;
    __int128 ab = b < 0 ? -b : b;
    if (2 * r >= ab)
        q += ((a < 0) != (b < 0)) ? -1 : 1;
    return q;
}

static int c_pct(lua_State *L)
{
    lua_Integer part = check_int(L, 1, "rhv.pct"), whole = check_int(L, 2, "rhv.pct");
    lua_Integer dec = lua_isnoneornil(L, 3) ? 2 : check_int(L, 3, "rhv.pct");
    if (whole == 0)
        return luaL_error(L, "rhv.pct: whole is zero");
    if (dec < 0 || dec > 6)
        return luaL_error(L, "rhv.pct: decimals must be 0..6");
    __int128 v = div_half_away128((__int128)part * 100 * pow10i((int)dec), whole);
    push_fixed(L, v, (int)dec, "%");
    return 1;
}

static int c_scaled(lua_State *L)
{
    lua_Integer v = check_int(L, 1, "rhv.scaled"), scale = check_int(L, 2, "rhv.scaled");
    lua_Integer dec = lua_isnoneornil(L, 3) ? scale : check_int(L, 3, "rhv.scaled");
    if (scale < 0 || scale > 9 || dec < 0 || dec > 9)
        return luaL_error(L, "rhv.scaled: scale and decimals must be 0..9");
    __int128 x = v;
    if (dec >= scale)
        x *= pow10i((int)(dec - scale));
    else
        x = div_half_away128(x, pow10i((int)(scale - dec)));
    push_fixed(L, x, (int)dec, "");
    return 1;
}

static int c_log(lua_State *L)
{
    rule *r = up_rule(L);
    int n = lua_gettop(L);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (int i = 1; i <= n; i++) {
        if (i > 1)
            luaL_addchar(&b, ' ');
        luaL_tolstring(L, i, NULL);
        luaL_addvalue(&b);
    }
    luaL_pushresult(&b);
    fprintf(stderr, "[%s] %s\n", r->info.id, lua_tostring(L, -1));
    return 0;
}

static const char *const finding_keys[] = {"kind", "amount", "subject", "message", "toelichting",
                                           "counts", "criterion", "evidence", NULL};

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

/* Copy into r->pending first: if anything below raises, the next call or
 * rule_free releases what was taken. */
static int c_finding(lua_State *L)
{
    rule *r = up_rule(L);
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

    lua_getfield(L, 1, "evidence");
    int ev = lua_gettop(L);
    lua_Integer nev = 0;
    if (!lua_isnil(L, ev)) {
        if (!lua_istable(L, ev))
            return luaL_error(L, "rhv.finding: evidence must be a list of rhv.evidence(...) tables");
        nev = luaL_len(L, ev);
        if (nev < 0 || nev > 10000)
            return luaL_error(L, "rhv.finding: evidence has %d entries (at most 10000)", (int)nev);
        static const char *const ev_keys[] = {"file", "line", "key", NULL};
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
            lua_pop(L, 2);
        }
    }
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

    /* Everything is valid: copy. */
    rhv_finding *f = &r->pending;
    f->crit = crit;
    f->kind = kind;
    f->amount = amount;
    f->counts = counts;
    f->rule = dup_or_raise(L, r->info.id);
    lua_getfield(L, 1, "subject");
    f->subject = dup_or_raise(L, lua_tostring(L, -1));
    lua_getfield(L, 1, "message");
    f->message = dup_or_raise(L, lua_tostring(L, -1));
    if (lua_getfield(L, 1, "toelichting") == LUA_TSTRING)
        f->toelichting = dup_or_raise(L, lua_tostring(L, -1));
    lua_pop(L, 3);
    if (nev > 0) {
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
            lua_pop(L, 4);
        }
    }
    r->findings[r->nf++] = *f;
    memset(f, 0, sizeof *f);
    return 0;
}

static const luaL_Reg rhv_c_funcs[] = {
    {"finding", c_finding}, {"format", c_format},       {"plain", c_plain}, {"cents", c_cents},
    {"round_div", c_round_div}, {"pct", c_pct}, {"scaled", c_scaled},  {"log", c_log},
    {NULL, NULL},
};

/* ---- protected trampolines ---------------------------------------------- */

/* Run f(L) with one light userdata argument under the sandbox's protection. */
static int protected(rule *r, lua_CFunction f, void *ud, char **err)
{
    lua_State *L = sandbox_state(r->sb);
    if (!lua_checkstack(L, 4)) {
        *err = strdup("Lua stack exhausted");
        return -1;
    }
    lua_pushcfunction(L, f);
    lua_pushlightuserdata(L, ud);
    return sandbox_pcall(r->sb, 1, 0, err) == LUA_OK ? 0 : -1;
}

/* Load plugins/lib/rhv.lua and make it the global `rhv`. */
static int init_state(lua_State *L)
{
    rule *r = lua_touserdata(L, 1);
    rhv_engine *e = r->e;
    if (luaL_loadbufferx(L, e->lib, e->lib_len, e->lib_chunk, "t") != LUA_OK)
        return lua_error(L);
    lua_newtable(L);
    lua_pushlightuserdata(L, r);
    luaL_setfuncs(L, rhv_c_funcs, 1);
    lua_call(L, 1, 2);
    if (!lua_istable(L, -2) || !lua_istable(L, -1))
        return luaL_error(L, "%s must return the rhv table and the host table", e->lib_chunk + 1);
    lua_getfield(L, -1, "readonly");
    if (!lua_isfunction(L, -1))
        return luaL_error(L, "%s: host.readonly missing", e->lib_chunk + 1);
    r->ref_readonly = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_pop(L, 1);
    lua_setglobal(L, "rhv");
    return 0;
}

/* ---- metadata ----------------------------------------------------------- */

static void meta_fail(rule *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void meta_fail(rule *r, const char *fmt, ...)
{
    if (r->meta_err[0])
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->meta_err, sizeof r->meta_err, fmt, ap);
    va_end(ap);
}

/* Field `name` of the table at t as a non-empty string, or NULL (pops). */
static const char *get_str(lua_State *L, int t, const char *name)
{
    lua_getfield(L, t, name);
    const char *s = lua_type(L, -1) == LUA_TSTRING && lua_rawlen(L, -1) > 0 ? lua_tostring(L, -1) : NULL;
    lua_pop(L, 1); /* the string stays alive: the table holds it */
    return s;
}

static bool is_year(lua_State *L, int idx)
{
    return lua_isinteger(L, idx) && lua_tointeger(L, idx) >= 1900 && lua_tointeger(L, idx) <= 2999;
}

static rhv_param_table *engine_table(rhv_engine *e, const char *name);

/* Checks the rule table (argument 2) and takes what the engine needs. Problems
 * go to r->meta_err (first one wins); only memory errors raise. */
static int check_meta(lua_State *L)
{
    rule *r = lua_touserdata(L, 1);
    const int t = 2;
    if (!lua_istable(L, t)) {
        meta_fail(r, "the file must return the rule table, got %s", luaL_typename(L, t));
        return 0;
    }
    const char *id = get_str(L, t, "id");
    if (!id) {
        meta_fail(r, "field 'id': missing (a non-empty string)");
        return 0;
    }
    if (!valid_id(id)) {
        meta_fail(r, "field 'id': '%s' is not lowercase dotted (^[a-z][a-z0-9_]*(\\.[a-z0-9_]+)*$)", id);
        return 0;
    }
    char *nid = strdup(id);
    if (!nid)
        return luaL_error(L, "out of memory");
    free(r->info.id);
    r->info.id = nid;
    sandbox_set_name(r->sb, id);

    const char *title = get_str(L, t, "title");
    if (!title)
        meta_fail(r, "field 'title': missing (a non-empty string)");
    else if (!(r->info.title = strdup(title)))
        return luaL_error(L, "out of memory");

    lua_getfield(L, t, "description");
    if (!lua_isnil(L, -1) && lua_type(L, -1) != LUA_TSTRING)
        meta_fail(r, "field 'description': must be a string");
    else if (lua_type(L, -1) == LUA_TSTRING && !(r->description = strdup(lua_tostring(L, -1))))
        return luaL_error(L, "out of memory");
    lua_pop(L, 1);

    const char *crit = get_str(L, t, "criterion");
    if (!crit || criterion_parse(crit, &r->info.crit) != 0)
        meta_fail(r, "field 'criterion': must be \"begrotingscriterium\", \"voorwaardencriterium\", "
                     "\"misbruik_oneigenlijk_gebruik\" or \"geen\"");

    if (lua_getfield(L, t, "legal_basis") != LUA_TTABLE) {
        meta_fail(r, "field 'legal_basis': missing (a table { text = ..., source = ... })");
    } else {
        const char *lt = get_str(L, -1, "text"), *ls = get_str(L, -1, "source");
        if (!lt)
            meta_fail(r, "field 'legal_basis.text': missing (a non-empty string)");
        else if (!(r->legal_text = strdup(lt)))
            return luaL_error(L, "out of memory");
        if (!ls)
            meta_fail(r, "field 'legal_basis.source': missing (a non-empty string: where the text is)");
        else if (!(r->legal_source = strdup(ls)))
            return luaL_error(L, "out of memory");
    }
    lua_pop(L, 1);

    if (lua_getfield(L, t, "years") != LUA_TTABLE) {
        meta_fail(r, "field 'years': missing (a table { from = 2023 [, to = 2024] })");
    } else {
        lua_getfield(L, -1, "from");
        if (!is_year(L, -1))
            meta_fail(r, "field 'years.from': missing (an integer year)");
        else
            r->year_from = (int)lua_tointeger(L, -1);
        lua_getfield(L, -2, "to");
        if (lua_isnil(L, -1)) {
            r->year_open = true;
        } else if (!is_year(L, -1) || lua_tointeger(L, -1) < r->year_from) {
            meta_fail(r, "field 'years.to': must be an integer year >= years.from");
        } else {
            r->year_to = (int)lua_tointeger(L, -1);
        }
        lua_pop(L, 2);
    }
    lua_pop(L, 1);

    if (lua_getfield(L, t, "reads") != LUA_TTABLE || luaL_len(L, -1) == 0) {
        meta_fail(r, "field 'reads': missing (a non-empty list of record types, docs/records.md)");
    } else {
        lua_Integer n = luaL_len(L, -1);
        for (lua_Integer i = 1; i <= n; i++) {
            lua_geti(L, -1, i);
            const rhv_record_type *rt = lua_type(L, -1) == LUA_TSTRING ? record_type_find(lua_tostring(L, -1)) : NULL;
            if (!rt)
                meta_fail(r, "field 'reads[%d]': '%s' is not a record type (docs/records.md)", (int)i,
                          lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : luaL_typename(L, -1));
            else if (!r->reads[type_index(rt)]) {
                r->reads[type_index(rt)] = true;
                r->read_names[r->nread_names++] = rt->name;
            }
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);

    /* After reads: every entry must be one of them. */
    int qt = lua_getfield(L, t, "requires");
    if (qt == LUA_TTABLE) {
        lua_Integer n = luaL_len(L, -1);
        for (lua_Integer i = 1; i <= n; i++) {
            lua_geti(L, -1, i);
            const rhv_record_type *rt = lua_type(L, -1) == LUA_TSTRING ? record_type_find(lua_tostring(L, -1)) : NULL;
            if (!rt)
                meta_fail(r, "field 'requires[%d]': '%s' is not a record type (docs/records.md)", (int)i,
                          lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : luaL_typename(L, -1));
            else if (!r->reads[type_index(rt)])
                meta_fail(r, "field 'requires[%d]': '%s' is not in reads", (int)i, rt->name);
            else if (!r->requires[type_index(rt)]) {
                r->requires[type_index(rt)] = true;
                r->require_names[r->nrequire_names++] = rt->name;
            }
            lua_pop(L, 1);
        }
    } else if (qt != LUA_TNIL) {
        meta_fail(r, "field 'requires': must be a list of record types (docs/records.md)");
    }
    lua_pop(L, 1);

    int pt = lua_getfield(L, t, "params");
    if (pt == LUA_TTABLE) {
        lua_Integer n = luaL_len(L, -1);
        for (lua_Integer i = 1; i <= n && !r->meta_err[0]; i++) {
            lua_geti(L, -1, i);
            if (lua_type(L, -1) != LUA_TSTRING) {
                meta_fail(r, "field 'params[%d]': must be a parameter table name", (int)i);
            } else {
                const char *pn = lua_tostring(L, -1);
                char **np = realloc(r->params, (r->nparams + 1) * sizeof *np);
                if (!np)
                    return luaL_error(L, "out of memory");
                r->params = np;
                if (!(r->params[r->nparams] = strdup(pn)))
                    return luaL_error(L, "out of memory");
                r->nparams++;
                size_t before = r->e->diag->n;
                if (!engine_table(r->e, pn)) {
                    const char *why = r->e->diag->n > before ? r->e->diag->msgs[r->e->diag->n - 1].message
                                                              : "cannot be loaded";
                    meta_fail(r, "field 'params[%d]': parameter table '%s' (%s/%s.lua): %s", (int)i, pn,
                              r->e->params_dir, pn, why);
                }
            }
            lua_pop(L, 1);
        }
    } else if (pt != LUA_TNIL) {
        meta_fail(r, "field 'params': must be a list of parameter table names");
    }
    lua_pop(L, 1);

    int at = lua_getfield(L, t, "args");
    if (at == LUA_TTABLE) {
        lua_pushnil(L);
        while (lua_next(L, -2)) {
            if (lua_type(L, -2) != LUA_TSTRING) {
                meta_fail(r, "field 'args': keys must be names");
                lua_pop(L, 2);
                break;
            }
            const char *k = lua_tostring(L, -2);
            rule_arg a = {0};
            if (lua_isinteger(L, -1)) {
                a.type = ARG_INT;
                a.i = lua_tointeger(L, -1);
            } else if (lua_isboolean(L, -1)) {
                a.type = ARG_BOOL;
                a.i = lua_toboolean(L, -1);
            } else if (lua_type(L, -1) == LUA_TSTRING) {
                a.type = ARG_STR;
            } else {
                meta_fail(r, "field 'args.%s': must be an integer, a boolean or a string (amounts in cents), got %s",
                          k, lua_type(L, -1) == LUA_TNUMBER ? "a float" : luaL_typename(L, -1));
                lua_pop(L, 1);
                continue;
            }
            rule_arg *na = realloc(r->args, (r->nargs + 1) * sizeof *na);
            if (!na)
                return luaL_error(L, "out of memory");
            r->args = na;
            a.key = strdup(k);
            if (a.type == ARG_STR)
                a.s = strdup(lua_tostring(L, -1));
            if (!a.key || (a.type == ARG_STR && !a.s)) {
                free(a.key);
                free(a.s);
                return luaL_error(L, "out of memory");
            }
            r->args[r->nargs++] = a;
            lua_pop(L, 1);
        }
    } else if (at != LUA_TNIL) {
        meta_fail(r, "field 'args': must be a table of name = default");
    }
    lua_pop(L, 1);

    /* Every other key: a handler for a read type, finish, or a helper function. */
    static const char *const known[] = {"id", "title", "description", "criterion", "legal_basis", "years",
                                        "reads", "requires", "params", "args", NULL};
    lua_pushnil(L);
    while (lua_next(L, t)) {
        if (lua_type(L, -2) != LUA_TSTRING) {
            meta_fail(r, "the rule table has a non-string key");
            lua_pop(L, 1);
            continue;
        }
        const char *k = lua_tostring(L, -2);
        bool is_known = false;
        for (int i = 0; known[i]; i++)
            if (strcmp(k, known[i]) == 0)
                is_known = true;
        if (!is_known) {
            if (strcmp(k, "finish") == 0) {
                if (!lua_isfunction(L, -1))
                    meta_fail(r, "field 'finish': must be a function");
            } else if (strncmp(k, "on_", 3) == 0) {
                int found = -1;
                for (int i = 0; i < rhv_record_type_count; i++) {
                    char hn[128];
                    handler_name(rhv_record_types[i]->name, hn, sizeof hn);
                    if (strcmp(hn, k) == 0)
                        found = i;
                }
                if (found < 0)
                    meta_fail(r, "field '%s': no record type has this handler name", k);
                else if (!r->reads[found])
                    meta_fail(r, "field '%s': handler for '%s', which is not in reads", k,
                              rhv_record_types[found]->name);
                else if (!lua_isfunction(L, -1))
                    meta_fail(r, "field '%s': must be a function", k);
            } else if (!lua_isfunction(L, -1)) {
                meta_fail(r, "unknown field '%s' (see docs/rule-api.md)", k);
            }
        }
        lua_pop(L, 1);
    }
    if (r->meta_err[0])
        return 0;

    /* Keep the handlers. */
    for (int i = 0; i < rhv_record_type_count; i++) {
        if (!r->reads[i])
            continue;
        char hn[128];
        handler_name(rhv_record_types[i]->name, hn, sizeof hn);
        if (lua_getfield(L, t, hn) == LUA_TFUNCTION)
            r->ref_handler[i] = luaL_ref(L, LUA_REGISTRYINDEX);
        else
            lua_pop(L, 1);
    }
    if (lua_getfield(L, t, "finish") == LUA_TFUNCTION)
        r->ref_finish = luaL_ref(L, LUA_REGISTRYINDEX);
    else
        lua_pop(L, 1);
    return 0;
}

/* ---- engine ------------------------------------------------------------- */

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 8192, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap)
            break;
        char *nb = realloc(buf, cap * 2);
        if (!nb) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = nb;
        cap *= 2;
    }
    if (buf && ferror(f)) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = n;
    return buf;
}

rhv_engine *engine_new(const rhv_engine_opts *opts)
{
    rhv_engine *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    char buf[4096];
    e->mem_limit = opts && opts->mem_limit ? opts->mem_limit : DEFAULT_MEM;
    e->budget = opts && opts->instr_budget ? opts->instr_budget : DEFAULT_BUDGET;
    e->plugins_dir = strdup(opts && opts->plugins_dir ? opts->plugins_dir : rhv_path(buf, sizeof buf, "plugins"));
    e->params_dir = strdup(opts && opts->params_dir ? opts->params_dir : rhv_path(buf, sizeof buf, "params"));
    diag_init(&e->own_diag, NULL);
    e->diag = opts && opts->diag ? opts->diag : &e->own_diag;
    e->last_index = -1;
    e->threads = opts && opts->threads > 0 ? opts->threads : 0;
    /* Per-rule arrays are indexed by type, presence masks by field. */
    bool fits = rhv_record_type_count <= MAX_TYPES;
    for (int i = 0; i < rhv_record_type_count; i++)
        if (rhv_record_types[i]->nfields > 62)
            fits = false;
    if (!fits) {
        diag_error(e->diag, "rhv", 0, "record schema too large for the engine (max %d types, 62 fields)", MAX_TYPES);
        engine_free(e);
        return NULL;
    }
    if (!e->plugins_dir || !e->params_dir) {
        engine_free(e);
        return NULL;
    }
    snprintf(buf, sizeof buf, "%s/lib/rhv.lua", e->plugins_dir);
    e->lib = read_all(buf, &e->lib_len);
    if (!e->lib) {
        diag_error(e->diag, buf, 0, "cannot read the rule helper library");
        engine_free(e);
        return NULL;
    }
    size_t cl = strlen(buf) + 2;
    e->lib_chunk = malloc(cl);
    if (!e->lib_chunk) {
        engine_free(e);
        return NULL;
    }
    snprintf(e->lib_chunk, cl, "@%s", buf);
    return e;
}

static void pool_stop(rhv_engine *e);
static void pool_start(rhv_engine *e);

void engine_free(rhv_engine *e)
{
    if (!e)
        return;
    pool_stop(e);
    for (size_t i = 0; i < e->nrules; i++)
        rule_free(e->rules[i]);
    free(e->rules);
    for (size_t i = 0; i < e->ntables; i++)
        params_free(e->tables[i]);
    free(e->tables);
    free(e->pinfo);
    for (size_t i = 0; i < e->npovr; i++) {
        free(e->povr[i].name);
        pvalue_free(&e->povr[i].value);
    }
    free(e->povr);
    for (size_t i = 0; i < e->noverrides; i++)
        free(e->overrides[i]);
    free(e->overrides);
    for (int i = 0; i < MAX_TYPES; i++)
        free(e->by_type[i]);
    for (size_t i = 0; i < e->nfindings; i++)
        finding_free(&e->findings[i]);
    free(e->findings);
    free(e->plugins_dir);
    free(e->params_dir);
    free(e->lib);
    free(e->lib_chunk);
    diag_free(&e->own_diag);
    free(e);
}

static rhv_param_table *engine_table(rhv_engine *e, const char *name)
{
    for (size_t i = 0; i < e->ntables; i++)
        if (strcmp(e->tables[i]->name, name) == 0)
            return e->tables[i];
    rhv_param_table **nt = realloc(e->tables, (e->ntables + 1) * sizeof *nt);
    if (!nt)
        return NULL;
    e->tables = nt;
    rhv_param_table *t = params_load_named(e->params_dir, name, e->diag);
    if (t)
        e->tables[e->ntables++] = t;
    return t;
}

/* The params tables used by the rules now in the engine, by name. */
static void rebuild_pinfo(rhv_engine *e)
{
    free(e->pinfo);
    e->pinfo = NULL;
    e->npinfo = 0;
    if (!e->ntables)
        return;
    e->pinfo = calloc(e->ntables, sizeof *e->pinfo);
    if (!e->pinfo)
        return;
    for (size_t i = 0; i < e->ntables; i++) {
        rhv_param_table *t = e->tables[i];
        bool used = false;
        for (size_t j = 0; j < e->nrules && !used; j++)
            for (size_t k = 0; k < e->rules[j]->nparams; k++)
                if (strcmp(e->rules[j]->params[k], t->name) == 0)
                    used = true;
        if (!used)
            continue;
        size_t at = e->npinfo;
        while (at > 0 && strcmp(e->pinfo[at - 1].name, t->name) > 0) {
            e->pinfo[at] = e->pinfo[at - 1];
            at--;
        }
        e->pinfo[at] = (rhv_param_info){t->name, t->file, t->sha256};
        e->npinfo++;
    }
}

static int load_into(rhv_engine *e, rule *r, const char *path);

int engine_load_file(rhv_engine *e, const char *path)
{
    rule **nr = realloc(e->rules, (e->nrules + 1) * sizeof *nr);
    if (!nr) {
        diag_error(e->diag, path, 0, "out of memory");
        return -1;
    }
    e->rules = nr;
    rule *r = calloc(1, sizeof *r);
    if (!r) {
        diag_error(e->diag, path, 0, "out of memory");
        return -1;
    }
    r->e = e;
    r->ref_ctx = r->ref_finish = r->ref_readonly = LUA_NOREF;
    for (int i = 0; i < MAX_TYPES; i++)
        r->ref_handler[i] = r->ref_rec[i] = r->ref_keys[i] = LUA_NOREF;
    r->info.file = strdup(path);
    r->info.id = base_name(path);
    r->info.crit = CRIT_NONE;
    if (!r->info.file || !r->info.id) {
        rule_free(r);
        diag_error(e->diag, path, 0, "out of memory");
        return -1;
    }
    insert_sorted(e, r);
    int rc = load_into(e, r, path);
    /* insert_sorted used the file name; the id read from the file (even of a
     * rule that then failed a check) may sort elsewhere. */
    size_t at = 0;
    while (e->rules[at] != r)
        at++;
    memmove(&e->rules[at], &e->rules[at + 1], (e->nrules - at - 1) * sizeof *e->rules);
    e->nrules--;
    insert_sorted(e, r);
    if (rc == 0)
        rebuild_pinfo(e);
    return rc;
}

/* Everything after the rule is in the list: its status says how it went. */
static int load_into(rhv_engine *e, rule *r, const char *path)
{
    char hex[SHA256_HEX_LEN];
    if (sha256_file(path, hex) != 0) {
        rule_set_error(r, "cannot read the rule file");
        return -1;
    }
    if (!(r->info.sha256 = strdup(hex)) || !(r->sb = sandbox_new(e->mem_limit, e->budget))) {
        rule_set_error(r, "out of memory");
        return -1;
    }
    sandbox_set_name(r->sb, r->info.id);
    char *err = NULL;
    if (protected(r, init_state, r, &err) != 0 || sandbox_seal(r->sb) != 0) {
        char msg[ERRBUF + 64];
        snprintf(msg, sizeof msg, "cannot load the helper library: %s", err ? err : "out of memory");
        free(err);
        rule_set_error(r, msg);
        sandbox_free(r->sb);
        r->sb = NULL;
        return -1;
    }
    lua_State *L = sandbox_state(r->sb);
    lua_pushcfunction(L, check_meta);
    lua_pushlightuserdata(L, r);
    if (sandbox_load_file(r->sb, path, &err) != 0 || sandbox_pcall(r->sb, 0, 1, &err) != LUA_OK ||
        sandbox_pcall(r->sb, 2, 0, &err) != LUA_OK) {
        lua_settop(L, 0);
        rule_set_error(r, err ? err : "out of memory");
        free(err);
        sandbox_free(r->sb);
        r->sb = NULL;
        return -1;
    }
    if (r->meta_err[0]) {
        char msg[ERRBUF + 64];
        snprintf(msg, sizeof msg, "%s: %s", path, r->meta_err);
        rule_set_error(r, msg);
        sandbox_free(r->sb);
        r->sb = NULL;
        return -1;
    }
    for (size_t i = 0; i < e->nrules; i++) {
        rule *o = e->rules[i];
        if (o != r && strcmp(o->info.id, r->info.id) == 0 && o->info.status != RULE_ERROR) {
            char msg[ERRBUF];
            snprintf(msg, sizeof msg, "%s: field 'id': duplicate rule id '%s' (also in %s)", path, r->info.id,
                     o->info.file);
            rule_set_error(r, msg);
            sandbox_free(r->sb);
            r->sb = NULL;
            return -1;
        }
    }
    r->info.status = RULE_OK;
    return 0;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int engine_load_dir(rhv_engine *e, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        diag_error(e->diag, dir, 0, "cannot open the rules folder");
        return -1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        size_t l = strlen(de->d_name);
        if (de->d_name[0] == '.' || l < 5 || strcmp(de->d_name + l - 4, ".lua") != 0)
            continue;
        if (l >= 9 && strcmp(de->d_name + l - 9, "_test.lua") == 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            char **nn = realloc(names, cap * sizeof *nn);
            if (!nn) {
                rc = -1;
                break;
            }
            names = nn;
        }
        if (!(names[n] = strdup(de->d_name))) {
            rc = -1;
            break;
        }
        n++;
    }
    closedir(d);
    if (rc != 0)
        diag_error(e->diag, dir, 0, "out of memory");
    qsort(names, n, sizeof *names, name_cmp);
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (engine_load_file(e, path) != 0)
            rc = -1;
        free(names[i]);
    }
    free(names);
    return rc;
}

/* ---- arguments and selection -------------------------------------------- */

static rule *find_rule(rhv_engine *e, const char *id)
{
    for (size_t i = 0; i < e->nrules; i++)
        if (strcmp(e->rules[i]->info.id, id) == 0)
            return e->rules[i];
    return NULL;
}

static int parse_i64(const char *s, int64_t *out)
{
    const char *p = s;
    bool neg = false;
    if (*p == '-' || *p == '+')
        neg = *p++ == '-';
    if (!*p)
        return -1;
    int64_t v = 0;
    for (; *p; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        if (__builtin_mul_overflow(v, 10, &v) || __builtin_sub_overflow(v, *p - '0', &v))
            return -1;
    }
    if (!neg && __builtin_mul_overflow(v, -1, &v))
        return -1;
    *out = v;
    return 0;
}

int engine_set_rule_arg(rhv_engine *e, const char *assignment)
{
    const char *eq = strchr(assignment, '=');
    const char *dot = NULL;
    for (const char *p = assignment; eq && p < eq; p++)
        if (*p == '.')
            dot = p;
    if (!eq || !dot || dot == assignment || dot + 1 == eq) {
        diag_error(e->diag, "--rule-arg", 0, "'%s': expected ID.key=value", assignment);
        return -1;
    }
    char *id = strndup(assignment, (size_t)(dot - assignment));
    char *key = strndup(dot + 1, (size_t)(eq - dot - 1));
    const char *val = eq + 1;
    int rc = -1;
    if (!id || !key) {
        diag_error(e->diag, "--rule-arg", 0, "out of memory");
        goto out;
    }
    rule *r = find_rule(e, id);
    if (!r) {
        diag_error(e->diag, "--rule-arg", 0, "'%s': no rule with id '%s'", assignment, id);
        goto out;
    }
    if (r->info.status == RULE_ERROR && r->nargs == 0) {
        diag_error(e->diag, "--rule-arg", 0, "'%s': rule '%s' did not load (see its error)", assignment, id);
        goto out;
    }
    rule_arg *a = NULL;
    for (size_t i = 0; i < r->nargs; i++)
        if (strcmp(r->args[i].key, key) == 0)
            a = &r->args[i];
    if (!a) {
        char known[512] = "";
        size_t o = 0;
        for (size_t i = 0; i < r->nargs && o < sizeof known; i++)
            o += (size_t)snprintf(known + o, sizeof known - o, "%s%s", i ? ", " : "", r->args[i].key);
        diag_error(e->diag, "--rule-arg", 0, "'%s': rule '%s' has no argument '%s' (it has: %s)", assignment, id,
                   key, r->nargs ? known : "none");
        goto out;
    }
    switch (a->type) {
    case ARG_INT: {
        int64_t v;
        if (parse_i64(val, &v) != 0) {
            diag_error(e->diag, "--rule-arg", 0, "'%s': '%s' is not an integer (amounts in cents)", assignment,
                       val);
            goto out;
        }
        a->i = v;
        break;
    }
    case ARG_BOOL:
        if (strcmp(val, "true") == 0)
            a->i = 1;
        else if (strcmp(val, "false") == 0)
            a->i = 0;
        else {
            diag_error(e->diag, "--rule-arg", 0, "'%s': expected true or false", assignment);
            goto out;
        }
        break;
    case ARG_STR: {
        char *s = strdup(val);
        if (!s) {
            diag_error(e->diag, "--rule-arg", 0, "out of memory");
            goto out;
        }
        free(a->s);
        a->s = s;
        break;
    }
    }
    /* Remember it for the report; a later override of the same key replaces it. */
    size_t prefix = (size_t)(eq - assignment) + 1;
    char *copy = strdup(assignment);
    if (!copy) {
        diag_error(e->diag, "--rule-arg", 0, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < e->noverrides; i++)
        if (strncmp(e->overrides[i], assignment, prefix) == 0) {
            free(e->overrides[i]);
            e->overrides[i] = copy;
            rc = 0;
            goto out;
        }
    char **no = realloc(e->overrides, (e->noverrides + 1) * sizeof *no);
    if (!no) {
        free(copy);
        diag_error(e->diag, "--rule-arg", 0, "out of memory");
        goto out;
    }
    e->overrides = no;
    e->overrides[e->noverrides++] = copy;
    rc = 0;
out:
    free(id);
    free(key);
    return rc;
}

int engine_select(rhv_engine *e, const char *expr)
{
    char *err = NULL;
    sel_node *n = selector_parse(expr, &err);
    if (!n) {
        diag_error(e->diag, "--rules", 0, "'%s': %s", expr, err ? err : "out of memory");
        free(err);
        return -1;
    }
    const char **ids = calloc(e->nrules + 1, sizeof *ids);
    criterion *crits = calloc(e->nrules + 1, sizeof *crits);
    int rc = -1;
    if (!ids || !crits) {
        diag_error(e->diag, "--rules", 0, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < e->nrules; i++) {
        ids[i] = e->rules[i]->info.id;
        crits[i] = e->rules[i]->info.crit;
    }
    const char *bad = selector_unmatched(n, ids, crits, e->nrules);
    if (bad) {
        diag_error(e->diag, "--rules", 0, "'%s': '%s' matches no rule", expr, bad);
        goto out;
    }
    size_t kept = 0;
    for (size_t i = 0; i < e->nrules; i++)
        if (selector_match(n, e->rules[i]->info.id, e->rules[i]->info.crit))
            kept++;
    if (kept == 0) {
        diag_error(e->diag, "--rules", 0, "'%s' selects no rule", expr);
        goto out;
    }
    size_t o = 0;
    for (size_t i = 0; i < e->nrules; i++) {
        if (selector_match(n, e->rules[i]->info.id, e->rules[i]->info.crit))
            e->rules[o++] = e->rules[i];
        else
            rule_free(e->rules[i]);
    }
    e->nrules = o;
    rebuild_pinfo(e);
    rc = 0;
out:
    free(ids);
    free(crits);
    selector_free(n);
    return rc;
}

int engine_set_param_value(rhv_engine *e, const char *name, const rhv_pvalue *v)
{
    param_override *np = realloc(e->povr, (e->npovr + 1) * sizeof *np);
    if (!np)
        return -1;
    e->povr = np;
    param_override *p = &e->povr[e->npovr];
    p->name = strdup(name);
    if (!p->name || pvalue_copy(&p->value, v) != 0) {
        free(p->name);
        return -1;
    }
    e->npovr++;
    return 0;
}

/* ---- start -------------------------------------------------------------- */

typedef struct {
    rule *r;
    int year;
} start_ctx;

static void push_arg(lua_State *L, const rule_arg *a)
{
    switch (a->type) {
    case ARG_INT: lua_pushinteger(L, a->i); break;
    case ARG_BOOL: lua_pushboolean(L, (int)a->i); break;
    case ARG_STR: lua_pushstring(L, a->s); break;
    }
}

static const param_override *find_povr(rhv_engine *e, const char *name)
{
    /* The last one given wins. */
    for (size_t i = e->npovr; i-- > 0;)
        if (strcmp(e->povr[i].name, name) == 0)
            return &e->povr[i];
    return NULL;
}

/* Push one parameter's value for ctx.params: always a table, with _source,
 * _status and _valid saying where it comes from. */
static void push_param(lua_State *L, rhv_engine *e, const char *name, int year)
{
    const param_override *o = find_povr(e, name);
    const rhv_pvalue *v;
    const char *source, *status;
    int from = year, to = year;
    bool open = false;
    if (o) {
        v = &o->value;
        source = "test case";
        status = "test";
    } else {
        rhv_param_table *t = engine_table(e, name);
        char *err = NULL;
        const rhv_param_period *p = t ? params_resolve(t, year, &err) : NULL;
        free(err);
        if (!p)
            luaL_error(L, "parameter '%s' unavailable", name); /* checked before: not reached */
        v = &p->value;
        source = p->source;
        status = p->status;
        from = p->from;
        to = p->to;
        open = p->open;
    }
    if (v->kind == PV_TABLE) {
        pvalue_push(L, v);
    } else {
        lua_createtable(L, 0, 4);
        pvalue_push(L, v);
        lua_setfield(L, -2, "value");
    }
    lua_pushstring(L, source);
    lua_setfield(L, -2, "_source");
    lua_pushstring(L, status);
    lua_setfield(L, -2, "_status");
    lua_createtable(L, 0, 2);
    lua_pushinteger(L, from);
    lua_setfield(L, -2, "from");
    if (!open) {
        lua_pushinteger(L, to);
        lua_setfield(L, -2, "to");
    }
    lua_setfield(L, -2, "_valid");
}

/* ---- record tables ---------------------------------------------------------
 *
 * Each (rule, record type) has one reused table. It starts with only _type;
 * every other field is learnt: the first read of a name reaches __index, which
 * marks the field as used by this rule for this type and answers from the
 * record of the running call. From the next record on, dispatch sets exactly
 * the used fields (nil when absent), so a rule pays only for what it reads
 * (a ledger line has 16 fields; a rule reads 3 to 8 of them). A field that
 * is absent in a record stays nil in the table and keeps reaching __index,
 * which answers nil from the record. Upvalues of the metamethods: 1 the rule
 * (light userdata), 2 the type index, 3 a table from field name to its
 * position (1..nfields, nfields + 1 for _file, nfields + 2 for _line, 0 for
 * _type). */

static const rhv_record_type *rec_type_up(lua_State *L)
{
    return rhv_record_types[lua_tointeger(L, lua_upvalueindex(2))];
}

/* Push position pos (as in upvalue 3) of the running record; raises when the
 * table's record is not the running one: its strings are gone. */
static void push_rec_value(lua_State *L, int pos)
{
    rule *r = lua_touserdata(L, lua_upvalueindex(1));
    int ti = (int)lua_tointeger(L, lua_upvalueindex(2));
    const rhv_record_type *t = rhv_record_types[ti];
    if (pos == 0) {
        lua_pushstring(L, t->name);
        return;
    }
    const rhv_record *rec = r->cur_rec;
    if (!rec || r->cur_ti != ti)
        luaL_error(L, "a %s record can be read only in the handler call it was passed to "
                      "(copy the values you keep)", t->name);
    if (pos == t->nfields + 1) {
        if (rec->file)
            lua_pushstring(L, rec->file);
        else
            lua_pushnil(L);
        return;
    }
    if (pos == t->nfields + 2) {
        lua_pushinteger(L, rec->line);
        return;
    }
    const rhv_value *v = &rec->v[pos - 1];
    switch (v->kind) {
    case VAL_STR:
    case VAL_DATE: lua_pushlstring(L, v->s, v->len); break;
    case VAL_INT:
    case VAL_MONEY:
    case VAL_SCALED: lua_pushinteger(L, v->i); break;
    case VAL_BOOL: lua_pushboolean(L, v->i != 0); break;
    case VAL_NONE: lua_pushnil(L); break;
    }
}

/* Position of key k in the type's schema (upvalue 3), or -1. */
static int rec_pos(lua_State *L, int k)
{
    lua_pushvalue(L, k);
    int pos = lua_rawget(L, lua_upvalueindex(3)) == LUA_TNUMBER ? (int)lua_tointeger(L, -1) : -1;
    lua_pop(L, 1);
    return pos;
}

/* __index: a name this rule has not read before, or an absent field. A name
 * that is no field of the type is a typo and raises, naming it (instead of a
 * nil that fails lines later). */
static int record_index(lua_State *L)
{
    const rhv_record_type *t = rec_type_up(L);
    int pos = lua_type(L, 2) == LUA_TSTRING ? rec_pos(L, 2) : -1;
    if (pos < 0) {
        if (lua_type(L, 2) == LUA_TSTRING)
            return luaL_error(L, "record type '%s' has no field '%s' (docs/records.md)", t->name,
                              lua_tostring(L, 2));
        return luaL_error(L, "record type '%s' has no field %s", t->name, luaL_tolstring(L, 2, NULL));
    }
    push_rec_value(L, pos);
    if (pos > 0) {
        rule *r = lua_touserdata(L, lua_upvalueindex(1));
        int ti = (int)lua_tointeger(L, lua_upvalueindex(2));
        const uint64_t bit = (uint64_t)1 << (pos - 1);
        r->used[ti] |= bit;
        if (!lua_isnil(L, -1)) {
            /* Later reads in this call hit the table directly. */
            lua_pushvalue(L, 2);
            lua_pushvalue(L, -2);
            lua_rawset(L, 1);
            r->present[ti] |= bit;
        }
    }
    return 1;
}

/* Iterator for __pairs: _type, the fields in schema order, _file, _line,
 * skipping nil; values from the running record, whatever the rule has read. */
static int record_next(lua_State *L)
{
    const rhv_record_type *t = rec_type_up(L);
    int pos;
    if (lua_isnil(L, 2))
        pos = -1;
    else if ((pos = lua_type(L, 2) == LUA_TSTRING ? rec_pos(L, 2) : -1) < 0)
        return luaL_error(L, "invalid key to 'next' over a %s record", t->name);
    for (pos++; pos <= t->nfields + 2; pos++) {
        push_rec_value(L, pos);
        if (lua_isnil(L, -1)) {
            lua_pop(L, 1);
            continue;
        }
        if (pos == 0)
            lua_pushliteral(L, "_type");
        else if (pos <= t->nfields)
            lua_pushstring(L, t->fields[pos - 1].name);
        else
            lua_pushstring(L, pos == t->nfields + 1 ? "_file" : "_line");
        lua_insert(L, -2);
        return 2;
    }
    lua_pushnil(L);
    return 1;
}

static int record_pairs(lua_State *L)
{
    lua_pushvalue(L, lua_upvalueindex(4));
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    return 3;
}

/* Setting an absent field would survive into the next record (the host does
 * not clear fields that stay absent), so records are read-only there. */
static int record_newindex(lua_State *L)
{
    const rhv_record_type *t = rec_type_up(L);
    return luaL_error(L, "a %s record is read-only: copy the values into a table of your own", t->name);
}

static int start_state(lua_State *L)
{
    start_ctx *sc = lua_touserdata(L, 1);
    rule *r = sc->r;
    lua_rawgeti(L, LUA_REGISTRYINDEX, r->ref_readonly);
    int ro = lua_gettop(L);

    lua_pushvalue(L, ro);
    lua_createtable(L, 0, 3);
    lua_pushinteger(L, sc->year);
    lua_setfield(L, -2, "year");

    lua_pushvalue(L, ro);
    lua_createtable(L, 0, (int)r->nargs);
    for (size_t i = 0; i < r->nargs; i++) {
        push_arg(L, &r->args[i]);
        lua_setfield(L, -2, r->args[i].key);
    }
    lua_pushliteral(L, "ctx.args");
    lua_call(L, 2, 1);
    lua_setfield(L, -2, "args");

    lua_pushvalue(L, ro);
    lua_createtable(L, 0, (int)r->nparams);
    for (size_t i = 0; i < r->nparams; i++) {
        push_param(L, r->e, r->params[i], sc->year);
        lua_setfield(L, -2, r->params[i]);
    }
    lua_pushliteral(L, "ctx.params");
    lua_call(L, 2, 1);
    lua_setfield(L, -2, "params");

    lua_pushliteral(L, "ctx");
    lua_call(L, 2, 1);
    r->ref_ctx = luaL_ref(L, LUA_REGISTRYINDEX);

    for (int i = 0; i < rhv_record_type_count; i++) {
        if (!r->reads[i] || r->ref_handler[i] == LUA_NOREF)
            continue;
        const rhv_record_type *t = rhv_record_types[i];
        r->used[i] = r->present[i] = 0;
        lua_createtable(L, t->nfields + 2, 0);
        for (int f = 0; f < t->nfields; f++) {
            lua_pushstring(L, t->fields[f].name);
            lua_rawseti(L, -2, f + 1);
        }
        lua_pushliteral(L, "_file");
        lua_rawseti(L, -2, t->nfields + 1);
        lua_pushliteral(L, "_line");
        lua_rawseti(L, -2, t->nfields + 2);
        int keys = lua_gettop(L);
        lua_createtable(L, 0, t->nfields + 3); /* name -> position */
        for (int f = 1; f <= t->nfields + 2; f++) {
            lua_rawgeti(L, keys, f);
            lua_pushinteger(L, f);
            lua_rawset(L, -3);
        }
        lua_pushinteger(L, 0);
        lua_setfield(L, -2, "_type");
        int pos = lua_gettop(L);

        lua_createtable(L, 0, t->nfields + 3);
        lua_pushstring(L, t->name);
        lua_setfield(L, -2, "_type");
        lua_createtable(L, 0, 4);
        /* the upvalues every metamethod gets: rule, type index, positions */
#define PUSH_UPS()                                 \
    do {                                           \
        lua_pushlightuserdata(L, r);               \
        lua_pushinteger(L, i);                     \
        lua_pushvalue(L, pos);                     \
    } while (0)
        PUSH_UPS();
        lua_pushcclosure(L, record_index, 3);
        lua_setfield(L, -2, "__index");
        PUSH_UPS();
        lua_pushcclosure(L, record_newindex, 3);
        lua_setfield(L, -2, "__newindex");
        PUSH_UPS();
        PUSH_UPS();
        lua_pushcclosure(L, record_next, 3);
        lua_pushcclosure(L, record_pairs, 4);
        lua_setfield(L, -2, "__pairs");
#undef PUSH_UPS
        lua_pushboolean(L, 0);
        lua_setfield(L, -2, "__metatable");
        lua_setmetatable(L, -2);
        r->ref_rec[i] = luaL_ref(L, LUA_REGISTRYINDEX);
        lua_pop(L, 1); /* positions */
        r->ref_keys[i] = luaL_ref(L, LUA_REGISTRYINDEX);
    }
    return 0;
}

/* A rule that requires a type whose source is absent would run and find
 * nothing: a silent pass. Skip it, naming the missing types. */
static bool skip_unmet_requires(rule *r, unsigned sources)
{
    char names[512] = "";
    size_t o = 0;
    unsigned missing = 0;
    for (size_t i = 0; i < r->nrequire_names; i++) { /* in declaration order */
        const rhv_record_type *t = record_type_find(r->require_names[i]);
        if (!t || (sources & (unsigned)t->source))
            continue;
        missing |= (unsigned)t->source;
        if (o < sizeof names)
            o += (size_t)snprintf(names + o, sizeof names - o, "%s%s", o ? ", " : "", t->name);
    }
    if (!missing)
        return false;
    char why[600];
    snprintf(why, sizeof why, "%s: vereist %s",
             missing == SRC_DOSSIER  ? "geen dossier"
             : missing == SRC_LEDGER ? "geen grootboek"
                                     : "geen dossier en geen grootboek",
             names);
    rule_set_skipped(r, why);
    return true;
}

int engine_start(rhv_engine *e, int fiscal_year, unsigned sources)
{
    e->year = fiscal_year;
    e->started = true;
    int rc = 0;
    for (int i = 0; i < MAX_TYPES; i++) {
        free(e->by_type[i]);
        e->by_type[i] = NULL;
        e->nby_type[i] = 0;
    }
    for (size_t k = 0; k < e->nrules; k++) {
        rule *r = e->rules[k];
        if (r->info.status != RULE_OK)
            continue;
        unsigned needed = 0;
        for (int i = 0; i < rhv_record_type_count; i++)
            if (r->reads[i])
                needed |= (unsigned)rhv_record_types[i]->source;
        if ((needed & sources) == 0) {
            if (needed == SRC_DOSSIER)
                rule_set_skipped(r, "geen dossier: leest alleen dossiergegevens");
            else if (needed == SRC_LEDGER)
                rule_set_skipped(r, "geen grootboek: leest alleen grootboekgegevens (XAF)");
            else
                rule_set_skipped(r, "geen dossier en geen grootboek");
            continue;
        }
        if (skip_unmet_requires(r, sources))
            continue;
        /* After the sources: without its data a rule cannot run in any year,
         * and that is the more useful reason for a ledger checked alone. */
        char why[256];
        if (fiscal_year < r->year_from || (!r->year_open && fiscal_year > r->year_to)) {
            snprintf(why, sizeof why, "niet van toepassing op boekjaar %d", fiscal_year);
            rule_set_skipped(r, why);
            continue;
        }
        bool bad = false;
        for (size_t p = 0; p < r->nparams && !bad; p++) {
            if (find_povr(e, r->params[p]))
                continue;
            rhv_param_table *t = engine_table(e, r->params[p]);
            char *err = NULL;
            if (!t || !params_resolve(t, fiscal_year, &err)) {
                char msg[ERRBUF];
                snprintf(msg, sizeof msg, "%s", err ? err : "parameter table cannot be loaded");
                rule_set_error(r, msg);
                bad = true;
                rc = -1;
            }
            free(err);
        }
        if (bad)
            continue;
        start_ctx sc = {r, fiscal_year};
        char *err = NULL;
        if (protected(r, start_state, &sc, &err) != 0) {
            rule_set_error(r, err ? err : "out of memory");
            free(err);
            rc = -1;
            continue;
        }
        r->running = true;
        for (int i = 0; i < rhv_record_type_count; i++) {
            if (r->ref_handler[i] == LUA_NOREF)
                continue;
            rule **nl = realloc(e->by_type[i], (e->nby_type[i] + 1) * sizeof *nl);
            if (!nl) {
                rule_set_error(r, "out of memory");
                rc = -1;
                break;
            }
            e->by_type[i] = nl;
            nl[e->nby_type[i]++] = r;
        }
    }
    rebuild_pinfo(e);
    pool_stop(e); /* started twice: finish what the old workers have */
    if (e->threads > 0)
        pool_start(e);
    return rc;
}

/* ---- dispatch ----------------------------------------------------------- */

typedef struct {
    rule *r;
    const rhv_record *rec;
    int ti;
} call_ctx;

/* Set field position f (0-based, as bits in used/present) of the record
 * table at tbl from v, or nil; keys at keys. */
static inline void set_field(lua_State *L, int keys, int tbl, uint64_t *present, int f, const rhv_value *v)
{
    const uint64_t bit = (uint64_t)1 << f;
    if (v->kind == VAL_NONE) {
        /* Ledger lines leave most optional fields out: skip nil over nil. */
        if (!(*present & bit))
            return;
        lua_rawgeti(L, keys, f + 1);
        lua_pushnil(L);
        lua_rawset(L, tbl);
        *present &= ~bit;
        return;
    }
    lua_rawgeti(L, keys, f + 1);
    switch (v->kind) {
    case VAL_STR:
    case VAL_DATE: lua_pushlstring(L, v->s, v->len); break;
    case VAL_INT:
    case VAL_MONEY:
    case VAL_SCALED: lua_pushinteger(L, v->i); break;
    case VAL_BOOL: lua_pushboolean(L, v->i != 0); break;
    case VAL_NONE: break;
    }
    lua_rawset(L, tbl);
    *present |= bit;
}

/* Hand rec to r's handler for type ti: set the used fields of the reused
 * table, call. Runs inside the rule's protected call; leaves the stack as
 * it found it. */
static void run_handler(lua_State *L, rule *r, const rhv_record *rec, int ti)
{
    const rhv_record_type *t = rec->type;
    const int nf = t->nfields;
    lua_rawgeti(L, LUA_REGISTRYINDEX, r->ref_keys[ti]);
    const int keys = lua_gettop(L);
    lua_rawgeti(L, LUA_REGISTRYINDEX, r->ref_handler[ti]);
    lua_rawgeti(L, LUA_REGISTRYINDEX, r->ref_rec[ti]);
    const int tbl = keys + 2;
    uint64_t *present = &r->present[ti];
    uint64_t used = r->used[ti];
    const uint64_t fields = used & (((uint64_t)1 << nf) - 1);
    for (uint64_t m = fields; m; m &= m - 1)
        set_field(L, keys, tbl, present, __builtin_ctzll(m), &rec->v[__builtin_ctzll(m)]);
    if (used >> nf) {
        rhv_value v;
        if (used & ((uint64_t)1 << nf)) {
            if (rec->file)
                val_str(&v, rec->file, strlen(rec->file));
            else
                val_none(&v);
            set_field(L, keys, tbl, present, nf, &v);
        }
        if (used & ((uint64_t)1 << (nf + 1))) {
            val_int(&v, VAL_INT, rec->line);
            set_field(L, keys, tbl, present, nf + 1, &v);
        }
    }
    lua_rawgeti(L, LUA_REGISTRYINDEX, r->ref_ctx);
    r->cur_rec = rec;
    r->cur_ti = ti;
    lua_call(L, 2, 0);
    r->cur_rec = NULL;
    lua_settop(L, keys - 1);
}

static int call_handler(lua_State *L)
{
    call_ctx *cc = lua_touserdata(L, 1);
    run_handler(L, cc->r, cc->rec, cc->ti);
    return 0;
}

/* A failed rule is never called again: release its state (up to the memory
 * cap) now rather than at engine_free, keeping its peak for the report. */
static void rule_failed(rule *r, char *err)
{
    rule_set_error(r, err ? err : "out of memory");
    free(err);
    drop_findings(r);
    if (r->sb) {
        r->mem_peak = sandbox_mem_peak(r->sb);
        sandbox_free(r->sb);
        r->sb = NULL;
    }
}

/* ---- worker threads -------------------------------------------------------
 *
 * With opts.threads = N > 0, engine_dispatch only copies the record into a
 * batch, and N - 1 worker threads (at least one) run the rules: the readers'
 * XML parsing and the rules overlap (shared/design/performance-budget.md).
 * Batches go around a ring. A thread takes the rule it ran last while that
 * has batches, else the rule furthest behind that nobody is running, and
 * hands it its next batch in one protected call; so a rule's state is used
 * by one thread at a time (the pool's mutex orders the hand-overs) and sees
 * every record in order, and results are the same as in-line. Rules are not
 * tied to threads, so the load spreads whatever the rules cost. When the
 * slowest rule is RING batches behind, the reading thread runs batches
 * itself instead of sleeping. Measured on 2 cores (1M-line ledger): rules
 * tied to 2 workers left one idle a fifth of the time; 2 free workers beside
 * the reader starved it (3 runnable threads, 2/3 of a core each); 1 worker
 * plus a reader that helps was fastest.
 */
#define BATCH 256
#define RING 32

/* Queued records are compact (the ring's memory counts against the 64 MiB
 * a run may take): only the fields present, 16 bytes each, strings in the
 * batch's arena; a file name repeated by consecutive records is stored once. */
typedef struct {
    uint64_t mask;   /* fields present (schema positions) */
    long line;
    size_t file_off; /* into arena; NO_FILE: none */
    size_t val_off;  /* into vals: one per bit of mask, in schema order */
    int ti;
} qrec;

typedef struct {
    int64_t i;       /* the integer, or the string's arena offset */
    uint32_t len;
    uint8_t kind;
} qval;

#define NO_FILE ((size_t)-1)

typedef struct {
    qrec *recs;
    size_t n, cap;
    qval *vals;
    size_t nv, capv;
    char *arena;
    size_t na, capa;
    const char *last_file; /* the producer's pointer for the file at last_file_off */
    size_t last_file_off;
} batch;

/* A rule's place in the queue. Any worker may run any rule, one batch at a
 * time, so the load spreads whatever the rules cost; `busy` keeps a state on
 * one thread at a time and the batches of a rule in order. */
typedef struct {
    rule *r;
    uint64_t done;   /* batches this rule has finished */
    bool busy;       /* a worker is running it now */
    bool dead;       /* failed: no longer holds up the ring */
} qrule;

typedef struct {
    rhv_engine *e;
    pthread_t th;
} worker;

struct pool {
    pthread_mutex_t mu;
    pthread_cond_t cv_work, cv_space;
    batch ring[RING];
    uint64_t produced;  /* batches published */
    bool done;
    bool filling;       /* ring[produced % RING] is being filled */
    worker *w;
    int nw, started;
    qrule *q;           /* the rules the workers run */
    size_t nq;
    qrule *last;        /* the rule the producer ran last */
    bool oom;           /* a batch could not grow: records were lost */
};

static void dispatch_one(rule **list, size_t n, const rhv_record *rec, int ti)
{
    for (size_t k = 0; k < n; k++) {
        rule *r = list[k];
        if (!r->running)
            continue;
        call_ctx cc = {r, rec, ti};
        char *err = NULL;
        int rc = protected(r, call_handler, &cc, &err);
        r->cur_rec = NULL; /* also when the handler raised */
        if (rc != 0)
            rule_failed(r, err);
    }
}

typedef struct {
    rule *r;
    const batch *b;
} batch_ctx;

/* One protected call per rule and batch: every record of the batch that the
 * rule reads goes to its handler, in order. Each handler call is still a
 * call of its own for the budget (sandbox_next_call); a protected call per
 * record would cost a setjmp and a C call frame more each time. */
static int call_batch(lua_State *L)
{
    batch_ctx *bc = lua_touserdata(L, 1);
    rule *r = bc->r;
    const batch *b = bc->b;
    rhv_value v[64];
    bool first = true;
    for (size_t i = 0; i < b->n; i++) {
        const qrec *q = &b->recs[i];
        if (r->ref_handler[q->ti] == LUA_NOREF)
            continue;
        const rhv_record_type *t = rhv_record_types[q->ti];
        const qval *x = b->vals + q->val_off;
        for (int f = 0; f < t->nfields; f++) {
            if (!(q->mask & ((uint64_t)1 << f))) {
                val_none(&v[f]);
            } else if (x->kind == VAL_STR || x->kind == VAL_DATE) {
                v[f].kind = x->kind;
                v[f].s = b->arena + x->i;
                v[f].len = x->len;
                v[f].i = 0;
                x++;
            } else {
                val_int(&v[f], x->kind, x->i);
                x++;
            }
        }
        rhv_record rec = {t, q->file_off == NO_FILE ? NULL : b->arena + q->file_off, q->line, v};
        if (!first)
            sandbox_next_call(r->sb);
        first = false;
        run_handler(L, r, &rec, q->ti);
    }
    return 0;
}

/* With p->mu held: run one batch of the rule this thread ran last while it
 * has batches (its state is warm in this core's caches), else of the rule
 * furthest behind that no other thread is running. Returns false when there
 * is none. Drops the lock while the rule runs. */
static bool pool_run_one(struct pool *p, qrule **last)
{
    qrule *pick = NULL;
    qrule *l = *last;
    bool sticky = l && !l->busy && !l->dead && l->done < p->produced;
    if (sticky)
        pick = l;
    for (size_t k = 0; k < p->nq && !sticky; k++) {
        qrule *c = &p->q[k];
        if (!c->busy && !c->dead && c->done < p->produced && (!pick || c->done < pick->done))
            pick = c;
    }
    if (!pick)
        return false;
    pick->busy = true;
    *last = pick;
    batch *b = &p->ring[pick->done % RING];
    pthread_mutex_unlock(&p->mu);
    rule *r = pick->r;
    if (r->running) {
        batch_ctx bc = {r, b};
        char *err = NULL;
        int rc = protected(r, call_batch, &bc, &err);
        r->cur_rec = NULL; /* also when a handler raised */
        if (rc != 0)
            rule_failed(r, err);
    }
    pthread_mutex_lock(&p->mu);
    pick->busy = false;
    pick->done++;
    pick->dead = !r->running;
    pthread_cond_broadcast(&p->cv_space);
    if (!pick->dead && pick->done < p->produced)
        pthread_cond_signal(&p->cv_work); /* an idle worker may take it */
    return true;
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    struct pool *p = w->e->pool;
    qrule *last = NULL;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        if (pool_run_one(p, &last))
            continue;
        /* Done: what is left belongs to rules other threads are running,
         * and they go on with them. */
        if (p->done)
            break;
        pthread_cond_wait(&p->cv_work, &p->mu);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

static void pool_free(struct pool *p)
{
    for (int i = 0; i < RING; i++) {
        free(p->ring[i].recs);
        free(p->ring[i].vals);
        free(p->ring[i].arena);
    }
    free(p->w);
    free(p->q);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv_work);
    pthread_cond_destroy(&p->cv_space);
    free(p);
}

/* Publish the batch being filled, if any. */
static void pool_publish(struct pool *p)
{
    if (!p->filling)
        return;
    pthread_mutex_lock(&p->mu);
    p->produced++;
    p->filling = false;
    pthread_cond_broadcast(&p->cv_work);
    pthread_mutex_unlock(&p->mu);
}

/* Wait for the workers to finish every record, join them, report the rule
 * errors they met (in rule order) and go back to in-line dispatch. */
static void pool_stop(rhv_engine *e)
{
    struct pool *p = e->pool;
    if (!p)
        return;
    pool_publish(p);
    pthread_mutex_lock(&p->mu);
    p->done = true;
    pthread_cond_broadcast(&p->cv_work);
    while (pool_run_one(p, &p->last)) /* help with the tail */
        ;
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < p->started; i++)
        pthread_join(p->w[i].th, NULL);
    e->defer_diag = false;
    if (p->oom) {
        /* Records were lost: no rule that reads records has a complete result. */
        for (size_t k = 0; k < p->nq; k++)
            if (p->q[k].r->running)
                rule_failed(p->q[k].r, strdup("out of memory queueing records for the rule"));
    }
    for (size_t k = 0; k < e->nrules; k++) {
        rule *r = e->rules[k];
        if (r->diag_deferred && r->info.message) {
            r->diag_deferred = false;
            rule_error_diag(r, r->info.message);
        }
    }
    pool_free(p);
    e->pool = NULL;
}

static int grow_arr(void **arr, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t nc = *cap ? *cap : 64;
    while (nc < need)
        nc *= 2;
    void *na = realloc(*arr, nc * size);
    if (!na)
        return -1;
    *arr = na;
    *cap = nc;
    return 0;
}

static size_t arena_put(batch *b, const char *s, size_t len)
{
    if (grow_arr((void **)&b->arena, &b->capa, b->na + len + 1, 1) != 0)
        return (size_t)-1;
    size_t off = b->na;
    memcpy(b->arena + off, s, len);
    b->arena[off + len] = '\0';
    b->na += len + 1;
    return off;
}

static void pool_enqueue(rhv_engine *e, const rhv_record *rec, int ti)
{
    struct pool *p = e->pool;
    if (!p->filling) {
        /* Claim the next slot once the slowest rule is done with it. */
        pthread_mutex_lock(&p->mu);
        for (;;) {
            uint64_t slowest = p->produced;
            for (size_t k = 0; k < p->nq; k++)
                if (!p->q[k].dead && p->q[k].done < slowest)
                    slowest = p->q[k].done;
            if (p->produced - slowest < RING)
                break;
            /* The queue is full: rather than sleep, run a batch of a rule
             * that no worker is running. */
            if (!pool_run_one(p, &p->last))
                pthread_cond_wait(&p->cv_space, &p->mu);
        }
        pthread_mutex_unlock(&p->mu);
        batch *b = &p->ring[p->produced % RING];
        b->n = b->nv = b->na = 0;
        b->last_file = NULL;
        p->filling = true;
    }
    batch *b = &p->ring[p->produced % RING];
    const rhv_record_type *t = rec->type;
    if (grow_arr((void **)&b->recs, &b->cap, b->n + 1, sizeof *b->recs) != 0 ||
        grow_arr((void **)&b->vals, &b->capv, b->nv + (size_t)t->nfields, sizeof *b->vals) != 0) {
        p->oom = true;
        return;
    }
    qrec *q = &b->recs[b->n];
    q->ti = ti;
    q->line = rec->line;
    q->val_off = b->nv;
    q->mask = 0;
    if (!rec->file) {
        q->file_off = NO_FILE;
    } else if (rec->file == b->last_file && strcmp(b->arena + b->last_file_off, rec->file) == 0) {
        q->file_off = b->last_file_off;
    } else {
        q->file_off = arena_put(b, rec->file, strlen(rec->file));
        if (q->file_off == (size_t)-1) {
            p->oom = true;
            return;
        }
        b->last_file = rec->file;
        b->last_file_off = q->file_off;
    }
    size_t nv = b->nv;
    for (int i = 0; i < t->nfields; i++) {
        const rhv_value *v = &rec->v[i];
        if (v->kind == VAL_NONE)
            continue;
        qval *x = &b->vals[nv++];
        x->kind = (uint8_t)v->kind;
        x->len = 0;
        if (v->kind == VAL_STR || v->kind == VAL_DATE) {
            size_t off = v->len > UINT32_MAX ? (size_t)-1 : arena_put(b, v->s ? v->s : "", v->s ? v->len : 0);
            if (off == (size_t)-1) {
                p->oom = true;
                return;
            }
            x->i = (int64_t)off;
            x->len = (uint32_t)(v->s ? v->len : 0);
        } else {
            x->i = v->i;
        }
        q->mask |= (uint64_t)1 << i;
    }
    b->nv = nv;
    b->n++;
    if (b->n == BATCH)
        pool_publish(p);
}

/* Spread the running rules over up to e->threads workers and start them.
 * On any failure dispatch simply stays in-line. */
static void pool_start(rhv_engine *e)
{
    rule *list[4096];
    size_t n = 0;
    for (size_t k = 0; k < e->nrules && n < sizeof list / sizeof list[0]; k++) {
        rule *r = e->rules[k];
        bool handles = false;
        for (int i = 0; i < rhv_record_type_count; i++)
            if (r->ref_handler[i] != LUA_NOREF)
                handles = true;
        if (r->running && handles)
            list[n++] = r;
    }
    /* The calling thread is one of the N: it parses, and runs rules while
     * the queue is full. N worker threads beside it would leave it N/(N+1)
     * of a core when cores are N, and it is the one that cannot wait. */
    int want = e->threads > 1 ? e->threads - 1 : 1;
    int nw = want < (int)n ? want : (int)n;
    if (nw <= 0)
        return;
    struct pool *p = calloc(1, sizeof *p);
    if (!p)
        return;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv_work, NULL);
    pthread_cond_init(&p->cv_space, NULL);
    p->w = calloc((size_t)nw, sizeof *p->w);
    p->q = calloc(n, sizeof *p->q);
    p->nw = nw;
    if (!p->w || !p->q) {
        pool_free(p);
        return;
    }
    for (size_t k = 0; k < n; k++)
        p->q[k].r = list[k];
    p->nq = n;
    e->pool = p;
    e->defer_diag = true;
    for (int i = 0; i < nw; i++) {
        p->w[i].e = e;
        if (pthread_create(&p->w[i].th, NULL, worker_main, &p->w[i]) != 0)
            break;
        p->started++;
    }
    if (p->started == 0) /* no thread: in-line after all */
        pool_stop(e);
}

int engine_dispatch(void *engine, const rhv_record *rec)
{
    rhv_engine *e = engine;
    int ti;
    if (rec->type == e->last_type) {
        ti = e->last_index;
    } else {
        ti = type_index(rec->type);
        e->last_type = rec->type;
        e->last_index = ti;
    }
    if (ti < 0 || e->nby_type[ti] == 0)
        return 0;
    if (e->pool)
        pool_enqueue(e, rec, ti);
    else
        dispatch_one(e->by_type[ti], e->nby_type[ti], rec, ti);
    return 0;
}

static int call_finish(lua_State *L)
{
    rule *r = lua_touserdata(L, 1);
    lua_rawgeti(L, LUA_REGISTRYINDEX, r->ref_finish);
    lua_rawgeti(L, LUA_REGISTRYINDEX, r->ref_ctx);
    lua_call(L, 1, 0);
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
    }
    return 0;
}

void engine_finish(rhv_engine *e)
{
    pool_stop(e);
    size_t total = 0;
    for (size_t k = 0; k < e->nrules; k++) {
        rule *r = e->rules[k];
        if (!r->running)
            continue;
        if (r->ref_finish != LUA_NOREF) {
            char *err = NULL;
            sandbox_set_instr_budget(r->sb, e->budget > UINT64_MAX / FINISH_BUDGET_FACTOR
                                                ? UINT64_MAX
                                                : e->budget * FINISH_BUDGET_FACTOR);
            if (protected(r, call_finish, r, &err) != 0) {
                rule_failed(r, err);
                continue;
            }
        }
        r->running = false;
        total += r->nf;
    }
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

/* ---- accessors ---------------------------------------------------------- */

size_t engine_rule_count(const rhv_engine *e)
{
    return e->nrules;
}

const rhv_rule_info *engine_rule(const rhv_engine *e, size_t i)
{
    return i < e->nrules ? &e->rules[i]->info : NULL;
}

size_t engine_rule_mem_peak(const rhv_engine *e, size_t i)
{
    if (i >= e->nrules)
        return 0;
    return e->rules[i]->sb ? sandbox_mem_peak(e->rules[i]->sb) : e->rules[i]->mem_peak;
}

int engine_rule_meta(const rhv_engine *e, size_t i, rhv_rule_meta *m)
{
    memset(m, 0, sizeof *m);
    if (i >= e->nrules)
        return -1;
    const rule *r = e->rules[i];
    m->year_from = r->year_from;
    m->year_to = r->year_to;
    m->year_open = r->year_open;
    m->description = r->description;
    m->legal_text = r->legal_text;
    m->legal_source = r->legal_source;
    m->reads = r->read_names;
    m->nreads = r->nread_names;
    m->params = (const char *const *)r->params;
    m->nparams = r->nparams;
    m->nargs = r->nargs;
    m->requires = r->require_names;
    m->nrequires = r->nrequire_names;
    return 0;
}

int engine_rule_arg(const rhv_engine *e, size_t i, size_t k, char *buf, size_t n)
{
    if (i >= e->nrules || k >= e->rules[i]->nargs)
        return -1;
    const rule_arg *a = &e->rules[i]->args[k];
    switch (a->type) {
    case ARG_INT: snprintf(buf, n, "%s=%" PRId64, a->key, a->i); break;
    case ARG_BOOL: snprintf(buf, n, "%s=%s", a->key, a->i ? "true" : "false"); break;
    case ARG_STR: snprintf(buf, n, "%s=%s", a->key, a->s); break;
    }
    return 0;
}

size_t engine_finding_count(const rhv_engine *e)
{
    return e->nfindings;
}

const rhv_finding *engine_finding(const rhv_engine *e, size_t i)
{
    return i < e->nfindings ? &e->findings[i] : NULL;
}

size_t engine_param_count(const rhv_engine *e)
{
    return e->npinfo;
}

const rhv_param_info *engine_param(const rhv_engine *e, size_t i)
{
    return i < e->npinfo ? &e->pinfo[i] : NULL;
}

size_t engine_override_count(const rhv_engine *e)
{
    return e->noverrides;
}

const char *engine_override(const rhv_engine *e, size_t i)
{
    return i < e->noverrides ? e->overrides[i] : NULL;
}
