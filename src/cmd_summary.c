/* cmd_summary.c -- `courtdocs summary`: render the caseload summary for sentencers and managers.
 * Not built yet: it says so and fails, so no one mistakes it for working. */
#include "cli.h"
#include <stdio.h>

const char cmd_summary_usage[] =
    "Usage: courtdocs summary [OPTIONS]\n"
    "\n"
    "Render the caseload summary for sentencers and managers.\n"
    "Not yet available in this version.\n";

int cmd_summary(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("courtdocs summary: not yet available in this version\n", stderr);
    return CD_EGENERAL;
}
