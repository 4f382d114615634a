/* template_render.c -- binding a loaded template to a data document: walks
 * the compiled tree, evaluates its XPath expressions against the data (the
 * context node starts at the document node and moves with for-each, with,
 * table rows and include), formats values, and hands blocks, tables and
 * charts to the layout engine (layout.h), then has it write the PDF.
 *
 * Rules a template author relies on (docs/templates.md): a value that
 * selects nothing, or only white space, prints its fallback ("not recorded"
 * unless fallback= says otherwise); literal text has its white space
 * collapsed; <text> prints free text in full, one paragraph per line.
 * Errors name the template file, line and column of the expression that
 * failed, never the data's content.
 */
#include "template_int.h"
#include "strbuf.h"
#include "pdf.h"
#include <libxml/xpathInternals.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_FALLBACK "not recorded"

/* Where evaluation stands: the context node and its position in the
 * node-set being iterated (XPath position() and last()). */
typedef struct { xmlNodePtr node; int pos, size; } rctx;

typedef struct {
    const cd_template *t;          /* the template being walked (changes inside an include) */
    xmlXPathContextPtr xp;
    cd_doc *doc;
    cd_arena *arena;               /* lives for the render */
    cd_arena *scratch;             /* lives for one block or table row */
    cd_error *err;
    char xperr[256];
    int list_level;                /* 0 = not in a list */
    bool in_section;
    int list_number[4];            /* next number per level, 0 = bullets */
    double label_width;
    int include_depth;
    unsigned long elements;        /* template elements evaluated (the budget) */
    cd_font_family *font;          /* to find characters the fonts cannot draw */
    const cd_template_opts *o;
    const tx_expr **glyph_warned;  /* fields already reported (once per field) */
    size_t nglyph_warned, glyph_cap;
} rstate;

typedef struct { cd_span *v; size_t n, cap; unsigned style; } spans;

static void scratch_reset(rstate *s)
{
    cd_arena_free(s->scratch);
    s->scratch = cd_arena_new();
}

static int fail_at(rstate *s, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail_at(rstate *s, int line, int col, const char *fmt, ...)
{
    char msg[700];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return cd_error_set(s->err, CD_EINPUT, "%s:%d:%d: %s", s->t->path, line, col, msg);
}

static void collect_xpath_error(void *data, xmlErrorPtr e)
{
    rstate *s = data;
    if (!s->xperr[0]) tx_describe_error(e, s->xperr, sizeof s->xperr);
}

/* ---- evaluation --------------------------------------------------------------- */

static int eval(rstate *s, const tx_expr *x, rctx c, xmlXPathObjectPtr *out)
{
    s->xp->node = c.node;
    s->xp->contextSize = c.size;
    s->xp->proximityPosition = c.pos;
    s->xperr[0] = '\0';
    *out = xmlXPathCompiledEval(x->comp, s->xp);
    if (!*out && s->xp->opCount >= s->xp->opLimit)
        return fail_at(s, x->line, x->col, "the document's XPath budget (%lu operations) is spent "
                       "evaluating \"%s\": an expression whose work grows too fast (nested // "
                       "or count() over the whole document?)", CD_TEMPLATE_MAX_XPATH_OPS, x->src);
    if (!*out)
        return fail_at(s, x->line, x->col, "cannot evaluate \"%s\": %s", x->src,
                       s->xperr[0] ? s->xperr : "XPath error");
    return CD_OK;
}

static int eval_bool(rstate *s, const tx_expr *x, rctx c, bool *out)
{
    xmlXPathObjectPtr r;
    int rc = eval(s, x, c, &r);
    if (rc) return rc;
    *out = xmlXPathCastToBoolean(r) != 0;
    xmlXPathFreeObject(r);
    return CD_OK;
}

/* Evaluates a node-set expression; *set is NULL or freed with xmlXPathFreeObject. */
static int eval_nodes(rstate *s, const tx_expr *x, rctx c, xmlXPathObjectPtr *set, int *n)
{
    int rc = eval(s, x, c, set);
    if (rc) return rc;
    if ((*set)->type != XPATH_NODESET) {
        xmlXPathFreeObject(*set);
        *set = NULL;
        return fail_at(s, x->line, x->col, "\"%s\" must select nodes (a path such as "
                       "\"appointments/appointment\"), not a %s", x->src, "string, number or boolean");
    }
    *n = (*set)->nodesetval ? (*set)->nodesetval->nodeNr : 0;
    return CD_OK;
}

/* The string value of x in context c, trimmed, in the scratch arena; NULL
 * when it selects nothing, is NaN, or is only white space. */
static int eval_string(rstate *s, const tx_expr *x, rctx c, const char **out)
{
    xmlXPathObjectPtr r;
    int rc = eval(s, x, c, &r);
    if (rc) return rc;
    *out = NULL;
    xmlChar *str = NULL;
    if (r->type == XPATH_NODESET) {
        if (r->nodesetval && r->nodesetval->nodeNr > 0)
            str = xmlXPathCastNodeToString(r->nodesetval->nodeTab[0]);
    } else if (r->type == XPATH_NUMBER) {
        if (!isnan(r->floatval)) str = xmlXPathCastToString(r);
    } else {
        str = xmlXPathCastToString(r);
    }
    xmlXPathFreeObject(r);
    if (str) {
        const char *p = (const char *)str;
        p += strspn(p, " \t\r\n");
        size_t n = strlen(p);
        while (n && strchr(" \t\r\n", p[n - 1])) n--;
        if (n) *out = cd_arena_strndup(s->scratch, p, n);
        xmlFree(str);
    }
    return CD_OK;
}

/* The text a <value> prints: formatted, or its fallback. */
/* A value holding a character the fonts cannot draw prints a replacement
 * mark: counted in *o->missing_glyphs and reported once per field to
 * o->glyph_warnings (or o->warnings) as "warning: SUBJECT: FILE:LINE: the value of EXPR holds a
 * character the fonts cannot draw", naming the field (the template's
 * expression), never the value or the character. */
static void check_glyphs(rstate *s, const tx_expr *field, const char *text)
{
    if (!s->font || !text) return;
    size_t n = strlen(text);
    bool missing = false;
    for (size_t i = 0; i < n && !missing;) {
        uint32_t cp;
        i += cd_utf8_decode(text + i, n - i, &cp);
        if (cp >= 0x20 && !cd_font_has_glyph(s->font, CD_FACE_REGULAR, cp)) missing = true;
    }
    if (!missing) return;
    for (size_t i = 0; i < s->nglyph_warned; i++)
        if (s->glyph_warned[i] == field) return;
    if (s->nglyph_warned == s->glyph_cap) {
        s->glyph_cap = s->glyph_cap ? s->glyph_cap * 2 : 8;
        const tx_expr **g = realloc(s->glyph_warned, s->glyph_cap * sizeof *g);
        if (!g) cd_out_of_memory();
        s->glyph_warned = g;
    }
    s->glyph_warned[s->nglyph_warned++] = field;
    if (s->o->missing_glyphs) ++*s->o->missing_glyphs;
    FILE *w = s->o->glyph_warnings ? s->o->glyph_warnings : s->o->warnings;
    if (w)
        fprintf(w, "warning: %s%s%s:%d: the value of %s holds a character the fonts "
                "cannot draw; it prints as a replacement mark\n", s->o->subject ? s->o->subject : "",
                s->o->subject ? ": " : "", s->t->path, field->line, field->src);
}

static int value_text(rstate *s, const tnode *v, rctx c, const char **out)
{
    const char *raw, *base = NULL, *why;
    int rc = eval_string(s, v->select, c, &raw);
    if (!rc && raw && v->aux) rc = eval_string(s, v->aux, c, &base);
    if (rc) return rc;
    check_glyphs(s, v->select, raw);
    const char *fallback = v->fallback ? v->fallback : DEFAULT_FALLBACK;
    if (!raw || (v->format == TF_PERCENT_OF && !base)) { *out = fallback; return CD_OK; }
    bool ok = v->format == TF_COUNT
            ? tf_format_count(s->scratch, raw, v->noun, v->plural, v->zero, out, &why)
            : tf_format(s->scratch, v->format, v->decimals, raw, base, v->zero, out, &why);
    if (!ok)
        return fail_at(s, v->select->line, v->select->col, "the value of \"%s\" is not %s, as its "
                       "format needs", v->select->src, why);
    return CD_OK;
}

/* ---- inline content ------------------------------------------------------------- */

static void push_span(rstate *s, spans *sp, const char *text)
{
    if (!text || !*text) return;
    cd_span *x = CD_PUSH(s->scratch, sp->v, sp->n, sp->cap);
    x->text = text;
    x->style = sp->style;
}

/* Text from the data inside a line: runs of white space become one space. */
static const char *one_line(rstate *s, const char *v)
{
    if (!strpbrk(v, "\t\r\n")) return v;
    char *o = cd_arena_strdup(s->scratch, v);
    for (char *p = o; *p; p++)
        if (*p == '\t' || *p == '\r' || *p == '\n') *p = ' ';
    return o;
}

static int r_inline(rstate *s, const tnode *n, rctx c, spans *out);

/* Formats whose output is one figure ("26 October 2026", "£1,250", "3 of 8
 * (38%)"): never broken across lines (CD_SPAN_NOWRAP). */
static bool unbreakable_format(tformat f)
{
    switch (f) {
    case TF_TEXT: case TF_YESNO: case TF_UPPER: return false;
    default: return true;
    }
}

/* Runs the flow elements (if, choose, for-each, with) for either mode: fn is
 * called on the chosen children with the right context. */
typedef int (*walk_fn)(rstate *s, const tnode *list, rctx c, void *arg);

static int r_flow(rstate *s, const tnode *n, rctx c, walk_fn fn, void *arg, spans *sep_into)
{
    int rc = CD_OK;
    bool b;
    switch (n->kind) {
    case TK_IF:
        if ((rc = eval_bool(s, n->select, c, &b))) return rc;
        return fn(s, b ? n->kids : n->otherwise, c, arg);
    case TK_CHOOSE:
        for (const tnode *w = n->kids; w; w = w->next) {
            if ((rc = eval_bool(s, w->select, c, &b))) return rc;
            if (b) return fn(s, w->kids, c, arg);
        }
        return fn(s, n->otherwise, c, arg);
    case TK_FOR_EACH: case TK_WITH: {
        xmlXPathObjectPtr set;
        int count;
        if ((rc = eval_nodes(s, n->select, c, &set, &count))) return rc;
        if (n->kind == TK_WITH && count > 1) count = 1;
        for (int i = 0; i < count && !rc; i++) {
            if (i > 0 && sep_into && n->text) push_span(s, sep_into, n->text);
            rctx inner = {set->nodesetval->nodeTab[i], i + 1, n->kind == TK_WITH ? 1 : count};
            rc = fn(s, n->kids, inner, arg);
        }
        xmlXPathFreeObject(set);
        return rc;
    }
    default:
        return CD_OK;
    }
}

static int inline_list(rstate *s, const tnode *list, rctx c, void *arg)
{
    for (const tnode *n = list; n; n = n->next) {
        int rc = r_inline(s, n, c, arg);
        if (rc) return rc;
    }
    return CD_OK;
}

/* Counts one template element evaluated against the budget. */
static int spend(rstate *s, const tnode *n)
{
    if (++s->elements <= CD_TEMPLATE_MAX_ELEMENTS) return CD_OK;
    return fail_at(s, n->line, n->col, "the document's budget of %lu template elements evaluated "
                   "is spent here (a loop within a loop?)", CD_TEMPLATE_MAX_ELEMENTS);
}

static int r_inline(rstate *s, const tnode *n, rctx c, spans *out)
{
    const char *v;
    int rc;
    if ((rc = spend(s, n))) return rc;
    switch (n->kind) {
    case TK_TEXT:
        push_span(s, out, n->text);
        return CD_OK;
    case TK_B: case TK_I: {
        unsigned saved = out->style;
        out->style |= n->kind == TK_B ? CD_SPAN_BOLD : CD_SPAN_ITALIC;
        rc = inline_list(s, n->kids, c, out);
        out->style = saved;
        return rc;
    }
    case TK_BR:
        push_span(s, out, "\n");
        return CD_OK;
    case TK_VALUE: {
        if ((rc = value_text(s, n, c, &v))) return rc;
        unsigned saved = out->style;
        if (unbreakable_format(n->format)) out->style |= CD_SPAN_NOWRAP;
        push_span(s, out, one_line(s, v));
        out->style = saved;
        return CD_OK;
    }
    case TK_PAGE_OF:
        push_span(s, out, cd_arena_printf(s->scratch, "{page:%s}", n->text));
        return CD_OK;
    case TK_PAGE_COUNT:
        push_span(s, out, n->label ? cd_arena_printf(s->scratch, "{pages:%s %s}", n->text, n->label)
                                   : cd_arena_printf(s->scratch, "{pages:%s}", n->text));
        return CD_OK;
    case TK_IF: case TK_CHOOSE: case TK_FOR_EACH: case TK_WITH:
        return r_flow(s, n, c, inline_list, out, out);
    default:
        return CD_OK;
    }
}

/* Collects the inline content of list in context c into *out with white
 * space made tidy: no leading or trailing space, no double spaces across
 * span boundaries, none around a line break. */
static int collect(rstate *s, const tnode *list, rctx c, spans *out)
{
    spans raw = {0};
    int rc = inline_list(s, list, c, &raw);
    if (rc) return rc;
    *out = (spans){0};
    bool after_space = true;                  /* at the start: drop leading space */
    for (size_t i = 0; i < raw.n; i++) {
        const char *t = raw.v[i].text;
        char *o = cd_arena_alloc(s->scratch, strlen(t) + 1), *w = o;
        for (; *t; t++) {
            if (*t == ' ') {
                if (after_space) continue;
                after_space = true;
            } else if (*t == '\n') {
                if (w > o && w[-1] == ' ') w--;
                after_space = true;
            } else {
                after_space = false;
            }
            *w++ = *t;
        }
        *w = '\0';
        if (*o) {
            cd_span *x = CD_PUSH(s->scratch, out->v, out->n, out->cap);
            x->text = o;
            x->style = raw.v[i].style;
        }
    }
    /* trailing space of the last span(s) */
    while (out->n) {
        char *t = (char *)out->v[out->n - 1].text;
        size_t k = strlen(t);
        while (k && t[k - 1] == ' ') t[--k] = '\0';
        if (k) break;
        out->n--;
    }
    return CD_OK;
}

/* Inline content flattened to one plain string (running lines, alt text). */
static int flat_text(rstate *s, const tnode *list, rctx c, cd_arena *a, const char **out)
{
    spans sp;
    int rc = collect(s, list, c, &sp);
    if (rc) return rc;
    cd_strbuf b = CD_STRBUF_INIT;
    for (size_t i = 0; i < sp.n; i++) cd_strbuf_add(&b, sp.v[i].text);
    *out = b.len ? cd_arena_strdup(a, b.s) : NULL;
    cd_strbuf_free(&b);
    return CD_OK;
}

/* ---- blocks ------------------------------------------------------------------------ */

static int r_block(rstate *s, const tnode *n, rctx c);
static int running_line(rstate *s, const tnode *parts, rctx root, cd_running_line *out);

static int block_list(rstate *s, const tnode *list, rctx c, void *arg)
{
    (void)arg;
    for (const tnode *n = list; n; n = n->next) {
        int rc = r_block(s, n, c);
        if (rc) return rc;
    }
    return CD_OK;
}

/* <text>: free text from the records, one paragraph per non-blank line. */
static int r_text(rstate *s, const tnode *n, rctx c)
{
    xmlXPathObjectPtr r;
    int rc = eval(s, n->select, c, &r);
    if (rc) return rc;
    xmlChar *str = NULL;
    if (r->type != XPATH_NODESET || (r->nodesetval && r->nodesetval->nodeNr > 0))
        str = r->type == XPATH_NODESET ? xmlXPathCastNodeToString(r->nodesetval->nodeTab[0])
                                       : xmlXPathCastToString(r);
    xmlXPathFreeObject(r);
    cd_para_style style = {.align = n->align};
    int paragraphs = 0;
    for (const char *p = str ? (const char *)str : ""; *p;) {
        size_t len = strcspn(p, "\n");
        const char *line = p;
        p += len + (p[len] == '\n');
        while (len && strchr(" \t\r", *line)) { line++; len--; }
        while (len && strchr(" \t\r", line[len - 1])) len--;
        if (!len) continue;
        cd_span sp = {cd_arena_strndup(s->scratch, line, len), 0};
        for (char *q = (char *)sp.text; *q; q++) if (*q == '\t') *q = ' ';
        cd_doc_paragraph(s->doc, &sp, 1, &style);
        paragraphs++;
    }
    xmlFree(str);
    const char *fallback = n->fallback ? n->fallback : DEFAULT_FALLBACK;
    if (!paragraphs && *fallback) {
        cd_span sp = {fallback, 0};
        cd_doc_paragraph(s->doc, &sp, 1, &style);
    }
    return CD_OK;
}

/* The cells of one table row: the inline content of each <column> (or
 * total <cell>) in list, bound to context c. */
static int row_cells(rstate *s, const tnode *list, rctx c, const cd_span **cells, size_t *ncells)
{
    size_t i = 0;
    for (const tnode *k = list; k; k = k->next, i++) {
        spans sp;
        int rc = collect(s, k->kids, c, &sp);
        if (rc) return rc;
        cells[i] = sp.v;
        ncells[i] = sp.n;
    }
    return CD_OK;
}

static int r_table(rstate *s, const tnode *n, rctx c)
{
    size_t nc = n->ncolumns;
    cd_column *cols = cd_arena_alloc(s->arena, nc * sizeof *cols);
    const cd_span **cells = cd_arena_alloc(s->arena, nc * sizeof *cells);
    size_t *ncells = cd_arena_alloc(s->arena, nc * sizeof *ncells);
    bool headed = false;
    size_t i = 0;
    for (const tnode *col = n->kids; col; col = col->next, i++) {
        cols[i] = (cd_column){col->width, col->weight, col->align};
        if (col->heading) headed = true;
    }
    cd_table_style style = {.rules = n->rules, .zebra = n->zebra, .font_size = n->size,
                            .empty_message = n->empty};
    cd_table *tab = cd_doc_table(s->doc, cols, nc, &style);
    if (headed) {
        i = 0;
        for (const tnode *col = n->kids; col; col = col->next, i++) {
            cd_span *h = cd_arena_alloc(s->scratch, sizeof *h);
            h->text = col->heading ? col->heading : "";
            cells[i] = h;
            ncells[i] = 1;
        }
        cd_table_row(tab, CD_ROW_HEADER, cells, ncells, false);
        scratch_reset(s);
    }
    xmlXPathObjectPtr set;
    int count, rc = eval_nodes(s, n->select, c, &set, &count);
    if (rc) return rc;
    for (int r = 0; r < count && !rc; r++) {
        rctx row = {set->nodesetval->nodeTab[r], r + 1, count};
        bool marked = false;
        if (n->aux) rc = eval_bool(s, n->aux, row, &marked);
        if (!rc) rc = row_cells(s, n->kids, row, cells, ncells);
        if (!rc) cd_table_row(tab, CD_ROW_BODY, cells, ncells, marked);
        scratch_reset(s);
    }
    xmlXPathFreeObject(set);
    if (rc || !n->otherwise) return rc;
    rc = row_cells(s, n->otherwise, c, cells, ncells);
    if (!rc) cd_table_row(tab, CD_ROW_TOTAL, cells, ncells, false);
    return rc;
}

/* A number from a string value: NAN when it is missing, empty or not a number. */
static double number_of(const xmlChar *v)
{
    if (!v) return NAN;
    char *end;
    const char *p = (const char *)v;
    p += strspn(p, " \t\r\n");
    double d = strtod(p, &end);
    return end != p && !end[strspn(end, " \t\r\n")] && isfinite(d) ? d : NAN;
}

/* One number per category for series k: with per_category (value=, base=)
 * x is evaluated with each category's element as the context (the node
 * categories= selected, or the element of that attribute; a missing value
 * is a gap); otherwise (select=) x selects the values in category order, and
 * more values than categories is an error naming the template line. */
static int series_numbers(rstate *s, const tnode *k, const tx_expr *x, rctx c,
                          xmlNodeSetPtr cats, int ncat, bool per_category, double **out)
{
    double *vals = cd_arena_alloc(s->scratch, sizeof(double) * (size_t)(ncat + 1));
    *out = vals;
    if (per_category) {
        for (int i = 0; i < ncat; i++) {
            const char *v;
            xmlNodePtr node = cats->nodeTab[i];
            if (node->type == XML_ATTRIBUTE_NODE && node->parent) node = node->parent;
            int rc = eval_string(s, x, (rctx){node, i + 1, ncat}, &v);
            if (rc) return rc;
            vals[i] = number_of((const xmlChar *)v);
        }
        return CD_OK;
    }
    xmlXPathObjectPtr set;
    int nv, rc = eval_nodes(s, x, c, &set, &nv);
    if (rc) return rc;
    if (nv > ncat) {
        xmlXPathFreeObject(set);
        return fail_at(s, x->line, x->col, "series \"%s\" has %d values for %d "
                       "categories: select one value per category", k->text, nv, ncat);
    }
    for (int i = 0; i < ncat; i++) {
        vals[i] = NAN;
        if (i < nv) {
            xmlChar *v = xmlXPathCastNodeToString(set->nodesetval->nodeTab[i]);
            vals[i] = number_of(v);
            xmlFree(v);
        }
    }
    xmlXPathFreeObject(set);
    return CD_OK;
}

static int r_chart(rstate *s, const tnode *n, rctx c)
{
    xmlXPathObjectPtr set;
    int ncat, rc = eval_nodes(s, n->aux, c, &set, &ncat);
    if (rc) return rc;
    const char **cats = cd_arena_alloc(s->scratch, sizeof(char *) * (size_t)(ncat + 1));
    for (int i = 0; i < ncat; i++) {
        xmlChar *v = xmlXPathCastNodeToString(set->nodesetval->nodeTab[i]);
        cats[i] = one_line(s, cd_arena_strdup(s->scratch, (const char *)v));
        xmlFree(v);
    }
    size_t nseries = 0;
    for (const tnode *k = n->kids; k; k = k->next) nseries++;
    cd_chart_series *series = cd_arena_alloc(s->scratch, nseries * sizeof *series);
    size_t si = 0;
    for (const tnode *k = n->kids; k && !rc; k = k->next, si++) {
        double *vals = NULL, *bases = NULL;
        rc = series_numbers(s, k, k->select, c, set->nodesetval, ncat, k->per_category, &vals);
        if (!rc && k->aux)
            rc = series_numbers(s, k, k->aux, c, set->nodesetval, ncat, true, &bases);
        series[si] = (cd_chart_series){.name = k->text, .values = vals, .bases = bases};
    }
    xmlXPathFreeObject(set);
    if (rc) return rc;
    const char *alt = NULL;
    const tnode *a = n->otherwise;
    if (a && a->select) rc = eval_string(s, a->select, c, &alt);
    else if (a) rc = flat_text(s, a->kids, c, s->scratch, &alt);
    if (rc) return rc;
    cd_chart ch = {
        .kind = n->chart_kind, .title = n->title, .x_label = n->x_label, .y_label = n->y_label,
        .categories = cats, .ncategories = (size_t)ncat, .series = series, .nseries = nseries,
        .y_min = n->y_min, .y_max = n->y_max, .y_suffix = n->y_suffix, .height = n->height,
        .alt_text = alt ? one_line(s, alt) : DEFAULT_FALLBACK,
        .min_base = n->min_base, .hollow_label = n->hollow_label,
    };
    cd_doc_chart(s->doc, &ch);
    return CD_OK;
}

static int r_block_inner(rstate *s, const tnode *n, rctx c);

/* A block with its keep-together= and keep-with-next= attributes applied. */
static int r_block(rstate *s, const tnode *n, rctx c)
{
    int brc = spend(s, n);
    if (brc) return brc;
    if (n->keep_together) cd_doc_keep_begin(s->doc);
    int rc = r_block_inner(s, n, c);
    if (n->keep_together) cd_doc_keep_end(s->doc);
    if (!rc && n->keep_next) cd_doc_keep_with_next(s->doc);
    return rc;
}

static int r_block_inner(rstate *s, const tnode *n, rctx c)
{
    spans sp;
    int rc = CD_OK;
    switch (n->kind) {
    case TK_H:
        if (!(rc = collect(s, n->kids, c, &sp))) cd_doc_heading(s->doc, n->level, sp.v, sp.n);
        if (!rc && n->link) cd_doc_link(s->doc, n->link);
        break;
    case TK_P:
        if (!(rc = collect(s, n->kids, c, &sp))) {
            cd_para_style st = {.font_size = n->size, .align = n->align, .boxed = n->boxed};
            cd_doc_paragraph(s->doc, sp.v, sp.n, &st);
            if (n->link) cd_doc_link(s->doc, n->link);
        }
        break;
    case TK_TEXTBLOCK:
        rc = r_text(s, n, c);
        break;
    case TK_LIST: {
        int saved = s->list_level;
        if (s->list_level < 3) s->list_level++;    /* deeper lists print at the third level */
        int lvl = s->list_level;
        int saved_number = s->list_number[lvl];
        s->list_number[lvl] = n->numbered ? 1 : 0;
        rc = block_list(s, n->kids, c, NULL);
        s->list_number[lvl] = saved_number;
        s->list_level = saved;
        break;
    }
    case TK_ITEM:
        if (!(rc = collect(s, n->kids, c, &sp))) {
            int lvl = s->list_level ? s->list_level : 1;
            int num = s->list_number[lvl];
            if (num > 0) s->list_number[lvl]++;
            cd_doc_list_item(s->doc, lvl, num, sp.v, sp.n);
            if (n->link) cd_doc_link(s->doc, n->link);
        }
        break;
    case TK_FIELDS: {
        double saved = s->label_width;
        s->label_width = n->width;
        rc = block_list(s, n->kids, c, NULL);
        s->label_width = saved;
        break;
    }
    case TK_FIELD:
        if (!(rc = collect(s, n->kids, c, &sp)))
        {
            cd_doc_label_value(s->doc, n->label, sp.v, sp.n, s->label_width);
            if (n->link) cd_doc_link(s->doc, n->link);
        }
        break;
    case TK_SPACE:
        cd_doc_space(s->doc, n->height);
        break;
    case TK_RULE:
        cd_doc_rule(s->doc);
        break;
    case TK_PAGE_BREAK:
        cd_doc_page_break(s->doc);
        break;
    case TK_ANCHOR:
        cd_doc_anchor(s->doc, n->text, n->title);
        break;
    case TK_IMAGE:
        cd_doc_image(s->doc, n->text, n->width, n->align);
        break;
    case TK_SIGNATURE: {
        const char *name = NULL, *date = NULL, *why;
        if (n->select) rc = eval_string(s, n->select, c, &name);
        if (!rc && n->aux) rc = eval_string(s, n->aux, c, &date);
        if (!rc && date && !tf_format(s->scratch, TF_DATE, 0, date, NULL, NULL, &date, &why))
            rc = fail_at(s, n->aux->line, n->aux->col, "the value of \"%s\" is not %s", n->aux->src, why);
        if (!rc) cd_doc_signature(s->doc, name ? one_line(s, name) : NULL, n->role, date);
        break;
    }
    case TK_TABLE:
        rc = r_table(s, n, c);
        break;
    case TK_CHART:
        rc = r_chart(s, n, c);
        break;
    case TK_SECTION: {
        if (s->in_section)
            return fail_at(s, n->line, n->col, "section \"%s\" is inside another section: sections "
                           "are whole pages and do not nest", n->text);
        cd_running_line footer;
        if ((rc = running_line(s, n->otherwise, c, &footer))) return rc;
        cd_doc_section_begin(s->doc, n->text, n->title, n->otherwise ? &footer : NULL);
        s->in_section = true;
        rc = block_list(s, n->kids, c, NULL);
        s->in_section = false;
        cd_doc_section_end(s->doc);
        break;
    }
    case TK_INCLUDE: {
        rctx inner = c;
        xmlXPathObjectPtr set = NULL;
        if (n->select) {
            int count;
            if ((rc = eval_nodes(s, n->select, c, &set, &count))) return rc;
            if (count == 0) { xmlXPathFreeObject(set); break; }   /* nothing to include */
            inner = (rctx){set->nodesetval->nodeTab[0], 1, 1};
        }
        const cd_template *outer = s->t, *included;
        if ((rc = tl_include(n->include, &included, s->err))) {
            cd_error_prefix(s->err, "%s:%d:%d: ", s->t->path, n->line, n->col);
            xmlXPathFreeObject(set);
            return rc;
        }
        s->t = included;
        rc = block_list(s, included->body, inner, NULL);
        if (!rc) s->t = outer;              /* on error s->t names the included file */
        xmlXPathFreeObject(set);
        break;
    }
    case TK_IF: case TK_CHOOSE: case TK_FOR_EACH: case TK_WITH:
        rc = r_flow(s, n, c, block_list, NULL, NULL);
        break;
    default:
        break;
    }
    if (s->scratch && cd_arena_bytes(s->scratch) > (1u << 20)) scratch_reset(s);
    return rc;
}

/* ---- the document ------------------------------------------------------------------ */

/* The running line from <left>/<centre>/<right> parts, bound to the root. */
static int running_line(rstate *s, const tnode *parts, rctx root, cd_running_line *out)
{
    *out = (cd_running_line){0};
    for (const tnode *p = parts; p; p = p->next) {
        const char *text;
        int rc = flat_text(s, p->kids, root, s->arena, &text);
        if (rc) return rc;
        if (p->kind == TK_LEFT) out->left = text;
        else if (p->kind == TK_CENTRE) out->centre = text;
        else if (p->kind == TK_RIGHT) out->right = text;
    }
    return CD_OK;
}

int tr_render(const cd_template *t, xmlDocPtr data, const cd_template_opts *o,
              const char *out_path, unsigned char **buf, size_t *len, int *pages,
              cd_error *err)
{
    static const cd_template_opts none;
    if (!o) o = &none;
    if (!data) return cd_error_set(err, CD_EGENERAL, "%s: no data document to render", t->path);
    rstate s = {.t = t, .err = err, .o = o};
    if (o->missing_glyphs) *o->missing_glyphs = 0;
    cd_error ferr = {0, {0}};
    if (cd_font_family_get(t->setup.font_dir ? t->setup.font_dir : "fonts",
                           t->setup.font_family ? t->setup.font_family : "DejaVuSans", &s.font, &ferr))
        s.font = NULL;               /* the layout reports the font itself */
    s.arena = cd_arena_new();
    s.scratch = cd_arena_new();
    s.xp = xmlXPathNewContext(data);
    s.xp->error = collect_xpath_error;
    s.xp->opLimit = CD_TEMPLATE_MAX_XPATH_OPS;
    s.xp->opCount = 0;
    s.xp->userData = &s;
    rctx root = {(xmlNodePtr)data, 1, 1};

    cd_page_setup setup = t->setup;
    setup.draft = o->draft;
    int rc = running_line(&s, t->header, root, &setup.header);
    if (!rc) rc = running_line(&s, t->footer, root, &setup.footer);
    if (!rc) rc = running_line(&s, t->first_header, root, &setup.first_header);
    if (!rc) rc = running_line(&s, t->first_footer, root, &setup.first_footer);
    if (!rc && setup.first_page_differs) {
        if (!t->first_header) setup.first_header = setup.header;
        if (!t->first_footer) setup.first_footer = setup.footer;
    }
    if (!rc) {
        s.doc = cd_doc_new(&setup);
        cd_doc_set_warnings(s.doc, o->warnings);
        rc = block_list(&s, t->body, root, NULL);
    }
    const char *title = t->title;
    if (!rc && t->doc_title) rc = flat_text(&s, t->doc_title->kids, root, s.arena, &title);
    if (!rc) {
        cd_doc_info info = {title, o->author, t->subject, t->keywords, o->password};
        rc = out_path ? cd_doc_render(s.doc, &info, out_path, pages, err)
                      : cd_doc_render_buffer(s.doc, &info, buf, len, pages, err);
        if (rc) cd_error_prefix(err, "%s: ", t->path);
    }
    cd_doc_free(s.doc);
    free(s.glyph_warned);
    xmlXPathFreeContext(s.xp);
    cd_arena_free(s.scratch);
    cd_arena_free(s.arena);
    return rc;
}
