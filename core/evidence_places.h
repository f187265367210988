/* evidence_places.h - the places of rhv.evidence_lists entries.
 *
 * Contract:
 * - A place is a tuple of EVP_TEXTS texts, each a byte string or nil (what
 *   an evidence entry is of: its file, journal and supplier). Each distinct
 *   place is stored once and numbered 0, 1, ... in the order first seen, so
 *   an entry keeps a small number instead of its texts; compared by content
 *   (a fingerprint finds the candidates, the bytes decide: never a false
 *   match).
 * - Memory comes from the allocator f/ud (a rule state's, so its cap holds);
 *   when it runs out evp_intern returns -1 and the set keeps every place it
 *   had.
 */
#ifndef RHV_EVIDENCE_PLACES_H
#define RHV_EVIDENCE_PLACES_H

#include <lua.h>
#include <stddef.h>
#include <stdint.h>

#define EVP_TEXTS 3

typedef struct {
    uint64_t fp;
    size_t off;               /* its texts, one after the other, in the arena */
    uint32_t len[EVP_TEXTS];
    unsigned char nil;        /* bit i: text i is nil */
} evp_place;

typedef struct {
    evp_place *places;
    size_t n, cap;
    uint32_t *slots;          /* a place's number + 1; 0: empty. Power-of-two count */
    size_t nslots;
    char *arena;
    size_t arena_len, arena_cap;
} evp_set;

/* The number of the place s[0..EVP_TEXTS) (s[i] NULL: nil, n[i] its
 * length), added when new; -1 when memory ran out or a text is longer than
 * 4 GiB. */
int64_t evp_intern(evp_set *ps, lua_Alloc f, void *ud, const char *const s[EVP_TEXTS], const size_t n[EVP_TEXTS]);
/* Text i of place k (k < ps->n): NULL for nil, else its bytes and *len. */
const char *evp_text(const evp_set *ps, size_t k, int i, size_t *len);
void evp_free(evp_set *ps, lua_Alloc f, void *ud);

#endif
