/* tagging_ab.c -- what tagged PDF costs (issue 17), measured in one process:
 * every court review due in a month, as `courtdocs batch` renders them, is
 * rendered twice in a row, once tagged (structure tree, marked content,
 * artifacts) and once untagged, and each render is timed with the CPU clock
 * of this thread. The two renders of a document are milliseconds apart, so
 * the load of other tenants on a shared machine, which changes from second
 * to second, weighs on both alike and cancels in their ratio; which goes
 * first alternates from one document (and one pass) to the next, so a cache
 * warmed by the first render of a case favours each build equally.
 *
 *   tagging_ab --db STORE --month YYYY-MM --out DIR [-n REPEATS]
 *
 * Built by `make tagging-ab` into build-ab/ against a library compiled with
 * -O2 -DNDEBUG -DCD_TAGGING_SWITCH, where CD_TAGGING is the variable
 * cd_tagging_on (src/pdf.h) rather than the constant of the program's own
 * builds. Run from the top of the tree (the templates and fonts are found
 * there). bench/tagging.sh runs it (part 3).
 *
 * As the batch does (src/cmd_batch.c): the plan from cd_plan_due, one
 * read-only store connection, cd_render of each review into a publish group
 * with its author warnings collected, the group flushed every 64 documents.
 * Each build has its own group and folder (DIR/tagged, DIR/untagged), so
 * both write their files and audit rows as a batch does. Timed per
 * document: cd_render (reading the case, facts, layout, the PDF, its
 * SHA-256, writing the temporary file and starting its writeback). Timed
 * apart and reported apart: the group flushes (each file's fdatasync, the
 * audit transaction, the renames, the folder sync). Not timed: planning,
 * and one warm-up render of the first review each way (templates and fonts
 * loaded), published at once outside the groups. Time a thread spends
 * waiting for the disk is not CPU time and counts nowhere. */
#include "courtdocs.h"
#include "pdf.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#ifndef CD_TAGGING_SWITCH
#error "tagging_ab needs a library built with -DCD_TAGGING_SWITCH: make tagging-ab"
#endif

#define PUBLISH_GROUP 64      /* documents per publish group, as a batch's default */

enum { UNTAGGED, TAGGED, NBUILDS };
static const char *const BUILD_NAME[NBUILDS] = { "untagged", "tagged" };

/* CPU time of the calling thread (user + system), in milliseconds. */
static double thread_cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double wall_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) cd_out_of_memory();
    return p;
}

/* "DIR/SUB" or "DIR/SUB/NAME" (name may be NULL), malloc'd. */
static char *path_join(const char *dir, const char *sub, const char *name)
{
    size_t len = strlen(dir) + strlen(sub) + (name ? strlen(name) : 0) + 3;
    char *p = xmalloc(len);
    snprintf(p, len, name ? "%s/%s/%s" : "%s/%s", dir, sub, name ? name : "");
    return p;
}

/* Creates dir (mode 0700) unless it is already a folder; 0 on success. */
static int make_folder(const char *dir)
{
    struct stat st;
    if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode)) return 0;
    if (mkdir(dir, 0700) == 0) return 0;
    fprintf(stderr, "tagging_ab: cannot create the folder %s: %s\n", dir, strerror(errno));
    return 1;
}

/* Renders the review d with tagging on or off into group (NULL: published
 * at once) at path; *cpu_ms gets the thread CPU time of cd_render, *pages
 * its pages. Returns cd_render's code, err set. */
static int render_review(cd_store *s, const cd_due_document *d, int tagged, cd_publish_group *group,
                         const char *path, double *cpu_ms, int *pages, cd_error *err)
{
    cd_render_opts ro;
    memset(&ro, 0, sizeof ro);
    ro.date = d->date;
    ro.collect_warnings = 1;     /* as the batch: collected for its index */
    ro.group = group;
    cd_tagging_on = tagged;
    double t0 = thread_cpu_ms();
    int rc = cd_render(s, CD_DOC_REVIEW, d->case_ref, &ro, path, err);
    *cpu_ms = thread_cpu_ms() - t0;
    *pages = ro.pages;
    free(ro.author_warnings);
    return rc;
}

/* Flushes group (publishing its documents); adds its thread CPU time to
 * *cpu_ms and the documents published to *published. 0 on success. */
static int flush_group(cd_publish_group *group, const char *build, double *cpu_ms, size_t *published)
{
    size_t n = cd_publish_group_held(group);
    if (!n) return 0;
    cd_error *each = xmalloc(n * sizeof *each);
    cd_error err = {0, {0}};
    double t0 = thread_cpu_ms();
    int rc = cd_publish_group_flush(group, each, &err);
    *cpu_ms += thread_cpu_ms() - t0;
    free(each);
    if (rc != CD_OK) {
        fprintf(stderr, "tagging_ab: publishing the %s documents: %s\n", build, err.message);
        return 1;
    }
    *published += n;
    return 0;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The q-quantile (0..1) of the n sorted values v, interpolated linearly
 * between the two nearest ranks. */
static double quantile(const double *v, size_t n, double q)
{
    if (n == 0) return 0.0;
    double pos = q * (double)(n - 1);
    size_t i = (size_t)pos;
    double frac = pos - (double)i;
    return i + 1 < n ? v[i] + frac * (v[i + 1] - v[i]) : v[i];
}

/* Sorts a copy of v[0..n) and gives its quartiles q[0..2]. */
static void quartiles(const double *v, size_t n, double q[3])
{
    double *c = xmalloc(n * sizeof *c);
    memcpy(c, v, n * sizeof *c);
    qsort(c, n, sizeof *c, by_value);
    q[0] = quantile(c, n, 0.25);
    q[1] = quantile(c, n, 0.5);
    q[2] = quantile(c, n, 0.75);
    free(c);
}

static int usage(void)
{
    fprintf(stderr, "Usage: tagging_ab --db STORE --month YYYY-MM --out DIR [-n REPEATS]\n");
    return 2;
}

int main(int argc, char **argv)
{
    const char *db = NULL, *month = NULL, *out = NULL;
    long repeats = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (i + 1 >= argc) return usage();
        if (strcmp(a, "--db") == 0) db = argv[++i];
        else if (strcmp(a, "--month") == 0) month = argv[++i];
        else if (strcmp(a, "--out") == 0) out = argv[++i];
        else if (strcmp(a, "-n") == 0) {
            char *end;
            repeats = strtol(argv[++i], &end, 10);
            if (*end || repeats < 1 || repeats > 1000) return usage();
        } else return usage();
    }
    if (!db || !month || !out) return usage();
    cd_errors_init();

    cd_error err = {0, {0}};
    cd_store *s = NULL;
    cd_due_document *due = NULL;
    size_t ndue = 0;
    if (cd_store_open(db, CD_STORE_READONLY, &s, &err) != CD_OK ||
        cd_plan_due(s, CD_DOC_REVIEW, month, NULL, &due, &ndue, &err) != CD_OK) {
        fprintf(stderr, "tagging_ab: %s\n", err.message);
        cd_store_close(s);
        return 1;
    }
    if (ndue == 0) {
        fprintf(stderr, "tagging_ab: no review is due in %s\n", month);
        cd_store_close(s);
        return 1;
    }

    char *dirs[NBUILDS];
    char **paths[NBUILDS];
    cd_publish_group *group[NBUILDS] = { NULL, NULL };
    int rc = make_folder(out);
    for (int b = 0; b < NBUILDS; b++) {
        dirs[b] = path_join(out, BUILD_NAME[b], NULL);
        paths[b] = xmalloc(ndue * sizeof *paths[b]);
        for (size_t i = 0; i < ndue; i++) {
            char *name = cd_document_file_name(CD_DOC_REVIEW, due[i].case_ref, due[i].date);
            if (!name) cd_out_of_memory();
            paths[b][i] = path_join(out, BUILD_NAME[b], name);
            free(name);
        }
        if (!rc) rc = make_folder(dirs[b]);
        if (!rc && cd_publish_group_new(s, NULL, NULL, &group[b], &err) != CD_OK) {
            fprintf(stderr, "tagging_ab: %s\n", err.message);
            rc = 1;
        }
    }

    size_t nsamples = ndue * (size_t)repeats;
    double *cpu[NBUILDS], *ratio = xmalloc(nsamples * sizeof *ratio);
    for (int b = 0; b < NBUILDS; b++) cpu[b] = xmalloc(nsamples * sizeof *cpu[b]);
    double flush_ms[NBUILDS] = { 0, 0 };
    size_t published[NBUILDS] = { 0, 0 };
    long pages_differ = 0;

    /* warm-up, not timed: templates, fonts and the store's pages loaded */
    for (int b = 0; !rc && b < NBUILDS; b++) {
        char name[32];
        snprintf(name, sizeof name, "warm-up-%s.pdf", BUILD_NAME[b]);
        char *p = path_join(out, name, NULL);
        double ms;
        int pages;
        if (render_review(s, &due[0], b == TAGGED, NULL, p, &ms, &pages, &err) != CD_OK) {
            fprintf(stderr, "tagging_ab: case %s (%s): %s\n", due[0].case_ref, BUILD_NAME[b], err.message);
            rc = 1;
        }
        free(p);
    }

    double wall0 = wall_s();
    size_t flushes = 0;
    for (long r = 0; !rc && r < repeats; r++) {
        for (size_t i = 0; !rc && i < ndue; i++) {
            size_t k = (size_t)r * ndue + i;
            int first = (int)((i + (size_t)r) % 2);       /* 0: untagged first */
            int pages[NBUILDS];
            for (int j = 0; !rc && j < NBUILDS; j++) {
                int b = j == 0 ? first : !first;
                if (render_review(s, &due[i], b == TAGGED, group[b], paths[b][i], &cpu[b][k],
                                  &pages[b], &err) != CD_OK) {
                    fprintf(stderr, "tagging_ab: case %s (%s): %s\n", due[i].case_ref, BUILD_NAME[b],
                            err.message);
                    rc = 1;
                }
            }
            if (rc) break;
            if (pages[TAGGED] != pages[UNTAGGED]) pages_differ++;
            ratio[k] = cpu[UNTAGGED][k] > 0 ? cpu[TAGGED][k] / cpu[UNTAGGED][k] - 1.0 : 0.0;
            int last = i + 1 == ndue;
            if (cd_publish_group_held(group[TAGGED]) >= PUBLISH_GROUP || last) {
                int f = (int)(flushes++ % 2);                 /* alternate which flushes first */
                rc = flush_group(group[f], BUILD_NAME[f], &flush_ms[f], &published[f]) ||
                     flush_group(group[!f], BUILD_NAME[!f], &flush_ms[!f], &published[!f]);
            }
        }
    }
    double wall = wall_s() - wall0;

    if (!rc) {
        double q[NBUILDS][3], rq[3], total[NBUILDS] = { 0, 0 };
        for (int b = 0; b < NBUILDS; b++) {
            quartiles(cpu[b], nsamples, q[b]);
            for (size_t k = 0; k < nsamples; k++) total[b] += cpu[b][k];
        }
        quartiles(ratio, nsamples, rq);
        printf("tagging_ab: %zu reviews due in %s, %ld pass%s, each review rendered tagged and untagged\n"
               "  back to back (order alternating), %.1f s in all; CPU time of this thread\n"
               "  (CLOCK_THREAD_CPUTIME_ID: user + system) around each cd_render into a publish group:\n"
               "  the case read, facts, layout, PDF, SHA-256, the temporary file written and its\n"
               "  writeback started. Group flushes (every %d documents: each file's fdatasync, the\n"
               "  audit transaction, renames, folder sync) timed apart; one warm-up render each way\n"
               "  and the plan not timed; waiting for the disk is not CPU time.\n",
               ndue, month, repeats, repeats == 1 ? "" : "es", wall, PUBLISH_GROUP);
        for (int b = 0; b < NBUILDS; b++)
            printf("  %-8s %.2f ms CPU per review (median; middle half %.2f to %.2f), total %.1f ms;"
                   " flushes %.2f ms per review\n",
                   BUILD_NAME[b], q[b][1], q[b][0], q[b][2], total[b], published[b] ? flush_ms[b] / (double)published[b] : 0.0);
        printf("  tagging costs %.1f%% more CPU per review (median of %zu per-review ratios;"
               " middle half %.1f%% to %.1f%%)\n",
               rq[1] * 100, nsamples, rq[0] * 100, rq[2] * 100);
        printf("  totals: %.1f%% more (%.1f / %.1f ms); with the flushes %.1f%% more\n",
               (total[TAGGED] / total[UNTAGGED] - 1) * 100, total[TAGGED], total[UNTAGGED],
               ((total[TAGGED] + flush_ms[TAGGED]) / (total[UNTAGGED] + flush_ms[UNTAGGED]) - 1) * 100);
        if (repeats > 1)
            for (long r = 0; r < repeats; r++) {
                double pq[3];
                quartiles(ratio + (size_t)r * ndue, ndue, pq);
                printf("  pass %ld: median %.1f%% (middle half %.1f%% to %.1f%%)\n", r + 1, pq[1] * 100,
                       pq[0] * 100, pq[2] * 100);
            }
        if (pages_differ)
            printf("  NOTE: %ld reviews had a different page count tagged and untagged\n", pages_differ);
    }

    for (int b = 0; b < NBUILDS; b++) {
        cd_publish_group_free(group[b]);      /* anything not published: removed */
        for (size_t i = 0; i < ndue; i++) free(paths[b][i]);
        free(paths[b]);
        free(dirs[b]);
        free(cpu[b]);
    }
    free(ratio);
    cd_due_documents_free(due, ndue);
    cd_store_close(s);
    cd_render_release();
    return rc;
}
