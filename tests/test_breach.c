/* test_breach.c -- the breach pack end to end, against the fixtures of
 * tests/fixtures/breach/breach.xml (figures worked by hand there and below).
 * Packs are prepared as of 2 November 2026 under dtto-2004, where a second
 * unacceptable failure within 12 months makes breach action mandatory. */
#include "testutil.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIX "tests/fixtures/breach/"
#define AS_OF "CD_TODAY=2026-11-02 "

static const char *fixture_db(void)
{
    static char db[512];
    if (!db[0]) {
        snprintf(db, sizeof db, "%s", tu_path("breach.db"));
        int rc = tu_run("%s import --create --db '%s' " FIX "breach.xml", tu_bin(), db);
        ck_assert_msg(rc == 0, "fixture import failed: %s", tu_err());
    }
    return db;
}

static int run_breach(const char *ref, const char *name, const char *extra)
{
    return tu_run(AS_OF "%s breach --db '%s' --case '%s' -o '%s' %s", tu_bin(), fixture_db(), ref,
                  tu_path(name), extra ? extra : "");
}

static char *breach_text(const char *ref, const char *name, const char *extra)
{
    char pdf[512];
    snprintf(pdf, sizeof pdf, "%s", tu_path(name));
    int rc = run_breach(ref, name, extra);
    ck_assert_msg(rc == 0, "breach %s exited %d: %s", ref, rc, tu_err());
    char *t = tu_pdf_text(pdf);
    ck_assert_ptr_nonnull(t);
    return tu_squeeze(t);
}

/* BR/1: A2 absent on 5 Oct (warned), T1 refused on Monday 19 Oct: the
 * second failure in 12 months, so the trigger; due 19 Oct + 10 working
 * days = Monday 2 November 2026. A3 (12 Oct) was an acceptable absence. */
START_TEST(two_failures_pack_made)
{
    char *t = breach_text("BR/1", "br1.pdf", NULL);
    HAS(t, "1. Monday 5 October 2026: failed to attend without acceptable reason");
    HAS(t, "2. Monday 19 October 2026: refused to provide a sample (requires breach action)");
    HAS(t, "Failure 2, on Monday 19 October 2026");
    HAS(t, "The pack is due by 2 November 2026");
    HAS(t, "Said he forgot.");
    HAS(t, "Phoned twice; no answer.");                /* contact attempt */
    HAS(t, "I ask the court to deal with the breach"); /* the statement */
    HAS(t, "Yes Yes Yes");                             /* W1 says all three things */
    HAS(t, "Drug treatment and testing, 12 months");   /* the requirement breached */
    /* never an acceptable absence */
    HASNT(t, "Funeral");
    HASNT(t, "A3");
    /* cover sheet index with page numbers */
    HAS(t, "2. Chronology of failures in the last 12 months page 2");
    free(t);
    /* T1 had neither a warning nor a breach: the author is warned */
    HAS(tu_err(), "warning: case BR/1: the failure of 2026-10-19 (record T1) had neither a warning nor a breach");
    char pdf[512];
    snprintf(pdf, sizeof pdf, "%s", tu_path("br1.pdf"));
    ck_assert_int_eq(tu_run("qpdf --check '%s'", pdf), 0);
}
END_TEST

/* BR/2: one failure: no breach to bring; refused (exit 6) unless forced. */
START_TEST(one_failure_refused)
{
    ck_assert_int_eq(run_breach("BR/2", "br2.pdf", NULL), 6);
    HAS(tu_err(), "BR/2");
    HAS(tu_err(), "no unacceptable failure to answer");
    HAS(tu_err(), "--force");
    ck_assert_int_ne(tu_run("test -e '%s'", tu_path("br2.pdf")), 0);
    char *t = breach_text("BR/2", "br2f.pdf", "--force");
    HAS(t, "The rules do not require breach action as of 2 November 2026");
    HAS(t, "No failure has yet made breach action mandatory");
    free(t);
}
END_TEST

/* BR/3: A1 on 1 Sep 2025 is 427 days before the pack: history, not part
 * of the breach; A2 (5 Oct) and A3 (19 Oct) are failures 1 and 2. */
START_TEST(old_failure_is_history)
{
    char *t = breach_text("BR/3", "br3.pdf", NULL);
    HAS(t, "1. Monday 5 October 2026");
    HAS(t, "2. Monday 19 October 2026");
    HASNT(t, "1. Monday 1 September 2025");
    HAS(t, "Failures outside the 12 months (history, not part of this breach)");
    HAS(t, "01/09/2025 failed to attend without acceptable reason A1 warned");
    free(t);
}
END_TEST

/* BR/4: M1, M2, M3 all missed on 5 Oct: one failure with three records. */
START_TEST(three_missed_one_day)
{
    char *t = breach_text("BR/4", "br4.pdf", NULL);
    HAS(t, "1. Monday 5 October 2026: failed to attend");
    HAS(t, "2. Monday 12 October 2026: refused to provide a sample (requires breach action)");
    HASNT(t, "3. Monday");                    /* no third failure */
    HAS(t, "M1 09:00");
    HAS(t, "M2 11:00");
    HAS(t, "M3 14:00");
    HAS(t, "The pack is due by 26 October 2026");
    HAS(t, "No statement has been recorded");
    free(t);
    HAS(tu_err(), "no breach statement has been recorded");
}
END_TEST

/* The chronology and the review count failures with the same code. */
START_TEST(same_count_as_review)
{
    ck_assert_int_eq(tu_run(AS_OF "%s facts --db '%s' --case BR/4 --kind breach | grep -c '<failure '",
                            tu_bin(), fixture_db()), 0);
    char breach_n[16];
    snprintf(breach_n, sizeof breach_n, "%s", tu_out());
    ck_assert_int_eq(tu_run(AS_OF "%s facts --db '%s' --case BR/4 --kind review --date 2026-11-02 | grep -c '<failure '",
                            tu_bin(), fixture_db()), 0);
    ck_assert_str_eq(tu_out(), breach_n);
    ck_assert_str_eq(breach_n, "2\n");
}
END_TEST

START_TEST(usage)
{
    ck_assert_int_eq(tu_run("%s breach --help", tu_bin()), 0);
    HAS(tu_out(), "--force");
    ck_assert_int_eq(tu_run("%s breach --db x.db", tu_bin()), 2);
    ck_assert_int_eq(tu_run("%s breach --db '%s' --case BR/1 --draft", tu_bin(), fixture_db()), 2);
    ck_assert_int_eq(run_breach("NO/SUCH", "none.pdf", NULL), 5);
}
END_TEST

Suite *breach_suite(void)
{
    Suite *s = suite_create("breach");
    TCase *t = tcase_create("breach");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, two_failures_pack_made);
    tcase_add_test(t, one_failure_refused);
    tcase_add_test(t, old_failure_is_history);
    tcase_add_test(t, three_missed_one_day);
    tcase_add_test(t, same_count_as_review);
    tcase_add_test(t, usage);
    suite_add_tcase(s, t);
    return s;
}
