/* pdf_a11y.h -- internals shared by the PDF writer's files (pdf.c,
 * pdf_tag.c, pdf_encrypt.c) for accessibility and encryption: the hooks
 * pdf.c calls while it builds and saves a document, and the accessors
 * pdf_tag.c uses to reach the libharu document and pages. Not for other
 * modules: they use pdf.h. */
#ifndef CD_PDF_A11Y_H
#define CD_PDF_A11Y_H
#include "pdf.h"
#include <hpdf.h>
#include "strbuf.h"

/* ---- pdf.c gives pdf_tag.c ------------------------------------------------- */

HPDF_Doc    cd_pdf_hdoc(cd_pdf *p);
/* The libharu page at index (0-based), or NULL when out of range. */
HPDF_Page   cd_pdf_hpage(cd_pdf *p, int index);
/* Index of the page being drawn (-1 before the first). */
int         cd_pdf_current_page(const cd_pdf *p);
int         cd_pdf_page_count(const cd_pdf *p);
/* Ends the text object (BT) pdf.c may keep open between text calls. */
void        cd_pdf_end_text(cd_pdf *p);
/* Begins a marked-content sequence, ending any open one: with mcid >= 0
 * the operator "/tag<</MCID mcid>>BDC\n", where tag (len bytes, at most 8)
 * is stored padded so that 8 bytes can be read; else tag is the whole
 * operator (an artifact's "/Artifact<<...>>BDC\n"). tag must outlive the
 * sequence (a constant). pdf.c writes it just before the next content
 * drawn, inside or outside a text object as that content needs. */
void        cd_pdf_mark_open(cd_pdf *p, const char *tag, size_t len, int mcid);
/* Ends the open marked-content sequence (written even when empty). */
void        cd_pdf_mark_close(cd_pdf *p);
/* The document's structure recorder (created with the document). */
typedef struct cd_tagger cd_tagger;
cd_tagger  *cd_pdf_tagger(cd_pdf *p);

/* Appends a PDF number with at most two decimals and a space ("12.5 "),
 * as pdf.c writes coordinates. */
void cd_pdf_add_number(cd_strbuf *b, double v);

/* Deflates n bytes as a zlib (FlateDecode) stream with libdeflate, at level 5
 * (what libharu's streams get) or, when fast, level 1 (4 times as fast, a
 * third larger), into a malloc'd buffer of *out_n bytes; NULL when out of
 * memory. The compressors are made once per process. */
unsigned char *cd_pdf_deflate(const void *in, size_t n, bool fast, size_t *out_n);

/* ---- pdf_tag.c gives pdf.c -------------------------------------------------- */

cd_tagger *cd_tagger_new(void);                 /* NULL when out of memory */
void       cd_tagger_free(cd_tagger *t);        /* NULL is fine */
/* Called by pdf.c when a text object must end while a marked-content
 * sequence begun inside it is open: the sequence has been ended, and the
 * tagger begins another for the same element (a new MCID) or artifact. */
void cd_tagger_reopen(cd_pdf *p);
/* Called by cd_pdf_link for each link annotation it makes on page: it joins
 * the Link element given by cd_pdf_tag_link, if any. */
void cd_tagger_annot(cd_pdf *p, int page, HPDF_Annotation a);
/* Called once just before libharu writes the document, after the last
 * object libharu writes has been made (the fonts): closes any marked content
 * left open; adds the catalog's /Lang, /MarkInfo, /ViewerPreferences, XMP
 * metadata stream (PDF/UA-1 identification, Dublin Core title matching the
 * Info dictionary's) and /StructTreeRoot (a reference to the first object
 * number after libharu's), /StructParents on pages and /StructParent on link
 * annotations; raises the header to PDF 1.7. */
int cd_tagger_finish(cd_pdf *p, const cd_pdf_meta *meta, cd_error *err);
/* Called with libharu's whole output (*pdf, *len bytes, malloc'd): appends
 * the structure tree and the bookmarks as an incremental update (one
 * compressed object stream and a cross-reference stream), reallocating
 * *pdf. Nothing is appended when there is neither (an untagged build of a
 * document without bookmarks). */
int cd_tagger_append(cd_pdf *p, unsigned char **pdf, size_t *len, cd_error *err);

/* ---- pdf_encrypt.c ------------------------------------------------------------ */

/* Encrypts the PDF in (in_len bytes) with AES-256, security handler
 * revision 6, user password password and a random owner password; printing
 * allowed, copying denied, accessibility extraction allowed. *out is a
 * malloc'd buffer the caller frees. Errors are CD_EGENERAL with qpdf's
 * message (never the password). */
int cd_pdf_encrypt(const unsigned char *in, size_t in_len, const char *password,
                   unsigned char **out, size_t *out_len, cd_error *err);

#endif
