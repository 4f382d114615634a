/* cmd_breach.c -- `courtdocs breach`: the breach pack for the legal
 * proceedings team. */
#include "cli.h"
#include "cmd_render.h"

const char cmd_breach_usage[] =
    "Usage: courtdocs breach --db FILE --case REF [--date YYYY-MM-DD] [-o OUT.pdf]\n"
    "                        [--force] [--password-file FILE]\n"
    "\n"
    "Assembles the breach pack for a case (templates/breach-pack.xml), as of\n"
    "--date (default today): a cover sheet with an index of the parts, the\n"
    "requirements breached, a numbered chronology of every unacceptable failure in\n"
    "the 12-month window (with the records it rests on, each warning and each\n"
    "contact attempt), the failure that made breach action mandatory under the\n"
    "order's rule profile and the date the pack is due, whether each warning said\n"
    "what the law asks of it, the figures of the Sentencing Council's breach\n"
    "guideline with the compliance band the rules propose, earlier breaches and\n"
    "failures outside the window, attendance and testing over the whole order,\n"
    "and the officer's statement (a note of kind breach-statement).\n"
    "\n"
    "Failures are counted exactly as in the court review (one per day however\n"
    "many appointments were missed that day; every refusal); a failure recorded\n"
    "as acceptable is never listed. A failure that had neither a warning nor a\n"
    "breach is warned about on stderr.\n"
    "\n"
    "With no unacceptable failure to answer in the window the pack is refused\n"
    "(exit 6), unless --force.\n"
    "\n"
    "Options:\n"
    "  --date D            the date the pack is prepared (YYYY-MM-DD)\n"
    "  --force             make the pack even with no failure to answer\n"
    CD_DOC_COMMON_OPTIONS
    "\n"
    "Example:\n"
    "  courtdocs breach --db area.db --case LSL/2026/0042 -o breach-0042.pdf\n"
    "\n"
    "Exit status: 0 written; 2 usage error; 3 bad template; 4 the store cannot be\n"
    "read; 5 no such case or no order; 6 no failure to answer (see --force);\n"
    "1 any other error.\n";

int cmd_breach(int argc, char **argv)
{
    return cd_doc_command("breach", CD_DOC_BREACH, CD_DOCOPT_FORCE, argc, argv);
}
