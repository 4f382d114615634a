/* calendar.c -- England and Wales sitting days: the bank holidays computed
 * from their rules (New Year's Day, Good Friday, Easter Monday, the early
 * May, spring and summer bank holidays, Christmas Day and Boxing Day, with
 * substitute weekdays) and a table of one-off changes proclaimed since 1999
 * (royal occasions, and the regular holidays moved to make room for them),
 * and working-day arithmetic on that calendar. The regular rules are those
 * in force since 1978 (early May bank holiday); earlier years are computed
 * by the same rules. See calendar.h and docs/rules.md section 11.
 */
#include "calendar.h"
#include <stddef.h>

/* One-off changes to the regular rules: a day added as a bank holiday
 * (name set) or a regular holiday moved away from its usual day (name
 * NULL: the day is an ordinary working day that year). */
typedef struct { int y, m, d; const char *name; } one_off;

static const one_off ONE_OFFS[] = {
    { 1999, 12, 31, "Millennium Day" },
    { 2002, 5, 27, NULL },                          /* spring holiday moved to 4 June */
    { 2002, 6, 3, "Golden Jubilee" },
    { 2002, 6, 4, "Spring bank holiday (moved)" },
    { 2011, 4, 29, "Royal Wedding" },
    { 2012, 5, 28, NULL },                          /* spring holiday moved to 4 June */
    { 2012, 6, 4, "Spring bank holiday (moved)" },
    { 2012, 6, 5, "Diamond Jubilee" },
    { 2020, 5, 4, NULL },                           /* early May holiday moved to 8 May */
    { 2020, 5, 8, "Early May bank holiday (VE Day)" },
    { 2022, 5, 30, NULL },                          /* spring holiday moved to 2 June */
    { 2022, 6, 2, "Spring bank holiday (moved)" },
    { 2022, 6, 3, "Platinum Jubilee" },
    { 2022, 9, 19, "State Funeral of Queen Elizabeth II" },
    { 2023, 5, 8, "Coronation of King Charles III" },
};
#define NONE_OFFS (sizeof ONE_OFFS / sizeof ONE_OFFS[0])

cd_date cd_cal_easter(int y)
{
    /* Anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
    int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4;
    int f = (b + 8) / 25, g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30;
    int i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
    int m = (a + 11 * h + 22 * l) / 451;
    int month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1;
    return cd_date_from_ymd(y, month, day);
}

/* The first Monday of month m of year y. */
static cd_date first_monday(int y, int m)
{
    cd_date d = cd_date_from_ymd(y, m, 1);
    return d + (7 - cd_date_weekday(d)) % 7;
}

/* The last Monday of month m of year y. */
static cd_date last_monday(int y, int m)
{
    cd_date d = cd_date_from_ymd(y, m, cd_days_in_month(y, m));
    return d - cd_date_weekday(d);
}

/* The regular holiday on d by rule (NULL when none), before one-off changes. */
static const char *regular_holiday(cd_date d, int y, int m, int day)
{
    int wd = cd_date_weekday(d);
    if (wd >= 5)
        return NULL;
    /* New Year's Day, or the Monday after when it falls on a weekend. */
    if (m == 1 && day == 1)
        return "New Year's Day";
    if (m == 1 && wd == 0 && (day == 2 || day == 3))
        return "New Year's Day (substitute day)";
    cd_date easter = cd_cal_easter(y);
    if (d == easter - 2)
        return "Good Friday";
    if (d == easter + 1)
        return "Easter Monday";
    if (d == first_monday(y, 5))
        return "Early May bank holiday";
    if (d == last_monday(y, 5))
        return "Spring bank holiday";
    if (d == last_monday(y, 8))
        return "Summer bank holiday";
    if (m == 12) {
        int xmas_wd = cd_date_weekday(cd_date_from_ymd(y, 12, 25));
        if (day == 25)
            return "Christmas Day";
        if (day == 26)
            return "Boxing Day";
        /* 25th Saturday: Mon 27 and Tue 28 stand in for both days.
         * 25th Sunday: Boxing Day is Monday 26, Christmas moves to Tue 27.
         * 25th Friday: Boxing Day (Saturday) moves to Monday 28. */
        if (xmas_wd == 5 && day == 27)
            return "Christmas Day (substitute day)";
        if (xmas_wd == 5 && day == 28)
            return "Boxing Day (substitute day)";
        if (xmas_wd == 6 && day == 27)
            return "Christmas Day (substitute day)";
        if (xmas_wd == 4 && day == 28)
            return "Boxing Day (substitute day)";
    }
    return NULL;
}

const char *cd_cal_bank_holiday(cd_date d)
{
    if (d == CD_DATE_NONE)
        return NULL;
    int y, m, day;
    cd_date_to_ymd(d, &y, &m, &day);
    for (size_t i = 0; i < NONE_OFFS; i++)
        if (ONE_OFFS[i].y == y && ONE_OFFS[i].m == m && ONE_OFFS[i].d == day)
            return ONE_OFFS[i].name;
    return regular_holiday(d, y, m, day);
}

bool cd_cal_is_sitting_day(cd_date d)
{
    return d != CD_DATE_NONE && cd_date_weekday(d) < 5 && !cd_cal_bank_holiday(d);
}

cd_date cd_cal_sitting_on_or_after(cd_date d)
{
    if (d == CD_DATE_NONE)
        return d;
    while (!cd_cal_is_sitting_day(d))
        d++;
    return d;
}

cd_date cd_cal_add_working_days(cd_date d, int n)
{
    if (d == CD_DATE_NONE)
        return d;
    while (n > 0) {
        d++;
        if (cd_cal_is_sitting_day(d))
            n--;
    }
    return d;
}

int cd_cal_working_days_between(cd_date a, cd_date b)
{
    int n = 0;
    if (a == CD_DATE_NONE || b == CD_DATE_NONE)
        return 0;
    for (cd_date d = a + 1; d <= b; d++)
        n += cd_cal_is_sitting_day(d);
    return n;
}
