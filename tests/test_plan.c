/* test_plan.c -- the public planning calls (include/courtdocs.h, src/plan.c):
 * cd_plan_due, what `courtdocs batch` renders, and cd_case_statuses, what
 * `courtdocs cases` lists, called as another program would, on the batch
 * fixture tests/fixtures/batch/due-2026-12.xml (exported 20 November 2026).
 *
 * Worked by hand in the fixture's comment: reviews due in December 2026 are
 * ../../etc/x on Wed 16 December, A/1, A_1 and the quoted ref on Mon 7
 * December, BAT/2026/0001 on Mon 14 December; NOT/DUE (made Sat 20 June
 * 2026, 18 months) is next reviewed on Thu 21 January 2027. On 20 November
 * NOT/DUE is in week (20 Nov - 20 Jun = 153 days) / 7 + 1 = 22 of
 * ceil(548 / 7) = 79 (20 June 2026 to 19 December 2027 is 548 days). */
#include "testutil.h"
#include "courtdocs.h"
#include <stdlib.h>
#include <string.h>

#define FIXTURE "tests/fixtures/batch/due-2026-12.xml"

/* The fixture's store, imported once (a name of its own: the suites share
 * one folder). */
static const char *fixture_db(void)
{
    static const char *db;
    if (!db) db = tu_store("plan-api.db", FIXTURE);
    return db;
}

static cd_store *open_fixture(void)
{
    cd_error err = { 0 };
    cd_store *s = NULL;
    ck_assert_msg(cd_store_open(fixture_db(), CD_STORE_READONLY, &s, &err) == CD_OK, "%s", err.message);
    return s;
}

/* The reviews due in December 2026, in case ref order, with their dates. */
START_TEST(reviews_due_in_a_month)
{
    static const char *const want[][2] = {
        { "../../etc/x", "2026-12-16" }, { "A/1", "2026-12-07" }, { "A_1", "2026-12-07" },
        { "BAT/2026/0001", "2026-12-14" }, { "Q \"quoted\" ref, with spaces", "2026-12-07" },
    };
    cd_store *s = open_fixture();
    cd_error err = { 0 };
    cd_due_document *due = NULL;
    size_t n = 0;
    ck_assert_int_eq(cd_plan_due(s, CD_DOC_REVIEW, "2026-12", NULL, &due, &n, &err), CD_OK);
    ck_assert_uint_eq(n, 5);
    for (size_t i = 0; i < n; i++) {
        ck_assert_str_eq(due[i].case_ref, want[i][0]);
        ck_assert_str_eq(due[i].date, want[i][1]);
    }
    cd_due_documents_free(due, n);
    /* January 2027: NOT/DUE's quarterly review, and the others' next (the
     * run date is ignored for reviews) */
    ck_assert_int_eq(cd_plan_due(s, CD_DOC_REVIEW, "2027-01", "2026-11-20", &due, &n, &err), CD_OK);
    int found = 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(due[i].case_ref, "NOT/DUE") == 0) {
            found = 1;
            ck_assert_str_eq(due[i].date, "2027-01-21");
        }
    ck_assert(found);
    cd_due_documents_free(due, n);
    cd_store_close(s);
}
END_TEST

/* The statuses a cd_case_statuses walk gave (the fixture's six cases at
 * the most and room to spare), each ref a copy (free with statuses_free). */
typedef struct {
    char *refs[8], next[8][11];
    cd_order_state state[8];
    int week[8], total[8];
    size_t n;
} statuses;

static void statuses_free(statuses *l)
{
    for (size_t i = 0; i < l->n; i++) free(l->refs[i]);
}

static int keep_status(void *ctx, const cd_case_status *st, cd_error *err)
{
    (void)err;
    statuses *l = ctx;
    ck_assert_uint_lt(l->n, 8);
    l->refs[l->n] = strdup(st->case_ref);
    ck_assert_ptr_nonnull(l->refs[l->n]);
    memcpy(l->next[l->n], st->next_review, 11);
    l->state[l->n] = st->state;
    l->week[l->n] = st->week;
    l->total[l->n] = st->total_weeks;
    l->n++;
    return CD_OK;
}

/* The listing: every case with its week and next review; with a month,
 * only the cases cd_plan_due plans, with the same dates. */
START_TEST(case_statuses_agree_with_the_plan)
{
    cd_store *s = open_fixture();
    cd_error err = { 0 };
    statuses all = { 0 };
    ck_assert_int_eq(cd_case_statuses(s, "2026-11-20", NULL, keep_status, &all, &err), CD_OK);
    ck_assert_uint_eq(all.n, 6);
    ck_assert_str_eq(all.refs[4], "NOT/DUE");
    ck_assert_int_eq(all.state[4], CD_ORDER_STATE_RUNNING);
    ck_assert_int_eq(all.week[4], 22);
    ck_assert_int_eq(all.total[4], 79);
    ck_assert_str_eq(all.next[4], "2027-01-21");

    statuses due = { 0 };
    ck_assert_int_eq(cd_case_statuses(s, "2026-11-20", "2026-12", keep_status, &due, &err), CD_OK);
    cd_due_document *plan = NULL;
    size_t n = 0;
    ck_assert_int_eq(cd_plan_due(s, CD_DOC_REVIEW, "2026-12", NULL, &plan, &n, &err), CD_OK);
    ck_assert_uint_eq(due.n, n);
    for (size_t i = 0; i < n; i++) {
        ck_assert_str_eq(due.refs[i], plan[i].case_ref);
        ck_assert_str_eq(due.next[i], plan[i].date);
    }
    cd_due_documents_free(plan, n);
    statuses_free(&all);
    statuses_free(&due);
    cd_store_close(s);
}
END_TEST

/* A callback's error stops the walk and is returned. */
static int stop_at_second(void *ctx, const cd_case_status *st, cd_error *err)
{
    (void)st;
    int *seen = ctx;
    if (++*seen == 2)
        return cd_error_set(err, CD_EGENERAL, "stopped");
    return CD_OK;
}

/* Bad input is refused with CD_EUSAGE and a sentence; nothing is returned. */
START_TEST(bad_input_refused)
{
    cd_store *s = open_fixture();
    cd_error err = { 0 };
    cd_due_document *due = (cd_due_document *)1;
    size_t n = 99;
    ck_assert_int_eq(cd_plan_due(s, CD_DOC_REVIEW, "2026-13", NULL, &due, &n, &err), CD_EUSAGE);
    ck_assert_ptr_null(due);
    ck_assert_uint_eq(n, 0);
    HAS(err.message, "2026-13");
    ck_assert_int_eq(cd_plan_due(s, CD_DOC_BREACH, "2026-12", "2026-02-30", &due, &n, &err), CD_EUSAGE);
    HAS(err.message, "2026-02-30");
    ck_assert_int_eq(cd_plan_due(s, CD_DOC_PSR, "2026-12", NULL, &due, &n, &err), CD_EUSAGE);
    int seen = 0;
    ck_assert_int_eq(cd_case_statuses(s, "2026-11-31", NULL, stop_at_second, &seen, &err), CD_EUSAGE);
    ck_assert_int_eq(cd_case_statuses(s, NULL, "26-12", stop_at_second, &seen, &err), CD_EUSAGE);
    ck_assert_int_eq(seen, 0);
    ck_assert_int_eq(cd_case_statuses(s, "2026-11-20", NULL, stop_at_second, &seen, &err), CD_EGENERAL);
    ck_assert_int_eq(seen, 2);
    ck_assert_str_eq(err.message, "stopped");
    cd_store_close(s);
}
END_TEST

Suite *plan_suite(void)
{
    Suite *s = suite_create("plan");
    TCase *t = tcase_create("plan");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, reviews_due_in_a_month);
    tcase_add_test(t, case_statuses_agree_with_the_plan);
    tcase_add_test(t, bad_input_refused);
    suite_add_tcase(s, t);
    return s;
}
