/* batch.h -- the batch engine: renders a planned list of documents into one
 * folder over N worker processes, shows progress, and writes the folder's
 * index (index.csv). It knows nothing of stores or rules: the caller (the
 * `batch` command) plans the jobs and supplies the function that renders
 * one job in a worker. Workers are forked; each opens its own resources
 * after the fork (never a database handle shared across fork).
 *
 * Work is handed out through a counter in shared memory, so a slow document
 * holds up only the worker rendering it; results come back to the parent
 * through one pipe per worker, one record per document whose length is
 * given in its first bytes (every author warning arrives whole, however
 * many). A renderer may publish in groups (its documents' audit rows are
 * committed together, render.c): a document's result reaches the parent
 * once its group is published. SIGINT and SIGTERM are forwarded to the
 * workers, which finish the document they hold, publish their group and
 * stop; the parent then writes the index for what finished. */
#ifndef CD_BATCH_H
#define CD_BATCH_H
#include <stddef.h>
#include <stdio.h>
#include "strbuf.h"
#include "courtdocs.h"

/* One document to render. The plan fields are set by the caller; the result
 * fields by cd_batch_run. */
typedef struct cd_batch_job {
    /* plan */
    const char *case_ref;
    const char *kind;          /* document kind word: "review", "breach" */
    char date[11];             /* the document's date, YYYY-MM-DD */
    char *file_name;           /* file name inside the folder (no '/'); heap, caller frees */
    /* result */
    int state;                 /* CD_BATCH_PENDING, _DONE or _FAILED */
    int code;                  /* CD_E* code of a failure */
    int pages;
    int missing_glyphs;        /* fields with characters the fonts cannot draw */
    char sha256[65];
    char message[1024];        /* why it failed (no case data beyond the ref) */
    int draft;                 /* the document came out a DRAFT (it lacks what the law requires) */
    char *author_warnings;     /* the author warnings of the document, "; " between them,
                                  every one whole (heap; NULL when none; the caller frees) */
} cd_batch_job;

enum { CD_BATCH_PENDING = 0, CD_BATCH_DONE = 1, CD_BATCH_FAILED = 2 };

/* What a worker does. open runs once in each worker after the fork and
 * returns the worker's state (NULL with err set when it cannot start: each
 * job that worker takes then fails with that message); render writes one
 * document to out_path (atomically, mode 0600) and reports its pages and
 * sha256; close releases the state before the worker exits. */
typedef struct cd_batch_renderer {
    void *(*open)(void *ctx, cd_error *err);
    int (*render)(void *worker, const cd_batch_job *job, const char *out_path,
                  int *pages, char sha256[65], cd_error *err);
    void (*close)(void *worker);
    void *ctx;
    /* optional (NULL = none): after a successful render, what that document
     * leaves for its author: *draft, and the warnings one per line
     * (malloc'd, or NULL; the engine frees them) */
    void (*author_notes)(void *worker, int *draft, char **warnings);
    /* optional: how many fields of the document just rendered hold
     * characters the fonts cannot draw (NULL = never any) */
    int (*missing_glyphs)(void *worker);
    /* optional: publishing in groups. NULL: render puts each document in
     * place itself. Set: a successful render leaves its document written
     * whole but held (not at out_path yet), and the worker calls publish
     * after every `group` documents rendered, after its last and when
     * interrupted; publish puts the n documents held into place and gives
     * each one's outcome in each[0..n), in the order rendered (code 0 = in
     * place). A document's result reaches the parent only once published. */
    int (*publish)(void *worker, size_t n, cd_error *each);
    size_t group;              /* documents per group when publish is set (0 = 1) */
} cd_batch_renderer;

typedef struct cd_batch_opts {
    int workers;               /* worker processes (>= 1; capped at the job count) */
    int progress_bar;          /* 1: a progress bar redrawn in place on `log`;
                                  0: one plain line per document on `log` */
    FILE *log;                 /* progress and failures (stderr) */
    /* out */
    double seconds;            /* wall time of the rendering */
    long worker_peak_rss_kb;   /* the largest peak resident memory of any worker */
    int interrupted_by;        /* SIGINT / SIGTERM when interrupted, else 0 */
    size_t done, failed, not_started;
    size_t missing_glyphs;     /* documents written with characters the fonts cannot draw */
} cd_batch_opts;

/* Renders jobs[0..n) into dir (which must exist). Returns CD_OK when every
 * job was rendered, CD_EPARTIAL when some failed (each failure is listed on
 * o->log with its case ref and reason), or another code when the batch could
 * not run at all (err set). When interrupted, returns CD_EPARTIAL with
 * o->interrupted_by set; jobs not rendered stay CD_BATCH_PENDING. */
int cd_batch_run(const char *dir, cd_batch_job *jobs, size_t n,
                 const cd_batch_renderer *r, cd_batch_opts *o, cd_error *err);

/* The folder's index.csv (the order that keeps every PDF with its line is
 * explained in render.c, publish_held). cd_batch_index_start makes it (a
 * header line, mode 0600) when missing, before the workers start;
 * cd_batch_index_append, called by a batch's publish recorder, adds the
 * lines of a group's documents (each one's tag is its cd_batch_job):
 * case_ref, kind, date, pages, sha256, file, status (draft or final),
 * author_warnings ("; " between them); RFC 4180 quoting; with one O_APPEND
 * write and an fsync, from a worker, before the documents are renamed
 * into place;
 * cd_batch_write_index rewrites it whole at the end of a run (temporary file
 * and rename): this run's documents (state DONE) in plan order, then the
 * lines of earlier runs whose file is still there with that sha256. */
int cd_batch_index_start(const char *dir, cd_error *err);
int cd_batch_index_append(const char *dir, const cd_published *docs, size_t n, cd_error *err);
int cd_batch_write_index(const char *dir, const cd_batch_job *jobs, size_t n, cd_error *err);


/* Prints to out which documents need their author's attention: each draft
 * or document with author warnings, by file and case ref, with its
 * warnings; nothing when none does. Returns how many were listed. */
size_t cd_batch_print_attention(FILE *out, const cd_batch_job *jobs, size_t n);

#endif
