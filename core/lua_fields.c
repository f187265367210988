/* lua_fields.c - see lua_fields.h */
#include "lua_fields.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void lf_free(lf_value *vals, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(vals[i].s);
        vals[i].s = NULL;
    }
}

static const char *type_word(int type, bool is_int)
{
    switch (type) {
    case LUA_TNONE: return "no value";
    case LUA_TNIL: return "nil";
    case LUA_TBOOLEAN: return "boolean";
    case LUA_TLIGHTUSERDATA:
    case LUA_TUSERDATA: return "userdata";
    case LUA_TNUMBER: return is_int ? "integer" : "float";
    case LUA_TSTRING: return "string";
    case LUA_TTABLE: return "table";
    case LUA_TFUNCTION: return "function";
    case LUA_TTHREAD: return "thread";
    }
    return "?";
}

const char *lf_type_word(const lf_value *v)
{
    return type_word(v->type, v->is_int);
}

const char *lf_type_word_at(lua_State *L, int idx)
{
    return type_word(lua_type(L, idx), lua_isinteger(L, idx));
}

lf_problem lf_text_problem(const char *s, size_t len, bool multiline, size_t *at)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        bool control = c < 0x20 || c == 0x7f ||
                       /* C1 controls as UTF-8 (U+0080..U+009F): 0x9b alone is a CSI */
                       (c == 0xc2 && i + 1 < len && (unsigned char)s[i + 1] >= 0x80 &&
                        (unsigned char)s[i + 1] <= 0x9f);
        if (c == '\n' && multiline)
            continue;
        if (control) {
            *at = i;
            return c == '\n' ? LF_LINE_BREAK : LF_CONTROL;
        }
    }
    return LF_OK;
}

lua_Integer lf_list_len(lua_State *L, int idx, lua_Integer max)
{
    if (lua_type(L, idx) != LUA_TTABLE)
        return -1;
    lua_Unsigned n = lua_rawlen(L, idx);
    return n > (lua_Unsigned)max ? -1 : (lua_Integer)n;
}

void lf_printable(const char *s, size_t len, char *buf, size_t n)
{
    size_t o = 0, max = n > 4 ? n - 4 : 0;
    if (max > LF_KEY_MAX)
        max = LF_KEY_MAX;
    for (size_t i = 0; i < len && o < max; i++) {
        unsigned char c = (unsigned char)s[i];
        buf[o++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
    }
    if (len > o && o == max && n >= 4)
        memcpy(buf + o, "...", 3), o += 3;
    if (n)
        buf[o < n ? o : n - 1] = '\0';
}

void lf_key_text(lua_State *L, int idx, char *buf, size_t n)
{
    if (lua_type(L, idx) == LUA_TSTRING) {
        size_t len;
        const char *s = lua_tolstring(L, idx, &len);
        lf_printable(s, len, buf, n);
    } else if (lua_isinteger(L, idx)) {
        snprintf(buf, n, "[%lld]", (long long)lua_tointeger(L, idx));
    } else {
        snprintf(buf, n, "[%s]", lf_type_word_at(L, idx));
    }
}

static int find_field(const lf_field *fmt, const char *k, size_t kl)
{
    for (int i = 0; fmt[i].name; i++)
        if (strlen(fmt[i].name) == kl && memcmp(fmt[i].name, k, kl) == 0)
            return i;
    return -1;
}

/* Order of bad keys for a stable message: integers by value, strings in
 * byte order, anything else last. */
typedef struct {
    int rank; /* 0 integer, 1 string, 2 other, 3 none */
    lua_Integer i;
    const char *s; /* a key of the table being walked: anchored by it */
    size_t len;
    int type;
} bad_key;

static bool key_less(const bad_key *a, const bad_key *b)
{
    if (a->rank != b->rank)
        return a->rank < b->rank;
    if (a->rank == 0)
        return a->i < b->i;
    if (a->rank == 1) {
        size_t n = a->len < b->len ? a->len : b->len;
        int c = memcmp(a->s, b->s, n);
        return c ? c < 0 : a->len < b->len;
    }
    return false;
}

/* The value at the top of the stack for field f into v (pops it, or keeps it
 * on the stack for tables, functions and LF_ANY). */
static void take(lua_State *L, const lf_field *f, lf_value *v)
{
    v->type = lua_type(L, -1);
    v->is_int = lua_isinteger(L, -1);
    bool keep = false;
    switch (f->type) {
    case LF_ANY:
        keep = true;
        break;
    case LF_STRING:
        if (v->type != LUA_TSTRING) {
            v->problem = LF_WRONG_TYPE;
            break;
        }
        {
            size_t len;
            const char *s = lua_tolstring(L, -1, &len);
            if ((f->flags & LF_NONEMPTY) && len == 0) {
                v->problem = LF_EMPTY;
                break;
            }
            if (f->flags & LF_TEXT) {
                v->problem = lf_text_problem(s, len, f->flags & LF_MULTILINE, &v->at);
                if (v->problem != LF_OK)
                    v->ch = (unsigned char)s[v->at];
            }
            if (v->problem != LF_OK)
                break;
            /* copied now, while the table still anchors the string */
            v->s = malloc(len + 1);
            if (!v->s) {
                v->problem = LF_NO_MEMORY;
                break;
            }
            memcpy(v->s, s, len);
            v->s[len] = '\0';
            v->len = len;
        }
        break;
    case LF_INTEGER:
        if (v->is_int)
            v->i = lua_tointeger(L, -1);
        else
            v->problem = LF_WRONG_TYPE;
        break;
    case LF_BOOLEAN:
        if (v->type == LUA_TBOOLEAN)
            v->i = lua_toboolean(L, -1);
        else
            v->problem = LF_WRONG_TYPE;
        break;
    case LF_TABLE:
        keep = v->type == LUA_TTABLE;
        if (!keep)
            v->problem = LF_WRONG_TYPE;
        break;
    case LF_FUNCTION:
        keep = v->type == LUA_TFUNCTION;
        if (!keep)
            v->problem = LF_WRONG_TYPE;
        break;
    }
    if (keep)
        v->idx = -1; /* stays; lf_check records where */
    else
        lua_pop(L, 1);
}

lf_problem lf_check(lua_State *L, int idx, const lf_field *fmt, unsigned opts, lf_value *vals, lf_result *res)
{
    size_t n = 0;
    while (fmt[n].name)
        n++;
    memset(vals, 0, n * sizeof *vals);
    memset(res, 0, sizeof *res);
    res->field = -1;
    for (size_t i = 0; i < n; i++)
        vals[i].type = LUA_TNIL;
    idx = lua_absindex(L, idx);
    if (lua_type(L, idx) != LUA_TTABLE) {
        res->problem = LF_NOT_TABLE;
        return res->problem;
    }
    /* key and value of lua_next, plus every value kept */
    if (!lua_checkstack(L, (int)n + 3)) {
        res->problem = LF_NO_MEMORY;
        return res->problem;
    }
    bad_key bad = {.rank = 3};
    size_t seen = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        if (++seen > LF_MAX_KEYS) {
            lua_pop(L, 2);
            res->problem = LF_TOO_MANY_KEYS;
            return res->problem;
        }
        int f = -1;
        bad_key k = {.rank = 2, .type = lua_type(L, -2)};
        if (k.type == LUA_TSTRING) {
            k.s = lua_tolstring(L, -2, &k.len);
            k.rank = 1;
            f = find_field(fmt, k.s, k.len);
        } else if (lua_isinteger(L, -2)) {
            k.rank = 0;
            k.i = lua_tointeger(L, -2);
        }
        if (f < 0) {
            if (!(opts & LF_OPEN) && key_less(&k, &bad))
                bad = k;
            lua_pop(L, 1);
            continue;
        }
        take(L, &fmt[f], &vals[f]);
        if (vals[f].idx) {
            /* lua_next needs the key on top */
            lua_pushvalue(L, -2);
            lua_remove(L, -3);
            vals[f].idx = lua_gettop(L) - 1;
        }
    }
    if (bad.rank < 3) {
        res->problem = bad.rank == 1 ? LF_UNKNOWN_KEY : LF_KEY_NOT_STRING;
        if (bad.rank == 1)
            lf_printable(bad.s, bad.len, res->key, sizeof res->key);
        else if (bad.rank == 0)
            snprintf(res->key, sizeof res->key, "[%lld]", (long long)bad.i);
        else
            snprintf(res->key, sizeof res->key, "[%s]", type_word(bad.type, false));
    }
    for (size_t i = 0; i < n; i++) {
        if (vals[i].type == LUA_TNIL && (fmt[i].flags & LF_REQUIRED))
            vals[i].problem = LF_MISSING;
        if (vals[i].problem != LF_OK && res->problem == LF_OK) {
            res->problem = vals[i].problem;
            res->field = (int)i;
        }
    }
    return res->problem;
}
