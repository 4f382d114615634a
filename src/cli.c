/* cli.c -- dispatches `courtdocs CMD ...` to the command's function, prints
 * `courtdocs help`, and holds the few helpers every command shares for
 * reporting errors and usage. Exit codes are the CD_E* codes of courtdocs.h. */
#include "cli.h"
#include "outfile.h"
#include "datadir.h"
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const cd_command commands[] = {
    {"import", cmd_import, "Import case-record XML files into the case store", cmd_import_usage},
    {"note", cmd_note, "Add a locally written note (assessment, recommendation...) to a case", cmd_note_usage},
    {"cases", cmd_cases, "List the cases in the store, or those with a review due in a month", cmd_cases_usage},
    {"demo", cmd_demo, "Build the synthetic demo caseload and render sample documents", cmd_demo_usage},
    {"facts", cmd_facts, "Print the data document (XML) that templates read for a case", cmd_facts_usage},
    {"check-template", cmd_check_template, "Validate a document template and report errors by line", cmd_check_template_usage},
    {"review", cmd_review, "Render the monthly court review report for a case", cmd_review_usage},
    {"psr", cmd_psr, "Render the PSR drug-misuse assessment section for a case", cmd_psr_usage},
    {"breach", cmd_breach, "Assemble the breach pack for the legal proceedings team", cmd_breach_usage},
    {"summary", cmd_summary, "Render the caseload summary for sentencers and managers", cmd_summary_usage},
    {"batch", cmd_batch, "Render every review (or breach pack) due in a month", cmd_batch_usage},
    {"audit", cmd_audit, "List every document produced, from the audit table", cmd_audit_usage},
    {NULL, NULL, NULL, NULL}
};

const cd_command *cd_cli_commands(void) { return commands; }

static const cd_command *find(const char *name)
{
    for (const cd_command *c = commands; c->name; c++)
        if (strcmp(c->name, name) == 0) return c;
    return NULL;
}

static void print_overview(FILE *out)
{
    fputs("courtdocs " COURTDOCS_VERSION " -- court documents for drug treatment orders\n"
          "\n"
          "Turns probation case records into the documents courts read about offenders\n"
          "on drug treatment orders (DTTO, DRR): the monthly court review report, the\n"
          "PSR drug-assessment section, the breach pack and the caseload summary, as PDF.\n"
          "Every figure is computed under the order's National Standard rule profile\n"
          "(dtto-2004, drr-2005, drr-2020), and each document names the profile it used.\n"
          "\n"
          "Usage: courtdocs COMMAND [OPTIONS]\n"
          "       courtdocs --version\n"
          "\n"
          "Commands:\n", out);
    for (const cd_command *c = commands; c->name; c++)
        fprintf(out, "  %-15s %s\n", c->name, c->summary);
    fputs("\n"
          "A first session:\n"
          "  courtdocs import --create --db cases.db export.xml\n"
          "                                                load an export, making the store\n"
          "  courtdocs cases --db cases.db --due 2026-12    who is due in court in December\n"
          "  courtdocs review --db cases.db --case 'LSL/2026/0042' -o review.pdf\n"
          "\n"
          "Run 'courtdocs COMMAND --help' for what each command does, its options and\n"
          "an example. Exit codes: 0 success, 1 general error, 2 usage error, 3 invalid\n"
          "input, 4 database error, 5 case not found, 6 refused by the rules,\n"
          "7 some documents of a batch failed.\n", out);
}

int cd_cli_help(const char *cmd)
{
    const cd_command *c = find(cmd);
    if (!c) { print_overview(stdout); return CD_OK; }
    fputs(c->usage, stdout);
    return CD_OK;
}

int cd_cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) return 0;
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) return 1;
    }
    return 0;
}

int cd_cli_fail(const char *cmd, const cd_error *err)
{
    fprintf(stderr, "courtdocs %s: %s\n", cmd, err->message[0] ? err->message : "failed");
    return err->code ? err->code : CD_EGENERAL;
}

int cd_cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "courtdocs %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nRun 'courtdocs %s --help' for its options.\n", cmd);
    return CD_EUSAGE;
}

/* SIGINT/SIGTERM: remove the temporary file being written (never a
 * half-written document), then die of the signal so the exit status says
 * so (130, 143). An import in progress is rolled back by SQLite. */
static void on_interrupt(int sig)
{
    cd_temp_cleanup_signal_safe();
    signal(sig, SIG_DFL);
    raise(sig);
}

int cd_cli_main(int argc, char **argv)
{
    cd_errors_init();
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_interrupt;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    if (argc < 2) {
        print_overview(stderr);
        return CD_EUSAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "help") == 0 || strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0)
        return cd_cli_help(argc > 2 ? argv[2] : "");
    if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
        /* The second line says where the templates, schemas and fonts are
         * read from (the installed DATADIR, the source tree, CD_DATA_DIR). */
        printf("courtdocs %s\ndata: %s\n", COURTDOCS_VERSION, cd_data_dir());
        return CD_OK;
    }
    const cd_command *c = find(name);
    if (!c) {
        fprintf(stderr, "courtdocs: '%s' is not a command. Run 'courtdocs help' for the list.\n", name);
        return CD_EUSAGE;
    }
    if (cd_cli_wants_help(argc - 1, argv + 1)) return cd_cli_help(name);
    return c->run(argc - 1, argv + 1);
}
