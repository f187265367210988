/* hash.h - SHA-256 of files, buffers and byte streams, as lowercase hex.
 *
 * Contract: OpenSSL's libcrypto (EVP) does the hashing: it uses the CPU's SHA
 * extensions where there are any, about 2.5 times the speed of nettle's
 * generic code on a large ledger (bench/README.md).
 * - sha256_file: 0 and hex filled, or -1 (errno set) when the file cannot be
 *   read. sha256_buf writes "unavailable" when libcrypto runs out of memory.
 * - sha256_stream: bytes as they come (the XML reader hashes what it parses,
 *   so a ledger is read once). sha256_stream_new returns NULL when memory runs
 *   out; sha256_stream_end fills hex and frees the stream (0), or frees it and
 *   returns -1 when libcrypto failed; sha256_stream_free abandons one.
 * - sha256_reader: a file read front to back in blocks, each block hashed
 *   whole, so what is hashed is exactly the file however much of it the
 *   caller reads. With sha256_reader_threads(true) (set before any reader
 *   starts) a reader that hashes reads the file and hashes it on a thread of
 *   its own, a few blocks ahead of the caller, so that the caller's thread
 *   only parses (when that thread is not running, the caller reads the next
 *   block itself rather than wait); the bytes and the digest are the same.
 *   sha256_reader_read is fread on the file (0 at its end or on a read
 *   error: sha256_reader_error tells); sha256_reader_end reads and hashes the
 *   rest, fills hex (0) or leaves it "" (-1: a read error, or memory or
 *   libcrypto failed, or the reader did not hash; hex may be NULL for a
 *   reader that does not hash), and frees the reader; it does not close the
 *   file.
 */
#ifndef RHV_HASH_H
#define RHV_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define SHA256_HEX_LEN 65
int sha256_file(const char *path, char hex[SHA256_HEX_LEN]);
void sha256_buf(const void *buf, size_t len, char hex[SHA256_HEX_LEN]);

typedef struct sha256_stream sha256_stream;
sha256_stream *sha256_stream_new(void);
void sha256_stream_add(sha256_stream *s, const void *buf, size_t len);
int sha256_stream_end(sha256_stream *s, char hex[SHA256_HEX_LEN]);
void sha256_stream_free(sha256_stream *s);

typedef struct sha256_reader sha256_reader;
void sha256_reader_threads(bool on);
/* NULL when memory runs out. hash false: a plain block reader. */
sha256_reader *sha256_reader_new(FILE *f, bool hash);
size_t sha256_reader_read(sha256_reader *r, void *out, size_t len);
bool sha256_reader_error(const sha256_reader *r);
int sha256_reader_end(sha256_reader *r, char hex[SHA256_HEX_LEN]);

#endif
