/* report_html_out.c - see report_html_out.h */
#include "report_html_out.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

void html_put(html_ctx *c, const char *s)
{
    if (fputs(s, c->out) == EOF)
        c->err = 1;
}

void html_putf(html_ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (vfprintf(c->out, fmt, ap) < 0)
        c->err = 1;
    va_end(ap);
}

/* s as HTML text (also safe inside a quoted attribute); NULL writes nothing.
 * The space after a euro sign does not break, as in the text report. */
void html_esc(html_ctx *c, const char *s)
{
    bool oom;
    char *v = report_utf8(s, &oom);
    if (!v) {
        if (oom)
            c->err = 1;
        return;
    }
    for (const char *p = v; *p; p++) {
        switch (*p) {
        case '&': html_put(c, "&amp;"); break;
        case '<': html_put(c, "&lt;"); break;
        case '>': html_put(c, "&gt;"); break;
        case '"': html_put(c, "&quot;"); break;
        case '\'': html_put(c, "&#39;"); break;
        case ' ':
            if (p - v >= 3 && memcmp(p - 3, "\xe2\x82\xac", 3) == 0)
                html_put(c, "&nbsp;");
            else
                html_put(c, " ");
            break;
        default:
            if (fputc(*p, c->out) == EOF)
                c->err = 1;
        }
    }
    free(v);
}

/* <tag class="cls">escaped text</tag>; cls may be NULL. */
void html_elem(html_ctx *c, const char *tag, const char *cls, const char *text)
{
    if (cls)
        html_putf(c, "<%s class=\"%s\">", tag, cls);
    else
        html_putf(c, "<%s>", tag);
    html_esc(c, text);
    html_putf(c, "</%s>\n", tag);
}

void html_amount(html_ctx *c, rhv_cents v)
{
    char b[MONEY_FMT_MAX];
    html_esc(c, money_format(v, b));
}
