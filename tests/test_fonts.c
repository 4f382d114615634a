/* test_fonts.c -- the embedded font subsets (src/pdf_font.c): each face's
 * font program holds exactly the glyphs drawn (plus .notdef and composite
 * parts), renumbered so glyph = CID, with /W for the CIDs used and a valid
 * ToUnicode map; qpdf --check is clean, poppler prints no warning, and
 * names in Latin, Greek and Cyrillic copy out the same in poppler
 * (pdftotext), mupdf (mutool) and pdf.js (tests/pdfjs/pdfjs.mjs). The
 * font programs are read back from the PDF with qpdf and parsed here. */
#include "testutil.h"
#include "pdf.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned g16(const unsigned char *p) { return (unsigned)(p[0] << 8 | p[1]); }
static uint32_t g32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* A table of an sfnt (asserts it is there). */
static const unsigned char *table(const unsigned char *f, size_t len, const char *tag, uint32_t *tlen)
{
    unsigned n = g16(f + 4);
    for (unsigned i = 0; i < n; i++) {
        const unsigned char *e = f + 12 + i * 16;
        if (memcmp(e, tag, 4) == 0) {
            ck_assert_uint_le((size_t)g32(e + 8) + g32(e + 12), len);
            *tlen = g32(e + 12);
            return f + g32(e + 8);
        }
    }
    ck_abort_msg("font program without a %s table", tag);
    return NULL;
}

/* Glyph gid's bytes in an sfnt (either loca format). */
static const unsigned char *glyph(const unsigned char *f, size_t len, unsigned gid, uint32_t *glen)
{
    uint32_t hl, ll, gl;
    const unsigned char *head = table(f, len, "head", &hl), *loca = table(f, len, "loca", &ll),
                        *glyf = table(f, len, "glyf", &gl);
    uint32_t a, b;
    if (g16(head + 50)) { a = g32(loca + gid * 4); b = g32(loca + gid * 4 + 4); }
    else { a = g16(loca + gid * 2) * 2u; b = g16(loca + gid * 2 + 2) * 2u; }
    ck_assert_uint_le(b, gl);
    *glen = b - a;
    return glyf + a;
}

static unsigned num_glyphs(const unsigned char *f, size_t len)
{
    uint32_t ml;
    return g16(table(f, len, "maxp", &ml) + 4);
}

/* The first component glyph index of a composite glyph (flags at 10). */
static unsigned component(const unsigned char *g, int which)
{
    size_t at = 10;
    for (int i = 0; i < which; i++) {
        unsigned flags = g16(g + at);
        at += 4 + ((flags & 1) ? 4 : 2) + ((flags & 8) ? 2 : (flags & 0x40) ? 4 : (flags & 0x80) ? 8 : 0);
    }
    return g16(g + at + 2);
}

/* Writes every object of the PDF that matches `what` (a string its
 * dictionary holds) to files pathN.bin (filtered stream data); returns how
 * many, and their dictionaries joined in dicts (malloc'd). */
static int objects_with(const char *pdf, const char *what, const char *prefix, char **dicts)
{
    int found = 0;
    size_t cap = 1, used = 0;
    *dicts = calloc(1, 1);
    for (int id = 1; id < 200; id++) {
        if (tu_run("qpdf --show-object=%d '%s'", id, pdf) != 0 || !strncmp(tu_out(), "null", 4)) break;
        if (!strstr(tu_out(), what)) continue;
        size_t n = strlen(tu_out());
        *dicts = realloc(*dicts, cap += n + 1);
        memcpy(*dicts + used, tu_out(), n);
        used += n;
        (*dicts)[used++] = '\n';
        (*dicts)[used] = '\0';
        char path[600];
        snprintf(path, sizeof path, "%s%d.bin", prefix, found);
        if (strstr(tu_out(), "/Length"))
            ck_assert_int_eq(tu_run("qpdf --show-object=%d --filtered-stream-data '%s' > '%s'", id, pdf, path), 0);
        found++;
    }
    return found;
}

/* Draws the test lines: regular "ABBA Zoë" and "ΑА" (Greek capital alpha,
 * Cyrillic capital A), bold "Ω"; saves to path. */
static void draw_sample(const char *path)
{
    cd_error err = {0};
    cd_font_family *fam;
    ck_assert_int_eq(cd_font_family_get("fonts", "DejaVuSans", &fam, &err), 0);
    cd_pdf *p;
    ck_assert_int_eq(cd_pdf_new(fam, &p, &err), 0);
    cd_pdf_add_page(p, 595.28, 841.89);
    const char *a = "ABBA Zo\xc3\xab", *b = "\xce\x91\xd0\x90", *c = "\xce\xa9";
    cd_pdf_text(p, CD_FACE_REGULAR, 12, (cd_rgb){0, 0, 0}, 72, 100, a, strlen(a));
    cd_pdf_text(p, CD_FACE_REGULAR, 12, (cd_rgb){0, 0, 0}, 72, 120, b, strlen(b));
    cd_pdf_line(p, 72, 130, 300, 130, 1, (cd_rgb){0, 0, 0}, CD_DASH_SOLID);
    cd_pdf_text(p, CD_FACE_BOLD, 12, (cd_rgb){0.5, 0, 0}, 72, 140, c, strlen(c));
    ck_assert_int_eq(cd_pdf_save(p, NULL, path, &err), 0);
    cd_pdf_free(p);
    cd_font_cache_clear();
}

START_TEST(subset_holds_exactly_the_glyphs_drawn)
{
    char pdf[600];                       /* tu_path's ring is reused by tu_run */
    snprintf(pdf, sizeof pdf, "%s", tu_path("subset.pdf"));
    draw_sample(pdf);
    ck_assert_int_eq(tu_run("qpdf --check '%s'", pdf), 0);
    HAS(tu_out(), "No syntax or stream encoding errors found");
    ck_assert_int_eq(tu_run("pdftotext '%s' -", pdf), 0);
    ck_assert_str_eq(tu_err(), "");                          /* no poppler warning */

    /* Two faces drawn: two font programs. */
    char *dicts;
    char prefix[512];
    snprintf(prefix, sizeof prefix, "%s", tu_path("ff"));
    ck_assert_int_eq(objects_with(pdf, "/Length1", prefix, &dicts), 2);
    free(dicts);
    size_t len[2];
    unsigned char *font[2];
    for (int i = 0; i < 2; i++) {
        char path[600];
        snprintf(path, sizeof path, "%s%d.bin", prefix, i);
        font[i] = (unsigned char *)tu_read_file(path, &len[i]);
        ck_assert_ptr_nonnull(font[i]);
    }
    int reg = num_glyphs(font[0], len[0]) == 2 ? 1 : 0, bold = 1 - reg;
    /* Regular: CIDs in order of first use A=1 B=2 space=3 Z=4 o=5 ë=6 Α=7
     * А=8; then the parts of composites not yet there: ë (source glyph 171)
     * is e (70) + dieresis (104) -> 9 and 10; Greek Α (713) and Cyrillic А
     * (839) are both composites of Latin A (34), already glyph 1. So 11
     * glyphs (checked against DejaVuSans.ttf's glyf with a script). */
    ck_assert_uint_eq(num_glyphs(font[reg], len[reg]), 11);
    uint32_t gl;
    const unsigned char *g = glyph(font[reg], len[reg], 6, &gl);  /* ë */
    ck_assert_uint_gt(gl, 10);
    ck_assert_int_lt((int16_t)g16(g), 0);                          /* composite */
    ck_assert_uint_eq(component(g, 0), 9);
    ck_assert_uint_eq(component(g, 1), 10);
    g = glyph(font[reg], len[reg], 7, &gl);                        /* Α */
    ck_assert_uint_eq(component(g, 0), 1);
    g = glyph(font[reg], len[reg], 8, &gl);                        /* А */
    ck_assert_uint_eq(component(g, 0), 1);
    g = glyph(font[reg], len[reg], 3, &gl);                        /* space: no outline */
    ck_assert_uint_eq(gl, 0);
    for (unsigned i = 1; i < 11; i++) {                            /* every other one drawn */
        if (i == 3) continue;
        glyph(font[reg], len[reg], i, &gl);
        ck_assert_msg(gl > 0, "glyph %u is empty", i);
    }
    uint32_t hl;
    const unsigned char *hhea = table(font[reg], len[reg], "hhea", &hl);
    ck_assert_uint_eq(g16(hhea + 34), 11);                         /* one metric each */
    const unsigned char *hmtx = table(font[reg], len[reg], "hmtx", &hl);
    ck_assert_uint_eq(hl, 44);
    ck_assert_uint_eq(g16(hmtx + 1 * 4), 1401);                    /* A, font units */
    ck_assert_uint_eq(g16(hmtx + 6 * 4), 1260);                    /* ë */
    ck_assert_uint_eq(g16(hmtx + 10 * 4), 1024);                   /* dieresis */
    /* Bold: .notdef and Ω. */
    ck_assert_uint_eq(num_glyphs(font[bold], len[bold]), 2);
    glyph(font[bold], len[bold], 1, &gl);
    ck_assert_uint_gt(gl, 0);
    free(font[0]);
    free(font[1]);

    /* Widths only for the CIDs used: advance * 1000 / 2048, truncated:
     * notdef 1229 -> 600, A 1401 -> 684, B 1405 -> 686, space 651 -> 317,
     * Z 1403 -> 685, o 1253 -> 611, ë 1260 -> 615, Α and А 1401 -> 684. */
    ck_assert_int_eq(objects_with(pdf, "/CIDFontType2", prefix, &dicts), 2);
    HAS(tu_squeeze(dicts), "/W [ 0 [ 600 684 686 317 685 611 615 684 684 ] ]");
    HAS(dicts, "/CIDToGIDMap /Identity");
    free(dicts);

    /* ToUnicode: one bfchar entry per CID. */
    snprintf(prefix, sizeof prefix, "%s", tu_path("tu"));
    ck_assert_int_eq(objects_with(pdf, "/Subtype /Type0", prefix, &dicts), 2);
    free(dicts);
    int found = 0;
    for (int id = 1; id < 100 && found < 2; id++) {
        if (tu_run("qpdf --show-object=%d '%s'", id, pdf) != 0 || !strncmp(tu_out(), "null", 4)) break;
        if (!strstr(tu_out(), "/Length ")) continue;
        if (tu_run("qpdf --show-object=%d --filtered-stream-data '%s'", id, pdf) != 0) continue;
        if (!strstr(tu_out(), "beginbfchar")) continue;
        found++;
        HASNT(tu_out(), "cidrange");
        if (strstr(tu_out(), "8 beginbfchar")) {
            HAS(tu_out(), "<0001> <0041>\n<0002> <0042>\n<0003> <0020>\n<0004> <005A>\n"
                          "<0005> <006F>\n<0006> <00EB>\n<0007> <0391>\n<0008> <0410>\nendbfchar");
        } else {
            HAS(tu_out(), "1 beginbfchar\n<0001> <03A9>\nendbfchar");
        }
    }
    ck_assert_int_eq(found, 2);
}
END_TEST

/* Names as a case might hold them, one per line. */
static const char *const names[] = {
    "Zo\xc3\xab \xc5\x81ukasiewicz-O'Brien",                                   /* Zoë Łukasiewicz-O'Brien */
    "\xce\x91\xce\xb9\xce\xba\xce\xb1\xcf\x84\xce\xb5\xcf\x81\xce\xaf\xce\xbd\xce\xb7", /* Αικατερίνη */
    "\xd0\x90\xd0\xbd\xd0\xb0\xd1\x81\xd1\x82\xd0\xb0\xd1\x81\xd0\xb8\xd1\x8f",     /* Анастасия */
};

static void draw_names(const char *path)
{
    cd_error err = {0};
    cd_font_family *fam;
    ck_assert_int_eq(cd_font_family_get("fonts", "DejaVuSans", &fam, &err), 0);
    cd_pdf *p;
    ck_assert_int_eq(cd_pdf_new(fam, &p, &err), 0);
    cd_pdf_add_page(p, 595.28, 841.89);
    for (int i = 0; i < 3; i++) {
        cd_pdf_text(p, CD_FACE_REGULAR, 12, (cd_rgb){0, 0, 0}, 72, 100 + 30 * i, names[i], strlen(names[i]));
        cd_pdf_text(p, CD_FACE_BOLD_ITALIC, 12, (cd_rgb){0, 0, 0}, 72, 400 + 30 * i, names[i], strlen(names[i]));
    }
    ck_assert_int_eq(cd_pdf_save(p, NULL, path, &err), 0);
    cd_pdf_free(p);
    cd_font_cache_clear();
}

/* Each name appears twice (regular, bold italic) in the text. */
static void assert_names(const char *viewer, const char *text)
{
    for (int i = 0; i < 3; i++)
        ck_assert_msg(tu_count(text, names[i]) == 2, "%s: name %d copied %d times, not twice, from: %.400s",
                      viewer, i, tu_count(text, names[i]), text);
}

START_TEST(names_copy_out_in_poppler_mupdf_pdfjs)
{
    char pdf[600];
    snprintf(pdf, sizeof pdf, "%s", tu_path("names.pdf"));
    draw_names(pdf);
    /* poppler */
    ck_assert_int_eq(tu_run("pdftotext '%s' -", pdf), 0);
    ck_assert_str_eq(tu_err(), "");
    assert_names("poppler", tu_out());
    /* mupdf */
    if (tu_run("command -v mutool") == 0) {
        ck_assert_int_eq(tu_run("mutool draw -q -F txt -o - '%s' 2>&1", pdf), 0);
        assert_names("mupdf", tu_out());
    } else
        fprintf(stderr, "fonts: mutool not installed (apt-get install mupdf-tools); mupdf check skipped\n");
    /* pdf.js */
    if (tu_pdfjs_ready("fonts", "the pdf.js check")) {
        ck_assert_int_eq(tu_pdfjs("text", pdf, NULL), 0);
        assert_names("pdf.js", tu_out());
    }
}
END_TEST

/* The same text drawn twice gives byte-identical PDFs (subset names come
 * from the code points, not from chance). */
START_TEST(subset_is_reproducible)
{
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    char a[600], b[600];
    snprintf(a, sizeof a, "%s", tu_path("r1.pdf"));
    snprintf(b, sizeof b, "%s", tu_path("r2.pdf"));
    draw_names(a);
    draw_names(b);
    unsetenv("SOURCE_DATE_EPOCH");
    ck_assert_int_eq(tu_run("cmp '%s' '%s'", a, b), 0);
}
END_TEST

Suite *fonts_suite(void)
{
    Suite *s = suite_create("fonts");
    TCase *tc = tcase_create("fonts");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, subset_holds_exactly_the_glyphs_drawn);
    tcase_add_test(tc, names_copy_out_in_poppler_mupdf_pdfjs);
    tcase_add_test(tc, subset_is_reproducible);
    suite_add_tcase(s, tc);
    return s;
}
