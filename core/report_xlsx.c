/* report_xlsx.c - the report as an Excel workbook (docs/report-formats.md),
 * written by libxlsxwriter.
 *
 * Sheets: Samenvatting (grens, totals per criterion and kind, ruimte,
 * uitkomst, reikwijdte), Bevindingen (one row per finding), Boekingen (every
 * record behind every finding, with the finding's nummer and its amount, and
 * the records the rule did not list), Regels, Invoer (hashes), Herkomst
 * (build, command line, Lua files) and Meldingen when there are diagnostics.
 * One function per sheet; the cells are written by report_xlsx_sheet.c and
 * the sheet Samenvatting by report_xlsx_summary.c. Findings handled across
 * runs (docs/handled.md, report_xlsx_handled.c): the Bevindingen rows carry
 * each finding's fingerprint, beoordeling, earlier state and scenario
 * change, and Telt mee says what the totals count; with --vorige a sheet
 * Vervallen follows Boekingen; with --als every sheet opens with the
 * scenario banner, also in every printed page's header (report_xlsx_sheet.c).
 *
 * Amounts are numbers Excel can sum, in a euro format: cents / 100 as a
 * double, which libxlsxwriter writes with 16 significant digits: mostly the
 * exact decimal ("1234.56"), for some amounts the double's 16 digits
 * ("935411.1899999999"), which Excel (15 digits) shows as the cents. The workbook is deterministic: its creation time is fixed
 * (libxlsxwriter would write the current time) and the zip entries carry a
 * fixed date, so the same inputs give the same bytes.
 *
 * libxlsxwriter writes to a file name, not to a stream: the workbook is made
 * in a temporary file (TMPDIR, else /tmp) and copied to out, so it goes
 * through the same atomic write as every other format.
 */
#include "report_xlsx_sheet.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "paths.h"

/* 2000-01-01T00:00:00Z: a fixed, plainly artificial creation time. */
#define XLSX_CREATED ((time_t)946684800)

/* --- Bevindingen -------------------------------------------------------- */

enum { F_NUMMER, F_ONDERDEEL, F_REGEL, F_CRITERIUM, F_SOORT, F_BEDRAG, F_TELT, F_ONDERWERP, F_MELDING,
       F_TOELICHTING, F_BRON, F_HANDLED, F_COLS = F_HANDLED + XLSX_HANDLED_COLS };

static int finding_row(void *vs, size_t no, report_list_kind k, const rhv_finding *f)
{
    sheet *s = vs;
    if (!sheet_next_row(s))
        return 0;
    sheet_int(s, F_NUMMER, (long long)no);
    sheet_text(s, F_ONDERDEEL, report_list_name(k), NULL);
    sheet_text(s, F_REGEL, f->rule, NULL);
    sheet_text(s, F_CRITERIUM, criterion_title_nl(f->crit), NULL);
    sheet_text(s, F_SOORT, finding_kind_name(f->kind), NULL);
    sheet_euro(s, F_BEDRAG, f->amount, NULL);
    sheet_text(s, F_TELT, report_counts(s->b->r, f) ? "ja" : "nee", NULL);
    sheet_text(s, F_ONDERWERP, f->subject, NULL);
    sheet_text(s, F_MELDING, f->message, NULL);
    sheet_text(s, F_TOELICHTING, f->toelichting, NULL);
    /* The first record; every one is on the Boekingen sheet. */
    if (f->nev > 0) {
        char *src = report_evidence_nl(&f->ev[0]);
        if (!src)
            s->b->err = 1;
        sheet_text(s, F_BRON, src, NULL);
        free(src);
    }
    report_xlsx_handled_cols(s, F_HANDLED, f);
    return 0;
}

static void findings_sheet(book *b, const rhv_report *r)
{
    sheet s;
    if (!sheet_open(b, &s, "Bevindingen"))
        return;
    static const char *const head[F_COLS] = {"Nummer", "Onderdeel", "Regel", "Criterium", "Soort", "Bedrag",
                                             "Telt mee", "Onderwerp", "Melding", "Toelichting", "Bron",
                                             XLSX_HANDLED_HEAD};
    static const double width[F_COLS] = {9, 13, 26, 22, 13, 17, 9, 36, 50, 60, 40, XLSX_HANDLED_WIDTH};
    sheet_list_head(&s, head, width, F_COLS);
    if (report_each_finding(r, finding_row, &s) != 0)
        b->err = 1;
    sheet_list_end(&s, F_COLS);
}

/* --- Boekingen ---------------------------------------------------------- */

enum { B_NUMMER, B_REGEL, B_ONDERWERP, B_BESTAND, B_LIJN, B_SLEUTEL, B_BEDRAG, B_COLS };

static void evidence_row(sheet *s, size_t no, const rhv_finding *f, const rhv_evidence *e)
{
    if (!sheet_next_row(s))
        return;
    sheet_int(s, B_NUMMER, (long long)no);
    sheet_text(s, B_REGEL, f->rule, NULL);
    sheet_text(s, B_ONDERWERP, f->subject, NULL);
    sheet_text(s, B_BESTAND, e->file, NULL);
    sheet_int(s, B_LIJN, e->line);
    sheet_text(s, B_SLEUTEL, e->key, NULL);
    if (e->has_amount)
        sheet_euro(s, B_BEDRAG, e->amount, NULL);
}

/* The records the rule counted but did not list: one row, so that the
 * Bedrag of a finding's rows adds up to the finding's amount. */
static void omitted_row(sheet *s, size_t no, const rhv_finding *f)
{
    if (!sheet_next_row(s))
        return;
    char more[64];
    report_more_nl(f->ev_omitted, more, sizeof more);
    sheet_int(s, B_NUMMER, (long long)no);
    sheet_text(s, B_REGEL, f->rule, NULL);
    sheet_text(s, B_ONDERWERP, f->subject, NULL);
    sheet_text(s, B_BESTAND, more, NULL);
    if (f->has_omitted_amount)
        sheet_euro(s, B_BEDRAG, f->omitted_amount, NULL);
}

static int finding_evidence(void *vs, size_t no, report_list_kind k, const rhv_finding *f)
{
    (void)k;
    for (size_t i = 0; i < f->nev; i++)
        evidence_row(vs, no, f, &f->ev[i]);
    if (f->ev_omitted > 0)
        omitted_row(vs, no, f);
    return 0;
}

static void evidence_sheet(book *b, const rhv_report *r)
{
    sheet s;
    if (!sheet_open(b, &s, "Boekingen"))
        return;
    static const char *const head[B_COLS] = {"Nummer", "Regel", "Onderwerp", "Bestand", "Regel in bestand",
                                             "Sleutel", "Bedrag"};
    static const double width[B_COLS] = {9, 26, 36, 44, 15, 40, 17};
    sheet_list_head(&s, head, width, B_COLS);
    if (report_each_finding(r, finding_evidence, &s) != 0)
        b->err = 1;
    sheet_list_end(&s, B_COLS);
}

/* --- Regels ------------------------------------------------------------- */

static void rules_sheet(book *b, const rhv_report *r)
{
    sheet s;
    if (!sheet_open(b, &s, "Regels"))
        return;
    static const char *const head[] = {"Regel", "Titel", "Criterium", "Status", "Melding", "Bestand", "sha256",
                                       "Herkomst"};
    static const double width[] = {26, 50, 22, 13, 50, 34, 66, 12};
    enum { N = sizeof head / sizeof head[0] };
    sheet_list_head(&s, head, width, N);
    for (size_t i = 0; r->rules && i < r->nrules && sheet_next_row(&s); i++) {
        const rhv_rule_info *ri = &r->rules[i];
        sheet_text(&s, 0, ri->id, NULL);
        sheet_text(&s, 1, ri->title, NULL);
        sheet_text(&s, 2, criterion_title_nl(ri->crit), NULL);
        sheet_text(&s, 3, report_rule_status_nl(ri->status), NULL);
        sheet_text(&s, 4, ri->message, NULL);
        sheet_text(&s, 5, ri->file ? path_display(ri->file) : NULL, NULL);
        sheet_text(&s, 6, ri->sha256, NULL);
        if (r->prov.known && r->prov.rule_origins)
            sheet_text(&s, 7, r->prov.rule_origins[i], NULL);
    }
    sheet_list_end(&s, N);
}

/* --- Invoer ------------------------------------------------------------- */

static void input_row(sheet *s, const char *kind, const char *path, const char *sha)
{
    if (!sheet_next_row(s))
        return;
    sheet_text(s, 0, kind, NULL);
    sheet_text(s, 1, path, NULL);
    sheet_text(s, 2, sha, NULL);
}

static void inputs_sheet(book *b, const rhv_report *r)
{
    sheet s;
    if (!sheet_open(b, &s, "Invoer"))
        return;
    static const char *const head[] = {"Soort", "Bestand of waarde", "sha256"};
    static const double width[] = {30, 60, 66};
    sheet_list_head(&s, head, width, 3);
    char ver[64];
    snprintf(ver, sizeof ver, "rhv %s", r->version ? r->version : "?");
    input_row(&s, "programma", ver, NULL);
    for (size_t i = 0; r->inputs && i < r->ninputs; i++)
        input_row(&s, r->inputs[i].kind, r->inputs[i].path, r->inputs[i].sha256);
    for (size_t i = 0; r->params && i < r->nparams; i++) {
        const rhv_report_param *p = &r->params[i];
        char kind[128];
        snprintf(kind, sizeof kind, "parametertabel %s", p->name ? p->name : "?");
        input_row(&s, kind, p->file ? path_display(p->file) : NULL, p->sha256);
    }
    for (size_t i = 0; r->overrides && i < r->noverrides; i++)
        input_row(&s, "regelargument (--rule-arg)", r->overrides[i], NULL);
    sheet_list_end(&s, 3);
}

/* --- Herkomst (when known) ---------------------------------------------- */

static void provenance_sheet(book *b, const rhv_report *r)
{
    const rhv_report_provenance *p = &r->prov;
    if (!p->known)
        return;
    sheet s;
    if (!sheet_open(b, &s, "Herkomst"))
        return;
    static const char *const head[] = {"Onderdeel", "Waarde", "sha256"};
    static const double width[] = {30, 80, 66};
    sheet_list_head(&s, head, width, 3);
    char ver[64];
    snprintf(ver, sizeof ver, "rhv %s", r->version ? r->version : "?");
    input_row(&s, "programma", ver, p->binary_sha256 ? p->binary_sha256 : "onbekend");
    input_row(&s, "commit", p->commit ? p->commit : "onbekend", NULL);
    size_t n = 1;
    for (size_t i = 0; p->argv && i < p->argc; i++)
        n += 1 + (p->argv[i] ? strlen(p->argv[i]) : 0);
    char *cmd = malloc(n);
    if (cmd) {
        cmd[0] = '\0';
        for (size_t i = 0; p->argv && i < p->argc; i++) {
            if (i)
                strcat(cmd, " ");
            strcat(cmd, p->argv[i] ? p->argv[i] : "");
        }
    } else {
        b->err = 1;
    }
    input_row(&s, "opdracht", cmd, NULL);
    free(cmd);
    input_row(&s, "map", p->cwd ? p->cwd : "?", NULL);
    char label[256];
    snprintf(label, sizeof label, "rhv-thuismap (%s)", p->home_origin ? p->home_origin : "?");
    input_row(&s, label, p->home ? p->home : "?", NULL);
    for (size_t i = 0; p->rule_dirs && i < p->nrule_dirs; i++) {
        snprintf(label, sizeof label, "regelmap (%s)", p->rule_dir_origins ? p->rule_dir_origins[i] : "?");
        input_row(&s, label, p->rule_dirs[i] ? p->rule_dirs[i] : "?", NULL);
    }
    char opts[96];
    if (p->threads >= 0)
        snprintf(opts, sizeof opts, "--threads %d, --mem-limit %d MiB", p->threads, p->mem_limit_mib);
    else
        snprintf(opts, sizeof opts, "--threads standaard, --mem-limit %d MiB", p->mem_limit_mib);
    input_row(&s, "opties", opts, NULL);
    for (size_t i = 0; p->lua_files && i < p->nlua_files; i++) {
        const rhv_report_lua_file *l = &p->lua_files[i];
        snprintf(label, sizeof label, "lua %s %s", l->role ? l->role : "?", l->name ? l->name : "?");
        input_row(&s, label, l->path ? l->path : "?", l->sha256 ? l->sha256 : "onbekend");
    }
    sheet_list_end(&s, 3);
}

/* --- Meldingen (only when there are any) -------------------------------- */

static void diags_sheet(book *b, const rhv_report *r)
{
    if (!r->diags || r->ndiags == 0)
        return;
    sheet s;
    if (!sheet_open(b, &s, "Meldingen"))
        return;
    static const char *const head[] = {"Niveau", "Bestand", "Regel in bestand", "Melding"};
    static const double width[] = {14, 44, 15, 80};
    sheet_list_head(&s, head, width, 4);
    for (size_t i = 0; i < r->ndiags && sheet_next_row(&s); i++) {
        const diag_msg *m = &r->diags[i];
        sheet_text(&s, 0, m->level == DIAG_ERROR ? "fout" : "waarschuwing", NULL);
        sheet_text(&s, 1, m->file, NULL);
        if (m->line > 0)
            sheet_int(&s, 2, m->line);
        sheet_text(&s, 3, m->message, NULL);
    }
    sheet_list_end(&s, 4);
}

/* --- The workbook ------------------------------------------------------- */

static lxw_format *fmt(book *b, bool bold, const char *num, bool wrap, bool head)
{
    lxw_format *f = workbook_add_format(b->wb);
    if (!f) {
        b->err = 1;
        return NULL;
    }
    if (bold)
        format_set_bold(f);
    if (num)
        format_set_num_format(f, num);
    if (wrap)
        format_set_text_wrap(f);
    format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    if (head) {
        format_set_bottom(f, LXW_BORDER_THIN);
        format_set_bg_color(f, 0xF2F4F7);
    }
    return f;
}

/* "€ 1.234,56" in a Dutch Excel: the format uses Excel's own separators,
 * which Excel shows in the reader's locale. */
#define EURO_FMT "\"\xe2\x82\xac \"#,##0.00;\"\xe2\x82\xac \"-#,##0.00"

static int build(const char *path, const rhv_report *r)
{
    char tmpdir[] = "/tmp";
    const char *env = getenv("TMPDIR");
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = env && *env ? (char *)env : tmpdir};
    book b = {0};
    b.r = r;
    b.wb = workbook_new_opt(path, &opt);
    if (!b.wb)
        return -1;
    b.head = fmt(&b, true, NULL, true, true);
    b.euro = fmt(&b, false, EURO_FMT, false, false);
    b.bold_euro = fmt(&b, true, EURO_FMT, false, false);
    b.text = fmt(&b, false, NULL, true, false);
    b.pct = fmt(&b, false, "0.00%", false, false);
    b.bold = fmt(&b, true, NULL, false, false);
    b.banner = fmt(&b, true, NULL, false, false);
    if (b.banner) {
        format_set_font_color(b.banner, 0x8A5A00);
        format_set_bg_color(b.banner, 0xFFF6E0);
    }

    char title[512];
    report_title_nl(r, title, sizeof title);
    bool oom;
    char *t = report_utf8(title, &oom);
    char generator[64];
    snprintf(generator, sizeof generator, "rhv %s", r->version ? r->version : "?");
    lxw_doc_properties props = {.title = t, .comments = generator, .created = XLSX_CREATED};
    if (!t || workbook_set_properties(b.wb, &props) != LXW_NO_ERROR)
        b.err = 1;

    report_xlsx_summary(&b, r);
    findings_sheet(&b, r);
    evidence_sheet(&b, r);
    report_xlsx_vervallen(&b, r);
    rules_sheet(&b, r);
    inputs_sheet(&b, r);
    provenance_sheet(&b, r);
    diags_sheet(&b, r);
    if (workbook_close(b.wb) != LXW_NO_ERROR)
        b.err = 1;
    free(t);
    return b.err ? -1 : 0;
}

static int copy(FILE *from, FILE *to)
{
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, from)) > 0)
        if (fwrite(buf, 1, n, to) != n)
            return -1;
    return ferror(from) ? -1 : 0;
}

int report_xlsx(FILE *out, const rhv_report *r)
{
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    size_t n = strlen(dir) + 32;
    char *path = malloc(n);
    if (!path) {
        errno = ENOMEM;
        return -1;
    }
    snprintf(path, n, "%s/rhv-xlsx-XXXXXX", dir);
    int fd = mkstemp(path);
    if (fd < 0) {
        free(path);
        return -1;
    }
    close(fd);
    int rc = build(path, r);
    if (rc == 0) {
        FILE *f = fopen(path, "rb");
        rc = f ? copy(f, out) : -1;
        if (f)
            fclose(f);
    }
    int e = errno;
    unlink(path);
    free(path);
    errno = e;
    return rc;
}
