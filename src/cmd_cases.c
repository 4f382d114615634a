/* cmd_cases.c -- `courtdocs cases`: lists the cases in the store with their
 * order, the week of the order and the next review, or only those whose
 * review falls in a given month. The figures come from the public planning
 * call cd_case_statuses (plan.c, which asks the rules); this file only
 * parses the options and prints. */
#include "cli.h"
#include "model.h"
#include "strbuf.h"
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char cmd_cases_usage[] =
    "Usage: courtdocs cases --db FILE [--due YYYY-MM] [--date YYYY-MM-DD] [--csv]\n"
    "\n"
    "Lists the cases in the case store, one line each: case ref, name, order\n"
    "(type and intensity), the week of the order (\"week 12 of 52\", \"ended\" or\n"
    "\"no order\") and the date of the next review (from the order's review\n"
    "schedule and the date the court fixed at the last review).\n"
    "\n"
    "With --due, only the cases whose next review falls in that month: the\n"
    "reviews to prepare (the same rule `courtdocs batch` uses).\n"
    "\n"
    "Options:\n"
    "  --db FILE       the case store (opened read-only)\n"
    "  --due YYYY-MM   only cases with a review due in this month\n"
    "  --date D        the date the weeks and next reviews are counted from\n"
    "                  (default today)\n"
    "  --csv           comma-separated values with a header line, for spreadsheets\n"
    "  -h, --help      this text\n"
    "\n"
    "Example:\n"
    "  courtdocs cases --db area.db --due 2026-12\n"
    "\n"
    "Exit status: 0 listed (even if none); 2 usage error; 4 the store cannot be\n"
    "read; 1 any other error.\n";

/* Prints s left-aligned in width columns, counting characters, not bytes
 * (names are UTF-8). */
static void put_padded(const char *s, int width)
{
    int chars = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        chars += (*p & 0xc0) != 0x80;
    fputs(s, stdout);
    for (; chars < width; chars++)
        putchar(' ');
}

/* How the listing prints, and how many cases it has shown. */
typedef struct {
    int csv;
    size_t shown;
} case_lines;

/* Prints one case: ref, name, order (type and intensity), week of the
 * order and next review, as a padded line or as CSV. */
static int print_case(void *ctx, const cd_case_status *st, cd_error *err)
{
    (void)err;
    case_lines *l = ctx;
    char order[64] = "no order", week[64] = "no order";
    if (st->order_type) {
        snprintf(order, sizeof order, "%s %s", st->order_type, st->intensity);
        switch (st->state) {
        case CD_ORDER_STATE_NOT_STARTED: snprintf(week, sizeof week, "not started"); break;
        case CD_ORDER_STATE_RUNNING:
            snprintf(week, sizeof week, "week %d of %d", st->week, st->total_weeks);
            break;
        default: snprintf(week, sizeof week, "ended"); break;
        }
    }
    if (l->csv) {
        const char *f[] = { st->case_ref, st->name, order, week, st->next_review };
        for (int j = 0; j < 5; j++) {
            if (j)
                putchar(',');
            cd_csv_field(stdout, f[j]);
        }
        putchar('\n');
    } else {
        put_padded(st->case_ref, 20);
        fputs("  ", stdout);
        put_padded(st->name, 28);
        printf("  %-10s  %-14s  %s\n", order, week, st->next_review[0] ? st->next_review : "none");
    }
    l->shown++;
    return CD_OK;
}

int cmd_cases(int argc, char **argv)
{
    static const struct option opts[] = {
        { "db", required_argument, NULL, 'd' }, { "due", required_argument, NULL, 'u' },
        { "date", required_argument, NULL, 't' }, { "csv", no_argument, NULL, 'c' },
        { NULL, 0, NULL, 0 },
    };
    const char *db = NULL, *due = NULL, *date = NULL;
    int csv = 0, c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'u': due = optarg; break;
        case 't': date = optarg; break;
        case 'c': csv = 1; break;
        default: return cd_cli_usage_error("cases", "unknown option or missing value: %s", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cd_cli_usage_error("cases", "unexpected argument \"%s\"", argv[optind]);
    if (!db)
        return cd_cli_usage_error("cases", "--db FILE is required");
    cd_date d, first, last;
    if (date && !cd_date_parse(date, &d))
        return cd_cli_usage_error("cases", "--date \"%s\" is not a real date (YYYY-MM-DD)", date);
    if (due && !cd_month_parse(due, &first, &last))
        return cd_cli_usage_error("cases", "--due \"%s\" is not a month (YYYY-MM)", due);

    cd_error err = { 0 };
    cd_store *s = NULL;
    int rc = cd_store_open(db, CD_STORE_READONLY, &s, &err);
    if (rc) {
        cd_store_close(s);
        return cd_cli_fail("cases", &err);
    }
    if (csv)
        puts("case_ref,name,order,week,next_review");
    else
        printf("%-20s  %-28s  %-10s  %-14s  %s\n", "CASE", "NAME", "ORDER", "WEEK", "NEXT REVIEW");
    case_lines lines = { csv, 0 };
    rc = cd_case_statuses(s, date, due, print_case, &lines, &err);
    cd_store_close(s);
    if (rc)
        return cd_cli_fail("cases", &err);
    if (!csv)
        printf("%zu case%s%s%s\n", lines.shown, lines.shown == 1 ? "" : "s", due ? " with a review due in " : "",
               due ? due : "");
    return CD_OK;
}
