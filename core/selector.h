/* selector.h - which rules a run uses: `--rules "begroting.* and not begroting.krediet"`.
 *
 * Contract:
 * - An expression is terms joined by `and`, `or` (also `,`), `not` and
 *   parentheses; `not` binds tightest, then `and`, then `or`.
 * - A term is: a criterion name (begrotingscriterium, voorwaardencriterium,
 *   misbruik_oneigenlijk_gebruik, geen) matching every rule of that criterion;
 *   `all`; a glob with * and ? over rule ids (begroting.*); or an exact id.
 * - selector_unmatched() names a term that matches no rule at all: the caller
 *   treats that as an error (a typo must not silently select nothing).
 */
#ifndef RHV_SELECTOR_H
#define RHV_SELECTOR_H

#include <stdbool.h>
#include <stddef.h>

#include "finding.h"

typedef struct sel_node sel_node;

/* NULL on a syntax error, with *err (malloc'd) saying where. */
sel_node *selector_parse(const char *expr, char **err);
void selector_free(sel_node *n);
bool selector_match(const sel_node *n, const char *id, criterion crit);
/* The text of the first term that matches none of the `count` rules, or NULL. */
const char *selector_unmatched(const sel_node *n, const char *const *ids, const criterion *crits, size_t count);

#endif
