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
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "small_bytes.h"
#include "hash.h"

#define TEXT_MAX (4 * 1024 * 1024) /* one element's text; XAF's longest type is String9999 */
#define ATTR_MAX 64

struct xml_stream {
    xmlParserCtxtPtr ctxt;
    void (*start)(void *, xml_stream *, const char *, const char *, const xml_attr *, int, long);
    void (*end)(void *, xml_stream *, const char *, const char *, const char *, size_t);
    void *ud;
    rhv_diag *d;
    const char *path;
    char *text;     /* the current element's text, NUL-terminated */
    size_t len, cap;
    size_t room;    /* cap, or 0 once text is refused: on_chars copies only below it */
    int failed;     /* a well-formedness or resource error was reported */
    int malformed;  /* that error was libxml2's: the file is not well-formed */
    size_t err_at;  /* its index in d->msgs */
    int stopped;
    int text_overflow;
};

/* What xmlSAX2GetLineNumber returns, without a call into libxml2 for each
 * element (two per element: start and end). */
static long cur_line(xml_stream *xs)
{
    return xs->ctxt && xs->ctxt->input ? xs->ctxt->input->line : 0;
}

long xml_stream_line(xml_stream *xs) { return cur_line(xs); }
const char *xml_stream_path(xml_stream *xs) { return xs->path; }

void xml_stream_stop(xml_stream *xs)
{
    xs->stopped = 1;
    if (xs->ctxt)
        xmlStopParser(xs->ctxt);
}

/* The line during a parse event: libxml2 has its context and input then. */
static inline long ev_line(const xml_stream *xs) { return xs->ctxt->input->line; }

__attribute__((noinline)) static void too_many_attrs(xml_stream *xs, const xmlChar *local, int nb_attr)
{
    diag_error(xs->d, xs->path, ev_line(xs), "element <%s> has %d attributes, more than %d", (const char *)local,
               nb_attr, ATTR_MAX);
    xs->failed = 1;
    xml_stream_stop(xs);
}

/* An element with attributes: their array lives on this frame. */
__attribute__((noinline)) static void start_with_attrs(xml_stream *xs, const xmlChar *local, const xmlChar *uri,
                                                       int nb_attr, const xmlChar **attrs)
{
    xml_attr a[ATTR_MAX];
    for (int i = 0; i < nb_attr; i++) {
        const xmlChar **at = attrs + 5 * i; /* localname, prefix, URI, value, end */
        a[i].name = (const char *)at[0];
        a[i].ns = (const char *)at[2];
        a[i].value = (const char *)at[3];
        a[i].len = (size_t)(at[4] - at[3]);
    }
    xs->start(xs->ud, xs, (const char *)uri, (const char *)local, a, nb_attr, ev_line(xs));
}

static void no_start(void *ud, xml_stream *xs, const char *ns, const char *local, const xml_attr *attrs,
                     int nattrs, long line)
{
    (void)ud; (void)xs; (void)ns; (void)local; (void)attrs; (void)nattrs; (void)line;
}

static void no_end(void *ud, xml_stream *xs, const char *ns, const char *local, const char *text, size_t len)
{
    (void)ud; (void)xs; (void)ns; (void)local; (void)text; (void)len;
}

/* The three events below run for every element (the hot path of every
 * reader): each is a few instructions and a tail call, the rare cases are
 * out of line. */
static void on_start(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri,
                     int nb_ns, const xmlChar **ns, int nb_attr, int nb_def, const xmlChar **attrs)
{
    (void)prefix; (void)nb_ns; (void)ns; (void)nb_def;
    xml_stream *xs = ctx;
    xs->len = 0;
    if (nb_attr > 0) {
        if (nb_attr > ATTR_MAX)
            too_many_attrs(xs, local, nb_attr);
        else
            start_with_attrs(xs, local, uri, nb_attr, attrs);
        return;
    }
    xs->start(xs->ud, xs, (const char *)uri, (const char *)local, NULL, 0, ev_line(xs));
}

static void on_end(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
    (void)prefix;
    xml_stream *xs = ctx;
    size_t n = xs->len;
    xs->len = 0; /* the text stays in the buffer until the next characters */
    xs->end(xs->ud, xs, (const char *)uri, (const char *)local, xs->text, n);
}

/* Text that does not fit the buffer: grow it, or stop at TEXT_MAX. */
__attribute__((noinline)) static void chars_grow(xml_stream *xs, const xmlChar *ch, int n)
{
    if (xs->text_overflow)
        return;
    size_t need = xs->len + (size_t)n + 1;
    if (need > TEXT_MAX) {
        xs->text_overflow = 1;
        xs->room = 0;
        xs->failed = 1;
        diag_error(xs->d, xs->path, ev_line(xs), "element text longer than %d bytes", TEXT_MAX);
        xml_stream_stop(xs);
        return;
    }
    size_t nc = xs->cap;
    while (nc < need)
        nc *= 2;
    char *t = realloc(xs->text, nc);
    if (!t) {
        xs->failed = 1;
        xs->room = 0;
        diag_error(xs->d, xs->path, ev_line(xs), "out of memory");
        xml_stream_stop(xs);
        return;
    }
    xs->text = t;
    xs->cap = xs->room = nc;
    memcpy(xs->text + xs->len, ch, (size_t)n);
    xs->len += (size_t)n;
    xs->text[xs->len] = '\0';
}

static void on_chars(void *ctx, const xmlChar *ch, int n)
{
    xml_stream *xs = ctx;
    size_t len = xs->len;
    if (len + (size_t)n + 1 > xs->room) {
        chars_grow(xs, ch, n);
        return;
    }
    copy_small(xs->text + len, (const char *)ch, (size_t)n);
    xs->len = len + (size_t)n;
    xs->text[len + (size_t)n] = '\0';
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

/* The loader is one global of libxml2: set once (ledgers may be parsed on
 * several threads at a time, cmd_check_readahead.h), and libxml2 set up
 * before the first parse that may run beside another. */
static pthread_once_t loader_once = PTHREAD_ONCE_INIT;
static void set_loader(void)
{
    xmlInitParser();
    xmlSetExternalEntityLoader(no_loader);
}

/* libxml2's first error in rhv's words, with the fix where there is one. */
static void explain(const xmlError *err, const char *raw, char *out, size_t n)
{
    const char *s1 = err->str1, *s2 = err->str2;
    const char *bytes = strstr(raw, "Bytes: 0x");
    if (strstr(raw, "not proper UTF-8") && bytes) {
        unsigned b = (unsigned)strtoul(bytes + 7, NULL, 16);
        char hint[64] = "";
        if (b >= 0xA0 && b <= 0xFF) /* the Latin-1 character, shown in UTF-8 */
            snprintf(hint, sizeof hint, " (%c%c in Latin-1?)", (char)(0xC0 | (b >> 6)), (char)(0x80 | (b & 0x3F)));
        snprintf(out, n,
                 "the file is not UTF-8 at line %d, byte 0x%02X%s: save it as UTF-8 or declare "
                 "encoding=\"ISO-8859-1\"",
                 err->line, b & 0xFF, hint);
        return;
    }
    switch (err->code) {
    case XML_ERR_TAG_NAME_MISMATCH:
        if (s1 && s2) {
            snprintf(out, n, "malformed XML: element <%s> opened at line %d is not closed (found </%s>)", s1,
                     err->int1, s2);
            return;
        }
        break;
    case XML_ERR_TAG_NOT_FINISHED:
        if (s1) {
            snprintf(out, n, "malformed XML: element <%s> opened at line %d is not closed (the file ends)", s1,
                     err->int1);
            return;
        }
        break;
    case XML_ERR_NAME_REQUIRED:
        if (strstr(raw, "EntityRef")) {
            snprintf(out, n, "malformed XML: a bare '&': write & as &amp;");
            return;
        }
        break;
    case XML_ERR_ENTITYREF_SEMICOL_MISSING:
        snprintf(out, n, "malformed XML: '&' starts no entity (no ';'): write & as &amp;");
        return;
    case XML_ERR_UNDECLARED_ENTITY:
    case XML_WAR_UNDECLARED_ENTITY:
        snprintf(out, n,
                 "malformed XML: unknown entity &%s;: only &amp; &lt; &gt; &quot; &apos; exist (write & as &amp;)",
                 s1 ? s1 : "?");
        return;
    case XML_ERR_LT_IN_ATTRIBUTE:
        snprintf(out, n, "malformed XML: '<' in an attribute value: write < as &lt;");
        return;
    case XML_ERR_GT_REQUIRED:
        snprintf(out, n, "malformed XML: the tag before this point is not closed with '>'");
        return;
    case XML_ERR_DOCUMENT_END:
        snprintf(out, n, "malformed XML: content after the end of the root element");
        return;
    case XML_ERR_DOCUMENT_EMPTY:
        snprintf(out, n, "malformed XML: the file holds no XML element");
        return;
    default:
        break;
    }
    snprintf(out, n, "malformed XML: %s", raw);
}

static void on_error(void *ctx, xmlErrorPtr err)
{
    xml_stream *xs = ctx;
    if (!err || err->level == XML_ERR_WARNING)
        return;
    if (xs->failed)
        return; /* libxml2 may cascade; the first error is the one that matters */
    char raw[512];
    snprintf(raw, sizeof raw, "%s", err->message ? err->message : "XML error");
    size_t l = strlen(raw);
    while (l > 0 && (raw[l - 1] == '\n' || raw[l - 1] == ' '))
        raw[--l] = '\0';
    for (char *c = raw; *c; c++) /* one message, one line ("...encoding !\nBytes: 0xF6 ...") */
        if (*c == '\n')
            *c = ' ';
    char msg[768];
    explain(err, raw, msg, sizeof msg);
    xs->err_at = xs->d->n;
    diag_error(xs->d, xs->path, err->line > 0 ? err->line : cur_line(xs), "%s", msg);
    xs->failed = 1;
    xs->malformed = 1;
}

/* What the first bytes say about the encoding: only UTF-16 and UTF-32 are
 * refused here (libxml2 would read UTF-16, but rhv's contract and its line
 * scanner are byte-oriented: UTF-8 and ISO-8859-1). */
const char *xml_encoding_unsupported(const unsigned char *p, size_t n)
{
    if (n >= 4 && ((p[0] == 0 && p[1] == 0 && p[2] == 0xFE && p[3] == 0xFF) ||
                   (p[0] == 0xFF && p[1] == 0xFE && p[2] == 0 && p[3] == 0)))
        return "UTF-32 is not supported: save as UTF-8";
    if (n >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF)))
        return "UTF-16 is not supported: save as UTF-8";
    if (n >= 4 && ((p[0] == '<' && p[1] == 0 && p[2] != 0 && p[3] == 0) ||
                   (p[0] == 0 && p[1] == '<' && p[2] == 0 && p[3] != 0)))
        return "UTF-16 is not supported: save as UTF-8";
    return NULL;
}

const char *xml_file_encoding_unsupported(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    unsigned char head[4];
    size_t n = fread(head, 1, sizeof head, f);
    fclose(f);
    return xml_encoding_unsupported(head, n);
}

/* Where the bytes come from: a file (read, and hashed when asked, by a
 * sha256_reader), or a caller's buffer. libxml2 pulls input through io_read;
 * a read error ends the parse and is reported after it. */
typedef struct {
    sha256_reader *r;   /* NULL: read from mem */
    const char *mem;
    size_t len, pos;
    unsigned char head[4]; /* a file's first bytes, read to sniff the encoding */
    size_t head_len, head_pos;
} xml_source;

static int io_read(void *ctx, char *out, int len)
{
    xml_source *src = ctx;
    if (!src->r) {
        size_t n = src->len - src->pos;
        if (n > (size_t)len)
            n = (size_t)len;
        memcpy(out, src->mem + src->pos, n);
        src->pos += n;
        return (int)n;
    }
    if (src->head_pos < src->head_len) {
        size_t n = src->head_len - src->head_pos;
        if (n > (size_t)len)
            n = (size_t)len;
        memcpy(out, src->head + src->head_pos, n);
        src->head_pos += n;
        return (int)n;
    }
    size_t n = sha256_reader_read(src->r, out, (size_t)len);
    if (n == 0 && sha256_reader_error(src->r))
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
    const char *enc;
    if (src->r) {
        src->head_len = sha256_reader_read(src->r, src->head, sizeof src->head);
        enc = xml_encoding_unsupported(src->head, src->head_len);
    } else {
        enc = xml_encoding_unsupported((const unsigned char *)src->mem, src->len);
    }
    if (enc) {
        diag_error(d, path, 0, "%s", enc);
        return -1;
    }
    pthread_once(&loader_once, set_loader);
    xml_stream xs = {.start = h->start ? h->start : no_start, .end = h->end ? h->end : no_end, .ud = ud, .d = d,
                     .path = path, .cap = 256};
    xs.text = malloc(xs.cap);
    if (!xs.text) {
        diag_error(d, path, 0, "out of memory");
        return -1;
    }
    xs.text[0] = '\0';
    xs.room = xs.cap;
    xmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    sax.initialized = XML_SAX2_MAGIC;
    sax.startElementNs = on_start;
    sax.endElementNs = on_end;
    sax.characters = on_chars;
    /* Blanks between elements reach characters() either way (without a tree
     * libxml2 cannot tell them ignorable); with the same callback for both it
     * skips its check of every blank run. */
    sax.ignorableWhitespace = on_chars;
    sax.cdataBlock = on_chars;
    sax.internalSubset = on_internal_subset;
    sax.getEntity = on_get_entity;
    sax.getParameterEntity = on_get_entity;
    sax.resolveEntity = on_resolve;
    sax.serror = on_error;

    xs.ctxt = xmlCreateIOParserCtxt(&sax, &xs, io_read, io_close, src, XML_CHAR_ENCODING_NONE);
    if (!xs.ctxt) {
        diag_error(d, path, 0, "cannot create XML parser");
        free(xs.text);
        return -1;
    }
    /* XML_PARSE_NOENT: without it libxml2 hands an attribute's "&amp;" (and
     * "&#38;") on as "&#38;", so a name "A &amp; B" would read "A &#38; B".
     * It expands nothing else here: a DTD is refused (on_internal_subset), no
     * entity but the five predefined exists (on_get_entity) and no external
     * one is loaded (on_resolve). */
    xmlCtxtUseOptions(xs.ctxt, XML_PARSE_NONET | XML_PARSE_NOENT);
    int rc = 0;
    /* Until the parse ends it is not known whether the file is well-formed;
     * if not, what the handlers said about it is a cascade of one mistake
     * (an unclosed element makes every later element look misplaced). */
    diag_held held = diag_hold(d);
    xmlParseDocument(xs.ctxt);
    if (xs.malformed)
        diag_drop_held(d, &held, path, xs.err_at);
    diag_release(d, &held);
    if (src->r && sha256_reader_error(src->r)) {
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
    return xml_stream_parse_hashed(path, h, ud, d, NULL);
}

int xml_stream_parse_hashed(const char *path, const xml_handlers *h, void *ud, rhv_diag *d,
                            char sha256[SHA256_HEX_LEN])
{
    if (sha256)
        sha256[0] = '\0';
    FILE *f = fopen(path, "rb");
    if (!f) {
        diag_error(d, path, 0, "cannot open: %s", strerror(errno));
        return -1;
    }
    /* The file is read in 32 KiB blocks (hash.h); libxml2 pulls from them
     * and discards what it has parsed, so memory does not grow with the file.
     * The hash covers the whole file, also what a parse that ended early
     * left unread (sha256_reader_end reads that). */
    sha256_reader *r = sha256_reader_new(f, sha256 != NULL);
    if (!r) {
        fclose(f);
        diag_error(d, path, 0, "out of memory");
        return -1;
    }
    xml_source src = {.r = r};
    int rc = parse_source(&src, path, h, ud, d);
    sha256_reader_end(r, sha256);
    fclose(f);
    return rc;
}

int xml_stream_parse_mem(const char *buf, size_t len, const char *name, const xml_handlers *h, void *ud,
                         rhv_diag *d)
{
    xml_source src = {.mem = buf, .len = len};
    return parse_source(&src, name, h, ud, d);
}
