/* commands.h - the sub-commands of the rhv CLI, one module each.
 * Each takes the arguments after the sub-command name (argv[0] is the
 * sub-command) and returns the process exit code documented in docs/cli.md.
 * argv is main's argv + 1, so argv[-1] is the program name: `rhv check`
 * records the whole command line in its report. */
#ifndef RHV_COMMANDS_H
#define RHV_COMMANDS_H

int cmd_check(int argc, char **argv);  /* cmd_check.c: rhv check */
int cmd_test(int argc, char **argv);   /* cmd_test.c:  rhv test */
int cmd_rules(int argc, char **argv);  /* cmd_rules.c: rhv rules list|show|new */
int cmd_verify(int argc, char **argv); /* cmd_verify.c: rhv verify REPORT.json */
int cmd_template(int argc, char **argv); /* cmd_template.c: rhv template [--from DOSSIER] OUT.xlsx */
int cmd_convert(int argc, char **argv);  /* cmd_convert.c: rhv convert DOSSIER -o OUT */

#endif
