/* mem_huge.c - see mem_huge.h */
#define _DEFAULT_SOURCE /* madvise's MADV_HUGEPAGE is not POSIX */
#include "mem_huge.h"

#include <stdint.h>
#include <sys/mman.h>

#define HUGE_PAGE ((uintptr_t)2 << 20)
#define MIN_BLOCK ((size_t)4 << 20) /* at least one whole huge page inside */

void mem_advise_huge(void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
    if (!p || n < MIN_BLOCK)
        return;
    uintptr_t a = ((uintptr_t)p + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    uintptr_t e = ((uintptr_t)p + n) & ~(HUGE_PAGE - 1);
    if (e > a)
        (void)madvise((void *)a, e - a, MADV_HUGEPAGE);
#else
    (void)p;
    (void)n;
#endif
}
