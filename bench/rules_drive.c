/* rules_drive.c - a ledger through the rule engine, without the CLI.
 *
 * usage: rules_drive [-j THREADS] FILE [RULES_DIR]
 * Loads every rule of RULES_DIR (default: rules/ of the source tree) the way
 * `rhv check` does, starts them for the ledger's fiscal year with only the
 * ledger source present, streams FILE through xaf_read into engine_dispatch
 * and prints rule statuses and findings. It measures reader + rules without
 * the report, and stands in for `rhv check FILE` while that cannot yet read
 * a ledger on its own. Built by bench/run.sh against a meson build's
 * librhvcore.a, not by meson. -j N gives the engine N worker threads
 * (rhv_engine_opts.threads); the default 0 runs rules in the reader's thread.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "finding.h"
#include "rhv_config.h"
#include "xaf.h"

typedef struct {
    rhv_engine *e;
    int started;
} run;

/* The fiscal year is in the header, the first record: start the rules there. */
static int sink(void *ud, const rhv_record *rec)
{
    run *r = ud;
    if (!r->started) {
        r->started = 1;
        int fy = record_field_index(rec->type, "fiscalYear");
        int year = 0;
        if (fy >= 0 && rec->v[fy].kind == VAL_STR) /* not NUL-terminated: first 4 digits */
            for (size_t k = 0; k < 4 && k < rec->v[fy].len && rec->v[fy].s[k] >= '0' && rec->v[fy].s[k] <= '9'; k++)
                year = year * 10 + (rec->v[fy].s[k] - '0');
        engine_start(r->e, year, SRC_LEDGER); /* a rule that cannot start says so in its status */
    }
    return engine_dispatch(r->e, rec);
}

int main(int argc, char **argv)
{
    int threads = 0;
    if (argc > 2 && strcmp(argv[1], "-j") == 0) {
        threads = atoi(argv[2]);
        argv += 2;
        argc -= 2;
    }
    if (argc < 2) {
        fprintf(stderr, "usage: rules_drive [-j THREADS] FILE [RULES_DIR]\n");
        return 2;
    }
    rhv_diag d;
    diag_init(&d, stderr);
    rhv_engine_opts o = {.plugins_dir = RHV_SOURCE_ROOT "/plugins", .params_dir = RHV_SOURCE_ROOT "/params",
                         .diag = &d, .threads = threads};
    rhv_engine *e = engine_new(&o);
    if (!e) {
        fprintf(stderr, "rules_drive: out of memory\n");
        return 2;
    }
    engine_load_dir(e, argc > 2 ? argv[2] : RHV_SOURCE_ROOT "/rules");
    run r = {e, 0};
    rhv_xaf_info info;
    int rc = xaf_read(argv[1], sink, &r, &d, &info);
    engine_finish(e);
    int bad = rc != 0;
    for (size_t i = 0; i < engine_rule_count(e); i++) {
        const rhv_rule_info *ri = engine_rule(e, i);
        if (ri->status == RULE_SKIPPED)
            continue;
        printf("rule %-28s %s%s%s (Lua peak %.1f MiB)\n", ri->id, rule_status_name(ri->status),
               ri->message ? ": " : "", ri->message ? ri->message : "",
               (double)engine_rule_mem_peak(e, i) / (1024.0 * 1024.0));
        bad |= ri->status == RULE_ERROR;
    }
    size_t n = engine_finding_count(e);
    printf("lines %ld, findings %zu\n", info.lines, n);
    for (size_t i = 0; i < n; i++) {
        const rhv_finding *f = engine_finding(e, i);
        printf("  %s %s %lld %s\n", f->rule, finding_kind_name(f->kind), (long long)f->amount, f->subject);
    }
    xaf_info_free(&info);
    engine_free(e);
    diag_free(&d);
    return bad ? 2 : 0;
}
