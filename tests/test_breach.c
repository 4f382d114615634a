/* test_breach.c -- the breach pack end to end, against the fixtures of
 * tests/fixtures/breach/breach.xml (the chronology, the trigger, the
 * refusal without one) and tests/fixtures/breach/pack.xml (the allegations,
 * the statute by profile, the history, the witness statement and its pages,
 * the exhibits, warnings read against their failures), with the figures
 * worked by hand there and below. Packs are prepared as of 2 November 2026.
 * The PDF is read back with `pdftotext -raw` (reading order: a DRAFT
 * overprint does not break the lines under it). */
#include "testutil.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIX "tests/fixtures/breach/"
#define AS_OF "CD_TODAY=2026-11-02 "

/* The value after the last "destpageposfrom1": in s (qpdf's JSON of the
 * outlines), or NULL. */
static char *strrstr_page(char *s)
{
    char *last = NULL;
    for (char *p = s; (p = strstr(p, "\"destpageposfrom1\":")); p++)
        last = p + strlen("\"destpageposfrom1\":");
    return last;
}

static const char *fixture_db(void)
{
    static const char *db;
    if (!db) db = tu_store("breach.db", FIX "breach.xml");
    return db;
}

static const char *pack_db(void)
{
    static const char *db;
    if (!db) db = tu_store("pack.db", FIX "pack.xml");
    return db;
}

static int run_breach_in(const char *db, const char *ref, const char *name, const char *extra)
{
    return tu_run(AS_OF "%s breach --db '%s' --case '%s' -o '%s' %s", tu_bin(), db, ref,
                  tu_path(name), extra ? extra : "");
}

static int run_breach(const char *ref, const char *name, const char *extra)
{
    return run_breach_in(fixture_db(), ref, name, extra);
}

/* The pack's text, pages kept apart by form feeds (squeeze keeps them). */
static char *pack_text_in(const char *db, const char *ref, const char *name, const char *extra)
{
    char pdf[512];
    snprintf(pdf, sizeof pdf, "%s", tu_path(name));
    int rc = run_breach_in(db, ref, name, extra);
    ck_assert_msg(rc == 0, "breach %s exited %d: %s", ref, rc, tu_err());
    char *t = tu_pdf_raw_text(pdf);
    ck_assert_ptr_nonnull(t);
    /* squeeze each page on its own so that the form feeds survive */
    for (char *p = t; *p; p++)
        if (*p == '\f')
            *p = '\x01';
    tu_squeeze(t);
    for (char *p = t; *p; p++)
        if (*p == '\x01')
            *p = '\f';
    return t;
}

static char *breach_text(const char *ref, const char *name, const char *extra)
{
    return pack_text_in(fixture_db(), ref, name, extra);
}

static char *pack_text(const char *ref, const char *name)
{
    return pack_text_in(pack_db(), ref, name, NULL);
}

/* BR/1: A2 absent on 5 Oct (warned), T1 refused on Monday 19 Oct: the
 * second failure in 12 months, so the trigger; due 19 Oct + 10 working
 * days = Monday 2 November 2026. A3 (12 Oct) was an acceptable absence. */
START_TEST(two_failures_pack_made)
{
    char *t = breach_text("BR/1", "br1.pdf", NULL);
    HAS(t, "1. Monday 5 October 2026: failed to attend a probation appointment");
    HAS(t, "2. Monday 19 October 2026: refused to provide a sample (requires breach action)");
    HAS(t, "Failure 2, on Monday 19 October 2026");
    HAS(t, "The pack is due by 2 November 2026");
    HAS(t, "Said he forgot.");
    HAS(t, "Phoned twice; no answer.");                /* contact attempt */
    HAS(t, "I ask the court to deal with the breach"); /* the statement */
    HAS(t, "Says what happened Yes");                  /* W1 says all three things */
    HAS(t, "Says it is unacceptable Yes");
    HAS(t, "Says: again means court Yes");
    HAS(t, "Matches that failure Yes");
    HAS(t, "Drug treatment and testing, 12 months");   /* the requirement breached */
    /* never an acceptable absence */
    HASNT(t, "Funeral");
    HASNT(t, "A3");
    /* cover sheet index with page numbers: cover, allegations, statement
     * (whole pages), then exhibits and chronology share page 4 */
    HAS(t, "4. Chronology of failures in the last 12 months page 4");
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

/* BR/3: A1 on 1 Sep 2025 is 427 days before the pack (warned by W0):
 * history, not laid; A2 (5 Oct) and A3 (19 Oct, the trigger) were never
 * answered: both are laid, allegations 1 and 2. */
START_TEST(old_failure_is_history)
{
    char *t = breach_text("BR/3", "br3.pdf", NULL);
    HAS(t, "1. Monday 5 October 2026");
    HAS(t, "2. Monday 19 October 2026");
    HASNT(t, "1. Monday 1 September 2025");
    HAS(t, "Allegation 1 That on Monday 5 October 2026");
    HAS(t, "Allegation 2 (the failure that made breach action due) That on Monday 19 October 2026");
    HAS(t, "Failures already answered (history, not laid)");
    HAS(t, "01/09/2025 failed to attend a probation appointment at 10:00 a warning given on 2 September 2025");
    HASNT(t, "not part of this breach");
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
    /* one allegation for the day, naming every appointment missed */
    HAS(t, "in that she failed to attend a probation appointment at 09:00, failed to attend a group "
           "appointment at 11:00 and failed to attend a treatment appointment at 14:00.");
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

/* ---- the allegation, the statement, the exhibits (pack.xml) --------------------
 * Every PK case: A1 probation absence on Monday 7 Sep 2026 (reason
 * "Overslept."), warned by W1 on 8 Sep: history, not laid. The failure laid
 * is on Monday 12 Oct 2026, the trigger; the pack is due 12 Oct + 10 working
 * days = Monday 26 Oct 2026. The officer is Ann Rees: exhibits AR/1 (the
 * order), AR/2 (W1, in the window), AR/3 (the record of the failure laid),
 * AR/4 (the contact attempt of 13 Oct). */

/* The statute and the requirement come from the order's profile. */
START_TEST(statute_by_profile)
{
    static const struct { const char *ref, *statute, *requirement; } P[] = {
        { "PK/1", "Powers of Criminal Courts (Sentencing) Act 2000, Schedule 3", "the testing requirement of the order" },
        { "PK/2", "Criminal Justice Act 2003, Schedule 8", "the drug rehabilitation requirement (testing)" },
        { "PK/3", "Sentencing Act 2020, Schedule 10", "the drug rehabilitation requirement (testing)" },
    };
    for (size_t i = 0; i < sizeof P / sizeof P[0]; i++) {
        char *t = pack_text(P[i].ref, "pk-statute.pdf");
        char want[512];
        snprintf(want, sizeof want, "Proceedings under %s", P[i].statute);
        HAS(t, want);                                    /* the cover sheet */
        snprintf(want, sizeof want, "Proceedings under the %s. Evidence: exhibit AR/3.", P[i].statute);
        HAS(t, want);                                    /* under the allegation */
        snprintf(want, sizeof want, "Allegation 1 (the failure that made breach action due) That on Monday "
                 "12 October 2026 Alex Example, being subject to a %s made on 1 June 2026 by Inner London "
                 "Crown Court, failed without reasonable excuse to comply with %s, in that he refused to "
                 "provide a urine sample for a drug test.",
                 i == 0 ? "Drug Treatment and Testing Order" : "Drug Rehabilitation Requirement", P[i].requirement);
        HAS(t, want);
        HASNT(t, "Allegation 2");
        HAS(t, "The pack is due by 26 October 2026");
        free(t);
    }
    /* drr-2020: the trigger is the failure after the warning */
    char *t = pack_text("PK/3", "pk3.pdf");
    HAS(t, "an unacceptable failure (12 October 2026) within 12 months of the warning of 8 September 2026");
    free(t);
}
END_TEST

/* A1 was answered by W1: shown apart with what answered it, never laid. */
START_TEST(warned_failure_is_history)
{
    char *t = pack_text("PK/1", "pk1.pdf");
    HAS(t, "Failures already answered (history, not laid)");
    HAS(t, "07/09/2026 failed to attend a probation appointment at 10:00 with Ann Rees "
           "a warning given on 8 September 2026 (exhibit AR/2)");
    HAS(t, "Not laid: already answered (warned).");
    HAS(t, "Laid as an allegation.");
    HASNT(t, "That on Monday 7 September 2026");
    HASNT(t, "not part of this breach");
    HASNT(t, "None.");
    HASNT(t, "DRAFT");                 /* everything the law asks is there */
    free(t);
}
END_TEST

/* PK/4: the only statement is dated 10 Sep 2026, before the trigger of
 * 12 Oct: never used; the pack is a DRAFT on every page, the gap on page 1. */
START_TEST(stale_statement_is_draft)
{
    char *t = pack_text("PK/4", "pk4.pdf");
    int pages = tu_count(t, "\f") + (t[strlen(t) - 1] == '\f' ? 0 : 1);
    ck_assert_int_ge(pages, 4);
    /* the marking reads "DRAFT OFFICIAL-SENSITIVE" at the top and foot of every page */
    ck_assert_int_eq(tu_count(t, "DRAFT OFFICIAL-SENSITIVE"), 2 * pages);
    char *page2 = strchr(t, '\f');
    ck_assert_ptr_nonnull(page2);
    *page2 = '\0';                     /* page 1 alone */
    HAS(t, "DRAFT: not ready for court.");
    HAS(t, "the officer's witness statement: the latest statement on record is dated 10 September 2026, "
           "before the failure of 12 October 2026 that this breach is about, so it belongs to an earlier "
           "breach and is not used. A new statement, dated on or after 12 October 2026, is needed.");
    *page2 = '\f';
    HAS(t, "[DRAFT: the officer's own account is needed. The latest statement on record is dated "
           "10 September 2026");
    HASNT(t, "another chance after the first failure");      /* the stale note's words */
    free(t);
    HAS(tu_err(), "warning: case PK/4: the breach statement of 2026-09-10 is dated before the failure");
}
END_TEST

/* Exhibits named AR/1.. in order (the order, the warning, the record laid,
 * the contact attempts), and the statement refers to each by that name. */
START_TEST(exhibits_numbered_and_referred_to)
{
    char *t = pack_text("PK/1", "pk1x.pdf");
    HAS(t, "AR/1 The order made on 1 June 2026 by Inner London Crown Court OP1");
    HAS(t, "AR/2 Warning letter of 8 September 2026 W1 On 7 September 2026 you failed to attend your "
           "appointment. This failure is unacceptable.");
    HAS(t, "AR/3 The drug test record of 12 October 2026 T1 He refused to provide a urine sample for a drug test.");
    HAS(t, "AR/4 The record of 1 contact attempt - 2026-10-13, Ann Rees: Phoned and wrote; no reply.");
    HASNT(t, "AR/5");
    /* the statement */
    HAS(t, "I produce the order as exhibit AR/1.");
    HAS(t, "On 8 September 2026 Alex Example was given a written warning (exhibit AR/2) for the failure "
           "on 7 September 2026, when he failed to attend a probation appointment at 10:00 with Ann Rees.");
    HAS(t, "On 12 October 2026 Alex Example refused to provide a urine sample for a drug test, and so "
           "failed to comply with the testing requirement of the order. No reason was given. The record "
           "of this is exhibit AR/3.");
    HAS(t, "The record of these attempts is exhibit AR/4.");
    HAS(t, "I ask the court to deal with the breach and allow the order to continue.");   /* own words */
    HAS(t, "Statement of Ann Rees Age Over 18 Occupation Probation officer");
    HAS(t, "is true to the best of my knowledge and belief");
    free(t);
}
END_TEST

/* PK/5: twelve long paragraphs of the officer's own words take the
 * statement over two whole pages: the declaration says so, and each of its
 * pages (and no other) carries a signature line and "page N of 2". */
START_TEST(statement_over_two_pages)
{
    char *t = pack_text("PK/5", "pk5.pdf");
    HAS(t, "This statement (consisting of 2 pages, each signed by me)");
    ck_assert_int_eq(tu_count(t, "Signed: ____"), 2);
    int signed_pages = 0, page = 1, first = 0;
    for (char *p = t; p; page++) {
        char *end = strchr(p, '\f');
        if (end)
            *end = '\0';
        if (strstr(p, "Signed: ____")) {
            char want[96];
            snprintf(want, sizeof want, "Witness statement of Ann Rees, page %d of 2", ++signed_pages);
            HAS(p, want);
            if (!first)
                first = page;
            ck_assert_int_eq(page, first + signed_pages - 1);     /* consecutive */
            if (signed_pages == 1)
                HAS(p, "consisting of 2");                        /* the declaration opens it */
        }
        if (end)
            *end = '\f';
        p = end ? end + 1 : NULL;
    }
    ck_assert_int_eq(signed_pages, 2);
    ck_assert_int_eq(first, 3);                                   /* cover, allegations, statement */
    HAS(t, "2. Witness statement of the responsible officer page 3");
    HAS(t, "3. Exhibits page 5");
    free(t);
    /* PK/1's statement fits one page */
    t = pack_text("PK/1", "pk1s.pdf");
    HAS(t, "(consisting of 1 page, each signed by me)");
    HAS(t, "Witness statement of Ann Rees, page 1 of 1");
    free(t);
}
END_TEST

/* PK/6: W1 answers A1 (7 Sep) but gives 1 September: flagged. T2 is a
 * missed test: described as one, never as a failure to attend; W2 calls it
 * a failure to attend: flagged. */
START_TEST(warnings_read_against_failures)
{
    char *t = pack_text("PK/6", "pk6.pdf");
    HAS(t, "in that he missed a urine drug test (no sample was provided).");
    HASNT(t, "in that he failed to attend");
    HAS(t, "12 October 2026: missed a drug test (no sample provided)");
    HAS(t, "Matches that failure No: it gives the date 1 September 2026, not the date of the failure it "
           "answers (7 September 2026).");
    HAS(t, "Matches that failure No: it describes a failure to attend, but the failure it answers is a "
           "missed drug test.");
    free(t);
    HAS(tu_err(), "the warning of 2026-09-08 (record W1) describes a different failure");
    HAS(tu_err(), "the warning of 2026-10-13 (record W2) describes a different failure");
    /* PK/1's warning gives its failure's date and describes it */
    t = pack_text("PK/1", "pk1w.pdf");
    HAS(t, "Matches that failure Yes");
    free(t);
}
END_TEST

/* The contents lines are links, and each part is a bookmark landing on the
 * page the contents gives (PK/1: allegations 2, statement 3, exhibits 4). */
START_TEST(contents_links_and_bookmarks)
{
    char *t = pack_text("PK/1", "pk1l.pdf");
    HAS(t, "1. The allegations page 2");
    HAS(t, "2. Witness statement of the responsible officer page 3");
    HAS(t, "3. Exhibits page 4");
    free(t);
    const char *pdf = tu_path("pk1l.pdf");
    ck_assert_int_eq(tu_run("qpdf --qdf --object-streams=disable '%s' - | grep -a -c '/Subtype /Link'", pdf), 0);
    ck_assert_int_eq(atoi(tu_out()), 9);
    ck_assert_int_eq(tu_run("qpdf --json --json-key=outlines '%s'", pdf), 0);
    char *json = strdup(tu_out());
    static const struct { const char *title; int page; } B[] = {
        { "\"1. The allegations\"", 2 }, { "\"2. Witness statement\"", 3 }, { "\"3. Exhibits\"", 4 },
    };
    for (size_t i = 0; i < sizeof B / sizeof B[0]; i++) {
        char *at = strstr(json, B[i].title);
        ck_assert_msg(at != NULL, "no bookmark %s", B[i].title);
        *at = '\0';
        char *pos = strrstr_page(json);
        ck_assert_msg(pos != NULL, "no page for %s", B[i].title);
        ck_assert_int_eq(atoi(pos), B[i].page);
        *at = '"';
    }
    free(json);
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
    tcase_add_test(t, statute_by_profile);
    tcase_add_test(t, warned_failure_is_history);
    tcase_add_test(t, stale_statement_is_draft);
    tcase_add_test(t, exhibits_numbered_and_referred_to);
    tcase_add_test(t, statement_over_two_pages);
    tcase_add_test(t, warnings_read_against_failures);
    tcase_add_test(t, contents_links_and_bookmarks);
    suite_add_tcase(s, t);
    return s;
}
