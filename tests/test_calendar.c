/* test_calendar.c -- the England and Wales court calendar (src/calendar.h)
 * against dates worked out by hand from the published bank holiday lists:
 * Easter by the computus, substitute days at New Year and Christmas, the
 * one-off days since 1999 and the regular holidays they moved, and
 * working-day counts across them. Weekdays used: 1 Jan 2026 is a Thursday;
 * 25 Dec 2026 a Friday; 25 Dec 2027 a Saturday.
 */
#include "testutil.h"
#include "calendar.h"

static cd_date D(const char *s)
{
    cd_date d = CD_DATE_NONE;
    ck_assert_msg(cd_date_parse(s, &d), "bad test date %s", s);
    return d;
}

static bool holiday(const char *s)
{
    return cd_cal_bank_holiday(D(s)) != NULL;
}

/* Easter Sunday by the Gregorian computus, against published dates. */
START_TEST(easter_dates)
{
    ck_assert_int_eq(cd_cal_easter(2000), D("2000-04-23"));
    ck_assert_int_eq(cd_cal_easter(2019), D("2019-04-21"));
    ck_assert_int_eq(cd_cal_easter(2024), D("2024-03-31"));
    ck_assert_int_eq(cd_cal_easter(2025), D("2025-04-20"));
    ck_assert_int_eq(cd_cal_easter(2026), D("2026-04-05"));
    ck_assert_int_eq(cd_cal_easter(2027), D("2027-03-28"));
    ck_assert_int_eq(cd_cal_easter(2038), D("2038-04-25"));
}
END_TEST

/* 2026: Easter Sunday 5 April, so Good Friday is Friday 3 April and Easter
 * Monday is Monday 6 April; Thursday 2 and Tuesday 7 April are sitting
 * days. Early May: Friday 1 May, so Monday 4 May; spring: last Monday of
 * May, 25 May; summer: last Monday of August, 31 August. */
START_TEST(easter_and_may_2026)
{
    ck_assert_str_eq(cd_cal_bank_holiday(D("2026-04-03")), "Good Friday");
    ck_assert_str_eq(cd_cal_bank_holiday(D("2026-04-06")), "Easter Monday");
    ck_assert(cd_cal_is_sitting_day(D("2026-04-02")));
    ck_assert(!cd_cal_is_sitting_day(D("2026-04-03")));
    ck_assert(!cd_cal_is_sitting_day(D("2026-04-04")));   /* Saturday */
    ck_assert(!cd_cal_is_sitting_day(D("2026-04-06")));
    ck_assert(cd_cal_is_sitting_day(D("2026-04-07")));
    ck_assert_str_eq(cd_cal_bank_holiday(D("2026-05-04")), "Early May bank holiday");
    ck_assert_str_eq(cd_cal_bank_holiday(D("2026-05-25")), "Spring bank holiday");
    ck_assert_str_eq(cd_cal_bank_holiday(D("2026-08-31")), "Summer bank holiday");
    ck_assert(!holiday("2026-05-11"));
    ck_assert(!holiday("2026-08-24"));
    /* Thursday 2 April + 1 working day: Fri 3 and Mon 6 are holidays, so
     * Tuesday 7 April; and (2 April, 7 April] holds 1 working day. */
    ck_assert_int_eq(cd_cal_add_working_days(D("2026-04-02"), 1), D("2026-04-07"));
    ck_assert_int_eq(cd_cal_working_days_between(D("2026-04-02"), D("2026-04-07")), 1);
}
END_TEST

/* Christmas 2026: Friday 25 December; Boxing Day falls on Saturday 26, so
 * its substitute is Monday 28. Christmas 2027: Saturday 25 and Sunday 26,
 * so Monday 27 and Tuesday 28 December are the substitutes. Christmas 2022
 * (Sunday 25): Boxing Day Monday 26, Christmas substitute Tuesday 27. New
 * Year 2022 (Saturday): Monday 3 January; 2023 (Sunday): Monday 2 January. */
START_TEST(christmas_and_new_year_substitutes)
{
    ck_assert_str_eq(cd_cal_bank_holiday(D("2026-12-25")), "Christmas Day");
    ck_assert(!cd_cal_is_sitting_day(D("2026-12-26")));
    ck_assert_str_eq(cd_cal_bank_holiday(D("2026-12-28")), "Boxing Day (substitute day)");
    ck_assert(cd_cal_is_sitting_day(D("2026-12-24")));
    ck_assert(cd_cal_is_sitting_day(D("2026-12-29")));
    ck_assert(!holiday("2026-12-27"));                     /* a Sunday, not a holiday */

    ck_assert(!holiday("2027-12-25"));                     /* Saturday: kept on Monday */
    ck_assert_str_eq(cd_cal_bank_holiday(D("2027-12-27")), "Christmas Day (substitute day)");
    ck_assert_str_eq(cd_cal_bank_holiday(D("2027-12-28")), "Boxing Day (substitute day)");
    ck_assert(cd_cal_is_sitting_day(D("2027-12-29")));
    ck_assert(cd_cal_is_sitting_day(D("2027-12-24")));

    ck_assert_str_eq(cd_cal_bank_holiday(D("2022-12-26")), "Boxing Day");
    ck_assert_str_eq(cd_cal_bank_holiday(D("2022-12-27")), "Christmas Day (substitute day)");
    ck_assert_str_eq(cd_cal_bank_holiday(D("2022-01-03")), "New Year's Day (substitute day)");
    ck_assert_str_eq(cd_cal_bank_holiday(D("2023-01-02")), "New Year's Day (substitute day)");
    ck_assert_str_eq(cd_cal_bank_holiday(D("2027-01-01")), "New Year's Day");
    ck_assert(!holiday("2027-01-04"));                     /* 1 Jan 2027 is a Friday */

    /* first sitting day on or after Saturday 26 December 2026: Tuesday 29 */
    ck_assert_int_eq(cd_cal_sitting_on_or_after(D("2026-12-26")), D("2026-12-29"));
    ck_assert_int_eq(cd_cal_sitting_on_or_after(D("2026-12-29")), D("2026-12-29"));
    /* Friday 18 December 2026 + 10 working days: 21, 22, 23, 24 (4), not 25
     * or 28, 29, 30, 31 (7), not 1 January, 4, 5, 6 (10): Wednesday 6
     * January 2027. (Monday to Friday alone would give Friday 1 January.) */
    ck_assert_int_eq(cd_cal_add_working_days(D("2026-12-18"), 10), D("2027-01-06"));
    ck_assert_int_eq(cd_cal_working_days_between(D("2026-12-18"), D("2027-01-06")), 10);
    ck_assert_int_eq(cd_cal_add_working_days(D("2026-12-18"), 0), D("2026-12-18"));
}
END_TEST

/* The one-off days since 1999 and the regular holidays they moved:
 * 2002 Golden Jubilee Mon 3 June and the spring holiday moved from Mon 27
 * May to Tue 4 June; Royal Wedding Fri 29 April 2011; 2012 spring holiday
 * moved from Mon 28 May to Mon 4 June, Diamond Jubilee Tue 5 June; 2020
 * early May holiday moved from Mon 4 May to Fri 8 May (VE Day); 2022 spring
 * holiday moved from Mon 30 May to Thu 2 June, Platinum Jubilee Fri 3
 * June, State Funeral Mon 19 September; Coronation Mon 8 May 2023 (the
 * early May holiday of Mon 1 May 2023 still stands). */
START_TEST(one_off_days)
{
    ck_assert(holiday("1999-12-31"));
    ck_assert(holiday("2000-01-03"));                      /* 1 Jan 2000 a Saturday */
    ck_assert(holiday("2002-06-03"));
    ck_assert(holiday("2002-06-04"));
    ck_assert(!holiday("2002-05-27"));
    ck_assert(cd_cal_is_sitting_day(D("2002-05-27")));
    ck_assert(holiday("2002-05-06"));                      /* early May 2002, unchanged */
    ck_assert(holiday("2011-04-29"));
    ck_assert(holiday("2012-06-04"));
    ck_assert(holiday("2012-06-05"));
    ck_assert(!holiday("2012-05-28"));
    ck_assert(holiday("2020-05-08"));
    ck_assert(!holiday("2020-05-04"));
    ck_assert(cd_cal_is_sitting_day(D("2020-05-04")));
    ck_assert(holiday("2020-05-25"));                      /* spring 2020, unchanged */
    ck_assert(holiday("2022-06-02"));
    ck_assert(holiday("2022-06-03"));
    ck_assert(!holiday("2022-05-30"));
    ck_assert(holiday("2022-09-19"));
    ck_assert(holiday("2023-05-01"));
    ck_assert(holiday("2023-05-08"));
    ck_assert(holiday("2023-05-29"));
    ck_assert(!holiday("2023-05-15"));
    /* Friday 1 June 2012 + 1 working day: Mon 4 and Tue 5 June are holidays,
     * so Wednesday 6 June. */
    ck_assert_int_eq(cd_cal_add_working_days(D("2012-06-01"), 1), D("2012-06-06"));
}
END_TEST

Suite *calendar_suite(void)
{
    Suite *s = suite_create("calendar");
    TCase *t = tcase_create("bank holidays");
    tcase_add_test(t, easter_dates);
    tcase_add_test(t, easter_and_may_2026);
    tcase_add_test(t, christmas_and_new_year_substitutes);
    tcase_add_test(t, one_off_days);
    suite_add_tcase(s, t);
    return s;
}
