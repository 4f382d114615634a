/* test_layout.c -- the layout engine end to end: documents are built through
 * layout.h, rendered to a scratch folder and read back with pdftotext,
 * pdfinfo and qpdf. Covers scripts (Greek, Cyrillic, Latin Extended), missing
 * glyphs, over-long words, long tables (every row once, header on every
 * page), errors that leave no file, headings kept with what follows, running
 * lines, marking, charts, images, anchors and outlines. */
#include "testutil.h"
#include "layout.h"
#include "pdf.h"
#include <dirent.h>
#include <math.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static cd_span S(const char *t) { return (cd_span){t, 0}; }

static void para(cd_doc *d, const char *text)
{
    cd_span s = S(text);
    cd_doc_paragraph(d, &s, 1, NULL);
}

/* Renders into tu_path(name); returns the pdftotext text (caller frees). */
static char *render_text(cd_doc *d, const char *name, int *pages)
{
    cd_error err = {0};
    cd_doc_info info = {"Layout test", "Tester", NULL, NULL, NULL};
    int rc = cd_doc_render(d, &info, tu_path(name), pages, &err);
    ck_assert_msg(rc == 0, "render failed: %s", err.message);
    char *t = tu_pdf_text(tu_path(name));
    ck_assert_ptr_nonnull(t);
    return t;
}

/* The text of page n (1-based) in a malloc'd copy (pdftotext ends pages with \f). */
static char *page_text(const char *all, int n)
{
    const char *p = all;
    for (int i = 1; i < n && p; i++) {
        p = strchr(p, '\f');
        if (p) p++;
    }
    if (!p) return strdup("");
    const char *e = strchr(p, '\f');
    return strndup(p, e ? (size_t)(e - p) : strlen(p));
}

static int files_in(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
    closedir(d);
    return n;
}

START_TEST(scripts_round_trip)
{
    cd_doc *d = cd_doc_new(NULL);
    para(d, "Zoë Ó'Brien-Łukasiewicz met Дмитрий and Γιώργος at 10:00 (€20, “quoted”).");
    cd_span mixed[] = {{"Bold ", CD_SPAN_BOLD}, {"italic ", CD_SPAN_ITALIC},
                       {"both", CD_SPAN_BOLD | CD_SPAN_ITALIC}, {" plain", 0}};
    cd_doc_paragraph(d, mixed, 4, NULL);
    int pages;
    char *t = render_text(d, "scripts.pdf", &pages);
    ck_assert_int_eq(pages, 1);
    ck_assert_ptr_nonnull(strstr(t, "Zoë Ó'Brien-Łukasiewicz met Дмитрий and Γιώργος at 10:00 (€20, “quoted”)."));
    ck_assert_ptr_nonnull(strstr(t, "Bold italic both plain"));
    ck_assert_int_eq(tu_run("pdffonts '%s'", tu_path("scripts.pdf")), 0);
    ck_assert_int_eq(tu_count(tu_out(), "DejaVuSans"), 4);      /* four faces, all embedded */
    ck_assert_int_eq(tu_count(tu_out(), " yes "), 4 * 2);
    free(t);
    cd_doc_free(d);
}
END_TEST

START_TEST(missing_glyph_reported_once)
{
    cd_doc *d = cd_doc_new(NULL);
    char *warn = NULL;
    size_t wlen = 0;
    FILE *w = open_memstream(&warn, &wlen);
    cd_doc_set_warnings(d, w);
    char text[50 * 16 + 64] = "Secret words ";
    for (int i = 0; i < 50; i++) strcat(text, "x\xf0\x9f\x98\x80 ");  /* U+1F600 */
    strcat(text, "\xe4\xb8\xad and bad \xff\xfe bytes");             /* CJK, invalid UTF-8 */
    para(d, text);
    int pages;
    char *t = render_text(d, "glyph.pdf", &pages);
    fclose(w);
    ck_assert_int_eq(tu_count(warn, "warning: the font has no glyph for U+1F600; shown as a replacement\n"), 1);
    ck_assert_int_eq(tu_count(warn, "U+4E2D"), 1);
    ck_assert_int_eq(tu_count(warn, "warning:"), 2);           /* invalid bytes are not glyph warnings */
    ck_assert_ptr_null(strstr(warn, "Secret"));                 /* no case text in warnings */
    ck_assert_int_eq(tu_count(t, "x\xef\xbf\xbd"), 50);          /* each shown as U+FFFD */
    ck_assert_ptr_nonnull(strstr(t, "bad \xef\xbf\xbd\xef\xbf\xbd bytes"));
    free(warn);
    free(t);
    cd_doc_free(d);
}
END_TEST

/* Number of times the character c occurs. */
static long count_char(const char *s, char c)
{
    long n = 0;
    for (; *s; s++) n += *s == c;
    return n;
}

START_TEST(long_word_wraps)
{
    char *word = malloc(5001);
    memset(word, 'W', 5000);
    word[5000] = '\0';
    cd_doc *d = cd_doc_new(NULL);
    para(d, word);                                              /* in a paragraph */
    cd_column cols[2] = {{60, 0, CD_ALIGN_LEFT}, {0, 1, CD_ALIGN_LEFT}};
    cd_table *tb = cd_doc_table(d, cols, 2, NULL);
    cd_span h1 = S("Narrow"), h2 = S("Broad");
    const cd_span *hc[2] = {&h1, &h2};
    size_t nc[2] = {1, 1};
    cd_table_row(tb, CD_ROW_HEADER, hc, nc, false);
    for (int i = 0; i < 5000; i++) word[i] = 'Q';
    cd_span c1 = S(word), c2 = S("after");
    const cd_span *bc[2] = {&c1, &c2};
    cd_table_row(tb, CD_ROW_BODY, bc, nc, false);               /* in a 60-point cell */
    int pages;
    char *t = render_text(d, "longword.pdf", &pages);
    ck_assert_int_eq(count_char(t, 'W'), 5000);
    ck_assert_int_eq(count_char(t, 'Q'), 5000);
    /* The word cannot fit any line, so its column takes all the text width
     * but what "after" and "Broad" need (automatic table layout) and the word
     * is broken between characters: 5000 Qs at 9 pt (7.08 pt each) are
     * 35,400 pt, over about 75 lines of 11.25 pt (2 pages); the paragraph's
     * 5000 Ws at 10 pt (9.89 pt each) are 49,450 pt over about 103 lines of
     * 12.5 pt (2 pages): 3 to 5 pages in all. */
    ck_assert_int_ge(pages, 3);
    ck_assert_int_le(pages, 5);
    ck_assert_ptr_nonnull(strstr(t, "after"));                  /* the short cell whole */
    ck_assert_int_eq(tu_run("qpdf --check '%s'", tu_path("longword.pdf")), 0);
    free(t);
    free(word);
    cd_doc_free(d);
}
END_TEST

START_TEST(ten_thousand_rows)
{
    cd_page_setup ps = {0};
    ps.footer.centre = "Page {page} of {pages}";
    cd_doc *d = cd_doc_new(&ps);
    cd_span h = S("Contacts");
    cd_doc_heading(d, 1, &h, 1);
    cd_column cols[3] = {{70, 0, CD_ALIGN_LEFT}, {0, 1, CD_ALIGN_LEFT}, {50, 0, CD_ALIGN_RIGHT}};
    cd_table_style ts = {.rules = true, .zebra = true};
    cd_table *tb = cd_doc_table(d, cols, 3, &ts);
    cd_span a = S("When"), b = S("Whathead"), c = S("Hours");
    const cd_span *hc[3] = {&a, &b, &c};
    size_t nc[3] = {1, 1, 1};
    cd_table_row(tb, CD_ROW_HEADER, hc, nc, false);
    char w1[32], w2[64], w3[32];
    for (int i = 0; i < 10000; i++) {
        snprintf(w1, sizeof w1, "day %d", i % 31 + 1);
        snprintf(w2, sizeof w2, "Entry-%d-end", i);
        snprintf(w3, sizeof w3, "%d", i % 9);
        cd_span x1 = S(w1), x2 = S(w2), x3 = S(w3);
        const cd_span *bc[3] = {&x1, &x2, &x3};
        cd_table_row(tb, CD_ROW_BODY, bc, nc, i % 100 == 7);
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int pages;
    char *t = render_text(d, "rows.pdf", &pages);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    fprintf(stderr, "layout: 10,000-row table: %d pages, %.2f s (layout + PDF + pdftotext)\n", pages,
            (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    /* every row exactly once */
    unsigned char *seen = calloc(10000, 1);
    long found = 0;
    for (const char *p = t; (p = strstr(p, "Entry-")); p += 6) {
        int n = atoi(p + 6);
        ck_assert(n >= 0 && n < 10000);
        seen[n]++;
        found++;
    }
    ck_assert_int_eq(found, 10000);
    for (int i = 0; i < 10000; i++) ck_assert_msg(seen[i] == 1, "row %d seen %d times", i, seen[i]);
    free(seen);
    /* ~15 points a row, ~48 rows a page */
    ck_assert_int_ge(pages, 180);
    ck_assert_int_le(pages, 260);
    ck_assert_int_eq(tu_count(t, "Whathead"), pages);          /* header on every page */
    for (int p = 1; p <= pages; p += 37) {
        char *pt = page_text(t, p);
        ck_assert_ptr_nonnull(strstr(pt, "Whathead"));
        char want[64];
        snprintf(want, sizeof want, "Page %d of %d", p, pages);
        ck_assert_ptr_nonnull(strstr(pt, want));
        free(pt);
    }
    free(t);
    cd_doc_free(d);
}
END_TEST

START_TEST(too_wide_table_is_an_error)
{
    mkdir(tu_path("wide"), 0700);
    cd_doc *d = cd_doc_new(NULL);
    cd_column ok[1] = {{100, 0, CD_ALIGN_LEFT}};
    cd_doc_table(d, ok, 1, NULL);
    cd_column cols[3] = {{300, 0, CD_ALIGN_LEFT}, {300, 0, CD_ALIGN_LEFT}, {100, 0, CD_ALIGN_LEFT}};
    cd_table *tb = cd_doc_table(d, cols, 3, NULL);
    cd_span a = S("x");
    const cd_span *c[3] = {&a, &a, &a};
    size_t nc[3] = {1, 1, 1};
    cd_table_row(tb, CD_ROW_BODY, c, nc, false);
    cd_error err = {0};
    int pages = -1;
    ck_assert_int_eq(cd_doc_render(d, NULL, tu_path("wide/out.pdf"), &pages, &err), CD_EINPUT);
    ck_assert_str_eq(err.message, "table 2: columns are 700 points wide; the page has 481");
    ck_assert_int_eq(pages, 0);
    ck_assert_int_eq(files_in(tu_path("wide")), 0);             /* no file, no temp file */
    cd_doc_free(d);
}
END_TEST

START_TEST(empty_tables_show_message)
{
    cd_doc *d = cd_doc_new(NULL);
    cd_column cols[2] = {{0, 1, CD_ALIGN_LEFT}, {0, 1, CD_ALIGN_LEFT}};
    cd_table *t1 = cd_doc_table(d, cols, 2, NULL);
    cd_span a = S("Hidden header");
    const cd_span *c[2] = {&a, &a};
    size_t nc[2] = {1, 1};
    cd_table_row(t1, CD_ROW_HEADER, c, nc, false);
    cd_table_style ts = {.empty_message = "No positive tests recorded."};
    cd_doc_table(d, cols, 2, &ts);
    int pages;
    char *t = render_text(d, "empty.pdf", &pages);
    ck_assert_ptr_nonnull(strstr(t, "None."));
    ck_assert_ptr_nonnull(strstr(t, "No positive tests recorded."));
    ck_assert_ptr_null(strstr(t, "Hidden header"));
    free(t);
    cd_doc_free(d);
}
END_TEST

START_TEST(heading_never_alone_at_page_foot)
{
    /* For every amount of filler, the heading lands on the page of the
     * paragraph after it, and is never the last line of a page. */
    int moved = 0;
    for (int filler = 55; filler <= 70; filler++) {
        cd_doc *d = cd_doc_new(NULL);
        char line[64];
        for (int i = 0; i < filler; i++) {
            snprintf(line, sizeof line, "Filler line %d.", i);
            cd_span s = S(line);
            cd_para_style ps = {.space_after = 0.01};
            cd_doc_paragraph(d, &s, 1, &ps);
        }
        cd_span h = S("Section heading");
        cd_doc_heading(d, 2, &h, 1);
        para(d, "Body under the heading.");
        int pages;
        char name[32];
        snprintf(name, sizeof name, "head%d.pdf", filler);
        char *t = render_text(d, name, &pages);
        for (int p = 1; p <= pages; p++) {
            char *pt = page_text(t, p);
            if (strstr(pt, "Section heading")) {
                ck_assert_msg(strstr(pt, "Body under the heading.") != NULL,
                              "filler %d: heading without its paragraph on page %d", filler, p);
                if (p > 1 && !strstr(pt, "Filler")) moved++;
            }
            free(pt);
        }
        free(t);
        cd_doc_free(d);
    }
    ck_assert_int_ge(moved, 1);      /* some filler amount did push the heading over */
}
END_TEST

START_TEST(running_lines_and_marking)
{
    cd_page_setup ps = {0};
    ps.marking = "OFFICIAL-SENSITIVE";
    ps.header.right = "Case X123";
    ps.footer.centre = "Page {page} of {pages}";
    ps.first_page_differs = true;
    ps.first_footer.centre = "Cover sheet";
    cd_doc *d = cd_doc_new(&ps);
    for (int i = 0; i < 7; i++) {
        char txt[32];
        snprintf(txt, sizeof txt, "Part %d text.", i + 1);
        para(d, txt);
        if (i < 6) cd_doc_page_break(d);
    }
    cd_doc_page_break(d);            /* trailing break: no empty page */
    int pages;
    char *t = render_text(d, "running.pdf", &pages);
    ck_assert_int_eq(pages, 7);
    ck_assert_int_eq(tu_count(t, "OFFICIAL-SENSITIVE"), 2 * pages);
    ck_assert_int_eq(tu_count(t, "Case X123"), 6);
    char *p1 = page_text(t, 1), *p3 = page_text(t, 3);
    ck_assert_ptr_nonnull(strstr(p1, "Cover sheet"));
    ck_assert_ptr_null(strstr(p1, "Page 1 of"));
    ck_assert_ptr_nonnull(strstr(p3, "Page 3 of 7"));
    ck_assert_ptr_nonnull(strstr(p3, "Part 3 text."));
    for (int p = 2; p <= 7; p++) {
        char want[32];
        snprintf(want, sizeof want, "Page %d of 7", p);
        ck_assert_int_eq(tu_count(t, want), 1);
    }
    free(p1);
    free(p3);
    free(t);
    ck_assert_int_eq(tu_run("pdfinfo '%s'", tu_path("running.pdf")), 0);
    ck_assert_ptr_nonnull(strstr(tu_out(), "Title:           Layout test"));
    ck_assert_ptr_nonnull(strstr(tu_out(), "Pages:           7"));
    ck_assert_ptr_nonnull(strstr(tu_out(), "A4"));
    cd_doc_free(d);
}
END_TEST

START_TEST(draft_and_letter)
{
    cd_page_setup ps = {.paper = CD_PAPER_LETTER, .draft = true, .marking = "OFFICIAL"};
    cd_doc *d = cd_doc_new(&ps);
    para(d, "Draft body.");
    int pages;
    char *t = render_text(d, "draft.pdf", &pages);
    ck_assert_int_ge(tu_count(t, "DRAFT OFFICIAL"), 2);
    ck_assert_int_eq(tu_run("pdfinfo '%s'", tu_path("draft.pdf")), 0);
    ck_assert_ptr_nonnull(strstr(tu_out(), "612 x 792"));
    free(t);
    cd_doc_free(d);
}
END_TEST

START_TEST(charts_render)
{
    cd_doc *d = cd_doc_new(NULL);
    double att[8] = {60, 72, NAN, 81, 90, 88, 95, 100}, neg[8] = {10, 20, 35, NAN, NAN, 50, 65, 70};
    const char *cats[8] = {"Week 1", "Week 2", "Week 3", "Week 4", "Week 5", "Week 6", "Week 7", "Week 8"};
    cd_chart_series ser[2] = {{"Attendance", att, NULL}, {"Negative tests", neg, NULL}};
    cd_chart ch = {.kind = CD_CHART_LINE, .title = "Compliance by week", .categories = cats,
                   .ncategories = 8, .series = ser, .nseries = 2, .y_suffix = "%",
                   .alt_text = "Attendance rose from 60% in week 1 to 100% in week 8.",
                   .x_label = "Week of order", .y_label = "Per cent"};
    cd_doc_chart(d, &ch);
    ch.kind = CD_CHART_BAR;
    ch.title = "Bars by week";
    ch.alt_text = "Negative tests rose to 70%.";
    cd_doc_chart(d, &ch);
    /* a crowded axis: 52 categories */
    const char *many[52];
    double vals[52];
    char names[52][16];
    for (int i = 0; i < 52; i++) {
        snprintf(names[i], sizeof names[i], "Wk %d", i + 1);
        many[i] = names[i];
        vals[i] = i * 1.5;
    }
    cd_chart_series one = {"Hours", vals, NULL};
    cd_chart crowd = {.kind = CD_CHART_BAR, .categories = many, .ncategories = 52, .series = &one,
                      .nseries = 1, .alt_text = "Hours over a year."};
    cd_doc_chart(d, &crowd);
    int pages;
    char *t = render_text(d, "charts.pdf", &pages);
    ck_assert_ptr_nonnull(strstr(t, "Attendance rose from 60% in week 1 to 100% in week 8."));
    ck_assert_ptr_nonnull(strstr(t, "Negative tests rose to 70%."));
    ck_assert_ptr_nonnull(strstr(t, "Hours over a year."));
    ck_assert_ptr_nonnull(strstr(t, "Compliance by week"));
    ck_assert_ptr_nonnull(strstr(t, "100%"));                   /* nice ticks with the suffix */
    ck_assert_ptr_nonnull(strstr(t, "80%"));
    ck_assert_ptr_nonnull(strstr(t, "Negative tests"));         /* legend */
    ck_assert_int_eq(tu_run("qpdf --check '%s'", tu_path("charts.pdf")), 0);
    /* the alt text is on the same page as its chart title */
    for (int p = 1; p <= pages; p++) {
        char *pt = page_text(t, p);
        if (strstr(pt, "Bars by week")) ck_assert_ptr_nonnull(strstr(pt, "Negative tests rose to 70%."));
        free(pt);
    }
    free(t);
    cd_doc_free(d);
}
END_TEST

/* Writes a small RGB PNG with libpng. */
static void write_png(const char *path, int w, int h)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    png_init_io(png, f);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    png_byte *row = malloc((size_t)w * 3);
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w * 3; x++) row[x] = (png_byte)((x * 7 + y * 13) & 0xFF);
        png_write_row(png, row);
    }
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    free(row);
    fclose(f);
}

START_TEST(images)
{
    write_png(tu_path("logo.png"), 40, 20);
    cd_doc *d = cd_doc_new(NULL);
    para(d, "Before the image.");
    cd_doc_image(d, tu_path("logo.png"), 0, CD_ALIGN_CENTRE);
    cd_doc_image(d, tu_path("logo.png"), 2000, CD_ALIGN_LEFT);  /* shrunk to fit */
    para(d, "After the image.");
    int pages;
    char *t = render_text(d, "image.pdf", &pages);
    ck_assert_ptr_nonnull(strstr(t, "After the image."));
    ck_assert_int_eq(tu_run("pdfimages -list '%s'", tu_path("image.pdf")), 0);
    ck_assert_msg(tu_count(tu_out(), " rgb ") == 2, "%s", tu_out());
    ck_assert_int_eq(tu_run("qpdf --check '%s'", tu_path("image.pdf")), 0);
    free(t);
    cd_doc_free(d);

    mkdir(tu_path("img"), 0700);
    tu_write_file(tu_path("img/not.png"), "this is a text file, not a picture");
    const char *bad[2] = {"img/not.png", "img/missing.png"};
    const char *why[2] = {"not a PNG file", "cannot open it"};
    for (int i = 0; i < 2; i++) {
        d = cd_doc_new(NULL);
        cd_doc_image(d, tu_path(bad[i]), 0, CD_ALIGN_LEFT);
        cd_error err = {0};
        ck_assert_int_eq(cd_doc_render(d, NULL, tu_path("img/out.pdf"), NULL, &err), CD_EINPUT);
        ck_assert_ptr_nonnull(strstr(err.message, bad[i]));
        ck_assert_ptr_nonnull(strstr(err.message, why[i]));
        cd_doc_free(d);
    }
    ck_assert_int_eq(files_in(tu_path("img")), 1);              /* only not.png */
}
END_TEST

START_TEST(anchors_and_outline)
{
    cd_doc *d = cd_doc_new(NULL);
    cd_span idx[] = {{"Chronology: page {page:chron}; tests: page {page:tests}.", 0}};
    cd_doc_paragraph(d, idx, 1, NULL);
    cd_doc_page_break(d);
    para(d, "Second page.");
    cd_doc_page_break(d);
    cd_doc_anchor(d, "chron", "Chronology of contact");
    cd_span h = S("Chronology");
    cd_doc_heading(d, 1, &h, 1);
    for (int i = 0; i < 80; i++) para(d, "A contact entry long enough to be a line of its own.");
    cd_doc_anchor(d, "tests", "Drug tests");
    para(d, "Tests start here.");
    int pages;
    char *t = render_text(d, "anchors.pdf", &pages);
    ck_assert_int_ge(pages, 4);
    char want[96];
    int tests_page = 0;
    for (int p = 1; p <= pages; p++) {
        char *pt = page_text(t, p);
        if (strstr(pt, "Tests start here.")) tests_page = p;
        free(pt);
    }
    snprintf(want, sizeof want, "Chronology: page 3; tests: page %d.", tests_page);
    ck_assert_msg(strstr(t, want) != NULL, "want '%s'", want);
    ck_assert_int_eq(tu_run("qpdf --json --json-key=outlines '%s'", tu_path("anchors.pdf")), 0);
    ck_assert_ptr_nonnull(strstr(tu_out(), "\"title\": \"Chronology of contact\""));
    ck_assert_ptr_nonnull(strstr(tu_out(), "\"destpageposfrom1\": 3"));
    snprintf(want, sizeof want, "\"destpageposfrom1\": %d", tests_page);
    ck_assert_ptr_nonnull(strstr(tu_out(), want));
    free(t);
    cd_doc_free(d);

    d = cd_doc_new(NULL);
    para(d, "See page {page:nowhere}.");
    cd_error err = {0};
    ck_assert_int_eq(cd_doc_render(d, NULL, tu_path("anchor-bad.pdf"), NULL, &err), CD_EINPUT);
    ck_assert_ptr_nonnull(strstr(err.message, "no anchor named nowhere"));
    struct stat st;
    ck_assert_int_ne(stat(tu_path("anchor-bad.pdf"), &st), 0);
    cd_doc_free(d);
}
END_TEST

START_TEST(password_mode_and_buffer)
{
    cd_doc *d = cd_doc_new(NULL);
    cd_span h = S("Lists");
    cd_doc_heading(d, 3, &h, 1);
    cd_span li = S("First point");
    cd_doc_list_item(d, 1, 1, &li, 1);
    cd_doc_list_item(d, 2, 0, &li, 1);
    cd_span v = S("31 March 2026");
    cd_doc_label_value(d, "Order made", &v, 1, 0);
    cd_doc_label_value(d, "Requirement", &v, 1, 0);
    cd_doc_signature(d, "A. Officer", "Probation officer", "1 April 2026");
    cd_error err = {0};
    cd_doc_info info = {"Locked", NULL, NULL, NULL, "pw123"};
    ck_assert_int_eq(cd_doc_render(d, &info, tu_path("locked.pdf"), NULL, &err), 0);
    struct stat st;
    ck_assert_int_eq(stat(tu_path("locked.pdf"), &st), 0);
    ck_assert_int_eq(st.st_mode & 0777, 0600);
    ck_assert_int_eq(tu_run("pdfinfo -upw pw123 '%s'", tu_path("locked.pdf")), 0);
    ck_assert_ptr_nonnull(strstr(tu_out(), "Encrypted:       yes (print:yes copy:no"));
    ck_assert_int_eq(tu_run("pdftotext -upw pw123 -layout '%s' -", tu_path("locked.pdf")), 0);
    ck_assert_ptr_nonnull(strstr(tu_out(), "Order made"));
    ck_assert_ptr_nonnull(strstr(tu_out(), "A. Officer"));
    unsigned char *buf;
    size_t len;
    int pages;
    ck_assert_int_eq(cd_doc_render_buffer(d, NULL, &buf, &len, &pages, &err), 0);
    ck_assert_int_eq(pages, 1);
    ck_assert(len > 1000 && memcmp(buf, "%PDF-", 5) == 0);
    free(buf);
    ck_assert_int_eq(cd_doc_render(d, NULL, tu_path("no/such/dir/x.pdf"), NULL, &err), CD_EGENERAL);
    ck_assert_ptr_nonnull(strstr(err.message, "does not exist"));
    cd_doc_free(d);
}
END_TEST

/* A review-sized document: 5 pages of headings, paragraphs, label-values,
 * a table and a chart. */
static cd_doc *five_pages(void)
{
    cd_page_setup ps = {.marking = "OFFICIAL-SENSITIVE"};
    ps.footer.centre = "Page {page} of {pages}";
    cd_doc *d = cd_doc_new(&ps);
    cd_span v = S("Drug Rehabilitation Requirement, 12 months");
    for (int i = 0; i < 6; i++) cd_doc_label_value(d, "Order", &v, 1, 0);
    for (int s = 0; s < 12; s++) {
        cd_span h = S("Progress since the last review");
        cd_doc_heading(d, 2, &h, 1);
        for (int p = 0; p < 4; p++)
            para(d, "The person attended all appointments this month and engaged well with the "
                    "treatment provider; two tests were negative for opiates and one was not "
                    "provided, which was accepted as unavoidable because of a hospital admission.");
    }
    cd_column cols[3] = {{70, 0, CD_ALIGN_LEFT}, {0, 1, CD_ALIGN_LEFT}, {50, 0, CD_ALIGN_RIGHT}};
    cd_table *tb = cd_doc_table(d, cols, 3, NULL);
    for (int r = 0; r < 40; r++) {
        cd_span a = S("2026-03-01"), b = S("Appointment attended"), c = S("1.5");
        const cd_span *cells[3] = {&a, &b, &c};
        size_t nc[3] = {1, 1, 1};
        cd_table_row(tb, r ? CD_ROW_BODY : CD_ROW_HEADER, cells, nc, false);
    }
    static double vals[12] = {50, 55, 60, 62, 70, 75, 80, 78, 85, 90, 92, 95};
    static const char *cats[12] = {"J", "F", "M", "A", "M", "J", "J", "A", "S", "O", "N", "D"};
    static cd_chart_series ser = {"Compliance", vals, NULL};
    cd_chart ch = {.kind = CD_CHART_LINE, .categories = cats, .ncategories = 12, .series = &ser,
                   .nseries = 1, .alt_text = "Compliance rose all year."};
    cd_doc_chart(d, &ch);
    return d;
}

START_TEST(five_page_review_timing)
{
    struct timespec t0, t1;
    int pages = 0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < 200; i++) {
        cd_doc *d = five_pages();
        unsigned char *buf;
        size_t len;
        cd_error err = {0};
        ck_assert_int_eq(cd_doc_render_buffer(d, NULL, &buf, &len, &pages, &err), 0);
        free(buf);
        cd_doc_free(d);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    fprintf(stderr, "layout: %d-page review x 200 in one process: %.3f s, %.2f ms per document\n",
            pages, s, s * 1000 / 200);
    ck_assert_int_eq(pages, 5);
}
END_TEST

/* Found by the layout fuzzer: these glyphs in bold make the subset of the
 * bold face exactly 10,000 bytes long, where libharu 2.3.0's memory-stream
 * seek failed ("internal error 0x1033") and the document was lost. pdf.c
 * now handles that seek (see HPDF_MemStream_SeekFunc there). */
START_TEST(font_subset_on_a_buffer_boundary)
{
    cd_doc *d = cd_doc_new(NULL);
    cd_doc_set_warnings(d, NULL);
    cd_span s = { "\x22$()*,-/168:;<?@ACDEFGHIJLNORSTVWX]^_`cdeghiklnstuxz{|\xcb\x80\xcd\x82\xef\xbf\xbd",
                  CD_SPAN_BOLD };
    cd_doc_paragraph(d, &s, 1, NULL);
    int pages = 0;
    char *t = render_text(d, "boundary.pdf", &pages);
    ck_assert_int_eq(pages, 1);
    ck_assert_ptr_nonnull(strstr(t, "ACDEFGHIJ"));
    free(t);
    cd_doc_free(d);
    ck_assert_int_eq(tu_run("qpdf --check '%s'", tu_path("boundary.pdf")), 0);
}
END_TEST

/* ---- tables laid out from their content ------------------------------------ */

START_TEST(table_dates_never_wrap)
{
    /* The review's appointment table as it was: a 19 mm (53.9 pt) date column.
     * A marked row is bold; "26/10/2026" in bold 9 pt is about 57 pt, more
     * than the 47.9 pt inside the cell, so it used to break as "26/10/202" /
     * "6". Now the column is at least as wide as its widest unbreakable run,
     * and a CD_SPAN_NOWRAP date keeps its spaces. */
    cd_doc *d = cd_doc_new(NULL);
    cd_column cols[4] = {{53.9, 0, CD_ALIGN_LEFT}, {34, 0, CD_ALIGN_LEFT}, {0, 1, CD_ALIGN_LEFT},
                         {0, 1, CD_ALIGN_LEFT}};
    cd_table *tb = cd_doc_table(d, cols, 4, NULL);
    cd_span h[4] = {S("Date"), S("Time"), S("Heard"), S("Reason given")};
    const cd_span *hc[4] = {&h[0], &h[1], &h[2], &h[3]};
    size_t nc[4] = {1, 1, 1, 1};
    cd_table_row(tb, CD_ROW_HEADER, hc, nc, false);
    cd_span heard = {"26 October 2026", CD_SPAN_NOWRAP};
    cd_span b[4] = {S("26/10/2026"), S("13:00"), heard,
                    S("Claimed illness; no evidence provided within 7 days, and none since; "
                      "the officer wrote twice and telephoned once without an answer.")};
    const cd_span *bc[4] = {&b[0], &b[1], &b[2], &b[3]};
    cd_table_row(tb, CD_ROW_BODY, bc, nc, true);                /* marked: bold */
    cd_table_row(tb, CD_ROW_BODY, bc, nc, false);
    int pages;
    char *t = render_text(d, "dates.pdf", &pages);
    ck_assert_int_eq(tu_count(t, "26/10/2026"), 2);
    ck_assert_int_eq(tu_count(t, "26 October 2026"), 2);
    ck_assert_int_eq(tu_count(t, "13:00"), 2);
    ck_assert_ptr_null(strstr(t, "26/10/202\n"));
    ck_assert_ptr_null(strstr(t, "26/10/202 "));
    free(t);
    cd_doc_free(d);
}
END_TEST

START_TEST(nowrap_span_moves_whole)
{
    /* For every length of the words before it, a date in a CD_SPAN_NOWRAP
     * span is never split between lines; the same date as plain text is
     * split for some lengths (so the test can fail). */
    int split_plain = 0;
    for (int nowrap = 0; nowrap <= 1; nowrap++)
        for (int k = 60; k < 76; k++) {
            char lead[512] = "";
            for (int i = 0; i < k; i++) strcat(lead, i % 2 ? "ab " : "a ");
            cd_doc *d = cd_doc_new(NULL);
            cd_span sp[3] = {S(lead), {"26 October 2026", nowrap ? CD_SPAN_NOWRAP : 0u}, S(".")};
            cd_doc_paragraph(d, sp, 3, NULL);
            int pages;
            char *t = render_text(d, "nowrap.pdf", &pages);
            bool whole = strstr(t, "26 October 2026") != NULL;
            if (nowrap) ck_assert_msg(whole, "k=%d: the date was split:\n%s", k, t);
            else split_plain += !whole;
            free(t);
            cd_doc_free(d);
        }
    ck_assert_int_ge(split_plain, 1);
}
END_TEST

START_TEST(long_word_broken_only_when_it_cannot_fit)
{
    /* A 200-character word in a 3-column table: wider than the page, so it
     * is broken between characters; the short words beside it stay whole. */
    char word[201];
    memset(word, 'M', 200);
    word[200] = '\0';
    cd_doc *d = cd_doc_new(NULL);
    cd_column cols[3] = {{0, 1, CD_ALIGN_LEFT}, {0, 1, CD_ALIGN_LEFT}, {0, 1, CD_ALIGN_LEFT}};
    cd_table *tb = cd_doc_table(d, cols, 3, NULL);
    cd_span c1 = S("Reference"), c2 = S(word), c3 = S("Unbreakable");
    const cd_span *bc[3] = {&c1, &c2, &c3};
    size_t nc[3] = {1, 1, 1};
    cd_table_row(tb, CD_ROW_BODY, bc, nc, false);
    int pages;
    char *t = render_text(d, "mword.pdf", &pages);
    ck_assert_int_eq(count_char(t, 'M'), 200);
    ck_assert_ptr_null(strstr(t, word));                         /* broken ... */
    ck_assert_ptr_nonnull(strstr(t, "Reference"));               /* ... its neighbours whole */
    ck_assert_ptr_nonnull(strstr(t, "Unbreakable"));
    free(t);
    cd_doc_free(d);
}
END_TEST

/* ---- keeping things together ------------------------------------------------ */

/* A document of `filler` one-line paragraphs. */
static cd_doc *filled(int filler)
{
    cd_doc *d = cd_doc_new(NULL);
    char line[64];
    for (int i = 0; i < filler; i++) {
        snprintf(line, sizeof line, "Filler line %d.", i);
        cd_span s = S(line);
        cd_para_style ps = {.space_after = 0.01};
        cd_doc_paragraph(d, &s, 1, &ps);
    }
    return d;
}

/* Lines of page text pt that hold needle. */
static int lines_with(const char *pt, const char *needle)
{
    int n = 0;
    for (const char *l = pt; l && *l;) {
        const char *e = strchr(l, '\n');
        size_t len = e ? (size_t)(e - l) : strlen(l);
        char *line = strndup(l, len);
        n += strstr(line, needle) != NULL;
        free(line);
        l = e ? e + 1 : NULL;
    }
    return n;
}

START_TEST(heading_moves_with_its_paragraph)
{
    /* A heading that would land at a page foot goes to the next page with
     * at least two lines of the long paragraph after it. */
    int moved = 0;
    for (int filler = 58; filler <= 66; filler++) {
        cd_doc *d = filled(filler);
        cd_span h = S("Section heading");
        cd_doc_heading(d, 2, &h, 1);
        char body[2048] = "";
        for (int i = 0; i < 120; i++) strcat(body, "pw ");
        para(d, body);                                          /* about 8 lines */
        int pages;
        char *t = render_text(d, "headpara.pdf", &pages);
        for (int p = 1; p <= pages; p++) {
            char *pt = page_text(t, p);
            if (strstr(pt, "Section heading")) {
                ck_assert_msg(lines_with(pt, "pw") >= 2, "filler %d: heading with %d lines", filler,
                              lines_with(pt, "pw"));
                moved += p > 1;
            }
            free(pt);
        }
        free(t);
        cd_doc_free(d);
    }
    ck_assert_int_ge(moved, 1);
}
END_TEST

START_TEST(widows_and_orphans)
{
    /* Wherever an 8-line paragraph is cut by the page foot, each page holds
     * at least 2 of its lines. */
    int cut = 0;
    for (int filler = 56; filler <= 66; filler++) {
        cd_doc *d = filled(filler);
        char body[2048] = "";
        for (int i = 0; i < 120; i++) strcat(body, "pw ");
        para(d, body);
        int pages;
        char *t = render_text(d, "widow.pdf", &pages);
        int on = 0;
        for (int p = 1; p <= pages; p++) {
            char *pt = page_text(t, p);
            int n = lines_with(pt, "pw");
            if (n > 0) {
                on++;
                ck_assert_msg(n >= 2, "filler %d: page %d holds %d line(s) of the paragraph", filler, p, n);
            }
            free(pt);
        }
        cut += on > 1;
        free(t);
        cd_doc_free(d);
    }
    ck_assert_int_ge(cut, 1);                                   /* some amount did cut it */
}
END_TEST

/* Renders a document of `filler` one-line paragraphs followed by what add()
 * appends; calls check() on each page's text. Returns how many filler
 * amounts in [from, to] put something of add()'s on a page with no filler. */
static int over_fillers(int from, int to, void (*add)(cd_doc *),
                        void (*check)(const char *pt, int filler, int page))
{
    int moved = 0;
    for (int filler = from; filler <= to; filler++) {
        cd_doc *d = filled(filler);
        add(d);
        int pages;
        char *t = render_text(d, "keeps.pdf", &pages);
        for (int p = 1; p <= pages; p++) {
            char *pt = page_text(t, p);
            check(pt, filler, p);
            moved += p > 1 && !strstr(pt, "Filler");
            free(pt);
        }
        free(t);
        cd_doc_free(d);
    }
    return moved;
}

static void add_byline(cd_doc *d)
{
    para(d, "Byline, 13 October 2026");
    cd_doc_keep_with_next(d);
    para(d, "The note after the byline.");
}

static void check_byline(const char *pt, int filler, int page)
{
    if (strstr(pt, "Byline"))
        ck_assert_msg(strstr(pt, "The note after") != NULL, "filler %d: byline alone on page %d",
                      filler, page);
}

static void add_group(cd_doc *d)
{
    cd_doc_keep_begin(d);
    para(d, "Kept one.");
    para(d, "Kept two.");
    para(d, "Kept three.");
    cd_doc_keep_end(d);
}

static void check_group(const char *pt, int filler, int page)
{
    if (strstr(pt, "Kept one.") || strstr(pt, "Kept three."))
        ck_assert_msg(strstr(pt, "Kept one.") && strstr(pt, "Kept three."),
                      "filler %d: the group is split on page %d", filler, page);
}

static void add_signature(cd_doc *d)
{
    para(d, "The last paragraph.");
    cd_doc_signature(d, "Signer Name", "Supervising officer", NULL);
}

static void check_signature(const char *pt, int filler, int page)
{
    if (strstr(pt, "Signer Name"))
        ck_assert_msg(strstr(pt, "The last paragraph.") != NULL, "filler %d: signature alone on page %d",
                      filler, page);
}

static void add_rows(cd_doc *d)
{
    cd_column cols[1] = {{0, 1, CD_ALIGN_LEFT}};
    cd_table *tb = cd_doc_table(d, cols, 1, NULL);
    for (int r = 0; r < 6; r++) {
        char cell[16];
        snprintf(cell, sizeof cell, "Row %d", r + 1);
        cd_span c = S(cell);
        const cd_span *cc[1] = {&c};
        size_t nc[1] = {1};
        cd_table_row(tb, CD_ROW_BODY, cc, nc, false);
    }
}

static void check_rows(const char *pt, int filler, int page)
{
    int rows = lines_with(pt, "Row ");
    ck_assert_msg(rows == 0 || rows >= 2, "filler %d: page %d holds %d table row(s)", filler, page, rows);
}

START_TEST(keeps_byline_signature_and_groups)
{
    /* For every amount of filler: a byline marked keep-with-next is on the
     * page of the note after it; a keep group's three paragraphs on one
     * page; a signature on the page of the last paragraph; at least 2 of a
     * 6-row table's body rows on each page it spans. A page holds 58
     * filler lines (728.5 points of 12.5), so with fewer than 58 each case
     * is pushed onto a fresh page by some amount of filler. */
    ck_assert_int_ge(over_fillers(48, 57, add_byline, check_byline), 1);
    ck_assert_int_ge(over_fillers(48, 57, add_group, check_group), 1);
    ck_assert_int_ge(over_fillers(48, 57, add_signature, check_signature), 1);
    ck_assert_int_ge(over_fillers(48, 57, add_rows, check_rows), 1);
}
END_TEST

/* ---- chart bases ------------------------------------------------------------------ */

START_TEST(chart_bases_and_hollow_values)
{
    /* Bases are printed under each category ("n=7"; "n=7/5" where the two
     * series differ); a value on fewer than min_base (5) is hollow and the
     * legend says so, only in the chart that has one. */
    cd_doc *d = cd_doc_new(NULL);
    const char *cats[4] = {"1", "2", "3", "4"};
    double a[4] = {50, 60, 70, 80}, b[4] = {10, 20, 30, 40};
    double na[4] = {7, 3, 7, 7}, nb[4] = {7, 3, 7, 5};
    cd_chart_series ser[2] = {{"Opiates", a, na}, {"Cocaine", b, nb}};
    cd_chart ch = {.kind = CD_CHART_LINE, .categories = cats, .ncategories = 4, .series = ser,
                   .nseries = 2, .y_min = 0, .y_max = 100, .min_base = 5,
                   .alt_text = "Negative results by month."};
    cd_doc_chart(d, &ch);
    double big[4] = {12, 11, 10, 9};
    cd_chart_series all[1] = {{"Opiates", a, big}};
    cd_chart ch2 = {.kind = CD_CHART_BAR, .categories = cats, .ncategories = 4, .series = all,
                    .nseries = 1, .min_base = 5, .alt_text = "Every month on 9 or more."};
    cd_doc_chart(d, &ch2);
    int pages;
    char *t = render_text(d, "bases.pdf", &pages);
    char *flat = tu_squeeze(strdup(t));
    ck_assert_ptr_nonnull(strstr(flat, "n=7 n=3 n=7 n=7/5"));
    ck_assert_ptr_nonnull(strstr(flat, "n=12 n=11 n=10 n=9"));
    ck_assert_int_eq(tu_count(t, "hollow: base under 5"), 1);
    free(flat);
    free(t);
    cd_doc_free(d);
}
END_TEST

START_TEST(break_after_a_short_spill_is_dropped)
{
    /* A page holds 58 filler lines. 60 lines spill 2 onto page 2: the
     * explicit break after them is dropped, so the next section starts on
     * page 2 instead of leaving it with 2 lines. 58 + 25 spill 25 lines
     * (over a third of a page): the break is kept. A break after a page
     * that did not spill is always kept. */
    int spills[3] = {60, 83, 10}, want_page[3] = {2, 3, 2};
    for (int k = 0; k < 3; k++) {
        cd_doc *d = filled(spills[k]);
        cd_doc_page_break(d);
        para(d, "After the break.");
        int pages;
        char *t = render_text(d, "spill.pdf", &pages);
        ck_assert_msg(pages == want_page[k], "%d lines: %d pages", spills[k], pages);
        char *pt = page_text(t, want_page[k]);
        ck_assert_ptr_nonnull(strstr(pt, "After the break."));
        free(pt);
        free(t);
        cd_doc_free(d);
    }
}
END_TEST

Suite *layout_suite(void)
{
    Suite *s = suite_create("layout");
    TCase *tc = tcase_create("layout");
    tcase_add_test(tc, font_subset_on_a_buffer_boundary);
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, scripts_round_trip);
    tcase_add_test(tc, missing_glyph_reported_once);
    tcase_add_test(tc, long_word_wraps);
    tcase_add_test(tc, ten_thousand_rows);
    tcase_add_test(tc, too_wide_table_is_an_error);
    tcase_add_test(tc, empty_tables_show_message);
    tcase_add_test(tc, heading_never_alone_at_page_foot);
    tcase_add_test(tc, running_lines_and_marking);
    tcase_add_test(tc, draft_and_letter);
    tcase_add_test(tc, charts_render);
    tcase_add_test(tc, images);
    tcase_add_test(tc, anchors_and_outline);
    tcase_add_test(tc, password_mode_and_buffer);
    tcase_add_test(tc, five_page_review_timing);
    tcase_add_test(tc, table_dates_never_wrap);
    tcase_add_test(tc, nowrap_span_moves_whole);
    tcase_add_test(tc, long_word_broken_only_when_it_cannot_fit);
    tcase_add_test(tc, heading_moves_with_its_paragraph);
    tcase_add_test(tc, widows_and_orphans);
    tcase_add_test(tc, keeps_byline_signature_and_groups);
    tcase_add_test(tc, chart_bases_and_hollow_values);
    tcase_add_test(tc, break_after_a_short_spill_is_dropped);
    suite_add_tcase(s, tc);
    return s;
}
