/* naive_libharu.c -- the floor for issue 16: what a naive program costs that
 * draws a comparable four-page report straight with libharu 2.3.0 and the
 * project's own trimmed DejaVu Sans (regular and bold, embedded the way
 * libharu's documentation shows: HPDF_LoadTTFontFromFile with embedding on
 * and the UTF-8 encoder), compression on, each document saved to a file.
 * No layout engine, no store, no facts: every line is placed by hand. It is
 * the figure courtdocs's batch, which does all of that besides, is measured
 * against. Links only against libharu (none of courtdocs's code).
 *
 *   naive_libharu [-n COUNT] [-o DIR]     (run from the top of the tree)
 *
 * Prints: documents, seconds, ms per document (wall), CPU ms per document,
 * bytes of the last document. */
#include <hpdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double clock_ms(clockid_t c)
{
    struct timespec ts;
    clock_gettime(c, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void on_error(HPDF_STATUS e, HPDF_STATUS d, void *u)
{
    (void)u;
    fprintf(stderr, "naive_libharu: libharu error 0x%04X (detail %u)\n", (unsigned)e, (unsigned)d);
    exit(1);
}

static const char *const words[] = {
    "attended", "the", "appointment", "with", "Brixton", "Drug", "Service", "and", "gave",
    "a", "sample", "which", "was", "negative", "for", "opiates", "cocaine", "review",
    "hearing", "order", "requirement", "treatment", "Zoë", "Łukasiewicz-O'Brien", "week",
};

/* One document: a title, a label-value block, 4 pages of 48 lines each
 * (regular, every sixth bold), a footer on every page. */
static void one_document(const char *path)
{
    HPDF_Doc pdf = HPDF_New(on_error, NULL);
    HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(pdf);
    HPDF_SetCurrentEncoder(pdf, "UTF-8");
    const char *rn = HPDF_LoadTTFontFromFile(pdf, "fonts/DejaVuSans.ttf", HPDF_TRUE);
    const char *bn = HPDF_LoadTTFontFromFile(pdf, "fonts/DejaVuSans-Bold.ttf", HPDF_TRUE);
    HPDF_Font reg = HPDF_GetFont(pdf, rn, "UTF-8"), bold = HPDF_GetFont(pdf, bn, "UTF-8");
    char line[512];
    unsigned seed = 1;
    for (int page = 0; page < 4; page++) {
        HPDF_Page pg = HPDF_AddPage(pdf);
        HPDF_Page_SetSize(pg, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
        HPDF_Page_BeginText(pg);
        HPDF_Page_SetFontAndSize(pg, bold, 14);
        HPDF_Page_TextOut(pg, 50, 790, page == 0 ? "Court review report" : "Court review report (continued)");
        for (int i = 0; i < 48; i++) {
            size_t k = 0;
            for (int w = 0; w < 12; w++) {
                seed = seed * 1103515245u + 12345u;
                const char *word = words[(seed >> 16) % (sizeof words / sizeof words[0])];
                k += (size_t)snprintf(line + k, sizeof line - k, "%s%s", w ? " " : "", word);
            }
            HPDF_Page_SetFontAndSize(pg, i % 6 == 0 ? bold : reg, 10);
            HPDF_Page_TextOut(pg, 50, 760 - 14.5f * (float)i, line);
        }
        HPDF_Page_SetFontAndSize(pg, reg, 8);
        snprintf(line, sizeof line, "Document RV-0000000%d · page %d of 4", page, page + 1);
        HPDF_Page_TextOut(pg, 50, 30, line);
        HPDF_Page_EndText(pg);
        HPDF_Page_SetLineWidth(pg, 0.5);
        HPDF_Page_MoveTo(pg, 50, 775);
        HPDF_Page_LineTo(pg, 545, 775);
        HPDF_Page_Stroke(pg);
    }
    HPDF_SaveToFile(pdf, path);
    HPDF_Free(pdf);
}

int main(int argc, char **argv)
{
    int n = 200;
    const char *dir = "/tmp";
    int opt;
    while ((opt = getopt(argc, argv, "n:o:")) != -1) {
        if (opt == 'n') n = atoi(optarg);
        else if (opt == 'o') dir = optarg;
        else { fprintf(stderr, "usage: naive_libharu [-n COUNT] [-o DIR]\n"); return 2; }
    }
    if (n < 1) n = 1;
    char path[4096];
    snprintf(path, sizeof path, "%s/naive.pdf", dir);
    double w0 = clock_ms(CLOCK_MONOTONIC), c0 = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
    for (int i = 0; i < n; i++) one_document(path);
    double w = clock_ms(CLOCK_MONOTONIC) - w0, c = clock_ms(CLOCK_PROCESS_CPUTIME_ID) - c0;
    FILE *f = fopen(path, "rb");
    long bytes = -1;
    if (f) { fseek(f, 0, SEEK_END); bytes = ftell(f); fclose(f); }
    printf("documents %d seconds %.2f ms_per_doc %.2f cpu_ms_per_doc %.2f bytes %ld\n",
           n, w / 1000, w / n, c / n, bytes);
    return 0;
}
