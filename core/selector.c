/* selector.c - see selector.h. A small recursive-descent parser. */
#include "selector.h"

#include <ctype.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum { N_TERM, N_NOT, N_AND, N_OR } node_kind;

struct sel_node {
    node_kind kind;
    sel_node *a, *b;
    char *term;
};

typedef struct {
    const char *s;
    size_t pos;
    char *err;
    char tok[256];
    size_t toklen;
    int tokkind; /* 0 end, 1 word, '(' ')' ',' */
    size_t tokpos;
} parser;

static void fail(parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(parser *p, const char *fmt, ...)
{
    if (p->err)
        return;
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    p->err = strdup(buf);
    if (!p->err)
        p->err = strdup("out of memory");
}

static int word_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '.' || c == '*' || c == '?' || c == '-' ||
           c == '[' || c == ']';
}

static void next(parser *p)
{
    while (p->s[p->pos] && isspace((unsigned char)p->s[p->pos]))
        p->pos++;
    p->tokpos = p->pos;
    char c = p->s[p->pos];
    if (!c) {
        p->tokkind = 0;
        return;
    }
    if (c == '(' || c == ')' || c == ',') {
        p->tokkind = c;
        p->pos++;
        return;
    }
    if (!word_char(c)) {
        fail(p, "unexpected '%c' at position %zu", c, p->pos + 1);
        p->tokkind = 0;
        return;
    }
    size_t n = 0;
    while (word_char(p->s[p->pos])) {
        if (n + 1 < sizeof p->tok)
            p->tok[n++] = p->s[p->pos];
        p->pos++;
    }
    p->tok[n] = '\0';
    p->toklen = n;
    p->tokkind = 1;
}

static int is_kw(parser *p, const char *kw)
{
    return p->tokkind == 1 && strcmp(p->tok, kw) == 0;
}

static sel_node *mk(node_kind k, sel_node *a, sel_node *b, parser *p)
{
    sel_node *n = calloc(1, sizeof *n);
    if (!n) {
        fail(p, "out of memory");
        selector_free(a);
        selector_free(b);
        return NULL;
    }
    n->kind = k;
    n->a = a;
    n->b = b;
    return n;
}

static sel_node *parse_or(parser *p);

static sel_node *parse_primary(parser *p)
{
    if (p->err)
        return NULL;
    if (p->tokkind == '(') {
        next(p);
        sel_node *n = parse_or(p);
        if (!n)
            return NULL;
        if (p->tokkind != ')') {
            fail(p, "missing ')' at position %zu", p->tokpos + 1);
            selector_free(n);
            return NULL;
        }
        next(p);
        return n;
    }
    if (p->tokkind != 1 || is_kw(p, "and") || is_kw(p, "or") || is_kw(p, "not")) {
        if (p->tokkind == 0)
            fail(p, "expression ends where a rule id, glob or criterion was expected");
        else
            fail(p, "a rule id, glob or criterion expected at position %zu", p->tokpos + 1);
        return NULL;
    }
    sel_node *n = mk(N_TERM, NULL, NULL, p);
    if (!n)
        return NULL;
    n->term = strdup(p->tok);
    if (!n->term) {
        free(n);
        fail(p, "out of memory");
        return NULL;
    }
    next(p);
    return n;
}

static sel_node *parse_not(parser *p)
{
    if (is_kw(p, "not")) {
        next(p);
        sel_node *a = parse_not(p);
        return a ? mk(N_NOT, a, NULL, p) : NULL;
    }
    return parse_primary(p);
}

static sel_node *parse_and(parser *p)
{
    sel_node *a = parse_not(p);
    while (a && is_kw(p, "and")) {
        next(p);
        sel_node *b = parse_not(p);
        if (!b) {
            selector_free(a);
            return NULL;
        }
        a = mk(N_AND, a, b, p);
    }
    return a;
}

static sel_node *parse_or(parser *p)
{
    sel_node *a = parse_and(p);
    while (a && (is_kw(p, "or") || p->tokkind == ',')) {
        next(p);
        sel_node *b = parse_and(p);
        if (!b) {
            selector_free(a);
            return NULL;
        }
        a = mk(N_OR, a, b, p);
    }
    return a;
}

sel_node *selector_parse(const char *expr, char **err)
{
    parser p = {.s = expr};
    *err = NULL;
    next(&p);
    sel_node *n = parse_or(&p);
    if (n && !p.err && p.tokkind != 0)
        fail(&p, "unexpected '%s' at position %zu", p.tokkind == 1 ? p.tok : (char[]){(char)p.tokkind, 0},
             p.tokpos + 1);
    if (p.err) {
        selector_free(n);
        *err = p.err;
        return NULL;
    }
    return n;
}

void selector_free(sel_node *n)
{
    if (!n)
        return;
    selector_free(n->a);
    selector_free(n->b);
    free(n->term);
    free(n);
}

static bool term_match(const char *term, const char *id, criterion crit)
{
    criterion c;
    if (criterion_parse(term, &c) == 0)
        return c == crit;
    if (strcmp(term, "all") == 0)
        return true;
    if (strpbrk(term, "*?["))
        return fnmatch(term, id, 0) == 0;
    return strcmp(term, id) == 0;
}

bool selector_match(const sel_node *n, const char *id, criterion crit)
{
    switch (n->kind) {
    case N_TERM: return term_match(n->term, id, crit);
    case N_NOT: return !selector_match(n->a, id, crit);
    case N_AND: return selector_match(n->a, id, crit) && selector_match(n->b, id, crit);
    case N_OR: return selector_match(n->a, id, crit) || selector_match(n->b, id, crit);
    }
    return false;
}

const char *selector_unmatched(const sel_node *n, const char *const *ids, const criterion *crits, size_t count)
{
    if (n->kind == N_TERM) {
        for (size_t i = 0; i < count; i++)
            if (term_match(n->term, ids[i], crits[i]))
                return NULL;
        return n->term;
    }
    const char *r = selector_unmatched(n->a, ids, crits, count);
    if (!r && n->b)
        r = selector_unmatched(n->b, ids, crits, count);
    return r;
}
