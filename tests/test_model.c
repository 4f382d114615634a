/* test_model.c -- calendar dates and enumeration tables of the case model. */
#include "testutil.h"
#include "calendar.h"
#include "model.h"
#include <string.h>

START_TEST(date_round_trip)
{
    cd_date d;
    ck_assert(cd_date_parse("2026-06-03", &d));
    char iso[11];
    cd_date_format_iso(d, iso);
    ck_assert_str_eq(iso, "2026-06-03");
    char longf[32];
    cd_date_format_long(d, longf, sizeof longf);
    ck_assert_str_eq(longf, "3 June 2026");
    ck_assert_int_eq(cd_date_weekday(d), 2);      /* Wednesday */
    ck_assert_int_eq(cd_date_from_ymd(1970, 1, 1), 0);
    ck_assert_int_eq(cd_date_from_ymd(2000, 3, 1) - cd_date_from_ymd(2000, 2, 28), 2);
}
END_TEST

START_TEST(date_rejects_impossible)
{
    cd_date d;
    ck_assert(!cd_date_parse("2026-02-30", &d));
    ck_assert(!cd_date_parse("2026-13-01", &d));
    ck_assert(!cd_date_parse("2026-6-3", &d));
    ck_assert(!cd_date_parse("2026-06-03x", &d));
    ck_assert(cd_date_parse("2024-02-29", &d));
    ck_assert(!cd_date_parse("2023-02-29", &d));
}
END_TEST

START_TEST(months_and_working_days)
{
    cd_date d = cd_date_from_ymd(2026, 1, 31);
    ck_assert_int_eq(cd_date_add_months(d, 1), cd_date_from_ymd(2026, 2, 28));
    ck_assert_int_eq(cd_date_add_months(d, -2), cd_date_from_ymd(2025, 11, 30));
    cd_date fri = cd_date_from_ymd(2026, 11, 20);
    ck_assert_int_eq(cd_cal_add_working_days(fri, 1), cd_date_from_ymd(2026, 11, 23));
    ck_assert_int_eq(cd_cal_add_working_days(fri, 10), cd_date_from_ymd(2026, 12, 4));
    ck_assert_int_eq(cd_cal_working_days_between(fri, cd_date_from_ymd(2026, 11, 23)), 1);
}
END_TEST

START_TEST(enum_tables)
{
    ck_assert_int_eq(cd_enum_parse(CD_ENUM_APPT_OUTCOME, "absent-unacceptable"), CD_OUT_ABSENT_UNACCEPTABLE);
    ck_assert_int_eq(cd_enum_parse(CD_ENUM_APPT_OUTCOME, "absent"), -1);
    ck_assert_int_eq(cd_enum_parse(CD_ENUM_ACCOMMODATION, ""), -1);
    ck_assert_str_eq(cd_enum_name(CD_ENUM_TEST_STATUS, CD_TEST_ADMITTED), "admitted");
    ck_assert_str_eq(cd_enum_name(CD_ENUM_SUBSTANCE, 99), "");
    ck_assert_str_eq(cd_enum_label(CD_ENUM_SUBSTANCE, CD_SUB_COCAINE), "cocaine/crack");
}
END_TEST

START_TEST(cli_help_and_unknown)
{
    ck_assert_int_eq(tu_run("%s help", tu_bin()), 0);
    ck_assert_ptr_nonnull(strstr(tu_out(), "review"));
    ck_assert_int_eq(tu_run("%s frobnicate", tu_bin()), 2);
    ck_assert_ptr_nonnull(strstr(tu_err(), "not a command"));
}
END_TEST

Suite *model_suite(void)
{
    Suite *s = suite_create("model");
    TCase *t = tcase_create("dates");
    tcase_add_test(t, date_round_trip);
    tcase_add_test(t, date_rejects_impossible);
    tcase_add_test(t, months_and_working_days);
    tcase_add_test(t, enum_tables);
    tcase_add_test(t, cli_help_and_unknown);
    suite_add_tcase(s, t);
    return s;
}
