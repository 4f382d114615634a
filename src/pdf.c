/* pdf.c -- the PDF writer, the only file that includes <hpdf.h> (libharu
 * 2.3.0). Three parts:
 *   - font metrics: each TrueType face's cmap and hmtx are parsed once per
 *     process into a table of advance widths for the Basic Multilingual Plane,
 *     filled 256 code points at a time as text first needs them, so
 *     measuring text never needs a PDF document and costs an array lookup
 *     per character;
 *   - drawing: a thin layer over libharu pages in top-left coordinates; faces
 *     are embedded only when first drawn with, as subsets holding only the
 *     glyphs drawn (pdf_font.c: libharu's own TrueType embedding is not
 *     used), and text is written as two-byte CIDs;
 *   - writing: metadata, compression, the structure tree (pdf_tag.c),
 *     optional AES-256 encryption (pdf_encrypt.c), then a temporary file
 *     beside the target that is renamed into place, or a memory buffer.
 * libharu errors are recorded by an error handler (no longjmp) and turned
 * into cd_error messages. */
#include "pdf.h"
#include "outfile.h"
#include "pdf_int.h"
#include "pdf_a11y.h"
#include <hpdf.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ======================================================================
 * UTF-8
 * ====================================================================== */

size_t cd_utf8_decode(const char *str, size_t n, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    if (n == 0) { *cp = 0xFFFD; return 0; }
    unsigned c = s[0];
    if (c < 0x80) { *cp = c; return 1; }
    size_t len;
    uint32_t v, min;
    if (c >= 0xC2 && c <= 0xDF) { len = 2; v = c & 0x1F; min = 0x80; }
    else if (c >= 0xE0 && c <= 0xEF) { len = 3; v = c & 0x0F; min = 0x800; }
    else if (c >= 0xF0 && c <= 0xF4) { len = 4; v = c & 0x07; min = 0x10000; }
    else { *cp = 0xFFFD; return 1; }
    if (len > n) { *cp = 0xFFFD; return 1; }
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) { *cp = 0xFFFD; return 1; }
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) { *cp = 0xFFFD; return 1; }
    *cp = v;
    return len;
}

size_t cd_utf8_encode(uint32_t cp, char out[4])
{
    if (cp < 0x80) { out[0] = (char)cp; return 1; }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* ======================================================================
 * Font metrics, cached per process
 * ====================================================================== */

#define NO_GLYPH 0xFFFFu

typedef struct {
    bool tried, ready;
    char path[1024];
    float *advance;             /* 65536 entries, thousandths of an em; -1 = no glyph;
                                   filled 256 at a time on first use (0 until then);
                                   then 256 bytes: whether each run is filled (RUNS) */
    cd_ttf *ttf;                /* the parsed face, for embedding subsets */
} face_metrics;

struct cd_font_family {
    struct cd_font_family *next;
    char dir[512], stem[128];
    face_metrics faces[4];
};

static cd_font_family *family_cache;

/* Reads a whole file into a malloc'd buffer. */
static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    unsigned char *buf = NULL;
    size_t cap = 0, n = 0;
    for (;;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 256 * 1024;
            unsigned char *nb = realloc(buf, cap);
            if (!nb) { free(buf); fclose(f); return NULL; }
            buf = nb;
        }
        size_t r = fread(buf + n, 1, cap - n, f);
        if (r == 0) break;
        n += r;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) { free(buf); return NULL; }
    *len = n;
    return buf;
}

/* Fills the advance widths of the 256 code points from hi * 256 of a
 * parsed face: every one the face has a glyph for, -1 for the others. Done
 * on first use: a document draws from a few of the 256 runs, and filling all
 * 65,536 code points of every face cost each process 0.7 M instructions and
 * 64 pages of memory per face (the table is calloc'd, so the runs never
 * filled are never touched). */
#define RUNS(m) ((unsigned char *)((m)->advance + 65536))

static void fill_advance_run(const face_metrics *m, unsigned hi)
{
    for (uint32_t lo = 0; lo < 256; lo++) {
        unsigned gid = cd_ttf_glyph(m->ttf, hi << 8 | lo);
        m->advance[hi << 8 | lo] = gid ? (float)cd_ttf_advance(m->ttf, gid) : -1.0f;
    }
    RUNS(m)[hi] = 1;
}

/* The advance width of cp (< 0xFFFF) in face m: <0 when it has no glyph,
 * filling its run first if need be. */
static float advance_of(const face_metrics *m, uint32_t cp)
{
    if (!RUNS(m)[cp >> 8]) fill_advance_run(m, cp >> 8);
    return m->advance[cp];
}

/* Sets up the (empty) advance table of a parsed face, with its first run
 * (ASCII, which cd_font_text_width reads directly). */
static bool fill_advances(face_metrics *m)
{
    m->advance = calloc(1, 65536 * sizeof *m->advance + 256);
    if (!m->advance) return false;
    fill_advance_run(m, 0);
    return true;
}

static void free_advances(face_metrics *m)
{
    free(m->advance);
    m->advance = NULL;
}

/* The file of a face: the stem with the face's suffix; oblique or italic. */
static void face_path(const cd_font_family *f, int face, char *out, size_t n)
{
    static const char *const suffix[4][2] = {
        {"", ""}, {"-Bold", "-Bold"}, {"-Oblique", "-Italic"}, {"-BoldOblique", "-BoldItalic"}};
    snprintf(out, n, "%s/%s%s.ttf", f->dir, f->stem, suffix[face][0]);
    if (access(out, R_OK) != 0)
        snprintf(out, n, "%s/%s%s.ttf", f->dir, f->stem, suffix[face][1]);
}

int cd_font_face_ready(cd_font_family *f, int face, cd_error *err)
{
    face &= 3;
    face_metrics *m = &f->faces[face];
    if (m->ready) return CD_OK;
    face_path(f, face, m->path, sizeof m->path);
    size_t len = 0;
    unsigned char *data = slurp(m->path, &len);
    if (!data)
        return cd_error_set(err, CD_EGENERAL, "%s: cannot read the font: %s", m->path, strerror(errno));
    m->ttf = cd_ttf_parse(data, len);
    if (!m->ttf || !fill_advances(m)) {
        cd_ttf_free(m->ttf);
        m->ttf = NULL;
        free_advances(m);
        return cd_error_set(err, CD_EGENERAL,
                            "%s: not a usable TrueType font (needs head, hhea, maxp, hmtx, loca, glyf and a Unicode cmap)",
                            m->path);
    }
    m->ready = true;
    return CD_OK;
}

int cd_font_family_get(const char *dir, const char *stem, cd_font_family **out, cd_error *err)
{
    for (cd_font_family *f = family_cache; f; f = f->next)
        if (strcmp(f->dir, dir) == 0 && strcmp(f->stem, stem) == 0) { *out = f; return CD_OK; }
    cd_font_family *f = calloc(1, sizeof *f);
    if (!f) return cd_error_set(err, CD_EGENERAL, "out of memory");
    snprintf(f->dir, sizeof f->dir, "%s", dir);
    snprintf(f->stem, sizeof f->stem, "%s", stem);
    int rc = cd_font_face_ready(f, CD_FACE_REGULAR, err);
    if (rc) { free(f); return rc; }
    f->next = family_cache;
    family_cache = f;
    *out = f;
    return CD_OK;
}

void cd_font_cache_clear(void)
{
    while (family_cache) {
        cd_font_family *f = family_cache;
        family_cache = f->next;
        for (int i = 0; i < 4; i++) {
            free_advances(&f->faces[i]);
            cd_ttf_free(f->faces[i].ttf);
        }
        free(f);
    }
}

/* The measuring functions below answer the common case -- a glyph with a
 * width, in a filled run -- with one load and one test, as when the whole
 * table was filled up front; anything else (a 0 is a zero width or a run not
 * filled yet) goes to these, kept out of line so that the common case needs
 * no registers saved. */
__attribute__((noinline, cold))
static bool has_glyph_slow(const cd_font_family *f, int face, uint32_t cp)
{
    const face_metrics *m = &f->faces[face & 3];
    return m->advance && cp < 0xFFFF && advance_of(m, cp) >= 0;
}

__attribute__((noinline, cold))
static double advance_slow(const cd_font_family *f, int face, uint32_t cp)
{
    const face_metrics *m = &f->faces[face & 3];
    if (!m->advance) return 600;
    float a;
    if (cp < 0xFFFF && (a = advance_of(m, cp)) >= 0) return a;
    return (a = advance_of(m, 0xFFFD)) >= 0 ? a : 600;
}

bool cd_font_has_glyph(const cd_font_family *f, int face, uint32_t cp)
{
    const float *adv = f->faces[face & 3].advance;
    if (adv && cp < 0xFFFF) {
        float a = adv[cp];
        if (a > 0) return true;
        if (a < 0) return false;        /* -1: filled, no glyph */
    }
    return has_glyph_slow(f, face, cp);
}

double cd_font_advance(const cd_font_family *f, int face, uint32_t cp)
{
    const float *adv = f->faces[face & 3].advance;
    if (adv && cp < 0xFFFF && adv[cp] > 0) return adv[cp];
    return advance_slow(f, face, cp);
}

double cd_font_text_width(const cd_font_family *f, int face, double size,
                          const char *s, size_t n)
{
    const face_metrics *m = &f->faces[face & 3];
    double w = 0;
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        /* ASCII: filled when the face was read */
        if (c < 0x80 && m->advance && m->advance[c] > 0) { w += m->advance[c]; i++; continue; }
        uint32_t cp;
        i += cd_utf8_decode(s + i, n - i, &cp);
        w += cd_font_advance(f, face, cp);
    }
    return w * size / 1000.0;
}

/* ======================================================================
 * Drawing
 * ====================================================================== */

typedef struct { char *path; HPDF_Image image; } png_entry;

struct cd_pdf {
    HPDF_Doc doc;
    HPDF_STATUS err_no, err_detail;    /* first libharu error, 0 = none */
    cd_font_family *family;
    cd_pdf_font *fonts[4];             /* a subset per face drawn with */
    cd_strbuf text;                    /* the text operators being written */
    /* the open text object (BT) on the current page: consecutive text runs
     * share it; any other drawing ends it. Its font, size, fill colour and
     * line start (for relative Td) are known while it is open. */
    bool in_text;
    cd_pdf_font *text_font;
    double text_size, text_x, text_y;
    cd_rgb text_colour;
    HPDF_Encoder utf8;
    HPDF_Page *pages;
    size_t npages, cap_pages;
    double page_h;
    HPDF_Page page;
    png_entry *pngs;
    size_t npngs;
    cd_tagger *tags;                   /* the structure being recorded (pdf_tag.c) */
};

HPDF_Doc cd_pdf_hdoc(cd_pdf *p) { return p->doc; }
HPDF_Page cd_pdf_hpage(cd_pdf *p, int i) { return i >= 0 && (size_t)i < p->npages ? p->pages[i] : NULL; }
int cd_pdf_current_page(const cd_pdf *p) { return (int)p->npages - 1; }
int cd_pdf_page_count(const cd_pdf *p) { return (int)p->npages; }
HPDF_Encoder cd_pdf_utf8(cd_pdf *p) { return p->utf8; }
cd_tagger *cd_pdf_tagger(cd_pdf *p) { return p->tags; }

/* libharu calls this on every error; it records the first one and returns
 * (libharu then returns the error code from the failing call). */
static void on_hpdf_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user_data)
{
    cd_pdf *p = user_data;
    if (!p->err_no) {
        p->err_no = error_no;
        p->err_detail = detail_no;
    }
}

/* A sentence for a libharu error code. */
static const char *hpdf_error_text(HPDF_STATUS e)
{
    switch (e) {
    case HPDF_FAILD_TO_ALLOC_MEM: return "out of memory";
    case HPDF_FILE_IO_ERROR: return "file read or write error";
    case HPDF_FILE_OPEN_ERROR: return "cannot open a file";
    case HPDF_INVALID_PNG_IMAGE: return "invalid PNG image";
    case HPDF_LIBPNG_ERROR: return "the PNG image could not be decoded";
    case HPDF_TTF_CANNOT_EMBEDDING_FONT: return "the font does not allow embedding";
    case HPDF_TTF_INVALID_CMAP: return "the font has no usable Unicode cmap";
    case HPDF_TTF_INVALID_FOMAT: return "the font file is not valid TrueType";
    case HPDF_TTF_MISSING_TABLE: return "the font file lacks a required table";
    case HPDF_UNSUPPORTED_FUNC: return "a feature libharu was built without";
    default: return "internal error";
    }
}

/* Turns a recorded libharu error into err; returns CD_OK when none. */
static int hpdf_check(cd_pdf *p, const char *doing, cd_error *err)
{
    if (!p->err_no) return CD_OK;
    int rc = cd_error_set(err, CD_EGENERAL, "PDF writer failed while %s: %s (libharu error 0x%04X, detail %u)",
                          doing, hpdf_error_text(p->err_no), (unsigned)p->err_no,
                          (unsigned)p->err_detail);
    return rc;
}

int cd_pdf_new(cd_font_family *family, cd_pdf **out, cd_error *err)
{
    *out = NULL;
    cd_pdf *p = calloc(1, sizeof *p);
    if (!p) return cd_error_set(err, CD_EGENERAL, "out of memory");
    p->family = family;
    p->doc = HPDF_New(on_hpdf_error, p);
    if (!p->doc) { free(p); return cd_error_set(err, CD_EGENERAL, "PDF writer could not start (out of memory)"); }
    HPDF_SetCompressionMode(p->doc, HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(p->doc);
    p->utf8 = HPDF_GetEncoder(p->doc, "UTF-8");
    p->tags = cd_tagger_new();
    if (!p->tags) { cd_pdf_free(p); return cd_error_set(err, CD_EGENERAL, "out of memory"); }
    int rc = hpdf_check(p, "starting a document", err);
    if (rc) { cd_pdf_free(p); return rc; }
    *out = p;
    return CD_OK;
}

void cd_pdf_free(cd_pdf *p)
{
    if (!p) return;
    if (p->doc) HPDF_Free(p->doc);
    for (int i = 0; i < 4; i++) cd_pdf_font_free(p->fonts[i]);
    cd_strbuf_free(&p->text);
    for (size_t i = 0; i < p->npngs; i++) free(p->pngs[i].path);
    free(p->pngs);
    free(p->pages);
    cd_tagger_free(p->tags);
    free(p);
}


int cd_pdf_add_page(cd_pdf *p, double width, double height)
{
    cd_pdf_mark_end(p);                /* marked content never spans pages */
    cd_pdf_end_text(p);
    HPDF_Page page = HPDF_AddPage(p->doc);
    if (!page) return -1;
    HPDF_Page_SetWidth(page, (HPDF_REAL)width);
    HPDF_Page_SetHeight(page, (HPDF_REAL)height);
    if (p->npages == p->cap_pages) {
        p->cap_pages = p->cap_pages ? p->cap_pages * 2 : 16;
        HPDF_Page *np = realloc(p->pages, p->cap_pages * sizeof *np);
        if (!np) { fputs("courtdocs: out of memory\n", stderr); exit(1); }
        p->pages = np;
    }
    p->pages[p->npages] = page;
    p->page = page;
    p->page_h = height;
    return (int)p->npages++;
}

/* The document's font for a face, created on first use (a face that cannot
 * be read falls back to regular; NULL when regular cannot). */
static cd_pdf_font *face_font(cd_pdf *p, int face)
{
    face &= 3;
    if (p->fonts[face]) return p->fonts[face];
    cd_error e;
    if (cd_font_face_ready(p->family, face, &e) != CD_OK) {
        if (face == CD_FACE_REGULAR) return NULL;
        return face_font(p, CD_FACE_REGULAR);
    }
    p->fonts[face] = cd_pdf_font_new(p->doc, p->family->faces[face].ttf);
    return p->fonts[face];
}

/* Appends a number to the text operator: at most two decimals, no trailing
 * zeros (a hundredth of a point is well below what any device shows). */
static void add_num(cd_strbuf *b, double v)
{
    char num[64];
    snprintf(num, sizeof num, "%.2f", v);
    size_t n = strlen(num);
    while (n > 1 && num[n - 1] == '0') n--;
    if (num[n - 1] == '.') n--;
    if (n == 2 && num[0] == '-' && num[1] == '0') { num[0] = '0'; n = 1; }
    cd_strbuf_addn(b, num, n);
    cd_strbuf_addc(b, ' ');
}

void cd_pdf_end_text(cd_pdf *p)
{
    if (!p->in_text) return;
    HPDF_Page_EndText(p->page);
    p->in_text = false;
}

static void write_text(cd_pdf *p)
{
    HPDF_Stream_Write(((HPDF_PageAttr)p->page->attr)->stream, (const HPDF_BYTE *)p->text.s,
                      (HPDF_UINT)p->text.len);
    cd_strbuf_reset(&p->text);
}

/* Makes sure a text object is open with the face's font at the size and the
 * fill colour, writing only what changes; NULL (nothing written) when there
 * is no font. */
static cd_pdf_font *begin_text(cd_pdf *p, int face, double size, cd_rgb c)
{
    cd_pdf_font *font = face_font(p, face);
    if (!font) return NULL;
    HPDF_Page pg = p->page;
    if (!p->in_text) {
        HPDF_Page_BeginText(pg);
        p->in_text = true;
        p->text_font = NULL;
        p->text_x = p->text_y = 0;
        p->text_colour.r = -1;
    }
    cd_strbuf_reset(&p->text);
    if (font != p->text_font || size != p->text_size) {
        const char *name = HPDF_Page_GetLocalFontName(pg, cd_pdf_font_dict(font));
        if (!name) return NULL;
        cd_strbuf_printf(&p->text, "/%s ", name);
        add_num(&p->text, size);
        cd_strbuf_add(&p->text, "Tf\n");
        write_text(p);
        p->text_font = font;
        p->text_size = size;
    }
    if (c.r != p->text_colour.r || c.g != p->text_colour.g || c.b != p->text_colour.b) {
        HPDF_Page_SetRGBFill(pg, (HPDF_REAL)c.r, (HPDF_REAL)c.g, (HPDF_REAL)c.b);
        p->text_colour = c;
    }
    return font;
}

/* Shows the text (after any positioning already in p->text). */
static void show_text(cd_pdf *p, cd_pdf_font *font, const char *utf8, size_t n)
{
    cd_pdf_font_encode(font, utf8, n, &p->text);
    cd_strbuf_add(&p->text, "Tj\n");
    write_text(p);
}

void cd_pdf_text(cd_pdf *p, int face, double size, cd_rgb c,
                 double x, double baseline, const char *utf8, size_t n)
{
    if (n == 0 || !p->page) return;
    cd_pdf_font *font = begin_text(p, face, size, c);
    if (!font) return;
    /* Td moves from the start of the previous line in this text object; the
     * position is rounded as written so that errors do not add up */
    double x2 = round(x * 100) / 100, y2 = round((p->page_h - baseline) * 100) / 100;
    add_num(&p->text, x2 - p->text_x);
    add_num(&p->text, y2 - p->text_y);
    cd_strbuf_add(&p->text, "Td");
    p->text_x = x2;
    p->text_y = y2;
    show_text(p, font, utf8, n);
}

void cd_pdf_text_rotated(cd_pdf *p, int face, double size, cd_rgb c,
                         double x, double baseline, double degrees, const char *utf8)
{
    if (!utf8 || !*utf8 || !p->page) return;
    cd_pdf_font *font = begin_text(p, face, size, c);
    if (!font) return;
    double r = degrees * M_PI / 180.0, cs = cos(r), sn = sin(r);
    HPDF_Page_SetTextMatrix(p->page, (HPDF_REAL)cs, (HPDF_REAL)sn, (HPDF_REAL)-sn, (HPDF_REAL)cs,
                            (HPDF_REAL)x, (HPDF_REAL)(p->page_h - baseline));
    show_text(p, font, utf8, strlen(utf8));
    cd_pdf_end_text(p);                /* the next Td would be in the rotated frame */
}

static void set_stroke(cd_pdf *p, double width, cd_rgb c, cd_dash dash)
{
    static const HPDF_UINT16 dashed[] = {6, 3}, dotted[] = {1, 2}, dash_dot[] = {6, 2, 1, 2},
                             longd[] = {12, 4};
    HPDF_Page pg = p->page;
    HPDF_Page_SetLineWidth(pg, (HPDF_REAL)width);
    HPDF_Page_SetRGBStroke(pg, (HPDF_REAL)c.r, (HPDF_REAL)c.g, (HPDF_REAL)c.b);
    switch (dash) {
    case CD_DASH_DASHED: HPDF_Page_SetDash(pg, dashed, 2, 0); break;
    case CD_DASH_DOTTED: HPDF_Page_SetDash(pg, dotted, 2, 0); break;
    case CD_DASH_DASH_DOT: HPDF_Page_SetDash(pg, dash_dot, 4, 0); break;
    case CD_DASH_LONG: HPDF_Page_SetDash(pg, longd, 2, 0); break;
    default: HPDF_Page_SetDash(pg, NULL, 0, 0); break;
    }
}

void cd_pdf_line(cd_pdf *p, double x1, double y1, double x2, double y2,
                 double width, cd_rgb c, cd_dash dash)
{
    cd_pdf_end_text(p);
    if (!p->page) return;
    set_stroke(p, width, c, dash);
    HPDF_Page_MoveTo(p->page, (HPDF_REAL)x1, (HPDF_REAL)(p->page_h - y1));
    HPDF_Page_LineTo(p->page, (HPDF_REAL)x2, (HPDF_REAL)(p->page_h - y2));
    HPDF_Page_Stroke(p->page);
}

void cd_pdf_polyline(cd_pdf *p, const double *xs, const double *ys, size_t n,
                     double width, cd_rgb c, cd_dash dash)
{
    cd_pdf_end_text(p);
    if (!p->page || n < 2) return;
    set_stroke(p, width, c, dash);
    HPDF_Page_SetLineJoin(p->page, HPDF_ROUND_JOIN);
    HPDF_Page_MoveTo(p->page, (HPDF_REAL)xs[0], (HPDF_REAL)(p->page_h - ys[0]));
    for (size_t i = 1; i < n; i++)
        HPDF_Page_LineTo(p->page, (HPDF_REAL)xs[i], (HPDF_REAL)(p->page_h - ys[i]));
    HPDF_Page_Stroke(p->page);
}

void cd_pdf_rect_fill(cd_pdf *p, double x, double y, double w, double h, cd_rgb f)
{
    cd_pdf_end_text(p);
    if (!p->page || w <= 0 || h <= 0) return;
    HPDF_Page_SetRGBFill(p->page, (HPDF_REAL)f.r, (HPDF_REAL)f.g, (HPDF_REAL)f.b);
    HPDF_Page_Rectangle(p->page, (HPDF_REAL)x, (HPDF_REAL)(p->page_h - y - h), (HPDF_REAL)w, (HPDF_REAL)h);
    HPDF_Page_Fill(p->page);
}

void cd_pdf_rect_stroke(cd_pdf *p, double x, double y, double w, double h,
                        double width, cd_rgb c)
{
    cd_pdf_end_text(p);
    if (!p->page) return;
    set_stroke(p, width, c, CD_DASH_SOLID);
    HPDF_Page_Rectangle(p->page, (HPDF_REAL)x, (HPDF_REAL)(p->page_h - y - h), (HPDF_REAL)w, (HPDF_REAL)h);
    HPDF_Page_Stroke(p->page);
}

void cd_pdf_rect_hatch(cd_pdf *p, double x, double y, double w, double h,
                       double spacing, int direction, cd_rgb c)
{
    cd_pdf_end_text(p);
    if (!p->page || w <= 0 || h <= 0 || spacing <= 0) return;
    HPDF_Page pg = p->page;
    double by = p->page_h - y - h;
    HPDF_Page_GSave(pg);
    HPDF_Page_Rectangle(pg, (HPDF_REAL)x, (HPDF_REAL)by, (HPDF_REAL)w, (HPDF_REAL)h);
    HPDF_Page_Clip(pg);
    HPDF_Page_EndPath(pg);
    set_stroke(p, 0.6, c, CD_DASH_SOLID);
    for (double o = -h; o < w + h; o += spacing) {
        if (direction >= 0) {
            HPDF_Page_MoveTo(pg, (HPDF_REAL)(x + o), (HPDF_REAL)by);
            HPDF_Page_LineTo(pg, (HPDF_REAL)(x + o + h), (HPDF_REAL)(by + h));
        } else {
            HPDF_Page_MoveTo(pg, (HPDF_REAL)(x + o + h), (HPDF_REAL)by);
            HPDF_Page_LineTo(pg, (HPDF_REAL)(x + o), (HPDF_REAL)(by + h));
        }
    }
    HPDF_Page_Stroke(pg);
    HPDF_Page_GRestore(pg);
}

void cd_pdf_marker(cd_pdf *p, int shape, double x, double y, double s, cd_rgb c)
{
    cd_pdf_end_text(p);
    if (!p->page) return;
    HPDF_Page pg = p->page;
    double py = p->page_h - y, r = s / 2;
    HPDF_Page_SetRGBFill(pg, (HPDF_REAL)c.r, (HPDF_REAL)c.g, (HPDF_REAL)c.b);
    set_stroke(p, 0.8, c, CD_DASH_SOLID);
    switch (shape % 5) {
    case 0: HPDF_Page_Circle(pg, (HPDF_REAL)x, (HPDF_REAL)py, (HPDF_REAL)r); HPDF_Page_Fill(pg); break;
    case 1:
        HPDF_Page_Rectangle(pg, (HPDF_REAL)(x - r), (HPDF_REAL)(py - r), (HPDF_REAL)s, (HPDF_REAL)s);
        HPDF_Page_Fill(pg);
        break;
    case 2:
        HPDF_Page_MoveTo(pg, (HPDF_REAL)x, (HPDF_REAL)(py + r));
        HPDF_Page_LineTo(pg, (HPDF_REAL)(x + r), (HPDF_REAL)(py - r));
        HPDF_Page_LineTo(pg, (HPDF_REAL)(x - r), (HPDF_REAL)(py - r));
        HPDF_Page_ClosePath(pg);
        HPDF_Page_Fill(pg);
        break;
    case 3:
        HPDF_Page_MoveTo(pg, (HPDF_REAL)x, (HPDF_REAL)(py + r));
        HPDF_Page_LineTo(pg, (HPDF_REAL)(x + r), (HPDF_REAL)py);
        HPDF_Page_LineTo(pg, (HPDF_REAL)x, (HPDF_REAL)(py - r));
        HPDF_Page_LineTo(pg, (HPDF_REAL)(x - r), (HPDF_REAL)py);
        HPDF_Page_ClosePath(pg);
        HPDF_Page_Fill(pg);
        break;
    default:
        HPDF_Page_MoveTo(pg, (HPDF_REAL)(x - r), (HPDF_REAL)(py - r));
        HPDF_Page_LineTo(pg, (HPDF_REAL)(x + r), (HPDF_REAL)(py + r));
        HPDF_Page_MoveTo(pg, (HPDF_REAL)(x - r), (HPDF_REAL)(py + r));
        HPDF_Page_LineTo(pg, (HPDF_REAL)(x + r), (HPDF_REAL)(py - r));
        HPDF_Page_Stroke(pg);
        break;
    }
}

int cd_pdf_png_size(const char *path, unsigned *width, unsigned *height, cd_error *err)
{
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    unsigned char h[24];
    FILE *f = fopen(path, "rb");
    if (!f)
        return cd_error_set(err, CD_EINPUT, "image %s: cannot open it: %s", path, strerror(errno));
    size_t n = fread(h, 1, sizeof h, f);
    fclose(f);
    if (n < sizeof h || memcmp(h, sig, 8) != 0)
        return cd_error_set(err, CD_EINPUT, "image %s: not a PNG file (only PNG images are supported)", path);
    if (memcmp(h + 12, "IHDR", 4) != 0 || cd_be32(h + 8) != 13)
        return cd_error_set(err, CD_EINPUT, "image %s: damaged PNG (no IHDR header)", path);
    *width = cd_be32(h + 16);
    *height = cd_be32(h + 20);
    if (*width == 0 || *height == 0 || *width > 100000 || *height > 100000)
        return cd_error_set(err, CD_EINPUT, "image %s: damaged PNG (size %ux%u)", path, *width, *height);
    return CD_OK;
}

int cd_pdf_png(cd_pdf *p, const char *path, double x, double y, double w, double h, cd_error *err)
{
    cd_pdf_end_text(p);
    HPDF_Image img = NULL;
    for (size_t i = 0; i < p->npngs; i++)
        if (strcmp(p->pngs[i].path, path) == 0) img = p->pngs[i].image;
    if (!img) {
        unsigned pw, ph;
        int rc = cd_pdf_png_size(path, &pw, &ph, err);
        if (rc) return rc;
        img = HPDF_LoadPngImageFromFile(p->doc, path);
        if (!img) {
            p->err_no = 0;
            HPDF_ResetError(p->doc);
            return cd_error_set(err, CD_EINPUT, "image %s: the PNG could not be decoded", path);
        }
        png_entry *np = realloc(p->pngs, (p->npngs + 1) * sizeof *np);
        if (!np) { fputs("courtdocs: out of memory\n", stderr); exit(1); }
        p->pngs = np;
        p->pngs[p->npngs].path = strdup(path);
        p->pngs[p->npngs++].image = img;
    }
    HPDF_Page_DrawImage(p->page, img, (HPDF_REAL)x, (HPDF_REAL)(p->page_h - y - h), (HPDF_REAL)w, (HPDF_REAL)h);
    return CD_OK;
}

void cd_pdf_outline(cd_pdf *p, int page_index, double y, const char *title)
{
    if (page_index < 0 || (size_t)page_index >= p->npages || !title) return;
    HPDF_Outline o = HPDF_CreateOutline(p->doc, NULL, title, p->utf8);
    if (!o) return;
    HPDF_Page pg = p->pages[page_index];
    HPDF_Destination dst = HPDF_Page_CreateDestination(pg);
    if (!dst) return;
    HPDF_Destination_SetFitH(dst, (HPDF_REAL)(HPDF_Page_GetHeight(pg) - y));
    HPDF_Outline_SetDestination(o, dst);
}

void cd_pdf_link(cd_pdf *p, int from_page, double x, double y, double w, double h,
                 int to_page, double to_y)
{
    if (from_page < 0 || (size_t)from_page >= p->npages || to_page < 0 || (size_t)to_page >= p->npages)
        return;
    HPDF_Page pg = p->pages[from_page], to = p->pages[to_page];
    HPDF_REAL ph = HPDF_Page_GetHeight(pg);
    HPDF_Rect r = { (HPDF_REAL)x, (HPDF_REAL)(ph - y - h), (HPDF_REAL)(x + w), (HPDF_REAL)(ph - y) };
    HPDF_Destination dst = HPDF_Page_CreateDestination(to);
    if (!dst) return;
    HPDF_Destination_SetFitH(dst, (HPDF_REAL)(HPDF_Page_GetHeight(to) - to_y));
    HPDF_Annotation a = HPDF_Page_CreateLinkAnnot(pg, r, dst);
    if (a) HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);     /* no box drawn round it */
    cd_tagger_annot(p, from_page, a);                     /* joins its Link element */
}

/* ======================================================================
 * Writing
 * ====================================================================== */

/* ======================================================================
 * libharu's memory-stream seek, fixed
 * ====================================================================== */

/* libharu 2.3.0's memory-stream seek fails with HPDF_INVALID_OBJECT when
 * asked for the very end of a stream whose size is an exact multiple of its
 * buffer size (the buffer after the last does not exist): font subsetting
 * seeks there, so about one embedded font in a few thousand -- whenever the
 * subset's size lands on a multiple of 10,000 bytes -- failed to save, and
 * the document with it ("internal error 0x1033"). Found by the layout
 * fuzzer (tests/fuzz/findings/layout-libharu-subset-error.bin, now a test).
 * This is libharu's function with that case handled: the position is kept
 * and the read pointer left unset, so a read there reports end of stream as
 * it does at any other end. libhpdf reaches the function through its GOT,
 * so this definition in the program takes its place. */
HPDF_STATUS HPDF_MemStream_SeekFunc(HPDF_Stream stream, HPDF_INT pos, HPDF_WhenceMode mode)
{
    HPDF_MemStreamAttr attr = (HPDF_MemStreamAttr)stream->attr;
    if (mode == HPDF_SEEK_CUR) {
        pos += (HPDF_INT)(attr->r_ptr_idx * attr->buf_siz);
        pos += (HPDF_INT)attr->r_pos;
    } else if (mode == HPDF_SEEK_END) {
        pos = (HPDF_INT)stream->size - pos;
    }
    if (pos < 0 || (HPDF_UINT)pos > stream->size || stream->size == 0)
        return HPDF_SetError(stream->error, HPDF_STREAM_EOF, 0);
    attr->r_ptr_idx = (HPDF_UINT)pos / attr->buf_siz;
    attr->r_pos = (HPDF_UINT)pos % attr->buf_siz;
    if (attr->r_ptr_idx >= attr->buf->count) {      /* the very end, on a boundary */
        attr->r_ptr = NULL;
        return HPDF_OK;
    }
    attr->r_ptr = (HPDF_BYTE *)HPDF_List_ItemAt(attr->buf, attr->r_ptr_idx);
    if (attr->r_ptr == NULL)
        return HPDF_SetError(stream->error, HPDF_INVALID_OBJECT, 0);
    attr->r_ptr += attr->r_pos;
    return HPDF_OK;
}

/* Sets an info string, with the UTF-8 encoder when it is not plain ASCII. */
static void set_info(cd_pdf *p, HPDF_InfoType type, const char *v)
{
    if (!v || !*v) return;
    bool ascii = true;
    for (const unsigned char *s = (const unsigned char *)v; *s; s++)
        if (*s >= 0x80) ascii = false;
    if (!ascii) HPDF_SetCurrentEncoder(p->doc, "UTF-8");
    HPDF_SetInfoAttr(p->doc, type, v);
    if (!ascii) p->doc->cur_encoder = NULL;
}

/* Metadata, creation date (SOURCE_DATE_EPOCH overrides the clock) and
 * encryption, then the whole PDF into a malloc'd buffer. */
static int build(cd_pdf *p, const cd_pdf_meta *meta, unsigned char **buf, size_t *len, cd_error *err)
{
    cd_pdf_end_text(p);
    *buf = NULL;
    *len = 0;
    if (p->npages == 0) return cd_error_set(err, CD_EGENERAL, "PDF writer: the document has no pages");
    if (meta) {
        set_info(p, HPDF_INFO_TITLE, meta->title);
        set_info(p, HPDF_INFO_AUTHOR, meta->author);
        set_info(p, HPDF_INFO_SUBJECT, meta->subject);
        set_info(p, HPDF_INFO_KEYWORDS, meta->keywords);
    }
    HPDF_SetInfoAttr(p->doc, HPDF_INFO_CREATOR, "courtdocs");
    HPDF_SetInfoAttr(p->doc, HPDF_INFO_PRODUCER, "courtdocs " COURTDOCS_VERSION " (libharu " HPDF_VERSION_TEXT ")");
    time_t now = time(NULL);
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) {
        char *end;
        long long v = strtoll(sde, &end, 10);
        if (*end == '\0' && v >= 0) now = (time_t)v;
    }
    struct tm tm;
    gmtime_r(&now, &tm);
    HPDF_Date d = {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, 'Z', 0, 0};
    HPDF_SetInfoDateAttr(p->doc, HPDF_INFO_CREATION_DATE, d);
    HPDF_SetInfoDateAttr(p->doc, HPDF_INFO_MOD_DATE, d);
    int rc = cd_tagger_finish(p, meta, err);
    if (!rc) rc = hpdf_check(p, "setting the document information", err);
    if (rc) return rc;
    for (int i = 0; i < 4; i++) {
        HPDF_STATUS st = p->fonts[i] ? cd_pdf_font_finish(p->fonts[i]) : HPDF_OK;
        if (st != HPDF_OK && !p->err_no) p->err_no = st;
    }
    rc = hpdf_check(p, "embedding the fonts", err);
    if (rc) return rc;
    if (HPDF_SaveToStream(p->doc) != HPDF_OK || p->err_no)
        return hpdf_check(p, "writing the document", err) ? err->code : CD_EGENERAL;
    HPDF_UINT32 size = HPDF_GetStreamSize(p->doc);
    unsigned char *b = malloc(size ? size : 1);
    if (!b) return cd_error_set(err, CD_EGENERAL, "out of memory");
    size_t got = 0;
    while (got < size) {
        HPDF_UINT32 n = size - (HPDF_UINT32)got;
        HPDF_STATUS st = HPDF_ReadFromStream(p->doc, b + got, &n);
        got += n;
        if (st == HPDF_STREAM_EOF || n == 0) break;
        if (st != HPDF_OK) { free(b); return hpdf_check(p, "reading the document back", err); }
    }
    p->err_no = 0;
    HPDF_ResetError(p->doc);
    if (meta && meta->password) {      /* encrypted in memory: no plain copy on disk */
        unsigned char *enc;
        size_t enc_len;
        rc = cd_pdf_encrypt(b, got, meta->password, &enc, &enc_len, err);
        free(b);
        if (rc) return rc;
        b = enc;
        got = enc_len;
    }
    *buf = b;
    *len = got;
    return CD_OK;
}

int cd_pdf_save_buffer(cd_pdf *p, const cd_pdf_meta *meta, unsigned char **buf,
                       size_t *len, cd_error *err)
{
    return build(p, meta, buf, len, err);
}

int cd_pdf_save(cd_pdf *p, const cd_pdf_meta *meta, const char *out_path, cd_error *err)
{
    int rc = cd_out_check_target(out_path, err);
    unsigned char *buf = NULL;
    size_t len = 0;
    if (!rc)
        rc = build(p, meta, &buf, &len, err);
    if (!rc)
        rc = cd_out_write_file(out_path, buf, len, err);
    free(buf);
    return rc;
}
