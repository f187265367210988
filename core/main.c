/* main.c - the rhv command line: dispatches to the sub-commands of commands.h.
 *
 * Exit codes (docs/cli.md): 0 report made, within the grens (or: command
 * succeeded); 1 report made, grens exceeded (or: tests failed); 2 input, rule
 * or usage errors.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "diag.h"
#include "register_decl.h"
#include "rhv_config.h"

static void usage(FILE *out)
{
    fputs("Usage: rhv COMMAND [OPTIONS] [ARGS]\n"
          "\n"
          "rhv checks the annual accounts of a Dutch public body against the rules of the\n"
          "rechtmatigheidsverantwoording (RHV) and writes the deviation report.\n"
          "\n"
          "Commands:\n"
          "  check FILE...     check a dossier and/or XAF ledgers and write the RHV report\n"
          "  test [RULE...]    run the rules' own test cases\n"
          "  rules list        list the rules; 'rules show ID', 'rules new ID'\n"
          "  verify REPORT     re-run a JSON report from what it records; identical or what differs\n"
          "  template OUT.xlsx the dossier as a workbook to fill in ('--from DOSSIER' to fill it)\n"
          "  convert IN -o OUT a dossier from XML to a workbook or back\n"
          "\n"
          "Options:\n"
          "  -h, --help        show this help; 'rhv COMMAND --help' for a command\n"
          "  -V, --version     show the version\n"
          "\n"
          "Exit codes: 0 within the verantwoordingsgrens, 1 above it, 2 input or rule errors.\n"
          "Documentation: README.md and docs/ in the source tree.\n",
          out);
}

/* The registers declared in registers/<name>.lua, for the commands that read
 * dossiers or rules (register_decl.h). A bad declaration stops the command:
 * a rule reading that register could not run. 0, or the exit code 2. */
static int load_registers(const char *cmd)
{
    rhv_diag d;
    diag_init(&d, stderr);
    int rc = registers_load_default(&d);
    diag_free(&d);
    if (rc != 0) {
        fprintf(stderr, "rhv %s: a register declaration has errors (docs/registers.md)\n", cmd);
        return 2;
    }
    return 0;
}

static int with_registers(const char *cmd, int (*run)(int, char **), int argc, char **argv)
{
    int rc = load_registers(cmd);
    if (rc == 0)
        rc = run(argc, argv);
    registers_unload();
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0) {
        printf("rhv %s\n", RHV_VERSION);
        return 0;
    }
    if (strcmp(cmd, "check") == 0)
        return with_registers(cmd, cmd_check, argc - 1, argv + 1);
    if (strcmp(cmd, "test") == 0)
        return with_registers(cmd, cmd_test, argc - 1, argv + 1);
    if (strcmp(cmd, "rules") == 0)
        return with_registers(cmd, cmd_rules, argc - 1, argv + 1);
    if (strcmp(cmd, "verify") == 0)
        return with_registers(cmd, cmd_verify, argc - 1, argv + 1);
    /* A declared register is a record type like any other: a sheet of the workbook. */
    if (strcmp(cmd, "template") == 0)
        return with_registers(cmd, cmd_template, argc - 1, argv + 1);
    if (strcmp(cmd, "convert") == 0)
        return with_registers(cmd, cmd_convert, argc - 1, argv + 1);
    fprintf(stderr, "rhv: unknown command '%s'\n", cmd);
    usage(stderr);
    return 2;
}
