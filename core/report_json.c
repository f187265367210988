/* report_json.c - the report as JSON, format of docs/report-json.md.
 *
 * Keys are inserted in a fixed order and dumped with JSON_PRESERVE_ORDER, so
 * identical inputs give byte-identical output. Amounts are JSON integers in
 * cents; percentages are decimal strings, never floats.
 *
 * Building never stops half-way on an allocation failure: every setter
 * records the failure in the builder, and the writer reports it at the end
 * (jansson frees a value whose insertion failed).
 */
#include "paths.h"
#include "report.h"
#include "report_cells.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* Bumped only on an incompatible change (docs/report-json.md, Stability). */
#define REPORT_FORMAT_VERSION 1

typedef struct {
    bool failed;
} builder;

/* A JSON string for s; NULL becomes null. Bytes that are not UTF-8 (a path
 * or a ledger text in another encoding) become U+FFFD instead of making the
 * whole report fail: jansson refuses invalid UTF-8. */
static json_t *jstr(builder *b, const char *s)
{
    if (!s)
        return json_null();
    json_t *v = json_string(s);
    if (v)
        return v;
    bool oom;
    char *fixed = report_utf8(s, &oom); /* the one repair, shared with the other writers */
    if (!fixed) {
        b->failed = true;
        return NULL;
    }
    v = json_string(fixed);
    free(fixed);
    if (!v)
        b->failed = true;
    return v;
}

static void set(builder *b, json_t *obj, const char *key, json_t *val)
{
    if (!obj) {
        json_decref(val);
        b->failed = true;
    } else if (!val || json_object_set_new(obj, key, val) != 0) {
        b->failed = true;
    }
}

static void push(builder *b, json_t *arr, json_t *val)
{
    if (!arr) {
        json_decref(val);
        b->failed = true;
    } else if (!val || json_array_append_new(arr, val) != 0) {
        b->failed = true;
    }
}

static json_t *jint(int64_t v)
{
    return json_integer((json_int_t)v);
}

static json_t *jpct(int64_t bp)
{
    char buf[MONEY_FMT_MAX];
    return json_string(bp_format(bp, false, buf));
}

static json_t *organisation(builder *b, const rhv_report *r)
{
    json_t *o = json_object();
    set(b, o, "name", jstr(b, r->org_naam));
    set(b, o, "fiscal_year", r->fiscal_year ? jint(r->fiscal_year) : json_null());
    set(b, o, "soort", jstr(b, r->org_soort));
    set(b, o, "normenkader_datum", jstr(b, r->normenkader_datum));
    return o;
}

static json_t *grens(builder *b, const rhv_report *r)
{
    if (!r->have_verdict)
        return json_null();
    const verdict_input *in = &r->vin;
    const verdict_result *v = &r->vres;
    json_t *o = json_object();
    set(b, o, "percentage", jpct(in->grens_bp));
    set(b, o, "basis_points", jint(in->grens_bp));
    set(b, o, "basis", jstr(b, r->grens_basis));
    set(b, o, "basis_cents", jint(in->basis));
    set(b, o, "amount_cents", jint(v->grens));
    set(b, o, "mode", json_string(in->gescheiden ? "gescheiden" : "gecombineerd"));
    if (in->gescheiden) {
        set(b, o, "fouten_percentage", jpct(in->fouten_bp));
        set(b, o, "fouten_basis_points", jint(in->fouten_bp));
        set(b, o, "fouten_amount_cents", jint(v->grens_fouten));
        set(b, o, "onzekerheden_percentage", jpct(in->onzekerheden_bp));
        set(b, o, "onzekerheden_basis_points", jint(in->onzekerheden_bp));
        set(b, o, "onzekerheden_amount_cents", jint(v->grens_onzekerheden));
    }
    set(b, o, "pct_warning", json_boolean(v->pct_warning));
    set(b, o, "besluit", jstr(b, r->grens_besluit));
    set(b, o, "bron", jstr(b, r->grens_bron));
    return o;
}

static json_t *totals(builder *b, const verdict_result *t)
{
    json_t *o = json_object();
    set(b, o, "fouten_cents", jint(t->fouten));
    set(b, o, "onzekerheden_cents", jint(t->onzekerheden));
    set(b, o, "total_cents", jint(t->total));
    set(b, o, "acceptabel_cents", jint(t->acceptabel));
    json_t *by = json_object();
    for (int c = 0; c < CRIT_COUNT; c++) {
        json_t *cell = json_object();
        set(b, cell, "fouten_cents", jint(t->by[c][0]));
        set(b, cell, "onzekerheden_cents", jint(t->by[c][1]));
        set(b, by, criterion_name((criterion)c), cell);
    }
    set(b, o, "by_criterion", by);
    return o;
}

static json_t *beoordeling(builder *b, const rhv_beoordeling *e, const char *file)
{
    if (!e)
        return json_null();
    json_t *o = json_object();
    set(b, o, "besluit", json_string(besluit_name(e->besluit)));
    set(b, o, "reden", jstr(b, e->reden));
    set(b, o, "door", jstr(b, e->door));
    set(b, o, "datum", jstr(b, e->datum));
    set(b, o, "geldig_tot", jstr(b, e->geldig_tot));
    set(b, o, "verlopen", json_boolean(e->verlopen));
    set(b, o, "categorie", jstr(b, e->categorie));
    set(b, o, "afwijking", jstr(b, e->afwijking));
    set(b, o, "file", jstr(b, file));
    set(b, o, "line", jint(e->line));
    return o;
}

/* The keys of docs/handled.md after a finding's own: fingerprint always,
 * the others when their file was given. */
static void handled_keys(builder *b, const rhv_report *r, json_t *o, const rhv_finding *f)
{
    const rhv_finding_note *n = report_note(r, f);
    set(b, o, "fingerprint", jstr(b, n ? n->fingerprint : NULL));
    if (r->beoordelingen) {
        set(b, o, "beoordeling", beoordeling(b, n ? n->beoordeling : NULL, r->beoordelingen->file));
        set(b, o, "afgehandeld", json_boolean(n && n->dropped));
    }
    if (r->vergelijking) {
        json_t *v = json_object();
        set(b, v, "status", json_string(n ? vorige_status_name(n->vorige) : "nieuw"));
        set(b, v, "amount_cents",
            n && n->vorige != VORIGE_NIEUW ? jint(n->vorige_amount) : json_null());
        set(b, o, "vorige", v);
    }
    if (r->scenario) {
        const char *c = n ? scenario_change_name(n->scenario) : NULL;
        set(b, o, "scenario", c ? json_string(c) : json_null());
    }
}

static json_t *finding(builder *b, const rhv_report *r, const rhv_finding *f)
{
    json_t *o = json_object();
    set(b, o, "rule", jstr(b, f->rule));
    set(b, o, "criterion", json_string(criterion_name(f->crit)));
    set(b, o, "kind", json_string(finding_kind_name(f->kind)));
    set(b, o, "amount_cents", jint(f->amount));
    set(b, o, "counts", json_boolean(report_counts(r, f)));
    set(b, o, "reportable", json_boolean(report_is_reportable(r, f)));
    set(b, o, "subject", jstr(b, f->subject));
    set(b, o, "message", jstr(b, f->message));
    set(b, o, "toelichting", jstr(b, f->toelichting));
    json_t *ev = json_array();
    for (size_t i = 0; i < f->nev; i++) {
        json_t *e = json_object();
        set(b, e, "file", jstr(b, f->ev[i].file));
        set(b, e, "line", jint(f->ev[i].line));
        set(b, e, "key", jstr(b, f->ev[i].key));
        set(b, e, "amount_cents", f->ev[i].has_amount ? jint(f->ev[i].amount) : json_null());
        push(b, ev, e);
    }
    set(b, o, "evidence", ev);
    json_t *om = json_object();
    set(b, om, "count", jint((int64_t)f->ev_omitted));
    set(b, om, "amount_cents", f->has_omitted_amount ? jint(f->omitted_amount) : json_null());
    set(b, o, "evidence_omitted", om);
    handled_keys(b, r, o, f);
    return o;
}

static json_t *rule(builder *b, const rhv_rule_info *ri, const char *origin)
{
    json_t *o = json_object();
    set(b, o, "id", jstr(b, ri->id));
    set(b, o, "title", jstr(b, ri->title));
    set(b, o, "criterion", json_string(criterion_name(ri->crit)));
    set(b, o, "status", json_string(rule_status_name(ri->status)));
    set(b, o, "message", jstr(b, ri->message));
    set(b, o, "sha256", jstr(b, ri->sha256));
    set(b, o, "file", jstr(b, path_display(ri->file)));
    set(b, o, "origin", jstr(b, origin));
    return o;
}

static json_t *strings(builder *b, const char *const *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; v && i < n; i++)
        push(b, a, jstr(b, v[i]));
    return a;
}

static json_t *scope(builder *b, const rhv_report_scope *s)
{
    if (!s->known)
        return json_null();
    json_t *o = json_object();
    set(b, o, "complete", json_boolean(s->complete));
    set(b, o, "scenario", json_boolean(s->scenario));
    /* What a tool may take the verdict for: only "all" is the jaarrekening's. */
    set(b, o, "verdict_covers", json_string(s->scenario ? "scenario" : s->complete ? "all" : "checked_part"));
    json_t *sel = json_object();
    set(b, sel, "rules", jstr(b, s->select));
    set(b, sel, "default_rules", json_boolean(s->default_rules));
    set(b, sel, "rules_dirs", strings(b, s->rules_dirs, s->nrules_dirs));
    set(b, o, "selection", sel);
    json_t *nr = json_array();
    for (size_t i = 0; s->not_run && i < s->nnot_run; i++) {
        json_t *e = json_object();
        set(b, e, "id", jstr(b, s->not_run[i].id));
        set(b, e, "reason", jstr(b, s->not_run[i].reason));
        push(b, nr, e);
    }
    set(b, o, "not_run", nr);
    set(b, o, "no_data", strings(b, s->no_data, s->nno_data));
    return o;
}

static json_t *build_info(builder *b, const rhv_report *r)
{
    const rhv_report_provenance *p = &r->prov;
    json_t *o = json_object();
    set(b, o, "version", jstr(b, r->version));
    set(b, o, "commit", jstr(b, p->commit));
    set(b, o, "binary_sha256", jstr(b, p->binary_sha256));
    return o;
}

static json_t *invocation(builder *b, const rhv_report_provenance *p)
{
    json_t *o = json_object();
    set(b, o, "command_line", strings(b, p->argv, p->argc));
    set(b, o, "working_directory", jstr(b, p->cwd));
    json_t *home = json_object();
    set(b, home, "path", jstr(b, p->home));
    set(b, home, "origin", jstr(b, p->home_origin));
    set(b, o, "home", home);
    json_t *dirs = json_array();
    for (size_t i = 0; p->rule_dirs && i < p->nrule_dirs; i++) {
        json_t *d = json_object();
        set(b, d, "path", jstr(b, p->rule_dirs[i]));
        set(b, d, "origin", jstr(b, p->rule_dir_origins ? p->rule_dir_origins[i] : NULL));
        push(b, dirs, d);
    }
    set(b, o, "rule_dirs", dirs);
    json_t *opt = json_object();
    set(b, opt, "format", jstr(b, p->format));
    set(b, opt, "threads", p->threads >= 0 ? jint(p->threads) : json_null());
    set(b, opt, "mem_limit_mib", jint(p->mem_limit_mib));
    set(b, opt, "rules", jstr(b, p->select));
    set(b, opt, "default_rules", json_boolean(p->default_rules));
    set(b, opt, "rules_dirs", strings(b, p->rules_dirs_given, p->nrules_dirs_given));
    set(b, opt, "rule_args", strings(b, p->rule_args, p->nrule_args));
    set(b, opt, "als", jstr(b, p->als));
    set(b, opt, "vorige", jstr(b, p->vorige));
    set(b, opt, "peildatum", jstr(b, p->peildatum));
    set(b, o, "options", opt);
    set(b, o, "files", strings(b, p->files, p->nfiles));
    return o;
}

static json_t *lua_files(builder *b, const rhv_report_provenance *p)
{
    json_t *a = json_array();
    for (size_t i = 0; p->lua_files && i < p->nlua_files; i++) {
        const rhv_report_lua_file *l = &p->lua_files[i];
        json_t *o = json_object();
        set(b, o, "role", jstr(b, l->role));
        set(b, o, "name", jstr(b, l->name));
        set(b, o, "path", jstr(b, l->path));
        set(b, o, "sha256", jstr(b, l->sha256));
        push(b, a, o);
    }
    return a;
}

static json_t *scenario(builder *b, const rhv_scenario_info *s)
{
    json_t *o = json_object();
    set(b, o, "naam", jstr(b, s->naam));
    set(b, o, "file", jstr(b, s->file));
    set(b, o, "toegevoegd", jint((int64_t)s->toegevoegd));
    set(b, o, "wordt_fout", jint((int64_t)s->wordt_fout));
    set(b, o, "headroom_cents", s->have_ruimte ? jint(s->ruimte) : json_null());
    set(b, o, "headroom_zonder_scenario_cents", s->have_ruimte ? jint(s->ruimte_zonder) : json_null());
    set(b, o, "verdict", s->have_ruimte ? json_string(s->boven ? "boven" : "binnen") : json_null());
    set(b, o, "verdict_zonder_scenario",
        s->have_ruimte ? json_string(s->boven_zonder ? "boven" : "binnen") : json_null());
    return o;
}

static json_t *beoordelingen(builder *b, const rhv_beoordelingen_info *bi)
{
    json_t *o = json_object();
    set(b, o, "file", jstr(b, bi->file));
    set(b, o, "entries", jint((int64_t)bi->n));
    set(b, o, "toegepast", jint((int64_t)bi->toegepast));
    json_t *stale = json_array(), *old = json_array();
    for (size_t i = 0; i < bi->n; i++) {
        const rhv_beoordeling *e = &bi->entries[i];
        if (!e->matched || e->verlopen) {
            json_t *x = json_object();
            set(b, x, "fingerprint", jstr(b, e->fingerprint));
            set(b, x, "besluit", json_string(besluit_name(e->besluit)));
            set(b, x, "line", jint(e->line));
            if (e->matched)
                set(b, x, "geldig_tot", jstr(b, e->geldig_tot));
            push(b, e->matched ? old : stale, x);
        }
    }
    set(b, o, "niet_gevonden", stale);
    set(b, o, "verlopen", old);
    return o;
}

/* A difference now - then; null when either side is unknown or it overflows. */
static json_t *change(bool have, rhv_cents now, rhv_cents then)
{
    rhv_cents d;
    return have && money_sub(now, then, &d) ? jint(d) : json_null();
}

static json_t *vergelijking(builder *b, const rhv_report *r, const rhv_vergelijking *v)
{
    json_t *o = json_object();
    set(b, o, "file", jstr(b, v->file));
    set(b, o, "fiscal_year", v->fiscal_year ? jint(v->fiscal_year) : json_null());
    set(b, o, "nieuw", jint((int64_t)v->nieuw));
    set(b, o, "ongewijzigd", jint((int64_t)v->ongewijzigd));
    set(b, o, "gewijzigd", jint((int64_t)v->gewijzigd));
    set(b, o, "vervallen", jint((int64_t)v->nvervallen));
    verdict_result t;
    bool have_now = report_totals(r, &t) == 0;
    json_t *tot = json_object();
    set(b, tot, "fouten_cents", v->have_totals ? jint(v->fouten) : json_null());
    set(b, tot, "onzekerheden_cents", v->have_totals ? jint(v->onzekerheden) : json_null());
    set(b, tot, "total_cents", v->have_totals ? jint(v->total) : json_null());
    set(b, tot, "headroom_cents", v->have_headroom ? jint(v->headroom) : json_null());
    set(b, tot, "verdict", jstr(b, v->verdict));
    set(b, o, "vorige", tot);
    json_t *ch = json_object();
    bool both = have_now && v->have_totals;
    set(b, ch, "fouten_cents", change(both, t.fouten, v->fouten));
    set(b, ch, "onzekerheden_cents", change(both, t.onzekerheden, v->onzekerheden));
    set(b, ch, "total_cents", change(both, t.total, v->total));
    rhv_cents head = r->vres.ruimte;
    if (r->vin.gescheiden)
        head = r->vres.ruimte_fouten < r->vres.ruimte_onzekerheden ? r->vres.ruimte_fouten : r->vres.ruimte_onzekerheden;
    set(b, ch, "headroom_cents", change(r->have_verdict && v->have_headroom, head, v->headroom));
    set(b, o, "verschil", ch);
    json_t *gone = json_array();
    for (size_t i = 0; i < v->nvervallen; i++) {
        const rhv_prev_finding *p = v->vervallen[i];
        json_t *x = json_object();
        set(b, x, "fingerprint", jstr(b, p->fingerprint));
        set(b, x, "rule", jstr(b, p->rule));
        set(b, x, "kind", jstr(b, p->kind));
        set(b, x, "subject", jstr(b, p->subject));
        set(b, x, "amount_cents", jint(p->amount));
        push(b, gone, x);
    }
    set(b, o, "vervallen_findings", gone);
    return o;
}

/* parameters, overrides, inputs, diagnostics: the lists after the rules. */
static void lists(builder *b, json_t *root, const rhv_report *r)
{
    json_t *ps = json_array();
    for (size_t i = 0; r->params && i < r->nparams; i++) {
        const rhv_report_param *p = &r->params[i];
        json_t *o = json_object();
        set(b, o, "name", jstr(b, p->name));
        set(b, o, "file", jstr(b, path_display(p->file)));
        set(b, o, "sha256", jstr(b, p->sha256));
        push(b, ps, o);
    }
    set(b, root, "parameters", ps);

    json_t *ov = json_array();
    for (size_t i = 0; r->overrides && i < r->noverrides; i++)
        if (r->overrides[i])
            push(b, ov, jstr(b, r->overrides[i]));
    set(b, root, "overrides", ov);
    if (report_overrides_from_dossier(r)) { /* absent: all from the command line, as before */
        json_t *oo = json_array();
        for (size_t i = 0; i < r->noverrides; i++)
            push(b, oo, jstr(b, r->override_origins[i]));
        set(b, root, "override_origins", oo);
    }

    json_t *ins = json_array();
    for (size_t i = 0; i < r->ninputs && r->inputs; i++) {
        json_t *o = json_object();
        set(b, o, "path", jstr(b, r->inputs[i].path));
        set(b, o, "kind", jstr(b, r->inputs[i].kind));
        set(b, o, "sha256", jstr(b, r->inputs[i].sha256));
        push(b, ins, o);
    }
    set(b, root, "inputs", ins);

    json_t *ds = json_array();
    for (size_t i = 0; r->diags && i < r->ndiags; i++) {
        const diag_msg *m = &r->diags[i];
        json_t *o = json_object();
        set(b, o, "level", json_string(m->level == DIAG_ERROR ? "error" : "warning"));
        set(b, o, "file", jstr(b, m->file));
        set(b, o, "line", m->line > 0 ? jint(m->line) : json_null());
        set(b, o, "message", jstr(b, m->message));
        push(b, ds, o);
    }
    set(b, root, "diagnostics", ds);
}

static json_t *build(builder *b, const rhv_report *r)
{
    json_t *root = json_object();
    if (!root) {
        b->failed = true;
        return NULL;
    }
    set(b, root, "report_format", jint(REPORT_FORMAT_VERSION));
    if (r->scenario)
        set(b, root, "scenario", scenario(b, r->scenario));
    set(b, root, "organisation", organisation(b, r));
    set(b, root, "verantwoordingsgrens", grens(b, r));
    set(b, root, "rapportagegrens_cents", r->have_verdict ? jint(r->vin.rapportagegrens) : json_null());

    verdict_result t;
    if (report_totals(r, &t) == 0) {
        set(b, root, "totals", totals(b, &t));
    } else {
        set(b, root, "totals", json_null());
    }
    if (r->have_verdict) {
        const verdict_result *v = &r->vres;
        /* In gescheiden mode the deciding ruimte is the smaller one, so that
         * headroom_cents < 0 exactly when the verdict is boven. */
        rhv_cents head = v->ruimte;
        if (r->vin.gescheiden)
            head = v->ruimte_fouten < v->ruimte_onzekerheden ? v->ruimte_fouten : v->ruimte_onzekerheden;
        set(b, root, "headroom_cents", jint(head));
        if (r->vin.gescheiden) {
            set(b, root, "headroom_fouten_cents", jint(v->ruimte_fouten));
            set(b, root, "headroom_onzekerheden_cents", jint(v->ruimte_onzekerheden));
        }
        set(b, root, "verdict", json_string(v->boven ? "boven" : "binnen"));
    } else {
        set(b, root, "headroom_cents", json_null());
        set(b, root, "verdict", json_null());
    }

    json_t *fs = json_array();
    for (size_t i = 0; r->findings && i < r->nfindings; i++)
        push(b, fs, finding(b, r, &r->findings[i]));
    set(b, root, "findings", fs);
    if (r->beoordelingen)
        set(b, root, "beoordelingen", beoordelingen(b, r->beoordelingen));
    if (r->vergelijking)
        set(b, root, "vergelijking", vergelijking(b, r, r->vergelijking));

    json_t *rs = json_array();
    for (size_t i = 0; r->rules && i < r->nrules; i++)
        push(b, rs, rule(b, &r->rules[i], r->prov.rule_origins ? r->prov.rule_origins[i] : NULL));
    set(b, root, "rules", rs);

    lists(b, root, r);

    set(b, root, "rhv_version", jstr(b, r->version));
    set(b, root, "exit_code", jint(r->exit_code));
    set(b, root, "scope", scope(b, &r->scope));
    if (r->prov.known) {
        set(b, root, "build", build_info(b, r));
        set(b, root, "invocation", invocation(b, &r->prov));
        set(b, root, "lua_files", lua_files(b, &r->prov));
    } else {
        set(b, root, "build", json_null());
        set(b, root, "invocation", json_null());
        set(b, root, "lua_files", json_array());
    }
    return root;
}

int report_json(FILE *out, const rhv_report *r)
{
    builder b = {false};
    json_t *root = build(&b, r);
    if (b.failed || !root) {
        json_decref(root);
        return -1;
    }
    int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    if (rc != 0 || fputc('\n', out) == EOF || ferror(out))
        return -1;
    return 0;
}
