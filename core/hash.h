/* hash.h - SHA-256 of files and buffers (nettle), as lowercase hex.
 * Contract: returns 0 and fills hex[65], or -1 when the file cannot be read. */
#ifndef RHV_HASH_H
#define RHV_HASH_H

#include <stddef.h>

#define SHA256_HEX_LEN 65
int sha256_file(const char *path, char hex[SHA256_HEX_LEN]);
void sha256_buf(const void *buf, size_t len, char hex[SHA256_HEX_LEN]);

#endif
