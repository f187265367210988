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
 * - The CSV files of the dossier's registers are read with it, after its own
 *   records, each row judged as the record element it stands for; their
 *   records follow the dossier's, with the CSV file as their file. The rows
 *   of a register written out in the dossier are read in document order.
 * - A record's values live only during the sink's call (record.h), but its
 *   file (the dossier's path, a CSV register's path, a workbook's
 *   "dossier.xlsx#Sheet") lives until dossier_free: whoever cites a record
 *   later (a warning about <organisation>) may keep the pointer.
 * - The fields rhv itself needs (grens settings, ledgers, registers) are also kept in
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

/* A register whose rows are a CSV file (<register type path>, docs/workbook.md §5). */
typedef struct {
    char *path;             /* resolved against the dossier's folder (= _file of its records) */
    char *type;             /* the record type of its rows */
    char sep;               /* scheiding: ';' or ','; 0: detected */
    bool cp1252;            /* codering="windows-1252" */
    bool nl_numbers;        /* getallen="nl" */
} rhv_register;

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
    int *ledger_fiscal_year;                 /* per ledger: boekjaar="..." (0: not given, the dossier's year) */
    size_t nledgers;
    char **rule_args;                 /* <regelargument>s as "regel.naam=waarde", in document order */
    long *rule_arg_line;              /* per rule argument: its line (a workbook's row, a CSV file's line) */
    char **rule_arg_file;             /* per rule argument: NULL in the dossier's XML, else the place its
                                         records cite (dossier.xlsx#Regelargumenten, regels.csv) */
    size_t nrule_args;
    rhv_register *registers;          /* the CSV registers, in the order the dossier names them; read with it */
    size_t nregisters;
    char *beoordelingen;              /* <beoordelingen path>, resolved likewise; NULL: none */
    char **sheet_files;               /* a workbook's sheets read, as their records cite them
                                         ("dossier.xlsx#Kredieten"): owned here, so a record's file
                                         lives as long as the dossier, as for XML and CSV records */
    size_t nsheet_files;
} rhv_dossier;

/* The built-in record types a <register> may hold, from a CSV file only
 * (their rows written out stand in their own sections): those of many rows
 * whose references point only at the <organisation> (begrotingscategorie is
 * declared there, so it is not one). NULL-terminated. */
extern const char *const dossier_register_builtin_types[];
/* The record type named s (len bytes) when a <register> may hold it: a
 * register declared in Lua (register_decl.h) or one of the above; else NULL. */
const rhv_record_type *dossier_register_type(const char *s, size_t len);

/* 0: read without errors; -1: errors were reported in d. */
int dossier_read(const char *path, rhv_dossier *out, rhv_sink sink, void *ud, rhv_diag *d);
/* The same read over len bytes at buf; name stands for the file in messages
 * and ledger paths (resolved against its folder). */
int dossier_read_mem(const char *buf, size_t len, const char *name, rhv_dossier *out, rhv_sink sink, void *ud,
                     rhv_diag *d);
void dossier_free(rhv_dossier *ds);

#endif
