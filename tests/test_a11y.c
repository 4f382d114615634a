/* test_a11y.c -- accessible and encrypted PDFs (issue 17), read back as a
 * reader would: poppler's `pdfinfo -struct-text` for the structure tree and
 * its text, qpdf for the catalog, metadata, bookmarks, link annotations and
 * encryption, pdftotext -upw for opening an encrypted file, and pdf.js
 * (tests/pdfjs/pdfjs.mjs, when node and pdfjs-dist are installed) for what
 * a browser's reader gets: title, language, structure tree with each
 * Figure's alternative text, tagged content, and a password. The documents
 * are the demo caseload's (one review, PSR, breach pack and caseload summary,
 * rendered once for the suite), plus small documents built through layout.h
 * for what the demo cannot pin down (a table over three pages, nested lists). */
#include "testutil.h"
#include "layout.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *demo_dir, *demo_db;

static void make_demo(void)
{
    demo_dir = tu_demo("a11y-demo", &demo_db);
}

/* A demo document's path. */
static const char *demo(const char *name)
{
    static char p[4][600];
    static int k;
    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/%s", demo_dir, name);
    return p[k];
}

/* `pdfinfo -struct-text` of a PDF (malloc'd). */
static char *structure(const char *pdf, const char *password)
{
    int rc = password ? tu_run("pdfinfo -upw '%s' -struct-text '%s'", password, pdf)
                      : tu_run("pdfinfo -struct-text '%s'", pdf);
    ck_assert_msg(rc == 0, "pdfinfo -struct-text %s: %s", pdf, tu_err());
    return strdup(tu_out());
}

/* The text of the first element of the given type after *from (the quoted
 * line below "  TYPE (block)"); advances *from past it. NULL when none. */
static char *next_element(const char **from, const char *type)
{
    char tag[32];
    snprintf(tag, sizeof tag, "  %s (block)\n", type);
    const char *at = strstr(*from, tag);
    if (!at) return NULL;
    const char *q = strchr(at + strlen(tag), '"');
    const char *e = q ? strchr(q + 1, '\n') : NULL;
    if (!q || !e) return NULL;
    *from = e;
    char *s = strndup(q + 1, (size_t)(e - q - 1));
    char *last = strrchr(s, '"');
    if (last) *last = '\0';
    return s;
}

/* Every heading of the structure, in order, appears in the document's text
 * in the same order (the structure's reading order is the document's). */
static int headings_in_order(const char *st, const char *pdf, const char *type)
{
    char *text = tu_pdf_text(pdf);
    ck_assert_ptr_nonnull(text);
    tu_squeeze(text);
    const char *from = st, *pos = text;
    int n = 0;
    char *h;
    while ((h = next_element(&from, type)) != NULL) {
        char *t = tu_squeeze(h);
        size_t len = strlen(t);
        while (len && t[len - 1] == ' ') t[--len] = '\0';
        const char *at = strstr(pos, t);
        ck_assert_msg(at != NULL, "%s \"%s\" not found after the previous heading in the text", type, t);
        pos = at + len;
        n++;
        free(h);
    }
    free(text);
    return n;
}

/* Nothing of the page furniture is inside the structure. */
static void no_furniture(const char *st)
{
    HASNT(st, "OFFICIAL-SENSITIVE");
    HASNT(st, "Page 1 of");
    HASNT(st, "generated 2026");
    HASNT(st, "\"DRAFT\"");                 /* the watermark (body text may say draft) */
}

START_TEST(review_structure)
{
    const char *pdf = demo("review-DEMO-0001.pdf");
    char *st = structure(pdf, NULL);
    /* the Document's first child is the H1, then the opening paragraph */
    ck_assert_msg(strncmp(st, "Document\n  H1 (block)\n    \"Court review report\"\n  P (block)\n", 57) == 0,
                  "structure starts: %.200s", st);
    ck_assert_int_ge(headings_in_order(st, pdf, "H2"), 8);
    /* the at-a-glance table's column headers, with their scope */
    HAS(st, "TH:\n         /Scope /Column\n        \"Period\"");
    /* label-value blocks: the label is a row header */
    HAS(st, "TH:\n         /Scope /Row\n        \"Case reference\"\n      TD\n        \"DEMO/0001\"");
    /* the chart: a Figure whose printed sentence is its Caption, and whose
     * /Alt is that same sentence */
    const char *fig = strstr(st, "  Figure\n");
    ck_assert_ptr_nonnull(fig);
    const char *cap = strstr(fig, "    Caption\n      \"");
    ck_assert_ptr_nonnull(cap);
    char sentence[40];
    snprintf(sentence, sizeof sentence, "%.30s", cap + strlen("    Caption\n      \""));
    ck_assert_int_eq(tu_run("qpdf --qdf --object-streams=disable '%s' - | grep -a '/Alt (' | head -1", pdf), 0);
    HAS(tu_out(), sentence);                 /* "Opiates negative fell from 4 o" */
    no_furniture(st);
    /* words stay apart where the face changes ("on <b>Monday</b>") */
    HAS(st, "for the hearing on Monday 2 November 2026");
    free(st);
}
END_TEST

START_TEST(psr_breach_summary_structure)
{
    static const struct { const char *file, *h1; int h2; } docs[] = {
        {"psr-DEMO-0001.pdf", "Drug misuse assessment", 5},
        {"breach-DEMO-0002.pdf", "Breach pack", 8},
        {"summary.pdf", "Drug treatment orders: caseload summary", 5},
    };
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        const char *pdf = demo(docs[i].file);
        char *st = structure(pdf, NULL);
        char want[200];
        snprintf(want, sizeof want, "Document\n  H1 (block)\n    \"%s", docs[i].h1);
        ck_assert_msg(strncmp(st, want, strlen(want)) == 0, "%s starts: %.200s", docs[i].file, st);
        ck_assert_int_ge(headings_in_order(st, pdf, "H2"), docs[i].h2);
        HAS(st, "/Scope /Column");
        HAS(st, "/Scope /Row");
        no_furniture(st);
        free(st);
    }
    /* the breach pack's witness statement is a numbered list: Lbl and LBody */
    char *st = structure(demo("breach-DEMO-0002.pdf"), NULL);
    HAS(st, "  L (block)\n    LI (block)\n      Lbl (block)\n        \"1.\"\n      LBody (block)\n"
            "        \"I am a probation officer.");
    /* the contents page: each entry's value is a Link, with its annotation */
    ck_assert_int_eq(tu_count(st, "Link (inline)\n"), 9);
    HAS(st, "\"1. The allegations\"\n      TD\n        Link (inline)\n          \"page 2\"\n          Object ");
    free(st);
    /* the summary's chart: a Figure with its Caption */
    st = structure(demo("summary.pdf"), NULL);
    HAS(st, "  Figure\n");
    HAS(st, "    Caption\n      \"The share of opiate and cocaine results");
    free(st);
}
END_TEST

/* The object number of the catalog. */
static int catalog_of(const char *pdf)
{
    ck_assert_int_eq(tu_run("qpdf --show-object=trailer '%s'", pdf), 0);
    const char *r = strstr(tu_out(), "/Root ");
    ck_assert_ptr_nonnull(r);
    return atoi(r + 6);
}

START_TEST(catalog_title_metadata)
{
    const char *pdf = demo("review-DEMO-0001.pdf");
    int root = catalog_of(pdf);
    ck_assert_int_eq(tu_run("qpdf --show-object=%d '%s'", root, pdf), 0);
    char *cat = strdup(tu_out());
    HAS(cat, "/Lang (en-GB)");
    HAS(cat, "/MarkInfo << /Marked true >>");
    HAS(cat, "/ViewerPreferences << /DisplayDocTitle true >>");
    HAS(cat, "/StructTreeRoot ");
    const char *m = strstr(cat, "/Metadata ");
    ck_assert_ptr_nonnull(m);
    int meta = atoi(m + 10);
    free(cat);
    /* the title names the document, the case and the hearing date */
    ck_assert_int_eq(tu_run("pdfinfo '%s'", pdf), 0);
    HAS(tu_out(), "Title:           Court review report, DEMO/0001, 2 November 2026\n");
    HAS(tu_out(), "Tagged:          yes");
    /* XMP: PDF/UA-1, and the same title */
    ck_assert_int_eq(tu_run("qpdf --show-object=%d --filtered-stream-data '%s'", meta, pdf), 0);
    HAS(tu_out(), "<pdfuaid:part>1</pdfuaid:part>");
    HAS(tu_out(), "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">Court review report, DEMO/0001, "
                  "2 November 2026</rdf:li></rdf:Alt></dc:title>");
    /* every page with content names its entry in the ParentTree */
    ck_assert_int_eq(tu_run("qpdf --qdf --object-streams=disable '%s' - | grep -a -c '/StructParents'", pdf), 0);
    ck_assert_int_eq(tu_run("pdfinfo '%s' | grep Pages", pdf), 0);
    int pages = atoi(strchr(tu_out(), ':') + 1);
    ck_assert_int_eq(tu_run("qpdf --qdf --object-streams=disable '%s' - | grep -a -c '/StructParents'", pdf), 0);
    ck_assert_int_eq(atoi(tu_out()), pages);
    ck_assert_int_eq(tu_run("qpdf --check '%s'", pdf), 0);
}
END_TEST

START_TEST(bookmarks_and_links)
{
    const char *pdf = demo("breach-DEMO-0002.pdf");
    ck_assert_int_eq(tu_run("qpdf --json --json-key=outlines '%s'", pdf), 0);
    char *o = strdup(tu_out());
    /* the H1 at the top, the sections (H2, titled by their anchors) under it */
    const char *h1 = strstr(o, "\"title\": \"Breach pack\"");
    ck_assert_ptr_nonnull(h1);
    const char *kids = strstr(o, "\"kids\": [\n");
    ck_assert_ptr_nonnull(kids);
    ck_assert_ptr_nonnull(strstr(kids, "\"title\": \"Contents\""));
    ck_assert_ptr_nonnull(strstr(kids, "\"title\": \"1. The allegations\""));
    ck_assert_ptr_nonnull(strstr(kids, "\"title\": \"9. The whole order\""));
    ck_assert_int_eq(tu_count(o, "\"title\""), 11);   /* H1 + Contents + 9 sections */
    free(o);
    /* nine links from the contents page, each described */
    ck_assert_int_eq(tu_run("qpdf --qdf --object-streams=disable '%s' - | grep -a -c '/Subtype /Link'", pdf), 0);
    ck_assert_int_eq(atoi(tu_out()), 9);
    ck_assert_int_eq(tu_run("qpdf --qdf --object-streams=disable '%s' - | grep -a '/Contents (Go to'", pdf), 0);
    HAS(tu_out(), "/Contents (Go to 1. The allegations, page 2)");
    HAS(tu_out(), "/Contents (Go to 9. The whole order, page ");
}
END_TEST

START_TEST(encrypted_review)
{
    char dir[512], pw[600], out[600];
    snprintf(dir, sizeof dir, "%s", tu_path("a11y-enc"));
    snprintf(pw, sizeof pw, "%s/pw", dir);
    snprintf(out, sizeof out, "%s/review.pdf", dir);
    ck_assert_int_eq(tu_run("mkdir -p '%s' && umask 077 && printf 'correct horse\\n' > '%s'", dir, pw), 0);
    /* on the command line: refused, naming the safe ways, echoing nothing */
    ck_assert_int_eq(tu_run("%s review --db '%s' --case DEMO/0001 --password 'correct horse' -q -o '%s'",
                            tu_bin(), demo_db, out), 2);
    HAS(tu_err(), "--password-file FILE");
    HAS(tu_err(), "--ask-password");
    HASNT(tu_err(), "correct horse");
    ck_assert_int_ne(tu_run("test -e '%s'", out), 0);
    /* from a file: AES-256, revision 6; printing yes, copying no, accessibility yes */
    ck_assert_int_eq(tu_run("CD_TODAY=2026-11-02 %s review --db '%s' --case DEMO/0001 --password-file '%s' -q -o '%s'",
                            tu_bin(), demo_db, pw, out), 0);
    struct stat st;
    ck_assert_int_eq(stat(out, &st), 0);
    ck_assert_int_eq(st.st_mode & 0777, 0600);
    ck_assert_int_eq(tu_run("ls -A '%s' | wc -l", dir), 0);          /* pw and the PDF, no temp file */
    ck_assert_int_eq(atoi(tu_out()), 2);
    ck_assert_int_eq(tu_run("qpdf --password='correct horse' --show-encryption '%s'", out), 0);
    HAS(tu_out(), "R = 6");
    HAS(tu_out(), "stream encryption method: AESv3");
    HAS(tu_out(), "string encryption method: AESv3");
    HAS(tu_out(), "print high resolution: allowed");
    HAS(tu_out(), "extract for any purpose: not allowed");
    HAS(tu_out(), "extract for accessibility: allowed");
    HAS(tu_out(), "modify anything: not allowed");
    /* it opens with the password in poppler, and not without it or with another */
    ck_assert_int_eq(tu_run("pdftotext -upw 'correct horse' '%s' -", out), 0);
    HAS(tu_out(), "Court review report");
    ck_assert_int_ne(tu_run("pdftotext '%s' -", out), 0);
    ck_assert_int_ne(tu_run("pdftotext -upw 'wrong horse' '%s' -", out), 0);
    /* the file holds no plain text: neither the name nor the case's title */
    ck_assert_int_ne(tu_run("grep -a -c 'Court review report' '%s'", out), 0);
    /* still tagged, with the same structure */
    char *s = structure(out, "correct horse");
    ck_assert_msg(strncmp(s, "Document\n  H1 (block)\n    \"Court review report\"", 46) == 0, "%.100s", s);
    free(s);
    ck_assert_int_eq(tu_run("qpdf --check --password='correct horse' '%s'", out), 0);
    /* a password file others can read: a warning; an empty one: refused */
    ck_assert_int_eq(tu_run("chmod 644 '%s' && CD_TODAY=2026-11-02 %s review --db '%s' --case DEMO/0001 "
                            "--password-file '%s' -q -o '%s'", pw, tu_bin(), demo_db, pw, out), 0);
    HAS(tu_err(), "can be read by other users");
    ck_assert_int_eq(tu_run(": > '%s' && %s review --db '%s' --case DEMO/0001 --password-file '%s' -q -o '%s'",
                            pw, tu_bin(), demo_db, pw, out), 2);
    HAS(tu_err(), "first line is empty");
    ck_assert_int_eq(tu_run("%s review --db '%s' --case DEMO/0001 --password-file '%s/none' -q -o '%s'",
                            tu_bin(), demo_db, dir, out), 2);
    HAS(tu_err(), "cannot open it");
    /* no terminal: --ask-password says to use a file */
    ck_assert_int_eq(tu_run("setsid %s review --db '%s' --case DEMO/0001 --ask-password -q -o '%s' </dev/null",
                            tu_bin(), demo_db, out), 2);
    HAS(tu_err(), "--password-file");
    /* every command that encrypts refuses --password alike */
    ck_assert_int_eq(tu_run("%s summary --db '%s' --password x -q", tu_bin(), demo_db), 2);
    HAS(tu_err(), "--password-file FILE");
    ck_assert_int_eq(tu_run("%s breach --help", tu_bin()), 0);
    HAS(tu_out(), "--password-file FILE");
}
END_TEST

static cd_span S(const char *t) { return (cd_span){t, 0}; }

/* pdf.js (as a browser shows the PDF) sees what poppler and qpdf see: the
 * review's title naming the case and hearing date, its language, the
 * Document with its H1, the chart a Figure whose alternative text is the
 * trend sentence, with a Caption; tagged content and artifacts (running
 * heads and footers) on its pages. The summary's chart likewise. */
START_TEST(pdfjs_reads_structure)
{
    if (!tu_pdfjs_ready("a11y", "the pdf.js structure check"))
        return;
    ck_assert_int_eq(tu_pdfjs("structure", demo("review-DEMO-0001.pdf"), NULL), 0);
    const char *st = tu_out();
    HAS(st, "title: Court review report, DEMO/0001, 2 November 2026\n");
    HAS(st, "lang: en-GB\n");
    HAS(st, "\n role: Document\n  role: H1\n");
    HAS(st, "  role: Figure alt=\"Opiates negative ");
    const char *fig = strstr(st, "  role: Figure alt=");
    HAS(fig, "\n   role: Caption\n");
    const char *marked = strstr(st, "marked-content: "), *artifacts = strstr(st, "artifacts: ");
    ck_assert_ptr_nonnull(marked);
    ck_assert_ptr_nonnull(artifacts);
    ck_assert_int_gt(atoi(marked + 16), 0);
    ck_assert_int_gt(atoi(artifacts + 11), 0);
    ck_assert_int_eq(tu_pdfjs("structure", demo("summary.pdf"), NULL), 0);
    HAS(tu_out(), "lang: en-GB\n");
    HAS(tu_out(), "  role: Figure alt=\"The share of opiate and cocaine results that were negative");
}
END_TEST

/* An encrypted review in pdf.js: refused without its password and with a
 * wrong one (exit 2, PasswordException), read with it: the same title and
 * language, and the structure tree. */
START_TEST(pdfjs_opens_encrypted_with_password_only)
{
    if (!tu_pdfjs_ready("a11y", "the pdf.js password check"))
        return;
    const char *pw = tu_path("pdfjs-pw"), *out = tu_path("pdfjs-encrypted.pdf");
    tu_write_file(pw, "correct horse\n");
    ck_assert_int_eq(chmod(pw, 0600), 0);
    ck_assert_int_eq(tu_run("CD_TODAY=2026-11-02 %s review --db '%s' --case DEMO/0001 --date 2026-11-02 "
                            "--password-file '%s' -q -o '%s'", tu_bin(), demo_db, pw, out), 0);
    ck_assert_int_eq(tu_pdfjs("structure", out, NULL), 2);
    HAS(tu_out(), "cannot open: PasswordException");
    ck_assert_int_eq(tu_pdfjs("structure", out, "wrong horse"), 2);
    ck_assert_int_eq(tu_pdfjs("structure", out, "correct horse"), 0);
    HAS(tu_out(), "title: Court review report, DEMO/0001, 2 November 2026\n");
    HAS(tu_out(), "lang: en-GB\n");
    HAS(tu_out(), "\n role: Document\n  role: H1\n");
}
END_TEST

START_TEST(layout_tables_lists_artifacts)
{
    /* a 120-row table runs over three pages: its header row is repeated on
     * each, but the structure holds it once (the repeats are artifacts),
     * and every body row once */
    cd_page_setup ps = {.marking = "OFFICIAL", .header = {"Running header", NULL, NULL},
                        .footer = {NULL, NULL, "Page {page} of {pages}"}, .draft = true};
    cd_doc *d = cd_doc_new(&ps);
    cd_span h = S("Contacts");
    cd_doc_heading(d, 1, &h, 1);
    cd_span items[4] = {S("first"), S("nested"), S("second"), S("third")};
    cd_doc_list_item(d, 1, 1, &items[0], 1);
    cd_doc_list_item(d, 2, 0, &items[1], 1);
    cd_doc_list_item(d, 1, 2, &items[2], 1);
    cd_doc_list_item(d, 1, 3, &items[3], 1);
    cd_column cols[2] = {{.width = 80}, {.weight = 1}};
    cd_table *t = cd_doc_table(d, cols, 2, NULL);
    cd_span hc[2] = {S("When"), S("What")};
    const cd_span *hcells[2] = {&hc[0], &hc[1]};
    size_t ones[2] = {1, 1};
    cd_table_row(t, CD_ROW_HEADER, hcells, ones, false);
    char buf[120][2][32];
    for (int r = 0; r < 120; r++) {
        snprintf(buf[r][0], sizeof buf[r][0], "day %d", r + 1);
        snprintf(buf[r][1], sizeof buf[r][1], "contact %d", r + 1);
        cd_span c[2] = {S(buf[r][0]), S(buf[r][1])};
        const cd_span *cells[2] = {&c[0], &c[1]};
        cd_table_row(t, CD_ROW_BODY, cells, ones, false);
    }
    const char *pdf = tu_path("a11y-table.pdf");
    int pages = 0;
    cd_error err = {0};
    ck_assert_int_eq(cd_doc_render(d, NULL, pdf, &pages, &err), 0);
    cd_doc_free(d);
    ck_assert_int_ge(pages, 3);
    char *text = tu_pdf_text(pdf);
    ck_assert_int_eq(tu_count(text, "When"), pages);      /* the header on every page */
    free(text);
    char *st = structure(pdf, NULL);
    ck_assert_int_eq(tu_count(st, "\"When\""), 1);       /* once in the structure */
    ck_assert_int_eq(tu_count(st, "    TR\n"), 121);
    ck_assert_int_eq(tu_count(st, "\"contact 120\""), 1);
    HAS(st, "TH:\n         /Scope /Column\n        \"When\"");
    /* a numbered list with a bulleted list nested in the first item's body */
    HAS(st, "  L (block)\n    LI (block)\n      Lbl (block)\n        \"1.\"\n      LBody (block)\n"
            "        \"first\"\n        L (block)\n          LI (block)\n");
    HAS(st, "      Lbl (block)\n        \"3.\"\n      LBody (block)\n        \"third\"");
    ck_assert_int_eq(tu_count(st, "LI (block)"), 4);
    HASNT(st, "Running header");
    HASNT(st, "OFFICIAL");
    HASNT(st, "DRAFT");
    HASNT(st, "Page 1 of");
    free(st);
}
END_TEST

Suite *a11y_suite(void)
{
    Suite *s = suite_create("a11y");
    TCase *tc = tcase_create("a11y");
    tcase_set_timeout(tc, 120);
    tcase_add_unchecked_fixture(tc, make_demo, NULL);
    tcase_add_test(tc, review_structure);
    tcase_add_test(tc, psr_breach_summary_structure);
    tcase_add_test(tc, catalog_title_metadata);
    tcase_add_test(tc, bookmarks_and_links);
    tcase_add_test(tc, encrypted_review);
    tcase_add_test(tc, pdfjs_reads_structure);
    tcase_add_test(tc, pdfjs_opens_encrypted_with_password_only);
    tcase_add_test(tc, layout_tables_lists_artifacts);
    suite_add_tcase(s, tc);
    return s;
}
