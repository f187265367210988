/* rule.c - see rule.h
 *
 * A rule becomes error (fields kept, reported to diag now or, while worker
 * threads run, at their join in rule order) or skipped (reason kept).
 * eng_protected is the one way into a rule's lua_State.
 */
#include "engine_aggregate.h"

#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The first line of s (the diag's text). */
static char *first_line(const char *s)
{
    const char *nl = strchr(s, '\n');
    return strndup(s, nl ? (size_t)(nl - s) : strlen(s));
}

void eng_rule_error_diag(rule *r)
{
    const sandbox_error *x = &r->error;
    /* Raised in the rule's own file: the diag gets that line, and the text
     * without the position; from anywhere else the whole first line. */
    bool own = x->file && strcmp(x->file, r->info.file) == 0;
    char *whole = own ? NULL : sandbox_error_text(x);
    const char *src = own ? x->message : whole;
    while (own && src && *src == ' ')
        src++;
    char *text = src ? first_line(src) : NULL;
    diag_error(r->e->diag, r->info.file, own ? x->line : 0, "rule %s: %s", r->info.id,
               text ? text : "out of memory");
    free(text);
    free(whole);
}

/* Status error with r->error as it now is. */
static void set_error(rule *r)
{
    free(r->info.message);
    r->info.message = sandbox_error_text(&r->error);
    r->info.status = RULE_ERROR;
    r->running = false;
    /* The diag is shared: worker threads leave it to the join, which also
     * keeps the order of the messages independent of thread timing. */
    if (r->e->defer_diag)
        r->diag_deferred = true;
    else
        eng_rule_error_diag(r);
}

void eng_rule_take_error(rule *r, sandbox_error *err)
{
    sandbox_error_free(&r->error);
    sandbox_error_free(&r->limit);
    r->error = *err;
    memset(err, 0, sizeof *err);
    if (!r->error.message && !r->error.file)
        r->error.message = strdup("out of memory");
    set_error(r);
}

static void set_message(rule *r, const char *file, const char *msg)
{
    sandbox_error_free(&r->error);
    r->error.file = file ? strdup(file) : NULL;
    r->error.message = strdup(msg);
    set_error(r);
}

void eng_rule_set_error(rule *r, const char *msg)
{
    set_message(r, NULL, msg);
}

void eng_rule_set_error_in_file(rule *r, const char *msg)
{
    set_message(r, r->info.file, msg);
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
    eng_agg_release(r);
    for (int i = 0; i < r->nagg; i++)
        eng_seen_free(&r->agg[i]);
    free(r->agg);
    sandbox_free(r->sb);
    sandbox_error_free(&r->error);
    for (size_t i = 0; i < r->nparams; i++)
        free(r->params[i]);
    free(r->params);
    for (size_t i = 0; i < r->nuses; i++)
        free(r->uses[i]);
    free(r->mods);
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
    free(r);
}

/* Run f(L) with one light userdata argument under the sandbox's protection. */
int eng_protected(rule *r, lua_CFunction f, void *ud, sandbox_error *err)
{
    lua_State *L = sandbox_state(r->sb);
    if (!lua_checkstack(L, 4)) {
        memset(err, 0, sizeof *err);
        err->message = strdup("Lua stack exhausted");
        return -1;
    }
    if (sandbox_cpcall_err(r->sb, f, ud, err) != LUA_OK)
        return -1;
    if (r->limit.message) { /* raised inside and caught by the rule's own pcall */
        err->file = r->limit.file ? strdup(r->limit.file) : NULL;
        err->line = r->limit.line;
        err->message = strdup(r->limit.message);
        err->traceback = NULL;
        return -1;
    }
    return 0;
}

/* A failed rule is never called again: release its state (up to the memory
 * cap) now rather than at engine_free, keeping its peak for the report. */
void eng_rule_failed(rule *r, sandbox_error *err)
{
    eng_rule_take_error(r, err);
    eng_drop_findings(r);
    if (r->sb) {
        r->mem_peak = sandbox_mem_peak(r->sb);
        eng_agg_release(r);
        sandbox_free(r->sb);
        r->sb = NULL;
    }
}

void eng_rule_failed_msg(rule *r, const char *msg)
{
    sandbox_error e = {0};
    e.message = strdup(msg);
    eng_rule_failed(r, &e);
}
