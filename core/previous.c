/* previous.c - see previous.h */
#include "previous.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static char *dup_or_null(json_t *v)
{
    return json_is_string(v) ? strdup(json_string_value(v)) : NULL;
}

static bool cents(json_t *obj, const char *key, rhv_cents *out)
{
    json_t *v = json_object_get(obj, key);
    if (!json_is_integer(v))
        return false;
    *out = (rhv_cents)json_integer_value(v);
    return true;
}

/* One finding; 0 ok, -1 with a message in d. */
static int take_finding(const char *path, json_t *jf, size_t i, rhv_prev_finding *pf, rhv_diag *d)
{
    json_t *fp = json_object_get(jf, "fingerprint");
    if (!json_is_object(jf) || !json_is_string(fp)) {
        diag_error(d, path, 0, "findings[%zu] has no fingerprint: --vorige takes a JSON report that has them",
                   i);
        return -1;
    }
    if (!cents(jf, "amount_cents", &pf->amount)) {
        diag_error(d, path, 0, "findings[%zu] has no integer amount_cents", i);
        return -1;
    }
    pf->fingerprint = strdup(json_string_value(fp));
    pf->rule = dup_or_null(json_object_get(jf, "rule"));
    pf->subject = dup_or_null(json_object_get(jf, "subject"));
    pf->kind = dup_or_null(json_object_get(jf, "kind"));
    if (!pf->fingerprint) {
        diag_error(d, path, 0, "out of memory");
        return -1;
    }
    return 0;
}

int previous_read(const char *path, rhv_previous *out, rhv_diag *d)
{
    memset(out, 0, sizeof *out);
    json_error_t e;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &e);
    if (!root) {
        diag_error(d, path, e.line > 0 ? e.line : 0, "not a JSON report: %s", e.text);
        return -1;
    }
    int rc = -1;
    json_t *fmt = json_object_get(root, "report_format");
    json_t *fs = json_object_get(root, "findings");
    if (!json_is_object(root) || !json_is_integer(fmt) || !json_is_array(fs)) {
        diag_error(d, path, 0, "not an rhv JSON report (report_format and findings expected)");
        goto done;
    }
    if (json_integer_value(fmt) != 1) {
        diag_error(d, path, 0, "report_format %lld; rhv reads report_format 1",
                   (long long)json_integer_value(fmt));
        goto done;
    }
    json_t *year = json_object_get(json_object_get(root, "organisation"), "fiscal_year");
    out->fiscal_year = json_is_integer(year) ? (int)json_integer_value(year) : 0;
    json_t *t = json_object_get(root, "totals");
    out->have_totals = json_is_object(t) && cents(t, "fouten_cents", &out->fouten) &&
                       cents(t, "onzekerheden_cents", &out->onzekerheden) && cents(t, "total_cents", &out->total);
    out->have_headroom = cents(root, "headroom_cents", &out->headroom);
    out->verdict = dup_or_null(json_object_get(root, "verdict"));
    size_t n = json_array_size(fs);
    out->f = n ? calloc(n, sizeof *out->f) : NULL;
    if (n && !out->f) {
        diag_error(d, path, 0, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        out->n = i + 1; /* freed by previous_free, also when half taken */
        if (take_finding(path, json_array_get(fs, i), i, &out->f[i], d) != 0)
            goto done;
    }
    rc = 0;
done:
    json_decref(root);
    return rc;
}

void previous_free(rhv_previous *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->f[i].fingerprint);
        free(p->f[i].rule);
        free(p->f[i].subject);
        free(p->f[i].kind);
    }
    free(p->f);
    free(p->verdict);
    memset(p, 0, sizeof *p);
}
