/* rule.h - one loaded rule inside the engine: what the engine's files know
 * of it, and the few operations on it that they share (rule.c).
 *
 * Contract:
 * - A rule is created by engine_load.c with status error until it has loaded;
 *   every touch of its lua_State that can allocate goes through
 *   eng_protected, so a memory error or the rule's own error comes back as a
 *   status, never reaches the panic function. Its state is used by one thread
 *   at a time (engine_queue.c says how).
 * - A rule in error keeps the error as fields (r->error: file, line, message,
 *   traceback, sandbox.h); r->info.message is the same error as one text
 *   (sandbox_error_text), the form the reports show. The engine's diag gets
 *   the error with the rule's file and the line, when the error was raised in
 *   the rule's own file, and the message's first line.
 * - A rule that is an error or skipped is not called again; a failed rule
 *   (eng_rule_failed) also drops its findings and frees its state early,
 *   keeping its memory peak.
 */
#ifndef RHV_RULE_H
#define RHV_RULE_H

#include <lua.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "engine.h"
#include "finding.h"
#include "record.h"
#include "sandbox.h"

#define MAX_TYPES 64
#define ERRBUF 1024

/* ARG_AMOUNT: cents in i, written in euros (rhv.arg.amount); ARG_LIST: the
 * items joined with commas in s, a list in ctx.args (rhv.arg.list). */
typedef enum { ARG_INT, ARG_BOOL, ARG_STR, ARG_AMOUNT, ARG_LIST } arg_type;

typedef struct {
    char *key;
    arg_type type;
    int64_t i;
    char *s;
} rule_arg;

/* One condition of a rule's `where` or of an aggregation's (docs/rule-api.md):
 * a record of type ti passes only when its field is present (W_ANY), absent
 * (W_ABSENT), holds exactly the text value (W_TEXT) or a text that starts
 * with it (W_PREFIX). */
#define MAX_WHERE 16
#define WHERE_VALUE_MAX 64
typedef enum { W_ANY, W_ABSENT, W_TEXT, W_PREFIX } where_kind;
typedef struct {
    int ti, field;
    where_kind kind;
    size_t len;
    char value[WHERE_VALUE_MAX];  /* the text it must hold or start with */
} rule_where;

/* Does the record's value v pass condition w? */
static inline bool eng_cond_pass(const rule_where *w, const rhv_value *v)
{
    if (v->kind == VAL_NONE)
        return w->kind == W_ABSENT;
    switch (w->kind) {
    case W_ANY: return true;
    case W_ABSENT: return false;
    case W_TEXT: return v->len == w->len && memcmp(v->s, w->value, w->len) == 0;
    case W_PREFIX: return v->len >= w->len && memcmp(v->s, w->value, w->len) == 0;
    }
    return false;
}

struct eng_agg; /* a declared aggregation (engine_aggregate.c) */

#define MAX_USES 8 /* library modules a rule may declare in `uses` */

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
    int ref_fcache[MAX_TYPES]; /* anchors fcache in the registry */
    uint64_t present[MAX_TYPES]; /* fields now non-nil in the reused record table */
    uint64_t used[MAX_TYPES];    /* fields this rule has read (bit nfields: _file,
                                  * nfields + 1: _line): the only ones set per record */
    struct field_cache *fcache[MAX_TYPES]; /* per field of the reused table: the value it holds
                                  * (engine_record.c; memory of the rule's state) */
    const rhv_record *cur_rec;   /* the record of the running handler call */
    int cur_ti;                  /* its type index */
    uint64_t nrecs;              /* records handed to its handlers (engine_report.c) */
    size_t mem_peak;         /* kept when the state is freed early */
    bool diag_deferred;      /* error met on a worker thread: reported at join */
    sandbox_error error;     /* status error: where and what (info.message is its text) */
    bool reads[MAX_TYPES];
    int year_from, year_to;
    bool year_open;
    char **params;
    size_t nparams;
    char *uses[MAX_USES];    /* field `uses`: library modules (engine_modules.c) */
    size_t nuses;
    size_t *mods;            /* modules loaded into the state: indices of e->mods */
    size_t nmods;
    size_t loading[MAX_USES]; /* modules being loaded, innermost last (cycles) */
    int nloading;
    bool uses_fixed;         /* after load: rhv.lib holds exactly the declared modules */
    rule_arg *args;
    size_t nargs;
    rhv_finding *findings;
    size_t nf, capf;
    rhv_finding pending;     /* being copied: freed if a Lua error cuts it short */
    char meta_err[ERRBUF];   /* first metadata problem, set by check_meta */
    char *description, *legal_text, *legal_source;
    const char *read_names[MAX_TYPES];
    size_t nread_names;
    rule_where where[MAX_WHERE]; /* conditions before a record reaches a handler */
    int nwhere;
    uint64_t where_types;     /* bit ti: type ti has conditions */
    struct eng_agg *agg;      /* declared aggregations (`aggregate`), run in C per record */
    int nagg;
    uint64_t agg_types;       /* bit ti: an aggregation takes records of type ti */
    char **agg_file;          /* the files the aggregations met: a key holds the index */
    uint32_t nagg_file, agg_last_file;
    bool requires[MAX_TYPES]; /* types without which the rule concludes nothing */
    const char *require_names[MAX_TYPES];
    size_t nrequire_names;
    /* The hostile-rule limits (docs/sandbox.md): */
    size_t findings_bytes;   /* host memory the rule's findings hold; at most its memory limit */
    sandbox_error limit;     /* a findings limit was passed (message set): the rule fails even if it caught the error */
};

/* Does rec (of type index ti) pass r's `where` conditions? Records that do
 * not are not handed over but count as received (nrecs). */
static inline bool eng_where_pass(const rule *r, const rhv_record *rec, int ti)
{
    if (!(r->where_types >> ti & 1))
        return true;
    for (int k = 0; k < r->nwhere; k++) {
        const rule_where *w = &r->where[k];
        if (w->ti != ti)
            continue;
        if (!eng_cond_pass(w, &rec->v[w->field]))
            return false;
    }
    return true;
}

/* Status error. The message alone (no position): */
void eng_rule_set_error(rule *r, const char *msg);
/* ... about the rule's file as a whole ("file: msg"): */
void eng_rule_set_error_in_file(rule *r, const char *msg);
/* ... from a sandbox error, whose fields it takes (err is left zeroed). */
void eng_rule_take_error(rule *r, sandbox_error *err);
void eng_rule_set_skipped(rule *r, const char *reason);
/* Status error from err (taken), findings dropped, state freed (peak kept). */
void eng_rule_failed(rule *r, sandbox_error *err);
void eng_rule_failed_msg(rule *r, const char *msg);
/* Report r's error to the engine's diag (contract above). */
void eng_rule_error_diag(rule *r);
void eng_rule_free(rule *r);
/* f(L) with the light userdata ud as its argument, under the sandbox's
 * protection. 0, or -1 with *err filled (free with sandbox_error_free). */
int eng_protected(rule *r, lua_CFunction f, void *ud, sandbox_error *err);

#endif
