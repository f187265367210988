/* sandbox.h - one locked-down Lua 5.4 state per rule.
 *
 * Contract:
 * - sandbox_new() makes a state whose allocator refuses to go over mem_limit
 *   bytes (the failing allocation raises LUA_ERRMEM; the state stays usable;
 *   the cap counts the bytes Lua asks for, and blocks up to 256 bytes come
 *   from the state's own slabs, kept until sandbox_free) and opens only base,
 *   string, table, math and utf8. dofile, loadfile, require, collectgarbage
 *   (except "count"), print (goes to the host log, within the output limit),
 *   xpcall (its handler is skipped in a stopped call) and the raw load are
 *   removed or replaced: load() accepts text chunks only.
 *   io, os, package and debug do not exist; string.dump is gone; setmetatable
 *   refuses __gc (finalizers run with hooks off, out of the budget's reach);
 *   math.random starts from a fixed seed.
 * - Globals are strict: reading or writing an undeclared global raises an
 *   error naming it. The string metatable is locked.
 * - Stopped means stopped: once a call is over its budget, its time or its
 *   output limit, no more rule code runs in it (not a message handler of the
 *   rule's xpcall, not a __close, not a __gc: finalizers are refused), and
 *   the library functions that can work long without running an instruction
 *   are bounded by the call's budget (sandbox_guards.h). docs/sandbox.md
 *   lists every limit.
 * - sandbox_pcall() runs a function with an instruction budget. A call runs
 *   without any hook for its first 50 ms (CLOCK_MONOTONIC, checked every
 *   10 ms by a watchdog thread); a call still running after that gets a count
 *   hook, armed from a signal handler in the call's own thread, and from then
 *   on every VM instruction counts: once more than the budget have run since
 *   the hook was armed, the call is stopped: the hook raises, and keeps
 *   raising on every further call, line and instruction, so a rule's own
 *   pcall cannot swallow it. The same watchdog stops a call that has run
 *   longer than its wall-clock limit (sandbox_set_time_limit). So: any call runs at most
 *   about 50-60 ms plus `budget` instructions; a call that ends within the
 *   slice is never stopped, whatever it executed. The hook is removed when the
 *   call ends and never reaches another call. (Why: a count hook makes Lua 5.4
 *   trap on every instruction, ~45 % of a rule's time; docs/sandbox.md.)
 *   Without a watchdog (thread creation failed, or in a forked child until
 *   its first sandbox_new) every call counts from its start.
 *   sandbox_pcall does not nest across states: called on a thread where
 *   another state's call is running, it runs nothing and returns LUA_ERRRUN
 *   (a host loads what a rule needs from other states before or after the
 *   rule's call). Re-entering the same state from a C function continues the
 *   enclosing call's budget. A state may move between threads between calls,
 *   never during one.
 *   Errors come back as fields (sandbox_error): the chunk and line where the
 *   error was raised, the message without them, and Lua's traceback; or as
 *   the one string Lua would show ("file:line: message\nstack traceback:..."),
 *   which sandbox_error_text composes from the fields. Memory errors are
 *   "memory limit of N bytes exceeded", without position or traceback.
 * - sandbox_load_file() loads a rule file in text mode only, chunk name "@path".
 */
#ifndef RHV_SANDBOX_H
#define RHV_SANDBOX_H

#include <lua.h>
#include <stddef.h>
#include <stdint.h>

typedef struct sandbox sandbox;

sandbox *sandbox_new(size_t mem_limit, uint64_t instr_budget);
void sandbox_free(sandbox *sb);
lua_State *sandbox_state(sandbox *sb);
/* Bytes the state holds now and at most so far. */
size_t sandbox_mem_used(const sandbox *sb);
size_t sandbox_mem_peak(const sandbox *sb);

/* An error from a rule, in fields. Lua writes the position into the message
 * text (luaL_where, the VM, the parser); the sandbox takes it off where the
 * error is raised, for the chunks on the stack there (or the chunk being
 * loaded), so no caller has to take a string apart. */
typedef struct {
    char *file;      /* the chunk as Lua names it (its short_src), or NULL: no position */
    long line;       /* > 0: the line in file; 0: the file as a whole */
    char *message;   /* the text without the position ("attempt to ...") */
    char *traceback; /* "stack traceback:\n\t...", or NULL (load and memory errors) */
} sandbox_error;

void sandbox_error_free(sandbox_error *e);
/* The error as Lua shows it: "file:line: message" ("file: message" for line 0,
 * the message alone without file), then "\n" and the traceback if any.
 * malloc'd; NULL when memory ran out. */
char *sandbox_error_text(const sandbox_error *e);

/* Load a text chunk from a file or buffer; on success pushes the function and
 * returns 0, else returns -1 and *err is a malloc'd message (caller frees). */
int sandbox_load_file(sandbox *sb, const char *path, char **err);
int sandbox_load_buffer(sandbox *sb, const char *buf, size_t len, const char *chunkname, char **err);
/* The same with the error in fields (*err zeroed first; free with
 * sandbox_error_free; a field may be NULL when memory ran out). */
int sandbox_load_file_err(sandbox *sb, const char *path, sandbox_error *err);
int sandbox_load_buffer_err(sandbox *sb, const char *buf, size_t len, const char *chunkname, sandbox_error *err);

/* Like lua_pcall(L, nargs, nresults, msgh) with the budget armed. Returns
 * LUA_OK or an error status; on error *err is a malloc'd message (caller frees)
 * and the stack is as lua_pcall leaves it minus the error object. */
int sandbox_pcall(sandbox *sb, int nargs, int nresults, char **err);
/* The same with the error in fields, as sandbox_load_file_err. */
int sandbox_pcall_err(sandbox *sb, int nargs, int nresults, sandbox_error *err);
/* sandbox_pcall_err of f(ud) with no results (the stack as it was after):
 * the host's way into a state per record and run, with less stack work. */
int sandbox_cpcall_err(sandbox *sb, lua_CFunction f, void *ud, sandbox_error *err);

/* From a C function running inside sandbox_pcall on this state: end the
 * current call for the budget and start a new one, exactly as a new
 * sandbox_pcall would (instruction count and time slice restart; a hook the
 * watchdog armed is removed). Lets a host make many short calls into a rule
 * inside one protected call without giving up the per-call budget. No effect
 * outside a call. */
void sandbox_next_call(sandbox *sb);

/* After the state is set up: make the globals table strict (call once, after
 * the host has installed everything rules may use). Returns 0, or -1 when
 * memory ran out (the state is then not strict: do not run a rule in it). */
int sandbox_seal(sandbox *sb);

/* The signal the watchdog sends to arm a long call's hook (a real-time
 * signal), or 0 when no watchdog runs (then every call counts from its
 * start). Threads that call sandbox_pcall must not block it. */
int sandbox_watchdog_signal(void);

/* Name shown by print() on the host log ("[name] ..."); copied. Optional. */
void sandbox_set_name(sandbox *sb, const char *name);
/* The limits the state was made with (for messages). */
size_t sandbox_mem_limit(const sandbox *sb);
uint64_t sandbox_instr_budget(const sandbox *sb);
/* Change the budget for the following calls (e.g. a larger one for a call
 * that aggregates everything, like a rule's finish); the time limit becomes
 * the default for the new budget. */
void sandbox_set_instr_budget(sandbox *sb, uint64_t instr_budget);
/* Wall-clock time per call in ms: by default 100 ns per instruction of the
 * budget, at least 1 s (5 s for 50 million). A call still running after it
 * is stopped like one over its budget ("time limit of N ms exceeded", with
 * the C function it was in when it is stopped on entering or leaving one).
 * It holds while the watchdog runs (sandbox_watchdog_signal() != 0). */
void sandbox_set_time_limit(sandbox *sb, uint64_t ms);
uint64_t sandbox_time_limit(const sandbox *sb);

/* Bytes a state may write to the host log (print, the host's own log
 * functions) over its whole life. */
#define SANDBOX_OUTPUT_LIMIT (1024u * 1024u)

/* From a C function running inside sandbox_pcall on L: write
 * "[name] text\n" to the host log (stderr), counting against the output
 * limit. The line that would go over it is not written; a notice is, and the
 * call is stopped: this raises "output limit of N bytes exceeded" and every
 * further instruction of the state raises again. Does not return then. */
void sandbox_log(lua_State *L, const char *text, size_t len);
/* The function's arguments, each through tostring (__tostring and __name
 * as in Lua's print), joined by sep, through sandbox_log: print and rhv.log
 * differ only in sep. Returns 0 (no results) for a lua_CFunction. */
int sandbox_log_args(lua_State *L, char sep);

/* A lua_CFunction for data files (parameter tables, register declarations):
 * runs the loaded chunk (arg 1) with an empty _ENV and returns its result. */
int sandbox_eval_data(lua_State *L);

#endif
