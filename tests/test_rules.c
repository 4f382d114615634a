/* test_rules.c -- the rules module against figures worked out by hand.
 *
 * Cases are built in C with the builder in testutil.h (no store, no XML).
 * Every test carries its hand working in a comment beside the assertions.
 * Calendar used throughout: 2026-06-03 is a Wednesday; 2026-06-05 a Friday;
 * 2026-08-14 a Friday.
 */
#include "testutil.h"
#include "rules.h"
#include <stdio.h>
#include <string.h>

/* Failures of a case (in the case arena). */
static cd_failure *failures(cd_case *c, size_t *n)
{
    cd_failure *f;
    cd_failures_list(c, c->arena, &f, n);
    return f;
}

static const cd_profile *P(const char *name)
{
    const cd_profile *p = cd_profile_find(name);
    ck_assert_ptr_nonnull(p);
    return p;
}

/* The order weeks judged in [from, to] as of as_of under the profile named
 * (cd_rules_weeks, dates "YYYY-MM-DD", the weeks in the case arena). */
static size_t weeks(cd_case *c, const char *profile, const char *from, const char *to,
                    const char *as_of, cd_week_record **w, size_t *n)
{
    return cd_rules_weeks(c, P(profile), tu_date(from), tu_date(to), tu_date(as_of), c->arena, w, n);
}

/* The test figures for [from, to] as of as_of under the profile named
 * (cd_rules_tests, dates "YYYY-MM-DD"). */
static cd_test_summary tests_in(const cd_case *c, const char *profile, const char *from, const char *to,
                                const char *as_of)
{
    return cd_rules_tests(c, P(profile), tu_date(from), tu_date(to), tu_date(as_of));
}

/* ---- failures --------------------------------------------------------------- */

/* Three appointments missed without excuse on 10 June = ONE failure, with the
 * three appointments under it. */
START_TEST(three_missed_one_day_is_one_failure)
{
    cd_case *c = tu_case_new(CD_ORDER_DTTO, CD_INTENSITY_HIGH, "2026-06-03", 12);
    tu_appt(c, "A1", "2026-06-10", 60, CD_APPT_PROBATION, CD_OUT_ABSENT_UNACCEPTABLE);
    tu_appt(c, "A2", "2026-06-10", 90, CD_APPT_TREATMENT, CD_OUT_ABSENT_UNACCEPTABLE);
    tu_appt(c, "A3", "2026-06-10", 60, CD_APPT_GROUP, CD_OUT_ABSENT_UNACCEPTABLE);
    size_t n;
    cd_failure *f = failures(c, &n);
    ck_assert_uint_eq(n, 1);
    ck_assert_int_eq(f[0].kind, CD_FAILURE_ABSENCE);
    ck_assert_int_eq(f[0].date, tu_date("2026-06-10"));
    ck_assert_uint_eq(f[0].nappointments, 3);
    ck_assert_uint_eq(f[0].ntests, 0);
    ck_assert_str_eq(cd_failure_first_id(&f[0]), "A1");
    cd_case_free(c);
}
END_TEST

/* Each refused sample is one failure, even two on one day: 2 failures. */
START_TEST(refusal_is_a_failure_each)
{
    cd_case *c = tu_case_new(CD_ORDER_DTTO, CD_INTENSITY_HIGH, "2026-06-03", 12);
    tu_drug_test(c, "T1", "2026-06-12", CD_TEST_REFUSED);
    size_t n;
    cd_failure *f = failures(c, &n);
    ck_assert_uint_eq(n, 1);
    ck_assert_int_eq(f[0].kind, CD_FAILURE_REFUSAL);
    ck_assert_uint_eq(f[0].ntests, 1);
    ck_assert_str_eq(f[0].tests[0]->id, "T1");
    tu_drug_test(c, "T2", "2026-06-12", CD_TEST_REFUSED);
    f = failures(c, &n);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(f[0].tests[0]->id, "T1");
    ck_assert_str_eq(f[1].tests[0]->id, "T2");
    cd_case_free(c);
}
END_TEST

/* A missed test is NOT by itself an unacceptable failure (DOMAIN.md "How
 * failures are counted"; this test replaced one that counted every missed
 * test as an absence). Missed appointment A1 and missed test T1 on 10 June,
 * missed test T2 on 11 June, nothing names the tests: ONE failure (A1),
 * with no test under it; T1 and T2 undecided. Then warning W1 names T1 and
 * T2: T1 joins the absence of 10 June (one day, one failure), T2 is a
 * missed-test failure of its own: 2 failures. A failure decision naming T3
 * (missed 12 June) is the failure for T3: counted once, as the decision. */
START_TEST(missed_test_same_day_as_absence)
{
    cd_case *c = tu_case_new(CD_ORDER_DTTO, CD_INTENSITY_HIGH, "2026-06-03", 12);
    tu_appt(c, "A1", "2026-06-10", 60, CD_APPT_PROBATION, CD_OUT_ABSENT_UNACCEPTABLE);
    cd_drug_test *t1 = tu_drug_test(c, "T1", "2026-06-10", CD_TEST_MISSED);
    tu_drug_test(c, "T2", "2026-06-11", CD_TEST_MISSED);
    size_t n;
    cd_failure *f = failures(c, &n);
    ck_assert_uint_eq(n, 1);
    ck_assert_int_eq(f[0].kind, CD_FAILURE_ABSENCE);
    ck_assert_uint_eq(f[0].nappointments, 1);
    ck_assert_uint_eq(f[0].ntests, 0);
    ck_assert(!cd_rules_missed_test_decided(c, t1));
    cd_test_summary ts = tests_in(c, "dtto-2004", "2026-06-03", "2026-06-16", "2026-06-16");
    ck_assert_int_eq(ts.missed, 2);               /* still in every count of tests */
    ck_assert_int_eq(ts.missed_undecided, 2);

    tu_warning(c, "W1", "2026-06-12", "T1 T2", "You missed tests without reasonable excuse.");
    f = failures(c, &n);
    ck_assert_uint_eq(n, 2);
    ck_assert_int_eq(f[0].kind, CD_FAILURE_ABSENCE);
    ck_assert_uint_eq(f[0].ntests, 1);
    ck_assert_str_eq(f[0].tests[0]->id, "T1");
    ck_assert_int_eq(f[1].kind, CD_FAILURE_MISSED_TEST);
    ck_assert_int_eq(f[1].date, tu_date("2026-06-11"));
    ck_assert_uint_eq(f[1].nappointments, 0);
    ck_assert_str_eq(cd_failure_first_id(&f[1]), "T2");
    ck_assert(cd_rules_missed_test_decided(c, t1));
    ts = tests_in(c, "dtto-2004", "2026-06-03", "2026-06-16", "2026-06-16");
    ck_assert_int_eq(ts.missed_undecided, 0);

    tu_drug_test(c, "T3", "2026-06-12", CD_TEST_MISSED);
    tu_decision(c, "D1", "2026-06-15", "T3");
    f = failures(c, &n);
    ck_assert_uint_eq(n, 3);
    ck_assert_int_eq(f[2].kind, CD_FAILURE_DECISION);
    ck_assert_int_eq(f[2].date, tu_date("2026-06-15"));
    ck_assert_uint_eq(f[2].ntests, 1);
    ck_assert_str_eq(f[2].tests[0]->id, "T3");
    cd_case_free(c);
}
END_TEST

/* Acceptable absences, rescheduled, cancelled and pending appointments, and
 * dilute or invalid samples are not failures: 0. An adulterated and a
 * substituted sample: 2 tampering failures. */
START_TEST(acceptable_absences_not_counted)
{
    cd_case *c = tu_case_new(CD_ORDER_DTTO, CD_INTENSITY_HIGH, "2026-06-03", 12);
    tu_appt(c, "A1", "2026-06-10", 60, CD_APPT_PROBATION, CD_OUT_ABSENT_ACCEPTABLE);
    tu_appt(c, "A2", "2026-06-11", 60, CD_APPT_PROBATION, CD_OUT_RESCHEDULED);
    tu_appt(c, "A3", "2026-06-12", 60, CD_APPT_PROBATION, CD_OUT_CANCELLED_BY_SERVICE);
    tu_appt(c, "A4", "2026-06-13", 60, CD_APPT_PROBATION, CD_OUT_PENDING);
    tu_drug_test(c, "T1", "2026-06-10", CD_TEST_DILUTE);
    tu_drug_test(c, "T2", "2026-06-11", CD_TEST_INVALID);
    size_t n;
    failures(c, &n);
    ck_assert_uint_eq(n, 0);
    tu_drug_test(c, "T3", "2026-06-15", CD_TEST_ADULTERATED);
    tu_drug_test(c, "T4", "2026-06-16", CD_TEST_SUBSTITUTED);
    cd_failure *f = failures(c, &n);
    ck_assert_uint_eq(n, 2);
    ck_assert_int_eq(f[0].kind, CD_FAILURE_TAMPERING);
    ck_assert_int_eq(f[1].kind, CD_FAILURE_TAMPERING);
    cd_case_free(c);
}
END_TEST

/* A failure decision D1 on 20 August naming T1 T2 (positives) is one
 * DECISION failure with two tests; the positives alone are no failure. */
START_TEST(decision_failure)
{
    cd_case *c = tu_case_new(CD_ORDER_DTTO, CD_INTENSITY_HIGH, "2026-06-03", 12);
    cd_drug_test *t = tu_drug_test(c, "T1", "2026-08-10", CD_TEST_TESTED);
    tu_result(t, CD_SUB_OPIATES, CD_RESULT_POSITIVE, CD_CONFIRM_LABORATORY, false);
    t = tu_drug_test(c, "T2", "2026-08-17", CD_TEST_TESTED);
    tu_result(t, CD_SUB_OPIATES, CD_RESULT_POSITIVE, CD_CONFIRM_NONE, false);
    size_t n;
    failures(c, &n);
    ck_assert_uint_eq(n, 0);
    cd_failure_decision *d = tu_decision(c, "D1", "2026-08-20", "T1 T2");
    cd_failure *f = failures(c, &n);
    ck_assert_uint_eq(n, 1);
    ck_assert_int_eq(f[0].kind, CD_FAILURE_DECISION);
    ck_assert_uint_eq(f[0].ntests, 2);
    ck_assert_ptr_eq(f[0].decision, d);
    ck_assert_str_eq(cd_failure_first_id(&f[0]), "D1");
    cd_case_free(c);
}
END_TEST

/* Failure 2026-06-10. 2027-06-10 is 365 days later (no 29 Feb between):
 * inside. 2027-06-11 is 366 days: outside. Drops out 2027-06-11. */
START_TEST(twelve_month_window)
{
    ck_assert_int_eq(tu_date("2027-06-10") - tu_date("2026-06-10"), 365);
    ck_assert(cd_rules_in_window(tu_date("2026-06-10"), tu_date("2027-06-10"), 365));
    ck_assert(!cd_rules_in_window(tu_date("2026-06-10"), tu_date("2027-06-11"), 365));
    ck_assert(cd_rules_in_window(tu_date("2026-06-10"), tu_date("2026-06-10"), 365));
    ck_assert(!cd_rules_in_window(tu_date("2026-06-10"), tu_date("2026-06-09"), 365));
    cd_case *c = tu_case_new(CD_ORDER_DTTO, CD_INTENSITY_HIGH, "2026-06-03", 24);
    tu_appt(c, "A1", "2026-06-10", 60, CD_APPT_PROBATION, CD_OUT_ABSENT_UNACCEPTABLE);
    cd_enforcement e = cd_rules_enforcement(c, P("dtto-2004"), tu_date("2027-06-10"), c->arena);
    ck_assert_int_eq(e.in_window, 1);
    ck_assert_int_eq(e.oldest_drops_out, tu_date("2027-06-11"));
    ck_assert(e.failures[0].in_window);
    e = cd_rules_enforcement(c, P("dtto-2004"), tu_date("2027-06-11"), c->arena);
    ck_assert_int_eq(e.in_window, 0);
    ck_assert_int_eq(e.oldest_drops_out, CD_DATE_NONE);
    ck_assert_uint_eq(e.nfailures, 1);            /* never hidden */
    ck_assert(!e.failures[0].in_window);
    ck_assert_int_eq(e.failures[0].drops_out, tu_date("2027-06-11"));
    cd_case_free(c);
}
END_TEST

/* ---- order arithmetic and weeks ------------------------------------------- */

/* Made Wednesday 3 June: week 1 is Wed 3 .. Tue 9 June, week 2 starts Wed 10.
 * 12 months: scheduled end 2027-06-02, 365 days = 53 weeks (52 weeks + 1 day).
 * Made 31 Jan for 1 month: add_months gives 28 Feb, so the order ends 27 Feb. */
START_TEST(weeks_from_order_date)
{
    cd_case *c = tu_case_new(CD_ORDER_DTTO, CD_INTENSITY_HIGH, "2026-06-03", 12);
    const cd_order *o = &c->order;
    ck_assert_int_eq(cd_date_weekday(o->made), 2);
    ck_assert_int_eq(cd_order_week(o, tu_date("2026-06-03")), 1);
    ck_assert_int_eq(cd_order_week(o, tu_date("2026-06-09")), 1);
    ck_assert_int_eq(cd_order_week(o, tu_date("2026-06-10")), 2);
    ck_assert_int_eq(cd_order_week(o, tu_date("2026-06-02")), 0);
    ck_assert_int_eq(cd_order_scheduled_end(o), tu_date("2027-06-02"));
    ck_assert_int_eq(cd_order_end(o), tu_date("2027-06-02"));
    ck_assert_int_eq(cd_order_total_weeks(o), 53);
    cd_week_record *w;
    size_t n;
    weeks(c, "dtto-2004", "2026-06-03", "2026-06-16", "2026-06-16", &w, &n);
    ck_assert_uint_eq(n, 2);
    ck_assert_int_eq(w[0].week, 1);
    ck_assert_int_eq(w[0].start, tu_date("2026-06-03"));
    ck_assert_int_eq(w[0].end, tu_date("2026-06-09"));
    ck_assert_int_eq(w[1].start, tu_date("2026-06-10"));
    ck_assert(w[1].complete);                   /* ends 16 June = as_of */
    /* the last week of the order is 2 June 2027 alone: partial, not assessed */
    weeks(c, "dtto-2004", "2027-05-26", "2027-12-31", "2027-12-31", &w, &n);
    ck_assert_uint_eq(n, 2);
    ck_assert_int_eq(w[1].week, 53);
    ck_assert_int_eq(w[1].start, tu_date("2027-06-02"));
    ck_assert_int_eq(w[1].end, tu_date("2027-06-02"));
    ck_assert(!w[1].full);
    ck_assert_int_eq(w[1].tests_required, 0);
    c->order.made = tu_date("2026-01-31");
    c->order.months = 1;
    ck_assert_int_eq(cd_order_scheduled_end(&c->order), tu_date("2026-02-27"));
    cd_case_free(c);
}
END_TEST

/* Week 1 (3-9 June), DTTO high: attended 120 min (3 June), late 60 (4 June),
 * absent-unacceptable 60 (5 June), absent-acceptable 90, pending 60.
 * Hours = (120 + 60) / 60 = 3.0 on 2 days; standard: never under 15 h
 * (usual 20 h on 5 days): not met. */
START_TEST(contact_hours_attended_and_late_only)
{
    cd_case *c = tu_case_week_one();
    cd_week_record *w;
    size_t n;
    weeks(c, "dtto-2004", "2026-06-03", "2026-06-09", "2026-06-10", &w, &n);
    ck_assert_uint_eq(n, 1);
    ck_assert_double_eq_tol(w[0].hours, 3.0, 1e-9);
    ck_assert_int_eq(w[0].contact_days, 2);
    ck_assert_int_eq(w[0].phase, CD_PHASE_FIRST);
    ck_assert_double_eq_tol(w[0].min_hours, 15.0, 1e-9);
    ck_assert_double_eq_tol(w[0].usual_hours, 20.0, 1e-9);
    ck_assert(!w[0].contact_met);
    ck_assert(w[0].complete);
    cd_case_free(c);
}
END_TEST

/* DTTO lower intensity, first 13 weeks: at least 12 h on at least 2 days.
 * 360 + 360 minutes on 2 days = 12.0 h: met. 720 minutes on ONE day: 12 h
 * but 1 day: not met. 360 + 330 = 11.5 h on 2 days: not met. */
START_TEST(contact_lower_intensity_days_and_hours)
{
    cd_case *c = tu_case_new(CD_ORDER_DTTO, CD_INTENSITY_LOW, "2026-06-03", 12);
    tu_appt(c, "A1", "2026-06-03", 360, CD_APPT_TREATMENT, CD_OUT_ATTENDED);
    tu_appt(c, "A2", "2026-06-05", 360, CD_APPT_TREATMENT, CD_OUT_ATTENDED);
    tu_appt(c, "A3", "2026-06-10", 720, CD_APPT_TREATMENT, CD_OUT_ATTENDED);
    tu_appt(c, "A4", "2026-06-17", 360, CD_APPT_TREATMENT, CD_OUT_ATTENDED);
    tu_appt(c, "A5", "2026-06-18", 330, CD_APPT_TREATMENT, CD_OUT_ATTENDED);
    cd_week_record *w;
    size_t n;
    weeks(c, "dtto-2004", "2026-06-03", "2026-06-23", "2026-06-30", &w, &n);
    ck_assert_uint_eq(n, 3);
    ck_assert_int_eq(w[0].min_days, 2);
    ck_assert(w[0].contact_met);
    ck_assert(!w[1].contact_met);
    ck_assert_double_eq_tol(w[2].hours, 11.5, 1e-9);
    ck_assert(!w[2].contact_met);
    cd_case_free(c);
}
END_TEST

/* Phases: DTTO week 14 (from 2 Sept 2026 = made + 91 days) is "after"
 * (high: never under 9 h, usual 12 h); a DRR's week 14 is still in its first
 * 16 weeks, week 17 (from 23 Sept) is after. DRR medium first weeks: 8 h. */
/* Made Wed 3 June 2026: week 14 is Wed 2 - Tue 8 September (3 June + 91
 * days), week 17 is 23 - 29 September. Contact follows "first 13 weeks /
 * after" under EVERY profile; only testing stays in its first phase to week
 * 16 under the DRR profiles (this test used to expect drr-2005's week 14
 * held to the 15-hour minimum: the old, wrong rule). A period holds the
 * weeks whose last day falls in it: [2 Sept, 8 Sept] holds week 14 alone;
 * [2 Sept, 7 Sept] holds none (week 14 ends on the 8th). */
START_TEST(phases_by_profile)
{
    cd_case *c = tu_case_new(CD_ORDER_DTTO, CD_INTENSITY_HIGH, "2026-06-03", 12);
    cd_week_record *w;
    size_t n;
    weeks(c, "dtto-2004", "2026-09-02", "2026-09-08", "2026-09-30", &w, &n);
    ck_assert_uint_eq(n, 1);
    ck_assert_int_eq(w[0].week, 14);
    ck_assert_int_eq(w[0].phase, CD_PHASE_AFTER);
    ck_assert_double_eq_tol(w[0].min_hours, 9.0, 1e-9);
    ck_assert_int_eq(w[0].tests_required, 1);
    weeks(c, "drr-2005", "2026-09-02", "2026-09-08", "2026-09-30", &w, &n);
    ck_assert_uint_eq(n, 1);
    ck_assert_int_eq(w[0].phase, CD_PHASE_AFTER);          /* contact: after week 13 */
    ck_assert_int_eq(w[0].testing_phase, CD_PHASE_FIRST);  /* testing: to week 16 */
    ck_assert_double_eq_tol(w[0].min_hours, 9.0, 1e-9);
    ck_assert_int_eq(w[0].tests_required, 2);
    weeks(c, "drr-2005", "2026-09-02", "2026-09-07", "2026-09-30", &w, &n);
    ck_assert_uint_eq(n, 0);
    weeks(c, "drr-2005", "2026-09-23", "2026-09-29", "2026-09-30", &w, &n);
    ck_assert_uint_eq(n, 1);
    ck_assert_int_eq(w[0].week, 17);
    ck_assert_int_eq(w[0].phase, CD_PHASE_AFTER);
    ck_assert_int_eq(w[0].testing_phase, CD_PHASE_AFTER);
    ck_assert_int_eq(w[0].tests_required, 1);
    c->order.intensity = CD_INTENSITY_MEDIUM;
    weeks(c, "drr-2005", "2026-06-03", "2026-06-09", "2026-09-30", &w, &n);
    ck_assert_uint_eq(n, 1);
    ck_assert_double_eq_tol(w[0].min_hours, 8.0, 1e-9);
    ck_assert_int_eq(w[0].min_days, 2);
    cd_case_free(c);
}
END_TEST

/* drr-2005, high intensity, made Wed 3 June 2026. Week 14 (2 - 8 Sept):
 * 4 h on Wed 2, 4 h on Thu 3 and 4 h on Mon 7 September = 12 h on 3 days,
 * against the after-13-weeks standard "never under 9 h" (usually 12 h on 3
 * days): MET. Two tests provided (2 and 7 Sept) against 2 required (testing
 * is still twice weekly to week 16): met. */
START_TEST(drr_week_14_twelve_hours_meets)
{
    cd_case *c = tu_case_new(CD_ORDER_DRR, CD_INTENSITY_HIGH, "2026-06-03", 12);
    c->order.rules = "drr-2005";
    tu_appt(c, "A1", "2026-09-02", 240, CD_APPT_TREATMENT, CD_OUT_ATTENDED);
    tu_appt(c, "A2", "2026-09-03", 240, CD_APPT_GROUP, CD_OUT_ATTENDED);
    tu_appt(c, "A3", "2026-09-07", 240, CD_APPT_PROBATION, CD_OUT_LATE);
    tu_drug_test(c, "T1", "2026-09-02", CD_TEST_TESTED);
    tu_drug_test(c, "T2", "2026-09-07", CD_TEST_DILUTE);           /* provided, no result */
    cd_week_record *w;
    size_t n;
    weeks(c, "drr-2005", "2026-09-02", "2026-09-08", "2026-09-08", &w, &n);
    ck_assert_uint_eq(n, 1);
    ck_assert_int_eq(w[0].week, 14);
    ck_assert_double_eq_tol(w[0].hours, 12.0, 1e-9);
    ck_assert_int_eq(w[0].contact_days, 3);
    ck_assert_double_eq_tol(w[0].min_hours, 9.0, 1e-9);
    ck_assert(w[0].contact_met);
    ck_assert_int_eq(w[0].tests_required, 2);
    ck_assert_int_eq(w[0].tests_provided, 2);
    ck_assert(w[0].testing_met);
    cd_case_free(c);
}
END_TEST

/* attended 3, late 1, absent-unacceptable 1, absent-acceptable 2, rescheduled
 * 1, cancelled 1, pending 1: kept 4 of 5 required = 0.8; hours 4 x 60 min = 4. */
START_TEST(attendance_rate)
{
    cd_case *c = tu_case_new(CD_ORDER_DTTO, CD_INTENSITY_HIGH, "2026-06-03", 12);
    tu_appt(c, "A1", "2026-06-03", 60, CD_APPT_PROBATION, CD_OUT_ATTENDED);
    tu_appt(c, "A2", "2026-06-04", 60, CD_APPT_PROBATION, CD_OUT_ATTENDED);
    tu_appt(c, "A3", "2026-06-05", 60, CD_APPT_PROBATION, CD_OUT_ATTENDED);
    tu_appt(c, "A4", "2026-06-08", 60, CD_APPT_PROBATION, CD_OUT_LATE);
    tu_appt(c, "A5", "2026-06-09", 60, CD_APPT_PROBATION, CD_OUT_ABSENT_UNACCEPTABLE);
    tu_appt(c, "A6", "2026-06-10", 60, CD_APPT_PROBATION, CD_OUT_ABSENT_ACCEPTABLE);
    tu_appt(c, "A7", "2026-06-11", 60, CD_APPT_PROBATION, CD_OUT_ABSENT_ACCEPTABLE);
    tu_appt(c, "A8", "2026-06-12", 60, CD_APPT_PROBATION, CD_OUT_RESCHEDULED);
    tu_appt(c, "A9", "2026-06-15", 60, CD_APPT_PROBATION, CD_OUT_CANCELLED_BY_SERVICE);
    tu_appt(c, "A10", "2026-06-16", 60, CD_APPT_PROBATION, CD_OUT_PENDING);
    cd_attendance at = cd_rules_attendance(c, tu_date("2026-06-03"), tu_date("2026-06-30"));
    ck_assert_int_eq(at.kept, 4);
    ck_assert_int_eq(at.required, 5);
    ck_assert_double_eq_tol(at.rate, 0.8, 1e-9);
    ck_assert_double_eq_tol(at.hours, 4.0, 1e-9);
    ck_assert_int_eq(at.by_outcome[CD_OUT_ABSENT_ACCEPTABLE], 2);
    at = cd_rules_attendance(c, tu_date("2026-07-01"), tu_date("2026-07-31"));
    ck_assert_int_eq(at.required, 0);
    ck_assert(at.rate < 0);
    cd_case_free(c);
}
END_TEST

/* Made Friday 5 June 2026. Probation seen Monday 8 June: 1 working day, met.
 * Treatment first seen Wednesday 10 June: Mon, Tue, Wed = 3 working days > 2:
 * not met (an absent treatment appointment on 9 June does not count). */
START_TEST(first_contacts)
{
    cd_case *c = tu_case_new(CD_ORDER_DRR, CD_INTENSITY_HIGH, "2026-06-05", 12);
    tu_appt(c, "A1", "2026-06-08", 60, CD_APPT_PROBATION, CD_OUT_ATTENDED);
    tu_appt(c, "A2", "2026-06-09", 60, CD_APPT_TREATMENT, CD_OUT_ABSENT_UNACCEPTABLE);
    tu_appt(c, "A3", "2026-06-10", 60, CD_APPT_TREATMENT, CD_OUT_LATE);
    cd_first_contacts fc = cd_rules_first_contacts(c, P("drr-2020"));
    ck_assert_int_eq(fc.probation, tu_date("2026-06-08"));
    ck_assert_int_eq(fc.probation_wd, 1);
    ck_assert(fc.probation_met);
    ck_assert_int_eq(fc.treatment, tu_date("2026-06-10"));
    ck_assert_int_eq(fc.treatment_wd, 3);
    ck_assert(!fc.treatment_met);
    cd_case_free(c);
}
END_TEST

/* ---- drug tests --------------------------------------------------------------- */

/* T1: methadone positive prescribed, opiates negative. T2: methadone positive
 * NOT prescribed, opiates positive (laboratory). Methadone: base 1 (T2 only),
 * positive 1, prescribed 1, negative 0. Opiates: base 2, negative 1,
 * positive 1, confirmed 1 -> "1 of 2 (50%)". */
START_TEST(prescribed_methadone_not_positive)
{
    cd_case *c = tu_case_prescribed_methadone();
    cd_drug_test *t = tu_drug_test(c, "T2", "2026-06-08", CD_TEST_TESTED);
    tu_result(t, CD_SUB_METHADONE, CD_RESULT_POSITIVE, CD_CONFIRM_NONE, false);
    tu_result(t, CD_SUB_OPIATES, CD_RESULT_POSITIVE, CD_CONFIRM_LABORATORY, false);
    cd_test_summary ts = tests_in(c, "dtto-2004", "2026-06-03", "2026-06-09", "2026-06-10");
    const cd_substance_counts *m = &ts.sub[CD_SUB_METHADONE], *op = &ts.sub[CD_SUB_OPIATES];
    ck_assert_int_eq(m->base, 1);
    ck_assert_int_eq(m->positive, 1);
    ck_assert_int_eq(m->prescribed, 1);
    ck_assert_int_eq(m->negative, 0);
    ck_assert_int_eq(op->base, 2);
    ck_assert_int_eq(op->negative, 1);
    ck_assert_int_eq(op->confirmed, 1);
    char buf[48];
    ck_assert_str_eq(cd_rules_format_share(op->negative, op->base, buf, sizeof buf), "1 of 2 (50%)");
    /* only the prescribed result: base 0, no percentage */
    ts = tests_in(c, "dtto-2004", "2026-06-04", "2026-06-04", "2026-06-10");
    ck_assert_int_eq(ts.sub[CD_SUB_METHADONE].base, 0);
    ck_assert_int_eq(cd_rules_percent(ts.sub[CD_SUB_METHADONE].negative, ts.sub[CD_SUB_METHADONE].base), -1);
    cd_case_free(c);
}
END_TEST

/* Percentages round half up: 3/8 = 37.5 -> 38; 1/8 = 12.5 -> 13;
 * 2/7 = 28.57 -> 29; 2/3 = 66.67 -> 67; 1/3 -> 33; 0/5 -> 0; base 0 -> -1. */
START_TEST(percent_with_base)
{
    ck_assert_int_eq(cd_rules_percent(3, 8), 38);
    ck_assert_int_eq(cd_rules_percent(1, 8), 13);
    ck_assert_int_eq(cd_rules_percent(2, 7), 29);
    ck_assert_int_eq(cd_rules_percent(2, 3), 67);
    ck_assert_int_eq(cd_rules_percent(1, 3), 33);
    ck_assert_int_eq(cd_rules_percent(0, 5), 0);
    ck_assert_int_eq(cd_rules_percent(0, 0), -1);
    char buf[48];
    ck_assert_str_eq(cd_rules_format_share(3, 8, buf, sizeof buf), "3 of 8 (38%)");
    ck_assert_str_eq(cd_rules_format_share(0, 0, buf, sizeof buf), "no tests");
}
END_TEST

/* A period with no test records: everything 0, no percentage, "no tests". */
START_TEST(period_with_no_tests)
{
    cd_case *c = tu_case_new(CD_ORDER_DTTO, CD_INTENSITY_HIGH, "2026-06-03", 12);
    tu_drug_test(c, "T1", "2026-06-04", CD_TEST_TESTED);
    cd_test_summary ts = tests_in(c, "dtto-2004", "2026-07-01", "2026-07-07", "2026-07-01");
    ck_assert_int_eq(ts.arranged, 0);
    ck_assert_int_eq(ts.provided, 0);
    ck_assert_int_eq(ts.required, 0);     /* the week 1-7 July is not complete on 1 July */
    ck_assert_int_eq(ts.sub[CD_SUB_OPIATES].base, 0);
    char buf[48];
    ck_assert_str_eq(cd_rules_format_share(ts.sub[CD_SUB_OPIATES].negative, ts.sub[CD_SUB_OPIATES].base,
                                           buf, sizeof buf), "no tests");
    cd_case_free(c);
}
END_TEST

/* DTTO made 3 June, as_of 24 June: weeks 1 (3-9), 2 (10-16), 3 (17-23) are
 * complete, week 4 (24-30) is not: required 3 x 2 = 6 over [3 June, 24 June];
 * 4 over [10 June, 24 June]. Records: tested 2, admitted 1, missed 1,
 * refused 1, dilute 1, substituted 1: arranged 7; provided = tested 2 +
 * admitted 1 + dilute 1 = 4 (a dilute sample was given: provided, shown
 * apart, no result; this test used to count it as not provided); invalid 0;
 * substituted 1 (not provided). */
START_TEST(tests_required_and_statuses)
{
    cd_case *c = tu_case_new(CD_ORDER_DTTO, CD_INTENSITY_HIGH, "2026-06-03", 12);
    tu_drug_test(c, "T1", "2026-06-04", CD_TEST_TESTED);
    tu_drug_test(c, "T2", "2026-06-08", CD_TEST_TESTED);
    cd_drug_test *t = tu_drug_test(c, "T3", "2026-06-11", CD_TEST_ADMITTED);
    tu_result(t, CD_SUB_COCAINE, CD_RESULT_POSITIVE, CD_CONFIRM_ADMITTED, false);
    tu_drug_test(c, "T4", "2026-06-15", CD_TEST_MISSED);
    tu_drug_test(c, "T5", "2026-06-18", CD_TEST_REFUSED);
    tu_drug_test(c, "T6", "2026-06-19", CD_TEST_DILUTE);
    tu_drug_test(c, "T7", "2026-06-22", CD_TEST_SUBSTITUTED);
    cd_test_summary ts = tests_in(c, "dtto-2004", "2026-06-03", "2026-06-24", "2026-06-24");
    ck_assert_int_eq(ts.required, 6);
    ck_assert_int_eq(ts.arranged, 7);
    ck_assert_int_eq(ts.provided, 4);
    ck_assert_int_eq(ts.admitted, 1);
    ck_assert_int_eq(ts.missed, 1);
    ck_assert_int_eq(ts.missed_undecided, 1);
    ck_assert_int_eq(ts.refused, 1);
    ck_assert_int_eq(ts.invalid, 0);
    ck_assert_int_eq(ts.dilute, 1);
    ck_assert_int_eq(ts.substituted, 1);
    ck_assert_int_eq(ts.sub[CD_SUB_COCAINE].positive, 1);
    ck_assert_int_eq(ts.sub[CD_SUB_COCAINE].admitted, 1);
    ck_assert_int_eq(ts.sub[CD_SUB_COCAINE].base, 1);
    ts = tests_in(c, "dtto-2004", "2026-06-10", "2026-06-24", "2026-06-24");
    ck_assert_int_eq(ts.required, 4);
    cd_case_free(c);
}
END_TEST

/* Opiates positive 10 June; prescribed methadone positive 20 June; alcohol
 * positive 22 June. As of 30 June: 30 - 10 = 20 days. An admission on 25
 * June makes it 5. With no illicit positive: -1. */
START_TEST(days_since_last_positive)
{
    cd_case *c = tu_case_new(CD_ORDER_DTTO, CD_INTENSITY_HIGH, "2026-06-03", 12);
    ck_assert_int_eq(cd_rules_days_since_positive(c, tu_date("2026-06-30")), -1);
    cd_drug_test *t = tu_drug_test(c, "T1", "2026-06-10", CD_TEST_TESTED);
    tu_result(t, CD_SUB_OPIATES, CD_RESULT_POSITIVE, CD_CONFIRM_NONE, false);
    t = tu_drug_test(c, "T2", "2026-06-20", CD_TEST_TESTED);
    tu_result(t, CD_SUB_METHADONE, CD_RESULT_POSITIVE, CD_CONFIRM_NONE, true);
    tu_result(t, CD_SUB_OPIATES, CD_RESULT_NEGATIVE, CD_CONFIRM_NONE, false);
    t = tu_drug_test(c, "T3", "2026-06-22", CD_TEST_TESTED);
    tu_result(t, CD_SUB_ALCOHOL, CD_RESULT_POSITIVE, CD_CONFIRM_NONE, false);
    ck_assert_int_eq(cd_rules_days_since_positive(c, tu_date("2026-06-30")), 20);
    ck_assert_int_eq(cd_rules_days_since_positive(c, tu_date("2026-06-09")), -1);
    t = tu_drug_test(c, "T4", "2026-06-25", CD_TEST_ADMITTED);
    tu_result(t, CD_SUB_COCAINE, CD_RESULT_POSITIVE, CD_CONFIRM_ADMITTED, false);
    ck_assert_int_eq(cd_rules_days_since_positive(c, tu_date("2026-06-30")), 5);
    cd_case_free(c);
}
END_TEST

/* Made 31 Jan 2026: month 1 = 31 Jan .. 27 Feb (add_months gives 28 Feb,
 * minus a day), month 2 = 28 Feb .. 30 Mar. As of 15 Mar: 2 months.
 * Month 1: opiates negative 2 Feb, positive 20 Feb: 1 of 2. Month 2:
 * negative 1 Mar: 1 of 1; a test on 20 Mar (after as_of) is not counted. */
START_TEST(monthly_series)
{
    cd_case *c = tu_case_new(CD_ORDER_DTTO, CD_INTENSITY_HIGH, "2026-01-31", 12);
    cd_drug_test *t = tu_drug_test(c, "T1", "2026-02-02", CD_TEST_TESTED);
    tu_result(t, CD_SUB_OPIATES, CD_RESULT_NEGATIVE, CD_CONFIRM_NONE, false);
    t = tu_drug_test(c, "T2", "2026-02-20", CD_TEST_TESTED);
    tu_result(t, CD_SUB_OPIATES, CD_RESULT_POSITIVE, CD_CONFIRM_NONE, false);
    t = tu_drug_test(c, "T3", "2026-03-01", CD_TEST_TESTED);
    tu_result(t, CD_SUB_OPIATES, CD_RESULT_NEGATIVE, CD_CONFIRM_NONE, false);
    t = tu_drug_test(c, "T4", "2026-03-20", CD_TEST_TESTED);
    tu_result(t, CD_SUB_OPIATES, CD_RESULT_NEGATIVE, CD_CONFIRM_NONE, false);
    cd_month_tests *m;
    size_t n;
    cd_rules_monthly_tests(c, tu_date("2026-03-15"), c->arena, &m, &n);
    ck_assert_uint_eq(n, 2);
    ck_assert_int_eq(m[0].start, tu_date("2026-01-31"));
    ck_assert_int_eq(m[0].end, tu_date("2026-02-27"));
    ck_assert_int_eq(m[1].start, tu_date("2026-02-28"));
    ck_assert_int_eq(m[1].end, tu_date("2026-03-30"));
    ck_assert_int_eq(m[0].sub[CD_SUB_OPIATES].base, 2);
    ck_assert_int_eq(m[0].sub[CD_SUB_OPIATES].negative, 1);
    ck_assert_int_eq(m[1].sub[CD_SUB_OPIATES].base, 1);
    ck_assert_int_eq(m[1].sub[CD_SUB_OPIATES].negative, 1);
    cd_case_free(c);
}
END_TEST

/* Opiates 1 of 8 -> 3 of 8: 12.5% -> 37.5%, +25 points: improving. Cocaine
 * 5 of 8 -> 2 of 7: 62.5% -> 28.6%, -33.9: worse. 3 of 8 -> 3 of 9: 37.5 ->
 * 33.3, -4.2: steady. 1 of 10 -> 2 of 10: exactly +10: improving. */
START_TEST(direction_sentence)
{
    cd_test_summary prev, cur;
    memset(&prev, 0, sizeof prev);
    memset(&cur, 0, sizeof cur);
    prev.sub[CD_SUB_OPIATES] = (cd_substance_counts){ .base = 8, .negative = 1, .positive = 7 };
    cur.sub[CD_SUB_OPIATES] = (cd_substance_counts){ .base = 8, .negative = 3, .positive = 5 };
    prev.sub[CD_SUB_COCAINE] = (cd_substance_counts){ .base = 8, .negative = 5, .positive = 3 };
    cur.sub[CD_SUB_COCAINE] = (cd_substance_counts){ .base = 7, .negative = 2, .positive = 5 };
    ck_assert_int_eq(cd_rules_trend(&prev.sub[CD_SUB_OPIATES], &cur.sub[CD_SUB_OPIATES]), CD_TREND_IMPROVING);
    ck_assert_int_eq(cd_rules_trend(&prev.sub[CD_SUB_COCAINE], &cur.sub[CD_SUB_COCAINE]), CD_TREND_WORSE);
    char buf[256];
    ck_assert_str_eq(cd_rules_trend_sentence(&prev, &cur, buf, sizeof buf),
        "Opiates negative rose from 1 of 8 (13%) to 3 of 8 (38%); "
        "cocaine negative fell from 5 of 8 (63%) to 2 of 7 (29%).");
    cd_substance_counts a = { .base = 8, .negative = 3 }, b = { .base = 9, .negative = 3 };
    ck_assert_int_eq(cd_rules_trend(&a, &b), CD_TREND_STEADY);
    cd_substance_counts x = { .base = 10, .negative = 1 }, y = { .base = 10, .negative = 2 };
    ck_assert_int_eq(cd_rules_trend(&x, &y), CD_TREND_IMPROVING);
    ck_assert_int_eq(cd_rules_trend(&y, &x), CD_TREND_WORSE);
    cd_substance_counts none = { 0 };
    ck_assert_int_eq(cd_rules_trend(&none, &y), CD_TREND_NO_BASIS);
    ck_assert_str_eq(cd_rules_trend_word(CD_TREND_NO_BASIS), "no basis");
    /* no cocaine results at all this time, none for opiates before */
    memset(&prev, 0, sizeof prev);
    memset(&cur, 0, sizeof cur);
    cur.sub[CD_SUB_OPIATES] = (cd_substance_counts){ .base = 4, .negative = 1 };
    ck_assert_str_eq(cd_rules_trend_sentence(&prev, &cur, buf, sizeof buf),
        "Opiates negative 1 of 4 (25%), with no opiates results in the previous period; "
        "no cocaine results in either period.");
    /* a short buffer truncates, never overflows */
    char small[16];
    cd_rules_trend_sentence(&prev, &cur, small, sizeof small);
    ck_assert_uint_eq(strlen(small), 15);
}
END_TEST

/* ---- reviews ------------------------------------------------------------------ */

/* Reviews held 1 July and 5 August. Review of 1 July: number 1, period
 * 3 June .. 1 July, no previous. Of 5 August: number 2, period 2 July ..
 * 5 August, previous period 3 June .. 1 July. Of 2 September: number 3,
 * 6 August .. 2 September, previous 2 July .. 5 August. */
START_TEST(review_periods)
{
    cd_case *c = tu_case_new(CD_ORDER_DTTO, CD_INTENSITY_HIGH, "2026-06-03", 12);
    tu_review(c, "2026-07-01", "2026-08-05");
    cd_review *r2 = tu_review(c, "2026-08-05", NULL);
    cd_review_period rp = cd_rules_review_period(c, tu_date("2026-07-01"));
    ck_assert_int_eq(rp.number, 1);
    ck_assert_int_eq(rp.start, tu_date("2026-06-03"));
    ck_assert_int_eq(rp.end, tu_date("2026-07-01"));
    ck_assert_ptr_null(rp.previous_review);
    ck_assert_int_eq(rp.previous_start, CD_DATE_NONE);
    rp = cd_rules_review_period(c, tu_date("2026-08-05"));
    ck_assert_int_eq(rp.number, 2);
    ck_assert_int_eq(rp.start, tu_date("2026-07-02"));
    ck_assert_ptr_eq(rp.previous_review, &c->reviews[0]);
    ck_assert_int_eq(rp.previous_start, tu_date("2026-06-03"));
    ck_assert_int_eq(rp.previous_end, tu_date("2026-07-01"));
    rp = cd_rules_review_period(c, tu_date("2026-09-02"));
    ck_assert_int_eq(rp.number, 3);
    ck_assert_int_eq(rp.start, tu_date("2026-08-06"));
    ck_assert_ptr_eq(rp.previous_review, r2);
    ck_assert_int_eq(rp.previous_start, tu_date("2026-07-02"));
    ck_assert_int_eq(rp.previous_end, tu_date("2026-08-05"));
    cd_case_free(c);
}
END_TEST

/* High intensity, made Wed 3 June 2026 for 12 months (ends 2 June 2027).
 * Each proposal is the last hearing + 1 month (first 4 reviews) or + 3
 * months, moved forward to the first sitting day; with no hearing on record
 * the proposals chain. (This test used to count from the order's
 * anniversaries, giving Saturday 3 October and Sunday 3 January.)
 *   #1 3 Jul (Fri); #2 3 Aug (Mon); #3 3 Sep (Thu); #4 3 Oct is a Saturday
 *   -> Mon 5 Oct; #5 5 Oct + 3 months = Tue 5 Jan 2027; #6 Mon 5 Apr 2027
 *   (Easter Monday 2027 is 29 March); #7 5 Jul 2027 is after the end.
 * Low intensity: #1 3 Jul, then + 3 months: 3 Oct (Sat) -> Mon 5 Oct, then
 * Tue 5 Jan 2027. Quarterly hearings: 3 Sep (Thu). */
START_TEST(next_review_schedule_high_vs_low)
{
    cd_case *c = tu_case_new(CD_ORDER_DTTO, CD_INTENSITY_HIGH, "2026-06-03", 12);
    ck_assert_int_eq(cd_rules_next_review(c, tu_date("2026-06-10")), tu_date("2026-07-03"));
    ck_assert_int_eq(cd_rules_next_review(c, tu_date("2026-07-03")), tu_date("2026-07-03"));
    ck_assert_int_eq(cd_rules_next_review(c, tu_date("2026-07-04")), tu_date("2026-08-03"));
    ck_assert_int_eq(cd_rules_next_review(c, tu_date("2026-10-04")), tu_date("2026-10-05"));
    ck_assert_int_eq(cd_rules_next_review(c, tu_date("2026-10-06")), tu_date("2027-01-05"));
    ck_assert_int_eq(cd_rules_next_review(c, tu_date("2027-01-06")), tu_date("2027-04-05"));
    ck_assert_int_eq(cd_rules_next_review(c, tu_date("2027-04-06")), CD_DATE_NONE);
    c->order.intensity = CD_INTENSITY_LOW;
    ck_assert_int_eq(cd_rules_next_review(c, tu_date("2026-06-10")), tu_date("2026-07-03"));
    ck_assert_int_eq(cd_rules_next_review(c, tu_date("2026-07-04")), tu_date("2026-10-05"));
    ck_assert_int_eq(cd_rules_next_review(c, tu_date("2026-10-06")), tu_date("2027-01-05"));
    c->order.intensity = CD_INTENSITY_HIGH;
    c->order.review_hearings = CD_HEARINGS_QUARTERLY;
    ck_assert_int_eq(cd_rules_next_review(c, tu_date("2026-06-10")), tu_date("2026-09-03"));
    ck_assert(!cd_rules_review_is_paper(c, tu_date("2026-06-10")));
    c->order.review_hearings = CD_HEARINGS_NONE;
    ck_assert_int_eq(cd_rules_next_review(c, tu_date("2026-06-10")), tu_date("2026-07-03"));
    ck_assert(cd_rules_review_is_paper(c, tu_date("2026-06-10")));
    cd_case_free(c);
}
END_TEST

/* The bench at the 1 July review fixed Wed 5 August: as of 10 July the next
 * review is 5 August (fixed by the court: it stands). As of 6 August, with
 * the 5 August hearing not on record, the proposal runs from it: review #3,
 * + 1 month = Sat 5 September -> Mon 7 September (this test used to expect
 * the anniversary, 3 September). Held on Thu 3 September (review #2 on
 * record) with no next date: + 1 month = Sat 3 October -> Mon 5 October.
 * A court-fixed Saturday stands but is flagged: sitting = false. */
START_TEST(next_review_fixed_by_bench)
{
    cd_case *c = tu_case_new(CD_ORDER_DTTO, CD_INTENSITY_HIGH, "2026-06-03", 12);
    tu_review(c, "2026-07-01", "2026-08-05");
    cd_next_review nr = cd_rules_next_review_info(c, tu_date("2026-07-10"));
    ck_assert_int_eq(nr.date, tu_date("2026-08-05"));
    ck_assert(nr.fixed_by_court);
    ck_assert(nr.sitting);
    nr = cd_rules_next_review_info(c, tu_date("2026-08-06"));
    ck_assert_int_eq(nr.date, tu_date("2026-09-07"));
    ck_assert(!nr.fixed_by_court);
    ck_assert(nr.sitting);
    /* held on 3 Sept itself with no next date: 3 Oct (Sat) -> Mon 5 Oct */
    cd_review *r = tu_review(c, "2026-09-03", NULL);
    ck_assert_int_eq(cd_rules_next_review(c, tu_date("2026-09-03")), tu_date("2026-10-05"));
    /* the report for the 3 Sept hearing names the same date */
    ck_assert_int_eq(cd_rules_review_after(c, tu_date("2026-09-03")).date, tu_date("2026-10-05"));
    r->next = tu_date("2026-10-03");                      /* fixed on a Saturday */
    nr = cd_rules_next_review_info(c, tu_date("2026-09-04"));
    ck_assert_int_eq(nr.date, tu_date("2026-10-03"));
    ck_assert(nr.fixed_by_court);
    ck_assert(!nr.sitting);
    cd_case_free(c);
}
END_TEST

/* An order that ended (completed 1 Sept) has no next review as of 10 Sept;
 * neither has a case with no order. drr-2020: reviews required only when
 * the order is over 12 months. */
START_TEST(ended_order_no_next_review)
{
    cd_case *c = tu_case_new(CD_ORDER_DRR, CD_INTENSITY_HIGH, "2026-06-03", 12);
    cd_next_review nr = cd_rules_next_review_info(c, tu_date("2026-06-10"));
    ck_assert(!nr.required);                  /* drr-2020, 12 months */
    c->order.months = 18;
    ck_assert(cd_rules_next_review_info(c, tu_date("2026-06-10")).required);
    c->order.ended = tu_date("2026-09-01");
    c->order.end_reason = CD_END_COMPLETED;
    ck_assert_int_eq(cd_rules_next_review(c, tu_date("2026-09-10")), CD_DATE_NONE);
    /* as of a date before the end, the schedule still runs to the end date */
    ck_assert_int_eq(cd_rules_next_review(c, tu_date("2026-08-04")), CD_DATE_NONE);
    ck_assert_int_eq(cd_rules_next_review(c, tu_date("2026-08-03")), tu_date("2026-08-03"));
    c->order.present = false;
    ck_assert_int_eq(cd_rules_next_review(c, tu_date("2026-06-10")), CD_DATE_NONE);
    cd_case_free(c);
}
END_TEST

/* ---- the court calendar in the rules (issue 13) ------------------------------ */

/* Working days are counted on the court calendar. DTTO made Thu 2 April
 * 2026: probation seen Tue 7 April = 1 working day (Good Friday 3 and
 * Easter Monday 6 April are not working days): met. Treatment seen Thu 9
 * April = 3: not met. Refusals Fri 11 and Fri 18 December 2026 under
 * dtto-2004: the second triggers breach; pack due 18 December + 10 working
 * days = Wed 6 January 2027 (not Fri 1 January, a bank holiday). */
START_TEST(working_days_on_the_court_calendar)
{
    cd_case *c = tu_case_new(CD_ORDER_DTTO, CD_INTENSITY_HIGH, "2026-04-02", 12);
    tu_appt(c, "A1", "2026-04-07", 60, CD_APPT_PROBATION, CD_OUT_ATTENDED);
    tu_appt(c, "A2", "2026-04-09", 60, CD_APPT_TREATMENT, CD_OUT_ATTENDED);
    cd_first_contacts fc = cd_rules_first_contacts(c, P("dtto-2004"));
    ck_assert_int_eq(fc.probation_wd, 1);
    ck_assert(fc.probation_met);
    ck_assert_int_eq(fc.treatment_wd, 3);
    ck_assert(!fc.treatment_met);
    tu_drug_test(c, "T1", "2026-12-11", CD_TEST_REFUSED);
    tu_drug_test(c, "T2", "2026-12-18", CD_TEST_REFUSED);
    cd_enforcement e = cd_rules_enforcement(c, P("dtto-2004"), tu_date("2026-12-21"), c->arena);
    ck_assert(e.breach_required);
    ck_assert_int_eq(e.trigger->date, tu_date("2026-12-18"));
    ck_assert_int_eq(e.pack_due, tu_date("2027-01-06"));
    cd_case_free(c);
}
END_TEST

/* Which breach packs a month's batch plans (cd_rules_breach_pack_due_by).
 * The same two refusals, planned on Mon 21 December 2026: the pack is due
 * Wed 6 January 2027, so it is due by 31 January 2027 (returned as the run
 * date) but not by 31 December 2026; one refusal alone requires no breach;
 * an order ended on 20 December is not running on the 21st. */
START_TEST(breach_pack_due_by_month_end)
{
    cd_case *c = tu_case_new(CD_ORDER_DTTO, CD_INTENSITY_HIGH, "2026-04-02", 12);
    tu_drug_test(c, "T1", "2026-12-11", CD_TEST_REFUSED);
    ck_assert_int_eq(cd_rules_breach_pack_due_by(c, tu_date("2026-12-21"), tu_date("2027-01-31")), CD_DATE_NONE);
    tu_drug_test(c, "T2", "2026-12-18", CD_TEST_REFUSED);
    ck_assert_int_eq(cd_rules_breach_pack_due_by(c, tu_date("2026-12-21"), tu_date("2027-01-31")),
                     tu_date("2026-12-21"));
    ck_assert_int_eq(cd_rules_breach_pack_due_by(c, tu_date("2026-12-21"), tu_date("2026-12-31")), CD_DATE_NONE);
    c->order.ended = tu_date("2026-12-20");
    ck_assert_int_eq(cd_rules_breach_pack_due_by(c, tu_date("2026-12-21"), tu_date("2027-01-31")), CD_DATE_NONE);
    cd_case_free(c);
}
END_TEST

/* Each week judged once. DTTO high made Wed 3 June 2026; reviews Wed 1 July
 * and Wed 5 August. Week 5 (Wed 1 - Tue 7 July) straddles the 1 July
 * review: it is judged in the period whose span holds its last day, 2 July
 * .. 5 August, and in no other. Periods [3 June, 1 July] and [2 July, 5
 * August]: weeks 1-4 and 5-9; tests required 8 + 10 = 18 = 9 weeks x 2,
 * every week once (the old rule gave 8 + 8, week 5 in neither). */
START_TEST(week_straddling_review_judged_once)
{
    cd_case *c = tu_case_new(CD_ORDER_DTTO, CD_INTENSITY_HIGH, "2026-06-03", 12);
    tu_review(c, "2026-07-01", NULL);
    cd_week_record *w;
    size_t n;
    weeks(c, "dtto-2004", "2026-06-03", "2026-07-01", "2026-07-01", &w, &n);
    ck_assert_uint_eq(n, 4);
    ck_assert_int_eq(w[3].week, 4);
    weeks(c, "dtto-2004", "2026-07-02", "2026-08-05", "2026-08-05", &w, &n);
    ck_assert_uint_eq(n, 5);
    ck_assert_int_eq(w[0].week, 5);
    ck_assert_int_eq(w[0].start, tu_date("2026-07-01"));
    ck_assert_int_eq(w[4].week, 9);
    cd_test_summary a = tests_in(c, "dtto-2004", "2026-06-03", "2026-07-01", "2026-07-01");
    cd_test_summary b = tests_in(c, "dtto-2004", "2026-07-02", "2026-08-05", "2026-08-05");
    ck_assert_int_eq(a.required, 8);
    ck_assert_int_eq(b.required, 10);
    cd_case_free(c);
}
END_TEST

/* Records run to the export date. Exported Mon 27 July 2026 (order made
 * Wed 3 June): as of 5 August, week 8 (22-28 July) and week 9 (29 July - 4
 * August) are not judged: no records yet. The case as of 5 August drops a
 * test dated 30 July (after the export), keeps a local note of 4 August
 * (the officer's own, written for the report), and does not know of the
 * order's end on 31 July. */
START_TEST(records_cut_at_export)
{
    cd_case *c = tu_case_new(CD_ORDER_DTTO, CD_INTENSITY_HIGH, "2026-06-03", 12);
    c->has_exported = true;
    c->exported = tu_date("2026-07-27");
    ck_assert_int_eq(cd_case_records_to(c, tu_date("2026-08-05")), tu_date("2026-07-27"));
    ck_assert_int_eq(cd_case_records_to(c, tu_date("2026-07-20")), tu_date("2026-07-20"));
    cd_week_record *w;
    size_t n;
    weeks(c, "dtto-2004", "2026-07-15", "2026-08-05", "2026-08-05", &w, &n);
    ck_assert_uint_eq(n, 3);                        /* weeks 7, 8, 9 */
    ck_assert(w[0].complete && !w[0].no_records);
    ck_assert(!w[1].complete && w[1].no_records);
    ck_assert(!w[2].complete && w[2].no_records);
    tu_drug_test(c, "T1", "2026-07-30", CD_TEST_TESTED);
    tu_note(c, CD_NOTE_RECOMMENDATION, "2026-08-04", "x")->local = true;
    tu_note(c, CD_NOTE_PROGRESS, "2026-08-04", "y");
    c->order.ended = tu_date("2026-07-31");
    c->order.end_reason = CD_END_REVOKED_NON_COMPLIANCE;
    const cd_case *k = cd_rules_case_as_of(c, tu_date("2026-08-05"), c->arena);
    ck_assert_uint_eq(k->ntests, 0);
    ck_assert_uint_eq(k->nnotes, 1);
    ck_assert(k->notes[0].local);
    ck_assert_int_eq(k->order.ended, CD_DATE_NONE);
    ck_assert_uint_eq(c->ntests, 1);                /* the case itself is untouched */
    cd_case_free(c);
}
END_TEST

/* ---- profiles ----------------------------------------------------------------- */

START_TEST(profile_selection)
{
    cd_case *c = tu_case_new(CD_ORDER_DTTO, CD_INTENSITY_HIGH, "2004-06-03", 12);
    ck_assert_str_eq(cd_profile_for_order(&c->order)->name, "dtto-2004");
    c->order.type = CD_ORDER_DRR;
    c->order.made = tu_date("2020-11-30");
    ck_assert_str_eq(cd_profile_for_order(&c->order)->name, "drr-2005");
    c->order.made = tu_date("2020-12-01");
    ck_assert_str_eq(cd_profile_for_order(&c->order)->name, "drr-2020");
    c->order.rules = "drr-2005";
    ck_assert_str_eq(cd_profile_for_order(&c->order)->name, "drr-2005");
    c->order.rules = "no-such-rules";
    ck_assert_ptr_null(cd_profile_for_order(&c->order));
    ck_assert_str_eq(cd_profile_default_for_order(&c->order)->name, "drr-2020");
    ck_assert_ptr_null(cd_profile_find("DTTO-2004"));
    ck_assert_int_eq(P("dtto-2004")->intensive_weeks, 13);
    ck_assert_int_eq(P("drr-2005")->intensive_weeks, 16);
    ck_assert_int_eq(P("drr-2005")->tests_per_week[CD_INTENSITY_LOW][CD_PHASE_FIRST], 1);
    ck_assert_int_eq(P("drr-2020")->breach_rule, CD_BREACH_RULE_FAILURE_AFTER_WARNING);
    ck_assert_int_eq(P("dtto-2004")->enforcement_working_days, 0);
    ck_assert_int_eq(P("drr-2005")->enforcement_working_days, 10);
    size_t n;
    cd_profiles_all(&n);
    ck_assert_uint_eq(n, 3);
    cd_case_free(c);
}
END_TEST

/* ---- enforcement --------------------------------------------------------------- */

/* Absence 10 June (A1), warned 12 June (W1); refusal Friday 14 August (T1).
 * dtto-2004: the refusal is a second failure within 12 months: breach
 * required, trigger 14 August, pack due 10 working days later = Friday 28
 * August. drr-2020: the refusal follows the warning of 12 June within 12
 * months: breach required too. Without the warning: dtto-2004 still
 * requires breach; drr-2020 does not (no warning to follow). */
START_TEST(dtto_second_failure_vs_drr2020_after_warning)
{
    cd_case *c = tu_case_new(CD_ORDER_DTTO, CD_INTENSITY_HIGH, "2026-06-03", 12);
    tu_appt(c, "A1", "2026-06-10", 60, CD_APPT_PROBATION, CD_OUT_ABSENT_UNACCEPTABLE);
    tu_drug_test(c, "T1", "2026-08-14", CD_TEST_REFUSED);
    cd_enforcement e = cd_rules_enforcement(c, P("dtto-2004"), tu_date("2026-08-20"), c->arena);
    ck_assert(e.breach_required);
    ck_assert_int_eq(e.trigger->date, tu_date("2026-08-14"));
    ck_assert_int_eq(e.pack_due, tu_date("2026-08-28"));
    ck_assert_str_eq(e.statement, "The National Standard now requires breach action: "
                                  "a second unacceptable failure within 12 months (14 August 2026).");
    ck_assert_int_eq(e.unanswered, 2);
    ck_assert_int_eq(e.enforcement_due, CD_DATE_NONE);     /* not set in dtto-2004 */
    e = cd_rules_enforcement(c, P("drr-2020"), tu_date("2026-08-20"), c->arena);
    ck_assert(!e.breach_required);
    ck_assert_ptr_null(e.statement);
    /* drr-2020: enforcement action within 10 working days of the oldest
     * unanswered failure (Wed 10 June + 10 = Wed 24 June) */
    ck_assert_int_eq(e.enforcement_due, tu_date("2026-06-24"));

    tu_warning(c, "W1", "2026-06-12", "A1", "Final warning letter sent.");
    e = cd_rules_enforcement(c, P("drr-2020"), tu_date("2026-08-20"), c->arena);
    ck_assert(e.breach_required);
    ck_assert_int_eq(e.trigger->date, tu_date("2026-08-14"));
    ck_assert_ptr_eq(e.trigger_warning, &c->warnings[0]);
    ck_assert_int_eq(e.unanswered, 1);
    ck_assert_int_eq(e.warnings_in_window, 1);
    ck_assert_int_eq(cd_rules_failure_status(&e, &e.failures[0]), CD_FSTATUS_WARNED);
    ck_assert_str_eq(cd_failure_status_label(CD_FSTATUS_WARNED), "warned");
    ck_assert_str_eq(e.statement, "The Sentencing Act 2020 now requires breach action: "
                                  "an unacceptable failure (14 August 2026) within 12 months of the "
                                  "warning of 12 June 2026.");
    /* before the refusal: one failure, warned: nothing required yet */
    e = cd_rules_enforcement(c, P("dtto-2004"), tu_date("2026-08-13"), c->arena);
    ck_assert(!e.breach_required);
    ck_assert_uint_eq(e.nfailures, 1);
    ck_assert_int_eq(e.unanswered, 0);
    cd_case_free(c);
}
END_TEST

/* Failures more than 365 days apart never trigger under dtto-2004:
 * 10 June 2026 and 11 June 2027 are 366 days apart. Under drr-2020 a failure
 * 366 days after the warning of 10 June 2026 does not trigger either. */
START_TEST(failures_far_apart_no_trigger)
{
    cd_case *c = tu_case_new(CD_ORDER_DTTO, CD_INTENSITY_HIGH, "2026-06-03", 24);
    tu_appt(c, "A1", "2026-06-10", 60, CD_APPT_PROBATION, CD_OUT_ABSENT_UNACCEPTABLE);
    tu_warning(c, "W1", "2026-06-10", "A1", "warning");
    tu_appt(c, "A2", "2027-06-11", 60, CD_APPT_PROBATION, CD_OUT_ABSENT_UNACCEPTABLE);
    cd_enforcement e = cd_rules_enforcement(c, P("dtto-2004"), tu_date("2027-06-20"), c->arena);
    ck_assert(!e.breach_required);
    ck_assert_int_eq(e.in_window, 1);
    e = cd_rules_enforcement(c, P("drr-2020"), tu_date("2027-06-20"), c->arena);
    ck_assert(!e.breach_required);
    /* one day sooner (365 days): both trigger */
    c->appointments[1].date = tu_date("2027-06-10");
    e = cd_rules_enforcement(c, P("dtto-2004"), tu_date("2027-06-20"), c->arena);
    ck_assert(e.breach_required);
    e = cd_rules_enforcement(c, P("drr-2020"), tu_date("2027-06-20"), c->arena);
    ck_assert(e.breach_required);
    cd_case_free(c);
}
END_TEST

/* Absence 10 June (A1) and refusal 14 August (T1) answered by breach B1
 * initiated 20 August, heard 10 September (continued). An unnamed absence
 * on 18 August (A3) is on or before B1's initiation: spent too. A new
 * absence on 1 October is alone: no breach required as of 5 October. A
 * second on 1 November (31 days later): trigger 1 November. */
START_TEST(heard_breach_spends_failures)
{
    cd_case *c = tu_case_new(CD_ORDER_DTTO, CD_INTENSITY_HIGH, "2026-06-03", 12);
    tu_appt(c, "A1", "2026-06-10", 60, CD_APPT_PROBATION, CD_OUT_ABSENT_UNACCEPTABLE);
    tu_drug_test(c, "T1", "2026-08-14", CD_TEST_REFUSED);
    tu_appt(c, "A3", "2026-08-18", 60, CD_APPT_PROBATION, CD_OUT_ABSENT_UNACCEPTABLE);
    tu_breach(c, "B1", "2026-08-20", "2026-09-10", "A1 T1", CD_BREACH_CONTINUED);
    tu_appt(c, "A2", "2026-10-01", 60, CD_APPT_PROBATION, CD_OUT_ABSENT_UNACCEPTABLE);
    cd_enforcement e = cd_rules_enforcement(c, P("dtto-2004"), tu_date("2026-10-05"), c->arena);
    ck_assert_uint_eq(e.nfailures, 4);
    ck_assert_int_eq(e.in_window, 4);
    ck_assert_int_eq(e.spent_before, tu_date("2026-08-20"));
    ck_assert(!e.breach_required);
    ck_assert_ptr_null(e.open_breach);
    ck_assert_int_eq(e.unanswered, 1);
    ck_assert_uint_eq(e.failures[0].nbreaches, 1);
    ck_assert_int_eq(cd_rules_failure_status(&e, &e.failures[0]), CD_FSTATUS_SPENT);
    ck_assert_int_eq(cd_rules_failure_status(&e, &e.failures[2]), CD_FSTATUS_SPENT);   /* A3 */
    ck_assert_int_eq(cd_rules_failure_status(&e, &e.failures[3]), CD_FSTATUS_UNANSWERED);
    /* before the hearing, B1 is pending: open, and A3 is live -> with A2 two live failures */
    c->breaches[0].heard = CD_DATE_NONE;
    c->breaches[0].outcome = CD_BREACH_PENDING;
    e = cd_rules_enforcement(c, P("dtto-2004"), tu_date("2026-10-05"), c->arena);
    ck_assert_ptr_eq(e.open_breach, &c->breaches[0]);
    ck_assert(e.breach_required);
    ck_assert_int_eq(e.trigger->date, tu_date("2026-10-01"));
    ck_assert_int_eq(cd_rules_failure_status(&e, &e.failures[1]), CD_FSTATUS_IN_BREACH);
    c->breaches[0].heard = tu_date("2026-09-10");
    c->breaches[0].outcome = CD_BREACH_CONTINUED;
    tu_appt(c, "A4", "2026-11-01", 60, CD_APPT_PROBATION, CD_OUT_ABSENT_UNACCEPTABLE);
    e = cd_rules_enforcement(c, P("dtto-2004"), tu_date("2026-11-02"), c->arena);
    ck_assert(e.breach_required);
    ck_assert_int_eq(e.trigger->date, tu_date("2026-11-01"));
    /* Sunday 1 Nov + 10 working days = Friday 13 Nov */
    ck_assert_int_eq(e.pack_due, tu_date("2026-11-13"));
    cd_case_free(c);
}
END_TEST

/* A drr-2020 warning of 13 June naming A1 (absence of 10 June). */
START_TEST(warning_content_check)
{
    cd_case *c = tu_case_new(CD_ORDER_DRR, CD_INTENSITY_HIGH, "2026-06-03", 12);
    tu_appt(c, "A1", "2026-06-10", 60, CD_APPT_PROBATION, CD_OUT_ABSENT_UNACCEPTABLE);
    cd_warning *w = tu_warning(c, "W1", "2026-06-13", "A1",
        "On 10 June 2026 you did not attend your appointment. This failure is unacceptable. "
        "If you fail again within 12 months of this warning you will be returned to court.");
    cd_warning_check wc = cd_rules_warning_check(c, w);
    ck_assert(wc.circumstances);
    ck_assert(wc.unacceptable);
    ck_assert(wc.court_warning);
    w = tu_warning(c, "W2", "2026-06-13", "A1", "Final warning letter sent; see the latest courtesy note.");
    wc = cd_rules_warning_check(c, w);
    ck_assert(!wc.circumstances);
    ck_assert(!wc.unacceptable);
    ck_assert(!wc.court_warning);
    /* the date alone is enough for the circumstances; "13 June" is not "3 June" */
    w = tu_warning(c, "W3", "2026-06-13", "A1", "Re 2026-06-10: WITHOUT REASONABLE EXCUSE.");
    wc = cd_rules_warning_check(c, w);
    ck_assert(wc.circumstances);
    ck_assert(wc.unacceptable);
    ck_assert(!wc.court_warning);
    c->appointments[0].date = tu_date("2026-06-03");
    w = tu_warning(c, "W4", "2026-06-13", "A1", "Letter of 13 June.");
    ck_assert(!cd_rules_warning_check(c, w).circumstances);
    cd_case_free(c);
}
END_TEST

/* Order made 3 June 2026 for 12 months: 365 days. As of 2 December 2026:
 * 183 days served, 183/365 = 0.5014. Attendance 8 of 10 (two unacceptable
 * absences on separate days) = 0.80 >= 0.75 and served >= 0.5: HIGH. As of
 * 1 December (182/365 = 0.4986 < 0.5): MEDIUM. */
START_TEST(breach_figures_and_band)
{
    cd_case *c = tu_case_new(CD_ORDER_DTTO, CD_INTENSITY_HIGH, "2026-06-03", 12);
    const char *kept[] = { "2026-06-04", "2026-06-05", "2026-06-08", "2026-06-09", "2026-06-10",
                           "2026-06-11", "2026-06-12", "2026-06-15" };
    char id[32];
    for (int i = 0; i < 8; i++) {
        snprintf(id, sizeof id, "K%d", i);
        tu_appt(c, cd_arena_strdup(c->arena, id), kept[i], 60, CD_APPT_PROBATION, CD_OUT_ATTENDED);
    }
    tu_appt(c, "A1", "2026-11-02", 60, CD_APPT_PROBATION, CD_OUT_ABSENT_UNACCEPTABLE);
    tu_appt(c, "A2", "2026-11-16", 60, CD_APPT_PROBATION, CD_OUT_ABSENT_UNACCEPTABLE);
    const cd_profile *p = P("dtto-2004");
    cd_enforcement e = cd_rules_enforcement(c, p, tu_date("2026-12-02"), c->arena);
    cd_breach_figures bf = cd_rules_breach_figures(c, p, &e, tu_date("2026-12-02"));
    ck_assert_double_eq_tol(bf.share_served, 183.0 / 365.0, 1e-9);
    ck_assert_int_eq(bf.attendance.kept, 8);
    ck_assert_int_eq(bf.attendance.required, 10);
    ck_assert_int_eq(bf.days_to_trigger, tu_date("2026-11-16") - tu_date("2026-06-03"));   /* 166 */
    ck_assert_int_eq(bf.days_to_trigger, 166);
    ck_assert_int_eq(bf.failures_in_window, 2);
    ck_assert_int_eq(bf.band, CD_BAND_HIGH);
    /* 26 complete weeks by 2 Dec (week 26 ends 1 Dec): 13 x 2 + 13 x 1 = 39
     * tests required, none provided: testing rate 0 */
    ck_assert_int_eq(bf.tests_required, 39);
    ck_assert_double_eq_tol(bf.testing_rate, 0.0, 1e-9);
    bf = cd_rules_breach_figures(c, p, &e, tu_date("2026-12-01"));
    ck_assert_int_eq(bf.band, CD_BAND_MEDIUM);
    ck_assert_str_eq(cd_compliance_band_label(CD_BAND_WILFUL_PERSISTENT),
                     "wilful and persistent non-compliance");
    cd_case_free(c);
}
END_TEST

/* Attendance 2 of 5 (0.40 >= 0.25: LOW), but 3 failures in the window with
 * attendance under 0.50: WILFUL_PERSISTENT. 1 of 5 (0.20) with 4 failures:
 * WILFUL_PERSISTENT anyway. */
START_TEST(band_wilful_and_persistent)
{
    cd_case *c = tu_case_new(CD_ORDER_DTTO, CD_INTENSITY_HIGH, "2026-06-03", 12);
    tu_appt(c, "K1", "2026-06-04", 60, CD_APPT_PROBATION, CD_OUT_ATTENDED);
    tu_appt(c, "K2", "2026-06-05", 60, CD_APPT_PROBATION, CD_OUT_ATTENDED);
    tu_appt(c, "A1", "2026-06-08", 60, CD_APPT_PROBATION, CD_OUT_ABSENT_UNACCEPTABLE);
    tu_appt(c, "A2", "2026-06-09", 60, CD_APPT_PROBATION, CD_OUT_ABSENT_UNACCEPTABLE);
    const cd_profile *p = P("dtto-2004");
    cd_enforcement e = cd_rules_enforcement(c, p, tu_date("2026-07-01"), c->arena);
    cd_breach_figures bf = cd_rules_breach_figures(c, p, &e, tu_date("2026-07-01"));
    ck_assert_double_eq_tol(bf.attendance.rate, 0.5, 1e-9);
    ck_assert_int_eq(bf.band, CD_BAND_MEDIUM);
    tu_appt(c, "A3", "2026-06-10", 60, CD_APPT_PROBATION, CD_OUT_ABSENT_UNACCEPTABLE);
    e = cd_rules_enforcement(c, p, tu_date("2026-07-01"), c->arena);
    bf = cd_rules_breach_figures(c, p, &e, tu_date("2026-07-01"));
    ck_assert_double_eq_tol(bf.attendance.rate, 0.4, 1e-9);
    ck_assert_int_eq(bf.failures_in_window, 3);
    ck_assert_int_eq(bf.band, CD_BAND_WILFUL_PERSISTENT);
    /* the same rate with only 2 failures in the window would be LOW */
    e.in_window = 2;
    bf = cd_rules_breach_figures(c, p, &e, tu_date("2026-07-01"));
    ck_assert_int_eq(bf.band, CD_BAND_LOW);
    cd_case_free(c);
}
END_TEST

/* ---- summary helpers --------------------------------------------------------- */

/* Ended 2 June 2027 "completed": a completion. With a breach warrant
 * initiated 1 March 2027 still outstanding: not a completion. Good progress
 * counts; revoked does not; a running order is not complete. */
START_TEST(completion_with_warrant_outstanding)
{
    cd_case *c = tu_case_new(CD_ORDER_DTTO, CD_INTENSITY_HIGH, "2026-06-03", 12);
    ck_assert(!cd_order_completed(c));
    c->order.ended = tu_date("2027-06-02");
    c->order.end_reason = CD_END_COMPLETED;
    ck_assert(cd_order_completed(c));
    c->order.end_reason = CD_END_GOOD_PROGRESS;
    ck_assert(cd_order_completed(c));
    c->order.end_reason = CD_END_REVOKED_NON_COMPLIANCE;
    ck_assert(!cd_order_completed(c));
    c->order.end_reason = CD_END_COMPLETED;
    tu_breach(c, "B1", "2027-03-01", NULL, "", CD_BREACH_WARRANT);
    ck_assert(!cd_order_completed(c));
    c->breaches[0].outcome = CD_BREACH_CONTINUED;
    ck_assert(cd_order_completed(c));
    cd_case_free(c);
}
END_TEST

/* Born 4 June 1990: 35 on 3 June 2026 (26-35), 36 on 4 June 2026 (36-50). */
START_TEST(age_bands)
{
    cd_person p = { .date_of_birth = tu_date("1990-06-04") };
    ck_assert_str_eq(cd_age_band(&p, tu_date("2026-06-03")), "26-35");
    ck_assert_str_eq(cd_age_band(&p, tu_date("2026-06-04")), "36-50");
    ck_assert_str_eq(cd_age_band(&p, tu_date("2008-06-04")), "18-20");
    ck_assert_str_eq(cd_age_band(&p, tu_date("2011-06-03")), "18-20");
    ck_assert_str_eq(cd_age_band(&p, tu_date("2011-06-04")), "21-25");
    ck_assert_str_eq(cd_age_band(&p, tu_date("2041-06-04")), "51+");
    ck_assert_str_eq(cd_age_band(&p, tu_date("2008-06-03")), "under 18");
    p.date_of_birth = CD_DATE_NONE;
    ck_assert_str_eq(cd_age_band(&p, tu_date("2026-06-03")), "not recorded");
}
END_TEST

/* 12-month order from 3 June 2026 (365 days): share served as of 2 June
 * (before the order) 0; 3 June 1/365; 2 June 2027 and after: 1. Ended early on
 * 1 September 2026 (91 days served): 91/365 from then on. */
START_TEST(share_served)
{
    cd_case *c = tu_case_new(CD_ORDER_DTTO, CD_INTENSITY_HIGH, "2026-06-03", 12);
    const cd_order *o = &c->order;
    ck_assert_double_eq_tol(cd_order_share_served(o, tu_date("2026-06-02")), 0.0, 1e-12);
    ck_assert_double_eq_tol(cd_order_share_served(o, tu_date("2026-06-03")), 1.0 / 365, 1e-12);
    ck_assert_double_eq_tol(cd_order_share_served(o, tu_date("2027-06-02")), 1.0, 1e-12);
    ck_assert_double_eq_tol(cd_order_share_served(o, tu_date("2028-01-01")), 1.0, 1e-12);
    c->order.ended = tu_date("2026-09-01");
    ck_assert_double_eq_tol(cd_order_share_served(o, tu_date("2026-12-01")), 91.0 / 365, 1e-12);
    cd_case_free(c);
}
END_TEST

Suite *rules_suite(void)
{
    Suite *s = suite_create("rules");
    TCase *t = tcase_create("failures");
    tcase_add_test(t, three_missed_one_day_is_one_failure);
    tcase_add_test(t, refusal_is_a_failure_each);
    tcase_add_test(t, missed_test_same_day_as_absence);
    tcase_add_test(t, acceptable_absences_not_counted);
    tcase_add_test(t, decision_failure);
    tcase_add_test(t, twelve_month_window);
    suite_add_tcase(s, t);

    t = tcase_create("weeks");
    tcase_add_test(t, weeks_from_order_date);
    tcase_add_test(t, contact_hours_attended_and_late_only);
    tcase_add_test(t, contact_lower_intensity_days_and_hours);
    tcase_add_test(t, phases_by_profile);
    tcase_add_test(t, drr_week_14_twelve_hours_meets);
    tcase_add_test(t, working_days_on_the_court_calendar);
    tcase_add_test(t, breach_pack_due_by_month_end);
    tcase_add_test(t, week_straddling_review_judged_once);
    tcase_add_test(t, records_cut_at_export);
    tcase_add_test(t, attendance_rate);
    tcase_add_test(t, first_contacts);
    tcase_add_test(t, share_served);
    suite_add_tcase(s, t);

    t = tcase_create("tests");
    tcase_add_test(t, prescribed_methadone_not_positive);
    tcase_add_test(t, percent_with_base);
    tcase_add_test(t, period_with_no_tests);
    tcase_add_test(t, tests_required_and_statuses);
    tcase_add_test(t, days_since_last_positive);
    tcase_add_test(t, monthly_series);
    tcase_add_test(t, direction_sentence);
    suite_add_tcase(s, t);

    t = tcase_create("reviews");
    tcase_add_test(t, review_periods);
    tcase_add_test(t, next_review_schedule_high_vs_low);
    tcase_add_test(t, next_review_fixed_by_bench);
    tcase_add_test(t, ended_order_no_next_review);
    tcase_add_test(t, profile_selection);
    suite_add_tcase(s, t);

    t = tcase_create("enforcement");
    tcase_add_test(t, dtto_second_failure_vs_drr2020_after_warning);
    tcase_add_test(t, failures_far_apart_no_trigger);
    tcase_add_test(t, heard_breach_spends_failures);
    tcase_add_test(t, warning_content_check);
    tcase_add_test(t, breach_figures_and_band);
    tcase_add_test(t, band_wilful_and_persistent);
    tcase_add_test(t, completion_with_warrant_outstanding);
    tcase_add_test(t, age_bands);
    suite_add_tcase(s, t);
    return s;
}
