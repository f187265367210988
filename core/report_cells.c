/* report_cells.c - values for the cells of the HTML, workbook and CSV
 * writers (see report_cells.h). */
#include "report_cells.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at s (1-4), or 0 if it is not valid. */
static size_t utf8_seq(const unsigned char *s)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t n;
    unsigned min, cp;
    if ((c & 0xE0) == 0xC0) { n = 2; cp = c & 0x1F; min = 0x80; }
    else if ((c & 0xF0) == 0xE0) { n = 3; cp = c & 0x0F; min = 0x800; }
    else if ((c & 0xF8) == 0xF0) { n = 4; cp = c & 0x07; min = 0x10000; }
    else return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

char *report_utf8(const char *s, bool *oom)
{
    *oom = false;
    if (!s)
        return NULL;
    size_t len = strlen(s);
    if (len > (SIZE_MAX - 1) / 3) {
        *oom = true;
        return NULL;
    }
    char *out = malloc(len * 3 + 1);
    if (!out) {
        *oom = true;
        return NULL;
    }
    const unsigned char *p = (const unsigned char *)s;
    size_t o = 0;
    while (*p) {
        size_t n = utf8_seq(p);
        if (n == 0) {
            memcpy(out + o, "\xEF\xBF\xBD", 3);
            o += 3;
            p++;
        } else {
            memcpy(out + o, p, n);
            o += n;
            p += n;
        }
    }
    out[o] = '\0';
    return out;
}

char *report_decimal(rhv_cents c, char sep, char buf[MONEY_FMT_MAX])
{
    money_format_plain(c, buf);
    char *dot = strchr(buf, '.');
    if (dot)
        *dot = sep;
    return buf;
}

const char *report_list_name(report_list_kind k)
{
    switch (k) {
    case REPORT_LIST_REPORTABLE: return "toelichting";
    case REPORT_LIST_ACCEPTABEL: return "acceptabel";
    case REPORT_LIST_SIGNALERING: return "signalering";
    case REPORT_LIST_SMALL: return "bijlage";
    case REPORT_LIST_AFGEHANDELD: return "afgehandeld";
    }
    return "?";
}

int report_each_finding(const rhv_report *r, report_finding_fn fn, void *ctx)
{
    static const report_list_kind order[] = {REPORT_LIST_REPORTABLE, REPORT_LIST_ACCEPTABEL,
                                             REPORT_LIST_SIGNALERING, REPORT_LIST_SMALL, REPORT_LIST_AFGEHANDELD};
    enum { NLISTS = sizeof order / sizeof order[0] };
    const rhv_finding **lists[NLISTS] = {NULL};
    size_t n[NLISTS] = {0};
    for (size_t i = 0; i < NLISTS; i++) {
        if (report_list(r, order[i], &lists[i], &n[i]) != 0) {
            for (size_t j = 0; j < i; j++)
                free(lists[j]);
            return -1;
        }
    }
    int rc = 0;
    size_t no = 0;
    for (size_t i = 0; i < NLISTS; i++) {
        for (size_t j = 0; j < n[i]; j++) {
            int x = fn(ctx, ++no, order[i], lists[i][j]);
            if (x != 0)
                rc = x;
        }
        free(lists[i]);
    }
    return rc;
}
