/* template_int.h -- the template module's private parts: the compiled form
 * of a template (a tree of tnode, one per element that does something, with
 * its XPath expressions compiled once at load), shared by template.c
 * (loading, validation, compiling), template_render.c (binding to a data
 * document, driving layout.h) and template_format.c (value formats). */
#ifndef CD_TEMPLATE_INT_H
#define CD_TEMPLATE_INT_H
#include <stdbool.h>
#include <libxml/xpath.h>
#include "arena.h"
#include "layout.h"
#include "template.h"

/* A compiled XPath expression and where it was written. */
typedef struct {
    xmlXPathCompExprPtr comp;
    const char *src;          /* the expression text */
    int line, col;            /* of the attribute in the template file */
} tx_expr;

typedef enum {
    /* inline */
    TK_TEXT, TK_B, TK_I, TK_BR, TK_VALUE, TK_PAGE_OF, TK_PAGE_COUNT,
    /* blocks */
    TK_H, TK_P, TK_TEXTBLOCK, TK_LIST, TK_ITEM, TK_FIELDS, TK_FIELD, TK_SPACE,
    TK_RULE, TK_PAGE_BREAK, TK_ANCHOR, TK_IMAGE, TK_SIGNATURE, TK_TABLE, TK_COLUMN,
    TK_TOTAL, TK_CELL, TK_CHART, TK_SERIES, TK_ALT, TK_INCLUDE, TK_SECTION,
    /* flow, block or inline */
    TK_IF, TK_ELSE, TK_CHOOSE, TK_WHEN, TK_OTHERWISE, TK_FOR_EACH, TK_WITH,
    /* page set-up parts, kept for the running lines */
    TK_LEFT, TK_CENTRE, TK_RIGHT,
    /* the document title (set-up) */
    TK_TITLE
} tkind;

/* Value formats (format="..."); one table in template_format.c. */
typedef enum {
    TF_TEXT, TF_DATE, TF_LONG_DATE, TF_SHORT_DATE, TF_DATETIME, TF_NUMBER,
    TF_INTEGER, TF_DECIMAL, TF_PERCENT, TF_PERCENT_OF, TF_MONEY, TF_YESNO, TF_UPPER,
    TF_COUNT
} tformat;

/* An <include>d template. It is loaded with the including one unless its
 * bytes are known to load cleanly (the validity cache, template.c): then on
 * first use, by tl_include, so a document that never reaches the include
 * never reads it. */
typedef struct {
    const char *path;              /* resolved beside the including template */
    const char **chain;            /* real paths of the including templates, outermost first */
    int depth;                     /* entries in chain */
    cd_template *t;                /* NULL until loaded */
    char *error;                   /* malloc'd: why the deferred load failed (once) */
} tinclude;

typedef struct tnode tnode;
struct tnode {
    tkind kind;
    int line, col;                 /* of the element's start tag */
    tnode *kids, *next;            /* children in document order */
    tnode *otherwise;              /* if: the <else> branch; choose: the <otherwise>
                                      branch; table: the <total> cells; chart: the <alt>;
                                      section: its <footer> parts */
    const char *text;              /* TK_TEXT: whitespace-collapsed literal;
                                      anchor/page-of/section/page-count: name; image: resolved path;
                                      alt: literal; series: name; for-each: separator */
    tx_expr *select;               /* select= / test= / name= (signature) */
    tx_expr *aux;                  /* base= (percent-of, series), date= (signature),
                                      mark= (table), categories= (chart) */
    const char *fallback, *zero;   /* value, text */
    const char *noun, *plural;     /* value format="count" */
    const char *label, *title, *role, *heading, *empty;
    const char *link;              /* h, p, item, field: the anchor a click goes to */
    tformat format;
    int decimals;                  /* decimal:N */
    int level;                     /* h */
    bool numbered, boxed, rules, zebra;
    bool keep_next, keep_together; /* keep-with-next=, keep-together= on blocks */
    bool per_category;             /* series: value= (per category node), not select= */
    cd_align align;
    double width, weight, height, size;
    double y_min, y_max;
    double min_base;               /* chart: values on fewer are drawn hollow */
    const char *hollow_label;      /* chart: the legend entry for them */
    const char *x_label, *y_label, *y_suffix;
    cd_chart_kind chart_kind;
    tinclude *include;             /* TK_INCLUDE */
    size_t ncolumns;               /* table */
};

struct cd_template {
    cd_arena *arena;               /* owns the tree and every string */
    const char *path;
    const char *dir;               /* folder of the file, for images and includes */
    tx_expr **exprs; size_t nexprs, exprs_cap;   /* every compiled expression, to free */
    tinclude **includes; size_t nincludes, includes_cap;   /* to free */
    /* page set-up */
    cd_page_setup setup;
    tnode *header, *footer, *first_header, *first_footer;   /* TK_LEFT.. lists */
    const char *title, *subject, *keywords;
    tnode *doc_title;              /* <title>: the PDF's title with data in it, or NULL */
    tnode *body;                   /* list of blocks */
};

/* ---- template.c ---- */

/* The included template of inc, loading it now if its load was deferred.
 * On failure (the file changed since, or an include of its own is refused
 * in this chain) err holds the load's errors, and every later call fails
 * the same way. */
int tl_include(tinclude *inc, const cd_template **out, cd_error *err);

/* ---- template_format.c ---- */

/* Parses a format name ("date", "decimal:1"...); false if unknown. */
bool tf_parse(const char *name, tformat *f, int *decimals);
/* The list of format names for error messages. */
const char *tf_names(void);
/* Formats value (the string value of the selection, non-empty) in format f
 * into out (arena string). base is the percent-of base string (or NULL),
 * zero the text for a zero base. Returns false when the value does not fit
 * the format (not a number, not a date); *why then says what was expected. */
bool tf_format(cd_arena *a, tformat f, int decimals, const char *value,
               const char *base, const char *zero, const char **out, const char **why);
/* format="count": value a whole number, printed with noun (or its plural,
 * words.h): "1 absence", "2 absences", and for 0 zero when given, else "no
 * absences". False (with *why) when value is not a whole number. */
bool tf_format_count(cd_arena *a, const char *value, const char *noun, const char *plural,
                     const char *zero, const char **out, const char **why);
/* Parses a length "20mm", "12pt", "1.5cm", "0.5in" (or a bare number of
 * points) into points; false if malformed or negative. */
bool tf_length(const char *s, double *points);

/* ---- template.c ---- */
/* One sentence for an XPath error from libxml2 (which gives its handlers a
 * code and an offset but no message), with the character position. */
void tx_describe_error(const xmlError *e, char *out, size_t n);

/* ---- template_render.c ---- */
int tr_render(const cd_template *t, xmlDocPtr data, const cd_template_opts *o,
              const char *out_path, unsigned char **buf, size_t *len, int *pages,
              cd_error *err);

#endif
