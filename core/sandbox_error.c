/* sandbox_error.c - how an error from a rule comes back (sandbox_error in
 * sandbox.h).
 *
 * Lua puts the position of an error into its text: error() and luaL_error
 * through luaL_where, the VM for runtime errors, the parser for syntax
 * errors, always as "<short_src>:<line>: ". The message handler runs where the
 * error was raised, so it knows which chunks can be meant: those of the Lua
 * functions on the stack (error("x", 2) names the caller's line; a rethrown
 * message names a function that has returned, but its chunk is still on the
 * stack). It takes the position off for one of them and keeps file, line,
 * message and traceback as fields; for a chunk that failed to load, the
 * loader does the same with that chunk's name. A text that names no such
 * chunk keeps its position as part of the message, exactly as written.
 */
#include "sandbox_error.h"

#include "sandbox_watchdog.h"

#include <inttypes.h>
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How deep the handler looks for the chunk a position names. */
#define MAX_LEVELS 64

void sandbox_error_free(sandbox_error *e)
{
    if (!e)
        return;
    free(e->file);
    free(e->message);
    free(e->traceback);
    memset(e, 0, sizeof *e);
}

char *sandbox_error_text(const sandbox_error *e)
{
    const char *msg = e->message ? e->message : "(no message)";
    size_t n = strlen(msg) + (e->file ? strlen(e->file) + 32 : 0) + (e->traceback ? strlen(e->traceback) + 1 : 0) + 1;
    char *s = malloc(n);
    if (!s)
        return NULL;
    int k;
    if (e->file && e->line > 0)
        k = snprintf(s, n, "%s:%ld: %s", e->file, e->line, msg);
    else if (e->file)
        k = snprintf(s, n, "%s: %s", e->file, msg);
    else
        k = snprintf(s, n, "%s", msg);
    if (e->traceback && k >= 0 && (size_t)k < n)
        snprintf(s + k, n - (size_t)k, "\n%s", e->traceback);
    return s;
}

/* When msg starts with "<src>:<line>: ", the length of that prefix and the
 * line; else 0. Only the form Lua writes (a line > 0 without sign or leading
 * zero), so that sandbox_error_text gives back exactly the same text. */
static size_t position_len(const char *msg, const char *src, long *line)
{
    size_t n = strlen(src);
    if (n == 0 || strncmp(msg, src, n) != 0 || msg[n] != ':')
        return 0;
    const char *p = msg + n + 1;
    long l = 0;
    int digits = 0;
    if (*p < '1' || *p > '9')
        return 0;
    while (*p >= '0' && *p <= '9' && digits < 10) {
        l = l * 10 + (*p++ - '0');
        digits++;
    }
    if (p[0] != ':' || p[1] != ' ')
        return 0;
    *line = l;
    return (size_t)(p + 2 - msg);
}

/* Fill e from msg (position taken off when at names the chunk) and tb. */
static void keep(sandbox_error *e, const char *msg, size_t at, const char *file, long line, const char *tb)
{
    sandbox_error_free(e);
    if (at) {
        e->file = strdup(file);
        e->line = line;
        msg += at;
    }
    e->message = strdup(msg);
    e->traceback = tb ? strdup(tb) : NULL;
}

int sb_msgh(lua_State *L)
{
    sandbox *sb = sb_of(L);
    const char *msg = lua_tostring(L, 1);
    if (!msg) {
        /* A stopped rule runs no more code, not even its __tostring. */
        if (!sb->stop && luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
            msg = lua_tostring(L, -1);
        else
            msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    }
    lua_Debug ar;
    size_t at = 0;
    long line = 0;
    for (int lv = 1; lv <= MAX_LEVELS && !at && lua_getstack(L, lv, &ar); lv++)
        if (lua_getinfo(L, "S", &ar) && ar.what[0] != 'C')
            at = position_len(msg, ar.short_src, &line);
    luaL_traceback(L, L, NULL, 1);
    keep(&sb->pending, msg, at, at ? ar.short_src : NULL, line, lua_tostring(L, -1));
    lua_pushvalue(L, 1);
    return 1;
}

int sb_report(sandbox *sb, int st, sandbox_error *err)
{
    lua_State *L = sb->L;
    char buf[160];
    const char *msg = NULL;
    if (st == LUA_ERRMEM) {
        snprintf(buf, sizeof buf, "memory limit of %zu bytes exceeded", sb->heap.limit);
        msg = buf;
    } else if (st == LUA_ERRERR && sb->stop) {
        sb_stop_text(sb, buf, sizeof buf);
        msg = buf;
    } else if (st == LUA_ERRRUN && sb->pending.message) {
        *err = sb->pending;
        memset(&sb->pending, 0, sizeof sb->pending);
    } else {
        msg = lua_tostring(L, -1);
        if (!msg) {
            snprintf(buf, sizeof buf, "(error object is a %s value)", luaL_typename(L, -1));
            msg = buf;
        }
    }
    if (msg)
        keep(err, msg, 0, NULL, 0, NULL);
    sandbox_error_free(&sb->pending);
    lua_pop(L, 1);
    return st;
}

void sb_load_error(sandbox *sb, const char *chunkname, sandbox_error *err)
{
    lua_State *L = sb->L;
    const char *msg = lua_tostring(L, -1);
    if (!msg) {
        sb_report(sb, LUA_ERRMEM, err);
        return;
    }
    /* The chunk's short_src, as Lua makes it from the name (shortened when
     * long): from an empty chunk of the same name. */
    size_t at = 0;
    long line = 0;
    lua_Debug ar;
    if (lua_checkstack(L, 2)) {
        if (luaL_loadbufferx(L, "", 0, chunkname, "t") == LUA_OK && lua_getinfo(L, ">S", &ar))
            at = position_len(msg, ar.short_src, &line);
        else
            lua_pop(L, 1); /* the error object of the failed empty load */
    }
    keep(err, msg, at, at ? ar.short_src : NULL, line, NULL);
    lua_pop(L, 1);
}
