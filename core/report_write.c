/* report_write.c - what every writer shares: which findings are listed one
 * by one, the totals, and the atomic write of the finished report. See report.h. */
#include "report.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool report_overrides_from_dossier(const rhv_report *r)
{
    for (size_t i = 0; r->overrides && r->override_origins && i < r->noverrides; i++)
        if (r->override_origins[i] && strcmp(r->override_origins[i], "opdrachtregel") != 0)
            return true;
    return false;
}

const rhv_finding_note *report_note(const rhv_report *r, const rhv_finding *f)
{
    if (!r->notes || !r->findings || f < r->findings || f >= r->findings + r->nfindings)
        return NULL;
    return &r->notes[f - r->findings];
}

static bool dropped(const rhv_report *r, const rhv_finding *f)
{
    const rhv_finding_note *n = report_note(r, f);
    return n && n->dropped;
}

bool report_counts(const rhv_report *r, const rhv_finding *f)
{
    return f->counts && !dropped(r, f);
}

size_t report_afgehandeld(const rhv_report *r, rhv_cents *sum)
{
    size_t n = 0;
    *sum = 0;
    for (size_t i = 0; r->notes && r->findings && i < r->nfindings; i++) {
        const rhv_finding *f = &r->findings[i];
        if (r->notes[i].dropped && f->kind != KIND_SIGNALERING && money_add(*sum, f->amount, sum))
            n++;
    }
    return n;
}

bool report_is_reportable(const rhv_report *r, const rhv_finding *f)
{
    if (dropped(r, f))
        return false;
    if (r->have_verdict)
        return verdict_is_reportable(&r->vin, f);
    /* No rapportagegrens known: every counted afwijking is shown on its own,
     * so nothing disappears into a total nobody can check. */
    verdict_input none;
    memset(&none, 0, sizeof none);
    return verdict_is_reportable(&none, f);
}

int report_totals(const rhv_report *r, verdict_result *out)
{
    if (r->have_verdict) {
        *out = r->vres;
        return 0;
    }
    verdict_input none;
    memset(&none, 0, sizeof none);
    size_t n = r->findings ? r->nfindings : 0, m = 0;
    bool any_dropped = false;
    for (size_t i = 0; i < n; i++)
        any_dropped |= dropped(r, &r->findings[i]);
    if (!any_dropped)
        return verdict_compute(&none, r->findings, n, out, NULL);
    /* The verdict's own sums, over what counts. */
    rhv_finding *kept = malloc(n * sizeof *kept);
    if (!kept)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (!dropped(r, &r->findings[i]))
            kept[m++] = r->findings[i];
    int rc = verdict_compute(&none, kept, m, out, NULL);
    free(kept);
    return rc;
}

static void write_fail(rhv_diag *d, const char *path, const char *what, int err)
{
    if (d)
        diag_error(d, path, 0, "cannot write the report (%s): %s", what, strerror(err));
}

int report_write_atomic(const char *path, report_writer w, const rhv_report *r, rhv_diag *d)
{
    if (!path || strcmp(path, "-") == 0) {
        errno = 0;
        int rc = w(stdout, r);
        if (fflush(stdout) != 0 || ferror(stdout)) {
            write_fail(d, "-", "stdout", errno ? errno : EIO);
            return -1;
        }
        if (rc != 0) {
            write_fail(d, "-", "stdout", ENOMEM);
            return -1;
        }
        return 0;
    }

    static const char suffix[] = ".tmp.XXXXXX";
    size_t len = strlen(path);
    char *tmp = malloc(len + sizeof suffix);
    if (!tmp) {
        write_fail(d, path, "temporary name", ENOMEM);
        return -1;
    }
    memcpy(tmp, path, len);
    memcpy(tmp + len, suffix, sizeof suffix);

    int fd = mkstemp(tmp);
    if (fd < 0) {
        write_fail(d, path, "temporary file", errno);
        free(tmp);
        return -1;
    }
    /* mkstemp makes the file 0600; a report is an ordinary file, so give it
     * the mode a plain fopen would (0666 less the umask). */
    mode_t um = umask(0);
    umask(um);
    (void)fchmod(fd, 0666 & ~um);

    FILE *f = fdopen(fd, "w");
    if (!f) {
        int e = errno;
        close(fd);
        unlink(tmp);
        write_fail(d, path, "open", e);
        free(tmp);
        return -1;
    }
    const char *stage = "write";
    int e = 0;
    errno = 0;
    int rc = w(f, r);
    if (rc != 0 || ferror(f)) {
        e = errno ? errno : EIO;
    } else if (fflush(f) != 0) {
        e = errno;
        stage = "flush";
    } else if (fsync(fileno(f)) != 0) {
        e = errno;
        stage = "fsync";
    }
    if (fclose(f) != 0 && !e) {
        e = errno;
        stage = "close";
    }
    if (!e && rename(tmp, path) != 0) {
        e = errno;
        stage = "rename";
    }
    if (e) {
        unlink(tmp);
        write_fail(d, path, stage, e);
        free(tmp);
        return -1;
    }
    free(tmp);
    return 0;
}
