/* report_provenance.c - what produced a report (report_provenance.h). */
#define _XOPEN_SOURCE 700 /* realpath */
#include "report_provenance.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "paths.h"
#include "register_decl.h"
#include "rhv_vcs.h"

char *prov_absolute(const char *path)
{
    if (!path)
        return NULL;
    char *r = realpath(path, NULL);
    if (r || path[0] == '/')
        return r ? r : strdup(path);
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd))
        return strdup(path);
    size_t n = strlen(cwd) + strlen(path) + 2;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s/%s", cwd, path);
    return s;
}

/* s owned by the builder from now on; NULL (s freed) when out of memory. */
static char *own(report_prov_builder *b, char *s)
{
    return owned_strings_take(&b->owned, s);
}

/* path absolute, owned; *fail on OOM. NULL stays NULL. */
static const char *abs_owned(report_prov_builder *b, const char *path, int *fail)
{
    if (!path)
        return NULL;
    char *s = own(b, prov_absolute(path));
    if (!s)
        *fail = 1;
    return s;
}

static int rule_dirs(report_prov_builder *b, const report_prov_opts *o)
{
    rhv_report_provenance *p = &b->prov;
    size_t n = (o->default_rules ? 1 : 0) + o->nrules_dirs;
    const char **dirs = b->rule_dirs = calloc(n + 1, sizeof *dirs);
    b->rule_dir_origins = calloc(n + 1, sizeof *b->rule_dir_origins);
    if (!dirs || !b->rule_dir_origins)
        return -1;
    int fail = 0;
    if (o->default_rules) {
        b->rule_dir_origins[p->nrule_dirs] = "bundled";
        dirs[p->nrule_dirs++] = abs_owned(b, o->bundled_dir, &fail);
    }
    for (size_t i = 0; i < o->nrules_dirs; i++) {
        b->rule_dir_origins[p->nrule_dirs] = "rules_dir";
        dirs[p->nrule_dirs++] = abs_owned(b, o->rules_dirs[i], &fail);
    }
    p->rule_dirs = dirs;
    p->rule_dir_origins = b->rule_dir_origins;
    return fail ? -1 : 0;
}

/* The library, then the rules, then the parameter tables, then the
 * register declarations (registers/<name>.lua): they make the record types
 * the dossier was read with, so they too produced the report. */
static int lua_files(report_prov_builder *b, const rhv_engine *e)
{
    size_t nr = engine_rule_count(e), np = engine_param_count(e);
    size_t ndecl = (size_t)(rhv_record_type_count - rhv_record_type_builtin_count);
    size_t nm = engine_module_count(e);
    b->lua = calloc(1 + nm + nr + np + ndecl, sizeof *b->lua);
    if (!b->lua)
        return -1;
    int fail = 0;
    size_t n = 0;
    if (engine_lib_path(e))
        b->lua[n++] = (rhv_report_lua_file){"library", "rhv", abs_owned(b, engine_lib_path(e), &fail),
                                            engine_lib_sha256(e)};
    for (size_t i = 0; i < nm; i++) {
        const rhv_module_info *mi = engine_module(e, i);
        b->lua[n++] = (rhv_report_lua_file){"module", mi->name, abs_owned(b, mi->file, &fail), mi->sha256};
    }
    for (size_t i = 0; i < nr; i++) {
        const rhv_rule_info *ri = engine_rule(e, i);
        b->lua[n++] = (rhv_report_lua_file){"rule", ri->id, abs_owned(b, ri->file, &fail), ri->sha256};
    }
    for (size_t i = 0; i < np; i++) {
        const rhv_param_info *pi = engine_param(e, i);
        b->lua[n++] = (rhv_report_lua_file){"parameters", pi->name, abs_owned(b, pi->file, &fail), pi->sha256};
    }
    for (int i = rhv_record_type_builtin_count; i < rhv_record_type_count; i++) {
        const rhv_record_type *t = rhv_record_types[i];
        if (t->decl)
            b->lua[n++] = (rhv_report_lua_file){"register", t->name, abs_owned(b, t->decl->file, &fail),
                                                t->decl->sha256};
    }
    b->prov.lua_files = b->lua;
    b->prov.nlua_files = n;
    return fail ? -1 : 0;
}

int report_prov_make(report_prov_builder *b, const rhv_engine *e, const report_prov_opts *o)
{
    memset(b, 0, sizeof *b);
    rhv_report_provenance *p = &b->prov;
    p->known = true;
    p->commit = RHV_COMMIT[0] ? RHV_COMMIT : NULL;
    if (sha256_file("/proc/self/exe", b->binary_sha256) == 0)
        p->binary_sha256 = b->binary_sha256;
    p->argv = o->argv;
    p->argc = o->argc;
    p->select = o->select;
    p->default_rules = o->default_rules;
    p->rules_dirs_given = o->rules_dirs;
    p->nrules_dirs_given = o->nrules_dirs;
    p->rule_args = o->rule_args;
    p->nrule_args = o->nrule_args;
    p->threads = o->threads;
    p->mem_limit_mib = o->mem_limit_mib;
    p->format = o->format;
    p->files = o->files;
    p->nfiles = o->nfiles;
    p->als = o->als;
    p->vorige = o->vorige;
    p->peildatum = o->peildatum;
    p->peildatum_given = o->peildatum_given;
    p->rule_origins = o->rule_origins;
    p->home_origin = rhv_home_origin();
    int fail = 0;
    p->cwd = abs_owned(b, ".", &fail);
    p->home = abs_owned(b, rhv_home(), &fail);
    if (fail || rule_dirs(b, o) != 0 || (e && lua_files(b, e) != 0)) {
        report_prov_free(b);
        return -1;
    }
    return 0;
}

void report_prov_free(report_prov_builder *b)
{
    free(b->rule_dirs);
    free(b->rule_dir_origins);
    free(b->lua);
    owned_strings_free(&b->owned);
    memset(b, 0, sizeof *b);
}
