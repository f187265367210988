/* fingerprint.h - a stable name for a finding, the same in every run.
 *
 * Why it exists: controllers run rhv every month before closing and record
 * what they decided about a finding (beoordeling.h) or compare with an
 * earlier report (previous.h). The finding's place in the report or its
 * evidence line changes between runs; its fingerprint does not.
 *
 * Contract (docs/handled.md, Fingerprints):
 * - "RULE:YEAR:HASH", e.g. "begroting.lasten:2023:3f9a0c1d22be": the rule
 *   id, the fiscal year (0 when unknown) and 12 lowercase hex digits of the
 *   sha256 of "rhv-fingerprint-1\n" RULE "\n" then "key\n" KEY when the rule
 *   gave a key, else "subject\n" SUBJECT. The year is in the name, not in the
 *   hash, so the same finding a year later differs only in YEAR.
 * - Never the amount, the message or a file line: those change while the
 *   finding stays the same one.
 * - Rule ids hold no ':', so the three parts split unambiguously.
 */
#ifndef RHV_FINGERPRINT_H
#define RHV_FINGERPRINT_H

#include <stdbool.h>

#include "finding.h"

/* malloc'd; NULL when out of memory. */
char *fingerprint_make(const rhv_finding *f, int fiscal_year);
/* The same finding in any fiscal year: equal RULE and HASH. */
bool fingerprint_same_finding(const char *a, const char *b);

#endif
