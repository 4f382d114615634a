/* cmd_review.c -- `courtdocs review`: render the monthly court review report for a case.
 * Not built yet: it says so and fails, so no one mistakes it for working. */
#include "cli.h"
#include <stdio.h>

const char cmd_review_usage[] =
    "Usage: courtdocs review [OPTIONS]\n"
    "\n"
    "Render the monthly court review report for a case.\n"
    "Not yet available in this version.\n";

int cmd_review(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("courtdocs review: not yet available in this version\n", stderr);
    return CD_EGENERAL;
}
