/* layout.c -- the layout engine's document: records the flow of blocks the
 * template module appends (copying every string into the document's arena),
 * then lays them out into pages and hands them to the PDF writer (pdf.h).
 * See layout_int.h for the passes and docs/layout.md for the rules. */
#include "layout_int.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

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

void cd_doc_anchor(cd_doc *d, const char *name, const char *title)
{
    lay_block *b = add_block(d, BLK_ANCHOR);
    b->label = cd_arena_strdup(d->arena, name ? name : "");
    b->title = cd_arena_strdup(d->arena, title);
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

int cd_doc_render(cd_doc *d, const cd_doc_info *info, const char *out_path,
                  int *pages, cd_error *err)
{
    (void)d; (void)info; (void)out_path;
    if (pages) *pages = 0;
    return cd_error_set(err, CD_EGENERAL, "layout not finished: cannot write PDF documents yet");
}

int cd_doc_render_buffer(cd_doc *d, const cd_doc_info *info, unsigned char **buf,
                         size_t *len, int *pages, cd_error *err)
{
    (void)d; (void)info;
    if (buf) *buf = NULL;
    if (len) *len = 0;
    if (pages) *pages = 0;
    return cd_error_set(err, CD_EGENERAL, "layout not finished: cannot write PDF documents yet");
}
