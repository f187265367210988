/* cmd_check_readahead.c - see cmd_check_readahead.h.
 *
 * Why a ring of chunks: the reading thread and the draining thread hand
 * over a chunk of records at a time under one mutex, not a record at a
 * time; a full ring makes the reader wait, so a ledger of any size takes
 * the same few hundred KiB. A queued record keeps its type, file and line
 * and its values; the text of string values is copied into the chunk's
 * arena and the value holds the text's offset in `i` (0 for strings in the
 * reader's records) until it is drained.
 */
#include "cmd_check_readahead.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define RA_CHUNKS 4
#define RA_RECS 512
#define RA_ARENA (128 * 1024)

typedef struct {
    const rhv_record_type *type;
    const char *file;
    long line;
    size_t v0;                 /* first value in vals */
} ra_rec;

typedef struct {
    ra_rec *recs;
    size_t n, cap;
    rhv_value *vals;
    size_t nv, capv;
    char *arena;
    size_t na, capa;
} ra_chunk;

struct check_readahead {
    const char *path;
    bool (*keep)(const rhv_record *rec);
    char *sha256;
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    ra_chunk ring[RA_CHUNKS];
    size_t head, tail;         /* chunks filled / drained so far (mod RA_CHUNKS) */
    bool done;                 /* the reader has returned */
    bool stop;                 /* the drain wants no more */
    rhv_diag diag;             /* the reader's messages, in order */
    rhv_xaf_info info;
};

static void chunk_free(ra_chunk *c)
{
    free(c->recs);
    free(c->vals);
    free(c->arena);
}

/* Grows *p (n elements of size sz, capacity *cap) to hold need; false when out of memory. */
static bool grow(void **p, size_t *cap, size_t need, size_t sz)
{
    if (need <= *cap)
        return true;
    size_t nc = *cap ? *cap : 64;
    while (nc < need)
        nc *= 2;
    void *q = realloc(*p, nc * sz);
    if (!q)
        return false;
    *p = q;
    *cap = nc;
    return true;
}

/* Copies rec into chunk c; false when out of memory. */
static bool chunk_add(ra_chunk *c, const rhv_record *rec)
{
    size_t text = 0;
    for (int i = 0; i < rec->type->nfields; i++)
        if (rec->v[i].kind == VAL_STR || rec->v[i].kind == VAL_DATE)
            text += rec->v[i].len;
    if (!grow((void **)&c->recs, &c->cap, c->n + 1, sizeof *c->recs) ||
        !grow((void **)&c->vals, &c->capv, c->nv + (size_t)rec->type->nfields, sizeof *c->vals) ||
        !grow((void **)&c->arena, &c->capa, c->na + text + 1, 1))
        return false;
    c->recs[c->n++] = (ra_rec){rec->type, rec->file, rec->line, c->nv};
    for (int i = 0; i < rec->type->nfields; i++) {
        rhv_value v = rec->v[i];
        if (v.kind == VAL_STR || v.kind == VAL_DATE) {
            if (v.len)
                memcpy(c->arena + c->na, v.s, v.len);
            v.i = (int64_t)c->na;
            v.s = NULL;
            c->na += v.len;
        }
        c->vals[c->nv++] = v;
    }
    return true;
}

static bool chunk_full(const ra_chunk *c)
{
    return c->n >= RA_RECS || c->na >= RA_ARENA;
}

/* The reader's sink: queue rec; hand the chunk over when full. */
static int queue_sink(void *ud, const rhv_record *rec)
{
    check_readahead *ra = ud;
    if (ra->keep && !ra->keep(rec))
        return 0;
    pthread_mutex_lock(&ra->mu);
    while (ra->head - ra->tail == RA_CHUNKS && !ra->stop)
        pthread_cond_wait(&ra->cv, &ra->mu);
    bool stop = ra->stop;
    pthread_mutex_unlock(&ra->mu);
    if (stop)
        return 1;
    /* The chunk at head is the reader's alone until head moves on. */
    ra_chunk *c = &ra->ring[ra->head % RA_CHUNKS];
    if (!chunk_add(c, rec)) {
        diag_error(&ra->diag, rec->file, rec->line, "out of memory");
        return 1;
    }
    if (chunk_full(c)) {
        pthread_mutex_lock(&ra->mu);
        ra->head++;
        pthread_cond_broadcast(&ra->cv);
        pthread_mutex_unlock(&ra->mu);
    }
    return 0;
}

static void *reader(void *arg)
{
    check_readahead *ra = arg;
    xaf_read_hashed(ra->path, queue_sink, ra, &ra->diag, &ra->info, ra->sha256);
    pthread_mutex_lock(&ra->mu);
    /* The last, partly filled chunk; when the ring is full, the chunk at
     * head is the drain's and the reader's own is empty. */
    if (ra->head - ra->tail < RA_CHUNKS && ra->ring[ra->head % RA_CHUNKS].n)
        ra->head++;
    ra->done = true;
    pthread_cond_broadcast(&ra->cv);
    pthread_mutex_unlock(&ra->mu);
    return NULL;
}

check_readahead *readahead_start(const char *path, bool (*keep)(const rhv_record *rec), char *sha256)
{
    check_readahead *ra = calloc(1, sizeof *ra);
    if (!ra)
        return NULL;
    ra->path = path;
    ra->keep = keep;
    ra->sha256 = sha256;
    diag_init(&ra->diag, NULL);
    if (pthread_mutex_init(&ra->mu, NULL) != 0) {
        free(ra);
        return NULL;
    }
    if (pthread_cond_init(&ra->cv, NULL) != 0) {
        pthread_mutex_destroy(&ra->mu);
        free(ra);
        return NULL;
    }
    if (pthread_create(&ra->th, NULL, reader, ra) != 0) {
        pthread_cond_destroy(&ra->cv);
        pthread_mutex_destroy(&ra->mu);
        free(ra);
        return NULL;
    }
    return ra;
}

/* Hands chunk c's records to sink; its non-zero result, else 0. */
static int drain_chunk(const ra_chunk *c, rhv_sink sink, void *ud)
{
    rhv_value vals[64];
    for (size_t k = 0; k < c->n; k++) {
        const ra_rec *q = &c->recs[k];
        int nf = q->type->nfields < 64 ? q->type->nfields : 64;
        for (int i = 0; i < nf; i++) {
            vals[i] = c->vals[q->v0 + (size_t)i];
            if (vals[i].kind == VAL_STR || vals[i].kind == VAL_DATE) {
                vals[i].s = c->arena + vals[i].i;
                vals[i].i = 0;
            }
        }
        rhv_record rec = {q->type, q->file, q->line, vals};
        int rc = sink(ud, &rec);
        if (rc)
            return rc;
    }
    return 0;
}

int readahead_drain(check_readahead *ra, rhv_sink sink, void *ud)
{
    for (;;) {
        pthread_mutex_lock(&ra->mu);
        while (ra->tail == ra->head && !ra->done)
            pthread_cond_wait(&ra->cv, &ra->mu);
        bool have = ra->tail != ra->head;
        pthread_mutex_unlock(&ra->mu);
        if (!have)
            return 0;
        /* The chunk at tail is the drain's alone until tail moves on. */
        ra_chunk *c = &ra->ring[ra->tail % RA_CHUNKS];
        int rc = drain_chunk(c, sink, ud);
        c->n = c->nv = c->na = 0;
        pthread_mutex_lock(&ra->mu);
        ra->tail++;
        if (rc)
            ra->stop = true;
        pthread_cond_broadcast(&ra->cv);
        pthread_mutex_unlock(&ra->mu);
        if (rc)
            return rc;
    }
}

void readahead_finish(check_readahead *ra, rhv_diag *d, rhv_xaf_info *info)
{
    pthread_mutex_lock(&ra->mu);
    ra->stop = true; /* a reader still waiting for room stops */
    pthread_cond_broadcast(&ra->cv);
    pthread_mutex_unlock(&ra->mu);
    pthread_join(ra->th, NULL);
    size_t errors = 0, warnings = 0;
    for (size_t i = 0; i < ra->diag.n; i++) {
        const diag_msg *m = &ra->diag.msgs[i];
        if (m->level == DIAG_ERROR) {
            diag_error(d, m->file, m->line, "%s", m->message);
            errors++;
        } else {
            diag_warning(d, m->file, m->line, "%s", m->message);
            warnings++;
        }
    }
    /* A message the reader could not keep (out of memory) is only counted. */
    d->errors += ra->diag.errors - errors;
    d->warnings += ra->diag.warnings - warnings;
    *info = ra->info;
    for (int i = 0; i < RA_CHUNKS; i++)
        chunk_free(&ra->ring[i]);
    diag_free(&ra->diag);
    pthread_cond_destroy(&ra->cv);
    pthread_mutex_destroy(&ra->mu);
    free(ra);
}
