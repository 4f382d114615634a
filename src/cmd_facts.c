/* cmd_facts.c -- `courtdocs facts`: print the data document (xml) that templates read for a case.
 * Not built yet: it says so and fails, so no one mistakes it for working. */
#include "cli.h"
#include <stdio.h>

const char cmd_facts_usage[] =
    "Usage: courtdocs facts [OPTIONS]\n"
    "\n"
    "Print the data document (XML) that templates read for a case.\n"
    "Not yet available in this version.\n";

int cmd_facts(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("courtdocs facts: not yet available in this version\n", stderr);
    return CD_EGENERAL;
}
