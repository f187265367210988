/* verdict.h - the verantwoordingsgrens and the verdict, exact to the cent.
 *
 * Contract (docs/verdict.md):
 * - grens = basis x bp / 10000, rounded half away from zero to the cent.
 * - Only findings of kind fout or onzekerheid with counts == true are totalled;
 *   signaleringen and acceptabel findings are listed but never counted.
 * - gecombineerd: verdict "boven" when fouten + onzekerheden > grens.
 *   gescheiden: "boven" when fouten > grens_fouten or onzekerheden > grens_onzekerheden.
 *   Exactly at the grens is still "binnen".
 * - headroom (ruimte) = grens - total (per grens when gescheiden); negative when boven.
 * - A percentage in use outside 0.5%..3% (50..300 bp, verdict_pct_plausible)
 *   sets pct_warning; it is not an error.
 * - The basis is judged here too, not by the dossier reader: verdict_basis
 *   sums every programma's lasten and every reserve's toevoegingen exactly,
 *   on both bases; verdict_basis_total() adds them for the chosen basis.
 */
#ifndef RHV_VERDICT_H
#define RHV_VERDICT_H

#include <stdbool.h>
#include <stddef.h>

#include "finding.h"
#include "money.h"
#include "record.h"

typedef struct {
    rhv_cents basis;              /* totale lasten incl. toevoegingen reserves, per chosen basis */
    int64_t grens_bp;             /* gecombineerd */
    int64_t fouten_bp, onzekerheden_bp; /* gescheiden */
    bool gescheiden;
    rhv_cents rapportagegrens;
} verdict_input;

typedef struct {
    rhv_cents by[CRIT_COUNT][2];  /* counted amounts per criterion x {fout, onzekerheid} */
    rhv_cents fouten, onzekerheden, total;
    rhv_cents acceptabel;         /* fouten/onzekerheden that do not count */
    rhv_cents grens;              /* gecombineerd (also computed when gescheiden, from grens_bp) */
    rhv_cents grens_fouten, grens_onzekerheden;
    rhv_cents ruimte;             /* gecombineerd headroom */
    rhv_cents ruimte_fouten, ruimte_onzekerheden;
    bool boven;
    bool pct_warning;
    size_t above_rapportagegrens; /* counted fouten/onzekerheden with amount >= rapportagegrens */
} verdict_result;

/* Totale lasten (every programma) and toevoegingen aan reserves (every
 * reserve) of a dossier, on both bases; zero it before the first record. */
typedef struct {
    rhv_cents lasten_realisatie, lasten_begroot;
    rhv_cents toevoegingen_realisatie, toevoegingen_begroot;
} verdict_basis;

/* Adds the amounts of a programma or reserve record; any other record is
 * left alone. 0 ok; -1 when a sum would overflow: nothing of the record is
 * added and *field (if given) names the amount that overflowed. */
int verdict_basis_add(verdict_basis *b, const rhv_record *rec, const char **field);
/* lasten + toevoegingen on the begroting (true) or the realisatie (false).
 * false on overflow. */
bool verdict_basis_total(const verdict_basis *b, bool begroting, rhv_cents *out);

/* 0 ok; -1 on overflow or invalid input (message in err, if given). */
int verdict_compute(const verdict_input *in, const rhv_finding *f, size_t n, verdict_result *out,
                    const char **err);
/* The range of grens percentages seen in practice (rhv-facts §1a: 1% to 3%;
 * below 0.5% is most likely a fraction typed as a percentage, "0.01" for
 * 1%). 0 inside, -1 below, 1 above. Outside is a warning, never an error. */
#define VERDICT_PCT_LOW_BP 50
#define VERDICT_PCT_HIGH_BP 300
int verdict_pct_plausible(int64_t bp);

/* true when this finding is listed one by one (amount >= rapportagegrens). */
bool verdict_is_reportable(const verdict_input *in, const rhv_finding *f);

#endif
