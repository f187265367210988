/* evidence_lists.h - rhv.evidence_lists(): capped evidence lists for rules, in C.
 *
 * Contract:
 * - A rule that totals spend per bucket (a supplier, an opdracht, a
 *   category) lists the transactions behind each total as evidence, at most
 *   max per bucket, and counts the rest (evidence_omitted). Kept in Lua, an
 *   entry costs a table or a string.pack and thousands of VM instructions;
 *   here it is one C call and about 12 + the text's length bytes (the
 *   places, repeated across entries, are kept once).
 * - rhv.evidence_lists(max) makes a set of lists (max: 0 .. 2^31 - 1 entries
 *   kept per list), a table of four functions bound to it (no self):
 *   ls.new() returns the number of a new, empty list (1, 2, ...).
 * - ls.add(id, tx, line, amount, text, a, b, c): the list's last add had
 *   the same tx (an integer naming a transaction): amount is added to that
 *   entry (or, when it was not kept, nothing changes); otherwise a new entry
 *   {line, amount, text, place} is kept when the list has fewer than max,
 *   else counted as omitted. Book a transaction's lines one after the other.
 *   tx and line are integers as Lua's own integer arguments (3.0 is 3, 1.5
 *   an error), amount an integer (any float is an error), text a string (a
 *   trNr). The place a, b, c (each a string or nil: a file, a journal, a
 *   supplier) is kept once per distinct place for all lists
 *   (evidence_places.h). text and place are read only by an add that makes
 *   an entry.
 * - ls.entries(id) iterates the kept entries in booking order:
 *   `for line, amount, text, a, b, c in ls.entries(id) do`.
 * - ls.count(id) returns the entries kept and the transactions omitted.
 * - Memory comes from the state's own allocator, so the sandbox's memory cap
 *   holds; running out raises a Lua error naming evidence_lists, never a
 *   crash, and leaves the lists as they were.
 */
#ifndef RHV_EVIDENCE_LISTS_H
#define RHV_EVIDENCE_LISTS_H

#include <lua.h>

/* Sets field "evidence_lists" (the constructor) in the table at the top of
 * the stack. */
void evidence_lists_register(lua_State *L);

#endif
