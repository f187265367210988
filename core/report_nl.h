/* report_nl.h - the Dutch wording of the report, shared by the writers that
 * people read (text, HTML), so both say exactly the same.
 *
 * Contract:
 * - Only words: nothing here decides; it reads the rhv_report as it is.
 * - Each *_paras function hands every paragraph, in order, to emit as one
 *   plain UTF-8 string (no markup, no wrapping, no trailing newline); the
 *   writer lays it out. It returns 0, or -1 when memory ran out (paragraphs
 *   before the failure may have been emitted).
 * - report_list() gives the findings of one section of the report in the
 *   order the report lists them; every finding is in exactly one list (the
 *   "small" list is empty when no rapportagegrens is known; a finding a
 *   beoordeling dropped is only in the afgehandeld list).
 * - Findings handled across runs (handled.h, docs/handled.md): the scenario
 *   banner, each finding's fingerprint, beoordeling, earlier state and
 *   scenario change, and the comparison with an earlier report are worded
 *   here too, so every format that people read says them alike.
 * - The one header writers include; three files say it: report_nl.c (the
 *   statement, Reikwijdte, Herkomst), report_nl_handled.c (the findings
 *   handled across runs), report_nl_lists.c (the lists of findings).
 */
#ifndef RHV_REPORT_NL_H
#define RHV_REPORT_NL_H

#include <stdbool.h>
#include <stddef.h>

#include "report.h"

/* Who makes the statement and who sets grens and normenkader, by the kind
 * of organisation (college/raad, Gedeputeerde/Provinciale Staten, or the
 * dagelijks/algemeen bestuur of a gemeenschappelijke regeling or waterschap). */
typedef struct {
    const char *exec, *Exec, *exec_title;
    bool exec_pl;                          /* takes a plural verb */
    const char *board;
    bool board_pl;
} report_roles;

report_roles report_roles_for(const char *soort);

/* "3%" for whole percentages, else "2,50%". Returns buf. */
char *report_pct_nl(int64_t bp, char buf[MONEY_FMT_MAX]);
/* "2023-11-16" -> "16 november 2023"; anything else as given; NULL stays NULL. */
const char *report_date_nl(const char *iso, char buf[40]);
/* "A" .. "D", the letter of a criterion's row in the table. */
const char *report_crit_letter(criterion cr);
/* "ok", "mislukt", "overgeslagen", "geen gegevens". */
const char *report_rule_status_nl(rule_status s);

/* "Rechtmatigheidsverantwoording 2023 — Westrom" into buf. */
void report_title_nl(const rhv_report *r, char *buf, size_t n);
/* "Verantwoordelijkheid college" (and the like) into buf. */
void report_statement_heading_nl(const rhv_report *r, char *buf, size_t n);

typedef void (*report_emit)(void *ctx, const char *para);

/* Not every standard rule ran with data (a scope is known and not complete):
 * the report then speaks only of the part that was checked. */
bool report_partial(const rhv_report *r);

/* The warnings that the report is incomplete: a partial check (scope), and
 * errors (exit code 2); none otherwise. */
int report_incomplete_paras(const rhv_report *r, report_emit emit, void *ctx);
/* With a verdict: responsibility, grens, bevinding. */
int report_statement_paras(const rhv_report *r, report_emit emit, void *ctx);
int report_grens_paras(const rhv_report *r, report_emit emit, void *ctx);
int report_bevinding_paras(const rhv_report *r, report_emit emit, void *ctx);
/* Without a verdict: why there is none ("Zonder verantwoordingsgrens"). */
int report_no_verdict_paras(const rhv_report *r, report_emit emit, void *ctx);
/* (report_nl_handled.c, like the note lines and the Vergelijking below.)
 * --als: "SCENARIO "naam" (file): dit is een wat-als-berekening, ..." with
 * the ruimte with and without the scenario; nothing without a scenario.
 * On top of the report, and again at the end of the Bevinding (or of the
 * paragraph saying there is none), which include it. */
int report_scenario_paras(const rhv_report *r, report_emit emit, void *ctx);
/* The scenario in one short line, for a page header or a column: "SCENARIO
 * "naam": wat-als-berekening, geen rechtmatigheidsverantwoording" into buf;
 * false (buf empty) without a scenario. */
bool report_scenario_banner_nl(const rhv_report *r, char *buf, size_t n);

/* Reikwijdte (what was and was not checked; only when r->scope.known). */
/* "Volledig: ..." or "Onvolledig: ...": one paragraph. */
int report_scope_paras(const rhv_report *r, report_emit emit, void *ctx);
/* The selection, one line each: "Selectie: ...", and when they apply
 * "Standaardregels niet geladen (--no-default-rules)." and "Extra regelmap
 * (--rules-dir): DIR". */
int report_scope_lines(const rhv_report *r, report_emit emit, void *ctx);
/* The heads of the two lists, and each rule not run as "id: reden". */
#define REPORT_NL_NOT_RUN "Niet uitgevoerd:"
#define REPORT_NL_NO_DATA "Uitgevoerd zonder gegevens (geen enkel record van de soorten die de regel leest):"
int report_not_run_lines(const rhv_report *r, report_emit emit, void *ctx);

/* Herkomst (only when r->prov.known): build, program digest, command line,
 * folder, home, rules folders and options, one line each; then the Lua
 * files under REPORT_NL_LUA_FILES, which each writer lays out itself. */
int report_prov_lines(const rhv_report *r, report_emit emit, void *ctx);
#define REPORT_NL_LUA_FILES "Lua-bestanden:"

/* report_nl_handled.c: the findings handled across runs. */

/* What the report says beside one finding, one line each: "Vingerafdruk:
 * FP", then when they apply "Beoordeling: besluit (door, datum)...: reden",
 * "Vorige rapportage: gewijzigd, was € ..." and "SCENARIO: ...". Nothing
 * when n is NULL (a report made by hand). */
int report_note_lines(const rhv_finding_note *n, report_emit emit, void *ctx);
/* "gewijzigd, was € 1.234,56", "nieuw", "ongewijzigd" into buf; "" when the
 * note has no earlier state. */
void report_vorige_nl(const rhv_finding_note *n, char *buf, size_t len);
/* "hypothetische afwijking", "onzekerheid als fout gerekend", or NULL. */
const char *report_scenario_change_nl(scenario_change s);

/* --vorige: the Vergelijking section (only when r->vergelijking). */
#define REPORT_NL_VERGELIJKING "Vergelijking met de vorige rapportage"
#define REPORT_NL_VERVALLEN "Vervallen (in de vorige rapportage, nu niet meer):"
/* "Vorige rapportage: FILE (boekjaar N). Bevindingen: 2 nieuw, ..." */
int report_vergelijking_paras(const rhv_report *r, report_emit emit, void *ctx);
/* The totals now against then: Fouten, Onzekerheden, Totaal dat meetelt,
 * Ruimte (the deciding one); have false when either side is unknown. */
typedef struct {
    const char *label;
    bool have;
    rhv_cents now, then, diff;
} report_compare_row;
#define REPORT_COMPARE_ROWS 4
void report_compare_rows(const rhv_report *r, report_compare_row rows[REPORT_COMPARE_ROWS]);
/* What a row says when have is false. */
#define REPORT_NL_NOT_COMPARABLE "niet te vergelijken"
/* In place of the table of afwijkingen when report_totals() fails. */
#define REPORT_NL_NO_TOTALS "De totalen konden niet worden berekend (ongeldig of te groot bedrag in een bevinding)."
/* Each row as "Fouten: was X, nu Y (verschil Z)" or "Fouten: niet te vergelijken". */
int report_vergelijking_lines(const rhv_report *r, report_emit emit, void *ctx);

/* report_nl_lists.c from here on. */

/* A record behind a finding as the text report's "Bron:" line says it:
 * "file:line (key): € 1.234,56" (key and amount when known). malloc'd;
 * NULL when memory ran out. */
char *report_evidence_nl(const rhv_evidence *e);
/* "en nog 1 boeking", "en nog 7 boekingen" into buf. */
void report_more_nl(size_t n, char *buf, size_t len);

/* The lists of findings, in the order every report shows them. */
typedef enum {
    REPORT_LIST_REPORTABLE, /* counted afwijkingen from the rapportagegrens: the toelichting */
    REPORT_LIST_ACCEPTABEL, /* afwijkingen that do not count */
    REPORT_LIST_SIGNALERING,
    REPORT_LIST_SMALL,      /* counted afwijkingen under the rapportagegrens: the bijlage */
    REPORT_LIST_AFGEHANDELD /* dropped by a beoordeling (onterecht, geregistreerd): in no total */
} report_list_kind;
#define REPORT_LIST_COUNT 5

/* The heading of list k ("Toelichting (afwijkingen vanaf de rapportagegrens
 * van € ...)", "Signaleringen", ...) into buf, and the line shown when the
 * list is empty. */
void report_list_heading_nl(const rhv_report *r, report_list_kind k, char *buf, size_t n);
const char *report_list_none_nl(const rhv_report *r, report_list_kind k);
/* Whether the report shows list k at all: the bijlage only with a verdict,
 * the afgehandeld list only with a beoordelingen file. */
bool report_list_shown(const rhv_report *r, report_list_kind k);

bool report_in_list(const rhv_report *r, const rhv_finding *f, report_list_kind k);
/* The findings of list k, in report order: by criterion, largest amount
 * first, ties in engine order. *out is malloc'd (NULL when *n is 0).
 * 0 ok, -1 out of memory (*out NULL). */
int report_list(const rhv_report *r, report_list_kind k, const rhv_finding ***out, size_t *n);

#endif
