/* layout_int.h -- internals shared by the layout engine's files (layout.c,
 * layout_text.c, layout_table.c, layout_chart.c). Not for other modules:
 * they use layout.h only.
 *
 * The engine works in three passes over the recorded blocks:
 *   1. measure: each block becomes a list of boxes (a line of text, a table
 *      row, a chart, an image...) with a height and "keep" flags;
 *   2. paginate: boxes are placed on pages in order, each exactly once;
 *   3. draw: each page's boxes are drawn through pdf.h.
 */
#ifndef CD_LAYOUT_INT_H
#define CD_LAYOUT_INT_H
#include "layout.h"
#include "arena.h"
#include "pdf.h"
#include "strbuf.h"
#include <stdint.h>

/* A span as recorded (text copied into the document's arena). */
typedef struct {
    char *text;
    unsigned style;
} lay_span;

typedef struct {
    lay_span *spans;
    size_t n;
} lay_text;

typedef enum {
    BLK_HEADING, BLK_PARA, BLK_LIST, BLK_LABEL_VALUE, BLK_SPACE, BLK_RULE,
    BLK_PAGE_BREAK, BLK_ANCHOR, BLK_TABLE, BLK_CHART, BLK_IMAGE, BLK_SIGNATURE,
    BLK_KEEP_NEXT, BLK_KEEP_BEGIN, BLK_KEEP_END,
    BLK_SECTION_BEGIN, BLK_SECTION_END
} lay_block_kind;

typedef struct {
    cd_row_kind kind;
    bool marked;
    lay_text *cells;                  /* ncols */
} lay_row;

struct cd_table {
    cd_doc *doc;
    int number;                       /* 1-based order among the document's tables */
    cd_column *cols;
    size_t ncols;
    cd_table_style style;
    lay_row *rows;
    size_t nrows, cap;
};

typedef struct {
    lay_block_kind kind;
    lay_text text;                    /* heading, para, list, label-value value */
    int level;                        /* heading 1..4, list 1..3 */
    int number;                       /* list number (<= 0 = bullet) */
    cd_para_style para;               /* para options */
    char *label;                      /* label-value label; anchor and section name */
    char *title;                      /* anchor bookmark title */
    double width;                     /* label width, space points, image width */
    cd_align align;                   /* image */
    char *path;                       /* image */
    char *sig_name, *sig_role, *sig_date;
    cd_table *table;
    cd_chart chart;                   /* deep-copied */
    char *link;                       /* the anchor a click on the block goes to; NULL = none */
    cd_running_line section_footer;   /* section begin: the line at the foot of its pages */
    bool has_section_footer;
} lay_block;

struct cd_doc {
    cd_arena *arena;
    cd_page_setup setup;              /* strings copied into arena */
    FILE *warnings;
    lay_block *blocks;
    size_t nblocks, cap;
    int ntables;
};

/* ---- pass 1: text prepared and broken into lines ---------------------------- */

/* A piece of one line drawn in one face: prepared UTF-8 (every code point has
 * a glyph), its x from the line start and width. gap > 0: a space of that
 * width precedes it (a break opportunity); gapno counts such gaps in the line
 * (for justification). */
typedef struct {
    const char *s;
    uint32_t len;
    uint8_t face;
    uint16_t gapno;
    float x, w, gap;
} lay_frag;

typedef struct {
    uint32_t first, n;                /* frags */
    float width;                      /* natural width */
    uint16_t ngaps;
    bool last;                        /* last of a paragraph or before a hard break: never justified */
} lay_line;

/* A grid: a table, or a run of label-value blocks (two borderless columns). */
typedef struct {
    const cd_table *table;            /* NULL for label-value */
    size_t ncols, nrows;
    double *colx, *colw;              /* from the text left edge */
    cd_align *align;
    double size, lh, pad;
    bool rules, zebra, is_lv;
    cd_row_kind *kind;
    bool *marked;
    uint32_t *body_index;             /* order among body rows (zebra) */
    uint32_t *cell_first, *cell_n;    /* [row * ncols + col]: lines of each cell */
    size_t *hdr_rows, nhdr;           /* header rows, repeated on every page */
    double hdr_h;
    bool hdr_placed;                  /* pagination: its header is on some page */
} lay_grid;

/* ---- pass 2: boxes, placed on pages ----------------------------------------- */

typedef enum {
    BOX_LINE, BOX_SPACE, BOX_RULE, BOX_ROW, BOX_CHART, BOX_IMAGE, BOX_SIG,
    BOX_BREAK, BOX_ANCHOR
} lay_box_kind;

typedef struct {
    uint8_t kind;
    uint8_t align;
    bool keep_next;                   /* never a page break between this and the next box */
    bool boxed_top, boxed_bottom, boxed;
    float gap;                        /* space before, dropped at the top of a page */
    float h;                          /* height */
    float x, w;                       /* left (from the text left edge) and width */
    float size;
    uint32_t block;
    uint32_t a, b, c, d;              /* line: a = line; row: a = grid, b = row, [c, d) lines */
    const char *marker;               /* list bullet or number, drawn left of x */
    /* placement */
    int page;
    float y;                          /* top, from the page top */
} lay_box;

typedef struct {
    int page;
    size_t grid;
    float y;
} lay_repeat;                         /* a table header repeated at a page top */

/* An anchor's page (1-based); for a section's anchor, pages = its page count
 * (0 for a plain anchor). */
typedef struct { char *name; int page, pages; float y; } lay_anchor_page;

/* A section as laid out: its boxes [first_box, last_box] (the breaks that
 * open and close it included), the block that began it, its pages. */
typedef struct {
    size_t block, first_box, last_box;
    int first_page, last_page;        /* 0-based; -1 until paginated */
} lay_section;

/* Tagging state while pass 3 draws (layout_tag.c): the open elements. */
typedef struct {
    int root;                         /* the Document */
    size_t block;                     /* block of the last box tagged */
    int elem;                         /* where the block's content goes */
    int figure, caption;              /* the open chart's elements */
    int list[4], list_body[4], list_depth, label;   /* open lists, by level */
    size_t grid, row;                 /* the open table (grid) and row */
    int table, *cells;                /* its element and the row's cells */
    int link_parent, link;            /* the Link made inside link_parent */
    bool in_artifact;                 /* drawing a repeated header */
    int *box_link;                    /* [box]: the Link element its content went to, 0 = none */
} lay_tags;

/* Everything one render needs; the pass arena is freed between passes. */
typedef struct {
    cd_doc *doc;
    cd_font_family *font;
    cd_arena *pass;                   /* per pass */
    double page_w, page_h, text_w, body_top, body_bottom, base;
    lay_frag *frags; size_t nfrags, cap_frags;
    lay_line *lines; size_t nlines, cap_lines;
    lay_box *boxes; size_t nboxes, cap_boxes;
    lay_grid *grids; size_t ngrids, cap_grids;
    lay_repeat *repeats; size_t nrepeats, cap_repeats;
    lay_section *sections; size_t nsections, cap_sections;
    struct lay_page_row *page_rows;   /* pass 3: the table rows on the page being drawn */
    size_t npage_rows, cap_page_rows;
    bool in_section;                  /* measuring inside a section */
    int npages;
    double pending_gap;               /* space after the previous block */
    size_t *keeps; size_t nkeeps, cap_keeps;   /* open keep groups: their first box */
    /* anchors: pages known from the previous pass */
    lay_anchor_page *known; size_t nknown;
    bool has_page_refs;
    char unknown_anchor[128];         /* first reference to an anchor that does not exist */
    /* bookmarks while pass 3 draws (layout.c, bookmark_box) */
    int h1_bookmark;                  /* H2 bookmarks go under it (-1: none yet) */
    size_t bookmarked_block;          /* the last heading bookmarked */
    /* missing glyphs reported this render */
    uint32_t *warned; size_t nwarned, cap_warned;
    cd_strbuf scratch;                /* text being drawn */
    struct lay_token *toks; size_t ntoks, cap_toks;   /* line breaking scratch */
    cd_error *err;
    int rc;                           /* first error */
    lay_tags tags;                    /* pass 3: the structure being tagged */
} lay_ctx;

/* layout_text.c */
int  lay_face(lay_ctx *c, unsigned style);
void lay_break_text(lay_ctx *c, const lay_text *t, unsigned style_or, double size,
                    double width, size_t *first, size_t *n);
/* The width of the widest unbreakable run of t (*min_w, its min-content
 * width) and of its longest line when nothing wraps (*max_w, max-content). */
void lay_text_extent(lay_ctx *c, const lay_text *t, unsigned style_or, double size,
                     double *min_w, double *max_w);
const char *lay_prepare(lay_ctx *c, const char *s, int face, double size, double *width);
void lay_draw_line(lay_ctx *c, cd_pdf *pdf, const lay_line *l, double x, double width,
                   double baseline, double size, cd_align align, cd_rgb colour);

/* layout_table.c */
void lay_measure_table(lay_ctx *c, size_t block);
void lay_measure_label_values(lay_ctx *c, size_t first_block, size_t nblocks);
/* A row box's text (its cells' lines), or a grid's header rows repeated at
 * y; their shading and lines are drawn with the page's decorations. */
void lay_draw_row(lay_ctx *c, cd_pdf *pdf, const lay_box *b, double y);
void lay_draw_header_repeat(lay_ctx *c, cd_pdf *pdf, size_t grid, double y);
/* The shading and lines of every table row on the page (its headers
 * repeated from c->repeats[repeat], its boxes from c->boxes[box]), drawn
 * before their text, as one artifact. Touching rows of a grid are drawn as
 * blocks (a header row ends one): the block's shading, then one rectangle,
 * a line per boundary between rows and each column line once, then the
 * rules under headers and above totals. Nothing when the page has no table
 * rows. */
void lay_draw_table_decorations(lay_ctx *c, cd_pdf *pdf, int page, size_t box, size_t repeat);

/* layout_chart.c */
void lay_draw_chart(lay_ctx *c, cd_pdf *pdf, const cd_chart *ch, double x, double y,
                    double w, double h);
/* Formats v with the given decimals, '.' as the point whatever the locale. */
void lay_format_number(double v, int decimals, char *out, size_t n);

/* layout_tag.c: the structure of what pass 3 draws (see the file's top). */
void lay_tag_start(lay_ctx *c, cd_pdf *pdf);
/* Around each box drawn: opens its block's elements when it is the block's
 * first box, marks the box's content (rows: cell by cell, lay_tag_cell). */
void lay_tag_box_begin(lay_ctx *c, cd_pdf *pdf, const lay_box *b);
void lay_tag_box_end(lay_ctx *c, cd_pdf *pdf, const lay_box *b);
/* After a list item's bullet or number: the rest is its body. */
void lay_tag_marker_done(lay_ctx *c, cd_pdf *pdf);
/* Before a table cell's lines (not inside repeated headers). */
void lay_tag_cell(lay_ctx *c, cd_pdf *pdf, size_t col);
/* Around a page's table decorations (lay_draw_table_decorations). */
void lay_tag_decoration(lay_ctx *c, cd_pdf *pdf);
void lay_tag_decoration_end(lay_ctx *c, cd_pdf *pdf);
/* After the last page. */
void lay_tag_finish(lay_ctx *c, cd_pdf *pdf);
/* Just before the link annotation of box i (to page, 1-based) is made:
 * the annotation joins the box's Link element, described for screen readers. */
void lay_tag_link(lay_ctx *c, cd_pdf *pdf, size_t i, int page);

int lay_fail(lay_ctx *c, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
