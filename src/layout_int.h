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
    BLK_PAGE_BREAK, BLK_ANCHOR, BLK_TABLE, BLK_CHART, BLK_IMAGE, BLK_SIGNATURE
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
    char *label;                      /* label-value label; anchor name */
    char *title;                      /* anchor bookmark title */
    double width;                     /* label width, space points, image width */
    cd_align align;                   /* image */
    char *path;                       /* image */
    char *sig_name, *sig_role, *sig_date;
    cd_table *table;
    cd_chart chart;                   /* deep-copied */
} lay_block;

struct cd_doc {
    cd_arena *arena;
    cd_page_setup setup;              /* strings copied into arena */
    FILE *warnings;
    lay_block *blocks;
    size_t nblocks, cap;
    int ntables;
};

#endif
