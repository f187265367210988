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
 */
#ifndef RHV_HASH_H
#define RHV_HASH_H

#include <stddef.h>

#define SHA256_HEX_LEN 65
int sha256_file(const char *path, char hex[SHA256_HEX_LEN]);
void sha256_buf(const void *buf, size_t len, char hex[SHA256_HEX_LEN]);

typedef struct sha256_stream sha256_stream;
sha256_stream *sha256_stream_new(void);
void sha256_stream_add(sha256_stream *s, const void *buf, size_t len);
int sha256_stream_end(sha256_stream *s, char hex[SHA256_HEX_LEN]);
void sha256_stream_free(sha256_stream *s);

#endif
