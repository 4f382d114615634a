/* template.h -- document templates: XML files in the template language
 * (namespace urn:courtdocs:template:1, reference in docs/templates.md,
 * grammar in schemas/template.rng) that say what a court document shows and
 * how, reading every figure and word from a data document through XPath 1.0.
 *
 * A template is loaded once (parsed with no entity substitution, no DTD and
 * no network; validated against the schema; every XPath expression compiled
 * and checked; included templates, images and the font located) and can then
 * render any number of documents: rendering binds the compiled template to
 * a data document and drives the layout engine (layout.h), which this module
 * is the only caller of. A template never runs SQL and can read nothing but
 * the data document it is given.
 *
 * Errors name the template file, line and column of the element or
 * attribute at fault: "templates/review.xml:12:18: unknown function foo()".
 * Messages never quote data-document content.
 */
#ifndef CD_TEMPLATE_H
#define CD_TEMPLATE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <libxml/tree.h>
#include "courtdocs.h"

typedef struct cd_template cd_template;

/* Limits: elements nested deeper than this are refused, and includes deeper
 * than CD_TEMPLATE_MAX_INCLUDE (or that include themselves) too. */
#define CD_TEMPLATE_MAX_DEPTH   64
#define CD_TEMPLATE_MAX_INCLUDE 8

/* The evaluation budget of one document: XPath operations (libxml2's
 * count, all expressions together), template elements evaluated (every
 * element each time a loop runs it), and pages (CD_LAYOUT_MAX_PAGES). A
 * template that would spend more (an exponential expression, a loop within
 * a loop) fails with an error naming the template file and the line where
 * the budget ran out, instead of running for minutes and filling the disk.
 * Real documents use a small share: a breach pack answering 331 failure
 * records spent 48,906 operations and 3,644 elements, its review 59,457
 * and 3,477 (0.3% and about 1% of the budgets). */
#define CD_TEMPLATE_MAX_XPATH_OPS 20000000UL
#define CD_TEMPLATE_MAX_ELEMENTS  300000UL

/* Loads, validates and compiles the template at path. On failure *out is
 * NULL and err (code CD_EINPUT for a bad template, CD_EGENERAL for I/O) holds
 * every error found, one "FILE:LINE:COL: message" per line (as many as fit).
 * The schema is found under cd_data_dir()/schemas. */
int  cd_template_load(const char *path, cd_template **out, cd_error *err);
/* The same, for check-template. cd_template_load reads an included template
 * only when a document reaches it if that file's bytes are known to load
 * cleanly (see docs/templates.md, "The check is cached"); this loads and
 * checks every include now, so whatever is wrong is reported at once. */
int  cd_template_load_all(const char *path, cd_template **out, cd_error *err);
void cd_template_free(cd_template *t);              /* NULL is fine */

/* The path the template was loaded from. */
const char *cd_template_path(const cd_template *t);

typedef struct {
    const char *password;   /* encrypt the PDF with this user password; NULL = none */
    bool draft;             /* overprint DRAFT on every page */
    FILE *warnings;         /* where layout warnings go (missing glyphs); NULL = none */
    const char *author;     /* PDF author; NULL = none */
    const char *subject;    /* what warnings are about ("case REF"); NULL = none */
    FILE *glyph_warnings;   /* where the warnings about characters the fonts cannot
                               draw go; NULL = warnings */
    int *missing_glyphs;    /* out (when not NULL): how many fields hold characters
                               the fonts cannot draw (each also a warning) */
} cd_template_opts;

/* Renders the template against the data document (the template's root
 * context node is the document node of data) and writes the PDF to out_path
 * (temporary file beside it, renamed into place, mode 0600; after an error no
 * file is left). *pages, when not NULL, receives the page count. NULL opts =
 * all defaults. A rendering error names the template file and the line of
 * the element that failed. The template is not changed, so one loaded
 * template can render many documents. */
int cd_template_render(const cd_template *t, xmlDocPtr data, const cd_template_opts *opts,
                       const char *out_path, int *pages, cd_error *err);

/* The same, into a malloc'd buffer the caller frees. */
int cd_template_render_buffer(const cd_template *t, xmlDocPtr data, const cd_template_opts *opts,
                              unsigned char **buf, size_t *len, int *pages, cd_error *err);

#endif
