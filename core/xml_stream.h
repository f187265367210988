/* xml_stream.h - the one place rhv parses XML: a secure, streaming SAX2 reader.
 *
 * Contract:
 * - Reads the file in 128 KiB blocks (hash.h's reader) through libxml2's SAX2 parser; memory does
 *   not grow with the file. Never touches the network, never loads an external
 *   entity, and refuses any DTD (<!DOCTYPE ...>) outright, so no entity can be
 *   declared or expanded (no billion laughs, no XXE).
 * - Calls start() for every element with its namespace URI (or NULL), local name,
 *   attributes and line; calls end() with the text content directly inside the
 *   element (the characters since its start tag, as-is, not trimmed; nested
 *   elements' text is not included once they close); xml_stream_line() gives
 *   the line of the end tag when a handler needs it.
 * - A handler stops the parse with xml_stream_stop(). Stopping frees libxml2's
 *   input buffer, which the attribute values of start() point into: call it
 *   only after the handler is done with its attributes, and return at once.
 *   Malformed XML is reported
 *   as a diag error with file:line and the parse returns -1.
 * - A file that is not well-formed gets exactly one message: libxml2's first
 *   error in rhv's words with the fix (unclosed element and where it opened,
 *   a bare '&', a byte that is not UTF-8). What the handlers reported about
 *   the file during that parse is dropped, as the cascade of that one
 *   mistake; messages are held back during a parse and printed at its end.
 * - Encoding: UTF-8 (with or without BOM) and ISO-8859-1 as declared; strings
 *   reach the handlers as UTF-8. UTF-16 and UTF-32 are refused with one
 *   message (xml_encoding_unsupported).
 */
#ifndef RHV_XML_STREAM_H
#define RHV_XML_STREAM_H

#include <stddef.h>

#include "diag.h"
#include "hash.h"

typedef struct {
    const char *name;   /* local name */
    const char *ns;     /* namespace URI or NULL */
    const char *value;  /* not NUL-terminated */
    size_t len;
} xml_attr;

typedef struct xml_stream xml_stream;

typedef struct {
    void (*start)(void *ud, xml_stream *xs, const char *ns, const char *local,
                  const xml_attr *attrs, int nattrs, long line);
    void (*end)(void *ud, xml_stream *xs, const char *ns, const char *local,
                const char *text, size_t len);
} xml_handlers;

/* 0: parsed to the end (handlers may still have reported errors);
 * -1: the file could not be read, is not well-formed, or was stopped. */
int xml_stream_parse(const char *path, const xml_handlers *h, void *ud, rhv_diag *d);
/* The same parse, and sha256 (when not NULL) gets the SHA-256 of the whole
 * file from the same reads: the bytes the parser pulled and, when the parse
 * ended early, the rest of the file read after it. sha256 is "" when the file
 * could not be read to its end or memory ran out: hash it apart then. */
int xml_stream_parse_hashed(const char *path, const xml_handlers *h, void *ud, rhv_diag *d,
                            char sha256[SHA256_HEX_LEN]);
/* The same parse over len bytes at buf (the fuzz targets' entry); name is
 * used only in messages and by xml_stream_path(). buf must outlive the call. */
int xml_stream_parse_mem(const char *buf, size_t len, const char *name, const xml_handlers *h, void *ud,
                         rhv_diag *d);
void xml_stream_stop(xml_stream *xs);
/* "UTF-16 is not supported: save as UTF-8" (or UTF-32) when the first bytes
 * (BOM or "<" as UTF-16) say so, else NULL. The file variant reads the first
 * bytes of path (NULL when it cannot be read). */
const char *xml_encoding_unsupported(const unsigned char *p, size_t n);
const char *xml_file_encoding_unsupported(const char *path);
/* Current line (for messages from inside a handler). */
long xml_stream_line(xml_stream *xs);
const char *xml_stream_path(xml_stream *xs);

#endif
