/* xaf_fields.c - an XAF element's text into its record's slot (checked as
 * the record schema says: amounts, integers, dates, amntTp), and complete
 * records handed to the sink (xaf_internal.h). A slot's values are those
 * the sink sees from the moment each element is stored. */
#include <stdlib.h>

#include "money.h"
#include "xaf_internal.h"

/* ---- values ------------------------------------------------------------- */

static bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* The string fields of x point into its arena: when the arena moves, they
 * move with it. */
__attribute__((noinline)) static bool arena_grow(reader *rd, xrec *x, size_t need)
{
    size_t nc = x->acap, off[MAXF];
    while (nc < need)
        nc *= 2;
    for (uint32_t m = x->set; m; m &= m - 1) {
        int f = __builtin_ctz(m);
        if (x->v[f].s)
            off[f] = (size_t)(x->v[f].s - x->arena);
    }
    char *a = realloc(x->arena, nc);
    if (!a) {
        rd->oom = true;
        return false;
    }
    for (uint32_t m = x->set; m; m &= m - 1) {
        int f = __builtin_ctz(m);
        if (x->v[f].s)
            x->v[f].s = a + off[f];
    }
    x->arena = a;
    x->acap = nc;
    return true;
}

/* n bytes at s as the value of field f (a string or a date). */
static inline __attribute__((always_inline)) bool arena_put(reader *rd, xrec *x, const char *s, size_t n, int f,
                                                            val_kind kind)
{
    if (x->alen + n > x->acap && !arena_grow(rd, x, x->alen + n))
        return false;
    xaf_slot_put(x, f, kind, s, n);
    return true;
}

/* Field f present but without a value: nil, and counted as empty. */
static void slot_empty(xrec *x, int f)
{
    x->set &= ~(1u << f);
    x->empty |= 1u << f;
    val_none(&x->v[f]);
}

/* Print at most 40 bytes of a bad value, so one huge element cannot flood the message. */
#define SHOWN(n) ((int)((n) > 40 ? 40 : (n)))

/* A field's text that is not a valid value: listed (capped), the record is
 * bad and the field nil. */
__attribute__((noinline)) static void store_bad(reader *rd, int k, int f, const char *s, size_t n, long line)
{
    xrec *x = &rd->r[k];
    const rhv_field_def *fd = &x->type->fields[f];
    switch (rd->fhow[k][f]) {
    case H_MONEY: {
        rhv_cents c;
        xaf_report(rd, M_AMOUNT, true, line, "bad amount '%.*s' in <%s> of <%s>: %s", SHOWN(n), s, fd->name,
                   xaf_rec_defs[k].element, money_status_text(money_parse(s, n, &c)));
        break;
    }
    case H_INT:
        xaf_report(rd, M_INT, true, line, "bad number '%.*s' in <%s> of <%s>: expected a non-negative integer",
                   SHOWN(n), s, fd->name, xaf_rec_defs[k].element);
        break;
    case H_DATE:
        xaf_report(rd, M_DATE, true, line, "bad date '%.*s' in <%s> of <%s>: expected YYYY-MM-DD", SHOWN(n), s,
                   fd->name, xaf_rec_defs[k].element);
        break;
    default:
        xaf_report(rd, M_AMNTTP, true, line, "bad amntTp '%.*s' in <trLine>: expected C or D", SHOWN(n), s);
        break;
    }
    x->bad = true;
    slot_empty(x, f);
}

/* Trimmed, non-empty text of any field: checked as fhow says and stored. */
void xaf_store_checked(reader *rd, int k, int f, const char *s, size_t n, long line)
{
    xrec *x = &rd->r[k];
    switch (rd->fhow[k][f]) {
    case H_MONEY: {
        rhv_cents c;
        if (money_parse(s, n, &c) != MONEY_OK) {
            store_bad(rd, k, f, s, n, line);
            return;
        }
        val_int(&x->v[f], VAL_MONEY, c);
        break;
    }
    case H_INT: {
        rhv_value v;
        val_int(&v, VAL_INT, 0);
        if (value_parse_int(s, n, &v.i) != VALUE_OK ||
            value_check(&x->type->fields[f], &value_xaf_integer, &v) != VALUE_OK) {
            store_bad(rd, k, f, s, n, line);
            return;
        }
        val_int(&x->v[f], VAL_INT, v.i);
        break;
    }
    case H_DATE:
        if (value_parse_xsd_date(s, n) != VALUE_OK) {
            store_bad(rd, k, f, s, n, line);
            return;
        }
        if (!arena_put(rd, x, s, 10, f, VAL_DATE))
            return;
        break;
    case H_AMNTTP:
        if (!value_in_enum(value_xaf_amnttp.values, s, n)) {
            store_bad(rd, k, f, s, n, line);
            return;
        }
        goto text;
    case H_QNTITY:
        if (s[0] == '-')
            xaf_report(rd, M_QNTITY, false, line,
                   "negative qntity '%.*s' in <trLine>: the XAF schema allows only non-negative quantities "
                   "(passed on as written)", SHOWN(n), s);
        goto text;
    case H_ACCTP:
        if (!(n == 1 && (s[0] == 'B' || s[0] == 'M' || s[0] == 'P')))
            xaf_report(rd, M_ACCTP, false, line,
                   "accTp '%.*s' in <ledgerAccount> is not B, M or P (passed on as written)", SHOWN(n), s);
        goto text;
    default:
    text:
        if (!arena_put(rd, x, s, n, f, VAL_STR))
            return;
        break;
    }
    xaf_slot_set(x, f);
}

/* Text that may need trimming, is empty, or is absurdly long. */
void xaf_store_rare(reader *rd, int k, int f, const char *s, size_t n, long line)
{
    while (n > 0 && is_ws(*s)) {
        s++;
        n--;
    }
    while (n > 0 && is_ws(s[n - 1]))
        n--;
    if (n == 0) {
        slot_empty(&rd->r[k], f);
        return;
    }
    if (n > UINT32_MAX)
        n = UINT32_MAX;
    xaf_store_checked(rd, k, f, s, n, line);
}

void xaf_rec_reset(xrec *x, long line)
{
    x->stale |= x->set;
    x->set = 0;
    x->empty = 0;
    x->alen = 0;
    x->line = line;
    x->emitted = false;
    x->bad = false;
}

/* The previous record's values that this one did not overwrite become nil:
 * from here v[f] is nil unless bit f of set. Called before the values are
 * read (handed on, or borrowed by a transaction's lines). */
static inline void settle(xrec *x)
{
    for (uint32_t m = x->stale & ~x->set; m; m &= m - 1)
        val_none(&x->v[__builtin_ctz(m)]);
    x->stale = 0;
}

/* An empty required element is passed on as nil when it is text (Exact's
 * empty <taxRegIdent/>): the data is still readable. An empty amount, number,
 * date or amntTp is not: without it the line has no meaning, so it is an
 * error like a missing element. */
static bool empty_is_unreadable(const reader *rd, int k, int f)
{
    return rd->r[k].type->fields[f].kind != VAL_STR || rd->fhow[k][f] == H_AMNTTP;
}

/* The required fields that are missing or empty, in field order (nothing
 * to say when all of them have a value). */
static void check_required(reader *rd, int k)
{
    xrec *x = &rd->r[k];
    if ((x->req & ~x->set) == 0)
        return;
    for (int f = 0; f < x->nf; f++) {
        if (!((x->req >> f) & 1u))
            continue;
        const rhv_field_def *fd = &x->type->fields[f];
        int st = xaf_st(x, f);
        if (st == ST_ABSENT) {
            xaf_report(rd, M_MISSING, true, x->line, "<%s> lacks the required element <%s>", xaf_rec_defs[k].element,
                   fd->name);
            x->bad = true;
        } else if (st == ST_EMPTY && !x->bad) {
            if (empty_is_unreadable(rd, k, f)) {
                xaf_report(rd, M_MISSING, true, x->line, "<%s> has an empty required element <%s>",
                       xaf_rec_defs[k].element, fd->name);
                x->bad = true;
            } else {
                xaf_report(rd, M_EMPTY_REQUIRED, false, x->line,
                       "<%s> has an empty required element <%s> (passed on as nil)", xaf_rec_defs[k].element,
                       fd->name);
            }
        }
    }
}

/* Check required fields, hand the record on (unless bad). External fields
 * must already be in x->v. */
static void emit(reader *rd, int k)
{
    xrec *x = &rd->r[k];
    settle(x);
    x->emitted = true;
    check_required(rd, k);
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
    rhv_value fy = x->v[record_field_index(x->type, "fiscalYear")];
    rhv_value sd = x->v[record_field_index(x->type, "startDate")];
    if (fy.kind == VAL_STR) {
        size_t max = sizeof rd->info->fiscal_year_text - 1;
        size_t n = fy.len < max ? fy.len : max;
        memcpy(rd->info->fiscal_year_text, fy.s, n);
        rd->info->fiscal_year_text[n] = '\0';
    }
    int year = fy.kind == VAL_STR ? value_year_prefix(fy.s, fy.len) : -1;
    if (year < 0 && sd.kind == VAL_DATE)
        year = value_year_prefix(sd.s, sd.len);
    if (year >= 0)
        rd->info->fiscal_year = year;
}

void xaf_emit_header(reader *rd)
{
    xrec *x = &rd->r[R_HEADER];
    settle(x);
    val_str(&x->v[record_field_index(x->type, "version")], rd->ver->version, strlen(rd->ver->version));
    if (rd->info)
        keep_header(rd);
    emit(rd, R_HEADER);
    rd->seen_header = true;
}

void xaf_flush_company(reader *rd)
{
    xrec *x = &rd->r[R_COMPANY];
    if (x->emitted)
        return;
    emit(rd, R_COMPANY);
    if (rd->info && !rd->info->company_name) {
        rhv_value v = x->v[record_field_index(x->type, "companyName")];
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

void xaf_flush_simple(reader *rd, int k)
{
    if (!rd->r[k].emitted)
        emit(rd, k);
}

/* The transaction's own fields come before its lines (xsd:sequence); check
 * them once so a bad head is one message, not one per line. */
void xaf_check_tx_head(reader *rd)
{
    if (rd->tx_head_checked)
        return;
    rd->tx_head_checked = true;
    xrec *x = &rd->r[R_TRANSACTION];
    if ((x->req & ~x->set) == 0)
        return;
    for (int f = 0; f < x->nf; f++) {
        if (!((x->req >> f) & 1u))
            continue;
        const rhv_field_def *fd = &x->type->fields[f];
        int st = xaf_st(x, f);
        if (st == ST_ABSENT) {
            xaf_report(rd, M_MISSING, true, x->line, "<transaction> lacks the required element <%s>", fd->name);
            x->bad = true;
        } else if (st == ST_EMPTY && !x->bad && empty_is_unreadable(rd, R_TRANSACTION, f)) {
            xaf_report(rd, M_MISSING, true, x->line, "<transaction> has an empty required element <%s>", fd->name);
            x->bad = true;
        }
    }
}

void xaf_emit_trline(reader *rd)
{
    xrec *x = &rd->r[R_TRLINE];
    xrec *tx = &rd->r[R_TRANSACTION];
    if (tx->bad) {
        /* Already reported on the transaction; its lines cannot be keyed. */
        x->bad = true;
    }
    settle(tx);
    x->v[rd->f_line_jrn] = rd->r[R_JOURNAL].v[rd->f_jrn_id];
    x->v[rd->f_line_trnr] = tx->v[rd->f_tx_nr];
    x->v[rd->f_line_trdt] = tx->v[rd->f_tx_trdt];
    x->v[rd->f_line_period] = tx->v[rd->f_tx_period];
    emit(rd, R_TRLINE);
}

void xaf_emit_transaction(reader *rd)
{
    xrec *x = &rd->r[R_TRANSACTION];
    xaf_check_tx_head(rd);
    x->v[rd->f_tx_jrn] = rd->r[R_JOURNAL].v[rd->f_jrn_id];
    val_int(&x->v[rd->f_tx_lines], VAL_INT, rd->tx_lines);
    /* Missing fields were reported by check_tx_head; do not repeat them. */
    if (x->bad)
        x->empty |= x->req & ~x->set;
    emit(rd, R_TRANSACTION);
}
