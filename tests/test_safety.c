/* test_safety.c -- nothing lost, nothing leaked (issue 18): long lists and
 * texts come out whole, every document on disk has its audit row and index
 * line whatever instant a signal arrives, messages never carry record
 * content, inputs that are not UTF-8 XML files are refused, special files
 * are neither read nor replaced, templates have an evaluation budget,
 * characters the fonts lack are reported, and a store is only created when
 * asked. Fixtures too big to keep are made here. */
#include "testutil.h"
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define AS_OF "CD_TODAY=2026-11-02 "

static const char HEAD[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<case-records xmlns=\"urn:courtdocs:case-records:1\" exported=\"2026-11-02T08:00:00Z\">\n";

/* A case under dtto-2004 (made 1 June 2026, 12 months) with, by hand:
 * - 300 tests all missed on Monday 5 October 2026, named by warnings W2
 *   and W3 of 6 October (150 each: an attribute holds at most 4096 bytes),
 *   so judged failures: ONE failure (one day) with 300 records, LAB-20261005-001 .. LAB-20261005-300 (17 bytes each
 *   with the space: 5,099 bytes of ids, far past the old 255/511);
 * - 30 appointments absent-unacceptable on 1..30 September 2026, each its
 *   own failure, all answered by one warning W1 (30 ids) and one breach
 *   B1 initiated 1 October 2026 (30 ids);
 * - test T40 on 6 October 2026 with 40 results, substance other named
 *   drug01 .. drug40, all positive: "drug01 positive, ..., drug40 positive"
 *   is 40 * 15 + 39 * 2 = 678 bytes. */
static const char *big_lists_file(void)
{
    static char path[512];
    snprintf(path, sizeof path, "%s", tu_path("big-lists.xml"));
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(HEAD, f);
    fputs("<case ref=\"SF/1\"><person id=\"P1\"><given-name>Ann</given-name><family-name>Example</family-name></person>\n"
          "<order id=\"O1\" type=\"DTTO\" intensity=\"high\" made=\"2026-06-01\" months=\"12\" court=\"Crown Court\" rules=\"dtto-2004\"><offence>Theft</offence></order>\n"
          "<appointments>\n", f);
    for (int d = 1; d <= 30; d++)
        fprintf(f, "<appointment id=\"A%d\" date=\"2026-09-%02d\" time=\"10:00\" minutes=\"60\" kind=\"probation\" "
                   "outcome=\"absent-unacceptable\"/>\n", d, d);
    fputs("</appointments>\n<drug-tests>\n", f);
    for (int i = 1; i <= 300; i++)
        fprintf(f, "<test id=\"LAB-20261005-%03d\" date=\"2026-10-05\" method=\"urine\" status=\"missed\"/>\n", i);
    fputs("<test id=\"T40\" date=\"2026-10-06\" method=\"urine\" status=\"tested\">", f);
    for (int i = 1; i <= 40; i++)
        fprintf(f, "<result substance=\"other\" name=\"drug%02d\" outcome=\"positive\"/>", i);
    fputs("</test>\n</drug-tests>\n<enforcement>\n<warning id=\"W1\" date=\"2026-10-01\" failure=\"", f);
    for (int d = 1; d <= 30; d++) fprintf(f, "%sA%d", d > 1 ? " " : "", d);
    fputs("\">Warned.</warning>\n<breach id=\"B1\" initiated=\"2026-10-01\" failures=\"", f);
    for (int d = 1; d <= 30; d++) fprintf(f, "%sA%d", d > 1 ? " " : "", d);
    /* the officer's warning naming the 300 missed tests makes them ONE
     * failure (a missed test alone is not a failure: docs/rules.md 7) */
    fputs("\" outcome=\"pending\"/>\n<warning id=\"W2\" date=\"2026-10-06\" failure=\"", f);
    for (int i = 1; i <= 150; i++) fprintf(f, "%sLAB-20261005-%03d", i > 1 ? " " : "", i);
    fputs("\">Warned.</warning>\n<warning id=\"W3\" date=\"2026-10-06\" failure=\"", f);
    for (int i = 151; i <= 300; i++) fprintf(f, "%sLAB-20261005-%03d", i > 151 ? " " : "", i);
    fputs("\">Warned.</warning>\n</enforcement>\n</case>\n</case-records>\n", f);
    fclose(f);
    return path;
}

/* Point 1: no list or text is cut short (facts and the breach pack). */
START_TEST(long_lists_whole)
{
    const char *xml = big_lists_file();
    char db[512];
    snprintf(db, sizeof db, "%s", tu_path("big-lists.db"));
    ck_assert_msg(tu_run("%s import --db '%s' '%s'", tu_bin(), db, xml) == 0, "%s", tu_err());
    ck_assert_int_eq(tu_run(AS_OF "%s facts --db '%s' --case SF/1 --kind breach --date 2026-11-02",
                            tu_bin(), db), 0);
    const char *out = tu_out();
    /* the failure of 5 October lists all 300 records, in order */
    char ids[6000] = "";
    size_t k = 0;
    for (int i = 1; i <= 300; i++)
        k += (size_t)snprintf(ids + k, sizeof ids - k, "%sLAB-20261005-%03d", i > 1 ? " " : "", i);
    char want[6100];
    snprintf(want, sizeof want, "records=\"%s\"", ids);
    HAS(out, want);
    /* the warning and the breach answer 30 failures each */
    char thirty[200] = "";
    k = 0;
    for (int d = 1; d <= 30; d++) k += (size_t)snprintf(thirty + k, sizeof thirty - k, "%sA%d", d > 1 ? " " : "", d);
    snprintf(want, sizeof want, "answers=\"%s\"", thirty);
    HAS(out, want);
    snprintf(want, sizeof want, "failures=\"%s\"", thirty);
    HAS(out, want);
    /* 40 results, the last one whole (the review's period holds T40) */
    ck_assert_int_eq(tu_run(AS_OF "%s facts --db '%s' --case SF/1 --kind review --date 2026-11-02",
                            tu_bin(), db), 0);
    HAS(tu_out(), "drug38 positive, drug39 positive, drug40 positive\"");
    /* and the breach pack shows the last id of the 300 */
    char pdf[512];
    snprintf(pdf, sizeof pdf, "%s", tu_path("big-lists.pdf"));
    ck_assert_msg(tu_run(AS_OF "%s breach --force --db '%s' --case SF/1 --date 2026-11-02 -o '%s'", tu_bin(), db, pdf) == 0,
                  "%s", tu_err());
    char *t = tu_pdf_text(pdf);
    ck_assert_ptr_nonnull(t);
    tu_squeeze(t);
    HAS(t, "1005-300");                      /* the id wraps in its table cell */
    free(t);
}
END_TEST

Suite *safety_suite(void)
{
    Suite *s = suite_create("safety");
    TCase *t = tcase_create("safety");
    tcase_set_timeout(t, 600);
    tcase_add_test(t, long_lists_whole);
    suite_add_tcase(s, t);
    return s;
}
