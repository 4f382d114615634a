/* import.c -- reads case-record files (docs/case-records.md) into the store.
 *
 * Each file is streamed with libxml2's xmlTextReader, one <case> at a time
 * (xmlTextReaderExpand, then xmlTextReaderNext, so memory stays flat however
 * large the export), with entity substitution, DTD loading and network
 * access off; a DOCTYPE that declares anything, or points outside the file,
 * is refused before the content is read. Each case is checked against
 * schemas/case-records.rng (libxml2 RELAX NG, on a copy of the case in a
 * small document), then against the import rules the grammar cannot say:
 * real dates, ids unique in the case, references that resolve to failures,
 * ranges, dates not after the export, records inside the order.
 *
 * Writing: all files of one call in one transaction. A case's records are
 * matched by id with what the store holds; a signature of each record's
 * content tells unchanged records (left alone) from changed ones (replaced);
 * imported records the export no longer holds are removed. Local notes are
 * never touched. Any error rolls everything back.
 *
 * Error messages: "FILE:LINE:COL: case REF, record ID: what is wrong". They
 * carry no names or free text from the records. libxml2 keeps no column for
 * elements, so the column is found by reading that line of the file again
 * (error path only).
 */
#define _GNU_SOURCE
#include "store_int.h"
#include "datadir.h"
#include <libxml/relaxng.h>
#include <libxml/xmlreader.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NS "urn:courtdocs:case-records:1"
#define MAX_WARNINGS 100
#define MAX_ATTRIBUTE 4096             /* bytes in one attribute value */
#define MAX_TEXT CD_NOTE_MAX           /* bytes of text in one element (a note) */

/* ---- a small string-keyed hash table ---------------------------------- */

typedef struct {
    char *key;          /* type char followed by the record key; owned */
    xmlNode *node;      /* ids: the record's element */
    int64_t sig;        /* existing: the stored signature */
    int flags;          /* ids: ID_* ; existing: seen */
} entry;

typedef struct { entry *e; size_t cap, n; } table;

static uint64_t fnv(const char *s, size_t n, uint64_t h)
{
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}
#define FNV_INIT 0xcbf29ce484222325ULL

static void table_clear(table *t)
{
    for (size_t i = 0; i < t->cap; i++)
        free(t->e[i].key);
    if (t->e)
        memset(t->e, 0, t->cap * sizeof *t->e);
    t->n = 0;
}

static void table_free(table *t)
{
    table_clear(t);
    free(t->e);
    t->e = NULL;
    t->cap = 0;
}

/* Finds type+key; with create, adds it (flags 0) when absent. NULL only when
 * absent (and not created) or out of memory. *fresh says it was added. */
static entry *table_get(table *t, char type, const char *key, int create, int *fresh)
{
    if (fresh)
        *fresh = 0;
    if (create && (t->n + 1) * 2 > t->cap) {
        size_t ncap = t->cap ? t->cap * 2 : 256;
        entry *ne = calloc(ncap, sizeof *ne);
        if (!ne)
            return NULL;
        for (size_t i = 0; i < t->cap; i++) {
            if (!t->e[i].key)
                continue;
            uint64_t h = fnv(t->e[i].key, strlen(t->e[i].key), FNV_INIT);
            size_t j = h & (ncap - 1);
            while (ne[j].key)
                j = (j + 1) & (ncap - 1);
            ne[j] = t->e[i];
        }
        free(t->e);
        t->e = ne;
        t->cap = ncap;
    }
    if (!t->cap)
        return NULL;
    uint64_t h = fnv(&type, 1, FNV_INIT);
    size_t klen = strlen(key);
    h = fnv(key, klen, h);
    size_t j = h & (t->cap - 1);
    while (t->e[j].key) {
        if (t->e[j].key[0] == type && strcmp(t->e[j].key + 1, key) == 0)
            return &t->e[j];
        j = (j + 1) & (t->cap - 1);
    }
    if (!create)
        return NULL;
    char *k = malloc(klen + 2);
    if (!k)
        return NULL;
    k[0] = type;
    memcpy(k + 1, key, klen + 1);
    t->e[j].key = k;
    t->n++;
    if (fresh)
        *fresh = 1;
    return &t->e[j];
}

/* ---- record types ----------------------------------------------------------- */

/* One letter per kind of record the import counts, with its table. */
typedef struct { char type; const char *del; } rec_kind;
static const rec_kind KINDS[] = {
    { 'p', "DELETE FROM people WHERE case_id=?1 AND ?2 IS NOT NULL" },
    { 'o', "DELETE FROM orders WHERE case_id=?1 AND ?2 IS NOT NULL" },
    { 's', "DELETE FROM staff WHERE case_id=?1 AND rid=?2" },
    { 'a', "DELETE FROM appointments WHERE case_id=?1 AND rid=?2" },
    { 't', "DELETE FROM tests WHERE case_id=?1 AND rid=?2" },
    { 'w', "DELETE FROM warnings WHERE case_id=?1 AND rid=?2" },
    { 'd', "DELETE FROM decisions WHERE case_id=?1 AND rid=?2" },
    { 'b', "DELETE FROM breaches WHERE case_id=?1 AND rid=?2" },
    { 'r', "DELETE FROM reviews WHERE case_id=?1 AND rid=?2 AND has_id=1" },
    { 'R', "DELETE FROM reviews WHERE case_id=?1 AND rid=?2 AND has_id=0" },
    { 'n', "DELETE FROM notes WHERE case_id=?1 AND rid=?2 AND has_id=1 AND local=0" },
    { 'N', "DELETE FROM notes WHERE case_id=?1 AND rid=?2 AND has_id=0 AND local=0" },
    { 'x', "DELETE FROM assessments WHERE case_id=?1 AND ?2 IS NOT NULL" },
};
#define NKINDS (sizeof KINDS / sizeof KINDS[0])

static const char EXISTING_SQL[] =
    "SELECT 'p', '', sig FROM people WHERE case_id=?1 UNION ALL "
    "SELECT 'o', '', sig FROM orders WHERE case_id=?1 UNION ALL "
    "SELECT 's', rid, sig FROM staff WHERE case_id=?1 UNION ALL "
    "SELECT 'a', rid, sig FROM appointments WHERE case_id=?1 UNION ALL "
    "SELECT 't', rid, sig FROM tests WHERE case_id=?1 UNION ALL "
    "SELECT 'w', rid, sig FROM warnings WHERE case_id=?1 UNION ALL "
    "SELECT 'd', rid, sig FROM decisions WHERE case_id=?1 UNION ALL "
    "SELECT 'b', rid, sig FROM breaches WHERE case_id=?1 UNION ALL "
    "SELECT CASE has_id WHEN 1 THEN 'r' ELSE 'R' END, rid, sig FROM reviews WHERE case_id=?1 UNION ALL "
    "SELECT CASE has_id WHEN 1 THEN 'n' ELSE 'N' END, rid, sig FROM notes WHERE case_id=?1 AND local=0 "
    "UNION ALL SELECT 'x', '', sig FROM assessments WHERE case_id=?1";

enum {
    Q_CASE_FIND, Q_CASE_ADD, Q_CASE_SET, Q_CASE_EXPORTED, Q_EXISTING,
    Q_PERSON, Q_ORDER, Q_OFFENCE, Q_REQUIREMENT, Q_STAFF, Q_APPOINTMENT, Q_TEST, Q_RESULT,
    Q_WARNING, Q_DECISION, Q_BREACH, Q_REVIEW, Q_NOTE, Q_ASSESSMENT, Q_DRUG_USE, Q_EPISODE,
    Q_PREVIOUS, Q_COUNT
};
static const char *const SQL[Q_COUNT] = {
    [Q_CASE_FIND] = "SELECT id, coalesce(area, ''), coalesce(team, '') FROM cases WHERE ref=?1",
    [Q_CASE_ADD] = "INSERT INTO cases(ref, area, team, imported) VALUES(?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
    [Q_CASE_SET] = "UPDATE cases SET area=?2, team=?3 WHERE id=?1",
    [Q_CASE_EXPORTED] = "UPDATE cases SET exported=?2 WHERE id=?1",
    [Q_EXISTING] = EXISTING_SQL,
    [Q_PERSON] = "INSERT INTO people(case_id, rid, sig, given_name, family_name, date_of_birth, sex,"
                 " ethnicity, accommodation, accommodation_text) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
    [Q_ORDER] = "INSERT INTO orders(case_id, rid, sig, type, intensity, made, months, court, sentencer,"
                " review_hearings, rules, ended, end_reason) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)",
    [Q_OFFENCE] = "INSERT INTO offences(case_id, ord, text) VALUES(?1,?2,?3)",
    [Q_REQUIREMENT] = "INSERT INTO requirements(case_id, ord, text) VALUES(?1,?2,?3)",
    [Q_STAFF] = "INSERT INTO staff(case_id, rid, sig, role, name, phone, organisation, email)"
                " VALUES(?1,?2,?3,?4,?5,?6,?7,?8)",
    [Q_APPOINTMENT] = "INSERT INTO appointments(case_id, rid, sig, date, time, minutes, kind, with_whom,"
                      " outcome, reason) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
    [Q_TEST] = "INSERT INTO tests(case_id, rid, sig, date, method, status) VALUES(?1,?2,?3,?4,?5,?6)",
    [Q_RESULT] = "INSERT INTO results(test_id, ord, substance, name, outcome, confirmation, prescribed)"
                 " VALUES(?1,?2,?3,?4,?5,?6,?7)",
    [Q_WARNING] = "INSERT INTO warnings(case_id, rid, sig, date, failures, text) VALUES(?1,?2,?3,?4,?5,?6)",
    [Q_DECISION] = "INSERT INTO decisions(case_id, rid, sig, date, tests, text) VALUES(?1,?2,?3,?4,?5,?6)",
    [Q_BREACH] = "INSERT INTO breaches(case_id, rid, sig, initiated, heard, failures, outcome)"
                 " VALUES(?1,?2,?3,?4,?5,?6,?7)",
    [Q_REVIEW] = "INSERT INTO reviews(case_id, rid, sig, has_id, date, kind, court, sentencer, outcome,"
                 " next, comments, directions) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)",
    [Q_NOTE] = "INSERT INTO notes(case_id, rid, sig, local, has_id, date, author, kind, text)"
               " VALUES(?1,?2,?3,0,?4,?5,?6,?7,?8)",
    [Q_ASSESSMENT] = "INSERT INTO assessments(case_id, rid, sig, date, author, has_alcohol, alcohol_units,"
                     " audit_score, has_oasys, oasys_drugs, oasys_alcohol, offending_link, dependency,"
                     " stage, motivation, health_mental, health_physical, consent_given, consent_date,"
                     " has_proposal, proposal_type, proposal_intensity, proposal_months, proposal_reviews,"
                     " proposal_provider, proposal_text) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,"
                     "?13,?14,?15,?16,?17,?18,?19,?20,?21,?22,?23,?24,?25,?26)",
    [Q_DRUG_USE] = "INSERT INTO drug_uses(case_id, ord, substance, is_primary, route, frequency, first_age,"
                   " spend_per_week) VALUES(?1,?2,?3,?4,?5,?6,?7,?8)",
    [Q_EPISODE] = "INSERT INTO episodes(case_id, ord, date_from, date_to, provider, kind, outcome)"
                  " VALUES(?1,?2,?3,?4,?5,?6,?7)",
    [Q_PREVIOUS] = "INSERT INTO previous_orders(case_id, ord, type, made, outcome) VALUES(?1,?2,?3,?4,?5)",
};

/* Id flags: what a record can be named as. */
enum { ID_FAILURE = 1, ID_TEST = 2 };

/* ---- the importer's state --------------------------------------------------- */

typedef struct {
    cd_store *s;
    cd_error *err;
    cd_import_report *rep;
    size_t rep_cap;
    sqlite3_stmt *q[Q_COUNT];
    sqlite3_stmt *del[NKINDS];
    xmlRelaxNGPtr schema;
    xmlRelaxNGValidCtxtPtr vctxt;
    /* the file */
    const char *file;
    cd_date exported;
    /* the case */
    const char *ref;
    sqlite3_int64 case_id;
    cd_import_case_count *count;
    table ids, existing;
    cd_date order_from, order_to;   /* CD_DATE_NONE: no order */
    int have_order;
    /* text copies to free after the record is written */
    xmlChar *texts[16];
    int ntexts;
    /* the first error reported by libxml2 (parser or schema) */
    int lx_set, lx_line, lx_col, lx_code;
    xmlNode *lx_node;
    char lx_msg[300];
} importer;

/* ---- errors ------------------------------------------------------------------- */

/* The 1-based column of element name (and, when attr is given, of that
 * attribute after it) on line of file, or 0 when it cannot be found.
 * Reads the file again: used on the error path only. */
static int find_column(const char *file, long line, const char *name, const char *attr)
{
    FILE *f = fopen(file, "rb");
    if (!f || line < 1) {
        if (f)
            fclose(f);
        return 0;
    }
    char *buf = NULL;
    size_t cap = 0;
    ssize_t len = 0;
    for (long i = 0; i < line && (len = getline(&buf, &cap, f)) >= 0; i++)
        ;
    fclose(f);
    int col = 0;
    if (len > 0 && name) {
        char pat[80];
        snprintf(pat, sizeof pat, "<%s", name);
        char *p = strstr(buf, pat);
        if (p) {
            col = (int)(p - buf) + 1;
            if (attr) {
                snprintf(pat, sizeof pat, " %s=", attr);
                char *q = strstr(p, pat);
                if (q)
                    col = (int)(q - buf) + 2;
            }
        }
    }
    free(buf);
    return col;
}

/* True when s holds a control character (C0, DEL): a ref or id with a
 * newline or tab would split every log line and message naming it. */
static int has_control(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; p && *p; p++)
        if (*p < 0x20 || *p == 0x7F)
            return 1;
    return 0;
}

/* The id of node or its nearest ancestor below <case>, or NULL. */
static const char *record_id(xmlNode *n)
{
    for (; n && n->type == XML_ELEMENT_NODE; n = n->parent) {
        if (xmlStrEqual(n->name, BAD_CAST "case"))
            return NULL;
        xmlAttr *a = xmlHasProp(n, BAD_CAST "id");
        if (a && a->children && a->children->content)
            return has_control((const char *)a->children->content)
                       ? "[an id holding a control character]" : (const char *)a->children->content;
    }
    return NULL;
}

/* Formats "FILE:LINE:COL: case REF, record ID: " for node (and attr). */
static void where(importer *im, xmlNode *n, const char *attr, char *buf, size_t size)
{
    long line = n ? xmlGetLineNo(n) : 0;
    int col = n && n->type == XML_ELEMENT_NODE ? find_column(im->file, line, (const char *)n->name, attr) : 0;
    int k = col ? snprintf(buf, size, "%s:%ld:%d: ", im->file, line, col)
                : snprintf(buf, size, "%s:%ld: ", im->file, line);
    if (k < 0 || (size_t)k >= size)
        return;
    if (im->ref) {
        const char *id = record_id(n);
        if (id)
            snprintf(buf + k, size - (size_t)k, "case %s, record %s: ", im->ref, id);
        else if (n && !xmlStrEqual(n->name, BAD_CAST "case"))
            snprintf(buf + k, size - (size_t)k, "case %s, <%s>: ", im->ref, (const char *)n->name);
        else
            snprintf(buf + k, size - (size_t)k, "case %s: ", im->ref);
    }
}

/* Sets the import error (CD_EINPUT) at node n, attribute attr. */
__attribute__((format(printf, 4, 5)))
static int fail(importer *im, xmlNode *n, const char *attr, const char *fmt, ...)
{
    char head[600], msg[700];
    where(im, n, attr, head, sizeof head);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return cd_error_set(im->err, CD_EINPUT, "%s%s", head, msg);
}

/* Records a warning (a record outside its order) or, when strict, fails. */
__attribute__((format(printf, 4, 5)))
static int warn(importer *im, xmlNode *n, const char *attr, const char *fmt, ...)
{
    char head[600], msg[700];
    where(im, n, attr, head, sizeof head);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (im->rep->strict)
        return cd_error_set(im->err, CD_EINPUT, "%s%s (refused: --strict)", head, msg);
    im->rep->warnings_total++;
    if (im->rep->nwarnings < MAX_WARNINGS) {
        char **nw = realloc(im->rep->warnings, (im->rep->nwarnings + 1) * sizeof *nw);
        if (!nw)
            return cd_error_set(im->err, CD_EGENERAL, "out of memory");
        im->rep->warnings = nw;
        if (asprintf(&nw[im->rep->nwarnings], "%s%s", head, msg) < 0)
            return cd_error_set(im->err, CD_EGENERAL, "out of memory");
        im->rep->nwarnings++;
    }
    return CD_OK;
}

/* Cuts a libxml2 message to its sentence before anything it may quote from
 * the file: libxml2 puts the file's text after a colon, in quotes or as
 * "Bytes: 0x.." ("Type date doesn't allow value '...'", "Extra data in
 * list: ...", "Double hyphen within comment: <!-- ..."), so that no case
 * data reaches an error message; element and attribute names come before
 * any of those and stay. */
static void keep_sentence(char *msg)
{
    char *nl = strchr(msg, '\n');
    if (nl)
        *nl = '\0';
    size_t cut = strcspn(msg, ":'\"");
    msg[cut] = '\0';
    while (cut > 0 && (msg[cut - 1] == ' ' || msg[cut - 1] == ',' || msg[cut - 1] == '!'))
        msg[--cut] = '\0';
}

/* libxml2 structured error handler: keeps the first error. */
static void on_xml_error(void *ctx, xmlErrorPtr e)
{
    importer *im = ctx;
    if (e && e->code == XML_ERR_NO_MEMORY)
        cd_out_of_memory();
    if (im->lx_set || !e || e->level < XML_ERR_ERROR)
        return;
    im->lx_set = 1;
    im->lx_line = e->line;
    im->lx_col = e->int2;
    im->lx_code = e->code;
    im->lx_node = e->node;
    snprintf(im->lx_msg, sizeof im->lx_msg, "%s", e->message ? e->message : "unknown error");
    if (e->domain != XML_FROM_PARSER || !(strcasestr(im->lx_msg, "depth") ||
                                          strcasestr(im->lx_msg, "too long") || strcasestr(im->lx_msg, "huge")))
        keep_sentence(im->lx_msg);
    if (e->domain == XML_FROM_PARSER) {
        if (strcasestr(im->lx_msg, "depth"))
            snprintf(im->lx_msg, sizeof im->lx_msg, "elements are nested too deeply (depth limit 256)");
        else if (strcasestr(im->lx_msg, "too long") || strcasestr(im->lx_msg, "huge"))
            snprintf(im->lx_msg, sizeof im->lx_msg, "a value or a text in the file is too long "
                     "(libxml2's limit is 10 MB)");
    }
}

/* Depth of a node below the document. */
static int node_depth(xmlNode *n)
{
    int d = 0;
    for (; n; n = n->parent)
        d++;
    return d;
}

/* libxml2 RELAX NG error handler: keeps the error on the deepest element
 * (with interleave, libxml2 reports the failure at every level above the
 * element at fault; the deepest one is the one to show). */
static void on_rng_error(void *ctx, xmlErrorPtr e)
{
    importer *im = ctx;
    if (!e || e->level < XML_ERR_ERROR)
        return;
    xmlNode *n = e->node;
    if (im->lx_set && (!n || (im->lx_node && node_depth(n) <= node_depth(im->lx_node))))
        return;
    im->lx_set = 1;
    im->lx_line = e->line;
    im->lx_col = 0;
    im->lx_code = e->code;
    im->lx_node = n;
    snprintf(im->lx_msg, sizeof im->lx_msg, "%s", e->message ? e->message : "invalid content");
    keep_sentence(im->lx_msg);
}

/* The error for a file libxml2 could not read. */
static int fail_parse(importer *im)
{
    const char *what = im->lx_msg[0] ? im->lx_msg : "could not be read";
    if (im->lx_code == XML_ERR_INVALID_CHAR || im->lx_code == XML_ERR_INVALID_ENCODING ||
        im->lx_code == XML_ERR_UNKNOWN_ENCODING || strstr(what, "UTF-8"))
        what = "the file is not valid UTF-8 text (save it as UTF-8, the encoding the format requires)";
    if (im->lx_code == XML_IO_LOAD_ERROR || im->lx_code == XML_IO_ENOENT)
        return cd_error_set(im->err, CD_EINPUT, "%s: cannot read the file", im->file);
    if (im->lx_code == XML_ERR_UNDECLARED_ENTITY || im->lx_code == XML_WAR_UNDECLARED_ENTITY ||
        im->lx_code == XML_ERR_ENTITY_LOOP)
        what = "entity references are not allowed in case records";
    if (im->lx_line > 0 && im->lx_col > 0)
        return cd_error_set(im->err, CD_EINPUT, "%s:%d:%d: not well-formed XML: %s", im->file,
                            im->lx_line, im->lx_col, what);
    if (im->lx_line > 0)
        return cd_error_set(im->err, CD_EINPUT, "%s:%d: not well-formed XML: %s", im->file,
                            im->lx_line, what);
    return cd_error_set(im->err, CD_EINPUT, "%s: not well-formed XML: %s", im->file, what);
}

/* ---- reading values ------------------------------------------------------------ */

/* An attribute's value (pointer into the tree), or NULL. */
static const char *A(xmlNode *n, const char *name)
{
    for (xmlAttr *a = n->properties; a; a = a->next)
        if (a->children && xmlStrEqual(a->name, BAD_CAST name))
            return (const char *)a->children->content;
    return NULL;
}

/* The text content of node n (copied; freed after the record is written). */
static const char *T(importer *im, xmlNode *n)
{
    if (!n)
        return NULL;
    xmlChar *t = xmlNodeGetContent(n);
    if (!t)
        return NULL;
    /* Free text loses the layout of the XML around it: trim the whole text
     * and the indentation of each line; blank lines (paragraphs) stay. */
    char *w = (char *)t;
    const char *r = (const char *)t;
    while (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r')
        r++;
    int line_start = 1;
    for (; *r; r++) {
        if (line_start && (*r == ' ' || *r == '\t'))
            continue;
        line_start = *r == '\n';
        if (*r != '\r')
            *w++ = *r;
    }
    while (w > (char *)t && (w[-1] == ' ' || w[-1] == '\t' || w[-1] == '\n'))
        w--;
    *w = '\0';
    if (im->ntexts == (int)(sizeof im->texts / sizeof im->texts[0])) {
        xmlFree(t);
        return NULL;
    }
    im->texts[im->ntexts++] = t;
    return (const char *)t;
}

static void free_texts(importer *im)
{
    for (int i = 0; i < im->ntexts; i++)
        xmlFree(im->texts[i]);
    im->ntexts = 0;
}

/* The first child element called name, or NULL. */
static xmlNode *child(xmlNode *n, const char *name)
{
    for (xmlNode *c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && xmlStrEqual(c->name, BAD_CAST name))
            return c;
    return NULL;
}

#define FOR_ELEMENTS(c, parent) \
    for (xmlNode *c = (parent)->children; c; c = c->next) if (c->type == XML_ELEMENT_NODE)

/* Checks a date attribute (optional unless required): a real date, and,
 * when not_after_export, not after the export date. *out gets it. */
static int check_date(importer *im, xmlNode *n, const char *attr, const char *v, int required,
                      int not_after_export, cd_date *out)
{
    *out = CD_DATE_NONE;
    if (!v) {
        if (required)
            return fail(im, n, attr, "the %s date is missing", attr);
        return CD_OK;
    }
    if (!cd_date_parse(v, out))
        return fail(im, n, attr, "%s is not a real date (YYYY-MM-DD)", attr ? attr : "the date");
    if (not_after_export && im->exported != CD_DATE_NONE && *out > im->exported) {
        char ex[11], d[11];
        cd_date_format_iso(im->exported, ex);
        cd_date_format_iso(*out, d);
        return fail(im, n, attr, "%s %s is after the export date %s", attr ? attr : "the date", d, ex);
    }
    return CD_OK;
}

/* Parses a whole number in lo..hi; -1 when v is NULL. */
static int check_int(importer *im, xmlNode *n, const char *attr, const char *v, long lo, long hi,
                     long *out)
{
    *out = -1;
    if (!v)
        return CD_OK;
    char *end;
    long x = strtol(v, &end, 10);
    if (end == v || *end || x < lo || x > hi)
        return fail(im, n, attr, "%s must be a whole number from %ld to %ld", attr ? attr : "the value", lo, hi);
    *out = x;
    return CD_OK;
}

/* ---- signatures and writing ----------------------------------------------------- */

typedef struct { uint64_t h; } sig;

static void sig_s(sig *g, const char *v)
{
    if (v)
        g->h = fnv(v, strlen(v) + 1, g->h);
    else
        g->h = fnv("\xff", 1, g->h);
}

/* Decides what to do with record type+key of signature g: 0 unchanged,
 * 1 to insert (added, or changed with the old row already deleted),
 * -1 error. Counts added and changed. */
static int diff(importer *im, char type, const char *key, const sig *g)
{
    int fresh;
    entry *e = table_get(&im->existing, type, key, 1, &fresh);
    if (!e) {
        cd_error_set(im->err, CD_EGENERAL, "out of memory");
        return -1;
    }
    if (fresh) {
        e->flags = 1;
        e->sig = (int64_t)g->h;
        im->count->added++;
        return 1;
    }
    if (e->flags) {                 /* seen twice in this import: the later wins */
        e->sig = (int64_t)g->h;
    } else {
        e->flags = 1;
        if (e->sig == (int64_t)g->h)
            return 0;
    }
    size_t k;
    for (k = 0; k < NKINDS && KINDS[k].type != type; k++)
        ;
    sqlite3_stmt *d = im->del[k];
    sqlite3_reset(d);
    sqlite3_bind_int64(d, 1, im->case_id);
    sqlite3_bind_text(d, 2, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(d);
    sqlite3_reset(d);
    if (rc != SQLITE_DONE) {
        cd_store_db_error(im->s, rc, "replacing a record", im->err);
        return -1;
    }
    e->sig = (int64_t)g->h;
    im->count->changed++;
    return 1;
}

/* Prepared insert q, reset and with the case id bound as ?1. */
static sqlite3_stmt *ins(importer *im, int q)
{
    sqlite3_stmt *st = im->q[q];
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    sqlite3_bind_int64(st, 1, im->case_id);
    return st;
}

static void bt(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
}

static void bi(sqlite3_stmt *st, int i, long v)
{
    if (v >= 0)
        sqlite3_bind_int64(st, i, v);
}

static int step(importer *im, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return cd_store_db_error(im->s, rc, "storing the records", im->err);
    return CD_OK;
}

/* ---- the records ------------------------------------------------------------------- */

static int put_person(importer *im, xmlNode *n)
{
    const char *id = A(n, "id");
    xmlNode *acc = child(n, "accommodation");
    const char *given = T(im, child(n, "given-name")), *family = T(im, child(n, "family-name"));
    const char *dob = T(im, child(n, "date-of-birth")), *sex = T(im, child(n, "sex"));
    const char *eth = T(im, child(n, "ethnicity"));
    const char *accs = acc ? A(acc, "status") : NULL, *acct = T(im, acc);
    cd_date d;
    if (check_date(im, child(n, "date-of-birth"), NULL, dob, 0, 1, &d))
        return CD_EINPUT;
    sig g = { FNV_INIT };
    const char *v[] = { id, given, family, dob, sex, eth, accs, acct };
    for (size_t i = 0; i < 8; i++)
        sig_s(&g, v[i]);
    int act = diff(im, 'p', "", &g);
    if (act <= 0)
        return act < 0 ? CD_EDB : CD_OK;
    sqlite3_stmt *st = ins(im, Q_PERSON);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)g.h);
    bt(st, 2, id);
    for (int i = 1; i < 8; i++)
        bt(st, i + 3, v[i]);
    return step(im, st);
}

static int put_order(importer *im, xmlNode *n)
{
    const char *v[10] = { A(n, "id"), A(n, "type"), A(n, "intensity"), A(n, "made"), A(n, "months"),
                          A(n, "court"), A(n, "sentencer"), A(n, "review-hearings"), A(n, "rules"), NULL };
    xmlNode *ended = child(n, "ended");
    const char *end_date = ended ? A(ended, "date") : NULL, *reason = ended ? A(ended, "reason") : NULL;
    long months;
    cd_date made, end;
    if (check_date(im, n, "made", v[3], 1, 1, &made) ||
        check_int(im, n, "months", v[4], 6, 36, &months) ||
        check_date(im, ended, "date", end_date, 0, 0, &end))
        return CD_EINPUT;
    if (v[1] && strcmp(v[1], "DTTO") == 0 && v[2] && strcmp(v[2], "medium") == 0)
        return fail(im, n, "intensity", "a DTTO is high or low intensity, not medium");
    if (end != CD_DATE_NONE && end < made)
        return fail(im, ended, "date", "the order ends (%s) before it was made (%s)", end_date, v[3]);
    sig g = { FNV_INIT };
    for (size_t i = 0; i < 9; i++)
        sig_s(&g, v[i]);
    sig_s(&g, end_date);
    sig_s(&g, reason);
    FOR_ELEMENTS(c, n) {
        if (xmlStrEqual(c->name, BAD_CAST "offence") || xmlStrEqual(c->name, BAD_CAST "requirement")) {
            sig_s(&g, (const char *)c->name);
            const char *t = T(im, c);
            sig_s(&g, t);
            free_texts(im);
        }
    }
    int act = diff(im, 'o', "", &g);
    if (act <= 0)
        return act < 0 ? CD_EDB : CD_OK;
    sqlite3_stmt *st = ins(im, Q_ORDER);
    bt(st, 2, v[0]);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)g.h);
    for (int i = 1; i < 9; i++)
        bt(st, i + 3, v[i]);
    bt(st, 12, end_date);
    bt(st, 13, reason);
    if (step(im, st))
        return CD_EDB;
    int ord = 0;
    FOR_ELEMENTS(c, n) {
        int q = xmlStrEqual(c->name, BAD_CAST "offence") ? Q_OFFENCE
              : xmlStrEqual(c->name, BAD_CAST "requirement") ? Q_REQUIREMENT : -1;
        if (q < 0)
            continue;
        st = ins(im, q);
        sqlite3_bind_int(st, 2, ++ord);
        bt(st, 3, T(im, c));
        int rc = step(im, st);
        free_texts(im);
        if (rc)
            return rc;
    }
    return CD_OK;
}

static int put_staff(importer *im, xmlNode *n)
{
    table roles = { 0 };
    int rc = CD_OK;
    FOR_ELEMENTS(m, n) {
        const char *v[5] = { A(m, "role"), A(m, "name"), A(m, "phone"), A(m, "organisation"), A(m, "email") };
        int fresh;
        entry *e = table_get(&roles, 'r', v[0] ? v[0] : "", 1, &fresh);
        if (!e) {
            rc = cd_error_set(im->err, CD_EGENERAL, "out of memory");
            break;
        }
        char key[96];
        snprintf(key, sizeof key, "%s#%d", v[0] ? v[0] : "", ++e->flags);
        sig g = { FNV_INIT };
        for (int i = 0; i < 5; i++)
            sig_s(&g, v[i]);
        int act = diff(im, 's', key, &g);
        if (act < 0) {
            rc = CD_EDB;
            break;
        }
        if (act == 0)
            continue;
        sqlite3_stmt *st = ins(im, Q_STAFF);
        bt(st, 2, key);
        sqlite3_bind_int64(st, 3, (sqlite3_int64)g.h);
        for (int i = 0; i < 5; i++)
            bt(st, i + 4, v[i]);
        if ((rc = step(im, st)))
            break;
    }
    table_free(&roles);
    return rc;
}

/* Reports a record dated outside the order (a warning unless strict). */
static int check_in_order(importer *im, xmlNode *n, const char *what, cd_date d, const char *iso)
{
    if (!im->have_order)
        return warn(im, n, "date", "%s on %s, but the case has no order", what, iso);
    if (d < im->order_from || d > im->order_to) {
        char a[11], b[11];
        cd_date_format_iso(im->order_from, a);
        cd_date_format_iso(im->order_to, b);
        return warn(im, n, "date", "%s on %s falls outside the order (%s to %s)", what, iso, a, b);
    }
    return CD_OK;
}

static int put_appointment(importer *im, xmlNode *n)
{
    const char *id = A(n, "id"), *date = A(n, "date"), *time = A(n, "time"), *mins = A(n, "minutes");
    const char *kind = A(n, "kind"), *with = A(n, "with"), *outcome = A(n, "outcome");
    const char *reason = T(im, child(n, "reason"));
    cd_date d;
    long minutes;
    int tm;
    int pending = outcome && strcmp(outcome, "pending") == 0;
    /* a pending appointment is planned: it may lie after the export */
    if (check_date(im, n, "date", date, 1, !pending, &d) ||
        check_int(im, n, "minutes", mins, 1, 720, &minutes))
        return CD_EINPUT;
    if (time && !cd_time_parse(time, &tm))
        return fail(im, n, "time", "time is not a time of day (HH:MM, 24 hour)");
    if (check_in_order(im, n, "an appointment", d, date))
        return CD_EINPUT;
    sig g = { FNV_INIT };
    const char *v[] = { date, time, mins, kind, with, outcome, reason };
    for (size_t i = 0; i < 7; i++)
        sig_s(&g, v[i]);
    int act = diff(im, 'a', id, &g);
    if (act <= 0)
        return act < 0 ? CD_EDB : CD_OK;
    sqlite3_stmt *st = ins(im, Q_APPOINTMENT);
    bt(st, 2, id);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)g.h);
    bt(st, 4, date);
    bt(st, 5, time);
    bi(st, 6, minutes);
    bt(st, 7, kind);
    bt(st, 8, with);
    bt(st, 9, outcome);
    bt(st, 10, reason);
    return step(im, st);
}

static int put_test(importer *im, xmlNode *n)
{
    const char *id = A(n, "id"), *date = A(n, "date"), *method = A(n, "method"), *status = A(n, "status");
    cd_date d;
    if (check_date(im, n, "date", date, 1, 1, &d))
        return CD_EINPUT;
    if (check_in_order(im, n, "a drug test", d, date))
        return CD_EINPUT;
    sig g = { FNV_INIT };
    sig_s(&g, date);
    sig_s(&g, method);
    sig_s(&g, status);
    int seen[CD_NSUBSTANCES + 1] = { 0 };
    FOR_ELEMENTS(r, n) {
        const char *v[] = { A(r, "substance"), A(r, "name"), A(r, "outcome"), A(r, "confirmation"),
                            A(r, "prescribed") };
        if (v[0] && strcmp(v[0], "other") == 0 && (!v[1] || !*v[1]))
            return fail(im, r, "substance", "a result for substance \"other\" needs name=\"...\"");
        int sub = v[0] ? cd_enum_parse(CD_ENUM_SUBSTANCE, v[0]) : -1;
        if (sub >= 0 && sub != CD_SUB_OTHER && seen[sub]++)
            return fail(im, r, "substance", "two results for %s in one test", v[0]);
        for (int i = 0; i < 5; i++)
            sig_s(&g, v[i]);
    }
    int act = diff(im, 't', id, &g);
    if (act <= 0)
        return act < 0 ? CD_EDB : CD_OK;
    sqlite3_stmt *st = ins(im, Q_TEST);
    bt(st, 2, id);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)g.h);
    bt(st, 4, date);
    bt(st, 5, method);
    bt(st, 6, status);
    if (step(im, st))
        return CD_EDB;
    sqlite3_int64 test_row = sqlite3_last_insert_rowid(im->s->db);
    int ord = 0;
    FOR_ELEMENTS(r, n) {
        const char *conf = A(r, "confirmation"), *pres = A(r, "prescribed");
        st = im->q[Q_RESULT];
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        sqlite3_bind_int64(st, 1, test_row);
        sqlite3_bind_int(st, 2, ++ord);
        bt(st, 3, A(r, "substance"));
        bt(st, 4, A(r, "name"));
        bt(st, 5, A(r, "outcome"));
        bt(st, 6, conf ? conf : "none");
        sqlite3_bind_int(st, 7, pres && strcmp(pres, "true") == 0);
        if (step(im, st))
            return CD_EDB;
    }
    return CD_OK;
}

/* Checks every id in list names a record with flag (ID_FAILURE: an
 * unacceptable failure; ID_TEST: a drug test). */
static int check_refs(importer *im, xmlNode *n, const char *attr, const char *list, int flag)
{
    const char *p = list;
    int count = 0;
    while (p && *p) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            p++;
        const char *b = p;
        while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
            p++;
        if (p == b)
            break;
        char id[80];
        snprintf(id, sizeof id, "%.*s", (int)(p - b), b);
        entry *e = table_get(&im->ids, 'i', id, 0, NULL);
        count++;
        if (!e)
            return fail(im, n, attr, "%s: item %d of the list is not the id of a record of this case",
                        attr, count);
        if (!(e->flags & flag)) {
            if (flag == ID_TEST)
                return fail(im, n, attr, "%s names \"%s\", which is not a drug test", attr, id);
            return fail(im, n, attr, "%s names \"%s\", which is not an unacceptable failure (an "
                        "appointment missed without acceptable reason, a refused, missed, "
                        "adulterated or substituted test, or a failure decision)", attr, id);
        }
    }
    if (!count)
        return fail(im, n, attr, "%s names no record", attr);
    return CD_OK;
}

static int put_enforcement(importer *im, xmlNode *n)
{
    const char *id = A(n, "id");
    sig g = { FNV_INIT };
    cd_date d, heard;
    if (xmlStrEqual(n->name, BAD_CAST "breach")) {
        const char *init = A(n, "initiated"), *h = A(n, "heard"), *fl = A(n, "failures"), *out = A(n, "outcome");
        if (check_date(im, n, "initiated", init, 1, 1, &d) || check_date(im, n, "heard", h, 0, 1, &heard) ||
            check_refs(im, n, "failures", fl, ID_FAILURE))
            return CD_EINPUT;
        if (heard != CD_DATE_NONE && heard < d)
            return fail(im, n, "heard", "the breach was heard (%s) before it was initiated (%s)", h, init);
        const char *v[] = { init, h, fl, out };
        for (int i = 0; i < 4; i++)
            sig_s(&g, v[i]);
        int act = diff(im, 'b', id, &g);
        if (act <= 0)
            return act < 0 ? CD_EDB : CD_OK;
        sqlite3_stmt *st = ins(im, Q_BREACH);
        bt(st, 2, id);
        sqlite3_bind_int64(st, 3, (sqlite3_int64)g.h);
        for (int i = 0; i < 4; i++)
            bt(st, i + 4, v[i]);
        return step(im, st);
    }
    int warning = xmlStrEqual(n->name, BAD_CAST "warning");
    const char *attr = warning ? "failure" : "tests";
    const char *date = A(n, "date"), *list = A(n, attr), *text = T(im, n);
    if (check_date(im, n, "date", date, 1, 1, &d) ||
        check_refs(im, n, attr, list, warning ? ID_FAILURE : ID_TEST))
        return CD_EINPUT;
    sig_s(&g, date);
    sig_s(&g, list);
    sig_s(&g, text);
    int act = diff(im, warning ? 'w' : 'd', id, &g);
    if (act <= 0)
        return act < 0 ? CD_EDB : CD_OK;
    sqlite3_stmt *st = ins(im, warning ? Q_WARNING : Q_DECISION);
    bt(st, 2, id);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)g.h);
    bt(st, 4, date);
    bt(st, 5, list);
    bt(st, 6, text);
    return step(im, st);
}

static int put_review(importer *im, xmlNode *n)
{
    const char *id = A(n, "id"), *date = A(n, "date"), *next = A(n, "next");
    const char *v[] = { date, A(n, "kind"), A(n, "court"), A(n, "sentencer"), A(n, "outcome"), next,
                        T(im, child(n, "comments")), T(im, child(n, "directions")) };
    cd_date d, nx;
    if (check_date(im, n, "date", date, 1, 1, &d) || check_date(im, n, "next", next, 0, 0, &nx))
        return CD_EINPUT;
    if (nx != CD_DATE_NONE && nx <= d)
        return fail(im, n, "next", "the next review (%s) is not after this one (%s)", next, date);
    sig g = { FNV_INIT };
    for (int i = 0; i < 8; i++)
        sig_s(&g, v[i]);
    char key[80];
    snprintf(key, sizeof key, "%s", id ? id : date);
    int act = diff(im, id ? 'r' : 'R', key, &g);
    if (act <= 0)
        return act < 0 ? CD_EDB : CD_OK;
    sqlite3_stmt *st = ins(im, Q_REVIEW);
    bt(st, 2, key);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)g.h);
    sqlite3_bind_int(st, 4, id != NULL);
    for (int i = 0; i < 8; i++)
        bt(st, i + 5, v[i]);
    return step(im, st);
}

static int put_note(importer *im, xmlNode *n, table *ordinals)
{
    const char *id = A(n, "id"), *date = A(n, "date"), *author = A(n, "author"), *kind = A(n, "kind");
    const char *text = T(im, n);
    cd_date d;
    if (check_date(im, n, "date", date, 1, 1, &d))
        return CD_EINPUT;
    char key[160];
    if (id) {
        snprintf(key, sizeof key, "%s", id);
    } else {
        /* no id: the note is known by its date, kind and place among those */
        char dk[96];
        snprintf(dk, sizeof dk, "%s|%s", date, kind ? kind : "");
        entry *e = table_get(ordinals, 'k', dk, 1, NULL);
        if (!e)
            return cd_error_set(im->err, CD_EGENERAL, "out of memory");
        snprintf(key, sizeof key, "%s|%d", dk, ++e->flags);
    }
    sig g = { FNV_INIT };
    sig_s(&g, date);
    sig_s(&g, author);
    sig_s(&g, kind);
    sig_s(&g, text);
    int act = diff(im, id ? 'n' : 'N', key, &g);
    if (act <= 0)
        return act < 0 ? CD_EDB : CD_OK;
    sqlite3_stmt *st = ins(im, Q_NOTE);
    bt(st, 2, key);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)g.h);
    sqlite3_bind_int(st, 4, id != NULL);
    bt(st, 5, date);
    bt(st, 6, author);
    bt(st, 7, kind);
    bt(st, 8, text ? text : "");
    return step(im, st);
}

static int put_assessment(importer *im, xmlNode *n)
{
    xmlNode *alc = child(n, "alcohol"), *oas = child(n, "oasys"), *mot = child(n, "motivation");
    xmlNode *hea = child(n, "health"), *con = child(n, "consent"), *pro = child(n, "proposal");
    xmlNode *his = child(n, "treatment-history"), *prev = child(n, "previous-orders");
    const char *date = A(n, "date");
    cd_date d, cd, f, t;
    long x;
    if (check_date(im, n, "date", date, 1, 1, &d))
        return CD_EINPUT;
    if (con && check_date(im, con, "date", A(con, "date"), 0, 1, &cd))
        return CD_EINPUT;
    if (oas && (check_int(im, oas, "drugs", A(oas, "drugs"), 0, 8, &x) ||
                check_int(im, oas, "alcohol", A(oas, "alcohol"), 0, 8, &x)))
        return CD_EINPUT;
    if (alc && (check_int(im, alc, "units-per-week", A(alc, "units-per-week"), 0, 1000, &x) ||
                check_int(im, alc, "audit-score", A(alc, "audit-score"), 0, 40, &x)))
        return CD_EINPUT;
    if (pro && check_int(im, pro, "months", A(pro, "months"), 6, 36, &x))
        return CD_EINPUT;
    if (pro && A(pro, "type") && strcmp(A(pro, "type"), "DTTO") == 0 && A(pro, "intensity") &&
        strcmp(A(pro, "intensity"), "medium") == 0)
        return fail(im, pro, "intensity", "a DTTO is high or low intensity, not medium");
    int primaries = 0;
    if (his)
        FOR_ELEMENTS(e, his) {
            if (check_date(im, e, "from", A(e, "from"), 0, 1, &f) || check_date(im, e, "to", A(e, "to"), 0, 1, &t))
                return CD_EINPUT;
            if (f != CD_DATE_NONE && t != CD_DATE_NONE && t < f)
                return fail(im, e, "to", "the episode ends before it starts");
        }
    if (prev)
        FOR_ELEMENTS(p, prev)
            if (check_date(im, p, "made", A(p, "made"), 0, 1, &f))
                return CD_EINPUT;
    FOR_ELEMENTS(u, n) {
        if (!xmlStrEqual(u->name, BAD_CAST "drug-use"))
            continue;
        if (check_int(im, u, "first-age", A(u, "first-age"), 5, 100, &x) ||
            check_int(im, u, "spend-per-week", A(u, "spend-per-week"), 0, 100000, &x))
            return CD_EINPUT;
        const char *pr = A(u, "primary");
        if (pr && strcmp(pr, "true") == 0 && ++primaries > 1)
            return fail(im, u, "primary", "more than one drug is marked primary");
    }

    const char *v[] = {
        date, A(n, "author"),
        alc ? "1" : "0", alc ? A(alc, "units-per-week") : NULL, alc ? A(alc, "audit-score") : NULL,
        oas ? "1" : "0", oas ? A(oas, "drugs") : NULL, oas ? A(oas, "alcohol") : NULL,
        T(im, child(n, "offending-link")), T(im, child(n, "dependency")),
        mot ? A(mot, "stage") : NULL, T(im, mot),
        hea ? A(hea, "mental") : NULL, hea ? A(hea, "physical") : NULL,
        con ? (strcmp(A(con, "given") ? A(con, "given") : "", "true") == 0 ? "1" : "0") : NULL,
        con ? A(con, "date") : NULL,
        pro ? "1" : "0", pro ? A(pro, "type") : NULL, pro ? A(pro, "intensity") : NULL,
        pro ? A(pro, "months") : NULL, pro ? A(pro, "reviews") : NULL, pro ? A(pro, "provider") : NULL,
        T(im, pro),
    };
    enum { NV = sizeof v / sizeof v[0] };
    sig g = { FNV_INIT };
    for (size_t i = 0; i < NV; i++)
        sig_s(&g, v[i]);
    FOR_ELEMENTS(c, n) {
        xmlNode *list = xmlStrEqual(c->name, BAD_CAST "drug-use") ? NULL : c;
        if (list && !xmlStrEqual(c->name, BAD_CAST "treatment-history") &&
            !xmlStrEqual(c->name, BAD_CAST "previous-orders"))
            continue;
        for (xmlNode *e = list ? list->children : c; e; e = list ? e->next : NULL) {
            if (e->type != XML_ELEMENT_NODE)
                continue;
            sig_s(&g, (const char *)e->name);
            for (xmlAttr *a = e->properties; a; a = a->next) {
                sig_s(&g, (const char *)a->name);
                sig_s(&g, a->children ? (const char *)a->children->content : "");
            }
        }
    }
    int act = diff(im, 'x', "", &g);
    if (act <= 0)
        return act < 0 ? CD_EDB : CD_OK;
    sqlite3_stmt *st = ins(im, Q_ASSESSMENT);
    bt(st, 2, "assessment");
    sqlite3_bind_int64(st, 3, (sqlite3_int64)g.h);
    for (size_t i = 0; i < NV; i++) {
        if (i == 2 || i == 5 || i == 16)
            sqlite3_bind_int(st, (int)i + 4, v[i][0] == '1');
        else
            bt(st, (int)i + 4, v[i]);
    }
    if (step(im, st))
        return CD_EDB;
    int ord = 0;
    FOR_ELEMENTS(u, n) {
        if (!xmlStrEqual(u->name, BAD_CAST "drug-use"))
            continue;
        const char *pr = A(u, "primary");
        st = ins(im, Q_DRUG_USE);
        sqlite3_bind_int(st, 2, ++ord);
        bt(st, 3, A(u, "substance"));
        sqlite3_bind_int(st, 4, pr && strcmp(pr, "true") == 0);
        bt(st, 5, A(u, "route"));
        bt(st, 6, A(u, "frequency"));
        check_int(im, u, "first-age", A(u, "first-age"), 5, 100, &x);
        bi(st, 7, x);
        check_int(im, u, "spend-per-week", A(u, "spend-per-week"), 0, 100000, &x);
        bi(st, 8, x);
        if (step(im, st))
            return CD_EDB;
    }
    if (his)
        FOR_ELEMENTS(e, his) {
            st = ins(im, Q_EPISODE);
            sqlite3_bind_int(st, 2, ++ord);
            bt(st, 3, A(e, "from"));
            bt(st, 4, A(e, "to"));
            bt(st, 5, A(e, "provider"));
            bt(st, 6, A(e, "kind"));
            bt(st, 7, A(e, "outcome"));
            if (step(im, st))
                return CD_EDB;
        }
    if (prev)
        FOR_ELEMENTS(p, prev) {
            st = ins(im, Q_PREVIOUS);
            sqlite3_bind_int(st, 2, ++ord);
            bt(st, 3, A(p, "type"));
            bt(st, 4, A(p, "made"));
            bt(st, 5, A(p, "outcome"));
            if (step(im, st))
                return CD_EDB;
        }
    return CD_OK;
}

/* ---- a case ---------------------------------------------------------------------------- */

/* The node in the original tree at the same place as target in the copy. */
static xmlNode *same_node(xmlNode *copy, xmlNode *orig, xmlNode *target)
{
    for (; copy && orig; copy = copy->next, orig = orig->next) {
        if (copy == target)
            return orig;
        xmlNode *r = same_node(copy->children, orig->children, target);
        if (r)
            return r;
    }
    return NULL;
}

/* The attributes whose values the grammar restricts, checked before the
 * grammar so that a wrong value gets a message naming it and its line
 * (libxml2's RELAX NG reports a bad value inside an interleave only as
 * "extra element" on an ancestor). */
typedef enum { V_ENUM, V_DATE, V_TIME, V_BOOL, V_COUNT } value_kind;
typedef struct { const char *element, *attribute; value_kind kind; int e; } value_rule;
static const value_rule VALUE_RULES[] = {
    { "order", "type", V_ENUM, CD_ENUM_ORDER_TYPE },         { "order", "intensity", V_ENUM, CD_ENUM_INTENSITY },
    { "order", "made", V_DATE, 0 },                          { "order", "months", V_COUNT, 0 },
    { "order", "review-hearings", V_ENUM, CD_ENUM_REVIEW_HEARINGS },
    { "ended", "date", V_DATE, 0 },                          { "ended", "reason", V_ENUM, CD_ENUM_END_REASON },
    { "accommodation", "status", V_ENUM, CD_ENUM_ACCOMMODATION },
    { "appointment", "date", V_DATE, 0 },                    { "appointment", "time", V_TIME, 0 },
    { "appointment", "minutes", V_COUNT, 0 },                { "appointment", "kind", V_ENUM, CD_ENUM_APPT_KIND },
    { "appointment", "outcome", V_ENUM, CD_ENUM_APPT_OUTCOME },
    { "test", "date", V_DATE, 0 },                           { "test", "method", V_ENUM, CD_ENUM_TEST_METHOD },
    { "test", "status", V_ENUM, CD_ENUM_TEST_STATUS },       { "result", "substance", V_ENUM, CD_ENUM_SUBSTANCE },
    { "result", "outcome", V_ENUM, CD_ENUM_RESULT_OUTCOME }, { "result", "confirmation", V_ENUM, CD_ENUM_CONFIRMATION },
    { "result", "prescribed", V_BOOL, 0 },
    { "warning", "date", V_DATE, 0 },                        { "failure-decision", "date", V_DATE, 0 },
    { "breach", "initiated", V_DATE, 0 },                    { "breach", "heard", V_DATE, 0 },
    { "breach", "outcome", V_ENUM, CD_ENUM_BREACH_OUTCOME },
    { "review", "date", V_DATE, 0 },                         { "review", "next", V_DATE, 0 },
    { "review", "kind", V_ENUM, CD_ENUM_REVIEW_KIND },       { "review", "outcome", V_ENUM, CD_ENUM_REVIEW_OUTCOME },
    { "note", "date", V_DATE, 0 },                           { "note", "kind", V_ENUM, CD_ENUM_NOTE_KIND },
    { "assessment", "date", V_DATE, 0 },                     { "drug-use", "primary", V_BOOL, 0 },
    { "drug-use", "route", V_ENUM, CD_ENUM_ROUTE },          { "drug-use", "frequency", V_ENUM, CD_ENUM_FREQUENCY },
    { "drug-use", "first-age", V_COUNT, 0 },                 { "drug-use", "spend-per-week", V_COUNT, 0 },
    { "motivation", "stage", V_ENUM, CD_ENUM_STAGE },        { "episode", "from", V_DATE, 0 },
    { "episode", "to", V_DATE, 0 },                          { "previous", "type", V_ENUM, CD_ENUM_ORDER_TYPE },
    { "previous", "made", V_DATE, 0 },                       { "previous", "outcome", V_ENUM, CD_ENUM_PREV_OUTCOME },
    { "consent", "given", V_BOOL, 0 },                       { "consent", "date", V_DATE, 0 },
    { "proposal", "type", V_ENUM, CD_ENUM_ORDER_TYPE },      { "proposal", "intensity", V_ENUM, CD_ENUM_INTENSITY },
    { "proposal", "months", V_COUNT, 0 },                    { "proposal", "reviews", V_ENUM, CD_ENUM_REVIEW_HEARINGS },
    { "alcohol", "units-per-week", V_COUNT, 0 },             { "alcohol", "audit-score", V_COUNT, 0 },
    { "oasys", "drugs", V_COUNT, 0 },                        { "oasys", "alcohol", V_COUNT, 0 },
};

/* Checks one attribute value against its rule. */
static int check_value(importer *im, xmlNode *c, const value_rule *r, const char *v)
{
    cd_date d;
    int t;
    char *end;
    switch (r->kind) {
    case V_ENUM:
        if (cd_enum_parse((cd_enum)r->e, v) < 0) {
            char words[400] = "";
            size_t k = 0;
            for (int w = 0; *cd_enum_name((cd_enum)r->e, w) && k + 40 < sizeof words; w++)
                k += (size_t)snprintf(words + k, sizeof words - k, "%s%s", w ? ", " : "",
                                      cd_enum_name((cd_enum)r->e, w));
            return fail(im, c, r->attribute, "%s is not one of: %s", r->attribute, words);
        }
        break;
    case V_DATE:
        if (!cd_date_parse(v, &d))
            return fail(im, c, r->attribute, "%s is not a real date (YYYY-MM-DD)", r->attribute);
        break;
    case V_TIME:
        if (!cd_time_parse(v, &t))
            return fail(im, c, r->attribute, "%s is not a time of day (HH:MM, 24 hour)", r->attribute);
        break;
    case V_BOOL:
        if (strcmp(v, "true") != 0 && strcmp(v, "false") != 0)
            return fail(im, c, r->attribute, "%s must be true or false", r->attribute);
        break;
    case V_COUNT:
        strtol(v, &end, 10);
        if (!*v || *end || *v == '-' || *v == '+')
            return fail(im, c, r->attribute, "%s must be a whole number", r->attribute);
        break;
    }
    return CD_OK;
}

/* Checks the values of the attributes in VALUE_RULES under node n, and the
 * length of every attribute and text. */
static int check_values(importer *im, xmlNode *n)
{
    for (xmlNode *c = n; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        for (xmlAttr *a = c->properties; a; a = a->next) {
            const char *v = a->children ? (const char *)a->children->content : "";
            size_t vlen = strlen(v);
            if (vlen > MAX_ATTRIBUTE)
                return fail(im, c, (const char *)a->name, "%s is %zu bytes long; an attribute holds at "
                            "most %d", (const char *)a->name, vlen, MAX_ATTRIBUTE);
        }
        /* the rules of this element (the table is grouped by element) */
        for (size_t i = 0; i < sizeof VALUE_RULES / sizeof VALUE_RULES[0]; i++) {
            const value_rule *r = &VALUE_RULES[i];
            if (c->name[0] != (xmlChar)r->element[0] || !xmlStrEqual(c->name, BAD_CAST r->element))
                continue;
            const char *v = A(c, r->attribute);
            int rc = v ? check_value(im, c, r, v) : CD_OK;
            if (rc)
                return rc;
        }
        for (xmlNode *t = c->children; t; t = t->next)
            if ((t->type == XML_TEXT_NODE || t->type == XML_CDATA_SECTION_NODE) && t->content &&
                strlen((const char *)t->content) > MAX_TEXT)
                return fail(im, c, NULL, "the text of <%s> is longer than %d bytes", (const char *)c->name,
                            MAX_TEXT);
        int rc = check_values(im, c->children);
        if (rc)
            return rc;
    }
    return CD_OK;
}

/* Checks the case against the grammar, on a copy in a document of its own. */
static int validate_case(importer *im, xmlNode *c)
{
    int vrc = check_values(im, c->children);
    if (vrc)
        return vrc;
    xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
    if (!doc)
        return cd_error_set(im->err, CD_EGENERAL, "out of memory");
    xmlNode *root = xmlNewDocNode(doc, NULL, BAD_CAST "case-records", NULL);
    xmlDocSetRootElement(doc, root);
    xmlNsPtr ns = xmlNewNs(root, BAD_CAST NS, NULL);
    xmlSetNs(root, ns);
    xmlNewProp(root, BAD_CAST "exported", BAD_CAST "2000-01-01");
    xmlNode *copy = xmlDocCopyNode(c, doc, 1);
    int rc = CD_OK;
    if (!copy) {
        rc = cd_error_set(im->err, CD_EGENERAL, "out of memory");
    } else {
        xmlAddChild(root, copy);
        im->lx_set = 0;
        im->lx_msg[0] = '\0';
        if (xmlRelaxNGValidateDoc(im->vctxt, doc) != 0) {
            xmlNode *at = im->lx_set && im->lx_node ? same_node(copy, c, im->lx_node) : NULL;
            if (!at)
                at = c;
            if (!im->lx_msg[0] || strstr(im->lx_msg, "failed to validate content") ||
                strstr(im->lx_msg, "in interleave"))
                rc = fail(im, at, NULL, "<%s> does not follow the case-record format: an element or "
                          "attribute inside it is unknown, missing or out of place (see "
                          "docs/case-records.md)", (const char *)at->name);
            else
                rc = fail(im, at, NULL, "does not follow the case-record format: %s", im->lx_msg);
        }
    }
    xmlFreeDoc(doc);
    return rc;
}

/* Pass 1: every id unique in the case, with what it can be named as; the
 * order's span. */
static int collect_ids(importer *im, xmlNode *c)
{
    im->have_order = 0;
    FOR_ELEMENTS(sec, c) {
        if (xmlStrEqual(sec->name, BAD_CAST "order")) {
            cd_date made, ended;
            long months;
            if (check_date(im, sec, "made", A(sec, "made"), 1, 1, &made) ||
                check_int(im, sec, "months", A(sec, "months"), 6, 36, &months))
                return CD_EINPUT;
            xmlNode *e = child(sec, "ended");
            if (e && check_date(im, e, "date", A(e, "date"), 1, 0, &ended))
                return CD_EINPUT;
            im->have_order = 1;
            im->order_from = made;
            cd_date sched = cd_date_add_months(made, (int)months) - 1;
            im->order_to = e && ended < sched ? ended : sched;
        }
        xmlNode *first = sec->children;
        xmlNode *only = NULL;
        if (xmlStrEqual(sec->name, BAD_CAST "person") || xmlStrEqual(sec->name, BAD_CAST "order")) {
            only = sec;
            first = sec;
        }
        for (xmlNode *r = first; r; r = only ? NULL : r->next) {
            if (r->type != XML_ELEMENT_NODE)
                continue;
            const char *id = A(r, "id");
            if (!id)
                continue;
            if (has_control(id))
                return fail(im, r->parent, NULL, "the id of a <%s> on line %ld holds a control "
                            "character (a newline, tab or other); ids are printable text",
                            (const char *)r->name, xmlGetLineNo(r));
            int fresh;
            entry *e = table_get(&im->ids, 'i', id, 1, &fresh);
            if (!e)
                return cd_error_set(im->err, CD_EGENERAL, "out of memory");
            if (!fresh)
                return fail(im, r, "id", "the id \"%s\" is used twice in this case (also on line %ld)",
                            id, xmlGetLineNo(e->node));
            e->node = r;
            const char *what = (const char *)r->name;
            if (strcmp(what, "appointment") == 0) {
                const char *o = A(r, "outcome");
                if (o && strcmp(o, "absent-unacceptable") == 0)
                    e->flags = ID_FAILURE;
            } else if (strcmp(what, "test") == 0) {
                const char *st = A(r, "status");
                e->flags = ID_TEST;
                if (st && (!strcmp(st, "refused") || !strcmp(st, "missed") ||
                           !strcmp(st, "adulterated") || !strcmp(st, "substituted")))
                    e->flags |= ID_FAILURE;
            } else if (strcmp(what, "failure-decision") == 0) {
                e->flags = ID_FAILURE;
            }
        }
    }
    return CD_OK;
}

/* Finds or adds the case row and the per-case count; loads what the store
 * holds for the case into im->existing. */
static int open_case(importer *im, xmlNode *c)
{
    const char *area = A(c, "area"), *team = A(c, "team");
    sqlite3_stmt *st = im->q[Q_CASE_FIND];
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, im->ref, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    int isnew = rc == SQLITE_DONE;
    if (rc == SQLITE_ROW) {
        im->case_id = sqlite3_column_int64(st, 0);
        int same = strcmp((const char *)sqlite3_column_text(st, 1), area ? area : "") == 0 &&
                   strcmp((const char *)sqlite3_column_text(st, 2), team ? team : "") == 0;
        sqlite3_reset(st);
        if (!same) {
            st = im->q[Q_CASE_SET];
            sqlite3_reset(st);
            sqlite3_bind_int64(st, 1, im->case_id);
            sqlite3_clear_bindings(st);
            sqlite3_bind_int64(st, 1, im->case_id);
            bt(st, 2, area);
            bt(st, 3, team);
            if (step(im, st))
                return CD_EDB;
        }
    } else if (rc == SQLITE_DONE) {
        sqlite3_reset(st);
        st = im->q[Q_CASE_ADD];
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        sqlite3_bind_text(st, 1, im->ref, -1, SQLITE_STATIC);
        bt(st, 2, area);
        bt(st, 3, team);
        if (step(im, st))
            return CD_EDB;
        im->case_id = sqlite3_last_insert_rowid(im->s->db);
    } else {
        sqlite3_reset(st);
        return cd_store_db_error(im->s, rc, "importing", im->err);
    }

    /* the export date of this file: the case's records run to it */
    st = im->q[Q_CASE_EXPORTED];
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    sqlite3_bind_int64(st, 1, im->case_id);
    char ex[11];
    cd_date_format_iso(im->exported, ex);
    bt(st, 2, im->exported != CD_DATE_NONE ? ex : NULL);
    if (step(im, st))
        return CD_EDB;

    /* the per-case count (a case in two files of one call adds up) */
    im->count = NULL;
    for (size_t i = 0; i < im->rep->ncases; i++)
        if (strcmp(im->rep->cases[i].ref, im->ref) == 0)
            im->count = &im->rep->cases[i];
    if (!im->count) {
        if (im->rep->ncases == im->rep_cap) {
            size_t ncap = im->rep_cap ? im->rep_cap * 2 : 16;
            cd_import_case_count *nc = realloc(im->rep->cases, ncap * sizeof *nc);
            if (!nc)
                return cd_error_set(im->err, CD_EGENERAL, "out of memory");
            im->rep->cases = nc;
            im->rep_cap = ncap;
        }
        im->count = &im->rep->cases[im->rep->ncases++];
        memset(im->count, 0, sizeof *im->count);
        snprintf(im->count->ref, sizeof im->count->ref, "%s", im->ref);
    }

    table_clear(&im->existing);
    if (isnew)
        return CD_OK;
    st = im->q[Q_EXISTING];
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, im->case_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        entry *e = table_get(&im->existing, t[0], (const char *)sqlite3_column_text(st, 1), 1, NULL);
        if (!e) {
            sqlite3_reset(st);
            return cd_error_set(im->err, CD_EGENERAL, "out of memory");
        }
        e->sig = sqlite3_column_int64(st, 2);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return cd_store_db_error(im->s, rc, "importing", im->err);
    return CD_OK;
}

/* Removes the case's imported records this export no longer holds. */
static int remove_unseen(importer *im)
{
    for (size_t i = 0; i < im->existing.cap; i++) {
        entry *e = &im->existing.e[i];
        if (!e->key || e->flags)
            continue;
        size_t k;
        for (k = 0; k < NKINDS && KINDS[k].type != e->key[0]; k++)
            ;
        if (k == NKINDS)
            continue;
        sqlite3_stmt *d = im->del[k];
        sqlite3_reset(d);
        sqlite3_bind_int64(d, 1, im->case_id);
        sqlite3_bind_text(d, 2, e->key + 1, -1, SQLITE_STATIC);
        int rc = sqlite3_step(d);
        sqlite3_reset(d);
        if (rc != SQLITE_DONE)
            return cd_store_db_error(im->s, rc, "removing a record", im->err);
        im->count->removed++;
    }
    return CD_OK;
}

static int import_case(importer *im, xmlNode *c)
{
    im->ref = NULL;
    if (has_control(A(c, "ref")))
        return fail(im, c, "ref", "the case ref holds a control character (a newline, tab or "
                    "other); refs are printable text");
    im->ref = A(c, "ref");
    int rc = validate_case(im, c);
    if (rc)
        return rc;
    table_clear(&im->ids);
    if ((rc = collect_ids(im, c)) || (rc = open_case(im, c)))
        return rc;
    table ordinals = { 0 };
    FOR_ELEMENTS(sec, c) {
        const char *name = (const char *)sec->name;
        if (!strcmp(name, "person"))
            rc = put_person(im, sec);
        else if (!strcmp(name, "order"))
            rc = put_order(im, sec);
        else if (!strcmp(name, "staff"))
            rc = put_staff(im, sec);
        else if (!strcmp(name, "assessment"))
            rc = put_assessment(im, sec);
        else
            FOR_ELEMENTS(r, sec) {
                const char *rn = (const char *)r->name;
                if (!strcmp(rn, "appointment"))
                    rc = put_appointment(im, r);
                else if (!strcmp(rn, "test"))
                    rc = put_test(im, r);
                else if (!strcmp(rn, "review"))
                    rc = put_review(im, r);
                else if (!strcmp(rn, "note"))
                    rc = put_note(im, r, &ordinals);
                else
                    rc = put_enforcement(im, r);
                free_texts(im);
                im->rep->records++;
                if (rc)
                    break;
            }
        free_texts(im);
        if (rc)
            break;
    }
    table_free(&ordinals);
    if (!rc)
        rc = remove_unseen(im);
    im->ref = NULL;
    return rc;
}

/* ---- a file ------------------------------------------------------------------------------- */

/* Opens a case-record file for reading: a regular file only (a FIFO,
 * device or folder is refused without blocking: opened O_NONBLOCK, checked
 * with fstat, then set back to blocking), holding UTF-8 text (not gzip,
 * whose bytes libxml2 would otherwise decompress behind our back, and not
 * UTF-16 or UTF-32). Called for every file before the store is locked.
 * *fd is the open descriptor (the caller closes it). */
static int open_records_file(const char *path, int *fd, cd_error *err)
{
    *fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (*fd < 0)
        return cd_error_set(err, CD_EINPUT, "%s: cannot read the file (%s)", path, strerror(errno));
    struct stat st;
    const char *why = NULL;
    unsigned char head[4] = {0};
    ssize_t got = 0;
    if (fstat(*fd, &st) != 0)
        why = "cannot be examined";
    else if (S_ISDIR(st.st_mode))
        why = "is a folder, not a case-record file";
    else if (!S_ISREG(st.st_mode))
        why = "is not a regular file (a FIFO, socket or device): case records are read from files only";
    else if (fcntl(*fd, F_SETFL, fcntl(*fd, F_GETFL) & ~O_NONBLOCK) != 0 ||
             (got = pread(*fd, head, sizeof head, 0)) < 0)
        why = "cannot be read";
    else if (got >= 2 && head[0] == 0x1F && head[1] == 0x8B)
        why = "is compressed (gzip): case records are plain UTF-8 XML files; decompress it first";
    else if (got >= 2 && ((head[0] == 0xFE && head[1] == 0xFF) || (head[0] == 0xFF && head[1] == 0xFE) ||
                          memchr(head, 0, (size_t)got)))
        why = "is UTF-16 or UTF-32 text: case records are UTF-8 (save the file as UTF-8)";
    if (why) {
        close(*fd);
        *fd = -1;
        return cd_error_set(err, CD_EINPUT, "%s: %s", path, why);
    }
    return CD_OK;
}

/* Checks the export time strictly: YYYY-MM-DD, optionally followed by
 * Thh:mm, :ss, a fraction and a zone (Z or +hh:mm), nothing else
 * ("2026-10-05Tgarbage" is refused). *day gets the date. */
static int parse_export_time(const char *v, cd_date *day)
{
    char d[11];
    if (!v || strlen(v) < 10)
        return 0;
    memcpy(d, v, 10);
    d[10] = '\0';
    if (!cd_date_parse(d, day))
        return 0;
    const char *p = v + 10;
    if (!*p)
        return 1;
#define DIGITS2(q) (q[0] >= '0' && q[0] <= '9' && q[1] >= '0' && q[1] <= '9')
    if (*p++ != 'T' || !DIGITS2(p) || p[2] != ':' || !DIGITS2((p + 3)))
        return 0;
    if ((p[0] - '0') * 10 + (p[1] - '0') > 23 || (p[3] - '0') * 10 + (p[4] - '0') > 59)
        return 0;
    p += 5;
    if (*p == ':') {
        if (!DIGITS2((p + 1)) || (p[1] - '0') * 10 + (p[2] - '0') > 60)
            return 0;
        p += 3;
        if (*p == '.') {
            if (!(p[1] >= '0' && p[1] <= '9'))
                return 0;
            for (p++; *p >= '0' && *p <= '9'; p++)
                ;
        }
    }
    if (*p == 'Z')
        p++;
    else if (*p == '+' || *p == '-') {
        if (!DIGITS2((p + 1)) || p[3] != ':' || !DIGITS2((p + 4)) ||
            (p[1] - '0') * 10 + (p[2] - '0') > 14 || (p[4] - '0') * 10 + (p[5] - '0') > 59)
            return 0;
        p += 6;
    }
#undef DIGITS2
    return *p == '\0';
}

static int import_file(importer *im, const char *path, int fd)
{
    im->file = path;
    im->exported = CD_DATE_NONE;
    im->lx_set = 0;
    im->lx_msg[0] = '\0';
    /* from the descriptor opened and checked by open_records_file: libxml2
     * never opens (or decompresses) the file itself */
    xmlTextReaderPtr r = xmlReaderForFd(fd, path, NULL, XML_PARSE_NONET | XML_PARSE_BIG_LINES |
                                        XML_PARSE_NOXINCNODE);
    if (!r)
        return cd_error_set(im->err, CD_EINPUT, "%s: cannot read the file", path);
    xmlTextReaderSetStructuredErrorHandler(r, on_xml_error, im);
    int rc = CD_OK, seen_root = 0;
    int ret = xmlTextReaderRead(r);
    while (ret == 1) {
        int type = xmlTextReaderNodeType(r), depth = xmlTextReaderDepth(r);
        xmlNode *n = xmlTextReaderCurrentNode(r);
        if (type == XML_READER_TYPE_DOCUMENT_TYPE) {
            xmlDtd *dtd = n && n->type == XML_DTD_NODE ? (xmlDtd *)n : NULL;
            if (!dtd || dtd->children || dtd->ExternalID || dtd->SystemID || dtd->entities ||
                dtd->pentities) {
                rc = cd_error_set(im->err, CD_EINPUT, "%s:%d: refused: the file has a DOCTYPE that "
                                  "declares entities or points outside the file; case records "
                                  "never need one", path, xmlTextReaderGetParserLineNumber(r));
                break;
            }
        } else if (type == XML_READER_TYPE_ELEMENT && depth == 0) {
            const xmlChar *uri = xmlTextReaderConstNamespaceUri(r);
            const xmlChar *enc = xmlTextReaderConstEncoding(r);
            seen_root = 1;
            if (enc && xmlStrcasecmp(enc, BAD_CAST "UTF-8") != 0 && xmlStrcasecmp(enc, BAD_CAST "UTF8") != 0) {
                rc = cd_error_set(im->err, CD_EINPUT, "%s:1: the XML declaration names an encoding "
                                  "other than UTF-8: case records are UTF-8 only (save the file "
                                  "as UTF-8 and declare encoding=\"UTF-8\")", path);
                break;
            }
            if (!xmlStrEqual(xmlTextReaderConstLocalName(r), BAD_CAST "case-records") ||
                !uri || !xmlStrEqual(uri, BAD_CAST NS)) {
                rc = cd_error_set(im->err, CD_EINPUT, "%s:%ld:%d: not a case-record file: the root "
                                  "element must be <case-records> in namespace %s", path,
                                  xmlGetLineNo(n), find_column(path, xmlGetLineNo(n),
                                  (const char *)n->name, NULL), NS);
                break;
            }
            const char *ex = A(n, "exported");
            if (!parse_export_time(ex, &im->exported)) {
                rc = cd_error_set(im->err, CD_EINPUT, "%s:%ld:%d: <case-records> needs exported=\"YYYY-"
                                  "MM-DDThh:mm:ssZ\", the time of the export", path, xmlGetLineNo(n),
                                  find_column(path, xmlGetLineNo(n), "case-records", "exported"));
                break;
            }
        } else if (type == XML_READER_TYPE_ELEMENT && depth == 1) {
            const xmlChar *uri = xmlTextReaderConstNamespaceUri(r);
            if (!xmlStrEqual(xmlTextReaderConstLocalName(r), BAD_CAST "case") || !uri ||
                !xmlStrEqual(uri, BAD_CAST NS)) {
                rc = cd_error_set(im->err, CD_EINPUT, "%s:%ld: unexpected element <%s>: only <case> "
                                  "elements belong in <case-records>", path, xmlGetLineNo(n),
                                  (const char *)xmlTextReaderConstName(r));
                break;
            }
            xmlNode *c = xmlTextReaderExpand(r);
            if (!c) {
                ret = -1;
                break;
            }
            if ((rc = import_case(im, c)))
                break;
            ret = xmlTextReaderNext(r);      /* past the case; the reader frees it */
            continue;
        } else if ((type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA) && depth == 1) {
            rc = cd_error_set(im->err, CD_EINPUT, "%s:%d: unexpected text between cases",
                              path, xmlTextReaderGetParserLineNumber(r));
            break;
        }
        ret = xmlTextReaderRead(r);
    }
    if (!rc && ret < 0)
        rc = fail_parse(im);
    if (!rc && !seen_root)
        rc = cd_error_set(im->err, CD_EINPUT, "%s: not a case-record file: it holds no XML element", path);
    xmlFreeTextReader(r);
    im->file = NULL;
    return rc;
}

/* ---- the public entry point ---------------------------------------------------------------- */

int cd_import_files(cd_store *s, const char *const *paths, size_t npaths,
                    cd_import_report *report, cd_error *err)
{
    if (s->mode != CD_STORE_WRITE)
        return cd_error_set(err, CD_EDB, "%s: opened read-only; cannot import", s->path);
    importer im;
    memset(&im, 0, sizeof im);
    im.s = s;
    im.err = err;
    im.rep = report;
    int rc = CD_OK;
    int *fds = NULL;
    size_t nfds = 0;

    char rng[4096];
    snprintf(rng, sizeof rng, "%s/schemas/case-records.rng", cd_data_dir());
    xmlRelaxNGParserCtxtPtr pc = xmlRelaxNGNewParserCtxt(rng);
    if (pc) {
        xmlRelaxNGSetParserStructuredErrors(pc, on_xml_error, &im);
        im.schema = xmlRelaxNGParse(pc);
        xmlRelaxNGFreeParserCtxt(pc);
    }
    if (!im.schema)
        return cd_error_set(err, CD_EGENERAL, "%s: the case-record schema is missing or broken; "
                            "the installation is incomplete (set CD_DATA_DIR to the folder "
                            "holding schemas/)", rng);
    im.vctxt = xmlRelaxNGNewValidCtxt(im.schema);
    if (!im.vctxt) {
        rc = cd_error_set(err, CD_EGENERAL, "out of memory");
        goto done;
    }
    xmlRelaxNGSetValidStructuredErrors(im.vctxt, on_rng_error, &im);

    for (int i = 0; i < Q_COUNT; i++) {
        int prc = sqlite3_prepare_v3(s->db, SQL[i], -1, SQLITE_PREPARE_PERSISTENT, &im.q[i], NULL);
        if (prc != SQLITE_OK) {
            rc = cd_store_db_error(s, prc, "preparing to import", err);
            goto done;
        }
    }
    for (size_t k = 0; k < NKINDS; k++) {
        int prc = sqlite3_prepare_v3(s->db, KINDS[k].del, -1, SQLITE_PREPARE_PERSISTENT, &im.del[k], NULL);
        if (prc != SQLITE_OK) {
            rc = cd_store_db_error(s, prc, "preparing to import", err);
            goto done;
        }
    }

    /* every file opened and checked before the store's write lock is taken:
     * a FIFO or a device never holds the lock while nothing comes */
    fds = malloc((npaths ? npaths : 1) * sizeof *fds);
    if (!fds) {
        rc = cd_error_set(err, CD_EGENERAL, "out of memory");
        goto done;
    }
    for (nfds = 0; nfds < npaths; nfds++)
        if ((rc = open_records_file(paths[nfds], &fds[nfds], err)))
            goto done;

    int brc = sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (brc != SQLITE_OK) {
        rc = cd_store_db_error(s, brc, "importing", err);
        goto done;
    }
    for (size_t i = 0; i < npaths && !rc; i++)
        rc = import_file(&im, paths[i], fds[i]);
    if (!rc) {
        int crc = sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
        if (crc != SQLITE_OK)
            rc = cd_store_db_error(s, crc, "saving the import", err);
    }
    if (rc) {
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        /* nothing was stored: counts would mislead */
        report->ncases = 0;
        report->records = 0;
    }

done:
    for (size_t i = 0; i < nfds; i++)
        close(fds[i]);
    free(fds);
    for (int i = 0; i < Q_COUNT; i++)
        sqlite3_finalize(im.q[i]);
    for (size_t k = 0; k < NKINDS; k++)
        sqlite3_finalize(im.del[k]);
    table_free(&im.ids);
    table_free(&im.existing);
    free_texts(&im);
    xmlRelaxNGFreeValidCtxt(im.vctxt);
    xmlRelaxNGFree(im.schema);
    return rc;
}

void cd_import_report_free(cd_import_report *r)
{
    if (!r)
        return;
    free(r->cases);
    for (size_t i = 0; i < r->nwarnings; i++)
        free(r->warnings[i]);
    free(r->warnings);
    r->cases = NULL;
    r->warnings = NULL;
    r->ncases = r->nwarnings = 0;
}
