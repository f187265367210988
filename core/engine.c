/* engine.c - the public API of engine.h, tying the engine's parts together.
 *
 * Creating and freeing an engine; engine_start deciding per rule whether it
 * runs (sources, requires, years, parameters, in that order); engine_dispatch
 * handing a record to the rules in line or to the queue; engine_finish
 * calling finish() and collecting the findings; the accessors. The parts are
 * listed in engine_internal.h; the rule contract is docs/rule-api.md.
 */
#include "engine.h"

#include <inttypes.h>
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_aggregate.h"
#include "hash.h"
#include "params.h"
#include "paths.h"
#include "sandbox.h"

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
    e->last_index[0] = e->last_index[1] = -1;
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
    e->lib = eng_read_all(buf, &e->lib_len);
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
    sha256_buf(e->lib, e->lib_len, e->lib_sha256);
    return e;
}

void engine_free(rhv_engine *e)
{
    if (!e)
        return;
    eng_pool_stop(e);
    for (size_t i = 0; i < e->nrules; i++)
        eng_rule_free(e->rules[i]);
    free(e->rules);
    for (size_t i = 0; i < e->ntables; i++)
        params_free(e->tables[i]);
    free(e->tables);
    free(e->pinfo);
    eng_modules_free(e);
    free(e->minfo);
    for (size_t i = 0; i < e->npovr; i++) {
        free(e->povr[i].name);
        pvalue_free(&e->povr[i].value);
    }
    free(e->povr);
    for (size_t i = 0; i < e->noverrides; i++) {
        free(e->overrides[i]);
        free(e->override_origins[i]);
    }
    free(e->overrides);
    free(e->override_origins);
    for (int i = 0; i < MAX_TYPES; i++)
        free(e->by_type[i]);
    for (size_t i = 0; i < e->nfindings; i++)
        finding_free(&e->findings[i]);
    free(e->findings);
    free(e->plugins_dir);
    free(e->params_dir);
    free(e->lib);
    free(e->lib_bc);
    free(e->lib_chunk);
    diag_free(&e->own_diag);
    free(e);
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
    eng_rule_set_skipped(r, why);
    return true;
}

/* Skipped when none of the types r reads can occur with these sources. */
static bool skip_without_sources(rule *r, unsigned sources)
{
    unsigned needed = 0;
    for (int i = 0; i < rhv_record_type_count; i++)
        if (r->reads[i])
            needed |= (unsigned)rhv_record_types[i]->source;
    if ((needed & sources) != 0)
        return false;
    if (needed == SRC_DOSSIER)
        eng_rule_set_skipped(r, "geen dossier: leest alleen dossiergegevens");
    else if (needed == SRC_LEDGER)
        eng_rule_set_skipped(r, "geen grootboek: leest alleen grootboekgegevens (XAF)");
    else
        eng_rule_set_skipped(r, "geen dossier en geen grootboek");
    return true;
}

static bool skip_outside_years(rule *r, int fiscal_year)
{
    char why[256];
    if (fiscal_year < r->year_from || (!r->year_open && fiscal_year > r->year_to)) {
        snprintf(why, sizeof why, "niet van toepassing op boekjaar %d", fiscal_year);
        eng_rule_set_skipped(r, why);
        return true;
    }
    return false;
}

/* Every parameter table r names must have a value for the year (or a test
 * value): else r is an error naming table and year, and -1. */
static int check_params(rhv_engine *e, rule *r, int fiscal_year)
{
    bool bad = false;
    for (size_t p = 0; p < r->nparams && !bad; p++) {
        if (eng_find_povr(e, r->params[p]))
            continue;
        rhv_param_table *t = eng_table(e, r->params[p], NULL);
        char *err = NULL;
        if (!t || !params_resolve(t, fiscal_year, &err)) {
            char msg[ERRBUF];
            snprintf(msg, sizeof msg, "%s", err ? err : "parameter table cannot be loaded");
            eng_rule_set_error(r, msg);
            bad = true;
        }
        free(err);
    }
    return bad ? -1 : 0;
}

/* Build r's ctx and record tables and list it under each type it handles. */
static int start_rule(rhv_engine *e, rule *r, int fiscal_year)
{
    start_ctx sc = {r, fiscal_year};
    sandbox_error err;
    if (eng_protected(r, eng_start_state, &sc, &err) != 0) {
        eng_rule_take_error(r, &err);
        return -1;
    }
    r->running = true;
    eng_agg_release(r); /* started again: the groups start over */
    for (int i = 0; i < rhv_record_type_count; i++) {
        if (r->ref_handler[i] == LUA_NOREF && !(r->agg_types >> i & 1))
            continue;
        rule **nl = realloc(e->by_type[i], (e->nby_type[i] + 1) * sizeof *nl);
        if (!nl) {
            eng_rule_set_error(r, "out of memory");
            return -1;
        }
        e->by_type[i] = nl;
        nl[e->nby_type[i]++] = r;
    }
    return 0;
}

int engine_start(rhv_engine *e, int fiscal_year, unsigned sources)
{
    e->fiscal_year = fiscal_year;
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
        /* The sources before the years: without its data a rule cannot run
         * in any year, and that is the more useful reason for a ledger
         * checked alone. */
        if (skip_without_sources(r, sources) || skip_unmet_requires(r, sources) ||
            skip_outside_years(r, fiscal_year))
            continue;
        if (check_params(e, r, fiscal_year) != 0 || start_rule(e, r, fiscal_year) != 0)
            rc = -1;
    }
    eng_rebuild_pinfo(e);
    eng_rebuild_minfo(e);
    eng_pool_stop(e); /* started twice: finish what the old workers have */
    if (e->threads > 0)
        eng_pool_start(e);
    return rc;
}

int engine_dispatch(void *engine, const rhv_record *rec)
{
    rhv_engine *e = engine;
    int ti;
    /* Two types remembered: a ledger alternates trLine and transaction. */
    if (rec->type == e->last_type[0]) {
        ti = e->last_index[0];
    } else if (rec->type == e->last_type[1]) {
        ti = e->last_index[1];
    } else {
        ti = eng_type_index(rec->type);
        e->last_type[1] = e->last_type[0];
        e->last_index[1] = e->last_index[0];
        e->last_type[0] = rec->type;
        e->last_index[0] = ti;
    }
    if (ti < 0 || e->nby_type[ti] == 0)
        return 0;
    if (e->pool)
        eng_pool_enqueue(e, rec, ti);
    else
        eng_dispatch_inline(e->by_type[ti], e->nby_type[ti], rec, ti);
    return 0;
}

/* The runs still open end first: their handlers run before finish. */
static int call_finish(lua_State *L)
{
    rule *r = lua_touserdata(L, 1);
    eng_agg_end_runs(L, r);
    if (r->ref_finish == LUA_NOREF)
        return 0;
    lua_rawgeti(L, LUA_REGISTRYINDEX, r->ref_finish);
    lua_rawgeti(L, LUA_REGISTRYINDEX, r->ref_ctx);
    lua_call(L, 1, 0);
    return 0;
}

void engine_finish(rhv_engine *e)
{
    eng_pool_stop(e);
    size_t total = 0;
    for (size_t k = 0; k < e->nrules; k++) {
        rule *r = e->rules[k];
        if (!r->running)
            continue;
        if (r->ref_finish != LUA_NOREF || r->nagg) {
            sandbox_error err;
            sandbox_set_instr_budget(r->sb, e->budget > UINT64_MAX / FINISH_BUDGET_FACTOR
                                                ? UINT64_MAX
                                                : e->budget * FINISH_BUDGET_FACTOR);
            if (eng_protected(r, call_finish, r, &err) != 0) {
                eng_rule_failed(r, &err);
                continue;
            }
        }
        r->running = false;
        total += r->nf;
    }
    eng_collect_findings(e, total);
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
    case ARG_LIST: snprintf(buf, n, "%s=%s", a->key, a->s); break;
    case ARG_AMOUNT: {
        char m[MONEY_FMT_MAX];
        snprintf(buf, n, "%s=%s", a->key, money_format_plain(a->i, m));
        break;
    }
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

const char *engine_override_origin(const rhv_engine *e, size_t i)
{
    return i < e->noverrides ? e->override_origins[i] : NULL;
}

const char *engine_override(const rhv_engine *e, size_t i)
{
    return i < e->noverrides ? e->overrides[i] : NULL;
}
