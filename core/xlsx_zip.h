/* xlsx_zip.h - the members of a zip file (an .xlsx), read into memory within limits.
 *
 * Why it exists: a workbook is a zip of XML files, and a zip from outside is
 * hostile until shown otherwise: a few kilobytes can expand to gigabytes (a
 * zip bomb), or name a 2 GB sheet. So every member is read with limits on the
 * number of members, the uncompressed size per member and in total, and the
 * compression ratio; a member that breaks one is refused with a message that
 * says which limit. Members are only ever read into memory: no name from the
 * zip is used as a path on disk.
 *
 * Contract:
 * - xlsx_zip_open() fails (NULL, *err set) when the file is not a zip or has
 *   more than XLSX_MAX_ENTRIES members.
 * - xlsx_zip_read() returns 1 and a malloc'd, NUL-terminated buffer when the
 *   member exists and is within the limits, 0 when it does not exist, -1 with
 *   *err set otherwise. The declared sizes are checked before reading and the
 *   actual bytes while reading, so a lying header does not get past either.
 */
#ifndef RHV_XLSX_ZIP_H
#define RHV_XLSX_ZIP_H

#include <stddef.h>
#include <stdint.h>

#define XLSX_MAX_ENTRIES 10000
#define XLSX_MAX_ENTRY ((uint64_t)256 << 20) /* 256 MiB uncompressed per member */
#define XLSX_MAX_TOTAL ((uint64_t)512 << 20) /* 512 MiB for all members read */
#define XLSX_MAX_RATIO 200                   /* uncompressed / compressed, above 1 MiB */

typedef struct xlsx_zip xlsx_zip;

xlsx_zip *xlsx_zip_open(const char *path, char *err, size_t errn);
int xlsx_zip_read(xlsx_zip *z, const char *name, char **buf, size_t *len, char *err, size_t errn);
void xlsx_zip_close(xlsx_zip *z);
/* Does the file start like a zip ("PK\3\4")? */
int xlsx_is_zip(const char *path);

#endif
