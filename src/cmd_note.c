/* cmd_note.c -- `courtdocs note`: add a locally written note (assessment, recommendation...) to a case.
 * Not built yet: it says so and fails, so no one mistakes it for working. */
#include "cli.h"
#include <stdio.h>

const char cmd_note_usage[] =
    "Usage: courtdocs note [OPTIONS]\n"
    "\n"
    "Add a locally written note (assessment, recommendation...) to a case.\n"
    "Not yet available in this version.\n";

int cmd_note(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("courtdocs note: not yet available in this version\n", stderr);
    return CD_EGENERAL;
}
