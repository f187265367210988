/* handled_xml.h - the small XML files beside a dossier (beoordelingen,
 * scenario): read the dossier's way.
 *
 * Why it exists: these files are written by the same people as the dossier,
 * so they follow its rules: namespace urn:rhv:dossier:1, the secure streaming
 * reader (xml_stream.h), values as attributes, exact lines (the dossier's
 * line scanner), one message per mistake with file:line, reading on after an
 * error. Each file is a root element holding childless entry elements.
 *
 * Contract: hx_read() checks the root's name and namespace and that every
 * child is one of spec->children without children or text of its own; it
 * hands each entry to spec->entry with its line and per-attribute lines.
 * hx_take() copies the named attributes (trimmed, malloc'd) and reports an
 * unknown, missing or empty one. 0: read without errors; -1: reported in d.
 */
#ifndef RHV_HANDLED_XML_H
#define RHV_HANDLED_XML_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "xml_stream.h"

typedef struct hx_reader hx_reader;

typedef struct {
    const char *root;
    const char *const *children;   /* NULL-terminated */
    /* The root's and each entry's attributes; which is -1 for the root. */
    void (*entry)(void *ud, hx_reader *r, int which, const xml_attr *attrs, int nattrs);
} hx_spec;

int hx_read(const char *path, const hx_spec *spec, void *ud, rhv_diag *d);

/* names: NULL-terminated; required: bit i for names[i]. vals[i] NULL when absent.
 * 0 ok; -1 reported (vals still hold what was taken: free with hx_free_vals). */
int hx_take(hx_reader *r, const char *elem, const xml_attr *attrs, int nattrs, const char *const *names,
            unsigned required, char **vals);
void hx_free_vals(char **vals, size_t n);

/* The current entry's line, and the line of its attribute `name` (the entry's when absent). */
long hx_line(const hx_reader *r);
long hx_attr_line(const hx_reader *r, const xml_attr *attrs, int nattrs, const char *name);
const char *hx_path(const hx_reader *r);
void hx_err(hx_reader *r, long line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
