/* paths.h - where rhv finds its Lua parts (rules/, plugins/, params/).
 *
 * Contract: RHV_HOME from the environment wins; else the source tree rhv was
 * built from, when it still has rules/ (so a build runs from its checkout);
 * else the installed data folder. The result is a folder path, never NULL.
 */
#ifndef RHV_PATHS_H
#define RHV_PATHS_H

const char *rhv_home(void);
/* Why rhv_home() is what it is: "RHV_HOME", "source tree" or "installed".
 * A report names it, so an installed rhv never silently uses a checkout's rules. */
const char *rhv_home_origin(void);
/* rhv_home() + "/" + sub into buf (size n); returns buf. */
char *rhv_path(char *buf, unsigned long n, const char *sub);
/* path relative to the folder of `base` (absolute paths are returned as-is). */
char *path_relative_to(const char *base, const char *rel); /* malloc'd */

/* For reports: a path inside rhv's home is shown relative to it
 * ("rules/begroting.lasten.lua"), so a report does not depend on where rhv is
 * installed or checked out. Other paths are returned unchanged. */
const char *path_display(const char *p);

/* The file name of path without its folder and without suffix (".lua"), malloc'd:
 * "rules/begroting.lasten.lua" -> "begroting.lasten". NULL when out of memory. */
char *path_stem(const char *path, const char *suffix);

#endif
