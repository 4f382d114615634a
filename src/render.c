/* render.c -- one document, end to end: read the case from one snapshot of
 * the store, build its facts, bind them to the document's template, write
 * the PDF (atomically, mode 0600), hash it and record it in the audit.
 *
 * Templates are loaded once per process and kept (a batch worker renders
 * hundreds of documents with the same template). The policies that decide
 * whether a document may be made at all live here, each read from the
 * rules or the facts, never recomputed: a breach pack needs an unacceptable
 * failure to answer (unless forced); a PSR section needs a complete
 * assessment (unless a draft is asked for).
 */
#define _GNU_SOURCE
#include "courtdocs.h"
#include "datadir.h"
#include "facts.h"
#include "outfile.h"
#include "rules.h"
#include "sha256.h"
#include "strbuf.h"
#include "store.h"
#include "template.h"
#include "words.h"
#include <libxml/xpath.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *const KIND_NAMES[] = { "review", "psr", "breach", "summary" };
static const char *const TEMPLATE_FILES[] = {
    "court-review.xml", "psr-drug-assessment.xml", "breach-pack.xml", "caseload-summary.xml"
};
static const char *const DOC_ID_PREFIX[] = { "RV", "PS", "BP", "CS" };

const char *cd_doc_kind_name(cd_doc_kind kind)
{
    return (unsigned)kind < 4 ? KIND_NAMES[kind] : "document";
}

void cd_safe_file_name(const char *ref, char *out, size_t size)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)(ref ? ref : ""); *p && n + 1 < size; p++) {
        unsigned char ch = *p;
        int ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
                 ch == '.' || ch == '_' || ch == '-';
        out[n++] = ok ? (char)ch : '_';
    }
    if (n == 0 && size > 1)
        out[n++] = '_';
    out[n] = '\0';
    if (out[0] == '.')
        out[0] = '_';
}

char *cd_document_file_name(cd_doc_kind kind, const char *case_ref, const char *date)
{
    enum { KEEP = 200 };                          /* bytes of the safe ref kept */
    const char *ref = kind == CD_DOC_SUMMARY ? "caseload" : case_ref ? case_ref : "";
    size_t rlen = strlen(ref);
    char *safe = malloc(rlen + 2);
    if (!safe) return NULL;
    cd_safe_file_name(ref, safe, rlen + 2);
    char hex[65] = "";
    if (strlen(safe) > KEEP) {
        safe[KEEP] = '\0';
        cd_sha256(ref, rlen, hex);
        hex[8] = '\0';
    }
    char *name = NULL;
    if (asprintf(&name, "%s-%s%s%s-%s.pdf", cd_doc_kind_name(kind), safe, *hex ? "-" : "", hex,
                 date ? date : "") < 0)
        name = NULL;
    free(safe);
    return name;
}

/* ---- the template cache ---------------------------------------------------- */

typedef struct { char *path; cd_template *t; } cached_template;
static cached_template g_cache[8];
static size_t g_ncache;

/* The loaded template at path (loaded on first use). */
static int template_for(const char *path, const cd_template **out, cd_error *err)
{
    for (size_t i = 0; i < g_ncache; i++)
        if (strcmp(g_cache[i].path, path) == 0) {
            *out = g_cache[i].t;
            return CD_OK;
        }
    cd_template *t = NULL;
    int rc = cd_template_load(path, &t, err);
    if (rc)
        return rc;
    if (g_ncache == sizeof g_cache / sizeof g_cache[0]) {
        cd_template_free(g_cache[0].t);
        free(g_cache[0].path);
        memmove(g_cache, g_cache + 1, (g_ncache - 1) * sizeof g_cache[0]);
        g_ncache--;
    }
    g_cache[g_ncache].path = strdup(path);
    if (!g_cache[g_ncache].path) {
        cd_template_free(t);
        return cd_error_set(err, CD_EGENERAL, "out of memory");
    }
    g_cache[g_ncache++].t = t;
    *out = t;
    return CD_OK;
}

void cd_render_release(void)
{
    for (size_t i = 0; i < g_ncache; i++) {
        cd_template_free(g_cache[i].t);
        free(g_cache[i].path);
    }
    g_ncache = 0;
}

/* ---- policies ----------------------------------------------------------------- */

/* Prints the facts' author warnings ("warning: case REF: ...") to out. */
static void print_author_warnings(xmlDocPtr doc, const char *ref, FILE *out)
{
    if (!out)
        return;
    xmlXPathContextPtr x = xmlXPathNewContext(doc);
    xmlXPathObjectPtr r = x ? xmlXPathEvalExpression(BAD_CAST "/facts/author-warnings/warning", x) : NULL;
    if (r && r->nodesetval)
        for (int i = 0; i < r->nodesetval->nodeNr; i++) {
            xmlChar *t = xmlNodeGetContent(r->nodesetval->nodeTab[i]);
            if (t)
                fprintf(out, "warning: case %s: %s\n", ref ? ref : "-", (const char *)t);
            xmlFree(t);
        }
    xmlXPathFreeObject(r);
    xmlXPathFreeContext(x);
}

/* The facts' author warnings, one per line, malloc'd; NULL when none. */
static char *collect_author_warnings(xmlDocPtr doc)
{
    cd_strbuf b = {0};
    xmlXPathContextPtr x = xmlXPathNewContext(doc);
    xmlXPathObjectPtr r = x ? xmlXPathEvalExpression(BAD_CAST "/facts/author-warnings/warning", x) : NULL;
    if (r && r->nodesetval)
        for (int i = 0; i < r->nodesetval->nodeNr; i++) {
            xmlChar *t = xmlNodeGetContent(r->nodesetval->nodeTab[i]);
            if (t) {
                cd_strbuf_add(&b, (const char *)t);
                cd_strbuf_addc(&b, '\n');
            }
            xmlFree(t);
        }
    xmlXPathFreeObject(r);
    xmlXPathFreeContext(x);
    char *out = cd_strbuf_str(&b)[0] ? strdup(cd_strbuf_str(&b)) : NULL;
    cd_strbuf_free(&b);
    return out;
}

/* Whether the facts decided the document is a draft (document/@draft). */
static int facts_say_draft(xmlDocPtr doc)
{
    xmlXPathContextPtr x = xmlXPathNewContext(doc);
    xmlXPathObjectPtr r = x ? xmlXPathEvalExpression(BAD_CAST "boolean(/facts/document[@draft = 'true'])", x) : NULL;
    int draft = r && r->type == XPATH_BOOLEAN && r->boolval;
    xmlXPathFreeObject(r);
    xmlXPathFreeContext(x);
    return draft;
}

/* A PSR needs an assessment with nothing missing, unless a draft is asked
 * for: the facts list each gap. */
static int psr_check(xmlDocPtr doc, const cd_case *c, int draft, cd_error *err)
{
    if (!c->assessment.present)
        return cd_error_set(err, CD_EINPUT, "case %s has no drug assessment recorded: the PSR "
                            "section is written from the <assessment> record (import it first)", c->ref);
    if (draft)
        return CD_OK;
    xmlXPathContextPtr x = xmlXPathNewContext(doc);
    xmlXPathObjectPtr r = x ? xmlXPathEvalExpression(BAD_CAST "/facts/assessment/gap/@field", x) : NULL;
    int rc = CD_OK;
    if (r && r->nodesetval && r->nodesetval->nodeNr > 0) {
        char list[700] = "";
        size_t k = 0;
        for (int i = 0; i < r->nodesetval->nodeNr && k + 80 < sizeof list; i++) {
            xmlChar *t = xmlNodeGetContent(r->nodesetval->nodeTab[i]);
            k += (size_t)snprintf(list + k, sizeof list - k, "%s%s", i ? ", " : "", t ? (const char *)t : "?");
            xmlFree(t);
        }
        rc = cd_error_set(err, CD_EINPUT, "case %s: the drug assessment is incomplete; missing: %s. "
                          "Record them and import again, or render a draft with --draft", c->ref, list);
    }
    xmlXPathFreeObject(r);
    xmlXPathFreeContext(x);
    return rc;
}

/* A breach pack is made when the rules require breach action as of date
 * (an unacceptable failure to answer under the order's profile), unless
 * forced. */
static int breach_check(const cd_case *c, cd_date date, int force, cd_error *err)
{
    if (!c->order.present)
        return cd_error_set(err, CD_ENOTFOUND, "case %s has no order: there is nothing to breach", c->ref);
    if (force)
        return CD_OK;
    const cd_profile *p = cd_profile_for_order(&c->order);
    if (!p)
        return CD_OK;                  /* facts reports the unknown profile */
    cd_arena *a = cd_arena_new();
    if (!a)
        return cd_error_set(err, CD_EGENERAL, "out of memory");
    /* the records as the pack may use them (to its cut-off) */
    cd_enforcement e = cd_rules_enforcement(cd_rules_case_as_of(c, date, a), p, date, a);
    int required = e.breach_required, in_window = e.in_window;
    cd_arena_free(a);
    if (!required) {
        char d[11];
        cd_date_format_iso(date, d);
        cd_arena *wa = cd_arena_new();
        int rc = cd_error_set(err, CD_EREFUSED, "case %s: no unacceptable failure to answer: as of %s "
                              "the %s rules do not require breach action (%s in the last 12 months); "
                              "use --force to make the pack anyway", c->ref, d, p->name,
                              wa ? cd_words_count(wa, in_window, "unacceptable failure", NULL, NULL) : "?");
        cd_arena_free(wa);
        return rc;
    }
    return CD_OK;
}

/* ---- rendering ------------------------------------------------------------------ */

/* The document id: prefix and 8 hex digits of a hash of kind, ref, date and
 * the moment of generation. */
static void make_doc_id(cd_doc_kind kind, const char *ref, const char *date, const char *when,
                        char out[16])
{
    char buf[512], hex[65];
    int n = snprintf(buf, sizeof buf, "%s|%s|%s|%s", KIND_NAMES[kind], ref ? ref : "", date, when);
    cd_sha256(buf, n > 0 && (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1, hex);
    snprintf(out, 16, "%s-%.8s", DOC_ID_PREFIX[kind], hex);
}

/* ---- publishing ------------------------------------------------------------------ */

/* A document written whole (and fsync'd) to its temporary file, waiting to
 * be published. */
typedef struct {
    char *tmp;                 /* the temporary file beside path */
    int fd;                    /* tmp still open, not yet synced (a group's); -1 = synced */
    char *path;                /* its final name */
    char *case_ref;            /* NULL for the summary */
    const char *kind;          /* KIND_NAMES[kind] */
    char sha256[65];
    int pages, is_draft;
    char *author_warnings;     /* one per line, or NULL */
    void *tag;
} held_doc;

struct cd_publish_group {
    cd_store *store;
    cd_publish_recorder record;
    void *record_ctx;
    held_doc *docs;
    size_t n, cap;
};

static void held_doc_free(held_doc *d)
{
    if (d->fd >= 0)
        close(d->fd);
    cd_out_discard(d->tmp);        /* NULL once renamed into place */
    free(d->path);
    free(d->case_ref);
    free(d->author_warnings);
    memset(d, 0, sizeof *d);
}

/* Whether paths a and b lie in the same folder (same text before the last '/'). */
static int same_folder(const char *a, const char *b)
{
    const char *sa = strrchr(a, '/'), *sb = strrchr(b, '/');
    size_t la = sa ? (size_t)(sa - a) : 0, lb = sb ? (size_t)(sb - b) : 0;
    return la == lb && memcmp(a, b, la) == 0;
}

/* Puts documents d[0..n), each written whole to its temporary file, into
 * place, keeping the audit promise ("a document not in the audit must not
 * exist"). THE ORDER, the one place it is decided, for one document (the
 * single-document commands) and for a batch worker's group of several
 * alike:
 *   1. each PDF is written whole to its temporary file beside its target
 *      (its sha256 is of those bytes) and synced to disk: a single document
 *      with fsync as it is written (cd_out_write_temp); a group's with
 *      their writeback started as each is written and an fdatasync of each
 *      here, one after the other (cd_out_write_temp_open, cd_out_sync_temp),
 *      which on ext4 lets one journal commit carry many. Synced before
 *      renamed, either way. A document that cannot be synced is dropped
 *      from the group (its temporary file removed, no row);
 *   2. SIGINT, SIGTERM and SIGHUP are held;
 *   3. the audit rows are committed, all of the group in ONE transaction,
 *      naming the final paths and the sha256s; the COMMIT is on disk when
 *      it returns;
 *   4. the recorder runs (a batch appends and fsyncs the documents' index.csv
 *      lines, in one write);
 *   5. each temporary file is renamed into place, in order: only now does
 *      a document exist; then the folder is fsync'd once for each run of
 *      documents renamed into it (a batch's group: once);
 *   6. the signals are let in (a batch worker holds them for the whole
 *      document and for the flush, so its results also reach the parent).
 * A signal arriving before 2 removes the single-document command's
 * temporary file (its handler); a batch worker's handler only notes it and
 * the worker publishes what it holds, then stops. One arriving later is
 * delivered at 6, when the documents are in the audit, the index and the
 * folder. kill -9 (or a power cut) before 3 leaves only temporary files, no
 * rows; between 3 and 5 it leaves committed rows (and index lines) for
 * documents that never appeared -- up to a whole group -- and their
 * temporary files: `courtdocs audit --verify` reports each such row as
 * missing, a batch's index drops the lines when it is next rewritten, and
 * the next run in that folder removes the temporary files
 * (cd_out_clean_stale). Never a file at its final name without its row. A
 * failure at 3 or 4 removes every temporary file of the group (no document
 * without its row); a failure to rename one document (its target turned
 * into a folder, say) removes that one's temporary file and leaves its
 * row, reported missing. each[k] gets document k's outcome; returns CD_OK
 * when all are in place, else the first failure's code with err set.
 * Empties d (held_doc_free). */
static int publish_held(cd_store *s, held_doc *d, size_t n, cd_publish_recorder record,
                        void *record_ctx, cd_error *each, cd_error *err)
{
    int first = CD_OK;
    for (size_t k = 0; k < n; k++) {
        each[k].code = 0;
        each[k].message[0] = '\0';
        if (d[k].fd >= 0) {
            int fd = d[k].fd;
            d[k].fd = -1;
            if (cd_out_sync_temp(fd, d[k].path, &each[k]) != CD_OK && !first) {
                first = each[k].code;
                *err = each[k];
            }
        }
    }
    /* the documents on disk, whose rows go in */
    cd_audit_row *rows = calloc(n ? n : 1, sizeof *rows);
    cd_published *pub = calloc(n ? n : 1, sizeof *pub);
    int rc = rows && pub ? CD_OK : cd_error_set(err, CD_EGENERAL, "out of memory");
    size_t m = 0;
    for (size_t k = 0; !rc && k < n; k++)
        if (!each[k].code) {
            rows[m] = (cd_audit_row){ d[k].case_ref, d[k].kind, d[k].sha256, d[k].path };
            pub[m++] = (cd_published){ d[k].tag, d[k].path, d[k].sha256, d[k].pages, d[k].is_draft,
                                       d[k].author_warnings };
        }
    sigset_t saved;
    cd_out_hold_signals(&saved);
    if (!rc)
        rc = cd_store_audit_add_rows(s, rows, m, err);
    if (!rc && record && m)
        rc = record(record_ctx, pub, m, err);
    for (size_t k = 0; k < n; k++) {
        if (each[k].code)
            continue;                      /* never synced: removed below */
        if (rc) {
            each[k] = *err;
            continue;
        }
        char *tmp = d[k].tmp;
        d[k].tmp = NULL;                   /* cd_out_rename frees it */
        if (cd_out_rename(tmp, d[k].path, &each[k]) != CD_OK && !first) {
            first = each[k].code;
            *err = each[k];
        }
    }
    /* the folder renamed into, once for each run of documents in it (a
     * batch: its one folder) */
    const char *synced = NULL;
    for (size_t k = 0; !rc && k < n; k++)
        if (!each[k].code && (!synced || !same_folder(synced, d[k].path))) {
            cd_out_sync_folder(d[k].path);
            synced = d[k].path;
        }
    cd_out_release_signals(&saved);
    for (size_t k = 0; k < n; k++)
        held_doc_free(&d[k]);
    free(rows);
    free(pub);
    return rc ? rc : first;
}

int cd_publish_group_new(cd_store *s, cd_publish_recorder record, void *record_ctx,
                         cd_publish_group **out, cd_error *err)
{
    cd_publish_group *g = calloc(1, sizeof *g);
    if (!g)
        return cd_error_set(err, CD_EGENERAL, "out of memory");
    g->store = s;
    g->record = record;
    g->record_ctx = record_ctx;
    *out = g;
    return CD_OK;
}

size_t cd_publish_group_held(const cd_publish_group *g)
{
    return g ? g->n : 0;
}

int cd_publish_group_flush(cd_publish_group *g, cd_error *each, cd_error *err)
{
    if (!g || g->n == 0)
        return CD_OK;
    size_t n = g->n;
    g->n = 0;
    return publish_held(g->store, g->docs, n, g->record, g->record_ctx, each, err);
}

void cd_publish_group_free(cd_publish_group *g)
{
    if (!g)
        return;
    for (size_t k = 0; k < g->n; k++)
        held_doc_free(&g->docs[k]);
    free(g->docs);
    free(g);
}

/* Publishes the document just written to tmp (taken; fd open and not yet
 * synced, or -1): at once (no group), or held in opts->group until its
 * flush. */
static int publish(cd_store *s, cd_doc_kind kind, const char *case_ref, cd_render_opts *opts,
                   char *tmp, int fd, cd_error *err)
{
    held_doc one, *d = &one;
    cd_publish_group *g = opts->group;
    if (g) {
        if (g->n == g->cap) {
            size_t cap = g->cap ? g->cap * 2 : 64;
            held_doc *nd = realloc(g->docs, cap * sizeof *nd);
            if (!nd) {
                if (fd >= 0)
                    close(fd);
                cd_out_discard(tmp);
                return cd_error_set(err, CD_EGENERAL, "out of memory");
            }
            g->docs = nd;
            g->cap = cap;
        }
        d = &g->docs[g->n];
    }
    memset(d, 0, sizeof *d);
    d->tmp = tmp;
    d->fd = fd;
    d->path = strdup(opts->written);
    const char *ref = kind == CD_DOC_SUMMARY ? NULL : case_ref;
    d->case_ref = ref ? strdup(ref) : NULL;
    d->kind = KIND_NAMES[kind];
    memcpy(d->sha256, opts->sha256, sizeof d->sha256);
    d->pages = opts->pages;
    d->is_draft = opts->is_draft;
    d->author_warnings = opts->author_warnings ? strdup(opts->author_warnings) : NULL;
    d->tag = opts->group_tag;
    if (!d->path || (ref && !d->case_ref) ||
        (opts->author_warnings && !d->author_warnings)) {
        held_doc_free(d);
        return cd_error_set(err, CD_EGENERAL, "out of memory");
    }
    if (g) {
        g->n++;
        return CD_OK;
    }
    cd_error outcome;
    return publish_held(s, d, 1, NULL, NULL, &outcome, err);
}

int cd_render(cd_store *s, cd_doc_kind kind, const char *case_ref, cd_render_opts *opts,
              const char *out_path, cd_error *err)
{
    cd_render_opts dflt;
    if (!opts) {
        memset(&dflt, 0, sizeof dflt);
        opts = &dflt;
    }
    opts->pages = 0;
    opts->missing_glyphs = 0;
    opts->is_draft = 0;
    opts->author_warnings = NULL;
    opts->sha256[0] = opts->date_used[0] = opts->doc_id[0] = opts->written[0] = '\0';
    if ((unsigned)kind > CD_DOC_SUMMARY)
        return cd_error_set(err, CD_EUSAGE, "unknown document kind");

    char tpath[4096];
    snprintf(tpath, sizeof tpath, "%s/%s", opts->template_dir ? opts->template_dir : "",
             TEMPLATE_FILES[kind]);
    if (!opts->template_dir)
        snprintf(tpath, sizeof tpath, "%s/templates/%s", cd_data_dir(), TEMPLATE_FILES[kind]);
    const cd_template *t = NULL;
    int rc = template_for(tpath, &t, err);
    if (rc)
        return rc;

    cd_date date = CD_DATE_NONE;
    if (opts->date && !cd_date_parse(opts->date, &date))
        return cd_error_set(err, CD_EUSAGE, "the date \"%s\" is not a real date (YYYY-MM-DD)", opts->date);

    time_t now = time(NULL);
    struct tm tmv;
    char when[32];
    strftime(when, sizeof when, "%Y-%m-%d %H:%M", localtime_r(&now, &tmv));

    if ((rc = cd_store_snapshot_begin(s, err)))
        return rc;
    cd_case *c = NULL;
    xmlDocPtr doc = NULL;
    if (kind == CD_DOC_SUMMARY) {
        cd_date_format_iso(cd_date_today(), opts->date_used);
        make_doc_id(kind, NULL, opts->date_used, when, opts->doc_id);
        if ((rc = cd_facts_build_summary(s, opts, &doc, err)))
            goto out;
        xmlNodePtr d = xmlNewChild(xmlDocGetRootElement(doc), NULL, BAD_CAST "document", NULL);
        xmlNewProp(d, BAD_CAST "id", BAD_CAST opts->doc_id);
        xmlNewProp(d, BAD_CAST "kind", BAD_CAST "summary");
        xmlNewProp(d, BAD_CAST "generated", BAD_CAST when);
        goto write;
    }
    if ((rc = cd_store_load_case(s, case_ref, &c, err)))
        goto out;
    if (date == CD_DATE_NONE)
        date = cd_facts_default_date(c, kind, cd_date_today());
    if (date == CD_DATE_NONE) {
        rc = cd_error_set(err, CD_ENOTFOUND, "case %s: no review is due (the order has ended or has "
                          "no review hearings); give the hearing date with --date", c->ref);
        goto out;
    }
    cd_date_format_iso(date, opts->date_used);
    make_doc_id(kind, case_ref, opts->date_used, when, opts->doc_id);
    if (kind == CD_DOC_BREACH && (rc = breach_check(c, date, opts->force, err)))
        goto out;

    cd_facts_opts fo = { .kind = kind, .date = date, .doc_id = opts->doc_id, .generated = when,
                         .attach_psr = opts->attach_psr };
    if ((rc = cd_facts_build(c, &fo, &doc, err)))
        goto out;
    if (kind == CD_DOC_PSR && (rc = psr_check(doc, c, opts->draft, err)))
        goto out;
    print_author_warnings(doc, c->ref, opts->warnings);
    if (opts->collect_warnings)
        opts->author_warnings = collect_author_warnings(doc);

write:
    if (out_path)
        snprintf(opts->written, sizeof opts->written, "%s", out_path);
    else {
        char *name = cd_document_file_name(kind, case_ref, opts->date_used);
        if (!name) {
            rc = cd_error_set(err, CD_EGENERAL, "out of memory");
            goto out;
        }
        snprintf(opts->written, sizeof opts->written, "%s", name);
        free(name);
    }
    if ((rc = cd_out_check_target(opts->written, err)))
        goto out;
    opts->is_draft = opts->draft != 0 || facts_say_draft(doc);
    char *subject = NULL;
    if (asprintf(&subject, "%s%s", kind == CD_DOC_SUMMARY ? "caseload summary" : "case ",
                 kind == CD_DOC_SUMMARY ? "" : case_ref) < 0)
        subject = NULL;
    cd_template_opts to = { .password = opts->password, .draft = opts->is_draft != 0,
                            .warnings = opts->warnings, .author = NULL, .subject = subject,
                            .glyph_warnings = opts->glyph_warnings,
                            .missing_glyphs = &opts->missing_glyphs };
    unsigned char *buf = NULL;
    size_t len = 0;
    char *tmp = NULL;
    rc = cd_template_render_buffer(t, doc, &to, &buf, &len, &opts->pages, err);
    free(subject);
    if (rc)
        goto out;
    cd_sha256(buf, len, opts->sha256);
    int fd = -1;
    rc = opts->group ? cd_out_write_temp_open(opts->written, buf, len, &tmp, &fd, err)
                     : cd_out_write_temp(opts->written, buf, len, &tmp, err);
    free(buf);
    if (rc)
        goto out;
    /* The read snapshot ends before the audit row is written (a write may
     * have to wait for an import to finish; a read transaction cannot be
     * upgraded once another writer has committed). */
    cd_store_snapshot_end(s);
    rc = publish(s, kind, case_ref, opts, tmp, fd, err);

out:
    if (doc)
        xmlFreeDoc(doc);
    cd_case_free(c);
    cd_store_snapshot_end(s);
    return rc;
}
