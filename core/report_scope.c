/* report_scope.c - what a run did and did not check (report_scope.h). */
#include "report_scope.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paths.h"

/* A string the builder owns from now on; NULL when out of memory. */
static char *own(report_scope_builder *b, char *s)
{
    return owned_strings_take(&b->owned, s);
}

static char *ownf(report_scope_builder *b, const char *fmt, const char *arg)
{
    int n = snprintf(NULL, 0, fmt, arg);
    char *s = n < 0 ? NULL : malloc((size_t)n + 1);
    if (s)
        snprintf(s, (size_t)n + 1, fmt, arg);
    return own(b, s);
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The rule files engine_load_dir would load from dir, sorted; -1 out of memory.
 * A folder that cannot be read has none (the load reported it). */
static int standard_files(const char *dir, char ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    size_t cap = 0;
    int rc = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        size_t l = strlen(de->d_name);
        if (de->d_name[0] == '.' || l < 5 || strcmp(de->d_name + l - 4, ".lua") != 0 ||
            (l >= 9 && strcmp(de->d_name + l - 9, "_test.lua") == 0))
            continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 32;
            char **nn = realloc(*out, cap * sizeof *nn);
            if (!nn) {
                rc = -1;
                break;
            }
            *out = nn;
        }
        if (!((*out)[*n] = strdup(de->d_name))) {
            rc = -1;
            break;
        }
        (*n)++;
    }
    closedir(d);
    if (*n)
        qsort(*out, *n, sizeof **out, name_cmp);
    return rc;
}

static bool in_dir(const char *file, const char *dir)
{
    size_t dl = strlen(dir);
    return file && strncmp(file, dir, dl) == 0 && file[dl] == '/' && !strchr(file + dl + 1, '/');
}

static int not_run_cmp(const void *a, const void *b)
{
    const rhv_report_not_run *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    return c ? c : strcmp(x->reason, y->reason);
}

/* Why a standard rule is not in the engine. */
static char *absent_reason(report_scope_builder *b, const report_scope_opts *o)
{
    if (!o->default_rules)
        return ownf(b, "%s", "niet geladen (--no-default-rules)");
    if (o->select)
        return ownf(b, "niet geselecteerd (--rules '%s')", o->select);
    return ownf(b, "%s", "niet geladen");
}

static int fill(report_scope_builder *b, const rhv_engine *e, const report_scope_opts *o, char **files,
                size_t nfiles)
{
    size_t nr = engine_rule_count(e);
    b->origins = calloc(nr + 1, sizeof *b->origins);
    b->not_run = calloc(nr + nfiles + 1, sizeof *b->not_run);
    b->no_data = calloc(nr + 1, sizeof *b->no_data);
    if (!b->origins || !b->not_run || !b->no_data)
        return -1;
    rhv_report_scope *s = &b->scope;
    bool complete = o->default_rules;
    for (size_t i = 0; i < nr; i++) {
        const rhv_rule_info *ri = engine_rule(e, i);
        bool standard = o->default_rules && in_dir(ri->file, o->bundled_dir);
        b->origins[i] = standard ? "bundled" : "rules_dir";
        if (ri->status == RULE_OK && engine_rule_records(e, i) == 0) {
            b->no_data[s->nno_data++] = ri->id;
            complete = complete && !standard;
        } else if (ri->status != RULE_OK) {
            const char *why = ri->message ? ri->message : rule_status_name(ri->status);
            char *reason = ownf(b, ri->status == RULE_ERROR ? "fout: %s" : "overgeslagen: %s", why);
            if (!reason)
                return -1;
            b->not_run[s->nnot_run++] = (rhv_report_not_run){ri->id, reason};
            complete = complete && !standard && ri->status != RULE_ERROR;
        }
    }
    for (size_t k = 0; k < nfiles; k++) {
        char *path = malloc(strlen(o->bundled_dir) + strlen(files[k]) + 2);
        if (!path)
            return -1;
        sprintf(path, "%s/%s", o->bundled_dir, files[k]);
        bool loaded = false;
        for (size_t i = 0; i < nr && !loaded; i++)
            loaded = o->default_rules && engine_rule(e, i)->file && strcmp(engine_rule(e, i)->file, path) == 0;
        free(path);
        if (loaded)
            continue;
        char *id = own(b, path_stem(files[k], ".lua"));
        char *reason = id ? absent_reason(b, o) : NULL;
        if (!reason)
            return -1;
        b->not_run[s->nnot_run++] = (rhv_report_not_run){id, reason};
        complete = false;
    }
    if (s->nnot_run > 1)
        qsort(b->not_run, s->nnot_run, sizeof *b->not_run, not_run_cmp);
    s->not_run = b->not_run;
    s->no_data = b->no_data;
    s->complete = complete;
    return 0;
}

int report_scope_make(report_scope_builder *b, const rhv_engine *e, const report_scope_opts *o)
{
    memset(b, 0, sizeof *b);
    rhv_report_scope *s = &b->scope;
    s->known = true;
    s->select = o->select;
    s->default_rules = o->default_rules;
    s->rules_dirs = o->rules_dirs;
    s->nrules_dirs = o->nrules_dirs;
    char **files;
    size_t nfiles;
    int rc = standard_files(o->bundled_dir, &files, &nfiles);
    if (rc == 0)
        rc = fill(b, e, o, files, nfiles);
    for (size_t i = 0; i < nfiles; i++)
        free(files[i]);
    free(files);
    if (rc != 0)
        report_scope_free(b);
    return rc;
}

void report_scope_free(report_scope_builder *b)
{
    free(b->origins);
    free(b->not_run);
    free(b->no_data);
    owned_strings_free(&b->owned);
    memset(b, 0, sizeof *b);
}
