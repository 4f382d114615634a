/* cmd_breach.c -- `courtdocs breach`: assemble the breach pack for the legal proceedings team.
 * Not built yet: it says so and fails, so no one mistakes it for working. */
#include "cli.h"
#include <stdio.h>

const char cmd_breach_usage[] =
    "Usage: courtdocs breach [OPTIONS]\n"
    "\n"
    "Assemble the breach pack for the legal proceedings team.\n"
    "Not yet available in this version.\n";

int cmd_breach(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("courtdocs breach: not yet available in this version\n", stderr);
    return CD_EGENERAL;
}
