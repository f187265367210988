/* finding.h - what a rule concludes, and the status of each rule.
 *
 * Contract: findings and rule infos own all their strings (heap copies), so
 * they outlive the Lua state that made them. Kinds and criteria have fixed
 * text names (finding_kind_name, criterion_name) that are part of the JSON
 * contract (docs/report-json.md).
 */
#ifndef RHV_FINDING_H
#define RHV_FINDING_H

#include <stdbool.h>
#include <stddef.h>

#include "money.h"

typedef enum { KIND_FOUT = 0, KIND_ONZEKERHEID = 1, KIND_SIGNALERING = 2 } finding_kind;
#define KIND_COUNT 3

typedef enum {
    CRIT_BEGROTING = 0,   /* begrotingscriterium */
    CRIT_VOORWAARDEN = 1, /* voorwaardencriterium */
    CRIT_MO = 2,          /* misbruik_oneigenlijk_gebruik */
    CRIT_NONE = 3         /* a signalering about data, not tied to a criterion */
} criterion;
#define CRIT_COUNT 4

typedef struct {
    char *file;
    long line;
    char *key; /* record key, e.g. "programma 2" or "jrnID=70 nr=123 line=2"; may be NULL */
    bool has_amount;   /* the entry's share of the finding's amount is known */
    rhv_cents amount;  /* that share, when has_amount */
} rhv_evidence;

typedef struct {
    char *rule;         /* rule id */
    criterion crit;
    finding_kind kind;
    rhv_cents amount;   /* 0 allowed for a signalering */
    bool counts;        /* false: acceptabel by the organisation's own verordening, does not count */
    char *subject;      /* programma, supplier, employee ... */
    char *message;      /* one line, Dutch */
    char *toelichting;  /* longer explanation with the calculation; may be NULL */
    char *key;          /* the rule's own name for what it found, stable across runs; may be
                           NULL (the subject names it then). Makes the fingerprint (fingerprint.h) */
    rhv_evidence *ev;
    size_t nev;
    /* Records behind the finding that the rule did not list (it keeps a
     * bounded list per finding): how many, and their amount when known. */
    size_t ev_omitted;
    bool has_omitted_amount;
    rhv_cents omitted_amount;
} rhv_finding;

/* RULE_NO_DATA: the rule ran but received no record of the types it reads.
 * The engine never sets it; the report does (report_build.h), so that a rule
 * that ran on nothing is not read as a rule that found nothing. */
typedef enum { RULE_OK = 0, RULE_ERROR = 1, RULE_SKIPPED = 2, RULE_NO_DATA = 3 } rule_status;

typedef struct {
    char *id;
    char *title;
    criterion crit;
    char *file;        /* path of the rule file */
    char *sha256;      /* hex digest of the rule file */
    rule_status status;
    char *message;     /* error text with file:line and traceback, or skip reason; NULL when ok */
} rhv_rule_info;

const char *finding_kind_name(finding_kind k);     /* "fout", "onzekerheid", "signalering" */
const char *criterion_name(criterion c);           /* "begrotingscriterium", ..., "geen" */
const char *criterion_title_nl(criterion c);       /* "Begrotingscriterium", ... for the report */
int finding_kind_parse(const char *s, finding_kind *out);  /* 0 ok, -1 unknown */
int criterion_parse(const char *s, criterion *out);
const char *rule_status_name(rule_status s);       /* "ok", "error", "skipped", "no_data" */

void finding_free(rhv_finding *f);
void rule_info_free(rhv_rule_info *r);

#endif
