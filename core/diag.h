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

#endif
