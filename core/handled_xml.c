/* handled_xml.c - see handled_xml.h */
#include "handled_xml.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "dossier_internal.h"

#define HX_NS "urn:rhv:dossier:1"
#define HX_MAX_ERRORS 200

struct hx_reader {
    const char *path;
    const hx_spec *spec;
    void *ud;
    rhv_diag *d;
    size_t errors_at_start;
    ds_lines ts;
    long line;
    const long *attr_lines;
    int depth;      /* 0 before the root, 1 in the root, 2 in an entry */
    long skip;      /* >0: inside a rejected element */
    long entry_line;
    int too_many;
    int want_stop;
};

void hx_err(hx_reader *r, long line, const char *fmt, ...)
{
    if (r->too_many)
        return;
    char buf[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    diag_error(r->d, r->path, line > 0 ? line : 1, "%s", buf);
    if (r->d->errors - r->errors_at_start >= HX_MAX_ERRORS) {
        r->too_many = 1;
        r->want_stop = 1;
        diag_error(r->d, r->path, line > 0 ? line : 1, "too many errors (%d); reading stopped", HX_MAX_ERRORS);
    }
}

long hx_line(const hx_reader *r)
{
    return r->line;
}

const char *hx_path(const hx_reader *r)
{
    return r->path;
}

long hx_attr_line(const hx_reader *r, const xml_attr *attrs, int nattrs, const char *name)
{
    for (int i = 0; i < nattrs; i++)
        if (!attrs[i].ns && strcmp(attrs[i].name, name) == 0)
            return r->attr_lines ? r->attr_lines[i] : r->line;
    return r->line;
}

void hx_free_vals(char **vals, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(vals[i]);
        vals[i] = NULL;
    }
}

int hx_take(hx_reader *r, const char *elem, const xml_attr *attrs, int nattrs, const char *const *names,
            unsigned required, char **vals)
{
    int bad = 0;
    size_t nn = 0;
    while (names[nn])
        nn++;
    unsigned present = 0;
    for (size_t i = 0; i < nn; i++)
        vals[i] = NULL;
    for (int j = 0; j < nattrs; j++) {
        long line = r->attr_lines ? r->attr_lines[j] : r->line;
        size_t i = 0;
        while (i < nn && (attrs[j].ns || strcmp(attrs[j].name, names[i]) != 0))
            i++;
        if (i == nn) {
            hx_err(r, line, "<%s> has no attribute %s%s%s", elem, attrs[j].ns ? attrs[j].ns : "",
                   attrs[j].ns ? ":" : "", attrs[j].name);
            bad = 1;
            continue;
        }
        present |= 1u << i;
        const char *s = attrs[j].value;
        size_t len = attrs[j].len;
        ds_trim(&s, &len);
        if (len == 0) {
            hx_err(r, line, "<%s> attribute %s is empty", elem, names[i]);
            bad = 1;
            continue;
        }
        if (!(vals[i] = ds_strndup(s, len))) {
            hx_err(r, line, "out of memory");
            r->too_many = r->want_stop = 1;
            return -1;
        }
        /* A character reference can still put a tab or line break in a value;
         * report texts are one line without control characters. */
        for (char *c = vals[i]; *c; c++)
            if ((unsigned char)*c < 0x20 || *c == 0x7f)
                *c = ' ';
    }
    for (size_t i = 0; i < nn; i++)
        if ((required & (1u << i)) && !(present & (1u << i))) {
            hx_err(r, r->line, "<%s> lacks required attribute %s", elem, names[i]);
            bad = 1;
        }
    return bad ? -1 : 0;
}

static void reject(hx_reader *r, const char *fmt, const char *a, const char *b)
{
    hx_err(r, r->line, fmt, a, b);
    r->skip = 1;
}

static int known_child(const hx_spec *s, const char *local)
{
    for (int i = 0; s->children[i]; i++)
        if (strcmp(s->children[i], local) == 0)
            return i;
    return -1;
}

static void on_start(void *ud, xml_stream *xs, const char *ns, const char *local, const xml_attr *attrs,
                     int nattrs, long line)
{
    hx_reader *r = ud;
    ds_lines_follow(&r->ts, local, nattrs, line, &r->line, &r->attr_lines);
    if (r->too_many)
        goto out;
    if (r->skip) {
        r->skip++;
        goto out;
    }
    if (!ns || strcmp(ns, HX_NS) != 0) {
        if (r->depth == 0) {
            hx_err(r, r->line, "<%s> has %s; expected <%s xmlns=\"%s\">", local,
                   ns ? "another namespace" : "no namespace", r->spec->root, HX_NS);
            r->too_many = r->want_stop = 1;
        } else {
            reject(r, "<%s> is not in namespace %s", local, HX_NS);
        }
        goto out;
    }
    if (r->depth == 0) {
        if (strcmp(local, r->spec->root) != 0) {
            hx_err(r, r->line, "the root element is <%s>; expected <%s xmlns=\"" HX_NS "\">", local,
                   r->spec->root);
            r->too_many = r->want_stop = 1;
            goto out;
        }
        r->depth = 1;
        r->spec->entry(r->ud, r, -1, attrs, nattrs);
        goto out;
    }
    if (r->depth == 2) {
        char parent[64];
        snprintf(parent, sizeof parent, "line %ld", r->entry_line);
        reject(r, "<%s> may not contain elements (found <%s>)", parent, local);
        goto out;
    }
    int which = known_child(r->spec, local);
    if (which < 0) {
        char allowed[160];
        ds_list_values(allowed, sizeof allowed, r->spec->children);
        hx_err(r, r->line, "unknown element <%s> in <%s>; expected %s", local, r->spec->root, allowed);
        r->skip = 1;
        goto out;
    }
    r->depth = 2;
    r->entry_line = r->line;
    r->spec->entry(r->ud, r, which, attrs, nattrs);
out:
    if (r->want_stop)
        xml_stream_stop(xs);
}

static void on_end(void *ud, xml_stream *xs, const char *ns, const char *local, const char *text, size_t len)
{
    (void)ns;
    hx_reader *r = ud;
    if (r->too_many)
        goto out;
    if (r->skip) {
        r->skip--;
        goto out;
    }
    if (r->depth == 0)
        goto out;
    const char *s = text;
    size_t n = len;
    ds_trim(&s, &n);
    if (n > 0)
        hx_err(r, r->depth == 2 ? r->entry_line : r->line, "<%s> contains text; values are written as attributes",
               local);
    r->depth--;
out:
    if (r->want_stop)
        xml_stream_stop(xs);
}

int hx_read(const char *path, const hx_spec *spec, void *ud, rhv_diag *d)
{
    hx_reader r;
    memset(&r, 0, sizeof r);
    r.path = path;
    r.spec = spec;
    r.ud = ud;
    r.d = d;
    r.errors_at_start = d->errors;
    ds_lines_open(&r.ts, path);
    xml_handlers h = {on_start, on_end};
    int rc = xml_stream_parse(path, &h, &r, d);
    ds_lines_close(&r.ts);
    return rc != 0 || d->errors > r.errors_at_start ? -1 : 0;
}
