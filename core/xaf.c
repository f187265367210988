/* xaf.c - see xaf.h.
 *
 * Shape: a fixed tree walk over xml_stream events. A small stack holds the
 * mapped elements that are open (auditfile, a record element, a list element,
 * a field); anything we do not map opens a skip region whose contents are
 * ignored wholesale, which is also how nested look-alikes (glAccountHistory,
 * customerSupplierHistory, trLine/vat) stay out of the records.
 *
 * Every record type has one reusable slot with a text arena. Field text is
 * copied into the arena at its end tag (xml_stream reuses its buffer), and
 * strings are stored as offsets so that an arena that grows never leaves a
 * dangling pointer; pointers are resolved only when a record is handed to the
 * sink. A trLine borrows its transaction's and journal's keys the same way.
 *
 * Repeated problems in a large ledger would otherwise put millions of
 * messages in the diag (which keeps them all): each kind of message is listed
 * MSG_CAP times per file, the rest are counted and summarised at the end.
 */
#include "xaf.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "money.h"
#include "value.h"
#include "xml_stream.h"

/* ---- versions ----------------------------------------------------------- */

typedef struct {
    const char *ns;
    const char *version;
    bool supported;
} xaf_version;

/* The namespace is the version signal. Known but unread versions are listed
 * so the message can say "not supported yet" instead of "unknown". */
static const xaf_version versions[] = {
    {"http://www.auditfiles.nl/XAF/3.2", "3.2", true},
    {"http://www.auditfiles.nl/XAF/3.1", "3.1", true},
    {"http://www.auditfiles.nl/XAF/3.0", "3.0", false},
    {"http://www.odb.belastingdienst.nl/Belastingdienst/BCPP/1.0/structures/XmlAuditfileFinancieel3.2.1", "3.2.1",
     false},
    {"http://www.odb.belastingdienst.nl/Belastingdienst/BCPP/1.1/structures/XmlauditfileXAF_4.0", "4.0", false},
    /* Not an official URI, but some exporters write it. */
    {"http://www.auditfiles.nl/XAF/4.0", "4.0", false},
};
#define NVERSIONS ((int)(sizeof versions / sizeof versions[0]))

/* ---- records ------------------------------------------------------------ */

enum { R_HEADER, R_COMPANY, R_CUSTSUP, R_LEDGER, R_VAT, R_PERIOD, R_TRANSACTIONS, R_JOURNAL, R_TRANSACTION,
       R_TRLINE, R_COUNT };

static const struct {
    const char *type;     /* record type name */
    const char *element;  /* the XAF element that makes one */
} rec_defs[R_COUNT] = {
    [R_HEADER] = {"xaf.header", "header"},
    [R_COMPANY] = {"xaf.company", "company"},
    [R_CUSTSUP] = {"xaf.customerSupplier", "customerSupplier"},
    [R_LEDGER] = {"xaf.ledgerAccount", "ledgerAccount"},
    [R_VAT] = {"xaf.vatCode", "vatCode"},
    [R_PERIOD] = {"xaf.period", "period"},
    [R_TRANSACTIONS] = {"xaf.transactions", "transactions"},
    [R_JOURNAL] = {"xaf.journal", "journal"},
    [R_TRANSACTION] = {"xaf.transaction", "transaction"},
    [R_TRLINE] = {"xaf.trLine", "trLine"},
};

/* Fields filled by the reader rather than from an element of the same name. */
static const struct {
    int rec;
    const char *field;
} externals[] = {
    {R_HEADER, "version"},
    {R_TRANSACTION, "jrnID"}, {R_TRANSACTION, "lines"},
    {R_TRLINE, "jrnID"}, {R_TRLINE, "trNr"}, {R_TRLINE, "trDt"}, {R_TRLINE, "periodNumber"},
};

/* Elements that group records but are not records themselves. */
enum { L_CUSTSUPS, L_LEDGER, L_VATCODES, L_PERIODS, L_COUNT };
static const struct {
    const char *element;
    int child;
} list_defs[L_COUNT] = {
    [L_CUSTSUPS] = {"customersSuppliers", R_CUSTSUP},
    [L_LEDGER] = {"generalLedger", R_LEDGER},
    [L_VATCODES] = {"vatCodes", R_VAT},
    [L_PERIODS] = {"periods", R_PERIOD},
};

#define MAXF 24
#define MAXTOK 160
#define HSIZE 512 /* power of two, well above MAXTOK */

enum { ST_ABSENT = 0, ST_EMPTY, ST_SET };

typedef struct {
    const rhv_record_type *type;
    int nf;
    uint8_t st[MAXF];
    bool external[MAXF];
    int64_t iv[MAXF];    /* integer value, or arena offset of a string */
    uint32_t slen[MAXF];
    rhv_value v[MAXF];
    char *arena;
    size_t alen, acap;
    long line;
    bool emitted;
    bool bad;            /* an error in this record: it is not handed on */
    rhv_record rec;
} xrec;

/* ---- messages ----------------------------------------------------------- */

enum { M_EMPTY_REQUIRED, M_MISSING, M_AMOUNT, M_DATE, M_INT, M_AMNTTP, M_ACCTP, M_QNTITY, M_ORDER, M_COUNT };
static const char *const msg_what[M_COUNT] = {
    "empty required elements", "missing required elements", "bad amounts", "bad dates", "bad integers",
    "bad amntTp values", "non-standard accTp values", "negative qntity values", "elements out of order",
};
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
    /* Fields looked at on the hot path. */
    int f_qntity, f_amntTp, f_accTp;
    int f_line_jrn, f_line_trnr, f_line_trdt, f_line_period; /* trLine's inherited fields */
    int f_jrn_id, f_tx_nr, f_tx_trdt, f_tx_period, f_tx_jrn, f_tx_lines;
    /* Element names are interned by libxml2, so the same name arrives as the
     * same pointer: a direct-mapped cache skips hashing. A hit is still
     * confirmed by strcmp, so correctness never rests on the interning. */
    struct {
        const char *p;
        int tok;
    } tcache[64];
} reader;

static void report(reader *rd, int code, bool error, long line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void report(reader *rd, int code, bool error, long line, const char *fmt, ...)
{
    if (error)
        rd->errors++;
    rd->msg_error[code] |= error;
    if (++rd->msg_count[code] > MSG_CAP)
        return;
    char buf[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (error)
        diag_error(rd->d, rd->path, line, "%s", buf);
    else
        diag_warning(rd->d, rd->path, line, "%s", buf);
}

/* ---- tokens ------------------------------------------------------------- */

static uint32_t hash_name(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 16777619u;
    return h;
}

static int tok_find(const reader *rd, const char *s)
{
    uint32_t h = hash_name(s) & (HSIZE - 1);
    for (;;) {
        int t = rd->htab[h] - 1;
        if (t < 0)
            return -1;
        if (strcmp(rd->tok_name[t], s) == 0)
            return t;
        h = (h + 1) & (HSIZE - 1);
    }
}

static int tok_lookup(reader *rd, const char *s)
{
    unsigned slot = (unsigned)(((uintptr_t)s >> 3) & 63);
    if (rd->tcache[slot].p == s && strcmp(rd->tok_name[rd->tcache[slot].tok], s) == 0)
        return rd->tcache[slot].tok;
    int t = tok_find(rd, s);
    if (t >= 0) {
        rd->tcache[slot].p = s;
        rd->tcache[slot].tok = t;
    }
    return t;
}

static int tok_add(reader *rd, const char *s)
{
    int t = tok_find(rd, s);
    if (t >= 0)
        return t;
    if (rd->ntok == MAXTOK)
        return -1;
    t = rd->ntok++;
    rd->tok_name[t] = s;
    uint32_t h = hash_name(s) & (HSIZE - 1);
    while (rd->htab[h])
        h = (h + 1) & (HSIZE - 1);
    rd->htab[h] = (int16_t)(t + 1);
    return t;
}

static const char *const struct_names[T_NSTRUCT] = {
    [T_AUDITFILE] = "auditfile", [T_HEADER] = "header", [T_COMPANY] = "company",
    [T_CUSTSUPS] = "customersSuppliers", [T_CUSTSUP] = "customerSupplier", [T_GL] = "generalLedger",
    [T_LEDGER] = "ledgerAccount", [T_VATCODES] = "vatCodes", [T_VATCODE] = "vatCode", [T_PERIODS] = "periods",
    [T_PERIOD] = "period", [T_TRANSACTIONS] = "transactions", [T_JOURNAL] = "journal",
    [T_TRANSACTION] = "transaction", [T_TRLINE] = "trLine",
};

static int reader_init(reader *rd)
{
    for (int i = 0; i < T_NSTRUCT; i++)
        if (tok_add(rd, struct_names[i]) != i)
            return -1;
    memset(rd->tok_list, -1, sizeof rd->tok_list);
    memset(rd->tok_rec, -1, sizeof rd->tok_rec);
    memset(rd->fmap, -1, sizeof rd->fmap);
    for (int l = 0; l < L_COUNT; l++)
        rd->tok_list[tok_find(rd, list_defs[l].element)] = (int8_t)l;
    for (int k = 0; k < R_COUNT; k++) {
        xrec *x = &rd->r[k];
        rd->tok_rec[tok_find(rd, rec_defs[k].element)] = (int8_t)k;
        x->type = record_type_find(rec_defs[k].type);
        if (!x->type || x->type->nfields > MAXF)
            return -1;
        x->nf = x->type->nfields;
        for (size_t e = 0; e < sizeof externals / sizeof externals[0]; e++) {
            if (externals[e].rec != k)
                continue;
            int fi = record_field_index(x->type, externals[e].field);
            if (fi < 0)
                return -1;
            x->external[fi] = true;
        }
        for (int f = 0; f < x->nf; f++) {
            if (x->external[f])
                continue;
            int t = tok_add(rd, x->type->fields[f].name);
            if (t < 0)
                return -1;
            rd->fmap[k][t] = (int8_t)f;
        }
        x->acap = 1024;
        x->arena = malloc(x->acap);
        if (!x->arena)
            return -1;
        x->rec.type = x->type;
        x->rec.file = rd->path;
        x->rec.v = x->v;
    }
    rd->f_qntity = record_field_index(rd->r[R_TRLINE].type, "qntity");
    rd->f_amntTp = record_field_index(rd->r[R_TRLINE].type, "amntTp");
    rd->f_accTp = record_field_index(rd->r[R_LEDGER].type, "accTp");
    const rhv_record_type *lt = rd->r[R_TRLINE].type, *tt = rd->r[R_TRANSACTION].type;
    rd->f_line_jrn = record_field_index(lt, "jrnID");
    rd->f_line_trnr = record_field_index(lt, "trNr");
    rd->f_line_trdt = record_field_index(lt, "trDt");
    rd->f_line_period = record_field_index(lt, "periodNumber");
    rd->f_jrn_id = record_field_index(rd->r[R_JOURNAL].type, "jrnID");
    rd->f_tx_nr = record_field_index(tt, "nr");
    rd->f_tx_trdt = record_field_index(tt, "trDt");
    rd->f_tx_period = record_field_index(tt, "periodNumber");
    rd->f_tx_jrn = record_field_index(tt, "jrnID");
    rd->f_tx_lines = record_field_index(tt, "lines");
    if (rd->f_qntity < 0 || rd->f_amntTp < 0 || rd->f_accTp < 0 || rd->f_line_jrn < 0 || rd->f_line_trnr < 0 ||
        rd->f_line_trdt < 0 || rd->f_line_period < 0 || rd->f_jrn_id < 0 || rd->f_tx_nr < 0 || rd->f_tx_trdt < 0 ||
        rd->f_tx_period < 0 || rd->f_tx_jrn < 0 || rd->f_tx_lines < 0)
        return -1;
    return 0;
}

static void reader_free(reader *rd)
{
    for (int k = 0; k < R_COUNT; k++)
        free(rd->r[k].arena);
    free(rd->ns);
}

/* ---- values ------------------------------------------------------------- */

static bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return n > 0;
}

static int num2(const char *s) { return (s[0] - '0') * 10 + (s[1] - '0'); }

static bool arena_put(reader *rd, xrec *x, const char *s, size_t n, int f)
{
    if (x->alen + n > x->acap) {
        size_t nc = x->acap;
        while (nc < x->alen + n)
            nc *= 2;
        char *a = realloc(x->arena, nc);
        if (!a) {
            rd->oom = true;
            return false;
        }
        x->arena = a;
        x->acap = nc;
    }
    memcpy(x->arena + x->alen, s, n);
    x->iv[f] = (int64_t)x->alen;
    x->slen[f] = (uint32_t)n;
    x->alen += n;
    return true;
}

/* Print at most 40 bytes of a bad value, so one huge element cannot flood the message. */
#define SHOWN(n) ((int)((n) > 40 ? 40 : (n)))

static void store_field(reader *rd, int k, int f, const char *s, size_t n, long line)
{
    xrec *x = &rd->r[k];
    const rhv_field_def *fd = &x->type->fields[f];
    while (n > 0 && is_ws(*s)) {
        s++;
        n--;
    }
    while (n > 0 && is_ws(s[n - 1]))
        n--;
    if (n == 0) {
        x->st[f] = ST_EMPTY;
        return;
    }
    if (n > UINT32_MAX)
        n = UINT32_MAX;
    switch (fd->kind) {
    case VAL_MONEY: {
        rhv_cents c;
        money_status ms = money_parse(s, n, &c);
        if (ms != MONEY_OK) {
            report(rd, M_AMOUNT, true, line, "bad amount '%.*s' in <%s> of <%s>: %s", SHOWN(n), s, fd->name,
                   rec_defs[k].element, money_status_text(ms));
            x->bad = true;
            x->st[f] = ST_EMPTY;
            return;
        }
        x->iv[f] = c;
        break;
    }
    case VAL_INT: {
        rhv_value v;
        val_int(&v, VAL_INT, 0);
        if (value_parse_int(s, n, &v.i) != VALUE_OK || value_check(fd, &value_xaf_integer, &v) != VALUE_OK) {
            report(rd, M_INT, true, line, "bad number '%.*s' in <%s> of <%s>: expected a non-negative integer",
                   SHOWN(n), s, fd->name, rec_defs[k].element);
            x->bad = true;
            x->st[f] = ST_EMPTY;
            return;
        }
        x->iv[f] = v.i;
        break;
    }
    case VAL_DATE:
        if (value_parse_xsd_date(s, n) != VALUE_OK) {
            report(rd, M_DATE, true, line, "bad date '%.*s' in <%s> of <%s>: expected YYYY-MM-DD", SHOWN(n), s,
                   fd->name, rec_defs[k].element);
            x->bad = true;
            x->st[f] = ST_EMPTY;
            return;
        }
        if (!arena_put(rd, x, s, 10, f))
            return;
        break;
    default:
        if (k == R_TRLINE && f == rd->f_amntTp && !value_in_enum(value_xaf_amnttp.values, s, n)) {
            report(rd, M_AMNTTP, true, line, "bad amntTp '%.*s' in <trLine>: expected C or D", SHOWN(n), s);
            x->bad = true;
            x->st[f] = ST_EMPTY;
            return;
        }
        if (k == R_TRLINE && f == rd->f_qntity && s[0] == '-')
            report(rd, M_QNTITY, false, line,
                   "negative qntity '%.*s' in <trLine>: the XAF schema allows only non-negative quantities "
                   "(passed on as written)", SHOWN(n), s);
        if (k == R_LEDGER && f == rd->f_accTp && !(n == 1 && (s[0] == 'B' || s[0] == 'M' || s[0] == 'P')))
            report(rd, M_ACCTP, false, line,
                   "accTp '%.*s' in <ledgerAccount> is not B, M or P (passed on as written)", SHOWN(n), s);
        if (!arena_put(rd, x, s, n, f))
            return;
        break;
    }
    x->st[f] = ST_SET;
}

static void rec_reset(xrec *x, long line)
{
    memset(x->st, 0, sizeof x->st);
    x->alen = 0;
    x->line = line;
    x->emitted = false;
    x->bad = false;
}

/* The value of field f of x as the sink sees it. */
static void resolve(const xrec *x, int f, rhv_value *v)
{
    if (x->st[f] != ST_SET) {
        val_none(v);
        return;
    }
    val_kind k = x->type->fields[f].kind;
    if (k == VAL_STR || k == VAL_DATE) {
        v->kind = k;
        v->s = x->arena + x->iv[f];
        v->len = x->slen[f];
        v->i = 0;
    } else {
        val_int(v, k, x->iv[f]);
    }
}

/* An empty required element is passed on as nil when it is text (Exact's
 * empty <taxRegIdent/>): the data is still readable. An empty amount, number,
 * date or amntTp is not: without it the line has no meaning, so it is an
 * error like a missing element. */
static bool empty_is_unreadable(const reader *rd, int k, int f)
{
    val_kind kind = rd->r[k].type->fields[f].kind;
    return kind != VAL_STR || (k == R_TRLINE && f == rd->f_amntTp);
}

/* Check required fields, resolve values, hand the record on (unless bad).
 * External fields must already be in x->v. */
static void emit(reader *rd, int k)
{
    xrec *x = &rd->r[k];
    x->emitted = true;
    for (int f = 0; f < x->nf; f++) {
        if (x->external[f])
            continue;
        const rhv_field_def *fd = &x->type->fields[f];
        if (fd->required && x->st[f] == ST_ABSENT) {
            report(rd, M_MISSING, true, x->line, "<%s> lacks the required element <%s>", rec_defs[k].element,
                   fd->name);
            x->bad = true;
        } else if (fd->required && x->st[f] == ST_EMPTY && !x->bad) {
            if (empty_is_unreadable(rd, k, f)) {
                report(rd, M_MISSING, true, x->line, "<%s> has an empty required element <%s>",
                       rec_defs[k].element, fd->name);
                x->bad = true;
            } else {
                report(rd, M_EMPTY_REQUIRED, false, x->line,
                       "<%s> has an empty required element <%s> (passed on as nil)", rec_defs[k].element,
                       fd->name);
            }
        }
        resolve(x, f, &x->v[f]);
    }
    if (x->bad || rd->stopped_by_sink || rd->oom)
        return;
    x->rec.line = x->line;
    if (rd->sink && rd->sink(rd->ud, &x->rec) != 0)
        rd->stopped_by_sink = true;
}

/* The header's fiscal year into info, before the sink sees the header: the
 * caller learns the fiscal year from here and never parses it again. */
static void keep_header(reader *rd)
{
    xrec *x = &rd->r[R_HEADER];
    rhv_value fy, sd;
    resolve(x, record_field_index(x->type, "fiscalYear"), &fy);
    resolve(x, record_field_index(x->type, "startDate"), &sd);
    if (fy.kind == VAL_STR) {
        size_t max = sizeof rd->info->fiscal_year_text - 1;
        size_t n = fy.len < max ? fy.len : max;
        memcpy(rd->info->fiscal_year_text, fy.s, n);
        rd->info->fiscal_year_text[n] = '\0';
    }
    if (fy.kind == VAL_STR && fy.len >= 4 && all_digits(fy.s, 4))
        rd->info->fiscal_year = num2(fy.s) * 100 + num2(fy.s + 2);
    else if (sd.kind == VAL_DATE)
        rd->info->fiscal_year = num2(sd.s) * 100 + num2(sd.s + 2);
}

static void emit_header(reader *rd)
{
    xrec *x = &rd->r[R_HEADER];
    val_str(&x->v[record_field_index(x->type, "version")], rd->ver->version, strlen(rd->ver->version));
    if (rd->info)
        keep_header(rd);
    emit(rd, R_HEADER);
    rd->seen_header = true;
}

static void flush_company(reader *rd)
{
    xrec *x = &rd->r[R_COMPANY];
    if (x->emitted)
        return;
    emit(rd, R_COMPANY);
    if (rd->info && !rd->info->company_name) {
        rhv_value v;
        resolve(x, record_field_index(x->type, "companyName"), &v);
        if (v.kind == VAL_STR) {
            rd->info->company_name = malloc(v.len + 1);
            if (!rd->info->company_name) {
                rd->oom = true;
                return;
            }
            memcpy(rd->info->company_name, v.s, v.len);
            rd->info->company_name[v.len] = '\0';
        }
    }
}

static void flush_simple(reader *rd, int k)
{
    if (!rd->r[k].emitted)
        emit(rd, k);
}

/* The transaction's own fields come before its lines (xsd:sequence); check
 * them once so a bad head is one message, not one per line. */
static void check_tx_head(reader *rd)
{
    if (rd->tx_head_checked)
        return;
    rd->tx_head_checked = true;
    xrec *x = &rd->r[R_TRANSACTION];
    for (int f = 0; f < x->nf; f++) {
        const rhv_field_def *fd = &x->type->fields[f];
        if (!x->external[f] && fd->required && x->st[f] == ST_ABSENT) {
            report(rd, M_MISSING, true, x->line, "<transaction> lacks the required element <%s>", fd->name);
            x->bad = true;
        } else if (!x->external[f] && fd->required && x->st[f] == ST_EMPTY && !x->bad &&
                   empty_is_unreadable(rd, R_TRANSACTION, f)) {
            report(rd, M_MISSING, true, x->line, "<transaction> has an empty required element <%s>", fd->name);
            x->bad = true;
        }
    }
}

static void emit_trline(reader *rd)
{
    xrec *x = &rd->r[R_TRLINE];
    xrec *tx = &rd->r[R_TRANSACTION];
    if (tx->bad) {
        /* Already reported on the transaction; its lines cannot be keyed. */
        x->bad = true;
    }
    resolve(&rd->r[R_JOURNAL], rd->f_jrn_id, &x->v[rd->f_line_jrn]);
    resolve(tx, rd->f_tx_nr, &x->v[rd->f_line_trnr]);
    resolve(tx, rd->f_tx_trdt, &x->v[rd->f_line_trdt]);
    resolve(tx, rd->f_tx_period, &x->v[rd->f_line_period]);
    emit(rd, R_TRLINE);
}

static void emit_transaction(reader *rd)
{
    xrec *x = &rd->r[R_TRANSACTION];
    check_tx_head(rd);
    resolve(&rd->r[R_JOURNAL], rd->f_jrn_id, &x->v[rd->f_tx_jrn]);
    val_int(&x->v[rd->f_tx_lines], VAL_INT, rd->tx_lines);
    /* Missing fields were reported by check_tx_head; do not repeat them. */
    if (x->bad)
        for (int f = 0; f < x->nf; f++)
            if (x->st[f] == ST_ABSENT && !x->external[f] && x->type->fields[f].required)
                x->st[f] = ST_EMPTY;
    emit(rd, R_TRANSACTION);
}

/* ---- events ------------------------------------------------------------- */

static bool push(reader *rd, xml_stream *xs, uint8_t kind, int rec, int field, long line)
{
    if (rd->depth + 1 >= MAXDEPTH) {
        diag_error(rd->d, rd->path, line, "XAF elements nested too deep");
        rd->errors++;
        xml_stream_stop(xs);
        return false;
    }
    rd->depth++;
    rd->stack[rd->depth] = (frame){kind, (int8_t)rec, (int8_t)field, line};
    return true;
}

static bool ns_is_ours(reader *rd, const char *ns)
{
    if (ns == rd->ns_seen)
        return ns != NULL;
    if (!ns || strcmp(ns, rd->ns) != 0)
        return false;
    rd->ns_seen = ns;
    return true;
}

static void on_root(reader *rd, xml_stream *xs, const char *ns, const char *local, long line)
{
    rd->seen_root = true;
    if (strcmp(local, "auditfile") != 0) {
        diag_error(rd->d, rd->path, line, "root element <%s>%s%s%s is not an XAF <auditfile>", local,
                   ns ? " (namespace " : "", ns ? ns : "", ns ? ")" : "");
        rd->errors++;
        xml_stream_stop(xs);
        return;
    }
    if (!ns) {
        diag_error(rd->d, rd->path, line,
                   "<auditfile> has no namespace (XAF 2.0/CLAIR or a non-standard export); rhv reads XAF 3.1 "
                   "and 3.2");
        rd->errors++;
        xml_stream_stop(xs);
        return;
    }
    for (int i = 0; i < NVERSIONS; i++) {
        if (strcmp(ns, versions[i].ns) != 0)
            continue;
        if (!versions[i].supported) {
            diag_error(rd->d, rd->path, line,
                       "XAF %s (namespace %s) is not supported yet; rhv reads XAF 3.1 and 3.2", versions[i].version,
                       ns);
            rd->errors++;
            xml_stream_stop(xs);
            return;
        }
        rd->ver = &versions[i];
        break;
    }
    if (!rd->ver) {
        diag_error(rd->d, rd->path, line,
                   "unknown auditfile namespace '%s'; rhv reads XAF 3.1 (http://www.auditfiles.nl/XAF/3.1) "
                   "and 3.2 (http://www.auditfiles.nl/XAF/3.2)", ns);
        rd->errors++;
        xml_stream_stop(xs);
        return;
    }
    rd->ns = strdup(ns);
    if (!rd->ns) {
        rd->oom = true;
        xml_stream_stop(xs);
        return;
    }
    rd->ns_seen = NULL;
    if (rd->info) {
        snprintf(rd->info->version, sizeof rd->info->version, "%s", rd->ver->version);
    }
    push(rd, xs, N_AUDITFILE, -1, -1, line);
}

static void on_start(void *ud, xml_stream *xs, const char *ns, const char *local, const xml_attr *attrs,
                     int nattrs, long line)
{
    (void)attrs; (void)nattrs;
    reader *rd = ud;
    if (rd->skip) {
        rd->skip++;
        return;
    }
    if (rd->depth == 0) {
        if (!rd->seen_root)
            on_root(rd, xs, ns, local, line);
        return;
    }
    frame *top = &rd->stack[rd->depth];
    int t = ns_is_ours(rd, ns) ? tok_lookup(rd, local) : -1;
    switch (top->kind) {
    case N_AUDITFILE:
        if (t == T_HEADER) {
            rec_reset(&rd->r[R_HEADER], line);
            push(rd, xs, N_REC, R_HEADER, -1, line);
            return;
        }
        if (t == T_COMPANY) {
            rec_reset(&rd->r[R_COMPANY], line);
            push(rd, xs, N_REC, R_COMPANY, -1, line);
            return;
        }
        break;
    case N_LIST:
        if (t >= 0 && rd->tok_rec[t] == list_defs[top->rec].child) {
            rec_reset(&rd->r[rd->tok_rec[t]], line);
            push(rd, xs, N_REC, rd->tok_rec[t], -1, line);
            return;
        }
        break;
    case N_REC: {
        int k = top->rec;
        int f = t >= 0 ? rd->fmap[k][t] : -1;
        if (f >= 0) {
            if (!rd->r[k].emitted) {
                push(rd, xs, N_FIELD, k, f, line);
                return;
            }
            report(rd, M_ORDER, false, line, "<%s> after the record <%s> was complete is ignored", local,
                   rec_defs[k].element);
            break;
        }
        if (k == R_COMPANY) {
            flush_company(rd);
            if (t >= 0 && rd->tok_list[t] >= 0) {
                push(rd, xs, N_LIST, rd->tok_list[t], -1, line);
                return;
            }
            if (t == T_TRANSACTIONS) {
                rec_reset(&rd->r[R_TRANSACTIONS], line);
                push(rd, xs, N_REC, R_TRANSACTIONS, -1, line);
                return;
            }
        } else if (k == R_TRANSACTIONS) {
            flush_simple(rd, R_TRANSACTIONS);
            if (t == T_JOURNAL) {
                rec_reset(&rd->r[R_JOURNAL], line);
                push(rd, xs, N_REC, R_JOURNAL, -1, line);
                return;
            }
        } else if (k == R_JOURNAL && t == T_TRANSACTION) {
            flush_simple(rd, R_JOURNAL);
            rec_reset(&rd->r[R_TRANSACTION], line);
            rd->tx_head_checked = false;
            rd->tx_lines = 0;
            push(rd, xs, N_REC, R_TRANSACTION, -1, line);
            return;
        } else if (k == R_TRANSACTION && t == T_TRLINE) {
            check_tx_head(rd);
            rd->tx_lines++;
            if (rd->info)
                rd->info->lines++;
            rec_reset(&rd->r[R_TRLINE], line);
            push(rd, xs, N_REC, R_TRLINE, -1, line);
            return;
        }
        break;
    }
    default:
        break;
    }
    rd->skip = 1;
}

static void on_end(void *ud, xml_stream *xs, const char *ns, const char *local, const char *text, size_t len,
                   long line)
{
    (void)ns; (void)local; (void)line;
    reader *rd = ud;
    if (rd->skip) {
        rd->skip--;
        return;
    }
    if (rd->depth == 0)
        return;
    frame *top = &rd->stack[rd->depth];
    switch (top->kind) {
    case N_FIELD:
        store_field(rd, top->rec, top->field, text, len, top->line);
        break;
    case N_REC:
        switch (top->rec) {
        case R_HEADER: emit_header(rd); break;
        case R_COMPANY: flush_company(rd); break;
        case R_TRLINE: emit_trline(rd); break;
        case R_TRANSACTION: emit_transaction(rd); break;
        default: flush_simple(rd, top->rec); break;
        }
        break;
    default:
        break;
    }
    rd->depth--;
    if (rd->oom) {
        diag_error(rd->d, rd->path, line, "out of memory");
        rd->errors++;
        rd->oom = false;
        rd->stopped_by_sink = true; /* nothing more is handed on */
        xml_stream_stop(xs);
    } else if (rd->stopped_by_sink) {
        xml_stream_stop(xs);
    }
}

/* ---- entry -------------------------------------------------------------- */

/* One read for files and buffers: buf NULL reads the file at path; else
 * len bytes at buf, path naming them in messages. */
static int read_input(const char *path, const char *buf, size_t len, rhv_sink sink, void *ud, rhv_diag *d,
                      rhv_xaf_info *info, char *sha256)
{
    if (info)
        memset(info, 0, sizeof *info);
    reader *rd = calloc(1, sizeof *rd);
    if (!rd) {
        diag_error(d, path, 0, "out of memory");
        return -1;
    }
    rd->path = path;
    rd->sink = sink;
    rd->ud = ud;
    rd->d = d;
    rd->info = info;
    if (reader_init(rd) != 0) {
        diag_error(d, path, 0, "out of memory (or the xaf.* record schema does not match the XAF reader)");
        reader_free(rd);
        free(rd);
        return -1;
    }
    xml_handlers h = {on_start, on_end};
    size_t before = d->errors;
    int prc = buf ? xml_stream_parse_mem(buf, len, path, &h, rd, d)
                  : xml_stream_parse_hashed(path, &h, rd, d, sha256);
    for (int c = 0; c < M_COUNT; c++) {
        if (rd->msg_count[c] <= MSG_CAP)
            continue;
        long more = rd->msg_count[c] - MSG_CAP;
        if (rd->msg_error[c])
            diag_error(d, path, 0, "%ld more %s not listed", more, msg_what[c]);
        else
            diag_warning(d, path, 0, "%ld more %s not listed", more, msg_what[c]);
    }
    bool sink_stop = rd->stopped_by_sink && rd->errors == 0;
    if (prc == 0 && rd->seen_root && rd->ver && !rd->seen_header) {
        diag_error(d, path, 0, "the auditfile has no <header>");
        rd->errors++;
    }
    if (prc == 0 && !rd->seen_root) {
        diag_error(d, path, 0, "no XML root element");
        rd->errors++;
    }
    int rc = 0;
    if (rd->errors > 0 || d->errors > before || (prc != 0 && !sink_stop))
        rc = -1;
    reader_free(rd);
    free(rd);
    return rc;
}

int xaf_read(const char *path, rhv_sink sink, void *ud, rhv_diag *d, rhv_xaf_info *info)
{
    return read_input(path, NULL, 0, sink, ud, d, info, NULL);
}

int xaf_read_hashed(const char *path, rhv_sink sink, void *ud, rhv_diag *d, rhv_xaf_info *info,
                    char sha256[SHA256_HEX_LEN])
{
    if (sha256)
        sha256[0] = '\0'; /* also when the reader cannot start */
    return read_input(path, NULL, 0, sink, ud, d, info, sha256);
}

int xaf_read_mem(const char *buf, size_t len, const char *name, rhv_sink sink, void *ud, rhv_diag *d,
                 rhv_xaf_info *info)
{
    /* A zero-length buffer is still a buffer: read_input tells them apart by pointer. */
    return read_input(name, buf ? buf : "", len, sink, ud, d, info, NULL);
}

void xaf_info_free(rhv_xaf_info *info)
{
    if (!info)
        return;
    free(info->company_name);
    info->company_name = NULL;
}
