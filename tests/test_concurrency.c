/* test_concurrency.c -- `batch` while an `import` runs on the same store
 * (issue 7.5): both finish, nothing fails with "database is locked", and
 * every document reads one consistent snapshot: its text is exactly the
 * text of the same document rendered from the store before the import, or
 * from the store after it -- never a mixture.
 *
 * The later export corrects every late arrival to "attended" and every
 * acceptable absence to "unacceptable" (a realistic batch of corrections):
 * review dates do not move, but attendance figures, failures and contact
 * hours do, so old and new documents differ for most cases. */
#include "testutil.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CASES 800
#define MONTH "2026-12"
#define ENV "export CD_TODAY=2026-11-02; "

/* The PDF's words without the running footer (document id and generation
 * time differ between any two renders). malloc'd. */
static char *doc_text(const char *pdf)
{
    char *t = tu_pdf_text(pdf);
    if (!t) return NULL;
    char *w = t;
    for (char *save = NULL, *l = strtok_r(t, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        if (strstr(l, "Document RV-") || strstr(l, "generated ")) continue;
        size_t n = strlen(l);
        memmove(w, l, n);
        w += n;
        *w++ = '\n';
    }
    *w = '\0';
    /* pdftotext -layout spaces columns by everything on the page, the
     * footer included: compare the words, not the spacing */
    return tu_squeeze(t);
}

START_TEST(batch_during_import)
{
    char dir[512], old_xml[600], new_xml[600];
    snprintf(dir, sizeof dir, "%s", tu_path("conc"));
    snprintf(old_xml, sizeof old_xml, "%s/old.xml", dir);
    snprintf(new_xml, sizeof new_xml, "%s/new.xml", dir);
    ck_assert_int_eq(tu_run("mkdir -p '%s' && %s demo --records-only '%s' --cases %d", dir, tu_bin(),
                            old_xml, CASES), 0);
    ck_assert_int_eq(tu_run("sed -e 's/outcome=\"late\"/outcome=\"attended\"/' "
                            "-e 's/outcome=\"absent-acceptable\"/outcome=\"absent-unacceptable\"/' "
                            "'%s' > '%s'", old_xml, new_xml), 0);
    /* three stores: before, after, and the one imported while rendering */
    ck_assert_int_eq(tu_run("cd '%s' && %s import --create -q --db before.db old.xml && cp before.db during.db && "
                            "cp before.db after.db && %s import -q --db after.db new.xml",
                            dir, tu_bin(), tu_bin()), 0);
    ck_assert_int_eq(tu_run(ENV "cd '%s' && %s batch --db before.db --month " MONTH " --out out-before -j 2",
                            dir, tu_bin()), 0);
    ck_assert_int_eq(tu_run(ENV "cd '%s' && %s batch --db after.db --month " MONTH " --out out-after -j 2",
                            dir, tu_bin()), 0);

    /* now together: the import starts first and holds the write lock */
    int rc = tu_run(ENV "cd '%s' && (%s import -q --db during.db new.xml > import.out 2>&1; echo $? > import.rc) & "
                    "sleep 0.3; cd '%s' && %s batch --db during.db --month " MONTH " --out out-during -j 2; "
                    "b=$?; wait; echo \"batch $b import $(cat import.rc)\"",
                    dir, tu_bin(), dir, tu_bin());
    ck_assert_int_eq(rc, 0);
    ck_assert_msg(strstr(tu_out(), "batch 0 import 0"), "batch or import failed: %s / %s", tu_out(), tu_err());
    ck_assert_msg(!strstr(tu_err(), "locked"), "a document failed on a lock: %.300s", tu_err());

    /* every document equals its before or its after twin */
    char during[600];
    snprintf(during, sizeof during, "%s/out-during", dir);
    DIR *d = opendir(during);
    ck_assert_ptr_nonnull(d);
    int docs = 0, before = 0, after = 0;
    struct dirent *e;
    while ((e = readdir(d)) && docs < 60) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".pdf") != 0) continue;
        char p[900];
        snprintf(p, sizeof p, "%s/out-during/%s", dir, e->d_name);
        char *t = doc_text(p);
        snprintf(p, sizeof p, "%s/out-before/%s", dir, e->d_name);
        char *tb = doc_text(p);
        snprintf(p, sizeof p, "%s/out-after/%s", dir, e->d_name);
        char *ta = doc_text(p);
        ck_assert_ptr_nonnull(t);
        ck_assert_msg(tb && ta, "%s was not rendered before and after", e->d_name);
        int is_before = strcmp(t, tb) == 0, is_after = strcmp(t, ta) == 0;
        ck_assert_msg(is_before || is_after, "%s mixes the two exports", e->d_name);
        before += is_before && !is_after;
        after += is_after && !is_before;
        docs++;
        free(t);
        free(tb);
        free(ta);
    }
    closedir(d);
    ck_assert_int_gt(docs, 10);
    printf("test_concurrency: %d documents checked: %d as before the import, %d as after, the rest the same either way\n",
           docs, before, after);
    /* the import reported no lock trouble either, and its counts are whole */
    char imp[600];
    snprintf(imp, sizeof imp, "%s/import.out", dir);
    char *io = tu_read_file(imp, NULL);
    ck_assert_ptr_nonnull(io);
    ck_assert_msg(strstr(io, "800 cases:"), "import output: %s", io);
    free(io);
}
END_TEST

Suite *concurrency_suite(void)
{
    Suite *s = suite_create("concurrency");
    TCase *t = tcase_create("concurrency");
    tcase_set_timeout(t, 600);
    tcase_add_test(t, batch_during_import);
    suite_add_tcase(s, t);
    return s;
}
