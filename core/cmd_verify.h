/* cmd_verify.h - what the files of `rhv verify` share (internal to the rhv
 * executable).
 *
 * Contract: verify_compare() compares the report as recorded (old) with the
 * report of the re-run (new), both parsed JSON objects of docs/report-json.md,
 * and prints one line per difference to out: each finding added or removed,
 * each total and the verdict, each rule's status, and any other top-level
 * key that differs. Not compared: `build` (cmd_verify.c compares the binary
 * itself) and `invocation.command_line` (the re-run has verify's own).
 * Returns the number of differences.
 */
#ifndef RHV_CMD_VERIFY_H
#define RHV_CMD_VERIFY_H

#include <jansson.h>
#include <stdio.h>

int verify_compare(FILE *out, json_t *old, json_t *new);

#endif
