/* batch.c -- the batch engine (see batch.h): forks N workers that take jobs
 * from a shared counter and render them (publishing them in groups when the
 * renderer does), collects each result through the worker's own pipe in a
 * record of any length, draws progress, forwards Ctrl-C / SIGTERM to the
 * workers, and writes the folder's index.csv. The engine is independent of
 * what is rendered: the `batch` command plans the jobs and gives the render
 * and publish functions.
 *
 * Processes, not threads: the template cache, the font cache and SQLite
 * connections are per process, and a worker that crashes on one case loses
 * only the document it was rendering and the group it held unpublished (the
 * parent reports them and the others carry on with the remaining jobs). */
#define _GNU_SOURCE
#include "batch.h"
#include "outfile.h"
#include "sha256.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <stdio.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Shared between the parent and the workers (anonymous shared mapping). */
typedef struct {
    atomic_size_t next;          /* the next job to hand out */
    atomic_long current[];       /* per worker: the job it is rendering, or -1 */
} shared_state;

/* One result, parent-bound, on the worker's own pipe: this fixed part, then
 * message_len bytes of the failure's message and warnings_len bytes of the
 * author warnings (one per line). Each worker has its own pipe, so records
 * of any length never interleave. */
typedef struct {
    uint32_t index;
    int32_t code;
    int32_t pages;
    int32_t draft;
    int32_t missing_glyphs;
    char sha256[65];
    uint64_t message_len;
    uint64_t warnings_len;
} result_head;

/* A result in the worker, until it is sent. */
typedef struct {
    result_head h;
    char message[sizeof ((cd_error *)0)->message];
    char *warnings;              /* one per line (heap), or NULL */
} result;

/* ---- signals --------------------------------------------------------------- */

static pid_t *volatile g_workers;     /* the parent's workers, for forwarding */
static volatile sig_atomic_t g_nworkers;
static volatile sig_atomic_t g_interrupted;

/* Parent: remember the signal and pass it on to every worker. */
static void on_parent_signal(int sig)
{
    if (!g_interrupted) g_interrupted = sig;
    pid_t *w = g_workers;
    for (sig_atomic_t i = 0; w && i < g_nworkers; i++)
        if (w[i] > 0) kill(w[i], sig);
}

static volatile sig_atomic_t g_worker_stop;   /* a worker: the signal that stops it */

/* Worker: note the signal; the worker stops between two documents, once it
 * has published what it holds. Signals are held while a document is
 * rendered and published, so this runs only between documents (or while
 * the worker starts), when no temporary file of its own is half-written. */
static void on_worker_signal(int sig)
{
    if (!g_worker_stop) g_worker_stop = sig;
}

static void set_handler(int sig, void (*fn)(int), struct sigaction *old)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;              /* no SA_RESTART: the parent's read() returns EINTR */
    sigaction(sig, &sa, old);
}

/* ---- workers ---------------------------------------------------------------- */

static int write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len) {
        ssize_t w = write(fd, p, len);
        if (w < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

/* Copies at most cap-1 bytes of s into dst, never cutting a UTF-8 sequence. */
static void copy_message(char *dst, size_t cap, const char *s)
{
    size_t n = strlen(s);
    if (n >= cap) {
        n = cap - 1;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
    }
    memcpy(dst, s, n);
    dst[n] = '\0';
}

/* Sends result r on fd: its fixed part, message and warnings in one write
 * (the pipe is this worker's alone). Returns 0, or -1 when the parent is
 * gone. */
static int send_result(int fd, result *r)
{
    size_t mlen = strlen(r->message), wlen = r->warnings ? strlen(r->warnings) : 0;
    r->h.message_len = mlen;
    r->h.warnings_len = wlen;
    size_t len = sizeof r->h + mlen + wlen;
    char *buf = malloc(len);
    if (!buf) return -1;
    memcpy(buf, &r->h, sizeof r->h);
    memcpy(buf + sizeof r->h, r->message, mlen);
    if (wlen) memcpy(buf + sizeof r->h + mlen, r->warnings, wlen);
    int rc = write_all(fd, buf, len);
    free(buf);
    return rc;
}

/* A worker's documents rendered and held for its next publish. */
typedef struct {
    result *held;
    size_t n, cap;
    cd_error *each;              /* room for cap outcomes */
} worker_group;

/* Publishes the documents held (r->publish), marks the ones that could not
 * be put in place as failed, and sends every result to the parent. Returns
 * 0, or -1 when the parent is gone. */
static int publish_and_send(int wfd, worker_group *g, void *w, const cd_batch_renderer *r)
{
    if (g->n == 0) return 0;
    int rc = 0;
    for (size_t k = 0; k < g->n; k++) g->each[k] = (cd_error){0, {0}};
    r->publish(w, g->n, g->each);
    for (size_t k = 0; k < g->n; k++) {
        result *res = &g->held[k];
        if (g->each[k].code) {
            res->h.code = g->each[k].code;
            copy_message(res->message, sizeof res->message,
                         g->each[k].message[0] ? g->each[k].message : "could not be published");
            free(res->warnings);
            res->warnings = NULL;
        }
        if (rc == 0 && send_result(wfd, res) != 0) rc = -1;
        free(res->warnings);
        res->warnings = NULL;
    }
    g->n = 0;
    return rc;
}

/* The worker process: takes jobs until none are left (or a signal stops
 * it), reports each, publishing in groups when the renderer does. */
static void worker_main(int wfd, shared_state *sh, int slot, const char *dir,
                        const cd_batch_job *jobs, size_t n, const cd_batch_renderer *r)
{
    g_worker_stop = 0;
    set_handler(SIGINT, on_worker_signal, NULL);
    set_handler(SIGTERM, on_worker_signal, NULL);
    set_handler(SIGHUP, on_worker_signal, NULL);
    signal(SIGPIPE, SIG_DFL);
    /* a parent killed outright (kill -9) takes its workers with it: each
     * finishes the document it holds, publishes its group, then stops */
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() == 1) _exit(128 + SIGTERM);
    sigset_t set, held;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    sigprocmask(SIG_UNBLOCK, &set, NULL);

    cd_error open_err = {0, {0}};
    void *w = r->open(r->ctx, &open_err);
    size_t group = r->publish ? (r->group ? r->group : 1) : 0;
    worker_group g = {NULL, 0, 0, NULL};
    if (group) {
        g.held = calloc(group, sizeof *g.held);
        g.each = calloc(group, sizeof *g.each);
        g.cap = g.held && g.each ? group : 0;
    }
    int status = 0;
    for (;;) {
        /* Signals are held for the whole of a document (rendered, and
         * published or held for its group) and for each publish: a signal
         * arriving meanwhile stops the worker between two documents, after
         * it has published what it holds (render.c, publish_held, explains
         * the order). */
        sigprocmask(SIG_BLOCK, &set, &held);
        if (g_worker_stop) break;
        size_t i = atomic_fetch_add(&sh->next, 1);
        if (i >= n) break;
        atomic_store(&sh->current[slot], (long)i);
        result res;
        memset(&res, 0, sizeof res);
        res.h.index = (uint32_t)i;
        cd_error err = {0, {0}};
        char out_path[4096];
        int rc = CD_EGENERAL;
        if (!w) {
            err = open_err;
            if (!err.code) err.code = CD_EGENERAL;
        } else if (group && g.cap == 0) {
            cd_error_set(&err, CD_EGENERAL, "out of memory");
        } else if (snprintf(out_path, sizeof out_path, "%s/%s", dir, jobs[i].file_name)
                   >= (int)sizeof out_path) {
            cd_error_set(&err, CD_EGENERAL, "%s: the output path is too long", jobs[i].file_name);
        } else {
            int pages = 0;
            rc = r->render(w, &jobs[i], out_path, &pages, res.h.sha256, &err);
            if (rc && !err.code) err.code = rc;
            res.h.pages = pages;
            if (!rc && r->author_notes) {
                int draft = 0;
                r->author_notes(w, &draft, &res.warnings);
                res.h.draft = draft;
            }
            if (rc == CD_OK && r->missing_glyphs) res.h.missing_glyphs = r->missing_glyphs(w);
        }
        res.h.code = err.code;
        if (err.code) copy_message(res.message, sizeof res.message,
                                   err.message[0] ? err.message : "failed");
        if (rc == CD_OK && group) {
            g.held[g.n++] = res;           /* reported once published */
            if (g.n == g.cap && publish_and_send(wfd, &g, w, r) != 0) { status = 1; break; }
        } else {
            int sent = send_result(wfd, &res);
            free(res.warnings);
            if (sent != 0) { status = 1; break; }
        }
        atomic_store(&sh->current[slot], -1L);
        sigprocmask(SIG_SETMASK, &held, NULL);
    }
    /* signals held: what was rendered is published before the worker stops */
    atomic_store(&sh->current[slot], -1L);
    if (status == 0 && publish_and_send(wfd, &g, w, r) != 0) status = 1;
    if (w) r->close(w);
    for (size_t k = 0; k < g.n; k++) free(g.held[k].warnings);
    free(g.held);
    free(g.each);
    close(wfd);
    /* exit, not _exit: leak checkers see the worker too */
    exit(g_worker_stop ? 128 + g_worker_stop : status);
}

/* ---- progress ----------------------------------------------------------------- */

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* "[#########-----------]  120/400  35.2 docs/s  0:08 left", redrawn in place. */
static void draw_bar(FILE *log, size_t finished, size_t total, double elapsed)
{
    enum { WIDTH = 30 };
    int filled = total ? (int)((double)WIDTH * (double)finished / (double)total) : WIDTH;
    char bar[WIDTH + 1];
    for (int i = 0; i < WIDTH; i++) bar[i] = i < filled ? '#' : '-';
    bar[WIDTH] = '\0';
    double rate = elapsed > 0 ? (double)finished / elapsed : 0;
    fprintf(log, "\r\033[K[%s] %zu/%zu  %.1f docs/s", bar, finished, total, rate);
    if (rate > 0 && finished < total) {
        long left = (long)((double)(total - finished) / rate + 0.5);
        fprintf(log, "  %ld:%02ld left", left / 60, left % 60);
    }
    fflush(log);
}

static void report_result(const cd_batch_opts *o, const cd_batch_job *j, size_t finished,
                          size_t total)
{
    if (o->progress_bar) {
        if (j->state == CD_BATCH_FAILED)
            fprintf(o->log, "\r\033[Kfailed: case %s (%s %s): %s\n", j->case_ref, j->kind,
                    j->date, j->message);
        return;
    }
    if (j->state == CD_BATCH_DONE)
        fprintf(o->log, "[%zu/%zu] %s  case %s, %s %s, %d page%s\n", finished, total,
                j->file_name, j->case_ref, j->kind, j->date, j->pages, j->pages == 1 ? "" : "s");
    else
        fprintf(o->log, "[%zu/%zu] FAILED  case %s, %s %s: %s\n", finished, total,
                j->case_ref, j->kind, j->date, j->message);
    fflush(o->log);
}

/* Marks a job failed with a message holding one number (a signal or status). */
static void fail_job(cd_batch_job *j, int code, const char *fmt, int arg)
{
    j->state = CD_BATCH_FAILED;
    j->code = code;
    snprintf(j->message, sizeof j->message, fmt, arg);
}

/* ---- results ----------------------------------------------------------------- */

/* The parent's end of one worker's pipe: bytes read and not yet decoded. */
typedef struct {
    int fd;
    char *buf;
    size_t len, cap;
} result_reader;

/* "a; b; c" from warnings given one per line (malloc'd; NULL when none). */
static char *joined_warnings(const char *lines, size_t len)
{
    cd_strbuf b = CD_STRBUF_INIT;
    for (size_t i = 0; i < len; i++) {
        if (lines[i] != '\n') cd_strbuf_addc(&b, lines[i]);
        else if (i + 1 < len && b.len) cd_strbuf_add(&b, "; ");
    }
    char *out = b.len ? strdup(cd_strbuf_str(&b)) : NULL;
    cd_strbuf_free(&b);
    return out;
}

/* Takes one decoded result into its job. */
static void take_result(cd_batch_job *jobs, const result_head *h, const char *message,
                        const char *warnings)
{
    cd_batch_job *j = &jobs[h->index];
    j->code = h->code;
    j->pages = h->pages;
    if (h->code == 0) {
        j->state = CD_BATCH_DONE;
        j->missing_glyphs = h->missing_glyphs;
        memcpy(j->sha256, h->sha256, sizeof j->sha256);
        j->sha256[64] = '\0';
        j->draft = h->draft != 0;
        free(j->author_warnings);
        j->author_warnings = joined_warnings(warnings, h->warnings_len);
    } else {
        j->state = CD_BATCH_FAILED;
        size_t m = h->message_len < sizeof j->message ? h->message_len : sizeof j->message - 1;
        char msg[sizeof j->message];
        memcpy(msg, message, m);
        msg[m] = '\0';
        copy_message(j->message, sizeof j->message, msg);
    }
}

/* Reads what the worker sent, decodes every whole record into its job and
 * reports it (*finished counts the jobs reported). Returns 0 at the end of
 * the pipe (the worker has finished, or died), 1 while more may come. */
static int read_results(result_reader *rd, cd_batch_job *jobs, size_t n, const cd_batch_opts *o,
                        size_t *finished)
{
    if (rd->cap - rd->len < 65536) {
        size_t cap = rd->cap ? rd->cap * 2 : 131072;
        char *b = realloc(rd->buf, cap);
        if (!b) return 0;
        rd->buf = b;
        rd->cap = cap;
    }
    ssize_t got = read(rd->fd, rd->buf + rd->len, rd->cap - rd->len);
    if (got < 0) return errno == EINTR || errno == EAGAIN;
    if (got == 0) return 0;
    rd->len += (size_t)got;
    size_t off = 0;
    for (;;) {
        result_head h;
        if (rd->len - off < sizeof h) break;
        memcpy(&h, rd->buf + off, sizeof h);
        size_t whole = sizeof h + (size_t)h.message_len + (size_t)h.warnings_len;
        if (rd->len - off < whole) break;
        const char *msg = rd->buf + off + sizeof h;
        if (h.index < n) {
            take_result(jobs, &h, msg, msg + h.message_len);
            report_result(o, &jobs[h.index], ++*finished, n);
        }
        off += whole;
    }
    memmove(rd->buf, rd->buf + off, rd->len - off);
    rd->len -= off;
    return 1;
}

/* ---- the run ------------------------------------------------------------------ */

int cd_batch_run(const char *dir, cd_batch_job *jobs, size_t n,
                 const cd_batch_renderer *r, cd_batch_opts *o, cd_error *err)
{
    o->seconds = 0;
    o->worker_peak_rss_kb = 0;
    o->interrupted_by = 0;
    o->done = o->failed = o->not_started = o->missing_glyphs = 0;
    if (!o->log) o->log = stderr;
    if (n == 0) return CD_OK;
    if (n > UINT32_MAX) return cd_error_set(err, CD_EGENERAL, "too many documents for one batch");
    int nw = o->workers < 1 ? 1 : o->workers;
    if ((size_t)nw > n) nw = (int)n;

    size_t shsize = sizeof(shared_state) + (size_t)nw * sizeof(atomic_long);
    shared_state *sh = mmap(NULL, shsize, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (sh == MAP_FAILED)
        return cd_error_set(err, CD_EGENERAL, "cannot share memory with the workers: %s", strerror(errno));
    atomic_init(&sh->next, 0);
    for (int i = 0; i < nw; i++) atomic_init(&sh->current[i], -1L);

    pid_t *pids = calloc((size_t)nw, sizeof *pids);
    result_reader *rd = calloc((size_t)nw, sizeof *rd);
    struct pollfd *pfd = calloc((size_t)nw, sizeof *pfd);
    if (!pids || !rd || !pfd) {
        free(pids);
        free(rd);
        free(pfd);
        munmap(sh, shsize);
        return cd_error_set(err, CD_EGENERAL, "out of memory");
    }
    for (int i = 0; i < nw; i++) rd[i].fd = -1;

    /* Signals stay blocked while forking, so that no worker runs the parent's
     * handler and no signal is lost between two forks. */
    sigset_t block, saved;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigprocmask(SIG_BLOCK, &block, &saved);
    struct sigaction old_int, old_term;
    g_interrupted = 0;
    g_workers = pids;
    g_nworkers = 0;
    set_handler(SIGINT, on_parent_signal, &old_int);
    set_handler(SIGTERM, on_parent_signal, &old_term);
    fflush(NULL);

    double t0 = now_seconds();
    int started = 0;
    int fork_errno = 0;
    for (int i = 0; i < nw; i++) {
        int fds[2];
        if (pipe(fds) != 0) { fork_errno = errno; break; }
        pid_t pid = fork();
        if (pid == 0) {
            /* the worker keeps only its own pipe's writing end */
            for (int k = 0; k < i; k++) close(rd[k].fd);
            close(fds[0]);
            worker_main(fds[1], sh, i, dir, jobs, n, r);
        }
        close(fds[1]);
        if (pid < 0) { fork_errno = errno; close(fds[0]); break; }
        rd[i].fd = fds[0];
        pids[i] = pid;
        started++;
        g_nworkers = started;
    }
    sigprocmask(SIG_SETMASK, &saved, NULL);
    if (started == 0) {
        free(rd);
        free(pfd);
        sigaction(SIGINT, &old_int, NULL);
        sigaction(SIGTERM, &old_term, NULL);
        g_workers = NULL;
        free(pids);
        munmap(sh, shsize);
        return cd_error_set(err, CD_EGENERAL, "cannot start a worker process: %s", strerror(fork_errno));
    }

    /* Collect results until every worker has closed its end of its pipe. */
    size_t finished = 0;
    double last_draw = 0;
    for (int open_pipes = started; open_pipes > 0;) {
        for (int i = 0; i < started; i++) {
            pfd[i].fd = rd[i].fd;                 /* -1 (ignored) once closed */
            pfd[i].events = POLLIN;
            pfd[i].revents = 0;
        }
        if (poll(pfd, (nfds_t)started, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        for (int i = 0; i < started; i++) {
            if (rd[i].fd < 0 || !(pfd[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            if (!read_results(&rd[i], jobs, n, o, &finished)) {
                close(rd[i].fd);
                rd[i].fd = -1;
                open_pipes--;
            }
        }
        double t = now_seconds();
        if (o->progress_bar && (t - last_draw >= 0.1 || finished == n)) {
            draw_bar(o->log, finished, n, t - t0);
            last_draw = t;
        }
    }
    free(pfd);
    for (int i = 0; i < started; i++) {
        if (rd[i].fd >= 0) close(rd[i].fd);
        free(rd[i].buf);
    }
    free(rd);

    /* Reap the workers; a worker that died mid-document loses that one. */
    for (int i = 0; i < started; i++) {
        int status = 0;
        struct rusage ru;
        memset(&ru, 0, sizeof ru);
        while (wait4(pids[i], &status, 0, &ru) < 0 && errno == EINTR) {}
        pids[i] = 0;                  /* reaped: never signalled again (its pid may be reused) */
        if (ru.ru_maxrss > o->worker_peak_rss_kb) o->worker_peak_rss_kb = ru.ru_maxrss;
        long cur = atomic_load(&sh->current[i]);
        if (cur >= 0 && (size_t)cur < n && jobs[cur].state == CD_BATCH_PENDING && !g_interrupted) {
            if (WIFSIGNALED(status))
                fail_job(&jobs[cur], CD_EGENERAL,
                         "the worker process rendering it was killed by signal %d", WTERMSIG(status));
            else
                fail_job(&jobs[cur], CD_EGENERAL,
                         "the worker process rendering it stopped (exit status %d)", WEXITSTATUS(status));
            finished++;
            report_result(o, &jobs[cur], finished, n);
        }
    }
    /* Jobs a worker took whose results never came: rendered and held for a
     * group that its worker, dying, never published (no audit row, no file;
     * the temporary files go at the next run in the folder). */
    size_t taken = atomic_load(&sh->next);
    for (size_t i = 0; i < taken && i < n; i++)
        if (jobs[i].state == CD_BATCH_PENDING) {
            jobs[i].state = CD_BATCH_FAILED;
            jobs[i].code = CD_EGENERAL;
            snprintf(jobs[i].message, sizeof jobs[i].message, "the worker process that rendered it "
                     "stopped before publishing it: it was never put in place");
            finished++;
            report_result(o, &jobs[i], finished, n);
        }
    o->seconds = now_seconds() - t0;
    o->interrupted_by = g_interrupted;
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    g_workers = NULL;
    g_nworkers = 0;
    free(pids);
    munmap(sh, shsize);
    if (o->progress_bar) {
        draw_bar(o->log, finished, n, o->seconds);
        fputc('\n', o->log);
    }

    for (size_t i = 0; i < n; i++) {
        if (jobs[i].state == CD_BATCH_PENDING && !o->interrupted_by)
{
            jobs[i].state = CD_BATCH_FAILED;
            jobs[i].code = CD_EGENERAL;
            snprintf(jobs[i].message, sizeof jobs[i].message,
                     "not rendered: every worker process stopped before reaching it");
        }
        if (jobs[i].state == CD_BATCH_DONE) {
            o->done++;
            if (jobs[i].missing_glyphs) o->missing_glyphs++;
        }
        else if (jobs[i].state == CD_BATCH_FAILED) o->failed++;
        else o->not_started++;
    }
    if (o->failed) {
        fprintf(o->log, "%zu document%s failed:\n", o->failed, o->failed == 1 ? "" : "s");
        for (size_t i = 0; i < n; i++)
            if (jobs[i].state == CD_BATCH_FAILED)
                fprintf(o->log, "  case %s (%s %s): %s\n", jobs[i].case_ref, jobs[i].kind,
                        jobs[i].date, jobs[i].message);
    }
    if (o->missing_glyphs) {
        fprintf(o->log, "%zu document%s written with characters the fonts cannot draw (printed as "
                "replacement marks):\n", o->missing_glyphs, o->missing_glyphs == 1 ? "" : "s");
        for (size_t i = 0; i < n; i++)
            if (jobs[i].state == CD_BATCH_DONE && jobs[i].missing_glyphs)
                fprintf(o->log, "  case %s (%s %s): %d field%s\n", jobs[i].case_ref, jobs[i].kind,
                        jobs[i].date, jobs[i].missing_glyphs, jobs[i].missing_glyphs == 1 ? "" : "s");
    }
    fflush(o->log);
    return (o->failed || o->interrupted_by) ? CD_EPARTIAL : CD_OK;
}

/* ---- the index ------------------------------------------------------------------ */

/* The folder's index.csv: "every PDF in the folder has its line". Workers
 * append a group's lines (cd_batch_index_append, the group's recorder) after
 * its audit rows and before its documents are renamed into place (render.c,
 * publish_held), so a line may name a file that never appeared (kill -9
 * between the two) but no file lacks its line. At the end of a run the parent rewrites the index whole
 * (cd_batch_write_index): this run's documents in plan order, then lines
 * of earlier runs whose file is still there with that sha256. */

#define INDEX_HEADER "case_ref,kind,date,pages,sha256,file,status,author_warnings\r\n"

static int index_path(const char *dir, char **path, cd_error *err)
{
    if (asprintf(path, "%s/index.csv", dir) < 0) {
        *path = NULL;
        return cd_error_set(err, CD_EGENERAL, "out of memory");
    }
    return CD_OK;
}

size_t cd_batch_print_attention(FILE *out, const cd_batch_job *jobs, size_t n)
{
    size_t count = 0, done = 0;
    for (size_t i = 0; i < n; i++)
        if (jobs[i].state == CD_BATCH_DONE) {
            done++;
            if (jobs[i].draft || jobs[i].author_warnings) count++;
        }
    if (!count)
        return 0;
    fprintf(out, "%zu of %zu document%s need%s the author's attention (index.csv, columns status and "
            "author_warnings):\n", count, done, done == 1 ? "" : "s", count == 1 ? "s" : "");
    for (size_t i = 0; i < n; i++) {
        const cd_batch_job *j = &jobs[i];
        if (j->state != CD_BATCH_DONE || (!j->draft && !j->author_warnings)) continue;
        fprintf(out, "  %s (case %s)%s%s%s\n", j->file_name, j->case_ref, j->draft ? ": DRAFT" : "",
                j->author_warnings ? (j->draft ? "; " : ": ") : "",
                j->author_warnings ? j->author_warnings : "");
    }
    return count;
}

/* One index line for a document, CRLF-terminated, in a malloc'd string:
 * status is "draft" or "final", warnings the author warnings ("; " between
 * them) or NULL. */
static char *index_line(const cd_batch_job *j, int pages, const char *sha256, int draft,
                        const char *warnings, size_t *len)
{
    char *buf = NULL;
    *len = 0;
    FILE *f = open_memstream(&buf, len);
    if (!f) return NULL;
    cd_csv_field(f, j->case_ref);
    fputc(',', f);
    cd_csv_field(f, j->kind);
    fprintf(f, ",%s,%d,%s,", j->date, pages, sha256);
    cd_csv_field(f, j->file_name);
    fputs(draft ? ",draft," : ",final,", f);
    /* warnings come one per line from a render and "; "-joined from a job */
    char *joined = warnings ? joined_warnings(warnings, strlen(warnings)) : NULL;
    cd_csv_field(f, joined);
    free(joined);
    fputs("\r\n", f);
    if (fclose(f) != 0) { free(buf); return NULL; }
    return buf;
}

int cd_batch_index_start(const char *dir, cd_error *err)
{
    char *path;
    int rc = index_path(dir, &path, err);
    if (rc) return rc;
    struct stat st;
    if (lstat(path, &st) == 0 && S_ISREG(st.st_mode)) { free(path); return CD_OK; }
    rc = cd_out_write_file(path, INDEX_HEADER, sizeof INDEX_HEADER - 1, err);
    free(path);
    return rc;
}

int cd_batch_index_append(const char *dir, const cd_published *docs, size_t n, cd_error *err)
{
    if (n == 0) return CD_OK;
    char *path;
    int rc = index_path(dir, &path, err);
    if (rc) return rc;
    cd_strbuf lines = CD_STRBUF_INIT;
    int e = 0;
    for (size_t i = 0; i < n && !e; i++) {
        const cd_published *d = &docs[i];
        size_t len;
        char *line = index_line(d->tag, d->pages, d->sha256, d->is_draft, d->author_warnings, &len);
        if (!line) e = ENOMEM;
        else cd_strbuf_addn(&lines, line, len);
        free(line);
    }
    int fd = e ? -1 : open(path, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW);
    if (!e && fd < 0) e = errno;
    if (fd >= 0) {
        /* one write: appends from several workers never interleave */
        ssize_t w = write(fd, lines.s, lines.len);
        if (w != (ssize_t)lines.len) e = w < 0 ? errno : EIO;
        else if (fsync(fd) != 0) e = errno;
        if (close(fd) != 0 && !e) e = errno;
    }
    if (e)
        rc = cd_error_set(err, CD_EGENERAL, "%s: cannot add the document%s line%s to the index: %s",
                          path, n == 1 ? "'s" : "s'", n == 1 ? "" : "s", strerror(e));
    cd_strbuf_free(&lines);
    free(path);
    return rc;
}

/* Splits the CSV text at *p into one record: fields 5 (sha256) and 6 (file)
 * are copied out (unquoted); *raw and *rawlen give the record as written. Returns
 * 0 at the end of the text. */
static int next_record(const char **p, const char **raw, size_t *rawlen, cd_strbuf *sha, cd_strbuf *file)
{
    const char *s = *p;
    if (!*s) return 0;
    *raw = s;
    cd_strbuf_reset(sha);
    cd_strbuf_reset(file);
    int field = 1, quoted = 0;
    for (; *s; s++) {
        char c = *s;
        if (quoted) {
            if (c == '"' && s[1] == '"') { s++; }
            else if (c == '"') { quoted = 0; continue; }
        } else if (c == '"') { quoted = 1; continue; }
        else if (c == ',') { field++; continue; }
        else if (c == '\n') { s++; break; }
        else if (c == '\r') continue;
        if (field == 5) cd_strbuf_addc(sha, c);
        else if (field == 6) cd_strbuf_addc(file, c);
    }
    *rawlen = (size_t)(s - *raw);
    *p = s;
    return 1;
}

/* Orders file names (const char *) by strcmp, for qsort and bsearch. */
static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int cd_batch_write_index(const char *dir, const cd_batch_job *jobs, size_t n, cd_error *err)
{
    char *path;
    int rc = index_path(dir, &path, err);
    if (rc) return rc;
    cd_strbuf out = CD_STRBUF_INIT, sha = CD_STRBUF_INIT, file = CD_STRBUF_INIT;
    cd_strbuf_add(&out, INDEX_HEADER);
    for (size_t i = 0; i < n; i++) {
        if (jobs[i].state != CD_BATCH_DONE) continue;
        size_t len;
        char *line = index_line(&jobs[i], jobs[i].pages, jobs[i].sha256, jobs[i].draft,
                                jobs[i].author_warnings, &len);
        if (!line) { rc = cd_error_set(err, CD_EGENERAL, "out of memory"); goto done; }
        cd_strbuf_addn(&out, line, len);
        free(line);
    }
    /* lines of earlier runs (and of this run's documents that failed after
     * their line was written): kept, the latest per file, only when that
     * file is there with that sha256 */
    size_t oldlen = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    char *old = NULL;
    if (fd >= 0) {
        struct stat st;
        if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (old = malloc((size_t)st.st_size + 1))) {
            ssize_t got;
            while (oldlen < (size_t)st.st_size &&
                   (got = read(fd, old + oldlen, (size_t)st.st_size - oldlen)) > 0)
                oldlen += (size_t)got;
            old[oldlen] = '\0';
        }
        close(fd);
    }
    /* this run's documents by file name: their older lines are dropped (the
     * index holds a line for each document appended as it was published, so
     * there are as many older lines as documents) */
    const char **now = malloc((n ? n : 1) * sizeof *now);
    size_t nnow = 0;
    if (!now) { free(old); rc = cd_error_set(err, CD_EGENERAL, "out of memory"); goto done; }
    for (size_t i = 0; i < n; i++)
        if (jobs[i].state == CD_BATCH_DONE) now[nnow++] = jobs[i].file_name;
    qsort(now, nnow, sizeof *now, by_name);
    /* the records, then per file name the latest whose sha256 is the file's */
    typedef struct { const char *raw; size_t rawlen; char *name, *sha; int keep; } old_line;
    old_line *lines = NULL;
    size_t nlines = 0, cap = 0;
    const char *p = old ? old : "", *raw;
    size_t rawlen;
    int first = 1;
    while (next_record(&p, &raw, &rawlen, &sha, &file)) {
        if (first) { first = 0; if (strncmp(raw, "case_ref,", 9) == 0) continue; }
        const char *name = cd_strbuf_str(&file);
        if (!*name || strchr(name, '/') || name[0] == '.') continue;
        if (bsearch(&name, now, nnow, sizeof *now, by_name)) continue;     /* rendered now */
        if (nlines == cap) {
            cap = cap ? cap * 2 : 64;
            old_line *nl = realloc(lines, cap * sizeof *nl);
            if (!nl) { rc = cd_error_set(err, CD_EGENERAL, "out of memory"); break; }
            lines = nl;
        }
        old_line *l = &lines[nlines++];
        l->raw = raw;
        l->rawlen = rawlen;
        l->name = strdup(name);
        l->sha = strdup(cd_strbuf_str(&sha));
        l->keep = 0;
        if (!l->name || !l->sha) { rc = cd_error_set(err, CD_EGENERAL, "out of memory"); break; }
    }
    for (size_t i = nlines; !rc && i-- > 0;) {
        if (lines[i].keep < 0) continue;                 /* a later line of that file decided */
        char *fp = NULL, hex[65];
        cd_error ferr = {0, {0}};
        struct stat st;
        int have = asprintf(&fp, "%s/%s", dir, lines[i].name) >= 0 && lstat(fp, &st) == 0 &&
                   S_ISREG(st.st_mode) && cd_sha256_file(fp, hex, &ferr) == CD_OK;
        free(fp);
        int kept = 0;
        for (size_t k = i + 1; k-- > 0;) {               /* this file's lines, latest first */
            if (lines[k].keep < 0 || strcmp(lines[k].name, lines[i].name) != 0) continue;
            lines[k].keep = -1;
            if (have && !kept && strcmp(lines[k].sha, hex) == 0) { lines[k].keep = 1; kept = 1; }
        }
    }
    for (size_t i = 0; i < nlines; i++) {
        if (!rc && lines[i].keep == 1) {
            cd_strbuf_addn(&out, lines[i].raw, lines[i].rawlen);
            if (lines[i].raw[lines[i].rawlen - 1] != '\n') cd_strbuf_add(&out, "\r\n");
        }
        free(lines[i].name);
        free(lines[i].sha);
    }
    free(lines);
    free(now);
    if (rc) { free(old); goto done; }
    free(old);
    rc = cd_out_write_file(path, out.s, out.len, err);
    if (rc) cd_error_prefix(err, "cannot write the index: ");
done:
    cd_strbuf_free(&out);
    cd_strbuf_free(&sha);
    cd_strbuf_free(&file);
    free(path);
    return rc;
}
