/* xaf_internal.h - the XAF reader's shared state, for its three parts:
 * xaf.c (the element events and the entry points), xaf_reader.c (setting up
 * the reader: element-name tokens, record slots; capped messages) and
 * xaf_fields.c (an element's text into its record slot, complete records to
 * the sink). Not for use outside the XAF reader; the contract is xaf.h.
 */
#ifndef RHV_XAF_INTERNAL_H
#define RHV_XAF_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "small_bytes.h"
#include "value.h"
#include "xaf.h"

typedef struct {
    const char *ns;
    const char *version;
    bool supported;
} xaf_version;

/* ---- records ------------------------------------------------------------ */

enum { R_HEADER, R_COMPANY, R_CUSTSUP, R_LEDGER, R_VAT, R_PERIOD, R_TRANSACTIONS, R_JOURNAL, R_TRANSACTION,
       R_TRLINE, R_COUNT };

typedef struct {
    const char *type;     /* record type name */
    const char *element;  /* the XAF element that makes one */
} xaf_rec_def;
extern const xaf_rec_def xaf_rec_defs[R_COUNT];

/* Elements that group records but are not records themselves. */
enum { L_CUSTSUPS, L_LEDGER, L_VATCODES, L_PERIODS, L_COUNT };
typedef struct {
    const char *element;
    int child;
} xaf_list_def;
extern const xaf_list_def xaf_list_defs[L_COUNT];

#define MAXF 24

/* How a field's text is read: by its kind, and for three text fields with
 * their own check (decided once per reader, not per element). */
enum { H_STR, H_MONEY, H_INT, H_DATE, H_AMNTTP, H_QNTITY, H_ACCTP };
#define MAXTOK 160
#define HSIZE 512 /* power of two, well above MAXTOK */
#define TCACHE 256 /* power of two */

enum { ST_ABSENT = 0, ST_EMPTY, ST_SET };

/* A record slot. Each value is kept as the sink will see it from the moment
 * its element is stored, so handing the record on needs no pass over its
 * fields; strings point into the arena, and arena_put moves them along when
 * the arena grows. A new record does not clear the last one's values: the
 * fields it leaves out are cleared once, when it is settled (xaf_fields.c)
 * before anything reads its values. Settled, v[f] is nil unless bit f of set
 * (or f is external). */
typedef struct {
    const rhv_record_type *type;
    int nf;
    uint32_t set;        /* bit f: field f has a value */
    uint32_t empty;      /* bit f: field f was present but empty or unreadable (nil) */
    uint32_t req;        /* required fields read from elements (external ones excluded) */
    uint32_t ext;        /* fields filled by the reader rather than an element */
    uint32_t stale;      /* fields whose value may be the previous record's (until settled) */
    rhv_value v[MAXF];
    char *arena;
    size_t alen, acap;
    long line;
    bool emitted;
    bool bad;            /* an error in this record: it is not handed on */
    rhv_record rec;
} xrec;
_Static_assert(MAXF <= 32, "a record's fields are bits of a uint32_t");

static inline int xaf_st(const xrec *x, int f)
{
    uint32_t b = 1u << f;
    return (x->set & b) ? ST_SET : (x->empty & b) ? ST_EMPTY : ST_ABSENT;
}
static inline bool xaf_external(const xrec *x, int f) { return (x->ext >> f) & 1u; }

/* ---- messages ----------------------------------------------------------- */

enum { M_EMPTY_REQUIRED, M_MISSING, M_AMOUNT, M_DATE, M_INT, M_AMNTTP, M_ACCTP, M_QNTITY, M_ORDER, M_COUNT };
#define MSG_CAP 20

/* ---- reader state ------------------------------------------------------- */

enum { N_DOC, N_AUDITFILE, N_REC, N_LIST, N_FIELD };

typedef struct {
    uint8_t kind;
    int8_t rec;    /* N_REC: record; N_LIST: list; N_FIELD: owning record */
    int8_t field;  /* N_FIELD */
    long line;
} frame;

#define MAXDEPTH 16

/* Structural tokens first, then field names. */
enum { T_AUDITFILE, T_HEADER, T_COMPANY, T_CUSTSUPS, T_CUSTSUP, T_GL, T_LEDGER, T_VATCODES, T_VATCODE, T_PERIODS,
       T_PERIOD, T_TRANSACTIONS, T_JOURNAL, T_TRANSACTION, T_TRLINE, T_NSTRUCT };

typedef struct {
    const char *path;
    rhv_sink sink;
    void *ud;
    rhv_diag *d;
    rhv_xaf_info *info;
    const xaf_version *ver;
    char *ns;              /* the auditfile's namespace (own copy) */
    const char *ns_seen;   /* last pointer that matched it (libxml2 interns names) */

    const char *tok_name[MAXTOK];
    int ntok;
    int16_t htab[HSIZE];   /* token + 1, 0 = empty slot */
    int8_t fmap[R_COUNT][MAXTOK];
    int8_t tok_list[MAXTOK]; /* token -> list index or -1 */
    int8_t tok_rec[MAXTOK];  /* token -> record index or -1 */

    xrec r[R_COUNT];
    frame stack[MAXDEPTH];
    int depth;
    long skip;             /* >0: inside an element we do not map */

    bool seen_root, seen_header, tx_head_checked;
    long tx_lines;
    long msg_count[M_COUNT];
    bool msg_error[M_COUNT];
    size_t errors;         /* errors of this read (listed or not) */
    bool stopped_by_sink, oom;
    uint8_t fhow[R_COUNT][MAXF]; /* how xaf_store_field reads field f of record k (H_*) */
    bool amnttp1[256];     /* the one-byte amntTp values (value_xaf_amnttp), for the in-line path */
    int f_line_jrn, f_line_trnr, f_line_trdt, f_line_period; /* trLine's inherited fields */
    int f_jrn_id, f_tx_nr, f_tx_trdt, f_tx_period, f_tx_jrn, f_tx_lines;
    /* Element names are interned in the parser's dictionary: libxml2 hands
     * startElementNs the dictionary's own string (its tree builder keeps
     * that pointer as the node's name without a copy), which lives until the
     * parse ends and is the only string with that content. So within one
     * read a name's pointer identifies it: a direct-mapped cache on the
     * pointer answers without hashing or comparing, for unmapped names (-1)
     * too. */
    struct {
        const char *p;
        int tok;
    } tcache[TCACHE];
} reader;
/* Counts the message under code and lists it (error or warning) while the
 * code has been listed fewer than MSG_CAP times. */
void xaf_report(reader *rd, int code, bool error, long line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* ---- tokens ------------------------------------------------------------- */

static inline uint32_t xaf_hash_name(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 16777619u;
    return h;
}

static inline int xaf_tok_find(const reader *rd, const char *s)
{
    uint32_t h = xaf_hash_name(s) & (HSIZE - 1);
    for (;;) {
        int t = rd->htab[h] - 1;
        if (t < 0)
            return -1;
        if (strcmp(rd->tok_name[t], s) == 0)
            return t;
        h = (h + 1) & (HSIZE - 1);
    }
}

/* xaf_reader.c: the token of a name not in the cache, cached in slot (out
 * of line, so that the cached path stays a few instructions). */
int xaf_tok_miss(reader *rd, const char *s, unsigned slot);

static inline unsigned xaf_tcache_slot(const char *s)
{
    /* Names lie packed in the dictionary's pool, several within 8 bytes:
     * every bit of the address counts (Fibonacci hashing). */
    return (unsigned)(((uint64_t)(uintptr_t)s * 0x9E3779B97F4A7C15u) >> 56) & (TCACHE - 1);
}

static inline int xaf_tok_lookup(reader *rd, const char *s)
{
    unsigned slot = xaf_tcache_slot(s);
    if (rd->tcache[slot].p == s)
        return rd->tcache[slot].tok;
    return xaf_tok_miss(rd, s, slot);
}

/* The token when s is in the cache, else -1 (the caller then looks it up). */
static inline int xaf_tok_cached(const reader *rd, const char *s)
{
    unsigned slot = xaf_tcache_slot(s);
    return rd->tcache[slot].p == s ? rd->tcache[slot].tok : -1;
}
/* The tokens, record slots and hot-path field indexes; -1 when out of memory
 * or when the xaf.* record schema does not match this reader. */
int xaf_reader_init(reader *rd);
void xaf_reader_free(reader *rd);

/* xaf_fields.c: the text of field f of record k, checked and stored in the
 * record's slot: rare is text that may need trimming, is empty or absurdly
 * long; checked is trimmed, non-empty text of any field. */
void xaf_store_rare(reader *rd, int k, int f, const char *s, size_t n, long line);
void xaf_store_checked(reader *rd, int k, int f, const char *s, size_t n, long line);

/* n bytes at s as the value of field f (kind VAL_STR or VAL_DATE), copied
 * into the arena, which the caller made room in. */
static inline __attribute__((always_inline)) void xaf_slot_put(xrec *x, int f, val_kind kind, const char *s,
                                                               size_t n)
{
    char *dst = x->arena + x->alen;
    copy_small(dst, s, n);
    x->alen += n;
    val_text(&x->v[f], kind, dst, n);
}

/* Field f has a value. */
static inline void xaf_slot_set(xrec *x, int f)
{
    x->empty &= ~(1u << f);
    x->set |= 1u << f;
}

/* The text of field f of record k at its end tag, checked and stored. Plain
 * short text that fits the arena, the most common field, is stored here in
 * line with no call; the rest goes out of line. */
static inline void xaf_store_field(reader *rd, int k, int f, const char *s, size_t n, long line)
{
    /* Text is trimmed: a first and last byte above ' ' need no trimming. n - 1
     * wraps for n == 0, so one test also sends empty text the rare way. */
    if (n - 1 >= UINT32_MAX || (uint8_t)s[0] <= ' ' || (uint8_t)s[n - 1] <= ' ') {
        xaf_store_rare(rd, k, f, s, n, line);
        return;
    }
    xrec *x = &rd->r[k];
    uint8_t how = rd->fhow[k][f];
    if ((how != H_STR && !(how == H_AMNTTP && n == 1 && rd->amnttp1[(uint8_t)s[0]])) || n > 16 ||
        x->alen + n > x->acap) {
        xaf_store_checked(rd, k, f, s, n, line);
        return;
    }
    xaf_slot_put(x, f, VAL_STR, s, n);
    xaf_slot_set(x, f);
}
/* An empty slot for a record element that starts at line. */
void xaf_rec_reset(xrec *x, long line);
/* The end of a record element: each hands the record on (unless bad). */
void xaf_emit_header(reader *rd);
void xaf_flush_company(reader *rd);
void xaf_flush_simple(reader *rd, int k);
void xaf_check_tx_head(reader *rd);
void xaf_emit_trline(reader *rd);
void xaf_emit_transaction(reader *rd);

#endif
