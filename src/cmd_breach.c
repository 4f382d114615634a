/* cmd_breach.c -- `courtdocs breach`: the breach pack for the legal
 * proceedings team. */
#include "cli.h"
#include "cmd_render.h"

const char cmd_breach_usage[] =
    "Usage: courtdocs breach --db FILE --case REF [--date YYYY-MM-DD] [-o OUT.pdf]\n"
    "                        [--force] [--password-file FILE]\n"
    "\n"
    "Assembles the breach pack for a case (templates/breach-pack.xml), as of\n"
    "--date (default today): a cover sheet with a linked contents page; the\n"
    "allegation for each failure laid (the one that made breach action due under\n"
    "the order's rule profile and any later ones not yet answered), in legal form\n"
    "with the statute, and apart the failures already answered and what answered\n"
    "them; the responsible officer's witness statement (s.9 Criminal Justice Act\n"
    "1967) on pages of its own, each with a signature line: a narrative from the\n"
    "records, then the officer's words (a note of kind breach-statement dated on\n"
    "or after that failure; an older one is never used and the pack is a DRAFT);\n"
    "the exhibits, named by the officer's initials (AR/1, AR/2 ...); the\n"
    "chronology of the 12 months with the records; each warning read against the\n"
    "failure it answers; the Sentencing Council breach guideline figures; earlier\n"
    "breaches; attendance and testing over the whole order.\n"
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
