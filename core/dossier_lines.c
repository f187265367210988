/* dossier_lines.c - the exact line of each start tag's '<' and of each of its
 * attributes (contract in dossier_internal.h).
 *
 * Why it exists: libxml2 reports the line of a start tag's closing '>', which
 * for a record written over several lines is not where the reader looks. This
 * second, trivial scanner walks the same file in lock-step. It is checked
 * against libxml2 on every tag (same name, same attribute count, same '>'
 * line); at the first disagreement it is switched off and libxml2's lines are
 * used. It understands only what a well-formed dossier can hold (comments,
 * processing instructions, CDATA, end tags); anything else switches it off.
 */
#include "dossier_internal.h"

#include <string.h>

static int ts_get(ds_lines *ts)
{
    int c;
    if (ts->f)
        c = getc(ts->f);
    else
        c = ts->mem_pos < ts->mem_len ? (unsigned char)ts->mem[ts->mem_pos++] : EOF;
    if (c == '\n')
        ts->line++;
    return c;
}

/* Skips to just after `end` (a short literal); -1 at EOF. */
static int ts_skip_to(ds_lines *ts, const char *end)
{
    size_t n = strlen(end), k = 0;
    int c;
    while ((c = ts_get(ts)) != EOF) {
        if (c == end[k]) {
            if (++k == n)
                return 0;
        } else {
            k = (c == end[0]) ? 1 : 0;
        }
    }
    return -1;
}


/* Advances to the next start tag and records its lines; -1 when lost. */
static int ts_next(ds_lines *ts)
{
    int c;
    for (;;) {
        c = ts_get(ts);
        if (c == EOF)
            return -1;
        if (c != '<')
            continue;
        c = ts_get(ts);
        if (c == '?') {
            if (ts_skip_to(ts, "?>") != 0)
                return -1;
        } else if (c == '!') {
            int c2 = ts_get(ts);
            if (c2 == '-') {
                if (ts_get(ts) != '-' || ts_skip_to(ts, "-->") != 0)
                    return -1;
            } else if (c2 == '[') {
                if (ts_skip_to(ts, "]]>") != 0)
                    return -1;
            } else {
                return -1; /* DOCTYPE: refused by xml_stream anyway */
            }
        } else if (c == '/') {
            if (ts_skip_to(ts, ">") != 0)
                return -1;
        } else if (c == EOF) {
            return -1;
        } else {
            break;
        }
    }
    ts->start_line = ts->line;
    ts->name_len = 0;
    while (c != EOF && !ds_is_space(c) && c != '/' && c != '>') {
        if (ts->name_len + 1 >= sizeof ts->name)
            return -1;
        ts->name[ts->name_len++] = (char)c;
        c = ts_get(ts);
    }
    ts->name[ts->name_len] = '\0';
    ts->nattr = 0;
    for (;;) {
        while (ds_is_space(c))
            c = ts_get(ts);
        if (c == EOF)
            return -1;
        if (c == '/')
            c = ts_get(ts);
        if (c == '>') {
            ts->end_line = ts->line;
            return 0;
        }
        long aline = ts->line;
        char an[6];
        size_t al = 0;
        while (c != EOF && c != '=' && !ds_is_space(c)) {
            if (al < sizeof an)
                an[al] = (char)c;
            al++;
            c = ts_get(ts);
        }
        while (ds_is_space(c))
            c = ts_get(ts);
        if (c != '=')
            return -1;
        c = ts_get(ts);
        while (ds_is_space(c))
            c = ts_get(ts);
        if (c != '"' && c != '\'')
            return -1;
        int q = c;
        while ((c = ts_get(ts)) != EOF && c != q)
            ;
        if (c == EOF)
            return -1;
        /* Namespace declarations are not attributes in SAX2. */
        int is_ns = al >= 5 && memcmp(an, "xmlns", 5) == 0 && (al == 5 || (al > 5 && an[5] == ':'));
        if (!is_ns) {
            if (ts->nattr >= DS_TAG_ATTR_MAX)
                return -1;
            ts->attr_line[ts->nattr++] = aline;
        }
        c = ts_get(ts);
    }
}

void ds_lines_open(ds_lines *ts, const char *path)
{
    memset(ts, 0, sizeof *ts);
    ts->f = fopen(path, "rb");
    ts->on = ts->f != NULL;
    ts->line = 1;
}

void ds_lines_open_mem(ds_lines *ts, const char *buf, size_t len)
{
    memset(ts, 0, sizeof *ts);
    ts->mem = buf;
    ts->mem_len = len;
    ts->on = buf != NULL;
    ts->line = 1;
}

void ds_lines_follow(ds_lines *ts, const char *local, int nattrs, long xml_line, long *line,
                     const long **attr_lines)
{
    *line = xml_line;
    *attr_lines = NULL;
    if (!ts->on)
        return;
    const char *colon = NULL;
    if (ts_next(ts) == 0)
        colon = strchr(ts->name, ':');
    const char *tl = colon ? colon + 1 : ts->name;
    if (ts->name_len && strcmp(tl, local) == 0 && ts->nattr == nattrs && ts->end_line == xml_line) {
        *line = ts->start_line;
        *attr_lines = ts->attr_line;
    } else {
        ts->on = 0;
    }
}

void ds_lines_close(ds_lines *ts)
{
    if (ts->f)
        fclose(ts->f);
    ts->f = NULL;
}
