/* engine_aggregate.h - aggregations a rule declares (`aggregate`, docs/rule-api.md)
 * that the host computes per record in C, without calling the rule.
 *
 * Contract:
 * - An aggregation takes the records of one type that pass its `where`, and
 *   keeps per group (a key of fields, `per`) the count, the sum of one integer
 *   field (`sum`, records matching `minus` subtracted) and the first lines.
 *   rhv.groups(name) hands the groups to the rule as Lua tables, in the order
 *   their first record came.
 * - `runs` groups records in a row with the same key: a run ends when a
 *   record with another key comes (before that record reaches any handler)
 *   or before finish, and then goes to the rule's handler on_<name> (with
 *   `nonzero`, only a run whose sum is not 0). Only one run is held at a time.
 *   Its collected lists are in the run table, but `on_read` ones, which the
 *   table's __index makes on the first read in the handler's call (refused
 *   after it; taken out of the table when it returns).
 * - The groups' memory comes from the rule state's allocator, so it counts
 *   against the rule's memory cap; past it, the rule fails with a message
 *   naming the aggregation. A sum that leaves the int64 range fails likewise.
 * - Only the thread running the rule touches its aggregations (like its state).
 */
#ifndef RHV_ENGINE_AGGREGATE_H
#define RHV_ENGINE_AGGREGATE_H

#include "engine_internal.h"
#include "keyset.h"

#define AGG_MAX 16
#define AGG_MAX_KEY 8
#define AGG_MAX_COND 8
#define AGG_MAX_LINES 100
#define AGG_NAME_MAX 48
#define AGG_KEY_FILE (-3) /* key part: the record's _file */
#define AGG_KEY_ALT (-4)  /* seen key part: the first present of the alternatives */

/* How a key part is encoded (engine_aggregate.c, build_key). */
enum { TAG_NONE, TAG_STR, TAG_INT, TAG_BOOL, TAG_FILE };

typedef struct agg_group agg_group;

/* runs with collect: the collected values of one run, field by field per record. */
typedef struct {
    rhv_value *v;          /* ncollect per record; strings point into s by offset (in v->i) */
    size_t nv, capv;
    char *s;
    size_t ns, caps;
    int64_t *ln;           /* every record's line */
    size_t nln, capln;
} agg_cols;

struct eng_agg {
    char name[AGG_NAME_MAX];
    int ti;
    rule_where where[AGG_MAX_COND], minus[AGG_MAX_COND];
    int nwhere, nminus;
    int key[AGG_MAX_KEY]; /* field index or AGG_KEY_FILE */
    int nkey;
    int sum;               /* field index, -1: none */
    int lines;             /* lines kept per group (_lines), 0: only _line */
    bool runs, nonzero;
    int collect[AGG_MAX_KEY]; /* runs: fields whose every value the handler gets */
    int ncollect;
    unsigned on_read;      /* bits of collect: lists made on the handler's first read (`on_read`) */
    agg_cols col[3];       /* [0] the open run's, [1] the ended run's, [2] the values the lists hold */
    int ref_tbl;           /* runs: the reused run table handed to on_<name> (registry) */
    int ref_handler;       /* runs: rule.on_<name> */
    /* Data, from the rule state's allocator (engine_aggregate.c): */
    agg_group *g;          /* groups in first-seen order; runs: [0] open, [1] ended */
    size_t ng, capg;
    int64_t *lv;           /* lines per group, `lines` slots each */
    size_t caplv;
    uint32_t *slot;        /* open addressing: group index + 1, 0 empty */
    size_t nslot;
    char *arena;           /* the groups' keys */
    size_t na, capa;
    char *kb;              /* the record's key being built */
    size_t capkb;
    char *pk;              /* runs: the ended run's key */
    size_t cappk;
    size_t last;           /* group of the last record taken */
    size_t before;         /* not runs: the group `last` followed, tried second (engine_aggregate.c) */
    bool has_last, pending;
    uint8_t before_score;  /* 0..3: how often `before` was lately the record's group (tried when > 0) */
    uint32_t fid[2];       /* runs: the file_id of the open [0] and the ended [1] run */
    struct agg_seen *seen; /* seen-before (engine_agg_seen.c), malloc'd; NULL: none */
    /* runs, handing over (engine_aggregate.c, push_group): */
    int ref_list[AGG_MAX_KEY + 1]; /* collect's lists and _lines in the run table (registry; 0: not made) */
    int list_n[AGG_MAX_KEY + 1];   /* entries each list was given when last filled (to clear past a run) */
    unsigned filled;       /* lists filled for the run being handed over (bits: collect's, _lines) */
    unsigned shown_ok;     /* lists that hold col[2]'s values exactly (filled for the run before) */
    unsigned in_tbl;       /* on_read lists set in the run table during the call (cleared after it) */
    bool live;             /* the run's handler is running: on_read lists can be made */
    bool shown_nsum;       /* the run table's _n and _sum are shown_n, shown_sum */
    int64_t shown_n, shown_sum;
    char *shown;           /* the key whose parts the run table holds (nshown 0: none) */
    size_t nshown, capshown;
};
typedef struct eng_agg eng_agg;

/* ---- engine_agg_meta.c --------------------------------------------------- */

void eng_meta_fail(rule *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The conditions { field = cond } of the table at c for type rt (index ti)
 * into out (at most max); label names the field in messages. */
int eng_meta_conditions(lua_State *L, rule *r, int c, const rhv_record_type *rt, int ti, const char *label,
                        rule_where *out, int *n, int max);
/* The rule's `aggregate` (table at idx; present: the field is not nil). */
void eng_meta_aggregate(lua_State *L, rule *r, int idx, bool present);
/* Is key ("on_x") the handler of one of r's runs aggregations? */
bool eng_agg_handler_key(const rule *r, const char *key);
/* Registry refs to the runs handlers of the rule table at t. */
int eng_agg_keep_handlers(lua_State *L, rule *r, int t);

/* ---- engine_agg_seen.c --------------------------------------------------- */

/* The `seen` declaration: the list at stack index seen, the optional largest,
 * match (list at stack index, 0: none), skip and max; sets a->seen and
 * a->collect. Problems go to eng_meta_fail. */
void eng_seen_meta(lua_State *L, rule *r, eng_agg *a, int seen, const char *largest, int match, const char *skip,
                   const char *max, const char *label);
/* After args are known: `max` names an integer argument. */
void eng_seen_check_max(rule *r, eng_agg *a);
/* The ended run (col[1]) against the set; its repeats wait for delivery
 * (*kept). False when memory ran out. */
bool eng_seen_run(rule *r, eng_agg *a, bool *kept);
/* Inside the rule's protected call: each repeat to on_<name>(dup, first, ctx). */
void eng_seen_deliver(lua_State *L, rule *r, eng_agg *a);
/* The summary table of rhv.groups(name). */
void eng_seen_summary(lua_State *L, rule *r, eng_agg *a);
void eng_seen_release(rule *r, eng_agg *a);
void eng_seen_free(eng_agg *a);
/* rhv.skip(name, value, on) (upvalue 1: the rule). */
int eng_c_skip(lua_State *L);

/* ---- engine_agg_push.c --------------------------------------------------- */

/* The key parts at p (a's key) as fields of the table at the top; the end of the key. */
const char *eng_agg_push_key(lua_State *L, const rule *r, const eng_agg *a, const char *p);
/* runs: the ended run's key into the reused run table at the top, setting
 * only the parts that differ from the run handed over before. */
void eng_agg_push_run_key(lua_State *L, rule *r, eng_agg *a, const char *key);
/* runs with collect: the run's lists (collected fields but on_read's, _lines) into the run table at
 * the top (the index in r->agg: ai); on_read's are made by the table's __index during the call. */
void eng_agg_push_columns(lua_State *L, rule *r, int ai);
/* After the run's handler returned (the run table at the top): take the on_read lists out of the
 * table again and keep what the lists now hold (col[2]). */
void eng_agg_after_call(lua_State *L, eng_agg *a);

/* ---- engine_aggregate.c -------------------------------------------------- */

/* The rule state's allocator (the memory cap holds). */
void *eng_agg_alloc(rule *r, void *p, size_t osize, size_t nsize);
/* Grow *p (elem bytes each) to hold at least need; false: over the cap. */
bool eng_agg_grow(rule *r, void **p, size_t *cap, size_t need, size_t elem, size_t first);
/* rec (type index ti) into r's aggregations. 0, 1 when a run ended and waits
 * for its handler (eng_agg_deliver), -1 with msg set: the rule must fail. */
int eng_agg_record(rule *r, const rhv_record *rec, int ti, char *msg, size_t n);
/* Inside r's protected call: hand every ended run to its handler. */
void eng_agg_deliver(lua_State *L, rule *r);
/* Trampoline (the rule) around eng_agg_deliver. */
int eng_agg_deliver_call(lua_State *L);
/* Inside r's protected call, before finish: end the open runs and hand them over. */
void eng_agg_end_runs(lua_State *L, rule *r);
/* Free the data (not the declarations); the state must still be open. */
void eng_agg_release(rule *r);
/* rhv.groups(name) (upvalue 1: the rule). */
int eng_c_groups(lua_State *L);

#endif
