/* layout.h -- the layout engine's API: a document is built as a flow of
 * blocks (headings, paragraphs, lists, label-value blocks, tables, charts,
 * images, signature blocks, page breaks), then laid out into pages and
 * written as PDF. The layout engine measures text with the real font metrics
 * (through pdf.h), breaks lines, paginates (never losing or repeating a line,
 * row or chart; never leaving a heading alone at a page foot; repeating table
 * header rows on every page), draws charts as vectors, and hands the pages to
 * the PDF writer.
 *
 * It knows nothing of cases, templates or XPath: the template module is its
 * only caller. All strings are UTF-8 and are copied by the engine (the caller
 * keeps ownership of what it passes). Lengths are in PDF points (1/72 inch).
 */
#ifndef CD_LAYOUT_H
#define CD_LAYOUT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "courtdocs.h"

typedef struct cd_doc cd_doc;

/* ---- page set-up ---------------------------------------------------------- */

typedef enum { CD_PAPER_A4, CD_PAPER_LETTER } cd_paper;

/* Running header and footer text may hold {page} and {pages} ("Page {page} of
 * {pages}"), replaced when the page count is known. Each of left, centre and
 * right may be NULL. */
typedef struct {
    const char *left, *centre, *right;
} cd_running_line;

typedef struct {
    cd_paper paper;                        /* default A4 */
    double margin_top, margin_bottom, margin_left, margin_right;  /* 0 = 56.7 (20 mm) */
    const char *marking;                   /* protective marking, drawn centred at top
                                              and bottom of every page, e.g. "OFFICIAL-SENSITIVE";
                                              NULL = none */
    cd_running_line header, footer;        /* every page ... */
    bool first_page_differs;               /* ... except page 1 when true, which uses: */
    cd_running_line first_header, first_footer;
    const char *font_dir;                  /* folder with the TrueType family; NULL = "fonts" */
    const char *font_family;               /* file stem, e.g. "DejaVuSans"; NULL = default */
    double base_font_size;                 /* body text size, 0 = 10 */
    bool draft;                            /* overprint "DRAFT" on every page */
} cd_page_setup;

/* Document information written to the PDF. */
typedef struct {
    const char *title, *author, *subject, *keywords;
    const char *password;                  /* user password; NULL = not encrypted.
                                              When set: printing allowed, copying denied. */
} cd_doc_info;

/* The most pages a document may have: rendering a longer one fails with a
 * clear error (a template with a runaway loop must not fill the disk). */
#define CD_LAYOUT_MAX_PAGES 2000

/* Creates a document; NULL setup = all defaults. */
cd_doc *cd_doc_new(const cd_page_setup *setup);
void    cd_doc_free(cd_doc *d);                     /* NULL is fine */

/* Where warnings go (e.g. characters the font lacks, reported once per
 * character per document). NULL = nowhere. Default stderr. */
void    cd_doc_set_warnings(cd_doc *d, FILE *warnings);

/* ---- inline text ------------------------------------------------------------ */

/* CD_SPAN_NOWRAP: the span's inner spaces are not break opportunities (a
 * date such as "26 October 2026", an amount): it moves to the next line
 * whole, and a table column is made wide enough for it where the page
 * allows. Only a span wider than a whole line is broken (at its spaces first,
 * then between characters). */
enum { CD_SPAN_BOLD = 1, CD_SPAN_ITALIC = 2, CD_SPAN_NOWRAP = 4 };

/* A run of text with one style. Newlines inside a span are line breaks. */
typedef struct {
    const char *text;
    unsigned style;                        /* CD_SPAN_* flags */
} cd_span;

typedef enum { CD_ALIGN_LEFT, CD_ALIGN_RIGHT, CD_ALIGN_CENTRE, CD_ALIGN_JUSTIFY } cd_align;

/* Paragraph options; zero-initialised = body text, left aligned. */
typedef struct {
    double font_size;                      /* 0 = base size */
    cd_align align;
    double space_before, space_after;      /* 0 = defaults for the block kind */
    double indent;                         /* left indent */
    bool boxed;                            /* drawn inside a light shaded box (callouts) */
    bool keep_with_next;                   /* never the last block on a page */
} cd_para_style;

/* ---- blocks, appended in reading order -------------------------------------- */

/* A heading (level 1..4). Always kept with the block that follows it. */
void cd_doc_heading(cd_doc *d, int level, const cd_span *spans, size_t nspans);

/* A paragraph of inline spans; NULL style = body text. */
void cd_doc_paragraph(cd_doc *d, const cd_span *spans, size_t nspans, const cd_para_style *style);

/* A list item: bullet when number <= 0, else "number." ; level 1..3 indents. */
void cd_doc_list_item(cd_doc *d, int level, int number, const cd_span *spans, size_t nspans);

/* A label-value block: consecutive calls form one aligned two-column block
 * (label in bold on the left, value wrapping on the right). label_width 0 =
 * 30% of the text width. */
void cd_doc_label_value(cd_doc *d, const char *label, const cd_span *value,
                        size_t nvalue, double label_width);

/* Vertical space and a horizontal rule. */
void cd_doc_space(cd_doc *d, double points);
void cd_doc_rule(cd_doc *d);

/* An explicit page break (ignored at the top of a fresh page, and after a
 * page holding only what overflowed the page before when that is under a
 * third of a page: no page is left with a few lines). */
void cd_doc_page_break(cd_doc *d);

/* Keeping blocks together, for any kind of block:
 * cd_doc_keep_with_next: no page break between the last line (row, box) of
 * the block just appended and what follows it (a byline, a label).
 * cd_doc_keep_begin / cd_doc_keep_end: the blocks appended between them stay
 * on one page when they fit on one (a run taller than a page is broken where
 * the page is full). Pairs may nest; an unmatched end is ignored. */
void cd_doc_keep_with_next(cd_doc *d);
void cd_doc_keep_begin(cd_doc *d);
void cd_doc_keep_end(cd_doc *d);

/* Marks the current position with a name (e.g. "chronology"), so that text
 * anywhere in the document, including earlier, can show the page it lands on:
 * "{page:chronology}" in any span is replaced by that page number once the
 * document is laid out (an index on a cover sheet). An unknown name renders
 * as "?" and is reported by cd_doc_render as an error. Anchors also become
 * PDF bookmarks (outline entries) titled with the given title (NULL = none),
 * except that headings of level 1 and 2 make bookmarks themselves (H2 under
 * the H1 before it), and a titled anchor just before such a heading gives
 * that bookmark its title instead of making one of its own. */
void cd_doc_anchor(cd_doc *d, const char *name, const char *title);

/* A section: a run of whole pages (it starts on a fresh page, and what
 * follows it starts on a fresh page) named name, which is also an anchor
 * (so "{page:NAME}" and a bookmark titled title work for it). Its page count
 * is known after layout: "{pages:NAME}" in any text is replaced by the
 * number, "{pages:NAME NOUN}" by the number and the noun, plural when it is
 * not 1 ("2 pages", "1 page"). footer, when not NULL, is a line drawn at the
 * foot of each of the section's pages, in room taken from the body above
 * the running footer (a signature line on every page of a witness
 * statement): its text may hold {section-page} and {section-pages} as well
 * as {page} and {pages}. Sections do not nest: a begin inside a section
 * ends the one before. */
void cd_doc_section_begin(cd_doc *d, const char *name, const char *title, const cd_running_line *footer);
void cd_doc_section_end(cd_doc *d);

/* Makes the block appended last (a paragraph, heading, list item or
 * label-value row) a link to the anchor named anchor: clicking anywhere on
 * it goes to that place (a contents line). An anchor the document never
 * sets is reported by cd_doc_render as an error, as for "{page:NAME}". */
void cd_doc_link(cd_doc *d, const char *anchor);

/* ---- tables ------------------------------------------------------------------- */

/* Columns are laid out from their content, as a browser's automatic table
 * layout does: each column is at least as wide as its widest unbreakable run
 * (a word, a number, a CD_SPAN_NOWRAP span) when the page allows, and the
 * rest of the text width is shared by need (the content's unwrapped width
 * less that minimum). A word is broken only when it cannot fit on a line of
 * its own. */
typedef struct {
    double width;                          /* > 0: a maximum (points) that never cuts an
                                              unbreakable run; 0: as the content needs */
    double weight;                         /* share of the width left over once every
                                              column has its unwrapped width (0 = 1) */
    cd_align align;
} cd_column;

typedef enum { CD_ROW_HEADER, CD_ROW_BODY, CD_ROW_TOTAL } cd_row_kind;

typedef struct {
    bool rules;                            /* grid lines between cells */
    bool zebra;                            /* shade alternate body rows */
    double font_size;                      /* 0 = base size - 1 */
    const char *empty_message;             /* printed instead of the table when it has
                                              no body rows; NULL = "None." */
} cd_table_style;

typedef struct cd_table cd_table;

/* Starts a table. Maximum widths (cd_column.width) adding up to more than
 * the text width are an error reported by cd_doc_render (naming the table);
 * header rows are repeated at the top of every page the table runs onto; a
 * row is never split across pages unless it alone is taller than a page
 * (then it is split between lines); a table of up to 3 body rows is not
 * broken, a longer one leaves at least 2 body rows at a page's foot and head,
 * and a total row stays with the last body row. */
cd_table *cd_doc_table(cd_doc *d, const cd_column *cols, size_t ncols, const cd_table_style *style);

/* Appends a row of ncols cells; each cell is an array of spans.
 * Cells may be NULL (empty). marked = draw the row emphasised (e.g. a week
 * under the standard), as bold text on a light red background. */
void cd_table_row(cd_table *t, cd_row_kind kind, const cd_span *const *cells,
                  const size_t *ncell_spans, bool marked);

/* ---- charts ------------------------------------------------------------------- */

typedef enum { CD_CHART_LINE, CD_CHART_BAR } cd_chart_kind;

typedef struct {
    const char *name;                      /* legend entry */
    const double *values;                  /* one per category; NAN = no value */
    const double *bases;                   /* NULL, or one per category: how many
                                              observations the value rests on
                                              (NAN = unknown) */
} cd_chart_series;

typedef struct {
    cd_chart_kind kind;
    const char *title;
    const char *x_label, *y_label;
    const char *const *categories;         /* x-axis labels */
    size_t ncategories;
    const cd_chart_series *series;
    size_t nseries;
    double y_min, y_max;                   /* both 0 = from the data */
    const char *y_suffix;                  /* appended to tick labels, e.g. "%" */
    double height;                         /* 0 = 180 points */
    const char *alt_text;                  /* one sentence printed under the chart */
    double min_base;                       /* > 0: a value whose base is under this is
                                              drawn hollow (an unfilled marker or bar) */
    const char *hollow_label;              /* legend entry for hollow values; NULL =
                                              "base under N" */
} cd_chart;

/* Draws a chart as vectors: axes, ticks, labels, legend, then the alt text.
 * When any series has bases, each category's base is printed under its
 * label ("n=7"; "n=7/5" when the series differ, in series order). */
void cd_doc_chart(cd_doc *d, const cd_chart *chart);

/* ---- images and signatures ------------------------------------------------------ */

/* A PNG image, width in points (0 = natural size at 72 dpi, shrunk to fit).
 * A missing file or one that is not a PNG is an error (cd_doc_render names it). */
void cd_doc_image(cd_doc *d, const char *png_path, double width, cd_align align);

/* A signature block: a line to sign on, then name, role and date beneath. */
void cd_doc_signature(cd_doc *d, const char *name, const char *role, const char *date);

/* ---- output ---------------------------------------------------------------------- */

/* Lays out the document and writes the PDF to out_path through a temporary
 * file in the same folder, renamed into place, mode 0600; after any error no
 * file is left. *pages (if not NULL) receives the page count. */
int cd_doc_render(cd_doc *d, const cd_doc_info *info, const char *out_path,
                  int *pages, cd_error *err);

/* Lays out and writes to memory instead (malloc'd buffer owned by caller). */
int cd_doc_render_buffer(cd_doc *d, const cd_doc_info *info, unsigned char **buf,
                         size_t *len, int *pages, cd_error *err);

#endif
