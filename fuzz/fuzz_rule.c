/* fuzz_rule.c - libFuzzer target: a rule file's text through the engine's
 * rule loader (engine_load_file: sandboxed Lua state, metadata checks), then
 * every metadata accessor on what loaded. The loader reads a file, so the
 * input is written to one in a private temporary folder first. Rules get a
 * small memory cap and instruction budget: the target looks for crashes in
 * the host, not for slow Lua. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine.h"
#include "rhv_config.h"

static char rule_path[512];

static void cleanup(void)
{
    unlink(rule_path);
    char *slash = strrchr(rule_path, '/');
    if (slash) {
        *slash = '\0';
        rmdir(rule_path);
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc; (void)argv;
    char dir[256];
    snprintf(dir, sizeof dir, "%s/rhv-fuzz-rule-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir))
        abort();
    snprintf(rule_path, sizeof rule_path, "%s/fuzz.rule.lua", dir);
    atexit(cleanup);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *f = fopen(rule_path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();
    rhv_diag d;
    diag_init(&d, NULL);
    rhv_engine_opts o = {
        .mem_limit = 16u << 20,
        .instr_budget = 200000,
        .plugins_dir = RHV_SOURCE_ROOT "/plugins",
        .params_dir = RHV_SOURCE_ROOT "/params",
        .diag = &d,
    };
    rhv_engine *e = engine_new(&o);
    if (!e)
        abort();
    (void)engine_load_file(e, rule_path);
    size_t seen = 0;
    for (size_t i = 0; i < engine_rule_count(e); i++) {
        const rhv_rule_info *ri = engine_rule(e, i);
        seen += strlen(ri->id) + strlen(ri->file);
        rhv_rule_meta m;
        if (engine_rule_meta(e, i, &m) != 0)
            continue;
        seen += m.description ? strlen(m.description) : 0;
        for (size_t k = 0; k < m.nreads; k++)
            seen += strlen(m.reads[k]);
        for (size_t k = 0; k < m.nparams; k++)
            seen += strlen(m.params[k]);
        for (size_t k = 0; k < m.nrequires; k++)
            seen += strlen(m.requires[k]);
        char buf[256];
        for (size_t k = 0; k < m.nargs; k++)
            (void)engine_rule_arg(e, i, k, buf, sizeof buf);
    }
    /* The statuses engine_start gives from the metadata (years, sources,
     * parameters), and finish() with no records, under the budget. */
    if (engine_start(e, 2023, SRC_DOSSIER | SRC_LEDGER) == 0)
        engine_finish(e);
    engine_free(e);
    if (seen == (size_t)-1)
        abort(); /* keeps the strlen calls */
    diag_free(&d);
    return 0;
}
