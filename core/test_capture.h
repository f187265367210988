/* test_capture.h - for the Check tests of CLI commands: run a command with its
 * stdout captured into a buffer. Header-only, so each test program stays one
 * file in core/meson.build. */
#ifndef RHV_TEST_CAPTURE_H
#define RHV_TEST_CAPTURE_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Run f(argc, argv) with stdout captured into out (NUL-terminated, cut at n-1
 * bytes); returns f's exit code. */
static inline int capture_stdout(int (*f)(int, char **), int argc, char **argv, char *out, size_t n)
{
    fflush(stdout);
    char path[] = "/tmp/rhv_captureXXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    int saved = dup(1);
    dup2(fd, 1);
    int rc = f(argc, argv);
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    lseek(fd, 0, SEEK_SET);
    ssize_t got = read(fd, out, n - 1);
    out[got > 0 ? got : 0] = '\0';
    close(fd);
    unlink(path);
    return rc;
}

#endif
