/* cmd_check_readahead.h - a ledger parsed and hashed on a thread of its own
 * (part of step 3 of `rhv check`, cmd_check.h).
 *
 * Contract:
 * - readahead_start() starts xaf_read_hashed() on a new thread. The records
 *   it reads are copied into a small ring of chunks (at most RA_CHUNKS of
 *   RA_RECS records or RA_ARENA bytes of text each: memory does not grow with
 *   the ledger), and the thread waits while the ring is full.
 * - readahead_drain() hands them to a sink on the calling thread, in the
 *   order read, with the same values the reader gave: the sink sees what it
 *   would have seen in the reader's own callback. Records of a type `keep`
 *   refuses are not queued at all.
 * - readahead_finish() waits for the thread, then appends the reader's
 *   messages to d in the order the reader made them (the reader writes to a
 *   diag of its own, so the order of messages in d is that of a read in the
 *   calling thread, provided the sink itself reports nothing while draining),
 *   and hands back the header info and the sha256 (when asked for).
 * - When the sink returns non-zero, the reader is told to stop at its next
 *   record; the records it queued before are dropped.
 * - Every start is matched by one finish, which frees everything.
 */
#ifndef RHV_CMD_CHECK_READAHEAD_H
#define RHV_CMD_CHECK_READAHEAD_H

#include <stdbool.h>

#include "diag.h"
#include "hash.h"
#include "record.h"
#include "xaf.h"

typedef struct check_readahead check_readahead;

/* path must outlive the read-ahead; sha256 (may be NULL: not wanted) is
 * written by the thread and may be read only after readahead_finish.
 * keep (may be NULL: all) decides on the reading thread which records are
 * queued; it must not touch shared state. NULL when the thread cannot be
 * started (then read in the calling thread). */
check_readahead *readahead_start(const char *path, bool (*keep)(const rhv_record *rec), char *sha256);
/* 0 when every record was handed over, else the sink's non-zero result. */
int readahead_drain(check_readahead *ra, rhv_sink sink, void *ud);
/* info: the read's header info (the caller frees it with xaf_info_free). */
void readahead_finish(check_readahead *ra, rhv_diag *d, rhv_xaf_info *info);

#endif
