/* courtdocs.h -- the public API of courtdocs.
 *
 * What the command-line tool uses and what another program can link to:
 * open a case store, import case records, render a document for a case to
 * a path, list what is due. Every call that can fail takes a cd_error* and
 * returns one of the CD_E* codes below (0 on success); the error holds one
 * sentence for the user naming the file, line, case or field and what to do.
 * Error messages never carry case data beyond a case ref and a record id.
 */
#ifndef COURTDOCS_H
#define COURTDOCS_H
#include <stddef.h>
#include <stdio.h>

#define COURTDOCS_VERSION "0.1.0"

/* Result and exit codes: stable, documented in README.md. */
enum {
    CD_OK = 0,
    CD_EGENERAL = 1,   /* I/O error, out of memory, anything else */
    CD_EUSAGE = 2,     /* bad command-line option or argument */
    CD_EINPUT = 3,     /* invalid input: case records, template, note text */
    CD_EDB = 4,        /* database missing, not a courtdocs store, corrupt, locked, read-only */
    CD_ENOTFOUND = 5,  /* no such case (or review, or assessment) */
    CD_EREFUSED = 6,   /* the rules refuse: e.g. a breach pack with no failure to answer */
    CD_EPARTIAL = 7,   /* batch: some documents failed, the others were written */
    CD_EGLYPHS = 8     /* batch: every document written, but some hold characters
                          the fonts cannot draw (each reported: case, template
                          line, field); they print as replacement marks */
};

typedef struct cd_error {
    int code;            /* a CD_E* value, 0 when no error */
    char message[1024];  /* one or more sentences for the user */
} cd_error;

/* Sets err (if not NULL) and returns code. */
int cd_error_set(cd_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Prefixes the existing message with more context ("FILE: "). */
void cd_error_prefix(cd_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Routes libxml2's own messages through courtdocs's handlers (process-wide;
 * call once at start, before any XML is read): none reaches stderr (they
 * can quote file content), and libxml2 running out of memory ends the
 * process with the one line "courtdocs: out of memory", exit status 1, as
 * every other allocation failure does (cd_out_of_memory). */
void cd_errors_init(void);
void cd_out_of_memory(void) __attribute__((noreturn));

/* ---- the case store ------------------------------------------------- */

typedef struct cd_store cd_store;

#define CD_STORE_READONLY 0  /* rendering, listing: never writes */
#define CD_STORE_WRITE    1  /* import, note: an existing store, schema migrated */
#define CD_STORE_CREATE   2  /* import --create, demo: as WRITE, made if missing */

/* Opens the store at path (with CD_STORE_WRITE or CD_STORE_CREATE migrating
 * its schema). Only CD_STORE_CREATE makes a store that does not exist (mode
 * 0600); the other modes refuse a missing file (CD_EDB), so that a mistyped
 * --db is an error, not a new empty store. */
int  cd_store_open(const char *path, int mode, cd_store **out, cd_error *err);
/* Closes the store (NULL is fine). A store written through it (opened for
 * writing, or a read-only one that recorded documents in the audit) is
 * checkpointed first: every committed row is in the database file itself,
 * none only in its -wal file, unless another connection still reads an
 * older snapshot (then the last to close finishes the job). */
void cd_store_close(cd_store *s);

/* Per-case counts reported by an import. */
typedef struct cd_import_case_count {
    char ref[65];
    long added, changed, removed;
} cd_import_case_count;

typedef struct cd_import_report {
    /* in: 1 = an appointment or test outside its order is an error, not a warning */
    int strict;
    /* out */
    cd_import_case_count *cases;   /* heap array, free with cd_import_report_free */
    size_t ncases;
    long records;                  /* records read in all */
    char **warnings;               /* "FILE:LINE:COL: case REF, record ID: ..." (at most 100) */
    size_t nwarnings;
    long warnings_total;           /* how many there were in all */
} cd_import_report;

/* Imports case-record files (docs/case-records.md) in ONE transaction:
 * every case is checked against schemas/case-records.rng and the import
 * rules; on any error nothing is stored and err names FILE:LINE:COL, the
 * case ref, the record id and what is wrong. Re-importing a case replaces
 * its imported records by id (local notes are never touched); report
 * (zeroed by the caller, strict set as wanted) gets per-case counts. */
int  cd_import_files(cd_store *s, const char *const *paths, size_t npaths,
                     cd_import_report *report, cd_error *err);
void cd_import_report_free(cd_import_report *r);

/* Stores a locally written note (never touched by import). kind is one of
 * supervisor-assessment, recommendation, provider-view, progress,
 * contact-attempt, breach-statement; date "YYYY-MM-DD" (NULL = today). */
int cd_note_add(cd_store *s, const char *case_ref, const char *kind,
                const char *author, const char *date, const char *text,
                cd_error *err);

/* ---- documents -------------------------------------------------------- */

typedef enum {
    CD_DOC_REVIEW, CD_DOC_PSR, CD_DOC_BREACH, CD_DOC_SUMMARY
} cd_doc_kind;

typedef struct cd_render_opts {
    const char *date;          /* "YYYY-MM-DD": review hearing / pack date; NULL = default */
    const char *password;      /* encrypt with this user password; NULL = none */
    const char *template_dir;  /* NULL = built-in default (templates/) */
    int attach_psr;            /* review: append the PSR drug assessment */
    int draft;                 /* psr: render a draft with gaps visible */
    int force;                 /* breach: render even with no failure to answer */
    FILE *warnings;            /* where author warnings go (stderr); NULL = none */
    FILE *glyph_warnings;      /* where warnings about characters the fonts cannot
                                  draw go (case, template line, field); NULL = warnings */
    /* NULL: the document is published at once (audit row, then renamed
     * into place). A group: it is written whole and synced to its temporary
     * file and held there; cd_publish_group_flush publishes it with the
     * others (see below). group_tag is handed to the group's recorder. */
    struct cd_publish_group *group;
    void *group_tag;
    /* summary filters (NULL = all) */
    const char *from, *to, *court, *team;
    /* out: pages written, sha256 of the file (hex), the document's date
     * and id, and the path written (out_path, or the default name) */
    int pages;
    int missing_glyphs;        /* fields holding characters the fonts cannot draw */
    char sha256[65];
    char date_used[11];
    char doc_id[16];
    char written[4096];
    int is_draft;              /* out: the document lacks a part the law or the standard
                                  requires (or a draft was asked for): marked DRAFT */
    int collect_warnings;      /* in: 1 = fill author_warnings below */
    char *author_warnings;     /* out (collect_warnings): the author warnings, one per
                                  line, malloc'd (caller frees); NULL when none */
} cd_render_opts;

/* Renders one document for case_ref (ignored for the summary) to out_path
 * (NULL: "KIND-REF-DATE.pdf" in the current folder, the ref made safe for a
 * file name), written to a temporary file beside it and renamed into place,
 * mode 0600. The case is read from one snapshot of the store; the document
 * is recorded in the store's audit. Author warnings (things the officer
 * should know, never printed on the court copy) go to opts->warnings. */
int cd_render(cd_store *s, cd_doc_kind kind, const char *case_ref,
              cd_render_opts *opts, const char *out_path, cd_error *err);

/* A publish group: documents rendered with opts->group set wait, whole and
 * synced in their temporary files, until cd_publish_group_flush records all
 * their audit rows in ONE transaction and then renames them into place, in
 * the order rendered (render.c, publish_held, gives the order and what a
 * crash leaves). A batch worker keeps one open and flushes it every few
 * dozen documents; the single-document commands publish at once. */
typedef struct cd_publish_group cd_publish_group;

/* A document of a group as the group's recorder sees it. */
typedef struct cd_published {
    void *tag;                    /* the group_tag it was rendered with */
    const char *path;             /* its final name */
    const char *sha256;           /* hex, of the file's bytes */
    int pages;
    int is_draft;
    const char *author_warnings;  /* one per line (collect_warnings), or NULL */
} cd_published;

/* Called by a flush once the group's audit rows are committed and before
 * any of its documents is renamed into place (a batch appends their
 * index.csv lines); non-zero (err set) = none of them is published. */
typedef int (*cd_publish_recorder)(void *ctx, const cd_published *docs, size_t n, cd_error *err);

/* A new, empty group publishing into store s's audit; record may be NULL. */
int cd_publish_group_new(cd_store *s, cd_publish_recorder record, void *record_ctx,
                         cd_publish_group **out, cd_error *err);
/* How many documents the group holds (rendered, not yet published). */
size_t cd_publish_group_held(const cd_publish_group *g);
/* Publishes every held document: their audit rows in one transaction, the
 * recorder, then each renamed into place, the folder synced once. each (room
 * for cd_publish_group_held(g) entries; may be NULL when none is held) gets
 * every document's outcome in the order rendered: code 0 = in place. Returns
 * CD_OK when all are in place; otherwise the first failure's code with err
 * set (a failed commit or recorder fails every document of the group, whose
 * temporary files are removed). The group is empty afterwards. */
int cd_publish_group_flush(cd_publish_group *g, cd_error *each, cd_error *err);
/* Removes the temporary files of documents still held (never published)
 * and frees the group (NULL is fine). */
void cd_publish_group_free(cd_publish_group *g);

/* The word for a document kind: "review", "psr", "breach", "summary". */
const char *cd_doc_kind_name(cd_doc_kind kind);

/* Frees the templates cd_render keeps loaded between documents. */
void cd_render_release(void);

/* Writes into out (size >= 2) a file-name-safe form of a case ref: every
 * byte outside A-Z a-z 0-9 . _ - becomes '_', a leading '.' becomes '_',
 * and an empty result becomes "_". Truncated to fit. */
void cd_safe_file_name(const char *ref, char *out, size_t size);

/* The name a document is written under unless told otherwise, and the one a
 * batch gives it: "KIND-<safe ref>-DATE.pdf" (the summary's ref is
 * "caseload"), malloc'd (NULL when out of memory). A safe ref over 200 bytes
 * keeps its first 200 and the first 8 hex digits of the SHA-256 of the whole
 * ref, so the name fits a file system's 255 bytes and two long refs never
 * share one. */
char *cd_document_file_name(cd_doc_kind kind, const char *case_ref, const char *date);

/* ---- planning: what is due ------------------------------------------- */

/* One document due: the case and the date the document is dated (a
 * review: its hearing date; a breach pack: the date of the run). */
typedef struct cd_due_document {
    char *case_ref;            /* heap; freed by cd_due_documents_free */
    char date[11];             /* YYYY-MM-DD */
} cd_due_document;

/* The documents of kind due in month ("YYYY-MM"), in case ref order, read
 * from one snapshot of the store:
 *  - CD_DOC_REVIEW: every case whose next review falls in the month (the
 *    rule `courtdocs cases --due` lists by), dated on that review;
 *  - CD_DOC_BREACH: every case whose order is running on run_date where the
 *    rules, on the records as of run_date, require breach action and the
 *    pack falls due by the month's last day (overdue included), dated
 *    run_date ("YYYY-MM-DD"; NULL = today, or the month's last day when
 *    that is earlier; reviews ignore it).
 * *out is a heap array of *n (free with cd_due_documents_free; NULL when
 * none). CD_EUSAGE for a month or date that is not one, or another kind. */
int  cd_plan_due(cd_store *s, cd_doc_kind kind, const char *month, const char *run_date,
                 cd_due_document **out, size_t *n, cd_error *err);
void cd_due_documents_free(cd_due_document *docs, size_t n);

/* Where a case's order stands on a date (a caseload listing's "week"). */
typedef enum {
    CD_ORDER_STATE_NONE,          /* the case has no order */
    CD_ORDER_STATE_NOT_STARTED,   /* made after the date */
    CD_ORDER_STATE_RUNNING,       /* in week `week` of `total_weeks` */
    CD_ORDER_STATE_ENDED          /* ended, or past its scheduled end */
} cd_order_state;

/* One case of the caseload listing. The strings belong to the walk and
 * last only while the callback runs. */
typedef struct cd_case_status {
    const char *case_ref;
    const char *name;              /* the person's full name */
    const char *order_type;        /* "dtto" or "drr"; NULL when no order */
    const char *intensity;         /* "low", "medium", "high"; NULL when no order */
    cd_order_state state;
    int week, total_weeks;         /* when running: the order week and the weeks in the order */
    char next_review[11];          /* YYYY-MM-DD, or "" when none */
} cd_case_status;

typedef int (*cd_case_status_fn)(void *ctx, const cd_case_status *st, cd_error *err);

/* Calls fn for every case in the store, in case ref order, read from one
 * snapshot: its order's state on date ("YYYY-MM-DD"; NULL = today) and its
 * next review on or after date. With due_month ("YYYY-MM"; NULL = every
 * case) only the cases whose next review falls in that month, with that
 * review (the rule cd_plan_due plans reviews by); an order ended on or
 * before the month's first day then counts as ended. A non-zero return
 * from fn stops the walk and is returned. CD_EUSAGE for a date or month
 * that is not one. */
int cd_case_statuses(cd_store *s, const char *date, const char *due_month,
                     cd_case_status_fn fn, void *ctx, cd_error *err);

#endif
