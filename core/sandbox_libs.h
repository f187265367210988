/* sandbox_libs.h - the library policy of a rule state (part of the sandbox):
 * which libraries and functions a rule gets, and how the replaced ones
 * behave. docs/sandbox.md has the table.
 *
 * Contract:
 * - sb_open_libs is a lua_CFunction, run once under lua_pcall on a fresh
 *   state: it opens base, string, table, math and utf8 and nothing else;
 *   removes dofile, loadfile, require and string.dump; replaces load (text
 *   chunks only, a fresh empty environment unless one is given),
 *   collectgarbage ("count" only), print (to the host log, see below),
 *   setmetatable (refuses __gc) and math.randomseed (an argument is needed;
 *   the generator starts from a fixed seed); replaces the string and table
 *   functions that could work without bound (sandbox_guards.h); locks the
 *   string metatable.
 * - xpcall runs the rule's message handler through sb_xpcall_gate, which
 *   skips it once the call is stopped (sandbox_watchdog.h: sb_stop); print
 *   writes through sandbox_log (sandbox.h), within the output limit.
 * - sb_seal is a lua_CFunction that makes the globals table strict: reading
 *   or assigning an undeclared global raises an error naming it.
 */
#ifndef RHV_SANDBOX_LIBS_H
#define RHV_SANDBOX_LIBS_H

#include <lua.h>

int sb_open_libs(lua_State *L);
int sb_xpcall_gate(lua_State *L);
int sb_seal(lua_State *L);

#endif
