/* cmd_verify.c - `rhv verify REPORT.json`: re-run a report from itself.
 *
 * The report names what produced it (docs/report-json.md: inputs, lua_files,
 * build, invocation). verify checks the sha256 of every input and Lua file
 * and of the running rhv binary against it, runs `rhv check` again with the
 * recorded options in the recorded working folder, and compares the new
 * report with the old one (cmd_verify_compare.c). It prints "identical" or
 * one line per difference, then "different".
 * Exit: 0 identical; 1 different; 2 cannot verify (the report cannot be
 * read or has no provenance, a file it names is missing, the re-run made no
 * report) - the message names the file.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd_verify.h"
#include "commands.h"
#include "hash.h"

static void verify_usage(FILE *out)
{
    fputs("Usage: rhv verify REPORT.json\n"
          "\n"
          "Re-run the check a JSON report was made by, from what the report records: check the\n"
          "sha256 of every input, rule, plugin and parameter file it names and of the rhv binary,\n"
          "run `rhv check` again with the recorded options in the recorded folder, and compare.\n"
          "Prints \"identical\", or each difference (a changed file, a finding added or removed,\n"
          "a total) and \"different\".\n"
          "\n"
          "Exit codes: 0 identical; 1 different; 2 cannot verify (unreadable report, a missing\n"
          "file, named).\n",
          out);
}

static const char *jstring(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static bool is_dir(const char *p)
{
    struct stat st;
    return p && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* path as the re-run sees it: relative paths are from the recorded folder. */
static void resolve(char *buf, size_t n, const char *wd, const char *path)
{
    if (path[0] == '/' || !wd)
        snprintf(buf, n, "%s", path);
    else
        snprintf(buf, n, "%s/%s", wd, path);
}

typedef struct {
    int missing, changed;
} file_check;

/* One hashed file: missing (counted, named), changed (named), or as recorded. */
static void check_file(file_check *fc, const char *what, const char *shown, const char *path, const char *want)
{
    char have[SHA256_HEX_LEN];
    if (sha256_file(path, have) != 0) {
        if (want && strcmp(want, "unreadable") == 0)
            return; /* unreadable then, unreadable now */
        printf("  missing: %s %s (%s)\n", what, shown, strerror(errno ? errno : ENOENT));
        fc->missing++;
        return;
    }
    if (!want || strcmp(want, have) != 0) {
        printf("  changed: %s %s (sha256 %s in the report, now %s)\n", what, shown, want ? want : "none", have);
        fc->changed++;
    }
}

static void check_files(file_check *fc, json_t *rep, const char *wd)
{
    char path[4096];
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(rep, "inputs"), i, v) {
        const char *p = jstring(v, "path");
        if (!p)
            continue;
        resolve(path, sizeof path, wd, p);
        check_file(fc, jstring(v, "kind") ? jstring(v, "kind") : "input", p, path, jstring(v, "sha256"));
    }
    json_array_foreach(json_object_get(rep, "lua_files"), i, v) {
        const char *p = jstring(v, "path");
        if (!p)
            continue;
        resolve(path, sizeof path, wd, p);
        char what[128];
        snprintf(what, sizeof what, "%s %s", jstring(v, "role") ? jstring(v, "role") : "lua",
                 jstring(v, "name") ? jstring(v, "name") : "?");
        check_file(fc, what, p, path, jstring(v, "sha256"));
    }
    const char *bin = jstring(json_object_get(rep, "build"), "binary_sha256");
    char have[SHA256_HEX_LEN];
    if (bin && sha256_file("/proc/self/exe", have) == 0 && strcmp(bin, have) != 0) {
        printf("  changed: the rhv binary (sha256 %s in the report, this one %s)\n", bin, have);
        fc->changed++;
    }
}

/* Appends s to the argument list; the list has room (counted by the caller). */
#define ARG(s) (args[n++] = (char *)(s))

/* The check's arguments from the recorded options; NULL when out of memory. */
static char **rerun_args(json_t *inv, const char *out_path)
{
    json_t *opt = json_object_get(inv, "options");
    json_t *dirs = json_object_get(opt, "rules_dirs"), *ra = json_object_get(opt, "rule_args");
    json_t *files = json_object_get(inv, "files");
    size_t cap = 16 + 6 /* --als, --vorige, --peildatum */ + 2 * json_array_size(dirs) + 2 * json_array_size(ra) +
                 json_array_size(files);
    char **args = calloc(cap, sizeof *args);
    static char threads[24], mem[24];
    static const char *const handled[][2] = {{"als", "--als"}, {"vorige", "--vorige"}, {"peildatum", "--peildatum"}};
    if (!args)
        return NULL;
    size_t n = 0, i;
    json_t *v;
    ARG("rhv");
    ARG("check");
    ARG("-q");
    ARG("--format");
    ARG("json");
    ARG("--output");
    ARG(out_path);
    json_t *t = json_object_get(opt, "threads");
    if (json_is_integer(t)) {
        snprintf(threads, sizeof threads, "%lld", (long long)json_integer_value(t));
        ARG("--threads");
        ARG(threads);
    }
    json_t *m = json_object_get(opt, "mem_limit_mib");
    if (json_is_integer(m)) {
        snprintf(mem, sizeof mem, "%lld", (long long)json_integer_value(m));
        ARG("--mem-limit");
        ARG(mem);
    }
    if (jstring(opt, "rules")) {
        ARG("--rules");
        ARG(jstring(opt, "rules"));
    }
    if (json_is_false(json_object_get(opt, "default_rules")))
        ARG("--no-default-rules");
    json_array_foreach(dirs, i, v) if (json_string_value(v)) {
        ARG("--rules-dir");
        ARG(json_string_value(v));
    }
    json_array_foreach(ra, i, v) if (json_string_value(v)) {
        ARG("--rule-arg");
        ARG(json_string_value(v));
    }
    /* The scenario and the earlier report as given; the peildatum the run
     * used, also when it was the day of the run (docs/handled.md). */
    for (size_t k = 0; k < sizeof handled / sizeof handled[0]; k++)
        if (jstring(opt, handled[k][0])) {
            ARG(handled[k][1]);
            ARG(jstring(opt, handled[k][0]));
        }
    ARG("--");
    json_array_foreach(files, i, v) if (json_string_value(v))
        ARG(json_string_value(v));
    args[n] = NULL;
    return args;
}

/* rhv check again, as recorded, writing JSON to out_path. The exit status of
 * the re-run is in the report it writes; -1 when it could not be started. */
static int rerun(json_t *inv, const char *wd, const char *out_path)
{
    char **args = rerun_args(inv, out_path);
    if (!args)
        return -1;
    json_t *home = json_object_get(inv, "home");
    const char *home_path = jstring(home, "path"), *origin = jstring(home, "origin");
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        if (wd && chdir(wd) != 0)
            _exit(127);
        /* The same rules, plugins and parameter tables: the home as it was
         * chosen then (RHV_HOME given, or found by rhv itself). */
        if (origin && strcmp(origin, "RHV_HOME") == 0 && home_path)
            setenv("RHV_HOME", home_path, 1);
        else
            unsetenv("RHV_HOME");
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0) {
            dup2(null, STDOUT_FILENO);
            dup2(null, STDERR_FILENO);
        }
        execv("/proc/self/exe", args);
        _exit(127);
    }
    free(args);
    if (pid < 0)
        return -1;
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(st) && WEXITSTATUS(st) != 127 ? 0 : -1;
}

/* Re-run and compare: differences printed, their number returned; -1 when
 * the re-run made no report. */
static int rerun_and_compare(json_t *rep, json_t *inv, const char *wd)
{
    const char *tmpdir = getenv("TMPDIR");
    char out_path[4096];
    snprintf(out_path, sizeof out_path, "%s/rhv-verify.XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
    int fd = mkstemp(out_path);
    if (fd < 0) {
        printf("  cannot verify: no temporary file for the re-run (%s)\n", strerror(errno));
        return -1;
    }
    close(fd);
    int rc = -1;
    if (rerun(inv, wd, out_path) != 0) {
        printf("  cannot verify: rhv check could not be run again\n");
    } else {
        json_error_t err;
        json_t *now = json_load_file(out_path, 0, &err);
        if (!now) {
            printf("  cannot verify: the re-run made no report (%s)\n", err.text);
        } else {
            rc = verify_compare(stdout, rep, now);
            json_decref(now);
        }
    }
    unlink(out_path);
    return rc;
}

int cmd_verify(int argc, char **argv)
{
    if (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        verify_usage(stdout);
        return 0;
    }
    if (argc != 2) {
        verify_usage(stderr);
        return 2;
    }
    const char *report = argv[1];
    json_error_t err;
    json_t *rep = json_load_file(report, 0, &err);
    if (!rep) {
        fprintf(stderr, "rhv verify: %s:%d: cannot read the report: %s\n", report, err.line, err.text);
        return 2;
    }
    json_t *inv = json_object_get(rep, "invocation");
    if (!json_is_object(inv) || !json_is_array(json_object_get(rep, "lua_files"))) {
        fprintf(stderr, "rhv verify: %s: the report does not record what produced it (no invocation or "
                        "lua_files: made by an older rhv, or by hand)\n", report);
        json_decref(rep);
        return 2;
    }
    /* Relative paths are from the folder the check ran in; without it (the
     * report moved to another machine) from here. */
    const char *wd = jstring(inv, "working_directory");
    if (!is_dir(wd)) {
        printf("  note: the recorded folder %s does not exist; paths are taken from here\n", wd ? wd : "(none)");
        wd = NULL;
    }
    printf("rhv verify: %s\n", report);
    file_check fc = {0, 0};
    check_files(&fc, rep, wd);
    int code;
    if (fc.missing) {
        printf("cannot verify: %d file(s) missing\n", fc.missing);
        code = 2;
    } else {
        int diffs = rerun_and_compare(rep, inv, wd);
        if (diffs < 0) {
            puts("cannot verify");
            code = 2;
        } else if (diffs + fc.changed == 0) {
            puts("identical");
            code = 0;
        } else {
            puts("different");
            code = 1;
        }
    }
    json_decref(rep);
    return code;
}
