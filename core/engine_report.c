/* engine_report.c - what a report needs to know of a run beyond findings and
 * statuses: whether a rule received any record, and which helper library
 * every rule was loaded with (engine.h). */
#include "engine_internal.h"

uint64_t engine_rule_records(const rhv_engine *e, size_t i)
{
    return i < e->nrules ? e->rules[i]->nrecs : 0;
}

const char *engine_lib_path(const rhv_engine *e)
{
    /* lib_chunk is "@path", the chunk name Lua reports errors with. */
    return e->lib_chunk ? e->lib_chunk + 1 : NULL;
}

const char *engine_lib_sha256(const rhv_engine *e)
{
    /* Of the bytes loaded (read once, at engine_new), not of the file now. */
    return e->lib ? e->lib_sha256 : NULL;
}
