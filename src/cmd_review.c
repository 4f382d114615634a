/* cmd_review.c -- `courtdocs review`: the monthly court review report. */
#include "cli.h"
#include "cmd_render.h"

const char cmd_review_usage[] =
    "Usage: courtdocs review --db FILE --case REF [--date YYYY-MM-DD] [-o OUT.pdf]\n"
    "                        [--attach-psr] [--password-file FILE]\n"
    "\n"
    "Renders the court review report for the review hearing on --date (default:\n"
    "the next review due, from the order's schedule and the date the court fixed\n"
    "at the last review) from templates/court-review.xml.\n"
    "\n"
    "Every figure is computed from the records for the review period (since the\n"
    "last review, or since the order was made) under the order's rule profile\n"
    "(dtto-2004, drr-2005 or drr-2020), which the report names: a first page a\n"
    "sentencer can take in within a minute (attendance this period and last,\n"
    "contact hours against the standard, tests against the requirement, %\n"
    "negative per substance with its base, failures in the last 12 months,\n"
    "warnings, breach status, the recommendation), then attendance week by week,\n"
    "every drug test, enforcement, the officer's and provider's words, the last\n"
    "review's directions and the next review date.\n"
    "\n"
    "The officer's words come from notes (see `courtdocs note`): a missing\n"
    "supervisor's assessment or recommendation is shown as missing in the report\n"
    "and warned about on stderr.\n"
    "\n"
    "Options:\n"
    "  --date D            the date of the review hearing (YYYY-MM-DD)\n"
    "  --attach-psr        append the PSR drug-misuse assessment\n"
    CD_DOC_COMMON_OPTIONS
    "\n"
    "Example:\n"
    "  courtdocs review --db area.db --case LSL/2026/0042 --date 2026-12-01\n"
    "\n"
    "Prints the file written, its pages, sha256 and document id. Exit status: 0\n"
    "written; 2 usage error; 3 bad template; 4 the store cannot be read; 5 no\n"
    "such case, or no review due; 1 any other error.\n";

int cmd_review(int argc, char **argv)
{
    return cd_doc_command("review", CD_DOC_REVIEW, CD_DOCOPT_ATTACH_PSR, argc, argv);
}
