/* mem_huge_test.c - mem_advise_huge: bytes untouched, the advice on the
 * aligned part only, nothing for small blocks. */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "check_run.h"
#include "mem_huge.h"

#define MIB ((size_t)1 << 20)

/* Whether the kernel offers transparent huge pages to a process that asks. */
static int thp_on_request(void)
{
    FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
    if (!f)
        return 0;
    char line[128] = "";
    int ok = fgets(line, sizeof line, f) && !strstr(line, "[never]");
    fclose(f);
    return ok;
}

/* Whether the mapping that holds address a carries the huge page advice
 * ("hg" among its VmFlags in /proc/self/smaps); -1 when not found. */
static int advised(uintptr_t a)
{
    FILE *f = fopen("/proc/self/smaps", "r");
    if (!f)
        return -1;
    char line[512];
    int in = 0, r = -1;
    while (fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && strchr(line, '-') < strchr(line, ' ')) {
            in = a >= lo && a < hi;
            continue;
        }
        if (in && strncmp(line, "VmFlags:", 8) == 0) {
            r = strstr(line, " hg") != NULL;
            break;
        }
    }
    fclose(f);
    return r;
}

START_TEST(bytes_stay_as_they_were)
{
    size_t n = 6 * MIB + 123;
    unsigned char *p = malloc(n), *want = malloc(n);
    ck_assert_ptr_nonnull(p);
    ck_assert_ptr_nonnull(want);
    for (size_t i = 0; i < n; i++)
        p[i] = want[i] = (unsigned char)(i * 31 + 7);
    mem_advise_huge(p + 1, n - 1); /* an unaligned start */
    ck_assert(memcmp(p, want, n) == 0);
    free(p);
    free(want);
    mem_advise_huge(NULL, 8 * MIB);
    char small[64] = "unchanged";
    mem_advise_huge(small, sizeof small);
    ck_assert_str_eq(small, "unchanged");
}
END_TEST

START_TEST(advice_on_the_aligned_part_of_a_large_block_only)
{
    if (!thp_on_request()) {
        fprintf(stderr, "mem_huge_test: no transparent huge pages here, advice not checked\n");
        return;
    }
    /* 12 MiB mapped, 2 MiB-aligned block inside it from base + 2 MiB + 16. */
    char *m = mmap(NULL, 12 * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ck_assert(m != MAP_FAILED);
    uintptr_t base = ((uintptr_t)m + 2 * MIB - 1) & ~(uintptr_t)(2 * MIB - 1);
    char *p = (char *)base + 16;
    mem_advise_huge(p, 6 * MIB); /* aligned part: base + 2 MiB .. base + 6 MiB */
    ck_assert_int_eq(advised(base + 2 * MIB), 1);
    ck_assert_int_eq(advised(base + 6 * MIB - 1), 1);
    ck_assert_int_eq(advised(base + 1 * MIB), 0); /* the unaligned head: small pages */
    ck_assert_int_eq(advised(base + 6 * MIB), 0); /* past the block */
    /* under 4 MiB: no advice at all */
    char *q = (char *)base + 8 * MIB;
    mem_advise_huge(q, 4 * MIB - 1);
    ck_assert_int_eq(advised((uintptr_t)q), 0);
    munmap(m, 12 * MIB);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("mem_huge");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, bytes_stay_as_they_were);
    tcase_add_test(tc, advice_on_the_aligned_part_of_a_large_block_only);
    suite_add_tcase(s, tc);
    return check_run(s);
}
