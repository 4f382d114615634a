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

/* Puts a document written whole to the temporary file tmp into place at
 * opts->written, keeping the audit promise ("a document not in the audit
 * must not exist"). THE ORDER, the one place it is decided:
 *   1. (before this) the PDF is written whole to tmp, beside its target,
 *      and fsync'd; its sha256 is of those bytes;
 *   2. SIGINT, SIGTERM and SIGHUP are held;
 *   3. the audit row is committed, naming the final path and the sha256;
 *   4. a batch appends and fsyncs the document's index.csv line
 *      (opts->on_recorded);
 *   5. tmp is renamed into place: only now does the document exist;
 *   6. the signals are let in (a batch worker holds them for the whole
 *      document, so its result also reaches the parent first).
 * A signal arriving before 2 removes tmp (the handler); one arriving later
 * is delivered at 6, when the document is in the audit, the index and the
 * folder. kill -9 between 3 and 5 leaves a row (and an index line) whose
 * file never appeared: `courtdocs audit --verify` reports it, a batch's
 * index drops the line when it is next rewritten, and the next run in that
 * folder removes tmp (cd_out_clean_stale). A failure at 3 or 4 removes tmp:
 * no document without its row. Takes tmp (always freed). */
static int publish(cd_store *s, cd_doc_kind kind, const char *case_ref, cd_render_opts *opts,
                   char *tmp, cd_error *err)
{
    sigset_t saved;
    cd_out_hold_signals(&saved);
    int rc = cd_store_audit_add(s, kind == CD_DOC_SUMMARY ? NULL : case_ref, KIND_NAMES[kind],
                                opts->sha256, opts->written, err);
    if (!rc && opts->on_recorded)
        rc = opts->on_recorded(opts->on_recorded_ctx, opts, err);
    if (rc)
        cd_out_discard(tmp);
    else
        rc = cd_out_commit(tmp, opts->written, err);
    cd_out_release_signals(&saved);
    return rc;
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
        char safe[200];
        cd_safe_file_name(kind == CD_DOC_SUMMARY ? "caseload" : case_ref, safe, sizeof safe);
        snprintf(opts->written, sizeof opts->written, "%s-%s-%s.pdf", KIND_NAMES[kind], safe, opts->date_used);
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
    rc = cd_out_write_temp(opts->written, buf, len, &tmp, err);
    free(buf);
    if (rc)
        goto out;
    /* The read snapshot ends before the audit row is written (a write may
     * have to wait for an import to finish; a read transaction cannot be
     * upgraded once another writer has committed). */
    cd_store_snapshot_end(s);
    rc = publish(s, kind, case_ref, opts, tmp, err);

out:
    if (doc)
        xmlFreeDoc(doc);
    cd_case_free(c);
    cd_store_snapshot_end(s);
    return rc;
}
