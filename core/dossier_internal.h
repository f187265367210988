/* dossier_internal.h - what the dossier reader's files share; not for other modules.
 *
 * The reader (dossier.h) is split by what each part does:
 *   dossier.c          the element/section state machine (what may stand
 *                      where), the reader's messages and error cap, and the
 *                      public dossier_read/dossier_free
 *   dossier_lines.c    the lock-step tag scanner: the exact line of each '<'
 *                      and of each attribute
 *   dossier_keys.c     the set of keys that must be unique in one dossier
 *   dossier_schema.c   the schema beyond record_types.c and value_fields.c:
 *                      unique keys, which element holds which records
 *   dossier_values.c   one attribute's text parsed (value.h) and reported
 *   dossier_records.c  one record element: its attributes, unique keys,
 *                      checks across fields, the totals rhv keeps, the sink
 *   dossier_ledger.c   one <ledger> or <beoordelingen> element: a file that
 *                      exists, named once
 *   dossier_table.c    the rows of a table (workbook sheet, CSV register)
 *                      judged as record elements, with header and totals
 *   dossier_workbook.c the dossier as an .xlsx workbook
 *   dossier_register.c one <register> element: its type, its CSV file or
 *                      its own rows
 *   dossier_register_csv.c the registers' CSV files, read as tables
 *
 * Names shared between these files start with ds_ (the engine's keyset.h
 * is a different thing: rules' fingerprint sets, not exact keys).
 */
#ifndef RHV_DOSSIER_INTERNAL_H
#define RHV_DOSSIER_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "dossier.h"
#include "xlsx_book.h"
#include "xml_stream.h"

#define DS_TAG_ATTR_MAX 64 /* = xml_stream's ATTR_MAX */

/* XML's four white-space characters; the scanner and the value parsers must agree. */
static inline int ds_is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* A value (not NUL-terminated) is exactly the literal. */
static inline int ds_equals(const char *s, size_t len, const char *lit)
{
    return strlen(lit) == len && memcmp(s, lit, len) == 0;
}

/* ---- dossier_lines.c ------------------------------------------------------
 * libxml2 reports the line of a start tag's closing '>'. The scanner reads the
 * same file in lock-step and gives the line of the tag's '<' and of each
 * attribute, checked against libxml2 on every tag; at the first disagreement
 * it switches itself off for the rest of the file and libxml2's line is used.
 * So a line is exact or libxml2's, never invented. */
typedef struct {
    FILE *f;            /* NULL: scan mem */
    const char *mem;
    size_t mem_len, mem_pos;
    int on;
    long line;
    char name[128];
    size_t name_len;
    long start_line, end_line;
    long attr_line[DS_TAG_ATTR_MAX];
    int nattr;
} ds_lines;

/* Opens path for scanning; when it cannot be opened the scanner is off. */
void ds_lines_open(ds_lines *ts, const char *path);
/* The same over len bytes at buf (dossier_read_mem); buf outlives the scan. */
void ds_lines_open_mem(ds_lines *ts, const char *buf, size_t len);
/* Steps to the start tag libxml2 just reported (local name, attribute count,
 * line of its '>'). Sets *line to the line of its '<' and *attr_lines to one
 * line per attribute, or, when the scanner is (or now goes) off, to xml_line
 * and NULL. Call it for every start tag, skipped ones too, to stay in step. */
void ds_lines_follow(ds_lines *ts, const char *local, int nattrs, long xml_line, long *line,
                     const long **attr_lines);
void ds_lines_close(ds_lines *ts);

/* ---- dossier_keys.c -------------------------------------------------------
 * Exact (not fingerprinted) keys, each under a kind byte so that a programma
 * code and a reserve code never collide; one arena and an open-addressing
 * table, so a record costs no allocation beyond arena growth. */
typedef struct {
    uint64_t hash;
    size_t off, len; /* in the arena; len 0 = empty slot (keys are never empty: kind byte) */
    long line;
} ds_key_slot;

typedef struct {
    char *arena;
    size_t alen, acap;
    ds_key_slot *slots;
    size_t nslots, used;
} ds_keyset;

/* Looks up kind+s. Returns the line of an earlier entry (> 0), 0 when new
 * (inserted with `line` if insert is set), -1 when out of memory. */
long ds_keys_check(ds_keyset *k, char kind, const char *s, size_t n, long line, int insert);
void ds_keys_free(ds_keyset *k);

/* ---- dossier_schema.c -----------------------------------------------------
 * The fields whose value must be unique in one dossier. What values a field
 * allows is value_fields.c's, shared with `rhv test`. */
typedef struct {
    const char *type, *field;
    char unique; /* kind byte in the keyset */
} ds_field_rule;

/* Kind bytes the reader also looks up outside the table. */
#define DS_KEY_CATEGORIE 'C' /* begrotingscategorie categorie, named by programma/reserve/krediet */
#define DS_KEY_LEDGER 'L'    /* a ledger's resolved path */

extern const ds_field_rule ds_field_rules[];
extern const size_t ds_nfield_rules;

/* An element that holds record elements: its name and theirs. */
typedef struct {
    const char *name;
    const char *const *children;
} ds_container;

enum { DS_SEC_EXPL, DS_SEC_PERS, DS_SEC_CIJF, DS_SEC_AFW, DS_SEC_CREG, DS_SEC_INKOOP, DS_SEC_COUNT };
extern const ds_container ds_sections[DS_SEC_COUNT]; /* the sections of <dossier> */
extern const ds_container ds_org_container;           /* <organisation> holds records too */
extern const char *const ds_top_children;             /* what <dossier> may hold, for messages */
/* The element a record element belongs in, for a message about a misplaced one; NULL if none. */
const char *ds_home_of(const char *name);
/* "a, b, c" into buf (cut at n). */
void ds_list_values(char *buf, size_t n, const char *const *v);

/* ---- places ----------------------------------------------------------------
 * A loc is a line of the XML file, or one of these packed into a long (64
 * bits): a cell of a workbook sheet, or a line and cell of a CSV register
 * (col 0-based; -1: the row as a whole; row 0: the file or sheet). */
#define DS_LOC_SHEET(sheet, row, col) ((((long)(sheet) + 1) << 40) | ((long)(row) << 16) | ((long)(col) + 1))
#define DS_LOC_REG_BIT (1L << 62)
#define DS_LOC_REG(reg, line, col) (DS_LOC_REG_BIT | ((long)(reg) << 48) | ((long)(line) << 16) | ((long)(col) + 1))

/* ---- the reader's state (dossier.c) --------------------------------------- */

#define DS_MAX_ERRORS 200 /* beyond this the file is not a dossier worth reading on */
#define DS_SHOW_MAX 60    /* bytes of a bad value quoted in a message */

typedef enum { FR_DOSSIER, FR_CONTAINER, FR_LEAF, FR_LEDGER, FR_REGISTER } ds_frame_kind;

typedef struct {
    ds_frame_kind kind;
    const char *name;                 /* element name (static string) */
    const ds_container *container;    /* FR_CONTAINER */
    long line;
    const rhv_record_type *rtype;     /* FR_REGISTER: the type of its rows; NULL: a CSV file has them */
} ds_frame;

typedef struct ds_reader {
    const char *path;
    rhv_dossier *out;
    rhv_sink sink;
    void *ud;
    rhv_diag *d;
    size_t errors_at_start;
    xml_stream *xs;
    int stopped_by_sink;
    int too_many;
    /* Stopping libxml2 frees its input buffer, which the attribute values of
     * the current start tag point into; so a handler only asks for the stop,
     * and it happens when the handler is done with the attributes. */
    int want_stop;

    ds_lines ts;
    long cur_line;                   /* line of the current start tag's '<' */
    const long *cur_attr_line;       /* per attribute, or NULL */

    ds_frame stack[4];
    int depth;
    long skip;                       /* >0: inside a rejected element */

    int root_seen;
    char *root_ns;                   /* a wrong root namespace, already reported */
    long org_line;                   /* first <organisation>, 0 if none yet */
    int org_emitted;
    long first_child_line;           /* first child of <dossier> */
    char first_child[32];
    long section_line[DS_SEC_COUNT];

    /* A dossier in another form (dossier_workbook.c) names its places itself:
     * place() writes where loc is ("Kredieten!D14"), "" for the file as a
     * whole. NULL: a loc is a line of the XML file. */
    int (*place)(const struct ds_reader *r, long loc, char *buf, size_t n);
    void *place_ud;
    const long *field_loc;           /* per field of the record judged: its place, or NULL */
    const char *rec_file;            /* not NULL: the records' file and line (a sheet, a register);
                                        lives until dossier_free */
    long rec_line;
    int in_register;                 /* reading register in_register - 1 (0: none) */
    int creg_seen;                   /* a contractregister record was judged */
    int inkoop_seen;                 /* an inkoop record was judged */

    rhv_value *vals;                 /* one array, reused for every record */
    unsigned char *present;          /* per field: the attribute was written */
    ds_keyset keys;
} ds_reader;

/* Every message goes through here, so the error cap is in one place. */
void ds_err(ds_reader *r, long line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* "line 12", or the place() of loc; returns buf. */
const char *ds_where(const ds_reader *r, long loc, char *buf, size_t n);
/* Reports running out of memory and stops the read. */
void ds_oom(ds_reader *r, long line);
/* "<elem> has no attribute [ns:]name" for attribute i of the current tag. */
void ds_no_attr(ds_reader *r, const char *elem, const xml_attr *a, int i);

/* A value for a message: at most DS_SHOW_MAX bytes, cut on a UTF-8 boundary. */
int ds_show_len(const char *s, size_t len);
/* Three printf arguments for "%.*s%s". */
#define DS_SHOW(s, len) ds_show_len((s), (len)), (s), ((len) > DS_SHOW_MAX ? "..." : "")

static inline long ds_attr_line(const ds_reader *r, int i)
{
    return r->cur_attr_line ? r->cur_attr_line[i] : r->cur_line;
}

/* ---- dossier_values.c -----------------------------------------------------
 * One attribute's text into an rhv_value of its field's kind, or a message at
 * the attribute's line. String values borrow libxml2's buffer: they live until
 * the end of the start tag's handler, which is as long as a record needs. */

/* Drops XML white space at both ends. */
void ds_trim(const char **s, size_t *len);
/* A NUL-terminated copy; NULL when out of memory. */
char *ds_strndup(const char *s, size_t len);
/* 0 ok (v set), -1 reported. */
int ds_parse_value(ds_reader *r, const rhv_record_type *t, const rhv_field_def *f, const xml_attr *a, long line,
                   rhv_value *v);

/* ---- dossier_records.c ----------------------------------------------------
 * Validates the record element the reader is at (fields, unique keys, checks
 * across fields and against <organisation>), keeps what rhv itself needs in
 * r->out, and hands the record to the sink when it is valid and `emit`.
 * 0 valid, -1 reported. */
int ds_record(ds_reader *r, const rhv_record_type *t, const xml_attr *attrs, int nattrs, int emit);

/* A row whose cells could not all be read is not judged, but its unique keys
 * still count (loc: the row), so a later row with the same key is reported. */
void ds_keep_keys(ds_reader *r, const rhv_record_type *t, const xml_attr *attrs, int na, long loc);

/* ---- dossier_table.c ------------------------------------------------------
 * One table: a workbook sheet or a CSV register. The first row with a value
 * names the fields; each later row becomes a record "element" judged by
 * ds_record (for t NULL, the Bestanden sheet: a ledger or a register); a
 * Controletotaal row is checked against the sum of the rows above it. */
#define DS_TABLE_MAX_FIELDS 64

typedef struct {
    ds_reader *r;
    const rhv_record_type *t;        /* NULL: the Bestanden sheet */
    int sheet;                       /* the workbook sheet, or -1 */
    int reg;                         /* the register (index in r->out->registers), or -1 */
    int date1904;                    /* a workbook's date system */
    int nl_numbers;                  /* text cells of numeric fields are in Dutch notation */
    const char *rec_file;            /* the records' _file; lives until dossier_free */
    int header_seen;
    long header_row;
    int *colfield;                   /* per column: field index, -1 none */
    int ncols;
    int nrows;                       /* data rows */
    long total_row;
    rhv_cents sum[DS_TABLE_MAX_FIELDS];
    unsigned char sum_bad[DS_TABLE_MAX_FIELDS]; /* overflowed, or a cell not read */
} ds_table;

void ds_table_init(ds_table *x, ds_reader *r, const rhv_record_type *t, int sheet, int reg, const char *rec_file);
/* One row (its number, its non-empty and empty cells in column order); non-zero: stop reading. */
int ds_table_row(ds_table *x, long row, const xlsx_cell *cells, int n);
long ds_table_loc(const ds_table *x, long row, int col);
void ds_table_free(ds_table *x);

/* ---- dossier_workbook.c ---------------------------------------------------
 * The dossier as an .xlsx workbook (docs/workbook.md): each sheet a table,
 * then the registers the Bestanden sheet names. 0 read, -1 an error stopped
 * it (reported). */
int ds_workbook_read(ds_reader *r);

/* ---- dossier_register.c ---------------------------------------------------
 * A <register type="X" [path="x.csv" scheiding codering getallen]>: X is a
 * declared register or one of dossier_register_builtin_types
 * (dossier_register_type). With path, the file is resolved against the
 * dossier's folder, must be a regular file named once, and is appended to
 * r->out->registers; *rows is NULL and the element must be empty. Without
 * path (a declared register only, and not in a workbook's Bestanden sheet)
 * *rows is X: each child element <X .../> is a row for ds_record. 0, or -1
 * reported (the element is then skipped). */
int ds_register(ds_reader *r, const xml_attr *attrs, int nattrs, const rhv_record_type **rows);

/* ---- dossier_register_csv.c -----------------------------------------------
 * Reads each register's CSV file as a table, after the rest of the dossier
 * (so its keys are known and a duplicate names the dossier's row first). */
void ds_registers_read(ds_reader *r);

/* ---- dossier_ledger.c -----------------------------------------------------
 * A <ledger path="..."/>: resolved against the dossier's folder, must be a
 * regular file, named once; appended to r->out->ledgers. Errors are reported. */
void ds_ledger(ds_reader *r, const xml_attr *attrs, int nattrs);
/* A <beoordelingen path="..."/> (docs/handled.md): resolved likewise, an
 * existing file, at most once; kept in r->out->beoordelingen. */
void ds_beoordelingen(ds_reader *r, const xml_attr *attrs, int nattrs);

#endif
