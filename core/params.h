/* params.h - legal parameter tables (params/<name>.lua): thresholds and maxima
 * that change by year (EU drempels, WNT maximum).
 *
 * Contract:
 * - A params file is data: it is evaluated in its own sandbox with an empty
 *   environment (text only, no library functions) and must return
 *     { name = "<file name>", description = "...", unit = "cents",
 *       values = { { from = 2022, to = 2023, value = <value>,
 *                    source = "publication + address", status = "V" }, ... } }
 *   `to` may be absent (open-ended; only the latest period). A value is an
 *   integer, a string, a boolean or a table of those (nested tables allowed);
 *   floats are refused, because amounts are exact. Unknown fields, overlapping
 *   periods, an open period that is not the last: errors naming file and field.
 * - params_resolve() gives the period covering a fiscal year (from <= year <= to),
 *   or an error naming the parameter and the year.
 * - Every file is hashed (sha256) so a report can say which table it used.
 * - Values are kept as a C tree (rhv_pvalue) so they can be pushed into any
 *   rule's lua_State: rule states never share Lua objects.
 */
#ifndef RHV_PARAMS_H
#define RHV_PARAMS_H

#include <lua.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

typedef enum { PV_INT, PV_STR, PV_BOOL, PV_TABLE } pv_kind;

typedef struct rhv_pvalue rhv_pvalue;
typedef struct rhv_pentry rhv_pentry;

struct rhv_pvalue {
    pv_kind kind;
    int64_t i;           /* PV_INT, PV_BOOL (0/1) */
    char *s;             /* PV_STR */
    size_t len;
    rhv_pentry *entries; /* PV_TABLE, keys sorted (integers first, then strings) */
    size_t n;
};

struct rhv_pentry {
    rhv_pvalue key;      /* PV_INT or PV_STR */
    rhv_pvalue val;
};

typedef struct {
    int from, to;        /* inclusive fiscal years; `to` is meaningless when open */
    bool open;           /* no `to`: valid from `from` onwards */
    rhv_pvalue value;
    char *source;
    char *status;
} rhv_param_period;

typedef struct {
    char *name;
    char *description;
    char *unit;
    char *file;
    char *sha256;
    rhv_param_period *periods; /* sorted by from */
    size_t n;
} rhv_param_table;

/* Load and check params file `path`; the table name must equal the file's
 * base name without ".lua". NULL on error: reported in d, and when why is not
 * NULL, *why is the reason (malloc'd; the diag's message, without the file),
 * or NULL when even that could not be kept. The file runs in a sandbox of its
 * own: do not call this from inside another sandbox's protected call. */
rhv_param_table *params_load(const char *path, rhv_diag *d, char **why);
/* A parameter table name: ^[a-z0-9_]+$ (at most 64 bytes), the base name of
 * a file in the parameter folder, never a path. */
bool params_valid_name(const char *s, size_t len);
/* Load dir/<name>.lua; a name that is not valid is an error, so nothing
 * outside dir is ever read. */
rhv_param_table *params_load_named(const char *dir, const char *name, rhv_diag *d, char **why);
void params_free(rhv_param_table *t);

/* The period covering fiscal_year, or NULL with *err (malloc'd) naming table and year. */
const rhv_param_period *params_resolve(const rhv_param_table *t, int fiscal_year, char **err);

/* Convert the Lua value at idx (integer, string, boolean, table of those) into
 * *out. Returns 0, or -1 with *err (malloc'd) naming the offending path, with
 * `what` as its first part (e.g. "value"). Does not raise. */
int pvalue_from_lua(lua_State *L, int idx, const char *what, rhv_pvalue *out, char **err);
/* Push a value onto L. May raise a Lua memory error: call in protected code. */
void pvalue_push(lua_State *L, const rhv_pvalue *v);
int pvalue_copy(rhv_pvalue *dst, const rhv_pvalue *src);
void pvalue_free(rhv_pvalue *v);

#endif
