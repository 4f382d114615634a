/* pdf_int.h -- private to the PDF writer (pdf.c, pdf_font.c): TrueType faces
 * parsed once per process, and the per-document font subsets that pdf.c
 * embeds instead of libharu's own TrueType embedding (docs/layout.md,
 * "Fonts: our own subsets"). */
#ifndef CD_PDF_INT_H
#define CD_PDF_INT_H
#include <hpdf.h>
#include <stddef.h>
#include <stdint.h>
#include "strbuf.h"

static inline uint16_t cd_be16(const unsigned char *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static inline uint32_t cd_be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* A TrueType face: the file's bytes and what subsetting and measuring need
 * (cmap as a code point -> glyph table, hmtx, loca/glyf, names, metrics).
 * Parsed once per process; not thread-safe (subsetting uses scratch arrays
 * kept in it). */
typedef struct cd_ttf cd_ttf;

/* Parses the face in data (len bytes; ownership passes to the face, which
 * frees it even on failure). NULL when the file is not a usable TrueType
 * font (needs head, hhea, maxp, hmtx, loca, glyf and a format-4 Unicode
 * cmap). */
cd_ttf *cd_ttf_parse(unsigned char *data, size_t len);
void cd_ttf_free(cd_ttf *t);                           /* NULL is fine */

/* The glyph for a BMP code point, 0 (.notdef) when the face has none. */
unsigned cd_ttf_glyph(const cd_ttf *t, uint32_t cp);
/* A glyph's advance width in thousandths of an em (exact, not rounded). */
double cd_ttf_advance(const cd_ttf *t, unsigned gid);

/* One face as used by one document: a Type0 font (Identity-H) whose CIDs
 * are given out in the order the document first draws each code point, and
 * whose embedded font program holds exactly the glyphs those code points
 * need (plus .notdef and the parts of composite glyphs), renumbered so that
 * glyph = CID. */
typedef struct cd_pdf_font cd_pdf_font;

/* Creates the font's (still empty) Type0 dictionary as an indirect object
 * of doc, so pages can name it at once. NULL on a libharu error (recorded
 * by the document's error handler). */
cd_pdf_font *cd_pdf_font_new(HPDF_Doc doc, cd_ttf *ttf);
/* The Type0 font dictionary (for HPDF_Page_GetLocalFontName). */
HPDF_Dict cd_pdf_font_dict(const cd_pdf_font *f);
/* Appends n bytes of UTF-8 text as a PDF string operand "(...)" of two-byte
 * CIDs, giving new code points their CIDs. Characters the face lacks are
 * drawn with U+FFFD's glyph (as measured) but keep their own Unicode value
 * in the ToUnicode map. */
void cd_pdf_font_encode(cd_pdf_font *f, const char *utf8, size_t n, cd_strbuf *out);
/* Fills the dictionary: descendant CIDFontType2 with /W for the CIDs used,
 * font descriptor, the subset font program (FontFile2) and a ToUnicode
 * CMap. Called once, before the document is saved; later calls do
 * nothing. Returns HPDF_OK or the first libharu error. */
HPDF_STATUS cd_pdf_font_finish(cd_pdf_font *f);
void cd_pdf_font_free(cd_pdf_font *f);                 /* NULL is fine */

/* The subset font program alone (tests and tools): writes the sfnt into
 * *out (malloc'd) for the code points cps[0..n) (CID i+1 = cps[i]); returns
 * the number of glyphs in it, 0 on failure. */
unsigned cd_ttf_subset(cd_ttf *t, const uint32_t *cps, size_t n, unsigned char **out,
                       size_t *out_len);

/* Ends the text object pdf.c keeps open across consecutive text runs (BT
 * ... ET), if one is open. pdf.c calls it before any other drawing, a new
 * page or saving; code that wraps text in marked content (BDC ... EMC)
 * calls it first so that the two nest. */
struct cd_pdf;
void cd_pdf_end_text(struct cd_pdf *p);

#endif
