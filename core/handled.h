/* handled.h - findings handled across runs: what the report says about them.
 *
 * Plain data for the writers (report.h), filled by `rhv check`
 * (cmd_check_handled.c) from a beoordelingen file (beoordeling.h), a
 * scenario file (scenario.h) and an earlier JSON report (previous.h). The
 * format of each is in docs/handled.md.
 *
 * Contract: nothing here decides; every flag was set by whoever filled it,
 * and writers only present it. Strings are borrowed from the files' readers.
 */
#ifndef RHV_HANDLED_H
#define RHV_HANDLED_H

#include <stdbool.h>
#include <stddef.h>

#include "finding.h"
#include "money.h"

typedef enum { BESLUIT_OPEN, BESLUIT_ACCEPTABEL, BESLUIT_ONTERECHT, BESLUIT_GEREGISTREERD } besluit_kind;
#define BESLUIT_COUNT 4
/* "open", "acceptabel", "onterecht", "geregistreerd": the file's and the JSON's words. */
const char *besluit_name(besluit_kind b);

/* One entry of a beoordelingen file. */
typedef struct {
    char *fingerprint;
    besluit_kind besluit;
    char *reden, *door, *datum;
    char *geldig_tot;   /* YYYY-MM-DD; NULL: no end */
    char *categorie;    /* acceptabel: the verordening's category */
    char *afwijking;    /* geregistreerd: the dossier's afwijking id */
    long line;          /* of the entry in its file */
    bool matched;       /* some finding of this run has its fingerprint */
    bool verlopen;      /* geldig_tot lies before the peildatum: it no longer applies */
} rhv_beoordeling;

typedef enum { VORIGE_NIEUW, VORIGE_ONGEWIJZIGD, VORIGE_GEWIJZIGD, VORIGE_VERVALLEN } vorige_status;
const char *vorige_status_name(vorige_status s); /* "nieuw", "ongewijzigd", "gewijzigd", "vervallen" */

typedef enum { SCENARIO_GEEN, SCENARIO_TOEGEVOEGD, SCENARIO_WORDT_FOUT } scenario_change;
const char *scenario_change_name(scenario_change s); /* NULL, "toegevoegd", "onzekerheid_wordt_fout" */

/* What the report says about one finding, beside it (rhv_report.notes[i]). */
typedef struct {
    const char *fingerprint;
    const rhv_beoordeling *beoordeling; /* NULL: none in the file */
    bool dropped;          /* onterecht or geregistreerd (not verlopen): listed, never totalled */
    bool have_vorige;      /* --vorige was given */
    vorige_status vorige;  /* nieuw, ongewijzigd or gewijzigd */
    rhv_cents vorige_amount; /* ongewijzigd, gewijzigd: the amount in the earlier report */
    scenario_change scenario;
} rhv_finding_note;

/* A finding of an earlier report (previous.h). */
typedef struct {
    char *fingerprint, *rule, *subject, *kind;
    rhv_cents amount;
} rhv_prev_finding;

/* --vorige: the earlier report against this one. */
typedef struct {
    const char *file;
    int fiscal_year;          /* 0: unknown */
    bool have_totals;
    rhv_cents fouten, onzekerheden, total;
    bool have_headroom;
    rhv_cents headroom;
    const char *verdict;      /* "binnen", "boven" or NULL */
    size_t nieuw, ongewijzigd, gewijzigd;
    const rhv_prev_finding *const *vervallen; /* in the earlier report's order */
    size_t nvervallen;
} rhv_vergelijking;

/* --als: this report is a what-if. */
typedef struct {
    const char *file;
    const char *naam;
    size_t toegevoegd, wordt_fout;
    bool have_ruimte;         /* a verdict with and without the scenario */
    rhv_cents ruimte, ruimte_zonder; /* the deciding headroom (the smaller one when gescheiden) */
    bool boven, boven_zonder;
} rhv_scenario_info;

/* The beoordelingen file the dossier names. */
typedef struct {
    const char *file;
    const rhv_beoordeling *entries; /* in file order */
    size_t n;
    size_t toegepast;         /* matched and not verlopen */
} rhv_beoordelingen_info;

#endif
