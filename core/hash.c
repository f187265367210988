/* hash.c - see hash.h */
#include "hash.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sha256_stream {
    EVP_MD_CTX *ctx;
    int bad; /* an update failed: the digest would be wrong */
};

static void to_hex(const unsigned char *d, unsigned n, char hex[SHA256_HEX_LEN])
{
    static const char digits[] = "0123456789abcdef";
    for (unsigned i = 0; i < n && i < 32; i++) {
        hex[2 * i] = digits[d[i] >> 4];
        hex[2 * i + 1] = digits[d[i] & 15];
    }
    hex[64] = '\0';
}

sha256_stream *sha256_stream_new(void)
{
    sha256_stream *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->ctx = EVP_MD_CTX_new();
    if (!s->ctx || EVP_DigestInit_ex(s->ctx, EVP_sha256(), NULL) != 1) {
        EVP_MD_CTX_free(s->ctx);
        free(s);
        return NULL;
    }
    return s;
}

void sha256_stream_add(sha256_stream *s, const void *buf, size_t len)
{
    if (len && EVP_DigestUpdate(s->ctx, buf, len) != 1)
        s->bad = 1;
}

int sha256_stream_end(sha256_stream *s, char hex[SHA256_HEX_LEN])
{
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned n = 0;
    int rc = !s->bad && EVP_DigestFinal_ex(s->ctx, d, &n) == 1 && n == 32 ? 0 : -1;
    if (rc == 0)
        to_hex(d, n, hex);
    sha256_stream_free(s);
    return rc;
}

void sha256_stream_free(sha256_stream *s)
{
    if (!s)
        return;
    EVP_MD_CTX_free(s->ctx);
    free(s);
}

int sha256_file(const char *path, char hex[SHA256_HEX_LEN])
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    sha256_stream *s = sha256_stream_new();
    if (!s) {
        fclose(f);
        errno = ENOMEM;
        return -1;
    }
    unsigned char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sha256_stream_add(s, buf, n);
    int bad = ferror(f);
    int saved = errno;
    fclose(f);
    if (bad) {
        sha256_stream_free(s);
        errno = saved ? saved : EIO;
        return -1;
    }
    if (sha256_stream_end(s, hex) != 0) {
        errno = EIO;
        return -1;
    }
    return 0;
}

void sha256_buf(const void *buf, size_t len, char hex[SHA256_HEX_LEN])
{
    /* EVP_Digest fails only when memory runs out inside libcrypto; then hex
     * says so instead of looking like a hash. */
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned n = 0;
    if (EVP_Digest(buf, len, d, &n, EVP_sha256(), NULL) != 1 || n != 32) {
        snprintf(hex, SHA256_HEX_LEN, "unavailable");
        return;
    }
    to_hex(d, n, hex);
}
