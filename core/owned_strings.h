/* owned_strings.h - a list of malloc'd strings freed together: for builders
 * that hand out const char * into data they made (report_scope.c,
 * report_provenance.c) and free it all at the end.
 *
 * Contract: owned_strings_take() takes s (malloc'd, may be NULL) into the
 * list and returns it; NULL when s was NULL or out of memory, and then s is
 * freed, so a caller only checks the result. owned_strings_free() frees every
 * string taken and leaves the list empty. A zeroed owned_strings is empty.
 */
#ifndef RHV_OWNED_STRINGS_H
#define RHV_OWNED_STRINGS_H

#include <stddef.h>

typedef struct {
    char **s;
    size_t n;
} owned_strings;

char *owned_strings_take(owned_strings *o, char *s);
void owned_strings_free(owned_strings *o);

#endif
