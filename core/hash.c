/* hash.c - see hash.h */
#include "hash.h"

#include <errno.h>
#include <openssl/evp.h>
#include <pthread.h>
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

/* ---- a file read in blocks, hashed behind the reader --------------------- */

#define RBLOCK (32 * 1024)
#define RBLOCKS 4 /* with a hashing thread: the one being read and up to 3 waiting to be hashed */
/* The thread is woken when this many blocks wait (or the reader must wait
 * for a block, or the file ends): hashing is faster than parsing, so waking
 * it for every block would cost two context switches per block. */
#define RWAKE 2

static bool reader_threads;

void sha256_reader_threads(bool on)
{
    reader_threads = on;
}

struct sha256_reader {
    FILE *f;
    sha256_stream *hash; /* NULL: not hashing */
    char *mem;           /* nb blocks of RBLOCK bytes */
    int nb;
    size_t len[RBLOCKS];
    int cur;             /* the block being read from */
    size_t pos;          /* in it */
    bool eof, err;
    /* The hashing thread's share: the `queued` blocks up to the one before
     * cur wait to be hashed, oldest first (`next`); cur is never among them. */
    bool threaded, done;
    int queued, next;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t th;
};

static void *hash_main(void *arg)
{
    sha256_reader *r = arg;
    pthread_mutex_lock(&r->mu);
    for (;;) {
        while (r->queued == 0 && !r->done)
            pthread_cond_wait(&r->cv, &r->mu);
        if (r->queued == 0)
            break;
        int b = r->next;
        pthread_mutex_unlock(&r->mu);
        sha256_stream_add(r->hash, r->mem + (size_t)b * RBLOCK, r->len[b]);
        pthread_mutex_lock(&r->mu);
        r->next = (b + 1) % r->nb;
        r->queued--;
        pthread_cond_signal(&r->cv);
    }
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

sha256_reader *sha256_reader_new(FILE *f, bool hash)
{
    sha256_reader *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->f = f;
    /* The blocks are the file's buffer: stdio would only copy once more. */
    setvbuf(f, NULL, _IONBF, 0);
    if (hash && !(r->hash = sha256_stream_new())) {
        free(r);
        return NULL;
    }
    r->threaded = r->hash && reader_threads;
    r->nb = r->threaded ? RBLOCKS : 1;
    r->mem = malloc((size_t)r->nb * RBLOCK);
    if (!r->mem) {
        sha256_stream_free(r->hash);
        free(r);
        return NULL;
    }
    if (r->threaded) {
        /* Without the thread the hashing is done in line: same digest. */
        if (pthread_mutex_init(&r->mu, NULL) != 0) {
            r->threaded = false;
        } else if (pthread_cond_init(&r->cv, NULL) != 0) {
            pthread_mutex_destroy(&r->mu);
            r->threaded = false;
        } else if (pthread_create(&r->th, NULL, hash_main, r) != 0) {
            pthread_cond_destroy(&r->cv);
            pthread_mutex_destroy(&r->mu);
            r->threaded = false;
        }
    }
    return r;
}

/* The current block is read: hash it (or queue it for the thread). */
static void hand_on(sha256_reader *r)
{
    if (!r->hash || r->len[r->cur] == 0)
        return;
    if (!r->threaded) {
        sha256_stream_add(r->hash, r->mem + (size_t)r->cur * RBLOCK, r->len[r->cur]);
        return;
    }
    pthread_mutex_lock(&r->mu);
    if (++r->queued >= RWAKE)
        pthread_cond_signal(&r->cv);
    pthread_mutex_unlock(&r->mu);
}

/* The next block of the file, once the current one is read. */
static void fill(sha256_reader *r)
{
    if (r->len[r->cur] > 0) {
        hand_on(r);
        r->cur = (r->cur + 1) % r->nb;
        if (r->threaded) {
            pthread_mutex_lock(&r->mu);
            while (r->queued >= r->nb) { /* the next block still waits to be hashed */
                pthread_cond_signal(&r->cv);
                pthread_cond_wait(&r->cv, &r->mu);
            }
            pthread_mutex_unlock(&r->mu);
        }
    }
    r->pos = 0;
    r->len[r->cur] = fread(r->mem + (size_t)r->cur * RBLOCK, 1, RBLOCK, r->f);
    if (r->len[r->cur] < RBLOCK) {
        if (ferror(r->f))
            r->err = true;
        else
            r->eof = true;
    }
}

size_t sha256_reader_read(sha256_reader *r, void *out, size_t len)
{
    size_t got = 0;
    while (got < len) {
        if (r->pos == r->len[r->cur]) {
            if (r->eof || r->err)
                break;
            fill(r);
            continue;
        }
        size_t n = r->len[r->cur] - r->pos;
        if (n > len - got)
            n = len - got;
        memcpy((char *)out + got, r->mem + (size_t)r->cur * RBLOCK + r->pos, n);
        r->pos += n;
        got += n;
    }
    return got;
}

bool sha256_reader_error(const sha256_reader *r)
{
    return r->err;
}

int sha256_reader_end(sha256_reader *r, char hex[SHA256_HEX_LEN])
{
    if (hex)
        hex[0] = '\0';
    while (r->hash && !r->eof && !r->err) {
        r->pos = r->len[r->cur];
        fill(r);
    }
    if (!r->err)
        hand_on(r);
    if (r->threaded) {
        pthread_mutex_lock(&r->mu);
        r->done = true;
        pthread_cond_signal(&r->cv);
        pthread_mutex_unlock(&r->mu);
        pthread_join(r->th, NULL);
        pthread_cond_destroy(&r->cv);
        pthread_mutex_destroy(&r->mu);
    }
    int rc = -1;
    if (r->hash && !r->err && hex)
        rc = sha256_stream_end(r->hash, hex);
    else
        sha256_stream_free(r->hash);
    free(r->mem);
    free(r);
    return rc;
}
