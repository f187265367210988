/* engine_internal.h - what the engine's files share; not for other modules.
 *
 * The engine (engine.h) is split by what each part does:
 *   engine.c          the public API: create, start, dispatch, finish, accessors
 *   rule.c            one rule (rule.h): its status (error, skipped), freeing
 *                     it, the protected call every touch of its lua_State goes
 *                     through
 *   engine_load.c     reading rule files and folders, the params table cache
 *   engine_meta.c     checking a rule table's metadata and taking what runs
 *   engine_args.c     after loading: argument overrides, selection, test values
 *                     for parameter tables
 *   engine_ctx.c      the read-only ctx a rule's handlers get
 *   engine_record.c   the reused record tables (fields learnt on first read)
 *                     and handing one record to one handler
 *   engine_queue.c    worker threads and the compact record queue
 *   engine_modules.c  library modules a rule declares in `uses` (rhv.lib)
 *   engine_rhvlib.c   the C half of the rhv library (formatting, exact
 *                     arithmetic) and loading plugins/lib/rhv.lua
 *   engine_finding.c  rhv.finding, and sorting and collecting findings
 *   engine_report.c   what a report needs to know of the run: records per
 *                     rule, the helper library's file and digest
 *
 * Rules for all of them: every touch of a rule's lua_State that can allocate
 * runs inside sandbox_pcall (through eng_protected and a small C
 * trampoline): a memory error or a rule's error must come back as a status,
 * never reach the panic function. A rule's state is used by one thread at a
 * time (engine_queue.c says how).
 */
#ifndef RHV_ENGINE_INTERNAL_H
#define RHV_ENGINE_INTERNAL_H

#include <lua.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine.h"
#include "lua_fields.h"
#include "params.h"
#include "rule.h"
#include "sandbox.h"

#define DEFAULT_MEM (64u * 1024u * 1024u)
#define DEFAULT_BUDGET 50000000u
/* finish() sees the whole run at once (sorting every invoice, every
 * supplier): it gets this many times the per-record budget. */
#define FINISH_BUDGET_FACTOR 20u
#define MAX_FINDINGS_PER_RULE 100000
struct pool; /* engine_queue.c */

typedef struct {
    char *name;
    rhv_pvalue value;
} param_override;

typedef struct {
    char *name;         /* module name: plugins/lib/<name>.lua */
    char *chunk;        /* "@path", the chunk name its errors carry */
    char *src;          /* the bytes, read once per engine */
    size_t len;
    char sha256[65];    /* of those bytes */
} eng_module;

struct rhv_engine {
    size_t mem_limit;
    uint64_t budget;
    char *plugins_dir, *params_dir;
    rhv_diag *diag;
    rhv_diag own_diag;
    char *lib, *lib_chunk;   /* plugins/lib/rhv.lua, read once */
    size_t lib_len;
    char *lib_bc;            /* rhv.lua as the first rule state compiled it (lua_dump, with its debug
                              * information): the other states load this, not the text; NULL: none yet */
    size_t lib_bc_len, lib_bc_cap;
    char lib_sha256[65];     /* of the bytes read */
    rule **rules;
    size_t nrules;
    rhv_param_table **tables; /* loaded params files (cache) */
    size_t ntables;
    rhv_param_info *pinfo;    /* those used by the loaded rules, by name */
    size_t npinfo;
    eng_module *mods;         /* library modules read (cache, engine_modules.c) */
    size_t nmods;
    rhv_module_info *minfo;   /* those used by the loaded rules, by name */
    size_t nminfo;
    param_override *povr;
    size_t npovr;
    char **overrides;
    char **override_origins;     /* parallel: engine_override_origin() */
    size_t noverrides;
    rule **by_type[MAX_TYPES];
    size_t nby_type[MAX_TYPES];
    rhv_finding *findings;
    size_t nfindings;
    int fiscal_year;
    bool started;
    const rhv_record_type *last_type[2]; /* the types dispatch met last, and their indices */
    int last_index[2];
    int threads;              /* opts.threads */
    struct pool *pool;        /* worker threads between engine_start and engine_finish */
    bool defer_diag;          /* workers running: rule errors reach diag at join */
};

/* Index of t in rhv_record_types, or -1 (engine_record.c). */
int eng_type_index(const rhv_record_type *t);

/* ---- engine_load.c ------------------------------------------------------ */

char *eng_read_all(const char *path, size_t *len);
/* Parameter table `name`, loaded once per engine (cache); NULL with a diag
 * and, when why is not NULL, *why the reason (malloc'd, may be NULL). Loads
 * in a sandbox of its own: never call it inside a rule's protected call. */
rhv_param_table *eng_table(rhv_engine *e, const char *name, char **why);
/* Only from the cache: NULL when `name` has not been loaded. */
rhv_param_table *eng_table_cached(rhv_engine *e, const char *name);
/* e->pinfo from the tables the rules now in the engine use. */
void eng_rebuild_pinfo(rhv_engine *e);

/* ---- engine_meta.c ------------------------------------------------------ */

/* Trampoline: (rule light userdata, rule table). Problems go to r->meta_err. */
int eng_check_meta(lua_State *L);

/* ---- engine_modules.c --------------------------------------------------- */

/* The table rhv.lib (its __index loads a module while the rule file runs). */
void eng_push_lib_table(lua_State *L, rule *r);
/* Inside eng_check_meta: the field `uses` (v), and every module loaded must be in it. */
void eng_meta_uses(lua_State *L, rule *r, const lf_value *v);
/* Trampoline (rule): loads the declared modules not yet loaded, then fixes rhv.lib. */
int eng_load_uses(lua_State *L);
void eng_rebuild_minfo(rhv_engine *e);
void eng_modules_free(rhv_engine *e);

/* ---- engine_rhvlib.c ---------------------------------------------------- */

/* Trampoline: the global `rhv` from plugins/lib/rhv.lua and the C functions. */
int eng_init_state(lua_State *L);

/* The rule of an rhv C function (its upvalue 1). */
static inline rule *eng_up_rule(lua_State *L)
{
    return lua_touserdata(L, lua_upvalueindex(1));
}

/* ---- engine_finding.c --------------------------------------------------- */

int eng_c_finding(lua_State *L);
void eng_drop_findings(rule *r);
void eng_collect_findings(rhv_engine *e, size_t total);

/* ---- engine_ctx.c ------------------------------------------------------- */

typedef struct {
    rule *r;
    int fiscal_year;
} start_ctx;

/* The test value given for parameter table `name`, or NULL. */
const param_override *eng_find_povr(rhv_engine *e, const char *name);
/* Trampoline (start_ctx): ctx and the record tables of a rule about to run. */
int eng_start_state(lua_State *L);

/* ---- engine_record.c ---------------------------------------------------- */

typedef struct {
    rule *r;
    const rhv_record *rec;
    int ti;
} call_ctx;

void eng_record_tables(lua_State *L, rule *r);
/* Inside r's protected call: hand rec (type index ti) to its handler. */
void eng_run_handler(lua_State *L, rule *r, const rhv_record *rec, int ti);
/* Trampoline (call_ctx) around eng_run_handler. */
int eng_call_handler(lua_State *L);

/* ---- engine_queue.c ----------------------------------------------------- */

/* In the caller's thread: rec to each running rule of list. */
void eng_dispatch_inline(rule **list, size_t n, const rhv_record *rec, int ti);
void eng_pool_start(rhv_engine *e);
void eng_pool_stop(rhv_engine *e);
void eng_pool_enqueue(rhv_engine *e, const rhv_record *rec, int ti);

#endif
