/* cmd_cases.c -- `courtdocs cases`: lists the cases in the store with their
 * order, the week of the order and the next review, or only those whose
 * review falls in a given month. Figures come from the rules module. */
#include "cli.h"
#include "rules.h"
#include "store.h"
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

/* Parses "YYYY-MM" into the month's first and last day. */
static int parse_month(const char *s, cd_date *first, cd_date *last)
{
    char buf[16];
    if (strlen(s) != 7 || s[4] != '-')
        return 0;
    snprintf(buf, sizeof buf, "%s-01", s);
    if (!cd_date_parse(buf, first))
        return 0;
    *last = cd_date_add_months(*first, 1) - 1;
    return 1;
}

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
    cd_date today = cd_date_today(), first = CD_DATE_NONE, last = CD_DATE_NONE;
    if (date && !cd_date_parse(date, &today))
        return cd_cli_usage_error("cases", "--date \"%s\" is not a real date (YYYY-MM-DD)", date);
    if (due && !parse_month(due, &first, &last))
        return cd_cli_usage_error("cases", "--due \"%s\" is not a month (YYYY-MM)", due);

    cd_error err = { 0 };
    cd_store *s = NULL;
    char **refs = NULL;
    size_t n = 0, shown = 0;
    int rc = cd_store_open(db, CD_STORE_READONLY, &s, &err);
    if (!rc)
        rc = cd_store_snapshot_begin(s, &err);
    if (!rc)
        rc = cd_store_case_refs(s, &refs, &n, &err);
    if (rc) {
        cd_store_close(s);
        return cd_cli_fail("cases", &err);
    }
    if (csv)
        puts("case_ref,name,order,week,next_review");
    else
        printf("%-20s  %-28s  %-10s  %-14s  %s\n", "CASE", "NAME", "ORDER", "WEEK", "NEXT REVIEW");
    for (size_t i = 0; i < n && !rc; i++) {
        cd_case *k = NULL;
        if ((rc = cd_store_load_case(s, refs[i], &k, &err)))
            break;
        const cd_order *o = &k->order;
        char order[40] = "no order", week[40] = "no order", next[11] = "";
        cd_date nx = CD_DATE_NONE;
        if (o->present) {
            snprintf(order, sizeof order, "%s %s", cd_enum_name(CD_ENUM_ORDER_TYPE, (int)o->type),
                     cd_enum_name(CD_ENUM_INTENSITY, (int)o->intensity));
            cd_date end = cd_order_end(o);
            if (o->ended != CD_DATE_NONE && o->ended <= (due ? first : today))
                snprintf(week, sizeof week, "ended");
            else if (today < o->made)
                snprintf(week, sizeof week, "not started");
            else if (today > end)
                snprintf(week, sizeof week, "ended");
            else
                snprintf(week, sizeof week, "week %d of %d", cd_order_week(o, today), cd_order_total_weeks(o));
            nx = due ? cd_rules_review_due_in(k, first, last) : cd_rules_next_review(k, today);
            cd_date_format_iso(nx, next);
        }
        if (!due || nx != CD_DATE_NONE) {
            const char *name = cd_person_full_name(k);
            if (csv) {
                const char *f[] = { k->ref, name, order, week, next };
                for (int j = 0; j < 5; j++) {
                    if (j)
                        putchar(',');
                    cd_csv_field(stdout, f[j]);
                }
                putchar('\n');
            } else {
                put_padded(k->ref, 20);
                fputs("  ", stdout);
                put_padded(name, 28);
                printf("  %-10s  %-14s  %s\n", order, week, next[0] ? next : "none");
            }
            shown++;
        }
        cd_case_free(k);
    }
    cd_store_free_refs(refs, n);
    cd_store_close(s);
    if (rc)
        return cd_cli_fail("cases", &err);
    if (!csv)
        printf("%zu case%s%s%s\n", shown, shown == 1 ? "" : "s", due ? " with a review due in " : "",
               due ? due : "");
    return CD_OK;
}
