/* xaf.h - streams an XML Auditfile Financieel 3.x into records.
 *
 * Contract:
 * - Matches elements on (namespace URI, local name). Reads XAF 3.1 and 3.2;
 *   any other auditfile namespace is an error naming the namespace found (the
 *   version table in xaf.c is where 4.0 goes).
 * - UTF-8 with or without BOM and ISO-8859-1 as declared. Empty mandatory
 *   elements (Exact's <docRef/>) give nil; IDs stay strings; amounts are strict
 *   decimals to the cent; dates keep YYYY-MM-DD, a zone is dropped.
 * - Emits the record types xaf.* of record_types.c in document order, reusing
 *   one record and one buffer: no allocation per transaction line.
 * - Data that breaks the standard but can be read is reported through
 *   diag_warning with file:line and (for rules) passed on as written.
 */
#ifndef RHV_XAF_H
#define RHV_XAF_H

#include <stddef.h>

#include "diag.h"
#include "hash.h"
#include "record.h"

typedef struct {
    char version[8];           /* "3.2", "3.1" */
    char fiscal_year_text[16]; /* fiscalYear as in the header ("2016", "2008-2009") */
    int fiscal_year;           /* its first year when it starts with 4 digits, else
                                * startDate's year; 0 when neither is known */
    char *company_name;        /* heap, may be NULL */
    long lines;                /* trLine elements read */
} rhv_xaf_info;

/* 0 ok, -1 errors reported in d. When `info` is given, its header part
 * (version, fiscal_year_text, fiscal_year) is filled before the sink is
 * handed the xaf.header record, so a sink that holds `info` can start its
 * work for the ledger's fiscal year there; company_name is filled before the
 * xaf.company record is handed on. */
int xaf_read(const char *path, rhv_sink sink, void *ud, rhv_diag *d, rhv_xaf_info *info);
/* The same read, and sha256 gets the file's SHA-256 from the same reads
 * (xml_stream_parse_hashed: "" when it could not be had). */
int xaf_read_hashed(const char *path, rhv_sink sink, void *ud, rhv_diag *d, rhv_xaf_info *info,
                    char sha256[SHA256_HEX_LEN]);
/* The same read over len bytes at buf; name only names them in messages. */
int xaf_read_mem(const char *buf, size_t len, const char *name, rhv_sink sink, void *ud, rhv_diag *d,
                 rhv_xaf_info *info);
void xaf_info_free(rhv_xaf_info *info);

#endif
