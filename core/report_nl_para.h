/* report_nl_para.h - the one helper the report_nl*.c files share; private to
 * them (writers include report_nl.h only).
 *
 * Contract: para() formats one paragraph (printf-style) and hands it to emit
 * as a single string, freed afterwards; 0, or -1 when memory ran out (then
 * nothing is emitted). Static so that each sentence file keeps the short
 * name its calls are laid out for; the definition is here, once.
 */
#ifndef RHV_REPORT_NL_PARA_H
#define RHV_REPORT_NL_PARA_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "report_nl.h"

static inline int para(report_emit emit, void *ctx, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static inline int para(report_emit emit, void *ctx, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    char *s = n < 0 ? NULL : malloc((size_t)n + 1);
    if (s)
        vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    if (!s)
        return -1;
    emit(ctx, s);
    free(s);
    return 0;
}

#endif
