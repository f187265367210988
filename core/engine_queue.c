/* engine_queue.c - worker threads and the compact record queue.
 *
 * With threads, engine_dispatch copies records into batches and the rules
 * run on worker threads (and on the reading thread while the queue is full);
 * each rule still sees every record in order, on one thread at a time, so
 * statuses and findings are those of the in-line run. Without threads,
 * eng_dispatch_inline hands the record over at once.
 */
#include "engine_agg_key.h"

#include <lauxlib.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

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
/* 16,384 records in the ring, in batches of 1,024: a worker that keeps up
 * sleeps between batches, and a wake-up costs two system calls and two
 * context switches; `--rules xaf.integriteit` on 1M ledger lines made 4,000
 * to 7,700 voluntary context switches with 256-record batches, 1,100 to
 * 2,000 with 1,024. 16 batches rather than 8: the worker shares its core
 * with the hashing thread and falls behind now and then, and the reading
 * thread then runs rule batches itself (90 to 1,000 of the 2,940 rule
 * batches of 1M ledger lines); with the longer ring, interleaved runs took
 * 2.5-5 % less wall time on both bench files, for about 2 MiB more. */
#define BATCH 1024
#define RING 16
/* A worker that ran out of batches sleeps until this many wait for the rule
 * furthest behind, or the input ends: it then runs them in one go instead of
 * being woken for each (with a ring of 8, 1M long lines: 1,600-1,900
 * context switches a run instead of 2,400-2,700). Half the ring: woken well
 * before the ring is full and the reading thread has to run batches. */
#define WAKE_AT (RING / 2)

/* Queued records are compact (the ring's memory counts against the 64 MiB
 * a run may take): only the fields present that a queued rule can read, 16
 * bytes each, strings in the batch's arena; a file name repeated by
 * consecutive records is stored once. A rule with a handler for a type may
 * read any of its fields; a rule that only aggregates it, just the fields its
 * aggregations name (agg_fields): a ledger line's other fields are not
 * copied (the reading thread's time) nor unpacked (the worker's). */
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
    uint64_t want[MAX_TYPES]; /* per type, the fields the rule reads (agg_fields, or all) */
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
    int idle;           /* workers waiting for batches (cv_work) */
    qrule *q;           /* the rules the workers run */
    size_t nq;
    qrule *last;        /* the rule the producer ran last */
    uint64_t need[MAX_TYPES]; /* per type, the fields queued: the rules' want together */
    bool oom;           /* a batch could not grow: records were lost */
};

static uint64_t field_bit(int f)
{
    return f >= 0 && f < 64 ? (uint64_t)1 << f : 0;
}

/* The fields of type ti that r's aggregations read: key, where, minus, sum
 * and collect (seen reads the collected values). */
static uint64_t agg_fields(const rule *r, int ti)
{
    uint64_t m = 0;
    for (int i = 0; i < r->nagg; i++) {
        const eng_agg *a = &r->agg[i];
        if (a->ti != ti)
            continue;
        for (int k = 0; k < a->nkey; k++)
            m |= field_bit(a->key[k]); /* not AGG_KEY_FILE */
        for (int k = 0; k < a->nwhere; k++)
            m |= field_bit(a->where[k].field);
        for (int k = 0; k < a->nminus; k++)
            m |= field_bit(a->minus[k].field);
        for (int k = 0; k < a->ncollect; k++)
            m |= field_bit(a->collect[k]);
        m |= field_bit(a->sum);
    }
    return m;
}

/* The fields of type ti that r reads with workers: all with a handler (it
 * may read any, and its `where`), those of its aggregations without. */
static uint64_t rule_wants(const rule *r, int ti)
{
    const int nf = rhv_record_types[ti]->nfields;
    if (r->ref_handler[ti] != LUA_NOREF)
        return nf >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << nf) - 1;
    return r->agg_types >> ti & 1 ? agg_fields(r, ti) : 0;
}

/* rec into r's aggregations (outside Lua: no protected call unless a run
 * ended and goes to its handler). False when the rule failed. */
static bool aggregate_inline(rule *r, const rhv_record *rec, int ti)
{
    char msg[512];
    int rc = eng_agg_record(r, rec, ti, msg, sizeof msg);
    if (rc < 0) {
        eng_rule_failed_msg(r, msg);
        return false;
    }
    sandbox_error err;
    if (rc > 0 && eng_protected(r, eng_agg_deliver_call, r, &err) != 0) {
        eng_rule_failed(r, &err);
        return false;
    }
    return true;
}

void eng_dispatch_inline(rule **list, size_t n, const rhv_record *rec, int ti)
{
    for (size_t k = 0; k < n; k++) {
        rule *r = list[k];
        if (!r->running)
            continue;
        if (r->agg_types >> ti & 1) {
            if (!aggregate_inline(r, rec, ti))
                continue;
            if (r->ref_handler[ti] == LUA_NOREF) {
                r->nrecs++;
                continue;
            }
        }
        if (!eng_where_pass(r, rec, ti)) {
            r->nrecs++;
            continue;
        }
        call_ctx cc = {r, rec, ti};
        sandbox_error err;
        int rc = eng_protected(r, eng_call_handler, &cc, &err);
        r->cur_rec = NULL; /* also when the handler raised */
        if (rc != 0)
            eng_rule_failed(r, &err);
    }
}

typedef struct {
    rule *r;
    const uint64_t *want; /* per type, the fields to unpack */
    const batch *b;
} batch_ctx;

/* The values of the fields q's rule reads (want) into v, present or nil;
 * the others of v are never read and keep what they held. *held: the
 * fields of v that hold a value (a nil is written only over one). */
static inline void unpack(const batch *b, const qrec *q, uint64_t want, rhv_value *v, uint64_t *held)
{
    const uint64_t gone = *held & want & ~q->mask;
    for (uint64_t m = gone; m; m &= m - 1)
        val_none(&v[__builtin_ctzll(m)]);
    const qval *x = b->vals + q->val_off;
    for (uint64_t m = q->mask; m; m &= m - 1, x++) { /* the queued values in field order */
        const int f = __builtin_ctzll(m);
        if (!(want >> f & 1))
            continue;
        if (x->kind == VAL_STR || x->kind == VAL_DATE)
            val_text(&v[f], x->kind, b->arena + x->i, x->len);
        else
            val_int(&v[f], x->kind, x->i);
    }
    *held = (*held & ~gone) | (q->mask & want);
}

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
    uint64_t held = 0; /* the fields of v that hold a value */
    for (int f = 0; f < 64; f++)
        val_none(&v[f]);
    bool first = true;
    for (size_t i = 0; i < b->n; i++) {
        const qrec *q = &b->recs[i];
        const bool agg = r->agg_types >> q->ti & 1;
        if (r->ref_handler[q->ti] == LUA_NOREF && !agg)
            continue;
        const rhv_record_type *t = rhv_record_types[q->ti];
        unpack(b, q, bc->want[q->ti], v, &held);
        rhv_record rec = {t, q->file_off == NO_FILE ? NULL : b->arena + q->file_off, q->line, v};
        if (agg) {
            char msg[512];
            int rc = eng_agg_record(r, &rec, q->ti, msg, sizeof msg);
            if (rc < 0)
                return luaL_error(L, "%s", msg);
            if (rc > 0)
                eng_agg_deliver(L, r);
            if (r->ref_handler[q->ti] == LUA_NOREF) {
                r->nrecs++;
                continue;
            }
        }
        if (!eng_where_pass(r, &rec, q->ti)) {
            r->nrecs++;
            continue;
        }
        if (!first)
            sandbox_next_call(r->sb);
        first = false;
        eng_run_handler(L, r, &rec, q->ti);
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
        batch_ctx bc = {r, pick->want, b};
        sandbox_error err;
        int rc = eng_protected(r, call_batch, &bc, &err);
        r->cur_rec = NULL; /* also when a handler raised */
        if (rc != 0)
            eng_rule_failed(r, &err);
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
        p->idle++;
        pthread_cond_wait(&p->cv_work, &p->mu);
        p->idle--;
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

/* With p->mu held: the batches published that the slowest live rule has
 * not finished. */
static uint64_t pool_behind(const struct pool *p)
{
    uint64_t slowest = p->produced;
    for (size_t k = 0; k < p->nq; k++)
        if (!p->q[k].dead && p->q[k].done < slowest)
            slowest = p->q[k].done;
    return p->produced - slowest;
}

/* Publish the batch being filled, if any; wake sleeping workers once
 * WAKE_AT batches wait (a wake per batch cost the reading thread a system
 * call and the machine two context switches each time). */
static void pool_publish(struct pool *p)
{
    if (!p->filling)
        return;
    pthread_mutex_lock(&p->mu);
    p->produced++;
    p->filling = false;
    bool wake = p->idle > 0 && pool_behind(p) >= WAKE_AT;
    pthread_mutex_unlock(&p->mu);
    if (wake)
        pthread_cond_broadcast(&p->cv_work);
}

/* Wait for the workers to finish every record, join them, report the rule
 * errors they met (in rule order) and go back to in-line dispatch. */
void eng_pool_stop(rhv_engine *e)
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
                eng_rule_failed_msg(p->q[k].r, "out of memory queueing records for the rule");
    }
    for (size_t k = 0; k < e->nrules; k++) {
        rule *r = e->rules[k];
        if (r->diag_deferred) {
            r->diag_deferred = false;
            eng_rule_error_diag(r);
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

/* s (len bytes) and a NUL into the arena: its offset, (size_t)-1 out of memory. */
static inline size_t arena_put(batch *b, const char *s, size_t len)
{
    if (b->na + len + 1 > b->capa && grow_arr((void **)&b->arena, &b->capa, b->na + len + 1, 1) != 0)
        return (size_t)-1;
    size_t off = b->na;
    copy_small(b->arena + off, s, len); /* short strings without a memcpy call */
    b->arena[off + len] = '\0';
    b->na += len + 1;
    return off;
}

/* Start filling the next ring slot once the slowest rule is done with it. */
static void pool_claim_batch(struct pool *p)
{
    pthread_mutex_lock(&p->mu);
    for (;;) {
        if (pool_behind(p) < RING)
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

void eng_pool_enqueue(rhv_engine *e, const rhv_record *rec, int ti)
{
    struct pool *p = e->pool;
    if (!p->filling)
        pool_claim_batch(p);
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
    uint64_t mask = 0;
    for (uint64_t m = p->need[ti]; m; m &= m - 1) {
        const int i = __builtin_ctzll(m);
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
        mask |= (uint64_t)1 << i;
    }
    q->mask = mask;
    b->nv = nv;
    b->n++;
    if (b->n == BATCH)
        pool_publish(p);
}

/* Spread the running rules over up to e->threads workers and start them.
 * On any failure dispatch simply stays in-line. */
void eng_pool_start(rhv_engine *e)
{
    rule *list[4096];
    size_t n = 0;
    for (size_t k = 0; k < e->nrules && n < sizeof list / sizeof list[0]; k++) {
        rule *r = e->rules[k];
        bool handles = r->agg_types != 0; /* aggregations take records without a handler */
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
    for (size_t k = 0; k < n; k++) {
        p->q[k].r = list[k];
        for (int i = 0; i < rhv_record_type_count; i++)
            p->need[i] |= p->q[k].want[i] = rule_wants(list[k], i);
    }
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
        eng_pool_stop(e);
}
