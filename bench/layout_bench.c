/* layout_bench.c -- the layout benchmark of issue 8: builds a four-page
 * document (headings, paragraphs, a 120-row table with a repeated header and
 * two charts, with the protective marking and running lines a court document
 * carries) through the layout engine (src/layout.h) and renders it N times
 * in one process. Prints documents per second, bytes per document, pages and
 * the process's peak memory (and its peak after the first 10% of the run, so
 * a reader can see whether memory stays flat).
 *
 * Built by bench/run.sh against build-bench/libcourtdocs.a; run from the top
 * of the tree (the engine finds fonts/ there).
 *
 *   layout_bench [-n COUNT] [-o SAMPLE.pdf]
 *
 * With -o the last document is also written to SAMPLE.pdf (for qpdf --check
 * and for comparing with what Apache FOP writes). Documents are rendered to
 * memory (cd_doc_render_buffer), so the figure is the engine's cost and not
 * the disk's. */
#include "layout.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long peak_rss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static void para(cd_doc *d, const char *text)
{
    cd_span s = {text, 0};
    cd_doc_paragraph(d, &s, 1, NULL);
}

static void heading(cd_doc *d, int level, const char *text)
{
    cd_span s = {text, 0};
    cd_doc_heading(d, level, &s, 1);
}

/* Builds the benchmark document: the content of a monthly review in shape
 * (first-page facts, an attendance table of 120 appointments, a line chart
 * of % negative by month and a bar chart of contact hours by week). */
static cd_doc *build_document(void)
{
    cd_page_setup setup;
    memset(&setup, 0, sizeof setup);
    setup.marking = "OFFICIAL-SENSITIVE";
    setup.header.left = "LSL/2026/0042";
    setup.header.right = "Court review report";
    setup.footer.left = "Document RV-1a2b3c4d";
    setup.footer.right = "Page {page} of {pages}";
    cd_doc *d = cd_doc_new(&setup);
    if (!d) return NULL;
    cd_doc_set_warnings(d, NULL);

    heading(d, 1, "Court review report: Zoë Łukasiewicz-O'Brien");
    cd_span v1 = {"LSL/2026/0042", 0}, v2 = {"DRR, high intensity, 12 months, made 3 June 2026", 0};
    cd_span v3 = {"Week 22 of 53", 0}, v4 = {"Review 5, 1 October to 4 November 2026", 0};
    cd_doc_label_value(d, "Case", &v1, 1, 0);
    cd_doc_label_value(d, "Order", &v2, 1, 0);
    cd_doc_label_value(d, "Progress", &v3, 1, 0);
    cd_doc_label_value(d, "This review", &v4, 1, 0);
    heading(d, 2, "Summary");
    para(d, "Attendance this period was 38 of 42 required appointments (90%), against 31 of 40 "
            "(78%) in the previous period. Contact hours met the standard in 4 of 5 complete "
            "weeks. Opiates negative rose from 1 of 8 (13%) to 3 of 8 (38%); cocaine negative "
            "fell from 5 of 8 (63%) to 2 of 7 (29%). There was one unacceptable failure in the "
            "last 12 months, answered by a formal warning on 13 June 2026.");
    para(d, "The treatment provider reports steady engagement with the structured day "
            "programme and a stable methadone prescription. The supervising officer proposes "
            "that the order continue, with the next review on 2 December 2026.");

    heading(d, 2, "Attendance");
    cd_column cols[5] = {
        {70, 0, CD_ALIGN_LEFT}, {45, 0, CD_ALIGN_LEFT}, {0, 2, CD_ALIGN_LEFT},
        {0, 2, CD_ALIGN_LEFT}, {60, 0, CD_ALIGN_RIGHT}};
    cd_table_style ts = {true, true, 0, NULL};
    cd_table *t = cd_doc_table(d, cols, 5, &ts);
    static const char *const hdr[5] = {"Date", "Time", "Kind", "Outcome", "Minutes"};
    cd_span hs[5];
    const cd_span *hc[5];
    size_t hn[5];
    for (int i = 0; i < 5; i++) { hs[i].text = hdr[i]; hs[i].style = CD_SPAN_BOLD; hc[i] = &hs[i]; hn[i] = 1; }
    cd_table_row(t, CD_ROW_HEADER, hc, hn, false);
    static const char *const kinds[] = {"probation", "treatment", "group", "testing", "prescribing"};
    static const char *const outcomes[] = {"attended", "attended", "late", "attended",
                                           "absent-acceptable", "attended", "absent-unacceptable"};
    for (int r = 0; r < 120; r++) {
        char date[32], time_s[16], minutes[16];
        snprintf(date, sizeof date, "2026-%02d-%02d", 6 + r / 28, 1 + r % 28);
        snprintf(time_s, sizeof time_s, "%02d:%02d", 9 + r % 8, (r % 2) * 30);
        snprintf(minutes, sizeof minutes, "%d", 30 + (r % 4) * 30);
        cd_span cs[5] = {{date, 0}, {time_s, 0}, {kinds[r % 5], 0}, {outcomes[r % 7], 0}, {minutes, 0}};
        const cd_span *cc[5];
        size_t cn[5];
        for (int i = 0; i < 5; i++) { cc[i] = &cs[i]; cn[i] = 1; }
        cd_table_row(t, CD_ROW_BODY, cc, cn, r % 7 == 6);
    }

    heading(d, 2, "Drug tests");
    static const char *const months[] = {"1", "2", "3", "4", "5", "6"};
    static const double opiates[] = {13, 20, 25, 31, 38, 36};
    static const double cocaine[] = {50, 63, 55, NAN, 29, 40};
    cd_chart_series ls[2] = {{"Opiates", opiates, NULL}, {"Cocaine", cocaine, NULL}};
    cd_chart line;
    memset(&line, 0, sizeof line);
    line.kind = CD_CHART_LINE;
    line.title = "Tests negative by month of the order";
    line.x_label = "Month of the order";
    line.y_label = "% negative";
    line.categories = months;
    line.ncategories = 6;
    line.series = ls;
    line.nseries = 2;
    line.y_min = 0;
    line.y_max = 100;
    line.y_suffix = "%";
    line.alt_text = "Opiates negative rose from 13% in month 1 to 36% in month 6.";
    cd_doc_chart(d, &line);

    heading(d, 2, "Contact hours");
    static const char *const weeks[] = {"18", "19", "20", "21", "22"};
    static const double hours[] = {14.5, 12, 9.5, 13, 12.5};
    static const double standard[] = {12, 12, 12, 12, 12};
    cd_chart_series bs[2] = {{"Hours kept", hours, NULL}, {"Standard", standard, NULL}};
    cd_chart bar = line;
    bar.kind = CD_CHART_BAR;
    bar.title = "Contact hours by week of the order";
    bar.x_label = "Week of the order";
    bar.y_label = "Hours";
    bar.categories = weeks;
    bar.ncategories = 5;
    bar.series = bs;
    bar.y_max = 20;
    bar.y_suffix = "";
    bar.alt_text = "Contact hours met the standard in 4 of 5 weeks.";
    cd_doc_chart(d, &bar);

    heading(d, 2, "Recommendation");
    para(d, "That the order continue. The officer will address the fall in cocaine-negative "
            "results with the treatment provider before the next review.");
    cd_doc_signature(d, "Sam Okafor", "Offender manager", "4 November 2026");
    return d;
}

int main(int argc, char **argv)
{
    long count = 1000;
    const char *sample = NULL;
    int opt;
    while ((opt = getopt(argc, argv, "n:o:")) != -1) {
        if (opt == 'n') count = strtol(optarg, NULL, 10);
        else if (opt == 'o') sample = optarg;
        else { fprintf(stderr, "usage: layout_bench [-n COUNT] [-o SAMPLE.pdf]\n"); return 2; }
    }
    if (count < 1) count = 1;

    cd_doc_info info = {"Court review report", "courtdocs bench", "bench", NULL, NULL};
    double bytes = 0, t0 = now_seconds();
    long rss_early = 0;
    int pages = 0;
    for (long i = 0; i < count; i++) {
        cd_doc *d = build_document();
        unsigned char *buf = NULL;
        size_t len = 0;
        cd_error err = {0, {0}};
        if (!d || cd_doc_render_buffer(d, &info, &buf, &len, &pages, &err) != 0) {
            fprintf(stderr, "layout_bench: render failed: %s\n", err.message);
            cd_doc_free(d);
            return 1;
        }
        bytes += (double)len;
        if (sample && i == count - 1) {
            FILE *f = fopen(sample, "wb");
            if (!f || fwrite(buf, 1, len, f) != len || fclose(f) != 0) {
                fprintf(stderr, "layout_bench: cannot write %s\n", sample);
                return 1;
            }
        }
        free(buf);
        cd_doc_free(d);
        if (i == count / 10) rss_early = peak_rss_kb();
    }
    double elapsed = now_seconds() - t0;
    printf("documents %ld\npages %d\nseconds %.3f\ndocs_per_s %.1f\nms_per_doc %.2f\n"
           "bytes_per_doc %.0f\npeak_rss_kb_at_10pct %ld\npeak_rss_kb %ld\n",
           count, pages, elapsed, (double)count / elapsed, elapsed * 1000.0 / (double)count,
           bytes / (double)count, rss_early, peak_rss_kb());
    return 0;
}
