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

/* ---- a file read in blocks, hashed as it is read -------------------------- */

#define RBLOCK (128 * 1024)
#define RBLOCKS 4 /* with the thread: blocks read ahead, the caller's among them (512 KiB) */
/* Once every block is full the thread waits until this many are free again
 * (it reads and hashes faster than the caller parses): each wake costs two
 * context switches, and on a virtual machine each switch costs the caller
 * (bench/README.md). 1M long lines: about 20,000 switches with 4 blocks of
 * 32 KiB woken at 2 free, 3,000-7,000 with 8 of 32 KiB woken at 6, 2,000-2,600
 * with 4 of 128 KiB woken at 3 (a wake per 384 KiB read). */
#define RWAKE 3

static bool reader_threads;

void sha256_reader_threads(bool on)
{
    reader_threads = on;
}

/* Without the thread the caller reads one block at a time and hashes it
 * when it moves past it. With the thread, the file is read into the ring of
 * blocks ahead of the caller and each block hashed as it is read; the caller
 * takes the full blocks in order (`filled` of them, from cur on, the one it
 * reads from included) and gives each back when it is done with it. Reading
 * the next block (and hashing it) is one role, taken under the lock by the
 * thread, or by the caller when it would otherwise wait for a thread that is
 * not running (a busy machine): so the thread never holds the parse up. When
 * the caller ends, the thread reads and hashes the rest of the file (drain). */
struct sha256_reader {
    FILE *f;
    sha256_stream *hash; /* NULL: not hashing */
    char *mem;           /* nb blocks of RBLOCK bytes */
    int nb;
    size_t len[RBLOCKS];
    int cur;             /* the caller's block */
    size_t pos;          /* in it */
    bool have;           /* the thread: cur is the caller's to read (counted in filled) */
    bool eof, err;       /* without the thread: the caller's; with it: under mu */
    bool seen_err;       /* with the thread: the caller came to a read error */
    bool threaded, drain, reading;
    int filled, head;    /* under mu: full blocks from cur on; the block to read next */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t th;
};

static char *block(sha256_reader *r, int b)
{
    return r->mem + (size_t)b * RBLOCK;
}

/* The reading role, with mu held (it is let go around the read itself):
 * the next block read from the file, hashed and handed on. */
static void read_block(sha256_reader *r)
{
    r->reading = true;
    int b = r->head;
    pthread_mutex_unlock(&r->mu);
    size_t n = fread(block(r, b), 1, RBLOCK, r->f);
    bool end = n < RBLOCK, bad = end && ferror(r->f);
    if (n > 0 && !bad)
        sha256_stream_add(r->hash, block(r, b), n);
    pthread_mutex_lock(&r->mu);
    r->reading = false;
    if (!r->drain) { /* else nobody takes blocks: the same block is read into again */
        r->len[b] = n;
        r->head = (b + 1) % r->nb;
        r->filled++;
    }
    if (end) {
        r->err = bad;
        r->eof = !bad;
    }
    pthread_cond_signal(&r->cv); /* the other side may wait for this block, or for the role */
}

static void *read_main(void *arg)
{
    sha256_reader *r = arg;
    pthread_mutex_lock(&r->mu);
    while (!r->eof && !r->err) {
        if (r->reading) {
            pthread_cond_wait(&r->cv, &r->mu);
        } else if (!r->drain && r->filled == r->nb) {
            while (!r->drain && !r->eof && !r->err && r->filled > r->nb - RWAKE)
                pthread_cond_wait(&r->cv, &r->mu);
        } else {
            read_block(r);
        }
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
        /* Without the thread everything is done in line: same bytes, same digest. */
        if (pthread_mutex_init(&r->mu, NULL) != 0) {
            r->threaded = false;
        } else if (pthread_cond_init(&r->cv, NULL) != 0) {
            pthread_mutex_destroy(&r->mu);
            r->threaded = false;
        } else if (pthread_create(&r->th, NULL, read_main, r) != 0) {
            pthread_cond_destroy(&r->cv);
            pthread_mutex_destroy(&r->mu);
            r->threaded = false;
        }
        if (!r->threaded)
            r->nb = 1;
    }
    return r;
}

/* Without the thread: the next block of the file, once the current one is
 * read; the current one is hashed whole. */
static void fill(sha256_reader *r)
{
    if (r->hash && r->len[0] > 0)
        sha256_stream_add(r->hash, r->mem, r->len[0]);
    r->pos = 0;
    r->len[0] = fread(r->mem, 1, RBLOCK, r->f);
    if (r->len[0] < RBLOCK) {
        if (ferror(r->f))
            r->err = true;
        else
            r->eof = true;
    }
}

/* With the thread: give the caller's block back and take the next full
 * one (reading it here when the thread is not at it); false at the end of
 * the file or on a read error. */
static bool next_block(sha256_reader *r)
{
    pthread_mutex_lock(&r->mu);
    bool wake = false;
    if (r->have) {
        r->have = false;
        r->cur = (r->cur + 1) % r->nb;
        wake = --r->filled == r->nb - RWAKE;
    }
    while (r->filled == 0 && !r->eof && !r->err) {
        if (!r->reading)
            read_block(r);
        else
            pthread_cond_wait(&r->cv, &r->mu);
    }
    if (r->filled == 0)
        r->seen_err = r->err;
    else
        r->have = true;
    pthread_mutex_unlock(&r->mu);
    /* After the unlock: woken under the lock, the thread would only wait
     * for the lock, two more context switches. (filled >= 1 here: this
     * call did not wait after deciding to wake.) */
    if (wake)
        pthread_cond_signal(&r->cv);
    r->pos = 0;
    return r->have;
}

size_t sha256_reader_read(sha256_reader *r, void *out, size_t len)
{
    size_t got = 0;
    while (got < len) {
        if (!r->threaded && r->pos == r->len[0]) {
            if (r->eof || r->err)
                break;
            fill(r);
            continue;
        }
        if (r->threaded && (!r->have || r->pos == r->len[r->cur])) {
            if (!next_block(r))
                break;
            continue;
        }
        size_t n = r->len[r->cur] - r->pos;
        if (n > len - got)
            n = len - got;
        memcpy((char *)out + got, block(r, r->cur) + r->pos, n);
        r->pos += n;
        got += n;
    }
    return got;
}

bool sha256_reader_error(const sha256_reader *r)
{
    return r->threaded ? r->seen_err : r->err;
}

int sha256_reader_end(sha256_reader *r, char hex[SHA256_HEX_LEN])
{
    if (hex)
        hex[0] = '\0';
    bool err;
    if (r->threaded) {
        pthread_mutex_lock(&r->mu);
        r->drain = true;
        pthread_cond_signal(&r->cv);
        pthread_mutex_unlock(&r->mu);
        pthread_join(r->th, NULL);
        pthread_cond_destroy(&r->cv);
        pthread_mutex_destroy(&r->mu);
        err = r->err;
    } else {
        while (r->hash && !r->eof && !r->err) {
            r->pos = r->len[0];
            fill(r);
        }
        if (r->hash && !r->err && r->len[0] > 0)
            sha256_stream_add(r->hash, r->mem, r->len[0]);
        err = r->err;
    }
    int rc = -1;
    if (r->hash && !err && hex)
        rc = sha256_stream_end(r->hash, hex);
    else
        sha256_stream_free(r->hash);
    free(r->mem);
    free(r);
    return rc;
}
