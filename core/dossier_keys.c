/* dossier_keys.c - the exact set of keys that must be unique in one dossier
 * (contract in dossier_internal.h).
 *
 * Why it exists: uniqueness (medewerker id, programma code, ...), the
 * begrotingscategorie a programma names, and a ledger named twice are all the
 * same question, "seen before, and where?". One arena holds the keys, so the
 * cost per record is no allocation beyond the arena's growth; FNV-1a is
 * enough, since every hit is confirmed by comparing the bytes.
 */
#include "dossier_internal.h"

#include <stdlib.h>
#include <string.h>

static uint64_t fnv1a(const char *s, size_t n, uint64_t h)
{
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

void ds_keys_free(ds_keyset *k)
{
    free(k->arena);
    free(k->slots);
    memset(k, 0, sizeof *k);
}

static int keys_grow(ds_keyset *k)
{
    size_t nn = k->nslots ? k->nslots * 2 : 256;
    ds_key_slot *ns = calloc(nn, sizeof *ns);
    if (!ns)
        return -1;
    for (size_t i = 0; i < k->nslots; i++) {
        if (!k->slots[i].len)
            continue;
        size_t j = k->slots[i].hash & (nn - 1);
        while (ns[j].len)
            j = (j + 1) & (nn - 1);
        ns[j] = k->slots[i];
    }
    free(k->slots);
    k->slots = ns;
    k->nslots = nn;
    return 0;
}

long ds_keys_check(ds_keyset *k, char kind, const char *s, size_t n, long line, int insert)
{
    if (k->used * 2 >= k->nslots && keys_grow(k) != 0)
        return -1;
    uint64_t h = fnv1a(s, n, fnv1a(&kind, 1, 1469598103934665603ULL));
    size_t j = h & (k->nslots - 1);
    while (k->slots[j].len) {
        ds_key_slot *e = &k->slots[j];
        if (e->hash == h && e->len == n + 1 && k->arena[e->off] == kind &&
            memcmp(k->arena + e->off + 1, s, n) == 0)
            return e->line > 0 ? e->line : 1;
        j = (j + 1) & (k->nslots - 1);
    }
    if (!insert)
        return 0;
    if (k->alen + n + 1 > k->acap) {
        size_t nc = k->acap ? k->acap : 4096;
        while (nc < k->alen + n + 1)
            nc *= 2;
        char *a = realloc(k->arena, nc);
        if (!a)
            return -1;
        k->arena = a;
        k->acap = nc;
    }
    k->arena[k->alen] = kind;
    memcpy(k->arena + k->alen + 1, s, n);
    k->slots[j] = (ds_key_slot){h, k->alen, n + 1, line};
    k->alen += n + 1;
    k->used++;
    return 0;
}
