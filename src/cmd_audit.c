/* cmd_audit.c -- `courtdocs audit`: lists every document courtdocs has
 * produced from a case store: when, by which OS user, for which case, what
 * kind, the sha256 of the file and where it was written. */
#include "cli.h"
#include "store.h"
#include <getopt.h>
#include <stdio.h>

const char cmd_audit_usage[] =
    "Usage: courtdocs audit --db FILE [--csv | --verify]\n"
    "\n"
    "Lists the audit of documents produced from the case store, oldest first:\n"
    "the time (UTC), the operating-system user who produced it, the case ref\n"
    "(empty for a caseload summary), the kind (review, psr, breach, summary),\n"
    "the sha256 of the file as written, and its path. Every document the\n"
    "review, psr, breach, summary and batch commands write is recorded before\n"
    "the file appears (written whole to a temporary file, recorded, then\n"
    "renamed into place), so no document exists without its row; a document\n"
    "that could not be recorded is removed, never left unaccounted for.\n"
    "\n"
    "--verify checks the files against the audit: for every path the latest\n"
    "row must match the file there (sha256). It reports each row whose file is\n"
    "missing (a run killed between recording and renaming, or a file moved or\n"
    "deleted since) or differs (changed since, or an earlier document still in\n"
    "place), and exits 1 when there is any.\n"
    "\n"
    "Options:\n"
    "  --db FILE     the case store (opened read-only)\n"
    "  --csv         comma-separated values with a header line\n"
    "  --verify      check every recorded file is there, unchanged\n"
    "  -h, --help    this text\n"
    "\n"
    "Example:\n"
    "  courtdocs audit --db area.db --csv > audit.csv\n"
    "\n"
    "Exit status: 0 listed (or, with --verify, every file as recorded); 1 --verify\n"
    "found a missing or changed file, or any other error; 2 usage error; 4 the\n"
    "store cannot be read.\n";

int cmd_audit(int argc, char **argv)
{
    static const struct option opts[] = {
        { "db", required_argument, NULL, 'd' }, { "csv", no_argument, NULL, 'c' },
        { "verify", no_argument, NULL, 'v' }, { NULL, 0, NULL, 0 },
    };
    const char *db = NULL;
    int csv = 0, verify = 0, c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'd')
            db = optarg;
        else if (c == 'c')
            csv = 1;
        else if (c == 'v')
            verify = 1;
        else
            return cd_cli_usage_error("audit", "unknown option or missing value: %s", argv[optind - 1]);
    }
    if (optind < argc)
        return cd_cli_usage_error("audit", "unexpected argument \"%s\"", argv[optind]);
    if (!db)
        return cd_cli_usage_error("audit", "--db FILE is required");
    cd_error err = { 0 };
    cd_store *s = NULL;
    int rc = cd_store_open(db, CD_STORE_READONLY, &s, &err);
    long problems = 0;
    if (!rc)
        rc = verify ? cd_store_audit_verify(s, stdout, &problems, &err)
                    : cd_store_audit_list(s, stdout, csv, &err);
    cd_store_close(s);
    if (rc)
        return cd_cli_fail("audit", &err);
    return problems ? CD_EGENERAL : CD_OK;
}
