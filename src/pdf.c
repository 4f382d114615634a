/* pdf.c -- the PDF writer, the only file that includes <hpdf.h> (libharu
 * 2.3.0). Three parts:
 *   - font metrics: each TrueType face's cmap and hmtx are parsed once per
 *     process into a table of advance widths for the Basic Multilingual Plane,
 *     filled 256 code points at a time as text first needs them, so
 *     measuring text never needs a PDF document and costs an array lookup
 *     per character;
 *   - drawing: libharu pages in top-left coordinates, their operators
 *     written by this file (the graphics state tracked, so only changes are
 *     written) and marked content placed so that it nests with text
 *     objects; faces are embedded only when first drawn with, as subsets
 *     holding only the glyphs drawn (pdf_font.c: libharu's own TrueType
 *     embedding is not used), and text is written as two-byte CIDs;
 *   - writing: metadata, the fonts, libharu's objects (streams compressed
 *     with libdeflate), the structure tree as an incremental update
 *     (pdf_tag.c), optional AES-256 encryption (pdf_encrypt.c), then a
 *     temporary file beside the target that is renamed into place, or a
 *     memory buffer.
 * Where libharu 2.3.0 is slow or wrong, a few of its functions are replaced
 * by definitions here that the library reaches through its GOT (listed in
 * docs/layout.md, "Cost"). libharu errors are recorded by an error handler
 * (no longjmp) and turned into cd_error messages. */
#include "pdf.h"
#include "outfile.h"
#include "pdf_int.h"
#include "pdf_a11y.h"
#include <hpdf.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <hpdf_utils.h>
#include <libdeflate.h>
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
    cd_strbuf page_ops;                /* the page's operators not yet in libharu's stream */
    /* the open text object (BT) on the current page: consecutive text runs
     * share it; any other drawing ends it. Its line start (for relative Td)
     * is known while it is open. */
    bool in_text;
    double text_x, text_y;
    /* the graphics state written on the current page (text font and size,
     * fill, stroke, width, dash, join), so that only changes are written */
    cd_pdf_font *text_font;
    double text_size;
    bool fill_known, stroke_known;
    cd_rgb fill, stroke;
    double line_width;
    int dash, line_join;
    /* the marked-content sequence pdf_tag.c has asked for: its tag (or whole
     * operator) and MCID (cd_pdf_mark_open), whether it is written yet, and
     * whether inside a text object */
    bool mark_open, mark_written, mark_in_text;
    const char *mark_tag;
    size_t mark_tag_len;
    int mark_mcid;
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
    cd_strbuf_free(&p->page_ops);
    for (size_t i = 0; i < p->npngs; i++) free(p->pngs[i].path);
    free(p->pngs);
    free(p->pages);
    cd_tagger_free(p->tags);
    free(p);
}


static void forget_state(cd_pdf *p);
static void page_flush(cd_pdf *p);

int cd_pdf_add_page(cd_pdf *p, double width, double height)
{
    cd_pdf_mark_end(p);                /* marked content never spans pages */
    cd_pdf_end_text(p);
    page_flush(p);
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
    forget_state(p);
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

/* ---- the page's content stream ------------------------------------------------
 * Operators are written straight into the page's content stream, not through
 * libharu's drawing functions (which format every number with a byte-wise
 * memset and write every state operator again each time): numbers have at
 * most two decimals (three for colours), and the graphics state (line width,
 * stroke and fill colours, dash, font and size) is written only when it
 * changes. libharu's own page state is left in its page-description mode
 * throughout, so HPDF_Page_DrawImage still works. */

/* Writes n bytes of operators to the current page. */
static inline void raw(cd_pdf *p, const char *s, size_t n)
{
    cd_strbuf *b = &p->page_ops;
    if (b->len + n + 1 > b->cap) cd_strbuf_reserve(b, n);
    memcpy(b->s + b->len, s, n);                 /* inlined when n is a constant */
    b->len += n;
    b->s[b->len] = '\0';
}

/* Hands the operators written so far to libharu's stream for the page (in
 * one write: libharu's memory stream costs a call chain per write). Done
 * before a new page, before libharu itself writes to the page (an image),
 * and before the document is written. */
static void page_flush(cd_pdf *p)
{
    if (!p->page || p->page_ops.len == 0) return;
    HPDF_Stream_Write(((HPDF_PageAttr)p->page->attr)->stream, (const HPDF_BYTE *)p->page_ops.s,
                      (HPDF_UINT)p->page_ops.len);
    cd_strbuf_reset(&p->page_ops);
}

/* Appends v with at most `decimals` decimals (2 or 3), no trailing zeros, and
 * a space: a hundredth of a point is well below what any device shows. */
static void add_fixed(cd_strbuf *b, double v, int decimals)
{
    long long scale = decimals == 3 ? 1000 : 100;
    long long q = llround(v * (double)scale);
    char num[40];
    int n = 0;
    if (q < 0) { num[n++] = '-'; q = -q; }
    long long ip = q / scale, fp = q % scale;
    char d[24];
    int k = 0;
    do { d[k++] = (char)('0' + ip % 10); ip /= 10; } while (ip);
    while (k) num[n++] = d[--k];
    if (fp) {
        num[n++] = '.';
        for (long long div = scale / 10; div && fp; div /= 10) {
            num[n++] = (char)('0' + fp / div);
            fp %= div;
        }
    }
    if (n == 2 && num[0] == '-' && num[1] == '0') { num[0] = '0'; n = 1; }
    num[n++] = ' ';
    cd_strbuf_addn(b, num, (size_t)n);
}

static void add_num(cd_strbuf *b, double v) { add_fixed(b, v, 2); }

void cd_pdf_add_number(cd_strbuf *b, double v) { add_fixed(b, v, 2); }

static bool same_rgb(cd_rgb a, cd_rgb b) { return a.r == b.r && a.g == b.g && a.b == b.b; }

/* Appends "r g b op" (op is "rg\n" or "RG\n"), three decimals each. */
static void add_rgb(cd_strbuf *b, cd_rgb c, const char *op)
{
    add_fixed(b, c.r, 3);
    add_fixed(b, c.g, 3);
    add_fixed(b, c.b, 3);
    cd_strbuf_add(b, op);
}

/* Forgets the graphics state written on this page (a new page has the
 * default state). */
static void forget_state(cd_pdf *p)
{
    p->fill_known = p->stroke_known = false;
    p->line_join = 0;
    p->text_font = NULL;
}

static void set_fill(cd_pdf *p, cd_rgb c);

/* ---- marked content -------------------------------------------------------------
 * pdf_tag.c asks for a marked-content sequence (BDC) to begin and end; this
 * file places the operators so that marked content and text objects nest.
 * The BDC is written only when the first content after it is drawn: before
 * graphics it goes outside any text object (which is ended first); before
 * text it goes inside the text object (begun first when none is open), so
 * that the cells of a table and the lines of a paragraph share one BT ... ET. A sequence begun inside a text
 * object must end inside it: when the text object has to end first (other
 * drawing follows), the sequence is ended there and pdf_tag.c begins it
 * again for the same element (cd_tagger_reopen). */

/* Writes the pending BDC, if any, where the drawing now is. */
static void flush_mark(cd_pdf *p)
{
    if (!p->mark_open || p->mark_written) return;
    cd_strbuf *b = &p->page_ops;
    if (p->mark_mcid < 0) {
        raw(p, p->mark_tag, p->mark_tag_len);
    } else {                           /* "/" tag "<</MCID " n ">>BDC\n" */
        if (b->len + p->mark_tag_len + 40 > b->cap) cd_strbuf_reserve(b, p->mark_tag_len + 40);
        char *o = b->s + b->len;
        *o++ = '/';
        memcpy(o, p->mark_tag, 8);     /* the tag is padded to 8 bytes (cd_pdf_mark_open) */
        o += p->mark_tag_len;
        memcpy(o, "<</MCID ", 8);
        b->len = (size_t)(o + 8 - b->s);
        cd_strbuf_put_uint(b, (unsigned)p->mark_mcid);
        memcpy(b->s + b->len, ">>BDC\n", 7);
        b->len += 6;
    }
    p->mark_written = true;
    p->mark_in_text = p->in_text;
}

void cd_pdf_mark_open(cd_pdf *p, const char *tag, size_t len, int mcid)
{
    if (!p->page) return;
    if (p->mark_open) cd_pdf_mark_close(p);
    p->mark_tag = tag;
    p->mark_tag_len = len;
    p->mark_mcid = mcid;
    p->mark_open = true;
    p->mark_written = false;
}

void cd_pdf_mark_close(cd_pdf *p)
{
    if (!p->mark_open || !p->page) { p->mark_open = false; return; }
    flush_mark(p);                     /* an empty sequence is still written */
    if (!p->mark_in_text && p->in_text) {
        p->mark_open = false;          /* the text object began inside it */
        cd_pdf_end_text(p);
    }
    raw(p, "EMC\n", 4);
    p->mark_open = false;
}

void cd_pdf_end_text(cd_pdf *p)
{
    if (!p->in_text) return;
    bool reopen = p->mark_open && p->mark_written && p->mark_in_text;
    if (reopen) {
        raw(p, "EMC\n", 4);
        p->mark_open = false;
    }
    raw(p, "ET\n", 3);
    p->in_text = false;
    if (reopen) cd_tagger_reopen(p);
}

/* Before drawing anything but text: no text object open, the BDC written. */
static void begin_graphics(cd_pdf *p)
{
    cd_pdf_end_text(p);
    flush_mark(p);
}

/* Makes sure a text object is open with the face's font at the size and the
 * fill colour, writing only what changes; NULL (nothing written) when there
 * is no font. */
static cd_pdf_font *begin_text(cd_pdf *p, int face, double size, cd_rgb c)
{
    cd_pdf_font *font = face_font(p, face);
    if (!font) return NULL;
    if (!p->in_text) {
        raw(p, "BT\n", 3);
        p->in_text = true;
        p->text_x = p->text_y = 0;
    }
    flush_mark(p);                     /* the BDC inside the BT */
    if (font != p->text_font || size != p->text_size) {
        const char *name = HPDF_Page_GetLocalFontName(p->page, cd_pdf_font_dict(font));
        if (!name) return NULL;
        cd_strbuf_addc(&p->page_ops, '/');
        cd_strbuf_add(&p->page_ops, name);
        cd_strbuf_addc(&p->page_ops, ' ');
        add_num(&p->page_ops, size);
        cd_strbuf_add(&p->page_ops, "Tf\n");
        p->text_font = font;
        p->text_size = size;
    }
    set_fill(p, c);
    return font;
}

/* Shows the text (after the positioning already written). */
static void show_text(cd_pdf *p, cd_pdf_font *font, const char *utf8, size_t n)
{
    cd_pdf_font_encode(font, utf8, n, &p->page_ops);
    cd_strbuf_add(&p->page_ops, "Tj\n");
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
    add_num(&p->page_ops, x2 - p->text_x);
    add_num(&p->page_ops, y2 - p->text_y);
    cd_strbuf_add(&p->page_ops, "Td");
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
    add_fixed(&p->page_ops, cs, 3);
    add_fixed(&p->page_ops, sn, 3);
    add_fixed(&p->page_ops, -sn, 3);
    add_fixed(&p->page_ops, cs, 3);
    add_num(&p->page_ops, x);
    add_num(&p->page_ops, p->page_h - baseline);
    cd_strbuf_add(&p->page_ops, "Tm");
    show_text(p, font, utf8, strlen(utf8));
    cd_pdf_end_text(p);                /* the next Td would be in the rotated frame */
}

/* Appends the stroke state (width, colour, dash) where it changes. */
static void set_stroke(cd_pdf *p, double width, cd_rgb c, cd_dash dash)
{
    if (!p->stroke_known || width != p->line_width) {
        add_num(&p->page_ops, width);
        cd_strbuf_add(&p->page_ops, "w\n");
        p->line_width = width;
    }
    if (!p->stroke_known || !same_rgb(c, p->stroke)) {
        add_rgb(&p->page_ops, c, "RG\n");
        p->stroke = c;
    }
    if (!p->stroke_known || (int)dash != p->dash) {
        switch (dash) {
        case CD_DASH_DASHED: cd_strbuf_add(&p->page_ops, "[6 3] 0 d\n"); break;
        case CD_DASH_DOTTED: cd_strbuf_add(&p->page_ops, "[1 2] 0 d\n"); break;
        case CD_DASH_DASH_DOT: cd_strbuf_add(&p->page_ops, "[6 2 1 2] 0 d\n"); break;
        case CD_DASH_LONG: cd_strbuf_add(&p->page_ops, "[12 4] 0 d\n"); break;
        default: cd_strbuf_add(&p->page_ops, "[] 0 d\n"); break;
        }
        p->dash = (int)dash;
    }
    p->stroke_known = true;
}

/* Appends the fill colour where it changes. */
static void set_fill(cd_pdf *p, cd_rgb c)
{
    if (!p->fill_known || !same_rgb(c, p->fill)) {
        add_rgb(&p->page_ops, c, "rg\n");
        p->fill = c;
    }
    p->fill_known = true;
}

/* Appends "x y op" in PDF coordinates for a top-left (x, y). */
static void add_point(cd_pdf *p, double x, double y, const char *op)
{
    add_num(&p->page_ops, x);
    add_num(&p->page_ops, p->page_h - y);
    cd_strbuf_add(&p->page_ops, op);
}

void cd_pdf_line(cd_pdf *p, double x1, double y1, double x2, double y2,
                 double width, cd_rgb c, cd_dash dash)
{
    if (!p->page) return;
    begin_graphics(p);
    set_stroke(p, width, c, dash);
    add_point(p, x1, y1, "m\n");
    add_point(p, x2, y2, "l\nS\n");
}

void cd_pdf_polyline(cd_pdf *p, const double *xs, const double *ys, size_t n,
                     double width, cd_rgb c, cd_dash dash)
{
    if (!p->page || n < 2) return;
    begin_graphics(p);
    set_stroke(p, width, c, dash);
    if (p->line_join != 1) {
        cd_strbuf_add(&p->page_ops, "1 j\n");   /* round joins from here on */
        p->line_join = 1;
    }
    add_point(p, xs[0], ys[0], "m\n");
    for (size_t i = 1; i < n; i++) add_point(p, xs[i], ys[i], "l\n");
    cd_strbuf_add(&p->page_ops, "S\n");
}

/* Appends a rectangle path for the top-left box (x, y, w, h). */
static void add_rect(cd_pdf *p, double x, double y, double w, double h, const char *paint)
{
    add_num(&p->page_ops, x);
    add_num(&p->page_ops, p->page_h - y - h);
    add_num(&p->page_ops, w);
    add_num(&p->page_ops, h);
    cd_strbuf_add(&p->page_ops, "re\n");
    cd_strbuf_add(&p->page_ops, paint);
}

void cd_pdf_rect_fill(cd_pdf *p, double x, double y, double w, double h, cd_rgb f)
{
    if (!p->page || w <= 0 || h <= 0) return;
    begin_graphics(p);
    set_fill(p, f);
    add_rect(p, x, y, w, h, "f\n");
}

void cd_pdf_rect_stroke(cd_pdf *p, double x, double y, double w, double h,
                        double width, cd_rgb c)
{
    if (!p->page) return;
    begin_graphics(p);
    set_stroke(p, width, c, CD_DASH_SOLID);
    add_rect(p, x, y, w, h, "S\n");
}

void cd_pdf_rect_hatch(cd_pdf *p, double x, double y, double w, double h,
                       double spacing, int direction, cd_rgb c)
{
    if (!p->page || w <= 0 || h <= 0 || spacing <= 0) return;
    begin_graphics(p);
    cd_strbuf_add(&p->page_ops, "q\n");
    add_rect(p, x, y, w, h, "W n\n");
    bool known = p->stroke_known;
    double lw = p->line_width;
    cd_rgb sc = p->stroke;
    int dash = p->dash;
    set_stroke(p, 0.6, c, CD_DASH_SOLID);
    double top = y, bottom = y + h;     /* top-left coordinates */
    for (double o = -h; o < w + h; o += spacing) {
        if (direction >= 0) {
            add_point(p, x + o, bottom, "m\n");
            add_point(p, x + o + h, top, "l\n");
        } else {
            add_point(p, x + o + h, bottom, "m\n");
            add_point(p, x + o, top, "l\n");
        }
    }
    cd_strbuf_add(&p->page_ops, "S\nQ\n");
    /* Q restores the stroke state from before q */
    p->stroke_known = known;
    p->line_width = lw;
    p->stroke = sc;
    p->dash = dash;
}

void cd_pdf_marker(cd_pdf *p, int shape, double x, double y, double s, cd_rgb c)
{
    if (!p->page) return;
    begin_graphics(p);
    double r = s / 2;
    set_fill(p, c);
    set_stroke(p, 0.8, c, CD_DASH_SOLID);
    switch (shape % 5) {
    case 0: {                          /* a circle: four Bezier quarters, clockwise from the left */
        static const double K = 0.552284749831;  /* control-point distance for a quarter circle */
        static const double q[4][6] = {
            {-1, -K, -K, -1, 0, -1}, {K, -1, 1, -K, 1, 0}, {1, K, K, 1, 0, 1}, {-K, 1, -1, K, -1, 0},
        };
        add_point(p, x - r, y, "m\n");
        for (int i = 0; i < 4; i++) {
            add_point(p, x + q[i][0] * r, y + q[i][1] * r, "");
            add_point(p, x + q[i][2] * r, y + q[i][3] * r, "");
            add_point(p, x + q[i][4] * r, y + q[i][5] * r, i < 3 ? "c\n" : "c\nf\n");
        }
        break;
    }
    case 1: add_rect(p, x - r, y - r, s, s, "f\n"); break;
    case 2:                            /* a triangle, point up */
        add_point(p, x, y - r, "m\n");
        add_point(p, x + r, y + r, "l\n");
        add_point(p, x - r, y + r, "l\nh\nf\n");
        break;
    case 3:                            /* a diamond */
        add_point(p, x, y - r, "m\n");
        add_point(p, x + r, y, "l\n");
        add_point(p, x, y + r, "l\n");
        add_point(p, x - r, y, "l\nh\nf\n");
        break;
    default:                           /* a cross */
        add_point(p, x - r, y + r, "m\n");
        add_point(p, x + r, y - r, "l\n");
        add_point(p, x - r, y - r, "m\n");
        add_point(p, x + r, y + r, "l\nS\n");
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
    if (p->page) begin_graphics(p);
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
    page_flush(p);
    HPDF_Page_DrawImage(p->page, img, (HPDF_REAL)x, (HPDF_REAL)(p->page_h - y - h), (HPDF_REAL)w, (HPDF_REAL)h);
    return CD_OK;
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

/* ======================================================================
 * libharu's stream compression, through libdeflate
 * ====================================================================== */

/* libharu compresses every content stream and font program with zlib at its
 * default level, 4 KB at a time through three stack buffers: about a quarter
 * of a document's instructions (bench/RESULTS.md, section 8). libdeflate
 * (Debian's libdeflate-dev) writes the same zlib format, compresses a whole
 * buffer at once, and at level 5 is about three times as fast as zlib at
 * level 6 for the same size (level 6 gains under 0.2% of a document for a
 * quarter more time). Two compressors per process (levels 5 and 1), made
 * on first use and freed at exit (so that valgrind finds nothing held). */
static struct libdeflate_compressor *compressors[2];

static void free_compressors(void)
{
    for (int i = 0; i < 2; i++) {
        if (compressors[i]) libdeflate_free_compressor(compressors[i]);
        compressors[i] = NULL;
    }
}

static struct libdeflate_compressor *compressor(bool fast)
{
    static bool registered;
    if (!compressors[fast]) {
        if (!registered) registered = atexit(free_compressors) == 0;
        compressors[fast] = libdeflate_alloc_compressor(fast ? 1 : 5);
    }
    return compressors[fast];
}

unsigned char *cd_pdf_deflate(const void *in, size_t n, bool fast, size_t *out_n)
{
    struct libdeflate_compressor *c = compressor(fast);
    if (!c) return NULL;
    size_t cap = libdeflate_zlib_compress_bound(c, n);
    unsigned char *out = malloc(cap ? cap : 1);
    if (!out) return NULL;
    *out_n = libdeflate_zlib_compress(c, in, n, out, cap);
    if (*out_n == 0) { free(out); return NULL; }     /* cannot happen with the bound */
    return out;
}

/* libharu 2.3.0's function with the same contract (src's bytes, from its
 * start, FlateDecode-compressed onto the end of dst), reached through its
 * GOT as HPDF_MemStream_SeekFunc above. libharu's own encryption (e) is
 * never used: courtdocs encrypts with qpdf (pdf_encrypt.c). */
HPDF_STATUS HPDF_Stream_WriteToStreamWithDeflate(HPDF_Stream src, HPDF_Stream dst, HPDF_Encrypt e)
{
    if (e) return HPDF_SetError(src->error, HPDF_UNSUPPORTED_FUNC, 0);
    HPDF_STATUS ret = HPDF_Stream_Seek(src, 0, HPDF_SEEK_SET);
    if (ret != HPDF_OK) return ret;
    HPDF_UINT32 size = src->size;
    unsigned char *in = malloc(size ? size : 1);
    if (!in) return HPDF_SetError(src->error, HPDF_FAILD_TO_ALLOC_MEM, 0);
    HPDF_UINT got = 0;
    while (got < size) {
        HPDF_UINT n = size - got;
        ret = HPDF_Stream_Read(src, in + got, &n);
        got += n;
        if (ret == HPDF_STREAM_EOF || n == 0) break;
        if (ret != HPDF_OK) { free(in); return ret; }
    }
    size_t z_len = 0;
    unsigned char *z = cd_pdf_deflate(in, got, false, &z_len);
    free(in);
    if (!z) return HPDF_SetError(src->error, HPDF_FAILD_TO_ALLOC_MEM, 0);
    ret = HPDF_Stream_Write(dst, z, (HPDF_UINT)z_len);
    free(z);
    return ret;
}

/* libharu 2.3.0 copies and clears memory a byte at a time (HPDF_MemCpy,
 * HPDF_MemSet: every number it formats starts with a memset, every stream
 * write is a HPDF_MemCpy); these are the same functions, with the same
 * results (the end of the area), through the C library. */
HPDF_BYTE *HPDF_MemCpy(HPDF_BYTE *out, const HPDF_BYTE *in, HPDF_UINT n)
{
    if (n) memmove(out, in, n);
    return out + n;
}

void *HPDF_MemSet(void *s, HPDF_BYTE c, HPDF_UINT n)
{
    if (n) memset(s, c, n);
    return (HPDF_BYTE *)s + n;
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
    cd_pdf_mark_end(p);
    cd_pdf_end_text(p);
    page_flush(p);
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
    int rc = hpdf_check(p, "setting the document information", err);
    if (rc) return rc;
    for (int i = 0; i < 4; i++) {
        HPDF_STATUS st = p->fonts[i] ? cd_pdf_font_finish(p->fonts[i]) : HPDF_OK;
        if (st != HPDF_OK && !p->err_no) p->err_no = st;
    }
    rc = hpdf_check(p, "embedding the fonts", err);
    if (rc) return rc;
    rc = cd_tagger_finish(p, meta, err);        /* after the last libharu object */
    if (!rc) rc = hpdf_check(p, "writing the document structure", err);
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
    rc = cd_tagger_append(p, &b, &got, err);
    if (rc) { free(b); return rc; }
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
