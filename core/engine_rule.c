/* engine_rule.c - one rule's status and its protected calls.
 *
 * A rule becomes error (message kept, reported to diag now or, while worker
 * threads run, at their join in rule order) or skipped (reason kept) and is
 * then not called again; a failed rule also drops its findings and frees its
 * state early. eng_protected is the one way into a rule's lua_State: every
 * touch that can allocate goes through it.
 */
#include "engine_internal.h"

#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int eng_type_index(const rhv_record_type *t)
{
    for (int i = 0; i < rhv_record_type_count; i++)
        if (rhv_record_types[i] == t)
            return i;
    return -1;
}

static char *first_line(const char *s)
{
    const char *nl = strchr(s, '\n');
    return strndup(s, nl ? (size_t)(nl - s) : strlen(s));
}

void eng_rule_error_diag(rule *r, const char *msg)
{
    /* "file:line: text" from Lua or "file: text" from the checks: give the
     * diag its own file and line instead of repeating them in the text. */
    char *fl = first_line(msg);
    const char *text = fl ? fl : msg;
    long line = 0;
    size_t flen = strlen(r->info.file);
    if (strncmp(text, r->info.file, flen) == 0 && text[flen] == ':') {
        char *end;
        long l = strtol(text + flen + 1, &end, 10);
        if (end != text + flen + 1 && *end == ':') {
            line = l;
            text = end + 1;
        } else {
            text += flen + 1;
        }
        while (*text == ' ')
            text++;
    }
    diag_error(r->e->diag, r->info.file, line, "rule %s: %s", r->info.id, text);
    free(fl);
}

void eng_rule_set_error(rule *r, const char *msg)
{
    char *m = strdup(msg);
    free(r->info.message);
    r->info.message = m;
    r->info.status = RULE_ERROR;
    r->running = false;
    /* The diag is shared: worker threads leave it to the join, which also
     * keeps the order of the messages independent of thread timing. */
    if (r->e->defer_diag)
        r->diag_deferred = true;
    else
        eng_rule_error_diag(r, m ? m : msg);
}

void eng_rule_set_skipped(rule *r, const char *reason)
{
    free(r->info.message);
    r->info.message = strdup(reason);
    r->info.status = RULE_SKIPPED;
    r->running = false;
}

void eng_rule_free(rule *r)
{
    if (!r)
        return;
    rule_info_free(&r->info);
    sandbox_free(r->sb);
    for (size_t i = 0; i < r->nparams; i++)
        free(r->params[i]);
    free(r->params);
    for (size_t i = 0; i < r->nargs; i++) {
        free(r->args[i].key);
        free(r->args[i].s);
    }
    free(r->args);
    eng_drop_findings(r);
    free(r->findings);
    finding_free(&r->pending);
    free(r->description);
    free(r->legal_text);
    free(r->legal_source);
    free(r->limit_err);
    free(r);
}

/* Run f(L) with one light userdata argument under the sandbox's protection. */
int eng_protected(rule *r, lua_CFunction f, void *ud, char **err)
{
    lua_State *L = sandbox_state(r->sb);
    if (!lua_checkstack(L, 4)) {
        *err = strdup("Lua stack exhausted");
        return -1;
    }
    lua_pushcfunction(L, f);
    lua_pushlightuserdata(L, ud);
    if (sandbox_pcall(r->sb, 1, 0, err) != LUA_OK)
        return -1;
    if (r->limit_err) { /* raised inside and caught by the rule's own pcall */
        *err = strdup(r->limit_err);
        return -1;
    }
    return 0;
}

/* A failed rule is never called again: release its state (up to the memory
 * cap) now rather than at engine_free, keeping its peak for the report. */
void eng_rule_failed(rule *r, char *err)
{
    eng_rule_set_error(r, err ? err : "out of memory");
    free(err);
    eng_drop_findings(r);
    if (r->sb) {
        r->mem_peak = sandbox_mem_peak(r->sb);
        sandbox_free(r->sb);
        r->sb = NULL;
    }
}
