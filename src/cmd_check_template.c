/* cmd_check_template.c -- `courtdocs check-template`: validate a document template and report errors by line.
 * Not built yet: it says so and fails, so no one mistakes it for working. */
#include "cli.h"
#include <stdio.h>

const char cmd_check_template_usage[] =
    "Usage: courtdocs check-template [OPTIONS]\n"
    "\n"
    "Validate a document template and report errors by line.\n"
    "Not yet available in this version.\n";

int cmd_check_template(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("courtdocs check-template: not yet available in this version\n", stderr);
    return CD_EGENERAL;
}
