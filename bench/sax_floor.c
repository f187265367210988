/* sax_floor.c - the floor of rhv's design: libxml2's push parser with
 * callbacks that do nothing, fed in 64 KiB reads as core/xml_stream.c does.
 * What `rhv check` costs above this is rhv's own (records, hashing, rules).
 *
 * usage: sax_floor 1|2 FILE   (1: the SAX1 interface, no namespace
 *        processing; 2: SAX2, startElementNs, as rhv uses)
 * build: cc -O2 -o sax_floor bench/sax_floor.c $(pkg-config --cflags --libs libxml-2.0)
 */
#include <libxml/parser.h>
#include <stdio.h>
#include <string.h>

static long elements;

static void start1(void *c, const xmlChar *name, const xmlChar **atts)
{
    (void)c, (void)name, (void)atts;
    elements++;
}

static void end1(void *c, const xmlChar *name)
{
    (void)c, (void)name;
}

static void start2(void *c, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri, int nns,
                   const xmlChar **ns, int natts, int ndefaulted, const xmlChar **atts)
{
    (void)c, (void)local, (void)prefix, (void)uri, (void)nns, (void)ns, (void)natts, (void)ndefaulted, (void)atts;
    elements++;
}

static void end2(void *c, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
    (void)c, (void)local, (void)prefix, (void)uri;
}

static void text(void *c, const xmlChar *s, int len)
{
    (void)c, (void)s, (void)len;
}

int main(int argc, char **argv)
{
    if (argc != 3 || (strcmp(argv[1], "1") != 0 && strcmp(argv[1], "2") != 0)) {
        fprintf(stderr, "usage: sax_floor 1|2 FILE\n");
        return 2;
    }
    xmlSAXHandler h;
    memset(&h, 0, sizeof h);
    if (argv[1][0] == '1') {
        h.startElement = start1;
        h.endElement = end1;
    } else {
        h.initialized = XML_SAX2_MAGIC;
        h.startElementNs = start2;
        h.endElementNs = end2;
    }
    h.characters = text;
    h.ignorableWhitespace = text;
    FILE *f = fopen(argv[2], "rb");
    if (!f) {
        perror(argv[2]);
        return 2;
    }
    static char buf[65536];
    size_t k = fread(buf, 1, sizeof buf, f);
    xmlParserCtxtPtr ctx = xmlCreatePushParserCtxt(&h, NULL, buf, (int)k, argv[2]);
    if (!ctx) {
        fclose(f);
        return 2;
    }
    xmlCtxtUseOptions(ctx, XML_PARSE_NONET | XML_PARSE_NOENT);
    while ((k = fread(buf, 1, sizeof buf, f)) > 0)
        xmlParseChunk(ctx, buf, (int)k, 0);
    xmlParseChunk(ctx, NULL, 0, 1);
    int ok = ctx->wellFormed;
    printf("%ld elements, well-formed: %s\n", elements, ok ? "yes" : "no");
    xmlFreeParserCtxt(ctx);
    fclose(f);
    return ok ? 0 : 1;
}
