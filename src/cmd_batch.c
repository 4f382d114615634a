/* cmd_batch.c -- `courtdocs batch`: renders every court review (or breach
 * pack) due in a month into one folder, over several worker processes, and
 * writes the folder's index.csv.
 *
 * This file takes the batch's plan (which documents are due and their dates)
 * from the public planning call cd_plan_due (plan.c, which asks the rules),
 * gives each document a safe file name, and gives the batch engine
 * (batch.h) the function that renders one document in a worker: each worker
 * opens the store read-only itself, after the fork, and renders through
 * cd_render, which reads each document from one consistent snapshot.
 */
#include "cli.h"
#include <stdio.h>

const char cmd_batch_usage[] =
    "Usage: courtdocs batch --db FILE --month YYYY-MM --out DIR [OPTIONS]\n"
    "\n"
    "Renders every document due in a month into one folder: by default the court\n"
    "review report of every case whose next review falls in the month (each dated\n"
    "on its review date), or with --kind breach the breach pack of every case where\n"
    "the rules require breach action and the pack falls due (10 working days after\n"
    "the failure that triggered it) in the month or earlier and is still unanswered.\n"
    "\n"
    "The documents are shared among worker processes (one per core by default); a\n"
    "slow document holds up only its own worker. Each file is written whole or not\n"
    "at all (temporary file, then renamed), mode 0600, named from the case ref with\n"
    "every character outside A-Z a-z 0-9 . _ - replaced by '_' (a ref such as\n"
    "'../../x' cannot leave the folder; two refs that would share a name get a\n"
    "short suffix). Existing files of the same name are replaced.\n"
    "\n"
    "The folder gets index.csv: one line per document written, with the columns\n"
    "case_ref, kind, date, pages, sha256, file, status (draft or final) and\n"
    "author_warnings (what the officer should add or decide: the parts a draft\n"
    "lacks, missed tests awaiting a decision; \"; \" between them), RFC 4180\n"
    "quoting. The same list ends the summary on stdout, so an area manager sees\n"
    "which reports need work. A document that\n"
    "fails does not stop the others: each failure is reported on stderr with its\n"
    "case ref and the reason, and the exit status is 7.\n"
    "\n"
    "Options:\n"
    "  --db FILE            the case store (opened read-only)\n"
    "  --month YYYY-MM      the month whose reviews (or breach packs) are due\n"
    "  --out DIR            where the documents and index.csv go; created (mode\n"
    "                       0700) if missing, its parent must exist\n"
    "  -j, --jobs N         worker processes (default: the number of online cores)\n"
    "  --kind review|breach which documents (default review)\n"
    "  --date-of-run D      breach packs: the date the enforcement position is\n"
    "                       taken on and the packs are dated (YYYY-MM-DD; default\n"
    "                       today, or the month's last day for a past month).\n"
    "                       Reviews are always dated on their review date.\n"
    "  --template-dir DIR   read the document templates from DIR instead of the\n"
    "                       built-in templates/ folder\n"
    "  -h, --help           this text\n"
    "\n"
    "Progress: on a terminal, a bar on stderr (done/total, documents per second,\n"
    "time left); otherwise one line per document on stderr. At the end one summary\n"
    "line on stdout, then the documents that need their author's attention.\n"
    "\n"
    "Each document gets its audit row and its index.csv line before it is renamed\n"
    "into place, so every PDF in the folder is in the audit and the index at\n"
    "every moment. Each worker publishes its documents in groups of 64: each is\n"
    "written whole to a temporary file and synced to disk, then the group's audit\n"
    "rows are committed in one transaction, their index lines added, and the\n"
    "files renamed into place. Interrupting (Ctrl-C, or SIGTERM) stops the\n"
    "workers once the document each holds is finished and its group published\n"
    "(signals are held meanwhile); the finished ones stay and index.csv lists\n"
    "them; the exit status is 130 (SIGINT) or 143 (SIGTERM). If the batch is\n"
    "killed outright (kill -9), its workers stop after their document and\n"
    "group; if a worker itself is killed, the group it held is not published\n"
    "(no file, no audit row; reported failed). The next batch into the folder\n"
    "removes any temporary file left and rewrites index.csv (lines of earlier\n"
    "runs are kept while their file is there unchanged).\n"
    "\n"
    "Example:\n"
    "  courtdocs batch --db cases.db --month 2026-12 --out reviews-2026-12 -j 4\n"
    "  courtdocs batch --db cases.db --month 2026-12 --kind breach --out packs\n"
    "\n"
    "A value holding a character the fonts cannot draw (a name in Hebrew or\n"
    "Arabic script, say) prints as a replacement mark: each is reported on stderr\n"
    "naming the case, the template line and the field, and the exit status is 8.\n"
    "\n"
    "Exit status: 0 every document written; 2 usage error; 4 database error;\n"
    "7 some documents failed (the others were written); 8 every document\n"
    "written, but some hold characters the fonts cannot draw; 1 any other\n"
    "error; 130 or 143 interrupted.\n";

#include "batch.h"
#include "cmd_render.h"
#include "model.h"
#include "outfile.h"
#include "sha256.h"
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What each worker needs: where the store is and how to render. */
typedef struct {
    const char *db;
    const char *template_dir;
    cd_doc_kind kind;
    const char *dir;          /* the folder: its index.csv gets each document's line */
} batch_context;

/* Documents per publish group: their audit rows are committed in one
 * transaction, then they are renamed into place (render.c, publish_held).
 * CD_BATCH_GROUP (1 to 512: a group holds its files open) overrides it
 * (tests: group boundaries, interruption). */
#define PUBLISH_GROUP 64

static size_t publish_group_size(void)
{
    const char *e = getenv("CD_BATCH_GROUP");
    char *end;
    long v = e && *e ? strtol(e, &end, 10) : 0;
    return e && *e && !*end && v >= 1 && v <= 512 ? (size_t)v : PUBLISH_GROUP;
}

/* The group's recorder: its documents' index lines, appended in one write
 * after their audit rows and before they are renamed into place. Each
 * document's tag is its job. */
static int add_index_lines(void *ctx, const cd_published *docs, size_t n, cd_error *err)
{
    return cd_batch_index_append(ctx, docs, n, err);
}

typedef struct {
    cd_store *store;
    const batch_context *ctx;
    cd_publish_group *group;   /* the documents rendered, not yet published */
    int last_draft;            /* the last document rendered: a draft? */
    char *last_warnings;       /* and its author warnings (heap, or NULL) */
    int missing_glyphs;       /* of the last document */
} batch_worker;

static int worker_missing_glyphs(void *worker)
{
    return ((batch_worker *)worker)->missing_glyphs;
}

/* Worker start: its own read-only connection, opened after the fork, and
 * its publish group. */
static void *worker_open(void *ctx, cd_error *err)
{
    const batch_context *bc = ctx;
    cd_store *s = NULL;
    if (cd_store_open(bc->db, CD_STORE_READONLY, &s, err) != CD_OK) return NULL;
    batch_worker *w = calloc(1, sizeof *w);
    int rc = w ? cd_publish_group_new(s, add_index_lines, (void *)bc->dir, &w->group, err)
               : cd_error_set(err, CD_EGENERAL, "out of memory");
    if (rc != CD_OK) {
        cd_store_close(s);
        free(w);
        return NULL;
    }
    w->store = s;
    w->ctx = bc;
    return w;
}

/* Renders one document into the worker's publish group (written whole and
 * synced to its temporary file; put in place by worker_publish). */
static int worker_render(void *worker, const cd_batch_job *job, const char *out_path,
                         int *pages, char sha256[65], cd_error *err)
{
    batch_worker *w = worker;
    cd_render_opts ro;
    memset(&ro, 0, sizeof ro);
    ro.date = job->date;
    ro.template_dir = w->ctx->template_dir;
    ro.warnings = NULL;       /* not on stderr: collected for the summary and index.csv */
    ro.collect_warnings = 1;
    ro.group = w->group;
    ro.group_tag = (void *)job;
    ro.glyph_warnings = stderr;   /* a character the fonts lack is named, case and field */
    w->missing_glyphs = 0;
    int rc = cd_render(w->store, w->ctx->kind, job->case_ref, &ro, out_path, err);
    free(w->last_warnings);
    w->last_warnings = ro.author_warnings;
    w->last_draft = ro.is_draft;
    if (rc == CD_OK) {
        w->missing_glyphs = ro.missing_glyphs;
        *pages = ro.pages;
        memcpy(sha256, ro.sha256, 65);
    }
    return rc;
}

/* Publishes the documents the worker holds: one audit transaction, their
 * index lines, then each renamed into place. */
static int worker_publish(void *worker, size_t n, cd_error *each)
{
    batch_worker *w = worker;
    cd_error err = {0, {0}};
    if (cd_publish_group_held(w->group) != n) {     /* never: one held per successful render */
        for (size_t k = 0; k < n; k++)
            cd_error_set(&each[k], CD_EGENERAL, "the publish group lost count of its documents");
        return CD_EGENERAL;
    }
    return cd_publish_group_flush(w->group, each, &err);
}

/* Hands the last document's draft state and warnings to the engine. */
static void worker_author_notes(void *worker, int *draft, char **warnings)
{
    batch_worker *w = worker;
    *draft = w->last_draft;
    *warnings = w->last_warnings;
    w->last_warnings = NULL;
}

static void worker_close(void *worker)
{
    batch_worker *w = worker;
    cd_publish_group_free(w->group);       /* anything never published: removed */
    cd_store_close(w->store);
    cd_render_release();
    free(w->last_warnings);
    free(w);
}

/* ---- the plan ----------------------------------------------------------------- */

typedef struct {
    cd_batch_job *jobs;
    size_t n;
} job_list;

/* One job for each document due (cd_plan_due): the refs are borrowed from
 * due, which must outlive the jobs; kind is the document kind's word. */
static int plan_jobs(job_list *l, const cd_due_document *due, size_t ndue, const char *kind, cd_error *err)
{
    l->jobs = calloc(ndue ? ndue : 1, sizeof *l->jobs);
    if (!l->jobs) return cd_error_set(err, CD_EGENERAL, "out of memory planning the batch");
    for (size_t i = 0; i < ndue; i++) {
        cd_batch_job *j = &l->jobs[i];
        j->case_ref = due[i].case_ref;
        j->kind = kind;
        snprintf(j->date, sizeof j->date, "%s", due[i].date);
    }
    l->n = ndue;
    return CD_OK;
}

/* ---- file names ----------------------------------------------------------------- */

static const job_list *g_sort_list;

static int by_file_name(const void *a, const void *b)
{
    const cd_batch_job *j = g_sort_list->jobs;
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    int c = strcmp(j[x].file_name, j[y].file_name);
    return c ? c : (x > y) - (x < y);
}

/* Every job's file name (cd_document_file_name); two refs that map to the
 * same safe name (e.g. "A/1" and "A_1") are told apart by the first 8 hex
 * digits of the sha256 of the ref itself. */
static int name_files(job_list *l, cd_doc_kind kind, cd_error *err)
{
    for (size_t i = 0; i < l->n; i++) {
        cd_batch_job *j = &l->jobs[i];
        if (!(j->file_name = cd_document_file_name(kind, j->case_ref, j->date)))
            return cd_error_set(err, CD_EGENERAL, "out of memory");
    }
    size_t *order = malloc((l->n ? l->n : 1) * sizeof *order);
    if (!order) return cd_error_set(err, CD_EGENERAL, "out of memory");
    for (size_t i = 0; i < l->n; i++) order[i] = i;
    g_sort_list = l;
    qsort(order, l->n, sizeof *order, by_file_name);
    for (size_t k = 0; k + 1 < l->n; k++) {
        cd_batch_job *a = &l->jobs[order[k]];
        size_t m = k + 1;
        while (m < l->n && strcmp(l->jobs[order[m]].file_name, a->file_name) == 0) m++;
        if (m == k + 1) continue;
        for (size_t q = k; q < m; q++) {
            cd_batch_job *j = &l->jobs[order[q]];
            char hex[65];
            cd_sha256(j->case_ref, strlen(j->case_ref), hex);
            size_t len = strlen(j->file_name) + 16;
            char *name = malloc(len);
            if (!name) { free(order); return cd_error_set(err, CD_EGENERAL, "out of memory"); }
            snprintf(name, len, "%.*s-%.8s.pdf", (int)(strlen(j->file_name) - 4), j->file_name, hex);
            free(j->file_name);
            j->file_name = name;
        }
        k = m - 1;
    }
    free(order);
    return CD_OK;
}

/* ---- the command ----------------------------------------------------------------- */

/* Creates dir (mode 0700) if missing; it must be a folder. */
static int ensure_dir(const char *dir, cd_error *err)
{
    struct stat st;
    if (stat(dir, &st) == 0) {
        if (!S_ISDIR(st.st_mode))
            return cd_error_set(err, CD_EGENERAL, "%s exists and is not a folder", dir);
        return CD_OK;
    }
    if (mkdir(dir, 0700) != 0)
        return cd_error_set(err, CD_EGENERAL, "cannot create the folder %s: %s", dir, strerror(errno));
    return CD_OK;
}

int cmd_batch(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},
        {"month", required_argument, NULL, 'm'},
        {"out", required_argument, NULL, 'o'},
        {"jobs", required_argument, NULL, 'j'},
        {"kind", required_argument, NULL, 'k'},
        {"date-of-run", required_argument, NULL, 'r'},
        {"template-dir", required_argument, NULL, 't'},
        {NULL, 0, NULL, 0}};
    const char *db = NULL, *month = NULL, *dir = NULL, *kind_word = "review", *run_word = NULL;
    const char *template_dir = NULL;
    long workers = sysconf(_SC_NPROCESSORS_ONLN);
    if (workers < 1) workers = 1;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "j:", longopts, NULL)) != -1) {
        switch (opt) {
        case 'd': db = optarg; break;
        case 'm': month = optarg; break;
        case 'o': dir = optarg; break;
        case 'k': kind_word = optarg; break;
        case 'r': run_word = optarg; break;
        case 't': template_dir = optarg; break;
        case 'j': {
            char *end;
            errno = 0;
            workers = strtol(optarg, &end, 10);
            if (errno || *end || end == optarg || workers < 1 || workers > 256)
                return cd_cli_usage_error("batch", "-j takes a number of workers from 1 to 256, not '%s'", optarg);
            break;
        }
        default: return cd_cli_usage_error("batch", "unknown option");
        }
    }
    if (optind < argc) return cd_cli_usage_error("batch", "unexpected argument '%s'", argv[optind]);
    if (!db || !month || !dir)
        return cd_cli_usage_error("batch", "--db, --month and --out are required");
    cd_doc_kind kind;
    if (strcmp(kind_word, "review") == 0) kind = CD_DOC_REVIEW;
    else if (strcmp(kind_word, "breach") == 0) kind = CD_DOC_BREACH;
    else return cd_cli_usage_error("batch", "--kind is review or breach, not '%s'", kind_word);
    cd_date month_start, month_end, run_date;
    if (!cd_month_parse(month, &month_start, &month_end))
        return cd_cli_usage_error("batch", "--month takes YYYY-MM (e.g. 2026-12), not '%s'", month);
    if (run_word && !cd_date_parse(run_word, &run_date))
        return cd_cli_usage_error("batch", "--date-of-run takes a real date YYYY-MM-DD, not '%s'", run_word);

    cd_error err = {0, {0}};
    cd_store *s = NULL;
    cd_due_document *due = NULL;
    size_t ndue = 0;
    job_list jobs = {NULL, 0};
    int rc = cd_store_open(db, CD_STORE_READONLY, &s, &err);
    /* the plan is made from one snapshot of the store */
    if (rc == CD_OK) rc = cd_plan_due(s, kind, month, run_word, &due, &ndue, &err);
    cd_store_close(s);      /* never carried across the fork */
    if (rc == CD_OK) rc = plan_jobs(&jobs, due, ndue, cd_doc_kind_name(kind), &err);
    if (rc == CD_OK) rc = name_files(&jobs, kind, &err);
    if (rc == CD_OK) rc = ensure_dir(dir, &err);
    if (rc == CD_OK) {
        cd_out_clean_stale(dir);          /* temporary files of a killed run */
        rc = cd_batch_index_start(dir, &err);
    }

    cd_batch_opts bo;
    memset(&bo, 0, sizeof bo);
    if (rc == CD_OK) {
        batch_context ctx = {db, template_dir, kind, dir};
        cd_batch_renderer r = {worker_open, worker_render, worker_close, &ctx, worker_author_notes,
                               worker_missing_glyphs, worker_publish, publish_group_size()};
        bo.workers = (int)workers;
        bo.progress_bar = isatty(STDERR_FILENO);
        bo.log = stderr;
        rc = cd_batch_run(dir, jobs.jobs, jobs.n, &r, &bo, &err);
        if (rc == CD_OK || rc == CD_EPARTIAL) {
            int irc = cd_batch_write_index(dir, jobs.jobs, jobs.n, &err);
            if (irc != CD_OK) rc = irc;
        }
    }
    if (rc == CD_OK || rc == CD_EPARTIAL) {
        int used = jobs.n < (size_t)workers ? (int)jobs.n : (int)workers;
        if (jobs.n == 0) printf("batch: nothing is due in %s; index %s/index.csv is empty\n", month, dir);
        else {
            printf("batch: %zu %s%s for %s written to %s (index %s/index.csv)",
                   bo.done, kind_word, bo.done == 1 ? "" : "s", month, dir, dir);
            if (bo.failed) printf(", %zu failed", bo.failed);
            if (bo.interrupted_by) printf(", %zu not rendered (interrupted)", bo.not_started);
            printf("; %.1f s, %.1f documents/s over %d worker%s, peak memory per worker %.1f MB\n",
                   bo.seconds, bo.seconds > 0 ? (double)bo.done / bo.seconds : 0.0, used,
                   used == 1 ? "" : "s", (double)bo.worker_peak_rss_kb / 1024.0);
        }
    }
    if (rc == CD_OK || rc == CD_EPARTIAL) cd_batch_print_attention(stdout, jobs.jobs, jobs.n);
    for (size_t i = 0; i < jobs.n; i++) {
        free(jobs.jobs[i].file_name);
        free(jobs.jobs[i].author_warnings);
    }
    free(jobs.jobs);
    cd_due_documents_free(due, ndue);
    if (bo.interrupted_by) {
        fprintf(stderr, "courtdocs batch: interrupted: %zu documents written, %zu not rendered\n",
                bo.done, bo.not_started);
        return 128 + bo.interrupted_by;
    }
    if (rc == CD_EPARTIAL) return CD_EPARTIAL;
    if (rc != CD_OK) return cd_cli_fail("batch", &err);
    return bo.missing_glyphs ? CD_EGLYPHS : CD_OK;
}


