/* cmd_batch.c -- `courtdocs batch`: render every review (or breach pack) due in a month.
 * Not built yet: it says so and fails, so no one mistakes it for working. */
#include "cli.h"
#include <stdio.h>

const char cmd_batch_usage[] =
    "Usage: courtdocs batch [OPTIONS]\n"
    "\n"
    "Render every review (or breach pack) due in a month.\n"
    "Not yet available in this version.\n";

int cmd_batch(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("courtdocs batch: not yet available in this version\n", stderr);
    return CD_EGENERAL;
}
