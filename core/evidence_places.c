/* evidence_places.c - see evidence_places.h
 *
 * Open addressing over the places' fingerprints (at most 3/4 full), the
 * texts in one arena. In the hot path of a rule (one intern per booked
 * line) this costs a light hash of the texts and one compare: less than
 * the Lua table lookups it replaces (file, journal, supplier -> number).
 */
#include "evidence_places.h"

#include <stddef.h>
#include <string.h>

#include "sandbox_alloc.h"
#include "slot_index.h"
#include "small_bytes.h"

/* A hash to find candidates by, not to decide (same() does). */
static uint64_t place_fp(const char *const s[EVP_TEXTS], const size_t n[EVP_TEXTS])
{
    uint64_t h = 0x9e3779b97f4a7c15ULL;
    for (int i = 0; i < EVP_TEXTS; i++)
        h = s[i] ? hash_small(mix_small(h, 1), s[i], n[i]) : mix_small(h, 0); /* nil is not "" */
    return h;
}

static int same(const evp_set *ps, const evp_place *p, const char *const s[EVP_TEXTS], const size_t n[EVP_TEXTS])
{
    const char *at = ps->arena ? ps->arena + p->off : ""; /* (all texts empty or nil: no arena yet) */
    for (int i = 0; i < EVP_TEXTS; i++) {
        if (!s[i] != !!(p->nil & (1u << i)))
            return 0;
        if (s[i]) {
            if (p->len[i] != n[i] || !same_small(at, s[i], n[i]))
                return 0;
            at += n[i];
        }
    }
    return 1;
}

/* Slots for the places, rebuilt twice as many when 3/4 full. */
static int grow_slots(evp_set *ps, lua_Alloc f, void *ud)
{
    if ((ps->n + 1) * 4 <= ps->nslots * 3)
        return 1;
    size_t ns = ps->nslots ? ps->nslots * 2 : 64;
    if (ns > SIZE_MAX / sizeof(uint32_t) || ps->n >= UINT32_MAX - 1)
        return 0;
    uint32_t *sl = f(ud, NULL, 0, ns * sizeof *sl);
    if (!sl)
        return 0;
    memset(sl, 0, ns * sizeof *sl);
    slot_index_fill(sl, ns, ps->places, ps->n, sizeof *ps->places, offsetof(evp_place, fp));
    if (ps->slots)
        f(ud, ps->slots, ps->nslots * sizeof *sl, 0);
    ps->slots = sl;
    ps->nslots = ns;
    return 1;
}

int64_t evp_intern(evp_set *ps, lua_Alloc f, void *ud, const char *const s[EVP_TEXTS], const size_t n[EVP_TEXTS])
{
    uint64_t fp = place_fp(s, n);
    if (ps->nslots) {
        for (size_t i = (size_t)fp & (ps->nslots - 1); ps->slots[i]; i = (i + 1) & (ps->nslots - 1)) {
            const evp_place *p = &ps->places[ps->slots[i] - 1];
            if (p->fp == fp && same(ps, p, s, n))
                return (int64_t)ps->slots[i] - 1;
        }
    }
    size_t total = 0;
    for (int i = 0; i < EVP_TEXTS; i++) {
        if (n[i] > UINT32_MAX || total > SIZE_MAX - n[i])
            return -1;
        total += n[i];
    }
    if (total > SIZE_MAX - ps->arena_len ||
        !sb_grow(f, ud, (void **)&ps->arena, &ps->arena_cap, 1, ps->arena_len + total, 1024) ||
        !sb_grow(f, ud, (void **)&ps->places, &ps->cap, sizeof(evp_place), ps->n + 1, 16) || !grow_slots(ps, f, ud))
        return -1;
    evp_place *p = &ps->places[ps->n];
    p->fp = fp;
    p->off = ps->arena_len;
    p->nil = 0;
    for (int i = 0; i < EVP_TEXTS; i++) {
        p->len[i] = (uint32_t)n[i];
        if (!s[i])
            p->nil |= (unsigned char)(1u << i);
        else if (n[i]) {
            memcpy(ps->arena + ps->arena_len, s[i], n[i]);
            ps->arena_len += n[i];
        }
    }
    ps->slots[slot_index_empty(ps->slots, ps->nslots, fp)] = (uint32_t)ps->n + 1;
    return (int64_t)ps->n++;
}

const char *evp_text(const evp_set *ps, size_t k, int i, size_t *len)
{
    const evp_place *p = &ps->places[k];
    if (p->nil & (1u << i))
        return NULL;
    size_t off = p->off;
    for (int j = 0; j < i; j++)
        off += p->len[j];
    *len = p->len[i];
    return ps->arena ? ps->arena + off : "";
}

void evp_free(evp_set *ps, lua_Alloc f, void *ud)
{
    if (ps->places)
        f(ud, ps->places, ps->cap * sizeof(evp_place), 0);
    if (ps->slots)
        f(ud, ps->slots, ps->nslots * sizeof(uint32_t), 0);
    if (ps->arena)
        f(ud, ps->arena, ps->arena_cap, 0);
    memset(ps, 0, sizeof *ps);
}
