/* report_text.c - the report as Dutch text for a terminal.
 *
 * The statement follows the structure of the Commissie BBV model as it is
 * used in practice (shared/domain/rhv-facts.md §2): responsibility and the
 * three criteria with the normenkader, the grens sentence, the bevinding,
 * the table of afwijkingen; then rhv's own parts: the toelichting per
 * afwijking from the rapportagegrens, acceptabel items, signaleringen, the
 * small afwijkingen, the rules, the inputs and the diagnostics.
 * The roles follow the kind of organisation: college/raad for a gemeente,
 * Gedeputeerde/Provinciale Staten for a provincie, dagelijks/algemeen
 * bestuur for a gemeenschappelijke regeling and a waterschap.
 */
#include "paths.h"
#include "report.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define WIDTH 92       /* wrap column: fits a terminal and a printed page */
#define LABEL_W 36     /* first column of the table */
#define AMOUNT_W 19    /* each amount column */
#define TEXT_EVIDENCE 5 /* evidence lines per finding; the JSON has every one */

typedef struct {
    FILE *out;
    int err;
} ctx;

typedef struct {
    const char *exec, *Exec, *exec_title; /* who makes the statement */
    bool exec_pl;                         /* takes a plural verb */
    const char *board;                    /* who sets grens and normenkader */
    bool board_pl;
} roles;

static roles roles_for(const char *soort)
{
    if (soort && strcmp(soort, "gemeente") == 0)
        return (roles){"het college", "Het college", "college", false, "de raad", false};
    if (soort && strcmp(soort, "provincie") == 0)
        return (roles){"Gedeputeerde Staten", "Gedeputeerde Staten", "Gedeputeerde Staten", true,
                       "Provinciale Staten", true};
    /* gemeenschappelijke regeling and waterschap; also the fallback, as the
     * neutral board names. */
    return (roles){"het dagelijks bestuur", "Het dagelijks bestuur", "dagelijks bestuur", false,
                   "het algemeen bestuur", false};
}

/* Display width of UTF-8 text: one column per code point. */
static size_t cols(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            n++;
    return n;
}

static void put(ctx *c, const char *s)
{
    if (fputs(s, c->out) == EOF)
        c->err = 1;
}

static void putf(ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (vfprintf(c->out, fmt, ap) < 0)
        c->err = 1;
    va_end(ap);
}

static char *vfmt(const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return NULL;
    char *s = malloc((size_t)n + 1);
    if (s)
        vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

/* A space right after a euro sign does not break: "€ 1.234,56" stays whole. */
static bool breakable(const char *line, size_t i)
{
    return line[i] == ' ' && !(i >= 3 && memcmp(line + i - 3, "\xe2\x82\xac", 3) == 0);
}

/* Prints one line of text wrapped at WIDTH, every output line starting with
 * indent. A line that already fits is printed as it is, so a toelichting
 * keeps its own layout (aligned calculations). */
static void wrap_line(ctx *c, const char *indent, const char *line, size_t len)
{
    size_t iw = cols(indent, strlen(indent));
    size_t room = WIDTH > iw + 20 ? WIDTH - iw : 20;
    while (len > 0) {
        if (cols(line, len) <= room) {
            putf(c, "%s%.*s\n", indent, (int)len, line);
            return;
        }
        /* Last breakable space within room; else the first one after it. */
        size_t cut = 0, w = 0;
        for (size_t i = 0; i < len; i++) {
            if (((unsigned char)line[i] & 0xC0) != 0x80)
                w++;
            if (w > room + 1 && cut)
                break;
            if (breakable(line, i))
                cut = i;
        }
        if (cut == 0) {
            putf(c, "%s%.*s\n", indent, (int)len, line);
            return;
        }
        putf(c, "%s%.*s\n", indent, (int)cut, line);
        line += cut;
        len -= cut;
        while (len > 0 && *line == ' ') {
            line++;
            len--;
        }
    }
}

static void wrap(ctx *c, const char *indent, const char *text)
{
    if (!text)
        return;
    for (;;) {
        const char *nl = strchr(text, '\n');
        size_t len = nl ? (size_t)(nl - text) : strlen(text);
        if (len == 0)
            put(c, "\n");
        else
            wrap_line(c, indent, text, len);
        if (!nl)
            break;
        text = nl + 1;
    }
}

/* A formatted paragraph, wrapped; an empty line after it. */
static void para(ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void para(ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = vfmt(fmt, ap);
    va_end(ap);
    if (!s) {
        c->err = 1;
        return;
    }
    wrap(c, "", s);
    put(c, "\n");
    free(s);
}

static void heading(ctx *c, const char *title, char underline)
{
    size_t n = cols(title, strlen(title));
    putf(c, "%s\n", title);
    for (size_t i = 0; i < n; i++)
        if (fputc(underline, c->out) == EOF)
            c->err = 1;
    put(c, "\n\n");
}

static void cell_left(ctx *c, const char *s, size_t width)
{
    put(c, s);
    for (size_t n = cols(s, strlen(s)); n < width; n++)
        put(c, " ");
}

static void cell_right(ctx *c, const char *s, size_t width)
{
    for (size_t n = cols(s, strlen(s)); n < width; n++)
        put(c, " ");
    put(c, s);
}

/* "€ 1.234,56" as a table cell; NULL text for an empty cell. */
static void amount_cell(ctx *c, const rhv_cents *v)
{
    char buf[MONEY_FMT_MAX];
    cell_right(c, v ? money_format(*v, buf) : "", AMOUNT_W);
}

static void row(ctx *c, const char *label, const rhv_cents *f, const rhv_cents *o, const rhv_cents *t)
{
    put(c, "  ");
    cell_left(c, label, LABEL_W);
    amount_cell(c, f);
    amount_cell(c, o);
    if (t) /* no padding after the last filled cell: no trailing blanks */
        amount_cell(c, t);
    put(c, "\n");
}

static void rule_line(ctx *c)
{
    put(c, "  ");
    for (size_t i = 0; i < LABEL_W + 3 * AMOUNT_W; i++)
        put(c, "-");
    put(c, "\n");
}

/* "3%" for whole percentages, else "2,50%". */
static char *pct_nl(int64_t bp, char buf[MONEY_FMT_MAX])
{
    if (bp % 100 == 0) {
        snprintf(buf, MONEY_FMT_MAX, "%lld%%", (long long)(bp / 100));
        return buf;
    }
    bp_format(bp, true, buf);
    size_t n = strlen(buf);
    if (n + 1 < MONEY_FMT_MAX) {
        buf[n] = '%';
        buf[n + 1] = '\0';
    }
    return buf;
}

/* "2023-11-16" -> "16 november 2023"; anything else is shown as given. */
static const char *date_nl(const char *iso, char buf[40])
{
    static const char *const months[12] = {"januari", "februari", "maart", "april", "mei", "juni", "juli",
                                           "augustus", "september", "oktober", "november", "december"};
    if (!iso)
        return NULL;
    int y, m, d;
    char tail;
    if (strlen(iso) == 10 && iso[4] == '-' && iso[7] == '-' &&
        sscanf(iso, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 && m >= 1 && m <= 12 && d >= 1 && d <= 31) {
        snprintf(buf, 40, "%d %s %d", d, months[m - 1], y);
        return buf;
    }
    return iso;
}

static const char *crit_letter(criterion cr)
{
    static const char *const letters[CRIT_COUNT] = {"A", "B", "C", "D"};
    return (unsigned)cr < CRIT_COUNT ? letters[cr] : "?";
}

static void statement(ctx *c, const rhv_report *r, const roles *ro)
{
    char t[160], d1[40];
    snprintf(t, sizeof t, "Verantwoordelijkheid %s", ro->exec_title);
    heading(c, t, '-');
    const char *nk = date_nl(r->normenkader_datum, d1);
    para(c,
         "%s %s verantwoordelijk voor het getrouw en rechtmatig opnemen van de baten, lasten en "
         "balansmutaties in de jaarrekening %d. Getrouwe opname maakt niet expliciet of is voldaan aan "
         "de drie rechtmatigheidscriteria: het begrotingscriterium, het voorwaardencriterium en het "
         "criterium misbruik en oneigenlijk gebruik (M&O). In deze rechtmatigheidsverantwoording %s %s "
         "in hoeverre de financiële beheershandelingen in de jaarrekening aan deze criteria voldoen. "
         "Daarbij is het normenkader gebruikt dat %s%s%s %s vastgesteld.",
         ro->Exec, ro->exec_pl ? "zijn" : "is", r->fiscal_year, ro->exec_pl ? "verantwoorden" : "verantwoordt",
         ro->exec, ro->board, nk ? " op " : "", nk ? nk : "", ro->board_pl ? "hebben" : "heeft");
}

static void grens_section(ctx *c, const rhv_report *r, const roles *ro)
{
    const verdict_input *in = &r->vin;
    const verdict_result *v = &r->vres;
    char b1[MONEY_FMT_MAX], b2[MONEY_FMT_MAX], b3[MONEY_FMT_MAX], p1[MONEY_FMT_MAX], p2[MONEY_FMT_MAX];
    char d1[40];
    heading(c, "Verantwoordingsgrens", '-');
    char basis[32] = "";
    if (r->grens_basis)
        snprintf(basis, sizeof basis, "%s ", r->grens_basis);
    if (in->gescheiden)
        para(c,
             "De verantwoordingsgrenzen zijn door %s bepaald op %s (fouten) en %s (onzekerheden) van de "
             "totale lasten inclusief toevoegingen aan de reserves (basis: %s%s) en zijn daarmee "
             "vastgesteld op %s voor fouten en %s voor onzekerheden.",
             ro->board, pct_nl(in->fouten_bp, p1), pct_nl(in->onzekerheden_bp, p2), basis,
             money_format(in->basis, b1), money_format(v->grens_fouten, b2),
             money_format(v->grens_onzekerheden, b3));
    else
        para(c,
             "De verantwoordingsgrens is door %s bepaald op %s van de totale lasten inclusief toevoegingen "
             "aan de reserves (basis: %s%s) en is daarmee vastgesteld op %s.",
             ro->board, pct_nl(in->grens_bp, p1), basis, money_format(in->basis, b1),
             money_format(v->grens, b2));
    if (r->grens_besluit) {
        const char *bron = r->grens_bron;
        para(c, "Besluit over de grens: %s%s%s%s.", date_nl(r->grens_besluit, d1), bron ? " (" : "",
             bron ? bron : "", bron ? ")" : "");
    }
    para(c, "De rapportagegrens is %s: afwijkingen vanaf dit bedrag worden afzonderlijk toegelicht.",
         money_format(in->rapportagegrens, b1));
    if (v->pct_warning)
        para(c,
             "LET OP: een percentage van de verantwoordingsgrens ligt buiten 0,5%% tot 3%%. Dat is ongebruikelijk "
             "(in de praktijk 1%% tot 3%%); controleer het besluit.");
}

/* Describes one kind against its own grens (gescheiden). */
static void kind_vs_grens(ctx *c, const char *what, rhv_cents amount, rhv_cents grens, rhv_cents ruimte)
{
    char b1[MONEY_FMT_MAX], b2[MONEY_FMT_MAX], b3[MONEY_FMT_MAX];
    if (ruimte >= 0)
        para(c, "De %s bedragen %s; dat is %s binnen de grens van %s.", what, money_format(amount, b1),
             money_format(ruimte, b2), money_format(grens, b3));
    else
        para(c, "De %s bedragen %s; dat is %s boven de grens van %s.", what, money_format(amount, b1),
             money_format(-ruimte, b2), money_format(grens, b3));
}

static bool partial(const rhv_report *r)
{
    return r->scope.known && !r->scope.complete;
}

/* Findings a beoordeling took out of the totals, told beside the totals. */
static void afgehandeld_para(ctx *c, const rhv_report *r)
{
    rhv_cents sum = 0;
    size_t n = 0;
    for (size_t i = 0; r->notes && i < r->nfindings; i++) {
        const rhv_finding *f = &r->findings[i];
        if (r->notes[i].dropped && f->kind != KIND_SIGNALERING && money_add(sum, f->amount, &sum))
            n++;
    }
    char b1[MONEY_FMT_MAX];
    if (n > 0)
        para(c, "%zu %s van samen %s %s beoordeeld als onterecht of als al geregistreerde afwijking; die tellen "
                "niet mee (zie \"Afgehandeld\").",
             n, n == 1 ? "bevinding" : "bevindingen", money_format(sum, b1), n == 1 ? "is" : "zijn");
}

/* A what-if is never the statement itself: said at the top and in the Bevinding. */
static void scenario_para(ctx *c, const rhv_report *r)
{
    const rhv_scenario_info *s = r->scenario;
    if (!s)
        return;
    char b1[MONEY_FMT_MAX], b2[MONEY_FMT_MAX];
    if (s->have_ruimte)
        para(c, "SCENARIO \"%s\" (%s): dit is een wat-als-berekening, geen rechtmatigheidsverantwoording. "
                "Ruimte in dit scenario: %s (%s de grens); zonder scenario: %s (%s de grens). Toegevoegde "
                "afwijkingen: %zu; onzekerheden als fout gerekend: %zu.",
             s->naam ? s->naam : "?", s->file ? s->file : "?", money_format(s->ruimte, b1),
             s->boven ? "boven" : "binnen", money_format(s->ruimte_zonder, b2), s->boven_zonder ? "boven" : "binnen",
             s->toegevoegd, s->wordt_fout);
    else
        para(c, "SCENARIO \"%s\" (%s): dit is een wat-als-berekening, geen rechtmatigheidsverantwoording. "
                "Zonder verantwoordingsgrens is geen ruimte bekend. Toegevoegde afwijkingen: %zu; onzekerheden "
                "als fout gerekend: %zu.",
             s->naam ? s->naam : "?", s->file ? s->file : "?", s->toegevoegd, s->wordt_fout);
}

static void bevinding(ctx *c, const rhv_report *r, const roles *ro)
{
    const verdict_result *v = &r->vres;
    char b1[MONEY_FMT_MAX], b2[MONEY_FMT_MAX], b3[MONEY_FMT_MAX];
    heading(c, "Bevinding", '-');
    if (r->scenario)
        /* A what-if is never the statement: no verklaring, and its figures are said to be the scenario's. */
        para(c,
             "Dit is een scenario (\"%s\"): deze rapportage bevat geen verklaring over de rechtmatigheid van "
             "de jaarrekening %d. De bedragen en de uitkomst hieronder zijn die van het scenario%s.",
             r->scenario->naam ? r->scenario->naam : "?", r->fiscal_year,
             partial(r) ? ", over het gecontroleerde deel (zie \"Reikwijdte\")" : "");
    else if (partial(r))
        /* Not every standard rule ran with data: no statement about the
         * jaarrekening as a whole, only about what was checked. */
        para(c,
             "Deze controle is onvolledig (zie \"Reikwijdte\"). Daarom bevat deze rapportage geen verklaring "
             "over de rechtmatigheid van de jaarrekening %d als geheel. Wat volgt geldt alleen voor het "
             "gecontroleerde deel: de regels die met gegevens zijn uitgevoerd.",
             r->fiscal_year);
    else
        para(c,
             "%s %s dat de in de jaarrekening %d verantwoorde baten, lasten en balansmutaties %srechtmatig "
             "tot stand zijn gekomen binnen de door %s gestelde %s.",
             ro->Exec, ro->exec_pl ? "verklaren" : "verklaart", r->fiscal_year, v->boven ? "niet " : "",
             ro->board, r->vin.gescheiden ? "verantwoordingsgrenzen" : "verantwoordingsgrens");
    if (r->vin.gescheiden) {
        kind_vs_grens(c, "fouten", v->fouten, v->grens_fouten, v->ruimte_fouten);
        kind_vs_grens(c, "onzekerheden", v->onzekerheden, v->grens_onzekerheden, v->ruimte_onzekerheden);
    } else if (v->ruimte >= 0) {
        para(c, "De fouten en onzekerheden die meetellen bedragen samen %s; dat is %s binnen de "
                "verantwoordingsgrens van %s.",
             money_format(v->total, b1), money_format(v->ruimte, b2), money_format(v->grens, b3));
    } else {
        para(c, "De fouten en onzekerheden die meetellen bedragen samen %s; dat is %s boven de "
                "verantwoordingsgrens van %s.",
             money_format(v->total, b1), money_format(-v->ruimte, b2), money_format(v->grens, b3));
    }
    if (v->acceptabel > 0)
        para(c, "Daarnaast is voor %s aan afwijkingen vastgesteld die volgens de verordening acceptabel "
                "zijn; die tellen niet mee voor de verantwoordingsgrens.",
             money_format(v->acceptabel, b1));
    afgehandeld_para(c, r);
    para(c, "Uitkomst%s%s: %s de %s.", r->scenario ? " in dit scenario" : "",
         partial(r) ? " over het gecontroleerde deel" : "", v->boven ? "boven" : "binnen",
         r->vin.gescheiden ? "verantwoordingsgrenzen" : "verantwoordingsgrens");
    scenario_para(c, r);
}

static void table(ctx *c, const rhv_report *r, const verdict_result *t)
{
    heading(c, "Geconstateerde afwijkingen (tellen mee)", '-');
    put(c, "  ");
    cell_left(c, "Criterium", LABEL_W);
    cell_right(c, "Fouten", AMOUNT_W);
    cell_right(c, "Onzekerheden", AMOUNT_W);
    cell_right(c, "Totaal", AMOUNT_W);
    put(c, "\n");
    rule_line(c);
    for (int cr = 0; cr < CRIT_COUNT; cr++) {
        const rhv_cents *cell = t->by[cr];
        /* "Geen criterium" only appears when a rule put an amount there. */
        if (cr == CRIT_NONE && cell[0] == 0 && cell[1] == 0)
            continue;
        rhv_cents sum;
        char label[80];
        snprintf(label, sizeof label, "%s %s", crit_letter((criterion)cr), criterion_title_nl((criterion)cr));
        /* The cells were summed without overflow, so their sum fits in the total. */
        if (!money_add(cell[0], cell[1], &sum))
            sum = 0;
        row(c, label, &cell[0], &cell[1], &sum);
    }
    rule_line(c);
    row(c, "Totaal", &t->fouten, &t->onzekerheden, &t->total);
    if (r->have_verdict) {
        const verdict_result *v = &r->vres;
        char label[80], p1[MONEY_FMT_MAX];
        if (r->vin.gescheiden) {
            row(c, "Verantwoordingsgrenzen", &v->grens_fouten, &v->grens_onzekerheden, NULL);
            row(c, "Ruimte (negatief: boven de grens)", &v->ruimte_fouten, &v->ruimte_onzekerheden, NULL);
        } else {
            snprintf(label, sizeof label, "Verantwoordingsgrens (%s)", pct_nl(r->vin.grens_bp, p1));
            row(c, label, NULL, NULL, &v->grens);
            row(c, "Ruimte (negatief: boven de grens)", NULL, NULL, &v->ruimte);
        }
    }
    if (t->acceptabel > 0) {
        put(c, "\n");
        row(c, "Acceptabel (telt niet mee)", NULL, NULL, &t->acceptabel);
    }
    put(c, "\n");
}

/* What a beoordeling, the earlier report and the scenario say about a finding. */
static void note_lines(ctx *c, const char *ind, const rhv_finding_note *n)
{
    char b1[MONEY_FMT_MAX], d1[40], d2[40];
    putf(c, "%sVingerafdruk: %s\n", ind, n->fingerprint ? n->fingerprint : "?");
    const rhv_beoordeling *e = n->beoordeling;
    if (e) {
        char *s = NULL;
        size_t len = strlen(e->reden) + strlen(e->door) + 256 + (e->categorie ? strlen(e->categorie) : 0) +
                     (e->afwijking ? strlen(e->afwijking) : 0);
        if ((s = malloc(len))) {
            snprintf(s, len, "Beoordeling: %s%s%s%s%s (%s, %s)%s%s%s: %s", besluit_name(e->besluit),
                     e->categorie ? ", categorie " : "", e->categorie ? e->categorie : "",
                     e->afwijking ? " als afwijking " : "", e->afwijking ? e->afwijking : "", e->door,
                     date_nl(e->datum, d1), e->geldig_tot ? (e->verlopen ? ", VERLOPEN op " : ", geldig tot ") : "",
                     e->geldig_tot ? date_nl(e->geldig_tot, d2) : "",
                     e->verlopen ? ", geldt niet meer" : "", e->reden);
            wrap(c, ind, s);
            free(s);
        } else {
            c->err = 1;
        }
    }
    if (n->have_vorige) {
        if (n->vorige == VORIGE_GEWIJZIGD)
            putf(c, "%sVorige rapportage: gewijzigd, was %s\n", ind, money_format(n->vorige_amount, b1));
        else
            putf(c, "%sVorige rapportage: %s\n", ind, vorige_status_name(n->vorige));
    }
    if (n->scenario == SCENARIO_TOEGEVOEGD)
        putf(c, "%sSCENARIO: hypothetische afwijking\n", ind);
    else if (n->scenario == SCENARIO_WORDT_FOUT)
        putf(c, "%sSCENARIO: onzekerheid als fout gerekend\n", ind);
}

static void finding_block(ctx *c, size_t no, const rhv_finding *f, const rhv_finding_note *n)
{
    char b1[MONEY_FMT_MAX];
    const char *subj = f->subject ? f->subject : "(geen onderwerp)";
    if (f->kind == KIND_SIGNALERING && f->amount == 0)
        putf(c, "%3zu. %s\n", no, subj);
    else
        putf(c, "%3zu. %s: %s\n", no, subj, money_format(f->amount, b1));
    const char *ind = "       ";
    putf(c, "%s%s, %s, regel %s\n", ind, finding_kind_name(f->kind), criterion_title_nl(f->crit),
         f->rule ? f->rule : "?");
    if (f->message)
        wrap(c, ind, f->message);
    if (f->toelichting)
        wrap(c, ind, f->toelichting);
    for (size_t i = 0; i < f->nev && i < TEXT_EVIDENCE; i++) {
        const rhv_evidence *e = &f->ev[i];
        char amt[MONEY_FMT_MAX + 4] = "";
        if (e->has_amount)
            snprintf(amt, sizeof amt, ": %s", money_format(e->amount, b1));
        if (e->key)
            putf(c, "%sBron: %s:%ld (%s)%s\n", ind, e->file ? e->file : "?", e->line, e->key, amt);
        else
            putf(c, "%sBron: %s:%ld%s\n", ind, e->file ? e->file : "?", e->line, amt);
    }
    /* The JSON lists them all; the text names the rest by number. */
    size_t rest = (f->nev > TEXT_EVIDENCE ? f->nev - TEXT_EVIDENCE : 0) + f->ev_omitted;
    if (rest > 0)
        putf(c, "%sen nog %zu %s\n", ind, rest, rest == 1 ? "boeking" : "boekingen");
    if (n)
        note_lines(c, ind, n);
    put(c, "\n");
}

enum list_kind { L_REPORTABLE, L_ACCEPTABEL, L_SIGNALERING, L_SMALL, L_AFGEHANDELD };

static bool in_list(const rhv_report *r, const rhv_finding *f, enum list_kind k)
{
    bool afw = f->kind == KIND_FOUT || f->kind == KIND_ONZEKERHEID;
    const rhv_finding_note *n = report_note(r, f);
    if (n && n->dropped) /* listed once, among the afgehandelde */
        return k == L_AFGEHANDELD;
    switch (k) {
    case L_AFGEHANDELD: return false;
    case L_REPORTABLE: return afw && f->counts && report_is_reportable(r, f);
    case L_ACCEPTABEL: return afw && !f->counts;
    case L_SIGNALERING: return f->kind == KIND_SIGNALERING;
    case L_SMALL: return afw && f->counts && !report_is_reportable(r, f);
    }
    return false;
}

/* A reader of the paragraaf bedrijfsvoering looks for the big items per
 * criterion: list in table order (criterion A, B, C), largest amount first;
 * ties keep the engine's order (rule id, then subject), so the list is stable. */
typedef struct {
    const rhv_finding *f;
    size_t pos;
} ordered;

static int ordered_cmp(const void *a, const void *b)
{
    const ordered *x = a, *y = b;
    if (x->f->crit != y->f->crit)
        return x->f->crit < y->f->crit ? -1 : 1;
    if (x->f->amount != y->f->amount)
        return x->f->amount > y->f->amount ? -1 : 1;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static void finding_list(ctx *c, const rhv_report *r, const char *title, enum list_kind k, const char *none)
{
    heading(c, title, '-');
    size_t n = r->findings ? r->nfindings : 0, m = 0;
    ordered *list = n ? malloc(n * sizeof *list) : NULL;
    for (size_t i = 0; i < n; i++) {
        const rhv_finding *f = &r->findings[i];
        if (!in_list(r, f, k))
            continue;
        if (list)
            list[m++] = (ordered){f, i};
        else
            finding_block(c, ++m, f, report_note(r, f)); /* out of memory: engine order, still complete */
    }
    if (list) {
        qsort(list, m, sizeof *list, ordered_cmp);
        for (size_t i = 0; i < m; i++)
            finding_block(c, i + 1, list[i].f, report_note(r, list[i].f));
        free(list);
    }
    if (m == 0)
        para(c, "%s", none);
}

/* Now against then, one row: "was X, nu Y (verschil Z)". */
static void compare_row(ctx *c, const char *label, bool have, rhv_cents now, rhv_cents then)
{
    char b1[MONEY_FMT_MAX], b2[MONEY_FMT_MAX], b3[MONEY_FMT_MAX];
    rhv_cents d;
    if (!have || !money_sub(now, then, &d)) {
        putf(c, "  %s: niet te vergelijken\n", label);
        return;
    }
    putf(c, "  %s: was %s, nu %s (verschil %s)\n", label, money_format(then, b1), money_format(now, b2),
         money_format(d, b3));
}

static void vergelijking_section(ctx *c, const rhv_report *r)
{
    const rhv_vergelijking *v = r->vergelijking;
    char b1[MONEY_FMT_MAX];
    if (!v)
        return;
    heading(c, "Vergelijking met de vorige rapportage", '-');
    para(c, "Vorige rapportage: %s%s%d%s. Bevindingen: %zu nieuw, %zu ongewijzigd, %zu gewijzigd, %zu vervallen.",
         v->file ? v->file : "?", v->fiscal_year ? " (boekjaar " : "", v->fiscal_year, v->fiscal_year ? ")" : "",
         v->nieuw, v->ongewijzigd, v->gewijzigd, v->nvervallen);
    verdict_result t;
    bool now = report_totals(r, &t) == 0 && v->have_totals;
    compare_row(c, "Fouten", now, t.fouten, v->fouten);
    compare_row(c, "Onzekerheden", now, t.onzekerheden, v->onzekerheden);
    compare_row(c, "Totaal dat meetelt", now, t.total, v->total);
    rhv_cents head = r->vres.ruimte;
    if (r->vin.gescheiden)
        head = r->vres.ruimte_fouten < r->vres.ruimte_onzekerheden ? r->vres.ruimte_fouten : r->vres.ruimte_onzekerheden;
    compare_row(c, "Ruimte", r->have_verdict && v->have_headroom, head, v->headroom);
    put(c, "\n");
    if (v->nvervallen == 0)
        return;
    put(c, "  Vervallen (in de vorige rapportage, nu niet meer):\n");
    for (size_t i = 0; i < v->nvervallen; i++) {
        const rhv_prev_finding *p = v->vervallen[i];
        putf(c, "  %3zu. %s: %s\n", i + 1, p->subject ? p->subject : "(geen onderwerp)", money_format(p->amount, b1));
        putf(c, "       %s, regel %s\n       Vingerafdruk: %s\n", p->kind ? p->kind : "?", p->rule ? p->rule : "?",
             p->fingerprint);
    }
    put(c, "\n");
}

static const char *status_nl(rule_status s)
{
    switch (s) {
    case RULE_OK: return "ok";
    case RULE_ERROR: return "mislukt";
    case RULE_SKIPPED: return "overgeslagen";
    case RULE_NO_DATA: return "geen gegevens";
    }
    return "?";
}

static void rules_section(ctx *c, const rhv_report *r)
{
    heading(c, "Regels", '-');
    size_t n = r->rules ? r->nrules : 0;
    if (n == 0) {
        para(c, "Er zijn geen regels uitgevoerd.");
        return;
    }
    size_t idw = 0;
    for (size_t i = 0; i < n; i++) {
        const rhv_rule_info *ri = &r->rules[i];
        size_t w = ri->id ? cols(ri->id, strlen(ri->id)) : 1;
        if (w > idw)
            idw = w;
    }
    for (size_t i = 0; i < n; i++) {
        const rhv_rule_info *ri = &r->rules[i];
        put(c, "  ");
        cell_left(c, status_nl(ri->status), 14);
        cell_left(c, ri->id ? ri->id : "?", idw + 2);
        putf(c, "%s\n", ri->title ? ri->title : "");
        if (ri->status != RULE_OK && ri->message)
            wrap(c, "                ", ri->message);
    }
    put(c, "\n");
}

/* What was and was not checked: always shown, so a reader sees the scope
 * of a complete check as well as of a partial one. */
static void scope_section(ctx *c, const rhv_report *r)
{
    const rhv_report_scope *s = &r->scope;
    if (!s->known)
        return;
    heading(c, "Reikwijdte", '-');
    if (s->complete)
        para(c, "Volledig: alle standaardregels zijn uitgevoerd en hebben gegevens ontvangen.");
    else
        para(c, "Onvolledig: niet alle standaardregels zijn met gegevens uitgevoerd. Het oordeel geldt alleen "
                "voor het gecontroleerde deel.");
    if (s->scenario)
        para(c, "Scenario (--als): het oordeel is dat van het scenario, niet dat van de jaarrekening.");
    putf(c, "  Selectie: %s%s%s\n", s->select ? "--rules '" : "alle regels", s->select ? s->select : "",
         s->select ? "'" : "");
    if (!s->default_rules)
        put(c, "  Standaardregels niet geladen (--no-default-rules).\n");
    for (size_t i = 0; s->rules_dirs && i < s->nrules_dirs; i++)
        putf(c, "  Extra regelmap (--rules-dir): %s\n", s->rules_dirs[i]);
    if (s->nnot_run > 0) {
        put(c, "  Niet uitgevoerd:\n");
        for (size_t i = 0; i < s->nnot_run; i++) {
            char *line = NULL;
            size_t n = strlen(s->not_run[i].id) + strlen(s->not_run[i].reason) + 4;
            if ((line = malloc(n)) == NULL) {
                c->err = 1;
                return;
            }
            snprintf(line, n, "%s: %s", s->not_run[i].id, s->not_run[i].reason);
            wrap(c, "    ", line);
            free(line);
        }
    }
    if (s->nno_data > 0) {
        put(c, "  Uitgevoerd zonder gegevens (geen enkel record van de soorten die de regel leest):\n");
        for (size_t i = 0; i < s->nno_data; i++)
            putf(c, "    %s\n", s->no_data[i]);
    }
    put(c, "\n");
}

/* What produced the report: build, command line, folders, options, and every
 * Lua file loaded into a rule with its digest. */
static void provenance_section(ctx *c, const rhv_report *r)
{
    const rhv_report_provenance *p = &r->prov;
    if (!p->known)
        return;
    heading(c, "Herkomst", '-');
    putf(c, "  rhv %s, commit %s\n", r->version ? r->version : "?", p->commit ? p->commit : "onbekend");
    putf(c, "  programma sha256 %s\n", p->binary_sha256 ? p->binary_sha256 : "onbekend");
    put(c, "  Opdracht:");
    for (size_t i = 0; p->argv && i < p->argc; i++)
        putf(c, " %s", p->argv[i] ? p->argv[i] : "");
    put(c, "\n");
    putf(c, "  Map: %s\n", p->cwd ? p->cwd : "?");
    putf(c, "  rhv-thuismap (%s): %s\n", p->home_origin ? p->home_origin : "?", p->home ? p->home : "?");
    for (size_t i = 0; p->rule_dirs && i < p->nrule_dirs; i++)
        putf(c, "  Regelmap (%s): %s\n", p->rule_dir_origins ? p->rule_dir_origins[i] : "?",
             p->rule_dirs[i] ? p->rule_dirs[i] : "?");
    char threads[24];
    if (p->threads >= 0)
        snprintf(threads, sizeof threads, "%d", p->threads);
    else
        snprintf(threads, sizeof threads, "standaard");
    putf(c, "  Opties: --threads %s, --mem-limit %d MiB\n", threads, p->mem_limit_mib);
    if (p->als)
        putf(c, "  Scenario (--als): %s\n", p->als);
    if (p->vorige)
        putf(c, "  Vorige rapportage (--vorige): %s\n", p->vorige);
    if (p->peildatum)
        putf(c, "  Peildatum beoordelingen: %s (%s)\n", p->peildatum,
             p->peildatum_given ? "--peildatum" : "de dag van de controle");
    put(c, "  Lua-bestanden:\n");
    for (size_t i = 0; p->lua_files && i < p->nlua_files; i++) {
        const rhv_report_lua_file *l = &p->lua_files[i];
        putf(c, "    %s %s: %s\n           sha256 %s\n", l->role ? l->role : "?", l->name ? l->name : "?",
             l->path ? l->path : "?", l->sha256 ? l->sha256 : "onbekend");
    }
    put(c, "\n");
}

static void inputs_section(ctx *c, const rhv_report *r)
{
    heading(c, "Invoer", '-');
    putf(c, "  rhv %s\n", r->version ? r->version : "?");
    for (size_t i = 0; r->inputs && i < r->ninputs; i++)
        putf(c, "  %-8s %s\n           sha256 %s\n", r->inputs[i].kind ? r->inputs[i].kind : "?",
             r->inputs[i].path ? r->inputs[i].path : "?", r->inputs[i].sha256);
    size_t np = r->params ? r->nparams : 0;
    if (np > 0) {
        put(c, "  Parametertabellen:\n");
        for (size_t i = 0; i < np; i++) {
            const rhv_report_param *p = &r->params[i];
            putf(c, "    %s  %s\n           sha256 %s\n", p->name ? p->name : "?",
                 p->file ? path_display(p->file) : "?", p->sha256 ? p->sha256 : "?");
        }
    }
    size_t no = r->overrides ? r->noverrides : 0;
    if (no == 0) {
        put(c, "  Geen aangepaste regelargumenten.\n");
    } else {
        put(c, "  Aangepaste regelargumenten (--rule-arg):\n");
        for (size_t i = 0; i < no; i++) {
            const char *s = r->overrides[i];
            putf(c, "    %s\n", s ? s : "?");
        }
    }
    put(c, "\n");
}

static void diag_section(ctx *c, const rhv_report *r)
{
    if (!r->diags || r->ndiags == 0)
        return;
    heading(c, "Meldingen bij de invoer", '-');
    for (size_t i = 0; i < r->ndiags; i++) {
        const diag_msg *m = &r->diags[i];
        const char *lv = m->level == DIAG_ERROR ? "fout" : "waarschuwing";
        char *s;
        size_t n = strlen(m->file) + strlen(m->message) + 64;
        s = malloc(n);
        if (!s) {
            c->err = 1;
            return;
        }
        if (m->line > 0)
            snprintf(s, n, "%s:%ld: %s: %s", m->file, m->line, lv, m->message);
        else
            snprintf(s, n, "%s: %s: %s", m->file, lv, m->message);
        wrap(c, "  ", s);
        free(s);
    }
    put(c, "\n");
}

int report_text(FILE *out, const rhv_report *r)
{
    ctx c = {out, 0};
    roles ro = roles_for(r->org_soort);
    char title[512], fy[24];
    if (r->fiscal_year)
        snprintf(fy, sizeof fy, "%d", r->fiscal_year);
    else
        snprintf(fy, sizeof fy, "(boekjaar onbekend)");
    snprintf(title, sizeof title, "Rechtmatigheidsverantwoording %s \xe2\x80\x94 %s", fy,
             r->org_naam ? r->org_naam : "(naam onbekend)");
    heading(&c, title, '=');
    scenario_para(&c, r);

    if (partial(r))
        para(&c, "LET OP: deze controle is onvolledig: %zu regel(s) niet uitgevoerd, %zu regel(s) zonder "
                 "gegevens (zie \"Reikwijdte\"). Deze rapportage zegt alleen iets over het gecontroleerde "
                 "deel; een oordeel geldt alleen voor dat deel.",
             r->scope.nnot_run, r->scope.nno_data);
    if (r->exit_code == 2)
        para(&c, "LET OP: bij het lezen van de invoer of het uitvoeren van de regels zijn fouten opgetreden "
                 "(zie \"Regels\" en \"Meldingen bij de invoer\"). Deze rapportage is daardoor onvolledig.");

    verdict_result t;
    bool have_totals = report_totals(r, &t) == 0;
    char b1[MONEY_FMT_MAX];
    if (r->have_verdict) {
        statement(&c, r, &ro);
        grens_section(&c, r, &ro);
        bevinding(&c, r, &ro);
    } else {
        heading(&c, "Zonder verantwoordingsgrens", '-');
        if (r->have_dossier)
            para(&c, "Het dossier kon niet foutloos worden gelezen. Daarom is geen verantwoordingsgrens "
                     "bekend en is er geen oordeel: hieronder staat alleen wat de regels hebben gevonden.");
        else
            para(&c, "Er is geen dossier gelezen, alleen grootboek(en). Daarom is geen verantwoordingsgrens "
                     "en geen rapportagegrens bekend en is er geen oordeel: hieronder staat alleen wat de "
                     "regels hebben gevonden. Alle fouten en onzekerheden worden afzonderlijk toegelicht.");
        scenario_para(&c, r);
    }
    if (have_totals)
        table(&c, r, &t);
    else
        para(&c, "De totalen konden niet worden berekend (ongeldig of te groot bedrag in een bevinding).");

    char title2[128];
    if (r->have_verdict) {
        snprintf(title2, sizeof title2, "Toelichting (afwijkingen vanaf de rapportagegrens van %s)",
                 money_format(r->vin.rapportagegrens, b1));
        finding_list(&c, r, title2, L_REPORTABLE, "Geen afwijkingen vanaf de rapportagegrens.");
    } else {
        finding_list(&c, r, "Toelichting", L_REPORTABLE, "Geen fouten of onzekerheden gevonden.");
    }
    finding_list(&c, r, "Acceptabel volgens verordening (telt niet mee)", L_ACCEPTABEL, "Geen.");
    finding_list(&c, r, "Signaleringen", L_SIGNALERING, "Geen.");
    if (r->have_verdict)
        finding_list(&c, r, "Bijlage: afwijkingen onder de rapportagegrens", L_SMALL, "Geen.");
    if (r->beoordelingen)
        finding_list(&c, r, "Afgehandeld: onterecht of al geregistreerd (telt niet mee)", L_AFGEHANDELD, "Geen.");
    vergelijking_section(&c, r);
    scope_section(&c, r);
    rules_section(&c, r);
    inputs_section(&c, r);
    provenance_section(&c, r);
    diag_section(&c, r);
    if (ferror(out))
        c.err = 1;
    return c.err ? -1 : 0;
}
