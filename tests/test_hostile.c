/* test_hostile.c -- the catalogue of hostile input (tests/hostile/ and the
 * inputs made below because they are too big to keep): each must be
 * refused cleanly -- a non-zero exit with a clear message, no crash (exit
 * under 128), nothing stored, no file written, no file read that the input
 * pointed at. The XML bombs must fail fast: they are refused before any
 * entity is expanded (the whole test runs in seconds, not minutes). */
#include "testutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define H "tests/hostile/"

/* Imports file into a fresh store; expects exit 3 with needle, and no case stored. */
static void import_refused(const char *file, const char *needle)
{
    char db[512];
    snprintf(db, sizeof db, "%s", tu_path("hostile.db"));
    tu_run("rm -f '%s' '%s-wal' '%s-shm'", db, db, db);
    int rc = tu_run("%s import --create --db '%s' '%s'", tu_bin(), db, file);
    ck_assert_msg(rc == 3, "%s: exit %d (%s)", file, rc, tu_err());
    HAS(tu_err(), needle);
    HAS(tu_err(), "nothing was imported");
    HASNT(tu_err(), "root:");                /* nothing of /etc/passwd */
    ck_assert_int_eq(tu_run("%s cases --db '%s' --csv", tu_bin(), db), 0);
    ck_assert_str_eq(tu_out(), "case_ref,name,order,week,next_review\n");
}

static void template_refused(const char *file, const char *needle)
{
    int rc = tu_run("%s check-template '%s'", tu_bin(), file);
    ck_assert_msg(rc == 3, "%s: exit %d (%s)", file, rc, tu_err());
    HAS(tu_err(), needle);
    HASNT(tu_err(), "root:");
    HASNT(tu_out(), "root:");
}

START_TEST(xml_bombs_and_entities)
{
    import_refused(H "import-billion-laughs.xml", "entity");
    import_refused(H "import-quadratic.xml", "DOCTYPE");
    import_refused(H "import-xxe.xml", "DOCTYPE");
    import_refused(H "import-external-dtd.xml", "DOCTYPE");
    import_refused(H "import-xinclude.xml", "does not follow the case-record format");
    template_refused(H "template-billion-laughs.xml", "entity");
    template_refused(H "template-entity.xml", "DOCTYPE");
    template_refused(H "template-xinclude.xml", "include");
    template_refused(H "template-document.xml", "document() is not available");
    template_refused(H "template-variable.xml", "variables");
}
END_TEST

START_TEST(bad_bytes)
{
    import_refused(H "import-invalid-utf8.xml", "not valid UTF-8");
    import_refused(H "import-nul-byte.xml", "not well-formed");
}
END_TEST

START_TEST(huge_and_deep)
{
    /* a 10 MB attribute, a 100 kB one, 100,000 levels of nesting */
    char big[512], mid[512], deep[512];
    snprintf(big, sizeof big, "%s", tu_path("huge-attr.xml"));
    snprintf(mid, sizeof mid, "%s", tu_path("big-attr.xml"));
    snprintf(deep, sizeof deep, "%s", tu_path("deep.xml"));
    const char *head = "<?xml version=\"1.0\"?>\n<case-records xmlns=\"urn:courtdocs:case-records:1\" "
                       "exported=\"2026-11-02T08:00:00Z\">\n<case ref=\"H/9\"><person id=\"P1\"/>\n";
    FILE *f = fopen(big, "w");
    fprintf(f, "%s<staff><member role=\"offender-manager\" name=\"", head);
    for (int i = 0; i < 10 * 1024 * 1024 / 64; i++)
        fputs("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", f);
    fputs("\"/></staff></case></case-records>\n", f);
    fclose(f);
    import_refused(big, "too long");
    f = fopen(mid, "w");
    fprintf(f, "%s<staff><member role=\"offender-manager\" name=\"", head);
    for (int i = 0; i < 100000 / 64; i++)
        fputs("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", f);
    fputs("\"/></staff></case></case-records>\n", f);
    fclose(f);
    import_refused(mid, "an attribute holds at most 4096");
    f = fopen(deep, "w");
    fputs(head, f);
    for (int i = 0; i < 100000; i++) fputs("<a>", f);
    for (int i = 0; i < 100000; i++) fputs("</a>", f);
    fputs("</case></case-records>\n", f);
    fclose(f);
    import_refused(deep, "depth");
    /* the same depth in a template */
    char tdeep[512];
    snprintf(tdeep, sizeof tdeep, "%s", tu_path("deep-template.xml"));
    f = fopen(tdeep, "w");
    fputs("<template xmlns=\"urn:courtdocs:template:1\"><body>", f);
    for (int i = 0; i < 100000; i++) fputs("<if test=\"1\">", f);
    for (int i = 0; i < 100000; i++) fputs("</if>", f);
    fputs("</body></template>\n", f);
    fclose(f);
    ck_assert_int_eq(tu_run("%s check-template '%s'", tu_bin(), tdeep), 3);
}
END_TEST

START_TEST(ten_megabyte_note)
{
    char db[512];
    snprintf(db, sizeof db, "%s", tu_path("note.db"));
    ck_assert_int_eq(tu_run("%s import --create --db '%s' tests/fixtures/review/review.xml", tu_bin(), db), 0);
    ck_assert_int_eq(tu_run("head -c 10485760 /dev/zero | tr '\\0' n > '%s'", tu_path("note.txt")), 0);
    ck_assert_int_eq(tu_run("%s note --db '%s' --case REV/1 --kind progress --file '%s'", tu_bin(), db,
                            tu_path("note.txt")), 3);
    HAS(tu_err(), "longer than");
    ck_assert_int_eq(tu_run("printf 'a\\000b' | %s note --db '%s' --case REV/1 --kind progress", tu_bin(), db), 3);
    HAS(tu_err(), "NUL");
}
END_TEST

START_TEST(crafted_stores)
{
    char db[512];
    snprintf(db, sizeof db, "%s", tu_path("random.db"));
    ck_assert_int_eq(tu_run("head -c 65536 /dev/urandom > '%s'", db), 0);
    ck_assert_int_eq(tu_run("%s cases --db '%s'", tu_bin(), db), 4);
    ck_assert_int_eq(tu_run("%s review --db '%s' --case X", tu_bin(), db), 4);
    /* a real store with its header kept and its pages scrambled */
    char good[512];
    snprintf(good, sizeof good, "%s", tu_path("good.db"));
    ck_assert_int_eq(tu_run("%s import --create --db '%s' tests/fixtures/review/review.xml", tu_bin(), good), 0);
    ck_assert_int_eq(tu_run("cp '%s' '%s' && dd if=/dev/urandom of='%s' bs=4096 seek=2 count=6 conv=notrunc 2>/dev/null",
                            good, db, db), 0);
    int rc = tu_run("%s cases --db '%s'", tu_bin(), db);
    ck_assert_msg(rc == 0 || rc == 4, "scrambled store: exit %d (%s)", rc, tu_err());
    rc = tu_run("%s review --db '%s' --case REV/1 --date 2026-08-03 -o '%s'", tu_bin(), db, tu_path("x.pdf"));
    ck_assert_msg(rc < 128, "scrambled store crashed the review: %d", rc);
}
END_TEST

START_TEST(traversal_ref_stays_in_the_folder)
{
    char db[512], out[512];
    snprintf(db, sizeof db, "%s", tu_path("trav.db"));
    snprintf(out, sizeof out, "%s", tu_path("sub/out"));
    ck_assert_int_eq(tu_run("%s import --create --db '%s' " H "import-traversal-ref.xml", tu_bin(), db), 0);
    ck_assert_int_eq(tu_run("mkdir -p '%s'", tu_path("sub")), 0);
    ck_assert_int_eq(tu_run("CD_TODAY=2026-07-20 %s batch --db '%s' --month 2026-08 --out '%s' -j 1",
                            tu_bin(), db, out), 0);
    /* the only PDF is inside the folder, named from the ref made safe */
    ck_assert_int_eq(tu_run("cd '%s' && ls", out), 0);
    HAS(tu_out(), "review-_._.._etc_x-2026-08-03.pdf");
    ck_assert_int_eq(tu_run("find '%s' -name '*.pdf' | wc -l", tu_path("sub")), 0);
    ck_assert_str_eq(tu_out(), "1\n");
    ck_assert_int_ne(tu_run("test -e /etc/x-2026-08-03.pdf"), 0);
    /* a single review with no -o gets the same safe name in the current folder */
    ck_assert_int_eq(tu_run("cd '%s' && CD_TODAY=2026-07-20 %s review --db '%s' --case '../../etc/x' -q", out, tu_bin(), db), 0);
    ck_assert_int_eq(tu_run("find '%s' -name '*.pdf' | wc -l", tu_path("sub")), 0);
    ck_assert_str_eq(tu_out(), "1\n");             /* replaced in place */
}
END_TEST

Suite *hostile_suite(void)
{
    Suite *s = suite_create("hostile");
    TCase *t = tcase_create("hostile");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, xml_bombs_and_entities);
    tcase_add_test(t, bad_bytes);
    tcase_add_test(t, huge_and_deep);
    tcase_add_test(t, ten_megabyte_note);
    tcase_add_test(t, crafted_stores);
    tcase_add_test(t, traversal_ref_stays_in_the_folder);
    suite_add_tcase(s, t);
    return s;
}
