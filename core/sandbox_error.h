/* sandbox_error.h - an error from a rule in fields (part of the sandbox).
 *
 * Contract:
 * - sb_msgh is the message handler of sandbox_pcall. It runs where the error
 *   was raised and keeps the error in sb->pending: the position taken off the
 *   text when it names the chunk of a Lua function on the stack, the message,
 *   and the traceback from there. For a non-string error value it shows the
 *   value's __tostring (unless the rule has been stopped) or its type.
 * - sb_report turns a failed status and the error object on top of the stack
 *   into *err (memory errors and a spent budget get messages of their own;
 *   LUA_ERRRUN takes sb->pending) and pops the object.
 * - sb_load_error does the same for a chunk named chunkname that failed to
 *   load (error object on top), taking off a position in that chunk.
 */
#ifndef RHV_SANDBOX_ERROR_H
#define RHV_SANDBOX_ERROR_H

#include "sandbox_internal.h"

int sb_msgh(lua_State *L);
int sb_report(sandbox *sb, int st, sandbox_error *err);
void sb_load_error(sandbox *sb, const char *chunkname, sandbox_error *err);

#endif
