/* cmd_summary.c -- `courtdocs summary`: the caseload summary for sentencers
 * and managers, as PDF. */
#include "cli.h"
#include "cmd_render.h"
#include "model.h"
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

const char cmd_summary_usage[] =
    "Usage: courtdocs summary --db FILE [--from D --to D] [--court NAME] [--team NAME]\n"
    "                         [-o OUT.pdf] [--password-file FILE]\n"
    "\n"
    "Renders the caseload summary (templates/caseload-summary.xml) for the drug\n"
    "treatment orders in force during a period: commencements; terminations by\n"
    "reason; the completion rate (an order that expired with a breach warrant\n"
    "outstanding is not a completion); % of opiate and cocaine tests negative by\n"
    "month on the order (months 1 to 12, then 13 and later), as a chart and a\n"
    "table; compliance with the standard (first contacts in time, weeks meeting\n"
    "contact hours, weeks meeting testing frequency); breaches per 100\n"
    "commencements and their outcomes. Each is broken down by sex, age band at\n"
    "the order (18-20, 21-25, 26-35, 36-50, 51 and over) and ethnicity, with\n"
    "\"not recorded\" as a group of its own.\n"
    "\n"
    "So that no one can be identified, any group of fewer than 5 people is shown\n"
    "as \"<5\" with no figures, and when one group alone would be hidden the next\n"
    "smallest is hidden too.\n"
    "\n"
    "Options:\n"
    "  --db FILE           the case store (opened read-only)\n"
    "  --from D, --to D    the period (YYYY-MM-DD; default the 12 months to today)\n"
    "  --court NAME        only orders made by this court (exact name, any case)\n"
    "  --team NAME         only cases of this team\n"
    "  -o, --output FILE   where the PDF goes (default caseload-summary-DATE.pdf);\n"
    "                      written whole or not at all, mode 0600\n"
    CD_CLI_PASSWORD_OPTIONS
    "  --template-dir DIR  read the template from DIR instead of templates/\n"
    "  -q, --quiet         print nothing on success\n"
    "  -h, --help          this text\n"
    "\n"
    "Example:\n"
    "  courtdocs summary --db area.db --from 2026-01-01 --to 2026-10-31 -o summary.pdf\n"
    "\n"
    "Exit status: 0 written; 2 usage error; 3 bad template; 4 the store cannot be\n"
    "read; 1 any other error.\n";

int cmd_summary(int argc, char **argv)
{
    static const struct option opts[] = {
        { "db", required_argument, NULL, 'd' },     { "from", required_argument, NULL, 'f' },
        { "to", required_argument, NULL, 't' },     { "court", required_argument, NULL, 'c' },
        { "team", required_argument, NULL, 'm' },   { "output", required_argument, NULL, 'o' },
        { "password", required_argument, NULL, 'p' }, { "template-dir", required_argument, NULL, 'T' },
        { "quiet", no_argument, NULL, 'q' },
        { "password-file", required_argument, NULL, 'P' }, { "ask-password", no_argument, NULL, 'K' },
        { NULL, 0, NULL, 0 },
    };
    const char *db = NULL, *out = NULL, *pwfile = NULL;
    bool ask_pw = false;
    cd_render_opts ro;
    memset(&ro, 0, sizeof ro);
    ro.warnings = stderr;
    int quiet = 0, c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "o:q", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'f': ro.from = optarg; break;
        case 't': ro.to = optarg; break;
        case 'c': ro.court = optarg; break;
        case 'm': ro.team = optarg; break;
        case 'o': out = optarg; break;
        case 'p': return cd_cli_usage_error("summary", "%s", cd_cli_password_refused);
        case 'P': pwfile = optarg; break;
        case 'K': ask_pw = true; break;
        case 'T': ro.template_dir = optarg; break;
        case 'q': quiet = 1; break;
        default: return cd_cli_usage_error("summary", "unknown option or missing value: %s", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cd_cli_usage_error("summary", "unexpected argument \"%s\"", argv[optind]);
    if (!db)
        return cd_cli_usage_error("summary", "--db FILE is required");
    cd_date d;
    if (ro.from && !cd_date_parse(ro.from, &d))
        return cd_cli_usage_error("summary", "--from \"%s\" is not a real date (YYYY-MM-DD)", ro.from);
    if (ro.to && !cd_date_parse(ro.to, &d))
        return cd_cli_usage_error("summary", "--to \"%s\" is not a real date (YYYY-MM-DD)", ro.to);
    return cd_doc_render_one("summary", db, CD_DOC_SUMMARY, NULL, &ro, out, pwfile, ask_pw, quiet);
}
