/* xml_stream.c - see xml_stream.h.
 *
 * Why SAX2 and not xmlTextReader: SAX2 with empty callbacks costs about half
 * of `xmllint --stream` (shared/design/performance-budget.md), which leaves
 * the other half of the time budget to the rules. Pulling through an I/O
 * callback (xmlCreateIOParserCtxt + xmlParseDocument) rather than pushing
 * chunks (xmlParseChunk) saves another 18 % of the parse: the push parser
 * re-checks how much input it holds before every construct (callgrind on a
 * 100,000-line XAF: 1.37 G instructions pulled, 1.67 G pushed).
 */
#include "xml_stream.h"

#include <errno.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK (64 * 1024)
#define TEXT_MAX (4 * 1024 * 1024) /* one element's text; XAF's longest type is String9999 */
#define ATTR_MAX 64

struct xml_stream {
    xmlParserCtxtPtr ctxt;
    const xml_handlers *h;
    void *ud;
    rhv_diag *d;
    const char *path;
    char *text;
    size_t len, cap;
    int failed;     /* a well-formedness or resource error was reported */
    int stopped;
    int text_overflow;
};

static long cur_line(xml_stream *xs)
{
    return xs->ctxt ? xmlSAX2GetLineNumber(xs->ctxt) : 0;
}

long xml_stream_line(xml_stream *xs) { return cur_line(xs); }
const char *xml_stream_path(xml_stream *xs) { return xs->path; }

void xml_stream_stop(xml_stream *xs)
{
    xs->stopped = 1;
    if (xs->ctxt)
        xmlStopParser(xs->ctxt);
}

static void on_start(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri,
                     int nb_ns, const xmlChar **ns, int nb_attr, int nb_def, const xmlChar **attrs)
{
    (void)prefix; (void)nb_ns; (void)ns; (void)nb_def;
    xml_stream *xs = ctx;
    xs->len = 0;
    xml_attr a[ATTR_MAX];
    if (nb_attr > ATTR_MAX) {
        diag_error(xs->d, xs->path, cur_line(xs), "element <%s> has %d attributes, more than %d",
                   (const char *)local, nb_attr, ATTR_MAX);
        xs->failed = 1;
        xml_stream_stop(xs);
        return;
    }
    for (int i = 0; i < nb_attr; i++) {
        const xmlChar **at = attrs + 5 * i; /* localname, prefix, URI, value, end */
        a[i].name = (const char *)at[0];
        a[i].ns = (const char *)at[2];
        a[i].value = (const char *)at[3];
        a[i].len = (size_t)(at[4] - at[3]);
    }
    if (xs->h->start)
        xs->h->start(xs->ud, xs, (const char *)uri, (const char *)local, a, nb_attr, cur_line(xs));
}

static void on_end(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
    (void)prefix;
    xml_stream *xs = ctx;
    if (xs->h->end)
        xs->h->end(xs->ud, xs, (const char *)uri, (const char *)local, xs->text ? xs->text : "", xs->len,
                   cur_line(xs));
    xs->len = 0;
}

static void on_chars(void *ctx, const xmlChar *ch, int n)
{
    xml_stream *xs = ctx;
    if (xs->text_overflow)
        return;
    size_t need = xs->len + (size_t)n + 1;
    if (need > TEXT_MAX) {
        xs->text_overflow = 1;
        xs->failed = 1;
        diag_error(xs->d, xs->path, cur_line(xs), "element text longer than %d bytes", TEXT_MAX);
        xml_stream_stop(xs);
        return;
    }
    if (need > xs->cap) {
        size_t nc = xs->cap ? xs->cap : 256;
        while (nc < need)
            nc *= 2;
        char *t = realloc(xs->text, nc);
        if (!t) {
            xs->failed = 1;
            diag_error(xs->d, xs->path, cur_line(xs), "out of memory");
            xml_stream_stop(xs);
            return;
        }
        xs->text = t;
        xs->cap = nc;
    }
    memcpy(xs->text + xs->len, ch, (size_t)n);
    xs->len += (size_t)n;
    xs->text[xs->len] = '\0';
}

static void on_internal_subset(void *ctx, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
    (void)name; (void)ext; (void)sys;
    xml_stream *xs = ctx;
    diag_error(xs->d, xs->path, cur_line(xs),
               "a DTD (<!DOCTYPE>) is not allowed: rhv reads no DTDs and expands no entities");
    xs->failed = 1;
    xml_stream_stop(xs);
}

static xmlEntityPtr on_get_entity(void *ctx, const xmlChar *name)
{
    /* Only the five predefined entities exist; libxml2 resolves those itself. */
    (void)ctx; (void)name;
    return NULL;
}

static xmlParserInputPtr on_resolve(void *ctx, const xmlChar *pub, const xmlChar *sys)
{
    (void)pub;
    xml_stream *xs = ctx;
    diag_error(xs->d, xs->path, cur_line(xs), "external entity '%s' refused", sys ? (const char *)sys : "?");
    xs->failed = 1;
    xml_stream_stop(xs);
    return NULL;
}

static xmlParserInputPtr no_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
    (void)url; (void)id; (void)ctxt;
    return NULL;
}

static void on_error(void *ctx, xmlErrorPtr err)
{
    xml_stream *xs = ctx;
    if (!err || err->level == XML_ERR_WARNING)
        return;
    if (xs->failed)
        return; /* libxml2 may cascade; the first error is the one that matters */
    char msg[512];
    snprintf(msg, sizeof msg, "%s", err->message ? err->message : "XML error");
    size_t l = strlen(msg);
    while (l > 0 && (msg[l - 1] == '\n' || msg[l - 1] == ' '))
        msg[--l] = '\0';
    for (char *c = msg; *c; c++) /* one message, one line ("...encoding !\nBytes: 0xF6 ...") */
        if (*c == '\n')
            *c = ' ';
    diag_error(xs->d, xs->path, err->line > 0 ? err->line : cur_line(xs), "malformed XML: %s", msg);
    xs->failed = 1;
}

/* Where the bytes come from: a file read through stdio, or a caller's buffer.
 * libxml2 pulls input through io_read; a read error ends the parse and is
 * reported after it from ferror(). */
typedef struct {
    FILE *f;            /* NULL: read from mem */
    const char *mem;
    size_t len, pos;
} xml_source;

static int io_read(void *ctx, char *out, int len)
{
    xml_source *src = ctx;
    if (!src->f) {
        size_t n = src->len - src->pos;
        if (n > (size_t)len)
            n = (size_t)len;
        memcpy(out, src->mem + src->pos, n);
        src->pos += n;
        return (int)n;
    }
    size_t n = fread(out, 1, (size_t)len, src->f);
    if (n == 0 && ferror(src->f))
        return -1;
    return (int)n;
}

static int io_close(void *ctx)
{
    (void)ctx; /* the file is closed by xml_stream_parse, after ferror() has been asked */
    return 0;
}

/* The one parse, for files and buffers alike. */
static int parse_source(xml_source *src, const char *path, const xml_handlers *h, void *ud, rhv_diag *d)
{
    xmlSetExternalEntityLoader(no_loader);
    xml_stream xs = {.h = h, .ud = ud, .d = d, .path = path};
    xmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    sax.initialized = XML_SAX2_MAGIC;
    sax.startElementNs = on_start;
    sax.endElementNs = on_end;
    sax.characters = on_chars;
    sax.cdataBlock = on_chars;
    sax.internalSubset = on_internal_subset;
    sax.getEntity = on_get_entity;
    sax.getParameterEntity = on_get_entity;
    sax.resolveEntity = on_resolve;
    sax.serror = on_error;

    xs.ctxt = xmlCreateIOParserCtxt(&sax, &xs, io_read, io_close, src, XML_CHAR_ENCODING_NONE);
    if (!xs.ctxt) {
        diag_error(d, path, 0, "cannot create XML parser");
        return -1;
    }
    xmlCtxtUseOptions(xs.ctxt, XML_PARSE_NONET);
    int rc = 0;
    xmlParseDocument(xs.ctxt);
    if (src->f && ferror(src->f)) {
        diag_error(d, path, cur_line(&xs), "read error: %s", strerror(errno));
        rc = -1;
    }
    if (!xs.failed && !xs.stopped && !xs.ctxt->wellFormed) {
        diag_error(d, path, cur_line(&xs), "malformed XML");
        xs.failed = 1;
    }
    if (xs.failed || xs.stopped)
        rc = -1;
    if (xs.ctxt->myDoc)
        xmlFreeDoc(xs.ctxt->myDoc);
    xmlFreeParserCtxt(xs.ctxt);
    free(xs.text);
    return rc;
}

int xml_stream_parse(const char *path, const xml_handlers *h, void *ud, rhv_diag *d)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        diag_error(d, path, 0, "cannot open: %s", strerror(errno));
        return -1;
    }
    /* stdio reads the file in CHUNK blocks; libxml2 pulls from that buffer
     * and discards what it has parsed, so memory does not grow with the file. */
    char *buf = malloc(CHUNK);
    if (!buf || setvbuf(f, buf, _IOFBF, CHUNK) != 0) {
        fclose(f);
        free(buf);
        diag_error(d, path, 0, "out of memory");
        return -1;
    }
    xml_source src = {.f = f};
    int rc = parse_source(&src, path, h, ud, d);
    fclose(f);
    free(buf);
    return rc;
}

int xml_stream_parse_mem(const char *buf, size_t len, const char *name, const xml_handlers *h, void *ud,
                         rhv_diag *d)
{
    xml_source src = {.mem = buf, .len = len};
    return parse_source(&src, name, h, ud, d);
}
