/* cmd_psr.c -- `courtdocs psr`: render the psr drug-misuse assessment section for a case.
 * Not built yet: it says so and fails, so no one mistakes it for working. */
#include "cli.h"
#include <stdio.h>

const char cmd_psr_usage[] =
    "Usage: courtdocs psr [OPTIONS]\n"
    "\n"
    "Render the PSR drug-misuse assessment section for a case.\n"
    "Not yet available in this version.\n";

int cmd_psr(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("courtdocs psr: not yet available in this version\n", stderr);
    return CD_EGENERAL;
}
