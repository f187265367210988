/* diag.c - see diag.h */
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void diag_init(rhv_diag *d, FILE *out)
{
    memset(d, 0, sizeof *d);
    d->out = out;
}

void diag_free(rhv_diag *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->msgs[i].file);
        free(d->msgs[i].message);
    }
    free(d->msgs);
    d->msgs = NULL;
    d->n = d->cap = 0;
}

static void vadd(rhv_diag *d, diag_level lv, const char *file, long line, const char *fmt, va_list ap)
{
    char buf[1024];
    vsnprintf(buf, sizeof buf, fmt, ap);
    if (lv == DIAG_ERROR)
        d->errors++;
    else
        d->warnings++;
    if (d->out) {
        if (line > 0)
            fprintf(d->out, "%s:%ld: %s: %s\n", file ? file : "rhv", line,
                    lv == DIAG_ERROR ? "error" : "warning", buf);
        else
            fprintf(d->out, "%s: %s: %s\n", file ? file : "rhv",
                    lv == DIAG_ERROR ? "error" : "warning", buf);
    }
    if (d->n == d->cap) {
        size_t nc = d->cap ? d->cap * 2 : 16;
        diag_msg *m = realloc(d->msgs, nc * sizeof *m);
        if (!m)
            return;
        d->msgs = m;
        d->cap = nc;
    }
    char *f = strdup(file ? file : "rhv");
    char *msg = strdup(buf);
    if (!f || !msg) {
        free(f);
        free(msg);
        return;
    }
    d->msgs[d->n++] = (diag_msg){lv, f, line, msg};
}

void diag_error(rhv_diag *d, const char *file, long line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vadd(d, DIAG_ERROR, file, line, fmt, ap);
    va_end(ap);
}

void diag_warning(rhv_diag *d, const char *file, long line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vadd(d, DIAG_WARNING, file, line, fmt, ap);
    va_end(ap);
}

int diag_contains(const rhv_diag *d, const char *needle)
{
    for (size_t i = 0; i < d->n; i++)
        if (strstr(d->msgs[i].message, needle) || strstr(d->msgs[i].file, needle))
            return 1;
    return 0;
}
