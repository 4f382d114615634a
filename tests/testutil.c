/* testutil.c -- process, file and PDF helpers for the Check suites. */
#include "testutil.h"
#include "sha256.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char tmpdir[256];
static char *out_buf, *err_buf;

const char *tu_bin(void)
{
    /* An absolute path, so tests may run it from any folder; under
     * CD_VALGRIND=1 (make check-valgrind) every run of the program goes
     * through valgrind memcheck, and a leak or error fails the run (99). */
    static char bin[4200];
    if (!bin[0]) {
        const char *b = getenv("CD_BIN");
        char *abs = realpath(b && *b ? b : "build/courtdocs", NULL);
        const char *v = getenv("CD_VALGRIND");
        snprintf(bin, sizeof bin, "%s%s",
                 v && *v == '1' ? "valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect "
                                  "--errors-for-leak-kinds=definite,indirect --error-exitcode=99 " : "",
                 abs ? abs : (b && *b ? b : "build/courtdocs"));
        free(abs);
    }
    return bin;
}

const char *tu_tmpdir(void)
{
    if (!tmpdir[0]) {
        snprintf(tmpdir, sizeof tmpdir, "/tmp/cdtest.XXXXXX");
        if (!mkdtemp(tmpdir)) { perror("mkdtemp"); exit(1); }
    }
    return tmpdir;
}

const char *tu_path(const char *name)
{
    static char ring[8][512];
    static int k;
    char *p = ring[k++ % 8];
    snprintf(p, 512, "%s/%s", tu_tmpdir(), name);
    return p;
}

char *tu_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, n = 0;
    char *b = malloc(cap);
    size_t r;
    while ((r = fread(b + n, 1, cap - n - 1, f)) > 0) {
        n += r;
        if (cap - n - 1 == 0) { cap *= 2; b = realloc(b, cap); }
    }
    fclose(f);
    b[n] = '\0';
    if (len) *len = n;
    return b;
}

void tu_write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f) { perror(path); return; }
    fputs(text, f);
    fclose(f);
}

int tu_run(const char *fmt, ...)
{
    char cmd[8192], full[9300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    const char *o = tu_path(".tu_out"), *e = tu_path(".tu_err");
    char ob[512], eb[512];
    snprintf(ob, sizeof ob, "%s", o);
    snprintf(eb, sizeof eb, "%s", e);
    snprintf(full, sizeof full, "( %s ) >'%s' 2>'%s' </dev/null", cmd, ob, eb);
    int st = system(full);
    free(out_buf);
    free(err_buf);
    out_buf = tu_read_file(ob, NULL);
    err_buf = tu_read_file(eb, NULL);
    if (st == -1) return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

const char *tu_out(void) { return out_buf ? out_buf : ""; }
const char *tu_err(void) { return err_buf ? err_buf : ""; }

static char *pdf_text_as(const char *pdf, const char *mode);

char *tu_pdf_text(const char *pdf)
{
    return pdf_text_as(pdf, "-layout");
}

char *tu_pdf_raw_text(const char *pdf)
{
    return pdf_text_as(pdf, "-raw");
}

/* pdftotext in the given mode; the captured output of the run before stays. */
static char *pdf_text_as(const char *pdf, const char *mode)
{
    const char *txt = tu_path(".tu_pdf.txt");
    char tb[512];
    snprintf(tb, sizeof tb, "%s", txt);
    /* keep the output of the program under test: pdftotext is not it */
    char *saved_out = out_buf, *saved_err = err_buf;
    out_buf = err_buf = NULL;
    int rc = tu_run("pdftotext %s '%s' '%s' 2>/dev/null", mode, pdf, tb);
    free(out_buf);
    free(err_buf);
    out_buf = saved_out;
    err_buf = saved_err;
    if (rc != 0) return NULL;
    return tu_read_file(tb, NULL);
}

int tu_count(const char *hay, const char *needle)
{
    int n = 0;
    size_t l = strlen(needle);
    if (!l) return 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += l) n++;
    return n;
}

void tu_cleanup(void);
void tu_cleanup(void)
{
    if (tmpdir[0]) {
        char cmd[300];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
        if (system(cmd) != 0) { /* best effort */ }
    }
    free(out_buf);
    free(err_buf);
    out_buf = err_buf = NULL;
}

char *tu_squeeze(char *s)
{
    char *w = s;
    int space = 0;
    for (const char *r = s; *r; r++) {
        if (*r == ' ' || *r == '\n' || *r == '\t' || *r == '\r' || *r == '\f' || *r == '\v') {
            space = 1;
            continue;
        }
        if (space && w != s)
            *w++ = ' ';
        space = 0;
        *w++ = *r;
    }
    *w = '\0';
    return s;
}

void tu_template_key(const char *schema, const char *text, char key[65])
{
    char schema_hex[65];
    cd_error err = {0};
    ck_assert_msg(cd_sha256_file(schema, schema_hex, &err) == CD_OK, "%s", err.message);
    size_t n = strlen(text);
    char *keyed = malloc(64 + n);
    ck_assert_ptr_nonnull(keyed);
    memcpy(keyed, schema_hex, 64);
    memcpy(keyed + 64, text, n);
    cd_sha256(keyed, 64 + n, key);
    free(keyed);
}
