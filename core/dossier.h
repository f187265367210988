/* dossier.h - reads an rhv dossier (docs/dossier.md) as a stream.
 *
 * Contract:
 * - The file is read with the secure streaming reader (xml_stream.h): no DTD,
 *   no entities, no network. Every element and attribute is checked against the
 *   dossier schema (the record types of record_types.c plus the structural
 *   elements); an unknown, missing, duplicate or malformed item is a diag error
 *   with file:line. Reading goes on after an error where it safely can, so one
 *   run shows all problems; the function then returns -1.
 * - Each record element becomes one rhv_record handed to `sink` in document
 *   order; the organisation record comes first.
 * - The fields rhv itself needs (grens settings, ledgers) are also kept in
 *   `out`. The reader does not sum amounts: the verdict's basis is summed
 *   from the records by verdict_basis (verdict.h).
 */
#ifndef RHV_DOSSIER_H
#define RHV_DOSSIER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "money.h"
#include "record.h"

typedef struct {
    char *path;             /* the dossier file */
    char *naam;
    char *soort;
    int fiscal_year;        /* attribute boekjaar */
    int64_t grens_bp;                 /* gecombineerd: the one grens */
    int64_t grens_fouten_bp;          /* gescheiden: fouten grens (0 if not set) */
    int64_t grens_onzekerheden_bp;    /* gescheiden: onzekerheden grens */
    bool gescheiden;                  /* grens_wijze == "gescheiden" */
    bool basis_begroting;             /* grens_basis == "begroting" */
    char *grens_besluit;              /* YYYY-MM-DD */
    char *grens_bron;                 /* may be NULL */
    char *normenkader_datum;
    rhv_cents rapportagegrens;
    char **ledgers;                   /* ledger paths resolved against the dossier's folder */
    bool *ledger_extract;             /* per ledger: extract="true" (not the whole ledger) */
    long *ledger_line;                /* per ledger: the line of its <ledger> */
    int *ledger_year;                 /* per ledger: boekjaar="..." (0: not given, the dossier's year) */
    size_t nledgers;
    char *beoordelingen;              /* <beoordelingen path>, resolved likewise; NULL: none */
} rhv_dossier;

/* 0: read without errors; -1: errors were reported in d. */
int dossier_read(const char *path, rhv_dossier *out, rhv_sink sink, void *ud, rhv_diag *d);
/* The same read over len bytes at buf; name stands for the file in messages
 * and ledger paths (resolved against its folder). */
int dossier_read_mem(const char *buf, size_t len, const char *name, rhv_dossier *out, rhv_sink sink, void *ud,
                     rhv_diag *d);
void dossier_free(rhv_dossier *ds);

#endif
