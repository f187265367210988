/* diag.h - diagnostics for bad input and failing rules.
 *
 * Contract: every message names where it comes from as "file:line: " (line 0
 * means the file as a whole). Messages are printed to the stream given at
 * creation (stderr in the CLI, NULL to stay quiet in tests) and kept in order,
 * so a report can list them. A diag never fails: if memory runs out the message
 * is still counted and printed, only not kept.
 */
#ifndef RHV_DIAG_H
#define RHV_DIAG_H

#include <stddef.h>
#include <stdio.h>

typedef enum { DIAG_ERROR, DIAG_WARNING } diag_level;

typedef struct {
    diag_level level;
    char *file;
    long line;
    char *message;
} diag_msg;

typedef struct {
    FILE *out;
    size_t errors, warnings;
    diag_msg *msgs;
    size_t n, cap;
} rhv_diag;

void diag_init(rhv_diag *d, FILE *out);
void diag_free(rhv_diag *d);
void diag_error(rhv_diag *d, const char *file, long line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void diag_warning(rhv_diag *d, const char *file, long line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Did any message so far contain `needle`? (for tests) */
int diag_contains(const rhv_diag *d, const char *needle);

/* Holding messages back (xml_stream: a file that turns out malformed gets one
 * message, not the cascade its readers reported before libxml2 noticed).
 * diag_hold stops printing and returns where the held messages start;
 * diag_drop_held removes the held messages about `file` except message
 * `keep` (and uncounts them); diag_release prints what is held, in order,
 * exactly as it would have been printed, and prints as usual again. */
typedef struct {
    FILE *out;
    size_t from;
} diag_held;
diag_held diag_hold(rhv_diag *d);
void diag_drop_held(rhv_diag *d, const diag_held *h, const char *file, size_t keep);
void diag_release(rhv_diag *d, const diag_held *h);

#endif
