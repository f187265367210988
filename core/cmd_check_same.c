/* cmd_check_same.c - part of step 1 of `rhv check` (cmd_check.h): two inputs
 * with the same content are one input.
 *
 * Why: a ledger given on the command line that the dossier already names, or
 * a copy of it under another name, would be read twice: every transaction
 * counted twice, invoices "duplicated", the inputs listed twice. So the plan
 * drops a later input whose sha256 equals an earlier one's and says so once,
 * as a warning. The same file named by the dossier once as an extract and
 * once as a whole ledger is a contradiction the reader cannot settle: an
 * error.
 *
 * Hashing costs a read of the file; the plan hashes only the inputs whose
 * size equals another input's (files of different sizes cannot be equal), so
 * the usual run (one dossier, one ledger) still hashes each ledger from the
 * reads of its parse.
 */
#include "cmd_check.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hash.h"

/* Hashes every input whose size another input shares; the others are left
 * for check_hash_start. An unreadable file is left too: the stream says so. */
static void hash_same_sizes(check_plan *p)
{
    size_t n = p->ninputs;
    off_t *size = calloc(n, sizeof *size);
    if (!size)
        return; /* the inputs are still hashed (by their parse); only the dedup is lost */
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        size[i] = stat(p->inputs[i].path, &st) == 0 && S_ISREG(st.st_mode) ? st.st_size : -1;
    }
    for (size_t i = 0; i < n; i++) {
        if (size[i] < 0)
            continue;
        bool shared = false;
        for (size_t j = 0; j < n && !shared; j++)
            shared = j != i && size[j] == size[i];
        if (shared && sha256_file(p->inputs[i].path, p->inputs[i].sha256) != 0)
            p->inputs[i].sha256[0] = '\0';
    }
    free(size);
}

/* The role a later copy takes: a command-line ledger has none of its own. */
static const char *role(const check_plan *p, size_t i)
{
    if (p->roles[i] == CHECK_ROLE_EXTRACT)
        return "an extract (extract=\"true\")";
    return "a whole ledger";
}

void check_plan_same_inputs(check_plan *p, rhv_diag *d)
{
    if (p->ninputs < 2)
        return;
    hash_same_sizes(p);
    size_t kept = 0;
    for (size_t i = 0; i < p->ninputs; i++) {
        rhv_input *in = &p->inputs[i];
        size_t first = i;
        /* A register is read by the dossier reader, not here: never dropped, never matched. */
        bool reg = strcmp(in->kind, "register") == 0;
        if (in->sha256[0] && !reg)
            for (size_t j = 0; j < kept && first == i; j++)
                if (strcmp(p->inputs[j].kind, "register") != 0 && strcmp(p->inputs[j].sha256, in->sha256) == 0)
                    first = j;
        if (first == i) {
            p->inputs[kept] = *in;
            p->roles[kept] = p->roles[i];
            kept++;
            continue;
        }
        const rhv_input *f = &p->inputs[first];
        if (p->roles[i] != CHECK_ROLE_FREE && p->roles[first] != CHECK_ROLE_FREE &&
            p->roles[i] != p->roles[first]) {
            diag_error(d, in->path, 0, "the same file as %s (sha256 %s), but the dossier names it as %s and %s as %s",
                       f->path, in->sha256, role(p, i), f->path, role(p, first));
            p->usage_err = true;
        } else {
            diag_warning(d, in->path, 0, "the same file as %s (sha256 %s): read once", f->path, in->sha256);
            if (p->roles[first] == CHECK_ROLE_FREE)
                p->roles[first] = p->roles[i];
        }
        free(in->path);
    }
    p->ninputs = kept;
}
