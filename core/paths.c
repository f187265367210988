/* paths.c - see paths.h */
#include "paths.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "rhv_config.h"

static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *rhv_home_origin(void)
{
    const char *env = getenv("RHV_HOME");
    if (env && *env)
        return "RHV_HOME";
    return strcmp(rhv_home(), RHV_SOURCE_ROOT) == 0 ? "source tree" : "installed";
}

const char *rhv_home(void)
{
    const char *env = getenv("RHV_HOME");
    if (env && *env)
        return env;
    char probe[4096];
    snprintf(probe, sizeof probe, "%s/rules", RHV_SOURCE_ROOT);
    if (is_dir(probe))
        return RHV_SOURCE_ROOT;
    return RHV_DATADIR;
}

char *rhv_path(char *buf, unsigned long n, const char *sub)
{
    snprintf(buf, n, "%s/%s", rhv_home(), sub);
    return buf;
}

char *path_relative_to(const char *base, const char *rel)
{
    if (rel[0] == '/')
        return strdup(rel);
    const char *slash = strrchr(base, '/');
    size_t dl = slash ? (size_t)(slash - base) + 1 : 0;
    size_t rl = strlen(rel);
    char *out = malloc(dl + rl + 1);
    if (!out)
        return NULL;
    memcpy(out, base, dl);
    memcpy(out + dl, rel, rl + 1);
    return out;
}

const char *path_display(const char *p)
{
    if (!p)
        return p;
    const char *home = rhv_home();
    size_t hl = strlen(home);
    while (hl > 1 && home[hl - 1] == '/')
        hl--;
    if (strncmp(p, home, hl) == 0 && p[hl] == '/' && p[hl + 1])
        return p + hl + 1;
    return p;
}

char *path_stem(const char *path, const char *suffix)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    size_t n = strlen(b), sl = strlen(suffix);
    if (n > sl && strcmp(b + n - sl, suffix) == 0)
        n -= sl;
    return strndup(b, n);
}
