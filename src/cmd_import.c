/* cmd_import.c -- `courtdocs import`: reads case-record XML files into the
 * case store in one transaction and says, case by case, what changed. */
#include "cli.h"
#include <getopt.h>
#include <stdio.h>
#include <string.h>

const char cmd_import_usage[] =
    "Usage: courtdocs import --db FILE [--create] [--strict] [--quiet] RECORDS.xml...\n"
    "\n"
    "Reads case records exported by a case management system (the format in\n"
    "docs/case-records.md) into the case store FILE. A new store is made only\n"
    "with --create: without it a missing FILE is an error (a mistyped --db never\n"
    "becomes a new empty store).\n"
    "\n"
    "Every case is checked first against schemas/case-records.rng, then against\n"
    "the import rules: dates that exist, ids unique within their case, warnings\n"
    "and breaches naming real unacceptable failures, appointment lengths of 1 to\n"
    "720 minutes, orders of 6 to 36 months, nothing dated after the export. A\n"
    "file with a DOCTYPE, entities or a foreign root element is refused unread.\n"
    "All the files of one call are stored in one transaction: on any error\n"
    "nothing is stored, and the message names FILE:LINE:COLUMN, the case ref,\n"
    "the record id and what is wrong.\n"
    "\n"
    "A later export of a case replaces that case's imported records by id:\n"
    "unchanged records are left alone, changed ones are replaced, records the\n"
    "export no longer holds are removed. Notes written with `courtdocs note` are\n"
    "never touched. Importing the same file twice changes nothing.\n"
    "\n"
    "An appointment or drug test dated outside its order is stored and reported\n"
    "as a warning on stderr (with --strict it is an error instead).\n"
    "\n"
    "Options:\n"
    "  --db FILE     the case store\n"
    "  --create      make the store (mode 0600) if it does not exist yet\n"
    "  --strict      refuse records dated outside their order\n"
    "  -q, --quiet   print only the total line, not one line per case\n"
    "  -h, --help    this text\n"
    "\n"
    "Output: one line per case, \"REF: N added, N changed, N removed\", then a\n"
    "total line.\n"
    "\n"
    "Example:\n"
    "  courtdocs import --create --db area.db export-2026-11-02.xml   (the first)\n"
    "  courtdocs import --db area.db export-2026-11-30.xml            (later ones)\n"
    "\n"
    "Exit status: 0 imported; 2 usage error; 3 a file or record is invalid\n"
    "(nothing stored); 4 the store cannot be opened or written (locked,\n"
    "read-only, not a courtdocs store, missing without --create); 1 any other\n"
    "error.\n";

int cmd_import(int argc, char **argv)
{
    static const struct option opts[] = {
        { "db", required_argument, NULL, 'd' },
        { "strict", no_argument, NULL, 's' },
        { "create", no_argument, NULL, 'c' },
        { "quiet", no_argument, NULL, 'q' },
        { NULL, 0, NULL, 0 },
    };
    const char *db = NULL;
    int strict = 0, quiet = 0, create = 0, c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "q", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 's': strict = 1; break;
        case 'c': create = 1; break;
        case 'q': quiet = 1; break;
        default:
            return cd_cli_usage_error("import", "unknown option %s", argv[optind - 1]);
        }
    }
    if (!db)
        return cd_cli_usage_error("import", "--db FILE is required");
    if (optind >= argc)
        return cd_cli_usage_error("import", "name at least one case-record file to import");

    cd_error err = { 0 };
    cd_store *s = NULL;
    if (cd_store_open(db, create ? CD_STORE_CREATE : CD_STORE_WRITE, &s, &err))
        return cd_cli_fail("import", &err);
    cd_import_report rep = { 0 };
    rep.strict = strict;
    int rc = cd_import_files(s, (const char *const *)argv + optind, (size_t)(argc - optind), &rep, &err);
    for (size_t i = 0; i < rep.nwarnings; i++)
        fprintf(stderr, "courtdocs import: warning: %s\n", rep.warnings[i]);
    if (rep.warnings_total > (long)rep.nwarnings)
        fprintf(stderr, "courtdocs import: warning: ... and %ld more like these\n",
                rep.warnings_total - (long)rep.nwarnings);
    if (rc) {
        cd_import_report_free(&rep);
        cd_store_close(s);
        cd_cli_fail("import", &err);
        fprintf(stderr, "courtdocs import: nothing was imported\n");
        return rc;
    }
    long a = 0, ch = 0, rm = 0;
    for (size_t i = 0; i < rep.ncases; i++) {
        const cd_import_case_count *k = &rep.cases[i];
        if (!quiet)
            printf("%s: %ld added, %ld changed, %ld removed\n", k->ref, k->added, k->changed, k->removed);
        a += k->added;
        ch += k->changed;
        rm += k->removed;
    }
    printf("%zu case%s: %ld added, %ld changed, %ld removed\n", rep.ncases, rep.ncases == 1 ? "" : "s",
           a, ch, rm);
    cd_import_report_free(&rep);
    cd_store_close(s);
    return CD_OK;
}
