/* report_nl.c - the Dutch wording of the statement (see report_nl.h): the
 * small words (roles, percentages, dates), the warnings that a report is
 * incomplete, responsibility, grens, bevinding or why there is no verdict,
 * and the Reikwijdte and Herkomst lines. The findings handled across runs
 * are worded in report_nl_handled.c, the lists of findings in
 * report_nl_lists.c.
 *
 * The statement follows the structure of the Commissie BBV model as it is
 * used in practice (shared/domain/rhv-facts.md §2): responsibility and the
 * three criteria with the normenkader, the grens sentence, the bevinding.
 * The roles follow the kind of organisation: college/raad for a gemeente,
 * Gedeputeerde/Provinciale Staten for a provincie, dagelijks/algemeen
 * bestuur for a gemeenschappelijke regeling and a waterschap.
 */
#include "report_nl.h"
#include "report_nl_para.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

report_roles report_roles_for(const char *soort)
{
    if (soort && strcmp(soort, "gemeente") == 0)
        return (report_roles){"het college", "Het college", "college", false, "de raad", false};
    if (soort && strcmp(soort, "provincie") == 0)
        return (report_roles){"Gedeputeerde Staten", "Gedeputeerde Staten", "Gedeputeerde Staten", true,
                              "Provinciale Staten", true};
    /* gemeenschappelijke regeling and waterschap; also the fallback, as the
     * neutral board names. */
    return (report_roles){"het dagelijks bestuur", "Het dagelijks bestuur", "dagelijks bestuur", false,
                          "het algemeen bestuur", false};
}

char *report_pct_nl(int64_t bp, char buf[MONEY_FMT_MAX])
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

const char *report_date_nl(const char *iso, char buf[40])
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

const char *report_crit_letter(criterion cr)
{
    static const char *const letters[CRIT_COUNT] = {"A", "B", "C", "D"};
    return (unsigned)cr < CRIT_COUNT ? letters[cr] : "?";
}

const char *report_rule_status_nl(rule_status s)
{
    switch (s) {
    case RULE_OK: return "ok";
    case RULE_ERROR: return "mislukt";
    case RULE_SKIPPED: return "overgeslagen";
    case RULE_NO_DATA: return "geen gegevens";
    }
    return "?";
}

void report_title_nl(const rhv_report *r, char *buf, size_t n)
{
    char fy[24];
    if (r->fiscal_year)
        snprintf(fy, sizeof fy, "%d", r->fiscal_year);
    else
        snprintf(fy, sizeof fy, "(boekjaar onbekend)");
    snprintf(buf, n, "Rechtmatigheidsverantwoording %s \xe2\x80\x94 %s", fy,
             r->org_naam ? r->org_naam : "(naam onbekend)");
}

void report_statement_heading_nl(const rhv_report *r, char *buf, size_t n)
{
    report_roles ro = report_roles_for(r->org_soort);
    snprintf(buf, n, "Verantwoordelijkheid %s", ro.exec_title);
}

bool report_partial(const rhv_report *r)
{
    return r->scope.known && !r->scope.complete;
}

int report_incomplete_paras(const rhv_report *r, report_emit emit, void *ctx)
{
    int rc = 0;
    if (report_partial(r))
        rc |= para(emit, ctx,
                   "LET OP: deze controle is onvolledig: %zu regel(s) niet uitgevoerd, %zu regel(s) zonder "
                   "gegevens (zie \"Reikwijdte\"). Deze rapportage zegt alleen iets over het gecontroleerde "
                   "deel; een oordeel geldt alleen voor dat deel.",
                   r->scope.nnot_run, r->scope.nno_data);
    if (r->exit_code == 2)
        rc |= para(emit, ctx, "%s",
                   "LET OP: bij het lezen van de invoer of het uitvoeren van de regels zijn fouten opgetreden "
                   "(zie \"Regels\" en \"Meldingen bij de invoer\"). Deze rapportage is daardoor onvolledig.");
    return rc ? -1 : 0;
}

int report_statement_paras(const rhv_report *r, report_emit emit, void *ctx)
{
    report_roles ro = report_roles_for(r->org_soort);
    char d1[40];
    const char *nk = report_date_nl(r->normenkader_datum, d1);
    return para(emit, ctx,
                "%s %s verantwoordelijk voor het getrouw en rechtmatig opnemen van de baten, lasten en "
                "balansmutaties in de jaarrekening %d. Getrouwe opname maakt niet expliciet of is voldaan aan "
                "de drie rechtmatigheidscriteria: het begrotingscriterium, het voorwaardencriterium en het "
                "criterium misbruik en oneigenlijk gebruik (M&O). In deze rechtmatigheidsverantwoording %s %s "
                "in hoeverre de financiële beheershandelingen in de jaarrekening aan deze criteria voldoen. "
                "Daarbij is het normenkader gebruikt dat %s%s%s %s vastgesteld.",
                ro.Exec, ro.exec_pl ? "zijn" : "is", r->fiscal_year,
                ro.exec_pl ? "verantwoorden" : "verantwoordt", ro.exec, ro.board, nk ? " op " : "",
                nk ? nk : "", ro.board_pl ? "hebben" : "heeft");
}

int report_grens_paras(const rhv_report *r, report_emit emit, void *ctx)
{
    report_roles ro = report_roles_for(r->org_soort);
    const verdict_input *in = &r->vin;
    const verdict_result *v = &r->vres;
    char b1[MONEY_FMT_MAX], b2[MONEY_FMT_MAX], b3[MONEY_FMT_MAX], p1[MONEY_FMT_MAX], p2[MONEY_FMT_MAX];
    char d1[40];
    char basis[32] = "";
    int rc = 0;
    if (r->grens_basis)
        snprintf(basis, sizeof basis, "%s ", r->grens_basis);
    if (in->gescheiden)
        rc |= para(emit, ctx,
                   "De verantwoordingsgrenzen zijn door %s bepaald op %s (fouten) en %s (onzekerheden) van de "
                   "totale lasten inclusief toevoegingen aan de reserves (basis: %s%s) en zijn daarmee "
                   "vastgesteld op %s voor fouten en %s voor onzekerheden.",
                   ro.board, report_pct_nl(in->fouten_bp, p1), report_pct_nl(in->onzekerheden_bp, p2), basis,
                   money_format(in->basis, b1), money_format(v->grens_fouten, b2),
                   money_format(v->grens_onzekerheden, b3));
    else
        rc |= para(emit, ctx,
                   "De verantwoordingsgrens is door %s bepaald op %s van de totale lasten inclusief "
                   "toevoegingen aan de reserves (basis: %s%s) en is daarmee vastgesteld op %s.",
                   ro.board, report_pct_nl(in->grens_bp, p1), basis, money_format(in->basis, b1),
                   money_format(v->grens, b2));
    if (r->grens_besluit) {
        const char *bron = r->grens_bron;
        rc |= para(emit, ctx, "Besluit over de grens: %s%s%s%s.", report_date_nl(r->grens_besluit, d1),
                   bron ? " (" : "", bron ? bron : "", bron ? ")" : "");
    }
    rc |= para(emit, ctx,
               "De rapportagegrens is %s: afwijkingen vanaf dit bedrag worden afzonderlijk toegelicht.",
               money_format(in->rapportagegrens, b1));
    if (v->pct_warning)
        rc |= para(emit, ctx, "%s",
                   "LET OP: een percentage van de verantwoordingsgrens ligt buiten 0,5% tot 3%. Dat is ongebruikelijk "
                   "(in de praktijk 1% tot 3%); controleer het besluit.");
    return rc ? -1 : 0;
}

/* One kind against its own grens (gescheiden). */
static int kind_vs_grens(report_emit emit, void *ctx, const char *what, rhv_cents amount, rhv_cents grens,
                         rhv_cents ruimte)
{
    char b1[MONEY_FMT_MAX], b2[MONEY_FMT_MAX], b3[MONEY_FMT_MAX];
    return para(emit, ctx, "De %s bedragen %s; dat is %s %s de grens van %s.", what, money_format(amount, b1),
                money_format(ruimte >= 0 ? ruimte : -ruimte, b2), ruimte >= 0 ? "binnen" : "boven",
                money_format(grens, b3));
}

/* Findings a beoordeling took out of the totals, told beside the totals. */
static int afgehandeld_para(const rhv_report *r, report_emit emit, void *ctx)
{
    rhv_cents sum;
    size_t n = report_afgehandeld(r, &sum);
    char b1[MONEY_FMT_MAX];
    if (n == 0)
        return 0;
    return para(emit, ctx,
                "%zu %s van samen %s %s beoordeeld als onterecht of als al geregistreerde afwijking; die tellen "
                "niet mee (zie \"Afgehandeld\").",
                n, n == 1 ? "bevinding" : "bevindingen", money_format(sum, b1), n == 1 ? "is" : "zijn");
}

int report_bevinding_paras(const rhv_report *r, report_emit emit, void *ctx)
{
    report_roles ro = report_roles_for(r->org_soort);
    const verdict_result *v = &r->vres;
    char b1[MONEY_FMT_MAX], b2[MONEY_FMT_MAX], b3[MONEY_FMT_MAX];
    const char *grenzen = r->vin.gescheiden ? "verantwoordingsgrenzen" : "verantwoordingsgrens";
    int rc = 0;
    if (r->scenario)
        /* A what-if is never the statement: no verklaring, and its figures
         * are said to be the scenario's. */
        rc |= para(emit, ctx,
                   "Dit is een scenario (\"%s\"): deze rapportage bevat geen verklaring over de rechtmatigheid "
                   "van de jaarrekening %d. De bedragen en de uitkomst hieronder zijn die van het scenario%s.",
                   r->scenario->naam ? r->scenario->naam : "?", r->fiscal_year,
                   report_partial(r) ? ", over het gecontroleerde deel (zie \"Reikwijdte\")" : "");
    else if (report_partial(r))
        /* Not every standard rule ran with data: no statement about the
         * jaarrekening as a whole, only about what was checked. */
        rc |= para(emit, ctx,
                   "Deze controle is onvolledig (zie \"Reikwijdte\"). Daarom bevat deze rapportage geen "
                   "verklaring over de rechtmatigheid van de jaarrekening %d als geheel. Wat volgt geldt alleen "
                   "voor het gecontroleerde deel: de regels die met gegevens zijn uitgevoerd.",
                   r->fiscal_year);
    else
        rc |= para(emit, ctx,
                   "%s %s dat de in de jaarrekening %d verantwoorde baten, lasten en balansmutaties %srechtmatig "
                   "tot stand zijn gekomen binnen de door %s gestelde %s.",
                   ro.Exec, ro.exec_pl ? "verklaren" : "verklaart", r->fiscal_year, v->boven ? "niet " : "",
                   ro.board, grenzen);
    if (r->vin.gescheiden) {
        rc |= kind_vs_grens(emit, ctx, "fouten", v->fouten, v->grens_fouten, v->ruimte_fouten);
        rc |= kind_vs_grens(emit, ctx, "onzekerheden", v->onzekerheden, v->grens_onzekerheden,
                            v->ruimte_onzekerheden);
    } else {
        rc |= para(emit, ctx,
                   "De fouten en onzekerheden die meetellen bedragen samen %s; dat is %s %s de "
                   "verantwoordingsgrens van %s.",
                   money_format(v->total, b1), money_format(v->ruimte >= 0 ? v->ruimte : -v->ruimte, b2),
                   v->ruimte >= 0 ? "binnen" : "boven", money_format(v->grens, b3));
    }
    if (v->acceptabel > 0)
        rc |= para(emit, ctx,
                   "Daarnaast is voor %s aan afwijkingen vastgesteld die volgens de verordening acceptabel "
                   "zijn; die tellen niet mee voor de verantwoordingsgrens.",
                   money_format(v->acceptabel, b1));
    rc |= afgehandeld_para(r, emit, ctx);
    rc |= para(emit, ctx, "Uitkomst%s%s: %s de %s.", r->scenario ? " in dit scenario" : "",
               report_partial(r) ? " over het gecontroleerde deel" : "", v->boven ? "boven" : "binnen", grenzen);
    rc |= report_scenario_paras(r, emit, ctx);
    return rc ? -1 : 0;
}

int report_no_verdict_paras(const rhv_report *r, report_emit emit, void *ctx)
{
    int rc;
    if (r->have_dossier)
        rc = para(emit, ctx, "%s",
                  "Het dossier kon niet foutloos worden gelezen. Daarom is geen verantwoordingsgrens "
                  "bekend en is er geen oordeel: hieronder staat alleen wat de regels hebben gevonden.");
    else
        rc = para(emit, ctx, "%s",
                  "Er is geen dossier gelezen, alleen grootboek(en). Daarom is geen verantwoordingsgrens "
                  "en geen rapportagegrens bekend en is er geen oordeel: hieronder staat alleen wat de "
                  "regels hebben gevonden. Alle fouten en onzekerheden worden afzonderlijk toegelicht.");
    rc |= report_scenario_paras(r, emit, ctx);
    return rc ? -1 : 0;
}

int report_scope_paras(const rhv_report *r, report_emit emit, void *ctx)
{
    if (!r->scope.known)
        return 0;
    int rc;
    if (r->scope.complete)
        rc = para(emit, ctx, "%s", "Volledig: alle standaardregels zijn uitgevoerd en hebben gegevens ontvangen.");
    else
        rc = para(emit, ctx, "%s",
                  "Onvolledig: niet alle standaardregels zijn met gegevens uitgevoerd. Het oordeel geldt alleen "
                  "voor het gecontroleerde deel.");
    if (r->scope.scenario)
        rc |= para(emit, ctx, "%s", "Scenario (--als): het oordeel is dat van het scenario, niet dat van de jaarrekening.");
    return rc ? -1 : 0;
}

int report_scope_lines(const rhv_report *r, report_emit emit, void *ctx)
{
    const rhv_report_scope *s = &r->scope;
    if (!s->known)
        return 0;
    int rc = 0;
    if (s->select)
        rc |= para(emit, ctx, "Selectie: --rules '%s'", s->select);
    else
        rc |= para(emit, ctx, "%s", "Selectie: alle regels");
    if (!s->default_rules)
        rc |= para(emit, ctx, "%s", "Standaardregels niet geladen (--no-default-rules).");
    for (size_t i = 0; s->rules_dirs && i < s->nrules_dirs; i++)
        rc |= para(emit, ctx, "Extra regelmap (--rules-dir): %s", s->rules_dirs[i]);
    return rc ? -1 : 0;
}

int report_not_run_lines(const rhv_report *r, report_emit emit, void *ctx)
{
    const rhv_report_scope *s = &r->scope;
    for (size_t i = 0; s->known && s->not_run && i < s->nnot_run; i++)
        if (para(emit, ctx, "%s: %s", s->not_run[i].id, s->not_run[i].reason) != 0)
            return -1;
    return 0;
}

/* The command line as one line: the words joined by spaces, as given. */
static char *command_line(const rhv_report_provenance *p)
{
    size_t n = 1;
    for (size_t i = 0; p->argv && i < p->argc; i++)
        n += 1 + (p->argv[i] ? strlen(p->argv[i]) : 0);
    char *s = malloc(n);
    if (!s)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; p->argv && i < p->argc; i++) {
        const char *a = p->argv[i] ? p->argv[i] : "";
        size_t len = strlen(a);
        if (i)
            s[o++] = ' ';
        memcpy(s + o, a, len);
        o += len;
    }
    s[o] = '\0';
    return s;
}

int report_prov_lines(const rhv_report *r, report_emit emit, void *ctx)
{
    const rhv_report_provenance *p = &r->prov;
    if (!p->known)
        return 0;
    int rc = 0;
    rc |= para(emit, ctx, "rhv %s, commit %s", r->version ? r->version : "?", p->commit ? p->commit : "onbekend");
    rc |= para(emit, ctx, "programma sha256 %s", p->binary_sha256 ? p->binary_sha256 : "onbekend");
    char *cmd = command_line(p);
    rc |= cmd ? para(emit, ctx, "Opdracht:%s%s", *cmd ? " " : "", cmd) : -1;
    free(cmd);
    rc |= para(emit, ctx, "Map: %s", p->cwd ? p->cwd : "?");
    rc |= para(emit, ctx, "rhv-thuismap (%s): %s", p->home_origin ? p->home_origin : "?", p->home ? p->home : "?");
    for (size_t i = 0; p->rule_dirs && i < p->nrule_dirs; i++)
        rc |= para(emit, ctx, "Regelmap (%s): %s", p->rule_dir_origins ? p->rule_dir_origins[i] : "?",
                   p->rule_dirs[i] ? p->rule_dirs[i] : "?");
    char threads[24];
    if (p->threads >= 0)
        snprintf(threads, sizeof threads, "%d", p->threads);
    else
        snprintf(threads, sizeof threads, "standaard");
    rc |= para(emit, ctx, "Opties: --threads %s, --mem-limit %d MiB", threads, p->mem_limit_mib);
    if (p->als)
        rc |= para(emit, ctx, "Scenario (--als): %s", p->als);
    if (p->vorige)
        rc |= para(emit, ctx, "Vorige rapportage (--vorige): %s", p->vorige);
    if (p->peildatum)
        rc |= para(emit, ctx, "Peildatum beoordelingen: %s (%s)", p->peildatum,
                   p->peildatum_given ? "--peildatum" : "de dag van de controle");
    return rc ? -1 : 0;
}
