/* pdf.h -- the PDF writer: the only module that talks to libharu. It knows
 * nothing of cases, templates or layout rules: it measures text with the
 * embedded TrueType family's real metrics, draws text, lines, shapes and PNG
 * images on pages, records the document's logical structure (tagged PDF),
 * and writes the file (metadata, compression, AES-256 encryption through
 * qpdf) through a temporary file renamed into place.
 *
 * Coordinates given to the drawing calls are in points from the TOP-LEFT
 * corner of the page (y grows downwards); text is placed by its baseline.
 * Faces are numbered by style bits: 0 regular, 1 bold, 2 italic, 3 bold
 * italic (the same bits as CD_SPAN_BOLD / CD_SPAN_ITALIC). */
#ifndef CD_PDF_H
#define CD_PDF_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "courtdocs.h"

/* ---- fonts and measuring (process-wide, cached) ---------------------------- */

enum { CD_FACE_REGULAR = 0, CD_FACE_BOLD = 1, CD_FACE_ITALIC = 2, CD_FACE_BOLD_ITALIC = 3 };

/* A TrueType family: DIR/STEM.ttf, DIR/STEM-Bold.ttf, DIR/STEM-Oblique.ttf
 * (or -Italic), DIR/STEM-BoldOblique.ttf (or -BoldItalic). Each face's
 * metrics are read from its cmap and hmtx tables the first time the face is
 * used and kept for the life of the process (a batch renders thousands of
 * documents; it reads each face's metrics once). Not thread-safe. */
typedef struct cd_font_family cd_font_family;

/* Finds (or creates) the cached family; checks the regular face is readable.
 * The returned family lives until cd_font_cache_clear(). */
int cd_font_family_get(const char *dir, const char *stem, cd_font_family **out, cd_error *err);

/* Loads the face's metrics if not yet loaded (errors name the file). */
int cd_font_face_ready(cd_font_family *f, int face, cd_error *err);

/* True when the face has a glyph for the code point (face must be ready). */
bool cd_font_has_glyph(const cd_font_family *f, int face, uint32_t cp);

/* Advance width of one code point in thousandths of an em (face ready);
 * a missing glyph measures as U+FFFD. */
double cd_font_advance(const cd_font_family *f, int face, uint32_t cp);

/* Width in points of n bytes of valid UTF-8 at the size (face ready). */
double cd_font_text_width(const cd_font_family *f, int face, double size,
                          const char *utf8, size_t n);

/* Frees every cached family (tests, leak checkers; not needed otherwise). */
void cd_font_cache_clear(void);

/* Decodes one UTF-8 sequence at s (n bytes available); returns its length
 * (>= 1) and stores the code point, or U+FFFD for an invalid sequence
 * (overlong, surrogate, out of range, truncated), consuming one byte. */
size_t cd_utf8_decode(const char *s, size_t n, uint32_t *cp);
/* Encodes cp as UTF-8 into out (4 bytes room); returns the length. */
size_t cd_utf8_encode(uint32_t cp, char out[4]);

/* ---- drawing ------------------------------------------------------------------ */

typedef struct cd_pdf cd_pdf;

/* Starts a PDF that draws with the family (faces loaded into it lazily). */
int  cd_pdf_new(cd_font_family *family, cd_pdf **out, cd_error *err);
void cd_pdf_free(cd_pdf *p);                        /* NULL is fine */

/* Adds a page (the current page for drawing calls). Returns its index from 0. */
int  cd_pdf_add_page(cd_pdf *p, double width, double height);

typedef struct { double r, g, b; } cd_rgb;          /* 0..1 */

/* Text at a baseline, left edge x; text is valid UTF-8 whose code points the
 * face has (the layout engine replaces the others before measuring). */
void cd_pdf_text(cd_pdf *p, int face, double size, cd_rgb colour,
                 double x, double baseline, const char *utf8, size_t n);
/* Text rotated by degrees counter-clockwise about (x, baseline). */
void cd_pdf_text_rotated(cd_pdf *p, int face, double size, cd_rgb colour,
                         double x, double baseline, double degrees, const char *utf8);

/* Line dash patterns, distinguishable in black and white. */
typedef enum { CD_DASH_SOLID, CD_DASH_DASHED, CD_DASH_DOTTED, CD_DASH_DASH_DOT, CD_DASH_LONG } cd_dash;

void cd_pdf_line(cd_pdf *p, double x1, double y1, double x2, double y2,
                 double width, cd_rgb colour, cd_dash dash);
/* A polyline through n points (xs[i], ys[i]). */
void cd_pdf_polyline(cd_pdf *p, const double *xs, const double *ys, size_t n,
                     double width, cd_rgb colour, cd_dash dash);
void cd_pdf_rect_fill(cd_pdf *p, double x, double y, double w, double h, cd_rgb fill);
void cd_pdf_rect_stroke(cd_pdf *p, double x, double y, double w, double h,
                        double width, cd_rgb colour);
/* Diagonal hatching inside a rectangle (bar fills that survive greyscale);
 * spacing in points, direction +1 or -1. */
void cd_pdf_rect_hatch(cd_pdf *p, double x, double y, double w, double h,
                       double spacing, int direction, cd_rgb colour);
/* Point markers for line charts: 0 circle, 1 square, 2 triangle, 3 diamond,
 * 4 cross (filled in colour, except the cross). */
void cd_pdf_marker(cd_pdf *p, int shape, double x, double y, double size, cd_rgb colour);

/* PNG files: cd_pdf_png_size checks the file (exists, PNG signature, IHDR)
 * and gives its pixel size; errors are CD_EINPUT naming the file. */
int  cd_pdf_png_size(const char *path, unsigned *width, unsigned *height, cd_error *err);
/* Draws the PNG with its top-left corner at (x, y) scaled to w x h. */
int  cd_pdf_png(cd_pdf *p, const char *path, double x, double y, double w, double h, cd_error *err);


/* ---- tagged PDF (pdf_tag.c) -----------------------------------------------------
 * The caller builds the logical structure while it draws: elements are
 * created as children of an element (the Document is cd_pdf_tag_root), in
 * reading order; content drawn between cd_pdf_mark_begin(elem) and
 * cd_pdf_mark_end belongs to elem; content drawn between
 * cd_pdf_artifact_begin and _end is not part of the document's text (running
 * lines, decoration). A marked sequence never spans pages; beginning one
 * ends the one open. docs/layout.md says how the layout uses them. */

/* A build with -DCD_UNTAGGED draws the same pages with no structure, marked
 * content or artifacts: bench/tagging.sh measures what tagging costs with it.
 * A bench build with -DCD_TAGGING_SWITCH (never the program's own) makes
 * CD_TAGGING a variable instead, cd_tagging_on (pdf_tag.c, 1 at start), so
 * that one process can render a document tagged and untagged in turn
 * (bench/tagging_ab.c); it may change only between documents. The other
 * builds keep a constant, so the compiler drops the code it turns off. */
#if defined CD_TAGGING_SWITCH && defined CD_UNTAGGED
#error "CD_TAGGING_SWITCH and CD_UNTAGGED exclude each other"
#elif defined CD_TAGGING_SWITCH
extern int cd_tagging_on;
#define CD_TAGGING cd_tagging_on
#elif defined CD_UNTAGGED
#define CD_TAGGING 0
#else
#define CD_TAGGING 1
#endif

typedef enum {
    CD_TAG_DOCUMENT, CD_TAG_H1, CD_TAG_H2, CD_TAG_H3, CD_TAG_H4, CD_TAG_P, CD_TAG_L, CD_TAG_LI,
    CD_TAG_LBL, CD_TAG_LBODY, CD_TAG_TABLE, CD_TAG_TR, CD_TAG_TH, CD_TAG_TD, CD_TAG_FIGURE,
    CD_TAG_CAPTION, CD_TAG_LINK
} cd_tag_type;

typedef enum {
    CD_ARTIFACT_LAYOUT,       /* rules, shading, lines that only decorate */
    CD_ARTIFACT_PAGINATION,   /* repeated table headers */
    CD_ARTIFACT_HEADER, CD_ARTIFACT_FOOTER, CD_ARTIFACT_WATERMARK
} cd_artifact;

int  cd_pdf_tag_root(cd_pdf *p);
/* A new element, the last child of parent so far; returns its id. */
int  cd_pdf_tag_new(cd_pdf *p, int parent, cd_tag_type type);
/* The element's alternative text (/Alt), e.g. a Figure's; copied. */
void cd_pdf_tag_alt(cd_pdf *p, int elem, const char *alt);
/* A TH's scope: column (true) or row (false) headers. */
void cd_pdf_tag_scope(cd_pdf *p, int elem, bool column);
void cd_pdf_mark_begin(cd_pdf *p, int elem);
void cd_pdf_mark_end(cd_pdf *p);
void cd_pdf_artifact_begin(cd_pdf *p, cd_artifact kind);
void cd_pdf_artifact_end(cd_pdf *p);
/* A bookmark to page_index at y (from the top), under the bookmark parent
 * (an id this returned; -1 = top level). Returns its id, or -1. */
int  cd_pdf_bookmark(cd_pdf *p, int parent, int page_index, double y, const char *title);
/* A link: clicking the rectangle (x, y from the top left, w, h) of page
 * from_page goes to page to_page at to_y. Both pages must exist already
 * (links are made after every page is drawn); an unknown page is ignored. */
void cd_pdf_link(cd_pdf *p, int from_page, double x, double y, double w, double h,
                 int to_page, double to_y);
/* The next link made (cd_pdf_link) is the content of the Link element
 * link_elem, described by contents for assistive technology ("Go to
 * Chronology, page 4"); copied. */
void cd_pdf_tag_link(cd_pdf *p, int link_elem, const char *contents);

/* ---- writing ------------------------------------------------------------------ */

typedef struct {
    const char *title, *author, *subject, *keywords;
    const char *password;   /* user password; NULL = no encryption */
} cd_pdf_meta;              /* the documents' language is en-GB (/Lang) */

/* Writes the PDF to out_path through outfile.h (temporary file beside it,
 * mode 0600, fsync, rename; a special file or link at out_path is refused).
 * After any error no file is left behind. */
int cd_pdf_save(cd_pdf *p, const cd_pdf_meta *meta, const char *out_path, cd_error *err);
/* Writes to a malloc'd buffer (the caller frees it). */
int cd_pdf_save_buffer(cd_pdf *p, const cd_pdf_meta *meta, unsigned char **buf,
                       size_t *len, cd_error *err);

#endif
