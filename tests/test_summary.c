/* test_summary.c -- the caseload summary end to end against
 * tests/fixtures/summary/caseload.xml, period 1 January - 31 October 2026.
 *
 * Worked by hand:
 *   in force: S/1-S/8 and S/10-S/14 = 13 (S/9 ended in 2024).
 *   commencements (made in the period): all but S/5 (made 2025) = 12.
 *   terminations in the period: S/1, S/2, S/3, S/5, S/8, S/10-S/14 = 10:
 *     completed S/1, S/3, S/5, S/8, S/10, S/11; revoked S/2, S/12-S/14.
 *   completions: S/3 expired with a warrant outstanding (breach B2, 15 Sep,
 *     before its end on 30 Sep): not a completion -> 5 of 10 = 50%
 *     (counting S/3 would give 60%).
 *   breaches initiated in the period: S/2, S/3, S/12, S/13, S/14 = 5;
 *     per 100 commencements 5 / 12 x 100 = 41.7 -> 42.
 *   tests: opiates month 1: S/1 T1 negative, T2 positive; S/4 T1 negative
 *     -> 2 of 3 (67%); cocaine month 1: S/1 T1 positive -> 0 of 1 (0%).
 *   sex: female 7 (S/6, S/7, S/10-S/14), male 5, other 1 (S/4): "other"
 *     is under 5, the only one, so the next smallest (male, 5) is hidden
 *     too (complementary suppression): "other" prints "<5", "male" (5, so
 *     never "<5") "hidden*" with the note naming it.
 *   ethnicity: White British 10, Asian British 1, Black British 1, not
 *     recorded 1 (S/3): three groups "<5", "not recorded" a group of its own.
 *   --court "Camberwell Magistrates' Court": S/7 only -> 1 in force. */
#include "testutil.h"
#include "rules.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static const char *fixture_db(void)
{
    static const char *db;
    if (!db) db = tu_store("summary.db", "tests/fixtures/summary/caseload.xml");
    return db;
}

static char *summary_text(const char *name, const char *extra)
{
    char pdf[512];
    snprintf(pdf, sizeof pdf, "%s", tu_path(name));
    int rc = tu_run("CD_TODAY=2026-11-02 %s summary --db '%s' --from 2026-01-01 --to 2026-10-31 -o '%s' %s",
                    tu_bin(), fixture_db(), pdf, extra ? extra : "");
    ck_assert_msg(rc == 0, "summary exited %d: %s", rc, tu_err());
    ck_assert_int_eq(tu_run("qpdf --check '%s'", pdf), 0);
    char *t = tu_pdf_text(pdf);
    ck_assert_ptr_nonnull(t);
    return tu_squeeze(t);
}

START_TEST(totals)
{
    char *t = summary_text("sum.pdf", NULL);
    HAS(t, "Orders in force 13");
    HAS(t, "Commencements 12");
    HAS(t, "Terminations 10");
    HAS(t, "Completion rate 50% (5 completed;");
    HAS(t, "Breaches per 100 commencements 42 (5 breaches initiated)");
    HAS(t, "1 2 of 3 (67%) 0 of 1 (0%)");            /* month 1: opiates, cocaine */
    HAS(t, "revoked for failure to comply <5");       /* 4 orders */
    HAS(t, "DRR under the Sentencing Act 2020");
    HASNT(t, "(drr-2020)");                          /* the profile's title, not its id */
    HAS(t, "(5 breaches initiated)");
    free(t);
}
END_TEST

START_TEST(small_groups_suppressed)
{
    char *t = summary_text("sum2.pdf", NULL);
    HAS(t, "female 7 7 5");                  /* orders, began, ended */
    HAS(t, "male hidden* -");                /* 5, hidden as the complement of "other" */
    HASNT(t, "male <5");                     /* never "<5" for a count of 5 or more */
    HAS(t, "* Hidden to protect a smaller group: male has 5 or more people");
    HAS(t, "other <5 -");
    HAS(t, "Asian British <5 -");
    HAS(t, "White British 10 9 9");
    HAS(t, "not recorded <5 -");
    HAS(t, "21-25 5 5 5");
    HASNT(t, "under 18");                    /* no band the order types cannot have */
    free(t);
}
END_TEST

START_TEST(filters)
{
    char *t = summary_text("sum3.pdf", "--court \"Camberwell Magistrates' Court\"");
    HAS(t, "Orders in force 1");
    HAS(t, "Court Camberwell Magistrates' Court");
    free(t);
    t = summary_text("sum4.pdf", "--team 'Lambeth DRR team'");
    HAS(t, "Orders in force 12");
    free(t);
    ck_assert_int_eq(tu_run("%s summary --db '%s' --from 2026-12-01 --to 2026-01-01", tu_bin(), fixture_db()), 2);
    ck_assert_int_eq(tu_run("%s summary --db '%s' --from 2026-02-30", tu_bin(), fixture_db()), 2);
    ck_assert_int_eq(tu_run("%s summary", tu_bin()), 2);
}
END_TEST

/* The export cut-off (DOMAIN.md, how current the records are; docs/rules.md
 * section 12), tests/fixtures/summary/after-export.xml, exported 2 November
 * 2026, period 1 January - 31 December 2026. Worked by hand:
 *   in force 10, commenced 10 (all made in 2026).
 *   E/1-E/5 completed 13 October (before the export): 5 terminations.
 *   E/6-E/10 revoked 20 November, after the export: not on record as the
 *     summary may use the records, so still in force, not terminated.
 *   terminations 5 (not 10); completion 5 of 5 = 100% (not 5 of 10 = 50%);
 *     revoked for failure to comply 0 (not 5).
 *   full weeks judged: E/1-E/5 made Tue 14 April, 6 months to 13 October
 *     = 183 days: 26 full weeks each = 130; E/6-E/10 made Mon 12 January:
 *     12 January to 2 November is 294 days, week n ends on day 7n - 1 <=
 *     294, so n <= 42: 42 each = 210 (the weeks after the export are not
 *     judged); 130 + 210 = 340, none with contact: "0 of 340".
 *   records to 2 November 2026. */
START_TEST(summary_uses_records_to_the_export)
{
    const char *db = tu_store("after-export.db", "tests/fixtures/summary/after-export.xml");
    const char *pdf = tu_path("after-export.pdf");
    int rc = tu_run("CD_TODAY=2026-11-02 %s summary --db '%s' --from 2026-01-01 --to 2026-12-31 -q -o '%s'",
                    tu_bin(), db, pdf);
    ck_assert_msg(rc == 0, "summary exited %d: %s", rc, tu_err());
    char *t = tu_pdf_text(pdf);
    ck_assert_ptr_nonnull(t);
    tu_squeeze(t);
    HAS(t, "Records to 2 November 2026: nothing dated after a case's export is counted");
    HAS(t, "Orders in force 10 ");
    HAS(t, "Commencements 10 ");
    HAS(t, "Terminations 5 Completion rate 100% (5 completed;");
    HASNT(t, "Terminations 10");
    HAS(t, "Weeks meeting contact hours 0 of 340 (0%)");
    HAS(t, "completed 5 ");
    HAS(t, "revoked for failure to comply 0 ");
    free(t);
}
END_TEST

/* Age bands the order type allows: a DTTO from 16, a DRR only at 18 or over
 * (born 4 June 1990: 16 on 4 June 2006, 18 on 4 June 2008). */
START_TEST(age_bands_by_order_type)
{
    cd_person p;
    memset(&p, 0, sizeof p);
    cd_date_parse("1990-06-04", &p.date_of_birth);
    cd_order o;
    memset(&o, 0, sizeof o);
    o.present = true;
    o.type = CD_ORDER_DTTO;
    cd_date_parse("2006-06-04", &o.made);                  /* 16 that day */
    ck_assert_str_eq(cd_age_band_for_order(&p, &o), "16-17");
    cd_date_parse("2006-06-03", &o.made);                  /* 15: no DTTO */
    ck_assert_str_eq(cd_age_band_for_order(&p, &o), CD_AGE_IN_DOUBT);
    o.type = CD_ORDER_DRR;
    cd_date_parse("2008-06-03", &o.made);                  /* 17: no DRR */
    ck_assert_str_eq(cd_age_band_for_order(&p, &o), CD_AGE_IN_DOUBT);
    cd_date_parse("2008-06-04", &o.made);                  /* 18 */
    ck_assert_str_eq(cd_age_band_for_order(&p, &o), "18-20");
    p.date_of_birth = CD_DATE_NONE;
    ck_assert_str_eq(cd_age_band_for_order(&p, &o), "not recorded");
}
END_TEST

Suite *summary_suite(void)
{
    Suite *s = suite_create("summary");
    TCase *t = tcase_create("summary");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, totals);
    tcase_add_test(t, small_groups_suppressed);
    tcase_add_test(t, filters);
    tcase_add_test(t, summary_uses_records_to_the_export);
    tcase_add_test(t, age_bands_by_order_type);
    suite_add_tcase(s, t);
    return s;
}
