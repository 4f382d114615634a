/* test_words.c -- the one helper for counts and plurals (src/words.c) and
 * the template format built on it (format="count"): "1 absence",
 * "2 absences", "no absences", never "(s)" or "1 absences". */
#include "testutil.h"
#include "words.h"
#include "template_int.h"
#include <stdio.h>
#include <stdlib.h>

START_TEST(counts_and_plurals)
{
    cd_arena *a = cd_arena_new();
    ck_assert_str_eq(cd_words_count(a, 1, "absence", NULL, NULL), "1 absence");
    ck_assert_str_eq(cd_words_count(a, 2, "absence", NULL, NULL), "2 absences");
    ck_assert_str_eq(cd_words_count(a, 0, "absence", NULL, NULL), "no absences");
    ck_assert_str_eq(cd_words_count(a, 0, "test", NULL, "none required"), "none required");
    ck_assert_str_eq(cd_words_count(a, 5, "breach", NULL, NULL), "5 breaches");      /* not "breachs" */
    ck_assert_str_eq(cd_words_count(a, 1, "working day", NULL, NULL), "1 working day");
    ck_assert_str_eq(cd_words_count(a, 4, "working day", NULL, NULL), "4 working days");
    ck_assert_str_eq(cd_words_count(a, 3, "delivery", NULL, NULL), "3 deliveries");
    ck_assert_str_eq(cd_words_count(a, 2, "box", NULL, NULL), "2 boxes");
    ck_assert_str_eq(cd_words_count(a, 2, "person", "people", NULL), "2 people");
    ck_assert_str_eq(cd_words_count(a, 1250, "test", NULL, NULL), "1,250 tests");
    ck_assert_str_eq(cd_words_count(a, -1, "day", NULL, NULL), "-1 day");
    ck_assert_str_eq(cd_words_noun(a, 1, "result", NULL), "result");
    ck_assert_str_eq(cd_words_noun(a, 3, "result", NULL), "results");
    ck_assert_ptr_null(cd_words_count(a, 3, NULL, NULL, NULL));
    cd_arena_free(a);
}
END_TEST

START_TEST(template_format_count)
{
    cd_arena *a = cd_arena_new();
    const char *out, *why;
    ck_assert(tf_format_count(a, "1", "absence", NULL, NULL, &out, &why));
    ck_assert_str_eq(out, "1 absence");
    ck_assert(tf_format_count(a, "0", "appointment", NULL, NULL, &out, &why));
    ck_assert_str_eq(out, "no appointments");
    ck_assert(tf_format_count(a, "0", "working day", NULL, "the same day as", &out, &why));
    ck_assert_str_eq(out, "the same day as");
    ck_assert(!tf_format_count(a, "2.5", "test", NULL, NULL, &out, &why));
    ck_assert_str_eq(why, "a whole number");
    ck_assert(!tf_format_count(a, "<5", "test", NULL, NULL, &out, &why));
    cd_arena_free(a);

    /* in a template: a count without noun= is a load error naming the line */
    char tpl[512], data[512], pdf[512];
    snprintf(tpl, sizeof tpl, "%s", tu_path("count.xml"));
    snprintf(data, sizeof data, "%s", tu_path("count-data.xml"));
    snprintf(pdf, sizeof pdf, "%s", tu_path("count.pdf"));
    tu_write_file(tpl, "<?xml version=\"1.0\"?>\n<template xmlns=\"urn:courtdocs:template:1\" title=\"t\">\n"
                       "<body><p>Accepted: <value select=\"/d/@n\" format=\"count\"/>.</p></body></template>\n");
    ck_assert_int_ne(tu_run("%s check-template '%s'", tu_bin(), tpl), 0);
    HAS(tu_err(), "count.xml:3:");
    HAS(tu_err(), "needs noun=");
    tu_write_file(tpl, "<?xml version=\"1.0\"?>\n<template xmlns=\"urn:courtdocs:template:1\" title=\"t\">\n"
                       "<body><p>Accepted: <value select=\"/d/@n\" format=\"count\" noun=\"absence\"/>; "
                       "<value select=\"/d/@m\" format=\"count\" noun=\"breach\"/>; "
                       "<value select=\"/d/@z\" format=\"count\" noun=\"working day\"/>.</p></body></template>\n");
    tu_write_file(data, "<d n=\"1\" m=\"5\" z=\"0\"/>\n");
    ck_assert_int_eq(tu_run("%s check-template --data '%s' -o '%s' '%s'", tu_bin(), data, pdf, tpl), 0);
    char *t = tu_pdf_text(pdf);
    ck_assert_ptr_nonnull(t);
    tu_squeeze(t);
    HAS(t, "Accepted: 1 absence; 5 breaches; no working days.");
    free(t);
}
END_TEST

Suite *words_suite(void)
{
    Suite *s = suite_create("words");
    TCase *t = tcase_create("words");
    tcase_add_test(t, counts_and_plurals);
    tcase_add_test(t, template_format_count);
    suite_add_tcase(s, t);
    return s;
}
