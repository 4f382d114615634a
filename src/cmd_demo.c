/* cmd_demo.c -- `courtdocs demo`: build the synthetic demo caseload and render sample documents.
 * Not built yet: it says so and fails, so no one mistakes it for working. */
#include "cli.h"
#include <stdio.h>

const char cmd_demo_usage[] =
    "Usage: courtdocs demo [OPTIONS]\n"
    "\n"
    "Build the synthetic demo caseload and render sample documents.\n"
    "Not yet available in this version.\n";

int cmd_demo(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("courtdocs demo: not yet available in this version\n", stderr);
    return CD_EGENERAL;
}
