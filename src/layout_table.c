/* layout_table.c -- grids for the layout engine: tables (fixed and
 * proportional columns, per-column alignment, header rows repeated on every
 * page, zebra shading, marked and total rows, the empty-table message) and
 * runs of label-value blocks, which are laid out as a borderless two-column
 * grid. Each row becomes one box, or several when the row alone is taller
 * than a page (split between lines); label-value rows become one box per
 * line so they break across pages like paragraphs. A row box draws only its
 * cells' text: the shading and grid lines of all the table rows on a page
 * are drawn first, once, as blocks of touching rows
 * (lay_draw_table_decorations). */
#include "layout_int.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VPAD 2.0
#define HPAD 3.0

static const cd_rgb HEADER_SHADE = {0.86, 0.86, 0.86};
static const cd_rgb ZEBRA_SHADE = {0.95, 0.95, 0.95};
static const cd_rgb MARKED_SHADE = {1.0, 0.86, 0.86};
static const cd_rgb GRID_GREY = {0.6, 0.6, 0.6};
static const cd_rgb INK = {0, 0, 0};

static lay_box *row_box(lay_ctx *c, size_t block, size_t grid, size_t row, uint32_t from,
                        uint32_t to, double h)
{
    lay_box *b = CD_PUSH(c->pass, c->boxes, c->nboxes, c->cap_boxes);
    memset(b, 0, sizeof *b);
    b->kind = BOX_ROW;
    b->block = (uint32_t)block;
    b->h = (float)h;
    b->w = (float)c->text_w;
    b->a = (uint32_t)grid;
    b->b = (uint32_t)row;
    b->c = from;
    b->d = to;
    b->page = -1;
    return b;
}

/* Lines in the tallest cell of a row (at least 1). */
static uint32_t row_lines(const lay_grid *g, size_t r)
{
    uint32_t m = 1;
    for (size_t k = 0; k < g->ncols; k++)
        if (g->cell_n[r * g->ncols + k] > m) m = g->cell_n[r * g->ncols + k];
    return m;
}

/* The height of a table row (or of the part of one on a page) holding
 * `lines` lines: the lines and the padding above and below. */
static double lines_height(const lay_grid *g, uint32_t lines)
{
    return lines * g->lh + 2 * VPAD;
}

static lay_grid *new_grid(lay_ctx *c, size_t ncols, size_t nrows, size_t *index)
{
    lay_grid *g = CD_PUSH(c->pass, c->grids, c->ngrids, c->cap_grids);
    memset(g, 0, sizeof *g);
    *index = c->ngrids - 1;
    cd_arena *a = c->pass;
    g->ncols = ncols;
    g->nrows = nrows;
    g->colx = cd_arena_alloc(a, ncols * sizeof *g->colx);
    g->colw = cd_arena_alloc(a, ncols * sizeof *g->colw);
    g->align = cd_arena_alloc(a, ncols * sizeof *g->align);
    g->kind = cd_arena_alloc(a, (nrows + 1) * sizeof *g->kind);
    g->marked = cd_arena_alloc(a, (nrows + 1) * sizeof *g->marked);
    g->body_index = cd_arena_alloc(a, (nrows + 1) * sizeof *g->body_index);
    g->cell_first = cd_arena_alloc(a, (nrows * ncols + 1) * sizeof *g->cell_first);
    g->cell_n = cd_arena_alloc(a, (nrows * ncols + 1) * sizeof *g->cell_n);
    g->hdr_rows = cd_arena_alloc(a, (nrows + 1) * sizeof *g->hdr_rows);
    return g;
}

/* The style a row's text is drawn in: headers, totals and marked rows bold. */
static unsigned row_style(const lay_row *row)
{
    return row->kind != CD_ROW_BODY || row->marked ? CD_SPAN_BOLD : 0;
}

/* Water-filling: widths w[k] = min(need[k], level), the level chosen so the
 * widths add up to total (every need is met when they fit). */
static void share_out(const double *need, double *w, size_t n, double total)
{
    double left = total;
    size_t open = n;
    bool *done = calloc(n ? n : 1, sizeof *done);
    if (!done) { fputs("courtdocs: out of memory\n", stderr); exit(1); }
    for (bool changed = true; changed && open > 0;) {
        changed = false;
        double level = left / (double)open;
        for (size_t k = 0; k < n; k++)
            if (!done[k] && need[k] <= level) {
                w[k] = need[k];
                left -= need[k];
                done[k] = true;
                open--;
                changed = true;
            }
    }
    for (size_t k = 0; k < n; k++)
        if (!done[k]) w[k] = left / (double)open;
    free(done);
}

/* Column widths from the content (the automatic table layout of CSS 2.1,
 * section 17.5.2.2, simplified): min[k] is the widest unbreakable run in
 * column k, max[k] its widest unwrapped line, both with the cell padding; a
 * column's width= caps max[k] (never below min[k]). Header cells count for
 * min[k] only: a heading wraps before the figures under it do, and room
 * left over once the figures fit goes first to unwrapping the headings (in
 * proportion to what each lacks).
 *   - everything fits unwrapped: each column gets max[k], and the width left
 *     over goes to the uncapped columns by weight x max[k];
 *   - the minimums fit: each gets min[k] plus a share of the rest by its
 *     need, max[k] - min[k]: the smaller needs are met in full, the largest
 *     share what is left equally (so short columns do not wrap to give a
 *     long note a few more points);
 *   - not even the minimums fit: narrow columns keep their minimum and the
 *     widest share what is left (their long words are then broken). */
static void column_widths(lay_ctx *c, const cd_table *t, double size, double *w)
{
    size_t n = t->ncols;
    double *mn = cd_arena_alloc(c->pass, 4 * n * sizeof *mn), *mx = mn + n, *hx = mx + n;
    double *add = hx + n;
    for (size_t k = 0; k < n; k++) mn[k] = mx[k] = hx[k] = 0;
    for (size_t r = 0; r < t->nrows; r++)
        for (size_t k = 0; k < n; k++) {
            double lo, hi;
            lay_text_extent(c, &t->rows[r].cells[k], row_style(&t->rows[r]), size, &lo, &hi);
            if (lo > mn[k]) mn[k] = lo;
            double *into = t->rows[r].kind == CD_ROW_HEADER ? &hx[k] : &mx[k];
            if (hi > *into) *into = hi;
        }
    double minsum = 0, maxsum = 0, total = c->text_w;
    for (size_t k = 0; k < n; k++) {
        mn[k] += 2 * HPAD + 0.5;      /* the padding, and a little slack for rounding */
        mx[k] += 2 * HPAD + 0.5;
        if (t->cols[k].width > 0 && mx[k] > t->cols[k].width)
            mx[k] = t->cols[k].width > mn[k] ? t->cols[k].width : mn[k];
        if (mx[k] < mn[k]) mx[k] = mn[k];
        minsum += mn[k];
        maxsum += mx[k];
    }
    if (maxsum <= total) {
        /* the room left first unwraps the headings, then goes by weight */
        double left = total - maxsum, hneed = 0;
        for (size_t k = 0; k < n; k++) {
            double want = hx[k] + 2 * HPAD + 0.5;
            if (t->cols[k].width > 0 && want > t->cols[k].width) want = t->cols[k].width;
            hx[k] = want > mx[k] ? want - mx[k] : 0;
            hneed += hx[k];
        }
        for (size_t k = 0; k < n; k++)      /* in proportion: headings wrap alike */
            add[k] = hneed > left ? hx[k] * left / hneed : hx[k];
        for (size_t k = 0; k < n; k++) {
            mx[k] += add[k];
            left -= add[k];
        }
        double share = 0;
        bool any_open = false;
        for (size_t k = 0; k < n; k++) any_open |= !(t->cols[k].width > 0);
        for (size_t k = 0; k < n; k++)
            if (!any_open || !(t->cols[k].width > 0))
                share += (t->cols[k].weight > 0 ? t->cols[k].weight : 1) * mx[k];
        for (size_t k = 0; k < n; k++) {
            w[k] = mx[k];
            if ((!any_open || !(t->cols[k].width > 0)) && share > 0)
                w[k] += left * (t->cols[k].weight > 0 ? t->cols[k].weight : 1) * mx[k] / share;
        }
    } else if (minsum <= total) {
        double *need = cd_arena_alloc(c->pass, n * sizeof *need);
        for (size_t k = 0; k < n; k++) need[k] = mx[k] - mn[k];
        share_out(need, w, n, total - minsum);
        for (size_t k = 0; k < n; k++) w[k] += mn[k];
    } else {
        share_out(mn, w, n, total);
    }
}

void lay_measure_table(lay_ctx *c, size_t bi)
{
    const cd_table *t = c->doc->blocks[bi].table;
    double gap = c->pending_gap > 4 ? c->pending_gap : 4;
    c->pending_gap = 0;
    double size = t->style.font_size > 0 ? t->style.font_size : c->base - 1;
    size_t nbody = 0;
    for (size_t r = 0; r < t->nrows; r++)
        if (t->rows[r].kind == CD_ROW_BODY) nbody++;
    if (nbody == 0) {                 /* the message instead of the table */
        lay_span sp = {(char *)t->style.empty_message, CD_SPAN_ITALIC};
        lay_text txt = {&sp, 1};
        size_t first, n;
        lay_break_text(c, &txt, 0, c->base, c->text_w, &first, &n);
        for (size_t i = 0; i < n; i++) {
            lay_box *b = CD_PUSH(c->pass, c->boxes, c->nboxes, c->cap_boxes);
            memset(b, 0, sizeof *b);
            b->kind = BOX_LINE;
            b->block = (uint32_t)bi;
            b->h = (float)(c->base * 1.25);
            b->w = (float)c->text_w;
            b->size = (float)c->base;
            b->a = (uint32_t)(first + i);
            b->gap = (float)(i == 0 ? gap : 0);
            b->keep_next = i + 1 < n;
            b->page = -1;
        }
        return;
    }
    size_t gi;
    lay_grid *g = new_grid(c, t->ncols, t->nrows, &gi);
    g->table = t;
    g->size = size;
    g->lh = size * 1.25;
    g->pad = HPAD;
    g->rules = t->style.rules;
    g->zebra = t->style.zebra;
    column_widths(c, t, size, g->colw);
    double x = 0;
    for (size_t k = 0; k < t->ncols; k++) {
        g->colx[k] = x;
        g->align[k] = t->cols[k].align;
        x += g->colw[k];
    }
    uint32_t body = 0;
    for (size_t r = 0; r < t->nrows; r++) {
        const lay_row *row = &t->rows[r];
        g->kind[r] = row->kind;
        g->marked[r] = row->marked;
        g->body_index[r] = row->kind == CD_ROW_BODY ? body++ : 0;
        unsigned style = row_style(row);
        for (size_t k = 0; k < t->ncols; k++) {
            size_t first, n;
            double w = g->colw[k] - 2 * HPAD;
            lay_break_text(c, &row->cells[k], style, size, w > 4 ? w : 4, &first, &n);
            g->cell_first[r * t->ncols + k] = (uint32_t)first;
            g->cell_n[r * t->ncols + k] = (uint32_t)n;
        }
        if (row->kind == CD_ROW_HEADER) {
            g->hdr_rows[g->nhdr++] = r;
            g->hdr_h += lines_height(g, row_lines(g, r));
        }
    }
    double body_h = c->body_bottom - c->body_top;
    if (g->hdr_h > body_h / 2) g->hdr_h = 0, g->nhdr = 0;   /* absurd headers are not repeated */
    uint32_t max_lines = (uint32_t)floor((body_h - g->hdr_h - 2 * VPAD) / g->lh);
    if (max_lines < 1) max_lines = 1;
    bool first_box = true;
    size_t *last_box = cd_arena_alloc(c->pass, (t->nrows + 1) * sizeof *last_box);
    for (size_t r = 0; r < t->nrows; r++) {
        uint32_t n = row_lines(g, r);
        for (uint32_t from = 0; from < n; from += max_lines) {
            uint32_t to = from + max_lines < n ? from + max_lines : n;
            lay_box *b = row_box(c, bi, gi, r, from, to, lines_height(g, to - from));
            if (first_box) b->gap = (float)gap;
            first_box = false;
            b->keep_next = g->kind[r] == CD_ROW_HEADER;
        }
        last_box[r] = c->nboxes - 1;
    }
    /* orphans and widows: up to 3 body rows stay together; otherwise at
     * least 2 at a page's foot and head; a total row with the last body row */
    size_t seen = 0;
    for (size_t r = 0; r < t->nrows; r++) {
        if (g->kind[r] != CD_ROW_BODY) continue;
        seen++;
        bool more = seen < nbody, total_next = false;
        for (size_t q = r + 1; q < t->nrows && !more; q++) total_next |= g->kind[q] == CD_ROW_TOTAL;
        if ((more && (nbody <= 3 || seen == 1 || seen == nbody - 1)) || total_next)
            c->boxes[last_box[r]].keep_next = true;
    }
}

void lay_measure_label_values(lay_ctx *c, size_t first_block, size_t nblocks)
{
    size_t gi;
    lay_grid *g = new_grid(c, 2, nblocks, &gi);
    g->is_lv = true;
    g->size = c->base;
    g->lh = c->base * 1.25;
    g->pad = 0;
    const lay_block *b0 = &c->doc->blocks[first_block];
    double lw = b0->width > 0 ? b0->width : c->text_w * 0.3;
    if (lw > c->text_w * 0.7) lw = c->text_w * 0.7;
    g->colx[0] = 0;
    g->colw[0] = lw - 8;
    g->colx[1] = lw;
    g->colw[1] = c->text_w - lw;
    double gap = c->pending_gap > 2 ? c->pending_gap : 2;
    c->pending_gap = 0;
    for (size_t r = 0; r < nblocks; r++) {
        const lay_block *bl = &c->doc->blocks[first_block + r];
        g->kind[r] = CD_ROW_BODY;
        lay_span sp = {bl->label, CD_SPAN_BOLD};
        lay_text lt = {&sp, 1};
        size_t first, n;
        lay_break_text(c, &lt, 0, g->size, g->colw[0], &first, &n);
        g->cell_first[r * 2] = (uint32_t)first;
        g->cell_n[r * 2] = (uint32_t)n;
        lay_break_text(c, &bl->text, 0, g->size, g->colw[1], &first, &n);
        g->cell_first[r * 2 + 1] = (uint32_t)first;
        g->cell_n[r * 2 + 1] = (uint32_t)n;
        uint32_t lines = row_lines(g, r);
        for (uint32_t i = 0; i < lines; i++) {
            lay_box *b = row_box(c, first_block + r, gi, r, i, i + 1, g->lh + (i == 0 ? 2 : 0));
            if (i == 0) b->gap = (float)(r == 0 ? gap : 0);
            b->keep_next = lines <= 3 ? i + 1 < lines : (i == 0 || i == lines - 2);
        }
    }
}

/* The width of a grid, from the text's left edge to its last column's right. */
static double grid_width(const lay_grid *g)
{
    return g->colx[g->ncols - 1] + g->colw[g->ncols - 1];
}

/* Draws the text of lines [from, to) of row r of grid g with its top at y,
 * each cell in its own marked content (not inside a repeated header, an
 * artifact). The row's shading and lines are the page's
 * (lay_draw_table_decorations). */
static void draw_row_lines(lay_ctx *c, cd_pdf *pdf, const lay_grid *g, size_t r,
                           uint32_t from, uint32_t to, double y, double h)
{
    double left = c->doc->setup.margin_left;
    double top_pad = g->is_lv ? (h > g->lh + 1 ? 2 : 0) : VPAD;
    for (size_t k = 0; k < g->ncols; k++) {
        uint32_t first = g->cell_first[r * g->ncols + k], n = g->cell_n[r * g->ncols + k];
        if (from >= n) continue;
        lay_tag_cell(c, pdf, k);
        for (uint32_t li = from; li < to && li < n; li++) {
            double baseline = y + top_pad + (li - from) * g->lh + g->size * 1.02;
            lay_draw_line(c, pdf, &c->lines[first + li], left + g->colx[k] + g->pad,
                          g->colw[k] - 2 * g->pad, baseline, g->size, g->align[k], INK);
        }
        if (!c->tags.in_artifact) cd_pdf_mark_end(pdf);
    }
}

void lay_draw_row(lay_ctx *c, cd_pdf *pdf, const lay_box *b, double y)
{
    draw_row_lines(c, pdf, &c->grids[b->a], b->b, b->c, b->d, y, b->h);
}

void lay_draw_header_repeat(lay_ctx *c, cd_pdf *pdf, size_t grid, double y)
{
    const lay_grid *g = &c->grids[grid];
    for (size_t i = 0; i < g->nhdr; i++) {
        size_t r = g->hdr_rows[i];
        uint32_t n = row_lines(g, r);
        double h = lines_height(g, n);
        draw_row_lines(c, pdf, g, r, 0, n, y, h);
        y += h;
    }
}

/* A table row as drawn on one page: a row box (lines from its first line
 * `from`), or a header row repeated at the page's top. */
typedef struct lay_page_row {
    const lay_grid *g;
    size_t row;
    uint32_t from;
    double y, h;
} page_row;

/* The table rows drawn on a page, in drawing order: the headers repeated
 * there (c->repeats from `repeat`), then its row boxes (c->boxes from
 * `box`); label-value rows, which have no decorations, left out. Kept in
 * c->page_rows (reused page after page); *n = how many. */
static page_row *rows_on_page(lay_ctx *c, int page, size_t box, size_t repeat, size_t *n)
{
    c->npage_rows = 0;
    for (size_t r = repeat; r < c->nrepeats && c->repeats[r].page == page; r++) {
        const lay_grid *g = &c->grids[c->repeats[r].grid];
        double y = c->repeats[r].y;
        for (size_t i = 0; i < g->nhdr; i++) {
            double h = lines_height(g, row_lines(g, g->hdr_rows[i]));
            *CD_PUSH(c->pass, c->page_rows, c->npage_rows, c->cap_page_rows) =
                (page_row){g, g->hdr_rows[i], 0, y, h};
            y += h;
        }
    }
    for (size_t i = box; i < c->nboxes && c->boxes[i].page == page; i++) {
        const lay_box *b = &c->boxes[i];
        if (b->kind == BOX_ROW && !c->grids[b->a].is_lv)
            *CD_PUSH(c->pass, c->page_rows, c->npage_rows, c->cap_page_rows) =
                (page_row){&c->grids[b->a], b->b, b->c, b->y, b->h};
    }
    *n = c->npage_rows;
    return c->page_rows;
}

/* True when rows[k] and rows[k + 1] are drawn as one block: of one grid,
 * touching (the first's bottom is the second's top), the first not a
 * header row (the rule under a header is drawn over the header's grid
 * lines and under the next row's, as when each row drew its own). */
static bool joins_next(const page_row *rows, size_t n, size_t k)
{
    return k + 1 < n && rows[k + 1].g == rows[k].g &&
           rows[k].g->kind[rows[k].row] != CD_ROW_HEADER &&
           fabs(rows[k].y + rows[k].h - rows[k + 1].y) < 0.01;
}

void lay_draw_table_decorations(lay_ctx *c, cd_pdf *pdf, int page, size_t box, size_t repeat)
{
    size_t n;
    page_row *rows = rows_on_page(c, page, box, repeat, &n);
    if (n == 0) return;
    double left = c->doc->setup.margin_left;
    lay_tag_decoration(c, pdf);
    for (size_t k = 0, end; k < n; k = end) {
        for (end = k + 1; joins_next(rows, n, end - 1); end++) {}
        const lay_grid *g = rows[k].g;
        double top = rows[k].y, bottom = rows[end - 1].y + rows[end - 1].h, width = grid_width(g);
        /* the block's shading */
        for (size_t q = k; q < end; q++) {
            size_t r = rows[q].row;
            const cd_rgb *shade = NULL;
            if (g->kind[r] == CD_ROW_HEADER) shade = &HEADER_SHADE;
            else if (g->marked[r]) shade = &MARKED_SHADE;
            else if (g->zebra && g->kind[r] == CD_ROW_BODY && g->body_index[r] % 2 == 1)
                shade = &ZEBRA_SHADE;
            if (shade) cd_pdf_rect_fill(pdf, left, rows[q].y, width, rows[q].h, *shade);
        }
        /* its grid: one rectangle, a line at each boundary between its rows
         * and each column line once, top to bottom */
        if (g->rules) {
            cd_pdf_rect_stroke(pdf, left, top, width, bottom - top, 0.4, GRID_GREY);
            for (size_t q = k + 1; q < end; q++)
                cd_pdf_line(pdf, left, rows[q].y, left + width, rows[q].y, 0.4, GRID_GREY, CD_DASH_SOLID);
            for (size_t col = 1; col < g->ncols; col++)
                cd_pdf_line(pdf, left + g->colx[col], top, left + g->colx[col], bottom, 0.4,
                            GRID_GREY, CD_DASH_SOLID);
        }
        /* the rules over it: under a header row (which ends a block), above a total */
        for (size_t q = k; q < end; q++) {
            const page_row *r = &rows[q];
            if (g->kind[r->row] == CD_ROW_HEADER)
                cd_pdf_line(pdf, left, r->y + r->h, left + width, r->y + r->h, 0.7, INK, CD_DASH_SOLID);
            if (g->kind[r->row] == CD_ROW_TOTAL && r->from == 0)
                cd_pdf_line(pdf, left, r->y, left + width, r->y, 0.9, INK, CD_DASH_SOLID);
        }
    }
    lay_tag_decoration_end(c, pdf);
}
