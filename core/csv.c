/* csv.c - see csv.h.
 *
 * Why one pass over bytes: the separator, the quote and the line break are
 * ASCII, and in UTF-8 and Windows-1252 alike an ASCII byte is only ever that
 * character; so a row is split on bytes first and each cell decoded after,
 * which lets an encoding error name its cell.
 *
 * Memory: the file (bounded), and one buffer for the row being read, which
 * holds its decoded cells one after the other; nothing per row beyond it.
 */
#include "csv.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define CSV_MAX_CELLS 16384

/* Windows-1252 0x80..0x9F; 0: no character there. */
static const unsigned short cp1252_high[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

typedef struct {
    const csv_opts *o;
    csv_err_fn err;
    void *ud;
    char sep;
    char *buf;
    size_t blen, bcap;
    size_t *off, *len;
    csv_cell *cells;
    int ccap;
} rd;

static void errf(rd *x, long line, int col, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void errf(rd *x, long line, int col, const char *fmt, ...)
{
    char m[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m, sizeof m, fmt, ap);
    va_end(ap);
    x->err(x->ud, line, col, m);
}

static int reserve(rd *x, size_t more)
{
    if (x->blen + more <= x->bcap)
        return 0;
    size_t nc = x->bcap ? x->bcap : 256;
    while (nc < x->blen + more)
        nc *= 2;
    char *nb = realloc(x->buf, nc);
    if (!nb)
        return -1;
    x->buf = nb;
    x->bcap = nc;
    return 0;
}

static int put(rd *x, unsigned char c)
{
    if (reserve(x, 1) != 0)
        return -1;
    x->buf[x->blen++] = (char)c;
    return 0;
}

/* Offset of the first byte of s[0..n) that is not well-formed UTF-8, or n. */
static size_t utf8_bad_at(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        size_t k;
        unsigned min, cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            k = 1, min = 0x80, cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            k = 2, min = 0x800, cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            k = 3, min = 0x10000, cp = c & 0x07;
        } else {
            return i;
        }
        if (i + k >= n)
            return i;
        for (size_t j = 1; j <= k; j++) {
            if ((s[i + j] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (s[i + j] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += k + 1;
    }
    return n;
}

/* Windows-1252 bytes at buf[from..blen) to UTF-8, in place (growing the
 * buffer); -2 out of memory, -1 and *bad set for a byte with no character. */
static int from_cp1252(rd *x, size_t from, unsigned char *bad)
{
    size_t extra = 0;
    for (size_t i = from; i < x->blen; i++) {
        unsigned char c = (unsigned char)x->buf[i];
        if (c >= 0x80 && c <= 0x9F && !cp1252_high[c - 0x80]) {
            *bad = c;
            return -1;
        }
        unsigned cp = c < 0x80 ? c : c <= 0x9F ? cp1252_high[c - 0x80] : c;
        extra += cp < 0x80 ? 0 : cp < 0x800 ? 1 : 2;
    }
    if (extra == 0)
        return 0;
    if (reserve(x, extra) != 0)
        return -2;
    size_t w = x->blen + extra;
    for (size_t i = x->blen; i-- > from;) {
        unsigned char c = (unsigned char)x->buf[i];
        unsigned cp = c < 0x80 ? c : c <= 0x9F ? cp1252_high[c - 0x80] : c;
        if (cp < 0x80) {
            x->buf[--w] = (char)cp;
        } else if (cp < 0x800) {
            x->buf[--w] = (char)(0x80 | (cp & 0x3F));
            x->buf[--w] = (char)(0xC0 | (cp >> 6));
        } else {
            x->buf[--w] = (char)(0x80 | (cp & 0x3F));
            x->buf[--w] = (char)(0x80 | ((cp >> 6) & 0x3F));
            x->buf[--w] = (char)(0xE0 | (cp >> 12));
        }
    }
    x->blen += extra;
    return 0;
}

/* The separator of the first line (outside quotes): ';' or ','; 0 reported. */
static char detect(rd *x, const unsigned char *p, const unsigned char *end)
{
    int semi = 0, comma = 0, inq = 0;
    for (; p < end && (inq || *p != '\n'); p++) {
        if (*p == '"')
            inq = !inq;
        else if (!inq && *p == ';')
            semi++;
        else if (!inq && *p == ',')
            comma++;
    }
    if (semi && comma) {
        errf(x, 1, 0, "the first line has both ';' and ','; say which one separates the cells (scheiding=\";\" or "
             "scheiding=\",\")");
        return 0;
    }
    if (!semi && !comma) {
        errf(x, 1, 0, "the first line has no ';' or ','; the first line names the columns, separated by ';' or ','");
        return 0;
    }
    return semi ? ';' : ',';
}

static int read_file(const char *path, rd *x, unsigned char **data, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        errf(x, 0, 0, "cannot open the register: %s", strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        errf(x, 0, 0, "not a regular file");
        fclose(f);
        return -1;
    }
    if (st.st_size > CSV_MAX_BYTES) {
        errf(x, 0, 0, "the register is %lld bytes, more than the %ld MiB a register may have", (long long)st.st_size,
             CSV_MAX_BYTES >> 20);
        fclose(f);
        return -1;
    }
    size_t n = (size_t)st.st_size;
    *data = malloc(n ? n : 1);
    if (!*data) {
        errf(x, 0, 0, "out of memory");
        fclose(f);
        return -1;
    }
    *size = fread(*data, 1, n, f);
    int e = ferror(f);
    fclose(f);
    if (e || *size != n) {
        errf(x, 0, 0, "cannot read the register");
        free(*data);
        return -1;
    }
    return 0;
}

/* Ends the cell that started at `from` in column col (line: where it
 * starts): decoded, checked, NUL-terminated. 0 ok, 1 bad (reported), -1 out of memory. */
static int end_cell(rd *x, size_t from, int col, long line, int ncell)
{
    /* An empty cell has nothing to check; the buffer may not exist yet (NULL + 0 is undefined). */
    if (x->blen > from && memchr(x->buf + from, '\0', x->blen - from)) {
        errf(x, line, col + 1, "a NUL byte in the cell; is the file UTF-16? save it as UTF-8 (CSV UTF-8)");
        return 1;
    }
    if (x->blen == from) {
        /* nothing to decode */
    } else if (x->o->cp1252) {
        unsigned char bad = 0;
        int rc = from_cp1252(x, from, &bad);
        if (rc == -2)
            return -1;
        if (rc == -1) {
            errf(x, line, col + 1, "byte 0x%02X is not a Windows-1252 character; is the file in another encoding?", bad);
            return 1;
        }
    } else {
        size_t at = utf8_bad_at((const unsigned char *)x->buf + from, x->blen - from);
        if (at < x->blen - from) {
            errf(x, line, col + 1,
                 "not UTF-8 (byte 0x%02X); save the file as UTF-8, or say in the register that it is Windows-1252 "
                 "(codering=\"windows-1252\")",
                 (unsigned char)x->buf[from + at]);
            return 1;
        }
    }
    if (ncell >= x->ccap) {
        int nc = x->ccap ? x->ccap : 32;
        while (nc <= ncell)
            nc *= 2;
        size_t *no = realloc(x->off, (size_t)nc * sizeof *no);
        if (!no)
            return -1;
        x->off = no;
        size_t *nl = realloc(x->len, (size_t)nc * sizeof *nl);
        if (!nl)
            return -1;
        x->len = nl;
        csv_cell *ncl = realloc(x->cells, (size_t)nc * sizeof *ncl);
        if (!ncl)
            return -1;
        x->cells = ncl;
        x->ccap = nc;
    }
    x->off[ncell] = from;
    x->len[ncell] = x->blen - from;
    return put(x, '\0') == 0 ? 0 : -1;
}

/* A quoted cell at *pp (on its opening quote), into x's buffer; *pp ends after
 * it. 0, 1 (text after the closing quote: reported, skipped to the cell's
 * end), -1 (never closed: reported) or -2 (out of memory). */
static int quoted_cell(rd *x, const unsigned char **pp, const unsigned char *end, long *line, long cell_line,
                       int ncell)
{
    const unsigned char *p = *pp + 1;
    int bad = 0;
    for (;;) {
        if (p == end) {
            errf(x, cell_line, ncell + 1, "the quote that opens this cell is never closed");
            return -1;
        }
        if (*p == '"') {
            if (p + 1 < end && p[1] == '"') {
                p += 2;
                if (put(x, '"') != 0)
                    return -2;
                continue;
            }
            p++;
            break;
        }
        if (*p == '\n')
            (*line)++;
        if (put(x, *p++) != 0)
            return -2;
    }
    if (p < end && *p == '\r' && p + 1 < end && p[1] == '\n')
        p++;
    if (p < end && *p != x->sep && *p != '\n') {
        errf(x, cell_line, ncell + 1, "text after the closing quote; a quote inside a quoted cell is "
             "written twice (\"\")");
        bad = 1;
        while (p < end && *p != x->sep && *p != '\n')
            p++;
    }
    *pp = p;
    return bad;
}

int csv_read(const char *path, const csv_opts *opts, csv_row_fn row_fn, csv_err_fn err, void *ud)
{
    rd x;
    memset(&x, 0, sizeof x);
    x.o = opts;
    x.err = err;
    x.ud = ud;
    unsigned char *data = NULL;
    size_t size = 0;
    if (read_file(path, &x, &data, &size) != 0)
        return -1;
    const unsigned char *p = data, *end = data + size;
    int rc = -1;
    if (size >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF))) {
        errf(&x, 1, 0, "the file is UTF-16; save it as UTF-8 (CSV UTF-8) or Windows-1252");
        goto out;
    }
    if (size >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
        if (opts->cp1252) {
            errf(&x, 1, 0, "the file starts with a UTF-8 byte order mark, but the register says it is Windows-1252; "
                 "drop codering=\"windows-1252\"");
            goto out;
        }
        p += 3;
    }
    x.sep = opts->sep ? opts->sep : detect(&x, p, end);
    if (!x.sep)
        goto out;
    long line = 1;
    while (p < end) {
        long row_line = line;
        int ncell = 0, bad = 0;
        x.blen = 0;
        for (;;) {
            size_t from = x.blen;
            long cell_line = line;
            if (ncell >= CSV_MAX_CELLS) {
                errf(&x, row_line, 0, "more than %d cells in one row", CSV_MAX_CELLS);
                goto out;
            }
            if (p < end && *p == '"') {
                int q = quoted_cell(&x, &p, end, &line, cell_line, ncell);
                if (q == -2)
                    goto oom;
                if (q == -1)
                    goto out;
                bad |= q;
            } else {
                int quote = 0;
                while (p < end && *p != x.sep && *p != '\n') {
                    quote |= *p == '"';
                    if (put(&x, *p++) != 0)
                        goto oom;
                }
                if (x.blen > from && x.buf[x.blen - 1] == '\r' && (p == end || *p == '\n'))
                    x.blen--;
                if (quote) {
                    errf(&x, cell_line, ncell + 1, "a quote inside a cell that does not start with one; put the "
                         "cell in quotes and write the quote twice (\"\")");
                    bad = 1;
                }
            }
            int e = bad ? 0 : end_cell(&x, from, ncell, cell_line, ncell);
            if (e < 0)
                goto oom;
            bad |= e;
            ncell++;
            if (p < end && *p == x.sep) {
                p++;
                continue;
            }
            if (p < end) { /* '\n' */
                p++;
                line++;
            }
            break;
        }
        if (bad)
            continue;
        for (int i = 0; i < ncell; i++)
            x.cells[i] = (csv_cell){i, x.buf + x.off[i], x.len[i]};
        if (row_fn(ud, row_line, x.cells, ncell) != 0)
            break;
    }
    rc = 0;
    goto out;
oom:
    errf(&x, 0, 0, "out of memory");
out:
    free(data);
    free(x.buf);
    free(x.off);
    free(x.len);
    free(x.cells);
    return rc;
}
