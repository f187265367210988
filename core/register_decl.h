/* register_decl.h - record types that rule authors declare in Lua
 * (registers/<name>.lua, docs/registers.md).
 *
 * Why it exists: a register (subsidies, inhuur, ...) is data the controller
 * keeps and a rule reads, like a built-in record type, but its shape belongs
 * to the rule author. Declaring it in Lua beside the rules keeps the C schema
 * closed while the dossier reader, the engine, `rhv test` and
 * docs/records.md treat a declared register exactly as a built-in type.
 *
 * Contract:
 * - A declaration is data: it runs in a sandbox of its own with an empty
 *   environment and must return
 *     { name = "<file name>", description = "...", key = "<field>",
 *       fields = { { name = "id", kind = "string", required = true,
 *                    doc = "..." }, ... } }
 *   Kinds: string, enum (with values = {...}), amount (exact cents; with
 *   non_negative = true a size), date, integer (optional min, max), boolean,
 *   percentage (two decimals, 0..100), decimal (with scale = 1..4, non-negative).
 *   Every table is checked with lua_fields: an unknown or missing field is an
 *   error naming the file and the field ("fields[2].kind: ..."). The key names
 *   a required string, enum or integer field; its value is unique in a dossier.
 * - registers_load_dir() loads every <name>.lua of a folder in byte order of
 *   the name and appends each as a record type (record_types_add), source
 *   SRC_DOSSIER, named as the register: `<register type="subsidie">` rows are
 *   `subsidie` records and a rule reads them with reads = {"subsidie"},
 *   on_subsidie. A name that is a built-in type is refused.
 * - The registry is process-wide and read-only once loaded: load before any
 *   engine, reader or thread uses record types, and registers_unload() only
 *   when none does any more.
 */
#ifndef RHV_REGISTER_DECL_H
#define RHV_REGISTER_DECL_H

#include "diag.h"
#include "record.h"
#include "value.h"

#define REGISTER_MAX_FIELDS 62 /* the engine's presence masks */

struct register_decl {
    rhv_record_type type;   /* what the rest of rhv sees */
    rhv_field_def *fields;  /* type.fields, owned */
    value_domain *domains;  /* one per field */
    char ***enum_values;    /* per field: NULL-terminated list, or NULL */
    int key;                /* index of the key field */
    char key_kind;          /* kind byte of the key in the dossier's key set */
    char *file;             /* the declaration file */
    char *sha256;
};

/* Load every registers/<name>.lua in dir (a missing folder is no register).
 * 0: all loaded; -1: errors reported in d (the good ones stay loaded). */
int registers_load_dir(const char *dir, rhv_diag *d);
/* registers_load_dir(rhv_path("registers")): what the commands call. */
int registers_load_default(rhv_diag *d);
/* One declaration file; NULL with errors in d. Not yet added as a type. */
struct register_decl *register_decl_load(const char *path, rhv_diag *d);
void register_decl_free(struct register_decl *r);
/* Drop every loaded register (record_types back to the built-in ones). */
void registers_unload(void);

/* The domain of field f of a declared type t. */
const value_domain *register_domain_of(const rhv_record_type *t, const rhv_field_def *f);

#endif
