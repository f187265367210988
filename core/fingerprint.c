/* fingerprint.c - see fingerprint.h */
#include "fingerprint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"

#define HASH_DIGITS 12

char *fingerprint_make(const rhv_finding *f, int fiscal_year)
{
    const char *rule = f->rule ? f->rule : "";
    const char *what = f->key ? "key" : "subject";
    const char *name = f->key ? f->key : (f->subject ? f->subject : "");
    size_t n = strlen("rhv-fingerprint-1\n") + strlen(rule) + 1 + strlen(what) + 1 + strlen(name) + 1;
    char *buf = malloc(n);
    if (!buf)
        return NULL;
    int len = snprintf(buf, n, "rhv-fingerprint-1\n%s\n%s\n%s", rule, what, name);
    char hex[SHA256_HEX_LEN];
    sha256_buf(buf, (size_t)len, hex);
    free(buf);
    size_t m = strlen(rule) + 1 + 12 + 1 + HASH_DIGITS + 1;
    char *fp = malloc(m);
    if (fp)
        snprintf(fp, m, "%s:%d:%.*s", rule, fiscal_year, HASH_DIGITS, hex);
    return fp;
}

bool fingerprint_same_finding(const char *a, const char *b)
{
    const char *ca = strchr(a, ':'), *cb = strchr(b, ':');
    if (!ca || !cb || ca - a != cb - b || memcmp(a, b, (size_t)(ca - a)) != 0)
        return false;
    const char *ha = strchr(ca + 1, ':'), *hb = strchr(cb + 1, ':');
    return ha && hb && strcmp(ha, hb) == 0;
}
