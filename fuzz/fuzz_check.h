/* fuzz_check.h - what every record a reader hands out must satisfy, checked
 * by the fuzz targets' sinks (libFuzzer reports a failed check as a crash).
 *
 * - A date (VAL_DATE) is "YYYY-MM-DD" and a real calendar day: the readers
 *   promise validated dates, so a rule never sees "2023-02-30".
 * - A reader that fails says why: an error in the rhv_diag, never a bare
 *   failure code.
 * - A bool is 0 or 1; a string's bytes can all be read (ASan catches a value
 *   that points into a freed parser buffer).
 */
#ifndef RHV_FUZZ_CHECK_H
#define RHV_FUZZ_CHECK_H

#include <stdio.h>
#include <stdlib.h>

#include "diag.h"
#include "record.h"

static inline void fuzz_fail(const rhv_record *rec, int f, const char *why)
{
    fprintf(stderr, "fuzz check: %s.%s: %s\n", rec->type->name, rec->type->fields[f].name, why);
    abort();
}

static inline int fuzz_date_ok(const char *s, size_t n)
{
    if (n != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return 0;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1 || m < 1 || m > 12 || d < 1)
        return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= dim[m - 1] + (m == 2 && leap);
}

/* Aborts when a reader returned failure (rc != 0) but wrote no error into d. */
static inline void fuzz_failed_says_why(int rc, const rhv_diag *d, const char *reader)
{
    if (rc != 0 && d->errors == 0) {
        fprintf(stderr, "fuzz check: %s failed without an error message\n", reader);
        abort();
    }
}

static volatile unsigned fuzz_sink_hole;

static inline void fuzz_check_record(const rhv_record *rec)
{
    for (int f = 0; f < rec->type->nfields; f++) {
        const rhv_value *v = &rec->v[f];
        if (v->kind == VAL_NONE)
            continue;
        if (v->kind != rec->type->fields[f].kind)
            fuzz_fail(rec, f, "value kind differs from the field's kind");
        if (v->kind == VAL_STR || v->kind == VAL_DATE) {
            if (!v->s && v->len)
                fuzz_fail(rec, f, "NULL string with a length");
            unsigned h = 0;
            for (size_t i = 0; i < v->len; i++)
                h = h * 31 + (unsigned char)v->s[i];
            fuzz_sink_hole += h;
        }
        if (v->kind == VAL_DATE && !fuzz_date_ok(v->s, v->len))
            fuzz_fail(rec, f, "date is not a calendar day written YYYY-MM-DD");
        if (v->kind == VAL_BOOL && v->i != 0 && v->i != 1)
            fuzz_fail(rec, f, "bool is not 0 or 1");
    }
}

static inline int fuzz_sink(void *ud, const rhv_record *rec)
{
    (void)ud;
    fuzz_check_record(rec);
    return 0;
}

#endif
