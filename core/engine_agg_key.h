/* engine_agg_key.h - the keys of the aggregations (engine_aggregate.c): how
 * a record's key fields are encoded, hashed and compared with a stored key.
 * Private to the engine (engine_aggregate.c, engine_agg_seen.c,
 * engine_agg_push.c); static inline because they run per record and
 * aggregation. Short strings are compared and copied with small_bytes.h.
 *
 * A key is the record's key fields encoded one after the other: a tag, then
 * the bytes (TAG_STR: 4-byte length and text; TAG_INT: 8 bytes of integer;
 * TAG_BOOL: one byte; TAG_FILE: the 4-byte file_id; TAG_NONE: nothing).
 * Keys are compared byte for byte, so groups are exact (no fingerprint as in
 * rhv.keyset); key_matches gives the same answer as building the key and
 * comparing, without building it.
 */
#ifndef RHV_ENGINE_AGG_KEY_H
#define RHV_ENGINE_AGG_KEY_H

#include "engine_aggregate.h"
#include "small_bytes.h"

#include <string.h>

/* Per record and aggregation: inlined, or a call costs more than the work. */
#define AGG_INLINE static inline __attribute__((always_inline))

/* grow with the common case (room enough) inline: the per-record path
 * reserves several times a record. */
static inline bool reserve(rule *r, void **p, size_t *cap, size_t need, size_t elem, size_t first)
{
    return need <= *cap || eng_agg_grow(r, p, cap, need, elem, first);
}

/* The hash of rec's key (fid: its file_id), from its fields: the same for
 * records with the same key (as build_key would write it). Only the slots
 * of the groups' table depend on it, not their order. */
AGG_INLINE uint64_t hash_fields(const eng_agg *a, const rhv_record *rec, uint32_t fid)
{
    uint64_t h = 0x9E3779B97F4A7C15u;
    for (int k = 0; k < a->nkey; k++) {
        if (a->key[k] == AGG_KEY_FILE) {
            h = mix_small(h, (uint64_t)TAG_FILE << 40 | fid);
            continue;
        }
        const rhv_value *v = &rec->v[a->key[k]];
        switch (v->kind) {
        case VAL_NONE: h = mix_small(h, TAG_NONE); break;
        case VAL_STR:
        case VAL_DATE: h = v->s ? hash_small(mix_small(h, TAG_STR), v->s, v->len) : mix_small(h, TAG_NONE); break;
        case VAL_BOOL: h = mix_small(h, (uint64_t)TAG_BOOL << 40 | (v->i != 0)); break;
        case VAL_INT:
        case VAL_MONEY:
        case VAL_SCALED: h = mix_small(mix_small(h, TAG_INT), (uint64_t)v->i); break;
        }
    }
    /* The slots take the low bits: every input bit must reach them. */
    h = (h ^ (h >> 33)) * 0xC4CEB9FE1A85EC53u;
    return h ^ (h >> 33);
}

/* The key of rec into a->kb (fid: its file_id); its length, or (size_t)-1
 * over the cap. */
static inline size_t build_key(rule *r, eng_agg *a, const rhv_record *rec, uint32_t fid)
{
    size_t need = 0;
    for (int k = 0; k < a->nkey; k++)
        need += a->key[k] == AGG_KEY_FILE ? 5 : 9 + rec->v[a->key[k]].len;
    if (!reserve(r, (void **)&a->kb, &a->capkb, need, 1, 64))
        return (size_t)-1;
    char *o = a->kb;
    for (int k = 0; k < a->nkey; k++) {
        const char *s = NULL;
        size_t len = 0;
        if (a->key[k] == AGG_KEY_FILE) {
            *o++ = fid ? TAG_FILE : TAG_NONE;
            if (fid) {
                memcpy(o, &fid, 4);
                o += 4;
            }
            continue;
        } else {
            const rhv_value *v = &rec->v[a->key[k]];
            switch (v->kind) {
            case VAL_NONE: *o++ = TAG_NONE; continue;
            case VAL_STR:
            case VAL_DATE: s = v->s; len = v->len; break;
            case VAL_BOOL: *o++ = TAG_BOOL; *o++ = v->i != 0; continue;
            case VAL_INT:
            case VAL_MONEY:
            case VAL_SCALED: *o++ = TAG_INT; memcpy(o, &v->i, 8); o += 8; continue;
            }
        }
        if (!s) {
            *o++ = TAG_NONE;
            continue;
        }
        const uint32_t l32 = (uint32_t)len;
        *o++ = TAG_STR;
        memcpy(o, &l32, 4);
        memcpy(o + 4, s, len);
        o += 4 + len;
    }
    return (size_t)(o - a->kb);
}

/* Is the key of rec (fid: its file_id) the key at p, as build_key would
 * write it? Without building it: most records repeat the last one's key
 * (a ledger's lines repeat file, journal, transaction, period, date). p is
 * a key build_key wrote for a, so its tags say how long each part is. */
AGG_INLINE bool key_matches(const eng_agg *a, const rhv_record *rec, uint32_t fid, const char *p, size_t n)
{
    /* The common shape first: _file and one text or integer field
     * (xaf.integriteit's keys per file). p is [TAG_FILE][fid][tag][...] when
     * its first byte says so, and its length n then fixes the text's length
     * (10 + len: TAG_STR, its 4-byte length, the bytes; 14: TAG_INT and 8
     * bytes), so comparing n first keeps every read inside p and needs no
     * length field read. Same answer as the loop below. */
    if (a->nkey == 2 && a->key[0] == AGG_KEY_FILE && fid) {
        const rhv_value *v = &rec->v[a->key[1]];
        uint32_t x;
        if (((1u << v->kind) & (1u << VAL_STR | 1u << VAL_DATE)) && v->s) {
            if (n != 10 + (size_t)v->len || p[0] != TAG_FILE || p[5] != TAG_STR)
                return false;
            memcpy(&x, p + 1, 4);
            return x == fid && same_small(p + 10, v->s, v->len);
        }
        if ((1u << v->kind) & (1u << VAL_INT | 1u << VAL_MONEY | 1u << VAL_SCALED)) {
            int64_t i;
            if (n != 14 || p[0] != TAG_FILE || p[5] != TAG_INT)
                return false;
            memcpy(&x, p + 1, 4);
            memcpy(&i, p + 6, 8);
            return x == fid && i == v->i;
        }
    }
    /* Measured per record and aggregation: a pointer loop, _file as one
     * 4-byte compare, and the text kinds tested first (keys are mostly
     * codes) rather than through a switch. */
    const char *end = p + n;
    for (const int *k = a->key, *kend = a->key + a->nkey; k < kend; k++) { /* p holds nkey parts */
        const char tag = *p++;
        if (*k == AGG_KEY_FILE) {
            if (!fid) {
                if (tag != TAG_NONE)
                    return false;
                continue;
            }
            uint32_t x;
            if (tag != TAG_FILE)
                return false;
            memcpy(&x, p, 4);
            if (x != fid)
                return false;
            p += 4;
            continue;
        }
        const rhv_value *v = &rec->v[*k];
        if ((1u << v->kind) & (1u << VAL_STR | 1u << VAL_DATE)) {
            if (!v->s) {
                if (tag != TAG_NONE)
                    return false;
                continue;
            }
            uint32_t l32;
            if (tag != TAG_STR)
                return false;
            memcpy(&l32, p, 4);
            if (l32 != v->len || !same_small(p + 4, v->s, v->len))
                return false;
            p += 4 + v->len;
            continue;
        }
        int64_t i;
        switch (v->kind) {
        case VAL_BOOL:
            if (tag != TAG_BOOL || *p++ != (v->i != 0))
                return false;
            continue;
        case VAL_INT:
        case VAL_MONEY:
        case VAL_SCALED:
            if (tag != TAG_INT)
                return false;
            memcpy(&i, p, 8);
            if (i != v->i)
                return false;
            p += 8;
            continue;
        default:
            if (tag != TAG_NONE)
                return false;
            continue;
        }
    }
    return p == end;
}

/* memcpy/memcmp for keys: an empty key (an aggregation without key fields)
 * may come with NULL buffers, and memcpy(dst, NULL, 0) is undefined. */
static inline void key_copy(char *dst, const char *src, size_t n)
{
    if (n)
        memcpy(dst, src, n);
}

#endif
