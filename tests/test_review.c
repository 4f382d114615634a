/* test_review.c -- the court review report end to end: fixture case
 * records imported into a fresh store, `courtdocs review` run, and the PDF
 * text (pdftotext) and the data document (`courtdocs facts`) checked against
 * figures worked out by hand below. Fixture: tests/fixtures/review/review.xml.
 *
 * REV/1, review of 3 August 2026 (the date the court fixed on 1 July), so
 * review 2 covering 2 July to 3 August 2026:
 *   appointments: A1 attended 60, A2 late 120, A3 absent-acceptable (not
 *   required), A4 A5 A6 all absent-unacceptable on 9 July, A7 attended 60
 *   -> kept 3 (2 attended + 1 late) of required 6 = "3 of 6 (50%)";
 *      contact hours kept 60 + 120 + 60 min = 4 hours.
 *   tests: T1 opiates negative, cocaine positive, methadone positive but
 *   prescribed (shown "prescribed", outside the base); T2 refused; T3
 *   opiates positive (lab), cocaine negative
 *   -> opiates negative 1 of 2 (50%), cocaine negative 1 of 2 (50%).
 *   last period (2 June - 1 July): T0 opiates and cocaine positive
 *   -> 0 of 1 (0%) each: both rose (the trend sentence says so).
 *   last illicit positive: T3 on 20 July -> 14 days before 3 August.
 *   failures: 9 July (ONE failure for A4, A5, A6) and T2's refusal on
 *   13 July = 2 in the last 12 months. drr-2020: a failure after a warning
 *   (W1, 10 July) that does not name it -> breach required, trigger T2,
 *   pack due 13 July + 10 working days = Monday 27 July 2026.
 *   notes: a supervisor's assessment, no recommendation -> a DRAFT (the
 *   recommendation is required), the gap listed on page 1, warned on stderr.
 *   contact: last kept appointment A7 on 13 July; records to the hearing,
 *   3 August: 21 days without contact (14 or more) -> page 1 leads with it
 *   and attendance is "3 of 6 booked", never a percentage.
 * REV/3, DTTO low, made Tuesday 1 September 2026, first review 1 October:
 *   no tests -> "no tests"; first contacts: probation 2 Sept (1 working day:
 *   in time), treatment 7 Sept (4 working days: late). */
#include "testutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>

#define FIX "tests/fixtures/review/"

static const char *fixture_db(void)
{
    static const char *db;
    if (!db) db = tu_store("review.db", FIX "review.xml");
    return db;
}

/* Renders the review of ref on date into name; returns the squeezed text.
 * The review's stderr stays in tu_err(). */
static char *review_text(const char *ref, const char *date, const char *name)
{
    char pdf[512];
    snprintf(pdf, sizeof pdf, "%s", tu_path(name));
    int rc = tu_run("CD_TODAY=2026-10-05 %s review --db '%s' --case '%s' --date %s -o '%s'",
                    tu_bin(), fixture_db(), ref, date, pdf);
    ck_assert_msg(rc == 0, "review %s exited %d: %s", ref, rc, tu_err());
    char *t = tu_pdf_text(pdf);
    ck_assert_ptr_nonnull(t);
    return tu_squeeze(t);
}

START_TEST(first_page_and_figures)
{
    char *t = review_text("REV/1", "2026-08-03", "rev1.pdf");
    HAS(t, "2nd review");
    HAS(t, "2 July 2026 to 3 August 2026");
    HAS(t, "week 10 of 53");             /* (3 Aug - 1 Jun) / 7 + 1 = 63/7 + 1 = 10 */
    HAS(t, "3 of 6 booked");              /* no contact for 21 days: no percentage */
    HASNT(t, "3 of 6 (50%)");
    HAS(t, "1 of 1 booked");              /* last period: A0 attended */
    HASNT(t, "1 of 1 (100%)");
    HAS(t, "There has been no contact for 21 days. The last contact was on 13 July 2026: 21 days without contact.");
    HAS(t, "Records to 3 August 2026.");
    HAS(t, "1 of 2 (50%)");               /* opiates and cocaine negative */
    HAS(t, "0 of 1 (0%)");
    HAS(t, "Opiates negative rose from 0 of 1 (0%) to 1 of 2 (50%)");
    HAS(t, "14 (20 July 2026)");          /* days since the last positive */
    HAS(t, "DRR under the Sentencing Act 2020");
    HASNT(t, "drr-2020");                 /* the profile's title, never its id */
    /* attendance: contact hours from attended and late only: 4 hours */
    ck_assert_int_eq(tu_run("CD_TODAY=2026-10-05 %s facts --db '%s' --case REV/1 --date 2026-08-03"
                            " | grep -c 'kept=\"3\" required=\"6\" rate=\"50\" share=\"3 of 6 (50%%)\" hours=\"4\"'",
                            tu_bin(), fixture_db()), 0);
    free(t);
    /* the hearing held four days before the date fixed for it (3 August) is
     * that review: the next one is the schedule's after it, 1 September */
    ck_assert_int_eq(tu_run("CD_TODAY=2026-10-05 %s facts --db '%s' --case REV/1 --date 2026-07-30"
                            " | grep -c 'next-date=\"2026-09-01\"'", tu_bin(), fixture_db()), 0);
}
END_TEST

START_TEST(prescribed_never_positive)
{
    char *t = review_text("REV/1", "2026-08-03", "rev1b.pdf");
    HAS(t, "methadone prescribed");
    HASNT(t, "methadone positive");
    /* T1's methadone, prescribed: stated as such, never "no tests" */
    HAS(t, "methadone 1 result, all prescribed - not counted");
    HAS(t, "refused");
    free(t);
}
END_TEST

START_TEST(enforcement_counts)
{
    char *t = review_text("REV/1", "2026-08-03", "rev1c.pdf");
    /* three appointments on one day: one failure; with the refusal, 2 */
    HAS(t, "Failures in the last 12 months: 2");
    HASNT(t, "A4 A5 A6");                /* record ids belong to the breach pack */
    HAS(t, "now requires breach action");
    HAS(t, "The breach pack is due by 27 July 2026");
    /* the acceptable absence is no failure */
    HASNT(t, "A3 ");
    free(t);
}
END_TEST

START_TEST(missing_recommendation_visible_and_warned)
{
    char *t2;
    char *t = review_text("REV/1", "2026-08-03", "rev1d.pdf");
    HAS(t, "[No recommendation has been recorded]");   /* a draft: the placeholder shows */
    HAS(t, "Engagement is patchy.");
    HAS(t, "Housing is the main obstacle.");
    HAS(t, "Attend every group session.");            /* last review's directions */
    HAS(t, "Has attended two group sessions");         /* progress noted since */
    free(t);
    HAS(tu_err(), "warning: case REV/1: no recommendation has been recorded for this period");
    HASNT(tu_err(), "supervisor's assessment has");
    HASNT(tu_err(), "provider's view has");
    t2 = review_text("REV/3", "2026-10-01", "rev3w.pdf");
    HAS(t2, "Attending key work.");       /* the provider's view, in full */
    free(t2);
    HASNT(tu_err(), "Alex");
}
END_TEST

START_TEST(every_page_marked)
{
    char *t = review_text("REV/1", "2026-08-03", "rev1e.pdf");
    free(t);
    char pdf[512];
    snprintf(pdf, sizeof pdf, "%s", tu_path("rev1e.pdf"));
    char *raw = tu_pdf_text(pdf);
    ck_assert_ptr_nonnull(raw);
    int pages = 0;
    for (char *save = NULL, *pg = strtok_r(raw, "\f", &save); pg; pg = strtok_r(NULL, "\f", &save)) {
        if (!strstr(pg, "OFFICIAL-SENSITIVE") && strspn(pg, " \n") == strlen(pg)) continue;
        pages++;
        ck_assert_msg(strstr(pg, "OFFICIAL-SENSITIVE"), "page %d not marked", pages);
        ck_assert_msg(strstr(pg, "REV/1"), "page %d lacks the case ref", pages);
        ck_assert_msg(strstr(pg, "Document RV-"), "page %d lacks the document id", pages);
        char want[32];
        snprintf(want, sizeof want, "Page %d of ", pages);
        ck_assert_msg(strstr(pg, want), "page %d lacks \"%s\"", pages, want);
    }
    free(raw);
    ck_assert_int_gt(pages, 1);
    ck_assert_int_eq(tu_run("qpdf --check '%s'", pdf), 0);
    ck_assert_int_eq(tu_run("stat -c %%a '%s'", pdf), 0);
    ck_assert_str_eq(tu_out(), "600\n");
    /* the audit holds the document and its hash */
    ck_assert_int_eq(tu_run("sha256sum '%s' | cut -c1-64", pdf), 0);
    char hash[80];
    snprintf(hash, sizeof hash, "%.64s", tu_out());
    ck_assert_int_eq(tu_run("%s audit --db '%s' --csv", tu_bin(), fixture_db()), 0);
    HAS(tu_out(), hash);
    HAS(tu_out(), "REV/1,review,");
}
END_TEST

START_TEST(first_review_no_tests)
{
    char *t = review_text("REV/3", "2026-10-01", "rev3.pdf");
    HAS(t, "1st review");
    HAS(t, "no tests");
    HAS(t, "This is the first review of the order.");
    HAS(t, "First contacts");
    HAS(t, "2 September 2026, 1 working day after the order: in time");
    HAS(t, "7 September 2026, 4 working days after the order: late");
    HAS(t, "DTTO National Standard 2004");
    free(t);
    ck_assert_str_eq(tu_err(), "");    /* assessment and recommendation recorded */
}
END_TEST

START_TEST(refusals)
{
    const char *db = fixture_db();
    /* after the order has run out: a clear error, no file */
    ck_assert_int_eq(tu_run("%s review --db '%s' --case REV/1 --date 2027-07-01 -o '%s'", tu_bin(), db,
                            tu_path("late.pdf")), 3);
    HAS(tu_err(), "after the order");
    ck_assert_int_ne(tu_run("test -e '%s'", tu_path("late.pdf")), 0);
    ck_assert_int_eq(tu_run("%s review --db '%s' --case REV/1 --date 2026-05-01", tu_bin(), db), 3);
    HAS(tu_err(), "before the order was made");
    ck_assert_int_eq(tu_run("%s review --db '%s' --case NO/SUCH", tu_bin(), db), 5);
    ck_assert_int_eq(tu_run("%s review --db '%s' --case REV/1 --date 2026-02-30", tu_bin(), db), 2);
    ck_assert_int_eq(tu_run("%s review --db '%s' --case REV/1 --draft", tu_bin(), db), 2);
    ck_assert_int_eq(tu_run("%s review --db /no/such.db --case REV/1", tu_bin()), 4);
    ck_assert_int_eq(tu_run("%s review --help", tu_bin()), 0);
    HAS(tu_out(), "--attach-psr");
    /* --password on the command line is refused, pointing to --password-file;
     * with --password-file the file opens only with the password (printing
     * allowed, copying not, accessibility extraction allowed: AES-256, R6) */
    char enc[512], pwf[512];
    snprintf(enc, sizeof enc, "%s", tu_path("enc.pdf"));
    snprintf(pwf, sizeof pwf, "%s", tu_path("pw.txt"));
    ck_assert_int_eq(tu_run("%s review --db '%s' --case REV/1 --date 2026-08-03 --password 'Open Sesame' -q -o '%s'",
                            tu_bin(), db, enc), 2);
    HAS(tu_err(), "--password-file FILE");
    HASNT(tu_err(), "Open Sesame");
    ck_assert_int_ne(tu_run("test -e '%s'", enc), 0);
    ck_assert_int_eq(tu_run("umask 077 && printf 'Open Sesame\\n' > '%s'", pwf), 0);
    ck_assert_int_eq(tu_run("%s review --db '%s' --case REV/1 --date 2026-08-03 --password-file '%s' -q -o '%s'",
                            tu_bin(), db, pwf, enc), 0);
    HASNT(tu_err(), "can be read by other users");          /* the file is 0600 */
    ck_assert_int_ne(tu_run("pdftotext '%s' - >/dev/null 2>&1", enc), 0);
    ck_assert_int_eq(tu_run("pdftotext -upw 'Open Sesame' '%s' - 2>/dev/null", enc), 0);
    HAS(tu_out(), "Court review report");
    ck_assert_int_eq(tu_run("qpdf --password='Open Sesame' --show-encryption '%s'", enc), 0);
    HAS(tu_out(), "R = 6");
    HAS(tu_out(), "extract for accessibility: allowed");
    HAS(tu_out(), "extract for any purpose: not allowed");
    HAS(tu_out(), "print high resolution: allowed");
}
END_TEST

START_TEST(default_name_and_attach_psr)
{
    /* default file name: review-<safe ref>-<date>.pdf in the current folder */
    char dir[512];
    snprintf(dir, sizeof dir, "%s", tu_path("cwd"));
    ck_assert_int_eq(tu_run("mkdir -p '%s' && cd '%s' && CD_TODAY=2026-10-05 %s review --db '%s' --case REV/1 --date 2026-08-03 -q",
                            dir, dir, tu_bin(), fixture_db()), 0);
    ck_assert_int_eq(tu_run("test -f '%s/review-REV_1-2026-08-03.pdf'", dir), 0);
    /* --attach-psr appends the PSR section (REV/1 has an assessment) */
    char pdf[512];
    snprintf(pdf, sizeof pdf, "%s", tu_path("attached.pdf"));
    ck_assert_int_eq(tu_run("CD_TODAY=2026-10-05 %s review --db '%s' --case REV/1 --date 2026-08-03 --attach-psr -o '%s'",
                            tu_bin(), fixture_db(), pdf), 0);
    char *t = tu_pdf_text(pdf);
    ck_assert_ptr_nonnull(t);
    HAS(t, "Drug misuse assessment");
    HAS(t, "£300");
    free(t);
    t = review_text("REV/1", "2026-08-03", "plain.pdf");
    HASNT(t, "Drug misuse assessment");
    free(t);
}
END_TEST

/* The pages of a PDF as text (form feeds between them): page i of n. */
static char *page_text(const char *pdf, int page)
{
    char *raw = tu_pdf_text(pdf);
    ck_assert_ptr_nonnull(raw);
    char *p = raw;
    for (int i = 1; i < page && p; i++) {
        p = strchr(p, '\f');
        if (p) p++;
    }
    ck_assert_ptr_nonnull(p);
    char *end = strchr(p, '\f');
    size_t n = end ? (size_t)(end - p) : strlen(p);
    char *out = malloc(n + 1);
    memcpy(out, p, n);
    out[n] = '\0';
    free(raw);
    return tu_squeeze(out);
}

static int pdf_pages(const char *pdf)
{
    ck_assert_int_eq(tu_run("pdfinfo '%s' | sed -n 's/^Pages: *//p'", pdf), 0);
    return atoi(tu_out());
}

/* REV/4 (drr-2005): kept both appointments booked in the period (3 and 6
 * July: 2 of 2, which as a rate would read "100%"), refused a test on
 * 6 July, breach B4 on 20 July ended in a warrant. Review of 3 August:
 * records to 3 August, last contact 6 July -> 3 Aug - 6 Jul = 28 days.
 * Page 1 leads with the warrant and the last contact, before any figure,
 * and shows no percentage of attendance. */
START_TEST(warrant_leads_page_one)
{
    char pdf[512];
    snprintf(pdf, sizeof pdf, "%s", tu_path("rev4.pdf"));
    ck_assert_int_eq(tu_run("CD_TODAY=2026-10-05 %s review --db '%s' --case REV/4 --date 2026-08-03 -o '%s'",
                            tu_bin(), fixture_db(), pdf), 0);
    char *p1 = page_text(pdf, 1);
    const char *lead = strstr(p1, "A warrant is outstanding. The last contact was on 6 July 2026: 28 days without contact.");
    ck_assert_msg(lead, "page 1 does not lead with the warrant: %.600s", p1);
    const char *glance = strstr(p1, "This period at a glance");
    ck_assert_ptr_nonnull(glance);
    ck_assert(lead < glance);                    /* before any figure */
    ck_assert(strchr(p1, '%') && lead < strchr(p1, '%'));
    HAS(p1, "2 of 2 booked");
    HASNT(p1, "100%");
    HASNT(p1, "DRAFT");                          /* drr-2005: the recommendation is there */
    free(p1);
    char *p2 = page_text(pdf, 2);
    HAS(p2, "2 of 2 appointments booked were kept");
    HASNT(p2, "(100%)");                         /* (the chart's axis runs to 100%) */
    free(p2);
}
END_TEST

/* REV/1 (drr-2020) has no recommendation for the period: a DRAFT, marked
 * on every page, the gap named on page 1 and the placeholder shown. After
 * the officer records one with `courtdocs note`, the same command renders
 * the final: no DRAFT anywhere, no placeholder, the officer's words. A
 * store of its own, so the note does not reach the other tests. */
START_TEST(draft_then_final)
{
    char db[512], pdf[512];
    snprintf(db, sizeof db, "%s", tu_path("draft.db"));
    snprintf(pdf, sizeof pdf, "%s", tu_path("draft.pdf"));
    ck_assert_int_eq(tu_run("%s import --create --db '%s' " FIX "review.xml", tu_bin(), db), 0);
    const char *render = "CD_TODAY=2026-10-05 %s review --db '%s' --case REV/1 --date 2026-08-03 -o '%s'";
    ck_assert_int_eq(tu_run(render, tu_bin(), db, pdf), 0);
    int pages = pdf_pages(pdf);
    ck_assert_int_gt(pages, 1);
    for (int i = 1; i <= pages; i++) {
        char *t = page_text(pdf, i);
        ck_assert_msg(strstr(t, "DRAFT OFFICIAL-SENSITIVE"), "page %d of the draft not marked DRAFT", i);
        if (i == 1) {
            HAS(t, "DRAFT: not ready for the court.");
            HAS(t, "requires it to give: the supervising officer's recommendation.");
            HAS(t, "[No recommendation has been recorded]");
        }
        free(t);
    }
    ck_assert_int_eq(tu_run("printf 'Continue the order; review in a month.\n' | %s note --db '%s' --case REV/1 "
                            "--kind recommendation --author 'Sam Okafor' --date 2026-08-01", tu_bin(), db), 0);
    ck_assert_int_eq(tu_run(render, tu_bin(), db, pdf), 0);
    pages = pdf_pages(pdf);
    for (int i = 1; i <= pages; i++) {
        char *t = page_text(pdf, i);
        ck_assert_msg(!strstr(t, "DRAFT"), "page %d of the final still says DRAFT", i);
        HASNT(t, "[No ");                        /* no placeholder in a final */
        HASNT(t, "courtdocs");                   /* no command in the body */
        HASNT(t, "docs/");                       /* no file name */
        if (i == 1) HAS(t, "Recommendation Continue the order; review in a month.");
        free(t);
    }
    HASNT(tu_err(), "no recommendation");
}
END_TEST

Suite *review_suite(void)
{
    Suite *s = suite_create("review");
    TCase *t = tcase_create("review");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, first_page_and_figures);
    tcase_add_test(t, prescribed_never_positive);
    tcase_add_test(t, enforcement_counts);
    tcase_add_test(t, missing_recommendation_visible_and_warned);
    tcase_add_test(t, every_page_marked);
    tcase_add_test(t, first_review_no_tests);
    tcase_add_test(t, refusals);
    tcase_add_test(t, default_name_and_attach_psr);
    tcase_add_test(t, warrant_leads_page_one);
    tcase_add_test(t, draft_then_final);
    suite_add_tcase(s, t);
    return s;
}
