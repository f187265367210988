/* dossier.c - see dossier.h; the format is docs/dossier.md.
 *
 * Shape of the reader: xml_stream calls start()/end(); a stack of at most
 * three frames (dossier, section or container record, leaf record) says what
 * may come next. Everything below an element that is already reported as
 * wrong is skipped, so one mistake gives one message, not a cascade.
 *
 * Line numbers come from dossier_lines.c: the line of each tag's '<' and
 * attribute, or libxml2's when that scanner had to give up.
 *
 * Memory: one value array reused for every record, string values borrowed from
 * libxml2's attribute buffers, and one arena + open-addressing table for the
 * keys that must be unique. Nothing is allocated per record except arena growth.
 */
#include "dossier.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dossier_internal.h"
#include "paths.h"
#include "xml_stream.h"

#define DOSSIER_NS "urn:rhv:dossier:1"
#define MAX_ERRORS 200     /* beyond this the file is not a dossier worth reading on */
#define SHOW_MAX 60        /* bytes of a bad value quoted in a message */

/* ---- the schema beyond record_types.c ------------------------------------- */

typedef struct {
    const char *type, *field;
    const char *const *values;
} enum_def;

static const char *const v_soort[] = {"gemeente", "provincie", "gemeenschappelijke regeling", "waterschap", NULL};
static const char *const v_wijze[] = {"gecombineerd", "gescheiden", NULL};
static const char *const v_basis[] = {"realisatie", "begroting", NULL};
static const char *const v_mw_cat[] = {"Wsw", "PW", "Beschut", "Regulier", NULL};
static const char *const v_maat[] = {"personen", "fte", "plaatsen", NULL};
static const char *const v_afronding[] = {"half_up", "down", NULL};
static const char *const v_criterium[] = {"begrotingscriterium", "voorwaardencriterium",
                                          "misbruik_oneigenlijk_gebruik", NULL};
static const char *const v_afw_soort[] = {"fout", "onzekerheid", NULL};
static const char *const v_status[] = {"open", "hersteld", "definitief", NULL};
static const char *const v_procedure[] = {"europees", "nationaal", "meervoudig_onderhands",
                                          "enkelvoudig_onderhands", NULL};
static const char *const v_ct_soort[] = {"leveringen_diensten", "werken", "sociale_diensten", NULL};

static const enum_def enums[] = {
    {"organisation", "soort", v_soort},
    {"organisation", "grens_wijze", v_wijze},
    {"organisation", "grens_basis", v_basis},
    {"medewerker", "categorie", v_mw_cat},
    {"cijfer", "maat", v_maat},
    {"cijfer", "afronding", v_afronding},
    {"afwijking", "criterium", v_criterium},
    {"afwijking", "soort", v_afw_soort},
    {"afwijking", "status", v_status},
    {"contract", "procedure", v_procedure},
    {"contract", "soort", v_ct_soort},
};

/* Amounts that are a size, never a correction: a negative one is a typo. */
static const char *const non_negative[][2] = {
    {"organisation", "rapportagegrens"}, {"afwijking", "bedrag"}, {"contract", "waarde"},
};

/* Scaled fields that are percentages: more than 100% is a typo. */
static const char *const percentages[][2] = {
    {"organisation", "grens_percentage"}, {"organisation", "grens_fouten_percentage"},
    {"organisation", "grens_onzekerheden_percentage"}, {"medewerker", "loonwaarde"},
};

/* Fields whose value must be unique in the dossier; kind byte for the keyset. */
typedef struct {
    const char *type, *field;
    char kind;
} unique_def;

static const unique_def uniques[] = {
    {"medewerker", "id", 'm'}, {"programma", "code", 'p'}, {"reserve", "code", 'r'},
    {"krediet", "code", 'k'}, {"afwijking", "id", 'a'}, {"begrotingscategorie", "categorie", 'C'},
};

/* Containers: which record elements they hold. */
typedef struct {
    const char *name;
    const char *const *children;
} container_def;

static const char *const c_org[] = {"begrotingscategorie", NULL};
static const char *const c_expl[] = {"programma", "reserve", "krediet", NULL};
static const char *const c_pers[] = {"medewerker", "topfunctionaris", NULL};
static const char *const c_cijf[] = {"cijfer", NULL};
static const char *const c_afw[] = {"afwijking", NULL};
static const char *const c_creg[] = {"contract", NULL};

enum { SEC_EXPL, SEC_PERS, SEC_CIJF, SEC_AFW, SEC_CREG, SEC_COUNT };
static const container_def sections[SEC_COUNT] = {
    {"exploitatie", c_expl}, {"personeel", c_pers}, {"cijfers", c_cijf},
    {"afwijkingen", c_afw}, {"contractregister", c_creg},
};
static const container_def org_container = {"organisation", c_org};

/* ---- reader state ---------------------------------------------------------- */

typedef enum { FR_DOSSIER, FR_CONTAINER, FR_LEAF, FR_LEDGER } frame_kind;

typedef struct {
    frame_kind kind;
    const char *name;                 /* element name (static string) */
    const container_def *container;   /* FR_CONTAINER */
    long line;
} frame;

typedef struct {
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

    frame stack[4];
    int depth;
    long skip;                       /* >0: inside a rejected element */

    int root_seen;
    char *root_ns;                   /* a wrong root namespace, already reported */
    long org_line;                   /* first <organisation>, 0 if none yet */
    int org_emitted;
    long first_child_line;           /* first child of <dossier> */
    char first_child[32];
    long section_line[SEC_COUNT];

    rhv_value *vals;                 /* one array, reused for every record */
    unsigned char *present;          /* per field: the attribute was written */
    ds_keyset keys;
} reader;

static size_t errors_so_far(const reader *r)
{
    return r->d->errors - r->errors_at_start;
}

/* Every message goes through here, so the error cap is in one place. */
static void err(reader *r, long line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void err(reader *r, long line, const char *fmt, ...)
{
    if (r->too_many)
        return;
    char buf[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    diag_error(r->d, r->path, line > 0 ? line : 1, "%s", buf);
    if (errors_so_far(r) >= MAX_ERRORS) {
        r->too_many = 1;
        diag_error(r->d, r->path, line > 0 ? line : 1, "too many errors (%d); reading stopped", MAX_ERRORS);
        r->want_stop = 1;
    }
}

static void oom(reader *r, long line)
{
    err(r, line, "out of memory");
    r->too_many = 1;
    r->want_stop = 1;
}

/* A value for a message: at most SHOW_MAX bytes, cut on a UTF-8 boundary. */
static int show_len(const char *s, size_t len)
{
    if (len <= SHOW_MAX)
        return (int)len;
    size_t n = SHOW_MAX;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return (int)n;
}
#define SHOW(s, len) show_len((s), (len)), (s), ((len) > SHOW_MAX ? "..." : "")

static long attr_line(const reader *r, int i)
{
    return r->cur_attr_line ? r->cur_attr_line[i] : r->cur_line;
}

/* ---- value parsing ---------------------------------------------------------- */

static void trim(const char **s, size_t *len)
{
    while (*len > 0 && ds_is_space((unsigned char)**s)) {
        (*s)++;
        (*len)--;
    }
    while (*len > 0 && ds_is_space((unsigned char)(*s)[*len - 1]))
        (*len)--;
}

static int parse_int(const char *s, size_t len, int64_t *out)
{
    size_t i = 0;
    int neg = 0;
    if (len > 0 && (s[0] == '-' || s[0] == '+')) {
        neg = s[0] == '-';
        i = 1;
    }
    if (i == len)
        return -1;
    int64_t acc = 0; /* negative domain: INT64_MIN is representable */
    for (; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        if (__builtin_mul_overflow(acc, 10, &acc) || __builtin_sub_overflow(acc, s[i] - '0', &acc))
            return -2;
    }
    if (!neg) {
        if (acc == INT64_MIN)
            return -2;
        acc = -acc;
    }
    *out = acc;
    return 0;
}

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* 0: a real calendar date written YYYY-MM-DD; -1 wrong form; -2 no such day. */
static int parse_date(const char *s, size_t len)
{
    if (len != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return -1;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int day = (s[8] - '0') * 10 + (s[9] - '0');
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y == 0 || m < 1 || m > 12 || day < 1)
        return -2;
    int maxd = dim[m - 1] + (m == 2 && is_leap(y));
    return day > maxd ? -2 : 0;
}

static int in_pairs(const char *const pairs[][2], size_t n, const char *type, const char *field)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(pairs[i][0], type) == 0 && strcmp(pairs[i][1], field) == 0)
            return 1;
    return 0;
}

static const enum_def *find_enum(const char *type, const char *field)
{
    for (size_t i = 0; i < sizeof enums / sizeof enums[0]; i++)
        if (strcmp(enums[i].type, type) == 0 && strcmp(enums[i].field, field) == 0)
            return &enums[i];
    return NULL;
}

static void list_values(char *buf, size_t n, const char *const *v)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; v[i] && used < n; i++)
        used += (size_t)snprintf(buf + used, n - used, "%s%s", i ? ", " : "", v[i]);
}

/* Parses one attribute into v according to its field. 0 ok, -1 reported. */
static int parse_value(reader *r, const rhv_record_type *t, const rhv_field_def *f, const xml_attr *a,
                       long line, rhv_value *v)
{
    const char *s = a->value;
    size_t len = a->len;
    const char *tn = t->name, *fn = f->name;
    if (f->kind != VAL_STR)
        trim(&s, &len);
    switch (f->kind) {
    case VAL_STR: {
        const char *ts = s;
        size_t tl = len;
        trim(&ts, &tl);
        if (tl == 0 && (f->required || find_enum(tn, fn))) {
            err(r, line, "<%s> attribute %s is empty", tn, fn);
            return -1;
        }
        const enum_def *e = find_enum(tn, fn);
        if (e) {
            int ok = 0;
            for (int i = 0; e->values[i]; i++)
                if (strlen(e->values[i]) == len && memcmp(e->values[i], s, len) == 0)
                    ok = 1;
            if (!ok) {
                char allowed[256];
                list_values(allowed, sizeof allowed, e->values);
                err(r, line, "<%s> attribute %s=\"%.*s%s\" is not one of: %s", tn, fn, SHOW(s, len), allowed);
                return -1;
            }
        }
        val_str(v, s, len);
        return 0;
    }
    case VAL_MONEY: {
        rhv_cents c;
        money_status st = money_parse(s, len, &c);
        if (st != MONEY_OK) {
            err(r, line,
                "<%s> attribute %s=\"%.*s%s\" is not an amount (%s): write euros with a point and at most "
                "two decimals, no thousands separators, e.g. 1234567.89",
                tn, fn, SHOW(s, len), money_status_text(st));
            return -1;
        }
        if (c < 0 && in_pairs(non_negative, sizeof non_negative / sizeof non_negative[0], tn, fn)) {
            err(r, line, "<%s> attribute %s=\"%.*s%s\" must not be negative", tn, fn, SHOW(s, len));
            return -1;
        }
        val_int(v, VAL_MONEY, c);
        return 0;
    }
    case VAL_SCALED: {
        int64_t x;
        if (len > 0 && s[0] == '-') {
            err(r, line, "<%s> attribute %s=\"%.*s%s\" must not be negative", tn, fn, SHOW(s, len));
            return -1;
        }
        /* decimal_parse also takes a comma; the dossier writes every decimal with a point, like amounts. */
        if (memchr(s, ',', len)) {
            err(r, line, "<%s> attribute %s=\"%.*s%s\" has a comma: write decimals with a point", tn, fn,
                SHOW(s, len));
            return -1;
        }
        money_status st = decimal_parse(s, len, f->scale, &x);
        if (st != MONEY_OK) {
            err(r, line, "<%s> attribute %s=\"%.*s%s\" is not a decimal number with at most %d decimals (%s)",
                tn, fn, SHOW(s, len), f->scale, money_status_text(st));
            return -1;
        }
        if (f->scale == 2 && x > 10000 &&
            in_pairs(percentages, sizeof percentages / sizeof percentages[0], tn, fn)) {
            err(r, line, "<%s> attribute %s=\"%.*s%s\" is a percentage above 100", tn, fn, SHOW(s, len));
            return -1;
        }
        val_int(v, VAL_SCALED, x);
        return 0;
    }
    case VAL_INT: {
        int64_t x;
        int rc = parse_int(s, len, &x);
        if (rc != 0) {
            err(r, line, "<%s> attribute %s=\"%.*s%s\" is %s", tn, fn, SHOW(s, len),
                rc == -2 ? "too large for an integer" : "not a whole number");
            return -1;
        }
        if (strcmp(tn, "organisation") == 0 && strcmp(fn, "boekjaar") == 0 && (x < 1900 || x > 2999)) {
            err(r, line, "<%s> attribute %s=\"%.*s%s\" is not a plausible fiscal year", tn, fn, SHOW(s, len));
            return -1;
        }
        if (strcmp(tn, "cijfer") == 0 && strcmp(fn, "decimalen") == 0 && (x < 0 || x > 2)) {
            err(r, line, "<%s> attribute %s=\"%.*s%s\" must be 0, 1 or 2 (waarde has two decimals at most)", tn,
                fn, SHOW(s, len));
            return -1;
        }
        val_int(v, VAL_INT, x);
        return 0;
    }
    case VAL_DATE: {
        int rc = parse_date(s, len);
        if (rc != 0) {
            err(r, line, "<%s> attribute %s=\"%.*s%s\" is %s", tn, fn, SHOW(s, len),
                rc == -1 ? "not a date written YYYY-MM-DD" : "not a calendar date");
            return -1;
        }
        v->kind = VAL_DATE;
        v->s = s;
        v->len = len;
        v->i = 0;
        return 0;
    }
    case VAL_BOOL:
        if (len == 4 && memcmp(s, "true", 4) == 0) {
            val_int(v, VAL_BOOL, 1);
            return 0;
        }
        if (len == 5 && memcmp(s, "false", 5) == 0) {
            val_int(v, VAL_BOOL, 0);
            return 0;
        }
        err(r, line, "<%s> attribute %s=\"%.*s%s\" must be true or false", tn, fn, SHOW(s, len));
        return -1;
    case VAL_NONE:
        break;
    }
    err(r, line, "<%s> attribute %s: internal error: field kind %d", tn, fn, (int)f->kind);
    return -1;
}

/* ---- records ------------------------------------------------------------------ */

static const rhv_value *field(const reader *r, const rhv_record_type *t, const char *name)
{
    int i = record_field_index(t, name);
    if (i < 0 || r->vals[i].kind == VAL_NONE)
        return NULL;
    return &r->vals[i];
}

static int is_type(const rhv_record_type *t, const char *name)
{
    return strcmp(t->name, name) == 0;
}

static char *dup_val(const rhv_value *v)
{
    if (!v)
        return NULL;
    char *s = malloc(v->len + 1);
    if (s) {
        memcpy(s, v->s, v->len);
        s[v->len] = '\0';
    }
    return s;
}

/* Organisation fields rhv needs itself, kept before the sink sees the record
 * so a sink can already read out->boekjaar. */
static int keep_organisation(reader *r, const rhv_record_type *t)
{
    rhv_dossier *o = r->out;
    o->naam = dup_val(field(r, t, "naam"));
    o->soort = dup_val(field(r, t, "soort"));
    o->grens_besluit = dup_val(field(r, t, "grens_besluit"));
    o->normenkader_datum = dup_val(field(r, t, "normenkader_datum"));
    const rhv_value *b = field(r, t, "grens_bron");
    o->grens_bron = dup_val(b);
    if (!o->naam || !o->soort || !o->grens_besluit || !o->normenkader_datum || (b && !o->grens_bron))
        return -1;
    o->boekjaar = (int)field(r, t, "boekjaar")->i;
    o->grens_bp = field(r, t, "grens_percentage")->i;
    const rhv_value *gf = field(r, t, "grens_fouten_percentage");
    const rhv_value *go = field(r, t, "grens_onzekerheden_percentage");
    o->grens_fouten_bp = gf ? gf->i : 0;
    o->grens_onzekerheden_bp = go ? go->i : 0;
    const rhv_value *w = field(r, t, "grens_wijze");
    o->gescheiden = w->len == 10 && memcmp(w->s, "gescheiden", 10) == 0;
    const rhv_value *bs = field(r, t, "grens_basis");
    o->basis_begroting = bs->len == 9 && memcmp(bs->s, "begroting", 9) == 0;
    o->rapportagegrens = field(r, t, "rapportagegrens")->i;
    return 0;
}

static int add_total(reader *r, rhv_cents *total, const rhv_value *v, const char *what, long line)
{
    if (!money_add(*total, v->i, total)) {
        err(r, line, "the sum of %s overflows", what);
        return -1;
    }
    return 0;
}

/* Keys that must be unique. Run even when other fields of the record are bad,
 * so a later duplicate (or a programma naming this categorie) is judged right. */
static int check_unique(reader *r, const rhv_record_type *t, long line)
{
    int bad = 0;
    const char *tn = t->name;
    for (size_t i = 0; i < sizeof uniques / sizeof uniques[0]; i++) {
        if (strcmp(uniques[i].type, tn) != 0)
            continue;
        const rhv_value *k = field(r, t, uniques[i].field);
        if (!k)
            continue;
        long first = ds_keys_check(&r->keys, uniques[i].kind, k->s, k->len, line, 1);
        if (first < 0) {
            oom(r, line);
            return -1;
        }
        if (first > 0) {
            err(r, line, "<%s> %s=\"%.*s%s\" occurs twice (first at line %ld)", tn, uniques[i].field,
                SHOW(k->s, k->len), first);
            bad = 1;
        }
    }

    return bad ? -1 : 0;
}

/* Checks across fields and records. 0 ok, -1 reported. */
static int check_record(reader *r, const rhv_record_type *t, long line)
{
    int bad = 0;
    const char *tn = t->name;

    if (is_type(t, "organisation")) {
        const rhv_value *w = field(r, t, "grens_wijze");
        if (w && w->len == 10 && memcmp(w->s, "gescheiden", 10) == 0) {
            static const char *const need[] = {"grens_fouten_percentage", "grens_onzekerheden_percentage"};
            for (int i = 0; i < 2; i++)
                if (!field(r, t, need[i])) {
                    err(r, line, "<organisation> with grens_wijze=\"gescheiden\" needs attribute %s", need[i]);
                    bad = 1;
                }
        } else if (w && (field(r, t, "grens_fouten_percentage") || field(r, t, "grens_onzekerheden_percentage"))) {
            diag_warning(r->d, r->path, line,
                         "<organisation> grens_fouten_percentage/grens_onzekerheden_percentage are ignored "
                         "with grens_wijze=\"gecombineerd\"");
        }
    }

    const rhv_value *b = field(r, t, "begin"), *e = field(r, t, "einde");
    if (b && e && memcmp(e->s, b->s, 10) < 0) {
        err(r, line, "<%s> einde %.10s is before begin %.10s", tn, e->s, b->s);
        bad = 1;
    }

    if ((is_type(t, "programma") || is_type(t, "reserve") || is_type(t, "krediet")) && r->org_line) {
        const rhv_value *c = field(r, t, "categorie");
        if (c) {
            long first = ds_keys_check(&r->keys, 'C', c->s, c->len, 0, 0);
            if (first < 0) {
                oom(r, line);
                return -1;
            }
            if (first == 0) {
                err(r, line, "<%s> categorie=\"%.*s%s\" is not declared as a <begrotingscategorie> in <organisation>",
                    tn, SHOW(c->s, c->len));
                bad = 1;
            }
        }
    }
    return bad ? -1 : 0;
}

/* Validates a record element; hands it on when valid and `emit`. 0 valid. */
static int do_record(reader *r, const rhv_record_type *t, const xml_attr *attrs, int nattrs, int emit)
{
    long line = r->cur_line;
    int bad = 0;
    for (int i = 0; i < t->nfields; i++) {
        val_none(&r->vals[i]);
        r->present[i] = 0;
    }
    for (int i = 0; i < nattrs; i++) {
        const xml_attr *a = &attrs[i];
        int fi = a->ns ? -1 : record_field_index(t, a->name);
        if (fi < 0) {
            err(r, attr_line(r, i), "<%s> has no attribute %s%s%s", t->name, a->ns ? a->ns : "", a->ns ? ":" : "",
                a->name);
            bad = 1;
            continue;
        }
        r->present[fi] = 1;
        if (parse_value(r, t, &t->fields[fi], a, attr_line(r, i), &r->vals[fi]) != 0)
            bad = 1;
    }
    for (int i = 0; i < t->nfields; i++)
        if (t->fields[i].required && !r->present[i]) {
            err(r, line, "<%s> lacks required attribute %s", t->name, t->fields[i].name);
            bad = 1;
        }
    if (check_unique(r, t, line) != 0)
        bad = 1;
    if (bad)
        return -1;
    if (check_record(r, t, line) != 0)
        return -1;

    rhv_dossier *o = r->out;
    if (is_type(t, "organisation")) {
        if (keep_organisation(r, t) != 0) {
            oom(r, line);
            return -1;
        }
    } else if (is_type(t, "programma")) {
        if (add_total(r, &o->lasten_realisatie, field(r, t, "lasten_realisatie"), "lasten_realisatie", line) ||
            add_total(r, &o->lasten_begroot, field(r, t, "lasten_begroot"), "lasten_begroot", line))
            return -1;
    } else if (is_type(t, "reserve")) {
        if (add_total(r, &o->toevoegingen_realisatie, field(r, t, "toevoeging_realisatie"), "toevoeging_realisatie",
                      line) ||
            add_total(r, &o->toevoegingen_begroot, field(r, t, "toevoeging_begroot"), "toevoeging_begroot", line))
            return -1;
    }

    if (!emit || !r->sink || r->stopped_by_sink)
        return 0;
    rhv_record rec = {.type = t, .file = r->path, .line = line, .v = r->vals};
    if (r->sink(r->ud, &rec) != 0) {
        r->stopped_by_sink = 1;
        r->want_stop = 1;
    }
    return 0;
}

/* ---- structure ---------------------------------------------------------------- */

static void do_ledger(reader *r, const xml_attr *attrs, int nattrs)
{
    const xml_attr *p = NULL;
    long pline = r->cur_line;
    for (int i = 0; i < nattrs; i++) {
        if (!attrs[i].ns && strcmp(attrs[i].name, "path") == 0) {
            p = &attrs[i];
            pline = attr_line(r, i);
        } else {
            err(r, attr_line(r, i), "<ledger> has no attribute %s%s%s", attrs[i].ns ? attrs[i].ns : "",
                attrs[i].ns ? ":" : "", attrs[i].name);
        }
    }
    if (!p) {
        err(r, r->cur_line, "<ledger> lacks required attribute path");
        return;
    }
    const char *s = p->value;
    size_t len = p->len;
    trim(&s, &len);
    if (len == 0) {
        err(r, pline, "<ledger> attribute path is empty");
        return;
    }
    char *rel = malloc(len + 1);
    if (!rel) {
        oom(r, pline);
        return;
    }
    memcpy(rel, s, len);
    rel[len] = '\0';
    char *full = path_relative_to(r->path, rel);
    if (!full) {
        free(rel);
        oom(r, pline);
        return;
    }
    struct stat st;
    if (stat(full, &st) != 0) {
        err(r, pline, "<ledger path=\"%s\">: ledger file %s not found (%s)", rel, full, strerror(errno));
        goto done;
    }
    if (!S_ISREG(st.st_mode)) {
        err(r, pline, "<ledger path=\"%s\">: %s is not a file", rel, full);
        goto done;
    }
    long first = ds_keys_check(&r->keys, 'L', full, strlen(full), pline, 1);
    if (first < 0) {
        oom(r, pline);
        goto done;
    }
    if (first > 0) {
        err(r, pline, "<ledger path=\"%s\">: the same ledger is already named at line %ld", rel, first);
        goto done;
    }
    rhv_dossier *o = r->out;
    char **nl = realloc(o->ledgers, (o->nledgers + 1) * sizeof *nl);
    if (!nl) {
        oom(r, pline);
        goto done;
    }
    o->ledgers = nl;
    o->ledgers[o->nledgers++] = full;
    full = NULL;
done:
    free(full);
    free(rel);
}

static int push(reader *r, frame_kind k, const char *name, const container_def *c)
{
    if (r->depth >= (int)(sizeof r->stack / sizeof r->stack[0]))
        return -1; /* cannot happen: leaves take no children */
    r->stack[r->depth++] = (frame){k, name, c, r->cur_line};
    return 0;
}

static const char *const top_children =
    "organisation, exploitatie, personeel, cijfers, afwijkingen, contractregister or ledger";

/* Where a record type belongs, for a helpful message about a misplaced one. */
static const char *home_of(const char *name)
{
    for (int j = 0; c_org[j]; j++)
        if (strcmp(c_org[j], name) == 0)
            return "organisation";
    for (int i = 0; i < SEC_COUNT; i++)
        for (int j = 0; sections[i].children[j]; j++)
            if (strcmp(sections[i].children[j], name) == 0)
                return sections[i].name;
    return NULL;
}

static void reject(reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void reject(reader *r, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    err(r, r->cur_line, "%s", buf);
    r->skip = 1;
}

static void child_of_dossier(reader *r, const char *local, const xml_attr *attrs, int nattrs)
{
    if (!r->first_child_line) {
        r->first_child_line = r->cur_line;
        snprintf(r->first_child, sizeof r->first_child, "%s", local);
    }
    if (strcmp(local, "organisation") == 0) {
        if (r->org_line) {
            reject(r, "a second <organisation> (the first is at line %ld); a dossier has exactly one", r->org_line);
            return;
        }
        r->org_line = r->cur_line;
        if (r->first_child_line != r->cur_line)
            err(r, r->cur_line, "<organisation> must be the first element in <dossier>; <%s> at line %ld comes first",
                r->first_child, r->first_child_line);
        push(r, FR_CONTAINER, org_container.name, &org_container);
        if (do_record(r, record_type_find("organisation"), attrs, nattrs, 1) == 0)
            r->org_emitted = 1;
        return;
    }
    for (int i = 0; i < SEC_COUNT; i++) {
        if (strcmp(local, sections[i].name) != 0)
            continue;
        if (r->section_line[i])
            err(r, r->cur_line, "<%s> appears twice (first at line %ld); each section at most once", local,
                r->section_line[i]);
        else
            r->section_line[i] = r->cur_line;
        push(r, FR_CONTAINER, sections[i].name, &sections[i]);
        const rhv_record_type *t = record_type_find(local);
        if (t && t->source == SRC_DOSSIER) {
            do_record(r, t, attrs, nattrs, r->org_emitted);
        } else {
            for (int j = 0; j < nattrs; j++)
                err(r, attr_line(r, j), "<%s> has no attribute %s", local, attrs[j].name);
        }
        return;
    }
    if (strcmp(local, "ledger") == 0) {
        push(r, FR_LEDGER, "ledger", NULL);
        do_ledger(r, attrs, nattrs);
        return;
    }
    const char *home = home_of(local);
    if (home)
        reject(r, "<%s> belongs inside <%s>, not directly in <dossier>", local, home);
    else
        reject(r, "unknown element <%s> in <dossier>; expected %s", local, top_children);
}

static void child_of_container(reader *r, const container_def *c, const char *local, const xml_attr *attrs,
                               int nattrs)
{
    for (int j = 0; c->children[j]; j++) {
        if (strcmp(c->children[j], local) != 0)
            continue;
        push(r, FR_LEAF, c->children[j], NULL);
        do_record(r, record_type_find(local), attrs, nattrs, r->org_emitted);
        return;
    }
    char allowed[128];
    list_values(allowed, sizeof allowed, c->children);
    const char *home = home_of(local);
    if (home)
        reject(r, "<%s> belongs inside <%s>, not in <%s>", local, home, c->name);
    else
        reject(r, "unknown element <%s> in <%s>; expected %s", local, c->name, allowed);
}

static int same_ns(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

static void start_body(reader *r, const char *ns, const char *local, const xml_attr *attrs,
                       int nattrs, long line)
{
    /* Keep the scanner in step on every tag, even skipped ones. */
    ds_lines_follow(&r->ts, local, nattrs, line, &r->cur_line, &r->cur_attr_line);
    if (r->too_many || r->stopped_by_sink)
        return;
    if (r->skip) {
        r->skip++;
        return;
    }
    if (!r->root_seen) {
        r->root_seen = 1;
        if (strcmp(local, "dossier") != 0) {
            err(r, r->cur_line, "the root element is <%s>; an rhv dossier starts with <dossier xmlns=\"%s\">", local,
                DOSSIER_NS);
            r->too_many = 1; /* not a dossier: nothing below can be judged */
            r->want_stop = 1;
            return;
        }
        if (!same_ns(ns, DOSSIER_NS)) {
            if (ns)
                err(r, r->cur_line, "<dossier> has namespace \"%s\"; expected xmlns=\"%s\"", ns, DOSSIER_NS);
            else
                err(r, r->cur_line, "<dossier> has no namespace; expected xmlns=\"%s\"", DOSSIER_NS);
            r->root_ns = strdup(ns ? ns : "");
            if (!r->root_ns) {
                oom(r, r->cur_line);
                return;
            }
        }
        for (int i = 0; i < nattrs; i++)
            err(r, attr_line(r, i), "<dossier> has no attribute %s%s%s", attrs[i].ns ? attrs[i].ns : "",
                attrs[i].ns ? ":" : "", attrs[i].name);
        push(r, FR_DOSSIER, "dossier", NULL);
        return;
    }
    if (!same_ns(ns, DOSSIER_NS) && !(r->root_ns && same_ns(ns, r->root_ns))) {
        if (ns)
            reject(r, "<%s> has namespace \"%s\"; dossier elements are in %s", local, ns, DOSSIER_NS);
        else
            reject(r, "<%s> has no namespace; dossier elements are in %s", local, DOSSIER_NS);
        return;
    }
    if (r->depth == 0)
        return; /* after the root closed: libxml2 reports that itself */
    frame *parent = &r->stack[r->depth - 1];
    switch (parent->kind) {
    case FR_DOSSIER:
        child_of_dossier(r, local, attrs, nattrs);
        break;
    case FR_CONTAINER:
        child_of_container(r, parent->container, local, attrs, nattrs);
        break;
    case FR_LEAF:
    case FR_LEDGER:
        reject(r, "<%s> may not contain elements (found <%s>)", parent->name, local);
        break;
    }
}

static int has_text(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!ds_is_space((unsigned char)s[i]))
            return 1;
    return 0;
}

static void end_body(reader *r, const char *text, size_t len)
{
    if (r->too_many || r->stopped_by_sink)
        return;
    if (r->skip) {
        r->skip--;
        return;
    }
    if (r->depth == 0)
        return;
    frame f = r->stack[--r->depth];
    if (has_text(text, len)) {
        const char *s = text;
        size_t n = len;
        trim(&s, &n);
        err(r, f.line, "<%s> contains text \"%.*s%s\"; dossier values are written as attributes", f.name,
            SHOW(s, n));
    }
    if (f.kind == FR_DOSSIER && !r->org_line)
        err(r, f.line, "<dossier> has no <organisation>; it must be the first element");
}

static void on_start(void *ud, xml_stream *xs, const char *ns, const char *local, const xml_attr *attrs,
                     int nattrs, long line)
{
    reader *r = ud;
    r->xs = xs;
    start_body(r, ns, local, attrs, nattrs, line);
    if (r->want_stop)
        xml_stream_stop(xs);
}

static void on_end(void *ud, xml_stream *xs, const char *ns, const char *local, const char *text, size_t len,
                   long line)
{
    (void)ns;
    (void)local;
    (void)line;
    reader *r = ud;
    r->xs = xs;
    end_body(r, text, len);
    if (r->want_stop)
        xml_stream_stop(xs);
}

/* ---- entry points ---------------------------------------------------------------- */

int dossier_read(const char *path, rhv_dossier *out, rhv_sink sink, void *ud, rhv_diag *d)
{
    memset(out, 0, sizeof *out);
    out->path = strdup(path);
    if (!out->path) {
        diag_error(d, path, 1, "out of memory");
        return -1;
    }
    reader r;
    memset(&r, 0, sizeof r);
    r.path = path;
    r.out = out;
    r.sink = sink;
    r.ud = ud;
    r.d = d;
    r.errors_at_start = d->errors;

    int maxf = 0;
    for (int i = 0; i < rhv_record_type_count; i++)
        if (rhv_record_types[i]->source == SRC_DOSSIER && rhv_record_types[i]->nfields > maxf)
            maxf = rhv_record_types[i]->nfields;
    r.vals = calloc((size_t)maxf, sizeof *r.vals);
    r.present = calloc((size_t)maxf, 1);
    if (!r.vals || !r.present) {
        free(r.vals);
        free(r.present);
        diag_error(d, path, 1, "out of memory");
        return -1;
    }
    ds_lines_open(&r.ts, path);

    xml_handlers h = {on_start, on_end};
    int rc = xml_stream_parse(path, &h, &r, d);

    ds_lines_close(&r.ts);
    free(r.vals);
    free(r.present);
    free(r.root_ns);
    ds_keys_free(&r.keys);
    /* A sink that stops has its own reason and reports it; the read is then incomplete. */
    if (rc != 0 || r.stopped_by_sink || d->errors > r.errors_at_start)
        return -1;
    return 0;
}

void dossier_free(rhv_dossier *ds)
{
    if (!ds)
        return;
    free(ds->path);
    free(ds->naam);
    free(ds->soort);
    free(ds->grens_besluit);
    free(ds->grens_bron);
    free(ds->normenkader_datum);
    for (size_t i = 0; i < ds->nledgers; i++)
        free(ds->ledgers[i]);
    free(ds->ledgers);
    memset(ds, 0, sizeof *ds);
}
