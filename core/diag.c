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

static void print_msg(FILE *out, diag_level lv, const char *file, long line, const char *msg)
{
    if (line > 0)
        fprintf(out, "%s:%ld: %s: %s\n", file ? file : "rhv", line, lv == DIAG_ERROR ? "error" : "warning", msg);
    else
        fprintf(out, "%s: %s: %s\n", file ? file : "rhv", lv == DIAG_ERROR ? "error" : "warning", msg);
}

static void vadd(rhv_diag *d, diag_level lv, const char *file, long line, const char *fmt, va_list ap)
{
    char buf[1024];
    vsnprintf(buf, sizeof buf, fmt, ap);
    if (lv == DIAG_ERROR)
        d->errors++;
    else
        d->warnings++;
    if (d->out)
        print_msg(d->out, lv, file, line, buf);
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

diag_held diag_hold(rhv_diag *d)
{
    diag_held h = {d->out, d->n};
    d->out = NULL;
    return h;
}

void diag_drop_held(rhv_diag *d, const diag_held *h, const char *file, size_t keep)
{
    size_t o = h->from;
    for (size_t i = h->from; i < d->n; i++) {
        diag_msg *m = &d->msgs[i];
        if (i != keep && file && strcmp(m->file, file) == 0) {
            if (m->level == DIAG_ERROR)
                d->errors--;
            else
                d->warnings--;
            free(m->file);
            free(m->message);
            continue;
        }
        d->msgs[o++] = *m;
    }
    d->n = o;
}

void diag_release(rhv_diag *d, const diag_held *h)
{
    d->out = h->out;
    if (!d->out)
        return;
    for (size_t i = h->from; i < d->n; i++)
        print_msg(d->out, d->msgs[i].level, d->msgs[i].file, d->msgs[i].line, d->msgs[i].message);
}
