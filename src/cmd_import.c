/* cmd_import.c -- `courtdocs import`: import case-record xml files into the case store.
 * Not built yet: it says so and fails, so no one mistakes it for working. */
#include "cli.h"
#include <stdio.h>

const char cmd_import_usage[] =
    "Usage: courtdocs import [OPTIONS]\n"
    "\n"
    "Import case-record XML files into the case store.\n"
    "Not yet available in this version.\n";

int cmd_import(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("courtdocs import: not yet available in this version\n", stderr);
    return CD_EGENERAL;
}
