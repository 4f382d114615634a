/* cmd_psr.c -- `courtdocs psr`: the drug-misuse assessment section of the
 * pre-sentence report. */
#include "cli.h"
#include "cmd_render.h"

const char cmd_psr_usage[] =
    "Usage: courtdocs psr --db FILE --case REF [-o OUT.pdf] [--draft] [--password-file FILE]\n"
    "\n"
    "Renders the drug-misuse assessment section of the pre-sentence report from\n"
    "the case's <assessment> record (templates/psr-drug-assessment.xml): the drug\n"
    "use table with the weekly spend and the yearly sum it implies, alcohol, the\n"
    "OASys drugs and alcohol scores (4 or more marks a significant factor), the\n"
    "link to offending, dependency, motivation, treatment history and previous\n"
    "orders (a DTTO or DRR revoked for non-compliance stands out), accommodation,\n"
    "health, consent, and the proposal with the contact, testing and review\n"
    "arrangements the National Standard sets for the proposed intensity.\n"
    "\n"
    "Without consent the section says plainly that a drug rehabilitation\n"
    "requirement cannot be proposed. When the proposed intensity sits badly with\n"
    "the evidence (high intensity with an OASys drugs score under 4, no consent,\n"
    "no link to offending) the author is warned on stderr; the court copy carries\n"
    "no such note.\n"
    "\n"
    "An incomplete assessment is refused with the list of what is missing;\n"
    "with --draft a draft is rendered instead, every gap visible and DRAFT on\n"
    "every page.\n"
    "\n"
    "Options:\n"
    "  --draft             render a draft of an incomplete assessment\n"
    "  --date D            the date of the report (default today)\n"
    CD_DOC_COMMON_OPTIONS
    "\n"
    "Example:\n"
    "  courtdocs psr --db area.db --case LSL/2026/0042 -o psr-0042.pdf\n"
    "\n"
    "Exit status: 0 written; 2 usage error; 3 the assessment is incomplete (or a\n"
    "bad template); 4 the store cannot be read; 5 no such case or no assessment;\n"
    "1 any other error.\n";

int cmd_psr(int argc, char **argv)
{
    return cd_doc_command("psr", CD_DOC_PSR, CD_DOCOPT_DRAFT, argc, argv);
}
