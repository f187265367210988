/* cmd_check_stream.c - steps 2 and 3 of `rhv check` (cmd_check.h): start the
 * engine once, then let the readers hand it their records.
 *
 * The dossier streams first, then its own ledgers, then the ledgers of the
 * command line, each file once (the plan's inputs). A ledger read beside a dossier must be for the dossier's
 * fiscal year, unless the dossier names it as a prior ledger (<ledger
 * boekjaar="2022">): then it must be for that year, and its records reach the
 * rules as their xaf.prior.* twins, so only a rule that asks for history (the
 * procurement rule, over a contract's term) sees an earlier year. Ledgers are
 * read one after another: the rules see each file's records in file order.
 * Ledgers read on their own start the rules on the first
 * header, and must all be for the first ledger's fiscal year.
 */
#include "cmd_check.h"

#include <string.h>

void check_run_init(check_run *run, rhv_engine *eng, rhv_diag *d, unsigned sources)
{
    memset(run, 0, sizeof *run);
    run->eng = eng;
    run->diag = d;
    run->sources = sources;
}

void check_run_free(check_run *run)
{
    check_overlap_free(&run->overlap);
    reconcile_free(&run->recon);
    check_names_free(&run->names);
    if (run->have_dossier)
        dossier_free(&run->ds);
    xaf_info_free(&run->first_ledger);
}

void check_start(check_run *run, int fiscal_year)
{
    if (run->started)
        return;
    run->fiscal_year = fiscal_year;
    engine_start(run->eng, fiscal_year, run->sources);
    run->started = true;
}

/* The dossier's records go to the rules and to the verdict's basis; the
 * names a beoordeling may refer to are kept from them. */
static int dossier_sink(void *ud, const rhv_record *rec)
{
    check_run *run = ud;
    check_names_record(&run->names, rec);
    const char *field = NULL;
    if (verdict_basis_add(&run->basis, rec, &field) != 0) {
        /* An error of the dossier: it gets no verdict, and the rules do not
         * get the record whose amount cannot be counted. */
        diag_error(run->diag, rec->file, rec->line, "the sum of %s overflows", field);
        return 0;
    }
    check_plausible_dossier(&run->plausible, rec, run->ds.fiscal_year);
    if (reconcile_note(&run->recon, rec) != 0) {
        diag_error(run->diag, rec->file, rec->line, "out of memory");
        return 1;
    }
    return engine_dispatch(run->eng, rec);
}

/* Beside a dossier the engine has started already. A ledger on its own
 * starts it on its header record, for the fiscal year xaf_read has put in
 * the info by then; nothing before the header reaches the rules. */
static int ledger_sink(void *ud, const rhv_record *rec)
{
    check_run *run = ud;
    check_overlap_record(&run->overlap, rec, run->diag);
    if (!run->started && strcmp(rec->type->name, "xaf.header") == 0)
        check_start(run, run->header->fiscal_year);
    if (!run->started)
        return 0;
    return engine_dispatch(run->eng, rec);
}

/* A prior ledger's records go to the rules as their xaf.prior.* twins; the
 * other types (transaction totals, periods, ...) stay with the reader. */
static int prior_sink(void *ud, const rhv_record *rec)
{
    check_run *run = ud;
    check_overlap_record(&run->overlap, rec, run->diag);
    const rhv_record_type *t = record_type_prior(rec->type);
    if (!t || !run->started)
        return 0;
    rhv_record twin = *rec;
    twin.type = t;
    return engine_dispatch(run->eng, &twin);
}

/* sha256: the input's, filled from the parse's reads when still empty. */
static void read_ledger(check_run *run, const char *path, rhv_xaf_info *info, bool prior, char *sha256)
{
    memset(info, 0, sizeof *info);
    check_overlap_begin(&run->overlap, path);
    run->header = info;
    xaf_read_hashed(path, prior ? prior_sink : ledger_sink, run, run->diag, info, sha256[0] ? NULL : sha256);
    run->header = NULL;
}

/* The boekjaar the dossier gives the ledger at path (0: none, the dossier's). */
static int declared_year(const check_run *run, const char *path)
{
    for (size_t i = 0; i < run->ds.nledgers; i++)
        if (run->ds.ledger_fiscal_year && strcmp(run->ds.ledgers[i], path) == 0)
            return run->ds.ledger_fiscal_year[i];
    return 0;
}

/* A ledger next to a dossier: its fiscal year must be the dossier's, or the
 * earlier one the dossier declares for it. */
static void stream_dossier_ledger(check_run *run, const char *path, char *sha256)
{
    rhv_xaf_info info;
    int fy = run->ds.fiscal_year;
    int declared = declared_year(run, path);
    bool prior = declared && fy && declared < fy;
    read_ledger(run, path, &info, prior, sha256);
    int want = declared ? declared : fy;
    if (info.fiscal_year && want && info.fiscal_year != want) {
        if (declared)
            diag_error(run->diag, path, 0, "ledger is for fiscal year %d, the dossier names it with boekjaar %d",
                       info.fiscal_year, declared);
        else
            diag_error(run->diag, path, 0, "ledger is for fiscal year %d, the dossier for %d", info.fiscal_year, fy);
    }
    if (!prior)
        check_plausible_ledger(&run->plausible, info.fiscal_year);
    xaf_info_free(&info);
}

/* A ledger without a dossier: the first one names the organisation, the
 * others must be for its fiscal year. */
static void stream_lone_ledger(check_run *run, const char *path, char *sha256)
{
    if (!run->first_ledger_path) {
        run->first_ledger_path = path;
        read_ledger(run, path, &run->first_ledger, false, sha256);
        return;
    }
    rhv_xaf_info info;
    read_ledger(run, path, &info, false, sha256);
    int fy = run->first_ledger.fiscal_year;
    if (info.fiscal_year && fy && info.fiscal_year != fy)
        diag_error(run->diag, path, 0, "ledger is for fiscal year %d, %s for %d", info.fiscal_year,
                   run->first_ledger_path, fy);
    xaf_info_free(&info);
}

static void stream_dossier(check_run *run, const char *path, int fiscal_year)
{
    check_start(run, fiscal_year);
    run->dossier_ok = dossier_read(path, &run->ds, dossier_sink, run, run->diag) == 0;
    run->have_dossier = true;
}

void check_stream(check_run *run, check_plan *p)
{
    if (p->dossier)
        stream_dossier(run, p->dossier, p->fiscal_year);
    size_t nledgers = 0;
    for (size_t i = 0; i < p->ninputs; i++)
        nledgers += strcmp(p->inputs[i].kind, "ledger") == 0;
    check_overlap_init(&run->overlap, nledgers);
    /* The dossier's ledgers come first in the inputs, as the dossier names
     * them, then the command line's; a file given twice is there once. */
    for (size_t i = 0; i < p->ninputs; i++) {
        const char *path = p->inputs[i].path;
        if (strcmp(p->inputs[i].kind, "ledger") != 0)
            continue;
        if (run->have_dossier)
            stream_dossier_ledger(run, path, p->inputs[i].sha256);
        else
            stream_lone_ledger(run, path, p->inputs[i].sha256);
    }
    /* No header was read (a broken ledger): start anyway, so that every rule
     * gets a status. */
    check_start(run, run->fiscal_year);
    engine_finish(run->eng);
}
