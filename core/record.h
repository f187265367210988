/* record.h - the records that readers produce and rules read.
 *
 * Contract:
 * - Every input (dossier, XAF ledger) is turned into a stream of records. A
 *   record has a type with a fixed schema (record_types.c, documented in
 *   docs/records.md), the file and line it came from, and one value per field
 *   of the schema, in schema order. An absent optional field has kind VAL_NONE
 *   and reaches Lua as nil.
 * - Values borrow their strings: a record is valid only during the call it is
 *   handed to (rhv_sink). Whoever needs a value later copies it. This lets the
 *   readers reuse one record and one text buffer for millions of lines.
 * - MONEY values are int64 cents. SCALED values are decimals held as integers
 *   with the scale named in the schema (hours x100, fte x10000, ...). Both reach
 *   Lua as integers; no float anywhere.
 */
#ifndef RHV_RECORD_H
#define RHV_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    VAL_NONE = 0, /* absent: nil in Lua */
    VAL_STR,      /* s,len */
    VAL_INT,      /* i: plain integer (counts, years, ids that are numbers) */
    VAL_MONEY,    /* i: cents */
    VAL_SCALED,   /* i: decimal x 10^scale (scale in the field def) */
    VAL_BOOL,     /* i: 0 or 1 */
    VAL_DATE      /* s,len: "YYYY-MM-DD" (zone stripped, validated) */
} val_kind;

typedef struct {
    val_kind kind;
    const char *s;
    size_t len;
    int64_t i;
} rhv_value;

typedef struct {
    const char *name;  /* key in the Lua table */
    val_kind kind;     /* the kind when present */
    int scale;         /* for VAL_SCALED: number of decimals */
    bool required;     /* readers must report a missing required field */
    const char *doc;   /* one line for docs/records.md and `rhv records` */
} rhv_field_def;

typedef enum { SRC_DOSSIER = 1, SRC_LEDGER = 2 } rhv_source_kind;

typedef struct {
    const char *name;          /* "programma", "xaf.trLine" */
    rhv_source_kind source;    /* which kind of input produces it */
    const rhv_field_def *fields;
    int nfields;
    const char *doc;
    const struct register_decl *decl; /* declared in Lua (register_decl.h); NULL: built in */
} rhv_record_type;

typedef struct {
    const rhv_record_type *type;
    const char *file;  /* path as given on the command line or in the dossier; unlike the values it
                          lives as long as what the reader filled in (the dossier: dossier.h) */
    long line;
    rhv_value *v;      /* type->nfields values */
} rhv_record;

/* The sink every reader writes to. Returns 0 to go on, non-zero to stop. */
typedef int (*rhv_sink)(void *ud, const rhv_record *rec);

/* All record types, in a fixed order (the order of docs/records.md): the
 * built-in ones, then the registers declared in Lua (register_decl.h), which
 * are appended once, before anything reads the table. */
#define RHV_MAX_RECORD_TYPES 64
extern const rhv_record_type *rhv_record_types[RHV_MAX_RECORD_TYPES];
extern int rhv_record_type_count;
extern const int rhv_record_type_builtin_count;
/* Appends t; -1 when the table is full. */
int record_types_add(const rhv_record_type *t);
/* Drops the appended types (back to the built-in ones). */
void record_types_reset(void);
const rhv_record_type *record_type_find(const char *name);
/* Index of field `name` in `t`, or -1. */
int record_field_index(const rhv_record_type *t, const char *name);
/* The xaf.prior.* twin of a ledger record type (same fields), or NULL when
 * a prior ledger's records of that type are not handed to rules. */
const rhv_record_type *record_type_prior(const rhv_record_type *t);

/* Convenience setters for readers. */
/* A text value: k is VAL_STR or VAL_DATE. */
static inline void val_text(rhv_value *v, val_kind k, const char *s, size_t len)
{
    v->kind = k; v->s = s; v->len = len; v->i = 0;
}
static inline void val_str(rhv_value *v, const char *s, size_t len)
{
    val_text(v, VAL_STR, s, len);
}
static inline void val_int(rhv_value *v, val_kind k, int64_t i)
{
    v->kind = k; v->s = NULL; v->len = 0; v->i = i;
}
static inline void val_none(rhv_value *v)
{
    v->kind = VAL_NONE; v->s = NULL; v->len = 0; v->i = 0;
}

#endif
