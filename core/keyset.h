/* keyset.h - rhv.keyset(): a compact set of string keys for rules, in C.
 *
 * Contract:
 * - A rule that must remember one key per record pays about 100 bytes a key
 *   as Lua strings in a table; a keyset
 *   keeps a 64-bit fingerprint and one integer per key in an open-addressing
 *   table, 16 bytes a slot at most 85% full: about 20 bytes a key, so a
 *   5-million-line ledger stays inside a rule's memory cap. The table doubles
 *   in place (keyset.c, grow), so growing needs the new table and a bit per
 *   old slot, not the old table beside the new one.
 * - set:add(key, value) returns nil when key is new (and stores value, an
 *   integer), or the value stored with the key's first add. set:find(key)
 *   returns that value or nil without adding. set:count() is the number of
 *   keys. Keys are compared by fingerprint: two different keys match
 *   with probability about n^2 / 2^65 (1e-7 for 1.7 million keys), so a rule
 *   reports a match with the evidence of both records, for a person to confirm.
 * - The `seen` aggregation (engine_agg_seen.c, facturen.dubbel) uses the
 *   same set from C through keyset_c_*.
 * - Memory comes from the state's own allocator, so the sandbox's memory cap
 *   holds; running out raises a Lua error, never a crash.
 */
#ifndef RHV_KEYSET_H
#define RHV_KEYSET_H

#include <lua.h>
#include <stddef.h>
#include <stdint.h>

/* The set itself, for C users (the `seen` aggregation, engine_agg_seen.c):
 * memory from f/ud (a rule state's allocator, so the cap holds). */
typedef struct {
    uint64_t fp;   /* 0: empty */
    int64_t value;
} keyset_slot;

typedef struct {
    keyset_slot *slots;
    size_t cap;    /* power of two */
    size_t count;
} keyset_c;

/* The value slot of fingerprint fp: found (*added = 0) or added with value 0
 * (*added = 1); NULL when memory ran out (the set is unchanged). */
int64_t *keyset_c_slot(keyset_c *ks, lua_Alloc f, void *ud, uint64_t fp, int *added);
/* The value slot of fp, or NULL when absent. */
int64_t *keyset_c_find(const keyset_c *ks, uint64_t fp);
/* Bytes the slots take. */
size_t keyset_c_bytes(const keyset_c *ks);
void keyset_c_free(keyset_c *ks, lua_Alloc f, void *ud);

/* Sets field "keyset" (the constructor) in the table at the top of the stack. */
void keyset_register(lua_State *L);

/* The fingerprint, exposed for tests. Never 0. */
uint64_t keyset_fingerprint(const char *s, size_t len);

#endif
