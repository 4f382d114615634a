/* test_writer.c -- the PDF writer's own output (issues 16 and 17), read back
 * with qpdf: the structure tree written as an incremental update in one
 * compressed object stream, page content in which marked content and text
 * objects nest properly (every text-showing operator inside a marked-content
 * sequence, table cells sharing one text object); bookmarks, which the
 * writer also writes itself, hundreds of them. (The SHA-256 every rendered
 * PDF is recorded with is tested in test_pdf.c.) */
#include "testutil.h"
#include "layout.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *demo_dir;

static void make_demo(void)
{
    demo_dir = tu_demo("writer-demo", NULL);
}

static const char *demo(const char *name)
{
    static char p[600];
    snprintf(p, sizeof p, "%s/%s", demo_dir, name);
    return p;
}

/* The structure elements are compressed objects (in an object stream), the
 * file is clean for qpdf, and poppler and qpdf agree on its structure. */
START_TEST(structure_in_one_object_stream)
{
    const char *pdf = demo("review-DEMO-0002.pdf");
    ck_assert_int_eq(tu_run("qpdf --check '%s'", pdf), 0);
    ck_assert_ptr_null(strstr(tu_out(), "WARNING"));
    ck_assert_int_eq(tu_run("qpdf --show-xref '%s'", pdf), 0);
    int compressed = tu_count(tu_out(), ": compressed;");
    int plain = tu_count(tu_out(), ": uncompressed;");
    ck_assert_msg(compressed > 300, "only %d compressed objects", compressed);
    ck_assert_msg(plain < compressed / 3, "%d plain objects against %d compressed", plain, compressed);
    ck_assert_int_eq(tu_run("pdfinfo -struct-text '%s'", pdf), 0);
    ck_assert_int_gt(tu_count(tu_out(), "TD\n"), 100);
    ck_assert_int_gt(tu_count(tu_out(), "H2 (block)"), 5);
    ck_assert_ptr_null(strstr(tu_err(), "rror"));
}
END_TEST

/* qpdf writing a PDF's objects uncompressed and out of their object
 * streams, for reading them as text: QDF " 'IN' OUT" (OUT - for stdout). */
#define QDF "qpdf --qdf --object-streams=disable"

/* Renders d into pdf and frees it; returns the number of pages. */
static int render(cd_doc *d, const char *pdf)
{
    int pages = 0;
    cd_error err = {0};
    ck_assert_msg(cd_doc_render(d, NULL, pdf, &pages, &err) == 0, "%s", err.message);
    cd_doc_free(d);
    return pages;
}

/* Renders d into tu_path(name), that path copied into pdf, and frees it;
 * the file must be clean for qpdf --check. */
static void render_checked(cd_doc *d, const char *name, char pdf[512])
{
    snprintf(pdf, 512, "%s", tu_path(name));
    render(d, pdf);
    ck_assert_int_eq(tu_run("qpdf --check '%s'", pdf), 0);
}

/* What the operators of one content stream do to the nesting. */
typedef struct {
    int bt, bdc, shows;               /* counts */
    int unmarked_shows;               /* Tj/TJ outside any marked content */
    int layout_artifacts;             /* /Artifact<</Type/Layout>> sequences */
    int cell_shows;                   /* Tj/TJ whose innermost sequence is a TD or TH */
    const char *error;                /* the first nesting error, or NULL */
} nesting;

/* Walks a content stream's operators (strings, names, arrays and
 * dictionaries skipped as operands), keeping a stack of text objects (T) and
 * marked-content sequences (M, with the tag each began with: C for a table
 * cell, A for anything else). */
static void walk_content(const char *s, const char *end, nesting *n)
{
    char stack[256], tags[256];
    int depth = 0, marks = 0;
    char tag = 0;                     /* the first name operand since the last operator */
    bool layout = false;              /* a /Layout name among the operands */
    while (s < end) {
        unsigned char c = (unsigned char)*s;
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t') { s++; continue; }
        if (c == '(') {                              /* a literal string */
            int level = 0;
            for (; s < end; s++) {
                if (*s == '\\') { s++; continue; }
                if (*s == '(') level++;
                else if (*s == ')' && --level == 0) { s++; break; }
            }
            continue;
        }
        if (c == '<' && s + 1 < end && s[1] == '<') { s += 2; continue; }
        if (c == '>' && s + 1 < end && s[1] == '>') { s += 2; continue; }
        if (c == '<') { while (s < end && *s != '>') s++; s++; continue; }
        if (c == '[' || c == ']' || c == '{' || c == '}') { s++; continue; }
        const char *w = s;
        if (c == '/') s++;
        while (s < end && !strchr(" \n\r\t()<>[]{}/%", *s)) s++;
        if (s == w) { s++; continue; }
        if (*w == '/') {
            size_t nl = (size_t)(s - w);
            if (!tag) tag = (nl == 3 && (memcmp(w, "/TD", 3) == 0 || memcmp(w, "/TH", 3) == 0)) ? 'C' : 'A';
            layout |= nl == 7 && memcmp(w, "/Layout", 7) == 0;
            continue;
        }
        if ((*w >= '0' && *w <= '9') || *w == '-' || *w == '.') continue;
        size_t len = (size_t)(s - w);
        char op_tag = tag;
        bool op_layout = layout;
        tag = 0;
        layout = false;
#define OP(x) (len == sizeof(x) - 1 && memcmp(w, x, len) == 0)
        if (OP("BT")) {
            n->bt++;
            if (depth < 256) stack[depth++] = 'T';
        } else if (OP("ET")) {
            if (depth == 0 || stack[depth - 1] != 'T') { if (!n->error) n->error = "ET does not close the innermost BT"; }
            else depth--;
        } else if (OP("BDC") || OP("BMC")) {
            n->bdc++;
            marks++;
            n->layout_artifacts += op_layout;
            if (depth < 256) { tags[depth] = op_tag; stack[depth++] = 'M'; }
        } else if (OP("EMC")) {
            if (depth == 0 || stack[depth - 1] != 'M') { if (!n->error) n->error = "EMC does not close the innermost BDC"; }
            else { depth--; marks--; }
        } else if (OP("Tj") || OP("TJ") || OP("'") || OP("\"")) {
            n->shows++;
            if (marks == 0) n->unmarked_shows++;
            int m = depth;
            while (m > 0 && stack[m - 1] != 'M') m--;
            if (m > 0 && tags[m - 1] == 'C') n->cell_shows++;
        }
#undef OP
    }
    if (depth != 0 && !n->error) n->error = "a BT or BDC is not closed at the end of the page";
}

/* Every page of a document: nested properly, all text marked. The counts
 * are the whole document's, and page by page in per_page[0 .. max_pages)
 * when per_page is not NULL; *npages = pages walked (may be NULL). */
static nesting check_pages_each(const char *pdf, nesting *per_page, int max_pages, int *npages)
{
    char qdf[700];
    snprintf(qdf, sizeof qdf, "%s.qdf", pdf);
    ck_assert_int_eq(tu_run(QDF " '%s' '%s'", pdf, qdf), 0);
    size_t len;
    char *d = tu_read_file(qdf, &len);
    ck_assert_ptr_nonnull(d);
    nesting n = {0};
    int pages = 0;
    for (const char *at = d; (at = strstr(at, "%% Contents for page")) != NULL; pages++) {
        const char *st = strstr(at, "\nstream\n");
        ck_assert_ptr_nonnull(st);
        st += 8;
        const char *en = strstr(st, "endstream");
        ck_assert_ptr_nonnull(en);
        walk_content(st, en, &n);
        ck_assert_msg(n.error == NULL, "%s page %d: %s", pdf, pages + 1, n.error);
        if (per_page && pages < max_pages) {
            per_page[pages] = (nesting){0};
            walk_content(st, en, &per_page[pages]);
        }
        at = en;
    }
    ck_assert_int_gt(pages, 0);
    free(d);
    if (npages) *npages = pages;
    return n;
}

static nesting check_pages(const char *pdf)
{
    return check_pages_each(pdf, NULL, 0, NULL);
}

START_TEST(marked_content_nests_with_text)
{
    const char *docs[] = {"review-DEMO-0002.pdf", "breach-DEMO-0002.pdf", "psr-DEMO-0001.pdf",
                          "summary.pdf"};
    for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
        nesting n = check_pages(demo(docs[i]));
        ck_assert_msg(n.unmarked_shows == 0, "%s: %d of %d text operators outside marked content",
                      docs[i], n.unmarked_shows, n.shows);
        ck_assert_int_gt(n.shows, 50);
        /* the cells of a row and the lines of a paragraph share a text
         * object: far fewer BT than marked-content sequences */
        ck_assert_msg(n.bt * 2 < n.bdc, "%s: %d text objects for %d marked sequences", docs[i],
                      n.bt, n.bdc);
    }
}
END_TEST

/* A table's shading and grid are drawn once per page, before its text, in
 * one Layout artifact (not one or two per row); every cell's text is still
 * in its TD or TH's marked content (a header repeated on the next page is
 * an artifact, its text not in a cell). 90 rows: two pages. */
START_TEST(table_decorations_once_per_page)
{
    cd_page_setup ps = {0};
    cd_doc *d = cd_doc_new(&ps);
    cd_column cols[3] = {{70, 0, CD_ALIGN_LEFT}, {0, 1, CD_ALIGN_LEFT}, {50, 0, CD_ALIGN_RIGHT}};
    cd_table_style ts = {.rules = true, .zebra = true};
    cd_table *tb = cd_doc_table(d, cols, 3, &ts);
    size_t nc[3] = {1, 1, 1};
    char text[3][32];
    cd_span cell[3];
    const cd_span *cells[3] = {&cell[0], &cell[1], &cell[2]};
    for (int r = 0; r < 92; r++) {
        for (int k = 0; k < 3; k++) {
            snprintf(text[k], sizeof text[k], "r%dc%d", r, k);
            cell[k] = (cd_span){.text = text[k]};
        }
        cd_row_kind kind = r == 0 ? CD_ROW_HEADER : r == 91 ? CD_ROW_TOTAL : CD_ROW_BODY;
        cd_table_row(tb, kind, cells, nc, r == 5);
    }
    const char *pdf = tu_path("writer-grid.pdf");
    ck_assert_int_eq(render(d, pdf), 2);
    nesting page[2];
    int walked = 0;
    nesting all = check_pages_each(pdf, page, 2, &walked);
    ck_assert_int_eq(walked, 2);
    ck_assert_int_eq(all.unmarked_shows, 0);
    for (int p = 0; p < 2; p++)
        ck_assert_msg(page[p].layout_artifacts == 1, "page %d: %d Layout artifacts", p + 1,
                      page[p].layout_artifacts);
    /* each cell one line of one piece: 92 rows x 3 cells, each in its cell */
    ck_assert_int_eq(all.cell_shows, 92 * 3);
    ck_assert_int_eq(all.shows, 92 * 3 + 3);              /* + the header repeated */
    ck_assert_int_gt(page[1].cell_shows, 30);
    ck_assert_int_eq(tu_run("pdfinfo -struct-text '%s'", pdf), 0);
    ck_assert_int_eq(tu_count(tu_out(), "TD\n"), 91 * 3);
    HAS(tu_out(), "TD\n        \"r90c2\"");
    HAS(tu_out(), "TD\n        \"r91c0\"");
}
END_TEST

/* A row with empty cells keeps them as empty TD elements: every row of a
 * table has as many cells as the table has columns, so that a screen
 * reader reads each value under its own heading. */
START_TEST(empty_cells_keep_their_place)
{
    cd_page_setup ps = {0};
    cd_doc *d = cd_doc_new(&ps);
    cd_column cols[4] = {{0, 1, CD_ALIGN_LEFT}, {0, 1, CD_ALIGN_LEFT}, {0, 1, CD_ALIGN_LEFT},
                         {0, 1, CD_ALIGN_LEFT}};
    cd_table *tb = cd_doc_table(d, cols, 4, &(cd_table_style){.rules = true});
    size_t nc[4] = {1, 1, 1, 1};
    cd_span h[4] = {{.text = "Week"}, {.text = "Booked"}, {.text = "Note"}, {.text = "Kept"}};
    const cd_span *hdr[4] = {&h[0], &h[1], &h[2], &h[3]};
    cd_table_row(tb, CD_ROW_HEADER, hdr, nc, false);
    cd_span a[4] = {{.text = "1"}, {.text = "3"}, {.text = "moved"}, {.text = "3"}};
    const cd_span *full[4] = {&a[0], &a[1], &a[2], &a[3]};
    cd_table_row(tb, CD_ROW_BODY, full, nc, false);
    cd_span b[4] = {{.text = "2"}, {.text = "3"}, {0}, {.text = "2"}};
    const cd_span *gap[4] = {&b[0], &b[1], NULL, &b[3]};          /* no note */
    cd_table_row(tb, CD_ROW_BODY, gap, nc, false);
    const cd_span *last[4] = {&b[0], NULL, NULL, NULL};          /* one cell */
    cd_table_row(tb, CD_ROW_BODY, last, nc, false);
    char pdf[512];
    render_checked(d, "writer-empty-cells.pdf", pdf);
    ck_assert_int_eq(tu_run("pdfinfo -struct-text '%s'", pdf), 0);
    char *st = strdup(tu_out());
    ck_assert_int_eq(tu_count(st, "TR\n"), 4);
    ck_assert_int_eq(tu_count(st, "TH:\n"), 4);
    ck_assert_int_eq(tu_count(st, "TD\n"), 12);                 /* 3 rows x 4 */
    /* the second row: its Kept value is the fourth cell, after an empty one */
    HAS(st, "TD\n        \"3\"\n      TD\n      TD\n        \"2\"");
    free(st);
}
END_TEST

/* A Figure's /Alt, written by the program into the structure's object
 * stream: a literal string with ( ) \ escaped when it is printable ASCII,
 * else hexadecimal UTF-16BE with its byte order mark (Zoë: 5A 6F EB; Ł:
 * 0141; and 𝟙, beyond the BMP, as the surrogate pair D835 DFD9). */
static void chart_with_alt(const char *alt, const char *pdf)
{
    cd_page_setup ps = {.marking = "OFFICIAL"};
    cd_doc *d = cd_doc_new(&ps);
    const char *cats[3] = {"1", "2", "3"};
    double v[3] = {10, 20, 30};
    cd_chart_series series = {.name = "Tests", .values = v};
    cd_chart c = {.kind = CD_CHART_BAR, .title = "Tests", .categories = cats, .ncategories = 3,
                  .series = &series, .nseries = 1, .alt_text = alt};
    cd_doc_chart(d, &c);
    render(d, pdf);
}

START_TEST(alt_text_strings)
{
    const char *a = tu_path("writer-alt-ascii.pdf");
    chart_with_alt("Tests (3 of 4) \\ up", a);
    ck_assert_int_eq(tu_run(QDF " '%s' - | grep -a -o '/Alt ([^/]*'", a), 0);
    HAS(tu_out(), "/Alt (Tests \\(3 of 4\\) \\\\ up)");
    const char *u = tu_path("writer-alt-utf16.pdf");
    chart_with_alt("Zo\xC3\xAB \xC5\x81 \xF0\x9D\x9F\x99", u);
    ck_assert_int_eq(tu_run(QDF " '%s' - | grep -a -o '/Alt <[0-9a-fA-F]*>'", u), 0);
    char *hex = strdup(tu_out());
    for (char *c = hex; *c; c++) if (*c >= 'a' && *c <= 'f') *c = (char)(*c - 'a' + 'A');
    HAS(hex, "<FEFF005A006F00EB002001410020D835DFD9>");
    free(hex);
    ck_assert_int_eq(tu_run("qpdf --check '%s'", u), 0);
}
END_TEST

/* Bookmarks are written by the writer itself, in the update's object
 * stream: 100 chapters of two sections each (300 in all, none lost), a
 * title outside ASCII, the counts of open items, and a destination on the
 * page of each heading. */
START_TEST(hundreds_of_bookmarks)
{
    cd_page_setup ps = {.marking = "OFFICIAL"};
    cd_doc *d = cd_doc_new(&ps);
    char title[64];
    for (int k = 1; k <= 100; k++) {
        snprintf(title, sizeof title, k == 7 ? "Chapter %d: Zo\xC3\xAB \xC5\x81" : "Chapter %d", k);
        cd_span h1 = {.text = title};
        cd_doc_heading(d, 1, &h1, 1);
        for (int j = 1; j <= 2; j++) {
            char sec[64];
            snprintf(sec, sizeof sec, "Section %d.%d", k, j);
            cd_span h2 = {.text = sec};
            cd_doc_heading(d, 2, &h2, 1);
            cd_span body = {.text = "Text under the section."};
            cd_doc_paragraph(d, &body, 1, NULL);
        }
    }
    char pdf[512];
    render_checked(d, "writer-bookmarks.pdf", pdf);
    ck_assert_int_eq(tu_run("qpdf --json --json-key=outlines '%s'", pdf), 0);
    char *o = strdup(tu_out());
    ck_assert_int_eq(tu_count(o, "\"title\""), 300);
    HAS(o, "\"title\": \"Chapter 1\"");
    HAS(o, "\"title\": \"Chapter 7: Zo\xC3\xAB \xC5\x81\"");
    HAS(o, "\"title\": \"Section 100.2\"");
    ck_assert_int_eq(tu_count(o, "\"kids\": [\n"), 100);   /* each chapter holds its sections */
    free(o);
    /* the root counts every item (all open), a chapter its two sections */
    ck_assert_int_eq(tu_run(QDF " '%s' - | grep -a -c '/Count 2$'", pdf), 0);
    ck_assert_int_eq(atoi(tu_out()), 100);
    ck_assert_int_eq(tu_run(QDF " '%s' - | grep -a -c '/Count 300$'", pdf), 0);
    ck_assert_int_eq(atoi(tu_out()), 1);
    /* the last section's destination is on the last page */
    ck_assert_int_eq(tu_run("pdfinfo '%s' | grep Pages", pdf), 0);
    int pages = atoi(strchr(tu_out(), ':') + 1);
    ck_assert_int_gt(pages, 10);
    ck_assert_int_eq(tu_run("qpdf --json --json-key=outlines '%s' | grep -A8 '\"destpageposfrom1\": %d,' "
                            "| grep -c 'Section 100.2'", pdf, pages), 0);
}
END_TEST

Suite *writer_suite(void)
{
    Suite *s = suite_create("writer");
    TCase *t = tcase_create("writer");
    tcase_set_timeout(t, 300);
    tcase_add_unchecked_fixture(t, make_demo, NULL);     /* the demo, rendered once */
    tcase_add_test(t, structure_in_one_object_stream);
    tcase_add_test(t, marked_content_nests_with_text);
    tcase_add_test(t, alt_text_strings);
    tcase_add_test(t, hundreds_of_bookmarks);
    tcase_add_test(t, table_decorations_once_per_page);
    tcase_add_test(t, empty_cells_keep_their_place);
    suite_add_tcase(s, t);
    return s;
}
