/* xaf.c - see xaf.h. The element events and the entry points; the
 * reader's state is in xaf_internal.h, its set-up in xaf_reader.c and the
 * field values and record hand-off in xaf_fields.c.
 *
 * Shape: a fixed tree walk over xml_stream events. A small stack holds the
 * mapped elements that are open (auditfile, a record element, a list element,
 * a field); anything we do not map opens a skip region whose contents are
 * ignored wholesale, which is also how nested look-alikes (glAccountHistory,
 * customerSupplierHistory, trLine/vat) stay out of the records.
 *
 * Every record type has one reusable slot with a text arena. Field text is
 * copied into the arena at its end tag (xml_stream reuses its buffer) and the
 * slot's value points at it at once, so handing a record on needs no pass
 * over its fields; an arena that grows moves its record's string values with
 * it. A trLine borrows its transaction's and journal's values (their slots
 * stay put while the lines are read).
 *
 * Repeated problems in a large ledger would otherwise put millions of
 * messages in the diag (which keeps them all): each kind of message is listed
 * MSG_CAP times per file, the rest are counted and summarised at the end.
 */
#include <stdio.h>
#include <stdlib.h>

#include "xaf_internal.h"
#include "xml_stream.h"

/* ---- versions ----------------------------------------------------------- */

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

static const char *const msg_what[M_COUNT] = {
    "empty required elements", "missing required elements", "bad amounts", "bad dates", "bad integers",
    "bad amntTp values", "non-standard accTp values", "negative qntity values", "elements out of order",
};

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

__attribute__((noinline)) static bool ns_compare(reader *rd, const char *ns)
{
    if (!ns || strcmp(ns, rd->ns) != 0)
        return false;
    rd->ns_seen = ns;
    return true;
}

static bool ns_is_ours(reader *rd, const char *ns)
{
    if (ns == rd->ns_seen)
        return ns != NULL;
    return ns_compare(rd, ns);
}

__attribute__((noinline)) static void on_root(reader *rd, xml_stream *xs, const char *ns, const char *local, long line)
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

/* An element that is not a field of the open record (t: its token, -1 when
 * it is not ours): a record, a list, or the start of a skipped region. */
__attribute__((noinline)) static void on_start_other(reader *rd, xml_stream *xs, const frame *top, int t,
                                                     const char *local, long line)
{
    switch (top->kind) {
    case N_AUDITFILE:
        if (t == T_HEADER) {
            xaf_rec_reset(&rd->r[R_HEADER], line);
            push(rd, xs, N_REC, R_HEADER, -1, line);
            return;
        }
        if (t == T_COMPANY) {
            xaf_rec_reset(&rd->r[R_COMPANY], line);
            push(rd, xs, N_REC, R_COMPANY, -1, line);
            return;
        }
        break;
    case N_LIST:
        if (t >= 0 && rd->tok_rec[t] == xaf_list_defs[top->rec].child) {
            xaf_rec_reset(&rd->r[rd->tok_rec[t]], line);
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
            xaf_report(rd, M_ORDER, false, line, "<%s> after the record <%s> was complete is ignored", local,
                   xaf_rec_defs[k].element);
            break;
        }
        if (k == R_COMPANY) {
            xaf_flush_company(rd);
            if (t >= 0 && rd->tok_list[t] >= 0) {
                push(rd, xs, N_LIST, rd->tok_list[t], -1, line);
                return;
            }
            if (t == T_TRANSACTIONS) {
                xaf_rec_reset(&rd->r[R_TRANSACTIONS], line);
                push(rd, xs, N_REC, R_TRANSACTIONS, -1, line);
                return;
            }
        } else if (k == R_TRANSACTIONS) {
            xaf_flush_simple(rd, R_TRANSACTIONS);
            if (t == T_JOURNAL) {
                xaf_rec_reset(&rd->r[R_JOURNAL], line);
                push(rd, xs, N_REC, R_JOURNAL, -1, line);
                return;
            }
        } else if (k == R_JOURNAL && t == T_TRANSACTION) {
            xaf_flush_simple(rd, R_JOURNAL);
            xaf_rec_reset(&rd->r[R_TRANSACTION], line);
            rd->tx_head_checked = false;
            rd->tx_lines = 0;
            push(rd, xs, N_REC, R_TRANSACTION, -1, line);
            return;
        } else if (k == R_TRANSACTION && t == T_TRLINE) {
            xaf_check_tx_head(rd);
            rd->tx_lines++;
            if (rd->info)
                rd->info->lines++;
            xaf_rec_reset(&rd->r[R_TRLINE], line);
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

/* The element (token t, -1: none) as a field of the open record top, when it
 * is one the record has and may still take: its frame pushed (true). */
static inline __attribute__((always_inline)) bool open_field(reader *rd, const frame *top, int t, long line)
{
    int f = t >= 0 ? rd->fmap[top->rec][t] : -1;
    if (f < 0 || rd->r[top->rec].emitted || rd->depth + 1 >= MAXDEPTH)
        return false;
    rd->depth++;
    rd->stack[rd->depth] = (frame){N_FIELD, top->rec, (int8_t)f, line};
    return true;
}

/* An element that is not a field of the open record as far as the cache
 * knows: the root, a record, a list, a skipped region, a name not yet in the
 * token cache, or a field where it may not be. */
__attribute__((noinline)) static void on_start_slow(reader *rd, xml_stream *xs, const char *ns, const char *local,
                                                    long line)
{
    if (rd->depth == 0) {
        if (!rd->seen_root)
            on_root(rd, xs, ns, local, line);
        return;
    }
    const frame *top = &rd->stack[rd->depth];
    int t = ns_is_ours(rd, ns) ? xaf_tok_lookup(rd, local) : -1;
    if (top->kind == N_REC && open_field(rd, top, t, line))
        return;
    on_start_other(rd, xs, top, t, local, line);
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
    /* Most elements are a field of the record being read, named in our
     * namespace (the pointer seen before) with a name in the token cache. */
    const frame *top = &rd->stack[rd->depth];
    if (top->kind == N_REC && ns == rd->ns_seen && ns && open_field(rd, top, xaf_tok_cached(rd, local), line))
        return;
    on_start_slow(rd, xs, ns, local, line);
}

/* After a record or field: out of memory or a sink that said stop ends the parse. */
__attribute__((noinline)) static void after_end(reader *rd, xml_stream *xs)
{
    if (rd->oom) {
        diag_error(rd->d, rd->path, xml_stream_line(xs), "out of memory");
        rd->errors++;
        rd->oom = false;
        rd->stopped_by_sink = true; /* nothing more is handed on */
        xml_stream_stop(xs);
    } else if (rd->stopped_by_sink) {
        xml_stream_stop(xs);
    }
}

/* The end of a record (or of the auditfile or a list). */
__attribute__((noinline)) static void on_end_other(reader *rd, xml_stream *xs)
{
    if (rd->depth == 0)
        return;
    const frame *top = &rd->stack[rd->depth];
    if (top->kind == N_REC) {
        switch (top->rec) {
        case R_HEADER: xaf_emit_header(rd); break;
        case R_COMPANY: xaf_flush_company(rd); break;
        case R_TRLINE: xaf_emit_trline(rd); break;
        case R_TRANSACTION: xaf_emit_transaction(rd); break;
        default: xaf_flush_simple(rd, top->rec); break;
        }
    }
    rd->depth--;
    after_end(rd, xs);
}

static void on_end(void *ud, xml_stream *xs, const char *ns, const char *local, const char *text, size_t len)
{
    (void)ns; (void)local;
    reader *rd = ud;
    if (rd->skip) {
        rd->skip--;
        return;
    }
    const frame *top = &rd->stack[rd->depth];
    if (top->kind != N_FIELD) {
        on_end_other(rd, xs);
        return;
    }
    rd->depth--;
    xaf_store_field(rd, top->rec, top->field, text, len, top->line);
    if (rd->oom | rd->stopped_by_sink)
        after_end(rd, xs);
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
    if (xaf_reader_init(rd) != 0) {
        diag_error(d, path, 0, "out of memory (or the xaf.* record schema does not match the XAF reader)");
        xaf_reader_free(rd);
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
    xaf_reader_free(rd);
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
