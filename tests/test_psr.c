/* test_psr.c -- `courtdocs psr` end to end: the case records in
 * tests/fixtures/psr/ (one file a branch) are imported into a scratch store
 * and each section is rendered and read back with pdftotext. Every figure
 * checked here is worked by hand in the fixture's comment: heroin 350 +
 * crack 200 = £550 a week, x 52 = £28,600 a year; OASys 4 is significant,
 * 3 is not. Until the store and renderer are in the tree, the end-to-end
 * tests say so and pass vacuously; the template is always checked. */
#include "testutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>

#define FIX "tests/fixtures/psr/"
#define TODAY "CD_TODAY=2026-11-02 "

/* True when psr and import are built; says so on stderr when not. */
static int psr_wired(void)
{
    tu_run("%s psr --help", tu_bin());
    int psr_ok = !strstr(tu_out(), "Not yet available");
    tu_run("%s import --help", tu_bin());
    int import_ok = !strstr(tu_out(), "Not yet available");
    if (!psr_ok || !import_ok)
        fprintf(stderr, "test_psr: end-to-end tests skipped: psr or import not built yet\n");
    return psr_ok && import_ok;
}

/* The fixture store: every fixture file imported in one call. */
static const char *fixture_db(void)
{
    static const char *db;
    if (!db)
        db = tu_store("psr.db", FIX "full.xml " FIX "noconsent.xml " FIX "revoked.xml " FIX "boundary.xml "
                      FIX "highlow.xml " FIX "nolink.xml " FIX "missing.xml " FIX "partial.xml");
    return db;
}

/* Renders the section for ref into NAME.pdf (extra: more options); returns
 * the exit status. */
static int run_psr(const char *ref, const char *name, const char *extra)
{
    return tu_run(TODAY "%s psr --db '%s' --case '%s' -o '%s' %s", tu_bin(), fixture_db(),
                  ref, tu_path(name), extra ? extra : "");
}

/* Renders ref (must succeed) and returns the PDF text, white space squeezed
 * (malloc'd). */
static char *psr_text(const char *ref, const char *name, const char *extra)
{
    int rc = run_psr(ref, name, extra);
    ck_assert_msg(rc == 0, "psr %s exited %d: %s", ref, rc, tu_err());
    char *t = tu_pdf_text(tu_path(name));
    ck_assert_ptr_nonnull(t);
    return tu_squeeze(t);
}


/* Every page (pdftotext separates pages with \f) carries needle. */
static void every_page_has(const char *pdf, const char *needle)
{
    char *t = tu_pdf_text(pdf);
    ck_assert_ptr_nonnull(t);
    int pages = 0;
    for (char *page = t, *next; page && *page; page = next) {
        next = strchr(page, '\f');
        if (next) *next++ = '\0';
        if (!*page) continue;
        pages++;
        ck_assert_msg(strstr(page, needle) != NULL, "page %d lacks \"%s\"", pages, needle);
    }
    ck_assert_int_gt(pages, 0);
    free(t);
}

/* ---- the template on its own ---------------------------------------------- */

START_TEST(template_loads)
{
    ck_assert_int_eq(tu_run("%s check-template templates/psr-drug-assessment.xml", tu_bin()), 0);
}
END_TEST

/* ---- end to end ------------------------------------------------------------- */

START_TEST(full_assessment)
{
    if (!psr_wired()) return;
    char *t = psr_text("PSR/2026/0001", "full.pdf", NULL);
    HASNT(t, "DRAFT");                       /* nothing missing: a final */
    /* drug-use table and the totals: 350 + 200 = 550 a week, x 52 = 28,600 */
    HAS(t, "heroin primary smoked daily 19 £350");
    HAS(t, "crack secondary smoked daily 23 £200");
    HAS(t, "Total weekly spend £550, or £28,600 a year");
    HAS(t, "10 units a week; AUDIT score 6");
    /* OASys: 7 significant, 2 not */
    HAS(t, "7: drug misuse is a significant factor in offending");
    HAS(t, "2: alcohol misuse is not marked as a significant factor in offending");
    HAS(t, "Shoplifting and burglary to fund daily heroin and crack use.");
    HAS(t, "Dependent on heroin for 10 years");
    HAS(t, "Stage of change: preparation");
    HAS(t, "Lambeth Drug Service");
    HAS(t, "dropped out");
    HAS(t, "Low mood, under GP.");
    HAS(t, "Hepatitis C, untreated.");
    HAS(t, "Hostel place at St Mungo's");
    HAS(t, "Zoë Łukasiewicz-O'Brien & (Smith)");
    /* the proposal, with the drr-2020 figures for high intensity */
    HAS(t, "consented to the requirement on 20 October 2026");
    HAS(t, "Brixton Drug Service");
    HAS(t, "Structured day programme, substitute prescribing, twice-weekly testing.");
    HAS(t, "12 months");
    HAS(t, "2 tests a week");
    HASNT(t, "not recorded");
    HASNT(t, "DRAFT");
    HASNT(t, "revoked for failure to comply");
    HASNT(t, "cannot be proposed");
    free(t);
    /* no warnings for a proposal that fits the evidence */
    ck_assert_str_eq(tu_err(), "");
    char pdf[512];                /* tu_path's buffers are reused: keep a copy */
    snprintf(pdf, sizeof pdf, "%s", tu_path("full.pdf"));
    every_page_has(pdf, "OFFICIAL-SENSITIVE");
    every_page_has(pdf, "PSR/2026/0001");
    every_page_has(pdf, " of ");
    ck_assert_int_eq(tu_run("qpdf --check '%s'", pdf), 0);
    ck_assert_int_eq(tu_run("stat -c %%a '%s'", pdf), 0);
    ck_assert_str_eq(tu_out(), "600\n");
}
END_TEST

START_TEST(no_consent)
{
    if (!psr_wired()) return;
    char *t = psr_text("PSR/2026/0002", "noconsent.pdf", NULL);
    HAS(t, "A drug rehabilitation requirement cannot be proposed: the defendant has not consented.");
    /* the recorded proposal is not printed */
    HASNT(t, "Camden Recovery Service");
    HASNT(t, "Key work, prescribing review");
    HASNT(t, "Intensity");
    free(t);
    HAS(tu_err(), "PSR/2026/0002");
    HAS(tu_err(), "consent");
}
END_TEST

START_TEST(previous_order_revoked)
{
    if (!psr_wired()) return;
    char *t = psr_text("PSR/2026/0003", "revoked.pdf", NULL);
    HAS(t, "A previous DTTO (made 10 April 2016) was revoked for failure to comply.");
    HAS(t, "DRR 6 September 2021 completed");
    free(t);
    /* the statement is drawn in bold: the bold face is in the PDF and the
     * statement is the only bold text on a shaded box besides headings */
    ck_assert_int_eq(tu_run("pdffonts '%s' | grep -c Bold", tu_path("revoked.pdf")), 0);
}
END_TEST

START_TEST(oasys_boundary)
{
    if (!psr_wired()) return;
    char *t = psr_text("PSR/2026/0004", "boundary.pdf", NULL);
    HAS(t, "4: drug misuse is a significant factor in offending (a score of 4 or more)");
    HAS(t, "3: alcohol misuse is not marked as a significant factor in offending (under 4)");
    free(t);
    ck_assert_str_eq(tu_err(), "");
}
END_TEST

START_TEST(high_intensity_low_score_warns)
{
    if (!psr_wired()) return;
    char *t = psr_text("PSR/2026/0005", "highlow.pdf", NULL);
    HAS(t, "3: drug misuse is not marked as a significant factor in offending");
    HAS(t, "4: alcohol misuse is a significant factor in offending");
    /* the court copy carries no note for the author */
    HASNT(t, "warning");
    HASNT(t, "Warning");
    HASNT(t, "sits badly");
    free(t);
    HAS(tu_err(), "warning");
    HAS(tu_err(), "PSR/2026/0005");
    HAS(tu_err(), "high intensity");
    HAS(tu_err(), "3");
}
END_TEST

START_TEST(no_link_to_offending_warns)
{
    if (!psr_wired()) return;
    char *t = psr_text("PSR/2026/0006", "nolink.pdf", NULL);
    HASNT(t, "warning");
    /* no link is not a gap: a final, in plain words, no placeholder */
    HASNT(t, "DRAFT");
    HASNT(t, "[not recorded");
    HAS(t, "No link between drug use and offending is recorded.");
    free(t);
    HAS(tu_err(), "warning");
    HAS(tu_err(), "PSR/2026/0006");
    HAS(tu_err(), "link");
}
END_TEST

START_TEST(missing_assessment)
{
    if (!psr_wired()) return;
    ck_assert_int_eq(run_psr("PSR/2026/0007", "missing.pdf", NULL), 3);
    HAS(tu_err(), "PSR/2026/0007");
    HAS(tu_err(), "assessment");
    HASNT(tu_err(), "Jon");
    ck_assert_int_ne(tu_run("test -e '%s'", tu_path("missing.pdf")), 0);
}
END_TEST

START_TEST(partial_assessment)
{
    if (!psr_wired()) return;
    ck_assert_int_eq(run_psr("PSR/2026/0008", "partial.pdf", NULL), 3);
    const char *e = tu_err();
    HAS(e, "PSR/2026/0008");
    HAS(e, "OASys");
    HAS(e, "dependency");
    HAS(e, "motivation");
    HAS(e, "consent");
    HAS(e, "proposal");
    HAS(e, "--draft");
    HASNT(e, "Jon");
    HASNT(e, "Shoplifting");
    ck_assert_int_ne(tu_run("test -e '%s'", tu_path("partial.pdf")), 0);
}
END_TEST

START_TEST(partial_draft)
{
    if (!psr_wired()) return;
    char *t = psr_text("PSR/2026/0008", "draft.pdf", "--draft");
    HAS(t, "[not recorded: dependency]");
    HAS(t, "[not recorded: OASys scores]");
    HAS(t, "[not recorded: stage of change]");
    HAS(t, "[not recorded: consent]");
    HAS(t, "[not recorded: proposal]");
    HAS(t, "[not recorded: physical health]");
    HAS(t, "[not recorded: alcohol use]");
    /* page 1 lists the gaps the facts found, in their order */
    HAS(t, "DRAFT: not ready for the court. The assessment lacks: alcohol use; OASys scores; "
           "dependency; motivation; physical health; consent; proposal.");
    /* what is recorded still shows: 150 for heroin, crack's spend missing */
    HAS(t, "£150");
    free(t);
    every_page_has(tu_path("draft.pdf"), "DRAFT");
    every_page_has(tu_path("draft.pdf"), "OFFICIAL-SENSITIVE");
    ck_assert_int_eq(tu_run("qpdf --check '%s'", tu_path("draft.pdf")), 0);
}
END_TEST

START_TEST(usage_errors)
{
    ck_assert_int_eq(tu_run("%s psr --help", tu_bin()), 0);
    if (!psr_wired()) return;
    ck_assert_int_eq(tu_run("%s psr --help", tu_bin()), 0);
    HAS(tu_out(), "--draft");
    HAS(tu_out(), "--case");
    ck_assert_int_eq(tu_run("%s psr --db x.db", tu_bin()), 2);
    ck_assert_int_eq(tu_run("%s psr --case A/1", tu_bin()), 2);
    ck_assert_int_eq(tu_run("%s psr --bogus", tu_bin()), 2);
    ck_assert_int_eq(run_psr("NO/SUCH/CASE", "none.pdf", NULL), 5);
    HAS(tu_err(), "NO/SUCH/CASE");
}
END_TEST

Suite *psr_suite(void)
{
    Suite *s = suite_create("psr");
    TCase *tc = tcase_create("psr");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, template_loads);
    tcase_add_test(tc, full_assessment);
    tcase_add_test(tc, no_consent);
    tcase_add_test(tc, previous_order_revoked);
    tcase_add_test(tc, oasys_boundary);
    tcase_add_test(tc, high_intensity_low_score_warns);
    tcase_add_test(tc, no_link_to_offending_warns);
    tcase_add_test(tc, missing_assessment);
    tcase_add_test(tc, partial_assessment);
    tcase_add_test(tc, partial_draft);
    tcase_add_test(tc, usage_errors);
    suite_add_tcase(s, tc);
    return s;
}
