/* cmd_cases.c -- `courtdocs cases`: list the cases in the store, or those with a review due in a month.
 * Not built yet: it says so and fails, so no one mistakes it for working. */
#include "cli.h"
#include <stdio.h>

const char cmd_cases_usage[] =
    "Usage: courtdocs cases [OPTIONS]\n"
    "\n"
    "List the cases in the store, or those with a review due in a month.\n"
    "Not yet available in this version.\n";

int cmd_cases(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("courtdocs cases: not yet available in this version\n", stderr);
    return CD_EGENERAL;
}
