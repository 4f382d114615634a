/* template.c -- loading a document template: read the file, parse it with
 * libxml2 (no entity substitution, no DTD, no network; a DOCTYPE is refused),
 * validate it against schemas/template.rng, then compile it into a tree of
 * tnode (template_int.h) with every XPath expression compiled once and
 * checked: syntax, functions (only the XPath 1.0 core library: document()
 * and extension functions are refused), variables (none exist), arity and
 * types (by a trial run on an empty document). Formats, lengths, images,
 * the font and included templates are checked here too, so a template that
 * loads cleanly fails at render time only for reasons in the data.
 *
 * Every error carries FILE:LINE:COLUMN. libxml2 keeps only a line per node,
 * so the loader scans the raw text once for the offset of every start tag
 * (in document order, which is the order of element nodes) and finds
 * attributes within their tag: columns point at the element or attribute
 * at fault.
 */
#include "template_int.h"
#include "strbuf.h"
#include <errno.h>
#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/xmlerror.h>
#include <libxml/xpathInternals.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "datadir.h"
#include "sha256.h"
#include <fcntl.h>
#include <unistd.h>

#define TEMPLATE_NS "urn:courtdocs:template:1"
#define MAX_ERRORS 20

/* ---- the loader's state ------------------------------------------------- */

/* Errors from a top-level load and all its includes (and the one option
 * they share). */
typedef struct {
    cd_strbuf text;
    int count;
    int code;                   /* CD_EINPUT, or CD_EGENERAL for I/O */
    bool eager;                 /* load every include now, known clean or not */
} errsink;

typedef struct loader {
    cd_template *t;
    errsink *errs;
    const char *buf;            /* the file's text */
    size_t len;
    size_t *tags; size_t ntags, tags_cap;          /* start-tag offsets, document order */
    size_t *lines; size_t nlines, lines_cap;       /* offset of each line start */
    const char **stack; int depth;                 /* include chain (real paths), its length */
    xmlXPathContextPtr trial;                      /* empty document for trial runs */
    bool known_clean;                              /* these bytes loaded cleanly before
                                                      (validity marker): no trial runs */
    xmlDocPtr trial_doc;
    char xperr[256];                               /* last XPath error message */
} loader;

static void add_error(loader *L, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void add_error(loader *L, int line, int col, const char *fmt, ...)
{
    errsink *e = L->errs;
    if (e->count++ >= MAX_ERRORS) return;
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (col > 0) cd_strbuf_printf(&e->text, "%s:%d:%d: %s\n", L->t->path, line, col, msg);
    else cd_strbuf_printf(&e->text, "%s:%d: %s\n", L->t->path, line, msg);
}

/* ---- positions: start tags and attributes in the raw text --------------- */

/* Skips from p to just past the terminator `end`; returns len if absent. */
static size_t skip_past(const char *buf, size_t len, size_t p, const char *end)
{
    size_t el = strlen(end);
    for (; p + el <= len; p++)
        if (!memcmp(buf + p, end, el)) return p + el;
    return len;
}

/* Records the offset of every start tag, in document order, and of every
 * line start. Comments, CDATA, processing instructions and the DOCTYPE are
 * skipped so they cannot be mistaken for tags. */
static void scan_positions(loader *L)
{
    const char *b = L->buf;
    size_t n = L->len;
    cd_arena *a = L->t->arena;
    *(size_t *)CD_PUSH(a, L->lines, L->nlines, L->lines_cap) = 0;
    for (size_t i = 0; i < n; i++)
        if (b[i] == '\n') *(size_t *)CD_PUSH(a, L->lines, L->nlines, L->lines_cap) = i + 1;
    size_t p = 0;
    while (p < n) {
        if (b[p] != '<') { p++; continue; }
        if (!strncmp(b + p, "<!--", 4)) p = skip_past(b, n, p + 4, "-->");
        else if (!strncmp(b + p, "<![CDATA[", 9)) p = skip_past(b, n, p + 9, "]]>");
        else if (!strncmp(b + p, "<?", 2)) p = skip_past(b, n, p + 2, "?>");
        else if (!strncmp(b + p, "<!", 2)) {           /* DOCTYPE, maybe with [ ... ] */
            int bracket = 0;
            for (p += 2; p < n; p++) {
                if (b[p] == '[') bracket++;
                else if (b[p] == ']') bracket--;
                else if (b[p] == '>' && bracket <= 0) { p++; break; }
            }
        } else if (b[p + 1] == '/') p = skip_past(b, n, p, ">");
        else {
            *(size_t *)CD_PUSH(a, L->tags, L->ntags, L->tags_cap) = p;
            char quote = 0;
            for (p++; p < n; p++) {
                if (quote) { if (b[p] == quote) quote = 0; }
                else if (b[p] == '"' || b[p] == '\'') quote = b[p];
                else if (b[p] == '>') { p++; break; }
            }
        }
    }
}

/* Numbers each element node (in _private) with its start tag's index. */
static void number_elements(xmlNodePtr n, size_t *next)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE) continue;
        n->_private = (void *)(uintptr_t)(++*next);
        number_elements(n->children, next);
    }
}

static void offset_to_line_col(const loader *L, size_t off, int *line, int *col)
{
    size_t lo = 0, hi = L->nlines;          /* last line start <= off */
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (L->lines[mid] <= off) lo = mid; else hi = mid;
    }
    int c = 1;
    for (size_t i = L->lines[lo]; i < off; i++)
        if (((unsigned char)L->buf[i] & 0xC0) != 0x80) c++;   /* count characters */
    *line = (int)lo + 1;
    *col = c;
}

/* Line and column of element n, or of its attribute attr when not NULL. */
static void locate(const loader *L, xmlNodePtr n, const char *attr, int *line, int *col)
{
    size_t idx = (size_t)(uintptr_t)n->_private;
    if (idx == 0 || idx > L->ntags) {       /* should not happen: fall back to libxml2's line */
        *line = (int)xmlGetLineNo(n);
        *col = 0;
        return;
    }
    size_t off = L->tags[idx - 1];
    if (attr) {
        size_t al = strlen(attr);
        char quote = 0;
        for (size_t p = off + 1; p < L->len && (quote || L->buf[p] != '>'); p++) {
            char ch = L->buf[p];
            if (quote) { if (ch == quote) quote = 0; continue; }
            if (ch == '"' || ch == '\'') { quote = ch; continue; }
            if ((ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') && p + 1 + al < L->len &&
                !memcmp(L->buf + p + 1, attr, al)) {
                size_t q = p + 1 + al;
                while (q < L->len && (L->buf[q] == ' ' || L->buf[q] == '\t' || L->buf[q] == '\n' || L->buf[q] == '\r')) q++;
                if (q < L->len && L->buf[q] == '=') { off = p + 1; break; }
            }
        }
    }
    offset_to_line_col(L, off, line, col);
}

static void node_error(loader *L, xmlNodePtr n, const char *attr, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void node_error(loader *L, xmlNodePtr n, const char *attr, const char *fmt, ...)
{
    char msg[640];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    int line, col;
    locate(L, n, attr, &line, &col);
    add_error(L, line, col, "%s", msg);
}

/* ---- parsing and validation ---------------------------------------------- */

static void collect_parse_error(void *data, xmlErrorPtr e)
{
    loader *L = data;
    if (e->level < XML_ERR_ERROR) return;
    if (L->errs->count > 0 && e->domain == XML_FROM_PARSER) return;   /* keep the first: the rest cascade */
    char msg[512];
    snprintf(msg, sizeof msg, "%s", e->message ? e->message : "not well-formed XML");
    size_t k = strlen(msg);
    while (k && (msg[k - 1] == '\n' || msg[k - 1] == ' ')) msg[--k] = '\0';
    add_error(L, e->line, e->int2, "not well-formed XML: %s", msg);
}

/* RELAX NG reports, after the real fault, that each enclosing element
 * "failed to validate content" / "has extra content"; those are dropped when
 * a more precise error is there. */
typedef struct { loader *L; int nprecise; struct { xmlNodePtr node; char msg[400]; } vague[4]; int nvague; } rng_errors;

static void collect_rng_error(void *data, xmlErrorPtr e)
{
    rng_errors *r = data;
    char msg[400];
    snprintf(msg, sizeof msg, "%s", e->message ? e->message : "does not fit the template schema");
    size_t k = strlen(msg);
    while (k && (msg[k - 1] == '\n' || msg[k - 1] == ' ')) msg[--k] = '\0';
    xmlNodePtr n = e->node;
    /* "Did not expect element foo there" is reported on the parent: point at foo */
    const char *name = NULL, *m;
    if ((m = strstr(msg, "expect element ")) != NULL) name = m + 15;
    else if ((m = strstr(msg, "extra content: ")) != NULL) name = m + 15;
    else if ((m = strstr(msg, ", got ")) != NULL) name = m + 6;
    if (name && n) {
        size_t len = strcspn(name, " ");
        for (xmlNodePtr c = n->children; c; c = c->next)
            if (c->type == XML_ELEMENT_NODE && strlen((const char *)c->name) == len &&
                !strncmp((const char *)c->name, name, len)) { n = c; break; }
    }
    bool vague = strstr(msg, "failed to validate content") || strstr(msg, "has extra content") ||
                 strstr(msg, "Invalid sequence in interleave") || strstr(msg, "Element template failed");
    if (vague) {
        if (r->nvague < 4) { r->vague[r->nvague].node = n; snprintf(r->vague[r->nvague].msg, sizeof msg, "%s", msg); r->nvague++; }
        return;
    }
    r->nprecise++;
    if (n) node_error(r->L, n, NULL, "%s (see schemas/template.rng)", msg);
    else add_error(r->L, e->line, 0, "%s (see schemas/template.rng)", msg);
}

static void ignore_error(void *data, xmlErrorPtr e) { (void)data; (void)e; }

static xmlRelaxNGPtr template_schema(cd_error *err)
{
    static xmlRelaxNGPtr schema;   /* parsed once per process; lives until exit */
    if (schema) return schema;
    char path[PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/schemas/template.rng", cd_data_dir());
    xmlRelaxNGParserCtxtPtr pc = xmlRelaxNGNewParserCtxt(path);
    xmlRelaxNGSetParserStructuredErrors(pc, ignore_error, NULL);
    schema = xmlRelaxNGParse(pc);
    xmlRelaxNGFreeParserCtxt(pc);
    if (!schema)
        cd_error_set(err, CD_EGENERAL, "cannot load the template schema %s: the installation "
                     "is incomplete (set CD_DATA_DIR to the folder holding schemas/)", path);
    return schema;
}

/* ---- the validity cache -------------------------------------------------------- */

static char *read_whole(const char *path, size_t *len, int *errnum);

/* Validating a template against the schema (parsing the schema, then the
 * document) is most of what loading costs a one-document process, and a
 * template changes far less often than it is used. A template file that
 * loaded cleanly leaves an empty marker file named by the SHA-256 of the
 * schema's SHA-256 and the template's bytes; a file whose marker exists is
 * not validated again, nor are its expressions given trial runs
 * (everything else -- parsing, XPath compile and name checks, formats,
 * lengths, images, the font, includes -- still runs), and as an include it
 * is loaded only when a document reaches it (tl_include). Any change to the
 * template or the schema gives a new name, so a changed template is always
 * validated. The folder is $CD_CACHE_DIR, else $XDG_CACHE_HOME/courtdocs,
 * else ~/.cache/courtdocs (created 0700). The templates installed with the
 * program count as marked for everyone (checked_at_install); without a
 * folder, or when it cannot be written, every other load validates. */

/* The folder of markers into out (false when there is none). */
static bool cache_dir(char *out, size_t n)
{
    const char *d = getenv("CD_CACHE_DIR"), *x = getenv("XDG_CACHE_HOME"), *h = getenv("HOME");
    int w;
    if (d && *d) w = snprintf(out, n, "%s", d);
    else if (x && *x == '/') w = snprintf(out, n, "%s/courtdocs", x);
    else if (h && *h == '/') w = snprintf(out, n, "%s/.cache/courtdocs", h);
    else return false;
    return w > 0 && (size_t)w < n;
}

/* The validity key of a template's bytes: the SHA-256 of the schema's
 * SHA-256 and the bytes, as hex (false when the schema cannot be read; its
 * hash is taken once a process). */
static bool validity_key(const char *buf, size_t len, char hex[65])
{
    static char schema_hex[65];
    static int schema_state;                 /* 0 not tried, 1 ok, -1 unreadable */
    if (schema_state == 0) {
        char path[PATH_MAX + 32];
        cd_error e = {0};
        snprintf(path, sizeof path, "%s/schemas/template.rng", cd_data_dir());
        schema_state = cd_sha256_file(path, schema_hex, &e) == CD_OK ? 1 : -1;
    }
    if (schema_state < 0) return false;
    char *keyed = malloc(64 + len);
    if (!keyed) return false;
    memcpy(keyed, schema_hex, 64);
    memcpy(keyed + 64, buf, len);
    cd_sha256(keyed, 64 + len, hex);
    free(keyed);
    return true;
}

/* Whether key is among the templates checked when the data folder was
 * installed: `make install` runs check-template on the templates it
 * installs and lists their keys, one a line, in templates/checked (read
 * once a process; absent in a source tree). That folder is as trusted as
 * the templates and the schema in it, and it serves every user, whether or
 * not they have a cache folder. */
static bool checked_at_install(const char *key)
{
    static char *list;
    static bool read;
    if (!read) {
        char path[PATH_MAX + 32];
        size_t len = 0;
        int errnum = 0;
        snprintf(path, sizeof path, "%s/templates/checked", cd_data_dir());
        list = read_whole(path, &len, &errnum);    /* lives until exit */
        read = true;
    }
    for (const char *p = list; p && (p = strstr(p, key)) != NULL; p += 64)
        if ((p == list || p[-1] == '\n') && (p[64] == '\n' || p[64] == '\0')) return true;
    return false;
}

/* Whether a template's bytes are known to load cleanly: they have a marker
 * in the cache folder, or were checked at install. *marker receives the
 * marker path to leave after a clean load, and *have_marker whether there is
 * one (no cache folder, or no key: none). */
static bool known_clean(const char *buf, size_t len, char *marker, size_t n, bool *have_marker)
{
    char key[65], dir[PATH_MAX];
    *have_marker = false;
    if (!validity_key(buf, len, key)) return false;
    if (cache_dir(dir, sizeof dir)) {
        int w = snprintf(marker, n, "%s/template-valid-%s", dir, key);
        *have_marker = w > 0 && (size_t)w < n;
    }
    if (*have_marker && access(marker, F_OK) == 0) return true;
    return checked_at_install(key);
}

/* Records that the template behind marker loaded cleanly (errors ignored:
 * the cache only saves time). */
static void mark_valid(const char *marker)
{
    char dir[PATH_MAX + 96];
    snprintf(dir, sizeof dir, "%s", marker);
    char *slash = strrchr(dir, '/');
    if (!slash) return;
    *slash = '\0';
    if (mkdir(dir, 0700) != 0 && errno == ENOENT) {       /* ~/.cache itself may be missing */
        char *up = strrchr(dir, '/');
        if (up && up != dir) {
            *up = '\0';
            mkdir(dir, 0700);
            *up = '/';
            mkdir(dir, 0700);
        }
    }
    int fd = open(marker, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) close(fd);
}

/* ---- XPath: compile and check ----------------------------------------------- */

static const char *const core_functions[] = {
    "last", "position", "count", "id", "local-name", "namespace-uri", "name", "string",
    "concat", "starts-with", "contains", "substring-before", "substring-after", "substring",
    "string-length", "normalize-space", "translate", "boolean", "not", "true", "false",
    "lang", "number", "sum", "floor", "ceiling", "round", NULL
};
static const char *const node_types[] = { "node", "text", "comment", "processing-instruction", NULL };

static bool in_list(const char *const *list, const char *s, size_t n)
{
    for (; *list; list++)
        if (strlen(*list) == n && !strncmp(*list, s, n)) return true;
    return false;
}

static bool name_start(unsigned char c) { return c == '_' || (unsigned)((c | 32) - 'a') < 26u || c >= 0x80; }
static bool name_char(unsigned char c) { return name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.'; }

/* Walks the tokens of an expression that compiled, applying XPath 1.0's
 * disambiguation rules (3.7): a name followed by "(" is a function call
 * unless it is a node type, and after an operand "and", "or", "mod", "div"
 * are operators. Writes a message and returns false for a function outside
 * the core library, or a variable. */
static bool check_names(const char *x, char *why, size_t nwhy)
{
    bool operand_expected = true;
    const char *p = x;
    while (*p) {
        unsigned char c = (unsigned char)*p;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') { p++; continue; }
        if (c == '"' || c == '\'') {
            const char *e = strchr(p + 1, c);
            p = e ? e + 1 : p + strlen(p);
            operand_expected = false;
        } else if ((c >= '0' && c <= '9') || (c == '.' && p[1] >= '0' && p[1] <= '9')) {
            while ((*p >= '0' && *p <= '9') || *p == '.') p++;
            operand_expected = false;
        } else if (c == '.') {
            p += p[1] == '.' ? 2 : 1;
            operand_expected = false;
        } else if (c == ':' && p[1] == ':') {
            p += 2;
            operand_expected = true;
        } else if (c == ')' || c == ']') {
            p++;
            operand_expected = false;
        } else if (c == '*') {
            p++;
            operand_expected = !operand_expected;   /* name test, or multiply */
        } else if (c == '$') {
            const char *s = ++p;
            while (name_char((unsigned char)*p) || *p == ':') p++;
            snprintf(why, nwhy, "variables ($%.*s) are not available: a template reads everything "
                     "from its data document", (int)(p - s), s);
            return false;
        } else if (name_start(c)) {
            const char *s = p;
            while (name_char((unsigned char)*p)) p++;
            bool prefixed = false;
            if (p[0] == ':' && p[1] != ':') {
                prefixed = true;
                p++;
                if (*p == '*') p++;
                else while (name_char((unsigned char)*p)) p++;
            }
            size_t n = (size_t)(p - s);
            if (!operand_expected && !prefixed &&
                ((n == 3 && (!strncmp(s, "and", 3) || !strncmp(s, "mod", 3) || !strncmp(s, "div", 3))) ||
                 (n == 2 && !strncmp(s, "or", 2)))) {
                operand_expected = true;
                continue;
            }
            const char *q = p;
            while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r') q++;
            if (*q == '(' && (prefixed || !in_list(node_types, s, n))) {
                if (n == 8 && !strncmp(s, "document", 8))
                    snprintf(why, nwhy, "document() is not available: a template can read only "
                             "the data document it is given");
                else if (prefixed || !in_list(core_functions, s, n))
                    snprintf(why, nwhy, "unknown function %.*s(): templates have the XPath 1.0 core "
                             "functions only (see docs/templates.md)", (int)n, s);
                else goto known;
                return false;
            }
        known:
            operand_expected = false;
        } else {
            p++;
            operand_expected = true;   /* ( [ , @ / // | + - = != < <= > >= */
        }
    }
    return true;
}

void tx_describe_error(const xmlError *e, char *out, size_t n)
{
    /* libxml2 hands an XPath context's handler the error code and the
     * offset in the expression, but no message: these say what went wrong. */
    static const char *const messages[] = {
        [XPATH_NUMBER_ERROR] = "malformed number",
        [XPATH_UNFINISHED_LITERAL_ERROR] = "string not closed (a quote is missing)",
        [XPATH_START_LITERAL_ERROR] = "string expected",
        [XPATH_VARIABLE_REF_ERROR] = "malformed variable reference",
        [XPATH_UNDEF_VARIABLE_ERROR] = "undefined variable",
        [XPATH_INVALID_PREDICATE_ERROR] = "malformed predicate [...]",
        [XPATH_EXPR_ERROR] = "invalid expression",
        [XPATH_UNCLOSED_ERROR] = "a bracket or parenthesis is not closed",
        [XPATH_UNKNOWN_FUNC_ERROR] = "unknown function",
        [XPATH_INVALID_OPERAND] = "invalid operand",
        [XPATH_INVALID_TYPE] = "wrong type of argument (e.g. a string where nodes are needed)",
        [XPATH_INVALID_ARITY] = "wrong number of arguments to a function",
        [XPATH_INVALID_CTXT_SIZE] = "invalid context size",
        [XPATH_INVALID_CTXT_POSITION] = "invalid context position",
        [XPATH_MEMORY_ERROR] = "out of memory",
        [XPATH_UNDEF_PREFIX_ERROR] = "undefined namespace prefix",
        [XPATH_ENCODING_ERROR] = "encoding error",
        [XPATH_INVALID_CHAR_ERROR] = "invalid character",
    };
    int code = e->code - XML_XPATH_EXPRESSION_OK;
    const char *m = e->domain == XML_FROM_XPATH && code > 0 &&
                    code < (int)(sizeof messages / sizeof messages[0]) ? messages[code] : NULL;
    if (!m) m = e->message ? e->message : "invalid expression";
    if (e->domain == XML_FROM_XPATH && e->str1 && e->int1 >= 0)
        snprintf(out, n, "%s, at character %d", m, e->int1 + 1);
    else
        snprintf(out, n, "%s", m);
    size_t k = strlen(out);
    while (k && (out[k - 1] == '\n' || out[k - 1] == ' ')) out[--k] = '\0';
}

static void collect_xpath_error(void *data, xmlErrorPtr e)
{
    loader *L = data;
    if (!L->xperr[0]) tx_describe_error(e, L->xperr, sizeof L->xperr);
}

/* Compiles the XPath in attribute attr of n (NULL when the attribute is
 * absent and not required; an error when it is malformed). */
static tx_expr *compile_expr(loader *L, xmlNodePtr n, const char *attr, bool required)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)attr);
    if (!v) {
        if (required) node_error(L, n, NULL, "<%s> needs a %s= attribute", (const char *)n->name, attr);
        return NULL;
    }
    tx_expr *x = cd_arena_alloc(L->t->arena, sizeof *x);
    x->src = cd_arena_strdup(L->t->arena, (const char *)v);
    xmlFree(v);
    locate(L, n, attr, &x->line, &x->col);
    if (!x->src[strspn(x->src, " \t\r\n")]) {
        add_error(L, x->line, x->col, "%s= is empty: it needs an XPath expression", attr);
        return NULL;
    }
    L->xperr[0] = '\0';
    x->comp = xmlXPathCtxtCompile(L->trial, (const xmlChar *)x->src);
    if (!x->comp) {
        add_error(L, x->line, x->col, "%s=\"%s\": XPath syntax error: %s", attr, x->src,
                  L->xperr[0] ? L->xperr : "invalid expression");
        return NULL;
    }
    cd_template *t = L->t;
    *CD_PUSH(t->arena, t->exprs, t->nexprs, t->exprs_cap) = x;
    char why[300];
    if (!check_names(x->src, why, sizeof why)) {
        add_error(L, x->line, x->col, "%s=\"%s\": %s", attr, x->src, why);
        return NULL;
    }
    /* A trial run on an empty document catches wrong argument counts and
     * types, which libxml2 reports only when evaluating; its outcome
     * depends on the expression's text alone, so bytes that loaded cleanly
     * before need none. */
    if (L->known_clean) return x;
    L->xperr[0] = '\0';
    L->trial->node = (xmlNodePtr)L->trial_doc;
    L->trial->contextSize = L->trial->proximityPosition = 1;
    xmlXPathObjectPtr r = xmlXPathCompiledEval(x->comp, L->trial);
    if (!r) {
        add_error(L, x->line, x->col, "%s=\"%s\": XPath error: %s", attr, x->src,
                  L->xperr[0] ? L->xperr : "cannot be evaluated");
        return NULL;
    }
    xmlXPathFreeObject(r);
    return x;
}

/* ---- attributes -------------------------------------------------------------- */

static const char *attr_str(loader *L, xmlNodePtr n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    if (!v) return NULL;
    char *s = cd_arena_strdup(L->t->arena, (const char *)v);
    xmlFree(v);
    return s;
}

static bool attr_bool(loader *L, xmlNodePtr n, const char *name, bool dflt)
{
    const char *v = attr_str(L, n, name);
    return v ? !strcmp(v, "true") : dflt;
}

/* A length attribute in points; dflt when absent; an error when malformed. */
static double attr_length(loader *L, xmlNodePtr n, const char *name, double dflt)
{
    const char *v = attr_str(L, n, name);
    double pt;
    if (!v) return dflt;
    if (!tf_length(v, &pt)) {
        node_error(L, n, name, "%s=\"%s\" is not a length: write a number with mm, cm, pt or in "
                   "(\"20mm\", \"6pt\")", name, v);
        return dflt;
    }
    return pt;
}

/* A plain number attribute (font size, weight, axis bounds). */
static double attr_number(loader *L, xmlNodePtr n, const char *name, double dflt, double min, double max)
{
    const char *v = attr_str(L, n, name);
    if (!v) return dflt;
    char *end;
    double x = strtod(v, &end);
    if (end == v || *end || !isfinite(x) || x < min || x > max) {
        node_error(L, n, name, "%s=\"%s\" must be a number from %g to %g", name, v, min, max);
        return dflt;
    }
    return x;
}

static cd_align align_of(const char *v, cd_align dflt)
{
    if (!v) return dflt;
    if (!strcmp(v, "right")) return CD_ALIGN_RIGHT;
    if (!strcmp(v, "centre")) return CD_ALIGN_CENTRE;
    if (!strcmp(v, "justify")) return CD_ALIGN_JUSTIFY;
    return CD_ALIGN_LEFT;
}

/* Resolves a file named in a template relative to the template's folder. */
static const char *beside(loader *L, const char *name)
{
    if (name[0] == '/') return name;
    return cd_arena_printf(L->t->arena, "%s/%s", L->t->dir, name);
}

static bool is_png(const char *path, bool *exists)
{
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    unsigned char head[8];
    FILE *f = fopen(path, "rb");
    *exists = f != NULL;
    if (!f) return false;
    size_t n = fread(head, 1, 8, f);
    fclose(f);
    return n == 8 && !memcmp(head, sig, 8);
}

/* ---- compiling the element tree ------------------------------------------------- */

static const struct { const char *name; tkind kind; } element_kinds[] = {
    {"b", TK_B}, {"i", TK_I}, {"br", TK_BR}, {"value", TK_VALUE}, {"page-of", TK_PAGE_OF},
    {"page-count", TK_PAGE_COUNT}, {"section", TK_SECTION},
    {"h", TK_H}, {"p", TK_P}, {"text", TK_TEXTBLOCK}, {"list", TK_LIST}, {"item", TK_ITEM},
    {"fields", TK_FIELDS}, {"field", TK_FIELD}, {"space", TK_SPACE}, {"rule", TK_RULE},
    {"page-break", TK_PAGE_BREAK}, {"anchor", TK_ANCHOR}, {"image", TK_IMAGE},
    {"signature", TK_SIGNATURE}, {"table", TK_TABLE}, {"column", TK_COLUMN},
    {"total", TK_TOTAL}, {"cell", TK_CELL}, {"chart", TK_CHART}, {"series", TK_SERIES},
    {"alt", TK_ALT}, {"include", TK_INCLUDE}, {"if", TK_IF}, {"else", TK_ELSE},
    {"choose", TK_CHOOSE}, {"when", TK_WHEN}, {"otherwise", TK_OTHERWISE},
    {"for-each", TK_FOR_EACH}, {"with", TK_WITH},
    {"left", TK_LEFT}, {"centre", TK_CENTRE}, {"right", TK_RIGHT},
    {"title", TK_TITLE},
};

/* Elements whose content is inline text (so whitespace in them matters). */
static bool holds_inline(tkind k)
{
    return k == TK_H || k == TK_P || k == TK_ITEM || k == TK_FIELD || k == TK_COLUMN ||
           k == TK_CELL || k == TK_ALT || k == TK_B || k == TK_I ||
           k == TK_LEFT || k == TK_CENTRE || k == TK_RIGHT || k == TK_TITLE;
}

/* Literal text with each run of white space made one space. */
static const char *collapse_space(cd_arena *a, const char *s)
{
    char *out = cd_arena_alloc(a, strlen(s) + 1), *o = out;
    bool space = false;
    for (; *s; s++) {
        if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') space = true;
        else {
            if (space) *o++ = ' ';
            space = false;
            *o++ = *s;
        }
    }
    if (space) *o++ = ' ';
    *o = '\0';
    return out;
}

static int load_file(const char *path, const char *const *chain, int depth, bool defer,
                     cd_template **out, errsink *errs);
static bool include_refused(loader *parent, xmlNodePtr at, const char *shown, const char *path);
static tnode *compile_list(loader *L, xmlNodePtr first, bool inl, int depth);

static tnode *compile_element(loader *L, xmlNodePtr n, bool inl, int depth)
{
    const char *name = (const char *)n->name;
    size_t i;
    for (i = 0; i < sizeof element_kinds / sizeof element_kinds[0]; i++)
        if (!strcmp(element_kinds[i].name, name)) break;
    if (i == sizeof element_kinds / sizeof element_kinds[0]) {
        node_error(L, n, NULL, "unknown element <%s>", name);
        return NULL;
    }
    if (depth > CD_TEMPLATE_MAX_DEPTH) {
        node_error(L, n, NULL, "elements are nested deeper than %d levels", CD_TEMPLATE_MAX_DEPTH);
        return NULL;
    }
    cd_arena *a = L->t->arena;
    tnode *t = cd_arena_alloc(a, sizeof *t);
    t->kind = element_kinds[i].kind;
    locate(L, n, NULL, &t->line, &t->col);
    t->link = attr_str(L, n, "link");        /* the schema allows it on h, p, item, field */
    /* text counts inside inline containers and inline flow elements (but
     * between a choose's whens it is only layout) */
    bool text_here = holds_inline(t->kind) || (inl && (t->kind == TK_IF || t->kind == TK_ELSE ||
                     t->kind == TK_WHEN || t->kind == TK_OTHERWISE ||
                     t->kind == TK_FOR_EACH || t->kind == TK_WITH));
    bool kids_inline = text_here || (inl && t->kind == TK_CHOOSE);
    const char *v;
    if (t->kind == TK_P || t->kind == TK_TEXTBLOCK || t->kind == TK_LIST || t->kind == TK_FIELDS ||
        t->kind == TK_TABLE || t->kind == TK_CHART || t->kind == TK_IMAGE) {
        t->keep_next = attr_bool(L, n, "keep-with-next", false);
        t->keep_together = attr_bool(L, n, "keep-together", false);
    }
    switch (t->kind) {
    case TK_VALUE:
        t->select = compile_expr(L, n, "select", true);
        t->aux = compile_expr(L, n, "base", false);
        t->fallback = attr_str(L, n, "fallback");
        t->zero = attr_str(L, n, "zero");
        t->noun = attr_str(L, n, "noun");
        t->plural = attr_str(L, n, "plural");
        if ((v = attr_str(L, n, "format")) && !tf_parse(v, &t->format, &t->decimals))
            node_error(L, n, "format", "unknown format \"%s\": use one of %s", v, tf_names());
        if (t->format == TF_PERCENT_OF && !t->aux && !xmlHasProp(n, (const xmlChar *)"base"))
            node_error(L, n, "format", "format=\"percent-of\" needs base=\"XPATH\" (the whole the value is a part of)");
        if (t->aux && t->format != TF_PERCENT_OF)
            node_error(L, n, "base", "base= is used only with format=\"percent-of\"");
        if (t->format == TF_COUNT && !t->noun)
            node_error(L, n, "format", "format=\"count\" needs noun=\"WORD\" (\"absence\" prints "
                       "\"1 absence\", \"2 absences\", \"no absences\")");
        if ((t->noun || t->plural) && t->format != TF_COUNT)
            node_error(L, n, t->noun ? "noun" : "plural", "noun= and plural= are used only with format=\"count\"");
        break;
    case TK_PAGE_OF:
        t->text = attr_str(L, n, "anchor");
        break;
    case TK_PAGE_COUNT:
        t->text = attr_str(L, n, "section");
        t->label = attr_str(L, n, "noun");
        if (t->label && (strpbrk(t->label, "{} ") || strlen(t->label) > 40))
            node_error(L, n, "noun", "noun=\"%s\" must be one word of up to 40 letters (\"page\")", t->label);
        break;
    case TK_SECTION:
        t->text = attr_str(L, n, "name");
        t->title = attr_str(L, n, "title");
        if (t->text && strpbrk(t->text, "{} "))
            node_error(L, n, "name", "a section name is one word without braces (\"statement\")");
        break;
    case TK_H:
        t->level = (int)attr_number(L, n, "level", 1, 1, 4);
        break;
    case TK_P:
        t->align = align_of(attr_str(L, n, "align"), CD_ALIGN_LEFT);
        t->boxed = attr_bool(L, n, "boxed", false);
        t->size = attr_number(L, n, "size", 0, 4, 72);
        break;
    case TK_TEXTBLOCK:
        t->select = compile_expr(L, n, "select", true);
        t->fallback = attr_str(L, n, "fallback");
        t->align = align_of(attr_str(L, n, "align"), CD_ALIGN_LEFT);
        break;
    case TK_LIST:
        t->numbered = attr_bool(L, n, "numbered", false);
        break;
    case TK_FIELDS:
        t->width = attr_length(L, n, "label-width", 0);
        break;
    case TK_FIELD:
        t->label = attr_str(L, n, "label");
        break;
    case TK_SPACE:
        t->height = attr_length(L, n, "height", 6);
        break;
    case TK_ANCHOR:
        t->text = attr_str(L, n, "name");
        t->title = attr_str(L, n, "title");
        break;
    case TK_IMAGE: {
        const char *src = attr_str(L, n, "src");
        t->width = attr_length(L, n, "width", 0);
        t->align = align_of(attr_str(L, n, "align"), CD_ALIGN_LEFT);
        if (!src) break;
        t->text = beside(L, src);
        bool exists;
        if (!is_png(t->text, &exists))
            node_error(L, n, "src", exists ? "image \"%s\" is not a PNG file (%s)"
                                           : "image \"%s\" not found (looked for %s)", src, t->text);
        break;
    }
    case TK_SIGNATURE:
        t->select = compile_expr(L, n, "name", false);
        t->aux = compile_expr(L, n, "date", false);
        t->role = attr_str(L, n, "role");
        break;
    case TK_TABLE:
        t->select = compile_expr(L, n, "select", true);
        t->aux = compile_expr(L, n, "mark", false);
        t->rules = attr_bool(L, n, "rules", true);
        t->zebra = attr_bool(L, n, "zebra", false);
        t->empty = attr_str(L, n, "empty");
        t->size = attr_number(L, n, "size", 0, 4, 72);
        break;
    case TK_COLUMN:
        t->width = attr_length(L, n, "width", 0);
        t->weight = attr_number(L, n, "weight", 0, 0, 1000);
        t->align = align_of(attr_str(L, n, "align"), CD_ALIGN_LEFT);
        t->heading = attr_str(L, n, "heading");
        break;
    case TK_CHART:
        v = attr_str(L, n, "kind");
        t->chart_kind = v && !strcmp(v, "bar") ? CD_CHART_BAR : CD_CHART_LINE;
        t->aux = compile_expr(L, n, "categories", true);
        t->title = attr_str(L, n, "title");
        t->x_label = attr_str(L, n, "x-label");
        t->y_label = attr_str(L, n, "y-label");
        t->y_suffix = attr_str(L, n, "y-suffix");
        t->y_min = attr_number(L, n, "y-min", 0, -1e12, 1e12);
        t->y_max = attr_number(L, n, "y-max", 0, -1e12, 1e12);
        t->height = attr_length(L, n, "height", 0);
        t->min_base = attr_number(L, n, "min-base", 0, 0, 1e9);
        t->hollow_label = attr_str(L, n, "hollow-label");
        if (t->y_max < t->y_min) node_error(L, n, "y-max", "y-max is below y-min");
        break;
    case TK_SERIES:
        t->text = attr_str(L, n, "name");
        t->per_category = xmlHasProp(n, (const xmlChar *)"value") != NULL;   /* the schema
                                                  allows select= or value=, not both */
        t->select = compile_expr(L, n, t->per_category ? "value" : "select", true);
        t->aux = compile_expr(L, n, "base", false);
        break;
    case TK_ALT:
        t->select = compile_expr(L, n, "select", false);
        break;
    case TK_INCLUDE: {
        t->select = compile_expr(L, n, "select", false);
        const char *name = attr_str(L, n, "template");
        if (!name) break;
        const char *path = beside(L, name);
        if (include_refused(L, n, name, path)) break;
        tinclude *inc = cd_arena_alloc(a, sizeof *inc);
        inc->path = path;
        inc->chain = L->stack;             /* in this template's arena: lives as long as inc */
        inc->depth = L->depth + 1;
        *CD_PUSH(a, L->t->includes, L->t->nincludes, L->t->includes_cap) = inc;
        t->include = inc;
        load_file(path, inc->chain, inc->depth, !L->errs->eager, &inc->t, L->errs);
        break;
    }
    case TK_IF: case TK_WHEN:
        t->select = compile_expr(L, n, "test", true);
        break;
    case TK_FOR_EACH:
        t->select = compile_expr(L, n, "select", true);
        t->text = attr_str(L, n, "separator");
        break;
    case TK_WITH:
        t->select = compile_expr(L, n, "select", true);
        break;
    default:
        break;
    }

    /* children: else/otherwise/total/alt go to their own slot */
    tnode **tail = &t->kids;
    for (xmlNodePtr c = n->children; c; c = c->next) {
        tnode *k = NULL;
        if (c->type == XML_ELEMENT_NODE) {
            if (!c->ns || strcmp((const char *)c->ns->href, TEMPLATE_NS)) {
                node_error(L, c, NULL, "element <%s> is not in the template namespace", (const char *)c->name);
                continue;
            }
            if (t->kind == TK_SECTION && !strcmp((const char *)c->name, "footer")) {
                t->otherwise = compile_list(L, c->children, true, depth + 2);   /* its running line */
                continue;
            }
            k = compile_element(L, c, kids_inline, depth + 1);
            if (!k) continue;
            if (k->kind == TK_ELSE || k->kind == TK_OTHERWISE || k->kind == TK_TOTAL || k->kind == TK_ALT) {
                t->otherwise = k->kind == TK_ALT ? k : k->kids;
                if (k->kind == TK_TOTAL) {
                    size_t ncells = 0;
                    for (tnode *cell = k->kids; cell; cell = cell->next) ncells++;
                    t->ncolumns = 0;
                    for (tnode *col = t->kids; col; col = col->next) t->ncolumns++;
                    if (ncells != t->ncolumns)
                        node_error(L, c, NULL, "the total row has %zu cells but the table has %zu columns",
                                   ncells, t->ncolumns);
                }
                continue;
            }
        } else if (text_here && (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE)) {
            k = cd_arena_alloc(a, sizeof *k);
            k->kind = TK_TEXT;
            k->line = (int)xmlGetLineNo(c);
            k->text = collapse_space(a, (const char *)c->content);
        } else {
            continue;
        }
        *tail = k;
        tail = &k->next;
    }
    if (t->kind == TK_TABLE) {
        t->ncolumns = 0;
        for (tnode *col = t->kids; col; col = col->next) t->ncolumns++;
    }
    if (t->kind == TK_ALT && !t->select) {
        bool words = false;
        for (tnode *k = t->kids; k; k = k->next)
            if (k->kind != TK_TEXT || k->text[strspn(k->text, " ")]) words = true;
        if (!words) node_error(L, n, NULL, "<alt> needs select=\"XPATH\" or text: every chart "
                               "needs a text alternative");
    }
    if (t->kind == TK_ALT && t->select && t->kids)
        node_error(L, n, "select", "<alt> takes select= or text, not both");
    return t;
}

static tnode *compile_list(loader *L, xmlNodePtr first, bool inl, int depth)
{
    tnode *head = NULL, **tail = &head;
    for (xmlNodePtr c = first; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE) continue;
        tnode *k = compile_element(L, c, inl, depth);
        if (!k) continue;
        *tail = k;
        tail = &k->next;
    }
    return head;
}

/* The page set-up, font and running lines from the elements before <body>. */
static void compile_setup(loader *L, xmlNodePtr n)
{
    cd_template *t = L->t;
    cd_page_setup *s = &t->setup;
    const char *name = (const char *)n->name;
    if (!strcmp(name, "page")) {
        const char *paper = attr_str(L, n, "paper");
        s->paper = paper && !strcmp(paper, "Letter") ? CD_PAPER_LETTER : CD_PAPER_A4;
        s->margin_top = attr_length(L, n, "margin-top", 0);
        s->margin_bottom = attr_length(L, n, "margin-bottom", 0);
        s->margin_left = attr_length(L, n, "margin-left", 0);
        s->margin_right = attr_length(L, n, "margin-right", 0);
    } else if (!strcmp(name, "font")) {
        const char *family = attr_str(L, n, "family");
        s->base_font_size = attr_number(L, n, "size", 0, 4, 72);
        if (family) {
            static const char *const faces[] = {"", "-Bold", "-Oblique", "-BoldOblique"};
            for (int f = 0; f < 4; f++) {
                const char *file = cd_arena_printf(t->arena, "%s/%s%s.ttf", s->font_dir, family, faces[f]);
                struct stat st;
                if (stat(file, &st) != 0) {
                    node_error(L, n, "family", "font family \"%s\" not found: there is no %s", family, file);
                    break;
                }
            }
            s->font_family = family;
        }
    } else if (!strcmp(name, "marking")) {
        xmlChar *m = xmlNodeGetContent(n);
        const char *c = collapse_space(t->arena, (const char *)m);
        xmlFree(m);
        c += *c == ' ';
        char *e = (char *)c + strlen(c);
        if (e > c && e[-1] == ' ') e[-1] = '\0';
        s->marking = *c ? c : NULL;
    } else if (!strcmp(name, "title")) {
        t->doc_title = compile_element(L, n, true, 2);
    } else {
        tnode *parts = compile_list(L, n->children, true, 2);
        if (!strcmp(name, "header")) t->header = parts;
        else if (!strcmp(name, "footer")) t->footer = parts;
        else if (!strcmp(name, "first-page-header")) { t->first_header = parts; s->first_page_differs = true; }
        else if (!strcmp(name, "first-page-footer")) { t->first_footer = parts; s->first_page_differs = true; }
    }
}

static void compile_template(loader *L, xmlNodePtr root)
{
    cd_template *t = L->t;
    t->title = attr_str(L, root, "title");
    t->subject = attr_str(L, root, "subject");
    t->keywords = attr_str(L, root, "keywords");
    t->setup.font_dir = cd_arena_printf(t->arena, "%s/fonts", cd_data_dir());
    for (xmlNodePtr c = root->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE) continue;
        if (!strcmp((const char *)c->name, "body")) t->body = compile_list(L, c->children, false, 2);
        else compile_setup(L, c);
    }
}

/* ---- loading a file (top level or included) ------------------------------------ */

static char *read_whole(const char *path, size_t *len, int *errnum)
{
    FILE *f = fopen(path, "rb");
    if (!f) { *errnum = errno; return NULL; }
    cd_strbuf b = CD_STRBUF_INIT;
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) cd_strbuf_addn(&b, chunk, n);
    *errnum = ferror(f) ? EIO : 0;
    fclose(f);
    if (*errnum) { cd_strbuf_free(&b); return NULL; }
    if (!b.s) cd_strbuf_add(&b, "");
    *len = b.len;
    return b.s;
}

/* Whether the template an <include> names (at, in parent; shown: its
 * template attribute, path: that resolved) must be refused: it does not
 * exist, includes nest too deep, or it includes itself. Each adds its
 * error, placed at the include. */
static bool include_refused(loader *parent, xmlNodePtr at, const char *shown, const char *path)
{
    int before = parent->errs->count;
    char real[PATH_MAX];
    int depth = parent->depth + 1;
    if (!realpath(path, real))
        node_error(parent, at, "template", "included template \"%s\" not found (looked for %s)", shown, path);
    else if (depth > CD_TEMPLATE_MAX_INCLUDE)
        node_error(parent, at, "template", "includes are nested deeper than %d templates", CD_TEMPLATE_MAX_INCLUDE);
    else
        for (int i = 0; i < depth; i++)
            if (!strcmp(parent->stack[i], real)) {
                node_error(parent, at, "template", "template \"%s\" includes itself (through %d include%s): "
                           "the include never ends", shown, depth - i, depth - i == 1 ? "" : "s");
                break;
            }
    return parent->errs->count > before;
}

/* Loads path into *out. chain/depth: the real paths of the templates that
 * include it, outermost first (none at top level), for the cycle and depth
 * checks of its own includes; the include itself was checked by
 * include_refused. defer: if the bytes are known to load cleanly (a file
 * that failed to load never gets a marker), load nothing and leave *out
 * NULL, for tl_include to load on first use. */
static int load_file(const char *path, const char *const *chain, int depth, bool defer,
                     cd_template **out, errsink *errs)
{
    *out = NULL;
    int before = errs->count;
    char marker[PATH_MAX + 96];            /* the validity cache (above) */
    bool have_marker = false;
    int errnum = 0;
    size_t len = 0;
    char *buf = read_whole(path, &len, &errnum);
    if (!buf) {
        cd_strbuf_printf(&errs->text, "%s: cannot read the template: %s\n", path, strerror(errnum));
        errs->count++;
        return CD_EINPUT;
    }
    bool known_valid = known_clean(buf, len, marker, sizeof marker, &have_marker);
    if (defer && known_valid) {
        free(buf);
        return CD_OK;
    }

    char real[PATH_MAX];
    bool have_real = realpath(path, real) != NULL;

    cd_template *t = calloc(1, sizeof *t);
    t->arena = cd_arena_new();
    t->path = cd_arena_strdup(t->arena, path);
    const char *slash = strrchr(path, '/');
    t->dir = slash ? cd_arena_strndup(t->arena, path, (size_t)(slash - path)) : ".";
    if (slash == path) t->dir = "/";

    loader L = {.t = t, .errs = errs};
    L.depth = depth;
    L.stack = cd_arena_alloc(t->arena, sizeof(char *) * (size_t)(L.depth + 1));
    for (int i = 0; i < L.depth; i++) L.stack[i] = chain[i];
    L.stack[L.depth] = cd_arena_strdup(t->arena, have_real ? real : path);

    L.len = len;
    L.buf = buf;
    scan_positions(&L);

    xmlStructuredErrorFunc saved_handler = xmlStructuredError;     /* put back afterwards */
    void *saved_context = xmlStructuredErrorContext;
    xmlSetStructuredErrorFunc(&L, collect_parse_error);
    xmlParserCtxtPtr pc = xmlNewParserCtxt();
    xmlDocPtr doc = pc ? xmlCtxtReadMemory(pc, buf, (int)L.len, path, NULL, XML_PARSE_NONET) : NULL;
    xmlSetStructuredErrorFunc(saved_context, saved_handler);
    if (pc) xmlFreeParserCtxt(pc);
    xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
    if (!doc || !root) {
        if (errs->count == before) {
            cd_strbuf_printf(&errs->text, "%s: not well-formed XML: no root element\n", path);
            errs->count++;
        }
        goto done;
    }
    if (doc->intSubset || doc->extSubset) {
        const char *d = strstr(buf, "<!DOCTYPE");
        int line = 1, col = 1;
        if (d) offset_to_line_col(&L, (size_t)(d - buf), &line, &col);
        add_error(&L, line, col, "a DOCTYPE is not allowed in a template: templates may not declare "
                  "entities or load DTDs");
        goto done;
    }
    size_t numbered = 0;
    number_elements(root, &numbered);
    if (numbered != L.ntags) {           /* tag scan out of step: columns unreliable, lines from libxml2 */
        L.ntags = 0;
    }

    cd_error serr = {0};
    xmlRelaxNGPtr schema = known_valid ? NULL : template_schema(&serr);
    if (!known_valid && !schema) {
        cd_strbuf_printf(&errs->text, "%s\n", serr.message);
        errs->count++;
        errs->code = CD_EGENERAL;
        goto done;
    }
    rng_errors re = {.L = &L};
    int valid = 0;
    if (!known_valid) {
        xmlRelaxNGValidCtxtPtr vc = xmlRelaxNGNewValidCtxt(schema);
        xmlRelaxNGSetValidStructuredErrors(vc, collect_rng_error, &re);
        valid = xmlRelaxNGValidateDoc(vc, doc);
        xmlRelaxNGFreeValidCtxt(vc);
    }
    if (valid != 0) {
        if (re.nprecise == 0) {
            for (int i = 0; i < re.nvague && i < 1; i++) {
                if (re.vague[i].node) node_error(&L, re.vague[i].node, NULL, "%s (see schemas/template.rng)", re.vague[i].msg);
            }
            if (errs->count == before)
                add_error(&L, (int)xmlGetLineNo(root), 1, "the template does not fit schemas/template.rng");
        }
        goto done;
    }

    L.known_clean = known_valid;
    L.trial_doc = xmlNewDoc((const xmlChar *)"1.0");
    xmlDocSetRootElement(L.trial_doc, xmlNewNode(NULL, (const xmlChar *)"facts"));
    L.trial = xmlXPathNewContext(L.trial_doc);
    L.trial->error = collect_xpath_error;
    L.trial->userData = &L;
    compile_template(&L, root);
    xmlXPathFreeContext(L.trial);
    xmlFreeDoc(L.trial_doc);

done:
    if (doc) xmlFreeDoc(doc);
    free(buf);
    if (errs->count > before) {
        cd_template_free(t);
        return errs->code ? errs->code : CD_EINPUT;
    }
    if (have_marker && !known_valid) mark_valid(marker);
    *out = t;
    return CD_OK;
}

/* The errors of a failed load (rc) of path, as one message. */
static const char *load_errors(errsink *errs, const char *path)
{
    if (errs->count > MAX_ERRORS)
        cd_strbuf_printf(&errs->text, "%s: %d more errors not shown\n", path, errs->count - MAX_ERRORS);
    size_t n = errs->text.len;
    while (n && errs->text.s[n - 1] == '\n') errs->text.s[--n] = '\0';
    return cd_strbuf_str(&errs->text);
}

/* Loads path, its includes now (eager) or on first use (tinclude). */
static int load_top(const char *path, bool eager, cd_template **out, cd_error *err)
{
    xmlInitParser();
    errsink errs = {CD_STRBUF_INIT, 0, 0, eager};
    int rc = load_file(path, NULL, 0, false, out, &errs);
    if (rc != CD_OK) cd_error_set(err, rc, "%s", load_errors(&errs, path));
    cd_strbuf_free(&errs.text);
    return rc;
}

int cd_template_load(const char *path, cd_template **out, cd_error *err)
{
    return load_top(path, false, out, err);
}

int cd_template_load_all(const char *path, cd_template **out, cd_error *err)
{
    return load_top(path, true, out, err);
}

int tl_include(tinclude *inc, const cd_template **out, cd_error *err)
{
    if (!inc->t && !inc->error) {
        errsink errs = {CD_STRBUF_INIT, 0, 0, false};
        if (load_file(inc->path, inc->chain, inc->depth, false, &inc->t, &errs) != CD_OK)
            inc->error = strdup(load_errors(&errs, inc->path));
        cd_strbuf_free(&errs.text);
    }
    *out = inc->t;
    if (inc->t) return CD_OK;
    return cd_error_set(err, CD_EINPUT, "the included template %s does not load now (it had "
                        "loaded cleanly before, so it was read only when needed): %s", inc->path,
                        inc->error ? inc->error : "out of memory");
}

void cd_template_free(cd_template *t)
{
    if (!t) return;
    for (size_t i = 0; i < t->nexprs; i++) xmlXPathFreeCompExpr(t->exprs[i]->comp);
    for (size_t i = 0; i < t->nincludes; i++) {
        cd_template_free(t->includes[i]->t);
        free(t->includes[i]->error);
    }
    cd_arena_free(t->arena);
    free(t);
}

const char *cd_template_path(const cd_template *t) { return t->path; }

int cd_template_render(const cd_template *t, xmlDocPtr data, const cd_template_opts *opts,
                       const char *out_path, int *pages, cd_error *err)
{
    return tr_render(t, data, opts, out_path, NULL, NULL, pages, err);
}

int cd_template_render_buffer(const cd_template *t, xmlDocPtr data, const cd_template_opts *opts,
                              unsigned char **buf, size_t *len, int *pages, cd_error *err)
{
    return tr_render(t, data, opts, NULL, buf, len, pages, err);
}
