/* cmd_check_stream.c - steps 2 and 3 of `rhv check` (cmd_check.h): start the
 * engine once, then let the readers hand it their records.
 *
 * The dossier streams first, then its own ledgers, then the ledgers of the
 * command line, each file once (the plan's inputs). A ledger read beside a dossier must be for the dossier's
 * fiscal year, unless the dossier names it as a prior ledger (<ledger
 * boekjaar="2022">): then it must be for that year, and its records reach the
 * rules as their xaf.prior.* twins, so only a rule that asks for history (the
 * procurement rule, over a contract's term) sees an earlier year. The rules
 * see each file's records in file order, one file after another, in the
 * plan's order. Beside a dossier, a ledger whose year no other ledger of
 * the run has (the fiscal year's own, each earlier year's) is parsed and
 * hashed ahead on a thread of its own (cmd_check_readahead.h; up to
 * run->readers at a time: --read-ahead, else the CPUs the rules leave free;
 * none with --threads 0) while this thread hands
 * the records of the ledger before to the engine: same records, same order,
 * same messages, so the same report. Ledgers that share a year are read here,
 * one after another, with the overlap check. Ledgers read on their own start
 * the rules on the first header, and must all be for the first ledger's
 * fiscal year.
 */
#include "cmd_check.h"
#include "cmd_check_readahead.h"

#include <stdlib.h>
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

/* Is the ledger at path one of an earlier year, as the dossier declares? */
static bool is_prior(const check_run *run, const char *path)
{
    int declared = declared_year(run, path);
    return declared && run->ds.fiscal_year && declared < run->ds.fiscal_year;
}

/* A ledger next to a dossier: its fiscal year must be the dossier's, or the
 * earlier one the dossier declares for it. */
static void check_dossier_ledger(check_run *run, const char *path, rhv_xaf_info *info)
{
    int fy = run->ds.fiscal_year;
    int declared = declared_year(run, path);
    int want = declared ? declared : fy;
    if (info->fiscal_year && want && info->fiscal_year != want) {
        if (declared)
            diag_error(run->diag, path, 0, "ledger is for fiscal year %d, the dossier names it with boekjaar %d",
                       info->fiscal_year, declared);
        else
            diag_error(run->diag, path, 0, "ledger is for fiscal year %d, the dossier for %d", info->fiscal_year, fy);
    }
    if (!is_prior(run, path))
        check_plausible_ledger(&run->plausible, info->fiscal_year);
    xaf_info_free(info);
}

static void stream_dossier_ledger(check_run *run, const char *path, char *sha256, bool overlap)
{
    rhv_xaf_info info;
    check_overlap_begin(&run->overlap, path, overlap);
    read_ledger(run, path, &info, is_prior(run, path), sha256);
    check_dossier_ledger(run, path, &info);
}

/* The same for a ledger read ahead on its own thread: its records reach
 * the rules here, in the order read, then its messages (nothing else
 * reports while it drains: it is read ahead only when it takes no part in
 * the overlap check, and the engine runs the rules on threads, which keep
 * their errors until engine_finish). */
static void drain_dossier_ledger(check_run *run, const char *path, check_readahead *ra)
{
    rhv_xaf_info info;
    check_overlap_begin(&run->overlap, path, false);
    readahead_drain(ra, is_prior(run, path) ? prior_sink : ledger_sink, run);
    readahead_finish(ra, run->diag, &info);
    check_dossier_ledger(run, path, &info);
}

/* A ledger without a dossier: the first one names the organisation, the
 * others must be for its fiscal year. */
static void stream_lone_ledger(check_run *run, const char *path, char *sha256)
{
    check_overlap_begin(&run->overlap, path, true);
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

/* The year the dossier expects of the ledger at path: its boekjaar, else the
 * dossier's fiscal year (0: not known). */
static int expected_year(const check_run *run, const char *path)
{
    int declared = declared_year(run, path);
    return declared ? declared : run->ds.fiscal_year;
}

/* Must the ledger at inputs[k] take part in the overlap check? Two ledgers
 * can share a transaction only when they are of the same administration
 * and fiscal year: beside a dossier, a ledger whose expected year no other
 * ledger has cannot overlap another without being for another year than
 * the dossier says, which is an error of its own. Without a dossier every
 * ledger is for the first one's year. Keeping no fingerprints for such a
 * ledger keeps memory flat over the years of a multi-year run. */
static bool needs_overlap(const check_run *run, const check_plan *p, size_t k)
{
    if (!run->have_dossier)
        return true;
    int y = expected_year(run, p->inputs[k].path);
    if (!y)
        return true;
    for (size_t i = 0; i < p->ninputs; i++)
        if (i != k && strcmp(p->inputs[i].kind, "ledger") == 0 && expected_year(run, p->inputs[i].path) == y)
            return true;
    return false;
}

/* Only the reader's thread may read a prior ledger's records the rules do
 * not get (prior_sink drops them; no overlap check needs them). */
static bool keep_prior(const rhv_record *rec)
{
    return record_type_prior(rec->type) != NULL;
}

/* Reading ahead: up to run->readers ledgers of a dossier are parsed on
 * threads of their own while this thread hands the records of the first of
 * them to the engine, in the plan's order; a ledger is read ahead when it
 * needs no overlap check (the check reports while the ledger is read). Per
 * input: its read-ahead, whether it may be read ahead, whether it takes
 * part in the overlap check. */
typedef struct {
    check_readahead **ra;
    bool *ahead, *overlap;
    size_t next, running;
} check_ahead;

/* false when out of memory: then every ledger is read here, all checked. */
static bool plan_ahead(check_run *run, const check_plan *p, check_ahead *ah)
{
    memset(ah, 0, sizeof *ah);
    size_t n = p->ninputs ? p->ninputs : 1;
    ah->ra = calloc(n, sizeof *ah->ra);
    ah->ahead = calloc(n, sizeof *ah->ahead);
    ah->overlap = calloc(n, sizeof *ah->overlap);
    if (!ah->ra || !ah->ahead || !ah->overlap) {
        free(ah->ra);
        free(ah->ahead);
        free(ah->overlap);
        memset(ah, 0, sizeof *ah);
        return false;
    }
    for (size_t i = 0; i < p->ninputs; i++) {
        if (strcmp(p->inputs[i].kind, "ledger") != 0)
            continue;
        ah->overlap[i] = needs_overlap(run, p, i);
        ah->ahead[i] = run->have_dossier && run->readers > 0 && !ah->overlap[i];
    }
    return true;
}

static void start_ahead(check_run *run, check_plan *p, check_ahead *ah)
{
    for (; ah->ahead && ah->next < p->ninputs && ah->running < (size_t)run->readers; ah->next++) {
        size_t k = ah->next;
        if (!ah->ahead[k])
            continue;
        char *sha = p->inputs[k].sha256[0] ? NULL : p->inputs[k].sha256;
        ah->ra[k] = readahead_start(p->inputs[k].path, is_prior(run, p->inputs[k].path) ? keep_prior : NULL, sha);
        ah->running += ah->ra[k] != NULL;
    }
}

void check_stream(check_run *run, check_plan *p)
{
    if (p->dossier)
        stream_dossier(run, p->dossier, p->fiscal_year);
    size_t nledgers = 0;
    for (size_t i = 0; i < p->ninputs; i++)
        nledgers += strcmp(p->inputs[i].kind, "ledger") == 0;
    check_overlap_init(&run->overlap, nledgers);
    check_ahead ah;
    bool planned = plan_ahead(run, p, &ah);
    /* The dossier's ledgers come first in the inputs, as the dossier names
     * them, then the command line's; a file given twice is there once. */
    for (size_t i = 0; i < p->ninputs; i++) {
        const char *path = p->inputs[i].path;
        if (strcmp(p->inputs[i].kind, "ledger") != 0)
            continue;
        start_ahead(run, p, &ah);
        if (planned && ah.ra[i]) {
            drain_dossier_ledger(run, path, ah.ra[i]);
            ah.ra[i] = NULL;
            ah.running--;
        } else if (run->have_dossier) {
            stream_dossier_ledger(run, path, p->inputs[i].sha256, !planned || ah.overlap[i]);
        } else {
            stream_lone_ledger(run, path, p->inputs[i].sha256);
        }
    }
    free(ah.ra);
    free(ah.ahead);
    free(ah.overlap);
    /* No header was read (a broken ledger): start anyway, so that every rule
     * gets a status. */
    check_start(run, run->fiscal_year);
    engine_finish(run->eng);
}
