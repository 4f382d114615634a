/* cmd_demo.c -- `courtdocs demo`: writes the synthetic demo caseload
 * (src/demo.h) as case-record XML, imports it into a fresh store through the
 * ordinary importer, adds two locally written notes, and renders one
 * document of each kind for the showcase cases, so a new user (or `make
 * demo`) sees every part of the program work on realistic records.
 * With --records-only it writes just the XML (the benchmarks' generator).
 *
 * The demo store is rebuilt on every run: it is built under a temporary
 * name beside --db and renamed into place when complete. An existing --db
 * is replaced only with --force, so a real store cannot be overwritten by
 * mistake.
 */
#include "cli.h"
#include "demo.h"
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char cmd_demo_usage[] =
    "Usage: courtdocs demo [--db FILE] [--out DIR] [--cases N] [--seed N] [--force]\n"
    "       courtdocs demo --records-only FILE.xml [--cases N] [--seed N]\n"
    "                      [--as-of YYYY-MM-DD] [--order-months N] [--volume N]\n"
    "\n"
    "Builds a synthetic caseload of drug treatment orders (DTTOs and DRRs at every\n"
    "intensity, under the dtto-2004, drr-2005 and drr-2020 rule profiles) and shows\n"
    "the whole program working on it:\n"
    "  1. writes the case records as XML in the import format (DIR/demo-records.xml);\n"
    "  2. imports them into a new case store (--db), exactly as `courtdocs import`\n"
    "     would, and adds two locally written notes as `courtdocs note` would;\n"
    "  3. renders, for the showcase cases, a court review report, a PSR drug\n"
    "     assessment and a breach pack, and the caseload summary, into DIR,\n"
    "     printing the name of each file written.\n"
    "A document kind this version cannot render yet is reported as skipped.\n"
    "\n"
    "The caseload is fictional but realistic: about 1 in 5 women, mostly heroin and\n"
    "crack users, patchy records (missing ethnicity, notes missing for some\n"
    "periods), attendance from near-perfect to chaotic, refused, missed, dilute and\n"
    "positive tests, prescribed methadone and buprenorphine, warnings, breaches with\n"
    "every outcome, and every way an order ends. The first refs (DEMO/0001 to\n"
    "DEMO/0026) are fixed scenarios, one per rule; docs/demo.md says which case\n"
    "shows what. Everything is dated up to the export date, 2026-11-02 -- not today\n"
    "-- and the same seed always gives the same records, byte for byte, so the\n"
    "demo documents are the same every day. While rendering, the demo takes the\n"
    "export date as today (CD_TODAY) unless CD_TODAY is already set.\n"
    "\n"
    "Options:\n"
    "  --db FILE            the demo case store to build (default DIR/demo.db, in\n"
    "                       the --out folder). If FILE exists the demo refuses,\n"
    "                       unless --force.\n"
    "  --out DIR            where the XML and the documents go (default demo-out);\n"
    "                       created with mode 0700 if missing. Files are mode 0600.\n"
    "  --force              replace an existing --db (it is rebuilt from scratch)\n"
    "  --cases N            number of cases, 1 to 1000000 (default 72; the showcase\n"
    "                       cases need at least 7)\n"
    "  --seed N             the random seed (default 1)\n"
    "  --records-only FILE  only write the case records to FILE ('-' for standard\n"
    "                       output): no store, no documents. For benchmarks.\n"
    "  --as-of YYYY-MM-DD   the export date (default 2026-11-02)\n"
    "  --order-months N     benchmarks: make every order N months long (6 to 36)\n"
    "  --volume N           benchmarks: N times the appointments, tests and progress\n"
    "                       notes per order week (1 to 20; default 1)\n"
    "  -h, --help           this text\n"
    "\n"
    "Examples:\n"
    "  courtdocs demo                       build demo-out/ with sample documents\n"
    "  courtdocs demo --force --seed 7      a different caseload, replacing the store\n"
    "  courtdocs demo --out samples         the XML, the store and the documents in samples/\n"
    "  courtdocs demo --records-only cases.xml --cases 500\n"
    "  courtdocs import --create --db my.db demo-out/demo-records.xml\n"
    "\n"
    "Exit status: 0 done (skipped kinds included); 1 any other error; 2 usage error\n"
    "(or --db exists without --force); 3 the importer refused the records (a bug:\n"
    "please report it); 4 database error; 7 some documents failed, the others were\n"
    "written.\n";

/* Creates dir (and missing parents) with mode 0700. */
static int make_dir(const char *dir, cd_error *err)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path)
        return cd_error_set(err, CD_EUSAGE, "%s: the folder path is too long", dir);
    for (char *p = path + 1; ; p++) {
        if (*p == '/' || *p == '\0') {
            char c = *p;
            *p = '\0';
            if (mkdir(path, 0700) != 0 && errno != EEXIST)
                return cd_error_set(err, CD_EGENERAL, "%s: cannot create the folder: %s",
                                    path, strerror(errno));
            *p = c;
            if (!c) break;
        }
    }
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return cd_error_set(err, CD_EGENERAL, "%s: is not a folder", dir);
    return CD_OK;
}

static int parse_long(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi) return 0;
    *out = v;
    return 1;
}

/* Builds the store at db_path from the records file: under a temporary
 * name, renamed into place when complete. */
static int build_store(const char *db_path, const char *records, const cd_demo_params *p,
                       cd_error *err)
{
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.building", db_path) >= (int)sizeof tmp)
        return cd_error_set(err, CD_EUSAGE, "%s: the path is too long", db_path);
    unlink(tmp);
    cd_store *s = NULL;
    int rc = cd_store_open(tmp, CD_STORE_CREATE, &s, err);
    if (rc) return rc;
    cd_import_report report = {0};
    const char *paths[] = {records};
    rc = cd_import_files(s, paths, 1, &report, err);
    if (rc == CD_OK)
        printf("imported %ld records of %zu cases into %s\n", report.records, report.ncases, db_path);
    cd_import_report_free(&report);
    if (rc == CD_OK) {
        /* Two notes written locally, as `courtdocs note` would add them,
         * each by the officer of its case (who signs what the court reads). */
        char day[11];
        cd_date_format_iso(p->as_of - 1, day);
        rc = cd_note_add(s, "DEMO/0001", "supervisor-assessment", cd_demo_case_officer(p, 1), day,
                         "Seen today: settled in the hostel & keen to start the reduction plan.", err);
        if (rc == CD_OK)
            rc = cd_note_add(s, "DEMO/0002", "breach-statement", cd_demo_case_officer(p, 2), day,
                             "A further unacceptable failure within 12 months of the warning is "
                             "confirmed; breach action will be initiated.", err);
        if (rc == CD_ENOTFOUND) rc = CD_OK;   /* fewer cases than the showcase needs */
    }
    cd_store_close(s);
    if (rc == CD_OK) {
        /* No journal of a store this one replaces may survive beside it. */
        char side[4200];
        snprintf(side, sizeof side, "%s-wal", db_path);
        unlink(side);
        snprintf(side, sizeof side, "%s-shm", db_path);
        unlink(side);
    }
    if (rc == CD_OK && rename(tmp, db_path) != 0)
        rc = cd_error_set(err, CD_EGENERAL, "%s: cannot rename the new store into place: %s",
                          db_path, strerror(errno));
    if (rc != CD_OK) unlink(tmp);
    else chmod(db_path, 0600);
    return rc;
}

static const char *kind_word(cd_doc_kind k)
{
    return k == CD_DOC_REVIEW ? "review" : k == CD_DOC_PSR ? "psr"
         : k == CD_DOC_BREACH ? "breach" : "summary";
}

/* Renders one document; returns 1 written, 0 skipped, -1 failed. */
static int render_one(cd_store *s, cd_doc_kind kind, const char *ref, const char *date,
                      const char *out_dir)
{
    char name[64], path[4200];
    if (ref) {
        char safe[32];
        snprintf(safe, sizeof safe, "%s", ref);
        for (char *c = safe; *c; c++) if (*c == '/') *c = '-';
        snprintf(name, sizeof name, "%s-%s.pdf", kind_word(kind), safe);
    } else {
        snprintf(name, sizeof name, "%s.pdf", kind_word(kind));
    }
    snprintf(path, sizeof path, "%s/%s", out_dir, name);
    cd_render_opts o;
    memset(&o, 0, sizeof o);
    o.date = date;
    o.attach_psr = kind == CD_DOC_REVIEW;
    o.warnings = NULL;
    cd_error err = {0};
    int rc = cd_render(s, kind, ref ? ref : "", &o, path, &err);
    if (rc == CD_OK) {
        printf("wrote %s (%d page%s)\n", path, o.pages, o.pages == 1 ? "" : "s");
        return 1;
    }
    if (rc == CD_EREFUSED) {          /* e.g. a breach pack the rules do not call for */
        printf("skipped %s%s%s: %s\n", kind_word(kind), ref ? " for " : "", ref ? ref : "", err.message);
        return 0;
    }
    fprintf(stderr, "courtdocs demo: %s%s%s: %s\n", kind_word(kind), ref ? " for " : "",
            ref ? ref : "", err.message);
    return -1;
}

static int render_showcase(const char *db_path, const char *out_dir, const cd_demo_params *p)
{
    cd_store *s = NULL;
    cd_error err = {0};
    if (cd_store_open(db_path, CD_STORE_READONLY, &s, &err)) return cd_cli_fail("demo", &err);
    char date[11];
    cd_date_format_iso(p->as_of, date);
    size_t n;
    const cd_demo_showcase *show = cd_demo_showcases(&n);
    static const cd_doc_kind kinds[] = {CD_DOC_REVIEW, CD_DOC_PSR, CD_DOC_BREACH};
    static const int bits[] = {CD_DEMO_SHOW_REVIEW, CD_DEMO_SHOW_PSR, CD_DEMO_SHOW_BREACH};
    int written = 0, failed = 0;
    for (size_t i = 0; i < n; i++) {
        if (strtol(show[i].ref + 5, NULL, 10) > p->cases) continue;   /* "DEMO/0001" */
        for (size_t k = 0; k < 3; k++) {
            if (!(show[i].documents & bits[k])) continue;
            int r = render_one(s, kinds[k], show[i].ref, date, out_dir);
            written += r > 0;
            failed += r < 0;
        }
    }
    int r = render_one(s, CD_DOC_SUMMARY, NULL, date, out_dir);
    written += r > 0;
    failed += r < 0;
    cd_store_close(s);
    cd_render_release();
    printf("%d document%s written to %s%s\n", written, written == 1 ? "" : "s", out_dir,
           failed ? "; some failed (see above)" : "");
    return failed ? CD_EPARTIAL : CD_OK;
}

int cmd_demo(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},
        {"out", required_argument, NULL, 'o'},
        {"cases", required_argument, NULL, 'n'},
        {"seed", required_argument, NULL, 's'},
        {"records-only", required_argument, NULL, 'r'},
        {"as-of", required_argument, NULL, 'a'},
        {"order-months", required_argument, NULL, 'm'},
        {"volume", required_argument, NULL, 'v'},
        {"force", no_argument, NULL, 'f'},
        {NULL, 0, NULL, 0}
    };
    cd_demo_params p;
    cd_demo_params_default(&p);
    const char *db = NULL, *out_dir = "demo-out", *records_only = NULL;
    int force = 0;
    long v;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'o': out_dir = optarg; break;
        case 'r': records_only = optarg; break;
        case 'f': force = 1; break;
        case 'n':
            if (!parse_long(optarg, 1, CD_DEMO_MAX_CASES, &v))
                return cd_cli_usage_error("demo", "--cases takes a whole number from 1 to %d", CD_DEMO_MAX_CASES);
            p.cases = v;
            break;
        case 's': {
            char *end;
            errno = 0;
            unsigned long long seed = strtoull(optarg, &end, 10);
            if (errno || end == optarg || *end || optarg[0] == '-')
                return cd_cli_usage_error("demo", "--seed takes a whole number of 0 or more");
            p.seed = seed;
            break;
        }
        case 'a':
            if (!cd_date_parse(optarg, &p.as_of))
                return cd_cli_usage_error("demo", "--as-of takes a date as YYYY-MM-DD");
            break;
        case 'm':
            if (!parse_long(optarg, 6, 36, &v))
                return cd_cli_usage_error("demo", "--order-months takes a number of months from 6 to 36");
            p.order_months = (int)v;
            break;
        case 'v':
            if (!parse_long(optarg, 1, CD_DEMO_MAX_VOLUME, &v))
                return cd_cli_usage_error("demo", "--volume takes a whole number from 1 to %d", CD_DEMO_MAX_VOLUME);
            p.volume = (int)v;
            break;
        default:
            if (optopt)
                return cd_cli_usage_error("demo", "option -%c is not known or needs a value", optopt);
            return cd_cli_usage_error("demo", "option '%s' is not known or needs a value", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cd_cli_usage_error("demo", "unexpected argument '%s'", argv[optind]);

    cd_error err = {0};
    if (records_only) {
        int rc = strcmp(records_only, "-") == 0 ? cd_demo_write_records(stdout, &p, &err)
                                                : cd_demo_write_records_file(records_only, &p, &err);
        return rc ? cd_cli_fail("demo", &err) : CD_OK;
    }

    char db_in_out[4096];
    if (!db) {                        /* the store lives with the documents */
        if (snprintf(db_in_out, sizeof db_in_out, "%s/demo.db", out_dir) >= (int)sizeof db_in_out)
            return cd_cli_usage_error("demo", "--out: the folder path is too long");
        db = db_in_out;
    }
    struct stat st;
    if (!force && stat(db, &st) == 0)
        return cd_cli_usage_error("demo", "%s already exists; the demo builds a new store: "
                                  "give --force to replace it, or another --db", db);
    if (make_dir(out_dir, &err)) return cd_cli_fail("demo", &err);
    const char *slash = strrchr(db, '/');
    if (slash && slash != db) {
        char parent[4096];
        snprintf(parent, sizeof parent, "%.*s", (int)(slash - db), db);
        if (make_dir(parent, &err)) return cd_cli_fail("demo", &err);
    }
    char records[4200];
    snprintf(records, sizeof records, "%s/demo-records.xml", out_dir);
    if (cd_demo_write_records_file(records, &p, &err)) return cd_cli_fail("demo", &err);
    printf("wrote %s (%ld cases)\n", records, p.cases);

    if (build_store(db, records, &p, &err)) return cd_cli_fail("demo", &err);
    char today[11];
    cd_date_format_iso(p.as_of, today);
    setenv("CD_TODAY", today, 0);
    return render_showcase(db, out_dir, &p);
}
