/* mem_huge.h - large pages for large blocks that are filled whole at once.
 *
 * Contract: mem_advise_huge(p, n) asks the kernel to back the 2 MiB-aligned
 * part of the block [p, p + n) with 2 MiB pages (Linux' transparent huge
 * pages, madvise mode: without the advice a process gets none). Only an
 * advice: it changes no byte, fails silently (another kernel, another
 * system, no huge page free) and does nothing for a block under 4 MiB.
 *
 * For a block its caller is about to write in full (a hash table that
 * doubles and rehashes, keyset.c): the pages are touched anyway, so the
 * resident size is the same, but each 4 KiB page costs its own page fault,
 * and on a virtual machine a fault costs about 10 us (bench/README.md: 100
 * MiB touched took 263-269 ms in 4 KiB pages, 12-160 ms with the advice).
 * Not for a block filled little by little: a 2 MiB page is resident as soon
 * as one byte of it is.
 */
#ifndef RHV_MEM_HUGE_H
#define RHV_MEM_HUGE_H

#include <stddef.h>

void mem_advise_huge(void *p, size_t n);

#endif
