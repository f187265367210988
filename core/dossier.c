/* dossier.c - see dossier.h; the format is docs/dossier.md. This file holds
 * the element/section state machine, the reader's messages and the entry
 * points; dossier_internal.h lists the other parts and what they share.
 *
 * Shape of the reader: xml_stream calls start()/end(); a stack of at most
 * three frames (dossier, section or container record, leaf record) says what
 * may come next. Everything below an element that is already reported as
 * wrong is skipped, so one mistake gives one message, not a cascade.
 *
 * Line numbers come from dossier_lines.c: the line of each tag's '<' and
 * attribute, or libxml2's when that scanner had to give up.
 *
 * Memory: one value array reused for every record, string values borrowed from
 * libxml2's attribute buffers, and one arena + open-addressing table for the
 * keys that must be unique. Nothing is allocated per record except arena growth.
 */
#include "dossier.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "dossier_internal.h"
#include "xlsx_zip.h"
#include "xml_stream.h"

#define DOSSIER_NS "urn:rhv:dossier:1"

/* ---- messages ------------------------------------------------------------------ */

static size_t errors_so_far(const ds_reader *r)
{
    return r->d->errors - r->errors_at_start;
}

void ds_err(ds_reader *r, long line, const char *fmt, ...)
{
    if (r->too_many)
        return;
    char buf[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    const char *file = r->path;
    char where[512];
    if (line & DS_LOC_REG_BIT) {
        ds_where(r, line, where, sizeof where);
        file = where;
        line = 0;
    } else if (r->place) {
        size_t n = (size_t)snprintf(where, sizeof where, "%s: ", r->path);
        if (n < sizeof where && r->place(r, line, where + n, sizeof where - n) > 0)
            file = where;
        line = 0;
    } else if (line <= 0) {
        line = 1;
    }
    diag_error(r->d, file, line, "%s", buf);
    if (errors_so_far(r) >= DS_MAX_ERRORS) {
        r->too_many = 1;
        diag_error(r->d, file, line, "too many errors (%d); reading stopped", DS_MAX_ERRORS);
        r->want_stop = 1;
    }
}

const char *ds_where(const ds_reader *r, long loc, char *buf, size_t n)
{
    if (loc & DS_LOC_REG_BIT) {
        size_t reg = (size_t)((loc >> 48) & 0x3FFF);
        long line = (loc >> 16) & 0xFFFFFFFFL;
        int col = (int)(loc & 0xFFFF);
        const char *f = reg < r->out->nregisters ? r->out->registers[reg].path : "?";
        if (line == 0)
            snprintf(buf, n, "%s", f);
        else if (col == 0)
            snprintf(buf, n, "%s:%ld", f, line);
        else
            snprintf(buf, n, "%s:%ld:%d", f, line, col);
    } else if (r->in_register) {
        /* From a register's row, a place in the dossier names the dossier too. */
        size_t u = (size_t)snprintf(buf, n, "%s%s", r->path, r->place ? " " : ":");
        if (u >= n)
            return buf;
        if (r->place)
            r->place(r, loc, buf + u, n - u);
        else
            snprintf(buf + u, n - u, "%ld", loc);
    } else if (r->place) {
        r->place(r, loc, buf, n);
    } else {
        snprintf(buf, n, "line %ld", loc);
    }
    return buf;
}

void ds_oom(ds_reader *r, long line)
{
    ds_err(r, line, "out of memory");
    r->too_many = 1;
    r->want_stop = 1;
}

int ds_show_len(const char *s, size_t len)
{
    if (len <= DS_SHOW_MAX)
        return (int)len;
    size_t n = DS_SHOW_MAX;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return (int)n;
}

void ds_no_attr(ds_reader *r, const char *elem, const xml_attr *a, int i)
{
    ds_err(r, ds_attr_line(r, i), "<%s> has no attribute %s%s%s", elem, a->ns ? a->ns : "", a->ns ? ":" : "", a->name);
}

/* ---- structure ---------------------------------------------------------------- */

static int push(ds_reader *r, ds_frame_kind k, const char *name, const ds_container *c)
{
    if (r->depth >= (int)(sizeof r->stack / sizeof r->stack[0]))
        return -1; /* cannot happen: leaves take no children */
    r->stack[r->depth++] = (ds_frame){k, name, c, r->cur_line, NULL};
    return 0;
}

/* An element that may not stand here: one message (cut at 511 bytes, as
 * always), and its subtree is skipped. */
static void reject(ds_reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void reject(ds_reader *r, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    ds_err(r, r->cur_line, "%s", buf);
    r->skip = 1;
}

static void child_of_dossier(ds_reader *r, const char *local, const xml_attr *attrs, int nattrs)
{
    if (!r->first_child_line) {
        r->first_child_line = r->cur_line;
        snprintf(r->first_child, sizeof r->first_child, "%s", local);
    }
    if (strcmp(local, "organisation") == 0) {
        if (r->org_line) {
            reject(r, "a second <organisation> (the first is at line %ld); a dossier has exactly one", r->org_line);
            return;
        }
        r->org_line = r->cur_line;
        if (r->first_child_line != r->cur_line)
            ds_err(r, r->cur_line,
                   "<organisation> must be the first element in <dossier>; <%s> at line %ld comes first",
                   r->first_child, r->first_child_line);
        push(r, FR_CONTAINER, ds_org_container.name, &ds_org_container);
        if (ds_record(r, record_type_find("organisation"), attrs, nattrs, 1) == 0)
            r->org_emitted = 1;
        return;
    }
    for (int i = 0; i < DS_SEC_COUNT; i++) {
        if (strcmp(local, ds_sections[i].name) != 0)
            continue;
        if (r->section_line[i])
            ds_err(r, r->cur_line, "<%s> appears twice (first at line %ld); each section at most once", local,
                r->section_line[i]);
        else
            r->section_line[i] = r->cur_line;
        push(r, FR_CONTAINER, ds_sections[i].name, &ds_sections[i]);
        const rhv_record_type *t = record_type_find(local);
        if (t && t->source == SRC_DOSSIER) {
            ds_record(r, t, attrs, nattrs, r->org_emitted);
        } else {
            for (int j = 0; j < nattrs; j++)
                ds_err(r, ds_attr_line(r, j), "<%s> has no attribute %s", local, attrs[j].name);
        }
        return;
    }
    if (strcmp(local, "ledger") == 0) {
        push(r, FR_LEDGER, "ledger", NULL);
        ds_ledger(r, attrs, nattrs);
        return;
    }
    if (strcmp(local, "register") == 0) {
        const rhv_record_type *rows = NULL;
        if (ds_register(r, attrs, nattrs, &rows) == 0 && push(r, FR_REGISTER, "register", NULL) == 0)
            r->stack[r->depth - 1].rtype = rows;
        else
            r->skip = 1;
        return;
    }
    if (strcmp(local, "beoordelingen") == 0) {
        push(r, FR_LEDGER, "beoordelingen", NULL);
        ds_beoordelingen(r, attrs, nattrs);
        return;
    }
    const char *home = ds_home_of(local);
    if (home)
        reject(r, "<%s> belongs inside <%s>, not directly in <dossier>", local, home);
    else
        reject(r, "unknown element <%s> in <dossier>; expected %s", local, ds_top_children);
}

static void child_of_container(ds_reader *r, const ds_container *c, const char *local, const xml_attr *attrs,
                               int nattrs)
{
    for (int j = 0; c->children[j]; j++) {
        if (strcmp(c->children[j], local) != 0)
            continue;
        push(r, FR_LEAF, c->children[j], NULL);
        ds_record(r, record_type_find(local), attrs, nattrs, r->org_emitted);
        return;
    }
    char allowed[128];
    ds_list_values(allowed, sizeof allowed, c->children);
    const char *home = ds_home_of(local);
    if (home)
        reject(r, "<%s> belongs inside <%s>, not in <%s>", local, home, c->name);
    else
        reject(r, "unknown element <%s> in <%s>; expected %s", local, c->name, allowed);
}

static int same_ns(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

static void start_body(ds_reader *r, const char *ns, const char *local, const xml_attr *attrs,
                       int nattrs, long line)
{
    /* Keep the scanner in step on every tag, even skipped ones. */
    ds_lines_follow(&r->ts, local, nattrs, line, &r->cur_line, &r->cur_attr_line);
    if (r->too_many || r->stopped_by_sink)
        return;
    if (r->skip) {
        r->skip++;
        return;
    }
    if (!r->root_seen) {
        r->root_seen = 1;
        if (strcmp(local, "dossier") != 0) {
            ds_err(r, r->cur_line, "the root element is <%s>; an rhv dossier starts with <dossier xmlns=\"%s\">", local,
                DOSSIER_NS);
            r->too_many = 1; /* not a dossier: nothing below can be judged */
            r->want_stop = 1;
            return;
        }
        if (!same_ns(ns, DOSSIER_NS)) {
            if (ns)
                ds_err(r, r->cur_line, "<dossier> has namespace \"%s\"; expected xmlns=\"%s\"", ns, DOSSIER_NS);
            else
                ds_err(r, r->cur_line, "<dossier> has no namespace; expected xmlns=\"%s\"", DOSSIER_NS);
            r->root_ns = strdup(ns ? ns : "");
            if (!r->root_ns) {
                ds_oom(r, r->cur_line);
                return;
            }
        }
        for (int i = 0; i < nattrs; i++)
            ds_no_attr(r, "dossier", &attrs[i], i);
        push(r, FR_DOSSIER, "dossier", NULL);
        return;
    }
    if (!same_ns(ns, DOSSIER_NS) && !(r->root_ns && same_ns(ns, r->root_ns))) {
        if (ns)
            reject(r, "<%s> has namespace \"%s\"; dossier elements are in %s", local, ns, DOSSIER_NS);
        else
            reject(r, "<%s> has no namespace; dossier elements are in %s", local, DOSSIER_NS);
        return;
    }
    if (r->depth == 0)
        return; /* after the root closed: libxml2 reports that itself */
    ds_frame *parent = &r->stack[r->depth - 1];
    switch (parent->kind) {
    case FR_DOSSIER:
        child_of_dossier(r, local, attrs, nattrs);
        break;
    case FR_CONTAINER:
        child_of_container(r, parent->container, local, attrs, nattrs);
        break;
    case FR_REGISTER:
        if (!parent->rtype) {
            reject(r, "<register> with a path holds no rows of its own (found <%s>); its rows are in the file",
                   local);
        } else if (strcmp(local, parent->rtype->name) == 0) {
            push(r, FR_LEAF, parent->rtype->name, NULL);
            ds_record(r, parent->rtype, attrs, nattrs, r->org_emitted);
        } else {
            reject(r, "unknown element <%s> in <register type=\"%s\">; expected <%s>", local, parent->rtype->name,
                   parent->rtype->name);
        }
        break;
    case FR_LEAF:
    case FR_LEDGER:
        reject(r, "<%s> may not contain elements (found <%s>)", parent->name, local);
        break;
    }
}

static void end_body(ds_reader *r, const char *text, size_t len)
{
    if (r->too_many || r->stopped_by_sink)
        return;
    if (r->skip) {
        r->skip--;
        return;
    }
    if (r->depth == 0)
        return;
    ds_frame f = r->stack[--r->depth];
    const char *s = text;
    size_t n = len;
    ds_trim(&s, &n);
    if (n > 0)
        ds_err(r, f.line, "<%s> contains text \"%.*s%s\"; dossier values are written as attributes", f.name,
               DS_SHOW(s, n));
    if (f.kind == FR_DOSSIER && !r->org_line)
        ds_err(r, f.line, "<dossier> has no <organisation>; it must be the first element");
}

static void on_start(void *ud, xml_stream *xs, const char *ns, const char *local, const xml_attr *attrs,
                     int nattrs, long line)
{
    ds_reader *r = ud;
    r->xs = xs;
    start_body(r, ns, local, attrs, nattrs, line);
    if (r->want_stop)
        xml_stream_stop(xs);
}

static void on_end(void *ud, xml_stream *xs, const char *ns, const char *local, const char *text, size_t len)
{
    (void)ns;
    (void)local;
    ds_reader *r = ud;
    r->xs = xs;
    end_body(r, text, len);
    if (r->want_stop)
        xml_stream_stop(xs);
}

/* ---- entry points ---------------------------------------------------------------- */

/* One read for files and buffers: buf NULL reads the file at path; else
 * len bytes at buf, path naming them in messages. */
static int read_input(const char *path, const char *buf, size_t len, rhv_dossier *out, rhv_sink sink, void *ud,
                      rhv_diag *d)
{
    memset(out, 0, sizeof *out);
    out->path = strdup(path);
    if (!out->path) {
        diag_error(d, path, 1, "out of memory");
        return -1;
    }
    ds_reader r;
    memset(&r, 0, sizeof r);
    r.path = path;
    r.out = out;
    r.sink = sink;
    r.ud = ud;
    r.d = d;
    r.errors_at_start = d->errors;

    int maxf = 0;
    for (int i = 0; i < rhv_record_type_count; i++)
        if (rhv_record_types[i]->source == SRC_DOSSIER && rhv_record_types[i]->nfields > maxf)
            maxf = rhv_record_types[i]->nfields;
    r.vals = calloc((size_t)maxf, sizeof *r.vals);
    r.present = calloc((size_t)maxf, 1);
    if (!r.vals || !r.present) {
        free(r.vals);
        free(r.present);
        diag_error(d, path, 1, "out of memory");
        return -1;
    }
    int rc;
    if (!buf && xlsx_is_zip(path)) {
        rc = ds_workbook_read(&r);
    } else {
        if (buf)
            ds_lines_open_mem(&r.ts, buf, len);
        else
            ds_lines_open(&r.ts, path);
        xml_handlers h = {on_start, on_end};
        rc = buf ? xml_stream_parse_mem(buf, len, path, &h, &r, d) : xml_stream_parse(path, &h, &r, d);
        ds_lines_close(&r.ts);
        if (rc == 0)
            ds_registers_read(&r);
    }
    free(r.vals);
    free(r.present);
    free(r.root_ns);
    ds_keys_free(&r.keys);
    /* A sink that stops has its own reason and reports it; the read is then incomplete. */
    if (rc != 0 || r.stopped_by_sink || d->errors > r.errors_at_start)
        return -1;
    return 0;
}

int dossier_read(const char *path, rhv_dossier *out, rhv_sink sink, void *ud, rhv_diag *d)
{
    return read_input(path, NULL, 0, out, sink, ud, d);
}

int dossier_read_mem(const char *buf, size_t len, const char *name, rhv_dossier *out, rhv_sink sink, void *ud,
                     rhv_diag *d)
{
    /* A zero-length buffer is still a buffer: read_input tells them apart by pointer. */
    return read_input(name, buf ? buf : "", len, out, sink, ud, d);
}

void dossier_free(rhv_dossier *ds)
{
    if (!ds)
        return;
    free(ds->path);
    free(ds->naam);
    free(ds->soort);
    free(ds->grens_besluit);
    free(ds->grens_bron);
    free(ds->normenkader_datum);
    for (size_t i = 0; i < ds->nledgers; i++)
        free(ds->ledgers[i]);
    free(ds->ledgers);
    free(ds->ledger_extract);
    free(ds->ledger_line);
    free(ds->ledger_fiscal_year);
    for (size_t i = 0; i < ds->nrule_args; i++) {
        free(ds->rule_args[i]);
        free(ds->rule_arg_file ? ds->rule_arg_file[i] : NULL);
    }
    free(ds->rule_args);
    free(ds->rule_arg_file);
    free(ds->rule_arg_line);
    for (size_t i = 0; i < ds->nregisters; i++) {
        free(ds->registers[i].path);
        free(ds->registers[i].type);
    }
    free(ds->registers);
    free(ds->beoordelingen);
    for (size_t i = 0; i < ds->nsheet_files; i++)
        free(ds->sheet_files[i]);
    free(ds->sheet_files);
    memset(ds, 0, sizeof *ds);
}
