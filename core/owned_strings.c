/* owned_strings.c - see owned_strings.h */
#include "owned_strings.h"

#include <stdlib.h>

char *owned_strings_take(owned_strings *o, char *s)
{
    if (!s)
        return NULL;
    char **ns = realloc(o->s, (o->n + 1) * sizeof *ns);
    if (!ns) {
        free(s);
        return NULL;
    }
    o->s = ns;
    o->s[o->n++] = s;
    return s;
}

void owned_strings_free(owned_strings *o)
{
    for (size_t i = 0; i < o->n; i++)
        free(o->s[i]);
    free(o->s);
    o->s = NULL;
    o->n = 0;
}
