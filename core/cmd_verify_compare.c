/* cmd_verify_compare.c - the recorded report against the re-run's (cmd_verify.h). */
#include "cmd_verify.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "money.h"

/* A finding in one line a person can find in the report. */
static void finding_line(FILE *out, const char *what, json_t *f)
{
    char b[MONEY_FMT_MAX];
    json_t *amt = json_object_get(f, "amount_cents");
    fprintf(out, "  finding %s: %s, %s, %s, %s\n", what, json_string_value(json_object_get(f, "rule")),
            json_string_value(json_object_get(f, "kind")), json_string_value(json_object_get(f, "subject")),
            json_is_integer(amt) ? money_format((rhv_cents)json_integer_value(amt), b) : "?");
}

/* Findings as multisets: each one of old not matched in new is removed, and
 * the other way round. Order within the list is the engine's, so equal
 * lists compare equal element by element; a changed amount shows as one
 * removed and one added. */
static int findings(FILE *out, json_t *old, json_t *new)
{
    size_t no = json_array_size(old), nn = json_array_size(new);
    char *used = calloc(nn + 1, 1);
    if (!used) {
        fputs("  findings: out of memory comparing them\n", out);
        return 1;
    }
    int diffs = 0;
    for (size_t i = 0; i < no; i++) {
        json_t *f = json_array_get(old, i);
        bool found = false;
        for (size_t j = 0; j < nn && !found; j++)
            if (!used[j] && json_equal(f, json_array_get(new, j)))
                used[j] = found = true;
        if (!found) {
            finding_line(out, "removed", f);
            diffs++;
        }
    }
    for (size_t j = 0; j < nn; j++)
        if (!used[j]) {
            finding_line(out, "added", json_array_get(new, j));
            diffs++;
        }
    free(used);
    return diffs;
}

static void amount_text(json_t *v, char b[MONEY_FMT_MAX])
{
    if (json_is_integer(v))
        money_format((rhv_cents)json_integer_value(v), b);
    else
        snprintf(b, MONEY_FMT_MAX, "%s", json_is_null(v) || !v ? "null" : "?");
}

static int totals(FILE *out, json_t *old, json_t *new)
{
    static const char *const keys[] = {"fouten_cents", "onzekerheden_cents", "total_cents", "acceptabel_cents"};
    int diffs = 0;
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        json_t *a = json_object_get(old, keys[i]), *b = json_object_get(new, keys[i]);
        if (json_equal(a, b) || (!a && !b))
            continue;
        char ba[MONEY_FMT_MAX], bb[MONEY_FMT_MAX];
        amount_text(a, ba);
        amount_text(b, bb);
        fprintf(out, "  total %s: %s in the report, %s now\n", keys[i], ba, bb);
        diffs++;
    }
    if (!json_equal(json_object_get(old, "by_criterion"), json_object_get(new, "by_criterion")) && diffs == 0) {
        fputs("  totals by criterion differ\n", out);
        diffs++;
    }
    return diffs;
}

static int rules(FILE *out, json_t *old, json_t *new)
{
    int diffs = 0;
    size_t i;
    json_t *r;
    json_array_foreach(old, i, r) {
        const char *id = json_string_value(json_object_get(r, "id"));
        json_t *match = NULL, *n;
        size_t j;
        json_array_foreach(new, j, n) if (id && json_equal(json_object_get(n, "id"), json_object_get(r, "id")))
            match = n;
        if (!match) {
            fprintf(out, "  rule %s: not in the re-run\n", id ? id : "?");
            diffs++;
        } else if (!json_equal(r, match)) {
            const char *so = json_string_value(json_object_get(r, "status"));
            const char *sn = json_string_value(json_object_get(match, "status"));
            if (so && sn && strcmp(so, sn) != 0)
                fprintf(out, "  rule %s: status %s in the report, %s now\n", id, so, sn);
            else
                fprintf(out, "  rule %s: differs (file, digest or message)\n", id);
            diffs++;
        }
    }
    json_array_foreach(new, i, r) {
        bool found = false;
        size_t j;
        json_t *o;
        json_array_foreach(old, j, o) if (json_equal(json_object_get(o, "id"), json_object_get(r, "id")))
            found = true;
        if (!found) {
            const char *id = json_string_value(json_object_get(r, "id"));
            fprintf(out, "  rule %s: new in the re-run\n", id ? id : "?");
            diffs++;
        }
    }
    return diffs;
}

static int scalar(FILE *out, const char *key, json_t *a, json_t *b)
{
    if (json_equal(a, b) || (!a && !b))
        return 0;
    char *sa = a ? json_dumps(a, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
    char *sb = b ? json_dumps(b, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
    fprintf(out, "  %s: %s in the report, %s now\n", key, sa ? sa : "(absent)", sb ? sb : "(absent)");
    free(sa);
    free(sb);
    return 1;
}

int verify_compare(FILE *out, json_t *old, json_t *new)
{
    int diffs = 0;
    diffs += findings(out, json_object_get(old, "findings"), json_object_get(new, "findings"));
    diffs += totals(out, json_object_get(old, "totals"), json_object_get(new, "totals"));
    diffs += rules(out, json_object_get(old, "rules"), json_object_get(new, "rules"));
    static const char *const scalars[] = {"verdict", "headroom_cents", "exit_code"};
    for (size_t i = 0; i < sizeof scalars / sizeof *scalars; i++)
        diffs += scalar(out, scalars[i], json_object_get(old, scalars[i]), json_object_get(new, scalars[i]));

    /* Every other top-level key, in the report's order; the re-run's own
     * command line is not the report's. */
    static const char *const done[] = {"findings", "totals", "rules", "verdict", "headroom_cents",
                                       "exit_code", "build", NULL};
    const char *key;
    json_t *v;
    json_object_foreach(old, key, v) {
        bool skip = false;
        for (int i = 0; done[i]; i++)
            skip = skip || strcmp(key, done[i]) == 0;
        if (skip)
            continue;
        json_t *nv = json_object_get(new, key);
        if (strcmp(key, "invocation") == 0 && json_is_object(v) && json_is_object(nv)) {
            json_t *a = json_copy(v), *b = json_copy(nv);
            if (a && b) {
                json_object_del(a, "command_line");
                json_object_del(b, "command_line");
                if (!json_equal(a, b)) {
                    fputs("  invocation differs (folders or options)\n", out);
                    diffs++;
                }
            }
            json_decref(a);
            json_decref(b);
            continue;
        }
        if (!json_equal(v, nv)) {
            fprintf(out, "  %s differs\n", key);
            diffs++;
        }
    }
    json_object_foreach(new, key, v) if (!json_object_get(old, key)) {
        fprintf(out, "  %s: new in the re-run\n", key);
        diffs++;
    }
    return diffs;
}
