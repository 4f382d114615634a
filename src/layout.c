/* layout.c -- the layout engine's document: records the flow of blocks the
 * template module appends (copying every string into the document's arena),
 * then lays them out into pages and hands them to the PDF writer (pdf.h).
 * See layout_int.h for the passes and docs/layout.md for the rules. */
#include "layout_int.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Page sizes in points. */
#define A4_W 595.28
#define A4_H 841.89
#define LETTER_W 612.0
#define LETTER_H 792.0

static const cd_rgb BLACK = {0, 0, 0};
static const cd_rgb GREY_TEXT = {0.25, 0.25, 0.25};
static const cd_rgb RULE_GREY = {0.55, 0.55, 0.55};
static const cd_rgb BOX_SHADE = {0.93, 0.93, 0.93};
static const cd_rgb DRAFT_GREY = {0.86, 0.86, 0.86};

/* Room a section's footer line takes from the foot of the body: a rule,
 * space to sign in, then the line itself. */
#define SECTION_FOOTER_H 42.0

/* Copies spans (and their text) into the document's arena. */
static lay_text copy_spans(cd_arena *a, const cd_span *spans, size_t n)
{
    lay_text t = {NULL, 0};
    if (!spans || n == 0) return t;
    t.spans = cd_arena_alloc(a, n * sizeof *t.spans);
    for (size_t i = 0; i < n; i++) {
        t.spans[i].text = cd_arena_strdup(a, spans[i].text ? spans[i].text : "");
        t.spans[i].style = spans[i].style;
    }
    t.n = n;
    return t;
}

static void copy_running(cd_arena *a, cd_running_line *l)
{
    l->left = cd_arena_strdup(a, l->left);
    l->centre = cd_arena_strdup(a, l->centre);
    l->right = cd_arena_strdup(a, l->right);
}

/* Appends a zeroed block of the given kind. */
static lay_block *add_block(cd_doc *d, lay_block_kind kind)
{
    lay_block *b = CD_PUSH(d->arena, d->blocks, d->nblocks, d->cap);
    memset(b, 0, sizeof *b);
    b->kind = kind;
    return b;
}

cd_doc *cd_doc_new(const cd_page_setup *setup)
{
    cd_doc *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    d->arena = cd_arena_new();
    if (setup) d->setup = *setup;
    cd_page_setup *s = &d->setup;
    if (s->margin_top <= 0) s->margin_top = 56.7;
    if (s->margin_bottom <= 0) s->margin_bottom = 56.7;
    if (s->margin_left <= 0) s->margin_left = 56.7;
    if (s->margin_right <= 0) s->margin_right = 56.7;
    if (s->base_font_size <= 0) s->base_font_size = 10;
    s->marking = cd_arena_strdup(d->arena, s->marking);
    s->font_dir = cd_arena_strdup(d->arena, s->font_dir ? s->font_dir : "fonts");
    s->font_family = cd_arena_strdup(d->arena, s->font_family ? s->font_family : "DejaVuSans");
    copy_running(d->arena, &s->header);
    copy_running(d->arena, &s->footer);
    copy_running(d->arena, &s->first_header);
    copy_running(d->arena, &s->first_footer);
    d->warnings = stderr;
    return d;
}

void cd_doc_free(cd_doc *d)
{
    if (!d) return;
    cd_arena_free(d->arena);
    free(d);
}

void cd_doc_set_warnings(cd_doc *d, FILE *warnings)
{
    if (d) d->warnings = warnings;
}

void cd_doc_heading(cd_doc *d, int level, const cd_span *spans, size_t nspans)
{
    lay_block *b = add_block(d, BLK_HEADING);
    b->level = level < 1 ? 1 : level > 4 ? 4 : level;
    b->text = copy_spans(d->arena, spans, nspans);
}

void cd_doc_paragraph(cd_doc *d, const cd_span *spans, size_t nspans, const cd_para_style *style)
{
    lay_block *b = add_block(d, BLK_PARA);
    b->text = copy_spans(d->arena, spans, nspans);
    if (style) b->para = *style;
}

void cd_doc_list_item(cd_doc *d, int level, int number, const cd_span *spans, size_t nspans)
{
    lay_block *b = add_block(d, BLK_LIST);
    b->level = level < 1 ? 1 : level > 3 ? 3 : level;
    b->number = number;
    b->text = copy_spans(d->arena, spans, nspans);
}

void cd_doc_label_value(cd_doc *d, const char *label, const cd_span *value,
                        size_t nvalue, double label_width)
{
    lay_block *b = add_block(d, BLK_LABEL_VALUE);
    b->label = cd_arena_strdup(d->arena, label ? label : "");
    b->text = copy_spans(d->arena, value, nvalue);
    b->width = label_width;
}

void cd_doc_space(cd_doc *d, double points)
{
    add_block(d, BLK_SPACE)->width = points > 0 ? points : 0;
}

void cd_doc_rule(cd_doc *d)
{
    add_block(d, BLK_RULE);
}

void cd_doc_page_break(cd_doc *d)
{
    add_block(d, BLK_PAGE_BREAK);
}

void cd_doc_keep_with_next(cd_doc *d)
{
    add_block(d, BLK_KEEP_NEXT);
}

void cd_doc_keep_begin(cd_doc *d)
{
    add_block(d, BLK_KEEP_BEGIN);
}

void cd_doc_keep_end(cd_doc *d)
{
    add_block(d, BLK_KEEP_END);
}

void cd_doc_anchor(cd_doc *d, const char *name, const char *title)
{
    lay_block *b = add_block(d, BLK_ANCHOR);
    b->label = cd_arena_strdup(d->arena, name ? name : "");
    b->title = cd_arena_strdup(d->arena, title);
}

void cd_doc_section_begin(cd_doc *d, const char *name, const char *title, const cd_running_line *footer)
{
    lay_block *b = add_block(d, BLK_SECTION_BEGIN);
    b->label = cd_arena_strdup(d->arena, name ? name : "");
    b->title = cd_arena_strdup(d->arena, title);
    if (footer) {
        b->section_footer = *footer;
        copy_running(d->arena, &b->section_footer);
        b->has_section_footer = true;
    }
}

void cd_doc_section_end(cd_doc *d)
{
    add_block(d, BLK_SECTION_END);
}

void cd_doc_link(cd_doc *d, const char *anchor)
{
    if (d->nblocks && anchor)
        d->blocks[d->nblocks - 1].link = cd_arena_strdup(d->arena, anchor);
}

cd_table *cd_doc_table(cd_doc *d, const cd_column *cols, size_t ncols, const cd_table_style *style)
{
    lay_block *b = add_block(d, BLK_TABLE);
    cd_table *t = cd_arena_alloc(d->arena, sizeof *t);
    t->doc = d;
    t->number = ++d->ntables;
    t->ncols = ncols;
    t->cols = cd_arena_alloc(d->arena, (ncols ? ncols : 1) * sizeof *t->cols);
    if (cols && ncols) memcpy(t->cols, cols, ncols * sizeof *cols);
    if (style) t->style = *style;
    t->style.empty_message = cd_arena_strdup(d->arena, t->style.empty_message
                                             ? t->style.empty_message : "None.");
    b->table = t;
    return t;
}

void cd_table_row(cd_table *t, cd_row_kind kind, const cd_span *const *cells,
                  const size_t *ncell_spans, bool marked)
{
    if (!t) return;
    cd_arena *a = t->doc->arena;
    lay_row *r = CD_PUSH(a, t->rows, t->nrows, t->cap);
    r->kind = kind;
    r->marked = marked;
    r->cells = cd_arena_alloc(a, (t->ncols ? t->ncols : 1) * sizeof *r->cells);
    for (size_t c = 0; c < t->ncols; c++)
        if (cells && cells[c] && ncell_spans)
            r->cells[c] = copy_spans(a, cells[c], ncell_spans[c]);
}

void cd_doc_chart(cd_doc *d, const cd_chart *chart)
{
    if (!chart) return;
    lay_block *b = add_block(d, BLK_CHART);
    cd_arena *a = d->arena;
    cd_chart *c = &b->chart;
    *c = *chart;
    c->title = cd_arena_strdup(a, chart->title);
    c->x_label = cd_arena_strdup(a, chart->x_label);
    c->y_label = cd_arena_strdup(a, chart->y_label);
    c->y_suffix = cd_arena_strdup(a, chart->y_suffix);
    c->alt_text = cd_arena_strdup(a, chart->alt_text);
    c->hollow_label = cd_arena_strdup(a, chart->hollow_label);
    const char **cats = cd_arena_alloc(a, (chart->ncategories + 1) * sizeof *cats);
    for (size_t i = 0; i < chart->ncategories; i++)
        cats[i] = cd_arena_strdup(a, chart->categories && chart->categories[i]
                                     ? chart->categories[i] : "");
    c->categories = cats;
    cd_chart_series *ser = cd_arena_alloc(a, (chart->nseries + 1) * sizeof *ser);
    for (size_t s = 0; s < chart->nseries; s++) {
        ser[s].name = cd_arena_strdup(a, chart->series[s].name ? chart->series[s].name : "");
        double *v = cd_arena_alloc(a, (chart->ncategories + 1) * sizeof *v);
        for (size_t i = 0; i < chart->ncategories; i++)
            v[i] = chart->series[s].values ? chart->series[s].values[i] : NAN;
        ser[s].values = v;
        ser[s].bases = NULL;
        if (chart->series[s].bases) {
            double *b = cd_arena_alloc(a, (chart->ncategories + 1) * sizeof *b);
            memcpy(b, chart->series[s].bases, chart->ncategories * sizeof *b);
            ser[s].bases = b;
        }
    }
    c->series = ser;
}

void cd_doc_image(cd_doc *d, const char *png_path, double width, cd_align align)
{
    lay_block *b = add_block(d, BLK_IMAGE);
    b->path = cd_arena_strdup(d->arena, png_path ? png_path : "");
    b->width = width;
    b->align = align;
}

void cd_doc_signature(cd_doc *d, const char *name, const char *role, const char *date)
{
    lay_block *b = add_block(d, BLK_SIGNATURE);
    b->sig_name = cd_arena_strdup(d->arena, name ? name : "");
    b->sig_role = cd_arena_strdup(d->arena, role ? role : "");
    b->sig_date = cd_arena_strdup(d->arena, date ? date : "");
}

/* ======================================================================
 * Pass 1: blocks to boxes
 * ====================================================================== */

static lay_box *add_box(lay_ctx *c, lay_box_kind kind, size_t block, double h)
{
    lay_box *b = CD_PUSH(c->pass, c->boxes, c->nboxes, c->cap_boxes);
    memset(b, 0, sizeof *b);
    b->kind = (uint8_t)kind;
    b->block = (uint32_t)block;
    b->h = (float)h;
    b->w = (float)c->text_w;
    b->page = -1;
    return b;
}

/* The space before a block: the larger of its own and the previous block's
 * space after (they collapse, as in CSS). */
static double take_gap(lay_ctx *c, double before)
{
    double g = c->pending_gap > before ? c->pending_gap : before;
    c->pending_gap = 0;
    return g;
}

/* Text lines as boxes: keep_all = no page break inside (headings); otherwise
 * no single first or last line is left alone (orphans and widows). */
static void add_text_lines(lay_ctx *c, size_t block, const lay_text *t, unsigned style_or,
                           double size, double indent, cd_align align, double gap,
                           bool keep_all, bool keep_last, bool boxed, const char *marker)
{
    double pad = boxed ? 6 : 0;
    size_t first, n;
    lay_break_text(c, t, style_or, size, c->text_w - indent - 2 * pad, &first, &n);
    double lh = size * 1.25;
    if (n == 0) {                     /* an empty paragraph still takes its space */
        lay_box *b = add_box(c, BOX_SPACE, block, 0);
        b->gap = (float)gap;
        b->keep_next = keep_last;
        return;
    }
    for (size_t i = 0; i < n; i++) {
        lay_box *b = add_box(c, BOX_LINE, block, lh + (boxed && i == 0 ? pad : 0) +
                                                 (boxed && i == n - 1 ? pad : 0));
        b->a = (uint32_t)(first + i);
        b->x = (float)(indent + pad);
        b->w = (float)(c->text_w - indent - 2 * pad);
        b->size = (float)size;
        b->align = (uint8_t)align;
        b->boxed = boxed;
        b->boxed_top = boxed && i == 0;
        b->boxed_bottom = boxed && i == n - 1;
        if (i == 0) { b->gap = (float)gap; b->marker = marker; }
        if (keep_all) b->keep_next = true;
        else if (i == n - 1) b->keep_next = keep_last;
        else if (n <= 3) b->keep_next = true;          /* short paragraphs stay whole */
        else b->keep_next = i == 0 || i == n - 2;      /* no lone first or last line */
    }
}

static const double heading_size[5] = {0, 16, 13.5, 12, 10.5};

static void measure_chart(lay_ctx *c, size_t bi)
{
    const cd_chart *ch = &c->doc->blocks[bi].chart;
    double size = c->base - 1;
    /* alt text first, so the chart can be sized to leave room for it */
    lay_text alt = {NULL, 0};
    lay_span sp = {(char *)(ch->alt_text ? ch->alt_text : ""), CD_SPAN_ITALIC};
    if (ch->alt_text && *ch->alt_text) { alt.spans = &sp; alt.n = 1; }
    size_t first, n;
    lay_break_text(c, &alt, 0, size, c->text_w, &first, &n);
    double alt_h = (double)n * size * 1.25 + 4;
    double h = ch->height > 0 ? ch->height : 180;
    double room = c->body_bottom - c->body_top - alt_h;
    if (h > room) h = room;
    if (h < 60) h = 60;
    lay_box *b = add_box(c, BOX_CHART, bi, h);
    b->gap = (float)take_gap(c, 8);
    b->keep_next = n > 0;
    for (size_t i = 0; i < n; i++) {
        lay_box *l = add_box(c, BOX_LINE, bi, size * 1.25 + (i == 0 ? 4 : 0));
        l->a = (uint32_t)(first + i);
        l->size = (float)size;
        l->align = CD_ALIGN_LEFT;
        l->keep_next = i + 1 < n;
        if (i == 0) l->gap = 0;
    }
    c->pending_gap = 10;
}

static void measure_image(lay_ctx *c, size_t bi)
{
    const lay_block *bl = &c->doc->blocks[bi];
    unsigned pw, ph;
    if (cd_pdf_png_size(bl->path, &pw, &ph, c->err) != CD_OK) {
        c->rc = c->err ? c->err->code : CD_EINPUT;
        return;
    }
    double w = bl->width > 0 ? bl->width : pw, h = w * ph / pw;
    double maxh = c->body_bottom - c->body_top;
    if (w > c->text_w) { h *= c->text_w / w; w = c->text_w; }
    if (h > maxh) { w *= maxh / h; h = maxh; }
    lay_box *b = add_box(c, BOX_IMAGE, bi, h);
    b->gap = (float)take_gap(c, 6);
    b->w = (float)w;
    b->x = (float)(bl->align == CD_ALIGN_RIGHT ? c->text_w - w
                   : bl->align == CD_ALIGN_CENTRE ? (c->text_w - w) / 2 : 0);
    c->pending_gap = 6;
}

/* No page break between the last box so far and the next one. */
static void join_last_box(lay_ctx *c)
{
    if (c->nboxes > 0 && c->boxes[c->nboxes - 1].kind != BOX_BREAK)
        c->boxes[c->nboxes - 1].keep_next = true;
}

/* Measures every block into boxes. */
static void measure(lay_ctx *c)
{
    cd_doc *d = c->doc;
    double base = c->base;
    for (size_t bi = 0; bi < d->nblocks && !c->rc; bi++) {
        lay_block *bl = &d->blocks[bi];
        switch (bl->kind) {
        case BLK_HEADING: {
            double size = heading_size[bl->level] * base / 10;
            double gap = take_gap(c, bl->level == 1 ? 14 : 10);
            add_text_lines(c, bi, &bl->text, CD_SPAN_BOLD, size, 0, CD_ALIGN_LEFT, gap, true, true,
                           false, NULL);
            c->pending_gap = 4;
            break;
        }
        case BLK_PARA: {
            const cd_para_style *ps = &bl->para;
            double size = ps->font_size > 0 ? ps->font_size : base;
            double gap = take_gap(c, ps->space_before > 0 ? ps->space_before : 0);
            add_text_lines(c, bi, &bl->text, 0, size, ps->indent, ps->align, gap, false,
                           ps->keep_with_next, ps->boxed, NULL);
            c->pending_gap = ps->space_after > 0 ? ps->space_after : 6;
            break;
        }
        case BLK_LIST: {
            double indent = 16.0 * bl->level;
            const char *marker;
            if (bl->number > 0) marker = cd_arena_printf(c->pass, "%d.", bl->number);
            else {
                static const uint32_t bullets[3] = {0x2022, 0x25E6, 0x25AA};
                uint32_t cp = bullets[bl->level - 1];
                char u[5] = {0};
                cd_utf8_encode(cd_font_has_glyph(c->font, 0, cp) ? cp : '-', u);
                marker = cd_arena_strdup(c->pass, u);
            }
            double gap = take_gap(c, 0);
            add_text_lines(c, bi, &bl->text, 0, base, indent, CD_ALIGN_LEFT, gap, false, false,
                           false, marker);
            c->pending_gap = 3;
            break;
        }
        case BLK_LABEL_VALUE: {
            size_t n = 1;
            while (bi + n < d->nblocks && d->blocks[bi + n].kind == BLK_LABEL_VALUE) n++;
            lay_measure_label_values(c, bi, n);
            bi += n - 1;
            c->pending_gap = 6;
            break;
        }
        case BLK_SPACE: {
            lay_box *b = add_box(c, BOX_SPACE, bi, 0);
            b->gap = (float)(take_gap(c, 0) + bl->width);
            break;
        }
        case BLK_RULE: {
            lay_box *b = add_box(c, BOX_RULE, bi, 8);
            b->gap = (float)take_gap(c, 4);
            c->pending_gap = 4;
            break;
        }
        case BLK_PAGE_BREAK:
            add_box(c, BOX_BREAK, bi, 0);
            c->pending_gap = 0;
            break;
        case BLK_ANCHOR:
            add_box(c, BOX_ANCHOR, bi, 0)->keep_next = true;
            break;
        case BLK_TABLE:
            lay_measure_table(c, bi);
            c->pending_gap = 8;
            break;
        case BLK_CHART:
            measure_chart(c, bi);
            break;
        case BLK_IMAGE:
            measure_image(c, bi);
            break;
        case BLK_KEEP_NEXT:
            join_last_box(c);
            break;
        case BLK_KEEP_BEGIN:
            *CD_PUSH(c->pass, c->keeps, c->nkeeps, c->cap_keeps) = c->nboxes;
            break;
        case BLK_KEEP_END:
            if (c->nkeeps > 0) {
                size_t from = c->keeps[--c->nkeeps];
                for (size_t k = from; k + 1 < c->nboxes; k++)
                    if (c->boxes[k].kind != BOX_BREAK) c->boxes[k].keep_next = true;
            }
            break;
        case BLK_SIGNATURE: {
            join_last_box(c);         /* the signature goes with the last paragraph */
            lay_box *b = add_box(c, BOX_SIG, bi, 36 + 3 * base * 1.25);
            b->gap = (float)take_gap(c, 18);
            c->pending_gap = 8;
            break;
        }
        case BLK_SECTION_BEGIN:
        case BLK_SECTION_END:
            /* a section is whole pages: a break before and after it */
            if (c->in_section) {
                add_box(c, BOX_BREAK, bi, 0);
                c->sections[c->nsections - 1].last_box = c->nboxes - 1;
                c->in_section = false;
            }
            if (bl->kind == BLK_SECTION_BEGIN) {
                lay_section *sec = CD_PUSH(c->pass, c->sections, c->nsections, c->cap_sections);
                sec->block = bi;
                sec->first_box = c->nboxes;
                sec->first_page = sec->last_page = -1;
                add_box(c, BOX_BREAK, bi, 0);
                add_box(c, BOX_ANCHOR, bi, 0)->keep_next = true;
                c->in_section = true;
            }
            c->pending_gap = 0;
            break;
        }
    }
    if (c->in_section) {
        c->sections[c->nsections - 1].last_box = c->nboxes ? c->nboxes - 1 : 0;
        c->in_section = false;
    }
}

/* The section box i belongs to, or NULL. */
static const lay_section *section_of_box(const lay_ctx *c, size_t i)
{
    for (size_t k = 0; k < c->nsections; k++)
        if (i >= c->sections[k].first_box && i <= c->sections[k].last_box)
            return &c->sections[k];
    return NULL;
}

/* The section whose pages include page, or NULL. */
static const lay_section *section_of_page(const lay_ctx *c, int page)
{
    for (size_t k = 0; k < c->nsections; k++)
        if (c->sections[k].first_page >= 0 && page >= c->sections[k].first_page &&
            page <= c->sections[k].last_page)
            return &c->sections[k];
    return NULL;
}

/* Pages of a section: those holding its boxes with content. */
static void section_pages(lay_ctx *c)
{
    for (size_t k = 0; k < c->nsections; k++) {
        lay_section *sec = &c->sections[k];
        sec->first_page = sec->last_page = -1;
        for (size_t i = sec->first_box; i <= sec->last_box && i < c->nboxes; i++) {
            const lay_box *b = &c->boxes[i];
            if (b->kind == BOX_BREAK || b->kind == BOX_ANCHOR)
                continue;
            if (sec->first_page < 0)
                sec->first_page = b->page;
            sec->last_page = b->page;
        }
        if (sec->first_page < 0 && sec->first_box < c->nboxes)      /* an empty section: one page */
            sec->first_page = sec->last_page = c->boxes[sec->first_box].page;
    }
}

/* ======================================================================
 * Pass 2: pagination
 * ====================================================================== */

/* The grid whose body row box i is, when its header must be repeated on a
 * fresh page; (size_t)-1 otherwise. */
static size_t repeat_grid(lay_ctx *c, size_t i)
{
    if (i >= c->nboxes) return (size_t)-1;
    const lay_box *b = &c->boxes[i];
    if (b->kind != BOX_ROW) return (size_t)-1;
    lay_grid *g = &c->grids[b->a];
    if (g->nhdr == 0 || !g->hdr_placed || g->kind[b->b] == CD_ROW_HEADER) return (size_t)-1;
    return b->a;
}

/* Places boxes on pages in order, each exactly once. A page break falls
 * only where no keep_next joins two boxes, unless the joined run is taller
 * than a page (then as much of it as fits stays together). */
static void paginate(lay_ctx *c)
{
    int page = 0;
    double y = c->body_top;
    bool empty = true;
    bool spill = false;               /* this page began where the last one was full */
    double bottom = c->body_bottom;   /* of the current page: less on a section's pages with a footer */
    c->nrepeats = 0;
    for (size_t g = 0; g < c->ngrids; g++) c->grids[g].hdr_placed = false;
    size_t i = 0;
    while (i < c->nboxes) {
        lay_box *b = &c->boxes[i];
        if (b->kind == BOX_BREAK) {
            b->page = page;
            b->y = (float)y;
            /* an explicit break after a page holding only what overflowed
             * the page before (under a third of a page) is dropped: what
             * follows fills that page instead of leaving it with a few
             * lines. A section's breaks are always kept. */
            bool short_spill = spill && c->doc->blocks[b->block].kind == BLK_PAGE_BREAK &&
                               y - c->body_top < (bottom - c->body_top) / 3;
            if (!empty && !short_spill) { page++; y = c->body_top; empty = true; spill = false; }
            i++;
            continue;
        }
        if (empty) {
            const lay_section *sec = section_of_box(c, i);
            bottom = c->body_bottom -
                     (sec && c->doc->blocks[sec->block].has_section_footer ? SECTION_FOOTER_H : 0);
        }
        double body_h = bottom - c->body_top;
        /* the run of boxes joined to this one by keep_next */
        double need = empty ? 0 : b->gap, run = 0;
        size_t rg = repeat_grid(c, i);
        double hdr = rg != (size_t)-1 ? c->grids[rg].hdr_h : 0;
        for (size_t j = i; j < c->nboxes && c->boxes[j].kind != BOX_BREAK; j++) {
            double add = (j == i ? 0 : c->boxes[j].gap) + c->boxes[j].h;
            if (run + add + hdr > body_h && j > i) break;
            run += add;
            if (!c->boxes[j].keep_next) break;
        }
        need += run;
        if (y + need > bottom + 0.01 && !empty) {
            page++;
            y = c->body_top;
            empty = true;
            spill = true;
            if (rg != (size_t)-1) {
                lay_repeat *r = CD_PUSH(c->pass, c->repeats, c->nrepeats, c->cap_repeats);
                r->page = page;
                r->grid = rg;
                r->y = (float)y;
                y += c->grids[rg].hdr_h;
            }
            continue;
        }
        if (!empty) y += b->gap;
        b->page = page;
        b->y = (float)y;
        y += b->h;
        if (b->kind != BOX_ANCHOR && b->kind != BOX_SPACE) empty = false;
        if (b->kind == BOX_ROW && c->grids[b->a].kind[b->b] == CD_ROW_HEADER)
            c->grids[b->a].hdr_placed = true;
        i++;
    }
    if (empty && page > 0) {          /* a trailing break opens no blank page */
        for (size_t k = c->nboxes; k-- > 0 && c->boxes[k].page == page;) {
            c->boxes[k].page = page - 1;
            c->boxes[k].y = (float)c->body_bottom;
        }
        page--;
    }
    c->npages = page + 1;
#ifndef NDEBUG
    /* invariant: every box placed once, pages in order */
    int last = 0;
    for (size_t k = 0; k < c->nboxes; k++) {
        if (c->boxes[k].page < last || c->boxes[k].page >= c->npages) {
            lay_fail(c, CD_EGENERAL, "internal error: pagination misplaced box %zu", k);
            return;
        }
        last = c->boxes[k].page;
    }
#endif
}

/* Anchor pages: the page of the first box with content after the anchor. */
static void resolve_anchors(lay_ctx *c, lay_anchor_page **out, size_t *nout)
{
    size_t n = 0;
    for (size_t i = 0; i < c->nboxes; i++) if (c->boxes[i].kind == BOX_ANCHOR) n++;
    lay_anchor_page *a = cd_arena_alloc(c->pass, (n + 1) * sizeof *a);
    size_t k = 0;
    for (size_t i = 0; i < c->nboxes; i++) {
        if (c->boxes[i].kind != BOX_ANCHOR) continue;
        size_t j = i;
        while (j < c->nboxes && (c->boxes[j].kind == BOX_ANCHOR || c->boxes[j].kind == BOX_SPACE ||
                                 c->boxes[j].kind == BOX_BREAK))
            j++;
        if (j < c->nboxes) {
            c->boxes[i].page = c->boxes[j].page;
            c->boxes[i].y = c->boxes[j].y;
        }
        a[k].name = c->doc->blocks[c->boxes[i].block].label;
        a[k].page = c->boxes[i].page + 1;
        a[k].y = c->boxes[i].y;
        a[k].pages = 0;
        const lay_section *sec = section_of_box(c, i);
        if (sec && sec->first_box + 1 == i && sec->first_page >= 0)   /* the section's own anchor */
            a[k].pages = sec->last_page - sec->first_page + 1;
        k++;
    }
    *out = a;
    *nout = k;
}

/* ======================================================================
 * Pass 3: drawing
 * ====================================================================== */

/* "{page}" and "{pages}" in a running line; in a section's footer also
 * "{section-page}" and "{section-pages}" (spage, spages). */
static const char *running_text(lay_ctx *c, const char *s, int page, int pages, int spage, int spages)
{
    if (!s) return NULL;
    cd_strbuf b = CD_STRBUF_INIT;
    while (*s) {
        if (strncmp(s, "{page}", 6) == 0) { cd_strbuf_printf(&b, "%d", page); s += 6; }
        else if (strncmp(s, "{pages}", 7) == 0) { cd_strbuf_printf(&b, "%d", pages); s += 7; }
        else if (spages && strncmp(s, "{section-page}", 14) == 0) { cd_strbuf_printf(&b, "%d", spage); s += 14; }
        else if (spages && strncmp(s, "{section-pages}", 15) == 0) { cd_strbuf_printf(&b, "%d", spages); s += 15; }
        else cd_strbuf_addc(&b, *s++);
    }
    char *r = cd_arena_strdup(c->pass, cd_strbuf_str(&b));
    cd_strbuf_free(&b);
    return r;
}

static void draw_running(lay_ctx *c, cd_pdf *pdf, const cd_running_line *l, double baseline,
                         int page, int pages, int spage, int spages)
{
    const cd_page_setup *s = &c->doc->setup;
    double size = 8, w;
    const char *parts[3] = {l->left, l->centre, l->right};
    for (int k = 0; k < 3; k++) {
        if (!parts[k] || !*parts[k]) continue;
        const char *t = lay_prepare(c, running_text(c, parts[k], page, pages, spage, spages), 0, size, &w);
        double x = k == 0 ? s->margin_left : k == 1 ? (c->page_w - w) / 2 : c->page_w - s->margin_right - w;
        cd_pdf_text(pdf, 0, size, GREY_TEXT, x, baseline, t, strlen(t));
    }
}

static void draw_page_furniture(lay_ctx *c, cd_pdf *pdf, int page)
{
    const cd_page_setup *s = &c->doc->setup;
    if (s->draft) {
        cd_pdf_artifact_begin(pdf, CD_ARTIFACT_WATERMARK);
        double w;
        int face = lay_face(c, CD_SPAN_BOLD);
        const char *t = lay_prepare(c, "DRAFT", face, 120, &w);
        double cx = c->page_w / 2, cy = c->page_h / 2, r = M_SQRT1_2;
        cd_pdf_text_rotated(pdf, face, 120, DRAFT_GREY, cx - w / 2 * r + 120 * 0.35 * r,
                            cy + w / 2 * r + 120 * 0.35 * r, 45, t);
        cd_pdf_artifact_end(pdf);
    }
    const char *marking = s->marking;
    if (s->draft)
        marking = marking && *marking ? cd_arena_printf(c->pass, "DRAFT %s", marking) : "DRAFT";
    const char *mark = NULL;
    double mark_w = 0;
    int mark_face = lay_face(c, CD_SPAN_BOLD);
    if (marking && *marking) mark = lay_prepare(c, marking, mark_face, 9, &mark_w);
    bool first = page == 0 && s->first_page_differs;
    const cd_running_line *h = first ? &s->first_header : &s->header;
    const cd_running_line *f = first ? &s->first_footer : &s->footer;
    /* the header (marking above the running line), then the footer: one
     * artifact each */
    cd_pdf_artifact_begin(pdf, CD_ARTIFACT_HEADER);
    if (mark) cd_pdf_text(pdf, mark_face, 9, BLACK, (c->page_w - mark_w) / 2, 20, mark, strlen(mark));
    draw_running(c, pdf, h, s->margin_top - 16, page + 1, c->npages, 0, 0);
    cd_pdf_artifact_begin(pdf, CD_ARTIFACT_FOOTER);
    if (mark) cd_pdf_text(pdf, mark_face, 9, BLACK, (c->page_w - mark_w) / 2, c->page_h - 14, mark, strlen(mark));
    draw_running(c, pdf, f, c->page_h - s->margin_bottom + 24, page + 1, c->npages, 0, 0);
    /* a section's own footer: a rule, room to sign, then its line */
    const lay_section *sec = section_of_page(c, page);
    const lay_block *sb = sec ? &c->doc->blocks[sec->block] : NULL;
    if (sb && sb->has_section_footer) {
        double top = c->body_bottom - SECTION_FOOTER_H + 6;
        cd_pdf_line(pdf, s->margin_left, top, s->margin_left + c->text_w, top, 0.5, RULE_GREY, CD_DASH_SOLID);
        draw_running(c, pdf, &sb->section_footer, c->body_bottom - 4, page + 1, c->npages,
                     page - sec->first_page + 1, sec->last_page - sec->first_page + 1);
    }
    cd_pdf_artifact_end(pdf);
}

static void draw_signature(lay_ctx *c, cd_pdf *pdf, const lay_block *bl, double x, double y)
{
    double lh = c->base * 1.25, w;
    cd_pdf_line(pdf, x, y + 30, x + 220, y + 30, 0.6, BLACK, CD_DASH_SOLID);
    const char *lines[3] = {bl->sig_name, bl->sig_role, bl->sig_date};
    for (int k = 0; k < 3; k++) {
        if (!lines[k] || !*lines[k]) continue;
        int face = k == 0 ? lay_face(c, CD_SPAN_BOLD) : 0;
        const char *t = lay_prepare(c, lines[k], face, c->base, &w);
        cd_pdf_text(pdf, face, c->base, BLACK, x, y + 36 + lh * k + c->base, t, strlen(t));
    }
}

static void draw_box(lay_ctx *c, cd_pdf *pdf, const lay_box *b, double left)
{
    const lay_block *bl = &c->doc->blocks[b->block];
    double x = left + b->x, y = b->y;
    switch (b->kind) {
    case BOX_LINE: {
        if (b->boxed) {
            double pad = 6;
            cd_pdf_rect_fill(pdf, x - pad, y, b->w + 2 * pad, b->h, BOX_SHADE);
            if (b->boxed_top) y += pad;
        }
        double baseline = y + b->size * 1.02;
        if (b->marker) {
            double w;
            const char *t = lay_prepare(c, b->marker, 0, b->size, &w);
            cd_pdf_text(pdf, 0, b->size, BLACK, x - w - 5, baseline, t, strlen(t));
            lay_tag_marker_done(c, pdf);
        }
        lay_draw_line(c, pdf, &c->lines[b->a], x, b->w, baseline, b->size, (cd_align)b->align, BLACK);
        break;
    }
    case BOX_RULE:
        cd_pdf_line(pdf, left, y + b->h / 2, left + c->text_w, y + b->h / 2, 0.5, RULE_GREY, CD_DASH_SOLID);
        break;
    case BOX_ROW:
        lay_draw_row(c, pdf, b, y);
        break;
    case BOX_CHART:
        lay_draw_chart(c, pdf, &bl->chart, left, y, c->text_w, b->h);
        break;
    case BOX_IMAGE:
        if (cd_pdf_png(pdf, bl->path, x, y, b->w, b->h, c->err) != CD_OK && !c->rc)
            c->rc = c->err ? c->err->code : CD_EINPUT;
        break;
    case BOX_SIG:
        draw_signature(c, pdf, bl, x, y);
        break;
    default:
        break;
    }
}

/* True when the anchor box i is followed (past other anchors and space) by
 * a level 1 or 2 heading, which makes the bookmark itself. */
static bool heading_follows(const lay_ctx *c, size_t i)
{
    size_t j = i + 1;
    while (j < c->nboxes && (c->boxes[j].kind == BOX_ANCHOR || c->boxes[j].kind == BOX_SPACE)) j++;
    if (j >= c->nboxes || c->boxes[j].kind != BOX_LINE) return false;
    const lay_block *bl = &c->doc->blocks[c->boxes[j].block];
    return bl->kind == BLK_HEADING && bl->level <= 2;
}

/* A heading's text as one line, for its bookmark. */
static const char *plain_text(lay_ctx *c, const lay_text *t)
{
    cd_strbuf b = CD_STRBUF_INIT;
    for (size_t i = 0; i < t->n; i++) cd_strbuf_add(&b, t->spans[i].text);
    char *s = cd_arena_strdup(c->pass, cd_strbuf_str(&b));
    cd_strbuf_free(&b);
    for (char *p = s; *p; p++)
        if (*p == '\n' || *p == '\t' || *p == '\r') *p = ' ';
    return s;
}

/* Bookmarks, in every build (they are not part of tagging): a heading of
 * level 1 or 2 makes one when its first box is drawn (level 2 under the
 * last level 1), titled by a titled anchor just before it if there is one;
 * a titled anchor with no such heading after it makes a top-level one. */
static void bookmark_box(lay_ctx *c, cd_pdf *pdf, size_t i)
{
    const lay_box *b = &c->boxes[i];
    const lay_block *bl = &c->doc->blocks[b->block];
    if (b->kind == BOX_ANCHOR) {
        if (bl->title && !heading_follows(c, i))
            cd_pdf_bookmark(pdf, -1, b->page, b->y, lay_prepare(c, bl->title, 0, 10, NULL));
        return;
    }
    if (b->kind != BOX_LINE || bl->kind != BLK_HEADING || bl->level > 2 || b->block == c->bookmarked_block)
        return;
    c->bookmarked_block = b->block;
    const char *title = NULL;
    for (size_t k = i; k-- > 0 && !title;) {
        const lay_box *a = &c->boxes[k];
        if (a->kind == BOX_ANCHOR) title = c->doc->blocks[a->block].title;
        else if (a->kind != BOX_SPACE) break;
    }
    if (!title) title = plain_text(c, &bl->text);
    int id = cd_pdf_bookmark(pdf, bl->level == 2 ? c->h1_bookmark : -1, b->page, b->y, title);
    if (bl->level == 1) c->h1_bookmark = id;
}

/* Links from blocks to anchors, made once every page exists. */
static void draw_links(lay_ctx *c, cd_pdf *pdf)
{
    double left = c->doc->setup.margin_left;
    for (size_t i = 0; i < c->nboxes; i++) {
        const lay_box *b = &c->boxes[i];
        const char *to = c->doc->blocks[b->block].link;
        if (!to || b->kind == BOX_ANCHOR || b->kind == BOX_BREAK || b->kind == BOX_SPACE) continue;
        size_t k = 0;
        while (k < c->nknown && strcmp(c->known[k].name, to) != 0) k++;
        if (k == c->nknown) {
            if (!c->unknown_anchor[0])
                snprintf(c->unknown_anchor, sizeof c->unknown_anchor, "%.100s", to);
            continue;
        }
        lay_tag_link(c, pdf, i, c->known[k].page);
        cd_pdf_link(pdf, b->page, left + b->x, b->y, b->w, b->h, c->known[k].page - 1, c->known[k].y);
    }
}

static void draw(lay_ctx *c, cd_pdf *pdf)
{
    double left = c->doc->setup.margin_left;
    size_t i = 0, r = 0;
    c->h1_bookmark = -1;
    c->bookmarked_block = (size_t)-1;
    lay_tag_start(c, pdf);
    for (int p = 0; p < c->npages && !c->rc; p++) {
        cd_pdf_add_page(pdf, c->page_w, c->page_h);
        draw_page_furniture(c, pdf, p);
        lay_draw_table_decorations(c, pdf, p, i, r);
        for (; r < c->nrepeats && c->repeats[r].page == p; r++) {
            cd_pdf_artifact_begin(pdf, CD_ARTIFACT_PAGINATION);
            c->tags.in_artifact = true;
            lay_draw_header_repeat(c, pdf, c->repeats[r].grid, c->repeats[r].y);
            c->tags.in_artifact = false;
            cd_pdf_artifact_end(pdf);
        }
        for (; i < c->nboxes && c->boxes[i].page == p; i++) {
            bookmark_box(c, pdf, i);
            lay_tag_box_begin(c, pdf, &c->boxes[i]);
            draw_box(c, pdf, &c->boxes[i], left);
            lay_tag_box_end(c, pdf, &c->boxes[i]);
        }
    }
    lay_tag_finish(c, pdf);
}

/* ======================================================================
 * Render
 * ====================================================================== */

/* Column widths that cannot fit are an error found before any drawing. */
static int check_tables(lay_ctx *c)
{
    for (size_t bi = 0; bi < c->doc->nblocks; bi++) {
        const lay_block *bl = &c->doc->blocks[bi];
        if (bl->kind != BLK_TABLE) continue;
        const cd_table *t = bl->table;
        double fixed = 0;
        size_t prop = 0;
        for (size_t k = 0; k < t->ncols; k++) {
            if (t->cols[k].width > 0) fixed += t->cols[k].width;
            else prop++;
        }
        double need = fixed + 12.0 * (double)prop;
        if (t->ncols == 0)
            return lay_fail(c, CD_EINPUT, "table %d: has no columns", t->number);
        if (need > c->text_w + 0.01)
            return lay_fail(c, CD_EINPUT, "table %d: columns are %ld points wide; the page has %ld",
                            t->number, (long)ceil(need), (long)floor(c->text_w));
    }
    return CD_OK;
}

static void ctx_reset_pass(lay_ctx *c)
{
    cd_arena_free(c->pass);
    c->pass = cd_arena_new();
    c->frags = NULL; c->nfrags = c->cap_frags = 0;
    c->lines = NULL; c->nlines = c->cap_lines = 0;
    c->boxes = NULL; c->nboxes = c->cap_boxes = 0;
    c->grids = NULL; c->ngrids = c->cap_grids = 0;
    c->repeats = NULL; c->nrepeats = c->cap_repeats = 0;
    c->sections = NULL; c->nsections = c->cap_sections = 0;
    c->page_rows = NULL; c->npage_rows = c->cap_page_rows = 0;
    c->in_section = false;
    c->keeps = NULL; c->nkeeps = c->cap_keeps = 0;
    c->pending_gap = 0;
    c->has_page_refs = false;
    c->unknown_anchor[0] = '\0';
}

/* Lays out d and draws it into a new PDF (*out). */
static int lay_out(cd_doc *d, cd_pdf **out, int *pages, cd_error *err)
{
    *out = NULL;
    if (pages) *pages = 0;
    if (err) err->code = 0;
    lay_ctx c;
    memset(&c, 0, sizeof c);
    c.doc = d;
    c.err = err;
    const cd_page_setup *s = &d->setup;
    c.page_w = s->paper == CD_PAPER_LETTER ? LETTER_W : A4_W;
    c.page_h = s->paper == CD_PAPER_LETTER ? LETTER_H : A4_H;
    c.text_w = c.page_w - s->margin_left - s->margin_right;
    c.body_top = s->margin_top;
    c.body_bottom = c.page_h - s->margin_bottom;
    c.base = s->base_font_size;
    if (c.text_w < 72 || c.body_bottom - c.body_top < 144)
        return cd_error_set(err, CD_EINPUT, "page set-up: the margins leave too little room for text");
    int rc = cd_font_family_get(s->font_dir, s->font_family, &c.font, err);
    if (rc) return rc;
    lay_anchor_page *known = NULL;
    size_t nknown = 0;
    cd_arena *keep = NULL;            /* the previous pass (holds known[]) */
    for (int pass = 0; pass < 4; pass++) {
        c.pass = NULL;
        ctx_reset_pass(&c);
        c.known = known;
        c.nknown = nknown;
        if (check_tables(&c)) break;
        measure(&c);
        if (c.rc) break;
        paginate(&c);
        if (c.rc) break;
        if (c.npages > CD_LAYOUT_MAX_PAGES) {
            c.rc = cd_error_set(err, CD_EINPUT, "the document would run to %d pages, more than "
                                "the %d a document may have (a loop within a loop?)", c.npages,
                                CD_LAYOUT_MAX_PAGES);
            break;
        }
        section_pages(&c);
        lay_anchor_page *now;
        size_t nnow;
        resolve_anchors(&c, &now, &nnow);
        bool stable = nnow == nknown;
        for (size_t k = 0; stable && k < nnow; k++)
            stable = known[k].page == now[k].page && known[k].pages == now[k].pages;
        c.known = now;                /* drawing expands references with these */
        c.nknown = nnow;
        if (!c.has_page_refs || stable || pass == 3) break;
        cd_arena_free(keep);
        keep = c.pass;                /* the next pass reads now[] from it */
        c.pass = NULL;
        known = now;
        nknown = nnow;
    }
    if (!c.rc && c.unknown_anchor[0])
        lay_fail(&c, CD_EINPUT, "the document refers to {page:%s} but has no anchor named %s",
                 c.unknown_anchor, c.unknown_anchor);
    cd_pdf *pdf = NULL;
    if (!c.rc) {
        rc = cd_pdf_new(c.font, &pdf, err);
        if (rc) c.rc = rc;
        else draw(&c, pdf);
        if (!c.rc) draw_links(&c, pdf);
        if (!c.rc && c.unknown_anchor[0])
            lay_fail(&c, CD_EINPUT, "the document links to %s but has no anchor named %s",
                     c.unknown_anchor, c.unknown_anchor);
    }
    if (!c.rc && pages) *pages = c.npages;
    rc = c.rc;
    cd_arena_free(keep);
    cd_arena_free(c.pass);
    free(c.warned);
    free(c.toks);
    cd_strbuf_free(&c.scratch);
    if (rc) { cd_pdf_free(pdf); return rc; }
    *out = pdf;
    return CD_OK;
}

static cd_pdf_meta meta_of(const cd_doc_info *info)
{
    cd_pdf_meta m = {0};
    if (info) {
        m.title = info->title;
        m.author = info->author;
        m.subject = info->subject;
        m.keywords = info->keywords;
        m.password = info->password;
    }
    return m;
}

int cd_doc_render(cd_doc *d, const cd_doc_info *info, const char *out_path,
                  int *pages, cd_error *err)
{
    cd_pdf *pdf;
    int n = 0;
    int rc = lay_out(d, &pdf, &n, err);
    if (rc) { if (pages) *pages = 0; return rc; }
    cd_pdf_meta m = meta_of(info);
    rc = cd_pdf_save(pdf, &m, out_path, err);
    cd_pdf_free(pdf);
    if (pages) *pages = rc ? 0 : n;
    return rc;
}

int cd_doc_render_buffer(cd_doc *d, const cd_doc_info *info, unsigned char **buf,
                         size_t *len, int *pages, cd_error *err)
{
    *buf = NULL;
    *len = 0;
    cd_pdf *pdf;
    int n = 0;
    int rc = lay_out(d, &pdf, &n, err);
    if (rc) { if (pages) *pages = 0; return rc; }
    cd_pdf_meta m = meta_of(info);
    rc = cd_pdf_save_buffer(pdf, &m, buf, len, err);
    cd_pdf_free(pdf);
    if (pages) *pages = rc ? 0 : n;
    return rc;
}
