/* lua_fields.h - "this Lua table has only these keys, of these types": one
 * checker for every table of plain data rhv takes from Lua (rule metadata,
 * findings and evidence, `rhv test` cases and expectations, params files).
 *
 * Contract:
 * - A format is a static array of lf_field (name, type, flags, ending with a
 *   NULL name). lf_check() walks the table once with lua_next: reads are raw
 *   (no __index, __len or __pairs runs), every key is seen once, and at most
 *   LF_MAX_KEYS keys are visited, so a hostile table cannot hang the host.
 * - Each field's value is taken while it is still on the stack: strings are
 *   copied (vals[i].s, malloc'd, owned by the caller until lf_free), integers
 *   and booleans stored; table, function and LF_ANY values are left on the
 *   stack above the checked table with their index in vals[i].idx, so the
 *   caller never looks a field up a second time (lua_settop back when done).
 * - Every field gets its own problem (vals[i].problem) and res holds the first
 *   one, key problems (a key that is not a string, an unknown key) first, then
 *   the fields in the order of the format. Of several unknown keys the least
 *   is named (integers by value, then strings in byte order), so the message
 *   does not depend on Lua's hash order.
 * - Text checks (LF_TEXT): no control characters (C0, DEL, C1 as UTF-8), so
 *   no terminal escape sequence and no carriage return; a line break only
 *   with LF_MULTILINE. Rule texts that reach a report are checked so.
 * - lf_check never raises and never allocates Lua memory: it may run outside
 *   a protected call. Out of memory (the string copies) is LF_NO_MEMORY.
 * - lf_list_len(): a list's length read raw (lua_rawlen), refused above a
 *   limit the caller chose.
 */
#ifndef RHV_LUA_FIELDS_H
#define RHV_LUA_FIELDS_H

#include <lua.h>
#include <stdbool.h>
#include <stddef.h>

#define LF_MAX_KEYS 10000
#define LF_KEY_MAX 64 /* an unknown key is named with at most this many bytes */

typedef enum {
    LF_ANY,      /* any non-nil value, left on the stack */
    LF_STRING,   /* copied */
    LF_INTEGER,  /* an integer number, not a float */
    LF_BOOLEAN,
    LF_TABLE,    /* left on the stack */
    LF_FUNCTION, /* left on the stack */
} lf_type;

/* lf_field.flags */
#define LF_REQUIRED 1u  /* nil is LF_MISSING */
#define LF_NONEMPTY 2u  /* a string must not be "" */
#define LF_TEXT 4u      /* a string without control characters, on one line */
#define LF_MULTILINE 8u /* with LF_TEXT: line breaks allowed */

typedef struct {
    const char *name;
    lf_type type;
    unsigned flags;
} lf_field;

/* lf_check opts */
#define LF_OPEN 1u /* other keys are the caller's business: no key problems */

typedef enum {
    LF_OK,
    LF_NOT_TABLE,      /* the value checked is not a table */
    LF_TOO_MANY_KEYS,  /* more than LF_MAX_KEYS keys */
    LF_KEY_NOT_STRING, /* res.key: the key, e.g. "[1]" */
    LF_UNKNOWN_KEY,    /* res.key */
    LF_MISSING,        /* a required field is nil */
    LF_WRONG_TYPE,
    LF_EMPTY,          /* LF_NONEMPTY string is "" */
    LF_LINE_BREAK,     /* LF_TEXT without LF_MULTILINE has '\n' */
    LF_CONTROL,        /* LF_TEXT has a control character at vals[i].at */
    LF_NO_MEMORY,
} lf_problem;

typedef struct {
    lf_problem problem;
    int type;          /* its Lua type (LUA_TNIL when absent) */
    bool is_int;       /* a number that is an integer */
    lua_Integer i;     /* LF_INTEGER; LF_BOOLEAN as 0 or 1 */
    char *s;           /* LF_STRING: a copy, NUL-terminated */
    size_t len;
    int idx;           /* LF_TABLE, LF_FUNCTION, LF_ANY: stack index, 0 when absent */
    size_t at;         /* LF_CONTROL: byte offset of the character */
    int ch;            /* LF_CONTROL: that byte */
} lf_value;

typedef struct {
    lf_problem problem; /* the first problem, LF_OK when none */
    int field;          /* its index in the format; -1 for the table or a key */
    char key[LF_KEY_MAX + 8];
} lf_result;

/* Check the table at idx against fmt; vals has one entry per field of fmt.
 * Returns res->problem. Always call lf_free(vals, ...) afterwards. */
lf_problem lf_check(lua_State *L, int idx, const lf_field *fmt, unsigned opts, lf_value *vals, lf_result *res);
void lf_free(lf_value *vals, size_t n);

/* The type word for messages: "integer"/"float" for numbers, else Lua's name. */
const char *lf_type_word(const lf_value *v);
/* The same for a stack slot. */
const char *lf_type_word_at(lua_State *L, int idx);

/* Text check of s[0..len): LF_OK, LF_LINE_BREAK or LF_CONTROL (*at set). */
lf_problem lf_text_problem(const char *s, size_t len, bool multiline, size_t *at);

/* Length of the list at idx read raw; -1 when it has more than max entries
 * (or is not a table). Runs no metamethod. */
lua_Integer lf_list_len(lua_State *L, int idx, lua_Integer max);

/* A printable copy of s[0..len) for messages: control characters as '?',
 * cut to LF_KEY_MAX bytes with "...". */
void lf_printable(const char *s, size_t len, char *buf, size_t n);

/* A printable copy of the key at idx for messages: control characters as
 * '?', cut to LF_KEY_MAX bytes with "...". */
void lf_key_text(lua_State *L, int idx, char *buf, size_t n);

#endif
