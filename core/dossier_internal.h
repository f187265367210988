/* dossier_internal.h - what the dossier reader's files share; not for other modules.
 *
 * The reader (dossier.h) is split by what each part does:
 *   dossier.c          the element/section state machine (what may stand
 *                      where), the reader's messages and error cap, and the
 *                      public dossier_read/dossier_free
 *   dossier_lines.c    the lock-step tag scanner: the exact line of each '<'
 *                      and of each attribute
 *   dossier_keys.c     the set of keys that must be unique in one dossier
 *
 * Names shared between these files start with ds_ (the engine's keyset.h
 * is a different thing: rules' fingerprint sets, not exact keys).
 */
#ifndef RHV_DOSSIER_INTERNAL_H
#define RHV_DOSSIER_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define DS_TAG_ATTR_MAX 64 /* = xml_stream's ATTR_MAX */

/* XML's four white-space characters; the scanner and the value parsers must agree. */
static inline int ds_is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* ---- dossier_lines.c ------------------------------------------------------
 * libxml2 reports the line of a start tag's closing '>'. The scanner reads the
 * same file in lock-step and gives the line of the tag's '<' and of each
 * attribute, checked against libxml2 on every tag; at the first disagreement
 * it switches itself off for the rest of the file and libxml2's line is used.
 * So a line is exact or libxml2's, never invented. */
typedef struct {
    FILE *f;
    int on;
    long line;
    char name[128];
    size_t name_len;
    long start_line, end_line;
    long attr_line[DS_TAG_ATTR_MAX];
    int nattr;
} ds_lines;

/* Opens path for scanning; when it cannot be opened the scanner is off. */
void ds_lines_open(ds_lines *ts, const char *path);
/* Steps to the start tag libxml2 just reported (local name, attribute count,
 * line of its '>'). Sets *line to the line of its '<' and *attr_lines to one
 * line per attribute, or, when the scanner is (or now goes) off, to xml_line
 * and NULL. Call it for every start tag, skipped ones too, to stay in step. */
void ds_lines_follow(ds_lines *ts, const char *local, int nattrs, long xml_line, long *line,
                     const long **attr_lines);
void ds_lines_close(ds_lines *ts);

/* ---- dossier_keys.c -------------------------------------------------------
 * Exact (not fingerprinted) keys, each under a kind byte so that a programma
 * code and a reserve code never collide; one arena and an open-addressing
 * table, so a record costs no allocation beyond arena growth. */
typedef struct {
    uint64_t hash;
    size_t off, len; /* in the arena; len 0 = empty slot (keys are never empty: kind byte) */
    long line;
} ds_key_slot;

typedef struct {
    char *arena;
    size_t alen, acap;
    ds_key_slot *slots;
    size_t nslots, used;
} ds_keyset;

/* Looks up kind+s. Returns the line of an earlier entry (> 0), 0 when new
 * (inserted with `line` if insert is set), -1 when out of memory. */
long ds_keys_check(ds_keyset *k, char kind, const char *s, size_t n, long line, int insert);
void ds_keys_free(ds_keyset *k);

#endif
