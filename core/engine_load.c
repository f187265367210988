/* engine_load.c - reading rule files and folders into the engine.
 *
 * A rule file gets its own sandbox with the rhv library, runs, and its table
 * goes through the metadata checks (engine_meta.c); whatever fails, the rule
 * stays in the list with status error and the reason, and the others still
 * load. The list is kept sorted by rule id. Parameter tables are loaded once
 * per engine and shared by the rules that name them.
 */
#include "engine_internal.h"

#include <dirent.h>
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "paths.h"

/* Keep the rule list sorted by id (stable: equal ids keep load order). */
static void insert_sorted(rhv_engine *e, rule *r)
{
    size_t i = e->nrules;
    while (i > 0 && strcmp(e->rules[i - 1]->info.id, r->info.id) > 0) {
        e->rules[i] = e->rules[i - 1];
        i--;
    }
    e->rules[i] = r;
    e->nrules++;
}

char *eng_read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 8192, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap)
            break;
        char *nb = realloc(buf, cap * 2);
        if (!nb) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = nb;
        cap *= 2;
    }
    if (buf && ferror(f)) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = n;
    return buf;
}

rhv_param_table *eng_table_cached(rhv_engine *e, const char *name)
{
    for (size_t i = 0; i < e->ntables; i++)
        if (strcmp(e->tables[i]->name, name) == 0)
            return e->tables[i];
    return NULL;
}

rhv_param_table *eng_table(rhv_engine *e, const char *name, char **why)
{
    if (why)
        *why = NULL;
    rhv_param_table *t = eng_table_cached(e, name);
    if (t)
        return t;
    rhv_param_table **nt = realloc(e->tables, (e->ntables + 1) * sizeof *nt);
    if (!nt)
        return NULL;
    e->tables = nt;
    t = params_load_named(e->params_dir, name, e->diag, why);
    if (t)
        e->tables[e->ntables++] = t;
    return t;
}

/* The params tables used by the rules now in the engine, by name. */
void eng_rebuild_pinfo(rhv_engine *e)
{
    free(e->pinfo);
    e->pinfo = NULL;
    e->npinfo = 0;
    if (!e->ntables)
        return;
    e->pinfo = calloc(e->ntables, sizeof *e->pinfo);
    if (!e->pinfo)
        return;
    for (size_t i = 0; i < e->ntables; i++) {
        rhv_param_table *t = e->tables[i];
        bool used = false;
        for (size_t j = 0; j < e->nrules && !used; j++)
            for (size_t k = 0; k < e->rules[j]->nparams; k++)
                if (strcmp(e->rules[j]->params[k], t->name) == 0)
                    used = true;
        if (!used)
            continue;
        size_t at = e->npinfo;
        while (at > 0 && strcmp(e->pinfo[at - 1].name, t->name) > 0) {
            e->pinfo[at] = e->pinfo[at - 1];
            at--;
        }
        e->pinfo[at] = (rhv_param_info){t->name, t->file, t->sha256};
        e->npinfo++;
    }
}

static int load_into(rhv_engine *e, rule *r, const char *path);

/* The parameter tables r names (engine_meta.c took the names), loaded here,
 * after r's protected call: a params file runs in a sandbox of its own, and
 * protected calls never nest across states. The first table that does not
 * load is r's metadata problem, ahead of any found after the names: the
 * names are taken only while no earlier field has failed, and the checks
 * used to load each table as they met its name. Like them, stop at it. */
static void load_params(rhv_engine *e, rule *r)
{
    for (size_t k = 0; k < r->nparams; k++) {
        char *why = NULL;
        if (eng_table(e, r->params[k], &why))
            continue;
        snprintf(r->meta_err, sizeof r->meta_err, "field 'params[%d]': parameter table '%s' (%s/%s.lua): %s",
                 (int)k + 1, r->params[k], e->params_dir, r->params[k], why ? why : "cannot be loaded");
        free(why);
        for (size_t j = k + 1; j < r->nparams; j++)
            free(r->params[j]);
        r->nparams = k + 1;
        return;
    }
}

int engine_load_file(rhv_engine *e, const char *path)
{
    rule **nr = realloc(e->rules, (e->nrules + 1) * sizeof *nr);
    if (!nr) {
        diag_error(e->diag, path, 0, "out of memory");
        return -1;
    }
    e->rules = nr;
    rule *r = calloc(1, sizeof *r);
    if (!r) {
        diag_error(e->diag, path, 0, "out of memory");
        return -1;
    }
    r->e = e;
    r->ref_ctx = r->ref_finish = r->ref_readonly = LUA_NOREF;
    for (int i = 0; i < MAX_TYPES; i++)
        r->ref_handler[i] = r->ref_rec[i] = r->ref_keys[i] = r->ref_fcache[i] = LUA_NOREF;
    r->info.file = strdup(path);
    r->info.id = path_stem(path, ".lua");
    r->info.crit = CRIT_NONE;
    if (!r->info.file || !r->info.id) {
        eng_rule_free(r);
        diag_error(e->diag, path, 0, "out of memory");
        return -1;
    }
    insert_sorted(e, r);
    int rc = load_into(e, r, path);
    /* insert_sorted used the file name; the id read from the file (even of a
     * rule that then failed a check) may sort elsewhere. */
    size_t at = 0;
    while (e->rules[at] != r)
        at++;
    memmove(&e->rules[at], &e->rules[at + 1], (e->nrules - at - 1) * sizeof *e->rules);
    e->nrules--;
    insert_sorted(e, r);
    if (rc == 0)
        eng_rebuild_pinfo(e);
    eng_rebuild_minfo(e);
    return rc;
}

/* Everything after the rule is in the list: its status says how it went. */
static int load_into(rhv_engine *e, rule *r, const char *path)
{
    char hex[SHA256_HEX_LEN];
    if (sha256_file(path, hex) != 0) {
        eng_rule_set_error(r, "cannot read the rule file");
        return -1;
    }
    if (!(r->info.sha256 = strdup(hex)) || !(r->sb = sandbox_new(e->mem_limit, e->budget))) {
        eng_rule_set_error(r, "out of memory");
        return -1;
    }
    sandbox_set_name(r->sb, r->info.id);
    sandbox_error err = {0};
    if (eng_protected(r, eng_init_state, r, &err) != 0 || sandbox_seal(r->sb) != 0) {
        char *text = err.message ? sandbox_error_text(&err) : NULL;
        char msg[ERRBUF + 64];
        snprintf(msg, sizeof msg, "cannot load the helper library: %s", text ? text : "out of memory");
        free(text);
        sandbox_error_free(&err);
        eng_rule_set_error(r, msg);
        sandbox_free(r->sb);
        r->sb = NULL;
        return -1;
    }
    lua_State *L = sandbox_state(r->sb);
    lua_pushcfunction(L, eng_check_meta);
    lua_pushlightuserdata(L, r);
    if (sandbox_load_file_err(r->sb, path, &err) != 0 || sandbox_pcall_err(r->sb, 0, 1, &err) != LUA_OK ||
        sandbox_pcall_err(r->sb, 2, 0, &err) != LUA_OK) {
        lua_settop(L, 0);
        eng_rule_take_error(r, &err);
        sandbox_free(r->sb);
        r->sb = NULL;
        return -1;
    }
    load_params(e, r);
    if (!r->meta_err[0] && eng_protected(r, eng_load_uses, r, &err) != 0) {
        eng_rule_take_error(r, &err);
        sandbox_free(r->sb);
        r->sb = NULL;
        return -1;
    }
    if (r->meta_err[0]) {
        eng_rule_set_error_in_file(r, r->meta_err);
        sandbox_free(r->sb);
        r->sb = NULL;
        return -1;
    }
    for (size_t i = 0; i < e->nrules; i++) {
        rule *o = e->rules[i];
        if (o != r && strcmp(o->info.id, r->info.id) == 0 && o->info.status != RULE_ERROR) {
            char msg[ERRBUF];
            snprintf(msg, sizeof msg, "field 'id': duplicate rule id '%s' (also in %s)", r->info.id, o->info.file);
            eng_rule_set_error_in_file(r, msg);
            sandbox_free(r->sb);
            r->sb = NULL;
            return -1;
        }
    }
    r->info.status = RULE_OK;
    return 0;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int engine_load_dir(rhv_engine *e, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        diag_error(e->diag, dir, 0, "cannot open the rules folder");
        return -1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        size_t l = strlen(de->d_name);
        if (de->d_name[0] == '.' || l < 5 || strcmp(de->d_name + l - 4, ".lua") != 0)
            continue;
        if (l >= 9 && strcmp(de->d_name + l - 9, "_test.lua") == 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            char **nn = realloc(names, cap * sizeof *nn);
            if (!nn) {
                rc = -1;
                break;
            }
            names = nn;
        }
        if (!(names[n] = strdup(de->d_name))) {
            rc = -1;
            break;
        }
        n++;
    }
    closedir(d);
    if (rc != 0)
        diag_error(e->diag, dir, 0, "out of memory");
    qsort(names, n, sizeof *names, name_cmp);
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (engine_load_file(e, path) != 0)
            rc = -1;
        free(names[i]);
    }
    free(names);
    return rc;
}
