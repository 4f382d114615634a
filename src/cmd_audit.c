/* cmd_audit.c -- `courtdocs audit`: list every document produced, from the audit table.
 * Not built yet: it says so and fails, so no one mistakes it for working. */
#include "cli.h"
#include <stdio.h>

const char cmd_audit_usage[] =
    "Usage: courtdocs audit [OPTIONS]\n"
    "\n"
    "List every document produced, from the audit table.\n"
    "Not yet available in this version.\n";

int cmd_audit(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("courtdocs audit: not yet available in this version\n", stderr);
    return CD_EGENERAL;
}
