/* layout_tag.c -- the layout engine's tagging: while pass 3 draws the boxes
 * in order, this builds the PDF's logical structure from the blocks they
 * came from (pdf.h, "tagged PDF"): headings become H1-H4, paragraphs and
 * signatures P, list items L/LI with Lbl (the bullet or number) and LBody,
 * tables and label-value runs Table/TR with TH (scope Column for header
 * rows, Row for labels) and TD (an empty cell an empty TD), charts Figure
 * with the chart's text alternative as /Alt and the printed sentence as its
 * Caption; a block that links to an anchor (cd_doc_link) puts its content in
 * a Link element, which its link annotations join. Rules, images, shading,
 * grid lines, repeated table headers and the page furniture are artifacts.
 * Bookmarks are not tagging: layout.c makes them (bookmark_box).
 *
 * Boxes are drawn in the document's order, so a block's elements are made
 * when its first box is drawn and its later boxes (the rest of a paragraph
 * or table on the next page) add content to the same elements: the reading
 * order is the logical order across pages. docs/layout.md, "Tagging". */
#include "layout_int.h"
#include <string.h>

void lay_tag_start(lay_ctx *c, cd_pdf *pdf)
{
    memset(&c->tags, 0, sizeof c->tags);
    c->tags.block = (size_t)-1;
    c->tags.grid = (size_t)-1;
    c->tags.root = cd_pdf_tag_root(pdf);
    c->tags.box_link = cd_arena_alloc(c->pass, (c->nboxes + 1) * sizeof *c->tags.box_link);
}

/* The element content of a linked block goes into: a Link child of elem,
 * made once per element. */
static int link_child(lay_ctx *c, cd_pdf *pdf, const lay_block *bl, int elem)
{
    if (!bl->link) return elem;
    if (c->tags.link_parent != elem) {
        c->tags.link_parent = elem;
        c->tags.link = cd_pdf_tag_new(pdf, elem, CD_TAG_LINK);
    }
    return c->tags.link;
}

/* Forgets the open list, grid and figure: the next block starts afresh
 * under the Document. */
static void close_all(lay_ctx *c)
{
    c->tags.list_depth = 0;
    c->tags.grid = (size_t)-1;
    c->tags.elem = 0;
    c->tags.caption = 0;
}

/* A new list item at level (1..3): nested lists go inside the LBody of the
 * item above them. */
static void list_item(lay_ctx *c, cd_pdf *pdf, int level)
{
    lay_tags *t = &c->tags;
    if (level > 3) level = 3;
    while (t->list_depth < level) {
        int d = ++t->list_depth;
        int parent = d == 1 ? t->root : t->list_body[d - 1] ? t->list_body[d - 1] : t->list[d - 1];
        t->list[d] = cd_pdf_tag_new(pdf, parent, CD_TAG_L);
        t->list_body[d] = 0;
    }
    t->list_depth = level;
    int li = cd_pdf_tag_new(pdf, t->list[level], CD_TAG_LI);
    t->label = cd_pdf_tag_new(pdf, li, CD_TAG_LBL);
    t->list_body[level] = cd_pdf_tag_new(pdf, li, CD_TAG_LBODY);
    t->elem = t->list_body[level];
}

/* Opens the elements for a box's block when it is the block's first box. */
static void enter_block(lay_ctx *c, cd_pdf *pdf, const lay_box *b)
{
    lay_tags *t = &c->tags;
    const lay_block *bl = &c->doc->blocks[b->block];
    if (b->kind == BOX_ROW) {
        size_t grid = b->a, row = b->b;
        const lay_grid *g = &c->grids[grid];
        if (t->grid != grid) {
            close_all(c);
            t->grid = grid;
            t->table = cd_pdf_tag_new(pdf, t->root, CD_TAG_TABLE);
            t->row = (size_t)-1;
            t->cells = cd_arena_alloc(c->pass, (g->ncols + 1) * sizeof *t->cells);
        }
        if (t->row != row) {
            t->row = row;
            int tr = cd_pdf_tag_new(pdf, t->table, CD_TAG_TR);
            for (size_t k = 0; k < g->ncols; k++) {
                bool th = g->kind[row] == CD_ROW_HEADER || (g->is_lv && k == 0);
                t->cells[k] = cd_pdf_tag_new(pdf, tr, th ? CD_TAG_TH : CD_TAG_TD);
                if (th) cd_pdf_tag_scope(pdf, t->cells[k], !g->is_lv);
            }
        }
        t->block = b->block;
        return;
    }
    if (b->block == t->block && !(bl->kind == BLK_CHART && b->kind == BOX_LINE && !t->caption))
        return;
    bool first = b->block != t->block;
    t->block = b->block;
    if (bl->kind == BLK_LIST && b->kind == BOX_LINE) {
        if (first) {
            if (t->list_depth == 0) close_all(c);
            t->grid = (size_t)-1;
            list_item(c, pdf, bl->level);
        }
        return;
    }
    if (bl->kind == BLK_CHART && b->kind == BOX_LINE) {      /* the printed alternative */
        if (!t->figure) t->figure = cd_pdf_tag_new(pdf, t->root, CD_TAG_FIGURE);
        t->caption = cd_pdf_tag_new(pdf, t->figure, CD_TAG_CAPTION);
        t->elem = t->caption;
        return;
    }
    close_all(c);
    switch (b->kind) {
    case BOX_CHART:
        t->figure = t->elem = cd_pdf_tag_new(pdf, t->root, CD_TAG_FIGURE);
        cd_pdf_tag_alt(pdf, t->elem, bl->chart.alt_text && *bl->chart.alt_text
                                         ? bl->chart.alt_text : bl->chart.title);
        return;
    case BOX_LINE:
        if (bl->kind == BLK_HEADING) {
            static const cd_tag_type h[5] = {CD_TAG_H1, CD_TAG_H1, CD_TAG_H2, CD_TAG_H3, CD_TAG_H4};
            t->elem = cd_pdf_tag_new(pdf, t->root, h[bl->level]);
        } else {
            t->elem = cd_pdf_tag_new(pdf, t->root, CD_TAG_P);
        }
        return;
    case BOX_SIG:
        t->elem = cd_pdf_tag_new(pdf, t->root, CD_TAG_P);
        return;
    default:
        return;
    }
}

void lay_tag_box_begin(lay_ctx *c, cd_pdf *pdf, const lay_box *b)
{
    if (!CD_TAGGING) return;
    switch (b->kind) {
    case BOX_SPACE: case BOX_BREAK: case BOX_ANCHOR:
        return;
    case BOX_RULE: case BOX_IMAGE:
        cd_pdf_artifact_begin(pdf, CD_ARTIFACT_LAYOUT);
        return;
    default:
        break;
    }
    enter_block(c, pdf, b);
    const lay_block *bl = &c->doc->blocks[b->block];
    size_t i = (size_t)(b - c->boxes);
    if (b->kind == BOX_ROW) {                 /* cells are marked one by one */
        if (bl->link) {
            const lay_grid *g = &c->grids[b->a];
            c->tags.box_link[i] = link_child(c, pdf, bl, c->tags.cells[g->ncols - 1]);
        }
        return;
    }
    if (bl->kind == BLK_LIST && b->marker) {
        cd_pdf_mark_begin(pdf, c->tags.label);
        return;
    }
    int elem = link_child(c, pdf, bl, c->tags.elem);
    if (bl->link) c->tags.box_link[i] = elem;
    cd_pdf_mark_begin(pdf, elem);
}

void lay_tag_marker_done(lay_ctx *c, cd_pdf *pdf)
{
    const lay_block *bl = c->tags.block < c->doc->nblocks ? &c->doc->blocks[c->tags.block] : NULL;
    if (!bl) return;
    cd_pdf_mark_begin(pdf, link_child(c, pdf, bl, c->tags.elem));
}

void lay_tag_box_end(lay_ctx *c, cd_pdf *pdf, const lay_box *b)
{
    (void)c;
    (void)b;
    cd_pdf_mark_end(pdf);
}

void lay_tag_cell(lay_ctx *c, cd_pdf *pdf, size_t col)
{
    if (c->tags.in_artifact || !c->tags.cells) return;
    const lay_block *bl = &c->doc->blocks[c->tags.block];
    const lay_grid *g = &c->grids[c->tags.grid];
    int elem = c->tags.cells[col];
    if (bl->link && col == g->ncols - 1) elem = link_child(c, pdf, bl, elem);
    cd_pdf_mark_begin(pdf, elem);
}

void lay_tag_decoration(lay_ctx *c, cd_pdf *pdf)
{
    if (!c->tags.in_artifact) cd_pdf_artifact_begin(pdf, CD_ARTIFACT_LAYOUT);
}

void lay_tag_decoration_end(lay_ctx *c, cd_pdf *pdf)
{
    if (!c->tags.in_artifact) cd_pdf_artifact_end(pdf);
}

void lay_tag_finish(lay_ctx *c, cd_pdf *pdf)
{
    (void)c;
    cd_pdf_mark_end(pdf);
}

void lay_tag_link(lay_ctx *c, cd_pdf *pdf, size_t i, int page)
{
    if (!c->tags.box_link || i >= c->nboxes || !c->tags.box_link[i]) return;
    const char *anchor = c->doc->blocks[c->boxes[i].block].link, *title = NULL;
    for (size_t k = 0; k < c->doc->nblocks && !title; k++) {
        const lay_block *a = &c->doc->blocks[k];
        if (a->label && a->title && *a->title && strcmp(a->label, anchor) == 0 &&
            (a->kind == BLK_ANCHOR || a->kind == BLK_SECTION_BEGIN))
            title = a->title;
    }
    cd_pdf_tag_link(pdf, c->tags.box_link[i],
                    cd_arena_printf(c->pass, "Go to %s, page %d", title ? title : anchor, page));
}
