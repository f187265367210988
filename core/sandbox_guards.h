/* sandbox_guards.h - library functions that cannot work without bound (part
 * of the sandbox's library policy, sandbox_libs.h).
 *
 * Some of Lua's library functions can loop for hours inside one C call
 * without allocating and without running a VM instruction, so neither the
 * memory cap nor the instruction budget stops them. A rule gets these
 * versions instead, with the results and messages of Lua 5.4's own, and one
 * bound: a single call may do at most as much work as the call's instruction
 * budget (sandbox_instr_budget) counts instructions; past it the call raises
 * an error naming the function ("string.find: ...", "table.move: ...").
 *
 * Contract (each puts its functions into the table on top of the stack):
 * - sb_open_patterns (sandbox_pattern.c): string.find, match, gmatch, gsub.
 *   Matching counts steps (an attempt at a position, a subject character a
 *   repetition or %b scans); plain searches are linear. They also stop at
 *   once when the call has been stopped (the wall-clock limit).
 * - sb_open_string_guards (sandbox_guards.c): string.rep; an empty result is
 *   made without looping (the other results are bounded by the memory cap).
 * - sb_open_table_guards (sandbox_guards.c): table.move, insert, remove and
 *   concat refuse to move or visit more elements than the budget (a __len
 *   can claim any length, a range any size).
 * The other library functions are bounded by the memory cap, by their
 * arguments (string.format: widths of at most two digits), or run Lua code
 * or other functions between steps, where the budget or the wall-clock limit
 * reaches them (docs/sandbox.md).
 */
#ifndef RHV_SANDBOX_GUARDS_H
#define RHV_SANDBOX_GUARDS_H

#include <lua.h>

void sb_open_patterns(lua_State *L);
void sb_open_string_guards(lua_State *L);
void sb_open_table_guards(lua_State *L);

#endif
